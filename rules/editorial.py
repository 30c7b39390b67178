"""Editorial rules: leftovers of reposting that a reader notices (original-title lines,
empty paragraphs) and characters that should never reach a page."""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from lintnews import Edit, Option, Severity, hookimpl, rule
from lintnews.fix.edits import remove_block
from lintnews.lazy_re import LazyPattern, lazy_compile
from lintnews.options import between
from lintnews.rules.body_text import markdown_text, pre_ranges, within

# whitespace as a reader sees it: spaces, ideographic spaces and whitespace entities
_SPACE_ENTITY = lazy_compile(r"&(?:nbsp|ensp|emsp|thinsp|#0*160|#0*12288|#[xX]0*(?:a0|A0|3000));")
_BLOCK_TAGS = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
                         "blockquote", "section", "article", "table", "tr", "td", "th", "figure",
                         "figcaption", "hr", "pre", "header", "footer", "dd", "dt"})
# "原标题：…" opening a paragraph (after whitespace and Markdown/bracket decoration)
_ORIGINAL_TITLE = lazy_compile(r"[\s\u3000>*_#\-+【\[（(]*(原标题[ \t\u3000]*[:：])")


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_ATX_HEADING = lazy_compile(r"\n? {0,3}#{1,6}(?:[ \t]|$)", re.MULTILINE)


def _is_blank(text: str) -> bool:
    text = text.strip()
    return not text or ("&" in text and not _SPACE_ENTITY.sub(" ", text).strip())


def _paragraphs(doc, until: int):
    """(start, end, is_heading) of each non-blank stretch of the body's prose that starts
    at or before ``until``, split at line breaks and at block-level tags, in order."""
    prose = doc.prose
    # the stretch starting at ``until`` ends at the latest at the next line break
    limit = prose.find("\n", until + 1)
    limit = len(doc.text) if limit < 0 else limit
    cuts = {doc.body_offset, limit}
    tags = [tag for tag in doc.scan.tags if tag.offset <= limit]
    cuts.update(tag.offset for tag in tags if tag.name in _BLOCK_TAGS)
    line_break = prose.find("\n", doc.body_offset, limit)
    while line_break >= 0:
        cuts.add(line_break)
        line_break = prose.find("\n", line_break + 1, limit)
    ordered = sorted(c for c in cuts if c >= doc.body_offset)
    headings = {tag.offset for tag in tags if tag.name in _HEADINGS and not tag.closing}
    for start, end in zip(ordered, ordered[1:]):
        if start > until:
            return
        if start in headings:
            yield start, end, True
        elif not _is_blank(prose[start:end]):
            yield start, end, bool(_ATX_HEADING.match(prose, start, end))


@rule("original-title", severity="warning", options={"within": Option(3, between(0, 10_000))})
def original_title(doc, options):
    """An original-title line must name the title and head the article.

    Reposted news keeps the source's title in a line such as ``原标题：…`` (or
    ``原标题:``). Such a line is reported at its ``原`` when nothing follows the colon
    (whitespace and ``&nbsp;`` do not count), or when it is not among the first
    ``within`` paragraphs of the article, or of a section when it follows a
    heading (paragraphs are non-blank lines and HTML blocks such as ``<p>`` as a
    reader sees them; tags do not count). Deep in the text it is a leftover of
    merged articles; after a heading it credits a part reposted from elsewhere. A line is counted only when the
    label opens its paragraph, so a mention in running prose is not a finding. A
    credit at the very end that names the article's own title (its front-matter
    ``title``; only an editor's or source credit after it) is fine: some sites
    close with the original title instead of opening with it.

    Fails:

        <p>　　原标题：</p>
        <p>　　中新网北京8月2日电……</p>

    Passes:

        <p>　　原标题：1-7月全国财政收入同比增20%</p>
        <p>　　中新网北京8月2日电……</p>
    """
    within = int(options["within"])
    prose = doc.prose
    index = 0  # paragraphs since the head of the article or of its last section
    last = _last_label(prose)
    if last < 0:
        return
    for start, end, heading in _paragraphs(doc, last):  # none after the last '原标题' can hold the line
        if heading:
            index = 0
            continue
        index += 1
        match = _ORIGINAL_TITLE.match(prose, start, end)
        if match is None:
            continue
        label = match.start(1)
        if _is_blank(prose[match.end(1):end]):
            yield doc.violation(label, "empty original-title line: '原标题：' names no title", match.end(1))
        elif index > within and not _closing_credit(doc, prose, match.end(1), end):
            yield doc.violation(label, f"original-title line in paragraph {index} of its section: "
                                f"it belongs at the head (first {within})", match.end(1))


def _last_label(prose: str) -> int:
    """``prose.rfind("原标题")``, found twice as fast: ``str.rfind`` reads CJK text for one
    character several times faster than for three, and a "原" that starts no label is
    rare enough to step over in Python."""
    last = prose.rfind("原")
    while last >= 0 and not prose.startswith("原标题", last):
        last = prose.rfind("原", 0, last)
    return last


_TITLE_NOISE = lazy_compile(r"[\s\u3000《》「」“”\"'：:，,。.！!？?—\-_|｜]+")
# what may follow a closing original-title credit: an editor's credit or a source line
_AFTER_CREDIT = lazy_compile(r"(?:[\s\u3000]*(?:[【\[（(]?(?:责任编辑|编辑|责编|来源|文章来源)[^\n]*)?\n)*[\s\u3000]*\Z")


def _closing_credit(doc, prose: str, title_start: int, end: int) -> bool:
    """Whether an original-title line credits this article at its very end: it names the
    article's own title, and only an editor's or a source credit follows it."""
    own = doc.meta.get("title")
    if not isinstance(own, str) or not own.strip():
        return False
    named = _TITLE_NOISE.sub("", prose[title_start:end])
    own = _TITLE_NOISE.sub("", own)
    if not named or not (named in own or own in named):
        return False
    return _AFTER_CREDIT.match(prose, end) is not None


# block tags that end a paragraph when they open (a <br> does not)
_OPENING_BLOCKS = _BLOCK_TAGS - {"br"}
# elements that are content even without text
_CONTENT_TAGS = frozenset({"img", "picture", "video", "audio", "iframe", "embed", "object", "svg",
                           "canvas", "math", "input", "select", "textarea", "button", "script",
                           "hr", "source", "track", "meter", "progress", "output"})


@rule("empty-paragraph", severity="warning", fix="safe")
def empty_paragraph(doc, options):
    """Paragraphs and headings holding nothing, where a reader sees them.

    Scraped articles are padded with paragraphs like ``<p>　　</p>``,
    ``<p>&nbsp;</p>`` or ``<p><br/></p>``, which show as gaps of uneven height.
    A ``<p>`` is empty when everything up to its ``</p>`` is whitespace (including
    ideographic spaces and ``&nbsp;``), ``<br>`` and empty inline elements; it is
    reported at its ``<`` (up to after its ``</p>``) when it shows: when it holds
    an ideographic or no-break space (or its entity) or a ``<br>``. One holding
    only ASCII spaces, or nothing, takes no room on the page and is reported only
    when it swallows the Markdown after it (text on its line or the next one, with
    no blank line between, which the HTML block then shows unformatted). One
    holding only an empty link (``<p><a href="…"></a></p>``) is reported as a lost
    embed: a video or card the scraper dropped. A paragraph holding text, code, an
    image or another embedded element is not empty, nor is one holding a named
    anchor (``<a id="…">``) or one never closed.

    Markdown has no empty paragraphs, but it has empty headings: a line of heading
    marks alone (``###``; ``## ##`` too, which CommonMark reads as empty), left where a
    converter met an ``<h3>&nbsp;</h3>`` or put the heading's text on the next line.
    CommonMark renders it as an empty heading (a gap, a blank entry in a table of
    contents); kramdown, Jekyll's, shows the marks as text. It is reported at its first
    ``#`` (up to its last), with the next line's text when that may be the heading's, fallen
    a line: a short line that is no sentence, right below the marks and alone. A heading
    holding only HTML comments (``### <!-- more -->``, a blog's excerpt mark) is empty too. Only where
    Markdown is read: not in an HTML article, code, a comment, a ``<pre>``, ``<script>`` or
    ``<style>``, an HTML block (a block-level tag above it with no blank line between),
    front matter or MDX's JavaScript; nor a lone ``#`` beside a line of a listing left
    unfenced (another ``#`` comment, a ``$`` prompt, a ``NAME=`` setting), which is a
    shell or configuration comment.

    Fix (safe): the paragraph is removed, with the gap it leaves (one that swallows the
    Markdown, with the unseen empty paragraphs right before it, which would swallow it in
    turn); a lost embed is left to an
    editor, who restores it from its link. An empty heading's line is removed too (an empty
    line stays where it parted two blocks), unless the next line may hold its text (an
    editor moves the text up) or the lists or indented listings on either side of it would
    become one. A heading of comments loses its marks, the comments kept.

    Fails:

        <p>　　中新网北京8月2日电……</p>
        <p>　　</p>

    Fails:

        ##

        ## Problem 2: Navigation paths

    Passes:

        <p>　　中新网北京8月2日电……</p>
        <p><img src="chart.png" alt="走势图"></p>
    """
    tags = doc.scan.tags
    prose = doc.prose
    for index, tag in enumerate(tags):
        if tag.name != "p" or tag.closing:
            continue
        close = None
        for position in range(index + 1, len(tags)):  # islice would walk from the start: quadratic
            other = tags[position]
            if other.name in _CONTENT_TAGS or (other.name == "a" and (other.get("name") or other.get("id"))):
                break  # content, or an anchor that links point to
            if other.name == "p" or (other.closing and other.name in _BLOCK_TAGS) \
                    or (not other.closing and other.name in _OPENING_BLOCKS):
                if other.name == "p" and other.closing:
                    close = other
                break
        if close is None or not _is_blank(prose[tag.end:close.offset]):
            continue
        if doc.code_within(tag.end, close.offset):
            continue
        message = _empty_message(doc, tag, close)
        if message:
            # a lost embed is not removed: its link is what an editor restores it from
            fix = None if message.startswith(_LOST_EMBED) else remove_block(
                doc.text, _silent_run_start(doc, index) if message is _SWALLOWS else tag.offset, close.end,
                doc.body_offset)
            yield doc.violation(tag.offset, message, close.end, fix=fix)
    yield from _empty_headings(doc)


# A line ending in a heading mark, where an empty heading ends: found by a search that skips
# ahead to each "#" in C (a search for the heading from each line's start reads every line),
# then told by _EMPTY_HEADING, matched at its line's start.
_MARK_AT_LINE_END = lazy_compile(r"#[ \t]*\r?$", re.MULTILINE)
# an ATX heading holding nothing: up to three spaces, one to six marks, and nothing after them
# but spaces and, as CommonMark reads "## ##", a closing run of marks
_EMPTY_HEADING = lazy_compile(r" {0,3}(#{1,6})(?:[ \t]+#+)?[ \t]*\r?$", re.MULTILINE)
# the same holding nothing but HTML comments on its line (group 2), which render as nothing:
# "### <!-- more -->", a blog's excerpt mark left in a heading
_COMMENT_HEADING = lazy_compile(r" {0,3}(#{1,6})[ \t]+(<!--(?:(?!-->)[^\n])*-->(?:[ \t]*<!--(?:(?!-->)[^\n])*-->)*)"
                                r"([ \t]+#+)?[ \t]*\r?$", re.MULTILINE)  # (group 3: a closing run of marks)
# what opens an HTML block that runs on to the next blank line (CommonMark's sixth kind): a
# block-level tag, which may interrupt a paragraph
_HTML_BLOCK_TAG = lazy_compile(
    r" {0,3}</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|"
    r"dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|"
    r"iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|"
    r"table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[ \t>]|/>|\r?$)", re.IGNORECASE | re.MULTILINE)
# (its seventh kind) any other complete tag alone on its line, which opens one only after a blank
# line; in MDX, an import or export line, which opens JavaScript that runs on to a blank line alike
_LONE_TAG = lazy_compile(r" {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'"
                         r"|[^\s\"'=<>`]+))?)*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*\r?$", re.MULTILINE)
_ESM_LINE = lazy_compile(r"(?:import|export)\b")
# a line of a listing left unfenced, beside an empty comment line there: a prompt or a setting; a
# comment line (a lone "#" beside one, marks between two)
_LISTING_LINE = lazy_compile(r"[ \t]*(?:[$%][ \t]|[A-Za-z_][A-Za-z0-9_.-]*[ \t]*=(?!=))")
_COMMENT_LINE = lazy_compile(r"[ \t]*#")
# a line that may be a heading's text, fallen to the line after its marks: short, no block of its
# own (a heading, quotation, list item, table row, tag, image, link or fence) and no sentence
_LOST_TEXT = lazy_compile(r"[ \t]*+(?![#>*+|<!\[{`~=_-]|\d{1,9}[.)](?:\s|$))(\S[^\n]{0,79}?)[ \t\r]*$",
                          re.MULTILINE)
_SENTENCE_END = (".", "。", ",", "，", ":", "：", ";", "；")


def _empty_headings(doc):
    """Markdown headings holding nothing (``###`` alone on its line), where Markdown is read: not
    in an HTML article, code, comments, a ``<pre>``, ``<script>`` or ``<style>``, an HTML block,
    front matter (nor after front matter never closed), or MDX's JavaScript."""
    front_matter = doc.front_matter
    if (front_matter is not None and not front_matter.closed) or str(doc.path).lower().endswith((".html", ".htm")):
        return
    markdown, text, floor = doc.markdown, doc.text, doc.body_offset
    view = blocks = None  # made at the first empty heading: few articles have any
    for hit in _MARK_AT_LINE_END.finditer(markdown, floor):
        # (one hit a line: reading back to its start reads each line once)
        line_start = max(floor, markdown.rfind("\n", 0, hit.start()) + 1)
        # matched in the text: in ``markdown`` a heading of a code span or a comment is blank too
        heading = _EMPTY_HEADING.match(text, line_start)
        comment = None if heading is not None else _COMMENT_HEADING.match(text, line_start)
        if comment is not None:
            heading = comment
        if heading is None:
            continue
        if view is None:
            view, blocks = markdown_text(doc), _BlockLines(doc, markdown, floor)
        mark = heading.start(1)
        if view[mark] != "#" or blocks.inside(line_start, mark):
            continue  # raw text, JavaScript, or a line of an HTML block
        end = hit.start() + 1  # after the last mark
        line_end = heading.end()
        before = _line_before(markdown, line_start, floor)
        after = _line_after(text, line_end)
        if _in_listing(before, after, end - mark == 1):
            continue  # an empty comment line of a listing left unfenced
        if comment is not None:  # the comments are left where the heading was
            stop = comment.end(3) if comment.group(3) else comment.end(2)
            yield doc.violation(mark, f"empty heading '{text[mark:stop]}': it holds only a comment", stop,
                                fix=Edit(mark, stop, comment.group(2)))
            continue
        written = text[mark:end]
        lost = _lost_text(text, line_end, after)
        if lost is not None:
            shown = lost if len(lost) <= 40 else lost[:39] + "…"
            yield doc.violation(mark, f"empty heading '{written}': its text seems to have fallen to the next "
                                      f"line ('{shown}')", end)
        else:
            fix = remove_block(text, mark, end, floor)
            # what follows would open the file, and be read as front matter (the text before the
            # fix is blank: it starts no later than the first character that is not)
            if front_matter is None and fix.start <= len(text) - len(text.lstrip()) \
                    and _OPENER_AFTER_BLANKS.match(text, fix.end):
                fix = None
            # the blocks on either side would become one: two lists one list, two indented
            # listings one listing (a heading ends a list; blank lines do not)
            elif _joins_blocks(text, line_start, line_end, floor):
                fix = None
            yield doc.violation(mark, f"empty heading '{written}'", end, fix=fix)


_OPENER_AFTER_BLANKS = lazy_compile(r"\s*+(?:---|\+\+\+|\{)")  # how front matter opens a file: YAML, TOML, JSON
# a list item's line: a bullet, or a number and its mark
_LIST_ITEM = lazy_compile(r" {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|\r?$)")


def _joins_blocks(text: str, line_start: int, line_end: int, floor: int) -> bool:
    """Whether removing the line from ``line_start`` to ``line_end`` (its line break) may make one
    block of the blocks before and after it: a list or an indented line in the block above (a
    list item, a line of one, a listing), and a list item or an indented line first below (an
    item of the same list, a paragraph or quotation of the last item, a listing that would be
    its paragraph). Reads the blank lines below, and above it the blank lines and the block
    before them up to a heading: each line once however many headings there are."""
    after = _BLANKS_AFTER.match(text, min(line_end + 1, len(text))).end()
    if after >= len(text) or not (text[after] in " \t" or _LIST_ITEM.match(text, after)):
        return False
    end, above = line_start - 1, False  # the line feed that ends the line above; in the block above yet
    while end > floor:
        start = max(floor, text.rfind("\n", floor, end) + 1)
        if text[start:end].strip(" \t\r"):
            above = True
            if text[start] in " \t" or _LIST_ITEM.match(text, start):
                return True
            if _HEADING_LINE.match(text, start):
                return False  # a heading ends what is above it: nothing there goes on below
        elif above:
            return False  # the blank line before the block above
        end = start - 1
    return False


_HEADING_LINE = lazy_compile(r" {0,3}#{1,6}(?:[ \t]|\r?$)")


_BLANKS_AFTER = lazy_compile(r"(?:[ \t\r]*\n)*")  # blank lines, each up to its line feed


def _in_listing(before: str | None, after: str | None, lone: bool) -> bool:
    """Whether heading marks between the lines ``before`` and ``after`` (None: none) are an empty
    comment line of a listing left unfenced: a lone ``#`` beside a comment of one mark, a prompt
    or a setting (``NAME=…``), or any marks between two such lines or comments."""
    sides = [line is not None and (_LISTING_LINE.match(line) is not None or (
        _COMMENT_LINE.match(line) is not None and (not lone or line.lstrip(" \t")[1:2] != "#")))
        for line in (before, after)]
    return all(sides) or (lone and any(sides))


def _line_before(text: str, line_start: int, floor: int) -> str | None:
    """The line before the one starting at ``line_start``; None at ``floor``."""
    if line_start <= floor:
        return None
    return text[max(floor, text.rfind("\n", 0, line_start - 1) + 1):line_start - 1]


def _line_after(text: str, line_end: int) -> str | None:
    """The line after the one ending at ``line_end`` (its line break), or None for the last."""
    if line_end >= len(text):
        return None
    stop = text.find("\n", line_end + 1)
    return text[line_end + 1:stop if stop >= 0 else len(text)]


def _lost_text(text: str, line_end: int, after: str | None) -> str | None:
    """The text of the line after an empty heading (ending at ``line_end``) when it may be the
    heading's own, fallen a line: a short line of text, not a sentence, standing alone (a blank
    line, or the end, after it)."""
    if after is None or not after.strip():
        return None
    found = _LOST_TEXT.fullmatch(after.rstrip("\r")) if len(after) <= 200 else None
    if found is None or _LISTING_LINE.match(after) or found.group(1).endswith(_SENTENCE_END):
        return None
    following = _line_after(text, line_end + 1 + len(after))
    return found.group(1) if following is None or not following.strip() else None


class _BlockLines:
    """Whether a line continues a block that holds no Markdown, opened on an earlier line: an
    HTML block (a block-level tag, or a lone tag after a blank line, up to the next blank line;
    a ``<pre>`` up to its ``</pre>``) or, in MDX, an import or export up to a blank line.
    Lines are told in order, each read back only to the line told before it: linear in all."""

    def __init__(self, doc, markdown: str, floor: int) -> None:
        self.doc, self.markdown, self.floor = doc, markdown, floor
        self.told = (-1, False)  # the last line told (its start) and whether a block held it

    def inside(self, line_start: int, offset: int) -> bool:
        if self._in_pre(offset):
            return True
        markdown, floor = self.markdown, self.floor
        told_start, told_inside = self.told
        inside = False
        pos = line_start
        while pos > floor:
            start = max(floor, markdown.rfind("\n", 0, pos - 1) + 1)  # the line before pos
            if start == told_start:  # the line told before, in the same run: what held it holds this one
                inside = told_inside
                break
            line = markdown[start:pos - 1]
            if not line.strip():
                break
            if _HTML_BLOCK_TAG.match(line):
                inside = True
                break
            if start == floor or not markdown[max(floor, markdown.rfind("\n", 0, start - 1) + 1):start - 1].strip():
                # the first line of its run
                inside = _LONE_TAG.match(line) is not None or (self.doc.mdx and _ESM_LINE.match(line) is not None)
                break
            pos = start
        self.told = (line_start, inside)
        return inside

    def _in_pre(self, offset: int) -> bool:
        return within(pre_ranges(self.doc), offset)


_LOST_EMBED = "paragraph holding only an empty link: a lost embed"
# what makes an empty paragraph show: a space that is no ASCII whitespace, or a space entity
_VISIBLE_SPACE = lazy_compile(r"[\u3000\u00a0\u2000-\u200a\u202f\u205f]|&(?:nbsp|ensp|emsp|thinsp|#)")


def _empty_message(doc, opening, close) -> str | None:
    """The finding for an empty paragraph between ``opening`` and ``close``: a lost embed
    (it holds only an empty link), a visible gap (ideographic spaces, ``&nbsp;``, ``<br>``),
    an invisible one that swallows the Markdown after it, or None for one nobody sees."""
    tags = doc.scan.tags
    key = "empty-paragraph.tag-offsets"
    offsets = doc.cache.get(key)
    if offsets is None:
        offsets = doc.cache[key] = [tag.offset for tag in tags]
    inner = tags[bisect_right(offsets, opening.offset):bisect_right(offsets, close.offset) - 1]
    if any(tag.name == "a" and not tag.closing and tag.get("href") for tag in inner):
        return _LOST_EMBED + " (restore it or remove the paragraph)"
    if any(tag.name == "br" for tag in inner) or _VISIBLE_SPACE.search(doc.text, opening.end, close.offset):
        return "empty paragraph"
    if _swallows(doc.text, close.end):
        return _SWALLOWS
    return None


_SWALLOWS = "empty paragraph swallows the Markdown after it: HTML runs on until a blank line"


def _silent_run_start(doc, index: int) -> int:
    """Where the run of empty paragraphs ending with the one opened at ``doc.scan.tags[index]``
    starts: those right before it (spaces between) that nobody sees and that swallow nothing
    while it stands, each of which would swallow the Markdown in turn once it goes (a run of
    twenty, one removed a pass, would not settle). The fix of the one that swallows removes
    them all."""
    tags, text, prose = doc.scan.tags, doc.text, doc.prose
    at, start = index, tags[index].offset
    while at >= 2:
        close, opening = tags[at - 1], tags[at - 2]
        if not (close.closing and close.name == "p" and not opening.closing and opening.name == "p") \
                or text[close.end:start].strip(" \t") or not _is_blank(prose[opening.end:close.offset]) \
                or doc.code_within(opening.end, close.offset) or _empty_message(doc, opening, close) is not None:
            break
        at, start = at - 2, opening.offset
    return start


_SPACES_ON_LINE = lazy_compile(r"[^\S\n]*")  # white space but a line feed (what str.strip takes, in a line)


def _swallows(text: str, offset: int) -> bool:
    """Whether Markdown follows ``offset`` inside the same HTML block: text on the rest of its
    line, or on the next line with no blank line between, that is not more HTML."""
    # the first visible character after ``offset`` on its line, else on the next line: found
    # without copying the rest of the line (quadratic on a line of thousands of paragraphs)
    first = _SPACES_ON_LINE.match(text, offset).end()
    if first < len(text) and text[first] == "\n":
        first = _SPACES_ON_LINE.match(text, first + 1).end()
    return first < len(text) and text[first] not in "\n<"


_C0_NAMES = ("NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION",
             "ENQUIRY", "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED",
             "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN",
             "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
             "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE",
             "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
             "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE",
             "INFORMATION SEPARATOR TWO", "INFORMATION SEPARATOR ONE")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# the characters reported, as ranges of code points: the control characters but tab, line feed
# and carriage return; U+FFFD; the zero-width characters; the private-use area of the Basic
# Multilingual Plane; planes 15 and 16 (private use too). Every table below is made from these.
_BAD_RANGES = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xFFFD, 0xFFFD),
               *((ord(char), ord(char)) for char in sorted(_ZERO_WIDTH)), (0xE000, 0xF8FF), (0xF0000, 0x10FFFF))
_BAD_IN_BMP = "".join(f"{chr(first)}-{chr(last)}" for first, last in _BAD_RANGES if last <= 0xFFFF)
_BAD_BEYOND_BMP = "".join(f"{chr(first)}-{chr(last)}" for first, last in _BAD_RANGES if first > 0xFFFF)
_BAD = lazy_compile(f"([{_BAD_IN_BMP}{_BAD_BEYOND_BMP}])\\1*")
# for a text with no character beyond the BMP, most of them: the regex engine tests each character
# against a bitmap of the BMP, and a range beyond it adds a test for every character (a third more time)
_BAD_BMP_ONLY = lazy_compile(f"([{_BAD_IN_BMP}])\\1*")
_LONE_CR = lazy_compile(r"\r(?!\n)")


def _emoji(char: str) -> bool:
    code = ord(char)
    return (0x1F000 <= code <= 0x1FAFF or 0x2190 <= code <= 0x2BFF or code in (0xFE0F, 0x20E3, 0x00A9, 0x00AE)
            or 0xE0020 <= code <= 0xE007F)


def _joining_script(char: str) -> bool:
    """Letters and marks of scripts that use ZWJ/ZWNJ in spelling: Arabic (Persian, Urdu),
    Syriac, Thaana, N'Ko and the Indic scripts of South and Southeast Asia."""
    code = ord(char)
    return (0x0600 <= code <= 0x08FF or 0x0900 <= code <= 0x0DFF or 0x0F00 <= code <= 0x0FFF
            or 0x1000 <= code <= 0x109F or 0xA8E0 <= code <= 0xA8FF or 0xFB50 <= code <= 0xFDFF
            or 0xFE70 <= code <= 0xFEFE) and unicodedata.category(char)[0] in "LM"


def _name(char: str) -> str:
    code = ord(char)
    try:
        name = unicodedata.name(char)
    except ValueError:
        if code < 0x20:
            name = _C0_NAMES[code]
        elif code == 0x7F:
            name = "DELETE"
        elif 0x80 <= code <= 0x9F:
            name = "C1 CONTROL CHARACTER" if code != 0x85 else "NEXT LINE"
        elif unicodedata.category(char) == "Co":
            name = "PRIVATE USE CHARACTER"
        else:
            name = "UNNAMED CHARACTER"
    return f"U+{code:04X} {name}"


def _beyond_bmp(text: str) -> bool:
    """Whether ``text`` holds a character beyond the Basic Multilingual Plane: one that takes two
    UTF-16 code units (a surrogate pair), so that its UTF-16 encoding is longer than two bytes a
    character. Encoding copies the text in C, several times faster than a regex reads it
    ("surrogatepass": a lone surrogate, one code unit, is encoded rather than refused)."""
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def _bad_pattern(text: str) -> LazyPattern:
    """What finds the characters bad-characters reports in ``text``: the BMP's alone when it
    holds no character beyond the BMP."""
    return _BAD if _beyond_bmp(text) else _BAD_BMP_ONLY


# The characters reported, looked for in C before the regex reads a text (few texts hold any):
# those of Latin-1 (the control characters) are what is left of the text's Latin-1 characters once
# the others (_LATIN_1_KEPT) are dropped; the few others of the BMP (U+FFFD, the zero-width
# characters) are found by str's own search (_SINGLE_BAD); a character of a wide range (the
# private-use area, and planes 15 and 16, written in UTF-16 with a first unit from U+DB80 to
# U+DBFF) shows as the high byte of a UTF-16 code unit that is not in _HIGH_BYTES_KEPT.
_LATIN_1_KEPT = bytes(sorted(set(range(256)).difference(
    *(range(first, last + 1) for first, last in _BAD_RANGES if last <= 0xFF))))
_SINGLE_BAD = tuple(chr(code) for first, last in _BAD_RANGES if 0xFF < first and last - first < 16
                    for code in range(first, last + 1))


def _high_bytes(first: int, last: int) -> range:
    """The high bytes of the UTF-16 code units that start the characters from ``first`` to ``last``."""
    if last <= 0xFFFF:
        return range(first >> 8, (last >> 8) + 1)
    return range((0xD800 + ((first - 0x10000) >> 10)) >> 8, ((0xD800 + ((last - 0x10000) >> 10)) >> 8) + 1)


_HIGH_BYTES_KEPT = bytes(sorted(set(range(256)).difference(
    *(_high_bytes(first, last) for first, last in _BAD_RANGES if 0xFF < first and last - first >= 16))))


def _bad_runs(text: str, latin: bytes | None = None):
    """The runs of reported characters in ``text`` (the matches of ``_bad_pattern``), in order;
    none, without running the regex, when the tests in C show that ``text`` holds no such
    character (a high byte 0xDB or 0xE0 to 0xF8 that is no private-use character, such as a
    character of plane 14, only sends the text on to the regex). ``latin``: the text's
    characters of Latin-1, if already taken (``text.encode("latin-1", "ignore")``)."""
    if latin is None:
        latin = text.encode("latin-1", "ignore")
    controls = latin.translate(None, _LATIN_1_KEPT)
    if controls or any(map(text.__contains__, _SINGLE_BAD)):
        return _bad_pattern(text).finditer(text)
    if text.isascii():
        return ()
    units = text.encode("utf-16-le", "surrogatepass")  # see _beyond_bmp
    if not units[1::2].translate(None, _HIGH_BYTES_KEPT):  # the high byte of each code unit
        return ()
    return (_BAD if len(units) != 2 * len(text) else _BAD_BMP_ONLY).finditer(text)


# Mojibake: UTF-8 read as Windows-1252 (or Latin-1), each byte of a character shown as a character of
# its own. A lead byte (0xC2 to 0xF4) shows as a Latin-1 letter, "Â" to "ô"; a continuation byte (0x80
# to 0xBF) as a Windows-1252 mark ("€", "™", "“", "œ"...), as a symbol of Latin-1 ("¡" to "¿", the
# no-break space), or as a C1 control, which is what Latin-1 reads and what a browser keeps of the
# five bytes Windows-1252 leaves undefined.
_CONTINUATION = {chr(byte): byte for byte in range(0x80, 0xC0)}
_CONTINUATION.update({bytes([byte]).decode("cp1252"): byte for byte in range(0x80, 0xC0)
                      if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)})
_CONT = "[" + "".join(re.escape(char) for char in sorted(_CONTINUATION)) + "]"
_UNIT_PATTERN = f"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}"
_UNIT = lazy_compile(_UNIT_PATTERN)  # one character of two, three or four bytes, read so
_UNITS = lazy_compile(f"(?:{_UNIT_PATTERN})+")
# a run of them; or the first two bytes of a General Punctuation mark alone ("â€"), its last byte lost
# (0x9D, the last of "”", is undefined in Windows-1252 and the one most often dropped)
_MOJIBAKE = lazy_compile(f"(?:{_UNIT_PATTERN})+|\u00e2\u20ac")
# a text none of whose characters of Latin-1 is a lead holds no mojibake
_NOT_LEADS = bytes(byte for byte in range(256) if not 0xC2 <= byte <= 0xF4)
# What a character of two bytes mends to when it is mojibake of text a news site writes: the letters
# and symbols of Latin-1 and Latin Extended-A, the few of Extended-B in use (pinyin's tone marks,
# Romanian's ș and ț), Greek and Russian. Combining marks, the rest of Extended-B and the scripts
# written right to left are left out: capitals of Czech or French with "Ž" or "Š" after them
# ("PROHLÍŽEČ") read as those, and "×“" between Chinese titles as Hebrew. A character of three or
# four bytes, whose lead is a small letter followed by two or three marks, may be any but a
# private-use one.
_TWO_BYTE_KEPT = ((0xA0, 0x17F), (0x1CD, 0x1DC), (0x218, 0x21B), (0x386, 0x3CE), (0x400, 0x45F))
# What may follow a letter ending a word in real text: quotation marks, dashes, the ellipsis, a
# bullet, a middle dot, a no-break space ("IRMÃ”", "GÜÇ…", "indéterminé\u00a0»", "Další…“"), and
# the letters of Windows-1252 ("PÍŠE"). A lone character made only of these after its lead is
# mojibake only inside a word, a Latin letter after it ("Ã–sterreich", "Å“uvre"); but "Â", the lead
# of the symbols of Latin-1, ends no word.
_AMBIGUOUS = frozenset("‘’‚“”„‹›«»–—…•·\u00a0ŠŽŒŸšžœƒ")
def _mended(run: str) -> str | None:
    """``run`` (a match of ``_UNITS``) read back as the UTF-8 it was, or None when it is no UTF-8
    (an overlong form, a surrogate)."""
    try:
        return bytes(map(_CONTINUATION.get, run, map(ord, run))).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _plausible(char: str) -> bool:
    """Whether ``char``, mended from a unit, is one a news site writes (see ``_TWO_BYTE_KEPT``)."""
    code = ord(char)
    if code < 0x800:
        return any(first <= code <= last for first, last in _TWO_BYTE_KEPT)
    return not (0xE000 <= code <= 0xF8FF or code >= 0xF0000 or 0xFFF0 <= code <= 0xFFFF and code != 0xFFFD)


def _mojibake_matches(text: str, latin: bytes) -> list[re.Match]:
    """The matches of ``_MOJIBAKE`` in ``text`` (``latin``: its characters of Latin-1), found from the
    leads the text holds: each is looked for by ``str.find`` (in C, at the speed of ``memchr``), and a
    match is tried only where a continuation follows one. A regex search reads every character of
    the text, in Python's engine ten times slower (few texts hold any lead, and fewer a lead before
    a continuation)."""
    if latin.isascii():
        return []
    leads = latin.translate(None, _NOT_LEADS)
    if not leads:
        return []
    starts = []
    find, size = text.find, len(text) - 1
    for lead in map(chr, set(leads)):
        at = find(lead)
        while at >= 0:
            if at < size and text[at + 1] in _CONTINUATION:
                starts.append(at)
            at = find(lead, at + 1)
    found, done = [], 0
    for start in sorted(starts):
        if start >= done:
            match = _MOJIBAKE.match(text, start)
            if match is not None:
                found.append(match)
                done = match.end()
    return found


def _mojibake(text: str, latin: bytes):
    """(start, end, what it should be) of each run of mojibake in ``text`` (``latin``: its
    characters of Latin-1); "what it should be" is None for a mark whose last byte was lost."""
    for match in _mojibake_matches(text, latin):
        start, end = match.span()
        if _UNITS.fullmatch(text, start, end) is None:  # "â€" alone
            yield start, end, None
            continue
        kept = []  # (start, end, mended) of the units that are mojibake, in order
        for unit in _UNIT.finditer(text, start, end):
            mended = _mended(unit.group())
            if mended is not None and _plausible(mended):
                kept.append((unit.start(), unit.end(), mended))
        index = 0
        while index < len(kept):  # each run of units side by side
            first = index
            while index + 1 < len(kept) and kept[index + 1][0] == kept[index][1]:
                index += 1
            run_start, run_end = kept[first][0], kept[index][1]
            index += 1
            if first == index - 1 and text[run_start] != "\u00c2" \
                    and all(char in _AMBIGUOUS for char in text[run_start + 1:run_end]) \
                    and not (run_end < len(text) and text[run_end].isalpha() and text[run_end] < "\u0250"):
                continue  # a letter ending a word, then marks
            yield run_start, run_end, "".join(mended for _, _, mended in kept[first:index])


def _mend_again(mended: str) -> tuple[str, int]:
    """``mended``, mended again while it is mojibake itself (text read so twice over), and how
    many times it was read so in all."""
    times = 1
    while times < 4 and _UNITS.fullmatch(mended):
        again = _mended(mended)
        if again is None or not all(map(_plausible, again)):
            break
        mended, times = again, times + 1
    return mended, times


def _mojibake_message(garbled: str, mended: str | None) -> str:
    shown = _shown(garbled)
    if mended is None:
        return f"mojibake '{shown}': UTF-8 read as Windows-1252, its last byte lost (likely '”')"
    mended, times = _mend_again(mended)
    # Latin-1 when a byte shows as a C1 control and none as a mark only Windows-1252 has
    latin_1 = any("\x80" <= char <= "\x9f" for char in garbled) and all(char <= "\xff" for char in garbled)
    twice = "" if times == 1 else " twice" if times == 2 else f" {times} times"
    return f"mojibake '{shown}': UTF-8 read as {'Latin-1' if latin_1 else 'Windows-1252'}{twice}; " \
           f"should be '{_shown(mended)}'"


def _shown(text: str, most: int = 40) -> str:
    """``text`` for a message, up to ``most`` characters: invisible and white-space characters as
    their code points."""
    cut = text[:most]
    return "".join(char if char.isprintable() and not char.isspace() else f"<U+{ord(char):04X}>" for char in cut) \
        + ("…" if len(text) > most else "")


@rule("bad-characters", severity="error", fix="safe")
def bad_characters(doc, options):
    """Characters that should never reach a page.

    Reported anywhere in the file but code (code spans and code blocks show
    what a program prints or reads, escapes and all), front matter included, each
    at its position (a run of the same character is one finding): the
    replacement character U+FFFD left by a broken decoding; control characters
    other than tab, line feed and carriage return (form feeds and C1 controls
    included: they are invisible and break YAML and feeds); private-use
    characters (U+E000 to U+F8FF, planes 15 and 16), which show as boxes without
    the font they were made for; and, as warnings since they do no visible harm
    but break search and copying, stray zero-width characters (U+200B, U+200C,
    U+200D, U+2060 and a U+FEFF byte-order mark inside the text; the one opening
    the file is dropped on reading). A zero-width joiner inside an emoji sequence (``👨‍👩‍👧``) and ZWJ/ZWNJ between
    letters of Arabic-script or Indic text, where they are spelling, are allowed.
    A carriage return not followed by a line feed (an old Mac line break) is
    reported once, at the first: editors break the line there, git and lintnews do
    not, so line numbers disagree after it.

    Mojibake too: UTF-8 read as Windows-1252 (or Latin-1), each byte of a character
    shown as a character of its own (``â€™`` for ``’``, ``donÂ´t``, ``Ã©`` for ``é``,
    ``å¤§å®¶`` for ``大家``). A run of it is reported from its first character to its
    last, with the text it should be (mended twice over where it was read so twice).
    Only what mends to UTF-8, and to characters a news site writes (Latin letters and
    symbols, Greek and Russian letters, punctuation, CJK, emoji), counts: a Czech
    ``Tomáš`` or ``PROHLÍŽEČ``, or a ``×“`` between Chinese titles, is text. A letter
    that may end a word followed only by quotation marks, dashes, an ellipsis, a no-break
    space or a letter of Windows-1252 (Portuguese ``IRMÃ”``, French ``indéterminé »``)
    counts only with a letter after it. ``â€`` alone is a mark whose last byte was lost
    (most likely ``”``). A control character inside mojibake is part of that finding.

    Fix (safe): stray zero-width characters are removed. Nothing else is: U+FFFD stands
    for text that was lost, what a control or private-use character meant needs an
    editor, and so does mojibake: the message says what it should be, to check.

    Fails:

        <p>　　中新网北京8月2日电（王鑫蕊）日前\ufffd\ufffd……</p>

    Fails:

        Itâ€™s the classic broken scrape.

    Passes:

        <p>　　中新网北京8月2日电 （王鑫蕊）日前……</p>
    """
    text = doc.text
    latin = text.encode("latin-1", "ignore")  # its characters of Latin-1, for the tests in C of both kinds
    garbled = []  # (start, end) of each mojibake reported: a control character in one is part of it
    for start, end, mended in _mojibake(text, latin):
        if not doc.code_within(start, end):
            garbled.append((start, end))
            yield doc.violation(start, _mojibake_message(text[start:end], mended), end)
    for match in _bad_runs(text, latin):
        char = match.group(1)
        start, end = match.span()
        if doc.code_within(start, start + 1):
            continue  # inside code (the scan is made once a character is found)
        if garbled and within(garbled, start):
            continue
        if char in "\u200c\u200d" and end - start == 1 and 0 < start and end < len(text):
            before, after = text[start - 1], text[end]
            if char == "\u200d" and _emoji(before) and _emoji(after):
                continue
            if _joining_script(before) and _joining_script(after):
                continue
        severity = None
        if char in _ZERO_WIDTH:
            kind = "stray zero-width character"
            severity = Severity.WARNING
        elif char == "\ufffd":
            kind = "replacement character (broken decoding)"
        elif unicodedata.category(char) == "Co":
            kind = "private-use character"
        else:
            kind = "control character"
        count = end - start
        suffix = f" ×{count}" if count > 1 else ""
        yield doc.violation(start, f"{kind} {_name(char)}{suffix}", end, severity,
                            fix=Edit(start, end, "") if char in _ZERO_WIDTH else None)
    lone = _LONE_CR.search(text) if "\r" in text else None
    if lone:
        count = len(_LONE_CR.findall(text))
        yield doc.violation(lone.start(), f"carriage return (CR) without a line feed, {count} in the file: "
                                          "editors break the line here, git does not; save with LF line breaks")


@hookimpl
def lintnews_rules():
    return [original_title, empty_paragraph, bad_characters]

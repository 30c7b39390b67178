"""Markup rules: inline styling and CMS leftovers that scraped articles carry."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter

from lintnews import Edit, Option, hookimpl, rule
from lintnews.fix.edits import delete, line_starts, overlaps, remove_block, replace
from lintnews.lazy_re import compile_kept, lazy_compile
from lintnews.options import between, regexes
from lintnews.rules.body_text import markdown_text, pre_ranges, within
from lintnews.rules.image_residue import pixel
from lintnews.rules.image_sources import jsx_expression
from lintnews.rules.rendered import removal_keeps_emphasis, render
from lintnews.suppressions import suppressed

_BRACE_ENTITY_SOURCE = r"&(?:#0*12[35]|#[xX]0*7[bBdD]|[lr]brace|[lr]cub);"
_BRACE_ENTITY = lazy_compile(_BRACE_ENTITY_SOURCE)
_HOST = lazy_compile(r"(?:https?:)?//([^/?#:\s]+)", re.IGNORECASE)
_BLOCKS = frozenset({"p", "div", "td", "th", "li", "table", "section", "article", "blockquote"})
_OPENING_BRACE = lazy_compile(r"123|7b|lbrace|lcub", re.IGNORECASE)
_NAME = attrgetter("name")


@rule("inline-style", severity="warning", fix="safe", options={
    "allow": [],
    "tags": ["font", "center", "big", "strike", "tt", "basefont", "marquee", "blink"],
    "attributes": ["align", "bgcolor", "background", "valign", "border", "cellpadding", "cellspacing",
                   "hspace", "vspace", "nowrap", "clear", "color", "face"],
    "cms-attributes": ["cms-style", "data-mce-style"],
    "per-article": False,
})
def inline_style(doc, options):
    """Styling belongs to the site's theme, not to the article.

    Scraped articles carry the source site's styling, which fights the theme and
    breaks on mobile. Reported, each at its own position: ``style=`` attributes (at
    the attribute name) unless every property they set is listed in ``allow`` (for
    example ``text-align``; an empty ``style=""`` sets nothing and passes);
    ``<style>`` blocks, once each, their entity-escaped braces (``&#123;``) included
    in the finding; presentational tags listed in ``tags`` (at their ``<``), with or
    without attributes, once per nest (``<font><font color="red">`` is one finding,
    at the outermost); and presentational attributes listed in ``attributes`` (at
    the attribute name; not repeated on a tag already reported). A CMS's own styling
    attributes (``cms-attributes``, such as Sina's ``cms-style=``) usually sit on
    every paragraph: each is reported once per article, at its first use, with the
    number of elements carrying it. Markup in code, and HTML that renders as a code
    block (see ``leftover-markup``), is not checked, nor, in an ``.mdx`` file, a
    component (``<Highlight color="#25c2a0">``: a capital letter opens its name), whose
    attributes are its props, nor an attribute written as a JSX expression (``style={styles.box}``),
    nor an ``<img>`` that is a tracking pixel or spacer as ``tracking-pixel``'s defaults find it
    (its finding: the image goes, with its ``border="0" style="display:none"``).

    Fix (safe): a ``style=`` attribute is removed (or keeps only its allowed properties),
    as is a presentational attribute; a tag left without attributes keeps its content. A
    ``<style>`` block is removed whole, its escaped braces with it, with the gap it
    leaves; a nest of presentational tags is unwrapped at once: their start and end tags
    go, their content stays (``<center>`` becomes a plain ``<div>``, so that its lines
    stay apart). A CMS styling attribute is removed from every element carrying it.

    With ``per-article`` true, an article's ``style=`` attributes are one finding,
    at the first, with their number and properties, and so are its presentational
    tags and its presentational attributes; each such finding's fix is all of its
    elements' fixes (those that overlap wait for the next pass); an element a
    suppression covers stays out of it. ``lintnews init``
    sets it where styling sits in few articles, many elements each (a styled table,
    an imported post): one finding per article and kind is what an editor acts on.

    Fails:

        <p style="color:#333;font-size:20px">Markets closed higher.</p>

    Passes:

        <p>Markets closed higher.</p>
    """
    if not doc.scan.tags:
        return ()  # most articles of an archive have no tag: their options are not even read
    found = _styled_elements(doc, options)
    return _per_article(doc, found) if options["per-article"] else found


def _styled_elements(doc, options):
    """inline-style's findings, one per styled element (a nest of presentational tags is one)."""
    allowed = _lowered(tuple(options["allow"]))
    tags = _lowered(tuple(options["tags"]))
    attributes = _lowered(tuple(options["attributes"]))
    cms = _lowered(tuple(options["cms-attributes"]))
    scanned = doc.scan.tags
    nests = _nests(scanned, tags)
    cms_seen: dict[str, list] = {}  # CMS attribute name: [(attribute, on a presentational tag)], in order
    mdx = doc.mdx
    for index, tag in enumerate(scanned):
        if tag.closing:
            continue
        if mdx and doc.text[tag.offset + 1:tag.offset + 2].isupper():
            continue  # an MDX component (<Highlight color="…">): its attributes are its props
        if index in nests:
            yield doc.violation(tag.offset, f"presentational tag <{tag.name}>", tag.end,
                                fix=_nest_fix(doc, nests[index]))
        if tag.name == "style":
            yield doc.violation(tag.offset, _style_message(doc, tag), tag.end, fix=_style_block_fix(doc, tag))
            continue
        if tag.name == "img" and any(attr.name == "style" or attr.name in attributes or attr.name in cms
                                     for attr in tag.attrs) and pixel(tag) is not None:
            continue  # a tracking pixel or spacer (``width="1" height="1" border="0" style="display:none"``):
            # tracking-pixel's finding, once; the image goes, its styling with it
        for attr in tag.attrs:
            if mdx and jsx_expression(attr.value):
                continue  # a JSX expression (style={styles.box}): no CSS, nor a presentational value
            if attr.name == "style":
                properties = _css_properties(attr.value or "")
                if (attr.value or "").strip() and (not properties or not properties <= allowed):
                    shown = ", ".join(sorted(properties - allowed)) or "no property"
                    fix = None if tag.name in tags else _style_attribute_fix(doc, attr, allowed)
                    yield doc.violation(attr.offset, f"inline style attribute ({shown})", attr.end, fix=fix)
            elif attr.name in attributes and tag.name not in tags:
                yield doc.violation(attr.offset, f"presentational attribute {attr.name}= on <{tag.name}>",
                                    attr.end, fix=_attribute_fix(doc, attr))
            elif attr.name in cms:
                cms_seen.setdefault(attr.name, []).append((attr, tag.name in tags))
    for name, carriers in cms_seen.items():
        attr = carriers[0][0]
        where = f"on {len(carriers)} elements (first here)" if len(carriers) > 1 else "on an element"
        # on a presentational tag the attribute goes with the tag, when the nest's fix unwraps it
        fix = tuple(_attribute_fix(doc, carrier) for carrier, unwrapped in carriers if not unwrapped)
        yield doc.violation(attr.offset, f"CMS styling attribute {name}= {where}", attr.end, fix=fix or None)


# the findings that per-article gathers, by how their message starts: (kind, what each names)
_GATHERED = (("inline style attribute (", "inline style attributes", lazy_compile(r"\((.*)\)$")),
             ("presentational tag <", "presentational tags", lazy_compile(r"(<\w+>)$")),
             ("presentational attribute ", "presentational attributes", lazy_compile(r"attribute (\S+=)")))


def _per_article(doc, found):
    """``found`` with each gathered kind as one finding, at its first, naming its number and
    what it sets; a kind found once, CMS attributes and ``<style>`` blocks as they are, and so is
    an element a suppression covers (the suppression takes its finding, and its fix is not made)."""
    kinds: dict[str, list] = {}
    for violation in found:
        kind = next((entry for entry in _GATHERED if violation.message.startswith(entry[0])), None)
        if kind is None or suppressed(doc, "inline-style", violation.line, violation.column):
            yield violation
        else:
            kinds.setdefault(kind, []).append(violation)
    for (_, name, detail), violations in kinds.items():
        if len(violations) == 1:
            yield violations[0]
            continue
        named = sorted({part.strip() for v in violations for part in detail.search(v.message).group(1).split(",")})
        shown = ", ".join(named[:6]) + (", …" if len(named) > 6 else "")
        fix = _apart(edit for v in violations for edit in v.fix)
        yield violations[0]._replace(message=f"{len(violations)} {name} in the article ({shown}), the first here",
                                     fix=fix)


def _apart(edits) -> tuple[Edit, ...]:
    """The edits in order, leaving out any that overlaps one kept (it is found again next pass)."""
    kept: list[Edit] = []
    for edit in sorted(set(edits)):
        if not any(overlaps(edit, other) for other in kept):
            kept.append(edit)
    return tuple(kept)


def _nests(tags, names: frozenset[str]) -> dict[int, list[int]]:
    """The nests of presentational tags (``names``): the index of each nest's outermost start
    tag, with the indexes of all the start tags in it (its own first). A nest ends when all
    its tags are closed, or with the block it is in (a tag left open ends there)."""
    nests: dict[int, list[int]] = {}
    open_counts: dict[str, int] = {}  # presentational tags open around the current position
    current: list[int] = []
    for index, tag in enumerate(tags):
        if tag.closing and tag.name in _BLOCKS:
            open_counts.clear()
        if tag.name not in names:
            continue
        if tag.closing:
            if open_counts.get(tag.name):
                open_counts[tag.name] -= 1
            continue
        if not any(open_counts.values()):
            current = nests[index] = []
        current.append(index)
        open_counts[tag.name] = open_counts.get(tag.name, 0) + 1
    return nests


def _style_message(doc, tag) -> str:
    """The finding for a ``<style>`` start tag: it says when the block's braces are escaped."""
    raw = next((span for span in doc.scan.raw_text if span[0] == tag.end), None)
    if raw is not None and _BRACE_ENTITY.search(doc.text, *raw):
        return "<style> block in the article (its braces are escaped as &#123; &#125;)"
    return "<style> block in the article"


# Source-site residue: Sina's automatic stock links, <span id="stock_sz000001"><a class="keyword"
# data-sudaclick=…>平安银行</a></span><span id="quote_sz000001"></span>, reported once per link
RESIDUE_ID_PREFIXES = ["stock_", "quote_"]
RESIDUE_ATTRIBUTES = ["data-sudaclick"]
# what marks a fenced ```html block as a dump of a whole page rather than a code sample
PAGE_DUMP_MARKERS = ["<!doctype", "<html", "<body"]
# ... tutorials show small pages: a dump is longer, or carries the site's tracking
PAGE_DUMP_SIZE = 1000  # characters
TRACKING_MARKERS = ["beacon.sina.com.cn", "sudamod", "suda_code", "google-analytics.com", "googletagmanager.com"]
# WordPress shortcodes that exports and scrapes leave as text: the core's, then the page builders'
# (WPBakery, Divi, Avada, Shortcodes Ultimate, Enfold) and the forms' families
SHORTCODES = ["caption", "wp_caption", "embed", "gallery", "playlist", "audio", "video",
              r"vc_\w+", r"et_pb_\w+", r"fusion_\w+", r"su_\w+", r"av_\w+", "contact-form-7", "gravityforms?",
              # Jetpack's and WordPress.com's embeds, often written "[youtube=URL]"
              "youtube", "vimeo", "soundcloud", "googlemaps", "tweet", "dailymotion", "slideshare", "scribd",
              "wpvideo", "polldaddy"]
# Hugo shortcode arguments that site templates commonly pass through markdownify (Hugo's own
# figure: caption and attr): in them a Markdown escape is read as one
MARKDOWN_ARGUMENTS = ["caption", "attr", "text", "cite", "description", "summary"]


@rule("leftover-markup", severity="warning", fix="safe", options={
    "allow-comments": Option(["more", "truncate", "/?excerpt", "/?toc(?:[-_ ]?(?:start|stop|end))?(?:\\s.*)?",
                              "/?(?:markdownlint|textlint|prettier|vale|cspell|eslint)\\b.*"], regexes()),
    "tags": ["script", "iframe", "meta", "link"],
    "allow-embeds": ["youtube.com", "youtube-nocookie.com", "youtu.be", "player.vimeo.com",
                     "player.bilibili.com", "platform.twitter.com", "twitter.com", "x.com", "instagram.com",
                     "tiktok.com", "slideshare.net"],
    "entities": True,
    "residue-id-prefixes": RESIDUE_ID_PREFIXES,
    "residue-attributes": RESIDUE_ATTRIBUTES,
    "page-dump-markers": PAGE_DUMP_MARKERS,
    "page-dump-size": Option(PAGE_DUMP_SIZE, between(1, 100_000_000)),
    "tracking-markers": TRACKING_MARKERS,
    "shortcodes": Option(SHORTCODES, regexes(joined=True)),
    "markdown-arguments": MARKDOWN_ARGUMENTS,
    "comments-per-article": False,
})
def leftover_markup(doc, options):
    """CMS and converter leftovers: HTML comments, scripts, iframes, escaped braces, markup shown as text.

    Scrapers and CMS exports leave behind comments (``<!-- 正文下iframe -->``),
    ``<script>``, ``<iframe>``, ``<meta>`` and ``<link>`` tags (``tags`` lists the
    ones reported; ``lintnews init`` leaves out ``meta`` and ``link``, which readers never
    see, where they recur: in a tenth of the articles, three at least), and braces escaped
    as ``&#123;``/``&#125;`` in copied stylesheets. Each is reported at its start. A CMS marks a block with a comment
    pair (``<!-- X start -->`` … ``<!-- X end -->``, or the same comment twice around
    it): the pair is one finding, at the first. Braces inside a ``<style>`` block are
    part of ``inline-style``'s finding for the block, and those inside a reported
    ``<script>`` part of its finding; ``entities: false`` stops the brace check.

    Comments whose text matches one of the ``allow-comments`` regular expressions
    (whole text, case ignored) are kept: by default the excerpt markers of Hexo
    and Jekyll (``<!-- more -->``), Docusaurus (``<!-- truncate -->``) and Eleventy
    (``<!-- excerpt -->``) and tools' directives, with their arguments and closing forms
    (``<!-- TOC depthFrom:2 -->`` … ``<!-- /TOC -->``, ``<!-- tocstop -->``,
    ``<!-- prettier-ignore-start -->``, markdownlint, textlint, Vale, cSpell);
    lintnews's own suppression comments always are. With ``comments-per-article``
    true, an article's comments are one finding, at the first, naming a few and
    counting all, whose fix removes them all: a scraped site's page template leaves
    the same handful in every article (Sina's ``<!-- 正文下iframe -->``, ``<!-- 总声明 -->``
    …), one decision per article (a comment a suppression covers stays out of it);
    ``lintnews init`` sets it where the articles holding comments hold three or more on average. Video and social embeds are
    content: an ``<iframe>`` or ``<script>`` whose ``src`` is on a host in
    ``allow-embeds`` (or a subdomain of one) passes; by default YouTube, Vimeo,
    Bilibili's player, Twitter/X, Instagram and TikTok widgets, and SlideShare's slide decks
    (``lintnews init`` lists the hosts a repository's articles use). An empty list reports every embed.

    HTML indented four or more spaces after a blank line is an indented code block
    in CommonMark, as site generators render it: readers see its source. Such a
    block is reported once, at its first line, and so is a stretch of HTML that blank
    lines break into several such blocks (a table whose cells are parted by blank lines:
    one finding at its first block, counting the others, while only blank lines, markup
    at the margin and indented lines part them); the tags, comments and braces in it
    are not reported again (``promo-boilerplate`` still reads its text). A
    tutorial's sample is meant to be seen as code, and passes: a block after prose
    (not after HTML) that opens with markup no article body holds (``<VirtualHost>``,
    ``<html>``, ``<script>``), or that comes after a line ending with a colon and holds
    no Chinese (a quotation after ``他表示：`` is the article's), unless it opens with
    the ``<pre>`` or ``<code>`` that wrapped the source site's code sample. Code blocks and code spans are otherwise never checked.

    Source-site residue is reported too, once per block at its start: elements
    whose ``id`` starts with one of ``residue-id-prefixes`` or that carry one of
    ``residue-attributes`` (Sina's automatic stock links, ``<span
    id="stock_sz000001">``, ``<span id="quote_…">``, ``a.keyword`` with
    ``data-sudaclick``: a link with its quote is one finding); and a fenced
    ``html`` block holding a whole page, at its fence: one of
    ``page-dump-markers`` (case ignored: ``<!DOCTYPE``, ``<html``, ``<body``) in a
    block of ``page-dump-size`` (1000) characters or more — a tutorial's sample
    page is shorter — or one of ``tracking-markers`` (Sina's beacon, Google Analytics…).
    Empty lists switch these off.

    WordPress leftovers: its block comments pair like a CMS's
    (``<!-- wp:image {"id":1} -->`` … ``<!-- /wp:image -->`` is one finding), and its
    shortcodes, which site generators show as text, are reported at their opening,
    outside code: those named by ``shortcodes`` (regular expressions; case counts, as in WordPress;
    by default the core's ``[caption]``, ``[embed]``, ``[gallery]``, ``[audio]``,
    ``[video]``, ``[playlist]``, the page builders' and form plugins' families,
    ``vc_…``, ``et_pb_…``, and Jetpack's embeds, ``[youtube=https://…]``,
    ``[tweet https://…]``), when they have attributes (``[gallery ids="1,2"]``, a URL) or a
    closing shortcode (``[embed]…[/embed]``, one finding with it); a bare
    ``[video]`` may be a reference link's text and passes, as does a link's
    (``[video](…)``).

    Markdown converters' leftovers that readers see as text, outside code: Markdown escapes
    in a Hugo shortcode's arguments (``{{< legacy-img src="2014/05/NASA\\_App.jpg" >}}``):
    arguments are not Markdown, in ``{{% … %}}`` either, so the backslash stays, in a path
    that then names no file or in text that shows it. Each such argument is one finding, at
    its first backslash; a backslash counts only before the ASCII punctuation Markdown
    escapes (``\\_``, ``\\*``, ``\\[``, ``\\-``…), not Hugo's own ``\\"`` in a quoted value,
    and a value holding any other backslash keeps them all (``C:\\new``, ``\\d+\\.\\d+``), as do
    the arguments that site templates pass through ``markdownify``, where an escape is
    Markdown's (``markdown-arguments``: by default ``caption`` and ``attr``, as in Hugo's
    ``figure``, and ``text``, ``cite``, ``description``, ``summary``). Empty strong emphasis
    run into text by a rich-text conversion (``**界面新闻：****你…**``, ``word****word``),
    where its asterisks show: its paragraph is parsed as CommonMark, only when one is found
    (``**a****b**`` shows them, ``a****b****c`` pairs them off into emphasis), so a thematic
    break, code and escaped asterisks never count, nor a mask: four between digits
    (``138****5678``), or a paragraph's only asterisks after a colon (``密码：****``,
    ``password: ****``) or, in Chinese copy, beside a letter, digit or character (``尾号****的``,
    ``浙A****``); in raw HTML, they show as written, and in ``<pre>`` they are the text's. Four
    underscores are left alone: they are the blank of a form as often. And a backslash before
    a full-width or box-drawing bar (``文\\丨磊子 来源\\丨记者站``, ``\\｜``, ``\\│``):
    CommonMark escapes only ASCII punctuation, so it shows (not in a link's destination,
    ``<pre>`` or MDX's JavaScript).

    Fix (safe): a closed comment is removed with the gap it leaves, both markers of a
    CMS comment pair (the content between them stays); a brace entity becomes its
    brace, except inside ``<style>``/``<script>`` (where removing the block is the fix)
    and where the brace would make a template tag (``{{``, ``{%``, ``{#``). A Hugo
    shortcode's argument loses the backslashes of its Markdown escapes, and a backslash
    before a bar goes. Empty bold goes (with the spaces before it, at the end of a line), or
    else only as many of its asterisks as show, where parsing the paragraph again finds the
    asterisks gone, the text otherwise the same, and every strong or emphasised character
    still so (``**界面新闻：****你…**`` becomes ``**界面新闻：你…**``); all of a paragraph's
    such fixes are checked together too, and where they do not go together only its first is
    given (the next pass finds the others); a paragraph too long to check within the budget
    of an article (200,000 characters parsed again) gets none. Empty bold between two Latin
    letters, which may have stood for a space (``C-x****C-k``), or in raw HTML is left to an
    editor, as are scripts, iframes, meta and link tags, HTML shown as code, source-site
    residue, page dumps and WordPress shortcodes.

    Fails:

        <p>Markets closed higher.</p><!-- news_keyword_pub,stock, -->

    Passes:

        Markets closed higher.
        <!-- more -->
        Details follow.
    """
    allowed = tuple(options["allow-comments"])
    _comment_patterns(allowed)  # a bad pattern fails every article, comments or not
    yield from _html_shown_as_code(doc)
    scan = doc.scan
    if scan.comments:
        yield from _comments(doc, allowed, options["comments-per-article"])
    owners = set()  # where the raw text of a reported script or of a <style> starts: its braces are its own
    if scan.tags:  # most articles of an archive have no tag: their options are not even read
        tags = _lowered(tuple(options["tags"]))
        hosts = _lowered(tuple(options["allow-embeds"]))
        for tag in scan.tags:
            if tag.closing:
                continue
            if tag.name == "style":
                owners.add(tag.end)
            elif tag.name in tags and not _allowed_embed(tag, hosts):
                yield doc.violation(tag.offset, f"<{tag.name}> left in the article", tag.end)
                owners.add(tag.end)
        yield from _residue_tags(doc, tuple(options["residue-id-prefixes"]),
                                 frozenset(options["residue-attributes"]))
    if scan.code:
        yield from _page_dumps(doc, _lower_each(tuple(options["page-dump-markers"])), options["page-dump-size"],
                               _lower_each(tuple(options["tracking-markers"])))
    if options["entities"]:
        yield from _braces(doc, owners)
    if options["shortcodes"]:
        yield from _shortcodes(doc, tuple(options["shortcodes"]))
    text = doc.text
    if "\\" in text:  # (one character: the quickest search of a text)
        if "{{" in text:
            yield from _shortcode_escapes(doc, _lowered(tuple(options["markdown-arguments"])))
        yield from _escaped_bars(doc)
    asterisk = text.find("*")
    if asterisk >= 0 and text.find("****", asterisk) >= 0:
        yield from _empty_strong(doc)


_HTML_AS_CODE = "HTML indented 4+ spaces renders as a code block: readers see its source (unindent it)"
# a line that keeps two indented blocks in one stretch of HTML: blank, markup at the margin, or
# indented (a line's "\r" kept before its "\n", where the file's lines end in both, is no text)
_STRETCH_LINE = lazy_compile(r"[ \t]*(?:<.*)?\r?|(?: {4}|\t).*")


def _html_shown_as_code(doc):
    """One finding per stretch of HTML that blank lines break into indented code blocks (a
    table whose cells are parted by blank lines is one defect, however many cells), at its
    first block, counting the others."""
    text = doc.text
    blocks = doc.html_code
    at = 0
    while at < len(blocks):
        first = last = at
        while last + 1 < len(blocks) and _one_stretch(text, blocks[last][1], blocks[last + 1][0]):
            last += 1
        at = last + 1
        start = blocks[first][0]
        line_end = text.find("\n", start)
        message = _HTML_AS_CODE
        if last > first:
            more = last - first
            message += (f", here and in {more} more block{'s' if more > 1 else ''} of the same HTML up to line "
                        f"{doc.position(blocks[last][0])[0]}")
        yield doc.violation(start, message, line_end if line_end >= 0 else len(text))


def _one_stretch(text: str, end: int, start: int) -> bool:
    """Whether every line between two indented blocks (from ``end`` to ``start``) is blank, markup
    at the margin or indented: no prose parts them."""
    return all(_STRETCH_LINE.fullmatch(line) for line in text[end:start].split("\n")[1:-1])


def _comments(doc, allowed: tuple[str, ...], gathered: bool = False):
    """Findings for the comments: one per CMS marker pair, at its first comment, whose fix
    removes both markers; ``gathered``: the closed ones as one finding, where there are several."""
    open_markers: dict[str, list] = {}  # marker key: the comments of the pair it opened
    found = []  # (comment, message, the pair's comments or None)
    for comment in doc.scan.comments:
        text = comment.text.strip()
        if text.startswith("lintnews"):
            continue  # suppression directives are the core's business, never leftovers
        if not comment.closed:
            found.append((comment, "HTML comment is never closed: it hides the rest of the article", None))
            continue
        message = _comment_message(text, allowed)
        if message is None:
            continue
        key = _marker_key(text)
        pair = open_markers.pop(key, None)
        if pair is not None:
            pair.append(comment)  # the closing marker of a pair already found
            continue
        pair = open_markers[key] = [comment]
        found.append((comment, message, pair))
    closed = [(comment, pair) for comment, _, pair in found if pair is not None]
    if gathered and len(closed) > 1:  # a suppressed comment stays apart: its own finding, which the suppression takes
        closed = [(comment, pair) for comment, pair in closed
                  if not suppressed(doc, "leftover-markup", *doc.position(comment.offset))]
    if gathered and len(closed) > 1:
        gathered_ones = {id(comment) for comment, _ in closed}
        found = [entry for entry in found if id(entry[0]) not in gathered_ones]  # never closed, or suppressed
        first = closed[0][0]
        named = ", ".join(f"<!-- {_clip(comment.text, 24)} -->" for comment, _ in closed[:_COMMENTS_NAMED])
        more = ", …" if len(closed) > _COMMENTS_NAMED else ""
        every = sorted((comment for _, pair in closed for comment in pair), key=lambda comment: comment.offset)
        yield doc.violation(first.offset, f"{len(closed)} HTML comments left in the article ({named}{more}), "
                                          "the first here", first.end, fix=_comments_fix(doc, every))
    for comment, message, pair in found:
        if pair is None:
            yield doc.violation(comment.offset, message)
        else:
            yield doc.violation(comment.offset, message, comment.end, fix=_comments_fix(doc, pair))


_COMMENTS_NAMED = 3  # comments named in the finding that gathers an article's comments


def _comments_fix(doc, comments) -> tuple:
    """Remove the comments (one, or a marker pair) with the gaps they leave; where the gaps
    they take meet, as around a pair with nothing between, one edit takes both."""
    edits = [remove_block(doc.text, comment.offset, comment.end, doc.body_offset) for comment in comments]
    merged = [edits[0]]
    for edit in edits[1:]:
        if edit.start < merged[-1].end:
            merged[-1] = delete(merged[-1].start, max(merged[-1].end, edit.end))
        else:
            merged.append(edit)
    return tuple(merged)


def _braces(doc, owners: set[int]):
    """Entity-escaped braces, except in raw text (a script's or a style's) starting at one of ``owners``."""
    text = doc.markdown
    if "&" not in text:  # str's search finds that faster than the regex engine's own scan
        return
    owned = [(start, end) for start, end in doc.scan.raw_text if start in owners]
    for match in _BRACE_ENTITY.finditer(text, doc.body_offset):
        if any(start <= match.start() < end for start, end in owned):
            continue
        brace = "{" if _OPENING_BRACE.search(match.group()) else "}"
        yield doc.violation(match.start(), f"entity-escaped brace {match.group()} (write {brace!r})", match.end(),
                            fix=_brace_fix(doc, match.start(), match.end(), brace))


@lru_cache(maxsize=64)
def _shortcode_pattern(names: tuple[str, ...]) -> re.Pattern:
    """An opening or closing shortcode of one of ``names`` (as WordPress, case counts): "/" (group
    ``lintnews_close``), the name (``lintnews_name``) and what follows it up to its "]" on the same
    line (``lintnews_rest``); named, and so, as a name's own expression may hold groups."""
    joined = "|".join(f"(?:{name})" for name in names)
    return re.compile(rf"\[(?P<lintnews_close>/?)(?P<lintnews_name>(?:{joined}))(?=[\s\]/=])"
                      rf"(?P<lintnews_rest>[^\[\]\n]*)\]")


def _shortcodes(doc, names: tuple[str, ...]):
    """WordPress shortcodes outside code and comments: one finding per shortcode, at its opening,
    spanning to its closing one where it has one. An opening one counts when it has attributes
    (``[gallery ids="1,2"]``) or a closing one after it (``[embed]…[/embed]``): a bare
    ``[video]`` may be a reference link's text."""
    text = doc.markdown
    if "[" not in text:
        return
    found = list(_shortcode_pattern(names).finditer(text, doc.body_offset))
    if not found:
        return
    closings: dict[str, list[re.Match]] = {}
    for match in found:
        if match.group("lintnews_close"):
            closings.setdefault(match.group("lintnews_name"), []).append(match)
    paired: set[int] = set()  # closing ones reported with their opening one
    starts = {match.start() for match in found}
    next_closing: dict[str, int] = {}  # per name, the first of its closing ones an opening may still take
    for match in found:
        name = match.group("lintnews_name")
        if match.group("lintnews_close"):
            if match.start() not in paired:
                yield doc.violation(match.start(), f"WordPress shortcode [/{name}] left in the article: readers see "
                                                   "it as text", match.end())
            continue
        attributes = match.group("lintnews_rest").strip().rstrip("/").strip()
        after = text[match.end():match.end() + 1]
        if not attributes and (after in ("(", ":") or after == "[" and match.end() not in starts):
            continue  # a link's text ("[video](…)", "[video][v]") or a reference's label ("[video]: …")
        # the first closing one after it: openings come in order and take closings in order, so
        # each name's closings are read once, front to back
        candidates, at = closings.get(name, ()), next_closing.get(name, 0)
        while at < len(candidates) and candidates[at].start() < match.start():
            at += 1
        next_closing[name] = at
        closing = candidates[at] if at < len(candidates) else None
        if closing is None and "=" not in attributes and not attributes.startswith(("http://", "https://")):
            continue  # (Jetpack's embeds take the URL bare: "[tweet https://…]")
        end = match.end()
        if closing is not None:
            paired.add(closing.start())
            next_closing[name] = at + 1
            end = closing.end()
        shown = f"[{name} …]" if attributes else f"[{name}]"
        closed = f" … [/{name}]" if closing is not None else ""
        yield doc.violation(match.start(), f"WordPress shortcode {shown}{closed} left in the article: readers see "
                                           "it as text", end)


# -- Markdown converters' leftovers that show as text -------------------------------------------

# a Hugo shortcode, {{< … >}} or {{% … %}}, up to its first backslash (not past a brace, so
# that each character is read from one opening at most)
_HUGO_BACKSLASH = lazy_compile(r"\{\{([<%])(?:[^\\{}]|\}(?!\}))*+\\")
_HUGO_NAME = lazy_compile(r"\s*(/?[\w./-]+)")
# an argument: named or not; its value quoted (where Hugo's one escape is \"), raw in backquotes, or bare
_HUGO_ARGUMENT = lazy_compile(r'\s+(?:(?P<name>[\w.-]+)[ \t]*=[ \t]*)?'
                              r'(?:"(?P<quoted>(?:[^"\\\n]|\\.)*+)"|`(?P<raw>[^`]*+)`|(?P<bare>[^\s"`]++))')
# the ASCII punctuation that a Markdown backslash escapes; the backslash itself and the quote (Hugo's
# own escape in a quoted value) aside
_ESCAPED = frozenset("!#$%&'()*+,-./:;<=>?@[]^_`{|}~")


def _shortcode_escapes(doc, markdown_arguments: frozenset[str]):
    """Markdown escapes in Hugo shortcodes' arguments (outside code and comments), one finding
    per argument, at its first escape."""
    text = doc.markdown
    closers = {"<": -1, "%": -1}  # of each kind, the closing mark found last: the first after what follows
    # the shortcodes that hold a backslash, found by the regex engine: most hold none
    for match in _HUGO_BACKSLASH.finditer(text, doc.body_offset):
        kind = match.group(1)
        end = closers[kind]
        if end < match.end():
            end = closers[kind] = text.find(">}}" if kind == "<" else "%}}", match.end())
            if end < 0:
                closers[kind] = len(text)  # none closes after this one
        if 0 <= end < len(text) and text.find("{{", match.end(), end) < 0:  # not closed: "{{" opens another first
            yield from _escaped_arguments(doc, text, match.start() + 3, end, markdown_arguments)


def _escaped_arguments(doc, text: str, start: int, end: int, markdown_arguments: frozenset[str]):
    """The findings for the arguments of the shortcode between ``start`` (past its opening
    mark) and ``end`` (its closing mark) that hold Markdown escapes."""
    name = _HUGO_NAME.match(text, start, end)
    if name is None or name.group(1).startswith("/"):
        return  # "{{</* x */>}}" shows a shortcode as text; "{{< /x >}}" closes one
    position = 0
    for argument in _argument_matches(text, name.end(), end):
        position += argument.group("name") is None
        key = argument.group("name")
        if key is not None and key.lower() in markdown_arguments:
            continue
        group = next(group for group in ("quoted", "raw", "bare") if argument.group(group) is not None)
        value = argument.group(group)
        if "\\" not in value:
            continue
        escapes = _markdown_escapes(value, quoted=group == "quoted")
        if not escapes:
            continue
        unescaped = "".join(value[i:j] for i, j in zip((0, *(at + 1 for at in escapes)), (*escapes, len(value))))
        label = key if key is not None else f"{position}"
        value_start = argument.start(group)
        yield doc.violation(value_start + escapes[0],
                            f"Markdown escape in argument {label} of shortcode {name.group(1)}: shortcode arguments "
                            f"are not Markdown, the backslash stays (it should read \"{_clip(unescaped, 60)}\")",
                            argument.end(group), fix=replace(value_start, argument.end(group), unescaped))


def _argument_matches(text: str, at: int, end: int):
    """The arguments of a shortcode from ``at`` to its closing mark at ``end``, up to the first
    that does not read as one."""
    while at < end:
        argument = _HUGO_ARGUMENT.match(text, at, end)
        if argument is None:
            return
        yield argument
        at = argument.end()


def _markdown_escapes(value: str, quoted: bool) -> tuple[int, ...]:
    """Where the backslashes of a value escape ASCII punctuation as Markdown does; none when any
    other backslash shows the value holds real ones (a Windows path, ``C:\\new``; a pattern)."""
    found = []
    at = value.find("\\")
    while at >= 0:
        after = value[at + 1:at + 2]
        if after in _ESCAPED and after:
            found.append(at)
        elif not (quoted and after == '"'):
            return ()
        at = value.find("\\", at + 2)
    return tuple(found)


# empty strong emphasis, a rich-text conversion's leftover: exactly four asterisks
_EMPTY_STRONG = lazy_compile(r"(?<![*\\])\*{4}(?!\*)")
_DIGITS = frozenset("0123456789")
_LATIN = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_FIX_BUDGET = 200_000  # characters of paragraphs parsed again, per article, to check fixes


def _empty_strong(doc):
    """``****`` outside code whose asterisks CommonMark shows, decided by parsing its paragraph."""
    prose, text = markdown_text(doc), doc.text
    if prose is None:
        return  # an HTML article: no Markdown
    budget = [_FIX_BUDGET]  # characters of paragraphs parsed again, left to check fixes
    paragraph, found = (0, 0), []
    pre = None
    for match in _EMPTY_STRONG.finditer(prose, doc.body_offset):
        at = match.start()
        if at >= paragraph[1]:
            yield from _empty_strong_in(doc, paragraph, found, budget)
            paragraph, found = _paragraph(text, at, doc.body_offset), []
        if _masked(prose, at, paragraph):
            continue  # a mask: 138****5678, 浙A****, 密码：****
        pre = pre_ranges(doc) if pre is None else pre
        if pre and within(pre, at):
            continue  # preformatted text shows as written: its asterisks are the text's
        found.append(at)
    yield from _empty_strong_in(doc, paragraph, found, budget)


# what stands beside a mask in Chinese copy: a letter, a digit or a CJK character
_MASK_NEIGHBOUR = lazy_compile(r"\w")
_HAN_CHARACTER = lazy_compile("[\u4e00-\u9fff]")


def _masked(prose: str, at: int, paragraph: tuple[int, int]) -> bool:
    """Whether the ``****`` at ``at`` masks a number, a plate or a password rather than being
    an empty bold: between digits (``138****5678``), or the paragraph's only asterisks after a
    colon (``密码：****``, ``password: ****``) or, in Chinese copy, beside a letter, digit or
    CJK character (``尾号****的``, ``浙A****``). Empty bold comes with the bold it was cut
    from, or in English copy (``****This year``, ``App**** Challenge``)."""
    before, after = prose[at - 1:at], prose[at + 4:at + 5]
    if before in _DIGITS and after in _DIGITS:
        return True
    start, end = paragraph
    if prose.find("*", start, at) >= 0 or prose.find("*", at + 4, end) >= 0:
        return False
    if before in ("：", ":") or before == " " and prose[at - 2:at - 1] in ("：", ":"):
        return True
    return bool((before and _MASK_NEIGHBOUR.match(before) or after and _MASK_NEIGHBOUR.match(after))
                and _HAN_CHARACTER.search(prose, start, end))


def _empty_strong_in(doc, paragraph: tuple[int, int], candidates: list[int], budget: list[int]):
    """The findings among ``candidates``, all in ``paragraph``. Each fix is checked alone, and
    all of the paragraph's together (applied in one pass): where they do not go together, only
    the first is given, the others waiting for the next pass."""
    if not candidates:
        return
    text, start = doc.text, paragraph[0]
    rendering = render(_parsed_source(text[start:paragraph[1]]))
    runs, html = rendering.runs(), rendering.html_lines()
    found = []  # (offset of the run, its edit or None)
    for at in candidates:
        offset = at - start
        run = runs.get(offset)
        if run is None:  # not inline: in raw HTML its text shows as written
            if html and _in_lines(rendering, offset, html):
                found.append((offset, None))
        elif run.length == 4 and run.shown:
            latin = text[at - 1:at] in _LATIN and text[at + 4:at + 5] in _LATIN  # a lost space, maybe
            found.append((offset, None if latin else _empty_strong_edit(rendering, run, budget)))
    edits = [(offset, edit) for offset, edit in found if edit is not None]
    if budget[0] < 0:
        # a run checked alone found the budget spent: the paragraph's fixes could not all be
        # checked, and fixing one a pass would outlast the fixer's passes; none are given
        found = [(offset, None) for offset, _ in found]
    elif len(edits) > 1:
        together = _checked(budget, rendering, *zip(*edits))
        if together is None:  # the budget spent: as above
            found = [(offset, None) for offset, _ in found]
        elif not together:
            first = edits[0][0]
            found = [(offset, edit if offset == first else None) for offset, edit in found]
    for offset, edit in found:
        yield doc.violation(start + offset, "empty bold '****' shows as asterisks", start + offset + 4,
                            fix=edit and delete(start + edit[0], start + edit[1]))


def _in_lines(rendering, offset: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``offset`` of the rendering's source is on a line of one of ``spans`` (first line,
    past the last), the source's line starts found once."""
    starts = rendering.cache.get("line starts")
    if starts is None:
        starts = rendering.cache["line starts"] = line_starts(rendering.source)
    line = bisect_right(starts, offset) - 1
    return any(first <= line < last for first, last in spans)


def _empty_strong_edit(rendering, run, budget: list[int]) -> tuple[int, int] | None:
    """What to remove of a run of asterisks: all of it (with the spaces before it, if it ends
    its line), or else only as many as show, whichever is first found to take off the asterisks
    that show and change nothing else (see ``removal_keeps_emphasis``)."""
    source = rendering.source
    start, end = run.start, run.start + run.length
    line_end = source.find("\n", end)
    if not source[end:len(source) if line_end < 0 else line_end].strip():
        while start > 0 and source[start - 1] in " \t":
            start -= 1
    for edit in ((start, end), (run.start, run.start + run.shown)) if run.shown < run.length else ((start, end),):
        checked = _checked(budget, rendering, (run.start,), (edit,))
        if checked is None:
            budget[0] = -1  # spent: the paragraph gets no fixes (see _empty_strong_in)
            return None
        if checked:
            return edit
    return None


def _checked(budget: list[int], rendering, runs, edits) -> bool | None:
    """``removal_keeps_emphasis``, while the budget of characters parsed again lasts; None
    once it is spent."""
    if budget[0] < len(rendering.source):
        return None
    budget[0] -= len(rendering.source)
    return removal_keeps_emphasis(rendering, runs, edits)


def _paragraph(text: str, at: int, floor: int) -> tuple[int, int]:
    """The lines around ``at`` between blank lines (or the body's ends)."""
    start = text.rfind("\n", floor, at) + 1 or floor
    while start > floor:
        previous = text.rfind("\n", floor, start - 1) + 1 or floor
        if not text[previous:start - 1].strip():
            break
        start = previous
    end = text.find("\n", at)
    while end >= 0:
        following = text.find("\n", end + 1)
        if not text[end + 1:len(text) if following < 0 else following].strip():
            break
        end = following
    return max(start, floor), len(text) if end < 0 else end + 1


def _parsed_source(source: str) -> str:
    """``source`` with its line breaks as the parser counts them, each character where it was."""
    if "\r" in source:
        source = source.replace("\r\n", " \n").replace("\r", "\n")
    return source


# a backslash before a full-width or box-drawing bar, which CommonMark does not escape
_ESCAPED_BAR = lazy_compile(r"\\[丨｜│]")
# a link's destination, from its "](" to its ")" or the end of its line (read once, possessively)
_LINK_DESTINATION = lazy_compile(r"\]\([^)\n]*+\)?")


def _escaped_bars(doc):
    """A backslash, itself unescaped, before a bar that is not ASCII, outside code, tags, MDX's
    JavaScript, ``<pre>`` and link destinations."""
    text = doc.text
    prose = pre = destinations = None
    for match in _ESCAPED_BAR.finditer(text, doc.body_offset):
        at = match.start()
        prose = markdown_text(doc) if prose is None else prose
        if prose is None:
            return  # an HTML article: a backslash there is text
        if prose[at] != "\\":
            continue  # in code, a tag, a comment or JavaScript
        pre = pre_ranges(doc) if pre is None else pre
        if pre and within(pre, at):
            continue
        if destinations is None:
            destinations = [match.span() for match in _LINK_DESTINATION.finditer(text, doc.body_offset)]
        if destinations and within(destinations, at):
            continue  # in a link's destination, which no reader sees as text
        before = at
        while before > doc.body_offset and text[before - 1] == "\\":
            before -= 1
        if (at - before) % 2:
            continue  # an escaped backslash ("\\丨" shows one backslash, as meant)
        yield doc.violation(at, f"backslash before '{text[at + 1]}' shows as text: Markdown escapes only ASCII "
                                "punctuation", at + 2, fix=delete(at, at + 1))


# "X start" / "X end" / "/X": the words that make two comments one marker pair
_MARKER_END = lazy_compile(r"^/\s*|[\s_-]*(?:start|begin|end|stop|开始|结束)$", re.IGNORECASE)


# a WordPress block's comment: "wp:image {…}" opens what "/wp:image" closes
_BLOCK_COMMENT = lazy_compile(r"/?(wp:[\w/-]+)")


@lru_cache(maxsize=4096)
def _marker_key(text: str) -> str:
    block = _BLOCK_COMMENT.match(text)
    if block is not None:
        return block.group(1).lower()
    return _MARKER_END.sub("", " ".join(text.lower().split()))


def embed_host(tag) -> str | None:
    """The lower-cased host of a tag's ``src`` (``//host/x`` included), or None."""
    src = tag.get("src")
    match = _HOST.match(src.value.strip()) if src is not None and src.value else None
    return match.group(1).lower() if match else None


def _allowed_embed(tag, hosts: frozenset[str]) -> bool:
    """Whether an embed's ``src`` is on one of ``hosts`` (or a subdomain of one)."""
    host = embed_host(tag) if hosts else None
    return host is not None and any(host == allowed or host.endswith("." + allowed) for allowed in hosts)


def _residue_tags(doc, prefixes: tuple[str, ...], attributes: frozenset[str]):
    """Start tags of source-site residue, a stock link's tags (within a few of each other) once."""
    if not prefixes and not attributes:
        return
    tags = doc.scan.tags
    covered = -1  # tags up to this index belong to a residue block already reported
    for index, tag in enumerate(tags):
        if tag.closing or not tag.attrs or index <= covered:
            continue
        ident = tag.get("id")
        by_id = ident is not None and ident.value and ident.value.startswith(prefixes)
        if not by_id and attributes.isdisjoint(map(_NAME, tag.attrs)):
            continue
        covered = index + 5  # the link, its text's tags and the quote span after it
        shown = f'id="{ident.value}"' if by_id else next(attr.name for attr in tag.attrs if attr.name in attributes)
        yield doc.violation(tag.offset, f"source-site residue <{tag.name} {shown}> left in the article", tag.end)


_HTML_FENCE = lazy_compile(r"[ \t]*(?:`{3,}|~{3,})[ \t]*html\b", re.IGNORECASE)


def _page_dumps(doc, markers: tuple[str, ...], min_size: int, tracking: tuple[str, ...]):
    """Fenced ``html`` blocks that hold a whole page or a source site's tracking, once each, at
    the fence."""
    if not markers and not tracking:
        return
    code, text = doc.scan.code, doc.text
    if not code:
        return
    # the fence of each block is matched by map() and the blocks kept by compress(), both in C:
    # an archive has a hundred thousand code spans and blocks, few of them fenced html
    starts, ends = zip(*code)
    for start, end in compress(code, map(_HTML_FENCE.match, repeat(text), starts, ends)):
        block = text[start:end].lower()
        marker = next((marker for marker in tracking if marker in block), None)
        if marker is not None:
            yield doc.violation(start, f"scraped HTML with the source site's tracking ({marker!r}) "
                                       "pasted in the article")
        elif len(block) >= min_size and (marker := next((m for m in markers if m in block), None)) is not None:
            yield doc.violation(start, f"a dump of a whole web page (holding {marker!r}) pasted in the article")


@lru_cache(maxsize=32)
def _lowered(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name.lower() for name in names)


@lru_cache(maxsize=32)
def _lower_each(names: tuple[str, ...]) -> tuple[str, ...]:
    """The names lower-cased, in their order (the first found is the one reported)."""
    return tuple(name.lower() for name in names)


@lru_cache(maxsize=32)
def _comment_patterns(patterns: tuple[str, ...]) -> list[re.Pattern]:
    return [compile_kept(pattern, re.IGNORECASE | re.DOTALL) for pattern in patterns]


@lru_cache(maxsize=4096)
def _comment_message(text: str, allowed: tuple[str, ...]) -> str | None:
    """The finding for a closed comment (``text`` stripped), or None when one of the ``allowed``
    patterns matches it; remembered, as a site's CMS leaves the same comments in every article."""
    if any(pattern.fullmatch(text) for pattern in _comment_patterns(allowed)):
        return None
    return f"HTML comment left in the article: <!-- {_clip(text)} -->"


# -- fixes ---------------------------------------------------------------------------------------

_TEMPLATE_PAIRS = ("{{", "{%", "{#", "}}", "%}", "#}")
_BRACE_ENTITY_AT_END = lazy_compile(_BRACE_ENTITY_SOURCE + r"\Z")


def _brace_fix(doc, start: int, end: int, brace: str):
    """The brace itself, unless inside a script or style or where it would open or close a
    template tag of Hexo, Jekyll or Hugo with the character beside it (itself maybe escaped)."""
    if any(raw_start <= start < raw_end for raw_start, raw_end in doc.scan.raw_text):
        return None
    text = doc.text
    before = text[start - 1:start]
    if before == ";" and (previous := _BRACE_ENTITY_AT_END.search(text, max(0, start - 12), start)):
        before = "{" if _OPENING_BRACE.search(previous.group()) else "}"
    following = _BRACE_ENTITY.match(text, end)
    after = ("{" if _OPENING_BRACE.search(following.group()) else "}") if following else text[end:end + 1]
    if before + brace in _TEMPLATE_PAIRS or brace + after in _TEMPLATE_PAIRS:
        return None
    return replace(start, end, brace)


def _style_block_fix(doc, tag):
    """Remove ``<style>…</style>`` (with the gap it leaves); None when it is never closed."""
    for raw_start, raw_end in doc.scan.raw_text:
        if raw_start == tag.end:
            closer = doc.text.find(">", raw_end)
            if not doc.text.startswith("</", raw_end) or closer < 0:
                return None  # never closed: what to remove is not clear
            return remove_block(doc.text, tag.offset, closer + 1, doc.body_offset)
    return None if doc.text[tag.end - 2] != "/" else remove_block(doc.text, tag.offset, tag.end, doc.body_offset)


_BLOCK_PRESENTATIONAL = frozenset({"center"})


def _nest_fix(doc, indexes: list[int]):
    """Unwrap every presentational tag of a nest (given by the indexes of their start tags) at
    once: one finding, one fix. None when none of them can be unwrapped."""
    edits = []
    for index in indexes:
        unwrapped = _unwrap_fix(doc, index)
        if unwrapped is not None:
            edits.extend((unwrapped,) if isinstance(unwrapped, Edit) else unwrapped)
    return tuple(sorted(set(edits))) or None


def _unwrap_fix(doc, index: int):
    """Remove the start tag at ``index`` and its matching end tag, keeping what is between
    them; a block (``<center>``) becomes a plain ``<div>``, so that its lines stay apart."""
    tags = doc.scan.tags
    tag = tags[index]
    block = tag.name in _BLOCK_PRESENTATIONAL
    partner = _end_tags(doc, tag.name).get(index)
    if partner is not None:
        other = tags[partner]
        if block:
            return (replace(tag.offset, tag.end, "<div>"), replace(other.offset, other.end, "</div>"))
        return (delete(tag.offset, tag.end), delete(other.offset, other.end))
    return None if block else delete(tag.offset, tag.end)


def _end_tags(doc, name: str) -> dict[int, int]:
    """Index of each start tag named ``name`` -> index of its end tag (the first after it that
    closes as many of the name as opened after it), for the start tags that have one: paired in
    one pass per name and document, not read on from each start tag (quadratic on thousands)."""
    key = ("markup.end-tags", name)
    found = doc.cache.get(key)
    if found is None:
        found = doc.cache[key] = {}
        opened = []
        for index, tag in enumerate(doc.scan.tags):
            if tag.name == name:
                if not tag.closing:
                    opened.append(index)
                elif opened:
                    found[opened.pop()] = index
    return found


_SPACE_THEN_CLOSE = lazy_compile(r"[ \t\r\n]+(?=>)")


def _attribute_fix(doc, attr):
    """Remove an attribute with the space before it (and the space after it, when only ``>``
    follows: ``<td style="…" >`` becomes ``<td>``)."""
    start = attr.offset
    while start > 0 and doc.text[start - 1] in " \t\r\n":
        start -= 1
    space = _SPACE_THEN_CLOSE.match(doc.text, attr.end)
    return delete(start, space.end() if space else attr.end)


def _style_attribute_fix(doc, attr, allowed: frozenset[str]):
    """Remove a ``style=`` attribute, or keep only its allowed declarations."""
    kept = [part.strip() for part in (attr.value or "").split(";")
            if ":" in part and part.split(":", 1)[0].strip().lower() in allowed]
    if not kept or attr.value_offset is None:
        return _attribute_fix(doc, attr)
    if "&" in doc.text[attr.value_offset:attr.end]:
        return None  # entities in the value: rewriting it could change what it says
    quote = doc.text[attr.value_offset - 1]
    value = "; ".join(kept).replace('"' if quote == '"' else "'", "")
    end = attr.end - 1 if quote in "\"'" else attr.end
    return replace(attr.value_offset, end, value)


def _css_properties(style: str) -> set[str]:
    return {part.split(":", 1)[0].strip().lower() for part in style.split(";") if ":" in part}


def _clip(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


@hookimpl
def lintnews_rules():
    return [inline_style, leftover_markup]

"""Link rules: ``link-broken``, links that lead nowhere or to a page of the site by mistake.

Scraping and conversion break links as they break images: the target is dropped
(``[name]()``), replaced by the source page's script (``href="javascript:;"``), or
copied without its scheme (``[here](www.freedesktop.org/…)``), which a browser takes
for a page of this site. Only what is wrong as written is reported: nothing is fetched.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from operator import attrgetter
from pathlib import Path
from urllib.parse import unquote

from lintnews import Edit, hookimpl, rule
from lintnews.blocks import LIST_ITEM_LINE, parsed_code_blocks
from lintnews.lazy_re import lazy_compile
from lintnews.rules.image_paths import files_of
from lintnews.rules.body_text import markdown_text
from lintnews.rules.image_sources import label, link_definitions, markdown_images

# What most destinations are, passed over in C: a well-formed web address or a path from the
# site's root or the article's folder. Each pattern below comes in two: passing over them, and
# (for a text holding Cloudflare's e-mail protection link, which may be either) reading them all.
_PLAIN = r"(?!https?://[^\s/\\()<>\"']|[/.])"
_EMAIL_PROTECTION = "cdn-cgi/l/email-protection"


def _both(pattern: str, flags: int = 0) -> tuple:
    return lazy_compile(pattern % {"plain": _PLAIN}, flags), lazy_compile(pattern % {"plain": ""}, flags)


# A Markdown link's "](" and its destination, as CommonMark reads it (in angle brackets, or up to
# a space with balanced parentheses), then an optional title and the ")".
# (Each run of blanks is read possessively: a run read again from each of its splits is quadratic.)
_MARKDOWN_LINK = _both(r"\]\([ \t]*+%(plain)s(?P<dest><[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
                       r"(?:[ \t]++(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*+\)")
# a reference definition "[label]: destination" at the start of a line (up to three spaces in),
# found from its "[" (which the regex engine skips ahead to), the line's start looked behind for;
# not a footnote ("[^1]: …"), and the line may end in "\r\n"
_DEFINITION = _both(r"\[(?:(?<=^\[)|(?<=^ \[)|(?<=^  \[)|(?<=^   \[))(?!\^)[^\]\n]+\]:[ \t]*+%(plain)s"
                    r"(?P<dest><[^>\n]*>|[^\s]*)(?:[ \t]++(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t\r]*+$",
                    re.MULTILINE)
# an href and the start of its value; the name opens the pattern, so that the regex engine skips
# ahead to it (as it cannot with re.IGNORECASE, or with a word boundary first). Articles write it
# small: one in capitals (HREF, Href) is looked for only where the text holds one.
# A bare href (no value) is one too, as is one with blanks before its "=", which the scan reads.
_HREF_VALUE = (r"""(?<![\w-]%(name)s)(?:=[ \t\r\n]*(?:(["'])[ \t]*|(?=[^\s"'>]))%%(plain)s|(?=[\s/>]))""")
_SUSPECT_HREF = _both("href" + _HREF_VALUE % {"name": "href"})
# a text's first "]:" and "][": two characters, which the regex engine finds (reading the text for
# the first, in C) faster than str.find, whose search for more than one character is slow on CJK text
_DEFINITION_MARK, _REFERENCE_MARK = lazy_compile(r"\]:"), lazy_compile(r"\]\[")
_CAPITAL_HREF = lazy_compile("HREF|Href")  # one pass, where two searches for each took two
_NAME = attrgetter("name")
_SUSPECT_CAPITAL_HREF = _both("(?i:href)" + _HREF_VALUE % {"name": "(?i:href)"})

# What a destination is, read in order: the first that matches tells.
_NOWHERE = lazy_compile(r"(?:#|javascript:.*|about:blank)?", re.IGNORECASE | re.DOTALL)
_FILE = lazy_compile(r"file:.*|[a-z]:\\.*", re.IGNORECASE | re.DOTALL)
# a web address's scheme misspelt or mispunctuated: "ttps://", "hhttps://", "htps://",
# "https//", "https:/host", "http:\\host", "https;//", "http:://", "http:www."
_SCHEME_TYPO = lazy_compile(
    r"(?P<scheme>h{0,3}t{1,3}p{1,2}s{0,2})"
    r"(?P<mark>://|//|:/|:\\\\|;//|:{2,}//|:(?=www\.))(?P<rest>[^/\\].*)", re.IGNORECASE | re.DOTALL)
_NO_HOST = lazy_compile(r"https?://(?:/.*)?", re.IGNORECASE | re.DOTALL)
# a host name without a scheme: "www." and a name, or a name under a common top-level domain
# followed by a path or nothing ("github.com/", "LinuxCareer.com"). Top-level domains that are
# also file extensions (.sh, .py, .md, .in, .ai, .am, .ac, .au, .cc, .pl, .pm, .pt, .rs, .so,
# .ps, .mk, .ml, .mm, .mo, .st, .ar …) are not named: "[script](install.sh)" is a file beside
# the article; .org and .info (Emacs's notes, Texinfo manuals) only with "www." or a path.
_TOP_LEVEL = ("com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "io", "co", "tv", "me",
              "dev", "xyz", "top", "tech", "site", "online", "blog", "news", "cloud", "club", "ltd",
              "cn", "hk", "tw", "jp", "kr", "sg", "my", "th", "vn", "ph", "nz", "za", "br", "mx", "ca",
              "us", "uk", "ie", "eu", "de", "fr", "nl", "be", "lu", "ch", "at", "it", "es", "se",
              "no", "dk", "fi", "hu", "cz", "sk", "ro", "bg", "hr", "si", "gr", "tr", "il", "ru", "ua",
              "lt", "lv", "ee")
_BARE_HOST = lazy_compile(
    r"(?:(?P<www>www\d?\.)[a-z0-9-]+(?:\.[a-z0-9-]+)*|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?P<top>%s))(?::\d+)?"
    r"(?P<path>[/?#].*)?" % "|".join(_TOP_LEVEL), re.IGNORECASE | re.DOTALL)
_ALSO_FILE_EXTENSIONS = ("org", "info")


def _problem(dest: str) -> tuple[str, str, str | None] | None:
    """(kind, message, corrected destination or None) for a destination wrong as written; None
    for one that may be right. ``kind`` "nowhere" for a link that leads nowhere."""
    if _NOWHERE.fullmatch(dest):
        if not dest:
            return "nowhere", "link has no target: it leads nowhere", None
        if dest == "#":
            return "nowhere", "link target '#' leads nowhere (the top of the page)", None
        return "nowhere", f"link target {_shown(dest)!r} is a script or a blank page, not a page to read", None
    if _EMAIL_PROTECTION in dest:
        return "nowhere", (f"link target {_shown(dest)!r} is the source site's e-mail protection:"
                           " the address it hid did not come with the copy"), None
    if "{" in dest:
        return None  # a template's expression, filled in when the site is built
    if _FILE.fullmatch(dest):
        return "file", f"link target {_shown(dest)!r} is a file on the author's computer", None
    typo = _SCHEME_TYPO.fullmatch(dest)
    if typo is not None and not (typo["mark"] == "://" and typo["scheme"].lower() in ("http", "https")):
        fixed = f"{'https' if typo['scheme'].lower().endswith('s') else 'http'}://{typo['rest']}"
        return "scheme", f"link target {_shown(dest)!r} has a misspelt scheme: write {_shown(fixed)!r}", fixed
    if _NO_HOST.fullmatch(dest):
        return "host", f"link target {_shown(dest)!r} names no host", None
    bare = _BARE_HOST.fullmatch(dest)
    if bare is not None:
        fixed = "https://" + dest
        file_like = not (bare["www"] or bare["path"]) and bare["top"].lower() in _ALSO_FILE_EXTENSIONS \
            and dest.count(".") == 1  # "notes.org"; "calendar.opensuse.org" is a host
        return "bare-or-file" if file_like else "bare", (
            f"link target {_shown(dest)!r} has no scheme, so it leads to a page of this site: write {_shown(fixed)!r}"), fixed
    return None


def _a_web_address(doc, kind: str, dest: str, text: str | None) -> bool:
    """Whether a destination without a scheme is a web address rather than a file: it names no
    file beside the article, and where it could be either (``notes.org``) the link's ``text``
    names the host (``[PulseAudio](pulseaudio.org)``)."""
    if kind == "bare-or-file" and (text is None or dest.split(".", 1)[0].lower() not in text.lower()):
        return False
    if files_of(doc).root is not None:
        return True  # a document on other storage: its folder is not on this disk
    beside = Path(doc.fs_path).parent / unquote(dest.split("?", 1)[0].split("#", 1)[0])
    try:
        found = beside.exists()
    except (OSError, ValueError):  # a name no file can have (too long, a NUL): no file
        return True
    doc.depends_on(beside, on="exists")
    return not found


def _shown(dest: str) -> str:
    return dest if len(dest) <= 60 else dest[:59] + "…"


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` is escaped: an odd number of backslashes before it."""
    before = at
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 1


def _opening_bracket(text: str, close: int, stop: int) -> tuple[int | None, int]:
    """The "[" that the "]" at ``close`` closes, nested brackets balanced, within the paragraph
    (no blank line) and not before ``stop``, or None where none is; and how many characters were
    read to tell."""
    if text.rfind("[", stop, close) < 0:  # (in C) no "[" to find
        return None, 0
    depth, at = 0, close - 1
    while at >= stop:
        char = text[at]
        if char == "]" and not _escaped(text, at):
            depth += 1
        elif char == "[" and not _escaped(text, at):
            if depth == 0:
                return at, close - at
            depth -= 1
        elif char == "\n":
            line_start = text.rfind("\n", stop, at) + 1
            if line_start and text[line_start:at].isspace() or line_start == at:
                break  # a blank line before this one: another paragraph
        at -= 1
    return None, close - at


# How far back a link's "[" is looked for: a link's text is rarely longer than a few lines; and a
# page of "]" with no "[" would have each walk read all of them (quadratic), so once an article's
# walks have read ``_WALKED`` characters in all, each reads at most ``_SHORT_WALK``.
_LONG_WALK, _SHORT_WALK, _WALKED = 1000, 80, 100_000
# what a link to "#" is for, in its text: back to the top of the page
_TO_THE_TOP = lazy_compile(r"\btop\b|顶部|頂部|回到开头|[↑⬆▲^]", re.IGNORECASE)


_INDENTED_AS_CODE = lazy_compile(r" {0,3}\t| {4}")
_LINES_BACK = 100  # indented lines read back to find how a run of them starts: beyond, it is code


def _in_code_block(doc, at: int) -> bool:
    """Whether the line at ``at`` is in an indented code block. The scan leaves such blocks
    without markup to be read as prose; a link in one is a sample. A line indented as code (four
    spaces or a tab) in a run of such lines after a blank line may be one (a code block cannot
    interrupt a paragraph: the indented lines after a paragraph's line go on with it); under a
    list item it may be the item's own paragraph, so the block parser tells, for the few
    articles that have a wrong link on such a line. Told once per line, from the table of line
    starts (a line searched back per link is quadratic)."""
    line = doc.position(at)[0]
    told = doc.cache.setdefault("link-code-lines", {})
    if line not in told:
        text, current, inside = doc.text, line, True
        for _ in range(_LINES_BACK):
            start = doc.offset(current, 1)
            if not _INDENTED_AS_CODE.match(text, start):
                inside = False
                break
            if current == 1 or text[doc.offset(current - 1, 1):start].isspace():
                break  # the run starts the text, or a blank line comes before it
            current -= 1
        if inside and _list_item_before(doc, at):
            blocks = doc.cache.get("link-parsed-code")
            if blocks is None:
                blocks = doc.cache["link-parsed-code"] = [block for block in parsed_code_blocks(
                    text, doc.body_offset, len(text)) if block.indented]
            at_block = bisect_right(blocks, at, key=_BLOCK_START) - 1
            inside = at_block >= 0 and at < blocks[at_block].end
        told[line] = inside
    return told[line]


_BLOCK_START = attrgetter("start")


def _list_item_before(doc, at: int) -> bool:
    """Whether a list item's line comes before ``at``: the first is looked for once."""
    first = doc.cache.get("link-first-list-item")
    if first is None:
        found = LIST_ITEM_LINE.search(doc.text, doc.body_offset)
        first = doc.cache["link-first-list-item"] = len(doc.text) if found is None else found.start()
    return first < at


def _destination(match: re.Match) -> tuple[str, int, bool]:
    """A link's or definition's destination (group ``dest``) without its angle brackets, its
    offset, and whether it was written in them."""
    dest, at = match["dest"], match.start("dest")
    if dest.startswith("<"):
        return dest[1:-1], at + 1, True
    return dest, at, False


def markdown_link_problems(doc, every: bool = True):
    """(start of the link, offset of its destination, destination, problem, whether the
    destination is in angle brackets) of each Markdown link (inline, not an image nor in one's
    alt text, or a reference definition) whose destination is wrong as written; without
    ``every``, well-formed web addresses and paths are passed over unread."""
    text = markdown_text(doc)
    if text is None:
        return []
    start = doc.body_offset
    found = []
    walked = 0
    images = None
    for match in _MARKDOWN_LINK[every].finditer(text, start):
        dest, at, angled = _destination(match)
        problem = _problem(dest)
        if problem is None or _escaped(text, match.start()):
            continue
        if not doc.text.startswith(text[match.start():match.end()], match.start()):
            # a destination in angle brackets that reads as a tag ("<ttps://…>"), blanked in prose
            match = _MARKDOWN_LINK[1].match(doc.text, match.start())
            if match is None or not match["dest"].startswith("<"):
                continue
            dest, at, angled = _destination(match)
            problem = _problem(dest)
            if problem is None:
                continue
        walk = _LONG_WALK if walked < _WALKED else _SHORT_WALK
        opening, read = _opening_bracket(text, match.start(), max(start, match.start() - walk))
        walked += read
        if opening is None or text[opening - 1:opening] == "!" and not _escaped(text, opening - 1):
            continue  # no link, or an image (the image rules' finding)
        if _in_code_block(doc, opening) or problem[0] == "nowhere" and dest == "#" \
                and _TO_THE_TOP.search(text, opening + 1, match.start()):
            continue  # a code sample; a link back to the top of the page
        if problem[0].startswith("bare") and not _a_web_address(doc, problem[0], dest, text[opening + 1:match.start()]):
            continue
        if images is None:
            images = [(image.start(), image.end()) for image, _, _ in markdown_images(doc)]
            image_starts = [image_start for image_start, _ in images]
        index = bisect_right(image_starts, opening) - 1
        if index >= 0 and images[index][1] > opening and images[index][0] != opening - 1:
            continue  # in an image's alt text, which shows as text (not after an escaped "!": no image)
        found.append((opening, at, dest, problem, angled))
    first = _DEFINITION_MARK.search(text, start)
    if first is not None:
        # a definition's "]:" is on the line of its "[": none starts before the line of the first "]:",
        # where the search starts, rather than read the text before it again (its "^" and look-behind
        # see the text before where a search starts)
        for match in _DEFINITION[every].finditer(text, max(start, text.rfind("\n", 0, first.start()) + 1)):
            dest, at, angled = _destination(match)
            problem = _problem(dest)
            if problem is None or not dest:  # "[1]:" alone is a gap in a list of notes
                continue
            if problem[0].startswith("bare") and not _a_web_address(doc, problem[0], dest, None):
                continue
            found.append((match.start(), at, dest, problem, angled))
    return sorted(found, key=lambda item: item[0])


# a full or collapsed reference link, "[text][label]" or "[text][]" (group 1 the text, 2 the label)
_REFERENCE_LINK = lazy_compile(r"\[([^\[\]\n]+)\]\[([^\[\]\n]*)\]")
# what a reference label looks like: a number or a short name in ASCII ("[Abhishek][a]"); text
# that only looks like one ("[楠木ともり][ナノウ]", two bracketed lists) is left alone, as is
# a subscript in code or a URL ("v[fixed_version_id][]", "arr[i][j]")
_LABEL = lazy_compile(r"[A-Za-z0-9][\w .-]{0,30}", re.ASCII)
_SUBSCRIPTED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789&=?/_-)]")
_NUMBER = lazy_compile(r"\s*\d+\s*")


_ANY_DEFINITION = lazy_compile(r"^ {0,3}\[([^\]\n]+)\]:", re.MULTILINE)


def _labels_written(doc) -> set[str]:
    """The labels of every reference definition written in the article, code included; read once."""
    written = doc.cache.get("link-labels-written")
    if written is None:
        written = doc.cache["link-labels-written"] = {label(match[1]) for match in _ANY_DEFINITION.finditer(doc.text)}
    return written


def undefined_references(doc) -> list[tuple[int, int, str]]:
    """(start, end, label) of each reference link ``[text][label]`` whose label no definition of
    the article defines, which the page shows as written; not an image's (image-broken's), not
    a citation of numbers (``[3][4]``), not a footnote, and only where Markdown is read."""
    text = markdown_text(doc)
    if text is None or _REFERENCE_MARK.search(text) is None:
        return []
    found = []
    definitions = link_definitions(doc)
    for match in _REFERENCE_LINK.finditer(text, doc.body_offset):
        written, name = match.group(1, 2)
        name = name or written
        if label(name) in definitions:
            continue  # what most are: told first (each test below only passes a link over)
        before = text[match.start() - 1:match.start()]
        if not _LABEL.fullmatch(name) or _NUMBER.fullmatch(written) or not written.strip() \
                or before in _SUBSCRIPTED or before == "!" or text[match.end():match.end() + 1] in ("(", ":", "[") \
                or _escaped(text, match.start()):
            continue
        if _in_code_block(doc, match.start()):
            continue
        if label(name) in _labels_written(doc):
            continue  # defined where the scan reads code (a fence left open swallows the definitions)
        found.append((match.start(), match.end(), name))
    return found


def html_link_problems(doc, every: bool = True):
    """(the tag, the href attribute, problem) of each ``<a href>`` outside code and comments whose
    target is wrong as written; found from the text's suspect hrefs (``every``: all of them),
    looked up in the scan."""
    text = doc.text
    found = []
    tags = doc.scan.tags
    if "a" not in map(_NAME, tags):
        return found  # what most articles are: with no <a> (in C), the text is not searched for an href
    offsets = None
    capitals = _CAPITAL_HREF.search(text) is not None
    for match in (_SUSPECT_CAPITAL_HREF if capitals else _SUSPECT_HREF)[every].finditer(text, doc.body_offset):
        if offsets is None:  # the first suspect href: most articles with a link have none
            offsets = [tag.offset for tag in tags]
        index = bisect_right(offsets, match.start()) - 1
        if index < 0:
            continue
        tag = tags[index]
        if tag.name != "a" or tag.closing or tag.end <= match.start():
            continue  # in code, a comment or prose, or another element's href
        href = tag.get("href")
        if href is None or href.offset != match.start():
            continue
        value = (href.value or "").strip()  # a bare href is an empty one
        problem = _problem(value)
        if problem is None:
            continue
        shown = None  # the link's text, read where it tells
        if value == "#" or problem[0] == "bare-or-file":
            after = text[tag.end:tag.end + 200]  # (only this: the whole text lowered per link is quadratic)
            closing = after.lower().find("</a")
            shown = after[:closing] if closing >= 0 else None
        if value == "#" and shown is not None and _TO_THE_TOP.search(shown):
            continue  # a link back to the top of the page
        if problem[0].startswith("bare") and not _a_web_address(doc, problem[0], value, shown):
            continue
        found.append((tag, href, problem))
    return found


@rule("link-broken", severity="warning", fix="unsafe")
def link_broken(doc, options):
    """Links must lead somewhere: a target, a page rather than a script, a web address with its scheme.

    Reported in Markdown links (inline and reference definitions) and in ``<a href>``,
    outside code and comments: a link with no target (``[name]()``, ``href=""``), one
    to ``#`` (unless its text takes the reader back to the top: ``Back to top``,
    ``返回顶部``, ``↑``), a script (``javascript:void(0)``) or ``about:blank``; a
    source site's e-mail protection page (Cloudflare's ``/cdn-cgi/l/email-protection``,
    copied where an address was); a file on the author's computer (``file://``,
    ``C:\\``); a web address whose scheme is misspelt (``ttps://``, ``hhttps://``,
    ``https//``, ``http:/host``) or missing (``www.freedesktop.org/…``,
    ``github.com/``), which a browser takes for a page of this site; and ``http://``
    with no host; and a reference link whose label the article never defines
    (``作者：[Abhishek][a]`` without ``[a]: …``), which the page shows as written
    (``[3][4]``, a citation, and images, image-broken's, aside). Reported at the
    Markdown link's ``[`` (a definition at its line) or
    at the ``href``. Markdown links are read where a renderer reads Markdown: not in
    code, comments, tags, script or style contents, MDX expressions, lines indented as
    code (a list item's paragraph indented under it is read), an image's alt text, or
    an HTML article. Targets holding template code
    (``{{ }}``, ``{% %}``) are left alone, as are fragment links (``#notes``),
    footnotes and relative paths. Fix (unsafe: the address is a guess at what was
    meant): the scheme written as ``https://`` or ``http://``, as the misspelling
    suggests, and ``https://`` before a web address without one.

    Fails:

        详见[国家统计局网站](www.stats.gov.cn/sj/)，以及[原文]()。

    Passes:

        详见[国家统计局网站](https://www.stats.gov.cn/sj/)。[返回顶部](#)
    """
    every = _EMAIL_PROTECTION in doc.text  # (a link to it may be well formed)
    for opening, at, dest, (kind, message, fixed), angled in markdown_link_problems(doc, every):
        fix = None
        if fixed is not None and not angled:
            fix = Edit(at, at + len(dest), fixed)
        elif fixed is not None and not any(char.isspace() for char in fixed):
            fix = Edit(at - 1, at + len(dest) + 1, fixed)  # "<https://…>" would read as a tag
        yield doc.violation(opening, message, at + len(dest), fix=fix)
    for start, end, name in undefined_references(doc):
        yield doc.violation(start, f"link reference [{_shown(name)}] is not defined: the page shows"
                                   f" {_shown(doc.text[start:end])!r} as written", end)
    for tag, href, (kind, message, fixed) in html_link_problems(doc, every):
        fix = None
        if fixed is not None:
            value = href.value.strip()
            value_at = doc.text.find(value, href.value_offset, href.end)
            if value_at >= 0:
                fix = Edit(value_at, value_at + len(value), fixed)
        yield doc.violation(href.offset, message, href.end, fix=fix)


@hookimpl
def lintnews_rules():
    return [link_broken]

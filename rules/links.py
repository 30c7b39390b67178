"""Link rules: ``link-broken``, links that lead nowhere or to a page of the site by mistake.

Scraping and conversion break links as they break images: the target is dropped
(``[name]()``), replaced by the source page's script (``href="javascript:;"``), or
copied without its scheme (``[here](www.freedesktop.org/…)``), which a browser takes
for a page of this site. Only what is wrong as written is reported: nothing is fetched.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from lintnews import Edit, hookimpl, rule
from lintnews.lazy_re import lazy_compile

# What most destinations are, passed over in C: a well-formed web address or a path from the
# site's root or the article's folder. Each pattern below comes in two: passing over them, and
# (for a text holding Cloudflare's e-mail protection link, which may be either) reading them all.
_PLAIN = r"(?!https?://[^\s/\\()<>\"']|[/.])"
_EMAIL_PROTECTION = "cdn-cgi/l/email-protection"


def _both(pattern: str, flags: int = 0) -> tuple:
    return lazy_compile(pattern % {"plain": _PLAIN}, flags), lazy_compile(pattern % {"plain": ""}, flags)


# A Markdown link's "](" and its destination, as CommonMark reads it (in angle brackets, or up to
# a space with balanced parentheses), then an optional title and the ")".
_MARKDOWN_LINK = _both(r"\]\([ \t]*%(plain)s(?P<dest><[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
                       r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\)")
# a reference definition "[label]: destination" at the start of a line (up to three spaces in),
# found from its "[" (which the regex engine skips ahead to), the line's start looked behind for
_DEFINITION = _both(r"\[(?:(?<=^\[)|(?<=^ \[)|(?<=^  \[)|(?<=^   \[))[^\]\n]+\]:[ \t]*%(plain)s"
                    r"(?P<dest><[^>\n]*>|\S*)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*$",
                    re.MULTILINE)
# an href and the start of its value; the name opens the pattern, so that the regex engine skips
# ahead to it (as it cannot with re.IGNORECASE, or with a word boundary first). Articles write it
# small: one in capitals (HREF, Href) is looked for only where the text holds one.
_HREF_VALUE = r"""(?<![\w-]%(name)s)[ \t\r\n]*=[ \t\r\n]*(?:(["'])[ \t]*|(?=[^\s"'>]))%%(plain)s"""
_SUSPECT_HREF = _both("href" + _HREF_VALUE % {"name": "href"})
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
# also file extensions (.sh, .py, .md, .in, .ai, .am, .ac, .au, .cc, .pl, .pm, .rs, .so, .ps,
# .mk, .ml, .mm, .mo, .st, .ar …) are not named: "[script](install.sh)" is a file beside the article.
_TOP_LEVEL = ("com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "io", "co", "tv", "me",
              "dev", "xyz", "top", "tech", "site", "online", "blog", "news", "cloud", "club", "ltd",
              "cn", "hk", "tw", "jp", "kr", "sg", "my", "th", "vn", "ph", "nz", "za", "br", "mx", "ca",
              "us", "uk", "ie", "eu", "de", "fr", "nl", "be", "lu", "ch", "at", "it", "es", "pt", "se",
              "no", "dk", "fi", "hu", "cz", "sk", "ro", "bg", "hr", "si", "gr", "tr", "il", "ru", "ua",
              "lt", "lv", "ee")
_BARE_HOST = lazy_compile(
    r"(?:www\d?\.[a-z0-9-]+(?:\.[a-z0-9-]+)*|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:%s))(?::\d+)?(?:[/?#].*)?"
    % "|".join(_TOP_LEVEL), re.IGNORECASE | re.DOTALL)


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
    if _BARE_HOST.fullmatch(dest):
        fixed = "https://" + dest
        return "bare", (f"link target {_shown(dest)!r} has no scheme, so it leads to a page of this site:"
                        f" write {_shown(fixed)!r}"), fixed
    return None


def _shown(dest: str) -> str:
    return dest if len(dest) <= 60 else dest[:59] + "…"


def _opening_bracket(text: str, close: int, stop: int) -> tuple[int | None, int]:
    """The "[" that the "]" at ``close`` closes, nested brackets balanced, within the paragraph
    (no blank line) and not before ``stop``, or None where none is; and how many characters were
    read to tell."""
    if text.rfind("[", stop, close) < 0:  # (in C) no "[" to find
        return None, 0
    depth, at = 0, close - 1
    while at >= stop:
        char = text[at]
        if char == "]" and text[at - 1:at] != "\\":
            depth += 1
        elif char == "[" and text[at - 1:at] != "\\":
            if depth == 0:
                return at, close - at
            depth -= 1
        elif char == "\n" and text[at - 1:at] == "\n":
            break
        at -= 1
    return None, close - at


# How far back a link's "[" is looked for: a link's text is rarely longer than a few lines; and a
# page of "]" with no "[" would have each walk read all of them (quadratic), so once an article's
# walks have read ``_WALKED`` characters in all, each reads at most ``_SHORT_WALK``.
_LONG_WALK, _SHORT_WALK, _WALKED = 1000, 80, 100_000


def markdown_link_problems(doc, every: bool = True):
    """(start of the link, offset of its destination, destination, problem) of each Markdown link
    (inline, not an image, or a reference definition) whose destination is wrong as written;
    without ``every``, well-formed web addresses and paths are passed over unread."""
    text = doc.markdown  # code and comments blanked
    start = doc.body_offset
    found = []
    walked = 0
    for match in _MARKDOWN_LINK[every].finditer(text, start):
        dest = match["dest"]
        dest, at = (dest[1:-1], match.start("dest") + 1) if dest.startswith("<") else (dest, match.start("dest"))
        problem = _problem(dest)
        if problem is None:
            continue
        walk = _LONG_WALK if walked < _WALKED else _SHORT_WALK
        opening, read = _opening_bracket(text, match.start(), max(start, match.start() - walk))
        walked += read
        if opening is None or text[opening - 1:opening] == "!":
            continue  # no link, or an image (the image rules' finding)
        found.append((opening, at, dest, problem))
    if "]:" in text:
        for match in _DEFINITION[every].finditer(text, start):
            dest = match["dest"]
            dest, at = (dest[1:-1], match.start("dest") + 1) if dest.startswith("<") else (dest, match.start("dest"))
            problem = _problem(dest)
            if problem is not None and dest:  # "[1]:" alone is a gap in a list of notes
                found.append((match.start(), at, dest, problem))
    return sorted(found, key=lambda item: item[0])


def html_link_problems(doc, every: bool = True):
    """(the tag, the href attribute, problem) of each ``<a href>`` outside code and comments whose
    target is wrong as written; found from the text's suspect hrefs (``every``: all of them),
    looked up in the scan."""
    text = doc.text
    tags = offsets = None
    found = []
    capitals = "HREF" in text or "Href" in text
    for match in (_SUSPECT_CAPITAL_HREF if capitals else _SUSPECT_HREF)[every].finditer(text, doc.body_offset):
        if offsets is None:  # the first suspect href: most articles have none
            tags = doc.scan.tags
            offsets = [tag.offset for tag in tags]
        index = bisect_right(offsets, match.start()) - 1
        if index < 0:
            continue
        tag = tags[index]
        if tag.name != "a" or tag.closing or tag.end <= match.start():
            continue  # in code, a comment or prose, or another element's href
        href = tag.get("href")
        if href is None or href.value is None or href.offset != match.start():
            continue
        problem = _problem(href.value.strip())
        if problem is not None:
            found.append((tag, href, problem))
    return found


@rule("link-broken", severity="warning", fix="unsafe")
def link_broken(doc, options):
    """Links must lead somewhere: a target, a page rather than a script, a web address with its scheme.

    Reported in Markdown links (inline and reference definitions) and in ``<a href>``,
    outside code and comments: a link with no target (``[name]()``, ``href=""``), one
    to ``#``, a script (``javascript:void(0)``) or ``about:blank``; a file on the
    author's computer (``file://``, ``C:\\``); a web address whose scheme is misspelt
    (``ttps://``, ``hhttps://``, ``https//``, ``http:/host``) or missing
    (``www.freedesktop.org/…``, ``github.com/``), which a browser takes for a page of
    this site; and ``http://`` with no host. Reported at the Markdown link's ``[``
    (a definition at its line) or at the ``href``. Scraped page furniture keeps many
    script links (a site's menu, its log-in and share buttons): those of an article's
    HTML are one finding, at the first, with their number. Targets holding template
    code (``{{ }}``, ``{% %}``) are left alone, as are fragment links (``#notes``)
    and relative paths. Fix (unsafe: the address is a guess at what was meant): the
    scheme written as ``https://`` or ``http://``, as the misspelling suggests, and
    ``https://`` before a web address without one.

    Fails:

        详见[国家统计局网站](www.stats.gov.cn/sj/)，以及[原文]()。

    Passes:

        详见[国家统计局网站](https://www.stats.gov.cn/sj/)。
    """
    every = _EMAIL_PROTECTION in doc.text  # (a link to it may be well formed)
    for opening, at, dest, (kind, message, fixed) in markdown_link_problems(doc, every):
        fix = Edit(at, at + len(dest), fixed) if fixed is not None else None
        yield doc.violation(opening, message, at + len(dest), fix=fix)
    nowhere = []
    for tag, href, (kind, message, fixed) in html_link_problems(doc, every):
        if kind == "nowhere":
            nowhere.append((href, message))
            continue
        fix = None
        if fixed is not None:
            value_at = doc.text.find(href.value.strip(), href.value_offset, href.end)
            if value_at >= 0:
                fix = Edit(value_at, value_at + len(href.value.strip()), fixed)
        yield doc.violation(href.offset, message, href.end, fix=fix)
    if len(nowhere) == 1:
        href, message = nowhere[0]
        yield doc.violation(href.offset, message, href.end)
    elif nowhere:
        href, _ = nowhere[0]
        shown = doc.text[href.offset:href.end]
        yield doc.violation(href.offset, f"{len(nowhere)} links lead nowhere ({_shown(shown)} here, the first):"
                            " the source page's menus and buttons, or links that lost their target", href.end)


@hookimpl
def lintnews_rules():
    return [link_broken]

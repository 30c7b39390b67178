"""Markup rules: inline styling and CMS leftovers that scraped articles carry."""
from __future__ import annotations

import re
from functools import lru_cache

from lintnews import Option, hookimpl, rule
from lintnews.fix.edits import delete, remove_block, replace
from lintnews.options import between, regexes

_BRACE_ENTITY = re.compile(r"&(?:#0*12[35]|#[xX]0*7[bBdD]|[lr]brace|[lr]cub);")
_HOST = re.compile(r"(?:https?:)?//([^/?#:\s]+)", re.IGNORECASE)
_OPENING_BRACE = re.compile(r"123|7b|lbrace|lcub", re.IGNORECASE)


@rule("inline-style", severity="warning", fix="safe", options={
    "allow": [],
    "tags": ["font", "center", "big", "strike", "tt", "basefont", "marquee", "blink"],
    "attributes": ["align", "bgcolor", "background", "valign", "border", "cellpadding", "cellspacing",
                   "hspace", "vspace", "nowrap", "clear", "color", "face"],
})
def inline_style(doc, options):
    """Styling belongs to the site's theme, not to the article.

    Scraped articles carry the source site's styling, which fights the theme and
    breaks on mobile. Reported, each at its own position: ``style=`` attributes (at
    the attribute name) unless every property they set is listed in ``allow`` (for
    example ``text-align``); ``<style>`` blocks; presentational tags listed in
    ``tags`` (at their ``<``); and presentational attributes listed in
    ``attributes`` (at the attribute name; not repeated on a tag already reported).

    Fix (safe): a ``style=`` attribute is removed (or keeps only its allowed properties),
    as is a presentational attribute; a tag left without attributes keeps its content. A
    ``<style>`` block is removed with the gap it leaves; a presentational tag is
    unwrapped: its start and end tags go, its content stays (``<center>`` becomes a plain
    ``<div>``, so that its lines stay apart).

    Fails:

        <p style="color:#333;font-size:20px">Markets closed higher.</p>

    Passes:

        <p>Markets closed higher.</p>
    """
    allowed = _lowered(tuple(options["allow"]))
    tags = _lowered(tuple(options["tags"]))
    attributes = _lowered(tuple(options["attributes"]))
    for tag in doc.scan.tags:
        if tag.closing:
            continue
        if tag.name == "style":
            yield doc.violation(tag.offset, "<style> block in the article", tag.end, fix=_style_block_fix(doc, tag))
            continue
        if tag.name in tags:
            yield doc.violation(tag.offset, f"presentational tag <{tag.name}>", tag.end, fix=_unwrap_fix(doc, tag))
        for attr in tag.attrs:
            if attr.name == "style":
                properties = _css_properties(attr.value or "")
                if not properties or not properties <= allowed:
                    shown = ", ".join(sorted(properties - allowed)) or "empty"
                    fix = None if tag.name in tags else _style_attribute_fix(doc, attr, allowed)
                    yield doc.violation(attr.offset, f"inline style attribute ({shown})", attr.end, fix=fix)
            elif attr.name in attributes and tag.name not in tags:
                yield doc.violation(attr.offset, f"presentational attribute {attr.name}= on <{tag.name}>",
                                    attr.end, fix=_attribute_fix(doc, attr))


# Source-site residue: Sina's automatic stock links, <span id="stock_sz000001"><a class="keyword"
# data-sudaclick=…>平安银行</a></span><span id="quote_sz000001"></span>, reported once per link
RESIDUE_ID_PREFIXES = ["stock_", "quote_"]
RESIDUE_ATTRIBUTES = ["data-sudaclick"]
# what marks a fenced ```html block as a dump of a whole page rather than a code sample
PAGE_DUMP_MARKERS = ["<!doctype", "<html", "<body"]
# ... tutorials show small pages: a dump is longer, or carries the site's tracking
PAGE_DUMP_SIZE = 1000  # characters
TRACKING_MARKERS = ["beacon.sina.com.cn", "sudamod", "suda_code", "google-analytics.com", "googletagmanager.com"]


@rule("leftover-markup", severity="warning", fix="safe", options={
    "allow-comments": Option(["more", "toc", "(?:markdownlint|textlint|prettier|vale|cspell)\\b.*"], regexes()),
    "tags": ["script", "iframe"],
    "entities": True,
    "allow-embeds": [],
    "residue-id-prefixes": RESIDUE_ID_PREFIXES,
    "residue-attributes": RESIDUE_ATTRIBUTES,
    "page-dump-markers": PAGE_DUMP_MARKERS,
    "page-dump-size": Option(PAGE_DUMP_SIZE, between(1, 100_000_000)),
    "tracking-markers": TRACKING_MARKERS,
})
def leftover_markup(doc, options):
    """CMS leftovers: HTML comments, scripts, iframes and entity-escaped braces.

    Scrapers and CMS exports leave behind comments (``<!-- 正文下iframe -->``),
    ``<script>`` and ``<iframe>`` embeds, and braces escaped as ``&#123;``/``&#125;``
    in copied stylesheets. Each is reported at its start. Comments whose text
    matches one of the ``allow-comments`` regular expressions (whole text, case
    ignored) are kept: by default Hexo's ``<!-- more -->`` excerpt marker, ``toc``
    and other tools' directives; lintnews's own suppression comments always are. ``tags`` lists the embed tags reported;
    ``allow-embeds`` lists hosts whose embeds are the site's own choice (``www.youtube.com``,
    ``player.bilibili.com``): a tag whose ``src`` is on one of them, or on a subdomain,
    is kept. ``entities: false`` stops the brace check. Code blocks are never checked,
    except for one kind of residue below.

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

    Fix (safe): a closed comment is removed with the gap it leaves; a brace entity
    becomes its brace, except inside ``<style>``/``<script>`` (where removing the block
    is the fix) and where the brace would make a template tag (``{{``, ``{%``, ``{#``).
    Scripts, iframes, source-site residue and page dumps are left to an editor.

    Fails:

        <p>Markets closed higher.</p><!-- news_keyword_pub,stock, -->

    Passes:

        Markets closed higher.
        <!-- more -->
        Details follow.
    """
    allowed = tuple(options["allow-comments"])
    _comment_patterns(allowed)  # a bad pattern fails every article, comments or not
    for comment in doc.scan.comments:
        text = comment.text.strip()
        if text.startswith("lintnews"):
            continue  # suppression directives are the core's business, never leftovers
        if not comment.closed:
            yield doc.violation(comment.offset, "HTML comment is never closed: it hides the rest of the article")
        elif message := _comment_message(text, allowed):
            yield doc.violation(comment.offset, message, comment.end,
                                fix=remove_block(doc.text, comment.offset, comment.end, doc.body_offset))
    tags = _lowered(tuple(options["tags"]))
    hosts = _lowered(tuple(options["allow-embeds"]))
    for tag in doc.scan.tags:
        if tag.name in tags and not tag.closing and not _allowed_embed(tag, hosts):
            yield doc.violation(tag.offset, f"<{tag.name}> left in the article", tag.end)
    yield from _residue_tags(doc, tuple(options["residue-id-prefixes"]), frozenset(options["residue-attributes"]))
    yield from _page_dumps(doc, tuple(marker.lower() for marker in options["page-dump-markers"]),
                           options["page-dump-size"], tuple(marker.lower() for marker in options["tracking-markers"]))
    if options["entities"]:
        for match in _BRACE_ENTITY.finditer(doc.markdown, doc.body_offset):
            brace = "{" if _OPENING_BRACE.search(match.group()) else "}"
            yield doc.violation(match.start(), f"entity-escaped brace {match.group()} (write {brace!r})",
                                match.end(), fix=_brace_fix(doc, match.start(), match.end(), brace))


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
        if not by_id and attributes.isdisjoint(attr.name for attr in tag.attrs):
            continue
        covered = index + 5  # the link, its text's tags and the quote span after it
        shown = f'id="{ident.value}"' if by_id else next(attr.name for attr in tag.attrs if attr.name in attributes)
        yield doc.violation(tag.offset, f"source-site residue <{tag.name} {shown}> left in the article", tag.end)


_HTML_FENCE = re.compile(r"[ \t]*(?:`{3,}|~{3,})[ \t]*html\b", re.IGNORECASE)


def _page_dumps(doc, markers: tuple[str, ...], min_size: int, tracking: tuple[str, ...]):
    """Fenced ``html`` blocks that hold a whole page, once each, at the fence."""
    if not markers and not tracking:
        return
    for start, end in doc.scan.code:
        if _HTML_FENCE.match(doc.text, start, end):
            block = doc.text[start:end].lower()
            marker = next((marker for marker in tracking if marker in block), None)
            if marker is None and len(block) >= min_size:
                marker = next((marker for marker in markers if marker in block), None)
            if marker is not None:
                yield doc.violation(start, f"a dump of a whole web page (holding {marker!r}) pasted in the article")


@lru_cache(maxsize=32)
def _lowered(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name.lower() for name in names)


@lru_cache(maxsize=32)
def _comment_patterns(patterns: tuple[str, ...]) -> list[re.Pattern]:
    return [re.compile(pattern, re.IGNORECASE | re.DOTALL) for pattern in patterns]


@lru_cache(maxsize=4096)
def _comment_message(text: str, allowed: tuple[str, ...]) -> str | None:
    """The finding for a closed comment (``text`` stripped), or None when one of the ``allowed``
    patterns matches it; remembered, as a site's CMS leaves the same comments in every article."""
    if any(pattern.fullmatch(text) for pattern in _comment_patterns(allowed)):
        return None
    return f"HTML comment left in the article: <!-- {_clip(text)} -->"


# -- fixes ---------------------------------------------------------------------------------------

_TEMPLATE_PAIRS = ("{{", "{%", "{#", "}}", "%}", "#}")
_BRACE_ENTITY_AT_END = re.compile(_BRACE_ENTITY.pattern + r"\Z")


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


def _unwrap_fix(doc, tag):
    """Remove a start tag and its matching end tag, keeping what is between them; a block
    (``<center>``) becomes a plain ``<div>``, so that its lines stay apart."""
    tags = doc.scan.tags
    index = tags.index(tag)
    block = tag.name in _BLOCK_PRESENTATIONAL
    depth = 1
    for other in tags[index + 1:]:
        if other.name == tag.name:
            depth += -1 if other.closing else 1
            if depth == 0:
                if block:
                    return (replace(tag.offset, tag.end, "<div>"), replace(other.offset, other.end, "</div>"))
                return (delete(tag.offset, tag.end), delete(other.offset, other.end))
    return None if block else delete(tag.offset, tag.end)


_SPACE_THEN_CLOSE = re.compile(r"[ \t\r\n]+(?=>)")


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


def embed_host(tag) -> str | None:
    """The lower-cased host of a tag's ``src`` (``//host/x`` included), or None."""
    src = tag.get("src")
    match = _HOST.match(src.value.strip()) if src is not None and src.value else None
    return match.group(1).lower() if match else None


def _allowed_embed(tag, hosts: frozenset[str]) -> bool:
    host = embed_host(tag) if hosts else None
    return host is not None and any(host == allowed or host.endswith("." + allowed) for allowed in hosts)


def _css_properties(style: str) -> set[str]:
    return {part.split(":", 1)[0].strip().lower() for part in style.split(";") if ":" in part}


def _clip(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


@hookimpl
def lintnews_rules():
    return [inline_style, leftover_markup]

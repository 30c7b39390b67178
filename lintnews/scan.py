"""Source scanning: code, HTML comments and tags of an article body, with exact offsets.

lxml reports element lines only, so rules that point at a tag or an attribute use
these tokens, which carry character offsets into ``Document.text``. Markdown code
(fenced blocks and inline spans) is skipped: ``<img>`` in a code sample is prose.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

RAW_TEXT_TAGS = frozenset({"script", "style", "textarea", "xmp"})

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*$", re.MULTILINE)
_TOKEN = re.compile(
    r"(?P<comment><!--)"
    r"|(?P<tag><(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9:-]*)"
    r"(?P<attrs>(?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*+)"
    r"\s*(?P<selfclose>/?)>)"
    r"|(?P<ticks>`+)"
)
_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


@dataclass(frozen=True)
class Attr:
    """An attribute: lower-cased name, decoded value (None when bare) and offsets."""

    name: str
    value: str | None
    offset: int
    value_offset: int | None


@dataclass(frozen=True)
class Tag:
    """A start or end tag at ``offset`` (its ``<``) up to ``end`` (after its ``>``)."""

    name: str
    offset: int
    end: int
    closing: bool
    attrs: tuple[Attr, ...]

    def get(self, name: str) -> Attr | None:
        for attr in self.attrs:
            if attr.name == name:
                return attr
        return None


@dataclass(frozen=True)
class Comment:
    """An HTML comment from its ``<!--`` to after its ``-->`` (or the end, if unclosed)."""

    offset: int
    end: int
    text: str
    closed: bool


@dataclass(frozen=True)
class Scan:
    """What a body holds, in source order, with offsets into the whole file."""

    tags: tuple[Tag, ...]
    comments: tuple[Comment, ...]
    code: tuple[tuple[int, int], ...]
    raw_text: tuple[tuple[int, int], ...]


def fenced_code(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Ranges of fenced code blocks (fence lines included) between ``start`` and ``end``."""
    ranges = []
    pos = start
    while True:
        opening = _FENCE_OPEN.search(text, pos, end)
        if not opening:
            return ranges
        fence = opening.group(1)
        closing = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t\r]*$",
                             re.MULTILINE).search(text, opening.end(), end)
        stop = closing.end() if closing else end
        ranges.append((opening.start(), stop))
        pos = stop


def scan(text: str, start: int, end: int) -> Scan:
    """Tokenise ``text[start:end]``: comments, tags, code spans and raw-text contents."""
    tags: list[Tag] = []
    comments: list[Comment] = []
    code = fenced_code(text, start, end)
    raw: list[tuple[int, int]] = []
    segments = _between(start, end, code)
    for seg_start, seg_end in segments:
        pos = seg_start
        while True:
            match = _TOKEN.search(text, pos, seg_end)
            if not match:
                break
            if match.group("comment"):
                close = text.find("-->", match.end(), seg_end)
                stop = seg_end if close < 0 else close + 3
                comments.append(Comment(match.start(), stop, text[match.end():stop - 3 if close >= 0 else stop],
                                        close >= 0))
                pos = stop
            elif match.group("tag"):
                tag = _make_tag(text, match)
                tags.append(tag)
                pos = match.end()
                if tag.name in RAW_TEXT_TAGS and not tag.closing and not match.group("selfclose"):
                    closer = re.compile(r"</" + tag.name + r"\s*>", re.IGNORECASE).search(text, pos, seg_end)
                    stop = closer.start() if closer else seg_end
                    raw.append((pos, stop))
                    pos = stop
            else:
                ticks = match.group("ticks")
                stop = _code_span_end(text, match.end(), seg_end, ticks)
                if stop is None:
                    pos = match.end()
                else:
                    code.append((match.start(), stop))
                    pos = stop
    code.sort()
    return Scan(tuple(tags), tuple(comments), tuple(code), tuple(raw))


def blank(text: str, ranges) -> str:
    """``text`` with each range replaced by spaces, newlines kept, so offsets still match."""
    parts = []
    pos = 0
    for start, stop in sorted(ranges):
        if stop <= pos:
            continue
        start = max(start, pos)
        parts.append(text[pos:start])
        parts.append(re.sub(r"[^\n]", " ", text[start:stop]))
        pos = stop
    parts.append(text[pos:])
    return "".join(parts)


def _between(start: int, end: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    segments = []
    pos = start
    for hole_start, hole_end in holes:
        if hole_start > pos:
            segments.append((pos, hole_start))
        pos = max(pos, hole_end)
    if pos < end:
        segments.append((pos, end))
    return segments


def _code_span_end(text: str, pos: int, end: int, ticks: str) -> int | None:
    """End of the inline code span opened by ``ticks``, which may not cross a blank line."""
    limit = _BLANK_LINE.search(text, pos, end)
    stop = limit.start() if limit else end
    closing = re.compile(r"(?<!`)" + ticks + r"(?!`)").search(text, pos, stop)
    return closing.end() if closing else None


def _make_tag(text: str, match: re.Match) -> Tag:
    attrs = []
    attrs_start = match.start("attrs")
    for attr in _ATTR.finditer(match.group("attrs")):
        raw_value = next((g for g in attr.groups()[1:] if g is not None), None)
        value_offset = None
        if raw_value is not None:
            group = next(i for i in (2, 3, 4) if attr.group(i) is not None)
            value_offset = attrs_start + attr.start(group)
        attrs.append(Attr(attr.group(1).lower(),
                          html.unescape(raw_value) if raw_value is not None else None,
                          attrs_start + attr.start(1), value_offset))
    return Tag(match.group("name").lower(), match.start(), match.end(),
               bool(match.group("close")), tuple(attrs))

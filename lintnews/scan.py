"""Source scanning: code, HTML comments and tags of an article body, with exact offsets.

lxml reports element lines only, so rules that point at a tag or an attribute use
these tokens, which carry character offsets into ``Document.text``. Markdown code
(fenced and indented blocks, as ``lintnews.blocks`` finds them, and inline spans) is
skipped: ``<img>`` in a code sample is prose.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .blocks import code_blocks, fenced_code  # noqa: F401  (fenced_code: kept importable from here)

RAW_TEXT_TAGS = frozenset({"script", "style", "textarea", "xmp"})

# Each alternative starts with a literal "<" or "`", so the regex engine skips ahead to
# them; a token starts at the "<" of a comment or a tag, or at the first backtick.
_TOKEN = re.compile(
    r"<(?:(?P<comment>!--)"
    r"|(?P<tag>(/)?([A-Za-z][A-Za-z0-9:-]*)"
    r"((?:(?:[\s/]+|(?<=[\"']))[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+)?)?)*+)"
    r"[\s/]*?/?>))"
    r"|`(?P<ticks>`*)"
)
_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*(=)\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+))?)?")
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


# Named tuples, not dataclasses: an archive holds millions of tags and these are built per tag,
# by ``_new`` (the tuple constructor, which skips the named tuple's Python-level ``__new__``).
_new = tuple.__new__


class Attr(NamedTuple):
    """An attribute: lower-cased name, decoded value (None when bare), offsets of its name,
    its value and its end."""

    name: str
    value: str | None
    offset: int
    value_offset: int | None
    end: int


class Tag(NamedTuple):
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


class Comment(NamedTuple):
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
    indented: tuple[tuple[int, int], ...] = ()  # indented code blocks (also in ``code``)


def scan(text: str, start: int, end: int, blocks: bool = True) -> Scan:
    """Tokenise ``text[start:end]``: comments, tags, code spans and raw-text contents; code
    blocks too, unless ``blocks`` is false (for a stretch read as HTML, where none can be)."""
    tags: list[Tag] = []
    comments: list[Comment] = []
    found = code_blocks(text, start, end) if blocks else []
    code = [(block.start, block.end) for block in found]
    raw: list[tuple[int, int]] = []
    # The hot loop of every run: one search per token, a jump past comments, raw text
    # and code spans.
    find = _TOKEN.search
    spans = _CodeSpans(text)
    for seg_start, seg_end in _between(start, end, code):
        pos = seg_start
        while (match := find(text, pos, seg_end)) is not None:
            kind = match.lastgroup
            if kind == "tag":
                closing, name, attrs_text = match.group(3, 4, 5)
                name = name.lower()
                pos = match.end()
                attrs = () if not attrs_text or attrs_text.isspace() else _attrs(attrs_text, match.start(5))
                tags.append(_new(Tag, (name, match.start(), pos, closing is not None, attrs)))
                if name in RAW_TEXT_TAGS and closing is None and text[pos - 2] != "/":
                    closer = _closer(name).search(text, pos, seg_end)
                    stop = closer.start() if closer else seg_end
                    raw.append((pos, stop))
                    pos = stop
            elif kind == "comment":
                close = text.find("-->", match.end(), seg_end)
                stop = seg_end if close < 0 else close + 3
                comments.append(_new(Comment, (match.start(), stop,
                                               text[match.end():stop - 3 if close >= 0 else stop], close >= 0)))
                pos = stop
            else:
                stop = spans.end(match.end(), seg_end, match.group())  # the backticks
                if stop is None:
                    pos = match.end()
                else:
                    code.append((match.start(), stop))
                    pos = stop
    code.sort()
    indented = tuple((block.start, block.end) for block in found if block.indented)
    return Scan(tuple(tags), tuple(comments), tuple(code), tuple(raw), indented)


def blank(text: str, ranges) -> str:
    """``text`` with each range replaced by spaces, newlines kept, so offsets still match."""
    parts = []
    append = parts.append  # called twice per tag of every article
    pos = 0
    for start, stop in sorted(ranges):
        if stop <= pos:
            continue
        if start < pos:
            start = pos
        append(text[pos:start])
        hole = text[start:stop]
        if "\n" in hole:
            append("\n".join([" " * len(line) for line in hole.split("\n")]))
        else:
            append(" " * len(hole))
        pos = stop
    append(text[pos:])
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


class _CodeSpans:
    """Ends of inline code spans, found in time linear in the text: searches move forward only.

    Searching afresh from every backtick for the next blank line, or for a closing run that
    is not there, would read the rest of the text each time (quadratic on a page of stray
    backticks). The next blank line is remembered, and so is, per run of backticks, how far
    no closing run was found.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.blank = (-1, -1, 0)  # (searched from, searched to, where the blank line starts)
        self.unclosed: dict[str, tuple[int, int]] = {}  # ticks -> (searched from, up to) with no closer

    def end(self, pos: int, end: int, ticks: str) -> int | None:
        """End of the inline code span opened by ``ticks``, which may not cross a blank line."""
        start_from, end_at, found = self.blank
        if not (start_from <= pos and end == end_at and found >= pos):
            limit = _BLANK_LINE.search(self.text, pos, end)
            self.blank = (pos, end, limit.start() if limit else end)
        stop = self.blank[2]
        searched = self.unclosed.get(ticks)
        if searched is not None and searched[0] <= pos and stop == searched[1]:
            return None  # no closer between an earlier opener and this stop: none after this one
        closing = _ticks(ticks).search(self.text, pos, stop)
        if closing is None:
            self.unclosed[ticks] = (pos, stop)
            return None
        return closing.end()


@lru_cache(maxsize=None)
def _closer(name: str) -> re.Pattern:
    return re.compile(r"</" + name + r"\s*>", re.IGNORECASE)


@lru_cache(maxsize=64)
def _ticks(ticks: str) -> re.Pattern:
    return re.compile(r"(?<!`)" + ticks + r"(?!`)")


def _attrs(attrs_text: str, attrs_start: int) -> tuple[Attr, ...]:
    attrs = []
    for attr in _ATTR.finditer(attrs_text):
        value = value_offset = None
        if attr.group(2):  # "name=" with no value is an empty value, as browsers read it
            group = attr.lastindex  # 3, 4 or 5: the value in double, single or no quotes
            value = attr.group(group) if group > 2 else ""
            value_offset = attrs_start + (attr.start(group) if group > 2 else attr.end(2))
            if "&" in value:
                value = html.unescape(value)
        attrs.append(_new(Attr, (attr.group(1).lower(), value, attrs_start + attr.start(1), value_offset,
                                 attrs_start + attr.end())))
    return tuple(attrs)

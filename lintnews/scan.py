"""Source scanning: code, HTML comments and tags of an article body, with exact offsets.

lxml reports element lines only, so rules that point at a tag or an attribute use
these tokens, which carry character offsets into ``Document.text``. Code (fenced and
indented blocks and a site generator's template code blocks, such as ``{% highlight %}``,
as ``lintnews.blocks`` finds them, and inline spans) is skipped: ``<img>`` in a code
sample is prose.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .blocks import code_blocks, fenced_code, with_template_code  # noqa: F401  (fenced_code: kept importable from here)
from .lazy_re import lazy_compile

RAW_TEXT_TAGS = frozenset({"script", "style", "textarea", "xmp"})

# A comment or a tag, from its "<" (a comment's "<!--" only).
_MARKUP = (r"<(?:(?P<comment>!--)"
           r"|(?P<tag>(/)?([A-Za-z][A-Za-z0-9:-]*)"
           r"((?:(?:[\s/]+|(?<=[\"']))[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+)?)?)*+)"
           r"[\s/]*?/?>))")
# What ``scan`` searches for: the same, with a comment read whole, up to its "-->" or the end
# of the stretch searched (where ``\Z`` matches), so that the search goes on after it; and a
# lone "<" that opens no comment or tag is a match too (no group set), so that the search
# (opening with a literal "<", it skips ahead to each) sees where a "<" opened none, which
# ``_Unclosed`` needs to be told.
_COMMENT_OPENING = "(?P<comment>!--)"
assert _MARKUP.count(_COMMENT_OPENING) == 1  # what _TOKEN reads a comment whole in place of
_TOKEN = lazy_compile("<(?:" + _MARKUP[1:].replace(_COMMENT_OPENING, r"(?P<comment>!--(?s:.*?)(?:-->|\Z))")
                      + "|)")
_TICK_RUN = lazy_compile(r"`+")
# A "<" that opens no tag was, for the regex, a tag whose attributes it read as far as they go
# before finding no ">": reading them again from every "<" among them is quadratic (on
# "<a <a <a ..." each "<a" is an attribute of the one before). ``_Unclosed`` reads them once,
# one step of the possessive attribute loop of ``_MARKUP`` at a time, with these pieces of it.
_TAG_HEAD = lazy_compile(r"</?[A-Za-z][A-Za-z0-9:-]*")
_ATTR_STEP = lazy_compile(r"(?:[\s/]+|(?<=[\"']))[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+)?)?")
_TAG_END = lazy_compile(r"[\s/]*?/?>")
_ATTR = lazy_compile(r"([^\s\"'>/=]+)(?:\s*(=)\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+))?)?")
_BLANK_LINE = lazy_compile(r"\n[ \t\r]*\n")
# an attribute written ``name="value"`` after white space, as most are: ``_ATTR`` reads it alike
_QUOTED_ATTR = lazy_compile(r"(\s+)([^\s\"'>/=]+)=\"([^\"]*)\"")


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
    found = with_template_code(text, start, end, code_blocks(text, start, end)) if blocks else []
    code = [(block.start, block.end) for block in found]
    read = _Reader(text)
    find = text.find
    spans = _CodeSpans(text)
    unclosed = read.unclosed
    # Every token starts at a "<" or a backtick, which str.find reaches several times faster
    # than a regex search reading each character. The markup between two backticks is read by
    # one regex search (``_Reader.markup``), which stops only at a raw-text element or at a
    # "<" that opens a tag's name but no tag; each run of backticks by ``_CodeSpans.read``.
    for seg_start, seg_end in _between(start, end, code):
        unclosed.end = seg_end  # (what it knows of earlier stretches lies before this one)
        pos = seg_start
        tick = -1  # the next backtick at or after pos (seg_end: none)
        while pos < seg_end:
            if tick < pos:
                tick = find("`", pos, seg_end)
                if tick < 0:
                    tick = seg_end
            angle = find("<", pos, tick)
            if angle >= 0:
                if angle < unclosed.reach:  # among the attributes of a "<" that opened no tag
                    pos = angle + 1 if unclosed.skips(angle) else read.one(angle, seg_end)
                else:
                    pos = read.markup(angle, seg_end, tick)
                continue
            if tick >= seg_end:
                break
            pos, closed = spans.read(tick, seg_end)
            if closed:
                code.append((tick, pos))
    code.sort()
    indented = tuple((block.start, block.end) for block in found if block.indented)
    return Scan(tuple(read.tags), tuple(read.comments), tuple(code), tuple(read.raw), indented)


class _Reader:
    """The tags, comments and raw-text contents of a scan, read from one "<" after another."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tags: list[Tag] = []
        self.comments: list[Comment] = []
        self.raw: list[tuple[int, int]] = []
        self.unclosed = _Unclosed(text)

    def markup(self, start: int, end: int, tick: int) -> int:
        """Read the comments and tags from the "<" at ``start`` on, up to the last "<" before
        the backtick at ``tick`` (``end``: none); where the scan goes on from: after what was
        read, at ``tick`` or further when a tag holds it in an attribute's value."""
        return self._read(_TOKEN.finditer(self.text, start, end), end, tick)

    def one(self, at: int, end: int) -> int:
        """Read what the "<" at ``at`` opens (a comment, a tag or nothing) alone; where the scan
        goes on from."""
        return self._read((_TOKEN.match(self.text, at, end),), end, at)

    def _read(self, matches, end: int, tick: int) -> int:
        # The hot loop of every run: tags are most tokens, so theirs is the first branch and
        # their Tag is built here, not by a function per tag. A raw-text element or a "<"
        # that opens a tag's name but no tag ends the run: the scan goes on from there.
        text = self.text
        add_tag = self.tags.append
        done = -1  # where the last token read ends
        for match in matches:
            at = match.start()
            if at > tick:
                break
            closing, name, attrs_text = match.group(3, 4, 5)
            if name is not None:  # a tag (its name is set in no other match)
                name = name.lower()
                done = match.end()
                # (an attribute holds a name character: a run of them is never blank)
                add_tag(_new(Tag, (name, at, done, closing is not None,
                                   _attrs(attrs_text, match.start(5)) if attrs_text else ())))
                if closing is None and name in RAW_TEXT_TAGS and text[done - 2] != "/":
                    closer = _closer(name).search(text, done, end)
                    stop = closer.start() if closer else end
                    self.raw.append((done, stop))
                    return stop
            elif match.lastgroup == "comment":  # read whole, to its "-->" or the end of the stretch
                done = match.end()
                closed = text.endswith("-->", at + 4, done)
                self.comments.append(_new(Comment, (at, done, text[at + 4:done - 3 if closed else done], closed)))
            else:  # a "<" that opens no tag or comment
                done = at + 1
                if self.unclosed.failed(at):  # the "<"s among its attributes are read one by one
                    return done
        return done if done > tick else tick


_SPACES_BUT_LINE_BREAKS = bytes(10 if byte == 10 else 32 for byte in range(256))  # a bytes.translate table


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
        if "\n" not in hole:
            append(" " * (stop - start))
        else:  # (a code block, front matter) each character mapped in C, no line split out: encoded
            # as ASCII, any other character is one "?" (the "replace" error handler), so each
            # character is one byte, which the table maps to a space, but "\n"
            append(hole.encode("ascii", "replace").translate(_SPACES_BUT_LINE_BREAKS).decode("ascii"))
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

    def read(self, tick: int, end: int) -> tuple[int, bool]:
        """Read the run of backticks at ``tick``: where the scan goes on, and whether a code
        span (from ``tick``) ends there."""
        text = self.text
        after = tick + 1
        if after < end and text[after] == "`":  # (rare) a run of more than one
            after = _TICK_RUN.match(text, tick, end).end()
        else:  # (most spans) the next backtick closes a lone one if lone too and on the same line
            close = text.find("`", after, end)
            if close >= 0 and text.find("\n", after, close) < 0 and (close + 1 == end or text[close + 1] != "`"):
                return close + 1, True
        stop = self.end(after, end, text[tick:after])
        return (after, False) if stop is None else (stop, True)

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


class _Unclosed:
    """The "<"s of a stretch that open a tag's name but no tag, told in time linear in the text.

    The attributes of ``_MARKUP`` are a possessive loop: from where a tag's name ends, it takes
    the first match of one step after another, never backtracking, so where the loop stops,
    and whether ``[\\s/]*?/?>`` closes the tag there, depends only on where it started (and no
    shorter name can close a tag: the loop takes no step right after a name character, nor is
    one a ">"). Once a "<" has opened no tag, its steps are read one at a time, each remembered
    with that verdict, and a later "<" up to where they stopped is told by reading its steps up
    to one already read: the regex, which reads them all from every "<", is never run there
    but for a tag that closes (read once, as the scan goes on after it).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.end = len(text)  # the end of the stretch read: the scan moves it from one to the next
        self.reach = -1  # a "<" before this may be among the steps of one that opened no tag
        self.closes: dict[int, bool] = {}  # start of a step (or the loop) -> whether the tag closes

    def skips(self, at: int) -> bool:
        """Whether the "<" at ``at`` opens a tag's name but the tag does not close."""
        head = _TAG_HEAD.match(self.text, at, self.end)
        return head is not None and not self._closes(head.end())

    def failed(self, at: int) -> bool:
        """Note that the "<" at ``at`` opens no tag; whether it opens a tag's name (else the
        regex failed right after the "<", at no cost worth remembering)."""
        head = _TAG_HEAD.match(self.text, at, self.end)
        if head is None:
            return False
        self._closes(head.end())
        return True

    def _closes(self, pos: int) -> bool:
        """Whether the attribute steps from ``pos`` are followed by the end of a tag."""
        text, end, closes, step = self.text, self.end, self.closes, _ATTR_STEP.match
        walked = []
        while (verdict := closes.get(pos)) is None:
            found = step(text, pos, end)
            if found is None:  # the loop stops here
                verdict = closes[pos] = _TAG_END.match(text, pos, end) is not None
                self.reach = max(self.reach, pos + 1)
                break
            walked.append(pos)
            pos = found.end()
        for start in walked:
            closes[start] = verdict
        return verdict


@lru_cache(maxsize=None)
def _closer(name: str) -> re.Pattern:
    return re.compile(r"</" + name + r"\s*>", re.IGNORECASE)


@lru_cache(maxsize=64)
def _ticks(ticks: str) -> re.Pattern:
    return re.compile(r"(?<!`)" + ticks + r"(?!`)")


def _attrs(attrs_text: str, attrs_start: int) -> tuple[Attr, ...]:
    quoted = _quoted_attrs(attrs_text, attrs_start)
    if quoted is not None:
        return quoted
    attrs = []
    for attr in _ATTR.finditer(attrs_text):
        name, equals, double, single, bare = attr.groups()
        value = value_offset = None
        if equals:  # "name=" with no value is an empty value, as browsers read it
            group = attr.lastindex  # 3, 4 or 5: the value in double, single or no quotes
            if group > 2:
                value = double if group == 3 else single if group == 4 else bare
                value_offset = attrs_start + attr.start(group)
                if "&" in value:
                    value = html.unescape(value)
            else:
                value = ""
                value_offset = attrs_start + attr.end(2)
        name_start, name_end = attr.span()
        attrs.append(_new(Attr, (name.lower(), value, attrs_start + name_start, value_offset,
                                 attrs_start + name_end)))
    return tuple(attrs)


def _quoted_attrs(attrs_text: str, attrs_start: int) -> tuple[Attr, ...] | None:
    """``_attrs`` when the attributes are each written ``name="value"`` after white space, as
    most tags' are (None otherwise): their pieces found in C by one findall, each offset the
    sum of the lengths before it, rather than asked of a match object piece by piece. Pieces
    whose lengths add up to the whole text are all of it; ``_ATTR`` reads each alike."""
    attrs = []
    pos = attrs_start
    for space, name, value in _QUOTED_ATTR.findall(attrs_text):
        offset = pos + len(space)
        value_offset = offset + len(name) + 2  # after 'name="'
        pos = value_offset + len(value) + 1  # after the closing quote
        attrs.append(_new(Attr, (name.lower(), value, offset, value_offset, pos)))
    if pos - attrs_start != len(attrs_text):
        return None  # something else lies between them
    if "&" in attrs_text:  # (rare) character references in values, decoded as ``_attrs`` does
        attrs = [attr._replace(value=html.unescape(attr.value)) if "&" in attr.value else attr for attr in attrs]
    return tuple(attrs)

"""Code blocks of an article body as CommonMark reads them, the way site generators render it.

An HTML line indented four spaces after a blank line is an indented code block: readers see
its source, and no rule should check it as live HTML. Telling that apart from an indented
line inside an HTML block (where indentation means nothing) takes the real block grammar,
so markdown-it-py's block parser decides, with inline parsing switched off.

Parsing every article that way costs more than the rest of a run, so it runs only where an
indented line holds markup (``<`` or ``&``; indented code without markup is left to be read
as prose, as before), and then only where an indented code block can be: a line whose indentation (after any ``>`` quote markers and
list markers) holds four spaces or a tab before some text, or a fence inside a quotation or a list item; and
only from the last point before the first such line where a new block starts whatever
precedes it (a line at the margin after a blank line, outside fences and the HTML blocks
that run on over blank lines).
Elsewhere the only code blocks are fenced ones at the left margin, which a regular-expression
scanner finds (``fenced_code``). From where the parser is needed on, it still reads only the
stretches between fresh starts that hold a line it alone can place (a list item, a quotation,
HTML): the others hold only top-level leaf blocks, whose fences and indented code are plain
to tell (``parsed_from``); and of those, only the ones where a code block can be
(``_settled_without_code``). ``bench/code_blocks_equal.py`` checks,
on a corpus, that this gives the same ranges as the parser on every file.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from operator import attrgetter
from typing import Callable, Iterator, NamedTuple

from .lazy_re import lazy_compile

# Patterns for whole lines come in pairs: the line at a given start, and the same after a line
# break, searched for. A pattern that opens with "^" (multi-line) is tried at every character;
# one that opens with a literal "\n" lets the regex engine skip ahead to line breaks (about
# fifteen times faster on a long text). ``_line_search`` reads a pair as one search.
_FENCE_OPEN = lazy_compile(r" {0,3}(`{3,}(?=[^`\n]*$)|~{3,})[^\n]*$", re.MULTILINE)
_FENCE_OPEN_AFTER_BREAK = lazy_compile(r"\n" + _FENCE_OPEN.pattern, re.MULTILINE)
# a line that may hold indented code: four spaces or a tab in its indentation (after quote
# markers and list markers), then text. Written plainly, ``[ >]*(?:(?:[-+*]|\d{1,9}[.)])[ >]*)*
# (?: {4}|\t)[ \t]*\S``, it reads a line of n spaces n times over (each way to split it up),
# which is quadratic. The same lines, read once: the markers (each a character of ">*+-", or up
# to nine digits and "." or ")", so a line splits into them one way only), each after a run of
# spaces, up to one of them or none (lazily: indentation alone comes first); then the run of
# spaces and tabs from there, which must open with four spaces or spaces and a tab, and end
# before text.
_INDENTED = lazy_compile(r"(?: *+(?:[>*+-]|\d{1,9}[.)]))*?(?= *(?: {4}|\t))[ \t]++\S")
# an indented line holding "<" or "&" (a tag, a comment, an entity): the only code a rule would
# read differently from prose. The indentation is an atomic group: none of its characters is
# "<" or "&", so wherever it may end the rest of the line holds the same marks, and a line
# without one is read once instead of once more for each way its indentation splits up
_INDENTED_MARKUP_LINE = lazy_compile(r"(?>[ >]*(?:(?:[-+*]|\d{1,9}[.)])[ >]*)*(?: {4}|\t))[^\n<&]*+[<&]")
# the same after a line break: a literal first, which the regex engine skips ahead to (a pattern
# that opens with "^" is tried at every character)
_INDENTED_MARKUP_AFTER_BREAK = lazy_compile(r"\n" + _INDENTED_MARKUP_LINE.pattern)
# the same after a line break: a literal first, which the regex engine skips ahead to
_INDENTED_AFTER_BREAK = lazy_compile(r"\n" + _INDENTED.pattern)
# a fence inside a quotation or a list item, which only the block grammar places
_NESTED_FENCE = lazy_compile(r"[ \t]*(?:(?:>|[*+-]|\d{1,9}[.)])[ \t]*)+(?:```|~~~)")
_NESTED_FENCE_AFTER_BREAK = lazy_compile(r"\n" + _NESTED_FENCE.pattern)
_NEWLINE = lazy_compile(r"\r\n?|\n")
# a blank line, then a line at the margin that is no quotation (its start is the match's end)
_BLANK_THEN_MARGIN = lazy_compile(r"\n[ \t\r]*\n(?=[^\s>])")
_BLANK_LINE_THEN_MARGIN = lazy_compile(r"[ \t\r]*\n(?=[^\s>])")  # the same from a line's start
_LISTS = ("bullet_list_open", "ordered_list_open")
# a line that may open a list item, a quotation, HTML or indented code: where only the parser can tell
# a line that opens a list item, a quotation or HTML
_CONTAINER = lazy_compile(r" {0,3}(?:[-+*](?:[ \t\r]|$)|\d{1,9}[.)](?:[ \t\r]|$)|[<>])")
_CONTAINER_AFTER_BREAK = lazy_compile(r"\n" + _CONTAINER.pattern)
# an indented line after a line break (the break's offset is the match's start)
_CODE_AFTER_BREAK = lazy_compile(r"\n(?: {4}| {0,3}\t)[ \t]*\S")
_BLANK = lazy_compile(r"[ \t\r]*$")
_BLANK_LINES = lazy_compile(r"[ \t\r\n]*$")
# an ATX heading or a thematic break: a line that ends its own block
_HEADING_OR_BREAK = lazy_compile(r" {0,3}(?:#{1,6}(?:[ \t\r]|$)|(?:\*[ \t]*){3,}\r?$|(?:-[ \t]*){3,}\r?$|(?:_[ \t]*){3,}\r?$)")
# a setext underline, or a paragraph's line, as what precedes it has it
_UNDERLINE = lazy_compile(r" {0,3}(?:=+|-+)[ \t\r]*$")
_REFERENCE = lazy_compile(r" {0,3}\[")
_LONE_CR = lazy_compile(r"\r(?!\n)")
# HTML blocks that a blank line does not end (CommonMark's kinds 1 and 2 are checked apart)
_RAW_BLOCKS = ("script", "pre", "style", "textarea")
# spelled out in both cases, not IGNORECASE: a literal "<" first lets the regex engine skip ahead
_RAW_OPEN = lazy_compile(r"<(?:[Ss][Cc][Rr][Ii][Pp][Tt]|[Pp][Rr][Ee]|[Ss][Tt][Yy][Ll][Ee]|[Tt][Ee][Xx][Tt][Aa][Rr][Ee][Aa])")
# a line of an indented code block: four spaces or a tab (up to three spaces before it), then text
_CODE_LINE = lazy_compile(r"(?: {4}| {0,3}\t)[ \t]*[^\s]")
# a line that is neither blank nor a top-level leaf block's line that a blank line ends: one
# that opens a list item, a quotation, a fence, or HTML of the kinds that run on (<? and <!X)
_NOT_PLAIN = lazy_compile(r"(?![ \t\r]*$)(?! {4}| {0,3}\t)"
                        r"(?! {0,3}(?![-+*](?:[ \t\r]|$)|\d{1,9}[.)](?:[ \t\r]|$)|>|`{3}|~{3}|<[?!](?!--))\S)",
                        re.MULTILINE)
_NOT_PLAIN_AFTER_BREAK = lazy_compile(r"\n" + _NOT_PLAIN.pattern, re.MULTILINE)
# a line that ends its own block, so that an indented line after it may be code: an ATX
# heading, a rule or a setext underline, a comment's end, or a link reference definition
_ENDS_BLOCK = lazy_compile(r" {0,3}(?:#{1,6}(?:[ \t]|$)|[-*_=][-*_= \t]*\r?$|\[)|.*-->")
# a line that holds text and is not indented code, after a line break (the break's offset is
# the match's start): where an indented code block stops
_CODE_ENDS_AFTER_BREAK = lazy_compile(r"\n(?![ \t\r]*$)(?! {4}| {0,3}\t)", re.MULTILINE)


class CodeBlock(NamedTuple):
    """A code block from the start of its first line to the end of its last (fences included);
    ``indented`` for an indented code block."""

    start: int
    end: int
    indented: bool


_CONTINUED = CodeBlock(-1, -1, False)  # what _plain_indented says of a line that continues a block
_UNSEARCHED = 1 << 62  # where a search of _Candidates starts before it has run


def code_blocks(text: str, start: int, end: int) -> list[CodeBlock]:
    """The code blocks of ``text[start:end]``, in order, with offsets into ``text``.

    The parser places the fences where the scanner alone may not: where a fence line is
    indented under a list item (the scanner takes it for one at the margin, and pairs it with
    the wrong closing line), and where the last block is a fence reaching the end of the text
    (never closed, it ends with its list item or quotation, not the text). Few articles are
    either way."""
    fenced = _has_fence_mark(text)  # once: each test reads the whole text
    found = _code_blocks(text, start, end, fenced)
    if fenced and (found and not found[-1].indented and BLANK_TO_END.match(text, found[-1].end, end)
                   and _FENCE_MARK.match(text, found[-1].start) or _fence_under_list_item(text, start, end)):
        indented = _has_indented_markup(text, start, end)  # (without, indented code is read as prose)
        return [block for block in parsed_code_blocks(text, start, end) if indented or not block.indented]
    return found


# the mark that opens a fence, after any quotation or list markers
_FENCE_MARK = lazy_compile(r"[ \t>*+\d.)-]*?(`{3,}|~{3,})")
# a fence line indented one to three spaces, after a line break; a list item's line
_INDENTED_FENCE_AFTER_BREAK = lazy_compile(r"\n {1,3}(?:```|~~~)")
LIST_ITEM_LINE = lazy_compile(r"(?:^|\n) {0,3}(?:[-+*]|\d{1,9}[.)])[ \t]")
BLANK_TO_END = lazy_compile(r"\s*+$")  # nothing but white space up to the end given to the search


def _fence_under_list_item(text: str, start: int, end: int) -> bool:
    """Whether a fence line indented one to three spaces follows a list item's line."""
    fence = _INDENTED_FENCE_AFTER_BREAK.search(text, max(start - 1, 0), end)
    return fence is not None and LIST_ITEM_LINE.search(text, start, fence.start() + 1) is not None


def fence_left_open(text: str, start: int, end: int) -> tuple[CodeBlock, str] | None:
    """The last fence of ``text[start:end]`` and its opening mark, when no line closes it, as the
    parser reads it (a fence's content is its lines but the closing one, so a fence without one
    holds every line after its opening); else None."""
    source = text[start:end]
    fences = [token for token in _block_tokens(source) if token.type == "fence" and token.map]
    if not fences:
        return None
    token = fences[-1]
    first, last = token.map
    content = token.content
    if content.count("\n") + (content[-1:] not in ("", "\n")) != last - first - 1:
        return None  # its last line closes it
    block = _code_ranges(source, start, [token])[0]
    return block, token.markup


def _code_blocks(text: str, start: int, end: int, fenced: bool) -> list[CodeBlock]:
    """``code_blocks``, as the scanner and the parser where it is needed place them; ``fenced``
    says whether ``text`` holds a fence mark at all."""
    if not _has_indented_markup(text, start, end):
        # no indented line holds markup: indented code, if any, is read as prose, as the fence
        # scanner alone always read it; the parser is kept for where markup may render as code
        return [CodeBlock(a, b, False) for a, b in _fences(text, start, end, fenced)]
    found: list[CodeBlock] = []
    candidates = _Candidates(text, end, fenced)
    pos = start  # a line where a new top-level block starts, whatever came before
    search = start  # where the next candidate is looked for: lines before it are settled
    lowered = _Lowered(text)
    fresh = _FreshStarts(text, pos, end, fenced, lowered)
    plain = _PlainContexts(text)
    while (first := candidates.first(search)) is not None:
        # from the last fresh start before the first candidate, whatever came before does not matter;
        # up to there only fences at the margin can be code
        if fresh.start != pos:
            fresh = _FreshStarts(text, pos, end, fenced, lowered)
        cut = fresh.before(first)
        fence = _enclosing_fence(text, cut, first, end, fenced, plain)
        if fence is not None:  # the candidate is a line of a fence at the margin: the fence is the block
            found += [CodeBlock(a, b, False) for a, b in _fences(text, pos, fence.start, fenced)]
            found.append(fence)
            pos = search = _next_line(text, fence.end, end)
            continue
        block = _plain_indented(text, cut, first, end, plain)
        if block is None:  # the parser decides from here on
            return found + [CodeBlock(a, b, False) for a, b in _fences(text, pos, cut, fenced)] \
                + parsed_from(text, cut, end, fenced)
        if block is _CONTINUED:  # a paragraph or an HTML block goes on: no code here
            search = _next_line(text, first, end)
            continue
        found += [CodeBlock(a, b, False) for a, b in _fences(text, pos, cut, fenced)]
        found.append(block)
        pos = search = _next_line(text, block.end, end)
    return found + [CodeBlock(a, b, False) for a, b in _fences(text, pos, end, fenced)]


def _has_indented_markup(text: str, start: int, end: int) -> bool:
    """Whether an indented line of ``text[start:end]`` holds ``<`` or ``&``."""
    # most articles have no markup, or no four spaces or tab at all: substring searches in C
    # answer for them without trying the line pattern at each line break. Markup first: a
    # search for one character is several times faster than for four spaces.
    if text.find("<", start, end) < 0 and text.find("&", start, end) < 0:
        return False
    if text.find("\t", start, end) < 0 and text.find("    ", start, end) < 0:
        return False
    if _line_start(text, start) and _INDENTED_MARKUP_LINE.match(text, start, end):
        return True
    return _INDENTED_MARKUP_AFTER_BREAK.search(text, start, end) is not None


def _plain_indented(text: str, cut: int, first: int, end: int,
                    plain: Callable[[int, int], bool]) -> CodeBlock | None:
    """The indented code block at ``first`` when its context is plain enough to tell without the
    parser: from the fresh start ``cut`` only lines of top-level leaf blocks, which a blank line
    ends (paragraphs, headings, HTML blocks and comments: no list item, quotation or fence
    opens), then a blank line, then the line at ``first`` indented with spaces or a tab. None
    when the parser must decide. ``plain`` is ``_plain_context`` for the text."""
    if not _CODE_LINE.match(text, first, end) or first <= cut:
        return None
    if not plain(cut, first):
        return None
    if not _after_blank(text, cut, first):
        # after a paragraph's or an HTML block's line the indented line continues it; after a
        # line that ends its own block (a heading, a rule, a comment's end) the parser decides
        previous = text.rfind("\n", 0, first - 1) + 1
        return None if previous < cut or _ENDS_BLOCK.match(text, previous, first - 1) else _CONTINUED
    # the block stops at the first line after ``first`` (itself code) that is not code: searched
    # for from line breaks on, as a search for "^" would try every character
    stop = _CODE_ENDS_AFTER_BREAK.search(text, first, end)
    stop = end if stop is None else stop.start() + 1
    # the block ends with its last line that holds text, before that line's "\n"
    last = len(text[first:stop].rstrip()) + first
    line_end = text.find("\n", last, end)
    return CodeBlock(first, end if line_end < 0 else line_end, True)


def _enclosing_fence(text: str, cut: int, first: int, end: int, fenced: bool,
                     plain: Callable[[int, int], bool]) -> CodeBlock | None:
    """The fence at the margin holding the line at ``first``, when its context is plain: it opens
    at or after the fresh start ``cut``, after a blank line or at ``cut``, with only top-level
    leaf blocks before it (so not inside an HTML block, where a fence line is HTML). ``plain``
    is ``_plain_context`` for the text."""
    if not fenced:
        return None
    for a, b in _fences(text, cut, end, fenced):  # lazily: the fences after ``first`` do not matter
        if a >= first:
            return None
        if first <= b:
            if a != cut and not _after_blank(text, cut, a):
                return None
            if not plain(cut, a):
                return None
            return CodeBlock(a, b, False)
    return None


def _plain_context(text: str, cut: int, pos: int) -> bool:
    """Whether only top-level leaf blocks lie between the fresh start ``cut`` and ``pos``: no list
    item, quotation or fence opens, and no comment or raw HTML block is left open."""
    other = _line_search(text, cut, pos, _NOT_PLAIN, _NOT_PLAIN_AFTER_BREAK)
    if other is not None and other[0] < pos:
        return False
    return not (text.rfind("<!--", cut, pos) > text.rfind("-->", cut, pos) or (
        _RAW_OPEN.search(text, cut, pos) and any(_raw_open(text, cut, pos, name) for name in _RAW_BLOCKS)))


class _PlainContexts:
    """``_plain_context(text, cut, pos)``, in time linear in the text: ``code_blocks`` asks it
    for one candidate line after another from the same fresh start ``cut``, and reading from
    ``cut`` to each of them afresh is quadratic (an HTML block of n indented lines is read n
    times). From one ``cut``, the lines are read once, up to the farthest ``pos`` asked for,
    and what decides is remembered: whether a line that is no top-level leaf block's was read,
    where the last comment opened and closed, and whether each raw-text element was last
    opened or closed. None of these marks holds a line break, so none lies across the start
    of a line where one reading stops and the next goes on; and the lines read end before it,
    so each is read as reading them all at once reads it. A ``pos`` that is no line start, or
    before one already read, is answered by ``_plain_context`` itself."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cut = self.pos = -1
        self.other = False  # a line read is no top-level leaf block's
        self.comment = (-1, -1)  # where the last "<!--" and the last "-->" read start (-1: none)
        self.raw: dict[str, bool] = {}  # raw-text element name -> last opened (not closed), once one opened

    def __call__(self, cut: int, pos: int) -> bool:
        text = self.text
        if pos <= cut or text[pos - 1] != "\n":
            return _plain_context(text, cut, pos)
        if cut != self.cut or pos < self.pos:
            self.cut = self.pos = cut
            self.other, self.comment, self.raw = False, (-1, -1), {}
        if pos > self.pos:
            self._read(self.pos, pos)
            self.pos = pos
        opened, closed = self.comment
        return not (self.other or opened > closed or any(self.raw.values()))

    def _read(self, start: int, stop: int) -> None:
        text = self.text
        if not self.other:
            other = _line_search(text, start, stop, _NOT_PLAIN, _NOT_PLAIN_AFTER_BREAK)
            self.other = other is not None and other[0] < stop
        opened, closed = text.rfind("<!--", start, stop), text.rfind("-->", start, stop)
        self.comment = (max(opened, self.comment[0]), max(closed, self.comment[1]))
        if self.raw or _RAW_OPEN.search(text, start, stop):
            segment = text[start:stop].lower()  # as _raw_open reads it: only ASCII letters change to ASCII
            for name in _RAW_BLOCKS:
                opened, closed = segment.rfind("<" + name), segment.rfind("</" + name)
                if opened != closed:  # (both -1 when neither is read: the last one read stands)
                    self.raw[name] = opened > closed
                else:
                    self.raw.setdefault(name, False)


def _after_blank(text: str, cut: int, first: int) -> bool:
    """Whether the line before ``first`` is blank and comes after ``cut``."""
    if first <= cut:
        return False
    previous = text.rfind("\n", 0, first - 1) + 1
    return previous >= cut and not text[previous:first - 1].strip(" \t\r")


def _raw_open(text: str, start: int, end: int, name: str) -> bool:
    """Whether a script, style, pre or textarea opened between ``start`` and ``end`` is still open there."""
    segment = text[start:end].lower()
    return segment.rfind("<" + name) > segment.rfind("</" + name)


def _next_line(text: str, offset: int, end: int) -> int:
    """The start of the line after the one holding ``offset`` (``end`` if none)."""
    found = text.find("\n", offset, end)
    return end if found < 0 else found + 1


class _Candidates:
    """The lines that may be an indented code block or a nested fence, found in order.

    Each search reads on from where it starts to the first hit, and the search for the next
    candidate starts further on: a hit past the new start is the answer again, so each kind is
    searched for again only once passed (searching afresh each time reads a long text over
    and over when a kind is rare or absent)."""

    def __init__(self, text: str, end: int, fenced: bool) -> None:
        self.text, self.end = text, end
        # (searched from, found at or None) of each kind; a kind that cannot occur is never searched
        self.indented = (0, None) if "    " not in text and "\t" not in text else (_UNSEARCHED, None)
        self.nested = (0, None) if not fenced else (_UNSEARCHED, None)

    def first(self, start: int) -> int | None:
        """Where the first line at or after ``start`` that may be a candidate starts, if any."""
        searched, at = self.indented
        if searched > start or (at is not None and at < start):
            self.indented = searched, at = start, self._indented(start)
        searched, nested = self.nested
        if searched > start or (nested is not None and nested < start):
            found = _line_search(self.text, start, self.end, _NESTED_FENCE, _NESTED_FENCE_AFTER_BREAK)
            self.nested = searched, nested = start, found[0] if found else None
        if at is None:
            return nested
        return at if nested is None or at < nested else nested

    def _indented(self, start: int) -> int | None:
        text = self.text
        match = _INDENTED.match(text, start, self.end) if _line_start(text, start) else None
        if match:
            return start
        match = _INDENTED_AFTER_BREAK.search(text, start, self.end)
        return match.start() + 1 if match else None


def _line_start(text: str, offset: int) -> bool:
    return offset == 0 or text[offset - 1] == "\n"


def _line_search(text: str, start: int, end: int, line: re.Pattern,
                 after_break: re.Pattern) -> tuple[int, re.Match] | None:
    """The first line of ``text[start:end]`` that ``line`` matches at its start, as a multi-line
    search for ``"^" + line`` finds it: (where the line starts, the match). ``after_break`` is
    ``line`` after a line break; the match's groups are numbered alike in both."""
    if _line_start(text, start):
        match = line.match(text, start, end)
        if match:
            return start, match
    match = after_break.search(text, start, end)
    return (match.start() + 1, match) if match else None


def _lowered_in_place(text: str) -> str:
    """``text.lower()`` with every character where it was. "İ" (U+0130) is the one character
    whose lower case is two long ("i" and a combining dot): after one, ``lower()`` would shift
    every offset by one. It is written "ı" (U+0131), which is its own lower case: "<scrİpt"
    still opens no script, as before (its lower case held the dot between "i" and "p")."""
    return text.replace("\u0130", "\u0131").lower() if "\u0130" in text else text.lower()


class _Lowered:
    """``_lowered_in_place(text)``, made at the first call and kept (most texts never need it;
    a plain object: ``functools.cache`` costs about a microsecond to set up, per article)."""

    __slots__ = ("text", "lowered")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lowered: str | None = None

    def __call__(self) -> str:
        if self.lowered is None:
            self.lowered = _lowered_in_place(self.text)
        return self.lowered


class _FreshStarts:
    """The fresh starts from ``start`` on: line starts where CommonMark starts a new top-level
    block whatever precedes them (a line at the margin, after a blank line, outside a
    quotation, a fence, an HTML comment and a script, style, pre or textarea block, which run
    on over blank lines).

    ``code_blocks`` asks for the last one before each candidate line, often many times from
    the same ``start`` (a candidate that continues a paragraph is passed over). What each
    question needs is read once, front to back, as far as it asks: the lines at the margin
    after a blank line, the fences, whether a script, style, pre or textarea opens."""

    def __init__(self, text: str, start: int, end: int, fenced: bool, lowered: Callable[[], str]) -> None:
        self.text, self.start = text, start
        # a blank line at ``start``, before the first line break (what finditer below cannot see)
        at_start = _BLANK_LINE_THEN_MARGIN.match(text, start, end)
        self.lines = [at_start.end()] if at_start else []  # found so far, in order
        self.searched = start  # where the search for more goes on: after the last one found
        self.fences = _Fences(text, start, end, fenced)
        self.raw_searched = start  # how far no script, style, pre or textarea opens
        self.raw = False
        # whether a comment, and whether a script, style, pre or textarea, opened after ``start``
        # is still open at each of ``lines`` (as far as asked), read on from line to line
        self.comments = _LastOpened(text, start, (("<!--", "-->"),))
        self.lowered = lowered  # _lowered_in_place(text), made once for every fresh start that needs it
        self.raw_blocks: _LastOpened | None = None

    def before(self, first: int) -> int:
        """The last fresh start at or before the line at ``first`` (``start`` when there is none)."""
        lines = self.lines
        self._read_to(first)
        fences = self.fences.found
        for index in range(bisect_right(lines, first) - 1, -1, -1):  # the last first
            line = lines[index]
            # a fence holding ``line`` opened before it; one running on past ``first`` is cut at
            # ``first``, as its end is not looked for further, so it never holds the line there
            inside = bisect_left(fences, (line,)) - 1
            if line != first and inside >= 0 and line <= fences[inside][1]:
                continue
            if self.comments.open_at(line):
                continue
            if not self.raw:  # no script, style, pre or textarea to close
                return line
            if self.raw_blocks is None:
                # read in the lower-cased text, at the file's offsets
                self.raw_blocks = _LastOpened(self.lowered(), self.start,
                                              tuple(("<" + name, "</" + name) for name in _RAW_BLOCKS))
            if not self.raw_blocks.open_at(line):
                return line
        return self.start

    def _read_to(self, first: int) -> None:
        """Read on to the line at ``first``. A match ends at the line after the blank one, and
        one not found yet starts at the line break before ``first`` or later; "<script" holds
        no line break: so nothing read later lies before ``first``."""
        text, lines = self.text, self.lines
        read = len(lines)
        # their ends taken in C, not by a loop step per line: a long article has hundreds
        lines += map(re.Match.end, _BLANK_THEN_MARGIN.finditer(text, self.searched, first + 1))
        if len(lines) > read:
            self.searched = lines[-1]
        self.searched = max(self.searched, first - 1)
        self.fences.read_to(first)
        if not self.raw and first > self.raw_searched:
            self.raw = _RAW_OPEN.search(text, self.raw_searched, first) is not None
            self.raw_searched = first


class _LastOpened:
    """Whether any of some (opening, closing) marks has its last opening after its last closing
    between ``start`` and a line: ``text.rfind(opening, start, line) > text.rfind(closing, start,
    line)``. Asked of one line after another further on, reading back to ``start`` from each is
    quadratic (a page of paragraphs, each a fresh start); the text is read on from the last
    line asked instead, where the last of each mark read so far is remembered."""

    def __init__(self, text: str, start: int, marks: tuple[tuple[str, str], ...]) -> None:
        self.text, self.start, self.marks = text, start, marks
        self.read = start  # how far the text has been read
        self.last = [(-1, -1)] * len(marks)  # per mark, where its last opening and closing read start

    def open_at(self, line: int) -> bool:
        text, start = self.text, self.start
        if line < self.read:  # behind the lines asked about (rare): read back to ``start``
            return any(text.rfind(opening, start, line) > text.rfind(closing, start, line)
                       for opening, closing in self.marks)
        last = []
        for (opening, closing), (opened, closed) in zip(self.marks, self.last):
            # from where a mark may start and not have been read whole: none is missed
            opened = max(opened, text.rfind(opening, max(start, self.read - len(opening) + 1), line))
            closed = max(closed, text.rfind(closing, max(start, self.read - len(closing) + 1), line))
            last.append((opened, closed))
        self.last, self.read = last, line
        return any(opened > closed for opened, closed in last)


def parsed_from(text: str, start: int, end: int, fenced: bool) -> list[CodeBlock]:
    """``parsed_code_blocks(text, start, end)`` from a fresh start, the parser reading only the
    stretches that need it. Between two fresh starts, a stretch whose lines outside fences at
    the margin open no list item, quotation or HTML holds only top-level leaf blocks, which
    ``_leaf_code`` places (its fences at the margin, as the scanner finds them, and its indented
    code); the parser reads the others, each up to a fresh start where all its blocks have
    ended. Where one runs on, the parser reads the rest."""
    if _LONE_CR.search(text, start, end):  # lines the scanner and the parser count apart
        return parsed_code_blocks(text, start, end)
    found: list[CodeBlock] = []
    for stretch_start, stretch_end, leaves in _stretches(text, start, end, fenced):
        parsed = _leaf_code(text, stretch_start, stretch_end, fenced) if leaves else None
        if parsed is None and _settled_without_code(text, stretch_start, stretch_end):
            parsed = []  # what the parser would say, unasked: half the stretches it was given
        if parsed is None:
            parsed = _parsed_before(text, stretch_start, stretch_end) if stretch_end < end else None
        if parsed is None:
            return found + parsed_code_blocks(text, stretch_start, end)
        found += parsed
    return found


def _settled_without_code(text: str, start: int, stop: int) -> bool:
    """Whether ``text[start:stop]`` holds no code block and no block that may run on over a blank
    line: no line indented as code could be (``_INDENTED``), no fence mark, and none of the HTML
    that CommonMark ends only at its closing mark (``<!--``, ``<?``, ``<!X``, ``<![CDATA[`` and
    script, pre, style or textarea)."""
    if _matches(text, start, stop, _INDENTED, _INDENTED_AFTER_BREAK):
        return False
    if any(text.find(mark, start, stop) >= 0 for mark in ("```", "~~~", "<!", "<?")):
        return False
    return _RAW_OPEN.search(text, start, stop) is None


def _stretches(text: str, start: int, end: int, fenced: bool) -> Iterator[tuple[int, int, bool]]:
    """``text[start:end]`` cut at the fresh starts where stretches of top-level leaf blocks meet
    others: (start, end, leaves) of each, in order. A fresh start here is a line at the margin
    after a blank line, outside the scanner's fences (exact in a stretch of leaf blocks, and
    checked by the parser after any other)."""
    fences = _Fences(text, start, end, fenced)
    stretch_start, kind = start, None
    line = start  # the start of the part looked at next
    while line < end:
        boundary = fences.next_boundary(line)
        leaves = fences.leaves(line, boundary)
        if kind is not None and leaves != kind:
            yield stretch_start, line, kind
            stretch_start = line
        kind, line = leaves, boundary
    if kind is not None:
        yield stretch_start, end, kind


class _Fences:
    """The scanner's fences at the margin from a fresh start on, read once, front to back."""

    def __init__(self, text: str, start: int, end: int, fenced: bool) -> None:
        self.text, self.end = text, end
        self.scan = _fences(text, start, end, fenced)
        self.found: list[tuple[int, int]] = []  # the fences read so far, in order
        self.first = 0  # the first of them that does not end before the part last looked at

    def read_to(self, offset: int) -> None:
        """Read fences until one ends at or after ``offset`` (or none is left)."""
        while not self.found or self.found[-1][1] < offset:
            fence = next(self.scan, None)
            if fence is None:
                return
            self.found.append(fence)

    def next_boundary(self, line: int) -> int:
        """The first fresh start after ``line``, ``end`` if none."""
        for match in _BLANK_THEN_MARGIN.finditer(self.text, line, self.end):
            boundary = match.end()
            self.read_to(boundary)
            # fences before the last one read end before the boundary
            if not self.found or not self.found[-1][0] < boundary <= self.found[-1][1]:
                return boundary
        return self.end

    def leaves(self, start: int, stop: int) -> bool:
        """Whether ``text[start:stop]`` (from one fresh start to the next) holds only top-level
        leaf blocks: no line outside fences opens a list item, a quotation or HTML. ``start``
        counts as a line start, as the parser reading from it has it."""
        self.read_to(stop)
        found, index = self.found, self.first
        while index < len(found) and found[index][1] <= start:
            index += 1
        self.first = index
        text, gap = self.text, start
        while index < len(found) and found[index][0] < stop:
            if _matches(text, gap, found[index][0], _CONTAINER, _CONTAINER_AFTER_BREAK):
                return False
            gap = found[index][1]
            index += 1
        return not _matches(text, gap, stop, _CONTAINER, _CONTAINER_AFTER_BREAK)


def _matches(text: str, start: int, stop: int, line: re.Pattern, after_break: re.Pattern) -> bool:
    """Whether ``line`` matches a line in ``text[start:stop]`` (``start`` counted as a line
    start), ``after_break`` being ``line`` after a line break."""
    if start >= stop:
        return False
    return line.match(text, start, stop) is not None or after_break.search(text, start, stop) is not None


def _leaf_code(text: str, start: int, stop: int, fenced: bool) -> list[CodeBlock] | None:
    """The code blocks of a stretch from one fresh start to the next that holds only top-level
    leaf blocks: its fences at the margin, and its indented code, which starts at an indented
    line after a blank line or after a line that ends its own block, and not in a paragraph.
    None where a line before an indented one may be read two ways (a setext underline or a
    paragraph; a link reference definition or a paragraph)."""
    fences = list(_fences(text, start, stop, fenced))
    found = [CodeBlock(a, b, False) for a, b in fences]
    fence_ends = {b for _, b in fences}
    status: dict[int, bool] = {}  # indented line start -> whether it is code (not a paragraph's)
    code: list[list[int]] = []  # [start, end] of each indented code block
    gap = start
    for fence_start, fence_end in [*fences, (stop, stop)]:
        for line in _indented_lines(text, gap, fence_start, gap == start):
            line_end = text.find("\n", line, stop)
            line_end = stop if line_end < 0 else line_end
            previous = max(text.rfind("\n", 0, line - 1) + 1, start)
            if previous in status:  # a line of the same block
                is_code = status[previous]
            elif line == start or _BLANK.match(text, previous, line - 1):
                if code and _BLANK_LINES.match(text, code[-1][1], line):  # code goes on over blank lines
                    status[line] = True
                    code[-1][1] = line_end
                    continue
                is_code = None  # a new block
            else:
                is_code = _after_line(text, start, previous, line - 1, fence_ends, status)
                if is_code is None:
                    return None
                if is_code:
                    is_code = None
            status[line] = is_code is not False
            if is_code is None:
                code.append([line, line_end])
            elif is_code:
                code[-1][1] = line_end
        gap = fence_end
    found += [CodeBlock(a, b, True) for a, b in code]
    return sorted(found)


def _indented_lines(text: str, start: int, stop: int, first: bool) -> Iterator[int]:
    """The starts of the indented lines in ``text[start:stop]``, with the line at ``start`` if ``first``."""
    if first and _CODE_LINE.match(text, start, stop):
        yield start
    for match in _CODE_AFTER_BREAK.finditer(text, start, stop):
        yield match.start() + 1


def _after_line(text: str, start: int, previous: int, previous_end: int, fence_ends: set[int],
                status: dict[int, bool]) -> bool | None:
    """Whether an indented line after ``text[previous:previous_end]`` (a line neither blank nor
    indented) opens code: after a fence, a heading or a thematic break, not in a paragraph. None
    when that line may be read two ways, or its paragraph opens like a link reference definition."""
    if previous_end in fence_ends or _HEADING_OR_BREAK.match(text, previous, previous_end):
        return True
    if _UNDERLINE.match(text, previous, previous_end):
        return None
    line = previous  # a paragraph's line: back to the paragraph's first
    while line > start:
        above = max(text.rfind("\n", 0, line - 1) + 1, start)
        if above in status:  # an indented line: the paragraph's, or code before it
            if status[above]:
                break
            line = above
            continue
        if _BLANK.match(text, above, line - 1) or line - 1 in fence_ends \
                or _HEADING_OR_BREAK.match(text, above, line - 1):
            break
        if _UNDERLINE.match(text, above, line - 1):
            return None
        line = above
    return None if _REFERENCE.match(text, line) else False


def _parsed_before(text: str, start: int, stop: int) -> list[CodeBlock] | None:
    """The code blocks of ``text[start:stop]``, a stretch that ends with a blank line, as the
    parser finds them, when what follows cannot change them: when every top-level block but a
    list ends before that blank line. (A list ends there too, since the next line is at the
    margin, but the parser's count of its lines takes the blank line in; a fence, a comment or
    a script that runs into the blank line may run on past it.) None otherwise."""
    source = text[start:stop]
    tokens = _parser().parse(source)
    lines = len(_NEWLINE.findall(source))
    if any(token.level == 0 and token.map and token.map[1] >= lines and token.type not in _LISTS
           for token in tokens):
        return None
    return _code_ranges(source, start, tokens)


def parsed_code_blocks(text: str, start: int, end: int) -> list[CodeBlock]:
    """The code blocks of ``text[start:end]`` as markdown-it-py's CommonMark block parser finds them."""
    source = text[start:end]
    return _code_ranges(source, start, _block_tokens(source))


@lru_cache(maxsize=2)
def _block_tokens(source: str) -> list:
    """The parser's block tokens of a whole body, kept for the next question about the same
    text: the scan asks for an article's code blocks, and ``code-fence-unclosed`` then whether
    its last fence is left open (only the tokens' fields are read, never changed)."""
    return _parser().parse(source)


def _code_ranges(source: str, start: int, tokens) -> list[CodeBlock]:
    """The code blocks among the parser's ``tokens`` of ``source``, with offsets from ``start``."""
    blocks = [token for token in tokens if token.type in ("code_block", "fence") and token.map]
    if not blocks:
        return []
    # markdown-it counts lines as it normalises them: "\r\n", "\r" and "\n" each end one
    line_starts = [0, *(match.end() for match in _NEWLINE.finditer(source))]
    found = []
    for token in blocks:
        first, last = token.map  # lines first .. last - 1
        # the range stops before the last line's final "\n" (or lone "\r"), as the fence scanner's
        block_end = line_starts[last] - 1 if last < len(line_starts) else len(source)
        found.append(CodeBlock(start + line_starts[first], start + block_end, token.type == "code_block"))
    return found


# Code blocks of a site generator's templates, which it reads before the Markdown: Liquid's
# (Jekyll, Eleventy) ``{% highlight ruby %}`` ... ``{% endhighlight %}``, Hexo's ``{% codeblock %}``
# or ``{% code %}`` ... ``{% endcodeblock %}`` / ``{% endcode %}``, Hugo's ``{{< highlight go >}}``
# ... ``{{< /highlight >}}`` (or ``{{% %}}``). The opening tag stands alone on its line, and a
# highlight names a language: a site's own ``{{< highlight >}}words{{< /highlight >}}`` in a
# sentence marks text, not code. The tag's start (group: Liquid's name, None for Hugo's) and the
# rest of it (group: the arguments) are two patterns: one pattern would read to the end of the
# line from each of a thousand ``{% highlight`` that nothing closes on it.
_TEMPLATE_CODE = lazy_compile(r"\{(?:%-?[ \t]*(highlight|codeblock|code)|\{[<%][ \t]*highlight)(?![\w-])")
_TEMPLATE_CODE_REST = {True: lazy_compile(r"([^\n]*?)-?%\}"), False: lazy_compile(r"([^\n]*?)[>%]\}\}")}
_NOT_SPACE = lazy_compile(r"\S")
_START = attrgetter("start")


@lru_cache(maxsize=8)
def _template_code_end(name: str | None):
    """The tag that closes a template code block opened by Liquid's ``name`` (None: Hugo's)."""
    if name is None:
        return re.compile(r"\{\{[<%][ \t]*/[ \t]*highlight[ \t]*[>%]\}\}")
    return re.compile(r"\{%%-?[ \t]*end%s[ \t]*-?%%\}" % name)


def with_template_code(text: str, start: int, end: int, found: list[CodeBlock]) -> list[CodeBlock]:
    """``found`` (the Markdown code blocks of ``text[start:end]``, in order) with the template
    code blocks there (see ``_TEMPLATE_CODE``), from the start of the opening tag's line to the
    end of the closing tag: each holds what it holds as code, Markdown code blocks too (an
    indented line of an HTML sample is no code block of its own), and one whose opening tag is
    inside a Markdown code block is that block's text. A tag that nothing closes opens none."""
    # every tag opens with "{", which most articles lack: str.find reaches the first one faster
    # than the regex engine does (looking for "{%", "{{<" and "{{%" one by one read the text
    # three times: 0.28 s over the scale corpus, against 0.04 s for this)
    if text.find("{", start, end) < 0:
        return found
    blocks = _template_blocks(text, start, end, found)
    if not blocks:
        return found
    if any(_runs_out_of(block, blocks) for block in found):
        # A fence line in a sample ("```" shown in a {% highlight markdown %}) is the generator's
        # code, not a fence running on past the closing tag over the prose: the Markdown is read
        # again with the template blocks made plain text, and their openings looked for again.
        found = code_blocks(_as_plain_text(text, blocks), start, end)
        blocks = _template_blocks(text, start, end, found)
    merged: list[CodeBlock] = []
    for block in sorted([*found, *blocks]):
        if merged and block.start < merged[-1].end:  # inside a template block
            if block.end > merged[-1].end:
                merged[-1] = CodeBlock(merged[-1].start, block.end, False)
            continue
        merged.append(block)
    return merged


def _within(blocks: list[CodeBlock], offset: int) -> bool:
    """Whether ``offset`` lies in one of ``blocks`` (in order, not overlapping)."""
    at = bisect_right(blocks, offset, key=_START) - 1
    return at >= 0 and offset < blocks[at].end


def _runs_out_of(block: CodeBlock, templates: list[CodeBlock]) -> bool:
    """Whether a Markdown code block starts in one of ``templates`` (in order) and ends after it."""
    at = bisect_right(templates, block.start, key=_START) - 1
    return at >= 0 and block.start < templates[at].end < block.end


def _as_plain_text(text: str, templates: list[CodeBlock]) -> str:
    """``text`` with the characters of ``templates`` but white space made "x": lines of
    paragraphs, where no Markdown block starts; offsets and lines are kept."""
    pieces, pos = [], 0
    for block in templates:
        pieces += (text[pos:block.start], _NOT_SPACE.sub("x", text[block.start:block.end]))
        pos = block.end
    pieces.append(text[pos:])
    return "".join(pieces)


def template_code_left_open(text: str, start: int, end: int, found: list[CodeBlock]) -> list[tuple[int, int, str]]:
    """The opening tags of template code blocks in ``text[start:end]`` that nothing closes (see
    ``with_template_code``), outside the code blocks ``found`` and outside Liquid's ``{% raw %}``
    and ``{% comment %}``, which show a tag as text: each as its start, its end and the tag that
    would close it."""
    left: list[tuple[int, int, str | None]] = []
    _template_blocks(text, start, end, found, left)
    if left and _LIQUID_TEXT_OPENING.search(text, start, end):
        shown = [CodeBlock(match.start(), match.end(), False) for match in _LIQUID_TEXT.finditer(text, start, end)]
        left = [tag for tag in left if not _within(shown, tag[0])]
    return [(first, last, ("{{%s /highlight %s}}" % (text[first + 2], ">" if text[first + 2] == "<" else "%"))
             if name is None else "{%% end%s %%}" % name) for first, last, name in left]


# Liquid's blocks whose content it shows (raw) or drops (comment) without reading its tags
_LIQUID_TEXT_OPENING = lazy_compile(r"\{%-?[ \t]*(?:raw|comment)[ \t]*-?%\}")
_LIQUID_TEXT = lazy_compile(r"\{%-?[ \t]*(raw|comment)[ \t]*-?%\}.*?(?:\{%-?[ \t]*end\1[ \t]*-?%\}|\Z)", re.DOTALL)


def _template_blocks(text: str, start: int, end: int, found: list[CodeBlock],
                     left_open: list | None = None) -> list[CodeBlock]:
    """The template code blocks of ``text[start:end]`` (see ``with_template_code``), in order,
    their openings outside the Markdown code blocks ``found``; the openings that nothing closes
    are added to ``left_open`` (their start, end and Liquid name) where it is given."""
    blocks: list[CodeBlock] = []
    pos = start
    # name → the first closing tag at or after where it was last looked for (None: there is
    # none): an opening after that point and before that tag is closed by it, and once there is
    # none, no later opening is closed either. (Looked for anew, a thousand tags that nothing
    # closes would each read the rest of the text.)
    closings: dict[str | None, re.Match | None] = {}
    while (opening := _TEMPLATE_CODE.search(text, pos, end)) is not None:
        name = opening.group(1)
        line_start = text.rfind("\n", start, opening.start()) + 1 or start
        line_end = text.find("\n", opening.end(), end)
        line_end = end if line_end < 0 else line_end
        # a line holds one opening at most, its first tag: any later one has that tag before it
        pos = line_end
        rest = _TEMPLATE_CODE_REST[name is not None].match(text, opening.end(), line_end)
        if rest is None or text[line_start:opening.start()].strip() or text[rest.end():line_end].strip():
            continue
        if name in ("highlight", None) and not rest.group(1).strip():
            continue  # a highlight that names no language (Hexo's code blocks need none)
        if _within(found, line_start):
            continue  # written in a Markdown code block
        if name not in closings or closings[name] is not None and closings[name].start() < rest.end():
            closings[name] = _template_code_end(name).search(text, rest.end(), end)
        closing = closings[name]
        if closing is None:
            if left_open is not None:
                left_open.append((opening.start(), rest.end(), name))
            continue
        blocks.append(CodeBlock(line_start, closing.end(), False))
        pos = closing.end()
    return blocks


def fenced_code(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Ranges of fenced code blocks (fence lines included) between ``start`` and ``end``."""
    return list(_fences(text, start, end, _has_fence_mark(text)))


def _has_fence_mark(text: str) -> bool:
    """Whether ``text`` holds a run of three backticks or tildes. Looking for one character is
    several times faster than for three (most articles have neither), so that comes first."""
    return ("`" in text and "```" in text) or ("~" in text and "~~~" in text)


def _fences(text: str, start: int, end: int, fenced: bool) -> Iterator[tuple[int, int]]:
    """``fenced_code`` one range at a time; ``fenced`` says whether ``text`` holds a fence at all."""
    if not fenced:
        return
    pos = start
    while True:
        found = _line_search(text, pos, end, _FENCE_OPEN, _FENCE_OPEN_AFTER_BREAK)
        if not found:
            return
        opened, opening = found
        fence = opening.group(1)
        # the opening line ends before a line break (or at ``end``): a closing line comes after one
        closing = _fence_closer(fence[0], len(fence)).search(text, opening.end(), end)
        # an unclosed fence runs to the end, as the parser has it: up to the last line break
        stop = closing.end() if closing else end - 1 if text[end - 1] == "\n" else end
        yield opened, stop
        pos = stop


@lru_cache(maxsize=32)
def _fence_closer(char: str, length: int) -> re.Pattern:
    return re.compile(r"\n {0,3}" + re.escape(char) + "{" + str(length) + r",}[ \t\r]*$", re.MULTILINE)


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt  # imported on first need: most runs never parse a block

    return MarkdownIt("commonmark").disable(["inline", "text_join"])

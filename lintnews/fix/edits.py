"""Edits as spans of the original text: building them (for rules), choosing the ones that do
not overlap, applying them, and mapping what a later pass edits back to the text as read.

Everything here works on ``Document.text`` (the file decoded, a BOM removed, line endings
as written): an edit replaces ``text[start:end]`` and nothing else, so every character
outside the edited spans is kept as it was.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Iterable, NamedTuple

from ..lazy_re import lazy_compile
from ..violation import Edit

_HORIZONTAL = " \t\u3000"


def delete(start: int, end: int) -> Edit:
    """An edit removing ``text[start:end]``."""
    return Edit(start, end, "")


def replace(start: int, end: int, replacement: str) -> Edit:
    """An edit writing ``replacement`` over ``text[start:end]``."""
    return Edit(start, end, replacement)


_BLANK = " \t\r\u3000"  # what a blank line may hold
_BLANK_RUN = lazy_compile(r"[ \t\r\u3000]*")


def _blank(line: str) -> bool:
    return not line.strip(_BLANK)


def _spaces_before(text: str, start: int, floor: int, spaces: str) -> int:
    """Where the run of ``spaces`` characters ending at ``start`` begins, not before ``floor``:
    read back in doubling windows, so that the cost is that of the run, not of the text before."""
    size = 64
    while True:
        low = max(start - size, floor)
        kept = text[low:start].rstrip(spaces)
        if kept or low <= floor:
            return low + len(kept)
        size *= 2


def remove_block(text: str, start: int, end: int, floor: int = 0) -> Edit:
    """Remove ``text[start:end]`` (a comment, a ``<style>`` block, an empty paragraph) and the
    gap it leaves, never reaching before ``floor`` (the body's start).

    Alone on its lines, the block goes with its lines. After a blank line (or lines holding
    only comments, which go too, after one), the blank lines after it go as well, so that two
    gaps do not add up to a wider one. Between two lines of Markdown text its line is emptied
    instead: there an HTML block separates paragraphs, and an empty line keeps them apart.
    Inside a line, the block goes with the spaces before it when nothing but spaces
    follows it on that line.
    """
    # Only the spaces around the block are read, not its lines: on a line of thousands of
    # blocks, reading back to the line's start (or copying the text before) for each is quadratic
    line_start = _spaces_before(text, start, floor, _BLANK)
    line_end = _BLANK_RUN.match(text, end).end()
    after_blank = line_end == len(text) or text[line_end] == "\n"
    if line_start > floor and text[line_start - 1] != "\n":  # text before it on its line
        if after_blank:  # trailing: take the spaces before it too
            return delete(_spaces_before(text, start, floor, _HORIZONTAL),
                          line_end - (text[line_end - 1:line_end] == "\r"))
        return delete(start, end)
    if not after_blank:
        return delete(start, end)
    if line_end == len(text):  # the last line, no line break after it: take the one before
        cut = line_start - 1 if line_start > floor and text[line_start - 1] == "\n" else line_start
        if cut < line_start and text[cut - 1:cut] == "\r":
            cut -= 1
        return delete(cut, line_end)
    previous = _previous_line(text, line_start, floor)
    stop = line_end + 1
    if _after_a_gap(text, line_start, previous, floor):  # collapse the gap: the blank lines after it go too
        return delete(line_start, _BLANK_LINES.match(text, stop).end())
    following = _next_line(text, stop)
    if following is None or _gap(following) or _html(previous) or _html(following):
        return delete(line_start, stop)
    return delete(line_start, line_end - (text[line_end - 1] == "\r"))  # keep an empty line


# blank lines, each up to its line feed or the text's end, in one match (a Python loop over
# the lines took a call per line); the characters are those _blank() strips
_BLANK_LINES = lazy_compile(r"(?:[ \t\r\u3000]*(?:\n|\Z))*")
# (each comment's text read up to its first "-->" only: a lazy ".*?" let fullmatch retry every
# split of a line of many comments, exponentially)
_COMMENTS_ONLY = lazy_compile(r"[ \t\r\u3000]*(?:<!--(?:(?!-->).)*-->[ \t\r\u3000]*)*")


def _after_a_gap(text: str, line_start: int, previous: str | None, floor: int) -> bool:
    """Whether the line at ``line_start`` comes after a blank line or the body's start, past any
    lines of comments only (which go too, each with its own fix): only then may the blank lines
    after it go, or Markdown below would join the HTML block above. Past ``_COMMENT_LINES`` such
    lines the answer is no (the safe one: the line goes alone), so that a run of comments is not
    read back once for each of them."""
    begin = line_start
    for _ in range(_COMMENT_LINES):
        if previous is None or _blank(previous):
            return True
        if not _gap(previous):
            return False
        begin = max(text.rfind("\n", 0, begin - 1) + 1, floor)
        previous = _previous_line(text, begin, floor)
    return False


_COMMENT_LINES = 32


def _gap(line: str) -> bool:
    """A blank line, or one holding nothing but comments."""
    return _blank(line) or ("<!--" in line and _COMMENTS_ONLY.fullmatch(line) is not None)


def _html(line: str) -> bool:
    return line.lstrip(_HORIZONTAL).startswith("<")


def _previous_line(text: str, line_start: int, floor: int) -> str | None:
    """The line before the one starting at ``line_start`` (None at the start of the body)."""
    if line_start <= floor:
        return None
    begin = max(text.rfind("\n", 0, line_start - 1) + 1, floor)
    return text[begin:line_start - 1]


def _next_line(text: str, line_start: int) -> str | None:
    """The line starting at ``line_start``, without its line feed (None past the end)."""
    if line_start >= len(text):
        return None
    stop = text.find("\n", line_start)
    return text[line_start:] if stop < 0 else text[line_start:stop]


# -- choosing and applying ---------------------------------------------------------------------

def overlaps(a: Edit, b: Edit) -> bool:
    """Whether two edits touch the same text: spans that intersect, or an insertion at the
    same place or inside the other's span (two deletions that only meet do not)."""
    if a.start == a.end or b.start == b.end:
        return a.start == b.start or b.start < a.start < b.end or a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def choose(fixes: Iterable[tuple[Edit, ...]]) -> list[int]:
    """The indexes of the fixes to apply now: in order of their first edit (the longest first
    where two start together), each taken unless one of its edits overlaps one already taken.
    The others wait for the next pass, where they are found again if still needed."""
    fixes = list(fixes)
    order = sorted(range(len(fixes)), key=lambda i: (min(e.start for e in fixes[i]),
                                                     -max(e.end for e in fixes[i]), i))
    taken = _Taken()
    chosen = []
    for index in order:
        edits = fixes[index]
        if any(map(taken.meets, edits)) or _overlapping(edits):
            continue
        for edit in edits:
            taken.add(edit)
        chosen.append(index)
    return sorted(chosen)


def _overlapping(edits: tuple[Edit, ...]) -> bool:
    """Whether two of ``edits`` overlap, read in order of (start, end) instead of pair by pair
    (quadratic on a fix of thousands of edits). In that order an edit overlaps one before it
    exactly when that one starts at the same place (then so does the one just before it) or
    reaches past its start (``overlaps``: an insertion meets what starts with it or spans it)."""
    reach = -1  # the furthest end of the edits read so far
    previous = None
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if previous is not None and (edit.start == previous.start or edit.start < reach):
            return True
        reach = max(reach, edit.end)
        previous = edit
    return False


class _Taken:
    """The edits taken so far, in order of (start, end), and whether a new one overlaps one of
    them: looked up by bisection around it, not compared with each (quadratic on thousands of
    fixes). Taken edits never overlap: with their starts in order, so are their ends, and only
    the ones beside the new edit's span can touch it."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.edits: list[Edit] = []

    def meets(self, edit: Edit) -> bool:
        spans, edits = self.spans, self.edits
        at = bisect_left(spans, (edit.start, edit.start))
        before = at - 1
        while before >= 0 and spans[before][1] >= edit.start:
            if overlaps(edit, edits[before]):
                return True
            before -= 1
        while at < len(spans) and spans[at][0] <= edit.end:
            if overlaps(edit, edits[at]):
                return True
            at += 1
        return False

    def add(self, edit: Edit) -> None:
        at = bisect_right(self.spans, (edit.start, edit.end))
        self.spans.insert(at, (edit.start, edit.end))
        self.edits.insert(at, edit)


def apply(text: str, edits: Iterable[Edit]) -> tuple[str, tuple[Edit, ...]]:
    """``text`` with the (non-overlapping) edits applied, and the edits as applied.

    A line feed in a replacement is written as the line ending of the line it lands in, and
    the text keeps ending with a line break exactly when it did before: edits that reach the
    end are adjusted (never the text before them).
    """
    adjusted = [_line_endings(text, edit) for edit in sorted(edits, key=lambda e: (e.start, e.end))]
    result = _splice(text, adjusted)
    if result and adjusted and adjusted[-1].end == len(text):
        if text.endswith("\n") and not result.endswith("\n"):
            last = adjusted[-1]
            adjusted[-1] = last._replace(replacement=last.replacement + ("\r\n" if text.endswith("\r\n") else "\n"))
        result = _splice(text, adjusted)
        while not text.endswith("\n") and result.endswith("\n"):  # the gap before a removed last line
            adjusted = _drop_final_break(text, adjusted, result)
            shorter = _splice(text, adjusted)
            if len(shorter) >= len(result):
                break
            result = shorter
    return result, tuple(adjusted)


def _drop_final_break(text: str, edits: list[Edit], result: str) -> list[Edit]:
    """The edits, changed so that the result does not end with the line break it would end
    with: trimmed from the replacement that writes it, or deleted with the edits after it."""
    size = 2 if result.endswith("\r\n") else 1
    target = len(result) - size  # where the line break starts in the result
    delta = 0
    for index, edit in enumerate(edits):
        new_start = edit.start + delta
        if target < new_start:  # in text before this edit, which deletes everything after it
            return sorted([*edits, Edit(target - delta, target - delta + size, "")], key=lambda e: e.start)
        if target < new_start + len(edit.replacement):
            cut = target - new_start
            edits[index] = edit._replace(replacement=edit.replacement[:cut] + edit.replacement[cut + size:])
            return edits
        delta += len(edit.replacement) - (edit.end - edit.start)
    return edits


def _line_endings(text: str, edit: Edit) -> Edit:
    if "\n" not in edit.replacement:
        return Edit(edit.start, edit.end, edit.replacement)
    line_end = text.find("\n", edit.start)
    replacement = edit.replacement.replace("\r\n", "\n")
    if line_end > 0 and text[line_end - 1] == "\r":
        replacement = replacement.replace("\n", "\r\n")
    return Edit(edit.start, edit.end, replacement)


def _splice(text: str, edits: list[Edit]) -> str:
    parts = []
    pos = 0
    for edit in edits:
        parts.append(text[pos:edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


class Pass(NamedTuple):
    """The edits one pass applied, as spans of the text it read, in order."""

    edits: tuple[Edit, ...]

    def back(self, start: int, end: int) -> tuple[int, int]:
        """The span of the text before this pass that ``[start, end)`` of the text after it
        comes from (an end inside a replacement widens to the whole replaced span)."""
        return self._back(start, True), self._back(end, False)

    def back_spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """``back`` of each of ``spans`` (in order), in one walk through the edits: mapping each
        span from the first edit on is quadratic when both are many. Both ends of a span are
        walked to from where the end before them stopped: a start walks past a deletion at its
        offset that an end at the same offset stops before (an empty span maps as ``back`` maps
        it). An offset behind the end before it (spans that a later pass widened to the same
        replaced text overlap) is walked to from the first edit again."""
        found = []
        index = delta = last = 0
        for start, end in spans:
            if start < last:
                index = delta = 0
            last = end
            start = self._walk(start, True, index, delta)[0]
            end, index, delta = self._walk(end, False, index, delta)
            found.append((start, end))
        return found

    def _back(self, offset: int, is_start: bool) -> int:
        return self._walk(offset, is_start, 0, 0)[0]

    def _walk(self, offset: int, is_start: bool, index: int, delta: int) -> tuple[int, int, int]:
        """``offset`` mapped back, read from edit ``index`` on (``delta``: how much the edits
        before it moved the text), and where the walk stopped, for an offset further on."""
        edits = self.edits
        while index < len(edits):
            edit = edits[index]
            new_start = edit.start + delta
            new_end = new_start + len(edit.replacement)
            if offset < new_start or not is_start and offset == new_start:
                break
            if offset < new_end or not is_start and offset == new_end:
                return (edit.start if is_start else edit.end), index, delta
            delta = new_end - edit.end
            index += 1
        return offset - delta, index, delta


def to_original(passes: list[Pass], start: int, end: int) -> tuple[int, int]:
    """The span of the text as read that ``[start, end)`` of the text after ``passes`` comes from."""
    for applied in reversed(passes):
        start, end = applied.back(start, end)
    return start, end


def spans_to_original(passes: list[Pass], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``to_original`` of each of ``spans`` (in order)."""
    for applied in reversed(passes):
        spans = applied.back_spans(spans)
    return spans


def line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def lines_of(starts: list[int], start: int, end: int) -> range:
    """The 1-based line numbers a span ``[start, end)`` touches."""
    first = bisect_right(starts, start)
    last = bisect_right(starts, max(start, end - 1))
    return range(first, last + 1)

"""What CommonMark shows of a paragraph's asterisks, read by markdown-it-py's inline parser.

Whether a run of asterisks shows as text depends on every other delimiter of its paragraph, as
CommonMark pairs them: ``a****b****c`` shows none (the two runs pair off into emphasis),
``**a****b**`` all four (its runs cannot pair: their lengths add up to a multiple of three),
``**a：****b**`` two. So the paragraph is parsed, and the parser's own delimiter tokens are followed: its
emphasis rule makes one text token per ``*`` and later turns the ones it pairs into emphasis
tags, leaving the others as text. ``_parser`` wraps that rule to note where each run starts in
the paragraph's inline text, and keeps the tokens apart (no joining of adjacent text), so that
each run's tokens can be read after the pairing. Used by ``leftover-markup`` only where a
candidate is found: most articles never build the parser.
"""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

from lintnews.fix.edits import line_starts

_RUNS = "lintnews.runs"  # the key, in the parser's env, of the runs noted: [(inline text, start, tokens)]


@lru_cache(maxsize=1)
def _parser():
    """CommonMark, with the emphasis rule noting its runs and no joining of text tokens."""
    from markdown_it import MarkdownIt  # imported on first need: most articles have no candidate
    from markdown_it.rules_inline import emphasis

    def noted_emphasis(state, silent: bool) -> bool:
        start = state.pos
        if not emphasis.tokenize(state, silent):
            return False
        runs = state.env.get(_RUNS)
        if runs is not None:  # one token per character, the last pushed (text before them is pushed first)
            runs.append((state.src, start, state.tokens[start - state.pos:]))
        return True

    parser = MarkdownIt("commonmark")
    parser.inline.ruler.at("emphasis", noted_emphasis)
    parser.inline.ruler2.disable("fragments_join")  # it would merge the run's tokens into others
    parser.core.ruler.disable("text_join")
    return parser


class Run(NamedTuple):
    """A run of asterisks at ``start`` in the source, ``length`` long, ``shown`` of them as text."""
    start: int
    length: int
    shown: int


class Rendering(NamedTuple):
    """A parsed stretch of Markdown: its source, block tokens and runs of asterisks."""
    source: str
    tokens: list
    located: dict  # offset in the source: (Run, the parser's tokens of it)
    cache: dict  # what a caller keeps of it

    def runs(self) -> dict[int, Run]:
        """The runs of ``*`` in the paragraphs and headings, by their offset in the source."""
        return {offset: run for offset, (run, _) in self.located.items()}

    def html_lines(self) -> list[tuple[int, int]]:
        """The lines (first, past the last) of the raw HTML blocks, which show their text as written."""
        return [tuple(token.map) for token in self.tokens if token.type == "html_block" and token.map]


def render(source: str) -> Rendering:
    """``source`` (lines ending with "\\n" only) parsed."""
    return Rendering(source, *_parse(source), {})


def removal_keeps_emphasis(rendering: Rendering, runs, edits) -> bool:
    """Whether removing the spans ``edits`` of the source, asterisks of the runs at offsets
    ``runs`` (and the spaces before one at the end of a line), takes off asterisks that show
    and changes nothing else a reader sees: the same blocks and text, no asterisk shown that
    was not, and every character strong or emphasised before still so (a run may have kept
    apart emphasis that now joins up: ``**a：****b**`` becomes one strong run)."""
    if any(run not in rendering.located for run in runs):
        return False
    shown = {id(token) for run in runs for token in rendering.located[run][1]
             if token.type == "text" and token.content == "*"}
    source, parts, at = rendering.source, [], 0
    for start, end in sorted(edits):
        parts.append(source[at:start])
        at = end
    parts.append(source[at:])
    before = _Signature.of(rendering.tokens, shown)
    after = _Signature.of(_parse("".join(parts))[0], set())
    return (after.text == before.text and after.others == before.others and after.asterisks <= before.asterisks
            and not before.strong & ~after.strong and not before.emphasised & ~after.emphasised)


def _parse(source: str):
    """The block tokens of ``source``, and its runs of ``*`` by their offset in it, each with
    the tokens the parser made of it."""
    env = {_RUNS: []}
    tokens = _parser().parse(source, env)
    owners: dict[int, _Lines | None] = {}  # id of an inline token's text: where its lines are in the source
    for token in tokens:
        if token.type == "inline" and token.map:
            key = id(token.content)
            owners[key] = None if key in owners else _Lines(token.content, token.map[0])  # (one text, two blocks?)
    located: dict[int, tuple[Run, list]] = {}
    if not owners or not env[_RUNS]:
        return tokens, located
    starts = line_starts(source)
    for text, start, run in env[_RUNS]:
        owner = owners.get(id(text))
        if owner is None or owner.text is not text or text[start] != "*":
            continue  # an image's description, parsed on its own; or a run of "_"
        offset = owner.offset(source, starts, start)
        if offset is not None:
            shown = sum(1 for token in run if token.type == "text" and token.content == "*")
            located[offset] = (Run(offset, len(run), shown), run)
    return tokens, located


class _Lines:
    """Where the lines of a block's inline text are in the source: each is its source line less
    what opens it (indentation, quote and list markers, a heading's "#"), so the two end alike,
    but for a heading's closing "#"s."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text, self.first_line = text, first_line
        self.starts = line_starts(text)
        self.shifts: dict[int, int | None] = {}  # line of the text: what to add to an offset in it

    def offset(self, source: str, source_starts: list[int], start: int) -> int | None:
        """Where ``text[start]`` is in ``source``; None where its line is not found there."""
        index = bisect_right(self.starts, start) - 1
        if index not in self.shifts:
            self.shifts[index] = self._shift(source, source_starts, index)
        shift = self.shifts[index]
        return None if shift is None else start + shift

    def _shift(self, source: str, source_starts: list[int], index: int) -> int | None:
        line = self.first_line + index
        if line >= len(source_starts):
            return None
        text_start = self.starts[index]
        text_end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        text_line = self.text[text_start:text_end].rstrip()
        source_end = source_starts[line + 1] - 1 if line + 1 < len(source_starts) else len(source)
        source_line = source[source_starts[line]:source_end].rstrip()
        at = len(source_line) - len(text_line) if source_line.endswith(text_line) else source_line.rfind(text_line)
        return None if at < 0 else source_starts[line] + at - text_start


class _Signature(NamedTuple):
    """What a reader gets of a parse: its text without the asterisks it shows ("\\r" for a hard
    line break; a NUL where a block, a code span, a link's start or end, an image or inline
    HTML is, those in ``others``),
    which of its characters are strong and which emphasised (bits, the last character's the
    lowest), and how many asterisks it shows."""
    text: str
    strong: int
    emphasised: int
    others: list
    asterisks: int

    @classmethod
    def of(cls, tokens, left_out: set[int]) -> _Signature:
        """The signature of ``tokens``, leaving out the text tokens whose ids are in ``left_out``;
        spaces that end a block show nothing, and are left out too."""
        parts: list[tuple[str, bool, bool]] = []
        others: list[tuple] = []
        asterisks = 0
        for token in tokens:
            if token.type != "inline":
                parts.append(("\0", False, False))
                others.append((token.type, token.content if token.nesting == 0 else ""))
                continue
            strong = emphasised = 0
            first = len(parts)
            for child in token.children or ():
                kind = child.type
                if id(child) in left_out:
                    continue
                if kind in ("text", "text_special"):
                    kept = child.content.replace("*", "")
                    asterisks += len(child.content) - len(kept)
                    if kept:
                        parts.append((kept, strong > 0, emphasised > 0))
                elif kind in ("softbreak", "hardbreak"):
                    parts.append(("\n" if kind == "softbreak" else "\r", strong > 0, emphasised > 0))
                elif kind in ("strong_open", "strong_close"):
                    strong += child.nesting
                elif kind in ("em_open", "em_close"):
                    emphasised += child.nesting
                else:  # code spans, links, images, inline HTML: as they are
                    parts.append(("\0", False, False))
                    others.append((kind, child.content, tuple(sorted((child.attrs or {}).items()))))
            while len(parts) > first and parts[-1][0] != "\0" and parts[-1][0].isspace():
                parts.pop()
            if len(parts) > first and parts[-1][0] != "\0":
                parts[-1] = (parts[-1][0].rstrip(), *parts[-1][1:])
        text = "".join(part[0] for part in parts)
        strong_bits = "".join(("1" if part[1] else "0") * len(part[0]) for part in parts)
        emphasised_bits = "".join(("1" if part[2] else "0") * len(part[0]) for part in parts)
        return cls(text, int(strong_bits or "0", 2), int(emphasised_bits or "0", 2), others, asterisks)

"""Code blocks of an article body as CommonMark reads them, the way site generators render it.

An HTML line indented four spaces after a blank line is an indented code block: readers see
its source, and no rule should check it as live HTML. Telling that apart from an indented
line inside an HTML block (where indentation means nothing) takes the real block grammar,
so markdown-it-py's block parser decides, with inline parsing switched off.

Parsing every article that way costs more than the rest of a run, so it runs only where an
indented code block can be: a line whose indentation (after any ``>`` quote markers) holds
four spaces or a tab before some text, or a fence inside a quotation or a list item.
Elsewhere the only code blocks are fenced ones at the left margin, which a regular-expression
scanner finds (``fenced_code``). ``bench/code_blocks_equal.py`` checks,
on a corpus, that this gives the same ranges as the parser on every file.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}(?=[^`\n]*$)|~{3,})[^\n]*$", re.MULTILINE)
# a line that may hold indented code: four spaces or a tab in its indentation, then text
_INDENTED = re.compile(r"^[ >]*(?: {4}|\t)[ \t]*[^\s>]", re.MULTILINE)
# a fence inside a quotation or a list item, which only the block grammar places
_NESTED_FENCE = re.compile(r"^[ \t]*(?:(?:>|[*+-]|\d{1,9}[.)])[ \t]*)+(?:```|~~~)", re.MULTILINE)
_NEWLINE = re.compile(r"\r\n?|\n")


class CodeBlock(NamedTuple):
    """A code block from the start of its first line to the end of its last (fences included);
    ``indented`` for an indented code block."""

    start: int
    end: int
    indented: bool


def code_blocks(text: str, start: int, end: int) -> list[CodeBlock]:
    """The code blocks of ``text[start:end]``, in order, with offsets into ``text``."""
    if _INDENTED.search(text, start, end) is None and (
            "```" not in text and "~~~" not in text or _NESTED_FENCE.search(text, start, end) is None):
        return [CodeBlock(a, b, False) for a, b in fenced_code(text, start, end)]
    return parsed_code_blocks(text, start, end)


def parsed_code_blocks(text: str, start: int, end: int) -> list[CodeBlock]:
    """The code blocks of ``text[start:end]`` as markdown-it-py's CommonMark block parser finds them."""
    source = text[start:end]
    tokens = _parser().parse(source)
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


def fenced_code(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Ranges of fenced code blocks (fence lines included) between ``start`` and ``end``."""
    ranges: list[tuple[int, int]] = []
    if "```" not in text and "~~~" not in text:
        return ranges
    pos = start
    while True:
        opening = _FENCE_OPEN.search(text, pos, end)
        if not opening:
            return ranges
        fence = opening.group(1)
        closing = _fence_closer(fence[0], len(fence)).search(text, opening.end(), end)
        # an unclosed fence runs to the end, as the parser has it: up to the last line break
        stop = closing.end() if closing else end - 1 if text[end - 1] == "\n" else end
        ranges.append((opening.start(), stop))
        pos = stop


@lru_cache(maxsize=32)
def _fence_closer(char: str, length: int) -> re.Pattern:
    return re.compile(r"^ {0,3}" + re.escape(char) + "{" + str(length) + r",}[ \t\r]*$", re.MULTILINE)


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt  # imported on first need: most runs never parse a block

    return MarkdownIt("commonmark").disable(["inline", "text_join"])

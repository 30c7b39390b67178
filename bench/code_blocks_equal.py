"""Check that the code blocks lintnews finds equal CommonMark's on every article of a corpus.

    python bench/code_blocks_equal.py CORPUS [CORPUS ...]

``lintnews.blocks.code_blocks`` runs markdown-it-py only where an indented code block can
be, where an indented line holds markup and its context is not plain, and a fence scanner
elsewhere; this compares its ranges with markdown-it-py's on every article body (after front
matter): every fence at the margin and every indented block that holds markup (``<`` or
``&``; see ``_compared`` for what is left as the fence scanner finds it, by design), prints each file that
differs, how many files it handed to the parser and the time of each way, and exits 1
when any file differs.
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from lintnews import blocks
from lintnews.blocks import code_blocks, parsed_code_blocks
from lintnews.document import Document, DocumentError
from lintnews.files import discover

_MARKUP = re.compile(r"[<&]")
_MARGIN_FENCE = re.compile(r" {0,3}(?:```|~~~)")


def main(corpora: list[str]) -> int:
    differ = files = 0
    calls = []  # each time code_blocks hands the rest of a file to the parser
    parsed_from = blocks.parsed_from

    def counted(*args):
        calls.append(args)
        return parsed_from(*args)

    blocks.parsed_from = counted
    fast = full = 0.0
    for corpus in corpora:
        for source in discover([corpus], Path(corpus), []):
            path = source.fs_path
            try:
                doc = Document.read(path)
            except DocumentError:
                continue
            files += 1
            start, end = doc.body_offset, len(doc.text)
            began = time.perf_counter()
            mine = code_blocks(doc.text, start, end)
            middle = time.perf_counter()
            theirs = parsed_code_blocks(doc.text, start, end)
            fast += middle - began
            full += time.perf_counter() - middle
            # indented code without markup is left to be read as prose by design: compare the
            # blocks that hold markup, and check that every block found is the parser's too
            mine = [block for block in mine if _compared(doc.text, block)]
            theirs = [block for block in theirs if _compared(doc.text, block)]
            if mine != theirs:
                differ += 1
                print(f"{path}: {mine} != {theirs}")
    print(f"{files} files, {differ} differ; {len(calls)} handed to markdown-it-py; "
          f"code_blocks {fast:.2f} s, markdown-it-py on every file {full:.2f} s")
    return 1 if differ else 0



def _compared(text: str, block) -> bool:
    """Fences at the margin, and indented blocks holding markup: what lintnews finds as the
    parser does. (A fence inside a quotation or a list item is found only in an article that
    the parser reads; elsewhere it is read as prose, as the fence scanner always read it.)"""
    if block.indented:
        return _MARKUP.search(text, block.start, block.end) is not None
    return _MARGIN_FENCE.match(text, block.start) is not None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["../shared/corpus/dev"]))

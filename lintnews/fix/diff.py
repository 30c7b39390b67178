"""What ``--fix`` would change, as a unified diff (``--diff``)."""
from __future__ import annotations

import difflib
import re

_LINE = re.compile(r"[^\n]*\n|[^\n]+$")

_NO_NEWLINE = "\\ No newline at end of file\n"


def unified(path: str, before: str, after: str, context: int = 3) -> str:
    """A unified diff of one file, headed ``--- a/PATH`` / ``+++ b/PATH`` as git writes it;
    a last line without a line break is marked as git marks it. Lines break at line feeds
    only (a form feed or U+2028 in the text is no line break here)."""
    lines = difflib.unified_diff(_LINE.findall(before), _LINE.findall(after),
                                 f"a/{path}", f"b/{path}", n=context)
    parts = []
    for line in lines:
        if line.endswith("\n"):
            parts.append(line)
        else:
            parts.append(line + "\n" + _NO_NEWLINE)
    return "".join(parts)

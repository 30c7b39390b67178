"""What ``--fix`` would change, as a unified diff (``--diff``)."""
from __future__ import annotations

import difflib
import re

from ..lazy_re import lazy_compile
from ..output.common import UNPRINTABLE

_LINE = re.compile(r"[^\n]*\n|[^\n]+$")
# what makes git quote a name in a diff header (core.quotePath off): a quote, a backslash, and
# what would forge or garble the line, as reports for people escape it (a line break in a file
# name would start a header of its own); a lone surrogate is a byte of a name that is not UTF-8
_QUOTED = lazy_compile('["\\\\]|' + UNPRINTABLE.pattern)
_C_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r",
              '"': '\\"', "\\": "\\\\"}

_NO_NEWLINE = "\\ No newline at end of file\n"


def unified(path: str, before: str, after: str, context: int = 3) -> str:
    """A unified diff of one file, headed ``--- a/PATH`` / ``+++ b/PATH`` as git writes it (an
    unusual name ``quoted``, a name with a space followed by a tab); a last line without a line
    break is marked as git marks it. Lines break at line feeds only (a form feed or U+2028 in
    the text is no line break here)."""
    lines = difflib.unified_diff(_LINE.findall(before), _LINE.findall(after),
                                 _header_name(f"a/{path}"), _header_name(f"b/{path}"), n=context)
    parts = []
    for line in lines:
        if line.endswith("\n"):
            parts.append(line)
        else:
            parts.append(line + "\n" + _NO_NEWLINE)
    return "".join(parts)


def _header_name(name: str) -> str:
    """``name`` as a header line ends with it: ``quoted``, and followed by a tab where it holds a
    space, as git writes it, so that ``patch`` takes the whole name rather than stopping at
    the space (it reads a date after a tab, never inside the name)."""
    name = quoted(name)
    return name + "\t" if " " in name else name


def quoted(name: str) -> str:
    """``name`` as git writes it in a diff header: as it is, or between double quotes with C-style
    escapes (the bytes of an unusual character in octal) when it holds what ``_QUOTED`` finds, so
    that ``git apply`` reads the name back and no name can write a header line of its own."""
    if _QUOTED.search(name) is None:
        return name
    return '"' + _QUOTED.sub(_c_escape, name) + '"'


def _c_escape(match: re.Match) -> str:
    char = match.group()
    return _C_ESCAPES.get(char) or "".join(f"\\{byte:03o}" for byte in _name_bytes(char))


def _name_bytes(char: str) -> bytes:
    """The bytes a character of a file name stands for: a byte that is not UTF-8 was read as a
    lone surrogate (``surrogateescape``); any other lone surrogate is written as UTF-8 would."""
    try:
        return char.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return char.encode("utf-8", "surrogatepass")

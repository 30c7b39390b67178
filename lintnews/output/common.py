"""What several output formats share: repository-relative paths, end positions and pseudo-rules."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from ..lazy_re import lazy_compile
from ..violation import Finding

INFORMATION_URI = "https://github.com/lintnews/lintnews"

# Findings the runner makes itself, for files no rule could look at.
PSEUDO_RULES = {
    "encoding": "The file must be valid UTF-8 text.",
    "read-error": "The file must be a readable regular file inside the repository.",
    "too-large": "The file must be smaller than max-file-size to be linted.",
    "internal-error": "A rule crashed on the file; the other rules' results are still reported.",
    "fix-failed": "The file's fixes could not be applied safely; the file is left as it was.",
}


def utf8(text: str) -> bytes:
    """``text`` as a report is written: UTF-8, a lone surrogate (from a file name that is not
    UTF-8) as its escape."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace")


def fix_safety(report, finding: Finding) -> str:
    """``safe`` or ``unsafe``: how the finding's rule declares its fixes (unsafe when unknown)."""
    rule = report.rules.get(finding.rule)
    return getattr(rule, "fix", "") or "unsafe"


def fixable(report, unsafe: bool = False) -> Callable[[Finding], bool]:
    """Whether ``--fix`` would repair a finding: it carries edits and its rule's fixes are
    safe (or, with ``unsafe``, as ``--unsafe-fixes`` allows, either)."""
    return lambda finding: bool(finding.fix) and (unsafe or fix_safety(report, finding) == "safe")


# What an article or a file name may hold that would forge or garble a line of a report for
# people: C0 and C1 controls (line breaks, ANSI escapes), Unicode line and paragraph separators,
# bidirectional overrides (a line that reads differently than it is) and lone surrogates.
UNPRINTABLE = lazy_compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
MAX_SHOWN = 500  # characters of a message shown to people; the middle of a longer one is elided


def printable(text: str, limit: int | None = MAX_SHOWN) -> str:
    """``text`` safe for one line of a report: unprintable characters as ``\\xNN``/``\\uNNNN``
    escapes, and at most ``limit`` characters, the middle of a longer text elided."""
    if limit is not None and len(text) > limit:
        half = (limit - 1) // 2
        text = f"{text[:half]}…{text[len(text) - half:]}"
    if UNPRINTABLE.search(text) is None:
        return text
    return UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def relpath(finding: Finding) -> str:
    """The finding's path relative to the project root, without a ``./`` or ``/`` prefix."""
    return clean_path(finding.relpath or finding.path)


def clean_path(path: str) -> str:
    """``path`` with forward slashes, without a ``./`` or ``/`` prefix."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path.lstrip("/")


def end_position(finding: Finding) -> tuple[int | None, int | None]:
    """The end position, or ``None`` parts when unknown or not after the start."""
    end_line, end_column = finding.end_line, finding.end_column
    if end_line is not None and end_line < finding.line:
        return None, None
    if end_column is not None and (end_line or finding.line) == finding.line and end_column < finding.column:
        end_column = None
    return end_line, end_column


def root_uri(root) -> str:
    uri = Path(root).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"

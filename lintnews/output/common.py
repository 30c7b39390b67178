"""What several output formats share: repository-relative paths, end positions and pseudo-rules."""
from __future__ import annotations

from pathlib import Path

from ..violation import Finding

INFORMATION_URI = "https://github.com/lintnews/lintnews"

# Findings the runner makes itself, for files no rule could look at.
PSEUDO_RULES = {
    "encoding": "The file must be valid UTF-8 text.",
    "read-error": "The file must be readable.",
    "internal-error": "A rule crashed on the file; the other rules' results are still reported.",
    "fix-failed": "The file's fixes could not be applied safely; the file is left as it was.",
}


def fix_safety(report, finding: Finding) -> str:
    """``safe`` or ``unsafe``: how the finding's rule declares its fixes (unsafe when unknown)."""
    rule = report.rules.get(finding.rule)
    return getattr(rule, "fix", "") or "unsafe"


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

"""Lines added or changed since a git ref (working tree included), for ``--diff-base``."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

WHOLE_FILE = None  # an untracked file: every line is new
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


class GitError(Exception):
    """git is missing, the folder is no repository, or the ref does not exist."""


def changed_lines(ref: str, cwd: Path) -> dict[str, set[int] | None]:
    """Absolute path → changed line numbers (``None``: the whole file) since ``ref``."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    patch = _git(["-c", "core.quotepath=off", "diff", "--no-color", "--no-ext-diff", "--unified=0",
                  "-M", "--diff-filter=AMR", "--src-prefix=a/", "--dst-prefix=b/", ref, "--"], top)
    changed: dict[str, set[int] | None] = {}
    for block in re.split(r"^diff --git ", patch, flags=re.MULTILINE)[1:]:
        target = re.search(r"^\+\+\+ (.*)$", block, re.MULTILINE)
        if not target or target.group(1) == "/dev/null":
            continue
        name = _unquote(target.group(1))[2:]  # drop "b/"
        lines = changed.setdefault(os.path.join(top, name), set())
        for match in _HUNK.finditer(block):
            start, count = int(match.group(1)), int(match.group(2) or 1)
            lines.update(range(start, start + count))
    untracked = _git(["-c", "core.quotepath=off", "ls-files", "--others", "--exclude-standard", "-z"], top)
    for name in filter(None, untracked.split("\0")):
        changed[os.path.join(top, name)] = WHOLE_FILE
    return changed


def keep(findings, changed: dict[str, set[int] | None], cwd: Path) -> list:
    """The findings on changed lines, every internal error (a crashed rule's other verdicts
    are in doubt wherever they would have been) and every fix-failed (about the whole file)."""
    kept = []
    for finding in findings:
        lines = changed.get(os.path.normpath(os.path.join(cwd, finding.path)), ())
        if lines is WHOLE_FILE or finding.line in lines or finding.rule in ("internal-error", "fix-failed"):
            kept.append(finding)
    return kept


def _git(args: list[str], cwd: Path) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                                errors="surrogateescape")
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if result.returncode != 0:
        message = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "git failed"
        raise GitError(f"git: {message}")
    return result.stdout


def _unquote(path: str) -> str:
    """Undo git's C-style quoting of unusual path names ("a\\tb", octal escapes)."""
    if not (path.startswith('"') and path.endswith('"')):
        return path
    raw = path[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
    return raw.encode("latin-1").decode("utf-8", "replace")

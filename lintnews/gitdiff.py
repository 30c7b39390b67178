"""Lines added or changed since a git ref (working tree included), for ``--diff-base``."""
from __future__ import annotations

import os
import re
from pathlib import Path

from .lazy_re import lazy_compile

WHOLE_FILE = None  # an untracked file: every line is new
_HUNK = lazy_compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


class GitError(Exception):
    """git is missing, the folder is no repository, or the ref does not exist."""


def changed_lines(ref: str, cwd: Path) -> dict[str, set[int] | None]:
    """Absolute path → changed line numbers (``None``: the whole file) since ``ref``.

    File names are never read back out of the patch, where git quotes some and appends a tab
    to others: ``--name-status -z`` lists the changed files, NUL-separated and unquoted, in the
    order the patch gives their sections. ``ref`` goes after ``--end-of-options``, so that no
    value can be taken for an option of git.
    """
    check_ref(ref)
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    # The attributes a pull request can commit must not hide its changes: "-diff" or "binary" would
    # make a file's section "Binary files differ" with no hunk (--text), and a diff driver's textconv
    # or an external diff would replace the text compared (--no-textconv, --no-ext-diff).
    selection = ["--no-color", "--no-ext-diff", "--no-textconv", "--text", "-M", "--diff-filter=AMR"]
    listing = _git(["diff", *selection, "--name-status", "-z", "--end-of-options", ref, "--"], top)
    patch = _git(["diff", *selection, "--unified=0", "--no-prefix", "--end-of-options", ref, "--"], top)
    changed: dict[str, set[int] | None] = {}
    sections = re.split(r"^diff --git ", patch, flags=re.MULTILINE)[1:]
    names = _changed_names(listing)
    if len(names) != len(sections):  # never seen; a guess at which file is which would hide problems
        raise GitError(f"git diff listed {len(names)} file(s) but gave {len(sections)} section(s)")
    for name, section in zip(names, sections):
        lines = changed.setdefault(os.path.join(top, name), set())
        for match in _HUNK.finditer(section):
            start, count = int(match.group(1)), int(match.group(2) or 1)
            lines.update(range(start, start + count))
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    for name in filter(None, untracked.split("\0")):
        changed[os.path.join(top, name)] = WHOLE_FILE
    return changed


def check_ref(ref: str) -> None:
    """A ref that git could take for an option, or that holds no name, is refused."""
    if not ref or ref.startswith("-") or "\0" in ref or ref != ref.strip():
        raise GitError(f"--diff-base {ref!r} is not a git ref (a ref cannot start with '-')")


def _changed_names(listing: str) -> list[str]:
    """The new name of each file in ``git diff --name-status -z`` output: status, then one name
    (two, old and new, for a rename or copy), each ended by a NUL."""
    fields = listing.split("\0")
    names, index = [], 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        width = 2 if status[:1] in ("R", "C") else 1
        names.append(fields[index + width])
        index += width + 1
    return names


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
        import subprocess  # only runs with --diff-base start git

        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                                errors="surrogateescape")
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if result.returncode != 0:
        message = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "git failed"
        raise GitError(f"git: {message}")
    return result.stdout

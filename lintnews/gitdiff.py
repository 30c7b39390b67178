"""Lines added or changed since a git ref (working tree included), for ``--diff-base``."""
from __future__ import annotations

import os
import re
from pathlib import Path

from .lazy_re import lazy_compile

WHOLE_FILE = None  # an untracked file: every line is new
_UNCHANGED = object()
_HUNK = lazy_compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


class GitError(Exception):
    """git is missing, the folder is no repository, or the ref does not exist."""


class Changes(dict):
    """Absolute path → changed line numbers (``None``: the whole file), as git names the files:
    by their real paths, under the repository's top folder. ``get`` takes a path as the run
    names it and finds it as git does; a file git cannot speak for is an error, never a file
    without changes (which would drop every finding in it)."""

    def __init__(self, top: str, submodules: list[str], nested: list[str]) -> None:
        super().__init__()
        self.top = top
        self.submodules = submodules  # folders whose files the top repository's diff never lists
        self.nested = nested  # untracked repositories inside it: every file in them is new
        self._folders: dict[str, str] = {}  # folder as named → its real path
        self._found: dict = {}  # file as named → its lines, None or _UNCHANGED

    def get(self, path, default=()):
        """The changed lines of the file at ``path`` as the run names it: looked up through its
        folder's real path (a symlinked folder, /tmp on macOS) and, for a symlinked file, its
        target's too; ``default`` where git lists no change."""
        absolute = os.path.abspath(path)
        if absolute not in self._found:
            self._found[absolute] = self._find(absolute)
        lines = self._found[absolute]
        return default if lines is _UNCHANGED else lines

    def _find(self, absolute: str):
        folder, name = os.path.split(absolute)
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder)
        named = os.path.join(real, name)
        if named in self:
            return self[named]
        if os.path.islink(named) and (target := os.path.realpath(named)) in self:
            return self[target]
        self.covers(named)
        return WHOLE_FILE if any(_inside(named, folder) for folder in self.nested) else _UNCHANGED

    def check(self, paths) -> None:
        """Raise GitError, before anything is linted or fixed, for a path git cannot speak for."""
        for path in paths:
            if "://" in str(path):
                raise GitError(f"--diff-base compares local files with git, not {path}")
            self.get(path)

    def covers(self, path: str) -> None:
        """Raise GitError unless the changes of the file at ``path`` (its folder a real path)
        are in this repository's diff."""
        if not _inside(path, self.top):
            raise GitError(f"--diff-base: {path} is not in the git repository at {self.top}: "
                           "run lintnews from inside the repository that holds the files")
        for folder in self.submodules:
            if _inside(path, folder):
                raise GitError(f"--diff-base: {path} is in the git submodule {folder}, whose changes "
                               "the repository's diff does not list: run lintnews from inside the submodule")


def _inside(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def changed_lines(ref: str, cwd: Path) -> Changes:
    """The lines added or changed since ``ref``, in the working tree (see ``Changes``).

    File names are never read back out of the patch, where git quotes some and appends a tab
    to others: ``--name-status -z`` lists the changed files, NUL-separated and unquoted, in the
    order the patch gives their sections. ``ref`` goes after ``--end-of-options``, so that no
    value can be taken for an option of git.
    """
    check_ref(ref)
    top = os.path.realpath(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    commit = _commit(ref, top)
    # The attributes a pull request can commit must not hide its changes: "-diff" or "binary" would
    # make a file's section "Binary files differ" with no hunk (--text), and a diff driver's textconv
    # or an external diff would replace the text compared (--no-textconv, --no-ext-diff).
    selection = ["--no-color", "--no-ext-diff", "--no-textconv", "--text", "-M", "--diff-filter=AMR"]
    listing = _git(["diff", *selection, "--name-status", "-z", "--end-of-options", commit, "--"], top)
    patch = _git(["diff", *selection, "--unified=0", "--no-prefix", "--end-of-options", commit, "--"], top)
    sections = re.split(r"^diff --git ", patch, flags=re.MULTILINE)[1:]
    names = _changed_names(listing)
    if len(names) != len(sections):  # never seen; a guess at which file is which would hide problems
        raise GitError(f"git diff listed {len(names)} file(s) but gave {len(sections)} section(s)")
    # a gitlink (mode 160000) is a submodule: the diff gives its commit, never its files' lines
    staged = _git(["ls-files", "--stage", "-z"], top)
    submodules = [os.path.join(top, entry.split("\t", 1)[1]) for entry in staged.split("\0")
                  if entry.startswith("160000 ")]
    untracked = [name for name in _git(["ls-files", "--others", "--exclude-standard", "-z"], top).split("\0") if name]
    # an untracked folder is listed whole ("site/") only when it is a repository of its own
    changed = Changes(top, submodules, [os.path.join(top, name) for name in untracked if name.endswith("/")])
    for name, section in zip(names, sections):
        lines = changed.setdefault(os.path.join(top, name), set())
        for match in _HUNK.finditer(section):
            start, count = int(match.group(1)), int(match.group(2) or 1)
            lines.update(range(start, start + count))
    for name in untracked:
        changed[os.path.join(top, name)] = WHOLE_FILE
    return changed


def check_ref(ref: str) -> None:
    """A ref that git could take for an option, or that holds no name, is refused."""
    if not ref or ref.startswith("-") or "\0" in ref or ref != ref.strip():
        raise GitError(f"--diff-base {ref!r} is not a git ref (a ref cannot start with '-')")


def _commit(ref: str, cwd: str) -> str:
    """The one commit ``ref`` names. git diff takes a range too ("origin/main...", "A..B",
    "A^!"), but then compares two commits and leaves the working tree out: refused, as is a
    ref that names no commit."""
    if ".." in ref or re.search(r"\^[!@]$|\^-\d*$", ref):
        raise GitError(f"--diff-base {ref!r} is a range: give one commit, branch or tag (origin/main, HEAD~1, "
                       "a hash), which the working tree is compared with (a merge base: "
                       "$(git merge-base origin/main HEAD))")
    try:
        return _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd).strip()
    except GitError:
        raise GitError(f"git: {ref!r} names no commit (--diff-base takes one commit, branch or tag)") from None


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


def keep(findings, changed: Changes, cwd: Path) -> list:
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

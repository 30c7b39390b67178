"""Finding the article files to lint under the paths given on the command line."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from .config import glob_regex

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".mdx", ".html", ".htm"})
SKIPPED_FOLDERS = frozenset({".git", "node_modules"})
# a Jekyll (or Hexo) site's configuration: Jekyll reads the first of these it finds (its TOML one aside)
JEKYLL_CONFIGS = ("_config.yml", "_config.yaml")
# the largest site configuration read (package.json, _config.yml, hugo.toml …), in megabytes: by
# the survey and by the rules that ask what the site sets, as articles are read
MAX_CONFIG_SIZE = 1.0


class PathError(Exception):
    """A path given on the command line that does not exist."""


@dataclass(frozen=True)
class SourceFile:
    """A file to lint: where it is, how to show it, and its path relative to the project root."""

    fs_path: Path | str  # a file found in a folder keeps the string: a Path each costs a large listing
    display: str
    relpath: str
    error: str | None = None  # why it cannot be read at all (a folder that cannot be listed)
    content: bytes | None = None  # its bytes when given rather than read from fs_path (standard input)


def discover(paths: list[str], root: Path, exclude: list[str], cwd: Path | None = None,
             force_exclude: bool = False, gitignore: list[str] | None = None) -> list[SourceFile]:
    """Article files under ``paths``, sorted; folders honour ``exclude``, and so do named files
    with ``force_exclude`` (pre-commit names every file it passes). Anything named that exists
    and is not a folder (a FIFO, a device) is returned for the reader to refuse, and a folder
    that cannot be listed comes back with its ``error``.

    With ``gitignore`` (a list, where a folder git could not read is noted), a folder inside a
    git work tree is searched as git sees it: what ``.gitignore`` files, ``.git/info/exclude``
    and the user's global excludes ignore is skipped (a site generator's build, ``_site/`` or
    ``public/``, copies every article). A file named on the command line is linted anyway."""
    cwd = cwd or Path.cwd()
    root = root.resolve()
    excluded = [glob_regex(pattern) for pattern in exclude]
    found: dict[str, SourceFile] = {}

    def add(path: Path | str, absolute: str) -> None:
        if absolute not in found:
            found[absolute] = SourceFile(path, _display(absolute, cwd), relative_path(absolute, root))

    def unreadable(error: OSError) -> None:  # reported, never skipped in silence
        absolute = os.path.abspath(error.filename or "")
        found.setdefault(absolute, SourceFile(Path(absolute), _display(absolute, cwd), relative_path(absolute, root),
                                              f"cannot read folder: {error.strerror or error}"))

    for given in paths:
        path = Path(given)
        if path.is_file() or os.path.lexists(path) and not path.is_dir() and path.exists():
            absolute = os.path.abspath(path)
            if not (force_exclude and _excluded(excluded, absolute, root)):
                add(path, absolute)
        elif path.is_dir():
            top = os.path.abspath(path)
            ignored = git_ignored(top, gitignore) if gitignore is not None else frozenset()
            for folder, subfolders, files in _walk(top, unreadable):
                subfolders[:] = sorted(
                    name for name in subfolders
                    if name not in SKIPPED_FOLDERS and not name.startswith(".")
                    and not _excluded(excluded, os.path.join(folder, name), root)
                    and not (ignored and os.path.join(folder, name, "") in ignored))
                shown = relative = None  # the folder's part of its articles' paths, made for its first one
                for name in sorted(files):
                    if os.path.splitext(name)[1].lower() not in ARTICLE_SUFFIXES:
                        continue
                    absolute = os.path.join(folder, name)
                    if absolute in found or _excluded(excluded, absolute, root) or absolute in ignored:
                        continue
                    if shown is None:
                        shown, relative = _folder_part(_display, folder, cwd), _folder_part(relative_path, folder, root)
                    found[absolute] = SourceFile(absolute, shown + name, relative + name)
        else:
            raise PathError(f"path not found: {given}")
    return sorted(found.values(), key=lambda source: source.display)


def git_ignored(folder: str, unread: list[str]) -> frozenset[str]:
    """What git ignores under ``folder``, as absolute paths (a wholly ignored folder's ending with
    a separator, its files not listed): empty outside a git work tree. Where git cannot say (not
    installed, a repository it refuses to read), why is added to ``unread`` and nothing is
    ignored: every article is linted rather than some skipped in silence.

    git lists them itself (``ls-files --others --ignored --exclude-standard --directory``), so
    that every rule of its ignore files holds as git applies it; the file-system monitor a
    repository's own configuration may name is not started (``core.fsmonitor=false``)."""
    if not any(os.path.lexists(os.path.join(parent, ".git")) for parent in _parents(folder)):
        return frozenset()
    import subprocess  # only a folder inside a git work tree starts git

    try:
        listed = subprocess.run(["git", "-c", "core.fsmonitor=false", "ls-files", "--others", "--ignored",
                                 "--exclude-standard", "--directory", "-z"], cwd=folder, capture_output=True,
                                timeout=60, check=False, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    except (OSError, subprocess.TimeoutExpired) as exc:
        unread.append(f"{folder}: {'git is not installed' if isinstance(exc, FileNotFoundError) else exc}")
        return frozenset()
    if listed.returncode != 0:
        said = listed.stderr.decode("utf-8", "replace").strip().splitlines()
        if said and said[0].startswith("fatal: not a git repository"):
            return frozenset()  # a ".git" that is none (an empty folder): no ignore rules of git's
        unread.append(f"{folder}: git: {said[0] if said else f'exit {listed.returncode}'}")
        return frozenset()
    return frozenset(os.path.join(folder, *name.decode("utf-8", "surrogateescape").split("/"))
                     for name in listed.stdout.split(b"\0") if name)


def _parents(folder: str) -> Iterator[str]:
    """``folder`` and each folder above it, up to the root."""
    while True:
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


def _walk(top: str, onerror: Callable[[OSError], None]) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk(top, onerror=onerror)``: top down, pruned by what the caller leaves in each
    list of subfolders, no symlinked folder entered; but with a stack of its own, as Python
    3.12's is, where 3.11's recursed once per level: a tree nested a thousand folders deep,
    which a pull request can commit, stopped the run with RecursionError. A folder too deep
    for its path to be opened is reported through ``onerror``, as any unreadable one."""
    stack = [top]
    while stack:
        folder = stack.pop()
        subfolders, files = [], []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    (subfolders if is_dir else files).append(entry.name)
        except OSError as error:
            onerror(error)
            continue
        yield folder, subfolders, files
        for name in reversed(subfolders):  # the first subfolder is walked next, as os.walk does
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                stack.append(path)


STDIN_NAME = "<stdin>"  # how standard input is shown when no file name is given for it


def standard_input(data: bytes, name: str | None, root: Path, exclude: list[str], cwd: Path | None = None,
                   force_exclude: bool = False) -> list[SourceFile]:
    """Standard input (``data``) as the article at ``name`` (a path from ``cwd``, which need not
    exist): the settings, the exclude globs (with ``force_exclude``, as for a named file) and the
    folder its relative image paths start from are that path's, and it is shown under it. Without
    a name it is ``<stdin>``, in ``cwd``. Empty where the name is excluded."""
    cwd = cwd or Path.cwd()
    root = root.resolve()
    absolute = os.path.abspath(os.path.join(cwd, name or STDIN_NAME))
    if name is not None and force_exclude and is_excluded(exclude, absolute, root):
        return []
    display = _display(absolute, cwd) if name is not None else STDIN_NAME
    return [SourceFile(absolute, display, relative_path(absolute, root), content=data)]


def _folder_part(path_of: Callable[[str, Path], str], folder: str, base: Path) -> str:
    """What ``path_of`` (``_display`` or ``relative_path``) writes of ``folder`` before the name of
    a file in it: the same for every file there (a name holds no separator), so it is worked
    out once per folder, from a file name of one character, rather than for each article."""
    return path_of(os.path.join(folder, "_"), base)[:-1]


def is_excluded(exclude: list[str], absolute: str, root: Path) -> bool:
    """Whether the ``exclude`` globs cover the file at ``absolute`` (``root``: resolved)."""
    return _excluded([glob_regex(pattern) for pattern in exclude], absolute, root)


def _excluded(patterns, absolute: str, root: Path) -> bool:
    return bool(patterns) and any(pattern.match(relative_path(absolute, root)) for pattern in patterns)


def relative_path(absolute: str, root: Path) -> str:
    """POSIX path relative to the project root (with ``..`` for files outside it)."""
    prefix = str(root).rstrip(os.sep) + os.sep
    if absolute.startswith(prefix):  # the common case, without relpath's normalising
        return absolute[len(prefix):].replace(os.sep, "/")
    return _via_folder(absolute, str(root))


def _display(absolute: str, cwd: Path) -> str:
    prefix = str(cwd).rstrip(os.sep) + os.sep
    if absolute.startswith(prefix):
        return absolute[len(prefix):].replace(os.sep, "/")
    try:
        return _via_folder(absolute, str(cwd))
    except ValueError:  # another drive on Windows
        return absolute.replace(os.sep, "/")


def _via_folder(absolute: str, base: str) -> str:
    """``os.path.relpath(absolute, base)``, POSIX, with the folder's part worked out once per
    folder: relpath normalises both paths on every call, the most of a run's file listing when
    the articles lie outside the working folder."""
    folder, name = os.path.split(absolute)
    if not name or name in (".", ".."):
        return os.path.relpath(absolute, base).replace(os.sep, "/")
    start = _folder_relpath(folder, base)
    return name if start == "." else f"{start}/{name}"


@lru_cache(maxsize=4096)
def _folder_relpath(folder: str, base: str) -> str:
    return os.path.relpath(folder, base).replace(os.sep, "/")

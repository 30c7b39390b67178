"""Reading an article file as untrusted input: regular files only, inside the repository, up to a size.

A pull request can add a FIFO named ``*.md`` (reading it waits forever), a symlink to
``/etc/passwd`` or ``/proc/self/environ`` (whose content findings would echo) or a page of
50 MB. Each is refused with the reason, before any byte is read.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

MB = 1024 * 1024
DEFAULT_MAX_FILE_SIZE = 5.0  # megabytes; real articles, scraped pages included, are far smaller


# O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # opening a symlink fails (ELOOP) instead of following it


class ReadRefused(Exception):
    """A file that is not read: ``rule`` (``read-error`` or ``too-large``) and why."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule, self.message = rule, message


class RealPaths:
    """``os.path.realpath`` for one run's articles: each folder (and the root) is resolved
    once, however many articles it holds, and an article that is itself a symlink whole.
    Made afresh for each run, so a folder replaced between runs is resolved again."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}
        self._placed: dict[tuple[str, str], bool | None] = {}  # (folder, root) -> ``placed``

    def of(self, path: str) -> str:
        folder, name = os.path.split(path)
        if name in ("", ".", ".."):
            return os.path.realpath(path)
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return os.path.realpath(path)
        except (OSError, ValueError):
            return os.path.realpath(path)
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder)
        return os.path.join(real, name)  # as realpath joins a last part that is no symlink

    def folder(self, folder: str) -> str:
        """The real path of a folder (the root), remembered."""
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder)
        return real

    def placed(self, folder: str, root: str) -> bool | None:
        """Where the files named in ``folder`` (any name but "." and "..") lie, told once per
        folder: True when the folder's real path is inside the root's, so that a file there
        that is no symlink is inside; False when the folder lies outside the project both as
        written and resolved, so that every file there is outside (named from outside the
        project: not checked); None when it depends on the file. (A name holds no separator,
        so a file's path is inside the root's only where its folder's is, or where it is the
        root itself: a folder, which is no article however it is opened.)"""
        key = (folder, root)
        if key not in self._placed:
            self._placed[key] = self._place(folder, root)
        return self._placed[key]

    def _place(self, folder: str, root: str) -> bool | None:
        real_root = self.folder(root)
        if _inside(self.folder(folder), real_root):
            return True
        written = os.path.abspath(folder)
        if _inside(written, real_root) or _inside(written, os.path.abspath(root)):
            return None
        return False


def read_article(fs_path: Path, root: Path | None = None, max_size: float | None = None,
                 real_paths: RealPaths | None = None) -> bytes:
    """The bytes of ``fs_path``, refused when it is not a regular file, when it lies inside
    ``root`` but resolves outside it (a symlink leaving the repository), or when it is larger
    than ``max_size`` megabytes. Raises OSError as reading does, and ReadRefused. A run
    passes its ``real_paths`` so that folders are resolved once."""
    if root is None:
        fd = os.open(fs_path, _OPEN_FLAGS)
    else:
        fd = _open_inside(os.fspath(fs_path), root, real_paths or RealPaths())
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadRefused("read-error", f"not a regular file ({_kind(info.st_mode)}); only files are read")
        limit = None if max_size is None else int(max_size * MB)
        if limit is not None and info.st_size > limit:
            raise ReadRefused("too-large", f"file is {info.st_size / MB:.1f} MB, larger than max-file-size "
                                           f"({max_size:g} MB): not linted")
        data = _read_all(fd, info.st_size, limit)
        if limit is not None and len(data) > limit:  # grew since fstat
            raise ReadRefused("too-large", f"file is larger than max-file-size ({max_size:g} MB): not linted")
        return data
    finally:
        os.close(fd)


def read_stream(fd: int, max_size: float | None = None) -> bytes:
    """What a stream (standard input) holds, up to its end or to one byte past ``max_size``
    megabytes, which shows it is larger (``Document.given_bytes`` refuses it): an endless
    stream is never read whole."""
    return _read_all(fd, 64 * 1024, None if max_size is None else int(max_size * MB))


def _read_all(fd: int, size: int, limit: int | None) -> bytes:
    """What is left to read of ``fd``, at most ``limit + 1`` bytes (one past the limit shows the
    file outgrew it). Reads as many bytes as ``size`` (fstat's) and one more, to see the end:
    a buffered ``read(limit + 1)`` would allocate the whole limit (5 MB) for every article."""
    parts = []
    want = size + 1 if limit is None else min(size, limit) + 1
    left = None if limit is None else limit + 1
    while True:
        chunk = os.read(fd, want if left is None else min(want, left))
        if not chunk:
            break
        parts.append(chunk)
        if left is not None:
            left -= len(chunk)
            if left <= 0:
                break
        want = max(want - len(chunk), 64 * 1024)  # the file may have grown: go on in blocks
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _open_inside(path: str, root: Path, real_paths: RealPaths) -> int:
    """``path`` opened once ``_check_inside`` allows it, with what is known of its folder
    (``RealPaths.placed``). A file that is no symlink itself resolves to its folder's real path
    and its name, so in a folder inside the root, the file is opened with O_NOFOLLOW: the open
    succeeds only if the file is no symlink, which spares the lstat that ``RealPaths.of`` makes
    for every article (a file in a folder that leaves the root is refused before anything is
    opened, as ever). In a folder outside the project, as written and resolved, every file is
    the user's own choice: opened as named. A symlink (the open fails with ELOOP), any other
    error, a system without O_NOFOLLOW, or a folder where it depends on the file: the check in
    full, then an ordinary open."""
    folder, name = os.path.split(path)
    if name not in ("", ".", ".."):
        placed = real_paths.placed(folder, os.fspath(root))
        if placed is False:
            return os.open(path, _OPEN_FLAGS)
        if placed and _NOFOLLOW:
            try:
                return os.open(path, _OPEN_FLAGS | _NOFOLLOW)
            except (OSError, ValueError):
                pass
    _check_inside(path, root, real_paths)
    return os.open(path, _OPEN_FLAGS)


def _check_inside(fs_path: Path | str, root: Path, real_paths: RealPaths) -> None:
    """A file inside the repository must resolve inside it: a symlink out is never followed."""
    real_root = real_paths.folder(os.fspath(root))
    absolute = os.path.abspath(fs_path)
    if not _inside(absolute, real_root) and not _inside(absolute, os.path.abspath(root)):
        return  # named on the command line from outside the project: the user's own choice
    if not _inside(real_paths.of(os.fspath(fs_path)), real_root):
        raise ReadRefused("read-error", "a symlink to a file outside the repository: not read")


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a file"

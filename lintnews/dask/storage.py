"""Articles on any storage fsspec reads: local paths, ``file://`` and object-store URLs with globs."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath

from ..files import ARTICLE_SUFFIXES, SourceFile, discover


def is_url(path: str) -> bool:
    return "://" in path


def is_local(path: str) -> bool:
    return not is_url(path) or path.startswith("file://")


def find_sources(paths: list[str], root: Path, exclude: list[str], force_exclude: bool = False,
                 gitignore: list[str] | None = None) -> list[SourceFile]:
    """The articles under ``paths``, sorted as a local run sorts them.

    Local paths and ``file://`` URLs (globs expanded) go through the same discovery as a
    local run (what git ignores skipped likewise, with ``gitignore``), so both runs see the same
    files with the same names; other URLs are listed
    through fsspec: a glob, a folder (every article below it) or one file.
    """
    local, remote = [], []
    for path in paths:
        (local if is_local(path) else remote).append(path)
    found = discover([named for path in local for named in _local_paths(path)], root, exclude,
                     force_exclude=force_exclude, gitignore=gitignore) if local else []
    for url in remote:
        try:
            found += _listed(url)
        except (ImportError, ValueError) as exc:  # no package for that storage, or no such protocol
            from ..files import PathError

            raise PathError(f"{url}: {exc}") from None
    return sorted({source.display: source for source in found}.values(), key=lambda source: source.display)


def _local_paths(path: str) -> list[str]:
    """The local paths a path or ``file://`` URL names: a glob's matches each, as the shell would
    name them (not their common folder, which holds files the glob does not match)."""
    if not path.startswith("file://"):
        return [path]
    import fsspec

    fs, _, matches = fsspec.get_fs_token_paths(path)
    if not matches:
        from ..files import PathError

        raise PathError(f"path not found: {path}")
    return list(matches)


def _listed(url: str) -> list[SourceFile]:
    """Every article a URL names, each shown as its full URL and placed relative to the URL's base."""
    import fsspec

    from ..files import PathError

    fs, _, matches = fsspec.get_fs_token_paths(url)
    protocol = url.split("://", 1)[0]
    base = _base(fs._strip_protocol(url))
    names = []
    for match in matches:
        if fs.isdir(match):
            names += fs.find(match)
        elif fs.isfile(match):
            names.append(match)
    names = [name for name in names if PurePosixPath(name).suffix.lower() in ARTICLE_SUFFIXES]
    if not names and not matches:
        raise PathError(f"path not found: {url}")
    if len(names) == 1 and names[0] == base:  # one file named: its folder is where its paths start
        base = posixpath.dirname(base)
    sources = []
    for name in names:
        relative = name[len(base):].lstrip("/") if name.startswith(base) else name.lstrip("/")
        display = f"{protocol}://{name.lstrip('/')}" if protocol != "memory" else f"memory://{name}"
        sources.append(SourceFile(PurePosixPath(name), display, relative))
    return sources


def _base(path: str) -> str:
    """The part of a path before its first glob character, up to a folder."""
    for i, char in enumerate(path):
        if char in "*?[":
            return path[:i].rsplit("/", 1)[0]
    return path


def read_bytes(source: SourceFile) -> bytes | None:
    """The bytes of a source that lives on other storage; None for a local file (the map step reads it)."""
    if not is_url(source.display):
        return None
    import fsspec

    with fsspec.open(source.display, "rb") as stream:
        return stream.read()


def storage_of(source: SourceFile) -> "StorageFiles | None":
    """Where a source's image paths are looked up: its URL's storage, or None for the local disk."""
    if not is_url(source.display):
        return None
    name, relative = str(source.fs_path), source.relpath
    root = name[:len(name) - len(relative)].rstrip("/") if relative and name.endswith(relative) \
        else posixpath.dirname(name)
    return StorageFiles(source.display.split("://", 1)[0], root or "/")


@dataclass(frozen=True)
class StorageFiles:
    """Files on an fsspec filesystem as image paths look them up (``Document.storage``): POSIX
    paths as the filesystem spells them, no symlinks, and ``root`` the folder the URL named,
    which no image path may leave and where site roots (``source/``, ``static/``…) are found."""

    protocol: str
    root: str
    path = posixpath

    @cached_property
    def fs(self):
        import fsspec

        return fsspec.filesystem(self.protocol)

    def absolute(self, path) -> str:
        return posixpath.normpath(str(path))

    real = absolute  # object stores have no symlinks

    # an object store takes ".." as part of a key: paths are normalised before they are looked up
    def isfile(self, path) -> bool:
        return self.fs.isfile(posixpath.normpath(path))

    def isdir(self, path) -> bool:
        return self.fs.isdir(posixpath.normpath(path))

    def size(self, path) -> int:
        return self.fs.size(posixpath.normpath(path))

    def listdir(self, path) -> list[str]:
        try:
            return [posixpath.basename(entry.rstrip("/"))
                    for entry in self.fs.ls(posixpath.normpath(path), detail=False)]
        except FileNotFoundError as exc:
            raise OSError(str(exc)) from None

"""Articles on any storage fsspec reads: local paths, ``file://`` and object-store URLs with globs."""
from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from ..files import ARTICLE_SUFFIXES, SourceFile, discover


def is_url(path: str) -> bool:
    return "://" in path


def is_local(path: str) -> bool:
    return not is_url(path) or path.startswith("file://")


def find_sources(paths: list[str], root: Path, exclude: list[str], force_exclude: bool = False) -> list[SourceFile]:
    """The articles under ``paths``, sorted as a local run sorts them.

    Local paths and ``file://`` URLs (globs expanded) go through the same discovery as a
    local run, so both runs see the same files with the same names; other URLs are listed
    through fsspec: a glob, a folder (every article below it) or one file.
    """
    local, remote = [], []
    for path in paths:
        (local if is_local(path) else remote).append(path)
    found = discover([_local_path(path) for path in local], root, exclude, force_exclude=force_exclude) \
        if local else []
    for url in remote:
        try:
            found += _listed(url)
        except (ImportError, ValueError) as exc:  # no package for that storage, or no such protocol
            from ..files import PathError

            raise PathError(f"{url}: {exc}") from None
    return sorted({source.display: source for source in found}.values(), key=lambda source: source.display)


def _local_path(path: str) -> str:
    if not path.startswith("file://"):
        return path
    import fsspec

    fs, _, matches = fsspec.get_fs_token_paths(path)
    if not matches:
        from ..files import PathError

        raise PathError(f"path not found: {path}")
    return matches[0] if len(matches) == 1 else os.path.commonpath(matches)


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

"""Finding the article files to lint under the paths given on the command line."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .config import glob_regex

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm"})
SKIPPED_FOLDERS = frozenset({".git", "node_modules"})


class PathError(Exception):
    """A path given on the command line that does not exist."""


@dataclass(frozen=True)
class SourceFile:
    """A file to lint: where it is, how to show it, and its path relative to the project root."""

    fs_path: Path
    display: str
    relpath: str


def discover(paths: list[str], root: Path, exclude: list[str], cwd: Path | None = None) -> list[SourceFile]:
    """Article files under ``paths``, sorted; folders honour ``exclude``, named files are always taken."""
    cwd = cwd or Path.cwd()
    excluded = [glob_regex(pattern) for pattern in exclude]
    found: dict[Path, SourceFile] = {}

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in found:
            found[key] = SourceFile(path, _display(path, cwd), _relative(key, root))

    for given in paths:
        path = Path(given)
        if path.is_file():
            add(path)
        elif path.is_dir():
            for folder, subfolders, files in os.walk(path):
                base = Path(folder)
                subfolders[:] = sorted(
                    name for name in subfolders
                    if name not in SKIPPED_FOLDERS and not name.startswith(".")
                    and not _matches(excluded, _relative((base / name).resolve(), root)))
                for name in sorted(files):
                    candidate = base / name
                    if candidate.suffix.lower() in ARTICLE_SUFFIXES and \
                            not _matches(excluded, _relative(candidate.resolve(), root)):
                        add(candidate)
        else:
            raise PathError(f"path not found: {given}")
    return sorted(found.values(), key=lambda source: source.display)


def _matches(patterns, relpath: str) -> bool:
    return any(pattern.match(relpath) for pattern in patterns)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, root.resolve())).as_posix()


def _display(path: Path, cwd: Path) -> str:
    try:
        return Path(os.path.relpath(path.absolute(), cwd)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()

"""Where lintnews keeps its caches: the user's cache folder, one subfolder per repository.

Caches live outside the checkout so that a pull request cannot commit one: a cached verdict
or a cached result is something the run trusts.
"""
from __future__ import annotations

import os
from pathlib import Path

from .hashes import sha256


def user_cache_root(environ=os.environ) -> Path:
    """``LINTNEWS_CACHE_DIR``, else ``$XDG_CACHE_HOME/lintnews``, else ``~/.cache/lintnews``
    (``%LOCALAPPDATA%\\lintnews`` on Windows)."""
    if environ.get("LINTNEWS_CACHE_DIR"):
        return Path(environ["LINTNEWS_CACHE_DIR"])
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]) / "lintnews"
    if os.name == "nt" and environ.get("LOCALAPPDATA"):
        return Path(environ["LOCALAPPDATA"]) / "lintnews"
    return Path.home() / ".cache" / "lintnews"


def repository_cache_dir(root: Path, kind: str, environ=os.environ, cache_root: Path | None = None) -> Path:
    """The folder for cache ``kind`` (``remote``, ``results``) of the repository at ``root``, in
    ``cache_root`` (default: ``user_cache_root``): keyed by the root's resolved path, so two
    checkouts never share entries by accident."""
    resolved = os.path.realpath(root)
    key = sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in os.path.basename(resolved))[:40] or "root"
    return (cache_root or user_cache_root(environ)) / f"{name}-{key}" / kind


def committed(cache_root: Path, project: Path) -> bool:
    """Whether ``cache_root`` lies in the ``project``'s checkout with files in it that git tracks:
    a cache a pull request could have written. A cache outside the project, the usual place, is
    not asked about (no subprocess in a run)."""
    folder, top = os.path.realpath(cache_root), os.path.realpath(project)
    try:
        inside = os.path.commonpath([folder, top]) == top
    except ValueError:  # on another drive
        return False
    if not inside or not os.path.isdir(folder):
        return False
    return git_tracks(folder, ".")


def git_tracks(folder: str, pathspec: str) -> bool:
    """Whether git tracks a file that ``pathspec`` names in ``folder`` (False without git or outside
    a repository)."""
    import subprocess  # only for a cache inside a checkout: not at every start-up

    try:
        done = subprocess.run(["git", "-C", folder, "ls-files", "-z", "--", pathspec], capture_output=True,
                              timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and bool(done.stdout.strip(b"\0"))

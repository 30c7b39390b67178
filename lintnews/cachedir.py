"""Where lintnews keeps its caches: the user's cache folder, one subfolder per repository.

Caches live outside the checkout so that a pull request cannot commit one: a cached verdict
or a cached result is something the run trusts. Each repository's caches are bounded where
they are kept; the folder as a whole holds the ``KEEP_REPOSITORIES`` repositories used last
(a CI runner that checks out to a new path each time would otherwise add one per run).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from .hashes import sha256

KEEP_REPOSITORIES = 64
IN_USE_SECONDS = 3600  # a repository folder used this recently is kept: a run may still be under way there
_HEX = frozenset("0123456789abcdef")
# Each repository's folder is tagged as a cache (https://bford.info/cachedir/: backup tools skip
# it), and only a folder so tagged by lintnews is ever removed: the cache folder may be one the
# user named (``--cache-dir ~``), holding folders of their own.
TAG = "CACHEDIR.TAG"
TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by lintnews: the caches of one repository.\n"
            "# For information about cache directory tags, see https://bford.info/cachedir/\n")


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
    return _repository_folder(root, cache_root or user_cache_root(environ)) / kind


def _repository_folder(root: Path, cache_root: Path) -> Path:
    resolved = os.path.realpath(root)
    key = sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in os.path.basename(resolved))[:40] or "root"
    return cache_root / f"{name}-{key}"


def _is_repository_folder(name: str) -> bool:
    """Whether ``name`` is what ``_repository_folder`` names a folder: "<name>-<16 hex digits>"."""
    return len(name) > 17 and name[-17] == "-" and _HEX.issuperset(name[-16:])


def using(root: Path, cache_root: Path, keep: int | None = None) -> None:
    """Mark the caches of the repository at ``root`` used now. For a repository new to
    ``cache_root``, make its folder, after forgetting the caches of those used least recently
    beyond the ``keep`` used last (default: ``KEEP_REPOSITORIES``), but not of one used within
    ``IN_USE_SECONDS``, nor any folder lintnews did not tag. The cache folder is read only when
    it gains a repository: a run in a known one costs a ``utime`` and a ``stat``."""
    folder = _repository_folder(root, cache_root)
    try:
        os.utime(folder)
    except FileNotFoundError:
        _forget_least_recent(cache_root, KEEP_REPOSITORIES if keep is None else keep)
    except OSError:  # not ours to change: the run notes it if it cannot write there either
        return
    if not os.path.isfile(folder / TAG):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / TAG).write_text(TAG_TEXT, encoding="ascii")
        except OSError:
            pass


def _forget_least_recent(cache_root: Path, keep: int) -> None:
    """Remove the tagged repository folders of ``cache_root`` beyond the ``keep - 1`` used last
    (room for one more), but those used within ``IN_USE_SECONDS``."""
    try:
        with os.scandir(cache_root) as entries:
            folders = [(entry.stat().st_mtime, entry.path) for entry in entries
                       if _is_repository_folder(entry.name) and entry.is_dir(follow_symlinks=False)]
    except OSError:
        return
    folders.sort(reverse=True)
    recent = time.time() - IN_USE_SECONDS
    stale = [path for mtime, path in folders[max(0, keep - 1):] if mtime < recent and _tagged(path)]
    if stale:
        import shutil  # seldom needed, and its import costs a one-file run

        for path in stale:
            shutil.rmtree(path, ignore_errors=True)


def _tagged(folder: str) -> bool:
    """Whether ``folder`` holds the tag lintnews writes in a repository's cache folder."""
    try:
        with open(os.path.join(folder, TAG), "rb") as tag:
            return tag.read(len(TAG_TEXT) + 1) == TAG_TEXT.encode("ascii")
    except OSError:
        return False


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

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


def repository_cache_dir(root: Path, kind: str, environ=os.environ) -> Path:
    """The folder for cache ``kind`` (``remote``, ``results``) of the repository at ``root``:
    keyed by the root's resolved path, so two checkouts never share entries by accident."""
    resolved = os.path.realpath(root)
    key = sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in os.path.basename(resolved))[:40] or "root"
    return user_cache_root(environ) / f"{name}-{key}" / kind

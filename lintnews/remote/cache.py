"""The persistent cache of ``ok`` and ``broken`` results.

Entries are keyed by the URL as fetched; a verdict fetched without the address guard (a run that
allows private hosts, or goes through a proxy) is keyed ``unguarded <url>`` by the checker, and a
run with the guard on never reads those: what its guard refuses stays "blocked", whatever the cache
holds. Files of version 1 (keyed by URL alone, whatever the guard) are discarded.

A cached verdict is trusted by the next run, so the cache is kept where a pull request cannot
write it: by default in the user's cache folder (``lintnews.cachedir``); a cache file tracked by git
or a cache folder reached through a symlink is never read or written. The file holds at most
``max_entries`` results (the newest), and concurrent runs sharing it merge their entries under a
file lock before replacing the file atomically, so that none loses the other's.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path

from ..cachedir import git_tracks

try:
    import fcntl
except ImportError:                                    # Windows: no lock, the atomic replace remains
    fcntl = None

CACHE_FILE = "remote-images.json"
CACHE_FORMAT = "lintnews-remote-images"
CACHE_VERSION = 2                                      # 2: verdicts fetched past the address guard kept apart
MAX_ENTRIES = 100_000
_MAX_FILE_BYTES = 64 << 20                             # a file larger than this is not read
_LOCK_SECONDS = 10.0
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class Cache:
    """Results by URL, read once at the start of a run and merged back into the file at its end."""

    def __init__(self, folder, *, ttl: float | None, repository=None, max_entries: int = MAX_ENTRIES):
        self.folder = os.path.abspath(os.fspath(folder))
        self.path = os.path.join(self.folder, CACHE_FILE)
        self.ttl = ttl
        self.max_entries = max_entries
        self.problem = _untrusted(self.folder, self.path, repository)   # why it is not used, or not saved
        self._entries: dict[str, dict] = {}
        self._new: dict[str, dict] = {}
        self._dirty = False
        if self.problem is None:
            self._entries, self._dirty = self._load()

    def get(self, url: str) -> dict | None:
        entry = self._entries.get(url)
        return entry if entry is not None and self._fresh(entry) else None

    def put(self, url: str, state: str, detail: str) -> None:
        self._new[url] = {"state": state, "detail": detail, "checked": time.time()}

    def _fresh(self, entry: dict) -> bool:
        now = time.time()
        oldest = float("-inf") if self.ttl is None else now - self.ttl
        return oldest <= entry["checked"] <= now + 300

    def _load(self) -> tuple[dict, bool]:
        """The fresh entries of the file, and whether it needs rewriting (corrupt, foreign or too big)."""
        try:
            with open(os.open(self.path, os.O_RDONLY | _NOFOLLOW), encoding="utf-8") as stream:
                data = json.load(stream) if os.fstat(stream.fileno()).st_size <= _MAX_FILE_BYTES else None
        except FileNotFoundError:
            return {}, False
        except (OSError, ValueError):
            return {}, True
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or data.get("version") != CACHE_VERSION \
                or not isinstance(data.get("entries"), dict):
            return {}, True
        entries = {}
        for url, entry in data["entries"].items():
            if isinstance(entry, dict) and entry.get("state") in ("ok", "broken") \
                    and isinstance(entry.get("detail"), str) and isinstance(entry.get("checked"), (int, float)) \
                    and not isinstance(entry.get("checked"), bool) and self._fresh(entry):
                entries[url] = {"state": entry["state"], "detail": entry["detail"], "checked": entry["checked"]}
        return entries, len(entries) != len(data["entries"])

    def save(self) -> None:
        """Merge with what other runs wrote meanwhile, under the lock, then replace the file atomically."""
        if self.problem is not None or (not self._new and not self._dirty):
            return
        tmp = None
        try:
            os.makedirs(self.folder, exist_ok=True)
            with self._lock():
                merged, _ = self._load()
                for url, entry in self._new.items():
                    if url not in merged or merged[url]["checked"] <= entry["checked"]:
                        merged[url] = entry
                if len(merged) > self.max_entries:
                    newest = sorted(merged.items(), key=lambda item: item[1]["checked"])[-self.max_entries:]
                    merged = dict(newest)
                fd, tmp = tempfile.mkstemp(prefix=".remote-images.", suffix=".tmp", dir=self.folder)
                with os.fdopen(fd, "w", encoding="utf-8") as stream:
                    json.dump({"format": CACHE_FORMAT, "version": CACHE_VERSION, "entries": merged}, stream,
                              ensure_ascii=False, separators=(",", ":"))
                os.replace(tmp, self.path)
                tmp = None
            self._dirty = False
        except OSError as error:
            self.problem = f"cannot write the remote image cache: {error}"
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    @contextlib.contextmanager
    def _lock(self):
        """The cache folder itself is locked (no lock file to leave behind); without flock, no lock."""
        if fcntl is None:
            yield
            return
        fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW)
        try:
            give_up = time.monotonic() + _LOCK_SECONDS
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > give_up:
                        raise OSError(f"{self.path} stayed locked by another run") from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)                                # releases the lock


def _untrusted(folder: str, path: str, repository) -> str | None:
    """Why the cache at ``folder`` must not be used, or None."""
    root, here = Path(os.path.abspath(repository if repository is not None else folder)), Path(folder)
    for candidate in (here, *here.parents):             # the folder, and each one above it inside the repository
        if candidate != here and root not in candidate.parents:
            break
        if candidate.is_symlink():
            return f"the remote image cache {folder} is reached through a symlink: not used"
    if os.path.lexists(path) and git_tracks(folder, CACHE_FILE):
        return f"the remote image cache {path} is tracked by git: not used"
    return None


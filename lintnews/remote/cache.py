"""The persistent JSON cache of ``ok`` and ``broken`` results, merged and replaced atomically."""
from __future__ import annotations

import json
import os
import tempfile
import time

from .common import CACHE_FILE, CACHE_FORMAT, CACHE_VERSION


class _CacheMixin:
    """Reading and writing the cache file (part of ``RemoteChecker``)."""

    # -- cache

    def _fresh(self, entry: dict) -> bool:
        now = time.time()
        oldest = float("-inf") if self.ttl is None else now - self.ttl
        return oldest <= entry["checked"] <= now + 300

    def _cache_path(self) -> str:
        return os.path.join(self.cache_dir, CACHE_FILE)

    def _read_cache(self) -> tuple[dict, bool]:
        """The fresh entries of the cache file, and whether the file needs rewriting (corrupt or foreign)."""
        try:
            with open(self._cache_path(), encoding="utf-8") as stream:
                data = json.load(stream)
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

    def _write_cache(self) -> None:
        """Merge with what other processes wrote meanwhile, then replace the file atomically."""
        if self.cache_dir is None:
            return
        with self._cond:
            new = dict(self._cache_new)
        if not new and not self._cache_dirty:
            return
        tmp = None
        try:
            os.makedirs(self.cache_dir, exist_ok=True)
            merged, _ = self._read_cache()
            for url, entry in new.items():
                if url not in merged or merged[url]["checked"] <= entry["checked"]:
                    merged[url] = entry
            fd, tmp = tempfile.mkstemp(prefix=".remote-images.", suffix=".tmp", dir=self.cache_dir)
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                json.dump({"format": CACHE_FORMAT, "version": CACHE_VERSION, "entries": merged}, stream,
                          ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, self._cache_path())
            tmp = None
            self._cache_dirty = False
        except OSError as error:
            self.cache_error = f"cannot write the remote image cache: {error}"
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

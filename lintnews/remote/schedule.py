"""Scheduling checks over worker threads: per-host slots and rates, and the progress line."""
from __future__ import annotations

import os
import time
from collections import deque
from concurrent.futures import Future

from .address import _Target
from .common import _IDLE_SECONDS, RemoteResult, _Done


def progress_stream(stream, environ=None):
    """``stream`` if a progress bar belongs on it (a terminal, not under ``PRE_COMMIT=1`` or ``CI``), else None."""
    env = os.environ if environ is None else environ
    if stream is None or env.get("PRE_COMMIT") == "1" or env.get("CI", "").lower() not in ("", "0", "false", "no"):
        return None
    try:
        return stream if stream.isatty() else None
    except (AttributeError, ValueError, OSError):
        return None


class _Host:
    __slots__ = ("pending", "active", "next_start", "waiters")

    def __init__(self):
        self.pending = deque()
        self.active = 0
        self.next_start = 0.0
        self.waiters = 0



class _SchedulingMixin:
    """Worker threads, host slots and progress (part of ``RemoteChecker``)."""

    # -- scheduling

    def _work(self) -> None:
        while True:
            item = self._next()
            if item is None:
                return
            key, target, future = item
            try:
                state, detail = self._check(target)
            except Exception as error:      # never leave a caller waiting on a lost result
                state, detail = "unverified", f"internal error ({type(error).__name__}: {error})"
            with self._cond:
                self._finish_locked(future, RemoteResult(key, state, detail), target)
            self._draw_progress()

    def _next(self):
        """The next check whose host has a free slot and may start now; None when the worker should end."""
        with self._cond:
            idle_since = time.monotonic()
            while True:
                now = time.monotonic()
                wait = _IDLE_SECONDS
                for name in self._ready:
                    host = self._hosts[name]
                    if host.active >= self.per_host or host.waiters:
                        continue
                    if host.next_start > now:
                        wait = min(wait, host.next_start - now)
                        continue
                    item = host.pending.popleft()
                    self._pending -= 1
                    host.active += 1
                    host.next_start = max(host.next_start, now) + self._interval
                    del self._ready[name]
                    if host.pending:
                        self._ready[name] = None        # to the back of the round
                    return item
                if not self._pending and (self._closing or self._cancelled or now - idle_since >= _IDLE_SECONDS):
                    self._workers -= 1
                    return None
                if self._pending:
                    idle_since = now
                self._idle += 1
                self._cond.wait(max(wait, 0.001))
                self._idle -= 1

    def _acquire(self, name: str) -> None:
        """Take a slot of host ``name`` for another request of a check under way (a redirect or a retry)."""
        with self._cond:
            host = self._hosts.get(name)
            if host is None:
                host = self._hosts[name] = _Host()
            host.waiters += 1
            try:
                while True:
                    if self._cancelled:
                        raise _Done("unverified", "not checked (cancelled)")
                    now = time.monotonic()
                    if host.active < self.per_host and host.next_start <= now:
                        host.active += 1
                        host.next_start = max(host.next_start, now) + self._interval
                        return
                    wait = host.next_start - now if host.active < self.per_host else 1.0
                    self._cond.wait(min(max(wait, 0.001), 1.0))
            finally:
                host.waiters -= 1

    def _release(self, name: str) -> None:
        with self._cond:
            self._hosts[name].active -= 1
            self._cond.notify_all()

    def _finish_locked(self, future: Future, result: RemoteResult, target: _Target | None) -> None:
        self._done += 1
        if result.state == "offline":
            self._offline_results += 1
        if target is not None and result.state in ("ok", "broken") and self.cache_dir is not None:
            self._cache_new[target.url] = {"state": result.state, "detail": result.detail, "checked": time.time()}
        future.set_result(result)

    # -- progress

    def _draw_progress(self, final: bool = False) -> None:
        stream = self._progress
        if stream is None:
            return
        with self._progress_lock:
            now = time.monotonic()
            with self._cond:
                done, total = self._done, self._total
            if not final and done < total and now - self._progress_last < 0.1:
                return
            if final and not self._progress_drawn:
                return
            self._progress_last = now
            try:
                stream.write(f"\rchecking remote images: {done}/{total}" + ("\n" if final else ""))
                stream.flush()
                self._progress_drawn = not final
            except (OSError, ValueError):
                self._progress = None

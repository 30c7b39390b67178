"""Worker threads and per-host politeness: slots, start rates, ``Retry-After`` pauses, and the progress line."""
from __future__ import annotations

import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from ..progress import wanted
from .verdict import _Done

_IDLE_SECONDS = 2.0          # a worker with nothing to do for this long ends


def progress_stream(stream, environ=None):
    """``stream`` if a progress line belongs on it (the same test as the check's own progress line), else None."""
    return stream if stream is not None and wanted(stream, os.environ if environ is None else environ) else None


@dataclass(slots=True)
class _Host:
    pending: deque = field(default_factory=deque)
    active: int = 0                 # requests in flight
    next_start: float = 0.0         # no request starts before (rate limit, Retry-After)
    waiters: int = 0                # redirects and retries waiting for a slot: they go first


class Scheduler:
    """Runs ``work(item)`` on up to ``concurrency`` threads, taking hosts round-robin.

    A host has at most ``per_host`` requests in flight and ``per_host_rate`` starts a second; a
    ``Retry-After`` pauses the whole host. Past ``deadline`` (the run's time budget) the items left
    are handed to ``work`` at once, which reports them without fetching.
    """

    def __init__(self, work, *, concurrency: int, per_host: int, per_host_rate: float, deadline: float | None):
        self.concurrency, self.per_host, self.deadline = concurrency, per_host, deadline
        self._work = work
        self._interval = 1.0 / per_host_rate if per_host_rate and per_host_rate > 0 else 0.0
        self._cond = threading.Condition()
        self._hosts: dict[str, _Host] = {}
        self._ready: dict[str, None] = {}               # hosts with pending items, in round-robin order
        self._pending = self._workers = self._idle = 0
        self._threads: list[threading.Thread] = []
        self._closing = self._cancelled = False

    def expired(self, after: float = 0.0) -> bool:
        """Whether the run's time budget has run out (or will have, ``after`` seconds from now)."""
        return self.deadline is not None and time.monotonic() + after >= self.deadline

    def add(self, host: str, item) -> None:
        with self._cond:
            self._host(host).pending.append(item)
            self._ready.setdefault(host, None)
            self._pending += 1
            if self._workers < self.concurrency and self._pending > self._idle:
                self._workers += 1
                thread = threading.Thread(target=self._run, name=f"lintnews-remote-{len(self._threads)}",
                                          daemon=True)
                self._threads.append(thread)
                thread.start()
            self._cond.notify()

    def acquire(self, name: str) -> None:
        """A slot of host ``name`` for another request of a check under way (a redirect or a retry)."""
        with self._cond:
            host = self._host(name)
            host.waiters += 1
            try:
                while not self._cancelled:
                    wait = self._start(host, time.monotonic())
                    if not wait:
                        return
                    self._cond.wait(min(wait, 1.0))
                raise _Done("unverified", "not checked (cancelled)")
            finally:
                host.waiters -= 1

    def release(self, name: str) -> None:
        with self._cond:
            self._hosts[name].active -= 1
            self._cond.notify_all()

    def pause(self, name: str, seconds: float) -> None:
        """No request starts on host ``name`` for ``seconds`` (a ``Retry-After`` is for the whole host)."""
        with self._cond:
            host = self._host(name)
            host.next_start = max(host.next_start, time.monotonic() + seconds)

    def cancel(self) -> list:
        """Stop waiting for retries; the items not started, which the caller reports."""
        with self._cond:
            self._cancelled = True
            dropped = [item for host in self._hosts.values() for item in host.pending]
            for host in self._hosts.values():
                host.pending.clear()
            self._pending = 0
            self._ready.clear()
            self._cond.notify_all()
        return dropped

    def close(self, timeout: float) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        for thread in list(self._threads):
            thread.join(timeout=timeout)

    def _start(self, host: _Host, now: float) -> float:
        """Take a slot of ``host`` if a request may start now (and return 0), else how long to wait."""
        if host.active >= self.per_host:
            return 1.0                                  # until a release (which notifies) at the latest
        if host.next_start > now:
            return host.next_start - now
        host.active += 1
        host.next_start = max(host.next_start, now) + self._interval
        return 0.0

    def _host(self, name: str) -> _Host:
        return self._hosts.setdefault(name, _Host())

    def _run(self) -> None:
        while (item := self._next()) is not None:
            self._work(item)

    def _next(self):
        """The next item whose host has a free slot and may start now; None when the worker should end."""
        with self._cond:
            idle_since = time.monotonic()
            while True:
                now = time.monotonic()
                wait = _IDLE_SECONDS
                expired = self.expired()
                for name in self._ready:
                    host = self._hosts[name]
                    if expired:
                        host.active += 1                # no limits: the worker reports it at once
                    elif host.waiters:
                        continue                        # a redirect or a retry of this host goes first
                    elif delay := self._start(host, now):
                        wait = min(wait, delay)
                        continue
                    item = host.pending.popleft()
                    self._pending -= 1
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


class Progress:
    """``checking remote images: done/total`` on one updating line of a terminal."""

    def __init__(self, stream):
        self._stream = stream
        self._lock = threading.Lock()
        self._last = 0.0
        self._drawn = False

    def draw(self, done: int, total: int, final: bool = False) -> None:
        if self._stream is None:
            return
        with self._lock:
            now = time.monotonic()
            if (not final and done < total and now - self._last < 0.1) or (final and not self._drawn):
                return
            self._last = now
            try:
                self._stream.write(f"\rchecking remote images: {done}/{total}" + ("\n" if final else ""))
                self._stream.flush()
                self._drawn = not final
            except (OSError, ValueError):
                self._stream = None

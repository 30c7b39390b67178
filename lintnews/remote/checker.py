"""``RemoteChecker``: submits URLs, follows each to a verdict and hands back ``RemoteResult``s."""
from __future__ import annotations

import fnmatch
import os
import re
import ssl
import threading
import time
from concurrent.futures import Future
from dataclasses import replace
from urllib.parse import urljoin

from .address import _AddressMixin, _parse, _Target
from .cache import _CacheMixin
from .common import _OFFLINE_HOSTS, _RESERVED_HEADERS, REDIRECTS, SNIFF_BYTES, RemoteResult, _Done
from .http import _Connection
from .schedule import _Host, _SchedulingMixin
from .transport import _TransportMixin
from .verdict import _challenge, _judge, _retry_after


class RemoteChecker(_SchedulingMixin, _AddressMixin, _TransportMixin, _CacheMixin):
    """Checks remote image URLs in the background; see the module documentation."""

    def __init__(self, *, concurrency=32, per_host=4, per_host_rate=10.0, timeout=10.0, max_redirects=5,
                 max_bytes=65536, max_header_bytes=65536, allow_private=False, allowed_ports=(80, 443),
                 headers=None, retry_after_cap=30.0, max_retries=2, cache_dir=None, ttl=7 * 24 * 3600,
                 resolver=None, use_proxy_env=False, progress=None, ssl_context=None):
        if concurrency < 1 or per_host < 1:
            raise ValueError("concurrency and per_host must be at least 1")
        if timeout <= 0 or max_bytes < 1 or max_header_bytes < 256:
            raise ValueError("timeout, max_bytes and max_header_bytes must be positive (headers: 256 or more)")
        if max_redirects < 0 or max_retries < 0 or retry_after_cap < 0:
            raise ValueError("max_redirects, max_retries and retry_after_cap cannot be negative")
        self.concurrency = int(concurrency)
        self.per_host = int(per_host)
        self.per_host_rate = per_host_rate
        self.timeout = float(timeout)
        self.max_redirects = int(max_redirects)
        self.max_bytes = int(max_bytes)
        self.max_header_bytes = int(max_header_bytes)
        self.allow_private = bool(allow_private)
        self.allowed_ports = frozenset(int(port) for port in allowed_ports)
        self.retry_after_cap = float(retry_after_cap)
        self.max_retries = int(max_retries)
        self.cache_dir = os.fspath(cache_dir) if cache_dir is not None else None
        self.ttl = ttl
        self.use_proxy_env = bool(use_proxy_env)
        self.cache_error: str | None = None
        self.stats = {"requests": 0, "connections": 0, "bytes": 0, "cached": 0}
        self._headers = self._check_headers(headers or {})
        from . import _system_resolver                 # looked up on the package: a patchable seam
        self._resolver = resolver or _system_resolver
        self._ssl = ssl_context or ssl.create_default_context()
        self._interval = 1.0 / per_host_rate if per_host_rate and per_host_rate > 0 else 0.0
        self._range = f"bytes=0-{min(SNIFF_BYTES, self.max_bytes) - 1}"
        self._proxies = self._env_proxies() if self.use_proxy_env else {}

        self._cond = threading.Condition()
        self._hosts: dict[str, _Host] = {}
        self._ready: dict[str, None] = {}               # hosts with pending checks, in round-robin order
        self._futures: dict[str, Future] = {}           # submitted URL (without fragment) -> its future
        self._by_target: dict[str, Future] = {}         # URL as fetched -> future (dedupe of spellings)
        self._pending = 0
        self._workers = 0
        self._idle = 0
        self._threads: list[threading.Thread] = []
        self._closing = False
        self._closed = False
        self._cancelled = False
        self._pool: dict[tuple, list[_Connection]] = {}    # idle keep-alive connections, oldest first
        self._idle_connections = 0
        self._dns: dict[tuple, Future] = {}
        self._host_headers: dict[str, list[tuple[str, str]]] = {}
        self._tcp_contact = False
        self._offline_hosts: set[str] = set()
        self._offline_results = 0
        self._total = 0
        self._done = 0
        self._progress = progress
        self._progress_lock = threading.Lock()
        self._progress_last = 0.0
        self._progress_drawn = False
        self._cache: dict[str, dict] = {}
        self._cache_new: dict[str, dict] = {}
        self._cache_dirty = False
        if self.cache_dir is not None:
            self._cache, problem = self._read_cache()
            self._cache_dirty = problem

    # -- public interface

    @property
    def offline(self) -> bool:
        """True when checks failed for lack of any network and nothing was reached."""
        with self._cond:
            return self._offline_results > 0 and not self._tcp_contact

    @property
    def notices(self) -> tuple[str, ...]:
        """What the user should hear once at the end of the run."""
        return ("no network: remote images were not checked",) if self.offline else ()

    def submit(self, url: str) -> None:
        """Start checking ``url`` in the background; a URL already submitted is not fetched again."""
        key = _key(url)
        with self._cond:
            if self._closing:
                raise RuntimeError("RemoteChecker is closed")
            if key in self._futures:
                return
            future: Future = Future()
            self._futures[key] = future
            try:
                target = _parse(key, self.allowed_ports)
            except _Done as done:
                self._total += 1
                self._finish_locked(future, RemoteResult(key, done.state, done.detail), None)
                return
            shared = self._by_target.get(target.url)
            if shared is not None:
                self._futures[key] = shared
                return
            self._by_target[target.url] = future
            self._total += 1
            cached = self._cache.get(target.url)
            if cached is not None and self._fresh(cached):
                self.stats["cached"] += 1
                self._finish_locked(future, RemoteResult(key, cached["state"], cached["detail"]), None)
                return
            host = self._hosts.get(target.host)
            if host is None:
                host = self._hosts[target.host] = _Host()
            host.pending.append((key, target, future))
            self._ready.setdefault(target.host, None)
            self._pending += 1
            if self._workers < self.concurrency and self._pending > self._idle:
                self._workers += 1
                thread = threading.Thread(target=self._work, name=f"lintnews-remote-{len(self._threads)}",
                                          daemon=True)
                self._threads.append(thread)
                thread.start()
            self._cond.notify()
        self._draw_progress()

    def result(self, url: str) -> RemoteResult:
        """Wait for the result of ``url`` (submitting it first if needed)."""
        key = _key(url)
        with self._cond:
            future = self._futures.get(key)
        if future is None:
            self.submit(url)
            with self._cond:
                future = self._futures[key]
        result = future.result()
        return result if result.url == url else replace(result, url=url)

    def close(self) -> None:
        """Finish the checks submitted, close connections and write the cache."""
        with self._cond:
            if self._closed:
                return
            self._closing = True
            self._cond.notify_all()
            futures = list(self._by_target.values())
        for future in futures:
            future.result()
        for thread in list(self._threads):
            thread.join(timeout=self.timeout)
        with self._cond:
            self._closed = True
            connections = [conn for pool in self._pool.values() for conn in pool]
            self._pool.clear()
            self._idle_connections = 0
        for conn in connections:
            conn.close()
        self._write_cache()
        self._draw_progress(final=True)

    def cancel(self) -> None:
        """Give up the checks not started yet (they become "unverified") and stop waiting for retries."""
        with self._cond:
            self._cancelled = True
            for host in self._hosts.values():
                while host.pending:
                    key, _, future = host.pending.popleft()
                    self._pending -= 1
                    self._finish_locked(future, RemoteResult(key, "unverified", "not checked (cancelled)"), None)
            self._ready.clear()
            self._cond.notify_all()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.cancel()
        self.close()
        return False

    # -- one check

    def _check(self, target: _Target) -> tuple[str, str]:
        """Follow ``target`` to a verdict; called holding a slot of its host."""
        slot = target.host
        try:
            with self._cond:
                if len(self._offline_hosts) >= _OFFLINE_HOSTS and not self._tcp_contact:
                    return "offline", "no network"
            url = target
            redirects = retries = 0
            use_range = True
            for attempt in range(self.max_redirects + self.max_retries + 4):
                if attempt:
                    self._release(slot)
                    slot = None
                    self._acquire(url.host)
                    slot = url.host
                try:
                    addresses, proxy = self._prepare(url)
                except _Done as done:
                    if redirects and done.state == "blocked":
                        raise _Done("blocked", f"redirect blocked: {done.detail}") from None
                    raise
                response = self._exchange(url, addresses, proxy, use_range)
                status = response.status
                location = response.header("location")
                if status in REDIRECTS and location:
                    redirects += 1
                    if redirects > self.max_redirects:
                        return "broken", f"too many redirects (more than {self.max_redirects})"
                    try:
                        url = _parse(urljoin(url.url, location), self.allowed_ports)
                    except _Done as done:
                        word = "blocked" if done.state == "blocked" else "to a bad URL"
                        raise _Done(done.state, f"redirect {word}: {done.detail}") from None
                    continue
                if status in (429, 503) and not _challenge(response):
                    delay = _retry_after(response.header("retry-after"))
                    if delay is None:
                        if status == 503:
                            return "unverified", "HTTP 503"
                        delay = min(2.0 ** retries, self.retry_after_cap)
                    if delay > self.retry_after_cap:
                        return "unverified", f"HTTP {status} (Retry-After {delay:.0f} s is over the cap)"
                    if retries >= self.max_retries:
                        return "unverified", f"HTTP {status} (gave up after Retry-After)"
                    retries += 1
                    with self._cond:                    # the whole host waits, not only this URL
                        host = self._hosts[url.host]
                        host.next_start = max(host.next_start, time.monotonic() + delay)
                    continue
                if status == 416 and use_range:
                    use_range = False                   # an empty file, or a server that fumbles ranges
                    continue
                return _judge(response)
            return "unverified", "too many attempts"
        except _Done as done:
            return done.state, done.detail
        finally:
            if slot is not None:
                self._release(slot)

    # -- configuration

    @staticmethod
    def _check_headers(headers: dict) -> list[tuple[str, list[tuple[str, str]]]]:
        checked = []
        for glob, fields in headers.items():
            items = []
            for name, value in fields.items():
                if not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
                    raise ValueError(f"invalid header name {name!r}")
                if name.lower() in _RESERVED_HEADERS:
                    raise ValueError(f"header {name} cannot be configured")
                value = str(value)
                if "\r" in value or "\n" in value or "\0" in value:
                    raise ValueError(f"header {name} has a line break in its value")
                value.encode("latin-1")
                items.append((name, value))
            checked.append((str(glob).lower(), items))
        return checked

    def _headers_for(self, host: str) -> list[tuple[str, str]]:
        with self._cond:
            found = self._host_headers.get(host)
            if found is None:
                found = [item for glob, items in self._headers if fnmatch.fnmatchcase(host, glob) for item in items]
                self._host_headers[host] = found
            return found


def _key(url: str) -> str:
    return url.strip().partition("#")[0]

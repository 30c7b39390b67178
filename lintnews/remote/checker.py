"""``RemoteChecker``: one URL from ``submit`` to its verdict.

``submit`` parses the URL (``address._parse``), answers from the ``Cache`` when it can, else hands it
to the ``Scheduler``, whose worker runs ``_follow``: the ``Guard`` gives the checked addresses, the
``Transport`` makes one GET, then a redirect is followed (through the guard again), a
``Retry-After`` is waited for (the whole host pauses), or ``verdict._judge`` decides. ``result``
waits for the verdict.
"""
from __future__ import annotations

import fnmatch
import itertools
import math
import re
import ssl
import threading
import time
from concurrent.futures import Future
from dataclasses import replace
from urllib.parse import urljoin

from urllib3 import HTTPHeaderDict

from .. import __version__
from .address import UNRESOLVED, Guard, _parse, _system_resolver, _Target
from .cache import MAX_ENTRIES, Cache
from .schedule import Progress, Scheduler
from .transport import Transport
from .verdict import SNIFF_BYTES, RemoteResult, _challenge, _Done, _judge, _Response, _retry_after

USER_AGENT = f"lintnews/{__version__} (image link check)"
ACCEPT = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"
REDIRECTS = (301, 302, 303, 307, 308)
_RESERVED_HEADERS = {"host", "connection", "content-length", "transfer-encoding", "range", "te", "upgrade",
                     "proxy-authorization", "expect"}
_OFFLINE_HOSTS = 3           # distinct hosts failing with "no network", nothing reached: stop trying
_BLIND_HOSTS = 3             # distinct names that do not resolve, and none that does: the resolver knows no outside


class RemoteChecker:
    """Checks remote image URLs in the background; see the package documentation."""

    def __init__(self, *, concurrency=32, per_host=4, per_host_rate=10.0, timeout=10.0, max_redirects=5,
                 max_bytes=65536, max_header_bytes=65536, allow_private=False, allowed_ports=(80, 443),
                 headers=None, retry_after_cap=30.0, max_retries=2, cache_dir=None, ttl=7 * 24 * 3600,
                 resolver=None, use_proxy_env=False, progress=None, ssl_context=None, budget=None,
                 repository=None, max_cache_entries=MAX_ENTRIES):
        if concurrency < 1 or per_host < 1:
            raise ValueError("concurrency and per_host must be at least 1")
        if timeout <= 0 or max_bytes < 1 or max_header_bytes < 256:
            raise ValueError("timeout, max_bytes and max_header_bytes must be positive (headers: 256 or more)")
        if max_redirects < 0 or max_retries < 0 or retry_after_cap < 0:
            raise ValueError("max_redirects, max_retries and retry_after_cap cannot be negative")
        if budget is not None and budget <= 0:
            raise ValueError("budget must be positive (or None for no budget)")
        self.timeout = float(timeout)
        self.max_redirects, self.max_retries = int(max_redirects), int(max_retries)
        self.allowed_ports = frozenset(int(port) for port in allowed_ports)
        self.retry_after_cap = float(retry_after_cap)
        self.budget = budget
        self._headers = _check_headers(headers or {})
        self._range = f"bytes=0-{min(SNIFF_BYTES, int(max_bytes)) - 1}"
        self.guard = Guard(resolver or _system_resolver, allow_private=bool(allow_private), timeout=self.timeout)
        self.transport = Transport(concurrency=int(concurrency), per_host=int(per_host),
                                   ssl_context=ssl_context or ssl.create_default_context(),
                                   max_bytes=int(max_bytes), max_header_bytes=int(max_header_bytes),
                                   use_proxy_env=bool(use_proxy_env))
        self.cache = Cache(cache_dir, ttl=ttl, repository=repository, max_entries=max_cache_entries) \
            if cache_dir is not None else None
        self.scheduler = Scheduler(self._run, concurrency=int(concurrency), per_host=int(per_host),
                                   per_host_rate=per_host_rate,
                                   deadline=time.monotonic() + budget if budget is not None else None)
        self._progress = Progress(progress)
        self._lock = threading.Lock()
        self._futures: dict[str, Future] = {}           # submitted URL (without fragment) -> its future
        self._by_target: dict[str, Future] = {}         # URL as fetched -> future (dedupe of spellings)
        self._offline_hosts: set[str] = set()           # hosts that failed for lack of any network
        self._unresolved: set[str] = set()              # hosts whose name did not resolve
        self._cached_hosts: dict[tuple, None] = {}      # (host, port) of URLs answered by the cache
        self._probed: bool | None = None                # whether a cached host's name resolves (asked once)
        self._total = self._done = self._cached = self._over_budget = 0
        self._closing = False

    # -- public interface

    @property
    def offline(self) -> bool:
        """True when checks failed for lack of any network and nothing was reached (or no name resolved)."""
        return bool(self._offline_hosts) and not self.transport.connections or self._blind(wait=False)

    @property
    def stats(self) -> dict[str, int]:
        transport = self.transport
        return {"requests": transport.requests, "connections": transport.connections, "bytes": transport.received,
                "cached": self._cached}

    @property
    def cache_error(self) -> str | None:
        return self.cache.problem if self.cache is not None else None

    @property
    def notices(self) -> tuple[str, ...]:
        """What the user should hear once at the end of the run."""
        said = []
        if self.offline:
            said.append("no network: remote images were not checked")
        if self._over_budget:
            said.append(f"remote checks ran out of their {self.budget:g} s time budget: {self._over_budget} "
                        f"image URL(s) left unverified")
        if self.transport.proxies:
            said.append("remote checks go through the environment's proxy, which resolves host names: "
                        "the address guard checks only literal addresses and localhost")
        if self.cache_error:
            said.append(self.cache_error)
        return tuple(said)

    def submit(self, url: str) -> None:
        """Start checking ``url`` in the background; a URL already submitted is not fetched again."""
        key = _key(url)
        with self._lock:
            if key in self._futures:
                return
            if self._closing:
                raise RuntimeError("RemoteChecker is closed")
            future = self._futures[key] = Future()
            try:
                target = _parse(key, self.allowed_ports)
            except _Done as done:
                target, answer = None, (done.state, done.detail)
            else:
                shared = self._by_target.get(target.url)
                if shared is not None:
                    self._futures[key] = shared
                    return
                self._by_target[target.url] = future
                cached = self._cached_answer(target)
                answer = (cached["state"], cached["detail"]) if cached is not None else None
                self._cached += cached is not None
                if cached is not None and target.ip is None:
                    self._cached_hosts[(target.host, target.port)] = None
            self._total += 1
        if answer is None:
            self.scheduler.add(target.host, (key, target, future))
            self._progress.draw(self._done, self._total)
        else:
            self._finish(future, key, answer, None)

    def result(self, url: str) -> RemoteResult:
        """Wait for the result of ``url`` (submitting it first if needed)."""
        self.submit(url)
        result = self._futures[_key(url)].result()
        if result.detail == UNRESOLVED and self._blind(wait=True):
            result = RemoteResult(result.url, "offline", "no network (no host name resolves)")
        return result if result.url == url else replace(result, url=url)

    def close(self) -> None:
        """Finish the checks submitted, close connections and write the cache."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
            futures = list(self._by_target.values())
        for future in futures:
            future.result()
        self.scheduler.close(timeout=self.timeout)
        self.transport.close()
        if self.cache is not None:
            self.cache.save()
        self._progress.draw(self._done, self._total, final=True)

    def cancel(self) -> None:
        """Give up the checks not started yet (they become "unverified") and stop waiting for retries."""
        for key, _, future in self.scheduler.cancel():
            self._finish(future, key, ("unverified", "not checked (cancelled)"), None)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.cancel()
        self.close()
        return False

    # -- one URL

    def _run(self, item) -> None:
        """A worker's turn: follow one URL to its verdict (holding a slot of its host) and record it."""
        key, target, future = item
        try:
            answer = self._follow(target)
        except Exception as error:                      # never leave a caller waiting on a lost result
            answer = ("unverified", f"internal error ({type(error).__name__}: {error})")
        self._finish(future, key, answer, target)

    def _follow(self, target: _Target) -> tuple[str, str]:
        slot, url = target.host, target
        try:
            if self.scheduler.expired():
                return "unverified", f"not checked (the {self.budget:g} s time budget ran out)"
            if len(self._offline_hosts) >= _OFFLINE_HOSTS and not self.transport.connections:
                return "offline", "no network"
            url, redirects, retries, use_range = target, 0, 0, True
            for attempt in itertools.count():               # ends: redirects, retries and 416s are bounded
                if attempt:                             # each further request takes its own slot
                    self.scheduler.release(slot)
                    slot = None
                    self.scheduler.acquire(url.host)
                    slot = url.host
                response = self._fetch(url, redirects > 0, use_range)
                status, location = response.status, response.header("location")
                if status in REDIRECTS and location:
                    redirects += 1
                    if redirects > self.max_redirects:
                        return "broken", f"too many redirects (more than {self.max_redirects})"
                    try:
                        url = _parse(_joined(url.url, location), self.allowed_ports)
                    except _Done as done:
                        raise _Done(done.state, f"after a redirect, {done.detail}") from None
                    continue
                if status in (429, 503) and not _challenge(response):
                    delay = _retry_after(response.header("retry-after"))
                    if delay is None:
                        if status == 503:
                            return "unverified", "HTTP 503"
                        delay = min(2.0 ** retries, self.retry_after_cap)
                    if delay > self.retry_after_cap:
                        return "unverified", f"HTTP {status} (Retry-After {_seconds(delay)} is over the cap)"
                    if retries >= self.max_retries:
                        return "unverified", f"HTTP {status} (gave up after Retry-After)"
                    if self.scheduler.expired(after=delay):
                        return "unverified", f"HTTP {status} (Retry-After ends after the time budget)"
                    retries += 1
                    self.scheduler.pause(url.host, delay)
                    continue
                if status == 416 and use_range:
                    use_range = False                   # an empty file, or a server that fumbles ranges
                    continue
                return _judge(response)
        except _Done as done:
            if done.state == "offline":
                return self._network_down(target.host, done.detail)
            if done.detail == UNRESOLVED:
                with self._lock:
                    self._unresolved.add(url.host)
            return done.state, done.detail
        finally:
            if slot is not None:
                self.scheduler.release(slot)

    def _fetch(self, url: _Target, redirected: bool, use_range: bool) -> _Response:
        """One GET of ``url`` from an address the guard checked, within the timeout and the budget."""
        addresses = self.guard.addresses(url, self.transport.proxy_for(url) is not None, redirected)
        deadline = min(time.monotonic() + self.timeout, self.scheduler.deadline or math.inf)
        headers = HTTPHeaderDict({"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "identity"})
        if use_range:
            headers["Range"] = self._range
        headers.update(self._headers_for(url.host))     # configured ones win, whatever their case
        return self.transport.fetch(url, addresses, headers, deadline)

    def _finish(self, future: Future, key: str, answer: tuple[str, str], target: _Target | None) -> None:
        state, detail = answer
        with self._lock:
            self._done += 1
            self._over_budget += detail.startswith("not checked (the") or "after the time budget" in detail
            # a name that does not resolve is judged against the run's other names (``_blind``): not kept
            if target is not None and state in ("ok", "broken") and detail != UNRESOLVED and self.cache is not None:
                self.cache.put(self._cache_keys(target)[0], state, detail)
        future.set_result(RemoteResult(key, state, detail))
        self._progress.draw(self._done, self._total)

    def _cache_keys(self, target: _Target) -> tuple[str, ...]:
        """Where ``target``'s verdict is written (first) and read, as the guard of this run vets it.

        A verdict fetched past the guard (``allow_private``, or a proxy that resolves names itself)
        may be an intranet server's: it is kept apart, under ``unguarded <url>``, so that a run with
        the guard on never reads it (its own guard says "blocked" first). A run without the guard
        may read what a guarded run fetched: that passed a stricter guard.
        """
        if self.guard.allow_private or self.transport.proxy_for(target) is not None:
            return f"unguarded {target.url}", target.url
        return (target.url,)

    def _cached_answer(self, target: _Target) -> dict | None:
        if self.cache is None:
            return None
        for key in self._cache_keys(target):
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        return None

    def _blind(self, wait: bool) -> bool:
        """Whether the resolver knows no name outside: ``_BLIND_HOSTS`` or more distinct names did not
        resolve and none did, nothing was connected to, and no host answered by the cache resolves
        now either (one asked). An air-gapped network with its own DNS answers "no such name" to
        every outside name: that is no network, not broken images. With ``wait``, the checks under
        way finish first, so that every name of the run has had its answer."""
        if wait:
            with self._lock:
                futures = list(self._by_target.values())
            for future in futures:
                future.result()
        with self._lock:
            if self.guard.resolved or self.transport.connections or len(self._unresolved) < _BLIND_HOSTS:
                return False
            if self._probed is not None or not self._cached_hosts:
                return not self._probed
            host, port = next(iter(self._cached_hosts))
        try:                                            # outside the lock: it may take the timeout
            self.guard.addresses(_Target("https", host, port, "/", None), proxied=False)
            probed = True
        except _Done as done:
            probed = done.state == "blocked"            # it resolved, to an address the guard refuses
        with self._lock:
            self._probed = probed
        return not probed

    def _network_down(self, host: str, why: str) -> tuple[str, str]:
        """"offline" while no connection has succeeded this run; after one has, the host's own trouble."""
        with self._lock:
            if self.transport.connections:
                return "unverified", why
            self._offline_hosts.add(host)
        return "offline", f"no network ({why})"

    def _headers_for(self, host: str) -> dict:
        return {name: value for glob, items in self._headers if fnmatch.fnmatchcase(host, glob)
                for name, value in items}


def _check_headers(headers: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """Configured headers per host glob; a name or value that could forge the request is refused."""
    checked = []
    for glob, fields in headers.items():
        items = [(name, str(value)) for name, value in fields.items()]
        for name, value in items:
            if not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
                raise ValueError(f"invalid header name {name!r}")
            if name.lower() in _RESERVED_HEADERS:
                raise ValueError(f"header {name} cannot be configured")
            if re.search(r"[\r\n\0]", value):
                raise ValueError(f"header {name} has a line break in its value")
            value.encode("latin-1")
        checked.append((str(glob).lower(), items))
    return checked


def _joined(base: str, location: str) -> str:
    """The redirect's target; a ``Location`` that is no URL (``http://[::1``) ends the check as broken."""
    try:
        return urljoin(base, location)
    except ValueError:
        raise _Done("broken", f"malformed URL (Location {location[:100]!r})") from None


def _seconds(delay: float) -> str:
    """A wait as the user reads it: ``45 s``; a server's absurd one (``1e308``, ``inf``) not in 309 digits."""
    return f"{delay:.0f} s" if delay < 1e6 else "of more than a million seconds"


def _key(url: str) -> str:
    return url.strip().partition("#")[0]

"""One GET and its answer, on urllib3: connection pools, TLS, and the response reader.

urllib3 rather than httpx: it is the engine under pip and requests (httpx would bring httpcore, h11
and anyio for the same GETs), synchronous like the checker's worker threads, and its pools keep apart
the address connected to and the name verified (``server_hostname``), as the address guard needs. It
parses status lines, headers, chunked and compressed bodies, keeps connections alive, tunnels proxies.

What lintnews adds here:

- every connection goes to an address the guard checked: ``_new_conn`` opens the socket through
  ``_connect_socket`` (pools are keyed by name and address); ``Host``, SNI and the certificate check
  use the URL's name;
- one deadline per exchange, not per read: the socket is read through ``_Meter``, which gives each
  read only the time left, stops the headers at ``max_header_bytes`` and the raw body at its budget;
- the decoded body is read up to a cap and no further (urllib3 decompresses no more than is asked
  for, so a gzip bomb stops there);
- no redirects and no retries: the checker follows each hop itself, through the guard.
"""
from __future__ import annotations

import errno
import http.client
import io
import ssl
import threading
import time
import urllib.request
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urlsplit

from urllib3 import HTTPConnectionPool, HTTPHeaderDict, HTTPSConnectionPool, PoolManager, ProxyManager, Timeout
from urllib3 import exceptions as u3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.response import HTTPResponse
from urllib3.util import make_headers
from urllib3.util.ssl_match_hostname import CertificateError

from .address import _NET_DOWN, _Target
from .verdict import SNIFF_BYTES, _Done, _Response

_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


class _HeadersTooLarge(Exception):
    """Raised by the meter (not an OSError, so that urllib3 lets it through unwrapped)."""


class _ConnectFailed(Exception):
    """No TCP connection to this address: ``args[0]`` says why (not an OSError, so urllib3 lets it through)."""


@dataclass
class _Exchange:
    """The request under way in this thread, as the connection and the meter see it."""
    transport: Transport
    deadline: float
    meter: _Meter | None = None
    received: int = 0
    connected: int = 0


_EXCHANGE: ContextVar[_Exchange] = ContextVar("lintnews_remote_exchange")


class _Meter(io.RawIOBase):
    """The socket as ``http.client`` reads it, with the exchange's deadline and byte budgets."""

    def __init__(self, sock, exchange: _Exchange):
        super().__init__()
        self.sock, self.exchange = sock, exchange
        self.raw = sock.makefile("rb", buffering=0)    # keeps the socket open while the response lives
        self.limit = exchange.transport.max_header_bytes
        self.count = 0
        self.in_head = True

    def makefile(self, mode: str) -> io.BufferedReader:
        """What ``http.client.HTTPResponse`` asks of a socket; small reads, so little body rides with the head."""
        self.reader = io.BufferedReader(self, max(1024, min(self.exchange.transport.max_bytes, 16384)))
        return self.reader

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.count

    def readinto(self, buffer) -> int:
        left = self.limit - self.count
        if left <= 0:
            if self.in_head:
                raise _HeadersTooLarge()
            return 0                                    # the body budget is spent: an end, as far as we read
        remaining = self.exchange.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("timed out")
        self.sock.settimeout(remaining)
        count = self.raw.readinto(memoryview(buffer)[:left]) or 0
        self.count += count
        self.exchange.received += count
        return count

    def start_body(self, budget: int) -> None:
        """The headers are in: from here at most ``budget`` raw bytes more than they took."""
        self.in_head = False
        self.limit = self.reader.tell() + budget

    def close(self) -> None:
        if not self.closed:
            self.raw.close()
        super().close()


class _MeteredResponse(http.client.HTTPResponse):
    def __init__(self, sock, *args, **kwargs):
        exchange = _EXCHANGE.get()
        exchange.meter = _Meter(sock, exchange)
        super().__init__(exchange.meter, *args, **kwargs)


def _open_socket(host: str, port: int):
    """A TCP connection to the checked address ``host`` (or the user's proxy), through the tests' seam."""
    from . import _connect_socket                      # looked up on the package: the seam tests patch
    exchange = _EXCHANGE.get()
    try:
        sock = _connect_socket(host, port, max(0.001, exchange.deadline - time.monotonic()))
    except OSError as error:
        raise _ConnectFailed(error) from None
    exchange.connected += 1
    exchange.transport.connected()
    return sock


def _new_conn(connection):
    return _open_socket(connection.host, connection.port)


class _Connection(HTTPConnection):
    response_class, _new_conn = _MeteredResponse, _new_conn


class _TLSConnection(HTTPSConnection):
    response_class, _new_conn = _MeteredResponse, _new_conn


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


_POOLS = {"http": _Pool, "https": _TLSPool}


def _caused_by(error: BaseException, kinds) -> BaseException | None:
    """The first exception of ``kinds`` in ``error``'s chain (urllib3 wraps what it catches)."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, kinds):
            return error
        inner = [arg for arg in (getattr(error, "reason", None), *error.args) if isinstance(arg, BaseException)]
        error = inner[0] if inner else error.__cause__ or error.__context__
    return None


class Transport:
    """Pools of kept-alive connections and one exchange at a time per calling thread; counts what it does."""

    def __init__(self, *, concurrency: int, per_host: int, ssl_context: ssl.SSLContext, max_bytes: int,
                 max_header_bytes: int, use_proxy_env: bool):
        self.max_bytes, self.max_header_bytes = max_bytes, max_header_bytes
        self.requests = self.connections = self.received = 0
        self._lock = threading.Lock()
        # at most per_host idle connections per pool, for the 2 x concurrency pools used last
        self._settings = {"num_pools": 2 * concurrency, "maxsize": per_host, "ssl_context": ssl_context}
        self._direct = PoolManager(**self._settings)
        self._direct.pool_classes_by_scheme = _POOLS
        self.proxies = urllib.request.getproxies_environment() if use_proxy_env else {}
        self._proxy_managers: dict[str, ProxyManager] = {}

    def proxy_for(self, url: _Target) -> str | None:
        """The environment proxy for ``url`` (only with ``use_proxy_env``), or None."""
        if not self.proxies or urllib.request.proxy_bypass_environment(url.host, self.proxies):
            return None
        return self.proxies.get(url.scheme)

    def close(self) -> None:
        for manager in (self._direct, *self._proxy_managers.values()):
            manager.clear()

    def idle_connections(self) -> int:
        pools = [self._direct.pools[key] for key in self._direct.pools.keys()]
        return sum(1 for pool in pools for conn in list(pool.pool.queue) if conn is not None and conn.sock)

    def fetch(self, url: _Target, addresses: list[str] | None, headers: HTTPHeaderDict, deadline: float) -> _Response:
        """GET ``url`` from the first of ``addresses`` that accepts a connection (None: through the proxy)."""
        exchange = _Exchange(self, deadline)
        token = _EXCHANGE.set(exchange)
        try:
            headers["Host"] = url.authority             # the real name, also over a checked address
            return self._fetch(url, addresses, headers, exchange)
        finally:
            _EXCHANGE.reset(token)
            with self._lock:
                self.requests += 1
                self.received += exchange.received

    def connected(self) -> None:
        """Count a new connection (its socket is open: the network is there)."""
        with self._lock:
            self.connections += 1

    def _fetch(self, url: _Target, addresses, headers: HTTPHeaderDict, exchange: _Exchange) -> _Response:
        failure: OSError | None = None
        for pool, target in self._routes(url, addresses):
            for attempt in range(2):                    # once more when a kept-alive connection went stale
                exchange.meter, before = None, (exchange.connected, exchange.received)
                remaining = max(0.001, exchange.deadline - time.monotonic())
                try:
                    response = pool.urlopen("GET", target, headers=headers, retries=False, redirect=False,
                                            preload_content=False, assert_same_host=False,
                                            timeout=Timeout(connect=remaining, read=remaining))
                except _ConnectFailed as failed:
                    failure = failed.args[0]
                    break                               # the next checked address
                except Exception as error:
                    if attempt == 0 and (exchange.connected, exchange.received) == before and \
                            _caused_by(error, _STALE):
                        continue
                    raise self._failure(error) from None
                return self._read(response, exchange)
        raise _connect_failure(failure)

    def _routes(self, url: _Target, addresses):
        if addresses is None:
            yield self._proxy_manager(self.proxy_for(url)), url.url
            return
        for ip in addresses:                            # a pool per name and address (the name: SNI, certificate)
            pool = self._direct.connection_from_host(ip, url.port, url.scheme,
                                                     pool_kwargs={"server_hostname": url.host})
            yield pool, url.path

    def _proxy_manager(self, proxy: str) -> ProxyManager:
        manager = self._proxy_managers.get(proxy)
        if manager is None:
            parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
            if parts.scheme not in ("http", "https"):
                raise _Done("unverified", f"proxy {parts.scheme}:// is not supported (only http and https are)")
            auth = make_headers(proxy_basic_auth=f"{parts.username}:{parts.password or ''}") \
                if parts.username else None
            manager = ProxyManager(proxy, proxy_headers=auth, **self._settings)
            manager.pool_classes_by_scheme = _POOLS
            self._proxy_managers[proxy] = manager
        return manager

    def _read(self, response: HTTPResponse, exchange: _Exchange) -> _Response:
        """The body up to the cap: all of a small one (the connection is then reused), else the first bytes."""
        if response.status < 200:                       # http.client passes over 100 only: the rest is unread
            response.close()
            response.release_conn()
            raise _Done("unverified", f"bad HTTP answer (interim HTTP {response.status} before the answer)")
        length = response.length_remaining
        small = response.chunked or (length is not None and length <= self.max_bytes)
        cap = self.max_bytes if small else min(SNIFF_BYTES, self.max_bytes)
        exchange.meter.start_body(2 * cap if response.chunked else cap)   # every response made one
        body = bytearray()
        try:
            while len(body) < cap:
                piece = response.read(min(16384, cap - len(body)), decode_content=True)
                if not piece:
                    break
                body += piece
        except Exception as error:
            response.close()
            if not body:
                raise self._failure(error) from None    # else judge what arrived
        complete = len(body) < cap or response.length_remaining == 0
        if not complete:
            response.close()                            # never reuse a connection with unread bytes
        response.release_conn()
        encodings = [part.strip() for part in response.headers.get("content-encoding", "").lower().split(",")]
        encoded = any(part not in ("", "identity", *HTTPResponse.CONTENT_DECODERS) for part in encodings)
        return _Response(response.status, response.headers, bytes(body), encoded)

    @staticmethod
    def _failure(error: BaseException) -> _Done:
        """What went wrong after connecting, as the checker reports it (the first kind found in the chain)."""
        if "got more than" in str(error):              # http.client: too many header lines
            return _Done("unverified", "response headers too large")
        for kinds, state, detail in _FAILURES:
            cause = _caused_by(error, kinds)
            if cause is not None:
                why = getattr(cause, "verify_message", None) or getattr(cause, "reason", None) or \
                    getattr(cause, "strerror", None) or cause
                return _Done(state, detail.format(why))
        return _Done("unverified", f"bad HTTP answer ({type(error).__name__})")


def _connect_failure(error: OSError | None) -> _Done:
    if error is None or isinstance(error, TimeoutError):
        return _Done("unverified", "timed out")
    if error.errno in _NET_DOWN:
        return _Done("offline", error.strerror or "network is unreachable")
    if error.errno == errno.ECONNREFUSED:
        return _Done("unverified", "connection refused")
    return _Done("unverified", f"cannot connect ({error.strerror or error})")


_FAILURES = (
    ((_HeadersTooLarge, http.client.LineTooLong), "unverified", "response headers too large"),
    ((TimeoutError, u3.TimeoutError), "unverified", "timed out"),
    ((ssl.SSLCertVerificationError, CertificateError), "broken", "TLS certificate not valid ({})"),
    ((u3.ProxyError,), "unverified", "the proxy refused or failed the request"),
    ((ssl.SSLError,), "unverified", "TLS handshake failed ({})"),
    ((http.client.RemoteDisconnected,), "unverified", "connection closed without an answer"),
    ((http.client.BadStatusLine,), "unverified", "bad HTTP answer (not an HTTP response)"),
    ((u3.DecodeError,), "unverified", "bad HTTP answer (the body cannot be decompressed)"),
    ((http.client.IncompleteRead, u3.ProtocolError, http.client.HTTPException), "unverified",
     "bad HTTP answer (the body is malformed or cut short)"),
    ((OSError,), "unverified", "connection lost ({})"),
)

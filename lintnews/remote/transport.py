"""Connections for the checker: requests, the keep-alive pool, TLS and environment proxies."""
from __future__ import annotations

import base64
import errno
import ipaddress
import socket
import ssl
import time
from urllib.parse import unquote, urlsplit

from .address import _NET_DOWN, _Target
from .common import _IDLE_CONNECTION_SECONDS, ACCEPT, USER_AGENT, _Done
from .http import _BadResponse, _Connection, _HeadersTooLarge, _NoResponse, _parse_head, _read_response, _Response


class _TransportMixin:
    """Sending requests and keeping connections (part of ``RemoteChecker``)."""

    # -- connections

    def _exchange(self, url: _Target, addresses, proxy, use_range: bool) -> _Response:
        """One request and its response, on a pooled connection when there is one."""
        deadline = time.monotonic() + self.timeout
        pool_key = (url.scheme, url.host, url.port, proxy)
        request = self._request(url, proxy, use_range)
        for attempt in range(2):
            conn = self._take(pool_key) if attempt == 0 else None
            reused = conn is not None
            if conn is None:
                conn = self._open(url, addresses, proxy, deadline)
            before = conn.received
            try:
                conn.send(request, deadline)
                with self._cond:
                    self.stats["requests"] += 1
                response = _read_response(conn, deadline, self.max_header_bytes, self.max_bytes)
            except _NoResponse:
                conn.close()
                if reused:
                    continue                            # the server closed an idle connection: once more
                raise _Done("unverified", "connection closed without an answer") from None
            except (BrokenPipeError, ConnectionResetError) as error:
                conn.close()
                if reused and conn.received == before:
                    continue
                raise _Done("unverified", f"connection lost ({error.strerror or error})") from None
            except TimeoutError:
                conn.close()
                raise _Done("unverified", "timed out") from None
            except _HeadersTooLarge:
                conn.close()
                raise _Done("unverified", "response headers too large") from None
            except _BadResponse as error:
                conn.close()
                raise _Done("unverified", f"bad HTTP answer ({error})") from None
            except OSError as error:
                conn.close()
                raise _Done("unverified", f"connection failed ({error.strerror or error})") from None
            finally:
                with self._cond:
                    self.stats["bytes"] += conn.received - before
            if response.reusable:
                self._give_back(pool_key, conn)
            else:
                conn.close()
            return response
        raise _Done("unverified", "connection closed without an answer")

    def _request(self, url: _Target, proxy, use_range: bool) -> bytes:
        target = url.url if proxy and url.scheme == "http" else url.path
        lines = [f"GET {target} HTTP/1.1", f"Host: {url.authority}"]
        fields = {"user-agent": ("User-Agent", USER_AGENT), "accept": ("Accept", ACCEPT),
                  "accept-encoding": ("Accept-Encoding", "identity"), "connection": ("Connection", "keep-alive")}
        if use_range:
            fields["range"] = ("Range", self._range)
        if proxy and url.scheme == "http" and proxy[2]:
            fields["proxy-authorization"] = ("Proxy-Authorization", proxy[2])
        for name, value in self._headers_for(url.host):
            fields[name.lower()] = (name, value)
        lines += [f"{name}: {value}" for name, value in fields.values()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _open(self, url: _Target, addresses, proxy, deadline: float) -> _Connection:
        if proxy:
            sock = self._connect_proxy(proxy, deadline)
        else:
            sock = self._connect(url.host, addresses, url.port, deadline)
        conn = _Connection(sock)
        if proxy and url.scheme == "https":
            self._tunnel(conn, url, proxy, deadline)
        if url.scheme == "https":
            conn.sock = self._wrap(conn.sock, url.host, deadline)
        return conn

    def _connect(self, host: str, addresses: list[str], port: int, deadline: float) -> socket.socket:
        from . import _connect_socket                  # looked up on the package: the seam tests patch
        last: BaseException | None = None
        for ip in addresses:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                sock = _connect_socket(ip, port, remaining)
            except OSError as error:
                last = error
                continue
            with self._cond:
                self._tcp_contact = True
                self.stats["connections"] += 1
            return sock
        if last is None or isinstance(last, TimeoutError):
            raise _Done("unverified", "timed out")
        if last.errno in _NET_DOWN:
            self._network_down(host, last.strerror or "network is unreachable")
        if last.errno == errno.ECONNREFUSED:
            raise _Done("unverified", "connection refused")
        raise _Done("unverified", f"cannot connect ({last.strerror or last})")

    def _wrap(self, sock: socket.socket, host: str, deadline: float) -> socket.socket:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            sock.close()
            raise _Done("unverified", "timed out")
        sock.settimeout(remaining)
        try:
            return self._ssl.wrap_socket(sock, server_hostname=host)
        except ssl.SSLCertVerificationError as error:
            sock.close()
            raise _Done("broken", f"TLS certificate not valid ({error.verify_message})") from None
        except TimeoutError:
            sock.close()
            raise _Done("unverified", "timed out") from None
        except OSError as error:
            sock.close()
            raise _Done("unverified", f"TLS handshake failed ({getattr(error, 'reason', None) or error})") from None

    def _take(self, key) -> _Connection | None:
        stale = []
        found = None
        with self._cond:
            pool = self._pool.get(key)
            while pool:
                conn = pool.pop()
                self._idle_connections -= 1
                if time.monotonic() - conn.idle_since < _IDLE_CONNECTION_SECONDS:
                    found = conn
                    break
                stale.append(conn)
            if pool is not None and not pool:
                del self._pool[key]
        for conn in stale:
            conn.close()
        return found

    def _give_back(self, key, conn: _Connection) -> None:
        """Keep ``conn`` for the next request to the same place: at most ``per_host`` idle per host and
        ``2 x concurrency`` in all (the connection idle longest is closed to make room)."""
        conn.idle_since = time.monotonic()
        evicted = conn
        with self._cond:
            if not self._closed and len(self._pool.get(key, ())) < self.per_host:
                evicted = None
                if self._idle_connections >= 2 * self.concurrency:
                    oldest = min(self._pool, key=lambda name: self._pool[name][0].idle_since)
                    evicted = self._pool[oldest].pop(0)
                    self._idle_connections -= 1
                    if not self._pool[oldest]:
                        del self._pool[oldest]
                self._pool.setdefault(key, []).append(conn)
                self._idle_connections += 1
        if evicted is not None:
            evicted.close()

    # -- proxies (only with use_proxy_env)

    @staticmethod
    def _env_proxies() -> dict:
        import urllib.request
        return urllib.request.getproxies_environment()

    def _proxy_for(self, url: _Target):
        """(host, port, Proxy-Authorization value or "") of the environment proxy for ``url``, or None."""
        if not self._proxies:
            return None
        import urllib.request
        if urllib.request.proxy_bypass_environment(url.host, self._proxies):
            return None
        spec = self._proxies.get(url.scheme)
        if not spec:
            return None
        parts = urlsplit(spec if "://" in spec else "http://" + spec)
        if parts.scheme != "http" or not parts.hostname:
            raise _Done("unverified", f"proxy {parts.scheme}:// not supported (only http://)")
        auth = ""
        if parts.username is not None:
            token = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            auth = "Basic " + base64.b64encode(token).decode("ascii")
        return parts.hostname, parts.port or 80, auth

    def _connect_proxy(self, proxy, deadline: float) -> socket.socket:
        host, port, _ = proxy
        try:
            ips = [str(ipaddress.ip_address(host))]
        except ValueError:
            ips = [str(ip) for ip in self._resolve(host, port)]     # the proxy is the user's: not guarded
        return self._connect(host, ips, port, deadline)

    def _tunnel(self, conn: _Connection, url: _Target, proxy, deadline: float) -> None:
        lines = [f"CONNECT {url.host if ':' not in url.host else '[' + url.host + ']'}:{url.port} HTTP/1.1",
                 f"Host: {url.authority}"]
        if proxy[2]:
            lines.append(f"Proxy-Authorization: {proxy[2]}")
        try:
            conn.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"), deadline)
            _, status, _ = _parse_head(conn.read_head(deadline, self.max_header_bytes, True))
        except TimeoutError:
            conn.close()
            raise _Done("unverified", "timed out") from None
        except (OSError, _BadResponse, _HeadersTooLarge, _NoResponse):
            conn.close()
            raise _Done("unverified", "proxy tunnel failed") from None
        if status != 200:
            conn.close()
            raise _Done("unverified", f"proxy refused the tunnel (HTTP {status})")

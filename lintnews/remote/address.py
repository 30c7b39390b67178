"""URL parsing and the address guard: what is fetched, which addresses are allowed, name resolution."""
from __future__ import annotations

import errno
import ipaddress
import re
import socket
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from .verdict import _Done

_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_ADDRESSES = 16          # addresses of one name that are tried (all of them are checked)

_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)\Z")
_HOST_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\Z")


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str           # ASCII, lower case, no brackets, no trailing dot; an IP in canonical form
    port: int
    path: str           # the request target: path and query, percent-encoded
    ip: object          # ipaddress object when the host is a literal address, else None

    @property
    def authority(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == _DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"

    @property
    def url(self) -> str:
        """The URL as fetched: no credentials, no fragment, a canonical host."""
        return f"{self.scheme}://{self.authority}{self.path}"


def _parse_ipv4(labels: list[str]):
    """The WHATWG/inet_aton reading of an all-numeric host: ``127.1``, ``2130706433``, ``0x7f.1``, ``0177.0.0.1``."""
    if len(labels) > 4:
        return None
    numbers = []
    for label in labels:
        if label.startswith("0x"):
            numbers.append(int(label[2:] or "0", 16))
        elif len(label) > 1 and label.startswith("0"):
            if not set(label) <= set("01234567"):
                return None
            numbers.append(int(label, 8))
        else:
            numbers.append(int(label))
    if any(number > 255 for number in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _parse(url: str, allowed_ports) -> _Target:
    """Parse and vet a URL; raises _Done for what is not fetched."""
    text = url.strip()
    if text.startswith("//"):
        text = "https:" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        raise _Done("broken", "malformed URL") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        if not scheme:
            raise _Done("blocked", "it is not an absolute http(s) URL")
        raise _Done("blocked", f"scheme {scheme} is not allowed (only http and https are)")
    netloc = parts.netloc.rpartition("@")[2]          # credentials are never sent
    if netloc.startswith("["):
        end = netloc.find("]")
        if end < 0:
            raise _Done("broken", "malformed URL (host)")
        host, rest = netloc[1:end], netloc[end + 1:]
        if rest and not rest.startswith(":"):
            raise _Done("broken", "malformed URL (host)")
        port_text = rest[1:]
        bracketed = True
    else:
        host, _, port_text = netloc.partition(":")
        bracketed = False
    if port_text:
        if not (port_text.isascii() and port_text.isdigit()) or int(port_text) > 65535:
            raise _Done("broken", "malformed URL (port)")
        port = int(port_text)
    else:
        port = _DEFAULT_PORTS[scheme]
    host = unquote(host)                                # browsers percent-decode the host
    ip = None
    if bracketed:
        try:
            ip = ipaddress.IPv6Address(host.partition("%")[0])
        except ValueError:
            raise _Done("broken", "malformed URL (IPv6 address)") from None
        host = str(ip)
    else:
        if host.endswith("."):
            host = host[:-1]
        if not host:
            raise _Done("broken", "URL has no host")
        if not host.isascii():
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError:
                raise _Done("broken", "invalid host name") from None
        host = host.lower()
        labels = host.split(".")
        if all(_NUMERIC_LABEL.match(label) for label in labels):
            ip = _parse_ipv4(labels)
            if ip is None:
                raise _Done("broken", "invalid IPv4 address")
            host = str(ip)
        elif _NUMERIC_LABEL.match(labels[-1]) or len(host) > 253 or \
                not all(_HOST_LABEL.match(label) for label in labels):
            raise _Done("broken", "invalid host name")
    if port not in allowed_ports:
        raise _Done("blocked", f"port {port} is not allowed")
    path = quote(parts.path or "/", safe="/%!$&'()*+,;=:@-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/?%!$&'()*+,;=:@-._~[]")
    return _Target(scheme, host, port, path, ip)


_METADATA = {ipaddress.ip_address(address) for address in
             ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254", "fd00:ec2::23")}
_SHARED = ipaddress.ip_network("100.64.0.0/10")
# IANA's special-purpose registries, where Python's tables (3.11) lag: all of 192.0.0.0/24 (3.11
# misses 192.0.0.8-255: the dummy address, the PCP and TURN anycasts, ...; no image is served from
# there) and the documentation prefix 3fff::/20 (RFC 9637, 2024)
_SPECIAL = tuple((ipaddress.ip_network(network), kind) for network, kind in (
    ("192.0.0.0/24", "an IETF protocol address"), ("3fff::/20", "a documentation address")))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def address_problem(address) -> str | None:
    """Why connecting to ``address`` is refused by the guard (``"a loopback address"``), or None when it is public."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            problem = address_problem(embedded)
            if problem:
                return problem
    if ip in _METADATA:
        return "a cloud metadata address"
    if ip.version == 4 and ip in _SHARED:
        return "a shared address"
    for network, kind in _SPECIAL:
        if ip.version == network.version and ip in network:
            return kind
    for test, kind in _KINDS:
        if getattr(ip, test, False):
            return kind
    return None if ip.is_global else "a non-public address"


_KINDS = (("is_unspecified", "an unspecified address"), ("is_loopback", "a loopback address"),
          ("is_link_local", "a link-local address"), ("is_multicast", "a multicast address"),
          ("is_reserved", "a reserved address"), ("is_private", "a private address"),
          ("is_site_local", "a site-local address"))


def _system_resolver(host: str, port: int) -> list[str]:
    addresses = []
    for family, _, _, _, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        if family in (socket.AF_INET, socket.AF_INET6) and sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    return addresses


def _connect_socket(ip: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to exactly this address (the seam tests use to see every connection attempt)."""
    sock = socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.connect((ip, port))
    except BaseException:
        sock.close()
        raise
    return sock


_NO_NAME = {code for code in (getattr(socket, name, None) for name in ("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY"))
            if code is not None}
_NET_DOWN = {errno.ENETUNREACH, errno.ENETDOWN, errno.EHOSTUNREACH}


UNRESOLVED = "name does not resolve"


class Guard:
    """Which addresses a URL may be fetched from: each name resolved once per run, every answer checked.

    A resolver that cannot reach the network raises ``_Done("offline", why)``; the checker decides
    whether that means no network at all.
    """

    def __init__(self, resolver, *, allow_private: bool, timeout: float):
        self.allow_private = allow_private
        self._resolver = resolver
        self._timeout = timeout
        self._lock = threading.Lock()
        self._answers: dict[tuple, Future] = {}
        self.resolved = 0           # names that resolved to an address it lets through (the resolver knows the outside)

    def addresses(self, url: _Target, proxied: bool, redirected: bool = False) -> list[str] | None:
        """The checked addresses to connect to, in order (None: the proxy resolves the name); raises _Done."""
        if not self.allow_private and (url.host == "localhost" or url.host.endswith(".localhost")):
            raise _Done("blocked", _refusal("localhost", None, "a loopback address", redirected))
        if url.ip is None and proxied:
            return None
        ips = [url.ip] if url.ip is not None else self._resolve(url.host, url.port)
        for ip in [] if self.allow_private else ips:
            problem = address_problem(ip)
            if problem:
                raise _Done("blocked", _refusal(url.host, ip if url.ip is None else None, problem, redirected))
        return [str(ip) for ip in ips[:_MAX_ADDRESSES]]

    def _resolve(self, host: str, port: int) -> list:
        """Resolve once per run: every later request reuses the checked answer, so rebinding has no window."""
        with self._lock:
            future = self._answers.get((host, port))
            owner = future is None
            if owner:
                future = self._answers[(host, port)] = Future()
        if owner:
            threading.Thread(target=self._run_resolver, args=(future, host, port), daemon=True,
                             name="lintnews-remote-dns").start()
        try:
            answer = future.result(timeout=self._timeout)
        except FutureTimeout:
            raise _Done("unverified", "timed out (name resolution)") from None
        except socket.gaierror as error:
            if error.errno in _NO_NAME:
                raise _Done("broken", UNRESOLVED) from None
            if error.errno == socket.EAI_AGAIN:
                raise _Done("offline", "temporary failure in name resolution") from None
            raise _Done("unverified", f"name resolution failed ({error.strerror or error})") from None
        except OSError as error:
            if error.errno in _NET_DOWN:
                raise _Done("offline", error.strerror or "network is unreachable") from None
            raise _Done("unverified", f"name resolution failed ({error.strerror or error})") from None
        if not answer:
            raise _Done("broken", UNRESOLVED)
        try:                                        # all are checked by the caller; a few are tried
            ips = [ipaddress.ip_address(str(address).partition("%")[0]) for address in answer]
        except ValueError:
            raise _Done("unverified", f"resolver answered a non-address ({answer!r})") from None
        # a name that resolves to an address the guard refuses (an intranet name, one in
        # /etc/hosts) tells nothing of the outside: an air-gapped resolver answers those too
        if owner and (self.allow_private or any(address_problem(ip) is None for ip in ips)):
            with self._lock:
                self.resolved += 1
        return ips

    def _run_resolver(self, future: Future, host: str, port: int) -> None:
        try:
            future.set_result(list(self._resolver(host, port)))
        except BaseException as error:
            future.set_exception(error)


def _refusal(host: str, resolved, problem: str, redirected: bool) -> str:
    """The guard's refusal as a clause: "10.0.0.5 is a private address", "it redirects to a.example, which ..."."""
    where = f"{host}, which resolves to {resolved}, {problem}" if resolved else f"{host}, {problem}"
    if redirected:
        return f"it redirects to {where}"
    return f"{host} resolves to {resolved}, {problem}" if resolved else f"{host} is {problem}"

"""Check remote image URLs for the ``image-broken`` rule: fast, polite and safe on untrusted articles.

::

    with RemoteChecker(cache_dir=".lintnews_cache") as checker:
        for url in urls:
            checker.submit(url)              # starts in the background, one request per unique URL
        for url in urls:
            result = checker.result(url)     # RemoteResult(url, state, detail)
    if checker.offline:
        print("no network: remote images were not checked")

States:

``ok``
    A 200/206 answer that is an image: an ``image/*`` content type (or a generic one such as
    ``application/octet-stream``) and the magic bytes of a known format (PNG, JPEG, GIF, WebP,
    BMP, ICO/CUR, AVIF/HEIF, TIFF, JPEG XL; SVG markup with ``image/svg+xml``).
``broken``
    HTTP 404/410 and other 4xx except 403/408/425/429 (401 too: readers cannot log in), a name
    that does not resolve, a 200 that is not an image (``text/html`` soft 404s), too many
    redirects, an invalid TLS certificate, a malformed URL.
``unverified``
    Transient or inconclusive: 5xx, 429/503 after honouring ``Retry-After``, time-outs, refused
    connections, bot-protection challenges and **every 403** -- news CDNs answer 403 to hotlinks
    without their own ``Referer``; the detail suggests configuring one with ``headers``
    (a 403 is therefore never reported as broken).
``blocked``
    Not fetched on purpose: a scheme other than http/https, a port outside ``allowed_ports``, or
    an address that is not public (loopback, private, link-local, shared 100.64/10, multicast,
    reserved, unspecified, cloud metadata), in any spelling, directly or after a redirect.
``offline``
    No network at all (name resolution fails with a temporary failure, or connecting fails
    with "network unreachable", and nothing has been reached). ``checker.offline`` is then
    True so the caller can print one notice instead of failing.

Only ``ok`` and ``broken`` are written to the persistent cache.

Safety: each host name is resolved once per checker, every address it resolves to is checked,
and the socket is connected to a checked address (HTTPS is wrapped with ``server_hostname=`` the
real name and the ``Host`` header names the real host), so DNS rebinding has no window. Every
redirect hop is checked the same way. Credentials in URLs are never sent, environment proxies are
ignored unless ``use_proxy_env`` (then the proxy resolves names: literal addresses and
``localhost`` are still checked, names are the proxy's business), response headers are capped at
``max_header_bytes`` and the body read at ``max_bytes``.

Politeness: ``GET`` with ``Range: bytes=0-4095`` (not ``HEAD``, which many CDNs answer
differently), keep-alive connections per host, at most ``per_host`` requests in flight per host
and ``per_host_rate`` request starts per second per host, ``Retry-After`` honoured for the whole
host.
"""
from __future__ import annotations

import base64
import errno
import fnmatch
import ipaddress
import json
import os
import re
import socket
import ssl
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from urllib.parse import quote, unquote, urljoin, urlsplit

from . import __version__

__all__ = ["RemoteChecker", "RemoteResult", "STATES", "address_problem", "progress_stream"]

STATES = ("ok", "broken", "unverified", "blocked", "offline")
CACHE_FILE = "remote-images.json"
CACHE_FORMAT = "lintnews-remote-images"
CACHE_VERSION = 1
USER_AGENT = f"lintnews/{__version__} (image link check)"
ACCEPT = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"
SNIFF_BYTES = 4096           # the Range asked for, and what is read of a body too big to drain
REDIRECTS = (301, 302, 303, 307, 308)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_RESERVED_HEADERS = {"host", "connection", "content-length", "transfer-encoding", "range", "te", "upgrade",
                     "proxy-authorization", "expect"}
_MAX_ADDRESSES = 16          # addresses of one name that are tried (all of them are checked)
_IDLE_SECONDS = 2.0          # a worker with nothing to do for this long ends
_IDLE_CONNECTION_SECONDS = 30.0   # a pooled connection idle longer is not reused
_OFFLINE_HOSTS = 3           # distinct hosts failing with "no network", nothing reached: stop trying


@dataclass(frozen=True)
class RemoteResult:
    url: str
    state: str      # "ok" | "broken" | "unverified" | "blocked" | "offline"
    detail: str     # one short human phrase


class _Done(Exception):
    """Ends a check with a state and a detail."""

    def __init__(self, state: str, detail: str):
        super().__init__(state, detail)
        self.state = state
        self.detail = detail


class _BadResponse(Exception):
    pass


class _HeadersTooLarge(Exception):
    pass


class _NoResponse(Exception):
    """The connection closed before a byte of the response arrived (a stale keep-alive connection)."""


# --- URLs and addresses ---------------------------------------------------------------------------

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
            raise _Done("blocked", "not an absolute http(s) URL")
        raise _Done("blocked", f"scheme {scheme} not allowed (only http and https)")
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
        raise _Done("blocked", f"port {port} not allowed")
    path = quote(parts.path or "/", safe="/%!$&'()*+,;=:@-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/?%!$&'()*+,;=:@-._~[]")
    return _Target(scheme, host, port, path, ip)


_METADATA = {ipaddress.ip_address(address) for address in
             ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254", "fd00:ec2::23")}
_SHARED = ipaddress.ip_network("100.64.0.0/10")
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
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.version == 4 and ip in _SHARED:
        return "a shared address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private address"
    if getattr(ip, "is_site_local", False):
        return "a site-local address"
    if not ip.is_global:
        return "a non-public address"
    return None


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


# --- HTTP/1.1 on one connection -------------------------------------------------------------------

@dataclass
class _Response:
    status: int
    headers: dict
    body: bytes
    reusable: bool = False

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def content_type(self) -> str:
        return self.header("content-type").split(";")[0].strip().lower()


_STATUS_LINE = re.compile(rb"HTTP/(\d)\.(\d) +(\d{3})(?:[ \t].*)?\Z", re.S)


class _Connection:
    """A socket with a read buffer; every read waits at most until the request's deadline."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = bytearray()
        self.received = 0
        self.idle_since = time.monotonic()

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def _recv(self, deadline: float, size: int) -> bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("timed out")
        self.sock.settimeout(remaining)
        data = self.sock.recv(max(1, min(size, 65536)))
        self.received += len(data)
        return data

    def send(self, data: bytes, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("timed out")
        self.sock.settimeout(remaining)
        self.sock.sendall(data)

    def read_head(self, deadline: float, limit: int, first: bool, chunk: int = 65536) -> bytes:
        """The status line and headers, without the blank line; at most ``limit`` bytes.

        Reads ``chunk`` bytes at a time so that little of the body is pulled in with the headers.
        """
        searched = 0
        while True:
            crlf = self.buffer.find(b"\r\n\r\n", searched)
            lf = self.buffer.find(b"\n\n", searched)
            ends = [(index, size) for index, size in ((crlf, 4), (lf, 2)) if index >= 0]
            if ends:
                index, size = min(ends)
                if index > limit:
                    raise _HeadersTooLarge()
                head = bytes(self.buffer[:index])
                del self.buffer[:index + size]
                return head
            if len(self.buffer) > limit:
                raise _HeadersTooLarge()
            searched = max(0, len(self.buffer) - 3)
            try:
                data = self._recv(deadline, min(chunk, limit + 4 - len(self.buffer)))
            except (ConnectionResetError, BrokenPipeError, ConnectionAbortedError):
                if first and not self.buffer:
                    raise _NoResponse() from None
                raise
            if not data:
                if first and not self.buffer:
                    raise _NoResponse()
                raise _BadResponse("connection closed in the headers")
            self.buffer += data

    def read_exactly(self, count: int, deadline: float) -> bytes:
        while len(self.buffer) < count:
            data = self._recv(deadline, count - len(self.buffer))
            if not data:
                raise _BadResponse("connection closed in the body")
            self.buffer += data
        out = bytes(self.buffer[:count])
        del self.buffer[:count]
        return out

    def read_line(self, deadline: float, limit: int = 4096) -> bytes:
        while True:
            index = self.buffer.find(b"\n")
            if index >= 0:
                line = bytes(self.buffer[:index + 1])
                del self.buffer[:index + 1]
                return line
            if len(self.buffer) > limit:
                raise _BadResponse("line too long")
            data = self._recv(deadline, limit + 1 - len(self.buffer))
            if not data:
                raise _BadResponse("connection closed in the body")
            self.buffer += data

    def read_some(self, count: int, deadline: float) -> tuple[bytes, bool]:
        """Up to ``count`` bytes of a body that ends when the connection closes; (data, reached the end)."""
        while len(self.buffer) < count:
            data = self._recv(deadline, count - len(self.buffer))
            if not data:
                out = bytes(self.buffer)
                self.buffer.clear()
                return out, True
            self.buffer += data
        out = bytes(self.buffer[:count])
        del self.buffer[:count]
        return out, False


def _parse_head(head: bytes) -> tuple[int, int, dict]:
    lines = head.split(b"\n")
    match = _STATUS_LINE.match(lines[0].rstrip(b"\r"))
    if not match:
        raise _BadResponse("not an HTTP response")
    version = int(match.group(1)) * 10 + int(match.group(2))
    headers: dict[str, str] = {}
    for raw in lines[1:]:
        line = raw.rstrip(b"\r")
        if not line or line[:1] in (b" ", b"\t"):
            continue
        name, sep, value = line.partition(b":")
        if not sep:
            continue
        key = name.strip().lower().decode("latin-1")
        text = value.strip().decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return version, int(match.group(3)), headers


def _read_response(conn: _Connection, deadline: float, header_limit: int, max_bytes: int) -> _Response:
    first = True
    for _ in range(10):                                 # skip interim 1xx answers (100, 103)
        head = conn.read_head(deadline, header_limit, first, max(1024, min(max_bytes, 16384)))
        header_limit -= len(head)
        first = False
        version, status, headers = _parse_head(head)
        if status >= 200:
            break
        if status == 101:
            raise _BadResponse("unexpected protocol switch")
    else:
        raise _BadResponse("too many interim responses")
    keep_alive = "close" not in headers.get("connection", "").lower() and (
        version >= 11 or "keep-alive" in headers.get("connection", "").lower())
    if status in (204, 304):
        return _Response(status, headers, b"", keep_alive)
    try:
        body, complete = _read_body(conn, headers, deadline, header_limit, max_bytes)
    except TimeoutError:
        # a body trickling in: judge what has arrived, if anything
        if not conn.buffer:
            raise
        body, complete = bytes(conn.buffer[:max_bytes]), False
    return _Response(status, headers, body, keep_alive and complete)


def _read_body(conn: _Connection, headers: dict, deadline: float, header_limit: int, max_bytes: int):
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = bytearray()
        for _ in range(max_bytes + 2):                  # a chunk holds at least one byte
            size_line = conn.read_line(deadline)
            try:
                size = int(size_line.split(b";")[0].strip(), 16)
            except ValueError:
                raise _BadResponse("bad chunk size") from None
            if size == 0:
                for _ in range(100):                    # trailers, up to a blank line
                    line = conn.read_line(deadline)
                    header_limit -= len(line)
                    if header_limit < 0:
                        raise _HeadersTooLarge()
                    if not line.strip():
                        return bytes(body), True
                raise _BadResponse("too many trailers")
            if len(body) + size > max_bytes:
                body += conn.read_exactly(min(size, SNIFF_BYTES, max(0, max_bytes - len(body))), deadline)
                return bytes(body), False
            body += conn.read_exactly(size, deadline)
            conn.read_line(deadline)                    # the CRLF after the chunk
        return bytes(body), False
    length = headers.get("content-length")
    if length is not None:
        values = {value.strip() for value in length.split(",")}
        if len(values) != 1 or not next(iter(values)).isdigit():
            raise _BadResponse("bad Content-Length")
        size = int(values.pop())
        if size <= max_bytes:
            return conn.read_exactly(size, deadline), True
        return conn.read_exactly(min(SNIFF_BYTES, max_bytes), deadline), False
    data, _ = conn.read_some(min(SNIFF_BYTES, max_bytes), deadline)
    return data, False                                  # ends at close: never reused


# --- what the answer is ---------------------------------------------------------------------------

_GENERIC_TYPES = {"", "application/octet-stream", "binary/octet-stream", "application/binary",
                  "application/x-binary", "application/unknown", "application/force-download",
                  "application/x-download", "application/download", "content/unknown", "unknown/unknown"}
_KNOWN_IMAGE_TYPES = {"image/png", "image/apng", "image/jpeg", "image/jpg", "image/pjpeg", "image/gif",
                      "image/webp", "image/bmp", "image/x-bmp", "image/x-ms-bmp", "image/x-icon",
                      "image/vnd.microsoft.icon", "image/avif", "image/heic", "image/heif", "image/tiff",
                      "image/jxl"}
_AVIF_BRANDS = {b"avif", b"avis"}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_BMP_HEADERS = {12, 16, 40, 52, 56, 64, 108, 124}
_CHALLENGE_MARKERS = (b"_cf_chl_opt", b"cf-chl-", b"/cdn-cgi/challenge-platform", b"cf-browser-verification",
                      b"just a moment...", b"checking your browser", b"attention required! | cloudflare",
                      b"_incapsula_resource", b"captcha-delivery.com", b"px-captcha", b"/_sec/cp_challenge",
                      b"ddos-guard", b"sucuri website firewall", b"awswafintegration", b"g-recaptcha",
                      b"h-captcha", b"hcaptcha.com")


def image_format(data: bytes) -> str | None:
    """The raster image format whose magic bytes ``data`` starts with, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[:2] == b"BM" and len(data) >= 18 and int.from_bytes(data[14:18], "little") in _BMP_HEADERS:
        return "BMP"
    if data[:4] in (b"\x00\x00\x01\x00", b"\x00\x00\x02\x00") and len(data) >= 6 and data[4:6] != b"\x00\x00":
        return "ICO"
    if data[4:8] == b"ftyp":
        size = int.from_bytes(data[:4], "big")
        brands = {data[8:12]} | {data[index:index + 4] for index in range(16, min(size, len(data), 256) - 3, 4)}
        if brands & _AVIF_BRANDS:
            return "AVIF"
        if brands & _HEIF_BRANDS:
            return "HEIF"
        return None
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if data.startswith(b"\xff\x0a") or data.startswith(b"\x00\x00\x00\x0cJXL \r\n\x87\n"):
        return "JPEG XL"
    return None


def _text_start(data: bytes) -> bytes:
    return data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()


def _looks_svg(data: bytes) -> bool:
    start = _text_start(data)
    if b"<html" in start[:1024] or start.startswith(b"<!doctype html"):
        return False
    return start.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or \
        (start.startswith(b"<!--") and b"<svg" in start)


def _looks_html(data: bytes) -> bool:
    start = _text_start(data)
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in start[:1024]


def _challenge(response: _Response) -> bool:
    """A bot-protection page (Cloudflare, DataDome, Incapsula, PerimeterX, Akamai, AWS WAF, ...)."""
    headers = response.headers
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    if headers.get("x-amzn-waf-action", "").lower() in ("captcha", "challenge"):
        return True
    if "x-datadome" in headers or "x-sucuri-id" in headers:
        return True
    server = headers.get("server", "").lower()
    if (server == "cloudflare" or server.startswith("ddos-guard")) and response.content_type == "text/html":
        return True
    body = response.body[:16384].lower()
    return any(marker in body for marker in _CHALLENGE_MARKERS)


def _judge(response: _Response) -> tuple[str, str]:
    status = response.status
    if status in (404, 410):
        return "broken", f"HTTP {status}"
    if status == 403:
        if _challenge(response):
            return "unverified", "bot protection (HTTP 403 challenge)"
        return "unverified", "HTTP 403 (forbidden: hotlink protection? configure a Referer header for this host)"
    if status in (408, 425, 429):
        return "unverified", f"HTTP {status}"
    if status >= 500:
        if _challenge(response):
            return "unverified", f"bot protection (HTTP {status} challenge)"
        return "unverified", f"HTTP {status}"
    if status == 401:
        return "broken", "HTTP 401 (needs a login)"
    if status >= 400:
        return "broken", f"HTTP {status}"
    if status >= 300:
        return "broken", f"HTTP {status} without a usable Location"
    if status in (204, 205):
        return "broken", f"HTTP {status} (no content)"
    return _sniff(response)


def _sniff(response: _Response) -> tuple[str, str]:
    ctype, body = response.content_type, response.body
    shown = ctype or "no content type"
    if response.header("content-encoding").lower() not in ("", "identity"):
        if ctype.startswith("image/"):
            return "ok", f"{ctype} (compressed, not sniffed)"
        return "broken", f"not an image ({shown})"
    if ctype == "image/svg+xml":
        if _looks_svg(body):
            return "ok", "SVG image"
        return "broken", "not an image (image/svg+xml without SVG markup)"
    kind = image_format(body)
    if ctype.startswith("image/"):
        if kind:
            return "ok", f"{kind} image"
        if not body:
            return "broken", f"empty answer ({ctype})"
        if _looks_html(body):
            return "broken", f"not an image (HTML served as {ctype})"
        if ctype in _KNOWN_IMAGE_TYPES:
            return "broken", f"not an image ({ctype} content type, but not image data)"
        return "unverified", f"unrecognised image format ({ctype})"
    if ctype in _GENERIC_TYPES:
        if kind:
            return "ok", f"{kind} image ({shown})"
        if _looks_svg(body):
            return "broken", f"SVG served as {shown} (browsers need image/svg+xml)"
    return "broken", f"not an image ({shown})"


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 and seconds == seconds else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        from datetime import timezone
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - time.time())


def progress_stream(stream, environ=None):
    """``stream`` if a progress bar belongs on it (a terminal, not under ``PRE_COMMIT=1`` or ``CI``), else None."""
    env = os.environ if environ is None else environ
    if stream is None or env.get("PRE_COMMIT") == "1" or env.get("CI", "").lower() not in ("", "0", "false", "no"):
        return None
    try:
        return stream if stream.isatty() else None
    except (AttributeError, ValueError, OSError):
        return None


# --- the checker ----------------------------------------------------------------------------------

class _Host:
    __slots__ = ("pending", "active", "next_start", "waiters")

    def __init__(self):
        self.pending = deque()
        self.active = 0
        self.next_start = 0.0
        self.waiters = 0


class RemoteChecker:
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

    def _prepare(self, url: _Target):
        """The checked addresses to connect to, and the proxy to go through (or None)."""
        proxy = self._proxy_for(url)
        if url.ip is not None:
            ips = [url.ip]
        elif url.host == "localhost" or url.host.endswith(".localhost"):
            if not self.allow_private:
                raise _Done("blocked", "connects to a loopback address (localhost)")
            ips = None if proxy else self._resolve(url.host, url.port)
        else:
            ips = None if proxy else self._resolve(url.host, url.port)
        if ips is not None and not self.allow_private:
            for ip in ips:
                problem = address_problem(ip)
                if problem:
                    raise _Done("blocked", f"connects to {problem} ({ip})")
        return [str(ip) for ip in ips[:_MAX_ADDRESSES]] if ips is not None else None, proxy

    def _resolve(self, host: str, port: int) -> list:
        """Resolve once per checker (every later request reuses the checked answer)."""
        key = (host, port)
        with self._cond:
            future = self._dns.get(key)
            owner = future is None
            if owner:
                future = self._dns[key] = Future()
        if owner:
            threading.Thread(target=self._run_resolver, args=(future, host, port), daemon=True,
                             name="lintnews-remote-dns").start()
        try:
            answer = future.result(timeout=self.timeout)
        except FutureTimeout:
            raise _Done("unverified", "timed out (name resolution)") from None
        except socket.gaierror as error:
            if error.errno in _NO_NAME:
                raise _Done("broken", "name does not resolve") from None
            if error.errno == socket.EAI_AGAIN:
                self._network_down(host, "temporary failure in name resolution")
            raise _Done("unverified", f"name resolution failed ({error.strerror or error})") from None
        except OSError as error:
            if error.errno in _NET_DOWN:
                self._network_down(host, error.strerror or "network is unreachable")
            raise _Done("unverified", f"name resolution failed ({error.strerror or error})") from None
        if not answer:
            raise _Done("broken", "name does not resolve")
        ips = []
        for address in answer:                          # all are checked by the caller; a few are tried
            try:
                ips.append(ipaddress.ip_address(str(address).partition("%")[0]))
            except ValueError:
                raise _Done("unverified", f"resolver answered a non-address ({address!r})") from None
        return ips

    def _run_resolver(self, future: Future, host: str, port: int) -> None:
        try:
            future.set_result(list(self._resolver(host, port)))
        except BaseException as error:
            future.set_exception(error)

    def _network_down(self, host: str, why: str):
        with self._cond:
            if self._tcp_contact:
                raise _Done("unverified", why)
            self._offline_hosts.add(host)
        raise _Done("offline", f"no network ({why})")

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


def _key(url: str) -> str:
    return url.strip().partition("#")[0]

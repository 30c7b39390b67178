"""HTTP/1.1 on one connection: reading a response with its headers and body capped."""
from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass

from .common import SNIFF_BYTES


class _BadResponse(Exception):
    pass


class _HeadersTooLarge(Exception):
    pass


class _NoResponse(Exception):
    """The connection closed before a byte of the response arrived (a stale keep-alive connection)."""



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

"""Verdicts: the result of a check, the exception that ends one, and judging an answer (image formats,
soft 404s, bot-protection challenges, ``Retry-After``)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timezone
from email.utils import parsedate_to_datetime

STATES = ("ok", "broken", "unverified", "blocked", "offline")
SNIFF_BYTES = 4096           # the Range asked for, and what is read of a body too big to drain


@dataclass(frozen=True)
class RemoteResult:
    url: str
    state: str      # "ok" | "broken" | "unverified" | "blocked" | "offline"
    detail: str     # one short human phrase


class _Done(Exception):
    """Ends a check with a state and a detail."""

    def __init__(self, state: str, detail: str):
        super().__init__(state, detail)
        self.state, self.detail = state, detail


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


@dataclass(frozen=True)
class _Response:
    status: int
    headers: object     # case-insensitive (urllib3's HTTPHeaderDict)
    body: bytes         # decoded, and capped
    encoded: bool = False   # in a content coding that could not be decoded

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def content_type(self) -> str:
        return self.header("content-type").split(";")[0].strip().lower()


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
    if response.encoded:
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
    if kind:  # browsers decode an <img>'s bytes by their magic number: a PNG served as text/html is shown
        return "ok", f"{kind} image ({shown})"
    if ctype in _GENERIC_TYPES and _looks_svg(body):
        return "broken", f"SVG served as {shown} (browsers need image/svg+xml)"
    return "broken", f"not an image ({shown})"


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        return max(0.0, when.replace(tzinfo=when.tzinfo or timezone.utc).timestamp() - time.time())
    return seconds if seconds >= 0 else None                # a NaN is not >= 0 either

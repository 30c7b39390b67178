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

import os        # tests patch ``lintnews.remote.os.replace``
import socket

# Everything the single-module ``lintnews.remote`` defined stays importable from here. The seams
# ``_connect_socket`` and ``_system_resolver`` are looked up on this package when used, so patching
# ``lintnews.remote._connect_socket`` (as the tests do) still reaches every connection.
from .address import (_HOST_LABEL, _METADATA, _NAT64, _NET_DOWN, _NO_NAME, _NUMERIC_LABEL, _SHARED, _connect_socket,
                      _parse, _parse_ipv4, _system_resolver, _Target, address_problem)
from .checker import RemoteChecker, _key
from .common import (_DEFAULT_PORTS, _IDLE_CONNECTION_SECONDS, _IDLE_SECONDS, _MAX_ADDRESSES, _OFFLINE_HOSTS,
                     _RESERVED_HEADERS, ACCEPT, CACHE_FILE, CACHE_FORMAT, CACHE_VERSION, REDIRECTS, SNIFF_BYTES,
                     STATES, USER_AGENT, RemoteResult, _Done)
from .http import (_STATUS_LINE, _BadResponse, _Connection, _HeadersTooLarge, _NoResponse, _parse_head, _read_body,
                   _read_response, _Response)
from .schedule import _Host, progress_stream
from .verdict import (_AVIF_BRANDS, _BMP_HEADERS, _CHALLENGE_MARKERS, _GENERIC_TYPES, _HEIF_BRANDS,
                      _KNOWN_IMAGE_TYPES, _challenge, _judge, _looks_html, _looks_svg, _retry_after, _sniff,
                      _text_start, image_format)

__all__ = ["RemoteChecker", "RemoteResult", "STATES", "address_problem", "progress_stream"]

# The other names of the old module, kept importable (and listed so that pyflakes sees them used;
# ``__all__`` stays the public API).
_REEXPORTED = (os, socket, _HOST_LABEL, _METADATA, _NAT64, _NET_DOWN, _NO_NAME, _NUMERIC_LABEL, _SHARED,
               _connect_socket, _parse, _parse_ipv4, _system_resolver, _Target, _key, _DEFAULT_PORTS,
               _IDLE_CONNECTION_SECONDS, _IDLE_SECONDS, _MAX_ADDRESSES, _OFFLINE_HOSTS, _RESERVED_HEADERS, ACCEPT,
               CACHE_FILE, CACHE_FORMAT, CACHE_VERSION, REDIRECTS, SNIFF_BYTES, USER_AGENT, _Done, _STATUS_LINE,
               _BadResponse, _Connection, _HeadersTooLarge, _NoResponse, _parse_head, _read_body, _read_response,
               _Response, _Host, _AVIF_BRANDS, _BMP_HEADERS, _CHALLENGE_MARKERS, _GENERIC_TYPES, _HEIF_BRANDS,
               _KNOWN_IMAGE_TYPES, _challenge, _judge, _looks_html, _looks_svg, _retry_after, _sniff, _text_start,
               image_format)

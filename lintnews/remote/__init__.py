"""Check remote image URLs for the ``image-broken`` rule: fast, polite and safe on untrusted articles.

::

    with RemoteChecker(cache_dir=repository_cache_dir(root, "remote"), budget=300) as checker:
        for url in urls:
            checker.submit(url)              # starts in the background, one request per unique URL
        for url in urls:
            result = checker.result(url)     # RemoteResult(url, state, detail)
    if checker.offline:
        print("no network: remote images were not checked")

States:

``ok``
    A 200/206 answer that is an image: the magic bytes of a known format (PNG, JPEG, GIF, WebP,
    BMP, ICO/CUR, AVIF/HEIF, TIFF, JPEG XL) under any content type, since browsers decode an
    ``<img>``'s bytes whatever it says (a PNG served as ``text/html`` is shown); SVG markup only
    with ``image/svg+xml``, the one type under which browsers show it.
``broken``
    HTTP 404/410 and other 4xx except 403/408/425/429 (401 too: readers cannot log in), a name
    that does not resolve, a 200 that is not an image (``text/html`` soft 404s), too many
    redirects, an invalid TLS certificate, a malformed URL.
``unverified``
    Transient or inconclusive: 5xx, 429/503 after honouring ``Retry-After``, time-outs, refused
    connections, bot-protection challenges and **every 403** -- news CDNs answer 403 to hotlinks
    without their own ``Referer``; the detail suggests configuring one with ``headers``
    (a 403 is therefore never reported as broken). Also every URL not checked when the run's
    ``budget`` (seconds) ran out; ``checker.notices`` then says so once.
``blocked``
    Not fetched on purpose: a scheme other than http/https, a port outside ``allowed_ports``, or
    an address that is not public (loopback, private, link-local, shared 100.64/10, multicast,
    reserved, unspecified, cloud metadata, and IANA's special-purpose ranges Python's tables lack:
    192.0.0.0/24, 3fff::/20), in any spelling, directly or after a redirect.
``offline``
    No network at all (name resolution fails with a temporary failure, or connecting fails
    with "network unreachable", and nothing has been reached), or a resolver that knows no
    outside name: three or more distinct names "do not resolve", none does, nothing was
    connected to, and a host the cache answered for does not resolve either (a name that does
    not resolve is therefore never cached). ``checker.offline`` is then True so the caller can
    print one notice instead of failing.

Only ``ok`` and ``broken`` are written to the persistent cache (see ``cache``), those fetched past the
guard apart: a run with the guard on reads only what a guarded run fetched.

The HTTP is urllib3's (``transport``, whose docstring says what lintnews adds to it). The guard
(``address``) resolves each name once per checker and checks every address; connections go to a
checked address while ``Host``, SNI and the certificate check use the real name, so DNS rebinding
has no window, and lintnews follows each redirect through the guard again. Credentials in URLs
are never sent; environment proxies only with ``use_proxy_env`` (then the proxy resolves names).
Politeness (``schedule``): a ``GET`` with ``Range: bytes=0-4095`` (not ``HEAD``, which many CDNs
answer differently), at most ``per_host`` requests in flight and ``per_host_rate`` starts a second
per host, ``Retry-After`` honoured for the whole host.
"""
from __future__ import annotations

import os  # noqa: F401 -- tests patch ``lintnews.remote.os.replace``

# ``_connect_socket`` is looked up on this package when used, so patching it here reaches every connection.
from .address import _connect_socket, address_problem  # noqa: F401
from .checker import RemoteChecker
from .schedule import progress_stream
from .verdict import STATES, RemoteResult, _retry_after, image_format  # noqa: F401

__all__ = ["STATES", "RemoteChecker", "RemoteResult", "address_problem", "image_format", "progress_stream"]

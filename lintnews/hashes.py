"""The hashes of cache keys and fingerprints, without loading OpenSSL for them.

``import hashlib`` loads and initialises OpenSSL's libcrypto, some milliseconds of a
one-file run. CPython builds BLAKE2 and SHA-256 in (``hashlib.blake2b`` is the built-in
one; its SHA-256 gives the same digests as OpenSSL's), so these come from there, and from
``hashlib`` on a Python built without them.
"""
from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without its built-in BLAKE2
    from hashlib import blake2b

try:
    from _sha256 import sha256  # CPython 3.11
except ImportError:  # pragma: no cover
    try:
        from _sha2 import sha256  # CPython 3.12 and later
    except ImportError:
        from hashlib import sha256

__all__ = ["blake2b", "sha256"]

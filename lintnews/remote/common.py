"""Shared pieces of the remote checker: constants, the result type and the exception that ends a check."""
from __future__ import annotations

from dataclasses import dataclass

from .. import __version__

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
        self.state, self.detail = state, detail


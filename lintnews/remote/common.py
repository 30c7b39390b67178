"""Shared pieces of the remote checker: the states, the sniff size, the result type and the exception that ends
a check (each other constant lives in the one module that uses it)."""
from __future__ import annotations

from dataclasses import dataclass

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


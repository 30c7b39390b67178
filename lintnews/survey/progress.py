"""A one-line progress display for a terminal: on stderr, and only where a person watches it."""
from __future__ import annotations

import os
from typing import Callable, TextIO


def shown(stream: TextIO, environ=os.environ) -> bool:
    """True on an interactive terminal; never under a pipe, in CI or with NO_COLOR set."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not environ.get("CI") and "NO_COLOR" not in environ


def reporter(stream: TextIO, label: str, environ=os.environ) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """(``update(done, total)`` or None, ``clear()``): updates are drawn at most every 1%."""
    if not shown(stream, environ):
        return None, lambda: None
    last = [-1]

    def update(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if percent != last[0]:
            last[0] = percent
            stream.write(f"\r{label} {done}/{total} ({percent}%)")
            stream.flush()

    def clear() -> None:
        if last[0] >= 0:
            stream.write("\r\x1b[K")
            stream.flush()

    return update, clear

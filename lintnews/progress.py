"""A progress line on stderr for long runs at a terminal: files done of total, rate, time left.

Only a person at a terminal sees it: never under pre-commit, CI, a pipe, ``NO_COLOR`` or
``TERM=dumb``. It is redrawn in place a few times a second and erased when the run ends, so
it never mixes with the report.
"""
from __future__ import annotations

import time
from typing import Callable, TextIO

_ERASE = "\r\x1b[2K"  # back to the line's start, then clear it
_INTERVAL = 0.1  # seconds between redraws: fast enough to look alive, cheap on 16,000 files


def wanted(stream: TextIO, environ) -> bool:
    """Whether a progress line belongs on ``stream``: a terminal a person is watching."""
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    if environ.get("PRE_COMMIT") == "1" or environ.get("CI") not in (None, "", "0", "false"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


class Progress:
    """``progress(done, total)`` after each file redraws the line (at most every 0.1 s and
    always for the first file); ``close()`` erases it. ``label`` starts the line."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic, label: str = "lintnews:") -> None:
        self.stream, self.clock, self.label = stream, clock, label
        self.start = clock()
        self.drawn_at: float | None = None

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if self.drawn_at is not None and now - self.drawn_at < _INTERVAL:
            return
        self.drawn_at = now
        self.stream.write(_ERASE + line(done, total, now - self.start, self.label))
        self.stream.flush()

    def close(self) -> None:
        if self.drawn_at is not None:
            self.stream.write(_ERASE)
            self.stream.flush()
            self.drawn_at = None


def line(done: int, total: int, elapsed: float, label: str = "lintnews:") -> str:
    """``lintnews: 1,200/16,073 files · 950 files/s · 0:16 left``."""
    text = f"{label} {done:,}/{total:,} files"
    if done and elapsed > 0:
        rate = done / elapsed
        left = round((total - done) / rate)
        text += f" · {rate:,.0f} files/s · {left // 60}:{left % 60:02d} left"
    return text

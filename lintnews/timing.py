"""Where a run's time goes, rule by rule: ``lintnews check --timing``.

While a ``Timer`` is active, every rule's check is timed on its own. The shared views of a
Document (the tag scan, the prose, the code blocks: ``view`` below) are timed apart, not
charged to whichever rule first asks for one, and so are reading and parsing the files;
a summarizing rule's judging of the run counts as its own time. Worker processes time the
files they lint and send what they spent back with their results. With no Timer active,
nothing is timed: a view then costs no more than a ``cached_property``.
"""
from __future__ import annotations

import os
from functools import cached_property
from time import perf_counter
from typing import Any, Callable, Iterable, Iterator

VIEWS = "(shared views of the article)"
READING = "(reading and parsing files)"


class Timer:
    """Own time per label: time spent inside a nested ``call`` counts for the inner label only."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.files = 0  # files linted (read and checked) while this timer was active
        self.processes: set[int] = set()  # the processes that linted them
        self._inner = [0.0]  # per call under way, the time its nested calls took

    def call(self, label: str, function: Callable, *args: Any) -> Any:
        self._inner.append(0.0)
        start = perf_counter()
        try:
            return function(*args)
        finally:
            elapsed = perf_counter() - start
            own = elapsed - self._inner.pop()
            self.spent[label] = self.spent.get(label, 0.0) + own
            self._inner[-1] += elapsed

    def each(self, label: str, items: Iterable) -> Iterator:
        """``items``, with the time of producing each (a rule's generator) counted for ``label``."""
        if isinstance(items, (list, tuple)):
            yield from items
            return
        items = iter(items)
        while True:
            try:
                item = self.call(label, next, items)
            except StopIteration:
                return
            yield item

    def linted(self) -> None:
        """One more file read and checked, in this process."""
        self.files += 1
        self.processes.add(os.getpid())

    def take(self) -> tuple[dict[str, float], int, set[int]]:
        """What was spent since the last ``take`` (a worker sends it with each chunk)."""
        taken = self.spent, self.files, self.processes
        self.spent, self.files, self.processes = {}, 0, set()
        return taken

    def add(self, taken: tuple[dict[str, float], int, set[int]]) -> None:
        spent, files, processes = taken
        for label, seconds in spent.items():
            self.spent[label] = self.spent.get(label, 0.0) + seconds
        self.files += files
        self.processes |= processes


active: Timer | None = None  # the running command's timer, when it times its rules


def start() -> Timer:
    global active
    active = Timer()
    return active


def stop() -> None:
    global active
    active = None


def restart_in_worker() -> None:
    """In a forked worker: count only its own files (it inherited the parent's timer)."""
    if active is not None:
        start()


class view(cached_property):
    """A cached view of a Document that several rules share, timed as such under ``--timing``.

    Computed on first use and kept in the Document's ``__dict__``, where later look-ups find
    it without calling this descriptor, as a ``cached_property``. Unlike Python 3.11's, it
    takes no lock (one lock for every Document: 3.12 dropped it too, and a Document is read by
    one thread) and calls the function directly: each article computes a handful of views,
    and the lock and the wrapper cost more than the smallest of them."""

    def __get__(self, doc, owner=None):
        if doc is None:
            return self
        timer = active
        value = self.func(doc) if timer is None else timer.call(VIEWS, self.func, doc)
        doc.__dict__[self.attrname] = value
        return value


def format_timing(timer: Timer, files_checked: int) -> str:
    """The table ``--timing`` prints: each label's own time, the costliest first."""
    total = sum(timer.spent.values())
    cached = files_checked - timer.files
    lines = [f"time per rule over {timer.files:,} linted file(s)"
             + (f" ({cached:,} more from the cache)" if cached > 0 else "")
             + (f", summed over {len(timer.processes)} processes" if len(timer.processes) > 1 else "") + ":"]
    width = max((len(label) for label in timer.spent), default=4)
    lines.append(f"  {'rule':<{width}}  {'seconds':>8}  {'share':>6}")
    for label, seconds in sorted(timer.spent.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  {label:<{width}}  {seconds:8.3f}  {seconds / total if total else 0:6.1%}")
    lines.append(f"  {'total':<{width}}  {total:8.3f}")
    return "\n".join(lines)

"""Remote checks split between processes: URLs recorded where articles are linted, fetched once where
the run is merged, and the answers handed back to settle the findings.

On a cluster every worker lints its own articles, but one checker must ask each URL once for the
whole run. A worker's run cache is a ``Recording``: each remote checker a rule asks it for is a
``RecordedChecker``, which only notes the URLs submitted. The process that merges the run fetches
the union of them with real ``RemoteChecker`` s, and ``answering`` gives their ``RemoteResult`` s
to the recorded checkers, wherever the findings waiting on them are decided.
"""
from __future__ import annotations

import contextlib
import threading
from typing import Iterator

from .verdict import RemoteResult

CHECKER = "remote-checker"  # what the image rules' run-cache keys of their checkers start with

Key = tuple  # a checker's run-cache key: its name and its options
Answers = dict  # checker key → {url → RemoteResult}

_lock = threading.Lock()
_answers: list[Answers] = []  # the answers being given in this process (innermost last)


class RecordedChecker:
    """Stands in for a ``RemoteChecker`` in a process that must not fetch: ``submit`` notes the URL,
    ``result`` is the answer the merging process gave for it. Pickled, it is only its key."""

    def __init__(self, key: Key) -> None:
        self.key = key
        self.submitted: dict[str, None] = {}  # in order, once each

    def __reduce__(self):
        return RecordedChecker, (self.key,)

    def submit(self, url: str) -> None:
        self.submitted[url] = None

    def result(self, url: str) -> RemoteResult:
        with _lock:
            given = _answers[-1] if _answers else {}
        answer = given.get(self.key, {}).get(url)
        return answer if answer is not None else RemoteResult(url, "unverified", "not checked")


class Recording(dict):
    """A run cache whose remote checkers are ``RecordedChecker`` s; ``drain`` takes what they noted."""

    def get(self, key, default=None):
        if key not in self and isinstance(key, tuple) and key[:1] == (CHECKER,):
            self[key] = RecordedChecker(key)
        return super().get(key, default)

    def drain(self) -> list[tuple[Key, str]]:
        """The (checker key, URL) pairs submitted since the last drain."""
        drained = []
        for key, value in self.items():
            if isinstance(value, RecordedChecker) and value.submitted:
                drained += [(key, url) for url in value.submitted]
                value.submitted = {}
        return drained


@contextlib.contextmanager
def answering(answers: Answers) -> Iterator[None]:
    """While inside, recorded checkers in this process answer from ``answers``."""
    with _lock:
        _answers.append(answers)
    try:
        yield
    finally:
        with _lock:
            _answers.remove(answers)


def fetched(pairs, checkers: dict) -> Answers:
    """Each unique (checker key, URL) asked once of the real checker with that key (``checkers``:
    key → ``RemoteChecker``, as the rules made them in this process): the answers."""
    unique = list(dict.fromkeys(pairs))
    for key, url in unique:
        if key in checkers:
            checkers[key].submit(url)  # all of them first: they are fetched concurrently
    answers: Answers = {}
    for key, url in unique:
        if key in checkers:
            answers.setdefault(key, {})[url] = checkers[key].result(url)
    return answers

"""Violations as rules yield them, and findings as the runner reports them."""
from __future__ import annotations

from enum import IntEnum
from typing import Callable, NamedTuple


class Severity(IntEnum):
    """How serious a finding is; higher is worse, so thresholds compare with >=."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> "Severity":
        try:
            return cls[name.upper()]
        except (KeyError, AttributeError):
            raise ValueError(f"unknown severity {name!r} (expected error, warning or info)") from None

    def __str__(self) -> str:
        return self.name.lower()


class Edit(NamedTuple):
    """One text edit of a fix: replace ``text[start:end]`` (character offsets into
    ``Document.text``) with ``replacement``; an empty replacement deletes, an empty span inserts.

    Rules give the offsets; the runner adds the 1-based positions of both ends (``end_column``
    is the column after the last replaced character) for reports.
    """

    start: int
    end: int
    replacement: str = ""
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None


# Named tuples: immutable values like frozen dataclasses, and several times cheaper to
# build, which counts on archives where a run yields a finding per few lines.
class Violation(NamedTuple):
    """A problem found by a rule, at a 1-based line and column of the original file.

    The runner stamps the rule id and the configured severity; a rule whose findings
    differ in weight (a lexicon category marked ``error``) sets ``severity`` itself.
    ``fix`` holds the edits that fix it, applied together or not at all (see ``lintnews.fix``).
    """

    line: int
    column: int
    message: str
    end_line: int | None = None
    end_column: int | None = None
    severity: Severity | None = None
    fix: tuple[Edit, ...] = ()


class Deferred(NamedTuple):
    """A violation decided after every file of the run is linted (e.g. once a remote check
    has answered): ``wait()`` returns the message, or None when there is no violation."""

    line: int
    column: int
    wait: Callable[[], str | None]
    end_line: int | None = None
    end_column: int | None = None


class Pending(str):
    """The message of a finding whose Deferred is not decided yet (sorts as an empty message)."""

    wait: Callable[[], str | None]

    def __new__(cls, wait: Callable[[], str | None]) -> "Pending":
        pending = super().__new__(cls, "")
        pending.wait = wait
        return pending


class Ticket(Pending):
    """The message of a finding a run-scoped rule judges from merged summaries (see
    ``lintnews.execute``): plain data, so it can cross processes and be cached; the merge
    step sets ``verdict`` before the finding is decided."""

    def __new__(cls, rule: str) -> "Ticket":
        ticket = str.__new__(cls, "")
        ticket.rule, ticket.verdict = rule, None
        return ticket

    def __reduce__(self):
        return Ticket, (self.rule,)

    def wait(self) -> str | None:
        return self.verdict


class Unless(Pending):
    """``message`` unless one of the rules in ``rules`` gives this file a finding it suppressed
    (an ``unused-suppression`` that waits on judged findings); the merge step sets ``fired``."""

    def __new__(cls, message: str, rules: tuple[str, ...]) -> "Unless":
        unless = str.__new__(cls, "")
        unless.message, unless.rules, unless.fired = message, tuple(rules), False
        return unless

    def __reduce__(self):
        return Unless, (self.message, self.rules)

    def wait(self) -> str | None:
        return None if self.fired else self.message


class Finding(NamedTuple):
    """A violation stamped with the file, the rule id and the configured severity.

    ``path`` is as shown to the user (relative to the current folder), ``relpath``
    relative to the project root; ``fingerprint`` identifies the offending content
    independently of line numbers (set when a report asks for fingerprints).
    """

    path: str
    line: int
    column: int
    rule: str
    message: str
    severity: Severity
    end_line: int | None = None
    end_column: int | None = None
    relpath: str = ""
    fingerprint: str = ""
    fix: tuple[Edit, ...] = ()

    def to_dict(self, fix_safety: str = "") -> dict:
        """The finding as JSON: ``fix`` is null, or the fix's ``applicability`` (``fix_safety``,
        the rule's declared ``safe``/``unsafe``) and its edits with offsets and positions."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "fix": {"applicability": fix_safety or "unsafe",
                    "edits": [edit._asdict() for edit in self.fix]} if self.fix else None,
        }

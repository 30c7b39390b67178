"""Findings kept encoded until something reads them.

A run over an unchanged archive takes every file's findings from the results cache, and
a JSON report needs nothing of most of them but the entries the map step wrote ahead
(``FileResult.rendered``), the exit code and the first-run notice. Building tens of
thousands of ``Finding`` and ``Edit`` objects for it took a quarter of such a run. So
the cache keeps each file's settled findings (those whose message is final text) as one
marshalled block of plain data, ``Encoded``, with what those three need (how many of each
severity, which rules) beside it, and decodes the block the first time anything reads
the findings themselves.

``Encoded`` and ``Findings`` (the report's findings: such blocks and ordinary tuples, in
order) read exactly like a tuple of findings: the same items in the same order, equal to
that tuple, sliced into tuples, pickled as one. What they add serves the fast paths:
``Findings.parts``, ``Encoded.rendered``, ``severity_count`` and ``rules``.
"""
from __future__ import annotations

import marshal
from collections.abc import Sequence
from itertools import chain

from .violation import Edit, Finding, Severity, Ticket, Unless

_SEVERITIES = {int(severity): severity for severity in Severity}
_EDIT_FIELDS = len(Edit._fields)


def plain_finding(finding: Finding) -> tuple:
    """A finding as plain data (tuples, strings, numbers), without its path and relpath,
    which every finding of a file shares."""
    return (finding.line, finding.column, finding.rule, _plain_message(finding.message), int(finding.severity),
            finding.end_line, finding.end_column, finding.fingerprint, tuple(map(tuple, finding.fix)))


def findings_of(plain: Sequence[tuple], path: str, relpath: str) -> tuple[Finding, ...]:
    """The findings ``plain_finding`` gave ``plain``, of the file at ``path``; TypeError,
    ValueError, IndexError or KeyError for data of another shape."""
    new = tuple.__new__  # the named tuples' own __new__ is Python code, run once per value
    return tuple([new(Finding, (path, line, column, rule,
                                message if type(message) is str else _message(message),
                                _SEVERITIES[severity], end_line, end_column, relpath, fingerprint,
                                tuple([_edit(edit) for edit in fix]) if fix else ()))
                  for line, column, rule, message, severity, end_line, end_column, fingerprint, fix in plain])


def _edit(fields: tuple) -> Edit:
    if len(fields) != _EDIT_FIELDS:
        raise ValueError("an edit of another shape")
    return tuple.__new__(Edit, fields)


def _plain_message(message: str):
    if type(message) is Ticket:
        return ("T", message.rule)
    if type(message) is Unless:
        return ("U", message.message, message.rules)
    return str(message)


def _message(message):
    if isinstance(message, str):
        return message
    if message[0] == "T":
        return Ticket(message[1])
    return Unless(message[1], tuple(message[2]))


class _ReadAsATuple(Sequence):
    """A read-only sequence of findings that behaves as the tuple ``_items`` gives."""

    __slots__ = ()

    def _items(self) -> tuple[Finding, ...]:
        raise NotImplementedError

    def __getitem__(self, index):
        return self._items()[index]

    def __iter__(self):
        return iter(self._items())

    def __contains__(self, value) -> bool:
        return value in self._items()

    def __reversed__(self):
        return reversed(self._items())

    def __eq__(self, other) -> bool:
        if isinstance(other, _ReadAsATuple):
            other = other._items()
        return self._items() == other if isinstance(other, tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._items())

    def __add__(self, other):
        if isinstance(other, (tuple, _ReadAsATuple)):
            return self._items() + tuple(other)
        return NotImplemented

    def __radd__(self, other):
        return other + self._items() if isinstance(other, tuple) else NotImplemented

    def __repr__(self) -> str:
        return repr(self._items())

    def __reduce__(self):
        return tuple, (self._items(),)  # it crosses processes, and is copied, as the tuple it reads as


class Encoded(_ReadAsATuple):
    """One file's settled findings, in report order, as the results cache keeps them.

    ``data`` is the marshalled ``plain_finding`` of each; ``size``, ``severities``
    ((severity, how many) pairs) and ``rules`` (each rule once, in order) are known without
    decoding it, and ``rendered`` are their entries as the map step wrote them ahead
    (``FileResult.rendered``), or None.
    """

    __slots__ = ("path", "relpath", "data", "size", "severities", "rules", "rendered", "_decoded")

    def __init__(self, path: str, relpath: str, data: bytes, size: int, severities: tuple, rules: tuple,
                 rendered: bytes | None) -> None:
        self.path, self.relpath, self.data, self.size = path, relpath, data, size
        self.severities, self.rules, self.rendered = severities, rules, rendered
        self._decoded: tuple[Finding, ...] | None = None

    @classmethod
    def of(cls, findings: Sequence[Finding], path: str, relpath: str, rendered: bytes | None) -> "Encoded":
        """``findings`` (settled, of the file at ``path``) encoded; ValueError when one is not plain data."""
        counts: dict[int, int] = {}
        for finding in findings:
            counts[int(finding.severity)] = counts.get(int(finding.severity), 0) + 1
        data = marshal.dumps(tuple(map(plain_finding, findings)), 4)
        return cls(path, relpath, data, len(findings), tuple(sorted(counts.items())),
                   tuple(dict.fromkeys(finding.rule for finding in findings)), rendered)

    def _items(self) -> tuple[Finding, ...]:
        if self._decoded is None:  # decoded once: every reader then sees the very same objects
            self._decoded = findings_of(marshal.loads(self.data), self.path, self.relpath)
        return self._decoded

    def __len__(self) -> int:
        return self.size

    def severity_count(self, severity: Severity) -> int:
        return sum(count for level, count in self.severities if level == severity)


class Findings(_ReadAsATuple):
    """Findings made of ``parts`` (tuples of findings and ``Encoded`` blocks) one after
    another, with each (position, finding) of ``pending`` put in at its position of the
    whole: a cached file's placeholders (``Ticket``, ``Unless``), which the merge step
    settles, among its encoded settled findings."""

    __slots__ = ("parts", "pending", "_size", "_all")

    def __init__(self, parts: Sequence[Sequence[Finding]], pending: Sequence[tuple[int, Finding]] = ()) -> None:
        self.parts = tuple(parts)
        self.pending = tuple(pending)
        size = len(self.pending)
        for part in self.parts:  # a block's size read directly: len() would call Python code per block
            size += part.size if type(part) is Encoded else len(part)
        self._size = size
        self._all: tuple[Finding, ...] | None = None

    def _items(self) -> tuple[Finding, ...]:
        if self._all is None:
            items = list(chain.from_iterable(self.parts))
            for position, finding in self.pending:  # in order of position: each lands where it was
                items.insert(position, finding)
            self._all = tuple(items)
        return self._all

    def __len__(self) -> int:
        return self._size

    def severity_count(self, severity: Severity) -> int:
        """How many findings are of ``severity``, encoded blocks left encoded."""
        count = sum(1 for _, finding in self.pending if finding.severity == severity)
        for part in self.parts:
            if type(part) is Encoded:
                count += part.severity_count(severity)
            else:
                count += sum(1 for finding in part if finding.severity == severity)
        return count

    def worst(self) -> int:
        """The highest severity of any finding (0 for none), encoded blocks left encoded."""
        worst = max((int(finding.severity) for _, finding in self.pending), default=0)
        for part in self.parts:
            if type(part) is Encoded:
                worst = max(worst, max((level for level, _ in part.severities), default=0))
            else:
                worst = max(worst, max((int(finding.severity) for finding in part), default=0))
        return worst


def file_block(findings) -> Encoded | None:
    """The encoded block of one file's findings as a result restored from the results cache or
    a worker holds them (``Findings`` of that one block, its placeholders beside it), else None."""
    if type(findings) is Findings and len(findings.parts) == 1 and type(findings.parts[0]) is Encoded:
        return findings.parts[0]
    return None

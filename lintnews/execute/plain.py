"""A ``FileResult`` as plain data (tuples, strings, numbers), and back.

The results cache stores this form, and worker processes send it to the parent: building
tens of thousands of named tuples through their Python-level ``__new__`` (as unpickling
does) costs the parent more than the workers save it, while plain tuples are read at C
speed and the named tuples are made directly with ``tuple.__new__``. The path of the file
is not part of the form: every finding of a result carries its file's own.
"""
from __future__ import annotations

from ..facts import FileFacts
from ..violation import Edit, Finding, Severity, Ticket, Unless
from .mapping import FileResult

_SEVERITIES = {int(severity): severity for severity in Severity}
_EDIT_FIELDS = len(Edit._fields)


def encodable(result: FileResult, display: str, relpath: str) -> bool:
    """Whether ``encode`` keeps all of ``result``: each finding is of the file itself."""
    return all(f.path == display and f.relpath == relpath for f in result.findings)


def encode(result: FileResult) -> tuple:
    """``result`` as plain data (see ``encodable``); its summaries are as the rules gave them."""
    findings = tuple((f.line, f.column, f.rule, _encode_message(f.message), int(f.severity),
                      f.end_line, f.end_column, f.fingerprint, tuple(map(tuple, f.fix))) for f in result.findings)
    facts = tuple(result.facts[2:]) if result.facts is not None else None  # the path and relpath are the file's
    return findings, dict(result.summaries), result.digest, tuple(result.dependencies), facts, result.rendered


def decode(entry: tuple, path: str, relpath: str) -> FileResult:
    """The ``FileResult`` of the file at ``path`` that ``encode`` gave ``entry``; TypeError,
    ValueError, IndexError or KeyError for data of another shape."""
    findings, summaries, digest, dependencies, facts, rendered = entry
    new = tuple.__new__  # the named tuples' own __new__ is Python code, run once per value
    decoded = tuple([new(Finding, (path, line, column, rule,
                                   message if type(message) is str else _decode_message(message),
                                   _SEVERITIES[severity], end_line, end_column, relpath, fingerprint,
                                   tuple([_edit(edit) for edit in fix]) if fix else ()))
                     for line, column, rule, message, severity, end_line, end_column, fingerprint, fix in findings])
    if rendered is not None and type(rendered) is not bytes:
        raise ValueError("written ahead as something else than encoded text")
    return FileResult(decoded, summaries, digest, tuple(dependencies),
                      facts=None if facts is None else FileFacts(path, relpath, *facts), rendered=rendered)


def _edit(fields: tuple) -> Edit:
    if len(fields) != _EDIT_FIELDS:
        raise ValueError("an edit of another shape")
    return tuple.__new__(Edit, fields)


def _encode_message(message: str):
    if type(message) is Ticket:
        return ("T", message.rule)
    if type(message) is Unless:
        return ("U", message.message, message.rules)
    return str(message)


def _decode_message(message):
    if isinstance(message, str):
        return message
    if message[0] == "T":
        return Ticket(message[1])
    return Unless(message[1], tuple(message[2]))

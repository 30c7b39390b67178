"""JSON: an array of findings, sorted by path, line, column and rule."""
from __future__ import annotations

import json
from functools import lru_cache, partial
from json.encoder import encode_basestring  # the C encoder json.dumps uses for strings
from operator import is_
from typing import Callable, NamedTuple

from ..encoded import Encoded, Findings
from ..violation import Edit, Finding
from .common import fix_safety, utf8

# The layout of an edit of another kind than the runner's own (``_edit_template``), at the depth
# edits have inside a finding of the array.
_EDIT_OPEN, _EDIT_FIELD, _EDIT_CLOSE = "        {\n", '          "%s": %s', "\n        }"


def format_json(report) -> str:
    """A JSON array of findings, sorted by path, line, column and rule; ``fix`` is null or the
    fix's applicability and edits (offsets into the text as read, BOM excluded, and positions)."""
    if not report.findings:
        return "[]\n"
    entries = [entry if type(entry) is str else entry.decode("utf-8") for entry in _entries(report)]
    # the brackets go on the first and last entries: the report (megabytes) is built in one join
    entries[0] = "[\n" + entries[0]
    entries[-1] += "\n]\n"
    return ",\n".join(entries)


def encoded_json(report) -> bytes:
    """``format_json``'s report as written, in UTF-8 (a lone surrogate, in a file name that is
    not UTF-8, as its escape): the entries the map step wrote ahead are encoded already."""
    if not report.findings:
        return b"[]\n"
    entries = [entry if type(entry) is bytes else utf8(entry) for entry in _entries(report)]
    entries[0] = b"[\n" + entries[0]
    entries[-1] += b"\n]\n"
    return b",\n".join(entries)


def _entries(report) -> list[str | bytes]:
    """The report's entries in order: a file's block where the map step wrote its findings
    ahead (bytes), each other finding written here (text). A file the results cache left
    encoded (``lintnews.encoded``) is written from its block without being decoded."""
    findings = report.findings
    ahead = getattr(report, "rendered", None) or {}  # what the map step wrote ahead (runner.Report)
    if type(findings) is not Findings:
        return _written(report, findings, ahead)
    entries: list[str | bytes] = []
    for part in findings.parts:
        if type(part) is Encoded and part.rendered is not None:
            if part.size:
                entries.append(part.rendered)
        else:
            entries += _written(report, part, ahead)
    return entries


def _written(report, findings, ahead: dict) -> list[str | bytes]:
    """The entries of ``findings``: each file's block from ``ahead`` where it stands for
    exactly that file's findings, each other finding written here."""
    entries: list[str | bytes] = []
    index, count = 0, len(findings)
    while index < count:
        path = findings[index].path
        written = ahead.get(path)
        if written is not None:
            mapped, block = written
            end = index + len(mapped)
            # the file's block stands for exactly these findings: the very objects, all of them
            if end <= count and all(map(is_, mapped, findings[index:end])) \
                    and (end == count or findings[end].path != path):
                entries.append(block)
                index = end
                continue
        entries.append(_finding(report, findings[index]))
        index += 1
    return entries


class _Rules(NamedTuple):
    rules: dict  # what _finding asks of a report: how each rule's fixes are declared


def renderer(rules: dict) -> Callable[[Finding], str]:
    """One finding exactly as ``format_json`` writes it, for the map step to write ahead: in
    the worker process that linted the file, and kept in the results cache with it."""
    return partial(_finding, _Rules(rules))


def _finding(report, finding) -> str:
    """One finding exactly as json.dumps(..., ensure_ascii=False, indent=2) lays it out, filled
    in directly (its fix too, by ``_fix``): the indenting encoder is pure Python and took
    seconds on large archives."""
    fix = "null"
    if finding.fix:
        fix = _fix(fix_safety(report, finding), finding.fix)
        if fix is None:  # a value of another type: json.dumps says how it is written
            text = json.dumps(finding.to_dict(fix_safety(report, finding)), ensure_ascii=False, indent=2)
            return "  " + text.replace("\n", "\n  ")
    end_line, end_column = finding.end_line, finding.end_column
    # an f-string (each value converted by str(), as "%s" does) builds in one step what a "%"
    # format builds from a tuple; the rule and severity are the same few pairs over and over
    return (f'  {{\n    "path": {encode_basestring(finding.path)},\n    "line": {finding.line!s},\n'
            f'    "column": {finding.column!s},\n    "end_line": {"null" if end_line is None else end_line!s},\n'
            f'    "end_column": {"null" if end_column is None else end_column!s},\n'
            f'{_rule_and_severity(finding.rule, finding.severity)}'
            f'    "message": {encode_basestring(finding.message)},\n    "fix": {fix}\n  }}')


@lru_cache(maxsize=None, typed=True)  # typed: a severity given as a plain int is written as one
def _rule_and_severity(rule: str, severity) -> str:
    """The lines of a finding's rule and severity: a handful of rules and three severities, so
    each pair's text is made once (``str(severity)`` is a Python method of the enum)."""
    return f'    "rule": {encode_basestring(rule)},\n    "severity": {encode_basestring(str(severity))},\n'


def _fix(safety: str, edits) -> str | None:
    """A finding's fix as ``to_dict`` gives it and json.dumps writes it; None unless every
    edit is a named tuple of whole numbers, None and strings."""
    written = []
    for edit in edits:
        if type(edit) is Edit and tuple(map(type, edit)) == _PLACED:  # nearly all: no call per field
            start, end, replacement, line, column, end_line, end_column = edit
            written.append(f'        {{\n          "start": {start},\n          "end": {end},\n'
                           f'          "replacement": {encode_basestring(replacement)},\n'
                           f'          "line": {line},\n          "column": {column},\n'
                           f'          "end_line": {end_line},\n          "end_column": {end_column}\n        }}')
            continue
        template = _TEMPLATES.get(type(edit))
        if template is None:
            template = _TEMPLATES[type(edit)] = _edit_template(getattr(edit, "_fields", ()))
        try:
            values = tuple(map(_value, edit))
        except TypeError:  # a value of another type: json.dumps says how it is written
            return None
        if template is None:
            return None
        written.append(template % values)
    return _applicability(safety) + ",\n".join(written) + "\n      ]\n    }"


@lru_cache(maxsize=None)
def _applicability(safety: str) -> str:
    """A fix's first lines, up to its edits: "safe" or "unsafe", the same two texts over and over."""
    return f'{{\n      "applicability": {encode_basestring(safety or "unsafe")},\n      "edits": [\n'


_TEMPLATES: dict[type, str | None] = {}  # edit type → its JSON with a %s per field (None: no fields)


def _edit_template(fields: tuple[str, ...]) -> str | None:
    if not fields:
        return None
    return _EDIT_OPEN + ",\n".join(_EDIT_FIELD % (name, "%s") for name in fields) + _EDIT_CLOSE


# The runner's own Edit with both ends placed: two offsets, the replacement, four positions
# (written by ``_fix`` with the layout ``_edit_template(Edit._fields)`` gives).
_PLACED = (int, int, str, int, int, int, int)


def _value(value) -> str:
    """One field of an edit as JSON: null, a whole number (not bool, whose JSON is true or
    false) or a string; TypeError for anything else."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str:
        return encode_basestring(value)
    raise TypeError(kind)


"""JSON: an array of findings, sorted by path, line, column and rule."""
from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C encoder json.dumps uses for strings

from ..violation import Severity

# One finding exactly as json.dumps(..., ensure_ascii=False, indent=2) lays it out, filled
# in directly: the indenting encoder is pure Python and took seconds on large archives.
_FINDING = ('  {\n    "path": %s,\n    "line": %s,\n    "column": %s,\n    "end_line": %s,\n'
            '    "end_column": %s,\n    "rule": %s,\n    "severity": %s,\n    "message": %s\n  }')


def format_json(report) -> str:
    """A JSON array of findings, sorted by path, line, column and rule."""
    findings = report.findings
    if not findings:
        return "[]\n"
    try:
        if not all(type(f.line) is int and type(f.column) is int and type(f.end_line) in _END
                   and type(f.end_column) in _END for f in findings):
            raise TypeError("a position that is not a number")
        paths: dict[str, str] = {}  # a file's findings share its path: encoded once
        return "[\n" + ",\n".join([_FINDING % (
            paths.get(f.path) or paths.setdefault(f.path, encode_basestring(f.path)), f.line, f.column,
            "null" if f.end_line is None else f.end_line, "null" if f.end_column is None else f.end_column,
            encode_basestring(f.rule), _SEVERITY[f.severity], encode_basestring(f.message))
            for f in findings]) + "\n]\n"
    except (TypeError, KeyError):  # a value of an unexpected type from a plugin: let json say how it looks
        return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2) + "\n"


_SEVERITY = {severity: encode_basestring(str(severity)) for severity in Severity}
_END = (int, type(None))

"""JSON: an array of findings, sorted by path, line, column and rule."""
from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C encoder json.dumps uses for strings

# One finding exactly as json.dumps(..., ensure_ascii=False, indent=2) lays it out, filled
# in directly: the indenting encoder is pure Python and took seconds on large archives.
# A finding with a fix (nested edits) goes through json.dumps, indented to its place.
_FINDING = ('  {\n    "path": %s,\n    "line": %s,\n    "column": %s,\n    "end_line": %s,\n'
            '    "end_column": %s,\n    "rule": %s,\n    "severity": %s,\n    "message": %s,\n'
            '    "fix": null\n  }')

from .common import fix_safety


def format_json(report) -> str:
    """A JSON array of findings, sorted by path, line, column and rule; ``fix`` is null or the
    fix's applicability and edits (offsets into the text as read, BOM excluded, and positions)."""
    if not report.findings:
        return "[]\n"
    return "[\n" + ",\n".join(_finding(report, f) for f in report.findings) + "\n]\n"


def _finding(report, finding) -> str:
    if finding.fix:
        text = json.dumps(finding.to_dict(fix_safety(report, finding)), ensure_ascii=False, indent=2)
        return "  " + text.replace("\n", "\n  ")
    return _FINDING % (encode_basestring(finding.path), finding.line, finding.column, _number(finding.end_line),
                       _number(finding.end_column), encode_basestring(finding.rule),
                       encode_basestring(str(finding.severity)), encode_basestring(finding.message))


def _number(value) -> str:
    return "null" if value is None else str(value)

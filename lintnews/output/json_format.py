"""JSON: an array of findings, sorted by path, line, column and rule."""
from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C encoder json.dumps uses for strings

from ..violation import Severity

# One finding exactly as json.dumps(..., ensure_ascii=False, indent=2) lays it out, filled
# in directly: the indenting encoder is pure Python and took seconds on large archives.
_FINDING = ('  {\n    "path": %s,\n    "line": %s,\n    "column": %s,\n    "end_line": %s,\n'
            '    "end_column": %s,\n    "rule": %s,\n    "severity": %s,\n    "message": %s\n  }')

from .common import fix_safety


def format_json(report) -> str:
    """A JSON array of findings, sorted by path, line, column and rule; ``fix`` is null or the
    fix's applicability and edits (offsets into the text as read, BOM excluded, and positions)."""
    return json.dumps([f.to_dict(fix_safety(report, f) if f.fix else "") for f in report.findings],
                      ensure_ascii=False, indent=2) + "\n"

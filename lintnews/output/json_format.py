"""JSON: an array of findings, sorted by path, line, column and rule."""
from __future__ import annotations

import json

from .common import fix_safety


def format_json(report) -> str:
    """A JSON array of findings, sorted by path, line, column and rule; ``fix`` is null or the
    fix's applicability and edits (offsets into the text as read, BOM excluded, and positions)."""
    return json.dumps([f.to_dict(fix_safety(report, f) if f.fix else "") for f in report.findings],
                      ensure_ascii=False, indent=2) + "\n"

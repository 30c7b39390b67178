"""JSON: an array of findings, sorted by path, line, column and rule."""
from __future__ import annotations

import json


def format_json(report) -> str:
    """A JSON array of findings, sorted by path, line, column and rule."""
    return json.dumps([f.to_dict() for f in report.findings], ensure_ascii=False, indent=2) + "\n"

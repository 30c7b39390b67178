"""Output formats: how a report is written for people and for machines."""
from __future__ import annotations

import json
from typing import Callable

from .runner import Report
from .violation import Severity


def format_text(report: Report) -> str:
    """One line per finding, ``path:line:col: severity rule-id message``, then a summary."""
    lines = [f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}" for f in report.findings]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def format_json(report: Report) -> str:
    """A JSON array of findings, sorted by path, line, column and rule."""
    return json.dumps([f.to_dict() for f in report.findings], ensure_ascii=False, indent=2) + "\n"


def summary(report: Report) -> str:
    files = f"{report.files_checked} file{'s' if report.files_checked != 1 else ''} checked"
    if not report.findings:
        return f"No problems found ({files})."
    counts = [(report.count(level), str(level)) for level in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    parts = ", ".join(f"{n} {name}{'s' if n != 1 and name != 'info' else ''}" for n, name in counts)
    with_problems = len({f.path for f in report.findings})
    total = len(report.findings)
    return (f"Found {total} problem{'s' if total != 1 else ''} ({parts}) "
            f"in {with_problems} file{'s' if with_problems != 1 else ''} ({files}).")


FORMATS: dict[str, Callable[[Report], str]] = {"text": format_text, "json": format_json}

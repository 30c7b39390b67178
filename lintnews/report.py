"""Output formats: how a report is written for people and for machines."""
from __future__ import annotations

import json
from typing import Callable

from .formats import CI_FORMATS
from .runner import Report
from .violation import Severity


_STYLE = {"path": "1", "error": "1;31", "warning": "33", "info": "34", "rule": "2", "summary": "1"}


def format_text(report: Report, color: bool = False) -> str:
    """One line per finding, ``path:line:col: severity rule-id message``, then a summary."""
    def paint(text: str, style: str) -> str:
        return f"\x1b[{_STYLE[style]}m{text}\x1b[0m" if color else text

    lines = [f"{paint(f.path, 'path')}:{f.line}:{f.column}: {paint(str(f.severity), str(f.severity))} "
             f"{paint(f.rule, 'rule')} {f.message}" for f in report.findings]
    lines.append(paint(summary(report), "summary"))
    return "\n".join(lines) + "\n"


def use_color(stream, environ) -> bool:
    """Colour only for a person at a terminal: never under pre-commit or CI, NO_COLOR wins over
    FORCE_COLOR, and FORCE_COLOR wins over everything else."""
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    if environ.get("PRE_COMMIT") == "1" or environ.get("CI") not in (None, "", "0", "false"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def format_json(report: Report) -> str:
    """A JSON array of findings, sorted by path, line, column and rule."""
    return json.dumps([f.to_dict() for f in report.findings], ensure_ascii=False, indent=2) + "\n"


def summary(report: Report) -> str:
    files = f"{report.files_checked} file{'s' if report.files_checked != 1 else ''} checked"
    if report.hidden:
        files += f"; {report.hidden} known problem{'s' if report.hidden != 1 else ''} hidden by the baseline"
    if not report.findings:
        return f"No problems found ({files})."
    counts = [(report.count(level), str(level)) for level in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    parts = ", ".join(f"{n} {name}{'s' if n != 1 and name != 'info' else ''}" for n, name in counts)
    with_problems = len({f.path for f in report.findings})
    total = len(report.findings)
    return (f"Found {total} problem{'s' if total != 1 else ''} ({parts}) "
            f"in {with_problems} file{'s' if with_problems != 1 else ''} ({files}).")


FORMATS: dict[str, Callable[[Report], str]] = {"text": format_text, "json": format_json, **CI_FORMATS}


def resolve_format(name: str, environ) -> str:
    """``auto`` is GitHub annotations inside GitHub Actions, and text elsewhere."""
    if name != "auto":
        return name
    return "github" if environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATS else "text"


def rules_json(rules) -> str:
    """The loaded rules as JSON, for tools and documentation sites."""
    return json.dumps([{"id": rule.id, "severity": str(rule.severity), "enabled": rule.enabled,
                        "plugin": rule.plugin, "summary": rule.summary, "url": rule.docs_url}
                       for rule in rules.values()],
                      ensure_ascii=False, indent=2) + "\n"


def rules_markdown(rules) -> str:
    """The rule reference (docs/rules.md), generated from the rules' own documentation."""
    parts = ["# Rule reference\n",
             "Generated from the rules' docstrings by `lintnews rules --output-format markdown`; "
             "do not edit by hand.\n"]
    parts += [f"- [`{rule.id}`](#{rule.id}) ({rule.severity}{'' if rule.enabled else ', opt-in'}): {rule.summary}"
              for rule in rules.values()]
    for rule in rules.values():
        parts.append(f"\n## {rule.id}\n")
        default = "On by default" if rule.enabled else "Opt-in: off until configured"
        parts.append(f"Default severity: **{rule.severity}**. {default}. Plugin: `{rule.plugin}`.\n")
        parts.append(rule.doc.replace("``", "`") + "\n")
        if rule.options:
            parts.append("| option | default |\n| --- | --- |")
            parts += [f"| `{name}` | `{json.dumps(value, ensure_ascii=False)}` |"
                      for name, value in rule.options.items()]
    return "\n".join(parts) + "\n"

"""``--statistics``: how many findings each rule made, most first, as text or JSON.

One row per rule and severity (a rule whose findings differ in weight, such as a lexicon's
categories, gets a row per severity). ``fixable`` is how many of them a fix could repair,
given a predicate that tells (``lintnews check`` gives what ``--fix`` would repair); without
one it is ``None`` (JSON ``null``). The text shows the column when some row has fixable findings.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Callable, NamedTuple

from ..violation import Finding, Severity
from .common import PSEUDO_RULES
from .text import summary


class RuleCount(NamedTuple):
    """One row of the statistics."""

    rule: str
    severity: Severity
    count: int
    fixable: int | None
    summary: str

    def to_dict(self) -> dict:
        return {"rule": self.rule, "severity": str(self.severity), "count": self.count,
                "fixable": self.fixable, "summary": self.summary}


def rule_counts(report, is_fixable: Callable[[Finding], bool] | None = None) -> list[RuleCount]:
    """The rows, by count (most first), then severity (worst first), then rule id."""
    counts: Counter = Counter((finding.rule, finding.severity) for finding in report.findings)
    fixable: Counter = Counter((f.rule, f.severity) for f in report.findings if is_fixable and is_fixable(f))
    rows = [RuleCount(rule, severity, count, fixable[rule, severity] if is_fixable else None,
                      _summary(report, rule))
            for (rule, severity), count in counts.items()]
    return sorted(rows, key=lambda row: (-row.count, -row.severity, row.rule))


def format_statistics(report, is_fixable: Callable[[Finding], bool] | None = None) -> str:
    """Aligned columns, as ``ruff --statistics`` prints them, then the run's summary line."""
    rows = rule_counts(report, is_fixable)
    if not rows:
        return summary(report) + "\n"
    count_width = len(str(rows[0].count))
    rule_width = max(len(row.rule) for row in rows)
    fixes = any(row.fixable for row in rows)  # no column of blanks when nothing is fixable
    lines = []
    for row in rows:
        fixable = (f"{row.fixable:>{count_width}} fixable  " if row.fixable else
                   " " * (count_width + 10)) if fixes else ""
        lines.append(f"{row.count:>{count_width}}  {row.rule:<{rule_width}}  {str(row.severity):<7}  "
                     f"{fixable}{row.summary}".rstrip())
    return "\n".join([*lines, summary(report)]) + "\n"


def format_statistics_json(report, is_fixable: Callable[[Finding], bool] | None = None) -> str:
    """A JSON array of ``{rule, severity, count, fixable, summary}``, in the text's order."""
    return json.dumps([row.to_dict() for row in rule_counts(report, is_fixable)], ensure_ascii=False,
                      indent=2) + "\n"


def _summary(report, rule_id: str) -> str:
    rule = report.rules.get(rule_id)
    return rule.summary if rule is not None else PSEUDO_RULES.get(rule_id, "")

"""``lintnews check --statistics``: findings counted per rule and severity, most first."""
from __future__ import annotations

import json
from types import SimpleNamespace

from lintnews.output.common import fixable
from lintnews.output.statistics import RuleCount, format_statistics, rule_counts
from lintnews.runner import Report
from lintnews.violation import Edit, Finding, Severity

from test_cli import run, write


def finding(rule: str, severity: Severity = Severity.WARNING, line: int = 1) -> Finding:
    return Finding("a.md", line, 1, rule, "m", severity)


def report(*findings: Finding) -> Report:
    return Report(tuple(findings), files_checked=3)


def test_rows_by_count_then_severity_then_rule():
    rows = rule_counts(report(finding("b-rule"), finding("a-rule"), finding("a-rule", line=2),
                              finding("c-rule", Severity.ERROR), finding("banned", Severity.ERROR),
                              finding("banned", Severity.INFO)))
    assert rows == [RuleCount("a-rule", Severity.WARNING, 2, None, ""),
                    RuleCount("banned", Severity.ERROR, 1, None, ""),
                    RuleCount("c-rule", Severity.ERROR, 1, None, ""),
                    RuleCount("b-rule", Severity.WARNING, 1, None, ""),
                    RuleCount("banned", Severity.INFO, 1, None, "")]


def test_fixable_column_counts_what_the_predicate_calls_fixable():
    found = report(finding("a-rule"), finding("a-rule", line=2), finding("a-rule", line=3), finding("b-rule"))
    rows = rule_counts(found, is_fixable=lambda f: f.rule == "a-rule" and f.line < 3)
    assert [(row.rule, row.count, row.fixable) for row in rows] == [("a-rule", 3, 2), ("b-rule", 1, 0)]
    assert format_statistics(found, lambda f: f.rule == "a-rule" and f.line < 3).splitlines()[:2] == [
        "3  a-rule  warning  2 fixable",
        "1  b-rule  warning",
    ]


def test_cli_text_and_json(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "a.md", "---\ntitle: T\ndate: 2022-08-02\nauthor: X\n---\n\n"
          "<p style=\"color:red\">沪指涨！！</p>\n<img src=\"https://cdn.163.com/a.png\">\n"
          "<img src=\"https://cdn.163.com/b.png\">\n")
    result = run(tmp_path, "check", "--statistics")
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout.splitlines() == [
        "2  image-alt             warning             Images need alternative text, and the text must say "
        "something.",
        "1  editor-credit         error               The article must credit its responsible editor.",
        "1  inline-style          warning  1 fixable  Styling belongs to the site's theme, not to the article.",
        "1  repeated-punctuation  warning  1 fixable  A punctuation mark is written once: no ``！！``, ``？？``, "
        "``，，`` or ``。。。``.",
        "Found 5 problems (1 error, 4 warnings, 0 info) in 1 file (1 file checked).",
    ]
    rows = json.loads(run(tmp_path, "check", "--statistics", "--output-format", "json").stdout)
    assert rows[0] == {"rule": "image-alt", "severity": "warning", "count": 2, "fixable": 0,
                       "summary": "Images need alternative text, and the text must say something."}
    assert [(row["rule"], row["count"], row["fixable"]) for row in rows] == [
        ("image-alt", 2, 0), ("editor-credit", 1, 0), ("inline-style", 1, 1), ("repeated-punctuation", 1, 1)]


def test_fixable_is_what_fix_would_repair_unsafe_fixes_only_when_allowed():
    edit = (Edit(0, 1, ""),)
    found = Report((finding("safe-rule")._replace(fix=edit), finding("unsafe-rule")._replace(fix=edit),
                    finding("safe-rule", line=2)), files_checked=1,
                   rules={"safe-rule": SimpleNamespace(fix="safe", summary=""),
                          "unsafe-rule": SimpleNamespace(fix="unsafe", summary="")})
    safe = rule_counts(found, fixable(found))
    assert [(row.rule, row.count, row.fixable) for row in safe] == [("safe-rule", 2, 1), ("unsafe-rule", 1, 0)]
    unsafe = rule_counts(found, fixable(found, unsafe=True))
    assert [(row.rule, row.count, row.fixable) for row in unsafe] == [("safe-rule", 2, 1), ("unsafe-rule", 1, 1)]


def test_cli_refuses_formats_without_statistics(tmp_path):
    (tmp_path / ".git").mkdir()
    result = run(tmp_path, "check", "--statistics", "--output-format", "sarif")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "lintnews: error: --statistics prints text or json, not sarif\n"

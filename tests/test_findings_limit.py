"""max-findings-per-rule: at most so many findings of one rule in one file, the rest summed up in one."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from lintnews.runner import capped
from lintnews.violation import Finding, Pending, Severity, Ticket
from test_cli import run, write

HEAD = "---\ntitle: 沪指收涨\ndate: 2022-08-02\n---\n"
STYLED = "".join(f'<p style="color:red">第{n}段。</p>\n' for n in range(1, 8))  # lines 5-11, style at column 4


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository root holding a.md, an article with seven inline styles."""
    (tmp_path / ".git").mkdir()
    write(tmp_path / "a.md", HEAD + STYLED)
    return tmp_path.resolve()


def findings(project: Path, *args: str, rule: str = "inline-style") -> list[tuple[int, int, str, str]]:
    result = run(project, "check", "a.md", "--output-format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return [(f["line"], f["column"], f["severity"], f["message"]) for f in json.loads(result.stdout) if f["rule"] == rule]


def test_the_first_findings_by_position_are_listed_and_the_rest_summed_up_where_they_begin(project):
    (project / ".lintnews.yaml").write_text("max-findings-per-rule: 3\n", encoding="utf-8")
    found = findings(project, "--no-cache")
    assert [(line, column) for line, column, _, _ in found] == [(5, 4), (6, 4), (7, 4), (8, 4)]
    assert found[3] == (8, 4, "warning",
                        "4 more inline-style findings from here on are not listed (max-findings-per-rule: 3)")
    assert all(message.startswith("inline style") for _, _, _, message in found[:3])


def test_the_command_line_sets_the_limit_over_the_configuration_and_0_lists_all(project):
    (project / ".lintnews.yaml").write_text("max-findings-per-rule: 3\n", encoding="utf-8")
    assert [(line, message.split(" (")[0]) for line, _, _, message in findings(project, "--max-findings-per-rule", "1")][1] \
        == (6, "6 more inline-style findings from here on are not listed")
    assert [line for line, _, _, _ in findings(project, "--max-findings-per-rule", "0")] == list(range(5, 12))


def test_statistics_count_every_finding_unless_the_command_line_sets_a_limit(project):
    (project / ".lintnews.yaml").write_text("max-findings-per-rule: 3\n", encoding="utf-8")

    def counted(*args: str) -> int:
        result = run(project, "check", "a.md", "--statistics", "--output-format", "json", *args)
        return next(row["count"] for row in json.loads(result.stdout) if row["rule"] == "inline-style")

    assert counted() == 7
    assert counted("--max-findings-per-rule", "2") == 3  # asked for: two and their sum


def test_by_default_a_real_article_is_listed_whole(project):
    assert [line for line, _, _, _ in findings(project)] == list(range(5, 12))  # 7, far under 500


def test_a_cached_result_is_kept_per_limit(project):
    (project / ".lintnews.yaml").write_text("max-findings-per-rule: 2\n", encoding="utf-8")
    cold = findings(project)
    assert findings(project) == cold and len(cold) == 3  # the warm run reads what the cold one kept
    (project / ".lintnews.yaml").write_text("max-findings-per-rule: 0\n", encoding="utf-8")
    assert len(findings(project)) == 7  # another limit, another cached result


@pytest.mark.parametrize("args, config, message", [
    (("--max-findings-per-rule", "-1"), None,
     "command line: --max-findings-per-rule: must be a whole number of findings, 0 for no limit, not -1"),
    ((), "max-findings-per-rule: many\n",
     "{root}/.lintnews.yaml: max-findings-per-rule: must be a whole number of findings, 0 for no limit, not 'many'"),
    ((), "max-findings-per-rule: true\n",
     "{root}/.lintnews.yaml: max-findings-per-rule: must be a whole number of findings, 0 for no limit, not True"),
])
def test_a_bad_limit_is_a_one_line_error(project, args, config, message):
    if config is not None:
        (project / ".lintnews.yaml").write_text(config, encoding="utf-8")
    result = run(project, "check", "a.md", *args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"lintnews: error: {message.format(root=project)}\n"


def test_fixing_fixes_every_finding_not_only_those_listed(project):
    (project / "a.md").write_text(HEAD + "".join(f"第{n}段\u200b。\n" for n in range(1, 7)), encoding="utf-8")
    (project / ".lintnews.yaml").write_text("max-findings-per-rule: 2\n", encoding="utf-8")
    assert len(findings(project, "--no-cache", rule="bad-characters")) == 3  # two and the sum of four
    run(project, "check", "a.md", "--fix", "--no-cache")
    assert "\u200b" not in (project / "a.md").read_text(encoding="utf-8")


def _finding(line: int, rule: str = "r", severity: Severity = Severity.WARNING, message="m") -> Finding:
    return Finding("a.md", line, 1, rule, message, severity)


def test_the_sum_takes_the_highest_severity_of_what_it_stands_for():
    found = [_finding(5, severity=Severity.ERROR), _finding(1), _finding(3), _finding(4, severity=Severity.INFO),
             _finding(2, "other")]
    kept = capped(found, 2)
    assert [(f.line, f.rule, f.severity) for f in kept] == [
        (2, "other", Severity.WARNING), (1, "r", Severity.WARNING), (3, "r", Severity.WARNING),
        (4, "r", Severity.ERROR)]
    assert kept[-1].message == "2 more r findings from here on are not listed (max-findings-per-rule: 2)"


def test_findings_decided_later_are_neither_counted_nor_dropped():
    later = [_finding(line, message=Pending(lambda: "m")) for line in (7, 8, 9)] + [_finding(6, message=Ticket("r"))]
    found = [_finding(1), _finding(2), *later]
    assert capped(found, 2) == found
    assert capped(found, 1) == [*later, _finding(1), _finding(2)._replace(
        message="1 more r finding from here on is not listed (max-findings-per-rule: 1)")]

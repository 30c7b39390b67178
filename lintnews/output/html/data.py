"""The report's data, compact: string tables, one small integer row per finding, source lines.

Archives yield tens of thousands of findings, mostly repeating a few hundred messages over
thousands of files in a few hundred folders, so every repeated string is stored once and
referred to by its index: a file is its folder's index and its name. Findings (the new and,
with a baseline, the known ones) are sorted by file and line; each is ``[line, column,
rule·8 + severity·2 + known, message]`` and each file row says how many it has, so the file
of a finding needs no column of its own. The offending source lines are listed once per
(file, line), shortened around the column, and their texts (boilerplate repeats) once each.
"""
from __future__ import annotations

import json
from pathlib import Path

from ...facts import FileFacts, file_facts
from ...violation import Finding
from ..common import PSEUDO_RULES, clean_path, relpath

_WINDOW = 80  # characters of a long source line kept around the finding's column
_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                         "\u2029": "\\u2029"})


class Table:
    """Strings stored once each, referred to by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def items(self) -> list[str]:
        return list(self.index)


def payload(report, generated: str) -> dict:
    """Everything the page shows, as plain JSON-able values."""
    tagged = sorted([*((f, 0) for f in report.findings), *((f, 1) for f in report.known)],
                    key=lambda pair: (relpath(pair[0]), pair[0].line, pair[0].column, pair[0].rule))
    findings = [finding for finding, _ in tagged]
    facts = _facts_by_path(report, findings)
    tables = {name: Table() for name in ("folders", "sections", "sources", "editors", "months", "messages",
                                         "texts")}
    rules = Table()
    counts: dict[str, int] = {}
    for finding in findings:
        counts[relpath(finding)] = counts.get(relpath(finding), 0) + 1
    files = [_file_row(fact, counts.get(key, 0), tables) for key, fact in facts.items()]
    rows = [[f.line, f.column, rules(f.rule) * 8 + int(f.severity) * 2 + known, tables["messages"](f.message)]
            for f, known in tagged]
    lines = [[start, tables["texts"](text)] for start, text in _source_lines(report.root, findings)]
    return {"version": 1, "generated": generated, "root": Path(report.root).name,
            "checked": report.files_checked, "baseline": bool(report.known or report.hidden),
            "rules": [_rule(report.rules, rule_id) for rule_id in rules.items()],
            **{name: table.items() for name, table in tables.items()},
            "files": files, "findings": rows, "lines": lines}


def dumps(data: dict) -> str:
    """JSON that can sit inside ``<script type="application/json">``: no ``<``, ``>`` or ``&``
    (so no ``</script>`` or ``<!--``), and no line separators, in any string."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_UNSAFE)


def _facts_by_path(report, findings: list[Finding]) -> dict[str, FileFacts]:
    """Each checked file's facts by root-relative path, in path order; a file with findings the
    run has no facts for (a report made elsewhere) gets bare ones."""
    facts = {_key(fact): fact for fact in report.files}
    for finding in findings:
        if relpath(finding) not in facts:
            facts[relpath(finding)] = file_facts(finding.path, finding.relpath)
    return dict(sorted(facts.items()))


def _file_row(fact: FileFacts, count: int, tables: dict[str, Table]) -> list:
    """``[folder, name, title, section, source, editor, month, findings]``; the folder is the
    path's as shown (``.`` for none), the others index their tables."""
    folder, _, name = fact.path.replace("\\", "/").rpartition("/")
    return [tables["folders"](folder or "."), name, fact.title, tables["sections"](fact.section),
            tables["sources"](fact.source), tables["editors"](fact.editor), tables["months"](fact.month), count]


def _key(fact: FileFacts) -> str:
    return clean_path(fact.relpath or fact.path)


def _rule(rules: dict, rule_id: str) -> dict:
    rule = rules.get(rule_id)
    if rule is None:
        return {"id": rule_id, "severity": "error", "summary": PSEUDO_RULES.get(rule_id, ""), "doc": "",
                "options": {}, "url": None}
    url = rule.docs_url if (rule.docs_url or "").startswith(("https://", "http://")) else None
    return {"id": rule.id, "severity": str(rule.severity), "summary": rule.summary.replace("``", "`"),
            "doc": rule.doc.replace("``", "`"),
            "options": json.loads(json.dumps(rule.options, default=str)), "url": url}


def _source_lines(root, findings: list[Finding]) -> list[tuple[int, str]]:
    """``(start column, text)`` of the findings' source lines, in their order: the whole line,
    or ``_WINDOW`` characters of it from about a third of a window before the column. A finding
    on the line of the one before it shares its entry if its column falls inside that window
    (the page decides the same way, so findings need no reference to their line)."""
    result: list[tuple[int, str]] = []
    previous: tuple[str, int, int, int] | None = None  # path, line, window start and end columns
    text_lines: list[str] = []
    for finding in findings:
        if previous and previous[:2] == (finding.path, finding.line) and previous[2] <= finding.column < previous[3]:
            continue
        if previous is None or finding.path != previous[0]:
            text_lines = _read_lines(Path(root), finding)
        line = text_lines[finding.line - 1].removesuffix("\r") if 0 < finding.line <= len(text_lines) else ""
        start = 0
        if len(line) > _WINDOW:
            start = max(0, min(finding.column - 1 - _WINDOW // 3, len(line) - _WINDOW))
            line = line[start:start + _WINDOW]
        previous = (finding.path, finding.line, start + 1, start + 1 + max(len(line), 1))
        result.append((start + 1, line))
    return result


def _read_lines(root: Path, finding: Finding) -> list[str]:
    for path in (root / finding.relpath if finding.relpath else None, Path(finding.path)):
        if path is None:
            continue
        try:
            text = path.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        return text.removeprefix("\ufeff").split("\n")
    return []

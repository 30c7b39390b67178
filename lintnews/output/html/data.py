"""The report's data, compact: string tables, one small integer row per finding, source lines.

Archives yield tens of thousands of findings, mostly repeating a few hundred messages over
thousands of files in a few hundred folders, so every repeated string is stored once and
referred to by its index: a file is its folder's index and its name, and the files are stored
as columns (``FILE_COLUMNS``), which compress better than rows. Findings (the new and,
with a baseline, the known ones) are sorted by file and line and stored as columns (which
compress better than rows): ``line`` (the step from the line of the file's finding before, the
line itself for its first), ``column``, ``kind`` (rule·8 + severity·2 + known) and ``message``;
each file row says how many it has, so the file of a finding needs no column of its own. The offending source lines are listed once per
(file, line), shortened around the column, and their texts (boilerplate repeats) once each.

The page embeds that JSON gzip-compressed and in base64 (``pack``; ``unpack`` reverses it):
about a fifth of the plain size, and inflated by the browser's own ``DecompressionStream``.
"""
from __future__ import annotations

import base64
import gzip
import json
import os
from collections import Counter, defaultdict
from pathlib import Path

from ...facts import FileFacts, file_facts
from ...reading import DEFAULT_MAX_FILE_SIZE, ReadRefused, RealPaths, read_article
from ...violation import Finding
from ..common import PSEUDO_RULES, clean_path

# How much of a long source line is kept: characters before a finding and after it, at most
# this many for findings near each other on one line, and what counts as a short line (kept whole).
_BEFORE, _AFTER, _WIDEST, _SHORT = 20, 40, 160, 80
# The file table's columns: the folder and the section to the month index their tables.
FILE_COLUMNS = ("folder", "name", "title", "section", "source", "editor", "month", "findings")
# What must not appear inside <script> as is (</script>, <!--), nor as a JavaScript line break.
_UNSAFE = (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


class Table(defaultdict):
    """Strings stored once each: ``table[text]`` is the index of ``text``, new ones appended
    (a dict whose missing keys get the next index; it runs at C speed on 100,000 findings)."""

    def __init__(self) -> None:
        super().__init__()
        self.default_factory = self.__len__

    def items(self) -> list[str]:
        return list(self)


def payload(report, generated: str) -> dict:
    """Everything the page shows, as plain JSON-able values."""
    paths = {path: clean_path(path) for path in {f.relpath or f.path for f in (*report.findings, *report.known)}}
    tagged = sorted([*((f, 0) for f in report.findings), *((f, 1) for f in report.known)],
                    key=lambda pair: (paths[pair[0].relpath or pair[0].path], pair[0].line, pair[0].column,
                                      pair[0].rule))
    findings = [finding for finding, _ in tagged]
    facts = _facts_by_path(report, findings, paths)
    tables = {name: Table() for name in ("folders", "sections", "sources", "editors", "months", "messages",
                                         "texts")}
    rules, messages, texts = Table(), tables["messages"], tables["texts"]
    counts = Counter(paths[f.relpath or f.path] for f in findings)
    rows = [_file_row(fact, counts[key], tables) for key, fact in facts.items()]
    files = {name: [row[index] for row in rows] for index, name in enumerate(FILE_COLUMNS)}
    columns = {"line": _line_steps(findings, paths), "column": [f.column for f in findings],
               "kind": [rules[f.rule] * 8 + int(f.severity) * 2 + known for f, known in tagged],
               "message": [messages[f.message] for f in findings]}
    lines = [[start, texts[text]] for start, text in _source_lines(report, findings)]
    return {"version": 1, "generated": generated, "root": Path(report.root).name,
            "checked": report.files_checked, "baseline": bool(report.known or report.hidden),
            "rules": [_rule(report.rules, rule_id) for rule_id in rules.items()],
            **{name: table.items() for name, table in tables.items()},
            "files": files, "findings": columns, "lines": lines}


def dumps(data: dict) -> str:
    """JSON that could sit inside ``<script type="application/json">`` as is: no ``<``, ``>`` or
    ``&`` (so no ``</script>`` or ``<!--``), and no line separators, in any string (``pack``
    encodes it further, so the page is safe twice over)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _UNSAFE:  # only strings hold them: JSON's own syntax has none
        text = text.replace(character, escaped)
    return text


def pack(data: dict) -> str:
    """``dumps(data)`` gzip-compressed, in base64: letters, digits, ``+``, ``/`` and ``=`` only,
    so nothing in it can end a script element. Level 9 is 1.5% smaller than zlib's default (6)
    for about half a second more on 100,000 findings; no timestamp in the header, so one report
    gives one page."""
    # a lone surrogate (front matter may decode one from a JSON "\\ud800") can only be in a JSON
    # string, where its escape is what JSON writes it as
    compressed = gzip.compress(dumps(data).encode("utf-8", "backslashreplace"), compresslevel=9, mtime=0)
    return base64.b64encode(compressed).decode("ascii")


def unpack(text: str) -> dict:
    """The data of ``pack(data)``, as the page decodes it."""
    return json.loads(gzip.decompress(base64.b64decode(text, validate=True)).decode("utf-8"))


def _line_steps(findings: list[Finding], paths: dict[str, str]) -> list[int]:
    """Each finding's line minus that of the finding before it in the same file (sorted by
    line, so never negative): mostly 0 or small, and so a short, repetitive column."""
    steps, previous, last = [], None, 0
    for finding in findings:
        path = paths[finding.relpath or finding.path]  # as the file rows group them
        steps.append(finding.line - (last if path == previous else 0))
        previous, last = path, finding.line
    return steps


def _facts_by_path(report, findings: list[Finding], paths: dict[str, str]) -> dict[str, FileFacts]:
    """Each checked file's facts by root-relative path (``paths`` maps a finding's to it), in path
    order; a file with findings the run has no facts for (a report made elsewhere) gets bare ones."""
    facts = {_key(fact): fact for fact in report.files}
    for finding in findings:
        key = paths[finding.relpath or finding.path]
        if key not in facts:
            facts[key] = file_facts(finding.path, finding.relpath)
    return dict(sorted(facts.items()))


def _file_row(fact: FileFacts, count: int, tables: dict[str, Table]) -> list:
    """``[folder, name, title, section, source, editor, month, findings]``; the folder is the
    path's as shown (``.`` for none), the others index their tables."""
    folder, _, name = fact.path.replace("\\", "/").rpartition("/")
    return [tables["folders"][folder or "."], name, fact.title, tables["sections"][fact.section],
            tables["sources"][fact.source], tables["editors"][fact.editor], tables["months"][fact.month], count]


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


def _source_lines(report, findings: list[Finding]) -> list[tuple[int, str]]:
    """``(start column, text)`` of the findings' source lines, in their order: a short line whole,
    a long one cut to a window from ``_BEFORE`` characters before a finding to ``_AFTER`` after
    the last finding of that line that fits in ``_WIDEST``. A finding whose column lies inside the
    window of the finding before it (same file and line) shares its entry; the page applies the
    same test, so findings need no reference to their entry."""
    read = _reader(report, findings)
    result: list[tuple[int, str]] = []
    window: tuple[str, int, int, int] | None = None  # path, line, first column, column after the last
    text_lines: list[str] = []
    for index, finding in enumerate(findings):
        if window and window[:2] == (finding.path, finding.line) and window[2] <= finding.column < window[3]:
            continue
        if window is None or finding.path != window[0]:
            text_lines = read(finding)
        line = text_lines[finding.line - 1].removesuffix("\r") if 0 < finding.line <= len(text_lines) else ""
        start, end = _window(line, finding.column, _columns_after(findings, index))
        window = (finding.path, finding.line, start + 1, start + 1 + max(end - start, 1))
        result.append((start + 1, line[start:end]))
    return result


def _columns_after(findings: list[Finding], index: int):
    """The columns of the findings after ``findings[index]`` on the same line, in order."""
    first = findings[index]
    for later in range(index + 1, len(findings)):
        if (findings[later].path, findings[later].line) != (first.path, first.line):
            return
        yield findings[later].column


def _window(line: str, column: int, later) -> tuple[int, int]:
    """The 0-based ``[start, end)`` of ``line`` to store for a finding at ``column`` and the
    ``later`` columns of that line: up to ``_AFTER`` characters past the last that fits, and
    never reaching a later column that does not (it gets a window of its own)."""
    if len(line) <= _SHORT:
        return 0, len(line)
    start = max(0, column - 1 - _BEFORE)
    last = column
    end = len(line)
    for later_column in later:
        if later_column - 1 + _AFTER - start > _WIDEST:
            end = max(later_column - 1, column)
            break
        last = later_column
    return start, min(end, len(line), last - 1 + _AFTER)


def _reader(report, findings: list[Finding]):
    """A function giving the lines of a finding's file, or none, read as the run read it.

    The run keeps no text, so the file is read again, through the run's own reader
    (``lintnews.reading.read_article``: a regular file, no symlink leaving the root, within the
    run's max-file-size; a FIFO is opened without waiting): a report may only show what the
    run read. A file the run refused (``read-error``, ``too-large``) is not opened at all, and
    one it was given rather than read (standard input) is shown from what it was given."""
    root = str(report.root)
    refused = {finding.path for finding in findings if finding.rule in _UNREAD}
    given = getattr(report, "given", None) or {}
    max_size = getattr(report, "max_file_size", DEFAULT_MAX_FILE_SIZE)
    real_paths = RealPaths()

    def read(finding: Finding) -> list[str]:
        if finding.path in refused:
            return []
        if finding.path in given:
            data = given[finding.path]
        else:
            data = _read(root, finding, max_size, real_paths)
            if data is None:
                return []
        return data.decode("utf-8", "replace").removeprefix("\ufeff").split("\n")

    return read


_UNREAD = frozenset({"read-error", "too-large"})  # findings of a file the run did not read


def _read(root: str, finding: Finding, max_size: float | None, real_paths: RealPaths) -> bytes | None:
    """The bytes of the finding's file, found from the root (its ``relpath``) or as named (its
    ``path``), or None where the reader refuses it or it cannot be read."""
    for path in (os.path.join(root, finding.relpath) if finding.relpath else None, finding.path):
        if path is None:
            continue
        try:
            return read_article(path, Path(root), max_size, real_paths)
        except FileNotFoundError:
            continue  # not there: the other name, if any
        except (ReadRefused, OSError, ValueError):
            return None
    return None

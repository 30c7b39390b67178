"""Helpers for testing rules: ``lint_string`` and YAML case files run by one parametrized test."""
from __future__ import annotations

import re
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import Config, Settings
from .document import Document
from .fix.session import Fixer, Policy
from .files import SourceFile
from .plugins import collect_front_matter_formats, collect_rules, plugin_manager
from .runner import lint_paths
from .violation import Finding


def lint_string(text: str, rules: list[str] | None = None, options: dict[str, dict] | None = None,
                path: str = "article.md", files: dict[str, str | bytes] | None = None,
                root: Path | None = None, plugins: list | tuple = ()) -> list[Finding]:
    """Lint ``text`` as the file ``path`` with the given rules (default: the enabled ones)
    and per-rule options (``{rule_id: {option: value}}``).

    ``files`` are written beside it first (relative paths, text or bytes), so rules
    that look at the file system see them; ``root`` is the project root (default: a
    fresh temporary folder); ``plugins`` are plugin modules not installed as
    distributions (modules, or ``(name, module)`` pairs), such as the one under test.
    """
    return lint_files({**(files or {}), path: text}, rules, options, root, plugins, lint=[path])


def lint_files(files: dict[str, str | bytes], rules: list[str] | None = None,
               options: dict[str, dict] | None = None, root: Path | None = None,
               plugins: list | tuple = (), lint: list[str] | None = None) -> list[Finding]:
    """Write ``files`` (relative path → text or bytes) into ``root`` and lint them in one run,
    as ``lintnews check`` would: every file, or only those named in ``lint``. Rules that
    see the whole run (a duplicate across articles) are tested this way; findings come
    back sorted, with their ``path`` as given here.
    """
    for name in files:
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise ValueError(f"{name!r}: test files are named relative to the project root, inside it")
    if root is None:
        with tempfile.TemporaryDirectory() as folder:
            return lint_files(files, rules, options, Path(folder), plugins, lint)
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return list(_run(files, rules, options, root, plugins, lint)[0].findings)


def _run(files, rules, options, root: Path, plugins, lint, fix: Policy | None = None):
    """Lint (or fix, with a ``fix`` policy) the files already written into ``root``:
    (the report, the Fixer or None)."""
    pm = plugin_manager(extra=[item if isinstance(item, tuple) else (item.__name__, item) for item in plugins])
    available = collect_rules(pm)
    config = Config(None, root, rules={rule_id: dict(value) for rule_id, value in (options or {}).items()})
    settings = Settings(config, available, select=list(rules) if rules else None)
    sources = [SourceFile(root / name, name, name) for name in sorted(files if lint is None else lint)]
    formats = tuple(collect_front_matter_formats(pm))
    fixer = Fixer(fix, root, available, formats) if fix is not None else None
    report = lint_paths(sources, settings, formats=formats, fix=fixer)
    return (fixer.finish(report) if fixer is not None else report), fixer


def fix_string(text: str, rules: list[str] | None = None, options: dict[str, dict] | None = None,
               path: str = "article.md", unsafe: bool = True, only: list[str] | None = None,
               root: Path | None = None, plugins: list | tuple = ()) -> tuple[str, list[Finding]]:
    """Fix ``text`` as ``lintnews check --fix`` fixes the file ``path``: the fixed text and the
    findings left. Unsafe fixes are applied too unless ``unsafe`` is False; ``only`` limits
    fixing to some rules (as ``--fix-only``). Files are written and replaced for real, in
    ``root`` (default: a fresh temporary folder)."""
    if root is None:
        with tempfile.TemporaryDirectory() as folder:
            return fix_string(text, rules, options, path, unsafe, only, Path(folder), plugins)
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))
    policy = Policy(unsafe=unsafe, only=frozenset(only) if only else None)
    report, _ = _run({path: text}, rules, options, root, plugins, [path], policy)
    return Document.decode(target.read_bytes()), list(report.findings)


@dataclass(frozen=True)
class Case:
    """One case of a case file: an article, options, and the violations it must produce."""

    id: str
    rule: str
    text: str
    expected: list[tuple]
    options: dict[str, Any] = field(default_factory=dict)
    path: str = "article.md"
    files: dict[str, str] = field(default_factory=dict)
    also: tuple[str, ...] = ()  # further rules to run besides ``rule`` and the expected ones
    articles: dict[str, str] = field(default_factory=dict)  # more articles linted in the same run
    fixed: str | None = None  # the article once the rule's fixes are applied (unsafe ones too)


def load_cases(folder: Path) -> list[Case]:
    """Every case in the ``*.yaml`` files of ``folder``.

    A case file names its ``rule`` and lists ``cases``, each with a ``name``, the
    article ``text``, optional ``options``, ``path``, ``files`` (written beside it),
    ``articles`` (more articles, path → text, linted in the same run) and ``also``
    (more rules to run), and ``violations``: ``[line, column]`` or ``[line, column,
    rule]``, with the article's path first (``[path, line, column]``) for a finding
    in one of the ``articles``.
    """
    cases = []
    for case_file in sorted(Path(folder).glob("*.yaml")):
        data = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        for item in data["cases"]:
            rule_id = item.get("rule", data["rule"])
            path = item.get("path", "article.md")
            expected = []
            articles = item.get("articles", {})
            for v in item.get("violations", []):
                v = list(v) if isinstance(v[0], str) else [path, *v]
                if v[0] != path and v[0] not in articles:
                    raise ValueError(f"{case_file.name}: {item['name']}: violation {v} names no article of the case")
                expected.append((*v, rule_id) if len(v) == 3 else tuple(v))
            cases.append(Case(f"{case_file.stem}::{item['name']}", rule_id, item["text"], sorted(expected),
                              item.get("options", {}), path, item.get("files", {}),
                              tuple(item.get("also", ())), articles, item.get("fixed")))
    return cases


def run_case(case: Case, root: Path, plugins=()) -> None:
    """Assert that ``case`` produces exactly its expected violations, within the file, every time."""
    rules = sorted({case.rule, *case.also} | {v[3] for v in case.expected})
    options = {case.rule: case.options} if case.options else None
    articles = {**case.articles, case.path: case.text}
    findings = lint_files({**case.files, **articles}, rules, options, root, plugins, lint=list(articles))
    actual = sorted((f.path, f.line, f.column, f.rule) for f in findings)
    messages = "\n".join(f"  {f.path}:{f.line}:{f.column} {f.rule} {f.message}" for f in findings)
    expected = case.expected if case.articles else [v[1:] for v in case.expected]
    shown = actual if case.articles else [v[1:] for v in actual]
    assert shown == expected, f"{case.id}: expected {expected}, got:\n{messages}"
    for path, text in articles.items():
        assert_positions_inside(text, [f for f in findings if f.path == path])
    again = lint_files(articles, rules, options, root, plugins)
    assert again == findings, f"{case.id}: results differ between two runs"
    check_fix(case, rules, options, root, plugins, findings)


def check_fix(case: Case, rules: list[str], options, root: Path, plugins=(), findings=None) -> None:
    """For a rule with fixes: fixing gives the case's ``fixed`` text (when it has one), a
    second fix changes nothing, and the fixed text holds none of the rule's fixable findings.
    ``findings`` (the case's, if known) spare the work when none of them carries a fix."""
    if findings is not None and not any(f.rule == case.rule and f.fix for f in findings if f.path == case.path):
        assert case.fixed in (None, case.text), f"{case.id}: nothing to fix, yet 'fixed' differs from 'text'"
        return
    pm = plugin_manager(extra=[item if isinstance(item, tuple) else (item.__name__, item) for item in plugins])
    if not collect_rules(pm)[case.rule].fix:
        assert case.fixed is None, f"{case.id}: 'fixed' given for {case.rule}, which has no fixes"
        return
    folder = root / "fixing"
    fixed, left = fix_string(case.text, rules, options, case.path, only=[case.rule], root=folder, plugins=plugins)
    if case.fixed is not None:
        assert fixed == case.fixed, f"{case.id}: fixed text differs:\n{fixed}"
    unfixed = [f for f in left if f.rule == case.rule and f.fix]
    assert not unfixed, f"{case.id}: fixable findings left after fixing: {unfixed}"
    again, _ = fix_string(fixed, rules, options, case.path, only=[case.rule], root=folder, plugins=plugins)
    assert again == fixed, f"{case.id}: a second fix changed the text again:\n{again}"


def assert_positions_inside(text: str, findings: list[Finding]) -> None:
    """Every reported position names a real character (or the end) of the file."""
    lines = text.lstrip("\ufeff").split("\n")
    for f in findings:
        assert 1 <= f.line <= len(lines), f"{f.rule}: line {f.line} outside the file"
        assert 1 <= f.column <= len(lines[f.line - 1]) + 1, f"{f.rule}: column {f.column} outside line {f.line}"


_EXAMPLE = re.compile(r"^(Fails|Passes):\n\n((?:(?: {4}.*)?\n)+)", re.MULTILINE)


def doc_examples(rule_doc: str) -> list[tuple[bool, str]]:
    """The (fails?, text) examples of a rule's documentation."""
    return [(label == "Fails", textwrap.dedent(block).strip("\n") + "\n")
            for label, block in _EXAMPLE.findall(rule_doc + "\n")]


_ARTICLE_HEADER = re.compile(r"^==> (.+) <==\n", re.MULTILINE)


def example_articles(text: str) -> dict[str, str]:
    """The articles of a documented example: ``article.md``, or, for an example of several
    articles linted in one run, each part after a ``==> path <==`` line."""
    parts = _ARTICLE_HEADER.split(text)
    if len(parts) == 1:
        return {"article.md": text}
    if parts[0].strip():
        raise ValueError(f"example text before its first '==> path <==' line: {parts[0]!r}")
    return dict(zip(parts[1::2], parts[2::2]))


def check_documented_examples(rule_id: str, plugins=()) -> None:
    """Assert that a rule's ``Fails:`` examples fail and its ``Passes:`` examples pass."""
    pm = plugin_manager(extra=[item if isinstance(item, tuple) else (item.__name__, item) for item in plugins])
    rules = collect_rules(pm)
    examples = doc_examples(rules[rule_id].doc)
    assert {fails for fails, _ in examples} == {True, False}, \
        f"{rule_id}: the documentation needs a 'Fails:' and a 'Passes:' example"
    for fails, text in examples:
        # every rule runs (opt-in ones too): an example may need another rule's finding
        findings = [f for f in lint_files(example_articles(text), sorted(rules), plugins=plugins)
                    if f.rule == rule_id]
        assert bool(findings) == fails, (f"{rule_id}: this {'failing' if fails else 'passing'} example "
                                         f"does not behave as documented:\n{text}\n{findings}")


def case_tests(folder: Path, plugins=()):
    """A pytest test running every case file in ``folder``; assign it to a ``test_`` name::

        test_cases = case_tests(Path(__file__).parent / "cases", plugins=[house_rules])
    """
    import pytest

    cases = load_cases(folder)

    @pytest.mark.parametrize("case", cases, ids=[case.id for case in cases])
    def test_case(case, tmp_path):
        run_case(case, tmp_path, plugins)

    return test_case


def documented_example_tests(rule_ids, plugins=()):
    """A pytest test checking every listed rule's documented examples (see ``check_documented_examples``)."""
    import pytest

    @pytest.mark.parametrize("rule_id", list(rule_ids))
    def test_documented_examples(rule_id):
        check_documented_examples(rule_id, plugins)

    return test_documented_examples

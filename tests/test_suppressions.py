"""Suppressions never hide what the core reports about itself."""
import types

import pytest

from lintnews import hookimpl, rule
from lintnews.config import Config, Settings
from lintnews.document import Document
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.runner import lint_document
from lintnews.testing import lint_files


@rule("always-crashes", severity="info")
def always_crashes(doc, options):
    """Raises on every file."""
    raise RuntimeError("boom")


def test_a_crash_is_reported_even_where_everything_is_disabled(tmp_path):
    module = types.ModuleType("crashy")
    module.lintnews_rules = hookimpl(lambda: [always_crashes])
    rules = collect_rules(plugin_manager(extra=[("crashy", module)]))
    settings = Settings(Config(None, tmp_path), rules, select=["always-crashes", "unused-suppression"])
    doc = Document("a.md", "<!-- lintnews-disable-file -->\ntext\n", root=tmp_path)
    findings = lint_document(doc, settings.for_path("a.md"), "a.md", rules)
    assert [(f.line, f.column, f.rule) for f in findings] == [(1, 1, "internal-error"), (1, 1, "unused-suppression")]


@pytest.mark.parametrize("setting, problem", [
    ("{disable: [[1]]}", "disable must be true, a rule id or a list of rule ids, not [[1]]"),
    ("{disable: {a: 1}}", "disable must be true, a rule id or a list of rule ids, not {'a': 1}"),
    ("{disable: editor-credit, reason: [1]}", "reason must be text, not [1]"),
    ("[editor-credit]", "must be a mapping such as {disable: [rule-id], reason: why}, not ['editor-credit']"),
    # a list that names no rule suppresses nothing (true, or no list in a comment, is every rule)
    ("{disable: [], reason: nothing yet}", "disable names no rule ([]; true disables every rule)"),
    ("{disable: ''}", "disable names no rule (''; true disables every rule)"),
])
def test_a_per_file_setting_of_the_wrong_shape_is_reported_for_that_file_only(tmp_path, setting, problem):
    files = {"a.md": f"---\ntitle: a\nlintnews: {setting}\n---\n<p>　　</p>\n",
             "b.md": "---\ntitle: b\n---\n<p>　　</p>\n"}
    findings = lint_files(files, ["empty-paragraph", "unused-suppression"], root=tmp_path)
    assert [(f.path, f.line, f.column, f.rule, f.message) for f in findings] == [
        ("a.md", 3, 1, "unused-suppression", f"front matter lintnews: {problem}"),
        ("a.md", 5, 1, "empty-paragraph", "empty paragraph"),
        ("b.md", 4, 1, "empty-paragraph", "empty paragraph"),
    ]


def test_a_crash_outside_the_rules_is_pinned_on_its_file_and_the_run_goes_on(tmp_path, monkeypatch):
    import lintnews.runner

    def broken(doc, findings, *args):
        if doc.path == "a.md":
            raise TypeError("unhashable type: 'list'")
        return findings

    monkeypatch.setattr(lintnews.runner.suppressions, "apply", broken)
    files = {"a.md": "<!-- lintnews-disable -->\n<p>　</p>\n", "b.md": "<!-- lintnews-disable -->\n<p>　</p>\n"}
    findings = lint_files(files, ["empty-paragraph"], root=tmp_path)
    assert [(f.path, f.line, f.column, f.rule, f.message) for f in findings] == [
        ("a.md", 1, 1, "internal-error", "lintnews crashed on this file: TypeError: unhashable type: 'list'"),
        ("b.md", 2, 1, "empty-paragraph", "empty paragraph"),
    ]


@pytest.mark.parametrize("directive, problem", [
    ("<!-- lintnews-disable , -->", "lintnews-disable names no rule in ','"),
    ("<!-- lintnews-disable-file ,, -- legacy -->", "lintnews-disable-file names no rule in ',,'"),
])
def test_a_comment_whose_list_names_no_rule_suppresses_nothing(tmp_path, directive, problem):
    findings = lint_files({"a.md": f"{directive}\n<p>　　</p>\n"}, ["empty-paragraph", "unused-suppression"],
                          root=tmp_path)
    assert [(f.line, f.column, f.rule, f.message) for f in findings] == [
        (1, 1, "unused-suppression", f"{problem} (without a list, it applies to every rule)"),
        (2, 1, "empty-paragraph", "empty paragraph")]


def test_a_directive_without_a_list_still_applies_to_every_rule(tmp_path):
    findings = lint_files({"a.md": "<!-- lintnews-disable -- legacy -->\n<p>　　</p>\n",
                           "b.md": "---\ntitle: b\nlintnews: {disable: true}\n---\n<p>　　</p>\n"},
                          ["empty-paragraph", "unused-suppression"], root=tmp_path)
    assert findings == []

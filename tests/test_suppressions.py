"""Suppressions never hide what the core reports about itself."""
import types

from lintnews import hookimpl, rule
from lintnews.config import Config, Settings
from lintnews.document import Document
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.runner import lint_document


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

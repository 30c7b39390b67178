"""The README's promises: its plugin example works and its rule table lists every built-in rule."""
import importlib.util
import re
from pathlib import Path

from lintnews.config import Config, Settings
from lintnews.document import Document
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.runner import lint_document
from lintnews.testing import doc_examples

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _load_plugin_example(tmp_path):
    code = re.search(r"```python\n(# house_rules\.py\n.*?)```", README, re.DOTALL).group(1)
    module_file = tmp_path / "house_rules.py"
    module_file.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("house_rules", module_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_plugin_example_registers_and_runs(tmp_path):
    module = _load_plugin_example(tmp_path)
    rules = collect_rules(plugin_manager(extra=[("house_rules", module)]))
    rule = rules["headline-full-stop"]
    assert rule.plugin == "house_rules" and str(rule.severity) == "warning"
    settings = Settings(Config(None, tmp_path), rules, select=["headline-full-stop"])
    doc = Document("a.md", "---\ndate: 2022-08-02\ntitle: 沪指收涨。\n---\n", root=tmp_path)
    findings = lint_document(doc, settings.for_path("a.md"))
    assert [(f.line, f.column, f.rule) for f in findings] == [(3, 8, "headline-full-stop")]
    for fails, text in doc_examples(rule.doc):
        assert bool(lint_document(Document("a.md", text), settings.for_path("a.md"))) == fails


def test_rule_table_lists_every_builtin_rule():
    listed = set(re.findall(r"^\| `([a-z-]+)` \| (?:error|warning|info) \|", README, re.MULTILINE))
    builtin = {rule_id for rule_id, rule in collect_rules(plugin_manager()).items()
               if rule.plugin.startswith("lintnews.")}
    assert listed == builtin

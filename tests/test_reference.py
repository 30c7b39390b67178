"""The rule reference in docs/ is generated from the rules' docstrings and must not drift."""
from pathlib import Path

from lintnews.plugins import collect_rules, plugin_manager
from lintnews.output.rule_docs import rules_markdown

REFERENCE = Path(__file__).parent.parent / "docs" / "rules.md"


def test_docs_rules_md_is_generated_from_the_docstrings():
    expected = rules_markdown(collect_rules(plugin_manager()))
    assert REFERENCE.read_text(encoding="utf-8") == expected, \
        "docs/rules.md is stale: run 'lintnews rules --output-format markdown > docs/rules.md'"


def test_every_builtin_rule_url_is_an_anchor_of_the_reference():
    text = REFERENCE.read_text(encoding="utf-8")
    for rule in collect_rules(plugin_manager()).values():
        anchor = rule.docs_url.rpartition("#")[2]
        assert rule.docs_url.endswith(f"docs/rules.md#{rule.id}")
        assert f"\n## {anchor}\n" in text

"""Every rule against its case files in tests/cases, and against the examples in its own documentation."""
from pathlib import Path

import pytest

from lintnews.plugins import collect_rules, plugin_manager
from lintnews.testing import doc_examples, lint_string, load_cases, run_case

CASES = load_cases(Path(__file__).parent / "cases")
RULES = collect_rules(plugin_manager())


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(case, tmp_path):
    run_case(case, tmp_path)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_case_files(rule_id):
    assert any(case.rule == rule_id for case in CASES), f"no case file for {rule_id}"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_documented_examples_behave_as_documented(rule_id):
    examples = doc_examples(RULES[rule_id].doc)
    assert {fails for fails, _ in examples} == {True, False}, "needs a failing and a passing example"
    for fails, text in examples:
        # every rule runs (opt-in ones too): some examples need another rule's finding
        findings = [f for f in lint_string(text, sorted(RULES)) if f.rule == rule_id]
        assert bool(findings) == fails, f"{'failing' if fails else 'passing'} example:\n{text}\n{findings}"

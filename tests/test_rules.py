"""Every rule against its case files in tests/cases, and against the examples in its own documentation."""
from pathlib import Path

import pytest

from lintnews.plugins import collect_rules, plugin_manager
from lintnews.testing import case_tests, documented_example_tests, load_cases

CASES_FOLDER = Path(__file__).parent / "cases"
RULES = collect_rules(plugin_manager())

test_case = case_tests(CASES_FOLDER)
test_documented_examples = documented_example_tests(sorted(RULES))


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_case_files(rule_id):
    assert any(case.rule == rule_id for case in load_cases(CASES_FOLDER)), f"no case file for {rule_id}"

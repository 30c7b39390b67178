"""The house rules against their case files, their documented examples and one whole article."""
from pathlib import Path

import lintnews_house_rules
from lintnews.testing import case_tests, documented_example_tests, lint_string

RULES = ["headline-punctuation", "allowed-categories"]

# every case of tests/cases/*.yaml: exact [line, column] of each violation
test_case = case_tests(Path(__file__).parent / "cases", plugins=[lintnews_house_rules])
# the Fails:/Passes: examples of each rule's docstring behave as documented
test_documented_examples = documented_example_tests(RULES, plugins=[lintnews_house_rules])

ARTICLE = """\
---
title: 芯片出口管制再升级。
date: 2022-08-02
author: 新华社
categories:
  - 科技
  - 国际新闻
---

美国商务部宣布新一轮出口管制措施。

责任编辑：王蒙
"""


def test_an_article_gets_both_rules_with_their_severities():
    findings = lint_string(ARTICLE, plugins=[lintnews_house_rules])  # every enabled rule, built-ins too
    assert [(f.line, f.column, str(f.severity), f.rule, f.message) for f in findings] == [
        (2, 8, "warning", "headline-punctuation", "headline ends with '。': headlines take no full stop"),
        (7, 5, "error", "allowed-categories",
         "category '国际新闻' is not allowed (allowed: 财经, 科技, 国内, 国际)"),
    ]


def test_options_are_given_per_rule():
    options = {"allowed-categories": {"allowed": ["科技", "国际新闻"]}, "headline-punctuation": {"marks": ["！"]}}
    assert lint_string(ARTICLE, rules=RULES, options=options, plugins=[lintnews_house_rules]) == []

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


def test_clean_wire_copy_produces_no_finding_at_all():
    from lintnews.testing import lint_string

    article = ("---\ntitle: 全媒体运营师能力验证工作正式启动\ndate: 2022-08-02\nauthor: 中新网\n---\n\n"
               "<p>　　中新网北京8月2日电 （王鑫蕊）日前，记者从国家市场监督管理总局获悉，"
               "2020年中国传媒产业总产值规模达25229.7亿元，较2019年增长6.51%。</p>\n\n"
               "<p class=\"article-editor\">责任编辑：王蒙</p>\n")
    assert lint_string(article, sorted(RULES)) == []


def test_a_zero_width_space_is_a_warning_and_broken_text_stays_an_error():
    from lintnews import Severity
    from lintnews.testing import lint_string

    findings = lint_string("中新网\u200b北京\ufffd日电\x07。\n", ["bad-characters"])
    assert [(f.line, f.column, f.severity) for f in findings] == [
        (1, 4, Severity.WARNING), (1, 7, Severity.ERROR), (1, 10, Severity.ERROR)]


def test_a_url_in_a_link_target_ends_at_its_parenthesis_for_the_punctuation_rules():
    from lintnews.testing import lint_string

    # a bare URL read from the target's scheme would run on past the ")" (URLs may hold one)
    # and hide the text after the link: here the ")" that closes "（" and the makeshift ellipsis
    text = "（可点击此处阅读[第一篇](https://x.cn/s/a))。\n\n详见[消逝......](https://x.cn/b)~~ 完\n"
    found = [(f.rule, f.line, f.column, f.message)
             for f in lint_string(text, ["unbalanced-pairs", "repeated-punctuation"])]
    assert found == [("unbalanced-pairs", 1, 1, "'（' is closed by a half-width ')'"),
                     ("repeated-punctuation", 3, 6, "'......' used as an ellipsis (write '……')")]


def test_bare_urls_and_link_targets_are_blanked_wherever_they_touch():
    from lintnews.testing import lint_string

    # a bare URL, one inside a link target and one right after the target's ")" each hold a
    # half-width comma between two Chinese characters: none is read; the run after them is
    text = "详见http://x.cn/中,文和[链接](http://y.cn/中,文)http://z.cn/中,文 好，，\n"
    found = [(f.rule, f.line, f.column, f.message)
             for f in lint_string(text, ["halfwidth-punctuation", "repeated-punctuation"])]
    assert found == [("repeated-punctuation", 1, 57, "repeated punctuation '，，'")]


def test_english_copy_is_checked_from_its_characters_beyond_ascii_and_still_reported():
    from lintnews.testing import lint_string

    # no CJK letter: the punctuation rules look for full-width marks and brackets among the few
    # characters beyond ASCII first; found there, they are reported where they are
    rules = ["unbalanced-pairs", "repeated-punctuation", "halfwidth-punctuation"]
    text = "He said “wait”．．and left 【note\n\nAll “fine” here.\n"
    assert [(f.rule, f.line, f.column, f.message) for f in lint_string(text, rules)] == [
        ("repeated-punctuation", 1, 15, "'．．' used as an ellipsis (write '……')"),
        ("unbalanced-pairs", 1, 26, "'【' is never closed in its paragraph")]
    assert lint_string("All “fine” here — really…!!\n", rules) == []


def test_a_run_of_marks_inside_a_pair_is_read_by_both_punctuation_rules():
    from lintnews.testing import lint_string

    # one scan finds the pairs and the runs: a pair holding a run is read mark by mark, so that
    # the run is still reported (inside brackets) or passed over (inside a quotation), and the
    # pair still closes, or is reported when it does not
    text = "他说（好，，不）。\n\n他说【好！！\n\n“快跑！！”他喊。\n"
    found = [(f.rule, f.line, f.column, f.message)
             for f in lint_string(text, ["unbalanced-pairs", "repeated-punctuation"])]
    assert found == [("repeated-punctuation", 1, 5, "repeated punctuation '，，'"),
                     ("unbalanced-pairs", 3, 3, "'【' is never closed in its paragraph"),
                     ("repeated-punctuation", 3, 5, "repeated punctuation '！！'")]


@pytest.mark.parametrize("closing", ["1）", "1a）", "b）", "十二）", "谢谢:）", "谢谢 ：-）", "好;-）"])
def test_an_enumerators_or_a_smileys_lone_bracket_is_no_unbalanced_pair(closing):
    from lintnews.testing import lint_string

    assert lint_string(f"#### {closing}如何使用 tr 命令\n\n正文。\n", ["unbalanced-pairs"]) == []


@pytest.mark.parametrize("text", ["我们支持 (分辨率 4K）的视频。", "结果 (见表 2b）如下。", "代码 (x;）"])
def test_a_half_width_parenthesis_closed_full_width_is_reported_before_an_enumerator_is_looked_for(text):
    from lintnews.testing import lint_string

    found = lint_string(text + "\n", ["unbalanced-pairs"])
    assert [(f.line, f.column, f.message) for f in found] == [(1, text.index("）") + 1, "'）' closes a half-width '('")]

@pytest.mark.parametrize("closing", ["第一步）", "123）", "1ab）", "好-）", "中）"])
def test_a_lone_bracket_after_more_than_an_enumerator_or_a_smiley_is_reported(closing):
    from lintnews.testing import lint_string

    found = lint_string(f"{closing}正文。\n", ["unbalanced-pairs"])
    assert [(f.line, f.column, f.message) for f in found] == [
        (1, len(closing), "'）' has no opening '（' before it in its paragraph")]

@pytest.mark.parametrize("rule_id", sorted(rule_id for rule_id, rule in RULES.items() if rule.fix))
def test_every_fixable_rule_has_a_case_with_its_fixed_text(rule_id):
    assert any(case.rule == rule_id and case.fixed is not None and case.fixed != case.text
               for case in load_cases(CASES_FOLDER)), f"no case of {rule_id} shows its fixed text"


def test_the_fixable_rules_and_their_safety():
    assert {rule_id: rule.fix for rule_id, rule in RULES.items() if rule.fix} == {
        "inline-style": "safe", "leftover-markup": "safe", "repeated-punctuation": "safe",
        "empty-paragraph": "safe", "bad-characters": "safe", "fullwidth-spacing": "safe", "markdown-in-html": "unsafe",
        "halfwidth-punctuation": "unsafe",
        "promo-boilerplate": "unsafe", "cover-image-promo": "unsafe", "front-matter-date": "unsafe",
        "image-unverified": "unsafe", "link-broken": "unsafe", "title-artefact": "safe"}


def test_an_editor_credit_left_as_the_templates_placeholder_is_reported_at_its_label():
    from lintnews.testing import lint_string

    footer = ("via: https://example.org/a\n\n作者：[Jane Doe][a]\n译者：[geekpi](https://github.com/geekpi)\n"
              "校对：[校对者ID](https://github.com/校对者ID)\n\n本文由 LCTT 原创编译，Linux中国 荣誉推出\n")
    translated = "Linux 的文件系统层次结构规定了每个目录的用途，本文逐一说明它们各自存放的内容。\n\n" + footer
    found = lint_string(translated, ["editor-credit"])
    assert [(f.line, f.column, f.end_line, f.message) for f in found] == [
        (7, 1, None, "editor credit left as the template's placeholder: '校对：校对者ID' names nobody")]
    repost = "<p>沪指今日收涨，成交额放大。</p>\n<p>责任编辑：请填写</p>\n"
    assert [f.message for f in lint_string(repost, ["editor-credit"])] == [
        "editor credit left as the template's placeholder: '责任编辑：请填写' names nobody"]
    # the source awaiting its translation, under the same footer: not yet a Chinese article
    source = ("The Filesystem Hierarchy Standard gives every top-level directory a purpose, and this "
              "article goes through them one by one, with what each of them holds.\n\n") * 3 + footer
    assert lint_string(source, ["editor-credit"]) == []
    assert lint_string(translated.replace("[校对者ID]", "[wxy]"), ["editor-credit"]) == []


def test_tool_residue_counts_the_lines_holding_the_same_words():
    from lintnews.testing import lint_string

    text = "正文。\n（完整HTML内容已保存，长度: 812 字符）\n\n图片地址：\n（完整 HTML 内容已保存）\n"
    assert [(f.line, f.column, f.message) for f in lint_string(text, ["tool-residue"])] == [
        (2, 2, "left by a translation or conversion tool: '完整HTML内容已保存' (on 2 lines of the article, "
               "the first here)"),
        (4, 1, "left by a translation or conversion tool: '图片地址：'")]


def test_a_quotation_typed_the_wrong_way_round_is_one_finding_naming_both_marks():
    from lintnews.testing import lint_string

    assert [(f.line, f.column, f.message) for f in lint_string("她问道，”能离开吗？“\n", ["unbalanced-pairs"])] == [
        (1, 5, "'”' opens the quotation and '“' closes it: write '“' and '”'")]

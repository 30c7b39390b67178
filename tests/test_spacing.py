"""cjk-latin-spacing: its messages, modes, option checks and that it stays off by default."""
import pytest

from lintnews.config import ConfigError
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.testing import lint_string

RULE = "cjk-latin-spacing"
WIRE_COPY = ("<p>　　中新网北京8月2日电 （王鑫蕊）日前，记者从国家市场监督管理总局获悉，"
             "2020年中国传媒产业总产值规模达25229.7亿元，较2019年增长6.51%。</p>\n")


def findings(text, **options):
    return [(f.line, f.column, f.end_line, f.end_column, f.message)
            for f in lint_string(text, [RULE], {RULE: options} if options else None)]


def test_off_by_default():
    assert not collect_rules(plugin_manager())[RULE].enabled
    assert [f for f in lint_string("在GitHub上，在 GitLab 上，用 Python 写\n") if f.rule == RULE] == []


def test_a_missing_space_names_both_sides_and_the_article_habit():
    assert findings("在 GitHub 上，用 Python 写，跑在Linux上\n") == [
        (1, 25, 1, 26, 'no space between "在" and "Linux" (this article mostly spaces CJK and Latin)'),
        (1, 30, 1, 31, 'no space between "Linux" and "上" (this article mostly spaces CJK and Latin)')]


def test_an_extra_space_spans_the_whole_run_of_spaces():
    assert findings("在GitHub上，用Python写，跑在  Linux上\n") == [
        (1, 21, 1, 23, 'space between "在" and "Linux" (this article mostly writes together CJK and Latin)')]


def test_a_tie_says_the_first_boundary_decided():
    assert findings("在 GitHub 上，用Python写\n") == [
        (1, 13, 1, 14, 'no space between "用" and "Python" '
                       '(this article spaces CJK and Latin as often as not, and first spaced them)'),
        (1, 19, 1, 20, 'no space between "Python" and "写" '
                       '(this article spaces CJK and Latin as often as not, and first spaced them)')]


def test_always_and_never_name_the_style():
    assert [m for *_, m in findings("在GitHub上\n", style="always")] == [
        'no space between "在" and "GitHub" (style: always)', 'no space between "GitHub" and "上" (style: always)']
    assert [m for *_, m in findings("在 GitHub 上\n", style="never")] == [
        'space between "在" and "GitHub" (style: never)', 'space between "GitHub" and "上" (style: never)']


def test_one_odd_boundary_in_a_long_article_is_the_only_finding():
    article = "".join(f"<p>第{n}段在 GitHub 上发布。</p>\n" for n in range(20)) + "<p>又在GitHub上。</p>\n"
    assert [(line, column) for line, column, *_ in findings(article)] == [(21, 6), (21, 12)]


@pytest.mark.parametrize("options", [{}, {"style": "always"}, {"style": "never"}, {"digits": True},
                                     {"style": "never", "digits": True}])
def test_the_clean_wire_copy_passes(options):
    assert findings(WIRE_COPY, **options) == []


def test_digits_make_the_wire_copy_fail_when_spaces_are_required():
    found = findings(WIRE_COPY, style="always", digits=True)
    assert [m for *_, m in found][:2] == ['no space between "京" and "8" (style: always)',
                                          'no space between "8" and "月" (style: always)']


def test_an_unknown_style_is_a_configuration_error():
    with pytest.raises(ConfigError, match="option 'style' of rule 'cjk-latin-spacing' must be one of 'consistent', 'always', 'never', not 'sometimes'"):
        lint_string("在GitHub上\n", [RULE], {RULE: {"style": "sometimes"}})

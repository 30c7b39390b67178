"""Shortcuts of the rules about a source site's leftovers (promotions, contact details, markup,
images): an article taking each shortcut and one that does not give their exact findings."""
from __future__ import annotations

from lintnews.testing import lint_string


def _found(text: str, rule: str, options: dict | None = None) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in lint_string(text, [rule], {rule: options or {}})]


# -- promo-boilerplate: nothing read further where no built-in word stands --------

def test_an_article_without_a_promotion_word_reports_only_its_promotional_block():
    block = '<div class="appendQr_wrap"><p>扫一扫</p></div>\n'
    assert _found("<p>　　今年一季度，沪市新增开户数同比增长12%。</p>\n", "promo-boilerplate") == []
    assert [(line, column) for line, column, _ in _found("<p>　　正文。</p>\n" + block, "promo-boilerplate")] == [(2, 1)]
    assert [(line, column) for line, column, _ in
            _found("<p>　　正文。</p>\n<p>下载新浪财经APP</p>\n", "promo-boilerplate")] == [(2, 4)]


def test_patterns_of_ones_own_are_looked_for_where_no_built_in_word_stands():
    text = "<p>　　正文。</p>\n<p>欢迎订阅本报晨讯</p>\n"
    assert _found(text, "promo-boilerplate") == []
    assert [(line, column) for line, column, _ in
            _found(text, "promo-boilerplate", {"patterns": ["订阅本报"]})] == [(2, 6)]
    assert [(line, column) for line, column, _ in
            _found(text, "promo-boilerplate", {"residue-patterns": ["晨讯"]})] == [(2, 10)]


# -- contact-info: nothing compiled where no contact detail can start ---------------

def test_an_article_where_no_contact_detail_can_start_reports_none():
    assert _found("<p>　　2022年，国内生产总值增长3%。</p>\n", "contact-info") == []
    found = _found("<p>　　2022年，国内生产总值增长3%。联系：andyy1988@126.com</p>\n", "contact-info")
    assert [(line, column) for line, column, _ in found] == [(1, 26)]


def test_contact_patterns_of_ones_own_are_looked_for_where_no_built_in_one_can_start():
    text = "<p>　　报料请找张记者，工号A-2048。</p>\n"
    assert _found(text, "contact-info") == []
    for options in ({"patterns": [r"A-\d{4}"]},
                    {"patterns": [r"A-\d{4}"], "phones": False, "handles": False, "emails": False}):
        assert [(line, column) for line, column, _ in _found(text, "contact-info", options)] == [(1, 16)]


# -- promo-boilerplate, contact-info: long code is not read for where a pattern starts --

_LONG_CODE_SAMPLE = "```\n" + "call(13912345678)  # 扫码下载APP\n" * 12 + "```\n"
_SHORT_CODE_SAMPLE = "```\ncall(13912345678)\n```\n"


def test_the_sample_code_blocks_are_one_long_and_one_short():
    from lintnews.rules.promo import LONG_CODE
    assert len(_SHORT_CODE_SAMPLE) < LONG_CODE <= len(_LONG_CODE_SAMPLE)


def test_details_around_long_code_are_found_and_none_in_it():
    text = ("<p>　　热线：13812345678</p>\n\n" + _LONG_CODE_SAMPLE + "\n联系：13712345678，下载新浪财经APP\n\n"
            + _LONG_CODE_SAMPLE + "QQ：12345678\n")
    assert [(line, column) for line, column, _ in _found(text, "contact-info")] == [(1, 9), (18, 4), (34, 1)]
    assert [(line, column) for line, column, _ in _found(text, "promo-boilerplate")] == [(18, 16)]


def test_details_around_short_code_are_found_and_none_in_it():
    text = "<p>　　热线：13812345678</p>\n\n" + _SHORT_CODE_SAMPLE + "\n联系：13712345678\n"
    assert [(line, column) for line, column, _ in _found(text, "contact-info")] == [(1, 9), (7, 4)]
    assert _found(text, "promo-boilerplate") == []


def test_residue_is_found_where_its_words_stand_also_beside_html_rendered_as_code():
    article = ("<p>　　正文。</p>\n{}<p>下载新浪财经APP</p>\n    </div>\n\n"
               "<p>违法和不良信息举报电话：4000520066</p>\n<p>京ICP证000007</p>\n\n"
               + "<p>　　正文。</p>\n" * 8 + "<p>福利来了，下载APP</p>\n")
    as_code = article.format("\n    <div>\n    ")  # indented after a blank line: shown as code
    expected = [(4, 8), (7, 4), (18, 4), (18, 9)]
    assert [(line, column) for line, column, _ in _found(as_code, "promo-boilerplate")] == expected
    own = {"residue-patterns": ["违法和不良信息举报", "福利来了"]}  # not the built-in ones: searched in full
    assert [(line, column) for line, column, _ in _found(as_code, "promo-boilerplate", own)] == expected
    as_html = article.format("<div>\n")
    assert [(line, column) for line, column, _ in _found(as_html, "promo-boilerplate")] == \
        [(3, 4), (6, 4), (17, 4), (17, 9)]


# -- image-alt: an article without images is left before its options are read -------

def test_an_article_without_images_passes_and_one_with_them_is_judged():
    assert _found("<p>　　正文。</p>\n", "image-alt") == []
    text = "<p>　　正文。</p>\n\n![图片](https://cdn.163.com/a.png)\n\n<img src=\"https://cdn.163.com/b.png\">\n"
    assert [(line, column) for line, column, _ in _found(text, "image-alt")] == [(3, 1), (5, 1)]
    only_markdown = "<p>　　正文。</p>\n\n![](https://cdn.163.com/a.png)\n"
    assert _found(only_markdown, "image-alt") == []
    assert [(line, column) for line, column, _ in
            _found(only_markdown, "image-alt", {"allow-empty": False})] == [(3, 1)]


# -- reference images: definitions read from the line of the first "]:" on -----------

def test_reference_definitions_are_found_from_the_first_line_holding_one():
    text = ("---\ntitle: 参考式图片\n---\n[a]: //cdn.163.com/a.png\n"
            "正文 ![甲][a] 和 ![乙][b]，见注[c]: 不是定义\n  [b]: //cdn.163.com/b.png\n![丙][d]\n\n"
            "[d]:\n   //cdn.163.com/d.png\n")
    assert [(line, column) for line, column, _ in _found(text, "image-unverified")] == [(4, 6), (6, 8), (10, 4)]
    later = text.replace("[a]: //cdn.163.com/a.png\n", "\n").replace("![甲][a]", "![甲][e]")
    assert [(line, column) for line, column, _ in _found(later, "image-unverified")] == [(6, 8), (10, 4)]
    assert [(line, column) for line, column, _ in _found(later, "image-broken")] == [(5, 4)]

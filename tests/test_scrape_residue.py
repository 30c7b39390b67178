"""What the scrape-residue rules tell the editor: the messages, beyond the positions the case files check."""
import re

import pytest

from lintnews.testing import fix_string, lint_files, lint_string

STORY = ("<p>某食品公司将于八月一日开始销售一款特制面包，面包采用苹果和焦糖奶油口味，每个包装中附赠一张随机贴纸。</p>\n"
         "<p>该产品在全国各大超市和便利店均有销售，售价为每个一百五十日元左右，官方表示数量有限，售完即止。</p>\n"
         "<p>据悉，这款面包的包装设计同样别出心裁，正面印有多个角色形象，背面则介绍了贴纸的收集方法和活动规则。</p>\n"
         "<p>贴纸采用了游戏中的插画风格，每一张都经过重新设计，收藏爱好者表示十分期待，已有不少人计划一次购买多个。</p>\n"
         "<p>厂家表示，如果市场反响良好，今后还将推出更多口味和新的贴纸系列，并考虑在海外市场同步发售。</p>\n")


def test_title_and_body_in_different_scripts_are_called_untranslated():
    findings = lint_string("---\ntitle: 新作ポケモンパンのシールが集めたくなる可愛さ\n---\n" + STORY, ["title-body-mismatch"])
    assert [(f.line, f.column) for f in findings] == [(2, 8)]
    assert "the title is Japanese and the body Chinese" in findings[0].message


def test_a_foreign_body_in_the_same_script_is_called_another_page():
    findings = lint_string("---\ntitle: 外交部就驻外使馆遭冲击事件提出严正交涉\n---\n" + STORY, ["title-body-mismatch"])
    assert [(f.line, f.column) for f in findings] == [(2, 8)]
    assert findings[0].message.startswith("only 0 of the title's")
    assert "another page's text" in findings[0].message


def test_unchecked_root_relative_paths_are_counted_over_the_run():
    findings = lint_files({"a.md": "![A](/img/a.png) ![B](/img/b.png)\n", "b.md": "![C](/img/c.png)\n",
                           "c.md": "![D](https://cdn.163.com/d.png)\n"}, ["image-root-unknown"])
    assert [(f.path, f.line, f.column) for f in findings] == [("a.md", 1, 6)]
    assert "'/img/a.png' and 2 more in 2 articles" in findings[0].message


@pytest.mark.parametrize("path, cms", [("/wp-content/uploads/2010/07/a.jpg", "/wp-content/uploads/ is WordPress's"),
                                       ("/sites/default/files/u1/a.png", "/sites/default/files/ is Drupal's"),
                                       ("/img/a.png", None)])
def test_a_path_into_a_cms_upload_folder_is_named_as_such(path, cms):
    findings = lint_files({"a.md": f"![A]({path})\n"}, ["image-root-unknown"])
    assert [(f.path, f.line, f.column) for f in findings] == [("a.md", 1, 6)]
    message = findings[0].message
    assert message.startswith(f"root-relative image path {path!r} left unchecked: no site root was found (set the "
                              "roots option of image-broken, image-folder-missing and this rule)")
    if cms is None:
        assert message.endswith("this rule)")
    else:
        assert message.endswith(f"; {cms} upload folder: images left on the old site break when it goes")


def test_a_pasted_run_of_paragraphs_names_its_original_lines():
    paragraphs = STORY.splitlines()
    findings = lint_string("\n".join(paragraphs[:3] + ["<p>完。</p>"] + paragraphs[:3]) + "\n",
                           ["duplicate-paragraph"])
    assert [(f.line, f.column) for f in findings] == [(5, 4)]  # line 4 is "完。", too short to compare
    assert findings[0].message == "this paragraph and the 2 after it repeat lines 1–3"


def test_a_run_repeating_paragraphs_written_on_one_line_names_that_line():
    paragraphs = STORY.splitlines()
    summary = "".join(line.strip() for line in paragraphs[:2])  # the summary's <p>s on one line
    findings = lint_string(summary + "\n\n<p>完。</p>\n\n" + "\n\n".join(paragraphs[:2]) + "\n",
                           ["duplicate-paragraph"])
    assert [(f.line, f.column) for f in findings] == [(5, 4)]
    assert findings[0].message == "this paragraph and the 1 after it repeat paragraphs on line 1"


def test_a_fenced_block_is_named_a_page_dump_only_for_a_page():
    page = "```html\n<!DOCTYPE html>\n<html><body>" + "<p>正文。</p>\n" * 200 + "</body></html>\n```\n"
    tracked = '```html\n<article>\n<img src="https://beacon.sina.com.cn/a.gif">\n</article>\n```\n'
    assert [(f.line, f.column, f.message) for f in lint_string(page, ["leftover-markup"])] == [
        (1, 1, "a dump of a whole web page (holding '<!doctype') pasted in the article")]
    assert [(f.line, f.column, f.message) for f in lint_string(tracked, ["leftover-markup"])] == [
        (1, 1, "scraped HTML with the source site's tracking ('beacon.sina.com.cn') pasted in the article")]


def test_a_quotation_cut_off_by_a_feed_is_reported_once_as_truncated():
    findings = lint_string("<p>　　并在2009年获得诺贝尔物理学奖，以表扬其“....</p>\n<p>　　他说“好。</p>\n",
                           ["truncated-text", "unbalanced-pairs"])
    assert [(f.rule, f.line, f.column) for f in findings] == [("truncated-text", 1, 28),
                                                                ("unbalanced-pairs", 2, 8)]


def test_truncation_dots_are_not_also_a_makeshift_ellipsis():
    findings = lint_string("<p>　　中领馆高度重视，受总领事委托，副总领....</p>\n",
                           ["truncated-text", "repeated-punctuation", "halfwidth-punctuation"])
    assert [(f.rule, f.line, f.column) for f in findings] == [("truncated-text", 1, 24)]


PROMOTED = ("<p>福利来了！送你十大金股，点击查看>>下载新浪财经APP</p>\n<p>　　正文第一段，关注市场。</p>\n"
            "<p>扫码关注公众号</p>\n<p>点击下载客户端，Copyright ©1996-2025 SINA</p>\n"
            + "<p>　　正文。</p>\n" * 6 + "<p>违法和不良信息举报</p>\n")


def test_promotions_and_residue_found_in_one_pass_are_those_found_in_two():
    # built-in patterns only: both kinds are found in one pass; an extra residue pattern that
    # never matches, or HTML rendered as code (read as the source site shows it), takes two
    def found(text, options=None):
        return [(f.line, f.column, f.message) for f in lint_string(text, ["promo-boilerplate"], options)]

    one_pass = found(PROMOTED)
    assert [(line, column) for line, column, _ in one_pass] == [(1, 4), (1, 22), (3, 4), (4, 4), (11, 4)]
    from lintnews.rules.promo import RESIDUE_PATTERNS
    two_passes = found(PROMOTED, {"promo-boilerplate": {"residue-patterns": [*RESIDUE_PATTERNS, "(?!x)x"]}})
    assert two_passes == one_pass
    as_code = found("<p>　　正文。</p>\n\n    <p>扫码关注公众号</p>\n")  # an indented code block of HTML
    assert [(line, column) for line, column, _ in as_code] == [(3, 8)]


CONTACTED = ("<p>下载APP请拨打13812345678，微信：abc_123，关注公众号</p>\n<p>　　正文，2023年1月10日，股价上涨10%。</p>\n"
             "<p>扫码关注（021）12345678，+86 10 1234 5678，QQ：12345678，十大金股</p>\n")


def test_promotions_and_contact_details_found_together_are_those_found_apart():
    # promo-boilerplate and contact-info look for where their patterns can start in one pass
    # over the prose, shared by both; run apart, each makes that pass alone
    def found(rules):
        return [(f.rule, f.line, f.column) for f in lint_string(CONTACTED, rules)]

    together = found(["promo-boilerplate", "contact-info"])
    assert sorted(together) == sorted(found(["promo-boilerplate"]) + found(["contact-info"]))
    assert sorted(together) == [("contact-info", 1, 12), ("contact-info", 1, 24), ("contact-info", 3, 8),
                                ("contact-info", 3, 22), ("contact-info", 3, 39),
                                ("promo-boilerplate", 1, 4), ("promo-boilerplate", 3, 4),
                                ("promo-boilerplate", 3, 51)]


def test_a_body_is_judged_from_min_body_characters_shown_blanks_aside():
    # 12 characters shown, with spaces, line breaks and markup between them
    body = "<p>我在商场 租了一个</p>\n\n<p>  充电宝。</p>\n"
    text = "---\ntitle: 外交部就驻外使馆遭冲击事件提出严正交涉\n---\n" + body

    def found(min_body):
        return [(f.line, f.column) for f in lint_string(text, ["title-body-mismatch"],
                                                         {"title-body-mismatch": {"min-body": min_body}})]

    assert found(12) == [(2, 8)]
    assert found(13) == []
    assert found(1_000_000) == []


# one line a translation tool leaves, for each of tool-residue's built-in patterns, in order
TOOL_LINES = [
    "注：本文中的人名和作品名称不需要翻译。",
    "1. 把html转换成markdown格式：",
    "已全部转换为Markdown格式。",  # (the third: "转换成/为 markdown 格式")
    "将文章翻译成中文：",
    "图片地址：",
    "注：图片地址换成markdown格式显示。",
    "转换成markdown格式，保留imgs图片地址。",
    "图片地址无法翻译，请使用原图。",
    "以上是翻译后的文章。",
    "以上是对日文游戏文章的处理结果。",
    "本文已经将HTML转换为Markdown格式。",
    "以下是处理后的Markdown文本。",
    "文本已转换为Markdown格式。",
    "注：以下为markdown格式的文本",
    "由于未使用流式响应导致超时，请重试。",
    "（完整HTML内容已保存，长度: 5120 字符）",
    "＜放送情報＞TOKYO MX：毎週...(内容过长已截断)",
    "以下是优化排版后的文本：",
    "# 【翻译】",
    "注：本文为机器翻译。",
    "以上为本文的翻译。",
    "下面是翻译后的内容：",
    "原文中的图片已省略。",
    "原文链接：[替换为原文链接](https://animeanime.jp/)",
    "undefined",
]


def test_every_built_in_tool_pattern_is_found_through_the_shared_scan():
    from lintnews.rules.tool_residue import TOOL_PATTERNS, _DEFAULT

    assert len(TOOL_LINES) == len(TOOL_PATTERNS)
    for line, pattern in zip(TOOL_LINES, TOOL_PATTERNS):
        assert re.search(pattern, line, re.IGNORECASE), (pattern, line)  # the line is this pattern's example
        text = f"<p>　　新作动画将于10月播出。</p>\n\n{line}\n"
        found = [(f.line, f.rule) for f in lint_string(text, ["tool-residue"])]
        assert found == [(3, "tool-residue")], line  # the scan's words reach every pattern
    assert _DEFAULT.pattern == "|".join(f"(?:{p})" for p in TOOL_PATTERNS)
    # case is ignored, in the words the scan finds too
    assert [f.line for f in lint_string("正文。\n已将HTML转换为MARKdown格式。\n", ["tool-residue"])] == [2]


def test_a_shortcode_argument_with_markdown_escapes_is_named_with_what_it_should_read():
    text = '{{< legacy-img src="2014/05/NASA\\_BeAMartian\\_App1.jpg" alt="NASA\\_Be a Martian" >}}\n'
    findings = lint_string(text, ["leftover-markup"])
    assert [(f.line, f.column, f.end_column) for f in findings] == [(1, 33, 55), (1, 66, 80)]
    assert findings[0].message == ("Markdown escape in argument src of shortcode legacy-img: shortcode arguments are "
                                   "not Markdown, the backslash stays (it should read \"2014/05/NASA_BeAMartian_App1.jpg\")")
    assert "argument alt of shortcode legacy-img" in findings[1].message
    assert findings[1].message.endswith('(it should read "NASA_Be a Martian")')


def _shown(markdown: str) -> tuple[str, list[str]]:
    """What a reader sees of ``markdown`` as CommonMark renders it: the text, and its strong runs."""
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(markdown)
    strong = [re.sub(r"<[^>]+>", "", run) for run in re.findall(r"<strong>(.*?)</strong>", rendered, re.S)]
    return re.sub(r"<[^>]+>", "", rendered).strip(), strong


@pytest.mark.parametrize("line, clean", [
    ("**界面新闻：****你为什么从华为离职？**", True),
    ("**Silvia Salazar**,**** Public Health Adviser, **National Cancer Institute**", True),
    ("**Smartphones have reached maturity.****", True),
    ("Read more**** on [auditing APIs](https://example.org/apis).****", True),
    ("**Challenges in Stakeholder Engagement****—****Consider:**", True),
    ("## How to Create an Awesome Annual Metrics Report ****", True),
    # CommonMark leaves the "**" after the full-width colon unpaired whatever the fix
    ("**加征20%关税的商品共1078个****：**包括听力计", False),
])
def test_fixing_empty_bold_takes_its_asterisks_off_and_keeps_the_bold(line, clean):
    from lintnews.testing import fix_string

    text, strong = _shown(line)
    assert "*" in text and {f.message for f in lint_string(line + "\n", ["leftover-markup"])} == {
        "empty bold '****' shows as asterisks"}
    fixed, left = fix_string(line + "\n", ["leftover-markup"])
    fixed_text, fixed_strong = _shown(fixed)
    assert not [f for f in left if f.rule == "leftover-markup"] if clean else fixed_text.count("*") < text.count("*")
    assert ("*" in fixed_text) is not clean
    assert fixed_text.replace("*", "").split() == text.replace("*", "").split()  # only asterisks went
    assert all(any(run in fixed_run for fixed_run in fixed_strong) for run in strong)  # and the bold stays


def test_a_backslash_before_a_full_width_bar_names_the_bar():
    findings = lint_string("文\\丨磊子 来源\\｜记者站\n", ["leftover-markup"])
    assert [(f.line, f.column, f.end_column) for f in findings] == [(1, 2, 4), (1, 9, 11)]
    assert findings[0].message == "backslash before '丨' shows as text: Markdown escapes only ASCII punctuation"


def test_an_empty_heading_is_named_by_its_marks_and_a_lost_text_is_quoted():
    text = "## ##\n\nText.\n\n###\n          openSUSE Weekly News Team\n\nMore.\n"
    findings = lint_string(text, ["empty-paragraph"])
    assert [(f.line, f.column, f.end_line, f.end_column, f.message) for f in findings] == [
        (1, 1, 1, 6, "empty heading '## ##'"),
        (5, 1, 5, 4, "empty heading '###': its text seems to have fallen to the next line "
                     "('openSUSE Weekly News Team')")]
    assert findings[0].fix and not findings[1].fix


@pytest.mark.parametrize("after", ["A full sentence follows here.", "- a list item", "## Next heading",
                                   "![image](a.png)", "x" * 90])
def test_a_line_that_is_no_heading_text_is_not_called_lost(after):
    findings = lint_string(f"###\n{after}\n", ["empty-paragraph"])
    assert [f.message for f in findings] == ["empty heading '###'"]


@pytest.mark.parametrize("text, message", [
    ("Itâ€™s here.", "mojibake 'â€™': UTF-8 read as Windows-1252; should be '’'"),
    ("donÂ´t", "mojibake 'Â´': UTF-8 read as Windows-1252; should be '´'"),
    ("caf\u00c3\u0089", "mojibake 'Ã<U+0089>': UTF-8 read as Latin-1; should be 'É'"),
    ("Â\u00a0x", "mojibake 'Â<U+00A0>': UTF-8 read as Windows-1252; should be '<U+00A0>'"),
    ("Ã¢â‚¬â„¢s", "mojibake 'Ã¢â‚¬â„¢': UTF-8 read as Windows-1252 twice; should be '’'"),
    ("å¤§å®¶好", "mojibake 'å¤§å®¶': UTF-8 read as Windows-1252; should be '大家'"),
    ("â€ he said", "mojibake 'â€': UTF-8 read as Windows-1252, its last byte lost (likely '”')"),
])
def test_mojibake_is_named_with_the_text_it_should_be(text, message):
    findings = lint_string(text + "\n", ["bad-characters"])
    assert [f.message for f in findings] == [message]
    assert not findings[0].fix


def test_empty_bold_in_a_paragraph_too_long_to_check_gets_no_fix_rather_than_a_fix_a_pass():
    # each fix of the paragraph is checked by parsing it again, within a budget per article: once
    # it is spent, fixing one run a pass would outlast the fixer's passes and undo every fix
    line = "**界面新闻：****记者从有关部门获悉，今年以来全国经济运行总体平稳，发展质量稳步提升。**\n"
    text = line * 100 + "\n正文\u200b。\n"
    fixed, findings = fix_string(text, ["leftover-markup", "bad-characters"])
    assert "fix-failed" not in [f.rule for f in findings]
    assert [f.rule for f in findings] == ["leftover-markup"] * 100
    assert fixed == line * 100 + "\n正文。\n"  # the other rule's fix is kept


def _top_blocks(markdown: str) -> list[str]:
    """The kinds of the blocks CommonMark reads at the top level of ``markdown``."""
    from markdown_it import MarkdownIt

    return [token.type for token in MarkdownIt("commonmark").parse(markdown)
            if token.level == 0 and not token.type.endswith("_close")]


@pytest.mark.parametrize("before, after", [
    ("- one\n- two\n", "- three\n"),  # two bullet lists
    ("1. one\n", "2. two\n"),  # two numbered lists
    ("- one\n\n  its second paragraph\n", "- two\n"),  # a list whose item goes on indented
    ("- one\n", "    more of it\n"),  # a listing after a list would become the item's paragraph
    ("    code one\n", "    code two\n"),  # two indented listings
    ("- one\nonto a lazy line\n", "- two\n"),  # a list whose item goes on unindented
    ("Intro:\n- one\n", "- two\n"),  # a list below a paragraph's line
    ("- one\n", "  more of it\n"),  # the item's content, indented to its text
    ("- one\n", "  > a quotation\n"),
])
def test_an_empty_heading_between_two_lists_or_listings_is_reported_without_a_fix(before, after):
    text = f"Intro.\n\n{before}\n##\n\n{after}"
    line = text[:text.index("##")].count("\n") + 1
    findings = lint_string(text, ["empty-paragraph"])
    assert [(f.line, f.column, f.end_line, f.end_column, f.message) for f in findings] == [
        (line, 1, line, 3, "empty heading '##'")]
    assert not findings[0].fix
    # what a fix would have done: removing the line makes one block of the two
    removed = text.replace("##\n\n", "")
    assert len(_top_blocks(removed)) < len(_top_blocks(text)) - 1


@pytest.mark.parametrize("before, after", [
    ("- one\n- two\n", "A paragraph.\n"),  # a paragraph after a list stays apart
    ("A paragraph.\n", "- one\n"),
    ("    code\n", "A paragraph.\n"),
])
def test_an_empty_heading_between_blocks_that_stay_apart_is_removed(before, after):
    text = f"{before}\n##\n\n{after}"
    fixed, findings = fix_string(text, ["empty-paragraph"])
    assert findings == []
    assert fixed == f"{before}\n{after}"
    assert len(_top_blocks(fixed)) == len(_top_blocks(text)) - 1  # the heading only


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_stretch_of_html_broken_into_code_blocks_counts_its_blocks_and_names_the_last(newline):
    # each row's blank line ends the HTML block its <tr> opened: the indented cell after it is code
    rows = "".join(f"  <tr>\n\n    <td>{n}</td>\n  </tr>\n" for n in range(3))
    findings = lint_string(f"<table>\n{rows}</table>\n".replace("\n", newline), ["leftover-markup"])
    assert [(f.line, f.column, f.message) for f in findings] == [
        (4, 1, "HTML indented 4+ spaces renders as a code block: readers see its source (unindent it), "
               "here and in 2 more blocks of the same HTML up to line 12")]


@pytest.mark.parametrize("body, message", [
    ("", "the article has no body: nothing but front matter"),
    ("<div>&nbsp;</div>\n<!-- 正文 -->\n", "the article has no body: nothing a reader sees after the front matter, "
                                          "only markup, comments or entities"),
    ("```\n正文被转换成了代码。\n```\n", "the article's body is only code: readers see a code block and no text"),
    ("    <p>正文缩进成了代码。</p>\n", "the article's body is only code: readers see a code block and no text"),
])
def test_an_empty_body_is_named_by_what_stands_in_its_place(body, message):
    findings = lint_string(f"---\ntitle: 外交部回应\n---\n\n{body}", ["empty-body"])
    assert [(f.line, f.column, f.message) for f in findings] == [(4, 1, message)]


def test_markdown_in_html_on_a_jekyll_site_advises_what_kramdown_reads():
    """kramdown reads an HTML element whole, to its end tag: a blank line ends no block there."""
    article = "<table>\n<tr>\n\n<td>![Geeko](https://cdn.163.com/geeko.png)\n</td>\n</tr>\n</table>\n"
    plain = lint_files({"a.md": article}, ["markdown-in-html"])
    jekyll = lint_files({"_config.yml": "title: News\n", "a.md": article}, ["markdown-in-html"])
    assert [(f.line, f.column, f.message) for f in plain] == [
        (4, 5, "Markdown image inside an HTML block is not rendered: write <img> and <a>, or leave a blank line "
               "after the HTML")]
    assert [(f.line, f.column, f.message) for f in jekyll] == [
        (4, 5, "Markdown image inside an HTML block is not rendered: write <img> and <a>, or give the HTML block's "
               "tag markdown=\"1\"")]


@pytest.mark.parametrize("hexo", [{"scaffolds/post.md": "---\ntitle: {{ title }}\n---\n"},
                                  {"package.json": '{"dependencies": {"hexo": "^7.0.0"}}\n'}])
def test_markdown_in_html_on_a_hexo_site_advises_the_blank_line(hexo):
    """Hexo keeps a _config.yml too, but renders with marked, a CommonMark renderer: a blank line
    ends an HTML block there, and markdown="1" is no attribute it reads."""
    article = "<table>\n<tr>\n\n<td>![Geeko](https://cdn.163.com/geeko.png)\n</td>\n</tr>\n</table>\n"
    findings = lint_files({"_config.yml": "title: News\n", **hexo, "a.md": article}, ["markdown-in-html"])
    assert [(f.line, f.column, f.message) for f in findings] == [
        (4, 5, "Markdown image inside an HTML block is not rendered: write <img> and <a>, or leave a blank line "
               "after the HTML")]


def test_markdown_in_html_per_article_on_a_jekyll_site_advises_each_block():
    article = "<td>![Geeko](https://cdn.163.com/geeko.png)</td>\n\n<td>[the issue](https://cdn.163.com/issue)</td>\n"
    findings = lint_files({"_config.yml": "title: News\n", "a.md": article}, ["markdown-in-html"],
                          {"markdown-in-html": {"per-article": True}})
    assert [(f.line, f.column, f.message) for f in findings] == [
        (1, 5, "2 Markdown images and links in 2 HTML blocks of the article are not rendered, the first here: "
               "write <img> and <a>, or give each HTML block's tag markdown=\"1\"")]

"""Every rule is linear in the size of the file: four times the input takes about four times
as long, on pages built to make a quadratic spot show (a quadratic one takes sixteen times)."""
from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest

from lintnews.config import Config, Settings
from lintnews.document import Document
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.runner import lint_document

# name -> one unit of a page; a page repeats it n times (or builds around n)
PAGES = {
    "empty paragraphs": lambda n: "<p>\u3000\u3000</p>\n" * n,
    "paragraphs on one line": lambda n: "<p>\u3000</p><p>中文。</p>" * n,
    "nested book-title marks": lambda n: "<p>中" + "《" * n + "》" * n + "</p>",
    "open marks and stray closers": lambda n: "<p>中" + "《" * n + "）" * n + "</p>",
    "open quotation marks": lambda n: "<p>中" + "“" * n + "</p>\n<p>“中</p>",
    "half-width brackets": lambda n: "中" + "(" * n + ")" * n,
    "quotation marks opened before text": lambda n: "<p>中" + "“中文（" * n + "</p>",
    "runs of spaces beside marks": lambda n: "中文，" + " " * n + "文 " * n + "，",
    "promo blocks": lambda n: '<div class="appendQr_wrap"><img src="q.png"></div>\n' * n,
    "unclosed promo blocks": lambda n: '<div class="appendQr_wrap"><img src="q.png">' * n,
    "suppressions": lambda n: "<!-- lintnews-disable-next-line image-alt -->\n<img src=a.png>\n" * n,
    "suppression blocks": lambda n: "<!-- lintnews-disable inline-style -->\n" * n + "<img src=a.png>\n" * n,
    "stray backticks": lambda n: "`a``" * n,
    "code fences": lambda n: "```\n" * n,
    "a fence of four backticks that three never close": lambda n: "````\n" + "```\n中文。\n\n" * n + "[1]: a.html\n",
    "a line of spaces after indented markup": lambda n: "a\n\n    <b>x</b>\n\nb\n" + " " * (8 * n) + "\nc\n",
    "indented lines in an HTML block": lambda n: "a\n\n<div>\n" + "    <p>x</p>\n" * n,
    "paragraphs going on in indented markup": lambda n: "<script></script>\n\n" + "p\n    <b>x</b>\n\n" * (4 * n),
    "indented markup blocks between paragraphs": lambda n: "a\n\n    <b>x</b>\n\nb\n" * (4 * n),
    "editor credits": lambda n: "责任编辑：\n编辑 " * n,
    "reference images": lambda n: "![a][b]\n" * n + "[b]: x.png\n",
    "srcset": lambda n: '<img alt="a" srcset="' + "a.png 1x," * n + '">',
    "comments": lambda n: "<!-- 正文下iframe -->\n" * n,
    "at signs": lambda n: "@a." * n,
    "open quotation marks on a line of doubled marks": lambda n: "中文！！" + "“" * n + "！！",
    "open book-title marks beside half-width commas": lambda n: "中文,中文" + "《" * n + "中文,中文",
    "empty paragraphs beside code spans": lambda n: "<p> </p>`x`" * n,
    "runs of unseen empty paragraphs, each before Markdown": lambda n: ("<p> </p>" * 20 + "**中**\n") * n,
    "unclosed presentational tags": lambda n: "<font>" * n,
    "half-width commas on one line": lambda n: "中文," * (4 * n),
    "messenger handles on one line": lambda n: "微信：abc123 " * n,
    "instructions to edit a file": lambda n: "编辑 `a`：\n\n" * n,
    "half-width punctuation": lambda n: "中,文!" * n,
    "original-title lines": lambda n: "<p>原标题：</p>\n" * n,
    "tag names that open no tag": lambda n: "<a " * n,
    "unclosed quoted attributes": lambda n: '<a href="' * n,
    "unclosed single-quoted attributes": lambda n: "<p style='中a " * n,
    "image marks": lambda n: "![" * n,
    "image alt texts and URLs that never close": lambda n: "![a](中a " * n,
    "runs of slashes": lambda n: "/" * n,
    "runs of marks on one line": lambda n: "！！中a " * n,
    "image alt texts that never close beside CJK": lambda n: "![中a " * n,
    "image alt texts and URLs that never close, under a title": lambda n: "---\ntitle: 沪指今日收涨成交额放大\n---\n" + "![a](" * n,
    "front-matter keys": lambda n: "---\n" + "".join(f"k{i}: v\n" for i in range(n)) + "---\nbody\n",
    "link brackets in an HTML block": lambda n: "<p>" + "[" * n + "]" + "](x)\n",
    "a tool's words on one line": lambda n: "<p>中" + "翻译" * n + "</p>\n",
    "closing quotes in a heading": lambda n: "## 他" + "“中” 文" * n + "\n",
    "closing quotes in a paragraph": lambda n: "<p>他" + "“中” 文" * n + "</p>\n",
    "ASCII quotes around Chinese text": lambda n: "<p>中" + '"营业部"和"a' * n + "</p>\n",
    "quotations cut off by dots": lambda n: "<p>中" + "以表扬其“...." * n + "</p>\n",
    "Markdown images in HTML blocks": lambda n: '<figure class="a">![图](https://cdn.163.com/a.jpg)</figure>\n' * n,
    "unclosed link brackets in an HTML block": lambda n: "<div>" + "[" * n + "\n[a](b)\n",
    "unclosed link targets in an HTML block": lambda n: "<div>" + "[a](" * n + "\n",
    "template placeholders and tool remarks": lambda n: "---\nauthor: 替换为作者名称\n---\n" + "图片地址：\n" * n,
    "figure shortcodes without src on one line": lambda n: "{{< figure alt=x " * n + "\n",
    "asset_img tags without a file on one line": lambda n: "{% asset_img a b " * n + "\n",
    "WordPress shortcodes never closed": lambda n: '[caption id="1"][embed]' * n + "\n",
    "WordPress closing shortcodes": lambda n: "[/caption]" * n + "[caption]\n",
    "WordPress closing shortcodes before bare opening ones": lambda n: "[/embed]" * n + "[embed]" * n + "\n",
    "feed footers never finished": lambda n: "The post a appeared first on b " * n + "\n",
    "feed footers, one a line": lambda n: "The post appeared first on The post appeared first on x\n" * n,
    "TOML front matter": lambda n: "+++\n" + "".join(f"k{i} = 'v'\n" for i in range(n)) + "+++\nbody\n",
    "link targets with no link text before them": lambda n: "](#)" * n + "\n",
    "closing brackets before link targets": lambda n: ("]" * 40 + "](www.163.com)") * n + "\n",
    "blanks after a link's parenthesis": lambda n: "[a](" + " " * (8 * n) + "x\n",
    "blanks after a reference definition's colon": lambda n: "[x]:" + " " * (8 * n) + "x y\n",
    "links on indented lines": lambda n: "a\n\n" + "    [x](www.163.com)\n" * n,
    "credits left as the template's placeholder": lambda n: "中文正文。\n\n" + "校对：[校对者ID](https://github.com/校对者ID)\n\n" * n,
    "links on indented lines under a list item": lambda n: "- a\n\n" + "    [x](www.163.com)\n" * n,
    "links to the top of the page": lambda n: "<p>" + '<a href="#">x</a> ' * n + "</p>\n",
    "undefined reference links on one line": lambda n: "正文" + "[a][b] " * n + "\n",
    "bare web addresses on one line after a long line": lambda n: "a" * (8 * n) + "\n" + "[x](www.163.com) " * n + "\n",
    "JSON front matter": lambda n: '{\n"a": [' + "1," * n + '1]\n}\nbody\n',
    "empty bold runs on one line": lambda n: "a****" * n + "\n",
    "empty bold runs that show, on one line": lambda n: "a **** " * n + "\n",
    "empty bold runs, a paragraph each": lambda n: "**界面新闻：****你…**\n\n" * n,
    "lines of asterisks": lambda n: "****\n" * n,
    "empty bold in raw HTML": lambda n: "<div>\n" + "a****b\n" * n,
    "Hugo shortcodes never closed": lambda n: "{{< img src=a\\_b " * n + "\n",
    "a Hugo shortcode's arguments with escapes": lambda n: "{{< img " + 'a="x\\_y" ' * n + ">}}\n",
    "Hugo shortcodes with escapes": lambda n: '{{% img src="a\\_b" %}}' * n + "\n",
    "a run of backslashes before a full-width bar": lambda n: "\\" * (8 * n) + "丨\n",
    "escaped backslashes before full-width bars": lambda n: "\\\\丨" * n + "\n",
    "escaped bars in link destinations on one line": lambda n: "[a](x\\丨) \\丨 " * n + "\n",
    "empty headings": lambda n: "##\n\n" * n,
    "empty headings in an HTML block": lambda n: "<div>\n" + "##\n" * n,
    "empty headings below lines of text": lambda n: ("text\n" * 8 + "##\n") * n,
    "empty headings over list items below lines of text": lambda n: ("text\n" * 8 + "##\n- x\n") * n,
    "empty headings over list items below lines of plain text": lambda n: "text\n" * (8 * n) + "##\n- x\n" * n,
    "empty headings whose text fell a line": lambda n: "###\nTitle\n\n" * n,
    "lone marks of an unfenced listing": lambda n: "#\nA=1\n" * n,
    "leads of mojibake": lambda n: "Ã" * (4 * n),
    "a run of mojibake": lambda n: "cafÃ©" + "Ã©" * n + "\n",
    "mojibake read twice": lambda n: "Ã¢â‚¬â„¢" * n + "\n",
    "marks whose last byte was lost": lambda n: "â€" * n + "\n",
    "capitals before marks": lambda n: "IRMÃ” " * n + "\n",
    "mojibake among control characters": lambda n: "Ã\x89\x85" * n + "\n",
    "template code tags that nothing closes": lambda n: "{% highlight ruby %}\nputs 1\n" * n,
    "template code tags that never end on one line": lambda n: "{% highlight {{< highlight " * n + "\n",
    # banned-terms, with its example terms ("禁用词示例", "banned-example")
    "a banned term evaded again and again": lambda n: "禁-用-词-示-例 " * n + "\n",
    "a banned term spelled out again and again": lambda n: "b.a.n.n.e.d.e.x.a.m.p.l.e " * n + "\n",
    "a letter written many times before a banned term": lambda n: "a" * (8 * n) + " banned-example\n",
}
MIN_SECONDS = 0.02  # the small page grows until a run takes this long: shorter runs are all noise


@pytest.fixture(scope="module")
def active(tmp_path_factory):
    root = tmp_path_factory.mktemp("scaling")
    rules = collect_rules(plugin_manager())
    return root, rules, Settings(Config(None, root), rules, select=sorted(rules)).for_path("page.md")


def _seconds(root: Path, rules: dict, active, text: str) -> dict[str, float]:
    """The best of two runs of each rule alone, after the views rules share are built (timed
    as "shared"): a quadratic spot in one rule must not hide behind the others' linear work."""
    gc.disable()  # a collection landing in one run and not the other is noise, not the rule
    try:
        started = time.perf_counter()
        doc = Document("page.md", text, root / "page.md", root)
        # built once, as the first rule to ask would (a rule's best of two runs would hide them)
        doc.scan, doc.prose, doc.hidden, doc.source_prose  # noqa: B018
        times = {"shared": time.perf_counter() - started}
        for item in active:
            best = float("inf")
            for _ in range(2):
                doc.cache, doc.run_cache = {}, {}  # what a rule keeps per document is its own work
                started = time.perf_counter()
                lint_document(doc, (item,), "page.md", rules)
                best = min(best, time.perf_counter() - started)
            times[item.rule.id] = best
        return times
    finally:
        gc.enable()


@pytest.mark.parametrize("page", PAGES)
def test_four_times_the_input_takes_about_four_times_as_long(active, page):
    root, rules, items = active
    units = 500
    while sum((small := _seconds(root, rules, items, PAGES[page](units))).values()) < MIN_SECONDS \
            and units < 64_000:
        units *= 2
    large = _seconds(root, rules, items, PAGES[page](4 * units))
    slow = _slow(small, large)
    for _ in range(2):  # a busy machine can slow one run down; a quadratic rule is slow every time
        if not slow:
            break
        retried = [item for item in items if item.rule.id in slow]
        slow = _slow(_seconds(root, rules, retried, PAGES[page](units)),
                     _seconds(root, rules, retried, PAGES[page](4 * units)))
    assert not slow, f"{page} ({units} and {4 * units} units): {slow}"


def _slow(small: dict[str, float], large: dict[str, float]) -> dict[str, str]:
    """Parts more than 8 times slower on the large page: linear is 4x, quadratic 16x, and 8x (their
    geometric mean) leaves slack both ways; parts too quick to time well (5 ms on the small page)
    are left out."""
    return {name: f"{small[name]:.4f}s -> {large[name]:.4f}s" for name in large
            if small[name] > 0.005 and large[name] / small[name] > 8}

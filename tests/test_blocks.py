"""Tests for CommonMark code blocks (lintnews.blocks) and the views of the body built on them."""
from __future__ import annotations

import random
import re

import pytest

from lintnews import blocks, scan
from lintnews.blocks import CodeBlock, code_blocks, parsed_code_blocks, parsed_from
from lintnews.document import Document

SAMPLES = {
    "indented code after a blank line": "Text.\n\n    <p>code</p>\n    more\n\nAfter.\n",
    "indented lines inside an HTML block": "<div>\n    <p>live</p>\n</div>\n",
    "indented lines continuing a paragraph": "Text\n    still text\n",
    "a fence at the margin": "```html\n<p>x</p>\n```\n",
    "a fence in a quotation": "> Example:\n>\n> ```\n> a && b\n>     <b>x</b>\n> ```\n",
    "a fence in a list item": "1. Run:\n\n   ```\n   make\n   ```\n",
    "an unclosed fence": "Text\n\n~~~\ncode\n",
    "a tab-indented block": "Text\n\n\t<b>x</b>\n",
    "CRLF line ends": "Text\r\n\r\n    <p>x</p>\r\n\r\nEnd\r\n",
    "an indented block in a quotation": "> Text\n>\n>     <b>code</b>\n",
}


def test_a_fence_never_closed_in_a_list_item_ends_with_the_item():
    # the scanner alone takes "  ```" for a fence at the margin, running to the end of the text
    text = "- item\n\n  ```\n  code\n\nText after the list.\n"
    assert code_blocks(text, 0, len(text)) == parsed_code_blocks(text, 0, len(text)) == \
        [CodeBlock(text.index("  ```"), text.index("\nText"), False)]  # the blank line with it
    assert "Text after the list." in Document("a.md", text).prose


def test_a_fence_never_closed_at_the_margin_runs_to_the_end():
    text = "Text\n\n````\ncode\n```\n\nMore text.\n"
    assert code_blocks(text, 0, len(text)) == [CodeBlock(6, len(text) - 1, False)]
    assert blocks.fence_left_open(text, 0, len(text)) == (CodeBlock(6, len(text) - 1, False), "````")


@pytest.mark.parametrize("last", ["    ```", "\t```", "> ```"])
@pytest.mark.parametrize("line_break", ["\n", ""])
def test_a_line_that_only_looks_like_a_closing_fence_leaves_it_open(last, line_break):
    # indented four spaces it is the fence's content; a quotation's marker is no closing line
    text = f"Text\n\n```\ncode\n{last}{line_break}"
    assert blocks.fence_left_open(text, 0, len(text)) == (CodeBlock(6, len(text) - len(line_break), False), "```")


def test_a_fence_under_a_list_item_closed_at_the_margin_ends_with_the_item():
    # the margin line opens a fence of its own, which runs to the end
    text = "- x\n\n  ```\n  code\n```\n\nParagraph swallowed.\n"
    assert code_blocks(text, 0, len(text)) == parsed_code_blocks(text, 0, len(text))
    assert "Paragraph swallowed." not in Document("a.md", text).prose
    assert blocks.fence_left_open(text, 0, len(text))[0].start == text.index("```\n\nPara")


def test_a_closed_fence_and_a_code_span_leave_no_fence_open():
    for closed in ("```\ncode\n```", "```\ncode\n```\n", "Text\n\n```\n```"):
        assert blocks.fence_left_open(closed, 0, len(closed)) is None
    span = "- ```code```"
    assert blocks.fence_left_open(span, 0, len(span)) is None


def test_an_indented_block_spans_its_lines_without_the_last_line_break():
    text = "Text.\n\n    <p>code</p>\n    more\n\nAfter.\n"
    start = text.index("    <p>")
    assert code_blocks(text, 0, len(text)) == [CodeBlock(start, text.index("\n\nAfter"), True)]


def test_an_indented_block_stops_at_the_first_line_with_text_at_the_margin():
    # blank lines and lines indented less than four spaces but blank go on with it; a line at the
    # margin right after its last one, or after blank lines, or none at all ends it
    text = "Text.\n\n    <p>a</p>\n   \n\n    b\nAfter.\n"
    assert code_blocks(text, 0, len(text)) == [CodeBlock(7, 30, True)]  # up to "b", its line break left out
    text = "Text.\n\n    <p>a</p>\n\t<b>\n"
    assert code_blocks(text, 0, len(text)) == [CodeBlock(7, 24, True)]  # to the end of the text


def test_html_inside_an_html_block_is_no_code():
    assert code_blocks(SAMPLES["indented lines inside an HTML block"], 0, 30) == []


def test_offsets_count_from_the_start_given():
    text = "---\ntitle: T\n---\nText\n\n    <p>x</p>\n"
    doc = Document("a.md", text)
    assert doc.scan.indented == ((text.index("    <p>"), len(text) - 1),)
    assert doc.html_code == doc.scan.indented
    assert doc.position(doc.html_code[0][0]) == (6, 1)


def test_html_in_a_code_block_is_code_but_keeps_its_source_text():
    text = "<p>a</p>\n\n    <div class=\"q\"><img src=\"q.png\">扫码下载</div>\n\nb\n"
    doc = Document("a.md", text)
    assert [tag.name for tag in doc.scan.tags] == ["p", "p"]
    assert [tag.name for tag in doc.source_tags] == ["p", "p", "div", "img", "div"]
    assert "扫码下载" not in doc.prose
    assert doc.source_prose.index("扫码下载") == text.index("扫码下载")
    assert len(doc.source_prose) == len(text)


def test_a_code_sample_is_no_html_code():
    doc = Document("a.md", "Run:\n\n    make <target>\n")
    assert doc.scan.indented and not doc.html_code
    assert doc.source_prose == doc.prose


def test_an_html_sample_is_no_html_code_and_its_tags_are_no_source_markup():
    text = "在网页中输入：\n\n    <p style=\"color:red\">Hello</p>\n\n网页 page.html：\n\n    <html><body></body></html>\n"
    doc = Document("a.md", text)
    assert len(doc.scan.indented) == 2 and not doc.html_code
    assert doc.source_tags == doc.scan.tags == ()
    unintroduced = Document("a.md", text.replace("输入：", "输入。"))
    assert [doc.position(start) for start, _ in unintroduced.html_code] == [(3, 1)]
    assert [tag.name for tag in unintroduced.source_tags] == ["p", "p"]


MORE = {
    "an indented line opening with '>'": "Text:\n\n\n       >> sudo nano <file>\n    \nMore text\n\n    code\n",
    "a list item opening with indented code": "-     <i>code</i> in an item\n\nText\n\n    code\n",
    "HTML blocks then an indented block": "<p>a</p>\n<!-- x -->\n\n    <div>shown</div>\n\n    more\nText\n",
    "an indented block after an open comment": "<!-- open\n\n    still a comment\n-->\n",
    "an indented block after an HTML block with text": "<div>\ntext\n\n    <p>code</p>\n",
    "an indented block inside a script block": "<script>\n\n    var a;\n</script>\n\n    <b>code</b>\n",
}


@pytest.mark.parametrize("text", [*SAMPLES.values(), *MORE.values()], ids=[*SAMPLES, *MORE])
def test_the_quick_path_equals_the_parser(text):
    """Plain samples, and samples after fresh block starts (HTML blocks, comments, list items)."""
    assert code_blocks(text, 0, len(text)) == parsed_code_blocks(text, 0, len(text))


def test_indented_code_without_markup_is_left_to_be_read_as_prose():
    text = "Run:\n\n    make all\n\n```\nfenced\n```\n"
    assert parsed_code_blocks(text, 0, len(text))[0].indented
    assert code_blocks(text, 0, len(text)) == [CodeBlock(text.index("```"), len(text) - 1, False)]


# Lines whose indentation splits up in several ways (quote and list markers, runs of spaces and
# tabs), with markup after it or none: the search for an indented line holding markup settles
# each line at the first way its indentation matches, and must answer as trying every way does.
# text: (whether a line is indented and holds markup, (line, column) of each block of ``html_code``)
INDENTED_MARKUP = {
    "markup after deep indentation": ("Text\n\n" + " " * 40 + "<b>x</b>\n", True, [(3, 1)]),
    "deep indentation without markup": ("Text\n\n" + " " * 40 + "x\n<b>y</b>\n", False, []),
    "a quote marker between two indentations": ("Text\n\n    >    <b>x</b>\n", True, [(3, 1)]),
    "an entity after tabs and spaces": ("Text\n\n \t  \t x &amp;\n", True, []),
    "markup after three spaces": ("Text\n\n   <b>three spaces</b>\n", False, []),
    "a list item's indented line": ("- a\n\n  -     <i>x</i>\n", True, []),
}
# the line pattern tried every way its indentation splits up (no atomic group): the reference
_EVERY_SPLIT = re.compile(r"[ >]*(?:(?:[-+*]|\d{1,9}[.)])[ >]*)*(?: {4}|\t)[^\n]*[<&]")


@pytest.mark.parametrize("text, holds, html_code", INDENTED_MARKUP.values(), ids=INDENTED_MARKUP.keys())
def test_an_indented_line_holds_markup_whichever_way_its_indentation_splits(text, holds, html_code):
    assert any(_EVERY_SPLIT.match(line) for line in text.split("\n")) is holds
    assert blocks._has_indented_markup(text, 0, len(text)) is holds
    doc = Document("a.md", text)
    assert [doc.position(start) for start, _ in doc.html_code] == html_code
    assert code_blocks(text, 0, len(text)) == (parsed_code_blocks(text, 0, len(text)) if holds else [])


# the line pattern of an indented line written plainly (every way its indentation splits up,
# quadratic on a long line of spaces): what ``blocks._INDENTED`` must match, line for line
_INDENTED_PLAINLY = re.compile(r"[ >]*(?:(?:[-+*]|\d{1,9}[.)])[ >]*)*(?: {4}|\t)[ \t]*\S")


def test_an_indented_line_is_told_as_the_plain_pattern_tells_it():
    """Seeded random lines of indentation characters, markers and text: ``_INDENTED`` (and the
    same after a line break) matches exactly where the plain pattern does, from any start."""
    rng = random.Random(7)
    pieces = [" ", " ", " ", " ", ">", "\t", "-", "+", "*", "1", "12345", "1234567890", ".", ")", "x", "\n",
              "\r", "\u3000", "\u0661", "<"]
    after_break = re.compile(r"\n" + _INDENTED_PLAINLY.pattern)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        for start in range(min(len(text), 3) + 1):
            assert (blocks._INDENTED.match(text, start) is None) == (_INDENTED_PLAINLY.match(text, start) is None), text
            found, expected = blocks._INDENTED_AFTER_BREAK.search(text, start), after_break.search(text, start)
            assert (found and found.start()) == (expected and expected.start()), text


# lines that make up random pages for the readers that remember what they read
_LINES = ["", "   ", "Text", "    <b>code</b>", "\t<i>x</i>", "- item", "1. item", "> quote", "<div>", "</div>",
          "<!-- open", "done -->", "<!-- a -->", "<SCRIPT>", "</script>", "<pre>x</pre>", "<style>", "</Style>",
          "```", "~~~", "# Title", "<?php", "<!X", "\u0130<textarea>", "</TEXTAREA>", "para \u212a"]


def _random_page(rng: random.Random) -> str:
    return "\n".join(rng.choice(_LINES) for _ in range(rng.randint(1, 14))) + rng.choice(["", "\n"])


def test_plain_contexts_answer_as_reading_from_the_fresh_start_each_time():
    """``_PlainContexts`` reads on from the last line it was asked about; asked about random
    lines from random starts, in the order ``code_blocks`` asks (and out of it), it answers as
    ``_plain_context`` reading from the start every time."""
    rng = random.Random(11)
    for _ in range(3000):
        text = _random_page(rng)
        starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        plain = blocks._PlainContexts(text)
        cut = rng.choice(starts)
        for _ in range(6):
            if rng.random() < 0.2:
                cut = rng.choice(starts)
            pos = rng.choice(starts + [len(text)])
            assert plain(cut, pos) is blocks._plain_context(text, cut, pos), (text, cut, pos)


def test_marks_left_open_are_told_as_reading_back_from_each_line():
    rng = random.Random(12)
    marks = (("<!--", "-->"), ("<script", "</script"), ("<pre", "</pre"))
    for _ in range(3000):
        text = _random_page(rng).lower()
        starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        start = rng.choice(starts)
        opened = blocks._LastOpened(text, start, marks)
        for line in sorted(rng.sample(starts, min(len(starts), 5)), key=lambda line: (rng.random() < 0.2, line)):
            expected = any(text.rfind(o, start, line) > text.rfind(c, start, line) for o, c in marks)
            assert opened.open_at(line) is expected, (text, start, line)


FENCED_CONTEXT = {
    "indented lines inside a fence": "Text\n\n```\n<p>\n     <b>x</b>\n```\n\n    <i>code</i>\n",
    "a fence after a paragraph line": "Text\n```\n     <b>x</b>\n```\n",
    "a fence inside an HTML block": "<div>\n```\n     <b>x</b>\n```\n</div>\n",
    "an indented line continuing a paragraph, then code": "Text\n    <b>more</b>\n\n    <i>code</i>\n",
    "an indented line after a heading": "# Title\n    <b>code</b>\n",
    "several indented lines continuing paragraphs, around a fence, then code":
        "Text\n    <b>more</b>\n\n```\n\nx\n```\n\nPara\n    <i>x</i>\n\n<!-- c\n\n-->\n\n    <b>code</b>\n",
}


@pytest.mark.parametrize("text", FENCED_CONTEXT.values(), ids=FENCED_CONTEXT.keys())
def test_the_quick_path_equals_the_parser_around_fences_and_paragraphs(text):
    assert code_blocks(text, 0, len(text)) == parsed_code_blocks(text, 0, len(text))


TAILS = {
    "plain stretches between lists": "- a\n\n      <b>code</b>\n\nText\n\n```\n<i>x</i>\n```\n\n- b\n\n  ```\n  y\n  ```\n",
    "a fence in an item whose lines leave the item": "* Run:\n\n  ```shell\n% make\n```\n\nText\n\n    <b>code</b>\n",
    "a comment running over a blank line": "> q\n\n<!-- a\n\n```\nx\n```\n-->\n\nText\n",
    "an HTML block holding a fence line": "- a\n\n<div>\n```\n</div>\n\nText\n\n```\nx\n```\n",
    "an unclosed fence after a list": "- a\n\nText\n\n```\n<b>x</b>\n\nMore\n",
    "a script over a blank line": "- a\n\n<script>\n\n```\n</script>\n\nText\n",
    "lone CR line ends": "- a\r\rText\r\r```\rx\r```\r",
    "indented code after a heading, a rule and a fence": "- a\n\n# T\n    <b>1</b>\n***\n    2\n```\nx\n```\n    3\n",
    "indented lines continuing a paragraph, then code over blank lines":
        "- a\n\nText\n    <b>more</b>\n\n    code\n\n\n    still code\nEnd\n",
    "indented code after a link reference definition": "- a\n\n[x]: /y\n    <b>code</b>\n",
    "an indented line after a setext underline": "- a\n\nTitle\n===\n    <b>code</b>\n",
    "an indented line after '===' that is a paragraph's": "- a\n\n===\n    <b>text</b>\n",
    "CRLF lines of indented code": "- a\r\n\r\nText\r\n\r\n    <b>x</b>\r\n    y\r\n\r\nEnd\r\n",
}


@pytest.mark.parametrize("text", TAILS.values(), ids=TAILS.keys())
def test_the_parser_reading_only_some_stretches_equals_it_reading_all(text):
    fenced = "```" in text
    assert parsed_from(text, 0, len(text), fenced) == parsed_code_blocks(text, 0, len(text))


@pytest.fixture
def parsed_sources(monkeypatch) -> list[str]:
    """What markdown-it-py is given to read, in order (cleared by the test after its own parse)."""
    parser, read = blocks._parser(), []

    class Reading:
        def parse(self, source):
            read.append(source)
            return parser.parse(source)

    monkeypatch.setattr(blocks, "_parser", Reading)
    return read


def test_a_plain_stretch_after_a_list_is_not_parsed(parsed_sources):
    text = "- a\n\n      <b>code</b>\n\nText\n\n```\n<i>x</i>\n```\n"
    expected = parsed_code_blocks(text, 0, len(text))
    parsed_sources.clear()
    assert parsed_from(text, 0, len(text), True) == expected
    assert parsed_sources == ["- a\n\n      <b>code</b>\n\n"]
    assert expected[-1] == CodeBlock(text.index("```"), len(text) - 1, False)


def test_indented_code_among_leaf_blocks_is_told_without_the_parser(parsed_sources):
    text = "- a\n\n      x\n\n# T\n    <b>code</b>\n\nText\n    <b>not code</b>\n"
    expected = parsed_code_blocks(text, 0, len(text))
    parsed_sources.clear()
    assert parsed_from(text, 0, len(text), False) == expected
    assert parsed_sources == ["- a\n\n      x\n\n"]
    start = text.index("    <b>code")
    assert expected[-1] == CodeBlock(start, text.index("\n", start), True)


def test_a_list_stretch_without_indented_or_fenced_lines_is_not_parsed(parsed_sources):
    text = "- a\n- b <i>x</i>\n\n> q\n\nText\n\n- c\n\n      <b>code</b>\n\nEnd\n"
    expected = parsed_code_blocks(text, 0, len(text))
    parsed_sources.clear()
    assert parsed_from(text, 0, len(text), False) == expected
    assert parsed_sources == ["- c\n\n      <b>code</b>\n\n"]  # the list and quotation before hold no code
    start = text.index("      <b>")
    assert expected == [CodeBlock(start, text.index("\n", start), True)]


@pytest.mark.parametrize("opening", ["<!-- a", "<?php", "<!DOCTYPE", "<Script>", "<pre>"])
def test_a_stretch_whose_html_may_run_on_over_a_blank_line_is_parsed(parsed_sources, opening):
    text = f"- a\n\n{opening}\n\n    <b>x</b>\n\nEnd\n"
    expected = parsed_code_blocks(text, 0, len(text))
    parsed_sources.clear()
    assert parsed_from(text, 0, len(text), False) == expected
    assert parsed_sources  # the HTML block runs on: no stretch is settled without the parser


def test_a_text_without_indentation_or_markup_has_only_its_fences():
    for text in ("Text <b>x</b>\n\n```\n<i>y</i>\n```\n", "Text\n\n    code\n\n~~~\nz\n~~~\n"):
        doc = Document("a.md", "---\ntitle: T\n---\n" + text)
        fence = doc.text.index("```" if "```" in text else "~~~")
        assert doc.scan.code == ((fence, len(doc.text) - 1),)
        assert doc.position(fence) == (6 if "<b>" in text else 8, 1)


def test_a_fence_is_found_only_where_a_line_starts():
    text = "a ```\nb\n```\nc\n"
    unclosed = [(text.index("```\nc"), len(text) - 1)]  # runs to the end
    assert blocks.fenced_code(text, 0, len(text)) == unclosed
    assert blocks.fenced_code(text, 2, len(text)) == unclosed  # 2 is no line start
    assert blocks.fenced_code(text, 6, len(text)) == unclosed
    assert blocks.fenced_code("```\nx\n```", 0, 9) == [(0, 9)]


# pieces of articles with markup indented into code blocks, several to a page, some broken
_HTML_CODE_PIECES = ("\n\n", "\n", "正文。", "text ", "    <div class=\"q\">", "    <img src=\"a.png\">", "</div>",
                     "    <!-- 注 -->", "<!-- open", "-->", "    <style>a{}</style>", "<style>", "`x`", "`",
                     "    <p>扫码</p>", "<p>", "\t<b>x</b>", "    code <b>", " ", "<a href='", ">")


def _source_prose_reference(doc: Document) -> str:
    """``source_prose`` as first written: every hole of every block filtered per block, clipped."""
    if not doc.html_code:
        return doc.prose
    inner = doc.html_code_scan
    holes = sorted([*((c.offset, c.end) for c in inner.comments), *((t.offset, t.end) for t in inner.tags),
                    *inner.raw_text, *inner.code])
    parts, pos = [], 0
    for start, end in doc.html_code:
        inside = [(max(a, start) - start, min(b, end) - start) for a, b in holes if a < end and b > start]
        parts += [doc.prose[pos:start], scan.blank(doc.text[start:end], inside)]
        pos = end
    parts.append(doc.prose[pos:])
    return "".join(parts)


def test_the_source_views_match_their_first_reading_on_random_pages():
    draw = random.Random(20261206)
    for _ in range(600):
        text = "".join(draw.choice(_HTML_CODE_PIECES) for _ in range(draw.randrange(1, 60)))
        doc = Document("a.md", text)
        parts = [scan.scan(text, start, end, blocks=False) for start, end in doc.html_code]
        assert doc.html_code_scan.tags == tuple(t for part in parts for t in part.tags), text
        assert doc.html_code_scan.comments == tuple(c for part in parts for c in part.comments), text
        assert doc.html_code_scan.raw_text == tuple(r for part in parts for r in part.raw_text), text
        assert doc.html_code_scan.code == tuple(c for part in parts for c in part.code), text
        assert doc.source_tags == tuple(sorted(doc.scan.tags + doc.html_code_scan.tags, key=lambda t: t.offset))
        assert doc.source_prose == _source_prose_reference(doc), text


@pytest.mark.parametrize("before", ["I" * 20, "\u0130" * 20, "\u0130stanbul \u0130zmir " * 3])
def test_a_script_after_a_character_whose_lower_case_is_two_long_still_holds_its_lines(before):
    # "İ" lower-cases to "i" and a combining dot: read at the file's offsets, the lower-cased text
    # had put "<script>" after the fresh start inside it, and "    <b>x</b>" became code
    text = before + "\n\n<script>\n\nfoo\n\n    <b>x</b>\n</script>\n"
    assert code_blocks(text, 0, len(text)) == parsed_code_blocks(text, 0, len(text)) == []
    doc = Document("a.md", text)
    assert doc.html_code == ()

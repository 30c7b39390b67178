"""Rules' fast paths give what their general paths give: each shortcut is compared with the
code it stands for on seeded random strings of the characters it cares about, and the rule is
run on an article taking the shortcut and on one that does not, with exact positions."""
from __future__ import annotations

import random
import re

from lintnews.document import Document
from lintnews.rules.body import (_IMAGE_OR_URL, _shows_at_least, _visible_at_least, _without_images_and_urls,
                                 _without_images_and_urls_in_one_pass)
from lintnews.rules.editor_credit import DEFAULT_KEYWORDS, _ROLE_MARKS, _ROLE_WORD, _ROLE_WORDS, _lines_with, _role_lines
from lintnews.rules.editorial import (_BAD_RANGES, _MOJIBAKE, _bad_pattern, _bad_runs, _beyond_bmp, _last_label,
                                      _mojibake_matches, _swallows)
from lintnews.rules.punctuation import _after_cjk
from lintnews.rules.typography import _ARROW, _arrows
from lintnews.testing import lint_string


def _strings(pieces: list[str], count: int, longest: int, seed: int):
    """``count`` strings of up to ``longest`` of ``pieces`` each, the same on every run."""
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(pieces) for _ in range(rng.randrange(longest + 1)))


# -- title-body-mismatch: enough shown text, counted on a window first ----------

def test_shown_characters_counted_on_a_window_are_those_the_regex_counts():
    rng = random.Random(7)
    for text in _strings([" ", "\n", "\t", "a", "中", "\u3000"], 3000, 40, seed=1):
        start, count = rng.randrange(len(text) + 1), rng.randrange(25)
        assert _shows_at_least(text, start, count) == (_visible_at_least(count).match(text, start) is not None), \
            (text, start, count)


def test_a_body_showing_its_text_after_many_blanks_is_judged_too():
    # the first 2 × min-body characters of the body are blank lines: the window shows nothing,
    # the regex reads on to the 12 characters shown after them
    text = "---\ntitle: 外交部就驻外使馆遭冲击事件提出严正交涉\n---\n" + "\n" * 40 + "<p>我在商场租了一个充电宝。</p>\n"

    def found(min_body):
        return [(f.line, f.column) for f in lint_string(text, ["title-body-mismatch"],
                                                         {"title-body-mismatch": {"min-body": min_body}})]

    assert found(12) == [(2, 8)]
    assert found(13) == []
    assert found(5) == [(2, 8)]  # the window alone shows enough


# -- duplicate-paragraph: images and URLs taken out by the regex when it is linear --

def test_images_and_urls_taken_out_in_c_are_those_taken_out_in_one_pass():
    pieces = ["!", "[", "]", "(", ")", "![", "](", "\n", " ", "a", "中", "h", "http://", "https://x", "\t"]
    for text in _strings(pieces, 4000, 30, seed=2):
        expected = _IMAGE_OR_URL.sub("", text)
        assert _without_images_and_urls_in_one_pass(text) == expected, text
        assert _without_images_and_urls(text) == expected, text


def test_paragraphs_differing_only_in_images_repeat_with_few_images_or_many():
    def found(images):
        line = "<p>国家统计局今天上午发布了一季度主要经济数据。" + "![图](https://a.cn/x.png)" * images + "</p>\n"
        other = "<p>国家统计局今天上午发布了一季度主要经济数据。" + "![图](https://b.cn/y.png)" * images + "</p>\n"
        text = line + other + line  # the second differs from the first in its image's URL alone
        return [(f.line, f.column, f.message) for f in lint_string(text, ["duplicate-paragraph"])]

    for images in (1, 12):  # the regex takes them out, then the one-pass loop
        assert found(images) == [(2, 4, "this paragraph repeats the one on line 1")]


# -- duplicate-paragraph: lines shorter than min-length are not read for keys ----

_COPY_1 = "国家统计局今天上午发布了一季度主要经济数据。"
_COPY_2 = "专家表示，一季度经济开局良好，主要指标好于预期。"


def _repeats(body: str, options: dict | None = None) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message)
            for f in lint_string(body, ["duplicate-paragraph"], {"duplicate-paragraph": options or {}})]


def test_a_pasted_copy_after_short_paragraphs_is_found_where_it_is():
    # the short paragraphs before the copy are counted, never compared
    body = f"<p>短句。</p>\n\n<p>{_COPY_1}</p>\n<p>{_COPY_2}</p>\n\n好。\n\n<p>{_COPY_1}</p>\n<p>{_COPY_2}</p>\n"
    assert _repeats(body) == [(8, 4, "this paragraph and the 1 after it repeat lines 3–4")]


def test_a_short_paragraph_between_the_copies_breaks_the_run():
    # a run needs its repeats one after another: the short paragraph between them counts as one
    body = f"{_COPY_1}\n\n{_COPY_2}\n\n{_COPY_1}\n\n短句。\n\n{_COPY_2}\n"
    assert _repeats(body) == []
    assert _repeats(body, {"min-run": 1}) == [(5, 1, "this paragraph repeats the one on line 1"),
                                              (9, 1, "this paragraph repeats the one on line 3")]


def test_code_between_the_copies_is_counted_where_short_lines_are_skipped():
    body = f"{_COPY_1}\n\n短句。\n\n{_COPY_1}\n\n```\nx = 1\n```\n\n{_COPY_1}\n"
    # the second copy repeats the first (a short paragraph between them); the third comes after code
    assert _repeats(body, {"min-run": 1}) == [(5, 1, "this paragraph repeats the one on line 1"),
                                              (11, 1, "this paragraph repeats the one on line 1")]
    assert _repeats(f"{_COPY_1}\n\n```\nx = 1\n```\n\n{_COPY_1}\n") == []  # code keeps the two apart
    assert _repeats(f"{_COPY_1}\n\n{_COPY_1}\n") == [(3, 1, "this paragraph repeats the one on line 1")]


# -- bad-characters: a text with no character beyond the BMP is searched for the BMP's alone --

def test_characters_beyond_the_bmp_are_told_by_the_length_of_the_utf16_encoding():
    pieces = ["a", "中", "\u3000", "\ufffd", "\U0001f600", "\U000f0001", "\U0010fffd", "\ud800", "\udfff"]
    for text in _strings(pieces, 2000, 12, seed=3):
        assert _beyond_bmp(text) == any(ord(char) > 0xFFFF for char in text), text


def test_bad_characters_are_found_in_texts_with_and_without_characters_beyond_the_bmp():
    def found(text):
        return [(f.line, f.column, f.end_column, f.message) for f in lint_string(text, ["bad-characters"])]

    bmp = "中新网\ue001\ue001北京\x07。\n"
    assert found(bmp) == [(1, 4, 6, "private-use character U+E001 PRIVATE USE CHARACTER ×2"),
                          (1, 8, 9, "control character U+0007 BELL")]
    # an emoji (beyond the BMP, and no bad character) takes the general search: same findings
    assert found("😀" + bmp) == [(1, 5, 7, "private-use character U+E001 PRIVATE USE CHARACTER ×2"),
                                (1, 9, 10, "control character U+0007 BELL")]
    assert found("中新网\U000f0001北京。\n") == [(1, 4, 5, "private-use character U+F0001 PRIVATE USE CHARACTER")]


# -- original-title: the last "原标题" found by its first character -----------------

def test_the_last_label_found_by_its_first_character_is_the_one_rfind_finds():
    for text in _strings(["原", "标", "题", "原标题", "原标", "a", "\n"], 3000, 12, seed=4):
        assert _last_label(text) == text.rfind("原标题"), text


def test_an_original_title_line_after_other_uses_of_its_first_character_is_found():
    text = "<p>原标题：</p>\n<p>原因是原来的标题不对。</p>\n"
    assert [(f.line, f.column) for f in lint_string(text, ["original-title"])] == [(1, 4)]
    assert lint_string("<p>原因是原来的标题不对。</p>\n", ["original-title"]) == []


# -- editor-credit: the lines holding a role word found by the characters role words hold --

def test_role_lines_found_by_their_characters_are_those_the_keywords_and_the_regex_find():
    pieces = ["编", "辑", "责", "主", "审", "校", "对", "Edit", "E", "d", "\n", "a", "：", "王"]
    rng = random.Random(6)
    for text in _strings(pieces, 3000, 16, seed=5):
        start = rng.randrange(len(text) + 1)
        expected = {}
        for line_start, line_end in _lines_with(text, start, list(DEFAULT_KEYWORDS)):
            if (role := _ROLE_WORD.search(text, line_start, line_end)) is not None:
                expected[(line_start, line_end)] = role.start()
        assert _role_lines(text, start) == expected, (text, start)


def test_every_role_word_holds_a_default_keyword_and_its_mark():
    marked = {word for words in _ROLE_MARKS.values() for word, _ in words}
    assert marked == set(_ROLE_WORDS)
    assert all(word[offset] == mark for mark, words in _ROLE_MARKS.items() for word, offset in words)
    assert all(offset in (0, 1) for words in _ROLE_MARKS.values() for _, offset in words)  # as _MARK_WORDS has them
    assert all(any(keyword in word for keyword in DEFAULT_KEYWORDS) for word in _ROLE_WORDS)


def test_a_credit_after_lines_holding_other_words_of_its_characters_is_found():
    text = "---\ntitle: 编程\n---\n<p>他编程、改编、校园。</p>\n<p>【责编：】</p>\n<p>责任编辑：王蒙</p>\n"
    found = [(f.line, f.column, f.message) for f in lint_string(text, ["editor-credit"])]
    assert found == [(5, 5, "empty editor credit: '责编：' names nobody")]
    # other keywords take the general path: the same finding, and none without a keyword
    assert [(f.line, f.column) for f in lint_string(text, ["editor-credit"],
                                                     {"editor-credit": {"keywords": ["责"]}})] == [(5, 5)]
    assert lint_string(text, ["editor-credit"], {"editor-credit": {"keywords": ["Edit"]}})[0].line == 1


# -- makeshift-punctuation: "＂" looked for only where str.find sees one, "=>" tried at each ">" --

def test_arrows_tried_at_each_angle_bracket_are_those_the_regex_scan_finds():
    rng = random.Random(11)
    for text in _strings(["=", ">", "-", "中", " ", "\n", "a"], 4000, 20, seed=3):
        start = rng.randrange(len(text) + 1)
        assert [m.span() for m in _arrows(text, start)] == [m.span() for m in _ARROW.finditer(text, start)], \
            (text, start)


def test_makeshift_marks_are_found_with_and_without_the_rare_ones():
    def found(text):
        return [(f.line, f.column, f.message) for f in lint_string(text, ["makeshift-punctuation"])]

    # no "＂" and no ">": the dashes alone are scanned for
    assert found("北京--上海。\n") == [(1, 3, "'--' in Chinese text: write a dash '——'")]
    # each "＂" and each "=>" found, in order with the dashes; ">" without "=" before it (a
    # blockquote, "->"), and "=>" at the body's first character, taken as they were
    text = "=>北京\n> 引文\n他说：＂明天见＂，上车=>检票，北京-->上海。\n"
    assert found(text) == [(3, 4, "full-width ASCII quote '＂': write “…”"),
                           (3, 8, "full-width ASCII quote '＂': write “…”"),
                           (3, 12, "'=>' in Chinese text: write an arrow '→'"),
                           (3, 19, "'-->' in Chinese text: write an arrow '→'")]


# -- halfwidth-punctuation: each half-width mark after CJK text found with str.find ----------

def test_marks_after_cjk_found_with_str_find_are_those_the_lookbehind_finds():
    rng = random.Random(12)
    for text in _strings([",", ".", "!", "中", "a", " ", "\u10ff", "\u1100", "\U00020000", "\n"], 4000, 16, seed=4):
        start = rng.randrange(len(text) + 1)
        for mark in ",.!":
            after_cjk = re.compile(re.escape(mark) + r"(?<=[^\x00-\u10ff].)")
            assert _after_cjk(text, mark, start) == [m.start() for m in after_cjk.finditer(text, start)], \
                (text, mark, start)


def test_half_width_marks_are_found_in_order_whichever_mark_is_looked_for_first():
    text = "<p>记者:王鑫蕊;编辑,李明!</p>\n<p>Version 1.2: ok. 中国,美国</p>\n"
    found = [(f.line, f.column, f.message) for f in lint_string(text, ["halfwidth-punctuation"])]
    assert found == [(1, 6, "half-width ':' in Chinese text (write '：')"),
                     (1, 10, "half-width ';' in Chinese text (write '；')"),
                     (1, 13, "half-width ',' in Chinese text (write '，')"),
                     (1, 16, "half-width '!' in Chinese text (write '！')"),
                     (2, 23, "half-width ',' in Chinese text (write '，')")]


# -- front-matter-syntax: where a key is written is looked up for a duplicate alone --

def test_a_duplicate_key_names_the_line_of_its_first_occurrence():
    def found(text):
        return [(f.line, f.column, f.message) for f in lint_string(text, ["front-matter-syntax"])]

    assert found("---\ntitle: a\ndate: 2022-08-02\nauthor: b\n---\n正文。\n") == []
    assert found("---\ntitle: a\ndate: 2022-08-02\nauthor: b\ndate: 2022-08-03\n  # note\ndate: x\n---\n") == [
        (5, 1, "duplicate key 'date' (first on line 3); only the last value is kept"),
        (7, 1, "duplicate key 'date' (first on line 3); only the last value is kept")]


# -- front-matter-required: an entry whose first name is filled is not read further --

def test_required_keys_are_judged_alike_whether_their_first_name_is_filled_or_not():
    def found(front_matter):
        return [(f.line, f.column, f.message) for f in lint_string(f"---\n{front_matter}---\n正文。\n",
                                                                    ["front-matter-required"])]

    assert found("title: a\ndate: 2022-08-02\nauthor: b\n") == []
    assert found("title: a\ndate:\npubDate: 2022-08-02\nauthor: b\n") == []  # the first name empty, the next filled
    assert found("title: a\ndate: ''\npubDate: ~\nauthor: [b]\n") == [(3, 1, "required key 'date' is empty")]
    assert found("title: ' '\nauthors: []\n") == [
        (1, 1, "required key 'date' or 'pubDate' or 'publishDate' is missing"),
        (2, 1, "required key 'title' is empty"), (3, 1, "required key 'authors' is empty")]


# -- bad-characters: the regex runs only on a text that tests in C show may hold one --

def test_bad_character_runs_found_after_the_tests_in_c_are_those_the_regex_finds():
    pieces = ["a", "\n", "\t", "\r", "中", "“", "，", "\x00", "\x08", "\x09", "\x0b", "\x0e", "\x1f", "\x20",
              "\x7e", "\x7f", "\x9f", "\xa0", "\xff", "\u0100", "\u200a", "\u200b", "\u200d", "\u200e", "\u2060",
              "\udb7f", "\udbff", "\udfff", "\ue000", "\uf8ff", "\uf900", "\ufeff", "\ufffd", "\uff0c",
              "\U0001f468", "\U000e0001", "\U000effff", "\U000f0000", "\U0010ffff"]
    for text in _strings(pieces, 4000, 8, seed=7):
        expected = [match.span() for match in _bad_pattern(text).finditer(text)]
        assert [match.span() for match in _bad_runs(text)] == expected, ascii(text)


def test_every_reported_character_passes_the_tests_in_c_to_the_regex():
    """The tests in C are made from the same ranges as the regex: no reported character, in a
    text of Latin-1, of CJK or of ASCII around it, is ruled out before the regex reads it."""
    for first, last in _BAD_RANGES:
        for code in range(first, last + 1):
            for text in (chr(code), f"中{chr(code)}文", f"ab{chr(code)}"):
                assert [match.span() for match in _bad_runs(text)] == \
                    [match.span() for match in _bad_pattern(text).finditer(text)] != [], hex(code)


def test_bad_characters_are_reported_alike_whatever_the_text_around_them():
    def found(text):
        return [(f.line, f.column, f.message) for f in lint_string(text, ["bad-characters"])]

    assert found("<p>中新网北京8月2日电，日前……</p>\n<p>\U000e0001 a plane-14 tag</p>\n") == []
    assert found("<p>中新网北京8月2日电，日前\ue000\ue000……</p>\n") == [
        (1, 17, "private-use character U+E000 PRIVATE USE CHARACTER ×2")]
    assert found("Markets \x85closed.\n\U000f0001\n") == [
        (1, 9, "control character U+0085 NEXT LINE"), (2, 1, "private-use character U+F0001 PRIVATE USE CHARACTER")]


# -- editor-credit: the front matter is read only when no line of the body credits ---------

def test_a_credit_in_the_front_matter_or_the_body_or_none_is_judged_alike():
    def found(front_matter, body, **options):
        text = f"---\ntitle: 新闻\n{front_matter}---\n{body}"
        return [(f.line, f.column, f.message) for f in lint_string(text, ["editor-credit"], {"editor-credit": options})]

    missing = (1, 1, "no editor credit (such as '责任编辑：NAME' or 'Editor: NAME')")
    assert found("", "<p>新华社北京8月2日电。</p>\n") == [missing]
    assert found("editor: 王蒙\n", "<p>新华社北京8月2日电。</p>\n") == []
    assert found("author: 李四（编辑：王蒙）\n", "<p>新华社北京8月2日电。</p>\n") == []
    silent = {"sources-without-credit": {"author": ["新华社"]}}
    assert found("author: 新华社\n", "<p>新华社北京8月2日电。</p>\n", **silent) == []
    assert found("", "<p>Markets closed higher.</p>\n") == []
    assert found("", "<p>Markets closed higher.</p>\n", **{"all-languages": True}) == [missing]
    assert found("editor: 王蒙\n", "<p>新华社北京8月2日电。</p>\n<p>责任编辑：</p>\n") == [
        (6, 4, "empty editor credit: '责任编辑：' names nobody")]
    assert found("editor: ' '\n", "<p>新华社北京8月2日电。</p>\n<p>责任编辑：王蒙</p>\n") == []


# -- empty-body, truncated-text: front-matter keys looked up only when the article has one --

def test_an_empty_body_is_exempt_by_a_filled_link_key_alone():
    def found(front_matter):
        text = f"---\ntitle: 外交部回应\n{front_matter}---\n<div>&nbsp;</div>\n"
        return [(f.line, f.column, f.message) for f in lint_string(text, ["empty-body"])]

    message = "the article has no body: nothing a reader sees after the front matter, only markup, comments or entities"
    assert found("") == [(4, 1, message)]
    assert found("link: ''\n") == [(5, 1, message)]
    assert found("link: https://example.com/story\n") == []


def test_a_summary_cut_off_is_found_whether_or_not_other_summary_keys_are_there():
    def found(front_matter):
        text = f"---\ntitle: 数据发布\n{front_matter}---\n<p>　　国家统计局今天发布了一季度主要经济数据。</p>\n"
        return [(f.line, f.column, f.message) for f in lint_string(text, ["truncated-text"])]

    assert found("") == []
    assert found("date: 2024-04-16\n") == []
    assert found("summary: 一季度国内生产总值同比增长....\n") == [
        (3, 10, "front-matter summary breaks off in '....': cut by the feed?")]
    assert found("description: 一季度数据发布。\nsummary: 一季度国内生产总值同比增长....\n") == [
        (4, 10, "front-matter summary breaks off in '....': cut by the feed?")]


# -- duplicate-paragraph: a short body's lines read one by one, a long body's counted ------

def test_a_repeated_paragraph_is_found_in_a_short_body_and_in_a_long_one():
    def found(filler):
        first = "<p>国家统计局今天上午发布了一季度主要经济数据。</p>\n"
        text = "---\ntitle: 数据\n---\n\n" + first + "\n" + "<p>另一段。</p>\n" * filler + "\n" + first + "\n"
        return [(f.line, f.column, f.message) for f in lint_string(text, ["duplicate-paragraph"],
                                                                    {"duplicate-paragraph": {"min-run": 1}})]

    # the rule reads the body as 11 + 3 * filler lines: up to 16, one by one; from 17 on, counted
    assert found(0) == [(8, 4, "this paragraph repeats the one on line 5")]
    assert found(1) == [(9, 4, "this paragraph repeats the one on line 5")]  # 14 lines
    assert found(2) == [(10, 4, "this paragraph repeats the one on line 5")]  # 17 lines
    assert found(30) == [(38, 4, "this paragraph repeats the one on line 5")]
    single = "---\ntitle: 数据\n---\n\n<p>国家统计局今天上午发布了一季度主要经济数据。</p>\n\n<p>另一段。</p>\n\n"
    assert lint_string(single, ["duplicate-paragraph"]) == []


# -- empty-paragraph: code and the Markdown after a paragraph, found without reading all ----------

def test_code_inside_a_stretch_found_by_bisection_is_what_reading_every_piece_finds():
    from lintnews.document import Document

    rng = random.Random(11)
    for text in _strings(["a", " ", "`x`", "``y``", "`", "\n", "\n\n    code\n\n", "<b>"], 1000, 12, seed=14):
        doc = Document("a.md", text)
        for _ in range(5):
            start = rng.randrange(len(text) + 1)
            end = rng.randrange(start, len(text) + 1)
            assert doc.code_within(start, end) == any(s < end and e > start for s, e in doc.scan.code), (text, start)


def test_the_markdown_after_a_paragraph_is_found_as_stripping_its_lines_finds_it():
    def by_lines(text, offset):
        line_end = text.find("\n", offset)
        line_end = len(text) if line_end < 0 else line_end
        following = text[offset:line_end].strip()
        if not following and line_end < len(text):
            next_end = text.find("\n", line_end + 1)
            following = text[line_end + 1:next_end if next_end >= 0 else len(text)].strip()
        return bool(following) and not following.startswith("<")

    rng = random.Random(12)
    for text in _strings([" ", "\n", "\r", "\t", "\u3000", "\x1c", "a", "<", "中"], 3000, 12, seed=13):
        offset = rng.randrange(len(text) + 1)
        assert _swallows(text, offset) == by_lines(text, offset), (text, offset)


# -- inline-style: the end tag of each presentational start tag, paired in one pass ----------

def test_end_tags_paired_in_one_pass_are_those_found_by_counting_on_from_each_start_tag():
    from lintnews.document import Document
    from lintnews.rules.markup import _end_tags

    def by_counting(tags, index):
        depth = 1
        for position in range(index + 1, len(tags)):
            if tags[position].name == tags[index].name:
                depth += -1 if tags[position].closing else 1
                if depth == 0:
                    return position
        return None

    for text in _strings(["<font>", "</font>", "<center>", "</center>", "<b>", "x"], 1500, 14, seed=21):
        doc = Document("a.md", text)
        tags = doc.scan.tags
        for name in ("font", "center"):
            paired = _end_tags(doc, name)
            expected = {index: by_counting(tags, index) for index, tag in enumerate(tags)
                        if tag.name == name and not tag.closing}
            assert paired == {index: end for index, end in expected.items() if end is not None}, text


# -- contact-info: the lines holding its matches, each line read once ---------------------------

def test_the_lines_of_the_matches_read_once_per_line_are_those_read_per_match():
    from lintnews.rules.promo import _lines_of

    def per_match(text, start, matches):
        stretches = []
        for match in matches:
            first = text.rfind("\n", start, match.start())
            last = text.find("\n", match.end())
            last = len(text) if last < 0 else last
            if stretches and first <= stretches[-1][1]:
                stretches[-1] = (stretches[-1][0], max(last, stretches[-1][1]))
            else:
                stretches.append((first, last))
        return stretches

    rng = random.Random(31)
    for text in _strings(["a", "b", " ", "\n", "ab\nb"], 3000, 16, seed=32):
        start = rng.randrange(len(text) + 1)
        matches = [match for match in re.finditer(r"a[ \nb]*b|b", text) if match.start() >= start]
        assert _lines_of(text, start, matches) == per_match(text, start, matches), (text, start)


# -- bad-characters: mojibake looked for from the leads the text holds --

def test_mojibake_found_from_the_leads_is_what_the_regex_finds():
    pieces = ["a", " ", "\n", "中", "Ã", "Â", "â", "é", "ä", "ð", "×", "©", "€", "™", "“", "\x9d", "\xa0", "¸", "Ÿ"]
    for text in _strings(pieces, 4000, 10, seed=11):
        latin = text.encode("latin-1", "ignore")
        assert [m.span() for m in _mojibake_matches(text, latin)] == [m.span() for m in _MOJIBAKE.finditer(text)], \
            ascii(text)


# -- promo-boilerplate, contact-info, tool-residue: "null", "undefined" and words of Chinese left out where absent --

def _starts_of(pattern, text: str, start: int, stop: int) -> list[int]:
    """Every offset from ``start`` at which ``pattern`` matches before ``stop``, as ``_starts`` reads them."""
    found = []
    while (candidate := pattern.search(text, start, stop)) is not None:
        found.append(candidate.start())
        start = candidate.start() + 1
    return found


def _check_rare_lead_words(text: str, start: int, stop: int) -> None:
    from lintnews.rules.body_text import HAN
    from lintnews.rules.promo import _ANY_START, _RARE_LEAD_WORDS, _any_start
    left_out = tuple(word for word in _RARE_LEAD_WORDS if word not in text)
    han = re.search(f"[{HAN}]", text[start:]) is not None  # has_han: in the prose from where the body starts
    assert _starts_of(_any_start(left_out, han), text, start, stop) == _starts_of(_ANY_START, text, start, stop), \
        (text, start, stop)


def test_the_scan_without_the_words_the_prose_cannot_hold_finds_the_starts_the_whole_scan_finds():
    pieces = ["null", "undefined", "nul", "n", "u", "und", "l", "NaN", "kdown", "13812345678", "下载", "下", "@", "微信",
              "微", "WeChat", "QQ", "一键开户", "（0", "Copyright", " ", "\n"]
    rng = random.Random(41)
    for text in _strings(pieces, 3000, 8, seed=42):
        start = rng.randrange(len(text) + 1)
        _check_rare_lead_words(text, start, rng.randrange(start, len(text) + 1))


def test_the_scan_without_the_words_the_prose_cannot_hold_finds_the_starts_on_any_text():
    from hypothesis import given, settings, strategies as st

    pieces = st.sampled_from(["null", "undefined", "nu", "ll", "un", "defined", "下载", "下", "载", "微信", "QQ", "@",
                              "13812345678", " ", "\n"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces | st.text(max_size=3)).map("".join), st.integers(0, 40), st.integers(0, 40))
    def check(text, start, length):
        start = min(start, len(text))
        _check_rare_lead_words(text, start, min(len(text), start + length))

    check()


def test_handles_are_found_in_prose_with_and_without_chinese():
    def found(text):
        return [(f.line, f.column, f.message) for f in lint_string(text, ["contact-info"])]

    assert found("Add friend: WeChat: abc_123, QQ: 12345678.\n") == [
        (1, 13, "messenger handle in the article: 'WeChat: abc_123'"),
        (1, 30, "messenger handle in the article: 'QQ: 12345678'")]
    assert found("联系：微信：abc_123，QQ：12345678。\n") == [
        (1, 4, "messenger handle in the article: '微信：abc_123'"),
        (1, 15, "messenger handle in the article: 'QQ：12345678'")]


def test_null_and_undefined_are_found_as_paragraphs_whether_or_not_the_other_is_there():
    def found(text):
        return [(f.line, f.column, f.rule) for f in lint_string(text, ["tool-residue"])]

    assert found("正文。\n\nnull\n") == [(3, 1, "tool-residue")]
    assert found("正文。\n\nundefined\n") == [(3, 1, "tool-residue")]
    assert found("正文 nul l。\n\nundefined\n\nnull\n") == [(3, 1, "tool-residue"), (5, 1, "tool-residue")]
    assert found("正文，n u nul undefine。\n") == []


# -- link-broken: definitions looked for from the first "]:", reference links by their label first,
# hrefs only where the scan holds an <a> --

def test_definitions_searched_from_the_line_of_the_first_colon_are_those_searched_from_the_start():
    from lintnews.rules.links import _DEFINITION

    pieces = ["[", "]", ":", "]:", " ", "   ", "\n", "\r\n", "a", "^", "<x>", "http://x", "\"t\"", "www.x.com"]
    rng = random.Random(41)
    for text in _strings(pieces, 4000, 14, seed=42):
        start = rng.randrange(len(text) + 1)
        first = text.find("]:", start)
        for pattern in _DEFINITION:
            everywhere = [match.span() for match in pattern.finditer(text, start)]
            from_there = [] if first < 0 else \
                [match.span() for match in pattern.finditer(text, max(start, text.rfind("\n", 0, first) + 1))]
            assert from_there == everywhere, (text, start)


def test_undefined_reference_links_told_by_their_label_first_are_those_every_test_finds():
    from lintnews.rules.body_text import markdown_text
    from lintnews.rules.image_sources import label, link_definitions
    from lintnews.rules.links import (_LABEL, _NUMBER, _REFERENCE_LINK, _SUBSCRIPTED, _escaped, _in_code_block,
                                      _labels_written, undefined_references)

    def every_test(doc):  # the tests in the order they were written
        text = markdown_text(doc)
        if text is None or "][" not in text:
            return []
        found = []
        for match in _REFERENCE_LINK.finditer(text, doc.body_offset):
            written, name = match.group(1), match.group(2) or match.group(1)
            before = text[match.start() - 1:match.start()]
            if not _LABEL.fullmatch(name) or _NUMBER.fullmatch(written) or not written.strip() \
                    or before in _SUBSCRIPTED or before == "!" or text[match.end():match.end() + 1] in ("(", ":", "[") \
                    or _escaped(text, match.start()):
                continue
            if label(name) in link_definitions(doc) or _in_code_block(doc, match.start()):
                continue
            if label(name) in _labels_written(doc):
                continue
            found.append((match.start(), match.end(), name))
        return found

    pieces = ["[a]", "[A ]", "[1]", "[][", "][", "[b][a]", "[x][]", "[3][4]", "!", "\\", "v", " ", "    ", "\n",
              "\n\n", "[a]: http://x\n", "[b]:", "```\n", "<!-- [c][a] -->", "(", "中"]
    found = 0
    for text in _strings(pieces, 3000, 12, seed=43):
        assert undefined_references(Document("a.md", text)) == every_test(Document("a.md", text)), text
        found += bool(every_test(Document("a.md", text)))
    assert found > 100


def test_hrefs_looked_for_only_where_the_scan_holds_an_a_tag_are_those_every_search_finds(monkeypatch):
    from lintnews.rules import links

    pieces = ["<a href=''>", "<a href=\"#\">", "<A HREF=x>", "<a Href = 'www.x.com'>", "<p href=''>", "<area href=''>",
              "</a>", "href=", "`<a href=''>`", "<!-- <a href=''> -->", " ", "\n", "top", "中"]
    texts = list(_strings(pieces, 3000, 8, seed=44))

    def found():
        return [[(tag.offset, href.offset, problem) for tag, href, problem
                 in links.html_link_problems(Document("a.md", text), every)] for text in texts for every in (False, True)]

    fast = found()
    monkeypatch.setattr(links, "_NAME", lambda tag: "a")  # every tag taken for an <a>: the text always searched
    assert fast == found()
    assert sum(map(bool, fast)) > 100


# -- image-alt: tracking-pixel's Markdown images found only once an image would be reported --

def test_markdown_images_passed_over_before_the_trackers_are_found_are_those_passed_over_after():
    from lintnews.rules.image_residue import tracking_markdown_images
    from lintnews.rules.image_sources import markdown_images
    from lintnews.rules.images import _says_nothing, _words, image_alt

    def trackers_first(doc, options):  # the Markdown images' findings, the trackers found first
        markdown = markdown_images(doc)
        trackers = {match.start() for match, _ in tracking_markdown_images(doc)} if markdown else ()
        found, says_nothing = [], []
        for match, _, _ in markdown:
            if match.start() in trackers:
                continue
            text = match.group("alt")
            if not text.strip():
                if not options["allow-empty"]:
                    found.append(doc.violation(match.start(), "Markdown image has empty alt text", match.end()))
            elif not options["allow-filler"] and _says_nothing(text, _words(tuple(options["meaningless"]))):
                says_nothing.append((match.start(), match.end(), text.strip()))
        if says_nothing:
            start, end, text = min(says_nothing)
            found.append((start, end, text, len(says_nothing)))
        return found

    def reported(doc, options):
        found = []
        for violation in image_alt.check(doc, options):
            if "says nothing" in violation.message:
                count = int(violation.message.split(" on ")[1].split()[0]) if " on " in violation.message else 1
                text = violation.message.split("'")[1]
                start = doc.offset(violation.line, violation.column)
                found.append((start, doc.offset(violation.end_line, violation.end_column), text, count))
            else:
                found.append(violation)
        return found

    pieces = ["![](a.png)", "![ ](https://x.com/a.png)", "![图片](https://x.com/a.png)", "![photo.jpg](b.jpg)",
              "![图片1](https://stat.example.com/pixel.gif?utm=1)", "![](https://www.google-analytics.com/collect?v=1)",
              "![a chart](c.png)", "![pic](https://x.com/track/beacon.gif)", "中", " ", "\n", "`![图片](x)`"]
    options = [image_alt.resolve_options(given) for given in
               ({}, {"allow-empty": False}, {"allow-filler": True}, {"allow-empty": False, "allow-filler": True})]
    tracked = 0
    for text in _strings(pieces, 1500, 8, seed=45):
        for given in options:
            assert reported(Document("a.md", text), given) == trackers_first(Document("a.md", text), given), text
        tracked += bool(tracking_markdown_images(Document("a.md", text)))
    assert tracked > 100


# -- link-broken, image sources: "]:" and "][" found by the regex engine, as str.find finds them --

def test_two_characters_found_by_the_regex_engine_are_where_str_find_finds_them():
    from lintnews.rules import image_sources, links

    rng = random.Random(46)
    for text in _strings(["]", ":", "[", "a", "中", "\n", "]:", "]["], 3000, 10, seed=47):
        start = rng.randrange(len(text) + 1)
        for pattern, pair in ((links._DEFINITION_MARK, "]:"), (links._REFERENCE_MARK, "]["),
                              (image_sources._DEFINITION_MARK, "]:")):
            found = pattern.search(text, start)
            assert (found.start() if found else -1) == text.find(pair, start), (text, start)

"""The scanner's short cuts give what reading one token at a time gives: the markup between two
backticks read by one regex search (comments whole), which stops at a raw-text element or a
"<" that opens a tag's name but no tag and goes on after it; code spans of one backtick closed
by ``str.find``; each next to the case that takes the long way, with exact offsets."""
from __future__ import annotations

from lintnews.scan import scan


def _tags(text: str) -> list[tuple[str, int, int]]:
    return [(tag.name, tag.offset, tag.end) for tag in scan(text, 0, len(text)).tags]


def test_tags_before_the_first_backtick_and_after_it():
    text = "<b>x</b> `<i>` <u>y</u>"
    assert _tags(text) == [("b", 0, 3), ("b", 4, 8), ("u", 15, 18), ("u", 19, 23)]
    assert scan(text, 0, len(text)).code == ((9, 14),)


def test_a_tag_holding_the_first_backtick_in_a_value():
    # the tag is read whole; the backtick in its value opens no code span
    text = '<a title="`x">y</a> `<i>` <u>'
    assert _tags(text) == [("a", 0, 14), ("a", 15, 19), ("u", 26, 29)]
    assert scan(text, 0, len(text)).code == ((20, 25),)
    # the same with no code span after it: the backtick in the value is all there is
    text = '<a title="`x">y</a> <u>'
    assert _tags(text) == [("a", 0, 14), ("a", 15, 19), ("u", 20, 23)]
    assert scan(text, 0, len(text)).code == ()


def test_tags_before_and_after_a_comment_and_a_script():
    text = "<p>a</p><!-- <b> --><i>b</i><script><u></script><s>"
    found = scan(text, 0, len(text))
    assert [(t.name, t.offset) for t in found.tags] == [("p", 0), ("p", 4), ("i", 20), ("i", 24),
                                                        ("script", 28), ("script", 39), ("s", 48)]
    assert [(c.offset, c.end) for c in found.comments] == [(8, 20)]
    assert found.raw_text == ((36, 39),)
    # a self-closed script holds no raw text: the tags after it are tags
    assert _tags("<script/><u>") == [("script", 0, 9), ("u", 9, 12)]


def test_a_tag_name_that_opens_no_tag_before_tags():
    # "<a" opens a tag's name, but its quote never closes: no tag; "<i>" in the quote is one
    text = "<p><a t='<i>x"
    assert _tags(text) == [("p", 0, 3), ("i", 9, 12)]


def test_one_backtick_closed_by_a_lone_one_and_not_by_a_run():
    text = "a `x`` y` <b> `z` <i>"
    found = scan(text, 0, len(text))
    assert found.code == ((2, 9), (14, 17))  # "``" is no closer of "`"
    assert [(t.name, t.offset) for t in found.tags] == [("b", 10), ("i", 18)]
    text = "a `x` <b>"
    assert scan(text, 0, len(text)).code == ((2, 5),)
    assert _tags(text) == [("b", 6, 9)]


def test_a_closing_backtick_at_the_end_of_the_stretch():
    text = "a `x`"
    assert scan(text, 0, len(text)).code == ((2, 5),)
    assert scan(text, 0, 4).code == ()  # the closer lies outside the stretch
    text = "a `x`\n\n`<b>"  # a run right after the blank line does not matter
    assert scan(text, 0, len(text)).code == ((2, 5),)


def test_runs_of_backticks_still_close_by_their_length():
    text = "``a ` <b>`` <i>"
    found = scan(text, 0, len(text))
    assert found.code == ((0, 11),)
    assert [(t.name, t.offset) for t in found.tags] == [("i", 12)]


def test_a_backtick_before_any_tag():
    text = "中文 `<i>` <u>x</u>"
    found = scan(text, 0, len(text))
    assert found.code == ((3, 8),)
    assert [(t.name, t.offset, t.end) for t in found.tags] == [("u", 9, 12), ("u", 13, 17)]
    assert scan("中文 `x` y", 0, 8).tags == ()


def test_the_search_goes_on_after_a_comment_a_script_and_a_code_span():
    text = "<b><!-- <i> ` --></b> <script>`<u></script> `<s>` <em>x</em>"
    found = scan(text, 0, len(text))
    assert [(t.name, t.offset, t.end) for t in found.tags] == [
        ("b", 0, 3), ("b", 17, 21), ("script", 22, 30), ("script", 34, 43), ("em", 50, 54), ("em", 55, 60)]
    assert [(c.offset, c.end, c.text, c.closed) for c in found.comments] == [(3, 17, " <i> ` ", True)]
    assert found.raw_text == ((30, 34),)
    assert found.code == ((44, 49),)


def test_a_comment_read_whole_closes_only_after_its_opening():
    # "<!-->" and "<!--->" are not closed by the "-->" they overlap
    text = "<!--><b>--> <i>"
    found = scan(text, 0, len(text))
    assert [(c.offset, c.end, c.text, c.closed) for c in found.comments] == [(0, 11, "><b>", True)]
    assert _tags(text) == [("i", 12, 15)]
    text = "<!---> <b>"
    found = scan(text, 0, len(text))
    assert [(c.offset, c.end, c.text, c.closed) for c in found.comments] == [(0, 10, "-> <b>", False)]
    assert found.tags == ()


def test_an_unclosed_comment_runs_to_the_end_of_its_stretch():
    text = "<i><!-- <b>\n\n```\n<u>\n```\n<s>"
    found = scan(text, 0, len(text))
    # the comment stops where the fenced block starts; the tag after the block is read
    assert [(c.offset, c.end, c.closed) for c in found.comments] == [(3, 13, False)]
    assert found.code == ((13, 24),)
    assert _tags(text) == [("i", 0, 3), ("s", 25, 28)]
    text = "<!-- a -->"
    assert [(c.end, c.closed) for c in scan(text, 0, 9).comments] == [(9, False)]  # its "-->" lies outside
    assert [(c.end, c.closed) for c in scan(text, 0, 10).comments] == [(10, True)]


def test_tags_after_a_tag_name_that_opens_no_tag_are_read_again_by_the_search():
    # after "<a" (its quote never closes) the "<"s among its attributes are told one by one:
    # "<i>" there is a tag; past where its attributes stop, the search reads "<u>" and "<s>"
    text = "<p><a t='<i>x\n<u>y</u><s>"
    assert _tags(text) == [("p", 0, 3), ("i", 9, 12), ("u", 14, 17), ("u", 18, 22), ("s", 22, 25)]
    # the same "<a" closed: it is one tag, holding "<i>" in its value
    text = "<p><a t='<i>x'>\n<u>y</u><s>"
    assert _tags(text) == [("p", 0, 3), ("a", 3, 15), ("u", 16, 19), ("u", 20, 24), ("s", 24, 27)]


def _attrs(text: str) -> list[tuple[str, str | None, int, int | None, int]]:
    return [(attr.name, attr.value, attr.offset, attr.value_offset, attr.end)
            for tag in scan(text, 0, len(text)).tags for attr in tag.attrs]


def test_attributes_in_double_quotes_after_spaces_and_the_others():
    # each name="value" after white space: offsets summed from lengths, references decoded
    assert _attrs('<p class="a" ID="b&amp;c">') == [("class", "a", 3, 10, 12), ("id", "b&c", 13, 17, 25)]
    # one right after a quote, spaces around "=", single quotes, no quotes, no value: read one by one
    assert _attrs('<p x="1"y="2" z = "3">') == [("x", "1", 3, 6, 8), ("y", "2", 8, 11, 13), ("z", "3", 14, 19, 21)]
    assert _attrs("<p class='a' id=b hidden>") == [("class", "a", 3, 10, 12), ("id", "b", 13, 16, 17),
                                                   ("hidden", None, 18, None, 24)]


def test_a_lone_backtick_closed_on_its_line_and_on_the_next():
    text = "a `x` <b> `y\nz` <i>"
    found = scan(text, 0, len(text))
    assert found.code == ((2, 5), (10, 15))  # the second closed by the long way, over a line break
    assert [(t.name, t.offset, t.end) for t in found.tags] == [("b", 6, 9), ("i", 16, 19)]

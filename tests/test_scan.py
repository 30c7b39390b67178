"""The scanner's short cuts give what its token loop gives: tags read by one regex search up to
the first backtick, comment or raw-text element, and code spans of one backtick closed by
``str.find``; each next to the case that takes the long way, with exact offsets."""
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

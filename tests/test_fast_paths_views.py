"""Fast paths of a Document's positions and of a file's report facts give what the plain
definitions give: each is compared with the code it stands for, on crafted inputs and on
hypothesis-generated ones."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from lintnews import facts
from lintnews.document import Document
from lintnews.facts import EDITOR, FileFacts, file_facts
from lintnews.violation import Edit, Violation


# -- positions: line breaks counted on from the offset counted last -----------------

def _plain_position(text: str, offset: int) -> tuple[int, int]:
    """The definition: line breaks before the offset, characters since the last of them."""
    offset = min(max(offset, 0), len(text))
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def test_positions_counted_on_from_the_last_are_those_counted_from_the_start():
    text = "ab\n中文\n\r\nxyz\n" + "q" * 30
    doc = Document("a.md", text)
    # in order, as a rule reports: each count goes on from the offset before it
    for offset in (1, 4, 4, 7, 9, 11):
        assert doc.position(offset) == _plain_position(text, offset), offset
    assert doc._counted == 11 and "_line_starts" not in doc.__dict__
    # one before the last is counted from the start again; then on from there
    assert [doc.position(offset) for offset in (3, 12, 30)] == [(2, 1), (5, 1), (5, 19)]
    assert doc._counted == 11 + 3 + 9 + 18 and "_line_starts" not in doc.__dict__
    assert doc.position(len(text)) == (5, 31)  # past what the counts may read: the table is built
    assert "_line_starts" in doc.__dict__


def test_a_long_line_is_not_read_back_to_its_start_for_each_position():
    # the column of an offset on the same line as the last one counted comes from where that
    # line starts, remembered: the counts read each character once, however many positions
    text = "x\n" + "y" * 10_000
    doc = Document("a.md", text)
    for offset in range(2, len(text) + 1, 7):
        assert doc.position(offset) == (2, offset - 1)
    assert doc._counted <= len(text) and "_line_starts" not in doc.__dict__


_POSITION_PIECES = ["a", "中", "\n", "\r", "\n\n", "xy", "文字\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_POSITION_PIECES), max_size=40).map("".join),
       st.lists(st.tuples(st.sampled_from("pvel"), st.integers(-3, 120), st.integers(-3, 120)), max_size=25))
def test_positions_violations_and_edits_counted_or_tabled_are_the_definitions(text, calls):
    doc = Document("a.md", text)
    for kind, offset, other in calls:
        if kind == "p":
            assert doc.position(offset) == _plain_position(text, offset)
        elif kind in "ve":  # a violation with no end, and with one
            end = other if kind == "e" else None
            expected = Violation(*_plain_position(text, offset), "m",
                                 *(_plain_position(text, end) if end is not None else (None, None)))
            found = doc.violation(offset, "m", end)
            assert found == expected and type(found) is Violation
        else:
            edits = (Edit(offset, other, "x"), Edit(other, offset))
            assert doc.locate(edits) == tuple(
                edit._replace(line=line, column=column, end_line=end_line, end_column=end_column)
                for edit in edits
                for (line, column), (end_line, end_column) in [(_plain_position(text, edit.start),
                                                                 _plain_position(text, edit.end))])
    assert doc._counted <= len(text)  # the counts never read more than the whole text


# -- file facts: an article without front matter answered without looking keys up --------

def _plain_file_facts(path, relpath, meta=None, cache=None):
    """``file_facts`` as written before its fast paths."""
    folder = facts._folder(relpath or path)
    if meta is None:
        return FileFacts(path, relpath, folder, folder)
    editor = facts._first(meta, ("editor",)) or facts._label((cache or {}).get(EDITOR))
    if editor:
        editor = facts._STAFF_CODE.sub("", editor)
    return FileFacts(path, relpath, folder, facts._first(meta, facts._SECTION_KEYS) or folder,
                     facts._first(meta, facts._SOURCE_KEYS), editor, _plain_month(meta),
                     facts._title(meta.get("title")))


def _plain_month(meta):
    for key in facts._DATE_KEYS:
        value = meta.get(key)
        if isinstance(value, (dt.date, dt.datetime)):
            return f"{value.year:04d}-{value.month:02d}"
        if isinstance(value, str):
            match = facts._ISO_MONTH.match(value)
            if match and 1 <= int(match.group(2)) <= 12:
                return f"{match.group(1)}-{int(match.group(2)):02d}"
            match = facts._RFC_MONTH.match(value)
            if match:
                return f"{match.group(2)}-{facts._MONTHS.index(match.group(1).lower()) + 1:02d}"
    return ""


def test_facts_of_articles_with_and_without_front_matter_are_the_definitions():
    cases = [
        (None, None), ({}, None), ({}, {}), ({}, {EDITOR: "刘万里 SF014"}), ({}, {EDITOR: ["", "王五"]}),
        ({}, {"other": "x"}), ({"editor": "张三"}, {EDITOR: "李四"}), ({"editor": ""}, {EDITOR: "李四 AB12"}),
        ({"title": "标题", "date": dt.datetime(2022, 8, 1, 12), "tags": ["新闻"]}, None),
        ({"date": None, "pubDate": dt.date(2021, 3, 4)}, None), ({"date": "2020/13/01", "pubDate": "2020-12"}, None),
        ({"pubDate": "Thu, 14 Jul 2022 12:34:31 GMT", "author": {"name": "甲"}}, None),
        ({"publishDate": 20220101, "source": 7, "categories": [None, "经济"]}, None),
    ]
    for meta, cache in cases:
        for path, relpath in (("a.md", ""), ("./x/y/a.md", "x/y/a.md"), ("c:\\p\\a.md", "")):
            assert file_facts(path, relpath, meta, cache) == _plain_file_facts(path, relpath, meta, cache)
            assert type(file_facts(path, relpath, meta, cache)) is FileFacts


_LABELS = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000),
                    st.sampled_from(["", " ", "新闻", "刘万里 SF014", "a  b\n", "x" * 81, "Thu, 14 Jul 2022",
                                     "2022-08-01", "2022-13", " 1999.1x", "14 Jan. 2020", "2020/7"]),
                    st.dates(), st.datetimes())
_VALUES = st.recursive(_LABELS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["name", "x"]), inner, max_size=2), max_leaves=6)
_KEYS = st.sampled_from(["editor", "title", "categories", "category", "tags", "topics", "source", "author", "authors",
                         "date", "pubDate", "publishDate", "layout"])


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, max_size=6), st.none() | st.dictionaries(st.sampled_from([EDITOR, "x"]),
                                                                                  _VALUES, max_size=2),
       st.sampled_from([("a.md", ""), ("./x/a.md", "x/a.md"), ("p\\q\\a.md", "")]))
def test_facts_of_generated_front_matter_are_the_definitions(meta, cache, paths):
    path, relpath = paths
    assert file_facts(path, relpath, meta, cache) == _plain_file_facts(path, relpath, meta, cache)

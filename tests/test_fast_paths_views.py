"""Fast paths of a file's report facts give what the plain definitions give: each is compared
with the code it stands for, on crafted inputs and on hypothesis-generated ones."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from lintnews import facts
from lintnews.facts import EDITOR, FileFacts, file_facts


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

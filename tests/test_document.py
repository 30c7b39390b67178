"""Tests for the Document model (lintnews.document) and the body scanner (lintnews.scan)."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from lxml import html as lxml_html

from lintnews.document import Document, DocumentError, FrontMatter
from lintnews.frontmatter import MAX_DEPTH, MAX_VALUES
from lintnews.scan import _ATTR_STEP, _MARKUP, _TAG_END, Attr, Comment, Tag, blank
from lintnews.violation import Edit


def at(doc: Document, offset: int | None) -> tuple[int, int]:
    assert offset is not None
    return doc.position(offset)


# -- front matter ------------------------------------------------------------

class TestFrontMatter:
    def test_plain_front_matter(self):
        text = "---\ntitle: T\ndate: 2022-08-02\n---\nbody\n"
        doc = Document("a.md", text)
        assert doc.front_matter.start == 0
        assert doc.front_matter.content_start == 4
        assert doc.front_matter.content_end == 30
        assert doc.front_matter.end == 34
        assert doc.front_matter.closed is True
        assert doc.front_matter.error is None
        assert doc.meta["title"] == "T"
        assert str(doc.meta["date"]) == "2022-08-02"
        assert doc.body_offset == 34
        assert doc.body == "body\n"
        assert doc.position(doc.body_offset) == (5, 1)

    def test_leading_blank_line_before_front_matter(self):
        text = "\n---\ntitle: T\n---\nbody <b>x</b>\n"
        doc = Document("a.md", text)
        fm = doc.front_matter
        assert (fm.start, fm.content_start, fm.content_end, fm.end) == (1, 5, 14, 18)
        assert fm.closed and fm.error is None
        assert doc.meta == {"title": "T"}
        assert doc.body_offset == 18
        assert doc.body == "body <b>x</b>\n"
        assert doc.position(doc.body_offset) == (5, 1)
        assert doc.position(fm.start) == (2, 1)
        assert at(doc, doc.meta_offset("title")) == (3, 8)
        assert at(doc, doc.meta_offset("title", value=False)) == (3, 1)
        assert [doc.position(t.offset) for t in doc.scan.tags] == [(5, 6), (5, 10)]

    def test_several_blank_and_whitespace_lines_before_front_matter(self):
        doc = Document("a.md", "\n  \n---\ntitle: T\n---\n")
        assert doc.front_matter.start == 4
        assert doc.position(doc.front_matter.start) == (3, 1)
        assert doc.meta == {"title": "T"}
        assert doc.body_offset == len(doc.text)
        assert doc.body == ""

    def test_crlf_line_endings(self):
        text = "---\r\ntitle: T\r\ndate: 2022-08-02\r\n---\r\nbody <b>x</b>\r\n"
        doc = Document("a.md", text)
        fm = doc.front_matter
        assert (fm.start, fm.content_start, fm.content_end, fm.end) == (0, 5, 33, 38)
        assert fm.error is None
        assert doc.meta["title"] == "T"
        assert str(doc.meta["date"]) == "2022-08-02"
        assert doc.body_offset == 38
        assert doc.body == "body <b>x</b>\r\n"
        assert doc.position(doc.body_offset) == (5, 1)
        assert at(doc, doc.meta_offset("date")) == (3, 7)
        assert text[doc.meta_offset("date"):].startswith("2022-08-02\r\n")
        assert at(doc, doc.meta_offset("date", value=False)) == (3, 1)
        assert [(t.name, t.closing, doc.position(t.offset)) for t in doc.scan.tags] == [
            ("b", False, (5, 6)), ("b", True, (5, 10))]

    def test_crlf_yaml_error_position(self):
        doc = Document("a.md", "---\r\ndate: 2022-08-02\r\ntitle: a: b\r\n---\r\n")
        message, offset = doc.front_matter.error
        assert message == "front matter is not valid YAML: mapping values are not allowed in this context"
        assert doc.position(offset) == (3, 9)
        assert doc.meta == {}

    def test_no_front_matter(self):
        text = "Just a paragraph.\n\n<p>More</p>\n"
        doc = Document("a.md", text)
        assert doc.front_matter is None
        assert doc.meta == {}
        assert doc.body == text
        assert doc.body_offset == 0
        assert doc.meta_offset("title") is None

    def test_dashes_after_text_are_not_front_matter(self):
        doc = Document("a.md", "text\n---\ntitle: a\n---\n")
        assert doc.front_matter is None
        assert doc.meta == {}
        assert doc.body_offset == 0

    def test_unclosed_front_matter(self):
        text = "\n---\ntitle: x\nbody\n"
        doc = Document("a.md", text)
        fm = doc.front_matter
        assert fm.closed is False
        assert fm.error == ("front matter is not closed: no '---' line ends it", 1)
        assert doc.position(fm.error[1]) == (2, 1)
        assert (fm.start, fm.content_start, fm.content_end) == (1, 5, len(text))
        assert doc.meta == {}
        assert doc.body_offset == 5
        assert doc.body == "title: x\nbody\n"

    def test_empty_file(self):
        doc = Document("a.md", "")
        assert doc.front_matter is None
        assert doc.meta == {}
        assert doc.body == ""
        assert doc.body_offset == 0
        assert doc.position(0) == (1, 1)
        assert doc.offset(1, 1) == 0
        assert doc.scan.tags == () and doc.scan.comments == () and doc.scan.code == ()
        assert doc.prose == ""

    def test_empty_front_matter(self):
        doc = Document("a.md", "---\n---\nbody")
        assert doc.front_matter.closed and doc.front_matter.error is None
        assert doc.meta == {}
        assert doc.body == "body"
        assert doc.body_offset == 8

    def test_front_matter_closed_on_last_line_without_newline(self):
        doc = Document("a.md", "---\ntitle: a\n---")
        assert doc.front_matter.closed
        assert doc.meta == {"title": "a"}
        assert doc.body_offset == 16
        assert doc.body == ""

    def test_front_matter_that_is_a_list(self):
        doc = Document("a.md", "---\n- a\n- b\n---\nbody\n")
        assert doc.front_matter.error == ("front matter must be a mapping of keys, not a list", 4)
        assert doc.position(doc.front_matter.error[1]) == (2, 1)
        assert doc.meta == {}
        assert doc.body == "body\n"

    def test_front_matter_that_is_a_string(self):
        doc = Document("a.md", "---\njust text\n---\n")
        assert doc.front_matter.error == ("front matter must be a mapping of keys, not a str", 4)
        assert doc.meta == {}

    def test_invalid_yaml_message_and_position(self):
        doc = Document("a.md", "---\ndate: 2022-08-02\ntitle: 股市: 收涨\n---\nbody\n")
        message, offset = doc.front_matter.error
        assert message == "front matter is not valid YAML: mapping values are not allowed in this context"
        # columns count characters: "title: " is 7, 股市 are columns 8 and 9, ':' is 10
        assert doc.position(offset) == (3, 10)
        assert doc.meta == {}
        assert doc.front_matter.node is None
        assert doc.body == "body\n"

    def test_invalid_yaml_unclosed_quote_reported_at_the_quote(self):
        doc = Document("a.md", "---\ntitle: \"Markets: close higher\ndate: 2022-08-02\n---\n")
        message, offset = doc.front_matter.error
        assert message == ("front matter is not valid YAML: while scanning a quoted scalar; "
                           "found unexpected end of stream")
        assert doc.position(offset) == (2, 8)
        assert doc.text[offset] == '"'

    def test_invalid_yaml_tab_indentation(self):
        doc = Document("a.md", "---\ntitle: a\n\tdate: b\n---\n")
        message, offset = doc.front_matter.error
        assert message.startswith("front matter is not valid YAML: ")
        assert "tab" in message
        assert doc.position(offset) == (3, 1)

    def test_front_matter_inside_body_does_not_become_tags(self):
        doc = Document("a.md", "---\ntitle: \"<b>x</b>\"\n---\n<i>y</i>\n")
        assert doc.meta == {"title": "<b>x</b>"}
        assert [(t.name, doc.position(t.offset)) for t in doc.scan.tags] == [("i", (4, 1)), ("i", (4, 5))]

    def test_impossible_date_stays_a_string(self):
        text = "---\ntitle: x\ndate: 2022-13-45\n---\nbody\n"
        doc = Document("a.md", text)
        assert doc.front_matter.error is None
        assert doc.meta == {"title": "x", "date": "2022-13-45"}
        assert at(doc, doc.meta_offset("date")) == (3, 7)


# -- reading files -----------------------------------------------------------

class TestRead:
    def test_bom_is_stripped_and_positions_unaffected(self, tmp_path):
        path = tmp_path / "bom.md"
        path.write_bytes(b"\xef\xbb\xbf" + "---\ntitle: 标题\n---\n<img src=x>\n".encode("utf-8"))
        doc = Document.read(path)
        assert not doc.text.startswith("\ufeff")
        assert doc.text == "---\ntitle: 标题\n---\n<img src=x>\n"
        assert doc.front_matter.start == 0
        assert doc.meta == {"title": "标题"}
        assert doc.body == "<img src=x>\n"
        assert [doc.position(t.offset) for t in doc.scan.tags] == [(4, 1)]
        assert at(doc, doc.meta_offset("title")) == (2, 8)
        assert doc.path == str(path)
        assert doc.fs_path == path

    def test_display_path_and_root(self, tmp_path):
        path = tmp_path / "a.md"
        path.write_text("hello\n", encoding="utf-8")
        doc = Document.read(path, "shown/a.md", tmp_path)
        assert doc.path == "shown/a.md"
        assert doc.fs_path == path
        assert doc.root == tmp_path

    def test_crlf_file_keeps_carriage_returns(self, tmp_path):
        path = tmp_path / "crlf.md"
        path.write_bytes(b"---\r\ntitle: T\r\n---\r\nbody\r\n")
        doc = Document.read(path)
        assert doc.text == "---\r\ntitle: T\r\n---\r\nbody\r\n"
        assert doc.meta == {"title": "T"}
        assert doc.position(doc.body_offset) == (4, 1)

    def test_gbk_file_raises_encoding_error_at_first_bad_byte(self, tmp_path):
        path = tmp_path / "gbk.md"
        path.write_bytes("---\ntitle: 中文\n---\n".encode("gbk"))
        with pytest.raises(DocumentError) as info:
            Document.read(path)
        error = info.value
        assert error.rule == "encoding"
        assert (error.line, error.column) == (2, 8)
        assert error.message == "file is not valid UTF-8 (byte 0xd6); re-save it as UTF-8"
        assert str(error) == error.message

    def test_encoding_error_column_counts_characters(self, tmp_path):
        path = tmp_path / "mixed.md"
        path.write_bytes("ab\n中文 ".encode("utf-8") + "中".encode("gbk"))
        with pytest.raises(DocumentError) as info:
            Document.read(path)
        assert (info.value.rule, info.value.line, info.value.column) == ("encoding", 2, 4)
        assert "byte 0xd6" in info.value.message

    def test_encoding_error_position_after_bom(self, tmp_path):
        path = tmp_path / "bom-gbk.md"
        path.write_bytes(b"\xef\xbb\xbf" + "ab\n中文 ".encode("utf-8") + "中".encode("gbk"))
        with pytest.raises(DocumentError) as info:
            Document.read(path)
        assert (info.value.line, info.value.column) == (2, 4)
        assert "byte 0xd6" in info.value.message

    def test_unreadable_path_raises_read_error(self, tmp_path):
        with pytest.raises(DocumentError) as info:
            Document.read(tmp_path / "missing.md")
        assert info.value.rule == "read-error"
        assert info.value.message.startswith("cannot read file: ")
        assert (info.value.line, info.value.column) == (1, 1)


# -- positions ---------------------------------------------------------------

class TestPositions:
    TEXT = "---\ntitle: 中文标题\n---\n正文<img src=\"a.png\">\n\nend\n"

    def test_position_counts_characters_not_bytes(self):
        doc = Document("a.md", self.TEXT)
        img = self.TEXT.index("<img")
        assert doc.position(img) == (4, 3)
        assert doc.position(self.TEXT.index("标")) == (2, 10)
        assert doc.position(self.TEXT.index("end")) == (6, 1)

    def test_offset_of_line_and_column(self):
        doc = Document("a.md", self.TEXT)
        assert doc.offset(4, 3) == self.TEXT.index("<img")
        assert doc.offset(1, 1) == 0
        assert doc.offset(2, 8) == self.TEXT.index("中")

    def test_round_trip_every_offset(self):
        doc = Document("a.md", self.TEXT)
        for offset in range(len(self.TEXT) + 1):
            line, column = doc.position(offset)
            assert doc.offset(line, column) == offset

    def test_round_trip_crlf(self):
        text = "a\r\n中b\r\n\r\nc"
        doc = Document("a.md", text)
        assert doc.position(text.index("b")) == (2, 2)
        assert doc.position(text.index("c")) == (4, 1)
        for offset in range(len(text)):
            assert doc.offset(*doc.position(offset)) == offset

    def test_position_clamps_out_of_range_offsets(self):
        doc = Document("a.md", "ab\ncd\n")
        assert doc.position(-5) == (1, 1)
        assert doc.position(100) == (3, 1)

    def test_end_of_text_after_trailing_newline(self):
        doc = Document("a.md", "ab\n")
        assert doc.position(3) == (2, 1)

    def test_end_of_text_without_trailing_newline(self):
        doc = Document("a.md", "ab\ncd")
        assert doc.position(5) == (2, 3)
        assert doc.offset(*doc.position(5)) == 5
        violation = doc.violation(3, "m", end=5)
        assert (violation.end_line, violation.end_column) == (2, 3)

    def test_violation_positions(self):
        doc = Document("a.md", self.TEXT)
        img = self.TEXT.index("<img")
        end = self.TEXT.index(">", img) + 1
        violation = doc.violation(img, "message", end)
        assert (violation.line, violation.column, violation.end_line, violation.end_column) == (4, 3, 4, 20)
        assert violation.message == "message"
        bare = doc.violation(img, "m")
        assert (bare.line, bare.column, bare.end_line, bare.end_column) == (4, 3, None, None)

    def test_first_positions_counted_without_the_table_then_from_it(self):
        # an article asked for a position or two near the top counts its line breaks up to there;
        # once the counts have read as much as the whole text, the table of line starts is built
        text = "ab\n中文\n\r\nxyz\n"
        doc = Document("a.md", text)
        assert doc.position(text.index("文")) == (2, 2)
        violation = doc.violation(0, "m", end=text.index("\r"))
        assert (violation.line, violation.column, violation.end_line, violation.end_column) == (1, 1, 3, 1)
        assert "_line_starts" not in doc.__dict__
        assert doc.position(len(text)) == (5, 1)  # past what the counts may read: the table is built
        assert doc._line_starts == [0, 3, 6, 8, 12]
        assert doc.position(text.index("z")) == (4, 3)
        assert doc.violation(text.index("文"), "m").column == 2

    def test_counted_and_tabled_positions_agree_on_every_offset(self):
        text = "\n".join(["x" * 40, "", "中" * 7, "\r", "y"]) + "\n"
        tabled = Document("a.md", text)
        tabled._line_starts
        for offset in range(-2, len(text) + 3):
            counted = Document("a.md", text)  # fresh: its first position is counted
            assert counted.position(offset) == tabled.position(offset)
            assert "_line_starts" not in counted.__dict__
            violation = Document("a.md", text).violation(offset, "m", offset + 1)
            assert violation == tabled.violation(offset, "m", offset + 1)
            # edits: each end located as position() places it, the table built or not
            edits = (Edit(offset, offset + 3), Edit(offset - 1, offset, "x"), Edit(len(text) - offset, len(text)))
            expected = tuple(edit._replace(line=line, column=column, end_line=end_line, end_column=end_column)
                             for edit in edits
                             for (line, column), (end_line, end_column) in [(tabled.position(edit.start),
                                                                              tabled.position(edit.end))])
            assert Document("a.md", text).locate(edits) == tabled.locate(edits) == expected


    def test_positions_across_long_lines_and_many_short_ones(self):
        # lines far longer than the stretch a position is counted in, lines ending exactly where
        # one stretch ends and the next begins, and runs of empty lines: each offset's line and
        # column as the lines written out say
        lines = ["x" * 3000, "中" * 1023, "", "", "y" * 1024, "z", "\r", "w" * 2047]
        text = "\n".join(lines)
        doc = Document("a.md", text)
        expected = []
        for number, line in enumerate(lines, 1):
            expected += [(number, column) for column in range(1, len(line) + 2)]
        assert [doc.position(offset) for offset in range(len(text) + 1)] == expected
        violation = doc.violation(2999, "m", end=3001 + 1023 + 1)
        assert (violation.line, violation.column, violation.end_line, violation.end_column) == (1, 3000, 3, 1)
        assert doc.offset(5, 1025) == text.index("y") + 1024


class TestMetaOffset:
    TEXT = ("---\n"
            "title: 中文标题\n"
            "cover:\n"
            "  url: /img/a.png\n"
            "  alt: 图\n"
            "tags:\n"
            "  - 新闻\n"
            "  - 经济\n"
            "list: [甲乙, 丙丁]\n"
            "title2: x\n"
            "title2: y\n"
            "---\n"
            "body\n")

    def test_top_level_key(self):
        doc = Document("a.md", self.TEXT)
        assert at(doc, doc.meta_offset("title")) == (2, 8)
        assert self.TEXT[doc.meta_offset("title"):].startswith("中文标题\n")
        assert at(doc, doc.meta_offset("title", value=False)) == (2, 1)

    def test_nested_mapping_key(self):
        doc = Document("a.md", self.TEXT)
        assert at(doc, doc.meta_offset("cover", "url")) == (4, 8)
        assert at(doc, doc.meta_offset("cover", "url", value=False)) == (4, 3)
        assert at(doc, doc.meta_offset("cover", "alt")) == (5, 8)
        assert at(doc, doc.meta_offset("cover")) == (4, 3)
        assert at(doc, doc.meta_offset("cover", value=False)) == (3, 1)

    def test_list_items(self):
        doc = Document("a.md", self.TEXT)
        assert at(doc, doc.meta_offset("tags", 0)) == (7, 5)
        assert at(doc, doc.meta_offset("tags", 1)) == (8, 5)
        assert at(doc, doc.meta_offset("list", 1)) == (9, 12)  # after CJK characters on the same line
        assert self.TEXT[doc.meta_offset("list", 1):].startswith("丙丁]")

    def test_missing_keys_and_indexes(self):
        doc = Document("a.md", self.TEXT)
        assert doc.meta_offset("nokey") is None
        assert doc.meta_offset("tags", 5) is None
        assert doc.meta_offset("tags", "x") is None
        assert doc.meta_offset("cover", "url", "deeper") is None
        assert doc.meta_offset() is None

    def test_duplicate_key_last_wins(self):
        doc = Document("a.md", self.TEXT)
        assert doc.meta["title2"] == "y"
        assert at(doc, doc.meta_offset("title2")) == (11, 9)

    def test_with_leading_blank_lines_and_crlf(self):
        doc = Document("a.md", "\r\n\r\n---\r\nauthor: A\r\ncover:\r\n  url: u\r\n---\r\n")
        assert at(doc, doc.meta_offset("cover", "url")) == (6, 8)

    def test_no_offset_when_front_matter_is_invalid(self):
        doc = Document("a.md", "---\ntitle: a: b\n---\n")
        assert doc.meta_offset("title") is None

    def test_unicode_line_separator_in_a_value(self):
        text = "---\ntitle: \"a\u2028b\"\ndate: x\n---\nbody\n"
        doc = Document("a.md", text)
        assert doc.meta == {"title": "a\u2028b", "date": "x"}
        assert at(doc, doc.meta_offset("date")) == (3, 7)


# -- the scanner -------------------------------------------------------------

class TestScan:
    def test_tags_and_attributes_with_offsets(self):
        text = ("---\ntitle: T\n---\n"
                "<p class=\"lead\" data-x='1' hidden>Hi</p>\n"
                "<IMG SRC=\"a&amp;b.png\" alt=中文>\n")
        doc = Document("a.md", text)
        p_open, p_close, img = doc.scan.tags
        assert p_open == Tag("p", 17, 51, False, (
            Attr("class", "lead", 20, 27, 32), Attr("data-x", "1", 33, 41, 43), Attr("hidden", None, 44, None, 50)))
        assert text[p_open.offset:p_open.end] == "<p class=\"lead\" data-x='1' hidden>"
        assert doc.position(p_open.get("data-x").offset) == (4, 17)
        assert p_open.get("style") is None
        assert (p_close.name, p_close.closing, doc.position(p_close.offset)) == ("p", True, (4, 37))
        assert img.name == "img"
        assert img.get("src").value == "a&b.png"  # entities decoded
        assert doc.position(img.get("src").offset) == (5, 6)
        assert doc.position(img.get("src").value_offset) == (5, 11)
        assert img.get("alt").value == "中文"
        assert doc.position(img.get("alt").offset) == (5, 24)
        assert doc.position(img.end) == (5, 31)

    def test_multiline_tag(self):
        doc = Document("a.md", "---\ntitle: t\n---\n<img\n  src=\"a.png\"\n  alt=\"中文\">\n")
        (img,) = doc.scan.tags
        assert [(a.name, doc.position(a.offset), doc.position(a.value_offset)) for a in img.attrs] == [
            ("src", (5, 3), (5, 8)), ("alt", (6, 3), (6, 8))]

    def test_comments_with_offsets(self):
        text = "a <!-- note --> b\n<!-- open\nnever closed"
        doc = Document("a.md", text)
        closed, unclosed = doc.scan.comments
        assert closed == Comment(2, 15, " note ", True)
        assert doc.position(closed.offset) == (1, 3)
        assert (unclosed.offset, unclosed.end, unclosed.text, unclosed.closed) == (18, len(text), " open\nnever closed",
                                                                                  False)
        assert doc.position(unclosed.offset) == (2, 1)

    def test_tags_inside_comments_are_not_tags(self):
        doc = Document("a.md", "<!-- <img src=x> -->\n<b>x</b>")
        assert [t.name for t in doc.scan.tags] == ["b", "b"]

    def test_code_spans_excluded_from_tags(self):
        text = "Use `<img>` and ``a ` <b>`` then <i>x</i>\n"
        doc = Document("a.md", text)
        assert [(t.name, t.offset) for t in doc.scan.tags] == [("i", 33), ("i", 37)]
        assert doc.scan.code == ((4, 11), (16, 27))
        assert text[4:11] == "`<img>`"
        assert text[16:27] == "``a ` <b>``"

    def test_stray_less_than_signs_beside_tags_and_code(self):
        doc = Document("a.md", "a <3 `<b>` x<<i>y</i> <")
        assert [(t.name, t.offset, t.end) for t in doc.scan.tags] == [("i", 13, 16), ("i", 17, 21)]
        assert doc.scan.code == ((5, 10),)

    def test_tags_among_the_attributes_of_one_that_never_closes(self):
        # "<p" and the first "<a" open no tag (their quotes never close); the second "<a" does,
        # reading "<a" and "<u" as its attributes; a "<b" inside a quote that never closes is a tag
        doc = Document("a.md", "<p t='<a <a <u>\n`c` <a x=\"<b>y</b>\n")
        assert [(t.name, doc.position(t.offset), doc.position(t.end), [a.name for a in t.attrs])
                for t in doc.scan.tags] == [("a", (1, 7), (1, 16), ["<a", "<u"]), ("b", (2, 11), (2, 14), []),
                                            ("b", (2, 15), (2, 19), [])]

    def test_the_attribute_steps_read_alone_are_those_of_the_tag_pattern(self):
        assert "((?:" + _ATTR_STEP.pattern + ")*+)" + _TAG_END.pattern + "))" in _MARKUP
        assert _MARKUP.startswith(r"<(?:(?P<comment>!--)|(?P<tag>(/)?([A-Za-z][A-Za-z0-9:-]*)((?:")

    def test_unmatched_backtick_is_not_code(self):
        doc = Document("a.md", "a ` <b>x</b>\n")
        assert [t.name for t in doc.scan.tags] == ["b", "b"]
        assert doc.scan.code == ()

    def test_code_span_does_not_cross_a_blank_line(self):
        doc = Document("a.md", "a `x\n\n<b>y</b> `\n")
        assert [t.name for t in doc.scan.tags] == ["b", "b"]
        assert doc.scan.code == ()

    def test_fenced_code_blocks_excluded_from_tags(self):
        text = ("---\ntitle: T\n---\n"
                "```html\n<img src=\"in-fence.png\">\n```\n"
                "~~~~\n<b>tilde</b>\n~~~~\n"
                "<i>after</i>\n")
        doc = Document("a.md", text)
        assert [(t.name, doc.position(t.offset)) for t in doc.scan.tags] == [("i", (10, 1)), ("i", (10, 9))]
        assert [(doc.position(a), doc.position(b)) for a, b in doc.scan.code] == [((4, 1), (6, 4)),
                                                                                  ((7, 1), (9, 5))]

    def test_unclosed_fence_runs_to_the_end(self):
        doc = Document("a.md", "<b>x</b>\n```\n<i>y</i>\n")
        assert [t.name for t in doc.scan.tags] == ["b", "b"]
        assert doc.scan.code == ((9, 21),)  # to the end of the last line, as CommonMark's block

    def test_shorter_fence_does_not_close(self):
        doc = Document("a.md", "````\n```\n<i>y</i>\n````\n<b>z</b>\n")
        assert [(t.name, doc.position(t.offset)) for t in doc.scan.tags] == [("b", (5, 1)), ("b", (5, 5))]

    def test_inline_triple_backticks_are_not_a_fence(self):
        doc = Document("a.md", "```a``` <b>x</b>\n\nmore <i>y</i>\n")
        assert [t.name for t in doc.scan.tags] == ["b", "b", "i", "i"]

    def test_quoted_greater_than_and_self_closing(self):
        doc = Document("a.md", '<img src="a.png" alt="a > b"><br/>')
        img, br = doc.scan.tags
        assert (img.offset, img.end, img.get("alt").value) == (0, 29, "a > b")
        assert (br.name, br.offset, br.end, br.closing) == ("br", 29, 34, False)

    def test_attributes_without_whitespace_between_them(self):
        doc = Document("a.md", '<p><img src="a.png"alt="b"></p>')
        assert doc.html.xpath("//img/@alt") == ["b"]  # browsers and lxml see the image
        assert [t.name for t in doc.scan.tags] == ["p", "img", "p"]
        img = doc.scan.tags[1]
        assert [(a.name, a.value, a.offset) for a in img.attrs] == [("src", "a.png", 8), ("alt", "b", 19)]

    def test_empty_unquoted_value_and_stray_slash(self):
        doc = Document("a.md", '<img src=x alt=><img src="a.png" / >')
        first, second = doc.scan.tags
        assert [(a.name, a.value, a.offset, a.value_offset) for a in first.attrs] == [
            ("src", "x", 5, 9), ("alt", "", 11, 15)]
        assert (second.offset, second.end, [a.name for a in second.attrs]) == (16, 36, ["src"])

    def test_script_and_style_contents_are_raw_text(self):
        text = ("<script>var s = \"<img src=x>\"; // <!-- x\n</script>\n"
                "<style>p { color: red } /* <b> */</style>\n"
                "<img src=y>\n")
        doc = Document("a.md", text)
        assert [(t.name, t.closing, doc.position(t.offset)) for t in doc.scan.tags] == [
            ("script", False, (1, 1)), ("script", True, (2, 1)),
            ("style", False, (3, 1)), ("style", True, (3, 34)),
            ("img", False, (4, 1))]
        assert doc.scan.comments == ()
        raw = [text[a:b] for a, b in doc.scan.raw_text]
        assert raw == ["var s = \"<img src=x>\"; // <!-- x\n", "p { color: red } /* <b> */"]

    def test_unclosed_script_runs_to_the_end(self):
        text = "<script>a <b>\n"
        doc = Document("a.md", text)
        assert [t.name for t in doc.scan.tags] == ["script"]
        assert doc.scan.raw_text == ((8, len(text)),)

    @pytest.mark.parametrize("after", ["", "\n`x`", "\n<!-- c -->", "\n<XMP>y</XMP>"])
    def test_a_stretch_of_only_tags_gives_the_tags_a_stretch_with_other_tokens_gives(self, after):
        # without a backtick, a comment or a raw-text element the tags are read in one scan
        text = "---\ntitle: T\n---\na <3 <b>x</b><<i\nclass='c'>y</i> <\n" + after
        doc = Document("a.md", text)
        assert [(t.name, doc.position(t.offset), doc.position(t.end)) for t in doc.scan.tags][:4] == [
            ("b", (4, 6), (4, 9)), ("b", (4, 10), (4, 14)), ("i", (4, 15), (5, 11)), ("i", (5, 12), (5, 16))]
        assert [(a.name, doc.position(a.offset)) for a in doc.scan.tags[2].attrs] == [("class", (5, 1))]

    def test_blank_keeps_newlines_and_length(self):
        assert blank("ab\ncd\nef", [(1, 4), (3, 5)]) == "a \n  \nef"
        assert blank("abc", []) == "abc"

    def test_blank_replaces_every_character_of_a_hole_but_line_breaks_in_any_text(self):
        """Holes of ASCII text and of other text (blanked a byte at a time, each character that is
        not ASCII encoded as one "?"), over line breaks or not, overlapping or not: each character
        becomes a space but "\n" (a lone surrogate too, and the "?" that stands for it)."""
        rng = random.Random(5)
        for _ in range(2000):
            text = "".join(rng.choice("ab \n\r\t\x00\x7f<?中\u3000\U0001f600\ud800\x85\u2028")
                           for _ in range(rng.randint(0, 30)))
            holes = [tuple(sorted(rng.sample(range(len(text) + 1), 2))) for _ in range(rng.randint(0, 4))] \
                if text else []
            inside = {offset for start, stop in holes for offset in range(start, stop)}
            expected = "".join(" " if offset in inside and char != "\n" else char for offset, char in enumerate(text))
            assert blank(text, holes) == expected, (text, holes)


# -- views of the body -------------------------------------------------------

class TestViews:
    TEXT = ("---\r\ntitle: 标题\r\n---\r\n"
            "<p class=\"x\">你好 <!-- c --> `<b>` 世界</p>\r\n"
            "```\r\ncode <i>\r\n```\r\n"
            "<script>alert(1)</script>\r\n"
            "end\r\n")

    def test_prose_keeps_offsets(self):
        doc = Document("a.md", self.TEXT)
        assert len(doc.prose) == len(self.TEXT)
        assert [i for i, c in enumerate(doc.prose) if c == "\n"] == [i for i, c in enumerate(self.TEXT) if c == "\n"]
        for word in ("你好", "世界", "end"):
            assert doc.prose.index(word) == self.TEXT.index(word)

    def test_prose_blanks_front_matter_tags_comments_code_and_scripts(self):
        doc = Document("a.md", self.TEXT)
        lines = doc.prose.split("\n")
        assert lines[0].strip() == lines[1].strip() == lines[2].strip() == ""
        assert lines[3].split() == ["你好", "世界"]
        assert lines[4:7] == ["    ", "         ", "    "]
        assert lines[7].strip() == ""
        assert lines[8] == "end\r"
        for gone in ("<", ">", "title", "<!--", "`", "code", "alert"):
            assert gone not in doc.prose

    def test_markdown_keeps_tags_but_blanks_code_and_comments(self):
        doc = Document("a.md", self.TEXT)
        assert len(doc.markdown) == len(self.TEXT)
        assert "<p class=\"x\">" in doc.markdown
        assert "<script>alert(1)</script>" in doc.markdown
        assert "<!--" not in doc.markdown
        assert "`" not in doc.markdown
        assert "title" not in doc.markdown

    def test_html_is_parsed_lazily_and_cached(self):
        doc = Document("a.md", "---\ntitle: t\n---\n\n\n<p>a</p>\n\n<p>b <img src=x></p>\n")
        assert "html" not in doc.__dict__
        tree = doc.html
        assert "html" in doc.__dict__
        assert doc.html is tree
        assert isinstance(tree, lxml_html.HtmlElement)
        assert tree.tag == "div"
        assert [e.tag for e in tree] == ["p", "p"]
        assert [doc.html_line(e) for e in tree] == [6, 8]
        assert tree.xpath("//img/@src") == ["x"]

    def test_html_of_an_empty_body(self):
        doc = Document("a.md", "---\ntitle: t\n---\n")
        assert doc.html.tag == "div"
        assert len(doc.html) == 0

    def test_scan_is_cached(self):
        doc = Document("a.md", "<b>x</b>")
        assert doc.scan is doc.scan


def test_front_matter_is_a_frozen_dataclass():
    fm = FrontMatter(0, 4, 4, 8, True)
    with pytest.raises(AttributeError):
        fm.start = 1  # type: ignore[misc]


def test_the_node_is_set_on_front_matter_as_replace_sets_it_every_other_field_kept():
    from dataclasses import fields, replace

    from lintnews.frontmatter import _with_node

    fm = FrontMatter(*(object() for _ in fields(FrontMatter)))  # a value of its own in every field
    node = object()
    assert _with_node(fm, node) == replace(fm, node=node)


def test_prose_between_matches_the_prose_view_on_every_stretch():
    text = ("---\ntitle: T\n---\n<p class=\"a\">责任编辑：<b>王蒙</b></p><!-- c -->\n"
            "`<i>x</i>` <style>p{}</style> <img\n  src=\"a.png\"> tail\n")
    doc = Document("a.md", text)
    full = Document("a.md", text).prose
    for start in range(doc.body_offset, len(text)):
        for end in range(start, len(text) + 1, 7):
            assert doc.prose_between(start, end) == full[start:end], (start, end)


# Front matter is built from PyYAML's nodes directly where they are plain, and by PyYAML
# otherwise: either way meta, the node and any error are exactly what PyYAML gives.
_PYYAML_FRONT_MATTER = [
    "title: T\ncategories:\n - a\n - b\nnested: {k: [x, {y: z}]}\n",
    "date: 2022-08-02 13:42:34\nbad: 2022-02-30\nn: 12\nf: 1.5\nyes: true\nnothing: ~\nq: '12'\n",
    "a: &x [1, 2]\nb: *x\n",  # an aliased collection
    "base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n",  # a merge key
    "1: one\nnull: two\n",  # keys that are not strings
    "s: !!set {a, b}\nstr: !!str 12\n",
    "a: 1\na: 2\n",  # duplicate keys: the last wins
    "a: 0x_\n",  # an error PyYAML raises while constructing
    "a: !unknown x\n",
    "- a\n- b\n",  # not a mapping
    "a: b: c\n",  # not YAML
]


@pytest.mark.parametrize("source", _PYYAML_FRONT_MATTER)
def test_front_matter_is_built_exactly_as_pyyaml_builds_it(source):
    import yaml

    from lintnews.frontmatter import _Loader

    doc = Document("a.md", f"---\n{source}---\nbody\n")
    loader = _Loader(source)
    try:
        expected_node = loader.get_single_node()
        expected = loader.construct_document(expected_node)
    except (yaml.YAMLError, ValueError) as exc:
        assert doc.meta == {} and doc.front_matter.error is not None
        assert str(getattr(exc, "problem", None) or exc) in doc.front_matter.error[0]
        return
    finally:
        loader.dispose()
    if not isinstance(expected, dict):
        assert doc.front_matter.error[0].startswith("front matter must be a mapping")
        return
    assert doc.front_matter.error is None
    assert repr(doc.meta) == repr(expected)
    assert repr(doc.front_matter.node) == repr(expected_node)  # merge keys rewrite the node


def test_meta_offset_counts_lines_as_yaml_does():
    text = "---\r\ntitle: T\r\nlist:\r\n - a\u2028x: 1\n  - b\r\nlast: L\n---\nbody\n"
    doc = Document("a.md", text)
    assert doc.meta["last"] == "L"
    assert text[doc.meta_offset("title"):].startswith("T\r\n")
    assert text[doc.meta_offset("last"):].startswith("L\n")
    assert text[doc.meta_offset("last", value=False):].startswith("last:")
    assert doc.meta_offset("missing") is None


def test_meta_span_covers_a_value_as_written():
    doc = Document("a.md", "---\ntitle: 'It''s'\ndescription: >-\n  folded\n  text\ntags: [a, bb]\n---\n")
    assert doc.text[slice(*doc.meta_span("title"))] == "'It''s'"
    assert doc.text[slice(*doc.meta_span("description"))] == ">-\n  folded\n  text\n"
    assert doc.text[slice(*doc.meta_span("tags", 1))] == "bb"
    assert doc.meta_span("missing") is None


def test_hidden_lists_what_prose_blanks():
    from lintnews.scan import blank

    text = "---\ntitle: t\n---\n<p>Seen <!-- not --> `code` <b>bold</b></p><style>p{}</style>\n"
    doc = Document("a.md", text)
    assert [text[start:end] for start, end in doc.hidden] == [
        "<p>", "<!-- not -->", "`code`", "<b>", "</b>", "</p>", "<style>", "p{}", "</style>"]
    assert blank(text, [(0, doc.body_offset), *doc.hidden]) == doc.prose


def test_front_matter_nested_deeper_than_any_article_needs_is_reported_not_recursed():
    from lintnews.frontmatter import MAX_DEPTH

    deep = "[" * 900 + "]" * 900
    doc = Document("a.md", f"---\ntitle: t\nauthor: {deep}\n---\nbody\n")
    assert doc.meta == {}
    assert doc.front_matter.error == (f"front matter nests deeper than {MAX_DEPTH} levels",
                                      doc.text.index("[" * (MAX_DEPTH + 1)) + 900 - MAX_DEPTH - 1)


def test_front_matter_aliases_are_counted_once_expanded():
    from lintnews.frontmatter import MAX_VALUES

    text = "---\ntitle: t\na: &a [" + ", ".join(["x"] * 100) + "]\nb: [" + ", ".join(["*a"] * 100) + "]\n---\n"
    message, offset = Document("a.md", text).front_matter.error
    assert message.startswith(f"front matter holds more than {MAX_VALUES:,} values once its aliases")
    assert offset == text.index("[*a")


def _nested(depth: int) -> str:
    return "a: " + "[" * (depth - 2) + "x" + "]" * (depth - 2) + "\n"  # the mapping and "x" are levels too


def _values(count: int) -> str:
    return "a: [" + ", ".join(["x"] * (count - 3)) + "]\n"  # the mapping, its key, the list and its items


@pytest.mark.parametrize("source", [
    _nested(MAX_DEPTH - 1), _nested(MAX_DEPTH), _nested(MAX_DEPTH + 1),
    _values(MAX_VALUES - 1), _values(MAX_VALUES), _values(MAX_VALUES + 1),
    "title: t\ntags: [a, {b: [c, d]}]\n",
])
def test_front_matter_without_aliases_is_judged_as_the_full_walk_judges_it(source):
    """Without a ``*`` the limits are checked on the tree directly; at and around each limit
    the verdict, message and place are the full walk's (which a ``*`` anywhere forces)."""
    from lintnews.frontmatter import _Loader, _oversized

    loader = _Loader(source)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    assert _oversized(node, source) == _oversized(node, source + "#*")


def test_front_matter_just_within_the_limits_is_read_and_just_beyond_is_reported():
    assert Document("a.md", f"---\n{_nested(MAX_DEPTH)}---\n").front_matter.error is None
    assert Document("a.md", f"---\n{_values(MAX_VALUES)}---\n").front_matter.error is None
    assert Document("a.md", f"---\n{_nested(MAX_DEPTH + 1)}---\n").front_matter.error[0] == (
        f"front matter nests deeper than {MAX_DEPTH} levels")
    assert Document("a.md", f"---\n{_values(MAX_VALUES + 1)}---\n").front_matter.error[0].startswith(
        f"front matter holds more than {MAX_VALUES:,} values")


def test_a_duplicate_key_after_lone_cr_line_breaks_is_placed_on_the_file_s_own_lines():
    from lintnews.testing import lint_string

    findings = lint_string("---\ntitle: a\rauthor: b\rtitle: c\n---\nbody\n", ["front-matter-syntax", "bad-characters"])
    assert [(f.line, f.column, f.message) for f in findings] == [
        (2, 9, "carriage return (CR) without a line feed, 2 in the file: editors break the line here, "
                "git does not; save with LF line breaks"),
        (2, 20, "duplicate key 'title' (first on line 2); only the last value is kept"),
    ]


def test_toml_front_matter_is_read_and_stays_out_of_the_body():
    doc = Document("a.md", '+++\ntitle = "t"\ndate = 2022-08-02T05:42:34+08:00\n[params]\ncover = "a.png"\n+++\nbody\n')
    assert doc.front_matter.error is None and doc.front_matter.format.name == "TOML"
    assert doc.meta["title"] == "t" and doc.meta["params"] == {"cover": "a.png"}
    assert doc.meta["date"].utcoffset() == dt.timedelta(hours=8)
    assert doc.body == "body\n"
    assert doc.position(doc.meta_offset("title")) == (2, 9)


def test_json_front_matter_runs_to_the_end_of_its_object():
    # a "}" line inside the object does not end it; the body starts after the object's line
    text = '{\n"title": "t",\n"params": {\n"x": 1\n}\n, "tags": ["a"]}\n\nbody\n'
    doc = Document("a.md", text)
    assert doc.front_matter.error is None and doc.front_matter.format.name == "JSON"
    assert doc.meta == {"title": "t", "params": {"x": 1}, "tags": ["a"]}
    assert doc.body == "\nbody\n"
    assert doc.position(doc.meta_offset("tags")) == (6, 11)


@pytest.mark.parametrize("text, meta, body", [
    ('{"title": "t", "date": "2024-01-02"}\n\nbody\n', {"title": "t", "date": "2024-01-02"}, "\nbody\n"),
    ('{ "title": "t",\n  "tags": ["a"] }\nbody\n', {"title": "t", "tags": ["a"]}, "body\n"),
])
def test_json_front_matter_may_open_with_its_first_key_on_the_first_line(text, meta, body):
    doc = Document("a.md", text)
    assert doc.front_matter.error is None and doc.front_matter.format.name == "JSON"
    assert doc.meta == meta and doc.body == body
    assert doc.position(doc.meta_offset("title")) == (1, 11 if text[1] == "\"" else 12)  # its value


@pytest.mark.parametrize("text", ['{{< figure src="a.png" >}}\n}\nbody\n', "{% include a.html %}\n}\nbody\n",
                                  "{/* a comment */}\n}\nbody\n"])
def test_a_template_tag_or_an_expression_opening_the_file_is_no_json_front_matter(text):
    assert Document("a.md", text).front_matter is None


@pytest.mark.parametrize("text, error", [
    # broken: taken to end at the first "}" line, and the error is where the parser stopped
    ('{\n"title": "t"\n"date": 1\n}\nbody\n', ("front matter is not valid JSON: Expecting ',' delimiter", 15)),
    ('{\n"title": "a\tb"\n}\nbody\n', ("front matter is not valid JSON: Invalid control character", 13)),
    ('+++\ntitle = "t\n+++\nbody\n', ("front matter is not valid TOML: Illegal character '\\n'", 14)),
    ('+++\na = ' + "[" * 80 + "]" * 80 + '\n+++\nbody\n', ("front matter nests deeper than 64 levels", 4)),
    ('{\n"a": ' + "[" * 100_000 + "]" * 100_000 + '\n}\nbody\n', ("front matter is not valid JSON: nests deeper "
                                                                   "than Python reads", 0)),
    ('+++\na = ' + "[" * 100_000 + "]" * 100_000 + '\n+++\nbody\n', ("front matter is not valid TOML: nests deeper "
                                                                     "than Python reads", 4)),
])
def test_broken_toml_and_json_front_matter_say_where(text, error):
    doc = Document("a.md", text)
    assert doc.front_matter.error == error and doc.meta == {}
    assert doc.body.endswith("body\n") and "title" not in doc.body


@pytest.mark.parametrize("key, offset", [
    ("a" + ".a" * 50_000 + " = 1", 16),  # (once 50 s and 10 GB in the TOML parser)
    ("[" + ".".join(['"p.q"'] * 100_000) + "]\nk = 1", 17),
    ("[[" + " . ".join(["t"] * 64) + "]]", 18),
    ("x = {" + ".".join(["c"] * 64) + " = 1}", 21),
])
def test_a_toml_key_of_too_many_dotted_parts_is_refused_before_it_is_parsed(key, offset):
    doc = Document("a.md", f'+++\ntitle = "t"\n{key}\n+++\nbody\n')
    assert doc.front_matter.error == ("front matter is not valid TOML: a dotted key of 64 parts or more nests "
                                      "deeper than 64 levels", offset)
    assert doc.meta == {} and doc.body == "body\n"


def test_a_toml_key_of_fewer_parts_and_a_dotted_string_are_read():
    doc = Document("a.md", '+++\nv = "' + ".".join(["1"] * 100) + '"\n' + ".".join(["a"] * 63) + ' = 1\n+++\nbody\n')
    assert doc.front_matter.error is None and doc.meta["v"] == ".".join(["1"] * 100)
    value = doc.meta
    for _ in range(63):  # a mapping 63 levels deep, "a" in each, 1 at the bottom
        assert list(value) in (["v", "a"], ["a"])
        value = value["a"]
    assert value == 1


@pytest.mark.parametrize("quotes", ['"""', "'''"])
def test_dotted_words_on_a_line_of_a_multi_line_string_are_no_key(quotes):
    words = ".".join(f"p{n}" for n in range(70))
    doc = Document("a.md", f'+++\ntitle = "T"\ndescription = {quotes}\n{words}\n, {words}\n{quotes}\n+++\nbody\n')
    assert doc.front_matter.error is None
    assert doc.meta["description"] == f"{words}\n, {words}\n"


def test_unclosed_toml_front_matter_is_reported_at_its_fence():
    doc = Document("a.md", '+++\ntitle = "t"\nbody\n')
    assert doc.front_matter.error == ("front matter is not closed: no '+++' line ends it", 0)
    assert doc.body == 'title = "t"\nbody\n' and doc.meta == {}


def test_a_brace_that_opens_no_object_is_no_front_matter():
    doc = Document("a.md", "{\nnot json\n\nbody\n")
    assert doc.front_matter is None and doc.body_offset == 0


def test_metadata_headers_are_front_matter_with_quotes_and_parentheses_removed():
    text = '[#]: collector: (lujun9972)\n[#]: subject: "Open (source) news"\n[#]: reviewer: " "\n\n# 开源新闻\n'
    doc = Document("a.md", text)
    assert doc.meta == {"collector": "lujun9972", "subject": "Open (source) news", "reviewer": " "}
    assert doc.body == "\n# 开源新闻\n"
    assert doc.position(doc.meta_offset("subject")) == (2, 15)
    assert doc.position(doc.meta_offset("subject", value=False)) == (2, 6)


def test_a_metadata_header_value_ends_at_its_last_character_that_is_no_space_tab_or_cr():
    # trailing blanks are dropped, inner ones kept, a form feed is text; an empty value is "";
    # a CRLF line ends the same way; the last line may end the file without a line break
    text = ('[#]: a: one two \t \n[#]: b:\t\t\r\n[#]: c: x\x0c  \n[#]: d: "q " \r\n'
            '[#]: e: (last)  ')
    doc = Document("a.md", text)
    assert doc.meta == {"a": "one two", "b": "", "c": "x\x0c", "d": "q ", "e": "last"}
    assert doc.front_matter.end == len(text) and doc.body == ""
    assert doc.position(doc.meta_offset("c")) == (3, 9)
    assert doc.position(doc.meta_offset("e", value=False)) == (5, 6)


def test_a_link_reference_that_is_no_metadata_header_leaves_the_body_alone():
    doc = Document("a.md", "[#]: https://example.com\n正文。\n")
    assert doc.front_matter is None and doc.meta == {}


def test_front_matter_scalars_are_tagged_as_pyyaml_tags_them():
    import yaml
    from yaml.resolver import BaseResolver

    from lintnews.frontmatter import _Loader

    loader = _Loader("")
    try:
        values = ["", "~", "null", "Null", "yes", "No", "on", "OFF", "true", "12", "-1", "+1", "0x1f", "0o7",
                  "1_000", "1.5", ".inf", "-.Inf", ".nan", "1e3", "2022-08-02", "2022-08-02 13:42:34", "=",
                  "<<", "title", "中文", "12:30:00", "1:20", "0b101", " ", "yes please"]
        for value in values:
            for implicit in ((True, False), (False, True), (False, False), (True, True)):
                expected = BaseResolver.resolve(loader, yaml.ScalarNode, value, implicit)
                assert loader.resolve(yaml.ScalarNode, value, implicit) == expected, (value, implicit)
        for kind in (yaml.SequenceNode, yaml.MappingNode):
            assert loader.resolve(kind, None, (True, False)) == BaseResolver.resolve(loader, kind, None, (True, False))
    finally:
        loader.dispose()


@pytest.mark.parametrize("break_, line", [("\n", 4), ("\r\n", 4), ("\u2028", 3)])
def test_front_matter_lines_are_counted_as_yaml_counts_them_with_or_without_its_own_breaks(break_, line):
    """Front matter whose lines only "\\n" breaks takes the file's line starts; with a break of
    YAML's own (a lone CR, LS, NEL) its lines are counted apart: findings land alike on both."""
    from lintnews.testing import lint_string

    text = f"---\ntitle: a{break_}author: b\ntitle: c\n---\nbody\n"
    findings = lint_string(text, ["front-matter-syntax"])
    assert [(f.line, f.column, f.message) for f in findings] == [
        (line, 1, "duplicate key 'title' (first on line 2); only the last value is kept")]
    doc = Document("a.md", text)
    assert text[doc.meta_offset("author"):].startswith("b\n")
    assert doc.position(doc.meta_offset("title", value=False)) == (line, 1)


def test_edits_are_located_at_both_ends_whatever_named_tuple_carries_them():
    from typing import NamedTuple

    from lintnews.violation import Edit

    class Shifted(NamedTuple):  # not the runner's Edit: its fields are filled in by name
        end: int
        start: int
        line: int | None = None
        column: int | None = None
        end_line: int | None = None
        end_column: int | None = None

    class Marked(Edit):
        """An Edit of a plugin's own kind, kept as such."""

    doc = Document("a.md", "ab\ncdé\nf")
    located = doc.locate((Edit(1, 4, "x"), Edit(7, 8), Shifted(8, 4), Marked(0, 0, "y")))
    assert located == (Edit(1, 4, "x", 1, 2, 2, 2), Edit(7, 8, "", 3, 1, 3, 2), Shifted(8, 4, 2, 2, 3, 2),
                       Marked(0, 0, "y", 1, 1, 1, 1))
    assert [type(edit) for edit in located] == [Edit, Edit, Shifted, Marked]


def test_toml_and_json_values_are_spanned_at_the_top_level_only():
    toml = ("+++\ntitle = 'a = 1'\n\"quoted key\" = 2\nnotes = '''\nauthor = \"no\"\n'''\n"
            "author = \"Jo\"  # a comment\n[params]\nauthor = \"inner\"\n+++\nbody\n")
    doc = Document("a.md", toml)
    assert doc.meta["author"] == "Jo" and doc.meta["quoted key"] == 2
    assert doc.position(doc.meta_offset("author")) == (7, 10)
    assert doc.position(doc.meta_offset("author", value=False)) == (7, 1)
    assert doc.position(doc.meta_offset("quoted key", value=False)) == (3, 1)
    start, end = doc.meta_span("title")
    assert doc.text[start:end] == "'a = 1'"
    assert doc.meta_offset("subtitle") is None
    json_text = '{\n"a": {"title": "inner"}, "title": "T, [x]", "n": [1, {"title": 2}],\n "last": true}\nbody\n'
    doc = Document("b.md", json_text)
    start, end = doc.meta_span("title")
    assert doc.text[start:end] == '"T, [x]"'
    start, end = doc.meta_span("last")
    assert doc.text[start:end] == "true"
    assert doc.position(doc.meta_offset("n", value=False)) == (2, 45)


@pytest.mark.parametrize("block, line", [
    ('m = [\n  [1, 2],\n]\ndate = "x"\n', 4),  # a line of a multi-line array opening with "["
    ("q = '\"\"\"'\ndate = \"x\"\n", 2),  # a multi-line string's delimiter inside a one-line string
    ('summary = "a\u2028[b]"\ndate = "x"\n', 2),  # U+2028 ends no TOML line
])
def test_every_top_level_toml_key_is_found(block, line):
    doc = Document("a.md", "+++\n" + block + "+++\nbody\n")
    assert doc.meta["date"] == "x"
    assert doc.position(doc.meta_offset("date")) == (line + 1, 8)


def test_toml_and_json_keys_are_read_once_however_many_items_are_looked_up():
    items = "".join(f' "Jane Doe {n}",\n' for n in range(20_000))
    doc = Document("a.md", "+++\ntitle = \"T\"\nauthor = [\n" + items + "]\n+++\nbody\n")
    calls = []
    import lintnews.frontmatter as frontmatter
    original = frontmatter.toml_keys
    frontmatter.toml_keys = lambda source: calls.append(1) or original(source)
    try:
        offsets = {doc.meta_offset("author", n) for n in range(0, 20_000, 100)} | {doc.meta_offset("title")}
    finally:
        frontmatter.toml_keys = original
    assert len(calls) == 1 and None not in offsets


@pytest.mark.parametrize("text", [
    "---\ntitle: a\nn: " + "1" * 5000 + "\n---\nbody\n",
    "+++\ntitle = 'a'\nn = " + "1" * 5000 + "\n+++\nbody\n",
    '{\n"title": "a",\n"n": ' + "1" * 5000 + "\n}\nbody\n",
])
def test_a_number_of_thousands_of_digits_is_said_plainly(text):
    doc = Document("a.md", text)
    assert doc.front_matter.error == ("front matter holds a number of more than 4,300 digits", doc.front_matter.start
                                      if text.startswith("{") else 4)
    assert doc.meta == {} and doc.body == "body\n"

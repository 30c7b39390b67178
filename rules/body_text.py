"""The body as paragraphs a reader sees: shared by the body, typography and byline rules.

A paragraph is a stretch of ``Document.prose`` between two block-level tags or line
breaks, trimmed of white space; its offsets point into ``Document.text``, so a rule
reports it where it is written.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import compress
from operator import attrgetter
from typing import NamedTuple

from lintnews.lazy_re import lazy_compile


# Han in the Basic Multilingual Plane (unified, extension A, compatibility): the letters of
# Chinese text. The rarer characters beyond it are left out on purpose: a character class
# holding their range costs some 18 ms to compile, and every pattern here holds this one.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
KANA = "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fd-\u30ff\u31f0-\u31ff"
# full-width and CJK punctuation, and the typographic quotes Chinese copy uses
CJK_PUNCT = "\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f\u201c\u201d\u2018\u2019"
SENTENCE_ENDS = "。！？!?.…”’」』）)》】~～—:：;；"

_NAME = attrgetter("name")
BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                        "table", "tr", "td", "th", "section", "article", "figure", "figcaption", "hr", "dd",
                        "dt", "pre", "header", "footer", "aside", "caption", "main", "nav", "body", "html"})
NOT_PROSE_TAGS = frozenset({"li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "figcaption",
                            "caption", "pre", "blockquote"})
# a Markdown heading, list item, quotation, table row or image, a numbered note ("2．", "(3)"),
# or an item of a list written with bullets ("・", "•") and <br>
_NOT_PROSE_MARKDOWN = lazy_compile(r"#|[-*+>|・•●◆■]|\d+[.)．、]|[(（]\d+[)）]|!\[|\[!\[")
# a line's text, trimmed: from its first character that is not white space to its last
LINE = lazy_compile(r"[^\s](?:[^\n]*[^\s])?")
_new = tuple.__new__  # builds a Paragraph without the named tuple's Python-level __new__
_ENTITY = lazy_compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]+);")


# what MDX reads as code: JavaScript expressions in braces, import and export lines
_MDX_CODE = lazy_compile(r"\{[^{}]*\}|^(?:import|export)\b[^\n]*", re.MULTILINE)
_NOT_A_BREAK = lazy_compile(r"[^\n]")


def markdown_text(doc) -> str | None:
    """What a Markdown renderer reads as Markdown: ``prose`` (code, comments, tags and script or
    style contents blanked), MDX's JavaScript blanked too; None for an HTML article."""
    if str(doc.path).lower().endswith((".html", ".htm")):
        return None
    text = doc.prose
    if doc.mdx and ("{" in text or "import" in text or "export" in text):  # blanked once, for every rule
        if "mdx-markdown-text" not in doc.cache:
            doc.cache["mdx-markdown-text"] = _MDX_CODE.sub(lambda code: _NOT_A_BREAK.sub(" ", code.group()), text)
        text = doc.cache["mdx-markdown-text"]
    return text


def pre_ranges(doc) -> list[tuple[int, int]]:
    """Where the contents of ``<pre>`` elements run, from after the opening tag to the closing
    one (or the end of the text), in order; found once per document."""
    found = doc.cache.get("pre-ranges")
    if found is None:
        found, opened = [], None
        for tag in doc.scan.tags:
            if tag.name != "pre":
                continue
            if not tag.closing and opened is None:
                opened = tag.end
            elif tag.closing and opened is not None:
                found.append((opened, tag.offset))
                opened = None
        if opened is not None:
            found.append((opened, len(doc.text)))
        doc.cache["pre-ranges"] = found
    return found


def within(ranges: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` lies in one of ``ranges`` (start, end), which are in order and apart."""
    at = bisect_right(ranges, (offset, 1 << 62)) - 1
    return at >= 0 and ranges[at][0] <= offset < ranges[at][1]


class Paragraph(NamedTuple):
    """A paragraph's text as a reader sees it, from ``start`` to ``end`` in ``Document.text``, and
    the block tag it opens with (``p``, ``li``…; empty when none or after a closing tag)."""

    text: str
    start: int
    end: int
    tag: str

    @property
    def prose(self) -> bool:
        """Whether it is running text: not a heading, list item, table cell, quotation or image."""
        return self.tag not in NOT_PROSE_TAGS and not _NOT_PROSE_MARKDOWN.match(self.text)


def paragraphs(doc) -> list[Paragraph]:
    """The body's paragraphs in order, computed once per document."""
    cached = doc.cache.get("body-paragraphs")
    if cached is None:
        cached = doc.cache["body-paragraphs"] = _paragraphs(doc)
    return cached


def block_lines(doc) -> tuple[str, list[int], list[str]]:
    """The body's prose with a line break where each block tag starts (so that every paragraph
    is a line; offsets are those of the body), the offsets of those tags and what each opens
    (``p``, ``li``…; empty for an end tag). Computed once per document."""
    cached = doc.cache.get("body-block-lines")
    if cached is None:
        prose, body = doc.prose, doc.body_offset
        starts, names, parts, pos = [], [], [], body
        tags = doc.scan.tags  # the block tags among them picked in C: an article's inline tags are many
        for tag in compress(tags, map(BLOCK_TAGS.__contains__, map(_NAME, tags))):
            if tag.offset >= pos:
                parts += [prose[pos:tag.offset], "\n"]
                starts.append(tag.offset)
                names.append("" if tag.closing else tag.name)
                pos = tag.offset + 1
        lines = "".join([*parts, prose[pos:]]) if parts else prose[body:]
        cached = doc.cache["body-block-lines"] = (lines, starts, names)
    return cached


def _paragraphs(doc) -> list[Paragraph]:
    text, body = doc.text, doc.body_offset
    lines, starts, names = block_lines(doc)
    found = []
    append = found.append
    for match in LINE.finditer(lines):
        start = body + match.start()
        tag = _opening_tag(text, starts, names, start)
        append(_new(Paragraph, (match.group(), start, body + match.end(), tag)))
    return found


def paragraph_from(doc, text: str, start: int) -> Paragraph:
    """The paragraph ``text`` (a line of ``block_lines``, trimmed) starting at ``start`` in
    ``Document.text``: what ``paragraphs`` holds for it, built alone."""
    _, starts, names = block_lines(doc)
    return _new(Paragraph, (text, start, start + len(text), _opening_tag(doc.text, starts, names, start)))


def _opening_tag(text: str, starts: list[int], names: list[str], start: int) -> str:
    """The block tag a paragraph at ``start`` opens with: the last one before it (``names`` and
    ``starts`` as ``block_lines`` gives them), or ``"pre"`` for an indented code line."""
    name = ""
    if starts:
        index = bisect_right(starts, start) - 1
        name = names[index] if index >= 0 else ""
    if not name and text[start - 1] in " \t":
        name = _indented(text, start)
    return name


def paragraph_at(doc, offset: int) -> Paragraph | None:
    """The paragraph holding ``offset``, if any: read from its line of ``block_lines`` alone (a
    paragraph is a line there), not found among all the paragraphs, which would cost each call
    as much as the body has paragraphs."""
    lines = block_lines(doc)[0]
    at = offset - doc.body_offset
    if not 0 <= at < len(lines):
        return None
    line_start = lines.rfind("\n", 0, at) + 1
    line_end = lines.find("\n", at)
    line = lines[line_start:line_end if line_end >= 0 else len(lines)]
    text = line.strip()
    start = doc.body_offset + line_start + len(line) - len(line.lstrip())
    if not text or not start <= offset < start + len(text):
        return None
    return paragraph_from(doc, text, start)


def _indented(text: str, start: int) -> str:
    """``"pre"`` for a line of a Markdown code block indented by four spaces or a tab, else ``""``."""
    line_start = text.rfind("\n", 0, start) + 1
    indent = text[line_start:start]
    return "pre" if (indent.startswith(("\t", "    ")) and not indent.strip()) else ""


def visible_text(text: str) -> str:
    """``text`` without character entities (``&nbsp;``) and white space: what is left to read."""
    if "&" in text:
        text = _ENTITY.sub("", text)
    return "".join(text.split()).replace("\u3000", "")


_HAN_CHAR = lazy_compile(f"[{HAN}]")


def has_han(doc) -> bool:
    """Whether the body's prose holds any Chinese character: rules of Chinese typography skip
    the rest (the search stops at the first one, so Chinese articles pay almost nothing)."""
    cached = doc.cache.get("body-has-han")
    if cached is None:
        prose = doc.prose  # all of it ASCII, as English articles often are, is told at C speed
        cached = doc.cache["body-has-han"] = not prose.isascii() and \
            _HAN_CHAR.search(prose, doc.body_offset) is not None
    return cached


def has_image(doc) -> bool:
    """Whether the body shows an image or an embed (HTML or Markdown)."""
    if any(tag.name in ("img", "video", "iframe", "embed", "object", "picture", "audio")
           for tag in doc.scan.tags if not tag.closing):
        return True
    return "![" in doc.markdown[doc.body_offset:]

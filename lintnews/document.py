"""The Document: one article read and split once, with exact positions for every offset."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property
from operator import itemgetter
from pathlib import Path
from typing import Any

import yaml

from . import scan as scanner
from .frontmatter import (
    YAML_BREAK,
    FrontMatter,
    FrontMatterError,
    FrontMatterFormat,
    key_spans,
    load_front_matter,
    locate,
    parse_front_matter,
    split_front_matter,
)
from .lazy_re import lazy_compile
from .reading import MB, ReadRefused, RealPaths, read_article
from .timing import view
from .violation import Deferred, Edit, Severity, Violation

__all__ = ["Document", "DocumentError", "FrontMatter", "FrontMatterError", "FrontMatterFormat"]

_LINE_BREAK = lazy_compile("\n")
_YAML_ONLY_BREAK = lazy_compile("[\r\x85\u2028\u2029]")  # what YAML counts as a line break and git does not

# An indented code block that follows HTML, or opens with a comment or a tag of an article's
# own markup (its name is group 1, a closing tag's group 2), holds HTML that a scrape or an
# export left indented. A tutorial's sample follows its prose, and opens with other tags (a
# configuration file's <VirtualHost>, a page's <html>, a <script> to paste in) or comes after a
# line that introduces it (":") and holds no Chinese (a quotation after "他表示：" is the
# article's), unless it opens with the <pre> or <code> that wrapped a code sample on the source
# site: readers then see those tags around the sample.
_HTML_START = lazy_compile(r"[ \t>]*<(?:([A-Za-z][A-Za-z0-9:-]*)(?=[\s/>])|/([A-Za-z][A-Za-z0-9:-]*)|!--)")
_ARTICLE_MARKUP = frozenset({
    "a", "abbr", "b", "big", "blockquote", "br", "caption", "center", "cite", "code", "dd", "del", "div", "dl",
    "dt", "em", "figcaption", "figure", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li",
    "mark", "ol", "p", "picture", "pre", "q", "s", "section", "small", "span", "strike", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    # a page's sections and embeds, and Word's paragraphs, as scrapes leave them
    "article", "aside", "audio", "embed", "footer", "header", "iframe", "main", "nav", "object", "o:p", "source",
    "video"})
_CODE_WRAPPERS = frozenset({"pre", "code"})
_HAN = lazy_compile("[\u4e00-\u9fff\u3400-\u4dbf]")
_INTRODUCING = (":", "：")
_INTRODUCTION_GAP = 256  # blank characters looked back over for the line that introduces a block

# (offset, end) of a scanned comment and of a tag, and a tag's offset: taken in C rather than by attribute look-ups
_COMMENT_SPAN = itemgetter(0, 1)
_TAG_SPAN = itemgetter(1, 2)
_TAG_OFFSET = itemgetter(1)
_new = tuple.__new__  # a named tuple built from all its fields, without its Python-level __new__


class DocumentError(Exception):
    """A file that cannot be read as text; ``line`` and ``column`` say where, if known."""

    def __init__(self, rule: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.rule, self.message, self.line, self.column = rule, message, line, column


class Document:
    """An article: ``text`` as read (BOM removed), ``meta``, ``body`` and position helpers.

    ``path`` is the path as shown in reports, ``fs_path`` where the file is, ``root``
    the project root (the config file's folder or the repository root).
    """

    def __init__(self, path: str, text: str, fs_path: Path | str | None = None, root: Path | None = None,
                 formats: tuple[FrontMatterFormat, ...] = ()) -> None:
        self.path = path
        # kept as given (a folder's walk gives strings): ``fs_path`` makes the Path when a rule asks
        # for it, which few rules do and only for some articles; building one parses its parts
        self._fs_path = path if fs_path is None else fs_path
        self.root = root if root is not None else Path.cwd()
        self.cache: dict = {}  # where rules share work on this document, keyed by a name of their own
        self.run_cache: dict = {}  # shared by every document of a run (the runner sets it)
        self.dependencies: set[tuple[str, str]] = set()  # (path, on): what else the findings depend on
        # where fs_path lives when not on the local disk (an fsspec filesystem on a Dask run, see
        # lintnews.dask.storage.StorageFiles): rules look files beside the article up there; None: the disk
        self.storage = None
        self.text = text
        self.front_matter = split_front_matter(text, formats)
        self.meta: dict = {}
        if self.front_matter is not None and self.front_matter.closed:
            if self.front_matter.format is None:
                self.front_matter, self.meta = parse_front_matter(text, self.front_matter)
            else:
                self.front_matter, self.meta = load_front_matter(text, self.front_matter)
        self.body_offset = self.front_matter.end if self.front_matter else 0
        self._counted = 0  # characters ``position`` has read counting line breaks (see there)
        self._last_counted = (0, 0, 0)  # the offset it last counted up to, its line breaks before, its line's start

    @cached_property
    def fs_path(self) -> Path:
        """Where the file is (``path`` when not given)."""
        fs_path = self._fs_path
        return fs_path if isinstance(fs_path, Path) else Path(fs_path)

    @property
    def fs_location(self) -> str:
        """``fs_path`` as a string, without making the Path: for a test on every file of a run."""
        fs_path = self._fs_path
        return fs_path if isinstance(fs_path, str) else str(fs_path)

    @view
    def body(self) -> str:
        """``text`` after the front matter; copied out only when asked for, as rules read ``text``
        from ``body_offset`` on."""
        return self.text[self.body_offset:]

    @classmethod
    def read(cls, fs_path: Path, display: str | None = None, root: Path | None = None,
             formats: tuple[FrontMatterFormat, ...] = (), max_size: float | None = None) -> "Document":
        """Read and decode a file; raises DocumentError for unreadable or non-UTF-8 files, for
        anything but a regular file, a symlink leaving ``root`` and a file over ``max_size`` MB."""
        text = cls.decode(cls.read_bytes(fs_path, root, max_size))
        return cls(display if display is not None else str(fs_path), text, fs_path, root, formats)

    @staticmethod
    def read_bytes(fs_path: Path, root: Path | None = None, max_size: float | None = None,
                   real_paths: RealPaths | None = None) -> bytes:
        """A file's bytes as ``read`` takes them (fixing reads them so too): DocumentError for
        anything but a regular file, a symlink leaving ``root`` or a file over ``max_size`` MB.
        ``real_paths`` are the run's, where the folders it has resolved are remembered."""
        try:
            return read_article(fs_path, root, max_size, real_paths)  # found in folders: a string
        except ReadRefused as exc:
            raise DocumentError(exc.rule, exc.message) from None
        except (OSError, ValueError) as exc:
            message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise DocumentError("read-error", f"cannot read file: {message}") from None

    @staticmethod
    def given_bytes(data: bytes, max_size: float | None = None) -> bytes:
        """Bytes given rather than read from a file (standard input), refused over ``max_size`` MB
        as ``read_bytes`` refuses a file."""
        if max_size is not None and len(data) > max_size * MB:
            raise DocumentError("too-large", f"standard input is larger than max-file-size ({max_size:g} MB): "
                                             "not linted")
        return data

    @staticmethod
    def decode(data: bytes) -> str:
        """The text of a file's bytes: UTF-8, a BOM removed; DocumentError when it is not UTF-8."""
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = data[:exc.start].decode("utf-8")
            line = before.count("\n") + 1
            column = len(before) - (before.rfind("\n") + 1) + 1
            raise DocumentError("encoding", f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                                "re-save it as UTF-8", line, column) from None

    @classmethod
    def from_bytes(cls, data: bytes, fs_path: Path | str, display: str | None = None, root: Path | None = None,
                   formats: tuple[FrontMatterFormat, ...] = ()) -> "Document":
        """The Document of bytes already read from ``fs_path`` (the map step reads each file once)."""
        return cls(display if display is not None else str(fs_path), cls.decode(data), fs_path, root, formats)

    def depends_on(self, *paths, on: str = "file") -> None:
        """Declare that this document's findings depend on these other files or folders (an
        image on disk): a cached result is reused only while each is unchanged. ``on`` says
        what counts: ``"file"`` its content and kind (size, times, inode), ``"exists"`` only
        whether it exists as a file or a folder, ``"spelling"`` how the names in its folder
        that differ from its own only in case are spelled."""
        if on not in ("file", "exists", "spelling"):
            raise ValueError(f"depends_on: on must be 'file', 'exists' or 'spelling', not {on!r}")
        self.dependencies.update((str(path), on) for path in paths)

    # -- positions -----------------------------------------------------------

    @view
    def _line_starts(self) -> list[int]:
        # each line but the first starts where a line break ends; all of it runs in C, and no
        # line is copied out (splitting the text into lines was a fifth slower)
        return [0, *map(re.Match.end, _LINE_BREAK.finditer(self.text))]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset into ``text``; columns count characters."""
        text = self.text
        if offset < 0:
            offset = 0
        elif offset > len(text):
            offset = len(text)
        starts = self.__dict__.get("_line_starts")  # the table if built (a view keeps it there), not building it
        if starts is None:
            # most articles ask for a few positions (where the body starts, a finding or two)
            # and none else: counting the line breaks before the offset reads only that stretch,
            # where the table of line starts reads the whole text and makes an object per line
            # (several times the cost of one count over it). A count goes on from the offset
            # counted last when this one is at or after it (a rule reports in order): the line
            # breaks before it are those before that offset and those between, and its line
            # starts after the last break between, or where that offset's line starts if none is.
            # Once the counts have read as much as the whole text, the table is built instead.
            last, breaks, line_start = self._last_counted
            if offset < last:
                last = breaks = line_start = 0
            counted = self._counted + offset - last
            if counted <= len(text):
                self._counted = counted
                breaks += text.count("\n", last, offset)
                line_start = max(line_start, text.rfind("\n", last, offset) + 1)
                self._last_counted = (offset, breaks, line_start)
                return breaks + 1, offset - line_start + 1
        starts = self._line_starts
        index = bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def offset(self, line: int, column: int) -> int:
        """Character offset of a 1-based (line, column)."""
        return self._line_starts[line - 1] + column - 1

    def deferred(self, offset: int, wait, end: int | None = None) -> Deferred:
        """A Deferred at ``offset``: ``wait()`` is called once every file is linted."""
        line, column = self.position(offset)
        end_line, end_column = self.position(end) if end is not None else (None, None)
        return Deferred(line, column, wait, end_line, end_column)

    def violation(self, offset: int, message: str, end: int | None = None,
                  severity: Severity | None = None, fix: tuple[Edit, ...] | Edit | None = None) -> Violation:
        """A Violation at ``offset`` (and ending at ``end``, if given), with its own ``severity``
        when it should not take the rule's configured one, and the edits that ``fix`` it."""
        # the edits built in with the rest, not by a _replace() after: a rule may fix every finding
        edits = () if not fix else (fix,) if isinstance(fix, Edit) else tuple(fix)
        starts = self.__dict__.get("_line_starts")
        if starts is None:  # (a first finding) position() may count line breaks without building the table
            line, column = self.position(offset)
            end_line, end_column = self.position(end) if end is not None else (None, None)
            return _new(Violation, (line, column, message, end_line, end_column, severity, edits))
        # position() written out: rules that report a problem per tag or comment call this a lot
        size = len(self.text)
        offset = 0 if offset < 0 else size if offset > size else offset
        index = bisect_right(starts, offset) - 1
        # (a Violation built from all its fields by ``_new``, without its Python-level __new__)
        if end is None:
            return _new(Violation, (index + 1, offset - starts[index] + 1, message, None, None, severity, edits))
        end = 0 if end < 0 else size if end > size else end
        end_index = bisect_right(starts, end) - 1
        return _new(Violation, (index + 1, offset - starts[index] + 1, message,
                                end_index + 1, end - starts[end_index] + 1, severity, edits))

    def locate(self, edits: tuple[Edit, ...]) -> tuple[Edit, ...]:
        """The edits with the positions of both ends filled in, for reports."""
        located = []
        starts = self.__dict__.get("_line_starts")
        size = len(self.text)
        for edit in edits:
            if starts is None:  # (a first fix) position() may count line breaks without building the table
                line, column = self.position(edit.start)
                end_line, end_column = self.position(edit.end)
                starts = self.__dict__.get("_line_starts")
            else:  # position() written out, as in violation(): rules may fix every finding
                start, end = edit.start, edit.end
                start = 0 if start < 0 else size if start > size else start
                end = 0 if end < 0 else size if end > size else end
                index = bisect_right(starts, start) - 1
                end_index = bisect_right(starts, end) - 1
                line, column, end_line, end_column = (index + 1, start - starts[index] + 1,
                                                      end_index + 1, end - starts[end_index] + 1)
            if type(edit) is Edit:  # (nearly every edit) built as _replace builds it, without its Python calls
                located.append(_new(Edit, (edit.start, edit.end, edit.replacement, line, column, end_line, end_column)))
            else:
                located.append(edit._replace(line=line, column=column, end_line=end_line, end_column=end_column))
        return tuple(located)

    def meta_offset(self, *keys: Any, value: bool = True) -> int | None:
        """Offset of a front-matter value (or of its key, with ``value=False``) by key path.

        Keys index mappings, integers index lists: ``doc.meta_offset("cover", "url")``.
        """
        fm = self.front_matter
        if fm is not None and fm.format is not None:
            span = self._key_spans.get(str(keys[0])) if len(keys) == 1 and self._key_spans else None
            if span is not None:  # a top-level key of built-in TOML or JSON
                return span.value if value else span.key
            return locate(self.text, fm, keys[0], value) if keys else None
        pair = self._meta_nodes(keys)
        return None if pair is None else self.mark_offset(pair[1 if value else 0].start_mark)

    def meta_span(self, *keys: Any) -> tuple[int, int] | None:
        """Where a front-matter value is written, from its first character to after its last
        (quotes, a block scalar's indicator and indentation included), by key path; for a
        plugin's syntax, the rest of the value's line."""
        fm = self.front_matter
        if fm is not None and fm.format is not None:
            span = self._key_spans.get(str(keys[0])) if len(keys) == 1 and self._key_spans else None
            if span is not None:  # a top-level key of built-in TOML or JSON
                return span.value, span.end
            start = locate(self.text, fm, keys[0], True) if keys else None
            if start is None:
                return None
            end = self.text.find("\n", start, fm.content_end)
            return start, end if end >= 0 else fm.content_end
        pair = self._meta_nodes(keys)
        return None if pair is None else (self.mark_offset(pair[1].start_mark), self.mark_offset(pair[1].end_mark))

    @cached_property
    def mdx(self) -> bool:
        """Whether the article is MDX (``.mdx``): a capitalised tag is a component, and an
        attribute written ``{…}`` a JSX expression, neither of them HTML."""
        return str(self.path).lower().endswith(".mdx")

    @cached_property
    def _key_spans(self) -> dict | None:
        """Where the top-level keys of built-in TOML or JSON front matter are written, read once
        (rules look a value up once per item of a list); None for another syntax."""
        fm = self.front_matter
        return key_spans(self.text, fm) if fm is not None and fm.format is not None else None

    def _meta_nodes(self, keys) -> tuple[yaml.Node, yaml.Node] | None:
        """The (key, value) nodes of a key path in the YAML front matter (an item's own node twice)."""
        fm = self.front_matter
        node = fm.node if fm else None
        pair = None
        for key in keys:
            pair = None
            if isinstance(node, yaml.MappingNode):
                name = str(key)
                for key_node, value_node in node.value:  # the last duplicate wins, as in meta
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == name:
                        pair = (key_node, value_node)
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
                pair = (node.value[key], node.value[key])
            if pair is None:
                return None
            node = pair[1]
        return pair

    def mark_offset(self, mark) -> int:
        """The offset of a YAML mark of the front matter. YAML counts a lone CR (and NEL, LS,
        PS) as a line break where the file's lines, as git counts them, do not."""
        fm = self.front_matter
        starts = self._yaml_line_starts
        if mark.line >= len(starts):
            return fm.content_end
        return min(starts[mark.line] + mark.column, fm.content_end)

    @view
    def _yaml_line_starts(self) -> list[int]:
        """The offset of each line of the YAML front matter, counted as YAML's marks count them."""
        fm = self.front_matter
        start, end = fm.content_start, fm.content_end
        if _YAML_ONLY_BREAK.search(self.text, start, end) is None:
            # only "\n" breaks its lines, as it does the file's: the file's line starts after
            # ``start`` up to ``end`` (which reports almost always need anyway) are the block's
            starts = self._line_starts
            return [start, *starts[bisect_right(starts, start):bisect_right(starts, end)]]
        breaks = YAML_BREAK.finditer(self.text, start, end)
        return [start] + [line_break.end() for line_break in breaks]

    # -- views of the body ----------------------------------------------------

    @view
    def scan(self) -> scanner.Scan:
        """Tags, comments, code and raw-text ranges of the body (see ``lintnews.scan``)."""
        return scanner.scan(self.text, self.body_offset, len(self.text))

    @view
    def _code_starts(self) -> list[int]:
        return [start for start, _ in self.scan.code]

    def code_within(self, start: int, end: int) -> bool:
        """Whether a piece of the body's code (a code block or span) starts before ``end`` and
        ends after ``start``: found by bisection, the scan's code being in order and its pieces
        apart (the last piece starting before ``end`` is the one ending last)."""
        at = bisect_left(self._code_starts, end) - 1
        return at >= 0 and self.scan.code[at][1] > start

    @view
    def markdown(self) -> str:
        """``text`` with front matter, code and HTML comments blanked: for Markdown constructs."""
        scan = self.scan
        return scanner.blank(self.text, [*scan.code, *map(_COMMENT_SPAN, scan.comments), (0, self.body_offset)])

    @view
    def hidden(self) -> list[tuple[int, int]]:
        """What a reader does not see of the body, in order (ranges may overlap): code,
        comments, tags and script or style contents; ``prose`` blanks exactly these."""
        scan = self.scan
        return sorted([*scan.code, *map(_COMMENT_SPAN, scan.comments), *self._prose_holes])

    @view
    def prose(self) -> str:
        """``text`` as a reader sees it: also tags and script/style contents blanked."""
        return scanner.blank(self.markdown, self._prose_holes)

    def prose_between(self, start: int, end: int) -> str:
        """``prose[start:end]``, blanking only that stretch: cheaper when a rule reads a few lines."""
        if "prose" in self.__dict__:
            return self.prose[start:end]
        holes = self._prose_holes
        first = max(0, bisect_right(self._prose_hole_starts, start) - 1)
        inside = []
        for index in range(first, len(holes)):  # not holes[first:]: a copy per call is quadratic
            hole_start, hole_end = holes[index]
            if hole_start >= end:
                break
            if hole_end > start:
                inside.append((max(hole_start, start) - start, min(hole_end, end) - start))
        return scanner.blank(self.markdown[start:end], inside)

    # -- HTML that renders as code ---------------------------------------------

    @view
    def html_code(self) -> tuple[tuple[int, int], ...]:
        """Indented code blocks of the article's own HTML: markup indented four spaces after a
        blank line, which CommonMark renders as a code block, so readers see its source (a
        tutorial's sample is no such block: see ``_HTML_START``)."""
        text = self.text
        found = []
        for start, end in self.scan.indented:
            match = _HTML_START.match(text, start, end)
            if match is None:
                continue
            name = match.group(1) or match.group(2)
            name = name and name.lower()
            previous = _line_before(text, start)
            if previous.startswith("<") or ((name is None or name in _ARTICLE_MARKUP) and (
                    name in _CODE_WRAPPERS or not previous.endswith(_INTRODUCING) or _HAN.search(text, start, end))):
                found.append((start, end))
        return tuple(found)

    @view
    def html_code_scan(self) -> scanner.Scan:
        """Tags, comments and raw text of ``html_code``, tokenised as if the markup were live."""
        parts = [scanner.scan(self.text, start, end, blocks=False) for start, end in self.html_code]
        if len(parts) == 1:  # (most articles that have any) the one block's scan is already the whole
            return parts[0]
        return scanner.Scan(tuple(t for part in parts for t in part.tags),
                            tuple(c for part in parts for c in part.comments),
                            tuple(c for part in parts for c in part.code),
                            tuple(r for part in parts for r in part.raw_text))

    @view
    def source_tags(self) -> tuple[scanner.Tag, ...]:
        """``scan.tags`` and the tags of ``html_code``, in order: the source site's markup,
        for rules about its residue, which is there whether or not it renders."""
        tags = self.scan.tags
        if not self.html_code:
            return tags
        inner = self.html_code_scan.tags
        if not inner:
            return tags
        # each block's tags go in whole where the block starts: none of the body's tags are inside it
        at = bisect_right(tags, inner[0].offset, key=_TAG_OFFSET)
        if len(self.html_code) == 1 or at == len(tags) or tags[at].offset > inner[-1].offset:
            return tags[:at] + inner + tags[at:]
        return tuple(sorted(tags + inner, key=lambda tag: tag.offset))

    @view
    def source_prose(self) -> str:
        """``prose``, with the text of ``html_code`` kept as the source site's HTML shows it
        (its tags, comments and raw text blanked)."""
        if not self.html_code:
            return self.prose
        inner = self.html_code_scan
        holes = sorted([*map(_COMMENT_SPAN, inner.comments), *map(_TAG_SPAN, inner.tags), *inner.raw_text,
                        *inner.code])
        parts, pos, prose = [], 0, self.prose
        for start, end in self.html_code:  # only these stretches differ from prose
            # a block's holes are those starting in it, found by bisection (not by reading every
            # hole per block: quadratic on thousands of blocks); each ends within its block, as
            # the block's scan stops at its end, so it needs only shifting to the block's offsets
            own = holes[bisect_left(holes, (start,)):bisect_left(holes, (end,))]
            inside = [(a - start, b - start) for a, b in own]
            parts += [prose[pos:start], scanner.blank(self.text[start:end], inside)]
            pos = end
        parts.append(prose[pos:])
        return "".join(parts)

    @view
    def _prose_holes(self) -> list[tuple[int, int]]:
        scan = self.scan  # each tag's span taken in C: an article's tags are many
        return sorted([*map(_TAG_SPAN, scan.tags), *scan.raw_text])

    @view
    def _prose_hole_starts(self) -> list[int]:
        return [start for start, _ in self._prose_holes]

    @view
    def html(self):
        """The body parsed by lxml (a ``<div>`` wrapping it), built on first use."""
        from lxml import etree
        from lxml import html as lxml_html

        try:
            return lxml_html.fragment_fromstring(self.body, create_parent="div")
        except (etree.ParserError, ValueError):
            return lxml_html.Element("div")

    def html_line(self, element) -> int:
        """The file line of an element of ``html`` (lxml knows lines, not columns)."""
        return self.position(self.body_offset)[0] + (element.sourceline or 1) - 1


def _line_before(text: str, start: int) -> str:
    """The line before the one at ``start``, blank lines aside, without its spaces; "" where
    there is none within ``_INTRODUCTION_GAP`` blank characters."""
    at, stop = start, max(0, start - _INTRODUCTION_GAP)
    while at > stop and text[at - 1] in " \t\r\n\u3000":
        at -= 1
    if at == 0 or text[at - 1] in " \t\r\n\u3000":
        return ""
    return text[text.rfind("\n", 0, at) + 1:at].strip()

"""The Document: one article read and split once, with exact positions for every offset."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import accumulate
from pathlib import Path
from typing import Any, Callable

import yaml

from . import scan as scanner
from .violation import Deferred, Severity, Violation

try:  # libyaml keeps marks and is several times faster
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader


class _Loader(_BaseLoader):
    """Safe loading, except that an impossible timestamp (``2022-02-30``) stays a string
    for ``front-matter-date`` to report, instead of failing the whole block."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

_FENCE = re.compile(r"-{3,}[ \t\r\f\v]*")
_CLOSING_FENCE = re.compile(r"^-{3,}[ \t\r\f\v]*$", re.MULTILINE)  # _FENCE as a whole line
_LINE = re.compile(r"[^\n]*\n?")
# what YAML counts as a line break, for turning its marks into offsets
_YAML_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


class DocumentError(Exception):
    """A file that cannot be read as text; ``line`` and ``column`` say where, if known."""

    def __init__(self, rule: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.rule, self.message, self.line, self.column = rule, message, line, column


class FrontMatterError(ValueError):
    """Raised by a front-matter format's ``load``: what is wrong, and where in the block."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class FrontMatterFormat:
    """A front-matter syntax a plugin teaches the Document (YAML between ``---`` is built in).

    ``fence`` is a regular expression for the whole line that opens and closes the
    block (``r"\\+{3,}"`` for Hugo's TOML); ``load(source) -> dict`` reads the block,
    raising ``FrontMatterError(message, offset)`` (or any ValueError) when it cannot;
    ``locate(source, key) -> offset | None``, if given, finds a top-level key's value
    (by default a line starting with the key followed by ``=`` or ``:``).
    """

    name: str
    fence: str
    load: Callable[[str], dict]
    locate: Callable[[str, str], int | None] | None = None


@dataclass(frozen=True)
class FrontMatter:
    """The front-matter block: where it lies and what it holds.

    ``start`` is the offset of the opening ``---``; ``content_start``/``content_end``
    delimit the YAML; ``end`` is the offset just after the closing line (the body's
    start). ``error`` is (message, offset) when the block is unclosed or not a mapping.
    """

    start: int
    content_start: int
    content_end: int
    end: int
    closed: bool
    node: Any = None
    error: tuple[str, int] | None = None
    format: FrontMatterFormat | None = None  # None: the built-in YAML


class Document:
    """An article: ``text`` as read (BOM removed), ``meta``, ``body`` and position helpers.

    ``path`` is the path as shown in reports, ``fs_path`` where the file is, ``root``
    the project root (the config file's folder or the repository root).
    """

    def __init__(self, path: str, text: str, fs_path: Path | None = None, root: Path | None = None,
                 formats: tuple[FrontMatterFormat, ...] = ()) -> None:
        self.path = path
        self.fs_path = fs_path if fs_path is not None else Path(path)
        self.root = root if root is not None else Path.cwd()
        self.cache: dict = {}  # where rules share work on this document, keyed by a name of their own
        self.run_cache: dict = {}  # shared by every document of a run (the runner sets it)
        self.text = text
        self.front_matter = _split_front_matter(text, formats)
        self.meta: dict = {}
        if self.front_matter is not None and self.front_matter.closed:
            if self.front_matter.format is None:
                self.front_matter, self.meta = _parse_front_matter(text, self.front_matter)
            else:
                self.front_matter, self.meta = _load_front_matter(text, self.front_matter)
        self.body_offset = self.front_matter.end if self.front_matter else 0
        self.body = text[self.body_offset:]

    @classmethod
    def read(cls, fs_path: Path, display: str | None = None, root: Path | None = None,
             formats: tuple[FrontMatterFormat, ...] = ()) -> "Document":
        """Read and decode a file; raises DocumentError for unreadable or non-UTF-8 files."""
        try:
            data = fs_path.read_bytes()
        except OSError as exc:
            raise DocumentError("read-error", f"cannot read file: {exc.strerror or exc}") from None
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = data[:exc.start].decode("utf-8")
            line = before.count("\n") + 1
            column = len(before) - (before.rfind("\n") + 1) + 1
            raise DocumentError("encoding", f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                                "re-save it as UTF-8", line, column) from None
        return cls(display if display is not None else str(fs_path), text, fs_path, root, formats)

    # -- positions -----------------------------------------------------------

    @cached_property
    def _line_starts(self) -> list[int]:
        # each line starts one past the end of the previous one; all of it runs in C
        return [0, *accumulate(map((1).__add__, map(len, self.text.split("\n")[:-1])))]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset into ``text``; columns count characters."""
        if offset < 0:
            offset = 0
        elif offset > len(self.text):
            offset = len(self.text)
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
                  severity: Severity | None = None) -> Violation:
        """A Violation at ``offset`` (and ending at ``end``, if given), with its own ``severity``
        when it should not take the rule's configured one."""
        # position() written out: rules that report a problem per tag or comment call this a lot
        starts, size = self._line_starts, len(self.text)
        offset = 0 if offset < 0 else size if offset > size else offset
        index = bisect_right(starts, offset) - 1
        if end is None:
            return Violation(index + 1, offset - starts[index] + 1, message, None, None, severity)
        end = 0 if end < 0 else size if end > size else end
        end_index = bisect_right(starts, end) - 1
        return Violation(index + 1, offset - starts[index] + 1, message,
                         end_index + 1, end - starts[end_index] + 1, severity)

    def meta_offset(self, *keys: Any, value: bool = True) -> int | None:
        """Offset of a front-matter value (or of its key, with ``value=False``) by key path.

        Keys index mappings, integers index lists: ``doc.meta_offset("cover", "url")``.
        """
        fm = self.front_matter
        if fm is not None and fm.format is not None:
            return _locate(self.text, fm, keys[0], value) if keys else None
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
        if pair is None:
            return None
        mark = (pair[1] if value else pair[0]).start_mark
        starts = self._yaml_line_starts
        if mark.line >= len(starts):
            return fm.content_end
        return min(starts[mark.line] + mark.column, fm.content_end)

    @cached_property
    def _yaml_line_starts(self) -> list[int]:
        """The offset of each line of the YAML front matter, counted as YAML's marks count them."""
        fm = self.front_matter
        breaks = _YAML_BREAK.finditer(self.text, fm.content_start, fm.content_end)
        return [fm.content_start] + [line_break.end() for line_break in breaks]

    # -- views of the body ----------------------------------------------------

    @cached_property
    def scan(self) -> scanner.Scan:
        """Tags, comments, code and raw-text ranges of the body (see ``lintnews.scan``)."""
        return scanner.scan(self.text, self.body_offset, len(self.text))

    @cached_property
    def markdown(self) -> str:
        """``text`` with front matter, code and HTML comments blanked: for Markdown constructs."""
        holes = list(self.scan.code) + [(c.offset, c.end) for c in self.scan.comments]
        return scanner.blank(self.text, holes + [(0, self.body_offset)])

    @cached_property
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
        for hole_start, hole_end in holes[first:]:
            if hole_start >= end:
                break
            if hole_end > start:
                inside.append((max(hole_start, start) - start, min(hole_end, end) - start))
        return scanner.blank(self.markdown[start:end], inside)

    @cached_property
    def _prose_holes(self) -> list[tuple[int, int]]:
        return sorted([(t.offset, t.end) for t in self.scan.tags] + list(self.scan.raw_text))

    @cached_property
    def _prose_hole_starts(self) -> list[int]:
        return [start for start, _ in self._prose_holes]

    @cached_property
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


def _split_front_matter(text: str, formats: tuple[FrontMatterFormat, ...] = ()) -> FrontMatter | None:
    """Find the fences as python-frontmatter does (blank lines may come first): YAML's
    ``---``, or the fence of a plugin's format."""
    pos = 0
    for line in _LINE.finditer(text):
        content = line.group().rstrip("\n")
        if not content.strip():
            if not line.group():
                return None
            continue
        fence, chosen = _FENCE, None
        if not fence.fullmatch(content):
            chosen = next((f for f in formats if re.fullmatch(rf"(?:{f.fence})[ \t\r\f\v]*", content)), None)
            if chosen is None:
                return None
            fence = re.compile(rf"(?:{chosen.fence})[ \t\r\f\v]*")
        pos = line.end()
        start = line.start()
        break
    else:
        return None
    if chosen is None:  # YAML's "---": one search for the closing line
        closing = _CLOSING_FENCE.search(text, pos)
        if closing:
            line_end = closing.end() + 1 if closing.end() < len(text) else closing.end()  # after its "\n"
            return FrontMatter(start, pos, closing.start(), line_end, True)
    else:
        for line in _LINE.finditer(text, pos):
            if not line.group():
                break
            if fence.fullmatch(line.group().rstrip("\n")):
                return FrontMatter(start, pos, line.start(), line.end(), True, format=chosen)
    closing = content.strip()
    return FrontMatter(start, pos, len(text), pos, False, format=chosen,
                       error=(f"front matter is not closed: no '{closing}' line ends it", start))


def _load_front_matter(text: str, fm: FrontMatter) -> tuple[FrontMatter, dict]:
    """Read a block in a plugin's syntax; its errors become front-matter-syntax findings."""
    source = text[fm.content_start:fm.content_end]
    try:
        data = fm.format.load(source)
    except FrontMatterError as exc:
        offset = fm.content_start + max(0, min(exc.offset, len(source)))
        return replace(fm, error=(f"front matter is not valid {fm.format.name}: {exc}", offset)), {}
    except Exception as exc:  # a parser may fail in any way on bad input; it must not stop the run
        return replace(fm, error=(f"front matter is not valid {fm.format.name}: {exc}", fm.content_start)), {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        return replace(fm, error=(f"front matter must be a mapping of keys, not a {kind}", fm.content_start)), {}
    return fm, data


def _locate(text: str, fm: FrontMatter, key, value: bool) -> int | None:
    source = text[fm.content_start:fm.content_end]
    if fm.format.locate is not None:
        found = fm.format.locate(source, str(key))
        return None if found is None else fm.content_start + found
    match = re.search(rf"^[ \t]*[\"']?{re.escape(str(key))}[\"']?[ \t]*[=:][ \t]*", source, re.MULTILINE)
    if match is None:
        return None
    return fm.content_start + (match.end() if value else match.start() + len(match.group()) - len(match.group().lstrip()))


def _parse_front_matter(text: str, fm: FrontMatter) -> tuple[FrontMatter, dict]:
    source = text[fm.content_start:fm.content_end]
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        if node is not None:
            node, data = _construct(source, loader, node)
        else:
            data = {}
    except yaml.MarkedYAMLError as exc:
        offset = _mark_offset(source, fm, exc.problem_mark)
        if offset >= fm.content_end and exc.context_mark is not None:
            # "found unexpected end of stream": the opening quote or bracket is the useful place
            offset = _mark_offset(source, fm, exc.context_mark)
        problem = "; ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        return replace(fm, error=(f"front matter is not valid YAML: {problem}", offset)), {}
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        return replace(fm, error=(f"front matter is not valid YAML: {exc}", fm.content_start)), {}
    finally:
        loader.dispose()
    if data is None:
        return fm, {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        return replace(fm, error=(f"front matter must be a mapping of keys, not a {kind}", fm.content_start)), {}
    return replace(fm, node=node), data


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


class _Unusual(Exception):
    """A node that the direct construction leaves to PyYAML."""


def _construct(source: str, loader: _Loader, node: yaml.Node) -> tuple[yaml.Node, Any]:
    """``node`` and what ``loader.construct_document(node)`` returns, built directly where
    that is plain: front matter is mostly strings, lists and mappings with string keys,
    on which PyYAML's constructor spends most of the parse. Other scalars (dates, numbers,
    booleans) go to the loader. Anything unusual (merge keys, aliased collections, other
    tags, an error) is parsed and built again by PyYAML alone, so that the result, the
    node (which PyYAML rewrites for merge keys) and any error are exactly PyYAML's."""
    try:
        return node, _construct_plain(loader, node, set())
    except Exception:
        fresh = _Loader(source)
        try:
            node = fresh.get_single_node()
            return node, fresh.construct_document(node)
        finally:
            fresh.dispose()


def _construct_plain(loader: _Loader, node: yaml.Node, seen: set[int]) -> Any:
    kind = type(node)
    if kind is yaml.ScalarNode:
        return node.value if node.tag == _STR else loader.construct_object(node)
    if id(node) in seen:
        raise _Unusual("an alias of a collection")
    seen.add(id(node))
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return [_construct_plain(loader, item, seen) for item in node.value]
    if kind is yaml.MappingNode and node.tag == _MAP:
        data = {}
        for key, value in node.value:
            if type(key) is not yaml.ScalarNode or key.tag != _STR:
                raise _Unusual("a key that is not a string (or a merge key)")
            data[key.value] = _construct_plain(loader, value, seen)
        return data
    raise _Unusual(f"a {kind.__name__} tagged {node.tag}")


def _mark_offset(source: str, fm: FrontMatter, mark) -> int:
    """The file offset of a YAML mark (0-based line and column in YAML's own line breaks)."""
    if mark is None:
        return fm.content_start
    line_start = 0
    if mark.line:
        for count, match in enumerate(_YAML_BREAK.finditer(source), 1):
            if count == mark.line:
                line_start = match.end()
                break
        else:
            return fm.content_end
    return min(fm.content_start + line_start + mark.column, fm.content_end)

"""Front matter: finding the block, reading it (YAML and metadata headers built in, other
syntaxes from plugins), and turning the parser's marks into exact offsets of the file."""
from __future__ import annotations

import datetime as dt
import operator
import re
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any, Callable, NamedTuple

import yaml

from .lazy_re import LazyPattern, lazy_compile

try:  # libyaml keeps marks and is several times faster
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader


class _Loader(_BaseLoader):
    """Safe loading, except that an impossible timestamp (``2022-02-30``) stays a string
    for ``front-matter-date`` to report, instead of failing the whole block."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        if not self.yaml_path_resolvers:
            # libyaml calls ``descend_resolver(parent, index)`` and ``ascend_resolver()`` around
            # every node, and without path resolvers PyYAML's do nothing: these C functions do
            # nothing either (what they return is not used), without a Python frame per node
            self.descend_resolver = operator.is_
            self.ascend_resolver = int

    def resolve(self, kind, value, implicit):
        """PyYAML's ``resolve``, its tables joined once (``_IMPLICIT``): libyaml asks it for the
        tag of every node, and front matter is mostly scalars. Without path resolvers (none is
        added to this class) a scalar's tag is the first implicit one matching, else str's, and
        a collection's is the default for its kind."""
        if self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        if kind is _SCALAR_NODE:
            if implicit[0]:
                resolvers = _IMPLICIT.get(value[:1], _WILDCARD)  # "" for the empty value, as PyYAML
                if resolvers is not None:
                    found = resolvers.match(value)
                    if found is not None:
                        return _TAG_OF[found.lastgroup]
            return self.DEFAULT_SCALAR_TAG
        if kind is _MAPPING_NODE:
            return self.DEFAULT_MAPPING_TAG
        if kind is _SEQUENCE_NODE:
            return self.DEFAULT_SEQUENCE_TAG
        return super().resolve(kind, value, implicit)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_SCALAR_NODE, _MAPPING_NODE, _SEQUENCE_NODE = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
_FLAGS = (("x", re.VERBOSE), ("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL))


def _first_matching(resolvers) -> LazyPattern | None:
    """One pattern for a list of PyYAML's implicit resolvers, read as ``resolve`` reads them,
    the first whose pattern matches giving the tag: their patterns as the alternatives of one,
    in order, each a named group (``_TAG_OF`` names its tag), so that one ``match`` in C tells
    what the list told trying one pattern after another (an alternative is tried where those
    before it do not match). Each keeps its own flags. None for an empty list."""
    alternatives = []
    for tag, pattern in resolvers:
        if pattern.flags & ~(re.VERBOSE | re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE):
            raise ValueError(f"a resolver's pattern has flags {pattern.flags}")
        name = _TAG_NAMES.setdefault(tag, f"t{len(_TAG_NAMES)}")
        flags = "".join(letter for letter, flag in _FLAGS if pattern.flags & flag)
        # (a line break ends a comment of a verbose pattern, if it ends with one)
        alternatives.append(f"(?P<{name}>(?{flags}:{pattern.pattern}\n))" if "x" in flags
                            else f"(?P<{name}>(?{flags}:{pattern.pattern}))" if flags
                            else f"(?P<{name}>{pattern.pattern})")
    if not alternatives:
        return None
    joined = "|".join(alternatives)  # (the ten digits share theirs, compiled on first use)
    return _JOINED.setdefault(joined, lazy_compile(joined))


# PyYAML's implicit resolvers by a scalar's first character, each list followed by those for any
# character: what ``resolve`` looks up and tries for every scalar, joined once into one pattern
_TAG_NAMES: dict[str, str] = {}
_JOINED: dict[str, LazyPattern] = {}
try:
    _WILDCARD = _first_matching(_Loader.yaml_implicit_resolvers.get(None, ()))
    _IMPLICIT = {first: _first_matching((*resolvers, *_Loader.yaml_implicit_resolvers.get(None, ())))
                 for first, resolvers in _Loader.yaml_implicit_resolvers.items() if first is not None}
except ValueError:  # pragma: no cover - a PyYAML whose patterns take other flags: its own resolve
    del _Loader.resolve
_TAG_OF = {name: tag for tag, name in _TAG_NAMES.items()}

_FENCE = lazy_compile(r"-{3,}[ \t\r\f\v]*")
# _FENCE as a whole line, after the line break that ends the line before it: searched for from
# that break on, a literal first lets the regex engine skip ahead to line breaks ("^" is tried
# at every character)
_CLOSING_FENCE_AFTER_BREAK = lazy_compile(r"\n-{3,}[ \t\r\f\v]*$", re.MULTILINE)
_LINE = lazy_compile(r"[^\n]*\n?")
# Front matter is a few dozen values; aliases can make a few hundred bytes stand for billions
# (or for a loop), which every rule walking ``meta`` would then walk.
MAX_VALUES, MAX_DEPTH = 10_000, 64

# what YAML counts as a line break, for turning its marks into offsets
YAML_BREAK = lazy_compile(r"\r\n|[\n\r\x85\u2028\u2029]")


class FrontMatterError(ValueError):
    """Raised by a front-matter format's ``load``: what is wrong, and where in the block."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class FrontMatterFormat:
    """A front-matter syntax a plugin teaches the Document (YAML between ``---``, Hugo's TOML
    between ``+++`` and JSON object, and metadata headers are built in; a plugin's format
    for a fence comes before the built-in one).

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


def split_front_matter(text: str, formats: tuple[FrontMatterFormat, ...] = ()) -> FrontMatter | None:
    """Find the fences as python-frontmatter does (blank lines may come first): YAML's
    ``---``, the fence of a plugin's format, a run of metadata-header lines, or Hugo's TOML
    between ``+++`` lines or JSON object."""
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
                if content.startswith("[#]:"):
                    return _header_block(text, line.start())
                if _JSON_OPENING.fullmatch(content) or _JSON_KEY_OPENING.match(content):
                    return _json_block(text, line.start())
                if not _TOML_FENCE.fullmatch(content):
                    return None
                chosen = TOML
            fence = re.compile(rf"(?:{chosen.fence})[ \t\r\f\v]*")
        pos = line.end()
        start = line.start()
        break
    else:
        return None
    if chosen is None:  # YAML's "---": one search for the closing line, from the "\n" before ``pos``
        closing = _CLOSING_FENCE_AFTER_BREAK.search(text, pos - 1)  # (pos: after the opening line)
        if closing:
            line_end = closing.end() + 1 if closing.end() < len(text) else closing.end()  # after its "\n"
            return FrontMatter(start, pos, closing.start() + 1, line_end, True)
    else:
        for line in _LINE.finditer(text, pos):
            if not line.group():
                break
            if fence.fullmatch(line.group().rstrip("\n")):
                return FrontMatter(start, pos, line.start(), line.end(), True, format=chosen)
    closing = content.strip()
    return FrontMatter(start, pos, len(text), pos, False, format=chosen,
                       error=(f"front matter is not closed: no '{closing}' line ends it", start))


# ``[#]: key: "value"`` or ``[#]: key: (value)``: a Markdown link-reference definition, so
# renderers print nothing of it (the header of LCTT-style translation repositories). The value
# is the rest of the line up to its last character that is no space, tab or CR: read greedily
# to the line's end and given back only over the trailing blanks (a lazy value, which tries to
# end the line after every one of its characters, took twice as long)
_HEADER_LINE = lazy_compile(r"\[#\]:[ \t]*(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?![^ \t\r\n])[ \t]*"
                          r"(?P<value>(?:[^\n]*[^ \t\r\n])?)[ \t\r]*(?:\n|\Z)")


def _load_headers(source: str) -> dict:
    """The header lines as a mapping; quotes or parentheses around a value are not part of it."""
    data = {}
    for match in _HEADER_LINE.finditer(source):
        value = match.group("value")
        if len(value) >= 2 and (value[0], value[-1]) in (('"', '"'), ("(", ")"), ("'", "'")):
            value = value[1:-1]
        data[match.group("key")] = value
    return data


def _locate_header(source: str, key: str, value: bool = True) -> int | None:
    match = re.search(rf"^\[#\]:[ \t]*({re.escape(key)})[ \t]*:[ \t]*", source, re.MULTILINE)
    return None if match is None else match.end() if value else match.start(1)


METADATA_HEADERS = FrontMatterFormat("metadata headers", r"\[#\]:.*", _load_headers, _locate_header)


def _header_block(text: str, start: int) -> FrontMatter | None:
    """The metadata-header lines from ``start`` on, as a front-matter block that needs no fence."""
    end = start
    while end < len(text) and (match := _HEADER_LINE.match(text, end)):
        end = match.end()
    if end == start:
        return None
    content_end = end - 1 if text[end - 1:end] == "\n" else end
    return FrontMatter(start, start, content_end, end, True, format=METADATA_HEADERS)


# Front matter in Hugo's other syntaxes: TOML between "+++" lines, and a JSON object opening the
# file (its "{" alone on the first line). Built in after the plugins' formats, so a plugin's
# reader for either comes first.
_TOML_FENCE = lazy_compile(r"\+{3}[ \t\r\f\v]*")
_JSON_OPENING = lazy_compile(r"\{[ \t\r\f\v]*")
# an object whose first key is on its opening line ('{"title": "x"}' on one line, which Hugo reads as
# front matter too): a "{" and a quote, as no template tag ("{{<", "{%") or MDX expression starts
_JSON_KEY_OPENING = lazy_compile(r'\{[ \t]*"')
_JSON_CLOSING = lazy_compile(r"^\}[ \t\r\f\v]*$", re.MULTILINE)  # where a broken object is taken to end
_TOML_WHERE = lazy_compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")


# A key of MAX_DEPTH dotted parts or more, as a line, a table header, an inline table or an
# array of tables begins one (group 1): tomllib takes time and memory with the square of a
# key's parts (50,000 took 50 s and 10 GB), and the mapping it makes nests too deep to be read
# anyway (``_too_big``). Found before it parses; the parts are TOML's bare and quoted keys.
_TOML_PART = r"""(?:[A-Za-z0-9_-]++|"(?:[^"\\\n]|\\.)*+"|'[^'\n]*+')"""
# TOML's strings, multi-line ones first: text in them is no key ("""…p0.p1.….p70…""")
_TOML_ANY_STRING = lazy_compile(r'"""[\s\S]*?"""' r"|'''[\s\S]*?'''" r"""|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'""")
_DEEP_TOML_KEY = lazy_compile(rf"(?:^|[\[{{,])[ \t]*+({_TOML_PART}(?:[ \t]*+\.[ \t]*+{_TOML_PART}){{{MAX_DEPTH - 1},}})",
                              re.MULTILINE)


def _load_toml(source: str) -> dict:
    """The TOML block as a mapping; its errors with the place tomllib names, as an offset."""
    import tomllib  # only Hugo's TOML front matter needs it

    deep = _DEEP_TOML_KEY.search(source)
    if deep is not None:  # looked for again with each string written as a bare key of its length
        deep = _DEEP_TOML_KEY.search(_TOML_ANY_STRING.sub(lambda string: "s" * len(string.group()), source))
    if deep is not None:
        raise FrontMatterError(f"a dotted key of {MAX_DEPTH} parts or more nests deeper than {MAX_DEPTH} levels",
                               deep.start(1))
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _TOML_WHERE.search(message)
        if where is None:
            raise FrontMatterError(message) from None
        offset = len(source)  # "at end of document"
        if where.group(1):
            line, column = int(where.group(1)), int(where.group(2))
            starts = [0, *(match.end() for match in re.finditer("\n", source))]
            offset = starts[min(line, len(starts)) - 1] + column - 1
        raise FrontMatterError(message[:where.start()], offset) from None
    except RecursionError:
        raise FrontMatterError("nests deeper than Python reads") from None


def _load_json(source: str) -> dict:
    """The JSON object as a mapping; its errors with the offset json names."""
    import json

    try:
        return json.loads(source)
    except json.JSONDecodeError as exc:
        raise FrontMatterError(exc.msg.removesuffix(" at"), exc.pos) from None  # "Invalid control character at"
    except RecursionError:
        raise FrontMatterError("nests deeper than Python reads") from None


class KeySpan(NamedTuple):
    """Where a top-level key of a TOML or JSON block is written: the key (its quote, if quoted),
    and its value from its first character to after its last; offsets into the block."""

    name: str
    key: int
    value: int
    end: int


# JSON's strings and punctuation: what the top-level keys are found among
_JSON_TOKEN = lazy_compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]')
_SPACE = lazy_compile(r"[ \t\r\n]*")


def json_keys(source: str) -> list[KeySpan]:
    """The top-level keys of a JSON object, in order (a key written twice, twice)."""
    import json

    found: list[KeySpan] = []
    depth, key, start = 0, None, -1  # the key read at depth 1 and where its value starts
    for token in _JSON_TOKEN.finditer(source):
        text = token.group()
        if text in "{[":
            depth += 1
        elif text in "}]" or text == ",":
            if depth == 1 and key is not None and start >= 0:
                end = token.start()
                while end > start and source[end - 1] in " \t\r\n":
                    end -= 1
                found.append(KeySpan(key[0], key[1], start, end))
                key, start = None, -1
            if text != ",":
                depth -= 1
        elif text == ":":
            if depth == 1 and key is not None:
                start = _SPACE.match(source, token.end()).end()
        elif depth == 1 and key is None:
            try:
                name = json.loads(text)
            except ValueError:
                name = text[1:-1]
            key = (name, token.start())
    return found


# a top-level TOML key line (bare or quoted key); a table header ends the top level
_TOML_KEY = lazy_compile(r"[ \t]*(?:\"((?:[^\"\\\n]|\\.)*)\"|'([^'\n]*)'|([A-Za-z0-9_-]+))[ \t]*=[ \t]*")
_TOML_TABLE = lazy_compile(r"[ \t]*\[")


def toml_keys(source: str) -> list[KeySpan]:
    """The top-level keys of a TOML block, in order: the lines before its first table header
    that assign a bare or quoted key, outside multi-line strings; each value runs to its line's end."""
    found: list[KeySpan] = []
    quote = None  # the delimiter of a multi-line string the line is inside
    depth = 0  # how many brackets of a multi-line array are open
    pos = 0
    for line in source.split("\n"):  # TOML's lines end at "\n" alone (not at U+2028, as splitlines has it)
        start, pos = pos, pos + len(line) + 1
        if quote is None and depth == 0:
            if _TOML_TABLE.match(line):
                break
            match = _TOML_KEY.match(line)
            if match is not None:
                name = next(group for group in match.groups() if group is not None)
                end = start + len(line.rstrip(" \t\r"))
                key = match.start(match.lastindex) - (match.lastindex < 3)  # a quoted key from its quote
                found.append(KeySpan(name, start + key, start + match.end(), end))
        if quote is None and "[" in line or depth:
            code = _TOML_STRINGS.sub("", line).split("#", 1)[0]  # no string, no comment: brackets only
            depth = max(depth + code.count("[") - code.count("]"), 0)
        for delimiter in ('"""', "\'\'\'"):  # an odd count opens or closes a multi-line string
            if (quote is None or quote == delimiter) and line.count(delimiter) % 2:
                quote = None if quote == delimiter else delimiter
    return found


# TOML's one-line strings, taken out of a line before its brackets are counted
_TOML_STRINGS = lazy_compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')


TOML = FrontMatterFormat("TOML", r"\+{3}", _load_toml)
JSON = FrontMatterFormat("JSON", r"\{", _load_json)


def _json_block(text: str, start: int) -> FrontMatter | None:
    """The JSON object at ``start`` (a "{" line, or a "{" and its first key, opening the file) as a
    front-matter block: it runs to the object's end, as Hugo reads it, or, where the object is
    broken, to the first "}" line; None when there is neither (no front matter: a "{" that opens
    something else)."""
    import json

    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except (ValueError, RecursionError):
        closing = _JSON_CLOSING.search(text, start)
        if closing is None:
            return None
        end = closing.end()
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end + 1
    return FrontMatter(start, start, end, line_end, True, format=JSON)


def read_yaml(source: str) -> Any:
    """What lintnews reads of the YAML ``source``, as it reads front matter (libyaml where
    PyYAML has it, several times faster than PyYAML's own reader; an impossible date kept as
    text); raises ``yaml.YAMLError`` where it is not YAML."""
    return yaml.load(source, Loader=_Loader)


def load_front_matter(text: str, fm: FrontMatter) -> tuple[FrontMatter, dict]:
    """Read a block in a plugin's syntax; its errors become front-matter-syntax findings."""
    source = text[fm.content_start:fm.content_end]
    try:
        data = fm.format.load(source)
    except FrontMatterError as exc:
        offset = fm.content_start + max(0, min(exc.offset, len(source)))
        return replace(fm, error=(f"front matter is not valid {fm.format.name}: {exc}", offset)), {}
    except (Exception, SystemExit) as exc:  # a parser may fail in any way on bad input; it must not stop the run
        return replace(fm, error=(_problem(exc, fm.format.name), fm.content_start)), {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        return replace(fm, error=(f"front matter must be a mapping of keys, not a {kind}", fm.content_start)), {}
    problem = _too_big(data)
    if problem is not None:
        return replace(fm, error=(f"front matter {problem}", fm.content_start)), {}
    return fm, data


def _problem(exc: Exception, syntax: str) -> str:
    """What a parser's failure says of the block: a number longer than Python converts (its
    message would advise sys.set_int_max_str_digits()) is said plainly."""
    if isinstance(exc, ValueError) and "int_max_str_digits" in str(exc):
        return "front matter holds a number of more than 4,300 digits"
    return f"front matter is not valid {syntax}: {exc}"


def _too_big(data: dict) -> str | None:
    """What is wrong when a loaded mapping nests deeper than MAX_DEPTH or holds more than
    MAX_VALUES values (the limits YAML's blocks are held to); else None. Iterative."""
    level: list = [data]
    count = 0
    for _ in range(MAX_DEPTH):
        count += len(level)
        if count > MAX_VALUES:
            return f"holds more than {MAX_VALUES:,} values"
        below: list = []
        for value in level:
            if isinstance(value, dict):
                below += value.values()
            elif isinstance(value, list):
                below += value
        if not below:
            return None
        level = below
    return f"nests deeper than {MAX_DEPTH} levels"


def key_spans(text: str, fm: FrontMatter) -> dict[str, KeySpan] | None:
    """Where each top-level key of a built-in TOML or JSON block is written, offsets into
    ``text`` (of a key written twice, the last, whose value is kept); None for another format.
    A Document reads them once (``Document.meta_offset``)."""
    scan = json_keys if fm.format is JSON else toml_keys if fm.format is TOML else None
    if scan is None:
        return None
    at = fm.content_start
    return {span.name: KeySpan(span.name, span.key + at, span.value + at, span.end + at)
            for span in scan(text[fm.content_start:fm.content_end])}


def locate(text: str, fm: FrontMatter, key, value: bool) -> int | None:
    source = text[fm.content_start:fm.content_end]
    if fm.format is METADATA_HEADERS:
        found = _locate_header(source, str(key), value)
        return None if found is None else fm.content_start + found
    if fm.format.locate is not None:
        found = fm.format.locate(source, str(key))
        return None if found is None else fm.content_start + found
    match = re.search(rf"^[ \t]*[\"']?{re.escape(str(key))}[\"']?[ \t]*[=:][ \t]*", source, re.MULTILINE)
    if match is None:
        return None
    return fm.content_start + (match.end() if value else match.start() + len(match.group()) - len(match.group().lstrip()))


def parse_front_matter(text: str, fm: FrontMatter) -> tuple[FrontMatter, dict]:
    source = text[fm.content_start:fm.content_end]
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            data = {}
        elif "*" in source or (data := _built_tree(loader, node)) is _UNSETTLED:
            problem = _oversized(node, source)
            if problem is not None:
                message, mark = problem
                return replace(fm, error=(f"front matter {message}", _mark_offset(source, fm, mark))), {}
            node, data = _construct(source, loader, node)
    except yaml.MarkedYAMLError as exc:
        offset = _mark_offset(source, fm, exc.problem_mark)
        if offset >= fm.content_end and exc.context_mark is not None:
            # "found unexpected end of stream": the opening quote or bracket is the useful place
            offset = _mark_offset(source, fm, exc.context_mark)
        problem = "; ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        return replace(fm, error=(f"front matter is not valid YAML: {problem}", offset)), {}
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        return replace(fm, error=(_problem(exc, "YAML"), fm.content_start)), {}
    finally:
        loader.dispose()
    if data is None:
        return fm, {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        return replace(fm, error=(f"front matter must be a mapping of keys, not a {kind}", fm.content_start)), {}
    return _with_node(fm, node), data


def _with_node(fm: FrontMatter, node: yaml.Node) -> FrontMatter:
    """``replace(fm, node=node)``, spelled out: ``dataclasses.replace`` reads the fields again
    on every call, a few microseconds for each article with YAML front matter."""
    return FrontMatter(fm.start, fm.content_start, fm.content_end, fm.end, fm.closed, node, fm.error, fm.format)



def _oversized(root: yaml.Node, source: str) -> tuple[str, Any] | None:
    """(message, mark) when the node graph loops, nests deeper than MAX_DEPTH or, aliases
    expanded, holds more than MAX_VALUES values; else None. Iterative, and each node is
    visited once, so the check itself is linear in the block however it is aliased.

    Without a ``*`` in ``source`` there is no alias, so the graph is a tree: counting its
    nodes level by level settles the common case cheaply, and only a block that holds an
    alias or breaks a limit is walked again to say what is wrong and where."""
    if "*" not in source and _tree_within_limits(root):
        return None
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (values when expanded, depth)
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not children_done:
            if id(node) in active:
                return "refers to itself through an alias (&anchor … *anchor): it has no end", node.start_mark
            active.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            if len(stack) > MAX_VALUES:
                return f"holds more than {MAX_VALUES:,} values", node.start_mark
            continue
        active.discard(id(node))
        if any(id(child) not in sizes for child in children):  # a child still on the way up: a loop
            return "refers to itself through an alias (&anchor … *anchor): it has no end", node.start_mark
        values = 1 + sum(sizes[id(child)][0] for child in children)
        depth = 1 + max((sizes[id(child)][1] for child in children), default=0)
        if depth > MAX_DEPTH:
            return f"nests deeper than {MAX_DEPTH} levels", node.start_mark
        if values > MAX_VALUES:
            return (f"holds more than {MAX_VALUES:,} values once its aliases (*name) are expanded; "
                    "write the values out"), node.start_mark
        sizes[id(node)] = (values, depth)
    return None


def _tree_within_limits(root: yaml.Node) -> bool:
    """Whether a tree of nodes (no node reached twice) holds at most MAX_VALUES nodes in at
    most MAX_DEPTH levels: what ``_oversized`` decides for such a tree, without its bookkeeping."""
    level, count = [root], 0
    for _ in range(MAX_DEPTH):
        count += len(level)
        if count > MAX_VALUES:
            return False
        below: list[yaml.Node] = []
        for node in level:
            if isinstance(node, yaml.MappingNode):
                for pair in node.value:
                    below += pair
            elif isinstance(node, yaml.SequenceNode):
                below += node.value
        if not below:
            return True
        level = below
    return False


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


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
    # a string is taken here, not by a call per value: most values and list items are strings
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return [item.value if type(item) is yaml.ScalarNode and item.tag == _STR
                else _construct_plain(loader, item, seen) for item in node.value]
    if kind is yaml.MappingNode and node.tag == _MAP:
        data = {}
        for key, value in node.value:
            if type(key) is not yaml.ScalarNode or key.tag != _STR:
                raise _Unusual("a key that is not a string (or a merge key)")
            data[key.value] = value.value if type(value) is yaml.ScalarNode and value.tag == _STR \
                else _construct_plain(loader, value, seen)
        return data
    raise _Unusual(f"a {kind.__name__} tagged {node.tag}")


_UNSETTLED = object()  # what _built_tree gives where the checks and the construction must run as ever
_SCALAR_CONSTRUCTORS = {tag: _Loader.yaml_constructors[tag] for tag in (
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp")}


def _built_tree(loader: _Loader, root: yaml.Node) -> Any:
    """What ``_construct`` builds of a tree of nodes (a block without "*" holds no alias) that
    ``_oversized`` passes, built in one walk that counts the nodes and levels as it goes, where
    the limits were checked in a walk of their own first: ``_UNSETTLED`` where the tree breaks
    a limit (counting stops there) or anything is unusual or fails, for ``parse_front_matter``
    to check and build it as ever (scalars the loader built here it gives again, and a scalar
    it failed on it fails on again, which sends ``_construct`` to PyYAML alone, as before)."""
    try:
        return _construct_tree(loader, root, 1, [1])
    except Exception:
        return _UNSETTLED


def _construct_tree(loader: _Loader, node: yaml.Node, depth: int, counted: list[int]) -> Any:
    """``_construct_plain`` on a tree of nodes at level ``depth`` (the root's is 1), adding its
    children to ``counted`` (the root counted already): raises where they would make more than
    MAX_VALUES nodes, or a level below MAX_DEPTH, as ``_tree_within_limits`` counts them."""
    kind = type(node)
    if kind is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        # a date, a number, a boolean or null: its constructor called as ``construct_object``
        # would call it, without its bookkeeping (in a tree each node is built once, and these
        # return their value, not a generator)
        constructor = _SCALAR_CONSTRUCTORS.get(node.tag)
        return constructor(loader, node) if constructor is not None else loader.construct_object(node)
    items = node.value
    if items and depth >= MAX_DEPTH:
        raise _Unusual("nested too deep")
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        counted[0] += len(items)
        if counted[0] > MAX_VALUES:
            raise _Unusual("too many values")
        return [item.value if type(item) is yaml.ScalarNode and item.tag == _STR
                else _construct_tree(loader, item, depth + 1, counted) for item in items]
    if kind is yaml.MappingNode and node.tag == _MAP:
        counted[0] += 2 * len(items)
        if counted[0] > MAX_VALUES:
            raise _Unusual("too many values")
        data = {}
        for key, value in items:
            if type(key) is not yaml.ScalarNode or key.tag != _STR:
                raise _Unusual("a key that is not a string (or a merge key)")
            data[key.value] = value.value if type(value) is yaml.ScalarNode and value.tag == _STR \
                else _construct_tree(loader, value, depth + 1, counted)
        return data
    raise _Unusual(f"a {kind.__name__} tagged {node.tag}")


def _mark_offset(source: str, fm: FrontMatter, mark) -> int:
    """The file offset of a YAML mark (0-based line and column in YAML's own line breaks)."""
    if mark is None:
        return fm.content_start
    line_start = 0
    if mark.line:
        for count, match in enumerate(YAML_BREAK.finditer(source), 1):
            if count == mark.line:
                line_start = match.end()
                break
        else:
            return fm.content_end
    return min(fm.content_start + line_start + mark.column, fm.content_end)


_FILENAME_DATE = lazy_compile(r"(\d{4})-?(\d{2})-?(\d{2})(?=[-_ .T]|\Z)")


def post_date(path: PurePath) -> dt.date | None:
    """The date a post's file name starts with (``filename_date``), or for an index file
    (``index.md``) its folder's name (Docusaurus's ``2021-08-26-welcome/index.md``)."""
    name = path.parent.name if path.stem.lower() == "index" else path.name
    return filename_date(name)


def drafted(relative: PurePath) -> bool:
    """Whether a path relative to the project lies in a ``_drafts`` folder (Jekyll's and Hexo's
    posts not yet published, dated when they are)."""
    return "_drafts" in relative.parts and relative.parts[:1] != ("..",)


def filename_date(name: str) -> dt.date | None:
    """The date a file name starts with (``2024-05-01-slug.md``, ``20240501 Title.md``), if
    valid: Jekyll, Eleventy and Docusaurus date posts by it."""
    match = _FILENAME_DATE.match(name)
    if match is None:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None

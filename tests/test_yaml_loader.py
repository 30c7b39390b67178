"""Front matter's shortcuts: the YAML loader gives PyYAML's own tags and nodes (its implicit
resolvers joined into one pattern per first character, and the path-resolver hooks that libyaml
calls around every node, which do nothing without path resolvers, left to C functions), and the
closing line found from line breaks on is the one a multi-line search finds; and a block
without aliases is checked against the limits while it is built, as checking it first found."""
from __future__ import annotations

import re

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dataclasses import replace

from lintnews.frontmatter import (
    MAX_DEPTH,
    MAX_VALUES,
    _construct,
    _Loader,
    _mark_offset,
    _oversized,
    _problem,
    parse_front_matter,
    split_front_matter,
)

# a value of each of PyYAML's implicit kinds, written each way it reads them, and near misses
SCALARS = ["", "~", "null", "Null", "NULL", "nul", "yes", "No", "ON", "off", "y", "n", "true", "False", "TRUE",
           "tRue", "0", "-0", "+12", "0b1010", "0b12", "017", "019", "0x1F", "0xG", "1_000", "190:20:30", "1:60",
           "1.5", "-.5", ".5", "1e3", "1.0e+3", "1.0e3", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "..", ".",
           "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-1-1", "2001-13-45",
           "2022-02-30", "<<", "<", "<<<", "=", "==", "!", "&", "*", "**", "-", "+", "title", "tags", "no\n",
           "1\n", "true\n", "2001-12-14\n", "12 ", " 12", "标题", "1.5x", "on off", "#", "y\x85"]


def _reference():
    """PyYAML's own loader, as ``_Loader`` was built on (libyaml's, where PyYAML has it)."""
    return _Loader.__mro__[1]


def _tags(value: str) -> list:
    ours, theirs = _Loader(""), _reference()("")
    kinds = [(yaml.ScalarNode, value, (True, False)), (yaml.ScalarNode, value, (False, True)),
             (yaml.ScalarNode, value, (False, False)), (yaml.SequenceNode, None, True),
             (yaml.MappingNode, None, False)]
    return [(ours.resolve(*kind), theirs.resolve(*kind)) for kind in kinds]


def test_every_implicit_kind_resolves_to_pyyaml_s_tag():
    for value in SCALARS:
        for ours, theirs in _tags(value):
            assert ours == theirs, value


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.sampled_from(SCALARS),
                 st.text(alphabet="0123456789+-._:eE xXoObB-tTnNyYfF~<=!&*\n\t中", max_size=24),
                 st.builds(lambda a, b: a + b, st.sampled_from(SCALARS), st.text(max_size=4))))
def test_any_scalar_resolves_to_pyyaml_s_tag(value):
    for ours, theirs in _tags(value):
        assert ours == theirs


def _shape(node) -> tuple:
    marks = (node.start_mark.index, node.start_mark.line, node.start_mark.column,
             node.end_mark.index, node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return type(node), node.tag, node.value, node.style, marks
    if isinstance(node, yaml.SequenceNode):
        return type(node), node.tag, tuple(_shape(item) for item in node.value), node.flow_style, marks
    return (type(node), node.tag, tuple((_shape(key), _shape(value)) for key, value in node.value),
            node.flow_style, marks)


def _composed(loader, source: str):
    reading = loader(source)
    try:
        node = reading.get_single_node()
        return None if node is None else _shape(node)
    except yaml.YAMLError as exc:
        return type(exc), str(exc)
    finally:
        reading.dispose()


BLOCKS = ["title: 标题\ndate: 2021-05-01\ntags: [a, 1, true, ~]\n",
          "a: &x {b: 1.5, c: [yes, no]}\nd: *x\n<<: {e: 0x1F}\n",
          "- !!str 12\n- !custom 1\n- ! 2\n- '3'\n- \"4\"\n- |\n  5\n- >\n  6\n",
          "? [a, b]\n: {c: d}\nempty:\nnull: null\n", "a: [\n", "a: *missing\n", ": x\n", "---\na: 1\n---\nb: 2\n"]


def test_every_node_of_a_block_is_composed_as_pyyaml_composes_it():
    for source in BLOCKS:
        assert _composed(_Loader, source) == _composed(_reference(), source), source


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.one_of(st.sampled_from(SCALARS), st.text(max_size=8), st.integers(), st.floats(),
                              st.booleans(), st.none(), st.dates()),
                    lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.text(max_size=6), children, max_size=4), max_leaves=20),
       st.booleans())
def test_any_block_is_composed_as_pyyaml_composes_it(data, flow):
    source = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow)
    assert _composed(_Loader, source) == _composed(_reference(), source)


# -- finding the block -------------------------------------------------------

def _closing_as_a_multiline_search(text: str):
    """The closing "---" line as ``^-{3,}[ \\t\\r\\f\\v]*$`` (multi-line) finds it after the opening line."""
    opening = re.match(r"(?:[ \t\r\f\v]*\n)*-{3,}[ \t\r\f\v]*(?:\n|\Z)", text)
    if opening is None or not opening.group().endswith("\n") and opening.end() < len(text):
        return None
    closing = re.compile(r"^-{3,}[ \t\r\f\v]*$", re.MULTILINE).search(text, opening.end())
    return None if closing is None else (closing.start(), closing.end() + (closing.end() < len(text)))


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["---", "----", "-", "\n", "\r", " ", "\t", "\v", "a: 1", "x---", "--- x", "\n\n"]),
                max_size=12).map("".join))
def test_the_closing_line_searched_for_after_line_breaks_is_the_one_a_multiline_search_finds(text):
    fm = split_front_matter(text)
    if fm is None or fm.format is not None or not fm.closed:
        found = None
    else:
        found = (fm.content_end, fm.end)
    if fm is not None and fm.format is None:
        assert found == _closing_as_a_multiline_search(text)


# -- checking and building the block -------------------------------------------

def _parsed_as_before(text: str, fm):
    """``parse_front_matter`` as it was: the limits checked by a walk of their own, then the block built."""
    source = text[fm.content_start:fm.content_end]
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        problem = _oversized(node, source) if node is not None else None
        if problem is not None:
            message, mark = problem
            return replace(fm, error=(f"front matter {message}", _mark_offset(source, fm, mark))), {}
        if node is not None:
            node, data = _construct(source, loader, node)
        else:
            data = {}
    except yaml.MarkedYAMLError as exc:
        offset = _mark_offset(source, fm, exc.problem_mark)
        if offset >= fm.content_end and exc.context_mark is not None:
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
        return replace(fm, error=(f"front matter must be a mapping of keys, not a {type(data).__name__}",
                                  fm.content_start)), {}
    return replace(fm, node=node), data


def _same_as_before(block: str) -> None:
    text = f"---\n{block}---\nbody\n"
    fm = split_front_matter(text)
    ours, theirs = parse_front_matter(text, fm), _parsed_as_before(text, fm)
    assert ours[1] == theirs[1] and type(ours[1]) is type(theirs[1])
    assert ours[0].error == theirs[0].error
    assert (ours[0].node is None) == (theirs[0].node is None)
    if ours[0].node is not None:
        assert _shape(ours[0].node) == _shape(theirs[0].node)


def _nested(levels: int, leaf: str = "x") -> str:
    return "".join(f"{'  ' * level}k{level}:\n" for level in range(levels - 1)) + f"{'  ' * (levels - 1)}k: {leaf}\n"


LIMITS = [_nested(MAX_DEPTH - 1), _nested(MAX_DEPTH), _nested(MAX_DEPTH + 1), _nested(MAX_DEPTH + 5),
          _nested(MAX_DEPTH, "[]"), _nested(MAX_DEPTH, "{}"), _nested(MAX_DEPTH - 1, "[a]"), _nested(MAX_DEPTH, "[a]"),
          "a: [" + ", ".join("x" * (MAX_VALUES - 3)) + "]\n", "a: [" + ", ".join("x" * (MAX_VALUES - 2)) + "]\n",
          "a: [" + ", ".join("x" * (MAX_VALUES - 1)) + "]\n",
          "".join(f"k{i}: v\n" for i in range(MAX_VALUES // 2)), "".join(f"k{i}: v\n" for i in range(MAX_VALUES // 2 + 1)),
          # a failure, a limit broken after it, or both: the limit is what is said
          "a: " + "9" * 5000 + "\n", "a: " + "9" * 5000 + "\nb: [" + ", ".join("x" * MAX_VALUES) + "]\n",
          "a: " + "9" * 5000 + "\n" + _nested(MAX_DEPTH + 2), "a: 2022-02-30\nb: 1\n", "a: 2022-99-99 10:00\n",
          "<<: {a: 1}\nb: 2\n", "1: a\n", "? [a]\n: b\n", "a: !custom x\n", "a: !!set {b}\n", "a: &x 1\nb: 2\n",
          "a: &x [1]\nb: *x\n", "a: [1, [2, [3]]]\n", "- a\n- b\n", "just text\n", "", "~\n", "a: {b: [c, {d: e}]}\n"]


def test_blocks_at_the_limits_or_failing_are_checked_and_built_as_before():
    for block in LIMITS:
        _same_as_before(block)


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.one_of(st.sampled_from(SCALARS), st.text(max_size=8), st.integers(), st.floats(),
                              st.booleans(), st.none(), st.dates()),
                    lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.one_of(st.text(max_size=6), st.integers()), children, max_size=4),
                    max_leaves=30),
       st.booleans())
def test_any_block_is_checked_and_built_as_before(data, flow):
    _same_as_before(yaml.safe_dump({"root": data}, allow_unicode=True, default_flow_style=flow))

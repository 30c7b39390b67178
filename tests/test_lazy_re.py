"""Patterns compiled on first use: they answer as the compiled pattern, and every built-in one compiles."""
import pickle
import re

import pytest

from lintnews.lazy_re import LazyPattern, lazy_compile
from lintnews.plugins import plugin_manager


def test_nothing_is_compiled_before_the_first_use():
    broken = lazy_compile("[unclosed")  # compiling now would raise
    with pytest.raises(re.error):
        broken.search("text")


def test_the_methods_and_attributes_are_the_compiled_patterns():
    lazy = lazy_compile(r"(?P<word>[a-z]+)(\d)", re.IGNORECASE)
    compiled = re.compile(r"(?P<word>[a-z]+)(\d)", re.IGNORECASE)
    text = "Ab1 cd2 x"
    assert [m.span() for m in lazy.finditer(text, 1)] == [m.span() for m in compiled.finditer(text, 1)]
    assert lazy.sub(r"\2", text) == compiled.sub(r"\2", text) == "1 2 x"
    assert (lazy.pattern, lazy.flags, lazy.groups, lazy.groupindex) == \
        (compiled.pattern, compiled.flags, compiled.groups, compiled.groupindex)
    assert lazy.search is lazy.search  # kept after the first use, not looked up again


def test_a_lazy_pattern_pickles_as_itself_uncompiled():
    copy = pickle.loads(pickle.dumps(lazy_compile("a+", re.MULTILINE)))
    assert "search" not in vars(copy) and copy.findall("aa b a") == ["aa", "a"]


def test_the_source_is_read_without_compiling():
    lazy = lazy_compile("[unclosed")  # what another pattern is built from, at import
    assert lazy.pattern == "[unclosed" and "search" not in vars(lazy)


def test_every_lazy_pattern_of_the_built_in_rules_and_the_core_compiles():
    import lintnews.blocks
    import lintnews.frontmatter
    import lintnews.scan

    pm = plugin_manager(environ={"LINTNEWS_DISABLE_PLUGIN_AUTOLOAD": "1"})
    modules = [*pm.get_plugins(), lintnews.blocks, lintnews.frontmatter, lintnews.scan]
    lazy = [(name, value) for module in modules for name, value in vars(module).items()
            if isinstance(value, LazyPattern)]
    assert len(lazy) >= 50
    for name, value in lazy:
        assert value.groups >= 0, name  # compiles it

"""Patterns compiled on first use: they answer as the compiled pattern, and every built-in one compiles."""
import pickle
import re
import warnings

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


# -- compiled programs kept between runs ----------------------------------------

from lintnews import lazy_re  # noqa: E402

KEPT = [("[\u4e00-\u9fff\u3400-\u4dbf]+(?P<tail>[，。])", 0), (r"^\s*(\w+)$", re.MULTILINE),
        ("WeChat|QQ", re.IGNORECASE), (rb"//(?:[^\s\"']*\.png)", 0)]


@pytest.fixture
def store(tmp_path):
    """A store in a folder of its own, as a run starts it (nothing compiled yet); nothing kept afterwards."""
    lazy_re._compiled_here.clear()
    lazy_re.keep_compiled(tmp_path)
    yield tmp_path
    lazy_re.keep_compiled(None)
    lazy_re._compiled_here.clear()


def _compiler_gone(monkeypatch):
    """Compiling now raises: a pattern can come only from its kept program."""
    def gone(*args):
        raise AssertionError("compiled")
    re.purge()
    monkeypatch.setattr(re, "compile", gone)


def test_a_kept_program_makes_the_same_pattern_without_compiling_it(store, monkeypatch):
    compiled = [lazy_re.compile_kept(pattern, flags) for pattern, flags in KEPT]
    lazy_re.save()
    assert [path.name for path in store.iterdir()] == [lazy_re._file_name()]
    lazy_re.keep_compiled(store)  # the next run
    _compiler_gone(monkeypatch)
    again = [lazy_re.compile_kept(pattern, flags) for pattern, flags in KEPT]
    assert again == compiled  # equal patterns: the same program, flags and groups
    assert again[0].findall("他说，今天天气很好。ok") == ["，", "。"]
    assert again[1].findall("a\n  bc\nd e") == ["a", "bc"]
    assert again[2].search("加wechat号").group() == "wechat"
    assert again[3].search(b"see //x.org/a.png").span() == (4, 17)


def test_nothing_is_kept_without_a_folder(tmp_path, monkeypatch):
    lazy_re.keep_compiled(None)
    before = dict(lazy_re._compiled_here)
    assert lazy_re.compile_kept(*KEPT[0]) == re.compile(*KEPT[0])
    lazy_re.save()
    assert lazy_re._compiled_here == before and list(tmp_path.iterdir()) == []  # not even noted


def test_a_damaged_store_is_read_as_empty_and_written_anew(store):
    (store / lazy_re._file_name()).write_bytes(b"\x00not a store")
    assert lazy_re.compile_kept(*KEPT[1]) == re.compile(*KEPT[1])
    lazy_re.save()
    lazy_re.keep_compiled(store)
    assert list(lazy_re._read()) == [(KEPT[1][0], int(KEPT[1][1]))]


def test_a_program_the_engine_refuses_is_compiled_afresh_and_kept_anew(store):
    import marshal

    pattern, flags = KEPT[0]
    entry = lazy_re._entry(pattern, flags)
    damaged = (entry[0], entry[1][:-8], *entry[2:])  # the program cut short
    (store / lazy_re._file_name()).write_bytes(marshal.dumps({(pattern, flags): damaged}))
    lazy_re.keep_compiled(store)
    assert lazy_re.compile_kept(pattern, flags) == re.compile(pattern, flags)
    lazy_re.save()
    lazy_re.keep_compiled(store)
    assert lazy_re._read()[(pattern, flags)] == entry


def test_another_build_of_python_keeps_a_store_of_its_own(store, monkeypatch):
    lazy_re.compile_kept(*KEPT[0])
    lazy_re.save()
    monkeypatch.setattr(lazy_re.sys, "version", lazy_re.sys.version + " (another build)")
    lazy_re.keep_compiled(store)
    assert lazy_re._read() == {}
    assert len(list(store.iterdir())) == 1


def test_the_command_line_keeps_the_programs_unless_told_to_use_no_cache(tmp_path):
    import os
    import subprocess
    import sys

    article = tmp_path / "a.md"
    article.write_text("---\ntitle: 标题\n---\n\n沪指收涨！！成交额放大。\n", encoding="utf-8")
    environment = {**os.environ, "LINTNEWS_CACHE_DIR": str(tmp_path / "cache")}
    kept = tmp_path / "cache" / "patterns"

    def check(*extra: str) -> tuple[int, str]:
        done = subprocess.run([sys.executable, "-m", "lintnews", "check", *extra, "a.md"], cwd=tmp_path,
                              env=environment, capture_output=True, text=True, timeout=120)
        return done.returncode, done.stdout

    uncached = check("--no-cache")
    assert not kept.exists()
    assert check() == uncached and "repeated-punctuation" in uncached[1]
    store = kept / next(os.walk(kept))[2][0]
    written = store.stat().st_mtime_ns, store.read_bytes()
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # linted again
    assert check() == uncached
    # every pattern of the second run came from the store: it had nothing to add
    assert (store.stat().st_mtime_ns, store.read_bytes()) == written


def test_patterns_from_the_configuration_are_kept_and_find_the_same_from_the_store(tmp_path, monkeypatch):
    import os
    import subprocess
    import sys

    from lintnews.rules import image_residue, markup, tool_residue

    (tmp_path / ".lintnews.yaml").write_text(
        "rules:\n"
        "  tracking-pixel:\n    url-patterns: ['spy\\.example/p\\d+']\n"
        "  tool-residue:\n    patterns: ['MADE WITH \\w+TOOL']\n"
        "  leftover-markup:\n    allow-comments: ['keep-\\d+']\n", encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text("---\ntitle: T\n---\n\nText MADE WITH SUPERTOOL here.\n\n<!-- keep-12 -->\n<!-- drop-12 -->\n\n"
                       '<img src="https://spy.example/p7" alt="x">\n', encoding="utf-8")
    environment = {**os.environ, "LINTNEWS_CACHE_DIR": str(tmp_path / "cache")}

    def check(*extra: str) -> tuple[int, str]:
        done = subprocess.run([sys.executable, "-m", "lintnews", "check", *extra, "--select",
                               "tracking-pixel,tool-residue,leftover-markup", "a.md"], cwd=tmp_path,
                              env=environment, capture_output=True, text=True, timeout=120)
        return done.returncode, done.stdout

    uncached = check("--no-cache")
    assert [line.split(" ")[2] for line in uncached[1].splitlines()[:3]] == \
        ["tool-residue", "leftover-markup", "tracking-pixel"]
    assert "drop-12" in uncached[1] and "keep-12" not in uncached[1]
    assert check() == uncached  # the programs kept
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # linted again
    assert check() == uncached  # the same findings from the kept programs
    # the rules take the configured patterns from the store, without compiling them
    lazy_re.keep_compiled(tmp_path / "cache" / "patterns")
    compile = re.compile

    def compiled_here(pattern, flags=0):
        assert not any(mark in str(pattern) for mark in ("spy", "MADE WITH", "keep-")), pattern
        return compile(pattern, flags)

    monkeypatch.setattr(re, "compile", compiled_here)
    for cached in (image_residue._any_of, tool_residue._any_of, markup._comment_patterns):
        cached.cache_clear()
    try:
        assert image_residue._any_of(("spy\\.example/p\\d+",)).search("https://SPY.example/p7")
        assert tool_residue._any_of(("MADE WITH \\w+TOOL",)).search("made with supertool")
        [comment] = markup._comment_patterns(("keep-\\d+",))
        assert comment.fullmatch("KEEP-12") and not comment.fullmatch("drop-12")
    finally:
        lazy_re.keep_compiled(None)
        lazy_re._compiled_here.clear()


@pytest.mark.parametrize("kept", [False, True])
def test_a_pattern_python_warns_of_is_compiled_and_kept_without_the_warning(tmp_path, kept):
    # "[[a]x" (a configured pattern) draws "FutureWarning: Possible nested set": printed, two
    # lines about lintnews's source above the run's output, on every run that compiles it
    lazy_re._compiled_here.clear()
    lazy_re.keep_compiled(tmp_path if kept else None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", FutureWarning)
            re.purge()
            assert lazy_re.compile_kept("[[a]x").search("[x").group() == "[x"
            lazy_re.save()
    finally:
        lazy_re.keep_compiled(None)
        lazy_re._compiled_here.clear()
    assert [path.name for path in tmp_path.iterdir()] == ([lazy_re._file_name()] if kept else [])

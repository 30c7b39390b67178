"""Properties of the whole pipeline on arbitrary input: text, bytes and front matter built from a
strategy go through every rule and every output format without an exception or an internal
error, every position lies within the file, and the text format has one line per finding."""
from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from lintnews.config import Config, Settings
from lintnews.files import SourceFile
from lintnews.output import FORMATS
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.runner import lint_paths
from lintnews.testing import assert_positions_inside

RULES = collect_rules(plugin_manager())
BOUNDED = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# pieces of scraped articles, so that arbitrary text reaches the rules' interesting paths
SNIPPETS = ["<p>", "</p>", "<p>\u3000\u3000</p>", '<img src="', '">', "<img>", ' alt="', "![x](", ")", "![y][r]",
            "\n[r]: ", "<!-- ", " -->", "<!-- lintnews-disable", "<!-- lintnews-disable-next-line image-alt -->",
            "`", "```\n", "责任编辑：", "原标题：", "“", "”", "《", "》", "（", "）", "(", ")", "&#123;", "&nbsp;",
            "\r", "\r\n", "\n", "\n\n", "\t", "\x00", "\x1b[31m", "\u2028", "\u202e", "\ufeff", "%00", "../", "/",
            "//host/a.png", "https://例子.测试/a.png", "data:image/png;base64,", "13812345678", "a@qq.com",
            '<div class="appendQr_wrap">', "</div>", "<script>", "</script>", "<style>", "---\n", "中文", "!!", ",", "#"]
BODY = st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=20)), max_size=40).map("".join)

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                    st.dates(), st.datetimes(min_value=dt.datetime(1, 1, 2)), st.sampled_from(SNIPPETS))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)
KEYS = st.one_of(st.sampled_from(["title", "date", "author", "editor", "headimg", "cover", "thumbnail", "image",
                                  "lintnews", "tags", "updated", "pubDate"]), st.text(max_size=10))
FRONT_MATTER = st.dictionaries(KEYS, VALUES, max_size=8)


def _lint(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, data in files.items():
            (root / name).write_bytes(data)
        config = Config(None, root)
        sources = [SourceFile(root / name, name, name) for name in sorted(files)]
        report = lint_paths(sources, Settings(config, RULES, select=sorted(RULES)), fingerprints=True)
        assert [f for f in report.findings if f.rule == "internal-error"] == []
        for name, data in files.items():
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue  # reported as "encoding" at its first bad byte
            assert_positions_inside(text, [f for f in report.findings if f.path == name])
        for output_format, function in FORMATS.items():
            output = function(report)
            assert isinstance(output, str) and output.endswith("\n"), output_format
            if output_format == "text":
                # one line each, a summary, what fixes would repair where they would, ""
                hint = output.split("\n")[-2].endswith(("--diff shows the changes first.", "--diff shows them first."))
                assert len(output.split("\n")) == len(report.findings) + 2 + hint
            elif output_format in ("json", "sarif", "gitlab"):
                json.loads(output)


@BOUNDED
@given(BODY)
def test_any_text(text):
    _lint({"a.md": text.encode("utf-8", "surrogatepass")})


@BOUNDED
@given(st.binary(max_size=300))
def test_any_bytes(data):
    _lint({"a.md": data, "b.html": b"---\ntitle: t\n---\n" + data})


@BOUNDED
@given(FRONT_MATTER, BODY)
def test_any_front_matter(meta, body):
    front_matter = yaml.safe_dump(meta, allow_unicode=True)
    _lint({"a.md": f"---\n{front_matter}---\n{body}".encode("utf-8", "surrogatepass"),
           "b.md": f"---\n{front_matter}---\n{body}".encode("utf-8", "surrogatepass")})


@BOUNDED
@given(st.lists(st.sampled_from(["title: t\n", "a: &x [1, 2]\n", "b: *x\n", "c: &y {k: *x}\n", "d: [*y, *y]\n",
                                 "<<: *y\n", "e: !!binary aGk=\n", "f: !!set {a, b}\n", "g: 2022-02-30\n",
                                 "h: \"\\x00\"\n", "- list\n", "  indented: 1\n", "i: [\n", "\r", "title: u\n",
                                 "lintnews: {disable: [[1]]}\n", "headimg: {1: 2}\n", "? [a]\n: b\n"]),
                max_size=12).map("".join))
def test_any_yaml_shapes(front_matter):
    _lint({"a.md": f"---\n{front_matter}---\n<img src=a.png>\n".encode("utf-8")})

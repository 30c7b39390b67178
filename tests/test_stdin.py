"""Linting an editor's buffer: the article on standard input ('-' or --stdin-filename), run as an
editor runs it, in a fresh process."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from test_cli import ENV, assert_usage_error, write

# inline-style at 5:4 (a safe fix); halfwidth-punctuation at 5:28 (an unsafe one; 5:10 once the style goes)
ARTICLE = """\
---
title: 沪指收涨
---

<p style="color:red">沪指今日收涨,成交额放大。</p>
"""
FIXED_SAFE = ARTICLE.replace(' style="color:red"', "")


def run_stdin(cwd: Path, data: bytes | str, *args: str) -> subprocess.CompletedProcess:
    data = data.encode("utf-8") if isinstance(data, str) else data
    return subprocess.run([sys.executable, "-m", "lintnews", "check", "--select", "inline-style,halfwidth-punctuation",
                           *args], cwd=cwd, env=ENV, input=data, capture_output=True, timeout=60)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path.resolve()


def findings(result: subprocess.CompletedProcess) -> list[tuple]:
    return [(f["path"], f["line"], f["column"], f["rule"]) for f in json.loads(result.stdout)]


def test_a_dash_lints_standard_input_as_stdin(project):
    result = run_stdin(project, ARTICLE, "--output-format", "json", "-")
    assert result.returncode == 0, result.stderr
    assert findings(result) == [("<stdin>", 5, 4, "inline-style"), ("<stdin>", 5, 28, "halfwidth-punctuation")]


def test_stdin_filename_names_the_article_and_brings_its_settings(project):
    write(project / ".lintnews.yaml", "overrides:\n  'drafts/**':\n    inline-style: {severity: error}\n")
    posts = run_stdin(project, ARTICLE, "--output-format", "json", "--stdin-filename", "posts/a.md")
    drafts = run_stdin(project, ARTICLE, "--output-format", "json", "--stdin-filename", "drafts/a.md")
    assert findings(posts) == [("posts/a.md", 5, 4, "inline-style"), ("posts/a.md", 5, 28, "halfwidth-punctuation")]
    assert findings(drafts) == [("drafts/a.md", 5, 4, "inline-style"), ("drafts/a.md", 5, 28, "halfwidth-punctuation")]
    assert [f["severity"] for f in json.loads(posts.stdout)] == ["warning", "warning"]
    assert [f["severity"] for f in json.loads(drafts.stdout)] == ["error", "warning"]
    assert (posts.returncode, drafts.returncode) == (0, 1)
    assert not (project / "posts").exists()  # the name need not exist, and nothing is written there


def test_relative_images_are_looked_up_beside_the_named_path(project):
    write(project / "posts" / "img" / "there.png", "\x89PNG")
    text = "![Chart](img/there.png)\n\n![Chart](img/gone.png)\n"
    result = subprocess.run([sys.executable, "-m", "lintnews", "check", "--select", "image-broken", "--output-format",
                             "json", "--stdin-filename", "posts/a.md"], cwd=project, env=ENV, input=text.encode(),
                            capture_output=True, timeout=60)
    assert findings(result) == [("posts/a.md", 3, 10, "image-broken")]


def test_fix_writes_the_fixed_text_to_stdout_and_the_report_to_stderr(project):
    result = run_stdin(project, ARTICLE, "--fix", "--stdin-filename", "posts/a.md")
    assert result.returncode == 0
    assert result.stdout.decode("utf-8") == FIXED_SAFE
    assert result.stderr.decode("utf-8").splitlines()[0] == (
        "posts/a.md:5:10: warning halfwidth-punctuation half-width ',' in Chinese text (write '，')")
    assert not (project / "posts").exists()


def test_fix_gives_the_text_back_unchanged_when_nothing_applies(project):
    text = "<p>沪指今日收涨，成交额放大。</p>\n"
    result = run_stdin(project, text, "--fix", "-")
    assert result.returncode == 0
    assert result.stdout.decode("utf-8") == text
    assert result.stderr == b"0 fixed, 0 remaining (1 file checked).\n"


def test_fix_of_an_excluded_name_gives_the_text_back(project):
    write(project / ".lintnews.yaml", "exclude: ['vendor/**']\n")
    result = run_stdin(project, ARTICLE, "--fix", "--force-exclude", "--stdin-filename", "vendor/a.md")
    assert result.returncode == 0
    assert result.stdout.decode("utf-8") == ARTICLE
    assert "0 files checked" in result.stderr.decode("utf-8")


def test_an_input_over_max_file_size_is_reported_and_passed_through_whole_by_fix(project):
    data = ARTICLE.encode("utf-8") + b"x" * (2 * 1024 * 1024)
    linted = run_stdin(project, data, "--max-file-size", "1", "--output-format", "json", "-")
    assert [(f["rule"], f["message"]) for f in json.loads(linted.stdout)] == [
        ("too-large", "standard input is larger than max-file-size (1 MB): not linted")]
    fixed = run_stdin(project, data, "--max-file-size", "1", "--fix", "-")
    assert fixed.returncode == 1
    assert fixed.stdout == data  # never a truncated buffer
    assert b"too-large" in fixed.stderr


def test_diff_shows_the_fix_under_the_name_and_writes_nothing(project):
    result = run_stdin(project, ARTICLE, "--diff", "--stdin-filename", "posts/a.md")
    assert result.returncode == 1
    assert result.stdout.decode("utf-8").splitlines()[:2] == ["--- a/posts/a.md", "+++ b/posts/a.md"]
    assert '-<p style="color:red">沪指今日收涨,成交额放大。</p>' in result.stdout.decode("utf-8")


def test_input_that_is_not_utf8_is_a_finding(project):
    result = run_stdin(project, b"<p>caf\xe9</p>\n", "--output-format", "json", "-")
    assert [(f["rule"], f["line"], f["column"]) for f in json.loads(result.stdout)] == [("encoding", 1, 7)]


@pytest.mark.parametrize("args, message", [
    (["-", "a.md"], "standard input ('-' or --stdin-filename) is linted alone: give no other PATH"),
    (["--stdin-filename", "a.md", "posts"], "standard input ('-' or --stdin-filename) is linted alone: "
                                            "give no other PATH"),
    (["-", "--diff-base", "HEAD"], "--diff-base compares files with git: not standard input"),
    (["-", "--executor", "dask"], "standard input is linted here: not with --executor dask"),
])
def test_what_cannot_go_with_standard_input_is_a_usage_error(project, args, message):
    result = subprocess.run([sys.executable, "-m", "lintnews", "check", *args], cwd=project, env=ENV, input=ARTICLE,
                            capture_output=True, text=True, timeout=60)
    assert_usage_error(result, message)


def test_an_empty_standard_input_is_an_empty_article_and_a_closed_one_a_usage_error(project):
    result = subprocess.run([sys.executable, "-m", "lintnews", "check", "--select", "inline-style", "-"],
                            cwd=project, env=ENV, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, "No problems found (1 file checked).\n")  # an empty article
    closed = subprocess.run([sys.executable, "-c", "import os, sys, runpy; os.close(0); sys.argv = ['lintnews', "
                             "'check', '-']; runpy.run_module('lintnews', run_name='__main__')"],
                            cwd=project, env=ENV, capture_output=True, text=True, timeout=60)
    assert_usage_error(closed, "cannot read standard input: Bad file descriptor")

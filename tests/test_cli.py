"""End-to-end tests of the command line: the real ``lintnews`` run in a temporary project."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import lintnews
from lintnews.plugins import collect_rules, plugin_manager

from articles import CLEAN


# one warning: image-alt at 8:4
WARNING_ONLY = """\
---
title: Markets close higher
date: 2022-08-02
author: Xinhua
---

<p>Shares rose on Tuesday.</p>
<p><img src="https://cdn.163.com/chart.png"></p>

责任编辑：王蒙
"""

# one error (front-matter-required at 1:1) and one warning (inline-style at 6:4)
WITH_ERROR = """\
---
title: Markets close higher
date: 2022-08-02
---

<p style="color:red">Shares rose on Tuesday.</p>

责任编辑：王蒙
"""

# image-alt runs before inline-style and reports HTML images before Markdown ones,
# so only sorting puts these in line order
UNSORTED = """\
---
title: Markets close higher
date: 2022-08-02
author: Xinhua
---

![image](https://cdn.163.com/a.png)
<p style="color:red">Shares</p>
<img src="https://cdn.163.com/b.png">

责任编辑：王蒙
"""

IMAGE_ONLY = '<img src="https://cdn.163.com/a.png">\n'

ENV = {key: value for key, value in os.environ.items() if key != "LINTNEWS_DEBUG"}


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lintnews", *args], cwd=cwd, env=ENV,
                          capture_output=True, text=True, timeout=60)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def assert_usage_error(result: subprocess.CompletedProcess, message: str) -> None:
    """Exit 2, nothing on stdout, exactly one line on stderr, no traceback."""
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"lintnews: error: {message}\n"
    assert "Traceback" not in result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository root: config discovery stops here."""
    (tmp_path / ".git").mkdir()
    return tmp_path.resolve()


# -- exit codes ----------------------------------------------------------------

class TestExitCodes:
    def test_clean_article_exits_0(self, project):
        write(project / "clean.md", CLEAN)
        result = run(project, "check")
        assert result.returncode == 0
        assert result.stdout == "No problems found (1 file checked).\n"
        assert result.stderr == ""

    def test_error_finding_exits_1(self, project):
        write(project / "bad.md", WITH_ERROR)
        result = run(project, "check", "bad.md")
        assert result.returncode == 1
        assert "bad.md:1:1: error front-matter-required required key 'author' or 'authors' is missing\n" \
            in result.stdout
        assert result.stderr == ""

    def test_warnings_only_exit_0_by_default(self, project):
        write(project / "warn.md", WARNING_ONLY)
        result = run(project, "check")
        assert result.returncode == 0
        assert result.stdout.startswith("warn.md:8:4: warning image-alt image has no alt attribute\n")

    def test_fail_on_warning_makes_warnings_fail(self, project):
        write(project / "warn.md", WARNING_ONLY)
        assert run(project, "check", "--fail-on", "warning").returncode == 1
        assert run(project, "check", "--fail-on", "info").returncode == 1
        assert run(project, "check", "--fail-on", "error").returncode == 0

    def test_fail_on_from_the_config_and_the_command_line_wins(self, project):
        write(project / "warn.md", WARNING_ONLY)
        write(project / ".lintnews.yaml", "fail-on: warning\n")
        assert run(project, "check").returncode == 1
        assert run(project, "check", "--fail-on", "error").returncode == 0

    def test_missing_path_exits_2(self, project):
        write(project / "clean.md", CLEAN)
        assert_usage_error(run(project, "check", "clean.md", "nope.md"), "path not found: nope.md")

    def test_unknown_rule_in_select_exits_2(self, project):
        write(project / "clean.md", CLEAN)
        assert_usage_error(run(project, "check", "--select", "image-alt,imag-broken"),
                           "command line: unknown rule 'imag-broken' (did you mean 'image-broken'?)")

    def test_unknown_rule_in_ignore_exits_2(self, project):
        assert_usage_error(run(project, "check", "--ignore", "zzz"), "command line: unknown rule 'zzz'")

    def test_unknown_command_line_option_exits_2(self, project):
        assert_usage_error(run(project, "check", "--bogus"),
                           "unrecognized arguments: --bogus (see 'lintnews --help')")

    def test_bad_choice_exits_2(self, project):
        result = run(project, "check", "--output-format", "xml")
        assert result.returncode == 2
        assert result.stderr.startswith("lintnews: error: unknown output format 'xml' (known: auto, github, gitlab, "
                                        "html, json, junit, sarif, text)")
        assert result.stderr.count("\n") == 1

    def test_no_command_prints_help_and_exits_2(self, project):
        result = run(project)
        assert result.returncode == 2
        assert result.stdout.startswith("usage: lintnews")
        assert "check" in result.stdout and "explain" in result.stdout


# -- configuration errors --------------------------------------------------------

class TestConfigErrors:
    def test_unknown_option_names_file_rule_and_option(self, project):
        config = write(project / ".lintnews.yaml", "rules:\n  image-alt:\n    alow-empty: true\n")
        write(project / "clean.md", CLEAN)
        assert_usage_error(run(project, "check"),
                           f"{config}: rules.image-alt: unknown option 'alow-empty' for rule 'image-alt' "
                           "(known: allow-empty, allow-filler, block-classes, meaningless, per-article)")

    def test_wrongly_typed_option(self, project):
        config = write(project / ".lintnews.yaml", "rules:\n  image-alt:\n    allow-empty: 'no'\n")
        assert_usage_error(run(project, "check"),
                           f"{config}: rules.image-alt: option 'allow-empty' of rule 'image-alt' "
                           "must be a boolean, not 'no'")

    def test_unknown_rule_with_did_you_mean(self, project):
        config = write(project / ".lintnews.yaml", "rules:\n  image-alts: false\n")
        assert_usage_error(run(project, "check"),
                           f"{config}: rules: unknown rule 'image-alts' (did you mean 'image-alt'?)")

    def test_unknown_top_level_key(self, project):
        config = write(project / ".lintnews.yaml", "exlude: [drafts]\n")
        assert_usage_error(run(project, "check"),
                           f"{config}: unknown key 'exlude' (known: disable-plugins, exclude, extends, fail-on, max-file-size, max-findings-per-rule, overrides, plugins, respect-gitignore, rules)")

    def test_bad_yaml_gives_file_and_line(self, project):
        config = write(project / ".lintnews.yaml", "rules:\n  image-alt: [\n")
        result = run(project, "check")
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.startswith(f"lintnews: error: {config}: not valid YAML (line 3, column 1): ")
        assert result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr

    @pytest.mark.parametrize("where", ["command line", "configuration"])
    def test_a_max_file_size_too_large_to_count_in_bytes(self, project, where):
        # 1e308 MB overflows when counted in bytes: a one-line error naming the option, not a crash
        write(project / "a.md", CLEAN)
        bound = "must be a number of megabytes above 0 and at most 8796093022207, not 1e+308"
        if where == "configuration":
            config = write(project / ".lintnews.yaml", "max-file-size: 1.0e+308\n")
            assert_usage_error(run(project, "check", "--no-cache", "a.md"), f"{config}: max-file-size: {bound}")
        else:
            assert_usage_error(run(project, "check", "--no-cache", "--max-file-size", "1e308", "a.md"),
                               f"command line: --max-file-size: {bound}")

    @pytest.mark.parametrize("name, text", [(".lintnews.yaml", "max-file-size: 1{}\n"),
                                            ("pyproject.toml", "[tool.lintnews]\nmax-file-size = 1{}\n")])
    def test_a_number_of_thousands_of_digits_in_the_configuration(self, project, name, text):
        config = write(project / name, text.format("0" * 5000))
        assert_usage_error(run(project, "check", "--no-cache"), f"{config}: holds a number of thousands of digits")

    def test_config_found_from_a_subfolder(self, project):
        config = write(project / ".lintnews.yaml", "rules:\n  image-alts: false\n")
        (project / "posts").mkdir()
        result = run(project / "posts", "check")
        assert result.returncode == 2
        assert result.stderr.startswith(f"lintnews: error: {config}: ")

    def test_bad_pyproject_table(self, project):
        pyproject = write(project / "pyproject.toml", "[tool.lintnews]\nfail-on = 'fatal'\n")
        assert_usage_error(run(project, "check"),
                           f"{pyproject}: fail-on: unknown severity 'fatal' (expected error, warning or info)")

    def test_pyproject_table_under_tool(self, project):
        write(project / "pyproject.toml", "[tool]\nlintnews = { fail-on = 'warning' }\n")
        write(project / "a.md", WARNING_ONLY)
        result = run(project, "check")
        assert result.returncode == 1
        assert result.stdout.splitlines()[0] == "a.md:8:4: warning image-alt image has no alt attribute"

    def test_dangling_config_symlink(self, project):
        (project / ".lintnews.yaml").symlink_to("elsewhere/settings.yaml")
        write(project / "a.md", WARNING_ONLY)
        assert_usage_error(run(project, "check"), f"{project / '.lintnews.yaml'}: cannot read configuration: "
                                                  "a symlink to elsewhere/settings.yaml, which leads to no file")

    def test_a_configuration_nested_too_deep(self, project):
        config = write(project / ".lintnews.yaml", "rules: " + "[" * 100_000 + "\n")
        write(project / "a.md", WARNING_ONLY)
        assert_usage_error(run(project, "check", "a.md"), f"{config}: nests deeper than 64 levels")

    def test_missing_explicit_config(self, project):
        assert_usage_error(run(project, "check", "--config", "nope.yaml"), "nope.yaml: config file not found")


# -- output formats --------------------------------------------------------------

class TestOutput:
    def test_text_lines_and_summary(self, project):
        write(project / "a.md", WARNING_ONLY)
        write(project / "b.md", WITH_ERROR)
        write(project / "c.md", CLEAN)
        result = run(project, "check")
        assert result.returncode == 1
        assert result.stdout.splitlines() == [
            "a.md:8:4: warning image-alt image has no alt attribute",
            "b.md:1:1: error front-matter-required required key 'author' or 'authors' is missing",
            "b.md:6:4: warning inline-style inline style attribute (color)",
            "Found 3 problems (1 error, 2 warnings, 0 info) in 2 files (3 files checked).",
            "1 fixable with --fix; --diff shows the changes first.",  # the style attribute
        ]
        assert result.stdout.endswith(".\n")

    def test_singular_summary(self, project):
        write(project / "a.md", WARNING_ONLY)
        result = run(project, "check", "a.md")
        assert result.stdout.splitlines()[-1] == \
            "Found 1 problem (0 errors, 1 warning, 0 info) in 1 file (1 file checked)."

    def test_positions_are_sorted(self, project):
        write(project / "c.md", UNSORTED)
        result = run(project, "check")
        assert result.stdout.splitlines()[:3] == [
            "c.md:7:1: warning image-alt image alt text 'image' says nothing: describe the image",
            "c.md:8:4: warning inline-style inline style attribute (color)",
            "c.md:9:1: warning image-alt image has no alt attribute",
        ]

    def test_json_keys_and_values(self, project):
        write(project / "b.md", WITH_ERROR)
        result = run(project, "check", "--output-format", "json")
        assert result.returncode == 1
        assert json.loads(result.stdout) == [
            {"path": "b.md", "line": 1, "column": 1, "end_line": None, "end_column": None,
             "rule": "front-matter-required", "severity": "error",
             "message": "required key 'author' or 'authors' is missing", "fix": None},
            {"path": "b.md", "line": 6, "column": 4, "end_line": 6, "end_column": 21,
             "rule": "inline-style", "severity": "warning", "message": "inline style attribute (color)",
             "fix": {"applicability": "safe",
                     "edits": [{"start": 56, "end": 74, "replacement": "", "line": 6, "column": 3,
                                "end_line": 6, "end_column": 21}]}},
        ]

    def test_json_end_positions(self, project):
        write(project / "c.md", CLEAN.replace("<p>Shares", "<!-- x --><p>Shares"))
        (finding,) = json.loads(run(project, "check", "--output-format", "json").stdout)
        assert (finding["rule"], finding["line"], finding["column"], finding["end_line"],
                finding["end_column"]) == ("leftover-markup", 7, 1, 7, 11)

    def test_json_is_sorted_by_path_line_column_rule(self, project):
        write(project / "b.md", WITH_ERROR)
        write(project / "a" / "z.md", UNSORTED)
        write(project / "a.md", WARNING_ONLY)
        write(project / "d.md", "<img src='https://cdn.163.com/x.png'> 正文。\n")
        result = run(project, "check", "--output-format", "json")
        findings = json.loads(result.stdout)
        keys = [(f["path"], f["line"], f["column"], f["rule"]) for f in findings]
        assert keys == [
            ("a.md", 8, 4, "image-alt"),
            ("a/z.md", 7, 1, "image-alt"),
            ("a/z.md", 8, 4, "inline-style"),
            ("a/z.md", 9, 1, "image-alt"),
            ("b.md", 1, 1, "front-matter-required"),
            ("b.md", 6, 4, "inline-style"),
            ("d.md", 1, 1, "editor-credit"),
            ("d.md", 1, 1, "front-matter-required"),
            ("d.md", 1, 1, "image-alt"),
        ]
        assert all(list(f) == ["path", "line", "column", "end_line", "end_column", "rule", "severity",
                               "message", "fix"] for f in findings)
        # deterministic: a second run gives the same bytes
        assert run(project, "check", "--output-format", "json").stdout == result.stdout

    def test_json_when_clean(self, project):
        write(project / "clean.md", CLEAN)
        result = run(project, "check", "--output-format", "json")
        assert (result.returncode, result.stdout) == (0, "[]\n")

    def test_crlf_and_bom_positions(self, project):
        (project / "crlf.md").write_bytes(WARNING_ONLY.replace("\n", "\r\n").encode("utf-8"))
        (project / "bom.md").write_bytes(b"\xef\xbb\xbf" + WARNING_ONLY.encode("utf-8"))
        result = run(project, "check", "--select", "image-alt")
        assert result.stdout.splitlines()[:2] == [
            "bom.md:8:4: warning image-alt image has no alt attribute",
            "crlf.md:8:4: warning image-alt image has no alt attribute",
        ]

    def test_select_and_ignore(self, project):
        write(project / "b.md", WITH_ERROR + IMAGE_ONLY)
        selected = run(project, "check", "--select", "inline-style", "--select", "image-alt")
        assert selected.stdout.splitlines()[-1] == "1 fixable with --fix; --diff shows the changes first."
        assert [line.split()[2] for line in selected.stdout.splitlines()[:-2]] == ["inline-style", "image-alt"]
        assert selected.returncode == 0
        ignored = run(project, "check", "--ignore", "front-matter-required,inline-style")
        assert [line.split()[2] for line in ignored.stdout.splitlines()[:-1]] == ["image-alt"]

    def test_encoding_error_is_a_finding(self, project):
        (project / "gbk.md").write_bytes("---\ntitle: 中文\n---\n".encode("gbk"))
        write(project / "clean.md", CLEAN)
        result = run(project, "check")
        assert result.returncode == 1
        assert result.stdout.splitlines() == [
            "gbk.md:2:8: error encoding file is not valid UTF-8 (byte 0xd6); re-save it as UTF-8",
            "Found 1 problem (1 error, 0 warnings, 0 info) in 1 file (2 files checked).",
        ]
        assert "Traceback" not in result.stderr
        assert result.stderr == ""

    def test_impossible_date_is_a_finding_not_a_crash(self, project):
        write(project / "d.md", CLEAN.replace("2022-08-02", "2022-02-30"))
        result = run(project, "check", "--output-format", "json")
        assert result.returncode == 1
        assert result.stderr == ""
        (finding,) = json.loads(result.stdout)
        assert (finding["rule"], finding["line"], finding["column"]) == ("front-matter-date", 3, 7)


# -- finding files ---------------------------------------------------------------

@pytest.mark.parametrize("output_file", [".", "/", "", "posts", "posts/", "out/", "out/.", "out" + os.sep])
def test_an_output_file_naming_a_folder_is_a_usage_error(project, output_file):
    write(project / "posts" / "a.md", WARNING_ONLY)
    assert_usage_error(run(project, "check", "--output-file", output_file),
                       f"cannot write {output_file!r}: it names a folder, not a file")
    assert not (project / "out").exists()  # no file "out" written for "out/"


@pytest.mark.parametrize("option", ["--select", "--ignore", "--fix-only"])
@pytest.mark.parametrize("value", ["", ",", " , "])
def test_a_rule_list_naming_no_rule_is_a_usage_error(project, option, value):
    """An empty CI variable ("--select $RULES") would otherwise run every rule, or fix none."""
    write(project / "posts" / "a.md", WITH_ERROR)
    assert_usage_error(run(project, "check", option, value), f"{option} {value!r} names no rule (rule ids, comma-separated)")
    assert (project / "posts" / "a.md").read_text(encoding="utf-8") == WITH_ERROR
    assert sorted(path.name for path in project.iterdir()) == [".git", "posts"]


def test_a_draft_is_one_in_the_project_s_drafts_folder_not_one_of_a_folder_above_it(tmp_path):
    root = tmp_path / "_drafts" / "site"  # the repository itself lies in a folder named _drafts
    (root / ".git").mkdir(parents=True)
    write(root / ".lintnews.yaml", "rules:\n  front-matter-required:\n    filename-date: true\n")
    for name in ("posts/undated.md", "_drafts/idea.md"):
        write(root / name, "---\ntitle: Markets close higher\nauthor: Jane Doe\n---\nBody.\n")
    result = run(root, "check", "--no-cache", "--select", "front-matter-required")
    assert result.stdout.splitlines()[0] == ("posts/undated.md:1:1: error front-matter-required required key "
                                             "'date' or 'pubDate' or 'publishDate' is missing")
    assert result.stdout.splitlines()[1].startswith("Found 1 problem")


class TestDiscovery:
    def _tree(self, project: Path) -> None:
        for name in ("posts/a.md", "posts/b.markdown", "posts/bb.mdx", "posts/c.html", "posts/d.htm", "posts/e.txt",
                     "posts/f.MD", "posts/deep/g.md", ".git/h.md", "node_modules/pkg/i.md", ".hidden/j.md",
                     "posts/.cache/k.md", "drafts/l.md", "posts/old/m.md", "posts/z-n.md", "o.md"):
            write(project / name, IMAGE_ONLY)

    def _paths(self, result: subprocess.CompletedProcess) -> list[str]:
        return [line.split(":")[0] for line in result.stdout.splitlines()[:-1]]

    def test_folders_are_searched_for_articles(self, project):
        self._tree(project)
        result = run(project, "check", "--select", "image-alt")
        assert self._paths(result) == ["drafts/l.md", "o.md", "posts/a.md", "posts/b.markdown", "posts/bb.mdx",
                                       "posts/c.html", "posts/d.htm", "posts/deep/g.md", "posts/f.MD",
                                       "posts/old/m.md", "posts/z-n.md"]
        assert result.stdout.splitlines()[-1].endswith("in 11 files (11 files checked).")

    def test_exclude_globs_are_honoured(self, project):
        self._tree(project)
        write(project / ".lintnews.yaml", "exclude:\n  - drafts\n  - posts/old/**\n  - z-*.md\n")
        result = run(project, "check", "--select", "image-alt")
        assert self._paths(result) == ["o.md", "posts/a.md", "posts/b.markdown", "posts/bb.mdx", "posts/c.html",
                                       "posts/d.htm", "posts/deep/g.md", "posts/f.MD"]

    def test_exclude_is_relative_to_the_project_root(self, project):
        self._tree(project)
        write(project / ".lintnews.yaml", "exclude:\n  - /posts/old\n  - /o.md\n")
        result = run(project / "posts", "check", "--select", "image-alt")
        assert self._paths(result) == ["a.md", "b.markdown", "bb.mdx", "c.html", "d.htm", "deep/g.md", "f.MD",
                                       "z-n.md"]

    def test_named_files_are_always_linted(self, project):
        self._tree(project)
        write(project / ".lintnews.yaml", "exclude: [drafts]\n")
        result = run(project, "check", "--select", "image-alt", "drafts/l.md", "posts/e.txt", "./drafts/l.md")
        assert self._paths(result) == ["drafts/l.md", "posts/e.txt"]

    def test_several_paths(self, project):
        self._tree(project)
        result = run(project, "check", "--select", "image-alt", "posts/deep", "o.md")
        assert self._paths(result) == ["o.md", "posts/deep/g.md"]

    def test_empty_folder(self, project):
        (project / "empty").mkdir()
        result = run(project, "check", "empty")
        assert (result.returncode, result.stdout) == (0, "No problems found (0 files checked).\n")


# -- configuration files -----------------------------------------------------------

class TestConfigFiles:
    def test_lintnews_yaml_rule_settings_and_overrides(self, project):
        write(project / ".lintnews.yaml", "rules:\n  image-alt: error\n"
                                          "overrides:\n  'archive/**':\n    image-alt: false\n")
        write(project / "a.md", WARNING_ONLY)
        write(project / "archive" / "b.md", WARNING_ONLY)
        result = run(project, "check")
        assert result.returncode == 1
        assert result.stdout.splitlines() == [
            "a.md:8:4: error image-alt image has no alt attribute",
            "Found 1 problem (1 error, 0 warnings, 0 info) in 1 file (2 files checked).",
        ]

    def test_pyproject_tool_table(self, project):
        write(project / "pyproject.toml", "[project]\nname = 'site'\n\n[tool.lintnews]\nexclude = ['drafts']\n\n"
                                          "[tool.lintnews.rules]\nimage-alt = 'error'\n")
        write(project / "a.md", WARNING_ONLY)
        write(project / "drafts" / "b.md", WARNING_ONLY)
        result = run(project, "check")
        assert result.returncode == 1
        assert result.stdout.splitlines() == [
            "a.md:8:4: error image-alt image has no alt attribute",
            "Found 1 problem (1 error, 0 warnings, 0 info) in 1 file (1 file checked).",
        ]

    def test_explicit_config_file(self, project):
        write(project / ".lintnews.yaml", "rules:\n  image-alt: false\n")
        write(project / "conf" / "lint.yaml", "rules:\n  image-alt: info\n")
        write(project / "a.md", WARNING_ONLY)
        result = run(project, "check", "--config", "conf/lint.yaml", "--fail-on", "info")
        assert result.returncode == 1
        assert result.stdout.splitlines() == [
            "a.md:8:4: info image-alt image has no alt attribute",
            "Found 1 problem (0 errors, 0 warnings, 1 info) in 1 file (1 file checked).",
        ]
        # without --config the discovered file turns the rule off
        assert run(project, "check").stdout == "No problems found (1 file checked).\n"

    def test_config_above_the_repository_is_not_used(self, project):
        write(project / ".lintnews.yaml", "rules:\n  image-alt: false\n")
        repo = project / "repo"
        (repo / ".git").mkdir(parents=True)
        write(repo / "a.md", WARNING_ONLY)
        result = run(repo, "check")
        assert result.stdout.startswith("a.md:8:4: warning image-alt image has no alt attribute\n")


# -- rules, explain, version ---------------------------------------------------------

class TestInformation:
    def test_rules_lists_every_rule(self, project):
        result = run(project, "rules")
        assert result.returncode == 0
        rows = [line.split(None, 5) for line in result.stdout.splitlines()]
        loaded = collect_rules(plugin_manager())
        assert [row[0] for row in rows] == list(loaded)
        for rule_id, severity, default, fix, plugin, summary in rows:
            assert severity == str(loaded[rule_id].severity)
            assert default == ("on" if loaded[rule_id].enabled else "opt-in")
            assert fix == (loaded[rule_id].fix or "-")
            assert plugin == loaded[rule_id].plugin
            assert summary == loaded[rule_id].summary
        assert {row[0] for row in rows if row[2] == "opt-in"} >= {"banned-terms", "cjk-latin-spacing",
                                                                  "suppression-reason"}
        assert {row[0]: row[3] for row in rows}["inline-style"] == "safe"
        assert {row[0]: row[3] for row in rows}["promo-boilerplate"] == "unsafe"
        builtin = {row[0]: (row[1], row[4]) for row in rows}
        assert builtin["image-alt"] == ("warning", "lintnews.images")
        assert builtin["image-broken"] == ("error", "lintnews.images")
        assert builtin["front-matter-required"] == ("error", "lintnews.front_matter")
        assert builtin["front-matter-syntax"] == ("error", "lintnews.front_matter")
        assert builtin["front-matter-date"] == ("error", "lintnews.front_matter")
        assert builtin["inline-style"] == ("warning", "lintnews.markup")
        assert builtin["leftover-markup"] == ("warning", "lintnews.markup")
        assert builtin["editor-credit"] == ("error", "lintnews.editor_credit")

    def test_rules_as_json_for_tools(self, project):
        result = run(project, "rules", "--output-format", "json")
        assert result.returncode == 0
        listed = {entry["id"]: entry for entry in json.loads(result.stdout)}
        assert listed["image-alt"] == {
            "id": "image-alt", "severity": "warning", "enabled": True, "fix": None, "plugin": "lintnews.images",
            "summary": "Images need alternative text, and the text must say something.",
            "url": "https://github.com/lintnews/lintnews/blob/main/docs/rules.md#image-alt"}
        assert listed["banned-terms"]["enabled"] is False
        assert (listed["inline-style"]["fix"], listed["halfwidth-punctuation"]["fix"]) == ("safe", "unsafe")

    def test_explain_prints_documentation_and_options(self, project):
        result = run(project, "explain", "image-alt")
        assert result.returncode == 0
        lines = result.stdout.splitlines()
        assert lines[0] == "image-alt  (default severity: warning; no fix; plugin: lintnews.images)"
        fixable = run(project, "explain", "halfwidth-punctuation").stdout.splitlines()[0]
        assert fixable == "halfwidth-punctuation  (default severity: warning; fix: unsafe; plugin: lintnews.punctuation)"
        assert lines[1] == ""
        assert lines[2] == "Images need alternative text, and the text must say something."
        assert "Fails:" in lines and "Passes:" in lines
        options = lines.index("Options and their defaults:")
        assert [line.split(":")[0] for line in lines[options + 1:]] == [
            "  allow-empty", "  meaningless", "  block-classes", "  allow-filler", "  per-article"]
        assert lines[options + 1] == "  allow-empty: true"

    def test_explain_of_a_rule_without_options(self, project):
        result = run(project, "explain", "front-matter-syntax")
        assert result.returncode == 0
        assert result.stdout.startswith("front-matter-syntax  (default severity: error; no fix; "
                                        "plugin: lintnews.front_matter)\n\n")
        assert "Options and their defaults:" not in result.stdout

    def test_explain_unknown_rule_exits_2(self, project):
        assert_usage_error(run(project, "explain", "image-alts"),
                           "unknown rule 'image-alts' (run 'lintnews rules' to list them)")

    def test_version(self, project):
        result = run(project, "--version")
        assert result.returncode == 0
        assert result.stdout == f"lintnews {lintnews.__version__}\n"
        assert lintnews.__version__ == "0.1.0"


def test_console_script(project):
    script = Path(sysconfig.get_path("scripts")) / ("lintnews.exe" if os.name == "nt" else "lintnews")
    assert script.is_file(), f"console script not installed at {script}"
    write(project / "b.md", WITH_ERROR)
    result = subprocess.run([str(script), "check", "--select", "front-matter-required"], cwd=project, env=ENV,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "b.md:1:1: error front-matter-required required key 'author' or 'authors' is missing",
        "Found 1 problem (1 error, 0 warnings, 0 info) in 1 file (1 file checked).",
    ]
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60, env=ENV)
    assert version.stdout == f"lintnews {lintnews.__version__}\n"


# a plugin that leaves work for the end of the process: an atexit handler and a thread still running
LATE_WORK = """\
import atexit, pathlib, threading, time

def _late(name):
    pathlib.Path(name).write_text("done", encoding="utf-8")

if {handler!r}:
    atexit.register(_late, "from-atexit.txt")
else:
    threading.Thread(target=lambda: (time.sleep(0.3), _late("from-thread.txt"))).start()
"""


@pytest.mark.parametrize("handler", [True, False])
def test_work_a_plugin_leaves_for_the_exit_is_done(project, handler):
    write(project / "late.py", LATE_WORK.format(handler=handler))
    write(project / "a.md", IMAGE_ONLY)
    result = run(project, "check", "--plugin", "late.py", "a.md")
    assert (result.returncode, result.stdout.splitlines()[-1]) == \
        (1, "Found 2 problems (1 error, 1 warning, 0 info) in 1 file (1 file checked)."), result.stderr
    assert (project / ("from-atexit.txt" if handler else "from-thread.txt")).read_text(encoding="utf-8") == "done"


# what a one-file check never needs: the fixing code (threads, tempfile), OpenSSL, the scan of every
# installed distribution (the index answers), argparse's terminal look-up
NOT_IMPORTED = ("concurrent.futures", "tempfile", "hashlib", "importlib.metadata", "shutil", "difflib")


def test_a_one_file_check_imports_nothing_it_does_not_use(project):
    write(project / "a.md", WITH_ERROR)
    code = ("import sys\nfrom lintnews.cli import main\nmain(['check', 'a.md'])\n"
            f"print(sorted(set({NOT_IMPORTED!r}) & set(sys.modules)))")
    env = {**ENV, "LINTNEWS_CACHE_DIR": str(project / "cache")}
    for _ in range(2):  # the first run writes the index of entry points and the results cache
        result = subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True,
                                text=True, timeout=60)
    assert result.stdout.splitlines()[-1] == "[]", result.stderr


def test_a_profiled_run_keeps_its_profile(project):
    write(project / "a.md", IMAGE_ONLY)
    subprocess.run([sys.executable, "-m", "cProfile", "-o", "run.prof", "-m", "lintnews", "check", "a.md"],
                   cwd=project, env=ENV, capture_output=True, timeout=60)
    assert (project / "run.prof").stat().st_size > 0


class TestColour:
    """Colour for a person at a terminal only; NO_COLOR and FORCE_COLOR respected."""

    @staticmethod
    def _run(project, **env):
        base = {k: v for k, v in os.environ.items()
                if k not in ("NO_COLOR", "FORCE_COLOR", "PRE_COMMIT", "CI", "GITHUB_ACTIONS")}
        return subprocess.run([sys.executable, "-m", "lintnews", "check", "b.md"], cwd=project,
                              env={**base, **env}, capture_output=True, text=True, timeout=60)

    def test_no_colour_when_piped(self, project):
        write(project / "b.md", WITH_ERROR)
        assert "\x1b[" not in self._run(project).stdout

    def test_force_colour(self, project):
        write(project / "b.md", WITH_ERROR)
        out = self._run(project, FORCE_COLOR="1").stdout
        assert out.splitlines()[0] == ("\x1b[1mb.md\x1b[0m:1:1: \x1b[1;31merror\x1b[0m \x1b[2mfront-matter-required"
                                       "\x1b[0m required key 'author' or 'authors' is missing")

    def test_no_colour_wins_over_force_colour(self, project):
        write(project / "b.md", WITH_ERROR)
        assert "\x1b[" not in self._run(project, FORCE_COLOR="1", NO_COLOR="1").stdout

    def test_terminal_gets_colour_but_not_under_pre_commit_or_ci(self, project):
        import pty
        write(project / "b.md", WITH_ERROR)
        base = {k: v for k, v in os.environ.items()
                if k not in ("NO_COLOR", "FORCE_COLOR", "PRE_COMMIT", "CI", "GITHUB_ACTIONS")}
        outputs = []
        for extra in ({}, {"PRE_COMMIT": "1"}, {"CI": "true"}):
            leader, follower = pty.openpty()
            subprocess.run([sys.executable, "-m", "lintnews", "check", "b.md"], cwd=project,
                           env={**base, **extra}, stdout=follower, stderr=subprocess.DEVNULL, timeout=60)
            os.close(follower)
            chunks = []
            while True:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            os.close(leader)
            outputs.append(b"".join(chunks).decode())
        assert "\x1b[1;31merror" in outputs[0]
        assert "\x1b[" not in outputs[1] and "\x1b[" not in outputs[2]


def test_file_names_after_a_double_dash_are_files_even_when_they_look_like_options(tmp_path, monkeypatch, capsys):
    from lintnews.cli import main

    for name in ("-x.md", "--select.md", "--"):
        (tmp_path / name).write_text("bell \x07\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--select", "bad-characters", "--force-exclude", "--", "-x.md", "--select.md"]) == 1
    assert capsys.readouterr().out.splitlines()[:-1] == [
        "--select.md:1:6: error bad-characters control character U+0007 BELL",
        "-x.md:1:6: error bad-characters control character U+0007 BELL",
    ]



class TestShowSettings:
    CONFIG = ("extends: en-newsroom\nexclude: ['vendor/**']\noverrides:\n  'drafts/**':\n"
              "    inline-style: {severity: error, per-article: true}\n    image-alt: false\n")

    def _shown(self, project, *args) -> dict:
        import yaml

        result = run(project, "check", "--show-settings", *args)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("# the settings lintnews applies to ")
        return yaml.safe_load(result.stdout)

    def test_a_file_under_an_override_gets_its_severity_options_and_rules(self, project):
        write(project / ".lintnews.yaml", self.CONFIG)
        drafts = self._shown(project, "drafts/new.md")  # need not exist
        posts = self._shown(project, "posts/a.md")
        assert (drafts["file"], drafts["config"], drafts["overrides"]) == (
            "drafts/new.md", str(project / ".lintnews.yaml"), ["drafts/**"])
        assert drafts["rules"]["inline-style"]["severity"] == "error"
        assert drafts["rules"]["inline-style"]["options"]["per-article"] is True
        assert "image-alt" in drafts["disabled"] and "image-alt" in posts["rules"]
        assert posts["overrides"] == [] and posts["rules"]["inline-style"] == {
            "severity": "warning", "options": {**drafts["rules"]["inline-style"]["options"], "per-article": False}}
        assert posts["rules"]["editor-credit"]["severity"] == "warning"  # as the en-newsroom preset has it
        assert "halfwidth-punctuation" in posts["disabled"]
        assert not (project / "drafts").exists()

    def test_the_command_line_and_exclusion_are_shown(self, project):
        write(project / ".lintnews.yaml", self.CONFIG)
        shown = self._shown(project, "vendor/x.md", "--select", "image-alt,inline-style", "--fail-on", "warning",
                            "--max-file-size", "2")
        assert shown["excluded"] is True
        assert list(shown["rules"]) == ["image-alt", "inline-style"]
        assert (shown["fail-on"], shown["max-file-size"]) == ("warning", 2.0)
        assert self._shown(project, "--stdin-filename", "drafts/a.md")["overrides"] == ["drafts/**"]

    @pytest.mark.parametrize("paths", [[], ["a.md", "b.md"]])
    def test_it_takes_exactly_one_path(self, project, paths):
        assert_usage_error(run(project, "check", "--show-settings", *paths),
                           "--show-settings takes one PATH: the file whose settings to show")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "ascii"])
def test_a_console_that_is_not_utf8_gets_the_whole_report(project, encoding):
    # a Windows pipe (cp1252), a Latin-1 locale: the text report in the console's encoding, what
    # it cannot hold escaped; a report for programs (JSON) stays UTF-8 on the console as in a file
    write(project / "b.md", "---\ntitle: 标题\nauthor: A\ndate: 2022-08-02\n---\n\n责任编辑：\n")
    env = {**ENV, "PYTHONIOENCODING": encoding}

    def check(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "lintnews", "check", "--no-cache", *args], cwd=project,
                              env=env, capture_output=True, timeout=60)

    text = check()
    assert (text.returncode, text.stderr) == (1, b"")
    assert text.stdout.decode(encoding).splitlines() == [
        "b.md:7:1: error editor-credit empty editor credit: "
        "'\\u8d23\\u4efb\\u7f16\\u8f91\\uff1a' names nobody",
        "Found 1 problem (1 error, 0 warnings, 0 info) in 1 file (1 file checked)."]
    github = check("--output-format", "github")  # read by the Actions runner, as UTF-8
    assert github.returncode == 1 and "责任编辑" in github.stdout.decode("utf-8")
    # a patch is applied, not read: what it adds is the article's text, not its escapes
    write(project / "e.md", "---\ntitle: Rates rise &mdash; again\nauthor: A\ndate: 2022-08-02\n---\n\nText.\n")
    diff = check("--diff", "e.md")
    assert "+title: Rates rise \u2014 again\n" in diff.stdout.decode("utf-8")
    data = check("--output-format", "json")
    assert data.returncode == 1
    assert json.loads(data.stdout.decode("utf-8"))[0]["message"] == "empty editor credit: '责任编辑：' names nobody"
    assert check("--statistics").returncode == 1


def test_pre_commit_with_no_file_after_the_separator_lints_nothing(project):
    # pre-commit runs an always_run hook with no file when nothing is staged: not the whole folder
    write(project / "b.md", "---\ntitle: t\nauthor: A\ndate: 2022-08-02\n---\n\n责任编辑：\n")
    result = run(project, "check", "--no-cache", "--pre-commit", "--")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert run(project, "check", "--no-cache", "--pre-commit", "--", "b.md").returncode == 1


def test_pre_commit_reads_a_staged_file_named_dash_as_that_file(project):
    write(project / "-", "---\ntitle: t\nauthor: A\ndate: 2022-08-02\n---\n\n责任编辑：\n")
    result = subprocess.run([sys.executable, "-m", "lintnews", "check", "--no-cache", "--pre-commit", "--", "-"],
                            cwd=project, env=ENV, input="plain text\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0].startswith("-:7:1: error editor-credit"), result.stdout

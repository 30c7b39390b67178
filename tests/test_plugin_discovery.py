"""End-to-end plugin discovery: repository-local plugins, installed distributions, the output-format
and front-matter-format hooks, plugin rule options and ``lint_string(plugins=...)``.

Each test builds a temporary project (with a ``.git`` folder, so config discovery stops there) and
runs the real ``python -m lintnews`` in it; installed plugins are fake distributions (a module and
its ``dist-info``) on PYTHONPATH, which is exactly what importlib.metadata reads.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

import lintnews
from lintnews import hookimpl
from lintnews.document import FrontMatterError, FrontMatterFormat
from lintnews.plugins import (PluginError, collect_front_matter_formats, collect_output_formats, collect_rules,
                              plugin_manager)
from lintnews.output import FORMATS
from lintnews.testing import lint_string

VERSION = lintnews.__version__
FRONT_MATTER_RULES = "front-matter-required,front-matter-syntax,front-matter-date"



def _builtin_lines() -> list[str]:
    """``lintnews plugins``'s line for each built-in plugin, ``NAME  (lintnews VERSION (built-in))  rules:
    ...``; the rule ids come from the built-ins themselves, which other work may extend."""
    rules = collect_rules(plugin_manager(environ={"LINTNEWS_DISABLE_PLUGIN_AUTOLOAD": "1"}))
    plugins = sorted({rule.plugin for rule in rules.values()})
    lines = [f"{name}  (lintnews {VERSION} (built-in))  rules: "
             f"{', '.join(rule_id for rule_id, rule in rules.items() if rule.plugin == name)}" for name in plugins]
    assert {"lintnews.front_matter", "lintnews.images", "lintnews.markup", "lintnews.suppressions"} <= set(plugins)
    assert f"lintnews.images  (lintnews {VERSION} (built-in))  rules: image-alt, image-broken, image-folder-missing, image-unverified" \
        in lines
    return lines


BUILTIN_LINES = _builtin_lines()

# -- plugin sources ----------------------------------------------------------------

# one rule with options; its message echoes the options it received
HOUSE_RULES = '''\
from lintnews import hookimpl, rule


@rule("house-todo", severity="warning", options={"allowed": ["a"], "limit": 3})
def house_todo(doc, options):
    """Articles must not keep an editor's TODO note.

    A TODO left in the text is published with it.
    """
    offset = doc.text.find("TODO")
    if offset >= 0:
        yield doc.violation(offset, f"TODO note left (allowed={options['allowed']!r}, "
                                    f"limit={options['limit']!r})")


@hookimpl
def lintnews_rules():
    return [house_todo]
'''

# a package plugin whose rule lives in a submodule reached by a relative import
PKG_INIT = '''\
from lintnews import hookimpl

from .checks import no_lorem


@hookimpl
def lintnews_rules():
    return [no_lorem]
'''

PKG_CHECKS = '''\
from lintnews import rule


@rule("no-lorem", severity="warning")
def no_lorem(doc, options):
    """Placeholder text must not be published."""
    offset = doc.text.find("lorem ipsum")
    if offset >= 0:
        yield doc.violation(offset, "placeholder text 'lorem ipsum'")
'''

FANCY_RULES = '''\
from lintnews import hookimpl, rule


@rule("fancy-shouting", severity="warning")
def fancy_shouting(doc, options):
    """Headlines must not shout BREAKING."""
    offset = doc.text.find("BREAKING")
    if offset >= 0:
        yield doc.violation(offset, "do not shout BREAKING")


@hookimpl
def lintnews_rules():
    return [fancy_shouting]
'''

# the docs' CSV example, plus a rule so that "rules: ...; formats: ..." shows both
CSV_FORMAT = '''\
import csv
import io

from lintnews import hookimpl, rule


def as_csv(report):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\\n")
    for f in report.findings:
        writer.writerow([f.path, f.line, f.column, f.severity, f.rule, f.message])
    return out.getvalue()


@rule("csv-noop", severity="info")
def csv_noop(doc, options):
    """Never reports anything."""
    yield from ()


@hookimpl
def lintnews_rules():
    return [csv_noop]


@hookimpl
def lintnews_output_formats():
    return {"csv": as_csv}
'''


def _format_plugin(name: str) -> str:
    return f'''\
from lintnews import hookimpl


@hookimpl
def lintnews_output_formats():
    return {{"{name}": lambda report: "nothing\\n"}}
'''


TOML_FRONT_MATTER = '''\
import re
import tomllib

from lintnews import hookimpl
from lintnews.document import FrontMatterError, FrontMatterFormat


def load(source):
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\\(at line (\\d+), column (\\d+)\\)", str(exc))
        offset = 0
        if where:
            line, column = int(where.group(1)), int(where.group(2))
            offset = sum(len(text) + 1 for text in source.split("\\n")[:line - 1]) + column - 1
        raise FrontMatterError(str(exc), offset) from None


@hookimpl
def lintnews_front_matter_formats():
    return [FrontMatterFormat("TOML", r"\\+{3}", load)]
'''

HUGO_ARTICLE = '''\
+++
title = "Markets close higher"
date = 2022-08-02
author = ""
+++
<p>Shares rose.</p>
'''

# -- helpers -------------------------------------------------------------------------

_DROPPED = ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "PYTHONPATH")


def _env(**extra: str) -> dict:
    """This environment without lintnews's settings, but for the suite's own cache folder (``conftest``)."""
    env = {key: value for key, value in os.environ.items()
           if key not in _DROPPED and not key.startswith("LINTNEWS_")}
    env["LINTNEWS_CACHE_DIR"] = os.environ["LINTNEWS_CACHE_DIR"]
    env.update(extra)
    return env


def _autoload_env(site: Path, value: str) -> dict:
    """``site`` on the path before the lintnews being tested (where PYTHONPATH names it), and the variable."""
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    return _env(PYTHONPATH=path, LINTNEWS_DISABLE_PLUGIN_AUTOLOAD=value)


def run(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lintnews", *args], cwd=cwd, env=env or _env(),
                          capture_output=True, text=True, timeout=60)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def assert_usage_error(result: subprocess.CompletedProcess, message: str) -> None:
    """Exit 2, nothing on stdout, exactly this one line on stderr."""
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"lintnews: error: {message}\n")


def assert_one_line_error(result: subprocess.CompletedProcess) -> str:
    """Exit 2, nothing on stdout, one ``lintnews: error:`` line and no traceback; returns the line."""
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert result.stderr.startswith("lintnews: error: "), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr.rstrip("\n")


def fake_distribution(site: Path, dist: str, module: str, code: str, version: str = "1.0",
                      entry_name: str | None = None) -> None:
    """An installed distribution as importlib.metadata finds it on PYTHONPATH: a module and its
    dist-info folder (named with underscores, as pip writes it)."""
    write(site / f"{module}.py", code)
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    write(info / "METADATA", f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    write(info / "entry_points.txt", f"[lintnews]\n{entry_name or module} = {module}\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository root: config discovery stops here."""
    root = tmp_path.resolve() / "repo"
    (root / ".git").mkdir(parents=True)
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder on PYTHONPATH holding the installed distribution lintnews-fancy 2.3."""
    folder = tmp_path.resolve() / "site"
    fake_distribution(folder, "lintnews-fancy", "fancy_rules", FANCY_RULES, version="2.3")
    return folder


# -- 1. repository-local plugins ---------------------------------------------------------

class TestLocalPlugins:
    @pytest.mark.parametrize("spec", ["house_rules", "tools/house_rules.py"])
    def test_config_plugin_is_found_beside_the_config_from_a_subfolder(self, project, spec):
        source = write(project / (spec if spec.endswith(".py") else f"{spec}.py"), HOUSE_RULES)
        write(project / ".lintnews.yaml", f"plugins: [{spec}]\n")
        write(project / "posts" / "a.md", "Shares rose. TODO: check the figures\n")
        result = run(project / "posts", "check", "--select", "house-todo")
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout == (
            "a.md:1:14: warning house-todo TODO note left (allowed=['a'], limit=3)\n"
            "Found 1 problem (0 errors, 1 warning, 0 info) in 1 file (1 file checked).\n")
        listing = run(project / "posts", "plugins")
        assert (listing.returncode, listing.stderr) == (0, "")
        assert listing.stdout.splitlines() == [
            f"house_rules  ({source})  rules: house-todo", *BUILTIN_LINES]

    def test_package_plugin_with_a_relative_import(self, project):
        write(project / "pkgplugin" / "__init__.py", PKG_INIT)
        write(project / "pkgplugin" / "checks.py", PKG_CHECKS)
        write(project / ".lintnews.yaml", "plugins: [pkgplugin]\n")
        write(project / "posts" / "a.md", "Some lorem ipsum here\n")
        result = run(project / "posts", "check", "--select", "no-lorem", "a.md")
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout == (
            "a.md:1:6: warning no-lorem placeholder text 'lorem ipsum'\n"
            "Found 1 problem (0 errors, 1 warning, 0 info) in 1 file (1 file checked).\n")

    def test_command_line_plugin_module_importable_from_the_current_folder(self, project):
        write(project / "house_rules.py", HOUSE_RULES)
        write(project / "a.md", "TODO\n")
        result = run(project, "check", "--plugin", "house_rules", "--select", "house-todo")
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout == (
            "a.md:1:1: warning house-todo TODO note left (allowed=['a'], limit=3)\n"
            "Found 1 problem (0 errors, 1 warning, 0 info) in 1 file (1 file checked).\n")

    def test_command_line_plugin_path_to_a_file(self, project):
        write(project / "path" / "to" / "house_checks.py", HOUSE_RULES)
        write(project / "a.md", "TODO\n")
        result = run(project, "check", "a.md", "--plugin", "path/to/house_checks.py", "--select", "house-todo",
                     "--output-format", "json")
        assert (result.returncode, result.stderr) == (0, "")
        assert '"rule": "house-todo"' in result.stdout
        listing = run(project, "plugins", "--plugin", "path/to/house_checks.py")
        assert listing.stdout.splitlines()[0] == "house_checks  (path/to/house_checks.py)  rules: house-todo"

    def test_config_plugin_next_to_an_explicit_config_file(self, project):
        write(project / "conf" / "house_rules.py", HOUSE_RULES)
        write(project / "conf" / "lintnews.yaml", "plugins: [house_rules]\n")
        write(project / "conf" / "a.md", "TODO\n")
        result = run(project, "check", "conf/a.md", "--config", "conf/lintnews.yaml", "--select", "house-todo")
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout.splitlines()[0] == (
            "conf/a.md:1:1: warning house-todo TODO note left (allowed=['a'], limit=3)")

    def test_missing_config_plugin_exits_2_naming_it(self, project):
        write(project / ".lintnews.yaml", "plugins: [house_rulez]\n")
        (project / "posts").mkdir()
        assert_usage_error(run(project / "posts", "check"),
                           f"plugin 'house_rulez' not found: no such module or file "
                           f"(looked in {project}, {project / 'posts'})")

    def test_missing_command_line_plugin_file_exits_2_naming_it(self, project):
        assert_usage_error(run(project, "check", "--plugin", "tools/missing.py"),
                           f"plugin 'tools/missing.py' not found: no such module or file (looked in {project})")

    @pytest.mark.parametrize("kind", ["module", "file", "package", "dependency"])
    def test_plugin_raising_at_import_exits_2_with_one_line(self, project, kind):
        boom = "raise RuntimeError('house style table missing')\n"
        if kind == "module":
            write(project / "house_rules.py", boom)
            args, message = ["--plugin", "house_rules"], (
                "plugin 'house_rules' (module) failed to load: RuntimeError: house style table missing")
        elif kind == "file":
            write(project / "tools" / "broken.py", boom)
            args, message = ["--plugin", "tools/broken.py"], (
                "plugin 'tools/broken.py' (tools/broken.py) failed to load: "
                "RuntimeError: house style table missing")
        elif kind == "package":
            write(project / "pkgplugin" / "__init__.py", "from .checks import no_lorem\n")
            write(project / "pkgplugin" / "checks.py", boom)
            write(project / ".lintnews.yaml", "plugins: [pkgplugin]\n")
            args, message = [], ("plugin 'pkgplugin' (pkgplugin) failed to load: "
                                 "RuntimeError: house style table missing")
        else:  # the plugin exists, but a module it imports does not: not "plugin not found"
            write(project / "house_rules.py", "import house_style_tables\n")
            args, message = ["--plugin", "house_rules"], (
                "plugin 'house_rules' (module) failed to load: "
                "ModuleNotFoundError: No module named 'house_style_tables'")
        assert_usage_error(run(project, "rules", *args), message)

    def test_misspelled_hook_exits_2(self, project):
        write(project / "house_typo.py", "from lintnews import hookimpl\n\n\n"
                                         "@hookimpl\ndef lintnews_rule():\n    return []\n")
        write(project / ".lintnews.yaml", "plugins: [house_typo]\n")
        line = assert_one_line_error(run(project, "check"))
        assert "'lintnews_rule'" in line and "house_typo" in line

    def test_misspelled_hook_error_names_the_plugin_by_its_name(self, project):
        write(project / "house_typo.py", "from lintnews import hookimpl\n\n\n"
                                         "@hookimpl\ndef lintnews_rule():\n    return []\n")
        line = assert_one_line_error(run(project, "rules", "--plugin", "house_typo"))
        assert "plugin 'house_typo'" in line and "<module" not in line

    def test_hook_with_arguments_the_spec_lacks_exits_2_with_one_line(self, project):
        write(project / "house_args.py", "from lintnews import hookimpl\n\n\n"
                                         "@hookimpl\ndef lintnews_rules(config):\n    return []\n")
        line = assert_one_line_error(run(project, "rules", "--plugin", "house_args"))
        assert "house_args" in line and "lintnews_rules" in line

    def test_rules_hook_returning_a_single_rule_names_the_plugin(self, project):
        write(project / "house_single.py", HOUSE_RULES.replace("return [house_todo]", "return house_todo"))
        line = assert_one_line_error(run(project, "rules", "--plugin", "house_single"))
        assert "plugin 'house_single'" in line

    def test_two_plugin_files_with_the_same_name_both_load_or_exit_2(self, project):
        write(project / "a" / "rules.py", HOUSE_RULES)
        write(project / "b" / "rules.py", PKG_INIT.replace("from .checks import no_lorem", PKG_CHECKS))
        result = run(project, "plugins", "--plugin", "a/rules.py", "--plugin", "b/rules.py")
        assert result.returncode == 2 or "no-lorem" in result.stdout, result.stdout


# -- 2. installed third-party plugins ---------------------------------------------------------

class TestInstalledPlugins:
    def test_plugins_lists_distribution_version_and_rules(self, project, site):
        env = _env(PYTHONPATH=str(site))
        result = run(project, "plugins", env=env)
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout.splitlines() == [
            "lintnews-fancy:fancy_rules  (lintnews-fancy 2.3)  rules: fancy-shouting", *BUILTIN_LINES]
        write(project / "a.md", "BREAKING: shares rose\n")
        check = run(project, "check", "--select", "fancy-shouting", env=env)
        assert check.stdout == ("a.md:1:1: warning fancy-shouting do not shout BREAKING\n"
                                "Found 1 problem (0 errors, 1 warning, 0 info) in 1 file (1 file checked).\n")

    @pytest.mark.parametrize("how", ["autoload-variable", "entry-point-name", "distribution-name"])
    def test_a_disabled_installed_plugin_is_gone_but_builtins_load(self, project, site, how):
        env = _env(PYTHONPATH=str(site))
        if how == "autoload-variable":
            env["LINTNEWS_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        else:
            name = "fancy_rules" if how == "entry-point-name" else "lintnews-fancy"
            write(project / ".lintnews.yaml", f"disable-plugins: [{name}]\n")
        result = run(project, "plugins", env=env)
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout.splitlines() == BUILTIN_LINES
        write(project / "a.md", '<img src="https://cdn.163.com/a.png">\n')
        assert_usage_error(run(project, "check", "--select", "fancy-shouting,image-alt", env=env),
                           "command line: unknown rule 'fancy-shouting'")

    @pytest.mark.parametrize("value, loaded", [("0", True), ("false", True), ("no", True), ("Off", True), ("", True),
                                               ("1", False), ("true", False), ("YES", False), ("on", False)])
    def test_autoload_variable_is_read_as_yes_or_no(self, project, site, value, loaded):
        result = run(project, "rules", env=_autoload_env(site, value))
        assert result.returncode == 0, result.stderr
        assert ("fancy-shouting" in result.stdout) is loaded

    def test_autoload_variable_neither_yes_nor_no_is_an_error(self, project, site):
        result = run(project, "rules", env=_autoload_env(site, "maybe"))
        assert_usage_error(result, "LINTNEWS_DISABLE_PLUGIN_AUTOLOAD='maybe' is neither yes (1, true, yes, on) "
                                   "nor no (0, false, no, off)")

    @pytest.mark.parametrize("name, message", [
        ("lintnews-fancyy", "disable-plugins: no installed plugin is called 'lintnews-fancyy'"),
        ("lintnews", "disable-plugins: 'lintnews' is built in; turn its rules off instead"),
        ("lintnews.images", "disable-plugins: 'lintnews.images' is built in; turn its rules off instead"),
    ])
    def test_disable_plugins_naming_an_unknown_or_builtin_plugin_exits_2(self, project, site, name, message):
        config = write(project / ".lintnews.yaml", f"disable-plugins: [{name}]\n")
        assert_usage_error(run(project, "rules", env=_env(PYTHONPATH=str(site))), f"{config}: {message}")

    def test_disable_plugins_naming_a_builtin_by_entry_point_name_exits_2(self, project):
        write(project / ".lintnews.yaml", "disable-plugins: [images]\n")
        line = assert_one_line_error(run(project, "rules"))
        assert "'images'" in line and "built in" in line


# -- 3. the output-format hook ----------------------------------------------------------------

class TestOutputFormats:
    def test_a_plugin_format_is_an_output_format(self, project):
        write(project / "csv_format.py", CSV_FORMAT)
        write(project / "house_rules.py", HOUSE_RULES)
        write(project / "a.md", "Hello\nTODO\n")
        result = run(project, "check", "--plugin", "csv_format.py", "--plugin", "house_rules.py",
                     "--select", "house-todo,csv-noop", "--output-format", "csv")
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout == "a.md,2,1,warning,house-todo,\"TODO note left (allowed=['a'], limit=3)\"\n"
        listing = run(project, "plugins", "--plugin", "csv_format.py")
        assert listing.stdout.splitlines() == [
            "csv_format  (csv_format.py)  rules: csv-noop; formats: csv", *BUILTIN_LINES]

    def test_unknown_format_lists_the_plugin_formats(self, project):
        write(project / "csv_format.py", CSV_FORMAT)
        assert_usage_error(run(project, "check", "--plugin", "csv_format.py", "--output-format", "xml"),
                           "unknown output format 'xml' "
                           "(known: auto, csv, github, gitlab, html, json, junit, sarif, text)")

    def test_a_plugin_redefining_a_builtin_format_exits_2(self, project):
        write(project / "json_again.py", _format_plugin("json"))
        assert_usage_error(run(project, "check", "--plugin", "json_again.py"),
                           "plugin 'json_again' redefines the built-in output format 'json'")

    def test_two_plugins_offering_the_same_format_exit_2_naming_both(self, project):
        write(project / "csv_b.py", _format_plugin("csv"))
        write(project / "csv_a.py", _format_plugin("csv"))
        assert_usage_error(run(project, "plugins", "--plugin", "csv_b.py", "--plugin", "csv_a.py"),
                           "output format 'csv' is defined twice: by plugin 'csv_a' and by plugin 'csv_b'")


# -- 4. the front-matter-format hook -------------------------------------------------------------

class TestFrontMatterFormats:
    def test_toml_front_matter_is_read_built_in_by_every_front_matter_rule(self, project):
        posts = project / "posts"
        write(posts / "a-empty-author.md", HUGO_ARTICLE)
        write(posts / "b-bad-date.md", HUGO_ARTICLE.replace("2022-08-02", '"2022-13-45"')
              .replace('author = ""', 'author = "Xinhua"'))
        write(posts / "c-unclosed.md", HUGO_ARTICLE.replace("+++\n<p>", "<p>"))
        write(posts / "d-invalid.md", HUGO_ARTICLE.replace('author = ""', "author = Xinhua"))
        write(posts / "e-yaml.md", '---\ntitle: Markets close higher\ndate: 2022-08-02\nauthor: ""\n---\n'
                                   "<p>Shares rose.</p>\n")
        write(posts / "f-clean.md", HUGO_ARTICLE.replace('author = ""', 'author = "Xinhua"'))
        write(posts / "g-json.md", '{\n  "title": "Markets close higher",\n  "date": "2022-08-02",\n'
                                   '  "author": ""\n}\n<p>Shares rose.</p>\n')
        write(posts / "h-json-invalid.md", '{\n  "title": "Markets close higher",\n  "date": 2022-08-02\n}\n'
                                           "<p>Shares rose.</p>\n")
        result = run(project, "check", "posts", "--select", FRONT_MATTER_RULES)
        assert (result.returncode, result.stderr) == (1, "")
        assert result.stdout == (
            "posts/a-empty-author.md:4:1: error front-matter-required required key 'author' is empty\n"
            "posts/b-bad-date.md:3:8: error front-matter-date date: '2022-13-45' is not a valid date "
            "(use ISO 8601, e.g. 2022-08-02T05:42:34+08:00)\n"
            "posts/c-unclosed.md:1:1: error front-matter-syntax front matter is not closed: "
            "no '+++' line ends it\n"
            "posts/d-invalid.md:4:10: error front-matter-syntax front matter is not valid TOML: "
            "Invalid value\n"
            "posts/e-yaml.md:4:1: error front-matter-required required key 'author' is empty\n"
            "posts/g-json.md:4:3: error front-matter-required required key 'author' is empty\n"
            "posts/h-json-invalid.md:3:15: error front-matter-syntax front matter is not valid JSON: "
            "Expecting ',' delimiter\n"
            "Found 7 problems (7 errors, 0 warnings, 0 info) in 7 files (8 files checked).\n")

    def test_a_plugins_format_comes_before_the_built_in_one_for_its_fence(self, project):
        write(project / "toml_front_matter.py", TOML_FRONT_MATTER)
        write(project / ".lintnews.yaml", "plugins: [toml_front_matter]\n")
        write(project / "a.md", HUGO_ARTICLE.replace('author = ""', "author = Xinhua"))
        result = run(project, "check", "--select", FRONT_MATTER_RULES)
        assert result.stdout == (  # the plugin's message keeps tomllib's "(at line …)"
            "a.md:4:10: error front-matter-syntax front matter is not valid TOML: "
            "Invalid value (at line 3, column 10)\n"
            "Found 1 problem (1 error, 0 warnings, 0 info) in 1 file (1 file checked).\n")

    def test_plugins_lists_a_front_matter_format(self, project):
        write(project / "toml_front_matter.py", TOML_FRONT_MATTER)
        listing = run(project, "plugins", "--plugin", "toml_front_matter.py")
        assert listing.returncode == 0
        [line] = [line for line in listing.stdout.splitlines() if line.startswith("toml_front_matter  ")]
        assert line.startswith("toml_front_matter  (toml_front_matter.py)  ")
        assert "provides nothing" not in line and "TOML" in line

    def test_lint_string_with_the_toml_plugin(self):
        module = types.ModuleType("toml_front_matter")
        exec(TOML_FRONT_MATTER, module.__dict__)
        findings = lint_string(HUGO_ARTICLE.replace("2022-08-02", "3022-08-02"),
                               rules=FRONT_MATTER_RULES.split(","), plugins=[module])
        assert [(f.line, f.column, f.rule) for f in findings] == [
            (3, 8, "front-matter-date"), (4, 1, "front-matter-required")]

    def test_a_fence_with_an_alternation_allows_trailing_blanks(self):
        import tomllib

        module = types.ModuleType("alternate_fences")
        module.lintnews_front_matter_formats = hookimpl(
            lambda: [FrontMatterFormat("TOML", r"\+{3}|~~~", tomllib.loads)])
        text = '+++  \ntitle = "Markets close higher"\ndate = 2022-08-02\nauthor = ""\n+++  \n<p>Shares.</p>\n'
        findings = lint_string(text, rules=FRONT_MATTER_RULES.split(","), plugins=[module])
        assert [(f.line, f.column, f.rule) for f in findings] == [(4, 1, "front-matter-required")]


# -- 5. plugin rule options ----------------------------------------------------------------------

class TestPluginOptions:
    @pytest.mark.parametrize("setting, problem", [
        ('limit: "x"', "option 'limit' of rule 'house-todo' must be an integer, not 'x'"),
        ("limit: true", "option 'limit' of rule 'house-todo' must be an integer, not True"),
        ("allowed: a", "option 'allowed' of rule 'house-todo' must be a list, not 'a'"),
        ("allowed: [1]", "option 'allowed' of rule 'house-todo': item 1 must be a string"),
        ("limt: 4", "unknown option 'limt' for rule 'house-todo' (known: allowed, limit)"),
    ])
    def test_bad_option_exits_2_naming_rule_and_option(self, project, setting, problem):
        write(project / "house_rules.py", HOUSE_RULES)
        config = write(project / ".lintnews.yaml",
                       f"plugins: [house_rules]\nrules:\n  house-todo:\n    {setting}\n")
        assert_usage_error(run(project, "check"), f"{config}: rules.house-todo: {problem}")

    def test_explain_lists_the_options_and_their_defaults(self, project):
        write(project / "house_rules.py", HOUSE_RULES)
        result = run(project, "explain", "house-todo", "--plugin", "house_rules")
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout == (
            "house-todo  (default severity: warning; no fix; plugin: house_rules)\n"
            "\n"
            "Articles must not keep an editor's TODO note.\n"
            "\n"
            "A TODO left in the text is published with it.\n"
            "\n"
            "Options and their defaults:\n"
            '  allowed: ["a"]\n'
            "  limit: 3\n")

    def test_the_rule_receives_the_merged_options(self, project):
        write(project / "house_rules.py", HOUSE_RULES)
        write(project / ".lintnews.yaml", textwrap.dedent("""\
            plugins: [house_rules]
            rules:
              house-todo:
                limit: 5
            overrides:
              "wire/**":
                house-todo:
                  allowed: [b, c]
                  severity: info
            """))
        write(project / "posts" / "a.md", "TODO\n")
        write(project / "wire" / "b.md", "TODO\n")
        result = run(project, "check", "--select", "house-todo")
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout == (
            "posts/a.md:1:1: warning house-todo TODO note left (allowed=['a'], limit=5)\n"
            "wire/b.md:1:1: info house-todo TODO note left (allowed=['b', 'c'], limit=5)\n"
            "Found 2 problems (0 errors, 1 warning, 1 info) in 2 files (2 files checked).\n")


# -- 6. lint_string and in-process plugin managers -------------------------------------------------

def _house_module(name: str = "house_rules") -> types.ModuleType:
    module = types.ModuleType(name)
    exec(HOUSE_RULES, module.__dict__)
    return module


class TestInProcess:
    @pytest.mark.parametrize("form", ["module", "pair"])
    def test_lint_string_runs_the_plugin_rule(self, form):
        module = _house_module()
        plugins = [module] if form == "module" else [("house", module)]
        findings = lint_string("Shares rose.\nTODO check\n", rules=["house-todo"],
                               options={"house-todo": {"limit": 7}}, plugins=plugins)
        assert [(f.line, f.column, f.rule, f.message) for f in findings] == [
            (2, 1, "house-todo", "TODO note left (allowed=['a'], limit=7)")]

    def test_the_rule_is_stamped_with_the_given_plugin_name(self):
        rules = collect_rules(plugin_manager(extra=[("house", _house_module())]))
        assert rules["house-todo"].plugin == "house"

    def test_a_bad_option_through_lint_string_is_an_error(self):
        from lintnews.config import ConfigError

        with pytest.raises(ConfigError, match="option 'limit' of rule 'house-todo' must be an integer"):
            lint_string("TODO\n", rules=["house-todo"], options={"house-todo": {"limit": "x"}},
                        plugins=[_house_module()])

    def test_auto_is_reserved_for_output_formats(self):
        module = types.ModuleType("auto_format")
        module.lintnews_output_formats = hookimpl(lambda: {"auto": str})
        with pytest.raises(PluginError, match="plugin 'auto_format' redefines the built-in output format 'auto'"):
            collect_output_formats(plugin_manager(extra=[("auto_format", module)]), FORMATS)

    def test_a_front_matter_hook_returning_something_else_names_the_plugin(self):
        module = types.ModuleType("odd_front_matter")
        module.lintnews_front_matter_formats = hookimpl(lambda: ["toml"])
        with pytest.raises(PluginError, match="plugin 'odd_front_matter' returned 'toml', "
                                              "which is not a FrontMatterFormat"):
            collect_front_matter_formats(plugin_manager(extra=[("odd_front_matter", module)]))

    def test_an_output_format_hook_returning_a_list_names_the_plugin(self):
        module = types.ModuleType("list_format")
        module.lintnews_output_formats = hookimpl(lambda: [("csv", str)])
        with pytest.raises(PluginError, match="list_format"):
            collect_output_formats(plugin_manager(extra=[("list_format", module)]), FORMATS)

    def test_front_matter_error_keeps_its_offset(self):
        error = FrontMatterError("bad", 7)
        assert (str(error), error.offset, isinstance(error, ValueError)) == ("bad", 7, True)

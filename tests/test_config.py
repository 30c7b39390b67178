"""Tests for configuration: discovery, loading, validation against the rules, overrides and globs."""
from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lintnews import rule
from lintnews.config import (Config, ConfigError, Settings, _GlobMachine, find_config, glob_parts, glob_regex,
                             load_config)
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.violation import Severity


@rule("image-alt", severity="warning", options={"allow-empty": True})
def _image_alt(doc, options):
    """Fake image-alt."""
    yield from ()


@rule("line-length", severity="info", options={"max": 80, "ratio": 0.5, "words": ["a"], "name": "x",
                                               "anything": None})
def _line_length(doc, options):
    """Fake rule with options of every type."""
    yield from ()


@rule("editor-credit", severity="error")
def _editor_credit(doc, options):
    """Fake rule without options."""
    yield from ()


RULES = {r.id: r for r in (_editor_credit, _image_alt, _line_length)}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def settings_from(tmp_path: Path, text: str, rules=None, **kwargs) -> Settings:
    path = write(tmp_path / ".lintnews.yaml", text)
    return Settings(load_config(path, tmp_path), rules or RULES, **kwargs)


def active(settings: Settings, relpath: str = "a.md") -> dict[str, tuple[Severity, dict]]:
    return {item.rule.id: (item.severity, item.options) for item in settings.for_path(relpath)}


def config_error(tmp_path: Path, text: str, rules=None, **kwargs) -> str:
    with pytest.raises(ConfigError) as info:
        settings_from(tmp_path, text, rules, **kwargs)
    return str(info.value)


# -- discovery ---------------------------------------------------------------

class TestFindConfig:
    def test_walks_up_to_the_folder_holding_the_config(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        config = write(root / ".lintnews.yaml", "rules: {}\n")
        start = root / "posts" / "2022"
        start.mkdir(parents=True)
        assert find_config(start) == (config, root)

    def test_config_in_the_start_folder(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        write(root / ".lintnews.yaml", "")
        sub = write(root / "sub" / ".lintnews.yml", "")
        assert find_config(root / "sub") == (sub, root / "sub")

    def test_yaml_preferred_to_yml(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        write(root / ".lintnews.yml", "")
        yaml_file = write(root / ".lintnews.yaml", "")
        assert find_config(root) == (yaml_file, root)

    def test_stops_at_the_repository_root(self, tmp_path):
        outer = tmp_path.resolve()
        write(outer / ".lintnews.yaml", "rules: {}\n")
        repo = outer / "repo"
        (repo / ".git").mkdir(parents=True)
        (repo / "posts").mkdir()
        assert find_config(repo / "posts") == (None, repo)

    def test_git_file_of_a_worktree_also_stops(self, tmp_path):
        outer = tmp_path.resolve()
        write(outer / ".lintnews.yaml", "")
        repo = outer / "repo"
        write(repo / ".git", "gitdir: /elsewhere\n")
        assert find_config(repo) == (None, repo)

    def test_config_beside_git_is_found(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        config = write(root / ".lintnews.yaml", "")
        assert find_config(root) == (config, root)

    def test_pyproject_with_tool_table(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        pyproject = write(root / "pyproject.toml", "[project]\nname = 'x'\n\n[tool.lintnews]\nexclude = ['drafts']\n")
        (root / "posts").mkdir()
        assert find_config(root / "posts") == (pyproject, root)

    def test_pyproject_without_tool_table_is_passed_over(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        config = write(root / ".lintnews.yaml", "")
        write(root / "site" / "pyproject.toml", "[tool.black]\nline-length = 100\n")
        assert find_config(root / "site") == (config, root)

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
    def test_a_utf16_pyproject_naming_lintnews_is_an_error_and_one_that_does_not_is_passed_over(self, tmp_path,
                                                                                                  encoding):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        bom = b"" if encoding == "utf-16" else b"\xfe\xff"  # Python's "utf-16" writes its own
        pyproject = root / "pyproject.toml"
        pyproject.write_bytes(bom + "[tool.lintnews]\nexclude = ['drafts']\n".encode(encoding))
        with pytest.raises(ConfigError) as info:
            find_config(root)
        assert str(info.value) == (f"{pyproject}: cannot read configuration: the file is UTF-16, and TOML is "
                                   "UTF-8 (save it as UTF-8)")
        pyproject.write_bytes(bom + "[tool.black]\nline-length = 100\n".encode(encoding))
        assert find_config(root) == (None, root)

    def test_broken_tool_table_in_pyproject_is_an_error_not_defaults(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        pyproject = write(root / "pyproject.toml", "[tool.lintnews]\nexclude = ['drafts'\n")
        with pytest.raises(ConfigError) as info:
            find_config(root)
        assert str(info.value).startswith(f"{pyproject}: not valid TOML: ")

    def test_broken_pyproject_of_another_tool_is_passed_over(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        write(root / "pyproject.toml", "[tool.black\nline-length = 100\n")
        assert find_config(root) == (None, root)

    @pytest.mark.parametrize("text", [
        "[tool]\nlintnews = { fail-on = 'warning' }\n",
        "[tool]\nlintnews.fail-on = 'warning'\n",
        "[tool.\"lintnews\"]\nfail-on = 'warning'\n",
        "[ tool . lintnews ]\nfail-on = 'warning'\n",
        "tool.lintnews.fail-on = 'warning'\n",
        "[tool.\"lint\\u006eews\"]\nfail-on = 'warning'\n",
    ])
    def test_tool_table_found_however_toml_spells_it(self, tmp_path, text):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        pyproject = write(root / "pyproject.toml", text)
        assert find_config(root) == (pyproject, root)
        assert load_config(pyproject, root).fail_on is Severity.WARNING

    def test_undecodable_pyproject_naming_lintnews_is_an_error(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        pyproject = root / "pyproject.toml"
        pyproject.write_bytes("[tool.lintnews]\nexclude = ['草稿']\n".encode("gbk"))
        with pytest.raises(ConfigError) as info:
            find_config(root)
        assert str(info.value).startswith(f"{pyproject}: cannot read configuration: 'utf-8' codec can't decode")

    @pytest.mark.parametrize("content", [
        # a project that depends on lintnews, its TOML broken by another tool's table or not UTF-8
        '[project]\ndependencies = ["lintnews>=1"]\n[tool.black]\nline-length = 88\nline-length = 100\n'.encode(),
        '[project]\nname = "café"\ndependencies = [\n  "lintnews==1.0",\n]\n'.encode("latin-1"),
        b'[tool.other]\npath = "C:\\Users\\me"\n',  # a \U escape TOML refuses: it may have spelled the name
    ])
    def test_broken_pyproject_that_names_lintnews_only_elsewhere_is_passed_over(self, tmp_path, content):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        (root / "pyproject.toml").write_bytes(content)
        assert find_config(root) == (None, root)

    def test_pyproject_whose_tool_is_no_table_is_passed_over(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        write(root / "pyproject.toml", "tool = 'lintnews'\n")
        assert find_config(root) == (None, root)

    def test_dangling_config_symlink_is_an_error(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        (root / ".lintnews.yaml").symlink_to("../gone.yaml")
        with pytest.raises(ConfigError) as info:
            find_config(root)
        assert str(info.value) == (f"{root / '.lintnews.yaml'}: cannot read configuration: "
                                   "a symlink to ../gone.yaml, which leads to no file")

    def test_config_name_taken_by_a_folder_is_an_error(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        (root / ".lintnews.yml").mkdir()
        with pytest.raises(ConfigError) as info:
            find_config(root)
        assert str(info.value) == f"{root / '.lintnews.yml'}: cannot read configuration: not a regular file"

    def test_lintnews_yaml_preferred_to_pyproject_in_the_same_folder(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        write(root / "pyproject.toml", "[tool.lintnews]\n")
        config = write(root / ".lintnews.yaml", "")
        assert find_config(root) == (config, root)

    def test_no_config_in_the_repository(self, tmp_path):
        root = tmp_path.resolve()
        (root / ".git").mkdir()
        (root / "a" / "b").mkdir(parents=True)
        path, found_root = find_config(root / "a" / "b")
        assert (path, found_root) == (None, root)
        assert load_config(path, found_root) == Config(None, root)


# -- loading -----------------------------------------------------------------

class TestLoadConfig:
    def test_full_config(self, tmp_path):
        path = write(tmp_path / ".lintnews.yaml",
                     "exclude: drafts\n"
                     "fail-on: Warning\n"
                     "rules:\n  image-alt: error\n"
                     "overrides:\n  'news/**':\n    image-alt: false\n  old/:\n")
        config = load_config(path, tmp_path)
        assert config.path == path and config.root == tmp_path
        assert config.exclude == ["drafts"]
        assert config.fail_on is Severity.WARNING
        assert config.rules == {"image-alt": "error"}
        assert config.overrides == {"news/**": {"image-alt": False}, "old/": {}}
        assert config.source == str(path)

    def test_defaults(self, tmp_path):
        config = load_config(None, tmp_path)
        assert (config.path, config.exclude, config.rules, config.overrides, config.fail_on) == (
            None, [], {}, {}, None)
        assert config.source == "command line"

    def test_empty_file(self, tmp_path):
        config = load_config(write(tmp_path / ".lintnews.yaml", "# nothing\n"), tmp_path)
        assert (config.exclude, config.rules, config.overrides, config.fail_on) == ([], {}, {}, None)

    def test_pyproject_table(self, tmp_path):
        path = write(tmp_path / "pyproject.toml",
                     "[tool.lintnews]\nexclude = ['a', 'b/**']\nfail-on = 'info'\n\n"
                     "[tool.lintnews.rules]\nimage-alt = false\n")
        config = load_config(path, tmp_path)
        assert config.exclude == ["a", "b/**"]
        assert config.fail_on is Severity.INFO
        assert config.rules == {"image-alt": False}

    @pytest.mark.parametrize("text, message", [
        ("rulez: {}\n", "unknown key 'rulez' (known: disable-plugins, exclude, extends, fail-on, max-file-size, max-findings-per-rule, overrides, plugins, respect-gitignore, rules)"),
        ("rules: [a]\n", "rules: must be a mapping, not ['a']"),
        ("exclude: 3\n", "exclude: must be a list of glob patterns, not 3"),
        ("exclude: [a, 1]\n", "exclude: must be a list of glob patterns, not ['a', 1]"),
        ("overrides: [a]\n", "overrides: must be a mapping, not ['a']"),
        ("overrides:\n  'a/*': [x]\n", "overrides.a/*: must be a mapping, not ['x']"),
        ("fail-on: fatal\n", "fail-on: unknown severity 'fatal' (expected error, warning or info)"),
        ("fail-on: 3\n", "fail-on: unknown severity 3 (expected error, warning or info)"),
        ("- a\n", "must be a mapping of settings, not list"),
    ])
    def test_errors_name_the_file_and_the_key(self, tmp_path, text, message):
        path = write(tmp_path / ".lintnews.yaml", text)
        with pytest.raises(ConfigError) as info:
            load_config(path, tmp_path)
        assert str(info.value) == f"{path}: {message}"

    def test_bad_yaml_gives_the_line(self, tmp_path):
        path = write(tmp_path / ".lintnews.yaml", "exclude: []\nrules:\n  image-alt: [1\n")
        with pytest.raises(ConfigError) as info:
            load_config(path, tmp_path)
        message = str(info.value)
        assert message.startswith(f"{path}: not valid YAML (line 4, column 1): ")
        assert "\n" not in message

    def test_bad_yaml_in_the_middle(self, tmp_path):
        path = write(tmp_path / ".lintnews.yaml", "exclude: []\nrules: a: b\n")
        with pytest.raises(ConfigError) as info:
            load_config(path, tmp_path)
        assert str(info.value) == (f"{path}: not valid YAML (line 2, column 9): "
                                   "mapping values are not allowed here")

    def test_pyproject_unknown_key(self, tmp_path):
        path = write(tmp_path / "pyproject.toml", "[tool.lintnews]\nrulez = 1\n")
        with pytest.raises(ConfigError) as info:
            load_config(path, tmp_path)
        assert str(info.value) == f"{path}: unknown key 'rulez' (known: disable-plugins, exclude, extends, fail-on, max-file-size, max-findings-per-rule, overrides, plugins, respect-gitignore, rules)"

    def test_pyproject_not_a_table(self, tmp_path):
        path = write(tmp_path / "pyproject.toml", "[tool]\nlintnews = 3\n")
        with pytest.raises(ConfigError) as info:
            load_config(path, tmp_path)
        assert str(info.value) == f"{path}: [tool.lintnews]: must be a mapping of settings, not int"

    def test_pyproject_bad_toml(self, tmp_path):
        path = write(tmp_path / "pyproject.toml", "[tool.lintnews\n")
        with pytest.raises(ConfigError) as info:
            load_config(path, tmp_path)
        assert str(info.value).startswith(f"{path}: not valid TOML: ")

    @pytest.mark.parametrize("name, text, where", [
        (".lintnews.yaml", "rules: " + "[" * 100_000 + "\n", ""),  # deeper than the parser recurses
        (".lintnews.yaml", "rules: " + "[" * 2_000 + "]" * 2_000 + "\n", ""),
        (".lintnews.yaml", "rules:\n  line-length:\n    words: " + "[" * 62 + "]" * 62 + "\n", ""),  # 65 levels
        ("pyproject.toml", "[tool.lintnews]\nrules = " + "[" * 100_000 + "\n", ""),
        ("pyproject.toml", "[tool.lintnews]\nexclude = " + "[" * 100 + "]" * 100 + "\n", " [tool.lintnews]:"),
    ])
    def test_a_configuration_nested_too_deep_is_an_error_naming_the_file(self, tmp_path, name, text, where):
        path = write(tmp_path / name, text)
        with pytest.raises(ConfigError) as info:
            load_config(path, tmp_path)
        assert str(info.value) == f"{path}:{where} nests deeper than 64 levels"

    def test_aliases_sharing_lists_are_read_once_for_their_depth(self, tmp_path):
        # thirty lines of aliases, each naming the one before twice: 2**30 paths, 31 lists; and a loop
        lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 31)]
        path = write(tmp_path / ".lintnews.yaml", "\n".join(lines) + "\n")
        done = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                               "from lintnews.config import load_config, ConfigError\n"
                               "try: load_config(Path(sys.argv[1]), Path(sys.argv[2]))\n"
                               "except ConfigError as exc: print(exc)", str(path), str(tmp_path)],
                              capture_output=True, text=True, timeout=60)
        assert done.stdout.startswith(f"{path}: unknown key 'a0'")
        looped = write(tmp_path / "loop.yaml", "rules: &a [*a]\n")
        with pytest.raises(ConfigError) as info:
            load_config(looped, tmp_path)
        assert str(info.value) == f"{looped}: nests deeper than 64 levels"

    def test_sixty_four_levels_are_read(self, tmp_path):
        path = write(tmp_path / ".lintnews.yaml", "rules:\n  line-length:\n    words: " + "[" * 61 + "]" * 61 + "\n")
        words: list = []
        for _ in range(60):
            words = [words]
        assert load_config(path, tmp_path).rules == {"line-length": {"words": words}}

    def test_undecodable_file(self, tmp_path):
        path = tmp_path / ".lintnews.yaml"
        path.write_bytes("exclude: 草稿\n".encode("gbk"))
        with pytest.raises(ConfigError) as info:
            load_config(path, tmp_path)
        assert str(info.value).startswith(f"{path}: cannot read configuration: ")


# -- settings ----------------------------------------------------------------

class TestSettings:
    def test_defaults_enable_every_rule(self, tmp_path):
        assert active(Settings(Config(None, tmp_path), RULES)) == {
            "editor-credit": (Severity.ERROR, {}),
            "image-alt": (Severity.WARNING, {"allow-empty": True}),
            "line-length": (Severity.INFO, {"max": 80, "ratio": 0.5, "words": ["a"], "name": "x",
                                            "anything": None}),
        }

    def test_active_rules_carry_the_rule_object(self, tmp_path):
        items = Settings(Config(None, tmp_path), RULES).for_path("a.md")
        assert [item.rule for item in items] == [_editor_credit, _image_alt, _line_length]

    def test_false_disables(self, tmp_path):
        assert set(active(settings_from(tmp_path, "rules:\n  image-alt: false\n"))) == {
            "editor-credit", "line-length"}

    def test_true_enables_with_the_default_severity(self, tmp_path):
        assert active(settings_from(tmp_path, "rules:\n  image-alt: true\n"))["image-alt"] == (
            Severity.WARNING, {"allow-empty": True})

    def test_severity_string(self, tmp_path):
        result = active(settings_from(tmp_path, "rules:\n  image-alt: error\n  editor-credit: INFO\n"))
        assert result["image-alt"][0] is Severity.ERROR
        assert result["editor-credit"][0] is Severity.INFO

    def test_off_quoted_and_unquoted(self, tmp_path):
        assert "image-alt" not in active(settings_from(tmp_path, "rules:\n  image-alt: 'off'\n"))
        assert "image-alt" not in active(settings_from(tmp_path, "rules:\n  image-alt: off\n"))

    def test_mapping_with_severity_enabled_and_options(self, tmp_path):
        result = active(settings_from(tmp_path, "rules:\n"
                                                "  image-alt:\n    severity: info\n    allow-empty: false\n"
                                                "  line-length:\n    enabled: false\n    max: 100\n"
                                                "  editor-credit: {}\n"))
        assert result["image-alt"] == (Severity.INFO, {"allow-empty": False})
        assert "line-length" not in result
        assert result["editor-credit"] == (Severity.ERROR, {})

    def test_option_types_accepted(self, tmp_path):
        result = active(settings_from(tmp_path, "rules:\n  line-length:\n    max: 100\n    ratio: 1\n"
                                                "    words: [b, c]\n    name: y\n    anything: [1, x]\n"))
        assert result["line-length"][1] == {"max": 100, "ratio": 1, "words": ["b", "c"], "name": "y",
                                            "anything": [1, "x"]}

    def test_unknown_rule_with_did_you_mean(self, tmp_path):
        path = tmp_path / ".lintnews.yaml"
        assert config_error(tmp_path, "rules:\n  image-alts: false\n") == (
            f"{path}: rules: unknown rule 'image-alts' (did you mean 'image-alt'?)")

    def test_unknown_rule_without_a_close_match(self, tmp_path):
        path = tmp_path / ".lintnews.yaml"
        assert config_error(tmp_path, "rules:\n  zzz: false\n") == f"{path}: rules: unknown rule 'zzz'"

    def test_unknown_option(self, tmp_path):
        path = tmp_path / ".lintnews.yaml"
        assert config_error(tmp_path, "rules:\n  image-alt:\n    allow-emptyy: true\n") == (
            f"{path}: rules.image-alt: unknown option 'allow-emptyy' for rule 'image-alt' (known: allow-empty)")

    def test_unknown_option_of_a_rule_without_options(self, tmp_path):
        path = tmp_path / ".lintnews.yaml"
        assert config_error(tmp_path, "rules:\n  editor-credit:\n    max: 1\n") == (
            f"{path}: rules.editor-credit: unknown option 'max' for rule 'editor-credit' (known: none)")

    @pytest.mark.parametrize("option, value, expected", [
        ("max", "true", "option 'max' of rule 'line-length' must be an integer, not True"),
        ("max", "'80'", "option 'max' of rule 'line-length' must be an integer, not '80'"),
        ("max", "1.5", "option 'max' of rule 'line-length' must be an integer, not 1.5"),
        ("ratio", "yes", "option 'ratio' of rule 'line-length' must be a number, not True"),
        ("words", "a", "option 'words' of rule 'line-length' must be a list, not 'a'"),
        ("words", "[a, 1]", "option 'words' of rule 'line-length': item 1 must be a string"),
        ("name", "[x]", "option 'name' of rule 'line-length' must be a string, not ['x']"),
    ])
    def test_wrongly_typed_option(self, tmp_path, option, value, expected):
        path = tmp_path / ".lintnews.yaml"
        assert config_error(tmp_path, f"rules:\n  line-length:\n    {option}: {value}\n") == (
            f"{path}: rules.line-length: {expected}")

    def test_bool_option_rejects_an_integer(self, tmp_path):
        path = tmp_path / ".lintnews.yaml"
        assert config_error(tmp_path, "rules:\n  image-alt:\n    allow-empty: 1\n") == (
            f"{path}: rules.image-alt: option 'allow-empty' of rule 'image-alt' must be a boolean, not 1")

    def test_bad_severity(self, tmp_path):
        path = tmp_path / ".lintnews.yaml"
        assert config_error(tmp_path, "rules:\n  image-alt: maybe\n") == (
            f"{path}: rules: image-alt.severity: unknown severity 'maybe' (expected error, warning or info)")
        assert config_error(tmp_path, "rules:\n  image-alt:\n    severity: fatal\n") == (
            f"{path}: rules: image-alt.severity: unknown severity 'fatal' (expected error, warning or info)")

    def test_bad_enabled(self, tmp_path):
        path = tmp_path / ".lintnews.yaml"
        assert config_error(tmp_path, "rules:\n  image-alt:\n    enabled: sometimes\n") == (
            f"{path}: rules.image-alt.enabled: must be true or false, not 'sometimes'")

    @pytest.mark.parametrize("value, shown", [("3", "3"), ("null", "None"), ("[error]", "['error']")])
    def test_bad_setting_shape(self, tmp_path, value, shown):
        path = tmp_path / ".lintnews.yaml"
        assert config_error(tmp_path, f"rules:\n  image-alt: {value}\n") == (
            f"{path}: rules.image-alt: must be a mapping, true/false or a severity, not {shown}")

    def test_builtin_rules_validate_their_options(self, tmp_path):
        builtin = collect_rules(plugin_manager())
        path = tmp_path / ".lintnews.yaml"
        assert config_error(tmp_path, "rules:\n  image-alt:\n    alow-empty: true\n", builtin) == (
            f"{path}: rules.image-alt: unknown option 'alow-empty' for rule 'image-alt' "
            "(known: allow-empty, allow-filler, block-classes, meaningless, per-article)")
        assert config_error(tmp_path, "rules:\n  imag-alt: off\n", builtin) == (
            f"{path}: rules: unknown rule 'imag-alt' (did you mean 'image-alt'?)")
        result = active(settings_from(tmp_path, "rules:\n  image-alt:\n    allow-empty: false\n", builtin))
        assert result["image-alt"][0] == Severity.WARNING and result["image-alt"][1]["allow-empty"] is False


class TestOverrides:
    CONFIG = ("rules:\n"
              "  image-alt:\n    allow-empty: false\n"
              "overrides:\n"
              "  'drafts/**':\n    image-alt: off\n    line-length: {max: 120}\n"
              "  '*.html':\n    image-alt: error\n")

    def test_no_override_matches(self, tmp_path):
        result = active(settings_from(tmp_path, self.CONFIG), "news/a.md")
        assert result["image-alt"] == (Severity.WARNING, {"allow-empty": False})
        assert result["line-length"][1]["max"] == 80

    def test_override_disables_and_sets_options(self, tmp_path):
        result = active(settings_from(tmp_path, self.CONFIG), "drafts/2022/a.md")
        assert "image-alt" not in result
        assert result["line-length"][1]["max"] == 120
        assert result["line-length"][0] is Severity.INFO

    def test_override_severity_keeps_base_options(self, tmp_path):
        result = active(settings_from(tmp_path, self.CONFIG), "news/deep/a.html")
        assert result["image-alt"] == (Severity.ERROR, {"allow-empty": False})

    def test_later_override_wins(self, tmp_path):
        result = active(settings_from(tmp_path, self.CONFIG), "drafts/a.html")
        assert result["image-alt"] == (Severity.ERROR, {"allow-empty": False})
        assert result["line-length"][1]["max"] == 120

    def test_overrides_are_per_path(self, tmp_path):
        settings = settings_from(tmp_path, self.CONFIG)
        assert "image-alt" not in active(settings, "drafts/a.md")
        assert "image-alt" in active(settings, "a.md")
        assert "image-alt" not in active(settings, "drafts/b.md")

    def test_override_with_an_unknown_rule(self, tmp_path):
        path = tmp_path / ".lintnews.yaml"
        assert config_error(tmp_path, "overrides:\n  'drafts/**':\n    image-alts: off\n") == (
            f"{path}: overrides.drafts/**: unknown rule 'image-alts' (did you mean 'image-alt'?)")

    def test_override_with_a_bad_option_fails_at_once(self, tmp_path):
        path = tmp_path / ".lintnews.yaml"
        assert config_error(tmp_path, "overrides:\n  'drafts/**':\n    line-length: {max: many}\n") == (
            f"{path}: overrides.drafts/**.line-length: option 'max' of rule 'line-length' "
            "must be an integer, not 'many'")


class TestSelectIgnore:
    def test_select(self, tmp_path):
        settings = Settings(Config(None, tmp_path), RULES, select=["image-alt", "line-length"])
        assert set(active(settings)) == {"image-alt", "line-length"}

    def test_ignore(self, tmp_path):
        settings = Settings(Config(None, tmp_path), RULES, ignore=["image-alt"])
        assert set(active(settings)) == {"editor-credit", "line-length"}

    def test_ignore_wins_over_select(self, tmp_path):
        settings = Settings(Config(None, tmp_path), RULES, select=["image-alt", "line-length"],
                            ignore=["image-alt"])
        assert set(active(settings)) == {"line-length"}

    def test_select_keeps_configured_severity_and_options(self, tmp_path):
        settings = settings_from(tmp_path, "rules:\n  image-alt: {severity: error, allow-empty: false}\n",
                                 select=["image-alt"])
        assert active(settings) == {"image-alt": (Severity.ERROR, {"allow-empty": False})}

    def test_select_runs_a_rule_turned_off_in_rules_but_not_where_an_override_turns_it_off(self, tmp_path):
        settings = settings_from(tmp_path, "rules:\n  image-alt: false\noverrides:\n  'vendor/**':\n"
                                           "    image-alt: false\n  'vendor/keep/**':\n    image-alt: true\n",
                                 select=["image-alt"])
        assert set(active(settings, "posts/a.md")) == {"image-alt"}
        assert set(active(settings, "vendor/a.md")) == set()
        assert set(active(settings, "vendor/keep/a.md")) == {"image-alt"}  # a later override turns it on again

    def test_ignore_applies_under_overrides(self, tmp_path):
        settings = settings_from(tmp_path, "overrides:\n  drafts:\n    image-alt: error\n", ignore=["image-alt"])
        assert "image-alt" not in active(settings, "drafts/a.md")

    @pytest.mark.parametrize("kind", ["select", "ignore"])
    def test_unknown_rule(self, tmp_path, kind):
        with pytest.raises(ConfigError) as info:
            Settings(Config(None, tmp_path), RULES, **{kind: ["image-alts"]})
        assert str(info.value) == "command line: unknown rule 'image-alts' (did you mean 'image-alt'?)"


# -- globs ---------------------------------------------------------------------

def matches(pattern: str, path: str) -> bool:
    return glob_regex(pattern).match(path) is not None


@pytest.mark.parametrize("pattern, path, expected", [
    # a pattern without a slash matches at any depth
    ("*.md", "a.md", True),
    ("*.md", "x/y/a.md", True),
    ("*.md", "a.mdx", False),
    ("a?.md", "ab.md", True),
    ("a?.md", "abc.md", False),
    ("a?.md", "a/.md", False),
    ("a*b.md", "a/b.md", False),
    ("a*b.md", "axyb.md", True),
    # a pattern naming a folder matches everything inside it
    ("drafts", "drafts", True),
    ("drafts", "drafts/a.md", True),
    ("drafts", "news/drafts/2022/a.md", True),
    ("drafts", "draftsx/a.md", False),
    ("drafts", "old-drafts/a.md", False),
    ("drafts/", "x/drafts/a.md", True),
    # a slash anchors the pattern at the project root
    ("/drafts", "drafts/a.md", True),
    ("/drafts", "x/drafts/a.md", False),
    ("posts/*.md", "posts/a.md", True),
    ("posts/*.md", "x/posts/a.md", False),
    ("posts/*.md", "posts/x/a.md", False),
    ("posts/*", "posts/x/a.md", True),
    # ** spans folders
    ("posts/**/*.md", "posts/a.md", True),
    ("posts/**/*.md", "posts/x/y/a.md", True),
    ("posts/**/*.md", "posts/x/y/a.html", False),
    ("posts/**/*.md", "x/posts/a.md", False),
    ("**/tmp", "tmp", True),
    ("**/tmp", "a/b/tmp/c.md", True),
    ("posts/**", "posts/x/y.md", True),
    ("posts/**", "postsx/y.md", False),
    ("**", "any/thing.md", True),
    # character classes
    ("[ab].md", "b.md", True),
    ("[ab].md", "c.md", False),
    ("[!ab].md", "c.md", True),
    ("[!ab].md", "a.md", False),
    # regex characters are literal
    ("a+b.md", "a+b.md", True),
    ("a+b.md", "aab.md", False),
    ("a.md", "aXmd", False),
    # a line break in a name is one more character
    ("drafts/**", "drafts/a\nb.md", True),
    ("*.md", "x\ny/a\nb.md", True),
    ("a?b.md", "a\nb.md", True),
])
def test_glob_regex(pattern, path, expected):
    assert matches(pattern, path) is expected
    regex, tokens = glob_parts(pattern)  # the machine, whichever the glob gets, finds the same
    assert (_GlobMachine(tokens).match(path) is not None) is expected


def test_a_glob_of_many_stars_reads_a_long_name_once(tmp_path):
    # a regular expression of nine ".*" parted by "a" tries every way of sharing the name among
    # them (sixty characters ran for minutes): such a glob is read by the machine
    glob = glob_regex("**a" * 8 + "**b")
    assert isinstance(glob, _GlobMachine)
    assert glob.match("a" * 4000 + ".md") is None
    assert glob.match("x/" + "a" * 8 + "/b/c.md") is True
    assert len(glob.steps) <= 20  # its sets of places (11), each step worked out once
    assert isinstance(glob_regex("**/drafts/*.md"), type(glob_regex("drafts")))  # two stars: the expression
    name = "a" * 60 + ".md"
    (tmp_path / name).write_text("---\ntitle: T\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / ".lintnews.yaml").write_text('exclude: ["' + "**a" * 8 + '**b"]\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "lintnews", "check", "--no-cache", "--select", "empty-body", "."],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.stdout == "No problems found (1 file checked).\n"


@pytest.mark.parametrize("pattern, path", [("[[:alpha:]]*.md", "a].md"), ("[+--]*/**/x*", "+/a/b/x.md")])
def test_a_glob_class_python_warns_of_is_read_as_ever_without_the_warning(pattern, path):
    # "Possible nested set" and "Possible set difference" are FutureWarnings: printed, they are
    # two lines about lintnews's source above the run's output
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        assert glob_regex(pattern).match(path)


_GLOB_PARTS = st.lists(st.sampled_from(["a", "b", "/", "*", "**", "**/", "/**", "?", "[ab]", "[!a]", "."]),
                       min_size=1, max_size=7).map("".join)


@settings(max_examples=500, deadline=None)
@given(_GLOB_PARTS, st.lists(st.text("ab/.\n", max_size=10), min_size=1, max_size=8))
def test_the_glob_machine_finds_what_the_regular_expression_finds(pattern, paths):
    regex, tokens = glob_parts(pattern)
    machine = _GlobMachine(tokens)
    for path in paths:
        assert (machine.match(path) is None) is (regex.match(path) is None), (pattern, path)


@pytest.mark.parametrize("text, message", [
    ('exclude: ["drafts/**", "[z-a].md"]\n', "exclude: bad glob '[z-a].md': bad character range z-a"),
    ('overrides: {"[9-0]/**": {image-alt: false}}\n', "overrides: bad glob '[9-0]/**': bad character range 9-0"),
])
def test_a_bad_glob_is_an_error_naming_its_key(tmp_path, text, message):
    (tmp_path / ".lintnews.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path / ".lintnews.yaml", tmp_path)
    assert str(error.value) == f"{tmp_path / '.lintnews.yaml'}: {message}"


def test_a_missing_plugin_file_says_not_found(tmp_path, monkeypatch, capsys):
    from lintnews.cli import main

    (tmp_path / ".lintnews.yaml").write_text("plugins: [house/rules.py]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert capsys.readouterr().err == (f"lintnews: error: plugin 'house/rules.py' not found: no such module "
                                       f"or file (looked in {tmp_path})\n")

"""Option constraints: every built-in option is checked when the configuration loads, and
plugins declare theirs next to their defaults."""
from __future__ import annotations

import pytest

from lintnews import Option, rule
from lintnews.cli import main
from lintnews.config import Config, ConfigError, Settings
from lintnews.options import between, headers_by_host, one_of, regexes
from lintnews.plugins import collect_rules, plugin_manager

BUILTIN = collect_rules(plugin_manager(environ={"LINTNEWS_DISABLE_PLUGIN_AUTOLOAD": "1"}))

BAD_VALUES = [
    ("image-broken", "remote-timeout", 0, "must be between 0.1 and 600, not 0"),
    ("image-broken", "remote-timeout", -5.0, "must be between 0.1 and 600, not -5.0"),
    ("image-unverified", "remote-timeout", float("inf"), "must be a finite number, not inf"),
    ("image-broken", "remote-ports", [443, 70000], "item 70000 must be between 1 and 65535, not 70000"),
    ("image-broken", "remote-headers", {"*": {"X Y": "v"}}, "for '*' has an invalid header name 'X Y'"),
    ("image-broken", "remote-headers", {"*.cn": {"Referer": "a\r\nX-Injected: 1"}},
     "for '*.cn' gives header 'Referer' a value with a line break or NUL, 'a\\r\\nX-Injected: 1'"),
    ("image-broken", "remote-headers", {"*": "Referer"},
     "must map each host glob to a mapping of headers, not '*': 'Referer'"),
    ("duplicate-paragraph", "min-length", 0, "must be between 1 and 100000, not 0"),
    ("title-body-mismatch", "min-share", 1.5, "must be between 0 and 1, not 1.5"),
    ("tracking-pixel", "url-patterns", ["(unclosed"], "item '(unclosed' is not a valid regular expression: "
     "missing ), unterminated subpattern at position 0"),
    ("cjk-latin-spacing", "style", "sometimes", "must be one of 'consistent', 'always', 'never', not 'sometimes'"),
    ("image-broken", "remote-budget", -1.0, "must be between 0 and 86400, not -1.0"),
    ("front-matter-date", "max-future-days", 1_000_000_000, "must be between 0 and 1000000, not 1000000000"),
    ("leftover-markup", "allow-comments", ["more", "("],
     "item '(' is not a valid regular expression: missing ), unterminated subpattern at position 0"),
    ("editor-credit", "patterns", ["编辑：.*"], "item '编辑：.*' has no group named name ((?P<name>…))"),
    ("promo-boilerplate", "patterns", ["(?i)a"], "is not a valid regular expression: global flags "
     "not at the start of the expression at position 3 (the expressions joined with |)"),
    ("contact-info", "emails", "some", "must be one of 'personal', 'all', False, not 'some'"),
    ("contact-info", "allow", ["["], "item '[' is not a valid regular expression: "
     "unterminated character set at position 0"),
    ("original-title", "within", -1, "must be between 0 and 10000, not -1"),
    ("editor-credit", "sources-without-credit", {"author": "199IT"},
     "must map each key to a list of strings, not 'author': '199IT'"),
    ("editor-credit", "sources-without-credit", {"author": ["199IT", 7]},
     "must map each key to a list of strings, not 'author': ['199IT', 7]"),
    ("duplicate-article", "min-sentences", -3, "must be between 0 and 10000, not -3"),
    ("front-matter-required", "required", ["title", " | "], "item ' | ' names no key (a key, or keys parted by '|')"),
]


@pytest.mark.parametrize("rule_id, name, value, problem", BAD_VALUES, ids=[f"{r}.{n}" for r, n, *_ in BAD_VALUES])
def test_a_bad_option_value_is_a_configuration_error_naming_the_key(rule_id, name, value, problem, tmp_path):
    config = Config(tmp_path / ".lintnews.yaml", tmp_path, rules={rule_id: {name: value}})
    with pytest.raises(ConfigError) as error:
        Settings(config, BUILTIN)
    assert str(error.value) == f"{tmp_path / '.lintnews.yaml'}: rules.{rule_id}: option {name!r} of rule " \
                               f"{rule_id!r} {problem}"


def test_the_command_line_says_so_in_one_line_and_exits_2(tmp_path, monkeypatch, capsys):
    (tmp_path / ".lintnews.yaml").write_text("rules:\n  image-broken: {remote-timeout: -1}\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("text\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "a.md"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "rules.image-broken: option 'remote-timeout'" in err


def test_values_that_meet_the_constraints_pass(tmp_path):
    config = Config(None, tmp_path, rules={"contact-info": {"emails": False}, "image-broken": {"remote-timeout": 2}})
    settings = Settings(config, BUILTIN)
    assert settings.for_path("a.md")  # loaded without error


@rule("headline-length", options={"max": Option(30, between(1, 200)), "style": Option("short", one_of("short", "long")),
                                  "skip": Option([], regexes()), "headers": Option({}, headers_by_host)})
def headline_length(doc, options):
    """A plugin's rule with declared constraints."""
    yield from ()


def test_a_plugin_gets_the_same_checks_for_free(tmp_path):
    assert headline_length.options == {"max": 30, "style": "short", "skip": [], "headers": {}}
    for setting, problem in [({"max": 0}, "must be between 1 and 200, not 0"),
                             ({"style": "tiny"}, "must be one of 'short', 'long', not 'tiny'"),
                             ({"skip": ["*"]}, "item '*' is not a valid regular expression: nothing to repeat "
                                               "at position 0")]:
        config = Config(None, tmp_path, rules={"headline-length": setting})
        with pytest.raises(ConfigError, match=rf"rules.headline-length: option '\w+' of rule 'headline-length' "
                                              rf"{problem.replace('(', '.').replace(')', '.').replace('*', '.')}$"):
            Settings(config, {"headline-length": headline_length})


def test_a_default_that_breaks_its_own_constraint_is_the_plugin_s_bug():
    with pytest.raises(ValueError, match="rule 'broken-default': its default option 'max' of rule "
                                         "'broken-default' must be between 1 and 5, not 9"):
        rule("broken-default", options={"max": Option(9, between(1, 5))})(headline_length.check)

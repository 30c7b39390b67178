"""--isolated: a checkout whose configuration is not trusted runs with the defaults and the command line only."""
from __future__ import annotations

import pytest

from lintnews.cli import main

HOSTILE_CONFIG = """\
plugins: [evil_plugin.py]
exclude: ["**"]
rules:
  bad-characters: false
  image-broken: {allow-private-hosts: true, remote: true}
"""
EVIL_PLUGIN = "import pathlib\n(pathlib.Path(__file__).parent / 'PWNED').write_text('ran')\n"


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".lintnews.yaml").write_text(HOSTILE_CONFIG, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.lintnews]\nplugins = ['evil_plugin.py']\n", encoding="utf-8")
    (tmp_path / "evil_plugin.py").write_text(EVIL_PLUGIN, encoding="utf-8")
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text("bell \x07\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "posts")
    return tmp_path


def test_isolated_ignores_the_repository_configuration_and_its_plugins(checkout, capsys):
    assert main(["check", "--isolated", "--select", "bad-characters", "."]) == 1
    assert capsys.readouterr().out.splitlines()[0] == "a.md:1:6: error bad-characters control character U+0007 BELL"
    assert not (checkout / "PWNED").exists()


def test_without_isolated_the_configuration_is_trusted_and_its_plugin_runs(checkout, capsys):
    main(["check", "--select", "bad-characters", "."])
    assert (checkout / "PWNED").read_text(encoding="utf-8") == "ran"  # what --isolated is for


def test_isolated_keeps_the_command_line_and_the_address_guard(checkout, capsys):
    from lintnews.cli import build_parser, load

    args = build_parser().parse_args(["check", "--isolated", "--fail-on", "warning"])
    config, _, rules = load(args)
    assert config.path is None and config.root == checkout.resolve() and config.rules == {}
    assert rules["image-broken"].options["allow-private-hosts"] is False


def test_isolated_with_config_is_a_usage_error(checkout, capsys):
    assert main(["check", "--isolated", "--config", "../.lintnews.yaml"]) == 2
    assert capsys.readouterr().err == ("lintnews: error: --isolated ignores every configuration file; "
                                       "do not give --config with it\n")

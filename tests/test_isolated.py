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


@pytest.mark.parametrize("module", ["yaml", "pluggy", "argparse"])
def test_python_m_imports_nothing_from_the_current_folder(checkout, module):
    """``python -m`` puts the current folder first on sys.path: a checkout's module named like one
    lintnews imports must not run (README: ``python -m lintnews`` is the console script's same)."""
    import os
    import subprocess
    import sys

    (checkout / "posts" / f"{module}.py").write_text(EVIL_PLUGIN, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONSAFEPATH", "GITHUB_ACTIONS")}
    result = subprocess.run([sys.executable, "-m", "lintnews", "check", "--isolated", "--no-cache",
                             "--select", "bad-characters", "."], cwd=checkout / "posts", env=env,
                            capture_output=True, text=True, timeout=120)
    assert not (checkout / "posts" / "PWNED").exists(), result.stderr
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == "a.md:1:6: error bad-characters control character U+0007 BELL"

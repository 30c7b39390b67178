"""Searching folders as git sees them: what .gitignore files ignore (a site's build, a bundle of
gems) is skipped, through the real git and the real CLI; named files are linted anyway, and
--no-respect-gitignore, the configuration and --isolated turn it off."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = "---\ntitle: t\ndate: 2024-01-02\nauthor: a\n---\n\n<p style=\"color:red\">正文。</p>\n"


def run(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "lintnews", *args], cwd=cwd, env={**environ, **(env or {})},
                          capture_output=True, text=True, timeout=60)


def linted(result: subprocess.CompletedProcess) -> list[str]:
    """The files the run reported, each once, in order (every article here has one finding)."""
    return [line.split(":")[0] for line in result.stdout.splitlines() if ": warning inline-style" in line]


@pytest.fixture
def site(tmp_path):
    """A Jekyll site in a git repository, built into _site/, with gems bundled into vendor/ and a
    nested .gitignore that ignores drafts but one."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    for name in ("_posts/2024-01-02-a.md", "_site/2024/01/02/a.html", "vendor/bundle/gems/x/README.md",
                 "drafts/one.md", "drafts/keep.md", "notes.tmp.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".gitignore").write_text("_site/\nvendor/\n*.tmp.md\n", encoding="utf-8")
    (tmp_path / "drafts" / ".gitignore").write_text("*.md\n!keep.md\n", encoding="utf-8")
    return tmp_path


def test_what_git_ignores_is_not_searched(site):
    result = run(site, "check", "--no-cache")
    assert linted(result) == ["_posts/2024-01-02-a.md", "drafts/keep.md"], result.stderr
    assert result.stderr == ""


def test_a_file_or_folder_named_on_the_command_line_is_linted_anyway(site):
    result = run(site, "check", "--no-cache", "_site", "drafts/one.md", "drafts")
    assert linted(result) == ["_site/2024/01/02/a.html", "drafts/keep.md", "drafts/one.md"]


def test_a_folder_searched_from_below_the_top_of_the_repository_follows_the_same_rules(site):
    result = run(site / "drafts", "check", "--no-cache")
    assert linted(result) == ["keep.md"]


@pytest.mark.parametrize("how", ["option", "config", "isolated"])
def test_searching_without_gitignore(site, how):
    args = {"option": ["--no-respect-gitignore"], "isolated": ["--isolated"], "config": []}[how]
    if how == "config":
        (site / ".lintnews.yaml").write_text("respect-gitignore: false\n", encoding="utf-8")
    result = run(site, "check", "--no-cache", *args)
    assert linted(result) == ["_posts/2024-01-02-a.md", "_site/2024/01/02/a.html", "drafts/keep.md", "drafts/one.md",
                              "notes.tmp.md", "vendor/bundle/gems/x/README.md"]


def test_show_settings_says_whether_gitignore_is_respected(site):
    assert "respect-gitignore: true" in run(site, "check", "--show-settings", "notes.tmp.md").stdout
    assert "respect-gitignore: false" in run(site, "check", "--show-settings", "--no-respect-gitignore",
                                             "notes.tmp.md").stdout


def test_a_respect_gitignore_that_is_no_boolean_is_a_config_error(site):
    (site / ".lintnews.yaml").write_text("respect-gitignore: 'no'\n", encoding="utf-8")
    result = run(site, "check")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"lintnews: error: {site / '.lintnews.yaml'}: respect-gitignore must be true or false, not 'no'"]


def test_where_git_cannot_say_every_article_is_linted_and_the_run_says_why(site, tmp_path_factory):
    # no git on the PATH: nothing is skipped in silence
    empty = tmp_path_factory.mktemp("bin")
    result = run(site, "check", "--no-cache", env={"PATH": str(empty)})
    assert len(linted(result)) == 6
    assert result.stderr == f"lintnews: .gitignore not applied under {site}: git is not installed\n"


def test_outside_a_git_repository_no_git_is_asked(tmp_path):
    (tmp_path / "_site").mkdir()
    (tmp_path / "_site" / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".gitignore").write_text("_site/\n", encoding="utf-8")  # no repository: no rules of git's
    result = run(tmp_path, "check", "--no-cache", env={"PATH": str(tmp_path / "no-bin")})
    assert linted(result) == ["_site/a.md"] and result.stderr == ""


def test_a_git_folder_that_holds_no_repository_applies_no_rules_and_says_nothing(tmp_path):
    (tmp_path / ".git").mkdir()  # an empty folder: git finds no repository here
    (tmp_path / "_site").mkdir()
    (tmp_path / "_site" / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".gitignore").write_text("_site/\n", encoding="utf-8")
    result = run(tmp_path, "check", "--no-cache")
    assert linted(result) == ["_site/a.md"] and result.stderr == ""

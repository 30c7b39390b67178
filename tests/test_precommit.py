"""The pre-commit hook of ``.pre-commit-hooks.yaml``, driven by the real pre-commit, offline.

pre-commit installs the hook the way it does for users: it clones this repository, creates a
virtualenv (virtualenv seeds pip from its bundled wheels) and runs ``pip install .`` in it. Here pip
gets no index, only a wheelhouse of the build requirements and dependencies from ``pyproject.toml``
built once with the ordinary package index and cached in ``.pytest_cache``. The hook repository is
a git snapshot of this checkout's working tree (tracked and untracked, not ignored, files), so
uncommitted changes are tested.

``pre-commit try-repo`` always installs into a throwaway store, so it is run once
(``test_try_repo_*``); the other cases use ``pre-commit run`` with a config pinning the same
snapshot and one shared ``PRE_COMMIT_HOME``, so the hook environment is installed once per module.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from articles import CLEAN

pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')")

REPO = Path(__file__).resolve().parents[1]
HOOK_ID = "lintnews"

GOOD_MD = CLEAN
GOOD_HTML = """\
---
title: Markets close higher
date: 2022-08-02
author: Xinhua
---
<html><body><p>Shares rose on Tuesday.</p>
<p>责任编辑：王蒙</p></body></html>
"""
EMPTY_CREDIT_MD = GOOD_MD.replace("责任编辑：王蒙", "责任编辑：")  # line 9
NO_FRONT_MATTER_MD = "<p>Shares rose on Tuesday.</p>\n\n责任编辑：王蒙\n"
NOTES_TXT = "remember to call the desk\n"  # linted as an article, it would fail (no front matter)
EXCLUDE_LEGACY = 'exclude: ["legacy/**"]\n'

# Variables that would change what pre-commit, pip, virtualenv, git or lintnews do in a test run.
_DROPPED_PREFIXES = ("PIP_", "PRE_COMMIT", "VIRTUALENV_", "GIT_", "PYTHON", "LINTNEWS_")
_DROPPED = {"SKIP", "GITHUB_ACTIONS", "VIRTUAL_ENV", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
            "NO_PROXY", "FTP_PROXY"}


# --- fixtures ---------------------------------------------------------------------------------

def _wheel_requirements() -> list[str]:
    """What ``pip install .`` needs: the build requirements, ``wheel`` and the dependencies."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return [*project["build-system"]["requires"], "wheel", *project["project"]["dependencies"]]


@pytest.fixture(scope="session")
def wheelhouse(request, tmp_path_factory) -> Path:
    """Wheels for everything ``pip install .`` of lintnews needs, built once and then reused.

    Building them is the only step that uses the package index; it is cached under
    ``.pytest_cache/d/lintnews-wheelhouse`` and rebuilt when the requirements or Python change."""
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("lintnews-wheelhouse") if cache is not None else tmp_path_factory.mktemp("wheelhouse")
    stamp = folder / "requirements.json"
    wanted = {"python": sys.version, "platform": sys.platform, "requirements": _wheel_requirements()}
    try:
        if json.loads(stamp.read_text(encoding="utf-8")) == wanted and any(folder.glob("*.whl")):
            return folder
    except (OSError, ValueError):
        pass
    stamp.unlink(missing_ok=True)  # written again only after a complete build
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check",
         "--wheel-dir", str(folder), *wanted["requirements"]],
        capture_output=True, text=True)
    if build.returncode != 0:
        pytest.fail(
            "could not build the wheelhouse the pre-commit hook test installs from: "
            f"'pip wheel {' '.join(wanted['requirements'])}' failed (this step needs the package "
            f"index once; afterwards {folder} is reused offline)\n{build.stdout}\n{build.stderr}",
            pytrace=False)
    stamp.write_text(json.dumps(wanted), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def env(wheelhouse, tmp_path_factory) -> dict[str, str]:
    """Offline pip (wheelhouse only), no proxies, a private pre-commit home, a git identity; of
    lintnews's settings only the suite's own cache folder (``conftest``)."""
    base = {key: value for key, value in os.environ.items()
            if not key.upper().startswith(_DROPPED_PREFIXES) and key.upper() not in _DROPPED}
    return base | {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "VIRTUALENV_NO_PERIODIC_UPDATE": "1",  # seed pip from virtualenv's bundled wheels only
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "LINTNEWS_CACHE_DIR": os.environ["LINTNEWS_CACHE_DIR"],
        "GIT_AUTHOR_NAME": "lintnews tests",
        "GIT_AUTHOR_EMAIL": "tests@lintnews.invalid",
        "GIT_COMMITTER_NAME": "lintnews tests",
        "GIT_COMMITTER_EMAIL": "tests@lintnews.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",  # no signing, hooksPath or templates from the machine's config
        "GIT_CONFIG_GLOBAL": os.devnull,
    }


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"git {' '.join(args)} failed in {cwd}:\n{result.stderr}"
    return result.stdout


def _commit_all(folder: Path, env: dict[str, str]) -> str:
    _git(folder, env, "add", "--all")
    _git(folder, env, "commit", "--quiet", "--no-verify", "--allow-empty", "-m", "snapshot")
    return _git(folder, env, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def hook_repo(env, tmp_path_factory) -> tuple[Path, str]:
    """This checkout's working tree, committed to a temporary git repository: (path, commit)."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, env=env, capture_output=True, text=True)
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.split("\0")):
            source = REPO / name
            if source.is_file():  # tracked files deleted in the working tree are left out
                (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, snapshot / name)
    else:  # not a git checkout (an unpacked sdist, say)
        shutil.copytree(REPO, snapshot, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
            ".git", ".venv", ".pytest_cache", "__pycache__", "*.egg-info", "build", "dist"))
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    _git(snapshot, env, "init", "--quiet")
    return snapshot, _commit_all(snapshot, env)


@pytest.fixture
def articles(tmp_path, env, hook_repo):
    """Make a git repository of articles that uses the hook; returns it as ``make(files)``."""
    def make(files: dict[str, str]) -> Path:
        repo = tmp_path / "articles"
        repo.mkdir()
        _git(repo, env, "init", "--quiet")
        files = {".pre-commit-config.yaml": _config(*hook_repo), **files}
        for name, text in files.items():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            (repo / name).write_text(text, encoding="utf-8")
        _commit_all(repo, env)
        return repo
    return make


def _config(repo: Path, rev: str, hook: str = HOOK_ID, args: list[str] | None = None) -> str:
    # JSON is YAML: the path needs no quoting rules of its own.
    declared = {"id": hook} if args is None else {"id": hook, "args": args}
    return json.dumps({"repos": [{"repo": str(repo), "rev": rev, "hooks": [declared]}]}) + "\n"


def _pre_commit(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "pre_commit", *args, "--color", "never"],
                            cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    result.output = result.stdout + result.stderr
    assert "An unexpected error has occurred" not in result.output, result.output
    assert "Traceback" not in result.output, result.output
    return result


def run_hook(repo: Path, env: dict[str, str], *files: str, hook: str = HOOK_ID) -> subprocess.CompletedProcess:
    """``pre-commit run lintnews`` (or another ``hook``) on ``files`` (all files when none are given)."""
    selection = ("--files", *files) if files else ("--all-files",)
    return _pre_commit(repo, env, "run", hook, *selection)


def _status(output: str, name: str = HOOK_ID) -> str:
    """The word pre-commit ends the hook's status line with: Passed, Failed or Skipped."""
    found = re.search(rf"^{re.escape(name)}\.+(?:\([^)]*\))?(Passed|Failed|Skipped)$", output, re.M)
    assert found, f"no status line for the {name} hook in:\n{output}"
    return found.group(1)


def _lintnews(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """lintnews itself (this checkout's), run where the hook runs; for the control checks."""
    return subprocess.run([sys.executable, "-m", "lintnews", *args], cwd=repo, capture_output=True,
                          text=True, env={**os.environ, "GITHUB_ACTIONS": ""})


# --- the cases --------------------------------------------------------------------------------

def test_precommit_hook_fails_on_bad_articles_with_located_findings(articles, env):
    repo = articles({"no-front-matter.md": NO_FRONT_MATTER_MD, "empty-credit.md": EMPTY_CREDIT_MD})
    result = run_hook(repo, env, "no-front-matter.md", "empty-credit.md")
    assert result.returncode == 1, result.output
    assert _status(result.output) == "Failed", result.output
    assert f"- hook id: {HOOK_ID}" in result.output
    assert "- exit code: 1" in result.output, result.output
    assert "empty-credit.md:9:1: error editor-credit empty editor credit" in result.output, result.output
    assert "no-front-matter.md:1:1: error front-matter-required no front matter" in result.output, \
        result.output


def test_precommit_hook_passes_on_good_articles(articles, env):
    repo = articles({"posts/markets.md": GOOD_MD, "pages/markets.html": GOOD_HTML})
    result = run_hook(repo, env)  # --all-files: both articles are passed to the hook
    assert result.returncode == 0, result.output
    assert _status(result.output) == "Passed", result.output
    result = run_hook(repo, env, "pages/markets.html")  # HTML is given to the hook too
    assert result.returncode == 0, result.output
    assert _status(result.output) == "Passed", result.output


def test_precommit_hook_is_given_mdx_articles_and_no_other_files(articles, env):
    repo = articles({"posts/a.mdx": NO_FRONT_MATTER_MD, "notes.txt": NO_FRONT_MATTER_MD})
    result = run_hook(repo, env)
    assert result.returncode == 1, result.output
    assert "posts/a.mdx:1:1: error front-matter-required no front matter" in result.output, result.output
    assert "notes.txt" not in result.output, result.output


def test_precommit_hook_honours_config_exclude_for_files_it_names(articles, env):
    repo = articles({".lintnews.yaml": EXCLUDE_LEGACY, "legacy/old.md": EMPTY_CREDIT_MD,
                     "current/new.md": EMPTY_CREDIT_MD})
    # Named on lintnews's command line without --force-exclude, the excluded file would fail ...
    assert _lintnews(repo, "check", "legacy/old.md").returncode == 1
    # ... but the hook passes: pre-commit hands it the name ("Passed", not "Skipped": the hook ran)
    # and the hook's --force-exclude applies the exclude glob.
    result = run_hook(repo, env, "legacy/old.md")
    assert result.returncode == 0, result.output
    assert _status(result.output) == "Passed", result.output
    # The same article outside the excluded folder still fails.
    result = run_hook(repo, env, "current/new.md")
    assert result.returncode == 1, result.output
    assert "current/new.md:9:1: error editor-credit" in result.output, result.output


def test_precommit_hook_lints_files_whose_names_start_with_a_dash(articles, env):
    repo = articles({"-x.md": EMPTY_CREDIT_MD, "--config.md": GOOD_MD})
    result = run_hook(repo, env)  # --all-files: pre-commit names them as git lists them
    assert result.returncode == 1, result.output
    assert "-x.md:9:1: error editor-credit empty editor credit" in result.output, result.output
    assert "unrecognized arguments" not in result.output, result.output


def test_precommit_hook_is_not_given_non_article_files(articles, env):
    repo = articles({"notes.txt": NOTES_TXT})
    # Named to lintnews, notes.txt would fail: so a pass below means pre-commit did not name it.
    assert _lintnews(repo, "check", "--force-exclude", "notes.txt").returncode == 1
    result = run_hook(repo, env, "notes.txt")
    assert result.returncode == 0, result.output
    assert _status(result.output) == "Skipped", result.output
    assert "(no files to check)" in result.output, result.output


def test_try_repo_installs_offline_and_runs_the_hook(articles, env, hook_repo):
    """The command a contributor runs to try the hook: ``pre-commit try-repo PATH lintnews``.

    try-repo installs into a throwaway store of its own, so this pays for a second install."""
    repo = articles({"good.md": GOOD_MD, "bad.md": EMPTY_CREDIT_MD})
    result = _pre_commit(repo, env, "try-repo", str(hook_repo[0]), HOOK_ID, "--files", "bad.md", "good.md")
    assert result.returncode == 1, result.output
    assert _status(result.output) == "Failed", result.output
    assert "bad.md:9:1: error editor-credit empty editor credit" in result.output, result.output
    assert "good.md" not in result.output.split("- exit code: 1", 1)[1], result.output


def test_the_fix_hook_fixes_the_files_and_pre_commit_shows_them_modified(articles, env, hook_repo):
    scraped = GOOD_MD.replace("<p>Shares rose on Tuesday.</p>",
                              '<p style="color:red">Shares rose on Tuesday.</p><!-- news_keyword_pub -->')
    repo = articles({"posts/scraped.md": scraped, "posts/good.md": GOOD_MD})
    (repo / ".pre-commit-config.yaml").write_text(_config(*hook_repo, hook="lintnews-fix"), encoding="utf-8")
    _commit_all(repo, env)
    result = run_hook(repo, env, hook="lintnews-fix")
    assert result.returncode == 1, result.output
    assert _status(result.output, "lintnews (fix)") == "Failed", result.output
    assert "- files were modified by this hook" in result.output, result.output
    assert "2 fixed, 0 remaining" in result.output, result.output
    assert (repo / "posts" / "scraped.md").read_text(encoding="utf-8") == GOOD_MD
    assert (repo / "posts" / "good.md").read_text(encoding="utf-8") == GOOD_MD
    _commit_all(repo, env)
    again = run_hook(repo, env, hook="lintnews-fix")  # nothing left: the hook passes
    assert again.returncode == 0, again.output
    assert _status(again.output, "lintnews (fix)") == "Passed", again.output


WARNING_ONLY_MD = GOOD_MD.replace("<p>Shares", '<p style="color:red">Shares')  # inline-style, 7:4


def test_the_fix_hook_reads_no_file_name_as_an_option(articles, env, hook_repo):
    """pre-commit appends the staged names after the hook's entry and args: a committed article
    named like an option is linted as an article, never obeyed."""
    repo = articles({"README.md": "# The project\n\nText that must survive.\n",
                     "--output-file=README.md": GOOD_MD, "--plugin=evil.md": GOOD_MD, "-x.md": EMPTY_CREDIT_MD,
                     "evil/__init__.py": "open('code-from-the-checkout-ran', 'w').close()\n"})
    (repo / ".pre-commit-config.yaml").write_text(_config(*hook_repo, hook="lintnews-fix"), encoding="utf-8")
    _commit_all(repo, env)
    result = run_hook(repo, env, hook="lintnews-fix")  # --all-files, as CI runs it
    assert result.returncode == 1, result.output
    assert "-x.md:9:1: error editor-credit empty editor credit" in result.output, result.output
    assert (repo / "README.md").read_text(encoding="utf-8") == "# The project\n\nText that must survive.\n"
    assert not (repo / "code-from-the-checkout-ran").exists(), result.output
    assert "unrecognized arguments" not in result.output, result.output


@pytest.mark.parametrize("args", [["--fail-on", "warning", "--"], ["--fail-on=warning", "--"]])
def test_a_users_args_ending_with_a_separator_apply(articles, env, hook_repo, args):
    repo = articles({"w.md": WARNING_ONLY_MD, "--output-file=w.md": GOOD_MD})
    (repo / ".pre-commit-config.yaml").write_text(_config(*hook_repo, args=args), encoding="utf-8")
    _commit_all(repo, env)
    result = run_hook(repo, env)
    assert result.returncode == 1, result.output  # the warning fails the run: --fail-on warning held
    assert _status(result.output) == "Failed", result.output
    assert "w.md:7:4: warning inline-style" in result.output, result.output
    assert (repo / "w.md").read_text(encoding="utf-8") == WARNING_ONLY_MD  # no report written over it


@pytest.mark.parametrize("args", [["--fail-on", "warning"], ["--fail-on=warning"]])
def test_a_users_args_without_the_separator_are_a_one_line_error(articles, env, hook_repo, args):
    """Without the '--' no word can be told apart from a file name: the hook refuses to guess."""
    repo = articles({"w.md": WARNING_ONLY_MD, "--output-file=w.md": GOOD_MD})
    (repo / ".pre-commit-config.yaml").write_text(_config(*hook_repo, args=args), encoding="utf-8")
    _commit_all(repo, env)
    result = run_hook(repo, env)
    assert result.returncode == 1 and "- exit code: 2" in result.output, result.output
    assert "lintnews: error: --pre-commit reads the file names after a '--'" in result.output, result.output
    assert "args: [--fail-on, warning, --]" in result.output, result.output
    assert (repo / "w.md").read_text(encoding="utf-8") == WARNING_ONLY_MD

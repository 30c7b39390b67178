"""The example plugin distribution in examples/lintnews-house-rules, used as a newsroom would use it:
installed into a virtual environment, copied into a repository, and proven by its own tests."""
import importlib.util
import inspect
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import lintnews

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "lintnews-house-rules"
MODULE = EXAMPLE / "lintnews_house_rules.py"
DIST_PLUGIN = "lintnews-house-rules:house_rules"

ARTICLE = """\
---
title: 芯片出口管制再升级。
date: 2022-08-02
author: 新华社
categories:
  - 科技
  - 体育
  - 国际新闻
---

美国商务部宣布新一轮出口管制措施。

责任编辑：王蒙
"""
# the article's two problems, as `lintnews check` prints them after the path
HEADLINE = ":2:8: warning headline-punctuation headline ends with '。': headlines take no full stop"
CATEGORY = (":8:5: error allowed-categories category '国际新闻' is not allowed "
            "(allowed: 财经, 科技, 国内, 国际, 体育)")
SUMMARY = "Found 2 problems (1 error, 1 warning, 0 info) in 1 file (1 file checked)."
CONFIG = "rules:\n  allowed-categories:\n    allowed: [财经, 科技, 国内, 国际, 体育]\n"


def _env(**extra: str) -> dict:
    """This environment without what would change a child's behaviour: pip's, lintnews's and pytest's
    settings, PYTHONPATH, and colour; but for the suite's own cache folder (``conftest``)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PIP_", "LINTNEWS_", "PYTEST_")) and key != "PYTHONPATH"}
    return {**env, "NO_COLOR": "1", "LINTNEWS_CACHE_DIR": os.environ["LINTNEWS_CACHE_DIR"], **extra}


def _run(python, *args, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), *args], cwd=cwd, env=_env(**env),
                          capture_output=True, text=True, timeout=120)


def _project(folder: Path, config: str | None = CONFIG) -> Path:
    """A newsroom repository with one article in a subfolder (and a .git so the config search stops)."""
    (folder / ".git").mkdir(parents=True)
    (folder / "posts").mkdir()
    (folder / "posts" / "chips.md").write_text(ARTICLE, encoding="utf-8")
    if config is not None:
        (folder / ".lintnews.yaml").write_text(config, encoding="utf-8")
    return folder


# -- 1. the distribution, installed with pip into a fresh virtual environment, offline ------------

def _venv_seeing_this_environment(folder: Path) -> Path:
    """A new virtual environment whose Python also sees this interpreter's packages (lintnews, pip, setuptools).

    Not ``--system-site-packages``: made from inside a virtual environment (CI's .venv), that gives
    the *base* interpreter's site-packages, not the environment lintnews is installed in. A .pth
    file calling ``site.addsitedir`` on this interpreter's site-packages does (editable installs
    included), after the new environment's own site-packages, so what is installed there wins.
    """
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(folder)
    python = folder / ("Scripts" if os.name == "nt" else "bin") / "python"
    own = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=folder)
    assert own.returncode == 0, own.stderr
    outer = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (Path(own.stdout.strip()) / "_outer_environment.pth").write_text(
        "import site; " + "; ".join(f"site.addsitedir({path!r})" for path in outer) + "\n", encoding="utf-8")
    return python


def _install_example(tmp_path: Path) -> Path:
    """pip-install a copy of the example (no build artefacts in the repository) without any index."""
    source = tmp_path / "lintnews-house-rules"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns(
        "__pycache__", ".pytest_cache", ".benchmarks", "build", "*.egg-info"))
    python = _venv_seeing_this_environment(tmp_path / "venv")
    result = _run(python, "-m", "pip", "install", "--no-index", "--no-build-isolation", "--no-deps",
                  "--no-input", "--disable-pip-version-check", str(source), cwd=tmp_path,
                  PIP_CONFIG_FILE=os.devnull)
    assert result.returncode == 0, result.stdout + result.stderr
    return python


def test_installed_distribution_adds_its_rules(tmp_path):
    python = _install_example(tmp_path)
    where = _run(python, "-c", "import lintnews, lintnews_house_rules as m; print(lintnews.__file__); "
                               "print(m.__file__)", cwd=tmp_path)
    lintnews_file, plugin_file = where.stdout.splitlines()
    assert lintnews_file == lintnews.__file__  # the lintnews under test, not the base interpreter's
    assert Path(plugin_file).is_relative_to(tmp_path / "venv")  # the installed copy, not the source

    rules = _run(python, "-m", "lintnews", "rules", cwd=tmp_path)
    assert rules.returncode == 0, rules.stderr
    listed = {line.split(maxsplit=1)[0]: line.split(maxsplit=5) for line in rules.stdout.splitlines()}
    assert listed["headline-punctuation"] == [
        "headline-punctuation", "warning", "on", "-", DIST_PLUGIN, "A headline does not end with a full stop."]
    assert listed["allowed-categories"] == [
        "allowed-categories", "error", "on", "-", DIST_PLUGIN, "Every category comes from the newsroom's list."]

    plugins = _run(python, "-m", "lintnews", "plugins", cwd=tmp_path)
    assert f"{DIST_PLUGIN}  (lintnews-house-rules 0.1.0)  rules: allowed-categories, headline-punctuation" \
        in plugins.stdout.splitlines(), plugins.stdout + plugins.stderr

    project = _project(tmp_path / "newsroom")
    check = _run(python, "-m", "lintnews", "check", cwd=project)
    assert (check.returncode, check.stderr) == (1, "")
    assert check.stdout.splitlines() == [f"posts/chips.md{HEADLINE}", f"posts/chips.md{CATEGORY}", SUMMARY]


# -- 2. the repository-local form: the module copied into the repository ---------------------------

def _local_project(folder: Path, config: str) -> Path:
    project = _project(folder, config)
    shutil.copyfile(MODULE, project / "house_rules.py")
    return project


def _lintnews(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # an installed copy of the example would clash with the local one: leave installed plugins out
    return _run(sys.executable, "-m", "lintnews", *args, cwd=cwd, LINTNEWS_DISABLE_PLUGIN_AUTOLOAD="1")


def test_config_plugins_resolve_from_the_config_folder(tmp_path):
    project = _local_project(tmp_path / "newsroom", f"plugins: [house_rules]\n{CONFIG}")
    check = _lintnews("check", cwd=project / "posts")  # not where house_rules.py is
    assert (check.returncode, check.stderr) == (1, "")
    assert check.stdout.splitlines() == [f"chips.md{HEADLINE}", f"chips.md{CATEGORY}", SUMMARY]
    plugins = _lintnews("plugins", cwd=project / "posts")
    assert f"house_rules  ({project.resolve() / 'house_rules.py'})  rules: allowed-categories, " \
           "headline-punctuation" in plugins.stdout.splitlines(), plugins.stdout + plugins.stderr


def test_plugin_option_takes_a_path(tmp_path):
    project = _project(tmp_path / "newsroom")
    (project / "tools").mkdir()
    shutil.copyfile(MODULE, project / "tools" / "house_rules.py")
    check = _lintnews("check", "--plugin", "../tools/house_rules.py", cwd=project / "posts")
    assert (check.returncode, check.stderr) == (1, "")
    assert check.stdout.splitlines() == [f"chips.md{HEADLINE}", f"chips.md{CATEGORY}", SUMMARY]


def test_explain_shows_the_docs_and_the_option_defaults(tmp_path):
    project = _local_project(tmp_path / "newsroom", "plugins: [house_rules]\n")
    spec = importlib.util.spec_from_file_location("example_house_rules", MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    explain = _lintnews("explain", "allowed-categories", cwd=project / "posts")
    assert (explain.returncode, explain.stderr) == (0, "")
    assert explain.stdout == (
        "allowed-categories  (default severity: error; no fix; plugin: house_rules)\n\n"
        f"{inspect.cleandoc(module.allowed_categories.check.__doc__)}\n\n"
        "Options and their defaults:\n"
        '  allowed: ["财经", "科技", "国内", "国际"]\n')
    assert "Fails:" in explain.stdout and "Passes:" in explain.stdout


def test_a_wrongly_typed_option_is_a_configuration_error(tmp_path):
    project = _local_project(tmp_path / "newsroom", "plugins: [house_rules]\nrules:\n"
                                                     "  allowed-categories: {allowed: 财经}\n")
    check = _lintnews("check", cwd=project / "posts")
    assert (check.returncode, check.stdout) == (2, "")
    assert check.stderr == (f"lintnews: error: {project.resolve() / '.lintnews.yaml'}: rules.allowed-categories: "
                            "option 'allowed' of rule 'allowed-categories' must be a list, not '财经'\n")


# -- 3. the example's own test suite, which uses lintnews.testing ---------------------------------

def test_the_example_passes_its_own_tests():
    # no cache or plugin folders left in the example; pytest's own plugins are all it needs
    result = _run(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                  "examples/lintnews-house-rules/tests", cwd=REPO, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^\d+ passed in ", result.stdout, re.MULTILINE), result.stdout

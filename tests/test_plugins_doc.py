"""docs/plugins.md: every file it shows is written into a project and used as the page says."""
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

DOC = (Path(__file__).parent.parent / "docs" / "plugins.md").read_text(encoding="utf-8")
FILES = dict(re.findall(r"```(?:python|yaml|toml)\n# (\S+)\n(.*?)```", DOC, re.DOTALL))
COMMANDS = [line for block in re.findall(r"```sh\n(.*?)```", DOC, re.DOTALL) for line in block.splitlines()]
LONG = "---\ntitle: 国家统计局4月16日发布数据显示今年一季度国内生产总值同比增长5.3%\ndate: 2022-08-02\nauthor: 新华社\n---\n\n责任编辑：王蒙\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()
    for name, content in FILES.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text(LONG, encoding="utf-8")
    return tmp_path


def run(cwd, *args, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "lintnews", *args], cwd=cwd, env={**base, **env},
                          capture_output=True, text=True, timeout=60)


def test_the_page_shows_every_file_it_talks_about():
    assert set(FILES) == {"house_rules.py", ".lintnews.yaml", "tests/cases/headline-length.yaml",
                          "tests/test_house_rules.py", "pyproject.toml", ".pre-commit-config.yaml",
                          "csv_format.py", "hexo_json_front_matter.py", "same_headline.py", "headline_stop.py",
                          "fix_cases/headline-stop.yaml"}


def test_the_repository_local_plugin_and_its_commands(project):
    results = {line: run(project, *line.split()[1:]) for line in COMMANDS if line.startswith("lintnews ")}
    check = results["lintnews check posts/"]
    assert check.returncode == 0, check.stderr
    assert check.stdout.splitlines()[0] == \
        "posts/a.md:2:8: warning headline-length headline has 35 characters (at most 24)"
    assert "A headline fits on one line" in results["lintnews explain headline-length"].stdout
    assert "  max: 30" in results["lintnews explain headline-length"].stdout
    assert re.search(r"^house_rules  \(.*house_rules\.py\)  rules: headline-length$",
                     results["lintnews plugins"].stdout, re.MULTILINE)


def test_a_one_off_plugin_from_the_command_line(project):
    (project / ".lintnews.yaml").unlink()
    result = run(project, "check", "--plugin", "house_rules.py", "posts/")
    assert result.stdout.splitlines()[0] == \
        "posts/a.md:2:8: warning headline-length headline has 35 characters (at most 30)"


def test_a_wrongly_typed_option_names_it(project):
    (project / ".lintnews.yaml").write_text("plugins: [house_rules]\nrules:\n  headline-length:\n    max: '24'\n",
                                            encoding="utf-8")
    result = run(project, "check", "posts/")
    assert result.returncode == 2
    assert result.stderr.strip().endswith("rules.headline-length: option 'max' of rule 'headline-length' "
                                          "must be an integer, not '24'")


def test_the_plugin_tests_pass_with_the_kit(project):
    env = dict(os.environ, PYTHONPATH=str(project))
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                            cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


def test_packaging_and_pre_commit_snippets(project):
    pyproject = tomllib.loads(FILES["pyproject.toml"])
    module = pyproject["project"]["entry-points"]["lintnews"]["house_rules"]
    assert (project / f"{module}.py").is_file() and pyproject["project"]["name"].startswith("lintnews-")
    config = yaml.safe_load(FILES[".pre-commit-config.yaml"])
    hook = config["repos"][0]["hooks"][0]
    hooks = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == hooks[0]["id"]
    assert hook["additional_dependencies"] == [f"{pyproject['project']['name']}==0.1.0"]


def test_the_output_format_example(project):
    result = run(project, "check", "--plugin", "csv_format.py", "--output-format", "csv", "posts/")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("posts/a.md,2,8,warning,headline-length,"
                             "headline has 35 characters (at most 24)\n")


def test_the_hexo_json_front_matter_example(project):
    (project / "posts" / "hexo.md").write_text(
        ';;;\n"title": "沪指收涨",\n"date": "2022-13-45",\n"author": ""\n;;;\n\n责任编辑：王蒙\n', encoding="utf-8")
    (project / "posts" / "broken.md").write_text(';;;\n"title": "沪指收涨",\n"date":\n;;;\n', encoding="utf-8")
    result = run(project, "check", "--plugin", "hexo_json_front_matter.py", "--select",
                 "front-matter-required,front-matter-date,front-matter-syntax", "posts/")
    assert result.stdout.splitlines()[:-1] == [
        "posts/broken.md:4:1: error front-matter-syntax front matter is not valid Hexo JSON: "
        "Expecting value",
        "posts/hexo.md:3:9: error front-matter-date date: '2022-13-45' is not a valid date "
        "(use ISO 8601, e.g. 2022-08-02T05:42:34+08:00)",
        "posts/hexo.md:4:1: error front-matter-required required key 'author' is empty",
    ]


def test_the_run_scoped_rule_example(project):
    for name, title in (("a.md", "沪指收涨"), ("b.md", "沪指收涨"), ("c.md", "深成指收跌"), ("d.md", "沪指收涨 ")):
        (project / "posts" / name).write_text(f"---\ntitle: {title}\n---\n", encoding="utf-8")
    result = run(project, "check", "--plugin", "same_headline.py", "--select", "same-headline", "posts/")
    assert result.stdout.splitlines()[:-1] == [
        "posts/a.md:2:8: warning same-headline headline also used by posts/b.md, posts/d.md",
        "posts/b.md:2:8: warning same-headline headline also used by posts/a.md, posts/d.md",
        "posts/d.md:2:8: warning same-headline headline also used by posts/a.md, posts/b.md",
    ]
    assert result.returncode == 0  # warnings alone do not fail a run (fail-on: error by default)


def test_the_run_scoped_rule_example_behaves_as_documented(project):
    import importlib.util

    from lintnews.testing import check_documented_examples
    spec = importlib.util.spec_from_file_location("same_headline", project / "same_headline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    check_documented_examples("same-headline", plugins=[module])


def test_the_fix_example_fixes_and_its_cases_pass(project, tmp_path_factory):
    import importlib.util

    from lintnews.testing import check_documented_examples, load_cases, run_case

    (project / "posts" / "b.md").write_text("---\ntitle: 沪指收涨。\ndate: 2022-08-02\nauthor: 新华社\n---\n",
                                          encoding="utf-8")
    result = run(project, "check", "--plugin", "headline_stop.py", "--select", "headline-stop", "--fix", "posts/")
    assert (result.returncode, result.stdout) == (0, "1 fixed, 0 remaining (2 files checked).\n"), result.stderr
    assert (project / "posts" / "b.md").read_text(encoding="utf-8").startswith("---\ntitle: 沪指收涨\n")
    spec = importlib.util.spec_from_file_location("headline_stop", project / "headline_stop.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases = load_cases(project / "fix_cases")
    assert [case.fixed for case in cases] == ["---\ntitle: '沪指收涨'\n---\n"]
    for case in cases:
        run_case(case, tmp_path_factory.mktemp("case"), plugins=[module])
    check_documented_examples("headline-stop", plugins=[module])

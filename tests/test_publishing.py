"""post-file-name: what it suggests, and that a cached verdict follows the site's configuration."""
from __future__ import annotations

import json
from pathlib import Path

from lintnews import cli
from lintnews.testing import lint_files

POST = "---\ntitle: Release party\n{date}---\n正文。\n"


def test_the_name_suggested_comes_from_the_front_matter_date_without_the_part_written_before():
    findings = lint_files({"_config.yml": "title: News\n",
                           "_posts/2021/06-06-release-party.md": POST.format(date="date: 2024-06-06 13:00:00+02:00\n"),
                           "_posts/release-notes.md": POST.format(date="")}, ["post-file-name"])
    assert [(f.path, f.line, f.column, f.message) for f in findings] == [
        ("_posts/2021/06-06-release-party.md", 1, 1, "'06-06-release-party.md' is never published: Jekyll publishes"
         " a post only under a name starting with its date ('2024-06-06-release-party.md', by its date)"),
        ("_posts/release-notes.md", 1, 1, "'release-notes.md' is never published: Jekyll publishes a post only"
         " under a name starting with its date ('YYYY-MM-DD-release-notes.md')")]


def test_a_name_of_a_date_alone_is_told_to_take_a_title_after_it():
    # (a "-" after the date is enough for Jekyll: an empty title is a title)
    findings = lint_files({"_config.yml": "title: News\n", "_posts/2024-01-02.md": POST.format(date=""),
                           "_posts/2024-1-3-.md": POST.format(date="date: 2024-01-03\n")}, ["post-file-name"])
    assert [(f.path, f.line, f.column, f.message) for f in findings] == [
        ("_posts/2024-01-02.md", 1, 1, "'2024-01-02.md' is never published: Jekyll publishes a post only under a"
         " name of its date and a title ('2024-01-02-TITLE.md')")]


def test_a_cached_result_follows_the_configuration_appearing_and_the_site_turning_out_hexo(tmp_path, monkeypatch,
                                                                                           capsys):
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "_posts").mkdir()
    (root / "_posts" / "release-party.md").write_text(POST.format(date=""), encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("LINTNEWS_CACHE_DIR", str(tmp_path / "cache"))

    def rules_found() -> list[str]:
        cli.main(["check", "--select", "post-file-name", "--output-format", "json", "--jobs", "1"])
        return [finding["rule"] for finding in json.loads(capsys.readouterr().out)]

    assert rules_found() == []  # no _config.yml: no Jekyll site to say so
    (root / "_config.yml").write_text("title: News\n", encoding="utf-8")
    assert rules_found() == ["post-file-name"]
    (root / "package.json").write_text('{"dependencies": {"hexo": "^7.0.0"}}', encoding="utf-8")
    assert rules_found() == []  # Hexo's _posts take any name
    Path(root / "package.json").unlink()
    assert rules_found() == ["post-file-name"]


def test_a_jekyll_site_configured_in_config_yaml_has_its_posts_named_for_their_dates():
    files = {"_posts/release-notes.md": POST.format(date="")}
    assert lint_files(files, ["post-file-name"]) == []  # no configuration: no Jekyll site to say so
    findings = lint_files({"_config.yaml": "title: News\n", **files}, ["post-file-name"])
    assert [(f.path, f.line, f.column) for f in findings] == [("_posts/release-notes.md", 1, 1)]
    assert lint_files({"_config.yaml": "title: News\n", "scaffolds/post.md": "", **files}, ["post-file-name"]) == []


def test_a_package_json_is_read_as_the_survey_reads_it_up_to_a_megabyte():
    # a larger one is no configuration the survey reads (a 1.5 GB one was read whole, for each site)
    files = {"_config.yml": "title: News\n", "_posts/release-notes.md": POST.format(date="")}
    hexo = '{"dependencies": {"hexo": "^7.0.0"}, "description": "%s"}'
    assert lint_files({**files, "package.json": hexo % "x"}, ["post-file-name"]) == []  # Hexo's
    findings = lint_files({**files, "package.json": hexo % ("x" * 1_100_000)}, ["post-file-name"])
    assert [(f.path, f.line, f.column) for f in findings] == [("_posts/release-notes.md", 1, 1)]

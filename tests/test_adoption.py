"""Adopting lintnews on a legacy archive: baselines and --diff-base, through the real CLI."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LEGACY = """\
---
title: 沪指收涨
date: 2022-08-02
author: 新华社
---

<p>　　第一段。</p><!-- news_keyword_pub,stock, -->

<p>　　第二段。<img src="https://cdn.163.com/a.png"></p>

<p class="article-editor">责任编辑：王蒙</p>
"""


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "lintnews", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


def git(cwd: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="T", GIT_COMMITTER_EMAIL="t@example.com")
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture
def archive(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "legacy.md").write_text(LEGACY, encoding="utf-8")
    return tmp_path


def test_write_baseline_records_every_problem_and_exits_0(archive):
    result = run(archive, "check", "--write-baseline", "lintnews-baseline.json")
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr.strip() == "lintnews: recorded 2 problem(s) of 1 file(s) in lintnews-baseline.json"
    data = json.loads((archive / "lintnews-baseline.json").read_text(encoding="utf-8"))
    assert data["lintnews-baseline"] == 2
    assert [(e["path"], e["rule"]) for e in data["findings"]] == [
        ("posts/legacy.md", "image-alt"), ("posts/legacy.md", "leftover-markup")]


def test_baseline_survives_edits_elsewhere_drops_fixed_and_reports_new(archive):
    run(archive, "check", "--write-baseline", "baseline.json")
    article = archive / "posts" / "legacy.md"

    # another paragraph edited, lines shifted: both known problems stay hidden
    article.write_text(LEGACY.replace("<p>　　第一段。</p>", "<p>　　新的导语。</p>\n\n<p>　　第一段。</p>"),
                       encoding="utf-8")
    result = run(archive, "check", "--baseline", "baseline.json")
    assert result.returncode == 0
    assert result.stdout == "No problems found (1 file checked; 2 known problems hidden by the baseline).\n"

    # one fixed: it drops out; a new one fails the run and is the only one shown
    article.write_text(LEGACY.replace("<!-- news_keyword_pub,stock, -->", "")
                       + "\n<p>　　补充。<img src=\"https://cdn.163.com/b.png\"></p>\n", encoding="utf-8")
    result = run(archive, "check", "--baseline", "baseline.json", "--fail-on", "warning")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "posts/legacy.md:13:9: warning image-alt image has no alt attribute",
        "Found 1 problem (0 errors, 1 warning, 0 info) in 1 file (1 file checked; "
        "1 known problem hidden by the baseline).",
    ]


def test_a_new_problem_of_a_known_rule_on_a_known_line_is_new(archive):
    # front matter missing the author and the date: two problems of one rule on its first line
    article = archive / "posts" / "legacy.md"
    article.write_text(LEGACY.replace("date: 2022-08-02\nauthor: 新华社\n", ""), encoding="utf-8")
    run(archive, "check", "--write-baseline", "baseline.json", "--select", "front-matter-required")
    # the author added: the date is still known (its fingerprint did not move with the author's)
    article.write_text(LEGACY.replace("date: 2022-08-02\n", ""), encoding="utf-8")
    result = run(archive, "check", "--baseline", "baseline.json", "--select", "front-matter-required")
    assert (result.returncode, result.stdout) == (
        0, "No problems found (1 file checked; 1 known problem hidden by the baseline).\n")
    # a baseline of the author's problem alone does not hide the date's, on the same line
    article.write_text(LEGACY.replace("author: 新华社\n", ""), encoding="utf-8")
    run(archive, "check", "--write-baseline", "baseline.json", "--select", "front-matter-required")
    article.write_text(LEGACY.replace("date: 2022-08-02\n", ""), encoding="utf-8")
    result = run(archive, "check", "--baseline", "baseline.json", "--select", "front-matter-required")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == ("posts/legacy.md:1:1: error front-matter-required required key "
                                             "'date' or 'pubDate' or 'publishDate' is missing")


def test_a_message_naming_a_line_stays_known_when_lines_move(archive):
    article = archive / "posts" / "legacy.md"
    paragraph = "<p>国家统计局今天上午发布了一季度主要经济数据，同比增长百分之五。</p>\n\n"
    front = "---\ntitle: 数据\ndate: 2022-08-02\nauthor: 新华社\n---\n\n"
    article.write_text(front + paragraph * 2, encoding="utf-8")
    run(archive, "check", "--write-baseline", "baseline.json", "--select", "duplicate-paragraph")
    assert "repeats the one on line 7" in (archive / "baseline.json").read_text(encoding="utf-8")
    article.write_text(front + "<p>导语。</p>\n\n" + paragraph * 2, encoding="utf-8")  # now on line 9
    result = run(archive, "check", "--baseline", "baseline.json", "--select", "duplicate-paragraph")
    assert (result.returncode, result.stdout) == (
        0, "No problems found (1 file checked; 1 known problem hidden by the baseline).\n")


def test_a_number_the_message_quotes_is_compared_as_it_is(archive):
    # photo1 missing is known; once photo1 is uploaded and photo2 deleted, the same line's
    # missing image is another one: the file name's digit is no count to mask
    article = archive / "posts" / "legacy.md"
    article.write_text("---\ntitle: 图\ndate: 2022-08-02\nauthor: 新华社\n---\n\n"
                       "![](img/photo1.jpg) ![](img/photo2.jpg)\n", encoding="utf-8")
    (archive / "posts" / "img").mkdir()
    (archive / "posts" / "img" / "photo2.jpg").write_bytes(b"\xff\xd8\xff")
    run(archive, "check", "--write-baseline", "baseline.json", "--select", "image-broken")
    assert "photo1.jpg" in (archive / "baseline.json").read_text(encoding="utf-8")
    (archive / "posts" / "img" / "photo2.jpg").rename(archive / "posts" / "img" / "photo1.jpg")
    result = run(archive, "check", "--baseline", "baseline.json", "--select", "image-broken")
    assert result.returncode == 1 and "photo2.jpg" in result.stdout.splitlines()[0], result.stdout


def test_a_run_wide_finding_stays_known_when_other_files_change_its_count(archive):
    """image-folder-missing and duplicate-article word the other files into their messages ("and
    1 more image in 2 articles", "and 1 more"): the finding is the file's all the same."""
    story = "第一句话写在这里很长。第二句话也写在这里。第三句话同样在这里。\n"
    (archive / "posts" / "a.md").write_text(f"![A](media/a.png)\n\n{story}", encoding="utf-8")
    (archive / "posts" / "b.md").write_text(story, encoding="utf-8")
    run(archive, "check", "--write-baseline", "baseline.json", "--select", "image-folder-missing,duplicate-article")
    recorded = json.loads((archive / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert sorted((e["path"], e["rule"]) for e in recorded) == [
        ("posts/a.md", "duplicate-article"), ("posts/a.md", "image-folder-missing"), ("posts/b.md", "duplicate-article")]
    (archive / "posts" / "c.md").write_text(f"![A](media/c.png)\n\n{story}", encoding="utf-8")
    result = run(archive, "check", "--baseline", "baseline.json", "--select", "image-folder-missing,duplicate-article")
    assert result.stdout.splitlines() == [
        "posts/c.md:1:1: info duplicate-article same article body as posts/a.md",
        "Found 1 problem (0 errors, 0 warnings, 1 info) in 1 file (4 files checked; 3 known problems hidden by the "
        "baseline).",
    ]


def test_a_run_wide_finding_that_names_another_folder_is_new(archive):
    """What the message quotes (the missing folders, their first images) is the article's problem:
    a folder gone missing on a baselined line is new, not hidden."""
    (archive / "posts" / "a.md").write_text("![A](media/a.png) ![B](pics/b.png)\n", encoding="utf-8")
    (archive / "posts" / "pics").mkdir()
    (archive / "posts" / "pics" / "b.png").write_bytes(b"GIF89a\x01\x00\x01\x00")
    run(archive, "check", "--write-baseline", "baseline.json", "--select", "image-folder-missing")
    (archive / "posts" / "pics" / "b.png").unlink()
    (archive / "posts" / "pics").rmdir()
    result = run(archive, "check", "--baseline", "baseline.json", "--select", "image-folder-missing")
    assert result.stdout.splitlines()[0] == (
        "posts/a.md:1:6: error image-folder-missing image folder 'posts/media/' does not exist: 'media/a.png' points "
        "into it; image folder 'posts/pics/' does not exist: 'pics/b.png' points into it; commit the folders or "
        "correct the paths")


def test_a_run_wide_rule_s_entry_without_a_message_of_text_is_malformed(archive):
    (archive / "baseline.json").write_text(json.dumps({"lintnews-baseline": 2, "findings": [
        {"path": "posts/a.md", "rule": "duplicate-article", "fingerprint": "f", "message": 5}]}), encoding="utf-8")
    result = run(archive, "check", "--baseline", "baseline.json")
    assert result.returncode == 2 and result.stderr.startswith("lintnews: error: baseline.json: malformed baseline "
                                                               "entry"), result.stderr


def test_a_baseline_of_version_1_is_still_read(archive):
    # version 1 numbered a line's problems across messages: where a fingerprint is not found, an
    # entry of the same path, rule and message stands for one problem
    article = archive / "posts" / "legacy.md"
    article.write_text(LEGACY.replace("date: 2022-08-02\nauthor: 新华社\n", ""), encoding="utf-8")
    entries = [{"path": "posts/legacy.md", "rule": "front-matter-required", "fingerprint": f"old{index}",
                "message": f"required key {key} is missing"}
               for index, key in enumerate(["'author' or 'authors'", "'date' or 'pubDate' or 'publishDate'"])]
    (archive / "baseline.json").write_text(json.dumps({"lintnews-baseline": 1, "findings": entries}),
                                           encoding="utf-8")
    result = run(archive, "check", "--baseline", "baseline.json", "--select", "front-matter-required")
    assert (result.returncode, result.stdout) == (
        0, "No problems found (1 file checked; 2 known problems hidden by the baseline).\n")
    (archive / "baseline.json").write_text(json.dumps({"lintnews-baseline": 1, "findings": entries[:1]}),
                                           encoding="utf-8")
    result = run(archive, "check", "--baseline", "baseline.json", "--select", "front-matter-required")
    assert result.returncode == 1 and "'date' or" in result.stdout.splitlines()[0]



def test_fix_with_a_baseline_of_version_1_fixes_the_problems_the_report_calls_new(archive):
    # one entry of a rule and message stands for one problem: a second one like it is new, and
    # --fix fixes it, as the report shows it, while the known one stays
    article = archive / "posts" / "legacy.md"
    known = LEGACY.replace("第一段。", "第一段！！")
    entry = {"path": "posts/legacy.md", "rule": "repeated-punctuation", "fingerprint": "old0",
             "message": "repeated punctuation '！！'"}
    (archive / "baseline.json").write_text(json.dumps({"lintnews-baseline": 1, "findings": [entry]}),
                                           encoding="utf-8")
    article.write_text(known.replace("第二段。", "第二段！！"), encoding="utf-8")
    result = run(archive, "check", "--baseline", "baseline.json", "--select", "repeated-punctuation")
    assert result.stdout.splitlines() == [
        "posts/legacy.md:9:9: warning repeated-punctuation repeated punctuation '！！'",
        "Found 1 problem (0 errors, 1 warning, 0 info) in 1 file (1 file checked; "
        "1 known problem hidden by the baseline).",
        "1 fixable with --fix; --diff shows the changes first."]  # what is reported, not what is known
    # (a rule named with --select is fixed even where known: the fixer runs every rule here)
    run(archive, "check", "--fix", "--baseline", "baseline.json")
    fixed = article.read_text(encoding="utf-8")
    assert "<p>　　第一段！！</p>" in fixed and "<p>　　第二段！<img" in fixed, fixed

def test_baseline_keys_do_not_depend_on_the_current_folder(archive):
    run(archive, "check", "--write-baseline", "baseline.json")
    result = run(archive / "posts", "check", "--baseline", "../baseline.json", ".")
    assert result.returncode == 0 and "2 known problems hidden" in result.stdout


@pytest.mark.parametrize("content, message", [
    (None, "baseline file not found"),
    ("{not json", "not a lintnews baseline"),
    ('{"findings": []}', "not a lintnews baseline (version 1 or 2)"),
    ("[" * 100_000 + "]" * 100_000, "baseline.json: not a lintnews baseline: nested too deep"),
    ('{"lintnews-baseline": 2, "findings": [], "n": ' + "9" * 5000 + "}",
     "baseline.json: not a lintnews baseline: a number of thousands of digits"),
])
def test_a_bad_baseline_is_a_one_line_error(archive, content, message):
    if content is not None:
        (archive / "baseline.json").write_text(content, encoding="utf-8")
    result = run(archive, "check", "--baseline", "baseline.json")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def repository(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "旧文章.md").write_text(LEGACY, encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "archive")
    return tmp_path


def test_diff_base_reports_only_changed_lines_and_new_files(repository):
    article = repository / "posts" / "旧文章.md"
    article.write_text(LEGACY.replace("<p>　　第一段。</p>", "<p style=\"color:red\">　　第一段。</p>"),
                       encoding="utf-8")  # uncommitted: line 7 changed
    (repository / "posts" / "new.md").write_text("<p>新文章。</p>\n", encoding="utf-8")  # untracked
    result = run(repository, "check", "--diff-base", "HEAD", "--fail-on", "warning")
    assert result.returncode == 1
    assert result.stdout.splitlines()[-2].startswith("Found 4 problems")  # then what --fix would repair
    assert result.stdout.splitlines()[:-2] == [
        "posts/new.md:1:1: error editor-credit no editor credit (such as '责任编辑：NAME' or 'Editor: NAME')",
        "posts/new.md:1:1: error front-matter-required no front matter: expected a '---' block with "
        "title, date, author",
        "posts/旧文章.md:7:4: warning inline-style inline style attribute (color)",
        "posts/旧文章.md:7:32: warning leftover-markup HTML comment left in the article: "
        "<!-- news_keyword_pub,stock, -->",
    ]


def test_diff_base_with_nothing_changed_reports_nothing(repository):
    result = run(repository, "check", "--diff-base", "HEAD")
    assert result.returncode == 0
    assert result.stdout == "No problems found (1 file checked).\n"


def test_diff_base_errors_are_one_line(repository, tmp_path_factory):
    result = run(repository, "check", "--diff-base", "no-such-ref")
    assert result.returncode == 2 and result.stderr.startswith("lintnews: error: git: ")
    assert len(result.stderr.splitlines()) == 1
    outside = tmp_path_factory.mktemp("not-a-repo")
    result = run(outside, "check", "--diff-base", "HEAD")
    assert result.returncode == 2 and "not a git repository" in result.stderr



def test_fix_with_diff_base_and_a_baseline_of_version_1_leaves_the_problem_the_report_hides(repository):
    # the report counts a version 1 entry against the problems on changed lines only: the one
    # there is the known one, and --fix leaves it, though another like it stands elsewhere
    article = repository / "posts" / "旧文章.md"
    article.write_text(LEGACY.replace("<p>　　第一段。</p>", "##\n\n<p>　　第一段。</p>"), encoding="utf-8")
    git(repository, "commit", "-q", "-am", "a heading")
    entry = {"path": "posts/旧文章.md", "rule": "empty-paragraph", "fingerprint": "old0", "message": "empty heading '##'"}
    (repository / "baseline.json").write_text(json.dumps({"lintnews-baseline": 1, "findings": [entry]}),
                                              encoding="utf-8")
    edited = article.read_text(encoding="utf-8").replace("<p>　　第二段。", "##\n\n<p>　　第二段，改。")
    article.write_text(edited, encoding="utf-8")
    result = run(repository, "check", "--baseline", "baseline.json", "--diff-base", "HEAD", "--select",
                 "empty-paragraph")
    assert result.stdout == "No problems found (1 file checked; 1 known problem hidden by the baseline).\n"
    run(repository, "check", "--fix", "--baseline", "baseline.json", "--diff-base", "HEAD")
    assert article.read_text(encoding="utf-8").count("##\n") == 2

CRASHING_PLUGIN = '''\
from lintnews import hookimpl, rule


@rule("crashes-on-legacy")
def crashes_on_legacy(doc, options):
    """Crashes on one article."""
    if "第一段" in doc.text:
        raise RuntimeError("cannot read this one")
    yield from ()


@hookimpl
def lintnews_rules():
    return [crashes_on_legacy]
'''


def test_an_internal_error_is_never_hidden_by_diff_base_or_baseline(repository):
    (repository / "crash.py").write_text(CRASHING_PLUGIN, encoding="utf-8")
    args = ("--plugin", "crash.py", "--select", "crashes-on-legacy")
    expected = ("posts/旧文章.md:1:1: error internal-error rule 'crashes-on-legacy' from plugin 'crash' "
                "crashed: RuntimeError: cannot read this one")
    result = run(repository, "check", *args, "--diff-base", "HEAD")
    assert (result.returncode, result.stdout.splitlines()[0]) == (1, expected)
    written = run(repository, "check", *args, "--write-baseline", "baseline.json")
    assert written.returncode == 0, written.stderr
    result = run(repository, "check", *args, "--baseline", "baseline.json")
    assert (result.returncode, result.stdout.splitlines()[0]) == (1, expected)


NAMES = ["with space.md", "tab\there.md", 'quote"d.md', "新闻 稿.md", "-leading.md", "--option.md", "back\\slash.md"]


def test_diff_base_finds_changes_in_files_with_any_name(repository):
    for name in NAMES:
        (repository / "posts" / name).write_text(LEGACY, encoding="utf-8")
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "more")
    for name in NAMES:  # line 7 changed, uncommitted
        (repository / "posts" / name).write_text(LEGACY.replace("<p>　　第一段。</p>", "<p style=x>　　第一段。</p>"),
                                                 encoding="utf-8")
    result = run(repository, "check", "--diff-base", "HEAD", "--select", "inline-style")
    assert result.returncode == 0
    reported = sorted(line.split(":7:4: ")[0] for line in result.stdout.splitlines()[:-2])  # not the summary and hint
    assert reported == sorted(f"posts/{name}".replace("\t", "\\x09") for name in NAMES)


@pytest.mark.parametrize("isolated", [[], ["--isolated"]])
@pytest.mark.parametrize("attributes, textconv", [
    ({".gitattributes": "*.md -diff\n"}, None),
    ({"posts/.gitattributes": "* binary\n"}, None),
    ({".gitattributes": "*.md diff=hidden\n"}, "sed d"),  # a driver that shows nothing of the text
])
def test_diff_base_sees_changes_that_attributes_would_hide(repository, attributes, textconv, isolated):
    """A pull request may commit a .gitattributes that makes git diff print no hunk for its
    articles: their changed lines are still changed lines."""
    git(repository, "branch", "base")
    article = repository / "posts" / "旧文章.md"
    article.write_text(LEGACY.replace("<p>　　第一段。</p>", "<p style=\"color:red\">　　第一段。</p>"), encoding="utf-8")
    for name, text in attributes.items():
        (repository / name).write_text(text, encoding="utf-8")
    if textconv:
        git(repository, "config", "diff.hidden.textconv", textconv)
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "the pull request")
    result = run(repository, "check", *isolated, "--diff-base", "base", "--select", "inline-style")
    assert (result.returncode, result.stdout.splitlines()[0]) == (
        0, "posts/旧文章.md:7:4: warning inline-style inline style attribute (color)"), result.stdout + result.stderr


@pytest.mark.parametrize("ref", ["--output={target}", "-p", "", " HEAD"])
def test_diff_base_refuses_what_git_would_read_as_an_option(repository, tmp_path_factory, ref):
    target = tmp_path_factory.mktemp("outside") / "truncated"
    ref = ref.format(target=target)
    result = run(repository, "check", f"--diff-base={ref}")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert result.stderr == f"lintnews: error: --diff-base {ref!r} is not a git ref (a ref cannot start with '-')\n"
    assert not target.exists()


CHANGED = LEGACY.replace("<p>　　第一段。</p>", "<p style=\"color:red\">　　第一段。</p>")  # inline-style at 7:4


def test_diff_base_finds_files_named_through_a_symlinked_folder(repository, tmp_path_factory):
    link = tmp_path_factory.mktemp("links") / "checkout"
    link.symlink_to(repository, target_is_directory=True)  # a symlinked workspace; /tmp on macOS
    (repository / "posts" / "旧文章.md").write_text(CHANGED, encoding="utf-8")
    for named in (link / "posts" / "旧文章.md", link / "posts", link):
        result = run(link, "check", "--diff-base", "HEAD", "--select", "inline-style", str(named))
        assert result.stdout.splitlines()[0].endswith(
            "checkout/posts/旧文章.md:7:4: warning inline-style inline style attribute (color)"), (named, result.stdout)


def test_diff_base_follows_a_symlinked_article_to_the_file_git_lists(repository):
    (repository / "posts" / "alias.md").symlink_to("旧文章.md")
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "alias")
    (repository / "posts" / "旧文章.md").write_text(CHANGED, encoding="utf-8")
    result = run(repository, "check", "--diff-base", "HEAD", "--select", "inline-style", "posts/alias.md")
    assert result.stdout.splitlines()[0] == "posts/alias.md:7:4: warning inline-style inline style attribute (color)", \
        result.stdout + result.stderr


def test_diff_base_refuses_files_of_another_repository(repository, tmp_path_factory):
    other = tmp_path_factory.mktemp("other")
    git(other, "init", "-q")
    git(other, "commit", "-q", "--allow-empty", "-m", "other")
    (repository / "posts" / "旧文章.md").write_text(CHANGED, encoding="utf-8")
    result = run(other, "check", "--diff-base", "HEAD", str(repository / "posts"))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stdout + result.stderr
    assert result.stderr.startswith(f"lintnews: error: --diff-base: {os.path.realpath(repository)}/posts/旧文章.md "
                                    f"is not in the git repository at {os.path.realpath(other)}"), result.stderr


def test_diff_base_refuses_files_of_a_submodule(repository, tmp_path_factory):
    library = tmp_path_factory.mktemp("library")
    git(library, "init", "-q")
    (library / "a.md").write_text(LEGACY, encoding="utf-8")
    git(library, "add", ".")
    git(library, "commit", "-q", "-m", "library")
    git(repository, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library), "site")
    git(repository, "commit", "-q", "-m", "submodule")
    (repository / "site" / "a.md").write_text(CHANGED, encoding="utf-8")
    result = run(repository, "check", "--diff-base", "HEAD", "site")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stdout + result.stderr
    assert "is in the git submodule" in result.stderr and "run lintnews from inside the submodule" in result.stderr
    inside = run(repository / "site", "check", "--diff-base", "HEAD", "--select", "inline-style")
    assert inside.stdout.splitlines()[0] == "a.md:7:4: warning inline-style inline style attribute (color)", inside.stdout


def test_diff_base_reports_every_line_of_an_untracked_repository_inside(repository):
    nested = repository / "imported"
    nested.mkdir()
    git(nested, "init", "-q")  # git lists it as one untracked folder, "imported/"
    (nested / "a.md").write_text(CHANGED, encoding="utf-8")
    result = run(repository, "check", "--diff-base", "HEAD", "--select", "inline-style")
    assert result.stdout.splitlines()[0] == "imported/a.md:7:4: warning inline-style inline style attribute (color)", \
        result.stdout + result.stderr


@pytest.mark.parametrize("ref", ["HEAD...", "main...", "HEAD..HEAD", "..", "HEAD~1..", "HEAD^!", "HEAD^-"])
def test_diff_base_refuses_a_range_which_would_leave_the_working_tree_out(repository, ref):
    git(repository, "commit", "-q", "--allow-empty", "-m", "second")
    (repository / "posts" / "旧文章.md").write_text(CHANGED, encoding="utf-8")  # uncommitted
    result = run(repository, "check", "--diff-base", ref)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stdout + result.stderr
    assert result.stderr.startswith(f"lintnews: error: --diff-base {ref!r} is a range: give one commit, branch or "
                                    "tag"), result.stderr


@pytest.mark.parametrize("ref", ["HEAD", "main", "HEAD~0", "HEAD^{commit}"])
def test_diff_base_takes_one_commit_however_named(repository, ref):
    (repository / "posts" / "旧文章.md").write_text(CHANGED, encoding="utf-8")
    result = run(repository, "check", "--diff-base", ref, "--select", "inline-style")
    assert result.stdout.splitlines()[0] == "posts/旧文章.md:7:4: warning inline-style inline style attribute (color)", \
        result.stdout + result.stderr

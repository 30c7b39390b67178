"""``lintnews check --fix`` end to end: what is written, what is kept byte for byte, what is
refused, and what the report, the JSON and the SARIF say about fixes."""
from __future__ import annotations

import ctypes
import json
import os
import signal
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from lintnews import Edit, hookimpl, rule
from lintnews.cli import main
from lintnews.fix.edits import remove_block
from lintnews.fix.write import TEMP_SUFFIX
from lintnews.testing import fix_string

from test_formats import assert_valid_sarif

# inline-style (safe) at 7:3, leftover-markup (safe) at 7:30, repeated-punctuation (safe) at 8:12,
# halfwidth-punctuation (unsafe) at 8:9, front-matter-date (info, unsafe) at 4:7
SCRAPED = """\
---
title: 沪指收涨
author: 新华社
date: Tue, 02 Aug 2022 05:42:34 GMT
---

<p style="color:red">沪指收涨</p><!-- news_keyword_pub -->
<p>　　成交额放大,后市如何！！</p>

责任编辑：王蒙
"""
SAFE_FIXED = """\
---
title: 沪指收涨
author: 新华社
date: Tue, 02 Aug 2022 05:42:34 GMT
---

<p>沪指收涨</p>
<p>　　成交额放大,后市如何！</p>

责任编辑：王蒙
"""
ALL_FIXED = SAFE_FIXED.replace("Tue, 02 Aug 2022 05:42:34 GMT", "2022-08-02T05:42:34+00:00") \
    .replace("放大,后市", "放大，后市")


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A repository root (config discovery stops here), the current folder."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path.resolve()


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def temporaries(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.name.endswith(TEMP_SUFFIX)]


# -- the command -----------------------------------------------------------------------------------

def test_fix_applies_safe_fixes_reports_what_is_left_and_settles(project, capsys):
    article = project / "a.md"
    article.write_text(SCRAPED, encoding="utf-8")
    code, out, _ = check(capsys, "--fix")
    assert article.read_text(encoding="utf-8") == SAFE_FIXED
    assert out.splitlines() == [
        "a.md:4:7: info front-matter-date date: 'Tue, 02 Aug 2022 05:42:34 GMT' is in RFC 2822 form "
        "(write 2022-08-02T05:42:34+00:00)",
        "a.md:8:11: warning halfwidth-punctuation half-width ',' in Chinese text (write '，')",
        "3 fixed, 2 remaining (0 errors, 1 warning, 1 info) in 1 file (1 file checked).",
        "2 fixable with --fix --unsafe-fixes, which change what a reader sees; --diff shows them first.",
    ]
    assert code == 0  # nothing left at the default fail-on (error)
    mtime = article.stat().st_mtime_ns
    code, out, _ = check(capsys, "--fix")
    assert out.splitlines()[-2] == "0 fixed, 2 remaining (0 errors, 1 warning, 1 info) in 1 file (1 file checked)."
    assert article.stat().st_mtime_ns == mtime  # a second --fix does not even rewrite the file


def test_the_report_says_how_many_problems_each_kind_of_fix_would_repair(project, capsys):
    (project / "a.md").write_text(SCRAPED, encoding="utf-8")
    # safe: the style attribute, the comment, the doubled mark; unsafe: the RFC 2822 date, the comma
    code, out, _ = check(capsys)
    assert out.splitlines()[-1] == ("3 fixable with --fix (2 more with --fix --unsafe-fixes, which change "
                                    "what a reader sees); --diff shows the changes first.")
    code, out, _ = check(capsys, "--no-cache", "--select", "front-matter-required")
    assert out.splitlines()[-1] == "No problems found (1 file checked)."  # nothing to fix: no hint
    code, out, _ = check(capsys, "--fix", "--unsafe-fixes")
    assert out.splitlines()[-1] == "5 fixed, 0 remaining (1 file checked)."


def test_the_fix_report_keeps_the_findings_of_rules_that_see_the_whole_run(project, capsys):
    # two copies of one story, each with a run of marks to fix: duplicate-article judges them
    # from every file of the run, after fixing, and the report says so as a plain check would
    story = ("---\ntitle: 沪指收涨\nauthor: 新华社\ndate: 2022-08-02\n---\n\n<p>沪指今日收涨，成交额放大！！</p>\n"
             "<p>券商板块领涨两市，银行股走弱。</p>\n<p>分析人士认为，市场情绪有所回暖。</p>\n\n责任编辑：王蒙\n")
    for name in ("a.md", "b.md"):
        (project / name).write_text(story, encoding="utf-8")
    code, out, _ = check(capsys, "--fix")
    assert (project / "a.md").read_text(encoding="utf-8") == story.replace("！！", "！")
    assert out.splitlines() == [
        "a.md:7:4: info duplicate-article same article body as b.md",
        "b.md:7:4: info duplicate-article same article body as a.md",
        "2 fixed, 2 remaining (0 errors, 0 warnings, 2 info) in 2 files (2 files checked).",
    ]
    assert code == 0
    code, after, _ = check(capsys, "--no-cache")
    assert after.splitlines()[:2] == out.splitlines()[:2]


def test_unsafe_fixes_apply_too_when_asked(project, capsys):
    (project / "a.md").write_text(SCRAPED, encoding="utf-8")
    code, out, _ = check(capsys, "--fix", "--unsafe-fixes")
    assert (project / "a.md").read_text(encoding="utf-8") == ALL_FIXED
    assert out.splitlines() == ["5 fixed, 0 remaining (1 file checked)."]
    assert code == 0


def test_fix_only_and_select_limit_fixing(project, capsys):
    (project / "a.md").write_text(SCRAPED, encoding="utf-8")
    check(capsys, "--fix-only", "repeated-punctuation")
    assert (project / "a.md").read_text(encoding="utf-8") == SCRAPED.replace("！！", "！")
    (project / "a.md").write_text(SCRAPED, encoding="utf-8")
    code, out, _ = check(capsys, "--fix", "--select", "inline-style")
    assert (project / "a.md").read_text(encoding="utf-8") == SCRAPED.replace(' style="color:red"', "")
    assert out.splitlines() == ["1 fixed, 0 remaining (1 file checked)."]


def test_diff_shows_what_fix_would_change_and_writes_nothing(project, capsys):
    (project / "a.md").write_text(SCRAPED, encoding="utf-8")
    code, out, err = check(capsys, "--diff")
    assert code == 1
    assert (project / "a.md").read_text(encoding="utf-8") == SCRAPED
    assert out == """\
--- a/a.md
+++ b/a.md
@@ -4,7 +4,7 @@
 date: Tue, 02 Aug 2022 05:42:34 GMT
 ---
 
-<p style="color:red">沪指收涨</p><!-- news_keyword_pub -->
-<p>　　成交额放大,后市如何！！</p>
+<p>沪指收涨</p>
+<p>　　成交额放大,后市如何！</p>
 
 责任编辑：王蒙
"""
    assert err == "lintnews: 3 fix(es) would change 1 file(s)\n"
    (project / "a.md").write_text(SAFE_FIXED, encoding="utf-8")
    assert check(capsys, "--diff")[:2] == (0, "")


def test_diff_quotes_unusual_file_names_as_git_does(project, capsys):
    # a line break in a name would write header lines of its own; a byte that is not UTF-8
    # is written as itself, in octal, as git does
    names = [b"x\n+++ b\xe2\x88\x95other\n--- a.md", b'q"\\.md', b"bad\xff.md", "新闻 稿.md".encode()]
    for name in names:
        (project / os.fsdecode(name)).write_text(SCRAPED, encoding="utf-8")
    code, out, _ = check(capsys, "--diff")
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith(("--- ", "+++ "))] == [
        '--- "a/bad\\377.md"', '+++ "b/bad\\377.md"',
        '--- "a/q\\"\\\\.md"', '+++ "b/q\\"\\\\.md"',
        '--- "a/x\\n+++ b\u2215other\\n--- a.md"\t', '+++ "b/x\\n+++ b\u2215other\\n--- a.md"\t',
        "--- a/新闻 稿.md\t", "+++ b/新闻 稿.md\t"]  # a tab after a name with a space, as git writes
    (project / "fixes.diff").write_text(out, encoding="utf-8")
    _git(project, "apply", "fixes.diff")  # git reads every name back
    assert {(project / os.fsdecode(name)).read_text(encoding="utf-8") for name in names} == {SAFE_FIXED}


def test_diff_of_names_with_spaces_applies_with_patch(project, capsys):
    # GNU patch reads a name up to a tab, or else up to the first space
    if shutil.which("patch") is None:  # CI installs it (.ci/run); it must run there
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("the patch test must run in CI: GNU patch is not installed (apt-get install patch)")
        pytest.skip("GNU patch is not installed (apt-get install patch)")
    names = ["新闻 稿.md", "a b.md", "新 闻/中文.md"]
    for name in names:
        (project / name).parent.mkdir(exist_ok=True)
        (project / name).write_text(SCRAPED, encoding="utf-8")
    code, out, _ = check(capsys, "--diff")
    assert code == 1
    done = subprocess.run(["patch", "-p1"], cwd=project, input=out, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {(project / name).read_text(encoding="utf-8") for name in names} == {SAFE_FIXED}


@pytest.mark.parametrize("args, message", [
    (["--unsafe-fixes"], "--unsafe-fixes needs --fix, --diff or --fix-only"),
    (["--fix", "--write-baseline", "b.json"], "--write-baseline records problems as they are"),
    (["--fix-only", "no-such-rule"], "--fix-only: unknown rule 'no-such-rule'"),
])
def test_fix_options_that_do_not_go_together_are_usage_errors(project, capsys, args, message):
    (project / "a.md").write_text(SCRAPED, encoding="utf-8")
    code, _, err = check(capsys, *args)
    assert code == 2 and message in err and err.count("\n") == 1
    assert (project / "a.md").read_text(encoding="utf-8") == SCRAPED


# -- bytes kept --------------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", ["lf", "crlf", "mixed", "bom", "bom-crlf", "no-final-newline"])
def test_encoding_line_endings_and_final_newline_are_kept(project, capsys, variant):
    before, after = SCRAPED, SAFE_FIXED
    if "crlf" in variant:
        before, after = before.replace("\n", "\r\n"), after.replace("\n", "\r\n")
    if variant == "mixed":  # CRLF in the front matter only, and on the line that is fixed
        before = before.replace("\n", "\r\n", 5).replace("！！</p>\n", "！！</p>\r\n")
        after = after.replace("\n", "\r\n", 5).replace("！</p>\n", "！</p>\r\n")
    if variant == "no-final-newline":
        before, after = before.rstrip("\n"), after.rstrip("\n")
    bom = b"\xef\xbb\xbf" if "bom" in variant else b""
    (project / "a.md").write_bytes(bom + before.encode("utf-8"))
    check(capsys, "--fix")
    assert (project / "a.md").read_bytes() == bom + after.encode("utf-8")


def test_a_comment_ending_the_file_keeps_the_file_ending_as_it_was():
    assert fix_string("<p>正文。</p>\n<!-- 总声明 -->\n", ["leftover-markup"])[0] == "<p>正文。</p>\n"
    assert fix_string("<p>正文。</p>\r\n\r\n<!-- 总声明 -->", ["leftover-markup"])[0] == "<p>正文。</p>"


@pytest.mark.parametrize("after, end", [
    ("\n\n \t\n\u3000\r\nnext\n", 30),  # blank lines of spaces, tabs, U+3000 and CR go up to the text
    ("\n\n\n  ", 27),  # blank lines up to the end of the text, the last with no line feed
    ("\nnext\n", 23),  # no blank line after it: only its own line goes
])
def test_a_comment_after_a_gap_takes_the_blank_lines_after_it(after, end):
    text = "<p>a</p>\n\n<!-- 总声明 -->" + after  # the comment: offsets 10 to 22
    assert remove_block(text, 10, 22) == Edit(10, end, "")


def test_front_matter_is_edited_in_place_never_rewritten(project, capsys):
    head = "---\n# 来源：新浪\ntitle:   '沪指收涨'   # 标题\ntags: [a,  b]\ndate: Tue, 02 Aug 2022 05:42:34 GMT\n---\n"
    (project / "a.md").write_text(head + "<p>正文。</p>\n", encoding="utf-8")
    check(capsys, "--fix", "--unsafe-fixes")
    assert (project / "a.md").read_text(encoding="utf-8") == \
        head.replace("Tue, 02 Aug 2022 05:42:34 GMT", "2022-08-02T05:42:34+00:00") + "<p>正文。</p>\n"


# -- refusals and faults ------------------------------------------------------------------------------

def _without_root_powers() -> None:
    """In the child before exec: drop the capabilities that let root ignore file permissions
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) from the bounding set."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_a_read_only_folder_leaves_the_original_and_no_temporary_file(tmp_path):
    # a real read-only folder; run as root, lintnews runs without the powers that ignore it
    project = tmp_path
    (project / ".git").mkdir()
    folder = project / "posts"
    folder.mkdir()
    (folder / "a.md").write_text(SCRAPED, encoding="utf-8")
    (folder / "a.md").chmod(0o644)
    folder.chmod(0o555)
    powers = {"preexec_fn": _without_root_powers} if os.geteuid() == 0 else {}
    try:
        result = subprocess.run([sys.executable, "-m", "lintnews", "check", "--fix"], cwd=project, capture_output=True,
                                text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=60, **powers)
    finally:
        folder.chmod(0o755)
    assert (folder / "a.md").read_text(encoding="utf-8") == SCRAPED
    assert temporaries(project) == []
    assert result.returncode == 1, result.stderr
    assert "posts/a.md:1:1: error fix-failed fixes not written: cannot write in" in result.stdout
    assert "Permission denied; the file is left as it was" in result.stdout
    assert "posts/a.md:7:4: warning inline-style" in result.stdout  # the problems of the file as it is
    assert result.stdout.splitlines()[-2].startswith("0 fixed, ")
    # the safe fixes it could not write are not offered again; the unsafe ones it was not allowed are
    assert result.stdout.splitlines()[-1].endswith("fixable with --fix --unsafe-fixes, which change what a "
                                                   "reader sees; --diff shows them first.")


def test_the_mode_of_the_file_is_kept(project, capsys):
    (project / "a.md").write_text(SCRAPED, encoding="utf-8")
    (project / "a.md").chmod(0o640)
    check(capsys, "--fix")
    assert (project / "a.md").stat().st_mode & 0o777 == 0o640
    assert (project / "a.md").read_text(encoding="utf-8") == SAFE_FIXED


@rule("meddles", severity="warning", fix="safe")
def meddles(doc, options):
    """Changes the file on disk while it is being fixed, as an editor saving it would."""
    if "meddle" in doc.text:
        doc.fs_path.write_text("edited meanwhile\n", encoding="utf-8")
    yield doc.violation(0, "first character", 1, fix=Edit(0, 0, ""))


MEDDLES = ("meddles", types.SimpleNamespace(lintnews_rules=hookimpl(lambda: [meddles])))


def test_a_file_changed_on_disk_between_reading_and_writing_is_not_written(project, capsys, monkeypatch):
    import lintnews.cli

    monkeypatch.setattr(lintnews.cli, "plugin_manager", _with_plugin(lintnews.cli.plugin_manager, MEDDLES))
    (project / "a.md").write_text(SCRAPED + "meddle\n", encoding="utf-8")
    code, out, _ = check(capsys, "--fix")
    assert (project / "a.md").read_text(encoding="utf-8") == "edited meanwhile\n"
    assert "a.md:1:1: error fix-failed fixes not written: the file changed on disk while it was being fixed" in out
    assert temporaries(project) == []
    assert code == 1


def _with_plugin(factory, plugin):
    def make(*args, **kwargs):
        kwargs["extra"] = [*kwargs.get("extra", ()), plugin]
        return factory(*args, **kwargs)
    return make


def test_a_symlink_out_of_the_repository_is_not_written_through(project, capsys, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "shared.md"
    outside.write_text(SCRAPED, encoding="utf-8")
    (project / "linked.md").symlink_to(outside)
    code, out, _ = check(capsys, "--fix")
    assert outside.read_text(encoding="utf-8") == SCRAPED
    assert (project / "linked.md").is_symlink()
    # refused before reading, as linting refuses it: a file not read is never written
    assert out.splitlines()[0] == "linked.md:1:1: error read-error a symlink to a file outside the repository: not read"
    assert temporaries(project) == [] and temporaries(outside.parent) == []
    assert code == 1


def test_a_file_over_max_file_size_is_neither_read_nor_fixed(project, capsys):
    article = project / "a.md"
    article.write_text(SCRAPED, encoding="utf-8")
    code, out, _ = check(capsys, "--fix", "--max-file-size", "0.0001")  # about 100 bytes
    assert article.read_text(encoding="utf-8") == SCRAPED
    assert out.splitlines()[0] == ("a.md:1:1: error too-large file is 0.0 MB, larger than max-file-size "
                                   "(0.0001 MB): not linted")
    assert temporaries(project) == [] and code == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_in_the_repository_is_reported_and_left_a_fifo(project, capsys):
    os.mkfifo(project / "pipe.md")
    code, out, _ = check(capsys, "--fix", "pipe.md")  # returns at once: a FIFO is never opened for reading
    assert out.splitlines()[0] == "pipe.md:1:1: error read-error not a regular file (a named pipe); only files are read"
    assert (project / "pipe.md").is_fifo() and temporaries(project) == [] and code == 1


def test_isolated_fixes_with_the_defaults_not_the_repository_configuration(project, capsys):
    (project / ".lintnews.yaml").write_text("rules:\n  inline-style: false\n  leftover-markup: false\n",
                                            encoding="utf-8")
    article = project / "a.md"
    article.write_text(SCRAPED, encoding="utf-8")
    check(capsys, "--fix", "--isolated")
    assert article.read_text(encoding="utf-8") == SAFE_FIXED  # the rules the configuration turned off fixed too
    article.write_text(SCRAPED, encoding="utf-8")
    check(capsys, "--fix")
    assert '<p style="color:red">沪指收涨</p><!-- news_keyword_pub -->' in article.read_text(encoding="utf-8")


def test_a_symlink_inside_the_repository_is_written_through_and_stays_a_symlink(project, capsys):
    (project / "real").mkdir()
    (project / "real" / "a.md").write_text(SCRAPED, encoding="utf-8")
    (project / "alias.md").symlink_to(project / "real" / "a.md")
    check(capsys, "--fix", "alias.md")
    assert (project / "alias.md").is_symlink()
    assert (project / "real" / "a.md").read_text(encoding="utf-8") == SAFE_FIXED


def test_a_fifo_is_never_replaced_by_a_file(tmp_path):
    from lintnews.fix.write import WriteRefused, write_back

    fifo = tmp_path / "a.md"
    os.mkfifo(fifo)
    with pytest.raises(WriteRefused, match="not a regular file"):
        write_back(fifo, tmp_path, b"", b"x")
    assert fifo.is_fifo() and temporaries(tmp_path) == []


def test_a_gbk_file_is_reported_and_left_untouched(project, capsys):
    data = SCRAPED.encode("gbk")
    (project / "gbk.md").write_bytes(data)
    code, out, _ = check(capsys, "--fix")
    assert (project / "gbk.md").read_bytes() == data
    assert out.splitlines()[0] == "gbk.md:2:8: error encoding file is not valid UTF-8 (byte 0xbb); re-save it as UTF-8"
    assert code == 1


@rule("title-eater", severity="warning", fix="safe")
def title_eater(doc, options):
    """Reports the body's first character; its fix deletes the title line of the front matter,
    and opens a <div> it never closes."""
    start = doc.text.find("title:")
    if start >= 0:
        yield doc.violation(doc.body_offset, "title", fix=(Edit(start, doc.text.index("\n", start) + 1, ""),
                                                           Edit(len(doc.text), len(doc.text), "<div>")))


@rule("fence-eater", severity="warning", fix="safe")
def fence_eater(doc, options):
    """Deletes the closing fence of the front matter."""
    if doc.front_matter is not None and doc.front_matter.closed:
        yield doc.violation(0, "fence", fix=Edit(doc.front_matter.content_end, doc.front_matter.end, ""))


@rule("see-saw", severity="warning", fix="safe")
def see_saw(doc, options):
    """Swaps two words for ever: a fix that never settles."""
    for word, other in (("涨", "跌"), ("跌", "涨")):
        at = doc.text.find(word, doc.body_offset)
        if at >= 0:
            yield doc.violation(at, "swap", at + 1, fix=Edit(at, at + 1, other))
            return


BROKEN = ("broken_fixes", types.SimpleNamespace(lintnews_rules=hookimpl(lambda: [title_eater, fence_eater,
                                                                                 see_saw])))


@pytest.mark.parametrize("rule_id, why", [
    ("title-eater", "the front matter would lose 'title'"),
    ("fence-eater", "the front matter would no longer parse"),
])
def test_a_fix_that_breaks_the_front_matter_is_undone(rule_id, why):
    text, findings = fix_string(SCRAPED, [rule_id], plugins=[BROKEN])
    assert text == SCRAPED
    assert [(f.rule, f.message) for f in findings if f.rule == "fix-failed"] == [
        ("fix-failed", f"fixing ({rule_id}) was undone: {why}; the file is left as it was")]


def test_a_fix_that_leaves_a_tag_unclosed_is_undone():
    text, findings = fix_string("<p>正文</p>\ntitle: x\n", ["title-eater"], plugins=[BROKEN])
    assert text == "<p>正文</p>\ntitle: x\n"
    assert [f.message for f in findings if f.rule == "fix-failed"] == [
        "fixing (title-eater) was undone: it would leave <div> unclosed; the file is left as it was"]


FENCE_AFTER = """\
---
title: 测试文章
date: 2022-08-02
author: 王
---
第一段文字。

{}```

第二段文字。

责任编辑：张三
"""


@pytest.mark.parametrize("leftover, rule_id", [
    ("<!-- 注释 -->", "leftover-markup"),
    ('<font color="red"></font>', "inline-style"),
    ('<p style="color:red"></p>', "empty-paragraph"),
    ("\u200b", "bad-characters"),
])
def test_a_fix_that_would_open_a_code_fence_is_undone(leftover, rule_id):
    # removing what stands before the backticks would leave them at the line's start: a fence
    # that no line closes, turning the rest of the article into code
    article = FENCE_AFTER.format(leftover)
    text, findings = fix_string(article)
    assert text == article
    assert [(f.rule, f.line, f.message) for f in findings if f.rule in ("fix-failed", "code-fence-unclosed")] == [
        ("fix-failed", 1, f"fixing ({rule_id}) was undone: it would turn text into code from line 8; "
                          "the file is left as it was")]


def test_a_fix_that_joins_two_code_blocks_across_a_blank_line_is_applied():
    # the comment's line gone, a blank line parts the two indented blocks no more: one block,
    # but no text that was not code before is code now
    article = ("---\ntitle: 测试文章\ndate: 2022-08-02\nauthor: 王\n---\n第一段文字。\n\n    <!-- wp:code -->\n\n"
               "<!-- 注释 -->\n    <style>.a{color:red}</style>\n\n责任编辑：张三\n")
    text, findings = fix_string(article)
    assert text == article.replace("<!-- 注释 -->\n", "")
    assert not [f for f in findings if f.rule == "fix-failed"]


def test_fixes_beside_code_blocks_keep_them_and_are_applied(project, capsys):
    article = project / "a.md"
    article.write_text(FENCE_AFTER.format("<!-- 注释 -->\n\n```\n<b>代码</b>\n") + "\n结尾。<!-- 尾注 -->\n",
                       encoding="utf-8")
    code, out, _ = check(capsys, "--fix", "a.md")
    assert article.read_text(encoding="utf-8") == FENCE_AFTER.format("```\n<b>代码</b>\n") + "\n结尾。\n"
    assert "fix-failed" not in out and code == 0


def test_fixes_that_never_settle_are_not_written_and_name_their_rule():
    text, findings = fix_string("<p>涨</p>\n", ["see-saw"], plugins=[BROKEN])
    assert text == "<p>涨</p>\n"
    assert [f.message for f in findings if f.rule == "fix-failed"] == [
        "the fixes of see-saw did not settle after 10 passes; the file is left as it was"]


def test_sigint_mid_run_damages_no_file_and_leaves_no_temporary_file(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (tmp_path / ".git").mkdir()
    count = 400
    for index in range(count):
        (posts / f"{index:04d}.md").write_text(SCRAPED, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "lintnews", "check", "--fix", "posts"], cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (posts / "0000.md").read_text(encoding="utf-8") == SCRAPED:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    contents = [path.read_text(encoding="utf-8") for path in sorted(posts.glob("*.md"))]
    assert len(contents) == count
    assert set(contents) <= {SCRAPED, SAFE_FIXED}
    assert temporaries(tmp_path) == []
    if process.returncode == 130:  # interrupted, as intended
        fixed = contents.count(SAFE_FIXED)
        assert 0 < fixed < count, fixed
        assert "lintnews: interrupted: each file is either fixed whole or as it was; run --fix again to finish" in err
    else:  # the machine was fast enough to finish first: then every file is fixed
        assert process.returncode == 0 and contents.count(SAFE_FIXED) == count, err


# -- limits: changed lines, baselines ----------------------------------------------------------------

def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t.invalid", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_fix_with_diff_base_fixes_only_changed_lines(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    _git(tmp_path, "init", "-q")
    (tmp_path / "a.md").write_text(SCRAPED, encoding="utf-8")
    _git(tmp_path, "add", "a.md")
    _git(tmp_path, "commit", "-qm", "x")
    # a new size: git never takes the edit for the committed file (same size, same second)
    changed = SCRAPED.replace("<p>　　成交额放大,后市如何！！</p>", "<p>　　成交额放大,后市如何？？？</p>")
    (tmp_path / "a.md").write_text(changed, encoding="utf-8")
    check(capsys, "--fix", "--diff-base", "HEAD")
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == changed.replace("？？？", "？")


def test_fix_with_a_baseline_leaves_known_problems_unless_selected(project, capsys):
    (project / "a.md").write_text(SCRAPED, encoding="utf-8")
    check(capsys, "--write-baseline", "base.json")
    new = SCRAPED.replace("责任编辑：王蒙", "<p>新段落！！</p>\n\n责任编辑：王蒙")
    (project / "a.md").write_text(new, encoding="utf-8")
    code, out, _ = check(capsys, "--fix", "--baseline", "base.json")
    assert (project / "a.md").read_text(encoding="utf-8") == new.replace("新段落！！", "新段落！")
    check(capsys, "--fix", "--baseline", "base.json", "--select", "inline-style")
    assert ' style="color:red"' not in (project / "a.md").read_text(encoding="utf-8")
    assert "<!-- news_keyword_pub -->" in (project / "a.md").read_text(encoding="utf-8")


# -- suppressions ---------------------------------------------------------------------------------------

def test_a_suppressed_problem_is_not_fixed():
    text = "<!-- lintnews-disable-next-line repeated-punctuation -->\n<p>好！！</p>\n<p>坏！！</p>\n"
    fixed, findings = fix_string(text, ["repeated-punctuation", "unused-suppression"])
    assert fixed == text.replace("坏！！", "坏！")
    assert findings == []  # the suppression is still used after fixing


# -- reports ------------------------------------------------------------------------------------------------

def test_json_and_sarif_carry_the_fix(project, capsys):
    (project / "a.md").write_text(SCRAPED, encoding="utf-8")
    _, out, _ = check(capsys, "--output-format", "json", "--select", "repeated-punctuation,halfwidth-punctuation")
    findings = json.loads(out)
    comma, marks = SCRAPED.index("放大,") + 2, SCRAPED.index("！！")
    assert [(f["rule"], f["fix"]) for f in findings] == [
        ("halfwidth-punctuation", {"applicability": "unsafe", "edits": [
            {"start": comma, "end": comma + 1, "replacement": "，", "line": 8, "column": 11, "end_line": 8,
             "end_column": 12}]}),
        ("repeated-punctuation", {"applicability": "safe", "edits": [
            {"start": marks, "end": marks + 2, "replacement": "！", "line": 8, "column": 16, "end_line": 8,
             "end_column": 18}]}),
    ]
    _, out, _ = check(capsys, "--output-format", "sarif")
    log = json.loads(out)
    assert_valid_sarif(log)
    results = {result["ruleId"]: result for result in log["runs"][0]["results"]}
    assert results["repeated-punctuation"]["fixes"] == [{
        "description": {"text": "safe fix of repeated-punctuation"},
        "artifactChanges": [{"artifactLocation": {"uri": "a.md", "uriBaseId": "%SRCROOT%"}, "replacements": [
            {"deletedRegion": {"startLine": 8, "startColumn": 16, "endLine": 8, "endColumn": 18},
             "insertedContent": {"text": "！"}}]}]}]
    assert results["inline-style"]["fixes"][0]["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"startLine": 7, "startColumn": 3, "endLine": 7, "endColumn": 21}}]


def test_a_line_of_many_comments_then_text_is_told_from_a_line_of_comments_only():
    # read with a lazy ".*?", the first would try each of 2**40 ways to split the line: it would not finish
    from lintnews.fix.edits import _COMMENTS_ONLY

    assert _COMMENTS_ONLY.fullmatch("<!--a-->" * 40 + "x") is None
    assert _COMMENTS_ONLY.fullmatch("<!--a-->" * 40) is not None
    assert _COMMENTS_ONLY.fullmatch("<!-- a --> <!-- b -- c -->") is not None

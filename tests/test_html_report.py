"""The HTML report's data: per-file facts, the compact payload, safe embedding, baselines."""
from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from lintnews.facts import FileFacts, file_facts
from lintnews.output.html.data import FILE_COLUMNS, dumps, unpack

from report_fixture import write_many, write_repository
from test_cli import ENV, run, write


def embedded(page: str) -> dict:
    match = re.search(r'<script type="application/gzip" id="report-data">([A-Za-z0-9+/=]*)</script>', page)
    return unpack(match.group(1))


def file_rows(data: dict) -> list[list]:
    """``[folder, name, title, section, source, editor, month, findings]`` per file."""
    return [list(row) for row in zip(*(data["files"][name] for name in FILE_COLUMNS))]


def finding_rows(data: dict) -> list[list[int]]:
    """``[line, column, kind, message]`` per finding, the line's steps added up per file."""
    columns = data["findings"]
    starts, total = set(), 0
    for row in file_rows(data):
        starts.add(total)
        total += row[7]
    lines = []
    for index, step in enumerate(columns["line"]):
        lines.append(step + (0 if index in starts else lines[-1]))
    return [list(row) for row in zip(lines, columns["column"], columns["kind"], columns["message"])]


@pytest.mark.parametrize("meta, month", [
    ({"date": dt.date(2022, 8, 2)}, "2022-08"),
    ({"date": dt.datetime(2019, 12, 31, 23, 0)}, "2019-12"),
    ({"pubDate": "2023-05-25T05:40:00-04:00"}, "2023-05"),
    ({"date": "Thu, 14 Jul 2022 12:34:31 GMT"}, "2022-07"),
    ({"date": "2022-13-01"}, ""),
    ({"date": "soon"}, ""),
    ({}, ""),
])
def test_month_of_the_date(meta, month):
    assert file_facts("a/b.md", "a/b.md", meta).month == month


def test_facts_from_front_matter_and_folder():
    meta = {"categories": ["新媒体", "IT 之家"], "authors": [{"name": "Ann"}], "title": "T " * 100}
    facts = file_facts("./posts/2022/a.md", "posts/2022/a.md", meta, {"credited-editor": "王蒙 SF014"})
    assert facts[:7] == ("./posts/2022/a.md", "posts/2022/a.md", "posts/2022", "新媒体", "Ann", "王蒙", "")
    assert len(facts.title) == 120 and facts.title.endswith("…")
    assert file_facts("a.md", "a.md", {"tags": "科技", "source": "Reuters", "author": "X"})[2:5] == (".", "科技",
                                                                                                 "Reuters")
    assert file_facts("x/a.md", "x/a.md", {"editor": "Jane Roe"}).section == "x"  # no category: the folder
    assert file_facts("x/a.md", "x/a.md") == FileFacts("x/a.md", "x/a.md", "x", "x")  # unreadable
    assert pickle.loads(pickle.dumps(facts)) == facts  # a worker process can send it back


def test_json_is_safe_inside_a_script_element():
    text = dumps({"m": "</script><!-- & \u2028 \u2029 -->"})
    assert text == '{"m":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028 \\u2029 --\\u003e"}'
    assert json.loads(text) == {"m": "</script><!-- & \u2028 \u2029 -->"}


def test_a_lone_surrogate_from_json_front_matter_is_written_as_json_escapes_it(tmp_path):
    write(tmp_path / "a.md", '{\n"title": "t", "tags": "\\ud800x"\n}\n\n<p style="color:red">Body.</p>\n')
    result = run(tmp_path, "check", "--output-format", "html", "--output-file", "r.html")
    assert result.returncode == 1 and result.stderr == ""
    data = embedded((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert "\ud800x" in data["sections"]


def test_payload_of_the_fixture_repository(tmp_path):
    root = write_repository(tmp_path)
    result = run(root, "check", "--output-format", "html", "--output-file", "report.html")
    assert result.returncode == 1 and result.stderr == ""
    page = (root / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"<(link|img|iframe)\b|https?://(?!www\.w3\.org/2000/svg)", page.split("report-data")[0])
    data = embedded(page)
    files = {f"{data['folders'][row[0]]}/{row[1]}": row for row in file_rows(data)}
    assert sorted(files) == sorted(["news/markets/stocks-close.md", "news/markets/bond-yields.md",
                                    "news/tech/chip-launch.md", "news/tech/one-line-body.md",
                                    "opinion/column.md", "opinion/clean.md",
                                    "payload/xss.md"])
    stocks = files["news/markets/stocks-close.md"]
    columns = [("sections", 3), ("sources", 4), ("editors", 5), ("months", 6)]
    assert [data[table][stocks[index]] for table, index in columns] == ["财经", "新华社", "王蒙", "2022-08"]
    assert stocks[7] == 3 and files["opinion/clean.md"][7] == 0
    assert data["editors"][files["news/markets/bond-yields.md"][5]] == "Jane Roe"
    # the first finding of stocks-close.md: 8:4 inline-style, its line stored once for both of line 8
    first = sum(row[7] for path, row in sorted(files.items()) if path < "news/markets/stocks-close.md")
    line, column, packed, message = finding_rows(data)[first]
    assert (line, column, data["rules"][packed >> 3]["id"], packed >> 1 & 3, packed & 1) == (8, 4, "inline-style", 2, 0)
    assert data["messages"][message] == "inline style attribute (text-align)"
    assert data["findings"]["line"][first:first + 3] == [8, 0, 1]  # 8:4, 8:34 and 9:1, as steps
    assert data["rules"][packed >> 3]["doc"].startswith("Styling belongs to the site's theme")


def report_of_line(tmp_path, long_line: str) -> dict:
    """The report data of one credited article whose body is ``long_line``."""
    front = "---\ntitle: T\ndate: 2022-08-02\nauthor: X\n---\n\n"
    write(tmp_path / "a.md", f"{front}{long_line}\n\n责任编辑：王蒙\n")
    run(tmp_path, "check", "--output-format", "html", "--output-file", "r.html")
    return embedded((tmp_path / "r.html").read_text(encoding="utf-8"))


def test_a_long_line_is_cut_around_the_findings_on_it(tmp_path):
    (tmp_path / ".git").mkdir()
    font = '<font color="red">x</font>'
    long_line = "<p>" + "字" * 500 + font + "字" * 20 + font + "字" * 200 + font + "字" * 500 + "</p>"
    data = report_of_line(tmp_path, long_line)
    columns = [column for line, column, _, _ in finding_rows(data)]
    assert columns == [504, 504 + 46, 504 + 46 + 226]
    # 20 characters before the first, 40 after the second, which is near it; the third on its own
    assert [(start, data["texts"][text]) for start, text in data["lines"]] == [
        (484, long_line[483:503 + 46 + 40]), (504 + 46 + 226 - 20, long_line[503 + 46 + 226 - 20:503 + 46 + 226 + 40])]


def test_a_window_stops_short_of_a_finding_that_does_not_fit(tmp_path):
    (tmp_path / ".git").mkdir()
    font = "<font>x</font>"
    long_line = "<p>" + "字" * 300 + font + "字" * 76 + font + "字" * 6 + font + "字" * 300 + "</p>"
    data = report_of_line(tmp_path, long_line)
    assert [column for _, column, _, _ in finding_rows(data)] == [304, 394, 414]
    # 394 fits the first window (20 + 90 + 40 <= 160), 414 does not: the window ends just before it
    assert [(start, len(data["texts"][text])) for start, text in data["lines"]] == [(284, 130), (394, 60)]


def test_baseline_marks_known_problems(tmp_path):
    root = write_repository(tmp_path)
    assert run(root, "check", "--write-baseline", "base.json").returncode == 0
    article = root / "opinion" / "column.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n<p>　</p>\n", encoding="utf-8")
    new = json.loads(run(root, "check", "--baseline", "base.json", "--output-format", "json").stdout)
    assert [(f["path"], f["rule"]) for f in new] == [("opinion/column.md", "empty-paragraph")]
    run(root, "check", "--baseline", "base.json", "--output-format", "html", "--output-file", "r.html")
    data = embedded((root / "r.html").read_text(encoding="utf-8"))
    known = [row[2] & 1 for row in finding_rows(data)]
    assert data["baseline"] is True and len(known) == 16 and known.count(0) == 1
    assert data["rules"][[row[2] >> 3 for row in finding_rows(data) if not row[2] & 1][0]]["id"] == "empty-paragraph"


def test_the_page_holds_the_data_compressed_and_unchanged(tmp_path, monkeypatch):
    """Many findings (windows of long lines, emoji, payloads): the page's data, decoded, is
    exactly the plain JSON of the same report, and is far smaller than it."""
    from lintnews.config import Settings, find_config, load_config
    from lintnews.files import discover
    from lintnews.output.html import format_html
    from lintnews.output.html.data import payload
    from lintnews.plugins import collect_rules, plugin_manager
    from lintnews.runner import lint_paths

    monkeypatch.chdir(write_many(tmp_path))
    config = load_config(*find_config(Path.cwd()))
    report = lint_paths(discover(["."], config.root, config.exclude),
                        Settings(config, collect_rules(plugin_manager()), None))
    page = format_html(report)
    blob = re.search(r'<script type="application/gzip" id="report-data">([A-Za-z0-9+/=]*)</script>', page).group(1)
    data = unpack(blob)
    plain = dumps(payload(report, data["generated"]))
    assert len(data["findings"]["kind"]) == len(report.findings) > 1000
    assert data == json.loads(plain)
    lines = [row[0] for row in finding_rows(data)]
    assert sorted(lines) == sorted(f.line for f in [*report.findings, *report.known])
    assert len(blob) * 4 < len(plain.encode("utf-8"))


def report_lines(root: Path, *args: str, stdin: str | None = None) -> tuple[subprocess.CompletedProcess, list[str]]:
    """A run writing the HTML report (under 2 GB of memory and 30 s), and the source lines in it."""
    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    result = subprocess.run([sys.executable, "-m", "lintnews", "check", "--no-cache", "--output-format", "html",
                             "--output-file", "../r.html", *args], cwd=root, env=ENV, input=stdin,
                            capture_output=True, text=True, timeout=30, preexec_fn=limited)
    data = embedded((root.parent / "r.html").read_text(encoding="utf-8"))
    return result, [data["texts"][text] for _, text in data["lines"]]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs symlinks, FIFOs and /dev/zero")
def test_the_report_shows_only_lines_of_files_the_run_read(tmp_path):
    # the files the run refuses are not read for their source lines either: a symlink out of the
    # repository (its target would be shown), a FIFO (reading waits forever), a symlink to
    # /dev/zero (read until memory runs out), one over max-file-size
    (tmp_path / "secret.txt").write_text("<p style='x'>TOKEN=ghp_outside</p>\n", encoding="utf-8")
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    write(root / "a.md", "---\ntitle: T\nauthor: A\ndate: 2022-08-02\n---\n\n<p style='x'>inside</p>\n")
    (root / "leak.md").symlink_to(tmp_path / "secret.txt")
    write(root / "big.md", "<p style='x'>" + "字" * 400_000 + "</p>\n")
    result, lines = report_lines(root, "--max-file-size", "1")
    assert result.returncode == 1 and result.stderr == ""
    assert lines == ["<p style='x'>inside</p>", "", ""]  # big.md's too-large, leak.md's read-error: no line
    (root / "leak.md").unlink()
    (root / "big.md").unlink()
    os.mkfifo(root / "pipe.md")
    assert report_lines(root)[0].returncode == 1
    (root / "pipe.md").unlink()
    (root / "zero.md").symlink_to("/dev/zero")
    result, lines = report_lines(root)
    assert result.returncode == 1 and result.stderr == ""
    assert lines == ["<p style='x'>inside</p>", ""]  # zero.md's read-error: no line


def test_the_report_of_standard_input_shows_its_lines_not_the_file_on_disk(tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    write(tmp_path / "repo" / "a.md", "<p style='x'>on disk</p>\n")
    result, lines = report_lines(tmp_path / "repo", "--stdin-filename", "a.md", stdin="<p style='x'>given</p>\n")
    assert result.returncode == 1
    assert lines == ["<p style='x'>given</p>"]

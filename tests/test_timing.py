"""``lintnews check --timing``: each rule's own time, shared views and reading apart, workers summed."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from lintnews import timing
from lintnews.cli import main

# a rule that sleeps on every file, so that it is certainly the costliest; one that reads the
# tag scan, a view shared by the rules; and one whose generator fails after its first finding
HOUSE = '''
import time
from lintnews import hookimpl, rule


@rule("slow-rule", severity="warning")
def slow_rule(doc, options):
    """Takes its time over every file, in its generator."""
    time.sleep(SLEEP)
    yield from ()


@rule("reads-tags", severity="info")
def reads_tags(doc, options):
    """Reports each <b> tag."""
    for tag in doc.scan.tags:
        if tag.name == "b":
            yield doc.violation(tag.offset, "bold tag")


@rule("fails-late", severity="info")
def fails_late(doc, options):
    """Reports 'flag', then breaks."""
    yield doc.violation(doc.text.index("flag"), "flagged")
    raise RuntimeError("broken after one finding")


@hookimpl
def lintnews_rules():
    return [slow_rule, reads_tags, fails_late]
'''


def _repo(root: Path, files: int, sleep: float) -> Path:
    (root / ".git").mkdir(parents=True)
    (root / "house.py").write_text(HOUSE.replace("SLEEP", repr(sleep)), encoding="utf-8")
    (root / "posts").mkdir()
    for n in range(files):
        (root / "posts" / f"{n:03}.md").write_text(f"---\ntitle: t{n}\n---\n\nflag <b>bold</b> {n}\n",
                                                  encoding="utf-8")
    return root


def _check(root: Path, monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    monkeypatch.setenv("LINTNEWS_CACHE_DIR", str(root.parent / "cache"))
    code = main(["check", "--plugin", "house.py", "--select", "slow-rule,reads-tags,fails-late,bad-characters",
                 "--output-format", "json", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _table(err: str) -> tuple[str, dict[str, float]]:
    """The header and each row's seconds of the table --timing printed."""
    lines = err.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("lintnews: time per rule"))
    assert lines[start + 1].split() == ["rule", "seconds", "share"]
    rows = {}
    for line in lines[start + 2:]:
        match = re.fullmatch(r"  (.+?)\s+(\d+\.\d{3})(?:\s+\d+\.\d%)?", line)
        if not match:
            break
        rows[match.group(1)] = float(match.group(2))
    return lines[start], rows


def test_the_table_names_every_rule_that_ran_costliest_first_and_the_report_is_unchanged(tmp_path, monkeypatch,
                                                                                         capsys):
    root = _repo(tmp_path / "repo", files=4, sleep=0.05)
    code, plain, _ = _check(root, monkeypatch, capsys, "--no-cache", "--jobs", "1")
    timed_code, timed, err = _check(root, monkeypatch, capsys, "--no-cache", "--jobs", "1", "--timing")
    assert (timed_code, timed) == (code, plain)  # the report is the same, the table goes to stderr
    header, rows = _table(err)
    assert header == "lintnews: time per rule over 4 linted file(s):"
    assert set(rows) == {"slow-rule", "reads-tags", "fails-late", "bad-characters", timing.VIEWS, timing.READING,
                         "total"}
    assert list(rows)[0] == "slow-rule" and rows["slow-rule"] >= 4 * 0.05  # the sleep is in its generator
    assert rows["total"] == pytest.approx(sum(seconds for label, seconds in rows.items() if label != "total"),
                                          abs=0.01)
    assert timing.active is None  # nothing is timed after the run


def test_a_shared_view_is_timed_apart_from_the_rule_that_asks_for_it_first(tmp_path, monkeypatch, capsys):
    from lintnews import document

    original = document.scanner.scan

    def slow_scan(*args, **kwargs):
        import time
        time.sleep(0.05)
        return original(*args, **kwargs)

    monkeypatch.setattr(document.scanner, "scan", slow_scan)
    root = _repo(tmp_path / "repo", files=4, sleep=0)
    _, _, err = _check(root, monkeypatch, capsys, "--no-cache", "--jobs", "1", "--timing")
    _, rows = _table(err)
    assert rows[timing.VIEWS] >= 4 * 0.05
    assert rows["reads-tags"] < 0.05  # its own loop over the tags, not the scan it asked for


def test_a_rule_that_fails_midway_keeps_its_findings_as_without_timing(tmp_path, monkeypatch, capsys):
    root = _repo(tmp_path / "repo", files=1, sleep=0)
    plain = _check(root, monkeypatch, capsys, "--no-cache", "--jobs", "1")[1]
    timed = _check(root, monkeypatch, capsys, "--no-cache", "--jobs", "1", "--timing")[1]
    assert timed == plain
    assert '"message": "flagged"' in timed and "crashed: RuntimeError: broken after one finding" in timed


def test_files_from_the_cache_are_counted_apart(tmp_path, monkeypatch, capsys):
    root = _repo(tmp_path / "repo", files=3, sleep=0)
    _check(root, monkeypatch, capsys, "--jobs", "1")
    (root / "posts" / "000.md").write_text("---\ntitle: changed\n---\n\nflag\n", encoding="utf-8")
    _, _, err = _check(root, monkeypatch, capsys, "--jobs", "1", "--timing")
    assert _table(err)[0] == "lintnews: time per rule over 1 linted file(s) (2 more from the cache):"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_workers_send_their_time_back_and_it_is_summed(tmp_path, monkeypatch, capsys):
    from lintnews.execute import executors

    monkeypatch.setattr(executors, "MIN_WORK_PER_WORKER", 4 * executors.FILE_WORK)  # a pool for a few files
    root = _repo(tmp_path / "repo", files=240, sleep=0.002)
    code, plain, _ = _check(root, monkeypatch, capsys, "--no-cache", "--jobs", "1")
    timed_code, timed, err = _check(root, monkeypatch, capsys, "--no-cache", "--jobs", "2", "--timing")
    assert (timed_code, timed) == (code, plain)
    header, rows = _table(err)
    assert header == "lintnews: time per rule over 240 linted file(s), summed over 2 processes:"
    assert rows["slow-rule"] >= 240 * 0.002


def test_timing_a_dask_run_is_a_usage_error(tmp_path, monkeypatch, capsys):
    root = _repo(tmp_path / "repo", files=1, sleep=0)
    code, out, err = _check(root, monkeypatch, capsys, "--executor", "dask", "--timing")
    assert (code, out) == (2, "")
    assert err == "lintnews: error: --timing times local processes: run it with the local executor\n"


class _Article:
    """A stand-in Document with two views, one of which fails on its first computation."""

    def __init__(self) -> None:
        self.calls = {"words": 0, "flaky": 0}

    @timing.view
    def words(self) -> list[str]:
        """The words."""
        self.calls["words"] += 1
        return ["a", "b"]

    @timing.view
    def flaky(self) -> int:
        """Fails once, then gives 7."""
        self.calls["flaky"] += 1
        if self.calls["flaky"] == 1:
            raise ValueError("first time")
        return 7


def test_a_view_is_computed_once_per_document_and_kept_in_its_dict():
    article, other = _Article(), _Article()
    assert article.words is article.words == ["a", "b"]
    assert article.calls["words"] == 1 and article.__dict__["words"] == ["a", "b"]
    assert other.calls["words"] == 0 and "words" not in other.__dict__
    assert _Article.words.__doc__ == "The words."


def test_a_view_that_raises_is_not_kept_and_is_computed_again():
    article = _Article()
    with pytest.raises(ValueError, match="first time"):
        article.flaky
    assert "flaky" not in article.__dict__
    assert article.flaky == 7 and article.calls["flaky"] == 2


def test_a_view_is_timed_as_the_views_only_while_a_timer_is_active():
    article = _Article()
    timer = timing.start()
    try:
        assert article.words == ["a", "b"]
    finally:
        timing.stop()
    assert set(timer.spent) == {timing.VIEWS}

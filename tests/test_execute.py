"""Running over many files: the results cache, worker processes, and interrupting them."""
from __future__ import annotations

import gc
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lintnews import cli
from lintnews.execute import default_jobs, executors
from lintnews.execute.mapping import MapContext

STORY = ("沪指今日收涨，成交额放大。券商板块领涨两市，银行股走弱。\n"
         "分析人士认为，市场情绪有所回暖，后市仍需关注量能变化。\n"
         "北向资金全天净买入超过五十亿元。创业板指数表现强于大盘。\n")
ARTICLE = "---\ntitle: 第{n}篇\ndate: 2022-08-02\nauthor: 新华社\n---\n\n{story}<img src=\"{image}\">\n\n责任编辑：王蒙\n"
# a rule that kills the process checking any file whose text says so, and crashes on another
CRASHING = '''
import os
from lintnews import hookimpl, rule


@rule("crashes-here", severity="warning")
def crashes_here(doc, options):
    """Kills its process on 'die here', raises on 'raise here', and reports 'flag here'."""
    if "die here" in doc.text:
        os._exit(3)
    if "raise here" in doc.text:
        raise RuntimeError("broken rule")
    offset = doc.text.find("flag here")
    if offset >= 0:
        yield doc.violation(offset, "flagged")


@hookimpl
def lintnews_rules():
    return [crashes_here]
'''
SLOW = '''
import time
from lintnews import hookimpl, rule


@rule("slow-rule", severity="warning")
def slow_rule(doc, options):
    """Takes its time over every file."""
    time.sleep(0.05)
    return iter(())


@hookimpl
def lintnews_rules():
    return [slow_rule]
'''


def project(root: Path, count: int = 3, story: str = STORY) -> Path:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    (root / "posts").mkdir(exist_ok=True)
    for n in range(count):
        (root / "posts" / f"{n:04}.md").write_text(
            ARTICLE.format(n=n, story=story if n < 2 else f"第{n}篇独有的一句话写在这里。\n", image=f"{n}.png"),
            encoding="utf-8")
        (root / "posts" / f"{n}.png").write_bytes(b"\x89PNG")
    return root


@pytest.fixture
def counted(monkeypatch):
    """How many files the map step lints in this process (a cached file is not linted)."""
    calls = []
    original = executors.map_file

    def map_file(source, context, *args, **kwargs):
        calls.append(source.display)
        return original(source, context, *args, **kwargs)
    monkeypatch.setattr(executors, "map_file", map_file)
    return calls


def check(root: Path, monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(root)
    monkeypatch.setenv("LINTNEWS_CACHE_DIR", str(root.parent / "cache"))
    code = cli.main(["check", "--output-format", "json", *args])
    return code, capsys.readouterr().out


def test_files_are_hashed_only_for_a_cache_that_reads_the_hashes(tmp_path, monkeypatch, capsys):
    from lintnews.execute.mapping import content_digest

    root = project(tmp_path / "repo")
    digests = []
    original = executors.map_file
    monkeypatch.setattr(executors, "map_file", lambda source, context, *args, **kwargs: digests.append(
        (source.display, (result := original(source, context, *args, **kwargs)).digest)) or result)
    uncached = check(root, monkeypatch, capsys, "--no-cache")
    assert digests == [(f"posts/{n:04}.md", b"") for n in range(3)]
    digests.clear()
    assert check(root, monkeypatch, capsys) == uncached
    assert digests == [(f"posts/{n:04}.md", content_digest((root / "posts" / f"{n:04}.md").read_bytes()))
                       for n in range(3)]


def test_a_file_the_cache_reads_is_hashed_once_and_its_result_kept_under_that_digest(tmp_path, monkeypatch,
                                                                                    capsys, counted):
    from lintnews.execute import cache as cache_module, mapping

    root = project(tmp_path / "repo")  # fewer files than the index of unchanged files is kept for: each is hashed
    check(root, monkeypatch, capsys)
    path = root / "posts" / "0001.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n新加的一段话。\n", encoding="utf-8")
    hashed = []
    for module in (cache_module, mapping):
        original = module.content_digest
        monkeypatch.setattr(module, "content_digest",
                            lambda data, original=original: hashed.append(data) or original(data))
    every_file = sorted(posted.read_bytes() for posted in (root / "posts").glob("*.md"))
    changed = check(root, monkeypatch, capsys, "--jobs", "1")
    assert sorted(hashed) == every_file  # each looked up in the cache; the changed one linted without hashing it again
    assert counted[-1:] == ["posts/0001.md"]
    hashed.clear()
    del counted[:]
    assert check(root, monkeypatch, capsys, "--jobs", "1") == changed  # all three found under those digests
    assert sorted(hashed) == every_file
    assert counted == []
    assert check(root, monkeypatch, capsys, "--no-cache") == changed


def test_a_warm_run_lints_nothing_again_and_reports_the_same(tmp_path, monkeypatch, capsys, counted):
    root = project(tmp_path / "repo")
    cold = check(root, monkeypatch, capsys)
    assert len(counted) == 3
    assert check(root, monkeypatch, capsys) == cold
    assert len(counted) == 3  # nothing linted again
    assert check(root, monkeypatch, capsys, "--no-cache") == cold
    assert len(counted) == 6


def test_a_file_the_cache_reads_is_refused_as_the_map_step_refuses_it(tmp_path, monkeypatch, capsys):
    # a symlink leaving the repository is refused on the first run; the runs after, which find a
    # cache, read files for their digests and hand the bytes on: never its text in a report
    root = project(tmp_path / "repo")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("<!-- SECRET-KEY-12345 -->\n", encoding="utf-8")
    (root / "posts" / "leak.md").symlink_to(tmp_path / "outside" / "secret.txt")
    runs = [check(root, monkeypatch, capsys, "--jobs", "1") for _ in range(3)]
    assert runs[1] == runs[2] == runs[0]
    found = [finding for finding in json.loads(runs[0][1]) if finding["path"] == "posts/leak.md"]
    assert [(f["line"], f["column"], f["rule"], f["message"]) for f in found] == [
        (1, 1, "read-error", "a symlink to a file outside the repository: not read")]
    assert "SECRET" not in runs[2][1]


def test_changed_content_is_linted_again(tmp_path, monkeypatch, capsys, counted):
    root = project(tmp_path / "repo")
    check(root, monkeypatch, capsys)
    path = root / "posts" / "0002.md"
    path.write_text(path.read_text(encoding="utf-8").replace("<img src=\"2.png\">", "<img src=\"2.png\" style=\"x\">"),
                    encoding="utf-8")
    del counted[:]
    code, out = check(root, monkeypatch, capsys)
    assert counted == ["posts/0002.md"]
    assert '"rule": "inline-style"' in out and (code, out) == check(root, monkeypatch, capsys, "--no-cache")


def test_changed_settings_lint_again(tmp_path, monkeypatch, capsys, counted):
    root = project(tmp_path / "repo")
    check(root, monkeypatch, capsys)
    (root / ".lintnews.yaml").write_text("rules:\n  image-alt: error\n", encoding="utf-8")
    del counted[:]
    code, out = check(root, monkeypatch, capsys)
    assert len(counted) == 3 and code == 1 and '"severity": "error"' in out


def test_a_new_plugin_version_lints_again(tmp_path, monkeypatch, capsys, counted):
    root = project(tmp_path / "repo")
    plugin = root / "house.py"
    plugin.write_text(CRASHING, encoding="utf-8")
    (root / "posts" / "0000.md").write_text("flag here\n", encoding="utf-8")
    first = check(root, monkeypatch, capsys, "--plugin", "house.py")
    assert '"message": "flagged"' in first[1]
    plugin.write_text(CRASHING.replace('"flagged"', '"flagged again"'), encoding="utf-8")
    del counted[:]
    code, out = check(root, monkeypatch, capsys, "--plugin", "house.py")
    assert len(counted) == 3 and '"message": "flagged again"' in out


def test_a_changed_image_on_disk_is_seen(tmp_path, monkeypatch, capsys, counted):
    root = project(tmp_path / "repo")
    assert '"rule": "image-broken"' not in check(root, monkeypatch, capsys)[1]
    (root / "posts" / "1.png").unlink()
    del counted[:]
    code, out = check(root, monkeypatch, capsys)
    assert counted == ["posts/0001.md"]  # its article is unchanged, but what it points at is not
    assert '"message": "image not found: \'1.png\' (looked in the article\'s folder)"' in out
    (root / "posts" / "1.png").write_bytes(b"")
    assert "image file '1.png' is empty" in check(root, monkeypatch, capsys)[1]


def test_a_missing_image_folder_that_appears_is_seen(tmp_path, monkeypatch, capsys, counted):
    root = project(tmp_path / "repo")
    (root / "posts" / "0001.md").write_text("![A](media/a.png)\n![B](media/sub/b.png)\n", encoding="utf-8")
    _, out = check(root, monkeypatch, capsys)
    assert ("image folder 'posts/media/' does not exist: 'media/a.png' and 1 more image point into it; "
            "commit the folder or correct the paths") in out
    (root / "posts" / "media").mkdir()  # the folder, not yet its files: each image's own finding
    del counted[:]
    _, out = check(root, monkeypatch, capsys)
    assert counted == ["posts/0001.md"]
    assert "image not found: 'media/a.png'" in out and "image folder 'posts/media/sub/' does not exist" in out
    (root / "posts" / "media" / "sub").mkdir()
    (root / "posts" / "media" / "sub" / "b.png").write_bytes(b"\x89PNG")
    del counted[:]
    _, out = check(root, monkeypatch, capsys)
    assert counted == ["posts/0001.md"]
    assert "image not found: 'media/a.png'" in out and "image-folder-missing" not in out
    assert "media/sub/b.png" not in out


def test_a_missing_image_folder_is_reported_on_the_first_article_whichever_are_cached(tmp_path, monkeypatch,
                                                                                      capsys, counted):
    root = project(tmp_path / "repo")
    (root / "posts" / "0001.md").write_text("![A](media/a.png)\n", encoding="utf-8")
    _, out = check(root, monkeypatch, capsys)
    assert out.count("image-folder-missing") == 1 and "'media/a.png' points into it" in out
    (root / "posts" / "0000.md").write_text("Intro.\n\n![B](media/b.png)\n", encoding="utf-8")
    del counted[:]
    _, out = check(root, monkeypatch, capsys)
    assert counted == ["posts/0000.md"]  # 0001's summary comes from the cache, and is judged again
    found = [finding for finding in json.loads(out) if finding["rule"] == "image-folder-missing"]
    assert [(f["path"], f["line"], f["column"], f["message"]) for f in found] == [
        ("posts/0000.md", 3, 6, "image folder 'posts/media/' does not exist: 'media/b.png' and 1 more image in 2 "
                                "articles point into it; commit the folder or correct the paths")]


def test_a_site_configuration_that_appears_changes_the_advice_of_a_cached_finding(tmp_path, monkeypatch, capsys):
    root = project(tmp_path / "repo")
    (root / "posts" / "0001.md").write_text("<p>![Chart](https://cdn.163.com/c.png)</p>\n", encoding="utf-8")
    assert "or leave a blank line after the HTML" in check(root, monkeypatch, capsys)[1]
    (root / "_config.yml").write_text("title: News\n", encoding="utf-8")
    assert 'give the HTML block\'s tag markdown=\\"1\\"' in check(root, monkeypatch, capsys)[1]


def test_a_package_json_that_names_hexo_changes_the_advice_of_a_cached_finding(tmp_path, monkeypatch, capsys):
    root = project(tmp_path / "repo")
    (root / "posts" / "0001.md").write_text("<p>![Chart](https://cdn.163.com/c.png)</p>\n", encoding="utf-8")
    (root / "_config.yml").write_text("title: News\n", encoding="utf-8")
    (root / "package.json").write_text('{"name": "news"}\n', encoding="utf-8")
    assert 'give the HTML block\'s tag markdown=\\"1\\"' in check(root, monkeypatch, capsys)[1]
    (root / "package.json").write_text('{"dependencies": {"hexo": "^7.0.0"}}\n', encoding="utf-8")
    assert "or leave a blank line after the HTML" in check(root, monkeypatch, capsys)[1]


def test_a_missing_image_folder_that_appears_in_another_unicode_normalisation_is_seen(tmp_path, monkeypatch, capsys,
                                                                                     counted):
    # macOS writes "café" decomposed: the folder is there, spelled otherwise; image-broken's
    root = project(tmp_path / "repo")
    (root / "posts" / "0001.md").write_text("![A](café/a.png)\n", encoding="utf-8")
    _, out = check(root, monkeypatch, capsys)
    assert "image folder 'posts/café/' does not exist" in out
    (root / "posts" / "cafe\u0301").mkdir()
    del counted[:]
    _, out = check(root, monkeypatch, capsys)
    assert counted == ["posts/0001.md"]
    assert "image-folder-missing" not in out and "image not found: 'café/a.png'" in out


def test_a_new_copy_in_another_file_reports_the_cached_one_too(tmp_path, monkeypatch, capsys, counted):
    root = project(tmp_path / "repo", count=3, story="第一句话写在这里很长。第二句话也写在这里。第三句话同样在这里。\n")
    _, out = check(root, monkeypatch, capsys)
    assert out.count("duplicate-article") == 2  # 0000 and 0001 share a story
    (root / "posts" / "0002.md").write_text((root / "posts" / "0000.md").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    del counted[:]
    _, out = check(root, monkeypatch, capsys)
    assert counted == ["posts/0002.md"]
    assert out.count("duplicate-article") == 3
    # posts/0000.md is not linted again: its verdict is judged again from its cached summary
    assert '"message": "same article body as posts/0001.md (and 1 more)"' in out


def test_one_file_runs_between_whole_runs_keep_the_whole_runs_verdicts(tmp_path, monkeypatch, capsys):
    """A hook's one-file run judges other summaries; the archive's verdicts stay cached beside them."""
    from lintnews.execute import merge
    judged = []
    original = merge._guarded

    def guarded(settings, rule_id, doing, function, *args):
        if rule_id == "duplicate-article" and doing == "judging the run":
            judged.append(len(args[0]))  # how many summaries it judges
        return original(settings, rule_id, doing, function, *args)
    monkeypatch.setattr(merge, "_guarded", guarded)
    root = project(tmp_path / "repo", count=3)
    whole = check(root, monkeypatch, capsys)
    assert check(root, monkeypatch, capsys) == whole
    assert judged == [3]  # the warm run's summaries come from the cache, and are the same
    check(root, monkeypatch, capsys, "posts/0000.md")
    check(root, monkeypatch, capsys, "posts/0001.md")
    assert judged == [3, 1, 1]
    assert check(root, monkeypatch, capsys) == whole
    check(root, monkeypatch, capsys, "posts/0000.md")
    assert judged == [3, 1, 1]  # every set of summaries seen before: nothing judged again


def test_a_corrupt_cache_is_ignored_and_rebuilt(tmp_path, monkeypatch, capsys, counted):
    root = project(tmp_path / "repo")
    cold = check(root, monkeypatch, capsys)
    shards = [path for path in (tmp_path / "cache").rglob("*.bin")]
    assert shards
    for number, path in enumerate(shards):
        data = path.read_bytes()
        path.write_bytes(data[:len(data) // 2] if number % 2 else b"\x00garbage" + data[10:])
    assert check(root, monkeypatch, capsys) == cold
    del counted[:]
    assert check(root, monkeypatch, capsys) == cold
    assert counted == []  # rebuilt by the run that found it corrupt


def test_the_pool_gives_the_same_results_as_one_process_in_every_format(tmp_path, monkeypatch, capsys):
    root = project(tmp_path / "repo", count=24)
    monkeypatch.setattr(executors, "MIN_WORK_PER_WORKER", 4 * executors.FILE_WORK)
    for output_format in ("json", "text", "sarif", "junit", "gitlab", "github"):
        runs = [check(root, monkeypatch, capsys, "--output-format", output_format, *extra)
                for extra in (["--jobs", "1", "--no-cache"], ["--jobs", "2", "--no-cache"], ["--jobs", "2"], [])]
        assert runs[0] == runs[1] == runs[2] == runs[3], output_format


def test_a_worker_that_dies_costs_only_its_file(tmp_path):
    root = project(tmp_path / "repo", count=12)
    (root / "house.py").write_text(CRASHING, encoding="utf-8")
    (root / "posts" / "0003.md").write_text("die here\n", encoding="utf-8")
    (root / "posts" / "0007.md").write_text("raise here\n", encoding="utf-8")
    (root / "posts" / "0009.md").write_text("flag here\n", encoding="utf-8")
    from lintnews.config import Config, Settings
    from lintnews.files import discover
    from lintnews.plugins import collect_rules, plugin_manager

    rules = collect_rules(plugin_manager(local=[str(root / "house.py")]))
    context = MapContext(Settings(Config(None, root), rules, select=["crashes-here"]))
    sources = discover([str(root / "posts")], root, [], cwd=root)
    results = dict(executors.pool(list(enumerate(sources)), context, workers=2))
    assert sorted(results) == list(range(12))
    found = {sources[i].display: [(f.rule, f.message) for f in r.findings] for i, r in results.items() if r.findings}
    assert found == {
        "posts/0003.md": [("internal-error", "a rule crashed the worker process checking this file "
                                             "(it exited abnormally)")],
        "posts/0007.md": [("internal-error", "rule 'crashes-here' from plugin 'house' crashed: RuntimeError: broken rule")],
        "posts/0009.md": [("crashes-here", "flagged")],
    }


def test_what_only_a_cache_reads_is_made_only_for_one(tmp_path):
    """The digest of a file and the stamps of the images its findings depend on are for the
    cache: a run without one neither hashes the file nor stats the images."""
    from lintnews.config import Config, Settings
    from lintnews.execute.mapping import map_file
    from lintnews.files import discover
    from lintnews.plugins import collect_rules, plugin_manager

    root = project(tmp_path / "repo", count=2)
    rules = collect_rules(plugin_manager())
    source = discover([str(root / "posts" / "0001.md")], root, [], cwd=root)[0]
    settings = Settings(Config(None, root), rules)
    kept = map_file(source, MapContext(settings))
    image = str(root / "posts" / "1.png")
    assert len(kept.digest) == 16
    stamps = {(path, on): stamp for path, on, stamp in kept.dependencies}
    assert stamps[(image, "file")][:3] == (os.lstat(image).st_mode, os.lstat(image).st_ino,
                                           os.lstat(image).st_mtime_ns)
    bare = map_file(source, MapContext(settings, cached=False))
    assert (bare.digest, bare.dependencies) == (b"", ())
    assert bare.findings == kept.findings


def _run(root: Path, *args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "LINTNEWS_CACHE_DIR": str(root.parent / "cache")}
    env.pop("GITHUB_ACTIONS", None)
    # Ctrl-C as a terminal gives it, even where these tests run as a background job (whose
    # shell ignores SIGINT, and a process that starts with it ignored rightly keeps ignoring it)
    return subprocess.Popen([sys.executable, "-m", "lintnews", "check", *args], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kwargs)


def test_a_worker_crash_through_the_command_line(tmp_path):
    padding = "正文。\n" * 1000  # 10 kB an article: enough work for two workers
    flagged = _with_a_dying_worker(tmp_path, {f"x{n:03}.md": ("die here\n" if n == 100 else "flag here\n") + padding
                                              for n in range(220)}, "x100.md")
    assert len(flagged) == 219


def test_a_few_large_files_are_shared_out_among_workers(tmp_path):
    # five articles of 1 MiB: few files, but enough text for two workers. A worker dies on one
    # of them: only a pool survives that and reports the others
    big = "正文一句。\n" * ((1 << 20) // 16)  # 1 MiB
    flagged = _with_a_dying_worker(tmp_path, {f"big{n}.md": ("die here\n" if n == 3 else "flag here\n") + big
                                              for n in range(5)}, "big3.md")
    assert flagged == [f"posts/big{n}.md" for n in (0, 1, 2, 4)]


def _with_a_dying_worker(tmp_path: Path, articles: dict[str, str], dying: str) -> list[str]:
    """Lint ``articles`` with two processes and a rule that kills the one checking ``dying``: the
    files flagged, once that one is reported as an internal error (and the run goes on)."""
    root = project(tmp_path / "repo", count=0)
    (root / "house.py").write_text(CRASHING, encoding="utf-8")
    for name, text in articles.items():
        (root / "posts" / name).write_text(text, encoding="utf-8")
    process = _run(root, "--plugin", "house.py", "--select", "crashes-here", "--jobs", "2")
    out, err = process.communicate(timeout=120)
    lines = out.splitlines()
    assert process.returncode == 1, err
    assert f"posts/{dying}:1:1: error internal-error a rule crashed the worker process checking this file " \
           "(it exited abnormally)" in lines
    return [line.split(":")[0] for line in lines if "warning crashes-here flagged" in line]


PIDS = '''
import os
from lintnews import hookimpl, rule


@rule("notes-pid", severity="warning")
def notes_pid(doc, options):
    """Appends the process's id to pids.txt beside the configuration, once per file."""
    with open(os.path.join(str(doc.root), "pids.txt"), "a", encoding="utf-8") as out:
        out.write(f"{os.getpid()}\\n")
    return iter(())


@hookimpl
def lintnews_rules():
    return [notes_pid]
'''


def test_jobs_beyond_the_usable_cores_start_no_more_processes_than_cores(tmp_path):
    root = project(tmp_path / "repo", count=0)
    (root / "house.py").write_text(PIDS, encoding="utf-8")
    for n in range(300):
        (root / "posts" / f"p{n:03}.md").write_text("正文。\n" * 1000, encoding="utf-8")
    process = _run(root, "--plugin", "house.py", "--select", "notes-pid", "--jobs", "500", "--no-cache")
    out, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (0, ""), err
    pids = (root / "pids.txt").read_text(encoding="utf-8").split()
    assert len(pids) == 300
    assert 1 <= len(set(pids)) <= default_jobs()


def test_workers_are_started_when_the_work_pays_for_them(tmp_path):
    per_worker = executors.MIN_WORK_PER_WORKER
    tiny = [_source(_written(tmp_path / f"t{n}.md", 100)) for n in range(1000)]
    large = [_source(_written(tmp_path / f"l{n}.md", per_worker)) for n in range(3)]
    # a thousand articles of a few lines: not enough work for two, however many files there are
    assert executors.plan(2, tiny) == (0, [100] * 1000)
    # enough files that their number alone gives each worker its share: no file is asked
    many = tiny * (2 * per_worker // executors.FILE_WORK // 1000 + 1)
    assert executors.plan(2, many) == (2, None)
    assert executors.workers_for(2, large) == 2  # three large ones: enough text for two
    assert executors.workers_for(8, large) == 3  # never more workers than files
    assert executors.workers_for(2, large[:1]) == 0  # one file is never split
    assert executors.workers_for(1, large) == 0
    assert executors.workers_for(2, large[:1] + tiny[:10]) == 0  # one worker's share and a little
    gone = _source(tmp_path / "gone.md")
    assert executors.sizes([gone, large[0]]) == [0, per_worker]


def test_chunks_of_a_few_files_are_measured_in_work():
    sizes = [5000, 10, 10, 10, 3000, 10, 10, 10, 10, 10, 10, 10]
    sizes = [size * executors.FILE_WORK for size in sizes]
    jobs = [(index, None) for index in range(len(sizes))]
    chunks = executors.chunked_by_work(jobs, 2, sizes)
    assert [job for chunk in chunks for job in chunk] == jobs  # every job once, in order
    assert chunks[0] == [(0, None)]  # the large file alone: the other worker takes what follows
    assert [(4, None)] in chunks
    # a chunk holds more than one file only while it stays within its share of the work left
    work = [size + executors.FILE_WORK for size in sizes]
    left = sum(work)
    for chunk in chunks:
        taken = sum(work[index] for index, _ in chunk)
        assert len(chunk) == 1 or taken <= left / (2 * executors.CHUNKS_PER_WORKER)
        left -= taken


def _written(path: Path, size: int) -> Path:
    path.write_bytes(b"a" * size)
    return path


def _source(path: Path):
    from lintnews.files import SourceFile

    return SourceFile(str(path), path.name, path.name)


def test_concurrent_runs_share_the_cache(tmp_path):
    root = project(tmp_path / "repo", count=40)
    expected = _run(root, "--no-cache", "--output-format", "json").communicate(timeout=120)[0]
    runs = [_run(root, "--output-format", "json") for _ in range(3)]
    assert [process.communicate(timeout=120)[0] for process in runs] == [expected] * 3
    assert _run(root, "--output-format", "json").communicate(timeout=120)[0] == expected
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_an_interrupt_stops_the_workers_and_writes_no_cache(tmp_path):
    root = project(tmp_path / "repo", count=1)
    (root / "slow.py").write_text(SLOW, encoding="utf-8")
    padding = "正文。\n" * 1000  # 10 kB an article: enough work for two workers
    for n in range(400):
        (root / "posts" / f"x{n:03}.md").write_text(f"第{n}篇\n{padding}", encoding="utf-8")
    process = _run(root, "--plugin", "slow.py", "--select", "slow-rule", "--jobs", "2")
    deadline = time.monotonic() + 60
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(process.pid)
    assert len(workers) >= 2, process.communicate()
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    assert process.returncode == 130
    assert not [pid for pid in workers if _running(pid)]  # terminated and reaped, not left behind
    results = [path for path in (tmp_path / "cache").rglob("*") if path.is_file() and "results" in path.parts]
    assert results == []


def test_a_result_crosses_processes_as_plain_data_and_comes_back_whole():
    from lintnews.encoded import Encoded, Findings
    from lintnews.execute import plain
    from lintnews.execute.mapping import FileResult
    from lintnews.facts import FileFacts
    from lintnews.violation import Edit, Finding, Severity, Ticket, Unless

    findings = (Finding("p/a.md", 3, 5, "rule-a", "plain message", Severity.WARNING, 3, 9, "p/a.md", "f1",
                        (Edit(10, 14, "新", 3, 5, 3, 9), Edit(20, 20, "", 4, 1, 4, 1))),
                Finding("p/a.md", 1, 1, "duplicate-article", Ticket("duplicate-article"), Severity.INFO,
                        relpath="p/a.md"),
                Finding("p/a.md", 7, 2, "unused-suppression", Unless("unused", ("rule-b",)), Severity.ERROR,
                        relpath="p/a.md"))
    result = FileResult(findings, {"duplicate-article": (b"\x01", 4)}, b"digest", (("img.png", "file", (1, 2)),),
                        facts=FileFacts("p/a.md", "p/a.md", "p", "news", "", "", "2022-08", "标题"))
    assert plain.encodable(result, "p/a.md", "p/a.md")
    entry = pickle.loads(pickle.dumps(plain.stored(result)))  # as a worker sends it
    back = plain.restored(entry, "p/a.md", "p/a.md")
    block = back.findings.parts[0]
    assert type(back.findings) is Findings and type(block) is Encoded and block._decoded is None
    assert back == result
    assert [type(edit) for edit in back.findings[0].fix] == [Edit, Edit]
    assert (type(back.findings[1].message), back.findings[1].message.rule) == (Ticket, "duplicate-article")
    assert (type(back.findings[2].message), back.findings[2].message.rules) == (Unless, ("rule-b",))
    assert back.findings[0].severity is Severity.WARNING
    # the parent stores what a worker sent in the cache as it came: the block is not decoded again
    fresh = plain.restored(entry, "p/a.md", "p/a.md")
    assert plain.encodable(fresh, "p/a.md", "p/a.md") and plain.stored(fresh) == entry
    assert fresh.findings.parts[0]._decoded is None
    assert not plain.encodable(fresh, "p/b.md", "p/b.md")
    # a finding of another file cannot be stored without its path: such a result is sent as it is
    other = result._replace(findings=(findings[0]._replace(path="p/b.md"),))
    assert not plain.encodable(other, "p/a.md", "p/a.md")


def test_chunks_shrink_towards_the_end_so_the_workers_finish_together():
    jobs = [(index, None) for index in range(5000)]
    chunks = executors.chunked(jobs, workers=2)
    assert [job for chunk in chunks for job in chunk] == jobs  # every job once, in order
    sizes = [len(chunk) for chunk in chunks]
    assert sizes[0] == executors.MAX_CHUNK and max(sizes[-8:]) == executors.MIN_CHUNK
    assert sizes == sorted(sizes, reverse=True)
    assert [len(chunk) for chunk in executors.chunked(jobs[:5], workers=2)] == [5]


def test_a_run_over_a_few_files_neither_reads_nor_rewrites_the_index_of_every_file(tmp_path, monkeypatch, capsys,
                                                                                  counted):
    from lintnews.execute import cache as results_cache

    root = project(tmp_path / "repo", count=70)
    monkeypatch.setattr(results_cache, "RACY_NS", -3600 * 10**9)  # the files count as written long ago
    check(root, monkeypatch, capsys)
    index = next((tmp_path / "cache").rglob(results_cache.FILES))
    recorded = index.read_bytes()
    loaded = []
    original = results_cache.ResultCache._load
    monkeypatch.setattr(results_cache.ResultCache, "_load", lambda self, name: loaded.append(name) or original(self, name))
    counted.clear()
    cached = check(root, monkeypatch, capsys, "posts/0005.md")
    assert counted == []  # unchanged: from the cache, the file read and hashed
    assert cached == check(root, monkeypatch, capsys, "posts/0005.md", "--no-cache")
    counted.clear()
    assert results_cache.FILES not in loaded
    (root / "posts" / "0006.md").write_text(ARTICLE.format(n=6, story="第6篇改过的一句话。\n", image="6.png"),
                                            encoding="utf-8")
    check(root, monkeypatch, capsys, "posts/0006.md")
    assert counted == ["posts/0006.md"] and results_cache.FILES not in loaded
    assert index.read_bytes() == recorded  # a hook's run leaves the archive's index as it was
    counted.clear()
    check(root, monkeypatch, capsys)  # the whole run uses the index, and the hook's result for the edit
    assert counted == [] and results_cache.FILES in loaded


def test_the_merge_puts_findings_in_report_order_as_a_full_sort_would():
    from lintnews.execute.mapping import FileResult
    from lintnews.execute.merge import _in_report_order
    from lintnews.runner import decide, sort_key
    from lintnews.violation import Finding, Severity, Ticket

    def found(path, *rows, ticket=None):
        findings = [Finding(path, line, 1, rule, message, Severity.WARNING) for line, rule, message in rows]
        if ticket is not None:  # decided now: "zz…" sorts after the file's other finding there
            placeholder = Ticket("duplicate-article")
            placeholder.verdict = ticket
            findings.append(Finding(path, 1, 1, "duplicate-article", placeholder, Severity.INFO))
        return FileResult(tuple(sorted(findings, key=sort_key)), {})

    def full_sort(results):
        return sorted(decide([f for result in results for f in result.findings]), key=sort_key)

    results = [found("b.md", (1, "rule-a", "m"), (3, "rule-a", "m")),
               found("a.md", (1, "duplicate-article", "m"), ticket="zz same text"),
               found("c.md", (2, "rule-a", "m"), ticket=None),  # no verdict: the placeholder goes
               FileResult((), {}),
               found("a b.md", (5, "rule-a", "m"))]
    assert list(_in_report_order(results)) == full_sort(results)
    assert [f.path for f in _in_report_order(results)] == ["a b.md", "a.md", "a.md", "b.md", "b.md", "c.md"]
    # a result holding another file's finding: everything is sorted
    mixed = results + [FileResult((Finding("d.md", 1, 1, "r", "m", Severity.INFO),
                                   Finding("a.md", 9, 1, "r", "m", Severity.INFO)), {})]
    assert list(_in_report_order(mixed)) == full_sort(mixed)


@pytest.mark.parametrize("args", [("--output-format", "text"), ("--statistics",),
                                  ("--statistics", "--output-format", "json"), ("--output-format", "sarif"),
                                  ("--output-format", "github"), ("--fail-on", "info")])
def test_a_warm_run_reports_as_a_cold_one_in_every_form(tmp_path, monkeypatch, capsys, counted, args):
    root = project(tmp_path / "repo", count=4)
    (root / "posts" / "0003.md").write_text((root / "posts" / "0000.md").read_text(encoding="utf-8"),
                                            encoding="utf-8")  # a duplicate: a placeholder that speaks
    check(root, monkeypatch, capsys)  # the cache filled by a JSON run, its entries written ahead
    check(root, monkeypatch, capsys, *args)  # and by this form's, when its entries are kept apart (SARIF)
    del counted[:]
    uncached = check(root, monkeypatch, capsys, "--no-cache", *args)
    assert check(root, monkeypatch, capsys, *args) == uncached
    assert len(counted) == 4 and "duplicate-article" in uncached[1]  # the warm run linted nothing


def test_a_warm_json_run_decodes_only_the_files_whose_placeholders_speak(tmp_path, monkeypatch, capsys, counted):
    from lintnews import encoded

    root = project(tmp_path / "repo", count=4)
    cold = check(root, monkeypatch, capsys)
    decoded = []
    original = encoded.findings_of
    monkeypatch.setattr(encoded, "findings_of", lambda plain, path, relpath: decoded.append(path) or original(
        plain, path, relpath))
    assert check(root, monkeypatch, capsys) == cold
    assert sorted(decoded) == ["posts/0000.md", "posts/0001.md"]  # the two copies: their verdicts are new text
    del decoded[:]
    uncached_text = check(root, monkeypatch, capsys, "--no-cache", "--output-format", "text")
    assert check(root, monkeypatch, capsys, "--output-format", "text") == uncached_text
    assert len(decoded) == 4 and len(counted) == 8  # text reads every finding: each file decoded once


def test_a_warm_run_with_a_baseline_hides_the_same_problems(tmp_path, monkeypatch, capsys, counted):
    root = project(tmp_path / "repo", count=4)
    check(root, monkeypatch, capsys, "--write-baseline", str(tmp_path / "known.json"))
    path = root / "posts" / "0002.md"
    path.write_text(path.read_text(encoding="utf-8").replace("<img src=\"2.png\">", "<img src=\"2.png\" style=\"x\">"),
                    encoding="utf-8")
    for args in [(), ("--output-format", "text")]:
        uncached = check(root, monkeypatch, capsys, "--no-cache", "--baseline", str(tmp_path / "known.json"), *args)
        assert '"rule": "inline-style"' in uncached[1] or "inline-style" in uncached[1]
        check(root, monkeypatch, capsys, "--baseline", str(tmp_path / "known.json"), *args)
        del counted[:]
        assert check(root, monkeypatch, capsys, "--baseline", str(tmp_path / "known.json"), *args) == uncached
        assert counted == []


def test_a_warm_run_with_a_diff_base_reports_the_changed_lines_alone(tmp_path, monkeypatch, capsys, counted):
    root = project(tmp_path / "repo", count=4)
    (root / ".git").rmdir()
    env = dict(os.environ, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="T", GIT_COMMITTER_EMAIL="t@example.com")
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "articles"]):
        subprocess.run(["git", *command], cwd=root, env=env, check=True, capture_output=True)
    path = root / "posts" / "0002.md"
    path.write_text(path.read_text(encoding="utf-8").replace("<img src=\"2.png\">", "<img src=\"2.png\" style=\"x\">"),
                    encoding="utf-8")
    uncached = check(root, monkeypatch, capsys, "--no-cache", "--diff-base", "HEAD")
    assert '"path": "posts/0002.md"' in uncached[1] and '"path": "posts/0001.md"' not in uncached[1]
    check(root, monkeypatch, capsys, "--diff-base", "HEAD")
    del counted[:]
    assert check(root, monkeypatch, capsys, "--diff-base", "HEAD") == uncached
    assert counted == []


def test_an_entry_of_another_shape_in_a_sound_shard_is_a_miss(tmp_path, monkeypatch, capsys, counted):
    from lintnews.execute.cache import ResultCache

    root = project(tmp_path / "repo")
    cold = check(root, monkeypatch, capsys)
    for path in (tmp_path / "cache").rglob("[0-9a-f][0-9a-f].bin"):  # rewritten whole, with a right checksum
        cache = ResultCache(path.parent.parent, bytes.fromhex(path.parent.name))
        entries = cache._read(path.name)
        cache._write(path.name, {key: (None, *entry[1:]) for key, entry in entries.items()})
    del counted[:]
    assert check(root, monkeypatch, capsys) == cold
    assert len(counted) == 3


def test_a_warm_run_gives_the_first_run_notice_of_a_cold_one(tmp_path, monkeypatch, capsys, counted):
    root = project(tmp_path / "repo", count=24)  # no configuration, and image-alt on every file

    def notice(*args: str) -> tuple[int, str, str]:
        code = cli.main(["check", "--output-format", "json", *args])
        out, err = capsys.readouterr()
        return code, out, err

    monkeypatch.chdir(root)
    monkeypatch.setenv("LINTNEWS_CACHE_DIR", str(tmp_path / "cache"))
    cold = notice()
    assert "'lintnews init'" in cold[2] and "image-alt on 24 of 24 files" in cold[2]
    del counted[:]
    assert notice() == cold == notice("--no-cache")
    assert len(counted) == 24  # the uncached run alone


def _cyclic_garbage_of_linting(articles: dict[str, str]) -> int:
    """How many objects left in reference cycles a run over ``articles`` adds, with every
    default rule: the objects a second collection finds, the collector off in between."""
    from lintnews import runner
    from lintnews.testing import lint_files

    # the plans of earlier runs in this process go first: the cache of plans is emptied when it
    # is full, and the rules and plugins of those runs would then be garbage counted here
    runner._plans.clear()
    gc.collect()
    gc.disable()
    try:
        lint_files(articles)
        return gc.collect()
    finally:
        gc.enable()


def test_linting_leaves_no_reference_cycles_per_article():
    """The collector runs seldom in a check (``cli._collect_garbage_seldom``): that is safe while
    an article's Document, views and findings are freed by reference counting as it is done."""
    from lintnews.testing import load_cases

    cases = load_cases(Path(__file__).parent / "cases")
    # but the YAML that holds itself (an alias to the list it is in): that is a cycle of its parser's nodes
    texts = list(dict.fromkeys(case.text for case in cases if "the list it is in" not in case.id))
    articles = {f"posts/{n:03}.md": text for n, text in enumerate(texts)}
    assert len(articles) > 300
    _cyclic_garbage_of_linting(articles)  # rules' lexicons and patterns loaded, caches filled
    one = _cyclic_garbage_of_linting(dict(list(articles.items())[:1]))
    every = _cyclic_garbage_of_linting(articles)
    assert every == one  # what the run itself leaves (its plugin manager), whatever the count of articles


def test_cache_dir_keeps_every_cache_of_the_run_in_the_folder_given(tmp_path, monkeypatch, capsys, counted):
    root = project(tmp_path / "repo")
    chosen = tmp_path / "chosen"
    # a fresh process, as a user runs it (this one has compiled its patterns already)
    first = subprocess.run([sys.executable, "-m", "lintnews", "check", "--output-format", "json",
                            "--cache-dir", str(chosen)], cwd=root, capture_output=True, text=True,
                           env={**os.environ, "LINTNEWS_CACHE_DIR": str(tmp_path / "cache")})
    assert list(chosen.glob("repo-*/results/*")) and list(chosen.glob("patterns/*"))
    assert not (tmp_path / "cache").exists()  # the folder LINTNEWS_CACHE_DIR names is not written
    first = (first.returncode, first.stdout)
    assert "\"rule\": \"duplicate-article\"" in first[1]
    assert check(root, monkeypatch, capsys, "--cache-dir", str(chosen)) == first
    assert counted == []  # every file's result read from the folder given
    assert check(root, monkeypatch, capsys) == first  # the default folder: a cache of its own, filled afresh
    assert sorted(counted) == [f"posts/{n:04}.md" for n in range(3)]


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


def test_a_cache_folder_with_files_git_tracks_is_refused(tmp_path, monkeypatch, capsys, counted):
    root = project(tmp_path / "repo")
    (root / ".git").rmdir()
    _git(root, "init", "-q")
    inside = root / ".lintnews-cache"
    (root / ".gitignore").write_text(".lintnews-cache/\n", encoding="utf-8")
    first = check(root, monkeypatch, capsys, "--cache-dir", ".lintnews-cache")
    assert list(inside.glob("repo-*/results/*"))  # ignored by git: used
    _git(root, "add", "-f", ".lintnews-cache")
    for args in (["--cache-dir", ".lintnews-cache"], []):
        if not args:  # the same folder named by the environment
            monkeypatch.setenv("LINTNEWS_CACHE_DIR", str(inside))
        del counted[:]
        code = cli.main(["check", "--output-format", "json", *args])
        out, err = capsys.readouterr()
        assert (code, out, counted) == (2, "", [])
        assert err == (f"lintnews: error: the cache folder {inside} holds files tracked by git, and a committed "
                       "cache could hide findings: keep it outside the checkout or ignored by git (or give "
                       "--no-cache)\n")
    assert cli.main(["check", "--output-format", "json", "--no-cache"]) == first[0]
    assert capsys.readouterr().out == first[1]


def test_a_cache_folder_that_cannot_be_written_is_named_and_the_run_stands(tmp_path, monkeypatch, capsys):
    root = project(tmp_path / "repo")
    uncached = check(root, monkeypatch, capsys, "--no-cache")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.chdir(root)
    code = cli.main(["check", "--output-format", "json", "--cache-dir", str(blocked)])
    out, err = capsys.readouterr()
    assert (code, out) == uncached
    assert err.startswith(f"lintnews: results not cached: cannot write {blocked}{os.sep}repo-")
    assert err.endswith(": Not a directory (give --cache-dir or --no-cache)\n") and err.count("\n") == 1
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_a_run_looks_at_each_dependency_once_however_many_results_share_it(tmp_path, monkeypatch):
    from lintnews.execute import cache as cache_module
    from lintnews.execute.cache import ResultCache
    from lintnews.execute.mapping import FileResult, stamp

    image = tmp_path / "shared.png"
    image.write_bytes(b"png")
    results = {bytes([n]) * 16: FileResult((), {}, b"d" * 16, ((str(image), "file", stamp(str(image))),))
               for n in range(5)}
    writer = ResultCache(tmp_path / "results", b"r" * 16)
    for key, result in results.items():
        writer.put(key, result, "a.md", "a.md")
    writer.save()

    looked = []
    monkeypatch.setattr(cache_module, "stamp", lambda path, on="file": looked.append(path) or stamp(path, on))
    reader = ResultCache(tmp_path / "results", b"r" * 16)
    assert all(reader.get(key, "a.md", "a.md") is not None for key in results)
    assert looked == [str(image)]  # one look for the five results
    image.write_bytes(b"changed")
    assert all(ResultCache(tmp_path / "results", b"r" * 16).get(key, "a.md", "a.md") is None for key in results)

"""The Dask executor on a real local cluster: the same findings as a local run, file for file."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

dask_bag = pytest.importorskip("dask.bag", reason="the dask extra is part of the test extra")
distributed = pytest.importorskip("distributed")
fsspec = pytest.importorskip("fsspec")

from lintnews.cli import main  # noqa: E402
from lintnews.dask import RunSpec, check, lint_bag  # noqa: E402
from lintnews.config import load_config  # noqa: E402
from test_remote_rules import PNG, server  # noqa: E402,F401 -- an image server on 127.0.0.1 that counts requests

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"  # shared/ lies beside the checkout
# the scheduler's HTTP endpoints on any free port of the loopback, as lintnews's own cluster has them:
# on 8787, which another cluster of the suite holds, they warn
_LOOPBACK_HTTP = {"dashboard_address": "127.0.0.1:0"}


@pytest.fixture(scope="module")
def client():
    """Two worker processes, started here, for every test of this module."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, scheduler_kwargs=_LOOPBACK_HTTP) as cluster, \
            distributed.Client(cluster) as client:
        client.wait_for_workers(2)
        assert len(client.scheduler_info()["workers"]) == 2
        yield client


WIRE = ("新华社北京电 国家统计局今天发布数据显示，前两个月规模以上工业增加值同比增长百分之七。"
        "分行业看，装备制造业增长较快，高技术制造业增长百分之九点四。\n\n"
        "统计局新闻发言人表示，国民经济延续恢复向好态势，但外部环境依然复杂。"
        "下阶段要继续巩固经济回升基础。\n\n"
        "从需求看，社会消费品零售总额增长百分之五点五，其中服务零售额增长较快。"
        "固定资产投资保持稳定，制造业投资增长百分之九。\n")


def _article(i: int, body: str) -> str:
    return (f"---\ntitle: 第{i}号稿件\ndate: 2024-03-{1 + i % 28:02d} 08:00:00\nauthor: 记者{i}\n---\n\n"
            f"{body}\n责任编辑：王{i}\n")


def _write(folder: Path, count: int, planted: dict[int, int]) -> None:
    """``count`` articles, each its own story, except those in ``planted`` (copy → original)."""
    for i in range(count):
        body = f"第{i}篇独家报道：今年第{i}次专题会议在第{i}号会议室召开，记录员编号{i * 7919}。\n\n" \
               f"会议讨论了第{i}项议题，共有{i + 3}位代表发言，议程编号{i * 104729}。\n\n" \
               f"会后发布第{i}号纪要，请关注后续第{i}期报道。编号{i * 1299709}。\n"
        if i in planted:
            body = WIRE
        (folder / f"{i:05d}.md").write_text(_article(i, body), encoding="utf-8")


def _json_of(argv: list[str], cwd: Path, monkeypatch, capsys) -> tuple[int, list]:
    monkeypatch.chdir(cwd)
    code = main(argv + ["--output-format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_dev_corpus_matches_a_local_run_finding_for_finding(client, monkeypatch, capsys):
    assert DEV.is_dir(), f"the dev corpus is expected at {DEV}"
    local_code, local = _json_of(["check", "--jobs", "1", "--no-cache", "."], DEV, monkeypatch, capsys)
    dask_code, remote = _json_of(["check", "--executor", "dask", "."], DEV, monkeypatch, capsys)
    assert len(local) > 1000  # the corpus has plenty to find
    assert remote == local
    assert dask_code == local_code == 1


def test_duplicates_planted_in_different_partitions_are_found(client, tmp_path, monkeypatch, capsys):
    _write(tmp_path, 1200, {3: 0, 1150: 0})  # 1,200 files: three partitions of the bag
    local_code, local = _json_of(["check", "--jobs", "1", "--no-cache", "."], tmp_path, monkeypatch, capsys)
    _, remote = _json_of(["check", "--executor", "dask", "."], tmp_path, monkeypatch, capsys)
    duplicates = sorted((f["path"], f["line"]) for f in remote if f["rule"] == "duplicate-article")
    assert duplicates == [("00003.md", 7), ("01150.md", 7)]
    assert remote == local


def test_memory_filesystem_reads_the_same_articles(tmp_path, monkeypatch, capsys):
    """An fsspec memory:// filesystem lives in one process, so its workers are threads here."""
    _write(tmp_path, 30, {4: 0, 20: 0})
    memory = fsspec.filesystem("memory")
    for path in tmp_path.iterdir():
        memory.pipe(f"/news/2024/{path.name}", path.read_bytes())
    (tmp_path / ".git").mkdir()  # the project root for both runs
    monkeypatch.chdir(tmp_path)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None, scheduler_kwargs=_LOOPBACK_HTTP) as cluster:
        report = check(["memory://news/**/*.md"], scheduler=cluster.scheduler_address)
    _, local = _json_of(["check", "--jobs", "1", "--no-cache", "."], tmp_path, monkeypatch, capsys)
    remote = [finding.to_dict() for finding in report.findings]
    assert report.files_checked == 30
    assert all(f["path"].startswith("memory:///news/2024/") for f in remote)
    for finding in remote:
        finding["path"] = finding["path"].replace("memory:///news/2024/", "")
        finding["message"] = finding["message"].replace("memory:///news/2024/", "")
    assert remote == local
    assert {f["path"] for f in remote if f["rule"] == "duplicate-article"} == {"00004.md", "00020.md"}


def test_lint_bag_gives_finding_records_for_pipelines(client, tmp_path):
    (tmp_path / ".git").mkdir()
    spec = RunSpec.of(load_config(None, tmp_path))
    items = [(f"posts/{i}.md", _article(i, WIRE if i in (1, 9) else f"第{i}篇。\n")) for i in range(12)]
    bag = dask_bag.from_sequence(items, npartitions=4)
    records = lint_bag(bag, spec).compute()
    duplicates = sorted(r["path"] for r in records if r["rule"] == "duplicate-article")
    assert duplicates == ["posts/1.md", "posts/9.md"]
    assert {"path", "line", "column", "rule", "severity", "message"} <= set(records[0])
    counts = dict(lint_bag(bag, spec).pluck("rule").frequencies().compute())
    assert counts["duplicate-article"] == 2 and sum(counts.values()) == len(records)


def test_the_command_line_starts_its_own_cluster_and_stops_it(tmp_path):
    """No client in the process: ``lintnews check --executor dask`` starts a local cluster of
    forked workers, reports what a local run reports, and exits."""
    import subprocess
    import sys

    _write(tmp_path, 6, {1: 0, 4: 0})
    (tmp_path / ".git").mkdir()
    outputs = []
    for executor in (["--executor", "dask"], ["--jobs", "1", "--no-cache"]):
        done = subprocess.run([sys.executable, "-m", "lintnews", "check", *executor, "--output-format", "json", "."],
                              cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 and done.stderr == ""  # duplicates are warnings
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    assert sorted(f["path"] for f in outputs[0] if f["rule"] == "duplicate-article") == ["00001.md", "00004.md"]


def test_lint_bag_refuses_remote_checks_it_could_not_fetch_once(tmp_path):
    from lintnews.config import ConfigError

    (tmp_path / ".git").mkdir()
    spec = RunSpec.of(load_config(None, tmp_path), options={"remote": True})
    with pytest.raises(ConfigError, match="lint_bag cannot run remote image checks"):
        lint_bag(dask_bag.from_sequence([("a.md", "# A\n")]), spec)


def test_fix_and_diff_are_refused_with_one_line(tmp_path, monkeypatch, capsys):
    _write(tmp_path, 2, {})
    monkeypatch.chdir(tmp_path)
    for option in ("--fix", "--diff"):
        assert main(["check", "--executor", "dask", option, "."]) == 2
        error = capsys.readouterr().err
        assert error == "lintnews: error: --fix and --diff write local files: run them with the local executor\n"
    assert [path.name for path in sorted(tmp_path.iterdir())] == ["00000.md", "00001.md"]


SITE = {  # a Hexo site: the post's images beside it and under the site root source/
    "source/_posts/a.md": "---\ntitle: A\n---\n\n"
                          "![chart](../images/x.png)\n"
                          "![gone](../images/missing.png)\n"
                          "![root](/images/x.png)\n"
                          "![case](/images/X.PNG)\n"
                          "![out](../../../etc/passwd)\n"
                          "![blank](../images/empty.png)\n",
    "source/images/x.png": PNG,
    "source/images/empty.png": b"",
}


def test_image_paths_of_articles_on_object_storage_resolve_there(tmp_path, monkeypatch, capsys):
    memory = fsspec.filesystem("memory")
    for name, content in SITE.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        memory.pipe(f"/site/{name}", data)
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)  # the same site on disk, for the local run
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    try:
        with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                      dashboard_address=None, scheduler_kwargs=_LOOPBACK_HTTP) as cluster:
            report = check(["memory://site/**/*.md"], select=["image-broken"], scheduler=cluster.scheduler_address)
    finally:
        memory.rm("/site", recursive=True)
    found = [(f.path, f.line, f.column, f.message) for f in report.findings]
    post = "memory:///site/source/_posts/a.md"
    assert found == [
        (post, 6, 9, "image not found: '../images/missing.png' (looked in the article's folder)"),
        (post, 8, 9, "image not found: '/images/X.PNG'; the file on disk is 'source/images/x.png' (case differs)"),
        (post, 9, 8, "image path '../../../etc/passwd' leaves the repository"),
        (post, 10, 10, "image file '../images/empty.png' is empty"),
    ]
    _, local = _json_of(["check", "--jobs", "1", "--no-cache", "--select", "image-broken", "."], tmp_path,
                        monkeypatch, capsys)
    assert [(f["path"], f["line"], f["column"], f["message"]) for f in local] == \
        [("source/_posts/a.md", *rest) for _, *rest in found]


def test_remote_images_are_fetched_once_per_url_for_the_whole_run(client, server, tmp_path, monkeypatch,
                                                                 capsys):
    port = server.server_address[1]
    base = f"http://127.0.0.1:{port}"
    ports = json.dumps([80, 443, port])
    (tmp_path / ".git").mkdir()
    (tmp_path / ".lintnews.yaml").write_text(f"rules:\n  image-broken: {{remote-ports: {ports}}}\n"
                                             f"  image-unverified: {{remote-ports: {ports}}}\n", encoding="utf-8")
    for i in range(1200):  # three partitions of the bag; every file cites one shared image
        own = {0: "/missing.png", 600: "/missing.png", 900: "/page.png", 1199: "/busy.png"}.get(i, "/ok.png")
        (tmp_path / f"{i:05d}.md").write_text(f'<img src="{base}/ok.png" alt="a">\n'
                                              f'<img alt="b" src="{base}{own}">\n', encoding="utf-8")
    monkeypatch.setenv("LINTNEWS_CACHE_DIR", str(tmp_path.with_name(tmp_path.name + "-cache")))
    argv = ["check", "--select", "image-broken,image-unverified", "--check-remote", "--allow-private-hosts",
            "--no-cache", "."]
    code, remote = _json_of(argv[:1] + ["--executor", "dask"] + argv[1:], tmp_path, monkeypatch, capsys)
    assert sorted(server.requests) == ["/busy.png", "/missing.png", "/ok.png", "/page.png"]
    assert [(f["path"], f["line"], f["column"], f["rule"], f["message"]) for f in remote] == [
        ("00000.md", 2, 14, "image-broken", f"remote image '{base}/missing.png': HTTP 404"),
        ("00600.md", 2, 14, "image-broken", f"remote image '{base}/missing.png': HTTP 404"),
        ("00900.md", 2, 14, "image-broken", f"remote image '{base}/page.png': not an image (text/html)"),
        ("01199.md", 2, 14, "image-unverified", f"remote image '{base}/busy.png': HTTP 503"),
    ]
    assert code == 1
    _, local = _json_of(argv[:1] + ["--jobs", "1"] + argv[1:], tmp_path, monkeypatch, capsys)
    assert remote == local


def test_scheduler_without_the_dask_executor_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--scheduler", "tcp://127.0.0.1:8786", "."]) == 2
    assert "--scheduler goes with --executor dask" in capsys.readouterr().err


COUNTING_PLUGIN = '''
import os
from lintnews import hookimpl, rule


@rule("counted", severity="info")
def counted(doc, options):
    """Counts the documents it sees, in the file the test names."""
    with open(os.environ["LINTNEWS_COUNT_FILE"], "a") as log:
        log.write(doc.path + "\\n")
    yield from ()


@hookimpl
def lintnews_rules():
    return [counted]
'''


def test_each_file_is_mapped_once_though_verdicts_and_findings_both_read_it(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "counting.py").write_text(COUNTING_PLUGIN, encoding="utf-8")
    monkeypatch.setenv("LINTNEWS_COUNT_FILE", str(tmp_path / "seen.log"))
    spec = RunSpec.of(load_config(None, tmp_path), plugins=[str(tmp_path / "counting.py")])
    items = [(f"posts/{i}.md", _article(i, WIRE if i in (0, 7) else f"第{i}篇。\n")) for i in range(8)]
    records = lint_bag(dask_bag.from_sequence(items, npartitions=4), spec).compute(scheduler="sync")
    assert sorted((tmp_path / "seen.log").read_text().split()) == sorted(path for path, _ in items)
    assert sorted(r["path"] for r in records if r["rule"] == "duplicate-article") == ["posts/0.md", "posts/7.md"]


def test_a_cluster_run_maps_each_file_once_and_reports_its_facts(client, tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "posts").mkdir()
    log = tmp_path / "seen.log"  # the workers started before this test: the path is written into the plugin
    plugin = COUNTING_PLUGIN.replace('os.environ["LINTNEWS_COUNT_FILE"]', repr(str(log)))
    (tmp_path / "counting.py").write_text(plugin, encoding="utf-8")
    _write(tmp_path / "posts", 12, {2: 0, 9: 0})
    monkeypatch.chdir(tmp_path)
    report = check(["posts"], plugins=[str(tmp_path / "counting.py")])
    assert sorted(log.read_text().split()) == sorted(f"posts/{i:05d}.md" for i in range(12))
    assert len(report.files) == report.files_checked == 12
    assert {fact.month for fact in report.files} == {"2024-03"}
    assert sorted(f.path for f in report.findings if f.rule == "duplicate-article") == ["posts/00002.md",
                                                                                        "posts/00009.md"]


def test_a_storage_without_its_package_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--executor", "dask", "nosuchproto://bucket/a.md"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("lintnews: error: nosuchproto://bucket/a.md: ") and error.count("\n") == 1


def test_a_scheduler_that_accepts_and_never_answers_is_a_one_line_error_within_the_timeout(tmp_path):
    """Dask bounds the connection, not the handshake after it: without a bound of lintnews's own,
    a server that accepts and stays silent keeps the run waiting for ever."""
    import socket
    import subprocess
    import sys
    import time

    (tmp_path / "a.md").write_text("---\ntitle: t\n---\n\n<p style=\"x\">b</p>\n", encoding="utf-8")
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)                                    # the kernel accepts; nobody ever answers
    try:
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "lintnews", "check", "--no-cache", "--executor", "dask",
                               "--scheduler", "tcp://127.0.0.1:%d" % silent.getsockname()[1], "a.md"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1
    assert done.stderr.startswith("lintnews: error: --scheduler tcp://127.0.0.1:")
    assert "no answer within 2 s" in done.stderr
    assert elapsed < 30


@pytest.mark.parametrize("address, why", [
    ("garbage", "missing port number"),
    ("tcp://127.0.0.1", "missing port number"),
    ("tcp://[::1", "invalid address"),
    ("inproc://x", "not an address Dask can connect to"),
    ("http://127.0.0.1:1", "unknown address scheme 'http'"),
    ("tls://127.0.0.1:1", "TLS"),
])
def test_a_malformed_scheduler_address_is_a_usage_error_naming_the_option(tmp_path, monkeypatch, capsys, address,
                                                                        why):
    (tmp_path / "a.md").write_text("---\ntitle: t\n---\n\nText.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache", "--executor", "dask", "--scheduler", address, "a.md"]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"lintnews: error: --scheduler {address}: ") and error.count("\n") == 1
    assert why in error and "internal error" not in error


LISTENERS = '''
import json, psutil
from lintnews.dask.session import _client
with _client(None) as client:
    client.wait_for_workers(1)
    processes = [psutil.Process(), *psutil.Process().children(recursive=True)]
    print(json.dumps(sorted({(c.laddr.ip, c.laddr.port) for p in processes for c in p.net_connections("inet")
                             if c.status == psutil.CONN_LISTEN})))
'''


def test_the_local_cluster_listens_on_the_loopback_only(tmp_path):
    """The scheduler, the workers and their HTTP endpoints: nothing of the run on another interface."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", LISTENERS], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    listening = json.loads(done.stdout)
    assert len(listening) >= 3                          # the scheduler, its HTTP endpoints, a worker
    assert {ip for ip, _ in listening} <= {"127.0.0.1", "::1"}, listening


def test_a_file_url_glob_lints_the_files_it_matches_and_no_others(client, tmp_path, monkeypatch, capsys):
    (tmp_path / ".git").mkdir()
    (tmp_path / "sub").mkdir()
    for name in ("a1.md", "a2.md", "b.md", "sub/c.md", "sub/a3.md"):
        (tmp_path / name).write_text('---\ntitle: t\n---\n\n<p style="x">b</p>\n', encoding="utf-8")
    select = ["--no-cache", "--select", "inline-style"]
    _, local = _json_of(["check", *select, "a1.md", "a2.md"], tmp_path, monkeypatch, capsys)
    _, remote = _json_of(["check", "--executor", "dask", *select, f"file://{tmp_path}/a*.md"], tmp_path,
                         monkeypatch, capsys)
    assert sorted(finding["path"] for finding in remote) == ["a1.md", "a2.md"]
    assert remote == local
    _, one = _json_of(["check", "--executor", "dask", *select, f"file://{tmp_path}/sub/a*.md"], tmp_path,
                      monkeypatch, capsys)
    assert [finding["path"] for finding in one] == ["sub/a3.md"]

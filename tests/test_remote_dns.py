"""Remote checks against a real DNS server on 127.0.0.1, through the system's resolver (getaddrinfo).

Each test runs lintnews in a private network and mount namespace (``unshare``: root, or an
unprivileged user namespace): there the loopback interface is brought up, ``/etc/resolv.conf`` is
replaced by one naming 127.0.0.1, and a small DNS server answers from a fixed table, "no such
name" (NXDOMAIN) to every other name, as the internal DNS of an air-gapped network does. Nothing
leaves the namespace. In CI (``CI=true``) a machine that cannot make the namespaces fails the test
instead of skipping it.
"""
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import lintnews

SOURCE = str(Path(lintnews.__file__).resolve().parent.parent)

# Run inside the namespaces: loopback up, resolv.conf bound over, the DNS and HTTP servers started,
# then each project checked by the lintnews under test; its results printed as JSON.
CHILD = textwrap.dedent(r'''
    import fcntl, json, os, socket, struct, subprocess, sys, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    plan = json.loads(sys.argv[1])
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    flags = struct.unpack("16sH", fcntl.ioctl(probe, 0x8913, struct.pack("16sH22x", b"lo", 0))[:18])[1]
    fcntl.ioctl(probe, 0x8914, struct.pack("16sH22x", b"lo", flags | 1))          # SIOCSIFFLAGS: IFF_UP
    subprocess.run(["mount", "--bind", plan["resolv"], "/etc/resolv.conf"], check=True)

    names = plan["names"]
    dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dns.bind(("127.0.0.1", 53))

    def answer(query):
        labels, i = [], 12
        while query[i]:
            labels.append(query[i + 1:i + 1 + query[i]].decode().lower())
            i += 1 + query[i]
        qtype = struct.unpack(">H", query[i + 1:i + 3])[0]
        question = query[12:i + 5]
        address = names.get(".".join(labels))
        if address is None:                                  # NXDOMAIN
            return query[:2] + b"\x81\x83" + b"\0\1\0\0\0\0\0\0" + question
        records = [b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton(address)] if qtype == 1 else []
        return query[:2] + b"\x81\x80" + struct.pack(">HHHH", 1, len(records), 0, 0) + question + b"".join(records)

    def serve_dns():
        while True:
            query, peer = dns.recvfrom(512)
            dns.sendto(answer(query), peer)

    class Images(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"\x89PNG\r\n\x1a\n" + bytes(64)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    web = ThreadingHTTPServer(("127.0.0.1", plan["port"]), Images)
    threading.Thread(target=serve_dns, daemon=True).start()
    threading.Thread(target=web.serve_forever, daemon=True).start()
    results = []
    for project in plan["projects"]:
        done = subprocess.run([sys.executable, "-m", "lintnews", "check", "--check-remote", "--output-format",
                               "json", "--select", "image-broken,image-unverified", "."], cwd=project,
                              capture_output=True, text=True, env={**os.environ, "PYTHONPATH": plan["source"]})
        results.append({"code": done.returncode, "stdout": done.stdout, "stderr": done.stderr})
    print(json.dumps(results))
''')


def _unshare() -> list[str] | None:
    """The command that runs a program in new network and mount namespaces here, or None."""
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return None
    command = ["unshare", "-nm", "--"] if os.geteuid() == 0 else ["unshare", "-rnm", "--"]
    try:
        done = subprocess.run([*command, "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return command if done.returncode == 0 else None


def run_isolated(tmp_path: Path, names: dict, projects: list[dict]) -> list[dict]:
    """Each project (file name -> text) checked in the namespaces, the DNS server knowing ``names``."""
    command = _unshare()
    if command is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("the DNS test must run in CI: unshare cannot make network and mount namespaces here")
        pytest.skip("unshare cannot make network and mount namespaces here")
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 127.0.0.1\noptions timeout:2 attempts:1\n")
    folders = []
    for index, files in enumerate(projects):
        folder = tmp_path / f"project{index}"
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text)
        folders.append(str(folder))
    plan = {"resolv": str(resolv), "names": names, "port": 8080, "projects": folders, "source": SOURCE}
    env = {**os.environ, "LINTNEWS_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([*command, sys.executable, "-c", CHILD, json.dumps(plan)], capture_output=True,
                          text=True, env=env, timeout=240)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    for result in results:
        result["findings"] = [(finding["rule"], finding["message"])
                              for finding in json.loads(result["stdout"])] if result["stdout"] else None
    return results


def article(*urls: str) -> str:
    return "---\ntitle: t\n---\n\n" + "".join(f'<img src="{url}" alt="x">\n\n' for url in urls)


LOCAL = "rules:\n  image-broken: {allow-private-hosts: true, remote-ports: [443, 8080]}\n" \
        "  image-unverified: {allow-private-hosts: true, remote-ports: [443, 8080]}\n"
OUTSIDE = ["https://cdn.newsroom-photos.cn/a.png", "https://img.daily-wire.com/b.png", "https://static.pressline.net/c.png"]


def test_a_resolver_that_knows_no_outside_name_is_no_network(tmp_path):
    """Air-gapped CI with its own DNS: every outside name is "no such name". One notice, no findings."""
    blind, = run_isolated(tmp_path, {"wiki.newsroom-intra.net": "127.0.0.1"}, [{"a.md": article(*OUTSIDE)}])
    assert blind["code"] == 0, blind
    assert blind["findings"] == []
    assert "no network: remote images were not checked" in blind["stderr"]


def test_a_dead_name_among_names_that_resolve_is_broken(tmp_path):
    mixed, two = run_isolated(tmp_path, {"imgsrv.newsroom-intra.net": "127.0.0.1"}, [
        {".lintnews.yaml": LOCAL, "a.md": article("http://imgsrv.newsroom-intra.net:8080/ok.png", *OUTSIDE)},
        {"a.md": article(*OUTSIDE[:2])},            # two names are too few to tell: each is a finding
    ])
    assert mixed["code"] == 1
    assert sorted(mixed["findings"]) == [("image-broken", f"remote image {url!r}: name does not resolve")
                                         for url in sorted(OUTSIDE)]
    assert "no network" not in mixed["stderr"]
    assert two["code"] == 1
    assert [message for _, message in two["findings"]] == \
        [f"remote image {url!r}: name does not resolve" for url in OUTSIDE[:2]]


def test_a_host_the_cache_answered_is_asked_whether_names_resolve(tmp_path):
    """The images that resolved last time come from the cache: one of their names is looked up
    again, and answers for the network, so the dead names are findings."""
    shared = LOCAL.replace("remote-ports", f"cache-dir: {tmp_path / 'remote'}, remote-ports")
    first, then = run_isolated(tmp_path, {"imgsrv.newsroom-intra.net": "127.0.0.1"}, [
        {".lintnews.yaml": shared, "a.md": article("http://imgsrv.newsroom-intra.net:8080/ok.png")},
        {".lintnews.yaml": shared, "a.md": article("http://imgsrv.newsroom-intra.net:8080/ok.png", *OUTSIDE)},
    ])
    assert first["code"] == 0 and first["findings"] == []
    assert then["code"] == 1 and len(then["findings"]) == 3, then

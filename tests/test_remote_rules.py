"""Remote image checks through the real CLI, against a real HTTP server on 127.0.0.1."""
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.server.requests.append(self.path)
        status, kind, body = {
            "/ok.png": (200, "image/png", PNG),
            "/missing.png": (404, "text/html", b"<h1>404</h1>"),
            "/page.png": (200, "text/html", b"<html><body>moved</body></html>"),
            "/busy.png": (503, "text/html", b"busy"),
        }.get(self.path, (404, "text/html", b""))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def project(tmp_path, server):
    port = server.server_address[1]
    (tmp_path / ".git").mkdir()
    ports = json.dumps([80, 443, port])
    (tmp_path / ".lintnews.yaml").write_text(
        f"rules:\n  image-broken: {{remote-ports: {ports}}}\n  image-unverified: {{remote-ports: {ports}}}\n",
        encoding="utf-8")
    base = f"http://127.0.0.1:{port}"
    (tmp_path / "a.md").write_text(
        f'<img src="{base}/ok.png" alt="a">\n'
        f'<img src="{base}/missing.png" alt="b">\n'
        f'![c]({base}/page.png)\n'
        f'<img alt="d" src="{base}/busy.png">\n', encoding="utf-8")
    (tmp_path / "b.md").write_text(f'<img src="{base}/ok.png" alt="again">\n', encoding="utf-8")
    return tmp_path


def user_cache(project):
    """The user's cache folder in these tests: beside the project, never inside it."""
    return project.with_name(project.name + "-user-cache")


def run(cwd, *args):
    env = {k: v for k, v in os.environ.items()
           if k not in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR") and "proxy" not in k.lower()}
    env["LINTNEWS_CACHE_DIR"] = str(user_cache(cwd))
    return subprocess.run([sys.executable, "-m", "lintnews", "check", "--select", "image-broken,image-unverified",
                           *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_remote_checks_are_off_by_default(project, server):
    result = run(project)
    assert result.returncode == 0 and server.requests == []


def test_the_address_guard_blocks_loopback_without_a_single_request(project, server):
    result = run(project, "--check-remote", "--no-cache")
    port = server.server_address[1]
    assert result.returncode == 1
    blocked = " is blocked: 127.0.0.1 is a loopback address; allow-private-hosts lets it be fetched"
    base = f"http://127.0.0.1:{port}"
    assert result.stdout.splitlines()[:-1] == [
        f"a.md:1:6: error image-broken remote image '{base}/ok.png'{blocked}",
        f"a.md:2:6: error image-broken remote image '{base}/missing.png'{blocked}",
        f"a.md:3:6: error image-broken remote image '{base}/page.png'{blocked}",
        f"a.md:4:14: error image-broken remote image '{base}/busy.png'{blocked}",
        f"b.md:1:6: error image-broken remote image '{base}/ok.png'{blocked}",
    ]
    assert server.requests == []


def test_broken_soft_404_and_unverified_images_once_per_url(project, server):
    port = server.server_address[1]
    base = f"http://127.0.0.1:{port}"
    result = run(project, "--check-remote", "--allow-private-hosts", "--no-cache")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:-1] == [
        f"a.md:2:6: error image-broken remote image '{base}/missing.png': HTTP 404",
        f"a.md:3:6: error image-broken remote image '{base}/page.png': not an image (text/html)",
        f"a.md:4:14: warning image-unverified remote image '{base}/busy.png': HTTP 503",
    ]
    assert sorted(set(server.requests)) == ["/busy.png", "/missing.png", "/ok.png", "/page.png"]
    assert server.requests.count("/ok.png") == 1  # cited by two files, fetched once


def test_a_second_run_is_answered_from_the_cache(project, server):
    first = run(project, "--check-remote", "--allow-private-hosts")
    fetched = len(server.requests)
    assert fetched == 4
    second = run(project, "--check-remote", "--allow-private-hosts")
    cached = list(user_cache(project).glob("*/remote/remote-images.json"))
    assert len(cached) == 1 and not (project / ".lintnews_cache").exists()
    assert [line for line in second.stdout.splitlines() if "image-broken" in line] == \
        [line for line in first.stdout.splitlines() if "image-broken" in line]
    # definitive answers come from the cache; only the transient 503 is asked again
    assert server.requests[fetched:] == ["/busy.png"]


def test_cache_dir_on_the_command_line_overrides_the_user_cache_folder(project, server, tmp_path_factory):
    chosen = tmp_path_factory.mktemp("chosen")
    run(project, "--check-remote", "--allow-private-hosts", "--cache-dir", str(chosen))
    # the repository's folder in it, as in the user cache folder
    assert [path.relative_to(chosen).parts[1:] for path in chosen.glob("*/remote/*")] == \
        [("remote", "remote-images.json")]
    assert not [path for path in user_cache(project).rglob("*") if "remote" in path.name]


def test_an_internationalised_host_name_is_a_valid_url():
    from lintnews.testing import lint_string
    text = '<img src="https://例子.测试/a.png" alt="a">\n<img src="https://例子..测试/b.png" alt="b">\n'
    findings = lint_string(text, ["image-broken"])
    assert [(f.line, f.column, f.message) for f in findings] == [
        (2, 6, "malformed image URL 'https://例子..测试/b.png': bad host '例子..测试'")]

"""The progress line: drawn on stderr at a terminal, erased at the end, absent elsewhere."""
from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

import pytest

from lintnews import progress

from test_cli import CLEAN, write

ERASE = "\r\x1b[2K"


def quiet_env(**extra: str) -> dict:
    """The environment of a person at a terminal: no CI, pre-commit or NO_COLOR markers."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("CI", "PRE_COMMIT", "NO_COLOR", "GITHUB_ACTIONS", "LINTNEWS_DEBUG", "FORCE_COLOR")}
    return {**env, "TERM": "xterm-256color", **extra}


@pytest.fixture
def articles(tmp_path):
    (tmp_path / ".git").mkdir()
    for number in range(12):
        write(tmp_path / "posts" / f"article-{number:02}.md", CLEAN)
    return tmp_path


def run_on_terminal(cwd, env: dict) -> tuple[str, str, int]:
    """``lintnews check`` with stderr on a pseudo-terminal (stdout a pipe): (stdout, terminal, exit)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "lintnews", "check"], cwd=cwd, env=env,
                               stdout=subprocess.PIPE, stderr=terminal, stdin=subprocess.DEVNULL)
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the child closed the terminal (EIO on Linux)
            break
        if not chunk:
            break
        seen += chunk
    stdout = process.stdout.read().decode()
    process.stdout.close()
    code = process.wait(timeout=60)
    os.close(controller)
    return stdout, seen.decode(), code


def test_drawn_on_a_terminal_and_erased(articles):
    stdout, terminal, code = run_on_terminal(articles, quiet_env())
    assert code == 0 and stdout == "No problems found (12 files checked).\n"
    assert terminal.startswith(ERASE + "lintnews: 1/12 files")
    assert terminal.endswith(ERASE) and terminal.count(ERASE) >= 2


@pytest.mark.parametrize("marker", [{"CI": "true"}, {"PRE_COMMIT": "1"}, {"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_absent_on_a_terminal_under_ci_pre_commit_no_color_or_dumb(articles, marker):
    stdout, terminal, code = run_on_terminal(articles, quiet_env(**marker))
    assert (code, stdout, terminal) == (0, "No problems found (12 files checked).\n", "")


def test_absent_under_a_pipe(articles):
    result = subprocess.run([sys.executable, "-m", "lintnews", "check"], cwd=articles, env=quiet_env(),
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_redrawn_at_most_every_tenth_of_a_second_with_rate_and_time_left():
    clock = iter([0.0, 1.0, 1.05, 2.0]).__next__
    stream = FakeTerminal()
    bar = progress.Progress(stream, clock)
    bar(100, 1000)   # at 1.0 s: drawn
    bar(101, 1000)   # at 1.05 s: too soon
    bar(200, 1000)   # at 2.0 s
    bar.close()
    assert stream.getvalue() == (ERASE + "lintnews: 100/1,000 files · 100 files/s · 0:09 left"
                                 + ERASE + "lintnews: 200/1,000 files · 100 files/s · 0:08 left" + ERASE)


def test_wanted_only_for_a_terminal():
    assert progress.wanted(FakeTerminal(), {"TERM": "xterm"})
    assert not progress.wanted(io.StringIO(), {"TERM": "xterm"})
    assert not progress.wanted(FakeTerminal(), {"TERM": "xterm", "CI": "1"})
    assert progress.wanted(FakeTerminal(), {"TERM": "xterm", "CI": "false"})

"""Reading articles as untrusted input: FIFOs, symlinks out of the repository, unreadable folders, size."""
from __future__ import annotations

import os

import pytest

from lintnews.cli import main
from lintnews.config import ConfigError, load_config


def _check(tmp_path, monkeypatch, capsys, *args) -> tuple[int, list[str]]:
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--select", "bad-characters", *args])
    return code, capsys.readouterr().out.splitlines()[:-1]


@pytest.fixture
def repo(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "ok.md").write_text("fine\n", encoding="utf-8")
    return tmp_path


def test_a_fifo_in_a_folder_is_reported_and_never_waited_on(repo, monkeypatch, capsys):
    os.mkfifo(repo / "pipe.md")
    code, lines = _check(repo, monkeypatch, capsys, ".")
    assert (code, lines) == (1, ["pipe.md:1:1: error read-error not a regular file (a named pipe); only files are read"])


def test_a_fifo_named_on_the_command_line_is_a_read_error_not_path_not_found(repo, monkeypatch, capsys):
    os.mkfifo(repo / "pipe.md")
    code, lines = _check(repo, monkeypatch, capsys, "pipe.md", "ok.md")
    assert (code, lines) == (1, ["pipe.md:1:1: error read-error not a regular file (a named pipe); only files are read"])


def test_an_article_symlinked_out_of_the_repository_is_reported_never_read(repo, tmp_path_factory, monkeypatch,
                                                                           capsys):
    secret = tmp_path_factory.mktemp("outside") / "secret.md"
    secret.write_text("TOKEN=\x07hunter2\n", encoding="utf-8")  # a finding would echo it
    os.symlink(secret, repo / "leak.md")
    (repo / "posts").mkdir()
    os.symlink(secret.parent, repo / "posts" / "linked")
    code, lines = _check(repo, monkeypatch, capsys, ".", "posts/linked/secret.md")
    assert (code, lines) == (1, [
        "leak.md:1:1: error read-error a symlink to a file outside the repository: not read",
        "posts/linked/secret.md:1:1: error read-error a symlink to a file outside the repository: not read",
    ])


def test_an_article_symlinked_inside_the_repository_is_read(repo, monkeypatch, capsys):
    (repo / "real.md").write_text("bell \x07\n", encoding="utf-8")
    os.symlink(repo / "real.md", repo / "alias.md")
    code, lines = _check(repo, monkeypatch, capsys, "alias.md")
    assert (code, lines) == (1, ["alias.md:1:6: error bad-characters control character U+0007 BELL"])


def test_an_unreadable_subfolder_is_reported(repo, monkeypatch, capsys):
    import lintnews.files

    (repo / "locked").mkdir()
    (repo / "locked" / "a.md").write_text("---\ntitle: t\n---\n", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):  # as for a folder without read permission (the tests may run as root)
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(lintnews.files.os, "scandir", scandir)
    code, lines = _check(repo, monkeypatch, capsys, ".")
    assert (code, lines) == (1, ["locked:1:1: error read-error cannot read folder: Permission denied"])


def test_a_file_over_max_file_size_is_too_large_not_linted(repo, monkeypatch, capsys):
    (repo / "big.md").write_bytes(b"\x07" * (1024 * 1024 + 1))
    (repo / ".lintnews.yaml").write_text("max-file-size: 1\n", encoding="utf-8")
    code, lines = _check(repo, monkeypatch, capsys, ".")
    assert (code, lines) == (1, ["big.md:1:1: error too-large file is 1.0 MB, larger than max-file-size (1 MB): "
                                 "not linted"])
    code, lines = _check(repo, monkeypatch, capsys, "--max-file-size", "2", ".")
    assert (code, lines) == (1, ["big.md:1:1: error bad-characters control character U+0007 BELL ×1048577"])


@pytest.mark.parametrize("value", [0, -1, "5MB", True, ".inf"])
def test_max_file_size_must_be_a_positive_number(tmp_path, value):
    (tmp_path / ".lintnews.yaml").write_text(f"max-file-size: {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="max-file-size: must be a number of megabytes above 0"):
        load_config(tmp_path / ".lintnews.yaml", tmp_path)


def test_real_paths_resolve_as_realpath_does_folder_by_folder(tmp_path, monkeypatch):
    from lintnews.reading import RealPaths

    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "sub" / "a.md").write_text("a\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "b.md").write_text("b\n", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "sub" / "out.md").symlink_to(tmp_path / "outside" / "b.md")
    (tmp_path / "real" / "sub" / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    monkeypatch.chdir(tmp_path / "real")
    paths = ["sub/a.md", "sub/out.md", "sub/dangling.md", "sub/missing.md", "a.md", "sub/../sub/a.md",
             "../link/sub/a.md", "../link/sub/out.md", "../link/sub/../sub/a.md", "sub/.", "sub/..", "sub/",
             str(tmp_path / "link" / "sub" / "a.md"), "."]
    real_paths = RealPaths()
    for path in paths * 2:  # the second time from what is remembered
        assert real_paths.of(path) == os.path.realpath(path), path


@pytest.mark.parametrize("size, limit, refused", [(0, 1, False), (10, 1, False), (1024 * 1024, 1, False),
                                                  (1024 * 1024 + 1, 1, True), (70_000, None, False)])
def test_a_file_is_read_whole_up_to_its_limit(tmp_path, size, limit, refused):
    from lintnews.reading import ReadRefused, read_article

    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    (tmp_path / "a.md").write_bytes(data)
    if refused:
        with pytest.raises(ReadRefused, match="larger than max-file-size"):
            read_article(str(tmp_path / "a.md"), tmp_path, limit)
    else:
        assert read_article(str(tmp_path / "a.md"), tmp_path, limit) == data


def test_a_file_that_grows_after_it_was_measured_is_read_to_its_end_or_refused(tmp_path, monkeypatch):
    from lintnews import reading

    path = tmp_path / "a.md"
    path.write_bytes(b"a" * 100)
    real_fstat = os.fstat

    def fstat_then_grow(fd):  # the size is taken, then a writer appends
        info = real_fstat(fd)
        with open(path, "ab") as handle:
            handle.write(b"b" * 200_000)
        return info

    monkeypatch.setattr(reading.os, "fstat", fstat_then_grow)
    assert reading.read_article(str(path), tmp_path, None) == b"a" * 100 + b"b" * 200_000
    path.write_bytes(b"a" * 100)
    with pytest.raises(reading.ReadRefused, match="larger than max-file-size"):
        reading.read_article(str(path), tmp_path, 0.1)  # 104,857 bytes: the growth crosses it


def _outcome(read, path, root):
    try:
        return read(path, root, 1)
    except Exception as exc:  # noqa: BLE001 - the kind and the message are what is compared
        return type(exc).__name__, str(exc)


def test_a_file_opened_without_following_a_symlink_reads_or_is_refused_as_with_the_full_check(tmp_path,
                                                                                               monkeypatch):
    from lintnews import reading

    root = tmp_path / "repo"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.md").write_text("a\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "b.md").write_text("b\n", encoding="utf-8")
    (root / "sub" / "in.md").symlink_to(root / "sub" / "a.md")
    (root / "sub" / "out.md").symlink_to(tmp_path / "outside" / "b.md")
    (root / "sub" / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (root / "linked").symlink_to(tmp_path / "outside")
    os.mkfifo(root / "sub" / "pipe.md")
    monkeypatch.chdir(root)
    paths = ["sub/a.md", "sub/in.md", "sub/out.md", "sub/dangling.md", "sub/missing.md", "sub/pipe.md",
             "linked/b.md", "sub/../sub/a.md", "sub/.", "sub", str(root / "sub" / "a.md"),
             str(tmp_path / "outside" / "b.md"), "../outside/b.md"]
    fast = [_outcome(reading.read_article, path, root) for path in paths]
    assert fast[0] == fast[1] == b"a\n" and fast[2] == fast[6] == (
        "ReadRefused", "a symlink to a file outside the repository: not read")
    monkeypatch.setattr(reading, "_NOFOLLOW", 0)  # every file through lstat and the full check
    assert [_outcome(reading.read_article, path, root) for path in paths] == fast


def test_files_are_read_or_refused_with_what_is_known_of_their_folder_as_with_the_check_per_file(tmp_path,
                                                                                                  monkeypatch):
    from lintnews import reading

    root = tmp_path / "repo"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.md").write_text("a\n", encoding="utf-8")
    (root / "sub" / "out.md").symlink_to(tmp_path / "outside" / "b.md")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "b.md").write_text("b\n", encoding="utf-8")
    (tmp_path / "outside" / "in.md").symlink_to(root / "sub" / "a.md")  # outside: read as named
    (tmp_path / "outside" / "away.md").symlink_to(tmp_path / "c.md")
    os.mkfifo(tmp_path / "outside" / "pipe.md")
    (tmp_path / "c.md").write_text("c\n", encoding="utf-8")  # beside the root, in the folder that holds it
    (tmp_path / "rootlink").symlink_to(root)
    (tmp_path / "outlink").symlink_to(tmp_path / "outside")
    monkeypatch.chdir(root)
    paths = ["sub/a.md", "sub/out.md", "../outside/b.md", "../outside/in.md", "../outside/away.md",
             "../outside/pipe.md", "../outside/missing.md", "../outlink/in.md", "../c.md", "../repo",
             str(tmp_path / "repo"), str(tmp_path / "rootlink" / "sub" / "a.md"), "../rootlink/sub/out.md",
             str(tmp_path / "outside" / "in.md"), "a.md", "sub/."]
    refused = ("ReadRefused", "a symlink to a file outside the repository: not read")
    for given_root in (root, tmp_path / "rootlink"):
        shared = reading.RealPaths()  # each folder placed on its first file, then remembered
        placed = [_outcome(lambda path, root, size: reading.read_article(path, root, size, shared), path, given_root)
                  for path in paths * 2]
        assert placed[:5] == [b"a\n", refused, b"b\n", b"a\n", b"c\n"]
        assert placed[5] == ("ReadRefused", "not a regular file (a named pipe); only files are read")
        with monkeypatch.context() as patched:  # every file told by the check in full
            patched.setattr(reading.RealPaths, "placed", lambda self, folder, root: None)
            assert [_outcome(reading.read_article, path, given_root) for path in paths * 2] == placed

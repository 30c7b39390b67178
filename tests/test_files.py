"""Finding article files: display paths and project-relative paths of files outside the working folder,
folder trees nested deeper than Python recurses or the system opens."""
from __future__ import annotations

import json
import os

import pytest

from lintnews.cli import main
from lintnews.files import discover


@pytest.fixture
def tree(tmp_path):
    for relative in ("site/posts/2024/a.md", "site/posts/b.md", "site/c.md", "other/d.md"):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# t\n", encoding="utf-8")
    (tmp_path / "work").mkdir()
    return tmp_path


@pytest.mark.parametrize("cwd, root", [("work", "site"), ("site/posts", "site"), ("other", "work"), ("site", "site"),
                                       ("", ""), ("site/posts/2024", "site/posts"), ("/", "site/posts/2024")])
def test_paths_outside_the_working_folder_are_relpath_s(tree, cwd, root):
    found = discover([str(tree / "site"), str(tree / "other")], tree / root, [], cwd=tree / cwd)
    for source in found:
        absolute = os.path.abspath(source.fs_path)
        assert source.display == os.path.relpath(absolute, tree / cwd).replace(os.sep, "/")
        assert source.relpath == os.path.relpath(absolute, tree / root).replace(os.sep, "/")
    assert sorted(source.display for source in found) == [source.display for source in found]
    assert len(found) == 4


@pytest.fixture
def nested(tmp_path):
    """``nested(depth, name)`` puts an article in ``depth`` folders ``name``, one in another,
    under tmp_path. They are made and removed from the working folder, level by level: the
    whole path may be longer than the system opens, and shutil.rmtree (pytest's clean-up)
    recurses once per level."""
    made = []

    def make(depth: int, name: str = "d") -> None:
        _in_chain(tmp_path, depth, name, lambda: [os.mkdir(name), os.chdir(name)],
                  lambda: open("a.md", "w", encoding="utf-8").write("---\ntitle: Deep\n---\nText.\n"))
        made.append((depth, name))

    yield make
    for depth, name in made:
        _in_chain(tmp_path, depth, name, lambda: os.chdir(name), lambda: os.unlink("a.md"),
                  lambda: [os.chdir(".."), os.rmdir(name)])


def _in_chain(top, depth, name, down, at_bottom, up=lambda: None) -> None:
    here = os.getcwd()
    os.chdir(top)
    try:
        for _ in range(depth):
            down()
        at_bottom()
        for _ in range(depth):
            up()
    finally:
        os.chdir(here)


def test_a_tree_nested_a_thousand_folders_deep_is_walked_whole(tmp_path, nested, capsys):
    nested(1000)
    (tmp_path / "top.md").write_text("---\ntitle: Top\n---\nText.\n", encoding="utf-8")
    found = discover([str(tmp_path)], tmp_path, [], cwd=tmp_path)
    assert [(source.relpath, source.error) for source in found] == [("d/" * 1000 + "a.md", None), ("top.md", None)]
    code = main(["check", "--no-cache", "--jobs", "1", "--select", "front-matter-required", str(tmp_path)])
    out, err = capsys.readouterr()
    shown = os.path.relpath(tmp_path, os.getcwd())
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == (f"{shown}/{'d/' * 1000}a.md:1:1: error front-matter-required required key "
                                   "'author' or 'authors' is missing")
    assert out.splitlines()[-1] == "Found 4 problems (4 errors, 0 warnings, 0 info) in 2 files (2 files checked)."
    code = main(["init", "--stdout", str(tmp_path)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "") and "after reading 2 articles" in out


def test_a_folder_too_deep_to_open_is_a_read_error_and_the_rest_is_checked(tmp_path, nested, capsys):
    nested(1500, "dd")  # 4,500 characters: longer than a path the system opens
    (tmp_path / "top.md").write_text("---\ntitle: Top\n---\nText.\n", encoding="utf-8")
    code = main(["check", "--no-cache", "--jobs", "1", "--select", "front-matter-required", "--output-format", "json",
                 str(tmp_path)])
    out, err = capsys.readouterr()
    findings = json.loads(out)
    assert (code, err) == (1, "")
    unread = findings[0]
    assert (unread["rule"], unread["line"], unread["column"], unread["message"]) == (
        "read-error", 1, 1, "cannot read folder: File name too long")
    assert unread["path"].startswith(f"{os.path.relpath(tmp_path, os.getcwd())}/dd/dd/")
    assert [(finding["path"].rsplit("/", 1)[-1], finding["rule"]) for finding in findings[1:]] == [
        ("top.md", "front-matter-required"), ("top.md", "front-matter-required")]

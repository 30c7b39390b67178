"""Finding article files: display paths and project-relative paths of files outside the working folder."""
from __future__ import annotations

import os

import pytest

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

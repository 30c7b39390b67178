"""Image paths on the file system: symlinks out of the repository, and messages that reveal nothing."""
import os
import subprocess
import sys

import pytest

from lintnews.testing import lint_string


def test_a_symlink_pointing_outside_is_reported_without_revealing_its_target(tmp_path):
    project, outside = tmp_path / "project", tmp_path / "secret"
    project.mkdir()
    outside.mkdir()
    (outside / "exists.png").write_bytes(b"\x89PNG")
    os.symlink(outside, project / "img")
    text = '<img src="img/exists.png" alt="a">\n<img src="img/missing.png" alt="b">\n'
    findings = lint_string(text, ["image-broken"], root=project)
    assert [(f.line, f.column, f.message) for f in findings] == [
        (1, 6, "image path 'img/exists.png' leaves the repository"),
        (2, 6, "image path 'img/missing.png' leaves the repository"),
    ]


def test_a_symlink_inside_the_repository_is_followed(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.png").write_bytes(b"\x89PNG")
    os.symlink(tmp_path / "assets", tmp_path / "img")
    assert lint_string('<img src="img/a.png" alt="a">\n', ["image-broken"], root=tmp_path) == []


def test_an_image_file_that_is_itself_a_symlink_is_resolved_in_every_article_of_its_folder(tmp_path):
    # the folder's real path is worked out once per run; the file's own link still counts
    from lintnews.testing import lint_files

    project, outside = tmp_path / "project", tmp_path / "secret"
    (project / "img").mkdir(parents=True)
    outside.mkdir()
    (outside / "out.png").write_bytes(b"\x89PNG")
    (project / "assets").mkdir()
    (project / "assets" / "in.png").write_bytes(b"\x89PNG")
    os.symlink(outside / "out.png", project / "img" / "out.png")
    os.symlink(project / "assets" / "in.png", project / "img" / "in.png")
    (project / "img" / "plain.png").write_bytes(b"\x89PNG")
    articles = {"a.md": "![a](img/plain.png)\n![b](img/out.png)\n",
                "b.md": "![c](img/in.png)\n![d](img/plain.png)\n![e](img/out.png)\n"}
    findings = lint_files(articles, ["image-broken"], root=project)
    assert [(f.path, f.line, f.column, f.message) for f in findings] == [
        ("a.md", 2, 6, "image path 'img/out.png' leaves the repository"),
        ("b.md", 3, 6, "image path 'img/out.png' leaves the repository"),
    ]


def test_the_same_message_whether_or_not_the_target_exists(tmp_path):
    project = tmp_path / "project"
    (project / "posts").mkdir(parents=True)
    (tmp_path / "exists.png").write_bytes(b"\x89PNG")
    findings = lint_string('<img src="../../exists.png" alt="a">\n<img src="../../nope.png" alt="b">\n',
                           ["image-broken"], path="posts/a.md", root=project)
    assert [f.message for f in findings] == ["image path '../../exists.png' leaves the repository",
                                             "image path '../../nope.png' leaves the repository"]


def test_a_nul_in_an_image_path_is_a_finding_and_the_other_images_are_still_checked(tmp_path):
    text = '![a](a%00.png)\n<img src="b\x00.png" alt="b">\n![c](gone.png)\n'
    findings = lint_string(text, ["image-broken", "image-unverified"], root=tmp_path)
    assert [(f.line, f.column, f.rule, f.message) for f in findings] == [
        (1, 6, "image-broken", "image path 'a%00.png' holds a NUL character, which no file name can"),
        (2, 6, "image-broken", "image path 'b\\x00.png' holds a NUL character, which no file name can"),
        (3, 6, "image-broken", "image not found: 'gone.png' (looked in the article's folder)"),
    ]


def test_an_over_long_image_path_is_a_finding(tmp_path):
    name = "a" * 300 + ".png"
    deep = "/".join(["abcdefgh"] * 600) + ".png"
    findings = lint_string(f"![a]({name})\n![b]({deep})\n", ["image-broken"], root=tmp_path)
    assert [(f.line, f.column) for f in findings] == [(1, 6), (2, 6)]
    assert all(f.message.endswith("is longer than any file name can be") for f in findings)


def test_no_path_with_a_lone_surrogate_reaches_the_file_system():
    from lintnews.rules.image_paths import unusable_path

    assert unusable_path("a\ud800.png") == "holds a lone surrogate, which no file name can"
    assert unusable_path("img/photo.png") is None


def test_a_reference_differing_from_the_file_only_in_unicode_normalisation_says_so(tmp_path):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "café.png")  # as macOS writes names
    (tmp_path / decomposed).write_bytes(b"\x89PNG")
    findings = lint_string("![a](café.png)\n", ["image-broken"], root=tmp_path)
    assert [(f.line, f.column, f.message) for f in findings] == [
        (1, 6, f"image not found: 'café.png'; the file on disk is {decomposed!r}, the same name in another "
               "Unicode normalisation (NFC/NFD): rename the file or retype the reference")]


def test_a_folder_is_listed_once_per_run_and_afresh_in_the_next(tmp_path, monkeypatch):
    from lintnews.rules.image_paths import LocalFiles
    from lintnews.testing import lint_files

    listed = []
    monkeypatch.setattr(LocalFiles, "listdir", staticmethod(lambda folder: listed.append(folder) or os.listdir(folder)))
    (tmp_path / "img").mkdir()
    for name in ("Photo.png", "other.png", "third.png"):
        (tmp_path / "img" / name).write_bytes(b"\x89PNG")
    articles = {"a.md": "![a](img/photo.png)\n", "b.md": "![b](img/PHOTO.png)\n![c](img/Other.png)\n"}
    findings = lint_files(articles, ["image-broken"], root=tmp_path)
    assert [(f.path, f.line, f.column, f.message) for f in findings] == [
        ("a.md", 1, 6, "image not found: 'img/photo.png'; the file on disk is 'img/Photo.png' (case differs)"),
        ("b.md", 1, 6, "image not found: 'img/PHOTO.png'; the file on disk is 'img/Photo.png' (case differs)"),
        ("b.md", 2, 6, "image not found: 'img/Other.png'; the file on disk is 'img/other.png' (case differs)"),
    ]
    assert listed.count(str(tmp_path / "img")) == 1
    (tmp_path / "img" / "Photo.png").rename(tmp_path / "img" / "photo.png")  # the next run sees the disk anew
    findings = lint_files({"a.md": articles["a.md"]}, ["image-broken"], root=tmp_path)
    assert findings == []


def test_the_image_rules_read_one_list_of_images_and_each_still_gets_its_own_findings(tmp_path):
    # image-broken, image-unverified and tracking-pixel share the article's images: together they
    # must give what each gives alone (image-root-unknown's count is checked by its case file)
    text = ('---\nheadimg: "//n.sinaimg.cn/a.png"\n---\n<img src="gone.png" alt="a">\n'
            '<source srcset="b.png 2x">\n<img src="https://beacon.sina.com.cn/a.gif" alt="">\n![c](/d.png)\n')
    rules = ["image-broken", "image-unverified", "tracking-pixel"]
    together = [(f.rule, f.line, f.column) for f in lint_string(text, rules, root=tmp_path)]
    alone = [(f.rule, f.line, f.column) for rule in rules for f in lint_string(text, [rule], root=tmp_path)]
    assert sorted(together) == sorted(alone) == sorted([
        ("image-unverified", 2, 10), ("image-broken", 4, 6), ("image-broken", 5, 9), ("tracking-pixel", 6, 1)])


def test_an_image_url_after_white_space_resolves_to_the_file_a_reader_sees(tmp_path):
    # CommonMark skips spaces (and one line break) before a link destination, and a browser strips
    # an attribute URL of the ASCII white space around it: these images all show images/x.png
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "x.png").write_bytes(b"\x89PNG")
    text = ("![a]( images/x.png)\n\n![b](\n  images/x.png)\n\n<img src=\" images/x.png\" alt=\"c\">\n\n"
            "<img src=\"\timages/x.png \" alt=\"d\">\n\n![e][r]\n\n[r]:  images/x.png\n\n![f](images/y.png)\n")
    findings = lint_string(text, ["image-broken"], root=tmp_path)
    assert [(f.line, f.column, f.message) for f in findings] == [
        (14, 6, "image not found: 'images/y.png' (looked in the article's folder)")]


def test_a_reference_definition_with_its_url_on_the_next_line_defines_the_image(tmp_path):
    # "[r]:" then the URL on the next line is a definition in CommonMark; after a blank line it is not
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "x.png").write_bytes(b"\x89PNG")
    # (a next line that opens with "[" is the next definition of a list with a gap in it)
    text = ("![a][r]\n\n[r]:\n  images/x.png\n\n![b][s]\n\n[s]:\n\nimages/x.png\n\n![c][t]\n\n[t]:\nimages/y.png\n\n"
            "![d][u]\n![e][v]\n\n[u]:\n[v]: images/x.png\n")
    findings = lint_string(text, ["image-broken"], root=tmp_path)
    assert [(f.line, f.column, f.message) for f in findings] == [
        (6, 1, "image reference is not defined"),
        (15, 1, "image not found: 'images/y.png' (looked in the article's folder)"),
        (17, 1, "image reference is not defined")]


def test_a_placeholder_host_and_a_video_page_say_what_the_image_is_and_what_to_do(tmp_path):
    text = ("![a](https://example.com/imgs/zoom/603996.jpg)\n"
            "![b](//cdn.news.example/b.png)\n"
            "![c](https://www.youtube.com/embed/c3ljNZsBOxE?rel=0)\n")
    findings = lint_string(text, ["image-broken", "image-unverified"], root=tmp_path)
    assert [(f.line, f.column, f.rule, f.message) for f in findings] == [
        (1, 6, "image-broken", "image URL 'https://example.com/imgs/zoom/603996.jpg' points at example.com, a name "
                               "kept for examples that serves no image: put back the image's real address"),
        (2, 6, "image-broken", "image URL '//cdn.news.example/b.png' points at cdn.news.example, a name kept for "
                               "examples that serves no image: put back the image's real address"),
        (3, 6, "image-broken", "image URL 'https://www.youtube.com/embed/c3ljNZsBOxE?rel=0' is a YouTube video "
                               "page, not an image: embed the video (<iframe>) or link to it"),
    ]


def test_a_front_matter_image_mapping_keyed_by_a_date_is_a_finding_not_a_crash(tmp_path):
    text = "---\ntitle: t\nimage: {2024-01-01: a}\ncover: {image: {7: b}}\n---\nBody.\n"
    findings = lint_string(text, ["image-broken", "image-unverified", "image-root-unknown"], root=tmp_path)
    assert [(f.line, f.column, f.rule, f.message) for f in findings] == [
        (3, 8, "image-broken", 'front-matter image is {"2024-01-01": "a"}, not an image URL'),
        (4, 16, "image-broken", 'front-matter cover.image is {"7": "b"}, not an image URL'),
    ]


def test_a_missing_image_folder_is_one_finding_for_the_run_in_every_executor(tmp_path):
    """The folder an archive's images were in, never committed: one finding, not one per image; an
    article first to use two missing folders names both."""
    for n in range(30):
        (tmp_path / f"{n:02}.md").write_text(f"Story {n}.\n\n![A](media/{n}-a.png)\n<img src=\"media/{n}-b.png\" alt=\"b\">\n"
                                             f"![C](/uploads/{n}.png)\n", encoding="utf-8")
    (tmp_path / "static").mkdir()
    (tmp_path / "05.md").write_text("![A](pics/a.png)\n![B](pics/b.png)\n", encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        result = subprocess.run([sys.executable, "-m", "lintnews", "check", ".", "--isolated", "--no-cache",
                                 "--jobs", jobs, "--select", "image-broken,image-folder-missing"],
                                cwd=tmp_path, capture_output=True, text=True, timeout=120)
        outputs.append(result.stdout)
        assert result.returncode == 1, result.stderr
    assert outputs[0] == outputs[1]
    assert outputs[0].splitlines()[:-1] == [
        "00.md:3:6: error image-folder-missing image folder 'media/' does not exist: 'media/0-a.png' and 57 more "
        "images in 29 articles point into it; image folder 'static/uploads/' does not exist: '/uploads/0.png' and "
        "28 more images in 29 articles point into it; commit the folders or correct the paths",
        "05.md:1:6: error image-folder-missing image folder 'pics/' does not exist: 'pics/a.png' and 1 more image "
        "point into it; commit the folder or correct the paths",
    ]


def test_a_web_address_that_lost_its_form_says_so(tmp_path):
    findings = lint_string("![A](https//cdn.163.com/a.png)\n![B](https：//cdn.163.com/b.png)\n",
                           ["image-broken"], root=tmp_path)
    assert [(f.line, f.column, f.message) for f in findings] == [
        (1, 6, "malformed image URL 'https//cdn.163.com/a.png': a web address, not written as one (https://host/path)"),
        (2, 6, "malformed image URL 'https：//cdn.163.com/b.png': a web address, not written as one (https://host/path)")]


def test_an_article_first_to_use_many_missing_folders_names_three_and_counts_the_rest(tmp_path):
    text = "".join(f"![{n}](folder{n}/a.png)\n" for n in range(6))
    findings = lint_string(text, ["image-folder-missing"], root=tmp_path)
    assert [(f.line, f.column, f.message) for f in findings] == [
        (1, 6, "image folder 'folder0/' does not exist: 'folder0/a.png' points into it; image folder 'folder1/' does "
               "not exist: 'folder1/a.png' points into it; image folder 'folder2/' does not exist: 'folder2/a.png' "
               "points into it; and 3 more missing folders; commit the folders or correct the paths")]


def test_a_missing_folder_whose_name_starts_with_two_dots_is_named_relative_to_the_project_root(tmp_path):
    findings = lint_string("![a](..media/a.png)\n![b](.../b.png)\n", ["image-folder-missing"], path="a.md",
                           root=tmp_path)
    assert [(f.line, f.column, f.message) for f in findings] == [
        (1, 6, "image folder '..media/' does not exist: '..media/a.png' points into it; image folder '.../' does "
               "not exist: '.../b.png' points into it; commit the folders or correct the paths")]


def test_a_name_in_the_way_that_is_no_folder_is_not_a_missing_folder(tmp_path):
    # a file, a link to nothing, a link to itself: the name is taken, there is no folder to commit
    (tmp_path / "media").write_text("not a folder", encoding="utf-8")
    os.symlink("nowhere", tmp_path / "dangling")
    os.symlink("loop", tmp_path / "loop")
    text = "![a](media/a.png)\n![b](dangling/b.png)\n![c](loop/c.png)\n"
    findings = lint_string(text, ["image-broken", "image-folder-missing"], root=tmp_path)
    assert [(f.line, f.column, f.rule, f.message) for f in findings] == [
        (1, 6, "image-broken", "image not found: 'media/a.png' (looked in the article's folder)"),
        (2, 6, "image-broken", "image not found: 'dangling/b.png' (looked in the article's folder)"),
        (3, 6, "image-broken", "image not found: 'loop/c.png' (looked in the article's folder)")]


def test_a_folder_that_cannot_be_read_is_not_said_to_be_missing(tmp_path, monkeypatch):
    (tmp_path / "locked" / "sub").mkdir(parents=True)
    if os.geteuid() == 0:  # root reads every folder: the folder answers as it answers anyone else
        from lintnews.rules import image_paths

        locked, isdir, listdir = str(tmp_path / "locked"), os.path.isdir, os.listdir

        def refused(path):
            if os.fspath(path) == locked:
                raise PermissionError(13, "Permission denied", path)
            return listdir(path)
        monkeypatch.setattr(image_paths.LocalFiles, "isdir",
                            staticmethod(lambda path: not os.fspath(path).startswith(locked + os.sep) and isdir(path)))
        monkeypatch.setattr(image_paths.LocalFiles, "listdir", staticmethod(refused))
    (tmp_path / "locked").chmod(0)
    try:
        findings = lint_string("![a](locked/sub/a.png)\n", ["image-broken", "image-folder-missing"], root=tmp_path)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert [(f.line, f.column, f.rule) for f in findings] == [(1, 6, "image-broken")]


def test_a_folder_named_like_a_scheme_is_a_folder(tmp_path):
    (tmp_path / "http").mkdir()
    (tmp_path / "http" / "other.png").write_bytes(b"\x89PNG")
    text = "![a](http/a.png)\n![b](ftp/b.png)\n![c](https//cdn.163.com/c.png)\n"
    findings = lint_string(text, ["image-broken", "image-folder-missing"], root=tmp_path)
    assert [(f.line, f.column, f.rule, f.message) for f in findings] == [
        (1, 6, "image-broken", "image not found: 'http/a.png' (looked in the article's folder)"),
        (2, 6, "image-folder-missing", "image folder 'ftp/' does not exist: 'ftp/b.png' points into it; "
                                       "commit the folder or correct the paths"),
        (3, 6, "image-broken", "malformed image URL 'https//cdn.163.com/c.png': a web address, not written as one "
                               "(https://host/path)")]


def test_a_url_with_one_slash_after_its_scheme_says_so(tmp_path):
    text = "![a](https:/cdn.163.com/a.png)\n![b](https:///a.png)\n"
    findings = lint_string(text, ["image-broken"], root=tmp_path)
    assert [(f.line, f.column, f.message) for f in findings] == [
        (1, 6, "malformed image URL 'https:/cdn.163.com/a.png': one slash after 'https:' (write 'https://')"),
        (2, 6, "malformed image URL 'https:///a.png': no host")]

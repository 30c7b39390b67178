"""front-matter-required and what a site generator gives an article besides its front matter:
Jekyll's defaults, a site's author (Jekyll, Hexo, Hugo), Eleventy's directory data."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lintnews.testing import lint_files

POST = "---\ntitle: Notes on caching\ndate: 2023-05-01\n---\n\nText.\n"
MISSING = "required key 'author' or 'authors' is missing"


def missing(files: dict[str, str], *articles: str) -> list[tuple[str, int, int, str]]:
    """front-matter-required's findings on ``articles`` (default: every Markdown file)."""
    lint = list(articles) or [name for name in files if name.endswith(".md")]
    return [(f.path, f.line, f.column, f.message) for f in lint_files(files, ["front-matter-required"], lint=lint)]


JEKYLL_DEFAULTS = """title: My Blog
defaults:
  - scope: {path: "", type: posts}
    values: {author: Jane Doe, layout: post}
  - scope: {path: "guides"}
    values: {author: Docs Team}
"""


def test_jekylls_defaults_give_the_posts_their_scope_takes_in_an_author():
    files = {"_config.yml": JEKYLL_DEFAULTS, "_posts/2023-05-01-caching.md": POST, "about.md": POST,
             "guides/setup.md": POST, "guides-old/setup.md": POST, "_drafts/idea.md": POST}
    assert missing(files) == [(path, 1, 1, MISSING) for path in ("_drafts/idea.md", "about.md", "guides-old/setup.md")]


@pytest.mark.parametrize("scope, given", [
    ('{path: "_posts/2023", type: posts}', {"_posts/2023/2023-01-01-a.md", "_posts/2023/special/2023-01-01-b.md"}),
    ('{path: "_posts/*/special"}', {"_posts/2023/special/2023-01-01-b.md"}),
    ("{type: drafts}", {"_drafts/c.md"}),
    ("{type: pages}", {"page.md"}),
    ("{type: recipes}", {"_recipes/soup.md"}),  # a collection's
])
def test_a_jekyll_defaults_scope_is_read_as_jekyll_reads_it(scope, given):
    articles = ["_posts/2022/2022-01-01-a.md", "_posts/2023/2023-01-01-a.md", "_posts/2023/special/2023-01-01-b.md",
                "_drafts/c.md", "page.md", "_recipes/soup.md"]
    files = {"_config.yml": f"defaults:\n  - scope: {scope}\n    values: {{author: A}}\n", **dict.fromkeys(articles, POST)}
    assert missing(files) == [(path, 1, 1, MISSING) for path in sorted(set(articles) - given)]


@pytest.mark.parametrize("config", ["author: Jane Doe\n", "author:\n  name: Jane Doe\n  email: jane@example.org\n",
                                    "author: [Jane Doe, John Roe]\n"])
def test_a_site_wide_author_in_jekylls_or_hexos_config_credits_every_post(config):
    assert missing({"_config.yml": config, "_posts/2023-05-01-a.md": POST}) == []
    assert missing({"_config.yml": config, "scaffolds/post.md": "", "source/_posts/a.md": POST},
                   "source/_posts/a.md") == []  # Hexo's


@pytest.mark.parametrize("config, value", [("author: John Doe\n", "John Doe"), ("author: TODO\n", "TODO")])
def test_a_site_author_left_as_the_generators_placeholder_credits_nobody(config, value):
    assert missing({"_config.yml": config, "scaffolds/post.md": "", "source/_posts/a.md": POST},
                   "source/_posts/a.md") == [
        ("source/_posts/a.md", 1, 1, f"{MISSING} (the site gives {value!r}, a placeholder)")]


@pytest.mark.parametrize("config", ["author: ''\n", "author: {email: jane@example.org}\n", "author: []\n",
                                    "title: [unclosed\n", "- a list\n", "\x00\n"])
def test_a_config_without_an_author_or_broken_gives_none(config):
    assert missing({"_config.yml": config, "_posts/2023-05-01-a.md": POST}) == [
        ("_posts/2023-05-01-a.md", 1, 1, MISSING)]


@pytest.mark.parametrize("name, config", [
    ("hugo.toml", '[params]\nauthor = "Jane Doe"\n'),
    ("hugo.toml", '[params.author]\nname = "Jane Doe"\n'),
    ("hugo.yaml", "params:\n  author: Jane Doe\n"),
    ("hugo.json", '{"author": {"name": "Jane Doe"}}'),
    ("config.toml", 'author = "Jane Doe"\n'),  # beside content/
    ("config/_default/params.toml", 'author = "Jane Doe"\n'),
])
def test_hugos_site_author_credits_every_page(name, config):
    assert missing({name: config, "content/posts/a.md": POST}) == []


def test_a_config_toml_without_hugos_content_folder_is_no_hugo_site():
    assert missing({"config.toml": 'author = "Jane Doe"\n', "posts/a.md": POST}) == [("posts/a.md", 1, 1, MISSING)]


def test_eleventys_directory_data_gives_the_folders_templates_their_keys():
    files = {"eleventy.config.js": "export default function () {}\n", "posts/posts.json": '{"author": "Jane Doe"}',
             "posts/a.md": POST, "notes/notes.11tydata.json": '{"author": ["Jane"]}', "notes/deep/b.md": POST,
             "pages/c.md": POST}
    assert missing(files) == [("pages/c.md", 1, 1, MISSING)]
    del files["eleventy.config.js"]  # no Eleventy site: a folder's JSON file is just a file
    assert [path for path, *_ in missing(files)] == ["notes/deep/b.md", "pages/c.md", "posts/a.md"]


def test_the_nearest_site_above_the_article_is_read():
    files = {"_config.yml": "author: Outer\n", "blog/_config.yml": "title: Inner\n", "blog/_posts/2023-01-01-a.md": POST,
             "_posts/2023-01-01-b.md": POST}
    assert missing(files) == [("blog/_posts/2023-01-01-a.md", 1, 1, MISSING)]


def test_an_empty_author_in_the_front_matter_stays_empty():
    post = "---\ntitle: A\ndate: 2023-05-01\nauthor: ''\n---\n\nText.\n"
    assert missing({"_config.yml": "author: Jane\n", "_posts/2023-05-01-a.md": post}) == [
        ("_posts/2023-05-01-a.md", 4, 1, "required key 'author' is empty")]


def test_a_config_that_leaves_the_repository_is_not_read(tmp_path):
    outside = tmp_path / "outside.yml"
    outside.write_text("author: Someone Else\n")
    root = tmp_path / "repo"
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").symlink_to(outside)
    found = lint_files({"_posts/2023-05-01-a.md": POST}, ["front-matter-required"], root=root)
    assert [(f.line, f.column, f.message) for f in found] == [(1, 1, MISSING)]


def test_an_edited_config_is_read_again_though_the_posts_are_unchanged(tmp_path):
    root = tmp_path / "blog"
    (root / "_posts").mkdir(parents=True)
    (root / "_posts" / "2023-05-01-a.md").write_text(POST)
    env = {**os.environ, "LINTNEWS_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("LINTNEWS_DEBUG", None)

    def check() -> str:
        return subprocess.run([sys.executable, "-m", "lintnews", "check", "--select", "front-matter-required"],
                              cwd=root, capture_output=True, text=True, env=env).stdout

    assert MISSING in check()
    (root / "_config.yml").write_text("title: Blog\nauthor: Jane\n")  # added
    assert MISSING not in check()
    (root / "_config.yml").write_text("title: Blog\n")  # edited
    assert MISSING in check()
    (root / "_posts" / "_config.yml").write_text("author: Jane\n")  # added nearer the post
    assert MISSING not in check()
    (root / "_posts" / "_config.yml").unlink()
    assert MISSING in check()
    assert list(Path(tmp_path / "cache").rglob("*"))  # the runs kept their results there


def test_a_new_post_beside_one_the_site_credits_leaves_its_cached_result_standing(tmp_path, monkeypatch, capsys):
    from lintnews import cli
    from lintnews.execute import executors

    root = tmp_path / "blog"
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text("title: Blog\nauthor: Jane\n")
    (root / "_posts" / "2023-05-01-a.md").write_text(POST)
    linted = []
    original = executors.map_file
    monkeypatch.setattr(executors, "map_file", lambda source, *args, **kwargs: linted.append(source.display)
                        or original(source, *args, **kwargs))
    monkeypatch.chdir(root)
    monkeypatch.setenv("LINTNEWS_CACHE_DIR", str(tmp_path / "cache"))
    assert cli.main(["check", "--select", "front-matter-required"]) == 0
    (root / "_posts" / "2023-06-01-b.md").write_text(POST)
    assert cli.main(["check", "--select", "front-matter-required"]) == 0
    assert linted == ["_posts/2023-05-01-a.md", "_posts/2023-06-01-b.md"]  # the first post, once
    (root / "_posts" / "_config.yml").write_text("title: Posts\n")  # a site of its own, without an author
    assert cli.main(["check", "--select", "front-matter-required"]) == 1
    assert MISSING in capsys.readouterr().out


def test_a_sites_configuration_is_parsed_once_a_run_for_every_folder_below_it(monkeypatch):
    from lintnews.rules import site_defaults

    parsed = []
    real = site_defaults.read_yaml
    monkeypatch.setattr(site_defaults, "read_yaml", lambda text: parsed.append(text) or real(text))
    files = {"_config.yml": "author: Jane\n", **{f"_posts/{year}/{year}-01-01-a.md": POST for year in range(2020, 2024)}}
    assert missing(files) == []
    assert parsed == ["author: Jane\n"]


@pytest.mark.parametrize("before, reported", [(99, False), (100, True)])
def test_jekylls_defaults_are_read_up_to_the_hundredth(before, reported):
    # each default is matched against every article that lacks a key: a configuration of
    # thousands (18,000 fit in 1 MB) would take a second or more an article
    config = "defaults:\n" + '  - scope: {path: "elsewhere"}\n    values: {layout: a}\n' * before \
        + '  - scope: {path: ""}\n    values: {author: Jane}\n'
    found = missing({"_config.yml": config, "_posts/2023-01-01-a.md": POST})
    assert found == ([("_posts/2023-01-01-a.md", 1, 1, MISSING)] if reported else [])


@pytest.mark.parametrize("path, reported", [("*" * 100, False), ("*" * 101, True), ("_posts/" + "a" * 200, True)])
def test_a_jekyll_defaults_glob_is_read_up_to_a_hundred_characters(path, reported):
    # a glob is compiled to a regular expression: a hundred of 8,000 characters took 10 s
    config = f"defaults:\n  - scope: {{path: '{path}'}}\n    values: {{author: Jane}}\n"
    found = missing({"_config.yml": config, "_posts/2023-01-01-a.md": POST})
    assert found == ([("_posts/2023-01-01-a.md", 1, 1, MISSING)] if reported else [])


# -- Hugo's cascade: keys a section (or the site) gives the pages below it --

HUGO = {"hugo.toml": 'title = "Blog"\n'}


@pytest.mark.parametrize("section", [
    "---\ntitle: Posts\ncascade:\n  author: Jane Doe\n---\n",  # YAML
    '+++\ntitle = "Posts"\n[cascade]\nauthor = "Jane Doe"\n+++\n',  # TOML
    '{\n  "title": "Posts",\n  "cascade": {"author": "Jane Doe"}\n}\n',  # JSON
    "---\ncascade:\n  - author: Jane Doe\n---\n",  # a list of entries
    "---\ncascade:\n  - target: {path: /posts/**}\n    author: Jane Doe\n---\n",
    "---\ncascade:\n  - _target: {path: '/posts/{2022,2023}/*', kind: page}\n    author: Jane Doe\n---\n",
    "---\ncascade:\n  params:\n    author: Jane Doe\n---\n",  # a page's own keys under params
    "---\ncascade:\n  - target: {kind: '{page,section}'}\n    author: Jane Doe\n---\n",  # kind, a glob
    "---\ncascade:\n  - target: {kind: '*', path: '/posts/**'}\n    author: Jane Doe\n---\n",
])
def test_a_sections_cascade_gives_the_pages_below_it_their_keys(section):
    files = {**HUGO, "content/posts/_index.md": section, "content/posts/2023/a.md": POST,
             "content/posts/2023/trip/index.md": POST, "content/about.md": POST}
    assert missing(files, "content/posts/2023/a.md", "content/posts/2023/trip/index.md", "content/about.md") == [
        ("content/about.md", 1, 1, MISSING)]


@pytest.mark.parametrize("target", ["{path: /news/**}", "{path: '/posts/*'}", "{kind: section}", "{path: '/POSTS/2023'}"])
def test_a_cascade_whose_target_misses_the_page_gives_it_nothing(target):
    files = {**HUGO, "content/_index.md": f"---\ncascade:\n  - target: {target}\n    author: Jane\n---\n",
             "content/posts/2023/a.md": POST}
    assert missing(files, "content/posts/2023/a.md") == [("content/posts/2023/a.md", 1, 1, MISSING)]


# nine levels of ten aliases: 10⁹ values once expanded, in a few hundred bytes that load at once
_BOMB = "".join(f"{a}: &{a} [{', '.join([f'*{b}' if b else '[]'] * 10)}]\n"
                for b, a in zip(["", *"abcdefgh"], "abcdefghi"))


@pytest.mark.parametrize("files", [
    {"_config.yml": _BOMB + "author: *i\n"},
    {"_config.yml": "author: &a [*a]\n"},  # a list holding itself
    {"_config.yml": _BOMB + "defaults:\n  - scope: {path: ''}\n    values: {author: *i}\n"},
    {"hugo.yaml": _BOMB + "cascade:\n  author: *i\n"},
    {"hugo.yaml": _BOMB + "cascade:\n  - target: {kind: *i}\n    author: Jane\n"},  # a kind that is no text
    {".eleventy.js": "", "posts/posts.json": '{"author": ' + "[" * 900 + '"Jane"' + "]" * 900 + "}"},  # 900 deep
])
def test_a_config_value_front_matter_could_not_hold_gives_nothing(files):
    article = "content/posts/a.md" if "hugo.yaml" in files else "posts/a.md" if ".eleventy.js" in files \
        else "_posts/2023-05-01-a.md"
    assert missing({**files, article: POST}) == [(article, 1, 1, MISSING)]


@pytest.mark.parametrize("before, reported", [(99, False), (100, True)])
def test_a_page_takes_in_the_first_hundred_cascade_entries_from_the_top_down(before, reported):
    # each entry's globs are matched against every page below: a page a thousand sections deep,
    # each cascading ten entries, took 50 s
    miss = "  - target: {path: /nowhere}\n    author: Jane\n"
    files, folder = dict(HUGO), "content"
    for count in (10,) * (before // 10) + (before % 10,):
        folder += "/s"
        files[f"{folder}/_index.md"] = "---\ncascade:\n" + miss * count + "---\n"
    files[f"{folder}/s/_index.md"] = "---\ncascade: {author: Jane}\n---\n"
    files[f"{folder}/s/a.md"] = POST
    assert missing(files, f"{folder}/s/a.md") == ([(f"{folder}/s/a.md", 1, 1, MISSING)] if reported else [])


def test_a_cascade_is_hugos_alone_and_not_for_its_own_section_page():
    section = "---\ntitle: Posts\ndate: 2023-05-01\ncascade:\n  author: Jane\n---\n"
    found = lint_files({**HUGO, "content/posts/_index.md": section}, ["front-matter-required"],
                       {"front-matter-required": {"exempt-files": []}},  # section pages checked too
                       lint=["content/posts/_index.md"])
    assert [(f.path, f.line, f.column, f.message) for f in found] == [("content/posts/_index.md", 1, 1, MISSING)]
    # no Hugo configuration: an _index.md is a page like any other
    assert missing({"content/posts/_index.md": section, "content/posts/a.md": POST}, "content/posts/a.md") == [
        ("content/posts/a.md", 1, 1, MISSING)]


def test_the_nearest_cascade_wins_and_the_sites_own_counts_too():
    files = {"hugo.toml": '[cascade]\nauthor = "Site Team"\n', "content/news/a.md": POST,
             "content/_index.md": "---\ncascade:\n  author: ''\n---\n",  # emptied for every page
             "content/posts/_index.md": "---\ncascade:\n  author: Jane\n---\n", "content/posts/b.md": POST,
             "content/custom/c.md": POST}
    assert missing(files) == [("content/custom/c.md", 1, 1, MISSING), ("content/news/a.md", 1, 1, MISSING)]
    files["content/_index.md"] = "---\ntitle: Home\n---\n"
    assert missing(files) == []
    # a site whose content is elsewhere
    assert missing({"hugo.toml": 'contentDir = "pages"\n', "pages/_index.md": "---\ncascade: {author: A}\n---\n",
                    "pages/a.md": POST}, "pages/a.md") == []


def test_an_edited_section_cascade_is_read_again(tmp_path):
    root = tmp_path / "site"
    (root / "content" / "posts").mkdir(parents=True)
    (root / "hugo.toml").write_text('title = "Blog"\n')
    (root / "content" / "posts" / "a.md").write_text(POST)
    env = {**os.environ, "LINTNEWS_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("LINTNEWS_DEBUG", None)

    def check() -> str:
        return subprocess.run([sys.executable, "-m", "lintnews", "check", "content/posts/a.md", "--select",
                               "front-matter-required"], cwd=root, capture_output=True, text=True, env=env).stdout

    assert MISSING in check()
    (root / "content" / "_index.md").write_text("---\ncascade:\n  author: Jane\n---\n")  # added above
    assert MISSING not in check()
    (root / "content" / "posts" / "_index.md").write_text("---\ncascade:\n  author: ''\n---\n")  # in its own folder
    assert MISSING in check()
    (root / "content" / "posts" / "_index.md").write_text("---\ntitle: Posts\n---\n")  # edited
    assert MISSING not in check()


def test_hugos_path_glob_reads_as_hugo_reads_it():
    from lintnews.rules.site_defaults import _target_globs

    def matches(pattern: str, path: str) -> bool:
        return any(glob.matches(path) for glob in _target_globs({"path": pattern}))

    assert matches("/posts/**", "/posts/2023/a") and matches("/posts/**", "/posts/a")
    assert matches("/posts/*", "/posts/a") and not matches("/posts/*", "/posts/2023/a")
    assert matches("/posts/?", "/posts/a") and not matches("/posts/?", "/posts/ab")
    assert matches("/{news,posts}/*", "/news/a") and not matches("/{news,posts}/*", "/notes/a")
    assert matches("/s1**", "/s1/p1") and not matches("/posts", "/posts/a")
    assert matches("/posts/***", "/posts/a/b") and matches("/po*ts", "/posts") and matches("/", "/")
    assert not matches("{a,b}" * 4, "abab")  # 16 alternatives: more than a site writes
    assert _target_globs({"path": "/posts/**", "kind": "section"}) == []
    assert _target_globs({"kind": "page"}) is None and _target_globs(None) is None


def test_hugos_path_glob_finds_what_a_regular_expression_finds():
    import random
    import re

    from lintnews.rules.site_defaults import _Glob

    def by_regex(glob: str) -> re.Pattern:
        parts = re.findall(r"\*\*+|\*|\?|[^*?]", glob)
        return re.compile("".join({"*": "[^/]*", "?": "[^/]"}.get(part, ".*" if part.startswith("**") else re.escape(part))
                                  for part in parts))

    rng = random.Random(5)
    for _ in range(5000):
        glob = "".join(rng.choice(["/", "a", "b", "*", "**", "?", "a/"]) for _ in range(rng.randint(0, 8)))
        path = "".join(rng.choice("/ab") for _ in range(rng.randint(0, 10)))
        assert _Glob(glob).matches(path) == (by_regex(glob).fullmatch(path) is not None), (glob, path)


def test_a_cascade_glob_reads_a_folders_path_once_for_all_of_its_pages(monkeypatch):
    # each glob is read along the path of every page below that lacks a key, a character a step
    # (a regular expression with these stars backtracks for ever on a path made to miss), and
    # the folder's part once for all of its pages
    from lintnews.rules import site_defaults

    read = []
    run = site_defaults._Glob.run
    monkeypatch.setattr(site_defaults._Glob, "run",
                        lambda self, states, text: read.append(text) or run(self, states, text))
    glob = "/" + "**a" * 32 + "b"  # (at most 100 characters are read)
    config = "".join(f'[[cascade]]\nauthor = "x"\n[cascade._target]\npath = \'{glob}\'\n' for _ in range(10))
    folder = "/".join(["a" * 200] * 4)
    files = {"hugo.toml": config, **{f"content/{folder}/{'a' * 200}{number}.md": POST for number in range(50)}}
    assert len(missing(files)) == 50
    pages = [f"/{'a' * 200}{number}" for number in range(50)]
    assert sorted(read) == sorted([f"/{folder}"] * 10 + pages * 10)

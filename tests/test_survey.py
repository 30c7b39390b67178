"""Tests for the survey behind ``lintnews init``: what it infers from repositories of each shape,
and the comment it writes beside each setting."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import yaml

from lintnews.cli import main
from lintnews.config import Settings, load_config
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.survey import survey
from lintnews.survey.facts import language
from lintnews.survey.site import detect

import repos

RULES = collect_rules(plugin_manager())


def surveyed(root: Path, threshold: float = 0.9) -> tuple[str, dict]:
    """The configuration text written for ``root``, and its settings as loaded and validated."""
    text, _ = survey(root, RULES, threshold=threshold)
    (root / ".lintnews.yaml").write_text(text, encoding="utf-8")
    Settings(load_config(root / ".lintnews.yaml", root), RULES)  # raises on anything invalid
    return text.replace("\n#   ", " "), yaml.safe_load(text)  # remarks unwrapped


def comment_above(text: str, setting: str) -> str:
    """The comment lines just above the line ``setting`` (joined)."""
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith(setting))
    above = []
    for line in reversed(lines[:index]):
        if not line.strip().startswith("#"):
            break
        above.insert(0, line.strip().lstrip("# "))
    return " ".join(above)


def test_hexo_scraped_chinese_reposts(tmp_path):
    repos.write(tmp_path / "README.md", "# 财经转载\n\n本站转载财经新闻。\n")
    text, config = surveyed(repos.hexo_zh(tmp_path))
    assert config["extends"] == "zh-repost"
    assert "# site generator: Hexo (a source/_posts/ folder)" in text
    assert config["exclude"] == ["scaffolds/**", "/README.md"]
    assert comment_above(text, "exclude:") == "Hexo's own folders and the repository's own documents, not articles"
    assert "after reading 30 articles" in text  # neither the scaffold nor the README
    rules = config["rules"]
    assert rules["image-broken"] == rules["image-folder-missing"] == rules["image-root-unknown"] == {"roots": ["source"]}
    assert rules["image-alt"] is False
    assert comment_above(text, "image-alt:") == "0 of 30 images carry alt text: the repository does not write it"
    assert rules["front-matter-required"] == {"required": ["title", "date", "author", "headimg"]}
    # 20 of 30 credit an editor: the rule stays as the preset has it, and the comment says so
    assert "editor-credit" not in rules
    assert "# - editor-credit, as the preset has it: 20 of 30 articles credit an editor ('责任编辑：NAME' 20)" in text
    # the CMS comment recurs in every article and is still reported
    assert "leftover-markup" not in rules
    assert "still reported, a CMS's comments: <!-- 正文下iframe --> in 30" in text


def test_english_hugo_blog(tmp_path):
    repos.hugo_en(tmp_path)
    for post in (tmp_path / "content" / "news").glob("*.md"):  # a directive and a video host of the site's own
        post.write_text(post.read_text(encoding="utf-8")
                        + '<!-- readtime -->\n<iframe src="https://media.example.gov/v"></iframe>\n', encoding="utf-8")
    text, config = surveyed(tmp_path)
    assert config["extends"] == "en-newsroom"
    assert "# site generator: Hugo (config.toml)" in text
    rules = config["rules"]
    assert rules["editor-credit"] is False
    assert comment_above(text, "editor-credit:") == "0 of 24 articles credit an editor"
    assert rules["image-broken"] == {"roots": ["static"]}
    assert rules["front-matter-required"] == {"required": ["title", "date", "authors", "summary"]}
    allowed = rules["leftover-markup"]  # TOC directives and YouTube are allowed by default
    assert allowed["allow-embeds"][-2:] == ["slideshare.net", "media.example.gov"]
    assert allowed["allow-comments"][-1:] == ["readtime"]
    assert comment_above(text, "leftover-markup:") == (
        "recurring in 24 articles: tool directives <!-- readtime --> in 24; iframes from media.example.gov in 24")
    # English: the CJK punctuation rules are off, as en-newsroom has them
    assert "# - halfwidth-punctuation, as the preset has it: 0 of 24 articles are written in Chinese" in text


def test_lctt_metadata_headers(tmp_path):
    text, config = surveyed(repos.lctt(tmp_path))
    assert "# front matter: metadata headers in 24 of 24 articles" in text
    assert "# site generator: none recognised" in text
    rules = config["rules"]
    assert rules["editor-credit"] == {"front-matter-keys": ["editor", "publisher", "reviewer"]}
    assert comment_above(text, "editor-credit:") == (
        "24 of 24 articles credit an editor ('责任编辑：NAME' 24, front-matter key 'publisher' 24, "
        "front-matter key 'reviewer' 24)")
    required = rules["front-matter-required"]
    assert required["filename-date"] is True
    assert required["required"][:2] == ["date", "author"]
    assert {"subject", "reviewer", "publisher", "via"} <= set(required["required"])
    assert "24 of 24 file names start with a date (24 of 24 articles have no date key)" in comment_above(
        text, "front-matter-required:")


def test_dated_file_names_where_only_some_articles_have_a_date_key(tmp_path):
    for i in range(24):
        date = "date: 2016-10-04\n" if i % 3 else ""  # 16 of 24 articles have one
        repos.write(tmp_path / "content" / "posts" / f"2016-10-{i + 1:02d}-post-{i}.md",
                    f"---\ntitle: Post {i}\n{date}---\nThe team shipped a new release this week.\n")
    text, config = surveyed(tmp_path)
    assert config["rules"]["front-matter-required"]["filename-date"] is True
    assert "24 of 24 file names start with a date (8 of 24 articles have no date key)" in comment_above(
        text, "front-matter-required:")
    assert "(seen: title 24, date 24 (16 as a key, 8 by file name), author 0)" in comment_above(text, "front-matter-required:")


def test_jekyll_posts_dated_by_file_name(tmp_path):
    text, config = surveyed(repos.jekyll_dated(tmp_path))
    assert "# site generator: Jekyll (a _posts/ folder)" in text
    required = config["rules"]["front-matter-required"]
    assert required == {"required": ["title", "date", "author", "layout"], "filename-date": True}
    assert "24 of 24 file names start with a date (Jekyll dates posts by file name)" in comment_above(
        text, "front-matter-required:")


def test_keyword_meta_tags_that_recur_are_the_repositorys_habit(tmp_path):
    root = repos.jekyll_dated(tmp_path)
    for i, post in enumerate(sorted((root / "_posts").glob("*.md"))):  # a keyword list closing 6 of 24 posts
        if i % 4 == 0:
            post.write_text(post.read_text(encoding="utf-8")
                            + '\n<meta name="openSUSE, release, desktop" content="HTML,CSS">\n', encoding="utf-8")
    text, config = surveyed(root)
    assert config["rules"]["leftover-markup"] == {"tags": ["script", "iframe", "link"]}
    assert comment_above(text, "leftover-markup:") == (
        "recurring in 24 articles: <meta> tags, which show nothing, in 6")


def test_a_scraped_sites_template_comments_are_one_finding_per_article(tmp_path, monkeypatch, capsys):
    root = repos.hexo_zh(tmp_path)
    for post in sorted((root / "source" / "_posts").glob("*.md")):  # the page template's markers, as scraped
        post.write_text(post.read_text(encoding="utf-8").replace(
            "<!-- 正文下iframe -->\n", "<!-- 正文下iframe -->\n<!-- 总声明 -->\n<!-- 编辑姓名及工作代码 -->\n"),
            encoding="utf-8")
    text, config = surveyed(root)
    assert config["rules"]["leftover-markup"] == {"comments-per-article": True}
    assert comment_above(text, "leftover-markup:").endswith(
        "90 comments left in 30 of 30 articles, 3.0 each on average: one finding per article, naming a few and "
        "counting all")
    found = findings(root, monkeypatch, capsys, "leftover-markup")
    assert found[:2] == [
        (f"source/_posts/news-{i}.md", 7, 1, "3 HTML comments left in the article (<!-- 正文下iframe -->, "
                                            "<!-- 总声明 -->, <!-- 编辑姓名及工作代码 -->), the first here") for i in (0, 1)]
    assert len(found) == 30


def test_comments_left_in_one_article_are_gathered_without_being_called_recurring(tmp_path):
    root = repos.hugo_en(tmp_path)
    post = root / "content" / "news" / "post-3.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n<!-- a -->\n<!-- b -->\n<!-- c -->\n<!-- d -->\n",
                    encoding="utf-8")
    text, config = surveyed(root)
    assert config["rules"]["leftover-markup"]["comments-per-article"] is True
    assert comment_above(text, "leftover-markup:").endswith(
        "4 comments left in 1 of 24 articles, 4.0 each on average: one finding per article, naming a few and "
        "counting all")
    assert "recurring" not in comment_above(text, "leftover-markup:")


def test_a_meta_tag_in_a_few_articles_is_still_reported(tmp_path):
    root = repos.jekyll_dated(tmp_path)
    for post in sorted((root / "_posts").glob("*.md"))[:2]:
        post.write_text(post.read_text(encoding="utf-8") + '\n<meta charset="utf-8">\n', encoding="utf-8")
    text, config = surveyed(root)
    assert "leftover-markup" not in config["rules"]


@pytest.mark.parametrize("make, build", [(repos.jekyll_dated, "_site"), (repos.hugo_en, "public"),
                                         (repos.hugo_en, "resources")])
def test_a_committed_build_of_the_site_is_excluded_and_not_surveyed(tmp_path, make, build):
    root = make(tmp_path)
    # the build copies every post (a site published from its own repository commits it)
    for index, post in enumerate(sorted(root.glob("*/**/*.md"))):
        repos.write(root / build / f"post-{index}" / "index.html", "<html><body><p>" + post.read_text() + "</p></body></html>")
    text, config = surveyed(root)
    assert f"{build}/**" in config["exclude"]
    assert "after reading 24 articles" in text  # the posts, not their copies


def test_jekyll_reading_markdown_in_html_blocks_turns_markdown_in_html_off(tmp_path):
    root = repos.jekyll_dated(tmp_path)
    (root / "_config.yml").write_text("title: News\nkramdown:\n  input: GFM\n  parse_block_html: true\n",
                                      encoding="utf-8")
    text, config = surveyed(root)
    assert config["rules"]["markdown-in-html"] is False
    assert comment_above(text, "markdown-in-html:") == (
        "Jekyll's kramdown reads Markdown inside HTML blocks (_config.yml: kramdown: parse_block_html: true)")
    (root / "_config.yml").write_text("title: News\nkramdown:\n  input: GFM\n", encoding="utf-8")
    _, config = surveyed(root)
    assert "markdown-in-html" not in config["rules"]


def test_a_site_configuration_over_a_megabyte_is_not_read_and_the_header_says_so(tmp_path):
    root = repos.jekyll_dated(tmp_path)
    (root / "_config.yml").write_text("kramdown:\n  parse_block_html: true\n" + "# padding\n" * 110_000,
                                      encoding="utf-8")
    text, config = surveyed(root)
    assert "markdown-in-html" not in config["rules"]
    assert "# site generator: Jekyll (_config.yml)\n# _config.yml could not be read, and the site was detected " \
           "without it: larger than 1 MB\n" in text


def test_an_impossible_date_in_a_jekyll_configuration_is_no_crash(tmp_path):
    root = repos.jekyll_dated(tmp_path)
    (root / "_config.yml").write_text("since: 2022-02-30\nkramdown:\n  parse_block_html: true\n", encoding="utf-8")
    _, config = surveyed(root)
    assert config["rules"]["markdown-in-html"] is False


def test_a_number_too_long_for_python_in_a_jekyll_configuration_is_no_crash(tmp_path):
    root = repos.jekyll_dated(tmp_path)
    (root / "_config.yml").write_text("kramdown:\n  parse_block_html: true\nbuild: " + "1" * 5000 + "\n",
                                      encoding="utf-8")
    _, config = surveyed(root)
    assert "markdown-in-html" not in config["rules"]  # the configuration says nothing that can be read


def test_astro_pub_date(tmp_path):
    text, config = surveyed(repos.astro(tmp_path))
    assert "# site generator: Astro (astro.config.mjs)" in text
    required = config["rules"]["front-matter-required"]["required"]
    assert required[:3] == ["title", "pubDate", "author"]
    assert "cover" in required and "description" in required


def test_threshold_decides_which_keys_are_required(tmp_path):
    root = repos.jekyll_dated(tmp_path, count=20)
    for path in sorted((root / "_posts").iterdir())[:15]:  # 15 of 20 have a description
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("layout: post\n", "layout: post\ndescription: notes\n"), encoding="utf-8")
    _, strict = surveyed(root)
    assert "description" not in strict["rules"]["front-matter-required"]["required"]
    _, lenient = surveyed(root, threshold=0.5)
    assert "description" in lenient["rules"]["front-matter-required"]["required"]


def test_articles_without_front_matter_turn_the_required_keys_off(tmp_path):
    for i in range(10):
        repos.write(tmp_path / f"note-{i}.md", f"# Note {i}\n\nA note without front matter, in plain English prose.\n")
    text, config = surveyed(tmp_path)
    assert config["rules"]["front-matter-required"] is False
    assert comment_above(text, "front-matter-required:") == "0 of 10 articles have front matter that lintnews reads"


@pytest.mark.parametrize("prose, expected", [
    ("新华社北京8月2日电，沪指今日收涨，成交额放大，市场情绪回暖。", "zh"),
    ("TiDB 的 Region 调度由 PD 负责，PD 根据 TiKV 上报的心跳信息生成调度任务并下发执行。", "zh"),
    ("The portal now publishes weekly extracts, and the team answered questions from agencies.", "other"),
    ("こっちむいてよ向井くんの実写ドラマのキャストが発表されました。ぜひご覧ください。", "ja"),
    ("短い", "none"),
])
def test_language_of_the_text(prose, expected):
    assert language(prose) == expected


def test_site_detection_prefers_configuration_files(tmp_path):
    assert detect(tmp_path) is None
    (tmp_path / "eleventy.config.js").write_text("module.exports = {};\n", encoding="utf-8")
    site = detect(tmp_path)
    assert (site.name, site.evidence, site.dates_from_filenames) == ("Eleventy", "eleventy.config.js", True)


@pytest.mark.parametrize("config, folders, roots", [
    ("module.exports = function (config) { config.addPassthroughCopy('img'); };\n", ["img"], (".",)),
    ('module.exports = () => ({ dir: { input: "./src/", output: "_site" } });\n', ["src"], ("src",)),
    ('module.exports = (c) => { c.addPassthroughCopy({ "assets/static": "/" });\n'
     '  return { dir: { input: "content" } }; };\n', ["content", "assets/static"], ("content", "assets/static")),
    ('module.exports = () => ({ dir: { input: "missing" } });\n', [], ()),
    # an input folder that is no plain string is not guessed; another object's "input" is not it
    ('const input = "content";\nmodule.exports = () => ({ dir: { input } });\n', ["content", "img"], ()),
    ('module.exports = () => ({ dir: { input: process.env.INPUT || "content" } });\n', ["content"], ()),
    ('module.exports = (c) => { c.addPlugin(p, { input: "_includes" });\n  return { dir: { input: "content" } }; };\n',
     ["_includes", "content"], ("content",)),
    ('module.exports = () => ({ dir: {\n  input: "src" // the articles\n} });\n', ["src"], ("src",)),
    ('c.addPlugin(sass, { input: path.join(__dirname, "scss") });\n', ["img"], (".",)),  # no dir: "."
])
def test_eleventy_serves_its_input_folder_and_what_it_copies_to_the_root(tmp_path, config, folders, roots):
    (tmp_path / ".eleventy.js").write_text(config, encoding="utf-8")
    for folder in folders:
        (tmp_path / folder).mkdir(parents=True)
    assert detect(tmp_path).roots == roots


def test_docusaurus_blog_posts_are_dated_by_file_or_folder_name_and_its_docs_left_out(tmp_path):
    repos.write(tmp_path / "docusaurus.config.js", "module.exports = {};\n")
    repos.write(tmp_path / "static" / "img" / "logo.png", "not empty")
    for i in range(6):
        post = f"2021-08-{i + 10}-post-{i}/index.md" if i % 2 else f"2021-08-{i + 10}-post-{i}.md"
        repos.write(tmp_path / "blog" / post, f"---\ntitle: Post {i}\nauthors: [jo]\n---\n\nRelease notes.\n")
    repos.write(tmp_path / "docs" / "intro.md", "---\nsidebar_position: 1\n---\n\n# Tutorial\n")
    text, config = surveyed(tmp_path)
    assert "# site generator: Docusaurus (docusaurus.config.js)" in text
    assert config["exclude"] == ["docs/**"]
    assert config["rules"]["front-matter-required"] == {"required": ["title", "date", "authors"],
                                                         "filename-date": True}
    assert config["rules"]["image-broken"] == {"roots": ["static"]}


def test_progress_is_drawn_only_on_a_terminal_outside_ci(tmp_path, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    for i in range(3):
        repos.write(tmp_path / "posts" / f"post-{i}.md", "---\ntitle: T\n---\n\nText.\n")
    for name in ("CI", "NO_COLOR", "PRE_COMMIT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    stream = Terminal()
    survey(tmp_path, RULES, stream=stream)
    assert stream.getvalue().startswith("\r\x1b[2Klintnews init: reading 1/3 files")
    assert stream.getvalue().endswith("\r\x1b[2K")
    for name, value in (("CI", "true"), ("NO_COLOR", "1")):
        monkeypatch.setenv(name, value)
        stream = Terminal()
        survey(tmp_path, RULES, stream=stream)
        assert stream.getvalue() == ""


def test_hugo_toml_and_json_front_matter_are_read_and_their_keys_required(tmp_path):
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    for i in range(10):
        repos.write(tmp_path / "content" / f"post-{i}.md",
                    f'+++\ntitle = "Post {i}"\ndate = 2023-05-01\nauthor = "Jo"\n+++\n\n'
                    'A post written in plain English prose.\n')
    for i in range(2):
        repos.write(tmp_path / "content" / f"json-{i}.md",
                    f'{{\n  "title": "Post {i}",\n  "date": "2023-05-01",\n  "author": "Jo"\n}}\n\n'
                    'A post written in plain English prose.\n')
    text, config = surveyed(tmp_path)
    assert "# site generator: Hugo (hugo.toml)" in text
    assert "# front matter: TOML in 10, JSON in 2 of 12 articles" in text
    assert config["rules"]["front-matter-required"] == {"required": ["title", "date", "author"]}


def test_an_unreadable_file_is_counted_and_the_survey_goes_on(tmp_path):
    root = repos.jekyll_dated(tmp_path, count=3)
    (root / "_posts" / "2018-08-01-latin1.md").write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    text, _ = surveyed(root)
    assert "after reading 3 articles" in text
    assert "# 1 file(s) could not be read as UTF-8 text and were not surveyed" in text


def test_dates_kept_in_a_feed_s_rfc_2822_form_are_accepted_as_written(tmp_path):
    root = repos.hexo_zh(tmp_path)
    for i, post in enumerate(sorted((root / "source" / "_posts").glob("*.md"))):
        if i < 20:  # two thirds keep the feed's form
            text = post.read_text(encoding="utf-8")
            post.write_text(re.sub(r"date: .*", "date: Tue, 02 Aug 2022 05:42:34 GMT", text, count=1), encoding="utf-8")
    text, config = surveyed(root)
    assert config["rules"]["front-matter-date"] == {"iso-8601": False}
    assert comment_above(text, "front-matter-date:") == ("20 of 30 dated articles write the date in RFC 2822 "
                                                          "form, as their feed did: valid dates are accepted as written")


def test_astro_s_mdx_posts_are_surveyed_and_their_month_name_dates_accepted(tmp_path):
    root = repos.astro_blog(tmp_path)
    text, config = surveyed(root)
    assert "after reading 12 articles" in text
    assert config["rules"]["front-matter-date"] == {"iso-8601": False}
    assert comment_above(text, "front-matter-date:") == (
        "12 of 12 dated articles write the date with a month name ('Jul 08 2022'): valid dates are accepted "
        "as written")
    assert config["rules"]["image-broken"] == {"roots": ["public"]}


def test_iso_dates_leave_front_matter_date_as_it_is(tmp_path):
    _, config = surveyed(repos.hexo_zh(tmp_path))
    assert "front-matter-date" not in config["rules"]


def test_file_names_as_alt_text_are_the_repository_s_habit(tmp_path, monkeypatch, capsys):
    root = repos.jekyll_file_name_alt(tmp_path)
    text, config = surveyed(root)
    assert config["rules"]["image-alt"] == {"allow-filler": True}
    assert comment_above(text, "image-alt:") == (
        "28 of 29 images carry alt text; 24 of 28 alt texts are a file name, a number, a word such as 'image' or "
        "a label repeated in 3 articles or more ('01.jpg', '02'): the repository's habit, not reported; an <img> "
        "with no alt attribute still is")
    assert findings(root, monkeypatch, capsys, "image-alt") == [
        ("_posts/2018-06-01-report-0.md", 13, 4, "image has no alt attribute")]


def test_images_a_template_leaves_without_alt_are_one_finding_per_article(tmp_path, monkeypatch, capsys):
    root = repos.hugo_en(tmp_path)
    for i, post in enumerate(sorted((root / "content" / "news").glob("*.md"))[:6]):
        figures = "".join(f'<figure class="ctms-editor-image"><img src="/img/{i}-{n}.png"></figure>\n' for n in range(4))
        post.write_text(post.read_text(encoding="utf-8") + "\n" + figures, encoding="utf-8")
    text, config = surveyed(root)
    assert config["rules"]["image-alt"] == {"per-article": True}
    assert comment_above(text, "image-alt:").endswith(
        "; 24 <img> tags without alt in 6 of 24 articles, 4.0 each on average: one finding per article, with the count")
    found = findings(root, monkeypatch, capsys, "image-alt")
    assert len(found) == 6
    assert found[0][3] == "4 images in the article have no alt attribute, the first here"


def test_a_few_images_without_alt_are_reported_one_by_one(tmp_path, monkeypatch, capsys):
    root = repos.hugo_en(tmp_path)
    post = sorted((root / "content" / "news").glob("*.md"))[0]
    post.write_text(post.read_text(encoding="utf-8") + '\n<img src="/img/a.png"> <img src="/img/b.png">\n',
                    encoding="utf-8")
    _, config = surveyed(root)
    assert "image-alt" not in config["rules"]  # 2 in one article: under 3 each


def test_alt_text_that_mostly_describes_keeps_image_alt(tmp_path, monkeypatch, capsys):
    root = repos.hugo_en(tmp_path)
    post = root / "content" / "news" / "post-3.md"
    post.write_text(post.read_text(encoding="utf-8").replace("![Weekly downloads by da agencies]", "![chart-3.png]"),
                    encoding="utf-8")
    text, config = surveyed(root)
    assert "image-alt" not in config["rules"]
    assert ("# - image-alt, as the preset has it: 24 of 24 images carry alt text, 1 of them a file name, "
            "a number, a word such as 'image' or a label repeated in 3 articles or more") in text
    assert findings(root, monkeypatch, capsys, "image-alt") == [
        ("content/news/post-3.md", 15, 1, "image alt text 'chart-3.png' says nothing: describe the image")]


def test_a_label_repeated_across_articles_is_no_description(tmp_path, monkeypatch, capsys):
    root = repos.hugo_en(tmp_path)
    for i, post in enumerate(sorted((root / "content" / "news").glob("*.md"))):
        text = post.read_text(encoding="utf-8").replace("## What changed", "![Header Picture](/img/header.png)\n\n"
                                                       "## What changed")
        post.write_text(text.replace("![Weekly downloads by", "![Cover](/img/cover.png) ![Weekly downloads by")
                        if i < 2 else text, encoding="utf-8")
    text, config = surveyed(root)
    assert config["rules"]["image-alt"] == {"allow-filler": True}
    assert comment_above(text, "image-alt:").startswith(
        "50 of 50 images carry alt text; 26 of 50 alt texts are a file name, a number, a word such as 'image' or "
        "a label repeated in 3 articles or more ('Header Picture', 'Cover'): the repository's habit")
    assert findings(root, monkeypatch, capsys, "image-alt") == []


TABLE = """
<table border="1" cellpadding="7">
<tr><td align="center" style="width: 11%">2013</td><td style="width: 89%">Calls answered within a day</td></tr>
</table>
"""


def test_styling_in_few_articles_is_one_finding_per_article_and_kind(tmp_path, monkeypatch, capsys):
    root = repos.hugo_en(tmp_path)
    for i in (1, 2):  # two posts carry a styled table, as an old import does
        post = root / "content" / "news" / f"post-{i}.md"
        post.write_text(post.read_text(encoding="utf-8") + TABLE, encoding="utf-8")
    text, config = surveyed(root)
    assert config["rules"]["inline-style"] == {"per-article": True}
    assert comment_above(text, "inline-style:") == (
        "10 styled elements in 2 of 24 articles, 5.0 each on average, at most 5 in one: one finding per article "
        "and kind (style attributes, presentational tags, presentational attributes), with the count; --fix "
        "fixes each at once")
    assert findings(root, monkeypatch, capsys, "inline-style") == [
        (f"content/news/post-{i}.md", line, column, message) for i in (1, 2) for line, column, message in (
            (19, 8, "3 presentational attributes in the article (align=, border=, cellpadding=), the first here"),
            (20, 24, "2 inline style attributes in the article (width), the first here"))]


CELLS = """
<table>
<tr>

<td>![Geeko](https://cdn.163.com/geeko.png)
</td>

<td>Read [the issue](https://cdn.163.com/issue) and [its translations](https://cdn.163.com/tr).
</td>

<td>![Team](https://cdn.163.com/team.png)
</td>
</tr>
</table>
"""


def test_markdown_in_many_html_blocks_of_few_articles_is_one_finding_per_article(tmp_path, monkeypatch, capsys):
    root = repos.hugo_en(tmp_path)
    for i in (1, 2):  # two weekly issues laid out in table cells, as an old import does
        post = root / "content" / "news" / f"post-{i}.md"
        post.write_text(post.read_text(encoding="utf-8") + CELLS, encoding="utf-8")
    text, config = surveyed(root)
    assert config["rules"]["markdown-in-html"] == {"per-article": True}
    assert comment_above(text, "markdown-in-html:") == (
        "6 HTML blocks holding Markdown in 2 of 24 articles, 3.0 each on average, at most 3 in one: one finding "
        "per article, with the counts; --fix --unsafe-fixes fixes each at once")
    assert findings(root, monkeypatch, capsys, "markdown-in-html") == [
        (f"content/news/post-{i}.md", 22, 5, "4 Markdown images and links in 3 HTML blocks of the article are not "
                                            "rendered, the first here: write <img> and <a>, or leave a blank line "
                                            "after the HTML") for i in (1, 2)]


def test_markdown_in_an_html_block_here_and_there_is_reported_block_by_block(tmp_path):
    root = repos.hugo_en(tmp_path)
    for i in (1, 2):
        post = root / "content" / "news" / f"post-{i}.md"
        post.write_text(post.read_text(encoding="utf-8") + "\n<p>![Chart](https://cdn.163.com/c.png)</p>\n",
                        encoding="utf-8")
    text, config = surveyed(root)
    assert "markdown-in-html" not in config["rules"]
    assert "# - markdown-in-html: 2 HTML blocks holding Markdown in 2 of 24 articles, 1.0 each on average, at most 1 " \
           "in one; reported block by block" in text


def test_markdown_in_one_html_block_is_counted_in_the_singular(tmp_path):
    root = repos.hugo_en(tmp_path)
    post = root / "content" / "news" / "post-1.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n<p style=\"color:red\">![Chart](https://cdn.163.com/c.png)"
                    "</p>\n", encoding="utf-8")
    text, config = surveyed(root)
    assert "markdown-in-html" not in config["rules"] and "inline-style" not in config["rules"]
    assert "# - markdown-in-html: 1 HTML block holding Markdown in 1 of 24 articles, 1.0 each on average, at most 1 " \
           "in one; reported block by block" in text
    assert "# - inline-style: 1 styled element in 1 of 24 articles, 1.0 each on average, at most 1 in one; reported " \
           "one by one" in text


def test_styling_scattered_one_element_per_article_is_reported_one_by_one(tmp_path):
    root = repos.hugo_en(tmp_path)
    for i in (1, 2, 3):
        post = root / "content" / "news" / f"post-{i}.md"
        post.write_text(post.read_text(encoding="utf-8") + '<p style="color: #000000">Questions?</p>\n',
                        encoding="utf-8")
    text, config = surveyed(root)
    assert "inline-style" not in config["rules"]
    assert ("# - inline-style: 3 styled elements in 3 of 24 articles, 1.0 each on average, at most 1 in one; "
            "reported one by one") in text


def test_sources_that_print_no_credit_are_not_asked_for_one(tmp_path, monkeypatch, capsys):
    text, config = surveyed(repos.hexo_sources(tmp_path))
    assert config["rules"]["editor-credit"] == {"sources-without-credit": {"author": ["199IT", "IT 之家"]}}
    assert comment_above(text, "editor-credit:") == (
        "20 of 39 articles credit an editor ('责任编辑：NAME' 20); by 'author': 新浪财经 20 of 30, 199IT 0 of 5, "
        "IT 之家 0 of 3: the sources that credit nobody are not asked for a credit")
    # Sina's own posts without a credit, and the lone 知乎 answer (one article says nothing of its source)
    assert findings(tmp_path, monkeypatch, capsys, "editor-credit") == [
        *((f"source/_posts/news-{i}.md", 1, 1, "no editor credit (such as '责任编辑：NAME' or 'Editor: NAME')")
          for i in sorted(range(20, 30), key=str)),
        ("source/_posts/知乎-0.md", 1, 1, "no editor credit (such as '责任编辑：NAME' or 'Editor: NAME')")]


def findings(root: Path, monkeypatch, capsys, rule: str) -> list[tuple[str, int, int, str]]:
    """(path, line, column, message) of each finding of ``rule`` that ``lintnews check`` reports in ``root``."""
    monkeypatch.chdir(root)
    capsys.readouterr()
    main(["check", "--output-format", "json", "--no-cache"])
    found = json.loads(capsys.readouterr().out)
    return [(f["path"], f["line"], f["column"], f["message"]) for f in found if f["rule"] == rule]


def test_no_source_is_spared_unless_another_source_credits_an_editor(tmp_path):
    root = repos.hexo_zh(tmp_path)  # 20 of 30 credited, each post by a reporter of its own ...
    for i, post in enumerate(sorted((root / "source" / "_posts").glob("*.md"), key=lambda p: int(p.stem[5:]))):
        reporter = "李四" if i >= 27 else f"记者{i}"  # ... but three uncredited posts by one reporter
        post.write_text(post.read_text(encoding="utf-8").replace("author: 新浪财经", f"author: {reporter}"),
                        encoding="utf-8")
    text, config = surveyed(root)
    assert "editor-credit" not in config["rules"]
    assert "# - editor-credit, as the preset has it: 20 of 30 articles credit an editor ('责任编辑：NAME' 20)" in text


def test_a_jekyll_configuration_written_yaml_is_read_as_yml_is(tmp_path):
    # Jekyll reads _config.yaml where there is no _config.yml
    root = repos.jekyll_dated(tmp_path)
    (root / "_config.yaml").write_text("title: News\nkramdown:\n  parse_block_html: true\n", encoding="utf-8")
    text, config = surveyed(root)
    assert "# site generator: Jekyll (_config.yaml)" in text
    assert config["rules"]["markdown-in-html"] is False
    assert comment_above(text, "markdown-in-html:") == (
        "Jekyll's kramdown reads Markdown inside HTML blocks (_config.yaml: kramdown: parse_block_html: true)")


def test_a_jekyll_site_s_pages_beside_its_posts_are_excluded_and_not_surveyed(tmp_path):
    # `jekyll new` writes index.markdown (layout: home, no body), about.markdown and 404.html
    # beside _posts/: pages of the site, which ask no date or author and may have no body
    repos.jekyll_dated(tmp_path)
    repos.write(tmp_path / "_config.yml", "title: News\ntheme: minima\n")
    repos.write(tmp_path / "index.markdown", "---\nlayout: home\n---\n")
    repos.write(tmp_path / "about.markdown", "---\nlayout: page\ntitle: About\npermalink: /about/\n---\n\nWho we are.\n")
    repos.write(tmp_path / "404.html", "---\npermalink: /404.html\nlayout: default\n---\n\n<h1>404</h1>\n")
    repos.write(tmp_path / "README.md", "# News\n")
    text, config = surveyed(tmp_path)
    assert config["exclude"] == ["/404.html", "/about.markdown", "/index.markdown", "/README.md"]
    assert comment_above(text, "exclude:") == ("Jekyll's pages (outside _posts/) and the repository's own "
                                              "documents, not articles")
    assert "after reading 24 articles" in text
    assert config["rules"]["front-matter-required"] == {"required": ["title", "date", "author", "layout"],
                                                         "filename-date": True}


def test_a_hexo_site_s_pages_in_source_are_excluded_and_not_surveyed(tmp_path):
    # NexT's tags and categories pages are front matter only (type: tags); about/ is a page
    repos.hexo_zh(tmp_path)
    repos.write(tmp_path / "source" / "tags" / "index.md", "---\ntitle: 标签\ntype: tags\n---\n")
    repos.write(tmp_path / "source" / "about" / "index.md", "---\ntitle: 关于\n---\n\n一个转载站。\n")
    repos.write(tmp_path / "source" / "_drafts" / "draft.md", "---\ntitle: 草稿\n---\n\n还没写完。\n")
    text, config = surveyed(tmp_path)
    assert config["exclude"] == ["scaffolds/**", "source/about/**", "source/tags/**"]
    assert comment_above(text, "exclude:") == "Hexo's own folders and its pages (outside source/_posts/), not articles"
    assert "after reading 31 articles" in text  # the posts and the draft


def test_a_hugo_site_s_pages_beside_its_sections_are_excluded_and_not_surveyed(tmp_path):
    # PaperMod's search and archives pages are front matter only (layout: search); about is a page
    repos.hugo_en(tmp_path)
    repos.write(tmp_path / "content" / "about.md", "---\ntitle: About\n---\n\nWho we are.\n")
    repos.write(tmp_path / "content" / "search.md", '---\ntitle: Search\nlayout: "search"\n---\n')
    repos.write(tmp_path / "content" / "_index.md", "---\ntitle: Home\n---\n")
    text, config = surveyed(tmp_path)
    assert config["exclude"] == ["/content/about.md", "/content/search.md"]
    assert comment_above(text, "exclude:") == "Hugo's pages (outside the sections of content/), not articles"
    assert "after reading 25 articles" in text  # the posts and the home page's _index.md


def test_a_hugo_site_with_its_posts_in_content_itself_keeps_them(tmp_path):
    for i in range(6):
        repos.write(tmp_path / "content" / f"post-{i}.md", f"---\ntitle: Post {i}\ndate: 2023-05-0{i + 1}\n---\n\nText.\n")
    repos.write(tmp_path / "content" / "about" / "index.md", "---\ntitle: About\n---\n\nWho we are.\n")
    repos.write(tmp_path / "hugo.toml", 'baseURL = "https://example.org/"\n')
    text, config = surveyed(tmp_path)
    assert "exclude" not in config

"""Publishing rules: ``post-file-name``, whether the site generator publishes the article at all."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from lintnews import Violation, hookimpl, rule
from lintnews.lazy_re import lazy_compile
from lintnews.rules.image_paths import files_of

# Jekyll's own test of a post's path inside a _posts folder (Document::DATE_FILENAME_MATCHER):
# folders, then the date, a "-", the slug and an extension.
_JEKYLL_POST = lazy_compile(r"(?:.+/)*?(\d{2,4})-(\d{1,2})-(\d{1,2})-([^/]*)(\.[^./]+)")


def _jekyll_site(doc, posts: Path) -> Path | None:
    """The Jekyll site whose ``_posts`` folder is ``posts``: the nearest folder above it, within
    the project, with a ``_config.yml`` that the survey reads as Jekyll's (not Hexo's, whose
    ``_config.yml`` sits above ``source/_posts``, where any file name is a post's). Read once
    per folder and run; the verdict depends on the files it was read from."""
    root = Path(doc.root).resolve()
    folder = posts.parent
    while True:
        key = ("jekyll-site", folder)
        if key not in doc.run_cache:
            doc.run_cache[key] = _site_at(folder)
        site, read = doc.run_cache[key]
        doc.depends_on(*read, on="exists")
        if len(read) > 1:
            doc.depends_on(folder / "package.json")  # (Hexo's is named among its dependencies)
        if site:
            return folder
        if folder == root or root not in folder.parents:
            return None
        folder = folder.parent


def _site_at(folder: Path) -> tuple[bool, tuple[Path, ...]]:
    """(whether ``folder`` is a Jekyll site's source, the paths whose existence told): a
    ``_config.yml`` and none of Hexo's signs, which the survey reads the same way (a
    ``source/_posts`` or ``scaffolds`` folder, or hexo in package.json)."""
    config, package = folder / "_config.yml", folder / "package.json"
    if not config.is_file():
        return False, (config,)
    hexo = (folder / "source" / "_posts").is_dir() or (folder / "scaffolds").is_dir()
    if not hexo and package.is_file():
        try:
            hexo = '"hexo"' in package.read_text(encoding="utf-8", errors="replace")
        except OSError:
            pass
    return not hexo, (config, folder / "source" / "_posts", folder / "scaffolds", package)


@rule("post-file-name", severity="error")
def post_file_name(doc, options):
    """A Jekyll post must be named for its date, or the site never shows it.

    Jekyll publishes a file of a ``_posts`` folder only when its name starts with a
    date, ``2024-05-01-slug.md``, and passes over any other silently: the post is in
    the repository and on no page. A date that is no day (``2024-13-01-``) stops the
    build. Reported at 1:1 of a file in a ``_posts`` folder of a Jekyll site (the
    nearest folder above it within the project that has a ``_config.yml`` and no sign of
    another generator: Hexo's posts, in ``source/_posts``, take any name). Drafts
    (``_drafts``) are named without a date, and are not checked.

    Fails:

        ==> _config.yml <==
        title: openSUSE News
        ==> _posts/2021/06-06-release-party.md <==
        ---
        title: Release party
        ---

    Passes:

        ==> _config.yml <==
        title: openSUSE News
        ==> _posts/2021/2021-06-06-release-party.md <==
        ---
        title: Release party
        ---
    """
    if "_posts" not in str(doc.fs_path):
        return  # (nearly every file of a run: one test in C)
    if files_of(doc).root is not None:
        return  # a document on other storage: its site is not on this disk
    path = Path(doc.fs_path)
    parts = path.parts
    if "_posts" not in parts[:-1]:
        return
    at = len(parts) - 1 - parts[::-1].index("_posts")
    posts = Path(*parts[:at + 1])
    if _jekyll_site(doc, posts.resolve()) is None:
        return
    inside = "/".join(parts[at + 1:])
    match = _JEKYLL_POST.fullmatch(inside)
    if match is None:
        yield Violation(1, 1, f"{path.name!r} is never published: Jekyll publishes a post only under a name"
                              f" starting with its date ({_named_for_its_date(doc, path)})")
        return
    year, month, day = (int(group) for group in match.groups()[:3])
    try:
        dt.date(year, month, day)
    except ValueError:
        yield Violation(1, 1, f"the date {'-'.join(match.groups()[:3])!r} in the post's name is no day:"
                              " Jekyll stops the build")


def _named_for_its_date(doc, path: Path) -> str:
    """The name the post should have, where its front matter dates it; else the pattern."""
    date = doc.meta.get("date") if isinstance(doc.meta, dict) else None
    if not isinstance(date, dt.date):
        return f"'YYYY-MM-DD-{path.name}'"
    stem = path.stem
    for written in (f"{date:%m-%d}-", f"{date.month}-{date.day}-"):  # a date written in part: "06-06-slug"
        if stem.startswith(written):
            stem = stem[len(written):]
            break
    return f"'{date:%Y-%m-%d}-{stem}{path.suffix}', by its date"


@hookimpl
def lintnews_rules():
    return [post_file_name]

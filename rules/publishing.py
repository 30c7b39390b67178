"""Publishing rules: ``post-file-name``, whether the site generator publishes the article at all."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path, PurePosixPath

from lintnews import Violation, hookimpl, rule
from lintnews.files import JEKYLL_CONFIGS, MAX_CONFIG_SIZE
from lintnews.lazy_re import lazy_compile
from lintnews.reading import ReadRefused, read_article
from lintnews.rules.image_paths import files_of

# Jekyll's own test of a post's path inside a _posts folder (Document::DATE_FILENAME_MATCHER):
# folders, then the date, a "-", the slug and an extension.
_JEKYLL_POST = lazy_compile(r"(?:.+/)*?(\d{2,4})-(\d{1,2})-(\d{1,2})-([^/]*)(\.[^./]+)")
_DATE_ONLY = lazy_compile(r"\d{2,4}-\d{1,2}-\d{1,2}")


def _jekyll_site(doc, posts: str) -> Path | None:
    """The Jekyll site whose ``_posts`` folder is ``posts``: the nearest folder above it, within
    the project, with a ``_config.yml`` that the survey reads as Jekyll's (not Hexo's, whose
    ``_config.yml`` sits above ``source/_posts``, where any file name is a post's). Looked up
    once per folder and run; the verdict depends on the paths it was read from."""
    key = ("jekyll-site", posts, str(doc.root))
    if key not in doc.run_cache:
        doc.run_cache[key] = _find_site(Path(doc.root).resolve(), Path(posts).resolve())
    site, exist, files = doc.run_cache[key]
    doc.depends_on(*exist, on="exists")
    doc.depends_on(*files)
    return site


def _find_site(root: Path, posts: Path) -> tuple[Path | None, tuple, tuple]:
    """(the site's folder or None, the paths whose existence and the files whose content that
    verdict depends on)."""
    exist, files = [], []
    folder = posts.parent
    while True:
        site, read = jekyll_site_at(folder, root)
        exist += read
        if folder / "package.json" in read:  # a configuration there: Hexo's names hexo among its dependencies
            files.append(folder / "package.json")
        if site or folder == root or root not in folder.parents:
            return (folder if site else None), tuple(exist), tuple(files)
        folder = folder.parent


def jekyll_site_at(folder: Path, root: Path) -> tuple[bool, tuple[Path, ...]]:
    """(whether ``folder`` is a Jekyll site's source, the paths whose existence told): a
    ``_config.yml`` (or ``_config.yaml``) and none of Hexo's signs, which the survey reads the same way (a
    ``source/_posts`` or ``scaffolds`` folder, or hexo in package.json, read as the survey reads
    it: a regular file inside the repository ``root``, up to its size bound, else saying nothing)."""
    configs = tuple(folder / name for name in JEKYLL_CONFIGS)
    package = folder / "package.json"
    if not any(config.is_file() for config in configs):
        return False, configs
    hexo = (folder / "source" / "_posts").is_dir() or (folder / "scaffolds").is_dir()
    if not hexo and package.is_file():
        try:  # (a package.json of 1.5 GB was read whole, into 3 GB, for one post)
            hexo = b'"hexo"' in read_article(package, root, MAX_CONFIG_SIZE)
        except (OSError, ReadRefused):
            pass
    return not hexo, (*configs, folder / "source" / "_posts", folder / "scaffolds", package)


@rule("post-file-name", severity="error")
def post_file_name(doc, options):
    """A Jekyll post must be named for its date, or the site never shows it.

    Jekyll publishes a file of a ``_posts`` folder only when its name starts with a
    date and a ``-`` (the title after it makes the post's address), ``2024-05-01-slug.md``,
    and passes over any other silently (``2024-05-01.md`` too): the post is in
    the repository and on no page. A date that is no day (``2024-13-01-``) stops the
    build. Reported at 1:1 of a file in a ``_posts`` folder of a Jekyll site: the
    nearest folder above it within the project that has a ``_config.yml`` (or
    ``_config.yaml``) and none of
    Hexo's signs (a ``source/_posts`` or ``scaffolds`` folder, hexo in ``package.json``),
    since Hexo's posts take any name. Drafts (``_drafts``) are named without a date, and
    are not checked.

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
    path = doc.fs_location
    if "_posts" not in path:
        return  # (nearly every file of a run: one test in C)
    if files_of(doc).root is not None:
        return  # a document on other storage: its site is not on this disk
    path = path.replace(os.sep, "/")
    at = path.rfind("/_posts/")
    if at < 0 and path.startswith("_posts/"):
        at = -1  # a relative path from the site's own folder
    elif at < 0:
        return  # "_posts" in a file's name, not a folder's
    if _jekyll_site(doc, path[:at + 7]) is None:
        return
    inside = path[at + 8:]
    match = _JEKYLL_POST.fullmatch(inside)
    if match is None:
        name = PurePosixPath(inside)
        if _DATE_ONLY.fullmatch(name.stem):  # the date, and no title after it to make the post's slug
            yield Violation(1, 1, f"{name.name!r} is never published: Jekyll publishes a post only under a name"
                                  f" of its date and a title ('{name.stem}-TITLE{name.suffix}')")
            return
        yield Violation(1, 1, f"{name.name!r} is never published: Jekyll publishes a post only under a name"
                              f" starting with its date ({_named_for_its_date(doc, name)})")
        return
    year, month, day = (int(group) for group in match.groups()[:3])
    try:
        dt.date(year, month, day)
    except ValueError:
        yield Violation(1, 1, f"the date {'-'.join(match.groups()[:3])!r} in the post's name is no day:"
                              " Jekyll stops the build")


def _named_for_its_date(doc, path: PurePosixPath) -> str:
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

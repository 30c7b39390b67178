"""Which site generator builds the repository, from its configuration files or, failing
those, the shape of its folders; where it serves files from; what it does with file names."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..files import ARTICLE_SUFFIXES, JEKYLL_CONFIGS, MAX_CONFIG_SIZE
from ..frontmatter import read_yaml
from ..reading import ReadRefused, read_article

# a site's configuration is a few kilobytes; a larger file is no configuration worth parsing
# (an 8 MB _config.yml took PyYAML a minute and 1.4 GB), and a FIFO in its place is never read


@dataclass(frozen=True)
class Site:
    """A detected site generator: its ``name``, what gave it away (``evidence``), the site
    roots that serve ``/x.png`` (relative to the project root), whether it dates a post by
    a ``2024-05-01-`` file name, and folders of Markdown that are not articles (its own, and
    the build it writes, which copies every article: Jekyll's and Eleventy's ``_site/``, Hugo's
    and Hexo's ``public/``, Astro's ``dist/``, Docusaurus's ``build/``; a build git ignores is
    skipped anyway)."""

    name: str
    evidence: str
    roots: tuple[str, ...] = ()
    dates_from_filenames: bool = False
    not_articles: tuple[str, ...] = ()
    markdown_in_html: bool = False  # its renderer reads Markdown inside HTML blocks (kramdown's parse_block_html)
    # the site's pages beside its posts folder (``posts``): a home page that is only ``layout: home``,
    # an about page, NexT's ``type: tags`` page; globs, as init excludes them. They ask no date or
    # author, and may have no body: not articles
    pages: tuple[str, ...] = ()
    posts: str = ""


def detect(root: Path, unread: list[str] | None = None) -> Site | None:
    """The site generator of the repository at ``root``, or None when nothing says which.
    Each configuration file that could not be read is named in ``unread``, with why: what it
    would have said is missing from the detection."""
    files = {path.name for path in root.iterdir() if path.is_file()} if root.is_dir() else set()
    read = _Reader(root, [] if unread is None else unread).text
    dependencies = _dependencies(read("package.json")) if os.path.lexists(root / "package.json") else set()
    for check in (_hexo, _docusaurus, _astro, _eleventy, _hugo, _jekyll):
        site = check(root, files, dependencies, read)
        if site is not None:
            return site
    return None


class _Reader:
    """The site's configuration files, read as text: only regular files inside the
    repository, up to MAX_CONFIG_SIZE, as articles are read; what is not read is noted."""

    def __init__(self, root: Path, unread: list[str]) -> None:
        self.root, self.unread = root, unread

    def text(self, name: str) -> str:
        """The file's text, or "" (and a note) when it cannot be read."""
        try:
            return read_article(self.root / name, self.root, MAX_CONFIG_SIZE).decode("utf-8")
        except ReadRefused as exc:
            why = f"larger than {MAX_CONFIG_SIZE:g} MB" if exc.rule == "too-large" else exc.message
        except OSError as exc:
            why = exc.strerror or str(exc)
        except UnicodeDecodeError:
            why = "not UTF-8 text"
        self.unread.append(f"{name} could not be read, and the site was detected without it: {why}")
        return ""


# a repository's own documents, beside the articles: not written for readers of the site
REPOSITORY_DOCUMENTS = ("README", "CONTRIBUTING", "CHANGELOG", "LICENSE", "CODE_OF_CONDUCT", "SECURITY")


def repository_documents(root: Path) -> tuple[str, ...]:
    """The Markdown and HTML files at ``root`` named like repository documents (README.md …)."""
    if not root.is_dir():
        return ()
    return tuple(sorted(path.name for path in root.iterdir()
                        if path.is_file() and path.stem.upper() in REPOSITORY_DOCUMENTS
                        and path.suffix.lower() in ARTICLE_SUFFIXES))


def _hexo(root: Path, files: set[str], dependencies: set[str], read: Callable[[str], str]) -> Site | None:
    if "hexo" in dependencies:
        evidence = "package.json depends on hexo"
    elif (root / "source" / "_posts").is_dir():
        evidence = "a source/_posts/ folder"
    elif (config := _jekyll_config(files)) and (root / "scaffolds").is_dir():
        evidence = f"{config} and scaffolds/"
    else:
        return None
    return Site("Hexo", evidence, _existing(root, "source"), False, _existing(root, "scaffolds", "themes", "public"),
                pages=_hexo_pages(root), posts="source/_posts/")


def _hexo_pages(root: Path) -> tuple[str, ...]:
    """Hexo's pages, beside source/_posts/: the article files of source/ itself, and each folder of
    source/ holding any (``source/about/**``). Hexo renders no file or folder whose name starts with
    "_" but _posts (and _drafts), nor a hidden one: those are left as they are."""
    source = root / "source"
    if not (source / "_posts").is_dir():
        return ()
    pages = []
    for entry in sorted(source.iterdir()):
        if entry.name.startswith(("_", ".")):
            continue
        if entry.is_file() and entry.suffix.lower() in ARTICLE_SUFFIXES:
            pages.append(f"/source/{entry.name}")
        elif entry.is_dir() and _holds_articles(entry):
            pages.append(f"source/{entry.name}/**")
    return tuple(pages)


def _holds_articles(folder: Path) -> bool:
    """Whether ``folder`` or a folder in it, not hidden, holds a Markdown or HTML file."""
    for _, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        if any(os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES for name in names):
            return True
    return False


def _configured(files: set[str], dependencies: set[str], prefixes: tuple[str, ...], package: str) -> str | None:
    """What shows that a generator builds the site: its configuration file (the first by name, of
    those starting with one of ``prefixes``), or its ``package`` in package.json; None for neither."""
    config = sorted(name for name in files if name.startswith(prefixes))
    if config:
        return config[0]
    return f"package.json depends on {package}" if package in dependencies else None


def _docusaurus(root: Path, files: set[str], dependencies: set[str], read: Callable[[str], str]) -> Site | None:
    evidence = _configured(files, dependencies, ("docusaurus.config.",), "@docusaurus/core")
    if evidence is None:
        return None
    # it dates a blog post by its file or folder name and serves static/ at the root; its docs/
    # and src/pages/ are the site's documentation and pages, not articles
    return Site("Docusaurus", evidence, _existing(root, "static"), True, _existing(root, "docs", "src/pages", "build"))


def _astro(root: Path, files: set[str], dependencies: set[str], read: Callable[[str], str]) -> Site | None:
    evidence = _configured(files, dependencies, ("astro.config.",), "astro")
    if evidence is None and ((root / "src" / "content").is_dir() or (root / "src" / "pages").is_dir()):
        evidence = "a src/pages/ or src/content/ folder"
    if evidence is None:
        return None
    return Site("Astro", evidence, _existing(root, "public"), False, _existing(root, "dist"))


def _eleventy(root: Path, files: set[str], dependencies: set[str], read: Callable[[str], str]) -> Site | None:
    config = sorted(name for name in files if name.startswith((".eleventy.", "eleventy.config.")))
    evidence = _configured(files, dependencies, (".eleventy.", "eleventy.config."), "@11ty/eleventy")
    if evidence is None:
        return None
    # Eleventy dates a page by a YYYY-MM-DD in its file name. It serves its input folder (".", or
    # what the configuration's dir.input names), where the files it is told to copy keep their
    # paths, and a copy mapped to "/" (addPassthroughCopy({"src/static": "/"})) at the root too
    text = "".join(read(name) for name in config)
    served = (_eleventy_input(text), *map(_folder, _ELEVENTY_TO_ROOT.findall(text)))
    return Site("Eleventy", evidence, _existing(root, *dict.fromkeys(folder for folder in served if folder)), True,
                _existing(root, "_includes", "_layouts", "_site"))


def _eleventy_input(config: str) -> str | None:
    """The input folder an Eleventy configuration names in its ``dir`` object ("." when it names
    none), or None where that is not a plain string (a variable, an expression): then no root
    is guessed, and image-root-unknown says so, rather than every image being looked for in "."."""
    found = _ELEVENTY_DIR.search(config)
    if found is None:
        return None if re.search(r"\bdir\s*[:=]", config) and re.search(r"\binput\b", config) else "."
    entries = found.group(1)
    if not re.search(r"\binput\b", entries):
        return "."
    named = _ELEVENTY_INPUT.search(entries)
    return _folder(named.group(2)) if named else None


# the dir object of the configuration ("dir: {…}" with no nested braces), and a plain string
# given as its input ("input: 'src'", followed by a comma, the object's end or a line break)
_ELEVENTY_DIR = re.compile(r"\bdir\s*:\s*\{([^{}]*)\}")
_ELEVENTY_INPUT = re.compile(r"""\binput\s*:\s*(["'`])([^"'`\n]+)\1(?=[ \t]*(?:,|//|/\*|\n|\Z))""")
_ELEVENTY_TO_ROOT = re.compile(r"""["'`]([^"'`\n]+)["'`]\s*:\s*["'`]/["'`]""")


def _folder(path: str) -> str:
    """A folder of the configuration as the project's relative path: "./src/" is "src", "./" is "."."""
    parts = [part for part in path.strip().split("/") if part not in ("", ".")]
    return "/".join(parts) or "."


def _hugo(root: Path, files: set[str], dependencies: set[str], read: Callable[[str], str]) -> Site | None:
    config = sorted(name for name in files if name.split(".")[0] in ("hugo", "config")
                    and name.endswith((".toml", ".yaml", ".yml", ".json")))
    if config and (root / "content").is_dir():
        evidence = config[0]
    elif (root / "content").is_dir() and any((root / name).is_dir() for name in ("archetypes", "layouts", "static")):
        evidence = "content/ beside archetypes/, layouts/ or static/"
    elif (root / "content").is_dir() and not (root / "_posts").is_dir():
        evidence = "a content/ folder"
    else:
        return None
    text = "".join(read(name) for name in config)
    # Hugo takes the date from the file name only when [frontmatter] says ":filename"
    return Site("Hugo", evidence, _existing(root, "static"), ":filename" in text,
                _existing(root, "archetypes", "themes", "layouts", "public", "resources"),
                pages=_hugo_pages(root), posts="the sections of content/")


def _hugo_pages(root: Path) -> tuple[str, ...]:
    """Hugo's pages: the article files of content/ itself (``about.md``, PaperMod's ``search.md``
    that is only ``layout: search``), where its sections (content/posts/…) hold more articles than
    they: a site that keeps its posts in content/ itself keeps them. ``_index.*`` is a section's
    list page, which front-matter-required and empty-body leave alone already."""
    content = root / "content"
    top = [entry.name for entry in sorted(content.iterdir()) if entry.is_file()
           and entry.suffix.lower() in ARTICLE_SUFFIXES and not entry.name.startswith(("_", "."))]
    if not top:
        return ()
    below = 0
    for entry in content.iterdir():
        if entry.is_dir() and not entry.name.startswith("."):
            for _, folders, names in os.walk(entry):
                folders[:] = [name for name in folders if not name.startswith(".")]
                below += sum(1 for name in names if os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES)
    return tuple(f"/content/{name}" for name in top) if below > len(top) else ()


def _jekyll(root: Path, files: set[str], dependencies: set[str], read: Callable[[str], str]) -> Site | None:
    config = _jekyll_config(files)
    if config:
        evidence = config
    elif (root / "_posts").is_dir():
        evidence = "a _posts/ folder"
    else:
        return None
    roots = (".",) if config else ()
    # Jekyll publishes posts only from _posts/: where there is one, the article files beside
    # _config.yml are the site's pages (`jekyll new` writes index.markdown, about.markdown and
    # 404.html), and the repository's own documents, excluded as such
    pages = tuple(f"/{name}" for name in sorted(files) if os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES
                  and os.path.splitext(name)[0].upper() not in REPOSITORY_DOCUMENTS) \
        if (root / "_posts").is_dir() else ()
    return Site("Jekyll", evidence, roots, True, _existing(root, "_layouts", "_includes", "vendor", "_site"),
                _parses_block_html(read(config)) if config else False, pages, "_posts/")


def _jekyll_config(files: set[str]) -> str | None:
    """The name of Jekyll's configuration among the names ``files``, if any."""
    return next((name for name in JEKYLL_CONFIGS if name in files), None)


def _parses_block_html(text: str) -> bool:
    """Whether a Jekyll ``_config.yml`` has kramdown read Markdown inside HTML blocks."""
    if "parse_block_html" not in text:
        return False
    try:  # libyaml, as front matter is read: PyYAML's own reader takes seconds a megabyte
        data = read_yaml(text)
    except Exception:  # not YAML, or a parser failing in any way on bad input (a number of 5,000 digits)
        return False
    kramdown = data.get("kramdown") if isinstance(data, dict) else None
    return isinstance(kramdown, dict) and kramdown.get("parse_block_html") is True


def _existing(root: Path, *names: str) -> tuple[str, ...]:
    return tuple(name for name in names if (root / name).is_dir())


def _dependencies(text: str) -> set[str]:
    """The packages package.json's text names in its dependencies and devDependencies."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return set()
    if not isinstance(data, dict):
        return set()
    found: set[str] = set()
    for key in ("dependencies", "devDependencies"):
        if isinstance(data.get(key), dict):
            found |= set(data[key])
    return found

"""What a site generator gives an article besides its own front matter.

A Jekyll site sets keys for many posts at once in ``_config.yml`` (``defaults:``, each with a
``scope`` of a path and a type), and a theme credits the site's ``author`` (Jekyll's or Hexo's
``_config.yml``, Hugo's ``params.author``) on every post that names none; Eleventy's
directory data files (``posts/posts.json``, ``posts/posts.11tydata.json``) give their keys to
every template in their folder. ``given`` reads them for an article: from the nearest folder
above it, within the project, that holds a generator's configuration (Eleventy's data files
on the way up), once per folder and run. A file that cannot be read or parsed gives nothing.
"""
from __future__ import annotations

import json
import os
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from lintnews.frontmatter import _load_toml, read_yaml
from lintnews.reading import read_article
from lintnews.rules.image_paths import files_of

# Jekyll's defaults read, at most: a site has a handful, and each is matched against every
# article that lacks a key (18,000 in a 1 MB _config.yml took 0.2 s an article)
MAX_DEFAULTS = 100
_JEKYLL_OR_HEXO = ("_config.yml", "_config.yaml")
_HUGO = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
# Hugo's older names, which other tools use too: Hugo's only beside its content/ folder
_HUGO_OLD = ("config.toml", "config.yaml", "config.yml", "config.json")
_HUGO_SPLIT = ("config/_default/hugo.toml", "config/_default/config.toml", "config/_default/params.toml",
               "config/_default/hugo.yaml", "config/_default/config.yaml", "config/_default/params.yaml")
_ELEVENTY = (".eleventy.js", ".eleventy.cjs", "eleventy.config.js", "eleventy.config.cjs", "eleventy.config.mjs")


def given(doc) -> dict:
    """The keys, with their values, that the article's site generator sets for it where its
    front matter does not: {} when none (or the article is not on this disk)."""
    if files_of(doc).root is not None:
        return {}  # a document on other storage: its site is not on this disk
    root = Path(doc.root)
    try:
        relative = PurePosixPath(Path(os.path.relpath(doc.fs_path, root)).as_posix())
    except ValueError:  # another drive
        return {}
    if relative.parts[:1] == ("..",):
        return {}
    key = ("site-defaults", str(root), str(relative.parent))
    site = doc.run_cache.get(key)
    if site is None:
        loaded = doc.run_cache.setdefault(("site-files", str(root)), {})
        site = doc.run_cache[key] = _Site.find(root, relative.parent, loaded)
    doc.depends_on(*site.watched, on="exists")
    doc.depends_on(*site.read)
    return site.values_for(relative)


class _Site:
    """What the folders above an article give it: ``values`` for every article there, and
    Jekyll's ``defaults`` (scope path, scope type, values) for those their scope takes in,
    with paths relative to the site's folder ``home``."""

    def __init__(self, root: Path, loaded: dict) -> None:
        self.root = root
        self.loaded = loaded  # path → what ``_load`` read there, for every folder of the run
        self.values: dict = {}
        self.defaults: list[tuple[str, str | None, dict]] = []
        self.home = PurePosixPath(".")
        # What the answer depends on, each stamp checked for every cached result on every run:
        # in the article's own folder, whether each name looked for is there (a new article
        # beside it changes nothing); each folder above, as a whole, whose time changes when a
        # file is added to it, removed or renamed (one stamp for a dozen names, in a folder
        # that seldom changes); and the files read
        self.watched: list[Path] = []
        self.read: list[Path] = []

    @classmethod
    def find(cls, root: Path, folder: PurePosixPath, loaded: dict) -> "_Site":
        site = cls(root, loaded)
        own = folder
        site._watch(root, own == PurePosixPath("."), _ELEVENTY)
        eleventy = any((root / name).is_file() for name in _ELEVENTY)
        data: list[dict] = []  # Eleventy's directory data, the deepest folder's first
        while True:
            here = root / folder
            if folder.name and eleventy:
                names = (f"{folder.name}.11tydata.json", f"{folder.name}.json")
                site._watch(here, folder == own, names)
                data += [site._json(here / name) for name in names]
            if site._configured(root, folder, folder == own):
                break
            if folder == folder.parent or not folder.parts:
                break
            folder = folder.parent
        for values in reversed(data):  # a deeper folder's keys win
            site.values.update(values)
        return site

    def _watch(self, here: Path, own: bool, names) -> None:
        """Depend on ``names`` in the folder ``here``: each, in the article's ``own`` folder;
        else the folder as a whole."""
        if own:
            self.watched += [here / name for name in names]
        elif here not in self.read:
            self.read.append(here)

    def _configured(self, root: Path, folder: PurePosixPath, own: bool) -> bool:
        """Read the generator's configuration in ``folder``, if it has one; ``own``: the
        article's own folder."""
        here = root / folder
        self._watch(here, own, _JEKYLL_OR_HEXO + _HUGO + ("content", "config"))
        for name in _JEKYLL_OR_HEXO:
            config = self._load(here / name, read_yaml)
            if config is not None:
                self.home = folder
                self._author(config)
                self._jekyll_defaults(config.get("defaults"))
                return True
        names = _HUGO
        if (here / "content").is_dir():
            names += _HUGO_OLD
            self._watch(here, own, _HUGO_OLD)
        if (here / "config" / "_default").is_dir():
            self.read.append(here / "config" / "_default")
            names += _HUGO_SPLIT
        found = False
        for name in names:
            config = self._load(here / name, _loader(name))
            if config is not None:
                self.home, found = folder, True
                if not name.endswith(("params.toml", "params.yaml")):
                    self._author(config.get("params"))  # params.author first, as themes ask for it
                self._author(config)
        return found

    def _load(self, path: Path, load) -> dict | None:
        """The mapping in the file at ``path``: None when there is no such file, ``{}`` when it
        cannot be read or holds no mapping (it is there, and says nothing)."""
        if not path.is_file():
            return None
        self.read.append(path)
        if path not in self.loaded:  # parsed once a run, however many folders below it ask
            from lintnews.survey.site import MAX_CONFIG_SIZE  # (the survey's bound; imported where a site has a file)

            try:  # as articles are read: a regular file inside the repository
                data = load(read_article(path, self.root, MAX_CONFIG_SIZE).decode("utf-8"))
            except Exception:  # unreadable, too large, not UTF-8, or a parser failing in any way on bad input
                data = {}
            self.loaded[path] = data if isinstance(data, dict) else {}
        return self.loaded[path]

    def _json(self, path: Path) -> dict:
        return self._load(path, json.loads) or {}

    def _author(self, config) -> None:
        """A site-wide author: a name, or a mapping or list that holds one."""
        if not isinstance(config, dict) or "author" in self.values:
            return
        author = config.get("author")
        if isinstance(author, dict):
            author = author.get("name")
        if isinstance(author, str) and author.strip() or isinstance(author, list) and author:
            self.values["author"] = author

    def _jekyll_defaults(self, defaults) -> None:
        if not isinstance(defaults, list):
            return
        for entry in defaults[:MAX_DEFAULTS]:
            if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
                continue
            scope = entry.get("scope") if isinstance(entry.get("scope"), dict) else {}
            path, kind = scope.get("path", ""), scope.get("type")
            if isinstance(path, str) and (kind is None or isinstance(kind, str)):
                self.defaults.append((path.strip("/"), kind, entry["values"]))

    def values_for(self, relative: PurePosixPath) -> dict:
        """What the site gives the article at ``relative`` (to the project's root)."""
        if not self.defaults:
            return self.values
        try:
            inside = relative.relative_to(self.home)
        except ValueError:
            return self.values
        values = dict(self.values)
        for path, kind, given_values in self.defaults:
            if _in_scope(inside, path, kind):
                values.update(given_values)
        return values


# what a generator's new site says until it is edited: `hexo init` writes "author: John Doe"
_SCAFFOLD_VALUES = frozenset({"john doe"})


def scaffold(value) -> bool:
    """Whether a value the site gives is its generator's placeholder, credited to nobody."""
    return isinstance(value, str) and value.strip().lower() in _SCAFFOLD_VALUES


def _loader(name: str):
    if name.endswith(".toml"):
        return _load_toml
    if name.endswith(".json"):
        return json.loads
    return read_yaml


def _in_scope(inside: PurePosixPath, path: str, kind: str | None) -> bool:
    """Whether a Jekyll default's scope takes in the file at ``inside`` (to the site's folder):
    its ``path`` a folder above it or the file itself ("" every file; ``*`` a glob), its
    ``type`` posts (in ``_posts``), drafts (in ``_drafts``), pages (no collection's) or a
    collection's (in ``_NAME``)."""
    text = inside.as_posix()
    if path and not (text == path or text.startswith(path + "/")
                     or "*" in path and any(fnmatchcase(part.as_posix(), path) for part in (inside, *inside.parents))):
        return False
    if kind is None:
        return True
    folders = inside.parts[:-1]
    if kind == "posts":
        return "_posts" in folders
    if kind == "drafts":
        return "_drafts" in folders
    if kind == "pages":
        return not any(folder.startswith("_") for folder in folders)
    return f"_{kind}" in folders

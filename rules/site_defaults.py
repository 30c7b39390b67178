"""What a site generator gives an article besides its own front matter.

A Jekyll site sets keys for many posts at once in ``_config.yml`` (``defaults:``, each with a
``scope`` of a path and a type), and a theme credits the site's ``author`` (Jekyll's or Hexo's
``_config.yml``, Hugo's ``params.author``) on every post that names none; Hugo's ``cascade``
(in a section's ``_index.md`` or the configuration) gives keys to the pages below; Eleventy's
directory data files (``posts/posts.json``, ``posts/posts.11tydata.json``) give their keys to
every template in their folder. ``given`` reads them for an article: from the nearest folder
above it, within the project, that holds a generator's configuration (Eleventy's data files
on the way up), once per folder and run. A file that cannot be read or parsed gives nothing,
and neither does a value that front matter could not hold (see ``_sound``).
"""
from __future__ import annotations

import json
import os
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from lintnews.files import JEKYLL_CONFIGS, MAX_CONFIG_SIZE
from lintnews.frontmatter import _load_toml, _too_big, load_front_matter, parse_front_matter, read_yaml, split_front_matter
from lintnews.lazy_re import lazy_compile
from lintnews.reading import read_article
from lintnews.rules.image_paths import files_of

# Jekyll's defaults read, at most: a site has a handful, and each is matched against every
# article that lacks a key (18,000 in a 1 MB _config.yml took 0.2 s an article); and a scope's
# path that is a glob, at most MAX_GLOB characters long (a hundred of 8,000 took 10 s to compile)
MAX_DEFAULTS = 100
# and of each Hugo cascade, its entries and their path globs (a site has one or two, short):
# each glob is matched against the path of every page below that lacks a key; and of the
# entries a page takes in from the sections above it, the first MAX_CASCADES, from the top
# down (a page a thousand sections deep, each cascading ten entries, took 50 s)
MAX_CASCADE, MAX_CASCADES, MAX_GLOB, _MAX_ALTERNATIVES = 10, 100, 100, 8
_HUGO = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
# Hugo's older names, which other tools use too: Hugo's only beside its content/ folder
_HUGO_OLD = ("config.toml", "config.yaml", "config.yml", "config.json")
_HUGO_SPLIT = ("config/_default/hugo.toml", "config/_default/config.toml", "config/_default/params.toml",
               "config/_default/hugo.yaml", "config/_default/config.yaml", "config/_default/params.yaml")
# a Hugo section's own page, whose front matter may cascade keys to the pages below it
_SECTION_PAGES = ("_index.md", "_index.markdown")
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
        # Hugo's: its content folder (None: no Hugo site), and the cascades, the site's first,
        # then each section's from the top down: (the section's folder, None for the site's;
        # the globs of its target's path, None for every page below; the values)
        self.content: PurePosixPath | None = None
        self.cascades: list[tuple[PurePosixPath | None, list[_Glob] | None, dict]] = []
        self.folder_states: dict[int, int] = {}  # id of a glob → its states after the folder's path
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
        walked: list[PurePosixPath] = []
        while True:
            walked.append(folder)
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
            site.values.update((key, value) for key, value in values.items() if _sound(value))
        if site.content is not None:
            for section in reversed(walked):  # the top section's first: a deeper one's keys win
                if len(site.cascades) < MAX_CASCADES and (section == site.content or site.content in section.parents):
                    site._section_cascade(root, section)
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
        self._watch(here, own, JEKYLL_CONFIGS + _HUGO + _SECTION_PAGES + ("content", "config"))
        for name in JEKYLL_CONFIGS:
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
        content = "content"
        for name in names:
            config = self._load(here / name, _loader(name))
            if config is not None:
                self.home, found = folder, True
                if not name.endswith(("params.toml", "params.yaml")):
                    self._author(config.get("params"))  # params.author first, as themes ask for it
                    self._cascade(None, config.get("cascade"))
                    if isinstance(config.get("contentDir"), str) and config["contentDir"].strip("/"):
                        content = config["contentDir"].strip("/")
                self._author(config)
        if found:
            self.content = folder / content
        return found

    def _section_cascade(self, root: Path, section: PurePosixPath) -> None:
        """The cascade of the section page in ``section``, if it has one."""
        for name in _SECTION_PAGES:
            page = self._load(root / section / name, _front_matter)
            if page is not None:
                self._cascade(section, page.get("cascade"))
                return

    def _cascade(self, section: PurePosixPath | None, cascade) -> None:
        """Hugo's ``cascade``: a mapping of keys, or a list of them, each with an optional
        ``target`` (``_target`` before Hugo 0.140) that picks the pages it gives them to."""
        for entry in (cascade if isinstance(cascade, list) else [cascade])[:MAX_CASCADE]:
            if not isinstance(entry, dict) or len(self.cascades) >= MAX_CASCADES:
                continue
            target = entry.get("target", entry.get("_target"))
            values = {key: value for key, value in entry.items() if key not in ("target", "_target")}
            if isinstance(values.get("params"), dict):  # a page's own keys, as Hugo 0.123 and later write them
                values = {**values.pop("params"), **values}
            if values and (target is None or isinstance(target, dict)) and _sound(values):
                self.cascades.append((section, _target_globs(target or None), values))

    def _load(self, path: Path, load) -> dict | None:
        """The mapping in the file at ``path``: None when there is no such file, ``{}`` when it
        cannot be read or holds no mapping (it is there, and says nothing)."""
        if not path.is_file():
            return None
        self.read.append(path)
        if path not in self.loaded:  # parsed once a run, however many folders below it ask
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
        if isinstance(author, str) and author.strip() or isinstance(author, list) and author and _sound(author):
            self.values["author"] = author

    def _jekyll_defaults(self, defaults) -> None:
        if not isinstance(defaults, list):
            return
        for entry in defaults[:MAX_DEFAULTS]:
            if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict) or not _sound(entry["values"]):
                continue
            scope = entry.get("scope") if isinstance(entry.get("scope"), dict) else {}
            path, kind = scope.get("path", ""), scope.get("type")
            if isinstance(path, str) and (kind is None or isinstance(kind, str)) \
                    and ("*" not in path or len(path) <= MAX_GLOB):
                self.defaults.append((path.strip("/"), kind, entry["values"]))

    def values_for(self, relative: PurePosixPath) -> dict:
        """What the site gives the article at ``relative`` (to the project's root)."""
        if not self.defaults and not self.cascades:
            return self.values
        try:
            inside = relative.relative_to(self.home)
        except ValueError:
            return self.values
        values = dict(self.values)
        for path, kind, given_values in self.defaults:
            if _in_scope(inside, path, kind):
                values.update(given_values)
        if self.cascades and self.content in relative.parents:
            folder, name = _hugo_path(relative.relative_to(self.content))
            for section, globs, given_values in self.cascades:
                if section is not None and section == relative.parent and relative.name in _SECTION_PAGES:
                    continue  # a section's cascade is for the pages below it
                if globs is None or any(self._reaches(glob, folder, name) for glob in globs):
                    values.update(given_values)
        return values

    def _reaches(self, glob: "_Glob", folder: str, name: str) -> bool:
        """Whether ``glob`` takes in the page ``folder`` + ``name``, the folder's part read once
        for every page in it (all of this site's pages are in one folder)."""
        states = self.folder_states.get(id(glob))
        if states is None:
            states = self.folder_states[id(glob)] = glob.run(glob.start, folder)
        return bool(glob.run(states, name) & glob.end)


# what a generator's new site says until it is edited: `hexo init` writes "author: John Doe"
_SCAFFOLD_VALUES = frozenset({"john doe"})


def _sound(value) -> bool:
    """Whether a value a configuration gives holds to the limits front matter is held to (no
    deeper than MAX_DEPTH, no more than MAX_VALUES values): a configuration is read by a
    plain YAML load, whose aliases are shared, not copied, so ``[*a, *a, …]`` nested a few
    times, or ``&a [*a]``, is small on disk and loaded at once, but a rule walking it would
    walk 10⁹ values or loop (as the front-matter rules walk what the site gives)."""
    return _too_big({"": value}) is None


def scaffold(value) -> bool:
    """Whether a value the site gives is its generator's placeholder, credited to nobody."""
    return isinstance(value, str) and value.strip().lower() in _SCAFFOLD_VALUES


def _front_matter(text: str) -> dict:
    """The front matter of a Markdown page, read as the article's is (YAML, TOML or JSON); {}
    where it has none, or none that can be read."""
    block = split_front_matter(text)
    if block is None or not block.closed:
        return {}
    return (parse_front_matter if block.format is None else load_front_matter)(text, block)[1]


def _hugo_path(inside: PurePosixPath) -> tuple[str, str]:
    """The path Hugo gives the page at ``inside`` (its content folder's), in small letters,
    as its folder's part and the rest: without its extension, a bundle's ``index`` as its
    folder (``/posts/my-trip`` for ``posts/my-trip.md`` and ``posts/my-trip/index.md``)."""
    folder = "".join(f"/{part}" for part in inside.parent.parts).lower()
    rest = "" if inside.stem in ("index", "_index") else f"/{inside.stem.lower()}"
    return folder, rest or ("" if folder else "/")


def _target_globs(target: dict | None) -> list["_Glob"] | None:
    """The path globs a cascade's ``target`` takes pages in by (None: every page below): its
    ``path`` (``**`` any folders, ``*`` and ``?`` within one, ``{a,b}`` either), none where its
    ``kind`` (a glob too) takes in no regular page; its language and environment are taken to
    hold."""
    if target is None:
        return None
    kind = target.get("kind")
    if kind is not None and not (isinstance(kind, str)  # (anything but text names no kind)
                                 and any(_Glob(glob).matches("page") for glob in _alternatives(kind.lower()))):
        return []  # (a glob too: "{page,section}", "*")
    path = target.get("path")
    if path is None:
        return None
    return [_Glob(glob) for glob in _alternatives(path.lower())] if isinstance(path, str) else []


_BRACES = lazy_compile(r"\{([^{}]*)\}")  # an innermost pair of braces


def _alternatives(pattern: str) -> list[str]:
    """The globs that ``{a,b}`` in ``pattern`` stands for; none where the pattern is longer, or
    they would be more, than a site writes (see ``MAX_GLOB``)."""
    if len(pattern) > MAX_GLOB:
        return []
    found, done = [pattern], []
    while found:
        glob = found.pop()
        braces = _BRACES.search(glob)
        if braces is None:
            done.append(glob)
        else:
            found += [glob[:braces.start()] + choice + glob[braces.end():] for choice in braces.group(1).split(",")]
        if len(found) + len(done) > _MAX_ALTERNATIVES:
            return []
    return done


_GLOB_TOKEN = lazy_compile(r"\*+|\?|[^*?]")


class _Glob:
    """A path glob (``**`` any characters, ``*`` any but ``/``, ``?`` one but ``/``) read as the
    set of its places the text so far can reach, a bit each, carried along the text a character
    at a time: linear in the text (a regular expression with a few ``**`` backtracks without
    end on a path made to miss), and a folder's states are kept for every page in it."""

    def __init__(self, glob: str) -> None:
        self.any = self.within = self.one = 0  # bit i: token i is "**", "*", "?"
        self.literal: dict[str, int] = {}
        tokens = _GLOB_TOKEN.findall(glob)
        for place, token in enumerate(tokens):
            bit = 1 << place
            if token.startswith("**"):
                self.any |= bit
            elif token == "*":
                self.within |= bit
            elif token == "?":
                self.one |= bit
            else:
                self.literal[token] = self.literal.get(token, 0) | bit
        self.stars = self.any | self.within
        self.end = 1 << len(tokens)
        self.start = self._closed(1)

    def _closed(self, states: int) -> int:
        # a star may match nothing: the place after it is reached too (no two stars are neighbours)
        return states | (states & self.stars) << 1

    def run(self, states: int, text: str) -> int:
        """The places reached from ``states`` once ``text`` is read."""
        for character in text:
            if not states:
                return 0
            if character == "/":
                stay, step = states & self.any, states & self.literal.get("/", 0)
            else:
                stay, step = states & self.stars, states & (self.literal.get(character, 0) | self.one)
            states = self._closed(stay | step << 1)
        return states

    def matches(self, text: str) -> bool:
        return bool(self.run(self.start, text) & self.end)


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

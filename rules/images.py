"""Image rules: broken image links and missing alternative text."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lintnews import hookimpl, rule

_INLINE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]\\\n]++|\\.|\[[^\[\]\n]*\])*+)\]"
    r"(?:\(\s*(?P<dest><[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
    r"|\[(?P<ref>[^\[\]\n]*)\])?")
_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*(?P<dest><[^>\n]*>|\S+)", re.MULTILINE)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?"
                   r"|\[[0-9A-Fa-f:.]+\]")
_WELL_FORMED = re.compile(  # the common case, recognised without urlsplit
    r"(?:[Hh][Tt][Tt][Pp][Ss]?:)?//(?:[^\s/?#@\[\]]*@)?"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?"
    r"(?::(\d{1,5}))?(?:[/?#]\S*)?")
_TEMPLATE = re.compile(r"\{\{|\{%|<%|\$\{")
LAZY_SOURCES = ("data-src", "data-original")
FRONT_MATTER_URL_KEYS = ("url", "src", "image")


@dataclass(frozen=True)
class ImageRef:
    """An image reference: its URL, where to report a problem with it, and what kind it is."""

    url: str | None  # None: a reference to an undefined label
    offset: int | None  # None for front-matter images: found from meta_path when needed
    kind: str  # "html", "markdown", "front-matter"
    alt: str | None = None
    meta_path: tuple = ()
    end: int | None = None

    def locate(self, doc) -> int:
        """Where to report a problem with this image."""
        return self.offset if self.offset is not None else doc.meta_offset(*self.meta_path)


def html_images(doc):
    """``(tag, src attribute or None)`` for every ``<img>`` outside code and comments."""
    for tag in doc.scan.tags:
        if tag.name == "img" and not tag.closing:
            source = tag.get("src") or next((tag.get(name) for name in LAZY_SOURCES if tag.get(name)), None)
            yield tag, source


def markdown_images(doc) -> list:
    """``(match, url, url offset)`` for Markdown images; reference images resolve through definitions.

    The URL is None for a reference to an undefined label. Computed once per document.
    """
    if "markdown-images" not in doc.cache:
        doc.cache["markdown-images"] = list(_markdown_images(doc))
    return doc.cache["markdown-images"]


def _markdown_images(doc):
    text = doc.markdown
    definitions = {}
    for match in (_DEFINITION.finditer(text, doc.body_offset) if "]:" in text else ()):
        label = _label(match.group("label"))
        if label not in definitions:
            dest = match.group("dest")
            definitions[label] = (dest.strip("<>"), match.start("dest") + (1 if dest.startswith("<") else 0))
    for match in _INLINE.finditer(text, doc.body_offset):
        if match.group("dest") is not None:
            dest = match.group("dest")
            yield match, dest.strip("<>"), match.start("dest") + (1 if dest.startswith("<") else 0)
        elif match.group("ref") is not None or _label(match.group("alt")) in definitions:
            label = _label(match.group("ref") or match.group("alt"))
            url, offset = definitions.get(label, (None, match.start()))
            yield match, url, offset


def image_refs(doc, front_matter_keys) -> list[ImageRef]:
    """Every image an article shows: HTML, Markdown and front-matter images."""
    refs = []
    for key in front_matter_keys:
        for path, url in _front_matter_urls(doc.meta.get(key), (key,)):
            refs.append(ImageRef(url, None, "front-matter", meta_path=path))
    for tag, source in html_images(doc):
        if source is not None:
            refs.append(ImageRef(source.value or "", source.offset, "html", end=source.end))
    for match, url, offset in markdown_images(doc):
        end = offset + len(url) if url is not None else match.end()
        refs.append(ImageRef(url, offset, "markdown", match.group("alt"), end=end))
    return refs


@lru_cache(maxsize=4096)
def url_problem(url: str) -> str | None:
    """What is wrong with an image URL on its face, or None (local paths are checked elsewhere)."""
    url = url.strip()
    if not url:
        return "empty image URL"
    if _TEMPLATE.search(url):
        return None  # filled in by the site generator; nothing to check here
    scheme = _SCHEME.match(url)
    if scheme and len(scheme.group(1)) == 1:
        return f"image path {url!r} is a path on the author's computer"
    if scheme:
        name = scheme.group(1).lower()
        if name == "data":
            return None
        if name not in ("http", "https"):
            return f"image URL {url!r} uses unsupported scheme '{name}:'"
    if scheme or url.startswith("//"):
        return _remote_problem(url)
    return None


def _remote_problem(url: str) -> str | None:
    if (match := _WELL_FORMED.fullmatch(url)) and int(match.group(1) or 0) <= 65535:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # raises ValueError for a bad port
    except ValueError as exc:
        return f"malformed image URL {url!r}: {exc}"
    host = parts.netloc.rpartition("@")[2].rsplit(":", 1)[0] if not parts.netloc.endswith("]") \
        else parts.netloc.rpartition("@")[2]
    if not host:
        return f"malformed image URL {url!r}: no host"
    if not _HOST.fullmatch(host):
        return f"malformed image URL {url!r}: bad host {host!r}"
    if re.search(r"\s", url):
        return f"malformed image URL {url!r}: contains whitespace"
    return None


def local_problem(doc, url: str, roots: list[str]) -> str | None:
    """Whether a local image path exists, relative to the article or to a site root."""
    if _SCHEME.match(url) or url.startswith("//") or _TEMPLATE.search(url):
        return None
    path = unquote(re.split(r"[?#]", url.strip(), maxsplit=1)[0])
    if not path:
        return None
    if path.startswith("/"):
        bases = site_roots(doc.root, roots)
        if not bases:
            return None  # no site root in this project: root-relative paths cannot be resolved
        candidates = [base / path.lstrip("/") for base in bases]
        where = ", ".join(f"{_rel(base, doc.root)}/" for base in bases)
    else:
        folder = doc.fs_path.parent
        # Hexo's post asset folders sit beside the post, named after it
        candidates = [folder / path, doc.fs_path.with_suffix("") / path]
        where = "the article's folder"
    for candidate in candidates:
        if candidate.is_file():
            return None
    if candidates[0].is_dir():
        return f"image path {url!r} is a folder, not an image"
    return f"image not found: {url!r} (looked in {where})"


def site_roots(project_root: Path, roots: list[str]) -> list[Path]:
    """The folders that root-relative URLs resolve against, detected when ``roots`` is empty."""
    if roots:
        return [project_root / root for root in roots]
    found = [project_root / name for name in ("source", "static", "public") if (project_root / name).is_dir()]
    if (project_root / "_config.yml").is_file() or (project_root / "_config.yaml").is_file():
        found.append(project_root)
    return found


@rule("image-broken", severity="error",
      options={"front-matter-keys": ["headimg", "thumbnail", "cover", "image"], "roots": []})
def image_broken(doc, options):
    """Images must point at something that exists: local files are checked, URLs are checked for syntax.

    A broken image is the most visible defect of a migrated article. Checked: ``<img
    src>`` (or its lazy-load ``data-src``), Markdown images (inline and reference
    style) and the front-matter keys in ``front-matter-keys`` (a string, a list, or a
    mapping with ``url``/``src``/``image``). Relative paths resolve against the
    article's folder (and a Hexo post asset folder); root-relative paths (``/img/a.png``)
    against the site roots: ``roots`` relative to the project root, or when it is
    empty the detected ones (Hexo ``source/``, Hugo ``static/``, Astro ``public/``,
    Jekyll's root when ``_config.yml`` exists); with no site root they are not
    checked. Remote URLs are checked for syntax only; URLs holding template code
    (``{{ }}``) are skipped. Reported at the ``src`` attribute, the Markdown URL or
    the front-matter value.

    Fails:

        <p><img src="" alt="Chart"></p>

    Passes:

        <p><img src="https://example.com/chart.png" alt="Chart"></p>
    """
    roots = options["roots"]
    for ref in image_refs(doc, options["front-matter-keys"]):
        if ref.url is None:
            problem = "image reference is not defined"
        else:
            problem = url_problem(ref.url) or local_problem(doc, ref.url, roots)
        if problem:
            yield doc.violation(ref.locate(doc), problem, ref.end)


@rule("image-alt", severity="warning", options={"allow-empty": True})
def image_alt(doc, options):
    """Images need alternative text.

    Screen readers, search engines and readers on slow connections depend on it.
    Reported: ``<img>`` without ``alt`` (at the ``<``), a bare ``alt`` attribute
    with no value (at ``alt``), and Markdown images with empty alt text (at the
    ``!``). ``alt=""`` marks a decorative image and passes unless ``allow-empty``
    is false.

    Fails:

        <img src="https://example.com/chart.png">

    Passes:

        <img src="https://example.com/chart.png" alt="Share prices, 2022">
    """
    for tag, _ in html_images(doc):
        alt = tag.get("alt")
        if alt is None:
            yield doc.violation(tag.offset, "image has no alt attribute", tag.end)
        elif alt.value is None:
            yield doc.violation(alt.offset, "image has a bare alt attribute with no text", alt.end)
        elif not alt.value.strip() and not options["allow-empty"]:
            yield doc.violation(alt.offset, "image has empty alt text", alt.end)
    for match, _, _ in markdown_images(doc):
        if not match.group("alt").strip():
            yield doc.violation(match.start(), "Markdown image has empty alt text", match.end())


def _front_matter_urls(value, path):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _front_matter_urls(item, (*path, index))
    elif isinstance(value, dict):
        for key in FRONT_MATTER_URL_KEYS:
            if isinstance(value.get(key), str):
                yield (*path, key), value[key]


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return path.as_posix()


@hookimpl
def lintnews_rules():
    return [image_broken, image_alt]

"""Where an article shows images: HTML (src, lazy-load attributes, srcset, <picture>),
Markdown (inline and reference) and front-matter keys. Shared by the image rules."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import NamedTuple

from lintnews.lazy_re import lazy_compile

_INLINE = lazy_compile(
    r"!\[(?P<alt>(?:[^\[\]\\\n]++|\\.|\[[^\[\]\n]*\])*+)\]"
    r"(?:\(\s*(?P<dest><[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
    r"|\[(?P<ref>[^\[\]\n]*)\])?")
# a reference definition "[label]: url" (up to three spaces in), found from its "[" (which the
# regex engine skips ahead to) with the start of its line looked behind for; searched from the
# start of a line (the body's), so no line it finds starts before the search does. As in
# CommonMark, the URL may stand on the next line ("[label]:" ending its line), not after a blank
# one; a next line opening with "[" is left alone: in lists of definitions, "[4]:" with no URL
# is a gap, and the definition on the line after it is the next one's
_DEFINITION = lazy_compile(r"\[(?:(?<=^\[)|(?<=^ \[)|(?<=^  \[)|(?<=^   \[))"
                         r"(?P<label>[^\]\n]+)\]:[ \t]*(?:\r?\n[ \t]*(?!\[))?(?P<dest><[^>\n]*>|\S+)",
                         re.MULTILINE)
_DEFINITION_MARK = lazy_compile(r"\]:")
FRONT_MATTER_URL_KEYS = ("url", "src", "image")
_new = tuple.__new__


class ImageRef(NamedTuple):
    """An image reference: its URL, where to report a problem with it, and what kind it is.

    A named tuple, not a dataclass: an archive has an image reference in most articles, and
    the Markdown ones are built by ``_new`` (the tuple constructor, skipping ``__new__``)."""

    url: str | None  # None: a reference to an undefined label
    offset: int | None  # None for front-matter images: found from meta_path when needed
    kind: str  # "html", "srcset", "markdown", "shortcode", "front-matter"
    alt: str | None = None
    meta_path: tuple = ()
    end: int | None = None
    problem: str | None = None  # what is wrong with it whatever the URL (an <img> with no src)

    def locate(self, doc) -> int:
        """Where to report a problem with this image."""
        if self.offset is not None:
            return self.offset
        found = doc.meta_offset(*self.meta_path)  # a path inside an odd value may not be locatable
        if found is None and self.meta_path:
            found = doc.meta_offset(self.meta_path[0])
        return found if found is not None else (doc.front_matter.start if doc.front_matter else 0)


def image_tags(doc) -> list:
    """Every ``<img>`` and ``<source>`` start tag outside code and comments, in order. Computed
    once per document: several image rules read them, and the body's other tags are many."""
    cached = doc.cache.get("image-tags")
    if cached is None:
        cached = doc.cache["image-tags"] = [tag for tag in doc.scan.tags
                                            if tag.name in ("img", "source") and not tag.closing]
    return cached


def html_images(doc) -> list:
    """Every ``<img>`` start tag outside code and comments, in order. Computed once per document:
    image-alt and tracking-pixel both read them."""
    cached = doc.cache.get("html-images")
    if cached is None:
        cached = doc.cache["html-images"] = [tag for tag in image_tags(doc) if tag.name == "img"]
    return cached


def markdown_images(doc) -> list:
    """``(match, url, url offset)`` for Markdown images; reference images resolve through definitions.

    The URL is None for a reference to an undefined label. Computed once per document.
    """
    cached = doc.cache.get("markdown-images")
    if cached is None:
        cached = doc.cache["markdown-images"] = _markdown_images(doc)
    return cached


def image_refs(doc, front_matter_keys, lazy_attributes) -> list[ImageRef]:
    """Every image candidate an article shows, each at the place to report it. Computed once per
    document and setting: image-broken, image-unverified and image-root-unknown all read them."""
    key = ("image-refs", tuple(front_matter_keys), tuple(lazy_attributes))
    cached = doc.cache.get(key)
    if cached is None:
        cached = doc.cache[key] = _image_refs(doc, front_matter_keys, lazy_attributes)
    return cached


def _image_refs(doc, front_matter_keys, lazy_attributes) -> list[ImageRef]:
    # most articles have none of the keys: one test in C rather than one per key
    refs = [] if doc.meta.keys().isdisjoint(front_matter_keys) else _front_matter_refs(doc, front_matter_keys)
    mdx = doc.mdx  # where src={hero} is a JSX expression, filled in by the site
    for tag in image_tags(doc):
        if tag.name == "img" and not any(tag.get(name) for name in ("src", "srcset", "data-srcset", *lazy_attributes)) \
                and doc.text[tag.offset - 2:tag.offset] != "](":  # ![x](<img/a b.png>): a Markdown URL
            refs.append(ImageRef(None, tag.offset, "html", end=tag.end, problem="<img> has no src: it shows nothing"))
        for name in ("src", *lazy_attributes) if tag.name == "img" else ():
            attr = tag.get(name)
            if mdx and attr is not None and jsx_expression(attr.value):
                continue
            if attr is not None and (name == "src" or attr.value):
                if name == "src" and (attr.value or "").lstrip()[:5].lower() == "data:" \
                        and any(tag.get(lazy) and tag.get(lazy).value for lazy in lazy_attributes):
                    continue  # a lazy loader's placeholder, beside the image it loads
                refs.append(ImageRef(attr.value or "", attr.offset, "html", end=attr.end))
        for name in ("srcset", "data-srcset"):
            attr = tag.get(name)
            if attr is not None and attr.value is not None and not (mdx and jsx_expression(attr.value)):
                refs += [ImageRef(url, attr.offset, "srcset", end=attr.end) for url in srcset_urls(attr.value)]
    for match, url, offset in markdown_images(doc):
        end = offset + len(url) if url is not None else match.end()
        refs.append(_new(ImageRef, (url, offset, "markdown", match.group("alt"), (), end, None)))
    text = doc.markdown
    if "{" in text:  # most articles have no template tag at all
        for match in _SHORTCODE_IMAGE.finditer(text, doc.body_offset):
            group = "quoted" if match.group("quoted") is not None else "slug"
            refs.append(ImageRef(match.group(group), match.start(group), "shortcode", end=match.end(group)))
    return refs


# The images of site generators' own tags, resolved like Markdown images: Hugo's built-in figure
# ({{< figure src="a.jpg" >}} or {{% … %}}; src relative to the page bundle, or to the site root)
# and Hexo's asset_img ({% asset_img [classes] a.jpg [title] %}; in the post's asset folder).
# Other shortcodes name images in their own ways (an asset's id): they are not read.
_SHORTCODE_IMAGE = lazy_compile(
    r"\{\{[<%][ \t]*figure[ \t][^\n{}]*?\bsrc[ \t]*=[ \t]*\"(?P<quoted>[^\"\n]*)\""
    r"|\{%[ \t]*asset_img(?:[ \t]+[\w-]+)*?[ \t]+(?P<slug>[^\s%]+\.\w+)(?=[ \t%])")


def jsx_expression(value: str | None) -> bool:
    """Whether an attribute's value is a JSX expression (``{hero}``; written ``{ hero }``, the
    HTML scanner reads the value up to the first space)."""
    return (value or "").lstrip().startswith("{")


def _front_matter_refs(doc, front_matter_keys) -> list[ImageRef]:
    refs = []
    for key in front_matter_keys:
        value = doc.meta.get(key)
        if value is None:
            continue  # most articles have few of the keys: nothing to report for a missing one
        for path, url in front_matter_urls(value, (key,), odd=True):
            if isinstance(url, str):
                refs.append(ImageRef(url, None, "front-matter", meta_path=path))
            else:  # a number, a date, a mapping without a URL: the site gets no image from it
                shown = _shown(url)
                shown = shown if len(shown) <= 60 else shown[:59] + "…"
                refs.append(ImageRef(None, None, "front-matter", meta_path=path,
                                     problem=f"front-matter {'.'.join(map(str, path))} is {shown}, not an image URL"))
    return refs


def _shown(value) -> str:
    """A front-matter value as JSON writes it, a key that JSON takes no such key of (a date
    written as a YAML key) written as a string."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except TypeError:
        return json.dumps(_string_keys(value), ensure_ascii=False, default=str)


def _string_keys(value, depth: int = 0):
    """``value`` with each mapping's keys written as strings (front matter nests at most 64 levels)."""
    if depth > 64:
        return "…"
    if isinstance(value, dict):
        return {str(key): _string_keys(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_string_keys(item, depth + 1) for item in value]
    return value


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` value, without their width or density descriptors (HTML's algorithm)."""
    urls, pos = [], 0
    while pos < len(value):
        while pos < len(value) and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < len(value) and not value[pos].isspace():
            pos += 1
        url = value[start:pos]
        if not url:
            break
        if url.endswith(","):
            url = url.rstrip(",")
        else:  # descriptors run to the next comma (parentheses may hold commas)
            depth = 0
            while pos < len(value) and (value[pos] != "," or depth):
                depth += {"(": 1, ")": -1}.get(value[pos], 0)
                pos += 1
        urls.append(url)
    return urls


def _markdown_images(doc) -> list:
    text = doc.markdown
    images = []
    definitions = None  # read only for the first image without a URL of its own: most have one
    for match in _INLINE.finditer(text, doc.body_offset):
        dest = match.group("dest")
        if dest is not None:  # "<a b.png>" is written without its brackets; a bare URL has none at its ends
            if dest.startswith("<"):
                images.append((match, dest[1:-1], match.start("dest") + 1))
            else:
                images.append((match, dest, match.start("dest")))
            continue
        if definitions is None:
            definitions = link_definitions(doc)
        if match.group("ref") is not None or (definitions and label(match.group("alt")) in definitions):
            definition = definitions.get(label(match.group("ref") or match.group("alt")))
            url, offset = _destination(definition) if definition else (None, match.start())
            images.append((match, url, offset))
    return images


def link_definitions(doc) -> dict[str, re.Match]:
    """Label (as ``label`` writes it) -> the article's first reference definition of it, outside
    code and comments. Read once per document, when an image or a link first names a label."""
    cached = doc.cache.get("link-definitions")
    if cached is None:
        cached = doc.cache["link-definitions"] = _definitions(doc.markdown, doc.body_offset)
    return cached


def _definitions(text: str, start: int) -> dict[str, re.Match]:
    """Label -> the first reference definition of it from ``start`` on. An article defines its
    links this way too, many more than its images: each is read only when an image names it."""
    definitions: dict[str, re.Match] = {}
    first = _DEFINITION_MARK.search(text, start)  # (faster than str.find on CJK text, see links)
    if first is None:
        return definitions
    first = first.start()
    # a definition's "]:" is on its own line, so none starts before the line of the first "]:";
    # an article's definitions mostly close it: the search for "]:" reaches them faster than _DEFINITION
    for match in _DEFINITION.finditer(text, max(start, text.rfind("\n", 0, first) + 1)):
        definitions.setdefault(label(match.group("label")), match)
    return definitions


def _destination(definition: re.Match) -> tuple[str, int]:
    """The URL of a reference definition, and its offset."""
    dest = definition.group("dest")
    return dest.strip("<>"), definition.start("dest") + (1 if dest.startswith("<") else 0)


def front_matter_urls(value, path, odd: bool = False):
    """(key path, URL) of each image URL in a front-matter value: a string, a list, or a mapping.
    With ``odd``, also (key path, value) of each value that is none of these and is not empty
    (a number, a date, a mapping without a URL key), for a rule to report."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from front_matter_urls(item, (*path, index), odd)
    elif isinstance(value, dict):
        found = False
        for key in FRONT_MATTER_URL_KEYS:
            if isinstance(value.get(key), str):
                found = True
                yield (*path, key), value[key]
            elif odd and value.get(key) is not None:
                found = True
                yield (*path, key), value[key]
        if odd and not found and value:
            yield path, value
    elif odd and value is not None and value is not False:
        yield path, value


@lru_cache(maxsize=4096)  # articles number their links alike ("1", "2"…): most labels were seen before
def label(text: str) -> str:
    """A reference label as CommonMark matches it: blanks collapsed, case folded."""
    return " ".join(text.split()).casefold()

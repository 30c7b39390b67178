"""How an article's images carry alt text: each image's alt text, and whether it is filler, the
kind an editor or converter writes without looking at the image (a file name, a number, a
hash, the image's own file name without its extension, or a word such as ``image``)."""
from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from ..document import Document

_MARKDOWN_IMAGE = re.compile(r"!\[([^\]\n]*)\]\s*(?:\(\s*<?([^\s)>]*)|\[)")
_FILE_NAME = re.compile(r"[^/]+\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|avif|heic)", re.IGNORECASE)
# "13", "01-02", a content hash ("ef326c3b…", "096b5c1a…-sz_136989"): names, never descriptions
_NUMBER_OR_HASH = re.compile(r"[\d\s_.-]+|[0-9a-f]{16,}(?:-sz_\d+)?", re.IGNORECASE)
_NUMBERED = re.compile(r"[\s_\-#.:：]*\d*$")
_SEPARATORS = re.compile(r"[\s_\-.()]+")
_LAZY = ("src", "data-src", "data-original")


def images(doc: Document) -> list[tuple[str | None, str]]:
    """(alt text or None when the image has no alt attribute, source URL) of every image."""
    found: list[tuple[str | None, str]] = []
    for tag in doc.scan.tags:
        if tag.name == "img" and not tag.closing:
            alt = tag.get("alt")
            src = next((attr.value for attr in map(tag.get, _LAZY) if attr is not None and attr.value), "")
            found.append((None if alt is None else alt.value or "", src))
    for match in _MARKDOWN_IMAGE.finditer(doc.markdown, doc.body_offset):
        found.append((match.group(1), match.group(2) or ""))
    return found


def is_filler(alt: str, src: str, words: frozenset[str]) -> bool:
    """Whether non-empty ``alt`` says nothing about the image at ``src``; ``words`` in lower case."""
    alt = alt.strip()
    if _FILE_NAME.fullmatch(alt) or _NUMBER_OR_HASH.fullmatch(alt):
        return True
    if _NUMBERED.sub("", alt).lower() in words:
        return True
    name = posixpath.basename(unquote(urlsplit(src.strip()).path))
    own = _squeezed(alt)
    return bool(name) and own in (_squeezed(name), _squeezed(name.rsplit(".", 1)[0]))


def _squeezed(text: str) -> str:
    """``text`` in lower case without spaces, dashes, dots and brackets: 'Suse Box.png' is 'suse_box.png'."""
    return _SEPARATORS.sub("", text.lower())

"""What a report tells about each article besides its findings: section, source, editor, month.

A ``FileFacts`` is a small immutable, picklable record made from values the Document has
already parsed (its front matter, its folder, the editor the credit rule found), so that a
run can collect one per file cheaply, wherever the file was linted.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from .lazy_re import lazy_compile

# Where a rule that reads the credit line leaves the editor it found (in ``doc.cache``).
EDITOR = "credited-editor"

_SECTION_KEYS = ("categories", "category", "tags", "topics")
_SOURCE_KEYS = ("source", "author", "authors")
_DATE_KEYS = ("date", "pubDate", "publishDate")
_STAFF_CODE = lazy_compile(r"[\s\u3000]*[A-Z]{1,3}\d{2,4}$")  # "刘万里 SF014": Sina's desk code, not a name
_ISO_MONTH = lazy_compile(r"\s*(\d{4})[-/.](\d{1,2})(?:\D|$)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# RFC 2822 as feeds write it: "Thu, 14 Jul 2022 12:34:31 GMT"
_RFC_MONTH = lazy_compile(r"\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+(" + "|".join(_MONTHS) + r")[a-z]*\.?\s+(\d{4})\b",
                         re.IGNORECASE)
_LONGEST = 80  # a label longer than this is prose in the wrong key, not a name
_TITLE = 120
_new = tuple.__new__  # a named tuple built from all its fields, without its Python-level __new__


class FileFacts(NamedTuple):
    """One article as the report groups it; empty strings where the article does not say."""

    path: str
    relpath: str
    folder: str = ""
    section: str = ""  # first front-matter category (or tag, or topic), else the folder
    source: str = ""  # front-matter source, else the author
    editor: str = ""  # the editor the credit line (or an ``editor`` key) names
    month: str = ""  # YYYY-MM of the article's date
    title: str = ""


def file_facts(path: str, relpath: str, meta: dict | None = None, cache: dict | None = None) -> FileFacts:
    """The facts of one article from its front matter ``meta`` and the rules' ``cache``."""
    folder = _folder(relpath or path)
    if meta is None:  # a file that could not be read
        return FileFacts(path, relpath, folder, folder)
    if not meta:  # (a quarter of an archive: no front matter) no key to look up, the editor the rules found
        editor = _label(cache.get(EDITOR)) if cache else ""
        if editor:
            editor = _STAFF_CODE.sub("", editor)
        return _new(FileFacts, (path, relpath, folder, folder, "", editor, "", ""))
    editor = _first(meta, ("editor",)) or _label((cache or {}).get(EDITOR))
    if editor:  # most articles name none: no substitution to run on ""
        editor = _STAFF_CODE.sub("", editor)
    return _new(FileFacts, (path, relpath, folder, _first(meta, _SECTION_KEYS) or folder,
                            _first(meta, _SOURCE_KEYS), editor, _month(meta), _title(meta.get("title"))))


def _folder(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path.rpartition("/")[0] or "."


def _first(meta: dict, keys: tuple[str, ...]) -> str:
    for key in keys:
        value = meta.get(key)
        if value is not None:
            label = _label(value)
            if label:
                return label
    return ""


def _label(value) -> str:
    """A short label from a front-matter value: a string, or the first usable item of a list."""
    if isinstance(value, str):
        text = " ".join(value.split())
        return text if len(text) <= _LONGEST else ""
    if isinstance(value, (list, tuple)):
        for item in value:
            label = _label(item)
            if label:
                return label
        return ""
    if isinstance(value, dict):  # {name: …} as some themes write authors
        return _label(value.get("name"))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def _title(value) -> str:
    """The headline, shortened to what a table cell shows."""
    text = " ".join(str(value).split()) if isinstance(value, (str, int, float)) else ""
    return text if len(text) <= _TITLE else text[:_TITLE - 1] + "…"


def _month(meta: dict) -> str:
    for key in _DATE_KEYS:
        value = meta.get(key)
        if value is None:  # (most keys of most articles)
            continue
        if isinstance(value, dt.date):  # (a datetime is one)
            return f"{value.year:04d}-{value.month:02d}"
        if isinstance(value, str):
            match = _ISO_MONTH.match(value)
            if match and 1 <= int(match.group(2)) <= 12:
                return f"{match.group(1)}-{int(match.group(2)):02d}"
            match = _RFC_MONTH.match(value)
            if match:
                return f"{match.group(2)}-{_MONTHS.index(match.group(1).lower()) + 1:02d}"
    return ""

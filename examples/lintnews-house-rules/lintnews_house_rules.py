"""A newsroom's house rules for lintnews: an example plugin distribution.

Two rules, offered by the ``lintnews_rules`` hook. Installed, the module is found
through the ``lintnews`` entry-point group of this distribution's pyproject.toml;
copied into a repository, it is named in ``plugins:`` of ``.lintnews.yaml``.
"""
from __future__ import annotations

import re

from lintnews import hookimpl, rule

# an initialism whose last dot belongs to it, not to a sentence: U.S., U.K., p.m.
_INITIALISM = re.compile(r"(?<![A-Za-z0-9.])(?:[A-Za-z]\.){2,}$")


@rule("headline-punctuation", severity="warning", options={"marks": ["。", "."]})
def headline_punctuation(doc, options):
    """A headline does not end with a full stop.

    Headlines are not sentences: the front-matter ``title`` must not end with one
    of ``marks`` (the Chinese ``。`` and the ASCII ``.``; add ``．`` for the
    full-width stop). Not flagged: an ellipsis (``...``, ``。。。``, ``……``, a mark
    three or more times) and an initialism whose last dot belongs to it (``U.S.``,
    ``p.m.``). Other abbreviations (``Inc.``, ``Co.``) are flagged: reword the
    headline or suppress the finding. Reported at the title's value; a missing
    title is left to ``front-matter-required``.

    Fails:

        ---
        title: 沪指收涨，成交额突破万亿。
        ---

    Passes:

        ---
        title: 沪指收涨，成交额突破万亿
        ---
    """
    title = doc.meta.get("title")
    if not isinstance(title, str):
        return
    title = title.rstrip()
    mark = next((mark for mark in options["marks"] if mark and title.endswith(mark)), None)
    if mark is None or title.endswith(mark * 3):
        return
    if mark == "." and _INITIALISM.search(title):
        return
    yield doc.violation(_at(doc, "title"), f"headline ends with {mark!r}: headlines take no full stop")


@rule("allowed-categories", severity="error", options={"allowed": ["财经", "科技", "国内", "国际"]})
def allowed_categories(doc, options):
    """Every category comes from the newsroom's list.

    The site builds one section page per category, so an invented or misspelt
    category (``科枝``, ``Tech``) makes a stray section and keeps the article out of
    the right one. ``categories`` is one name or a list of names; each must be one
    of ``allowed``, compared exactly (case and spaces count). Each bad entry is
    reported at that entry. An article without ``categories`` passes.

    Fails:

        ---
        title: 芯片出口管制再升级
        categories: [科技, 国际新闻]
        ---

    Passes:

        ---
        title: 芯片出口管制再升级
        categories: [科技, 国际]
        ---
    """
    categories = doc.meta.get("categories")
    if categories is None:
        return
    if isinstance(categories, list):
        entries = [(entry, _at(doc, "categories", index)) for index, entry in enumerate(categories)]
    else:
        entries = [(categories, _at(doc, "categories"))]
    for entry, offset in entries:
        if entry not in options["allowed"]:
            yield doc.violation(offset, f"category {entry!r} is not allowed "
                                        f"(allowed: {', '.join(options['allowed'])})")


def _at(doc, *keys) -> int:
    """Where a front-matter value is; the block's start if the syntax cannot say (``meta_offset``
    gives None when a plugin's front-matter format cannot locate the key)."""
    offset = doc.meta_offset(*keys)
    return offset if offset is not None else doc.front_matter.start


@hookimpl
def lintnews_rules():
    return [headline_punctuation, allowed_categories]

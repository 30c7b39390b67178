"""Reading every article once and noting what a configuration depends on: front matter,
dated file names, editor credits and the sources that print none, languages, images' alt
text, comments and embeds."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..document import Document, DocumentError
from ..files import SourceFile
from ..dates import date_form
from ..frontmatter import drafted, post_date
from ..rule import Rule
from . import alt_text

# front-matter keys that name who edited or checked an article, beside the rule's own
CREDIT_KEYS = ("editor", "editors", "reviewer", "reviewers", "publisher", "proofreader", "责任编辑", "编辑")
# front-matter keys whose values may name where an article came from (a scraper writes the site
# as the author, a category or a tag)
SOURCE_KEYS = ("source", "from", "origin", "site", "author", "authors", "categories", "tags")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_HOST = re.compile(r"(?:https?:)?//([^/?#:\s\"']+)", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """What one article shows: how its front matter is written and which keys it fills,
    whether its file name is dated, which credit forms find an editor, its language,
    its images with and without alt text (and the alt texts that are filler), the values
    of the keys that may name its source, its comments, the hosts of its iframes and which
    tags that show nothing (``<meta>``, ``<link>``) it holds."""

    path: str
    front_matter: str  # "YAML", "TOML", "JSON", "metadata headers", a plugin's name, "none", "broken"
    filled: frozenset[str] = frozenset()
    dated_name: bool = False
    credit_forms: frozenset[int] = frozenset()  # indexes into editor-credit's default patterns
    credit_keys: frozenset[str] = frozenset()
    language: str = "none"  # "zh", "ja", "other" (Latin script and the rest), "none" (no text)
    images: int = 0
    images_with_alt: int = 0
    images_without_alt: int = 0  # <img> tags with no alt attribute at all
    alt_texts: tuple[str, ...] = ()  # each image's alt text, when not empty
    alt_fillers: tuple[str, ...] = ()  # those that describe nothing ("01.jpg", "图片")
    sources: frozenset[tuple[str, str]] = frozenset()  # (key, value) of the SOURCE_KEYS it fills
    styled: int = 0  # inline-style's findings with its defaults: one per styled element
    markdown_blocks: int = 0  # markdown-in-html's findings with its defaults: one per HTML block
    comments: frozenset[str] = frozenset()
    iframe_hosts: frozenset[str] = frozenset()
    unseen_tags: frozenset[str] = frozenset()  # of UNSEEN_TAGS, those it holds
    # None: no date key; else how a valid date that is not ISO 8601 is written ("RFC 2822" as a feed
    # writes it, "month name" as in "Jul 08 2022"), "" for none
    date_form: str | None = None


@dataclass(frozen=True)
class Facts:
    """Every article's facts, with counts across them."""

    articles: tuple[Article, ...]
    unreadable: int = 0
    credit_labels: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.articles)

    def count(self, test: Callable[[Article], bool]) -> int:
        return sum(1 for article in self.articles if test(article))

    def tally(self, field_name: str) -> Counter:
        """How many articles hold each member of a set-valued field (or each value of a plain one)."""
        counts: Counter = Counter()
        for article in self.articles:
            value = getattr(article, field_name)
            counts.update(value if isinstance(value, frozenset) else (value,))
        return counts

    def ranked(self, field_name: str) -> list[tuple]:
        """``tally`` as (value, count) pairs, most frequent first, ties in value order (runs repeat)."""
        return sorted(self.tally(field_name).items(), key=lambda item: (-item[1], str(item[0])))


@dataclass(frozen=True)
class _CreditProbe:
    """editor-credit run once per credit form, through its public options, so that the
    survey sees credits exactly as the rule will."""

    checks: tuple[Callable, ...] = ()

    @classmethod
    def start(cls, rule: Rule | None, root: Path) -> "_CreditProbe":
        if rule is None or "patterns" not in rule.options:
            return cls()
        base = {**rule.options, "front-matter-keys": []} if "front-matter-keys" in rule.options else rule.options
        if "all-languages" in base:  # a credit is looked for in every article, asked for or not
            base = {**base, "all-languages": True}
        return cls(tuple(rule.start(rule.resolve_options({**base, "patterns": [pattern]}), root)
                         for pattern in rule.options["patterns"]))

    def forms(self, doc: Document) -> frozenset[int]:
        found = set()
        for index, check in enumerate(self.checks):
            try:
                missing = any("no editor credit" in str(v.message) for v in check(doc) or ())
            except Exception:  # the rule's own run will report its crash; the survey goes on
                continue
            if not missing:
                found.add(index)
        return frozenset(found)


def gather(sources: list[SourceFile], root: Path, rules: dict[str, Rule], formats: tuple = (),
           progress: Callable[[int, int], None] | None = None) -> Facts:
    """Read every file of ``sources`` and note its facts; unreadable files are counted, not fatal."""
    probe = _CreditProbe.start(rules.get("editor-credit"), root)
    styling = _start(rules.get("inline-style"), root)
    blocks = _start(rules.get("markdown-in-html"), root)
    alt_rule = rules.get("image-alt")
    words = frozenset(str(word).lower() for word in (alt_rule.options.get("meaningless", ()) if alt_rule else ()))
    articles, unreadable = [], 0
    for number, source in enumerate(sources, 1):
        if progress is not None:
            progress(number, len(sources))
        try:
            doc = Document.read(source.fs_path, source.display, root, formats)
        except DocumentError:
            unreadable += 1
            continue
        articles.append(read_article(doc, source.relpath, probe, words, styling, blocks))
    labels = credit_labels(rules.get("editor-credit"))
    return Facts(tuple(articles), unreadable, labels)


def _start(rule: Rule | None, root: Path) -> Callable | None:
    """A rule's check with its own defaults, or None without the rule."""
    return None if rule is None else rule.start(rule.options, root)


def _count(check: Callable, doc: Document) -> int:
    """How many findings ``check`` reports in ``doc``; none when it fails (its own run reports that)."""
    try:
        return sum(1 for _ in check(doc) or ())
    except Exception:
        return 0


def read_article(doc: Document, relpath: str, probe: _CreditProbe, filler_words: frozenset[str] = frozenset(),
                 styling: Callable | None = None, blocks: Callable | None = None) -> Article:
    """The facts of one article; ``filler_words`` are image-alt's meaningless words, ``styling``
    inline-style's check, ``blocks`` markdown-in-html's."""
    filled = frozenset(str(key) for key, value in doc.meta.items() if _filled(value))
    images = alt_text.images(doc)
    with_alt = [(alt, src) for alt, src in images if alt and alt.strip()]
    return Article(
        path=relpath,
        front_matter=_front_matter_kind(doc),
        filled=filled,
        dated_name=post_date(Path(relpath)) is not None or drafted(Path(relpath)),  # as the rule reads it
        credit_forms=probe.forms(doc),
        credit_keys=frozenset(key for key in CREDIT_KEYS if key in filled),
        language=language(doc.prose[doc.body_offset:]),
        images=len(images),
        images_with_alt=len(with_alt),
        images_without_alt=sum(alt is None for alt, _ in images),
        alt_texts=tuple(alt.strip() for alt, _ in with_alt),
        alt_fillers=tuple(alt.strip() for alt, src in with_alt if alt_text.is_filler(alt, src, filler_words)),
        sources=frozenset(_sources(doc.meta)),
        styled=0 if styling is None else _count(styling, doc),
        markdown_blocks=0 if blocks is None else _count(blocks, doc),
        comments=frozenset(" ".join(c.text.split()) for c in doc.scan.comments if c.closed),
        iframe_hosts=frozenset(_iframe_hosts(doc)),
        unseen_tags=frozenset(tag.name for tag in doc.scan.tags if tag.name in UNSEEN_TAGS and not tag.closing),
        date_form=_date_form(doc.meta),
    )


DATE_KEYS = ("date", "pubDate", "publishDate", "published")


def _date_form(meta: dict) -> str | None:
    """How the article's date is written where it is valid but not ISO 8601 (``dates.date_form``:
    "RFC 2822" or "month name"), as front-matter-date reads it; "" for any other date, None when
    it has no date key."""
    values = [meta[key] for key in DATE_KEYS if key in meta and meta[key] not in (None, "")]
    if not values:
        return None
    return next((form for form in map(date_form, values) if form), "")


def credit_labels(rule: Rule | None) -> tuple[str, ...]:
    """A reader's name for each of editor-credit's default patterns, recognised by what they match."""
    if rule is None:
        return ()
    samples = (("'责任编辑：NAME'", "责任编辑：王蒙"), ("'NAME | 编辑'", "momo | 编辑"),
               ("'Editor: NAME' or 'Edited by NAME'", "Edited by Jane Roe"))
    labels = []
    for index, pattern in enumerate(rule.options.get("patterns", [])):
        try:
            compiled = re.compile(pattern, re.MULTILINE)
        except re.error:
            compiled = None
        label = next((name for name, sample in samples if compiled and compiled.search(sample)), None)
        labels.append(label or f"pattern {index + 1}")
    return tuple(labels)


def language(prose: str) -> str:
    """The script most of the text is written in: Chinese, Japanese, or other."""
    han = len(_HAN.findall(prose))
    kana = len(_KANA.findall(prose))
    words = len(_LATIN_WORD.findall(prose))
    if han + kana + words < 10:
        return "none"
    if kana >= 20 and kana >= (han + kana) * 0.2:
        return "ja"
    # a Han character carries about as much as a Latin word; Chinese tech prose is full of names
    return "zh" if han >= 0.3 * (han + words) else "other"


def _front_matter_kind(doc: Document) -> str:
    fm = doc.front_matter
    if fm is None:
        return "none"
    if fm.error:
        return "broken"
    return "YAML" if fm.format is None else fm.format.name


def _sources(meta: dict):
    """(key, value) for each string a SOURCE_KEYS key holds, alone or in its list; long
    strings are prose (a summary), not a source's name."""
    for key in SOURCE_KEYS:
        value = meta.get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and 0 < len(item.strip()) <= 40:
                yield key, item.strip()


# tags of leftover-markup's that readers never see: where they recur, an article's author wrote them
# (openSUSE's posts close with a keyword <meta>), as a site's own iframe host is written
UNSEEN_TAGS = frozenset({"meta", "link"})


def _iframe_hosts(doc: Document):
    for tag in doc.scan.tags:
        if tag.name == "iframe" and not tag.closing:
            src = tag.get("src")
            match = _HOST.match(src.value.strip()) if src is not None and src.value else None
            if match:
                yield match.group(1).lower()


def _filled(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, dict)):
        return any(_filled(item) for item in (value.values() if isinstance(value, dict) else value))
    return True

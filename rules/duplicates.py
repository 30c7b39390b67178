"""Repository rules: ``duplicate-article``, a rule that sees every article of the run.

Each article is reduced to the set of CRC-32s of its normalised sentences,
a few hundred bytes, and nothing else of it is kept: memory grows by that much per
article, never by its text. Once every article is seen, the pairs that share one of
their few smallest hashes (two articles sharing most sentences very likely share one
of those) are compared exactly, so results depend neither on chance nor on the
order of the files.
"""
from __future__ import annotations

import hashlib
import re
import zlib
from array import array
from itertools import combinations, groupby

from lintnews import OptionError, hookimpl, rule

# line breaks (headings, list items) and sentence ends in Chinese and Western text (a full
# stop before a space, not the one in "3.5"); plain str.replace is the cheapest way to cut
_SENTENCE_ENDS = ("\n", "。", "！", "？", "；", "!", "?", ";", ". ")
_PUNCTUATION = re.compile(r"[^\w\0]+")  # \0 marks where a sentence ended
# the same for ASCII text, where bytes.translate drops them many times faster
_ASCII_PUNCTUATION = bytes(b for b in range(1, 128) if not (chr(b).isalnum() or chr(b) == "_"))
_VISIBLE = re.compile(r"\S")
_MIN_SENTENCE = 8  # shorter sentences ("责任编辑：王蒙", "Read more") are shared boilerplate
_KEYS = 8  # smallest hashes indexed per article
_CROWDED = 64  # articles sharing a hash beyond this many are paired with the first few only
_COPY = 2.0  # the similarity recorded for an exact copy, above any Jaccard value


def sentence_hashes(text: str) -> tuple[bytes | None, array]:
    """The digest of the whole text, and the sorted, unique CRC-32s of its sentences, both
    case-folded and without whitespace, punctuation or symbols; no digest for a text
    shorter than a sentence (a lone ``&nbsp;``).

    CRC-32 is enough for sentences: two articles are compared on a few hundred at most,
    and a collision between two of those only nudges their similarity. Exact copies are
    found by the 128-bit digest.
    """
    text = text.casefold()
    for end in _SENTENCE_ENDS:
        if end in text:
            text = text.replace(end, "\0")
    squeezed = "".join(text.split())  # whitespace first: far fewer characters left to look at
    if squeezed.isascii():
        squeezed = squeezed.encode().translate(None, _ASCII_PUNCTUATION).decode()
    else:
        squeezed = _PUNCTUATION.sub("", squeezed)
    sentences = [sentence for sentence in squeezed.split("\0") if len(sentence) >= _MIN_SENTENCE]
    letters = squeezed.replace("\0", "")
    if len(letters) < _MIN_SENTENCE:
        return None, array("I")
    hashes = set(map(zlib.crc32, map(str.encode, sentences)))
    return hashlib.blake2b(letters.encode(), digest_size=16).digest(), array("I", sorted(hashes))


def jaccard(a: array, b: array) -> float:
    """|a ∩ b| / |a ∪ b| of two sorted arrays of unique hashes."""
    shared = len(set(a).intersection(b))
    return shared / (len(a) + len(b) - shared) if a or b else 1.0


@rule("duplicate-article", severity="info", options={"threshold": 0.8, "min-sentences": 3})
class DuplicateArticle:
    """The same article body must not be committed twice.

    Every article of the run is compared with every other: an article is reported,
    at the start of its body, when another one has the same body (ignoring
    whitespace, punctuation, case, front matter, HTML tags, code and comments), or
    nearly the same: when at least ``threshold`` of their sentences are shared (the
    Jaccard similarity of their sets of sentences; 0.8 by default, 1.0 for exact
    copies only). Both copies are reported, each naming the other, so a new copy of
    an old article is caught on the new file whichever sorts first. Sentences shorter
    than eight characters (credits, "Read more") are not counted, and an article
    with fewer than ``min-sentences`` such sentences (a stub, a one-line link post)
    is not compared at all. Sentences end at line breaks, at ``。！？；!?;`` and at a
    full stop before a space.

    Articles that ``exclude`` or an ``overrides`` entry turns this rule off for are
    not compared. Only the articles of the run are seen: ``lintnews check posts/``
    does not compare with ``drafts/``.

    In the examples, ``==> path <==`` starts each article of the run.

    Fails:

        ==> posts/a.md <==
        <p>　　沪指今日收涨，成交额放大。券商板块领涨两市，银行股走弱。</p>
        <p>　　分析人士认为，市场情绪有所回暖，后市仍需关注量能变化。</p>
        ==> posts/b.md <==
        <p>沪指今日收涨，成交额放大。券商板块领涨两市，银行股走弱。</p>
        <p>分析人士认为，市场情绪有所回暖，后市仍需关注量能变化。</p>

    Passes:

        ==> posts/a.md <==
        <p>　　沪指今日收涨，成交额放大。券商板块领涨两市，银行股走弱。</p>
        <p>　　分析人士认为，市场情绪有所回暖，后市仍需关注量能变化。</p>
        ==> posts/b.md <==
        <p>　　沪指今日收涨，成交额放大。两市超过三千只个股下跌。</p>
        <p>　　北向资金全天净卖出近二十亿元，创业板指数跌幅居前。</p>
    """

    def __init__(self, options, root):
        self.threshold = options["threshold"]
        if not 0 < self.threshold <= 1:
            raise OptionError(f"threshold must be above 0 and at most 1, not {self.threshold}")
        self.min_sentences = options["min-sentences"]

    def summarize(self, doc):
        """Where a finding would go (the start of the body), the path, the digest of the whole
        body and its sentence hashes; None for an article too short to compare."""
        start = _body_start(doc)
        if start is None:
            return None
        whole, hashes = sentence_hashes(doc.prose[start:])
        if whole is None or len(hashes) < self.min_sentences:
            return None  # a stub or a one-line link post: the same words are no duplicate story
        return start, (doc.path, whole, hashes.tobytes())

    def judge(self, summaries):
        """Group identical bodies once, compare the first article of each group with the others'
        firsts that share one of their smallest hashes, and word each article's verdict."""
        run = _Run()
        for index, summary in enumerate(summaries):
            if summary is not None:
                run.add(index, *summary, near=self.threshold < 1)
        run.compare(self.threshold)
        return {run.indexes[me]: message for me in range(len(run.paths))
                if (message := run.message(me)) is not None}


class _Run:
    """The compared articles of a run. Identical bodies form one group, held once: each copy
    is reported against the group, never paired with every other copy, so memory stays linear
    however many copies there are (a placeholder page saved thousands of times)."""

    def __init__(self) -> None:
        self.indexes: list[int] = []  # per compared article, its index in the run
        self.paths: list[str] = []  # ... its path as reported
        self.group_of: list[int] = []  # ... and its group
        self.groups: list[list[int]] = []  # per group, its articles; the first one stands for it
        self.by_digest: dict[bytes, int] = {}  # digest of a whole body → its group
        self.sentences: dict[int, array] = {}  # the sentence hashes of each group's first article
        self.keys = array("I")  # the few smallest hashes of each group's first article,
        self.owners = array("I")  # ... and which article each one is from
        self.near: dict[int, dict[int, float]] = {}  # first article → {other first: similarity}
        self.firsts: dict[int, tuple[int, int]] = {}  # group → its two articles whose paths sort first

    def add(self, index: int, path: str, whole: bytes, hashes: bytes, near: bool) -> None:
        me = len(self.paths)
        self.indexes.append(index)
        self.paths.append(path)
        group = self.by_digest.setdefault(whole, len(self.groups))
        self.group_of.append(group)
        if group < len(self.groups):
            self.groups[group].append(me)
            return
        self.groups.append([me])
        if near:
            self.sentences[me] = sentences = array("I")
            sentences.frombytes(hashes)
            keys = sentences[:_KEYS]
            self.keys.extend(keys)
            self.owners.extend([me] * len(keys))

    def compare(self, threshold: float) -> None:
        """Compare the first articles that share one of their smallest hashes, each pair once."""
        pairs = set()
        order = sorted(range(len(self.keys)), key=self.keys.__getitem__)
        for _, group in groupby(order, key=self.keys.__getitem__):
            owners = sorted({self.owners[i] for i in group})
            if len(owners) <= _CROWDED:
                pairs.update(combinations(owners, 2))
            else:  # a template or boilerplate: linear work, and a template's copies still meet
                pairs.update((first, other) for first in owners[:_KEYS] for other in owners if other > first)
        for a, b in sorted(pairs):
            similarity = jaccard(self.sentences[a], self.sentences[b])
            if similarity >= threshold:
                self.near.setdefault(a, {})[b] = similarity
                self.near.setdefault(b, {})[a] = similarity
        self.sentences, self.keys, self.owners = {}, array("I"), array("I")  # only the verdicts are needed now

    def _two_first(self, group: int) -> tuple[int, int]:
        """The two articles of a group whose paths sort first (each copy names one of them)."""
        if group not in self.firsts:
            self.firsts[group] = tuple(sorted(self.groups[group], key=self.paths.__getitem__)[:2])
        return self.firsts[group]

    def message(self, me: int) -> str | None:
        copies = self.groups[self.group_of[me]]
        near = self.near.get(me, {}) if copies[0] == me else {}
        count = len(copies) - 1 + len(near)
        if count == 0:
            return None
        more = f" (and {count - 1} more)" if count > 1 else ""
        if len(copies) > 1:
            first, second = self._two_first(self.group_of[me])
            other = second if first == me else first
            return f"same article body as {self.paths[other]}{more}"
        other = min(near, key=lambda o: (-near[o], self.paths[o]))
        return (f"nearly the same article as {self.paths[other]}{more}: "
                f"{near[other]:.0%} of their sentences are shared")


def _body_start(doc) -> int | None:
    """Offset of the first character a reader sees in the body, or None for an empty body."""
    match = _VISIBLE.search(doc.prose, doc.body_offset)
    return match.start() if match else None


@hookimpl
def lintnews_rules():
    return [DuplicateArticle]

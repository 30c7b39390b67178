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
from functools import partial
from itertools import combinations, groupby

from lintnews import Option, OptionError, hookimpl, rule
from lintnews.options import between

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


@rule("duplicate-article", severity="info", options={"threshold": 0.8, "min-sentences": Option(3, between(0, 10_000))})
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
        self.paths: list[str] = []  # per article compared, its path as reported
        self.sentences: list[array] = []  # ... and its sentence hashes
        self.first: dict[bytes, int] = {}  # digest of a whole body → the first article with it
        self.keys = array("I")  # the few smallest hashes of each article,
        self.owners = array("I")  # ... and which article each one is from
        self.matches: dict[int, dict[int, float]] = {}  # article → {other: similarity, 2.0 for a copy}

    def check(self, doc):
        start = _body_start(doc)
        if start is None:
            return
        whole, hashes = sentence_hashes(doc.prose[start:])
        if whole is None or len(hashes) < self.min_sentences:
            return  # a stub or a one-line link post: the same words are no duplicate story
        me = len(self.paths)
        self.paths.append(doc.path)
        self.sentences.append(hashes)
        first = self.first.setdefault(whole, me)
        if first != me:  # a copy: of the first article with this body, and of its other copies
            for other in [first, *(o for o, kind in self.matches.get(first, {}).items() if kind == _COPY)]:
                self._match(me, other, _COPY)
        elif self.threshold < 1:
            keys = hashes[:_KEYS]
            self.keys.extend(keys)
            self.owners.extend([me] * len(keys))
        yield doc.deferred(start, partial(self._message, me))

    def finish(self):
        """Compare the articles that share one of their smallest hashes, each pair once."""
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
            if similarity >= self.threshold:
                self._match(a, b, similarity)
        self.sentences, self.keys, self.owners = [], array("I"), array("I")  # only the verdicts are needed now

    def _match(self, a: int, b: int, similarity: float) -> None:
        self.matches.setdefault(a, {})[b] = similarity
        self.matches.setdefault(b, {})[a] = similarity

    def _message(self, me: int) -> str | None:
        others = self.matches.get(me)
        if not others:
            return None
        other = min(others, key=lambda o: (-others[o], self.paths[o]))
        more = f" (and {len(others) - 1} more)" if len(others) > 1 else ""
        if others[other] == _COPY:
            return f"same article body as {self.paths[other]}{more}"
        return (f"nearly the same article as {self.paths[other]}{more}: "
                f"{others[other]:.0%} of their sentences are shared")


def _body_start(doc) -> int | None:
    """Offset of the first character a reader sees in the body, or None for an empty body."""
    match = _VISIBLE.search(doc.prose, doc.body_offset)
    return match.start() if match else None


@hookimpl
def lintnews_rules():
    return [DuplicateArticle]

"""Repository rules: ``duplicate-article``, a rule that sees every article of the run.

Each article is reduced to the set of CRC-32s of its normalised sentences,
a few hundred bytes, and nothing else of it is kept: memory grows by that much per
article, never by its text. Once every article is seen, the pairs that share one of
their few smallest hashes (two articles sharing most sentences very likely share one
of those) are compared exactly, so results depend neither on chance nor on the
order of the files.
"""
from __future__ import annotations

import re
import zlib
from array import array
from collections import Counter
from collections.abc import Collection, Iterator
from itertools import compress, islice
from operator import not_
from typing import NamedTuple

from lintnews import Option, OptionError, hookimpl, rule
from lintnews.hashes import blake2b
from lintnews.lazy_re import lazy_compile
from lintnews.options import between

# Sentences end at line breaks (headings, list items), at sentence ends in Chinese and Western
# text and at a full stop before a space (not the one in "3.5"); each end becomes \0. The text
# is cut in UTF-8, where one bytes.translate turns the ASCII ends into \0 and drops every other
# ASCII character that is no letter, digit or "_" (whitespace and punctuation, most of what
# goes); a regular expression then keeps the runs of word characters (and of the wide ends)
# among what is left, many times fewer than before.
_ASCII_ENDS = b"\n!?;"
_WIDE_ENDS = ("。", "！", "？", "；")
_ASCII_TO_END = bytes.maketrans(_ASCII_ENDS, b"\0" * len(_ASCII_ENDS))
_ASCII_DROPPED = bytes(code for code in range(1, 128)
                       if not (chr(code).isalnum() or chr(code) == "_") and code not in _ASCII_ENDS)
# ``\w`` alone makes ``re`` look up each character's Unicode category, several times slower
# than a range test; the CJK ideographs and the ASCII letters, digits and "_", most of what is
# kept, are named first (all of them are ``\w``: tests/test_duplicate_copies.py checks), so
# that ``re`` finds them by range and looks up only the rest: the same set, found faster.
# U+0345 is kept too: no word character, but case-folded it is one ("ι"; see below).
_NAMED_WORD = "\u4e00-\u9fff\u3400-\u4dbfa-z0-9_"
_KEPT = lazy_compile(r"[%s\w\0%s\u0345]+" % (_NAMED_WORD, "".join(_WIDE_ENDS)))
# Case-folding comes last, on the letters kept rather than on the whole text (twice as long)
# first, and the ASCII capitals, most of the letters it changes, are written small at the
# start by bytes.lower (many times faster). The letters are the same: no character folds into anything that the
# steps before look for (a sentence end, a space, punctuation, "![" or "//"; see
# tests/test_duplicate_copies.py), nor does a word character fold into none; only U+0345
# folds from no word character into one (so it is kept until folded), and "İ" and a few
# others fold into a letter and a mark, the mark dropped after folding. Image URLs are the
# exception, handled where they are found (see ``_IMAGE_URL_UTF8``). Few texts have a letter
# that folding changes beyond ASCII: it is looked for in the UTF-8 of the letters kept, where
# a byte outside ``_FOLD_FREE_UTF8`` (ASCII, continuation bytes and the lead bytes of
# U+3000-U+9FFF: kana and CJK ideographs, none of which fold) shows where one may be.
_FOLDED_KEPT = lazy_compile(r"[\w\0]+")
_FOLD_FREE_UTF8 = bytes(range(0xC0)) + bytes(range(0xE3, 0xEA))
_NUMBERS = lazy_compile(r"\d+")
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
# the bytes that start the UTF-8 of a decimal digit other than 0-9 (tests/test_duplicate_copies.py
# checks them against every code point)
_WIDE_DIGIT_LEADS = (b"\xd9", b"\xdb", b"\xdf", b"\xe0", b"\xe1", b"\xea", b"\xef", b"\xf0")
# image URLs are per-file detail (a mirror, a resized copy): Markdown images keep their alt text.
# An image "![alt](url)" is group 1 and 2 (the alt text runs to the first "]" or line break, the
# URL to the first ")" or line break: no backtracking finds another). Where there is none, the
# pattern still matches what the image would begin with, up to that "]" or line break or, after
# "](", up to that line break, and it is kept: no image can start in there either (one would
# run to the same "]" or line break), and reading its alt text and URL again from every "![" in
# it, on "![![![..." or "![a](![a](...", is quadratic. What follows the "![alt" of no image
# is group 3. The text is split on the pattern (in C: a replacement function would be a
# Python call per match) and put together without each group 2. In UTF-8, where no byte of a
# character beyond ASCII is a "]", ")" or line break.
_MARKDOWN_IMAGE_URL = lazy_compile(rb"(!\[[^\]\n]*+\]?)(?:(\([^)\n]*+\))|(\([^)\n]*+))?")


# An image URL: from a "//", the last image extension in the run of URL characters (and a
# query after it); what follows the "//" is group 1. Where there is none, the pattern still
# matches the rest of the run (group 2), and it is kept: a "//" further on in it has no
# extension after it either, and backtracking through the run again from each of them, on
# "////...", is quadratic. The "//" stays outside the groups so that the regex engine skips
# ahead to it: a pattern that opens with a group is tried at every character (so the scheme
# before it is no part of the pattern either: see ``_without_image_urls``).
_IMAGE_URL = lazy_compile(r"//(?:([^\s\"'<>()]*\.(?:png|jpe?g|gif|webp|svg|bmp|avif)"
                          r"(?:\?[^\s\"'<>()]*)?(?![\w/%-]))|([^\s\"'<>()]*+))")
# The same in UTF-8 with small ASCII letters, groups 2 and 3, for runs of ASCII characters
# (``\s`` in bytes is ASCII whitespace but for \x1c-\x1f). In bytes, ``re`` cannot tell
# whether a character beyond ASCII is a space or a word character, and such a character may
# fold into what an image or a scheme is found by (".ſvg" folds to ".svg", "httpſ:" to
# "https:"): where a run goes on into one (group 4: the pattern looks ahead to the end of the
# run) or a "ſ:" stands before the "//" (group 1), the text is case-folded and read by
# ``_IMAGE_URL`` instead.
_URL_BYTE = rb"[^\s\"'<>()\x1c-\x1f\x80-\xff]"
_IMAGE_URL_UTF8 = lazy_compile(
    rb"//(?:(?<=(\xc5\xbf)://)|)(?:(%(c)s*\.(?:png|jpe?g|gif|webp|svg|bmp|avif)(?:\?%(c)s*)?(?![\w/%%-]))"
    rb"|(%(c)s*+))(?=%(c)s*+([\x80-\xff])?)" % {b"c": _URL_BYTE})


def _without_image_urls(raw: bytes) -> bytes:
    """``raw`` (UTF-8 with small ASCII letters) with its URLs' schemes dropped (every "https://",
    then every "http://", written "//") and without the image URLs of ``_IMAGE_URL_UTF8``; or,
    where that cannot tell (see there), of ``_IMAGE_URL`` in the text case-folded.

    Split on the pattern (in C; a replacement function would be a Python call per match) and
    joined without the image URLs. Rather than replacing the schemes in the whole text first
    (two more passes over it), they are dropped where they can be: the text between two
    matches holds no "//" (a match would start there), so only its end can lose a scheme (see
    ``_before_match``), and the rest of a run kept loses its own. The matches are the same
    either way: a run takes in ":", "/" and letters, and no scheme letter is in an image
    extension or passes the check after one, just as "/" does not. Only where a dropped scheme
    leaves a "/" at the end of the text before a match ("/https://" becomes "///") would the
    match start at that "/": where the match is an image, the "/" goes with it."""
    parts = _IMAGE_URL_UTF8.split(raw)
    if len(parts) == 1:  # no "//": no URL, no scheme
        return raw
    if any(parts[1::5]) or any(parts[4::5]):
        folded = raw.decode("utf-8", "surrogatepass").casefold()
        parts = [None if part is None else part.encode("utf-8", "surrogatepass") for part in _IMAGE_URL.split(folded)]
    else:
        del parts[4::5]
        del parts[1::4]  # now as ``_IMAGE_URL`` splits: the text before, the image URL, the run kept
    befores = list(map(_before_match, parts[:-1:3]))
    for at in compress(range(len(befores)), parts[1::3]):  # the images (group 1 is never empty)
        befores[at] = befores[at].rstrip(b"/")
    parts[:-1:3] = befores
    del parts[1::3]  # the image URLs (None where the match is a run kept)
    parts[1::2] = [b"" if rest is None else b"//" + _without_schemes(rest) for rest in parts[1::2]]
    return b"".join(parts)


def _before_match(before: bytes) -> bytes:
    """The text before a "//" as the two replacements of the schemes leave it. The first takes
    "https:" from its end; the second then takes "http:" from its end, or from before a "/"
    ending it: after the first, "http:/https:" and "//" are "http:///", whose "http://" the
    second writes "//"."""
    before = before.removesuffix(b"https:")
    if before.endswith(b"http:"):
        return before[:-5]
    if before.endswith(b"http:/"):
        return before[:-6] + b"/"
    return before


def _without_schemes(text: bytes) -> bytes:
    """``text`` with every "https://", then every "http://", written "//"."""
    return text.replace(b"https://", b"//").replace(b"http://", b"//")


def _without_image_targets(raw: bytes) -> bytes:
    """``raw`` with each Markdown image written as its "![alt]" alone: split on
    ``_MARKDOWN_IMAGE_URL`` (in C), joined without each image's "(url)" (group 2)."""
    parts = _MARKDOWN_IMAGE_URL.split(raw)
    if len(parts) == 1:  # no "![": no image
        return raw
    del parts[2::4]  # the "(url)" of each image (None where the match is no image)
    return b"".join(filter(None, parts))


_VISIBLE = lazy_compile(r"\S")
# Every sentence end of the reduced text comes from one of these characters, in order: the
# ASCII and wide ends, a NUL (kept as one), and a full stop (one before a space; taking out an
# image URL can bring a full stop and a space together, so any full stop may become an end).
# Nothing that the reduction does makes one of them: case-folding makes no sentence end, full
# stop, space or punctuation (tests/test_duplicate_copies.py checks), the rest only takes out or
# writes small. Whitespace gives no letter, so an end with only whitespace after it starts no sentence.
_END_MARK = lazy_compile(r"[\n!?;.\0%s]" % "".join(_WIDE_ENDS))
# re finds ". " in bytes more than twice as fast as bytes.replace does (which scans on the
# space, the commonest byte), and replaces it the same way: every one, left to right
_FULL_STOP = re.compile(rb"\. ")
_MIN_SENTENCE = 8  # shorter sentences ("责任编辑：王蒙", "Read more") are shared boilerplate
_KEYS = 8  # smallest hashes indexed per article
_CROWDED = 64  # articles sharing a hash beyond this many are paired with the first few only
_RECURRING_RUN = 4  # per-file sentences are told apart only among at least this many bodies
_SAMPLE = 12  # sentences of the smaller article of a pair looked up before all of them are


class Sentences(NamedTuple):
    """An article reduced for comparison: the digest of its whole text; per sentence (in
    order) its CRC-32 and its length in letters; and, for the sentences that may hold a
    number (``numbered``, their places in that order), the CRC-32 of their shape (the
    sentence with every number written 0), by which per-file sentences that recur in most
    files of the run with other numbers ("archived 2020-05-14", "1,234 characters") are
    recognised. Every other sentence is its own shape."""

    digest: bytes | None
    hashes: array
    lengths: array
    numbered: array
    shapes: array


def sentence_hashes(text: str) -> Sentences:
    """``text`` case-folded and without image URLs, whitespace, punctuation or symbols, cut
    into sentences; no digest for a text shorter than a sentence (a lone ``&nbsp;``).

    CRC-32 is enough for sentences: two articles are compared on a few hundred at most,
    and a collision between two of those only nudges their similarity. Exact copies are
    found by the 128-bit digest.
    """
    squeezed, pieces, letters, utf8 = _cut(_squeezed(text))
    if len(letters) < _MIN_SENTENCE:
        return Sentences(None, array("I"), array("I"), array("I"), array("I"))
    sentences = [sentence for sentence in pieces if len(sentence) >= _MIN_SENTENCE]
    # no surrogate is left to encode: none is a letter
    encoded = sentences if isinstance(squeezed, bytes) else list(map(str.encode, sentences))
    # a sentence of letters alone holds no number; the others get theirs written 0 in one pass
    numbered = array("I", compress(range(len(sentences)), map(not_, map(type(squeezed).isalpha, sentences))))
    return Sentences(blake2b(utf8, digest_size=16).digest(), array("I", map(zlib.crc32, encoded)),
                     array("I", map(len, sentences)), numbered, _shapes(sentences, encoded, numbered))


def _cut(squeezed: str | bytes) -> tuple[str | bytes, list, str | bytes, bytes]:
    """``squeezed`` case-folded, its pieces between sentence ends, all its letters, and their UTF-8."""
    if isinstance(squeezed, bytes):  # ASCII, its capitals written small already
        pieces = squeezed.split(b"\0")
        letters = b"".join(pieces)
        return squeezed, pieces, letters, letters
    pieces = squeezed.split("\0")
    letters = "".join(pieces)
    utf8 = letters.encode()
    # a letter that case-folding may change (see ``_FOLDED_KEPT``)
    if utf8.translate(None, _FOLD_FREE_UTF8) and (folded := squeezed.casefold()) != squeezed:
        squeezed = "".join(_FOLDED_KEPT.findall(folded))
        pieces = squeezed.split("\0")
        letters = "".join(pieces)
        utf8 = letters.encode()
    return squeezed, pieces, letters, utf8


def _shapes(sentences: list, encoded: list[bytes], numbered: array) -> array:
    """The CRC-32 of each numbered sentence with every number (a run of ``\\d``) written 0.

    Done on the UTF-8 of the sentences joined by NULs (one at each end as well, so that no
    number is at an end): one bytes.translate writes each ASCII digit 0, and each run of 0s
    becomes one by splitting at the 0s and joining the pieces that are not empty (a run of n
    leaves n - 1 empty ones) by single 0s: C loops, where a regular expression would make an
    object per number. A digit outside ASCII (Arabic-Indic, fullwidth ``１``) is ``\\d`` too:
    where a byte that may start one is found (never in ASCII sentences, given as bytes and as
    their own UTF-8), the regular expression writes the numbers 0."""
    if not numbered:
        return array("I")
    joined = b"\0".join([b"", *map(encoded.__getitem__, numbered), b""])
    if sentences is not encoded and any(lead in joined for lead in _WIDE_DIGIT_LEADS):
        return _crc32s(_NUMBERS.sub("0", "\0".join(map(sentences.__getitem__, numbered))))
    shaped = b"0".join(filter(None, joined.translate(_DIGITS_TO_ZERO).split(b"0")))
    return array("I", map(zlib.crc32, shaped.split(b"\0")[1:-1]))


def _squeezed(text: str) -> str | bytes:
    """``text`` without image URLs and with only letters, digits and "_" left (and U+0345), each
    sentence end written NUL (see ``_ASCII_ENDS``) and its ASCII capitals small, but not yet
    case-folded beyond ASCII (see ``_FOLDED_KEPT``): as bytes where what is left is ASCII
    (bytes methods give the same as str ones there, faster), else as str."""
    raw = text.encode("utf-8", "surrogatepass").lower()  # a lone surrogate is dropped like any symbol
    # most texts have images and URLs: the patterns are looked for at once, without first
    # asking whether "![" or "//" is in the text
    raw = _without_image_urls(_without_image_targets(raw))
    # a full stop before a space ends a sentence: written as a line break (the space is dropped)
    raw = _FULL_STOP.sub(b"\n ", raw).translate(_ASCII_TO_END, _ASCII_DROPPED)
    if raw.isascii():
        return raw
    squeezed = "".join(_KEPT.findall(raw.decode("utf-8", "surrogatepass")))
    if squeezed.isascii():  # all that was beyond ASCII was punctuation ("“quoted”"): no wide end either
        return squeezed.encode()
    for end in _WIDE_ENDS:
        if end in squeezed:
            squeezed = squeezed.replace(end, "\0")
    return squeezed


def _crc32s(joined: str) -> array:
    """The CRC-32 of the UTF-8 of each of the sentences ``joined`` by NULs: encoded at once."""
    return array("I", map(zlib.crc32, joined.encode().split(b"\0")))


def all_shapes(hashes: array, numbered: array, shapes: array) -> array:
    """The shape of every sentence, in order: its own hash but where it holds a number."""
    found = array("I", hashes)
    for at, shape in zip(numbered, shapes):
        found[at] = shape
    return found


@rule("duplicate-article", severity="info", options={"threshold": 0.8, "min-sentences": Option(3, between(0, 10_000))})
class DuplicateArticle:
    """The same article body must not be committed twice.

    Every article of the run is compared with every other: an article is reported,
    at the start of its body, when another one has the same body (ignoring
    whitespace, punctuation, case, image URLs, front matter, HTML tags, code and
    comments), or nearly the same: when at least ``threshold`` of their sentences are
    shared (the Jaccard similarity of their sets of sentences; 0.8 by default, 1.0 for
    exact copies only); the message then says how much of the article's text is in
    sentences of the other one. Sentences that recur in most articles of the run
    with other numbers (an archive date, a length stamp) are left out of that
    comparison once the run has at least four different bodies, so copies that
    differ only there are still found. Both
    copies are reported, each naming the other, so a new copy of an old article is
    caught on the new file whichever sorts first; a body saved many times is
    reported on each copy, naming the first. Sentences shorter than eight
    characters (credits, "Read more") are not counted, and an article with fewer
    than ``min-sentences`` such sentences (a stub, a one-line link post) is not
    compared at all. Sentences end at line breaks, at ``。！？；!?;`` and at a full
    stop before a space.

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
        """Where a finding would go (the start of the body), and the article reduced: its path,
        the digest of its text, how many different sentences it has and the smallest of their
        hashes (what the run's articles are paired on, worked out here, where files are spread
        over processes, rather than in the one that judges), and its sentences; None for an
        article too short to compare."""
        start = _body_start(doc)
        if start is None or _too_few_sentences(doc.prose, start, self.min_sentences):
            return None
        found = sentence_hashes(doc.prose[start:])
        different = set(found.hashes)
        if found.digest is None or len(different) < self.min_sentences:
            return None  # a stub or a one-line link post: the same words are no duplicate story
        return start, (doc.path, found.digest, len(different), array("I", _smallest(different)).tobytes(),
                       found.hashes.tobytes(), found.lengths.tobytes(), found.numbered.tobytes(),
                       found.shapes.tobytes())

    def judge(self, summaries):
        """Group identical bodies once, leave out the per-file sentences, compare
        the groups that share one of their smallest hashes, and word each article's verdict."""
        run = _Run()
        for index, summary in enumerate(summaries):
            if summary is not None:
                run.add(index, *summary)
        if self.threshold < 1:
            run.compare(self.threshold, self.min_sentences)
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
        self.reduced: dict[int, _Reduced] = {}  # each group's first article's sentences
        # first article → {other first: (share of sentences shared, share of its text in the other)}
        self.near: dict[int, dict[int, tuple[float, float]]] = {}
        self.firsts: dict[int, tuple[int, int]] = {}  # group → its two articles whose paths sort first

    def add(self, index: int, path: str, whole: bytes, *reduced) -> None:
        me = len(self.paths)
        self.indexes.append(index)
        self.paths.append(path)
        group = self.by_digest.setdefault(whole, len(self.groups))
        self.group_of.append(group)
        if group < len(self.groups):
            self.groups[group].append(me)
        else:
            self.groups.append([me])
            self.reduced[me] = _Reduced(*reduced)

    def compare(self, threshold: float, min_sentences: int) -> None:
        """Compare the first articles that share one of their smallest hashes, each pair once,
        on their sentences but the per-file ones (see ``_recurring``)."""
        recurring = self._recurring()
        weights: dict[int, dict[int, int]] = {}  # per first article: sentence hash → its length
        sizes: dict[int, int] = {}  # per first article: how many different sentences it is compared on
        keys, owners = array("I"), array("I")
        for me, reduced in self.reduced.items():
            if recurring:  # without its per-file sentences, an article has other smallest hashes
                weights[me] = found = reduced.weights(recurring)
                different, smallest = len(found), _smallest(found.keys())
            else:
                different, smallest = reduced.different, _ints(reduced.smallest)
            sizes[me] = different
            if different >= min_sentences:
                keys.extend(smallest)
                owners.extend([me] * len(smallest))
        counts = Counter(keys)  # most keys are one article's own: only the others are grouped
        shared = {key for key, count in counts.items() if count > 1}
        sharing: dict[int, list[int]] = {}
        for key, owner in compress(zip(keys, owners), map(shared.__contains__, keys)):
            sharing.setdefault(key, []).append(owner)  # each article's keys are unique, added in order
        pairs = set()  # most pairs are settled on counts, without looking up their sentences
        for sharers in sharing.values():
            if len(sharers) <= _CROWDED:
                pairs.update(_in_reach(sharers, sizes, threshold))
            else:  # a template or boilerplate: linear work, and a template's copies still meet
                pairs.update((first, other) for first in sharers[:_KEYS] for other in sharers
                             if other > first and not _out_of_reach(sizes[first], sizes[other], threshold))
        for a, b in pairs:  # each pair's verdict is its own: the order they come in does not matter
            if a not in weights:  # only the paired articles are ever looked up by sentence
                weights[a] = self.reduced[a].weights(recurring)
            if b not in weights:
                weights[b] = self.reduced[b].weights(recurring)
            mine, theirs = weights[a], weights[b]
            similarity = _similarity(mine, theirs, threshold)
            if similarity is not None:
                letters = sum(map(mine.__getitem__, mine.keys() & theirs.keys()))  # in a's lengths, as ever
                self.near.setdefault(a, {})[b] = (similarity, letters / sum(mine.values()))
                self.near.setdefault(b, {})[a] = (similarity, letters / sum(theirs.values()))
        self.reduced = {}  # only the verdicts are needed from now on

    def _recurring(self) -> set[int]:
        """The shapes of the per-file sentences: found in more than half of the run's different
        bodies, and not word for word the same in all of them (a template's own text is)."""
        if len(self.reduced) < _RECURRING_RUN:
            return set()
        bodies = list(self.reduced.values())
        half = len(bodies) / 2
        # Most shapes are in a few bodies: they are counted over all bodies at once, as many
        # times as they are written (one C loop over all of them), and only the few written
        # more times than half the bodies, the only ones that can be in more than half of them,
        # are counted again, once per body and without the bodies where the shape is a sentence
        # of the body itself (then no number varies there).
        counts = Counter(_ints(b"".join([reduced.shapes for reduced in bodies])))
        often = {shape for shape, count in counts.items() if count > half}
        if not often:
            return set()
        counts.clear()
        for reduced in bodies:
            if present := often.intersection(_ints(reduced.shapes)):
                counts.update(present.difference(_ints(reduced.hashes)))
        candidates = {shape for shape, count in counts.items() if count > half}
        if not candidates:
            return set()
        first: dict[int, set] = {}  # shape → its sentences in the first body that has it
        varying = set()
        for reduced in bodies:
            found: dict[int, set] = {}
            for sentence, shape in zip(_ints(reduced.hashes), reduced.all_shapes()):
                if shape in candidates:
                    found.setdefault(shape, set()).add(sentence)
            for shape, sentences in found.items():
                if first.setdefault(shape, sentences) != sentences:
                    varying.add(shape)
        return varying

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
        other = min(near, key=lambda o: (-near[o][0], self.paths[o]))
        return (f"nearly the same article as {self.paths[other]}{more}: "
                f"{_percent(near[other][1])} of its text is in the other")


class _Reduced(NamedTuple):
    """A first article's summary as the judge reads it (the arrays as their bytes)."""

    different: int  # how many different sentences
    smallest: bytes  # the smallest of their hashes, up to _KEYS of them, in order
    hashes: bytes
    lengths: bytes
    numbered: bytes
    shapes: bytes

    def all_shapes(self) -> array:
        return all_shapes(_ints(self.hashes), _ints(self.numbered), _ints(self.shapes))

    def weights(self, recurring: set[int]) -> dict[int, int]:
        """Sentence hash → its length in letters, but for the sentences whose shape recurs."""
        entries = zip(_ints(self.hashes), _ints(self.lengths))
        if recurring:
            entries = compress(entries, map(not_, map(recurring.__contains__, self.all_shapes())))
        return dict(entries)


def _smallest(hashes: Collection[int]) -> list[int]:
    """The ``_KEYS`` smallest of ``hashes`` (all different), in order.

    CRC-32s are spread evenly over their 2**32 values: of many, about twice ``_KEYS`` are under
    a bound scaled down to how many there are, and only those are sorted. Where fewer are
    under it, all of them are sorted: the result is the same either way."""
    if len(hashes) > 4 * _KEYS:
        under = sorted(filter((2**32 * 2 * _KEYS // len(hashes)).__gt__, hashes))
        if len(under) >= _KEYS:
            return under[:_KEYS]
    return sorted(hashes)[:_KEYS]


def _in_reach(sharers: list[int], sizes: dict[int, int], threshold: float) -> Iterator[tuple[int, int]]:
    """The pairs of ``sharers`` (each as (lower, higher)) that are not out of reach on their
    counts of different sentences (see ``_out_of_reach``).

    With the sharers in order of size, the share of the smaller over the larger only falls
    as the partner grows: each one is paired with the larger ones after it up to the first
    out of reach, and the pairs out of reach (most of them) are never made."""
    by_size = sorted(sharers, key=sizes.__getitem__)
    for at, a in enumerate(by_size):
        size = sizes[a]
        for b in islice(by_size, at + 1, None):
            if _out_of_reach(size, sizes[b], threshold):
                break
            yield (a, b) if a < b else (b, a)


def _out_of_reach(a: int, b: int, threshold: float) -> bool:
    """Whether two articles of ``a`` and ``b`` different sentences are too unlike in size to
    reach ``threshold``: their similarity is at most the smaller count over the larger
    (rounding keeps that order), so most pairs are settled on counts."""
    return (a / b if a < b else b / a) < threshold


def _similarity(a: dict[int, int], b: dict[int, int], threshold: float) -> float | None:
    """The share of two articles' sentences that they share (the Jaccard similarity of the
    sets of hashes), when it reaches ``threshold``; else None.

    Most pairs that get this far share a few sentences of dozens: the first ``_SAMPLE`` of
    the smaller article's sentences are looked up in the other first, and each one missing
    there is one fewer that they can share. Where even sharing all the others would stay
    under ``threshold``, the pair is settled without intersecting all their sentences (the
    similarity only grows with what is shared, and so does its rounding: the bound is exact)."""
    if _out_of_reach(len(a), len(b), threshold):
        return None
    smaller, larger = (a, b) if len(a) <= len(b) else (b, a)
    missing = min(_SAMPLE, len(smaller)) - sum(map(larger.__contains__, islice(smaller, _SAMPLE)))
    if _jaccard(len(smaller) - missing, len(a) + len(b)) < threshold:
        return None
    similarity = _jaccard(len(a.keys() & b.keys()), len(a) + len(b))
    return similarity if similarity >= threshold else None


def _jaccard(shared: int, total: int) -> float:
    """The Jaccard similarity of two sets of ``total`` members in all, ``shared`` of them in both."""
    return shared / (total - shared)


def _ints(raw: bytes) -> array:
    found = array("I")
    found.frombytes(raw)
    return found


def _percent(share: float) -> str:
    """A share as a whole percentage, never rounded up to 100% when it is not all."""
    return f"{min(share, 0.99) if share < 1 else share:.0%}"


def _too_few_sentences(text: str, start: int, needed: int) -> bool:
    """Whether ``text`` from ``start`` on is sure to be cut into fewer than ``needed`` sentences,
    told without reducing it: n sentences need n - 1 ends (see ``_END_MARK``) with a visible
    character after the last. Most articles have them in their first lines, found at once;
    a one-line post (the commonest stub) is settled without reducing it at all."""
    if needed <= 1:
        return False
    last = next(islice(_END_MARK.finditer(text, start), needed - 2, None), None)
    return last is None or _VISIBLE.search(text, last.end()) is None


def _body_start(doc) -> int | None:
    """Offset of the first character a reader sees in the body, or None for an empty body."""
    match = _VISIBLE.search(doc.prose, doc.body_offset)
    return match.start() if match else None


@hookimpl
def lintnews_rules():
    return [DuplicateArticle]

"""Finding lexicon terms in an article: the text as a reader sees it, folded, with a map back
to exact offsets; one Aho-Corasick pass over it for plain hits; and a squeezed view of the
few stretches that may hide an evasion (``博-彩``, ``d.r.u.g``, ``caaasino``), matched again.

Everything runs in time linear in the article: the views are built with a handful of
regular-expression passes, and the squeezed view only where a cheap pattern says an
evasion is possible at all. Most articles hold no term at all: a quick test on their
letters and digits (``QuickTest``) lets them skip the views and their maps entirely.
"""
from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

import ahocorasick


from .lexicon import Category, Fold, char_class

# Scripts written without spaces between words: terms in them match anywhere.
UNSPACED = ("\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
            "\U00020000-\U0003134f")
_UNSPACED = re.compile(f"[{UNSPACED}]")
# Punctuation that structures prose: a term is never matched across it, evasion or not.
# (An ASCII , . ; : ! ? counts only as prose is written, after a word and before a space:
# "d.r.u.g" and "大 . 麻" are evasions.)
PROSE_MARKS = "，。、；：！？…‥—–～·・“”‘’「」『』《》〈〉（）【】〔〕()[]{}\"<>"
_ZONE_BREAK = re.compile(rf"[\x00\n{re.escape(PROSE_MARKS)}]|(?<! )[,.;:!?](?= )")
# a separator between letters: not a letter or digit, a break or prose punctuation
_SEPARATOR = rf"[^\w\x00\n{re.escape(PROSE_MARKS)}]"
# Where an evasion may be: a separator between two CJK characters, or a word of three or
# more letters spelled out one by one ("d.r.u", "d r u"), written beside Chinese or Japanese
# too ("买d r u g"): the letters' word ends where a letter of a script that spaces its words
# does not follow. Both start at the separator, which lets the regex engine skip ahead. (A
# letter written three times is found by the automaton itself: see REPEATS.)
_LATIN_WORD_EDGE = rf"(?![^\W{UNSPACED}])"
_HINT = re.compile(rf"{_SEPARATOR}(?:(?<=[{UNSPACED}].){_SEPARATOR}{{0,2}}(?=[{UNSPACED}])"
                   rf"|(?<=(?<![^\W{UNSPACED}])[^\W\d_].){_SEPARATOR}{{0,2}}"
                   rf"(?=[^\W\d_]{_SEPARATOR}{{1,3}}[^\W\d_]{_LATIN_WORD_EDGE}))")
REPEATS = tuple(letter * 3 for letter in "abcdefghijklmnopqrstuvwxyz")
MAX_GAP = 3  # separators between two letters of an evasion, at most

# inline elements join the text around them (大<b>麻</b> is one word); any other tag breaks it
INLINE_TAGS = frozenset("a abbr b bdi bdo big cite code data del dfn em font i ins kbd mark nobr q s samp "
                        "small span strike strong sub sup time tt u var wbr".split())
_MARKUP = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*>?", re.S)
_URL_END = r"[^\s<>\"'“”‘’（）【】《》「」，。；！？、]"
# White space other than single spaces and line breaks (kept: a line break is a space to a
# multi-word term, two are a paragraph break), a line break inside Chinese or Japanese text
# (it joins), URLs, character references and emphasis marks. Every branch starts with a
# character, so the regex engine can skip ahead.
_URL = rf"(?:https?|ftp)://{_URL_END}+|www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+{_URL_END}*|\]\([^)\s]*\)?"
_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
# Parts of the URLs of _URL, each pattern starting with a literal that the regex engine
# skips ahead to. Wherever one of them matches, _URL matches too, from there or from
# before, as far or further: their tails stop where any kind of URL stops.
_URL_IN = r"[^\s<>\"'“”‘’（）【】《》「」，。；！？、)]"
_URL_PARTS = (("](", re.compile(rf"\]\({_URL_IN}*")),
              ("://", re.compile(rf"://(?:(?<=http://)|(?<=https://)|(?<=ftp://)){_URL_IN}+")),
              ("www.", re.compile(rf"www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+{_URL_IN}*")))
_SPECIAL = (rf"(?P<space>[^\S \n]\s*|\n(?:(?!\n(?!\s))\s+|(?<=[{UNSPACED}]\n)(?=[{UNSPACED}]))|  +\s*)"
            rf"|(?P<url>{_URL})|(?P<entity>{_ENTITY})|(?P<emphasis>\*\*+|__+|~~+)")
_FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")

BREAK = "\x00"  # in a view: nothing matches across it
LINEAR, REPLACED, REFERENCE = 0, 1, 2  # how a stretch of the view maps to the file

# why a hit is an evasion, in the order messages list them
KINDS = ("inserted separators", "inserted spaces", "invisible characters", "added marks",
         "repeated letters", "full-width letters", "look-alike characters", "character references")


def _latin(char: str) -> bool:
    """A letter or digit of a script that spaces its words: terms in it match whole words."""
    return char.isalnum() and not _UNSPACED.match(char)


class View:
    """Stretches of the file, folded and joined; ``text`` is what terms are matched in.

    Each stretch maps back to the file: LINEAR ones character by character, REPLACED and
    REFERENCE ones (white space, ``ﬁ``, ``&#22823;``) as a whole to the file range they
    replace. Markup that a reader does not see is dropped (inline tags, comments,
    ``**``) or breaks the text (block tags, code, URLs, paragraph breaks).
    """

    def __init__(self, doc, fold: Fold, sources: list[tuple[str, int, int]]) -> None:
        self._raw = doc.text
        self._starts: list[int] = []  # where each stretch starts in the view
        self._spans: list[tuple[int, int, int]] = []  # (file start, file end, kind)
        self._length = 0
        self._pieces: list[str] = []
        self._fold = fold
        for number, (source, start, end) in enumerate(sources):
            if number:
                self._add(BREAK, start, start, REPLACED)
            special = _special(fold.expanding_class if fold.expanding_re.search(source, start, end) else "")
            self._stretch(source, start, end, special)
        self.text = _folded(fold, "".join(self._pieces))

    def _add(self, piece: str, start: int, end: int, kind: int) -> None:
        self._starts.append(self._length)
        self._spans.append((start, end, kind))
        self._pieces.append(piece)
        self._length += len(piece)

    def _stretch(self, source: str, start: int, end: int, special: re.Pattern) -> None:
        pos = start
        for match in special.finditer(source, start, end):
            first, last = match.span()
            kind, group = REPLACED, match.lastgroup
            if group == "space":
                piece = self._space(source, first, last, start, end)
                if piece == " " and first > start and source[first - 1] == " ":
                    piece = ""  # one space is enough
            elif group == "url":
                piece = BREAK
            elif group == "entity":
                char = html.unescape(match.group())
                if len(char) != 1:
                    continue  # not a reference that HTML knows: the text as written
                piece, kind = (" " if char.isspace() else self._fold.char(char)), REFERENCE
            elif group == "emphasis":
                piece = ""
            else:
                piece = self._fold.expanding[match.group()]
            if first > pos:
                self._add(source[pos:first], pos, first, LINEAR)
            if piece:
                self._add(piece, first, last, kind)
            pos = last
        if end > pos:
            self._add(source[pos:end], pos, end, LINEAR)

    def _space(self, source: str, first: int, last: int, start: int, end: int) -> str:
        """What a run of white space (and of markup blanked to spaces) is to a reader."""
        before = source[first - 1] if first > start else ""
        after = source[last] if last < end else ""
        if not (before.isalnum() and after.isalnum()):
            return " "  # no word to join or split: what the run holds does not matter
        raw = self._raw[first:last]
        if not raw.isspace():
            rest, pos = [], 0
            for match in _MARKUP.finditer(raw):
                if match.group(2) and match.group(2).lower() not in INLINE_TAGS:
                    return BREAK
                rest.append(raw[pos:match.start()])
                pos = match.end()
            rest.append(raw[pos:])
            raw = "".join(rest)
            if raw.strip():
                return BREAK  # code or a script: not prose
            if not raw:
                return ""
        lines = raw.count("\n")
        if lines > 1:
            return BREAK
        if lines == 1 and _UNSPACED.match(before) and _UNSPACED.match(after):
            return ""  # a line wrapped inside Chinese or Japanese text joins without a space
        return " "

    def file_range(self, start: int, end: int) -> tuple[int, int]:
        """The file range of the view's ``text[start:end]``."""
        return self._file_offset(start, False), self._file_offset(end - 1, True)

    def _file_offset(self, index: int, after: bool) -> int:
        number = bisect_right(self._starts, index) - 1
        first, last, kind = self._spans[number]
        if kind != LINEAR:
            return last if after else first
        return first + index - self._starts[number] + after

    def same_letter(self, start: int, end: int) -> bool:
        """Whether the letters of the view's ``text[start:end]`` are one letter as written
        (``nnn``, not ``nNN``)."""
        file_start, file_end = self.file_range(start, end)
        return len({c for c in self._raw[file_start:file_end] if c.isalnum()}) == 1

    def kinds(self, start: int, end: int) -> set[str]:
        """How the view's ``text[start:end]`` is disguised in the file, character by character."""
        kinds = set()
        first = bisect_right(self._starts, start) - 1
        last = bisect_right(self._starts, end - 1)
        for file_start, file_end, kind in self._spans[first:last]:
            if kind == REFERENCE:
                kinds.add("character references")
        file_start, file_end = self.file_range(start, end)
        raw = self._raw[file_start:file_end]
        if _FULL_WIDTH.search(raw):
            kinds.add("full-width letters")
        if not raw.isascii() and any(unicodedata.category(c)[0] in "LNS" and not _FULL_WIDTH.match(c)
                                     and unicodedata.normalize("NFKC", c) != c for c in raw):
            kinds.add("look-alike characters")
        return kinds


def _folded(fold: Fold, text: str) -> str:
    """``text`` case-folded and folded character by character, same length."""
    folded = text.casefold()
    if len(folded) != len(text):  # a character outside the folding table: keep the map exact
        folded = "".join(c.casefold() if len(c.casefold()) == 1 else c for c in text)
    return fold.one_to_one(folded)


@lru_cache(maxsize=4)
def _special(expanding_class: str) -> re.Pattern:
    """The special stretches, and characters that fold to several if the text has any."""
    return re.compile(_SPECIAL + f"|(?P<expanding>{expanding_class})" if expanding_class else _SPECIAL)


@lru_cache(maxsize=4)
def _references(expanding_class: str) -> re.Pattern:
    """Character references, and characters that fold to several if the text has any."""
    return re.compile(f"(?P<entity>{_ENTITY})|(?P<expanding>{expanding_class})" if expanding_class else _ENTITY)


# -- terms ----------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """A term as the matcher knows it: as written, folded (``key``), its category (None for
    an allowed term) and its squeezed form: letters and digits only, Latin runs collapsed
    (``runs`` says how long each was), ``gaps`` where the term itself has a space."""

    term: str
    key: str
    category: Category | None
    squeezed: str
    runs: tuple[int, ...]
    gaps: tuple[bool, ...]
    latin: tuple[bool, ...]

    @classmethod
    def make(cls, term: str, key: str, category: Category | None) -> "Entry":
        chars, runs, gaps, gap = [], [], [], False
        for char in key:
            if not char.isalnum():
                gap = bool(chars)
            elif chars and not gap and char == chars[-1] and _latin(char) and not char.isdigit():
                runs[-1] += 1
            else:
                chars.append(char)
                runs.append(1)
                gaps.append(gap)
                gap = False
        return cls(term, key, category, "".join(chars), tuple(runs), tuple(gaps), tuple(map(_latin, chars)))


class Hit(NamedTuple):
    """A banned term found in the file between ``start`` and ``end``, and how it was disguised."""

    start: int
    end: int
    entry: Entry
    kinds: tuple[str, ...]


class _Squeezed:
    """A zone of the view with separators dropped and repeated Latin letters made one:
    ``chars`` and, for each, where its run starts and ends in the view."""

    def __init__(self, text: str, start: int, end: int) -> None:
        chars, starts, ends = [], [], []
        inner: dict[int, list[str]] = {}  # separators inside a run ("w.e.e.d")
        for index in range(start, end):
            char = text[index]
            if not char.isalnum():
                continue
            if chars and char == chars[-1] and _latin(char) and not char.isdigit() \
                    and (ends[-1] == index or _spelled(text, starts[-1], index)):
                if ends[-1] != index:
                    inner.setdefault(len(chars) - 1, []).append(text[ends[-1]:index])
                ends[-1] = index + 1
                continue
            chars.append(char)
            starts.append(index)
            ends.append(index + 1)
        self.text, self.starts, self.ends, self.inner = "".join(chars), starts, ends, inner


def _spelled(text: str, run: int, index: int) -> bool:
    """Whether the letter at ``index`` repeats, across a short gap, a run of one-letter tokens
    starting at ``run`` ("w.e.e.d", not the "d d" of "and drug")."""
    return (index - run <= 2 * MAX_GAP + 1 and not (run and _latin(text[run - 1]))
            and not (index + 1 < len(text) and _latin(text[index + 1])))


def _gap_kind(gap: str) -> str:
    if gap.isspace():
        return "inserted spaces"
    categories = {unicodedata.category(c) for c in gap}
    if categories <= {"Cf"}:
        return "invisible characters"
    if categories <= {"Mn", "Me"}:
        return "added marks"
    return "inserted separators"


class QuickTest:
    """Whether an article may hold a banned term at all, without building its view.

    A hit, plain or evaded, shows the letters and digits of its term in a row in the view,
    with no prose punctuation between them unless the term has it. (Where a letter is
    written three times or more, what is in a row is the term's letters up to the first
    such letter and that letter three times: the next letter comes after all of the run,
    however long.) The view keeps the letters
    and digits of the text outside code, comments, tags and URLs, adds those of
    character references and of characters that fold to several, and folds them. Done
    the same to the text, without the map back to the file, and with everything deleted
    but letters, digits and prose punctuation, the text has them in a row too: where the
    automaton of these letters finds nothing, there is no hit.
    """

    def __init__(self, entries: list[Entry], fold: Fold) -> None:
        self.fold = fold
        keys = [entry.key for entry in entries]
        letters: dict[str, bool] = {}  # → whether only terms that are one ASCII word have them
        for entry in entries:
            word = entry.key.isascii() and entry.key.isalnum()
            before = ""
            for index, char in enumerate(entry.squeezed):
                if entry.latin[index] and not char.isdigit():
                    found = before + char * 3
                    letters[found] = letters.get(found, True) and word
                before += char * entry.runs[index]
            letters[before] = letters.get(before, True) and word  # all of the term's letters and digits
        self.enabled = "" not in letters  # (a term of letters that fold away: no quick test)
        self.automaton = _automaton(letters.items())
        self.words = _automaton((key, key) for key, word in letters.items() if word)
        # a word spelled out is as many one-letter tokens in a row as it has letters (runs)
        spelled = [len(entry.runs) for entry in entries if entry.key.isascii() and entry.key.isalnum()]
        spelled = min((count for count in spelled if count > 1), default=0)
        self._spelled = re.compile(rf"(?<![a-z0-9])([a-z0-9])\1*(?:[^a-z0-9]+([a-z0-9])\2*){{{spelled - 1}}}"
                                   r"(?![a-z0-9])") if spelled else None
        kept = {c for c in PROSE_MARKS if not c.isascii()} - {c for key in keys for c in key}
        others, unusual = [], []
        for code in range(0x80, 0x10000):
            char = chr(code)
            folded = char.casefold()
            if not char.isalnum() and char not in kept:
                others.append(char)
            if not (folded.isalnum() or folded in kept) or len(folded) != 1 or char in fold.expanding \
                    or fold.one_to_one(folded) != folded:
                unusual.append(char)
        # beyond the BMP: every character, to look at one by one
        self._others = re.compile(char_class(others, quick=True) + "+")
        # characters that need more than case folding to become letters, digits or prose punctuation
        self._unusual = re.compile(char_class(unusual, quick=True))

    def may_hit(self, doc, ranges: list[tuple[int, int]], holes: list[tuple[int, int]]) -> bool:
        """False when no banned term is in the body of ``doc`` as a reader sees it nor in
        ``ranges`` of it, plainly or evaded."""
        if not self.enabled:
            return True
        if self.automaton is None:
            return False
        text = doc.text
        pieces = [text[start:end] for start, end in ranges]
        pos = doc.body_offset
        for start, end in holes:
            if start > pos:
                pieces.append(text[pos:start])
            if end > pos:
                pos = end
        pieces.append(text[pos:])
        joined = "<".join(pieces)  # like a hole, it ends a URL or a reference (and is no space)
        for literal, url in _URL_PARTS:
            if literal in joined:
                joined = url.sub("\n", joined)
        decoded = _references("").sub(self._replace, joined) if "&" in joined else joined
        if not self._unusual.search(decoded):  # the usual case: case folding is all it takes
            folded = joined = decoded.casefold()
        else:  # as the view does it
            expanding = self.fold.expanding_re.search(joined) is not None
            if expanding or "&" in joined:
                joined = _references(self.fold.expanding_class if expanding else "").sub(self._replace, joined)
            folded = _folded(self.fold, joined)
            joined = self._others.sub(_letters_only, folded)
        encoded = joined.encode("utf-8")
        letters = encoded.translate(None, _ASCII_OTHERS).decode("latin-1")
        found = False
        for _, word in self.automaton.iter(letters):
            if not word:
                return True
            found = True
        if not found:
            return False
        # Only the letters of terms that are one ASCII word. The view has them in a row with
        # nothing between them, white space included, unless they are spelled out one by
        # one: then the text has as many one-letter tokens in a row.
        if self._spelled is not None and self._spelled.search(folded):
            return True
        words = encoded.translate(None, _ASCII_PUNCTUATION).decode("latin-1")
        return next(self.words.iter(words), None) is not None

    def _replace(self, match: re.Match) -> str:
        """A character reference, or a character that folds to several, as the view has it."""
        if match.lastgroup == "expanding":
            return self.fold.expanding[match.group()]
        char = html.unescape(match.group())
        if len(char) != 1:
            return match.group()
        return " " if char.isspace() else self.fold.char(char)


_ASCII_OTHERS = bytes(code for code in range(0x80) if not chr(code).isalnum())
_ASCII_PUNCTUATION = bytes(code for code in range(0x80) if not chr(code).isalnum() and not chr(code).isspace())


def _letters_only(match: re.Match) -> str:
    """A run of characters that are not letters or digits, or beyond the BMP: its letters."""
    run = match.group()
    return "".join(c for c in run if c.isalnum()) if max(run) >= "\U00010000" else ""


class Matcher:
    """Banned and allowed terms compiled into two automata: one over the folded text, one
    over squeezed text (for evasions)."""

    def __init__(self, banned: list[tuple[str, Category]], allow: list[str], fold: Fold,
                 evasions: bool = True) -> None:
        self.fold = fold
        self.evasions = evasions
        entries: dict[str, Entry] = {}
        for term, category in banned:
            key = fold.term(term)
            known = entries.get(key)
            if known is None or _rank(category) > _rank(known.category):
                entries[key] = Entry.make(term, key, category)
        for term in allow:
            key = fold.term(term)
            entries[key] = Entry.make(term, key, None)
        repeats = [(key, None) for key in REPEATS if key not in entries] if evasions else []
        self.plain = _automaton([(variant, entry) for key, entry in entries.items() for variant in _wrapped(key)]
                                + repeats)
        grouped: dict[str, list[Entry]] = {}
        for entry in entries.values():
            grouped.setdefault(entry.squeezed, []).append(entry)
        self.squeezed = _automaton((key, tuple(group)) for key, group in grouped.items() if key)
        # how far from a hint an evasion may reach: the longest term, spelled out with gaps
        self.reach = 4 * max((len(key) for key in entries), default=0)
        self.quick = QuickTest([entry for entry in entries.values() if entry.category is not None], fold)

    def find(self, doc, ranges: list[tuple[int, int]]) -> list[Hit]:
        """The banned terms in the body of ``doc`` as a reader sees it and in ``ranges``
        (front-matter values, as written), sorted, each once."""
        if self.plain is None:
            return []
        if not self.quick.may_hit(doc, ranges, doc.hidden):
            return []
        sources = [(doc.text, start, end) for start, end in ranges]
        view = View(doc, self.fold, sources + [(doc.prose, doc.body_offset, len(doc.text))])
        text = view.text
        banned, allowed, repeats = [], [], []
        for end, entry in _matches(self.plain, text):
            if entry is None:
                repeats.append(end - 3)
                continue
            start = end - len(entry.key)
            if _latin(entry.key[0]) and start and _latin(text[start - 1]):
                continue  # Latin-script terms match whole words only
            if _latin(entry.key[-1]) and end < len(text) and _latin(text[end]):
                continue
            (allowed if entry.category is None else banned).append((start, end, entry, ()))
        hints = [match.start() for match in _HINT.finditer(text)] if self.evasions else []
        if hints or repeats:
            for hit in self._evasions(view, sorted(hints + repeats)):
                (allowed if hit[2].category is None else banned).append(hit)
        return [Hit(*view.file_range(start, end), entry, _ordered(set(kinds) | view.kinds(start, end)))
                for start, end, entry, kinds in _keep(banned, allowed)]

    def _evasions(self, view: View, hints: list[int]):
        """Evasion hits (and allowed terms written so) in the zones around the hints (see
        ``_zones``)."""
        text = view.text
        for start, end in self._zones(text, hints):
            squeezed = _Squeezed(text, start, end)
            for stop, group in _matches(self.squeezed, squeezed.text):
                for entry in group:
                    hit = _verify(view, squeezed, stop - len(entry.squeezed), entry)
                    if hit is not None:
                        yield hit

    def _zones(self, text: str, hints: list[int]) -> list[tuple[int, int]]:
        """Where evasions are looked for, in order: around each of ``hints`` (sorted), the clause
        holding it, up to ``reach`` characters either side (see ``_zone``); zones that overlap
        or meet are one, so that a run of letters is never cut where one zone ends and a text
        of hints (a letter repeated a million times, every character a separator) is read
        once, not once per hint.

        Within a clause, a later hint's zone starts and ends no earlier than an earlier one's
        (every break is one character), so of the hints inside a zone only the last can take
        it further: the others are skipped unread."""
        zones: list[tuple[int, int]] = []
        at, count, zone = 0, len(hints), None
        while at < count:
            start, end = zone or self._zone(text, hints[at])
            at, zone = at + 1, None
            while at < count:
                inside = bisect_left(hints, end, at)
                if inside > at:  # hints inside the zone: the last of them reaches furthest
                    at = inside
                    end = max(end, self._zone(text, hints[inside - 1])[1])
                    continue
                zone = self._zone(text, hints[at])  # the next hint's zone may still meet this one
                if zone[0] > end:
                    break
                end = max(end, zone[1])
                at, zone = at + 1, None
            zones.append((start, end))
        return zones

    def _zone(self, text: str, hint: int) -> tuple[int, int]:
        """The clause holding ``hint`` (between the ``_ZONE_BREAK``s around it), up to ``reach``
        characters either side: no zone holds a break. A hint that is a break itself (the ","
        of "d, r, u, g") ends its zone: prose punctuation hides no term."""
        low, high = max(0, hint - self.reach), min(len(text), hint + self.reach)
        start, end = low, high
        for found in _ZONE_BREAK.finditer(text, low, high):
            if found.end() <= hint:
                start = found.end()
            else:
                end = found.start()
                break
        return start, end


def _verify(view: View, sq: _Squeezed, first: int, entry: Entry):
    """(start, end, entry, kinds) when the squeezed match of ``entry`` at ``first`` is an
    evasion; None when it is a plain match (found already) or not the term at all."""
    text, kinds, spelled, joined = view.text, set(), 0, 0
    for k, want in enumerate(entry.runs):
        index = first + k
        run = sq.ends[index] - sq.starts[index]
        gaps = sq.inner.get(index, ())
        if gaps:
            run -= sum(map(len, gaps))
            kinds.update(map(_gap_kind, gaps))
            spelled += 1
        if run != want:
            if run < want or run < 3 or not entry.latin[k] or not view.same_letter(sq.starts[index], sq.ends[index]):
                return None  # "good" is not "god" written long, nor "OpenNN" "open"
            kinds.add("repeated letters")
        if not k:
            continue
        gap = text[sq.ends[index - 1]:sq.starts[index]]
        if len(gap) > MAX_GAP:
            return None
        if entry.gaps[k]:
            if not gap:
                return None
        elif gap:
            kinds.add(_gap_kind(gap))
            spelled += entry.latin[k - 1] and entry.latin[k]
        else:
            joined += entry.latin[k - 1] and entry.latin[k]
    if not kinds or (spelled and joined):
        return None  # a plain match, or letters only partly spelled out ("he'll" is not "hell")
    start, end = sq.starts[first], sq.ends[first + len(entry.runs) - 1]
    if entry.latin[0] and (start and _latin(text[start - 1]) or spelled and _spelled_on(text, sq, first - 1)):
        return None
    last = first + len(entry.runs)
    if entry.latin[-1] and (end < len(text) and _latin(text[end]) or spelled and _spelled_on(text, sq, last)):
        return None
    return start, end, entry, tuple(kinds)


def _spelled_on(text: str, sq: _Squeezed, index: int) -> bool:
    """Whether squeezed character ``index`` is a one-letter token next to the match: the
    spelled-out word goes on ("x.d.r.u.g" is not "drug"). A letter written several times in a
    row ("zzz") is a word of its own."""
    if not 0 <= index < len(sq.text) or not _latin(sq.text[index]):
        return False
    start, end = sq.starts[index], sq.ends[index]
    if end - start > 1 and index not in sq.inner:
        return False
    return not (start and _latin(text[start - 1])) and not (end < len(text) and _latin(text[end]))


def _keep(banned: list, allowed: list) -> list:
    """Banned hits not shadowed by a longer allowed term, nor inside a longer banned hit,
    nor an evasion where the same term is found plainly. Each question is a look-up in
    sorted spans (``_Spans``), not a pass over every other hit: a text of hits (a term
    evaded a hundred thousand times) is settled in n log n."""
    allowed_spans, banned_spans = _Spans(hit[:2] for hit in allowed), _Spans(hit[:2] for hit in banned)
    plain: dict[int, list] = {}  # id of an entry → the spans where it is found plainly
    for hit in banned:
        if not hit[3]:
            plain.setdefault(id(hit[2]), []).append(hit[:2])
    plain_spans = {key: _Spans(spans) for key, spans in plain.items()}
    kept, seen = [], set()
    for hit in sorted(banned, key=lambda h: (h[0], -h[1])):
        start, end, entry, kinds = hit
        if (start, end, entry.key) in seen or allowed_spans.cover(start, end) or banned_spans.cover(start, end):
            continue
        if kinds and id(entry) in plain_spans and plain_spans[id(entry)].meet(start, end):
            continue
        seen.add((start, end, entry.key))
        kept.append(hit)
    return kept


class _Spans:
    """(start, end) spans, sorted, with the furthest end among each first few."""

    def __init__(self, spans) -> None:
        spans = sorted(spans)
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]
        self.furthest = list(accumulate(self.ends, max))

    def cover(self, start: int, end: int) -> bool:
        """Whether a longer span holds ``start``..``end``: one that starts before it and ends
        no earlier, or starts with it and ends later."""
        before = bisect_left(self.starts, start)
        if before and self.furthest[before - 1] >= end:
            return True
        same = bisect_right(self.starts, start, before)
        return same > before and self.ends[same - 1] > end

    def meet(self, start: int, end: int) -> bool:
        """Whether a span overlaps ``start``..``end``."""
        before = bisect_left(self.starts, end)
        return before > 0 and self.furthest[before - 1] > start


def _wrapped(key: str) -> list[str]:
    """``key`` and, for a term of a few words, each way of writing it over lines."""
    spaces = key.count(" ")
    if not 0 < spaces <= 3:
        return [key]
    variants = [""]
    for part in key.split(" ")[:-1]:
        variants = [v + part + gap for v in variants for gap in (" ", "\n")]
    return [v + key.rsplit(" ", 1)[1] for v in variants]


def _rank(category: Category | None) -> int:
    return 0 if category is None or category.severity is None else int(category.severity)


def _ordered(kinds: set[str]) -> tuple[str, ...]:
    return tuple(kind for kind in KINDS if kind in kinds)


# pyahocorasick looks a node's children up one by one: a trie whose root has thousands of
# Chinese characters makes every step slow. Over UTF-8 (bytes held in a str as Latin-1)
# a node has at most 256 children, and a match of whole characters can only start on a
# character boundary, so nothing else changes.

def _utf8(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


def _matches(automaton, text: str):
    """(end, value) of every match in ``text``, ``end`` in characters, in order."""
    if text.isascii():
        for last, value in automaton.iter(text):
            yield last + 1, value
        return
    encoded = _utf8(text)
    byte, char = 0, 0
    for last, value in automaton.iter(encoded):
        char += len(encoded[byte:last + 1].encode("latin-1").decode("utf-8"))
        byte = last + 1
        yield char, value


def _automaton(items) -> ahocorasick.Automaton | None:
    automaton = ahocorasick.Automaton()
    for key, value in items:
        automaton.add_word(_utf8(key), value)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton

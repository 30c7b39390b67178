"""Lexicons of banned terms: reading and validating them, and the character folding that
terms and article text share (NFKC, case folding, optionally traditional → simplified)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml reads a lexicon of thousands of terms several times faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

from lintnews.rule import OptionError
from lintnews.violation import Severity

# -- folding --------------------------------------------------------------------

# Code points where NFKC does anything for letters, digits and symbols: the BMP, the
# mathematical alphanumerics, enclosed alphanumerics and the CJK compatibility ideographs.
_FOLDED_RANGES = ((0, 0x10000), (0x1D400, 0x1D800), (0x1F100, 0x1F300), (0x2F800, 0x2FA20))


@lru_cache(maxsize=1)
def compatibility_folds() -> tuple[dict[str, str], dict[str, str]]:
    """(one-to-one, expanding) folds of every character that NFKC and case folding change.

    Punctuation, spaces and format characters are never folded: full-width ``，`` stays
    what it is, so that prose punctuation can be told from a separator put between the
    characters of a word. A symbol is folded only to a single character (``＄`` → ``$``,
    but ``™`` stays). Upper-case letters are not listed: ``str.casefold`` handles them.
    """
    one, expanding = {}, {}
    for first, stop in _FOLDED_RANGES:
        for code in range(first, stop):
            if 0xD800 <= code < 0xE000:
                continue
            char = chr(code)
            kind = unicodedata.category(char)[0]
            if kind in "PZC" or char.isspace():
                continue
            folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", char).casefold())
            if folded == char.casefold() and len(folded) == 1:
                continue
            if len(folded) == 1:
                one[char] = folded
            elif kind in "LNM":
                expanding[char] = folded
    return one, expanding


@lru_cache(maxsize=1)
def traditional_to_simplified() -> dict[str, str]:
    """Traditional → simplified Chinese, character by character, from OpenCC's ``t2s`` table.

    Only one-to-one conversions are kept, so offsets stay exact; OpenCC's phrase tables
    are not used (a single character is converted on its own)."""
    try:
        from opencc import OpenCC
    except ImportError:
        raise OptionError("option 'traditional' needs the opencc package: pip install 'opencc>=1.1'") from None
    converter = OpenCC("t2s")
    table = {}
    for first, stop in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0)):
        chars = "".join(map(chr, range(first, stop)))
        converted = converter.convert(chars)
        if len(converted) != len(chars):  # a converter that does not keep lengths: one by one
            converted = "".join(c if len(c) == 1 else o for o, c in ((o, converter.convert(o)) for o in chars))
        table.update((old, new) for old, new in zip(chars, converted) if old != new)
    return table


def char_class(chars, quick: bool = False) -> str:
    """A regular-expression class of ``chars``, written as ranges.

    With ``quick``, every character beyond the BMP is in it too: the regex engine looks a
    BMP character up in one table, but walks the ranges beyond it one by one, so a quick
    class is the fast way to ask whether a text may hold any of ``chars`` at all.
    """
    codes = sorted(map(ord, chars))
    if quick:
        codes = [code for code in codes if code < 0x10000]
    found: list[list[int]] = []
    for code in codes:
        if found and code == found[-1][1] + 1:
            found[-1][1] = code
        else:
            found.append([code, code])
    if quick:
        found.append([0x10000, 0x10FFFF])
    if not found:
        return "[^\\s\\S]"
    return "[" + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                         for a, b in found) + "]"


class Fold:
    """The folding applied to terms and text alike: ``casefold`` on the whole string, then
    one-to-one character folds (full-width letters, compatibility forms, optionally
    traditional characters). Characters that fold to several (``ß``, ``ﬁ``, ``㍿``) are
    in ``expanding``: a text view replaces them one at a time, keeping offsets."""

    def __init__(self, traditional: bool = False) -> None:
        one, self.expanding = compatibility_folds()
        if traditional:
            simplified = traditional_to_simplified()
            one = {**one, **simplified}
            one.update((old, simplified.get(new, new)) for old, new in one.items())
            self.expanding = {old: "".join(simplified.get(c, c) for c in new)
                              for old, new in self.expanding.items()}
        self.table = str.maketrans(one)
        self._needed = re.compile(char_class(one, quick=True) + "+")
        self.expanding_class = char_class(self.expanding)
        self.expanding_re = re.compile(char_class(self.expanding, quick=True))  # may hold some
        self._chars: dict[str, str] = {}

    def one_to_one(self, text: str) -> str:
        """``text`` (already case-folded, without expanding characters) folded, same length."""
        # str.translate looks every character up: only the few that may need it are given to it
        return self._needed.sub(self._translated, text) if self._needed.search(text) else text

    def _translated(self, match: re.Match) -> str:
        return match.group().translate(self.table)

    def char(self, char: str) -> str:
        """The fold of one character, which may be several characters."""
        folded = self._chars.get(char)
        if folded is None:
            folded = self.expanding.get(char) or self.one_to_one(char.casefold())
            self._chars[char] = folded
        return folded

    def term(self, text: str) -> str:
        """A term as matched: folded, runs of white space made one space."""
        if any(c in self.expanding for c in text):
            text = "".join(self.char(c) for c in text)
        return " ".join(self.one_to_one(text.casefold()).split())


# -- lexicons -------------------------------------------------------------------

@dataclass(frozen=True)
class Category:
    """A group of banned terms: its name, its own severity (None: the rule's) and message."""

    name: str
    severity: Severity | None = None
    message: str = ""


@dataclass(frozen=True)
class Lexicon:
    """Banned terms (term, category) in the order given, and allowed terms."""

    banned: tuple[tuple[str, Category], ...]
    allow: tuple[str, ...]


_CATEGORY_KEYS = ("terms", "severity", "message")
_FILE_KEYS = ("categories", "allow")
_SEVERITIES = ", ".join(s.name.lower() for s in sorted(Severity, reverse=True))


def _terms(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise OptionError(f"{where}: must be a non-empty list of terms, not {value!r}")
    for item in value:
        if not isinstance(item, str):
            raise OptionError(f"{where}: term {item!r} must be a string (quote it)")
        if not any(c.isalnum() for c in item):
            raise OptionError(f"{where}: term {item!r} has no letter or digit")
        if "\n" in item.strip():
            raise OptionError(f"{where}: term {item!r} spans lines")
    return [item.strip() for item in value]


def categories(data: Any, where: str, key: str = "") -> list[tuple[str, Category]]:
    """(term, category) pairs of a ``categories`` mapping: name → list of terms, or name →
    ``{terms: [...], severity: error|warning|info, message: "..."}``. Errors name ``where``
    (the file or option) and the ``key`` path inside it."""
    if not isinstance(data, dict):
        raise OptionError(f"{where}: {key or 'categories'}: must be a mapping of category names to terms, "
                          f"not {data!r}")
    pairs = []
    for name, spec in data.items():
        at = f"{where}: {key}.{name}" if key else f"{where}: {name}"
        if isinstance(spec, list):
            spec = {"terms": spec}
        if not isinstance(spec, dict):
            raise OptionError(f"{at}: must be a list of terms or a mapping with 'terms', not {spec!r}")
        for key in spec:
            if key not in _CATEGORY_KEYS:
                raise OptionError(f"{at}: unknown key {key!r} (known: {', '.join(_CATEGORY_KEYS)})")
        if "terms" not in spec:
            raise OptionError(f"{at}: no 'terms'")
        severity = spec.get("severity")
        if severity is not None:
            try:
                severity = Severity.parse(str(severity))
            except (KeyError, ValueError):
                raise OptionError(f"{at}.severity: must be {_SEVERITIES}, not {severity!r}") from None
        message = spec.get("message", "")
        if not isinstance(message, str):
            raise OptionError(f"{at}.message: must be a string, not {message!r}")
        category = Category(str(name), severity, message.strip())
        pairs += [(term, category) for term in _terms(spec["terms"], f"{at}.terms")]
    return pairs


def allow_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list):
        raise OptionError(f"{where}: must be a list of terms, not {value!r}")
    return _terms(value, where) if value else []


def read_lexicon(path: Path, shown: str) -> Lexicon:
    """A lexicon file: YAML (``.yaml``/``.yml``: ``categories`` and ``allow``) or plain text
    (one term per line, ``#`` comments, ``!term`` allowed; the category is the file's stem)."""
    where = f"lexicon {shown}"
    try:
        source = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise OptionError(f"{where}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OptionError(f"{where}: cannot read it: {getattr(exc, 'strerror', None) or exc}") from None
    if path.suffix.lower() not in (".yaml", ".yml"):
        return _plain_lexicon(source, path.stem, where)
    try:
        data = yaml.load(source, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise OptionError(f"{where}: not valid YAML{at}: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise OptionError(f"{where}: must be a mapping with 'categories' (and 'allow'), not {type(data).__name__}")
    for key in data:
        if key not in _FILE_KEYS:
            raise OptionError(f"{where}: unknown key {key!r} (known: {', '.join(_FILE_KEYS)})")
    if "categories" not in data:
        raise OptionError(f"{where}: no 'categories'")
    return Lexicon(tuple(categories(data["categories"], where, "categories")),
                   tuple(allow_list(data.get("allow") or [], f"{where}: allow")))


def _plain_lexicon(source: str, name: str, where: str) -> Lexicon:
    banned, allow = [], []
    category = Category(name)
    for number, line in enumerate(source.splitlines(), 1):
        term = line.strip()
        if not term or term.startswith("#"):
            continue
        target = allow if term.startswith("!") else banned
        term = term[1:].strip() if term.startswith("!") else term
        if not any(c.isalnum() for c in term):
            raise OptionError(f"{where}: line {number}: term {term!r} has no letter or digit")
        target.append(term)
    return Lexicon(tuple((term, category) for term in banned), tuple(allow))

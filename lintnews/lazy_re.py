"""Regular expressions compiled on first use instead of at import.

Every run imports every rule module, and a pattern with a large character class (every
CJK ideograph) takes a millisecond or more to compile: ``re`` visits each code point of
the class. A pattern that only an opt-in rule or a rare case uses is written
``NAME = lazy_compile(...)`` instead of ``NAME = re.compile(...)``; runs that never reach
it never pay for it.
"""
from __future__ import annotations

import re

# what a compiled pattern offers; each is looked up once, at the first use
_ATTRIBUTES = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
               "pattern", "flags", "groups", "groupindex")


class LazyPattern:
    """Stands for ``re.compile(pattern, flags)``: the first use of a method or attribute
    (``search``, ``finditer``, ``pattern``…) compiles it; from then on, they are the
    compiled pattern's own, kept on this object, so a use costs what it would on the
    pattern. It is not a ``re.Pattern``: hand ``re`` functions the pattern's methods."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copy, pickle and the like ask for what a plain object lacks
            raise AttributeError(name)
        if name == "pattern":  # known without compiling: other patterns are built from it at import
            return self._source[0]
        compiled = re.compile(*self._source)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __reduce__(self):
        return LazyPattern, self._source

    def __repr__(self) -> str:
        return f"lazy_compile({self._source[0]!r}, {self._source[1]!r})"


def lazy_compile(pattern: str, flags: int = 0) -> LazyPattern:
    """``re.compile(pattern, flags)``, done when the pattern is first used."""
    return LazyPattern(pattern, flags)

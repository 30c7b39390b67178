"""Regular expressions compiled on first use instead of at import, and kept compiled between runs.

Every run imports every rule module, and a pattern with a large character class (every
CJK ideograph) takes a millisecond or more to compile: ``re`` visits each code point of
the class. A pattern that only an opt-in rule or a rare case uses is written
``NAME = lazy_compile(...)`` instead of ``NAME = re.compile(...)``; runs that never reach
it never pay for it.

Even so, compiling is a large part of a short run: a pre-commit hook checking one Chinese
article spent a fifth of its time in ``re``'s compiler, which is written in Python. So a
command-line run keeps what the compiler makes of each lazily compiled pattern (the program
that ``re``'s engine runs, a list of numbers) in the user's cache folder (``keep_compiled``,
``save``), and later runs hand that program to the engine directly, as ``re.compile`` ends
by doing (``_sre.compile``). Each program was checked, before it was stored, to make a
pattern equal to what ``re.compile`` makes (patterns compare equal only with the same
program); it is read back only by the same build of Python, and the engine refuses a program
that is not well formed. Anything unexpected (another Python, a changed ``re``, a damaged
file) and patterns are compiled as ever.
"""
from __future__ import annotations

import marshal
import os
import re
import sys
import warnings
import zlib
from array import array
from pathlib import Path

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
        compiled = compile_kept(*self._source)
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


# -- compiled patterns kept between runs ------------------------------------

try:
    import _sre
    from re import _compiler, _parser
except ImportError:  # another implementation of Python: patterns are compiled as ever
    _sre = None
# the array type of the engine's code units (CODESIZE bytes each)
_CODE_TYPE = next((kind for kind in "HIL" if array(kind).itemsize == getattr(_sre, "CODESIZE", 0)), None)
_MAX_PATTERNS = 4096  # beyond this many kept (patterns of older versions piling up), the store starts afresh
_MAX_BYTES = 16 << 20  # a larger file is not read

_kept: dict | None = None  # (pattern, flags) -> what _sre.compile takes besides the pattern
_folder: Path | None = None  # where the store is (None: nothing is kept)
_compiled_here: dict = {}  # (pattern, flags) of the patterns this process compiled, in order


def keep_compiled(folder: Path | None) -> None:
    """Keep the compiled lazy patterns in ``folder`` (the user's cache folder), read there from
    now on and written by ``save``; None: neither."""
    global _folder, _kept
    _folder = folder if _sre is not None and _CODE_TYPE is not None else None
    _kept = None


def compile_kept(pattern, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, from the program kept for it when there is one."""
    if _folder is None:
        return _compile(pattern, flags)
    key = (pattern, int(flags))
    entry = (_kept if _kept is not None else _read()).get(key)
    if entry is not None:
        try:
            return _sre.compile(pattern, entry[0], array(_CODE_TYPE, entry[1]).tolist(), *entry[2:])
        except Exception:  # refused (a damaged program): compiled as ever, and kept anew
            del _kept[key]
    found = _compile(pattern, flags)
    _compiled_here[key] = None
    return found


def _compile(pattern, flags: int) -> re.Pattern:
    """``re.compile``, without the FutureWarning it prints for a class a later Python may read
    as a set operation (a configured "[[a]x"): two lines about lintnews's source, each time a
    run compiles it, above the run's output; the pattern means what it means today."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return re.compile(pattern, flags)


def save() -> None:
    """Keep the programs of the patterns this process compiled, with those kept before."""
    global _kept
    if _folder is None or not _compiled_here:
        return
    kept = dict(_kept if _kept is not None else _read())
    with warnings.catch_warnings():  # (parsed again: see ``_compile``)
        warnings.simplefilter("ignore", FutureWarning)
        for key in _compiled_here:
            entry = _entry(*key)
            if entry is not None:
                kept[key] = entry
    if len(kept) > _MAX_PATTERNS:
        kept = {key: kept[key] for key in _compiled_here if key in kept}
    _compiled_here.clear()
    _kept = kept
    path = _folder / _file_name()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(marshal.dumps(kept))
        os.replace(temporary, path)
    except (OSError, ValueError):  # a read-only cache folder: the next run compiles again
        try:
            temporary.unlink()
        except OSError:
            pass


def _entry(pattern, flags: int) -> tuple | None:
    """What ``_sre.compile`` takes besides the pattern, as ``re.compile`` works it out; None when
    the pattern it makes differs from ``re.compile``'s in its program, flags or groups (a ``re``
    that works otherwise)."""
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry = (int(flags | parsed.state.flags), array(_CODE_TYPE, code).tobytes(), parsed.state.groups - 1,
                 groupindex, tuple(indexgroup))
        rebuilt = _sre.compile(pattern, entry[0], array(_CODE_TYPE, entry[1]).tolist(), *entry[2:])
        reference = re.compile(pattern, flags)  # equal patterns have the same program and flags
        same = rebuilt == reference and (rebuilt.groups, rebuilt.groupindex) == (reference.groups, reference.groupindex)
        return entry if same else None
    except Exception:
        return None


def _read() -> dict:
    """The programs kept by this build of Python; none when there is no store or it is damaged."""
    global _kept
    _kept = {}
    try:
        path = _folder / _file_name()
        if path.stat().st_size <= _MAX_BYTES:
            kept = marshal.loads(path.read_bytes())
            if isinstance(kept, dict):
                _kept = kept
    except (OSError, ValueError, EOFError, TypeError):
        pass
    return _kept


def _file_name() -> str:
    """The store of this build of Python and of its engine's programs."""
    build = "\0".join((sys.version, sys.implementation.cache_tag or "", str(_sre.MAGIC), str(_sre.CODESIZE)))
    return f"patterns-{zlib.crc32(build.encode('utf-8', 'surrogatepass')):08x}.marshal"

"""The cache of map results of unchanged files, as ruff and ESLint keep theirs.

An entry is one file's ``FileResult``, keyed on a hash of: the file's content, its path
(as shown and relative to the root), the resolved settings for that path, and the run
key (lintnews's version and code, every loaded plugin's version and code, whether
fingerprints are wanted). The merge step always runs, so verdicts that depend on other
files (``duplicate-article``) are recomputed from the cached summaries; an entry whose
findings depend on other files (``doc.depends_on``, an image on disk) is used only while
each of them is unchanged.

Entries live in 256 shard files under the repository's cache folder (outside the
checkout), by the first byte of their key. A shard is written whole to a temporary file
and renamed into place, so readers never see half of one and concurrent runs at worst
drop each other's newest entries; a shard that does not read back (truncated, corrupt,
from another version) counts as empty. Each shard keeps its newest ``SHARD_ENTRIES``
entries, which bounds the cache at 256 × that many files.
"""
from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any, Iterable

from ..config import ActiveRule
from ..violation import Finding, Severity, Ticket, Unless
from .mapping import FileResult, stamp

MAGIC = b"lintnews-results 1\n"
SHARD_ENTRIES = 2048  # per shard: 524,288 files in all, a few hundred bytes each
MARSHAL_VERSION = 4


def run_key(version: str, plugins: Iterable[tuple[str, str, str | None]], fingerprints: bool,
            rule_ids: Iterable[str]) -> bytes:
    """What every entry of a run shares: lintnews's ``version`` and code, each plugin's
    (name, origin, file) with that file's content, whether findings carry fingerprints,
    and every loaded rule id (a suppression naming an unknown rule is a finding)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{version}\0{fingerprints}\0{','.join(rule_ids)}\0{sys.version}".encode())
    for name, origin, path in sorted(plugins, key=lambda item: item[0]):
        digest.update(f"\0{name}\0{origin}\0".encode())
        if path:
            try:
                digest.update(Path(path).read_bytes())
            except OSError:
                digest.update(b"unreadable")
    for path in _own_sources():  # an edited checkout keeps its version number
        digest.update(f"{path}\0{stamp(str(path))}".encode())
    return digest.digest()


def _own_sources() -> list[Path]:
    import lintnews
    import lintnews.rules

    folders = [Path(lintnews.__file__).parent, *map(Path, lintnews.rules.__path__)]
    return sorted({path for folder in folders for path in folder.rglob("*.py")})


def settings_key(active: tuple[ActiveRule, ...], root: Path) -> bytes:
    """The resolved settings for one path: each active rule, its severity and options, and
    the state of any file an option names (a lexicon), which the rule read at start."""
    described = []
    for item in active:
        files = [(value, stamp(str(root / value))) for value in _strings(item.options)
                 if value and len(value) < 512 and (root / value).is_file()]
        described.append((item.rule.id, int(item.severity), item.severity_set, item.options, files))
    text = json.dumps(described, sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


class ResultCache:
    """Map results by key, read shard by shard on first use, written back by ``save``."""

    def __init__(self, folder: Path, run: bytes, shard_entries: int = SHARD_ENTRIES) -> None:
        self.folder = folder
        self.run = run
        self.shard_entries = shard_entries
        self._shards: dict[int, dict[bytes, Any]] = {}
        self._new: dict[int, dict[bytes, Any]] = {}

    def key(self, display: str, relpath: str, settings: bytes, digest: bytes) -> bytes:
        return hashlib.blake2b(b"\0".join([self.run, settings, display.encode("utf-8", "surrogatepass"),
                                           relpath.encode("utf-8", "surrogatepass"), digest]),
                               digest_size=16).digest()

    def empty(self) -> bool:
        """True when nothing was ever stored here: looking files up would be wasted work."""
        try:
            return not any(name.endswith(".bin") for name in os.listdir(self.folder))
        except OSError:
            return True

    def get(self, key: bytes) -> FileResult | None:
        """The stored result, if any and if every file it depends on is as it was."""
        entry = self._shard(key[0]).get(key)
        if entry is None:
            return None
        try:
            result = _decode(entry)
        except (TypeError, ValueError, IndexError, KeyError):  # an entry of another shape: a miss
            return None
        if any(stamp(path) != tuple_or_none(then) for path, then in result.dependencies):
            return None
        return result

    def put(self, key: bytes, result: FileResult) -> None:
        """Remember a portable result (one without closures) of a readable file."""
        if not result.portable or not result.digest:
            return
        try:
            entry = _encode(result)
            marshal.dumps(entry, MARSHAL_VERSION)  # a plugin's summary that is not plain data
        except (TypeError, ValueError):
            return
        self._new.setdefault(key[0], {})[key] = entry

    def save(self) -> None:
        """Write the shards that gained entries, each merged with what is on disk now (another
        run may have written it meanwhile) and cut to its newest entries."""
        if not self._new:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for shard, entries in sorted(self._new.items()):
            current = self._read(shard)
            for key, entry in entries.items():
                current.pop(key, None)  # re-inserted: newest last
                current[key] = entry
            for key in list(current)[:max(0, len(current) - self.shard_entries)]:
                del current[key]
            self._write(shard, current)
        self._new = {}

    def _shard(self, shard: int) -> dict[bytes, Any]:
        if shard not in self._shards:
            self._shards[shard] = self._read(shard)
        return self._shards[shard]

    def _path(self, shard: int) -> Path:
        return self.folder / f"{shard:02x}.bin"

    def _read(self, shard: int) -> dict[bytes, Any]:
        try:
            raw = self._path(shard).read_bytes()
        except OSError:
            return {}
        body = raw[len(MAGIC) + 4:]
        if not raw.startswith(MAGIC) or int.from_bytes(raw[len(MAGIC):len(MAGIC) + 4], "big") != zlib.crc32(body):
            return {}  # truncated or corrupt: rebuilt on the next save
        try:
            entries = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return {}
        return entries if isinstance(entries, dict) else {}

    def _write(self, shard: int, entries: dict[bytes, Any]) -> None:
        body = marshal.dumps(entries, MARSHAL_VERSION)
        handle = tempfile.NamedTemporaryFile("wb", dir=self.folder, prefix=f".{shard:02x}.", suffix=".tmp",
                                             delete=False)
        try:
            with handle:
                handle.write(MAGIC + zlib.crc32(body).to_bytes(4, "big") + body)
            os.replace(handle.name, self._path(shard))
        except BaseException:  # interrupted or failed: leave no temporary file behind
            try:
                os.unlink(handle.name)
            except OSError:
                pass
            raise


def tuple_or_none(value):
    return tuple(value) if value is not None else None


def _encode(result: FileResult) -> tuple:
    findings = tuple((f.path, f.line, f.column, f.rule, _encode_message(f.message), int(f.severity),
                      f.end_line, f.end_column, f.relpath, f.fingerprint) for f in result.findings)
    dependencies = tuple((path, then) for path, then in result.dependencies)
    return findings, dict(result.summaries), result.digest, dependencies


def _encode_message(message: str):
    if type(message) is Ticket:
        return ("T", message.rule)
    if type(message) is Unless:
        return ("U", message.message, message.rules)
    return str(message)


def _decode(entry: tuple) -> FileResult:
    findings, summaries, digest, dependencies = entry
    decoded = tuple(Finding(path, line, column, rule, _decode_message(message), Severity(severity),
                            end_line, end_column, relpath, fingerprint)
                    for path, line, column, rule, message, severity, end_line, end_column, relpath, fingerprint
                    in findings)
    return FileResult(decoded, summaries, digest, tuple(dependencies))


def _decode_message(message):
    if isinstance(message, str):
        return message
    if message[0] == "T":
        return Ticket(message[1])
    return Unless(message[1], tuple(message[2]))

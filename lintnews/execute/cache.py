"""The cache of map results of unchanged files, as ruff and ESLint keep theirs.

An entry is one file's ``FileResult``, keyed on a hash of: the file's content, its path
(as shown and relative to the root), the resolved settings for that path, and the run
key (lintnews's version and code, every loaded plugin's version and code, whether
fingerprints are wanted). The merge step always runs, so verdicts that depend on other
files (``duplicate-article``) are recomputed from the cached summaries; an entry whose
findings depend on other files (``doc.depends_on``, an image on disk) is used only while
each of them is unchanged.

An entry keeps the file's settled findings (their message final text) as one marshalled
block beside its placeholders (``plain.stored``): a run over an unchanged archive hands
them on encoded (``lintnews.encoded``), and a JSON report writes the entries the map
step wrote ahead without decoding them.

Entries live in 256 shard files under the repository's cache folder (outside the
checkout), in a folder per run key, by the first byte of their key. A shard is written whole to a temporary file
and renamed into place, so readers never see half of one and concurrent runs at worst
drop each other's newest entries; a shard that does not read back (truncated, corrupt,
from another version) counts as empty. Each shard keeps its newest ``SHARD_ENTRIES``
entries, and only the few most recently used run keys are kept, which bounds the cache.
Unchanged files are recognised without being read (``digest_of``) in runs over many
files; a run over a few (a pre-commit hook's) reads and hashes them rather than load the
index of every file of the repository. A summarizing
rule's verdicts are kept with the summaries they came from (``judged``, the newest
``JUDGED_KEEP`` sets per rule, so a hook's one-file runs do not push out the whole
archive's): a run over an unchanged archive reads one index and the shards, and judges
nothing again.
"""
from __future__ import annotations

import json
import marshal
import os
import stat
import sys
import time
import zlib
from pathlib import Path
from typing import Any, Iterable

from ..config import ActiveRule
from ..document import Document, DocumentError
from ..hashes import blake2b
from ..reading import RealPaths
from .mapping import FileResult, content_digest, stamp
from .plain import encodable, restored, stored

MAGIC = b"lintnews-results 7\n"
SHARD_ENTRIES = 2048  # per shard: 524,288 files in all, a few hundred bytes each
KEEP_RUNS = 4  # run keys kept: say, text and SARIF output, before and after an upgrade
JUDGED_KEEP = 8  # sets of verdicts kept per summarizing rule: the archive's, and a few hooks' runs
FILES = "files.bin"  # path → (size, times, inode) and content digest, so unchanged files are not read
INDEX_MIN_FILES = 64  # runs over fewer files hash them: cheaper than loading a large archive's index
RACY_NS = 2_000_000_000
MARSHAL_VERSION = 4


def run_key(version: str, plugins: Iterable[tuple[str, str, str | None]], fingerprints: bool,
            rule_ids: Iterable[str]) -> bytes:
    """What every entry of a run shares: lintnews's ``version`` and code, each plugin's
    (name, origin, file) with that file's content, whether findings carry fingerprints,
    and every loaded rule id (a suppression naming an unknown rule is a finding)."""
    digest = blake2b(digest_size=16)
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

    found: set[Path] = set()
    for folder in [os.path.dirname(lintnews.__file__), *lintnews.rules.__path__]:
        # two thirds of the time Path.rglob takes; like rglob, a folder that cannot be read adds nothing
        for base, subfolders, files in os.walk(folder, onerror=lambda error: None):
            subfolders[:] = [name for name in subfolders if name != "__pycache__"]  # compiled code only
            found.update(Path(base, name) for name in files if name.endswith(".py"))
    return sorted(found)


def settings_key(active: tuple[ActiveRule, ...], root: Path, max_size: float | None = None,
                 max_findings: int | None = None) -> bytes:
    """The resolved settings for one path: each active rule, its severity and options, the
    state of any file an option names (a lexicon), which the rule read at start, the largest
    file read and how many findings of a rule are listed."""
    described: list = [max_size, max_findings]
    base = str(root)
    for item in active:
        # every string option may name a file; os.path, not pathlib: a run asks this of some
        # two hundred values, and os.path.isfile says False for a pattern too long to be a
        # file name (CJK text takes three bytes a character) instead of raising
        files = [(value, stamp(path)) for value in _strings(item.options)
                 if value and len(value) < 512 and os.path.isfile(path := os.path.join(base, value))]
        described.append((item.rule.id, int(item.severity), item.severity_set, item.options, files))
    text = json.dumps(described, sort_keys=True, default=repr, ensure_ascii=False)
    return blake2b(text.encode(), digest_size=16).digest()


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
    """Map results by key, read shard by shard on first use, written back by ``save``.

    ``base`` is the repository's results folder; each run key gets a folder of its own in
    it, and only the ``keep_runs`` most recently used ones are kept (a new lintnews, a
    changed plugin or another output format starts a new one).
    """

    def __init__(self, base: Path, run: bytes, shard_entries: int = SHARD_ENTRIES,
                 keep_runs: int = KEEP_RUNS) -> None:
        self.base = base
        self.run = run
        self.folder = base / run.hex()
        self.shard_entries = shard_entries
        self.keep_runs = keep_runs
        self.started = time.time_ns()
        self._shards: dict[int, dict[bytes, Any]] = {}
        self._new: dict[int, dict[bytes, Any]] = {}
        self._files: dict[str, tuple] | None = None  # path → (stat, content digest), see digest_of
        self._new_files: dict[str, tuple] = {}
        self._judged: dict[str, dict[bytes, Any]] = {}
        self._stamps: dict[tuple[str, str], Any] = {}  # (path, on) → its stamp this run, see _stamp
        self.use_index = True  # whether digest_of and note use the index of files (see INDEX_MIN_FILES)

    def key(self, display: str, relpath: str, settings: bytes, digest: bytes) -> bytes:
        return blake2b(b"\0".join([self.run, settings, display.encode("utf-8", "surrogatepass"),
                                   relpath.encode("utf-8", "surrogatepass"), digest]),
                       digest_size=16).digest()

    def empty(self) -> bool:
        """True when nothing was stored for this run key: looking files up would be wasted work."""
        try:
            return not any(name.endswith(".bin") for name in os.listdir(self.folder))
        except OSError:
            return True

    def digest_of(self, path: str, max_size: float | None = None, root: Path | None = None,
                  real_paths: RealPaths | None = None) -> tuple[bytes, bytes | None]:
        """The content digest of the file at ``path``, and its bytes when they had to be read.

        A file whose size, times and inode are those recorded when it was last hashed is
        not read again (as git's index does); a file changed in the two seconds before
        that record is always read, since its time stamp may not show a second change.
        Without ``use_index`` every file is read. It is read as the map step reads it
        (``Document.read_bytes``: a regular file, no symlink leaving ``root``, at most
        ``max_size`` MB), and what the map step refuses raises DocumentError: the bytes
        are handed to the map step, which would otherwise lint what it never reads itself.
        """
        if self._files is None:
            self._files = (self._load(FILES) or {}) if self.use_index else {}
        try:
            info = os.stat(path)
        except OSError:
            info = None
        if info is not None:
            if not stat.S_ISREG(info.st_mode) or max_size is not None and info.st_size > max_size * 1024 * 1024:
                raise DocumentError("read-error", "not read for the cache")  # the map step says why
            signature = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
            known = self._files.get(path)
            if known is not None and tuple(known[0]) == signature:
                return known[1], None
        data = Document.read_bytes(path, root, max_size, real_paths)
        digest = content_digest(data)
        if info is not None:
            self._note(path, info, digest)
        return digest, data

    def note(self, path: str, digest: bytes) -> None:
        """Record the digest of a file the map step read, to find it unchanged next time."""
        try:
            self._note(path, os.stat(path), digest)
        except OSError:
            pass

    def _note(self, path: str, info: os.stat_result, digest: bytes) -> None:
        if self.use_index and max(info.st_mtime_ns, info.st_ctime_ns) < self.started - RACY_NS:  # changed since: not recorded
            self._new_files[path] = ((info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino), digest)

    def get(self, key: bytes, display: str, relpath: str) -> FileResult | None:
        """The stored result, if any and if every file it depends on is as it was."""
        entry = self._shard(key[0]).get(key)
        if entry is None:
            return None
        try:
            result = restored(entry, display, relpath)
        except (TypeError, ValueError, IndexError, KeyError):  # an entry of another shape: a miss
            return None
        if result.dependencies and any(self._stamp(path, on) != tuple_or_none(then)
                                       for path, on, then in result.dependencies):
            return None
        return result

    def _stamp(self, path: str, on: str):
        """``stamp(path, on)``, taken once a run: articles of one folder depend on the same
        images and site files, and a warm run would look at each again for every one of them."""
        key = (path, on)
        try:
            return self._stamps[key]
        except KeyError:
            found = self._stamps[key] = stamp(path, on)
            return found

    def put(self, key: bytes, result: FileResult, display: str, relpath: str) -> None:
        """Remember a portable result (one without closures) of a readable file."""
        if not result.portable or not result.digest:
            return
        if not encodable(result, display, relpath):
            return  # entries are stored without the path: each finding must carry the file's own
        try:
            entry = stored(result)
            marshal.dumps(entry, MARSHAL_VERSION)  # a plugin's summary that is not plain data
        except (TypeError, ValueError):
            return
        self._new.setdefault(key[0], {})[key] = entry

    def judged(self, rule_id: str, key: bytes):
        """The verdicts a summarizing rule gave the last time it judged exactly these summaries."""
        stored = self._load(f"judged-{_safe(rule_id)}.bin")
        return stored.get(key) if isinstance(stored, dict) else None

    def remember_judged(self, rule_id: str, key: bytes, verdicts: dict) -> None:
        self._judged.setdefault(rule_id, {})[key] = verdicts

    def save(self) -> None:
        """Write the shards that gained entries, each merged with what is on disk now (another
        run may have written it meanwhile) and cut to its newest entries; then the file index
        and the verdicts; then forget the least recently used run keys beyond ``keep_runs``."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for shard, entries in sorted(self._new.items()):
            self._write(f"{shard:02x}.bin", _newest(self._read(f"{shard:02x}.bin"), entries, self.shard_entries))
        if self._new_files:
            current = self._load(FILES)
            self._write(FILES, _newest(current if isinstance(current, dict) else {}, self._new_files,
                                       self.shard_entries * 256))
        for rule_id, judged in self._judged.items():
            name = f"judged-{_safe(rule_id)}.bin"
            current = self._load(name)
            self._write(name, _newest(current if isinstance(current, dict) else {}, judged, JUDGED_KEEP))
        self._new, self._new_files, self._judged = {}, {}, {}
        os.utime(self.folder)  # used now: the last folder to be pruned
        self._prune()

    def _prune(self) -> None:
        try:
            folders = [entry for entry in os.scandir(self.base) if entry.is_dir() and entry.path != str(self.folder)]
        except OSError:
            return
        folders.sort(key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
        for entry in folders[max(0, self.keep_runs - 1):]:
            import shutil  # seldom needed, and its import costs a one-file run

            shutil.rmtree(entry.path, ignore_errors=True)

    def _shard(self, shard: int) -> dict[bytes, Any]:
        if shard not in self._shards:
            self._shards[shard] = self._read(f"{shard:02x}.bin")
        return self._shards[shard]

    def _read(self, name: str) -> dict:
        entries = self._load(name)
        return entries if isinstance(entries, dict) else {}

    def _load(self, name: str):
        """What the file ``name`` holds, or None when it is missing, truncated or corrupt."""
        try:
            raw = (self.folder / name).read_bytes()
        except OSError:
            return None
        body = memoryview(raw)[len(MAGIC) + 4:]  # not copied: a warm run reads tens of megabytes
        if not raw.startswith(MAGIC) or int.from_bytes(raw[len(MAGIC):len(MAGIC) + 4], "big") != zlib.crc32(body):
            return None  # rebuilt on the next save
        try:
            return marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return None

    def _write(self, name: str, value) -> None:
        body = marshal.dumps(value, MARSHAL_VERSION)
        # a temporary name of this process's own, readable by the user alone (as tempfile's
        # would be; importing tempfile costs a one-file run some milliseconds)
        temporary = self.folder / f".{name}.{os.getpid()}.tmp"
        try:
            with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
                handle.write(MAGIC + zlib.crc32(body).to_bytes(4, "big") + body)
            os.replace(temporary, self.folder / name)
        except BaseException:  # interrupted or failed: leave no temporary file behind
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise


def summaries_key(options: str, summaries: list) -> bytes | None:
    """What a rule's verdicts depend on: its options and every summary, in run order (None
    when a summary is not plain data)."""
    try:  # version 0: the bytes of equal values are equal (later versions mark interned and shared objects)
        body = marshal.dumps(summaries, 0)
    except ValueError:
        return None
    return blake2b(options.encode() + b"\0" + body, digest_size=16).digest()


def _newest(current: dict, entries: dict, limit: int) -> dict:
    for key, entry in entries.items():
        current.pop(key, None)  # re-inserted: newest last
        current[key] = entry
    for key in list(current)[:max(0, len(current) - limit)]:
        del current[key]
    return current


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def tuple_or_none(value):
    return tuple(value) if value is not None else None

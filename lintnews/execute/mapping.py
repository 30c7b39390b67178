"""The map step: one source file and the run's settings in, a picklable ``FileResult`` out."""
from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

from .. import timing
from ..config import Settings
from ..document import Document, DocumentError
from ..facts import FileFacts, file_facts
from ..files import SourceFile
from ..hashes import blake2b
from ..output.common import utf8
from ..reading import RealPaths
from ..runner import _digest, capped, fingerprinted, lint_document, sort_key
from ..violation import Finding, Pending, Severity

Stamp = tuple  # what ``stamp`` says of a file: compared, never interpreted


class FileResult(NamedTuple):
    """What the map step found in one file.

    ``findings`` may hold placeholders (``Ticket``, ``Unless``) settled by the merge step;
    ``summaries`` maps each summarizing rule's id to this file's summary; ``digest`` is the
    hash of the bytes linted (empty when the file could not be read); ``dependencies`` are
    (path, on, stamp) of the other files the findings depend on (both empty when the run keeps
    no cache, which alone reads them: ``MapContext.cached``); a result that is not
    ``portable`` holds closures and can neither leave its process nor be cached;
    ``findings`` are sorted as the report sorts them, and ``rendered`` is the entries of
    the settled ones (those whose message is text) in the run's output format, joined and
    encoded in UTF-8, when the map step writes them ahead (``MapContext.render``): as
    bytes, they cross from a worker and out of the cache as they are, and are written so.
    """

    findings: tuple[Finding, ...]
    summaries: dict[str, Any]
    digest: bytes = b""
    dependencies: tuple[tuple[str, str, Stamp], ...] = ()
    portable: bool = True
    facts: FileFacts | None = None  # what the report tells of the file besides its findings
    rendered: bytes | None = None


@dataclass
class MapContext:
    """What the map step needs besides the file, built once per process: the resolved
    settings (with the rule instances), the plugins' front-matter formats, whether findings
    get fingerprints, the services the process shares between documents, the real paths
    of the folders resolved so far, and how the output format writes one finding when it
    writes each on its own (``render``: then the map step does it, where the file is linted)."""

    settings: Settings
    formats: tuple = ()
    fingerprints: bool = False
    run_cache: dict = field(default_factory=dict)
    real_paths: RealPaths = field(default_factory=RealPaths)  # the folders resolved in this run
    render: Callable[[Finding], str] | None = None
    # whether a cache keeps the results: only it reads each file's digest and the stamps of the
    # files its findings depend on (``FileResult.digest``, ``.dependencies``), a hash and a stat
    # or two per image that a run without one does not make
    cached: bool = True


def content_digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=16).digest()


def stamp(path: str, on: str = "file") -> Stamp:
    """What ``doc.depends_on(path, on=on)`` watches; None when nothing is there.

    ``file``: what changes when a file is replaced, resized, touched or renamed into place;
    ``exists``: whether it is a file or a folder; ``spelling``: the names in its folder
    that are its own but for case.
    """
    if on == "spelling":
        return _spellings(path)
    try:
        link = os.lstat(path)
        target = os.stat(path) if stat.S_ISLNK(link.st_mode) else link
    except OSError:
        return None
    if on == "exists":
        return (stat.S_ISDIR(target.st_mode), stat.S_ISREG(target.st_mode))
    return (link.st_mode, link.st_ino, link.st_mtime_ns, target.st_ino, target.st_size, target.st_mtime_ns)


# Linux file systems tell names apart by case (a folder made case-insensitive is rare enough to
# cost only a stale cached finding there); elsewhere the folder is listed
_CASE_SENSITIVE = sys.platform.startswith("linux")
_listed: dict[tuple, dict[str, tuple[str, ...]]] = {}  # (folder, inode, mtime) → casefolded name → names


def _spellings(path: str) -> Stamp:
    if _CASE_SENSITIVE and os.path.lexists(path):  # the name exists as written: nothing else to know
        return ("as written",)
    folder, name = os.path.split(path)
    try:
        info = os.stat(folder)
    except OSError:
        return None
    key = (folder, info.st_ino, info.st_mtime_ns)
    if key not in _listed:  # each folder listed once, however many articles look into it
        try:
            names = os.listdir(folder)
        except OSError:
            return ("unlistable",)
        if len(_listed) > 1024:
            _listed.clear()
        spellings: dict[str, list[str]] = {}
        for entry in sorted(names):
            spellings.setdefault(entry.casefold(), []).append(entry)
        _listed[key] = {folded: tuple(entries) for folded, entries in spellings.items()}
    return _listed[key].get(name.casefold(), ())


def _reading(timer: timing.Timer | None, function: Callable, *args):
    """``function(*args)``, timed as reading and parsing under ``--timing``."""
    return function(*args) if timer is None else timer.call(timing.READING, function, *args)


def settled(findings) -> list[Finding]:
    """The findings whose message is final text (not one the merge step settles)."""
    return [finding for finding in findings if type(finding.message) is str]


def map_file(source: SourceFile, context: MapContext, data: bytes | None = None, storage=None,
             known_digest: bytes | None = None) -> FileResult:
    """Lint one file: its own findings, its summaries, and what else they depend on.

    ``data`` are the file's bytes when the caller has read them already, and ``known_digest``
    their content digest when it has hashed them too (the results cache, looking the file
    up, did: it is not hashed twice); ``storage`` is where
    the file lives when not on the local disk (``Document.storage``: its image paths are looked
    up there, and nothing on the local disk is depended on). A file that cannot be read or
    decoded gives a finding, never an exception.
    """
    settings = context.settings
    digest = b""
    timer = timing.active
    if timer is not None:
        timer.linted()
    try:
        if source.error:
            raise DocumentError("read-error", source.error)
        if source.content is not None:
            data = Document.given_bytes(source.content, settings.config.max_file_size)
        elif data is None:
            data = _reading(timer, Document.read_bytes, source.fs_path, settings.config.root,
                            settings.config.max_file_size, context.real_paths)
        if context.cached:
            digest = known_digest or _reading(timer, content_digest, data)
        doc = _reading(timer, Document.from_bytes, data, source.fs_path, source.display, settings.config.root,
                       context.formats)
    except DocumentError as exc:
        finding = Finding(source.display, exc.line, exc.column, exc.rule, exc.message, Severity.ERROR,
                          relpath=source.relpath)
        if context.fingerprints:
            finding = finding._replace(fingerprint=_digest(exc.rule, exc.message))
        return FileResult((finding,), {}, digest, facts=file_facts(source.display, source.relpath))
    doc.run_cache = context.run_cache
    doc.storage = storage
    summaries: dict[str, Any] = {}
    try:
        found = lint_document(doc, settings.for_path(source.relpath), source.relpath, settings.rules, summaries)
    except (Exception, SystemExit) as exc:  # nothing in one article may stop the others from being reported
        found = [Finding(source.display, 1, 1, "internal-error", f"lintnews crashed on this file: "
                         f"{type(exc).__name__}: {exc}", Severity.ERROR, relpath=source.relpath)]
    found = capped(found, settings.config.max_findings_per_rule)
    if context.fingerprints:
        found = fingerprinted(doc, found)
    portable = not any(type(finding.message) is Pending for finding in found)
    dependencies = tuple((path, on, stamp(path, on)) for path, on in sorted(doc.dependencies)) \
        if storage is None and context.cached else ()
    found = sorted(found, key=sort_key)  # the report's order: a file's entries are written ahead as one block
    rendered = None
    if context.render is not None and portable and all(f.path == source.display for f in found):
        rendered = utf8(",\n".join(map(context.render, settled(found))))
    return FileResult(tuple(found), summaries, digest, dependencies, portable,
                      file_facts(source.display, source.relpath, doc.meta, doc.cache), rendered)

"""A fixing run: which fixes apply, each file read once, fixed, written back (or shown as a
diff), and the counts the summary and the report give."""
from __future__ import annotations

import os
import sys
import threading
from collections import Counter
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..baseline import Known
from ..document import Document
from ..files import SourceFile
from ..output.common import printable
from ..rule import Rule
from ..runner import fingerprinted, lint_document, sort_key
from ..violation import Finding, Pending, Severity
from . import engine
from .diff import unified
from .write import WriteRefused, Writers, write_back

BOM = b"\xef\xbb\xbf"
FIX_FAILED = "fix-failed"
INTERNAL = "internal-error"


@dataclass(frozen=True)
class Policy:
    """Which fixes a run applies: safe ones, unsafe ones too with ``unsafe``, only the rules in
    ``only`` when given; ``write`` False shows a diff instead of writing."""

    unsafe: bool = False
    only: frozenset[str] | None = None
    write: bool = True
    explicit: frozenset[str] = frozenset()  # rules named on the command line: fixed even when known
    baseline: Known | None = None  # the known problems (lintnews.baseline)
    changed: dict | None = None  # --diff-base: absolute path → changed lines (None: the whole file)
    max_passes: int = engine.MAX_PASSES

    def wants(self, rule: Rule) -> bool:
        if rule.run_scoped or not rule.fix or (rule.fix == "unsafe" and not self.unsafe):
            return False
        return self.only is None or rule.id in self.only


@dataclass
class _Write:
    """A fixed file on its way to disk, with what its report needs if it is not written."""

    source: SourceFile
    doc: Document  # the file as read
    first: list[Finding]  # the fixers' findings on it
    active: tuple
    future: Future


@dataclass
class Fixer:
    """What ``lint_paths`` calls for each file instead of reading and linting it: read the
    bytes once, fix, hand the fixed text to a writer thread (or keep its diff), lint what is
    kept. Keeps the run's counts; ``finish`` settles the report once every write is done."""

    policy: Policy
    root: Path
    rules: dict
    formats: tuple = ()
    max_size: float | None = None  # max-file-size, in MB
    fixed: Counter = field(default_factory=Counter)  # fixes written (or, for a diff, applicable) per rule
    files_changed: int = 0
    failed: int = 0
    diffs: list[str] = field(default_factory=list)
    fixed_input: bytes | None = None  # standard input as fixed, when a fix applied to it
    _writes: dict[int, _Write] = field(default_factory=dict)  # writes under way or refused
    _writers: Writers | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, source: SourceFile, active: tuple, run_cache: dict,
                 summaries: dict | None = None) -> tuple[Document, list[Finding]]:
        # the same refusals as linting (a FIFO, a symlink out, over max-file-size): what is not
        # read as a regular file of the repository is never written
        data = Document.read_bytes(source.fs_path, self.root, self.max_size) if source.content is None \
            else Document.given_bytes(source.content, self.max_size)
        text = Document.decode(data)

        def make(content: str) -> Document:
            made = Document(source.display, content, source.fs_path, self.root, self.formats)
            made.run_cache = run_cache
            return made

        doc = make(text)
        known = set(self.rules)
        fixers = tuple(item for item in active if self.policy.wants(item.rule))
        if not fixers:
            return doc, lint_document(doc, active, source.relpath, known, summaries)
        others = tuple(item for item in active if not self.policy.wants(item.rule))
        outcome = engine.fix(doc, fixers, known, source.relpath, make, self._scope(source))
        if outcome.fixed_doc is None:
            findings = engine.settle(doc, outcome.first, others, active, known, source.relpath, summaries)
            if outcome.failure:
                self.failed += 1
                findings.append(_failed(source, outcome.failure))
            return doc, findings
        fixed = outcome.fixed_doc
        if not self.policy.write:
            self.diffs.append(unified(source.display, doc.text, fixed.text))
            self.fixed.update(outcome.fixed)
            self.files_changed += 1
            return fixed, engine.settle(fixed, outcome.last, others, active, known, source.relpath, summaries)
        data_fixed = (BOM if data.startswith(BOM) else b"") + fixed.text.encode("utf-8")
        if source.content is not None:  # standard input: given back fixed on stdout, not written
            self.fixed_input = data_fixed
            self.fixed.update(outcome.fixed)
            self.files_changed += 1
            return fixed, engine.settle(fixed, outcome.last, others, active, known, source.relpath, summaries)
        if self._writers is None:
            self._writers = Writers()
        future = self._writers.submit(self._write, source, data, data_fixed, outcome.fixed)  # while the rest lint
        key = id(future)
        self._writes[key] = _Write(source, doc, outcome.first, active, future)
        future.add_done_callback(lambda done: self._forget(key, done))
        findings = engine.settle(fixed, outcome.last, others, active, known, source.relpath, summaries)
        # decided once every file is linted: no finding when the write went through
        findings.append(_failed(source, Pending(future.result)))
        return fixed, findings

    def _write(self, source: SourceFile, original: bytes, data: bytes, fixed: Counter) -> str | None:
        """On a writer thread: write the file back and count it, or say why not."""
        try:
            write_back(source.fs_path, self.root, original, data)
        except WriteRefused as exc:
            with self._lock:
                self.failed += 1
            return f"fixes not written: {exc}; the file is left as it was"
        with self._lock:
            self.fixed.update(fixed)
            self.files_changed += 1
        return None

    def _forget(self, key: int, done: Future) -> None:
        """Once a file is written, what its report would need otherwise is let go (a run over
        thousands of files must not keep every Document)."""
        if not done.cancelled() and done.exception() is None and done.result() is None:
            self._writes.pop(key, None)

    def finish(self, report, fingerprints: bool = False):
        """The report once every write is done: a file that could not be written is reported
        as it is on disk (the findings of rules that see the whole run are kept)."""
        self.stop()
        failed = {item.source.display: item for item in self._writes.values() if item.future.result() is not None}
        if not failed:
            return report
        kept = [f for f in report.findings if f.path not in failed or f.rule == FIX_FAILED
                or (f.rule in self.rules and self.rules[f.rule].run_scoped)]
        for item in failed.values():
            active = tuple(a for a in item.active if not a.rule.run_scoped)
            others = tuple(a for a in active if not self.policy.wants(a.rule))
            item.doc.cache.pop("directives", None)
            found = engine.settle(item.doc, list(item.first), others, active, set(self.rules), item.source.relpath)
            kept += fingerprinted(item.doc, found) if fingerprints else found
        return replace(report, findings=tuple(sorted(kept, key=sort_key)))

    def stop(self, cancel: bool = False) -> None:
        """Wait for the writes under way (dropping those not started, with ``cancel``)."""
        if self._writers is not None:
            self._writers.close(cancel)

    def _scope(self, source: SourceFile) -> engine.Scope:
        changed = None
        if self.policy.changed is not None:
            lines = self.policy.changed.get(os.path.normpath(os.path.abspath(source.fs_path)), ())
            changed = None if lines is None else frozenset(lines)
        return engine.Scope(changed, self.policy.baseline, self.policy.explicit, self.policy.max_passes)


def _failed(source: SourceFile, message: str) -> Finding:
    text = message if type(message) is Pending else f"{message}; the file is left as it was"
    return Finding(source.display, 1, 1, FIX_FAILED, text, Severity.ERROR, relpath=source.relpath)


def start(args, only: list[str] | None, selected: list[str] | None, root: Path, rules: dict, formats: tuple,
          baseline_keys, changed, max_size: float | None = None) -> Fixer | None:
    """The Fixer that ``lintnews check`` options ask for (None without --fix, --diff or
    --fix-only): ``only`` are the rules of --fix-only, ``selected`` those of --select, which
    count as named explicitly."""
    if not (args.fix or args.diff or only):
        if args.unsafe_fixes:
            raise ValueError("--unsafe-fixes needs --fix, --diff or --fix-only")
        return None
    if args.write_baseline:
        raise ValueError("--write-baseline records problems as they are; it cannot be combined with fixing")
    for rule_id in only or ():
        if rule_id not in rules:
            raise ValueError(f"--fix-only: unknown rule {rule_id!r}")
    explicit = frozenset(selected or ()) | frozenset(only or ())
    policy = Policy(unsafe=args.unsafe_fixes, only=frozenset(only) if only else None, write=not args.diff,
                    explicit=explicit, baseline=baseline_keys,
                    changed=changed)
    return Fixer(policy, root, rules, formats, max_size)


def print_diff(fixer: Fixer, report, write) -> int:
    """``--diff``: the diff on stdout (through ``write``: a patch is applied, not read, so the
    command line writes it in UTF-8 whatever the console's encoding), a count on stderr, and
    each file that could not be fixed (``fix-failed``) or that a rule crashed on
    (``internal-error``: its diff may lack fixes) with why, as ``--fix`` reports them; 1 when
    there is something to fix or such a file."""
    write("".join(fixer.diffs))
    problems = [f for f in (report.findings if report is not None else ()) if f.rule in (FIX_FAILED, INTERNAL)]
    for finding in problems:
        print(f"lintnews: {printable(finding.path)}:{finding.line}:{finding.column}: {finding.rule} "
              f"{printable(finding.message)}", file=sys.stderr)
    crashed = len({f.path for f in problems if f.rule == INTERNAL})
    count = sum(fixer.fixed.values())
    print(f"lintnews: {count} fix(es) would change {fixer.files_changed} file(s)"
          + (f"; {fixer.failed} file(s) could not be fixed" if fixer.failed else "")
          + (f"; {crashed} file(s) where a rule crashed" if crashed else ""), file=sys.stderr)
    return 1 if fixer.diffs or fixer.failed or crashed else 0

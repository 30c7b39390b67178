"""A fixing run: which fixes apply, each file read once, fixed, written back (or shown as a
diff), and the counts the summary and the report give."""
from __future__ import annotations

import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..document import Document, DocumentError
from ..files import SourceFile
from ..rule import Rule
from ..runner import lint_document
from ..violation import Finding, Severity
from . import engine
from .diff import unified
from .write import WriteRefused, holding_interrupts, write_back

BOM = b"\xef\xbb\xbf"
FIX_FAILED = "fix-failed"


@dataclass(frozen=True)
class Policy:
    """Which fixes a run applies: safe ones, unsafe ones too with ``unsafe``, only the rules in
    ``only`` when given; ``write`` False shows a diff instead of writing."""

    unsafe: bool = False
    only: frozenset[str] | None = None
    write: bool = True
    explicit: frozenset[str] = frozenset()  # rules named on the command line: fixed even when known
    baseline: frozenset | None = None  # (path, rule, fingerprint) keys of known problems
    changed: dict | None = None  # --diff-base: absolute path → changed lines (None: the whole file)
    max_passes: int = engine.MAX_PASSES

    def wants(self, rule: Rule) -> bool:
        if rule.run_scoped or not rule.fix or (rule.fix == "unsafe" and not self.unsafe):
            return False
        return self.only is None or rule.id in self.only


@dataclass
class Fixer:
    """What ``lint_paths`` calls for each file instead of reading and linting it: read the
    bytes once, fix, write back, lint what is kept. Keeps the run's counts."""

    policy: Policy
    root: Path
    rules: dict
    formats: tuple = ()
    fixed: Counter = field(default_factory=Counter)  # fixes applied (or, for a diff, applicable) per rule
    files_changed: int = 0
    failed: int = 0
    diffs: list[str] = field(default_factory=list)

    def __call__(self, source: SourceFile, active: tuple, run_cache: dict) -> tuple[Document, list[Finding]]:
        try:
            data = source.fs_path.read_bytes()
        except OSError as exc:
            raise DocumentError("read-error", f"cannot read file: {exc.strerror or exc}") from None
        text = Document.decode(data)

        def make(content: str) -> Document:
            made = Document(source.display, content, source.fs_path, self.root, self.formats)
            made.run_cache = run_cache
            return made

        doc = make(text)
        known = set(self.rules)
        fixers = tuple(item for item in active if self.policy.wants(item.rule))
        if not fixers:
            return doc, lint_document(doc, active, source.relpath, known)
        others = tuple(item for item in active if not self.policy.wants(item.rule))
        outcome = engine.fix(doc, fixers, known, source.relpath, make, self._scope(source))
        failure = outcome.failure
        if outcome.fixed_doc is not None:
            fixed = outcome.fixed_doc
            try:
                with holding_interrupts():  # written and counted, or neither
                    self._keep(source, data, doc.text, fixed.text)
                    self.fixed.update(outcome.fixed)
                    self.files_changed += 1
            except WriteRefused as exc:
                failure = f"fixes not written: {exc}"
            else:
                return fixed, engine.settle(fixed, outcome.last, others, active, known, source.relpath)
        findings = engine.settle(doc, outcome.first, others, active, known, source.relpath)
        if failure:
            self.failed += 1
            findings.append(Finding(source.display, 1, 1, FIX_FAILED, f"{failure}; the file is left as it was",
                                    Severity.ERROR, relpath=source.relpath))
        return doc, findings

    def _scope(self, source: SourceFile) -> engine.Scope:
        changed = None
        if self.policy.changed is not None:
            lines = self.policy.changed.get(os.path.normpath(os.path.abspath(source.fs_path)), ())
            changed = None if lines is None else frozenset(lines)
        return engine.Scope(changed, self.policy.baseline, self.policy.explicit, self.policy.max_passes)

    def _keep(self, source: SourceFile, data: bytes, before: str, after: str) -> None:
        """Write the fixed text back (the BOM as it was), or remember its diff."""
        if not self.policy.write:
            self.diffs.append(unified(source.display, before, after))
            return
        write_back(source.fs_path, self.root, data, (BOM if data.startswith(BOM) else b"") + after.encode("utf-8"))


def start(args, root: Path, rules: dict, formats: tuple, baseline_keys, changed) -> Fixer | None:
    """The Fixer that ``lintnews check`` options ask for (None without --fix, --diff or
    --fix-only); rule ids given to ``--select`` or ``--fix-only`` count as named explicitly."""
    only = _ids(args.fix_only)
    if not (args.fix or args.diff or only):
        if args.unsafe_fixes:
            raise ValueError("--unsafe-fixes needs --fix, --diff or --fix-only")
        return None
    if args.write_baseline:
        raise ValueError("--write-baseline records problems as they are; it cannot be combined with fixing")
    for rule_id in only or ():
        if rule_id not in rules:
            raise ValueError(f"--fix-only: unknown rule {rule_id!r}")
    explicit = frozenset(_ids(args.select) or ()) | frozenset(only or ())
    policy = Policy(unsafe=args.unsafe_fixes, only=frozenset(only) if only else None, write=not args.diff,
                    explicit=explicit, baseline=frozenset(baseline_keys) if baseline_keys is not None else None,
                    changed=changed)
    return Fixer(policy, root, rules, formats)


def _ids(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def print_diff(fixer: Fixer) -> int:
    """``--diff``: the diff on stdout, a count on stderr; 1 when there is something to fix."""
    sys.stdout.write("".join(fixer.diffs))
    count = sum(fixer.fixed.values())
    print(f"lintnews: {count} fix(es) would change {fixer.files_changed} file(s)"
          + (f"; {fixer.failed} file(s) could not be fixed" if fixer.failed else ""), file=sys.stderr)
    return 1 if fixer.diffs or fixer.failed else 0

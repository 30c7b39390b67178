"""The fixing loop of one file: lint, apply the fixes that do not overlap, lint again, until
nothing is left to fix or the pass limit is reached.

Only the rules that fix (``fixers``) run in the loop; the others, and rules that see the whole
run, run once on the text that is finally kept (``settle``), so each sees every file once.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from .. import suppressions
from ..baseline import Known, partition
from ..document import Document
from ..lazy_re import lazy_compile
from ..runner import fingerprinted, run_rules
from ..violation import Finding
from . import validate
from .edits import Pass, _overlapping, apply, choose, line_starts, lines_of, to_original

MAX_PASSES = 10


@dataclass(frozen=True)
class Scope:
    """Which findings may be fixed: on ``changed`` lines only (``--diff-base``; None: every
    line), and not those a ``baseline`` knows unless their rule is in ``explicit``."""

    changed: frozenset[int] | None = None
    baseline: Known | None = None
    explicit: frozenset[str] = frozenset()
    max_passes: int = MAX_PASSES


@dataclass
class Outcome:
    """What fixing one document came to. ``fixed_doc`` is None when there is nothing to write
    (nothing to fix, or fixing failed: ``failure`` says why)."""

    first: list[Finding]  # the fixers' findings on the text as read, suppressions not applied
    fixed_doc: Document | None = None
    last: list[Finding] = field(default_factory=list)  # the fixers' findings on fixed_doc
    fixed: Counter = field(default_factory=Counter)  # fixes applied, per rule
    passes: list[Pass] = field(default_factory=list)
    failure: str | None = None


def fix(doc: Document, fixers: tuple, known: set[str], relpath: str, make: Callable[[str], Document],
        scope: Scope = Scope()) -> Outcome:
    """Fix ``doc`` with the fixes of ``fixers`` (ActiveRules); ``make`` builds the Document of
    a fixed text, ``known`` holds every loaded rule id."""
    by_id = {item.rule.id: item for item in fixers}
    current, passes, fixed, removed = doc, [], Counter(), set()
    protected: list[tuple[int, int]] = []
    starts = line_starts(doc.text) if scope.changed is not None else []
    first = raw = run_rules(doc, fixers, relpath)
    while True:
        kept = suppressions.apply(current, raw, by_id, known, relpath) if "lintnews" in current.text else raw
        candidates = [f for f in kept if f.fix and not _no_op(current.text, f)]
        if not passes and scope.baseline is not None:
            protected = _known_spans(current, kept, scope)
        candidates = [f for f in candidates if _in_scope(f, passes, protected, scope, starts)]
        failure = _unfit(candidates, current.text, fixed)
        if failure:
            return Outcome(first, failure=failure)
        chosen = [candidates[i] for i in choose([f.fix for f in candidates])]
        if not chosen:
            break
        if len(passes) == scope.max_passes:
            rules = sorted({f.rule for f in chosen})
            return Outcome(first, failure=f"the fixes of {_names(rules)} did not settle after "
                                          f"{scope.max_passes} passes")
        text, applied = apply(current.text, [edit for f in chosen for edit in f.fix])
        removed |= _removed_keys(current, chosen)
        passes.append(Pass(applied))
        fixed.update(f.rule for f in chosen)
        current = make(text)
        raw = run_rules(current, fixers, relpath)
    if not passes:
        return Outcome(first)
    problem = validate.problem(doc, current, removed, passes)
    if problem:
        return Outcome(first, fixed=fixed, failure=f"fixing ({_names(sorted(fixed))}) was undone: {problem}")
    return Outcome(first, current, raw, fixed, passes)


def settle(doc: Document, fixer_findings: list[Finding], others: tuple, active: tuple, known: set[str],
           relpath: str, summaries: dict | None = None) -> list[Finding]:
    """The findings of ``doc`` as ``lint_document`` gives them: the fixers' (already found), the
    other rules', then suppressions over all of them; the summaries of the rules that see the
    whole run (never fixers) go in ``summaries``."""
    findings = fixer_findings + run_rules(doc, others, relpath, summaries)
    if "lintnews" in doc.text:
        doc.cache.pop("directives", None)  # the loop's suppression pass marked them used
        findings = suppressions.apply(doc, findings, {item.rule.id: item for item in active}, known, relpath)
    return findings


def _unfit(candidates: list[Finding], text: str, fixed: Counter) -> str | None:
    """Why the candidate fixes cannot be applied to ``text``, or None: an edit that is not
    offsets and text (a plugin's replacement 123, or a lone surrogate, which no file can hold),
    an edit outside the text, or a fix whose own edits overlap (applied together or not at all,
    it can never be applied). Said of the rules whose fixes they are, rather than dropped."""
    wrong = sorted({f.rule for f in candidates if not all(map(_fit, f.fix))})
    if wrong:
        return f"{_names(wrong)} gave an edit that is not two offsets and a text"
    outside = sorted({f.rule for f in candidates if any(not 0 <= e.start <= e.end <= len(text) for e in f.fix)})
    if outside:
        # on a later pass, the text is the one the fixes before made: fixes that never settle
        # (each pass fixes again) may shrink it under an edit of another rule
        after = f" as fixed by {_names(sorted(fixed))} ({sum(fixed.values())} fixes)" if fixed else ""
        return f"{_names(outside)} gave an edit outside the file{after}"
    overlapping = sorted({f.rule for f in candidates if len(f.fix) > 1 and _overlapping(f.fix)})
    if overlapping:
        return f"{_names(overlapping)} gave a fix whose own edits overlap"
    return None


def _fit(edit) -> bool:
    """Whether an edit is what every fix is made of: int offsets and a replacement of text that
    UTF-8 can write (no lone surrogate)."""
    return type(edit.start) is int and type(edit.end) is int and type(edit.replacement) is str \
        and (edit.replacement.isascii() or _SURROGATE.search(edit.replacement) is None)


_SURROGATE = lazy_compile("[\ud800-\udfff]")


def _names(rules) -> str:
    return ", ".join(rules)


def _no_op(text: str, finding: Finding) -> bool:
    return all(0 <= e.start <= e.end <= len(text) and text[e.start:e.end] == e.replacement for e in finding.fix)


def _known_spans(doc: Document, findings: list[Finding], scope: Scope) -> list[tuple[int, int]]:
    """The spans of the fixes of problems the baseline knows, which stay as they are: those the
    report hides (of version 1's entries, matched by their count, the first ones; each rule's
    findings are all here, as fixers run whole), among those it shows (on changed lines only,
    with ``--diff-base``)."""
    if scope.changed is not None:
        findings = [finding for finding in findings if finding.line in scope.changed]
    _, known = partition(fingerprinted(doc, findings), scope.baseline)
    return [(edit.start, edit.end) for finding in known if finding.fix and finding.rule not in scope.explicit
            for edit in finding.fix]


def _in_scope(finding: Finding, passes: list[Pass], protected, scope: Scope, starts: list[int]) -> bool:
    if not protected and scope.changed is None:
        return True
    for edit in finding.fix:
        start, end = to_original(passes, edit.start, edit.end)
        if any(start < p_end and p_start < end or start == p_start for p_start, p_end in protected):
            return False
        if scope.changed is not None and not all(line in scope.changed for line in lines_of(starts, start, end)):
            return False
    return True


def _removed_keys(doc: Document, chosen: list[Finding]) -> set[str]:
    """Top-level front-matter keys removed on purpose: deleted, key and all, by the fix of a
    finding that lies inside the deleted span (a finding about that key)."""
    fm = doc.front_matter
    if fm is None or not any(edit.start < fm.end for f in chosen for edit in f.fix):
        return set()
    keys = validate.top_level_keys(doc)
    removed = set()
    for finding in chosen:
        at = doc.offset(finding.line, finding.column)
        removed.update(key for key, offset in keys for edit in finding.fix
                       if edit.start <= offset < edit.end and edit.start <= at < edit.end)
    return removed

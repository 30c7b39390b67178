"""Suppressions inside articles: ``<!-- lintnews-disable … -->`` comments and front matter.

Directives, as markdownlint and ESLint users write them::

    <!-- lintnews-disable inline-style, image-alt -- legacy layout -->
    <!-- lintnews-enable inline-style -->
    <!-- lintnews-disable-next-line image-alt -->
    <!-- lintnews-disable-line image-alt -->
    <!-- lintnews-disable-file editor-credit -->

and in front matter ``lintnews: {disable: [editor-credit], reason: "…"}``. Without a
rule list (or with ``disable: true``) a directive applies to every rule; a list that names
none (``disable: []``, ``lintnews-disable ,``) is an invalid directive, which suppresses nothing. For a finding, the latest ``disable`` or
``enable`` before it that names its rule (or all rules) decides. Core findings
(``internal-error``, ``encoding``, ``read-error``) are never suppressed.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .hookspecs import hookimpl
from .lazy_re import lazy_compile
from .rule import rule
from .violation import Finding, Pending, Severity, Ticket, Unless

UNSUPPRESSIBLE = frozenset({"internal-error", "encoding", "read-error"})
KINDS = ("disable-next-line", "disable-line", "disable-file", "disable", "enable")
_DIRECTIVE = lazy_compile(r"lintnews-(?P<kind>[a-z-]+)(?P<rest>.*)", re.DOTALL)


@dataclass(eq=False)
class Directive:
    """One suppression: its kind, the rules it names (None: all), its reason and where it is."""

    kind: str
    rules: tuple[str, ...] | None
    reason: str
    offset: int
    line: int
    end_line: int
    column: int
    used: set[str] = field(default_factory=set)  # rule ids it suppressed a finding of
    pending: dict = field(default_factory=dict)  # rule id → the undecided findings it suppressed
    error: str | None = None  # set for a comment that looks like a directive but is not one


def directives(doc) -> list[Directive]:
    """The document's directives in source order (computed once per document)."""
    if "directives" in doc.cache:
        return doc.cache["directives"]
    found = []
    settings = doc.meta.get("lintnews") if isinstance(doc.meta, dict) else None
    if settings is not None and (not isinstance(settings, dict) or "disable" in settings):
        found.append(_front_matter_directive(doc, settings))
    for comment in doc.scan.comments:
        text = comment.text.strip()
        if not text.startswith("lintnews"):
            continue
        line, column = doc.position(comment.offset)
        end_line = doc.position(comment.end)[0]
        match = _DIRECTIVE.fullmatch(text)
        if not match or match.group("kind") not in KINDS:
            name = text.split()[0] if text.split() else text
            found.append(Directive("invalid", None, "", comment.offset, line, end_line, column,
                                   error=f"unknown directive {name!r} (known: lintnews-{', lintnews-'.join(KINDS)})"))
            continue
        names, _, reason = match.group("rest").partition("--")
        rules = tuple(name for name in re.split(r"[\s,]+", names) if name)
        if not rules and names.strip():  # a list of separators only: no rule, never every rule
            found.append(Directive("invalid", None, "", comment.offset, line, end_line, column,
                                   error=f"lintnews-{match.group('kind')} names no rule in {names.strip()!r} "
                                         "(without a list, it applies to every rule)"))
            continue
        found.append(Directive(match.group("kind"), rules or None, reason.strip(), comment.offset,
                               line, end_line, column))
    doc.cache["directives"] = found
    return found


def _front_matter_directive(doc, settings) -> Directive:
    """The directive of ``lintnews: {disable: …, reason: …}``; a setting of another shape is an
    invalid directive of this file, reported like one, never an error of the whole run."""
    offset = doc.meta_offset("lintnews", value=False) or 0
    line, column = doc.position(offset)
    problem = _front_matter_problem(settings)
    if problem:
        return Directive("invalid", None, "", offset, line, line, column, error=f"front matter lintnews: {problem}")
    value = settings.get("disable")
    rules = None if value in (True, "all", None) else tuple(value) if isinstance(value, list) else (value,)
    return Directive("disable-file", rules, settings.get("reason") or "", offset, line, line, column)


def _front_matter_problem(settings) -> str | None:
    if not isinstance(settings, dict):
        return f"must be a mapping such as {{disable: [rule-id], reason: why}}, not {_shown(settings)}"
    value = settings.get("disable")
    if not (value in (True, None) or isinstance(value, str)
            or isinstance(value, list) and all(isinstance(item, str) for item in value)):
        return f"disable must be true, a rule id or a list of rule ids, not {_shown(value)}"
    if value == [] or isinstance(value, str) and not value.strip():  # nothing named: never every rule
        return f"disable names no rule ({_shown(value)}; true disables every rule)"
    if not isinstance(settings.get("reason", ""), (str, type(None))):
        return f"reason must be text, not {_shown(settings['reason'])}"
    return None


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def apply(doc, findings: list[Finding], active: dict, known, relpath: str = "") -> list[Finding]:
    """Drop the suppressed findings; add ``unused-suppression`` findings when that rule is active.

    ``active`` maps the ids of the rules that ran on this file to their ActiveRule;
    ``known`` holds every loaded rule id.
    """
    found = directives(doc)
    if not found:
        return findings
    index = _Index(found)
    kept = []
    for finding in findings:
        directive = None if finding.rule in UNSUPPRESSIBLE else index.suppressor(finding)
        if directive is None:
            kept.append(finding)
        elif isinstance(finding.message, Pending):  # used only if it is decided to be a finding
            directive.pending.setdefault(finding.rule, []).append(finding.message)
        else:
            directive.used.add(finding.rule)
    unused = active.get("unused-suppression")
    if unused is not None and not _file_disables(found, "unused-suppression"):
        kept += [Finding(doc.path, d.line, d.column, "unused-suppression", _unless_decided(message, pending),
                         unused.severity, relpath=relpath)
                 for d in found for message, pending in _unused(d, active, known)]
    return kept


def _unless_decided(message: str, pending: list[Pending]) -> str:
    """``message``, or, when undecided findings were suppressed, a Pending that gives it only if
    none of them is decided to be a finding."""
    if not pending:
        return message
    if all(type(item) is Ticket for item in pending):  # plain data: it may cross processes
        return Unless(message, tuple(dict.fromkeys(item.rule for item in pending)))
    return Pending(lambda: None if any(item.wait() for item in pending) else message)


def suppressed(doc, rule_id: str, line: int, column: int = 1) -> bool:
    """Whether a directive of ``doc`` suppresses ``rule_id`` at ``line`` and ``column``. A rule
    that gathers an article's elements into one finding (``per-article``) asks it of each element:
    it gathers those no directive covers, and gives the others as findings of their own, which
    the directives then suppress (and so are used), and whose fixes are never made."""
    if "lintnews" not in doc.text:
        return False
    index = doc.cache.get("directive-index")
    if index is None:
        index = doc.cache["directive-index"] = _Index(directives(doc))
    return index.suppressor(Finding(doc.path, line, column, rule_id, "", Severity.WARNING)) is not None


class _Index:
    """The directives by the lines they cover and by the rules they name, so that finding a
    finding's suppressor does not read every directive (thousands of findings and directives
    in one scraped page would make that quadratic)."""

    def __init__(self, found: list[Directive]) -> None:
        self.order = {id(d): i for i, d in enumerate(found)}
        self.whole_file = [d for d in found if d.kind == "disable-file"]
        self.by_line: dict[int, list[Directive]] = {}
        for directive in found:
            if directive.kind == "disable-next-line":
                self.by_line.setdefault(directive.end_line + 1, []).append(directive)
            elif directive.kind == "disable-line":
                for line in range(directive.line, directive.end_line + 1):
                    self.by_line.setdefault(line, []).append(directive)
        # block directives in source order, per rule they name (None: every rule)
        self.blocks: dict[str | None, tuple[list, list[Directive]]] = {}
        for directive in found:
            if directive.kind in ("disable", "enable"):
                for name in directive.rules or (None,):
                    starts, items = self.blocks.setdefault(name, ([], []))
                    starts.append((directive.line, directive.column))
                    items.append(directive)

    def suppressor(self, finding: Finding) -> Directive | None:
        """The directive that suppresses ``finding``, or None."""
        candidates = [*self.whole_file, *self.by_line.get(finding.line, ())]
        for directive in sorted(candidates, key=lambda d: self.order[id(d)]) if len(candidates) > 1 else candidates:
            if _names(directive, finding.rule):
                return directive
        # the latest block directive before the finding that names its rule decides
        latest = None
        for name in (finding.rule, None):
            starts, items = self.blocks.get(name, ((), ()))
            index = bisect_right(starts, (finding.line, finding.column)) - 1
            if index >= 0 and (latest is None or self.order[id(items[index])] > self.order[id(latest)]):
                latest = items[index]
        return latest if latest is not None and latest.kind == "disable" else None


def _names(directive: Directive, rule_id: str) -> bool:
    return directive.kind != "invalid" and (directive.rules is None or rule_id in directive.rules)


def _file_disables(found, rule_id: str) -> bool:
    """Whether a disable-file names ``rule_id`` (a bare one must not hide its own uselessness)."""
    return any(d.kind == "disable-file" and d.rules is not None and rule_id in d.rules for d in found)


def _unused(directive: Directive, active: dict, known: set[str]):
    """(message, undecided findings that would make it void) of each problem of ``directive``."""
    if directive.error:
        yield directive.error, []
        return
    if directive.kind == "enable":
        for name in directive.rules or ():
            if name not in known:
                yield f"unknown rule {name!r} in lintnews-enable", []
        return
    label = f"lintnews-{directive.kind}"
    if directive.rules is None:
        if not directive.used:
            yield (f"unused suppression: {label} suppresses nothing",
                   [item for items in directive.pending.values() for item in items])
        return
    for name in directive.rules:
        if name not in known:
            yield f"unknown rule {name!r} in {label}", []
        elif name in active and name not in directive.used:
            yield f"unused suppression of {name!r}: {label} suppresses nothing", directive.pending.get(name, [])


@rule("unused-suppression", severity="warning")
def unused_suppression(doc, options):
    """Suppressions must suppress something, and name rules that exist.

    A suppression left behind after its problem was fixed hides the next one, and a
    misspelled rule id (or directive) suppresses nothing while looking as if it
    did. Reported at the directive comment (or the front-matter ``lintnews`` key)
    by the runner after all other rules have run; a suppression naming a rule that
    did not run on the file is not reported.

    Fails:

        <!-- lintnews-disable-next-line image-alt -->
        <p>Shares rose on Tuesday.</p>

    Passes:

        <!-- lintnews-disable-next-line image-alt -->
        <img src="https://example.com/chart.png">
    """
    return iter(())  # the runner does the work: it needs every other rule's findings


@rule("suppression-reason", severity="warning", enabled=False)
def suppression_reason(doc, options):
    """Every suppression must say why (an opt-in rule).

    Turn it on with ``rules: {suppression-reason: true}``.

    In a newsroom a suppression is an editorial decision; the reason, written after
    ``--`` (``<!-- lintnews-disable inline-style -- the table needs its widths -->``)
    or as ``reason:`` beside ``disable:`` in front matter, tells the next editor
    whether it still holds. Reported at the directive.

    Fails:

        <!-- lintnews-disable-file image-alt -->

    Passes:

        <!-- lintnews-disable-file image-alt -- decorative images only -->
    """
    for directive in directives(doc):
        if directive.kind not in ("invalid", "enable") and not directive.reason:
            yield doc.violation(directive.offset, f"lintnews-{directive.kind} without a reason "
                                                  "(add '-- why' to the directive)")


@hookimpl
def lintnews_rules():
    return [unused_suppression, suppression_reason]


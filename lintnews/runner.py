"""The runner: each file becomes a Document once, every enabled rule checks it, findings come back sorted."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Callable

from . import suppressions, timing
from .baseline import message_key
from .config import ActiveRule, Settings
from .document import Document, DocumentError
from .encoded import Findings
from .facts import FileFacts, file_facts
from .files import SourceFile
from .hashes import sha256
from .reading import DEFAULT_MAX_FILE_SIZE
from .violation import Deferred, Finding, Pending, Severity, Ticket, Violation


@dataclass(frozen=True)
class Report:
    """What a run found: sorted findings, how many files were checked, the rules that ran
    (for formats that describe them) and the project root (for repository-relative paths).

    ``findings`` is a tuple, or after a run that took files from the results cache a
    ``lintnews.encoded.Findings``, which reads as the same tuple but leaves those files'
    findings encoded until something reads them (a JSON report writes the entries the map
    step wrote ahead, and the exit code needs only their severities)."""

    findings: tuple[Finding, ...] | Findings
    files_checked: int
    rules: dict = field(default_factory=dict)
    root: Path = field(default_factory=Path.cwd)
    hidden: int = 0  # known problems hidden by a baseline
    notices: tuple[str, ...] = ()  # one-line remarks for the user, such as "no network"
    files: tuple[FileFacts, ...] = ()  # each checked file's section, source, editor and month
    known: tuple[Finding, ...] = ()  # the problems a baseline hid, for reports that show them
    fixed: int | None = None  # with --fix: how many problems were fixed
    # files whose findings the map step wrote in the output format already: path → (the
    # file's findings in report order, their entries joined, in UTF-8)
    rendered: dict[str, tuple[tuple[Finding, ...], bytes]] = field(default_factory=dict)
    # how the run read files, for a report that shows their lines (the HTML report): the cap in
    # megabytes, and the bytes of a file it was given rather than read (standard input) by path
    max_file_size: float | None = DEFAULT_MAX_FILE_SIZE
    given: dict[str, bytes] = field(default_factory=dict)

    def count(self, severity: Severity) -> int:
        if type(self.findings) is Findings:
            return self.findings.severity_count(severity)
        return sum(1 for finding in self.findings if finding.severity == severity)

    def fails(self, threshold: Severity) -> bool:
        if type(self.findings) is Findings:
            return self.findings.worst() >= threshold
        return any(finding.severity >= threshold for finding in self.findings)


# (path, line, column, rule, message): the first five fields of a Finding, taken in C, which
# sorts a large archive's findings several times faster than a Python function
sort_key = itemgetter(0, 1, 2, 3, 4)


def lint_paths(sources: list[SourceFile], settings: Settings, fingerprints: bool = False,
               formats: tuple = (), progress: Callable[[int, int], None] | None = None, fix=None,
               jobs: int = 1, cache=None, render: Callable[[Finding], str] | None = None) -> Report:
    """Lint every file; a file that cannot be read gets a finding, never an exception.

    With ``fingerprints``, each finding gets a fingerprint of its offending content;
    ``formats`` are the front-matter syntaxes plugins add; ``progress(done, total)`` is
    called as files are done; ``jobs`` is how many processes may share the work and
    ``cache`` a ``lintnews.execute.cache.ResultCache`` (see ``lintnews.execute``);
    ``render``, when given, writes one finding as the output format will (see
    ``MapContext.render``).
    ``fix(source, active, run_cache, summaries)``, when given, reads, fixes and lints each
    file instead, returning its final Document and findings and putting in ``summaries`` those
    of the rules that see the whole run (see ``lintnews.fix``): such a run goes file by file in
    this process, uncached.
    """
    if fix is not None:
        return _fix_paths(sources, settings, fingerprints, progress, fix)
    from .execute import lint_sources  # the executors build on this module

    return lint_sources(sources, settings, formats=formats, fingerprints=fingerprints, jobs=jobs, cache=cache,
                        progress=progress, render=render)


def _fix_paths(sources, settings: Settings, fingerprints: bool, progress, fix) -> Report:
    """The run of ``--fix``: each file read, linted, fixed and linted again, one after another;
    then the merge step of every run (``lintnews.execute.merge``) judges the summaries of the
    rules that see the whole run, from the files as fixed, and settles what waits on them."""
    from .execute.mapping import FileResult  # the executors build on this module
    from .execute.merge import merge

    results: list[FileResult] = []
    run_cache: dict = {}
    for done, source in enumerate(sources, 1):
        summaries: dict = {}
        try:
            if source.error:
                raise DocumentError("read-error", source.error)
            # read once (as Document.read does), lint, apply fixes, re-lint: lintnews.fix
            doc, found = fix(source, settings.for_path(source.relpath), run_cache, summaries)
        except (Exception, SystemExit) as exc:  # unreadable, or fixing crashed on this file (a plugin's
            # sys.exit too): reported, and the others still are
            finding = Finding(source.display, exc.line, exc.column, exc.rule, exc.message, Severity.ERROR,
                              relpath=source.relpath) if isinstance(exc, DocumentError) else _crashed(source, exc)
            if fingerprints:
                finding = finding._replace(fingerprint=_digest(finding.rule, finding.message))
            results.append(FileResult((finding,), {}, facts=file_facts(source.display, source.relpath)))
        else:
            found = capped(found, settings.config.max_findings_per_rule)
            found = fingerprinted(doc, found) if fingerprints else sorted(found, key=sort_key)
            results.append(FileResult(tuple(found), summaries, portable=False,
                                      facts=file_facts(source.display, source.relpath, doc.meta, doc.cache)))
        if progress is not None:
            progress(done, len(sources))
    return merge(results, settings, run_cache)


def _crashed(source: SourceFile, exc: Exception) -> Finding:
    return Finding(source.display, 1, 1, "internal-error", f"lintnews crashed on this file: "
                   f"{type(exc).__name__}: {exc}", Severity.ERROR, relpath=source.relpath)


def decide(findings: list[Finding]) -> list[Finding]:
    """Settle deferred findings now that every file is linted: keep those that got a message."""
    decided = []
    for finding in findings:
        if not isinstance(finding.message, Pending):
            decided.append(finding)
            continue
        try:
            message = finding.message.wait()
        except (Exception, SystemExit) as exc:  # a broken rule must not hide the other rules' results
            decided.append(finding._replace(rule="internal-error", severity=Severity.ERROR,
                                            message=f"rule {finding.rule!r} crashed deciding a finding: "
                                                    f"{type(exc).__name__}: {exc}"))
            continue
        if message:
            if type(message) is not str:  # a plugin's judge or Deferred gave something else (or WrongValue)
                what = message if type(message) is WrongValue else f"gave the message {described(message)}, not a str"
                decided.append(finding._replace(rule="internal-error", severity=Severity.ERROR,
                                                message=f"rule {finding.rule!r} {what}"))
                continue
            decided.append(finding._replace(message=message))
    return decided


def fingerprinted(doc: Document, findings: list[Finding]) -> list[Finding]:
    """The findings with fingerprints: rule, the offending line's text (whitespace-trimmed) and
    which occurrence of that pair it is among the findings of that message (numbers masked, as a
    baseline compares messages), so that edits elsewhere in the file leave them unchanged, and
    fixing one of two problems on a line leaves the other's."""
    lines = doc.text.split("\n")
    seen: Counter = Counter()
    result = []
    for finding in sorted(findings, key=sort_key):
        content = lines[finding.line - 1].strip() if 0 < finding.line <= len(lines) else ""
        key = (finding.rule, content, message_key(finding.message))
        seen[key] += 1
        result.append(finding._replace(fingerprint=_digest(finding.rule, content, str(seen[key]))))
    return result


def capped(findings: list[Finding], limit: int) -> list[Finding]:
    """One file's findings with at most ``limit`` of each rule (0: no limit): the first ones by
    position, and in place of the others one finding where the first of them is, saying how
    many are not listed, with the highest of their severities (so that the exit code and
    ``--fail-on`` read the same). Findings decided later (``Ticket``, ``Pending``) are kept as
    they are: what they come to is not known yet."""
    if not limit or len(findings) <= limit:
        return findings
    counts = Counter(finding.rule for finding in findings if type(finding.message) is str)
    over = {rule for rule, count in counts.items() if count > limit}
    if not over:
        return findings
    kept = [finding for finding in findings if finding.rule not in over or type(finding.message) is not str]
    for rule in sorted(over):
        found = sorted((finding for finding in findings if finding.rule == rule and type(finding.message) is str),
                       key=sort_key)
        rest = found[limit:]
        kept += found[:limit]
        kept.append(rest[0]._replace(
            message=f"{len(rest)} more {rule} finding{'s' if len(rest) > 1 else ''} from here on "
                    f"{'are' if len(rest) > 1 else 'is'} not listed (max-findings-per-rule: {limit})",
            severity=max(finding.severity for finding in rest), end_line=None, end_column=None, fix=()))
    return kept


def _digest(*parts: str) -> str:
    return sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def lint_document(doc: Document, active: tuple[ActiveRule, ...], relpath: str = "",
                  known=(), summaries: dict | None = None) -> list[Finding]:
    """Run each rule on ``doc``; a rule that raises yields an ``internal-error`` and the others go on.

    Suppression comments and front matter then drop what they cover; ``known`` (every
    loaded rule id) lets a suppression naming an unknown rule be reported. A summarizing
    rule puts its summary in ``summaries`` (by rule id) and leaves a finding whose
    message is a ``Ticket``, judged when the run's summaries are merged.
    """
    findings = run_rules(doc, active, relpath, summaries)
    if "lintnews" in doc.text:  # cheap test before looking for directives
        findings = suppressions.apply(doc, findings, {item.rule.id: item for item in active},
                                      set(known), relpath)
    return findings


def run_rules(doc: Document, active, relpath: str = "", summaries: dict | None = None) -> list[Finding]:
    """Each rule's findings on ``doc``, suppressions not applied yet; a rule that raises yields an
    ``internal-error`` and the others go on."""
    findings = []
    path = doc.path
    timer = timing.active
    for item, summarizes, checked in _plan(active):
        rule = item.rule
        try:
            if summarizes or (summarizes is None and rule.summarizes):
                summary = item.check(doc) if timer is None else timer.call(rule.id, item.check, doc)
                if summary is not None:
                    offset, *end, data = summary  # (offset, data) or (offset, end, data)
                    line, column = doc.position(offset)
                    end_line, end_column = doc.position(end[0]) if end and end[0] is not None else (None, None)
                    if summaries is not None:
                        summaries[rule.id] = data
                    findings.append(Finding(path, line, column, rule.id, Ticket(rule.id), item.severity,
                                            end_line, end_column, relpath))
                continue
            found = item.check(doc) if timer is None else timer.each(rule.id, timer.call(rule.id, item.check, doc) or ())
            for violation in found or ():
                severity = item.severity
                fix = ()
                if isinstance(violation, Violation):
                    message = violation.message
                    if violation.severity is not None and not item.severity_set:
                        severity = Severity(violation.severity)
                    if violation.fix:
                        fix = doc.locate(violation.fix)
                elif isinstance(violation, Deferred):
                    message = Pending(violation.wait)
                else:
                    raise TypeError(f"yielded {violation!r}, not a Violation")
                if checked:  # a plugin's: what the report sorts and prints must be what it claims
                    _check_types(violation)
                findings.append(Finding(path, violation.line, violation.column, rule.id,
                                        message, severity,
                                        violation.end_line, violation.end_column, relpath, fix=fix))
        except (Exception, SystemExit) as exc:  # a broken rule must not hide the other rules' results
            what = exc if type(exc) is WrongValue else f"crashed: {type(exc).__name__}: {exc}"
            findings.append(Finding(path, 1, 1, "internal-error", f"rule {rule.id!r} from plugin {rule.plugin!r} "
                                    f"{what}", Severity.ERROR, relpath=relpath))
    return findings


class WrongValue(TypeError):
    """A value of a plugin's that is not of the type it must be (a line that is a str)."""


def _check_types(violation: Violation | Deferred) -> None:
    """Raise WrongValue unless ``violation``'s line and column are ints, its end's ints or None
    and (a Violation's) message a str: a report sorts, counts and prints them, and one line
    "1" among ints would stop the whole run there rather than at the rule."""
    end_line, end_column = violation.end_line, violation.end_column
    if type(violation.line) is int and type(violation.column) is int \
            and (end_line is None or type(end_line) is int) and (end_column is None or type(end_column) is int) \
            and (not isinstance(violation, Violation) or type(violation.message) is str):
        return
    kind = type(violation).__name__
    for name in ("line", "column", "end_line", "end_column", "message"):
        value = getattr(violation, name, "")  # a Deferred has no message yet
        wanted = str if name == "message" else int
        if type(value) is not wanted and not (name.startswith("end_") and value is None):
            raise WrongValue(f"yielded a {kind} whose {name} is {described(value)}, "
                             f"not {'a str' if wanted is str else 'an int'}")


def described(value) -> str:
    """A plugin's wrong value, briefly: its repr (cut) and its type."""
    text = repr(value)
    return f"{text if len(text) <= 60 else text[:57] + '...'} ({type(value).__name__})"


# id of a tuple of active rules -> (the tuple, each of its rules with whether it summarizes and
# whether its values are checked, see ``_builtin``): a
# Settings hands every file under the same overrides the same tuple, so what each rule is gets
# asked once per tuple rather than once per rule and file (``Rule.summarizes`` inspects the check)
_plans: dict[int, tuple[tuple, tuple[tuple[ActiveRule, bool | None, bool], ...]]] = {}


def _plan(active) -> tuple[tuple[ActiveRule, bool | None, bool], ...]:
    """``active``'s rules, each with whether it summarizes and whether its values are checked."""
    cached = _plans.get(id(active))
    if cached is not None and cached[0] is active:
        return cached[1]
    plan = tuple((item, summarizes(item.rule), not _builtin(item.rule)) for item in active)
    if isinstance(active, tuple):  # a list could change under the same id
        if len(_plans) >= 64:  # the fixer builds a tuple per file: keep only recent ones
            _plans.clear()
        _plans[id(active)] = (active, plan)
    return plan


def _builtin(rule) -> bool:
    """Whether the rule is one of lintnews's own, whose values are tested to be of their types
    (a plugin's are checked as they come, ``_check_types``)."""
    module = getattr(rule.check, "__module__", None)
    return isinstance(module, str) and module.startswith("lintnews.")


def summarizes(rule) -> bool | None:
    """``rule.summarizes``, or None when asking raises: it is asked again for each file, where
    the failure is reported as the rule's."""
    try:
        return rule.summarizes
    except (Exception, SystemExit):
        return None

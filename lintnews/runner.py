"""The runner: each file becomes a Document once, every enabled rule checks it, findings come back sorted."""
from __future__ import annotations

from dataclasses import dataclass

from .config import ActiveRule, Settings
from .document import Document, DocumentError
from .files import SourceFile
from .violation import Finding, Severity, Violation


@dataclass(frozen=True)
class Report:
    """What a run found: sorted findings and how many files were checked."""

    findings: tuple[Finding, ...]
    files_checked: int

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def fails(self, threshold: Severity) -> bool:
        return any(finding.severity >= threshold for finding in self.findings)


def sort_key(finding: Finding):
    return (finding.path, finding.line, finding.column, finding.rule, finding.message)


def lint_paths(sources: list[SourceFile], settings: Settings) -> Report:
    """Lint every file; a file that cannot be read gets a finding, never an exception."""
    findings: list[Finding] = []
    for source in sources:
        try:
            doc = Document.read(source.fs_path, source.display, settings.config.root)
        except DocumentError as exc:
            findings.append(Finding(source.display, exc.line, exc.column, exc.rule, exc.message, Severity.ERROR))
            continue
        findings.extend(lint_document(doc, settings.for_path(source.relpath)))
    return Report(tuple(sorted(findings, key=sort_key)), len(sources))


def lint_document(doc: Document, active: tuple[ActiveRule, ...]) -> list[Finding]:
    """Run each rule on ``doc``; a rule that raises yields an ``internal-error`` and the others go on."""
    findings = []
    for item in active:
        rule = item.rule
        try:
            for violation in rule.check(doc, item.options) or ():
                if not isinstance(violation, Violation):
                    raise TypeError(f"yielded {violation!r}, not a Violation")
                findings.append(Finding(doc.path, violation.line, violation.column, rule.id,
                                        violation.message, item.severity,
                                        violation.end_line, violation.end_column))
        except Exception as exc:  # a broken rule must not hide the other rules' results
            findings.append(Finding(doc.path, 1, 1, "internal-error",
                                    f"rule {rule.id!r} from plugin {rule.plugin!r} crashed: "
                                    f"{type(exc).__name__}: {exc}", Severity.ERROR))
    return findings

"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""
from __future__ import annotations

import json
from urllib.parse import quote

from .. import __version__
from ..violation import Severity
from .common import INFORMATION_URI, PSEUDO_RULES, end_position, fix_safety, relpath, root_uri

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def format_sarif(report) -> str:
    """SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""
    descriptors, index = _sarif_rules(report)
    results = []
    for finding in report.findings:
        region = {"startLine": max(1, finding.line), "startColumn": max(1, finding.column)}
        end_line, end_column = end_position(finding)
        if end_line is not None:
            region["endLine"] = end_line
        if end_column is not None:
            region["endColumn"] = end_column
        result = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": SARIF_LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(finding), "uriBaseId": SRCROOT},
                "region": region,
            }}],
        }
        if finding.fingerprint:
            result["partialFingerprints"] = {"lintnewsFingerprint/v1": finding.fingerprint}
        if finding.fix:
            result["fixes"] = [_fix(report, finding)]
        results.append(result)
    run = {
        "tool": {"driver": {"name": "lintnews", "version": __version__,
                            "informationUri": INFORMATION_URI, "rules": descriptors}},
        "originalUriBaseIds": {SRCROOT: {"uri": root_uri(report.root)}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _uri(finding) -> str:
    """The finding's file, relative to the root, as a URI: a name that is not UTF-8 keeps its
    own bytes, percent-encoded (read as lone surrogates, they cannot be written as UTF-8)."""
    return quote(relpath(finding), safe="/", errors="surrogateescape")


def _fix(report, finding) -> dict:
    """A SARIF fix: the edits as replacements of regions of the finding's file."""
    replacements = []
    for edit in finding.fix:
        region = {"startLine": edit.line, "startColumn": edit.column,
                  "endLine": edit.end_line, "endColumn": edit.end_column}
        replacement = {"deletedRegion": region}
        if edit.replacement:
            replacement["insertedContent"] = {"text": edit.replacement}
        replacements.append(replacement)
    return {"description": {"text": f"{fix_safety(report, finding)} fix of {finding.rule}"},
            "artifactChanges": [{"artifactLocation": {"uri": _uri(finding), "uriBaseId": SRCROOT},
                                 "replacements": replacements}]}


def _sarif_rules(report) -> tuple[list[dict], dict[str, int]]:
    """Descriptors of the report's rules, then of rules that only appear in findings."""
    descriptors = []
    for rule in report.rules.values():
        descriptor = {
            "id": rule.id,
            "shortDescription": {"text": rule.summary or rule.id},
            "fullDescription": {"text": rule.doc or rule.summary or rule.id},
            "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]},
        }
        if rule.docs_url:
            descriptor["helpUri"] = rule.docs_url
        descriptors.append(descriptor)
    known = {rule_id for rule_id in report.rules}
    others: dict[str, Severity] = {}
    for finding in report.findings:
        if finding.rule not in known:
            others[finding.rule] = max(others.get(finding.rule, finding.severity), finding.severity)
    for rule_id in sorted(others):
        text = PSEUDO_RULES.get(rule_id, f"lintnews reported '{rule_id}'.")
        descriptors.append({"id": rule_id, "shortDescription": {"text": text},
                            "fullDescription": {"text": text},
                            "defaultConfiguration": {"level": SARIF_LEVELS[others[rule_id]]}})
    return descriptors, {descriptor["id"]: i for i, descriptor in enumerate(descriptors)}

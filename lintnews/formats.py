"""CI output formats: SARIF, GitHub workflow commands, JUnit XML and GitLab Code Quality."""
from __future__ import annotations

import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from . import __version__
from .violation import Finding, Severity

INFORMATION_URI = "https://github.com/lintnews/lintnews"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"

# Findings the runner makes itself, for files no rule could look at.
PSEUDO_RULES = {
    "encoding": "The file must be valid UTF-8 text.",
    "read-error": "The file must be readable.",
    "internal-error": "A rule crashed on the file; the other rules' results are still reported.",
}

SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
GITLAB_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def _relpath(finding: Finding) -> str:
    """The finding's path relative to the project root, without a ``./`` or ``/`` prefix."""
    path = (finding.relpath or finding.path).replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path.lstrip("/")


def _end(finding: Finding) -> tuple[int | None, int | None]:
    """The end position, or ``None`` parts when unknown or not after the start."""
    end_line, end_column = finding.end_line, finding.end_column
    if end_line is not None and end_line < finding.line:
        return None, None
    if end_column is not None and (end_line or finding.line) == finding.line and end_column < finding.column:
        end_column = None
    return end_line, end_column


# -- SARIF ---------------------------------------------------------------------


def format_sarif(report) -> str:
    """SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""
    descriptors, index = _sarif_rules(report)
    results = []
    for finding in report.findings:
        region = {"startLine": max(1, finding.line), "startColumn": max(1, finding.column)}
        end_line, end_column = _end(finding)
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
                "artifactLocation": {"uri": quote(_relpath(finding), safe="/"), "uriBaseId": SRCROOT},
                "region": region,
            }}],
        }
        if finding.fingerprint:
            result["partialFingerprints"] = {"lintnewsFingerprint/v1": finding.fingerprint}
        results.append(result)
    run = {
        "tool": {"driver": {"name": "lintnews", "version": __version__,
                            "informationUri": INFORMATION_URI, "rules": descriptors}},
        "originalUriBaseIds": {SRCROOT: {"uri": _root_uri(report.root)}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


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


def _root_uri(root) -> str:
    uri = Path(root).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


# -- GitHub workflow commands ----------------------------------------------------


def format_github(report) -> str:
    """One ``::error``/``::warning``/``::notice`` annotation per finding, then a plain summary."""
    from .report import summary  # report.py imports this module

    lines = []
    for finding in report.findings:
        properties = [("file", _github_path(finding, report.root)), ("line", finding.line),
                      ("col", finding.column)]
        end_line, end_column = _end(finding)
        if end_line is not None:
            properties.append(("endLine", end_line))
        if end_column is not None:
            properties.append(("endColumn", end_column))
        properties.append(("title", f"lintnews ({finding.rule})"))
        joined = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties)
        lines.append(f"::{GITHUB_COMMANDS[finding.severity]} {joined}::{_escape_data(finding.message)}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    """@actions/core's escapeData: the runner splits commands on line breaks."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """@actions/core's escapeProperty: ``,`` separates properties and ``::`` ends them."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github_path(finding: Finding, root) -> str:
    """GitHub resolves annotation paths against the workspace, which need not be the project root."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace and finding.relpath:
        absolute = os.path.join(os.path.realpath(root), finding.relpath)
        try:
            relative = os.path.relpath(absolute, os.path.realpath(workspace))
        except ValueError:  # another drive on Windows
            relative = ""
        if relative and not relative.startswith(".."):
            return relative.replace(os.sep, "/")
    return finding.path


# -- JUnit XML -----------------------------------------------------------------

# Characters XML 1.0 cannot carry even as references: C0 controls but tab and line
# breaks, surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100
                        else f"\\u{ord(match.group()):04x}", text)


def format_junit(report) -> str:
    """JUnit XML: one failing testcase per finding (GitLab test reports, Jenkins)."""
    count = len(report.findings)
    attributes = {"name": "lintnews", "tests": str(max(count, 1)), "failures": str(count),
                  "errors": "0", "skipped": "0"}
    suites = ET.Element("testsuites", attributes)
    suite = ET.SubElement(suites, "testsuite", attributes)
    names: Counter = Counter()
    for finding in report.findings:
        name = f"{finding.rule} {finding.path}:{finding.line}:{finding.column}"
        names[name] += 1
        if names[name] > 1:
            name = f"{name} #{names[name]}"
        case = ET.SubElement(suite, "testcase", {"name": _xml_text(name),
                                                 "classname": _xml_text(finding.path),
                                                 "file": _xml_text(finding.path),
                                                 "line": str(finding.line)})
        failure = ET.SubElement(case, "failure", {"message": _xml_text(finding.message),
                                                  "type": _xml_text(finding.rule)})
        failure.text = _xml_text(f"{finding.path}:{finding.line}:{finding.column}: "
                                 f"{finding.severity} {finding.rule} {finding.message}")
    if not report.findings:
        ET.SubElement(suite, "testcase", {"name": "lintnews", "classname": "lintnews"})
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


# -- GitLab Code Quality ---------------------------------------------------------


def format_gitlab(report) -> str:
    """GitLab Code Quality JSON (the Code Climate subset GitLab reads)."""
    issues = []
    seen: set[str] = set()
    for finding in report.findings:
        path = _relpath(finding)
        # The runner's fingerprint identifies the offending content within a file; GitLab needs
        # one unique in the whole report, so the path goes in too.
        if finding.fingerprint:
            fingerprint = _md5(path, finding.rule, finding.fingerprint)
        else:
            fingerprint = _md5(path, str(finding.line), str(finding.column), finding.rule, finding.message)
        base, n = fingerprint, 1
        while fingerprint in seen:  # identical findings at one place: still one issue each
            n += 1
            fingerprint = _md5(base, str(n))
        seen.add(fingerprint)
        issues.append({
            "description": finding.message,
            "check_name": finding.rule,
            "fingerprint": fingerprint,
            "severity": GITLAB_SEVERITIES[finding.severity],
            "categories": ["Style"],
            "location": {"path": path, "lines": {"begin": finding.line}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def _md5(*parts: str) -> str:
    return hashlib.md5("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


CI_FORMATS: dict[str, Callable] = {
    "github": format_github,
    "gitlab": format_gitlab,
    "junit": format_junit,
    "sarif": format_sarif,
}

"""GitLab Code Quality JSON (the Code Climate subset GitLab reads)."""
from __future__ import annotations

import hashlib
import json

from ..violation import Severity
from .common import printable, relpath

GITLAB_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def format_gitlab(report) -> str:
    """GitLab Code Quality JSON (the Code Climate subset GitLab reads)."""
    issues = []
    seen: set[str] = set()
    for finding in report.findings:
        path = relpath(finding)
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
            "description": printable(finding.message),
            "check_name": finding.rule,
            "fingerprint": fingerprint,
            "severity": GITLAB_SEVERITIES[finding.severity],
            "categories": ["Style"],
            "location": {"path": path, "lines": {"begin": finding.line}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def _md5(*parts: str) -> str:
    return hashlib.md5("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

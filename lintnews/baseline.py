"""Baselines: record today's findings of a legacy archive, then report only new ones.

Entries are keyed by root-relative path, rule and fingerprint (the offending line's
content and its occurrence), never by line number: editing another paragraph keeps
an article's baselined findings hidden, fixing one drops it, a new one is reported.
"""
from __future__ import annotations

import json
from pathlib import Path

from .violation import Finding

FORMAT_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read."""


def dumps(findings) -> str:
    entries = sorted({(f.relpath, f.rule, f.fingerprint, f.message) for f in findings})
    return json.dumps({"lintnews-baseline": FORMAT_VERSION,
                       "findings": [{"path": path, "rule": rule, "fingerprint": fingerprint, "message": message}
                                    for path, rule, fingerprint, message in entries]},
                      ensure_ascii=False, indent=2) + "\n"


def load(path: Path) -> set[tuple[str, str, str]]:
    """The (path, rule, fingerprint) keys of a baseline file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: not a lintnews baseline: {exc}") from None
    if not isinstance(data, dict) or data.get("lintnews-baseline") != FORMAT_VERSION \
            or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a lintnews baseline (version {FORMAT_VERSION})")
    try:
        return {(entry["path"], entry["rule"], entry["fingerprint"]) for entry in data["findings"]}
    except (TypeError, KeyError) as exc:
        raise BaselineError(f"{path}: malformed baseline entry: {exc}") from None


def partition(findings, known: set[tuple[str, str, str]]) -> tuple[list[Finding], list[Finding]]:
    """The findings not in the baseline, and those it hides; an internal error or a failed fix
    is never hidden."""
    new, hidden = [], []
    for f in findings:
        is_new = (f.relpath, f.rule, f.fingerprint) not in known or f.rule in ("internal-error", "fix-failed")
        (new if is_new else hidden).append(f)
    return new, hidden

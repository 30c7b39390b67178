"""Baselines: record today's findings of a legacy archive, then report only new ones.

Entries are keyed by root-relative path, rule, fingerprint (the offending line's content and
its occurrence among the rule's problems of that message on that content) and message, never
by line number: editing another paragraph keeps an article's baselined findings hidden, fixing
one drops it, a new one is reported, also where it is another problem of the same rule on the
same line (a second required key missing from the front matter). A message is compared with its
numbers masked (``message_key``): one naming a line or a count ("repeats the one on line 12")
still matches when lines move; what it quotes ('img/photo1.jpg') is compared as it is. Of the
message of a rule that judges the whole run (``duplicate-article``'s "same article body as …",
``image-folder-missing``'s "… and 803 more images in 138 articles") only what it quotes is
compared: its words and counts change with the other files, and the finding is the same while
the file's is; what it quotes is the file's own (the missing folders and their first images it
names), and a folder that goes missing on a known line is a new problem.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from .lazy_re import lazy_compile
from .violation import Finding

FORMAT_VERSION = 2
# version 1 numbered a line's problems of one rule across messages, so that its fingerprints
# and messages do not tell two problems on one line apart: its entries are matched by path,
# rule and message where their fingerprint is not found
READABLE = (1, 2)
NEVER_HIDDEN = ("internal-error", "fix-failed")
# a run of digits outside quotations (what a message quotes from the article, a file name
# 'img/photo1.jpg', is compared as it is; an apostrophe inside a word opens no quotation)
_DIGITS = lazy_compile(r"""((?<![A-Za-z])'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")|[0-9]+""")


class BaselineError(Exception):
    """A baseline file that cannot be read."""


def message_key(message: str) -> str:
    """The message as a baseline compares it: each run of digits outside quotations as ``#``."""
    return _DIGITS.sub(_masked, message)


def _masked(match: re.Match) -> str:
    return match.group(1) or "#"


class Known:
    """The problems a baseline records: ``keys`` (path, rule, fingerprint, message key), and for a
    file of version 1 its entries by (path, rule, message key), counted (``loose``)."""

    def __init__(self, keys: set[tuple[str, str, str, str]], version: int = FORMAT_VERSION,
                 judged: frozenset[str] = frozenset()) -> None:
        self.keys = frozenset(keys)
        self.loose = Counter((path, rule, message) for path, rule, _, message in keys) if version == 1 else None
        self.judged = judged  # the rules whose messages are judged from the whole run: their quotations compared


def _key(path: str, rule: str, fingerprint: str, message: str, judged: frozenset[str]) -> tuple[str, str, str, str]:
    return path, rule, fingerprint, _quoted(message) if rule in judged else message_key(message)


def _quoted(message: str) -> str:
    """What a message quotes, each quotation on a line of its own."""
    return "\n".join(match.group(1) for match in _DIGITS.finditer(message) if match.group(1))


def dumps(findings) -> str:
    entries = sorted({(f.relpath, f.rule, f.fingerprint, f.message) for f in findings})
    return json.dumps({"lintnews-baseline": FORMAT_VERSION,
                       "findings": [{"path": path, "rule": rule, "fingerprint": fingerprint, "message": message}
                                    for path, rule, fingerprint, message in entries]},
                      ensure_ascii=False, indent=2) + "\n"


def load(path: Path, judged: frozenset[str] = frozenset()) -> Known:
    """The problems a baseline file records; ``judged``: the ids of the rules whose messages are
    judged from the whole run."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: not a lintnews baseline: {exc}") from None
    except RecursionError:  # arrays or objects nested thousands deep
        raise BaselineError(f"{path}: not a lintnews baseline: nested too deep") from None
    except ValueError:  # a number of more digits than Python reads (4,300)
        raise BaselineError(f"{path}: not a lintnews baseline: a number of thousands of digits") from None
    if not isinstance(data, dict) or data.get("lintnews-baseline") not in READABLE \
            or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a lintnews baseline (version {' or '.join(map(str, READABLE))})")
    try:
        keys = {_key(entry["path"], entry["rule"], entry["fingerprint"], entry["message"], judged)
                for entry in data["findings"]}
    except (TypeError, KeyError) as exc:
        raise BaselineError(f"{path}: malformed baseline entry: {exc}") from None
    if not all(isinstance(part, str) for key in keys for part in key):
        raise BaselineError(f"{path}: malformed baseline entry: a path, rule, fingerprint or message that is no text")
    return Known(keys, data["lintnews-baseline"], judged)


def partition(findings, known: Known) -> tuple[list[Finding], list[Finding]]:
    """The findings not in the baseline, and those it hides; an internal error or a failed fix
    is never hidden. A finding is known by its key; for a baseline of version 1, a finding whose
    key is not found is known while entries of its path, rule and message are left over."""
    keys = [_key(f.relpath, f.rule, f.fingerprint, f.message, known.judged) for f in findings]
    found = [f.rule not in NEVER_HIDDEN and key in known.keys for f, key in zip(findings, keys)]
    if known.loose:
        left = known.loose - Counter((key[0], key[1], key[3]) for key, hit in zip(keys, found) if hit)
        for index, (finding, key) in enumerate(zip(findings, keys)):
            loose = (key[0], key[1], key[3])
            if not found[index] and finding.rule not in NEVER_HIDDEN and left[loose] > 0:
                left[loose] -= 1
                found[index] = True
    new = [f for f, hit in zip(findings, found) if not hit]
    hidden = [f for f, hit in zip(findings, found) if hit]
    return new, hidden

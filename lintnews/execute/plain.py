"""A ``FileResult`` as plain data (tuples, strings, numbers), and back.

Worker processes send their results to the parent in this form (``encode``): building
tens of thousands of named tuples through their Python-level ``__new__`` (as unpickling
does) costs the parent more than the workers save it, while plain tuples are read at C
speed and the named tuples are made directly with ``tuple.__new__``. The results cache
keeps a form of its own (``stored``): the settled findings as one marshalled block that is
decoded only when something reads them (``lintnews.encoded``). The path of the file is not
part of either form: every finding of a result carries its file's own.
"""
from __future__ import annotations

from ..encoded import Encoded, Findings, findings_of, plain_finding
from ..facts import FileFacts
from .mapping import FileResult


def encodable(result: FileResult, display: str, relpath: str) -> bool:
    """Whether ``encode`` keeps all of ``result``: each finding is of the file itself."""
    return all(f.path == display and f.relpath == relpath for f in result.findings)


def encode(result: FileResult) -> tuple:
    """``result`` as plain data (see ``encodable``); its summaries are as the rules gave them."""
    findings = tuple(map(plain_finding, result.findings))
    facts = tuple(result.facts[2:]) if result.facts is not None else None  # the path and relpath are the file's
    return findings, dict(result.summaries), result.digest, tuple(result.dependencies), facts, result.rendered


def decode(entry: tuple, path: str, relpath: str) -> FileResult:
    """The ``FileResult`` of the file at ``path`` that ``encode`` gave ``entry``; TypeError,
    ValueError, IndexError or KeyError for data of another shape."""
    findings, summaries, digest, dependencies, facts, rendered = entry
    if rendered is not None and type(rendered) is not bytes:
        raise ValueError("written ahead as something else than encoded text")
    return FileResult(findings_of(findings, path, relpath), summaries, digest, tuple(dependencies),
                      facts=None if facts is None else FileFacts(path, relpath, *facts), rendered=rendered)


def stored(result: FileResult) -> tuple:
    """``result`` as the results cache keeps it (see ``encodable``): its settled findings as
    one ``Encoded`` block, its placeholders (position, plain data) beside them; ValueError
    when a finding is not plain data."""
    settled = [finding for finding in result.findings if type(finding.message) is str]
    pending = tuple((position, plain_finding(finding)) for position, finding in enumerate(result.findings)
                    if type(finding.message) is not str)
    block = Encoded.of(settled, "", "", None)
    facts = tuple(result.facts[2:]) if result.facts is not None else None
    return (block.data, block.size, block.severities, block.rules, pending, dict(result.summaries), result.digest,
            tuple(result.dependencies), facts, result.rendered)


def restored(entry: tuple, path: str, relpath: str) -> FileResult:
    """The ``FileResult`` of the file at ``path`` that ``stored`` gave ``entry``, its settled
    findings left encoded (``lintnews.encoded``); TypeError, ValueError, IndexError or
    KeyError for data of another shape."""
    data, size, severities, rules, pending, summaries, digest, dependencies, facts, rendered = entry
    if type(data) is not bytes or type(size) is not int or type(severities) is not tuple \
            or type(rules) is not tuple or type(summaries) is not dict:
        raise TypeError("an entry of another shape")
    if rendered is not None and type(rendered) is not bytes:
        raise ValueError("written ahead as something else than encoded text")
    positions, plain = zip(*pending) if pending else ((), ())
    if not all(type(position) is int for position in positions):
        raise TypeError("a placeholder's position is not a number")
    block = Encoded(path, relpath, data, size, severities, rules, rendered)
    return FileResult(Findings((block,), zip(positions, findings_of(plain, path, relpath))), summaries, digest,
                      tuple(dependencies),
                      facts=None if facts is None else FileFacts(path, relpath, *facts), rendered=rendered)

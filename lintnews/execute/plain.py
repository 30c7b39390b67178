"""A ``FileResult`` as plain data (tuples, strings, numbers), and back.

Worker processes send their results to the parent, and the results cache keeps them, as
``stored`` gives them: the settled findings as one marshalled block that is decoded only
when something reads them (``lintnews.encoded``), the placeholders beside it. Building tens
of thousands of named tuples through their Python-level ``__new__`` (as unpickling does)
would cost the parent more than the workers save it; a JSON report over such results is
written without decoding them at all, and a worker's result goes into the cache as it came.
The path of the file is not part of the form: every finding of a result carries its file's own.
"""
from __future__ import annotations

from ..encoded import Encoded, Findings, file_block, findings_of, plain_finding
from ..facts import FileFacts
from .mapping import FileResult


def encodable(result: FileResult, display: str, relpath: str) -> bool:
    """Whether ``stored`` keeps all of ``result``: each finding is of the file itself."""
    block = file_block(result.findings)
    if block is not None:  # restored: the block's findings are its file's, and it stays encoded
        return block.path == display and block.relpath == relpath and \
            all(f.path == display and f.relpath == relpath for _, f in result.findings.pending)
    return all(f.path == display and f.relpath == relpath for f in result.findings)


def stored(result: FileResult) -> tuple:
    """``result`` as the results cache keeps it (see ``encodable``): its settled findings as
    one ``Encoded`` block, its placeholders (position, plain data) beside them; ValueError
    when a finding is not plain data."""
    block = file_block(result.findings)
    if block is not None:  # restored (from a worker or the cache): its block as it came
        pending = tuple((position, plain_finding(finding)) for position, finding in result.findings.pending)
    else:
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


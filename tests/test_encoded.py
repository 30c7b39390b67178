"""Findings kept encoded (lintnews.encoded): they read exactly as the tuple they stand for."""
from __future__ import annotations

import pickle

import pytest

from lintnews import encoded
from lintnews.encoded import Encoded, Findings
from lintnews.execute.mapping import FileResult
from lintnews.execute.plain import restored, stored
from lintnews.facts import file_facts
from lintnews.runner import Report, sort_key
from lintnews.violation import Edit, Finding, Severity, Ticket, Unless

A = (Finding("a.md", 1, 2, "rule-a", "first", Severity.WARNING, 1, 5, "posts/a.md",
             fix=(Edit(0, 3, "x", 1, 1, 1, 4),)),
     Finding("a.md", 4, 1, "rule-b", "second", Severity.ERROR, relpath="posts/a.md"),
     Finding("a.md", 9, 3, "rule-a", "third", Severity.INFO, relpath="posts/a.md", fingerprint="f" * 32))
B = (Finding("b.md", 2, 1, "rule-b", "fourth", Severity.WARNING, relpath="posts/b.md"),)


@pytest.fixture
def decoded(monkeypatch):
    """The paths whose blocks were decoded."""
    paths = []
    original = encoded.findings_of
    monkeypatch.setattr(encoded, "findings_of", lambda plain, path, relpath: paths.append(path) or original(
        plain, path, relpath))
    return paths


def test_a_block_reads_as_its_tuple_and_is_decoded_once_on_first_read(decoded):
    block = Encoded.of(A, "a.md", "posts/a.md", b"written")
    assert (len(block), block.rules, block.severities) == (3, ("rule-a", "rule-b"), ((1, 1), (2, 1), (3, 1)))
    assert decoded == []  # known without decoding
    assert block == A and A == block and tuple(block) == A and list(block) == list(A)
    assert type(block[0].fix[0]) is Edit and type(block[0].severity) is Severity
    assert block[1:] == A[1:] and type(block[1:]) is tuple and block[-1] is block[2]
    assert block + B == A + B and B + block == B + A and hash(block) == hash(A) and A[1] in block
    assert pickle.loads(pickle.dumps(block)) == A and repr(block) == repr(A)
    assert decoded == ["a.md"] and all(x is y for x, y in zip(block, block))  # the very same objects


def test_findings_of_parts_read_as_their_concatenation_with_pending_ones_put_in_place():
    ticket = Finding("a.md", 5, 1, "duplicate-article", Ticket("duplicate-article"), Severity.INFO,
                     relpath="posts/a.md")
    unless = Finding("a.md", 9, 9, "unused-suppression", Unless("unused", ("rule-c",)), Severity.INFO,
                     relpath="posts/a.md")
    whole = tuple(sorted([*A, ticket, unless], key=sort_key))
    findings = Findings([Encoded.of(A, "a.md", "posts/a.md", None)],
                        [(whole.index(ticket), ticket), (whole.index(unless), unless)])
    assert findings == whole and len(findings) == 5 and findings[2] is ticket and findings[4] is unless
    report = Findings([Encoded.of(A, "a.md", "posts/a.md", None), B])
    assert report == A + B and len(report) == 4


def test_severities_and_the_exit_code_are_known_without_decoding(decoded):
    lazy = Report(Findings([Encoded.of(A, "a.md", "posts/a.md", None), B]), 2)
    plain = Report(A + B, 2)
    for severity in Severity:
        assert lazy.count(severity) == plain.count(severity)
        assert lazy.fails(severity) == plain.fails(severity)
    assert Report(Findings([Encoded.of(A[2:], "a.md", "posts/a.md", None)]), 1).fails(Severity.WARNING) is False
    assert decoded == []


def test_a_cached_result_keeps_its_placeholders_apart_and_comes_back_whole(decoded):
    ticket = Finding("a.md", 5, 1, "duplicate-article", Ticket("duplicate-article"), Severity.INFO,
                     relpath="posts/a.md")
    findings = tuple(sorted([*A, ticket], key=sort_key))
    result = FileResult(findings, {"duplicate-article": ("x", b"\x00")}, b"digest", (("p", "file", (1, 2)),),
                        facts=file_facts("a.md", "posts/a.md"), rendered=b"entries")
    back = restored(stored(result), "a.md", "posts/a.md")
    assert type(back.findings) is Findings and back.findings.pending[0][1].message.rule == "duplicate-article"
    assert decoded == []  # the settled findings stay encoded until read
    assert back.findings == findings and type(back.findings[2].message) is Ticket
    assert decoded == ["a.md"]
    assert (back.summaries, back.digest, back.dependencies, back.facts, back.rendered) == \
        (result.summaries, result.digest, result.dependencies, result.facts, result.rendered)


@pytest.mark.parametrize("break_it", [lambda entry: (None, *entry[1:]), lambda entry: entry[:-1],
                                      lambda entry: (*entry[:4], ((0, ("bad",)),), *entry[5:]),
                                      lambda entry: (*entry[:9], "not bytes")])
def test_an_entry_of_another_shape_is_refused(break_it):
    entry = stored(FileResult(A, {}, b"digest", facts=file_facts("a.md", "posts/a.md"), rendered=b"entries"))
    with pytest.raises((TypeError, ValueError, IndexError, KeyError)):
        restored(break_it(entry), "a.md", "posts/a.md")

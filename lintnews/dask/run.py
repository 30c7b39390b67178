"""The map step on a Dask bag, summaries merged by a tree reduction, placeholders settled per partition."""
from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import PurePosixPath
from typing import Any, Iterable

from ..execute.mapping import FileResult, map_file
from ..execute.merge import _settle, wrong_verdicts
from ..files import SourceFile
from ..remote.recorded import Answers, Recording, answering
from ..runner import decide
from ..violation import Finding, Severity
from .spec import RunSpec, context
from .storage import read_bytes, storage_of

SPLIT_EVERY = 8  # summaries merged eight partitions at a time, up a tree, never all at once
REMOTE_URLS = "remote urls"  # in a file's summaries: the (checker, URL) pairs it asked for; no rule's id


def map_partition(sources: Iterable[SourceFile], spec: RunSpec) -> list[tuple[str, FileResult]]:
    """The map step over one partition: (display path, result) per file, read where it lives.

    Remote image checks are only recorded here (a ``Recording`` run cache of the partition's
    own): each file's URLs go with its summaries, and the run fetches each URL once."""
    mapped = []
    recording = Recording()
    run = replace(context(spec), run_cache=recording)
    for source in sources:
        try:
            data = read_bytes(source)
        except Exception as exc:  # storage said no: that file's finding, the others go on
            finding = Finding(source.display, 1, 1, "read-error", f"cannot read the file: {exc}",
                              Severity.ERROR, relpath=source.relpath)
            mapped.append((source.display, FileResult((finding,), {})))
            continue
        result = map_file(source, run, data, storage_of(source))
        urls = recording.drain()
        if urls:
            result.summaries[REMOTE_URLS] = urls
        mapped.append((source.display, result))
    return mapped


def urls_of(partition: Iterable[tuple[str, FileResult]]) -> list[tuple]:
    """Per partition: the (checker key, URL) pairs its files asked remote checks for, once each."""
    return list(dict.fromkeys(pair for _, result in partition for pair in result.summaries.get(REMOTE_URLS, ())))


def map_items(items: Iterable[tuple[str, Any]], spec: RunSpec) -> list[tuple[str, FileResult]]:
    """The map step over (path, text or bytes) pairs that a pipeline already holds."""
    run = context(spec)
    mapped = []
    for path, content in items:
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        source = SourceFile(PurePosixPath(path), str(path), _relative(str(path), spec.root))
        mapped.append((source.display, map_file(source, run, data)))
    return mapped


def _relative(path: str, root: str) -> str:
    prefix = root.rstrip("/") + "/"
    return path[len(prefix):] if path.startswith(prefix) else path.split("://", 1)[-1].lstrip("/")


def summaries_of(partition: Iterable[tuple[str, FileResult]]) -> list[tuple[str, dict]]:
    """Per partition: the files' summaries for the run-scoped rules (compact, never their text)."""
    return [(display, result.summaries) for display, result in partition
            if result.summaries and (REMOTE_URLS not in result.summaries or len(result.summaries) > 1)]


def concatenated(parts: Iterable[list]) -> list:
    return [entry for part in parts for entry in part]


def judged(entries: list[tuple[str, dict]], spec: RunSpec) -> dict[str, dict[str, Any]]:
    """Each summarizing rule judges every file's summary, in the order a local run sees them:
    rule id → {display path → verdict}."""
    entries = sorted(entries, key=lambda entry: entry[0])
    verdicts = {}
    for rule_id, (instance, _) in spec.build().settings.judges().items():  # a fresh instance judges once
        given = instance.judge([summaries.get(rule_id) for _, summaries in entries]) or {}
        wrong = wrong_verdicts(given)  # not a dict of file index to message: each file's internal-error
        verdicts[rule_id] = {display: wrong.problem for display, _ in entries} if wrong is not None else \
            {entries[index][0]: verdict for index, verdict in given.items()}
    return verdicts


def settled(partition: Iterable[tuple[str, FileResult]], verdicts: dict, answers: Answers | None = None
            ) -> list[Finding]:
    """Per partition: the findings with their placeholders decided by the run's verdicts and the
    answers of its remote checks."""
    findings: list[Finding] = []
    with answering(answers or {}):
        for display, result in partition:
            _settle(result, display, verdicts)
            findings += decide(list(result.findings))
    return findings


def facts_of(partition: Iterable[tuple[str, FileResult]]) -> list:
    """Per partition: each file's facts (section, source, editor, month) for the report, by path."""
    return [(display, result.facts) for display, result in partition]


def findings_of(results, spec: RunSpec):
    """A bag of (display, FileResult) → a bag of settled findings, each file mapped once."""
    return results.map_partitions(settled, verdicts_of(results, spec))


def reported(results, spec: RunSpec, answers: Answers | None = None):
    """A bag of (display, FileResult) → one (findings, facts) pair per partition, each file mapped
    once; ``answers`` are the run's remote checks (see ``lintnews.remote.recorded``)."""
    if not answers:
        return results.map_partitions(_reported, verdicts_of(results, spec))
    from dask import delayed

    return results.map_partitions(_reported, verdicts_of(results, spec),
                                  delayed(answers, traverse=False))  # one copy in the graph, not one per task


def _reported(partition, verdicts: dict, answers: Answers | None = None) -> list[tuple[list[Finding], list]]:
    partition = list(partition)
    return [(settled(partition, verdicts, answers), facts_of(partition))]  # one task, one transfer


def verdicts_of(results, spec: RunSpec):
    """The run's verdicts: summaries merged up a tree, then judged (a Delayed)."""
    verdicts = results.reduction(summaries_of, concatenated, split_every=SPLIT_EVERY).apply(partial(judged, spec=spec))
    # Given as an Item, the verdicts' graph would be optimized apart from the findings', fusing a
    # second copy of the map step into it: an unoptimized Delayed shares the map tasks.
    return verdicts.to_delayed(optimize_graph=False)

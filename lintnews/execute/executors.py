"""Executors: where the map step runs. ``serial`` in this process, ``pool`` in worker processes.

An executor takes (index, source) jobs and yields (index, FileResult) in any order; the
caller puts the results back in run order. Workers are forked, so they start with this
process's rules, plugins, settings and list of jobs already loaded: a chunk of work is sent
as the jobs' indexes, and each result comes back as plain data (``plain``). They ignore
SIGINT, and the parent, when interrupted, terminates and reaps them before it exits.
"""
from __future__ import annotations

import gc
import os
import sys
from typing import Any, Iterable, Iterator, Sequence

from .. import timing
from ..facts import file_facts
from ..files import SourceFile
from ..violation import Finding, Severity
from . import plain
from .mapping import FileResult, MapContext, map_file

Job = tuple[int, SourceFile]
# Workers are started only when the work pays for them. A pool costs about 75 ms of the run's
# time (forking, each worker's start, shipping results back at about 20 us a file); linting
# costs about 70 ns a byte of text (more for Chinese) and 130 us a file (reading it, its
# Document, each rule's first steps). FILE_WORK counts what a file costs beyond its text, less
# the shipping of its result, as bytes of text; a worker pays once it has MIN_WORK_PER_WORKER of
# work. Measured with two workers: 12% faster on 25 articles of 2.2 MB in all and 21% on 400 of
# 3.3 MB; 15% slower on 600 articles of a few lines, and 27% on 250 of them.
FILE_WORK = 1 << 10
MIN_WORK_PER_WORKER = 1 << 20
CHUNKS_PER_WORKER = 6  # of what is left, per worker: chunks shrink as the run nears its end
MIN_CHUNK, MAX_CHUNK = 8, 128  # files

_context: MapContext | None = None  # the map context of this worker process (set before forking)
_sources: dict[int, SourceFile] = {}  # the jobs of this worker process, by index (set before forking)


def can_fork() -> bool:
    """Workers are forked (they inherit the loaded plugins): on Linux. Elsewhere fork is
    missing or unsafe, and the map step runs in this process."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def workers_for(jobs: int, sources: Sequence[SourceFile]) -> int:
    """How many worker processes pay for linting ``sources`` with at most ``jobs``: 0 for none."""
    return plan(jobs, sources)[0]


def plan(jobs: int, sources: Sequence[SourceFile]) -> tuple[int, list[int] | None]:
    """How many worker processes pay for linting ``sources`` with at most ``jobs`` (0 for none),
    and the size of each file where it was looked up: only where their number alone does not
    give every worker enough work (a few hundred files; a run over thousands asks no file)."""
    if jobs <= 1 or len(sources) < 2 or not can_fork():
        return 0, None
    if len(sources) * FILE_WORK >= jobs * MIN_WORK_PER_WORKER:
        return jobs, None
    found = sizes(sources)
    workers = min(jobs, len(sources), (sum(found) + len(sources) * FILE_WORK) // MIN_WORK_PER_WORKER)
    return (workers if workers > 1 else 0), found


def sizes(sources: Sequence[SourceFile]) -> list[int]:
    """The size in bytes of each file, 0 where it cannot be told (the reader reports why)."""
    found = []
    for source in sources:
        try:
            found.append(0 if source.error else os.stat(source.fs_path).st_size)
        except (OSError, ValueError):  # gone, unreadable, or a name the system refuses
            found.append(0)
    return found


def serial(jobs: Iterable[Job], context: MapContext, data: dict[int, tuple[bytes, bytes]] | None = None
           ) -> Iterator[tuple[int, FileResult]]:
    """The map step in this process; ``data`` holds the bytes already read and their content
    digest, by index."""
    data = data or {}
    for index, source in jobs:
        if index in data:
            content, digest = data[index]
            yield index, map_file(source, context, content, known_digest=digest)
        else:
            yield index, map_file(source, context)


def pool(jobs: Sequence[Job], context: MapContext, workers: int, sizes: Sequence[int] | None = None
         ) -> Iterator[tuple[int, FileResult]]:
    """The map step in ``workers`` forked processes, in chunks of files (measured in work where
    ``sizes``, each job's bytes, are known: see ``chunked_by_work``).

    A worker that dies (a rule that crashes the interpreter) breaks the pool: the files
    it left unanswered are then mapped one at a time in a fresh single worker, so the
    file that kills it gets an ``internal-error`` and every other result is kept.
    """
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    chunks = chunked(jobs, workers) if sizes is None else chunked_by_work(jobs, workers, sizes)
    unanswered: list[Job] = []
    with _Workers(context, workers, jobs) as executor:
        futures = {executor.submit(_map_chunk, [index for index, _ in chunk]): chunk for chunk in chunks}
        while futures:
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            for future in done:
                chunk = futures.pop(future)
                try:
                    yield from _received(*future.result(), chunk)
                except BrokenProcessPool:
                    unanswered += chunk
    for job in sorted(unanswered):
        yield _isolated(job, context)


def chunked(jobs: Sequence[Job], workers: int) -> list[list[Job]]:
    """The jobs in chunks that shrink as they near the end (guided scheduling): large ones
    while much is left keep the traffic low, and the last ones are small, so the workers
    finish together instead of one working through a large last chunk while the others wait."""
    chunks, start = [], 0
    while start < len(jobs):
        size = max(MIN_CHUNK, min(MAX_CHUNK, (len(jobs) - start) // (workers * CHUNKS_PER_WORKER)))
        chunks.append(list(jobs[start:start + size]))
        start += size
    return chunks


def chunked_by_work(jobs: Sequence[Job], workers: int, sizes: Sequence[int]) -> list[list[Job]]:
    """The jobs in chunks as ``chunked`` makes them, but measured in work (each file's bytes,
    ``sizes``, and ``FILE_WORK``) rather than files, for a run of a few hundred files or fewer,
    whose sizes may differ a hundredfold: each chunk holds at least one file, and otherwise no
    more than its share of the work left, so that a large article has a chunk to itself."""
    work = [size + FILE_WORK for size in sizes]
    chunks, start, left = [], 0, sum(work)
    while start < len(jobs):
        share = left / (workers * CHUNKS_PER_WORKER)
        stop, taken = start + 1, work[start]
        while stop < len(jobs) and stop - start < MAX_CHUNK and taken + work[stop] <= share:
            taken += work[stop]
            stop += 1
        chunks.append(list(jobs[start:stop]))
        left -= taken
        start = stop
    return chunks


def _received(results: list[tuple[int, bool, Any]], spent, chunk: list[Job]) -> Iterator[tuple[int, FileResult]]:
    """A chunk's results as the worker sent them: plain data where it could, else the result;
    ``spent`` is what the worker's rules took under ``--timing``."""
    if spent is not None and timing.active is not None:
        timing.active.add(spent)
    sources = dict(chunk)
    for index, is_plain, result in results:
        source = sources[index]
        yield index, plain.restored(result, source.display, source.relpath) if is_plain else result


def _isolated(job: Job, context: MapContext) -> tuple[int, FileResult]:
    """One file in a worker of its own: its result, or an internal-error if the worker dies."""
    from concurrent.futures.process import BrokenProcessPool

    index, source = job
    with _Workers(context, 1, [job]) as executor:
        try:
            return next(_received(*executor.submit(_map_chunk, [index]).result(), [job]))
        except BrokenProcessPool:
            message = "a rule crashed the worker process checking this file (it exited abnormally)"
            return index, FileResult((Finding(source.display, 1, 1, "internal-error", message, Severity.ERROR,
                                              relpath=source.relpath),), {}, facts=file_facts(source.display,
                                                                                               source.relpath))


class _Workers:
    """A ProcessPoolExecutor of forked workers that, on any way out, leaves no process behind:
    on an interrupt it terminates them instead of waiting for their chunks."""

    def __init__(self, context: MapContext, workers: int, jobs: Sequence[Job]) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _context, _sources
        _context, _sources = context, dict(jobs)  # inherited by the forked workers
        # what exists now is shared with the workers: frozen, their collections never walk
        # it (nor copy the pages it is on, as touching it would), as the gc module advises
        gc.freeze()
        self.executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_start_worker)

    def __enter__(self):
        return self.executor

    def __exit__(self, kind, value, traceback) -> None:
        global _context, _sources
        _context, _sources = None, {}
        gc.unfreeze()
        if kind is None or issubclass(kind, Exception):
            self.executor.shutdown(wait=True, cancel_futures=True)
            return
        # interrupted (KeyboardInterrupt, SystemExit, an abandoned generator): stop now
        processes = list((self.executor._processes or {}).values())  # no public way on Python 3.11
        for process in processes:
            if process.is_alive():
                process.terminate()
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join()


def _start_worker() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    timing.restart_in_worker()


def _map_chunk(indexes: list[int]) -> tuple[list[tuple[int, bool, Any]], Any]:
    """In a worker: map the files of these jobs; each result goes back as (index, True, plain
    data) or, when a finding is of another file, (index, False, result). A result holding
    closures is sent back empty, not portable, and the parent maps that file itself. With the
    results goes what the rules took (``timing``), when they are timed."""
    results = []
    for index in indexes:
        source = _sources[index]
        result = map_file(source, _context)
        if not result.portable:
            results.append((index, False, FileResult((), {}, result.digest, (), False, result.facts)))
        elif plain.encodable(result, source.display, source.relpath):
            try:
                results.append((index, True, plain.stored(result)))
            except ValueError:  # a finding that is not plain data (a plugin's): sent as it is
                results.append((index, False, result))
        else:
            results.append((index, False, result))
    return results, timing.active.take() if timing.active is not None else None


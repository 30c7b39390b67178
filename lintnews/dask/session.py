"""A Dask run from start to Report: the cluster, the bag of files, the computation."""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Iterator, Sequence

from ..config import ConfigError
from ..execute import default_jobs
from ..files import SourceFile
from ..runner import Report, sort_key
from .run import findings_of, map_items, map_partition, reported, urls_of
from .spec import RunSpec, context
from .storage import find_sources

class SchedulerError(ConfigError):
    """The scheduler named cannot be used: a malformed address, or one that does not answer."""

    def __init__(self, address: str, why: str):
        super().__init__(f"scheduler {address}: {why}")
        self.address, self.why = address, why


FILES_PER_PARTITION = 250  # large enough that a task's overhead (milliseconds) is small against its linting
PARTITIONS_PER_WORKER = 16  # enough for the last tasks to end together, few enough to keep the graph small


def lint_bag(bag, spec: RunSpec):
    """Lint a bag of ``(path, text_or_bytes)``: a bag of finding dicts (path, line, column,
    end_line, end_column, rule, severity, message), duplicates across partitions included.

    Remote image checks need ``check``, which fetches each URL once for the whole run: with
    them configured, this raises ``ConfigError``."""
    if any(item.options.get("remote") is True for item in context(spec).settings.for_path("")):
        raise ConfigError("lint_bag cannot run remote image checks (a bag is lazy: nothing fetches its URLs "
                          "once for the run); use lintnews.dask.check, or turn remote checks off")
    results = bag.map_partitions(map_items, spec)
    return findings_of(results, spec).map(lambda finding: finding.to_dict())


def check(paths: Sequence[str], *, config: str | None = None, plugins: Sequence[str] = (),
          select: Sequence[str] | None = None, ignore: Sequence[str] = (), fingerprints: bool = False,
          scheduler: str | None = None, progress: bool = False) -> Report:
    """Lint the articles under ``paths`` (local paths or fsspec URLs, globs allowed) on Dask:
    the cluster at ``scheduler``, the current Dask client, or a local cluster started for the run.

    ``config`` is a configuration file (default: found from the current folder, as the command
    line does).
    """
    from ..cli import _config

    spec = RunSpec.of(_config(config), plugins, select, ignore, fingerprints=fingerprints)
    sources = find_sources(list(paths), Path(spec.root), context(spec).settings.config.exclude)
    return run(sources, spec, scheduler=scheduler, progress=progress)


def run(sources: Sequence[SourceFile], spec: RunSpec, *, scheduler: str | None = None,
        progress: bool = False) -> Report:
    """Lint ``sources`` on Dask and merge: the same Report a local run of them gives."""
    import dask.bag as db

    settings = context(spec).settings
    actives = _distinct([settings.for_path(source.relpath) for source in sources])
    if any(item.rule.needs_whole_run_in_one_process for active in actives for item in active):
        raise ConfigError("--executor dask: rules that must see every article in one process cannot run "
                          "on a cluster; run them with the local executor")
    remote = [item for active in actives for item in active if item.options.get("remote") is True]
    findings: list = []
    facts: list = []
    notices: tuple = ()
    if sources:
        with _client(scheduler) as client:
            partitions = max(1, min(-(-len(sources) // FILES_PER_PARTITION),
                                    PARTITIONS_PER_WORKER * max(1, len(client.ncores()))))
            results = db.from_sequence(_dealt(sources, partitions), npartitions=partitions) \
                .map_partitions(map_partition, spec)
            answers = None
            if remote:  # mapped once and kept on the workers while this process fetches every URL once
                results = client.persist(results)
                answers, notices = _fetched(results.map_partitions(urls_of).compute(), remote, settings)
            wanted = reported(results, spec, answers)
            if progress:
                from distributed import progress as show_progress

                future = client.compute(wanted)
                show_progress(future, file=sys.stderr)
                print(file=sys.stderr)
                parts = future.result()
            else:
                parts = wanted.compute()
            for part_findings, part_facts in parts:
                findings += part_findings
                facts += part_facts
    files = tuple(fact for _, fact in sorted(facts, key=lambda pair: pair[0]))
    return Report(tuple(sorted(findings, key=sort_key)), len(sources), settings.rules, settings.config.root,
                  notices=notices, files=files, max_file_size=settings.config.max_file_size)


def _dealt(sources: Sequence[SourceFile], partitions: int) -> list[SourceFile]:
    """The sources dealt round the partitions like cards, so that each partition takes every n-th
    file: a repository of long articles, consecutive in path order, is shared out instead of
    making one partition the last straggler."""
    return [source for start in range(partitions) for source in sources[start::partitions]]


def _distinct(actives: list[tuple]) -> list[tuple]:
    """Each set of active rules once (files with the same overrides share one)."""
    return list({id(active): active for active in actives}.values())


def _fetched(pairs: list[tuple], remote: list, settings) -> tuple[dict, tuple[str, ...]]:
    """The answers to every (checker key, URL) the workers recorded, each URL asked once here, by
    the checkers the remote rules make for themselves (run on an empty article, they make them in
    this process's run cache, with the run's options); and what those checkers tell the user."""
    from ..document import Document
    from ..remote.recorded import fetched

    blank = Document("", "", root=settings.config.root)
    services: dict = {}
    blank.run_cache = services
    for item in remote:
        list(item.check(blank) or ())
    try:
        answers = fetched(pairs, services)
    finally:
        notices = []
        for service in services.values():  # as a local run ends its services: closed, then heard
            service.close()
            notices += getattr(service, "notices", ())
    return answers, tuple(dict.fromkeys(notices))


@contextlib.contextmanager
def _client(scheduler: str | None) -> Iterator:
    """The Dask client to run on: the scheduler named, the client already current, or a local
    cluster of one single-threaded worker process per usable core (closed afterwards)."""
    from distributed import Client, LocalCluster, default_client

    if scheduler:
        timeout = _reach(scheduler)
        with Client(scheduler, timeout=timeout) as client:
            yield client
        return
    try:
        yield default_client()
        return
    except ValueError:  # no client yet: start a cluster on this machine
        pass
    import dask

    from ..execute.executors import can_fork

    # Dask's statistical profiler samples every worker thread a hundred times a second: a
    # third of the time of a pure-Python map step. Nobody reads it on a cluster started for one run.
    # Workers forked from this process start with lintnews imported and the run's rules built;
    # spawned ones import Python, Dask and lintnews afresh: seconds at start, and more at close.
    with dask.config.set({"distributed.worker.profile.enabled": False,
                          "distributed.worker.multiprocessing-method": "fork" if can_fork() else "spawn"}), \
            LocalCluster(n_workers=default_jobs(), threads_per_worker=1, processes=True, dashboard_address=None,
                         # the scheduler's HTTP endpoints (health, info, JSON counts) on any free port
                         # of the loopback only: on 8787, taken by another cluster, it warns on stderr,
                         # and ":0" would listen on every interface for as long as the run lasts
                         scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster, \
            Client(cluster) as client:
        yield client


def _reach(address: str) -> float:
    """Dask's connect timeout (``distributed.comm.timeouts.connect``, 30 s by default), once a
    handshake with ``address`` came back within it; else ``SchedulerError``.

    Dask bounds the connection but not the handshake after it: a server that accepts and never
    answers keeps a ``Client`` waiting for ever. So one handshake is made here first, the whole
    of it bounded, in a thread of its own (the caller may be inside an event loop, a notebook's)."""
    import asyncio
    import threading

    import dask
    from dask.utils import parse_timedelta
    from distributed.comm import connect
    from distributed.security import Security

    arguments = Security().get_connection_args("client")  # TLS as the Client would use it, from Dask's configuration
    timeout = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), default="seconds")
    outcome: list = []

    async def handshake() -> None:
        comm = await asyncio.wait_for(connect(address, timeout=timeout, **arguments), timeout)
        await comm.close()

    def attempt() -> None:
        try:
            asyncio.run(handshake())
            outcome.append(None)
        except BaseException as exc:  # handed to the caller's thread
            outcome.append(exc)

    thread = threading.Thread(target=attempt, name="lintnews-dask-reach", daemon=True)
    thread.start()
    thread.join(timeout + 5)
    error = outcome[0] if outcome else asyncio.TimeoutError()
    if error is None:
        return timeout
    if isinstance(error, asyncio.TimeoutError):
        raise SchedulerError(address, f"no answer within {timeout:g} s (distributed.comm.timeouts.connect)")
    if isinstance(error, OSError):
        raise SchedulerError(address, f"cannot connect ({error})")
    if isinstance(error, (ValueError, TypeError)):  # what Dask says of an address it cannot parse or use
        raise SchedulerError(address, f"not an address Dask can connect to ({error})")
    raise error

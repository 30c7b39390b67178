"""One lint run: look files up in the cache, map the rest with an executor, merge, store."""
from __future__ import annotations

import os
from dataclasses import replace
from typing import Callable, Sequence

from ..config import Settings
from ..document import DocumentError
from ..files import SourceFile
from ..runner import Report
from ..violation import Finding
from . import executors
from .cache import INDEX_MIN_FILES, ResultCache, settings_key
from .mapping import FileResult, MapContext
from .merge import merge


KEEP_BYTES = 32 << 20  # bytes read for the cache kept for the map step; beyond, files are read again


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def lint_sources(sources: Sequence[SourceFile], settings: Settings, *, formats: tuple = (),
                 fingerprints: bool = False, jobs: int = 1, cache: ResultCache | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 render: Callable[[Finding], str] | None = None) -> Report:
    """Lint ``sources`` with at most ``jobs`` processes, reusing ``cache`` where files are unchanged;
    ``progress(done, total)`` is called as files are done; ``render`` see ``MapContext``."""
    actives = [settings.for_path(source.relpath) for source in sources]
    whole = not splittable(actives)
    if whole:
        cache, jobs = None, 1
    context = MapContext(settings, formats, fingerprints, render=render, cached=cache is not None)
    results: list[FileResult | None] = [None] * len(sources)
    settings_keys: dict[int, bytes] = {}
    data: dict[int, tuple[bytes, bytes]] = {}
    kept = 0
    use_cache = cache is not None and not cache.empty()
    if cache is not None:
        cache.use_index = len(sources) >= INDEX_MIN_FILES
    # files read for the cache are kept for the map step when it runs in this process
    serial = use_cache and executors.workers_for(jobs, sources) == 0
    for index, source in enumerate(sources):
        if not use_cache:
            break
        if source.error:
            continue
        try:
            digest, content = cache.digest_of(_where(source), settings.config.max_file_size,
                                              settings.config.root, context.real_paths)
        except DocumentError:
            continue
        results[index] = cache.get(_key(cache, source, actives[index], settings, settings_keys, digest),
                                   source.display, source.relpath)
        if results[index] is None and serial and content is not None and kept + len(content) <= KEEP_BYTES:
            data[index] = (content, digest)  # read and hashed once: the map step in this process takes both
            kept += len(content)
    todo = [(index, source) for index, source in enumerate(sources) if results[index] is None]
    done = len(sources) - len(todo)
    if progress is not None and done:
        progress(done, len(sources))
    workers, sizes = executors.plan(jobs, [source for _, source in todo])
    mapped = executors.pool(todo, context, workers, sizes) if workers else executors.serial(todo, context, data)
    fresh = []
    for index, result in mapped:
        results[index] = result
        fresh.append(index)
        if progress is not None:
            done += 1
            progress(done, len(sources))
    for index in fresh if workers else ():
        if not results[index].portable:  # closures: map it again here, where they can be decided
            results[index] = executors.map_file(sources[index], context)
    report = merge(results, settings, context.run_cache, cache)
    if cache is not None:
        for index in sorted(fresh):
            if results[index].digest:
                source = sources[index]
                cache.put(_key(cache, source, actives[index], settings, settings_keys, results[index].digest),
                          results[index], source.display, source.relpath)
                cache.note(_where(source), results[index].digest)
        try:
            cache.save()
        except OSError as exc:  # a read-only or full cache folder: the run's results stand without it
            report = replace(report, notices=(*report.notices, f"results not cached: cannot write "
                                              f"{exc.filename or cache.folder}: {exc.strerror or exc} "
                                              "(give --cache-dir or --no-cache)"))
    return report


def splittable(actives: Sequence[tuple]) -> bool:
    """Whether the run may be mapped file by file in any process and cached: not with a rule
    class that decides in ``finish`` from what its ``check`` saw, nor with remote image checks
    (one checker per run asks each URL once and decides the Deferreds)."""
    seen: set[int] = set()
    for active in actives:
        if id(active) in seen:
            continue
        seen.add(id(active))
        for item in active:
            if item.rule.needs_whole_run_in_one_process or item.options.get("remote") is True:
                return False
    return True


def _key(cache: ResultCache, source: SourceFile, active: tuple, settings: Settings, memo: dict[int, bytes],
         digest: bytes) -> bytes:
    if id(active) not in memo:
        memo[id(active)] = settings_key(active, settings.config.root, settings.config.max_file_size,
                                        settings.config.max_findings_per_rule)
    return cache.key(source.display, source.relpath, memo[id(active)], digest)


def _where(source: SourceFile) -> str:
    """The file's absolute path (what the cache's index of unchanged files is keyed on)."""
    path = str(source.fs_path)
    return path if os.path.isabs(path) else os.path.abspath(path)

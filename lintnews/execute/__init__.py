"""Running a lint over many files: a per-file MAP step, a MERGE step, executors and a cache.

The shape, so that any executor (one process, a pool of processes, a cluster) runs the
same code:

- **map** (``mapping.map_file``): a pure function of one source file (its path, and its
  bytes when the caller already has them) and the run's resolved settings
  (``mapping.MapContext``). It returns a picklable ``FileResult``: the file's own
  findings, and for each summarizing run-scoped rule (``duplicate-article``) a compact
  summary of the file. Findings those rules may give are placeholders (``Ticket``)
  at their final position, so suppressions, baselines and fingerprints treat them like
  any other finding. Nothing in it depends on another file of the run, except through
  ``doc.depends_on`` (an image on disk), which the result records.
- **merge** (``merge.merge``): in the parent, feeds every file's summaries, in run
  order, to each summarizing rule's ``judge``, settles the placeholders and the
  ``Deferred`` findings, and builds the ``Report``.
- **executors** (``executors``): ``serial`` runs the map step in this process; ``pool``
  in worker processes, started only when the work pays for them. Another executor
  needs only to call ``map_file`` on each file with a ``MapContext`` built once per
  worker, and hand the results back in any order, with their index.
- **cache** (``cache.ResultCache``): map results of unchanged files, keyed on the file's
  content hash, its resolved settings and the versions of lintnews and every plugin;
  the merge step always runs, so findings that depend on other files stay right. A cached
  file's settled findings stay encoded until something reads them (``lintnews.encoded``).

A run that cannot be split (a rule class with ``finish``, which must see every document
in one process, or remote image checks, whose verdicts come from one shared checker) is
mapped in this process and not cached.
"""
from __future__ import annotations

from .run import default_jobs, lint_sources

__all__ = ["default_jobs", "lint_sources"]

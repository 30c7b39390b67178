"""lintnews on a Dask cluster: the same map step as a local run, on partitions of a bag.

Install with ``pip install 'lintnews[dask]'``. The local runner (``lintnews.execute``) splits a
run into a per-file map step and a merge step; here the map step runs on Dask workers, the
run-scoped rules' per-file summaries are merged up a tree (``Bag.reduction``), and each
partition settles its own findings with the verdicts. Nothing but summaries and findings
leaves a worker: article text stays where it was read.

- ``check(paths_or_urls, ...)`` → a ``Report``, finding for finding what ``lintnews check``
  gives for the same files (local paths, ``file://`` and any fsspec URL with globs).
- ``lint_bag(bag_of_(path, text_or_bytes), spec)`` → a bag of finding dicts for pipelines:
  filter, aggregate or ``to_dataframe()`` and write Parquet with Dask's own tools.

Workers rebuild the rules from a ``RunSpec`` (configuration file, plugins, selection): on a
remote cluster the workers need lintnews, the plugins and the configuration file installed
at the same paths.
"""
from __future__ import annotations

from .session import check, lint_bag
from .spec import RunSpec

__all__ = ["RunSpec", "check", "lint_bag"]

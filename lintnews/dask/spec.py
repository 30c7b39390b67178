"""The recipe of a run, small and picklable: each Dask worker builds the same rules from it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Config, Settings, load_config
from ..execute.mapping import MapContext
from ..plugins import collect_front_matter_formats


@dataclass(frozen=True)
class RunSpec:
    """What a lint run is, independent of the process that runs it: the configuration file (or
    none) and project root, plugins named besides the configuration's, the rule selection and
    the options the command line forces, and whether findings get fingerprints.

    Workers rebuild the settings from it instead of receiving them pickled: plugins are
    loaded on the worker the same way the command line loads them, so a rule class that
    holds an unpicklable compiled lexicon still works, and a worker missing a plugin says so.
    """

    root: str
    config: str | None = None
    plugins: tuple[str, ...] = ()
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    options: tuple[tuple[str, Any], ...] = ()
    fingerprints: bool = False
    max_file_size: float | None = None  # megabytes, when the command line sets it
    max_findings_per_rule: int | None = None  # as the run has it (the command line may set it)

    @classmethod
    def of(cls, config: Config, plugins=(), select=None, ignore=(), options=None,
           fingerprints: bool = False) -> "RunSpec":
        return cls(str(Path(config.root).resolve()), str(Path(config.path).resolve()) if config.path else None,
                   tuple(plugins), tuple(select) if select else None, tuple(ignore or ()),
                   tuple(sorted((options or {}).items())), fingerprints, config.max_file_size,
                   config.max_findings_per_rule)

    def build(self) -> MapContext:
        """The map context of this recipe: configuration, plugins, settings and front-matter formats."""
        from ..cli import load_plugins  # the command line's own way to load plugins

        config = load_config(Path(self.config) if self.config else None, Path(self.root))
        if self.max_file_size is not None:
            config.max_file_size = self.max_file_size
        if self.max_findings_per_rule is not None:
            config.max_findings_per_rule = self.max_findings_per_rule
        pm, rules = load_plugins(config, list(self.plugins), no_cache=True)
        settings = Settings(config, rules, list(self.select) if self.select else None, list(self.ignore),
                            options=dict(self.options))
        return MapContext(settings, tuple(collect_front_matter_formats(pm)), self.fingerprints)


_contexts: dict[RunSpec, MapContext] = {}


def context(spec: RunSpec) -> MapContext:
    """The map context for ``spec`` in this process, built on first use and kept for later tasks."""
    if spec not in _contexts:
        _contexts.clear()  # one run at a time per worker: a new recipe replaces the old one
        _contexts[spec] = spec.build()
    return _contexts[spec]

"""``lintnews init``: survey a repository (read every article, gather facts) and write a
configuration that fits it. ``site`` detects the generator, ``facts`` reads the articles,
``infer`` turns facts into settings, ``writer`` picks the nearest preset and writes YAML,
``command`` runs them; ``notice`` tells ``lintnews check`` when a run looks like one for init.

``check`` needs the notice alone, so the command and the modules it reads articles with
(whose patterns and tables take milliseconds to load) are imported on first use.
"""
from __future__ import annotations

from .notice import first_run_notice

__all__ = ["InitError", "first_run_notice", "run_init", "survey"]
_COMMAND = ("InitError", "run_init", "survey")


def __getattr__(name: str):
    if name in _COMMAND:
        from . import command

        return getattr(command, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

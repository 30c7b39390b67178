"""Output formats: how a report is written for people and for machines.

Each format is a function ``format(report) -> str`` in a module of its own; ``FORMATS`` maps the
names ``--output-format`` accepts to them, and plugins may add more. A format's module is
imported when the format is first used: a run writes one format, and start-up counts.
"""
from __future__ import annotations

import importlib
from typing import Callable

from .text import format_text, summary, use_color

_MODULES = {"format_github": "github", "format_gitlab": "gitlab", "format_html": "html", "format_json": "json_format",
            "format_junit": "junit", "format_sarif": "sarif"}


def _deferred(function: str) -> Callable:
    """``function`` of its format module, imported on the first call."""
    def format_report(report, *args, **kwargs):
        return (globals().get(function) or __getattr__(function))(report, *args, **kwargs)

    format_report.__name__ = format_report.__qualname__ = function
    return format_report


def __getattr__(name: str):
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    function = getattr(importlib.import_module(f".{_MODULES[name]}", __name__), name)
    globals()[name] = function
    return function


CI_FORMATS: dict[str, Callable] = {
    "github": _deferred("format_github"),
    "gitlab": _deferred("format_gitlab"),
    "junit": _deferred("format_junit"),
    "sarif": _deferred("format_sarif"),
}

FORMATS: dict[str, Callable] = {"text": format_text, "json": _deferred("format_json"),
                                "html": _deferred("format_html"), **CI_FORMATS}


def resolve_format(name: str, environ) -> str:
    """``auto`` is GitHub annotations inside GitHub Actions, and text elsewhere."""
    if name != "auto":
        return name
    return "github" if environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATS else "text"


__all__ = ["CI_FORMATS", "FORMATS", "format_github", "format_gitlab", "format_html", "format_json", "format_junit",
           "format_sarif", "format_text", "resolve_format", "summary", "use_color"]

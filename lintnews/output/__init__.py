"""Output formats: how a report is written for people and for machines.

Each format is a function ``format(report) -> str`` in a module of its own; ``FORMATS`` maps the
names ``--output-format`` accepts to them, and plugins may add more.
"""
from __future__ import annotations

from typing import Callable

from .github import format_github
from .gitlab import format_gitlab
from .html import format_html
from .json_format import format_json
from .junit import format_junit
from .sarif import format_sarif
from .text import format_text, summary, use_color

CI_FORMATS: dict[str, Callable] = {
    "github": format_github,
    "gitlab": format_gitlab,
    "junit": format_junit,
    "sarif": format_sarif,
}

FORMATS: dict[str, Callable] = {"text": format_text, "json": format_json, "html": format_html, **CI_FORMATS}


def resolve_format(name: str, environ) -> str:
    """``auto`` is GitHub annotations inside GitHub Actions, and text elsewhere."""
    if name != "auto":
        return name
    return "github" if environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATS else "text"


__all__ = ["CI_FORMATS", "FORMATS", "format_github", "format_gitlab", "format_html", "format_json", "format_junit",
           "format_sarif", "format_text", "resolve_format", "summary", "use_color"]

"""Option constraints a rule declares next to its defaults, checked when the configuration loads.

``@rule(..., options={"timeout": Option(10.0, between(0.1, 600))})``: a value that breaks the
constraint is a configuration error naming the rule and the option (exit 2), never a crash of
the rule on every file. Each constraint is a function of the value returning what is wrong with
it, or None.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable

from .lazy_re import compile_kept, lazy_compile

Check = Callable[[Any], "str | None"]

# RFC 9110 field names are tokens; values may not hold line breaks or NUL (header injection).
_TOKEN = lazy_compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_BAD_VALUE = lazy_compile(r"[\r\n\x00]")


@dataclass(frozen=True)
class Option:
    """An option's default, the constraint a configured value must meet, and the types it may
    have when not only the default's (``emails: "personal"`` that may also be ``false``)."""

    default: Any
    check: Check | None = None
    types: tuple[type, ...] | None = None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def between(low: float, high: float) -> Check:
    """A finite number from ``low`` to ``high``, both included."""
    def check(value):
        if not math.isfinite(value) or not low <= value <= high:
            return f"must be between {low} and {high}, not {_shown(value)}"
        return None
    return check


def one_of(*choices: Any) -> Check:
    """One of ``choices``."""
    def check(value):
        if value not in choices or type(value) not in {type(choice) for choice in choices}:
            return f"must be one of {', '.join(map(repr, choices))}, not {_shown(value)}"
        return None
    return check


def each(item_check: Check) -> Check:
    """Every item of a list meets ``item_check``."""
    def check(values):
        for value in values:
            problem = item_check(value)
            if problem:
                return f"item {_shown(value)} {problem}"
        return None
    return check


def regex(value: str, groups: tuple[str, ...] = ()) -> str | None:
    """A regular expression that compiles (and has the named ``groups``)."""
    try:
        compiled = compile_kept(value)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"is not a valid regular expression: {exc}"
    missing = [name for name in groups if name not in compiled.groupindex]
    if missing:
        return f"has no group named {', '.join(missing)} ((?P<{missing[0]}>…))"
    return None


def regexes(groups: tuple[str, ...] = (), joined: bool = False) -> Check:
    """A list of regular expressions that compile, each with the named ``groups``; with
    ``joined``, also as one alternation (for a rule that searches for all of them at once)."""
    items = each(lambda value: regex(value, groups))

    def check(values):
        problem = items(values)
        if problem is None and joined and values:
            problem = regex("|".join(f"(?:{value})" for value in values))
            return f"{problem} (the expressions joined with |)" if problem else None
        return problem
    return check


def headers(value: dict) -> str | None:
    """HTTP header names and values: names are tokens, values hold no line break or NUL."""
    for name, text in value.items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            return f"has an invalid header name {_shown(name)}"
        if not isinstance(text, str):
            return f"gives header {name!r} the value {_shown(text)}, which is not text"
        if _BAD_VALUE.search(text):
            return f"gives header {name!r} a value with a line break or NUL, {_shown(text)}"
    return None


def headers_by_host(value: dict) -> str | None:
    """A mapping of host glob to a mapping of HTTP headers."""
    for host, table in value.items():
        if not isinstance(table, dict):
            return f"must map each host glob to a mapping of headers, not {_shown(host)}: {_shown(table)}"
        problem = headers(table)
        if problem:
            return f"for {host!r} {problem}"
    return None


def strings_by_key(value: dict) -> str | None:
    """A mapping of a name (a front-matter key) to a list of strings."""
    for key, items in value.items():
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            return f"must map each key to a list of strings, not {_shown(key)}: {_shown(items)}"
    return None


def split(options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Option]]:
    """The defaults of ``options`` and the declared Options among them."""
    return ({name: value.default if isinstance(value, Option) else value for name, value in options.items()},
            {name: value for name, value in options.items() if isinstance(value, Option)})

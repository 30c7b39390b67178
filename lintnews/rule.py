"""The ``@rule`` decorator and the option validation every rule gets."""
from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from .lazy_re import lazy_compile
from .options import Option, split
from .violation import Severity, Violation

RULES_REFERENCE = "https://github.com/lintnews/lintnews/blob/main/docs/rules.md"
RULE_ID = lazy_compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
CheckFunction = Callable[[Any, dict], Iterator[Violation]]


class OptionError(ValueError):
    """An option value that does not fit the rule's declared option."""


@dataclass(frozen=True)
class Rule:
    """A check function (or a run-scoped rule class) with its id, default severity, option
    defaults and documentation."""

    id: str
    severity: Severity
    options: dict[str, Any]
    check: CheckFunction = field(compare=False)
    plugin: str = ""
    url: str | None = None
    enabled: bool = True  # False: an opt-in rule, off until configuration turns it on
    fix: str = ""  # "safe" or "unsafe" when the rule's violations may carry fixes, "" when they never do
    constraints: dict[str, Option] = field(default_factory=dict, compare=False)  # by option name

    @property
    def docs_url(self) -> str | None:
        """Where the rule is documented: its own ``url``, or the project's rule reference."""
        if self.url:
            return self.url
        if self.plugin.startswith("lintnews."):
            return f"{RULES_REFERENCE}#{self.id}"
        return None

    @property
    def run_scoped(self) -> bool:
        """True for a rule class: one instance per run (and option set) sees every document."""
        return inspect.isclass(self.check)

    @property
    def summarizes(self) -> bool:
        """True for a rule class that summarizes each document in the map step and judges the
        merged summaries (``summarize`` and ``judge``; see ``lintnews.execute``)."""
        return self.run_scoped and callable(getattr(self.check, "summarize", None)) \
            and callable(getattr(self.check, "judge", None))

    @property
    def needs_whole_run_in_one_process(self) -> bool:
        """True for a rule class with ``check`` that may keep state across documents (and decide
        it in ``finish`` or a Deferred): it must see every document in one process, so the run
        is not split. A class whose instance holds only what ``__init__`` compiled (a lexicon)
        says so with ``per_file = True`` and runs in every process."""
        return self.run_scoped and not self.summarizes and not getattr(self.check, "per_file", False)

    def start(self, options: dict[str, Any], root) -> Callable[[Any], Iterator[Violation]]:
        """What checks one document with ``options``: the function itself, or the ``check``
        method (``summarize`` for a summarizing rule) of a new instance of a rule class (which
        may raise OptionError)."""
        if self.run_scoped:
            instance = self.check(options, root)
            return instance.summarize if self.summarizes else instance.check
        check = self.check
        return lambda doc: check(doc, options)

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.split("\n\n", 1)[0].replace("\n", " ").strip()

    def resolve_options(self, given: dict[str, Any]) -> dict[str, Any]:
        """Merge ``given`` over the defaults, rejecting unknown names and wrong types."""
        merged = dict(self.options)
        for name, value in given.items():
            if name not in self.options:
                known = ", ".join(sorted(self.options)) or "none"
                raise OptionError(f"unknown option {name!r} for rule {self.id!r} (known: {known})")
            merged[name] = _check_value(self, name, value)
        return merged


FIX_KINDS = ("", "safe", "unsafe")


def rule(rule_id: str, *, severity: str = "warning", options: dict[str, Any] | None = None,
         url: str | None = None, enabled: bool = True, fix: str = ""):
    """Turn a generator function ``check(doc, options)`` into a :class:`Rule`.

    The function's docstring is the rule's user documentation; the types of the
    option defaults are the types that configuration must give; ``url`` is where the
    rule's documentation lives online; ``enabled=False`` makes it opt-in. A default
    wrapped in ``lintnews.Option(default, check)`` declares a constraint (a range, a
    regular expression that compiles, header names…, see ``lintnews.options``)
    checked when the configuration loads. ``fix`` declares that the rule's violations may
    carry edits that fix them: ``"safe"`` when a fix only removes clutter a reader does not
    miss (``lintnews check --fix`` applies it), ``"unsafe"`` when it changes what a reader
    sees (applied only with ``--unsafe-fixes``).

    A class works too, for rules that keep state over a run (a compiled lexicon, an
    index of every article): ``__init__(self, options, root)`` runs once per run and
    option set, before any file is read, and may raise ``OptionError`` for a bad
    setting (a one-line error); ``check(self, doc)`` then sees each document in turn,
    and ``finish(self)``, if defined, runs after the last one. A verdict that needs
    every document (a duplicate elsewhere in the repository) is a ``Deferred``,
    decided after ``finish``.
    """
    if not RULE_ID.match(rule_id):
        raise ValueError(f"rule id {rule_id!r} is not kebab-case")
    level = Severity.parse(severity)
    if fix not in FIX_KINDS:
        raise ValueError(f"rule {rule_id!r}: fix must be 'safe', 'unsafe' or '', not {fix!r}")

    def decorate(check: CheckFunction) -> Rule:
        if not check.__doc__:
            raise ValueError(f"rule {rule_id!r} has no docstring to document it")
        if inspect.isclass(check) and not callable(getattr(check, "check", None)) \
                and not (callable(getattr(check, "summarize", None)) and callable(getattr(check, "judge", None))):
            raise ValueError(f"rule class {rule_id!r} has no check(self, doc) method (nor summarize and judge)")
        defaults, constraints = split(dict(options or {}))
        made = Rule(rule_id, level, defaults, check, url=url, enabled=enabled, fix=fix, constraints=constraints)
        for name in constraints:  # a default that breaks its own constraint is the plugin's bug
            try:
                _check_value(made, name, defaults[name])
            except OptionError as exc:
                raise ValueError(f"rule {rule_id!r}: its default {exc}") from None
        return made

    return decorate


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def _check_value(rule: Rule, name: str, value: Any) -> Any:
    """``value`` if it has the option's type and meets its declared constraint."""
    declared = rule.constraints.get(name)
    value = _check_type(rule.id, name, value, rule.options[name], declared.types if declared else None)
    problem = declared.check(value) if declared is not None and declared.check is not None else None
    if problem:
        raise OptionError(f"option {name!r} of rule {rule.id!r} {problem}")
    return value


def _check_type(rule_id: str, name: str, value: Any, default: Any, types: tuple[type, ...] | None = None) -> Any:
    where = f"option {name!r} of rule {rule_id!r}"
    if types is not None:
        if not isinstance(value, types) or isinstance(value, bool) and bool not in types:
            raise OptionError(f"{where} must be {' or '.join(_type_name(kind()) for kind in types)}, not {value!r}")
        return value
    if default is None:
        return value
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and not math.isfinite(value):
            raise OptionError(f"{where} must be a finite number, not {value!r}")
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise OptionError(f"{where} must be {_type_name(default)}, not {value!r}")
    if isinstance(default, list):
        kinds = {type(item) for item in default} or {str}
        for item in value:
            if type(item) not in kinds:
                expected = " or ".join(sorted(_type_name(k()) for k in kinds))
                raise OptionError(f"{where}: item {item!r} must be {expected}")
    return value

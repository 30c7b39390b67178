"""Configuration: finding ``.lintnews.yaml`` or ``[tool.lintnews]``, and validating it against the rules."""
from __future__ import annotations

import json
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from . import presets
from .reading import DEFAULT_MAX_FILE_SIZE, MB
from .rule import OptionError, Rule
from .lazy_re import lazy_compile
from .violation import Severity

CONFIG_NAMES = (".lintnews.yaml", ".lintnews.yml")
TOP_LEVEL_KEYS = ("disable-plugins", "exclude", "extends", "fail-on", "max-file-size", "max-findings-per-rule",
                  "overrides", "plugins", "respect-gitignore", "rules")
# levels of lists and mappings a configuration may nest: real settings use under ten, and
# validating and merging them recurses, as reading them does
MAX_DEPTH = 64
# findings of one rule in one file listed at most (0: all); an article written to trip a rule on
# every character would give hundreds of thousands, a report no one reads and hundreds of MB
DEFAULT_MAX_FINDINGS_PER_RULE = 500


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class ActiveRule:
    """A rule as configured for one file: its severity, merged options, and ``check(doc)``
    (the rule's function with those options, or the method of its run's instance)."""

    rule: Rule
    severity: Severity
    options: dict[str, Any]
    check: Callable = field(compare=False, repr=False, default=None)
    severity_set: bool = False  # configured by the user: it wins over a violation's own severity


@dataclass
class Config:
    """What the configuration file says, checked for shape but not yet against the rules."""

    path: Path | None
    root: Path
    exclude: list[str] = field(default_factory=list)
    rules: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_on: Severity | None = None
    plugins: list[str] = field(default_factory=list)
    disable_plugins: list[str] = field(default_factory=list)
    max_file_size: float = DEFAULT_MAX_FILE_SIZE  # megabytes; a larger file is reported, not linted
    max_findings_per_rule: int = DEFAULT_MAX_FINDINGS_PER_RULE  # per file; the rest summed up in one (0: no limit)
    respect_gitignore: bool = True  # skip what git ignores when searching folders (see files.discover)

    @property
    def source(self) -> str:
        return str(self.path) if self.path else "command line"


def find_config(start: Path, read: bool = True) -> tuple[Path | None, Path]:
    """The config file found walking up from ``start`` to the repository root, and the project
    root; with ``read=False`` no file is looked at, and the root is the repository's."""
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES if read else ():
            if (folder / name).is_file():
                return folder / name, folder
            _refuse_unreadable(folder / name)
        pyproject = folder / "pyproject.toml"
        if read and pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject, folder
        if (folder / ".git").exists():
            return None, folder
    return None, start


def load_config(path: Path | None, root: Path) -> Config:
    """Read and shape-check a config file (``None``: the defaults)."""
    if path is None:
        return Config(None, root)
    data = _read(path)
    config = Config(path, root)
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            raise ConfigError(f"{path}: unknown key {key!r} (known: {', '.join(TOP_LEVEL_KEYS)})")
    if "extends" in data:
        data = _extended(path, data)
    config.exclude = _string_list(path, "exclude", data.get("exclude", []))
    for pattern in config.exclude:
        _glob(path, "exclude", pattern)
    config.plugins = _string_list(path, "plugins", data.get("plugins", []), "module names or paths")
    config.disable_plugins = _string_list(path, "disable-plugins", data.get("disable-plugins", []), "plugin names")
    config.rules = _mapping(path, "rules", data.get("rules") or {})
    overrides = _mapping(path, "overrides", data.get("overrides") or {})
    for glob, settings in overrides.items():
        _glob(path, "overrides", str(glob))
        config.overrides[str(glob)] = _mapping(path, f"overrides.{glob}", settings or {})
    if data.get("fail-on") is not None:
        config.fail_on = _severity(path, "fail-on", data["fail-on"])
    if "max-file-size" in data:
        config.max_file_size = file_size(f"{path}: max-file-size", data["max-file-size"])
    if "max-findings-per-rule" in data:
        config.max_findings_per_rule = findings_limit(f"{path}: max-findings-per-rule", data["max-findings-per-rule"])
    if "respect-gitignore" in data:
        if type(data["respect-gitignore"]) is not bool:
            raise ConfigError(f"{path}: respect-gitignore must be true or false, not {data['respect-gitignore']!r:.40}")
        config.respect_gitignore = data["respect-gitignore"]
    return config


# the largest max-file-size: its bytes must be a whole number a file's size can be compared with
# (1e308 MB overflows when counted in bytes); 8 million TB is no limit on any disk
MAX_FILE_SIZE = float((2 ** 63 - 1) // MB)


def file_size(where: str, value: Any) -> float:
    """A size in megabytes: a positive number, at most ``MAX_FILE_SIZE``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= MAX_FILE_SIZE:
        try:
            shown = repr(value) if len(repr(value)) <= 40 else f"{repr(value)[:37]}..."
        except ValueError:  # an int of more digits than Python writes out
            shown = "a number of thousands of digits"
        raise ConfigError(f"{where}: must be a number of megabytes above 0 and at most {MAX_FILE_SIZE:.0f}, "
                          f"not {shown}")
    return float(value)


def findings_limit(where: str, value: Any) -> int:
    """A number of findings: a whole number, 0 for no limit."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where}: must be a whole number of findings, 0 for no limit, not {value!r}")
    return value


class Settings:
    """The configuration validated against the loaded rules, answering "which rules, how, for this file"."""

    def __init__(self, config: Config, rules: dict[str, Rule],
                 select: list[str] | None = None, ignore: list[str] | None = None,
                 options: dict[str, Any] | None = None) -> None:
        """``options`` (from command-line flags) set these options on every rule that has them,
        over the configuration, without turning any rule on or off."""
        self.config = config
        self.rules = rules
        for rule_id in [*(select or []), *(ignore or [])]:
            if rule_id not in rules:
                raise ConfigError(f"command line: unknown rule {rule_id!r}{_suggest(rule_id, rules)}")
        self._select = set(select) if select else None
        self._ignore = set(ignore or ())
        self._base = {rule_id: self._apply(rule, {}, "", rule_id) for rule_id, rule in rules.items()}
        for rule_id, setting in config.rules.items():
            self._base[rule_id] = self._setting(self._base, f"{config.source}: rules", rule_id, setting)
        self._forced = dict(options or {})
        for rule_id, state in self._base.items():
            self._force(rule_id, state)
        self._overrides = []
        for glob, settings in config.overrides.items():
            where = f"{config.source}: overrides.{glob}"
            for rule_id, setting in settings.items():
                state = self._setting(self._base, where, rule_id, setting)  # validate now, apply per file
                if self.rules[rule_id].run_scoped and state["options"] != self._base[rule_id]["options"]:
                    raise ConfigError(f"{where}.{rule_id}: a rule that sees the whole run takes its options "
                                      "once, under rules:; overrides may set only its severity or enabled")
            self._overrides.append((glob_regex(glob), settings, where))
        self._cache: dict[tuple[int, ...], tuple[ActiveRule, ...]] = {}
        self._checks: dict[tuple[str, str], Callable] = {}
        for rule_id, state in self._base.items():  # run-scoped rules start now: bad settings fail early
            if self.rules[rule_id].run_scoped and self._runs(rule_id, state):
                self._check(rule_id, state["options"])

    def for_path(self, relpath: str) -> tuple[ActiveRule, ...]:
        """The enabled rules for a file at ``relpath`` (POSIX, relative to the project root)."""
        matching = tuple(i for i, (regex, _, _) in enumerate(self._overrides) if regex.match(relpath)) \
            if self._overrides else ()
        if matching not in self._cache:
            current = dict(self._base)
            off_here = set()  # turned off for these files by an override: --select does not run them here
            for i in matching:
                _, settings, where = self._overrides[i]
                for rule_id, setting in settings.items():
                    current[rule_id] = self._force(rule_id, self._setting(current, where, rule_id, setting))
                    (off_here.discard if current[rule_id]["enabled"] else off_here.add)(rule_id)
            self._cache[matching] = tuple(
                ActiveRule(self.rules[rule_id], state["severity"], state["options"],
                           self._check(rule_id, state["options"]), state.get("severity_set", False))
                for rule_id, state in current.items() if self._runs(rule_id, state) and rule_id not in off_here)
        return self._cache[matching]

    def describe(self, relpath: str) -> dict[str, Any]:
        """What applies to a file at ``relpath``, as ``--show-settings`` prints it: the override
        globs that match it, in order, each rule that runs with its severity and options, and
        the ids of those that do not."""
        active = self.for_path(relpath)
        return {
            "overrides": [glob for glob, (regex, _, _) in zip(self.config.overrides, self._overrides)
                          if regex.match(relpath)],
            "rules": {item.rule.id: {"severity": str(item.severity),
                                     "options": json.loads(json.dumps(item.options, default=str))}
                      for item in active},
            "disabled": sorted(set(self.rules) - {item.rule.id for item in active}),
        }

    def _check(self, rule_id: str, options: dict[str, Any]) -> Callable:
        """The check for ``rule_id`` with ``options``: one per option set, so a rule class
        has one instance per run however many files share its settings."""
        key = (rule_id, json.dumps(options, sort_keys=True, default=repr))
        if key not in self._checks:
            rule = self.rules[rule_id]
            try:
                self._checks[key] = rule.start(options, self.config.root)
            except OptionError as exc:
                raise ConfigError(f"{self.config.source}: rules.{rule_id}: {exc}") from None
            except (Exception, SystemExit) as exc:  # a plugin's bug, not the user's setting
                raise ConfigError(f"rule {rule_id!r} from plugin {rule.plugin!r} failed to start: "
                                  f"{type(exc).__name__}: {exc}") from None
        return self._checks[key]

    def judges(self) -> dict[str, tuple[Any, str]]:
        """rule id → (instance, options as JSON) of each summarizing rule of the run (its
        ``judge`` merges the summaries)."""
        return {rule_id: (check.__self__, options) for (rule_id, options), check in self._checks.items()
                if self.rules[rule_id].summarizes}

    def finishers(self) -> list[tuple[str, Callable]]:
        """(rule id, ``finish``) of each run-scoped rule instance that has one."""
        found = []
        for (rule_id, _), check in self._checks.items():
            finish = getattr(getattr(check, "__self__", None), "finish", None)
            if finish is not None:
                found.append((rule_id, finish))
        return found

    def _force(self, rule_id: str, state: dict) -> dict:
        forced = {key: value for key, value in self._forced.items() if key in self.rules[rule_id].options}
        if forced:
            state["raw"] = {**state["raw"], **forced}
            state["options"] = self.rules[rule_id].resolve_options(state["raw"])
        return state

    def _runs(self, rule_id: str, state: dict) -> bool:
        if rule_id in self._ignore:
            return False
        if self._select is not None:
            return rule_id in self._select
        return state["enabled"]

    def _setting(self, current: dict, where: str, rule_id: Any, setting: Any) -> dict:
        if rule_id not in self.rules:
            raise ConfigError(f"{where}: unknown rule {rule_id!r}{_suggest(str(rule_id), self.rules)}")
        if isinstance(setting, bool):
            setting = {"enabled": setting}
        elif isinstance(setting, str):
            setting = {"enabled": False} if setting == "off" else {"severity": setting}
        elif not isinstance(setting, dict):
            raise ConfigError(f"{where}.{rule_id}: must be a mapping, true/false or a severity, not {setting!r}")
        return self._apply(self.rules[rule_id], setting, where, rule_id, current.get(rule_id))

    @staticmethod
    def _apply(rule: Rule, setting: dict, where: str, rule_id: str, previous: dict | None = None) -> dict:
        """Layer ``setting`` over ``previous``; a mapping turns the rule on unless it says otherwise."""
        state = dict(previous) if previous else {"severity": rule.severity, "raw": {}}
        state["enabled"] = True if setting or previous else rule.enabled  # opt-in rules start off
        raw = dict(state["raw"])
        for key, value in setting.items():
            if key == "enabled":
                if not isinstance(value, bool):
                    raise ConfigError(f"{where}.{rule_id}.enabled: must be true or false, not {value!r}")
                state["enabled"] = value
            elif key == "severity":
                state["severity"] = _severity(where, f"{rule_id}.severity", value)
                state["severity_set"] = True
            else:
                raw[key] = value
        try:
            state["options"] = rule.resolve_options(raw)
        except OptionError as exc:
            raise ConfigError(f"{where}.{rule_id}: {exc}") from None
        state["raw"] = raw
        return state


def glob_regex(pattern: str) -> re.Pattern | _GlobMachine:
    """A gitignore-style glob: ``**`` spans folders, a pattern without ``/`` matches at any depth,
    and a pattern that names a folder matches everything inside it. Its ``match(path)`` is None
    where the path misses it, as a regular expression's is (and a bad ``[z-a]`` raises
    ``re.error``). Where the expression would hold more than two of ``.*``, ``[^/]*`` and
    ``(?:.*/)?``, it is a ``_GlobMachine`` instead: Python's matcher tries every way of sharing
    a path among them, a power of its length ("**a**a**a**a**b" against a name of sixty
    characters ran for minutes), where the machine reads the path once."""
    regex, tokens = glob_parts(pattern)
    if sum(token in (_DIRS, _ANY, _WITHIN) for token in tokens) <= 2:
        return regex
    return _GlobMachine(tokens)


def glob_parts(pattern: str) -> tuple[re.Pattern, list[str]]:
    """``glob_regex``'s regular expression for ``pattern``, and its parts as ``_GlobMachine``
    reads them."""
    text = pattern.strip()
    anchored = "/" in text.rstrip("/")
    text = text.strip("/")
    out, tokens, i = [], [] if anchored else [_DIRS], 0
    while i < len(text):
        if text.startswith("**/", i):
            out.append("(?:.*/)?")
            tokens.append(_DIRS)
            i += 3
        elif text.startswith("**", i):
            out.append(".*")
            tokens.append(_ANY)
            i += 2
        elif text[i] == "*":
            out.append("[^/]*")
            tokens.append(_WITHIN)
            i += 1
        elif text[i] == "?":
            out.append("[^/]")
            tokens.append("[^/]")
            i += 1
        elif text[i] == "[" and "]" in text[i + 2:]:
            close = text.index("]", i + 2)
            body = text[i + 1:close]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            tokens.append(out[-1])
            i = close + 1
        else:
            out.append(re.escape(text[i]))
            tokens.append(out[-1])
            i += 1
    # (``.`` takes in a line break too: a file's name may hold one, and "drafts/**" takes that file in)
    return _compiled(("" if anchored else "(?:.*/)?") + "".join(out) + r"(?:/.*)?\Z"), tokens


def _compiled(expression: str) -> re.Pattern:
    """``expression`` compiled as it always was, without the warning Python prints for a glob's
    class that a later Python may read as a set operation ("[[:alpha:]]", "[+--]"): a
    traceback's line about lintnews's own code, not about the glob, above the run's output."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return re.compile(expression, re.DOTALL)


_DIRS, _ANY, _WITHIN = "(?:.*/)?", ".*", "[^/]*"


class _GlobMachine:
    """``glob_regex``'s expression read as the set of its places a path so far can reach, a
    bit each, carried along the path a character at a time. Its tokens are the expression's
    parts: ``_DIRS``, ``_ANY`` and ``_WITHIN`` (each a place that a character may stay in,
    and that may be passed by taking in none) and the one-character expressions (a place
    that one character matching it leaves for the next). After them, the place of the
    whole glob's end, which a "/" leaves for a last place that takes in anything: the
    expression's ``(?:/.*)?\\Z``."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        end = len(tokens)
        self.stars = sum(1 << place for place, token in enumerate(tokens) if token in (_ANY, _WITHIN)) | 2 << end
        self.dirs = sum(1 << place for place, token in enumerate(tokens) if token == _DIRS)
        self.accept = 3 << end
        self.masks: dict[str, tuple[int, int]] = {}  # character → (places it stays in, places it leaves)
        self.steps: dict[int, dict[str, int]] = {}  # places → character → the places it leads to
        self.start = self._closed(0, 1)

    def _masks(self, character: str) -> tuple[int, int]:
        masks = self.masks.get(character)
        if masks is None:
            stay = step = 0
            for place, token in enumerate(self.tokens):
                if token in (_DIRS, _ANY) or token == _WITHIN and character != "/":
                    stay |= 1 << place
                if token == _DIRS and character == "/" or token not in (_DIRS, _ANY, _WITHIN) \
                        and _compiled(token).fullmatch(character):
                    step |= 1 << place
            end = len(self.tokens)
            stay |= 2 << end  # the last place takes in anything
            if character == "/":
                step |= 1 << end
            masks = self.masks[character] = (stay, step)
        return masks

    def _closed(self, stayed: int, entered: int) -> int:
        """The places ``stayed`` in and ``entered``, with those reached from them by taking in
        nothing: past a star wherever it is, past ``(?:.*/)?`` only where it is entered (what
        it has taken in must end in "/"); a place reached so is entered."""
        entered |= (stayed & self.stars) << 1
        while more := (entered & (self.stars | self.dirs)) << 1 & ~entered:
            entered |= more
        return stayed | entered

    def match(self, path: str) -> bool | None:
        """True where ``path`` matches, else None."""
        return True if self._run(self.start, path) & self.accept else None

    def _run(self, states: int, text: str) -> int:
        # each step is looked up once worked out (a glob's sets of places are few): a dictionary
        # lookup a character, some thirty times faster than working the step out again
        steps = self.steps
        for character in text:
            row = steps.get(states)
            if row is None:
                if len(steps) >= 10_000:  # (a glob made to have more: its steps worked out again)
                    steps.clear()
                row = steps[states] = {}
            reached = row.get(character)
            if reached is None:
                stay, step = self._masks(character)
                reached = row[character] = self._closed(states & stay, (states & step) << 1)
            states = reached
            if not states:
                return 0
        return states


def _read(path: Path) -> dict:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    if path.name == "pyproject.toml":
        data = _tool_table(path, raw)
        where = f"{path}: [tool.lintnews]"
    else:
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            problem = getattr(exc, "problem", None) or exc
            raise ConfigError(f"{path}: not valid YAML{at}: {problem}") from None
        except RecursionError:
            raise ConfigError(f"{path}: nests deeper than {MAX_DEPTH} levels") from None
        except ValueError:  # an int of more digits than Python reads (4,300)
            raise ConfigError(f"{path}: holds a number of thousands of digits") from None
        where = str(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: must be a mapping of settings, not {type(data).__name__}")
    if _deeper_than(MAX_DEPTH, data):
        raise ConfigError(f"{where}: nests deeper than {MAX_DEPTH} levels")
    return data


def _deeper_than(levels: int, data: dict) -> bool:
    """Whether lists and mappings nest in ``data`` (itself the first level) deeper than
    ``levels``, or in a loop (an alias inside what it names). Each list or mapping is read
    once however many aliases share it (a few lines of aliases stand for billions of values),
    its height kept; with a stack of its own, not recursion."""
    heights: dict[int, int] = {}
    open_: set[int] = set()  # the containers being read: the ancestors of what is read next
    stack: list = [(data, False)]
    while stack:
        value, read = stack.pop()
        key = id(value)
        inside = [item for item in (value.values() if isinstance(value, dict) else value)
                  if isinstance(item, (dict, list))]
        if read:
            open_.discard(key)
            heights[key] = 1 + max((heights[id(item)] for item in inside), default=0)
            if heights[key] > levels:
                return True
            continue
        if key in heights:
            continue
        if key in open_:
            return True
        open_.add(key)
        stack.append((value, True))
        stack.extend((item, False) for item in inside if id(item) not in heights)
    return False


def _glob(path: Path, key: str, pattern: str) -> None:
    """A glob that cannot be matched (``[z-a]``) is an error naming the key, not a crash later."""
    try:
        glob_regex(pattern)
    except re.error as exc:
        raise ConfigError(f"{path}: {key}: bad glob {pattern!r}: {exc.msg}") from None


def _extended(path: Path, data: dict) -> dict:
    """``data`` laid over the presets it names in ``extends`` (a name or a list, in order)."""
    names = data["extends"]
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ConfigError(f"{path}: extends: must be a preset name or a list of them, not {data['extends']!r}")
    merged: dict = {}
    for name in names:
        try:
            merged = merge_settings(merged, presets.load(name))
        except KeyError:
            raise ConfigError(f"{path}: extends: unknown preset {name!r} "
                              f"(known: {', '.join(presets.names())})") from None
    return merge_settings(merged, {key: value for key, value in data.items() if key != "extends"})


def merge_settings(base: dict, top: dict) -> dict:
    """Configuration ``top`` laid over ``base``: lists of globs and plugins add up, each rule's
    setting is layered over the base's (a mapping that does not say ``enabled`` turns the rule
    on, as it does alone), overrides likewise per glob, and ``fail-on`` is replaced."""
    merged = {**base, **top}
    for key in ("exclude", "plugins", "disable-plugins"):
        if key in base and key in top:
            merged[key] = [*_as_list(base[key]), *_as_list(top[key])]
    if isinstance(base.get("rules"), dict) and isinstance(top.get("rules"), dict):
        merged["rules"] = _merge_rules(base["rules"], top["rules"])
    if isinstance(base.get("overrides"), dict) and isinstance(top.get("overrides"), dict):
        merged["overrides"] = dict(base["overrides"])
        for glob, settings in top["overrides"].items():
            below = merged["overrides"].get(glob)
            both = isinstance(below, dict) and isinstance(settings, dict)
            merged["overrides"][glob] = _merge_rules(below, settings) if both else settings
    return merged


def _merge_rules(base: dict, top: dict) -> dict:
    merged = dict(base)
    for rule_id, setting in top.items():
        below, above = _as_mapping(merged.get(rule_id)), _as_mapping(setting)
        if below is None or above is None:
            merged[rule_id] = setting  # left for the validation to judge
            continue
        layered = {**below, **above}
        if "enabled" not in above and above:
            layered.pop("enabled", None)  # a mapping turns the rule on unless it says otherwise
        merged[rule_id] = layered or setting
    return merged


def _as_mapping(setting: Any) -> dict | None:
    """A rule setting in its mapping form (``false`` → ``{enabled: false}``, ``info`` → ``{severity: info}``)."""
    if isinstance(setting, bool):
        return {"enabled": setting}
    if isinstance(setting, str):
        return {"enabled": False} if setting == "off" else {"severity": setting}
    return dict(setting) if isinstance(setting, dict) else None


def _as_list(value: Any) -> list:
    return [value] if isinstance(value, str) else list(value) if isinstance(value, list) else [value]


def _refuse_unreadable(candidate: Path) -> None:
    """A config file's name taken by what cannot be read as one (a symlink to nothing, a
    folder, a FIFO) is an error: passed over, the repository's settings would silently be
    the defaults."""
    if candidate.is_symlink() and not candidate.exists():
        raise ConfigError(f"{candidate}: cannot read configuration: a symlink to {os.readlink(candidate)}, "
                          "which leads to no file")
    if candidate.exists():
        raise ConfigError(f"{candidate}: cannot read configuration: not a regular file")


def _has_tool_table(pyproject: Path) -> bool:
    """Whether ``pyproject`` holds a ``tool.lintnews`` table, however TOML spells it (``[tool]``
    with ``lintnews = {…}`` or ``lintnews.key = …``, quoted or spaced keys). Most Python
    projects have a pyproject.toml of other tools' settings (some list lintnews among their
    dependencies), passed over, even broken; one whose lines name lintnews as a key and that
    cannot be read, decoded or parsed is an error, not the defaults."""
    try:
        raw = pyproject.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{pyproject}: cannot read configuration: {exc.strerror or exc}") from None
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # a UTF-16 text (saved so by an editor on Windows): no TOML at all
        if b"lintnews" in raw.decode("utf-16", "replace").encode("utf-8", "replace"):
            raise ConfigError(f"{pyproject}: cannot read configuration: the file is UTF-16, and TOML is UTF-8 "
                              "(save it as UTF-8)")
        return False
    named = _LINTNEWS_KEY.search(raw) is not None
    # a quoted key may spell the name in \u or \U escapes: such a file is parsed too, and passed
    # over if broken (tomllib's import alone costs a run milliseconds: most files are not parsed)
    if not named and b"\\u" not in raw and b"\\U" not in raw:
        return False
    try:
        return _tool_table(pyproject, raw.decode("utf-8")) is not None
    except UnicodeDecodeError as exc:
        if named:
            raise ConfigError(f"{pyproject}: cannot read configuration: {exc}") from None
    except ConfigError:
        if named:
            raise
    return False


# a line that names lintnews as a key or table: "[tool.lintnews]", "[ tool . 'lintnews' ]",
# "lintnews = {…}" or "lintnews.fail-on = …" under [tool], "tool.lintnews.fail-on = …"; not a
# dependency ("lintnews>=1") or the name in a string
_LINTNEWS_KEY = lazy_compile(rb"""(?m)^[ \t]*(?:\[[ \t]*)?(?:tool[ \t]*\.[ \t]*)?(?:lintnews|"lintnews"|'lintnews')"""
                             rb"""[ \t]*[.=\]]""")


def _tool_table(pyproject: Path, text: str) -> Any:
    """The value of ``tool.lintnews`` in a pyproject.toml's text, or None (TOML has no null)."""
    import tomllib  # only a pyproject.toml needs it

    try:
        tool = tomllib.loads(text).get("tool")
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{pyproject}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{pyproject}: nests deeper than {MAX_DEPTH} levels") from None
    except ValueError:  # an int of more digits than Python reads (4,300)
        raise ConfigError(f"{pyproject}: holds a number of thousands of digits") from None
    return tool.get("lintnews") if isinstance(tool, dict) else None


def _mapping(path: Path, key: str, value: Any) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {key}: must be a mapping, not {value!r}")
    return value


def _string_list(path: Path, key: str, value: Any, what: str = "glob patterns") -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: {key}: must be a list of {what}, not {value!r}")
    return value


def _severity(where: Any, key: str, value: Any) -> Severity:
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {key}: {exc}") from None


def _suggest(name: str, rules: dict) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(rules), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""

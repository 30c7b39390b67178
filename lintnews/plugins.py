"""Building the plugin manager for one run and collecting what its plugins offer.

Plugins come from three places: installed distributions (the ``lintnews`` entry-point
group, through which the built-in rules arrive too), the config's ``plugins:`` list
and ``--plugin`` on the command line (a module name, or a path to a ``.py`` file or a
package). A plugin that cannot be loaded is an error that names it: a moderation gate
must not run with a silent gap.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
import types
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Callable, Collection, Iterable, NamedTuple, Sequence

import pluggy

from . import hookspecs
from .rule import Rule

ENTRY_POINT_GROUP = "lintnews"
BUILTIN_DISTRIBUTION = "lintnews"
AUTOLOAD_VARIABLE = "LINTNEWS_DISABLE_PLUGIN_AUTOLOAD"
# what pluggy may take a hook implementation from
_HOOKABLE = (types.FunctionType, types.MethodType, staticmethod, classmethod)


class PluginError(Exception):
    """A plugin that cannot be loaded or that offers something broken."""


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, remembering where each plugin came from (for ``lintnews plugins``)."""

    def __init__(self) -> None:
        super().__init__("lintnews")
        self.add_hookspecs(hookspecs)
        self.origins: dict[str, str] = {}
        self._marker = f"{self.project_name}_impl"

    def add(self, plugin: object, name: str, origin: str) -> None:
        if self.is_registered(plugin):
            return
        if self.get_plugin(name) is not None:
            raise PluginError(f"two plugins are called {name!r}: {self.origins.get(name)} and {origin}")
        try:
            self.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:  # a hook whose arguments do not fit its spec
            raise PluginError(f"plugin {name!r}: {' '.join(str(exc).split())}") from None
        self.origins[name] = origin

    def parse_hookimpl_opts(self, plugin: object, name: str):
        """pluggy's answer, without its static look-up of every module attribute that is
        no marked function (a rule module's patterns and constants, its imports)."""
        if type(plugin) is types.ModuleType:  # a subclass may hold hooks in its class
            value = plugin.__dict__.get(name)
            if isinstance(value, types.FunctionType) and self._marker not in value.__dict__ \
                    or not isinstance(value, _HOOKABLE):
                return None
        return super().parse_hookimpl_opts(plugin, name)


def _autoload(value: str) -> bool:
    """Whether LINTNEWS_DISABLE_PLUGIN_AUTOLOAD set to ``value`` leaves installed plugins on: read
    as a yes or no, as it reads; "false" turning them off in silence would drop a house rule."""
    word = value.strip().lower()
    if word in ("", "0", "false", "no", "off"):
        return True
    if word in ("1", "true", "yes", "on"):
        return False
    raise PluginError(f"{AUTOLOAD_VARIABLE}={value!r} is neither yes (1, true, yes, on) nor no (0, false, no, off)")


def plugin_manager(extra: Iterable[tuple[str, object]] = (), local: Sequence[str] = (),
                   search: Sequence[Path] = (), disabled: Collection[str] = (),
                   environ=os.environ, source: str = "config", entry_point_index: Path | None = None
                   ) -> PluginManager:
    """A fresh manager for one run, never a global.

    Registered: the built-in rules; installed plugins, unless ``environ`` sets
    LINTNEWS_DISABLE_PLUGIN_AUTOLOAD or ``disabled`` names them (by entry-point or
    distribution name); the ``local`` plugins (module names looked up in ``search``
    and the current folder, or paths); and ``extra`` (name, module) pairs.
    ``source`` names the config file in messages about ``disabled``; ``entry_point_index``
    is the folder where the installed plugins' entry points are remembered between runs.
    """
    pm = PluginManager()
    autoload = _autoload(environ.get(AUTOLOAD_VARIABLE, ""))
    seen: set[str] = set()
    builtins: set[str] = {BUILTIN_DISTRIBUTION}
    for entry_point in installed_entry_points(entry_point_index):
        dist = entry_point.dist
        builtin = dist == BUILTIN_DISTRIBUTION
        (builtins if builtin else seen).update((entry_point.name, dist))
        if not builtin and (not autoload or entry_point.name in disabled or dist in disabled):
            continue
        try:
            plugin = entry_point.load()
        except (Exception, SystemExit) as exc:  # a plugin may fail in any way at import; name it
            raise PluginError(f"plugin {entry_point.name!r} (from {dist}) failed to load: "
                              f"{type(exc).__name__}: {exc}") from None
        version = entry_point.version
        if builtin:
            pm.add(plugin, f"lintnews.{entry_point.name}", f"lintnews {version} (built-in)")
        else:
            pm.add(plugin, f"{dist}:{entry_point.name}", f"{dist} {version}")
    for name in disabled:
        if name in builtins or name.startswith("lintnews."):
            raise PluginError(f"{source}: disable-plugins: {name!r} is built in; turn its rules off instead")
        if name not in seen:
            raise PluginError(f"{source}: disable-plugins: no installed plugin is called {name!r}")
    for spec in local:
        name, plugin, origin = _load_local(spec, search)
        pm.add(plugin, name, origin)
    for name, plugin in extra:
        pm.add(plugin, name, getattr(plugin, "__file__", None) or "in-process")
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        known = [name for name in dir(hookspecs) if name.startswith("lintnews_")]
        unknown = [name for name in dir(exc.plugin) if name.startswith("lintnews_") and name not in known]
        raise PluginError(f"plugin {pm.get_name(exc.plugin)!r} implements an unknown hook "
                          f"{', '.join(map(repr, unknown))} (known: {', '.join(known)})") from None
    return pm


class InstalledEntryPoint(NamedTuple):
    """An entry point of the ``lintnews`` group: its name, ``module:attribute``, distribution."""

    name: str
    value: str
    dist: str
    version: str

    def load(self):
        module, _, attribute = self.value.partition("[")[0].partition(":")
        found = importlib.import_module(module.strip())
        for part in filter(None, attribute.strip().split(".")):
            found = getattr(found, part)
        return found


def installed_entry_points(index: Path | None = None) -> list[InstalledEntryPoint]:
    """The entry points of the ``lintnews`` group, sorted by name.

    Scanning every installed distribution's metadata costs more than the rest of
    start-up, so with ``index`` (a folder) the result is remembered together with a
    signature of the installation (each distribution's entry-point file on ``sys.path``,
    with its modification time) and scanned again only when that changes. Each Python
    installation keeps a file of its own there: two virtual environments (or two
    checkouts' environments) used in turn would otherwise replace each other's, and
    every run would scan.
    """
    signature = _installation_signature() if index is not None else None
    path = index / _index_name() if index is not None else None
    if path is not None:
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if stored["signature"] == signature:
                return [InstalledEntryPoint(*item) for item in stored["entry_points"]]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    from importlib import metadata

    # a distribution's name and version are read from its metadata file, parsed again at each
    # ask: the entry points of one distribution (lintnews's own twenty) share its object, whose
    # metadata is read once here. One that cannot be read (not UTF-8, a folder) or names neither
    # is "?", as a distribution that is not known at all: its plugin still loads.
    described: dict = {}  # distribution (compared by identity) -> its name and version

    def name_and_version(dist) -> tuple[str, str]:
        if dist is None:
            return "?", "?"
        if dist not in described:
            try:  # (read with get: a missing key is a KeyError for newer importlib_metadata, which Dask loads)
                read = dist.metadata
                name, version = read.get("Name"), read.get("Version")
            except (OSError, ValueError):
                name = version = None
            described[dist] = (name or "?", version or "?")
        return described[dist]

    found = sorted((InstalledEntryPoint(ep.name, ep.value, *name_and_version(ep.dist))
                    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)), key=lambda ep: ep.name)
    if path is not None:
        _write_index(path, {"signature": signature, "entry_points": [list(ep) for ep in found]})
    return found


def _index_name() -> str:
    """The index file of this Python installation (its prefix and version)."""
    installation = "\0".join((sys.prefix, sys.version)).encode("utf-8", "surrogatepass")
    return f"entry-points-{zlib.crc32(installation):08x}.json"


def _installation_signature() -> list:
    """Where distributions are on ``sys.path``, and when each one's entry points were written.

    A folder without distributions adds nothing, so the current folder (first on
    ``sys.path`` under ``python -m``) changes the signature only when it holds one;
    a zip file or an egg on the path is there with its modification time.
    """
    signature = []
    for folder in sys.path:
        folder = folder or os.getcwd()
        try:
            if not os.path.isdir(folder) or folder.endswith(".egg"):
                signature.append([folder, os.stat(folder).st_mtime_ns])
                continue
            names = os.listdir(folder)
        except OSError:
            continue
        for name in sorted(names):
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    written = os.stat(os.path.join(folder, name, "entry_points.txt")).st_mtime_ns
                except OSError:
                    written = None
                signature.append([folder, name, written])
    return signature


def _write_index(index: Path, value: dict) -> None:
    """Write the index atomically; a folder that cannot be written only costs the next run a scan."""
    temporary = index.with_name(f".{index.name}.{os.getpid()}.tmp")
    try:
        index.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(value), encoding="utf-8")
        os.replace(temporary, index)
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass


def _load_local(spec: str, search: Sequence[Path]) -> tuple[str, object, str]:
    """A repository-local plugin: a path to a ``.py`` file or package, or an importable module name."""
    folders = list(dict.fromkeys(str(folder) for folder in (*search, Path.cwd())))
    candidates = [Path(folder) / spec for folder in search] + [Path(spec)]  # the config's folder first
    path = next((c for c in candidates if c.suffix == ".py" and c.is_file()
                 or (c / "__init__.py").is_file()), None)
    try:
        if path is not None:
            name = path.stem if path.suffix == ".py" else path.name
            location = path if path.suffix == ".py" else path / "__init__.py"
            # a private module name: a plugin file called json.py must not replace the json module
            module_name = f"_lintnews_plugin_{name}_{abs(hash(str(path.resolve()))):x}"
            module_spec = importlib.util.spec_from_file_location(
                module_name, location, submodule_search_locations=None if path.suffix == ".py" else [str(path)])
            module = importlib.util.module_from_spec(module_spec)
            sys.modules[module_name] = module
            module_spec.loader.exec_module(module)
            return name, module, _shown(path)
        sys.path[:0] = folders  # like flake8's local plugins: importable from the config's folder
        try:
            module = importlib.import_module(spec)
        finally:
            del sys.path[:len(folders)]
        return spec, module, getattr(module, "__file__", None) or spec
    except (Exception, SystemExit) as exc:  # a plugin may fail in any way at import; name it
        if path is None and isinstance(exc, ModuleNotFoundError) and exc.name == spec.split(".")[0]:
            raise PluginError(f"plugin {spec!r} not found: no such module or file "
                              f"(looked in {', '.join(folders)})") from None
        raise PluginError(f"plugin {spec!r} ({_shown(path) if path else 'module'}) failed to load: "
                          f"{type(exc).__name__}: {exc}") from None


def _shown(path: Path) -> str:
    """A plugin's path as the user would write it: relative to the current folder when inside it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def collect_rules(pm: pluggy.PluginManager) -> dict[str, Rule]:
    """Every rule offered by the registered plugins, keyed and sorted by id."""
    rules: dict[str, Rule] = {}
    for plugin_name, offered in _results(pm, "lintnews_rules"):
        if not isinstance(offered, (list, tuple)) and offered is not None:
            raise PluginError(f"plugin {plugin_name!r} returned {offered!r} from lintnews_rules(), "
                              "not a list of @rule")
        for item in offered or []:
            if not isinstance(item, Rule):
                raise PluginError(f"plugin {plugin_name!r} returned {item!r}, which is not a @rule")
            if item.id in rules:
                raise PluginError(f"rule {item.id!r} is defined twice: by plugin "
                                  f"{rules[item.id].plugin!r} and by plugin {plugin_name!r}")
            rules[item.id] = replace(item, plugin=plugin_name)
    return dict(sorted(rules.items()))


class OutputFormat(NamedTuple):
    """A plugin's output format: ``function(report) -> str``, and the plugin it came from."""

    function: Callable
    plugin: str


def collect_output_formats(pm: pluggy.PluginManager, builtin: Collection[str]) -> dict[str, OutputFormat]:
    """Output formats offered by plugins, by name."""
    formats: dict[str, OutputFormat] = {}
    for plugin_name, offered in _results(pm, "lintnews_output_formats"):
        if not isinstance(offered, dict) and offered is not None:
            raise PluginError(f"plugin {plugin_name!r} returned {offered!r} from lintnews_output_formats(), "
                              "not a dict of name to function")
        for name, function in (offered or {}).items():
            if name in builtin or name == "auto":
                raise PluginError(f"plugin {plugin_name!r} redefines the built-in output format {name!r}")
            if name in formats:
                raise PluginError(f"output format {name!r} is defined twice: by plugin "
                                  f"{formats[name].plugin!r} and by plugin {plugin_name!r}")
            if not callable(function):
                raise PluginError(f"plugin {plugin_name!r}: output format {name!r} is not callable")
            formats[name] = OutputFormat(function, plugin_name)
    return formats


def collect_front_matter_formats(pm: pluggy.PluginManager, owners: bool = False) -> list:
    """Front-matter syntaxes offered by plugins, in plugin order (with ``owners``: (plugin, format))."""
    from .frontmatter import FrontMatterFormat

    found = []
    for plugin_name, offered in _results(pm, "lintnews_front_matter_formats"):
        if not isinstance(offered, (list, tuple)) and offered is not None:
            raise PluginError(f"plugin {plugin_name!r} returned {offered!r} from "
                              "lintnews_front_matter_formats(), not a list of FrontMatterFormat")
        for item in offered or []:
            if not isinstance(item, FrontMatterFormat):
                raise PluginError(f"plugin {plugin_name!r} returned {item!r}, which is not a FrontMatterFormat")
            found.append((plugin_name, item) if owners else item)
    return found


def _results(pm: pluggy.PluginManager, hook: str):
    """(plugin name, result) of every implementation of ``hook``: built-ins first, then by name.

    pluggy calls implementations in reverse registration order; sorting keeps runs
    deterministic, and calling each one alone lets an error name its plugin.
    """
    def order(impl):
        name = pm.get_name(impl.plugin) or ""
        return not name.startswith("lintnews."), name

    impls = sorted(getattr(pm.hook, hook).get_hookimpls(), key=order)
    for impl in impls:
        plugin_name = pm.get_name(impl.plugin) or repr(impl.plugin)
        try:
            yield plugin_name, impl.function()
        except (Exception, SystemExit) as exc:
            raise PluginError(f"plugin {plugin_name!r} failed in {hook}(): {type(exc).__name__}: {exc}") from None

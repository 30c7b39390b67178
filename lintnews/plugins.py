"""Building the plugin manager for one run and collecting the rules it offers."""
from __future__ import annotations

from dataclasses import replace
from importlib import metadata
from typing import Iterable

import pluggy

from . import hookspecs
from .rule import Rule

ENTRY_POINT_GROUP = "lintnews"


class PluginError(Exception):
    """A plugin that cannot be loaded or that offers bad rules."""


def plugin_manager(extra: Iterable[tuple[str, object]] = ()) -> pluggy.PluginManager:
    """A fresh manager with every installed plugin registered; built per run, never global.

    ``extra`` are (name, module) pairs registered after the installed ones.
    """
    pm = pluggy.PluginManager("lintnews")
    pm.add_hookspecs(hookspecs)
    for entry_point in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        dist = entry_point.dist.name if entry_point.dist else "?"
        try:
            plugin = entry_point.load()
        except Exception as exc:  # a plugin may fail in any way at import; name it
            raise PluginError(f"plugin {entry_point.name!r} (from {dist}) failed to load: "
                              f"{type(exc).__name__}: {exc}") from None
        name = f"{dist}:{entry_point.name}" if dist != "lintnews" else f"lintnews.{entry_point.name}"
        if pm.is_registered(plugin) or pm.get_plugin(name) is not None:
            continue
        pm.register(plugin, name=name)
    for name, plugin in extra:
        pm.register(plugin, name=name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {exc.plugin!r} implements an unknown hook: {exc}") from None
    return pm


def collect_rules(pm: pluggy.PluginManager) -> dict[str, Rule]:
    """Every rule offered by the registered plugins, keyed and sorted by id."""
    rules: dict[str, Rule] = {}
    for impl in pm.hook.lintnews_rules.get_hookimpls():
        plugin_name = pm.get_name(impl.plugin) or repr(impl.plugin)
        try:
            offered = impl.function() or []
        except Exception as exc:
            raise PluginError(f"plugin {plugin_name!r} failed in lintnews_rules(): "
                              f"{type(exc).__name__}: {exc}") from None
        for item in offered:
            if not isinstance(item, Rule):
                raise PluginError(f"plugin {plugin_name!r} returned {item!r}, which is not a @rule")
            if item.id in rules:
                raise PluginError(f"rule {item.id!r} is defined twice: by plugin "
                                  f"{rules[item.id].plugin!r} and by plugin {plugin_name!r}")
            rules[item.id] = replace(item, plugin=plugin_name)
    return dict(sorted(rules.items()))

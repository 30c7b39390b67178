"""The plugin contract: the hooks a lintnews plugin may implement."""
from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("lintnews")
hookimpl = pluggy.HookimplMarker("lintnews")


@hookspec
def lintnews_rules():
    """Return the rules this plugin provides: a list of objects made with ``@rule``.

    Called once per run, after every plugin is registered. Results of all plugins
    are concatenated; a rule id given by two plugins is an error naming both.
    """

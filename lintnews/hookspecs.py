"""The plugin contract: the hooks a lintnews plugin may implement.

A plugin is a module (or any object) with functions marked ``@hookimpl`` and named
after these specifications. Each hook is called once per run, with no arguments,
after every plugin is registered; results are combined in plugin-name order, and a
name offered twice (a rule id, a format name) is an error naming both plugins.
"""
from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("lintnews")
hookimpl = pluggy.HookimplMarker("lintnews")


@hookspec
def lintnews_rules():
    """Return the rules this plugin provides: a list of objects made with ``@rule``.

    Their options are validated and documented like the built-in rules' options. A rule
    made from a class lives for the whole run and sees every document (see ``rule``).
    """


@hookspec
def lintnews_output_formats():
    """Return output formats: a dict of name → ``function(report) -> str``.

    The name becomes a value of ``--output-format``; it may not be a built-in one.
    ``report`` is a ``lintnews.runner.Report`` (findings, files checked, rules, root).
    """


@hookspec
def lintnews_front_matter_formats():
    """Return front-matter syntaxes: a list of ``lintnews.FrontMatterFormat``.

    Each names the fence line that opens and closes the block (YAML's ``---`` and
    ``[#]: key: "value"`` metadata headers are built in) and a function that reads the block into a dict. Files in that syntax
    then give every rule ``doc.meta`` and exact positions, unchanged.
    """

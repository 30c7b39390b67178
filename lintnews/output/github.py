"""GitHub workflow commands: one annotation per finding."""
from __future__ import annotations

import os

from ..violation import Finding, Severity
from .common import end_position, printable
from .text import summary

GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def format_github(report) -> str:
    """One ``::error``/``::warning``/``::notice`` annotation per finding, then a plain summary."""
    lines = []
    for finding in report.findings:
        properties = [("file", printable(_github_path(finding, report.root), None)), ("line", finding.line),
                      ("col", finding.column)]
        end_line, end_column = end_position(finding)
        if end_line is not None:
            properties.append(("endLine", end_line))
        if end_column is not None:
            properties.append(("endColumn", end_column))
        properties.append(("title", f"lintnews ({printable(finding.rule)})"))
        joined = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties)
        lines.append(f"::{GITHUB_COMMANDS[finding.severity]} {joined}::{_escape_data(printable(finding.message))}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    """@actions/core's escapeData: the runner splits commands on line breaks."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """@actions/core's escapeProperty: ``,`` separates properties and ``::`` ends them."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github_path(finding: Finding, root) -> str:
    """GitHub resolves annotation paths against the workspace, which need not be the project root."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace and finding.relpath:
        absolute = os.path.join(os.path.realpath(root), finding.relpath)
        try:
            relative = os.path.relpath(absolute, os.path.realpath(workspace))
        except ValueError:  # another drive on Windows
            relative = ""
        if relative and not relative.startswith(".."):
            return relative.replace(os.sep, "/")
    return finding.path

"""The first-run notice: without a configuration, a rule that fires on nearly every file of
a sizeable run is more likely a default that does not fit than a repository all wrong."""
from __future__ import annotations

from collections import defaultdict

MIN_FILES = 20
NEARLY_ALL = 0.9


def first_run_notice(findings, files_checked: int, configured: bool) -> str | None:
    """One line suggesting ``lintnews init``, or None."""
    if configured or files_checked < MIN_FILES:
        return None
    paths: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        paths[finding.rule].add(finding.path)
    noisy = sorted(((len(found), rule) for rule, found in paths.items() if len(found) >= NEARLY_ALL * files_checked),
                   reverse=True)
    if not noisy:
        return None
    shown = ", ".join(f"{rule} on {count} of {files_checked} files" for count, rule in noisy)
    return (f"no configuration, and {shown}: the defaults may not fit this repository; "
            "'lintnews init' surveys it and writes a .lintnews.yaml that does")

"""Text for people: one line per finding, a summary, colour only at a terminal."""
from __future__ import annotations

from ..violation import Severity
from .common import fixable, printable

_STYLE = {"path": "1", "error": "1;31", "warning": "33", "info": "34", "rule": "2", "summary": "1"}


def format_text(report, color: bool = False, unsafe_fixes: bool = False) -> str:
    """One line per finding, ``path:line:col: severity rule-id message``, then a summary; what
    the article or a file name put in a line is escaped (an article must not forge lines); last,
    what a fix would repair (``fix_hint``; ``unsafe_fixes``: whether this run was allowed those)."""
    def paint(text: str, style: str) -> str:
        return f"\x1b[{_STYLE[style]}m{text}\x1b[0m" if color else text

    lines = [f"{paint(printable(f.path, None), 'path')}:{f.line}:{f.column}: "
             f"{paint(str(f.severity), str(f.severity))} {paint(printable(f.rule), 'rule')} {printable(f.message)}"
             for f in report.findings]
    lines.append(paint(summary(report), "summary"))
    hint = fix_hint(report, unsafe_fixes)
    if hint:
        lines.append(hint)
    return "\n".join(lines) + "\n"


def fix_hint(report, unsafe_fixes: bool = False) -> str:
    """How many of the findings reported a fix would repair, and with which option (as ruff and
    ESLint say it): safe fixes with ``--fix``, unsafe ones with ``--unsafe-fixes`` too. After a
    fix (``report.fixed`` set), only the fixes it was not allowed to apply are named: those it
    was allowed and left, it refused (running it again changes nothing)."""
    safe = sum(map(fixable(report), report.findings))
    unsafe = sum(map(fixable(report, unsafe=True), report.findings)) - safe
    if getattr(report, "fixed", None) is not None:
        safe = 0
        if unsafe_fixes:
            unsafe = 0
    if safe:
        more = f" ({unsafe} more with --fix --unsafe-fixes, which change what a reader sees)" if unsafe else ""
        return f"{safe} fixable with --fix{more}; --diff shows the changes first."
    if unsafe:
        return f"{unsafe} fixable with --fix --unsafe-fixes, which change what a reader sees; --diff shows them first."
    return ""


def use_color(stream, environ) -> bool:
    """Colour only for a person at a terminal: never under pre-commit or CI, NO_COLOR wins over
    FORCE_COLOR, and FORCE_COLOR wins over everything else."""
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    if environ.get("PRE_COMMIT") == "1" or environ.get("CI") not in (None, "", "0", "false"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def summary(report) -> str:
    files = f"{report.files_checked} file{'s' if report.files_checked != 1 else ''} checked"
    if report.hidden:
        files += f"; {report.hidden} known problem{'s' if report.hidden != 1 else ''} hidden by the baseline"
    fixed = getattr(report, "fixed", None)
    if fixed is not None:
        return _fixed_summary(report, fixed, files)
    if not report.findings:
        return f"No problems found ({files})."
    counts = [(report.count(level), str(level)) for level in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    parts = ", ".join(f"{n} {name}{'s' if n != 1 and name != 'info' else ''}" for n, name in counts)
    with_problems = len({f.path for f in report.findings})
    total = len(report.findings)
    return (f"Found {total} problem{'s' if total != 1 else ''} ({parts}) "
            f"in {with_problems} file{'s' if with_problems != 1 else ''} ({files}).")


def _fixed_summary(report, fixed: int, files: str) -> str:
    """After --fix: "N fixed, M remaining", then what remains by severity."""
    total = len(report.findings)
    if not total:
        return f"{fixed} fixed, 0 remaining ({files})."
    counts = [(report.count(level), str(level)) for level in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    parts = ", ".join(f"{n} {name}{'s' if n != 1 and name != 'info' else ''}" for n, name in counts)
    with_problems = len({f.path for f in report.findings})
    return (f"{fixed} fixed, {total} remaining ({parts}) in {with_problems} "
            f"file{'s' if with_problems != 1 else ''} ({files}).")

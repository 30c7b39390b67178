"""The command line: ``lintnews check``, ``init``, ``rules``, ``explain`` and ``plugins``."""
from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Iterable, NamedTuple

from . import __version__, baseline, gitdiff, lazy_re, progress, timing
from .cachedir import committed, repository_cache_dir, user_cache_root, using
from .config import Config, ConfigError, Settings, file_size, find_config, findings_limit, load_config
from .encoded import Encoded, Findings
from .execute import default_jobs
from .execute.cache import ResultCache, run_key
from .files import PathError, discover, is_excluded, relative_path, standard_input
from .output import FORMATS, format_text, resolve_format, use_color
from .output.common import fixable, utf8
from .plugins import (PluginError, PluginManager, collect_front_matter_formats, collect_output_formats,
                      collect_rules, plugin_manager)
from .reading import read_stream
from .runner import lint_paths, summarizes
from .violation import Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# What the last check held (its report, the results cache's shards, the sources): kept until
# the process ends, which ``entry`` does with os._exit, dropping them at once. Freed object
# by object when ``run_check`` returned, they took some 4% of a run over an unchanged archive.
_left_to_exit: tuple = ()


class UsageError(Exception):
    """A command line that cannot be acted on."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2, like every other usage error
        raise UsageError(f"{message} (see '{self.prog} --help')")


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, sized to the terminal without importing shutil (and the
    compression modules it loads) for it: argparse makes one of these for every argument
    it declares, help or not."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)


def _columns() -> int:
    """The terminal's width as shutil.get_terminal_size gives it: COLUMNS, else the
    terminal of stdout, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", 0))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


COMMAND_HELP = {
    "check": "lint files and folders (default: the current folder)",
    "init": "read every article under PATH and write a configuration that fits the repository",
    "rules": "list every loaded rule: id, severity, on or opt-in, fix (safe, unsafe or -), plugin, summary",
    "explain": "show a rule's documentation",
    "plugins": "list the loaded plugins, where they come from, and what they provide",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser. Given a known ``command`` (the first word of the command
    line), only that command is declared, which nothing the user sees tells apart: its
    help, usage and errors do not list the others. argparse builds and checks each argument
    as it is declared, and declaring every command costs a one-file check a noticeable part
    of its start-up."""
    parser = _Parser(prog="lintnews", description="Lint news articles: Markdown and HTML with YAML front matter.",
                     formatter_class=_Formatter)
    parser.add_argument("--version", action="version", version=f"lintnews {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    declare = {"check": _check_arguments, "init": _init_arguments, "rules": _rules_arguments,
               "explain": _explain_arguments, "plugins": lambda _: None}
    common = _common_arguments()
    for name in [command] if command in COMMAND_HELP else COMMAND_HELP:
        declare[name](commands.add_parser(name, parents=[common], help=COMMAND_HELP[name], formatter_class=_Formatter))
    return parser


def _common_arguments() -> argparse.ArgumentParser:
    common = _Parser(add_help=False, formatter_class=_Formatter)
    common.add_argument("--config", metavar="FILE", help="use this config file instead of searching for one")
    common.add_argument("--isolated", action="store_true",
                        help="ignore every configuration file and plugin of the repository, and its .gitignore: "
                             "the defaults and the command line only (for a checkout whose configuration is not "
                             "trusted)")
    common.add_argument("--plugin", action="append", default=[], metavar="MODULE_OR_PATH",
                        help="load a plugin: a module importable from here or the config's folder, "
                             "or a .py file or package (repeatable)")
    return common


def _check_arguments(check: argparse.ArgumentParser) -> None:
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                       help="files and folders to lint (default: the current folder); '-': standard input")
    check.add_argument("--stdin-filename", metavar="PATH",
                       help="lint standard input as the article at PATH (its settings, its folder for "
                            "relative images, its name in the report); with --fix, the fixed text goes "
                            "to stdout and the report to stderr")
    check.add_argument("--output-format", default="auto", metavar="FORMAT",
                       help=f"auto (the default: github inside GitHub Actions, text elsewhere), "
                            f"{', '.join(sorted(FORMATS))}, or a plugin's format")
    check.add_argument("--output-file", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--no-respect-gitignore", action="store_true",
                       help="search folders without skipping what git ignores (.gitignore: a build such as "
                            "_site/ or public/)")
    check.add_argument("--force-exclude", action="store_true",
                       help="apply exclude globs to files named on the command line too (for pre-commit)")
    check.add_argument("--pre-commit", action="store_true",
                       help="the PATHs are the words after a '--', which must be given (the pre-commit hooks: "
                            "a hook's args come before the file names and must end with '--')")
    check.add_argument("--fail-on", choices=["error", "warning", "info"],
                       help="lowest severity that makes the run fail (default: error)")
    check.add_argument("--max-file-size", type=float, metavar="MB",
                       help="report larger files as too-large instead of linting them (default: 5)")
    check.add_argument("--max-findings-per-rule", type=int, metavar="N",
                       help="list at most N findings of one rule in one file, the rest summed up in one "
                            "(default: 500; 0: all)")
    check.add_argument("--baseline", metavar="FILE", help="hide the problems recorded in FILE; report new ones")
    check.add_argument("--write-baseline", metavar="FILE", help="record today's problems in FILE and exit 0")
    check.add_argument("--diff-base", metavar="REF",
                       help="report only problems on lines changed since the commit REF, a branch, tag or hash "
                            "(not a range: the working tree, untracked files included, is compared with it)")
    check.add_argument("--check-remote", action="store_true",
                       help="fetch remote images too (image-broken and image-unverified)")
    check.add_argument("--allow-private-hosts", action="store_true",
                       help="let remote checks reach private and loopback addresses (intranet image servers)")
    check.add_argument("--cache-dir", metavar="DIR",
                       help="keep every cache in DIR (results of unchanged files, remote checks, compiled "
                            "patterns; default: $LINTNEWS_CACHE_DIR, else the user's cache folder)")
    check.add_argument("--no-cache", action="store_true",
                       help="do not read or write any cache (results of unchanged files, remote checks, "
                            "compiled patterns)")
    check.add_argument("--jobs", type=_jobs, metavar="N",
                       help="processes to lint with, at most the usable cores (default: all of them; "
                            "1: this process only)")
    check.add_argument("--executor", choices=["local", "dask"], default="local",
                       help="where files are linted: local processes (default) or a Dask cluster "
                            "(PATHs may then be fsspec URLs such as s3://bucket/posts/**/*.md)")
    check.add_argument("--scheduler", metavar="ADDRESS",
                       help="with --executor dask: the scheduler to use (default: a local cluster)")
    check.add_argument("--show-settings", action="store_true",
                       help="print the settings that apply to the one PATH given (or --stdin-filename): "
                            "configuration file, overrides, each rule's severity and options; lint nothing")
    check.add_argument("--statistics", action="store_true",
                       help="print how many problems each rule found, most first (text or json)")
    check.add_argument("--timing", action="store_true",
                       help="print on stderr how long each rule took over the files linted, costliest first")
    check.add_argument("--select", action="append", metavar="RULES",
                       help="run only these rules, opt-in ones too (comma-separated; repeatable); where an "
                            "override turns one off, it stays off")
    check.add_argument("--ignore", action="append", metavar="RULES",
                       help="do not run these rules (comma-separated; repeatable)")
    check.add_argument("--fix", action="store_true", help="apply the safe fixes, then report what is left")
    check.add_argument("--diff", action="store_true",
                       help="print what --fix would change as a unified diff; write nothing")
    check.add_argument("--unsafe-fixes", action="store_true",
                       help="with --fix or --diff, also apply fixes that change what a reader sees")
    check.add_argument("--fix-only", action="append", metavar="RULES",
                       help="fix only these rules' problems (comma-separated; repeatable); implies --fix")


def _init_arguments(init: argparse.ArgumentParser) -> None:
    init.add_argument("path", nargs="?", default=".", metavar="PATH")
    init.add_argument("--stdout", action="store_true", help="print the configuration instead of writing it")
    init.add_argument("--force", action="store_true", help="overwrite an existing .lintnews.yaml")
    init.add_argument("--threshold", type=_share, default=0.9, metavar="SHARE",
                      help="a front-matter key is required when this share of articles fill it (default 0.9)")
    init.add_argument("--list-presets", action="store_true", help="describe the presets and exit")


def _rules_arguments(rules: argparse.ArgumentParser) -> None:
    rules.add_argument("--output-format", choices=["text", "json", "markdown"], default="text")


def _explain_arguments(explain: argparse.ArgumentParser) -> None:
    explain.add_argument("rule", metavar="RULE")


def entry() -> None:
    """The ``lintnews`` command (and ``python -m lintnews``): :func:`main`, then the exit.

    When the run leaves nothing behind to finish (no other thread, no child process, no
    ``atexit`` handler, no profiler or coverage tool watching), the process ends as soon
    as its output is flushed, as mypy's does: tearing down every module and object it
    loaded, which a normal exit does, takes about a tenth of a one-file check. Otherwise,
    and whenever flushing fails, it is the normal exit.
    """
    _collect_garbage_seldom()
    code = main()
    if _nothing_left_to_finish():
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:  # None: started with the stream closed
                    stream.flush()
        except (OSError, ValueError):  # a closed pipe: the normal exit reports it as it always has
            sys.exit(code)
        os._exit(code)
    sys.exit(code)


def _renderer(output, args: argparse.Namespace, rules: dict):
    """How the map step writes each finding ahead for the report, when the report is a JSON
    array of them (no statistics): in the workers, and kept in the cache for the next run."""
    if args.statistics or output is not FORMATS["json"]:
        return None
    from .output.json_format import renderer

    return renderer(rules)


def _collect_garbage_seldom() -> None:
    """Run the cyclic garbage collector after 1,000,000 new objects rather than 700. A run
    keeps every finding to the end, about 25 objects a file, and each collection walks the
    ones kept since the last: with the default thresholds the full collections that walk all
    of them took a quarter of a run over an unchanged archive (read from the cache), and at
    200,000 the two young collections of a cold run over 16,000 articles still took 2% of it.
    Documents are freed by reference counting as each file is done (no cycles are left per
    article: tests/test_execute.py), so memory stays as it was; a plugin that leaves cycles
    behind has them collected every million objects."""
    import gc

    gc.set_threshold(1_000_000, 30, 30)


def _nothing_left_to_finish() -> bool:
    import atexit

    if getattr(atexit, "_ncallbacks", lambda: 1)():  # unknown (not CPython), or handlers to run
        return False
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12+
    if sys.gettrace() is not None or sys.getprofile() is not None \
            or monitoring is not None and any(monitoring.get_tool(tool) for tool in range(6)):
        return False  # a profiler or a coverage tool writes what it saw after the run
    if "multiprocessing" in sys.modules and sys.modules["multiprocessing"].active_children():
        return False
    return "threading" not in sys.modules or sys.modules["threading"].active_count() == 1


def main(argv: list[str] | None = None) -> int:
    if _encoding(sys.stdout) != "utf-8" and hasattr(sys.stdout, "reconfigure"):
        # what else is printed for people (rule lists, help) on a console of another encoding:
        # a character it cannot hold as its escape, as on stderr, rather than an error
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        arguments = sys.argv[1:] if argv is None else argv
        args = build_parser(arguments[0] if arguments else None).parse_args(arguments)
        if args.command is None:
            build_parser().print_help()
            return EXIT_ERROR
        if getattr(args, "pre_commit", False):
            if "--" not in arguments:
                # pre-commit puts a hook's args: between its entry and the file names; only a '--'
                # at their end keeps a staged file named '--output-file=README.md' a file name
                raise UsageError("--pre-commit reads the file names after a '--' and none was given: "
                                 "end the hook's args: with '--' (args: [--fail-on, warning, --])")
            if not arguments[arguments.index("--") + 1:]:
                # a hook run with no staged file (always_run): nothing to lint, not the folder
                return EXIT_CLEAN
            # every word after the '--' is a staged file: one named '-' too, not standard input
            args.paths = [os.path.join(os.curdir, path) if path == "-" else path for path in args.paths]
        commands = {"check": run_check, "init": run_init, "rules": run_rules, "explain": run_explain,
                    "plugins": run_plugins}
        return commands[args.command](args)
    except (UsageError, ConfigError, PluginError, PathError, baseline.BaselineError, gitdiff.GitError) as exc:
        print(f"lintnews: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (``| head``); nothing left to say
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("LINTNEWS_DEBUG"):
            raise
        print(f"lintnews: internal error: {type(exc).__name__}: {exc} "
              "(set LINTNEWS_DEBUG=1 for a traceback)", file=sys.stderr)
        return EXIT_ERROR


def load(args: argparse.Namespace) -> tuple[Config, PluginManager, dict]:
    """The configuration, the plugin manager (config and --plugin plugins included) and the rules."""
    config = _config(args.config, args.isolated)
    return (config, *load_plugins(config, args.plugin, getattr(args, "no_cache", False), cache_root(args)))


def load_plugins(config: Config, extra: list[str], no_cache: bool = False,
                 caches: Path | None = None) -> tuple[PluginManager, dict]:
    """The plugin manager for ``config`` plus the ``extra`` plugins named on the command line, and its rules."""
    search = [config.path.parent] if config.path else []
    index = None if no_cache else caches or user_cache_root()
    pm = plugin_manager(local=[*config.plugins, *extra], search=search, disabled=config.disable_plugins,
                        source=config.source, entry_point_index=index)
    return pm, collect_rules(pm)


def _judged(rules: dict) -> frozenset[str]:
    """The ids of the rules whose messages are judged from the whole run (a baseline does not
    compare them); a broken plugin's rule that cannot say is reported where it runs."""
    return frozenset(rule_id for rule_id, rule in rules.items() if summarizes(rule))


def cache_root(args: argparse.Namespace) -> Path:
    """Where this run's caches are kept: ``--cache-dir``, else ``user_cache_root``."""
    chosen = getattr(args, "cache_dir", None)
    return Path(os.path.abspath(chosen)) if chosen else user_cache_root()


def run_check(args: argparse.Namespace) -> int:
    global _left_to_exit
    for option, values in (("--select", args.select), ("--ignore", args.ignore), ("--fix-only", args.fix_only)):
        for value in values or ():  # an empty CI variable would mean every rule, or none, in silence
            if not value.replace(",", "").strip():
                raise UsageError(f"{option} {value!r} names no rule (rule ids, comma-separated)")
    config = _config(args.config, args.isolated)
    caches = cache_root(args)
    if not args.no_cache:
        if committed(caches, config.root):
            raise UsageError(f"the cache folder {caches} holds files tracked by git, and a committed cache could "
                             "hide findings: keep it outside the checkout or ignored by git (or give --no-cache)")
        using(config.root, caches)
    # the patterns' compiled programs are kept with the caches (see lazy_re), and so bypassed with them
    lazy_re.keep_compiled(None if args.no_cache else caches / "patterns")
    pm, rules = load_plugins(config, args.plugin, args.no_cache, caches)
    if args.max_file_size is not None:
        config.max_file_size = file_size("command line: --max-file-size", args.max_file_size)
    if args.max_findings_per_rule is not None:
        config.max_findings_per_rule = findings_limit("command line: --max-findings-per-rule",
                                                      args.max_findings_per_rule)
    elif args.statistics:  # a count of every finding: the limit is on what a report lists
        config.max_findings_per_rule = 0
    formats = {**FORMATS, **{name: f.function for name, f in collect_output_formats(pm, FORMATS).items()}}
    # statistics have no annotation form: auto means text for them, even in Actions
    output_format = "text" if args.statistics and args.output_format == "auto" else \
        resolve_format(args.output_format, os.environ)
    if output_format not in formats:
        raise UsageError(f"unknown output format {output_format!r} (known: auto, {', '.join(sorted(formats))})")
    if args.statistics and output_format not in ("text", "json"):
        raise UsageError(f"--statistics prints text or json, not {output_format}")
    if args.scheduler and args.executor != "dask":
        raise UsageError("--scheduler goes with --executor dask")
    if args.executor == "dask" and (args.fix or args.diff):
        raise UsageError("--fix and --diff write local files: run them with the local executor")
    if args.executor == "dask" and args.timing:
        raise UsageError("--timing times local processes: run it with the local executor")
    settings = Settings(config, rules, _ids(args.select), _ids(args.ignore) or [],
                        options=forced_options(args, config.root))
    if args.show_settings:
        return show_settings(args, settings)
    stdin = _reads_stdin(args)
    if stdin:
        try:
            data = read_stream(0, config.max_file_size)
        except OSError as exc:  # closed, or a folder given as input
            raise UsageError(f"cannot read standard input: {exc.strerror or exc}") from None
        sources = standard_input(data, args.stdin_filename, config.root, config.exclude,
                                 force_exclude=args.force_exclude)
    else:
        # what git ignores is skipped unless the configuration or the command line says otherwise
        unread: list[str] | None = [] if config.respect_gitignore and not args.no_respect_gitignore else None
        if args.executor == "dask":
            from .dask.storage import find_sources
            sources = find_sources(args.paths, config.root, config.exclude, force_exclude=args.force_exclude,
                                   gitignore=unread)
        else:
            sources = discover(args.paths, config.root, config.exclude, force_exclude=args.force_exclude,
                               gitignore=unread)
        for why in unread or ():
            print(f"lintnews: .gitignore not applied under {why}", file=sys.stderr)
    known = baseline.load(Path(args.baseline), _judged(rules)) if args.baseline else None
    changed = gitdiff.changed_lines(args.diff_base, Path.cwd()) if args.diff_base is not None else None
    if changed is not None:
        changed.check(source.fs_path for source in sources)
    fingerprints = bool(args.baseline or args.write_baseline) or output_format not in ("text", "json", "github", "html")
    front_matter_formats = tuple(collect_front_matter_formats(pm))
    # more processes than usable cores only add start-up and memory: --jobs 10000 is not 10,000 forks
    jobs = min(args.jobs, default_jobs()) if args.jobs else default_jobs()
    cache = None if args.no_cache or stdin else results_cache(config, pm, rules, fingerprints, caches)
    fixer = _fixer(args, config, rules, front_matter_formats, known, changed)
    bar = progress.Progress(sys.stderr) if progress.wanted(sys.stderr, os.environ) else None
    timer = timing.start() if args.timing else None
    try:
        if args.executor == "dask":
            report = dask_report(sources, config, args, fingerprints, bar is not None)
        else:
            report = lint_paths(sources, settings, fingerprints, front_matter_formats, progress=bar, fix=fixer,
                                jobs=jobs, cache=None if fixer is not None else cache,
                                render=_renderer(formats[output_format], args, rules))
    except KeyboardInterrupt:
        if fixer is not None:
            fixer.stop(cancel=True)  # the writes under way finish; the others never start
            # no count of files: one taken here was seen to miss a write that completed (a race
            # not yet found); what holds is that no file is left half-written
            print("lintnews: interrupted: each file is either fixed whole or as it was; "
                  "run --fix again to finish", file=sys.stderr)
        raise
    finally:
        timing.stop()
        if bar is not None:
            bar.close()
    lazy_re.save()
    if fixer is not None and args.diff:
        from .fix.session import print_diff

        return print_diff(fixer, report, lambda diff: write_output(diff, None))
    if fixer is not None:
        report = replace(fixer.finish(report, fingerprints), fixed=sum(fixer.fixed.values()))
    console = sys.stdout  # where the report goes when no --output-file is given
    if fixer is not None and stdin:  # stdout carries the text for the editor's buffer, fixed or as it came
        write_output(fixer.fixed_input if fixer.fixed_input is not None else data, None)
        if fixer.fixed_input is None:
            _pass_through(0)  # the rest of an input too large to be read whole, as it comes
        console = sys.stderr
    if stdin and sources:  # what the report shows of the article: the text given (as fixed), not a file
        text = fixer.fixed_input if fixer is not None and fixer.fixed_input is not None else data
        report = replace(report, given={sources[0].display: text})
    if args.write_baseline:
        write_output(baseline.dumps(report.findings), args.write_baseline)
        print(f"lintnews: recorded {len(report.findings)} problem(s) of {report.files_checked} file(s) "
              f"in {args.write_baseline}", file=sys.stderr)
        return EXIT_CLEAN
    if changed is not None or known is not None:  # else the findings stand as they are (maybe encoded)
        findings = list(report.findings)
        if changed is not None:
            findings = gitdiff.keep(findings, changed, Path.cwd())
        hidden: list = []
        if known is not None:
            findings, hidden = baseline.partition(findings, known)
        report = replace(report, findings=tuple(findings), hidden=len(hidden), known=tuple(hidden))
    for notice in report.notices:
        print(f"lintnews: {notice}", file=sys.stderr)
    if args.statistics:
        from .output.statistics import format_statistics, format_statistics_json

        statistics = format_statistics_json if output_format == "json" else format_statistics
        write_output(statistics(report, fixable(report, args.unsafe_fixes)), args.output_file, console,
                     for_people=output_format != "json")
    elif output_format == "text":
        color = args.output_file is None and use_color(console, os.environ)
        write_output(format_text(report, color=color, unsafe_fixes=args.unsafe_fixes), args.output_file, console,
                     for_people=True)
    elif formats[output_format] is FORMATS["json"]:  # in UTF-8, with the entries the map step encoded
        from .output.json_format import encoded_json

        write_output(encoded_json(report), args.output_file, console)
    else:
        write_output(_formatted(formats[output_format], output_format, report), args.output_file, console)
    lazy_re.save()  # the patterns the report compiled (its escapes), if any
    if timer is not None:
        sys.stdout.flush()  # the table after the report, also when both streams go to one terminal
        print(f"lintnews: {timing.format_timing(timer, report.files_checked)}", file=sys.stderr)
    first_run = None
    if config.path is None and report.files_checked > 1:  # the survey is imported only when it may speak
        from .survey import first_run_notice

        first_run = first_run_notice(_mentions(report.findings), report.files_checked, configured=False)
    if first_run:
        sys.stdout.flush()  # after the summary, also when both streams go to one terminal
        print(f"lintnews: {first_run}", file=sys.stderr)
    threshold = _fail_on(args, config)
    _left_to_exit = (report, cache, sources, settings)
    return EXIT_FINDINGS if report.fails(threshold) else EXIT_CLEAN


class _Mention(NamedTuple):
    """One rule firing on one file, all the first-run notice reads of a finding."""

    path: str
    rule: str


def _mentions(findings) -> Iterable:
    """The findings as the first-run notice counts them (which rules fire on which files):
    each finding, but for a file still encoded (``lintnews.encoded``) one ``_Mention`` per
    rule, so that its findings need not be decoded for the notice."""
    if type(findings) is not Findings:
        return findings
    mentions: list = []
    new = tuple.__new__  # as the named tuple's own __new__ builds it, without a Python call each
    for part in findings.parts:
        if type(part) is Encoded:
            mentions += [new(_Mention, (part.path, rule)) for rule in part.rules]
        else:
            mentions += part
    return mentions


def _fixer(args: argparse.Namespace, config: Config, rules: dict, formats: tuple, known, changed):
    """The fixing session --fix, --diff or --fix-only ask for, else None (the fixing code,
    threads and temporary files included, is imported only then)."""
    if not (args.fix or args.diff or args.fix_only or args.unsafe_fixes):
        return None
    from .fix import session

    try:
        return session.start(args, _ids(args.fix_only), _ids(args.select), config.root, rules, formats, known,
                             changed, config.max_file_size)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def dask_report(sources, config: Config, args: argparse.Namespace, fingerprints: bool, progress: bool):
    """The run on Dask: the same map and merge steps, on the cluster's workers."""
    try:
        from .dask import RunSpec
        from .dask.session import SchedulerError, run
    except ImportError as exc:
        raise UsageError(f"--executor dask needs the dask extra (pip install 'lintnews[dask]'): {exc}") from None
    spec = RunSpec.of(config, args.plugin, _ids(args.select), _ids(args.ignore) or [],
                      forced_options(args, config.root),
                      fingerprints)
    try:
        return run(sources, spec, scheduler=args.scheduler, progress=progress)
    except SchedulerError as exc:
        raise UsageError(f"--scheduler {exc.address}: {exc.why}") from None


def show_settings(args: argparse.Namespace, settings: Settings) -> int:
    """``--show-settings``: the settings of one file as YAML, which need not exist yet."""
    given = [path for path in args.paths if path not in (".", "-")] if args.stdin_filename is None \
        else [args.stdin_filename]
    if len(given) != 1:
        raise UsageError("--show-settings takes one PATH: the file whose settings to show")
    import yaml

    config = settings.config
    absolute, root = os.path.abspath(given[0]), config.root.resolve()
    relpath = relative_path(absolute, root)
    shown = {"file": relpath, "root": str(config.root), "config": str(config.path) if config.path else None,
             "excluded": is_excluded(config.exclude, absolute, root), "fail-on": str(_fail_on(args, config)),
             "max-file-size": config.max_file_size, "max-findings-per-rule": config.max_findings_per_rule,
             "respect-gitignore": config.respect_gitignore and not args.no_respect_gitignore,
             **settings.describe(relpath)}
    write_output(f"# the settings lintnews applies to {given[0]}\n"
                 + yaml.safe_dump(shown, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None), None)
    return EXIT_CLEAN


def _fail_on(args: argparse.Namespace, config: Config) -> Severity:
    """The lowest severity that fails the run: --fail-on, else the configuration's, else error."""
    return Severity.parse(args.fail_on) if args.fail_on else (config.fail_on or Severity.ERROR)


def _pass_through(fd: int) -> None:
    """Copy what is left of ``fd`` to stdout unchanged."""
    sys.stdout.flush()
    out = sys.stdout.buffer
    while chunk := os.read(fd, 1 << 16):
        out.write(chunk)
    out.flush()


def _reads_stdin(args: argparse.Namespace) -> bool:
    """Whether the article comes on standard input ('-' or --stdin-filename); refuses what cannot
    go with it."""
    if args.stdin_filename is None and "-" not in args.paths:
        return False
    if args.paths not in (["."], ["-"]):
        raise UsageError("standard input ('-' or --stdin-filename) is linted alone: give no other PATH")
    if args.executor == "dask":
        raise UsageError("standard input is linted here: not with --executor dask")
    if args.diff_base is not None:
        raise UsageError("--diff-base compares files with git: not standard input")
    return True


def forced_options(args: argparse.Namespace, project: Path) -> dict:
    """Rule options the command line sets over the configuration (``project``: the project root)."""
    forced = {"remote": True} if args.check_remote else {}
    if args.allow_private_hosts:
        forced["allow-private-hosts"] = True
    if args.cache_dir:  # the remote verdicts' folder in it, as in the user's cache folder
        forced["cache-dir"] = str(repository_cache_dir(project, "remote", cache_root=cache_root(args)))
    if args.no_cache:
        forced["remote-cache"] = False
    return forced


def run_init(args: argparse.Namespace) -> int:
    from . import survey

    try:  # the current configuration's plugins may read more front-matter syntaxes
        _, pm, rules = load(args)
    except ConfigError:  # a broken configuration is what --force replaces
        if not (args.force or args.stdout or args.list_presets):
            raise
        pm = plugin_manager(local=args.plugin)
        rules = collect_rules(pm)
    try:
        return survey.run_init(args, rules, tuple(collect_front_matter_formats(pm)))
    except survey.InitError as exc:
        raise UsageError(str(exc)) from None


def run_rules(args: argparse.Namespace) -> int:
    _, _, rules = load(args)
    if args.output_format != "text":
        from .output.rule_docs import rules_json, rules_markdown

        sys.stdout.write((rules_json if args.output_format == "json" else rules_markdown)(rules))
        return EXIT_CLEAN
    width = max((len(rule_id) for rule_id in rules), default=0)
    plugin_width = max((len(rule.plugin) for rule in rules.values()), default=0)
    for rule in rules.values():
        default = "on" if rule.enabled else "opt-in"
        print(f"{rule.id:<{width}}  {str(rule.severity):<7}  {default:<6}  {rule.fix or '-':<6}  "
              f"{rule.plugin:<{plugin_width}}  {rule.summary}")
    return EXIT_CLEAN


def run_plugins(args: argparse.Namespace) -> int:
    _, pm, rules = load(args)
    formats = collect_output_formats(pm, FORMATS)
    front_matter = collect_front_matter_formats(pm, owners=True)
    for name in sorted(pm.origins):
        provides = [rule_id for rule_id, rule in rules.items() if rule.plugin == name]
        owned = [fmt for fmt, offered in sorted(formats.items()) if offered.plugin == name]
        syntaxes = [syntax.name for owner, syntax in front_matter if owner == name]
        parts = [f"rules: {', '.join(provides)}" if provides else "", f"formats: {', '.join(owned)}" if owned else "",
                 f"front matter: {', '.join(syntaxes)}" if syntaxes else ""]
        print(f"{name}  ({pm.origins[name]})  {'; '.join(p for p in parts if p) or 'provides nothing'}")
    return EXIT_CLEAN


def run_explain(args: argparse.Namespace) -> int:
    _, _, rules = load(args)
    rule = rules.get(args.rule)
    if rule is None:
        raise UsageError(f"unknown rule {args.rule!r} (run 'lintnews rules' to list them)")
    default = "" if rule.enabled else "; opt-in, off until configured"
    fix = f"fix: {rule.fix}" if rule.fix else "no fix"
    print(f"{rule.id}  (default severity: {rule.severity}{default}; {fix}; plugin: {rule.plugin})\n")
    print(rule.doc)
    if rule.options:
        print("\nOptions and their defaults:")
        for name, default in rule.options.items():
            print(f"  {name}: {json.dumps(default, ensure_ascii=False)}")
    return EXIT_CLEAN


def write_output(text: str | bytes, output_file: str | None, console=None, for_people: bool = False) -> None:
    """Write to stdout (or ``console``), or to a file replaced atomically: a failed run never
    leaves half a report. A file name that is not UTF-8 (a lone surrogate in Python) is written
    as its escape; bytes are a report encoded so already. A file, and a report for machines on
    the console (JSON, SARIF, GitHub's annotations, a plugin's format, settings one may paste into
    a configuration: a program reads them as UTF-8), are UTF-8; the text report and the statistics,
    ``for_people``, go to a console of another encoding (a Windows pipe's cp1252, a Latin-1 locale,
    PYTHONIOENCODING) in that encoding, each character it cannot hold written as its escape
    (``\\u6807``), as Python writes to stderr: never a report lost to one character."""
    data = text if isinstance(text, bytes) else utf8(text)  # encoded once (a report runs to megabytes)
    if output_file is None:
        console = console or sys.stdout
        stream = getattr(console, "buffer", None)
        if stream is None:  # a stream of text only
            console.write(data.decode("utf-8", "replace"))
            return
        if for_people and not isinstance(text, bytes):
            encoding = _encoding(console)
            if encoding != "utf-8":
                data = data.decode("utf-8").encode(encoding, "backslashreplace")
        console.flush()  # what was printed before goes first
        stream.write(data)
        return
    target = Path(output_file)
    # '.', '/', '' (the working folder), 'out/' (a folder by its last character, made or not) or another folder
    if not target.name or os.path.basename(output_file) in ("", ".", "..") or target.is_dir():
        raise UsageError(f"cannot write {output_file!r}: it names a folder, not a file")
    # a temporary name of this process's own beside the report (tempfile's import costs a one-file
    # run some milliseconds); a report is shared like any file the user writes: the umask's mode
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if target.exists() and not target.is_file():  # /dev/null, a FIFO, /dev/stdout: write through, never replace
            with open(target, "wb") as stream:
                stream.write(data)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(temporary, "wb") as handle:
                handle.write(data)
            os.replace(temporary, target)
        except BaseException:  # a failed or interrupted write leaves no temporary file behind
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise
    except OSError as exc:
        raise UsageError(f"cannot write {output_file}: {exc.strerror or exc}") from None


def _formatted(format_report, name: str, report) -> str:
    """The report in the format ``name``; a plugin's format that fails (sys.exit included: the
    run must not end as if it passed) is a one-line error naming it."""
    if name in FORMATS:
        return format_report(report)
    try:
        return format_report(report)
    except (Exception, SystemExit) as exc:
        raise PluginError(f"output format {name!r} failed: {type(exc).__name__}: {exc}") from None


def _encoding(console) -> str:
    """The codec name of ``console``'s encoding (``utf-8`` for UTF-8 however it is spelled, and
    for none or one Python does not know)."""
    try:
        return codecs.lookup(console.encoding or "utf-8").name
    except (LookupError, TypeError):
        return "utf-8"


def _config(explicit: str | None, isolated: bool = False) -> Config:
    """The configuration given, or found from here; with ``isolated``, the defaults (with the
    project root found as usual, so paths still read relative to the repository)."""
    if isolated and explicit:
        raise UsageError("--isolated ignores every configuration file; do not give --config with it")
    if isolated:  # the repository's .gitignore is its configuration too: it could hide articles
        return Config(None, find_config(Path.cwd(), read=False)[1], respect_gitignore=False)
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        return load_config(path, path.resolve().parent)
    path, root = find_config(Path.cwd())
    return load_config(path, root)


def results_cache(config: Config, pm: PluginManager, rules: dict, fingerprints: bool,
                  caches: Path | None = None) -> ResultCache:
    """The cache of unchanged files' results for this repository, in ``caches`` (default:
    ``user_cache_root``), keyed for this run."""
    plugins = [(name, origin, None if name.startswith("lintnews.") else getattr(pm.get_plugin(name), "__file__", None))
               for name, origin in pm.origins.items()]
    return ResultCache(repository_cache_dir(config.root, "results", cache_root=caches),
                       run_key(__version__, plugins, fingerprints, rules))


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of processes, at least 1, not {value!r}")
    return jobs


def _share(value: str) -> float:
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0 < share <= 1:
        raise argparse.ArgumentTypeError(f"must be a number above 0 and at most 1, not {value!r}")
    return share


def _ids(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]

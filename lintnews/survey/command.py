"""The ``lintnews init`` command: survey a repository and write the configuration that fits it."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .. import presets, progress
from ..config import CONFIG_NAMES, ConfigError, find_config
from ..files import discover
from ..fix.write import WriteRefused, target_of
from . import facts as survey_facts
from . import infer, site as site_detection, writer

__all__ = ["InitError", "run_init", "survey"]


class InitError(Exception):
    """An ``init`` that cannot go on; one line for the user."""


def survey(root: Path, rules: dict, formats: tuple = (), threshold: float = 0.9,
           stream=None) -> tuple[str, int]:
    """The configuration text for the repository at ``root``, and how many articles were read."""
    unread: list[str] = []
    site = site_detection.detect(root, unread)
    documents = site_detection.repository_documents(root)
    sources = discover([str(root)], root, list(infer.exclusions(site, documents)[0]), cwd=root,
                       gitignore=unread)  # what git ignores (a build) is no article to survey
    stream = stream or sys.stderr
    bar = progress.Progress(stream, label="lintnews init: reading") if progress.wanted(stream, os.environ) else None
    try:
        facts = survey_facts.gather(sources, root, rules, formats, bar)
    finally:
        if bar is not None:
            bar.close()
    if not facts.total:
        raise InitError(f"{root}: no articles found (Markdown or HTML files)")
    plan = infer.plan(facts, site, rules, threshold, documents, tuple(unread))
    chinese = facts.count(lambda a: a.language == "zh") * 2 > facts.total
    preset, written = writer.nearest_preset(plan, rules, root, chinese)
    return writer.render(plan, preset, written, facts.total, root.name or str(root)), facts.total


def run_init(args, rules: dict, formats: tuple = ()) -> int:
    """The ``lintnews init`` command; returns the exit code."""
    if args.list_presets:
        for name in presets.names():
            print(f"{name}\n" + "".join(f"    {line}\n" for line in presets.describe(name).splitlines()))
        return 0
    root = Path(args.path).resolve()
    if not root.is_dir():
        raise InitError(f"{args.path}: not a folder")
    existing = _existing_config(root)
    # overwrite the file that configures this folder: a new .lintnews.yaml beside a .lintnews.yml would
    # leave the old one in place, unused; one beside pyproject.toml takes precedence over its table
    target = existing if existing is not None and existing.name in CONFIG_NAMES else root / CONFIG_NAMES[0]
    if existing is not None and not args.stdout and not args.force:
        if existing == target:
            raise InitError(f"{existing} exists; use --force to overwrite it or --stdout to print a new one")
        raise InitError(f"{existing} configures lintnews; use --force to write {target.name} beside it "
                        "(which then takes precedence) or --stdout to print one")
    if not args.stdout:  # refused before the survey, which may take minutes
        target = _writable(target, root)
    text, articles = survey(root, rules, formats, args.threshold)
    if args.stdout:
        sys.stdout.write(text)
        return 0
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InitError(f"cannot write {target}: {exc.strerror or exc}") from None
    print(f"lintnews: wrote {target} from {articles} articles; run 'lintnews check' next", file=sys.stderr)
    return 0


def _writable(target: Path, root: Path) -> Path:
    """The file to write the configuration to: ``target``, new or a regular file, or the file
    it links to inside the repository, as ``--fix`` writes. A pull request can commit the
    link, and a link out of the repository would have init create or overwrite a file of
    the user's elsewhere."""
    if not os.path.lexists(target):
        return target
    try:
        return target_of(target, root)
    except WriteRefused as exc:
        raise InitError(f"{target}: {exc}") from None


def _existing_config(root: Path) -> Path | None:
    """The configuration file in ``root`` itself that ``lintnews check`` would read, if any."""
    try:
        found, _ = find_config(root)
    except ConfigError:                                 # a pyproject.toml that is not TOML configures nothing
        return None
    return found if found is not None and found.parent == root else None

"""``lintnews init``: survey a repository (read every article, gather facts) and write a
configuration that fits it. ``site`` detects the generator, ``facts`` reads the articles,
``infer`` turns facts into settings, ``writer`` picks the nearest preset and writes YAML."""
from __future__ import annotations

import sys
from pathlib import Path

from .. import presets
from ..config import CONFIG_NAMES
from ..files import discover
from . import facts as survey_facts
from . import infer, progress, site as site_detection, writer
from .notice import first_run_notice

__all__ = ["InitError", "first_run_notice", "run_init", "survey"]


class InitError(Exception):
    """An ``init`` that cannot go on; one line for the user."""


def survey(root: Path, rules: dict, formats: tuple = (), threshold: float = 0.9,
           stream=None) -> tuple[str, int]:
    """The configuration text for the repository at ``root``, and how many articles were read."""
    site = site_detection.detect(root)
    documents = site_detection.repository_documents(root)
    exclude = [*(f"{folder}/**" for folder in (site.not_articles if site else ())),
               *(f"/{name}" for name in documents)]
    sources = discover([str(root)], root, exclude, cwd=root)
    update, clear = progress.reporter(stream or sys.stderr, "lintnews init: reading articles")
    try:
        facts = survey_facts.gather(sources, root, rules, formats, update)
    finally:
        clear()
    if not facts.total:
        raise InitError(f"{root}: no articles found (Markdown or HTML files)")
    plan = infer.plan(facts, site, rules, threshold, documents)
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
    target = root / CONFIG_NAMES[0]
    existing = [root / name for name in CONFIG_NAMES if (root / name).exists()]
    if existing and not args.stdout and not args.force:
        raise InitError(f"{existing[0]} exists; use --force to overwrite it or --stdout to print a new one")
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

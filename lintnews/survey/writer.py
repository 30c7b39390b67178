"""Turning a plan into ``.lintnews.yaml``: the nearest preset, then only what differs from
it, every setting under a comment saying what the survey saw."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import yaml

from .. import presets
from ..config import Config, Settings, merge_settings
from ..output.common import printable
from .infer import Inference, Plan


def nearest_preset(plan: Plan, rules: dict, root: Path, prefer_chinese: bool) -> tuple[str, list[Inference]]:
    """The preset that needs the fewest settings written, and those settings; ties go to
    zh-repost for a Chinese repository and to the others in name order otherwise."""
    order = sorted(presets.names(), key=lambda name: (name != "zh-repost") if prefer_chinese else name)
    defaults = _states({}, rules, root)
    backed = {inference.rule for inference in plan.settings}
    best: tuple[int, str, list[Inference]] | None = None
    for name in order:
        base = presets.load(name).get("rules") or {}
        written = differences(plan, base, rules, root)
        # a preset's change that the survey found no reason for counts against it too
        chosen = _states(base, rules, root)
        unbacked = sum(1 for rule_id in set(chosen) | set(defaults)
                       if rule_id not in backed and chosen.get(rule_id) != defaults.get(rule_id))
        distance = len(written) + unbacked
        if best is None or distance < best[0]:
            best = (distance, name, written)
    assert best is not None, "lintnews ships presets"
    return best[1], best[2]


def differences(plan: Plan, base: dict, rules: dict, root: Path) -> list[Inference]:
    """The settings of ``plan`` that change what the preset rules ``base`` already give."""
    before = _states(base, rules, root)
    written = []
    for inference in plan.settings:
        after = _states(merge_settings({"rules": base}, {"rules": {inference.rule: inference.setting}})["rules"],
                        rules, root)
        if after.get(inference.rule) != before.get(inference.rule):
            written.append(inference)
    return written


def _states(rule_settings: dict, rules: dict, root: Path) -> dict:
    """Each enabled rule's (severity, options) under ``rule_settings``."""
    settings = Settings(Config(None, root, rules=rule_settings), rules)
    return {item.rule.id: (item.severity, json.dumps(item.options, sort_keys=True, default=repr))
            for item in settings.for_path("article.md")}


def render(plan: Plan, preset: str, written: list[Inference], articles: int, where: str) -> str:
    """The configuration file's text."""
    heading = f"lintnews configuration written by 'lintnews init' after reading {articles} articles under {where}."
    out = [*_comment([heading], "", wrap=False), *_comment(plan.notes, ""),
           "# Each setting says what the survey saw; change any of them freely.", ""]
    out += [f"# the nearest preset ({len(written)} setting(s) below differ from it; "
            f"'lintnews init --list-presets' describes each)", f"extends: {preset}", ""]
    if plan.exclude:
        out += [*_comment([plan.exclude_comment], ""), "exclude:"]
        out += [f"  - {_flow(pattern)}" for pattern in plan.exclude]
        out.append("")
    names = {inference.rule for inference in written}
    out.append("rules:" if written else "rules: {}")
    for inference in written:
        out += _comment([inference.comment], "  ")
        out += _setting(inference.rule, inference.setting)
    unchanged = [inference for inference in plan.settings if inference.rule not in names]
    remarks = [f"{inference.rule}, as the preset has it: {inference.comment}" for inference in unchanged]
    remarks += list(plan.kept)
    if remarks:
        out += ["", "# Seen, and left as they are:", *_comment(remarks, "", bullet=True)]
    return "\n".join(out) + "\n"


def _setting(rule_id: str, setting) -> list[str]:
    if isinstance(setting, dict):
        return [f"  {rule_id}:", *(f"    {key}: {_flow(value)}" for key, value in setting.items())]
    return [f"  {rule_id}: {_flow(setting)}"]


def _flow(value) -> str:
    """``value`` as one line of YAML flow style."""
    text = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=1_000_000).strip()
    return text[1:-1]


def _comment(lines, indent: str, bullet: bool = False, wrap: bool = True) -> list[str]:
    """``lines`` as YAML comments, wrapped at 100 characters (with ``wrap``). What the survey
    quotes (a folder's or a file's name, a reason from the system) is shown with its line breaks
    and other controls escaped, as a report shows a name: YAML ends a comment at ``\\n``, ``\\r``,
    ``\\x85``, ``\\u2028`` or ``\\u2029``, and what followed would be a live setting (a project
    folder named "news\\nexclude: ['**']" had every later check pass on no files)."""
    first, rest = (f"{indent}# - ", f"{indent}#   ") if bullet else (f"{indent}# ", f"{indent}# ")
    out = []
    for line in lines:
        line = printable(line, None)
        wrapped = (textwrap.wrap(line, 100 - len(first), break_long_words=False, break_on_hyphens=False)
                   if wrap else [line]) or [""]
        out += [first + wrapped[0], *(rest + part for part in wrapped[1:])]
    return out

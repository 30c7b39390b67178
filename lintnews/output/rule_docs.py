"""The loaded rules as JSON and as the Markdown rule reference (docs/rules.md)."""
from __future__ import annotations

import json


def rules_json(rules) -> str:
    """The loaded rules as JSON, for tools and documentation sites."""
    return json.dumps([{"id": rule.id, "severity": str(rule.severity), "enabled": rule.enabled,
                        "fix": rule.fix or None, "plugin": rule.plugin, "summary": rule.summary,
                        "url": rule.docs_url}
                       for rule in rules.values()],
                      ensure_ascii=False, indent=2) + "\n"


def rules_markdown(rules) -> str:
    """The rule reference (docs/rules.md), generated from the rules' own documentation."""
    parts = ["# Rule reference\n",
             "Generated from the rules' docstrings by `lintnews rules --output-format markdown`; "
             "do not edit by hand.\n"]
    parts += [f"- [`{rule.id}`](#{rule.id}) ({rule.severity}{'' if rule.enabled else ', opt-in'}"
              f"{f', {rule.fix} fix' if rule.fix else ''}): {rule.summary}" for rule in rules.values()]
    for rule in rules.values():
        parts.append(f"\n## {rule.id}\n")
        default = "On by default" if rule.enabled else "Opt-in: off until configured"
        fix = f"Fix: **{rule.fix}** (see `lintnews check --fix`)" if rule.fix else "No fix"
        parts.append(f"Default severity: **{rule.severity}**. {default}. {fix}. Plugin: `{rule.plugin}`.\n")
        parts.append(rule.doc.replace("``", "`") + "\n")
        if rule.options:
            parts.append("| option | default |\n| --- | --- |")
            parts += [f"| `{name}` | `{json.dumps(value, ensure_ascii=False)}` |"
                      for name, value in rule.options.items()]
    return "\n".join(parts) + "\n"

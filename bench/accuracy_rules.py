"""Findings per rule per repository on a corpus of article repositories, and samples to read.

    python bench/accuracy_rules.py count CORPUS --save after.json
    python bench/accuracy_rules.py compare before.json after.json [--per-repo]
    python bench/accuracy_rules.py sample after.json RULE [--size 20]

``count`` runs ``lintnews check --output-format json .`` in each repository folder (each
child of CORPUS), without a config file, and saves every finding; ``compare`` prints a
Markdown table of findings per rule before and after; ``sample`` prints up to ``--size``
findings of one rule, spread over the repositories (round robin, evenly spaced within
each), with the source line, for reading one by one.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path


def count(corpus: Path, save: Path) -> None:
    """Run lintnews in each repository of ``corpus``; save {repository: [finding, ...]}."""
    found: dict[str, list[dict]] = {}
    for repo in sorted(p for p in corpus.iterdir() if p.is_dir()):
        run = subprocess.run([sys.executable, "-m", "lintnews", "check", "--output-format", "json", "--no-cache",
                              "."], cwd=repo, capture_output=True, text=True, check=False)
        found[repo.name] = json.loads(run.stdout or "[]")
        print(f"{repo.name}: {len(found[repo.name])} findings", file=sys.stderr)
    save.write_text(json.dumps({"corpus": str(corpus.resolve()), "findings": found}, ensure_ascii=False))


def _per_rule(data: dict) -> Counter:
    return Counter(f["rule"] for findings in data["findings"].values() for f in findings)


def compare(before: Path, after: Path, per_repo: bool = False) -> None:
    """A Markdown table: rule, findings before, after (and ``before → after`` per repository)."""
    old_data, new_data = json.loads(before.read_text()), json.loads(after.read_text())
    old, new = _per_rule(old_data), _per_rule(new_data)
    repos = sorted(set(old_data["findings"]) | set(new_data["findings"]))
    if not per_repo:
        print("| rule | before | after |\n|---|---:|---:|")
        for rule in sorted(set(old) | set(new)):
            print(f"| {rule} | {old[rule]} | {new[rule]} |")
        return
    print("| rule | " + " | ".join(repo.split("__")[0] for repo in repos) + " |")
    print("|---|" + "---:|" * len(repos))
    for rule in sorted(set(old) | set(new)):
        cells = [f"{_count(old_data, repo, rule)} → {_count(new_data, repo, rule)}" for repo in repos]
        print(f"| {rule} | " + " | ".join(cells) + " |")


def _count(data: dict, repo: str, rule: str) -> int:
    return sum(1 for finding in data["findings"].get(repo, []) if finding["rule"] == rule)


def sample(saved: Path, rule: str, size: int) -> None:
    """Up to ``size`` findings of ``rule``, spread over the repositories, with their source line."""
    data = json.loads(saved.read_text())
    per_repo = defaultdict(list)
    for repo, findings in data["findings"].items():
        per_repo[repo] = [f for f in findings if f["rule"] == rule]
    picked: list[tuple[str, dict]] = []
    queues = {repo: _spread(items, size) for repo, items in per_repo.items() if items}
    while len(picked) < size and any(queues.values()):
        for repo, queue in queues.items():
            if queue and len(picked) < size:
                picked.append((repo, queue.pop(0)))
    for repo, finding in picked:
        path = Path(data["corpus"]) / repo / finding["path"]
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        source = lines[finding["line"] - 1] if finding["line"] <= len(lines) else ""
        print(f"{repo}/{finding['path']}:{finding['line']}:{finding['column']} {finding['message']}")
        print(f"    | {source.strip()[:160]}")


def _spread(items: list, size: int) -> list:
    """At most ``size`` items, evenly spaced through ``items``."""
    if len(items) <= size:
        return list(items)
    step = len(items) / size
    return [items[int(i * step)] for i in range(size)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("count")
    run.add_argument("corpus", type=Path)
    run.add_argument("--save", type=Path, required=True)
    table = commands.add_parser("compare")
    table.add_argument("before", type=Path)
    table.add_argument("after", type=Path)
    table.add_argument("--per-repo", action="store_true", help="before → after for each repository")
    read = commands.add_parser("sample")
    read.add_argument("saved", type=Path)
    read.add_argument("rule")
    read.add_argument("--size", type=int, default=20)
    args = parser.parse_args()
    if args.command == "count":
        count(args.corpus, args.save)
    elif args.command == "compare":
        compare(args.before, args.after, args.per_repo)
    else:
        sample(args.saved, args.rule, args.size)


if __name__ == "__main__":
    main()

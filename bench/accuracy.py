"""First run and after ``lintnews init``: findings per rule on each repository folder.

Usage::

    python bench/accuracy.py CORPUS [--keep DIR] [--json]

Each folder under CORPUS (one repository each) is copied to a temporary folder and made
a git repository of its own (so that no configuration above it is found); then, there,
``lintnews check --output-format json`` runs without a configuration, ``lintnews init``
writes one, and ``lintnews check --output-format json`` runs again. Printed: a Markdown
table of findings per rule before and after (all folders together), and one of articles,
findings and findings per article for each folder. ``--keep DIR`` keeps the copies, with
``before.json``/``after.json`` beside each, and ``after.json`` in DIR holding every finding
after ``init`` in the form ``accuracy_rules.py sample`` reads, for reading them one by one::

    python bench/accuracy_rules.py sample DIR/after.json inline-style
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path


def lintnews(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lintnews", *args], cwd=cwd, capture_output=True, text=True)


def measure(folder: Path, work: Path) -> dict:
    """Findings before and after ``init`` in a copy of ``folder`` under ``work``."""
    copy = work / folder.name
    shutil.copytree(folder, copy)
    subprocess.run(["git", "init", "-q", str(copy)], check=True)
    before = lintnews("check", "--output-format", "json", cwd=copy)
    made = lintnews("init", cwd=copy)
    if made.returncode:
        raise SystemExit(f"{folder.name}: lintnews init failed: {made.stderr.strip()}")
    after = lintnews("check", "--output-format", "json", cwd=copy)
    (work / f"{folder.name}.before.json").write_text(before.stdout, encoding="utf-8")
    (work / f"{folder.name}.after.json").write_text(after.stdout, encoding="utf-8")
    found_before, found_after = json.loads(before.stdout), json.loads(after.stdout)
    return {"repository": folder.name, "articles": _count(copy), "found_after": found_after,
            "before": Counter(f["rule"] for f in found_before), "after": Counter(f["rule"] for f in found_after),
            "preset": _preset(copy / ".lintnews.yaml")}


def _count(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.suffix in (".md", ".markdown", ".html", ".htm")
               and not any(part.startswith(".") for part in path.relative_to(folder).parts))


def _preset(config: Path) -> str:
    for line in config.read_text(encoding="utf-8").splitlines():
        if line.startswith("extends:"):
            return line.split(":", 1)[1].strip()
    return ""


def tables(results: list[dict]) -> str:
    before = sum((r["before"] for r in results), Counter())
    after = sum((r["after"] for r in results), Counter())
    out = ["| rule | findings before | after init |", "| --- | ---: | ---: |"]
    for rule in sorted(set(before) | set(after), key=lambda r: (-before[r], r)):
        out.append(f"| `{rule}` | {before[rule]} | {after[rule]} |")
    out.append(f"| **all** | **{sum(before.values())}** | **{sum(after.values())}** |")
    out += ["", "| repository | articles | preset | findings before | after | per article before | after |",
            "| --- | ---: | --- | ---: | ---: | ---: | ---: |"]
    for r in results:
        b, a, n = sum(r["before"].values()), sum(r["after"].values()), max(r["articles"], 1)
        out.append(f"| {r['repository']} | {r['articles']} | {r['preset']} | {b} | {a} | {b / n:.2f} | {a / n:.2f} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a folder of repository folders")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the copies and reports in DIR")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON instead")
    args = parser.parse_args(argv)
    folders = sorted(path for path in args.corpus.iterdir() if path.is_dir() and not path.name.startswith((".", "_")))
    if args.keep is not None and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: the folder holds files already (copies of an earlier run?); give an empty one")
    work = args.keep or Path(tempfile.mkdtemp(prefix="lintnews-accuracy-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = [measure(folder, work) for folder in folders]
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.keep is not None:
        found = {r["repository"]: r["found_after"] for r in results}
        (work / "after.json").write_text(json.dumps({"corpus": str(work.resolve()), "findings": found},
                                                    ensure_ascii=False), encoding="utf-8")
    for r in results:
        del r["found_after"]
    if args.json:
        print(json.dumps(results, indent=2, default=dict))
    else:
        print(tables(results), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())

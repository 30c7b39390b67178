"""Whole-process timing: ``lintnews check`` as a user runs it (a fresh process, JSON to a file),
interleaved with the parse floor in a fresh process of its own, round after round.

Passes, each run once per round in this order (so that drift on a shared machine hits
all of them alike):

- ``floor``: a fresh ``python`` that imports python-frontmatter and lxml, then reads every
  article, ``frontmatter.parse``s it and parses its body with ``lxml.html``;
- ``cold-1``: ``lintnews check . --jobs 1 --no-cache``;
- ``cold-N``: ``lintnews check . --no-cache`` (default jobs: the usable cores);
- ``warm``: ``lintnews check .`` with a results cache filled before the first round;
- ``imports``: ``python -c "import frontmatter, lxml.html, yaml, pluggy"``;
- ``one-file``: ``lintnews check ONE.md`` (default flags, its cache warm);
- ``one-edited``: the same on a copy of ONE.md that gains a line before each run, as a
  pre-commit hook checks an article just edited (its result is never in the cache).

Each ratio is computed within a round, then summarised as median and spread (min–max),
for wall-clock time and for CPU time (user + system of the process and its workers). On a
machine shared with other work, CPU ratios of one-process passes hold still where wall
ratios do not; the speed-up of several processes shows only in wall time. The outputs of
``cold-1``, ``cold-N`` and ``warm`` are compared byte for byte.
"""
from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
import os, sys
import frontmatter
from lxml import html
for base, folders, files in os.walk(sys.argv[1]):
    folders[:] = sorted(f for f in folders if f not in ('.git', 'node_modules') and not f.startswith('.'))
    for name in sorted(files):
        if os.path.splitext(name)[1].lower() in ('.md', '.markdown', '.html', '.htm'):
            try:
                _, body = frontmatter.parse(open(os.path.join(base, name), 'rb').read().decode('utf-8-sig'))
                html.fragment_fromstring(body, create_parent='div')
            except Exception:
                pass
"""
IMPORTS = "import frontmatter, lxml.html, yaml, pluggy"
RATIOS = [  # (name, numerator pass, denominator pass, target, lower is better)
    ("cold --jobs 1 / parse floor", "cold-1", "floor", 3.0),
    ("cold default jobs / parse floor", "cold-N", "floor", None),
    ("--jobs 1 / default jobs (speed-up)", "cold-1", "cold-N", None),
    ("warm cache / cold --jobs 1", "warm", "cold-1", 0.10),
    ("one-file start-up / imports", "one-file", "imports", 1.5),
    ("one edited file / imports", "one-edited", "imports", None),
]


def lintnews_command() -> list[str]:
    script = Path(sys.executable).parent / "lintnews"
    return [str(script)] if script.exists() else [sys.executable, "-m", "lintnews"]


def run(folder: Path, rounds: int, one: Path) -> dict:
    """Time every pass ``rounds`` times, interleaved; the JSON outputs go to a temporary folder."""
    out = Path(tempfile.mkdtemp(prefix="lintnews-whole-"))
    environment = {**os.environ, "LINTNEWS_CACHE_DIR": str(out / "cache")}
    environment.pop("GITHUB_ACTIONS", None)
    lint = lintnews_command()
    edited = out / "edited.md"  # outside the folder, which the other passes lint whole
    shutil.copyfile(one, edited)

    def check(name: str, *extra: str, target: str = ".") -> list[str]:
        return [*lint, "check", target, *extra, "--output-format", "json", "--output-file", str(out / f"{name}.json")]

    passes = {
        "floor": [sys.executable, "-c", FLOOR, str(folder)],
        "cold-1": check("cold-1", "--jobs", "1", "--no-cache"),
        "cold-N": check("cold-N", "--no-cache"),
        "warm": check("warm"),
        "imports": [sys.executable, "-c", IMPORTS],
        "one-file": check("one", target=str(one)),
        "one-edited": check("edited", target=str(edited)),
    }
    try:
        for name in ("warm", "one-file"):  # fill the cache first: these two measure it warm
            subprocess.run(passes[name], cwd=folder, env=environment, capture_output=True)
        times: dict[str, list[float]] = {name: [] for name in passes}
        cpu: dict[str, list[float]] = {name: [] for name in passes}
        identical = True
        for _ in range(rounds):
            for name, command in passes.items():
                if name == "one-edited":
                    with open(edited, "a", encoding="utf-8") as stream:  # not timed
                        stream.write("\n")
                before = _children_cpu()
                start = time.perf_counter()
                subprocess.run(command, cwd=folder, env=environment, capture_output=True)
                times[name].append(time.perf_counter() - start)
                cpu[name].append(_children_cpu() - before)
            outputs = {(out / f"{name}.json").read_bytes() for name in ("cold-1", "cold-N", "warm")}
            identical = identical and len(outputs) == 1
        return {"times": times, "cpu": cpu, "identical": identical, "ratios": ratios(times),
                "cpu_ratios": ratios(cpu)}
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ratios(times: dict[str, list[float]]) -> list[dict]:
    found = []
    for label, top, bottom, target in RATIOS:
        values = [a / b for a, b in zip(times[top], times[bottom])]
        median = statistics.median(values)
        found.append({"ratio": label, "median": round(median, 3), "min": round(min(values), 3),
                      "max": round(max(values), 3), "target": target,
                      "within_target": None if target is None else median <= target})
    return found


def report(results: dict, files: int, source: str) -> str:
    lines = [f"articles: {files} ({source}); whole process, {len(results['times']['floor'])} interleaved rounds"]
    for name, values in results["times"].items():
        used = results["cpu"][name]
        lines.append(f"  {name:<10} wall median {statistics.median(values):8.3f} s (min {min(values):.3f}, "
                     f"max {max(values):.3f});  cpu median {statistics.median(used):8.3f} s")
    for kind in ("ratios", "cpu_ratios"):
        lines.append("  wall-clock ratios:" if kind == "ratios" else "  CPU-time ratios:")
        for item in results[kind]:
            target = "" if item["target"] is None else \
                f"  target <= {item['target']:g}: {'met' if item['within_target'] else 'NOT met'}"
            lines.append(f"    {item['ratio']:<38} {item['median']:6.3f}x  "
                         f"(spread {item['min']:.3f}-{item['max']:.3f}){target}")
    lines.append(f"  outputs of cold --jobs 1, default jobs and warm: "
                 f"{'byte-identical' if results['identical'] else 'DIFFERENT'}")
    return "\n".join(lines)

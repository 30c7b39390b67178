"""Benchmark: the HTML report of a large archive: its size, the time to make it against the check
itself, and the time until the page is interactive in headless Chromium.

Usage::

    python bench/report_bench.py [--dir DIR] [--repeat R] [--browser-runs B] [--keep FILE] [--opt-in] [--json]

- check: what ``cd DIR && lintnews check .`` does in process, minus printing (``find_config``,
  ``load_config``, ``collect_rules``, ``Settings``, ``discover``, ``lint_paths``);
- report: ``format_html`` of that run's report (reading the offending source lines again);
- interactive: the system's headless Chromium (through selenium and the system's chromedriver)
  opens the report from a file:// URL; the page records ``performance.now()`` when its script has
  drawn the tiles, charts and table, i.e. milliseconds from navigation start to interactive.

Targets: the report within 20% of the check's time, interactive within 3 s. The best of
``--repeat`` runs (and of ``--browser-runs`` page loads) is kept. Exits 0 whatever the result.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from lintnews.config import Settings, find_config, load_config
from lintnews.files import discover
from lintnews.output.html import format_html
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.runner import lint_paths

TARGET_RATIO = 0.20
TARGET_INTERACTIVE_MS = 3000
DEFAULT_DIR = "/work/scale/scale"


def check(folder: Path, opt_in: bool = False):
    """One in-process ``lintnews check .`` in ``folder``: (seconds, report); with ``opt_in``, the
    opt-in rules too (but ``banned-terms``, which needs a lexicon), for more findings."""
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        start = time.perf_counter()
        path, root = find_config(Path.cwd())
        config = load_config(path, root)
        rules = collect_rules(plugin_manager())
        select = [rule_id for rule_id in rules if rule_id != "banned-terms"] if opt_in else None
        settings = Settings(config, rules, select)
        report = lint_paths(discover(["."], config.root, config.exclude), settings)
        return time.perf_counter() - start, report
    finally:
        os.chdir(cwd)


def make_report(report) -> tuple[float, str]:
    start = time.perf_counter()
    page = format_html(report)
    return time.perf_counter() - start, page


def interactive_ms(page: Path, runs: int) -> list[float]:
    """Milliseconds from navigation start until the report's script is done, per page load."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "chromedriver"))
    try:
        times = []
        for _ in range(runs):
            driver.get("about:blank")
            driver.get(page.resolve().as_uri())
            ready = WebDriverWait(driver, 60).until(
                lambda d: d.execute_script("return document.documentElement.dataset.ready"))
            times.append(float(ready))
        return times
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", default=DEFAULT_DIR, help=f"the archive (default {DEFAULT_DIR})")
    parser.add_argument("--repeat", type=int, default=2, help="check and report runs (best kept)")
    parser.add_argument("--browser-runs", type=int, default=3, help="page loads (best kept)")
    parser.add_argument("--keep", metavar="FILE", help="also write the report to FILE")
    parser.add_argument("--opt-in", action="store_true",
                        help="run the opt-in rules too (not banned-terms): about 1.6x the findings")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    checks, reports = [], []
    for _ in range(args.repeat):
        seconds, report = check(Path(args.dir), args.opt_in)
        checks.append(seconds)
        seconds, page = make_report(report)
        reports.append(seconds)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.html"
        path.write_text(page, encoding="utf-8")
        if args.keep:
            shutil.copyfile(path, args.keep)
        loads = interactive_ms(path, args.browser_runs)
    ratio = min(reports) / min(checks)
    result = {"dir": args.dir, "files": report.files_checked, "findings": len(report.findings),
              "check_seconds": round(min(checks), 3), "report_seconds": round(min(reports), 3),
              "ratio": round(ratio, 3), "target_ratio": TARGET_RATIO, "report_bytes": len(page.encode("utf-8")),
              "interactive_ms": round(min(loads)), "target_interactive_ms": TARGET_INTERACTIVE_MS,
              "within_target": ratio <= TARGET_RATIO and min(loads) <= TARGET_INTERACTIVE_MS,
              "times": {"check": checks, "report": reports, "interactive_ms": loads}}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['files']:,} files, {result['findings']:,} findings")
    print(f"check:       {result['check_seconds']:.2f} s")
    print(f"report:      {result['report_seconds']:.2f} s = {ratio:.1%} of the check (target <= {TARGET_RATIO:.0%})")
    print(f"size:        {result['report_bytes'] / 1e6:.2f} MB")
    print(f"interactive: {result['interactive_ms']} ms in headless Chromium (target <= {TARGET_INTERACTIVE_MS} ms)")
    print(f"within target: {result['within_target']}")


if __name__ == "__main__":
    main()

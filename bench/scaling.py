"""Scaling benchmark: the default rules on one scraped page of 1, 2, 4 and 8 MB.

Usage::

    python bench/scaling.py [--sizes 1 2 4 8] [--repeat R] [--per-rule] [--json]

Each page is one article whose body is a long run of scraped news: the generated Sina-style
bodies of ``bench/bench.py`` one after another, with empty paragraphs, images with and without
alt text, named anchors, promo blocks, CMS comments and editor credits between them. It is
written to a temporary folder and linted in this process as ``lintnews check`` does (every
default rule, ``max-file-size`` raised so the page is linted, not reported as too large); the
best of ``--repeat`` runs is kept. Linear rules keep the time per MB roughly constant; a
quadratic one doubles it at each step. ``--per-rule`` also times each rule alone, to find one.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench  # noqa: E402  the article generator of bench/bench.py

from lintnews.config import Config, Settings  # noqa: E402
from lintnews.files import SourceFile  # noqa: E402
from lintnews.plugins import collect_rules, plugin_manager  # noqa: E402
from lintnews.runner import lint_paths  # noqa: E402

MB = 1024 * 1024
_EXTRAS = ["<p>\u3000\u3000</p>", "<p>&nbsp;</p>", "<p><br/></p>", '<p><a id="m{0}"></a></p>',
           '<p><img src="https://n.sinaimg.cn/a/{0}.png"></p>', '<p><img src="//n.sinaimg.cn/b/{0}.jpg" alt="图"></p>',
           "<p>\u3000\u3000责任编辑：</p>", '<div class="clearfix appendQr_wrap"><p>扫码关注</p></div>',
           "<!-- news_keyword_pub,stock,{0} -->", "<p>\u3000\u3000他说：“市场回暖，成交放大！！</p>"]


def page(size: int, seed: int = 1) -> bytes:
    """One article of about ``size`` bytes of UTF-8: front matter, then scraped bodies back to back."""
    rng = random.Random(seed)
    parts = ["---\ntitle: 长页面\ndate: 2022-08-02\nauthor: 新浪财经\n---\n".encode()]
    length, index = len(parts[0]), 0
    while length < size:
        body = bench.article(rng, index).split("\n---\n", 1)[1]
        part = (body + rng.choice(_EXTRAS).format(index) + "\n").encode()
        parts.append(part)
        length += len(part)
        index += 1
    return b"".join(parts)


def lint_once(path: Path, rules: dict, select: list[str] | None) -> float:
    settings = Settings(Config(None, path.parent, max_file_size=64), rules, select)
    started = time.perf_counter()
    lint_paths([SourceFile(path, path.name, path.name)], settings)
    return time.perf_counter() - started


def measure(sizes: list[int], repeat: int, select: list[str] | None = None) -> list[dict]:
    rules = collect_rules(plugin_manager())
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in sizes:
            path = Path(folder) / f"page-{megabytes}mb.md"
            path.write_bytes(page(megabytes * MB))
            size = path.stat().st_size / MB
            best = min(lint_once(path, rules, select) for _ in range(repeat))
            rows.append({"mb": round(size, 2), "seconds": round(best, 3), "seconds_per_mb": round(best / size, 3)})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 4, 8], metavar="MB")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--per-rule", nargs="*", metavar="RULE",
                        help="also time each default rule alone (or only the rules named)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = {"default rules": measure(args.sizes, args.repeat)}
    if args.per_rule is not None:
        rules = collect_rules(plugin_manager())
        for rule_id in args.per_rule or [rule_id for rule_id, rule in rules.items() if rule.enabled]:
            result[rule_id] = measure(args.sizes, args.repeat, [rule_id])
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    for name, rows in result.items():
        first = rows[0]["seconds_per_mb"] or 1e-9
        cells = "  ".join(f"{row['mb']:5.2f} MB {row['seconds']:7.3f} s ({row['seconds_per_mb'] / first:4.2f}x/MB)"
                          for row in rows)
        print(f"{name:<22} {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

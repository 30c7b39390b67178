"""Benchmark: lintnews with every default rule against a parse-only pass over the same articles.

Usage::

    python bench/bench.py [--files N] [--dir DIR] [--repeat R] [--seed S] [--json] [--profile N]
                          [--lexicon N] [--fix] [--whole]

With ``--whole``, whole ``lintnews check`` processes are timed instead, as a user runs
them, interleaved with the parse floor (see ``whole_process.py``).

Without ``--dir`` it writes N generated articles (scraped-news style Hexo posts) into a
temporary folder and removes it afterwards. The two passes run in this process,
interleaved (baseline, lintnews, baseline, ...), and the best time of each is kept:

- baseline: list the article files, then for each read it, ``frontmatter.parse`` it and
  ``lxml.html.fragment_fromstring(body, create_parent="div")``;
- lintnews: what ``cd DIR && lintnews check .`` does in process, minus printing:
  ``find_config``/``load_config``, ``collect_rules(plugin_manager())``, ``Settings``,
  ``discover`` and ``lint_paths``.

The target is lintnews (all default rules) within 3x of the baseline on 5,000 articles.

With ``--lexicon N`` a third pass runs too: the default rules plus ``banned-terms`` with a
synthetic lexicon of N terms (written to a temporary folder; mixed Chinese and Latin,
none offensive), reported as its ratio to the default pass. Its target: at most 1.5x.

With ``--fix`` a fix pass runs too: what ``cd COPY && lintnews check --fix .`` does, on a
fresh scratch copy of the articles each time (copying is not timed), reported as its ratio
to the default pass. Its target: at most 2x.
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import email.utils
import datetime as dt
import gc
import io
import json
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import frontmatter
from lxml import html as lxml_html

from lintnews.config import Settings, find_config, load_config
from lintnews.files import ARTICLE_SUFFIXES, SKIPPED_FOLDERS, discover
from lintnews.fix.session import Fixer, Policy
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.runner import lint_paths

TARGET_RATIO = 3.0
LEXICON_TARGET_RATIO = 1.5
FIX_TARGET_RATIO = 2.0

# -- article generator ---------------------------------------------------------
# Word lists written for this benchmark; combined by a seeded generator so that every
# file differs while keeping the shape of a Sina Finance feed post.

_SUBJECTS = ["国家统计局", "人力资源社会保障部", "中国人民银行", "证监会", "多家券商", "市场监管总局",
             "上海证券交易所", "深圳市政府", "行业协会", "业内专家", "中小企业", "外资机构", "商务部",
             "银保监会", "多地文旅部门", "新能源车企", "头部平台企业", "地方财政部门", "研究机构", "基金公司"]
_VERBS = ["发布", "宣布", "启动", "推进", "部署", "印发", "披露", "强调", "表示", "指出", "完成", "召开"]
_OBJECTS = ["全媒体运营师能力验证工作", "新一轮稳增长政策", "季度经济运行数据", "跨境贸易便利化措施",
            "数字人民币试点方案", "绿色金融发展指引", "专项债券发行计划", "消费券发放细则", "职业技能提升行动",
            "上市公司年报披露安排", "制造业高质量发展意见", "数据安全管理办法", "乡村振兴重点任务",
            "科技创新再贷款", "养老金融产品试点", "房地产市场平稳健康发展举措"]
_CLAUSES = ["为进一步规范市场秩序", "在稳增长、稳就业的大背景下", "据不完全统计", "从全年来看",
            "与去年同期相比", "受多重因素影响", "截至目前", "记者从相关部门获悉", "业内人士分析认为",
            "数据显示", "按照统一部署", "结合地方实际"]
_TAILS = ["市场反应积极", "相关工作将分阶段实施", "具体细则将另行公布", "预计年内落地", "有关方面将持续跟踪评估",
          "投资者情绪有所回暖", "企业经营预期逐步改善", "政策效果正在显现", "仍需关注外部环境变化",
          "各项指标总体平稳"]
_UNITS = ["亿元", "万人", "个百分点", "家", "项", "万吨", "%"]
_CITIES = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京"]
_REPORTERS = ["王鹏蕾", "李晓明", "张思远", "陈静", "刘洋", "赵一鸣", "孙悦", "周可"]
_EDITORS = ["王蒙", "李桐", "张倩", "刘德宾", "杨赐", "郭建"]
_CATEGORIES = [["金融", "新浪财经", "新浪财经－国内"], ["金融", "新浪财经", "新浪财经－宏观"],
               ["金融", "新浪财经", "新浪财经－股市"], ["科技", "新浪科技"]]
_COMMENTS = ["正文下iframe", "news_keyword_pub,stock,", "总声明", "文末二维码 start", "文末二维码 end",
             "sinaads start", "左侧推荐 end"]
_HEADIMG = "https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png"

_EN_WORDS = ("market shares index investors central bank rate inflation growth quarter report analysts "
             "exports demand supply policy energy prices earnings company revenue outlook forecast data "
             "survey consumers jobs wages manufacturing services housing credit bond yields currency").split()
_EN_TITLES = ["Markets close higher as {0} eases", "{0} data beats expectations", "Investors weigh {0} outlook",
              "Regulator unveils new {0} rules", "What the latest {0} figures mean"]
_EN_AUTHORS = ["Jane Doe", "Sam Lee", "Priya Natarajan", "Tom Becker", "Ana Ruiz"]


def _rfc2822(rng: random.Random) -> str:
    start = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    moment = start + dt.timedelta(seconds=rng.randrange(4 * 365 * 86400))
    return email.utils.format_datetime(moment, usegmt=True)  # e.g. Tue, 02 Aug 2022 05:42:34 GMT


def _sentence(rng: random.Random) -> str:
    number = f"{rng.randint(2, 9999)}{rng.choice(_UNITS)}" if rng.random() < 0.6 else ""
    middle = f"，涉及规模约{number}" if number else ""
    return (f"{rng.choice(_CLAUSES)}，{rng.choice(_SUBJECTS)}{rng.choice(_VERBS)}"
            f"“{rng.choice(_OBJECTS)}”{middle}，{rng.choice(_TAILS)}。")


def _chinese_article(rng: random.Random, with_editor: bool) -> str:
    title = f"{rng.choice(_SUBJECTS)}{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}"
    date = _rfc2822(rng)
    moment = email.utils.parsedate_to_datetime(date)
    categories = rng.choice(_CATEGORIES)
    lines = ["", "---", f"title: '{title}'", "categories: "]
    lines += [f" - {category}" for category in categories]
    lines += [f"headimg: '{_HEADIMG}'", f"author: {categories[1]}", "comments: false",
              f"date: {date}", f"thumbnail: '{_HEADIMG}'", "---", "", "<div>   "]
    paragraphs = [f"原标题：{title}",
                  f"{rng.choice(['中新网', '新华网', '人民网'])}{rng.choice(_CITIES)}{moment.month}月{moment.day}日电 "
                  f"（记者 {rng.choice(_REPORTERS)}）{''.join(_sentence(rng) for _ in range(rng.randint(2, 4)))}"]
    paragraphs += ["".join(_sentence(rng) for _ in range(rng.randint(2, 6))) for _ in range(rng.randint(3, 9))]
    body = "\n".join(f"<p>\u3000\u3000{text}</p>" for text in paragraphs)
    lines.append(body + f"<!-- {rng.choice(_COMMENTS[:2])} -->")
    lines += [""] * rng.randint(2, 7)
    lines += ["<!-- 正文下iframe -->", "", "", "<!-- 正文下iframe -->", "", "<!-- 总声明-->", "", "",
              "<!-- 总声明-->", "", "<!-- 文末二维码 start -->", "", "",
              "            <!-- 文末二维码 start -->",
              "            <style>",
              "            .appendQr_wrap&#123;border:1px solid #E6E6E6;padding:8px;&#125;",
              "            .appendQr_normal&#123;float:left;&#125;",
              "            .appendQr_normal img&#123;width:74px;&#125;",
              "            .appendQr_normal_txt&#123;float:left;font-size:20px;line-height:74px;"
              "padding-left:20px;color:#333;&#125;",
              "            </style>",
              '            <div class="clearfix appendQr_wrap">',
              f'                <div class="appendQr_normal"><img src="{_HEADIMG}" referrerpolicy="no-referrer">'
              "</div>",
              '                <div class="appendQr_normal_txt">海量资讯、精准解读，尽在新浪财经APP</div>',
              "            </div>",
              "            <!-- 文末二维码 end -->", "", "<!-- 文末二维码 end -->", ""]
    if with_editor:
        lines.append(f'<p class="article-editor">责任编辑：{rng.choice(_EDITORS)} </p>')
    lines += ["", "</div>", ""]
    return "\n".join(lines)


def _english_article(rng: random.Random, index: int, with_editor: bool) -> str:
    topic = " ".join(rng.sample(_EN_WORDS, 2))
    title = rng.choice(_EN_TITLES).format(topic)
    lines = ["", "---", f"title: '{title}'", "categories: ", " - News", f" - {rng.choice(['Markets', 'Economy'])}",
             f"headimg: 'https://images.example-news.com/{index}/head.jpg'",
             f"author: {rng.choice(_EN_AUTHORS)}", "comments: true", f"date: {_rfc2822(rng)}",
             f"thumbnail: 'https://images.example-news.com/{index}/thumb.jpg'", "---", ""]
    for number in range(rng.randint(4, 9)):
        words = [rng.choice(_EN_WORDS) for _ in range(rng.randint(30, 80))]
        lines += [" ".join(words).capitalize() + ".", ""]
        if number % 3 == 1:
            lines += [f"![Chart: {' '.join(rng.sample(_EN_WORDS, 3))}]"
                      f"(https://images.example-news.com/{index}/chart-{number}.png)", ""]
    lines += ["<!-- more -->", ""]
    if with_editor:
        lines += [f"Editor: {rng.choice(_EN_AUTHORS)}", ""]
    return "\n".join(lines)


def article(rng: random.Random, index: int) -> str:
    """One article: mostly Chinese Sina-style posts, some without a credit, some English."""
    kind = rng.random()
    if kind < 0.12:
        return _english_article(rng, index, with_editor=rng.random() < 0.5)
    return _chinese_article(rng, with_editor=kind >= 0.22)


def generate(folder: Path, count: int, seed: int) -> None:
    posts = folder / "source" / "_posts"
    posts.mkdir(parents=True)
    rng = random.Random(seed)
    for index in range(count):
        (posts / f"news-{index:06d}.md").write_text(article(rng, index), encoding="utf-8")


_SYLLABLES = ("ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko ku la le li lo lu ma me mi mo mu "
              "na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo "
              "za ze zi zo zu").split()
# a few ordinary words of the generated articles, so that the lexicon pass reports something
_COMMON_TERMS = ["数据显示", "业内人士", "消费券", "专项债券", "outlook", "quarter report", "central bank"]


def write_lexicon(folder: Path, count: int, seed: int) -> Path:
    """A synthetic YAML lexicon of ``count`` terms in four categories: Chinese terms of 2-4
    characters, Latin pseudo-words, two-word Latin phrases and mixed terms, plus a handful
    of ordinary words (reported as info) and an allow list."""
    rng = random.Random(seed)

    def han(length: int) -> str:
        return "".join(chr(rng.randrange(0x4E00, 0x9FA6)) for _ in range(length))

    def word() -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(3, 4)))  # not "data" or "make"

    makers = [lambda: han(rng.randint(2, 4)), word, lambda: f"{word()} {word()}", lambda: word() + han(2)]
    terms: dict[str, list[str]] = {"chinese": [], "latin": [], "phrases": [], "mixed": []}
    seen = set(_COMMON_TERMS)
    names = list(terms)
    while sum(map(len, terms.values())) < max(0, count - len(_COMMON_TERMS)):
        index = rng.choices(range(4), weights=(45, 40, 10, 5))[0]
        term = makers[index]()
        if term not in seen:
            seen.add(term)
            terms[names[index]].append(term)
    categories = {name: {"severity": "warning", "message": f"synthetic {name} term", "terms": found}
                  for name, found in terms.items() if found}
    categories["common"] = {"severity": "info", "terms": _COMMON_TERMS}
    allow = [han(5) for _ in range(100)]
    path = folder / "lexicon.yaml"
    path.write_text(json.dumps({"categories": categories, "allow": allow}, ensure_ascii=False), encoding="utf-8")
    return path


# -- the passes ----------------------------------------------------------------

def article_files(folder: Path) -> list[Path]:
    """The files the baseline parses: the same suffixes and skipped folders as ``discover``."""
    found = []
    for base, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders
                               if name not in SKIPPED_FOLDERS and not name.startswith("."))
        found += [Path(base, name) for name in sorted(files) if Path(name).suffix.lower() in ARTICLE_SUFFIXES]
    return found


def baseline(folder: Path) -> dict:
    """Parse-only: read, ``frontmatter.parse``, ``lxml`` fragment; errors are counted, not raised."""
    files = article_files(folder)
    errors = 0
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8-sig")
            _, body = frontmatter.parse(text)
            lxml_html.fragment_fromstring(body, create_parent="div")
        except Exception:  # bad UTF-8, bad YAML, an empty body: real archives hold all three
            errors += 1
    return {"files": len(files), "errors": errors}


def lintnews(folder: Path, lexicon: Path | None = None) -> dict:
    """``lintnews check .`` run from ``folder``, in process, with the default rules (and
    ``banned-terms`` with ``lexicon``, if given)."""
    path, root = find_config(folder)
    config = load_config(path, root)
    if lexicon is not None:
        config.rules = {**config.rules, "banned-terms": {"lexicons": [str(lexicon)]}}
    settings = Settings(config, collect_rules(plugin_manager()))
    sources = discover([str(folder)], config.root, config.exclude, cwd=folder)
    report = lint_paths(sources, settings)
    return {"files": report.files_checked, "findings": len(report.findings),
            "by_rule": dict(sorted(collections.Counter(f.rule for f in report.findings).items()))}


def fixing(folder: Path) -> dict:
    """``lintnews check --fix .`` run from ``folder`` (a scratch copy: its files are rewritten),
    in process, with the default rules and their safe fixes."""
    path, root = find_config(folder)
    config = load_config(path, root)
    rules = collect_rules(plugin_manager())
    settings = Settings(config, rules)
    sources = discover([str(folder)], config.root, config.exclude, cwd=folder)
    fixer = Fixer(Policy(), config.root, rules)
    report = fixer.finish(lint_paths(sources, settings, fix=fixer))
    return {"files": report.files_checked, "files_changed": fixer.files_changed,
            "fixed": sum(fixer.fixed.values()), "fixed_by_rule": dict(sorted(fixer.fixed.items())),
            "failed": fixer.failed, "remaining": len(report.findings)}


def timed_fix(folder: Path) -> tuple[float, dict]:
    """The fix pass on a fresh copy of ``folder``; only the fixing is timed."""
    scratch = Path(tempfile.mkdtemp(prefix="lintnews-fix-"))
    try:
        copy = scratch / "articles"
        shutil.copytree(folder, copy, symlinks=True)
        return timed(fixing, copy)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def timed(function, *args) -> tuple[float, dict]:
    gc.collect()
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def measure(folder: Path, repeat: int, lexicon: Path | None = None, fix: bool = False) -> dict:
    base_times, lint_times, lexicon_times, fix_times = [], [], [], []
    base_result = lint_result = lexicon_result = fix_result = None
    for _ in range(repeat):
        if fix:
            seconds, fix_result = timed_fix(folder)
            fix_times.append(seconds)
        seconds, base_result = timed(baseline, folder)
        base_times.append(seconds)
        seconds, lint_result = timed(lintnews, folder)
        lint_times.append(seconds)
        if lexicon is not None:
            seconds, lexicon_result = timed(lintnews, folder, lexicon)
            lexicon_times.append(seconds)
    files = lint_result["files"]
    best_base, best_lint = min(base_times), min(lint_times)
    ratio = best_lint / best_base
    results = {
        "files": files,
        "baseline_files": base_result["files"],
        "baseline_errors": base_result["errors"],
        "repeat": repeat,
        "baseline_seconds": round(best_base, 4),
        "lintnews_seconds": round(best_lint, 4),
        "baseline_files_per_second": round(base_result["files"] / best_base, 1),
        "lintnews_files_per_second": round(files / best_lint, 1),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "within_target": ratio <= TARGET_RATIO,
        "findings": lint_result["findings"],
        "findings_by_rule": lint_result["by_rule"],
        "baseline_times": [round(t, 4) for t in base_times],
        "lintnews_times": [round(t, 4) for t in lint_times],
    }
    if lexicon is not None:
        best = min(lexicon_times)
        results["lexicon"] = {
            "seconds": round(best, 4),
            "ratio_to_default": round(best / best_lint, 3), "target_ratio": LEXICON_TARGET_RATIO,
            "within_target": best / best_lint <= LEXICON_TARGET_RATIO,
            "findings": lexicon_result["by_rule"].get("banned-terms", 0),
            "times": [round(t, 4) for t in lexicon_times]}
    if fix:
        best = min(fix_times)
        results["fix"] = {
            "seconds": round(best, 4), "ratio_to_default": round(best / best_lint, 3),
            "target_ratio": FIX_TARGET_RATIO, "within_target": best / best_lint <= FIX_TARGET_RATIO,
            **fix_result, "times": [round(t, 4) for t in fix_times]}
    return results


def profile(folder: Path, top: int, lexicon: Path | None = None) -> str:
    """cProfile of one lintnews pass (with the lexicon, if given), sorted by cumulative time."""
    profiler = cProfile.Profile()
    profiler.runcall(lintnews, folder, lexicon)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time lintnews (all default rules) against a parse-only pass.")
    parser.add_argument("--files", type=int, default=5000, help="articles to generate (default: 5000)")
    parser.add_argument("--dir", type=Path, help="lint this folder of articles instead of generating them")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs of each pass; best kept (default: 3)")
    parser.add_argument("--seed", type=int, default=2022, help="seed of the article generator")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.add_argument("--profile", type=int, metavar="N", default=0,
                        help="also profile one lintnews pass and print its top N functions (to stderr)")
    parser.add_argument("--lexicon", type=int, metavar="N", default=0,
                        help="also time banned-terms with a synthetic lexicon of N terms, against the default run")
    parser.add_argument("--whole", action="store_true",
                        help="time whole lintnews processes as a user runs them (cold, jobs, warm cache, "
                             "one-file start-up) against the parse floor; --repeat rounds (see whole_process.py)")
    parser.add_argument("--fix", action="store_true",
                        help="also time lintnews check --fix on a scratch copy, against the default run")
    args = parser.parse_args(argv)
    if args.files < 1 or args.repeat < 1 or args.lexicon < 0:
        parser.error("--files and --repeat must be at least 1, --lexicon at least 0")

    temporary = None
    lexicon_folder = tempfile.mkdtemp(prefix="lintnews-lexicon-") if args.lexicon else None
    lexicon = write_lexicon(Path(lexicon_folder), args.lexicon, args.seed) if lexicon_folder else None
    if args.dir is not None:
        if not args.dir.is_dir():
            parser.error(f"--dir {args.dir}: not a folder")
        folder = args.dir.resolve()
    else:
        temporary = tempfile.mkdtemp(prefix="lintnews-bench-")
        folder = Path(temporary)
        generate(folder, args.files, args.seed)
    try:
        if args.whole:
            return whole(folder, args)
        results = measure(folder, args.repeat, lexicon, args.fix)
        results["source"] = str(args.dir) if args.dir is not None else f"generated (seed {args.seed})"
        if lexicon is not None:
            results["lexicon"]["terms"] = args.lexicon
        if args.profile:
            sys.stderr.write(profile(folder, args.profile, lexicon))
    finally:
        for path in (temporary, lexicon_folder):
            if path:
                shutil.rmtree(path, ignore_errors=True)

    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        print(f"articles:  {results['files']} ({results['source']})")
        print(f"baseline:  {results['baseline_files_per_second']:>9.1f} files/s  "
              f"({results['baseline_seconds']:.3f} s, best of {args.repeat}; "
              f"{results['baseline_errors']} files failed to parse)")
        print(f"lintnews:  {results['lintnews_files_per_second']:>9.1f} files/s  "
              f"({results['lintnews_seconds']:.3f} s, best of {args.repeat})")
        verdict = "within" if results["within_target"] else "OUTSIDE"
        print(f"ratio:     {results['ratio']:.2f}x lintnews/baseline ({verdict} the {TARGET_RATIO:g}x target)")
        print(f"findings:  {results['findings']}  "
              + ", ".join(f"{rule}={count}" for rule, count in results["findings_by_rule"].items()))
        if lexicon is not None:
            extra = results["lexicon"]
            verdict = "within" if extra["within_target"] else "OUTSIDE"
            print(f"lexicon:   {extra['terms']} terms, {extra['seconds']:.3f} s (best of {args.repeat}), "
                  f"{extra['ratio_to_default']:.2f}x the default run ({verdict} the "
                  f"{LEXICON_TARGET_RATIO:g}x target); {extra['findings']} banned-terms findings")
        if args.fix:
            extra = results["fix"]
            verdict = "within" if extra["within_target"] else "OUTSIDE"
            print(f"fix:       {extra['seconds']:.3f} s (best of {args.repeat}), {extra['ratio_to_default']:.2f}x "
                  f"the default run ({verdict} the {FIX_TARGET_RATIO:g}x target); {extra['fixed']} fixes in "
                  f"{extra['files_changed']} files, {extra['failed']} failed, {extra['remaining']} findings left")
    return 0


def whole(folder: Path, args: argparse.Namespace) -> int:
    """The whole-process mode: fresh processes, interleaved, ratios with their spread."""
    import whole_process

    files = article_files(folder)
    results = whole_process.run(folder, args.repeat, files[0])
    source = str(args.dir) if args.dir is not None else f"generated (seed {args.seed})"
    if args.json:
        print(json.dumps({"files": len(files), "source": source, **results}, ensure_ascii=False))
    else:
        print(whole_process.report(results, len(files), source))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Properties of fixing, over generated articles: clean wire-copy paragraphs mixed with the
leftovers the fixes remove, with LF or CRLF line endings, with or without a BOM.

For every article: each byte outside the spans the fixes edited is kept; fixing again changes
nothing; the result parses as well as before; no finding or edit lies outside the file."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintnews.config import Config, Settings
from lintnews.document import Document
from lintnews.files import SourceFile
from lintnews.fix import engine, validate
from lintnews.fix.edits import Pass, line_starts, spans_to_original, to_original
from lintnews.fix.session import BOM, Fixer, Policy
from lintnews.plugins import collect_rules, plugin_manager
from lintnews.runner import lint_paths
from lintnews.testing import assert_positions_inside
from lintnews.violation import Edit

RULES = collect_rules(plugin_manager())
POLICY = Policy(unsafe=True)

# wire copy written for these tests
PARAGRAPHS = [
    "<p>　　新华社北京3月5日电（记者 李明）国家统计局今日发布数据，一季度国内生产总值同比增长5.2%。</p>",
    "<p>　　业内人士分析认为，消费回暖与出口改善共同推动了经济企稳，后续政策仍有发力空间。</p>",
    "Shares in Asia rose on Tuesday as investors weighed fresh data on factory output.",
    "<p>　　据介绍，该项目总投资约120亿元，预计2025年建成投产，将新增就业岗位3000个。</p>",
    "记者从市场监管总局获悉，今年以来共抽检食品样品12万批次，总体合格率为97.6%。",
    "<p>The central bank left its benchmark rate unchanged at 3.45%, in line with forecasts.</p>",
]
DEFECTS = [
    "<!-- news_keyword_pub,stock, -->",
    "<!-- 正文下iframe -->",
    "<p style=\"color:#333;font-size:20px\">　　沪指收涨，成交额放大。</p>",
    "<p>　　<font color=\"red\">涨幅居前</font>的板块包括半导体。</p>",
    "            <style>\n            .appendQr_wrap&#123;border:1px solid #E6E6E6;&#125;\n            </style>",
    "<p>　　价格区间为&#123;10,20&#125;元。</p>",
    "<p>　　成交额放大！！后市如何？？</p>",
    "<p>　　他说。。。然后离开了。</p>",
    "<p>　　中国,美国和日本的数据均好于预期。</p>",
    "<p>　　</p>",
    "<p>&nbsp;</p>",
    "<p>　　零\u200b宽字符混在正文里。</p>",
    "<p>　　正文。</p><!-- 总声明 -->",
    ("<!-- 文末二维码 start -->\n<style>\n.appendQr_wrap&#123;padding:8px;&#125;\n</style>\n"
     "<div class=\"clearfix appendQr_wrap\">\n<div class=\"appendQr_normal\"><img src=\"https://n.sinaimg.cn/"
     "finance/cece9e13/20200514/343233024.png\"></div>\n<div>海量资讯尽在新浪财经APP</div>\n</div>\n"
     "<!-- 文末二维码 end -->"),
    "<table border=\"1\"><tr><td align=\"center\" style=\"width:20px\" >1</td></tr></table>",
]
PROMO = "https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png"


@st.composite
def articles(draw) -> bytes:
    date = draw(st.sampled_from(["2022-08-02", "Tue, 02 Aug 2022 05:42:34 GMT", "'Wed, 03 Aug 2022 13:42:34 +0800'"]))
    head = ["---", "title: 沪指收涨", f"date: {date}", "author: 新华社"]
    if draw(st.booleans()):
        head.append(f"headimg: '{PROMO}'")
    head.append("---")
    blocks = draw(st.lists(st.one_of(st.sampled_from(PARAGRAPHS), st.sampled_from(DEFECTS)), min_size=1, max_size=10))
    gaps = draw(st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n"]), min_size=len(blocks), max_size=len(blocks)))
    text = "\n".join(head) + "\n" + "".join(block + gap for block, gap in zip(blocks, gaps))
    if not draw(st.booleans()):
        text = text.rstrip("\n")  # no final line break
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    elif draw(st.booleans()):  # mixed: CRLF in the front matter only
        text = text.replace("\n", "\r\n", 5)
    return (BOM if draw(st.booleans()) else b"") + text.encode("utf-8")


def fix_file(root: Path, data: bytes) -> tuple[bytes, list]:
    (root / "a.md").write_bytes(data)
    settings_ = Settings(Config(None, root), RULES)
    report = lint_paths([SourceFile(root / "a.md", "a.md", "a.md")], settings_,
                        fix=Fixer(POLICY, root, RULES))
    return (root / "a.md").read_bytes(), list(report.findings)


def edited_spans(text: str) -> tuple[str, list[tuple[int, int]], set[str], list]:
    """The fixed text, the spans of ``text`` the fixes edited (every pass mapped back), the
    front-matter keys removed on purpose, and the passes."""
    settings_ = Settings(Config(None, Path.cwd()), RULES)
    active = settings_.for_path("a.md")
    doc = Document("a.md", text)
    fixers = tuple(item for item in active if POLICY.wants(item.rule))
    outcome = engine.fix(doc, fixers, set(RULES), "a.md", lambda t: Document("a.md", t))
    assert outcome.failure is None, outcome.failure
    final = outcome.fixed_doc.text if outcome.fixed_doc else text
    spans = [to_original(outcome.passes[:index], edit.start, edit.end)
             for index, applied in enumerate(outcome.passes) for edit in applied.edits]
    removed = set(Document("a.md", text).meta) - set(Document("a.md", final).meta)
    return final, spans, removed, outcome.passes


def kept_outside(before: str, after: str, spans: list[tuple[int, int]]) -> bool:
    """Whether ``after`` is ``before`` with only the given spans replaced (by anything)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, pos = [], 0
    for start, end in merged:
        pieces.append(re.escape(before[pos:start]))
        pos = end
    pieces.append(re.escape(before[pos:]))
    return re.fullmatch("(?:.*?)".join(pieces), after, re.DOTALL) is not None


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_fixing_keeps_other_bytes_settles_parses_and_stays_inside_the_file(data):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        fixed_bytes, findings = fix_file(root, data)
        assert fixed_bytes.startswith(BOM) == data.startswith(BOM)
        before, after = Document.decode(data), Document.decode(fixed_bytes)
        expected, spans, removed, passes = edited_spans(before)
        assert after == expected
        assert kept_outside(before, after, spans)
        assert before.endswith("\n") == after.endswith("\n")
        assert "\n" not in after.replace("\r\n", "") or "\n" in before.replace("\r\n", "")  # no LF in CRLF text
        assert "fix-failed" not in {f.rule for f in findings}
        assert validate.problem(Document("a.md", before), Document("a.md", after), removed, passes) is None
        assert removed <= {"headimg"}
        lines = list(zip(line_starts(after), [*line_starts(after)[1:], len(after) + 1]))
        assert spans_to_original(passes, lines) == [to_original(passes, *line) for line in lines]
        assert_positions_inside(after, findings)
        for finding in findings:
            for edit in finding.fix:
                assert 0 <= edit.start <= edit.end <= len(after)
        again, findings_again = fix_file(root, fixed_bytes)
        assert again == fixed_bytes
        assert [f for f in findings_again if f.fix] == []


# -- choosing fixes and removing blocks, against the plain definitions they are faster than ----

def _choose_by_comparing_all(fixes):
    """``choose`` as defined: each fix compared with every edit taken before it."""
    from lintnews.fix.edits import overlaps
    order = sorted(range(len(fixes)), key=lambda i: (min(e.start for e in fixes[i]), -max(e.end for e in fixes[i]), i))
    taken, chosen = [], []
    for index in order:
        edits = fixes[index]
        if any(overlaps(edit, other) for edit in edits for other in taken) \
                or any(overlaps(a, b) for n, a in enumerate(edits) for b in edits[n + 1:]):
            continue
        taken.extend(edits)
        chosen.append(index)
    return sorted(chosen)


_EDIT = st.builds(lambda start, length: (start, start + length), st.integers(0, 40), st.integers(0, 6))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_EDIT, min_size=1, max_size=6), max_size=30))
def test_choose_takes_the_fixes_that_comparing_with_every_taken_edit_takes(spans):
    from lintnews import Edit
    from lintnews.fix.edits import choose
    fixes = [tuple(Edit(start, end, "") for start, end in fix) for fix in spans]
    assert choose(fixes) == _choose_by_comparing_all(fixes)


def test_choose_compares_the_edits_of_a_fix_with_their_neighbours_not_with_each_other(monkeypatch):
    # one fix removing 50,000 <font> tags: compared pair by pair, its edits took 1.25 billion
    # comparisons (minutes); a fix whose last edit meets the one before it is still refused
    from lintnews import Edit
    from lintnews.fix import edits
    count = 50_000
    compared = 0
    compare = edits.overlaps

    def overlaps(a, b):
        nonlocal compared
        compared += 1
        assert compared <= count, "the edits of a fix are compared pair by pair"
        return compare(a, b)

    monkeypatch.setattr(edits, "overlaps", overlaps)
    apart = tuple(Edit(3 * i, 3 * i + 1, "") for i in range(count))
    base = 3 * count
    clashing = (Edit(base + 3 * count, base + 3 * count, "x"),
                *(Edit(base + 3 * i, base + 3 * i + 1, "") for i in reversed(range(count + 1))))
    assert edits.choose([clashing, apart, (Edit(1, 4, "x"),)]) == [1]


def _remove_block_reading_lines(text, start, end, floor=0):
    """``remove_block`` as defined, reading the block's whole line and the text before it."""
    from lintnews.fix.edits import (_BLANK_LINES, _HORIZONTAL, _after_a_gap, _blank, _gap, _html, _next_line,
                                    _previous_line, delete)
    line_start = max(text.rfind("\n", 0, start) + 1, floor)
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before, after = text[line_start:start], text[end:line_end]
    if not _blank(before):
        if _blank(after):
            return delete(len(text[:start].rstrip(_HORIZONTAL)), line_end - (text[line_end - 1:line_end] == "\r"))
        return delete(start, end)
    if not _blank(after):
        return delete(start, end)
    if line_end == len(text):
        cut = line_start - 1 if line_start > floor and text[line_start - 1] == "\n" else line_start
        if cut < line_start and text[cut - 1:cut] == "\r":
            cut -= 1
        return delete(cut, line_end)
    previous = _previous_line(text, line_start, floor)
    stop = line_end + 1
    if _after_a_gap(text, line_start, previous, floor):
        return delete(line_start, _BLANK_LINES.match(text, stop).end())
    following = _next_line(text, stop)
    if following is None or _gap(following) or _html(previous) or _html(following):
        return delete(line_start, stop)
    return delete(line_start, line_end - (text[line_end - 1] == "\r"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\t", "\r", "\n", "\u3000", "<!--x-->"]), max_size=40), st.data())
def test_remove_block_reads_only_the_spaces_around_a_block_and_removes_what_reading_its_line_does(pieces, data):
    from lintnews.fix.edits import remove_block
    text = "".join(pieces)
    blocks = [match.span() for match in re.finditer("<!--x-->", text)]
    if not blocks:
        return
    start, end = data.draw(st.sampled_from(blocks))
    floor = data.draw(st.integers(0, start))
    assert remove_block(text, start, end, floor) == _remove_block_reading_lines(text, start, end, floor)


def test_spans_a_later_pass_widened_to_one_replacement_are_each_mapped_from_the_start():
    # the second pass wrote "ZZZ" over [0, 8): both spans inside it map back to [0, 8), the
    # second starting behind the first's end; the first pass shortened [2, 4) to one character
    passes = [Pass((Edit(2, 4, "x"),)), Pass((Edit(0, 8, "ZZZ"),))]
    spans = [(0, 1), (2, 3), (3, 5)]
    assert spans_to_original(passes, spans) == [to_original(passes, *span) for span in spans] \
        == [(0, 9), (0, 9), (9, 11)]


def test_a_span_a_later_pass_emptied_at_a_deletion_maps_as_back_maps_it():
    # the first pass deleted [0, 1); the second inserted "a" at 0, so the span [0, 1) after both
    # is that insertion, empty before it: at offset 0, where the deletion is, a start walks past
    # the deletion and an end stops before it, each as ``back`` walks from the first edit
    passes = [Pass((Edit(0, 1, ""),)), Pass((Edit(0, 0, "a"),))]
    assert spans_to_original(passes, [(0, 1)]) == [to_original(passes, 0, 1)] == [(1, 0)]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_spans_to_original_maps_each_span_as_to_original_does(data):
    passes, length = [], 40
    for _ in range(data.draw(st.integers(1, 3))):
        cuts = sorted(data.draw(st.lists(st.integers(0, length), min_size=0, max_size=8)))
        edits = tuple(Edit(start, end, data.draw(st.text("ab", max_size=4)))
                      for start, end in zip(cuts[::2], cuts[1::2]) if start < end or start == end)
        edits = tuple(edit for n, edit in enumerate(edits) if n == 0 or edit.start > edits[n - 1].end)
        passes.append(Pass(edits))
        length += sum(len(edit.replacement) - (edit.end - edit.start) for edit in edits)
    bounds = sorted(set(data.draw(st.lists(st.integers(0, length), max_size=10))))
    spans = list(zip(bounds[::2], bounds[1::2]))  # in order, none empty, as code blocks' lines are
    assert spans_to_original(passes, spans) == [to_original(passes, *span) for span in spans]

"""Chinese typography rules: spaces beside full-width punctuation, and ASCII stand-ins for
Chinese quotes, dashes and arrows."""
from __future__ import annotations

import re
from operator import methodcaller

from lintnews import Edit, hookimpl, rule
from lintnews.lazy_re import lazy_compile
from lintnews.rules.body_text import CJK_PUNCT, HAN, KANA, has_han

# -- fullwidth-spacing ---------------------------------------------------------

# full-width marks carry their own space: a space beside one is a typing slip
FULLWIDTH_MARKS = "，。、；：！？“”‘’（）《》【】「」"
# A run of spaces typed beside a mark in the source, found from its first space: one that follows a
# mark, or one that starts after a non-space and ends at a mark. Every prose gap that can be reported
# (a run of spaces and no-break spaces beside a mark that, with the characters on either side, reads
# the same in the source and the prose) is such a run of the source with its no-break spaces made
# spaces, and the source, not yet blanked, holds a few spaces where the prose holds runs of them for
# each tag: the scan skips ahead to each space (one literal, several times faster than a class) and
# turns most away at once. A space inside a run (a space before it) is turned away first, with one
# look behind: runs of indentation are most of the spaces the scan stops at
_TYPED_GAP = lazy_compile(f" (?<!  )(?:(?<=[{FULLWIDTH_MARKS}] ) *+| *+(?=[{FULLWIDTH_MARKS}]))")
_WORD_OR_CJK = lazy_compile(f"[\\w{HAN}{CJK_PUNCT}]")
_OPENERS = "“‘（《【「"
_CLOSERS = "”’）》】」"
_QUOTES = "“”‘’"
_HAN_CHAR = lazy_compile(f"[{HAN}]")
_KANA = lazy_compile(f"[{KANA}]")
# where a heading's text starts on its line: Chinese headlines part their clauses with a space, after a
# closing quote too ("“监护人” 干妈报案"); a Markdown heading's marks may stand in a quotation or a list item
_ATX_HEADING = lazy_compile(r"[ \t]{0,3}(?:>[ \t]?)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?#{1,6}[ \t]+")
_HTML_HEADING = lazy_compile(r"<(/?)[hH][1-6](?:\s[^<>\n]*)?>")  # an opening <h2 …> or a closing </h2>
_CLAUSE_QUOTES = {"”": "“", "」": "「", "』": "『"}  # closing quote: its opening one
# a repost's line naming the source's headline ("原标题：…"), whose text is a heading's
_ORIGINAL_TITLE = lazy_compile(r"[ \t\u3000>*_]*原标题[ \t\u3000]*[:：][ \t\u3000*_]*")
# Letter-spaced text ("人 民 网 股 份 有 限 公 司 版 权 所 有 ，"): on the letters' side of a gap, three
# Chinese characters each parted from the next by one space. Its spaces are the letter spacing of
# a page's footer or banner, one defect (reported as residue where it is one), not a slip beside
# each mark.
_LETTER_SPACED = lazy_compile(f"[{HAN}] [{HAN}] [{HAN}]")
_SPACED = 5  # the characters of three letters so spaced
_SPACES = lazy_compile("[ \t\u3000]*")


@rule("fullwidth-spacing", severity="warning", fix="safe")
def fullwidth_spacing(doc, options):
    """No space beside full-width punctuation: ``晚上，“体制内``, not ``晚上， “体制内``.

    Full-width marks (``，。、；：！？“”‘’（）《》【】「」``) take the room of a
    character, space included; a space typed beside one (``失效： 一个``) shows as a
    gap. Reported at the space, when it stands between the mark and a letter, digit
    or Chinese character as a reader sees them: not at the start or end of a line,
    not where markup or code was (``，<b>`` or ``：`code```), and not between a
    Latin word and an opening bracket or after a closing one before a Latin word
    (``TiDB （开源）``, ``（开源） TiDB``), which mixed copy spaces on purpose, nor
    after a closing quote in a heading (or a repost's ``原标题：`` line) whose quotation
    has no space before it: Chinese headlines part their clauses with a space
    (``## “监护人” 干妈报案``). Nor is letter-spaced text (``版 权 所 有 ，未 经``, a
    page's footer), whose spaces are one defect, not a slip beside each mark. Curly
    quotes serve English copy too: a space beside one is reported only with Chinese
    text inside the quotes and beyond the space (``称 “也不差我一个”``, not
    ``选择 “yes”``). Japanese text (kana within 40 characters) is left alone: it
    spaces after ``！`` and ``？``.

    Fix (safe): the spaces are removed.

    Fails:

        <p>到了晚上， “体制内”的人都下班了。</p>

    Passes:

        <p>到了晚上，“体制内”的人都下班了。TiDB （开源数据库）也一样。</p>
    """
    if not has_han(doc):
        return  # every finding needs Chinese beside the space
    prose, text = doc.prose, doc.text
    gaps = _typed_gaps(text.replace("\u00a0", " ") if "\u00a0" in text else text, doc.body_offset)
    headings: dict[int, list[tuple[int, int]]] = {}  # line start -> where its headings' text runs
    for start, end in gaps:
        if start <= doc.body_offset or end >= len(prose):
            continue
        before, after = prose[start - 1], prose[end]
        # (two characters compared first: cheaper than a pattern's match, and as often decisive)
        if text[start - 1] != before or text[end] != after:
            continue  # markup beside the mark, blanked in the prose
        if not _WORD_OR_CJK.match(before) or not _WORD_OR_CJK.match(after):
            continue  # the start or the end of a line, or markup beside the mark
        if text[start:end] != prose[start:end]:
            continue  # a blanked tag or code span, not a typed space
        if (after in _OPENERS and before.isascii()) or (before in _CLOSERS and after.isascii()):
            continue  # mixed copy: "TiDB （…）", "（…） TiDB"
        if before == "电" and after == "（":
            continue  # a wire dateline: "中新网北京8月2日电 （记者 王鑫蕊）"
        if _KANA.search(prose, max(start - 40, 0), end + 40):
            continue  # Japanese, which spaces after "！" and "？"
        if _letter_spaced(prose, start, end, before, after):
            continue  # letter-spaced text: "版 权 所 有 ，未 经"
        if before in _QUOTES and not _chinese_quote(before, prose[start - 2:start - 1], after) or \
                after in _QUOTES and not _chinese_quote(after, prose[end + 1:end + 2], before):
            continue
        if before in _CLAUSE_QUOTES and _clause_break(doc, start, headings):
            continue  # a headline's clause break: "## “监护人” 干妈报案"
        yield doc.violation(start, f"space between {before!r} and {after!r}: full-width punctuation takes none",
                            end, fix=Edit(start, end, ""))


def _typed_gaps(text: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of each run of spaces beside a full-width mark in ``text`` (the source, its
    no-break spaces made spaces) from ``start`` on, in order: every gap of the prose that reads the
    same in the source, on either side too, is one of them, however the prose's runs of spaces and
    no-break spaces fall; those that do not read the same are turned away after."""
    return [match.span() for match in _TYPED_GAP.finditer(text, start)]


def _clause_break(doc, offset: int, headings: dict[int, list[tuple[int, int]]]) -> bool:
    """Whether the space at ``offset``, after a closing quote, parts the clauses of a heading (a
    Markdown one, "## ", or an ``<h1>``-``<h6>`` on its line): its quotation does not stand after
    a space of its own, as in copy that spaces every quotation (``## 当 “安全” 意味着``). Each
    line's headings are found once (``headings``), and the quotation's opening quote is looked
    for back to the closing quote before it only: linear however many quotes a line holds."""
    text = doc.text
    line = offset - doc.position(offset)[1] + 1
    spans = headings.get(line)
    if spans is None:
        spans = headings[line] = _headings(text, line)
    heading = next((start for start, end in spans if start <= offset < end), None)
    if heading is None:
        return False
    closer = text[offset - 1]
    after_closer = max(heading, text.rfind(closer, heading, offset - 1) + 1)  # the quote closing the one before
    opener = text.rfind(_CLAUSE_QUOTES[closer], after_closer, offset - 1)
    if opener < 0 or text[opener - 1] not in " \t\u3000":
        return True
    return _SPACES.match(text, heading, opener).end() == opener  # the quotation opens the heading


def _headings(text: str, line: int) -> list[tuple[int, int]]:
    """Where the text of each heading on the line starting at ``line`` runs: a Markdown heading's
    (or a ``原标题：`` line's) after its marks, an HTML heading's from its opening tag to its
    closing one (or the line end)."""
    end = text.find("\n", line)
    end = len(text) if end < 0 else end
    found = []
    atx = _ATX_HEADING.match(text, line, end) or _ORIGINAL_TITLE.match(text, line, end)
    if atx is not None:
        found.append((atx.end(), end))
    opened = None
    for tag in _HTML_HEADING.finditer(text, line, end):
        if not tag.group(1):
            opened = opened if opened is not None else tag.end()
        elif opened is not None:
            found.append((opened, tag.start()))
            opened = None
    if opened is not None:
        found.append((opened, end))
    return found


def _letter_spaced(prose: str, start: int, end: int, before: str, after: str) -> bool:
    """Whether the letters beside the gap from ``start`` to ``end`` (between ``before`` and
    ``after``, one of them a mark) are letter-spaced text."""
    if before in FULLWIDTH_MARKS:
        return after not in FULLWIDTH_MARKS and _LETTER_SPACED.match(prose, end, end + _SPACED) is not None
    return start >= _SPACED and _LETTER_SPACED.match(prose, start - _SPACED, start) is not None


def _chinese_quote(quote: str, inside: str, outside: str) -> bool:
    """Whether a curly quote beside a space is Chinese: Chinese text inside it, and Chinese text
    or a full-width mark beyond the space.
    English copy uses the same marks, with spaces around them."""
    return bool(_HAN_CHAR.match(inside)) and bool(_HAN_CHAR.match(outside) or outside in FULLWIDTH_MARKS)


# -- makeshift-punctuation -----------------------------------------------------

# "＂" (a full-width ASCII quote); "--", "-->" or "->"; "=>": candidates, and none part of a longer run
# of dashes ("---", a rule line, a table's "|---|"), which are turned away in C; whether Chinese text
# is on both sides is checked after. The dashes are found by a scan starting with a literal the regex
# engine skips ahead to (a class of first characters is tried at every character, several times
# slower); "＂" and "=>" are rare: str.find, which looks for one character faster than the regex
# engine skips ahead to it, tells whether a text holds a "＂" at all, and finds each ">" (few in
# prose: tags are blanked) where a "=>" may end
_QUOTE = re.compile("＂")
_DASH = re.compile(r"-(?<!--)(?:-?>|-)(?![->])")
_ARROW = re.compile(r"=(?=>)(?<!-=)>(?![->])")
_CHINESE_BEFORE = lazy_compile(f"[{HAN}{CJK_PUNCT}][ \t]*$")
_CHINESE_AFTER = lazy_compile(f"[ \t]*[{HAN}“‘（《]")
_START = methodcaller("start")


@rule("makeshift-punctuation", severity="warning")
def makeshift_punctuation(doc, options):
    """Chinese copy uses its own quotes, dashes and arrows, not ASCII stand-ins.

    Reported at the mark, in the text as a reader sees it: full-width ASCII quotes
    ``＂…＂`` (write ``“…”``), and ``--``, ``->``, ``-->`` or ``=>`` between Chinese
    text, used as a dash (write ``——``) or an arrow (write ``→``). Code, comments
    and command-line options (``--help``) are never reported.

    Fails:

        <p>他说：＂明天见＂。北京--上海的高铁，上车-->检票。</p>

    Passes:

        <p>他说：“明天见”。北京——上海的高铁，上车→检票，运行 `git log --oneline` 查看。</p>
    """
    if not has_han(doc):
        return
    text, body = doc.prose, doc.body_offset
    matches = list(_DASH.finditer(text, body))
    if text.find("＂", body) >= 0:
        matches += _QUOTE.finditer(text, body)
    matches += _arrows(text, body)
    matches.sort(key=_START)
    for match in matches:
        mark, start, end = match.group(), match.start(), match.end()
        if mark == "＂":
            yield doc.violation(start, "full-width ASCII quote '＂': write “…”", end)
            continue
        if _CHINESE_BEFORE.search(text, max(start - 8, 0), start) and _CHINESE_AFTER.match(text, end):
            use = "a dash '——'" if mark == "--" else "an arrow '→'"
            yield doc.violation(start, f"{mark!r} in Chinese text: write {use}", end)


def _arrows(text: str, start: int) -> list[re.Match]:
    """``_ARROW``'s matches in ``text`` from ``start`` on: tried at each "=" before a ">"."""
    found = []
    close = text.find(">", start + 1)
    while close >= 0:
        if text[close - 1] == "=" and (match := _ARROW.match(text, close - 1)) is not None:
            found.append(match)
        close = text.find(">", close + 1)
    return found


@hookimpl
def lintnews_rules():
    return [fullwidth_spacing, makeshift_punctuation]

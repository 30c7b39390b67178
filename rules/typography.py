"""Chinese typography rules: spaces beside full-width punctuation, and ASCII stand-ins for
Chinese quotes, dashes and arrows."""
from __future__ import annotations

import re

from lintnews import hookimpl, rule
from lintnews.lazy_re import lazy_compile
from lintnews.rules.body_text import CJK_PUNCT, HAN, KANA, has_han

# -- fullwidth-spacing ---------------------------------------------------------

# full-width marks carry their own space: a space beside one is a typing slip
FULLWIDTH_MARKS = "，。、；：！？“”‘’（）《》【】「」"
# a mark with a space after it, or a space with a mark after it: two characters, each pattern
# starting with a character class or a literal the regex engine skips ahead to; the rest of the spaces is
# found from there (matching whole runs would try each of the long runs of spaces that blanked
# markup leaves in the prose once per space)
_SPACE_BESIDE_MARK = (re.compile(f"[{FULLWIDTH_MARKS}][ \u00a0]"), re.compile(f" [{FULLWIDTH_MARKS}]"),
                      re.compile(f"\u00a0[{FULLWIDTH_MARKS}]"))
_WORD_OR_CJK = lazy_compile(f"[\\w{HAN}{CJK_PUNCT}]")
_OPENERS = "“‘（《【「"
_CLOSERS = "”’）》】」"
_QUOTES = "“”‘’"
_HAN_CHAR = lazy_compile(f"[{HAN}]")
_KANA = re.compile(f"[{KANA}]")


@rule("fullwidth-spacing", severity="warning")
def fullwidth_spacing(doc, options):
    """No space beside full-width punctuation: ``晚上，“体制内``, not ``晚上， “体制内``.

    Full-width marks (``，。、；：！？“”‘’（）《》【】「」``) take the room of a
    character, space included; a space typed beside one (``失效： 一个``) shows as a
    gap. Reported at the space, when it stands between the mark and a letter, digit
    or Chinese character as a reader sees them: not at the start or end of a line,
    not where markup or code was (``，<b>`` or ``：`code```), and not between a
    Latin word and an opening bracket or after a closing one before a Latin word
    (``TiDB （开源）``, ``（开源） TiDB``), which mixed copy spaces on purpose. Curly
    quotes serve English copy too: a space beside one is reported only with Chinese
    text inside the quotes and beyond the space (``称 “也不差我一个”``, not
    ``选择 “yes”``). Japanese text (kana within 40 characters) is left alone: it
    spaces after ``！`` and ``？``.

    Fails:

        <p>到了晚上， “体制内”的人都下班了。</p>

    Passes:

        <p>到了晚上，“体制内”的人都下班了。TiDB （开源数据库）也一样。</p>
    """
    if not has_han(doc):
        return  # every finding needs Chinese beside the space
    prose, text = doc.prose, doc.text
    # the no-break space is rare: its pattern is left out where there is none
    patterns = _SPACE_BESIDE_MARK if "\u00a0" in prose else _SPACE_BESIDE_MARK[:2]
    gaps = sorted({_gap(prose, match.start() + (match.group()[0] in FULLWIDTH_MARKS))
                   for pattern in patterns for match in pattern.finditer(prose, doc.body_offset)})
    for start, end in gaps:
        if start <= doc.body_offset or end >= len(prose) or not _WORD_OR_CJK.match(prose, start - 1) \
                or not _WORD_OR_CJK.match(prose, end):
            continue  # the start or the end of a line, or markup beside the mark
        if text[start:end] != prose[start:end]:
            continue  # a blanked tag or code span, not a typed space
        before, after = prose[start - 1], prose[end]
        if text[start - 1] != before or text[end] != after:
            continue
        if (after in _OPENERS and before.isascii()) or (before in _CLOSERS and after.isascii()):
            continue  # mixed copy: "TiDB （…）", "（…） TiDB"
        if before == "电" and after == "（":
            continue  # a wire dateline: "中新网北京8月2日电 （记者 王鑫蕊）"
        if _KANA.search(prose, max(start - 40, 0), end + 40):
            continue  # Japanese, which spaces after "！" and "？"
        if before in _QUOTES and not _chinese_quote(before, prose[start - 2:start - 1], after) or \
                after in _QUOTES and not _chinese_quote(after, prose[end + 1:end + 2], before):
            continue
        yield doc.violation(start, f"space between {before!r} and {after!r}: full-width punctuation takes none",
                            end)


def _gap(prose: str, inside: int) -> tuple[int, int]:
    """The run of spaces around ``prose[inside]``."""
    start = end = inside
    while start > 0 and prose[start - 1] in " \u00a0":
        start -= 1
    while end < len(prose) and prose[end] in " \u00a0":
        end += 1
    return start, end


def _chinese_quote(quote: str, inside: str, outside: str) -> bool:
    """Whether a curly quote beside a space is Chinese: Chinese text inside it, and Chinese text
    or a full-width mark beyond the space.
    English copy uses the same marks, with spaces around them."""
    return bool(_HAN_CHAR.match(inside)) and bool(_HAN_CHAR.match(outside) or outside in FULLWIDTH_MARKS)


# -- makeshift-punctuation -----------------------------------------------------

# "＂" (a full-width ASCII quote), and "--", "-->", "->" or "=>": candidates, each starting with a
# literal the regex engine skips ahead to; whether Chinese text is on both sides is checked after
_MAKESHIFT = re.compile(r"＂|--?>|--|=>")
_CHINESE_BEFORE = lazy_compile(f"[{HAN}{CJK_PUNCT}][ \t]*$")
_CHINESE_AFTER = lazy_compile(f"[ \t]*[{HAN}“‘（《]")


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
    text = doc.prose
    for match in _MAKESHIFT.finditer(text, doc.body_offset):
        mark, start, end = match.group(), match.start(), match.end()
        if mark == "＂":
            yield doc.violation(start, "full-width ASCII quote '＂': write “…”", end)
            continue
        if text[start - 1:start] == "-" or text[end:end + 1] in ("-", ">"):
            continue  # part of a longer run of dashes ("---", a rule line)
        if _CHINESE_BEFORE.search(text, max(start - 8, 0), start) and _CHINESE_AFTER.match(text, end):
            use = "a dash '——'" if mark == "--" else "an arrow '→'"
            yield doc.violation(start, f"{mark!r} in Chinese text: write {use}", end)


@hookimpl
def lintnews_rules():
    return [fullwidth_spacing, makeshift_punctuation]

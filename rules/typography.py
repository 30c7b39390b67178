"""Chinese typography rules: spaces beside full-width punctuation, and ASCII stand-ins for
Chinese quotes, dashes and arrows."""
from __future__ import annotations

import re

from lintnews import hookimpl, rule
from lintnews.rules.body_text import CJK_PUNCT, HAN, KANA

# -- fullwidth-spacing ---------------------------------------------------------

# full-width marks carry their own space: a space beside one is a typing slip
FULLWIDTH_MARKS = "，。、；：！？“”‘’（）《》【】「」"
# a mark, spaces, then a letter, digit or Chinese character; or the other way round
_SPACED = re.compile(f"(?P<after>[{FULLWIDTH_MARKS}])(?P<gap>[ \u00a0]+)(?=[\\w{HAN}{CJK_PUNCT}])"
                     f"|(?<=[\\w{HAN}])(?P<before>[ \u00a0]+)(?=[{FULLWIDTH_MARKS}])")
_OPENERS = "“‘（《【「"
_CLOSERS = "”’）》】」"
_QUOTES = "“”‘’"
_HAN_CHAR = re.compile(f"[{HAN}]")
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
    prose, text = doc.prose, doc.text
    for match in _SPACED.finditer(prose, doc.body_offset):
        start, end = match.span("gap") if match.group("after") else match.span("before")
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


def _chinese_quote(quote: str, inside: str, outside: str) -> bool:
    """Whether a curly quote beside a space is Chinese: Chinese text inside it, and Chinese text
    or a full-width mark beyond the space.
    English copy uses the same marks, with spaces around them."""
    return bool(_HAN_CHAR.match(inside)) and bool(_HAN_CHAR.match(outside) or outside in FULLWIDTH_MARKS)


# -- makeshift-punctuation -----------------------------------------------------

# "＂…＂" (full-width ASCII quotes); "--" or "-->" between Chinese text, with or without spaces
_MAKESHIFT = re.compile(f"(?P<quote>＂)|(?<=[{HAN}{CJK_PUNCT}])[ \t]*(?P<dash>-->?|->|=>)(?=[ \t]*[{HAN}“‘（《])")


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
    text = doc.prose
    if "＂" not in text and "-" not in text and "=>" not in text:
        return
    for match in _MAKESHIFT.finditer(text, doc.body_offset):
        if match.group("quote"):
            yield doc.violation(match.start(), "full-width ASCII quote '＂': write “…”", match.end())
            continue
        mark = match.group("dash")
        use = "a dash '——'" if mark == "--" else "an arrow '→'"
        yield doc.violation(match.start("dash"), f"{mark!r} in Chinese text: write {use}", match.end("dash"))


@hookimpl
def lintnews_rules():
    return [fullwidth_spacing, makeshift_punctuation]

"""Punctuation rules for Chinese (and CJK) copy: repeated marks, unbalanced pairs and
half-width marks between CJK characters.

All three read the text as a reader sees it (``doc.prose``): front matter, code,
comments, tags and attributes are never checked. URLs left in the prose (bare
ones and Markdown link targets) are blanked first, so their ``?`` and ``.`` are
never reported either.
"""
from __future__ import annotations

import re
from collections import Counter
from bisect import bisect_left, bisect_right

from lintnews import Edit, hookimpl, rule
from lintnews.lazy_re import lazy_compile
from lintnews.rules.body_text import HAN, has_han
from lintnews.scan import blank

# -- shared (spacing uses these too) ---------------------------------------

# Han (body_text's HAN: the BMP's ideographs), the ideographs beyond the BMP, kana and hangul:
# the letters of CJK text
_OTHER_LETTERS = "\U00020000-\U0003134f\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
CJK_LETTERS = HAN + _OTHER_LETTERS
# CJK punctuation and full-width punctuation (not full-width letters or digits), plus the
# typographic quotes and ellipsis that Chinese copy uses
_CJK_PUNCT = ("\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
              "\u201c\u201d\u2018\u2019\u2026\u2014")

# a Markdown link target "](…)" and bare URLs; both survive in the prose. Each pattern
# starts with a literal the regex engine can skip ahead to. A bare URL is found from the ":" of its
# "://", its scheme looked behind for (group 1, 2 or 3 holds it: the match starts there).
_URL_CHARS = r"[^\s<>\"'“”‘’（）【】《》「」，。；！？、]"
# (the "(" after the "]" is looked ahead for: the engine skips ahead to one literal character faster)
# A target's title in double quotes goes with it when the ")" closes the target right after it
# ([WIKI](https://x.org/DWARF "DWARF WIKI")): its ")" would otherwise be read as the text's
_LINK_TARGET = lazy_compile(r'\](?=\()\([^)\s]*(?:[ \t]+"[^"\n]*"(?=\)))?\)?')
_BARE_URL = lazy_compile(r":(?=//)(?:(?<=(https):)|(?<=(http):)|(?<=(ftp):))//" + _URL_CHARS + "+")
# A "www." right after a scheme is inside the bare URL found from its "://", which ends where this
# match would (both run on to the first character no URL holds): not found twice, not blanked twice.
# The "//" after a ":" and the "ww." after a "w" are looked ahead for first: most colons are no
# URL's, and the engine skips ahead to one literal character faster than to "www."
_WWW = lazy_compile(r"w(?=ww\.)(?<!https://w)(?<!http://w)(?<!ftp://w)ww\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
                    + _URL_CHARS + "*")


def has_cjk(doc) -> bool:
    """Whether the body's prose holds any CJK letter or mark: every finding of these rules
    needs one (the search stops at the first, so CJK articles pay almost nothing, and an
    all-ASCII article is told at once). Computed once per document."""
    return _first_cjk(doc) >= 0


def has_cjk_letter(doc) -> bool:
    """Whether the body's prose holds a CJK letter (Han, kana or hangul). ``has_cjk`` holds for
    English copy with curly quotes, an ellipsis or a dash (marks Chinese copy uses too); the
    rules that need CJK letters check this instead, and pass such copy over. Computed once per
    document; in CJK copy the search stops at the first letter."""
    cached = doc.cache.get("punctuation.cjk-letter")
    if cached is None:
        # has_han is known already in most runs (the Chinese typography rules ask first), and
        # the class of the other letters compiles faster than one with every CJK letter. Copy
        # without Han is mostly English: its few characters beyond ASCII are searched, not its prose
        cached = doc.cache["punctuation.cjk-letter"] = has_cjk(doc) and \
            (has_han(doc) or _OTHER_LETTER.search(_beyond_ascii(doc)) is not None)
    return cached


_ASCII_RUN = lazy_compile("[\x00-\x7f]+")


def _beyond_ascii(doc) -> str:
    """The characters of the body's prose that are not ASCII, in order (the front matter is
    blanked). In English copy they are a few: a search for some of them in this string, not in
    the prose, spares a scan of the whole text, as the regex engine drops each run of ASCII
    characters several times faster than it searches for a class of characters. Computed once
    per document, where a rule asks (never for CJK copy, where it is the most of the text)."""
    cached = doc.cache.get("punctuation.beyond-ascii")
    if cached is None:
        cached = doc.cache["punctuation.beyond-ascii"] = _ASCII_RUN.sub("", doc.prose)
    return cached


def _first_cjk(doc) -> int:
    """The offset of the first CJK letter or mark of the body's prose, -1 for none."""
    first = doc.cache.get("punctuation.first-cjk")
    if first is None:
        prose = doc.prose
        found = None if prose.isascii() else _ANY_CJK.search(prose, doc.body_offset)
        first = doc.cache["punctuation.first-cjk"] = -1 if found is None else found.start()
    return first


def reader_text(doc) -> str:
    """``doc.prose`` with URLs blanked (same length and offsets)."""
    cached = doc.cache.get("punctuation.text")
    if cached is None:
        prose = doc.prose
        # no substring test first: each pattern's scan skips ahead to its literal about as fast.
        # Link targets are many (and hold no line break): blanked as the scan finds them
        text = _LINK_TARGET.sub(_spaces, prose)
        # A URL inside a link target ends with it: read as a bare URL, it would run on past the ")"
        # into the text after the link (URLs may hold ")"), and that text would go unread. The ":"
        # a bare URL is found from is blanked in ``text`` when it is inside a link target
        spans = [(match.start(match.lastindex), match.end()) for match in _BARE_URL.finditer(prose)
                 if text[match.start()] != " "]
        spans += [match.span() for match in _WWW.finditer(prose)
                  if match.start() == 0 or not prose[match.start() - 1].isalnum()]
        cached = blank(text, spans) if spans else text
        doc.cache["punctuation.text"] = cached
    return cached


def _spaces(match: re.Match) -> str:
    """As many spaces as ``match`` has characters."""
    return " " * (match.end() - match.start())


# -- repeated-punctuation -----------------------------------------------------

# two or more marks in a row; or a row of dots standing in for an ellipsis right after CJK text
# (three or more "." or two or more "．"; a row of "。" is a run of marks). One pattern, so that
# the text is scanned once: it starts with a class of every first character, which the regex
# engine skips ahead to, and each branch then looks behind for what that first character was
# (and, for the dots, the CJK character before it) instead of trying every position. Every
# branch needs a second mark or dot: looked ahead for first, it turns away at once the lone
# "，" and "。" that Chinese copy is full of. Both rows of dots look behind for the CJK character
# in one class (a CJK class takes milliseconds to compile), then for which dot they start with
_RUN_MARKS = "，。；、：！？!?"
_RUN = lazy_compile(rf"[{_RUN_MARKS}.．](?=[{_RUN_MARKS}.．])(?:(?<=[{_RUN_MARKS}])[{_RUN_MARKS}]+"
                    rf"|(?<=[{CJK_LETTERS}{_CJK_PUNCT}][.．])(?:(?<=\.)\.{{2,}}|(?<=．)．+))")
_ALLOWED_RUNS = {"?!", "!?", "？！", "！？"}
# a count closing its line after a leader (a unit after it, or not): "专用底座...1", "模型......1个"
_COUNT_ENDING_LINE = lazy_compile(r"[0-9０-９]{1,4}[\u4e00-\u9fff]?[ \t\u3000]*(?:\n|\Z)")
_FULL_WIDTH_RUN_MARKS = "，。；、：！？．"  # a run that is not all ASCII holds one of them
_LINE_END = lazy_compile(r"[ \t\u3000]*(?:\n|\Z)")
# pairs whose text is quoted as written: a work's title, a quotation
_QUOTING = (("《", "》"), ("「", "」"), ("『", "』"), ("“", "”"))


@rule("repeated-punctuation", severity="warning", fix="safe")
def repeated_punctuation(doc, options):
    """A punctuation mark is written once: no ``！！``, ``？？``, ``，，`` or ``。。。``.

    Doubled or piled-up marks (``！！``, ``？？``, ``，，``, ``。。``, ``；；``,
    ``、、``, ``：：``, mixed runs such as ``？！？`` or ``，。``, and ``!!``/``??``
    right after CJK text) are either typos or shouting, which news copy does not
    do; ``!!`` in English copy is left to its writer, and so are ``!!``, ``??`` and
    ``...`` after a curly quote, a dash or an ellipsis in an article without any
    CJK letter (``over—!!``, ``Really…??``), which is English copy. Each run is reported
    once, at its first mark. A makeshift ellipsis after CJK text (``。。。``,
    ``....``, ``......``, ``．．．．``) is reported with "write ……", unless its dots
    end the paragraph, where they cut it short (``truncated-text``'s finding), or lead
    to a count closing its line (``专用底座...1``, a list of a set's contents). A single
    question mark and exclamation mark together (``？！``, ``！？``, ``?!``, ``!?``)
    mark an exclamatory question and are allowed; so are marks inside a work's
    title or a quotation on the same line (``《排球少年!!》``, ``他喊：“救命！！”``),
    which are quoted as written. The ellipsis ``……``, the dash ``——`` and an
    ellipsis ``...`` after Latin text are correct and never reported; nor are
    marks inside code, URLs, tags or comments, nor the ``!`` that opens a Markdown
    image (``声优阵容。![海报](…)``). A line of Japanese (kana are two fifths or more of its
    CJK letters outside quotations and titles) may double a mark (``なる！！``) and is
    not reported, but for a makeshift ellipsis.

    Fix (safe): a run of one mark becomes that mark once (``！！`` → ``！``), and
    ``。。。`` or a makeshift ellipsis of dots becomes ``……``; a run of different marks is
    left to an editor.

    Fails:

        沪指收涨，成交额放大！！

    Passes:

        沪指收涨，成交额放大！后市如何？！分析师称……
    """
    if not has_cjk(doc):
        # a run of full-width marks is CJK text itself; "!!" and a row of dots count only
        # right after CJK text (the blanked front matter before the body holds none)
        return
    # Blanking URLs only turns characters into spaces, and a run (with the character looked
    # behind for) holds none, so each run of the URL-blanked text is in the prose too: without
    # one in the prose, there is none to report. Copy without CJK letters (English, mostly) is
    # searched so, to spare it blanking its URLs; the rest has them blanked for the other rules
    # anyway, and its runs come from the scan that finds unbalanced-pairs' marks too
    if not has_cjk_letter(doc) and (not any(mark in _beyond_ascii(doc) for mark in _FULL_WIDTH_RUN_MARKS)
                                    or _RUN.search(doc.prose, doc.body_offset) is None):
        return  # without CJK letters, a run of ASCII marks or dots is passed over (see below)
    text = reader_text(doc)
    quoted = _Quoted(text)
    japanese = _PerLine(doc, text, _japanese_line)
    for match in _marks_and_runs(doc)[1]:
        start, end, run = match.start(), match.end(), match.group()
        if run[-1] == "!" and text.startswith("[", end):  # its "!" opens a Markdown image: "。![…](…)"
            end -= 1
            run = run[:-1]
            if len(run) < 2:
                continue
        if run.isascii() and not has_cjk_letter(doc):
            continue  # "!!" or "..." after a curly quote, dash or ellipsis of English copy
        dots = run[0] in ".．"  # a makeshift ellipsis, not a run of marks
        ellipsis = dots or (set(run) == {"。"} and len(run) >= 3)
        if run in _ALLOWED_RUNS or quoted(start):
            continue
        if dots and _LINE_END.match(text, end):
            continue  # dots that end a paragraph cut it short: truncated-text's finding
        if dots and _COUNT_ENDING_LINE.match(text, end):
            continue  # a leader before a count, in a list of a set's contents: "专用底座...1"
        if run.isascii() and not dots and not _ANY_CJK.match(text, start - 1):
            continue  # "!!" in English copy is its writer's voice, not a Chinese typo
        if not ellipsis and japanese(start):
            continue  # Japanese copy may double a mark; a makeshift ellipsis is one there too
        if ellipsis:
            message = f"'{run}' used as an ellipsis (write '……')"
        else:
            message = f"repeated punctuation '{run}'"
        yield doc.violation(start, message, end, fix=_run_fix(start, end, run, dots))


def _run_fix(start: int, end: int, run: str, dots: bool) -> Edit | None:
    """One mark for a run of the same mark, ``……`` for ``。。。`` and for a row of dots used as
    an ellipsis; None for a mixed run."""
    if len(set(run)) != 1:
        return None
    ellipsis = dots or (run[0] == "。" and len(run) >= 3)
    return Edit(start, end, "……" if ellipsis else run[0])


class _Quoted:
    """Whether an offset is inside a work's title or a quotation opened earlier on its line, for
    offsets asked in increasing order.

    Counting the marks from the start of the line at every offset is quadratic on a long line
    of runs ("！！中a " repeated); each mark is one character, so its count up to an offset is
    its count up to the offset asked before (on the same line) plus its count in between.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0  # the marks are counted from the start of its line up to here
        self.counts = [0] * (2 * len(_QUOTING))  # opening, closing, opening, ... as in _QUOTING

    def __call__(self, offset: int) -> bool:
        text, pos, counts = self.text, self.pos, self.counts
        newline = text.rfind("\n", pos, offset)
        if newline >= 0:  # a new line: counted from its start
            pos = newline + 1
            counts[:] = [0] * len(counts)
        for index, (opening, closing) in enumerate(_QUOTING):
            counts[2 * index] += text.count(opening, pos, offset)
            counts[2 * index + 1] += text.count(closing, pos, offset)
        self.pos = offset
        return any(counts[index] > counts[index + 1] for index in range(0, len(counts), 2))


class _PerLine:
    """``judge(text, line_start, offset)`` of the line holding an offset, made once per line however
    many marks on it are asked about; the line's start comes from the Document's table of lines
    (reading back to it for each mark of a line of thousands is quadratic)."""

    def __init__(self, doc, text: str, judge) -> None:
        self.doc, self.text, self.judge = doc, text, judge
        self.lines: dict[int, bool] = {}

    def __call__(self, offset: int) -> bool:
        line, column = self.doc.position(offset)
        known = self.lines.get(line)
        if known is None:
            known = self.lines[line] = self.judge(self.text, offset - column + 1, offset)
        return known


def _japanese_line(text: str, start: int, offset: int) -> bool:
    """Whether the line from ``start`` (holding ``offset``) is Japanese: outside its quotations
    and titles (the whole line where all of it is quoted), two kana or more, and at least two
    fifths of its CJK letters. Chinese copy writes kana only in the Japanese names it mentions,
    most of them quoted (``“ちいかわ”``, ``《ハイキュー!!》``); a Japanese line follows Japanese
    conventions (``！！``, quotation marks other than “”), which the Chinese rules do not judge."""
    end = text.find("\n", offset)
    line = text[start:] if end < 0 else text[start:end]
    letters = _CJK_LETTER.findall(_outside_quotations(line)) or _CJK_LETTER.findall(line)
    kana = len(_KANA.findall("".join(letters)))
    return kana >= 2 and 5 * kana >= 2 * len(letters)


# the marks of a quotation or a title, in Chinese and Japanese copy: opening -> closing
_QUOTATIONS = {'"': '"', "“": "”", "「": "」", "『": "』", "《": "》", "【": "】"}
_QUOTATION_MARK = lazy_compile('["“”「」『』《》【】]')


def _outside_quotations(line: str) -> str:
    """``line`` without its quotations and titles, each from its opening mark to the closing one
    (a mark left open keeps the rest of the line): marks read once, left to right."""
    kept, pos, closer, opened = [], 0, None, 0
    for match in _QUOTATION_MARK.finditer(line):
        mark = match.group()
        if closer is None:
            if mark in _QUOTATIONS:
                kept.append(line[pos:match.start()])
                closer, opened = _QUOTATIONS[mark], match.start()
        elif mark == closer:
            closer, pos = None, match.end()
    kept.append(line[pos:] if closer is None else line[opened:])
    return "".join(kept)


# -- unbalanced-pairs ---------------------------------------------------------

_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "「": "」"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
# quotations may run over several paragraphs when each one opens with the same mark
_CONTINUED = {"“", "‘", "「"}
# a mark, or an entity for a quotation mark; written to start with one character class
# (an "&" that is no such entity does not match) so that the regex engine can skip ahead
_MARKS = lazy_compile("[“”‘’《》（）【】「」()&](?:(?<!&)|(?<=&)(?:[lr][sd]quo|#82(?:1[67]|2[01])|#[xX]201[89cCdD]);)")
_ENTITIES = {"&ldquo;": "“", "&rdquo;": "”", "&lsquo;": "‘", "&rsquo;": "’", "&#8220;": "“", "&#8221;": "”",
             "&#8216;": "‘", "&#8217;": "’"}
_QUOTES = {"“", "”", "‘", "’"}
_REVERSIBLE = {"“", "‘"}  # opening marks whose closing twin is often typed the wrong way round
_CJK_LETTER = lazy_compile(f"[{CJK_LETTERS}]")
_OTHER_LETTER = lazy_compile(f"[{_OTHER_LETTERS}]")
_CJK_BRACKETS = "《》（）【】「」"  # the marks checked in paragraphs without CJK letters
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
               "table", "tr", "td", "th", "section", "article", "figure", "figcaption", "hr", "dd", "dt",
               "pre", "header", "footer", "aside", "caption"}
_BLANK_LINE = lazy_compile(r"\n[ \t\r\f\v\u3000\u00a0]*+(?:>[ \t\r\f\v\u3000\u00a0]*+)*+(?=\n)")
# Markdown lines that start a block of their own: headings, list items, table rows
# (each anchored on the newline before the line: a literal the regex engine skips ahead to,
# where "^" with MULTILINE is tried at every position; the first line is matched apart)
_BLOCK_LINE = lazy_compile(r"\n([ \t]*+(?:>[ \t]*+)*+(?:#{1,6}[ \t]|[-*+][ \t]|\d{1,3}[.)][ \t]|\|))")
_ONE_LINE_BLOCK = lazy_compile(r"\n([ \t]*+(?:>[ \t]*+)*+(?:#{1,6}[ \t]|\|)[^\n]*)")
_LATIN = lazy_compile(r"[A-Za-z\u00c0-\u024f]")
_LEAD = " \t\r\n\f\v\u3000\u00a0>*_"
# "1）", "a）", "一）": an enumerator closed by a parenthesis, at a line start or after a mark (or
# after the "**" of its bold: "**1）findMoreEquiv**")
# ("1a）", a step under a step, too); or the "）" of a smiley (":）", "：-）"), no bracket either
_ENUMERATOR = lazy_compile(r"(?:(?:^|(?<=[\s，。；：、,;:*_]))(?:\d{1,2}[A-Za-z]?|[A-Za-z]|[一二三四五六七八九十]{1,2})"
                           r"|(?<![:：;；])[:：;；]-?)$")


@rule("unbalanced-pairs", severity="warning")
def unbalanced_pairs(doc, options):
    """Quotation marks, book-title marks and brackets must open and close in order.

    Within a paragraph (text between blank lines, or an HTML block such as ``<p>``,
    ``<li>``, a heading or a ``<br>``), each of ``“”``, ``‘’``, ``《》``, ``（）``,
    ``【】`` and ``「」`` must be closed, in the right order. An unmatched closing
    mark is reported at itself, an opening mark left open at itself; a full-width
    bracket closed by a half-width one (``（王鑫)``) is reported too. A quotation
    mark of the wrong direction is one finding, at that mark, naming the right one:
    ``“`` closing a quotation (``“这不可能“``), ``”`` opening one (``”这不可能”``);
    a pair typed the wrong way round (``”这不可能“``) is one finding, at its ``”``. A
    quotation running over several paragraphs follows the Chinese convention: a
    paragraph may leave ``“`` open when the next paragraph starts with ``“``; the
    last one must close it. One that runs on without ``“`` opening each continued
    paragraph is one finding, at its opening mark. A quotation broken over two short lines mid-sentence (a centred
    headline split into ``<p>`` lines) passes too. Entities (``&ldquo;``,
    ``&#8221;``) count as the marks they stand for.

    ASCII quotes and parentheses are never reported (too noisy in English copy),
    nor is ``’`` used as an apostrophe (``don’t``, ``’90s``, ``students’``), nor
    an enumerator closed by a lone bracket (``1）``, ``1a）``) or a smiley's (``:）``,
    ``：-）``), nor a quotation cut off by a feed (``以表扬其“....``:
    ``truncated-text``'s finding).

    Fails:

        <p>中新网北京8月2日电 （王鑫蕊）日前，记者从《人民日报获悉……</p>

    Passes:

        <p>中新网北京8月2日电 （王鑫蕊）日前，记者从《人民日报》获悉……</p>
        <p>他说：“第一段。</p>
        <p>“第二段。”</p>
    """
    if not has_cjk(doc):
        return  # every pair checked needs CJK text or is itself CJK punctuation
    if not has_cjk_letter(doc) and not any(mark in _beyond_ascii(doc) for mark in _CJK_BRACKETS):
        return  # quotation marks are checked only beside CJK letters, and ASCII brackets never
    text = reader_text(doc)
    start = doc.body_offset
    settled = _paired_within_lines(doc, text)
    if settled is None:
        return  # the common case: no paragraph can hold an unpaired mark, wherever paragraphs break
    # paragraphs that end before ``settled`` have nothing to report: start at a blank line before it
    # (a paragraph break wherever paragraphs are cut), so as not to cut the whole article up
    paragraphs = _paragraphs(doc, text, text.rfind("\n\n", start, settled) + 1 or start)
    results = []
    for para_start, para_end in paragraphs:
        if para_end <= settled or not _MARKS.search(text, para_start, para_end):
            results.append(([], {}, []))
            continue
        # quotation marks are checked in CJK paragraphs only: English copy uses ’ and ‘
        # too freely (apostrophes, elisions, nested quotes) for a sound check
        quotes = bool(_CJK_LETTER.search(text, para_start, para_end))
        results.append(_match(text, para_start, para_end, quotes))
    for index, (unclosed, findings, _) in enumerate(results):
        if not unclosed and not findings:
            continue  # most paragraphs: nothing to settle or report
        if unclosed and index + 1 < len(paragraphs):
            following = _first_mark(text[paragraphs[index + 1][0]:paragraphs[index + 1][1]])
            later = index + 1  # the quotation may run over a few broken lines
            while (later + 1 < len(paragraphs) and later - index < 4 and not results[later][2]
                   and _broken(text, paragraphs[later])):
                later += 1
            stray = results[later][2]
            kept = []  # not list.remove() per mark: quadratic on a paragraph of open marks
            for offset, mark in unclosed:
                if mark in _CONTINUED and following == mark:
                    continue  # the quotation goes on in the next paragraph
                if (mark in _CONTINUED and stray and stray[0][1] == _PAIRS[mark]
                        and _broken(text, paragraphs[index]) and _short(text, paragraphs[later])):
                    # a quotation broken over short lines mid-sentence (a centred headline or verse)
                    results[later][1].pop(stray.pop(0)[0], None)
                    continue
                if mark in _CONTINUED and (closer := _run_on(results, index, mark)) is not None:
                    # closed a few paragraphs on, which do not reopen it: one finding, here
                    findings[offset] = (f"quotation runs over {closer - index + 1} paragraphs without '{mark}' "
                                        "opening each continued one")
                    continue
                kept.append((offset, mark))
            unclosed = kept
        para_start, para_end = paragraphs[index]
        last_straight_quote = text.rfind('"', para_start, para_end)  # once, not a slice per mark
        for offset, mark in unclosed:
            if mark == "（" and offset in findings:
                continue
            if mark in "“‘「『" and _CUT_AFTER.match(text, offset + 1):
                continue  # "以表扬其“....": a feed cut the quotation off, truncated-text's finding
            if mark == "“" and last_straight_quote >= offset:
                findings.setdefault(offset, "'“' is closed by a half-width '\"'")
            findings.setdefault(offset, f"'{mark}' is never closed in its paragraph")
        for offset in sorted(findings):
            yield doc.violation(offset, findings[offset], _MARKS.match(text, offset).end())


_OPENERS = {**_PAIRS, "(": ")"}
# dots ending a paragraph right after an opening quote: where a feed cut the text (truncated-text)
_CUT_AFTER = lazy_compile(r"\.{2,}[ \t\u3000]*(?:\n|\Z)")
_APOSTROPHES = {"‘", "’"}


def _run_on(results: list, index: int, mark: str, reach: int = 8) -> int | None:
    """The index of the paragraph that closes the ``mark`` left open in paragraph ``index``
    with a stray closing mark, within ``reach`` paragraphs and before any other quotation
    opens; that stray mark is taken from its paragraph's findings."""
    closing = _PAIRS[mark]
    for later in range(index + 1, min(index + 1 + reach, len(results))):
        unclosed, findings, stray = results[later]
        if stray and stray[0][1] == closing:
            findings.pop(stray.pop(0)[0], None)
            return later
        if any(item[1] == mark for item in unclosed):
            return None
    return None


def _reversed_quotes(unclosed: list, findings: dict, stray: list) -> list:
    """Settle quotation marks of the wrong direction: a ``“`` left open after a ``“`` closes
    it (``“这不可能“``), a stray ``”`` before another stray ``”`` opens (``”这不可能”``);
    each is one finding at the wrong mark. Returns the openers still unclosed."""
    still: list[tuple[int, str]] = []
    for offset, mark in unclosed:
        if mark in _REVERSIBLE and still and still[-1][1] == mark:
            still.pop()
            findings[offset] = f"'{mark}' closes the quotation: write '{_PAIRS[mark]}'"
            continue
        still.append((offset, mark))
    index = 0
    while index + 1 < len(stray):
        (first, mark), (second, other) = stray[index], stray[index + 1]
        if mark == other and mark in _CLOSERS and _CLOSERS[mark] in _REVERSIBLE:
            findings[first] = f"'{mark}' opens the quotation: write '{_CLOSERS[mark]}'"
            findings.pop(second, None)
            del stray[index:index + 2]
            continue
        index += 1
    return still


# What ``_paired_within_lines`` reads: a pair with nothing but text inside (no other mark, no "&",
# no line break), which is most pairs, as one match; else one mark (or entity) as ``_MARKS`` reads it.
# The same scan finds the runs repeated-punctuation reports, as ``_RUN`` finds them: the text is read
# once for both rules. Every branch starts with a literal, so that the regex engine still skips ahead
# to a class of their first characters (a branch starting with a class would make it try each
# position); a pair is tried first at its opening mark, and a nested one falls back to the mark.
_SIMPLE_PAIRS = (("“", "”"), ("《", "》"), ("（", "）"), ("【", "】"), ("「", "」"), ("(", ")"))
# A pair's text holds no place where a run could start (a mark or dot followed by another), so that
# the pair's match never swallows a run; a pair that holds one is read mark by mark, which
# ``_paired_within_lines`` settles the same way (a pair is only a shortcut for its two marks).
_RUN_CHARS = _RUN_MARKS + ".．"
_TEXT_IN_PAIR = f"(?:[^“”‘’《》（）【】「」()&\n{_RUN_CHARS}]++|[{_RUN_CHARS}](?![{_RUN_CHARS}]))*+"
# ``_RUN`` written as one branch per first character: a run of marks from its first, or a row of
# dots right after CJK text (three or more ".", two or more "．")
_RUN_BRANCHES = ([re.escape(mark) + f"[{_RUN_MARKS}]+" for mark in _RUN_MARKS]
                 + [rf"\.(?<=[{CJK_LETTERS}{_CJK_PUNCT}]\.)\.{{2,}}", f"．(?<=[{CJK_LETTERS}{_CJK_PUNCT}]．)．+"])
_MARK_OR_RUN = lazy_compile("|".join(
    _RUN_BRANCHES
    + [re.escape(opening) + _TEXT_IN_PAIR + re.escape(closing) for opening, closing in _SIMPLE_PAIRS]
    + [re.escape(mark) for mark in "“”‘’《》（）【】「」()"]
    + ["&(?:[lr][sd]quo|#82(?:1[67]|2[01])|#[xX]201[89cCdD]);"]))


def _marks_and_runs(doc) -> tuple[tuple[list[int], list[str]], list[re.Match]]:
    """The marks and pairs unbalanced-pairs reads (as ``_MARK_OR_RUN`` finds them: their offsets and
    their texts, in order) and the runs repeated-punctuation reports, in ``reader_text`` from the
    body on; one scan, once per document. A mark is kept as its offset and text, not as its Match
    object: an article holds hundreds, and objects that refer to others are work for the garbage
    collector as long as they are kept."""
    cached = doc.cache.get("punctuation.marks-and-runs")
    if cached is None:
        offsets: list[int] = []
        marks: list[str] = []
        runs: list[re.Match] = []
        for match in _MARK_OR_RUN.finditer(reader_text(doc), doc.body_offset):
            found = match.group()
            # a run starts with one of its marks or dots, never with a quotation mark or bracket
            if found[0] in _RUN_CHARS:
                runs.append(match)
            else:
                offsets.append(match.start())
                marks.append(found)
        cached = doc.cache["punctuation.marks-and-runs"] = ((offsets, marks), runs)
    return cached


def _paired_within_lines(doc, text: str) -> int | None:
    """None when every mark of the body (in ``text``, the ``reader_text``) is closed in order by its own closing mark, with
    no line break and no block-level tag between the two; else the offset before which they
    are (the first mark still open where the check stops, or the mark it stops at).

    Paragraphs break only at line starts, line ends and block-level tags, so then each
    paragraph holds whole pairs, nested in order, and has nothing to report; so does each
    paragraph that ends before the offset returned (its pairs were all closed). Marks are
    read as ``_match`` reads them in a paragraph with CJK text: entities as their marks,
    ‘ and ’ as apostrophes where they are, a ``(`` may stay open and a ``)`` that closes
    nothing is passed over (unless a ``(`` or ``（`` is open, which would make the
    paragraph matter). In other paragraphs ``_match`` passes over all quotation marks,
    and removing whole pairs keeps the rest paired.
    """
    start = doc.body_offset
    # each opening mark still open: (offset, mark, the first "\n" in ``text`` and "<" in ``doc.text``
    # after it); its pair holds a line break or a tag when its closing mark comes after them
    stack: list[tuple[int, str, int, int]] = []
    open_marks: Counter = Counter()  # how many of each mark ``stack`` holds: no scan of it per mark
    end = len(text)
    blocks = None  # offsets of the block-level tags, found when a pair holds a "<"
    # the first "\n" and "<" at or after the opening mark read last (``end`` for none): searched
    # again only once a mark is past them, so once per line (or tag) that opens a pair, never per
    # pair (nested pairs would make a search of each pair's text quadratic)
    line_break = angle = -1
    for offset, mark in zip(*_marks_and_runs(doc)[0]):
        after_mark = offset + len(mark)  # (past an entity, which is read as its mark below)
        if len(mark) > 1:
            if mark[0] != "&":
                # a pair on one line with only text inside: pushed and popped at once, the stack
                # unchanged, unless a block-level tag comes between its two marks
                closing = after_mark - 1
                if offset > angle:
                    angle = _next(doc.text, "<", offset)
                if angle < closing:
                    if blocks is None:
                        blocks = [tag.offset for tag in doc.scan.tags if tag.name in _BLOCK_TAGS]
                    if bisect_right(blocks, offset) < bisect_left(blocks, closing):
                        return stack[0][0] if stack else offset
                continue
            mark = _ENTITIES.get(mark) or chr(int(mark[3:-1], 16))
        if mark in _APOSTROPHES:
            before = text[offset - 1] if offset > start else " "
            after = text[after_mark] if after_mark < end else " "
            if _apostrophe(mark, before, after, open_marks):
                continue
        if mark in _OPENERS:
            if offset > line_break:
                line_break = _next(text, "\n", offset)
            if offset > angle:
                angle = _next(doc.text, "<", offset)
            stack.append((offset, mark, line_break, angle))
            open_marks[mark] += 1
            continue
        if mark == ")" and not (stack and stack[-1][1] == "("):
            if open_marks["("] or open_marks["（"]:
                return stack[0][0]  # it would close a bracket, or be a finding
            continue  # a ")" that closes nothing is passed over
        if not stack or _OPENERS[stack[-1][1]] != mark:
            return stack[0][0] if stack else offset  # a stray or crossed closing mark
        opened, opener, break_after, angle_after = stack.pop()
        open_marks[opener] -= 1
        if break_after < offset:
            return stack[0][0] if stack else opened
        if angle_after < offset:
            if blocks is None:
                blocks = [tag.offset for tag in doc.scan.tags if tag.name in _BLOCK_TAGS]
            if bisect_right(blocks, opened) < bisect_left(blocks, offset):
                return stack[0][0] if stack else opened
    if all(item[1] == "(" for item in stack):
        return None  # a "(" left open is never reported
    return stack[0][0]


def _next(text: str, char: str, offset: int) -> int:
    """The offset of the first ``char`` in ``text`` at or after ``offset``; the text's length if none."""
    found = text.find(char, offset)
    return found if found >= 0 else len(text)


def _short(text: str, paragraph: tuple[int, int]) -> bool:
    return len(text[paragraph[0]:paragraph[1]].strip()) <= 40


def _broken(text: str, paragraph: tuple[int, int]) -> bool:
    """A short paragraph that stops mid-sentence: a line of a centred headline or verse."""
    line = text[paragraph[0]:paragraph[1]].strip()
    return len(line) <= 40 and not line.endswith(("。", "！", "？", "…", "；", "：", ".", "!", "?"))


def _first_mark(paragraph: str) -> str:
    """The mark a paragraph starts with (leading spaces, quote markers and emphasis skipped)."""
    found = _MARKS.match(paragraph.lstrip(_LEAD))
    if found is None:
        return ""
    mark = found.group()
    return mark if len(mark) == 1 else _ENTITIES.get(mark) or chr(int(mark[3:-1], 16))


def _paragraphs(doc, text: str, start: int) -> list[tuple[int, int]]:
    cuts = {start, len(text)}
    cuts.update(match.start() + 1 for match in _BLANK_LINE.finditer(text, start))
    cuts.update(tag.offset for tag in doc.scan.tags if tag.name in _BLOCK_TAGS)
    cuts.update(line_start for line_start, _ in _lines(_BLOCK_LINE, text, start))
    for span in _lines(_ONE_LINE_BLOCK, text, start):
        cuts.update(span)
    ordered = sorted(cut for cut in cuts if cut >= start)
    return [(a, b) for a, b in zip(ordered, ordered[1:]) if text[a:b].strip()]


def _lines(pattern: re.Pattern, text: str, start: int) -> list[tuple[int, int]]:
    """Spans of group 1 of a newline-anchored line pattern from ``start``, the line at ``start`` included."""
    if start > 0 and text[start - 1] == "\n":
        return [match.span(1) for match in pattern.finditer(text, start - 1)]
    return [(a - 1, b - 1) for a, b in (match.span(1) for match in pattern.finditer("\n" + text, start))]


_MAX_PASSES = 16
_INNERMOST = lazy_compile(r"“”|‘’|《》|（）|【】|「」|\(\)")


def _well_nested(marks: str) -> bool:
    """Whether the marks (no entities) pair up in order, innermost pairs removed until none is left.

    Each pass removes one level of nesting; past a few (real copy nests two or three deep)
    this says no and lets the stack in ``_match`` decide, in linear time."""
    for _ in range(_MAX_PASSES):
        if not marks:
            return True
        reduced = _INNERMOST.sub("", marks)
        if reduced == marks:
            return False
        marks = reduced
    return not marks


def _match(text: str, start: int, end: int, quotes: bool):
    """Match the pairs of ``text[start:end]``: (unclosed openers, {offset: message}, stray closers)."""
    marks = "".join(_MARKS.findall(text, start, end))
    if _well_nested(marks):
        return [], {}, []  # the common case, settled in C: every mark closes in order
    # quotation marks typed the wrong way round, pair by pair (”这不可能“): read as written, each
    # pair is a stray ” and a “ left open, or a ” closing across the pair after it; read the other
    # way round, each pair is one finding, at its ”
    # (a paragraph writing a mark as an entity, its "&" among the marks, is read as written)
    reversible = quotes and "&" not in marks and "”“" in _DOUBLE_QUOTES.sub("", marks)
    swapped = _reversed_pairs(text, start, end) if reversible else {}
    stack: list[tuple[int, str]] = []  # ASCII "(" is kept as a soft opener, never reported
    open_marks: Counter = Counter()  # how many of each mark ``stack`` holds: no scan of it per mark
    findings: dict[int, str] = {}
    stray: list[tuple[int, str]] = []  # closing marks with no opening one
    for match in _MARKS.finditer(text, start, end):
        mark, offset = match.group(), match.start()
        if len(mark) > 1:
            mark = _ENTITIES.get(mark) or chr(int(mark[3:-1], 16))
        if mark in _QUOTES and not quotes:
            continue
        if offset in swapped:
            mark = _SWAP[mark]
        before = text[offset - 1] if offset > start else " "
        after = text[match.end()] if match.end() < end else " "
        if mark == "(":
            stack.append((offset, mark))
            open_marks[mark] += 1
        elif mark == ")":
            if stack and stack[-1][1] == "(":
                stack.pop()
                open_marks["("] -= 1
            elif stack and stack[-1][1] == "（":
                opener = stack.pop()
                open_marks["（"] -= 1
                findings[opener[0]] = "'（' is closed by a half-width ')'"
        elif mark in _PAIRS:
            if mark == "‘" and _apostrophe(mark, before, after, open_marks):
                continue
            stack.append((offset, mark))
            open_marks[mark] += 1
        else:
            opener = _CLOSERS[mark]
            if mark == "’" and _apostrophe(mark, before, after, open_marks):
                continue
            # searched only when open: the marks passed over are then closed and dropped (linear)
            depth = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][1] == opener), None) \
                if open_marks[opener] else None
            if depth is None:
                # an enumerator is at most three characters: search those, not the paragraph (quadratic)
                if mark == "）" and not (stack and stack[-1][1] == "(") \
                        and _ENUMERATOR.search(text, max(start, offset - 4), offset):
                    continue  # 1）、a）: an enumerator, not a bracket; :）: a smiley
                if mark == "）" and stack and stack[-1][1] == "(":
                    findings[offset] = "'）' closes a half-width '('"
                    stack.pop()
                    open_marks["("] -= 1
                    continue
                if mark == "）" and before in "：:;；":
                    continue  # ：） is a smiley
                findings[offset] = f"'{mark}' has no opening '{opener}' before it in its paragraph"
                stray.append((offset, mark))
                continue
            for inner in stack[depth:]:
                open_marks[inner[1]] -= 1
                if inner[1] != "(" and inner[0] != stack[depth][0]:
                    findings.setdefault(inner[0], f"'{inner[1]}' is not closed before '{mark}'")
            del stack[depth:]
    unclosed = [item for item in stack if item[1] != "("]
    if quotes:
        unclosed = _reversed_quotes(unclosed, findings, stray)
    for offset, mark in swapped.items():
        if mark == "”":
            findings[offset] = "'”' opens the quotation and '“' closes it: write '“' and '”'"
    return unclosed, findings, stray


_SWAP = {"“": "”", "”": "“"}
_DOUBLE_QUOTES = lazy_compile("[^“”]+")  # all but the double quotation marks (of a paragraph's marks)
_DOUBLE_QUOTE = lazy_compile("[“”]")
_ALL_REVERSED = lazy_compile("(?:”“)+")


def _reversed_pairs(text: str, start: int, end: int) -> dict[int, str]:
    """The double quotation marks of ``text[start:end]`` typed the wrong way round, pair by pair:
    {offset: mark}. Read from the left, a ” that closes nothing and a “ right after it (the next
    double quotation mark) are such a pair when nothing can close that “ (the next mark opens
    another quotation, or there is none) or when all the marks from the ” on pair up that way
    (”甲。“他说，”乙。“). A stray ” before a quotation written the right way round (the end of one
    quoted over several paragraphs: ``乙。”他说：“丙。”``) is read as written."""
    quotes = [(match.start(), match.group()) for match in _DOUBLE_QUOTE.finditer(text, start, end)]
    marks = "".join(mark for _, mark in quotes)
    found: dict[int, str] = {}
    depth = index = 0
    while index < len(quotes):
        if marks[index] == "“":
            depth += 1
        elif depth:
            depth -= 1
        elif marks.startswith("“", index + 1) and (not marks.startswith("”", index + 2)
                                                  or _ALL_REVERSED.fullmatch(marks, index)):
            found.update(quotes[index:index + 2])
            index += 2
            continue
        index += 1
    return found


def _apostrophe(mark: str, before: str, after: str, open_marks: Counter) -> bool:
    """Whether a ‘ or ’ (between ``before`` and ``after``, with ``open_marks`` counting the marks
    still open) is no quotation mark."""
    if mark == "‘":
        return after.isdigit() or before.isdigit()  # ‘90s: an apostrophe typed the wrong way round; 2‘: a prime
    if after.isdigit() or (_LATIN.match(after) and not before.isspace()):
        return True  # don’t, ’90s, rock ’n’ roll
    # students’ (a possessive), 35’08’’ (primes)
    return not open_marks["‘"] and bool(_LATIN.match(before) or before.isdigit()
                                                              or before == "’")


# -- halfwidth-punctuation ----------------------------------------------------

# a half-width mark between a CJK letter and a CJK letter or mark (either way round); the
# mark comes first in the pattern, its neighbours looked behind and ahead for.
# After a CJK letter, the end of the line (spaces and tags, blanked, before it) ends a sentence too.
_HALFWIDTH = lazy_compile(rf"[,.!?:;](?:(?<=[{CJK_LETTERS}].)(?=[{CJK_LETTERS}{_CJK_PUNCT}]|[ \t\u3000]*(?:\n|\Z))"
                          rf"|(?<=[{_CJK_PUNCT}].)(?=[{CJK_LETTERS}]))")
# ``_HALFWIDTH`` is tried only at its candidates: each mark after a character from U+1100 on, where
# every CJK letter and mark is (a mark after a digit, a Latin letter or a space, most of them, is
# none). Each mark is looked for on its own with str.find: it skips ahead to one character several
# times faster than the regex engine to any of a class, and faster than it to one character too, and
# in CJK copy the half-width marks are few; a pattern with CJK classes takes milliseconds to compile,
# paid once, not per mark.
_HALF_WIDTH_MARKS = ",.!?:;"
_ANY_CJK = lazy_compile(f"[{CJK_LETTERS}{_CJK_PUNCT}]")
_FULLWIDTH = {",": "，", ".": "。", "!": "！", "?": "？", ":": "：", ";": "；"}
_KANA = lazy_compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
# an entry of a reference list: "[2] 作者. “题名.” 出处," keeps the citation style's marks
_REFERENCE_ENTRY = lazy_compile(r"[ \t>*\-]*\[\d{1,3}\][ \t]")
# ASCII double quotes, paired from the left on each line (the quotes of "honto" are a pair too, so
# that they do not pair with their neighbours); those around CJK text are reported: 对"营业部"和"经理部"
_ASCII_QUOTED = lazy_compile(r'"([^"\n]*)"')
_MAX_QUOTED = 40  # a longer quotation is left alone: the pairing may be off


@rule("halfwidth-punctuation", severity="warning", fix="unsafe")
def halfwidth_punctuation(doc, options):
    """Chinese text takes full-width punctuation: ``中国，美国``, not ``中国,美国``.

    A half-width ``,`` ``.`` ``!`` ``?`` ``:`` or ``;`` directly between two CJK
    characters (Han or hangul letters on at least one side, CJK punctuation or
    typographic quotes on the other), or ending a Chinese sentence at the end of
    its line or paragraph (``何所惧哉!``, ``完成了?``), is reported at the mark,
    with its full-width form. So are ASCII double quotes around CJK text
    (``对"营业部"和"经理部"``), once per pair, at the opening one. Marks next to a
    digit, a Latin letter or a space never are, so decimals (``0.5%``,
    ``25229.7亿元``), tickers (``600519.SH``), times (``10:30``), domain and file
    names, version numbers and English text pass; so do URLs and code, marks next
    to kana (Japanese brand names such as ``けいおん!``), lines of Japanese (kana are
    two fifths or more of their CJK letters outside quotations and titles), which
    take Japanese punctuation, and the entries of a reference list (a line opening
    with ``[2]``), which follow their citation style.

    Fix (unsafe): the mark is replaced by its full-width form; ASCII quotes around Chinese
    text by ``“`` and ``”``.

    Fails:

        记者:王鑫蕊

    Passes:

        贵州茅台（600519.SH）上涨0.5%，报1800.5元，10:30成交25229.7亿元。
    """
    if not has_cjk_letter(doc):
        return  # every finding is beside a CJK letter (or quotes one)
    text = reader_text(doc)
    japanese = _PerLine(doc, text, _japanese_line)
    reference_entry = _PerLine(doc, text, _reference_entry)
    found = []
    # the findings are put in order below, so the marks are searched for one after another
    for mark in _HALF_WIDTH_MARKS:
        for start in _after_cjk(text, mark, doc.body_offset):
            match = _HALFWIDTH.match(text, start)
            if match is None or _KANA.match(text, start - 1) or _KANA.match(text, start + 1) \
                    or reference_entry(start) or japanese(start):
                continue
            found.append((start, match.end(), f"half-width '{mark}' in Chinese text (write '{_FULLWIDTH[mark]}')",
                          Edit(start, match.end(), _FULLWIDTH[mark])))
    if '"' in text:
        for match in _ASCII_QUOTED.finditer(text, doc.body_offset):
            if len(match.group(1)) > _MAX_QUOTED or not _CJK_LETTER.search(match.group(1)):
                continue
            if _chinese_context(text, match) and not japanese(match.start()):
                quotes = (Edit(match.start(), match.start() + 1, "“"), Edit(match.end() - 1, match.end(), "”"))
                found.append((match.start(), match.end(),
                              f'half-width quotation marks around Chinese text (write “{match.group(1)}”)', quotes))
    for start, end, message, fix in sorted(found, key=lambda item: item[:2]):
        yield doc.violation(start, message, end, fix=fix)


def _after_cjk(text: str, mark: str, start: int) -> list[int]:
    """The offsets of ``mark`` in ``text`` from ``start`` on that follow a character from U+1100 on."""
    found = []
    offset = text.find(mark, start)
    while offset >= 0:
        if offset and text[offset - 1] >= "\u1100":
            found.append(offset)
        offset = text.find(mark, offset + 1)
    return found


def _reference_entry(text: str, start: int, offset: int) -> bool:
    """Whether the line from ``start`` is an entry of a reference list."""
    return _REFERENCE_ENTRY.match(text, start) is not None


def _chinese_context(text: str, match: re.Match) -> bool:
    """Whether ASCII-quoted text sits in Chinese copy: CJK text just outside the quotes."""
    before = text[match.start() - 1] if match.start() > 0 else " "
    after = text[match.end()] if match.end() < len(text) else " "
    return bool(_ANY_CJK.match(before) or _ANY_CJK.match(after))


@hookimpl
def lintnews_rules():
    return [repeated_punctuation, unbalanced_pairs, halfwidth_punctuation]

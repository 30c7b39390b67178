"""Body rules: a body that is not the article (empty, another page's text, cut off, pasted twice)
and titles damaged by file-name clean-up."""
from __future__ import annotations

import html
import re
from collections import Counter
from fnmatch import fnmatch
from functools import lru_cache
from itertools import compress, repeat
from operator import contains

import yaml

from lintnews import Edit, Option, hookimpl, rule
from lintnews.frontmatter import read_yaml
from lintnews.lazy_re import lazy_compile
from lintnews.options import between
from lintnews.rules.body_text import (HAN, KANA, SENTENCE_ENDS, Paragraph, block_lines, has_image, paragraph_at,
                                      paragraph_from, paragraphs)
from lintnews.rules.front_matter import placeholder

# -- empty-body ----------------------------------------------------------------

LINK_KEYS = ["link", "source_url", "external_url", "redirect_to", "redirect"]


@rule("empty-body", severity="error", options={"exempt-keys": LINK_KEYS, "exempt-files": ["_index.*"]})
def empty_body(doc, options):
    """An article needs a body: front matter alone is no article.

    A scraper that failed leaves the front matter and nothing a reader can see under
    it: no text (character entities such as ``&nbsp;`` and markup do not count) and
    no image or embed. Reported once, where the body would start, saying what stands
    there: nothing, only markup, or only code (a body a conversion fenced or indented
    whole shows as a code block, and no text). A link post, whose
    front matter names the page it points to, is exempt: ``exempt-keys`` lists the
    keys that mark one (by default ``link``, ``source_url``, ``external_url``,
    ``redirect_to`` and ``redirect``), when they hold a value; so are files whose
    name matches one of ``exempt-files`` (by default Hugo's ``_index.*`` section
    pages, which list other articles).

    Fails:

        ---
        title: 外交部回应
        ---
        <div>&nbsp;</div>

    Passes:

        ---
        title: 外交部回应
        link: https://example.com/story
        ---
    """
    if doc.front_matter is None:
        return
    meta, exempt = doc.meta, options["exempt-keys"]
    # most articles have none of the keys: one test in C rather than a look-up per key
    if not meta.keys().isdisjoint(exempt) and any(meta.get(key) for key in exempt):
        return
    if _shows_text(doc.prose, doc.body_offset) or has_image(doc):
        return
    if any(fnmatch(doc.fs_path.name, pattern) for pattern in options["exempt-files"]):  # asked last: few are left
        return
    yield doc.violation(doc.body_offset, _what_is_there(doc))


def _what_is_there(doc) -> str:
    """The finding's message: what stands where the body should be, if anything does."""
    start = doc.body_offset
    if any(end > start and _VISIBLE.search(doc.text, max(begin, start), end) for begin, end in doc.scan.code):
        return "the article's body is only code: readers see a code block and no text"
    if _VISIBLE.search(doc.text, start):
        return "the article has no body: nothing a reader sees after the front matter, only markup, comments or entities"
    return "the article has no body: nothing but front matter"


_VISIBLE = lazy_compile(r"[^\s]")
_ENTITY = lazy_compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]+);")


def _shows_text(prose: str, start: int) -> bool:
    """Whether ``prose`` has a character to read after ``start``, character entities aside (found
    from the first visible character: most bodies have one at once)."""
    while (match := _VISIBLE.search(prose, start)) is not None:
        entity = _ENTITY.match(prose, match.start())
        if entity is None:
            return True
        start = entity.end()
    return False


# -- title-body-mismatch -------------------------------------------------------

_CJK_RUN = lazy_compile(f"[{HAN}{KANA}ー]+")
_WORD = lazy_compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
STOP_WORDS = frozenset("""a an and are as at be but by can do for from has have how in into is it its
    new not of on or our out so than that the their this to up was we what when where which who why will
    with you your about after more over use using""".split())


@rule("title-body-mismatch", severity="warning",
      options={"min-body": Option(200, between(0, 1_000_000)), "min-words": Option(4, between(1, 1000)),
               "min-share": Option(0.1, between(0, 1))})
def title_body_mismatch(doc, options):
    """The body must be the titled article: the title's words occur in it.

    Scrapers sometimes paste another page's text under the title (a headline on a
    diplomatic incident over a complaint about a power-bank rental). The title's
    words — two-character pairs of Chinese or Japanese text, Latin words of three letters or
    more that are not stop words — are looked up in the body's text; when fewer
    than ``min-share`` (0.1) of them occur anywhere in it, the title is reported.
    (A body's opening alone is no test: features and opinion pieces open far from
    their headline.) When the title and the body are written in different scripts
    (Chinese, Japanese kana, Latin), the message says so: one of them was not
    translated. (A photo gallery whose story is only in its pictures can be
    reported too: suppress it there.) A title that is a template's placeholder
    (``替换为中文标题``) is ``front-matter-required``'s finding. Judged only on
    titles of ``min-words`` (4) words or more and bodies of ``min-body`` (200)
    characters or more: shorter ones say too little to tell.

    Fails:

        ---
        title: 外交部就驻外使馆遭冲击事件提出严正交涉
        ---
        <p>我在商场租了一个充电宝，归还以后系统一直显示未归还，客服电话打了三次都没有人接听，押金也没有退回来。</p>
        <p>后来又在平台上提交了投诉，页面提示会在三个工作日内处理，可是到现在已经过去两个星期了，仍然没有任何回复。</p>
        <p>希望有关部门能够重视这种情况，督促企业改进服务，保护消费者的合法权益，也希望其他用户在使用时多加注意。</p>
        <p>另外，在小程序里申请退款时需要上传照片和订单号，流程十分繁琐，而且每一步都要重新登录，体验非常差。</p>
        <p>我身边不少朋友也遇到过类似的问题，有人为此专门写了长帖，列出了每一次联系客服的时间和结果，可惜同样石沉大海。</p>

    Passes:

        ---
        title: 外交部就驻外使馆遭冲击事件提出严正交涉
        ---
        <p>外交部发言人今天表示，中方已就驻外使馆遭冲击事件向有关国家提出严正交涉，要求对方彻查事件，严惩肇事者，并切实保障中国驻外机构和人员的安全。</p>
        <p>发言人说，使馆工作人员均安全，馆舍部分设施受损。中方将继续密切关注事态发展，采取一切必要措施维护自身正当权益。</p>
        <p>据了解，事发当天有数十人聚集在使馆门前，部分人员向馆内投掷杂物，当地警方随后赶到现场并驱散了人群，目前已有多人被带走调查。</p>
        <p>外交部表示，将继续敦促当地政府履行保护外交机构的义务，确保类似事件不再发生。</p>
    """
    title = doc.meta.get("title")
    if not isinstance(title, str) or placeholder(title):  # a template's placeholder: front-matter-required's
        return
    prose, body = doc.prose, doc.body_offset  # the body is read in place: most bodies are not copied
    if not _shows_at_least(prose, body, options["min-body"]):
        return
    words = title_words(title)
    if len(words) < options["min-words"]:
        return
    enough = options["min-share"] * len(words)
    found = _count_found(words, prose, body, enough)
    text = None
    if found < enough and any(word.isascii() for word in words):
        text = prose[body:].casefold()  # only now: most bodies hold the title's words as written
        found = _count_found(words, text, 0, enough)
    if found < enough:
        text = prose[body:] if text is None else text
        offset = doc.meta_offset("title")
        title_script, body_script = _script(title), _script(text)
        why = f"the title is {title_script} and the body {body_script}: one of them was not translated" \
            if title_script != body_script else "is the body another page's text?"
        yield doc.violation(offset if offset is not None else 0,
                            f"only {found} of the title's {len(words)} words occur in the body: {why}")


def _shows_at_least(prose: str, start: int, count: int) -> bool:
    """Whether ``prose`` shows ``count`` characters or more from ``start`` on (see
    ``_visible_at_least``). Most bodies show that many in their first ``2 * count`` characters:
    counted in C on that stretch alone, where the regex takes a step per character; the
    others are read by the regex."""
    window = prose[start:start + 2 * count]
    if len(window) - window.count(" ") - window.count("\n") >= count:
        return True
    return _visible_at_least(count).match(prose, start) is not None


@lru_cache(maxsize=8)
def _visible_at_least(count: int) -> re.Pattern:
    """What matches from the start of a body that shows ``count`` characters or more: what a
    reader sees, roughly, the prose without its spaces and line breaks. Read only up to the
    ``count``-th of them (counting the blanks of the whole body instead reads all of it)."""
    return re.compile(f"(?:[ \n]*+[^ \n]){{{count}}}")


def _count_found(words: frozenset[str], text: str, start: int, enough: float) -> int:
    """How many of ``words`` occur in ``text`` from ``start`` on, counted only until there are
    ``enough``: each look-up reads the whole body, and one word found is most often all it takes."""
    found = 0
    for word in words:
        if text.find(word, start) >= 0:
            found += 1
            if found >= enough:
                break
    return found


_KANA_CHAR = lazy_compile("[\u3041-\u3096\u30a1-\u30fa]")
_LATIN_CHAR = lazy_compile("[A-Za-z]")


def _script(text: str) -> str:
    """The script most of ``text`` is written in: Latin, Japanese (a tenth of its CJK in kana) or Chinese."""
    if "](" in text or "://" in text:
        text = _without_images_and_urls(text)  # a link's address is no text
    kana, han, latin = len(_KANA_CHAR.findall(text)), len(_HAN_CHAR.findall(text)), len(_LATIN_CHAR.findall(text))
    if 3 * (kana + han) < latin:  # a CJK character says about as much as a Latin word
        return "Latin"
    return "Japanese" if kana >= 0.1 * (kana + han) else "Chinese"


def title_words(title: str) -> frozenset[str]:
    """The title's words: each two-character pair of its Chinese or Japanese text, and its Latin words
    (case-folded, cut to their first five letters so that plurals and tenses still match)."""
    words = set()
    for run in _CJK_RUN.findall(title):
        words.update([run[at:at + 2] for at in range(len(run) - 1)])  # each character and the next
    for word in _WORD.findall(title):
        word = word.casefold()
        if len(word) >= 3 and word not in STOP_WORDS:
            words.add(word[:5])
    return frozenset(words)


# -- truncated-text ------------------------------------------------------------

SUMMARY_KEYS = ["description", "summary", "excerpt", "abstract", "subtitle"]
# where a feed cut the text: four dots straight after Chinese text, or dots after an opening
# quote, ending a paragraph ("…副总领....", "以表扬其“...."); three to six dots, or "。。。", are
# the makeshift ellipses writers type, which repeated-punctuation is about
_CUT_DOTS = lazy_compile(f"(?:(?<=[{HAN}{KANA}])\\.{{4}}|(?<=[“‘「『])\\.{{2,}})$")
_DOTS = lazy_compile(r"\.\.+")
_QUOTE_OPENERS = "“‘「『"
_CUT_BEFORE = lazy_compile(f"[{HAN}{KANA}{_QUOTE_OPENERS}]")
# a summary cut to length by a feed ends in three or four dots straight after CJK text
_CUT_SUMMARY = lazy_compile(f"(?<=[{HAN}{KANA}“‘「『])\\.{{3,4}}$")
_CREDIT = lazy_compile(r"^[(（【\[]?[^，。,]{0,12}[:：|｜]")
_HAN_CHAR = lazy_compile(f"[{HAN}]")


@rule("truncated-text", severity="warning",
      options={"summary-keys": SUMMARY_KEYS, "last-paragraph": False,
               "min-last": Option(30, between(0, 100_000))})
def truncated_text(doc, options):
    """The text must not stop mid-sentence: summaries and paragraphs cut off by a feed or scraper.

    Reported, each once: a paragraph ending in four dots straight after Chinese or
    Japanese text (``…副总领....``) or in dots after an opening quote
    (``以表扬其“....``), and a summary (front-matter keys in ``summary-keys``)
    ending in three or four, at the dots (the ``......`` and ``。。。`` writers type
    as an ellipsis are ``repeated-punctuation``'s concern; headings, list items,
    table cells and quotations, a chat log's ``....``, are not read). With
    ``last-paragraph: true``, also the end of the body: an HTML ``<p>`` still
    open at the end of the file whose last line of text has no closing mark, at
    its ``<``; else a last paragraph of Chinese prose, ``min-last`` (30)
    characters or more with a comma in it, ending on a letter with no
    sentence-ending mark, at its last character. (Off by default: credit lines,
    captions, track lists and translators' notes end that way too.) A
    proper ellipsis ``……`` is never a cut.

    Fails:

        ---
        title: 一季度经济数据发布
        description: 国家统计局今天发布数据，一季度国内生产总值同比增长....
        ---
        <p>　　国家统计局今天发布了一季度主要经济数据。</p>

    Passes:

        ---
        title: 一季度经济数据发布
        description: 国家统计局今天发布数据，一季度国内生产总值同比增长5.3%。
        ---
        <p>　　国家统计局今天发布了一季度主要经济数据，专家表示，开局良好……</p>
    """
    summary_keys = options["summary-keys"]
    # most articles have none of the keys: one test in C rather than a look-up per key
    for key in summary_keys if not doc.meta.keys().isdisjoint(summary_keys) else ():
        value = doc.meta.get(key)
        if isinstance(value, str) and (match := _CUT_SUMMARY.search(value.rstrip())):
            offset = doc.meta_offset(key)
            yield doc.violation(offset if offset is not None else 0,
                                f"front-matter {key} breaks off in {match.group()!r}: cut by the feed?")
    prose = doc.prose
    for dots in _DOTS.finditer(prose, doc.body_offset):  # few articles have any: paragraphs only then
        if not _CUT_BEFORE.match(prose, dots.start() - 1) or not _ends_line(doc, dots.end()):
            continue
        if dots.end() - dots.start() != 4 and prose[dots.start() - 1] not in _QUOTE_OPENERS:
            continue  # neither four dots after a letter nor dots after a quote: no cut
        paragraph = paragraph_at(doc, dots.start())
        if paragraph is None or paragraph.end != dots.end() or not paragraph.prose:
            continue
        if match := _CUT_DOTS.search(paragraph.text):
            yield doc.violation(paragraph.start + match.start(),
                                f"the paragraph breaks off in {match.group()!r}: truncated text?",
                                paragraph.start + match.end())
    if not options["last-paragraph"]:
        return
    found = paragraphs(doc)
    open_paragraph = _unclosed_last_paragraph(doc)
    if open_paragraph is not None:
        yield doc.violation(open_paragraph.offset, "the file ends inside this <p>: the text was cut off",
                            open_paragraph.end)
    elif found and (end := _cut_last_paragraph(doc, found[-1], options["min-last"])) is not None:
        yield doc.violation(end, "the article ends mid-sentence: its last paragraph has no closing mark",
                            end + 1)


_REST_OF_LINE = lazy_compile(r"[^\S\n]*(?:\n|\Z)")


def _ends_line(doc, offset: int) -> bool:
    """Whether nothing but white space follows ``offset`` on its line of the body's paragraphs:
    whether a paragraph can end there (tested before the paragraphs are built, which costs more)."""
    return _REST_OF_LINE.match(block_lines(doc)[0], offset - doc.body_offset) is not None


def _unclosed_last_paragraph(doc):
    """The last ``<p>`` when the file ends inside it, mid-sentence: no tag closes after it, and its
    text stops with no closing mark (an end tag is optional in HTML: a finished sentence is no cut)."""
    tags = doc.scan.tags
    for index in range(len(tags) - 1, -1, -1):
        tag = tags[index]
        if tag.closing:
            return None
        if tag.name == "p":
            last = _last_text_after(doc, tag.end)
            if any(t.name == "p" and t.closing for t in tags[:index]) and last and last[-1] not in SENTENCE_ENDS:
                return tag
            return None
    return None


def _last_text_after(doc, offset: int) -> str:
    """The last line of running text after ``offset``: not a quotation or a lone link, such as the
    ``>[原文地址](…)`` line feeds append."""
    for paragraph in reversed(paragraphs(doc)):
        if paragraph.start < offset:
            return ""
        if paragraph.prose and not paragraph.text.startswith("["):
            return paragraph.text
    return ""


def _cut_last_paragraph(doc, last, min_last: int) -> int | None:
    """The offset of the last character of the body when it is Chinese prose cut mid-sentence."""
    text = last.text
    if len(text) < min_last or text[-1] in SENTENCE_ENDS or not _HAN_CHAR.match(text[-1]):
        return None
    if "，" not in text or _CREDIT.match(text) or not last.prose or len(_HAN_CHAR.findall(text)) < len(text) / 2:
        return None
    return last.end - 1


# -- duplicate-paragraph -------------------------------------------------------

_IMAGE_OR_URL = lazy_compile(r"!\[[^\]\n]*\]\([^)\n]*\)|\]\([^)\n]*\)|https?://\S+")
_IMAGE_OR_URL_START = lazy_compile(r"!\[|\]\(|https?://")
_FEW_BRACKETS = 8  # "![" and "](" in a text that _IMAGE_OR_URL may read in time linear in it
_ALT_END = lazy_compile(r"[\]\n]|\Z")
_DESTINATION_END = lazy_compile(r"[)\n]|\Z")
_URL = lazy_compile(r"https?://\S+")


def _without_images_and_urls(text: str) -> str:
    """``text`` without Markdown images and link targets and bare URLs: what
    ``_IMAGE_OR_URL.sub("", text)`` leaves, in time linear in the text. Most texts hold a few
    images or links: the regex removes them in C. It reads from each "![" and each "](" to a
    line break at most, so with no more than ``_FEW_BRACKETS`` of them it reads the text a few
    times over at most; with more, ``_without_images_and_urls_in_one_pass`` reads it once."""
    if text.count("![") + text.count("](") <= _FEW_BRACKETS:
        return _IMAGE_OR_URL.sub("", text)
    return _without_images_and_urls_in_one_pass(text)


def _without_images_and_urls_in_one_pass(text: str) -> str:
    """What ``_IMAGE_OR_URL.sub("", text)`` leaves, in time linear in the text.

    That regex reads from every "![" to the first "]" or line break and from every "](" to the
    first ")" or line break: on "![a](![a](..." that is to the line end from each, quadratic.
    Each alternative starts with its own character, so at most one applies where a match
    starts; where each "![" or "](" ends is found here once and kept while later ones, which
    come in order, end at the same place.
    """
    kept = []
    pos = 0  # kept from here on, unless a match starts
    search = pos
    alt_end = destination_end = -1  # the last "]"-or-break and ")"-or-break found
    while (start := _IMAGE_OR_URL_START.search(text, search)) is not None:
        at = start.start()
        end = None  # where the match at ``at`` ends, if there is one
        if text[at] == "h":
            url = _URL.match(text, at)
            end = url.end() if url else None
        else:
            close = at  # the "]" of "](": the alt text of "![" runs to its first "]" or break
            if text[at] == "!":
                if alt_end < at + 2:
                    alt_end = _ALT_END.search(text, at + 2).start()
                close = alt_end if text.startswith("](", alt_end) else None
            if close is not None:
                if destination_end < close + 2:
                    destination_end = _DESTINATION_END.search(text, close + 2).start()
                if text.startswith(")", destination_end):
                    end = destination_end + 1
        if end is None:
            search = at + 1
            continue
        kept.append(text[pos:at])
        pos = search = end
    kept.append(text[pos:])
    return "".join(kept)


_NOT_WORD = lazy_compile(r"[\W_]+")
# a clause written twice back to back (group 1 is the clause), tried where a clause starts: at
# the start of a paragraph and after a mark. A repeat holding a mark can always be read from
# just after one, and trying every position instead costs more than the rest of the rule.
# (one pass over the body's lines, from each line break and each mark; the clause starts with
# a character beyond ASCII, so English lines, and the lines of spaces that blanked markup
# leaves, fail at once)
_STUTTER = lazy_compile(r"[\n，。；、！？：][ \t\u3000\u00a0]*+([^\x00-\x7f\s][^\n]{9,59}?)\1")


@rule("duplicate-paragraph", severity="warning",
      options={"min-length": Option(20, between(1, 100_000)), "min-run": Option(2, between(1, 10_000)),
               "clauses": False, "min-clause": Option(10, between(2, 10_000))})
def duplicate_paragraph(doc, options):
    """Text pasted twice into one article: repeated paragraphs, or a clause written twice in a row.

    Paragraphs of ``min-length`` (20) characters or more are compared without
    their images and URLs. Reported, at the first repeated
    paragraph: a run of ``min-run`` (2) or more paragraphs that repeat a run of
    earlier ones in the same order (a scraper that pasted the article twice gets
    one finding), and a paragraph that repeats the one right before it. A lone
    paragraph repeated far from its first (a tutorial's "run this command") is
    left alone unless ``min-run`` is 1. Headings, list items, table cells,
    quotations, images, indented code and numbered notes (``2．本表…``) repeat on
    purpose and are not compared; code between two paragraphs keeps them apart.
    With ``clauses: true`` (off by default: it reads every clause of every
    paragraph, which costs more than the rest of the rule), a clause of ``min-clause`` (10) Chinese
    characters or more repeated back to back
    (``…医疗机构中，在为新冠肺炎患者提供诊治服务的医疗机构中，在为新冠肺炎患者提供诊治服务的…``)
    is reported at the repeat, once a paragraph; it is looked for where a clause
    starts (the paragraph's start, after a mark), so a repeat with no mark in it
    counts only at the start of a paragraph, and clauses of up to 60 characters.

    Fails:

        <p>国家统计局今天上午发布了一季度主要经济数据。</p>
        <p>专家表示，一季度经济开局良好，主要指标好于预期。</p>
        <p>国家统计局今天上午发布了一季度主要经济数据。</p>
        <p>专家表示，一季度经济开局良好，主要指标好于预期。</p>

    Passes:

        <p>国家统计局今天上午发布了一季度主要经济数据。</p>
        <p>专家表示，一季度经济开局良好，主要指标好于预期。</p>
    """
    if options["clauses"]:
        yield from _clause_repeats(doc, options["min-clause"])
    min_length = options["min-length"]
    lines = block_lines(doc)[0].split("\n")
    if not _any_line_repeats(lines, min_length):
        return  # the common case, decided without building the paragraphs
    first: dict[str, int] = {}
    repeats = []  # (place, place of its first occurrence, index in compared, index of the first)
    compared = _compared(doc, lines, _shared_lines(lines, min_length))
    for index, (_, key, place) in enumerate(compared):
        original = first.setdefault(key, index)
        if original != index:
            repeats.append((place, compared[original][2], index, original))
    run: list[tuple[int, int, int, int]] = []
    for found in [*repeats, (-2, -2, -2, -2)]:
        if run and found[0] == run[-1][0] + 1 and found[1] == run[-1][1] + 1:
            run.append(found)
            continue
        if run and (len(run) >= options["min-run"] or run[0][1] == run[0][0] - 1):
            yield _repeat_finding(doc, compared, [(index, original) for _, _, index, original in run])
        run = [found]


def _any_line_repeats(lines: list[str], min_length: int) -> bool:
    """Whether any of the body's ``lines`` of ``min_length`` characters or more occurs twice, as
    written with the spaces of its blanked markup: a quick test, counted in C, that a pasted
    copy passes (a repeat whose markup differs around it is not looked for)."""
    if len(lines) <= _FEW_LINES:  # a Counter's set-up (a few us) costs more than reading a few lines
        long = [line for line in lines if len(line.strip()) >= min_length]
        return len(set(long)) < len(long)
    counts = Counter(lines)
    return any(len(line.strip()) >= min_length for line, count in counts.items() if count > 1)


# up to how many lines a body's lines are read one by one rather than counted in C
_FEW_LINES = 16


def _shared_lines(lines: list[str], min_length: int) -> list[tuple[int, str, str]]:
    """``(index, text, key)`` of each of the body's ``lines`` whose key (see ``_paragraph_key``)
    another line shares, in order; ``text`` is the line trimmed. A key is compared only when it
    is ``min_length`` characters or more, and a key is never longer than its line: the shorter
    lines, most of them, are not read."""
    long = [index for index, line in enumerate(lines) if len(line) >= min_length]
    trimmed = [lines[index].strip() for index in long]
    keys = _line_keys(trimmed, min_length)
    shared = {key for key, count in Counter(keys).items() if count > 1 and len(key) >= min_length}
    if not shared:
        return []
    return [(long[at], trimmed[at], keys[at]) for at in compress(range(len(keys)), map(shared.__contains__, keys))]


def _compared(doc, lines: list[str], shared: list[tuple[int, str, str]]) -> list[tuple[Paragraph, str, int]]:
    """``(paragraph, key, place)`` of each prose paragraph among the ``shared`` lines (as
    ``_shared_lines`` gives them), in order; ``lines`` are the body's lines. ``place`` is the
    paragraph's place in a sequence where code leaves gaps: the paragraphs before it and the
    code blocks between them. Only these paragraphs are built: one whose key no other has can
    neither repeat nor be repeated, and most have none. Where a line starts and how many
    paragraphs come before it are counted on from the last shared line, not for every line."""
    compared = []
    codes_before = 0  # code blocks before the paragraph: they keep it apart from the one before
    code = iter(doc.scan.code)
    next_code = next(code, None)
    line_start, at = doc.body_offset, 0  # where lines[at] starts
    paragraphs_before, counted = 0, 0  # the non-blank lines among lines[:counted]
    for index, text, key in shared:
        line_start += sum(map(len, lines[at:index])) + index - at  # each line and its line break
        at = index
        line = lines[index]
        start = line_start + len(line) - len(line.lstrip())
        paragraph = paragraph_from(doc, text, start)
        if not paragraph.prose:
            continue
        paragraphs_before += sum(map(bool, map(str.strip, lines[counted:index])))
        counted = index
        while next_code is not None and next_code[0] < start:
            codes_before += 1
            next_code = next(code, None)
        compared.append((paragraph, key, paragraphs_before + codes_before))
    return compared


def _line_keys(trimmed: list[str], min_length: int) -> list[str]:
    """What each paragraph of ``trimmed`` (lines of the body, trimmed) is compared by: its
    text, without images and URLs on the lines that hold any (see ``_paragraph_key``)."""
    marked = set()  # the lines holding a link or a URL, found in C: most lines hold neither
    for marker in ("](", "://"):
        marked.update(compress(range(len(trimmed)), map(contains, trimmed, repeat(marker))))
    if not marked:
        return trimmed
    keys = trimmed.copy()
    for index in marked:
        keys[index] = _paragraph_key(trimmed[index], min_length)
    return keys


def _clause_repeats(doc, min_clause: int):
    """Clauses written twice back to back, once a paragraph, found on the body's lines."""
    lines = block_lines(doc)[0]
    if lines.isascii():
        return
    body = doc.body_offset
    reported = -1
    for match in _clause_candidates(lines):
        clause = match.group(1)
        start = body + match.start(1) - 1 + len(clause)  # - 1: the line break put first
        if start < reported or len(_HAN_CHAR.findall(clause)) < min_clause:
            continue
        paragraph = paragraph_at(doc, start)
        if paragraph is None or not paragraph.prose:
            continue
        reported = paragraph.end
        yield doc.violation(start, f"clause written twice in a row: {clause!r}", start + len(clause))


def _clause_candidates(lines: str):
    """Repeats found at the start of a line and after a mark, in order."""
    return _STUTTER.finditer("\n" + lines)


def _repeat_finding(doc, compared, run):
    paragraph = compared[run[0][0]][0]
    line = doc.position(compared[run[0][1]][0].start)[0]
    if len(run) == 1:
        return doc.violation(paragraph.start, f"this paragraph repeats the one on line {line}", paragraph.end)
    last = doc.position(compared[run[-1][1]][0].start)[0]
    where = f"lines {line}–{last}" if last > line else f"paragraphs on line {line}"  # <p>s on one line
    return doc.violation(paragraph.start, f"this paragraph and the {len(run) - 1} after it repeat {where}",
                         paragraph.end)


def _paragraph_key(text: str, min_length: int) -> str:
    """``text`` without images and URLs; empty when even the whole text is shorter than
    ``min_length``."""
    if len(text) < min_length:
        return ""
    if "](" in text or "://" in text:
        text = _without_images_and_urls(text).strip()
    return text


# -- title-artefact ------------------------------------------------------------

_ARTEFACT = lazy_compile(f"(?<=[{HAN}])_|_(?=[{HAN}])|_$")


@rule("title-artefact", severity="warning", fix="safe", options={"keys": ["title"]})
def title_artefact(doc, options):
    """Titles damaged by file-name clean-up or by an export's escaping: an underscore for a lost
    mark, an HTML entity for a character.

    Feeds and scrapers that build titles from file names replace quotes, question
    marks and slashes with underscores: ``1-2月中国经济_成绩单_亮眼``,
    ``…为什么没有中文名字_``. An underscore next to Chinese text, or at the end of a
    title, is reported at the underscore, in each front-matter key of ``keys``.

    Blog exports (WordPress's among them) write a title's typographic characters as HTML
    entities: ``What&#8217;s New``, ``Q&amp;A``, ``Step 1&#58; Plan``. Front matter is
    text, not HTML: Hugo, Eleventy and Astro escape a title where a page prints it, so the
    reader sees ``&#8217;``, in the page's heading, its ``<title>`` and the link a share
    shows (Jekyll prints it as HTML in the page, escaped in the tags of jekyll-seo-tag).
    The entities of a value are reported once, at the first, with the characters they
    stand for. Add ``summary`` or ``description`` to ``keys`` to have those read too.

    Fix (safe): each entity of a YAML value on one line is written as its character,
    quoted as the value's quotes require (a plain value that would gain ``: `` or `` #`` is
    put in single quotes), and the whole front matter is read again to check it (a comma
    parts a value in a flow mapping, ``{title: a&#44; b}``): none where it would read
    otherwise, for ``&lt;`` or ``&gt;``, or in TOML or JSON front matter. An entity for a code
    point no character has (``&#xD800;``) is not read as one.

    Fails:

        ---
        title: 1-2月中国经济_成绩单_亮眼
        ---

    Passes:

        ---
        title: 1-2月中国经济“成绩单”亮眼
        ---
    """
    for key in options["keys"]:
        value = doc.meta.get(key)
        if not isinstance(value, str):
            continue
        if "&" in value:
            yield from _entities(doc, key, value)
        if "_" not in value:
            continue
        match = _ARTEFACT.search(value.strip())
        if match is None:
            continue
        yield doc.violation(_in_value(doc, key, value.strip(), match.start()),
                            f"front-matter {key} has an underscore where a mark was lost: {value.strip()!r}")


# an HTML character reference: decimal, hexadecimal or named (a name html5 knows, with its ";")
_ENTITY = lazy_compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_UNFIXED = frozenset("<>")  # written as characters, these could become markup where a theme prints HTML


def _entities(doc, key: str, value: str):
    """One finding for the HTML entities of a front-matter value, at the first of them as written."""
    found = [(match.group(), character) for match in _ENTITY.finditer(value)
             if (character := _character(match.group())) is not None]
    if not found:
        return
    span = doc.meta_span(key)
    written = doc.text[span[0]:span[1]] if span is not None else ""
    first = written.find(found[0][0])
    last = written.rfind(found[-1][0])
    start = span[0] + first if span is not None and first >= 0 else doc.meta_offset(key) or 0
    end = span[0] + last + len(found[-1][0]) if span is not None and last >= first >= 0 else None
    shown = ", ".join(f"{entity!r} for {character!r}" + (f" ({count}×)" if count > 1 else "")
                      for (entity, character), count in Counter(found).items())
    yield doc.violation(start, f"front-matter {key} holds HTML entities, which a page escaping it shows as typed: "
                               f"{shown}", end, fix=_entity_fix(doc, key, span, written, value))


def _character(entity: str) -> str | None:
    """The character ``entity`` stands for, or None when it stands for none (an unknown name,
    a code point no character has)."""
    character = html.unescape(entity)
    if character == entity or len(character) != 1 or not character.isprintable() and character != "\xa0":
        return None
    if character == "\ufffd" and entity.lower() not in ("&#65533;", "&#xfffd;"):
        return None  # a code point no character has (a surrogate, 0, beyond U+10FFFF): unescape's stand-in
    return character


def _entity_fix(doc, key: str, span: tuple[int, int] | None, written: str, value: str):
    """The value as written with its entities as characters, when it is YAML on one line and
    reads, so rewritten, as the value with its entities unescaped; else None."""
    fm = doc.front_matter
    if span is None or fm is None or fm.format is not None or "\n" in written:
        return None
    quote = written[:1] if written[:1] in "'\"" and written[-1:] == written[:1] and len(written) > 1 else ""

    def character(match):
        entity = match.group()
        found = _character(entity)
        if found is None:
            return entity
        if found in _UNFIXED:
            raise ValueError(entity)
        if quote == "'" and found == "'":
            return "''"
        if quote == '"' and found in '"\\':
            return "\\" + found
        return found

    source = doc.text[fm.content_start:fm.content_end]
    at, to = span[0] - fm.content_start, span[1] - fm.content_start
    try:
        before = read_yaml(source)
        rewritten = _ENTITY.sub(character, written)
        wanted = {**before, key: _ENTITY.sub(lambda match: _character(match.group()) or match.group(), value)}
        if not quote and _reads(source[:at] + rewritten + source[to:]) != wanted:  # a ": " or " #" would change it
            quote = "'"
            rewritten = "'" + _ENTITY.sub(character, written.replace("'", "''")) + "'"
        if _reads(source[:at] + rewritten + source[to:]) != wanted:
            return None  # (in a flow mapping, "{title: a, b}", a quoted value may not do either)
    except (ValueError, yaml.YAMLError, TypeError):  # an entity for "<" or ">"; keys YAML cannot compare
        return None
    return Edit(span[0], span[1], rewritten)


def _reads(source: str):
    """What YAML reads of the front matter ``source``; None where it reads nothing."""
    try:
        return read_yaml(source)
    except yaml.YAMLError:
        return None


def _in_value(doc, key: str, value: str, index: int) -> int:
    """The offset of ``value[index]`` as written in the front matter (the value's start if unsure)."""
    span = doc.meta_span(key)
    if span is None:
        return 0
    raw = doc.text[span[0]:span[1]]
    where = raw.find(value[:index + 1])
    return span[0] + (where + index if where >= 0 else 0)


@hookimpl
def lintnews_rules():
    return [empty_body, title_body_mismatch, truncated_text, duplicate_paragraph, title_artefact]

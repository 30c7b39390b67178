"""Spacing between CJK text and Latin words (an opt-in rule: newsroom styles differ)."""
from __future__ import annotations

import re
from bisect import bisect_left

from lintnews import Option, hookimpl, rule
from lintnews.lazy_re import lazy_compile
from lintnews.options import one_of
from lintnews.scan import blank

from .punctuation import CJK_LETTERS, reader_text

_STYLES = ("consistent", "always", "never")
_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin letters, accented ones included
_JOINERS = "\\-.'’@_/+&"
# a Latin word, with what joins its parts: GitHub's, e-mail, AT&T, 25229.7, abc@sina.com
_WORD = rf"[{_LETTER}0-9]++(?:[{_JOINERS}][{_LETTER}0-9]++)*+"
# what a reader sees as a space: a space or a no-break space (not a tab, not the ideographic space)
_GAP = "[ \u00a0]*+"
# one pass finds both sides of a word: "在 GitHub" (CJK first, the word looked ahead at,
# so that the same word can then match with the CJK character after it) and "GitHub 上";
# the name of a broken tag ("<figcaption回龙观") is not a word
_BOUNDARY = lazy_compile(
    rf"(?P<cjk>[{CJK_LETTERS}])(?P<gap>{_GAP})(?=(?P<word>{_WORD}))"
    rf"|(?<![{_LETTER}0-9{_JOINERS}<])(?P<word_>{_WORD})(?P<gap_>{_GAP})(?=(?P<cjk_>[{CJK_LETTERS}]))")
_CJK = lazy_compile(f"[{CJK_LETTERS}]")
# the reader sees the image, not its alt text: "![" up to the first "]" on its line. Where no
# "]" follows, the match stops at the line break (and is left out): a later "![" before it has
# none either, and reading to the line end again from each, on "![中a ![中a ...", is quadratic
_IMAGE_ALT = lazy_compile(r"!\[[^\]\n]*+\]?")
_DIGIT = lazy_compile("[0-9]")
_NOT_A_WORD = lazy_compile(rf"[@/]|\.[{_LETTER}]")  # e-mail addresses, paths, domain and file names


@rule("cjk-latin-spacing", severity="warning", enabled=False,
      options={"style": Option("consistent", one_of(*_STYLES)), "digits": False, "allow": []})
class CjkLatinSpacing:
    """CJK text and Latin words are spaced the same way throughout (an opt-in rule).

    Turn it on with ``rules: {cjk-latin-spacing: true}``. Newsroom styles differ:
    Chinese wire copy writes ``在GitHub上``, many tech desks ``在 GitHub 上``. The
    ``style`` option says which is right:

    - ``consistent`` (the default): the article's own habit. The less common of the
      two ways is reported, each place where it is used; when both are equally
      common, the article's first boundary sets the style, so a mixed article is
      always reported somewhere.
    - ``always``: a space is required between CJK and Latin.
    - ``never``: no space is allowed.

    A boundary is a CJK character (Han, kana or hangul) directly beside a Latin
    word, or separated from it only by spaces on the same line. A missing space is
    reported at the character after the boundary (``G`` of ``在GitHub``, ``上`` of
    ``GitHub上``); an extra one at the space.

    Not counted, and never reported:

    - digits: ``8月2日``, ``2020年``, ``25229.7亿元`` are written without spaces in
      Chinese news. A word with a digit in it (``5G``, ``G20``, ``C919``,
      ``PM2.5``) counts as a number. Set ``digits: true`` to check numbers too.
    - a single letter, which is part of a Chinese word: ``A股``, ``K线``, ``X光``
      (a single digit is a number, checked with ``digits: true``).
    - names listed in ``allow``, written the way their owners write them
      (``allow: [Linux中国, IT之家]``).
    - e-mail addresses, URLs, domain and file names (``sina.com.cn``,
      ``report.pdf``), Markdown link destinations and image alt text.
    - full-width punctuation, symbols and units (``，GitHub``, ``6.51%``, ``30℃``):
      only letters make a boundary.
    - markup between the two characters: a tag is not a space, and a boundary with
      a tag, an emphasis marker or a link bracket in it (``在<b>GitHub</b>上``,
      ``在**GitHub**上``) is the markup's, not the writer's; nor are front matter,
      code, HTML comments and attributes read.
    - a line break: a newline between CJK and Latin in a Markdown paragraph is
      neither a space nor a missing one.
    - the ideographic space ``U+3000`` (layout, such as a paragraph's indent). A
      no-break space (``U+00A0``) is a space.

    Fails:

        GitHub 上的 Python 项目在 Linux 和Windows 上都能运行。

    Passes:

        中新网北京8月2日电 （王鑫蕊）日前，记者从国家市场监督管理总局获悉，2020年中国传媒产业总产值规模达25229.7亿元，较2019年增长6.51%。
        GitHub 上的 Python 项目在 Linux 和 Windows 上都能运行。
    """

    per_file = True  # the instance holds only what __init__ compiled: any process may check any file

    def __init__(self, options, root):
        self.style = options["style"]  # one of _STYLES: checked at load time
        self.digits = options["digits"]
        terms = sorted(options["allow"], key=len, reverse=True)
        self.allowed = re.compile("|".join(map(re.escape, terms))) if terms else None

    def check(self, doc):
        if not _CJK.search(doc.prose, doc.body_offset):
            return
        boundaries = list(self._boundaries(doc))
        if not boundaries:
            return
        if self.style == "consistent":
            spaced = sum(1 for has_space, *_ in boundaries if has_space)
            together = len(boundaries) - spaced
            if spaced != together:
                wanted = spaced > together
                why = f"this article mostly {'spaces' if wanted else 'writes together'} CJK and Latin"
            else:
                wanted = boundaries[0][0]
                why = (f"this article spaces CJK and Latin as often as not, and first "
                       f"{'spaced them' if wanted else 'wrote them together'}")
        else:
            wanted = self.style == "always"
            why = f"style: {self.style}"
        for has_space, start, end, first, second in boundaries:
            if has_space and not wanted:
                yield doc.violation(start, f'space between "{first}" and "{second}" ({why})', end)
            elif wanted and not has_space:
                yield doc.violation(start, f'no space between "{first}" and "{second}" ({why})', start + 1)

    def _boundaries(self, doc):
        """(spaced?, start and end of the space, the text before it, the text after it) of
        each boundary counted; a missing space starts and ends at the character after it."""
        text = reader_text(doc)
        markdown = doc.markdown
        images = [m.span() for m in _IMAGE_ALT.finditer(markdown, doc.body_offset) if markdown[m.end() - 1] == "]"]
        if images:
            text = blank(text, images)
        source = doc.text
        names = [m.span() for m in self.allowed.finditer(text, doc.body_offset)] if self.allowed else []
        name_starts = [start for start, _ in names]
        for match in _BOUNDARY.finditer(text, doc.body_offset):
            cjk_first = match["cjk"] is not None
            word = match["word"] if cjk_first else match["word_"]
            if not self._counted(word):
                continue
            start, end = match.span("gap" if cjk_first else "gap_")
            if source[start:end] != text[start:end]:
                continue  # markup, a URL or an image between the two, blanked in the reader's text
            index = bisect_left(name_starts, start) - 1
            if index >= 0 and names[index][1] > end:
                continue  # inside an allowed name: both characters lie within it
            cjk = match["cjk"] if cjk_first else match["cjk_"]
            yield (start < end, start, end) + ((cjk, word) if cjk_first else (word, cjk))

    def _counted(self, word: str) -> bool:
        """Whether a word makes a boundary: not a lone letter, an address, or (by default) a number."""
        if len(word) == 1 and not word.isdigit():
            return False
        return not _NOT_A_WORD.search(word) and (self.digits or not _DIGIT.search(word))


@hookimpl
def lintnews_rules():
    return [CjkLatinSpacing]

"""Text a translation or conversion tool left in the article: the instructions it was given, and
what it said about its own output."""
from __future__ import annotations

import re
from functools import lru_cache

from lintnews import Option, hookimpl, rule
from lintnews.lazy_re import compile_kept, lazy_compile
from lintnews.options import regexes
from lintnews.rules.promo import tool_words

# Each pattern is something only a prompt or a tool's reply says, never a story: the instructions
# echoed ("人名和作品名称不需要翻译", "把html转换成markdown格式", "将文章翻译成中文："; the
# label "图片地址：" over the images it was told to keep) and the tool's account of its work ("以上是
# 转换后的markdown格式文本", "已将HTML转换为Markdown格式"), and a generation API's own error
# ("由于未使用流式响应导致超时"); an archiver's note on its copy ("完整HTML内容已保存") and a
# tool's on where it cut a long text ("...(内容过长已截断)"), a model's
# remarks on its layout and translation ("优化排版后的文本如下", "翻译仅供参考"), and a script's empty
# value as a paragraph ("undefined"). Case is ignored. Each holds one of promo.TOOL_WORDS, which the scan
# shared with promo-boilerplate and contact-info finds: only the lines holding one are searched.
TOOL_PATTERNS = [
    r"(?:人名|作品名称?)(?:和|与|、|及)?(?:人名|作品名称?)?(?:均|都|也)?不(?:需要|用|必)翻译",
    r"(?:把|将)\s*html\s*(?:格式)?\s*(?:转换|转化)(?:成|为)\s*markdown",
    r"(?:转换|转化)(?:成|为)\s*markdown\s*格式",
    r"(?:将|把)(?:文章|文本|全文|内容)翻译成中文\s*[:：]",
    r"图片地址\s*[:：]",
    r"图片地址(?:换|转换)成\s*markdown",
    r"保留\s*imgs?\s*图片地址",
    r"图片地址无法翻译",
    r"以上是(?:转换|翻译|处理|整理|优化)后的",
    r"以上是对[^\n]{0,30}?的(?:处理|翻译|转换)结果",
    r"已(?:经)?(?:将|把)\s*html(?:\s*格式)?\s*(?:转换|转化)(?:为|成)\s*markdown",
    r"(?:转换|处理)后的\s*markdown",
    r"已(?:转换|转化)为\s*markdown\s*格式",
    r"以下为\s*markdown\s*格式的文本",
    r"未使用流式响应",
    # an archiver's note on its own copy, and a model's account of its layout and translation
    r"完整\s*html\s*内容已保存",
    r"内容过长[，,]?\s*已?(?:被)?(?:截断|省略)",
    r"(?:优化|调整)了?(?:文章|文本)?(?:的)?排版|排版(?:优化|已(?:经)?(?:进行了)?优化|后的)",
    r"^[#\t >*\d.、【\[(（<]*(?:中文翻译|翻译成中文|翻译)[】\])）>* \t]*[:：]?[ \t*]*$",
    r"为机器翻译|翻译(?:结果)?仅供参考|翻译完毕|（未翻译）",
    r"以上(?:是|为)(?:对)?(?:原文|本文)(?:的)?(?:翻译|markdown)",
    r"(?:以下|下面)(?:是|为)(?:图片地址|翻译后的)",
    r"原文中的图片(?:地址)?已(?:省略|保留)",
    r"\[替换为原文链接\]",
    # a script's empty value written out as a paragraph
    r"(?-i:^[ \t]{0,3}(?:undefined|null|NaN)[ \t]*$)",
]
_DEFAULT_PATTERNS = tuple(TOOL_PATTERNS)
_DEFAULT = lazy_compile("|".join(f"(?:{p})" for p in TOOL_PATTERNS), re.IGNORECASE | re.MULTILINE)


@lru_cache(maxsize=16)
def _any_of(patterns: tuple[str, ...]) -> re.Pattern | None:
    return compile_kept("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.MULTILINE) if patterns else None


@rule("tool-residue", severity="warning", options={"patterns": Option(TOOL_PATTERNS, regexes(joined=True))})
def tool_residue(doc, options):
    """A translation or conversion tool's instructions and remarks must not reach the page.

    Articles translated or converted by a language model keep, now and then, what
    the tool was told (``人名和作品名称不需要翻译``, ``把html转换成markdown格式：``,
    ``将文章翻译成中文：``, a label ``图片地址：`` over the images it was told to
    keep) or what it said about its work (``以上是转换后的markdown格式文本``,
    ``已将HTML转换为Markdown格式``, ``优化排版后的文本如下：``, ``翻译仅供参考``,
    ``[替换为原文链接]``), an archiver's note on its copy (``（完整HTML内容已保存，长度:
    5120 字符）``) or a tool's where it cut the text short (``…(内容过长已截断)``), a
    script's empty value left as a paragraph (``undefined``, ``null``),
    or an API's error in place of the article (``由于未使用流式响应导致超时``). Reported once
    per line, at the first match of ``patterns`` (regular expressions, case
    ignored; ``^`` is a line start); the same words on several lines (the
    archiver's note after each story of a digest) are one finding, at the first,
    counting the lines. Code is not read, so an article about
    Markdown or about a translation tool, with its examples in code, passes.

    Fails:

        <p>　　新作动画将于10月播出。</p>
        以上是转换后的markdown格式文本，已将图片地址转换成了markdown格式的图片链接。

    Passes:

        <p>　　新作动画将于10月播出，官方网站同步公开了新的宣传图。</p>
    """
    patterns = tuple(options["patterns"])
    prose = doc.prose
    if patterns == _DEFAULT_PATTERNS:  # only the lines holding one of the words can match
        words = tool_words(doc)
        if not words:
            return  # nearly every article
        pattern = _DEFAULT
        found = (pattern.search(prose, max(start, doc.body_offset), end) for start, end in _lines(prose, words))
    elif (pattern := _any_of(patterns)) is not None:
        found = pattern.finditer(prose, doc.body_offset)
    else:
        return
    line_end = -1
    # the same words on several lines (an archiver's note after each story of a digest, the label
    # "图片地址：" over each group of images) are one finding, at the first, counting the lines
    first: dict[str, list] = {}
    for match in found:
        if match is None or match.start() <= line_end:
            continue  # one finding per line
        line_end = _line_end(prose, match.start())
        key = "".join(match.group().casefold().split())
        if key in first:
            first[key][1] += 1
        else:
            first[key] = [match, 1]
    for match, lines in first.values():
        more = f" (on {lines} lines of the article, the first here)" if lines > 1 else ""
        yield doc.violation(match.start(), f"left by a translation or conversion tool: {match.group().strip()!r}{more}",
                            match.end())


def _lines(text: str, offsets: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each line holding one of ``offsets`` (in order), each line once: the
    offsets on a line already found are passed over, so a line is read once however many
    words it holds."""
    lines: list[tuple[int, int]] = []
    end = -1
    for at in offsets:
        if at > end:
            end = _line_end(text, at)
            lines.append((text.rfind("\n", lines[-1][1] if lines else 0, at) + 1, end))
    return lines


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


@hookimpl
def lintnews_rules():
    return [tool_residue]

"""Promotion rules: app and account promos, QR codes and contact details left in reposted articles."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from lintnews import Edit, Option, hookimpl, rule
from lintnews.fix.edits import remove_block
from lintnews.lazy_re import compile_kept, lazy_compile
from lintnews.options import one_of, regexes
from lintnews.rules.body_text import HAN, has_han, within
from lintnews.rules.image_sources import front_matter_urls

# Promotional residue, matched line by line against the text as a reader sees it.
# Kept narrow on purpose: news reports on apps, accounts and WeChat every day.
PROMO_PATTERNS = [
    # "下载新浪财经APP", "下载客户端", but not "下载 TiDB 社区版" or "下载安装文件"
    # the gap holds a name, not a story ("您下载一个北京银行手机 App 就能…", "下载了该App")
    r"(?:点击|立即|马上|扫码|免费)?下载(?:(?![一了的该这那此其])[^\n。！!？?，,；;\s]){0,12}?(?:APP|App|app|客户端)",
    # opening an account as a call to action; "新增开户数" and "开户行" are news
    r"(?:一键|免费|在线|手机|极速|点击|立即|马上|扫码|快速)开户",
    r"开户[^\n。！!？?，,；;]{0,8}?(?:送|享|领|福利|优惠|低佣|佣金)",
    r"扫(?:码|描二维码|一扫)[^\n。！!？?，,；;]{0,8}?(?:关注|下载|开户|领取|加入|添加|赞赏|打赏)",
    r"长[按摁]并?(?:识别|扫描)?(?:图中|下方|上方)?二维码|识别(?:图中|下方|上方)?二维码",
    # a WeChat article's pointer to its "read the original" link
    r"点击(?:下方|左下角|文末)[*_“\"「 ]{0,6}阅读原文",
    r"关注(?:我们的?|本|官方)?(?:微信)?公众(?:号|平台)",
    r"分享到[:：]",
]
# the words every built-in pattern starts with, each a literal (so the regex engine skips ahead
# to their first characters and rules out most of them itself): kept in step with PROMO_PATTERNS
_PROMO_WORDS = ("点击下载|立即下载|马上下载|免费下载|下载"
                "|一键开户|免费开户|在线开户|手机开户|极速开户|点击开户|立即开户|马上开户|快速开户|开户"
                "|扫码|扫描二维码|扫一扫|长按|长摁|识别|关注|分享到|点击下方|点击左下角|点击文末")
_PROMO_START = lazy_compile(_PROMO_WORDS)
BLOCK_CLASSES = ["appendQr_wrap", "app-kaihu-qr"]
# Residue every page of a source site carries, matched like PROMO_PATTERNS; findings on lines
# close together (a footer of five lines) are one block, reported once at its start.
RESIDUE_PATTERNS = [
    # stock-tips and account-opening ads
    r"福利来了", r"送你十大金股", r"十大金股", r"点击查看\s*(?:>>|》》|&gt;&gt;)",
    # 知乎's links back to the question
    r"查看知乎(?:讨论|原文)",
    # site footers: copyright, licences and report lines
    r"Copyright\s*(?:©|\(c\)|&copy;)\s*\d{4}\s*-\s*\d{4}\s*SINA", r"京ICP证\s*\d+", r"公网安备\s*\d+",
    r"违法和不良信息举报",
    # the widgets of a WeChat article's page, kept as text by a copy of it: the QR code's "follow
    # the account" (after "微信扫一扫"), the preview note, the swipe and read-more prompts
    r"关注该公众号(?=[ \t\r]*(?:\n|\Z))", r"预览时标签不可点", r"继续滑动看下一个", r"向上滑动看下一个", r"轻触阅读原文",
    r"喜欢此内容的人还喜欢", r"文章已于\d{4}-\d{1,2}-\d{1,2}修改", r"阅读原文(?=[ \t\r]*(?:\n|\Z))",
    # WordPress.com's and Jetpack's share and like buttons, as text
    r"Share this:\s*(?:Click to share|Share on|Twitter|Facebook|Email|Print|LinkedIn|Reddit|WhatsApp|Tumblr|Pinterest)",
    r"Click to share on \w+ \(Opens in new window\)", r"Like this:\s*Like\s*Loading\.\.\.",
    # the footer WordPress writes under each post of its feeds, a line of its own
    r"The post [^\n]{1,400}? appeared first on (?:[^\n.]|\.(?! )){1,160}?\.(?=[ \t\r]*(?:\n|\Z))",
    # a source's reprint notice and disclaimer, copied with its article
    r"不代表[^。\n]{0,10}(?:网|站|平台|公众号|本刊|本报)[^。\n]{0,4}(?:立场|观点)", r"转载请联系", r"如需转载",
    r"未经[^。\n]{0,12}(?:授权|许可)[^。\n]{0,3}(?:不得|禁止|严禁|谢绝)转载",
    # a WeChat account's prompts: keep in touch, reply with a keyword, tipping switched off
    r"防失联", r"(?:后台|公号)\W{0,3}回复\s*[*“\"「]+[^\s*”\"」]{1,8}[*”\"」]+", r"赞赏功能被关闭",
    # CNN's related-article widget, its label run into the headline it links to
    r"Related (?:article|video)(?=[A-Z“\"‘])",
]
# residue that is a line of its own, as a widget or a footer is: a match of a residue pattern
# starting with one of these counts only where nothing but blanks (tags, as the prose shows
# them) stands before it on its line ("关注该公众号" in a sentence of the news is the news)
_OPENS_ITS_LINE = ("The post ", "关注该公众号", "阅读原文")  # "关注公众号：XXX" lines are PROMO_PATTERNS' already
RESIDUE_LINES = 6  # findings at most this many lines apart are one block
# the words every built-in residue pattern starts with, kept in step with RESIDUE_PATTERNS like
# _PROMO_WORDS; with both, one pass over the text finds where either kind can start
_RESIDUE_WORDS = ("福利来了|送你十大金股|十大金股|点击查看|查看知乎|Copyright|京ICP证|公网安备|违法和不良信息举报"
                  "|关注该公众号|预览时标签不可点|继续滑动看下一个|向上滑动看下一个|轻触阅读原文|喜欢此内容的人还喜欢"
                  "|文章已于|阅读原文"
                  "|Share this:|Click to share on |Like this:|The post "
                  "|不代表|转载请联系|如需转载|未经|防失联|后台|公号|赞赏功能被关闭|Related ")
_RESIDUE_START = lazy_compile(_RESIDUE_WORDS)
_RESIDUE_DEFAULTS = tuple(RESIDUE_PATTERNS)


# A share button's link, as a source page's share bar leaves it in the article (HTML or a Markdown
# link; a reference definition shows nothing unless a link uses it, and a converter's list of
# them keeps every link of the page, used or not): the share dialog of Facebook, X/Twitter, LinkedIn, Weibo or
# QQ, Jetpack's "?share=twitter" links and a mail with no recipient ("mailto:?subject=…"). An
# article links to a page, never to a dialog that shares itself. Case counts, as in these paths;
# every alternative holds "share", "intent/" or "mailto:?", asked first of the text (most have none).
_SHARE_LINK = lazy_compile(
    r"""(?:href\s*=\s*["']?|\]\(\s*<?)"""
    r"""(?P<url>(?:https?:)?//(?:[\w-]+\.)*(?:facebook\.com/(?:sharer|dialog/share)"""
    r"""|(?:twitter|x)\.com/(?:intent/(?:tweet|post)|share\b)|linkedin\.com/(?:shareArticle|sharing/share-offsite)"""
    r"""|service\.weibo\.com/share|connect\.qq\.com/widget/shareqq)[^\s"'<>)]*"""
    r"""|(?:https?:)?//[^\s"'<>)]*[?&]share=(?:twitter|facebook|linkedin|reddit|pinterest|email|tumblr|pocket"""
    r"""|telegram|(?:jetpack-)?whatsapp|x)\b[^\s"'<>)]*|mailto:\?[^\s"'<>)]*)""")


def _share_links(doc, blocks):
    """The source page's share links, once per block of nearby lines (a share bar), at the first
    link's address; not in code, nor in a promotional block already reported."""
    text = doc.text
    if "share" not in text and "intent/" not in text and "mailto:?" not in text:
        return
    last_line = -RESIDUE_LINES - 1
    for match in _SHARE_LINK.finditer(text, doc.body_offset):
        start = match.start("url")
        if within(doc.scan.code, start) or any(tag.offset <= start < end for tag, end in blocks):
            continue
        line = doc.position(start)[0]
        if line - last_line > RESIDUE_LINES:
            yield doc.violation(start, f"share link of the source page: {match.group('url')!r}", match.end("url"))
        last_line = line


@lru_cache(maxsize=32)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern | None:
    return compile_kept("|".join(f"(?:{pattern})" for pattern in patterns)) if patterns else None


def promo_blocks(doc, classes=tuple(BLOCK_CLASSES)) -> list[tuple[object, int]]:
    """``(start tag, end offset)`` of each element whose class names one of ``classes``,
    up to its matching end tag (or the end of the text). Computed once per document."""
    key = ("promo-blocks", tuple(classes))
    if key not in doc.cache:
        wanted = set(classes)
        tags = doc.source_tags  # a block indented into a code block is still the source site's
        blocks = []
        covered = -1  # tags before this offset are nested in a block found already, part of it
        for index, tag in enumerate(tags):
            if tag.offset < covered or tag.closing or not tag.attrs:
                continue
            attr = tag.get("class")
            if attr is None or not attr.value or wanted.isdisjoint(attr.value.split()):
                continue
            depth, end = 1, len(doc.text)
            for position in range(index + 1, len(tags)):  # islice would walk from the start: quadratic
                other = tags[position]
                if other.name == tag.name:
                    depth += -1 if other.closing else 1
                    if depth == 0:
                        end = other.end
                        break
            blocks.append((tag, end))
            covered = end
        doc.cache[key] = blocks
    return doc.cache[key]


@rule("promo-boilerplate", severity="warning", fix="unsafe",
      options={"patterns": Option([], regexes(joined=True)), "defaults": True, "block-classes": BLOCK_CLASSES,
               "residue-patterns": Option(RESIDUE_PATTERNS, regexes())})
def promo_boilerplate(doc, options):
    """Promotional residue of the source site: app downloads, account opening, QR codes, share widgets.

    Scraped articles keep the source's calls to action, which promote somebody
    else's app on our site. Reported: elements whose class names one of
    ``block-classes`` (by default Sina's ``appendQr_wrap`` QR block), once, at their
    ``<``, their text not reported again; and lines whose text, as a reader sees it,
    holds a promotion: ``下载…APP``/``客户端``, calls to open an account (``一键开户``,
    ``开户送…``; ``新增开户数`` is news), ``扫码关注``, ``扫码赞赏``, ``长按识别二维码``,
    ``点击下方“阅读原文”``, ``关注公众号`` and ``分享到：`` share widgets, once per line,
    at the first.
    ``patterns`` adds regular expressions; ``defaults: false`` leaves only them.
    The source site's residue, ``residue-patterns``, is reported once per block
    at its start (findings up to six lines apart are one block): stock-tips ads
    (``福利来了``, ``送你十大金股``, ``点击查看>>``; blocks of class
    ``app-kaihu-qr`` are in ``block-classes``), 知乎's ``查看知乎讨论`` links,
    site footers (``Copyright ©1996-2025
    SINA``, ``京ICP证``, ``公网安备``, ``违法和不良信息举报``), the widgets of a WeChat
    article's page kept as text (``关注该公众号`` under its QR code, ``预览时标签不可点``,
    ``继续滑动看下一个``, ``轻触阅读原文``, ``文章已于2020-03-27修改``, a line holding only
    ``阅读原文``…), and the share and like
    buttons of WordPress.com and Jetpack left as text (``Share this: Twitter
    Facebook``, ``Click to share on Twitter (Opens in new window)``, ``Like this:Like
    Loading...``) and the footer of WordPress's feeds (``The post … appeared first on
    …``, a line of its own), a source's reprint notice and disclaimer (``未经授权，不得转载``,
    ``转载请联系后台``, ``不代表虎嗅网立场``), a WeChat account's prompts (``防失联``,
    ``后台回复“加群”``, ``赞赏功能被关闭``) and CNN's ``Related article`` label run into
    the headline it links to; an empty list switches them off. (``关注公众号：…`` lines are promotions, reported as such.)
    A source page's share bar left in the article is reported once per block, at the first link's
    address: links (HTML or Markdown, not a reference definition) to the share dialog of Facebook
    (``facebook.com/sharer``), X/Twitter (``twitter.com/intent/tweet``), LinkedIn
    (``shareArticle``), Weibo or QQ, Jetpack's ``?share=twitter`` links and a mail with no
    recipient (``mailto:?subject=…``); not with ``defaults: false``, nor within six lines of
    residue found already (WordPress's ``Share this: Twitter`` is that bar's finding).

    Fix (unsafe): a promotional block is removed whole, with the ``<style>`` block just
    before it that styles it and the gap it leaves. Promotional lines of text and source-site
    residue are left to an editor.

    Fails:

        <p>　　正文。</p>
        <p>下载新浪财经APP，海量资讯随时看</p>

    Passes:

        <p>　　今年一季度，沪市新增开户数同比增长12%。</p>
    """
    blocks = promo_blocks(doc, tuple(options["block-classes"]))
    for tag, end in blocks:
        yield doc.violation(tag.offset, f"promotional block <{tag.name} class=\"{tag.get('class').value}\">",
                            end, fix=_block_fix(doc, tag, end))
    shares = list(_share_links(doc, blocks)) if options["defaults"] else []
    residue_patterns = tuple(options["residue-patterns"])
    # built-in patterns only: where their words stand in the prose is known (see _starts)
    built_in = options["defaults"] and not options["patterns"] and residue_patterns == _RESIDUE_DEFAULTS
    # promotions are looked for in source_prose, which is prose unless HTML renders as code
    in_prose = built_in and not doc.html_code
    if in_prose and not _starts(doc)[0]:
        yield from shares
        return  # most articles: no word a built-in promotion or residue starts with stands in them
    patterns = (PROMO_PATTERNS if options["defaults"] else []) + list(options["patterns"])
    pattern = _compiled(tuple(patterns))
    residue = promotions = None  # the matches of each kind, when found in one pass
    if built_in:
        # promotions too where they are looked for in the prose; else in source_prose, below
        residue, promotions = _built_in_both(doc.prose, _starts(doc)[0], pattern if in_prose else None,
                                             _compiled_multiline(residue_patterns))
    found = list(_residue(doc, residue_patterns, blocks, residue))
    yield from found
    # a share bar whose text is residue already (WordPress's "Share this: Twitter") is that finding
    yield from (share for share in shares
                if not any(abs(share.line - other.line) <= RESIDUE_LINES for other in found))
    if pattern is None:
        return
    prose = doc.source_prose  # promotions in HTML that renders as code are still there
    reported_line = -1
    block_index = 0
    if promotions is not None:
        matches = promotions
    elif options["patterns"]:
        matches = pattern.finditer(prose, doc.body_offset)
    else:
        matches = _built_in_matches(pattern, prose, doc.body_offset)
    for match in matches:
        start = match.start()
        while block_index < len(blocks) and blocks[block_index][1] <= start:
            block_index += 1
        if block_index < len(blocks) and blocks[block_index][0].offset <= start:
            continue  # inside a block already reported
        line_start = prose.rfind("\n", 0, start) + 1
        if line_start == reported_line:
            continue
        reported_line = line_start
        yield doc.violation(start, f"promotional text: {match.group()!r}", match.end())


_STYLE_BEFORE = lazy_compile(r"<style\b[^>]*>([^<]*)</style\s*>\s*\Z", re.IGNORECASE)


def _block_fix(doc, tag, end: int):
    """Remove a promotional block, and the ``<style>`` block right before it when that styles
    the block's classes; None for a block never closed."""
    text = doc.text
    if end >= len(text) and not text.rstrip().endswith(">"):
        return None
    start = tag.offset
    window = text[max(doc.body_offset, start - 4000):start]
    style = _style_before(window)
    classes = (tag.get("class").value or "").split()
    if style and any(name in style.group(1) for name in classes):
        start -= len(window) - style.start()
    return remove_block(text, start, end, doc.body_offset)


def _style_before(window: str) -> re.Match | None:
    """``_STYLE_BEFORE.search(window)``, searched only from where its match can start. Case
    ignored, the regex engine tries each character of the window for a "<style", but a match
    ends the window, so its closing tag starts at the window's last "<"; its content holds no
    "<", so the "<" before that is its opening tag's, or one inside that tag's attributes,
    which hold no ">": the opening tag starts after the last ">" before that "<"."""
    closing = window.rfind("<")
    if closing <= 0:
        return None  # no room for an opening tag before the closing one
    inside = window.rfind("<", 0, closing)
    if inside < 0:
        return None
    return _STYLE_BEFORE.search(window, window.rfind(">", 0, inside) + 1)


def _residue(doc, patterns: tuple[str, ...], blocks, matches: list[re.Match] | None = None):
    """Source-site residue, once per block of nearby lines, outside the promotional blocks;
    ``matches`` are the patterns' matches in the prose, when already found."""
    pattern = _compiled_multiline(patterns)
    if pattern is None:
        return
    last_line = -RESIDUE_LINES - 1
    prose = doc.prose
    for match in pattern.finditer(prose, doc.body_offset) if matches is None else matches:
        start = match.start()
        if any(tag.offset <= start < end for tag, end in blocks):
            continue
        if prose.startswith(_OPENS_ITS_LINE, start) and not _opens_line(prose, start):
            continue
        line = doc.position(start)[0]
        if line - last_line > RESIDUE_LINES:
            yield doc.violation(start, f"source-site residue: {' '.join(match.group().split())!r}", match.end())
        last_line = line


@lru_cache(maxsize=32)
def _compiled_multiline(patterns: tuple[str, ...]) -> re.Pattern | None:
    return compile_kept("|".join(f"(?:{pattern})" for pattern in patterns), re.MULTILINE) if patterns else None


def _built_in_matches(pattern: re.Pattern, text: str, start: int):
    """``pattern.finditer(text, start)`` for the built-in patterns, tried only where one of their
    first words stands: the regex engine cannot skip ahead for their alternation and tries every
    position. Most articles hold none of those words, and are read once, in C."""
    pos = start
    while (candidate := _PROMO_START.search(text, pos)) is not None:
        match = pattern.match(text, candidate.start())
        if match:
            yield match
            pos = match.end()
        else:
            pos = candidate.start() + 1


def _built_in_both(text: str, candidates: list[int], promotion: re.Pattern | None, residue: re.Pattern):
    """``(list(residue.finditer(text, start)), list(_built_in_matches(promotion, text, start)))`` for
    the built-in patterns of both kinds and the body's prose ``text`` (from the body's ``start``),
    found in one pass over the ``candidates``, the offsets where a first word of either kind
    stands (see ``_starts``): each kind is tried only where one of its own first words stands,
    and from where its last match ended. With ``promotion`` None, no promotion is looked for
    (and None is given for them)."""
    residue_found, promotions = [], [] if promotion is not None else None
    residue_from = promotion_from = 0  # where each kind's next match may start
    for at in candidates:
        if promotion is not None and at >= promotion_from and _PROMO_START.match(text, at) \
                and (match := promotion.match(text, at)):
            promotions.append(match)
            promotion_from = match.end()
        if at >= residue_from and _RESIDUE_START.match(text, at) \
                and (not text.startswith(_OPENS_ITS_LINE, at) or _opens_line(text, at)) \
                and (match := residue.match(text, at)):
            residue_found.append(match)
            residue_from = match.end()
    return residue_found, promotions


def _opens_line(text: str, at: int) -> bool:
    """Whether nothing but blanks stands before ``at`` on its line: read back over the blanks
    only (the line's start may be far back, past many candidates)."""
    before = at
    while before and text[before - 1] in " \t\r\u3000\xa0":
        before -= 1
    return before == 0 or text[before - 1] == "\n"


COVER_KEYS = ["headimg", "thumbnail", "cover", "image"]
PROMO_URLS = ["https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png"]


def _normal_url(url: str) -> str:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    elif url.startswith("http://"):
        url = "https://" + url[len("http://"):]
    return url


@rule("cover-image-promo", severity="warning", fix="unsafe",
      options={"front-matter-keys": COVER_KEYS, "promo-urls": PROMO_URLS, "block-classes": BLOCK_CLASSES})
def cover_image_promo(doc, options):
    """The cover image must not be a promotional or QR-code image.

    Feeds and scrapers often take the first image of the page, which on Sina is the
    app's QR code: every list and share card then shows an advertisement. A
    front-matter image (keys in ``front-matter-keys``; a string, a list, or a mapping
    with ``url``/``src``/``image``) is reported at its value when its URL is one of
    ``promo-urls`` (by default Sina's app QR code; ``http:``, ``https:`` and
    protocol-relative spellings are the same) or is the ``src`` of an image inside a
    promotional block of the same article (``block-classes``, as in
    ``promo-boilerplate``).

    Fix (unsafe): the key is removed from the front matter (a better image is not
    guessed), unless it holds a list of several images.

    Fails:

        ---
        title: 全媒体运营师能力验证工作正式启动
        headimg: 'https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png'
        ---
        <p>正文。</p>

    Passes:

        ---
        title: 全媒体运营师能力验证工作正式启动
        headimg: 'https://n.sinaimg.cn/spider2022/chart.png'
        ---
        <p>正文。</p>
    """
    if doc.meta.keys().isdisjoint(options["front-matter-keys"]):
        return  # most articles name no cover image: there is nothing to compare
    known = _known_promo_urls(tuple(options["promo-urls"]))
    blocks = promo_blocks(doc, tuple(options["block-classes"]))
    if blocks:
        known = dict(known)  # the run's table stays as it is: this article's blocks add to a copy
        starts = [block.offset for block, _ in blocks]  # blocks never overlap, in order: bisect, not any()
        for tag in doc.source_tags:
            if tag.name == "img" and not tag.closing and (index := bisect_right(starts, tag.offset) - 1) >= 0 \
                    and tag.offset < blocks[index][1]:
                for name in ("src", "data-src", "data-original"):
                    attr = tag.get(name)
                    if attr is not None and attr.value and attr.value.strip():
                        known.setdefault(_normal_url(attr.value), "the image of the article's promotional block")
    if not known:
        return
    for key in options["front-matter-keys"]:
        for path, url in front_matter_urls(doc.meta.get(key), (key,)):
            why = known.get(_normal_url(url))
            if why:
                # a key holding the image itself: where its value is written is the finding's
                # place (as meta_offset() gives it) and the fix's span, looked up once for both
                span = doc.meta_span(key) if len(path) == 1 else None
                offset = span[0] if span is not None else doc.meta_offset(*path)
                yield doc.violation(offset if offset is not None else 0,
                                    f"front-matter {'.'.join(map(str, path))} is {why}: {url.strip()}",
                                    fix=_key_fix(doc, path, span))


@lru_cache(maxsize=32)
def _known_promo_urls(urls: tuple[str, ...]) -> dict[str, str]:
    """The known promotional images, by normal URL: one table per run and setting, never changed."""
    return {_normal_url(url): "a known promotional image" for url in urls}


def _key_fix(doc, path: tuple, span: tuple[int, int] | None = None):
    """Remove the top-level front-matter key holding the image, with its value: its lines,
    from the key's line to the end of the value's last line (``span``, the value's, when
    already looked up). None when the value holds other images too (a list of several), or
    the key shares a line with another."""
    if doc.front_matter is None or doc.front_matter.format is not None:
        return None
    value = doc.meta.get(path[0])
    if isinstance(value, list) and len(value) != 1:
        return None
    key = doc.meta_offset(path[0], value=False)
    span = span if span is not None else doc.meta_span(path[0])
    if key is None or span is None:
        return None
    text = doc.text
    line_start = text.rfind("\n", 0, key) + 1
    if line_start != key:
        return None  # indented or in a flow mapping: not a key of its own line
    end = span[1]
    if end > line_start and text[end - 1] == "\n":
        end -= 1  # a block value's end is the start of the next line
    line_end = text.find("\n", end)
    rest = text[end:line_end if line_end >= 0 else len(text)]
    if rest.strip() and not rest.strip().startswith("#"):
        return None
    stop = min(line_end + 1, doc.front_matter.content_end) if line_end >= 0 else len(text)
    if stop <= line_end:
        return None
    return Edit(line_start, stop, "")


# Phone numbers: a digit, letter, or number punctuation next to them means a longer number
# (an amount, a date, an ID); a unit after them means a quantity.
_NUMBER_BEFORE = r"[A-Za-z0-9_.,，:/#@$¥￥+\-]"
_NOT_BEFORE = rf"(?<!{_NUMBER_BEFORE})"
_NOT_AFTER = r"(?![A-Za-z0-9_%‰％/\-]|[.,]\d|[元亿万千百美吨股倍年月日号次名人户家个件])"
PHONE = [
    # Chinese mobile: 13812345678, 138-1234-5678, 138 1234 5678
    _NOT_BEFORE + r"(?P<mobile>1[3-9]\d(?:\d{8}|-\d{4}-\d{4}| \d{4} \d{4}))" + _NOT_AFTER,
    # landline with an area code: 010-12345678, 0755-8345 6789, (021) 1234 5678, （021）12345678
    _NOT_BEFORE + r"(?P<landline>(?:0\d{2,3}-|[(（]0\d{2,3}[)）][ \t]?)\d{3,4}[- ]?\d{4})"
    r"(?:-\d{1,5})?" + _NOT_AFTER,
    # international: +86 10 1234 5678, +86-138-1234-5678, +8613812345678, +1 (202) 555-0100;
    # not "+169" in statistics or "+0200" in a time zone
    r"(?<![A-Za-z0-9_+])(?P<international>\+86-?1[3-9]\d{9}|\+[1-9]\d{0,2}(?:[ \t-]?\(\d{1,4}\))?"
    r"(?:[ \t.-]\d{2,4}){2,4})" + _NOT_AFTER,
]
HANDLES = [
    # 微信：abc_123, 微信号: abc123, QQ：12345678, QQ群：12345678, WeChat ID: abc123
    r"(?<![A-Za-z])(?P<handle>(?:微信号?|微信ID|WeChat(?:[ \t]*ID)?|QQ(?:号|群号?)?)[ \t*_]*[:：][ \t*_]*"
    r"(?:[A-Za-z][\w-]{4,19}|[1-9]\d{4,11}))(?![\w-])",
    # 微信abc_123 without a colon: only an ID with a digit, an underscore or a hyphen in it
    r"(?P<wechat>(?:微信号?|WeChat)[ \t*_]*(?=[A-Za-z][A-Za-z]*[\d_-])[A-Za-z][\w-]{5,19})(?![\w-])",
    r"(?<![A-Za-z])(?P<qq>QQ(?:号|群号?)?[ \t]*[1-9]\d{4,11})(?!\d)",
]
EMAIL = [r"(?<![\w.%+-])(?P<email>[A-Za-z0-9][\w.%+-]*@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![\w-])"]
_EMAIL = lazy_compile(EMAIL[0])
# where a built-in phone or handle pattern can match: its start, with what rules out most
# digits in news copy (a digit or a number's punctuation before it; for a landline, no "-"
# after the area code). Each branch starts with a literal, its look-behind after it, so the
# regex engine skips ahead to them.
_CONTACT_NUMBERS = (rf"1(?<!{_NUMBER_BEFORE}1)[3-9]\d(?:\d{{8}}|[- ]\d{{4}}[- ]\d{{4}})"
                    rf"|0(?<!{_NUMBER_BEFORE}0)\d{{2,3}}-|\((?<!{_NUMBER_BEFORE}\()0|（(?<!{_NUMBER_BEFORE}（)0"
                    r"|\+(?<![A-Za-z0-9_+]\+)")
_CONTACT_WORDS = ("微信", "WeChat", "QQ")  # and the handles' labels
_CONTACT_STARTS = _CONTACT_NUMBERS + "".join(f"|{word}" for word in _CONTACT_WORDS)
_CONTACT_FIRST = frozenset("10(（+微WQ")  # the characters its branches start with, and no promotion's word


def _by_first_character(words: str) -> str:
    """``words`` (literal words joined by "|") as one alternative per first character:
    "点击下载|点击开户|下载" becomes "点(?:击下载|击开户)|下(?:载)". The same words match at the
    same places; at each character that starts an alternative, the regex engine walks the
    alternatives to find those starting with it, and grouped there are fewer to walk (一 and
    在 are among the commonest characters of Chinese text, and each starts a word)."""
    rests: dict[str, list[str]] = {}
    for word in words.split("|"):
        rests.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in rests.items())


# where tool-residue's built-in patterns can match: each holds one of these words (see rules/tool_residue.py),
# none starting with a character that starts a promotion's word or a contact's branch
TOOL_WORDS = "|".join(["翻译", "图片地址", "以上是", "流式响应", "内容已保存", "内容过长", "排版", "原文中的图片",
                       "替换为原文",
                       "undefined", "null", "NaN",  # and "kdown" (of "markdown") in every casing
                       *("".join(c.upper() if bit & 1 << i else c for i, c in enumerate("kdown")) for bit in range(32))])
_TOOL_FIRST = frozenset(word[0] for word in TOOL_WORDS.split("|"))
assert not _TOOL_FIRST & ({word[0] for word in f"{_PROMO_WORDS}|{_RESIDUE_WORDS}".split("|")} | _CONTACT_FIRST | {"@"})
# (and no promotion's or residue's word starts as a contact's branch does: _starts files it by that character)
assert not _CONTACT_FIRST & {word[0] for word in f"{_PROMO_WORDS}|{_RESIDUE_WORDS}".split("|")}
# where a built-in promotion, a source site's residue, a contact detail, an e-mail address's "@" or a
# tool's leftover can start; the "@"s and the tools' words come with the rest, so that contact-info
# and tool-residue do not read the text again
_ANY_START = lazy_compile(f"{_CONTACT_STARTS}|@|{_by_first_character(f'{_PROMO_WORDS}|{_RESIDUE_WORDS}|{TOOL_WORDS}')}")
# "null" and "undefined" are the only words starting with "n" or "u", the letters the scan stops at
# most (English copy, and the English words of Chinese copy), each stop costing the regex engine a
# walk through every branch. Nearly no article holds either word: `in` tells so, reading the prose
# several times faster than the engine stops at those letters, and the scan then leaves the absent
# words out. A word the prose does not hold starts no match in it: the same starts are found.
_RARE_LEAD_WORDS = ("null", "undefined")
assert all(word[0] not in "nu" for word in f"{_PROMO_WORDS}|{_RESIDUE_WORDS}|{TOOL_WORDS}".split("|")
           if word not in _RARE_LEAD_WORDS)
# So are the words starting with a Chinese character (most of them) in prose without one (has_han,
# known already for the rules of Chinese typography): the engine walks fewer branches at each stop
_HAN_LEAD = lazy_compile(f"[{HAN}]")


@lru_cache(maxsize=8)
def _any_start(left_out: tuple[str, ...], han: bool = True):
    """``_ANY_START`` without the words of ``_RARE_LEAD_WORDS`` in ``left_out``, and without the
    words starting with a Chinese character unless ``han``."""
    if not left_out and han:
        return _ANY_START
    words = "|".join(word for word in f"{_PROMO_WORDS}|{_RESIDUE_WORDS}|{TOOL_WORDS}".split("|")
                     if word not in left_out and (han or not _HAN_LEAD.match(word)))
    contacts = _CONTACT_NUMBERS + "".join(f"|{word}" for word in _CONTACT_WORDS if han or not _HAN_LEAD.match(word))
    return compile_kept(f"{contacts}|@|{_by_first_character(words)}")


# where digits are addresses, not numbers: URLs, Markdown link targets and link reference
# definitions (group 1: anchored on the newline before them, a literal the regex engine skips
# ahead to, where "^" is tried at every position; a definition on the first line is matched apart)
_NOT_PROSE = lazy_compile(r"https?://[^\s<>\"'）]*|ftp://[^\s<>\"'）]*|www\.[^\s<>\"'）]+|\]\([^)\n]*\)"
                        r"|\n([ \t]{0,3}\[[^\]\n]+\]:[^\n]*)")
_FIRST_DEFINITION = lazy_compile(r"[ \t]{0,3}\[[^\]\n]+\]:[^\n]*")
PERSONAL_MAIL_DOMAINS = ["qq.com", "foxmail.com", "126.com", "163.com", "yeah.net", "sina.com", "sina.cn",
                         "sohu.com", "aliyun.com", "139.com", "189.cn", "21cn.com", "tom.com",
                         "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
                         "yahoo.com", "icloud.com", "me.com", "aol.com", "protonmail.com", "proton.me",
                         "tutanota.com", "gmx.net", "gmx.de", "mail.ru", "yandex.ru"]
_KINDS = {"mobile": "mobile phone number", "landline": "phone number", "international": "phone number",
          "handle": "messenger handle", "wechat": "WeChat handle", "qq": "QQ number", "email": "e-mail address"}


def tool_words(doc) -> list[int]:
    """Where one of ``TOOL_WORDS`` stands in the body's prose (outside long code), in order."""
    return _starts(doc)[3]


def _starts(doc) -> tuple[list[int], list[int], list[int], list[int]]:
    """Where a built-in promotion or residue pattern, and where a built-in contact pattern, can
    match in the body's prose: the offsets at which one of their first words (``_PROMO_WORDS``,
    ``_RESIDUE_WORDS``, ``_CONTACT_STARTS``) stands, in order; the offsets of its "@"s; and
    those of ``TOOL_WORDS``. Found once for promo-boilerplate, contact-info and tool-residue
    together: the regex engine reads every character of the prose for any, and reading it once
    for all costs little more than for one (no word of one starts with a character that starts
    a word of another, so the character says whose it is)."""
    key = "promo-contact-starts"
    found = doc.cache.get(key)
    if found is None:
        text = doc.prose
        promotions, contacts, ats, tools = [], [], [], []
        search = _any_start(tuple(word for word in _RARE_LEAD_WORDS if word not in text), has_han(doc)).search
        for pos, stop in _outside_long_code(doc):
            while (candidate := search(text, pos, stop)) is not None:
                at = candidate.start()
                character = text[at]
                (ats if character == "@" else contacts if character in _CONTACT_FIRST
                 else tools if character in _TOOL_FIRST else promotions).append(at)
                pos = at + 1
        found = doc.cache[key] = (promotions, contacts, ats, tools)
    return found


# code at least this long is not read by _starts: a fifth of an archive's text is code that the
# prose blanks, and the regex engine reads each blank as it reads any other character
LONG_CODE = 256


def _outside_long_code(doc) -> list[tuple[int, int]]:
    """The stretches of the body's prose between its code blocks and spans of ``LONG_CODE``
    characters or more, in order: where ``_starts`` looks. The prose blanks code (spaces and
    line breaks), and no start stands there. Nor does a match of ``_ANY_START`` reach into
    it from before: all its words are written without blanks, except a mobile number's single
    separators ("138 1234 5678"), each with a digit after it. So searching each stretch apart
    (up to its end) finds exactly the starts a search of the whole prose finds, the
    look-behinds seeing the blanks before a stretch as they would."""
    stretches = []
    pos = doc.body_offset
    for start, end in doc.scan.code:
        if end - start >= LONG_CODE and end > pos:
            if start > pos:
                stretches.append((pos, start))
            pos = end
    stretches.append((pos, len(doc.prose)))
    return stretches


# labels before a number, handle or address (on its line) that make it an organisation's published one
PUBLIC_LABELS = [r"举报", r"热线", r"客服", r"服务(?:电话|邮箱|号码)", r"投稿", r"办公(?:电话|室)", r"总机", r"传真",
                 r"来源", r"来自", r"转载自", r"公众号", r"官方(?:微信|微博|账号)",
                 # a byline: the address an author signs with is one they publish
                 r"作者", r"(?i:\bauthor\b|\bguest (?:blog|post)\b)",
                 r"(?i:hotline|customer service|press office)",
                 # an author's call to write in: "Email me at", "contact us:", "get in touch"
                 r"(?i:\b(?:e-?mail|contact|reach|write to|ping) (?:me|us)\b|\bget in touch\b|\bdrop (?:me|us) a line\b)",
                 # a call to write in: "请发送姓名至邮箱", "欢迎电邮至", a petition's or a newsroom's address
                 r"(?:发送|寄送|电邮|邮件|来信)[^\n]{0,30}?(?:至|到)", r"编辑部", r"联系我们|联系方式", r"联署|联名",
                 # an office named just before a landline: "深圳市政府办公厅 0755-82100000"
                 r"(?:政府|办公厅|局|厅|委|派出所|法院|检察院|中心|公司|大学|学院|医院)[ \t：:]*$"]
PUBLIC_MAILBOXES = ["press", "jubao", "kf", "service", "tougao", "news", "editor", "contact", "info", "support",
                    "media", "pr", "webmaster"]
# the only labels that make a mobile number (a person's, as a rule) public
_MOBILE_PUBLIC = lazy_compile(r"举报")
# a publication's account credited in brackets after its name: "智谷趋势（微信ID：zgtrend）"
_CREDITED_ACCOUNT = lazy_compile(r"[^\s（(：:][（(][ \t]*$")


@rule("contact-info", severity="warning",
      options={"phones": True, "handles": True,
               "emails": Option("personal", one_of("personal", "all", False), types=(str, bool)),
               "personal-mail-domains": PERSONAL_MAIL_DOMAINS,
               "allow": Option([r".*@example\.(?:com|org|net)"], regexes()),
               "patterns": Option([], regexes(joined=True)),
               "public-labels": Option(PUBLIC_LABELS, regexes()), "public-mailboxes": PUBLIC_MAILBOXES})
def contact_info(doc, options):
    """Personal contact details in the article text: phone numbers, WeChat and QQ handles, e-mail addresses.

    Reposted articles carry the source's sales lines and sometimes private numbers;
    they should not be republished unchecked. Reported, each at its start, in the
    text as a reader sees it: Chinese mobile numbers (``13812345678``, also
    ``138-1234-5678``), landlines with an area code (``010-12345678``,
    ``(021) 1234 5678``), international numbers (``+86 10 1234 5678``); WeChat and
    QQ handles (``微信：abc_123``, ``微信号：…``, ``QQ：12345678``, ``QQ群：…``);
    personal e-mail addresses. Stock codes (``600519``), amounts (``25229.7亿元``,
    ``1,234,567``), dates (``2022-08-02``, ``20220802``), years and numbers in URLs
    or Markdown link targets are not phone numbers. Short service numbers
    (``12345``, ``95588``) and ``400``/``800`` customer-service hotlines are not
    reported: in news they are public numbers printed on purpose. For the same
    reason, with ``emails: personal`` (the default) only addresses at free mail
    providers (``personal-mail-domains`` and their subdomains: QQ, 163, Gmail…) are
    reported, not an organisation's own ``press@``, ``info@`` or mailing-list
    addresses; ``emails: all`` reports every address.

    An organisation's published numbers and addresses are not personal: a phone
    number, handle or address that its line labels before it as public
    (``public-labels``, regular expressions searched in the text before it on its
    line: ``举报电话``, ``违法和不良信息举报``, ``客服``, ``热线``, ``服务邮箱``,
    ``投稿邮箱``, a call to write in such as ``请发送姓名至邮箱`` or an author's
    ``Email me at``, ``contact us``, ``get in touch``, ``编辑部``, a
    petition's ``联署``, an office's name just before a landline,
    ``来源：某某（微信号：xxx）`` crediting a publication's account, a byline's
    ``作者：``, ``Author:`` or ``Guest blog from:``) is not reported, nor an address whose mailbox
    is a role (``public-mailboxes``: ``press@``, ``jubao@``, ``kf@``…, unless
    ``emails: all``). A mobile
    number stays reported unless labelled as a report line: a hotline served from a
    mobile is a person's phone. ``phones``, ``handles`` and
    ``emails`` set to false switch the kinds off; ``allow`` lists regular
    expressions of accepted findings (whole text; by default ``example.com``
    addresses); ``patterns`` adds regular expressions of your own.

    Fails:

        <p>咨询热线：13812345678（微信同号）</p>

    Passes:

        <p>　　中新网北京8月2日电 （王鑫蕊）日前，记者从国家市场监督管理总局获悉，2020年中国传媒产业总产值规模达25229.7亿元，较2019年增长6.51%。</p>
    """
    built_in = options["phones"] or options["handles"]  # the patterns tried where their first words stand
    candidates = ats = ()
    if built_in or options["emails"]:
        _, candidates, ats, _ = _starts(doc)
        candidates = candidates if built_in else ()
        ats = ats if options["emails"] else ()
    if not candidates and not ats and not options["patterns"]:
        return  # most articles: no contact detail can start anywhere in them; nothing is compiled for them
    anchored = _compiled(tuple((PHONE if options["phones"] else []) + (HANDLES if options["handles"] else [])))
    custom = _compiled(tuple(options["patterns"]))
    prose = doc.prose
    matches = _contact_matches(prose, doc.body_offset, candidates, anchored, custom, ats)
    if not matches:
        return  # most articles: what judges a contact detail is not looked up for them
    public = _compiled(tuple(options["public-labels"]))
    # with emails: all, every address is reported, role mailboxes too
    mailboxes = _lowered(tuple(options["public-mailboxes"])) if options["emails"] != "all" else ()
    allowed = _allowed_patterns(tuple(options["allow"]))
    personal = _lowered(tuple(options["personal-mail-domains"]))
    holes = _not_prose(prose, doc.body_offset, matches)
    hole = 0
    last_end = -1
    for match in matches:
        start, end = match.span()
        while hole < len(holes) and holes[hole][1] <= start:
            hole += 1
        if hole < len(holes) and holes[hole][0] < end:
            continue
        if start < last_end:
            continue
        text = match.group().strip()
        if match.lastgroup == "email" and options["emails"] != "all" and not _personal(text, personal):
            continue
        if any(allow.fullmatch(text) for allow in allowed):
            continue
        if _published(prose, start, match.lastgroup, text, public, mailboxes):
            last_end = end
            continue
        last_end = end
        kind = _KINDS.get(match.lastgroup or "", "contact detail")
        yield doc.violation(start, f"{kind} in the article: {text!r}", end)


def _not_prose(text: str, start: int, matches: list[re.Match]) -> list[tuple[int, int]]:
    """The spans of URLs, link targets and reference definitions in order, on the lines holding
    the ``matches`` (contact details from ``start`` on, in order). None of them crosses a line
    break (a definition is found from the one before it), so the other lines are not read:
    searched from the line break before each line, a line shows what a search of the whole
    text from ``start`` finds on it."""
    holes = []
    for first, last in _lines_of(text, start, matches):
        pos = first
        if first < 0:  # the body's first line
            pos = start
            if start > 0 and text[start - 1] == "\n":
                pos = start - 1  # the newline anchoring a definition on the first line
            elif start == 0 and (definition := _FIRST_DEFINITION.match(text)) is not None:
                holes.append(definition.span())
                pos = definition.end()
        holes += [match.span(match.lastindex or 0) for match in _NOT_PROSE.finditer(text, pos, last)]
    return holes


def _lines_of(text: str, start: int, matches: list[re.Match]) -> list[tuple[int, int]]:
    """The stretches of whole lines that hold ``matches`` (in order, all from ``start`` on): from
    the line break before the first line (-1 for the first line from ``start``) to the end of
    the last; lines next to each other make one stretch."""
    stretches: list[tuple[int, int]] = []
    for match in matches:
        if stretches and match.start() <= stretches[-1][1]:  # on the last line of the stretch:
            if match.end() > stretches[-1][1]:  # (its line is not read again for each match on it)
                last = text.find("\n", match.end())
                stretches[-1] = (stretches[-1][0], len(text) if last < 0 else last)
            continue
        first = text.rfind("\n", start, match.start())
        last = text.find("\n", match.end())
        last = len(text) if last < 0 else last
        if stretches and first <= stretches[-1][1]:
            stretches[-1] = (stretches[-1][0], max(last, stretches[-1][1]))
        else:
            stretches.append((first, last))
    return stretches


def _contact_matches(text: str, start: int, candidates: list[int], anchored, custom, ats: list[int]):
    """The contact-detail matches in source order. The built-in patterns all begin with one of a
    few characters, so they are only tried at the ``candidates`` where one stands (see
    ``_starts``: far faster than a search with lookbehinds, which the regex engine cannot skip
    ahead for); e-mail addresses are found from their '@', at ``ats`` (every "@" from
    ``start`` on, or none when e-mail addresses are not looked for)."""
    found = []
    if anchored is not None:
        pos = start
        for candidate in candidates:
            if candidate >= pos and (match := anchored.match(text, candidate)):
                found.append(match)
                pos = match.end()
    for at in ats:
        begin = at
        while begin > start and (text[begin - 1].isascii() and (text[begin - 1].isalnum() or text[begin - 1] in "_.%+-")):
            begin -= 1
        while begin < at and not text[begin].isalnum():
            begin += 1
        match = _EMAIL.match(text, begin)
        if match:
            found.append(match)
    if custom is not None:
        found += custom.finditer(text, start)
    return sorted(found, key=lambda match: match.start())


def _published(text: str, start: int, kind: str | None, found: str, public: re.Pattern | None,
               mailboxes: tuple[str, ...]) -> bool:
    """Whether a contact detail at ``start`` is an organisation's published one: a role mailbox,
    or a public label before it on its line (for a mobile number, only a report-line label)."""
    if kind == "email" and found.partition("@")[0].lower() in mailboxes:
        return True
    if public is None:
        return False
    line_start = max(text.rfind("\n", max(start - 40, 0), start) + 1, start - 40)  # 40 characters back at most
    before = text[line_start:start]
    if kind == "mobile":
        return _MOBILE_PUBLIC.search(before) is not None
    if kind in ("handle", "wechat", "qq") and _CREDITED_ACCOUNT.search(before):
        return True
    return public.search(before) is not None


@lru_cache(maxsize=32)
def _allowed_patterns(patterns: tuple[str, ...]) -> list[re.Pattern]:
    return [compile_kept(allow, re.IGNORECASE) for allow in patterns]


@lru_cache(maxsize=32)
def _lowered(domains: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(domain.lower() for domain in domains)


def _personal(address: str, domains: tuple[str, ...]) -> bool:
    domain = address.rpartition("@")[2].lower()
    return any(domain == known or domain.endswith("." + known) for known in domains)


@hookimpl
def lintnews_rules():
    return [promo_boilerplate, cover_image_promo, contact_info]

"""Opt-in rules for reposted and translated copy: a byline that credits somebody else, and
Japanese left in a Chinese translation."""
from __future__ import annotations


from lintnews import Option, hookimpl, rule
from lintnews.lazy_re import lazy_compile
from lintnews.options import between
from lintnews.rules.body_text import HAN, KANA, paragraphs

# -- byline-mismatch -----------------------------------------------------------

_NAME = f"[{HAN}·]{{2,6}}|[A-Z][a-z]+(?: [A-Z][a-z]+){{1,3}}"
_BYLINES = lazy_compile(
    f"【文[/／](?:[^\\s】]{{2,8}}?[ \t])?(?P<a>{_NAME})】"  # 【文/观察者网 X】
    f"|(?:^|[\\s（(，【])(?:(?:记者|撰文|作者)[ \t]*[/／:：丨|｜]?|文[/／])[ \t]*(?P<b>[{HAN}·]{{2,4}})(?=[\\s）)，。、】]|$)"
    f"|^By (?P<c>[A-Z][a-z]+(?: [A-Z][a-z.]+){{1,3}})(?=$|[,;]| and | for | at )")
SOURCE_KEYS = ["author", "authors", "source", "from", "via", "translator", "reporter"]


@rule("byline-mismatch", severity="info", enabled=False, options={"paragraphs": Option(3, between(1, 1000)), "keys": SOURCE_KEYS})
def byline_mismatch(doc, options):
    """A byline in the opening names somebody the front matter does not credit (an opt-in rule).

    Reposts keep the source's byline: ``记者 X``, ``文/X``, ``【文/观察者网 X】``,
    ``撰文 X``, ``By X`` in the first ``paragraphs`` (3) paragraphs. When the name
    occurs in none of the front-matter values of ``keys`` (the author, the credited
    source, the translator…), the byline is reported, at the name, for an editor to
    check the credit: a repost must credit its author.

    Fails:

        ---
        author: 新浪财经
        ---
        <p>　　【文/观察者网 王世纯】日前，外交部发言人表示……</p>

    Passes:

        ---
        author: 王世纯
        source: 观察者网
        ---
        <p>　　【文/观察者网 王世纯】日前，外交部发言人表示……</p>
    """
    credited = " ".join(_strings([doc.meta.get(key) for key in options["keys"]]))
    for paragraph in paragraphs(doc)[:options["paragraphs"]]:
        for match in _BYLINES.finditer(paragraph.text):
            group = match.lastgroup
            name = match.group(group)
            if name in credited:
                continue
            start = paragraph.start + match.start(group)
            yield doc.violation(start, f"byline names {name!r}, whom the front matter does not credit",
                                start + len(name))


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _strings(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    return []


# -- untranslated-text ---------------------------------------------------------

# kanji forms that Japanese writes and Chinese does not (Simplified nor Traditional)
JAPANESE_KANJI = "気楽薬発変広歳読続対関経権県様駅図円売込実労済鉄転辺応拡桜沢浜覚観歓険験検庁単弾団拝悪圧営帰歩毎満訳頼覧戦銭総"
_KANA_RUN = lazy_compile(f"[{KANA}{JAPANESE_KANJI}][{KANA}{JAPANESE_KANJI}ー]*")
_HAN_CHAR = lazy_compile(f"[{HAN}]")


@rule("untranslated-text", severity="warning", enabled=False, options={"min-han": Option(100, between(0, 10_000_000)), "max-share": Option(0.05, between(0, 1))})
def untranslated_text(doc, options):
    """Japanese left in a Chinese article: kana or Japanese-only kanji (an opt-in rule).

    Machine-translated news keeps what the translator could not place: kana
    (``の``, ``アニメ``) and kanji forms only Japanese writes (``気``, ``楽``,
    ``図``). In an article of ``min-han`` (100) Chinese characters or more whose
    text is otherwise Chinese (kana and such kanji at most ``max-share``, 0.05, of
    it), each run is reported at its start, once per paragraph. The katakana middle
    dot ``・`` of transliterated names is Chinese usage too and never reported.

    Fails:

        <p>新作动画《星之彼方》将于四月开播，由知名动画公司制作，讲述少女们追寻梦想的故事。主角由新人声优担任，官方同时公开了第一弾宣传视频和主视觉图，粉丝反响热烈。</p>
        <p>制作组表示，动画将忠实还原原作的世界观，并加入原创剧情。放送平台与具体时间将在后续公布，敬请期待。</p>

    Passes:

        <p>新作动画《星之彼方》将于四月开播，由知名动画公司制作，讲述少女们追寻梦想的故事。主角由新人声优担任，官方同时公开了第一弹宣传视频和主视觉图，粉丝反响热烈。</p>
        <p>制作组表示，动画将忠实还原原作的世界观，并加入原创剧情。放送平台与具体时间将在后续公布，敬请期待。</p>
    """
    found = []
    han = 0
    for paragraph in paragraphs(doc):
        han += len(_HAN_CHAR.findall(paragraph.text))
        match = _KANA_RUN.search(paragraph.text)
        if match:
            found.append((paragraph, match))
    if not found or han < options["min-han"]:
        return
    japanese = sum(len(run) for paragraph, _ in found for run in _KANA_RUN.findall(paragraph.text))
    if japanese > options["max-share"] * han:
        return  # a Japanese article, or a Japanese quotation: not a translation's leftovers
    for paragraph, match in found:
        start = paragraph.start + match.start()
        yield doc.violation(start, f"Japanese left in the Chinese text: {match.group()!r}", start + len(match.group()))


@hookimpl
def lintnews_rules():
    return [byline_mismatch, untranslated_text]

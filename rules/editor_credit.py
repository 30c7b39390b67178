"""The editor-credit rule: reposted news must name its responsible editor."""
from __future__ import annotations

import re
from functools import lru_cache

from lintnews import Option, Violation, hookimpl, rule
from lintnews.facts import EDITOR
from lintnews.options import regexes

# A credit starts a line or follows punctuation or a separator ("作者：金焱，编辑：苏琦");
# after a CJK character it is prose ("担任此书责任编辑的"), and without a colon or bar
# it is no credit at all ("责任编辑 饰演 立田君子" in a cast list).
_ROLE = r"(?:(?:责任|运营|版面|值班|文字|执行|网络|微信|新媒体|视觉|美术|图片|视频|实习|特约|总)?编辑|责编|编审)"
_BAR = r"(?:[:：/／|｜丨]|\\\|)"
CHINESE = (r"(?<![^\s*_>【\[（(|｜丨,，;；。/\\])(?P<label>" + _ROLE + r")"
           r"[ \t\u3000]*" + _BAR + r"[ \t\u3000*_]*(?P<name>[^\n】\]）)，,。；|｜丨*]*)")
# "momo | 编辑": the name first, the role closing the line
CHINESE_NAME_FIRST = (r"^[ \t>*_]*(?P<name>[^\s|｜丨*][^\n|｜丨*]{0,19}?)[ \t]*(?:\\?\||｜|丨)[ \t]*"
                      r"(?P<label>" + _ROLE + r")[ \t*_]*\r?$")
ENGLISH = r"^[ \t>*_#\[(-]*(?P<label>Editors?[ \t]*:|Edited[ \t]+by[ \t]*:?)[ \t]*(?P<name>[^\n\])]*)"
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);")
_WORD = re.compile(r"\w")


@rule("editor-credit", severity="error",
      options={"patterns": Option([CHINESE, CHINESE_NAME_FIRST, ENGLISH], regexes(groups=("name",))), "keywords": ["编", "Edit"],
               "front-matter-keys": ["editor"]})
def editor_credit(doc, options):
    """The article must credit its responsible editor.

    Rules on reposted news require the name of the responsible editor, and an empty
    credit line is worse than none. A credit is a line such as ``责任编辑：王蒙``:
    a full- or half-width colon, a slash or a bar (``|``, ``丨``) after the role, a
    staff code after the name and brackets such as ``【责任编辑：…】`` are allowed;
    role prefixes too (``运营编辑丨小田``, ``编辑 / 秦旭东``), and the name-first form
    ``momo | 编辑``. In English: ``Editor: NAME`` or ``Edited by NAME`` at the start of
    a line. Mentions of the word in running prose (``担任此书责任编辑的``) or in a cast
    list (``责任编辑 饰演 …``) are not credits. A non-empty front-matter key from
    ``front-matter-keys`` counts too.

    ``patterns`` are regular expressions (multi-line) with a ``label`` and a
    ``name`` group, matched against each line of the text as a reader sees it that
    holds one of the ``keywords`` (every line, when ``keywords`` is empty). A
    missing credit is reported at 1:1, an empty one at its label (and then not as
    missing too).

    Fails:

        ---
        title: 全媒体运营师能力验证工作正式启动
        ---
        <p>新华社北京8月2日电……</p>

    Passes:

        ---
        title: 全媒体运营师能力验证工作正式启动
        ---
        <p>新华社北京8月2日电……</p>
        <p class="article-editor">责任编辑：王蒙 </p>
    """
    credited = any(_filled(doc.meta.get(key)) for key in options["front-matter-keys"])
    empty = False
    patterns = _compiled(tuple(options["patterns"]))
    # keywords are looked for in the markdown view (cheap); only those lines are read as prose
    for line_start, line_end in _lines_with(doc.markdown, doc.body_offset, options["keywords"]):
        line = doc.prose_between(line_start, line_end)
        for match in (m for pattern in patterns for m in pattern.finditer(line)):
            name = _ENTITY.sub(" ", match.groupdict().get("name") or "")
            if _WORD.search(name):
                credited = True
                doc.cache.setdefault(EDITOR, name.strip())  # the report groups articles by editor
            else:
                empty = True
                start = match.start("label") if "label" in match.re.groupindex else match.start()
                yield doc.violation(line_start + start,
                                    f"empty editor credit: {match.group().strip()!r} names nobody")
    if not credited and not empty:
        yield Violation(1, 1, "no editor credit (such as '责任编辑：NAME' or 'Editor: NAME')")


def _lines_with(text: str, start: int, keywords: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each line from ``start`` on holding a keyword; found by ``str.find``,
    so the patterns only run where a credit can be."""
    if not keywords:
        return [(start, len(text))]
    lines = set()
    for keyword in keywords:
        found = text.find(keyword, start)
        while found >= 0:
            line_end = text.find("\n", found)
            line_end = len(text) if line_end < 0 else line_end
            lines.add((max(start, text.rfind("\n", 0, found) + 1), line_end))
            found = text.find(keyword, line_end)
    return sorted(lines)


@lru_cache(maxsize=32)
def _compiled(patterns: tuple[str, ...]) -> list[re.Pattern]:
    return [re.compile(pattern, re.MULTILINE) for pattern in patterns]


def _filled(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(_filled(item) for item in value)
    return value is not None


@hookimpl
def lintnews_rules():
    return [editor_credit]

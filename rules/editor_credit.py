"""The editor-credit rule: reposted news must name its responsible editor."""
from __future__ import annotations

import re
from functools import lru_cache

from lintnews import Option, Violation, hookimpl, rule
from lintnews.blocks import BLANK_TO_END, fence_left_open
from lintnews.facts import EDITOR
from lintnews.lazy_re import compile_kept, lazy_compile
from lintnews.options import regexes, strings_by_key
from lintnews.rules.body_text import has_han
from lintnews.rules.front_matter import placeholder

# A credit starts a line or follows punctuation or a separator ("作者：金焱，编辑：苏琦");
# after a CJK character it is prose ("担任此书责任编辑的"), and without a colon or bar
# it is no credit at all ("责任编辑 饰演 立田君子" in a cast list).
_ROLE_PREFIXES = ("责任", "运营", "版面", "值班", "文字", "执行", "网络", "微信", "新媒体", "视觉", "美术", "图片", "视频",
                  "实习", "特约", "总")
_ROLE = r"(?:(?:" + "|".join(_ROLE_PREFIXES) + r")?编辑|责编|编审|校对|审校|主编)"
_LONGEST_PREFIX = max(map(len, _ROLE_PREFIXES))  # how far before its role word a label can start
_BAR = r"(?:[:：/／|｜丨]|\\\|)"
CHINESE = (r"(?<![^\s*_>【\[（(|｜丨,，;；。/\\])(?P<label>" + _ROLE + r")"
           r"[ \t\u3000]*" + _BAR + r"[ \t\u3000*_]*(?P<name>[^\n】\]）)，,。；|｜丨*]*)")
# "momo | 编辑": the name first, the role closing the line
CHINESE_NAME_FIRST = (r"^[ \t>*_]*(?P<name>[^\s|｜丨*][^\n|｜丨*]{0,19}?)[ \t]*(?:\\?\||｜|丨)[ \t]*"
                      r"(?P<label>" + _ROLE + r")[ \t*_]*\r?$")
# "责编 张三": a space as the separator, on a line holding only the role and one name (and a staff code)
CHINESE_SPACED = (r"^[ \t>*_\u3000【\[（(]*(?P<label>" + _ROLE + r")[ \t\u3000]+"
                  r"(?P<name>[^\s\d，。,.:：;；|｜丨*】\])）]{1,12}(?:[ \t]+[A-Z]{1,4}\d{2,5})?)[ \t\u3000*_】\])）]*\r?$")
ENGLISH = r"^[ \t>*_#\[(-]*(?P<label>Editors?[ \t]*:|Edited[ \t]+by[ \t]*:?)[ \t]*(?P<name>[^\n\])]*)"
# CHINESE first, the others anchored at the start of a line: _default_matches relies on both
DEFAULT_PATTERNS = (CHINESE, CHINESE_SPACED, CHINESE_NAME_FIRST, ENGLISH)
# every default pattern names the role with one of these words (case and all): a line holding
# none of them cannot hold a credit they match, however many "编" it has ("编制", "改编")
_ROLE_WORDS = ("编辑", "责编", "编审", "校对", "审校", "主编", "Edit")
_ROLE_WORD = lazy_compile("|".join(_ROLE_WORDS))  # one search of a line for all of them
# each role word by a character it holds ("编", "校" or "E"), with where that character is in it:
# a role word is found where one of these characters is (see _role_lines)
_ROLE_MARKS = {"编": (("编辑", 0), ("编审", 0), ("责编", 1), ("主编", 1)), "校": (("校对", 0), ("审校", 1)),
               "E": (("Edit", 0),)}
# the same by where the character is in them: (the words holding it second, those opening with it)
_MARK_WORDS = {mark: tuple(tuple(word for word, offset in words if offset == at) for at in (1, 0))
               for mark, words in _ROLE_MARKS.items()}
DEFAULT_KEYWORDS = ("编", "校对", "审校", "Edit")  # each role word holds one
_ENTITY = lazy_compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);")
_WORD = lazy_compile(r"\w")
_HAN = lazy_compile(r"[\u4e00-\u9fff]")
_TEXT = lazy_compile(r"[^\s\u3000]")
# an "Edited by NAME" inside another front-matter value: "author: Jane Doe (Edited by John Roe)"
_EMBEDDED = lazy_compile(r"(?:\bEdited[ \t]+by|\bEditors?[ \t]*:|(?:责任)?编辑[ \t]*[:：]|责编[ \t]*[:：])[ \t]*\w",
                       re.IGNORECASE)
# a line of a staff list that the story quotes (film or anime credits): its 编辑 is not ours
# (anchored on the line break before the line, a literal the regex engine skips ahead to, where
# "^" would be tried at every character: searched in the text with a line break put first)
_STAFF = lazy_compile(r"\n[ \t\u3000>*_\-]*(?:导演|编剧|主演|制片人?|监制|摄影|原作|原案|声优|配音|剪辑|作曲|作词|出品|"
                      r"动画制作|角色设计|人物设计|分镜|系列构成|美术监督|作画监督|总作画监督|音响监督|音乐|演出|"
                      r"Director|Screenplay|Producer|Cast|Starring)[ \t\u3000]*[:：/／|｜丨]")


@rule("editor-credit", severity="error",
      options={"patterns": Option(list(DEFAULT_PATTERNS), regexes(groups=("name",))),
               "keywords": list(DEFAULT_KEYWORDS),
               "front-matter-keys": ["editor", "editors", "reviewer", "publisher"],
               "author-keys": ["author", "authors"], "all-languages": False,
               "sources-without-credit": Option({}, strings_by_key)})
def editor_credit(doc, options):
    """The article must credit its responsible editor.

    Rules on reposted news require the name of the responsible editor, and an empty
    credit line is worse than none. A credit is a line such as ``责任编辑：王蒙``:
    a full- or half-width colon, a slash or a bar (``|``, ``丨``) after the role, a
    staff code after the name and brackets such as ``【责任编辑：…】`` are allowed;
    role prefixes too (``运营编辑丨小田``, ``编辑 / 秦旭东``), and the name-first form
    ``momo | 编辑``; a space alone separates them on a line holding only the role
    and one name (``责编 张三``). Proofreading and chief-editor roles count too
    (``校对：``, ``审校：``, ``主编：``). In English: ``Editor: NAME`` or ``Edited by
    NAME`` at the start of a line. Mentions of the word in running prose
    (``担任此书责任编辑的``), in a cast list (``责任编辑 饰演 …``) or in a staff list
    the story quotes (a ``编辑：`` line within three lines of ``导演：``, ``编剧：``,
    ``声优：``…) are not the article's credit. A non-empty front-matter key from
    ``front-matter-keys`` counts too (by default ``editor``, ``editors``,
    ``reviewer``, ``publisher``), and so does a credit written into an
    ``author-keys`` value (``author: Jane Doe (Edited by John Roe)``).

    A credit after a code fence that nothing closes, shown as code to the end of the
    article (``code-fence-unclosed`` reports the fence), is the article's credit still.

    An article with no text in its body is not asked for a credit, and neither,
    unless ``all-languages`` is true, is one with no Chinese text: the rules that
    ask for the credit govern Chinese news, and an English blog has no such
    convention.

    ``sources-without-credit`` maps a front-matter key to values naming sources
    that print no credit (``{author: [199IT, IT 之家]}``): an article whose key
    holds one of them, as its value or in its list, is not reported for a missing
    credit (an empty one still is). ``lintnews init`` fills it in a repository
    whose articles mostly credit an editor, with the sources none of whose
    articles do.

    ``patterns`` are regular expressions (multi-line) with a ``label`` and a
    ``name`` group, matched against each line of the text as a reader sees it that
    holds one of the ``keywords`` (every line, when ``keywords`` is empty). A
    missing credit is reported at 1:1, an empty one at its label (and then not as
    missing too), and so is one left as its template wrote it: a role and ``ID``
    (``校对：[校对者ID](https://github.com/校对者ID)``, a translation project's
    credit footer) or a template's placeholder (``责任编辑：请填写``), in a Chinese
    article (a source waiting for its translation under the same footer is not one).
    The verb 编辑 ("edit") of an instruction names nobody and is no credit: with code before its colon (``编辑 `.bashrc`：``), or bare after a
    clause, its colon ending the line, over a code sample (``设置这些策略，编辑：``).

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
    prose = doc.prose
    if _TEXT.search(prose, doc.body_offset) is None:
        return  # nothing to credit: an article made of images or embeds, or an empty one
    credited = empty = False  # by a line of the body (the front matter is read only when none credits)
    patterns, role_words = _compiled(tuple(options["patterns"]))
    markdown = doc.markdown
    # keywords are looked for in the markdown view (cheap); only those lines are read as prose
    for line_start, line_end, role in _credit_lines(markdown, doc.body_offset, options["keywords"], role_words):
        line = doc.prose_between(line_start, line_end)
        if role is not None and "\n" not in line:
            matches = _default_matches(patterns, line, role - line_start)
        else:
            matches = [m for pattern in patterns for m in pattern.finditer(line)]
        if matches and _in_staff_list(doc, line_start, line_end):
            continue
        for match in matches:
            name = _ENTITY.sub(" ", match.groupdict().get("name") or "")
            if _WORD.search(name):
                if not _credit_placeholder(name):
                    credited = True
                    doc.cache.setdefault(EDITOR, name.strip())  # the report groups articles by editor
                    continue
                empty = True  # the template's credit line, its name never filled in
                if _chinese(doc):  # (not a source waiting for its translation under the template's credits)
                    start = match.start("label") if "label" in match.re.groupindex else match.start()
                    written = (line[match.start():match.start("name")] + _stand_in(name)).strip() \
                        if "name" in match.re.groupindex else match.group().strip()
                    yield doc.violation(line_start + start, f"editor credit left as the template's placeholder: "
                                                            f"{written!r} names nobody")
            elif not _the_verb(doc, line_start, match):
                empty = True
                start = match.start("label") if "label" in match.re.groupindex else match.start()
                yield doc.violation(line_start + start,
                                    f"empty editor credit: {match.group().strip()!r} names nobody")
    if credited or empty:
        return
    # Chinese text is looked for only now, when no credit was found: an English body is read to its end
    # (has_han first: the typography rules ask it of every article, so an English body is not read again)
    if not options["all-languages"] and not (has_han(doc) and _HAN.search(prose, doc.body_offset) is not None):
        return
    if _credited_in_front_matter(doc.meta, options["front-matter-keys"], options["author-keys"]) \
            or _silent_source(doc.meta, options["sources-without-credit"]):
        return
    if _credit_swallowed(doc, patterns):
        return  # the credit is there, in the code a fence left open makes of the article's end
    yield Violation(1, 1, "no editor credit (such as '责任编辑：NAME' or 'Editor: NAME')")


def _credit_swallowed(doc, patterns: list[re.Pattern]) -> bool:
    """Whether a fence that nothing closes swallows a credit naming someone (a translation's
    footer after a fence lost in conversion): code-fence-unclosed reports the fence, and the
    credit is the writer's, shown as code. Asked only of articles no credit was found in."""
    text = doc.text
    if "```" not in text and "~~~" not in text:
        return False
    code = doc.scan.code
    if not code or not BLANK_TO_END.match(text, code[-1][1]):
        return False  # the last code ends before the article does: no fence runs to the end
    found = fence_left_open(text, doc.body_offset, len(text))
    if found is None:
        return False
    block = found[0]
    for pattern in patterns:
        for match in pattern.finditer(text, block.start, block.end):
            name = _ENTITY.sub(" ", match.groupdict().get("name") or "")
            if _WORD.search(name) and not _credit_placeholder(name):
                return True
    return False


# a credit template's stand-in for a name: a role and "ID" ("校对：[校对者ID](https://github.com/校对者ID)"
# in a translation project's credits), or a template's placeholder value ("请填写", "TODO")
_ROLE_ID = lazy_compile(r"(?:译者|校对者?|选题者?|审校者?|编辑|责编|作者)[ \t]*ID", re.IGNORECASE)


def _stand_in(name: str) -> str:
    """A credit's name as the pattern took it, without the bracket of a Markdown link ("[校对者ID")."""
    return name.strip().lstrip("[【（(").strip()


def _credit_placeholder(name: str) -> bool:
    """Whether a credit's name stands in for one."""
    name = _stand_in(name)
    return _ROLE_ID.fullmatch(name) is not None or placeholder(name)


def _chinese(doc) -> bool:
    """Whether the article is written in Chinese, as the survey tells (a source text under a
    Chinese credit footer is not): told once per article, however many credits ask."""
    told = doc.cache.get("editor-credit-chinese")
    if told is None:
        from lintnews.survey.facts import language  # (only for the few articles with a placeholder credit)

        told = doc.cache["editor-credit-chinese"] = language(doc.prose[doc.body_offset:]) == "zh"
    return told


def _default_matches(patterns: list[re.Pattern], line: str, role_at: int) -> list[re.Match]:
    """``[m for pattern in patterns for m in pattern.finditer(line)]`` for the compiled
    ``DEFAULT_PATTERNS`` and a ``line`` holding no line break whose first role word is at
    ``role_at`` or after it. CHINESE matches at its label, which starts at most
    ``_LONGEST_PREFIX`` characters before the role word in it ("新媒体编辑"): it is searched from
    there (its look-behind still sees the characters before), not tried at every character of a
    long paragraph. The others are anchored at the start of a line, the line's only one."""
    chinese, *anchored = patterns
    found = list(chinese.finditer(line, max(0, role_at - _LONGEST_PREFIX)))
    for pattern in anchored:
        if (match := pattern.match(line)) is not None:
            found.append(match)
    return found


def _credit_lines(text: str, start: int, keywords: list[str],
                  role_words: bool) -> list[tuple[int, int, int | None]]:
    """(start, end, role) of each line of ``text`` from ``start`` on that may hold a credit, in
    order: a line holding one of ``keywords`` and, when ``role_words`` (the default patterns,
    which need one), a role word, whose first is at ``role`` (None when not looked for). With
    the default keywords, which every role word holds, the lines holding a role word are those:
    they are found at once (``_role_lines``), and the many lines holding "编" in another word
    ("编程", "改编") are not searched for a role word."""
    if not role_words:
        return [(line_start, line_end, None) for line_start, line_end in _lines_with(text, start, keywords)]
    if tuple(keywords) == DEFAULT_KEYWORDS:
        return sorted((line_start, line_end, role) for (line_start, line_end), role in _role_lines(text, start).items())
    found = []
    for line_start, line_end in _lines_with(text, start, keywords):
        role = _ROLE_WORD.search(text, line_start, line_end)
        if role is not None:  # what the prose shows is in the markdown too: no role word there, none in the prose
            found.append((line_start, line_end, role.start()))
    return found


def _role_lines(text: str, start: int) -> dict[tuple[int, int], int]:
    """(start, end) of each line of ``text`` from ``start`` on holding a role word, with where
    its first role word starts: the lines and offsets ``_ROLE_WORD.search`` finds, line by line.
    Each character of ``_ROLE_MARKS`` is found by ``str.find`` (several times faster on CJK text
    than a regex or a search for two characters), and the role words holding it are tested
    there; the first role word of a line is the earliest found for any of the characters.
    Where a character is, the words holding it one character in start there, before those
    that open with it (``_MARK_WORDS``): the first of them found there is the earliest, told
    by at most two ``str.startswith`` (an English text holds a hundred "E" for each "Edit")."""
    first: dict[tuple[int, int], int] = {}
    find, startswith = text.find, text.startswith
    for mark, (after_one, opening) in _MARK_WORDS.items():
        found = find(mark, start)
        while found >= 0:
            if after_one and found > start and startswith(after_one, found - 1):
                role = found - 1
            elif startswith(opening, found):
                role = found
            else:
                found = find(mark, found + 1)
                continue
            line_end = find("\n", found)
            line_end = len(text) if line_end < 0 else line_end
            line = (max(start, text.rfind("\n", 0, found) + 1), line_end)
            if line not in first or role < first[line]:
                first[line] = role
            found = find(mark, line_end)  # a later role word of the line starts later
    return first


def _lines_with(text: str, start: int, keywords: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each line from ``start`` on holding a keyword; found by ``str.find``,
    so the patterns only run where a credit can be."""
    if not keywords or "" in keywords:  # every line holds the empty keyword (and searching for it never ends)
        return [(start, len(text))]
    lines = set()
    for keyword in keywords:
        # each place of the keyword's first character is found, and the keyword tested there:
        # str.find reads text for one character several times faster than for two or more
        # (whose search cannot skip ahead far in CJK text)
        first = keyword[0]
        found = text.find(first, start)
        while found >= 0:
            if not text.startswith(keyword, found):
                found = text.find(first, found + 1)
                continue
            line_end = text.find("\n", found)
            line_end = len(text) if line_end < 0 else line_end
            lines.add((max(start, text.rfind("\n", 0, found) + 1), line_end))
            found = text.find(first, line_end)
    return sorted(lines)


@lru_cache(maxsize=32)
def _compiled(patterns: tuple[str, ...]) -> tuple[list[re.Pattern], bool]:
    """The patterns compiled, and whether they are the default ones: only those are known to
    need a role word (custom ones are all tried)."""
    return [compile_kept(pattern, re.MULTILINE) for pattern in patterns], patterns == DEFAULT_PATTERNS


def _in_staff_list(doc, line_start: int, line_end: int, around: int = 3) -> bool:
    """Whether the line at ``line_start`` sits among the lines of a quoted staff list: one of the
    ``around`` lines before or after it names a film or anime role, as a reader sees it."""
    text = doc.markdown
    start = line_start
    for _ in range(around):
        start = text.rfind("\n", 0, max(start - 1, 0)) + 1 if start > 0 else 0
    end = line_end
    for _ in range(around):
        found = text.find("\n", end + 1)
        end = len(text) if found < 0 else found
    return _STAFF.search("\n" + doc.prose_between(start, end)) is not None


def _credited_in_front_matter(meta: dict, keys: list[str], author_keys: list[str]) -> bool:
    """Whether a front-matter key of ``keys`` is filled, or one of ``author_keys`` holds an editor
    credit (most articles have none of these keys: one test in C rather than one per key)."""
    if meta.keys().isdisjoint(keys) and meta.keys().isdisjoint(author_keys):
        return False
    return any(_filled(meta.get(key)) for key in keys) or any(_edited(meta.get(key)) for key in author_keys)


def _silent_source(meta: dict, sources: dict[str, list[str]]) -> bool:
    """Whether the article comes from a source that prints no credit: a front-matter
    key holds one of the values ``sources`` lists for it."""
    for key, names in sources.items():
        value = meta.get(key)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(item, str) and item.strip() in names for item in values):
            return True
    return False


def _edited(value) -> bool:
    """Whether a front-matter value (a string, or a list of them) holds an editor credit."""
    if isinstance(value, str):
        return _EMBEDDED.search(value) is not None
    if isinstance(value, list):
        return any(_edited(item) for item in value)
    return False


def _filled(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(_filled(item) for item in value)
    return value is not None


# what ends the clause before a bare 编辑 that is the verb: "设置这些策略，编辑："
_CLAUSE_ENDS = ("，", "。", ",", "；")
_BLANK_LINES = lazy_compile(r"[ \t\r\u3000]*(?:\n[ \t\r\u3000]*)*")
_CODE_LINE = lazy_compile(r" {4}| {0,3}\t| {0,3}(?:```|~~~)")  # a line of an indented or fenced code block


def _the_verb(doc, line_start: int, match: re.Match) -> bool:
    """Whether a label naming nobody is the verb 编辑 ("edit") of an instruction, not a credit:
    code between it and its colon (``编辑 `.bashrc`：``), or a bare 编辑 that opens a clause, ends
    its line with the colon and introduces a code sample on the next line that holds anything
    (``设置这些策略，编辑：`` over an indented or fenced block). A credit row (``作者：X，编辑：``)
    has no code after it."""
    groups = match.re.groupindex
    if "label" not in groups or "name" not in groups:
        return False
    if doc.code_within(line_start + match.end("label"), line_start + match.start("name")):
        return True
    name_start = line_start + match.start("name")
    if match.group("label") != "编辑":
        return False
    prose = doc.prose
    before = prose[max(line_start, line_start + match.start("label") - 8):line_start + match.start("label")]
    line_end = prose.find("\n", name_start)
    if not before.rstrip().endswith(_CLAUSE_ENDS) or line_end < 0 or prose[name_start:line_end].strip():
        return False
    text = doc.text
    first = _BLANK_LINES.match(text, line_end).end()  # the first character of the next line holding any
    if first >= len(text):
        return False
    return _CODE_LINE.match(text, text.rfind("\n", line_end, first) + 1) is not None


@hookimpl
def lintnews_rules():
    return [editor_credit]

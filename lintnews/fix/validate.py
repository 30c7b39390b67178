"""After fixing: the text must parse as well as before, or the file is left as it was.

Checked: front matter that parsed still parses, as a mapping with the same keys (less those
a fix removed on purpose), none appears where there was none; no tag is left unclosed that
was closed before, and no comment either; no text becomes code (markup removed before a run
of backticks must not open a fence that swallows the rest of the article), though code may go.
"""
from __future__ import annotations

import re
from collections import Counter

import yaml

from ..blocks import code_blocks
from ..document import Document
from ..lazy_re import lazy_compile
from .edits import Pass, spans_to_original

VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                       "source", "track", "wbr", "basefont", "frame", "keygen", "isindex"})


def problem(before: Document, after: Document, removed: set[str], passes: list[Pass]) -> str | None:
    """Why ``after`` (``before`` after ``passes``) does not parse as well as ``before``, or None
    when it does."""
    return _front_matter(before, after, removed) or _markup(before, after) or _code(before, after, passes)


def _parses(doc: Document) -> bool:
    fm = doc.front_matter
    return fm is not None and fm.closed and fm.error is None


def _front_matter(before: Document, after: Document, removed: set[str]) -> str | None:
    if before.front_matter is None:
        if after.front_matter is not None:
            return "the first lines would become front matter"
        return None
    if not _parses(before):
        if after.front_matter is None:
            return "the front matter would be gone"
        return None
    if not _parses(after):
        return "the front matter would no longer parse"
    expected = set(map(str, before.meta)) - removed
    found = set(map(str, after.meta))
    if found != expected:
        lost, added = sorted(expected - found), sorted(found - expected)
        return "the front matter would " + " and ".join(
            part for part in (f"lose {', '.join(map(repr, lost))}" if lost else "",
                              f"gain {', '.join(map(repr, added))}" if added else "") if part)
    return None


def _unclosed(doc: Document) -> Counter:
    """How many start tags of each name have no end tag, and unclosed comments (as ``<!--``)."""
    balance: Counter = Counter()
    text = doc.text
    for tag in doc.scan.tags:
        if tag.name in VOID_TAGS:
            continue
        if tag.closing:
            if balance[tag.name] > 0:
                balance[tag.name] -= 1
        elif text[tag.end - 2] != "/":
            balance[tag.name] += 1
    balance["<!--"] = sum(1 for comment in doc.scan.comments if not comment.closed)
    return balance


def _markup(before: Document, after: Document) -> str | None:
    was, now = _unclosed(before), _unclosed(after)
    worse = sorted(name for name, count in now.items() if count > was.get(name, 0))
    if not worse:
        return None
    shown = ", ".join("a comment" if name == "<!--" else f"<{name}>" for name in worse)
    return f"it would leave {shown} unclosed"


def _code(before: Document, after: Document, passes: list[Pass]) -> str | None:
    """Whether ``after`` shows as code only text that ``before`` did: the first character of each
    line of its code blocks that holds more than white space, mapped back to the text as read,
    lies in one of ``before``'s. A fix may take code away (a promotion's block that rendered as
    code), and a blank line may join two blocks, but no text may become code: markup removed
    before a run of backticks leaves a fence that swallows the rest of the article."""
    text = after.text
    firsts = [(line.start(1), line.end(1)) for start, end in _code_spans(after)
              for line in _LINE_TEXT.finditer(text, start, end)]
    was = _code_spans(before)
    index = 0
    for start, end in spans_to_original(passes, firsts):
        while index < len(was) and was[index][1] < end:  # blocks ending before it cannot hold it
            index += 1
        if index == len(was) or was[index][0] > start:
            return f"it would turn text into code from line {before.position(start)[0]}"
    return None


_LINE_TEXT = lazy_compile(r"^[ \t]*+(\S)", re.MULTILINE)  # the first character of a line that is not white space


def _code_spans(doc: Document) -> list[tuple[int, int]]:
    return [(block.start, block.end) for block in code_blocks(doc.text, doc.body_offset, len(doc.text))]


def top_level_keys(doc: Document) -> list[tuple[str, int]]:
    """(key, offset of the key) of each top-level key of YAML front matter."""
    fm = doc.front_matter
    if fm is None or fm.format is not None or not isinstance(fm.node, yaml.MappingNode):
        return []
    return [(key.value, doc.mark_offset(key.start_mark)) for key, _ in fm.node.value
            if isinstance(key, yaml.ScalarNode)]

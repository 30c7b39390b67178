"""Moderation rules: terms from the user's own lexicons (``banned-terms``)."""
from __future__ import annotations

import json
from pathlib import Path

from lintnews import hookimpl, rule
from lintnews.rule import OptionError


# The documentation's example, in force only while no lexicon and no terms are configured:
# lintnews ships no lexicon of its own.
EXAMPLE_TERMS = {"example": {"message": "an example term: give the rule your own 'lexicons' or 'terms'",
                             "terms": ["禁用词示例", "banned-example"]}}
FRONT_MATTER_KEYS = ["title", "subtitle", "description", "summary", "tags"]


@rule("banned-terms", severity="error", enabled=False,
      options={"lexicons": [], "terms": EXAMPLE_TERMS, "allow": [], "traditional": False,
               "evasions": True, "front-matter-keys": FRONT_MATTER_KEYS})
class BannedTerms:
    """Terms from your own lexicons: banned words, in categories, each with its severity.

    Opt-in: lintnews ships no lexicon, so the rule is off until configured. Giving it a
    lexicon turns it on::

        rules:
          banned-terms:
            lexicons: [moderation/terms.yaml, moderation/brands.txt]  # from the config's folder
            allow: [大麻烦]
            traditional: true

    A YAML lexicon holds ``categories`` (each a list of terms, or a mapping with ``terms``,
    an optional ``severity`` and an optional ``message``) and an optional ``allow`` list::

        categories:
          gambling: {severity: error, message: gambling promotion is not allowed, terms: [博彩, casino]}
          drugs: [大麻, cocaine]
        allow: [大麻烦]

    Any other file is plain text: one term per line, ``#`` comments, ``!term`` to allow a
    term; its category is the file's name without the extension. ``terms`` takes
    categories inline, in the same shape. A category without a severity takes the
    rule's (``error``); a severity you configure for the rule (under ``rules:`` or in
    ``overrides``) applies to every category. A term in several categories is reported
    once, under its most severe one. A missing, unreadable or malformed lexicon is a
    configuration error naming the file and key.

    Terms are matched in the text as a reader sees it (code, comments, tags, attributes
    and URLs skipped; inline tags such as ``大<b>麻</b>`` do not split a word; a line
    wrapped inside Chinese text joins), in the front-matter ``front-matter-keys``
    (``title``, ``subtitle``, ``description``, ``summary``, ``tags``), after Unicode
    folding (NFKC and case folding: ``ＣＡＳＩＮＯ`` is ``casino``) and, with
    ``traditional: true`` (needs the ``opencc`` package), traditional → simplified
    Chinese (``賭場`` is ``赌场``). Terms in scripts that space their words match whole
    words only (``ass`` is not in ``class``); Chinese, Japanese and Korean terms match
    anywhere. An allowed term that covers a banned one shadows it (``大麻烦`` is not
    ``大麻``); a banned term inside a longer banned one is reported once, as the longer.

    Evasions are found and named in the message (``evasions: false`` turns this off):
    separators, spaces or invisible characters between the letters (``博-彩``,
    ``大 . 麻``, ``d.r.u.g``), a letter repeated three times or more (``caaasino``),
    full-width or look-alike letters, and HTML character references (``&#22823;麻``).
    Prose punctuation (``，``, ``、``, ``. `` followed by a space) never hides a term, and a
    Latin word is spelled out letter by letter or not at all (``he'll`` is not ``hell``).

    Until ``lexicons`` or ``terms`` are given, ``terms`` holds one example category, as
    below.

    Fails:

        <p>这段文字含有禁用词示例，也写作禁-用-词-示-例。</p>

    Passes:

        <p>这段文字不含禁用词。</p>
    """

    per_file = True  # the instance holds only the compiled lexicon: any process may check any file

    def __init__(self, options: dict, root: Path) -> None:
        # imported here: the matcher costs start-up time, and the rule is off unless configured
        from .lexicon import Fold, allow_list, categories, read_lexicon
        from .lexicon_match import Matcher

        terms = options["terms"]
        if terms == EXAMPLE_TERMS and options["lexicons"]:
            terms = {}
        banned = categories(terms, "option 'terms'")
        allow = allow_list(options["allow"], "option 'allow'")
        for name in options["lexicons"]:
            lexicon = read_lexicon(Path(root) / name, name)
            banned += lexicon.banned
            allow += lexicon.allow
        if not isinstance(options["front-matter-keys"], list):
            raise OptionError("option 'front-matter-keys' must be a list of keys")
        self.keys = options["front-matter-keys"]
        self.matcher = Matcher(banned, allow, Fold(options["traditional"]), options["evasions"])

    def check(self, doc):
        for hit in self.matcher.find(doc, self._sources(doc)):
            category = hit.entry.category
            message = f"banned term {_quoted(hit.entry.term)} ({category.name})"
            if hit.kinds:
                shown = doc.text[hit.start:hit.end]
                shown = shown if len(shown) <= 40 else shown[:39] + "…"
                message += f", written {_quoted(shown)} with {' and '.join(hit.kinds)}"
            if category.message:
                message += f": {category.message}"
            yield doc.violation(hit.start, message, hit.end, category.severity)

    def _sources(self, doc) -> list[tuple[int, int]]:
        """Where the front-matter values a reader sees are written (the matcher adds the body)."""
        sources = []
        for key in self.keys:
            value = doc.meta.get(key)
            values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
            for index, item in enumerate(values):
                if not isinstance(item, str) or not item.strip():
                    continue
                offset = doc.meta_offset(key) if isinstance(value, str) else doc.meta_offset(key, index)
                if offset is None:
                    continue
                line_end = doc.text.find("\n", offset)
                found = doc.text.find(item.strip(), offset, line_end if line_end >= 0 else len(doc.text))
                if found >= 0:  # a value written on its line as it reads
                    sources.append((found, found + len(item.strip())))
                else:  # folded, escaped or quoted with doubled quotes: where it is written, as written
                    span = doc.meta_span(key) if isinstance(value, str) else doc.meta_span(key, index)
                    if span is not None:
                        sources.append(span)
        return sources


def _quoted(text: str) -> str:
    """``text`` in double quotes, on one line."""
    return json.dumps(text, ensure_ascii=False)


@hookimpl
def lintnews_rules():
    return [BannedTerms]

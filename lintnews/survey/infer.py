"""From the facts to settings: each inferred setting with a comment saying what it saw."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .facts import SOURCE_KEYS, Article, Facts
from .site import Site

STANDARD_KEYS = (("title",), ("date", "pubDate", "publishDate"), ("author", "authors"))
CREDIT_SHARE = 1 / 3  # editor-credit is off where fewer articles than this carry a credit
ALT_SHARE = 1 / 3  # image-alt is off where fewer images than this carry alt text
FILLER_SHARE = 1 / 2  # filler alt text passes where at least this share of the alt texts is filler
STYLED_EACH = 3  # inline-style (markdown-in-html) reports per article where styled articles hold this many
# elements (blocks) on average
MISSING_EACH = 3  # image-alt reports per article where articles with an <img> lacking alt hold this many
LABEL_ARTICLES = 3  # alt text written word for word in this many articles is a label, not a description
SOURCE_ARTICLES = 2  # a source is judged on this many articles at least
CHINESE_SHARE = 0.1  # CJK punctuation rules are off where fewer articles than this are Chinese
KEEP = object()  # the rule stays on as it is
# rules about Chinese punctuation; repeated-punctuation also catches "!!!" in English and stays
CJK_PUNCTUATION = ("halfwidth-punctuation", "unbalanced-pairs")
# a tool's directive: a word, maybe a closing slash and arguments (TOC depthFrom:2, tocstop);
# a CMS's comments hold CJK text, commas or markup and are never allowed this way
_DIRECTIVE = re.compile(r"/?[A-Za-z][\w-]*(?:[ \t]+[\w:=./-]+)*")


@dataclass(frozen=True)
class Inference:
    """A rule setting (``False``, a severity, or a mapping of options) and why."""

    rule: str
    setting: object
    comment: str


def keep(rule_id: str, rules: dict, comment: str) -> Inference:
    """The rule on at its own severity: what the survey found it fits (a preset may say otherwise)."""
    return Inference(rule_id, {"enabled": True, "severity": str(rules[rule_id].severity)}, comment)


@dataclass(frozen=True)
class Plan:
    """Everything ``init`` writes: notes for the header, excluded folders, rule settings,
    and remarks about what the survey left alone."""

    notes: tuple[str, ...]
    exclude: tuple[str, ...]
    exclude_comment: str
    settings: tuple[Inference, ...]
    kept: tuple[str, ...]


def plan(facts: Facts, site: Site | None, rules: dict, threshold: float, documents: tuple[str, ...] = (),
         unread: tuple[str, ...] = ()) -> Plan:
    """The settings that fit the surveyed repository (``documents``: its README and the like;
    ``unread``: what site detection could not read, noted in the header).

    ``facts`` holds at least one article: ``init`` stops before planning when there is none."""
    settings: list[Inference] = []
    kept: list[str] = []
    notes = [_site_note(site), *unread, _front_matter_note(facts), _language_note(facts),
             f"{facts.unreadable} file(s) could not be read as UTF-8 text and were not surveyed"
             if facts.unreadable else ""]
    if site is not None and site.roots and "image-broken" in rules:
        where = ", ".join(f"{root}/" for root in site.roots)
        settings.append(Inference("image-broken", {"roots": list(site.roots)},
                                  f"{site.name} serves {where} at the site root: /img/x.png is looked for there"))
        for rule_id in ("image-folder-missing", "image-root-unknown"):
            if rule_id in rules:
                settings.append(Inference(rule_id, {"roots": list(site.roots)},
                                          "the site root above: root-relative image paths are checked there"))
    if site is not None and site.markdown_in_html and "markdown-in-html" in rules:
        settings.append(Inference("markdown-in-html", False, f"{site.name}'s kramdown reads Markdown inside HTML "
                                  f"blocks ({site.evidence}: kramdown: parse_block_html: true)"))
    for inference in (_required(facts, site, threshold), _editor_credit(facts, rules), _image_alt(facts, rules),
                      _date_form(facts), _inline_style(facts, rules),
                      None if site is not None and site.markdown_in_html else _markdown_in_html(facts, rules),
                      *_cjk(facts), _leftover(facts, rules)):
        if inference is None:
            continue
        if isinstance(inference, str):
            kept.append(inference)
        elif inference.rule in rules:
            settings.append(keep(inference.rule, rules, inference.comment) if inference.setting is KEEP
                            else inference)
    exclude, exclude_comment = exclusions(site, documents)
    return Plan(tuple(note for note in notes if note), exclude, exclude_comment, tuple(settings), tuple(kept))


def exclusions(site: Site | None, documents: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """The globs of what is not an article (the generator's own folders, its pages beside its posts,
    the README and the like), and why."""
    folders = site.not_articles if site else ()
    pages = site.pages if site else ()
    exclude = (*(f"{folder}/**" for folder in folders), *pages, *(f"/{name}" for name in documents))
    why = [part for part in (f"{site.name}'s own folders" if folders else "",
                             (f"its pages (outside {site.posts})" if folders else
                              f"{site.name}'s pages (outside {site.posts})") if pages else "",
                             "the repository's own documents" if documents else "") if part]
    listed = ", ".join(why[:-1]) + " and " + why[-1] if len(why) > 1 else "".join(why)
    return exclude, listed + ", not articles" if exclude else ""


def _of(count: int, total: int, what: str) -> str:
    return f"{count} of {total} {what}"


def _site_note(site: Site | None) -> str:
    if site is None:
        return "site generator: none recognised (no Hexo, Hugo, Jekyll, Eleventy, Astro or Docusaurus files or folders)"
    return f"site generator: {site.name} ({site.evidence})"


def _front_matter_note(facts: Facts) -> str:
    shown = ", ".join(f"{kind} in {count}" for kind, count in facts.ranked("front_matter"))
    return f"front matter: {shown} of {facts.total} articles"


def _language_note(facts: Facts) -> str:
    names = {"zh": "Chinese", "ja": "Japanese", "other": "Latin script or other", "none": "no text"}
    shown = ", ".join(f"{names[lang]} {count}" for lang, count in facts.ranked("language"))
    return f"languages of the articles: {shown}"


def _required(facts: Facts, site: Site | None, threshold: float) -> Inference:
    total = facts.total
    with_front_matter = facts.count(lambda a: a.front_matter not in ("none", "broken"))
    if with_front_matter < threshold * total:
        return Inference("front-matter-required", False,
                         f"{_of(with_front_matter, total, 'articles')} have front matter that lintnews reads")
    dated = facts.count(lambda a: a.dated_name)
    date_keys = STANDARD_KEYS[1]
    with_date = facts.count(lambda a: bool(a.filled & set(date_keys)))
    generator_dates = site is not None and site.dates_from_filenames
    filename_date = dated >= threshold * total and (generator_dates or with_date < threshold * total)
    entries, seen = [], []
    for names in STANDARD_KEYS:
        keyed = facts.count(lambda a, n=names: bool(a.filled & set(n)))
        count = keyed if not (filename_date and "date" in names) else \
            facts.count(lambda a, n=names: bool(a.filled & set(n)) or a.dated_name)
        present = [name for name in names if facts.count(lambda a, k=name: k in a.filled)]
        by_name = f" ({keyed} as a key, {count - keyed} by file name)" if count > keyed else ""
        seen.append(f"{'|'.join(present or names[:1])} {count}{by_name}")
        if count >= threshold * total:
            entries.append("|".join(present or names[:1]))
    standard = {name for names in STANDARD_KEYS for name in names}
    for key, count in facts.ranked("filled"):
        if key not in standard and count >= threshold * total and key != "lintnews":
            entries.append(key)
            seen.append(f"{key} {count}")
    if not entries:
        return Inference("front-matter-required", False, f"no key is filled in {threshold:.0%} of "
                                                         f"{total} articles (seen: {', '.join(seen)})")
    setting: dict = {"required": entries}
    why = (f"keys present and non-empty in at least {threshold:.0%} of {total} articles "
           f"(seen: {', '.join(seen)})")
    if filename_date:
        setting["filename-date"] = True
        source = (f"{site.name} dates posts by file name" if generator_dates
                  else f"{_of(total - with_date, total, 'articles')} have no date key")
        why += f"; {_of(dated, total, 'file names')} start with a date ({source})"
    return Inference("front-matter-required", setting, why)


def _editor_credit(facts: Facts, rules: dict) -> Inference:
    total = facts.total
    credited = facts.count(_credits)
    seen = _of(credited, total, "articles credit an editor")
    if credited < CREDIT_SHARE * total:
        return Inference("editor-credit", False, seen)
    keys = facts.ranked("credit_keys")
    parts = [f"{facts.credit_labels[i]} {n}" for i, n in sorted(facts.tally("credit_forms").items())]
    parts += [f"front-matter key {key!r} {n}" for key, n in keys]
    why = f"{seen} ({', '.join(parts)})"
    setting: dict = {}
    extra = [key for key, _ in keys if key != "editor"]
    if extra:
        setting["front-matter-keys"] = ["editor", *extra]
    rule = rules.get("editor-credit")
    silent = _silent_sources(facts) if rule is not None and "sources-without-credit" in rule.options else None
    if silent is not None:
        key, groups = silent
        setting["sources-without-credit"] = {key: [value for value, _, n in groups if n == 0]}
        shown = ", ".join(f"{value} {n} of {count}" for value, count, n in groups)
        why += f"; by {key!r}: {shown}: the sources that credit nobody are not asked for a credit"
    return Inference("editor-credit", setting or KEEP, why)


def _credits(article: Article) -> bool:
    return bool(article.credit_forms or article.credit_keys)


def _silent_sources(facts: Facts) -> tuple[str, list[tuple[str, int, int]]] | None:
    """The front-matter key that tells the sources apart, with (value, articles, credited) for
    each source of SOURCE_ARTICLES articles or more: the key under which the most uncredited
    articles come from sources none of whose articles credit an editor, while some source
    credits one in most of its articles (a scraper writing the site's name as ``author``)."""
    best: tuple[int, str, list] | None = None
    for key in SOURCE_KEYS:
        groups = []
        for (found_key, value), count in facts.ranked("sources"):
            if found_key == key and count >= SOURCE_ARTICLES:
                groups.append((value, count, facts.count(lambda a, v=(key, value): v in a.sources and _credits(a))))
        silent = {value for value, _, n in groups if n == 0}
        crediting = any(n * 2 > count for _, count, n in groups)
        spared = facts.count(lambda a, k=key: not _credits(a) and any((k, v) in a.sources for v in silent))
        if silent and crediting and (best is None or spared > best[0]):
            best = (spared, key, groups)
    return None if best is None else (best[1], best[2])


def _image_alt(facts: Facts, rules: dict) -> Inference | str | None:
    images = sum(a.images for a in facts.articles)
    with_alt = sum(a.images_with_alt for a in facts.articles)
    if images < 10:
        return None
    seen = _of(with_alt, images, "images carry alt text")
    if with_alt < ALT_SHARE * images:
        return Inference("image-alt", False, f"{seen}: the repository does not write it")
    fillers = _alt_fillers(facts)
    filler = sum(fillers.values())
    examples = ", ".join(repr(text) for text, _ in sorted(fillers.items(), key=lambda item: (-item[1], item[0]))[:3])
    kinds = f"a file name, a number, a word such as 'image' or a label repeated in {LABEL_ARTICLES} articles or more"
    rule = rules.get("image-alt")
    options = rule.options if rule is not None else {}
    setting: dict = {}
    if filler >= FILLER_SHARE * with_alt and "allow-filler" in options:
        setting["allow-filler"] = True
        why = (f"{seen}; {_of(filler, with_alt, 'alt texts')} are {kinds} ({examples}): the "
               "repository's habit, not reported; an <img> with no alt attribute still is")
    else:
        why = f"{seen}, {filler} of them {kinds}"
    missing = sum(a.images_without_alt for a in facts.articles)
    lacking = facts.count(lambda a: a.images_without_alt > 0)
    if "per-article" in options and missing >= MISSING_EACH * lacking > 0:
        setting["per-article"] = True
        why += (f"; {missing} <img> tags without alt in {_of(lacking, facts.total, 'articles')}, "
                f"{missing / lacking:.1f} each on average: one finding per article, with the count")
    return Inference("image-alt", setting or KEEP, why)


def _alt_fillers(facts: Facts) -> Counter:
    """How many images carry each alt text that describes nothing: a file name or filler word,
    or a text written word for word in LABEL_ARTICLES articles or more (a template's
    'Header Picture', a series' banner), where a description would differ from image to image."""
    fillers = Counter(text for article in facts.articles for text in article.alt_fillers)
    articles = Counter(text for article in facts.articles for text in set(article.alt_texts) - set(article.alt_fillers))
    labels = {text for text, count in articles.items() if count >= LABEL_ARTICLES}
    fillers.update(text for article in facts.articles for text in article.alt_texts if text in labels)
    return fillers


def _inline_style(facts: Facts, rules: dict) -> Inference | str | None:
    """Styling that sits in few articles, many elements each (a styled table, an imported post),
    is one decision per article: one finding per article and kind, with the count."""
    return _per_article(facts, rules, "inline-style", lambda a: a.styled, ("styled element", "styled elements"),
                        "reported one by one",
                        "one finding per article and kind (style attributes, presentational tags, presentational "
                        "attributes), with the count; --fix fixes each at once")


def _markdown_in_html(facts: Facts, rules: dict) -> Inference | str | None:
    """Markdown left in many HTML blocks of the same articles (an old layout of table cells, each
    with an icon) is one decision per article: one finding per article, with the counts."""
    return _per_article(facts, rules, "markdown-in-html", lambda a: a.markdown_blocks,
                        ("HTML block holding Markdown", "HTML blocks holding Markdown"), "reported block by block",
                        "one finding per article, with the counts; --fix --unsafe-fixes fixes each at once")


def _per_article(facts: Facts, rules: dict, rule_id: str, found, what: tuple[str, str], apart: str,
                 gathered: str) -> Inference | str | None:
    """``per-article`` for ``rule_id`` where the articles it finds something in (``found``: how
    many findings in an article, with the rule's defaults; ``what`` each is, one and several)
    hold ``STYLED_EACH`` or more on average; else a remark saying they stay ``apart``."""
    rule = rules.get(rule_id)
    having = facts.count(lambda a: found(a) > 0)
    if rule is None or "per-article" not in rule.options or not having:
        return None
    total = sum(map(found, facts.articles))
    seen = (f"{total} {what[total != 1]} in {_of(having, facts.total, 'articles')}, "
            f"{total / having:.1f} each on average, at most {max(map(found, facts.articles))} in one")
    if total < STYLED_EACH * having:
        return f"{rule_id}: {seen}; {apart}"
    return Inference(rule_id, {"per-article": True}, f"{seen}: {gathered}")


def _date_form(facts: Facts) -> Inference | None:
    """Dates written in one form that is not ISO 8601 in most articles (RFC 2822, as their feed
    wrote them, or with a month name, as Astro's template does) are the repository's form: its
    generator reads them, so asking for ISO 8601 on each would be noise."""
    dated = facts.count(lambda a: a.date_form is not None)
    forms = facts.ranked("date_form")
    worded = sum(count for form, count in forms if form)
    if not worded or worded * 2 < dated:
        return None
    form = next(form for form, _ in forms if form)
    how = "in RFC 2822 form, as their feed did" if form == "RFC 2822" else "with a month name ('Jul 08 2022')"
    return Inference("front-matter-date", {"iso-8601": False},
                     f"{_of(worded, dated, 'dated articles')} write the date {how}: valid dates are accepted "
                     "as written")


def _cjk(facts: Facts) -> list[Inference]:
    chinese = facts.count(lambda a: a.language == "zh")
    setting = False if chinese < CHINESE_SHARE * facts.total else KEEP
    why = f"{_of(chinese, facts.total, 'articles')} are written in Chinese"
    return [Inference(rule_id, setting, why) for rule_id in CJK_PUNCTUATION]


def _leftover(facts: Facts, rules: dict) -> Inference | str | None:
    rule = rules.get("leftover-markup")
    total = facts.total
    if rule is None:
        return None
    recurring = max(3, 0.1 * total)
    defaults = list(rule.options.get("allow-comments", []))
    known = [re.compile(p, re.IGNORECASE | re.DOTALL) for p in defaults]
    comments = facts.ranked("comments")
    directives = [(text, n) for text, n in comments
                  if n >= recurring and len(text) <= 60 and _DIRECTIVE.fullmatch(text)
                  and not text.lower().startswith("lintnews") and not any(p.fullmatch(text) for p in known)]
    cms = [(text, n) for text, n in comments if n >= recurring and (text, n) not in directives
           and not any(p.fullmatch(text) for p in known)]
    embeds = list(rule.options.get("allow-embeds", []))
    hosts = [(host, n) for host, n in facts.ranked("iframe_hosts") if n >= recurring
             and not any(host == known_host or host.endswith("." + known_host) for known_host in embeds)]
    tags = list(rule.options.get("tags", []))
    unseen = [(name, n) for name, n in facts.ranked("unseen_tags") if n >= recurring and name in tags]
    setting: dict = {}
    parts = []
    if unseen:
        setting["tags"] = [name for name in tags if name not in {name for name, _ in unseen}]
        parts.append(", ".join(f"<{name}> tags, which show nothing, in {n}" for name, n in unseen))
    if directives and "allow-comments" in rule.options:
        setting["allow-comments"] = defaults + [re.escape(text) for text, _ in directives]
        parts.append("tool directives " + ", ".join(f"<!-- {text} --> in {n}" for text, n in directives))
    if hosts and "allow-embeds" in rule.options:
        setting["allow-embeds"] = embeds + [host for host, _ in hosts]
        parts.append("iframes from " + ", ".join(f"{host} in {n}" for host, n in hosts))
    if cms:
        parts.append("still reported, a CMS's comments: " +
                     ", ".join(f"<!-- {_clip(text)} --> in {n}" for text, n in cms[:3]))
    allowed = known + [re.compile(re.escape(text), re.IGNORECASE) for text, _ in directives]
    left = [sum(not any(p.fullmatch(text) for p in allowed) for text in a.comments) for a in facts.articles]
    having = sum(n > 0 for n in left)
    gathered = ""
    if having and sum(left) >= STYLED_EACH * having and "comments-per-article" in rule.options:
        setting["comments-per-article"] = True
        gathered = (f"{sum(left)} comments left in {_of(having, total, 'articles')}, {sum(left) / having:.1f} "
                    "each on average: one finding per article, naming a few and counting all")
    if not parts and not gathered:
        return None
    why = "; ".join(filter(None, (f"recurring in {total} articles: " + "; ".join(parts) if parts else "", gathered)))
    return Inference("leftover-markup", setting, why) if setting else f"leftover-markup: {why}"


def _clip(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"

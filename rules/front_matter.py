"""Front-matter rules: required keys, valid YAML, valid dates."""
from __future__ import annotations

import datetime as dt
import os
import re
from fnmatch import translate
from pathlib import PurePath
from functools import lru_cache

import yaml

from lintnews import Edit, Option, Severity, Violation, hookimpl, rule
from lintnews.dates import ISO, date_form, parse_date
from lintnews.frontmatter import JSON, drafted, json_keys, post_date
from lintnews.options import between, each
from lintnews.rules import site_defaults


def _names_a_key(spec: str) -> str | None:
    """An entry of ``required`` that names no key ("", "|") would be reported as a key missing
    on every article: it is a mistake in the configuration."""
    return None if any(name.strip() for name in spec.split("|")) else "names no key (a key, or keys parted by '|')"


@rule("front-matter-required", severity="error",
      options={"required": Option(["title", "date|pubDate|publishDate", "author|authors"], each(_names_a_key)),
               "filename-date": False,
               "exempt-files": ["_index.*"]})
def front_matter_required(doc, options):
    """Required front-matter keys must be present and not empty.

    An article without a title, a date or an author cannot be listed, sorted or
    credited by the site generator. Each entry of ``required`` is a key, or
    alternatives separated by ``|`` of which one must be present (Astro writes
    ``pubDate`` where Hexo and Jekyll write ``date``). A file without front matter
    is reported at 1:1; a missing key at the opening ``---``; an empty value
    (blank, ``null``, ``[]``) at its key; a template's placeholder left in place of
    the value (``替换为作者名称``, ``请输入标题``, ``TODO``, ``Lorem ipsum…``) at the
    value. Front matter that does not parse is left to ``front-matter-syntax``. Metadata headers (``[#]: author: "Jane Doe"`` lines
    at the top of the file) are front matter too.

    A key the site's generator gives the article counts as present, as the site
    shows it: Jekyll's front-matter defaults (``defaults:`` in ``_config.yml``, the
    first hundred, by their scope's path and type), a site-wide ``author`` in Jekyll's or Hexo's
    ``_config.yml`` or in Hugo's configuration (``params.author``), which themes
    credit on every post that names none, Hugo's ``cascade`` (in a section's ``_index.md``
    or the configuration, by its target's path and kind; the first hundred entries above a
    page) to the pages below, and on an
    Eleventy site its directory data files (``posts/posts.json``,
    ``posts/posts.11tydata.json``). They are read from
    the nearest folder above the article, within the project, that holds a
    generator's configuration. A site's author left as its generator wrote it (Hexo's
    ``John Doe``) or as a placeholder credits nobody: the key is reported missing,
    naming it.

    ``filename-date: true`` is for site generators that date a post by its file
    name (Jekyll's ``_posts/2024-05-01-slug.md``, Eleventy, Docusaurus, a Hugo site
    configured so): a file name starting with a valid date (``2024-05-01-``,
    ``20240501 ``), or for an ``index`` file its folder's name
    (``2021-08-26-welcome/index.md``), then satisfies every entry naming ``date``, and
    so does a draft in a ``_drafts`` folder, which Jekyll and Hexo date when it is
    published. A file whose name matches one of ``exempt-files`` is no article and is
    not checked: by default Hugo's ``_index.*`` section pages, which list a section's
    articles and need neither a date nor an author.

    Fails:

        ---
        title: Markets close higher
        author: ""
        ---

    Passes:

        ---
        title: Markets close higher
        date: 2022-08-02
        author: Xinhua
        ---
    """
    if options["exempt-files"] and _exempt_name(tuple(options["exempt-files"]))(
            os.path.normcase(os.path.basename(doc.fs_location))):
        return
    fm = doc.front_matter
    required = _alternatives(tuple(options["required"]))
    if options["filename-date"] and (post_date(doc.fs_path) is not None or _draft(doc)):
        required = [names for names in required if "date" not in names]
    if fm is None:
        if required:
            keys = ", ".join(names[0] for names in required)
            yield Violation(1, 1, f"no front matter: expected a '---' block with {keys}")
        return
    if fm.error:
        return
    meta = doc.meta
    for names in required:
        if names and names[0] in meta and not _is_empty(value := meta[names[0]]) and not placeholder(value):
            continue  # most articles fill each entry's first name: nothing more to look at
        present = [name for name in names if name in meta]
        if not present:
            given = site_defaults.given(doc)
            offered = [given[name] for name in names if not _is_empty(given.get(name))]
            if any(not placeholder(value) and not site_defaults.scaffold(value) for value in offered):
                continue  # the site's generator gives it (Jekyll's defaults, a site's author)
            label = " or ".join(repr(name) for name in names)
            yield doc.violation(fm.start, f"required key {label} is missing" + (
                f" (the site gives {offered[0]!r}, a placeholder)" if offered else ""))
        elif all(_is_empty(meta[name]) for name in present):
            yield doc.violation(doc.meta_offset(present[0], value=False), f"required key {present[0]!r} is empty")
        elif all(_is_empty(meta[name]) or placeholder(meta[name]) for name in present):
            name = next(name for name in present if placeholder(meta[name]))
            offset = doc.meta_offset(name)
            yield doc.violation(offset if offset is not None else fm.start,
                                f"required key {name!r} holds a template's placeholder: {meta[name].strip()!r}")


def _draft(doc) -> bool:
    """Whether the article lies in a ``_drafts`` folder of the project (not of the folders above it)."""
    try:
        return drafted(PurePath(os.path.relpath(doc.fs_path, doc.root)))
    except ValueError:  # another drive
        return False


@lru_cache(maxsize=32)
def _exempt_name(patterns: tuple[str, ...]):
    """Whether a file name matches one of ``patterns`` as ``fnmatch`` tells, in one match: asked
    of every file, where making its Path and matching each pattern apart took a tenth of a
    second over 16,000 files."""
    return re.compile("|".join(translate(os.path.normcase(pattern)) for pattern in patterns)).match


@lru_cache(maxsize=32)
def _alternatives(required: tuple[str, ...]) -> list[list[str]]:
    """The key names of each entry of ``required`` ("date|pubDate": either)."""
    return [[name.strip() for name in spec.split("|") if name.strip()] for spec in required]


@rule("front-matter-syntax", severity="error")
def front_matter_syntax(doc, options):
    """Front matter must be closed and parse as a YAML mapping without duplicate keys.

    A front-matter block that is never closed swallows the article; YAML that does
    not parse leaves the site generator without title or date; a duplicate key
    silently keeps only its last value. A block that refers to itself through an
    alias, nests deeper than 64 levels or holds more than 10,000 values once its
    aliases are expanded is reported and not read (a few hundred bytes of aliases
    can stand for billions of values). Reported at the YAML error, or at the
    second occurrence of a duplicate key. Hugo's TOML (between ``+++`` lines) and
    JSON (an object opening the file) are read as well, and reported where their
    parser stops; a JSON key written twice is reported as YAML's (TOML refuses one
    itself).

    Fails:

        ---
        title: "Markets: close higher
        date: 2022-08-02
        ---

    Passes:

        ---
        title: "Markets: close higher"
        date: 2022-08-02
        ---
    """
    fm = doc.front_matter
    if fm is None:
        return
    if fm.error:
        message, offset = fm.error
        yield doc.violation(offset, message)
        return
    if fm.format is JSON:  # JSON allows a key twice, keeping the last: report it as YAML's
        seen: dict[str, int] = {}
        for span in json_keys(doc.text[fm.content_start:fm.content_end]):
            first_at = seen.setdefault(span.name, span.key)
            if first_at != span.key:
                line = doc.position(fm.content_start + first_at)[0]
                yield doc.violation(fm.content_start + span.key, f"duplicate key {span.name!r} (first on line "
                                                                 f"{line}); only the last value is kept")
    if isinstance(fm.node, yaml.MappingNode):
        first: dict[str, yaml.Node] = {}  # each key's first node, placed only when a duplicate comes
        for key_node, _ in fm.node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            original = first.setdefault(key_node.value, key_node)
            if original is not key_node:
                line = doc.position(doc.mark_offset(original.start_mark))[0]
                yield doc.violation(doc.mark_offset(key_node.start_mark),
                                    f"duplicate key {key_node.value!r} (first on line {line}); "
                                    "only the last value is kept")


@rule("front-matter-date", severity="error", fix="unsafe",
      options={"keys": ["date", "updated", "pubDate", "publishDate", "updatedDate", "lastmod"],
               "max-future-days": Option(1, between(0, 1_000_000)), "iso-8601": True})
def front_matter_date(doc, options):
    """Date keys must hold a valid date that is not in the future.

    Site generators sort and archive by date; an unparsable date breaks the build
    or silently becomes "now", and a date far in the future hides the article. The
    keys read are ``keys``: by default ``date``, ``updated``, ``pubDate``, ``publishDate``,
    Astro's ``updatedDate`` and Hugo's ``lastmod``.
    Accepted: YAML timestamps, ISO 8601 (``2022-08-02``, ``2022-08-02 13:42``,
    ``2022-08-02T13:42:34+08:00``, also with a ``+0800`` offset), Hexo's
    ``2013/7/13 20:46:25`` and RFC 2822 (``Tue, 02 Aug 2022 05:42:34 GMT``). ``max-future-days`` is how far
    ahead of now a date may lie. Dates written with an English month name (``Jul 08 2022``,
    as Astro's blog template writes them, ``July 8, 2022``, ``8 July 2022``, with a time or
    not) are valid too, in UTC. Reported at the value. With ``iso-8601: true`` (the
    default), a valid date written in RFC 2822 form or with a month name is reported too, as
    ``info``: ISO 8601 is what every site generator and feed reads the same way.

    Fix (unsafe): an RFC 2822 date is rewritten in ISO 8601 with the same instant and
    offset (``Tue, 02 Aug 2022 05:42:34 +0800`` → ``2022-08-02T05:42:34+08:00``), a date
    with a month name as the date it names (``Jul 08 2022`` → ``2022-07-08``), inside the
    same quotes if it had them.

    Fails:

        ---
        title: Markets close higher
        date: 2022-13-45
        ---

    Passes:

        ---
        title: Markets close higher
        date: 2022-08-02T05:42:34+08:00
        ---
    """
    now = dt.datetime.now(dt.timezone.utc)
    latest = now + dt.timedelta(days=options["max-future-days"])
    meta = doc.meta
    for key in options["keys"]:
        value = meta.get(key)  # None for a key that is not there, as for one left empty
        if value is None or value == "":
            continue
        when = parse_date(value)
        if when is None:  # the value's place is looked up only for a finding: most dates are good
            yield doc.violation(doc.meta_offset(key), f"{key}: {_show(value)} is not a valid date "
                                                      "(use ISO 8601, e.g. 2022-08-02T05:42:34+08:00)")
        elif when > latest:
            yield doc.violation(doc.meta_offset(key), f"{key}: {_show(value)} lies in the future "
                                                      f"(more than {options['max-future-days']} day(s) from now)")
        elif options["iso-8601"] and isinstance(value, str) and not ISO.fullmatch(value.strip()):
            if date_form(value) == "RFC 2822":
                iso, form = when.isoformat(), "in RFC 2822 form"
            else:  # a month name, with no offset: the date alone, or the time with no offset either
                naive = when.replace(tzinfo=None)
                iso, form = (naive.isoformat() if ":" in value else naive.date().isoformat()), "written with a month name"
            span = doc.meta_span(key)  # where the value starts is its offset: one look-up gives both
            offset = span[0] if span is not None else doc.meta_offset(key)
            yield doc.violation(offset, f"{key}: {_show(value)} is {form} (write {iso})",
                                severity=Severity.INFO, fix=_iso_fix(doc, span, value, iso))


def _iso_fix(doc, span: tuple[int, int] | None, value: str, iso: str) -> Edit | None:
    """``iso`` in place of the value as written at ``span`` (inside its quotes, if it has them),
    when the value sits on one line and reads exactly as parsed."""
    if span is None:
        return None
    start, end = span
    written = doc.text[start:end]
    if written[:1] in "'\"" and written[-1:] == written[:1] and len(written) > 1:
        start, end, written = start + 1, end - 1, written[1:-1]
    if written != value or "\n" in written:
        return None
    return Edit(start, end, iso)


# how a template's placeholder values start ("替换为作者名称", "请输入标题"), and whole placeholder
# values, case ignored
_PLACEHOLDER_STARTS = ("替换为", "请输入", "请填写", "在此输入", "在此填写", "此处填写", "此处输入", "lorem ipsum")
_PLACEHOLDERS = frozenset({"todo", "tbd", "fixme", "your name", "author name", "title here", "your title here"})


def placeholder(value) -> bool:
    """Whether a front-matter value is a template's placeholder rather than the article's own."""
    if not isinstance(value, str):
        return False
    value = value.strip().lower()
    return value.startswith(_PLACEHOLDER_STARTS) or value in _PLACEHOLDERS


def _is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return all(_is_empty(item) for item in value) if not isinstance(value, dict) else not value
    return False


def _show(value) -> str:
    return repr(value) if isinstance(value, str) else str(value)


@hookimpl
def lintnews_rules():
    return [front_matter_required, front_matter_syntax, front_matter_date]

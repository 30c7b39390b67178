"""Front-matter values present but wrong: impossible UTC offsets, author values carrying another
credit; and root-relative image paths no site root lets anyone check."""
from __future__ import annotations

import datetime as dt
import re

from lintnews import hookimpl, rule
from lintnews.lazy_re import lazy_compile
from lintnews.rules.image_paths import is_template, site_roots
from lintnews.rules.image_sources import image_refs

# -- front-matter-utc-offset ---------------------------------------------------

DATE_KEYS = ["date", "updated", "lastmod", "pubDate", "publishDate", "modified", "created"]
_OFFSET = lazy_compile(r"(?:\d|\s)(?P<offset>[+-](?P<hours>\d{2}):?(?P<minutes>\d{2})?)\s*$")
MAX_OFFSET = dt.timedelta(hours=14)  # Kiribati's UTC+14:00 is the furthest any zone goes


@rule("front-matter-utc-offset", severity="error", options={"keys": DATE_KEYS})
def front_matter_utc_offset(doc, options):
    """A date's UTC offset must be one a time zone can have: within ±14:00, in whole hours or a zone's half or quarter hour.

    Feed converters that write the local time into the offset produce
    ``2020-09-17 16:10:00+16:10``: a valid-looking date hours away from the real
    one. Reported at the value, for each front-matter key of ``keys``, when its
    offset lies beyond ±14:00 (the offset of the furthest time zone), or is one no
    time zone has had since 1970 (``+13:10``, ``+14:30``; ``+05:30``, ``+05:45`` and
    ``+12:45`` are zones' own).

    Fails:

        ---
        date: 2020-09-17 16:10:00+16:10
        ---

    Passes:

        ---
        date: 2020-09-17 16:10:00+08:00
        ---
    """
    for key in options["keys"]:
        value = doc.meta.get(key)
        offset = _utc_offset(value)
        if offset is None:
            continue
        minutes = int(offset.total_seconds()) // 60
        if abs(offset) > MAX_OFFSET or minutes not in ZONE_OFFSETS:
            where = doc.meta_offset(key)
            sign, whole = "-" if minutes < 0 else "+", abs(minutes)
            shown = f"{sign}{whole // 60:02d}:{whole % 60:02d}"
            what = "is beyond ±14:00" if abs(offset) > MAX_OFFSET else "is no time zone's"
            yield doc.violation(where if where is not None else 0,
                                f"{key}: UTC offset {shown} {what} (the local time written as the offset?)")


# The offsets time zones have had since 1970, in minutes: every whole hour from -12 to +14, and
# the half and quarter hours some zones keep or kept (Newfoundland's -03:30 and -02:30, India's
# +05:30, Nepal's +05:45, Venezuela's -04:30 of 2007-2016, Norfolk Island's +11:30 before 2015,
# the Chatham Islands' +12:45 and +13:45…). "+16:10" or "+13:10" is a local time written as one.
ZONE_OFFSETS = frozenset({hours * 60 for hours in range(-12, 15)} | {
    -570, -510, -270, -210, -150, 210, 270, 330, 345, 390, 510, 525, 570, 630, 690, 765, 825})


def _utc_offset(value) -> dt.timedelta | None:
    if isinstance(value, dt.datetime):
        return value.utcoffset()
    if not isinstance(value, str):
        return None
    match = _OFFSET.search(value)
    if match is None or ":" not in value:
        return None  # "+0800" alone, with no time before it, is no offset
    delta = dt.timedelta(hours=int(match.group("hours")), minutes=int(match.group("minutes") or 0))
    return -delta if match.group("offset")[0] == "-" else delta


# -- author-credit -------------------------------------------------------------

AUTHOR_KEYS = ["author", "authors"]
_OTHER_CREDIT = lazy_compile(
    r"[(（\[【]\s*(?:images?|photos?|pictures?|illustrations?|graphics?|video|translated|translation|edited|"
    r"图|图片|摄影|摄|翻译|译|编辑|校对|来源)[^)）\]】]*[)）\]】]"
    r"|[,，;；|｜]\s*(?:images?|photos?|illustrations?|translated|edited) by\b"
    r"|\b(?:images?|photos?|illustrations?) (?:by|courtesy of)\b", re.IGNORECASE)


@rule("author-credit", severity="warning", options={"keys": AUTHOR_KEYS})
def author_credit(doc, options):
    """The author value names the author, and nobody else's credit.

    ``author: Jane Doe (Image by John Roe)`` makes every byline, feed and search
    index credit the photographer as part of the author's name. Reported at the
    value, for each key of ``keys`` (a string or a list of strings): a bracketed
    credit for images, photos, translation or editing (``(Image by …)``,
    ``（图/…）``, ``【翻译：…】``), or one after a comma (``, photos by …``). Put
    that credit in the body or a key of its own.

    Fails:

        ---
        author: Jane Doe (Image by John Roe)
        ---

    Passes:

        ---
        author: Jane Doe
        ---
    """
    for key in options["keys"]:
        value = doc.meta.get(key)
        if isinstance(value, str):
            items = [((key,), value)]
        elif isinstance(value, list):
            items = [((key, index), item) for index, item in enumerate(value) if isinstance(item, str)]
        else:
            items = []
        for path, text in items:
            match = _OTHER_CREDIT.search(text)
            if match:
                offset = doc.meta_offset(*path)
                yield doc.violation(offset if offset is not None else 0,
                                    f"{path[0]} carries another credit: {match.group().strip()!r}")


# -- image-root-unknown --------------------------------------------------------


@rule("image-root-unknown", severity="warning", options={"roots": [], "front-matter-keys":
                                                         ["headimg", "thumbnail", "cover", "image",
                                                          "heroImage"]})
class ImageRootUnknown:
    """Root-relative image paths that no site root lets anyone check: reported once per run.

    ``/wp-content/uploads/a.jpg`` resolves against the site's root folder; when
    the project has none that lintnews can find (``roots``, relative to the project
    root, or when it is empty Hexo ``source/``, Hugo ``static/``, Astro
    ``public/``, Jekyll's root), ``image-broken`` cannot check them. Rather than
    skip them in silence, the first one of the run is reported, with how many
    paths in how many articles went unchecked; set ``roots`` (here and for
    ``image-broken`` and ``image-folder-missing``) to have them checked. A path into a CMS's upload folder
    (WordPress's ``/wp-content/uploads/``, Drupal's ``/sites/default/files/``,
    Joomla's ``/images/stories/``) is named as such: such images are often still on
    the old site, and break when it goes.

    Fails:

        ![Chart](/wp-content/uploads/chart.png)

    Passes:

        ![Chart](https://cdn.163.com/wp-content/uploads/chart.png)
    """

    def __init__(self, options, root):
        self.unknown = not site_roots(root, list(options["roots"])) if root is not None else True
        self.keys = list(options["front-matter-keys"])

    def summarize(self, doc):
        """Where the article's first root-relative image path is, and how many it has."""
        if not self.unknown:
            return None
        refs = [ref for ref in image_refs(doc, self.keys, ("data-src", "data-original"))
                if ref.url and _root_relative(ref.url.strip())]
        if not refs:
            return None
        return refs[0].locate(doc) or 0, refs[0].end, (len(refs), refs[0].url.strip())

    def judge(self, summaries):
        """The first article with such a path gets the one finding of the run."""
        found = [(index, summary) for index, summary in enumerate(summaries) if summary is not None]
        if not found:
            return {}
        paths = sum(count for _, (count, _) in found)
        index, (_, url) = found[0]
        more = f" and {paths - 1} more in {len(found)} articles" if paths > 1 else ""
        cms = next(((folder, name) for folder, name in _CMS_UPLOADS if url.startswith(folder)), None)
        where = (f"; {cms[0]} is {cms[1]}'s upload folder: images left on the old site break when it goes"
                 if cms else "")
        return {index: f"root-relative image path {url!r}{more} left unchecked: no site root was found "
                       f"(set the roots option of image-broken, image-folder-missing and this rule){where}"}


# where a CMS keeps uploaded images: a path into one was copied from the old site's pages
_CMS_UPLOADS = (("/wp-content/uploads/", "WordPress"), ("/sites/default/files/", "Drupal"),
                ("/images/stories/", "Joomla"))


def _root_relative(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//") and not is_template(url)


@hookimpl
def lintnews_rules():
    return [front_matter_utc_offset, author_credit, ImageRootUnknown]

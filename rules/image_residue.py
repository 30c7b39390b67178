"""Images that are not the story's: tracking pixels kept as images, covers that are an avatar or a
placeholder, front-matter image keys left empty."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from lintnews import Option, hookimpl, rule
from lintnews.lazy_re import compile_kept, lazy_compile
from lintnews.options import between, regexes
from lintnews.rules.image_sources import FRONT_MATTER_URL_KEYS, front_matter_urls, html_images, markdown_images

# -- tracking-pixel ------------------------------------------------------------

TRACKER_PATTERNS = [r"//beacon\.sina\.com\.cn/", r"[?&]noScript\b", r"/(?:spacer|blank|pixel|transparent|1x1)\.gif\b",
                    r"//i\d\.sinaimg\.cn/cha/images/c\.gif", r"//www\.google-analytics\.com/", r"/pixel\?",
                    r"//sb\.scorecardresearch\.com/", r"//www\.facebook\.com/tr\?"]

# every default pattern holds one of these words, case ignored: an ASCII URL that holds none of
# them, lower-cased, matches none, and is passed without running the eight patterns over it
# (beyond ASCII, case-insensitive matching is Unicode's, so such a URL is always searched)
_TRACKER_WORDS = ("beacon", "noscript", ".gif", "analytics", "pixel", "scorecardresearch", "facebook")
_DEFAULT_PATTERNS = tuple(TRACKER_PATTERNS)


@lru_cache(maxsize=16)
def _any_of(patterns: tuple[str, ...]) -> re.Pattern | None:
    return compile_kept("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


@rule("tracking-pixel", severity="warning", options={"url-patterns": Option(TRACKER_PATTERNS, regexes(joined=True)),
                                                          "max-size": Option(1, between(0, 100_000))})
def tracking_pixel(doc, options):
    """A tracking pixel or spacer kept as an image: it shows nothing, and reports the reader.

    Page dumps keep the source's counters (``beacon.sina.com.cn/a.gif?noScript``)
    and spacers as images. Reported at the image, HTML or Markdown: a URL matching
    one of ``url-patterns`` (regular expressions, case ignored: Sina's beacon,
    ``spacer.gif``, ``blank.gif``, Google Analytics and Facebook pixels…), or an
    ``<img>`` whose ``width`` and ``height`` are both at most ``max-size`` (1) pixels
    (``1×1``, ``0×0``).

    Fails:

        ![图片](https://beacon.sina.com.cn/a.gif?noScript)

    Passes:

        ![外交部发布会现场](https://n.sinaimg.cn/news/2025/a.jpg)
    """
    patterns = tuple(options["url-patterns"])
    pattern = _any_of(patterns)
    words = _TRACKER_WORDS if patterns == _DEFAULT_PATTERNS else ()
    limit = options["max-size"]
    for tag in html_images(doc):
        found = pixel(tag, pattern, words, limit)
        if found is not None:
            yield doc.violation(tag.offset, found, tag.end)
    if pattern is None:
        return
    for match, url in tracking_markdown_images(doc, pattern, words):
        yield doc.violation(match.start(), f"tracking pixel kept as an image: {url}", match.end())


def pixel(tag, pattern: re.Pattern | None | str = "defaults", words: tuple[str, ...] = _TRACKER_WORDS,
          limit: int = 1) -> str | None:
    """What makes an ``<img>`` a tracking pixel or spacer (its URL matches ``pattern``, None for
    no pattern, or it is at most ``limit`` pixels each way), or None; by default as tracking-pixel's
    defaults find it (image-alt asks no alt of such an image: it is tracking-pixel's finding)."""
    if pattern == "defaults":
        pattern = _any_of(_DEFAULT_PATTERNS)
    src = tag.get("src")
    url = src.value if src is not None and src.value else ""
    if pattern is not None and url and _may_track(url, words) and pattern.search(url):
        return f"tracking pixel kept as an image: {url}"
    width, height = _size(tag, "width"), _size(tag, "height")
    if width is not None and width <= limit and height is not None and height <= limit:
        return f"image of {width}×{height} pixels: a tracking pixel or spacer"
    return None


def tracking_markdown_images(doc, pattern: re.Pattern | None = None, words: tuple[str, ...] = _TRACKER_WORDS) -> list:
    """(match, URL) of each Markdown image whose URL matches ``pattern`` (by default
    tracking-pixel's default patterns)."""
    pattern = _any_of(_DEFAULT_PATTERNS) if pattern is None else pattern
    images = markdown_images(doc)
    # an article's Markdown URLs are first read together: in most, none may match, and each is
    # then passed without a step of its own
    if not images or not _may_track("\n".join([url for _, url, _ in images if url]), words):
        return []
    return [(match, url) for match, url, _ in images if url and _may_track(url, words) and pattern.search(url)]


def _may_track(url: str, words: tuple[str, ...]) -> bool:
    """Whether ``url`` may match the patterns: False only for an ASCII URL holding none of ``words``
    (those every pattern needs; none given: any URL may). Given URLs joined by line breaks (which
    no word holds), False only when that holds for each of them."""
    if not words or not url.isascii():
        return True
    lowered = url.lower()
    return any(word in lowered for word in words)


def _size(tag, name: str) -> int | None:
    attr = tag.get(name)
    value = (attr.value or "").strip().removesuffix("px") if attr is not None else ""
    # "²" is a digit to isdigit(), and int() refuses a number of thousands of digits: no size
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


# -- cover-image-stand-in ------------------------------------------------------

COVER_KEYS = ["headimg", "thumbnail", "cover", "image", "banner", "featured_image"]
PLACEHOLDER_HOSTS = ["picsum.photos", "placehold.co", "placehold.it", "via.placeholder.com", "placeholder.com",
                     "dummyimage.com", "placekitten.com", "fakeimg.pl", "loremflickr.com", "source.unsplash.com"]
AVATAR_CLASSES = ["avatar", "author-avatar", "user-avatar"]


@rule("cover-image-stand-in", severity="warning",
      options={"front-matter-keys": COVER_KEYS, "placeholder-hosts": PLACEHOLDER_HOSTS,
               "avatar-classes": AVATAR_CLASSES})
def cover_image_stand_in(doc, options):
    """The cover must show the story, not the answerer's avatar or a placeholder picture.

    Feeds take the first image of the page as the cover: on Q&A sites that is the
    answerer's avatar, and themes fill a missing one from a placeholder service. A
    front-matter image (keys in ``front-matter-keys``) is reported at its value
    when its host is one of ``placeholder-hosts`` (``picsum.photos``,
    ``placehold.co``, ``via.placeholder.com``… and their subdomains), or when it is
    the ``src`` of an ``<img>`` of the body whose class names one of
    ``avatar-classes``.

    Fails:

        ---
        title: 外交部回应
        headimg: 'https://picsum.photos/400/300?random=12'
        ---
        <p>正文。</p>

    Passes:

        ---
        title: 外交部回应
        headimg: 'https://n.sinaimg.cn/news/2025/a.jpg'
        ---
        <p>正文。</p>
    """
    if doc.meta.keys().isdisjoint(options["front-matter-keys"]):
        return  # most articles have none of the keys (one test in C, not one per key)
    hosts, subdomains = _hosts(tuple(options["placeholder-hosts"]))
    avatars = None  # the body's avatar images, read only once a key holds a URL that is no placeholder
    for key in options["front-matter-keys"]:
        value = doc.meta.get(key)
        if value is None:
            continue
        for path, url in front_matter_urls(value, (key,)):
            url = url.strip()
            host = _host(url)
            if host and (host in hosts or host.endswith(subdomains)):
                why = f"a placeholder picture from {host}"
            elif not url:
                continue
            else:
                if avatars is None:
                    avatars = _avatar_sources(doc, frozenset(options["avatar-classes"]))
                if url not in avatars:
                    continue
                why = "the avatar of the article's author, not the story's picture"
            offset = doc.meta_offset(*path)
            yield doc.violation(offset if offset is not None else 0,
                                f"front-matter {'.'.join(map(str, path))} is {why}: {url}")


@lru_cache(maxsize=16)
def _hosts(names: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The host names lower-cased, and the endings of their subdomains (".picsum.photos")."""
    hosts = tuple(name.lower() for name in names)
    return frozenset(hosts), tuple("." + host for host in hosts)


def _avatar_sources(doc, classes: frozenset[str]) -> set[str]:
    found = set()
    for tag in doc.scan.tags:
        if tag.name == "img" and not tag.closing and (cls := tag.get("class")) is not None and cls.value \
                and not classes.isdisjoint(cls.value.split()) and (src := tag.get("src")) is not None and src.value:
            found.add(src.value.strip())
    return found


# an http(s) URL whose host (letters, digits, dots and hyphens: no user, port or brackets)
# ends at a "/", "?", "#" or the URL's end: urlsplit() finds the host exactly there, as the
# URL's text up to the first of those characters after "//", and nothing else it does to a
# URL (removing tabs and line breaks, which cannot stand in such a host) changes it
_PLAIN_HOST = lazy_compile(r"[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9.-]+)(?=[/?#]|\Z)")


@lru_cache(maxsize=1024)  # a site's articles share their cover images, and urlsplit() is no cheap read
def _host(url: str) -> str:
    """The lower-cased host of ``url`` ("" when it has none or is no URL)."""
    if url.startswith("//"):
        url = "https:" + url
    plain = _PLAIN_HOST.match(url)
    if plain is not None:  # most cover URLs: their host read without urlsplit()
        return plain.group(1).lower()
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


# -- empty-image-key -----------------------------------------------------------

IMAGE_KEYS = ["headimg", "thumbnail", "cover", "image", "images", "banner", "featured_image", "og_image"]


@rule("empty-image-key", severity="warning", options={"keys": IMAGE_KEYS})
def empty_image_key(doc, options):
    """A front-matter image key present but empty: themes show a broken image, or none.

    ``image: ''``, ``cover: {url: ''}``, ``images: ['']``: the key promises a
    picture the feed did not deliver. Each key of ``keys`` that is present with
    nothing in it (a blank string, a list of blank strings, a mapping whose
    ``url``, ``src`` or ``image`` is blank; a bare ``image:`` and a template's
    mapping of nulls are left alone)
    is reported at the key. Remove the key, or give it the image.

    Fails:

        ---
        title: 外交部回应
        image: ''
        ---

    Passes:

        ---
        title: 外交部回应
        image: 'https://n.sinaimg.cn/news/2025/a.jpg'
        ---
    """
    if doc.meta.keys().isdisjoint(options["keys"]):
        return  # most articles have none of the keys (one test in C, not one per key)
    for key in options["keys"]:
        if key in doc.meta and _empty(doc.meta[key]):
            offset = doc.meta_offset(key, value=False)
            yield doc.violation(offset if offset is not None else 0,
                                f"front-matter {key} is present but holds no image: remove it or fill it in")


def _empty(value) -> bool:
    """A blank string; a list of only blank strings and nulls; a mapping whose URL keys
    (``url``, ``src``, ``image``) are all blank. A bare ``image:`` (null) is a template's key
    left for later, which themes read as absent, and so is a mapping of nulls
    (``featured_image: {uid: , alt: ""}``); ``images: []`` says there is no image."""
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return any(isinstance(item, str) for item in value) and \
            all(item is None or (isinstance(item, str) and not item.strip()) for item in value)
    if isinstance(value, dict):
        urls = [value[key] for key in FRONT_MATTER_URL_KEYS if key in value]
        return bool(urls) and all(isinstance(url, str) and not url.strip() for url in urls)
    return False


@hookimpl
def lintnews_rules():
    return [tracking_pixel, cover_image_stand_in, empty_image_key]

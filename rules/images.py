"""Image rules: broken and unverifiable image links, and missing alternative text."""
from __future__ import annotations

import json
import re
from bisect import bisect_right
import sys
from functools import lru_cache, partial

from lintnews import Edit, Option, hookimpl, rule
from lintnews.cachedir import repository_cache_dir
from lintnews.lazy_re import lazy_compile
from lintnews.options import between, each, headers_by_host
from lintnews.rules.image_paths import BROKEN, FOLDER, UNVERIFIED, is_remote, local_problem, plainly_remote, url_problem
from lintnews.rules.image_residue import pixel, tracking_markdown_images
from lintnews.rules.image_sources import ImageRef, html_images, image_refs, markdown_images
from lintnews.rules.promo import BLOCK_CLASSES, promo_blocks

SOURCE_OPTIONS = {"front-matter-keys": ["headimg", "thumbnail", "cover", "image", "heroImage"],
                  "lazy-attributes": ["data-src", "data-original"],
                  # remote checks are opt-in: --check-remote, or remote: true
                  "remote": False, "remote-headers": Option({}, headers_by_host),
                  "remote-timeout": Option(10.0, between(0.1, 600)),
                  "remote-ports": Option([80, 443], each(between(1, 65535))), "allow-private-hosts": False,
                  "remote-budget": Option(300.0, between(0, 86400)), "remote-proxy": False, "remote-cache": True, "cache-dir": ""}
REMOTE_OPTIONS = ("allow-private-hosts", "remote-headers", "remote-timeout", "remote-ports", "remote-budget",
                  "remote-proxy", "remote-cache", "cache-dir")     # one checker per distinct setting of these


def checked_images(doc, options, roots: tuple[str, ...] | None = None) -> list[tuple[ImageRef, tuple[str, str] | None]]:
    """Every image with what is wrong with it (kind, message) or None, computed once per document
    and options; ``roots`` (the site roots) stands for ``options["roots"]`` when given."""
    return _checked(doc, options, roots)[0]


def image_problems(doc, options, roots: tuple[str, ...] | None = None) -> list[tuple[ImageRef, tuple[str, str]]]:
    """``checked_images`` with a problem: the few that the rules report, read without the rest."""
    return _checked(doc, options, roots)[1]


def _checked(doc, options, roots: tuple[str, ...] | None) -> tuple[list, list]:
    if roots is None:
        roots = tuple(options.get("roots", ()))
    key = ("checked-images", tuple(options["front-matter-keys"]), tuple(options["lazy-attributes"]), roots)
    cached = doc.cache.get(key)
    if cached is None:
        cached = doc.cache[key] = _check(doc, options["front-matter-keys"], options["lazy-attributes"], roots)
    return cached


def _check(doc, front_matter_keys, lazy_attributes, roots: tuple[str, ...]) -> tuple[list, list]:
    """(every image with its problem or None, the images with a problem)."""
    results, problems = [], []
    local_problems: dict[str, tuple | None] = {}  # a page names the same image many times
    for ref in image_refs(doc, front_matter_keys, lazy_attributes):
        if ref.kind == "front-matter" and ref.url is not None and not ref.url.strip() and ref.problem is None:
            continue  # a key present but blank holds no image to break: empty-image-key's finding
        if ref.problem is not None:
            problem = (BROKEN, ref.problem)
        elif ref.url is None:
            problem = (BROKEN, "image reference is not defined")
        elif plainly_remote(ref.url):
            problem = None  # what url_problem and local_problem would say, in one regex
        else:
            problem = url_problem(ref.url)
            if problem is None:
                if ref.url not in local_problems:
                    local_problems[ref.url] = local_problem(doc, ref.url, roots)
                problem = local_problems[ref.url]
        results.append((ref, problem))
        if problem is not None:
            problems.append((ref, problem))
    return results, problems


def remote_checks(doc, options, states: tuple[str, ...]):
    """Deferred findings for the remote images, decided by one checker shared by the whole run."""
    key = ("remote-checker", *(json.dumps(options[name], sort_keys=True) for name in REMOTE_OPTIONS))
    checker = doc.run_cache.get(key)
    if checker is None:
        from lintnews.remote import RemoteChecker, progress_stream  # only runs that fetch need it

        checker = doc.run_cache[key] = RemoteChecker(
            allow_private=options["allow-private-hosts"], headers=options["remote-headers"] or None,
            timeout=options["remote-timeout"], allowed_ports=tuple(options["remote-ports"]),
            cache_dir=_cache_dir(doc, options), repository=doc.root, budget=options["remote-budget"] or None,
            use_proxy_env=options["remote-proxy"], progress=progress_stream(sys.stderr))
    for ref, problem in checked_images(doc, options):
        if ref.url and is_remote(ref.url.strip()) and (problem is None or problem[0] == UNVERIFIED):
            url = ref.url.strip()
            url = "https:" + url if url.startswith("//") else url
            checker.submit(url)
            yield doc.deferred(ref.locate(doc), partial(_verdict, checker, url, states), ref.end)


def _cache_dir(doc, options):
    """The user's cache folder for this repository, unless ``cache-dir`` names one or the cache is off."""
    if not options["remote-cache"]:
        return None
    return doc.root / options["cache-dir"] if options["cache-dir"] else repository_cache_dir(doc.root, "remote")


def _verdict(checker, url: str, states: tuple[str, ...]) -> str | None:
    result = checker.result(url)
    if result.state not in states:
        return None
    if result.state != "blocked":
        return f"remote image {url!r}: {result.detail}"
    if " address" in result.detail:
        return f"remote image {url!r} is blocked: {result.detail}; allow-private-hosts lets it be fetched"
    if "port " in result.detail:
        return f"remote image {url!r} is blocked: {result.detail}; remote-ports lists the ports fetched"
    return f"remote image {url!r} is blocked: {result.detail}"


@rule("image-broken", severity="error", options={**SOURCE_OPTIONS, "roots": []})
def image_broken(doc, options):
    """Images must point at something that exists: local files are checked, URLs are checked for syntax.

    A broken image is the most visible defect of a migrated article. Every candidate
    is checked: ``<img src>`` and its lazy-load attributes (``lazy-attributes``),
    ``srcset`` and ``<picture><source srcset>`` (each URL, descriptors ignored),
    Markdown images (inline and reference style), the images of Hugo's ``figure``
    shortcode and Hexo's ``asset_img`` tag, and the front-matter keys in
    ``front-matter-keys`` (a string, a list, or a mapping with ``url``/``src``/``image``).
    Images in HTML comments and code are not. An ``<img>`` with no source at all, a
    ``src="#"`` and a front-matter image value that is no URL (a number, a date, a
    mapping without ``url``) are reported too; a front-matter key left blank
    (``cover: {url: ''}``) holds no image to break, and is ``empty-image-key``'s finding.

    Local paths are percent-decoded once, without query or fragment, and must name a
    non-empty file, spelled in the same case as on disk (a mismatch breaks on
    case-sensitive servers even where the author's disk forgives it; a name that
    differs only in Unicode normalisation, NFC or NFD, is named too). An image in a
    folder that does not exist at all is ``image-folder-missing``'s finding, one for
    the folder rather than one per image. Relative paths
    resolve against the article's folder (Hugo page bundles) and a Hexo post asset
    folder; root-relative paths (``/img/a.png``) against the site roots: ``roots``
    relative to the project root, or when it is empty the detected ones (Hexo
    ``source/``, Hugo ``static/``, Astro ``public/``, Jekyll's root when
    ``_config.yml`` exists); with no site root they are not checked. A path that
    leaves the repository (``../../etc/passwd``, a ``file:`` URL, a symlink pointing
    out) is reported as such, never revealing whether its target exists.

    ``data:`` URLs must hold an image in valid base64 (they are never fetched), and not a
    1×1 GIF or PNG: a lazy loader's placeholder, left where the image was (one beside a
    lazy-load attribute naming the image passes);
    ``javascript:``, ``ftp:`` and other schemes are reported; remote URLs are checked
    for syntax (protocol-relative ones are otherwise left to ``image-unverified``) and
    for what serves no image: a name kept for examples (``example.com``, ``.org`` and ``.net``
    and their subdomains, and names under ``.example``, ``.test`` and ``.invalid``),
    a placeholder that a template or a rewriting tool left where the address was, and a
    video site's page (YouTube, Vimeo, bilibili, Tencent Video, Youku), which shows as a
    broken image. URLs holding template code (``{{ }}``) are skipped, as is, in an
    ``.mdx`` file, a source that is one JSX expression (``src={hero}``). Reported at the
    attribute, the Markdown URL or the front-matter value.

    With ``remote: true`` (or ``--check-remote``) remote images are fetched, once per
    unique URL per run, concurrently while the files are linted: a small ranged GET
    whose answer must be an image (a 200 HTML page is a soft 404). 404, 410, names
    that do not resolve and blocked addresses are reported here; answers that cannot
    settle it (bot protection, 5xx, 429 after ``Retry-After``) go to
    ``image-unverified``. Never contacted, unless ``allow-private-hosts``: loopback,
    private, link-local, metadata and other non-public addresses, however spelled and
    wherever a name or redirect leads. ``remote-headers`` adds headers per host glob
    (``{"*.sinaimg.cn": {"Referer": "https://finance.sina.com.cn/"}}``) for
    hotlink-protected CDNs; ``remote-timeout`` is per request; only ``remote-ports``
    are contacted; after ``remote-budget`` seconds for the whole run (0: no limit) the
    images not yet checked are reported as unverified, with one notice. Environment
    proxies are used only with ``remote-proxy`` (the proxy then resolves host names).
    Results are cached in the user's cache folder, one per repository, or in
    ``cache-dir`` (relative to the project root); ``remote-cache: false`` turns the
    cache off. A cache file tracked by git, or reached through a symlink, is not used.
    Without a network, one notice is printed and nothing fails.

    Fails:

        <p><img src="" alt="Chart"></p>

    Passes:

        <p><img src="https://cdn.163.com/chart.png" alt="Chart"></p>
    """
    reported = set()  # a reference definition that several images name is reported once
    for ref, problem in image_problems(doc, options):
        if problem[0] == BROKEN:
            at = ref.locate(doc)
            if (at, problem[1]) not in reported:
                reported.add((at, problem[1]))
                yield doc.violation(at, problem[1], ref.end)
    if options["remote"]:
        yield from remote_checks(doc, options, ("broken", "blocked"))


@rule("image-folder-missing", severity="error", options={
    name: SOURCE_OPTIONS[name] for name in ("front-matter-keys", "lazy-attributes")} | {"roots": []})
class ImageFolderMissing:
    """Local images must not point into a folder that does not exist: reported once per folder per run.

    When the folder that local images are in was never committed (``media/`` left
    out of the repository, an archive copied without its images), every image of
    every article that uses it is broken, for one reason. Rather than an
    ``image-broken`` error on each image, the folder is reported once, on the first
    article of the run that uses it (at that article's first image in a missing
    folder; one finding names every folder the article is first to use), naming
    the folder (the outermost one missing, relative to the project root) and how
    many images in how many articles point into it: commit the folder, or correct
    the paths. An image whose folder exists but not the file, whose folder differs
    only in case or Unicode normalisation, or whose folder's name is taken by a
    file, is ``image-broken``'s. The finding is the folder's: suppressing it where
    it is reported silences the folder for the run, not that article's images alone. Paths
    resolve as ``image-broken`` resolves them, with the same options (``roots``,
    ``front-matter-keys``, ``lazy-attributes``): set them alike.

    Fails:

        ![Chart](media/chart.png)

    Passes:

        ![Chart](https://cdn.163.com/media/chart.png)
    """

    def __init__(self, options, root):
        self.options = options

    def summarize(self, doc):
        """Where the article's first image in a missing folder is, and per missing folder (in
        the order first seen) how many of the article's images point into it and the first one."""
        found = sorted(((ref.locate(doc) or 0, ref.end, problem[2], ref.url.strip())
                        for ref, problem in image_problems(doc, self.options) if problem[0] == FOLDER),
                       key=lambda image: image[0])  # (two images sharing a definition share its offset)
        if not found:
            return None
        folders: dict[str, list] = {}
        for _, _, folder, url in found:
            folders.setdefault(folder, [0, url])[0] += 1
        return found[0][0], found[0][1], tuple((folder, count, url) for folder, (count, url) in folders.items())

    def judge(self, summaries):
        """Each missing folder is reported on the first article of the run that uses it."""
        seen: dict[str, list] = {}  # folder -> [first article, its first image, images, articles]
        for index, summary in enumerate(summaries):
            for folder, count, url in summary or ():
                entry = seen.setdefault(folder, [index, url, 0, 0])
                entry[2] += count
                entry[3] += 1
        messages: dict[int, list[str]] = {}
        for folder, (index, url, images, articles) in seen.items():
            if images == 1:
                said = f"image folder {folder!r} does not exist: {url!r} points into it"
            else:
                where = f"in {articles} articles " if articles > 1 else ""
                said = (f"image folder {folder!r} does not exist: {url!r} and {images - 1} more "
                        f"image{'s' if images > 2 else ''} {where}point into it")
            messages.setdefault(index, []).append(said)
        return {index: _folders_message(said) for index, said in messages.items()}


_FOLDERS_NAMED = 3  # missing folders named in one finding; the rest are counted


def _folders_message(said: list[str]) -> str:
    more = len(said) - _FOLDERS_NAMED
    named = said if more <= 1 else [*said[:_FOLDERS_NAMED], f"and {more} more missing folders"]
    return "; ".join(named) + f"; commit the folder{'s' if len(said) > 1 else ''} or correct the paths"


@rule("image-unverified", severity="warning", fix="unsafe", options=SOURCE_OPTIONS)
def image_unverified(doc, options):
    """Image URLs that cannot be verified as written.

    A protocol-relative URL (``//n.sinaimg.cn/a.png``) takes its scheme from the page
    showing it: it works on the site but breaks in feeds, apps and e-mail, and
    cannot be checked from the repository. Write ``https://``. Fix (unsafe: the host may
    serve no HTTPS): ``https:`` is written before the URL, where it stands as written.
    With remote checks on
    (the same options as ``image-broken``), remote images whose answer could not
    settle it are reported here too: bot protection or hotlink protection (configure
    a ``Referer`` in ``remote-headers``), server errors, rate limits. Reported at the
    attribute or URL.

    Fails:

        <img src="//n.sinaimg.cn/spider2022/chart.png" alt="Chart">

    Passes:

        <img src="https://n.sinaimg.cn/spider2022/chart.png" alt="Chart">
    """
    seen: dict[tuple[int, str], int] = {}  # (where, URL) -> how many of its refs came before (srcset repeats)
    for ref, problem in image_problems(doc, options, roots=()):
        if problem[0] == UNVERIFIED:
            at = ref.locate(doc)
            key = (at, ref.url.strip())
            seen[key] = seen.get(key, -1) + 1
            yield doc.violation(at, problem[1], ref.end, fix=_with_https(doc, ref, at, seen[key]))
    if options["remote"]:
        yield from remote_checks(doc, options, ("unverified",))


def _with_https(doc, ref: ImageRef, at: int, before: int) -> Edit | None:
    """"https:" written before a protocol-relative URL where it stands as written: its occurrence
    after ``before`` others, from ``at`` to the end of the reference (or of its line); None where
    it is written otherwise (escaped)."""
    url, text = ref.url.strip(), doc.text
    line_end = text.find("\n", at)
    stop = ref.end if ref.end is not None else len(text) if line_end < 0 else line_end
    found = at - 1
    for _ in range(before + 1):
        found = text.find(url, found + 1, stop)
        while found > 0 and text[found - 1] == ":":  # inside "https://…", not this URL
            found = text.find(url, found + 1, stop)
        if found < 0:
            return None
    return Edit(found, found, "https:")


@rule("image-alt", severity="warning", options={
    "allow-empty": True,
    "meaningless": ["image", "img", "picture", "pic", "photo", "cover", "图片", "图像", "配图", "封面"],
    "block-classes": BLOCK_CLASSES, "allow-filler": False, "per-article": False,
})
def image_alt(doc, options):
    """Images need alternative text, and the text must say something.

    Screen readers, search engines and readers on slow connections depend on it.
    Reported: ``<img>`` without ``alt`` (at the ``<``), and alt text that says
    nothing: a file name (``photo.jpeg``) or one of the ``meaningless`` words
    (``image``, ``图片``, ``pic``…, case ignored, a number after it too:
    ``图片1``). A converter writes such text on every image, so it is one finding
    per article, at the first (the attribute or the ``!``), with the number of
    images. With ``allow-filler`` true such text passes, for a repository whose
    editor writes the file name on nearly every image (``lintnews init`` sets it
    there); an image without alt is still reported, each at its ``<``, or with
    ``per-article`` true one finding per article, at the first, with the number
    (for a repository whose converter leaves ``alt`` off every image of a
    template; ``lintnews init`` sets it there). An empty alt marks a
    decorative image, however it is written: ``alt=""``, a bare ``alt`` and
    Markdown's ``![](x.png)`` all pass, unless ``allow-empty`` is false, when all
    three are reported. Images in
    elements whose class names one of ``block-classes`` (a promotional block,
    reported whole by ``promo-boilerplate``), in code, and in HTML that renders as
    a code block are not checked, nor are tracking pixels and spacers as
    ``tracking-pixel``'s defaults find them (its finding: alt text would not mend one).

    Fails:

        <img src="https://cdn.163.com/chart.png">

    Passes:

        <img src="https://cdn.163.com/chart.png" alt="Share prices, 2022">
    """
    images, markdown = html_images(doc), markdown_images(doc)
    if not images and not markdown:
        return  # an article without images (a quarter of an archive): its options are not even read
    meaningless = _words(tuple(options["meaningless"]))
    empty = not options["allow-empty"]
    filler_allowed = options["allow-filler"]
    says_nothing = []  # (offset, end, alt text) of each image whose alt text says nothing
    missing = []  # the <img> tags without alt, when they are one finding per article
    if images:  # promotional blocks hold <img> tags only
        blocks = [(tag.offset, end) for tag, end in promo_blocks(doc, tuple(options["block-classes"]))]
        starts = [start for start, _ in blocks]  # blocks never overlap, in order: bisect, not any()
    for tag in images:
        index = bisect_right(starts, tag.offset) - 1
        if index >= 0 and tag.offset < blocks[index][1]:
            continue  # part of a promotional block, reported whole
        alt = tag.get("alt")
        if alt is None and pixel(tag) is not None:
            continue  # a tracking pixel or spacer: tracking-pixel's finding, alt text would not mend it
        if alt is None:
            if options["per-article"]:
                missing.append(tag)
            else:
                yield doc.violation(tag.offset, "image has no alt attribute", tag.end)
        elif not (alt.value or "").strip():
            if empty:
                yield doc.violation(alt.offset, "image has empty alt text", alt.end)
        elif not filler_allowed and _says_nothing(alt.value, meaningless):
            says_nothing.append((alt.offset, alt.end, alt.value.strip()))
    if len(missing) == 1:
        yield doc.violation(missing[0].offset, "image has no alt attribute", missing[0].end)
    elif missing:
        yield doc.violation(missing[0].offset, f"{len(missing)} images in the article have no alt attribute, "
                                               "the first here", missing[0].end)
    trackers = None  # tracking-pixel's images, found once an image would be reported (few are)
    for match, _, _ in markdown:
        text = match.group("alt")
        blank = not text.strip()
        if blank and not empty or not blank and (filler_allowed or not _says_nothing(text, meaningless)):
            continue  # no finding
        if trackers is None:
            trackers = {tracked.start() for tracked, _ in tracking_markdown_images(doc)}
        if match.start() in trackers:
            continue  # tracking-pixel's finding
        if blank:
            yield doc.violation(match.start(), "Markdown image has empty alt text", match.end())
        else:
            says_nothing.append((match.start(), match.end(), text.strip()))
    if says_nothing:
        # a converter's habit, repeated on every image: one finding per article, at the first
        start, end, text = min(says_nothing)
        count = len(says_nothing)
        message = (f"image alt text {text!r} says nothing: describe the image" if count == 1 else
                   f"alt text that says nothing on {count} images ({text!r} here, the first): describe each image")
        yield doc.violation(start, message, end)


_FILE_NAME = lazy_compile(r"[^\s/]+\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|avif|heic)", re.IGNORECASE)
_NUMBERED = lazy_compile(r"[\s_\-#.:：]*\d*$")


@lru_cache(maxsize=32)
def _words(words: tuple[str, ...]) -> tuple[frozenset[str], int]:
    """The words, lower-cased, and the length of the longest."""
    lowered = frozenset(word.lower() for word in words)
    return lowered, max(map(len, lowered), default=0)


def _says_nothing(alt: str, meaningless: tuple[frozenset[str], int]) -> bool:
    """Whether alt text is a file name or a meaningless word (a number after it ignored)."""
    alt = alt.strip()
    if _FILE_NAME.fullmatch(alt):
        return True
    words, longest = meaningless
    # what is left once the number goes must be a word, so no longer than the longest (lower-casing
    # never shortens text): past that length a longer alt holds only the number's characters.
    # Most alt text is a description, which fails this at once, before the search for a number
    if len(alt) > longest and not _NUMBERED.match(alt, longest):
        return False
    return _NUMBERED.sub("", alt).lower() in words


@hookimpl
def lintnews_rules():
    return [image_broken, ImageFolderMissing, image_unverified, image_alt]

"""Image rules: broken and unverifiable image links, and missing alternative text."""
from __future__ import annotations

from lintnews import hookimpl, rule
from lintnews.rules.image_paths import BROKEN, UNVERIFIED, local_problem, url_problem
from lintnews.rules.image_sources import ImageRef, html_images, image_refs, markdown_images

SOURCE_OPTIONS = {"front-matter-keys": ["headimg", "thumbnail", "cover", "image"],
                  "lazy-attributes": ["data-src", "data-original"]}


def checked_images(doc, options) -> list[tuple[ImageRef, tuple[str, str] | None]]:
    """Every image with what is wrong with it (kind, message), computed once per document and options."""
    key = ("checked-images", tuple(options["front-matter-keys"]), tuple(options["lazy-attributes"]),
           tuple(options.get("roots", ())))
    if key not in doc.cache:
        results = []
        for ref in image_refs(doc, options["front-matter-keys"], options["lazy-attributes"]):
            if ref.url is None:
                problem = (BROKEN, "image reference is not defined")
            else:
                problem = url_problem(ref.url)
                if problem is None:
                    local = local_problem(doc, ref.url, options.get("roots", []))
                    problem = (BROKEN, local) if local else None
            results.append((ref, problem))
        doc.cache[key] = results
    return doc.cache[key]


@rule("image-broken", severity="error", options={**SOURCE_OPTIONS, "roots": []})
def image_broken(doc, options):
    """Images must point at something that exists: local files are checked, URLs are checked for syntax.

    A broken image is the most visible defect of a migrated article. Every candidate
    is checked: ``<img src>`` and its lazy-load attributes (``lazy-attributes``),
    ``srcset`` and ``<picture><source srcset>`` (each URL, descriptors ignored),
    Markdown images (inline and reference style) and the front-matter keys in
    ``front-matter-keys`` (a string, a list, or a mapping with ``url``/``src``/``image``).
    Images in HTML comments and code are not.

    Local paths are percent-decoded once, without query or fragment, and must name a
    non-empty file, spelled in the same case as on disk (a mismatch breaks on
    case-sensitive servers even where the author's disk forgives it). Relative paths
    resolve against the article's folder (Hugo page bundles) and a Hexo post asset
    folder; root-relative paths (``/img/a.png``) against the site roots: ``roots``
    relative to the project root, or when it is empty the detected ones (Hexo
    ``source/``, Hugo ``static/``, Astro ``public/``, Jekyll's root when
    ``_config.yml`` exists); with no site root they are not checked. A path that
    leaves the repository (``../../etc/passwd``, a ``file:`` URL, a symlink pointing
    out) is reported as such, never revealing whether its target exists.

    ``data:`` URLs must hold an image in valid base64 (they are never fetched);
    ``javascript:``, ``ftp:`` and other schemes are reported; remote URLs are checked
    for syntax (protocol-relative ones are left to ``image-unverified``); URLs holding
    template code (``{{ }}``) are skipped. Reported at the attribute, the Markdown URL
    or the front-matter value.

    Fails:

        <p><img src="" alt="Chart"></p>

    Passes:

        <p><img src="https://example.com/chart.png" alt="Chart"></p>
    """
    for ref, problem in checked_images(doc, options):
        if problem and problem[0] == BROKEN:
            yield doc.violation(ref.locate(doc), problem[1], ref.end)


@rule("image-unverified", severity="warning", options=SOURCE_OPTIONS)
def image_unverified(doc, options):
    """Image URLs that cannot be verified as written.

    A protocol-relative URL (``//n.sinaimg.cn/a.png``) takes its scheme from the page
    showing it: it works on the site but breaks in feeds, apps and e-mail, and
    cannot be checked from the repository. Write ``https://``. Checked on the same
    images as ``image-broken``; reported at the attribute or URL.

    Fails:

        <img src="//n.sinaimg.cn/spider2022/chart.png" alt="Chart">

    Passes:

        <img src="https://n.sinaimg.cn/spider2022/chart.png" alt="Chart">
    """
    for ref, problem in checked_images(doc, {**options, "roots": []}):
        if problem and problem[0] == UNVERIFIED:
            yield doc.violation(ref.locate(doc), problem[1], ref.end)


@rule("image-alt", severity="warning", options={"allow-empty": True})
def image_alt(doc, options):
    """Images need alternative text.

    Screen readers, search engines and readers on slow connections depend on it.
    Reported: ``<img>`` without ``alt`` (at the ``<``), a bare ``alt`` attribute
    with no value (at ``alt``), and Markdown images with empty alt text (at the
    ``!``). ``alt=""`` marks a decorative image and passes unless ``allow-empty``
    is false.

    Fails:

        <img src="https://example.com/chart.png">

    Passes:

        <img src="https://example.com/chart.png" alt="Share prices, 2022">
    """
    for tag in html_images(doc):
        alt = tag.get("alt")
        if alt is None:
            yield doc.violation(tag.offset, "image has no alt attribute", tag.end)
        elif alt.value is None:
            yield doc.violation(alt.offset, "image has a bare alt attribute with no text", alt.end)
        elif not alt.value.strip() and not options["allow-empty"]:
            yield doc.violation(alt.offset, "image has empty alt text", alt.end)
    for match, _, _ in markdown_images(doc):
        if not match.group("alt").strip():
            yield doc.violation(match.start(), "Markdown image has empty alt text", match.end())


@hookimpl
def lintnews_rules():
    return [image_broken, image_unverified, image_alt]

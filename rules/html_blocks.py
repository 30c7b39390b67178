"""Markdown's blocks gone wrong: Markdown written inside an HTML block, which renderers pass on
as text, and a code fence never closed, which makes code of the rest of the article."""
from __future__ import annotations

import re
from bisect import bisect_right

from pathlib import Path

from lintnews import Edit, hookimpl, rule
from lintnews.blocks import BLANK_TO_END, CodeBlock, fence_left_open, template_code_left_open
from lintnews.lazy_re import lazy_compile
from lintnews.rules.image_paths import files_of
from lintnews.rules.publishing import jekyll_site_at
from lintnews.suppressions import suppressed

# A line that starts a CommonMark HTML block of the kind that runs to the next blank line (type 6:
# a block-level tag, opening or closing), anchored on the line break before it: a literal the regex
# engine skips ahead to. What lies in such a block is HTML, not Markdown.
BLOCK_TAGS = ("address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|"
              "dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|"
              "hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|"
              "section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul")
_BLOCK_START = lazy_compile(r"\n {0,3}(</?(?:%s))(?=[ \t\r>]|/>|\n|\Z)" % BLOCK_TAGS, re.IGNORECASE)
_BLANK_LINE = lazy_compile(r"\n[ \t\r]*(?=\n|\Z)")
# a Markdown image or link (with its target, group 1), which such a block shows as written. Every
# match runs on to the "]" (or the line end) and its target to the ")" (or the line end), found or
# not, and is passed over unless it is a whole link: a "[" or "(" among what it read starts no link
# that ends elsewhere, and reading the line again from each of them ("[[[[…", "[a]([a]([a](…") is
# quadratic
_MARKDOWN_LINK = lazy_compile(r"!?\[[^\]\n]*+(?:\](\([^)\n]*+\)?)?)?")
# ... written as HTML by the fix: a plain image or link (alt text or link text of plain characters, a
# URL without spaces, parentheses, escapes or a title), not one nested in another ("[![logo](a.png)](…)")
_PLAIN_LINK = lazy_compile(r"(!?)\[([^\]\[\n*_`<>\\]*)\]\(([^()\s<>\"'\\]+)\)")
# kramdown and Markdown Extra read Markdown inside a block whose tag says markdown="1"
_MARKDOWN_ATTRIBUTE = lazy_compile(r"[^>\n]*?\smarkdown\s*=\s*[\"']?(?:1|block|span)", re.IGNORECASE)


@rule("markdown-in-html", severity="warning", fix="unsafe", options={"per-article": False})
def markdown_in_html(doc, options):
    """Markdown inside an HTML block is not rendered.

    A line that starts with a block-level tag (``<p>``, ``<div>``, ``<figure>``,
    ``<center>``, ``<td>``…) opens an HTML block that runs to the next blank line,
    and CommonMark renderers (Hugo, Astro, Eleventy, Hexo, kramdown by default)
    pass it on as HTML: a Markdown image or link in it reaches the page as its
    source, ``![图](https://…)`` (or not at all, where raw HTML is dropped).
    Converters and scrapers write such lines (``<figure>![image](https://…)</figure>``).
    Reported once per block, at its first Markdown image or link, with their
    number; write ``<img>`` and ``<a>`` there, or leave a blank line between the
    HTML and the Markdown (on a Jekyll site, whose kramdown reads an HTML element
    whole to its end tag, blank lines or not: give the tag ``markdown="1"``). A
    block whose tag says ``markdown="1"`` (kramdown, Markdown Extra) is read as
    Markdown and passes, and so does code, and Markdown in a tag's attribute value
    or in a comment, which is text there.

    With ``per-article`` true, an article's blocks are one finding, at the first,
    with the number of blocks and of images and links, and a fix of all of them:
    for an old layout of many HTML table cells (a weekly issue of 50 cells, each
    with an icon), one decision per article. ``lintnews init`` sets it where the
    articles that have such blocks have three or more on average. A block that a
    suppression covers stays out of it (its own finding, which the suppression takes).

    Fix (unsafe: the page then shows the image or link): each plain Markdown image
    in the block becomes ``<img src="…" alt="…">`` and each plain link ``<a
    href="…">…</a>``; one nested in another, with a title or markup in its text, or
    with parentheses or escapes in its URL, is left to an editor.

    Fails:

        <figure class="ctms-editor-image">![海报](https://cdn.163.com/a.jpg)</figure>

    Passes:

        <figure class="ctms-editor-image"><img src="https://cdn.163.com/a.jpg" alt="海报"></figure>

        ![海报](https://cdn.163.com/a.jpg)
    """
    text = doc.text
    if "](" not in text or "<" not in text:
        return  # most articles: no Markdown link or no tag
    start = doc.body_offset
    if start and text[start - 1] == "\n":  # the search starts at the line break before the body
        spans = [match.span(1) for match in _BLOCK_START.finditer(text, start - 1)]
    else:  # the body starts the file, or its line: a line break is put before it
        spans = [(match.start(1) - 1 + start, match.end(1) - 1 + start)
                 for match in _BLOCK_START.finditer("\n" + text[start:])]
    if not spans:
        return
    found = _blocks(doc, text, spans)
    if options["per-article"] and len(found) > 1:
        apart = [block for block in found if suppressed(doc, "markdown-in-html", block[0].line, block[0].column)]
        found = [block for block in found if block not in apart]
        for violation, _ in apart:  # a suppressed block: its own finding, which the suppression takes
            yield violation
    if options["per-article"] and len(found) > 1:
        links = sum(count for _, count in found)
        first = found[0][0]
        yield first._replace(message=f"{links} Markdown images and links in {len(found)} HTML blocks of the article "
                                     f"are not rendered, the first here: {_advice(doc, len(found))}",
                             fix=tuple(edit for violation, _ in found for edit in violation.fix or ()) or None)
        return
    for violation, _ in found:
        yield violation


def _blocks(doc, text: str, spans: list[tuple[int, int]]) -> list:
    """Each HTML block (of those starting at ``spans``) that holds Markdown images or links:
    its finding, with how many it holds."""
    blocks = []
    scan = doc.scan
    # where no block starts: code and comments; and where no link is: those and tags (Markdown in an
    # attribute's value is text), each in order
    code = sorted([*scan.code, *((comment.offset, comment.end) for comment in scan.comments)])
    code_starts = [span[0] for span in code]
    hidden = hidden_starts = None  # made when a block holds a "](" (few do)
    end = -1
    for opened, name_end in spans:
        if opened < end or _inside(code, code_starts, opened):
            continue  # inside the block before, or a code sample or comment
        blank = _BLANK_LINE.search(text, opened)
        end = blank.start() if blank else len(text)
        if text.find("](", opened, end) < 0 or _MARKDOWN_ATTRIBUTE.match(text, name_end):
            continue  # (most blocks hold no Markdown link: told in C)
        if hidden is None:
            hidden = sorted([*code, *((tag.offset, tag.end) for tag in scan.tags)])
            hidden_starts = [span[0] for span in hidden]
        found = [link for link in _MARKDOWN_LINK.finditer(text, opened, end)
                 if (target := link.group(1)) is not None and len(target) > 2 and target.endswith(")")
                 and not _inside(hidden, hidden_starts, link.start())]
        if not found:
            continue
        first = found[0]
        kind = "image" if first.group().startswith("!") else "link"
        message = (f"Markdown {kind} inside an HTML block is not rendered" if len(found) == 1 else
                   f"{len(found)} Markdown images and links inside this HTML block are not rendered, the first here")
        blocks.append((doc.violation(first.start(), f"{message}: {_advice(doc)}", first.end(),
                                     fix=tuple(filter(None, map(_as_html, found))) or None), len(found)))
    return blocks


def _advice(doc, blocks: int = 1) -> str:
    """What to do, as the site's renderer reads HTML blocks (``blocks`` of them)."""
    if _jekyll(doc):
        return f'write <img> and <a>, or give {"the" if blocks == 1 else "each"} HTML block\'s tag markdown="1"'
    return "write <img> and <a>, or leave a blank line after the HTML"


def _jekyll(doc) -> bool:
    """Whether the project is a Jekyll site (a ``_config.yml`` at its root, and none of Hexo's
    signs: Hexo keeps one too, and renders with marked, which ends the block at a blank line),
    whose kramdown reads an HTML element whole, to its end tag; looked up once per run, and the
    findings depend on the paths it was read from (package.json's content: hexo among its
    dependencies)."""
    if files_of(doc).root is not None:
        return False  # a document on other storage: its site is not on this disk
    key = ("jekyll-site", str(doc.root))
    found = doc.run_cache.get(key)
    if found is None:
        root = Path(doc.root)
        found = doc.run_cache[key] = jekyll_site_at(root, root)
    site, paths = found
    doc.depends_on(*paths, on="exists")
    package = Path(doc.root) / "package.json"
    if package in paths:  # read where a _config.yml is
        doc.depends_on(package)
    return site


def _as_html(link: re.Match) -> Edit | None:
    """The edit writing a plain Markdown image or link as HTML; None for any other."""
    plain = _PLAIN_LINK.fullmatch(link.group())
    if plain is None:
        return None
    image, label, url = plain.groups()  # (neither holds "<" or ">", nor the URL a quote: "&" stays an entity's)
    if image:
        return Edit(link.start(), link.end(), f'<img src="{url}" alt="{label.replace(chr(34), "&quot;")}">')
    return Edit(link.start(), link.end(), f'<a href="{url}">{label}</a>')


def _inside(spans, starts: list[int], offset: int) -> bool:
    """Whether ``offset`` lies in one of ``spans`` (in order, not overlapping; ``starts``: theirs)."""
    index = bisect_right(starts, offset) - 1
    return index >= 0 and offset < spans[index][1]


_DEFINITION = lazy_compile(r"^ {0,3}\[[^\]\n]+\]:", re.MULTILINE)


@rule("code-fence-unclosed", severity="error")
def code_fence_unclosed(doc, options):
    """A code fence that is never closed: the rest of the article shows as code.

    A fence (three or more backticks or tildes) runs until a line of at least as many of
    the same marks; without one, CommonMark (Hugo, Astro, Eleventy, Hexo, markdown-it,
    GitHub) makes code of everything after it to the end of the article: the paragraphs,
    the credits, and the link reference definitions, so that every ``[text][1]`` above
    shows as written. Translations and conversions lose a fence or close a four-backtick
    one with three. Reported at the fence that is never closed, with the number of lines it
    swallows. A fence inside a quotation or a list item ends with it, and passes; so does
    an article that is HTML.

    A site generator's code block that nothing closes stops the site's build: Jekyll's and
    Eleventy's ``{% highlight ruby %}`` without ``{% endhighlight %}``, Hexo's
    ``{% codeblock %}`` or ``{% code %}``, Hugo's ``{{< highlight go >}}`` without
    ``{{< /highlight >}}``. Reported at its tag, where it stands alone on its line (as it
    opens a block), outside code and outside Liquid's ``{% raw %}`` and ``{% comment %}``.

    Fails:

        ~~~~
        $ crontab -l
        ~~~

        Cron 会在每分钟检查一次任务。

    Passes:

        ~~~
        $ crontab -l
        ~~~

        Cron 会在每分钟检查一次任务。
    """
    text = doc.text
    if str(doc.path).lower().endswith((".html", ".htm")):
        return
    if "{%" in text or "{{" in text:
        blocks = [CodeBlock(first, last, False) for first, last in doc.scan.code]
        for first, last, closing in template_code_left_open(text, doc.body_offset, len(text), blocks):
            builds = "Hugo stops" if closing.startswith("{{") else "Jekyll, Eleventy and Hexo stop"
            yield doc.violation(first, f"'{text[first:last]}' is never closed by '{closing}': {builds} the "
                                       f"site's build at it", last)
    if "```" not in text and "~~~" not in text:
        return
    code = doc.scan.code
    if not code or not BLANK_TO_END.match(text, code[-1][1]):
        return  # the last code ends before the article does: no fence runs to the end
    found = fence_left_open(text, doc.body_offset, len(text))  # the parser, for the few articles left
    if found is None:
        return
    block, mark = found
    at = text.find(mark, block.start)
    line_end = text.find("\n", at, block.end)
    swallowed = text[line_end + 1:block.end] if line_end >= 0 else ""
    lines = sum(1 for line in swallowed.split("\n") if line.strip())
    definitions = len(_DEFINITION.findall(swallowed))
    what = ("it opens an empty code block at the end" if not lines
            else ("the line after it shows" if lines == 1 else f"the {lines} lines after it show") + " as code"
            + (f", its {definitions} link definition{'s' if definitions != 1 else ''} with them" if definitions else ""))
    yield doc.violation(at, f"code fence {mark!r} is never closed: {what}", at + len(mark))


@hookimpl
def lintnews_rules():
    return [markdown_in_html, code_fence_unclosed]

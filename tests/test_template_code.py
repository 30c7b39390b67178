"""Template code blocks of site generators ({% highlight %}, {% codeblock %}, {{< highlight >}}):
code, as the generator reads them before the Markdown, and skipped by the rules like a fence."""
from __future__ import annotations

import re

import pytest

from lintnews.blocks import CodeBlock, code_blocks, with_template_code
from lintnews.document import Document
from lintnews.testing import lint_string

SAMPLE = '<p style="color: red">x</p>'


def template_code(text: str) -> list[tuple[int, int]]:
    return [(block.start, block.end) for block in with_template_code(text, 0, len(text), code_blocks(text, 0, len(text)))]


@pytest.mark.parametrize("opening, closing", [
    ("{% highlight html %}", "{% endhighlight %}"),  # Jekyll
    ('{%- highlight "html" linenos -%}', "{%- endhighlight -%}"),  # Eleventy, whitespace trimmed
    ("{% codeblock lang:html Sample %}", "{% endcodeblock %}"),  # Hexo
    ("{% codeblock %}", "{% endcodeblock %}"),
    ("{% code %}", "{% endcode %}"),
    ("{{< highlight html >}}", "{{< /highlight >}}"),  # Hugo
    ('{{% highlight html "linenos=table" %}}', "{{% / highlight %}}"),
    ("   {% highlight html %}", "   {% endhighlight %}"),  # indented under a list item
])
def test_each_generators_code_block_is_code(opening, closing):
    text = f"Text.\n\n{opening}\n{SAMPLE}\n{closing}\n\nMore text.\n"
    start = text.index(opening)
    assert template_code(text) == [(start, text.index(closing) + len(closing))]
    doc = Document("a.md", text)
    assert doc.scan.tags == ()
    assert "color" not in doc.prose and doc.prose.endswith("More text.\n")


@pytest.mark.parametrize("text", [
    # a site's own highlight shortcode, marking words in a sentence
    "We need to {{< highlight >}}use a .gov domain{{< /highlight >}}.\n",
    "{{< highlight >}}\nwords\n{{< /highlight >}}\n",  # no language: no code
    "{% highlight %}\nwords\n{% endhighlight %}\n",
    "See {% highlight ruby %} in the docs.\n\n{% endhighlight %}\n",  # not alone on its line
    "{% highlight ruby %}\nputs 1\n",  # nothing closes it
    "{% highlighter ruby %}\nputs 1\n{% endhighlighter %}\n",  # another tag
    "{% highlight ruby %}\nputs 1\n{% endcodeblock %}\n",  # closed by another
])
def test_what_is_not_a_template_code_block(text):
    assert template_code(text) == []


def test_a_template_tag_inside_a_fence_is_the_fences_text():
    text = "```liquid\n{% highlight ruby %}\n```\n\n<b>x</b>\n\n{% endhighlight %}\n"
    assert template_code(text) == [(0, text.index("\n\n<b>"))]


def test_markdown_code_inside_a_template_block_is_part_of_it():
    text = ("Intro.\n\n{% highlight markdown %}\n```\nfenced\n```\n\n    <b>indented</b>\n\n"
            "{% endhighlight %}\n\n    <i>indented after</i>\n")
    end = text.index("{% endhighlight %}") + len("{% endhighlight %}")
    after = text.index("    <i>")
    assert template_code(text) == [(8, end), (after, len(text) - 1)]
    assert Document("a.md", text).scan.indented == ((after, len(text) - 1),)  # the sample's own line is not


def test_a_fence_line_in_a_template_block_opens_no_fence_past_it():
    # a sample of Markdown showing a fence's first line: the generator's code, not a fence
    # running on over the prose after the closing tag
    text = "Intro.\n\n{% highlight markdown %}\n```ruby\n{% endhighlight %}\n\n<b style=\"color: red\">x</b>\n"
    assert template_code(text) == [(8, text.index("\n\n<b"))]
    assert [(f.line, f.column, f.rule) for f in lint_string(text, ["inline-style"])] == [(7, 4, "inline-style")]
    # a fence after the block is one of its own, and a template block after it is found
    text = ("{% highlight markdown %}\n```\n{% endhighlight %}\n\nText.\n\n```\n<b>\n```\n\n"
            "{% highlight html %}\n<i>\n{% endhighlight %}\n")
    first, second = text.index("\n\nText"), text.index("{% highlight html")
    assert template_code(text) == [(0, first), (text.index("```\n<b>"), text.index("\n\n{% highlight html")),
                                   (second, len(text) - 1)]


def test_rules_skip_what_a_template_code_block_holds():
    text = ("---\ntitle: Styling a button\n---\n\nHere is the markup.\n\n"
            "{% highlight html %}\n"
            '<button style="color: red">Go</button>\n'
            "<img src=button.png>\n"
            "<!-- 责任编辑：x -->\n"
            "{% endhighlight %}\n\n"
            '<button style="color: red">Go</button>\n')
    found = [(f.line, f.column, f.rule) for f in lint_string(text, ["inline-style", "image-alt", "leftover-markup"],
                                                              files={"button.png": b"\x89PNG"})]
    assert found == [(13, 9, "inline-style")]  # the button after the block, not the one in it


INNER = """<p style="color:red">中文,文字!!</p>
<img src="missing.png">
##
电话：13812345678，微信：abc_123
[link](javascript:void(0))
![](nothere.jpg)
<div>![图](a.jpg)</div>
“未闭合的引号
中文 ，标点
关注公众号 扫码关注
<!-- comment -->
&#123; x &#125;
[caption id="1"]x[/caption]
****
中文--中文
"""
HEAD = "---\ntitle: 测试文章标题\nauthor: 王五\ndate: 2024-01-02\n---\n\n正文开始。\n\n"
TAIL = "\n正文结束。\n\n责任编辑：李四\n"


@pytest.mark.parametrize("opening, closing", [
    ("{% highlight html %}", "{% endhighlight %}"),
    ("{% codeblock lang:html %}", "{% endcodeblock %}"),
    ("{{< highlight html >}}", "{{< /highlight >}}"),
])
def test_every_rule_reads_a_template_code_block_as_it_reads_a_fence(opening, closing):
    from lintnews.plugins import collect_rules, plugin_manager

    every = sorted(set(collect_rules(plugin_manager())) - {"banned-terms"})

    def found(text):
        return [(f.line, f.column, f.rule) for f in lint_string(text, every)]

    plain = found(HEAD + INNER + TAIL)
    assert len({rule for _, _, rule in plain}) >= 10  # what the sample trips outside code
    assert found(HEAD + f"{opening}\n{INNER}{closing}\n" + TAIL) == found(HEAD + f"```html\n{INNER}```\n" + TAIL) == []


# -- the search for template code blocks: linear, and as the plain definition finds them --

def _by_definition(text: str, start: int, end: int, found: list[CodeBlock], left: list | None = None) \
        -> list[tuple[int, int]]:
    """The template code blocks of ``text[start:end]`` (see ``with_template_code``), one opening
    tag after another with one pattern, each closing tag looked for anew; the openings that
    nothing closes added to ``left``."""
    from lintnews.blocks import _template_code_end

    tag = re.compile(r"\{(?:%-?[ \t]*(highlight|codeblock|code)(?![\w-])([^\n]*?)-?%\}"
                     r"|\{[<%][ \t]*highlight(?![\w-])([^\n]*?)[>%]\}\})")
    blocks, pos = [], start
    while (opening := tag.search(text, pos, end)) is not None:
        pos = opening.end()
        name, arguments, hugo = opening.group(1, 2, 3)
        line_start = text.rfind("\n", start, opening.start()) + 1 or start
        line_end = text.find("\n", pos, end)
        language = arguments if name == "highlight" else hugo
        if (text[line_start:opening.start()].strip() or text[pos:end if line_end < 0 else line_end].strip()
                or language is not None and not language.strip()):
            continue
        if any(block.start <= line_start < block.end for block in found):
            continue
        closing = _template_code_end(name).search(text, pos, end)
        if closing is not None:
            blocks.append((line_start, closing.end()))
            pos = closing.end()
        elif left is not None:
            left.append((opening.start(), opening.end(), name))
    return blocks


def _template_only(text: str, start: int, end: int, found: list[CodeBlock], left: list | None = None) \
        -> list[tuple[int, int]]:
    from lintnews.blocks import _template_blocks

    if not any(mark in text[start:end] for mark in ("{%", "{{<", "{{%")):
        return []
    return [(block.start, block.end) for block in _template_blocks(text, start, end, found, left)]


_PIECES = ["{% highlight ruby %}", "{% endhighlight %}", "{% highlight", " %}", "%}", "-%}", "{%- code -%}",
           "{% codeblock %}", "{% endcodeblock %}", "{% endcode %}", "{{< highlight go >}}", "{{< /highlight >}}",
           "{{% highlight %}}", "{{%/highlight%}}", "{{<", "}}", "\n", "\n", " ", "x", "```", "    ", "\t"]


def test_the_search_finds_what_the_definition_finds_on_crafted_texts():
    import random

    lines = ["{% highlight ruby %}", "{% endhighlight %}", "{%- highlight html -%}", "{% codeblock %}",
             "{% endcodeblock %}", "{% code %}", "{% endcode %}", "{{< highlight go >}}", "{{< /highlight >}}",
             "x", "", "```", "    x", "{% highlight", "a {% highlight ruby %}", "{% code %} {% endcode %}"]
    rng = random.Random(7)
    for number in range(6000):
        if number % 2:  # whole lines, openings and closings among them
            text = "\n".join(rng.choice(lines) for _ in range(rng.randint(0, 20)))
        else:
            text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 30)))
        start = rng.randrange(len(text) + 1)
        end = rng.randrange(start, len(text) + 1)
        found = code_blocks(text, start, end)
        left, left_by_definition = [], []
        assert _template_only(text, start, end, found, left) == _by_definition(text, start, end, found,
                                                                               left_by_definition), (text, start, end)
        assert left == left_by_definition, (text, start, end)


def test_the_search_finds_what_the_definition_finds_on_any_text():
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=3)).map("".join))
    def check(text):
        found = code_blocks(text, 0, len(text))
        left, left_by_definition = [], []
        assert _template_only(text, 0, len(text), found, left) == _by_definition(text, 0, len(text), found,
                                                                                 left_by_definition)
        assert left == left_by_definition

    check()


# -- a template code block that nothing closes stops the site's build --

@pytest.mark.parametrize("opening, closing", [
    ("{% highlight ruby %}", "{% endhighlight %}"),
    ("{%- highlight ruby -%}", "{% endhighlight %}"),
    ("{% codeblock lang:js %}", "{% endcodeblock %}"),
    ("{% code %}", "{% endcode %}"),
    ("{{< highlight go >}}", "{{< /highlight >}}"),
    ("{{% highlight go %}}", "{{% /highlight %}}"),
])
def test_a_template_code_block_that_nothing_closes_is_reported_at_its_tag(opening, closing):
    text = f"Intro.\n\n  {opening}\nputs 1\n\nMore text.\n"
    findings = lint_string(text, ["code-fence-unclosed"])
    builds = "Hugo stops" if opening.startswith("{{") else "Jekyll, Eleventy and Hexo stop"
    assert [(f.line, f.column, f.end_line, f.end_column, f.message) for f in findings] == [
        (3, 3, 3, 3 + len(opening), f"'{opening}' is never closed by '{closing}': {builds} the site's build at it")]


def test_each_template_code_block_left_open_is_reported_and_a_closed_one_is_not():
    text = ("{% highlight ruby %}\nputs 1\n{% endhighlight %}\n\n{% codeblock %}\nx\n\n"
            "{% highlight js %}\ny\n")  # the closing before it closes no later opening
    findings = lint_string(text, ["code-fence-unclosed"])
    assert [(f.line, f.column, f.end_column) for f in findings] == [(5, 1, 16), (8, 1, 19)]


@pytest.mark.parametrize("text", [
    "Intro.\n\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n",  # closed
    "Intro.\n\n```liquid\n{% highlight ruby %}\n```\n",  # shown in a fence
    "Intro.\n\n{% raw %}\n{% highlight ruby %}\n{% endraw %}\n",  # shown as text by Liquid
    "Intro.\n\n{%- comment -%}\n{% highlight ruby %}\n{%- endcomment -%}\n",  # dropped by Liquid
    "Intro.\n\n{% highlight html %}\n{% highlight ruby %}\n{% endhighlight %}\n",  # a sample of one
    "See {% highlight ruby %} in the docs.\n",  # not alone on its line: opens nothing
    "{{< highlight >}}marked words\n",  # no language: no code block
    "{{</* highlight go */>}}\n",  # Hugo's way of showing a shortcode as written
])
def test_what_leaves_no_template_code_block_open(text):
    assert lint_string(text, ["code-fence-unclosed"]) == []


def test_an_html_article_is_not_read_for_template_code_left_open():
    from lintnews.testing import lint_files

    findings = lint_files({"page.html": "<p>x</p>\n{% highlight ruby %}\nputs 1\n"}, ["code-fence-unclosed"])
    assert findings == []

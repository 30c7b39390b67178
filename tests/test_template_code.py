"""Template code blocks of site generators ({% highlight %}, {% codeblock %}, {{< highlight >}}):
code, as the generator reads them before the Markdown, and skipped by the rules like a fence."""
from __future__ import annotations

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

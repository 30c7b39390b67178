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

"""Small repositories in the shapes of real article repositories, written for the survey tests:
a Hexo site of scraped Chinese reposts, an English Hugo blog, an LCTT-style translation project
with metadata headers, a Jekyll site with dated post names, an Astro site with ``pubDate``."""
from __future__ import annotations

from pathlib import Path


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def hexo_zh(root: Path, count: int = 30, credited: int = 20) -> Path:
    """Scraped Sina-style posts: CMS comments, images without alt, an editor credit in ``credited``."""
    write(root / "_config.yml", "title: 财经转载\ntheme: landscape\n")
    write(root / "scaffolds" / "post.md", "---\ntitle: {{ title }}\n---\n")
    for i in range(count):
        credit = "<p>责任编辑：王蒙 SF00{}</p>\n".format(i) if i < credited else ""
        write(root / "source" / "_posts" / f"news-{i}.md", f"""---
title: 沪指收涨第{i}天
date: 2022-08-{i % 28 + 1:02d} 13:42:00
author: 新浪财经
headimg: https://n.sinaimg.cn/finance/{i}.png
---
<!-- 正文下iframe -->
<p>新华社北京8月2日电，沪指今日收涨，成交额放大，市场情绪回暖，券商板块领涨。</p>
<p><img src="https://n.sinaimg.cn/finance/{i}.png"></p>
<p>分析人士认为，后市仍需关注政策面的变化和资金面的走向。</p>
{credit}""")
    return root


def _word(number: int) -> str:
    """A made-up word for each number ("aa", "ba", ... "baa"): posts that differ in words, not
    only in numbers or image paths, are not copies of one another."""
    return "".join(chr(ord("a") + int(digit)) for digit in str(number)) + "a"


def hugo_en(root: Path, count: int = 24) -> Path:
    """An English Hugo blog: a TOC directive and YouTube embeds in most posts, alt text on images."""
    write(root / "config.toml", 'baseURL = "https://example.org/"\n')
    for i in range(count):
        write(root / "static" / "img" / f"chart-{i}.png", "not empty")
        write(root / "content" / "news" / f"post-{i}.md", f"""---
title: "Open data update {i}"
date: 2023-05-{i % 28 + 1:02d}
authors: [jane-doe]
summary: What changed in the open data portal this week.
---
<!-- TOC depthFrom:2 -->
- [What changed](#what-changed)
<!-- /TOC -->

## What changed

The portal now publishes weekly extracts, and the team answered questions from {_word(i)} agencies.

![Weekly downloads by {_word(i)} agencies](/img/chart-{i}.png)

<iframe src="https://www.youtube.com/embed/v{i}"></iframe>
""")
    return root


def lctt(root: Path, count: int = 24) -> Path:
    """Translations with ``[#]: key: "value"`` metadata headers and dated file names."""
    for i in range(count):
        write(root / "published" / "201908" / f"201908{i % 28 + 1:02d} Open source news {i}.md", f"""\
[#]: collector: (lujun9972)
[#]: translator: (wxy)
[#]: reviewer: (wxy)
[#]: publisher: (wxy)
[#]: url: (https://linux.cn/article-{11000 + i}-1.html)
[#]: subject: (Open source news {i})
[#]: via: (https://opensource.com/article/19/8/news-{i})
[#]: author: (Lauren Maffeo https://opensource.com/users/lmaffeo)

开源新闻综述：第{i}期
======

> 不要错过最近两周最大的开源新闻。

在本期开源新闻综述中，我们分享了开源社区的最新动态以及你应该知道的更多新闻。

![][1]

--------------------------------------------------------------------------------

via: https://opensource.com/article/19/8/news-{i}

作者：[Lauren Maffeo][a]
译者：[wxy](https://github.com/wxy)
校对：[wxy](https://github.com/wxy)

[1]: https://opensource.com/sites/default/files/news.png
""")
    return root


def jekyll_dated(root: Path, count: int = 24) -> Path:
    """Jekyll posts dated by their file names, without a date key, no editor credits."""
    for i in range(count):
        write(root / "_posts" / f"2018-07-{i % 28 + 1:02d}-post-{i}.md", f"""---
layout: post
title: Release notes {i}
author: openSUSE
---
The project released a new build this week, with fixes for the installer and the desktop.
""")
    return root


def astro(root: Path, count: int = 24) -> Path:
    """An Astro content collection with ``pubDate`` and a ``cover`` mapping."""
    write(root / "astro.config.mjs", "export default {};\n")
    for i in range(count):
        write(root / "src" / "content" / "news" / f"{202305251803 + i}.md", f"""---
title: "Live-Action《向井君》公布第{i}位演员"
pubDate: 2023-05-25T05:40:00-04:00
description: "官网公布了真人剧的演员。"
author: "Rafael Antonio Pineda"
cover:
  url: 'https://cdn.163.com/cast-{i}.jpg'
---

![cover](https://cdn.163.com/cast-{i}.jpg)

官方网站公布了由根本凪原作的漫画改编的真人剧的演员阵容，演员包括三位新人。
""")
    return root


def astro_blog(root: Path, count: int = 12) -> Path:
    """Astro's blog template: MDX posts with ``pubDate: 'Jul 08 2022'``, a hero image from ``src/assets``
    imported by a component, and images in ``public/``."""
    write(root / "package.json", '{"name": "blog", "dependencies": {"astro": "^4.0.0"}}\n')
    write(root / "astro.config.mjs", "export default {};\n")
    write(root / "public" / "diagram.png", "not empty")
    write(root / "src" / "assets" / "hero.jpg", "not empty")
    for i in range(count):
        write(root / "src" / "content" / "blog" / f"post-{i}.mdx", f"""---
title: 'Post number {_word(i)}'
description: 'What changed in release {i}.'
pubDate: 'Jul {i % 28 + 1:02d} 2022'
heroImage: '../../assets/hero.jpg'
---
import {{ Image }} from 'astro:assets';
import hero from '../../assets/hero.jpg';

<Image src={{hero}} alt="A mountain at dawn" />

Release {i} makes the {_word(i)} search faster and fixes the {_word(i + 40)} page; the {_word(i + 80)}
team wrote most of it. Upgrade with `npm update`.

![How the parts fit together](/diagram.png)
""")
    return root


def hugo_toml(root: Path, count: int = 12) -> Path:
    """A Hugo site with TOML front matter (and a few posts in JSON), page bundles and shortcodes."""
    write(root / "hugo.toml", 'baseURL = "https://example.org/"\n')
    write(root / "static" / "images" / "search.png", "not empty")
    for i in range(count):
        bundle = root / "content" / "posts" / f"post-{i}"
        write(bundle / "cover.jpg", "not empty")
        head = (f'+++\ntitle = "Field notes {_word(i)}"\ndate = 2024-05-{i % 28 + 1:02d}T09:00:00-04:00\n'
                f'author = "Dana Reyes"\ntags = ["notes"]\n[params]\nsubtitle = "Week {i}"\n+++\n')
        if i % 4 == 3:
            head = (f'{{\n  "title": "Field notes {_word(i)}",\n  "date": "2024-05-{i % 28 + 1:02d}T09:00:00-04:00",\n'
                    f'  "author": "Dana Reyes",\n  "tags": ["notes"]\n}}\n')
        write(bundle / "index.md", head + f"""
The {_word(i)} archive is live. {{{{< figure src="cover.jpg" alt="The front page of the {_word(i)} archive" >}}}}

Readers can search every issue back to 19{i + 70}; the {_word(i + 50)} guide has tips.

![The search box](/images/search.png)
""")
    return root


def jekyll_file_name_alt(root: Path, count: int = 12) -> Path:
    """A Jekyll archive of Chinese reposts whose editor writes each image's file name as its alt
    text (``![01.jpg](...)``, ``alt="02"``); a third of the posts describe one image, and the
    first post has an ``<img>`` without alt."""
    write(root / "_config.yml", "title: 转载存档\n")
    for i in range(count):
        slug = f"2018-06-{i % 28 + 1:02d}-report-{i}"
        described = f"![停工第{i}天，工人在厂门口等待答复](/img/{slug}/03.jpg)\n" if i % 3 == 0 else ""
        missing = f'<p><img src="/img/{slug}/04.jpg"></p>\n' if i == 0 else ""
        write(root / "_posts" / f"{slug}.md", f"""---
layout: post
title: 工厂停工后的第{i}天
date: 2018-06-{i % 28 + 1:02d}
---
工人们在厂门口等了一整天，没有等到答复。

![01.jpg](/img/{slug}/01.jpg)

<p><img src="/img/{slug}/02.jpg" alt="02"></p>

{described}{missing}当晚，他们决定第二天继续等待。
""")
    return root


def hexo_sources(root: Path) -> Path:
    """``hexo_zh`` (Sina posts, 20 of 30 credited) with posts from sources that print no credit:
    199IT and IT 之家 (named in ``author``, as the scraper writes them) and one 知乎 answer."""
    hexo_zh(root)
    for source, count in (("199IT", 5), ("IT 之家", 3), ("知乎", 1)):
        for i in range(count):
            write(root / "source" / "_posts" / f"{source}-{i}.md", f"""---
title: {source} 数据速览第{i}期
date: 2022-07-{i + 1:02d} 09:00:00
author: {source}
headimg: https://cdn.163.com/{i}.png
---
<p>{source} {i + 1} 月 {i + 2} 日消息，报告显示，国内云服务市场规模持续增长。</p>
""")
    return root

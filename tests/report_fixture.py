"""A small news repository for the HTML report's tests: folders, categories, authors, editors,
months, and one article whose title, alt text and body carry script payloads."""
from __future__ import annotations

from pathlib import Path

from articles import CLEAN

# Every payload, if it ever ran, would set window.__pwned.
PAYLOAD_TITLE = '<script>window.__pwned="title"</script><img src=x onerror="window.__pwned=\'title-img\'">'

ARTICLES = {
    "news/markets/stocks-close.md": """\
---
title: 沪指收涨
date: 2022-08-02
author: 新华社
categories: [财经]
---

<p style="text-align:center">股市收涨！！</p>
<img src="https://cdn.163.com/chart.png">

责任编辑：王蒙
""",
    "news/markets/bond-yields.md": """\
---
title: Bond yields fall
date: 2022-09-14
source: Reuters
categories: [财经]
---

<p><font color="red">Yields fell</font> on Tuesday.</p>

Editor: Jane Roe
""",
    "news/tech/chip-launch.md": """\
---
title: 新芯片发布
date: 2023-01-05
author: 科技日报
tags: [科技]
---

<p>新芯片今天发布。。。</p>
<!-- cms:block -->
<p>　　</p>

责任编辑：李雷
""",
    "news/tech/one-line-body.md": """\
---
title: 一行正文
date: 2023-01-06
author: 科技日报
tags: [科技]
---

<p>""" + "正文" * 100 + '😀<font color="red">红字</font>' + "正文" * 100 + '<font color="blue">蓝字</font>'
    + "正文" * 5 + "<font>字</font>" + """</p>

责任编辑：李雷
""",
    "opinion/column.md": """\
---
title: A column
date: 2023-01-20
author: Columnist
---

Some opinion without a credit line.
""",
    "opinion/clean.md": CLEAN,
    "payload/xss.md": f"""\
---
title: '{PAYLOAD_TITLE.replace("'", "''")}'
date: 2023-02-01
author: '<img src=x onerror="window.__pwned=''author''">'
categories: ['<script>window.__pwned="category"</script>']
---

<img src="missing.png" alt="<img src=x onerror=window.__pwned='alt'>">
<script>window.__pwned = "body";</script>
<p>Click <a href="javascript:window.__pwned='href'" onclick="window.__pwned='click'">here</a>\u2028</script><!--</p>

责任编辑：<img src=x onerror="window.__pwned='editor'">王蒙
""",
}


def write_repository(root: Path) -> Path:
    """The articles under ``root`` (made a repository root), which is returned."""
    (root / ".git").mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def write_many(root: Path, files: int = 150) -> Path:
    """``files`` articles under ``root`` (made a repository root), about 16 findings each: short
    and long lines, several findings on one line, emoji, CJK text and script payloads, in a
    few folders, sources, editors and months; ``root`` is returned."""
    (root / ".git").mkdir(parents=True, exist_ok=True)
    for index in range(files):
        long_line = ("正文" * (30 + index % 50) + '😀<font color="red">红字</font>' + "文" * (index % 90)
                     + '<font color="blue">蓝</font>' + "字" * 100 + "</p>")
        body = "\n".join([
            f'<p style="text-align:center">第{index}条！！</p>',
            "<p>" + long_line,
            f'<p>Click <a href="javascript:x" onclick="window.__pwned={index}">here</a></script><!--</p>',
            "<p>　　</p>",
            "<!-- cms:block -->",
            '<img src="missing.png">',
            "<p>重复。。。</p>" * (1 + index % 3),
        ])
        path = root / f"desk-{index % 4}" / f"{2020 + index % 3}" / f"article-{index:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: '第{index}篇 <b>{index}</b>'\ndate: 202{index % 3}-0{1 + index % 9}-15\n"
                        f"author: 作者{index % 7}\n---\n\n{body}\n\n责任编辑：编辑{index % 5}\n", encoding="utf-8")
    return root

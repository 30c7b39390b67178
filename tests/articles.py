"""Article texts shared by the end-to-end tests."""

# passes every default rule
CLEAN = """\
---
title: Markets close higher
date: 2022-08-02
author: Xinhua
---

<p>Shares rose on Tuesday.</p>

责任编辑：王蒙
"""

"""The HTML report in a real browser: headless Chromium from the system's packages, driven by
Selenium through the system's chromedriver.

It checks the tiles against the JSON output of the same articles, filters by rule and by
folder, opens a file's findings, takes a screenshot, and finds no console error and no
executed payload. In CI (``CI=true``) a missing browser fails the test instead of skipping it.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from report_fixture import PAYLOAD_TITLE, write_many, write_repository

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def _missing() -> str:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if not (CHROMIUM and CHROMEDRIVER):
        return "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
    return ""


@pytest.fixture(scope="module")
def browser():
    missing = _missing()
    if missing:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"the browser test must run in CI: {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield driver
    driver.quit()


def lintnews(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "LINTNEWS_DEBUG"}
    return subprocess.run([sys.executable, "-m", "lintnews", "check", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The fixture repository, its findings as JSON and the HTML report of the same articles."""
    root = write_repository(tmp_path_factory.mktemp("repo"))
    assert lintnews(root, "--output-format", "json", "--output-file", "findings.json").returncode == 1
    assert lintnews(root, "--output-format", "html", "--output-file", "report.html").returncode == 1
    return root, json.loads((root / "findings.json").read_text(encoding="utf-8"))


def open_report(browser, root: Path) -> None:
    browser.get((root / "report.html").as_uri())
    browser.execute_script("window.__pwned = undefined;")  # anything set from now on is a payload
    assert browser.execute_script("return document.documentElement.dataset.ready") is not None


def rows(browser) -> dict[str, int]:
    """The table's files and their totals."""
    return {row.find_element("css selector", "td.path span").text: int(row.find_elements("css selector", "td")[-1].text)
            for row in browser.find_elements("css selector", "#files tbody tr.file")}


def wait_until(browser, condition) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 5, ignored_exceptions=[StaleElementReferenceException]).until(condition)


def choose(browser, select_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", select_id)).select_by_value(value)


def test_report_in_chromium(browser, made):
    root, findings = made
    open_report(browser, root)

    tiles = {tile.get_attribute("data-tile"): int(tile.find_element("css selector", ".value").text.replace(",", ""))
             for tile in browser.find_elements("css selector", "#tiles .tile")}
    severities = Counter(finding["severity"] for finding in findings)
    assert tiles == {"checked": 7, "with-problems": len({f["path"] for f in findings}),
                     "error": severities["error"], "warning": severities["warning"], "info": severities["info"],
                     "rules": len({f["rule"] for f in findings})}
    assert rows(browser) == Counter(f["path"] for f in findings)

    rule_options = {option.text.split(" ")[0]: option.get_attribute("value")
                    for option in browser.find_elements("css selector", "#f-rule option")
                    if option.get_attribute("value")}
    choose(browser, "f-rule", rule_options["leftover-markup"])
    assert rows(browser) == Counter(f["path"] for f in findings if f["rule"] == "leftover-markup")
    choose(browser, "f-rule", "")

    choose(browser, "f-folder", "news/markets")
    in_folder = Counter(f["path"] for f in findings if f["path"].startswith("news/markets/"))
    assert rows(browser) == in_folder and len(in_folder) == 2

    browser.find_element("css selector", 'tr.file[data-file] td.path').click()  # the first file, sorted by total
    first = "news/markets/stocks-close.md"  # the most findings of the folder
    assert in_folder.most_common(1) == [(first, 3)]
    shown = [item.find_element("css selector", ".pos").text
             for item in browser.find_elements("css selector", "tr.detail .finding")]
    assert shown == [f"{f['line']}:{f['column']}" for f in findings if f["path"] == first] == ["8:4", "8:34", "9:1"]
    source = [pre.text for pre in browser.find_elements("css selector", "tr.detail pre.src")]
    assert source[0] == source[1] == '8<p style="text-align:center">股市收涨！！</p>'
    assert browser.find_element("css selector", "tr.detail pre.src mark").text == "s"  # 8:4, the attribute

    choose(browser, "f-folder", "news/tech")
    browser.find_element("id", "f-search").send_keys("one-line")
    wait_until(browser, lambda b: list(rows(b)) == ["news/tech/one-line-body.md"])  # typing settles first
    browser.find_element("css selector", 'tr.file[data-file] td.path').click()
    marks = [mark.text for mark in browser.find_elements("css selector", "tr.detail pre.src mark")]
    # the first alone, the two near each other sharing a window; an emoji counts as one character
    assert marks == ["<", "<", "<"]
    browser.find_element("id", "f-clear").click()  # empties the search box too

    assert browser.find_element("id", "f-search").get_attribute("value") == ""
    choose(browser, "f-folder", "payload")
    browser.find_element("css selector", 'tr.file[data-file] td.path').click()
    title = browser.find_element("css selector", "#files td.path .title").text
    assert title == PAYLOAD_TITLE  # shown as text, every character of it
    lines = "\n".join(pre.text for pre in browser.find_elements("css selector", "tr.detail pre.src"))
    assert "onerror=window.__pwned='alt'" in lines and '<script>window.__pwned = "body";</script>' in lines
    browser.find_element("css selector", "tr.detail a[href^='#rule-']").click()
    assert browser.find_element("id", "rule-image-broken").get_attribute("open") == "true"  # its first finding's

    screenshot = root / "report.png"
    assert browser.save_screenshot(str(screenshot)) and screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert browser.execute_script("return window.__pwned") is None
    assert browser.execute_script("return document.querySelectorAll('img, script:not([type])').length") == 1
    errors = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert errors == []


def test_the_browser_decodes_the_same_data(browser, tmp_path):
    """A page with many findings: what the page's script decodes is the data Python packed."""
    from lintnews.output.html.data import unpack

    root = write_many(tmp_path)
    assert lintnews(root, "--output-format", "html", "--output-file", "report.html").returncode == 1
    page = (root / "report.html").read_text(encoding="utf-8")
    packed = unpack(re.search(r'id="report-data">([A-Za-z0-9+/=]*)</script>', page).group(1))
    open_report(browser, root)
    decoded = json.loads(browser.execute_script("return JSON.stringify(window.lintnewsReport)"))
    assert decoded == packed and len(decoded["findings"]["kind"]) > 1000
    shown = browser.find_element("css selector", '#tiles [data-tile="with-problems"] .value').text
    assert shown == str(sum(count > 0 for count in packed["files"]["findings"])) == "150"
    assert browser.execute_script("return window.__pwned") is None
    assert [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")] == []


def test_a_fragment_that_does_not_decode_is_ignored(browser, made):
    # a link cut short (#%E0%A4%A) opens the report as without a fragment; a rule's still opens it
    root, _ = made
    for fragment, opened in (("#%E0%A4%A", None), ("#rule-inline-style", "true")):
        browser.get("about:blank")
        browser.get((root / "report.html").as_uri() + fragment)
        wait_until(browser, lambda driver: driver.execute_script("return document.documentElement.dataset.ready"))
        assert browser.find_element("id", "rule-inline-style").get_attribute("open") == opened
        assert [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")] == []


def test_a_breakdown_by_what_no_article_names_is_left_out(browser, made, tmp_path):
    # the fixture's articles name sources and credit editors: both breakdowns show
    root, _ = made
    open_report(browser, root)
    assert [browser.find_element("id", name).is_displayed() for name in ("chart-source", "chart-editor")] == [True, True]
    assert [th.text for th in browser.find_elements("css selector", "#files th") if th.is_displayed()][1:4] == [
        "Category", "Source", "Editor"]
    # an English blog names no source and credits no editor: one bar of every finding each, left out
    (tmp_path / "post.md").write_text("---\ntitle: Hello\ndate: 2024-01-02\n---\n\n<p style=\"color:red\">Hi!</p>\n",
                                      encoding="utf-8")
    assert lintnews(tmp_path, "--isolated", "--output-format", "html", "--output-file", "report.html").returncode == 1
    open_report(browser, tmp_path)
    assert [browser.find_element("id", name).is_displayed() for name in ("chart-source", "chart-editor")] == [False, False]
    assert browser.find_element("id", "chart-rule").is_displayed()
    # and so are their columns of the table, headings and cells
    assert [th.text for th in browser.find_elements("css selector", "#files th") if th.is_displayed()] == [
        "File", "Category", "Month", "Errors", "Warnings", "Info", "Total"]
    assert len([td for td in browser.find_elements("css selector", "#files tr.file td") if td.is_displayed()]) == 7
    assert [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")] == []


def test_a_chart_left_alone_in_its_row_is_joined_by_the_chart_over_time(browser, tmp_path):
    # authors named, no editor credited: three half-width charts; the one over time fills the gap
    (tmp_path / "post.md").write_text("---\ntitle: Hello\ndate: 2024-01-02\nauthor: jane\n---\n\n"
                                      "<p style=\"color:red\">Hi!</p>\n", encoding="utf-8")
    # (a warning only: the run passes)
    assert lintnews(tmp_path, "--isolated", "--output-format", "html", "--output-file", "report.html").returncode == 0
    open_report(browser, tmp_path)
    source, editor, month = (browser.find_element("id", name) for name in ("chart-source", "chart-editor", "chart-month"))
    assert source.is_displayed() and not editor.is_displayed() and month.is_displayed()
    assert month.location["y"] == source.location["y"] and month.location["x"] > source.location["x"]
    assert month.size["width"] == source.size["width"]

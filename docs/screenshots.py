"""Screenshots of the HTML report for the README, at a desktop and a phone width.

Usage::

    cd ARCHIVE && lintnews check --output-format html --output-file /tmp/report.html
    python docs/screenshots.py /tmp/report.html docs/ [SEARCH]

Uses the system's headless Chromium and chromedriver through selenium (the test extra): the top
of the page at a desktop and at a phone width, and (with SEARCH) the findings of the first file
whose path or title holds SEARCH.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

SHOTS = {"report-desktop.png": (1280, 1210), "report-phone.png": (390, 1000)}


def main(report: Path, folder: Path, search: str = "") -> None:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "chromedriver"))
    try:
        for name, (width, height) in SHOTS.items():
            driver.set_window_size(width, height)
            driver.get(report.resolve().as_uri())
            driver.save_screenshot(str(folder / name))
        if search:
            driver.set_window_size(1280, 640)
            driver.find_element("id", "f-search").send_keys(search)
            WebDriverWait(driver, 5).until(lambda d: len(d.find_elements("css selector", "#files tr.file")) == 1)
            driver.find_element("css selector", "#files tr.file").click()
            driver.execute_script("window.scrollTo(0, document.querySelector('#files').getBoundingClientRect().top"
                                  " + scrollY - document.querySelector('#filters').offsetHeight - 12)")
            driver.save_screenshot(str(folder / "report-findings.png"))
    finally:
        driver.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), *sys.argv[3:4])

"""Screenshots of the HTML report for the README, at a desktop and a phone width.

Usage::

    cd ARCHIVE && lintnews check --output-format html --output-file /tmp/report.html
    python docs/screenshots.py /tmp/report.html docs/

Uses the system's headless Chromium and chromedriver through selenium (the test extra). The
desktop shot opens the first file's findings; the phone shot shows the top of the page.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

SHOTS = {"report-desktop.png": (1280, 1500, True), "report-phone.png": (390, 1500, False)}


def main(report: Path, folder: Path) -> None:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "chromedriver"))
    try:
        for name, (width, height, open_file) in SHOTS.items():
            driver.set_window_size(width, height)
            driver.get(report.resolve().as_uri())
            if open_file:
                row = driver.find_element("css selector", "#files tr.file")
                driver.execute_script("arguments[0].click(); window.scrollTo(0, 0);", row)
                # the page's top down to the opened file's findings
                driver.execute_script("document.querySelector('.charts').style.display = 'none';")
            driver.save_screenshot(str(folder / name))
    finally:
        driver.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))

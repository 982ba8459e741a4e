"""Browser fixtures: Debian's headless Chromium driven by Selenium through
Debian's chromedriver, axe-core from the npm registry, and the screenshot
artefact directory. Install the tools with ``scripts/browser-tools``; a
missing tool fails the tests (it never skips them)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE_JS = Path(ROOT) / ".local" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
#: Screenshots kept after the run (test artefacts).
ARTEFACTS = Path(ROOT) / ".local" / "artefacts" / "browser"

#: Headless Chromium as root, offline: no sandbox, no calls home.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1280,1400", "--lang=en",
)

# Selenium must use the paths given below and never download a driver or browser.
os.environ.setdefault("SE_OFFLINE", "true")


def _require(path: Path | str, what: str) -> None:
    assert os.path.exists(path), f"{what} is missing at {path}: run scripts/browser-tools"


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    """A fresh headless Chromium (own profile directory) for one test."""
    _require(CHROMIUM, "Chromium (Debian package chromium)")
    _require(CHROMEDRIVER, "chromedriver (Debian package chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(60)
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture
def axe_source() -> str:
    """axe-core's browser bundle (npm package axe-core, scripts/browser-tools)."""
    _require(AXE_JS, "axe-core (npm)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def artefacts() -> Path:
    """The directory that keeps screenshots after the run."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


def log_in(driver: webdriver.Chrome, base: str, name: str, password: str, lang: str = "en") -> None:
    """Log in through CKAN's login form."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base}/{lang}/user/login")
    driver.find_element(By.ID, "field-login").send_keys(name)
    driver.find_element(By.ID, "field-password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit].btn-primary").click()
    WebDriverWait(driver, 30).until(lambda d: "/user/login" not in d.current_url)

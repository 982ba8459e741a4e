"""A registered user submits a reuse through the Arabic UI (right-to-left) in
headless Chromium, links a dataset, a moderator approves it from the reuse
page, and the reuse shows in the dataset's "Reuses" tab. Real portal
process; screenshots in .local/artefacts/browser/."""
from __future__ import annotations

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.browser.conftest import ARTEFACTS, log_in
from tests.conftest import PORTAL_PLUGINS
from tests.reuse.helpers import publisher_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

PASSWORD = "Citoyen-2024-secret"
REUSE = {
    "name": "kharitat-almadaris",
    "title": {"ar": "خريطة المدارس العمومية", "fr": "Carte des écoles publiques"},
    "notes": {"ar": "تطبيق يعرض المدارس على الخريطة", "fr": "Une application qui montre les écoles"},
    "url": "https://apps.example.tn/madaris",
}


def _wait(driver: WebDriver, condition, what: str, seconds: int = 30) -> None:
    try:
        WebDriverWait(driver, seconds).until(condition)
    except TimeoutException:
        driver.save_screenshot(str(ARTEFACTS / "reuse-failure.png"))
        errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".error-explanation, .alert, h1")]
        raise AssertionError(f"{what} not reached at {driver.current_url}; messages: {errors}") from None


def _type(driver: WebDriver, field_id: str, text: str) -> None:
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def _click(driver: WebDriver, selector: str) -> None:
    button = driver.find_element(By.CSS_SELECTOR, selector)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
    button.click()


def _set_url_name(driver: WebDriver, name: str) -> None:
    field = driver.find_element(By.ID, "field-name")
    if not field.is_displayed():
        _click(driver, ".slug-preview button, .slug-preview a")
        WebDriverWait(driver, 5).until(EC.visibility_of(field))
    field.clear()
    field.send_keys(name)


def test_reuse_submitted_in_arabic_is_approved_and_shows_on_the_dataset(portal, browser, artefacts):
    base = portal["url"]
    citizen = factories.User(name="mouwaten", password=PASSWORD)
    factories.Sysadmin(name="mourajia", password=PASSWORD)
    dataset, _publisher = publisher_dataset()

    # the citizen submits the reuse in the Arabic UI
    log_in(browser, base, citizen["name"], PASSWORD, "ar")
    browser.get(f"{base}/ar/reuse/new")
    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    for lang in ("ar", "fr"):
        _type(browser, f"field-title_translated-{lang}", REUSE["title"][lang])
        _type(browser, f"field-notes_translated-{lang}", REUSE["notes"][lang])
    _set_url_name(browser, REUSE["name"])
    _type(browser, "field-url", REUSE["url"])
    Select(browser.find_element(By.ID, "field-reuse_type")).select_by_value("app")
    Select(browser.find_element(By.ID, "field-submitter_type")).select_by_value("student")
    browser.save_screenshot(str(artefacts / "reuse-form-ar.png"))
    _click(browser, "button[name=submit]")
    _wait(browser, lambda d: d.current_url.rstrip("/").endswith("/reuse/" + REUSE["name"]), "reuse page")
    assert REUSE["title"]["ar"] in browser.find_element(By.CSS_SELECTOR, "h1.heading").text
    assert browser.find_elements(By.CSS_SELECTOR, ".reuse-moderation-state")

    # ... and links the dataset from the reuse page
    _type(browser, "reuse-dataset-id", dataset["name"])
    _click(browser, ".reuse-dataset-add button[type=submit]")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".reuse-datasets li"), "linked dataset")
    assert call_action("reuse_show", {"user": "mourajia"}, id=REUSE["name"])["moderation_state"] == "pending"

    # not public yet
    browser.delete_all_cookies()
    browser.get(f"{base}/ar/dataset/{dataset['name']}/reuses")
    assert REUSE["title"]["ar"] not in browser.page_source

    # the moderator approves it from the reuse page
    log_in(browser, base, "mourajia", PASSWORD, "ar")
    browser.get(f"{base}/ar/reuse/{REUSE['name']}")
    _type(browser, f"moderator-note-{REUSE['name']}", "شكرا")
    _click(browser, ".reuse-moderation-form button[value=approved]")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".alert-success, .flash-messages .alert"),
          "moderation confirmation")
    assert call_action("reuse_show", {"user": "mourajia"}, id=REUSE["name"])["moderation_state"] == "approved"

    # anyone now sees it in the dataset's Reuses tab, in Arabic
    browser.delete_all_cookies()
    browser.get(f"{base}/ar/dataset/{dataset['name']}")
    tab_selector = "a[href$='/dataset/%s/reuses']" % dataset["name"]
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, tab_selector), "Reuses tab on the dataset page")
    tab = browser.find_element(By.CSS_SELECTOR, tab_selector)
    assert "(1)" in tab.text
    tab.click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".dataset-reuses .reuse-item"), "reuses tab")
    card = browser.find_element(By.CSS_SELECTOR, ".dataset-reuses .reuse-item h3 a")
    assert card.text == REUSE["title"]["ar"]
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", card) == "rtl"
    browser.save_screenshot(str(artefacts / "reuse-dataset-tab-ar.png"))
    card.click()
    launch = browser.find_element(By.CSS_SELECTOR, "a.reuse-launch")
    assert launch.get_attribute("href") == REUSE["url"]
    assert launch.get_attribute("rel") == "nofollow noopener"
    browser.save_screenshot(str(artefacts / "reuse-page-ar.png"))
    browser.get(f"{base}/ar/reuse")
    assert [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".reuse-gallery h3 a")] == [REUSE["title"]["ar"]]
    browser.save_screenshot(str(artefacts / "reuse-gallery-ar.png"))

"""A publisher creates a dataset through CKAN's web form in headless Chromium,
in the French UI and in the Arabic UI (right-to-left), on a real portal
server process. Screenshots are kept in .local/artefacts/browser/."""
from __future__ import annotations

from pathlib import Path

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

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

PASSWORD = "Publieur-2024-secret"

#: What the publisher types, per UI language of the form.
DATASETS = {
    "fr": {
        "name": "production-agricole-jendouba",
        "title": {"ar": "الإنتاج الفلاحي بولاية جندوبة", "fr": "Production agricole à Jendouba"},
        "notes": {"ar": "الإنتاج السنوي للحبوب حسب المعتمدية", "fr": "Production annuelle de céréales par délégation"},
        "tags": {"ar": "فلاحة، حبوب", "fr": "agriculture, céréales"},
        "resource_name": {"ar": "الإنتاج 2024", "fr": "Production 2024"},
        "resource_url": "https://data.example.tn/jendouba/production.csv",
    },
    "ar": {
        "name": "mawarid-miyah-nabeul",
        "title": {"ar": "الموارد المائية بولاية نابل", "fr": "Ressources en eau de Nabeul"},
        "notes": {"ar": "مخزون السدود والآبار العميقة", "fr": "Réserves des barrages et des forages profonds"},
        "tags": {"ar": "مياه، سدود", "fr": "eau, barrages"},
        "resource_name": {"ar": "مخزون السدود 2024", "fr": "Réserves des barrages 2024"},
        "resource_url": "https://data.example.tn/nabeul/eau.csv",
    },
}


@pytest.fixture
def publisher() -> dict:
    """An editor of one organisation, with a known password."""
    user = factories.User(name="publieur", password=PASSWORD)
    org = factories.Organization(
        name="ministere-agriculture",
        title_translated={"ar": "وزارة الفلاحة", "fr": "Ministère de l'Agriculture"},
    )
    call_action("organization_member_create", {"user": factories.Sysadmin()["name"]},
                id=org["id"], username=user["name"], role="editor")
    return {"user": user, "org": org}


def _wait(driver: WebDriver, seconds: int = 30) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def _type(driver: WebDriver, field_id: str, text: str) -> None:
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def _choose_first(driver: WebDriver, field_id: str) -> str:
    """Pick the first real option of a select; returns its value."""
    select = Select(driver.find_element(By.ID, field_id))
    option = next(o for o in select.options if o.get_attribute("value"))
    select.select_by_value(option.get_attribute("value"))
    return option.get_attribute("value")


def _set_url_name(driver: WebDriver, name: str) -> None:
    """The dataset URL: CKAN's slug preview hides the input behind an Edit button."""
    field = driver.find_element(By.ID, "field-name")
    if not field.is_displayed():
        driver.find_element(By.CSS_SELECTOR, ".slug-preview button, .slug-preview a").click()
        _wait(driver, 5).until(EC.visibility_of(field))
    field.clear()
    field.send_keys(name)


def _fill_dataset_stage(driver: WebDriver, content: dict, org_id: str) -> None:
    for lang in ("ar", "fr"):
        _type(driver, f"field-title_translated-{lang}", content["title"][lang])
        _type(driver, f"field-notes_translated-{lang}", content["notes"][lang])
        _type(driver, f"field-tags_translated-{lang}", content["tags"][lang])
    _set_url_name(driver, content["name"])
    _choose_first(driver, "field-theme")
    Select(driver.find_element(By.ID, "field-license_id")).select_by_value("lndpo-tn")
    Select(driver.find_element(By.ID, "field-personal_data_declaration")).select_by_value("no_personal_data")
    Select(driver.find_element(By.ID, "field-organizations")).select_by_value(org_id)
    Select(driver.find_element(By.ID, "field-private")).select_by_value("False")


def _add_link_resource(driver: WebDriver, content: dict) -> None:
    """Stage 2: a resource given as a link (CKAN's Upload/Link widget), named per language."""
    field = driver.find_element(By.ID, "field-resource-url")
    if not field.is_displayed():
        driver.find_element(By.ID, "resource-link-button").click()
        _wait(driver, 5).until(EC.visibility_of(field))
    field.send_keys(content["resource_url"])
    for lang, name in content["resource_name"].items():
        _type(driver, f"field-name_translated-{lang}", name)


def _submit(driver: WebDriver, value: str | None = None) -> None:
    selector = f"button[name=save][value='{value}']" if value else "button[name=save].btn-primary"
    button = driver.find_element(By.CSS_SELECTOR, selector)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
    button.click()


def _reached(driver: WebDriver, condition, what: str) -> None:
    """Wait for ``condition``; on time-out fail with the page's form errors."""
    try:
        _wait(driver).until(condition)
    except TimeoutException:
        errors = [e.text for e in driver.find_elements(
            By.CSS_SELECTOR, ".error-explanation, .alert-danger, .alert-error, .error-block")]
        driver.save_screenshot(str(ARTEFACTS / "failure.png"))
        heading = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "h1")][:1]
        raise AssertionError(f"{what} not reached; at {driver.current_url} ({driver.title!r}, {heading}); "
                             f"form errors: {errors}; screenshot: {ARTEFACTS / 'failure.png'}") from None


def _screenshot(driver: WebDriver, path: Path) -> Path:
    driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    assert driver.save_screenshot(str(path)), path
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 20_000, f"{path} looks blank"
    return path


def _create_through_form(driver: WebDriver, base: str, lang: str, publisher: dict,
                         artefacts: Path) -> dict:
    content = DATASETS[lang]
    log_in(driver, base, publisher["user"]["name"], PASSWORD, lang)
    driver.get(f"{base}/{lang}/dataset/new")
    _fill_dataset_stage(driver, content, publisher["org"]["id"])
    _screenshot(driver, artefacts / f"dataset-form-{lang}.png")
    _submit(driver)
    _reached(driver, EC.presence_of_element_located((By.ID, "field-resource-url")), "resource form")
    assert f"/{lang}/dataset/{content['name']}/resource/new" in driver.current_url, driver.page_source[:3000]
    _add_link_resource(driver, content)
    _submit(driver, "go-metadata")
    _reached(driver, lambda d: d.current_url.rstrip("/").endswith(f"/{lang}/dataset/{content['name']}"),
             "dataset page")
    return content


def test_publisher_creates_a_dataset_in_the_french_ui(portal, browser, publisher, artefacts):
    content = _create_through_form(browser, portal["url"], "fr", publisher, artefacts)

    heading = browser.find_element(By.CSS_SELECTOR, "article h1, .module-content h1")
    assert content["title"]["fr"] in heading.text
    assert browser.execute_script("return document.documentElement.lang") == "fr"
    assert browser.execute_script("return document.documentElement.dir") in ("", "ltr")
    _screenshot(browser, artefacts / "dataset-fr.png")

    stored = call_action("package_show", id=content["name"])
    assert stored["title_translated"] == content["title"]
    assert stored["tags_translated"]["fr"] == ["agriculture", "céréales"]
    assert stored["personal_data_declaration"] == "no_personal_data"
    assert [r["url"] for r in stored["resources"]] == [content["resource_url"]]
    assert stored["resources"][0]["name_translated"] == content["resource_name"]


def test_publisher_creates_a_dataset_in_the_arabic_ui_right_to_left(portal, browser, publisher, artefacts):
    content = _create_through_form(browser, portal["url"], "ar", publisher, artefacts)

    heading = browser.find_element(By.CSS_SELECTOR, "article h1, .module-content h1")
    assert content["title"]["ar"] in heading.text
    assert browser.execute_script("return document.documentElement.lang") == "ar"
    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", heading) == "rtl"
    screenshot = _screenshot(browser, artefacts / "dataset-ar.png")
    assert screenshot.exists()

    stored = call_action("package_show", id=content["name"])
    assert stored["title_translated"] == content["title"]
    assert stored["tags_translated"]["ar"] == ["مياه", "سدود"]
    assert [r["url"] for r in stored["resources"]] == [content["resource_url"]]
    assert stored["resources"][0]["name_translated"] == content["resource_name"]

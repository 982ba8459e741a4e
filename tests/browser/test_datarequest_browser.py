"""A citizen files a data request in the French UI, a ministry editor
answers it in the Arabic UI (right-to-left) and fulfils it with a dataset,
and the citizen sees the timeline: headless Chromium on a real portal
server process. Screenshots are kept in .local/artefacts/browser/."""
from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.browser.conftest import log_in
from tests.conftest import PORTAL_PLUGINS
from tests.reuse.helpers import dataset as make_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

PASSWORD = "Demandeur-2024-secret"
TITLE = "Horaires des trains de banlieue de Tunis"
ANSWER = "تم نشر الجداول الزمنية لجميع الخطوط"


@pytest.fixture
def people() -> dict:
    citizen = factories.User(name="citoyenne", password=PASSWORD)
    editor = factories.User(name="editeur-transport", password=PASSWORD)
    org = factories.Organization(
        name="ministere-transport",
        title_translated={"ar": "وزارة النقل", "fr": "Ministère du Transport"},
        users=[{"name": editor["name"], "capacity": "editor"}])
    dataset = make_dataset(org["id"], name="horaires-trains-banlieue",
                           title_translated={"ar": "مواقيت قطارات الضاحية",
                                             "fr": "Horaires des trains de banlieue"})
    return {"citizen": citizen, "editor": editor, "org": org, "dataset": dataset,
            "moderator": factories.Sysadmin()}


def _wait(driver: WebDriver, seconds: int = 30) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def _click(driver: WebDriver, selector: str) -> None:
    button = driver.find_element(By.CSS_SELECTOR, selector)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
    button.click()


def _screenshot(driver: WebDriver, path: Path) -> None:
    driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    assert driver.save_screenshot(str(path)), path
    assert path.stat().st_size > 20_000, f"{path} looks blank"


def _file_request_in_french(driver: WebDriver, base: str) -> str:
    driver.get(f"{base}/fr/datarequest/new")
    assert "Demander des données" in driver.find_element(By.TAG_NAME, "h1").text
    driver.find_element(By.ID, "field-title").send_keys(TITLE)
    driver.find_element(By.ID, "field-description").send_keys(
        "Les horaires de toutes les lignes, au format CSV, mis à jour chaque mois.")
    Select(driver.find_element(By.ID, "field-kind")).select_by_value("new_dataset")
    Select(driver.find_element(By.ID, "field-requester_type")).select_by_value("citizen")
    Select(driver.find_element(By.ID, "field-organizations")).select_by_value("ministere-transport")
    Select(driver.find_element(By.ID, "field-themes")).select_by_value("transport")
    Select(driver.find_element(By.ID, "field-desired_formats")).select_by_value("CSV")
    _click(driver, "#datarequest-form button[name=save]")
    _wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "article.datarequest")))
    assert "En attente de modération" in driver.find_element(By.CSS_SELECTOR, ".datarequest-status").text
    return driver.current_url.rstrip("/").rsplit("/", 1)[-1]


def _answer_and_fulfil_in_arabic(driver: WebDriver, base: str, request_id: str,
                                 artefacts: Path) -> None:
    driver.get(f"{base}/ar/datarequest/{request_id}")
    assert driver.execute_script("return document.documentElement.dir") == "rtl"
    driver.find_element(By.ID, "comment-body").send_keys(ANSWER)
    _click(driver, "#comment-official")
    _click(driver, ".datarequest-comment-form button[type=submit]")
    _wait(driver).until(lambda d: ANSWER in d.page_source)
    Select(driver.find_element(By.ID, "field-status")).select_by_value("fulfilled")
    driver.find_element(By.ID, "field-status-dataset").send_keys("horaires-trains-banlieue")
    _click(driver, ".datarequest-status-form button[type=submit]")
    _wait(driver).until(lambda d: '<article class="datarequest" data-status="fulfilled">'
                        in d.page_source)
    badge = driver.find_element(By.CSS_SELECTOR, ".datarequest-status")
    assert badge.text == "تمت تلبيته"
    assert driver.execute_script("return getComputedStyle(arguments[0]).direction", badge) == "rtl"
    _screenshot(driver, artefacts / "datarequest-editor-ar.png")


def test_request_filed_in_french_answered_in_arabic_timeline_seen(portal, browser, people,
                                                                  artefacts):
    base = portal["url"]
    log_in(browser, base, "citoyenne", PASSWORD, "fr")
    request_id = _file_request_in_french(browser, base)
    _screenshot(browser, artefacts / "datarequest-filed-fr.png")
    call_action("moderation_decide", {"user": people["moderator"]["name"]},
                kind="datarequest", id=request_id, decision="approve")

    browser.delete_all_cookies()
    log_in(browser, base, "editeur-transport", PASSWORD, "ar")
    _answer_and_fulfil_in_arabic(browser, base, request_id, artefacts)

    browser.delete_all_cookies()
    log_in(browser, base, "citoyenne", PASSWORD, "fr")
    browser.get(f"{base}/fr/datarequest/{request_id}")
    events = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".datarequest-event")]
    assert [e.get_attribute("data-event") for e in browser.find_elements(
        By.CSS_SELECTOR, ".datarequest-event")] == [
        "created", "assigned", "status", "official_answer", "dataset_linked", "status"]
    assert "Satisfaite" in events[-1] and "Ouverte" in events[2]
    assert "Ministère du Transport" in events[3] and "Horaires des trains de banlieue" in events[4]
    official = browser.find_element(By.CSS_SELECTOR, ".datarequest-comment.border-primary")
    assert ANSWER in official.text and "Réponse officielle au nom de Ministère du Transport" in official.text
    _screenshot(browser, artefacts / "datarequest-timeline-fr.png")
    stored = call_action("datarequest_show", id=request_id)
    assert stored["status"] == "fulfilled"
    assert [d["name"] for d in stored["datasets"]] == ["horaires-trains-banlieue"]


#: axe-core on the page's own content (CKAN's header and footer are the
#: accessibility test's business); returns serious and critical violations.
AXE_MAIN = """
const done = arguments[arguments.length - 1];
axe.run(document.querySelector('div.main'), {resultTypes: ['violations']}).then(result => done(
  result.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => ({
    id: v.id, help: v.help, nodes: v.nodes.map(n => n.html.slice(0, 160))}))
)).catch(error => done({error: String(error)}));
"""


def test_data_request_pages_pass_axe_in_three_languages(portal, browser, people, axe_source):
    base = portal["url"]
    citizen, moderator = people["citizen"], people["moderator"]
    request = call_action("datarequest_create", {"user": citizen["name"]},
                          title="Budget des communes", description="Par commune, **CSV**",
                          organizations=[people["org"]["id"]], themes=["economy"])
    call_action("moderation_decide", {"user": moderator["name"]}, kind="datarequest",
                id=request["id"], decision="approve")
    call_action("datarequest_comment_create", {"user": people["editor"]["name"]},
                id=request["id"], body="نعمل على ذلك", official=True)
    call_action("feedback_create", {"user": citizen["name"]}, package_id=people["dataset"]["id"],
                kind="question", body="Unité ?", rating=4)
    log_in(browser, base, "editeur-transport", PASSWORD, "fr")
    found = {}
    for lang in ("ar", "fr", "en"):
        for path in ("/datarequest", "/datarequest/" + request["id"],
                     "/datarequest/new", "/organization/datarequests/ministere-transport",
                     "/dataset/horaires-trains-banlieue"):
            browser.get(f"{base}/{lang}{path}")
            assert "Internal Server Error" not in browser.title
            browser.execute_script(axe_source)
            violations = browser.execute_async_script(AXE_MAIN)
            assert isinstance(violations, list), violations
            if violations:
                found[f"/{lang}{path}"] = violations
    assert found == {}

"""A ministry editor imports its publication inventory in headless Chromium
on a real portal, sees the rows refused, then its progress, in French and in
Arabic; a visitor's click on a linked resource is counted as a download
(issue 8). Screenshots are kept in .local/artefacts/browser/."""
from __future__ import annotations

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.browser.conftest import ARTEFACTS, log_in
from tests.conftest import PORTAL_PLUGINS
from tests.odassessment.helpers_inventory import csv_bytes, dataset, row, xlsx_bytes

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

PASSWORD = "Inventaire-2025-secret"
BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"


def _upload(driver, base: str, org: str, path) -> None:
    driver.get(f"{base}/fr/organization/{org}/inventory/import")
    driver.find_element(By.ID, "field-upload").send_keys(str(path))
    driver.find_element(By.ID, "import-submit").click()
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")


def test_ministry_editor_imports_its_inventory_and_sees_its_progress(portal, browser, tmp_path):
    editor = factories.User(name="responsable-sante", password=PASSWORD)
    org = factories.Organization(name="ministere-sante",
                                 title_translated={"ar": "وزارة الصحة", "fr": "Ministère de la Santé"},
                                 users=[{"name": editor["name"], "capacity": "editor"}])
    hospitals = dataset(org["id"], name="hopitaux-publics")
    base = portal["url"]
    log_in(browser, base, editor["name"], PASSWORD, lang="fr")

    bad = tmp_path / "inventaire-erreurs.csv"
    bad.write_bytes(csv_bytes([row(reference="MS-1", title_ar="سجل المستشفيات", status="approved"),
                               row(reference="MS-2", title_fr="Vaccination", theme="Astrologie")]))
    _upload(browser, base, org["name"], bad)
    errors = browser.find_element(By.ID, "import-errors").text
    assert "Astrologie" in errors and "3" in errors
    browser.save_screenshot(str(ARTEFACTS / "inventory-import-errors-fr.png"))
    assert call_action("inventory_entry_list", organization=org["id"]) == []

    good = tmp_path / "inventaire.xlsx"
    good.write_bytes(xlsx_bytes([
        row(reference="MS-1", title_ar="سجل المستشفيات", title_fr="Registre des hôpitaux",
            theme="الصحة", status="منشورة", dataset=hospitals["name"]),
        row(reference="MS-2", title_fr="Couverture vaccinale", theme="Santé", status="Approuvée pour ouverture",
            target_date="2020-01-31"),
        row(reference="MS-3", title_ar="الأدوية الأساسية", status="قيد الإعداد"),
        row(reference="MS-4", title_fr="Dossiers médicaux", status="not_openable",
            legal_reason="Données personnelles de santé"),
    ]))
    _upload(browser, base, org["name"], good)
    WebDriverWait(browser, 30).until(lambda d: "/inventory/import" not in d.current_url)
    assert browser.find_element(By.ID, "inventory-progress-rate").text == "33.3 %"
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Registre des hôpitaux" in page and "En retard" in page
    browser.save_screenshot(str(ARTEFACTS / "inventory-progress-fr.png"))

    browser.get(f"{base}/ar/organization/{org['name']}/inventory")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    assert "الأدوية الأساسية" in browser.find_element(By.TAG_NAME, "body").text
    browser.save_screenshot(str(ARTEFACTS / "inventory-progress-ar.png"))
    progress = requests.get(f"{base}/api/action/inventory_progress_show",
                            params={"organization": org["name"]}, timeout=30).json()["result"]
    assert progress == {"entries": 4, "approved": 3, "published": 1, "overdue": 1,
                        "progress_rate": 0.3333}


def test_clicking_a_linked_resource_counts_one_download(portal, browser):
    org = factories.Organization()
    pkg = dataset(org["id"], resources=[{"url": "http://127.0.0.1:9/donnees.csv", "format": "CSV"}])
    resource_id = pkg["resources"][0]["id"]
    browser.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": BROWSER_AGENT})
    browser.get(f"{portal['url']}/fr/dataset/{pkg['name']}/resource/{resource_id}")
    browser.find_element(By.CSS_SELECTOR, "a.resource-url-analytics.btn-primary").click()
    WebDriverWait(browser, 30).until(lambda d: "/resource/" not in d.current_url or "download" in d.current_url
                                     or d.execute_script("return document.readyState") == "complete")

    def downloads():
        return requests.get(f"{portal['url']}/api/action/usage_summary_show",
                            params={"dataset": pkg["name"]}, timeout=30).json()["result"]

    WebDriverWait(browser, 30).until(lambda d: downloads()["downloads"] == 1)
    assert downloads()["views"] == 1  # the resource page itself

"""Accessibility of the portal's public pages with axe-core in headless Chromium.

Pages: home (``/``), dataset search (``/dataset/``) and a dataset page, each in
``/ar/``, ``/fr/`` and ``/en/`` (9 pages), served by a real portal process.

Rule for "introduced by the bundle": the same paths are also rendered by a stock
CKAN process (the deployed plugins less the bundle's and scheming: CKAN core,
activity, harvest, dcat; same database, same dataset) as a
baseline. A serious or critical axe violation fails the test when one of its
nodes

* lies inside an element rendered by the bundle's snippets (the fluent
  display/form snippets mark their element with ``lang`` and ``dir``: any
  ancestor-or-self carrying ``lang`` other than ``<html>``), or
* has a (rule id, element shape) pair that the stock CKAN rendering of the
  same path in the same language does not have; the shape is the element's
  path of tag names and classes from ``<html>`` (no ids, attributes or text,
  so the same core template matches whatever labels or data it shows).

Violations CKAN core shows identically without the bundle are CKAN's, not the
bundle's, and are only reported in the failure message context.
"""
from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from ckan.tests import factories

from tests.browser.conftest import log_in
from tests.conftest import PORTAL_PLUGINS, running_portal

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

LANGUAGES = ("ar", "fr", "en")
SEVERE = ("serious", "critical")
PASSWORD = "Accessible-2024-secret"
#: The bundle's plugins, and scheming (which needs the bundle's presets).
BUNDLE_PLUGINS = ("opengov", "reuse", "odassessment",
                  "scheming_datasets", "scheming_organizations", "scheming_groups")
#: The deployed stack without the bundle: the baseline of CKAN's own violations.
STOCK_PLUGINS = " ".join(p for p in PORTAL_PLUGINS.split() if p not in BUNDLE_PLUGINS)

#: Runs axe-core on the page; returns its violations, each node with its shape
#: (path of tag names and classes from <html>) and whether it sits inside an
#: element carrying ``lang`` (other than <html>).
AXE_RUN = """
const done = arguments[arguments.length - 1];
const shape = el => {
  const steps = [];
  for (; el && el.nodeType === 1; el = el.parentElement) {
    steps.unshift(el.localName + [...el.classList].sort().map(c => '.' + c).join(''));
  }
  return steps.join('>');
};
axe.run(document, {resultTypes: ['violations']}).then(result => done(result.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => {
    const el = n.target.length === 1 ? document.querySelector(n.target[0]) : null;
    return {target: n.target.join(' >>> '), impact: n.impact || v.impact, html: n.html,
            shape: el ? shape(el) : n.target.join(' >>> '),
            in_bundle_snippet: Boolean(el && el.closest('[lang]:not(html)'))};
  })
})))).catch(error => done({error: String(error)}));
"""


@pytest.fixture
def dataset() -> dict:
    """A public dataset with text in the three languages, keywords and a resource."""
    org = factories.Organization(
        title_translated={"ar": "المعهد الوطني للإحصاء", "fr": "Institut national de la statistique",
                          "en": "National Institute of Statistics"},
    )
    return factories.Dataset(
        owner_org=org["id"],
        title_translated={"ar": "تعداد السكان حسب الولاية", "fr": "Recensement de la population par gouvernorat",
                          "en": "Population census by governorate"},
        notes_translated={"ar": "نتائج **التعداد** العام للسكان", "fr": "Résultats du **recensement** général",
                          "en": "Results of the general **census**"},
        tags_translated={"ar": ["سكان", "تعداد"], "fr": ["population", "recensement"]},
        personal_data_declaration="no_personal_data",
        license_id="lndpo-tn",
        resources=[{"url": "https://data.example.tn/rgph.csv", "format": "CSV",
                    "name_translated": {"ar": "النتائج", "fr": "Résultats"}}],
    )


def _severe_violations(driver: WebDriver, url: str, axe_source: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical violation nodes on ``url``."""
    driver.get(url)
    assert "Internal Server Error" not in driver.title, url
    driver.execute_script(axe_source)
    violations = driver.execute_async_script(AXE_RUN)
    assert isinstance(violations, list), violations
    return [
        {"rule": v["id"], "help": v["help"], **node}
        for v in violations for node in v["nodes"] if node["impact"] in SEVERE
    ]


def _bundle_introduced(found: list[dict], baseline: list[dict]) -> list[dict]:
    core = {(v["rule"], v["shape"]) for v in baseline}
    return [v for v in found if v["in_bundle_snippet"] or (v["rule"], v["shape"]) not in core]


def _report(introduced: dict[str, list[dict]]) -> str:
    return "\n".join(
        f"{page}: [{v['rule']}] {v['help']} at {v['target']}: {v['html'][:160]}"
        for page, items in introduced.items() for v in items
    )


def _paths(dataset_name: str) -> dict[str, str]:
    return {"home": "/", "search": "/dataset/", "dataset": f"/dataset/{dataset_name}"}


def test_home_search_and_dataset_pages_have_no_serious_violations_from_the_bundle(
        portal, browser, axe_source, dataset, tmp_path):
    found: dict[str, list[dict]] = {}
    for lang in LANGUAGES:
        for kind, path in _paths(dataset["name"]).items():
            found[f"/{lang}{path}"] = _severe_violations(browser, f"{portal['url']}/{lang}{path}", axe_source)
    assert len(found) == 9

    with running_portal(tmp_path / "stock", STOCK_PLUGINS) as stock:
        baseline = {page: _severe_violations(browser, stock["url"] + page, axe_source) for page in found}

    introduced = {page: _bundle_introduced(found[page], baseline[page]) for page in found}
    report = _report(introduced)
    assert not report, "serious/critical accessibility violations introduced by the bundle:\n" + report


def test_the_dataset_form_in_each_language_has_no_serious_violations_from_the_bundle(
        portal, browser, axe_source, tmp_path):
    """The form where the bundle's own snippets are (one input per language),
    for a logged-in sysadmin, against the stock form as the baseline."""
    admin = factories.Sysadmin(password=PASSWORD)
    factories.Organization(title_translated={"ar": "وزارة الصحة", "fr": "Ministère de la Santé"})
    pages = [f"/{lang}/dataset/new" for lang in LANGUAGES]
    log_in(browser, portal["url"], admin["name"], PASSWORD)
    found = {page: _severe_violations(browser, portal["url"] + page, axe_source) for page in pages}
    assert browser.find_elements(By.CSS_SELECTOR, "#field-title_translated-ar[lang=ar][dir=rtl]")

    browser.delete_all_cookies()
    with running_portal(tmp_path / "stock", STOCK_PLUGINS) as stock:
        log_in(browser, stock["url"], admin["name"], PASSWORD)
        baseline = {page: _severe_violations(browser, stock["url"] + page, axe_source) for page in pages}

    report = _report({page: _bundle_introduced(found[page], baseline[page]) for page in pages})
    assert not report, "serious/critical accessibility violations introduced by the bundle:\n" + report


def test_a_violation_inside_a_bundle_snippet_is_attributed_to_the_bundle(
        portal, browser, axe_source, dataset):
    """The attribution rule itself: an image without text alternative placed in
    the title rendered by the bundle's fluent_text snippet fails the check."""
    url = f"{portal['url']}/fr/dataset/{dataset['name']}"
    clean = _severe_violations(browser, url, axe_source)
    browser.get(url)
    browser.execute_script(
        "document.querySelector('span[lang=fr][dir=ltr]').insertAdjacentHTML('beforeend', '<img src=\"data:,\">')")
    browser.execute_script(axe_source)
    broken = [{"rule": v["id"], "help": v["help"], **n}
              for v in browser.execute_async_script(AXE_RUN) for n in v["nodes"] if n["impact"] in SEVERE]

    introduced = _bundle_introduced(broken, clean)
    assert [(v["rule"], v["in_bundle_snippet"]) for v in introduced] == [("image-alt", True)]

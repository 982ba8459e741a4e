"""axe-core on the reuse pages (gallery, reuse page, submit form, a dataset's
Reuses tab, home block) in ar, fr and en, in headless Chromium on a real
portal process. Serious or critical violations inside the elements the reuse
templates render fail the test (CKAN's own header and footer are judged by
tests/browser/test_accessibility.py)."""
from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.browser.conftest import log_in
from tests.conftest import PORTAL_PLUGINS
from tests.reuse.helpers import approved_reuse, publisher_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

PASSWORD = "Accessible-2024-secret"
#: Elements rendered by the reuse templates.
REUSE_ELEMENTS = (".reuse, .reuse-gallery, #reuse-search-form, #reuse-form, .reuse-facts, "
                  ".featured-reuses, .dataset-reuses, .reuse-moderation")
AXE_IN_REUSE_ELEMENTS = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(result => done(
  result.violations.flatMap(v => v.nodes
    .filter(n => ['serious', 'critical'].includes(n.impact || v.impact))
    .filter(n => n.target.length === 1 && document.querySelector(n.target[0])
                 && document.querySelector(n.target[0]).closest(arguments[0]))
    .map(n => v.id + ': ' + v.help + ' at ' + n.target.join(' ') + ' ' + n.html.slice(0, 120)))
)).catch(error => done(['axe failed: ' + error]));
"""


def test_reuse_pages_have_no_serious_accessibility_violations(portal, browser, axe_source):
    moderator = factories.Sysadmin(name="moderatrice", password=PASSWORD)
    user = factories.User()
    dataset, _ = publisher_dataset()
    reuse = approved_reuse(user, moderator, image_url="https://apps.example.tn/shot.png",
                           languages=["ar", "fr"], event="OpenGovDataHack 2020")
    helpers.call_action("reuse_dataset_add", {"user": user["name"]}, id=reuse["id"], dataset_id=dataset["id"])
    helpers.call_action("reuse_feature", {"user": moderator["name"]}, id=reuse["id"])
    base = portal["url"]
    log_in(browser, base, moderator["name"], PASSWORD)
    found = {}
    for lang in ("ar", "fr", "en"):
        for path in ("/reuse", "/reuse/" + reuse["name"], "/reuse/new",
                     "/dataset/%s/reuses" % dataset["name"], "/"):
            url = "%s/%s%s" % (base, lang, path)
            browser.get(url)
            assert "Internal Server Error" not in browser.title, url
            browser.execute_script(axe_source)
            violations = browser.execute_async_script(AXE_IN_REUSE_ELEMENTS.replace(
                "arguments[0]", repr(REUSE_ELEMENTS)))
            if violations:
                found[url] = violations
    assert found == {}, "\n".join("%s: %s" % (u, v) for u, items in found.items() for v in items)

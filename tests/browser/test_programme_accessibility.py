"""axe-core on the pages of issue 8 (programme dashboard, printable report,
officers' directory, organisation inventory) in ar, fr and en: no serious or
critical violation inside the content these pages render (the element with
class ``primary``; the header and footer are CKAN's, checked elsewhere)."""
from __future__ import annotations

import pytest

from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.conftest import PORTAL_PLUGINS
from tests.odassessment.helpers_inventory import dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

AXE_ON_CONTENT = """
const done = arguments[arguments.length - 1];
axe.run(document.querySelector('.primary') || document, {resultTypes: ['violations']})
  .then(r => done(r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                   .map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.html)}))))
  .catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));
"""


def test_programme_officers_and_inventory_pages_have_no_serious_violations(portal, browser, axe_source):
    org = factories.Organization(name="ministere-finances", open_data_officer_name="Leïla Trabelsi",
                                 open_data_officer_email="leila@finances.gov.tn",
                                 title_translated={"ar": "وزارة المالية", "fr": "Ministère des Finances"})
    dataset(org["id"])
    call_action("inventory_entry_create", {"user": factories.Sysadmin()["name"]}, organization=org["id"],
                title={"ar": "الميزانية", "fr": "Budget"}, status="approved", target_date="2020-01-01")
    found = {}
    for lang in ("ar", "fr", "en"):
        for path in ("/assessment/programme", "/assessment/programme/report", "/officers",
                     f"/organization/{org['name']}/inventory"):
            browser.get(f"{portal['url']}/{lang}{path}")
            browser.execute_script(axe_source)
            violations = browser.execute_async_script(AXE_ON_CONTENT)
            if violations:
                found[f"/{lang}{path}"] = violations
    assert found == {}

"""The portal as `make run` starts it (scripts/portal start): a real CKAN
server process with every plugin and the harvest consumers, answering HTTP."""
from __future__ import annotations

import os
import subprocess

import pytest
import requests

from ckan.tests import factories

from tests.conftest import PORTAL_PLUGINS, ROOT

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_portal_serves_dataset_search_with_the_new_dataset(portal):
    org = factories.Organization(title="Commune de Sfax")
    dataset = factories.Dataset(
        owner_org=org["id"],
        title_translated={"ar": "الأسواق البلدية بصفاقس", "fr": "Marchés municipaux de Sfax",
                          "en": "Municipal markets of Sfax"},
        notes_translated={"ar": "مواقع الأسواق البلدية", "fr": "Emplacements des marchés municipaux"},
        personal_data_declaration="no_personal_data",
        license_id="lndpo-tn",
    )

    page = requests.get(portal["url"] + "/dataset/", timeout=30)
    assert page.status_code == 200
    assert "Municipal markets of Sfax" in page.text
    french = requests.get(portal["url"] + "/fr/dataset/" + dataset["name"], timeout=30)
    assert french.status_code == 200
    assert "Marchés municipaux de Sfax" in french.text
    assert "Licence Nationale de Données Publiques Ouvertes" in french.text  # the portal's licence register

    api = requests.get(portal["url"] + "/api/action/status_show", timeout=30).json()
    assert api["result"]["extensions"] == PORTAL_PLUGINS.split()


def test_portal_arabic_pages_are_right_to_left(portal):
    page = requests.get(portal["url"] + "/ar/dataset/", timeout=30)
    assert page.status_code == 200
    assert 'dir="rtl"' in page.text
    assert 'lang="ar"' in page.text


def test_start_prints_urls_and_runs_the_harvest_consumers(portal):
    assert portal["url"] + "/dataset/" in portal["banner"]
    assert "Admin login:" in portal["banner"]
    status = subprocess.run([os.path.join(ROOT, "scripts", "portal"), "status"],
                            env=portal["env"], capture_output=True, text=True)
    assert status.returncode == 0
    assert [line.split(":")[0] for line in status.stdout.splitlines()] == ["web", "gather", "fetch"]

"""ckan opengov demo-load: the local portal's demo content, loaded once."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.cli.cli import ckan
from ckan.tests import helpers

from tests.conftest import PORTAL_PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "with_extended_cli", "clean_db", "clean_index"),
]


def test_demo_load_gives_an_existing_admin_the_password_the_portal_prints(cli):
    assert cli.invoke(ckan, ["opengov", "demo-load", "--password", "First-pass-2026"]).exit_code == 0
    result = cli.invoke(ckan, ["opengov", "demo-load", "--password", "Newer-pass-2026"])
    assert result.exit_code == 0, result.output
    admin = model.User.get("admin")
    assert admin.validate_password("Newer-pass-2026") and not admin.validate_password("First-pass-2026")


def test_demo_load_creates_admin_themes_publishers_and_trilingual_datasets(cli):
    result = cli.invoke(ckan, ["opengov", "demo-load", "--password", "Demo-pass-2026"])
    assert result.exit_code == 0, result.output
    assert "Demo content: 30 created, 0 already there" in result.output

    admin = model.User.get("admin")
    assert admin.sysadmin and admin.validate_password("Demo-pass-2026")
    assert len(helpers.call_action("group_list")) == 15
    sfax = helpers.call_action("organization_show", id="commune-sfax")
    assert sfax["title_translated"] == {"ar": "بلدية صفاقس", "fr": "Commune de Sfax", "en": "Municipality of Sfax"}
    assert (sfax["government_level"], sfax["institution_type"], sfax["region"]) == ("local", "municipality", "TN-61")
    assert helpers.call_action("organization_show", id="ministere-sante")["government_level"] == "central"
    health_theme = helpers.call_action("group_show", id="health")
    assert health_theme["title_translated"]["ar"] == "الصحة" and health_theme["eu_theme"] == "HEAL"

    assert helpers.call_action("package_search")["count"] == 8
    for query in ("مناخية", "météorologiques", "drinking-water"):
        assert helpers.call_action("package_search", q=query)["count"] == 1, query
    health = helpers.call_action("package_search", fq="groups:health")
    assert [d["name"] for d in health["results"]] == ["etablissements-de-sante-publics"]
    assert [d["name"] for d in helpers.call_action("package_search", fq="theme:health")["results"]] == [
        "etablissements-de-sante-publics"]

    budget = helpers.call_action("package_show", id="budget-commune-de-tunis")
    assert budget["title_translated"] == {"ar": "ميزانية بلدية تونس", "fr": "Budget de la Commune de Tunis",
                                          "en": "Budget of the Municipality of Tunis"}
    assert budget["tags_translated"]["ar"] == ["الميزانية", "بلدية"]
    assert (budget["license_id"], budget["frequency"], budget["government_level"]) == ("lndpo-tn", "ANNUAL", "local")
    assert budget["license_title"] == "Licence Nationale de Données Publiques Ouvertes"
    assert budget["personal_data_declaration"] == "no_personal_data"
    assert budget["theme"] == ["economy", "municipalities"] and budget["spatial_region"] == ["TN-11"]
    assert budget["resources"][0]["format"] == "XLSX"


def test_demo_load_twice_changes_nothing(cli):
    cli.invoke(ckan, ["opengov", "demo-load", "--password", "Demo-pass-2026"])
    dataset = helpers.call_action("package_show", id="budget-commune-de-tunis")

    again = cli.invoke(ckan, ["opengov", "demo-load", "--password", "Demo-pass-2026"])
    assert again.exit_code == 0, again.output
    assert "Demo content: 0 created, 30 already there" in again.output
    assert helpers.call_action("package_search")["count"] == 8
    assert helpers.call_action("package_show", id="budget-commune-de-tunis")["metadata_modified"] == dataset["metadata_modified"]

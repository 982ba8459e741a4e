"""ckan odassessment demo-load: officers, inventories and a first assessment
run for the local portal, on top of ckan opengov demo-load, loaded once."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.cli.cli import ckan
from ckan.tests import helpers

from ckanext.odassessment.model.assessment import UrlCheck

from tests.conftest import PORTAL_PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "with_extended_cli", "clean_db", "clean_index"),
]

#: 2 organisations' officers, 7 inventory entries, 1 run (data/demo.yaml).
DEMO_STEPS = 10


def load(cli):
    base = cli.invoke(ckan, ["opengov", "demo-load", "--password", "Demo-pass-2026"])
    assert base.exit_code == 0, base.output
    result = cli.invoke(ckan, ["odassessment", "demo-load"])
    assert result.exit_code == 0, result.output
    return result


def anonymous(action, **data):
    return helpers.call_action(action, {"user": "", "ignore_auth": False}, **data)


def test_demo_load_names_officers_without_showing_their_addresses(cli):
    result = load(cli)
    assert f"Assessment demo content: {DEMO_STEPS} created, 0 already there" in result.output
    directory = {row["organization"]: row for row in anonymous("officer_list")}
    health = directory["ministere-sante"]["officers"]
    assert [(o["role"], o["name"], o["contact"]) for o in health] == [
        ("open_data_officer", "Leila Haddad", True), ("data_manager", "Sami Gharbi", True)]
    assert "opendata@sante.example.tn" not in str(directory)
    assert [o["name"] for o in directory["ministere-agriculture"]["officers"]] == ["Hatem Jlassi"]
    assert directory["ministere-transport"]["officers"] == []
    org = helpers.call_action("organization_show", id="ministere-sante", include_datasets=True)
    assert [d["name"] for d in org["packages"]] == ["etablissements-de-sante-publics"]  # patch kept them


def test_demo_load_fills_inventories_linked_to_the_demo_datasets(cli):
    load(cli)
    entries = {e["reference"]: e for e in anonymous("inventory_entry_list", organization="ministere-sante")}
    assert {ref: e["status"] for ref, e in entries.items()} == {
        "SANTE-001": "published", "SANTE-002": "approved", "SANTE-003": "in_preparation",
        "SANTE-004": "not_openable"}
    published = helpers.call_action("package_show", id="etablissements-de-sante-publics")
    assert entries["SANTE-001"]["package_id"] == published["id"]
    assert entries["SANTE-003"]["overdue"] is True  # target date 2026-03-31 passed
    assert entries["SANTE-001"]["title"]["ar"] == "المؤسسات الصحية العمومية"

    health = anonymous("inventory_progress_show", organization="ministere-sante")
    assert (health["entries"], health["approved"], health["published"], health["overdue"]) == (4, 3, 1, 1)
    assert health["progress_rate"] == pytest.approx(1 / 3, abs=1e-4)
    portal = anonymous("inventory_progress_show")
    assert (portal["entries"], portal["published"]) == (7, 3)


def test_demo_load_runs_a_complete_assessment_without_http_checks(cli):
    load(cli)
    runs = anonymous("odassessment_run_list")
    assert len(runs) == 1
    run = runs[0]
    assert (run["state"], run["kind"], run["http"]) == ("complete", "full", False)
    assert run["datasets_done"] == run["datasets_total"] == 8
    scores = anonymous("odassessment_dataset_show", id="population-par-gouvernorat")
    assert scores["run_id"] == run["id"] and scores["mqa"] > 0
    assert model.Session.query(UrlCheck).count() == 0  # no URL was requested
    portal = anonymous("odassessment_portal_show")
    assert {o["name"] for o in portal["ranking"]} >= {"ministere-sante", "ministere-agriculture"}


def test_demo_load_twice_changes_nothing(cli):
    load(cli)
    entries = anonymous("inventory_entry_list", organization="ministere-agriculture")
    org = helpers.call_action("organization_show", id="ministere-sante")

    again = cli.invoke(ckan, ["odassessment", "demo-load"])
    assert again.exit_code == 0, again.output
    assert f"Assessment demo content: 0 created, {DEMO_STEPS} already there" in again.output
    assert anonymous("inventory_entry_list", organization="ministere-agriculture") == entries
    assert len(anonymous("odassessment_run_list")) == 1
    assert helpers.call_action("organization_show", id="ministere-sante") == org


def test_an_organisation_whose_officer_an_admin_changed_keeps_it(cli):
    load(cli)
    helpers.call_action("organization_patch", {"user": "admin"}, id="ministere-sante",
                        open_data_officer_name="Nadia Ayari")
    cli.invoke(ckan, ["odassessment", "demo-load"])
    assert helpers.call_action("organization_show", id="ministere-sante")["open_data_officer_name"] == "Nadia Ayari"


def test_demo_load_without_the_demo_organisations_fails_clearly(cli):
    result = cli.invoke(ckan, ["odassessment", "demo-load"])
    assert result.exit_code != 0
    assert "ckan opengov demo-load" in result.output

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


def test_demo_load_creates_admin_themes_publishers_and_trilingual_datasets(cli):
    result = cli.invoke(ckan, ["opengov", "demo-load", "--password", "Demo-pass-2026"])
    assert result.exit_code == 0, result.output
    assert "Demo content: 30 created, 0 already there" in result.output

    admin = model.User.get("admin")
    assert admin.sysadmin and admin.validate_password("Demo-pass-2026")
    assert len(helpers.call_action("group_list")) == 15
    orgs = helpers.call_action("organization_list", all_fields=True, include_extras=True)
    levels = {o["name"]: {e["key"]: e["value"] for e in o["extras"]}["government_level"] for o in orgs}
    assert levels["ministere-sante"] == "central" and levels["commune-sfax"] == "local"

    assert helpers.call_action("package_search")["count"] == 8
    for query in ("مناخية", "météorologiques", "drinking-water"):
        assert helpers.call_action("package_search", q=query)["count"] == 1, query
    health = helpers.call_action("package_search", fq="groups:health")
    assert [d["name"] for d in health["results"]] == ["etablissements-de-sante-publics"]


def test_demo_load_twice_changes_nothing(cli):
    cli.invoke(ckan, ["opengov", "demo-load", "--password", "Demo-pass-2026"])
    dataset = helpers.call_action("package_show", id="budget-commune-de-tunis")

    again = cli.invoke(ckan, ["opengov", "demo-load", "--password", "Demo-pass-2026"])
    assert again.exit_code == 0, again.output
    assert "Demo content: 0 created, 30 already there" in again.output
    assert helpers.call_action("package_search")["count"] == 8
    assert helpers.call_action("package_show", id="budget-commune-de-tunis")["metadata_modified"] == dataset["metadata_modified"]

"""Publication inventory actions: entries, statuses, dataset links, progress,
and who may do what (issue 8)."""
from __future__ import annotations

import datetime

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.conftest import PORTAL_PLUGINS
from tests.odassessment.helpers_inventory import dataset, entry, ministry

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
NEXT_YEAR = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()


def test_editor_creates_an_entry_with_labels_in_any_language():
    org, editor = ministry()
    created = entry(editor, org, reference="MS-01",
                    title={"ar": "سجل المستشفيات", "fr": "Registre des hôpitaux"},
                    theme="الصحة", frequency="Annuelle", high_value="oui",
                    target_date="٢٠٣٠-٠٦-٣٠", status="In preparation")
    assert created["theme"] == "health"
    assert created["frequency"] == "ANNUAL"
    assert created["high_value"] is True
    assert created["target_date"] == "2030-06-30"
    assert created["status"] == "in_preparation"
    assert created["organization"] == org["name"]
    shown = helpers.call_action("inventory_entry_show", id=created["id"])
    assert shown["title"] == {"ar": "سجل المستشفيات", "fr": "Registre des hôpitaux"}


@pytest.mark.parametrize("fields, field", [
    ({"title": {}}, "title"),
    ({"title": {"de": "Haushalt"}}, "title"),
    ({"theme": "astrologie"}, "theme"),
    ({"frequency": "souvent"}, "frequency"),
    ({"status": "lost"}, "status"),
    ({"target_date": "31/02/2025"}, "target_date"),
    ({"high_value": "peut-être"}, "high_value"),
    ({"status": "not_openable"}, "legal_reason"),
    ({"status": "published"}, "dataset"),
    ({"dataset": "no-such-dataset"}, "dataset"),
])
def test_bad_values_are_refused_field_by_field(fields, field):
    org, editor = ministry()
    with pytest.raises(tk.ValidationError) as error:
        entry(editor, org, **fields)
    assert field in error.value.error_dict
    assert helpers.call_action("inventory_entry_list", organization=org["id"]) == []


def test_reference_is_unique_within_an_organisation_only():
    org, editor = ministry()
    other, other_editor = ministry()
    entry(editor, org, reference="R-1")
    entry(other_editor, other, reference="R-1")
    with pytest.raises(tk.ValidationError) as error:
        entry(editor, org, reference="R-1")
    assert "reference" in error.value.error_dict


def test_dataset_of_another_organisation_cannot_be_linked():
    org, editor = ministry()
    other, _ = ministry()
    foreign = dataset(other["id"])
    with pytest.raises(tk.ValidationError) as error:
        entry(editor, org, dataset=foreign["name"])
    assert "dataset" in error.value.error_dict


def test_linking_a_dataset_by_hand_publishes_the_entry():
    org, editor = ministry()
    created = entry(editor, org, status="approved")
    pkg = dataset(org["id"])
    updated = helpers.call_action("inventory_entry_update", {"user": editor["name"]},
                                  id=created["id"], dataset=pkg["name"])
    assert updated["status"] == "published"
    assert updated["dataset"] == pkg["name"]
    assert updated["title"]["fr"] == "Budget"  # fields not sent are kept


def test_dataset_declaring_the_entry_reference_links_it_and_deletion_unlinks():
    org, editor = ministry()
    created = entry(editor, org, reference="INV-2025-07", status="in_preparation")
    pkg = dataset(org["id"], identifier="INV-2025-07")
    shown = helpers.call_action("inventory_entry_show", id=created["id"])
    assert shown["status"] == "published"
    assert shown["package_id"] == pkg["id"]
    helpers.call_action("package_delete", {"user": editor["name"]}, id=pkg["name"])
    shown = helpers.call_action("inventory_entry_show", id=created["id"])
    assert shown["status"] == "in_preparation"
    assert shown["package_id"] is None


def test_progress_rate_is_published_over_approved_with_overdue_entries():
    org, editor = ministry()
    other, other_editor = ministry()
    entry(editor, org, status="identified")
    entry(editor, org, status="approved", target_date=YESTERDAY)
    entry(editor, org, status="in_preparation", target_date=NEXT_YEAR)
    entry(editor, org, status="not_openable", legal_reason="Secret statistique")
    entry(editor, org, dataset=dataset(org["id"])["name"], target_date=YESTERDAY)
    entry(other_editor, other, status="approved")
    progress = helpers.call_action("inventory_progress_show", organization=org["name"])
    assert progress == {"entries": 5, "approved": 3, "published": 1, "overdue": 1,
                        "progress_rate": pytest.approx(1 / 3, abs=1e-4)}
    portal = helpers.call_action("inventory_progress_show")
    assert portal["entries"] == 6 and portal["approved"] == 4 and portal["published"] == 1
    assert portal["progress_rate"] == 0.25


def test_progress_rate_is_none_when_nothing_is_approved():
    org, editor = ministry()
    entry(editor, org, status="identified")
    progress = helpers.call_action("inventory_progress_show", organization=org["id"])
    assert progress["progress_rate"] is None and progress["entries"] == 1


def test_list_filters_by_status_and_delete_removes():
    org, editor = ministry()
    kept = entry(editor, org, status="approved")
    gone = entry(editor, org, status="identified")
    listed = helpers.call_action("inventory_entry_list", organization=org["name"], status="approved")
    assert [e["id"] for e in listed] == [kept["id"]]
    helpers.call_action("inventory_entry_delete", {"user": editor["name"]}, id=gone["id"])
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("inventory_entry_show", id=gone["id"])


# ----------------------------------------------------------------- authorisation

def _auth(action: str, user: dict | None, **data) -> bool:
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    try:
        helpers.call_auth(action, context, **data)
        return True
    except tk.NotAuthorized:
        return False


@pytest.mark.parametrize("action", ["inventory_entry_create", "inventory_import"])
def test_only_editors_admins_and_sysadmins_change_an_inventory(action):
    org, editor = ministry()
    admin = factories.User()
    member = factories.User()
    helpers.call_action("organization_member_create", id=org["id"], username=admin["name"], role="admin")
    helpers.call_action("organization_member_create", id=org["id"], username=member["name"], role="member")
    matrix = {
        "editor": (editor, True), "admin": (admin, True), "sysadmin": (factories.Sysadmin(), True),
        "member": (member, False), "other user": (factories.User(), False), "anonymous": (None, False),
    }
    seen = {who: _auth(action, user, organization=org["id"]) for who, (user, _) in matrix.items()}
    assert seen == {who: allowed for who, (_, allowed) in matrix.items()}


def test_update_and_delete_need_an_editor_of_the_entry_organisation():
    org, editor = ministry()
    other, other_editor = ministry()
    created = entry(editor, org)
    for action in ("inventory_entry_update", "inventory_entry_delete"):
        assert _auth(action, editor, id=created["id"])
        assert not _auth(action, other_editor, id=created["id"])
        assert not _auth(action, None, id=created["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("inventory_entry_update", {"user": other_editor["name"], "ignore_auth": False},
                            id=created["id"], status="approved")


def test_reading_is_public_by_default():
    org, editor = ministry()
    created = entry(editor, org)
    assert _auth("inventory_entry_list", None, organization=org["id"])
    assert _auth("inventory_entry_show", None, id=created["id"])
    assert _auth("inventory_progress_show", None)


@pytest.mark.ckan_config("ckanext.odassessment.inventory_public", "false")
def test_private_inventories_are_read_by_members_only():
    org, editor = ministry()
    created = entry(editor, org)
    assert not _auth("inventory_entry_show", None, id=created["id"])
    assert not _auth("inventory_entry_list", factories.User(), organization=org["id"])
    assert _auth("inventory_entry_list", editor, organization=org["id"])
    assert _auth("inventory_progress_show", None)


def test_portal_progress_leaves_out_deleted_organisations():
    org, editor = ministry()
    gone, gone_editor = ministry()
    entry(editor, org, status="approved")
    entry(gone_editor, gone, status="approved")
    helpers.call_action("organization_delete", {"user": factories.Sysadmin()["name"]}, id=gone["id"])
    assert helpers.call_action("inventory_progress_show")["approved"] == 1


def test_a_plain_title_is_kept_in_its_script_language():
    org, editor = ministry()
    assert entry(editor, org, title="سجل المستشفيات")["title"] == {"ar": "سجل المستشفيات"}
    assert entry(editor, org, title="Registre des hôpitaux")["title"] == {"fr": "Registre des hôpitaux"}

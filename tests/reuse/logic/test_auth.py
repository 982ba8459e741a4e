"""Who may read, edit, moderate and link a reuse."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.conftest import PORTAL_PLUGINS
from tests.reuse.helpers import allowed, create_reuse, publisher_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.reuse.moderators", "reuse-mod"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

ROLES = ("anonymous", "registered", "submitter", "publisher", "moderator", "sysadmin")


@pytest.fixture
def actors():
    """A pending reuse linked to a publisher's dataset, and one user per role."""
    submitter = factories.User()
    dataset, publisher = publisher_dataset()
    reuse = create_reuse(submitter, submit=True)
    helpers.call_action("reuse_dataset_add", {"user": submitter["name"]},
                        id=reuse["id"], dataset_id=dataset["id"])
    names = {"anonymous": "", "registered": factories.User()["name"],
             "submitter": submitter["name"], "publisher": publisher["name"],
             "moderator": factories.User(name="reuse-mod")["name"],
             "sysadmin": factories.Sysadmin()["name"]}
    return {"reuse": reuse, "dataset": dataset, "names": names}


MATRIX = {
    # role:          anon   user   subm.  publ.  mod.   sysadmin
    "reuse_show":   (False, False, True, False, True, True),
    "package_show": (False, False, True, False, True, True),
    "reuse_update": (False, False, True, False, True, True),
    "reuse_moderate": (False, False, False, False, True, True),
    # a publisher adds its dataset only to reuses it can read (approved ones)
    "reuse_dataset_add": (False, False, True, False, True, True),
    "reuse_dataset_remove": (False, False, True, True, True, True),
    "reuse_create": (False, True, True, True, True, True),
    "reuse_submit": (False, False, True, False, True, True),
    "reuse_delete": (False, False, True, False, True, True),
    "reuse_feature": (False, False, False, False, True, True),
    "reuse_dataset_list": (False, False, True, False, True, True),
    "reuse_search": (True, True, True, True, True, True),
    "reuse_dataset_reject": (False, False, False, True, True, True),
    "reuse_archive": (False, False, True, False, True, True),
    "reuse_purge": (False, False, False, False, False, True),
    "reuse_moderator_add": (False, False, False, False, False, True),
    "reuse_moderator_remove": (False, False, False, False, False, True),
    "reuse_moderator_list": (False, False, False, False, True, True),
    "reuse_moderation_list": (False, False, False, False, True, True),
    "reuse_stats": (True, True, True, True, True, True),
    "reuse_patch": (False, False, True, False, True, True),
}


@pytest.mark.parametrize("auth", sorted(MATRIX))
def test_auth_matrix_on_pending_reuse(actors, auth):
    data = {"id": actors["reuse"]["id"], "dataset_id": actors["dataset"]["id"]}
    got = tuple(allowed(auth, actors["names"][role], data) for role in ROLES)
    assert dict(zip(ROLES, got)) == dict(zip(ROLES, MATRIX[auth]))


def test_approved_reuse_is_public_but_only_moderators_moderate(actors):
    helpers.call_action("reuse_moderate", {"user": "reuse-mod"},
                        id=actors["reuse"]["id"], moderation_state="approved")
    data = {"id": actors["reuse"]["id"]}
    assert all(allowed("reuse_show", actors["names"][r], data) for r in ROLES)
    assert [r for r in ROLES if allowed("reuse_moderate", actors["names"][r], data)] == [
        "moderator", "sysadmin"]


def test_anonymous_package_show_of_pending_reuse_is_refused(actors):
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("package_show", {"user": "", "ignore_auth": False},
                            id=actors["reuse"]["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("reuse_moderate", {"user": actors["names"]["submitter"], "ignore_auth": False},
                            id=actors["reuse"]["id"], moderation_state="approved")


def test_direct_package_update_of_a_reuse_is_refused_to_its_submitter(actors):
    assert not allowed("package_update", actors["names"]["submitter"], {"id": actors["reuse"]["id"]})
    assert allowed("package_update", actors["names"]["moderator"], {"id": actors["reuse"]["id"]})


def test_publisher_links_its_dataset_to_an_approved_reuse(actors):
    helpers.call_action("reuse_moderate", {"user": "reuse-mod"},
                        id=actors["reuse"]["id"], moderation_state="approved")
    data = {"id": actors["reuse"]["id"], "dataset_id": actors["dataset"]["id"]}
    assert allowed("reuse_dataset_add", actors["names"]["publisher"], data)
    assert not allowed("reuse_dataset_add", actors["names"]["registered"], data)


def test_core_package_create_cannot_skip_moderation(actors):
    from tests.reuse.helpers import reuse_data

    data = dict(reuse_data(), type="reuse", moderation_state="approved")
    for role in ("registered", "publisher"):
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("package_create", {"user": actors["names"][role], "ignore_auth": False},
                                **data)
    assert allowed("package_create", actors["names"]["moderator"], data)


def test_a_private_dataset_cannot_be_linked_by_those_who_cannot_read_it(actors):
    from tests.reuse.helpers import dataset as make_dataset

    private = make_dataset(actors["dataset"]["owner_org"], private=True)
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("reuse_dataset_add", {"user": actors["names"]["submitter"], "ignore_auth": False},
                            id=actors["reuse"]["id"], dataset_id=private["name"])
    assert err.value.error_dict == {"dataset_id": ["Dataset not found"]}
    helpers.call_action("reuse_moderate", {"user": "reuse-mod"},
                        id=actors["reuse"]["id"], moderation_state="approved")
    helpers.call_action("reuse_dataset_add", {"user": actors["names"]["publisher"], "ignore_auth": False},
                        id=actors["reuse"]["id"], dataset_id=private["name"])


def test_dataset_reuse_list_follows_the_dataset_and_lists_only_readable_reuses(actors):
    data = {"id": actors["dataset"]["id"]}
    assert all(allowed("dataset_reuse_list", actors["names"][r], data) for r in ROLES)
    listed = {role: helpers.call_action("dataset_reuse_list", {"user": actors["names"][role]},
                                        **data)["count"] for role in ROLES}
    assert listed == {"anonymous": 0, "registered": 0, "submitter": 1, "publisher": 0,
                      "moderator": 1, "sysadmin": 1}

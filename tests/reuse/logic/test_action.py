"""Reuse actions against the real stack: creation, moderation, links, search, Solr."""
from __future__ import annotations

import pytest
import requests

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.conftest import PORTAL_PLUGINS
from tests.reuse.helpers import approved_reuse, create_reuse, dataset as make_dataset, publisher_dataset, reuse_data

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _solr(query: str, fl: str = "*") -> list[dict]:
    response = requests.get(tk.config["solr_url"] + "/select",
                            params={"q": query, "wt": "json", "fl": fl}, timeout=10)
    response.raise_for_status()
    return response.json()["response"]["docs"]


def test_registered_user_creates_a_draft_without_organisation():
    user = factories.User()
    reuse = create_reuse(user)
    assert reuse["type"] == "reuse"
    assert reuse["moderation_state"] == "draft"
    assert not reuse.get("owner_org")
    assert reuse["title_translated"]["fr"] == "Carte des écoles"
    assert reuse["themes"] == ["education"]


def test_submit_flag_starts_pending_and_protected_fields_are_ignored():
    user = factories.User()
    reuse = create_reuse(user, submit=True, featured=True, moderation_state="approved")
    assert reuse["moderation_state"] == "pending"
    assert not reuse.get("featured")


def test_duplicate_url_is_refused_on_url():
    user = factories.User()
    first = create_reuse(user)
    with pytest.raises(tk.ValidationError) as err:
        create_reuse(user, url=first["url"])
    assert "url" in err.value.error_dict


def test_invalid_reuse_type_and_theme_are_refused():
    user = factories.User()
    with pytest.raises(tk.ValidationError) as err:
        create_reuse(user, reuse_type="spaceship", themes=["nope"])
    assert {"reuse_type", "themes"} <= set(err.value.error_dict)


def test_workflow_draft_pending_needs_revision_pending_approved():
    user, moderator = factories.User(), factories.Sysadmin()
    reuse = create_reuse(user)
    as_user, as_mod = {"user": user["name"]}, {"user": moderator["name"]}
    assert helpers.call_action("reuse_submit", as_user, id=reuse["id"])["moderation_state"] == "pending"
    revised = helpers.call_action("reuse_moderate", as_mod, id=reuse["id"],
                                  moderation_state="needs_revision", moderator_note="Ajoutez une image")
    assert revised["moderation_state"] == "needs_revision"
    assert revised["moderator_note"] == "Ajoutez une image"
    helpers.call_action("reuse_submit", as_user, id=reuse["id"])
    approved = helpers.call_action("reuse_moderate", as_mod, id=reuse["id"], moderation_state="approved")
    assert approved["moderation_state"] == "approved"


def test_rejection_and_invalid_transitions_name_the_field():
    user, moderator = factories.User(), factories.Sysadmin()
    reuse = create_reuse(user)
    as_mod = {"user": moderator["name"]}
    with pytest.raises(tk.ValidationError) as err:  # draft cannot be moderated
        helpers.call_action("reuse_moderate", as_mod, id=reuse["id"], moderation_state="approved")
    assert "moderation_state" in err.value.error_dict
    helpers.call_action("reuse_submit", {"user": user["name"]}, id=reuse["id"])
    with pytest.raises(tk.ValidationError) as err:  # pending cannot be resubmitted
        helpers.call_action("reuse_submit", {"user": user["name"]}, id=reuse["id"])
    assert "moderation_state" in err.value.error_dict
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("reuse_moderate", as_mod, id=reuse["id"], moderation_state="published")
    assert "moderation_state" in err.value.error_dict
    rejected = helpers.call_action("reuse_moderate", as_mod, id=reuse["id"], moderation_state="rejected")
    assert rejected["moderation_state"] == "rejected"
    with pytest.raises(tk.ValidationError):
        helpers.call_action("reuse_submit", {"user": user["name"]}, id=reuse["id"])


def test_update_patch_by_submitter_sends_approved_reuse_back_to_moderation():
    user, moderator = factories.User(), factories.Sysadmin()
    reuse = approved_reuse(user, moderator)
    patched = helpers.call_action("reuse_patch", {"user": user["name"]}, id=reuse["id"],
                                  image_url="https://apps.example.tn/logo.png", moderation_state="approved")
    assert patched["image_url"] == "https://apps.example.tn/logo.png"
    assert patched["moderation_state"] == "pending"
    data = reuse_data(name=reuse["name"], url=reuse["url"], reuse_type="dashboard")
    updated = helpers.call_action("reuse_update", {"user": user["name"]}, id=reuse["id"], **data)
    assert updated["reuse_type"] == "dashboard"
    assert updated["submitter_email"] == data["submitter_email"]


def test_delete_hides_the_reuse():
    user = factories.User()
    reuse = create_reuse(user)
    helpers.call_action("reuse_delete", {"user": user["name"]}, id=reuse["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("reuse_show", {"user": user["name"], "ignore_auth": False}, id=reuse["id"])


def test_feature_by_moderator():
    user, moderator = factories.User(), factories.Sysadmin()
    reuse = approved_reuse(user, moderator)
    featured = helpers.call_action("reuse_feature", {"user": moderator["name"]}, id=reuse["id"])
    assert featured["featured"] is True
    found = helpers.call_action("reuse_search", {}, fq="+featured:true")
    assert [r["id"] for r in found["results"]] == [reuse["id"]]


def test_submitter_contact_is_hidden_from_public_and_never_in_solr():
    user, moderator = factories.User(), factories.Sysadmin()
    reuse = approved_reuse(user, moderator, submitter_email="secret.person@example.tn")
    public = helpers.call_action("package_show", {"user": "", "ignore_auth": False}, id=reuse["id"])
    assert "submitter_email" not in public and "submitter_name" not in public
    other = helpers.call_action("reuse_show", {"user": factories.User()["name"]}, id=reuse["id"])
    assert "submitter_email" not in other
    own = helpers.call_action("reuse_show", {"user": user["name"]}, id=reuse["id"])
    assert own["submitter_email"] == "secret.person@example.tn"
    assert helpers.call_action("reuse_show", {"user": moderator["name"]}, id=reuse["id"])["submitter_email"]
    searched = helpers.call_action("reuse_search", {"user": moderator["name"]})["results"][0]
    assert "submitter_email" not in searched
    docs = _solr('id:"%s"' % reuse["id"])
    assert len(docs) == 1
    assert "secret.person" not in str(docs[0])
    assert "Amel" not in str(docs[0])
    assert _solr('"secret.person@example.tn"') == []
    assert _solr("text:secret.person*") == []


def test_dataset_links_counts_and_paging():
    user, moderator = factories.User(), factories.Sysadmin()
    dataset, _publisher = publisher_dataset()
    other = make_dataset(dataset["owner_org"])
    reuse = approved_reuse(user, moderator)
    as_user = {"user": user["name"]}
    for target in (dataset, other):
        helpers.call_action("reuse_dataset_add", as_user, id=reuse["id"], dataset_id=target["name"])
    listed = helpers.call_action("reuse_dataset_list", {}, id=reuse["id"], rows=1)
    assert listed["count"] == 2 and len(listed["results"]) == 1
    second = helpers.call_action("reuse_dataset_list", {}, id=reuse["id"], rows=1, start=1)
    assert {listed["results"][0]["id"], second["results"][0]["id"]} == {dataset["id"], other["id"]}
    reuses = helpers.call_action("dataset_reuse_list", {}, id=dataset["id"])
    assert [r["id"] for r in reuses["results"]] == [reuse["id"]]
    assert _solr('id:"%s"' % dataset["id"], fl="id")
    assert _solr('id:"%s" AND num_reuses:1' % dataset["id"], fl="id")
    assert _solr('id:"%s" AND vocab_reuse_datasets:"%s"' % (reuse["id"], dataset["id"]), fl="id")
    helpers.call_action("reuse_dataset_remove", as_user, id=reuse["id"], dataset_id=dataset["id"])
    assert helpers.call_action("dataset_reuse_list", {}, id=dataset["id"])["count"] == 0
    assert _solr('id:"%s" AND num_reuses:0' % dataset["id"], fl="id")
    assert helpers.call_action("reuse_dataset_list", {}, id=reuse["id"])["count"] == 1


def test_num_reuses_counts_only_approved_reuses():
    user, moderator = factories.User(), factories.Sysadmin()
    dataset = make_dataset(factories.Organization()["id"])
    reuse = create_reuse(user, submit=True)
    helpers.call_action("reuse_dataset_add", {"user": user["name"]}, id=reuse["id"], dataset_id=dataset["id"])
    assert _solr('id:"%s" AND num_reuses:0' % dataset["id"], fl="id")
    assert helpers.call_action("dataset_reuse_list", {}, id=dataset["id"])["count"] == 0
    helpers.call_action("reuse_moderate", {"user": moderator["name"]}, id=reuse["id"],
                        moderation_state="approved")
    assert _solr('id:"%s" AND num_reuses:1' % dataset["id"], fl="id")
    assert helpers.call_action("dataset_reuse_list", {}, id=dataset["id"])["count"] == 1


def test_a_rebuilt_index_counts_reuses_whatever_the_indexing_order():
    """search-index rebuild may index a dataset before its reuses: the count
    must not depend on what is already in Solr."""
    from ckan.lib import search
    user, moderator = factories.User(), factories.Sysadmin()
    dataset = make_dataset(factories.Organization()["id"])
    reuse = approved_reuse(user, moderator)
    helpers.call_action("reuse_dataset_add", {"user": user["name"]}, id=reuse["id"], dataset_id=dataset["id"])
    search.clear_all()
    search.rebuild(dataset["id"])  # the dataset alone, its reuse not indexed yet
    assert _solr('id:"%s" AND num_reuses:1' % dataset["id"], fl="id")


def test_unknown_dataset_on_dataset_add_is_a_validation_error():
    user = factories.User()
    reuse = create_reuse(user)
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("reuse_dataset_add", {"user": user["name"]}, id=reuse["id"],
                            dataset_id="no-such-dataset")
    assert "dataset_id" in err.value.error_dict


def test_reuse_search_anonymous_sees_approved_only_with_facets():
    user, moderator = factories.User(), factories.Sysadmin()
    approved = approved_reuse(user, moderator)
    create_reuse(user)
    create_reuse(user, submit=True)
    public = helpers.call_action("reuse_search", {"user": ""}, **{"facet.field": '["reuse_type", "vocab_reuse_themes", "reuse_organization"]'})
    assert [r["id"] for r in public["results"]] == [approved["id"]]
    assert public["facets"]["reuse_type"] == {"application": 1}
    assert public["facets"]["vocab_reuse_themes"] == {"education": 1}
    own = helpers.call_action("reuse_search", {"user": user["name"]})
    assert own["count"] == 3
    queue = helpers.call_action("reuse_search", {"user": moderator["name"]}, moderation_state="pending")
    assert queue["count"] == 1


def test_reuses_stay_out_of_dataset_search_and_organisation_counts(app):
    user, moderator = factories.User(), factories.Sysadmin()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    dataset = make_dataset(org["id"])
    approved_reuse(user, moderator, owner_org=org["id"])
    found = helpers.call_action("package_search", {})
    assert [d["id"] for d in found["results"]] == [dataset["id"]]
    assert helpers.call_action("organization_show", {}, id=org["id"])["package_count"] == 1
    listed = helpers.call_action("organization_list", {}, all_fields=True)
    assert [o["package_count"] for o in listed] == [1]
    assert helpers.call_action("package_search", {}, fq="+dataset_type:reuse")["count"] == 1
    page = app.get("/dataset/")
    assert "Carte des" not in page.body
    assert "1 dataset" in page.body or "Écoles publiques" in page.body


def test_submitter_cannot_attach_a_reuse_to_an_organisation_they_do_not_edit():
    user = factories.User()
    stranger_org = factories.Organization()
    with pytest.raises(tk.ValidationError) as err:
        create_reuse(user, owner_org=stranger_org["id"])
    assert "owner_org" in err.value.error_dict
    own_org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    assert create_reuse(user, owner_org=own_org["name"])["owner_org"] == own_org["id"]

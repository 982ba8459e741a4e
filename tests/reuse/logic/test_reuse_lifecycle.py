"""Reuse fields, images, archive and purge, refused links, moderators, the
moderation queue and statistics, through the Action API on the real stack."""
from __future__ import annotations

import datetime
import io

import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from tests.conftest import PORTAL_PLUGINS
from tests.reuse.helpers import approved_reuse, create_reuse, dataset as make_dataset, publisher_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


def _num_reuses(dataset_id: str) -> int:
    """num_reuses of a dataset in Solr (indexed, not stored: found by query)."""
    return next(n for n in range(10) if helpers.call_action(
        "package_search", fq='+id:"%s" +num_reuses:%d' % (dataset_id, n))["count"])


def _reuse_count() -> int:
    return model.Session.query(model.Package).filter(model.Package.type == "reuse").count()


def test_descriptive_fields_round_trip_and_bad_values_name_the_field():
    user = factories.User()
    reuse = create_reuse(user, private=True, languages=["ar", "fr"], platforms=["web", "android"],
                         source_code_url="https://git.example.tn/carte", launch_date="2024-03-15",
                         event="OpenGovDataHack 2020")
    assert (reuse["languages"], reuse["platforms"]) == (["ar", "fr"], ["web", "android"])
    assert reuse["private"] is False
    assert reuse["source_code_url"] == "https://git.example.tn/carte"
    assert reuse["launch_date"] == "2024-03-15" and reuse["event"] == "OpenGovDataHack 2020"
    with pytest.raises(tk.ValidationError) as err:
        create_reuse(user, languages=["klingon"], platforms=["mainframe"],
                     source_code_url="javascript:alert(1)", launch_date="hier")
    assert {"languages", "platforms", "source_code_url", "launch_date"} <= set(err.value.error_dict)


def test_badges_and_archive_are_not_set_by_submitters():
    user, moderator = factories.User(), factories.Sysadmin()
    reuse = create_reuse(user, badges=["award_winner"], archived=True)
    assert not reuse.get("badges") and not reuse.get("archived")
    helpers.call_action("reuse_submit", {"user": user["name"]}, id=reuse["id"])
    helpers.call_action("reuse_moderate", {"user": moderator["name"]}, id=reuse["id"],
                        moderation_state="approved")
    badged = helpers.call_action("reuse_feature", {"user": moderator["name"]}, id=reuse["id"],
                                 featured=False, badges=["award_winner", "open_source"])
    assert badged["badges"] == ["award_winner", "open_source"] and badged["featured"] is False
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("reuse_feature", {"user": moderator["name"]}, id=reuse["id"],
                            badges=["gold"])
    assert "badges" in err.value.error_dict


def test_markdown_description_is_sanitised_on_save():
    user = factories.User()
    reuse = create_reuse(user, notes_translated={
        "ar": "<img src=x onerror=alert(1)>وصف", "fr": "**Carte** <script>alert(1)</script>[x](javascript:alert(2))"})
    assert reuse["notes_translated"] == {"ar": "وصف", "fr": "**Carte** [x](alert(2))"}
    assert "<script" not in reuse["notes"] and "onerror" not in reuse["notes"]


def test_uploaded_image_is_stored_and_oversize_or_wrong_files_are_refused(ckan_config, monkeypatch):
    user = factories.User()
    reuse = create_reuse(user, image_upload=FileStorage(io.BytesIO(PNG), "logo.png", content_type="image/png"))
    assert reuse["image_url"].endswith(".png") and "://" not in reuse["image_url"]
    before = _reuse_count()
    monkeypatch.setitem(ckan_config, "ckan.max_image_size", 1)
    big = PNG + b"\x00" * (1024 * 1024 + 10)
    with pytest.raises(tk.ValidationError) as err:
        create_reuse(user, image_upload=FileStorage(io.BytesIO(big), "big.png", content_type="image/png"))
    assert "image_upload" in err.value.error_dict
    with pytest.raises(tk.ValidationError) as err:
        create_reuse(user, image_upload=FileStorage(io.BytesIO(b"#!/bin/sh\necho hi\n"), "x.png",
                                                    content_type="image/png"))
    assert "image_upload" in err.value.error_dict
    assert _reuse_count() == before
    with pytest.raises(tk.ValidationError) as err:
        create_reuse(user, image_url="../../etc/passwd")
    assert "image_url" in err.value.error_dict


def test_archive_keeps_the_reuse_readable_and_out_of_the_gallery_search():
    user, moderator = factories.User(), factories.Sysadmin()
    reuse = approved_reuse(user, moderator)
    archived = helpers.call_action("reuse_archive", {"user": user["name"]}, id=reuse["id"])
    assert archived["archived"] is True and archived["moderation_state"] == "approved"
    assert helpers.call_action("reuse_show", {}, id=reuse["id"])["archived"] is True
    assert helpers.call_action("reuse_search", {}, fq="-archived:true")["count"] == 0
    back = helpers.call_action("reuse_archive", {"user": user["name"]}, id=reuse["id"], archived=False)
    assert back["archived"] is False


def test_purge_is_for_sysadmins_and_updates_dataset_counts():
    user, sysadmin = factories.User(), factories.Sysadmin()
    dataset, _ = publisher_dataset()
    reuse = approved_reuse(user, sysadmin)
    helpers.call_action("reuse_dataset_add", {"user": user["name"]}, id=reuse["id"], dataset_id=dataset["id"])
    assert _num_reuses(dataset["id"]) == 1
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("reuse_purge", {"user": user["name"], "ignore_auth": False}, id=reuse["id"])
    helpers.call_action("reuse_purge", {"user": sysadmin["name"]}, id=reuse["id"])
    assert model.Package.get(reuse["id"]) is None
    assert _num_reuses(dataset["id"]) == 0


def test_publisher_refuses_a_link_and_the_submitter_cannot_add_it_back():
    user, moderator = factories.User(), factories.Sysadmin()
    dataset, publisher = publisher_dataset()
    reuse = approved_reuse(user, moderator)
    as_user = {"user": user["name"]}
    helpers.call_action("reuse_dataset_add", as_user, id=reuse["id"], dataset_id=dataset["id"])
    refused = helpers.call_action("reuse_dataset_reject", {"user": publisher["name"]},
                                  id=reuse["id"], dataset_id=dataset["id"])
    assert refused["dataset_id"] == dataset["id"]
    shown = helpers.call_action("reuse_show", as_user, id=reuse["id"])
    assert shown["dataset_ids"] == [] and shown["rejected_dataset_ids"] == [dataset["id"]]
    assert _num_reuses(dataset["id"]) == 0
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("reuse_dataset_add", as_user, id=reuse["id"], dataset_id=dataset["id"])
    assert "dataset_id" in err.value.error_dict
    helpers.call_action("reuse_dataset_add", {"user": publisher["name"]},
                        id=reuse["id"], dataset_id=dataset["id"])
    again = helpers.call_action("reuse_show", as_user, id=reuse["id"])
    assert again["dataset_ids"] == [dataset["id"]] and again["rejected_dataset_ids"] == []


def test_unknown_dataset_and_bad_paging_name_the_field():
    user = factories.User()
    reuse = create_reuse(user)
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("reuse_dataset_add", {"user": user["name"]}, id=reuse["id"], dataset_id="nope")
    assert "dataset_id" in err.value.error_dict
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("reuse_dataset_list", {"user": user["name"]}, id=reuse["id"], rows=-1, start="x")
    assert {"rows", "start"} <= set(err.value.error_dict)


def test_named_moderators_are_added_listed_and_removed_by_sysadmins():
    sysadmin, user, candidate = factories.Sysadmin(), factories.User(), factories.User()
    reuse = create_reuse(user, submit=True)
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("reuse_moderator_add", {"user": user["name"], "ignore_auth": False},
                            username=candidate["name"])
    helpers.call_action("reuse_moderator_add", {"user": sysadmin["name"]}, username=candidate["name"])
    listed = helpers.call_action("reuse_moderator_list", {"user": candidate["name"]})
    assert {(m["name"], m["source"]) for m in listed} >= {
        (candidate["name"], "named"), (sysadmin["name"], "sysadmin")}
    assert user["name"] not in [m["name"] for m in listed]
    queue = helpers.call_action("reuse_moderation_list", {"user": candidate["name"], "ignore_auth": False})
    assert [r["id"] for r in queue["results"]] == [reuse["id"]]
    helpers.call_action("reuse_moderate", {"user": candidate["name"], "ignore_auth": False},
                        id=reuse["id"], moderation_state="needs_revision", moderator_note="Précisez")
    helpers.call_action("reuse_moderator_remove", {"user": sysadmin["name"]}, username=candidate["name"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("reuse_moderation_list", {"user": candidate["name"], "ignore_auth": False})
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("reuse_moderator_remove", {"user": sysadmin["name"]}, username=candidate["name"])
    assert "username" in err.value.error_dict
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("reuse_moderator_add", {"user": sysadmin["name"]}, username="ghost")
    assert "username" in err.value.error_dict


def test_stats_count_approved_pending_types_themes_months_and_datasets():
    user, moderator = factories.User(), factories.Sysadmin()
    dataset, _ = publisher_dataset()
    other_org_dataset, _ = publisher_dataset()
    first = approved_reuse(user, moderator, reuse_type="visualisation", themes=["education", "health"])
    approved_reuse(user, moderator, reuse_type="visualisation", themes=["health"])
    create_reuse(user, submit=True)
    create_reuse(user)  # a draft counts nowhere
    helpers.call_action("reuse_dataset_add", {"user": user["name"]}, id=first["id"], dataset_id=dataset["id"])
    stats = helpers.call_action("reuse_stats", {})
    month = datetime.datetime.utcnow().strftime("%Y-%m")
    assert stats == {"approved": 2, "pending": 1, "by_type": {"visualisation": 2},
                     "by_theme": {"health": 2, "education": 1}, "datasets_with_reuses": 1,
                     "approved_per_month": [{"month": month, "count": 2}]}
    org_stats = helpers.call_action("reuse_stats", {}, organization=dataset["owner_org"])
    assert (org_stats["approved"], org_stats["datasets_with_reuses"]) == (1, 1)
    assert helpers.call_action("reuse_stats", {}, organization=other_org_dataset["owner_org"])["approved"] == 0
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("reuse_stats", {}, organization="no-such-org")
    assert "organization" in err.value.error_dict


def test_moderation_list_orders_pending_reuses_and_skips_decided_ones():
    user, moderator = factories.User(), factories.Sysadmin()
    first = create_reuse(user, submit=True)
    second = create_reuse(user, submit=True)
    approved_reuse(user, moderator)
    create_reuse(user)
    queue = helpers.call_action("reuse_moderation_list", {"user": moderator["name"]})
    assert queue["count"] == 2
    assert [r["id"] for r in queue["results"]] == [first["id"], second["id"]]
    assert helpers.call_action("reuse_moderation_list", {"user": moderator["name"]}, rows=1,
                               start=1)["results"][0]["id"] == second["id"]


def test_linked_datasets_of_any_type_page_through_without_cap():
    user, moderator = factories.User(), factories.Sysadmin()
    dataset, _ = publisher_dataset()
    reuse = approved_reuse(user, moderator)
    ids = [dataset["id"]] + [make_dataset(dataset["owner_org"])["id"] for _n in range(4)]
    for dataset_id in ids:
        helpers.call_action("reuse_dataset_add", {"user": user["name"]}, id=reuse["id"], dataset_id=dataset_id)
    pages = [helpers.call_action("reuse_dataset_list", {}, id=reuse["id"], rows=2, start=s)
             for s in (0, 2, 4)]
    assert [p["count"] for p in pages] == [5, 5, 5]
    assert sorted(d["id"] for p in pages for d in p["results"]) == sorted(ids)

"""Reuse pages: gallery with facets and sorts, reuse page, forms, the
"Reuses" tab of datasets, home-page block, organisation counts, moderation."""
from __future__ import annotations

import io
import json
import re

import pytest

from ckan.tests import factories, helpers

from tests.conftest import PORTAL_PLUGINS
from tests.reuse.helpers import approved_reuse, create_reuse, publisher_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _env(user: dict) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="card-title h5"><a href="[^"]+">([^<]+)</a>', html)


def test_gallery_lists_only_approved_reuses_with_facets_and_sorts(app):
    user, moderator = factories.User(), factories.Sysadmin()
    dataset, _ = publisher_dataset()
    older = approved_reuse(user, moderator, title_translated={"ar": "عنوان", "fr": "Ancienne carte"},
                           reuse_type="visualisation", event="OpenGovDataHack 2020")
    newer = approved_reuse(user, moderator, title_translated={"ar": "عنوان", "fr": "Nouvelle appli"})
    create_reuse(user, submit=True, title_translated={"ar": "عنوان", "fr": "En attente"})
    helpers.call_action("reuse_dataset_add", {"user": user["name"]},
                        id=older["id"], dataset_id=dataset["id"])
    page = app.get("/fr/reuse").body
    assert _titles(page) == ["Nouvelle appli", "Ancienne carte"]
    assert "En attente" not in page
    assert "Visualisation" in page and "OpenGovDataHack 2020" in page  # facet labels
    by_datasets = app.get("/fr/reuse", query_string={"sort": "datasets"}).body
    assert _titles(by_datasets) == ["Ancienne carte", "Nouvelle appli"]
    filtered = app.get("/fr/reuse", query_string={"event": "OpenGovDataHack 2020"}).body
    assert _titles(filtered) == ["Ancienne carte"]
    by_type = app.get("/fr/reuse", query_string={"reuse_type": "visualisation"}).body
    assert _titles(by_type) == ["Ancienne carte"]
    helpers.call_action("reuse_feature", {"user": moderator["name"]}, id=older["id"])
    featured = app.get("/fr/reuse", query_string={"sort": "featured"}).body
    assert _titles(featured) == ["Ancienne carte", "Nouvelle appli"]
    helpers.call_action("reuse_archive", {"user": user["name"]}, id=newer["id"])
    assert _titles(app.get("/fr/reuse").body) == ["Ancienne carte"]
    assert "Nouvelle appli" in app.get("/fr/reuse", query_string={"archived": "true"}).body


def test_reuse_page_shows_image_launch_button_datasets_and_json_ld(app):
    user, moderator = factories.User(), factories.Sysadmin()
    dataset, _ = publisher_dataset()
    reuse = approved_reuse(user, moderator, image_url="https://apps.example.tn/shot.png",
                           url="https://apps.example.tn/carte")
    helpers.call_action("reuse_dataset_add", {"user": user["name"]},
                        id=reuse["id"], dataset_id=dataset["id"])
    html = app.get("/en/reuse/" + reuse["name"]).body
    assert 'src="https://apps.example.tn/shot.png"' in html
    launch = re.search(r'<a class="btn btn-primary btn-lg reuse-launch" href="([^"]+)" rel="([^"]+)"', html)
    assert launch.groups() == ("https://apps.example.tn/carte", "nofollow noopener")
    assert "Écoles publiques" in html or "المدارس" in html
    assert "Linked datasets (1)" in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["@type"] == "CreativeWork"
    assert ld["sameAs"] == "https://apps.example.tn/carte"
    assert len(ld["isBasedOn"]) == 1 and ld["isBasedOn"][0].endswith("/dataset/" + dataset["id"])
    assert ld["name"] and ld["genre"] == "Application"
    assert "amel" not in html.lower()  # submitter contact never public


def test_linked_datasets_are_paged(app):
    user, moderator = factories.User(), factories.Sysadmin()
    first, _ = publisher_dataset()
    reuse = approved_reuse(user, moderator)
    from tests.reuse.helpers import dataset as make_dataset
    for _n in range(11):
        target = make_dataset(first["owner_org"])
        helpers.call_action("reuse_dataset_add", {"user": user["name"]},
                            id=reuse["id"], dataset_id=target["id"])
    page1 = app.get("/en/reuse/" + reuse["name"]).body
    page2 = app.get("/en/reuse/" + reuse["name"], query_string={"page": 2}).body
    assert "Linked datasets (11)" in page1
    assert page1.count('<li class="mb-2">') == 10
    assert page2.count('<li class="mb-2">') == 1


def test_script_in_description_and_title_never_runs(app):
    user, moderator = factories.User(), factories.Sysadmin()
    reuse = approved_reuse(
        user, moderator,
        title_translated={"ar": "عنوان", "fr": "<script>alert('t')</script>Carte"},
        notes_translated={"ar": "وصف", "fr": "Texte <script>alert('x')</script> [lien](javascript:alert(1)) **gras**"})
    stored = helpers.call_action("reuse_show", {"user": user["name"]}, id=reuse["id"])
    assert "<script" not in stored["notes_translated"]["fr"]
    assert "javascript:" not in stored["notes_translated"]["fr"]
    html = app.get("/fr/reuse/" + reuse["name"]).body
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;Carte" in html
    assert "<strong>gras</strong>" in html


def test_pending_reuse_page_is_for_submitter_and_moderators(app):
    user, moderator = factories.User(), factories.Sysadmin()
    reuse = create_reuse(user, submit=True)
    assert app.get("/en/reuse/" + reuse["name"], status=403)
    other = factories.User()
    app.get("/en/reuse/" + reuse["name"], headers=_env(other), status=403)
    mine = app.get("/en/reuse/" + reuse["name"], headers=_env(user)).body
    assert "Awaiting moderation" in mine and 'name="moderation_state"' not in mine
    theirs = app.get("/en/reuse/" + reuse["name"], headers=_env(moderator)).body
    assert 'value="approved"' in theirs and 'value="rejected"' in theirs


def test_submit_form_creates_a_pending_reuse_with_uploaded_image(app):
    user = factories.User()
    form = app.get("/fr/reuse/new", headers=_env(user)).body
    assert 'name="title_translated-ar"' in form and 'name="image_upload"' in form
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
           b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
           b"\x00\x00\x00IEND\xaeB`\x82")
    response = app.post("/fr/reuse/new", headers=_env(user), data={
        "name": "carte-ecoles", "title_translated-fr": "Carte des écoles",
        "title_translated-ar": "خريطة المدارس", "notes_translated-fr": "Une carte",
        "notes_translated-ar": "خريطة", "url": "https://apps.example.tn/form",
        "reuse_type": "dashboard", "themes": "education", "submitter_type": "student",
        "event": "Hackathon Sfax 2024", "submit": "submit",
        "image_upload": (io.BytesIO(png), "capture.png"),
    }, follow_redirects=False)
    assert response.status_code == 302
    reuse = helpers.call_action("reuse_show", {"user": user["name"]}, id="carte-ecoles")
    assert reuse["moderation_state"] == "pending"
    assert reuse["event"] == "Hackathon Sfax 2024"
    assert reuse["image_url"].endswith(".png") and "://" not in reuse["image_url"]
    html = app.get("/fr/reuse/carte-ecoles", headers=_env(user)).body
    image = re.search(r'<img class="img-fluid reuse-image mb-3" src="([^"]+)"', html).group(1)
    assert app.get(image.replace("http://test.ckan.net", "")).data == png


def test_submit_form_keeps_input_and_names_fields_on_error(app):
    user = factories.User()
    html = app.post("/en/reuse/new", headers=_env(user), data={
        "name": "bad-reuse", "title_translated-fr": "Mauvaise", "url": "not a url",
        "reuse_type": "spaceship", "save": "draft"}).body
    assert "Reuse link" in html and "Reuse type" in html
    assert 'value="Mauvaise"' in html
    with pytest.raises(Exception):
        helpers.call_action("reuse_show", {"user": user["name"]}, id="bad-reuse")


def test_anonymous_submit_goes_to_login(app):
    response = app.get("/en/reuse/new", follow_redirects=False)
    assert response.status_code == 302 and "/user/login" in response.headers["Location"]


def test_moderator_approves_from_the_page_and_dataset_tab_shows_it(app):
    user, moderator = factories.User(), factories.Sysadmin()
    dataset, publisher = publisher_dataset()
    reuse = create_reuse(user, submit=True, title_translated={"ar": "عنوان", "fr": "Appli transports"})
    helpers.call_action("reuse_dataset_add", {"user": user["name"]},
                        id=reuse["id"], dataset_id=dataset["id"])
    tab = app.get("/fr/dataset/" + dataset["name"]).body
    assert "Réutilisations (0)</a>" in tab
    app.post("/fr/reuse/%s/moderate" % reuse["name"], headers=_env(moderator),
             data={"moderation_state": "approved", "moderator_note": "Bravo"})
    assert helpers.call_action("reuse_show", {}, id=reuse["id"])["moderation_state"] == "approved"
    page = app.get("/fr/dataset/%s/reuses" % dataset["name"]).body
    assert _titles(page) == ["Appli transports"]
    assert "Réutilisations (1)</a>" in app.get("/fr/dataset/" + dataset["name"]).body
    # the publisher refuses the link from the tab
    as_publisher = app.get("/fr/dataset/%s/reuses" % dataset["name"], headers=_env(publisher)).body
    assert "Refuser ce lien" in as_publisher and "Refuser ce lien" not in page
    app.post("/fr/reuse/%s/datasets/reject" % reuse["name"], headers=_env(publisher),
             data={"dataset_id": dataset["id"]})
    assert _titles(app.get("/fr/dataset/%s/reuses" % dataset["name"]).body) == []


def test_home_page_shows_featured_reuses_and_organisation_counts_reuses(app):
    user, moderator = factories.User(), factories.Sysadmin()
    dataset, _ = publisher_dataset()
    reuse = approved_reuse(user, moderator, title_translated={"ar": "عنوان", "fr": "Observatoire des prix"})
    approved_reuse(user, moderator, title_translated={"ar": "عنوان", "fr": "Pas à la une"})
    helpers.call_action("reuse_feature", {"user": moderator["name"]}, id=reuse["id"])
    helpers.call_action("reuse_dataset_add", {"user": user["name"]},
                        id=reuse["id"], dataset_id=dataset["id"])
    home = app.get("/fr/").body
    assert "Observatoire des prix" in home and "Pas à la une" not in home
    org_page = app.get("/fr/organization/" + dataset["organization"]["name"]).body
    count = re.search(r'<div class="nums reuse-nums">.*?<dd>.*?<span[^>]*>(\d+)</span>', org_page, re.S)
    assert count and count.group(1) == "1"


def test_edit_form_by_submitter(app):
    user = factories.User()
    reuse = create_reuse(user)
    form = app.get("/en/reuse/edit/" + reuse["name"], headers=_env(user)).body
    assert reuse["url"] in form
    app.post("/en/reuse/edit/" + reuse["name"], headers=_env(user), data={
        "name": reuse["name"], "title_translated-fr": "Titre changé",
        "title_translated-ar": "عنوان", "notes_translated-fr": "Desc", "notes_translated-ar": "وصف", "url": reuse["url"], "reuse_type": "api",
        "save": ""})
    assert helpers.call_action("reuse_show", {"user": user["name"]}, id=reuse["id"])["reuse_type"] == "api"
    app.get("/en/reuse/edit/" + reuse["name"], headers=_env(factories.User()), status=403)


def test_approval_appears_in_the_dataset_activity_stream(app):
    user, moderator = factories.User(), factories.Sysadmin()
    dataset, _ = publisher_dataset()
    reuse = create_reuse(user, submit=True, title_translated={"ar": "<b>تطبيق</b>", "fr": "<b>Appli</b> bus"})
    helpers.call_action("reuse_dataset_add", {"user": user["name"]}, id=reuse["id"], dataset_id=dataset["id"])
    helpers.call_action("reuse_moderate", {"user": moderator["name"]}, id=reuse["id"],
                        moderation_state="approved")
    stream = helpers.call_action("package_activity_list", {}, id=dataset["id"])
    assert [a["activity_type"] for a in stream][:1] == ["new reuse"]
    html = app.get("/en/dataset/activity/" + dataset["name"]).body
    assert "/reuse/" + reuse["name"] in html and "was published" in html
    assert "<b>Appli</b>" not in html and "<b>تطبيق</b>" not in html
    assert "&lt;b&gt;" in html


def test_page_buttons_feature_archive_link_unlink_and_delete(app):
    user, moderator = factories.User(), factories.Sysadmin()
    dataset, _ = publisher_dataset()
    reuse = approved_reuse(user, moderator)
    page = "/en/reuse/" + reuse["name"]
    app.post(page + "/datasets/add", headers=_env(user), data={"dataset_id": dataset["name"]})
    assert helpers.call_action("reuse_show", {}, id=reuse["id"])["dataset_ids"] == [dataset["id"]]
    app.post(page + "/datasets/remove", headers=_env(user), data={"dataset_id": dataset["id"]})
    assert helpers.call_action("reuse_show", {}, id=reuse["id"])["dataset_ids"] == []
    app.post(page + "/feature", headers=_env(user), data={"featured": "true"}, status=403)
    app.post(page + "/feature", headers=_env(moderator),
             data={"featured": "true", "badges": ["open_source", "award_winner"]})
    shown = helpers.call_action("reuse_show", {}, id=reuse["id"])
    assert shown["featured"] is True and sorted(shown["badges"]) == ["award_winner", "open_source"]
    assert "Open source" in app.get(page).body
    app.post(page + "/archive", headers=_env(user), data={"archived": "true"})
    assert "This reuse is archived" in app.get(page).body
    bad = app.post(page + "/datasets/add", headers=_env(user), data={"dataset_id": "nope"}).body
    assert "Dataset not found" in bad
    assert "Are you sure" in app.get("/en/reuse/delete/" + reuse["name"], headers=_env(user)).body
    app.post("/en/reuse/delete/" + reuse["name"], headers=_env(factories.User()), status=403)
    app.post("/en/reuse/delete/" + reuse["name"], headers=_env(user))
    app.get(page, status=404)
    assert "This reuse is archived" in app.get(page, headers=_env(moderator)).body


def test_sysadmins_name_and_remove_reuse_moderators_from_the_admin_page(app):
    sysadmin, candidate = factories.Sysadmin(), factories.User()
    app.get("/en/ckan-admin/reuse-moderators", headers=_env(candidate), status=403)
    page = app.get("/en/ckan-admin/reuse-moderators", headers=_env(sysadmin)).body
    assert sysadmin["name"] in page and candidate["name"] not in page
    app.post("/en/ckan-admin/reuse-moderators/add", headers=_env(sysadmin),
             data={"username": candidate["name"]})
    page = app.get("/en/ckan-admin/reuse-moderators", headers=_env(sysadmin)).body
    assert candidate["name"] in page
    queue = helpers.call_action("reuse_moderation_list", {"user": candidate["name"], "ignore_auth": False})
    assert queue["count"] == 0
    app.post("/en/ckan-admin/reuse-moderators/remove", headers=_env(sysadmin),
             data={"username": candidate["name"]})
    assert candidate["name"] not in app.get("/en/ckan-admin/reuse-moderators", headers=_env(sysadmin)).body
    error = app.post("/en/ckan-admin/reuse-moderators/add", headers=_env(sysadmin),
                     data={"username": "ghost"}).body
    assert "User not found" in error


def test_a_query_solr_cannot_parse_shows_a_message_not_an_error(app):
    html = app.get("/en/reuse", query_string={"q": "title:(carte"}).body
    assert "The search could not be understood" in html


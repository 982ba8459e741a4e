"""Data request, feedback and moderation pages: list with facets and sorts,
the organisation tab, the form, the request page with its timeline and the
publishers' panel, the feedback section of datasets, the moderation queue."""
from __future__ import annotations

import importlib
import re

import pytest

from ckan.tests import factories

from tests.conftest import PORTAL_PLUGINS
from tests.reuse.datarequest_helpers import (  # noqa: F401
    call, open_request, publisher_org, request_data, run_jobs, smtp_server)
from tests.reuse.helpers import create_reuse, dataset as make_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _auth(user: dict) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="/(?:\w\w/)?datarequest/[0-9a-f-]+" dir="auto">([^<]+)</a>', html)


def test_list_with_facets_sorts_and_the_organisation_tab(app):
    moderator, citizen, fan = factories.Sysadmin(), factories.User(), factories.User()
    org, _ = publisher_org(name="ministere-sante", title_translated={
        "ar": "وزارة الصحة", "fr": "Ministère de la Santé"})
    old = open_request(citizen, moderator, title="Carte des hôpitaux", organizations=[org["id"]],
                       themes=["health"])
    new = open_request(citizen, moderator, title="Budget des communes", themes=["economy"])
    call("datarequest_create", citizen, **request_data(title="Pas encore modérée"))
    call("datarequest_vote", fan, id=old["id"])
    page = app.get("/fr/datarequest").body
    assert _titles(page) == ["Budget des communes", "Carte des hôpitaux"]
    assert "Pas encore modérée" not in page
    assert "Ministère de la Santé" in page and "Santé" in page  # facets in French
    assert "وزارة الصحة" not in page
    assert "وزارة الصحة" in app.get("/ar/datarequest").body
    form = app.get("/fr/datarequest/new", headers=_auth(citizen)).body
    assert '<option value="ministere-sante">Ministère de la Santé</option>' in form
    assert _titles(app.get("/fr/datarequest", query_string={"sort": "most_voted"}).body) == [
        "Carte des hôpitaux", "Budget des communes"]
    assert _titles(app.get("/fr/datarequest", query_string={"theme": "economy"}).body) == [
        "Budget des communes"]
    tab = app.get("/fr/organization/datarequests/ministere-sante").body
    assert _titles(tab) == ["Carte des hôpitaux"]
    assert "Demandes de données (1)" in app.get("/fr/organization/ministere-sante").body \
        or "Data requests (1)" in app.get("/en/organization/ministere-sante").body
    assert new["id"]


def test_form_requires_login_then_files_and_keeps_input_on_errors(app):
    response = app.get("/fr/datarequest/new", follow_redirects=False)
    assert response.status_code == 302 and "/user/login" in response.headers["Location"]
    citizen = factories.User()
    org, _ = publisher_org(name="ministere-transport")
    html = app.post("/fr/datarequest/new", headers=_auth(citizen), data={
        "title": "", "description": "Les horaires", "kind": "new_dataset",
        "themes": ["transport"], "organizations": ["ministere-transport"]}).body
    assert 'id="field-title"' in html
    assert "Missing value" in html or "Valeur manquante" in html
    assert "Les horaires" in html
    response = app.post("/fr/datarequest/new", headers=_auth(citizen), data={
        "title": "Horaires des trains", "description": "Toutes les lignes",
        "kind": "new_dataset", "themes": ["transport"], "desired_formats": ["CSV", "JSON"],
        "organizations": ["ministere-transport"], "keywords": "train, horaires"},
        follow_redirects=False)
    assert response.status_code == 302
    created = call("datarequest_search", citizen)["results"][0]
    assert created["title"] == "Horaires des trains" and created["status"] == "submitted"
    assert created["desired_formats"] == ["CSV", "JSON"] and created["keywords"] == ["train", "horaires"]
    assert [o["name"] for o in created["organizations"]] == ["ministere-transport"]
    assert org["id"]


def test_request_page_timeline_official_answer_and_escaping(app):
    moderator, citizen = factories.Sysadmin(), factories.User()
    org, editor = publisher_org(title="Ministère du Transport")
    request = open_request(citizen, moderator, organizations=[org["id"]],
                           description="<script>alert('x')</script> **gras**")
    call("datarequest_comment_create", editor, id=request["id"], body="Nous y travaillons",
         official=True)
    call("datarequest_comment_create", citizen, id=request["id"],
         body="[cliquez](javascript:alert(1)) <img src=x onerror=alert(2)>")
    html = app.get("/fr/datarequest/" + request["id"]).body
    assert "<script>alert" not in html and "<strong>gras</strong>" in html
    assert "javascript:alert" not in html and "onerror" not in html
    assert "Nous y travaillons" in html
    assert re.search(r'data-event="official_answer"', html)
    assert html.count('class="mb-2 datarequest-event"') == 4  # created, assigned, open, answer
    assert "datarequest-manage" not in html  # anonymous: no publisher panel
    assert "datarequest-manage" not in app.get("/fr/datarequest/" + request["id"],
                                               headers=_auth(factories.User())).body


def test_publisher_changes_the_status_from_the_page(app):
    moderator, citizen = factories.Sysadmin(), factories.User()
    org, editor = publisher_org()
    request = open_request(citizen, moderator, organizations=[org["id"]])
    page = app.get("/fr/datarequest/" + request["id"], headers=_auth(editor)).body
    assert "datarequest-manage" in page and 'value="fulfilled"' in page
    after = app.post("/fr/datarequest/%s/status" % request["id"], headers=_auth(editor),
                     data={"status": "rejected"}, follow_redirects=True).body
    assert call("datarequest_show", None, id=request["id"])["status"] == "open"
    assert "Motif: Indiquez le motif du rejet" in after  # the field error, named as in the form
    dataset = make_dataset(org["id"])
    app.post("/fr/datarequest/%s/status" % request["id"], headers=_auth(editor),
             data={"status": "fulfilled", "dataset_id": dataset["name"]})
    shown = call("datarequest_show", None, id=request["id"])
    assert shown["status"] == "fulfilled" and shown["datasets"][0]["name"] == dataset["name"]
    app.post("/fr/datarequest/%s/vote" % request["id"], headers=_auth(citizen))
    assert call("datarequest_show", None, id=request["id"])["vote_count"] == 1


def test_feedback_section_on_dataset_pages(app):
    org, editor = publisher_org()
    dataset = make_dataset(org["id"])
    citizen = factories.User()
    anonymous_view = app.get("/fr/dataset/" + dataset["name"]).body
    assert 'id="feedback"' in anonymous_view and "feedback-form" not in anonymous_view
    assert "/fr/datarequest/new?dataset_id=" + dataset["name"] in anonymous_view
    app.post("/fr/dataset/%s/feedback" % dataset["name"], headers=_auth(citizen),
             data={"kind": "question", "title": "Unité ?", "body": "En dinars ?"})
    app.post("/fr/dataset/%s/rate" % dataset["name"], headers=_auth(citizen), data={"rating": "4"})
    thread = call("feedback_list", None, package_id=dataset["id"])["results"][0]
    app.post("/fr/feedback/%s/reply" % thread["id"], headers=_auth(editor),
             data={"body": "Oui, en dinars", "package_id": dataset["name"]})
    html = app.get("/fr/dataset/" + dataset["name"]).body
    assert "En dinars ?" in html and "Oui, en dinars" in html
    assert 'class="badge bg-primary"' in html  # the publisher's answer
    assert "4.0" in html
    assert "feedback-reply-form" not in html  # anonymous cannot answer


@pytest.mark.ckan_config("ckanext.reuse.moderators", "moderatrice")
def test_moderation_queue_page(app):
    moderator = factories.User(name="moderatrice")
    citizen = factories.User()
    request = call("datarequest_create", citizen, **request_data(title="À valider"))
    reuse = create_reuse(citizen, submit=True, title_translated={"ar": "تطبيق", "fr": "Appli à valider"})
    opened = open_request(citizen, moderator)
    call("abuse_report_create", factories.User(), subject_type="datarequest",
         subject_id=opened["id"], reason="offensive", message="Insultes")
    assert app.get("/fr/moderation", headers=_auth(citizen), status=403)
    html = app.get("/fr/moderation", headers=_auth(moderator)).body
    assert 'class="reuse-moderation-link"' in html  # in the moderator's account bar
    assert 'class="reuse-moderation-link"' not in app.get("/fr/datarequest",
                                                          headers=_auth(citizen)).body
    assert "À valider" in html and "Appli à valider" in html and "Insultes" in html
    assert "reuse-moderation-item" in html  # the reuse showcase's snippet
    only_reports = app.get("/fr/moderation", query_string={"section": "reports"},
                           headers=_auth(moderator)).body
    assert "Insultes" in only_reports and "À valider" not in only_reports
    app.post("/fr/moderation/decide", headers=_auth(moderator), data={
        "kind": "datarequest", "id": request["id"], "decision": "approve"})
    assert call("datarequest_show", None, id=request["id"])["status"] == "open"
    assert reuse["id"]


def test_moderation_queue_pages_through_a_long_section(app, monkeypatch):
    # the module (the package's attribute of that name is its Blueprint)
    monkeypatch.setattr(importlib.import_module("ckanext.reuse.views.moderation"), "PAGE_SIZE", 2)
    moderator = factories.Sysadmin()
    titles = {f"Demande {n}" for n in range(5)}
    for title in titles:
        call("datarequest_create", factories.User(), **request_data(title=title))

    def page(**args: str) -> str:
        return app.get("/fr/moderation", query_string=args, headers=_auth(moderator)).body

    assert "Voir les 5" in page()  # "everything" links to the whole section
    seen, number = [], 1
    while True:
        shown = page(section="datarequests", page=str(number))
        seen += _titles(shown)
        if f"page={number + 1}" not in shown:
            break
        number += 1
    assert number == 3 and len(seen) == 5 and set(seen) == titles


def test_forms_never_send_users_to_another_site(app):
    moderator, citizen = factories.Sysadmin(), factories.User()
    request = open_request(citizen, moderator)
    response = app.post("/fr/report", headers=_auth(factories.User()), data={
        "subject_type": "datarequest", "subject_id": request["id"], "reason": "spam",
        "came_from": "//evil.example.com/phish"}, follow_redirects=False)
    assert response.status_code == 302
    assert "evil.example.com" not in response.headers["Location"]
    assert call("abuse_report_list", moderator)["count"] == 1


def test_every_form_route_of_the_request_page(app):
    moderator, citizen, fan = factories.Sysadmin(), factories.User(), factories.User()
    org, editor = publisher_org()
    other_org, _ = publisher_org(name="ministere-finances")
    dataset = make_dataset(org["id"])
    request = open_request(citizen, moderator, organizations=[org["id"]])
    rid, page = request["id"], "/fr/datarequest/" + request["id"]

    def post(user: dict, path: str, **data: str) -> None:
        response = app.post(page + path, headers=_auth(user), data=data, follow_redirects=False)
        assert response.status_code == 302, (path, response.status_code)

    post(fan, "/follow")
    post(fan, "/vote")
    assert call("datarequest_show", fan, id=rid)["user_is_following"]
    post(fan, "/unfollow")
    post(fan, "/unvote")
    shown = call("datarequest_show", fan, id=rid)
    assert not shown["user_is_following"] and shown["vote_count"] == 0
    post(fan, "/comment", body="Moi aussi")
    comment = call("datarequest_comment_list", None, id=rid)[0]
    post(fan, "/comment/%s/delete" % comment["id"])
    assert call("datarequest_comment_list", None, id=rid) == []
    post(editor, "/datasets", dataset_id=dataset["name"])
    assert [d["id"] for d in call("datarequest_show", None, id=rid)["datasets"]] == [dataset["id"]]
    post(editor, "/datasets", dataset_id=dataset["id"], unlink="1")
    assert call("datarequest_show", None, id=rid)["datasets"] == []
    post(editor, "/organizations", organization_id="ministere-finances")
    post(editor, "/organizations", organization_id=org["name"], unassign="1")
    assert [o["id"] for o in call("datarequest_show", None, id=rid)["organizations"]] == [
        other_org["id"]]
    # forms of other users' requests are refused
    assert app.post(page + "/datasets", headers=_auth(fan), data={"dataset_id": dataset["id"]},
                    status=403)
    # edit, then delete a request awaiting moderation
    edited = app.get("/fr/datarequest/edit/" + rid, headers=_auth(citizen)).body
    assert 'value="%s"' % request["title"] in edited
    app.post("/fr/datarequest/edit/" + rid, headers=_auth(citizen), data={
        "title": "Titre corrigé", "description": "Nouvelle description", "kind": "new_dataset",
        "organizations": ["ministere-finances"]})
    assert call("datarequest_show", None, id=rid)["title"] == "Titre corrigé"
    pending = call("datarequest_create", citizen, **request_data())
    app.post("/fr/datarequest/%s/delete" % pending["id"], headers=_auth(citizen))
    assert call("datarequest_search", citizen)["count"] == 1


def test_feedback_close_route(app):
    org, editor = publisher_org()
    dataset = make_dataset(org["id"])
    thread = call("feedback_create", factories.User(), package_id=dataset["id"],
                  kind="anomaly", body="Colonne vide")
    response = app.post("/fr/feedback/%s/close" % thread["id"], headers=_auth(editor),
                        data={"reason": "Corrigé", "package_id": dataset["name"]},
                        follow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/dataset/%s#feedback" % dataset["name"])
    assert call("feedback_show", None, id=thread["id"])["status"] == "closed"


def test_user_tab_lists_the_requests_a_user_filed(app):
    moderator, citizen = factories.Sysadmin(), factories.User(name="amel")
    open_request(citizen, moderator, title="Budget des communes")
    call("datarequest_create", citizen, **request_data(title="En attente"))
    open_request(factories.User(), moderator, title="Demande d'un autre")
    public = app.get("/fr/user/datarequests/amel").body
    assert _titles(public) == ["Budget des communes"]
    assert sorted(_titles(app.get("/fr/user/datarequests/amel", headers=_auth(citizen)).body)) == [
        "Budget des communes", "En attente"]
    assert "/fr/user/datarequests/amel" in app.get("/fr/user/amel").body


def test_feedback_tab_of_organisations(app):
    org, editor = publisher_org(name="office-statistique")
    dataset = make_dataset(org["id"], title_translated={"ar": "السكان", "fr": "Population"})
    thread = call("feedback_create", factories.User(), package_id=dataset["id"],
                  kind="anomaly", body="Totaux faux")
    assert "Retours (1)" in app.get("/fr/organization/office-statistique").body
    tab = app.get("/fr/organization/feedback/office-statistique", headers=_auth(editor)).body
    assert "Totaux faux" in tab and "Population" in tab and "feedback-reply-form" in tab
    call("feedback_close", editor, id=thread["id"])
    assert "Totaux faux" not in app.get("/fr/organization/feedback/office-statistique").body
    closed = app.get("/fr/organization/feedback/office-statistique",
                     query_string={"status": "closed"}).body
    assert "Totaux faux" in closed


@pytest.mark.usefixtures("with_test_worker", "clean_queues")
@pytest.mark.ckan_config("ckan.locale_default", "fr")
def test_emails_are_written_in_the_portal_language_not_the_actors(app, smtp_server):
    moderator, citizen = factories.Sysadmin(), factories.User(email="citoyen@example.tn")
    org, editor = publisher_org()
    request = open_request(citizen, moderator, organizations=[org["id"]])
    run_jobs()
    smtp_server.messages.clear()
    app.post("/ar/datarequest/%s/status" % request["id"], headers=_auth(editor),
             data={"status": "rejected", "status_reason": "سر إحصائي"})
    run_jobs()
    smtp_server.wait_for(1)
    assert smtp_server.recipients() == ["citoyen@example.tn"]
    body = smtp_server.bodies()[0]
    assert "Le statut d'une demande de données que vous suivez a changé : Rejetée" in body
    assert "سر إحصائي" in body

"""Feedback on datasets: threads with replies, publishers' answers and
closing, ratings shown as an average, visibility on private datasets."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.reuse.model import Feedback
from ckan import model
from tests.conftest import PORTAL_PLUGINS
from tests.reuse.datarequest_helpers import call, publisher_org, run_jobs, smtp_server  # noqa: F401
from tests.reuse.helpers import dataset as make_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def published():
    org, editor = publisher_org()
    dataset = make_dataset(org["id"], resources=[{"url": "https://data.example.tn/a.csv",
                                                  "format": "CSV", "name": "A"}])
    return {"org": org, "editor": editor, "dataset": dataset}


def test_question_answered_by_the_publisher_then_closed(published):
    citizen, editor, dataset = factories.User(), published["editor"], published["dataset"]
    question = call("feedback_create", citizen, package_id=dataset["name"], kind="question",
                    title="Unité ?", body="Les montants sont-ils en dinars ?",
                    resource_id=dataset["resources"][0]["id"])
    assert question["status"] == "open" and question["dataset"]["id"] == dataset["id"]
    reply = call("feedback_reply", editor, id=question["id"], body="Oui, en dinars.")
    assert reply["official"] and reply["organization"]["id"] == published["org"]["id"]
    thread = call("feedback_show", None, id=question["id"])
    assert thread["status"] == "answered" and thread["reply_count"] == 1
    assert [r["body"] for r in thread["replies"]] == ["Oui, en dinars."]
    own = call("feedback_reply", citizen, id=question["id"], body="Merci")
    assert not own["official"]
    closed = call("feedback_close", editor, id=question["id"], reason="Répondu")
    assert closed["status"] == "closed" and closed["closed_by"]
    with pytest.raises(tk.ValidationError) as err:
        call("feedback_reply", citizen, id=question["id"], body="Encore")
    assert set(err.value.error_dict) == {"status"}


def test_others_cannot_answer_or_close(published):
    citizen, stranger = factories.User(), factories.User()
    _, other_editor = publisher_org()
    thread = call("feedback_create", citizen, package_id=published["dataset"]["id"],
                  kind="anomaly", body="La colonne 3 est vide")
    for user in (stranger, other_editor, None):
        with pytest.raises(tk.NotAuthorized):
            call("feedback_reply", user, id=thread["id"], body="x")
        with pytest.raises(tk.NotAuthorized):
            call("feedback_close", user, id=thread["id"])
    with pytest.raises(tk.NotAuthorized):
        call("feedback_create", None, package_id=published["dataset"]["id"],
             kind="comment", body="anonyme")


def test_bad_feedback_names_the_fields(published):
    citizen = factories.User()
    other = make_dataset(published["org"]["id"], resources=[{"url": "https://x.tn/b.csv"}])
    with pytest.raises(tk.ValidationError) as err:
        call("feedback_create", citizen, package_id="no-such-dataset", kind="rant",
             body="", rating=9)
    assert set(err.value.error_dict) == {"package_id", "kind", "body", "rating"}
    with pytest.raises(tk.ValidationError) as err:
        call("feedback_create", citizen, package_id=published["dataset"]["id"],
             kind="comment", body="x", resource_id=other["resources"][0]["id"])
    assert set(err.value.error_dict) == {"resource_id"}
    assert model.Session.query(Feedback).count() == 0


def test_one_rating_per_user_shown_as_an_average(published):
    dataset_id = published["dataset"]["id"]
    first, second = factories.User(), factories.User()
    call("feedback_create", first, package_id=dataset_id, kind="comment", body="Bien",
         rating=5)
    call("dataset_rate", first, package_id=dataset_id, rating=4)  # replaces the 5
    assert call("dataset_rate", second, package_id=dataset_id, rating=1) == {
        "average": 2.5, "count": 2}
    shown = call("dataset_rating_show", first, package_id=dataset_id)
    assert shown["average"] == 2.5 and shown["user_rating"] == 4
    listed = call("feedback_list", None, package_id=dataset_id)
    assert listed["count"] == 1 and listed["rating"]["count"] == 2
    with pytest.raises(tk.ValidationError):
        call("dataset_rate", first, package_id=dataset_id, rating=0)


def test_feedback_on_private_datasets_stays_private(published):
    org, editor = published["org"], published["editor"]
    private = make_dataset(org["id"], private=True)
    call("feedback_create", editor, package_id=private["id"], kind="comment", body="Interne")
    with pytest.raises(tk.NotAuthorized):
        call("feedback_list", factories.User(), package_id=private["id"])
    with pytest.raises(tk.NotAuthorized):
        call("feedback_create", factories.User(), package_id=private["id"],
             kind="comment", body="x")
    assert call("feedback_list", None, organization=org["name"])["count"] == 0
    assert call("feedback_list", editor, package_id=private["id"])["count"] == 1
    assert call("feedback_list", editor, organization=org["name"])["count"] == 1  # a member


def test_list_filters_and_paging(published):
    dataset_id, citizen = published["dataset"]["id"], factories.User()
    for n in range(3):
        call("feedback_create", citizen, package_id=dataset_id, kind="question", body="Q%d" % n)
    call("feedback_create", citizen, package_id=dataset_id, kind="suggestion", body="S")
    assert call("feedback_list", None, package_id=dataset_id, kind="question")["count"] == 3
    page = call("feedback_list", None, user=citizen["name"], limit=2, offset=2)
    assert page["count"] == 4 and [f["body"] for f in page["results"]] == ["Q1", "Q0"]


@pytest.mark.usefixtures("with_test_worker", "clean_queues")
def test_publishers_are_emailed_about_new_feedback(smtp_server, published):
    editor = published["editor"]
    call("feedback_create", factories.User(), package_id=published["dataset"]["id"],
         kind="anomaly", title="Colonne vide", body="La colonne 3 est vide")
    run_jobs()
    smtp_server.wait_for(1)
    assert smtp_server.recipients() == [editor["email"]]
    assert "La colonne 3 est vide" in smtp_server.bodies()[0]

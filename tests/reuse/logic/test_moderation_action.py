"""Abuse reports, the one moderation queue, moderators' decisions and the
purge of a spammer's posts."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories

from ckanext.reuse.model import AbuseReport, DataRequest, DataRequestComment, Feedback
from tests.conftest import PORTAL_PLUGINS
from tests.reuse.datarequest_helpers import (  # noqa: F401
    call, open_request, publisher_org, request_data, run_jobs, smtp_server)
from tests.reuse.helpers import create_reuse, dataset as make_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.reuse.moderators", "moderatrice"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def moderator():
    return factories.User(name="moderatrice")


def test_queue_lists_submitted_requests_pending_reuses_and_reports(moderator):
    citizen = factories.User()
    submitted = call("datarequest_create", citizen, **request_data(title="À modérer"))
    opened = open_request(citizen, moderator)
    reuse = create_reuse(citizen, submit=True)
    comment = call("datarequest_comment_create", citizen, id=opened["id"], body="Achetez ici")
    report = call("abuse_report_create", factories.User(), subject_type="datarequest_comment",
                  subject_id=comment["id"], reason="spam", message="Publicité")
    queue = call("moderation_queue_list", moderator)
    assert [r["title"] for r in queue["datarequests"]["results"]] == ["À modérer"]
    assert [r["id"] for r in queue["reuses"]["results"]] == [reuse["id"]]
    assert queue["reports"]["count"] == 1
    item = queue["reports"]["results"][0]
    assert item["id"] == report["id"] and item["subject"]["title"] == "Achetez ici"
    assert item["subject"]["path"].endswith("#comment-" + comment["id"])
    assert set(call("moderation_queue_list", moderator, section="reports")) == {"reports"}
    for user in (citizen, None):
        with pytest.raises(tk.NotAuthorized):
            call("moderation_queue_list", user)
    assert submitted["status"] == "submitted"


def test_decisions_on_requests(moderator):
    citizen = factories.User()
    first = call("datarequest_create", citizen, **request_data())
    second = call("datarequest_create", citizen, **request_data())
    third = call("datarequest_create", citizen, **request_data())
    approved = call("moderation_decide", moderator, kind="datarequest", id=first["id"],
                    decision="approve")
    assert approved["result"]["status"] == "open"
    with pytest.raises(tk.ValidationError) as err:
        call("moderation_decide", moderator, kind="datarequest", id=second["id"],
             decision="reject")
    assert set(err.value.error_dict) == {"status_reason"}
    rejected = call("moderation_decide", moderator, kind="datarequest", id=second["id"],
                    decision="reject", reason="Hors sujet")
    assert rejected["result"]["status"] == "rejected"
    call("moderation_decide", moderator, kind="datarequest", id=third["id"], decision="spam")
    with pytest.raises(tk.NotAuthorized):
        call("datarequest_show", citizen, id=third["id"])
    assert call("datarequest_event_list", moderator, id=third["id"])[-1]["event_type"] == "hidden"
    assert call("moderation_queue_list", moderator)["datarequests"]["count"] == 0
    with pytest.raises(tk.ValidationError) as err:
        call("moderation_decide", moderator, kind="datarequest", id=first["id"],
             decision="feature")
    assert set(err.value.error_dict) == {"decision"}


def test_reported_feedback_hidden_and_reports_closed(moderator):
    org, editor = publisher_org()
    dataset = make_dataset(org["id"])
    spammer, reporter, other = factories.User(), factories.User(), factories.User()
    thread = call("feedback_create", spammer, package_id=dataset["id"], kind="comment",
                  body="Gagnez de l'argent")
    first = call("abuse_report_create", reporter, subject_type="feedback",
                 subject_id=thread["id"], reason="spam")
    call("abuse_report_create", other, subject_type="feedback", subject_id=thread["id"],
         reason="offensive")
    with pytest.raises(tk.ValidationError) as err:  # one open report per user
        call("abuse_report_create", reporter, subject_type="feedback",
             subject_id=thread["id"], reason="spam")
    assert set(err.value.error_dict) == {"subject_id"}
    call("moderation_decide", moderator, kind="report", id=first["id"], decision="hide")
    assert call("feedback_list", None, package_id=dataset["id"])["count"] == 0
    assert model.Session.query(AbuseReport).filter_by(status="open").count() == 0
    assert {r.outcome for r in model.Session.query(AbuseReport)} == {"hidden"}
    restored = call("moderation_decide", moderator, kind="feedback", id=thread["id"],
                    decision="restore")
    assert restored["result"]["hidden"] is False
    assert call("feedback_list", None, package_id=dataset["id"])["count"] == 1


def test_reports_need_a_known_visible_item(moderator):
    reporter = factories.User()
    with pytest.raises(tk.ValidationError) as err:
        call("abuse_report_create", reporter, subject_type="planet", subject_id="x",
             reason="boring")
    assert set(err.value.error_dict) == {"subject_type", "reason"}
    submitted = call("datarequest_create", factories.User(), **request_data())
    with pytest.raises(tk.ValidationError) as err:  # not public yet
        call("abuse_report_create", reporter, subject_type="datarequest",
             subject_id=submitted["id"], reason="spam")
    assert set(err.value.error_dict) == {"subject_id"}
    with pytest.raises(tk.NotAuthorized):
        call("abuse_report_create", None, subject_type="datarequest",
             subject_id=submitted["id"], reason="spam")


def test_dismissed_report_keeps_the_item(moderator):
    citizen = factories.User()
    opened = open_request(citizen, moderator)
    report = call("abuse_report_create", factories.User(), subject_type="datarequest",
                  subject_id=opened["id"], reason="other")
    call("moderation_decide", moderator, kind="report", id=report["id"], decision="dismiss")
    assert call("datarequest_show", None, id=opened["id"])["visibility"] == "visible"
    with pytest.raises(tk.ValidationError):
        call("moderation_decide", moderator, kind="report", id=report["id"], decision="hide")


def test_purge_removes_everything_a_spammer_posted(moderator):
    org, _ = publisher_org()
    dataset = make_dataset(org["id"])
    spammer, citizen = factories.User(), factories.User()
    honest = open_request(citizen, moderator)
    spammer_id = model.User.get(spammer["name"]).id
    created = DataRequest.get(honest["id"]).created
    model.Session.add_all([  # more than two internal pages
        DataRequestComment(id="spam-%03d" % n, datarequest_id=honest["id"], user_id=spammer_id,
                           body="spam", state="active", created=created) for n in range(205)])
    model.Session.commit()
    for _ in range(3):
        call("datarequest_create", spammer, **request_data())
    call("datarequest_vote", spammer, id=honest["id"])
    call("feedback_create", spammer, package_id=dataset["id"], kind="comment", body="spam")
    reuse = create_reuse(spammer, submit=True)
    counts = call("moderation_purge_user", moderator, user=spammer["name"])
    assert counts == {"datarequests": 3, "datarequest_comments": 205, "feedback_replies": 0,
                      "feedback": 1, "reports": 0, "reuses": 1}
    left = call("datarequest_show", None, id=honest["id"])
    assert left["comment_count"] == 0 and left["vote_count"] == 0
    assert model.Session.query(Feedback).count() == 0
    assert model.Package.get(reuse["id"]).state == "deleted"
    with pytest.raises(tk.ValidationError) as err:
        call("moderation_purge_user", moderator, user=moderator["name"])
    assert set(err.value.error_dict) == {"user"}
    with pytest.raises(tk.NotAuthorized):
        call("moderation_purge_user", citizen, user=spammer["name"])


def test_reuses_through_the_same_queue(moderator):
    citizen = factories.User()
    pending = create_reuse(citizen, submit=True)
    decided = call("moderation_decide", moderator, kind="reuse", id=pending["id"],
                   decision="approve", reason="Bravo")
    assert decided["result"]["moderation_state"] == "approved"
    report = call("abuse_report_create", factories.User(), subject_type="reuse",
                  subject_id=pending["id"], reason="illegal")
    assert report["subject"]["path"] == "/reuse/" + pending["name"]
    call("moderation_decide", moderator, kind="report", id=report["id"], decision="hide")
    assert model.Package.get(pending["id"]).state == "deleted"
    assert call("abuse_report_list", moderator)["count"] == 0


@pytest.mark.usefixtures("with_test_worker", "clean_queues")
def test_every_kind_of_moderator_is_emailed_about_reports(moderator, smtp_server):
    named = factories.User(email="nommee@example.tn")
    call("reuse_moderator_add", factories.Sysadmin(email="admin@example.tn"),
         username=named["name"])
    opened = open_request(factories.User(), moderator)
    run_jobs()
    smtp_server.messages.clear()
    call("abuse_report_create", factories.User(), subject_type="datarequest",
         subject_id=opened["id"], reason="personal_data", message="Mon adresse")
    run_jobs()
    smtp_server.wait_for(3)
    assert sorted(smtp_server.recipients()) == sorted(
        ["nommee@example.tn", "admin@example.tn", moderator["email"]])
    assert all("Mon adresse" in body and "/moderation" in body for body in smtp_server.bodies())

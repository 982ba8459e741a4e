"""Data request actions on the real stack: filing, moderation, the status
workflow and its timeline, publishers' answers, comments, follows, votes,
search, statistics, rate limit and notification emails."""
from __future__ import annotations

import datetime

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories

from ckanext.reuse.model import DataRequest
from tests.conftest import PORTAL_PLUGINS
from tests.reuse.datarequest_helpers import (
    call, open_request, publisher_org, request_data, run_jobs, smtp_server)  # noqa: F401
from tests.reuse.helpers import dataset as make_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _errors(excinfo) -> set[str]:
    return set(excinfo.value.error_dict)


# ----------------------------------------------------------------- filing

def test_citizen_files_a_request_that_awaits_moderation():
    citizen = factories.User()
    org, _ = publisher_org()
    created = call("datarequest_create", citizen,
                   **request_data(organizations=[org["name"]], keywords="bus، horaires, bus"))
    assert created["status"] == "submitted"
    assert created["requester"]["name"] == citizen["name"]
    assert [o["name"] for o in created["organizations"]] == [org["name"]]
    assert created["desired_formats"] == ["CSV", "JSON"]
    assert created["keywords"] == ["bus", "horaires"]
    assert created["user_is_following"] and created["follower_count"] == 1
    events = call("datarequest_event_list", citizen, id=created["id"])
    assert [e["event_type"] for e in events] == ["created", "assigned"]
    # not public before moderation
    with pytest.raises(tk.NotAuthorized):
        call("datarequest_show", None, id=created["id"])
    assert call("datarequest_search", None)["count"] == 0
    assert call("datarequest_search", citizen)["count"] == 1


def test_bad_input_names_the_fields_and_writes_nothing():
    citizen = factories.User()
    with pytest.raises(tk.ValidationError) as err:
        call("datarequest_create", citizen, **request_data(
            title="x" * 201, description="", organizations=["no-such-org"],
            themes=["astrology"], kind="wish", dataset_id="no-such-dataset",
            desired_frequency="sometimes"))
    assert _errors(err) == {"title", "description", "organizations", "themes", "kind",
                            "dataset_id", "desired_frequency"}
    assert model.Session.query(DataRequest).count() == 0


def test_anonymous_cannot_file():
    with pytest.raises(tk.NotAuthorized):
        call("datarequest_create", None, **request_data())


def test_moderation_opens_the_request_with_a_due_date():
    citizen, moderator = factories.User(), factories.Sysadmin()
    opened = open_request(citizen, moderator)
    assert opened["status"] == "open"
    expected = datetime.date.today() + datetime.timedelta(days=30)
    assert opened["due_date"] == expected.isoformat()
    assert call("datarequest_show", None, id=opened["id"])["title"] == opened["title"]


# ----------------------------------------------------------------- workflow

@pytest.fixture
def targeted():
    """An open request targeting an organisation, with its editor."""
    citizen, moderator = factories.User(), factories.Sysadmin()
    org, editor = publisher_org()
    request = open_request(citizen, moderator, organizations=[org["id"]])
    return {"request": request, "citizen": citizen, "moderator": moderator,
            "org": org, "editor": editor}


def test_invalid_transition_is_refused_on_status(targeted):
    with pytest.raises(tk.ValidationError) as err:
        call("datarequest_status_update", targeted["moderator"],
             id=targeted["request"]["id"], status="submitted")
    assert _errors(err) == {"status"}


def test_each_closing_status_needs_its_field(targeted):
    editor, rid = targeted["editor"], targeted["request"]["id"]
    needs = {"planned": "approx_publishing_date", "fulfilled": "dataset_ids",
             "rejected": "status_reason", "duplicate": "duplicate_of"}
    for status, field in needs.items():
        with pytest.raises(tk.ValidationError) as err:
            call("datarequest_status_update", editor, id=rid, status=status)
        assert _errors(err) == {field}, status
    assert call("datarequest_show", editor, id=rid)["status"] == "open"


def test_publisher_answers_plans_and_fulfils_with_a_timeline(targeted):
    editor, rid, org = targeted["editor"], targeted["request"]["id"], targeted["org"]
    answer = call("datarequest_comment_create", editor, id=rid, official=True,
                  body="Nous préparons les données.")
    assert answer["official"] and answer["organization"]["id"] == org["id"]
    assert call("datarequest_show", None, id=rid)["first_answered_at"]
    call("datarequest_status_update", editor, id=rid, status="under_review")
    planned = call("datarequest_status_update", editor, id=rid, status="planned",
                   approx_publishing_date="2027-03-01")
    assert planned["approx_publishing_date"] == "2027-03-01"
    dataset = make_dataset(org["id"])
    done = call("datarequest_status_update", editor, id=rid, status="fulfilled",
                dataset_ids=[dataset["name"]])
    assert done["status"] == "fulfilled" and done["is_closed"] and done["closed_at"]
    assert [d["name"] for d in done["datasets"]] == [dataset["name"]]
    timeline = call("datarequest_event_list", None, id=rid)
    assert [(e["event_type"], e["to_status"]) for e in timeline] == [
        ("created", "submitted"), ("assigned", None), ("status", "open"),
        ("official_answer", None), ("status", "under_review"), ("status", "planned"),
        ("dataset_linked", None), ("status", "fulfilled")]
    assert timeline[-2]["dataset"]["name"] == dataset["name"]
    assert timeline[3]["organization"]["name"] == org["name"]
    # a fulfilled request keeps its last dataset
    with pytest.raises(tk.ValidationError) as err:
        call("datarequest_unlink_dataset", editor, id=rid, dataset_id=dataset["id"])
    assert _errors(err) == {"dataset_id"}


def test_rejection_reason_duplicate_and_reopen(targeted):
    editor, rid = targeted["editor"], targeted["request"]["id"]
    rejected = call("datarequest_status_update", editor, id=rid, status="rejected",
                    status_reason="Données couvertes par le secret statistique")
    assert rejected["status_reason"].startswith("Données")
    reopened = call("datarequest_status_update", editor, id=rid, status="open")
    assert reopened["closed_at"] is None and reopened["status_reason"] is None
    other = open_request(targeted["citizen"], targeted["moderator"])
    dup = call("datarequest_status_update", targeted["moderator"], id=other["id"],
               status="duplicate", duplicate_of=rid)
    assert dup["duplicate_of_id"] == rid
    with pytest.raises(tk.ValidationError) as err:
        call("datarequest_status_update", targeted["moderator"], id=rid,
             status="duplicate", duplicate_of="nope")
    assert _errors(err) == {"duplicate_of"}


@pytest.mark.ckan_config("ckanext.reuse.datarequest.allow_reopen", "false")
def test_reopening_can_be_switched_off(targeted):
    editor, rid = targeted["editor"], targeted["request"]["id"]
    call("datarequest_status_update", editor, id=rid, status="rejected", status_reason="Non")
    with pytest.raises(tk.ValidationError):
        call("datarequest_status_update", editor, id=rid, status="open")


def test_requester_withdraws_but_cannot_fulfil(targeted):
    citizen, rid = targeted["citizen"], targeted["request"]["id"]
    with pytest.raises(tk.NotAuthorized):
        call("datarequest_status_update", citizen, id=rid, status="under_review")
    withdrawn = call("datarequest_status_update", citizen, id=rid, status="withdrawn")
    assert withdrawn["status"] == "withdrawn" and withdrawn["first_answered_at"] is None


def test_only_publishers_of_targeted_organisations_answer(targeted):
    _, other_editor = publisher_org()
    rid = targeted["request"]["id"]
    with pytest.raises(tk.NotAuthorized):
        call("datarequest_status_update", other_editor, id=rid, status="under_review")
    with pytest.raises(tk.ValidationError) as err:
        call("datarequest_comment_create", other_editor, id=rid, body="Moi", official=True)
    assert _errors(err) == {"organization_id"}
    # a plain comment by anyone logged in is fine, and is not an answer
    comment = call("datarequest_comment_create", other_editor, id=rid, body="Moi aussi")
    assert not comment["official"]
    assert call("datarequest_show", None, id=rid)["first_answered_at"] is None


def test_transfer_to_another_organisation(targeted):
    editor, rid = targeted["editor"], targeted["request"]["id"]
    other_org, other_editor = publisher_org()
    call("datarequest_assign", editor, id=rid, organization_id=other_org["name"])
    moved = call("datarequest_unassign", editor, id=rid, organization_id=targeted["org"]["id"])
    assert [o["id"] for o in moved["organizations"]] == [other_org["id"]]
    with pytest.raises(tk.NotAuthorized):  # no longer a publisher of it
        call("datarequest_status_update", editor, id=rid, status="under_review")
    assert call("datarequest_status_update", other_editor, id=rid,
                status="under_review")["status"] == "under_review"
    with pytest.raises(tk.ValidationError) as err:
        call("datarequest_assign", other_editor, id=rid, organization_id="no-such-org")
    assert _errors(err) == {"organization_id"}


def test_update_patch_and_delete_rules(targeted):
    citizen, rid = targeted["citizen"], targeted["request"]["id"]
    patched = call("datarequest_patch", citizen, id=rid, title="Horaires des bus (toutes lignes)")
    assert patched["title"] == "Horaires des bus (toutes lignes)"
    assert patched["themes"] == ["transport"]
    assert call("datarequest_event_list", None, id=rid)[-1]["data"] == {"fields": ["title"]}
    with pytest.raises(tk.NotAuthorized):  # moderated: only moderators delete
        call("datarequest_delete", citizen, id=rid)
    call("datarequest_status_update", targeted["editor"], id=rid, status="under_review")
    with pytest.raises(tk.NotAuthorized):  # answered: the requester no longer edits
        call("datarequest_patch", citizen, id=rid, title="Autre")
    call("datarequest_delete", targeted["moderator"], id=rid)
    with pytest.raises(tk.ObjectNotFound):
        call("datarequest_show", None, id=rid)


# ----------------------------------------------------------------- engagement

def test_search_results_say_what_the_user_voted_for_and_follows(targeted):
    rid, fan = targeted["request"]["id"], factories.User()
    other = open_request(factories.User(), factories.Sysadmin(), title="Autre demande")
    call("datarequest_vote", fan, id=rid)
    call("datarequest_follow", fan, id=other["id"])
    found = {r["id"]: r for r in call("datarequest_search", fan)["results"]}
    assert (found[rid]["user_has_voted"], found[rid]["user_is_following"]) == (True, False)
    assert (found[other["id"]]["user_has_voted"], found[other["id"]]["user_is_following"]) == (False, True)
    anonymous = call("datarequest_search", None)["results"]
    assert not any(r["user_has_voted"] or r["user_is_following"] for r in anonymous)


def test_comments_follow_and_one_vote_per_user(targeted):
    rid, fan = targeted["request"]["id"], factories.User()
    comment = call("datarequest_comment_create", fan, id=rid, body="<script>alert(1)</script>")
    edited = call("datarequest_comment_update", fan, id=comment["id"], body="Très utile")
    assert edited["body"] == "Très utile" and edited["modified"]
    with pytest.raises(tk.NotAuthorized):
        call("datarequest_comment_update", targeted["citizen"], id=comment["id"], body="x")
    voted = call("datarequest_vote", fan, id=rid)
    assert voted["vote_count"] == 1 and voted["user_has_voted"]
    with pytest.raises(tk.ValidationError) as err:
        call("datarequest_vote", fan, id=rid)
    assert _errors(err) == {"vote"}
    followed = call("datarequest_follow", fan, id=rid)
    assert followed["follower_count"] == 2  # the requester follows too
    assert call("datarequest_unfollow", fan, id=rid)["follower_count"] == 1
    assert call("datarequest_unvote", fan, id=rid)["vote_count"] == 0
    assert call("datarequest_show", None, id=rid)["comment_count"] == 1
    call("datarequest_comment_delete", fan, id=comment["id"])
    assert call("datarequest_comment_list", None, id=rid) == []
    with pytest.raises(tk.NotAuthorized):
        call("datarequest_vote", None, id=rid)


# ----------------------------------------------------------------- search

def test_search_facets_sorts_and_paging():
    moderator = factories.Sysadmin()
    org, _ = publisher_org(name="ministere-transport")
    citizens = [factories.User() for _ in range(3)]
    bus = open_request(citizens[0], moderator, title="Horaires des bus", organizations=[org["id"]])
    water = open_request(citizens[0], moderator, title="Qualité de l'eau", themes=["environment"],
                         kind="data_quality_issue")
    train = open_request(citizens[1], moderator, title="Retards des trains")
    call("datarequest_create", citizens[2], **request_data(title="Pas encore modéré"))
    for citizen in citizens:
        call("datarequest_vote", citizen, id=water["id"])
    call("datarequest_vote", citizens[2], id=train["id"])

    found = call("datarequest_search", None)
    assert found["count"] == 3
    assert found["facets"]["status"] == {"open": 3}
    assert found["facets"]["kind"] == {"new_dataset": 2, "data_quality_issue": 1}
    assert found["facets"]["organization"] == {"ministere-transport": 1}
    assert found["facets"]["theme"] == {"transport": 2, "environment": 1}
    most_voted = call("datarequest_search", None, sort="most_voted")["results"]
    assert [r["id"] for r in most_voted] == [water["id"], train["id"], bus["id"]]
    page = call("datarequest_search", None, sort="oldest", limit=2, offset=2)
    assert page["count"] == 3 and [r["id"] for r in page["results"]] == [train["id"]]
    assert [r["id"] for r in call("datarequest_search", None, q="TRAIN")["results"]] == [train["id"]]
    assert call("datarequest_search", None, organization="ministere-transport")["count"] == 1
    assert call("datarequest_search", None, theme="environment")["count"] == 1
    assert call("datarequest_search", None, q="100%_")["count"] == 0
    with pytest.raises(tk.ValidationError) as err:
        call("datarequest_search", None, sort="random", kind="wish")
    assert {"sort", "kind"} <= _errors(err)


# ----------------------------------------------------------------- statistics

def test_stats_per_organisation(targeted):
    editor, org, rid = targeted["editor"], targeted["org"], targeted["request"]["id"]
    second = open_request(targeted["citizen"], targeted["moderator"], organizations=[org["id"]])
    open_request(targeted["citizen"], targeted["moderator"])  # not for this organisation
    call("datarequest_status_update", editor, id=rid, status="rejected", status_reason="Non")
    stats = call("datarequest_stats", None, organization=org["name"])
    assert stats["received"] == 2 and stats["answered"] == 1 and stats["fulfilled"] == 0
    assert 0 <= stats["median_days_to_first_answer"] < 0.01
    dataset = make_dataset(org["id"])
    call("datarequest_status_update", editor, id=second["id"], status="fulfilled",
         dataset_ids=[dataset["id"]])
    assert call("datarequest_stats", None, organization=org["id"])["fulfilled"] == 1
    assert call("datarequest_stats", None)["received"] == 3
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    assert call("datarequest_stats", None, since=tomorrow) == {
        "received": 0, "answered": 0, "fulfilled": 0, "median_days_to_first_answer": None}
    with pytest.raises(tk.ValidationError) as err:
        call("datarequest_stats", None, organization="nope", since="yesterday")
    assert _errors(err) == {"organization", "since"}


# ----------------------------------------------------------------- anti-spam

@pytest.mark.usefixtures("clean_redis")
@pytest.mark.ckan_config("ckanext.reuse.rate_limit.writes", "2")
def test_rate_limit_in_redis_spares_moderators():
    citizen, moderator = factories.User(), factories.Sysadmin()
    call("datarequest_create", citizen, **request_data())
    call("datarequest_create", citizen, **request_data())
    with pytest.raises(tk.ValidationError) as err:
        call("datarequest_create", citizen, **request_data())
    assert _errors(err) == {"rate_limit"}
    assert model.Session.query(DataRequest).count() == 2
    for _ in range(3):
        call("datarequest_create", moderator, **request_data())


# ----------------------------------------------------------------- emails

@pytest.mark.usefixtures("with_test_worker", "clean_queues")
def test_followers_and_publishers_get_emails(smtp_server, targeted):
    editor, rid = targeted["editor"], targeted["request"]["id"]
    fan = factories.User(email="fan@example.tn")
    call("datarequest_follow", fan, id=rid)
    run_jobs()  # emails of the moderation step
    smtp_server.messages.clear()
    call("datarequest_status_update", editor, id=rid, status="rejected",
         status_reason="Secret statistique")
    run_jobs()
    smtp_server.wait_for(2)
    assert sorted(smtp_server.recipients()) == sorted(
        [targeted["citizen"]["email"], "fan@example.tn"])
    assert all("Secret statistique" in body and "/datarequest/" + rid in body
               for body in smtp_server.bodies())


def test_private_datasets_cannot_be_named_or_linked(targeted):
    editor, rid, org = targeted["editor"], targeted["request"]["id"], targeted["org"]
    private = make_dataset(org["id"], private=True)
    with pytest.raises(tk.ValidationError) as err:
        call("datarequest_create", editor, **request_data(kind="extend_dataset",
                                                          dataset_id=private["name"]))
    assert _errors(err) == {"dataset_id"}
    with pytest.raises(tk.ValidationError) as err:
        call("datarequest_link_dataset", editor, id=rid, dataset_id=private["id"])
    assert _errors(err) == {"dataset_id"}
    with pytest.raises(tk.ValidationError) as err:
        call("datarequest_status_update", editor, id=rid, status="fulfilled",
             dataset_ids=[private["id"]])
    assert _errors(err) == {"dataset_ids"}
    assert call("datarequest_show", None, id=rid)["datasets"] == []


def test_every_transition_of_the_status_machine():
    """Each (from, to) pair is accepted exactly when the workflow allows it,
    given everything the target status needs."""
    closing = {"rejected", "duplicate", "withdrawn"}
    allowed = {
        "submitted": {"open"} | closing,
        "open": {"under_review", "planned", "fulfilled"} | closing,
        "under_review": {"open", "planned", "fulfilled"} | closing,
        "planned": {"under_review", "fulfilled", "rejected", "withdrawn"},
        "fulfilled": {"open"}, "rejected": {"open"}, "duplicate": {"open"}, "withdrawn": {"open"},
    }
    moderator, citizen = factories.Sysadmin(), factories.User()
    org, _ = publisher_org()
    dataset = make_dataset(org["id"])
    original = open_request(citizen, moderator)
    request = call("datarequest_create", citizen, **request_data())
    row = DataRequest.get(request["id"])
    needs = {"status_reason": "Motif", "approx_publishing_date": "2027-01-01",
             "dataset_ids": [dataset["id"]], "duplicate_of": original["id"]}
    wrong = []
    for old in allowed:
        for new in allowed:
            row.status = old
            model.Session.commit()
            try:
                call("datarequest_status_update", moderator, id=row.id, status=new, **needs)
                accepted = True
            except tk.ValidationError as error:
                assert set(error.error_dict) == {"status"}, (old, new, error.error_dict)
                accepted = False
            if accepted != (new in allowed[old]):
                wrong.append((old, new, accepted))
    assert wrong == []

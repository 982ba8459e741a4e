"""Who may do what with data requests, feedback, reports and the moderation
queue: the authorisation matrix of every action."""
from __future__ import annotations

import pytest

from ckan.tests import factories

from tests.conftest import PORTAL_PLUGINS
from tests.reuse.datarequest_helpers import call, open_request, request_data
from tests.reuse.helpers import allowed
from tests.reuse.helpers import dataset as make_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.reuse.moderators", "moderatrice"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

ROLES = ("anonymous", "registered", "requester", "member", "editor", "admin",
         "other_org", "moderator", "sysadmin")




@pytest.fixture
def world():
    """An open and a submitted request targeting an organisation, a comment
    and a feedback thread of the requester, and one user per role."""
    users = {role: factories.User() for role in ROLES[1:5] + ROLES[5:7]}
    users["moderator"] = factories.User(name="moderatrice")
    users["sysadmin"] = factories.Sysadmin()
    org = factories.Organization(users=[
        {"name": users[r]["name"], "capacity": r} for r in ("member", "editor", "admin")])
    factories.Organization(users=[{"name": users["other_org"]["name"], "capacity": "editor"}])
    opened = open_request(users["requester"], users["moderator"], organizations=[org["id"]])
    submitted = call("datarequest_create", users["requester"],
                     **request_data(organizations=[org["id"]]))
    comment = call("datarequest_comment_create", users["requester"], id=opened["id"],
                   body="Précision")
    dataset = make_dataset(org["id"])
    thread = call("feedback_create", users["requester"], package_id=dataset["id"],
                  kind="question", body="Unité ?")
    names = {role: users[role]["name"] for role in users}
    names["anonymous"] = ""
    return {"names": names, "open": opened["id"], "submitted": submitted["id"],
            "comment": comment["id"], "dataset": dataset["id"], "thread": thread["id"]}


Y, N = True, False
# role:        anon reg req  memb edit admn othr mod  sys
MATRIX = [
    ("datarequest_create", {}, (N, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("datarequest_show", {"id": "open"}, (Y, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("datarequest_show", {"id": "submitted"}, (N, N, Y, N, Y, Y, N, Y, Y)),
    ("datarequest_search", {}, (Y, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("datarequest_stats", {}, (Y, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("datarequest_event_list", {"id": "open"}, (Y, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("datarequest_comment_list", {"id": "submitted"}, (N, N, Y, N, Y, Y, N, Y, Y)),
    ("datarequest_update", {"id": "open"}, (N, N, Y, N, N, N, N, Y, Y)),
    ("datarequest_patch", {"id": "submitted"}, (N, N, Y, N, N, N, N, Y, Y)),
    ("datarequest_delete", {"id": "open"}, (N, N, N, N, N, N, N, Y, Y)),
    ("datarequest_delete", {"id": "submitted"}, (N, N, Y, N, N, N, N, Y, Y)),
    ("datarequest_status_update", {"id": "open", "status": "under_review"},
     (N, N, N, N, Y, Y, N, Y, Y)),
    ("datarequest_status_update", {"id": "open", "status": "withdrawn"},
     (N, N, Y, N, N, N, N, Y, Y)),
    ("datarequest_status_update", {"id": "submitted", "status": "open"},
     (N, N, N, N, N, N, N, Y, Y)),
    ("datarequest_assign", {"id": "open"}, (N, N, N, N, Y, Y, N, Y, Y)),
    ("datarequest_unassign", {"id": "open"}, (N, N, N, N, Y, Y, N, Y, Y)),
    ("datarequest_link_dataset", {"id": "open"}, (N, N, N, N, Y, Y, N, Y, Y)),
    ("datarequest_unlink_dataset", {"id": "open"}, (N, N, N, N, Y, Y, N, Y, Y)),
    ("datarequest_comment_create", {"id": "open"}, (N, Y, Y, Y, Y, Y, Y, Y, Y)),
    # sysadmins pass every CKAN auth function
    ("datarequest_comment_update", {"id": "comment"}, (N, N, Y, N, N, N, N, N, Y)),
    ("datarequest_comment_delete", {"id": "comment"}, (N, N, Y, N, N, N, N, Y, Y)),
    ("datarequest_follow", {"id": "open"}, (N, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("datarequest_unfollow", {"id": "open"}, (N, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("datarequest_vote", {"id": "open"}, (N, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("datarequest_vote", {"id": "submitted"}, (N, N, Y, N, Y, Y, N, Y, Y)),
    ("datarequest_unvote", {"id": "open"}, (N, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("feedback_create", {"package_id": "dataset"}, (N, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("feedback_show", {"id": "thread"}, (Y, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("feedback_list", {}, (Y, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("feedback_reply", {"id": "thread"}, (N, N, Y, N, Y, Y, N, Y, Y)),
    ("feedback_close", {"id": "thread"}, (N, N, Y, N, Y, Y, N, Y, Y)),
    ("dataset_rate", {"package_id": "dataset"}, (N, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("dataset_rating_show", {"package_id": "dataset"}, (Y, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("abuse_report_create", {}, (N, Y, Y, Y, Y, Y, Y, Y, Y)),
    ("abuse_report_list", {}, (N, N, N, N, N, N, N, Y, Y)),
    ("moderation_queue_list", {}, (N, N, N, N, N, N, N, Y, Y)),
    ("moderation_decide", {}, (N, N, N, N, N, N, N, Y, Y)),
    ("moderation_purge_user", {}, (N, N, N, N, N, N, N, Y, Y)),
]


def test_matrix(world):
    """Every row of MATRIX, on one set of users (building them is the slow part)."""
    wrong = {}
    for auth, data, expected in MATRIX:
        data = {key: world[value] if key in ("id", "package_id") else value
                for key, value in data.items()}
        got = {role: allowed(auth, world["names"][role], data) for role in ROLES}
        diff = {role: got[role] for role, want in zip(ROLES, expected) if got[role] != want}
        if diff:
            wrong["{} {}".format(auth, data)] = diff
    assert wrong == {}


def test_hidden_request_only_for_moderators(world):
    call("moderation_decide", world["names"]["moderator"], kind="datarequest",
         id=world["open"], decision="spam")
    got = tuple(allowed("datarequest_show", world["names"][r], {"id": world["open"]})
                for r in ROLES)
    assert got == (N, N, N, N, N, N, N, Y, Y)

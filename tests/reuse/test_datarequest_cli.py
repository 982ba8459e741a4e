"""``ckan reuse datarequest-reminders`` (digests to a real SMTP server) and
``ckan reuse purge-spammer``."""
from __future__ import annotations

import pytest

from ckan.cli.cli import ckan
from ckan.tests import factories

from tests.conftest import PORTAL_PLUGINS
from tests.reuse.datarequest_helpers import (  # noqa: F401
    call, open_request, request_data, run_jobs, smtp_server)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.reuse.email_notifications", "false"),
    pytest.mark.usefixtures("with_plugins", "with_extended_cli", "clean_db", "clean_index"),
]


def _overdue(requester, moderator, title, orgs, due="2020-01-31"):
    request = open_request(requester, moderator, title=title, organizations=orgs)
    return call("datarequest_patch", moderator, id=request["id"], due_date=due)


def test_reminders_send_one_digest_per_publisher(cli, smtp_server):
    moderator = factories.Sysadmin(email="moderation@example.tn")
    citizen = factories.User()
    admin_a, editor_a, editor_b, member_a = (factories.User(email=e) for e in (
        "admin-a@example.tn", "editor-a@example.tn", "editor-b@example.tn", "member@example.tn"))
    org_a = factories.Organization(users=[
        {"name": admin_a["name"], "capacity": "admin"},
        {"name": editor_a["name"], "capacity": "editor"},
        {"name": member_a["name"], "capacity": "member"}])
    org_b = factories.Organization(users=[{"name": editor_b["name"], "capacity": "editor"}])
    _overdue(citizen, moderator, "Budget communal", [org_a["id"]])
    _overdue(citizen, moderator, "Qualité de l'air", [org_a["id"], org_b["id"]])
    _overdue(citizen, moderator, "Pas encore dû", [org_a["id"]], due="2999-01-01")
    _overdue(citizen, moderator, "Sans destinataire", [])
    closed = _overdue(citizen, moderator, "Déjà rejetée", [org_b["id"]])
    call("datarequest_status_update", moderator, id=closed["id"], status="rejected",
         status_reason="Non")

    dry = cli.invoke(ckan, ["reuse", "datarequest-reminders", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "overdue requests: 3, recipients: 4, queued: 0, sent: 0" in dry.output
    assert smtp_server.messages == []

    result = cli.invoke(ckan, ["reuse", "datarequest-reminders", "--now"])
    assert result.exit_code == 0, result.output
    assert "queued: 0, sent: 4, failed: 0" in result.output
    smtp_server.wait_for(4)
    mails = dict(zip(smtp_server.recipients(), smtp_server.bodies()))
    assert set(mails) == {"admin-a@example.tn", "editor-a@example.tn", "editor-b@example.tn",
                          "moderation@example.tn"}
    assert "Budget communal" in mails["admin-a@example.tn"]
    assert "Qualité de l'air" in mails["admin-a@example.tn"]
    assert "Budget communal" not in mails["editor-b@example.tn"]
    assert "Sans destinataire" in mails["moderation@example.tn"]
    assert not any("Pas encore dû" in body or "Déjà rejetée" in body for body in mails.values())
    subjects = dict(zip(smtp_server.recipients(), smtp_server.subjects()))
    assert "2" in subjects["editor-a@example.tn"] and "1" in subjects["editor-b@example.tn"]


def test_purge_spammer_command(cli):
    moderator, spammer = factories.Sysadmin(), factories.User()
    for _ in range(2):
        call("datarequest_create", spammer, **request_data())
    result = cli.invoke(ckan, ["reuse", "purge-spammer", spammer["name"], "--yes"])
    assert result.exit_code == 0, result.output
    assert "datarequests: 2" in result.output
    assert call("datarequest_search", moderator)["count"] == 0
    refused = cli.invoke(ckan, ["reuse", "purge-spammer", moderator["name"], "--yes"])
    assert refused.exit_code != 0 and "Moderators cannot be purged" in refused.output


@pytest.mark.usefixtures("with_test_worker", "clean_queues")
def test_reminders_go_through_background_jobs(cli, smtp_server):
    moderator = factories.Sysadmin(email="moderation@example.tn")
    editor = factories.User(email="editeur@example.tn")
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    _overdue(factories.User(), moderator, "Budget communal", [org["id"]])
    result = cli.invoke(ckan, ["reuse", "datarequest-reminders"])
    assert result.exit_code == 0, result.output
    assert "queued: 1, sent: 0" in result.output
    assert smtp_server.messages == []  # nothing sent before a worker runs
    run_jobs()
    smtp_server.wait_for(1)
    assert smtp_server.recipients() == ["editeur@example.tn"]
    assert "Budget communal" in smtp_server.bodies()[0]

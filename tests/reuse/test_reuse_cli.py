"""``ckan reuse check-links`` against real HTTP servers on 127.0.0.1,
``ckan reuse import-showcases`` and ``ckan reuse send-digests`` (real SMTP)."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest

from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.reuse.model.reuse import ReuseLinkCheck
from tests.conftest import PORTAL_PLUGINS
from tests.reuse.datarequest_helpers import smtp_server  # noqa: F401 (fixture)
from tests.reuse.helpers import approved_reuse, create_reuse, publisher_dataset

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "with_extended_cli", "clean_db", "clean_index"),
]


class _Site(BaseHTTPRequestHandler):
    """/ok 200, /gone 404, /slow answers after the checker's timeout,
    /to-private redirects to another loopback address, /moved → /ok."""
    requests_seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).requests_seen.append(self.path)
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/to-private":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.2:9/admin")
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        else:
            self.send_response({"/ok": 200, "/slow": 200}.get(self.path, 404))
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    _Site.requests_seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d" % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _status(reuse: dict) -> ReuseLinkCheck:
    from ckan import model
    model.Session.expire_all()
    return model.Session.get(ReuseLinkCheck, reuse["id"])


@pytest.mark.ckan_config("ckanext.reuse.check_links.allowed_hosts", "127.0.0.1")
@pytest.mark.ckan_config("ckanext.reuse.check_links.timeout", "1")
@pytest.mark.ckan_config("ckanext.reuse.check_links.concurrency", "3")
def test_check_links_records_status_and_flags_dead_links(cli, site):
    user, moderator = factories.User(), factories.Sysadmin()
    reuses = {path: approved_reuse(user, moderator, url=site + path)
              for path in ("/ok", "/gone", "/slow", "/to-private", "/moved")}
    intranet = approved_reuse(user, moderator, url="http://10.20.30.40/app")
    result = cli.invoke(ckan, ["reuse", "check-links"])
    assert result.exit_code == 0, result.output
    assert "ok: 2, dead: 2, refused: 2" in result.output
    assert "Checking reuse links" in result.output
    assert (_status(reuses["/ok"]).status, _status(reuses["/ok"]).http_status) == ("ok", 200)
    assert _status(reuses["/moved"]).status == "ok"
    assert (_status(reuses["/gone"]).status, _status(reuses["/gone"]).http_status) == ("dead", 404)
    assert _status(reuses["/slow"]).status == "dead" and "Timeout" in _status(reuses["/slow"]).error
    assert _status(reuses["/to-private"]).status == "refused"
    assert "127.0.0.2" in _status(reuses["/to-private"]).error
    assert _status(intranet).status == "refused" and "10.20.30.40" in _status(intranet).error
    queue = helpers.call_action("reuse_moderation_list", {"user": moderator["name"]})
    flagged = {r["id"]: r["link_status"]["status"] for r in queue["results"]}
    assert flagged == {reuses["/gone"]["id"]: "dead", reuses["/slow"]["id"]: "dead"}
    shown = helpers.call_action("reuse_show", {}, id=reuses["/gone"]["id"])
    assert shown["link_status"]["http_status"] == 404


def test_check_links_refuses_private_addresses_unless_allow_listed(cli, site):
    user, moderator = factories.User(), factories.Sysadmin()
    reuse = approved_reuse(user, moderator, url=site + "/ok")
    result = cli.invoke(ckan, ["reuse", "check-links", reuse["name"]])
    assert result.exit_code == 0, result.output
    assert "ok: 0, dead: 0, refused: 1" in result.output
    assert _status(reuse).status == "refused"
    assert _Site.requests_seen == []  # no request left the portal


@pytest.mark.ckan_config("ckanext.reuse.check_links.allowed_hosts", "intranet.example.tn 127.0.0.0/8")
def test_check_links_allow_list_takes_networks(cli, site):
    user, moderator = factories.User(), factories.Sysadmin()
    reuse = approved_reuse(user, moderator, url=site + "/ok")
    result = cli.invoke(ckan, ["reuse", "check-links", reuse["id"]])
    assert "ok: 1, dead: 0, refused: 0" in result.output, result.output
    assert _Site.requests_seen == ["/ok"]


def test_import_showcases_creates_approved_reuses_with_their_datasets(cli, tmp_path):
    dataset, _ = publisher_dataset()
    export = {"success": True, "result": [
        {"name": "carte-budget", "title": "Carte du budget", "notes": "Le budget **en carte**",
         "url": "https://budget.example.tn", "author": "Sami", "author_email": "sami@example.tn",
         "tags": [{"name": "budget"}], "image_url": "https://budget.example.tn/logo.png",
         "datasets": [{"id": dataset["id"], "name": dataset["name"]}, {"name": "absent-ici"}]},
        {"name": "sans-lien", "title": "Sans lien", "notes": ""},
    ]}
    path = tmp_path / "showcases.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    result = cli.invoke(ckan, ["reuse", "import-showcases", str(path), "--lang", "fr"])
    assert result.exit_code == 1, result.output
    assert "created: 1, skipped (already there): 0, failed: 1" in result.output
    assert "failed sans-lien" in result.output and "url" in result.output
    assert "absent-ici" in result.output
    reuse = helpers.call_action("reuse_show", {}, id="carte-budget")
    assert reuse["moderation_state"] == "approved"
    assert reuse["title_translated"]["fr"] == "Carte du budget"
    assert reuse["dataset_ids"] == [dataset["id"]]
    assert reuse["keywords"]["fr"] == ["budget"]
    assert reuse["image_url"] == "https://budget.example.tn/logo.png"
    again = cli.invoke(ckan, ["reuse", "import-showcases", str(path)])
    assert "created: 0, skipped (already there): 1, failed: 1" in again.output


def test_import_showcases_rejects_a_file_that_is_not_an_export(cli, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    result = cli.invoke(ckan, ["reuse", "import-showcases", str(path)])
    assert result.exit_code != 0 and "expected a list of showcases" in result.output


def test_publishers_get_one_digest_of_approved_reuses(cli, smtp_server):  # noqa: F811
    user, moderator = factories.User(), factories.Sysadmin()
    dataset, publisher = publisher_dataset()
    for title in ("Appli bus", "Carte écoles"):
        reuse = create_reuse(user, submit=True,
                             title_translated={"ar": "تطبيق", "fr": title, "en": title})
        helpers.call_action("reuse_dataset_add", {"user": user["name"]},
                            id=reuse["id"], dataset_id=dataset["id"])
        helpers.call_action("reuse_moderate", {"user": moderator["name"]},
                            id=reuse["id"], moderation_state="approved")
    pending = create_reuse(user, submit=True, title_translated={"ar": "انتظار", "fr": "En attente", "en": "En attente"})
    helpers.call_action("reuse_dataset_add", {"user": user["name"]},
                        id=pending["id"], dataset_id=dataset["id"])
    assert smtp_server.messages == []  # nothing until the digest runs
    result = cli.invoke(ckan, ["reuse", "send-digests"])
    assert result.exit_code == 0, result.output
    assert "digests sent: 2" in result.output  # the publisher's and the submitter's
    smtp_server.wait_for(2)
    assert sorted(smtp_server.recipients()) == sorted([publisher["email"], user["email"]])
    body = smtp_server.bodies()[smtp_server.recipients().index(publisher["email"])]
    assert "Appli bus" in body and "Carte écoles" in body, body
    assert pending["title_translated"]["fr"] not in body
    assert "/dataset/" + dataset["name"] in body
    again = cli.invoke(ckan, ["reuse", "send-digests"])
    assert "digests sent: 0" in again.output
    time.sleep(0.2)
    assert len(smtp_server.messages) == 2


def test_submitters_get_the_moderators_decisions_in_their_digest(cli, smtp_server):  # noqa: F811
    user, moderator = factories.User(), factories.Sysadmin()
    first = create_reuse(user, submit=True, title_translated={"ar": "أ", "fr": "Appli A", "en": "App A"})
    second = create_reuse(user, submit=True, title_translated={"ar": "ب", "fr": "Appli B", "en": "App B"})
    helpers.call_action("reuse_moderate", {"user": moderator["name"]}, id=first["id"],
                        moderation_state="approved")
    helpers.call_action("reuse_moderate", {"user": moderator["name"]}, id=second["id"],
                        moderation_state="needs_revision", moderator_note="Add a screenshot")
    result = cli.invoke(ckan, ["reuse", "send-digests"])
    assert "digests sent: 1" in result.output, result.output
    smtp_server.wait_for(1)
    assert smtp_server.recipients() == [user["email"]]
    body = smtp_server.bodies()[0]
    assert "App A" in body and "Approved" in body
    assert "App B" in body and "Needs revision" in body and "Add a screenshot" in body

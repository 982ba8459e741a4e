"""Pages of the inventory, the officers' directory, the programme dashboard
and the usage figures on dataset pages (issue 8)."""
from __future__ import annotations

import csv
import io
import threading

import pytest
from aiosmtpd.controller import Controller

from ckan.tests import factories, helpers

from tests.conftest import PORTAL_PLUGINS, _free_port
from tests.odassessment.helpers_inventory import csv_bytes, dataset, entry, ministry, row, xlsx_bytes

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _as(user: dict) -> dict:
    token = helpers.call_action("api_token_create", user=user["name"], name="t")["token"]
    return {"Authorization": token}


def test_editor_imports_through_the_page_and_sees_row_errors_then_progress(app):
    org, editor = ministry()
    headers = _as(editor)
    bad = csv_bytes([row(reference="A", title_fr="Budget", status="approved"),
                     row(reference="B", title_ar="المدارس", theme="علم الفلك")])
    page = app.post(f"/organization/{org['name']}/inventory/import", headers=headers,
                    data={"upload": (io.BytesIO(bad), "inventaire.csv")})
    assert "علم الفلك" in page.body and 'id="import-errors"' in page.body
    assert helpers.call_action("inventory_entry_list", organization=org["id"]) == []
    good = csv_bytes([row(reference="A", title_fr="Budget", status="approved"),
                      row(reference="B", title_ar="المدارس", theme="التربية والتعليم", status="approved")])
    app.post(f"/organization/{org['name']}/inventory/import", headers=headers,
             data={"upload": (io.BytesIO(good), "inventaire.csv")})
    dataset(org["id"], identifier="A")
    page = app.get(f"/fr/organization/{org['name']}/inventory")
    assert "50.0 %" in page.body and "المدارس" in page.body
    exported = app.get(f"/organization/{org['name']}/inventory/export.csv")
    lines = list(csv.reader(io.StringIO(exported.body.lstrip("\ufeff"))))
    assert lines[0][0] == "reference" and {r[0] for r in lines[1:]} == {"A", "B"}


def test_inventory_form_shows_field_errors_and_saves(app):
    org, editor = ministry()
    url = f"/organization/{org['name']}/inventory/new"
    page = app.post(url, headers=_as(editor), data={"title_fr": "Mines", "status": "not_openable"})
    assert "Give the legal reason" in page.body
    assert "Legal reason: Give the legal reason" in page.body
    app.post(url, headers=_as(editor), data={"title_fr": "Mines", "status": "not_openable",
                                              "legal_reason": "Défense nationale"})
    [saved] = helpers.call_action("inventory_entry_list", organization=org["id"])
    assert saved["legal_reason"] == "Défense nationale"


def test_strangers_cannot_open_the_import_page(app):
    org, _ = ministry()
    app.get(f"/organization/{org['name']}/inventory/import", headers=_as(factories.User()), status=403)
    app.get(f"/organization/{org['name']}/inventory/new", status=403)


class _Inbox:
    def __init__(self):
        self.messages = []
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        self.received.set()
        return "250 OK"


@pytest.fixture
def smtp(ckan_config, monkeypatch, clean_redis):
    """A real SMTP server on 127.0.0.1 (and no contact-form counts left in Redis)."""
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    monkeypatch.setitem(ckan_config, "smtp.mail_from", "portail@data.example.tn")
    yield inbox
    controller.stop()


def test_directory_shows_officers_without_emails_and_the_contact_form_writes_to_them(app, smtp):
    org, _ = ministry(open_data_officer_name="Leïla Trabelsi", open_data_officer_email="leila.secret@sante.gov.tn",
                      open_data_officer_position="Directrice de l'informatique",
                      data_manager_name="Karim Jaziri", government_level="central")
    dataset(org["id"])
    page = app.get("/fr/officers")
    assert "Leïla Trabelsi" in page.body and "Karim Jaziri" in page.body
    assert "leila.secret" not in page.body
    assert "leila.secret" not in app.get(f"/organization/about/{org['name']}").body
    shown = helpers.call_action("organization_show", {"user": "", "ignore_auth": False}, id=org["id"])
    assert "open_data_officer_email" not in shown
    listed = helpers.call_action("officer_list", government_level="central")
    assert listed[0]["officers"][0] == {"role": "open_data_officer", "name": "Leïla Trabelsi",
                                        "position": "Directrice de l'informatique", "contact": True}
    assert listed[0]["active"] is True
    url = f"/officers/{org['name']}/contact?role=open_data_officer"
    page = app.post(url, data={"name": "Sami", "email": "pas-un-courriel", "subject": "Données", "message": "Bonjour"})
    assert "valid email" in page.body and not smtp.messages
    app.post(url, data={"name": "Sami", "email": "sami@example.tn", "subject": "Budget 2025",
                        "message": "Pouvez-vous publier le budget ?"})
    assert smtp.received.wait(10)
    [mail] = smtp.messages
    assert mail.rcpt_tos == ["leila.secret@sante.gov.tn"]
    assert "Reply-To: sami@example.tn" in mail.content.decode()


@pytest.mark.ckan_config("ckanext.odassessment.officer_contact_limit", "2")
def test_contact_form_is_rate_limited(app, smtp):
    org, _ = ministry(data_manager_name="Karim", data_manager_email="karim@finances.gov.tn")
    url = f"/officers/{org['name']}/contact?role=data_manager"
    message = {"name": "Robot", "email": "robot@example.tn", "subject": "Offre", "message": "Achetez"}
    for _ in range(2):
        app.post(url, data=message)
    page = app.post(url, data=message)
    assert "Too many messages" in page.body
    assert smtp.received.wait(10) and len(smtp.messages) == 2
    app.post(url, data=dict(message, website="http://spam.example"), status=400)


def test_programme_dashboard_csv_and_report(app):
    org, editor = ministry(government_level="regional", region="TN-61")
    other, _ = ministry(government_level="central")
    dataset(org["id"], theme=["health"])
    dataset(other["id"], theme=["economy"])
    entry(editor, org, status="approved")
    page = app.get("/fr/assessment/programme?government_level=regional")
    assert 'id="indicator-inventory"' in page.body and "0.0 %" in page.body
    result = helpers.call_action("programme_indicators_show", government_level="regional")
    assert result["datasets"]["total"] == 1
    assert result["publishers"] == dict(result["publishers"], active=1, publishers=1)
    assert helpers.call_action("programme_indicators_show", theme="economy")["datasets"]["total"] == 1
    download = app.get("/assessment/programme/indicators.csv?region=TN-61")
    rows = {r[0]: r[2] for r in csv.reader(io.StringIO(download.body.lstrip("\ufeff"))) if not r[1]}
    assert rows["datasets.total"] == "1" and rows["inventory.approved"] == "1"
    assert rows["filter.region"] == "TN-61"
    assert rows[f"organization.inventory_progress_rate[{org['name']}]"] == "0.0"
    assert rows[f"organization.datasets[{org['name']}]"] == "1"
    [row_] = helpers.call_action("programme_indicators_show", region="TN-61")["organizations"]
    assert (row_["name"], row_["datasets"], row_["inventory"]["approved"]) == (org["name"], 1, 1)
    report = app.get("/ar/assessment/programme/report")
    assert "window.print()" in report.body and 'dir="rtl"' in report.body


def test_dataset_page_shows_views_and_downloads(app):
    org, _ = ministry()
    pkg = dataset(org["id"])
    browser = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
    app.get(f"/dataset/{pkg['name']}", headers=browser)
    page = app.get(f"/dataset/{pkg['name']}", headers={"User-Agent": "Mozilla/5.0 (Windows) Firefox/128.0"})
    assert 'id="usage-views"' in page.body
    assert helpers.call_action("usage_summary_show", dataset=pkg["id"])["views"] == 2


def test_editor_edits_and_deletes_an_entry_through_the_pages(app):
    org, editor = ministry()
    created = entry(editor, org, reference="R-9", title={"ar": "الميزانية", "fr": "Budget"}, theme="economy")
    base = f"/organization/{org['name']}/inventory/{created['id']}"
    form = app.get(base + "/edit", headers=_as(editor))
    assert 'value="R-9"' in form.body and 'value="الميزانية"' in form.body
    app.post(base + "/edit", headers=_as(editor),
             data={"reference": "R-9", "title_ar": "الميزانية", "title_fr": "Budget de l'État",
                   "theme": "economy", "status": "in_preparation"})
    shown = helpers.call_action("inventory_entry_show", id=created["id"])
    assert (shown["title"]["fr"], shown["status"]) == ("Budget de l'État", "in_preparation")
    app.post(base + "/delete", headers=_as(factories.User()), status=403)
    app.post(base + "/delete", headers=_as(editor))
    assert helpers.call_action("inventory_entry_list", organization=org["id"]) == []


def test_api_import_takes_a_multipart_file_and_answers_409_with_row_errors(app):
    org, editor = ministry()
    bad = xlsx_bytes([row(reference="A", title_fr="Budget"), row(reference="B", title_fr="Écoles", theme="Astrologie")])
    response = app.post("/api/action/inventory_import", headers=_as(editor), status=409,
                        data={"organization": org["name"], "upload": (io.BytesIO(bad), "inventaire.xlsx")})
    error = response.json["error"]
    assert error["rows"] == [{"row": 3, "column": "theme", "value": "Astrologie",
                              "message": 'Unknown theme "Astrologie"'}]
    good = xlsx_bytes([row(reference="A", title_fr="Budget")])
    response = app.post("/api/action/inventory_import", headers=_as(editor),
                        data={"organization": org["name"], "upload": (io.BytesIO(good), "inventaire.xlsx")})
    assert response.json["result"]["created"] == 1

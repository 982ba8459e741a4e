"""Inventory import and export as CSV and XLSX: row-level errors, nothing
imported when a file has errors, Arabic in every column (issue 8)."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.odassessment import inventory
from ckanext.odassessment.model.inventory import InventoryEntry

from tests.conftest import PORTAL_PLUGINS
from tests.odassessment.helpers_inventory import HEADER, csv_bytes, dataset, entry, ministry, row, xlsx_bytes

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


class Upload(io.BytesIO):
    """A file as a multipart upload reaches the action (a name and read())."""

    def __init__(self, content: bytes, filename: str):
        super().__init__(content)
        self.filename = filename


def _import(editor: dict, org: dict, content: bytes, filename: str, **extra):
    return helpers.call_action("inventory_import", {"user": editor["name"]},
                               organization=org["id"], upload=Upload(content, filename), **extra)


def _errors(editor, org, content, filename):
    with pytest.raises(tk.ValidationError) as error:
        _import(editor, org, content, filename)
    return error.value.error_dict


def _entries(org) -> list[dict]:
    return helpers.call_action("inventory_entry_list", organization=org["id"])


ARABIC_ROW = row(reference="م-ص-٠٠١", title_ar="سجل المستشفيات العمومية", title_fr="", title_en="",
                 description_ar="قائمة المستشفيات وطاقة استيعابها", theme="الصحة", frequency="سنوي",
                 high_value="نعم", target_date="٢٠٣٠-١٢-٣١", status="قيد الإعداد",
                 legal_reason="لا يوجد")


@pytest.mark.parametrize("maker, filename", [(csv_bytes, "inventaire.csv"), (xlsx_bytes, "inventaire.xlsx")])
def test_arabic_in_every_column_imports(maker, filename):
    org, editor = ministry()
    pkg = dataset(org["id"], title_translated={"ar": "ميزانية الدولة", "fr": "Budget de l'État"})
    published = row(reference="م-ص-٠٠٢", title_ar="الميزانية", theme="الاقتصاد والمالية",
                    frequency="شهري", high_value="لا", status="منشورة", dataset="ميزانية الدولة")
    result = _import(editor, org, maker([ARABIC_ROW, published]), filename)
    assert result == {"rows": 2, "created": 2, "updated": 0, "dry_run": False}
    entries = {e["reference"]: e for e in _entries(org)}
    first = entries["م-ص-٠٠١"]
    assert first["title"] == {"ar": "سجل المستشفيات العمومية"}
    assert first["description"] == {"ar": "قائمة المستشفيات وطاقة استيعابها"}
    assert (first["theme"], first["frequency"], first["high_value"]) == ("health", "ANNUAL", True)
    assert (first["target_date"], first["status"]) == ("2030-12-31", "in_preparation")
    assert first["legal_reason"] == "لا يوجد"
    second = entries["م-ص-٠٠٢"]
    assert (second["status"], second["dataset"], second["high_value"]) == ("published", pkg["name"], False)


def test_rows_with_errors_name_row_and_column_and_nothing_is_imported():
    org, editor = ministry()
    rows = [
        row(reference="A", title_fr="Budget", theme="economy"),
        row(reference="B", title_fr="Écoles", theme="astrologie"),
        row(reference="C", title_fr="", title_ar="", theme="health"),
        row(reference="A", title_fr="Doublon"),
        row(reference="D", title_fr="Mines", status="not_openable"),
        row(reference="E", title_fr="Routes", target_date="demain"),
    ]
    errors = _errors(editor, org, csv_bytes(rows), "inv.csv")["rows"]
    found = {(e["row"], e["column"]) for e in errors}
    assert found == {(3, "theme"), (4, "title_ar"), (5, "reference"), (6, "legal_reason"),
                     (7, "target_date")}
    theme_error = next(e for e in errors if e["column"] == "theme")
    assert theme_error["value"] == "astrologie" and "astrologie" in theme_error["message"]
    assert _entries(org) == []


def test_an_error_leaves_existing_entries_untouched():
    org, editor = ministry()
    entry(editor, org, reference="A", title={"fr": "Ancien titre"})
    content = csv_bytes([row(reference="A", title_fr="Nouveau titre"),
                         row(reference="B", title_fr="Autre", frequency="parfois")])
    assert "rows" in _errors(editor, org, content, "inv.csv")
    assert [e["title"] for e in _entries(org)] == [{"fr": "Ancien titre"}]


def test_reimport_updates_by_reference_and_adds_the_rest():
    org, editor = ministry()
    entry(editor, org, reference="A", title={"fr": "Ancien"}, status="approved")
    content = csv_bytes([row(reference="A", title_fr="Nouveau", status="in_preparation"),
                         row(reference="B", title_fr="Autre")], delimiter=";")
    result = _import(editor, org, content, "inv.csv")
    assert (result["created"], result["updated"]) == (1, 1)
    entries = {e["reference"]: e for e in _entries(org)}
    assert entries["A"]["title"] == {"fr": "Nouveau"} and entries["A"]["status"] == "in_preparation"
    assert entries["B"]["status"] == "identified"


def test_dry_run_checks_without_writing():
    org, editor = ministry()
    result = _import(editor, org, csv_bytes([row(title_fr="Budget")]), "inv.csv", dry_run=True)
    assert result["created"] == 1 and result["dry_run"] is True
    assert _entries(org) == []


@pytest.mark.parametrize("content, filename, words", [
    (b"", "inv.csv", "empty"),
    ("title_fr\n".encode("utf-8"), "inv.csv", "no entries"),
    ("titre;statut\nBudget;identified\n".encode("cp1252"), "inv.csv", "Unknown columns"),
    ("reference,theme\nA,health\n".encode("utf-8"), "inv.csv", "title column is missing"),
    ("title_fr,title_fr\nA,B\n".encode("utf-8"), "inv.csv", "twice"),
    ("title_fr,theme\n\"Budget,health\n".encode("utf-8"), "inv.csv", "malformed"),
    ("title_ar\nالميزانية\n".encode("cp1256"), "inv.csv", "UTF-8"),
    (b"PK\x03\x04 not really a workbook", "inv.xlsx", "XLSX"),
    ("title_fr\nBudget\n".encode("utf-8"), "inv.ods", "format"),
    ("title_fr,theme\nBudget,health,extra\n".encode("utf-8"), "inv.csv", "more cells"),
])
def test_malformed_files_and_wrong_columns_are_refused_as_a_whole(content, filename, words):
    org, editor = ministry()
    errors = _errors(editor, org, content, filename)
    assert list(errors) == ["upload"]
    assert words.lower() in errors["upload"][0].lower()
    assert _entries(org) == []


def test_headers_may_be_labels_in_french_or_arabic():
    org, editor = ministry()
    header = ["المرجع", "Titre (français)", "المحور", "Statut"]
    content = csv_bytes([["R1", "Budget", "الصحة", "Approuvée pour ouverture"]], header=header)
    _import(editor, org, content, "inv.csv")
    [created] = _entries(org)
    assert (created["reference"], created["theme"], created["status"]) == ("R1", "health", "approved")


def test_export_round_trips_through_csv_and_xlsx():
    org, editor = ministry()
    pkg = dataset(org["id"])
    entry(editor, org, reference="م-1", title={"ar": "الميزانية", "fr": "Budget"}, theme="economy",
          high_value=True, target_date="2030-01-31", status="approved")
    entry(editor, org, reference="م-2", title={"fr": "Hôpitaux"}, dataset=pkg["name"])
    rows = inventory.export_rows(InventoryEntry.for_organization(org["id"]))
    assert rows[0] == HEADER
    csv_content = inventory.to_csv(rows)
    assert csv_content.startswith("\ufeff".encode("utf-8")) and "الميزانية".encode("utf-8") in csv_content
    xlsx_content = inventory.to_xlsx(rows)
    sheet = load_workbook(io.BytesIO(xlsx_content)).active
    assert [c.value for c in sheet[2]][:3] == ["م-1", "الميزانية", "Budget"]
    for content, name in ((csv_content, "x.csv"), (xlsx_content, "x.xlsx")):
        # same organisation: re-import updates both entries, nothing added
        assert _import(editor, org, content, name)["updated"] == 2
    assert len(_entries(org)) == 2


def test_content_parameter_accepts_csv_text_through_the_api():
    org, editor = ministry()
    result = helpers.call_action("inventory_import", {"user": editor["name"]}, organization=org["id"],
                                 content="title_fr,theme\nBudget,economy\n")
    assert result["created"] == 1


def test_import_needs_an_editor():
    org, _editor = ministry()
    _other_org, stranger = ministry()
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("inventory_import", {"user": stranger["name"], "ignore_auth": False},
                            organization=org["id"], content="title_fr\nBudget\n")

"""ckan odassessment inventory … / usage … (issue 8)."""
from __future__ import annotations

import datetime

import pytest

from ckan.cli.cli import ckan
from ckan.tests import helpers

from ckanext.odassessment.model import usage as usage_model

from tests.conftest import PORTAL_PLUGINS
from tests.odassessment.helpers_inventory import csv_bytes, dataset, ministry, row, xlsx_bytes

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "with_extended_cli", "clean_db", "clean_index"),
]


def test_import_lists_row_errors_then_imports_exports_and_reports_progress(cli, tmp_path):
    org, _ = ministry()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row(title_fr="Budget"), row(title_fr="Écoles", frequency="parfois")]))
    result = cli.invoke(ckan, ["odassessment", "inventory", "import", org["name"], str(bad)])
    assert result.exit_code != 0
    assert "nothing imported" in result.output and "row 3, frequency" in result.output
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx_bytes([row(reference="A", title_ar="الميزانية", status="approved"),
                                 row(reference="B", title_fr="Écoles", status="in_preparation",
                                     target_date="2000-01-01")]))
    result = cli.invoke(ckan, ["odassessment", "inventory", "import", org["name"], str(good)])
    assert result.exit_code == 0, result.output
    assert "2 rows imported, 2 new, 0 updated" in result.output
    out = tmp_path / "out.csv"
    result = cli.invoke(ckan, ["odassessment", "inventory", "export", org["name"], "-o", str(out)])
    assert result.exit_code == 0 and "الميزانية" in out.read_text(encoding="utf-8-sig")
    result = cli.invoke(ckan, ["odassessment", "inventory", "progress", org["name"]])
    assert "entries 2, approved 2, published 0, overdue 1, progress rate 0.0 %" in result.output


def test_import_dir_imports_each_organisation_and_names_the_failures(cli, tmp_path):
    first, _ = ministry()
    second, _ = ministry()
    (tmp_path / f"{first['name']}.csv").write_bytes(csv_bytes([row(title_fr="Budget")]))
    (tmp_path / f"{second['name']}.csv").write_bytes(csv_bytes([row(title_fr="Écoles", theme="xyz")]))
    result = cli.invoke(ckan, ["odassessment", "inventory", "import-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "Importing inventories" in result.output and "1 of 2 files imported" in result.output
    assert len(helpers.call_action("inventory_entry_list", organization=first["id"])) == 1
    assert helpers.call_action("inventory_entry_list", organization=second["id"]) == []


def test_usage_summary_and_purge(cli):
    org, _ = ministry()
    pkg = dataset(org["id"])
    usage_model.record_hit("view", pkg["id"], org["id"], "v1", day=datetime.date(2026, 2, 3))
    result = cli.invoke(ckan, ["odassessment", "usage", "summary", "--organization", org["name"]])
    assert "2026-02       1          0" in result.output
    result = cli.invoke(ckan, ["odassessment", "usage", "purge", "--days", "1"])
    assert "Forgot 1 visitor keys" in result.output

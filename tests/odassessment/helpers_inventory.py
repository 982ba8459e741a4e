"""Builders shared by the inventory, usage, officers and programme tests (issue 8)."""
from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from ckan.tests import factories, helpers

from tests.reuse.helpers import dataset  # noqa: F401  (a valid portal dataset)

HEADER = ["reference", "title_ar", "title_fr", "title_en", "description_ar", "description_fr",
          "description_en", "theme", "frequency", "high_value", "target_date", "status",
          "legal_reason", "dataset"]


def ministry(**extras: Any) -> tuple[dict, dict]:
    """An organisation (a ministry) and one of its editors."""
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}], **extras)
    return org, editor


def entry(user: dict, org: dict, **fields: Any) -> dict[str, Any]:
    data = {"organization": org["id"], "title": {"fr": "Budget", "ar": "الميزانية"}}
    data.update(fields)
    return helpers.call_action("inventory_entry_create", {"user": user["name"]}, **data)


def csv_bytes(rows: list[list[Any]], delimiter: str = ",", header: list[str] = HEADER) -> bytes:
    import csv
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row(**values: Any) -> list[Any]:
    """A file row in HEADER order."""
    return [values.get(column, "") for column in HEADER]

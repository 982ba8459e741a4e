"""Publication inventory actions: entries of an organisation, CSV/XLSX import,
and the progress figures that feed the programme dashboard and the
assessment's portal pillars."""
from __future__ import annotations

import os
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.odassessment import inventory
from ckanext.odassessment.model.inventory import STATUSES, InventoryEntry

#: Largest inventory file accepted (bytes) and most rows.
MAX_FILE_BYTES = 5 * 1024 * 1024


def _organization(data_dict: DataDict, field: str = "organization") -> model.Group:
    value = data_dict.get(field) or data_dict.get("owner_org")
    if not value:
        raise tk.ValidationError({field: [tk._("Missing value")]})
    org = model.Group.get(value)
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ObjectNotFound(tk._("Organization not found"))
    return org


def _entry(data_dict: DataDict) -> InventoryEntry:
    entry = InventoryEntry.get(data_dict.get("id"))
    if entry is None:
        raise tk.ObjectNotFound(tk._("Inventory entry not found"))
    return entry


def _check_reference(org_id: str, clean: dict[str, Any], errors: dict[str, list[str]],
                     entry_id: Optional[str] = None) -> None:
    if inventory.reference_taken(org_id, clean.get("reference"), entry_id):
        errors.setdefault("reference", []).append(
            tk._("This reference is already used in the organisation's inventory"))


def inventory_entry_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add an entry to an organisation's inventory.

    :param organization: id or name of the organisation
    :param title: {"ar": …, "fr": …, "en": …} (at least one language)
    :param description: same shape, optional
    :param reference, theme, frequency, high_value, target_date, status,
        legal_reason, dataset: optional (codes or labels in ar/fr/en)
    """
    org = _organization(data_dict)
    tk.check_access("inventory_entry_create", context, {"organization": org.id})
    clean, errors = inventory.validate_entry(data_dict, org.id)
    _check_reference(org.id, clean, errors)
    if errors:
        raise tk.ValidationError(errors)
    entry = inventory.apply(InventoryEntry(organization_id=org.id), clean)
    model.Session.add(entry)
    model.Session.commit()
    return inventory.entry_dict(entry)


def inventory_entry_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change an entry; fields not sent keep their value.

    :param id: the entry's id
    """
    entry = _entry(data_dict)
    tk.check_access("inventory_entry_update", context, {"id": entry.id})
    clean, errors = inventory.validate_entry(data_dict, entry.organization_id, stored=entry)
    _check_reference(entry.organization_id, clean, errors, entry.id)
    if errors:
        raise tk.ValidationError(errors)
    inventory.apply(entry, clean)
    model.Session.commit()
    return inventory.entry_dict(entry)


def inventory_entry_delete(context: Context, data_dict: DataDict) -> None:
    """Remove an entry from its organisation's inventory.

    :param id: the entry's id
    """
    entry = _entry(data_dict)
    tk.check_access("inventory_entry_delete", context, {"id": entry.id})
    model.Session.delete(entry)
    model.Session.commit()


@tk.side_effect_free
def inventory_entry_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One inventory entry.

    :param id: the entry's id
    """
    entry = _entry(data_dict)
    tk.check_access("inventory_entry_show", context, {"id": entry.id})
    return inventory.entry_dict(entry)


@tk.side_effect_free
def inventory_entry_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The inventory of an organisation, by reference.

    :param organization: id or name of the organisation
    :param status: optional, only entries with this status
    :param theme: optional, only entries of this theme
    """
    org = _organization(data_dict)
    tk.check_access("inventory_entry_list", context, {"organization": org.id})
    status = data_dict.get("status")
    if status and status not in STATUSES:
        raise tk.ValidationError({"status": [tk._('Unknown status "{value}"').format(value=status)]})
    entries = InventoryEntry.for_organization(org.id)
    return [inventory.entry_dict(e) for e in entries
            if (not status or e.status == status)
            and (not data_dict.get("theme") or e.theme == data_dict["theme"])]


def _upload(data_dict: DataDict) -> tuple[bytes, str]:
    """The content and format (csv/xlsx) of an uploaded file or of ``content``."""
    upload = data_dict.get("upload")
    file_format = (data_dict.get("format") or "").lower().strip(".")
    if upload is not None and hasattr(upload, "read"):
        content = upload.read(MAX_FILE_BYTES + 1)
        name = getattr(upload, "filename", "") or ""
        file_format = file_format or os.path.splitext(name)[1].lower().strip(".")
    elif isinstance(data_dict.get("content"), (str, bytes)):
        content = data_dict["content"]
        content = content.encode("utf-8") if isinstance(content, str) else content
        file_format = file_format or "csv"
    else:
        raise tk.ValidationError({"upload": [tk._("Choose a CSV or XLSX file")]})
    if len(content) > MAX_FILE_BYTES:
        raise tk.ValidationError({"upload": [
            tk._("The file is larger than {n} MB").format(n=MAX_FILE_BYTES // (1024 * 1024))]})
    return content, file_format


def inventory_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Import an organisation's inventory from a CSV or XLSX file. Rows whose
    reference matches an entry update it, the others are added. Nothing is
    written unless every row is valid; the errors name the row and column.

    :param organization: id or name of the organisation
    :param upload: the file (multipart), or ``content`` (CSV text)
    :param format: ``csv`` or ``xlsx`` (default: the file's extension)
    :param dry_run: check the file only
    :returns: {"created": int, "updated": int, "rows": int, "dry_run": bool}
    """
    org = _organization(data_dict)
    tk.check_access("inventory_import", context, {"organization": org.id})
    content, file_format = _upload(data_dict)
    try:
        rows = inventory.read_rows(content, file_format)
    except inventory.FileProblem as problem:
        raise tk.ValidationError({"upload": [str(problem)]})
    planned, problems = inventory.validate_rows(rows, org.id)
    if problems:
        raise tk.ValidationError({"rows": problems})
    result = {"rows": len(planned), "created": 0, "updated": 0,
              "dry_run": tk.asbool(data_dict.get("dry_run"))}
    for stored, clean in planned:
        result["updated" if stored else "created"] += 1
    if result["dry_run"]:
        return result
    try:
        for stored, clean in planned:
            entry = stored or InventoryEntry(organization_id=org.id)
            model.Session.add(inventory.apply(entry, clean))
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        raise
    return result


@tk.side_effect_free
def inventory_progress_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Progress of the publication inventory of an organisation, or of the
    portal when no organisation is given.

    :param organization: optional id or name
    :returns: {"entries", "approved", "published", "overdue": int,
        "progress_rate": published / approved, or None when nothing is approved}
    """
    tk.check_access("inventory_progress_show", context, data_dict)
    org_ids = [_organization(data_dict).id] if data_dict.get("organization") else None
    return inventory.progress(org_ids, theme=data_dict.get("theme"))

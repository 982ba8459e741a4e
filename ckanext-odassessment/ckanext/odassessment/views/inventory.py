"""Pages of an organisation's publication inventory (issue 8): the list with
its progress, the entry form, CSV/XLSX import with row-level errors, and
exports."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

import ckan.plugins.toolkit as tk
from ckan.common import current_user, request

from ckanext.odassessment import inventory as inv
from ckanext.odassessment.model.inventory import STATUSES, InventoryEntry

inventory = Blueprint("odassessment_inventory", __name__,
                      url_prefix="/organization/<id>/inventory")

FORM_FIELDS = ("reference", "theme", "frequency", "target_date", "status",
               "legal_reason", "dataset")


def _context() -> dict[str, Any]:
    return {"user": current_user.name, "auth_user_obj": current_user}


def _organization(id: str) -> dict[str, Any]:
    try:
        return tk.get_action("organization_show")(
            _context(), {"id": id, "include_datasets": False})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Organization not found"))


def _can_edit(org: dict[str, Any]) -> bool:
    return tk.h.check_access("inventory_entry_create", {"organization": org["id"]})


def _page(template: str, org: dict[str, Any], **extra: Any) -> str:
    return tk.render(template, dict(group_dict=org, group_type="organization",
                                    can_edit=_can_edit(org), statuses=STATUSES, **extra))


def index(id: str) -> str:
    org = _organization(id)
    status = request.args.get("status") or None
    try:
        entries = tk.get_action("inventory_entry_list")(
            _context(), {"organization": org["id"], "status": status})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only members of the organisation may read its inventory"))
    except tk.ValidationError:
        return tk.abort(400, tk._("Unknown status"))
    progress = tk.get_action("inventory_progress_show")(_context(), {"organization": org["id"]})
    return _page("inventory/index.html", org, entries=entries, progress=progress,
                 status=status, by_status=inv.status_counts([org["id"]]))


def _form_data() -> dict[str, Any]:
    form = request.form
    data: dict[str, Any] = {f: form.get(f, "") for f in FORM_FIELDS}
    for field in ("title", "description"):
        data[field] = {lang: form.get(f"{field}_{lang}", "") for lang in inv.LANGUAGES}
    data["high_value"] = bool(form.get("high_value"))
    return data


def _form_values(entry: dict[str, Any]) -> dict[str, Any]:
    values = {f: entry.get(f) or "" for f in FORM_FIELDS}
    for field in ("title", "description"):
        for lang in inv.LANGUAGES:
            values[f"{field}_{lang}"] = (entry.get(field) or {}).get(lang, "")
    values["high_value"] = entry.get("high_value")
    return values


def edit(id: str, entry_id: str | None = None) -> Any:
    org = _organization(id)
    entry = InventoryEntry.get(entry_id) if entry_id else None
    if entry_id and (entry is None or entry.organization_id != org["id"]):
        return tk.abort(404, tk._("Inventory entry not found"))
    if not _can_edit(org):
        return tk.abort(403, tk._("Only editors of the organisation may change its inventory"))
    values = _form_values(inv.entry_dict(entry)) if entry else {"status": "identified"}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data = _form_data()
        values = dict(request.form)
        try:
            if entry:
                tk.get_action("inventory_entry_update")(_context(), dict(data, id=entry.id))
            else:
                tk.get_action("inventory_entry_create")(_context(), dict(data, organization=org["id"]))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("The inventory entry was saved"))
            return tk.redirect_to("odassessment_inventory.index", id=org["name"])
    return _page("inventory/edit.html", org, entry=entry, values=values, errors=errors,
                 column_label=inv.column_label,
                 themes=_choices("themes"), frequencies=_choices("frequencies"))


def _choices(vocabulary: str) -> list[dict[str, Any]]:
    from ckanext.opengov.logic.vocabularies import vocabulary as load
    return [{"value": e["value"], "label": tk.h.opengov_vocabulary_label(vocabulary, e["value"])}
            for e in load(vocabulary)]


def delete(id: str, entry_id: str) -> Any:
    org = _organization(id)
    try:
        tk.get_action("inventory_entry_delete")(_context(), {"id": entry_id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Inventory entry not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only editors of the organisation may change its inventory"))
    tk.h.flash_success(tk._("The inventory entry was deleted"))
    return tk.redirect_to("odassessment_inventory.index", id=org["name"])


def import_file(id: str) -> Any:
    org = _organization(id)
    if not _can_edit(org):
        return tk.abort(403, tk._("Only editors of the organisation may change its inventory"))
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            result = tk.get_action("inventory_import")(_context(), {
                "organization": org["id"], "upload": request.files.get("upload"),
                "dry_run": bool(request.form.get("dry_run"))})
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            message = tk._("{rows} rows checked: {created} new entries, {updated} updated") \
                if result["dry_run"] else tk._("{rows} rows imported: {created} new entries, {updated} updated")
            tk.h.flash_success(message.format(**result))
            if not result["dry_run"]:
                return tk.redirect_to("odassessment_inventory.index", id=org["name"])
    return _page("inventory/import.html", org, errors=errors, columns=list(inv.COLUMNS),
                 column_label=inv.column_label)


def export(id: str, file_format: str) -> Response:
    org = _organization(id)
    try:
        tk.check_access("inventory_entry_list", _context(), {"organization": org["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only members of the organisation may read its inventory"))
    rows = inv.export_rows(InventoryEntry.for_organization(org["id"]))
    if file_format == "csv":
        body, mimetype = inv.to_csv(rows), "text/csv; charset=utf-8"
    elif file_format == "xlsx":
        body = inv.to_xlsx(rows, org["name"])
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        return tk.abort(404)
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="inventory-{org["name"]}.{file_format}"'})


inventory.add_url_rule("", view_func=index)
inventory.add_url_rule("/new", view_func=edit, methods=["GET", "POST"], endpoint="new")
inventory.add_url_rule("/<entry_id>/edit", view_func=edit, methods=["GET", "POST"])
inventory.add_url_rule("/<entry_id>/delete", view_func=delete, methods=["POST"])
inventory.add_url_rule("/import", view_func=import_file, methods=["GET", "POST"], endpoint="import")
inventory.add_url_rule("/export.<file_format>", view_func=export)

"""``ckan reuse import-showcases FILE.json``: reuses from a ckanext-showcase
portal.

The file holds the showcases as the showcase API gives them: a list of
``ckanext_showcase_show`` / ``package_show`` dicts, or an API response
(``{"result": [...]}`` or ``{"result": {"results": [...]}}``). Each showcase
may carry its datasets (``datasets`` or ``packages``: dicts, ids or names,
as ``ckanext_showcase_package_list`` returns them). Showcases were public,
so reuses are imported approved; a showcase whose name or URL is already a
reuse is skipped, so the import can run again."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional

import ckan.plugins.toolkit as tk
from ckan import model


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, Any] = field(default_factory=dict)
    missing_datasets: dict[str, list[str]] = field(default_factory=dict)


def read_showcases(text: str) -> list[dict[str, Any]]:
    """The showcase dicts of an export file (ValueError when it is not one)."""
    data = json.loads(text)
    if isinstance(data, dict) and "result" in data:
        data = data["result"]
    if isinstance(data, dict) and "results" in data:
        data = data["results"]
    if not isinstance(data, list) or not all(isinstance(s, dict) for s in data):
        raise ValueError("expected a list of showcases")
    return data


def _texts(value: Optional[str], lang: str, required: Iterable[str]) -> dict[str, str]:
    """A one-language text as a multilingual value; the portal's required
    languages get the same text until someone translates it."""
    if not value:
        return {}
    texts = {lang: value}
    for other in required:
        texts.setdefault(other, value)
    return texts


def _dataset_refs(showcase: dict[str, Any]) -> list[str]:
    refs = showcase.get("datasets") or showcase.get("packages") or []
    return [r.get("id") or r.get("name") if isinstance(r, dict) else str(r) for r in refs]


def _exists(showcase: dict[str, Any]) -> bool:
    query = model.Session.query(model.Package.id).filter(
        model.Package.type == "reuse", model.Package.state != "deleted")
    name, url = showcase.get("name"), showcase.get("url")
    return bool(query.filter((model.Package.name == name) | (model.Package.url == url)).first())


def reuse_from_showcase(showcase: dict[str, Any], lang: str, required: list[str],
                        reuse_type: str) -> dict[str, Any]:
    tags = [t["name"] if isinstance(t, dict) else str(t) for t in showcase.get("tags") or []]
    image = showcase.get("image_display_url") or showcase.get("image_url") or ""
    data = {
        "name": showcase.get("name"),
        "title_translated": _texts(showcase.get("title") or showcase.get("name"), lang, required),
        "notes_translated": _texts(showcase.get("notes") or showcase.get("title"), lang, required),
        "url": showcase.get("url"),
        "reuse_type": reuse_type,
        "keywords": {lang: tags} if tags else {},
        "submitter_name": showcase.get("author") or "",
        "submitter_email": showcase.get("author_email") or "",
        "submit": True,
    }
    if image.startswith(("http://", "https://")):
        data["image_url"] = image
    return data


def import_showcases(showcases: list[dict[str, Any]], user: str, lang: str,
                     reuse_type: str = "application",
                     progress: Callable[[int], None] = lambda n: None) -> ImportReport:
    """Create an approved reuse per new showcase, linked to the datasets
    found on this portal; failures are reported, never half-written."""
    schema = tk.h.scheming_get_dataset_schema("reuse")
    title_field = next(f for f in schema["dataset_fields"] if f["field_name"] == "title_translated")
    required = tk.h.fluent_required_languages(title_field, schema)
    context = {"user": user}
    report = ImportReport()
    for showcase in showcases:
        label = str(showcase.get("name") or showcase.get("title") or "?")
        progress(1)
        if _exists(showcase):
            report.skipped.append(label)
            continue
        try:
            reuse = tk.get_action("reuse_create")(
                dict(context), reuse_from_showcase(showcase, lang, required, reuse_type))
        except tk.ValidationError as error:
            report.failed[label] = error.error_dict
            continue
        missing = []
        for ref in _dataset_refs(showcase):
            try:
                tk.get_action("reuse_dataset_add")(dict(context), {"id": reuse["id"], "dataset_id": ref})
            except tk.ValidationError:
                missing.append(ref)
        if missing:
            report.missing_datasets[label] = missing
        tk.get_action("reuse_moderate")(dict(context), {
            "id": reuse["id"], "moderation_state": "approved",
            "moderator_note": "Imported from ckanext-showcase"})
        report.created.append(label)
    return report

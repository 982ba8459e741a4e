"""Registering many sectoral portals at once from a YAML file
(``config/sectoral_portals.example.yaml``, ``ckan opengov harvest-register``,
``opengov_harvest_sources_register``), idempotently."""
from __future__ import annotations

import json
from typing import Any, Optional

import yaml

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.harvest.model import HarvestSource

from ckanext.opengov import languages
from ckanext.opengov.harvest.sources import (FREQUENCIES, REGISTRY_KEYS, SOURCE_TYPES, config_errors,
                                             load_config)

ENTRY_KEYS = ("name", "title", "url", "type", "organization", "frequency", "config") + REGISTRY_KEYS


def load(path: str) -> list[dict]:
    """The ``sources`` list of a registry file (ValueError when malformed)."""
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    entries = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValueError("the file must have a 'sources' list")
    return entries


def entry_errors(entry: Any) -> dict[str, list[str]]:
    if not isinstance(entry, dict):
        return {"source": ["each source must be a mapping"]}
    errors: dict[str, list[str]] = {}
    for key in ("name", "url", "type", "organization"):
        if not entry.get(key):
            errors[key] = ["Missing value"]
    unknown = sorted(set(entry) - set(ENTRY_KEYS))
    if unknown:
        errors["source"] = ["unknown keys: %s" % ", ".join(unknown)]
    if entry.get("type") and entry["type"] not in SOURCE_TYPES:
        errors["type"] = ["must be one of %s" % ", ".join(SOURCE_TYPES)]
    if (entry.get("frequency") or "MANUAL") not in FREQUENCIES:
        errors["frequency"] = ["must be one of %s" % ", ".join(FREQUENCIES)]
    if entry.get("organization") and not _organization(entry["organization"]):
        errors["organization"] = ["no organisation %r on the portal" % entry["organization"]]
    if entry.get("config") is not None and not isinstance(entry["config"], dict):
        errors["config"] = ["must be a mapping"]
    for key, message in config_errors(_config(entry)).items():
        errors[key] = [message]
    return errors


def _organization(name: str) -> Optional[model.Group]:
    group = model.Group.get(name)
    return group if group is not None and group.is_organization and group.state == "active" else None


def _config(entry: dict) -> dict:
    config = dict(entry.get("config") or {})
    for key in REGISTRY_KEYS:
        if entry.get(key) is not None:
            config[key] = entry[key]
    return config


def _title(entry: dict) -> str:
    title = entry.get("title") or entry["name"]
    if isinstance(title, dict):
        locale = (tk.config.get("ckan.locale_default") or "en").split("_")[0]
        order = languages.fallback_order(locale, "ar fr en")
        return languages.pick_language(languages.drop_empty(title), order)[1] or entry["name"]
    return str(title)


def source_dict(entry: dict) -> dict:
    return {
        "name": entry["name"],
        "title": _title(entry),
        "url": entry["url"],
        "source_type": entry["type"],
        "owner_org": _organization(entry["organization"]).id,
        "frequency": entry.get("frequency") or "MANUAL",
        "config": json.dumps(_config(entry), ensure_ascii=False, sort_keys=True),
    }


def _same(source: HarvestSource, package: model.Package, wanted: dict) -> bool:
    stored = load_config(source.config)
    stored.pop("allow_withdrawal", None)
    return (package.title == wanted["title"] and source.url == wanted["url"]
            and source.type == wanted["source_type"] and package.owner_org == wanted["owner_org"]
            and (source.frequency or "MANUAL") == wanted["frequency"]
            and stored == json.loads(wanted["config"]) and package.state == "active")


def register(context: dict, entry: Any) -> dict[str, Any]:
    """Create or update one source; ``status`` says which (or ``error``)."""
    name = entry.get("name") if isinstance(entry, dict) else None
    errors = entry_errors(entry)
    if errors:
        return {"name": name, "status": "error", "errors": errors}
    wanted = source_dict(entry)
    package = model.Package.get(name)
    if package is not None and package.type != "harvest":
        return {"name": name, "status": "error", "errors": {"name": ["already used by a dataset"]}}
    user = {"user": context.get("user"), "ignore_auth": context.get("ignore_auth", False)}
    try:
        if package is None:
            created = tk.get_action("harvest_source_create")(dict(user), wanted)
            return {"name": name, "status": "created", "id": created["id"], "errors": {}}
        source = HarvestSource.get(package.id)
        if source is not None and _same(source, package, wanted):
            return {"name": name, "status": "unchanged", "id": package.id, "errors": {}}
        stored = load_config(source.config if source else None)
        if stored.get("allow_withdrawal"):
            wanted["config"] = json.dumps({**json.loads(wanted["config"]), "allow_withdrawal": True},
                                          ensure_ascii=False, sort_keys=True)
        tk.get_action("harvest_source_update")(dict(user), {**wanted, "id": package.id, "state": "active"})
        return {"name": name, "status": "updated", "id": package.id, "errors": {}}
    except tk.ValidationError as error:
        model.Session.rollback()
        return {"name": name, "status": "error", "errors": error.error_dict}

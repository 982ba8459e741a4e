"""Demo content for a local portal: a sysadmin, the portal's themes as
groups, ministries and municipalities as organisations, and a handful of
trilingual datasets. Every step is create-if-missing, so loading twice
changes nothing."""
from __future__ import annotations

import json
import os
from typing import Any, Callable, Iterable

import yaml

import ckan.model as model
import ckan.plugins.toolkit as tk

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


def load_data_file(name: str) -> Any:
    with open(os.path.join(DATA_DIR, name), encoding="utf-8") as f:
        return yaml.safe_load(f)


def _context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _create_missing(show: str, create: str, data: dict[str, Any]) -> bool:
    """Create ``data`` with action ``create`` unless ``show`` finds it."""
    try:
        tk.get_action(show)(_context(), {"id": data["name"]})
        return False
    except tk.ObjectNotFound:
        tk.get_action(create)(_context(), data)
        return True


def ensure_sysadmin(name: str, password: str, email: str) -> bool:
    """Create the sysadmin ``name`` unless it exists; returns True if created.
    An existing one gets ``password`` back, so the login the portal prints
    always works (the password file may be newer than the database)."""
    created = False
    if not model.User.get(name):
        tk.get_action("user_create")(
            _context(), {"name": name, "password": password, "email": email,
                         "fullname": "Portal administrator"})
        created = True
    user = model.User.get(name)
    if not user.sysadmin or not user.validate_password(password):
        user.sysadmin = True
        user.password = password
        model.repo.commit()
    return created


def theme_group(theme: dict[str, Any]) -> dict[str, Any]:
    """A portal theme (themes.yaml) as a group of the group schema."""
    title = theme["title"]
    return {
        "name": theme["name"],
        "title_translated": dict(title),
        "description_translated": {
            "ar": f"بيانات محور {title['ar']}",
            "fr": f"Données du thème « {title['fr']} »",
            "en": f"Data of the theme \"{title['en']}\"",
        },
        "eu_theme": theme["eu_theme"],
    }


def organization(org: dict[str, Any]) -> dict[str, Any]:
    """A demo publisher as an organisation of the organisation schema."""
    data = {
        "name": org["name"],
        "title_translated": dict(org["title"]),
        "description_translated": dict(org["description"]),
        "institution_type": org["type"],
        "government_level": org["level"],
    }
    if org.get("region"):
        data["region"] = org["region"]
    return data


def _resource(res: dict[str, Any]) -> dict[str, Any]:
    return {"url": res["url"], "format": res["format"], "name_translated": dict(res["name"]),
            "language": ["ar", "fr"]}


def dataset(ds: dict[str, Any]) -> dict[str, Any]:
    """A demo dataset in the dataset schema: texts in ar/fr/en, themes (also
    as the matching groups), licence, frequency, level and coverage."""
    data = {
        "name": ds["name"],
        "title_translated": dict(ds["title"]),
        "notes_translated": dict(ds["notes"]),
        "tags_translated": {lang: list(tags) for lang, tags in ds.get("tags", {}).items()},
        "owner_org": ds["owner_org"],
        "theme": list(ds.get("themes", [])),
        "groups": [{"name": g} for g in ds.get("themes", [])],
        "license_id": ds.get("licence", "lndpo-tn"),
        "frequency": ds.get("frequency", "UNKNOWN"),
        "government_level": ds.get("level", "central"),
        "spatial_region": list(ds.get("regions", [])),
        "access_rights": "PUBLIC",
        "personal_data_declaration": ds.get("personal_data", "no_personal_data"),
        "resources": [_resource(r) for r in ds.get("resources", [])],
    }
    if ds.get("spatial"):
        data["spatial"] = json.dumps(ds["spatial"])
    return data


def demo_steps() -> list[tuple[str, str, dict[str, Any]]]:
    """(show action, create action, data) for every demo object, in order."""
    demo = load_data_file("demo.yaml")
    return (
        [("group_show", "group_create", theme_group(t)) for t in load_data_file("themes.yaml")]
        + [("organization_show", "organization_create", organization(o)) for o in demo["organizations"]]
        + [("package_show", "package_create", dataset(d)) for d in demo["datasets"]]
    )


def load_demo(steps: Iterable[tuple[str, str, dict[str, Any]]],
              on_step: Callable[[], None] = lambda: None) -> int:
    """Run the steps; returns how many objects were created."""
    created = 0
    for show, create, data in steps:
        created += _create_missing(show, create, data)
        on_step()
    return created

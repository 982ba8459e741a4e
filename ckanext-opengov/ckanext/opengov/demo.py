"""Demo content for a local portal: a sysadmin, the portal's themes as
groups, ministries and municipalities as organisations, and a handful of
trilingual datasets. Every step is create-if-missing, so loading twice
changes nothing."""
from __future__ import annotations

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
    """Create the sysadmin ``name`` unless it exists; returns True if created."""
    created = False
    if not model.User.get(name):
        tk.get_action("user_create")(
            _context(), {"name": name, "password": password, "email": email,
                         "fullname": "Portal administrator"})
        created = True
    user = model.User.get(name)
    if not user.sysadmin:
        user.sysadmin = True
        model.repo.commit()
    return created


def theme_group(theme: dict[str, Any]) -> dict[str, Any]:
    title = theme["title"]
    return {
        "name": theme["name"],
        "title": title["fr"],
        "description": f"{title['ar']} — {title['fr']} — {title['en']}",
        "extras": [{"key": "eu_theme", "value": theme["eu_theme"]}],
    }


def organization(org: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": org["name"],
        "title": org["title"],
        "description": org["description"],
        "extras": [{"key": "government_level", "value": org["level"]}],
    }


def dataset(ds: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": ds["name"],
        "title": ds["title"],
        "notes": ds["notes"],
        "owner_org": ds["owner_org"],
        "license_id": "cc-by",
        "groups": [{"name": g} for g in ds.get("groups", [])],
        "tags": [{"name": t} for t in ds.get("tags", [])],
        "resources": ds.get("resources", []),
    }


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

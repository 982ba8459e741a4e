"""Demo content of the assessment plugin (``ckan odassessment demo-load``):
open data officers and inventories of demo ministries, and one assessment
run without HTTP checks, on top of ``ckan opengov demo-load``'s content.
Everything goes through the Action API as the site user and is created only
when missing: loading twice changes nothing."""
from __future__ import annotations

import os
from typing import Any, Callable

import yaml

import ckan.plugins.toolkit as tk

DEMO_FILE = os.path.join(os.path.dirname(__file__), "data", "demo.yaml")


def demo_content() -> dict[str, Any]:
    with open(DEMO_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _act(action: str, data: dict[str, Any]) -> Any:
    """Run ``action`` as the site user (a fresh context each call)."""
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return tk.get_action(action)({"user": user}, data)


def ensure_officers(item: dict[str, Any]) -> bool:
    """Name the officers of an organisation that has none yet."""
    org = _act("organization_show", {"id": item["organization"], "include_datasets": False})
    if org.get("open_data_officer_name"):
        return False
    _act("organization_patch", dict(item["officers"], id=org["id"]))
    return True


def ensure_inventory_entry(item: dict[str, Any]) -> bool:
    entries = _act("inventory_entry_list", {"organization": item["organization"]})
    if any(e.get("reference") == item["entry"]["reference"] for e in entries):
        return False
    _act("inventory_entry_create", dict(item["entry"], organization=item["organization"]))
    return True


def ensure_run(options: dict[str, Any]) -> bool:
    """Score every dataset in this process unless a complete run exists."""
    if _act("odassessment_run_list", {"state": "complete", "limit": 1}):
        return False
    _act("odassessment_run_create", dict(options, background=False))
    return True


def demo_steps() -> list[tuple[Callable[[dict[str, Any]], bool], dict[str, Any]]]:
    """(create-if-missing function, item) for every demo object, in order:
    the run comes last so it scores the datasets the inventory links."""
    demo = demo_content()
    steps: list[tuple[Callable[[dict[str, Any]], bool], dict[str, Any]]] = [
        (ensure_officers, {"organization": org, "officers": officers})
        for org, officers in demo.get("officers", {}).items()]
    steps += [(ensure_inventory_entry, {"organization": org, "entry": entry})
              for org, entries in demo.get("inventory", {}).items() for entry in entries]
    if demo.get("run"):
        steps.append((ensure_run, demo["run"]))
    return steps


def load_demo(steps: list[tuple[Callable[[dict[str, Any]], bool], dict[str, Any]]],
              on_step: Callable[[int], None] = lambda n: None) -> int:
    """Run the steps; returns how many were carried out (not already there)."""
    done = 0
    for ensure, item in steps:
        done += ensure(item)
        on_step(1)
    return done

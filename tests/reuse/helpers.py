"""Shared builders for the reuse tests."""
from __future__ import annotations

import itertools
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

_counter = itertools.count()


def reuse_data(**overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    data = {
        "name": "reuse-%d" % n,
        "title_translated": {"ar": "خريطة المدارس", "fr": "Carte des écoles"},
        "notes_translated": {"ar": "تطبيق", "fr": "Une application"},
        "url": "https://apps.example.tn/ecoles-%d" % n,
        "reuse_type": "application",
        "themes": ["education"],
        "submitter_type": "citizen",
        "submitter_name": "Amel Ben Salah",
        "submitter_email": "amel%d@example.tn" % n,
    }
    data.update(overrides)
    return data


def create_reuse(user: dict, **overrides: Any) -> dict[str, Any]:
    return helpers.call_action("reuse_create", {"user": user["name"]},
                               **reuse_data(**overrides))


def approved_reuse(user: dict, moderator: dict, **overrides: Any) -> dict[str, Any]:
    reuse = create_reuse(user, submit=True, **overrides)
    return helpers.call_action("reuse_moderate", {"user": moderator["name"]},
                               id=reuse["id"], moderation_state="approved")


def publisher_dataset() -> tuple[dict, dict]:
    """A dataset and an editor of its organisation."""
    publisher = factories.User()
    org = factories.Organization(users=[{"name": publisher["name"], "capacity": "editor"}])
    return dataset(org["id"]), publisher


def dataset(owner_org: str, **overrides: Any) -> dict[str, Any]:
    """A valid portal dataset."""
    n = next(_counter)
    fields = {"name": "donnees-%d" % n, "owner_org": owner_org,
              "title_translated": {"ar": "المدارس", "fr": "Écoles publiques"},
              "notes_translated": {"ar": "قائمة", "fr": "Liste des écoles"},
              "personal_data_declaration": "no_personal_data"}
    fields.update(overrides)
    return factories.Dataset(**fields)


def allowed(auth: str, user: str, data: dict) -> bool:
    """Whether ``user`` ('' for anonymous) passes auth function ``auth``."""
    try:
        helpers.call_auth(auth, {"user": user, "model": model}, **data)
        return True
    except tk.NotAuthorized:
        return False

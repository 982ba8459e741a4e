"""Validators of the reuse schema (registered with @tk.blanket.validators)."""
from __future__ import annotations

import json
from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

#: Moderation states of a reuse.
STATES = ("draft", "pending", "approved", "needs_revision", "rejected")


def reuse_moderation_state(value: Any, context: Context) -> Any:
    """Accept only the known moderation states."""
    if value not in STATES:
        raise tk.Invalid(tk._("Unknown moderation state"))
    return value


def reuse_unique_url(key: FlattenKey, data: FlattenDataDict,
                     errors: FlattenErrorDict, context: Context) -> None:
    """Refuse a URL already used by another (not deleted) reuse."""
    url = data.get(key)
    if not url:
        return
    own_id = data.get(("id",)) or getattr(context.get("package"), "id", None)
    # `url` is a core package column
    column = (model.Session.query(model.Package.id)
              .filter(model.Package.type == "reuse",
                      model.Package.state != "deleted",
                      model.Package.url == url))
    if own_id:
        column = column.filter(model.Package.id != own_id)
    if column.first():
        errors[key].append(tk._("Another reuse already has this URL"))


def reuse_id_list(value: Any, context: Context) -> str:
    """Store a list of dataset ids as a JSON string."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip().startswith("[") else [value]
        except ValueError:
            raise tk.Invalid(tk._("Expected a list of dataset ids"))
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise tk.Invalid(tk._("Expected a list of dataset ids"))
    return json.dumps(sorted(set(value)))


def reuse_id_list_output(value: Any) -> list[str]:
    """Read back the stored JSON list."""
    if isinstance(value, list):
        return value
    try:
        loaded = json.loads(value or "[]")
    except ValueError:
        return []
    return loaded if isinstance(loaded, list) else []


def reuse_owner_org_allowed(value: Any, context: Context) -> Any:
    """Only editors of an organisation (or moderators) attach a reuse to it,
    even when the reuse actions run the core ones without auth checks."""
    from ckanext.reuse import utils

    package = context.get("package")
    if not value or (package is not None and package.owner_org == value):
        return value
    user = context.get("user")
    if utils.is_moderator(user) or (user and authz.has_user_permission_for_group_or_org(
            value, user, "create_dataset")):
        return value
    raise tk.Invalid(tk._("You cannot attach a reuse to this organisation"))

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


def reuse_markdown_sanitised(key: FlattenKey, data: FlattenDataDict,
                             errors: FlattenErrorDict, context: Context) -> None:
    """After ``fluent_text``: HTML and script links removed from the
    markdown of every language (and from the core copy of the field)."""
    from ckanext.reuse.utils import sanitise_markdown

    if errors[key] or not data.get(key):
        return
    values = json.loads(data[key]) if isinstance(data[key], str) else data[key]
    data[key] = json.dumps({lang: sanitise_markdown(text) for lang, text in values.items()},
                           ensure_ascii=False)
    core = key[:-1] + (key[-1].replace("_translated", ""),)
    if core != key and isinstance(data.get(core), str):
        data[core] = sanitise_markdown(data[core])


def reuse_image_url(value: Any, context: Context) -> Any:
    """An http(s) image URL, or the name of an image uploaded with the reuse."""
    if not value:
        return value
    from urllib.parse import urlparse

    if "://" in value:
        parsed = urlparse(value)
        if parsed.scheme in ("http", "https") and parsed.netloc:
            return value
    elif not ("/" in value or "\\" in value or value.startswith(".")):
        return value
    raise tk.Invalid(tk._("Please provide a valid URL"))


# data requests, feedback and reports --------------------------------------

def reuse_max_length(limit: int):
    """Text of at most ``limit`` characters."""
    def validator(value: Any, context: Context) -> Any:
        if isinstance(value, str) and len(value) > limit:
            raise tk.Invalid(tk._("At most {limit} characters").format(limit=limit))
        return value
    return validator


def reuse_string_list(value: Any, context: Context) -> list[str]:
    """A list of short texts: a list, a JSON list or comma-separated text
    (Arabic commas too); blanks dropped, duplicates removed, order kept."""
    if value in (None, "", tk.missing):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                raise tk.Invalid(tk._("Expected a list"))
        else:
            value = text.replace("\u060c", ",").split(",")
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise tk.Invalid(tk._("Expected a list"))
    out: list[str] = []
    for item in (v.strip() for v in value):
        if len(item) > 100:
            raise tk.Invalid(tk._("At most {limit} characters").format(limit=100))
        if item and item not in out:
            out.append(item)
    return out


def reuse_vocabulary_list(vocabulary: str):
    """A list of values of a portal vocabulary (themes, formats, ...)."""
    from ckanext.opengov.logic.vocabularies import vocabulary_values

    def validator(value: Any, context: Context) -> list[str]:
        values = reuse_string_list(value, context)
        allowed = vocabulary_values(vocabulary)
        if vocabulary == "formats":  # case-insensitive, stored as listed
            by_key = {a.lower(): a for a in allowed}
            values = [by_key.get(v.lower(), v) for v in values]
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise tk.Invalid(tk._("Unknown value: {values}").format(values=", ".join(unknown)))
        return values
    return validator


def reuse_vocabulary_value(vocabulary: str):
    """One value of a portal vocabulary."""
    def validator(value: Any, context: Context) -> Any:
        if value in (None, ""):
            return None
        return reuse_vocabulary_list(vocabulary)([value], context)[0]
    return validator


def reuse_organization_ids(value: Any, context: Context) -> list[str]:
    """Organisation ids or names -> ids of active organisations."""
    ids: list[str] = []
    for ref in reuse_string_list(value, context):
        group = model.Group.get(ref)
        if not group or not group.is_organization or group.state != "active":
            raise tk.Invalid(tk._("Organisation not found: {name}").format(name=ref))
        if group.id not in ids:
            ids.append(group.id)
    return ids


def reuse_dataset_ids(value: Any, context: Context) -> list[str]:
    """Dataset ids or names -> ids of active datasets (not reuses)."""
    ids: list[str] = []
    for ref in reuse_string_list(value, context):
        pkg = model.Package.get(ref)
        if not pkg or pkg.state != "active" or pkg.type == "reuse":
            raise tk.Invalid(tk._("Dataset not found: {name}").format(name=ref))
        if pkg.id not in ids:
            ids.append(pkg.id)
    return ids


def reuse_dataset_id(value: Any, context: Context) -> Any:
    """One dataset id or name -> id."""
    if value in (None, ""):
        return None
    return reuse_dataset_ids([value], context)[0]


def reuse_datarequest_id(value: Any, context: Context) -> Any:
    """The id of an existing data request."""
    from ckanext.reuse.model import DataRequest

    if value in (None, ""):
        return None
    if not isinstance(value, str) or not DataRequest.get(value):
        raise tk.Invalid(tk._("Data request not found"))
    return value

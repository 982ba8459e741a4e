"""Reuse actions: create/show/update/patch/delete/search, links to datasets,
and the moderation workflow draft -> pending -> approved | needs_revision | rejected."""
from __future__ import annotations

from typing import Any, Iterable

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.types import Context, DataDict

from ckanext.reuse import utils

#: Moderation decisions a moderator may take on a pending reuse.
DECISIONS = ("approved", "needs_revision", "rejected")
#: States from which the submitter may (re)submit.
SUBMITTABLE = ("draft", "needs_revision")
#: Facets of reuse_search.
FACETS = ("reuse_type", "vocab_reuse_themes", "reuse_organization", "featured")


def _internal(context: Context) -> Context:
    """A context for the core actions run on behalf of the user."""
    return {"user": context.get("user"), "ignore_auth": True,
            "reuse_internal": True}  # type: ignore


def _stored(context: Context, id_: str) -> dict[str, Any]:
    """The full stored reuse (private fields included)."""
    utils.get_reuse(id_)
    return tk.get_action("package_show")(_internal(context), {"id": id_})


def _reindex(dataset_ids: Iterable[str]) -> None:
    """Refresh ``num_reuses`` of the given datasets."""
    for dataset_id in set(dataset_ids):
        if model.Package.get(dataset_id):
            search.rebuild(dataset_id)


def _save(context: Context, pkg_dict: dict[str, Any]) -> dict[str, Any]:
    saved = tk.get_action("package_update")(_internal(context), pkg_dict)
    _reindex(saved.get("dataset_ids") or [])
    return saved


def _show(context: Context, id_: str) -> dict[str, Any]:
    return tk.get_action("package_show")(
        {"user": context.get("user")}, {"id": id_})  # type: ignore


def _state_error(message: str) -> tk.ValidationError:
    return tk.ValidationError({"moderation_state": [message]})


def reuse_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a reuse. It starts as a draft, or pending with ``submit: true``."""
    tk.check_access("reuse_create", context, data_dict)
    data = {k: v for k, v in data_dict.items()
            if k not in utils.PROTECTED_FIELDS and k != "submit"}
    data["type"] = "reuse"
    data["moderation_state"] = (
        "pending" if tk.asbool(data_dict.get("submit")) else "draft")
    created = tk.get_action("package_create")(_internal(context), data)
    return _show(context, created["id"])


@tk.side_effect_free
def reuse_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A reuse (approved ones for everyone, others for submitter/moderators)."""
    tk.check_access("reuse_show", context, data_dict)
    return _show(context, data_dict["id"])


def reuse_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a reuse. A non-moderator's edit of an approved reuse goes back
    to moderation (pending)."""
    tk.check_access("reuse_update", context, data_dict)
    stored = _stored(context, data_dict["id"])
    data = {k: v for k, v in data_dict.items() if k not in utils.PROTECTED_FIELDS}
    for key in utils.PROTECTED_FIELDS:
        if key in stored:
            data[key] = stored[key]
    data["type"] = "reuse"
    if (stored.get("moderation_state") == "approved"
            and not utils.is_moderator(context.get("user"))):
        data["moderation_state"] = "pending"
    _save(context, data)
    return _show(context, stored["id"])


def reuse_patch(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change some fields of a reuse."""
    tk.check_access("reuse_patch", context, data_dict)
    stored = _stored(context, data_dict["id"])
    stored.update(data_dict)
    return reuse_update(context, stored)


def reuse_delete(context: Context, data_dict: DataDict) -> None:
    """Soft-delete a reuse."""
    tk.check_access("reuse_delete", context, data_dict)
    stored = _stored(context, data_dict["id"])
    tk.get_action("package_delete")(_internal(context), {"id": stored["id"]})
    _reindex(stored.get("dataset_ids") or [])


@tk.side_effect_free
def reuse_search(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Search reuses. Anonymous users and others only get approved reuses
    (plus, for a user, their own); ``moderation_state`` filters the queue."""
    tk.check_access("reuse_search", context, data_dict)
    params = dict(data_dict)
    fq = "+dataset_type:reuse " + params.get("fq", "")
    state = params.pop("moderation_state", None)
    if state:
        fq += ' +moderation_state:"{}"'.format(str(state).replace('"', ""))
    params["fq"] = fq
    params.setdefault("facet.field", list(FACETS))
    params["include_private"] = True
    return tk.get_action("package_search")(
        {"user": context.get("user")}, params)  # type: ignore


def _link_target(data_dict: DataDict) -> Any:
    dataset = model.Package.get(data_dict.get("dataset_id") or "")
    if not dataset or dataset.state == "deleted" or dataset.type == "reuse":
        raise tk.ValidationError({"dataset_id": [tk._("Dataset not found")]})
    return dataset


def reuse_dataset_add(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Link a dataset (any type) to a reuse."""
    utils.get_reuse(data_dict.get("id"))
    dataset = _link_target(data_dict)
    tk.check_access("reuse_dataset_add", context, data_dict)
    stored = _stored(context, data_dict["id"])
    ids = list(stored.get("dataset_ids") or [])
    if dataset.id not in ids:
        stored["dataset_ids"] = ids + [dataset.id]
        _save(context, stored)
    return {"id": stored["id"], "dataset_id": dataset.id}


def reuse_dataset_remove(context: Context, data_dict: DataDict) -> None:
    """Unlink a dataset from a reuse."""
    utils.get_reuse(data_dict.get("id"))
    dataset = _link_target(data_dict)
    tk.check_access("reuse_dataset_remove", context, data_dict)
    stored = _stored(context, data_dict["id"])
    ids = list(stored.get("dataset_ids") or [])
    if dataset.id in ids:
        stored["dataset_ids"] = [i for i in ids if i != dataset.id]
        _save(context, stored)
        _reindex([dataset.id])


def _page(data_dict: DataDict) -> dict[str, int]:
    return {"rows": int(data_dict.get("rows", 20)),
            "start": int(data_dict.get("start", 0))}


@tk.side_effect_free
def reuse_dataset_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The datasets of a reuse the user may see, paged (rows, start)."""
    tk.check_access("reuse_dataset_list", context, data_dict)
    ids = _stored(context, data_dict["id"]).get("dataset_ids") or []
    if not ids:
        return {"count": 0, "results": []}
    fq = "-dataset_type:reuse +id:({})".format(
        " OR ".join('"{}"'.format(i) for i in ids))
    found = tk.get_action("package_search")(
        {"user": context.get("user")},  # type: ignore
        dict(fq=fq, include_private=True, **_page(data_dict)))
    return {"count": found["count"], "results": found["results"]}


@tk.side_effect_free
def dataset_reuse_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The reuses of a dataset the user may see, paged (rows, start)."""
    tk.check_access("dataset_reuse_list", context, data_dict)
    dataset = _link_target({"dataset_id": data_dict.get("id")})
    found = reuse_search(context, dict(
        fq='+vocab_reuse_datasets:"{}"'.format(dataset.id), **_page(data_dict)))
    return {"count": found["count"], "results": found["results"]}


def reuse_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Send a draft (or a reuse needing revision) to the moderators."""
    tk.check_access("reuse_submit", context, data_dict)
    stored = _stored(context, data_dict["id"])
    if stored.get("moderation_state") not in SUBMITTABLE:
        raise _state_error(tk._("Only a draft or a reuse needing revision can be submitted"))
    stored["moderation_state"] = "pending"
    _save(context, stored)
    return _show(context, stored["id"])


def reuse_moderate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Decide on a pending reuse: ``moderation_state`` approved, needs_revision
    or rejected, with an optional ``moderator_note``."""
    tk.check_access("reuse_moderate", context, data_dict)
    stored = _stored(context, data_dict["id"])
    decision = data_dict.get("moderation_state")
    if decision not in DECISIONS:
        raise _state_error(tk._("Choose approved, needs_revision or rejected"))
    if stored.get("moderation_state") != "pending":
        raise _state_error(tk._("Only a pending reuse can be moderated"))
    stored["moderation_state"] = decision
    stored["moderator_note"] = data_dict.get("moderator_note") or ""
    _save(context, stored)
    return _show(context, stored["id"])


def reuse_feature(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Set or clear the featured flag (moderators)."""
    tk.check_access("reuse_feature", context, data_dict)
    stored = _stored(context, data_dict["id"])
    stored["featured"] = tk.asbool(data_dict.get("featured", True))
    _save(context, stored)
    return _show(context, stored["id"])

"""Reuse actions: create/show/update/patch/delete/archive/purge/search, links
to datasets (added by the reuse's editors or the datasets' publishers, who may
also refuse a link), the moderation workflow draft -> pending -> approved |
needs_revision | rejected, moderators, the moderation queue and statistics."""
from __future__ import annotations

import datetime
from typing import Any, Iterable, Optional

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search, uploader
from ckan.types import Context, DataDict

from ckanext.reuse import notifications, utils
from ckanext.reuse.model.reuse import ReuseLinkCheck, ReuseModerator

#: Moderation decisions a moderator may take on a pending reuse.
DECISIONS = ("approved", "needs_revision", "rejected")
#: States from which the submitter may (re)submit.
SUBMITTABLE = ("draft", "needs_revision")
#: Facets of reuse_search: type, theme, organisation, event, featured.
FACETS = ("reuse_type", "vocab_reuse_themes", "reuse_organization", "event", "featured")
#: Named sorts of reuse_search (any Solr sort is accepted too).
SORTS = {
    "newest": "metadata_created desc",
    "datasets": "reuse_num_datasets desc, metadata_created desc",
    "featured": "featured desc, metadata_created desc",
}
#: The upload fields of the reuse image (form and API).
IMAGE_FIELDS = ("image_url", "image_upload", "clear_upload")


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


def _save(context: Context, pkg_dict: dict[str, Any],
          previous_ids: Iterable[str] = ()) -> dict[str, Any]:
    saved = tk.get_action("package_update")(_internal(context), pkg_dict)
    _reindex(list(saved.get("dataset_ids") or []) + list(previous_ids))
    return saved


def _show(context: Context, id_: str) -> dict[str, Any]:
    return tk.get_action("package_show")(
        {"user": context.get("user")}, {"id": id_})  # type: ignore


def _state_error(message: str) -> tk.ValidationError:
    return tk.ValidationError({"moderation_state": [message]})


def _image_uploader(data: dict[str, Any], old: Optional[str] = None) -> Any:
    """Checks an uploaded image (type and size) before anything is saved;
    returns the uploader that writes it once the reuse is valid."""
    upload = uploader.get_uploader("reuse", old)
    upload.update_data_dict(data, *IMAGE_FIELDS)
    stream = getattr(upload, "upload_file", None)
    if getattr(upload, "filename", None) and stream is not None:
        stream.seek(0, 2)
        size, limit = stream.tell(), tk.config.get("ckan.max_image_size") * 1024 * 1024
        stream.seek(0)
        if size > limit:
            raise tk.ValidationError({"image_upload": [
                tk._("The image is larger than {size} MB").format(
                    size=tk.config.get("ckan.max_image_size"))]})
    return upload


def _user_fields(data_dict: DataDict) -> dict[str, Any]:
    """What a submitter may set; visibility follows moderation, never ``private``."""
    data = {k: v for k, v in data_dict.items()
            if k not in utils.PROTECTED_FIELDS and k not in ("submit", "id", "private")}
    data["private"] = False
    return data


def reuse_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a reuse. It starts as a draft, or pending with ``submit: true``.
    The image is an ``image_url`` or an ``image_upload`` file."""
    tk.check_access("reuse_create", context, data_dict)
    data = _user_fields(data_dict)
    data["type"] = "reuse"
    data["moderation_state"] = (
        "pending" if tk.asbool(data_dict.get("submit")) else "draft")
    upload = _image_uploader(data)
    created = tk.get_action("package_create")(_internal(context), data)
    upload.upload(tk.config.get("ckan.max_image_size"))
    return _show(context, created["id"])


@tk.side_effect_free
def reuse_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A reuse (approved ones for everyone, others for submitter/moderators),
    with ``link_status`` when its link was checked."""
    tk.check_access("reuse_show", context, data_dict)
    shown = _show(context, data_dict["id"])
    check = model.Session.get(ReuseLinkCheck, shown["id"])
    if check is not None:
        shown["link_status"] = check.as_dict()
    return shown


def reuse_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a reuse. A non-moderator's edit of an approved reuse goes back
    to moderation (pending)."""
    tk.check_access("reuse_update", context, data_dict)
    stored = _stored(context, data_dict["id"])
    data = _user_fields(data_dict)
    data["id"] = stored["id"]
    for key in utils.PROTECTED_FIELDS:
        if key in stored:
            data[key] = stored[key]
    data["type"] = "reuse"
    if (stored.get("moderation_state") == "approved"
            and not utils.is_moderator(context.get("user"))):
        data["moderation_state"] = "pending"
    upload = _image_uploader(data, stored.get("image_url"))
    _save(context, data)
    upload.upload(tk.config.get("ckan.max_image_size"))
    return _show(context, stored["id"])


def reuse_patch(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change some fields of a reuse."""
    tk.check_access("reuse_patch", context, data_dict)
    stored = _stored(context, data_dict["id"])
    stored.update(data_dict)
    return reuse_update(context, stored)


def reuse_delete(context: Context, data_dict: DataDict) -> None:
    """Soft-delete a reuse (moderators still see it; sysadmins may purge it)."""
    tk.check_access("reuse_delete", context, data_dict)
    stored = _stored(context, data_dict["id"])
    tk.get_action("package_delete")(_internal(context), {"id": stored["id"]})
    _reindex(stored.get("dataset_ids") or [])


def reuse_archive(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Archive a reuse that is no longer maintained (``archived: false``
    brings it back). Archived reuses stay readable, out of the gallery."""
    tk.check_access("reuse_archive", context, data_dict)
    stored = _stored(context, data_dict["id"])
    stored["archived"] = tk.asbool(data_dict.get("archived", True))
    _save(context, stored)
    return _show(context, stored["id"])


def reuse_purge(context: Context, data_dict: DataDict) -> None:
    """Remove a reuse for good (sysadmins)."""
    tk.check_access("reuse_purge", context, data_dict)
    stored = _stored(context, data_dict["id"])
    tk.get_action("dataset_purge")(_internal(context), {"id": stored["id"]})
    _reindex(stored.get("dataset_ids") or [])


@tk.side_effect_free
def reuse_search(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Search reuses. Anonymous users and others only get approved reuses
    (plus, for a user, their own); ``moderation_state`` filters the queue;
    ``sort`` may be newest, datasets (most datasets) or featured; facets:
    reuse_type, vocab_reuse_themes, reuse_organization, event, featured."""
    tk.check_access("reuse_search", context, data_dict)
    params = dict(data_dict)
    fq = "+dataset_type:reuse " + params.get("fq", "")
    state = params.pop("moderation_state", None)
    if state:
        fq += ' +moderation_state:"{}"'.format(str(state).replace('"', ""))
    params["fq"] = fq
    params.setdefault("facet.field", list(FACETS))
    if params.get("sort") in SORTS:
        params["sort"] = SORTS[params["sort"]]
    params["include_private"] = True
    return tk.get_action("package_search")(
        {"user": context.get("user")}, params)  # type: ignore


def _link_target(data_dict: DataDict, user: Optional[str] = None) -> Any:
    """The dataset to (un)link: any type but reuse, readable by the user
    (a private dataset one cannot read is "not found")."""
    dataset = model.Package.get(data_dict.get("dataset_id") or "")
    if (not dataset or dataset.state == "deleted" or dataset.type == "reuse"
            or not _readable(dataset, user)):
        raise tk.ValidationError({"dataset_id": [tk._("Dataset not found")]})
    return dataset


def _readable(dataset: model.Package, user: Optional[str]) -> bool:
    if not dataset.private:
        return True
    user_obj = utils.user_obj(user)
    return bool(user_obj) and authz.is_authorized_boolean(
        "package_show", {"user": user_obj.name, "auth_user_obj": user_obj,  # type: ignore
                         "model": model}, {"id": dataset.id})


def reuse_dataset_add(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Link a dataset (any type) to a reuse. A link its publisher refused is
    added again only by that publisher (or a moderator)."""
    utils.get_reuse(data_dict.get("id"))
    dataset = _link_target(data_dict, context.get("user"))
    tk.check_access("reuse_dataset_add", context, data_dict)
    stored = _stored(context, data_dict["id"])
    ids = list(stored.get("dataset_ids") or [])
    refused = list(stored.get("rejected_dataset_ids") or [])
    user = context.get("user")
    if dataset.id in refused:
        if not (utils.is_moderator(user) or utils.is_dataset_publisher(user, dataset)):
            raise tk.ValidationError({"dataset_id": [
                tk._("The publisher of this dataset refused the link")]})
        stored["rejected_dataset_ids"] = [i for i in refused if i != dataset.id]
    if dataset.id not in ids or dataset.id in refused:
        stored["dataset_ids"] = sorted(set(ids) | {dataset.id})
        _save(context, stored)
    return {"id": stored["id"], "dataset_id": dataset.id}


def _unlink(context: Context, data_dict: DataDict, refuse: bool) -> dict[str, Any]:
    stored = _stored(context, data_dict["id"])
    dataset = _link_target(data_dict)
    ids = list(stored.get("dataset_ids") or [])
    refused = set(stored.get("rejected_dataset_ids") or [])
    if dataset.id in ids or (refuse and dataset.id not in refused):
        stored["dataset_ids"] = [i for i in ids if i != dataset.id]
        if refuse:
            stored["rejected_dataset_ids"] = sorted(refused | {dataset.id})
        _save(context, stored, previous_ids=[dataset.id])
    return {"id": stored["id"], "dataset_id": dataset.id}


def reuse_dataset_remove(context: Context, data_dict: DataDict) -> None:
    """Unlink a dataset from a reuse."""
    utils.get_reuse(data_dict.get("id"))
    _link_target(data_dict)
    tk.check_access("reuse_dataset_remove", context, data_dict)
    _unlink(context, data_dict, refuse=False)


def reuse_dataset_reject(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The publisher of a dataset refuses its link to a reuse: the link is
    removed and the reuse's editors cannot add it again."""
    utils.get_reuse(data_dict.get("id"))
    _link_target(data_dict)
    tk.check_access("reuse_dataset_reject", context, data_dict)
    return _unlink(context, data_dict, refuse=True)


def _page(data_dict: DataDict) -> dict[str, int]:
    errors: dict[str, list[str]] = {}
    page: dict[str, int] = {}
    for key, default, top in (("rows", 20, 1000), ("start", 0, None)):
        try:
            page[key] = int(data_dict.get(key, default))
            if page[key] < 0 or (top is not None and page[key] > top):
                raise ValueError
        except (TypeError, ValueError):
            errors[key] = [tk._("Must be a whole number between 0 and {top}").format(
                top=top if top is not None else "∞")]
    if errors:
        raise tk.ValidationError(errors)
    return page


@tk.side_effect_free
def reuse_dataset_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The datasets of a reuse the user may see, paged (rows, start)."""
    tk.check_access("reuse_dataset_list", context, data_dict)
    page = _page(data_dict)
    reuse = utils.get_reuse(data_dict["id"])
    found = tk.get_action("package_search")(
        {"user": context.get("user")},  # type: ignore
        dict(fq='-dataset_type:reuse +vocab_reuse_links:"{}"'.format(reuse.id),
             include_private=True, sort="title_string asc", **page))
    return {"count": found["count"], "results": found["results"]}


@tk.side_effect_free
def dataset_reuse_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The reuses of a dataset the user may see, paged (rows, start)."""
    tk.check_access("dataset_reuse_list", context, data_dict)
    dataset = _link_target({"dataset_id": data_dict.get("id")})
    found = reuse_search(context, dict(
        fq='+vocab_reuse_datasets:"{}"'.format(dataset.id),
        sort=data_dict.get("sort") or "featured", **_page(data_dict)))
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
    or rejected, with an optional ``moderator_note``. The publishers of its
    datasets get the approval in their next e-mail digest."""
    tk.check_access("reuse_moderate", context, data_dict)
    stored = _stored(context, data_dict["id"])
    decision = data_dict.get("moderation_state")
    if decision not in DECISIONS:
        raise _state_error(tk._("Choose approved, needs_revision or rejected"))
    if stored.get("moderation_state") != "pending":
        raise _state_error(tk._("Only a pending reuse can be moderated"))
    stored["moderation_state"] = decision
    stored["moderator_note"] = data_dict.get("moderator_note") or ""
    if decision == "approved":
        stored["approved_at"] = datetime.datetime.utcnow().isoformat()
    _save(context, stored)
    if decision == "approved":
        notifications.queue_approval(stored)
        notifications.record_activity(stored, context.get("user"))
    notifications.queue_decision(stored, decision, stored["moderator_note"], context.get("user"))
    return _show(context, stored["id"])


def reuse_feature(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Set or clear the featured flag, and set the ``badges`` (moderators)."""
    tk.check_access("reuse_feature", context, data_dict)
    stored = _stored(context, data_dict["id"])
    stored["featured"] = tk.asbool(data_dict.get("featured", True))
    if "badges" in data_dict:
        stored["badges"] = data_dict["badges"]
    _save(context, stored)
    return _show(context, stored["id"])


# moderators -------------------------------------------------------------------

def _user_arg(data_dict: DataDict) -> model.User:
    user = utils.user_obj(data_dict.get("username") or data_dict.get("id"))
    if user is None or user.state != "active":
        raise tk.ValidationError({"username": [tk._("User not found")]})
    return user


def reuse_moderator_add(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Name a user (``username``) reuse moderator (sysadmins)."""
    tk.check_access("reuse_moderator_add", context, data_dict)
    user = _user_arg(data_dict)
    if model.Session.get(ReuseModerator, user.id) is None:
        actor = utils.user_obj(context.get("user"))
        model.Session.add(ReuseModerator(user_id=user.id,
                                         created_by=actor.id if actor else None))
        model.Session.commit()
    return {"username": user.name, "id": user.id}


def reuse_moderator_remove(context: Context, data_dict: DataDict) -> None:
    """Withdraw a user's reuse moderator role (sysadmins)."""
    tk.check_access("reuse_moderator_remove", context, data_dict)
    user = _user_arg(data_dict)
    row = model.Session.get(ReuseModerator, user.id)
    if row is None:
        raise tk.ValidationError({"username": [tk._("This user is not a reuse moderator")]})
    model.Session.delete(row)
    model.Session.commit()


@tk.side_effect_free
def reuse_moderator_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The reuse moderators: named ones (``source: named``), those of the
    ``ckanext.reuse.moderators`` option (``config``) and sysadmins."""
    tk.check_access("reuse_moderator_list", context, data_dict)
    named = ReuseModerator.user_ids()
    configured = set(utils.configured_moderators())
    users = model.Session.query(model.User).filter(
        model.User.state == "active",
        model.User.sysadmin.is_(True) | model.User.id.in_(named)
        | model.User.name.in_(configured) | model.User.id.in_(configured),
    ).order_by(model.User.name)
    return [{"id": u.id, "name": u.name, "display_name": u.display_name,
             "source": ("named" if u.id in named else
                        "config" if {u.name, u.id} & configured else "sysadmin")}
            for u in users]


# moderation queue and statistics ---------------------------------------------

@tk.side_effect_free
def reuse_moderation_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What waits for the moderators: pending reuses, then reuses whose link
    was found dead (``link_status``), oldest first, paged (rows, start)."""
    tk.check_access("reuse_moderation_list", context, data_dict)
    page = _page(data_dict)
    found = reuse_search(context, dict(
        fq="+(moderation_state:pending OR reuse_link_status:dead)",
        sort="metadata_modified asc", facet="false", **page))
    ids = [reuse["id"] for reuse in found["results"]]
    dead = {row.package_id: row for row in model.Session.query(ReuseLinkCheck).filter(
        ReuseLinkCheck.package_id.in_(ids), ReuseLinkCheck.status == "dead")}
    for reuse in found["results"]:
        if reuse["id"] in dead:
            reuse["link_status"] = dead[reuse["id"]].as_dict()
    return {"count": found["count"], "results": found["results"]}


@tk.side_effect_free
def reuse_stats(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Approved and pending reuses, approved ones by type, theme and month,
    and datasets with approved reuses; for one ``organization`` the reuses it
    owns or that use its datasets."""
    tk.check_access("reuse_stats", context, data_dict)
    org_fq = dataset_fq = ""
    if data_dict.get("organization"):
        org = model.Group.get(data_dict["organization"])
        if org is None or not org.is_organization:
            raise tk.ValidationError({"organization": [tk._("Organisation not found")]})
        org_fq = ' +(reuse_owner_org:"{0}" OR vocab_reuse_dataset_orgs:"{0}")'.format(org.id)
        dataset_fq = ' +owner_org:"{}"'.format(org.id)

    def _count(fq: str, *facet_fields: str) -> tuple[int, dict[str, dict[str, int]]]:
        query = search.query_for(model.Package)
        found = query.run({"q": "*:*", "fq": fq, "rows": 0, "facet.limit": -1,
                           "facet.field": list(facet_fields)}, permission_labels=None)
        return found["count"], query.facets

    approved, facets = _count("+dataset_type:reuse +moderation_state:approved" + org_fq,
                              "reuse_type", "vocab_reuse_themes", "reuse_approved_month")
    pending, _ = _count("+dataset_type:reuse +moderation_state:pending" + org_fq)
    with_reuses, _ = _count("-dataset_type:reuse +num_reuses:[* TO *] -num_reuses:0"
                            + dataset_fq)
    months = sorted(facets.get("reuse_approved_month", {}).items())
    return {"approved": approved, "pending": pending,
            "by_type": facets.get("reuse_type", {}),
            "by_theme": facets.get("vocab_reuse_themes", {}),
            "datasets_with_reuses": with_reuses,
            "approved_per_month": [{"month": m, "count": c} for m, c in months]}

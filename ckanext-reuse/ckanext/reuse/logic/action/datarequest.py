"""Data request actions: requests, their status workflow and timeline,
target publishers, fulfilling datasets, comments, follows, votes, search
and per-organisation statistics.

Workflow: submitted (awaiting moderation) -> open -> under_review ->
planned (needs ``approx_publishing_date``) -> fulfilled (needs a dataset) |
rejected (needs ``status_reason``) | duplicate (needs ``duplicate_of``) |
withdrawn (by the requester). Every write validates everything first and
commits once, so nothing is half written."""
from __future__ import annotations

import datetime
from typing import Any, Iterable, Optional

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.navl import validators as navl
from ckan.model.types import make_uuid
from ckan.types import Context, DataDict

from ckanext.reuse import notify, ratelimit, roles, utils
from ckanext.reuse.datarequest_helpers import datarequest_label
from ckanext.reuse.logic import common, schema as s, validators as v
from ckanext.reuse.logic.dictization import (
    dataset_brief, dataset_briefs, iso, organization_briefs, post_dictize, row_dict, user_brief)
from ckanext.reuse.model import (
    AbuseReport, DataRequest, DataRequestComment, DataRequestDataset, DataRequestEvent,
    DataRequestFollower, DataRequestOrganization, DataRequestVote)

Session = model.Session

#: status -> statuses it may move to (reopening is governed by config).
TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"open", "rejected", "duplicate", "withdrawn"}),
    "open": frozenset({"under_review", "planned", "fulfilled", "rejected", "duplicate",
                       "withdrawn"}),
    "under_review": frozenset({"open", "planned", "fulfilled", "rejected", "duplicate",
                               "withdrawn"}),
    "planned": frozenset({"under_review", "fulfilled", "rejected", "withdrawn"}),
    "fulfilled": frozenset({"open"}),
    "rejected": frozenset({"open"}),
    "duplicate": frozenset({"open"}),
    "withdrawn": frozenset({"open"}),
}
#: A publisher (or moderator) moving a request here has answered it.
ANSWER_STATUSES = frozenset({"under_review", "planned", "fulfilled", "rejected", "duplicate"})
#: Fields the requester writes.
CONTENT_FIELDS = ("title", "description", "requester_type", "intended_use", "kind",
                  "dataset_id", "themes", "keywords", "desired_formats",
                  "desired_frequency", "spatial_coverage", "temporal_coverage")
LIST_FIELDS = ("themes", "keywords", "desired_formats")
MAX_ROWS = 100


# ------------------------------------------------------------------ helpers







def _event(request: DataRequest, actor_id: Optional[str], event_type: str,
           **fields: Any) -> None:
    Session.add(DataRequestEvent(
        id=make_uuid(), datarequest_id=request.id, user_id=actor_id,
        event_type=event_type, created=common.now(), data=fields.pop("data", {}), **fields))


def _engagement(request_ids: list[str], uid: Optional[str]) -> tuple[set[str], set[str]]:
    """Which of ``request_ids`` the user ``uid`` voted for, and follows (two
    queries, whatever the number of requests)."""
    if not uid or not request_ids:
        return set(), set()
    return tuple(  # type: ignore[return-value]
        {row[0] for row in Session.query(link.datarequest_id).filter(
            link.user_id == uid, link.datarequest_id.in_(request_ids))}
        for link in (DataRequestVote, DataRequestFollower))


def _dictize(request: DataRequest, user_name: Optional[str] = None,
             permissions: bool = True,
             engagement: Optional[tuple[set[str], set[str]]] = None) -> dict[str, Any]:
    """A request as the API shows it; ``user_*`` keys say whether the calling
    user voted for and follows it (``engagement``: the user's votes and
    follows when the caller already has them, as search does for a page),
    and (unless ``permissions`` is off, as in search results) ``can_*``,
    ``statuses_allowed`` and ``publisher_organizations`` what they may do
    with it."""
    out = row_dict(request)
    org_ids = request.organization_ids()
    out["organizations"] = organization_briefs(org_ids)
    out["datasets"] = dataset_briefs(request.dataset_ids())
    out["requester"] = user_brief(request.requester_id)
    out["dataset"] = dataset_brief(request.dataset_id)
    out["is_closed"] = request.status in s.CLOSED_STATUSES
    voted, followed = engagement or _engagement([request.id], roles.user_id(user_name))
    out["user_has_voted"] = request.id in voted
    out["user_is_following"] = request.id in followed
    if permissions:
        out["can_edit"] = roles.can_edit_request(user_name, request)
        out["can_manage"] = roles.can_manage_request(user_name, request)
        out["statuses_allowed"] = sorted(
            status for status in roles.statuses_allowed(user_name, request)
            if status in _next_statuses(request.status))
        out["publisher_organizations"] = roles.publisher_org_ids(user_name, org_ids)
    return out


def _next_statuses(status: str) -> frozenset[str]:
    allowed = TRANSITIONS.get(status, frozenset())
    if status in s.CLOSED_STATUSES and not tk.config.get("ckanext.reuse.datarequest.allow_reopen"):
        return frozenset()
    return allowed


def _default_due_date() -> datetime.date:
    days = tk.config.get("ckanext.reuse.datarequest.response_days")
    return (common.now() + datetime.timedelta(days=days)).date()


def _request_path(request: DataRequest) -> str:
    return "/datarequest/" + request.id


def _count(link: Any, request: DataRequest) -> int:
    return Session.query(link).filter(link.datarequest_id == request.id).count()


def _refresh_counts(request: DataRequest) -> None:
    Session.flush()
    request.vote_count = _count(DataRequestVote, request)
    request.follower_count = _count(DataRequestFollower, request)
    request.comment_count = (Session.query(DataRequestComment)
                             .filter_by(datarequest_id=request.id, state="active").count())


def _followers(request: DataRequest) -> list[model.User]:
    ids = [row[0] for row in Session.query(DataRequestFollower.user_id)
           .filter_by(datarequest_id=request.id)]
    return notify.users_by_id(ids + [request.requester_id])


def _notify_followers(request: DataRequest, actor_id: Optional[str], intro: str,
                      detail: str = "") -> None:
    notify.enqueue(_followers(request),
                   tk._("[Data request] {title}").format(title=request.title),
                   notify.message(intro, request.title, _request_path(request), detail),
                   actor_id)


def _notify_publishers(request: DataRequest, org_ids: Iterable[str],
                       actor_id: Optional[str]) -> None:
    with notify.site_language():
        _enqueue_to_publishers(request, org_ids, actor_id)


def _enqueue_to_publishers(request: DataRequest, org_ids: Iterable[str],
                           actor_id: Optional[str]) -> None:
    notify.enqueue(notify.org_publishers(org_ids),
                   tk._("[Data request] {title}").format(title=request.title),
                   notify.message(tk._("A data request was addressed to your organisation."),
                                  request.title, _request_path(request), request.description),
                   actor_id)


def _add_organizations(request: DataRequest, org_ids: Iterable[str], actor_id: str) -> list[str]:
    current = set(request.organization_ids())
    added = [org_id for org_id in org_ids if org_id not in current]
    for org_id in added:
        Session.add(DataRequestOrganization(datarequest_id=request.id,
                                            organization_id=org_id, created=common.now()))
        _event(request, actor_id, "assigned", organization_id=org_id)
    return added


def _remove_organizations(request: DataRequest, org_ids: Iterable[str], actor_id: str) -> None:
    for org_id in org_ids:
        Session.query(DataRequestOrganization).filter_by(
            datarequest_id=request.id, organization_id=org_id).delete()
        _event(request, actor_id, "unassigned", organization_id=org_id)


def _link_datasets(request: DataRequest, dataset_ids: Iterable[str], actor_id: str) -> None:
    current = set(request.dataset_ids())
    for dataset_id in dataset_ids:
        if dataset_id in current:
            continue
        Session.add(DataRequestDataset(datarequest_id=request.id, package_id=dataset_id,
                                       linked_by=actor_id, created=common.now()))
        _event(request, actor_id, "dataset_linked", package_id=dataset_id)


def _mark_answered(request: DataRequest, user_name: Optional[str]) -> None:
    """First answer of a publisher or moderator (the response-time KPI)."""
    if request.first_answered_at is None and not roles.is_requester(user_name, request):
        request.first_answered_at = common.now()


def _commit(request: DataRequest) -> None:
    request.modified = common.now()
    Session.commit()


# ------------------------------------------------------------------ requests

def datarequest_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """File a data request. Fields: ``title`` and ``description`` (markdown)
    required; ``requester_type``, ``intended_use``, ``kind`` (new_dataset,
    extend_dataset, data_quality_issue), ``dataset_id`` (the dataset to extend
    or fix), ``themes``, ``keywords``, ``desired_formats``,
    ``desired_frequency``, ``spatial_coverage``, ``temporal_coverage``,
    ``organizations`` (target publishers, ids or names). It starts as
    ``submitted`` (awaiting moderation); a moderator's request starts open.
    The requester follows it."""
    tk.check_access("datarequest_create", context, data_dict)
    data = common.validate(data_dict, s.datarequest_schema(), context)
    actor = common.actor(context)
    ratelimit.check_write(actor.name)
    moderator = utils.is_moderator(actor.name)
    now = common.now()
    request = DataRequest(
        id=make_uuid(), requester_id=actor.id, created=now, modified=now,
        status="open" if moderator else "submitted", visibility="visible",
        vote_count=0, comment_count=0, follower_count=1,
        **{field: data.get(field, [] if field in LIST_FIELDS else None)
           for field in CONTENT_FIELDS})
    request.kind = data.get("kind") or "new_dataset"
    if moderator:
        request.due_date = data.get("due_date") or _default_due_date()
    Session.add(request)
    Session.flush()
    _event(request, actor.id, "created", to_status=request.status)
    org_ids = _add_organizations(request, data.get("organizations") or [], actor.id)
    Session.add(DataRequestFollower(datarequest_id=request.id, user_id=actor.id, created=now))
    Session.commit()
    if request.status == "open":
        _notify_publishers(request, org_ids, actor.id)
    else:
        with notify.site_language():
            notify.enqueue(notify.moderators(),
                           tk._("[Data request] To moderate: {title}").format(title=request.title),
                           notify.message(tk._("A new data request awaits moderation."),
                                          request.title, _request_path(request)), actor.id)
    return _dictize(request, actor.name)


@tk.side_effect_free
def datarequest_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One request (``id``) with its publishers, datasets and counters."""
    tk.check_access("datarequest_show", context, data_dict)
    return _dictize(roles.get_request(data_dict.get("id")), context.get("user"))


def _content(request: DataRequest) -> dict[str, Any]:
    data = {field: getattr(request, field) for field in CONTENT_FIELDS}
    data["organizations"] = request.organization_ids()
    return data


def datarequest_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Replace the requester's fields of request ``id`` (as in create;
    ``organizations`` replaces the target publishers). Moderators may also
    set ``due_date``."""
    tk.check_access("datarequest_update", context, data_dict)
    request = roles.get_request(data_dict.get("id"))
    data = common.validate(data_dict, s.datarequest_schema(), context)
    actor = common.actor(context)
    changed = []
    for field in CONTENT_FIELDS:
        value = data.get(field, [] if field in LIST_FIELDS else None)
        if field == "kind":
            value = value or "new_dataset"
        if getattr(request, field) != value:
            setattr(request, field, value)
            changed.append(field)
    if "due_date" in data and utils.is_moderator(actor.name) and request.due_date != data["due_date"]:
        request.due_date = data["due_date"]
        changed.append("due_date")
    added: list[str] = []
    if "organizations" in data_dict:
        wanted = data.get("organizations") or []
        current = request.organization_ids()
        _remove_organizations(request, [o for o in current if o not in wanted], actor.id)
        added = _add_organizations(request, wanted, actor.id)
    if changed:
        _event(request, actor.id, "updated", data={"fields": changed})
    _commit(request)
    if added and request.status != "submitted":
        _notify_publishers(request, added, actor.id)
    return _dictize(request, actor.name)


def datarequest_patch(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change only the given fields of request ``id``."""
    tk.check_access("datarequest_patch", context, data_dict)
    request = roles.get_request(data_dict.get("id"))
    merged = _content(request)
    merged = {k: v for k, v in merged.items() if v is not None}
    merged.update(data_dict)
    return datarequest_update(context, merged)


def datarequest_delete(context: Context, data_dict: DataDict) -> None:
    """Delete request ``id`` with its comments, votes, follows and timeline
    (the requester while it awaits moderation; moderators always)."""
    tk.check_access("datarequest_delete", context, data_dict)
    request = roles.get_request(data_dict.get("id"))
    common.delete_requests([request.id])
    Session.commit()


def _status_errors(request: DataRequest, data: dict[str, Any]) -> dict[str, list[str]]:
    """What the target status needs and is missing."""
    status = data["status"]
    errors: dict[str, list[str]] = {}
    if status not in _next_statuses(request.status):
        errors["status"] = [tk._('A request cannot go from "{old}" to "{new}"').format(
            old=request.status, new=status)]
    if status == "planned" and not (data.get("approx_publishing_date")
                                    or request.approx_publishing_date):
        errors["approx_publishing_date"] = [tk._("Give the approximate publishing date")]
    if status == "fulfilled" and not (data.get("dataset_ids") or request.dataset_ids()):
        errors["dataset_ids"] = [tk._("Link at least one dataset that fulfils the request")]
    if status == "rejected" and not data.get("status_reason"):
        errors["status_reason"] = [tk._("Give the reason of the rejection")]
    if status == "duplicate":
        original = data.get("duplicate_of")
        if not original:
            errors["duplicate_of"] = [tk._("Name the original request")]
        elif original == request.id:
            errors["duplicate_of"] = [tk._("A request cannot duplicate itself")]
    return errors


def _change_status(context: Context, request: DataRequest, data: dict[str, Any]) -> None:
    """Apply a validated status change (no commit)."""
    actor = common.actor(context)
    errors = _status_errors(request, data)
    if errors:
        raise tk.ValidationError(errors)
    old, new = request.status, data["status"]
    _link_datasets(request, data.get("dataset_ids") or [], actor.id)
    request.status = new
    request.status_reason = data.get("status_reason") or None
    if new == "planned":
        request.approx_publishing_date = (data.get("approx_publishing_date")
                                          or request.approx_publishing_date)
    request.duplicate_of_id = data.get("duplicate_of") if new == "duplicate" else None
    if data.get("due_date"):
        request.due_date = data["due_date"]
    if new == "open" and old == "submitted" and request.due_date is None:
        request.due_date = _default_due_date()
    if new in s.CLOSED_STATUSES:
        request.closed_at, request.closed_by = common.now(), actor.id
    else:
        request.closed_at = request.closed_by = None
    if new in ANSWER_STATUSES:
        _mark_answered(request, actor.name)
    _event(request, actor.id, "status", from_status=old, to_status=new,
           reason=request.status_reason,
           data={k: iso(data[k]) for k in ("approx_publishing_date", "duplicate_of")
                 if data.get(k)})


def _notify_status(request: DataRequest, old: str, actor_id: str) -> None:
    if old == "submitted" and request.status == "open":
        _notify_publishers(request, request.organization_ids(), actor_id)
    with notify.site_language():
        _notify_followers(request, actor_id,
                          tk._("The status of a data request you follow changed: {status}")
                          .format(status=datarequest_label("status", request.status)),
                          request.status_reason or "")


def datarequest_status_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Move request ``id`` to ``status``. ``planned`` needs
    ``approx_publishing_date``; ``fulfilled`` needs a linked dataset (or
    ``dataset_ids`` given here); ``rejected`` needs ``status_reason``;
    ``duplicate`` needs ``duplicate_of``. Optional ``due_date``. The
    requester may only withdraw; publishers of the targeted organisations
    answer, plan, fulfil, reject; moderators moderate (submitted -> open)."""
    tk.check_access("datarequest_status_update", context, data_dict)
    request = roles.get_request(data_dict.get("id"))
    schema = s.datarequest_status_schema()
    schema["due_date"] = s.datarequest_schema()["due_date"]
    data = common.validate(data_dict, schema, context)
    old = request.status
    _change_status(context, request, data)
    _commit(request)
    _notify_status(request, old, request.closed_by or roles.user_id(context.get("user")) or "")
    return _dictize(request, context.get("user"))


def datarequest_assign(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Address request ``id`` to one more organisation ``organization_id``
    (a publisher may transfer a request: assign another, unassign its own)."""
    tk.check_access("datarequest_assign", context, data_dict)
    request = roles.get_request(data_dict.get("id"))
    org_ids = common.validate(data_dict, {"organization_id": [navl.not_empty, v.reuse_organization_ids]},
                        context)["organization_id"]
    if org_ids[0] in request.organization_ids():
        raise tk.ValidationError({"organization_id": [
            tk._("The request already targets this organisation")]})
    actor = common.actor(context)
    _add_organizations(request, org_ids[:1], actor.id)
    _commit(request)
    if request.status != "submitted":
        _notify_publishers(request, org_ids[:1], actor.id)
    return _dictize(request, actor.name)


def datarequest_unassign(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Stop addressing request ``id`` to ``organization_id``."""
    tk.check_access("datarequest_unassign", context, data_dict)
    request = roles.get_request(data_dict.get("id"))
    org = model.Group.get(data_dict.get("organization_id") or "")
    if org is None or org.id not in request.organization_ids():
        raise tk.ValidationError({"organization_id": [
            tk._("The request does not target this organisation")]})
    actor = common.actor(context)
    _remove_organizations(request, [org.id], actor.id)
    _commit(request)
    return _dictize(request, actor.name)


def _dataset_ref(data_dict: DataDict, context: Context) -> str:
    return common.validate(data_dict, {"dataset_id": [
        navl.not_empty, v.reuse_dataset_id, s.public_datasets]}, context)["dataset_id"]


def datarequest_link_dataset(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Link dataset ``dataset_id`` (id or name) to request ``id`` as one
    that fulfils it."""
    tk.check_access("datarequest_link_dataset", context, data_dict)
    request = roles.get_request(data_dict.get("id"))
    dataset_id = _dataset_ref(data_dict, context)
    if dataset_id in request.dataset_ids():
        raise tk.ValidationError({"dataset_id": [tk._("This dataset is already linked")]})
    actor = common.actor(context)
    _link_datasets(request, [dataset_id], actor.id)
    _commit(request)
    return _dictize(request, actor.name)


def datarequest_unlink_dataset(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Unlink dataset ``dataset_id`` from request ``id``; a fulfilled
    request keeps at least one."""
    tk.check_access("datarequest_unlink_dataset", context, data_dict)
    request = roles.get_request(data_dict.get("id"))
    pkg = model.Package.get(data_dict.get("dataset_id") or "")
    linked = request.dataset_ids()
    if pkg is None or pkg.id not in linked:
        raise tk.ValidationError({"dataset_id": [tk._("This dataset is not linked")]})
    if request.status == "fulfilled" and len(linked) == 1:
        raise tk.ValidationError({"dataset_id": [
            tk._("A fulfilled request keeps at least one dataset")]})
    actor = common.actor(context)
    Session.query(DataRequestDataset).filter_by(
        datarequest_id=request.id, package_id=pkg.id).delete()
    _event(request, actor.id, "dataset_unlinked", package_id=pkg.id)
    _commit(request)
    return _dictize(request, actor.name)


@tk.side_effect_free
def datarequest_event_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The timeline of request ``id``, oldest first."""
    tk.check_access("datarequest_event_list", context, data_dict)
    request = roles.get_request(data_dict.get("id"))
    events = (Session.query(DataRequestEvent).filter_by(datarequest_id=request.id)
              .order_by(DataRequestEvent.created, DataRequestEvent.id).all())
    orgs = {o["id"]: o for o in organization_briefs({e.organization_id for e in events
                                                      if e.organization_id})}
    pkgs = {p["id"]: p for p in dataset_briefs({e.package_id for e in events if e.package_id})}
    return [{
        "id": e.id, "event_type": e.event_type, "created": iso(e.created),
        "user": user_brief(e.user_id), "from_status": e.from_status,
        "to_status": e.to_status, "reason": e.reason, "data": e.data or {},
        "organization": orgs.get(e.organization_id or ""),
        "dataset": pkgs.get(e.package_id or ""),
    } for e in events]


# ------------------------------------------------------------------ comments

def _official_org(context: Context, request: DataRequest, data: dict[str, Any]) -> Optional[str]:
    """The organisation an official answer is posted on behalf of."""
    if not data.get("official") and not data.get("organization_id"):
        return None
    mine = roles.publisher_org_ids(context.get("user"), request.organization_ids())
    wanted = (data.get("organization_id") or mine[:1] or [None])[0]
    if wanted is None or wanted not in mine:
        raise tk.ValidationError({"organization_id": [
            tk._("Only admins and editors of a targeted organisation answer on its behalf")]})
    return wanted


def datarequest_comment_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Comment on request ``id`` with ``body`` (markdown). A publisher of a
    targeted organisation may post an official answer with ``official: true``
    (and ``organization_id`` when it publishes for several)."""
    tk.check_access("datarequest_comment_create", context, data_dict)
    request = roles.get_request(data_dict.get("id"))
    data = common.validate(data_dict, s.datarequest_comment_schema(), context)
    org_id = _official_org(context, request, data)
    actor = common.actor(context)
    ratelimit.check_write(actor.name)
    comment = DataRequestComment(id=make_uuid(), datarequest_id=request.id, user_id=actor.id,
                                 body=data["body"], organization_id=org_id, state="active",
                                 created=common.now())
    Session.add(comment)
    if org_id:
        _mark_answered(request, actor.name)
        _event(request, actor.id, "official_answer", organization_id=org_id,
               data={"comment_id": comment.id})
    _refresh_counts(request)
    _commit(request)
    with notify.site_language():
        _notify_followers(request, actor.id,
                          tk._("{user} commented on a data request you follow.").format(
                              user=actor.display_name), data["body"])
    return post_dictize(comment)


def datarequest_comment_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change the ``body`` of comment ``id`` (its author)."""
    tk.check_access("datarequest_comment_update", context, data_dict)
    comment = roles.get_comment(data_dict.get("id"))
    data = common.validate(data_dict, {"body": s.datarequest_comment_schema()["body"]}, context)
    comment.body = data["body"]
    comment.modified = common.now()
    Session.commit()
    return post_dictize(comment)


def datarequest_comment_delete(context: Context, data_dict: DataDict) -> None:
    """Delete comment ``id`` (its author or a moderator)."""
    tk.check_access("datarequest_comment_delete", context, data_dict)
    comment = roles.get_comment(data_dict.get("id"))
    request = roles.get_request(comment.datarequest_id)
    Session.query(AbuseReport).filter_by(subject_type="datarequest_comment",
                                         subject_id=comment.id).delete()
    Session.delete(comment)
    _refresh_counts(request)
    Session.commit()


@tk.side_effect_free
def datarequest_comment_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The comments of request ``id``, oldest first (hidden ones for moderators)."""
    tk.check_access("datarequest_comment_list", context, data_dict)
    request = roles.get_request(data_dict.get("id"))
    query = Session.query(DataRequestComment).filter_by(datarequest_id=request.id)
    if not utils.is_moderator(context.get("user")):
        query = query.filter(DataRequestComment.state == "active")
    return [post_dictize(c) for c in
            query.order_by(DataRequestComment.created, DataRequestComment.id)]


# ------------------------------------------------------------------ follows and votes

def _toggle(context: Context, data_dict: DataDict, link: Any, on: bool,
            field: str, messages: tuple[str, str]) -> dict[str, Any]:
    request = roles.get_request(data_dict.get("id"))
    actor = common.actor(context)
    existing = Session.get(link, (request.id, actor.id))
    if on and existing:
        raise tk.ValidationError({field: [messages[0]]})
    if not on and not existing:
        raise tk.ValidationError({field: [messages[1]]})
    if on:
        Session.add(link(datarequest_id=request.id, user_id=actor.id, created=common.now()))
    else:
        Session.delete(existing)
    _refresh_counts(request)
    Session.commit()
    return _dictize(request, actor.name)


def datarequest_follow(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Follow request ``id`` (emails about its changes and comments)."""
    tk.check_access("datarequest_follow", context, data_dict)
    return _toggle(context, data_dict, DataRequestFollower, True, "follow",
                   (tk._("You already follow this request"), ""))


def datarequest_unfollow(context: Context, data_dict: DataDict) -> dict[str, Any]:
    tk.check_access("datarequest_unfollow", context, data_dict)
    return _toggle(context, data_dict, DataRequestFollower, False, "follow",
                   ("", tk._("You do not follow this request")))


def datarequest_vote(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Vote for request ``id`` (one vote per user)."""
    tk.check_access("datarequest_vote", context, data_dict)
    return _toggle(context, data_dict, DataRequestVote, True, "vote",
                   (tk._("You already voted for this request"), ""))


def datarequest_unvote(context: Context, data_dict: DataDict) -> dict[str, Any]:
    tk.check_access("datarequest_unvote", context, data_dict)
    return _toggle(context, data_dict, DataRequestVote, False, "vote",
                   ("", tk._("You have not voted for this request")))


# ------------------------------------------------------------------ search

SORT_COLUMNS = {
    "newest": [DataRequest.created.desc()],
    "oldest": [DataRequest.created.asc()],
    "most_voted": [DataRequest.vote_count.desc(), DataRequest.created.desc()],
    "most_followed": [DataRequest.follower_count.desc(), DataRequest.created.desc()],
    "recently_updated": [DataRequest.modified.desc()],
    "due_date": [DataRequest.due_date.asc().nulls_last(), DataRequest.created.asc()],
}


def _visible_to(query: Any, user_name: Optional[str]) -> Any:
    """Hidden requests for moderators; submitted ones for moderators, their
    requester and the publishers they target."""
    if utils.is_moderator(user_name):
        return query.filter(DataRequest.visibility == "visible")
    query = query.filter(DataRequest.visibility == "visible")
    uid = roles.user_id(user_name)
    if not uid:
        return query.filter(DataRequest.status != "submitted")
    user = model.User.get(uid)
    my_orgs = [g.id for g in (user.get_groups("organization", "editor") if user else [])]
    my_orgs += [g.id for g in (user.get_groups("organization", "admin") if user else [])]
    targeted = sa.select(DataRequestOrganization.datarequest_id).where(
        DataRequestOrganization.organization_id.in_(my_orgs or [""]))
    return query.filter(sa.or_(DataRequest.status != "submitted",
                               DataRequest.requester_id == uid,
                               DataRequest.id.in_(targeted)))


def _search_filters(query: Any, data: dict[str, Any]) -> Any:
    if data.get("q"):
        like = "%{}%".format(data["q"].replace("\\", "\\\\").replace("%", r"\%")
                             .replace("_", r"\_"))
        query = query.filter(sa.or_(DataRequest.title.ilike(like),
                                    DataRequest.description.ilike(like)))
    if data.get("status"):
        query = query.filter(DataRequest.status.in_(data["status"]))
    if data.get("kind"):
        query = query.filter(DataRequest.kind == data["kind"])
    if data.get("theme"):
        query = query.filter(DataRequest.themes.contains([data["theme"]]))
    if data.get("organization"):
        org = model.Group.get(data["organization"])
        query = query.filter(DataRequest.id.in_(
            sa.select(DataRequestOrganization.datarequest_id).where(
                DataRequestOrganization.organization_id == (org.id if org else ""))))
    if data.get("requester"):
        uid = roles.user_id(data["requester"])
        query = query.filter(DataRequest.requester_id == (uid or ""))
    return query


def _facets(ids: Any) -> dict[str, dict[str, int]]:
    """Counts per status, kind, organisation (name) and theme of the matches."""
    def grouped(column: Any, *joins: Any) -> dict[str, int]:
        query = Session.query(column, sa.func.count()).select_from(DataRequest)
        for join in joins:
            query = query.join(*join)
        rows = query.filter(DataRequest.id.in_(ids)).group_by(column)
        return {key: count for key, count in rows if key}

    theme = sa.func.jsonb_array_elements_text(DataRequest.themes).column_valued("theme")
    themes = dict(Session.query(theme, sa.func.count()).select_from(DataRequest)
                  .filter(DataRequest.id.in_(ids)).group_by(theme).all())
    return {
        "status": grouped(DataRequest.status),
        "kind": grouped(DataRequest.kind),
        "organization": grouped(model.Group.name, (
            DataRequestOrganization,
            DataRequestOrganization.datarequest_id == DataRequest.id), (
            model.Group, model.Group.id == DataRequestOrganization.organization_id)),
        "theme": themes,
    }


@tk.side_effect_free
def datarequest_search(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Search requests: ``q`` (title and description), ``status`` (one or a
    list), ``kind``, ``organization``, ``theme``, ``requester``; ``sort``
    newest (default), oldest, most_voted, most_followed, recently_updated,
    due_date; ``limit`` (at most 100) and ``offset``. Paging, counts and
    facets (status, kind, organization, theme) are computed in SQL.
    Returns ``{"count", "results", "facets"}``."""
    tk.check_access("datarequest_search", context, data_dict)
    data = common.validate(data_dict, s.datarequest_search_schema(), context)
    query = _search_filters(_visible_to(Session.query(DataRequest), context.get("user")), data)
    ids = query.with_entities(DataRequest.id).scalar_subquery()
    rows = (query.order_by(*SORT_COLUMNS[data["sort"]], DataRequest.id)
            .offset(data["offset"]).limit(min(data["limit"], MAX_ROWS)).all())
    user_name = context.get("user")
    engagement = _engagement([r.id for r in rows], roles.user_id(user_name))
    return {"count": query.count(),
            "results": [_dictize(r, user_name, permissions=False, engagement=engagement)
                        for r in rows],
            "facets": _facets(ids), "sort": data["sort"]}


# ------------------------------------------------------------------ statistics

def _stats_filters(data_dict: DataDict) -> tuple[Optional[str], Optional[datetime.datetime],
                                                 Optional[datetime.datetime]]:
    errors: dict[str, list[str]] = {}
    org_id = None
    if data_dict.get("organization"):
        org = model.Group.get(data_dict["organization"])
        if org is None or not org.is_organization:
            errors["organization"] = [tk._("Organisation not found")]
        else:
            org_id = org.id
    bounds: dict[str, Optional[datetime.datetime]] = {}
    for key in ("since", "until"):
        value = data_dict.get(key)
        try:
            bounds[key] = (datetime.datetime.combine(datetime.date.fromisoformat(value[:10]),
                                                     datetime.time())
                           if value else None)
        except (TypeError, ValueError):
            errors[key] = [tk._("Expected a date (YYYY-MM-DD)")]
    if errors:
        raise tk.ValidationError(errors)
    until = bounds["until"] + datetime.timedelta(days=1) if bounds["until"] else None
    return org_id, bounds["since"], until


@tk.side_effect_free
def datarequest_stats(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Requests received (moderated, not spam, created in the period),
    answered (a publisher or moderator changed their status or posted an
    official answer), fulfilled, and the median days to the first answer;
    for one ``organization`` (the requests targeting it) or the portal,
    optionally between ``since`` and ``until`` (ISO dates, inclusive)."""
    tk.check_access("datarequest_stats", context, data_dict)
    org_id, since, until = _stats_filters(data_dict)
    query = Session.query(DataRequest).filter(DataRequest.visibility == "visible",
                                              DataRequest.status != "submitted")
    if org_id:
        query = query.filter(DataRequest.id.in_(
            sa.select(DataRequestOrganization.datarequest_id).where(
                DataRequestOrganization.organization_id == org_id)))
    if since:
        query = query.filter(DataRequest.created >= since)
    if until:
        query = query.filter(DataRequest.created < until)
    answered = query.filter(DataRequest.first_answered_at.isnot(None))
    days = sa.func.extract("epoch", DataRequest.first_answered_at - DataRequest.created) / 86400.0
    median = answered.with_entities(
        sa.func.percentile_cont(0.5).within_group(days)).scalar()
    return {
        "received": query.count(),
        "answered": answered.count(),
        "fulfilled": query.filter(DataRequest.status == "fulfilled").count(),
        "median_days_to_first_answer": round(float(median), 2) if median is not None else None,
    }

"""Feedback on datasets: questions, comments, anomaly reports and
suggestions on a dataset or one of its resources, with replies; the
dataset's publishers (and moderators) answer and close them. Plus one 1-5
rating per user and dataset, shown as an average."""
from __future__ import annotations

from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.model.types import make_uuid
from ckan.types import Context, DataDict

from ckanext.reuse import notify, ratelimit, roles, utils
from ckanext.reuse.logic import common, schema as s
from ckanext.reuse.logic.dictization import dataset_brief, post_dictize, row_dict, user_brief
from ckanext.reuse.model import DatasetRating, Feedback, FeedbackReply

Session = model.Session
MAX_ROWS = 100


def _dictize(feedback: Feedback, user_name: Optional[str]) -> dict[str, Any]:
    out = row_dict(feedback)
    out["user"] = user_brief(feedback.user_id)
    out["dataset"] = dataset_brief(feedback.package_id)
    replies = Session.query(FeedbackReply).filter_by(feedback_id=feedback.id)
    if not utils.is_moderator(user_name):
        replies = replies.filter(FeedbackReply.state == "active")
    out["replies"] = [post_dictize(r) for r in
                      replies.order_by(FeedbackReply.created, FeedbackReply.id)]
    out["can_answer"] = roles.can_answer_feedback(user_name, feedback)
    return out


def _rating(package_id: str) -> dict[str, Any]:
    average, count = Session.query(sa.func.avg(DatasetRating.rating),
                                   sa.func.count()).filter(
        DatasetRating.package_id == package_id).one()
    return {"average": round(float(average), 2) if average is not None else None,
            "count": count}


def _rate(package_id: str, user_id: str, rating: int) -> None:
    """One rating per user and dataset: a new one replaces the old (no commit)."""
    Session.execute(insert(DatasetRating.__table__).values(
        package_id=package_id, user_id=user_id, rating=rating, created=common.now())
        .on_conflict_do_update(index_elements=["package_id", "user_id"],
                               set_={"rating": rating, "created": common.now()}))


def _thread_path(feedback: Feedback) -> str:
    pkg = model.Package.get(feedback.package_id)
    return "/dataset/{}#feedback-{}".format(pkg.name if pkg else feedback.package_id, feedback.id)


def _participants(feedback: Feedback) -> list[model.User]:
    ids = [row[0] for row in Session.query(FeedbackReply.user_id)
           .filter_by(feedback_id=feedback.id, state="active")]
    return notify.users_by_id(ids + [feedback.user_id])


def feedback_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Post feedback on dataset ``package_id`` (optionally on its resource
    ``resource_id``): ``kind`` question, comment, anomaly or suggestion,
    ``body`` (markdown), optional ``title`` and ``rating`` (1-5, replaces the
    user's earlier rating of the dataset). The dataset's publishers are emailed."""
    tk.check_access("feedback_create", context, data_dict)
    data = common.validate(data_dict, s.feedback_schema(), context)
    resource = model.Resource.get(data.get("resource_id") or "")
    if resource is not None and resource.package_id != data["package_id"]:
        raise tk.ValidationError({"resource_id": [
            tk._("This resource does not belong to the dataset")]})
    actor = common.actor(context)
    ratelimit.check_write(actor.name)
    now = common.now()
    feedback = Feedback(id=make_uuid(), package_id=data["package_id"],
                        resource_id=resource.id if resource else None, user_id=actor.id,
                        kind=data["kind"], title=data.get("title"), body=data["body"],
                        status="open", visibility="visible", created=now, modified=now,
                        reply_count=0)
    Session.add(feedback)
    if data.get("rating"):
        _rate(feedback.package_id, actor.id, data["rating"])
    Session.commit()
    pkg = model.Package.get(feedback.package_id)
    with notify.site_language():
        _notify_publishers(feedback, pkg, actor.id)
    return _dictize(feedback, actor.name)


def _notify_publishers(feedback: Feedback, pkg: Optional[model.Package],
                       actor_id: str) -> None:
    notify.enqueue(notify.org_publishers([pkg.owner_org] if pkg and pkg.owner_org else []),
                   tk._("[Feedback] {title}").format(title=pkg.title if pkg else ""),
                   notify.message(tk._("New feedback on a dataset of your organisation."),
                                  feedback.title or "", _thread_path(feedback), feedback.body),
                   actor_id)


@tk.side_effect_free
def feedback_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One feedback thread (``id``) with its replies."""
    tk.check_access("feedback_show", context, data_dict)
    return _dictize(roles.get_feedback(data_dict.get("id")), context.get("user"))


def _list_query(data: dict[str, Any], user_name: Optional[str]) -> Any:
    query = Session.query(Feedback).join(model.Package, model.Package.id == Feedback.package_id)
    org = model.Group.get(data["organization"]) if data.get("organization") else None
    if not utils.is_moderator(user_name):
        query = query.filter(Feedback.visibility == "visible", model.Package.state == "active")
        # the dataset's own readability is checked; members read their private datasets
        member = bool(org and user_name and authz.has_user_permission_for_group_or_org(
            org.id, user_name, "read"))
        if not data.get("package_id") and not member:
            query = query.filter(model.Package.private.is_(False))
    if data.get("package_id"):
        query = query.filter(Feedback.package_id == data["package_id"])
    if data.get("organization"):
        query = query.filter(model.Package.owner_org == (org.id if org else ""))
    if data.get("user"):
        query = query.filter(Feedback.user_id == (roles.user_id(data["user"]) or ""))
    for field in ("status", "kind"):
        if data.get(field):
            query = query.filter(getattr(Feedback, field) == data[field])
    return query


@tk.side_effect_free
def feedback_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Feedback, newest first, by ``package_id``, ``organization`` or
    ``user``, filtered by ``status`` and ``kind``; ``limit``/``offset``.
    With ``package_id`` the dataset's ``rating`` (average, count) too."""
    tk.check_access("feedback_list", context, data_dict)
    data = common.validate(data_dict, s.feedback_list_schema(), context)
    user_name = context.get("user")
    if data.get("package_id") and not roles.can_read_dataset(user_name, data["package_id"]) \
            and not utils.is_moderator(user_name):
        raise tk.NotAuthorized(tk._("Not authorised to see this dataset"))
    query = _list_query(data, user_name)
    rows = (query.order_by(Feedback.created.desc(), Feedback.id)
            .offset(data["offset"]).limit(min(data["limit"], MAX_ROWS)).all())
    out: dict[str, Any] = {"count": query.count(),
                           "results": [_dictize(f, user_name) for f in rows]}
    if data.get("package_id"):
        out["rating"] = _rating(data["package_id"])
    return out


def feedback_reply(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Reply to thread ``id`` with ``body``. A reply of the dataset's
    publisher is posted on behalf of the organisation and marks the thread
    answered."""
    tk.check_access("feedback_reply", context, data_dict)
    feedback = roles.get_feedback(data_dict.get("id"))
    data = common.validate(data_dict, s.feedback_reply_schema(), context)
    if feedback.status == "closed":
        raise tk.ValidationError({"status": [tk._("This thread is closed")]})
    actor = common.actor(context)
    ratelimit.check_write(actor.name)
    pkg = model.Package.get(feedback.package_id)
    official = bool(pkg and pkg.owner_org and roles.dataset_publisher(actor.name, pkg.id))
    reply = FeedbackReply(id=make_uuid(), feedback_id=feedback.id, user_id=actor.id,
                          body=data["body"], state="active", created=common.now(),
                          organization_id=pkg.owner_org if official and pkg else None)
    Session.add(reply)
    if official:
        feedback.status = "answered"
    feedback.modified = common.now()
    Session.flush()
    feedback.reply_count = Session.query(FeedbackReply).filter_by(
        feedback_id=feedback.id, state="active").count()
    Session.commit()
    with notify.site_language():
        notify.enqueue(_participants(feedback), tk._("[Feedback] New reply"), notify.message(
            tk._("{user} replied to feedback you took part in.").format(
                user=actor.display_name), feedback.title or "", _thread_path(feedback),
            reply.body), actor.id)
    return post_dictize(reply)


def feedback_close(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Close thread ``id`` (its author, the dataset's publishers or a
    moderator), with an optional ``reason``."""
    tk.check_access("feedback_close", context, data_dict)
    feedback = roles.get_feedback(data_dict.get("id"))
    data = common.validate(data_dict, {"reason": s.feedback_reply_schema()["body"][1:]}, context)
    if feedback.status == "closed":
        raise tk.ValidationError({"status": [tk._("This thread is already closed")]})
    actor = common.actor(context)
    feedback.status = "closed"
    feedback.closed_at = feedback.modified = common.now()
    feedback.closed_by = actor.id
    feedback.close_reason = data.get("reason") or None
    Session.commit()
    return _dictize(feedback, actor.name)


def dataset_rate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Rate dataset ``package_id`` from 1 to 5 (``rating``); a user's new
    rating replaces the earlier one. Returns the dataset's average and count."""
    tk.check_access("dataset_rate", context, data_dict)
    data = common.validate(data_dict, s.dataset_rate_schema(), context)
    actor = common.actor(context)
    _rate(data["package_id"], actor.id, data["rating"])
    Session.commit()
    return _rating(data["package_id"])


@tk.side_effect_free
def dataset_rating_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The average rating (``average``, None without ratings) and ``count``
    of dataset ``package_id``, and the calling user's own ``user_rating``."""
    tk.check_access("dataset_rating_show", context, data_dict)
    data = common.validate(data_dict, {"package_id": s.dataset_rate_schema()["package_id"]}, context)
    out = _rating(data["package_id"])
    uid = roles.user_id(context.get("user"))
    mine = Session.get(DatasetRating, (data["package_id"], uid)) if uid else None
    out["user_rating"] = mine.rating if mine else None
    return out

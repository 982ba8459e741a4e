"""Abuse reports and the one moderation queue: data requests awaiting
moderation, pending reuses and dead reuse links (``reuse_moderation_list``
of the reuse showcase, when loaded) and open abuse reports; moderators'
decisions on each; and the purge of everything a spammer posted."""
from __future__ import annotations

from typing import Any, Callable, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.navl import validators as navl
from ckan.logic import validators as core
from ckan.model.types import make_uuid
from ckan.types import Context, DataDict

from ckanext.reuse import notify, ratelimit, roles, utils
from ckanext.reuse.datarequest_helpers import datarequest_label
from ckanext.reuse.logic import common, schema as s
from ckanext.reuse.logic.dictization import row_dict, user_brief
from ckanext.reuse.model import (
    AbuseReport, DataRequest, DataRequestComment, DataRequestEvent, DataRequestFollower,
    DataRequestVote, DatasetRating, Feedback, FeedbackReply)

Session = model.Session
PAGE = 100
#: decisions per kind of queued item
DECISIONS: dict[str, tuple[str, ...]] = {
    "datarequest": ("approve", "reject", "spam", "restore"),
    "reuse": ("approve", "reject", "needs_revision", "spam"),
    "report": ("dismiss", "hide"),
    "datarequest_comment": ("hide", "restore"),
    "feedback": ("hide", "restore"),
    "feedback_reply": ("hide", "restore"),
}
QUEUE_SECTIONS = ("datarequests", "reuses", "reports")


# ------------------------------------------------------------------ subjects

def _reuse(subject_id: str) -> Optional[model.Package]:
    pkg = model.Package.get(subject_id)
    return pkg if pkg is not None and pkg.type == "reuse" else None


def _feedback_path(feedback: Optional[Feedback]) -> str:
    pkg = model.Package.get(feedback.package_id) if feedback else None
    return "/dataset/{}#feedback-{}".format(pkg.name, feedback.id) if pkg and feedback else ""


def _subject(subject_type: str, subject_id: str) -> Optional[dict[str, Any]]:
    """Title, path and author of a reported item, or None when it is gone."""
    if subject_type == "reuse":
        pkg = _reuse(subject_id)
        return pkg and {"title": pkg.title, "path": "/reuse/" + pkg.name,
                        "user_id": pkg.creator_user_id, "hidden": pkg.state != "active"}
    if subject_type == "datarequest":
        request = DataRequest.get(subject_id)
        return request and {"title": request.title, "path": "/datarequest/" + request.id,
                            "user_id": request.requester_id,
                            "hidden": request.visibility != "visible"}
    if subject_type == "datarequest_comment":
        comment = DataRequestComment.get(subject_id)
        return comment and {"title": comment.body[:200], "user_id": comment.user_id,
                            "path": "/datarequest/{}#comment-{}".format(
                                comment.datarequest_id, comment.id),
                            "hidden": comment.state != "active"}
    if subject_type == "feedback":
        feedback = Feedback.get(subject_id)
        return feedback and {"title": feedback.title or feedback.body[:200],
                             "path": _feedback_path(feedback), "user_id": feedback.user_id,
                             "hidden": feedback.visibility != "visible"}
    reply = FeedbackReply.get(subject_id)
    return reply and {"title": reply.body[:200], "user_id": reply.user_id,
                      "path": _feedback_path(Feedback.get(reply.feedback_id)),
                      "hidden": reply.state != "active"}


def _subject_readable(user_name: str, subject_type: str, subject_id: str) -> bool:
    if subject_type == "reuse":
        pkg = _reuse(subject_id)
        return bool(pkg and utils.can_read(user_name, pkg))
    if subject_type == "datarequest":
        request = DataRequest.get(subject_id)
        return bool(request and roles.can_read_request(user_name, request))
    if subject_type == "datarequest_comment":
        comment = DataRequestComment.get(subject_id)
        request = DataRequest.get(comment.datarequest_id) if comment else None
        return bool(request and comment.state == "active"
                    and roles.can_read_request(user_name, request))
    if subject_type == "feedback":
        feedback = Feedback.get(subject_id)
        return bool(feedback and roles.can_read_feedback(user_name, feedback))
    reply = FeedbackReply.get(subject_id)
    feedback = Feedback.get(reply.feedback_id) if reply else None
    return bool(feedback and reply.state == "active"
                and roles.can_read_feedback(user_name, feedback))


def _set_visible(subject_type: str, subject_id: str, visible: bool, context: Context) -> None:
    """Hide (spam, abuse) or restore an item (no commit, except for reuses)."""
    if subject_type == "reuse":
        if not visible:
            tk.get_action("reuse_delete")(_as_moderator(context), {"id": subject_id})
        return
    if subject_type == "datarequest":
        row: Any = roles.get_request(subject_id)
        row.visibility = "visible" if visible else "hidden"
        Session.add(DataRequestEvent(id=make_uuid(), datarequest_id=row.id,
                                     user_id=common.actor(context).id, created=common.now(),
                                     event_type="restored" if visible else "hidden", data={}))
    elif subject_type == "feedback":
        row = roles.get_feedback(subject_id)
        row.visibility = "visible" if visible else "hidden"
    else:
        row = (DataRequestComment if subject_type == "datarequest_comment"
               else FeedbackReply).get(subject_id)
        if row is None:
            raise tk.ObjectNotFound(tk._("Item not found"))
        row.state = "active" if visible else "hidden"
        _recount_parent(row)


def _recount_parent(row: Any) -> None:
    Session.flush()
    if isinstance(row, DataRequestComment):
        request = DataRequest.get(row.datarequest_id)
        if request is not None:
            request.comment_count = Session.query(DataRequestComment).filter_by(
                datarequest_id=request.id, state="active").count()
    else:
        feedback = Feedback.get(row.feedback_id)
        if feedback is not None:
            feedback.reply_count = Session.query(FeedbackReply).filter_by(
                feedback_id=feedback.id, state="active").count()


def _as_moderator(context: Context) -> Context:
    return {"user": context.get("user"), "ignore_auth": True}  # type: ignore


# ------------------------------------------------------------------ reports

def _report_dictize(report: AbuseReport) -> dict[str, Any]:
    out = row_dict(report)
    out["user"] = user_brief(report.user_id)
    subject = _subject(report.subject_type, report.subject_id)
    out["subject"] = subject and dict(subject, user=user_brief(subject.pop("user_id")))
    return out


def abuse_report_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Report a ``subject_type`` (reuse, datarequest, datarequest_comment,
    feedback, feedback_reply) ``subject_id`` for a ``reason`` (spam,
    personal_data, offensive, illegal, other) with an optional ``message``.
    One open report per user and item; moderators are emailed."""
    tk.check_access("abuse_report_create", context, data_dict)
    data = common.validate(data_dict, s.abuse_report_schema(), context)
    actor = common.actor(context)
    if not _subject_readable(actor.name, data["subject_type"], data["subject_id"]):
        raise tk.ValidationError({"subject_id": [tk._("Nothing to report here")]})
    if Session.query(AbuseReport).filter_by(
            subject_type=data["subject_type"], subject_id=data["subject_id"],
            user_id=actor.id, status="open").first():
        raise tk.ValidationError({"subject_id": [tk._("You already reported this")]})
    ratelimit.check_write(actor.name)
    report = AbuseReport(id=make_uuid(), user_id=actor.id, status="open",
                         created=common.now(), **data)
    Session.add(report)
    Session.commit()
    subject = _subject(report.subject_type, report.subject_id) or {}
    with notify.site_language():
        notify.enqueue(notify.moderators(), tk._("[Moderation] An item was reported"),
                       notify.message(tk._("An item was reported: {reason}").format(
                           reason=datarequest_label("report_reason", report.reason)),
                           subject.get("title", ""), "/moderation", report.message or ""),
                       actor.id)
    return _report_dictize(report)


@tk.side_effect_free
def abuse_report_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Reports, newest first: ``status`` open (default), handled or all;
    ``limit``/``offset``."""
    tk.check_access("abuse_report_list", context, data_dict)
    data = common.validate(data_dict, _paging_schema(
        status=[navl.default("open"), core.one_of(["open", "handled", "all"])]), context)
    query = Session.query(AbuseReport)
    if data["status"] != "all":
        query = query.filter(AbuseReport.status == data["status"])
    rows = (query.order_by(AbuseReport.created.desc(), AbuseReport.id)
            .offset(data["offset"]).limit(min(data["limit"], PAGE)))
    return {"count": query.count(), "results": [_report_dictize(r) for r in rows]}


def _paging_schema(**extra: Any) -> dict[str, Any]:
    paging = {"limit": [navl.default(20), core.natural_number_validator],
              "offset": [navl.default(0), core.natural_number_validator]}
    paging.update(extra)
    return paging


def _handle_reports(subject_type: str, subject_id: str, outcome: str, actor_id: str) -> int:
    return Session.query(AbuseReport).filter_by(
        subject_type=subject_type, subject_id=subject_id, status="open").update({
            "status": "handled", "outcome": outcome, "handled_at": common.now(),
            "handled_by": actor_id}, synchronize_session=False)


# ------------------------------------------------------------------ queue

def _pending_requests(data: dict[str, Any], user_name: str) -> dict[str, Any]:
    query = Session.query(DataRequest).filter(DataRequest.status == "submitted",
                                              DataRequest.visibility == "visible")
    rows = (query.order_by(DataRequest.created, DataRequest.id)
            .offset(data["offset"]).limit(min(data["limit"], PAGE)))
    return {"count": query.count(),
            "results": [tk.get_action("datarequest_show")(
                {"user": user_name}, {"id": r.id}) for r in rows]}  # type: ignore


def _pending_reuses(data: dict[str, Any], context: Context) -> Optional[dict[str, Any]]:
    try:
        action = tk.get_action("reuse_moderation_list")
    except KeyError:
        return None  # the reuse showcase does not provide its queue
    return action({"user": context.get("user")},  # type: ignore
                  {"rows": data["limit"], "start": data["offset"]})


@tk.side_effect_free
def moderation_queue_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What awaits moderators: ``datarequests`` (submitted), ``reuses``
    (pending or with a dead link, None when the reuse showcase does not
    provide ``reuse_moderation_list``) and ``reports`` (open), each
    ``{"count", "results"}``. ``section`` limits it to one of them;
    ``limit``/``offset`` page each section."""
    tk.check_access("moderation_queue_list", context, data_dict)
    data = common.validate(data_dict, _paging_schema(
        section=[navl.ignore_missing, core.one_of(list(QUEUE_SECTIONS))]), context)
    wanted = [data["section"]] if data.get("section") else list(QUEUE_SECTIONS)
    builders: dict[str, Callable[[], Any]] = {
        "datarequests": lambda: _pending_requests(data, context.get("user") or ""),
        "reuses": lambda: _pending_reuses(data, context),
        "reports": lambda: tk.get_action("abuse_report_list")(
            {"user": context.get("user")},  # type: ignore
            {"limit": data["limit"], "offset": data["offset"]}),
    }
    return {section: builders[section]() for section in wanted}


def _decide_request(context: Context, item_id: str, decision: str, reason: str) -> Any:
    if decision in ("spam", "restore"):
        _set_visible("datarequest", item_id, decision == "restore", context)
        Session.commit()
        return tk.get_action("datarequest_show")(_as_moderator(context), {"id": item_id})
    status = {"approve": "open", "reject": "rejected"}[decision]
    return tk.get_action("datarequest_status_update")(
        _as_moderator(context), {"id": item_id, "status": status, "status_reason": reason})


def _decide_reuse(context: Context, item_id: str, decision: str, reason: str) -> Any:
    if decision == "spam":
        _set_visible("reuse", item_id, False, context)
        _handle_reports("reuse", item_id, "hidden", common.actor(context).id)
        Session.commit()
        return {"id": item_id, "state": "deleted"}
    state = {"approve": "approved", "reject": "rejected"}.get(decision, decision)
    return tk.get_action("reuse_moderate")(_as_moderator(context), {
        "id": item_id, "moderation_state": state, "moderator_note": reason})


def _decide_report(context: Context, item_id: str, decision: str, reason: str) -> Any:
    report = AbuseReport.get(item_id)
    if report is None:
        raise tk.ObjectNotFound(tk._("Report not found"))
    if report.status != "open":
        raise tk.ValidationError({"id": [tk._("This report was already handled")]})
    actor_id = common.actor(context).id
    if decision == "hide":
        _set_visible(report.subject_type, report.subject_id, False, context)
    _handle_reports(report.subject_type, report.subject_id,
                    "hidden" if decision == "hide" else "dismissed", actor_id)
    Session.commit()
    return _report_dictize(report)


def _decide_content(context: Context, kind: str, item_id: str, decision: str) -> Any:
    _set_visible(kind, item_id, decision == "restore", context)
    if decision == "hide":
        _handle_reports(kind, item_id, "hidden", common.actor(context).id)
    Session.commit()
    return {"id": item_id, "hidden": decision == "hide"}


def moderation_decide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Act on a queued item. ``kind`` and its ``decision``s:
    datarequest approve | reject (needs ``reason``) | spam | restore;
    reuse approve | reject | needs_revision | spam;
    report dismiss | hide (hides the reported item);
    datarequest_comment, feedback, feedback_reply hide | restore.
    Hiding an item closes its open reports."""
    tk.check_access("moderation_decide", context, data_dict)
    data = common.validate(data_dict, {
        "kind": [navl.not_empty, core.one_of(list(DECISIONS))],
        "id": [navl.not_empty, navl.unicode_safe],
        "decision": [navl.not_empty, navl.unicode_safe],
        "reason": [navl.ignore_missing, navl.unicode_safe, core.strip_value,
                   s.v.reuse_max_length(2000)],
    }, context)
    kind, decision, reason = data["kind"], data["decision"], data.get("reason") or ""
    if decision not in DECISIONS[kind]:
        raise tk.ValidationError({"decision": [tk._("Choose one of: {choices}").format(
            choices=", ".join(DECISIONS[kind]))]})
    if kind == "datarequest":
        result = _decide_request(context, data["id"], decision, reason)
    elif kind == "reuse":
        result = _decide_reuse(context, data["id"], decision, reason)
    elif kind == "report":
        result = _decide_report(context, data["id"], decision, reason)
    else:
        result = _decide_content(context, kind, data["id"], decision)
    return {"kind": kind, "id": data["id"], "decision": decision, "result": result}


# ------------------------------------------------------------------ purge

def _paged_ids(column: Any, *criteria: Any) -> list[list[str]]:
    """All matching ids, read in pages of ``PAGE``."""
    pages, offset = [], 0
    while True:
        page = [row[0] for row in Session.query(column).filter(*criteria)
                .order_by(column).offset(offset).limit(PAGE)]
        if not page:
            return pages
        pages.append(page)
        offset += PAGE


def _purge_rows(model_class: Any, user_id: str) -> int:
    """Delete every row of the user, a page at a time."""
    total = 0
    while True:
        ids = [row[0] for row in Session.query(model_class.id)
               .filter(model_class.user_id == user_id).limit(PAGE)]
        if not ids:
            return total
        Session.query(AbuseReport).filter(AbuseReport.subject_id.in_(ids)).delete(
            synchronize_session=False)
        total += Session.query(model_class).filter(model_class.id.in_(ids)).delete(
            synchronize_session=False)
        Session.commit()


def _recount_requests(request_ids: set[str]) -> None:
    for request_id in request_ids:
        request = DataRequest.get(request_id)
        if request is None:
            continue
        request.vote_count = Session.query(DataRequestVote).filter_by(
            datarequest_id=request_id).count()
        request.follower_count = Session.query(DataRequestFollower).filter_by(
            datarequest_id=request_id).count()
        request.comment_count = Session.query(DataRequestComment).filter_by(
            datarequest_id=request_id, state="active").count()


def _purge_reuses(context: Context, user_id: str) -> int:
    try:
        delete = tk.get_action("reuse_delete")
    except KeyError:
        return 0
    total = 0
    while True:
        ids = [row[0] for row in Session.query(model.Package.id).filter(
            model.Package.type == "reuse", model.Package.state != "deleted",
            model.Package.creator_user_id == user_id).limit(PAGE)]
        if not ids:
            return total
        for reuse_id in ids:
            delete(_as_moderator(context), {"id": reuse_id})
        total += len(ids)


def moderation_purge_user(context: Context, data_dict: DataDict) -> dict[str, int]:
    """Delete everything user ``user`` posted: data requests, comments,
    feedback, replies, ratings, votes, follows and reports, and delete their
    reuses; read and deleted a page at a time, however many there are.
    ``block: true`` also deletes the account. Moderators and sysadmins
    cannot be purged. Returns what was removed, per kind."""
    tk.check_access("moderation_purge_user", context, data_dict)
    user = model.User.get(data_dict.get("user") or "")
    if user is None:
        raise tk.ValidationError({"user": [tk._("User not found")]})
    if utils.is_moderator(user.name):
        raise tk.ValidationError({"user": [tk._("Moderators cannot be purged")]})
    touched = {row[0] for model_class in (DataRequestComment, DataRequestVote,
                                          DataRequestFollower)
               for row in Session.query(model_class.datarequest_id)
               .filter(model_class.user_id == user.id).distinct()}
    counts = {"datarequests": 0}
    for page in _paged_ids(DataRequest.id, DataRequest.requester_id == user.id):
        common.delete_requests(page)
        Session.commit()
        counts["datarequests"] += len(page)
    counts["datarequest_comments"] = _purge_rows(DataRequestComment, user.id)
    counts["feedback_replies"] = _purge_rows(FeedbackReply, user.id)
    counts["feedback"] = _purge_rows(Feedback, user.id)
    counts["reports"] = _purge_rows(AbuseReport, user.id)
    for link in (DataRequestVote, DataRequestFollower, DatasetRating):
        Session.query(link).filter(link.user_id == user.id).delete(synchronize_session=False)
    _recount_requests(touched)
    Session.commit()
    counts["reuses"] = _purge_reuses(context, user.id)
    if tk.asbool(data_dict.get("block")):
        tk.get_action("user_delete")(_as_moderator(context), {"id": user.id})
    ratelimit.reset(user.id)
    return counts

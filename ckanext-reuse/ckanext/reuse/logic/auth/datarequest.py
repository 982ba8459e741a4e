"""Authorisation of the data request actions.

Anyone reads moderated requests; registered users file, comment, follow and
vote; the requester edits (while submitted or open) and withdraws;
admins and editors of a targeted organisation answer, plan, fulfil, reject,
link datasets and (re)assign; moderators do everything."""
from __future__ import annotations

from typing import Optional

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.reuse import roles, utils
from ckanext.reuse.logic.schema import STATUSES


def _result(ok: bool, msg: str = "") -> AuthResult:
    return {"success": ok, "msg": "" if ok else msg}


def _logged_in(context: Context) -> AuthResult:
    return _result(not authz.auth_is_anon_user(context), tk._("Log in first"))


def _readable(context: Context, data_dict: Optional[DataDict]) -> AuthResult:
    request = roles.get_request((data_dict or {}).get("id"))
    return _result(roles.can_read_request(context.get("user"), request),
                   tk._("Not authorised to see this data request"))


def _participate(context: Context, data_dict: Optional[DataDict]) -> AuthResult:
    """Logged-in users on a request they can see."""
    logged_in = _logged_in(context)
    return _readable(context, data_dict) if logged_in["success"] else logged_in


def _manage(context: Context, data_dict: Optional[DataDict]) -> AuthResult:
    request = roles.get_request((data_dict or {}).get("id"))
    return _result(roles.can_manage_request(context.get("user"), request),
                   tk._("Only the targeted publishers and moderators manage this request"))


def datarequest_create(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _logged_in(context)


@tk.auth_allow_anonymous_access
def datarequest_show(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _readable(context, data_dict)


@tk.auth_allow_anonymous_access
def datarequest_search(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _result(True)


@tk.auth_allow_anonymous_access
def datarequest_stats(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _result(True)


@tk.auth_allow_anonymous_access
def datarequest_event_list(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _readable(context, data_dict)


@tk.auth_allow_anonymous_access
def datarequest_comment_list(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _readable(context, data_dict)


def datarequest_update(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    request = roles.get_request((data_dict or {}).get("id"))
    return _result(roles.can_edit_request(context.get("user"), request),
                   tk._("Only the requester (before an answer) and moderators edit a request"))


def datarequest_patch(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return datarequest_update(context, data_dict)


def datarequest_delete(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    request = roles.get_request((data_dict or {}).get("id"))
    user = context.get("user")
    ok = utils.is_moderator(user) or (
        roles.is_requester(user, request) and request.status == "submitted")
    return _result(ok, tk._("Only moderators delete a request once it is moderated"))


def datarequest_status_update(context: Context,
                              data_dict: Optional[DataDict] = None) -> AuthResult:
    """The requester withdraws, publishers answer, moderators moderate."""
    data_dict = data_dict or {}
    request = roles.get_request(data_dict.get("id"))
    allowed = roles.statuses_allowed(context.get("user"), request)
    status = data_dict.get("status")
    ok = bool(allowed) and (status in allowed or status not in STATUSES)
    return _result(ok, tk._("Not authorised to give this status to the request"))


def datarequest_assign(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _manage(context, data_dict)


def datarequest_unassign(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _manage(context, data_dict)


def datarequest_link_dataset(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _manage(context, data_dict)


def datarequest_unlink_dataset(context: Context,
                               data_dict: Optional[DataDict] = None) -> AuthResult:
    return _manage(context, data_dict)


def datarequest_comment_create(context: Context,
                               data_dict: Optional[DataDict] = None) -> AuthResult:
    return _participate(context, data_dict)


def datarequest_comment_update(context: Context,
                               data_dict: Optional[DataDict] = None) -> AuthResult:
    comment = roles.get_comment((data_dict or {}).get("id"))
    return _result(comment.user_id == roles.user_id(context.get("user")),
                   tk._("Only its author edits a comment"))


def datarequest_comment_delete(context: Context,
                               data_dict: Optional[DataDict] = None) -> AuthResult:
    comment = roles.get_comment((data_dict or {}).get("id"))
    user = context.get("user")
    return _result(utils.is_moderator(user) or comment.user_id == roles.user_id(user),
                   tk._("Only its author and moderators delete a comment"))


def datarequest_follow(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _participate(context, data_dict)


def datarequest_unfollow(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _participate(context, data_dict)


def datarequest_vote(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _participate(context, data_dict)


def datarequest_unvote(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _participate(context, data_dict)

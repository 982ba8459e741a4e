"""Authorisation of feedback on datasets and dataset ratings.

Anyone who can see a dataset reads its feedback; registered users post and
rate; a thread's author, the dataset's publishers (admins and editors of
its organisation) and moderators reply to and close it."""
from __future__ import annotations

from typing import Optional

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.reuse import roles


def _result(ok: bool, msg: str = "") -> AuthResult:
    return {"success": ok, "msg": "" if ok else msg}


def _post_on_dataset(context: Context, data_dict: Optional[DataDict]) -> AuthResult:
    if authz.auth_is_anon_user(context):
        return _result(False, tk._("Log in first"))
    package_id = (data_dict or {}).get("package_id") or ""
    # an unknown dataset is the action's field error, not a refusal
    if model.Package.get(package_id) is None:
        return _result(True)
    return _result(roles.can_read_dataset(context.get("user"), package_id),
                   tk._("Not authorised to see this dataset"))


def feedback_create(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _post_on_dataset(context, data_dict)


def dataset_rate(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _post_on_dataset(context, data_dict)


@tk.auth_allow_anonymous_access
def dataset_rating_show(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _result(True)


@tk.auth_allow_anonymous_access
def feedback_show(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    feedback = roles.get_feedback((data_dict or {}).get("id"))
    return _result(roles.can_read_feedback(context.get("user"), feedback),
                   tk._("Not authorised to see this feedback"))


@tk.auth_allow_anonymous_access
def feedback_list(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    """Visible feedback of readable datasets (filtered by the action)."""
    return _result(True)


def feedback_reply(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    feedback = roles.get_feedback((data_dict or {}).get("id"))
    user = context.get("user")
    return _result(roles.can_read_feedback(user, feedback)
                   and roles.can_answer_feedback(user, feedback),
                   tk._("Only the author, the dataset's publishers and moderators reply"))


def feedback_close(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return feedback_reply(context, data_dict)

"""Authorisation of abuse reports and the moderation queue: registered
users report; moderators (``utils.is_moderator``) see the queue, decide and
purge spammers."""
from __future__ import annotations

from typing import Optional

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.reuse import utils


def _moderator(context: Context) -> AuthResult:
    ok = utils.is_moderator(context.get("user"))
    return {"success": ok, "msg": "" if ok else tk._("Only moderators may do this")}


def abuse_report_create(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    ok = not authz.auth_is_anon_user(context)
    return {"success": ok, "msg": "" if ok else tk._("Log in to report an item")}


def abuse_report_list(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _moderator(context)


def moderation_queue_list(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _moderator(context)


def moderation_decide(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _moderator(context)


def moderation_purge_user(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _moderator(context)

"""Authorisation of the reuse actions."""
from __future__ import annotations

from typing import Optional

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ckanext.reuse import utils


def _result(ok: bool, msg: str = "") -> AuthResult:
    return {"success": ok, "msg": msg if not ok else ""}


def _reuse(context: Context, data_dict: Optional[DataDict]) -> model.Package:
    data_dict = data_dict or {}
    return utils.get_reuse(data_dict.get("id") or data_dict.get("name"))


def reuse_create(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    """Any registered user may submit a reuse."""
    return _result(not authz.auth_is_anon_user(context),
                   tk._("Log in to submit a reuse"))


@tk.auth_allow_anonymous_access
def reuse_show(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    pkg = _reuse(context, data_dict)
    return _result(utils.can_read(context.get("user"), pkg),
                   tk._("Not authorised to read this reuse"))


@tk.auth_allow_anonymous_access
def reuse_search(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _result(True)


def reuse_update(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    pkg = _reuse(context, data_dict)
    return _result(utils.can_edit(context.get("user"), pkg),
                   tk._("Not authorised to edit this reuse"))


def reuse_patch(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return reuse_update(context, data_dict)


def reuse_delete(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return reuse_update(context, data_dict)


def reuse_submit(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return reuse_update(context, data_dict)


def reuse_moderate(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    """Sysadmins and reuse moderators."""
    return _result(utils.is_moderator(context.get("user")),
                   tk._("Only reuse moderators may moderate reuses"))


def reuse_feature(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return reuse_moderate(context, data_dict)


def _is_publisher_of(context: Context, data_dict: DataDict) -> bool:
    dataset = model.Package.get(data_dict.get("dataset_id") or "")
    return bool(dataset and utils.is_dataset_publisher(context.get("user"), dataset))


def _dataset_link(context: Context, data_dict: Optional[DataDict],
                  must_read: bool = False) -> AuthResult:
    """The reuse's editors, or the publishers of the dataset (who add it
    only to a reuse they can read)."""
    data_dict = data_dict or {}
    pkg = _reuse(context, data_dict)
    user = context.get("user")
    ok = utils.can_edit(user, pkg) or (
        _is_publisher_of(context, data_dict) and (not must_read or utils.can_read(user, pkg)))
    return _result(ok, tk._("Not authorised to link this reuse and dataset"))


def reuse_dataset_reject(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    """The publishers of the dataset (and moderators) refuse a link."""
    data_dict = data_dict or {}
    _reuse(context, data_dict)
    ok = utils.is_moderator(context.get("user")) or _is_publisher_of(context, data_dict)
    return _result(ok, tk._("Only the publisher of the dataset may refuse this link"))


def reuse_archive(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return reuse_update(context, data_dict)


def reuse_purge(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    """Sysadmins only (who pass every auth check before this one)."""
    _reuse(context, data_dict)
    return _result(False, tk._("Only sysadmins may purge a reuse"))


def _sysadmins_only(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _result(False, tk._("Only sysadmins may name reuse moderators"))


def reuse_moderator_add(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _sysadmins_only(context, data_dict)


def reuse_moderator_remove(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _sysadmins_only(context, data_dict)


def reuse_moderator_list(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return reuse_moderate(context, data_dict)


def reuse_moderation_list(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return reuse_moderate(context, data_dict)


@tk.auth_allow_anonymous_access
def reuse_stats(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    """Counts of public interest (no titles, no names)."""
    return _result(True)


def reuse_dataset_add(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _dataset_link(context, data_dict, must_read=True)


def reuse_dataset_remove(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _dataset_link(context, data_dict)


@tk.auth_allow_anonymous_access
def reuse_dataset_list(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return reuse_show(context, data_dict)


@tk.auth_allow_anonymous_access
def dataset_reuse_list(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return authz.is_authorized("package_show", context, data_dict)


# core auth functions, chained for reuses --------------------------------------

def _reuse_of(context: Context, data_dict: Optional[DataDict]) -> Optional[model.Package]:
    pkg = context.get("package")
    if not pkg and data_dict:
        pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    return pkg if pkg is not None and pkg.type == "reuse" else None


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_show(next_auth: AuthFunction, context: Context,
                 data_dict: Optional[DataDict] = None) -> AuthResult:
    """Non-approved reuses: submitter, editors and moderators only."""
    pkg = _reuse_of(context, data_dict)
    if pkg is None:
        return next_auth(context, data_dict)  # type: ignore
    return _result(utils.can_read(context.get("user"), pkg),
                   tk._("Not authorised to read this reuse"))


@tk.chained_auth_function
def package_create(next_auth: AuthFunction, context: Context,
                   data_dict: Optional[DataDict] = None) -> AuthResult:
    """Reuses are created through reuse_create (moderators excepted), so
    nobody skips moderation with the core action."""
    if (data_dict or {}).get("type") != "reuse":
        return next_auth(context, data_dict)  # type: ignore
    return _result(utils.is_moderator(context.get("user")),
                   tk._("Use reuse_create to submit a reuse"))


def _moderators_only_for_reuses(next_auth: AuthFunction, context: Context,
                                data_dict: Optional[DataDict], refusal: str) -> AuthResult:
    """A core package action on a reuse is for moderators; on any other
    package the core rule decides."""
    if _reuse_of(context, data_dict) is None:
        return next_auth(context, data_dict)  # type: ignore
    return _result(utils.is_moderator(context.get("user")), refusal)


@tk.chained_auth_function
def package_update(next_auth: AuthFunction, context: Context,
                   data_dict: Optional[DataDict] = None) -> AuthResult:
    """Reuses are changed through the reuse_* actions (moderators excepted)."""
    return _moderators_only_for_reuses(next_auth, context, data_dict,
                                       tk._("Use reuse_update to change a reuse"))


@tk.chained_auth_function
def package_delete(next_auth: AuthFunction, context: Context,
                   data_dict: Optional[DataDict] = None) -> AuthResult:
    """Reuses are deleted through reuse_delete (moderators excepted)."""
    return _moderators_only_for_reuses(next_auth, context, data_dict,
                                       tk._("Use reuse_delete to delete a reuse"))

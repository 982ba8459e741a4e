"""Authorisation of the inventory actions: the organisation's editors and
admins (and sysadmins) maintain its inventory; reading it is public unless
``ckanext.odassessment.inventory_public`` is false (members only)."""
from __future__ import annotations

from typing import Optional

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.odassessment.model.inventory import InventoryEntry


def _organization_id(data_dict: Optional[DataDict]) -> Optional[str]:
    data_dict = data_dict or {}
    if data_dict.get("organization"):
        return data_dict["organization"]
    entry = InventoryEntry.get(data_dict.get("id"))
    return entry.organization_id if entry else None


def _editor(context: Context, data_dict: Optional[DataDict]) -> AuthResult:
    org_id = _organization_id(data_dict)
    user = context.get("user")
    ok = bool(org_id and user and authz.has_user_permission_for_group_or_org(
        org_id, user, "create_dataset"))
    return {"success": ok,
            "msg": "" if ok else tk._("Only editors of the organisation may change its inventory")}


def _reader(context: Context, data_dict: Optional[DataDict]) -> AuthResult:
    if tk.config.get("ckanext.odassessment.inventory_public"):
        return {"success": True}
    org_id = _organization_id(data_dict)
    user = context.get("user")
    ok = bool(org_id and user and authz.has_user_permission_for_group_or_org(
        org_id, user, "read"))
    return {"success": ok,
            "msg": "" if ok else tk._("Only members of the organisation may read its inventory")}


def inventory_entry_create(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _editor(context, data_dict)


def inventory_entry_update(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _editor(context, data_dict)


def inventory_entry_delete(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _editor(context, data_dict)


def inventory_import(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _editor(context, data_dict)


@tk.auth_allow_anonymous_access
def inventory_entry_show(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _reader(context, data_dict)


@tk.auth_allow_anonymous_access
def inventory_entry_list(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return _reader(context, data_dict)


@tk.auth_allow_anonymous_access
def inventory_progress_show(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    """Progress figures are public: they are the programme's indicators."""
    return {"success": True}

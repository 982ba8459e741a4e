"""Who may do what with the harvesting of sectoral portals."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict


def opengov_harvest_withdrawal_allow(context: Context, data_dict: DataDict) -> AuthResult:
    """The source's administrators (those who may edit it)."""
    try:
        tk.check_access("harvest_source_update", dict(context), {"id": data_dict.get("id")})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Only the administrators of this harvest source may allow withdrawals")}
    return {"success": True}


@tk.auth_sysadmins_check
def opengov_harvest_report(context: Context, data_dict: DataDict) -> AuthResult:
    """Signed-in users; the action lists only the sources they administer."""
    if not context.get("user") or context.get("auth_user_obj") is None and not _known_user(context):
        return {"success": False, "msg": tk._("You must be logged in to read harvest reports")}
    return {"success": True}


def opengov_harvest_sources_register(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins only (sources of any organisation at once)."""
    return {"success": False, "msg": tk._("Only system administrators may register harvest sources in bulk")}


def _known_user(context: Context) -> bool:
    from ckan import model
    return model.User.get(context.get("user")) is not None

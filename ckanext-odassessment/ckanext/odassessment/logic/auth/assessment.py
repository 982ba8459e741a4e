"""Who may read and run assessments (issue 7).

Results of public datasets, organisations and the portal are public; a
private dataset's results only for those who can see the dataset; runs are
started by sysadmins; a dataset is rescored by those who can edit it."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict


@tk.auth_allow_anonymous_access
def odassessment_dataset_show(context: Context, data_dict: DataDict) -> AuthResult:
    if _can(context, "package_show", data_dict):
        return {"success": True}
    return {"success": False, "msg": tk._("You cannot see this dataset")}


def _can(context: Context, action: str, data_dict: DataDict) -> bool:
    try:
        tk.check_access(action, dict(context), {"id": data_dict.get("id")})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def _public(name: str):
    """An auth function letting anyone (anonymous too) call ``name``."""
    def auth(context: Context, data_dict: DataDict) -> AuthResult:
        return {"success": True}
    auth.__name__ = auth.__qualname__ = name
    return tk.auth_allow_anonymous_access(auth)


odassessment_organization_show = _public("odassessment_organization_show")
odassessment_portal_show = _public("odassessment_portal_show")
odassessment_trends_show = _public("odassessment_trends_show")
odassessment_run_list = _public("odassessment_run_list")
odassessment_run_show = _public("odassessment_run_show")
#: Anyone; the export holds private datasets only for sysadmins.
odassessment_export = _public("odassessment_export")


def odassessment_run_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins only (CKAN lets sysadmins through before this is called)."""
    return {"success": False, "msg": tk._("Only system administrators can start an assessment run")}


def odassessment_dataset_rescore(context: Context, data_dict: DataDict) -> AuthResult:
    if _can(context, "package_update", data_dict):
        return {"success": True}
    return {"success": False, "msg": tk._("You cannot rescore this dataset")}

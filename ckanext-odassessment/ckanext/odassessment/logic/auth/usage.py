"""Authorisation of the usage actions: figures are public, a private
dataset's only for those who may read it."""
from __future__ import annotations

from typing import Optional

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict


@tk.auth_allow_anonymous_access
def usage_summary_show(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    dataset = (data_dict or {}).get("dataset")
    if dataset:
        try:
            tk.check_access("package_show", dict(context), {"id": dataset})
        except tk.ObjectNotFound:
            return {"success": True}  # the action answers "not found"
        except tk.NotAuthorized:
            return {"success": False, "msg": tk._("Not authorised to see this dataset's usage")}
    return {"success": True}

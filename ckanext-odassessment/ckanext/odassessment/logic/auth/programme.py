"""Authorisation of the programme actions: the indicators and the officers'
directory are public; anyone may write to an officer (rate-limited)."""
from __future__ import annotations

from typing import Optional

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict


@tk.auth_allow_anonymous_access
def programme_indicators_show(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def officer_list(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def officer_contact(context: Context, data_dict: Optional[DataDict] = None) -> AuthResult:
    return {"success": True}

"""Validators of ckanext-odassessment (registered by the blanket decorator)."""
from __future__ import annotations

from typing import Any

import ckan.authz as authz
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey


def odassessment_contact_private(key: FlattenKey, data: FlattenDataDict,
                                 errors: FlattenErrorDict, context: Context) -> Any:
    """Output validator of the officers' e-mail fields of the organisation
    schema: shown only to the organisation's members and sysadmins; the
    public writes to officers through the contact form (issue 8)."""
    org_id = data.get(("id",))
    user = context.get("user")
    if context.get("ignore_auth") or (
            org_id and user and authz.has_user_permission_for_group_or_org(org_id, user, "read")):
        return
    data.pop(key, None)

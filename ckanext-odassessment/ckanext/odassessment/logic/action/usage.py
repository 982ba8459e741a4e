"""Usage actions: page views and downloads per dataset, organisation and month."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.odassessment import usage
from ckanext.odassessment.model import usage as usage_model


@tk.side_effect_free
def usage_summary_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Views and downloads of a dataset, an organisation or the whole portal.

    :param dataset: optional id or name
    :param organization: optional id or name
    :param since: optional first day (YYYY-MM-DD)
    :param until: optional last day (YYYY-MM-DD)
    :returns: {"views": int, "downloads": int,
        "per_month": [{"month": "YYYY-MM", "views": int, "downloads": int}]}
    """
    tk.check_access("usage_summary_show", context, data_dict)
    since = usage.parse_day(data_dict.get("since"), "since")
    until = usage.parse_day(data_dict.get("until"), "until")
    if since and until and until < since:
        raise tk.ValidationError({"until": [tk._("The end date must not be before the start date")]})
    package_ids = org_ids = None
    if data_dict.get("dataset"):
        pkg = model.Package.get(data_dict["dataset"])
        if pkg is None:
            raise tk.ObjectNotFound(tk._("Dataset not found"))
        package_ids = [pkg.id]
    if data_dict.get("organization"):
        org = model.Group.get(data_dict["organization"])
        if org is None or not org.is_organization:
            raise tk.ObjectNotFound(tk._("Organization not found"))
        org_ids = [org.id]
    months = usage_model.monthly_counts(package_ids, org_ids, since, until)
    return {"views": sum(m["views"] for m in months),
            "downloads": sum(m["downloads"] for m in months),
            "per_month": months}

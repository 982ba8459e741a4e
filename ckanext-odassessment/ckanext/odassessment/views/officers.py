"""Public directory of open data officers and data managers, and the form
that writes to them without showing their address (issue 8)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.common import current_user, request

from ckanext.odassessment import officers as officers_

officers = Blueprint("odassessment_officers", __name__, url_prefix="/officers")


def _context() -> dict[str, Any]:
    return {"user": current_user.name, "auth_user_obj": current_user}


def index() -> str:
    filters = {k: request.args.get(k) or None for k in ("government_level", "region")}
    try:
        rows = tk.get_action("officer_list")(_context(), filters)
    except tk.ValidationError:
        filters, rows = {}, tk.get_action("officer_list")(_context(), {})
    return tk.render("officers/index.html", {"rows": rows, "filters": filters,
                                             "role_label": officers_.role_label})


def contact(organization: str) -> Any:
    org = model.Group.get(organization)
    if org is None or not org.is_organization or org.state != "active":
        return tk.abort(404, tk._("Organization not found"))
    role = request.values.get("role") or "open_data_officer"
    if role not in officers_.ROLES:
        return tk.abort(404)
    name, email = officers_.recipient(org, role)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in officers_.CONTACT_FIELDS}
        if request.form.get("website"):  # a field people never see: a spam robot
            return tk.abort(400)
        try:
            tk.get_action("officer_contact")(_context(), dict(values, organization=org.id, role=role))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Your message was sent"))
            return tk.redirect_to("odassessment_officers.index")
    return tk.render("officers/contact.html", {
        "organization": org, "role": role, "role_label": officers_.role_label(role),
        "recipient_name": name, "has_contact": bool(email), "values": values, "errors": errors})


officers.add_url_rule("", view_func=index)
officers.add_url_rule("/<organization>/contact", view_func=contact, methods=["GET", "POST"])

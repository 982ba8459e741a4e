"""Open data officers and data managers: the organisation profile fields
(``schemas/organization.yaml``), the public directory built from them (names
and roles, never e-mail addresses) and the contact form that writes to them."""
from __future__ import annotations

import datetime
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.odassessment import programme

#: Roles: organisation field prefix -> labels.
ROLES = ("open_data_officer", "data_manager")
CONTACT_FIELDS = ("name", "email", "subject", "message")
MAX_MESSAGE = 5000


def role_label(role: str) -> str:
    return {"open_data_officer": tk._("Open data officer"),
            "data_manager": tk._("Data manager")}.get(role, role)


def _officers(org: model.Group) -> list[dict[str, Any]]:
    extras = org.extras or {}
    people = []
    for role in ROLES:
        name = (extras.get(f"{role}_name") or "").strip()
        if not name:
            continue
        people.append({"role": role, "name": name,
                       "position": (extras.get(f"{role}_position") or "").strip(),
                       "contact": bool((extras.get(f"{role}_email") or "").strip())})
    return people


def directory(government_level: Optional[str] = None,
              region: Optional[str] = None) -> list[dict[str, Any]]:
    """Every active organisation with its officers and when it last published
    or updated a public dataset; no e-mail address."""
    orgs = programme.organizations(government_level, region)
    updates = programme.last_updates([o.id for o in orgs])
    days = int(tk.config.get("ckanext.odassessment.active_publisher_days"))
    active_since = datetime.datetime.utcnow() - datetime.timedelta(days=days)
    rows = []
    for org in orgs:
        extras = org.extras or {}
        last = updates.get(org.id)
        rows.append({
            "organization": org.name, "organization_id": org.id, "title": org.title,
            "title_translated": extras.get("title_translated"),
            "government_level": extras.get("government_level"),
            "region": extras.get("region"),
            "institution_type": extras.get("institution_type"),
            "officers": _officers(org),
            "last_update": last.isoformat() if last else None,
            "active": bool(last and last >= active_since),
        })
    return rows


def recipient(org: model.Group, role: str) -> tuple[str, str]:
    extras = org.extras or {}
    return (extras.get(f"{role}_name") or org.title or org.name,
            (extras.get(f"{role}_email") or "").strip())


def validate_message(data: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    from ckan.lib.navl.dictization_functions import Invalid
    from ckan.logic.validators import email_validator
    clean = {k: str(data.get(k) or "").strip() for k in CONTACT_FIELDS}
    errors: dict[str, list[str]] = {}
    for field in CONTACT_FIELDS:
        if not clean[field]:
            errors[field] = [tk._("Missing value")]
    if clean["email"] and "email" not in errors:
        try:
            email_validator(clean["email"], {})
        except Invalid:
            errors["email"] = [tk._("Please provide a valid email address")]
    if len(clean["message"]) > MAX_MESSAGE:
        errors["message"] = [tk._("At most {n} characters").format(n=MAX_MESSAGE)]
    if len(clean["subject"]) > 200 or "\n" in clean["subject"] or "\r" in clean["subject"]:
        errors["subject"] = [tk._("One line of at most 200 characters")]
    return clean, errors

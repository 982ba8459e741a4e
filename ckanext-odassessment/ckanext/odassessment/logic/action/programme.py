"""Programme actions: the indicators of the national open data programme,
the directory of open data officers and the contact form."""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer
from ckan.lib.redis import connect_to_redis
from ckan.types import Context, DataDict

from ckanext.odassessment import officers, programme, usage
from ckanext.opengov.logic import vocabularies

log = logging.getLogger(__name__)


def _filters(data_dict: DataDict) -> dict[str, Any]:
    """Checked dashboard filters (field-level errors for unknown values)."""
    errors: dict[str, list[str]] = {}
    filters: dict[str, Any] = {}
    for field, vocabulary in (("government_level", "government_levels"),
                              ("region", "regions"), ("theme", "themes")):
        value = data_dict.get(field) or None
        if value and value not in vocabularies.vocabulary_values(vocabulary):
            errors[field] = [tk._('Unknown value "{value}"').format(value=value)]
        filters[field] = value
    for field in ("since", "until"):
        try:
            filters[field] = usage.parse_day(data_dict.get(field), field)
        except tk.ValidationError as error:
            errors.update(error.error_dict)
    if filters.get("since") and filters.get("until") and filters["until"] < filters["since"]:
        errors["until"] = [tk._("The end date must not be before the start date")]
    if errors:
        raise tk.ValidationError(errors)
    return filters


@tk.side_effect_free
def programme_indicators_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The programme dashboard's indicators.

    :param government_level, region, theme: optional filters
    :param since, until: optional period (YYYY-MM-DD)
    :returns: {"filters", "datasets", "publishers", "inventory", "usage",
        "reuses", "data_requests"}; an indicator whose plugin is not loaded
        has ``available: False``
    """
    tk.check_access("programme_indicators_show", context, data_dict)
    return programme.indicators(_filters(data_dict))


@tk.side_effect_free
def officer_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Public directory of open data officers and data managers, with each
    institution's last dataset update. E-mail addresses are never returned.

    :param government_level, region: optional filters
    """
    tk.check_access("officer_list", context, data_dict)
    filters = _filters({k: data_dict.get(k) for k in ("government_level", "region")})
    return officers.directory(filters["government_level"], filters["region"])


def _rate_limited(key: str) -> bool:
    limit = int(tk.config.get("ckanext.odassessment.officer_contact_limit"))
    redis = connect_to_redis()
    name = f"odassessment:officer_contact:{key}"
    count = redis.incr(name)
    if count == 1:
        redis.expire(name, 3600)
    return count > limit


def _remote_address() -> str:
    """The sender's address for the rate limit (one bucket outside a request)."""
    try:
        return usage.client_address() or "unknown"
    except RuntimeError:  # no request: the CLI or a background job
        return "no-request"


def officer_contact(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Send a message to an organisation's open data officer or data manager
    without revealing their address (the sender's address goes in Reply-To).

    :param organization: id or name
    :param role: ``open_data_officer`` or ``data_manager``
    :param name, email, subject, message: the sender and the message
    """
    tk.check_access("officer_contact", context, data_dict)
    org = model.Group.get(data_dict.get("organization") or "")
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ObjectNotFound(tk._("Organization not found"))
    role = data_dict.get("role") or "open_data_officer"
    if role not in officers.ROLES:
        raise tk.ValidationError({"role": [tk._('Unknown value "{value}"').format(value=role)]})
    recipient_name, recipient_email = officers.recipient(org, role)
    if not recipient_email:
        raise tk.ValidationError({"role": [tk._("This institution has no contact for this role")]})
    clean, errors = officers.validate_message(data_dict)
    if errors:
        raise tk.ValidationError(errors)
    if _rate_limited(context.get("user") or _remote_address()):
        raise tk.ValidationError({"message": [tk._("Too many messages sent; try again in an hour")]})
    body = tk._("{name} <{email}> wrote to you through the open data portal "
                "({organization}, {role}):").format(
        name=clean["name"], email=clean["email"], organization=org.title or org.name,
        role=officers.role_label(role)) + "\n\n" + clean["message"]
    try:
        mailer.mail_recipient(recipient_name, recipient_email, clean["subject"], body,
                              headers={"Reply-To": clean["email"]})
    except mailer.MailerException:
        log.exception("Officer contact mail not sent")
        raise tk.ValidationError({"message": [tk._("The message could not be sent; try again later")]})
    return {"sent": True, "organization": org.name, "role": role}

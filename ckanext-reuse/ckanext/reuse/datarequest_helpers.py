"""Template helpers of data requests, feedback and the moderation queue
(exported through ``helpers.__all__``)."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk

from ckanext.reuse import roles, utils
from ckanext.reuse.logic.dictization import organization_briefs_by_name

__all__ = ["datarequest_label", "datarequest_labels", "datarequest_status_class",
           "datarequest_dataset_feedback", "datarequest_organization_choices",
           "datarequest_organization_count", "datarequest_is_publisher_of",
           "datarequest_moderation_titles", "datarequest_open_feedback_count"]


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def datarequest_labels(vocabulary: str) -> list[tuple[str, str]]:
    """(value, label in the UI language) of one of the fixed vocabularies."""
    labels = {
        "status": [
            ("submitted", tk._("Awaiting moderation")), ("open", tk._("Open")),
            ("under_review", tk._("Under review")), ("planned", tk._("Planned")),
            ("fulfilled", tk._("Fulfilled")), ("rejected", tk._("Rejected")),
            ("duplicate", tk._("Duplicate")), ("withdrawn", tk._("Withdrawn"))],
        "kind": [
            ("new_dataset", tk._("New dataset")),
            ("extend_dataset", tk._("Extend a dataset")),
            ("data_quality_issue", tk._("Data quality problem"))],
        "requester_type": [
            ("citizen", tk._("Citizen")), ("company", tk._("Company or start-up")),
            ("researcher", tk._("Researcher")), ("journalist", tk._("Journalist")),
            ("association", tk._("Association")), ("public_body", tk._("Public body")),
            ("other", tk._("Other"))],
        "sort": [
            ("newest", tk._("Newest")), ("oldest", tk._("Oldest")),
            ("most_voted", tk._("Most voted")), ("most_followed", tk._("Most followed")),
            ("recently_updated", tk._("Recently updated")), ("due_date", tk._("Due date"))],
        "feedback_kind": [
            ("question", tk._("Question")), ("comment", tk._("Comment")),
            ("anomaly", tk._("Anomaly report")), ("suggestion", tk._("Suggestion"))],
        "feedback_status": [
            ("open", tk._("Open")), ("answered", tk._("Answered")), ("closed", tk._("Closed"))],
        "report_reason": [
            ("spam", tk._("Spam")), ("personal_data", tk._("Personal data")),
            ("offensive", tk._("Offensive")), ("illegal", tk._("Illegal content")),
            ("other", tk._("Other"))],
        "report_subject": [
            ("reuse", tk._("Reuse")), ("datarequest", tk._("Data request")),
            ("datarequest_comment", tk._("Comment on a data request")),
            ("feedback", tk._("Feedback on a dataset")),
            ("feedback_reply", tk._("Reply to feedback"))],
        "event": [
            ("created", tk._("Request filed")), ("updated", tk._("Request edited")),
            ("status", tk._("Status changed")), ("assigned", tk._("Addressed to")),
            ("unassigned", tk._("No longer addressed to")),
            ("dataset_linked", tk._("Dataset linked")),
            ("dataset_unlinked", tk._("Dataset unlinked")),
            ("official_answer", tk._("Official answer from")),
            ("hidden", tk._("Hidden by a moderator.")),
            ("restored", tk._("Shown again by a moderator."))],
    }
    return labels[vocabulary]


def datarequest_label(vocabulary: str, value: Any) -> str:
    """The label of ``value``; the value itself when unknown."""
    return dict(datarequest_labels(vocabulary)).get(value, "" if value is None else str(value))


def datarequest_status_class(status: Optional[str]) -> str:
    """Bootstrap colour of a status badge."""
    return {"submitted": "secondary", "open": "primary", "under_review": "info",
            "planned": "warning", "fulfilled": "success", "rejected": "danger",
            "duplicate": "dark", "withdrawn": "light text-dark"}.get(status or "", "secondary")


def datarequest_dataset_feedback(package_id: str) -> dict[str, Any]:
    """The feedback threads and rating shown on a dataset page."""
    context = _context()
    found = tk.get_action("feedback_list")(context, {"package_id": package_id, "limit": 50})
    found["rating"] = tk.get_action("dataset_rating_show")(context, {"package_id": package_id})
    return found


def datarequest_organization_choices() -> list[dict[str, Any]]:
    """Every organisation (with its titles per language), for the "addressed
    to" selects, sorted by the title shown."""
    names = tk.get_action("organization_list")(_context(), {"limit": 1000})
    briefs = organization_briefs_by_name(names)
    return sorted(briefs, key=lambda org: tk.h.opengov_group_title(org).lower())


def datarequest_organization_count(org_id: str) -> int:
    """Public requests addressed to an organisation (its tab's count)."""
    return tk.get_action("datarequest_search")(
        _context(), {"organization": org_id, "limit": 0})["count"]


def datarequest_open_feedback_count(org_id: str) -> int:
    """Open feedback threads on an organisation's datasets (its tab's count)."""
    return tk.get_action("feedback_list")(
        _context(), {"organization": org_id, "status": "open", "limit": 0})["count"]


def datarequest_is_publisher_of(package: dict[str, Any]) -> bool:
    """Whether the current user answers feedback on this dataset."""
    user = _context()["user"]
    return utils.is_moderator(user) or roles.dataset_publisher(user, package.get("id", ""))


def datarequest_moderation_titles() -> dict[str, str]:
    """Titles of the sections of the moderation queue."""
    return {"datarequests": tk._("Data requests to moderate"),
            "reuses": tk._("Reuses to moderate"), "links": tk._("Dead reuse links"),
            "reports": tk._("Reported items")}

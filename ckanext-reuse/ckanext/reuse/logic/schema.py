"""Schemas of data requests, comments, feedback and abuse reports, and the
fixed vocabularies they use."""
from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validators as core
from ckan.lib.navl import validators as navl
from ckan.types import Schema

from ckanext.reuse.logic import validators as v

#: Statuses of a data request, in workflow order.
STATUSES = ("submitted", "open", "under_review", "planned",
            "fulfilled", "rejected", "duplicate", "withdrawn")
#: Statuses that close a request.
CLOSED_STATUSES = ("fulfilled", "rejected", "duplicate", "withdrawn")
#: What is asked.
KINDS = ("new_dataset", "extend_dataset", "data_quality_issue")
#: Who asks.
REQUESTER_TYPES = ("citizen", "company", "researcher", "journalist",
                   "association", "public_body", "other")
#: Sorts of datarequest_search.
SORTS = ("newest", "oldest", "most_voted", "most_followed", "recently_updated", "due_date")
#: Kinds of feedback on a dataset.
FEEDBACK_KINDS = ("question", "comment", "anomaly", "suggestion")
FEEDBACK_STATUSES = ("open", "answered", "closed")
#: Reasons of an abuse report (udata's list).
REPORT_REASONS = ("spam", "personal_data", "offensive", "illegal", "other")
#: What may be reported.
REPORT_SUBJECTS = ("reuse", "datarequest", "datarequest_comment", "feedback", "feedback_reply")

TITLE_MAX = 200
TEXT_MAX = 10000
COMMENT_MAX = 5000
SHORT_MAX = 200


def _as_date(value: Any, context: Any) -> Any:
    """isodate gives a datetime; the date columns want a date."""
    return value.date() if isinstance(value, datetime.datetime) else value


def public_datasets(value: Any, context: Any) -> Any:
    """Requests are public: they name and link public datasets only."""
    for package_id in (value if isinstance(value, list) else [value]):
        pkg = model.Package.get(package_id) if package_id else None
        if pkg is not None and pkg.private:
            raise tk.Invalid(tk._("Only public datasets can be named in a data request"))
    return value


def _text(limit: int, required: bool = False) -> list:
    first = [navl.not_empty] if required else [navl.ignore_missing]
    return first + [navl.unicode_safe, core.strip_value, v.reuse_max_length(limit)]


def datarequest_schema() -> Schema:
    """Fields a requester writes (create, update, patch)."""
    return {
        "title": _text(TITLE_MAX, required=True),
        "description": _text(TEXT_MAX, required=True),
        "requester_type": [navl.ignore_missing, core.one_of(list(REQUESTER_TYPES))],
        "intended_use": _text(2000),
        "kind": [navl.default("new_dataset"), core.one_of(list(KINDS))],
        "dataset_id": [navl.ignore_missing, v.reuse_dataset_id, public_datasets],
        "themes": [navl.ignore_missing, v.reuse_vocabulary_list("themes")],
        "keywords": [navl.ignore_missing, v.reuse_string_list],
        "desired_formats": [navl.ignore_missing, v.reuse_vocabulary_list("formats")],
        "desired_frequency": [navl.ignore_missing, v.reuse_vocabulary_value("frequencies")],
        "spatial_coverage": _text(SHORT_MAX),
        "temporal_coverage": _text(SHORT_MAX),
        "organizations": [navl.ignore_missing, v.reuse_organization_ids],
        "due_date": [navl.ignore_missing, navl.ignore_empty, core.isodate, _as_date],
    }


def datarequest_status_schema() -> Schema:
    return {
        "status": [navl.not_empty, core.one_of(list(STATUSES))],
        "status_reason": _text(2000),
        "approx_publishing_date": [navl.ignore_missing, navl.ignore_empty, core.isodate, _as_date],
        "duplicate_of": [navl.ignore_missing, v.reuse_datarequest_id],
        "dataset_ids": [navl.ignore_missing, v.reuse_dataset_ids, public_datasets],
    }


def datarequest_comment_schema() -> Schema:
    return {
        "body": _text(COMMENT_MAX, required=True),
        "official": [navl.default(False), core.boolean_validator],
        "organization_id": [navl.ignore_missing, navl.ignore_empty, v.reuse_organization_ids],
    }


def datarequest_search_schema() -> Schema:
    return {
        "q": _text(SHORT_MAX),
        "status": [navl.ignore_missing, v.reuse_string_list],
        "kind": [navl.ignore_missing, core.one_of(list(KINDS))],
        "organization": _text(SHORT_MAX),
        "theme": _text(SHORT_MAX),
        "requester": _text(SHORT_MAX),
        "sort": [navl.default("newest"), core.one_of(list(SORTS))],
        "limit": [navl.default(20), core.natural_number_validator],
        "offset": [navl.default(0), core.natural_number_validator],
    }


def feedback_schema() -> Schema:
    return {
        "package_id": [navl.not_empty, v.reuse_dataset_id],
        "resource_id": [navl.ignore_missing, navl.ignore_empty, core.resource_id_exists],
        "kind": [navl.not_empty, core.one_of(list(FEEDBACK_KINDS))],
        "title": _text(TITLE_MAX),
        "body": _text(COMMENT_MAX, required=True),
        "rating": [navl.ignore_missing, navl.ignore_empty, core.int_validator,
                   core.one_of([1, 2, 3, 4, 5])],
    }


def feedback_reply_schema() -> Schema:
    return {"body": _text(COMMENT_MAX, required=True)}


def feedback_list_schema() -> Schema:
    return {
        "package_id": [navl.ignore_missing, v.reuse_dataset_id],
        "organization": _text(SHORT_MAX),
        "user": _text(SHORT_MAX),
        "status": [navl.ignore_missing, core.one_of(list(FEEDBACK_STATUSES))],
        "kind": [navl.ignore_missing, core.one_of(list(FEEDBACK_KINDS))],
        "limit": [navl.default(20), core.natural_number_validator],
        "offset": [navl.default(0), core.natural_number_validator],
    }


def dataset_rate_schema() -> Schema:
    return {
        "package_id": [navl.not_empty, v.reuse_dataset_id],
        "rating": [navl.not_empty, core.int_validator, core.one_of([1, 2, 3, 4, 5])],
    }


def abuse_report_schema() -> Schema:
    return {
        "subject_type": [navl.not_empty, core.one_of(list(REPORT_SUBJECTS))],
        "subject_id": [navl.not_empty, navl.unicode_safe, v.reuse_max_length(100)],
        "reason": [navl.not_empty, core.one_of(list(REPORT_REASONS))],
        "message": _text(2000),
    }

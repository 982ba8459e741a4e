"""What the data request, feedback and moderation actions share."""
from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.reuse import utils
from ckanext.reuse.model import AbuseReport, DataRequest, DataRequestComment


def now() -> datetime.datetime:
    return datetime.datetime.utcnow()


def validate(data_dict: DataDict, schema: dict, context: Context) -> dict[str, Any]:
    """The validated data, or a ValidationError naming every bad field."""
    data, errors = tk.navl_validate(dict(data_dict), schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def actor(context: Context) -> model.User:
    """The logged-in user the action runs for."""
    user = utils.user_obj(context.get("user"))
    if user is None:
        raise tk.NotAuthorized(tk._("Log in first"))
    return user


def delete_requests(ids: list[str]) -> None:
    """Delete requests and the reports about them and their comments (no commit)."""
    if not ids:
        return
    comment_ids = [row[0] for row in model.Session.query(DataRequestComment.id)
                   .filter(DataRequestComment.datarequest_id.in_(ids))]
    model.Session.query(AbuseReport).filter(sa.or_(
        sa.and_(AbuseReport.subject_type == "datarequest", AbuseReport.subject_id.in_(ids)),
        sa.and_(AbuseReport.subject_type == "datarequest_comment",
                AbuseReport.subject_id.in_(comment_ids)))).delete(synchronize_session=False)
    model.Session.query(DataRequest).filter(DataRequest.duplicate_of_id.in_(ids)).update(
        {"duplicate_of_id": None}, synchronize_session=False)
    model.Session.query(DataRequest).filter(DataRequest.id.in_(ids)).delete(synchronize_session=False)

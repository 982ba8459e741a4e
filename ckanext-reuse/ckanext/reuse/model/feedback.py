"""Feedback on datasets (questions, comments, anomaly reports, suggestions)
with their replies, and one 1-5 rating per user and dataset."""
from __future__ import annotations

import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Table, types
from sqlalchemy.orm import Mapped

import ckan.model.domain_object as domain_object
import ckan.model.types as _types
from ckan.model import meta
from ckan.model.base import BaseModel

from ckanext.reuse.model.datarequest import _now

__all__ = ["Feedback", "FeedbackReply", "DatasetRating"]


class Feedback(domain_object.DomainObject, BaseModel):
    """``status``: open, answered (a publisher replied) or closed;
    ``visibility``: visible or hidden (moderated)."""
    __table__ = Table(
        "reuse_feedback", BaseModel.metadata,
        Column("id", types.UnicodeText, primary_key=True, default=_types.make_uuid),
        Column("package_id", types.UnicodeText,
               ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        Column("resource_id", types.UnicodeText,
               ForeignKey("resource.id", ondelete="SET NULL")),
        Column("user_id", types.UnicodeText,
               ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
        Column("kind", types.UnicodeText, nullable=False),
        Column("title", types.UnicodeText),
        Column("body", types.UnicodeText, nullable=False),
        Column("status", types.UnicodeText, nullable=False, default="open"),
        Column("visibility", types.UnicodeText, nullable=False, default="visible"),
        Column("created", types.DateTime, nullable=False, default=_now),
        Column("modified", types.DateTime, nullable=False, default=_now),
        Column("closed_at", types.DateTime),
        Column("closed_by", types.UnicodeText),
        Column("close_reason", types.UnicodeText),
        Column("reply_count", types.Integer, nullable=False, default=0),
        Index("idx_reuse_feedback_package", "package_id", "created"),
        Index("idx_reuse_feedback_user", "user_id"),
    )
    id: Mapped[str]
    package_id: Mapped[str]
    resource_id: Mapped[Optional[str]]
    user_id: Mapped[str]
    kind: Mapped[str]
    title: Mapped[Optional[str]]
    body: Mapped[str]
    status: Mapped[str]
    visibility: Mapped[str]
    created: Mapped[datetime.datetime]
    modified: Mapped[datetime.datetime]
    closed_at: Mapped[Optional[datetime.datetime]]
    closed_by: Mapped[Optional[str]]
    close_reason: Mapped[Optional[str]]
    reply_count: Mapped[int]

    @classmethod
    def get(cls, id_: Optional[str]) -> Optional["Feedback"]:
        return meta.Session.get(cls, id_) if id_ else None


class FeedbackReply(domain_object.DomainObject, BaseModel):
    """A reply; ``organization_id`` marks an answer on behalf of the publisher."""
    __table__ = Table(
        "reuse_feedback_reply", BaseModel.metadata,
        Column("id", types.UnicodeText, primary_key=True, default=_types.make_uuid),
        Column("feedback_id", types.UnicodeText,
               ForeignKey("reuse_feedback.id", ondelete="CASCADE"), nullable=False),
        Column("user_id", types.UnicodeText,
               ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
        Column("body", types.UnicodeText, nullable=False),
        Column("organization_id", types.UnicodeText,
               ForeignKey("group.id", ondelete="SET NULL")),
        Column("state", types.UnicodeText, nullable=False, default="active"),
        Column("created", types.DateTime, nullable=False, default=_now),
        Index("idx_reuse_feedback_reply_fb", "feedback_id", "created"),
        Index("idx_reuse_feedback_reply_user", "user_id"),
    )
    id: Mapped[str]
    feedback_id: Mapped[str]
    user_id: Mapped[str]
    body: Mapped[str]
    organization_id: Mapped[Optional[str]]
    state: Mapped[str]
    created: Mapped[datetime.datetime]

    @classmethod
    def get(cls, id_: Optional[str]) -> Optional["FeedbackReply"]:
        return meta.Session.get(cls, id_) if id_ else None


class DatasetRating(domain_object.DomainObject, BaseModel):
    """One rating (1-5) per user and dataset; a new rating replaces the old."""
    __table__ = Table(
        "reuse_dataset_rating", BaseModel.metadata,
        Column("package_id", types.UnicodeText,
               ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        Column("user_id", types.UnicodeText,
               ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
        Column("rating", types.Integer, nullable=False),
        Column("created", types.DateTime, nullable=False, default=_now),
        CheckConstraint("rating BETWEEN 1 AND 5", name="ck_reuse_dataset_rating_range"),
    )
    package_id: Mapped[str]
    user_id: Mapped[str]
    rating: Mapped[int]
    created: Mapped[datetime.datetime]

"""Abuse reports on reuses, data requests, comments, feedback and replies."""
from __future__ import annotations

import datetime
from typing import Optional

from sqlalchemy import Column, ForeignKey, Index, Table, types
from sqlalchemy.orm import Mapped

import ckan.model.domain_object as domain_object
import ckan.model.types as _types
from ckan.model import meta
from ckan.model.base import BaseModel

from ckanext.reuse.model.datarequest import _now

__all__ = ["AbuseReport"]


class AbuseReport(domain_object.DomainObject, BaseModel):
    """``status``: open or handled; ``outcome``: dismissed or hidden."""
    __table__ = Table(
        "reuse_abuse_report", BaseModel.metadata,
        Column("id", types.UnicodeText, primary_key=True, default=_types.make_uuid),
        Column("subject_type", types.UnicodeText, nullable=False),
        Column("subject_id", types.UnicodeText, nullable=False),
        Column("reason", types.UnicodeText, nullable=False),
        Column("message", types.UnicodeText),
        Column("user_id", types.UnicodeText,
               ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
        Column("status", types.UnicodeText, nullable=False, default="open"),
        Column("created", types.DateTime, nullable=False, default=_now),
        Column("handled_at", types.DateTime),
        Column("handled_by", types.UnicodeText),
        Column("outcome", types.UnicodeText),
        Index("idx_reuse_abuse_report_subject", "subject_type", "subject_id"),
        Index("idx_reuse_abuse_report_status", "status", "created"),
    )
    id: Mapped[str]
    subject_type: Mapped[str]
    subject_id: Mapped[str]
    reason: Mapped[str]
    message: Mapped[Optional[str]]
    user_id: Mapped[str]
    status: Mapped[str]
    created: Mapped[datetime.datetime]
    handled_at: Mapped[Optional[datetime.datetime]]
    handled_by: Mapped[Optional[str]]
    outcome: Mapped[Optional[str]]

    @classmethod
    def get(cls, id_: Optional[str]) -> Optional["AbuseReport"]:
        return meta.Session.get(cls, id_) if id_ else None

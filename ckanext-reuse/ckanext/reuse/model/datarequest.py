"""Data requests: what citizens and companies ask publishers to open.

A request targets zero, one or several organisations, may be fulfilled by
several datasets, and keeps an audit trail of every change (its timeline).
Counters of votes, followers and comments are kept on the request so lists
sort on them without joins."""
from __future__ import annotations

import datetime
from typing import Any, Optional

from sqlalchemy import Column, ForeignKey, Index, Table, types
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

import ckan.model.domain_object as domain_object
import ckan.model.types as _types
from ckan.model import meta
from ckan.model.base import BaseModel

__all__ = ["DataRequest", "DataRequestOrganization", "DataRequestDataset",
           "DataRequestComment", "DataRequestFollower", "DataRequestVote",
           "DataRequestEvent"]


def _now() -> datetime.datetime:
    return datetime.datetime.utcnow()


def _user_fk(nullable: bool = False) -> Column:
    return Column("user_id", types.UnicodeText,
                  ForeignKey("user.id", ondelete="CASCADE"), nullable=nullable)


def _request_fk(name: str = "datarequest_id") -> Column:
    return Column(name, types.UnicodeText,
                  ForeignKey("reuse_datarequest.id", ondelete="CASCADE"), nullable=False)


class DataRequest(domain_object.DomainObject, BaseModel):
    __table__ = Table(
        "reuse_datarequest", BaseModel.metadata,
        Column("id", types.UnicodeText, primary_key=True, default=_types.make_uuid),
        Column("title", types.UnicodeText, nullable=False),
        Column("description", types.UnicodeText, nullable=False, default=""),
        Column("requester_id", types.UnicodeText,
               ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
        Column("requester_type", types.UnicodeText),
        Column("intended_use", types.UnicodeText),
        Column("kind", types.UnicodeText, nullable=False, default="new_dataset"),
        Column("dataset_id", types.UnicodeText,
               ForeignKey("package.id", ondelete="SET NULL")),
        Column("themes", JSONB, nullable=False, default=list),
        Column("keywords", JSONB, nullable=False, default=list),
        Column("desired_formats", JSONB, nullable=False, default=list),
        Column("desired_frequency", types.UnicodeText),
        Column("spatial_coverage", types.UnicodeText),
        Column("temporal_coverage", types.UnicodeText),
        Column("status", types.UnicodeText, nullable=False, default="submitted"),
        Column("status_reason", types.UnicodeText),
        Column("approx_publishing_date", types.Date),
        Column("duplicate_of_id", types.UnicodeText,
               ForeignKey("reuse_datarequest.id", ondelete="SET NULL")),
        Column("due_date", types.Date),
        Column("visibility", types.UnicodeText, nullable=False, default="visible"),
        Column("created", types.DateTime, nullable=False, default=_now),
        Column("modified", types.DateTime, nullable=False, default=_now),
        Column("closed_at", types.DateTime),
        Column("closed_by", types.UnicodeText),
        Column("first_answered_at", types.DateTime),
        Column("vote_count", types.Integer, nullable=False, default=0),
        Column("follower_count", types.Integer, nullable=False, default=0),
        Column("comment_count", types.Integer, nullable=False, default=0),
        Index("idx_reuse_datarequest_status", "status"),
        Index("idx_reuse_datarequest_requester", "requester_id"),
        Index("idx_reuse_datarequest_created", "created"),
    )

    id: Mapped[str]
    title: Mapped[str]
    description: Mapped[str]
    requester_id: Mapped[str]
    requester_type: Mapped[Optional[str]]
    intended_use: Mapped[Optional[str]]
    kind: Mapped[str]
    dataset_id: Mapped[Optional[str]]
    themes: Mapped[list[str]]
    keywords: Mapped[list[str]]
    desired_formats: Mapped[list[str]]
    desired_frequency: Mapped[Optional[str]]
    spatial_coverage: Mapped[Optional[str]]
    temporal_coverage: Mapped[Optional[str]]
    status: Mapped[str]
    status_reason: Mapped[Optional[str]]
    approx_publishing_date: Mapped[Optional[datetime.date]]
    duplicate_of_id: Mapped[Optional[str]]
    due_date: Mapped[Optional[datetime.date]]
    visibility: Mapped[str]
    created: Mapped[datetime.datetime]
    modified: Mapped[datetime.datetime]
    closed_at: Mapped[Optional[datetime.datetime]]
    closed_by: Mapped[Optional[str]]
    first_answered_at: Mapped[Optional[datetime.datetime]]
    vote_count: Mapped[int]
    follower_count: Mapped[int]
    comment_count: Mapped[int]

    @classmethod
    def get(cls, id_: Optional[str]) -> Optional["DataRequest"]:
        return meta.Session.get(cls, id_) if id_ else None

    def organization_ids(self) -> list[str]:
        rows = (meta.Session.query(DataRequestOrganization.organization_id)
                .filter_by(datarequest_id=self.id)
                .order_by(DataRequestOrganization.created))
        return [row[0] for row in rows]

    def dataset_ids(self) -> list[str]:
        rows = (meta.Session.query(DataRequestDataset.package_id)
                .filter_by(datarequest_id=self.id)
                .order_by(DataRequestDataset.created))
        return [row[0] for row in rows]


class DataRequestOrganization(domain_object.DomainObject, BaseModel):
    """A publisher the request targets."""
    __table__ = Table(
        "reuse_datarequest_organization", BaseModel.metadata,
        Column("datarequest_id", types.UnicodeText,
               ForeignKey("reuse_datarequest.id", ondelete="CASCADE"), primary_key=True),
        Column("organization_id", types.UnicodeText,
               ForeignKey("group.id", ondelete="CASCADE"), primary_key=True),
        Column("created", types.DateTime, nullable=False, default=_now),
        Index("idx_reuse_datarequest_org_org", "organization_id"),
    )
    datarequest_id: Mapped[str]
    organization_id: Mapped[str]
    created: Mapped[datetime.datetime]


class DataRequestDataset(domain_object.DomainObject, BaseModel):
    """A dataset that fulfils the request."""
    __table__ = Table(
        "reuse_datarequest_dataset", BaseModel.metadata,
        Column("datarequest_id", types.UnicodeText,
               ForeignKey("reuse_datarequest.id", ondelete="CASCADE"), primary_key=True),
        Column("package_id", types.UnicodeText,
               ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        Column("linked_by", types.UnicodeText),
        Column("created", types.DateTime, nullable=False, default=_now),
        Index("idx_reuse_datarequest_dataset_pkg", "package_id"),
    )
    datarequest_id: Mapped[str]
    package_id: Mapped[str]
    linked_by: Mapped[Optional[str]]
    created: Mapped[datetime.datetime]


class DataRequestComment(domain_object.DomainObject, BaseModel):
    """A comment; ``organization_id`` marks an official answer posted on
    behalf of that organisation. ``state``: active or hidden (moderated)."""
    __table__ = Table(
        "reuse_datarequest_comment", BaseModel.metadata,
        Column("id", types.UnicodeText, primary_key=True, default=_types.make_uuid),
        _request_fk(),
        _user_fk(),
        Column("body", types.UnicodeText, nullable=False),
        Column("organization_id", types.UnicodeText,
               ForeignKey("group.id", ondelete="SET NULL")),
        Column("state", types.UnicodeText, nullable=False, default="active"),
        Column("created", types.DateTime, nullable=False, default=_now),
        Column("modified", types.DateTime),
        Index("idx_reuse_datarequest_comment_req", "datarequest_id", "created"),
        Index("idx_reuse_datarequest_comment_user", "user_id"),
    )
    id: Mapped[str]
    datarequest_id: Mapped[str]
    user_id: Mapped[str]
    body: Mapped[str]
    organization_id: Mapped[Optional[str]]
    state: Mapped[str]
    created: Mapped[datetime.datetime]
    modified: Mapped[Optional[datetime.datetime]]

    @classmethod
    def get(cls, id_: Optional[str]) -> Optional["DataRequestComment"]:
        return meta.Session.get(cls, id_) if id_ else None


def _user_link_table(name: str) -> Table:
    return Table(
        name, BaseModel.metadata,
        Column("datarequest_id", types.UnicodeText,
               ForeignKey("reuse_datarequest.id", ondelete="CASCADE"), primary_key=True),
        Column("user_id", types.UnicodeText,
               ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
        Column("created", types.DateTime, nullable=False, default=_now),
    )


class DataRequestFollower(domain_object.DomainObject, BaseModel):
    __table__ = _user_link_table("reuse_datarequest_follower")
    datarequest_id: Mapped[str]
    user_id: Mapped[str]
    created: Mapped[datetime.datetime]


class DataRequestVote(domain_object.DomainObject, BaseModel):
    """One vote per user and request (the primary key)."""
    __table__ = _user_link_table("reuse_datarequest_vote")
    datarequest_id: Mapped[str]
    user_id: Mapped[str]
    created: Mapped[datetime.datetime]


class DataRequestEvent(domain_object.DomainObject, BaseModel):
    """One entry of the request's audit timeline.

    ``event_type``: created, updated, moderated, status, assigned,
    unassigned, dataset_linked, dataset_unlinked, official_answer, hidden."""
    __table__ = Table(
        "reuse_datarequest_event", BaseModel.metadata,
        Column("id", types.UnicodeText, primary_key=True, default=_types.make_uuid),
        _request_fk(),
        _user_fk(nullable=True),
        Column("event_type", types.UnicodeText, nullable=False),
        Column("from_status", types.UnicodeText),
        Column("to_status", types.UnicodeText),
        Column("reason", types.UnicodeText),
        Column("organization_id", types.UnicodeText),
        Column("package_id", types.UnicodeText),
        Column("data", JSONB, nullable=False, default=dict),
        Column("created", types.DateTime, nullable=False, default=_now),
        Index("idx_reuse_datarequest_event_req", "datarequest_id", "created"),
    )
    id: Mapped[str]
    datarequest_id: Mapped[str]
    user_id: Mapped[Optional[str]]
    event_type: Mapped[str]
    from_status: Mapped[Optional[str]]
    to_status: Mapped[Optional[str]]
    reason: Mapped[Optional[str]]
    organization_id: Mapped[Optional[str]]
    package_id: Mapped[Optional[str]]
    data: Mapped[dict[str, Any]]
    created: Mapped[datetime.datetime]

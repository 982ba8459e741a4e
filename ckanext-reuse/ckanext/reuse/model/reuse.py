"""Tables of the reuse showcase: named reuse moderators, the last check of
each reuse's link, and the approvals waiting in publishers' e-mail digests."""
from __future__ import annotations

import datetime
from typing import Any, Optional

from sqlalchemy import Column, ForeignKey, Index, Table, types
from sqlalchemy.orm import Mapped

import ckan.model.domain_object as domain_object
import ckan.model.meta as meta
import ckan.model.types as _types
from ckan.model.base import BaseModel

__all__ = ["ReuseModerator", "ReuseLinkCheck", "ReuseNotification", "LINK_STATUSES"]

#: Outcome of a link check: reachable, dead (error or HTTP >= 400), refused
#: (private address not allow-listed, or not http/https).
LINK_STATUSES = ("ok", "dead", "refused")


def _now() -> datetime.datetime:
    return datetime.datetime.utcnow()


class ReuseModerator(domain_object.DomainObject, BaseModel):  # type: ignore[misc]
    """A user named reuse moderator by a sysadmin."""
    __table__ = Table(
        "reuse_moderator",
        BaseModel.metadata,
        Column("user_id", types.UnicodeText,
               ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
        Column("created", types.DateTime, nullable=False, default=_now),
        Column("created_by", types.UnicodeText),
        extend_existing=True,
    )

    user_id: Mapped[str]
    created: Mapped[datetime.datetime]
    created_by: Mapped[Optional[str]]

    @classmethod
    def user_ids(cls) -> set[str]:
        return {row.user_id for row in meta.Session.query(cls.user_id)}


class ReuseLinkCheck(domain_object.DomainObject, BaseModel):  # type: ignore[misc]
    """The last check of a reuse's URL by ``ckan reuse check-links``."""
    __table__ = Table(
        "reuse_link_check",
        BaseModel.metadata,
        Column("package_id", types.UnicodeText,
               ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        Column("url", types.UnicodeText, nullable=False),
        Column("status", types.UnicodeText, nullable=False),
        Column("http_status", types.Integer),
        Column("error", types.UnicodeText),
        Column("checked", types.DateTime, nullable=False, default=_now),
        Index("reuse_link_check_status_idx", "status"),
        extend_existing=True,
    )

    package_id: Mapped[str]
    url: Mapped[str]
    status: Mapped[str]
    http_status: Mapped[Optional[int]]
    error: Mapped[Optional[str]]
    checked: Mapped[datetime.datetime]

    @classmethod
    def record(cls, package_id: str, url: str, status: str,
               http_status: Optional[int] = None, error: Optional[str] = None) -> bool:
        """Store a check; True when the status changed."""
        row = meta.Session.get(cls, package_id)
        changed = row is None or row.status != status
        row = row or cls(package_id=package_id)
        row.url, row.status, row.http_status, row.error = url, status, http_status, error
        row.checked = _now()
        meta.Session.add(row)
        return changed

    @classmethod
    def status_of(cls, package_id: str) -> Optional[str]:
        row = meta.Session.get(cls, package_id)
        return row.status if row is not None else None

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "url": self.url, "http_status": self.http_status,
                "error": self.error, "checked": self.checked.isoformat()}


class ReuseNotification(domain_object.DomainObject, BaseModel):  # type: ignore[misc]
    """A line waiting for a user's digest: an approved reuse of one of their
    datasets (``dataset_id``), or a moderator's ``decision`` on their reuse."""
    __table__ = Table(
        "reuse_notification",
        BaseModel.metadata,
        Column("id", types.UnicodeText, primary_key=True, default=_types.make_uuid),
        Column("user_id", types.UnicodeText,
               ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
        Column("reuse_id", types.UnicodeText,
               ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        Column("dataset_id", types.UnicodeText,
               ForeignKey("package.id", ondelete="CASCADE")),
        Column("decision", types.UnicodeText),
        Column("note", types.UnicodeText),
        Column("created", types.DateTime, nullable=False, default=_now),
        Column("sent", types.DateTime),
        Index("reuse_notification_unsent_idx", "user_id", "sent"),
        extend_existing=True,
    )

    id: Mapped[str]
    user_id: Mapped[str]
    reuse_id: Mapped[str]
    dataset_id: Mapped[Optional[str]]
    decision: Mapped[Optional[str]]
    note: Mapped[Optional[str]]
    created: Mapped[datetime.datetime]
    sent: Mapped[Optional[datetime.datetime]]

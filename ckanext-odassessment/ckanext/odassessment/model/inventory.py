"""Publication inventory: what each institution holds and plans to open.

One row per inventory entry of an organisation, from "identified" to
"published" (linked to the dataset that publishes it) or "not openable"
(with the legal reason)."""
from __future__ import annotations

import datetime
from typing import Any, Optional

from sqlalchemy import Column, ForeignKey, Index, Table, types
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

import ckan.model.domain_object as domain_object
import ckan.model.meta as meta
import ckan.model.types as _types
from ckan.model.base import BaseModel

__all__ = ["InventoryEntry", "STATUSES", "APPROVED_STATUSES", "TRANSLATED_FIELDS"]

#: Status of an entry, in workflow order.
STATUSES = ("identified", "approved", "in_preparation", "published", "not_openable")
#: Statuses of entries approved for opening (the denominator of the progress rate).
APPROVED_STATUSES = ("approved", "in_preparation", "published")
#: Fields held per language ({"ar": ..., "fr": ..., "en": ...}).
TRANSLATED_FIELDS = ("title", "description")


class InventoryEntry(domain_object.DomainObject, BaseModel):  # type: ignore[misc]
    __table__ = Table(
        "odassessment_inventory_entry",
        BaseModel.metadata,
        Column("id", types.UnicodeText, primary_key=True, default=_types.make_uuid),
        Column("organization_id", types.UnicodeText,
               ForeignKey("group.id", ondelete="CASCADE"), nullable=False),
        Column("reference", types.UnicodeText),
        Column("title", JSONB, nullable=False),
        Column("description", JSONB, nullable=False, default=dict),
        Column("theme", types.UnicodeText),
        Column("frequency", types.UnicodeText),
        Column("high_value", types.Boolean, nullable=False, default=False),
        Column("target_date", types.Date),
        Column("status", types.UnicodeText, nullable=False, default="identified"),
        Column("legal_reason", types.UnicodeText),
        Column("package_id", types.UnicodeText,
               ForeignKey("package.id", ondelete="SET NULL")),
        Column("created", types.DateTime, nullable=False, default=datetime.datetime.utcnow),
        Column("modified", types.DateTime, nullable=False, default=datetime.datetime.utcnow),
        Index("odassessment_inventory_entry_org_idx", "organization_id"),
        Index("odassessment_inventory_entry_reference_idx",
              "organization_id", "reference", unique=True),
        extend_existing=True,
    )

    id: Mapped[str]
    organization_id: Mapped[str]
    reference: Mapped[Optional[str]]
    title: Mapped[dict[str, str]]
    description: Mapped[dict[str, str]]
    theme: Mapped[Optional[str]]
    frequency: Mapped[Optional[str]]
    high_value: Mapped[bool]
    target_date: Mapped[Optional[datetime.date]]
    status: Mapped[str]
    legal_reason: Mapped[Optional[str]]
    package_id: Mapped[Optional[str]]
    created: Mapped[datetime.datetime]
    modified: Mapped[datetime.datetime]

    @classmethod
    def get(cls, reference: Optional[str]) -> Optional["InventoryEntry"]:
        if not reference:
            return None
        return meta.Session.get(cls, reference)

    @classmethod
    def for_organization(cls, organization_id: str) -> list["InventoryEntry"]:
        return (meta.Session.query(cls).filter(cls.organization_id == organization_id)
                .order_by(cls.reference.nulls_last(), cls.created).all())

    @classmethod
    def by_reference(cls, organization_id: str, reference: str) -> Optional["InventoryEntry"]:
        return (meta.Session.query(cls)
                .filter(cls.organization_id == organization_id, cls.reference == reference)
                .one_or_none())

    def is_overdue(self, today: Optional[datetime.date] = None) -> bool:
        """Approved for opening, not published, and past its target date."""
        today = today or datetime.date.today()
        return (self.status in APPROVED_STATUSES and self.status != "published"
                and self.target_date is not None and self.target_date < today)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "organization_id": self.organization_id,
            "reference": self.reference,
            "title": dict(self.title or {}),
            "description": dict(self.description or {}),
            "theme": self.theme,
            "frequency": self.frequency,
            "high_value": bool(self.high_value),
            "target_date": self.target_date.isoformat() if self.target_date else None,
            "status": self.status,
            "legal_reason": self.legal_reason,
            "package_id": self.package_id,
            "overdue": self.is_overdue(),
            "created": self.created.isoformat() if self.created else None,
            "modified": self.modified.isoformat() if self.modified else None,
        }

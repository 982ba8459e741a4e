"""Usage: dataset page views and resource downloads, counted by the bundle.

A hit is counted once per visitor, target and day: ``odassessment_usage_visit``
holds the (day, kind, target, visitor) keys seen, and only a hit that inserts a
new key increments ``odassessment_usage_count`` (per day, dataset, resource and
organisation). Both writes happen in one transaction with ``INSERT ... ON
CONFLICT``, so concurrent hits are neither lost nor counted twice. Visitor keys
are salted hashes (no IP address is stored) and can be purged once a day is
over; the counts stay."""
from __future__ import annotations

import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy import Column, Index, Table, types
from sqlalchemy.dialects.postgresql import insert

import ckan.model.meta as meta
from ckan.model.base import BaseModel

__all__ = ["usage_visit_table", "usage_count_table", "KINDS", "record_hit",
           "purge_visits", "monthly_counts", "top_datasets", "totals_by_organization"]

#: What is counted: dataset page views and resource downloads.
KINDS = ("view", "download")

usage_visit_table = Table(
    "odassessment_usage_visit",
    BaseModel.metadata,
    Column("day", types.Date, primary_key=True),
    Column("kind", types.UnicodeText, primary_key=True),
    Column("target_id", types.UnicodeText, primary_key=True),
    Column("visitor", types.UnicodeText, primary_key=True),
    extend_existing=True,
)

usage_count_table = Table(
    "odassessment_usage_count",
    BaseModel.metadata,
    Column("day", types.Date, primary_key=True),
    Column("kind", types.UnicodeText, primary_key=True),
    Column("package_id", types.UnicodeText, primary_key=True),
    # "" for page views (a primary key column cannot be NULL)
    Column("resource_id", types.UnicodeText, primary_key=True, server_default=""),
    Column("organization_id", types.UnicodeText),
    Column("count", types.Integer, nullable=False, server_default="0"),
    Index("odassessment_usage_count_package_idx", "package_id", "day"),
    Index("odassessment_usage_count_org_idx", "organization_id", "day"),
    extend_existing=True,
)


def record_hit(kind: str, package_id: str, organization_id: Optional[str],
               visitor: str, resource_id: str = "",
               day: Optional[datetime.date] = None) -> bool:
    """Count one hit unless this visitor was already counted today for the
    same dataset page (views) or resource (downloads). Returns True when the
    hit was counted. Commits on the request's session (one connection per
    request: a second one could exhaust the pool under load); call it once
    the response is ready."""
    day = day or datetime.date.today()
    target = resource_id if kind == "download" else package_id
    session = meta.Session
    try:
        new_visit = session.execute(
            insert(usage_visit_table)
            .values(day=day, kind=kind, target_id=target, visitor=visitor)
            .on_conflict_do_nothing()
            .returning(usage_visit_table.c.day)
        ).first()
        if new_visit is not None:
            counted = insert(usage_count_table).values(
                day=day, kind=kind, package_id=package_id, resource_id=resource_id,
                organization_id=organization_id, count=1)
            session.execute(counted.on_conflict_do_update(
                index_elements=["day", "kind", "package_id", "resource_id"],
                set_={"count": usage_count_table.c.count + 1}))
        session.commit()
    except Exception:
        session.rollback()
        raise
    return new_visit is not None


def purge_visits(before: datetime.date) -> int:
    """Forget the visitor keys of days before ``before`` (counts are kept)."""
    result = meta.Session.execute(
        usage_visit_table.delete().where(usage_visit_table.c.day < before))
    meta.Session.commit()
    return result.rowcount or 0


def _within(query: Any, package_ids: Optional[list[str]],
            organization_ids: Optional[list[str]],
            since: Optional[datetime.date], until: Optional[datetime.date]) -> Any:
    """``query`` on the counts restricted to the filters (``None``: no filter;
    an empty list matches nothing)."""
    t = usage_count_table
    if package_ids is not None:
        query = query.where(t.c.package_id.in_(package_ids))
    if organization_ids is not None:
        query = query.where(t.c.organization_id.in_(organization_ids))
    if since:
        query = query.where(t.c.day >= since)
    if until:
        query = query.where(t.c.day <= until)
    return query


def monthly_counts(package_ids: Optional[list[str]] = None,
                   organization_ids: Optional[list[str]] = None,
                   since: Optional[datetime.date] = None,
                   until: Optional[datetime.date] = None) -> list[dict[str, Any]]:
    """Views and downloads per month, oldest first, within the filters
    (``None`` means no filter; an empty list matches nothing)."""
    t = usage_count_table
    month = sa.func.to_char(t.c.day, "YYYY-MM").label("month")
    query = sa.select(month, t.c.kind, sa.func.sum(t.c.count)).group_by(month, t.c.kind)
    query = _within(query, package_ids, organization_ids, since, until)
    months: dict[str, dict[str, Any]] = {}
    for month_, kind, total in meta.Session.execute(query):
        row = months.setdefault(month_, {"month": month_, "views": 0, "downloads": 0})
        row[kind + "s"] = int(total)
    return [months[m] for m in sorted(months)]


def top_datasets(kind: str, limit: int = 10,
                 organization_ids: Optional[list[str]] = None,
                 since: Optional[datetime.date] = None,
                 until: Optional[datetime.date] = None) -> list[tuple[str, int]]:
    """(package_id, count) of the most viewed or downloaded datasets."""
    t = usage_count_table
    total = sa.func.sum(t.c.count).label("total")
    query = (sa.select(t.c.package_id, total).where(t.c.kind == kind)
             .group_by(t.c.package_id).order_by(total.desc(), t.c.package_id).limit(limit))
    query = _within(query, None, organization_ids, since, until)
    return [(pid, int(n)) for pid, n in meta.Session.execute(query)]


def totals_by_organization(organization_ids: Optional[list[str]] = None,
                           since: Optional[datetime.date] = None,
                           until: Optional[datetime.date] = None) -> dict[str, dict[str, int]]:
    """organisation id -> {"views", "downloads"} in the period."""
    t = usage_count_table
    query = (sa.select(t.c.organization_id, t.c.kind, sa.func.sum(t.c.count))
             .group_by(t.c.organization_id, t.c.kind))
    query = _within(query, None, organization_ids, since, until)
    out: dict[str, dict[str, int]] = {}
    for org_id, kind, total in meta.Session.execute(query):
        out.setdefault(org_id, {"views": 0, "downloads": 0})[kind + "s"] = int(total)
    return out

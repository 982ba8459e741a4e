"""Indicators of the national open data programme: datasets published over
time, active publishers, inventory progress, views and downloads, reuse cases
and data requests, filtered by government level, region and theme.

Reuse and data-request figures come from ``reuse_stats`` and
``datarequest_stats`` (ckanext-reuse); when an action is not available the
indicator is flagged ``available: False``, never shown as zero."""
from __future__ import annotations

import datetime
import logging
from typing import Any, Optional

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.odassessment import inventory
from ckanext.odassessment.model import usage as usage_model

log = logging.getLogger(__name__)

FILTERS = ("government_level", "region", "theme", "since", "until")


def _month(column: Any) -> Any:
    return sa.func.to_char(column, "YYYY-MM")


def organizations(government_level: Optional[str] = None,
                  region: Optional[str] = None) -> list[model.Group]:
    """Active organisations matching the filters, by name."""
    query = model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active")
    if government_level:
        query = query.filter(model.Group.extras["government_level"].astext == government_level)
    if region:
        query = query.filter(model.Group.extras["region"].astext == region)
    return query.order_by(model.Group.name).all()


def _public_datasets(org_ids: Optional[list[str]], theme: Optional[str]) -> Any:
    """Query of the public, active datasets of the organisations and theme."""
    pkg = model.Package
    query = model.Session.query(pkg).filter(
        pkg.state == "active", pkg.private.is_(False), pkg.type == "dataset")
    if org_ids is not None:
        query = query.filter(pkg.owner_org.in_(org_ids))
    if theme:
        query = query.filter(pkg.extras["theme"].astext.like(f'%"{theme}"%'))
    return query


def datasets_published(org_ids: Optional[list[str]], theme: Optional[str],
                       since: Optional[datetime.date], until: Optional[datetime.date]
                       ) -> dict[str, Any]:
    """Datasets first published per month, and the running total."""
    pkg = model.Package
    base = _public_datasets(org_ids, theme)
    total = base.count()
    month = _month(pkg.metadata_created).label("month")
    query = base.with_entities(month, sa.func.count()).group_by(month).order_by(month)
    before = 0
    if since:
        before = base.filter(pkg.metadata_created < since).count()
        query = query.filter(pkg.metadata_created >= since)
    if until:
        query = query.filter(pkg.metadata_created < until + datetime.timedelta(days=1))
    per_month, running = [], before
    for month_, count in query:
        running += count
        per_month.append({"month": month_, "count": int(count), "total": running})
    return {"total": total, "in_period": sum(m["count"] for m in per_month), "per_month": per_month}


def last_updates(org_ids: Optional[list[str]] = None) -> dict[str, datetime.datetime]:
    """organisation id -> when it last published or updated a public dataset."""
    pkg = model.Package
    query = _public_datasets(org_ids, None).with_entities(
        pkg.owner_org, sa.func.max(pkg.metadata_modified)).group_by(pkg.owner_org)
    return {org_id: when for org_id, when in query if org_id}


def active_publishers(orgs: list[model.Group], theme: Optional[str],
                      since: Optional[datetime.date], until: Optional[datetime.date]
                      ) -> dict[str, Any]:
    """Organisations that published or updated a dataset in the period
    (default: the last ``ckanext.odassessment.active_publisher_days`` days)."""
    if not since:
        days = tk.config.get("ckanext.odassessment.active_publisher_days")
        since = datetime.date.today() - datetime.timedelta(days=int(days))
    pkg = model.Package
    query = _public_datasets([o.id for o in orgs], theme).with_entities(pkg.owner_org).filter(
        pkg.metadata_modified >= since)
    if until:
        query = query.filter(pkg.metadata_modified < until + datetime.timedelta(days=1))
    active = {org_id for (org_id,) in query.distinct()}
    return {"active": len(active), "publishers": len(orgs), "since": since.isoformat(),
            "organizations": [o.name for o in orgs if o.id in active]}


def usage(org_ids: Optional[list[str]], theme: Optional[str],
          since: Optional[datetime.date], until: Optional[datetime.date]) -> dict[str, Any]:
    package_ids = None
    if theme:
        package_ids = [p.id for p in _public_datasets(org_ids, theme).with_entities(model.Package.id)]
    months = usage_model.monthly_counts(package_ids, org_ids, since, until)
    top = usage_model.top_datasets("download", 10, org_ids, since, until) if not theme else []
    names = {p.id: p for p in model.Session.query(model.Package).filter(
        model.Package.id.in_([pid for pid, _n in top]))} if top else {}
    return {"views": sum(m["views"] for m in months),
            "downloads": sum(m["downloads"] for m in months),
            "per_month": months,
            "top_downloads": [{"name": names[pid].name, "title": names[pid].title, "downloads": n}
                              for pid, n in top if pid in names]}


def _other_plugin(action: str, calls: list[dict[str, Any]]) -> Optional[list[dict[str, Any]]]:
    """Results of another plugin's action for each data dict, or None when the
    action is not available."""
    try:
        function = tk.get_action(action)
    except KeyError:
        return None
    context = {"ignore_auth": True}
    return [function(dict(context), data) for data in calls]


def reuses(orgs: Optional[list[model.Group]], theme: Optional[str]) -> dict[str, Any]:
    calls = [{"organization": o.id} for o in orgs] if orgs is not None else [{}]
    results = _other_plugin("reuse_stats", calls)
    if results is None:
        return {"available": False}
    if theme:
        approved = sum(int((r.get("by_theme") or {}).get(theme, 0)) for r in results)
        return {"available": True, "approved": approved, "pending": None,
                "datasets_with_reuses": None}
    return {"available": True,
            "approved": sum(int(r.get("approved") or 0) for r in results),
            "pending": sum(int(r.get("pending") or 0) for r in results),
            "datasets_with_reuses": sum(int(r.get("datasets_with_reuses") or 0) for r in results)}


def data_requests(orgs: Optional[list[model.Group]], since: Optional[datetime.date],
                  until: Optional[datetime.date]) -> dict[str, Any]:
    period = {k: v.isoformat() for k, v in (("since", since), ("until", until)) if v}
    calls = ([dict(period, organization=o.id) for o in orgs] if orgs is not None
             else [dict(period)])
    results = _other_plugin("datarequest_stats", calls)
    if results is None:
        return {"available": False}
    out: dict[str, Any] = {"available": True}
    for key in ("received", "answered", "fulfilled"):
        out[key] = sum(int(r.get(key) or 0) for r in results)
    # a median of several organisations cannot be combined from theirs
    out["median_days_to_first_answer"] = (
        results[0].get("median_days_to_first_answer") if len(results) == 1 else None)
    return out


def by_organization(orgs: list[model.Group], theme: Optional[str],
                    since: Optional[datetime.date], until: Optional[datetime.date]
                    ) -> list[dict[str, Any]]:
    """One row per organisation: datasets, inventory progress, usage, last update."""
    ids = [o.id for o in orgs]
    pkg = model.Package
    datasets = dict(_public_datasets(ids, theme).with_entities(pkg.owner_org, sa.func.count())
                    .group_by(pkg.owner_org).all())
    progress = inventory.progress_by_organization(ids, theme)
    usage_ = usage_model.totals_by_organization(ids, since, until)
    updates = last_updates(ids)
    rows = []
    for org in orgs:
        last = updates.get(org.id)
        rows.append({"name": org.name, "title": org.title,
                     "title_translated": (org.extras or {}).get("title_translated"),
                     "datasets": int(datasets.get(org.id, 0)),
                     "inventory": progress.get(org.id) or inventory.no_progress(),
                     "usage": usage_.get(org.id, {"views": 0, "downloads": 0}),
                     "last_update": last.isoformat() if last else None})
    return rows


def indicators(filters: dict[str, Any]) -> dict[str, Any]:
    """Every indicator of the dashboard for the filters."""
    since, until, theme = filters.get("since"), filters.get("until"), filters.get("theme")
    filtered = bool(filters.get("government_level") or filters.get("region"))
    orgs = organizations(filters.get("government_level"), filters.get("region"))
    org_ids = [o.id for o in orgs] if filtered else None
    return {
        "filters": {k: (v.isoformat() if isinstance(v, datetime.date) else v)
                    for k, v in filters.items() if v},
        "datasets": datasets_published(org_ids, theme, since, until),
        "publishers": active_publishers(orgs, theme, since, until),
        "inventory": dict(inventory.progress(org_ids, theme),
                          by_status=inventory.status_counts(org_ids, theme)),
        "usage": usage(org_ids, theme, since, until),
        "reuses": reuses(orgs if filtered else None, theme),
        "data_requests": data_requests(orgs if filtered else None, since, until),
        "organizations": by_organization(orgs, theme, since, until),
    }


def csv_rows(result: dict[str, Any]) -> list[list[Any]]:
    """The indicators as (indicator, period, value) rows for the CSV download."""
    rows: list[list[Any]] = [["indicator", "month", "value"]]
    for key, value in result["filters"].items():
        rows.append([f"filter.{key}", "", value])
    datasets = result["datasets"]
    rows += [["datasets.total", "", datasets["total"]],
             ["datasets.in_period", "", datasets["in_period"]]]
    rows += [["datasets.published", m["month"], m["count"]] for m in datasets["per_month"]]
    publishers = result["publishers"]
    rows += [["publishers.active", "", publishers["active"]],
             ["publishers.total", "", publishers["publishers"]]]
    for key in ("entries", "approved", "published", "overdue", "progress_rate"):
        rows.append([f"inventory.{key}", "", result["inventory"][key]])
    usage_ = result["usage"]
    rows += [["usage.views", "", usage_["views"]], ["usage.downloads", "", usage_["downloads"]]]
    for m in usage_["per_month"]:
        rows += [["usage.views", m["month"], m["views"]], ["usage.downloads", m["month"], m["downloads"]]]
    for org in result.get("organizations", []):
        name = org["name"]
        rows += [[f"organization.datasets[{name}]", "", org["datasets"]],
                 [f"organization.inventory_progress_rate[{name}]", "", org["inventory"]["progress_rate"]],
                 [f"organization.inventory_overdue[{name}]", "", org["inventory"]["overdue"]],
                 [f"organization.views[{name}]", "", org["usage"]["views"]],
                 [f"organization.downloads[{name}]", "", org["usage"]["downloads"]]]
    for block in ("reuses", "data_requests"):
        data = result[block]
        if not data.get("available"):
            rows.append([f"{block}.available", "", "no"])
            continue
        rows += [[f"{block}.{k}", "", v] for k, v in data.items() if k != "available"]
    return rows

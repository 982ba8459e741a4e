"""Organisation and portal levels, from the newest score of each public
dataset.

Organisation: mean MQA and extended scores, band distribution, dimension
profile, stars histogram, broken-link rates, share updated on time,
datasets published/updated in the period and the overdue datasets (the
publisher's action list). Portal: the same, plus the OURdata pillars a
portal can measure (data availability, accessibility, support for reuse),
each the mean of its indicators that have an input; an indicator whose
source (another plugin's action) is unavailable is excluded and flagged."""
from __future__ import annotations

import datetime as dt
import json
import statistics
from typing import Any, Iterable, Mapping, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.odassessment import extended, mqa
from ckanext.odassessment.model import assessment as store

FILTERS = ("theme", "government_level", "region", "organization")


def public_dataset_ids() -> list[str]:
    q = model.Session.query(model.Package.id).filter(
        model.Package.state == "active", model.Package.type == "dataset",
        model.Package.private.is_(False))
    return [r[0] for r in q]


def _matches(score: store.Score, filters: Mapping[str, Any]) -> bool:
    d = score.details or {}
    if filters.get("theme") and filters["theme"] not in (d.get("themes") or []):
        return False
    if filters.get("government_level") and d.get("government_level") != filters["government_level"]:
        return False
    if filters.get("region") and filters["region"] not in (d.get("regions") or []):
        return False
    if filters.get("organization") and score.organization_id != filters["organization"]:
        return False
    return True


def current_scores(filters: Optional[Mapping[str, Any]] = None,
                   include_run: Optional[str] = None) -> list[store.Score]:
    """Newest score of each public active dataset (optionally filtered)."""
    scores = store.latest_scores("dataset", public_dataset_ids(), include_run)
    return [s for s in scores.values() if _matches(s, filters or {})]


def _mean(values: Iterable[Optional[float]]) -> Optional[float]:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


def _share(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


def summary(scores: list[store.Score], now: Optional[dt.datetime] = None) -> dict[str, Any]:
    now = now or dt.datetime.utcnow()
    period = dt.timedelta(days=int(tk.config.get("ckanext.odassessment.period_days")))
    details = [s.details or {} for s in scores]
    n = len(scores)
    mqa_mean = _mean(s.mqa for s in scores)
    ext_mean = _mean(s.extended for s in scores)
    bands = {b: sum(1 for s in scores if s.mqa_band == b) for b in mqa.BANDS}
    dims_mqa = {d: _mean(100.0 * ((s.dimensions or {}).get("mqa") or {}).get(d, 0) / mqa.DIMENSION_MAX[d]
                         for s in scores) for d in mqa.DIMENSIONS}
    dims_ext = {d: _mean((((s.dimensions or {}).get("extended") or {}).get(d) or {}).get("percent")
                         for s in scores) for d in extended.DIMENSIONS}
    stars = {str(k): sum(1 for d in details if d.get("stars") == k) for k in range(6)}
    checked = sum(d.get("resources_checked") or 0 for d in details)
    broken = sum(d.get("resources_broken") or 0 for d in details)
    datasets_checked = sum(1 for d in details if d.get("resources_checked"))
    datasets_broken = sum(1 for d in details if d.get("resources_broken"))
    timeliness = {k: sum(1 for d in details if d.get("timeliness") == k)
                  for k in ("on_time", "late", "overdue", "undeclared", "not_quantifiable")}
    quantifiable = timeliness["on_time"] + timeliness["late"] + timeliness["overdue"]
    lateness = [d.get("days_late") for d in details if d.get("timeliness") in ("late", "overdue")
                and d.get("days_late") is not None]
    since = now - period
    published = sum(1 for d in details if (extended.parse_datetime(d.get("metadata_created")) or dt.datetime.min) >= since)
    updated = sum(1 for d in details if (extended.parse_datetime(d.get("last_update")) or dt.datetime.min) >= since)
    overdue = sorted(
        ({"id": s.entity_id, "name": d.get("name"), "title": d.get("title"), "days_late": d.get("days_late"),
          "due": d.get("due"), "frequency": d.get("frequency"), "last_update": d.get("last_update"),
          "status": d.get("timeliness")}
         for s, d in zip(scores, details) if d.get("timeliness") in ("overdue", "late")),
        key=lambda x: -(x["days_late"] or 0))
    return {
        "datasets": n, "mqa": mqa_mean, "mqa_band": mqa.band(mqa_mean),
        "extended": ext_mean, "extended_band": extended.band(ext_mean),
        "bands": bands, "dimensions": {"mqa": dims_mqa, "extended": dims_ext},
        "stars": stars,
        "average_stars": round(sum(d.get("stars") or 0 for d in details) / n, 1) if n else None,
        "links": {"resources_checked": checked, "resources_broken": broken,
                  "broken_resources": _share(broken, checked),
                  "datasets_checked": datasets_checked, "datasets_broken": datasets_broken,
                  "broken_datasets": _share(datasets_broken, datasets_checked)},
        "timeliness": dict(timeliness, on_time_share=_share(timeliness["on_time"], quantifiable),
                           median_days_late=statistics.median(lateness) if lateness else None),
        "period_days": period.days, "published_in_period": published, "updated_in_period": updated,
        "overdue": overdue[:100],
        "shares": {
            "open_licence": _share(sum(1 for d in details if d.get("open_licence")), n),
            "machine_readable": _share(sum(1 for d in details if d.get("machine_readable")), n),
            "non_proprietary": _share(sum(1 for d in details if d.get("non_proprietary")), n),
            "accessible": _share(sum(1 for d in details if d.get("accessible")),
                                 sum(1 for d in details if d.get("accessible") is not None)),
            "dcat_ap_conformant": _share(sum(1 for d in details if d.get("shacl_conforms")), n),
        },
    }


def by_organization(scores: list[store.Score]) -> dict[str, list[store.Score]]:
    groups: dict[str, list[store.Score]] = {}
    for s in scores:
        if s.organization_id:
            groups.setdefault(s.organization_id, []).append(s)
    return groups


def ranking(scores: list[store.Score]) -> list[dict[str, Any]]:
    """Organisations by mean MQA score, best first."""
    rows = []
    for org_id, group in by_organization(scores).items():
        org = model.Group.get(org_id)
        s = summary(group)
        rows.append({"id": org_id, "name": org.name if org else org_id,
                     "title": _org_title(org), "datasets": s["datasets"], "mqa": s["mqa"],
                     "mqa_band": s["mqa_band"], "extended": s["extended"],
                     "extended_band": s["extended_band"], "bands": s["bands"],
                     "on_time_share": s["timeliness"]["on_time_share"],
                     "broken_resources": s["links"]["broken_resources"],
                     "average_stars": s["average_stars"]})
    rows.sort(key=lambda r: (-(r["mqa"] or 0), r["name"]))
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    return rows


def _org_title(org: Any) -> Any:
    """The organisation's title per language when the schema stores one."""
    if org is None:
        return None
    value = (org.extras or {}).get("title_translated")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    return value if isinstance(value, dict) and value else org.title


# ------------------------------------------------------------- pillars

def _action(name: str, data: dict) -> tuple[Optional[dict], Optional[str]]:
    try:
        action = tk.get_action(name)
    except KeyError:
        return None, "not_available"
    try:
        return action({"ignore_auth": True}, data), None
    except Exception as e:  # noqa: BLE001 - another plugin's failure must not stop a run
        return None, "failed: " + e.__class__.__name__


def _indicator(value: Optional[float], source: str, flag: Optional[str] = None, raw: Any = None) -> dict:
    if value is not None:
        value = max(0.0, min(1.0, float(value)))
    return {"value": None if flag else value, "source": source,
            "flag": flag or (None if value is not None else "no_input"), "raw": raw}


def pillars(s: Mapping[str, Any], scores: list[store.Score]) -> dict[str, Any]:
    n = s["datasets"]
    organizations = model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active").count()
    expected = int(tk.config.get("ckanext.odassessment.public_bodies") or 0) or organizations
    publishing = len(by_organization(scores))
    themes = _themes()
    covered = {t for sc in scores for t in (sc.details or {}).get("themes") or []
               if (sc.details or {}).get("open_licence") and (sc.details or {}).get("timeliness") in ("on_time", "not_quantifiable")}
    requests, flag_requests = _action("datarequest_stats", {})
    inventory, flag_inventory = _action("inventory_progress_show", {})
    reuses, flag_reuses = _action("reuse_stats", {})
    since = (dt.datetime.utcnow() - dt.timedelta(days=365)).date().isoformat()
    usage, flag_usage = _action("usage_summary_show", {"since": since})
    history = model.Session.query(store.Run.finished).filter(
        store.run_table.c.state == store.COMPLETE, store.run_table.c.kind.in_(("full", "changed")),
        store.run_table.c.finished >= dt.datetime.utcnow() - dt.timedelta(days=365)).all()
    months = {(r[0].year, r[0].month) for r in history if r[0]}
    target = int(tk.config.get("ckanext.odassessment.usage_target"))
    shares = s["shares"]
    result = {
        "availability": {
            "publisher_coverage": _indicator(_share(publishing, expected), "catalogue",
                                             raw={"publishing": publishing, "expected": expected}),
            "theme_coverage": _indicator(_share(len(covered & set(themes)), len(themes)), "catalogue",
                                         raw={"covered": sorted(covered & set(themes)), "themes": len(themes)}),
            "release_engagement": _indicator(
                _share(requests["answered"], requests["received"]) if requests else None,
                "datarequest_stats", flag_requests, requests),
            "inventory_progress": _indicator(inventory.get("progress_rate") if inventory else None,
                                             "inventory_progress_show", flag_inventory, inventory),
        },
        "accessibility": {
            "mqa": _indicator(s["mqa"] / mqa.MAX_SCORE if s["mqa"] is not None else None, "assessment"),
            "open_licence": _indicator(shares["open_licence"], "assessment"),
            "machine_readable": _indicator(shares["machine_readable"], "assessment"),
            "accessible": _indicator(shares["accessible"], "assessment"),
            "dcat_ap_conformant": _indicator(shares["dcat_ap_conformant"], "assessment"),
            "on_time": _indicator(s["timeliness"]["on_time_share"], "assessment"),
        },
        "reuse": {
            "datasets_with_reuses": _indicator(
                _share(reuses.get("datasets_with_reuses", 0), n) if reuses else None,
                "reuse_stats", flag_reuses, reuses),
            "usage": _indicator(
                ((usage["views"] + usage["downloads"]) / n / target) if usage and n else None,
                "usage_summary_show", flag_usage,
                {k: usage[k] for k in ("views", "downloads")} if usage else None),
            "monitoring": _indicator(len(months) / 12, "assessment", raw={"months": len(months)}),
        },
    }
    for name, indicators in result.items():
        values = [i["value"] for i in indicators.values() if i["value"] is not None]
        indicators["_score"] = round(sum(values) / len(values), 4) if values else None
    scored = [p["_score"] for p in result.values() if p["_score"] is not None]
    return {"pillars": result, "composite": round(sum(scored) / len(scored), 4) if scored else None}


def _themes() -> list[str]:
    try:
        from ckanext.opengov.logic import vocabularies
        return list(vocabularies.vocabulary_values("themes"))
    except Exception:  # noqa: BLE001 - the opengov plugin is optional here
        return []


# ------------------------------------------------------------ storing

def level_scores(run_id: str) -> list[dict[str, Any]]:
    """Score rows of every organisation and of the portal for a run."""
    scores = current_scores(include_run=run_id)
    rows = []
    for org_id, group in by_organization(scores).items():
        rows.append(_row("organization", org_id, summary(group)))
    portal = summary(scores)
    portal.update(pillars(portal, scores))
    portal["overdue"] = portal["overdue"][:20]
    rows.append(_row("portal", "portal", portal))
    return rows


def _row(entity_type: str, entity_id: str, s: Mapping[str, Any]) -> dict[str, Any]:
    rest = {k: v for k, v in s.items() if k not in ("mqa", "mqa_band", "extended", "extended_band", "dimensions")}
    return {"entity_type": entity_type, "entity_id": entity_id,
            "organization_id": entity_id if entity_type == "organization" else None,
            "mqa": s["mqa"], "mqa_band": s["mqa_band"], "extended": s["extended"],
            "extended_band": s["extended_band"], "dimensions": s["dimensions"], "details": rest}


# ------------------------------------------------------------- trends

def _runs(kinds: tuple[str, ...], limit: int = 2) -> list[store.Run]:
    return (model.Session.query(store.Run)
            .filter(store.run_table.c.state == store.COMPLETE, store.run_table.c.kind.in_(kinds))
            .order_by(store.run_table.c.finished.desc()).limit(limit).all())


def _rows(run_id: str, entity_type: str) -> dict[str, store.Score]:
    q = model.Session.query(store.Score).filter(store.score_table.c.run_id == run_id,
                                                store.score_table.c.entity_type == entity_type)
    return {s.entity_id: s for s in q}


def trends() -> dict[str, Any]:
    """Changes between the two newest full/changed runs: the portal's
    means (and against a year before), organisations most improved and
    declined, and the band transitions of datasets between the two newest
    full runs."""
    runs = _runs(("full", "changed"))
    if len(runs) < 2:
        return {"available": False, "runs": [r.as_dict() for r in runs]}
    current, previous = runs
    portal_now = _rows(current.id, "portal").get("portal")
    portal_before = _rows(previous.id, "portal").get("portal")
    year_ago = (model.Session.query(store.Run)
                .filter(store.run_table.c.state == store.COMPLETE,
                        store.run_table.c.kind.in_(("full", "changed")),
                        store.run_table.c.finished <= current.finished - dt.timedelta(days=365))
                .order_by(store.run_table.c.finished.desc()).first())
    portal_year = _rows(year_ago.id, "portal").get("portal") if year_ago else None
    now_orgs, before_orgs = _rows(current.id, "organization"), _rows(previous.id, "organization")
    organizations = []
    for org_id, row in now_orgs.items():
        before = before_orgs.get(org_id)
        if before is None or row.mqa is None or before.mqa is None:
            continue
        org = model.Group.get(org_id)
        organizations.append({"id": org_id, "name": org.name if org else org_id, "title": _org_title(org),
                              "mqa": row.mqa, "previous": before.mqa, "delta": round(row.mqa - before.mqa, 1),
                              "extended_delta": round((row.extended or 0) - (before.extended or 0), 1)})
    organizations.sort(key=lambda r: (-r["delta"], r["name"]))
    transitions: dict[str, int] = {}
    full = _runs(("full",))
    if len(full) == 2:
        public = set(public_dataset_ids())
        now_ds, before_ds = _rows(full[0].id, "dataset"), _rows(full[1].id, "dataset")
        for ds_id, row in now_ds.items():
            before = before_ds.get(ds_id)
            if ds_id in public and before and before.mqa_band != row.mqa_band:
                key = f"{before.mqa_band}>{row.mqa_band}"
                transitions[key] = transitions.get(key, 0) + 1

    def delta(a: Optional[store.Score], b: Optional[store.Score], key: str) -> Optional[float]:
        if a is None or b is None or getattr(a, key) is None or getattr(b, key) is None:
            return None
        return round(getattr(a, key) - getattr(b, key), 1)

    return {
        "available": True, "current": current.as_dict(), "previous": previous.as_dict(),
        "year_ago": year_ago.as_dict() if year_ago else None,
        "portal": {"mqa": portal_now.mqa if portal_now else None,
                   "mqa_delta": delta(portal_now, portal_before, "mqa"),
                   "extended_delta": delta(portal_now, portal_before, "extended"),
                   "mqa_delta_year": delta(portal_now, portal_year, "mqa")},
        "improved": [o for o in organizations if o["delta"] > 0][:10],
        "declined": sorted((o for o in organizations if o["delta"] < 0), key=lambda r: r["delta"])[:10],
        "transitions": transitions,
    }

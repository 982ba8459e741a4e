"""Per-source harvest report: last job, its counts, next run and errors in
the UI language (the operator page, ``opengov_harvest_report`` and
``ckan opengov harvest-report``)."""
from __future__ import annotations

import datetime
from typing import Any, Optional

import sqlalchemy as sa

from ckan import model

from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError, HarvestSource

from ckanext.opengov.harvest import messages
from ckanext.opengov.harvest.sources import SourceSettings

COUNTS = ("added", "updated", "not modified", "deleted", "errored")
MAX_ERRORS = 20
_PERIOD = {"DAILY": 1, "WEEKLY": 7, "BIWEEKLY": 14, "MONTHLY": 30}


def next_run(source: HarvestSource, last: Optional[HarvestJob]) -> Optional[str]:
    """When ``harvester run`` will create the next job (None: manual)."""
    if source.next_run:
        return source.next_run.isoformat()
    if source.frequency == "ALWAYS":
        return datetime.datetime.utcnow().isoformat()
    days = _PERIOD.get(source.frequency or "MANUAL")
    if not days:
        return None
    start = (last.created if last else None) or datetime.datetime.utcnow()
    return (start + datetime.timedelta(days=days)).isoformat()


def job_counts(job: HarvestJob) -> dict[str, int]:
    counts = dict.fromkeys(COUNTS, 0)
    rows = (model.Session.query(HarvestObject.report_status, sa.func.count(HarvestObject.id))
            .filter(HarvestObject.harvest_job_id == job.id)
            .group_by(HarvestObject.report_status).all())
    for status, count in rows:
        if status in counts:
            counts[status] = count
    counts["errored"] += model.Session.query(HarvestGatherError).filter_by(harvest_job_id=job.id).count()
    return counts


def job_errors(job: HarvestJob, translate: bool = True) -> list[dict]:
    gather = [{"stage": "gather", "guid": None, "message": e.message}
              for e in model.Session.query(HarvestGatherError).filter_by(harvest_job_id=job.id)
              .order_by(HarvestGatherError.created).limit(MAX_ERRORS)]
    objects = [{"stage": e.stage.lower() if e.stage else "import", "guid": guid, "message": e.message}
               for e, guid in model.Session.query(HarvestObjectError, HarvestObject.guid)
               .join(HarvestObject, HarvestObject.id == HarvestObjectError.harvest_object_id)
               .filter(HarvestObject.harvest_job_id == job.id)
               .order_by(HarvestObjectError.created).limit(MAX_ERRORS)]
    errors = gather + objects
    if translate:
        for error in errors:
            error["message"] = messages.localise(error["message"])
    return errors


def source_report(source: HarvestSource, translate: bool = True) -> dict[str, Any]:
    package = model.Package.get(source.id)
    settings = SourceSettings.from_config(source.config)
    last = (model.Session.query(HarvestJob).filter_by(source_id=source.id)
            .order_by(HarvestJob.created.desc()).first())
    org = model.Group.get(package.owner_org) if package and package.owner_org else None
    report: dict[str, Any] = {
        "id": source.id,
        "name": package.name if package else source.id,
        "title": source.title or (package.title if package else ""),
        "url": source.url,
        "type": source.type,
        "organization": org.name if org else None,
        "sector": settings.sector,
        "default_language": settings.default_language,
        "frequency": source.frequency or "MANUAL",
        "active": bool(source.active),
        "next_run": next_run(source, last),
        "withdrawal_allowed": settings.allow_withdrawal,
        "last_job": None,
        "errors": [],
    }
    if last is not None:
        report["last_job"] = {
            "id": last.id, "status": last.status,
            "created": last.created.isoformat() if last.created else None,
            "finished": last.finished.isoformat() if last.finished else None,
            "counts": job_counts(last),
        }
        report["errors"] = job_errors(last, translate)
    return report


def sources(ids: Optional[list[str]] = None) -> list[HarvestSource]:
    query = model.Session.query(HarvestSource).filter(HarvestSource.active == True)  # noqa: E712
    if ids is not None:
        query = query.filter(HarvestSource.id.in_(ids))
    return sorted(query.all(), key=lambda s: (s.title or "").lower())

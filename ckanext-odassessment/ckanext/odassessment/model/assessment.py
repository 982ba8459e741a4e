"""Assessment runs and what they measured, kept over time.

* ``odassessment_run``: one run (full, changed datasets only, or one dataset
  rescored after an update); only ``complete`` runs are shown.
* ``odassessment_measurement``: the raw value and points of each metric of
  each dataset/distribution in a run.
* ``odassessment_score``: scores per dataset, organisation and portal in a
  run.
* ``odassessment_url_check``: the last HTTP check of each URL (a cache,
  re-checked after ``ckanext.odassessment.http.cache_days``)."""
from __future__ import annotations

import datetime
import hashlib
from typing import Any, Optional

from sqlalchemy import (Boolean, Column, DateTime, Float, ForeignKey, Index, Integer, Table,
                        UnicodeText, select)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

import ckan.model as model
import ckan.model.domain_object as domain_object
import ckan.model.types as _types
from ckan.model.base import BaseModel

__all__ = ["Run", "Measurement", "Score", "UrlCheck"]

RUNNING, COMPLETE, FAILED = "running", "complete", "failed"

run_table = Table(
    "odassessment_run", BaseModel.metadata,
    Column("id", UnicodeText, primary_key=True, default=_types.make_uuid),
    Column("kind", UnicodeText, nullable=False),          # full, changed, dataset
    Column("state", UnicodeText, nullable=False, default=RUNNING),
    Column("started", DateTime, nullable=False, default=datetime.datetime.utcnow),
    Column("finished", DateTime),
    Column("strict", Boolean, nullable=False, default=False),
    Column("http", Boolean, nullable=False, default=False),
    Column("options", JSONB, nullable=False, default=dict),
    Column("datasets_total", Integer, nullable=False, default=0),
    Column("datasets_done", Integer, nullable=False, default=0),
    Column("created_by", UnicodeText),
    Column("error", UnicodeText),
    Index("odassessment_run_state_idx", "state", "finished"),
    extend_existing=True,
)

measurement_table = Table(
    "odassessment_measurement", BaseModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", UnicodeText, ForeignKey("odassessment_run.id", ondelete="CASCADE"), nullable=False),
    Column("dataset_id", UnicodeText, nullable=False),
    Column("resource_id", UnicodeText),
    Column("layer", UnicodeText, nullable=False),
    Column("dimension", UnicodeText, nullable=False),
    Column("metric", UnicodeText, nullable=False),
    Column("value", JSONB),
    Column("points", Float, nullable=False),
    Column("max_points", Float, nullable=False),
    Column("applicable", Boolean, nullable=False, default=True),
    Column("basis", UnicodeText, nullable=False),
    Index("odassessment_measurement_run_dataset_idx", "run_id", "dataset_id"),
    extend_existing=True,
)

score_table = Table(
    "odassessment_score", BaseModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", UnicodeText, ForeignKey("odassessment_run.id", ondelete="CASCADE"), nullable=False),
    Column("entity_type", UnicodeText, nullable=False),   # dataset, organization, portal
    Column("entity_id", UnicodeText, nullable=False),
    Column("organization_id", UnicodeText),
    Column("private", Boolean, nullable=False, default=False),
    Column("mqa", Float),
    Column("mqa_band", UnicodeText),
    Column("extended", Float),
    Column("extended_band", UnicodeText),
    Column("dimensions", JSONB, nullable=False, default=dict),
    Column("details", JSONB, nullable=False, default=dict),
    Column("computed_at", DateTime, nullable=False, default=datetime.datetime.utcnow),
    Index("odassessment_score_entity_idx", "entity_type", "entity_id", "computed_at"),
    Index("odassessment_score_run_idx", "run_id", "entity_type"),
    extend_existing=True,
)

url_check_table = Table(
    "odassessment_url_check", BaseModel.metadata,
    Column("url_hash", UnicodeText, primary_key=True),
    Column("url", UnicodeText, nullable=False),
    Column("status", Integer),
    Column("method", UnicodeText),
    Column("error", UnicodeText),
    Column("content_type", UnicodeText),
    Column("last_modified", UnicodeText),
    Column("final_url", UnicodeText),
    Column("content", JSONB),
    Column("checked_at", DateTime, nullable=False),
    extend_existing=True,
)


class Run(domain_object.DomainObject, BaseModel):
    __table__ = run_table
    id: Mapped[str]
    kind: Mapped[str]
    state: Mapped[str]
    started: Mapped[datetime.datetime]
    finished: Mapped[Optional[datetime.datetime]]
    strict: Mapped[bool]
    http: Mapped[bool]
    options: Mapped[dict[str, Any]]
    datasets_total: Mapped[int]
    datasets_done: Mapped[int]
    created_by: Mapped[Optional[str]]
    error: Mapped[Optional[str]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "state": self.state,
            "started": self.started.isoformat() if self.started else None,
            "finished": self.finished.isoformat() if self.finished else None,
            "strict": self.strict, "http": self.http, "options": self.options or {},
            "datasets_total": self.datasets_total, "datasets_done": self.datasets_done,
            "error": self.error,
        }


class Measurement(domain_object.DomainObject, BaseModel):
    __table__ = measurement_table


class Score(domain_object.DomainObject, BaseModel):
    __table__ = score_table

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "entity_type": self.entity_type, "entity_id": self.entity_id,
            "organization_id": self.organization_id, "private": self.private, "mqa": self.mqa, "mqa_band": self.mqa_band,
            "extended": self.extended, "extended_band": self.extended_band,
            "dimensions": self.dimensions or {}, "details": self.details or {},
            "computed_at": self.computed_at.isoformat() if self.computed_at else None,
        }


class UrlCheck(domain_object.DomainObject, BaseModel):
    __table__ = url_check_table


def url_hash(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


# --------------------------------------------------------------- queries

def complete_runs():
    return select(run_table.c.id).where(run_table.c.state == COMPLETE)


def latest_scores(entity_type: str, entity_ids: Optional[list[str]] = None,
                  include_run: Optional[str] = None) -> dict[str, Score]:
    """The newest score of each entity from complete runs (plus
    ``include_run``, the run being finished)."""
    runs = run_table.c.state == COMPLETE
    if include_run:
        runs = runs | (run_table.c.id == include_run)
    q = (model.Session.query(Score)
         .join(run_table, run_table.c.id == score_table.c.run_id)
         .filter(runs, score_table.c.entity_type == entity_type)
         .distinct(score_table.c.entity_id)
         .order_by(score_table.c.entity_id, score_table.c.computed_at.desc(), score_table.c.id.desc()))
    if entity_ids is not None:
        q = q.filter(score_table.c.entity_id.in_(entity_ids))
    return {s.entity_id: s for s in q}


def score_history(entity_type: str, entity_id: str, limit: int = 60) -> list[Score]:
    """Scores of an entity in complete runs, oldest first."""
    q = (model.Session.query(Score)
         .join(run_table, run_table.c.id == score_table.c.run_id)
         .filter(run_table.c.state == COMPLETE, score_table.c.entity_type == entity_type,
                 score_table.c.entity_id == entity_id)
         .order_by(score_table.c.computed_at.desc()).limit(limit))
    return list(reversed(q.all()))


def measurements(run_id: str, dataset_id: str) -> list[Measurement]:
    return (model.Session.query(Measurement)
            .filter(measurement_table.c.run_id == run_id, measurement_table.c.dataset_id == dataset_id)
            .order_by(measurement_table.c.id).all())


def latest_complete_run(kinds: tuple[str, ...] = ("full", "changed")) -> Optional[Run]:
    return (model.Session.query(Run)
            .filter(run_table.c.state == COMPLETE, run_table.c.kind.in_(kinds))
            .order_by(run_table.c.finished.desc()).first())


def scored_in_run(run_id: str) -> set[str]:
    rows = model.Session.query(score_table.c.entity_id).filter(
        score_table.c.run_id == run_id, score_table.c.entity_type == "dataset")
    return {r[0] for r in rows}


def cached_url_checks(urls: list[str], max_age_days: Optional[float]) -> dict[str, UrlCheck]:
    """Stored checks of ``urls`` (not older than ``max_age_days`` if given)."""
    if not urls:
        return {}
    hashes = {url_hash(u): u for u in urls}
    q = model.Session.query(UrlCheck).filter(url_check_table.c.url_hash.in_(list(hashes)))
    if max_age_days is not None:
        limit = datetime.datetime.utcnow() - datetime.timedelta(days=max_age_days)
        q = q.filter(url_check_table.c.checked_at >= limit)
    return {row.url: row for row in q}


def save_url_check(result: Any) -> None:
    from sqlalchemy.dialects.postgresql import insert
    values = {
        "url_hash": url_hash(result.url), "url": result.url, "status": result.status,
        "method": result.method, "error": result.error, "content_type": result.content_type,
        "last_modified": result.last_modified, "final_url": result.final_url,
        "content": result.content, "checked_at": result.checked_at,
    }
    stmt = insert(url_check_table).values(**values)
    stmt = stmt.on_conflict_do_update(index_elements=["url_hash"],
                                      set_={k: v for k, v in values.items() if k != "url_hash"})
    model.Session.execute(stmt)


def increment_done(run_id: str) -> tuple[int, int]:
    """Count one more dataset done; (done, total) after the increment."""
    row = model.Session.execute(
        run_table.update().where(run_table.c.id == run_id)
        .values(datasets_done=run_table.c.datasets_done + 1)
        .returning(run_table.c.datasets_done, run_table.c.datasets_total)).first()
    return (row[0], row[1]) if row else (0, 0)

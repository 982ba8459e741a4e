"""Assessment runs: which datasets, HTTP checks through the URL cache,
scoring, storing, and finishing a run with its organisation and portal
scores. A dataset's rows are written in one transaction, and a run is shown
only once it is complete: a run killed midway leaves the previous complete
run as the current one and can be resumed (``ckan odassessment run
--resume``)."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Callable, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.odassessment import assess, extended, levels, linkcheck, shacl
from ckanext.odassessment.model import assessment as store

log = logging.getLogger(__name__)

KINDS = ("full", "changed", "dataset")
BATCH = 50


def _now() -> dt.datetime:
    return dt.datetime.utcnow()


def dataset_ids(changed_since: Optional[dt.datetime] = None) -> list[str]:
    """Active datasets (private ones too: their results are shown to those
    who can see them), optionally only those changed since a date."""
    q = model.Session.query(model.Package.id).filter(
        model.Package.state == "active", model.Package.type == "dataset")
    if changed_since:
        q = q.filter(model.Package.metadata_modified >= changed_since)
    return [row[0] for row in q.order_by(model.Package.metadata_modified.desc())]


def start(kind: str = "full", *, strict: Optional[bool] = None, http: bool = True,
          changed_since: Optional[dt.datetime] = None, ids: Optional[list[str]] = None,
          user: Optional[str] = None) -> store.Run:
    if kind not in KINDS:
        raise ValueError(kind)
    if strict is None:
        strict = tk.asbool(tk.config.get("ckanext.odassessment.strict"))
    weights = extended.weights()
    options: dict[str, Any] = {
        "weights_version": weights["version"], "weights": weights["points"],
        "shapes": [s.rsplit("/", 1)[-1] for s in shacl.shape_files()],
    }
    if changed_since:
        options["changed_since"] = changed_since.isoformat()
    if ids is not None:
        options["datasets"] = list(ids)
    targets = ids if ids is not None else dataset_ids(changed_since)
    run = store.Run(kind=kind, state=store.RUNNING, started=_now(), strict=bool(strict), http=http,
                    options=options, datasets_total=len(targets), datasets_done=0, created_by=user)
    model.Session.add(run)
    model.Session.commit()
    return run


def targets(run: store.Run) -> list[str]:
    """Datasets of the run not yet scored in it (all of them at the start)."""
    options = run.options or {}
    if "datasets" in options:
        ids = list(options["datasets"])
    else:
        since = extended.parse_datetime(options.get("changed_since"))
        ids = dataset_ids(since) if since or run.kind == "full" else dataset_ids()
    done = store.scored_in_run(run.id)
    return [i for i in ids if i not in done]


# ------------------------------------------------------------- HTTP

def url_statuses(datasets: list[dict], http: bool, progress: Optional[Callable[[int], None]] = None) -> dict:
    """URL -> last check. With ``http``, URLs not checked within
    ``http.cache_days`` days are checked now (and stored); without, the
    stored checks of any age are used."""
    urls: list[str] = []
    content: set[str] = set()
    for dataset in datasets:
        for resource in dataset.get("resources") or []:
            urls.extend(assess.resource_urls(resource))
        target = assess.content_url(dataset)
        if target:
            content.add(target[1])
    urls = list(dict.fromkeys(urls))
    if not http:
        return dict(store.cached_url_checks(urls, None))
    cached = store.cached_url_checks(urls, float(tk.config.get("ckanext.odassessment.http.cache_days")))
    # a file whose content is wanted but was only HEAD-checked is fetched again
    stale = [u for u in urls if u not in cached or (u in content and cached[u].content is None
                                                    and cached[u].status and 200 <= cached[u].status < 300)]
    fresh = linkcheck.check_urls(stale, [u for u in stale if u in content], progress=progress)
    for result in fresh.values():
        store.save_url_check(result)
    model.Session.commit()
    statuses: dict[str, Any] = dict(cached)
    statuses.update(fresh)
    return statuses


# ------------------------------------------------------------- scoring

def _show(dataset_id: str) -> Optional[dict]:
    try:
        return tk.get_action("package_show")({"ignore_auth": True, "use_cache": False},
                                             {"id": dataset_id})
    except tk.ObjectNotFound:
        return None


def save(run: store.Run, result: assess.DatasetResult, computed_at: dt.datetime) -> None:
    model.Session.execute(store.measurement_table.insert(), [
        {"run_id": run.id, "dataset_id": result.dataset_id, "resource_id": m.resource_id,
         "layer": m.layer, "dimension": m.dimension, "metric": m.metric, "value": m.value,
         "points": m.points, "max_points": m.max_points, "applicable": m.applicable, "basis": m.basis}
        for m in result.measurements])
    model.Session.add(store.Score(
        run_id=run.id, entity_type="dataset", entity_id=result.dataset_id,
        organization_id=result.organization_id, private=result.private,
        mqa=result.mqa["total"], mqa_band=result.mqa["band"],
        extended=result.extended["percent"], extended_band=result.extended["band"],
        dimensions={"mqa": result.mqa["dimensions"], "extended": result.extended["dimensions"],
                    "best_distribution": result.mqa["best_distribution"]},
        details=result.details, computed_at=computed_at))


def score_batch(run: store.Run, ids: list[str], builder: assess.GraphBuilder,
                progress: Optional[Callable[[int], None]] = None) -> int:
    """Score datasets, one transaction each; returns how many were scored."""
    datasets = [d for d in map(_show, ids) if d]
    statuses = url_statuses(datasets, run.http)
    points = (run.options or {}).get("weights") or extended.weights()["points"]
    now = _now()
    results = assess.assess_many(datasets, builder=builder, url_status=statuses, strict=run.strict,
                                 now=now, points=points)
    for result in results:
        save(run, result, now)
        run.datasets_done = run.datasets_done + 1
        model.Session.commit()
        if progress:
            progress(1)
    missing = len(ids) - len(datasets)
    if missing and progress:
        progress(missing)
    return len(datasets)


def execute(run: store.Run, progress: Optional[Callable[[int], None]] = None) -> store.Run:
    """Score the run's remaining datasets, then finish it."""
    builder = assess.GraphBuilder()
    remaining = targets(run)
    for i in range(0, len(remaining), BATCH):
        score_batch(run, remaining[i:i + BATCH], builder, progress)
    return finish(run)


def finish(run: store.Run) -> store.Run:
    """Organisation and portal scores (full and changed runs), then the
    run becomes complete, in one transaction."""
    now = _now()
    if run.kind != "dataset":
        for row in levels.level_scores(run.id):
            model.Session.add(store.Score(run_id=run.id, computed_at=now, **row))
    run.state = store.COMPLETE
    run.finished = now
    model.Session.commit()
    return run


def resume(run_id: Optional[str] = None) -> Optional[store.Run]:
    """The given run, else the newest one still running."""
    q = model.Session.query(store.Run).filter(store.run_table.c.state == store.RUNNING)
    if run_id:
        q = q.filter(store.run_table.c.id == run_id)
    return q.order_by(store.run_table.c.started.desc()).first()


def rescore_dataset(dataset_id: str, user: Optional[str] = None) -> Optional[store.Run]:
    """A one-dataset run (metadata, stored URL checks): the dataset page
    shows the new score at once; organisation and portal levels follow at
    the next full or changed run."""
    if not _show(dataset_id):
        return None
    run = start("dataset", http=False, ids=[dataset_id], user=user)
    return execute(run)


# ------------------------------------------------------ background jobs

def enqueue(run: store.Run) -> int:
    """One background job per dataset; the last job to finish completes
    the run."""
    ids = targets(run)
    for dataset_id in ids:
        tk.enqueue_job(job_score_dataset, [run.id, dataset_id], title=f"odassessment {run.id} {dataset_id}")
    return len(ids)


def job_score_dataset(run_id: str, dataset_id: str) -> None:
    run = model.Session.get(store.Run, run_id)
    if run is None or run.state != store.RUNNING:
        return
    dataset = _show(dataset_id)
    if dataset and dataset_id not in store.scored_in_run(run_id):
        statuses = url_statuses([dataset], run.http)
        result = assess.assess(dataset, url_status=statuses, strict=run.strict,
                               points=(run.options or {}).get("weights"))
        save(run, result, _now())
    done, total = store.increment_done(run_id)
    model.Session.commit()
    if done >= total:
        model.Session.refresh(run)
        if run.state == store.RUNNING:
            finish(run)


def job_rescore_dataset(dataset_id: str) -> None:
    rescore_dataset(dataset_id)


def on_dataset_changed(pkg_dict: dict) -> None:
    """After a dataset is created or updated: rescore it in a background
    job (``ckanext.odassessment.rescore_on_update``)."""
    if not tk.asbool(tk.config.get("ckanext.odassessment.rescore_on_update")):
        return
    if pkg_dict.get("type", "dataset") != "dataset" or not pkg_dict.get("id"):
        return
    try:
        tk.enqueue_job(job_rescore_dataset, [pkg_dict["id"]], title=f"odassessment rescore {pkg_dict['id']}")
    except Exception:  # noqa: BLE001 - a queue that is down must not fail the dataset's update
        log.warning("Could not queue the rescoring of dataset %s", pkg_dict["id"], exc_info=True)

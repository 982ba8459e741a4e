"""Assessment actions (issue 7): dataset, organisation and portal results,
runs, exports, rescoring."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.odassessment import export, levels, mqa, runner
from ckanext.odassessment.model import assessment as store

EXPORT_FORMATS = ("csv", "json", "dqv")
EXPORT_LEVELS = ("dataset", "organization", "portal", "all")


def _validate(data_dict: DataDict, schema: dict, context: Context) -> dict:
    data, errors = tk.navl_validate(dict(data_dict), schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def _v(name: str) -> Any:
    return tk.get_validator(name)


def _one_of(values: tuple[str, ...]) -> Any:
    def validator(value: Any) -> Any:
        if value not in values:
            raise tk.Invalid(tk._("Must be one of: {}").format(", ".join(values)))
        return value
    return validator


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise tk.Invalid(tk._("Date format incorrect (YYYY-MM-DD)"))


def _score_dict(score: store.Score) -> dict[str, Any]:
    out = score.as_dict()
    out["run"] = model.Session.get(store.Run, score.run_id).as_dict()
    return out


def _history(entity_type: str, entity_id: str) -> list[dict[str, Any]]:
    return [{"computed_at": s.computed_at.isoformat(), "run_id": s.run_id, "mqa": s.mqa,
             "mqa_band": s.mqa_band, "extended": s.extended}
            for s in store.score_history(entity_type, entity_id)]


# ---------------------------------------------------------------- dataset

@tk.side_effect_free
def odassessment_dataset_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The newest complete assessment of a dataset: MQA and extended
    scores with bands, dimensions, every measurement (raw value, points,
    declared/defaulted) and the score history.

    :param id: dataset id or name
    :param run_id: a given run instead of the newest (optional)"""
    data = _validate(data_dict, {"id": [_v("not_empty"), _v("unicode_safe")],
                                 "run_id": [_v("ignore_missing"), _v("unicode_safe")]}, context)
    pkg = model.Package.get(data["id"])
    if pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    tk.check_access("odassessment_dataset_show", context, {"id": pkg.id})
    if data.get("run_id"):
        score = (model.Session.query(store.Score)
                 .filter_by(run_id=data["run_id"], entity_type="dataset", entity_id=pkg.id).first())
    else:
        score = store.latest_scores("dataset", [pkg.id]).get(pkg.id)
    if score is None:
        raise tk.ObjectNotFound(tk._("This dataset has not been assessed yet"))
    out = _score_dict(score)
    out.update({"dataset_id": pkg.id, "name": pkg.name, "mqa_max": mqa.MAX_SCORE,
                "dimension_max": mqa.DIMENSION_MAX})
    out["measurements"] = [
        {k: getattr(m, k) for k in ("layer", "dimension", "metric", "resource_id", "value", "points",
                                    "max_points", "applicable", "basis")}
        for m in store.measurements(score.run_id, pkg.id)]
    out["history"] = _history("dataset", pkg.id)
    return out


def odassessment_dataset_rescore(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Rescore one dataset now (metadata and stored URL checks).

    :param id: dataset id or name"""
    data = _validate(data_dict, {"id": [_v("not_empty"), _v("unicode_safe")]}, context)
    pkg = model.Package.get(data["id"])
    if pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    tk.check_access("odassessment_dataset_rescore", context, {"id": pkg.id})
    runner.rescore_dataset(pkg.id, user=context.get("user"))
    return odassessment_dataset_show(dict(context, ignore_auth=True), {"id": pkg.id})


# ------------------------------------------------------ organisation, portal

def _in_vocabulary(name: str) -> Any:
    """A value of one of the portal's vocabularies (ckanext-opengov)."""
    def validator(value: Any) -> Any:
        from ckanext.opengov.logic import vocabularies
        if value not in vocabularies.vocabulary_values(name):
            raise tk.Invalid(tk._("Unknown value"))
        return value
    return validator


FILTER_SCHEMA = {
    "theme": [_v("ignore_missing"), _v("unicode_safe"), _in_vocabulary("themes")],
    "government_level": [_v("ignore_missing"), _v("unicode_safe"), _in_vocabulary("government_levels")],
    "region": [_v("ignore_missing"), _v("unicode_safe"), _in_vocabulary("regions")],
}


@tk.side_effect_free
def odassessment_organization_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An organisation's scorecard over its public datasets: mean MQA and
    extended scores, bands, dimension profile, stars, broken links,
    timeliness, activity in the period, overdue datasets, history.

    :param id: organisation id or name"""
    data = _validate(data_dict, {"id": [_v("not_empty"), _v("unicode_safe")]}, context)
    org = model.Group.get(data["id"])
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ObjectNotFound(tk._("Organization not found"))
    tk.check_access("odassessment_organization_show", context, {"id": org.id})
    scores = levels.current_scores({"organization": org.id})
    out = levels.summary(scores)
    out.update({"id": org.id, "name": org.name, "history": _history("organization", org.id),
                "datasets_list": sorted(
                    ({"id": s.entity_id, "name": (s.details or {}).get("name"),
                      "title": (s.details or {}).get("title"), "mqa": s.mqa, "mqa_band": s.mqa_band,
                      "extended": s.extended} for s in scores), key=lambda r: r["mqa"] or 0)})
    return out


@tk.side_effect_free
def odassessment_portal_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The portal: mean MQA as headline, the OURdata pillars it can
    measure, the organisations ranked, and the history.

    :param theme: only datasets of this theme (optional)
    :param government_level: ... of this government level (optional)
    :param region: ... covering this region (optional)"""
    data = _validate(data_dict, FILTER_SCHEMA, context)
    tk.check_access("odassessment_portal_show", context, data)
    filters = {k: data[k] for k in ("theme", "government_level", "region") if data.get(k)}
    scores = levels.current_scores(filters)
    out = levels.summary(scores)
    out.update(levels.pillars(out, scores))
    out.update({"filters": filters, "ranking": levels.ranking(scores),
                "history": _history("portal", "portal")})
    return out


@tk.side_effect_free
def odassessment_trends_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What changed between the two newest full/changed runs: portal means
    (and against a year before), organisations most improved and declined,
    band transitions of datasets between the two newest full runs."""
    tk.check_access("odassessment_trends_show", context, data_dict)
    return levels.trends()


# ------------------------------------------------------------------- runs

@tk.side_effect_free
def odassessment_run_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Runs, newest first.

    :param limit: default 20, at most 100
    :param offset: default 0
    :param state: running, complete or failed (optional)"""
    data = _validate(data_dict, {
        "limit": [_v("ignore_missing"), _v("natural_number_validator")],
        "offset": [_v("ignore_missing"), _v("natural_number_validator")],
        "state": [_v("ignore_missing"), _one_of((store.RUNNING, store.COMPLETE, store.FAILED))],
    }, context)
    tk.check_access("odassessment_run_list", context, data)
    q = model.Session.query(store.Run)
    if data.get("state"):
        q = q.filter(store.run_table.c.state == data["state"])
    q = q.order_by(store.run_table.c.started.desc())
    limit = min(int(data.get("limit") or 20), 100)
    return [r.as_dict() for r in q.offset(int(data.get("offset") or 0)).limit(limit)]


def _get_run(run_id: str) -> store.Run:
    run = model.Session.get(store.Run, run_id)
    if run is None:
        raise tk.ObjectNotFound(tk._("Assessment run not found"))
    return run


@tk.side_effect_free
def odassessment_run_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A run, with its band distribution of datasets.

    :param id: run id"""
    data = _validate(data_dict, {"id": [_v("not_empty"), _v("unicode_safe")]}, context)
    tk.check_access("odassessment_run_show", context, data)
    run = _get_run(data["id"])
    out = run.as_dict()
    rows = model.Session.query(store.score_table.c.mqa_band).filter(
        store.score_table.c.run_id == run.id, store.score_table.c.entity_type == "dataset",
        store.score_table.c.private.is_(False))
    bands = [r[0] for r in rows]
    out["bands"] = {b: bands.count(b) for b in mqa.BANDS}
    out["options"] = {k: v for k, v in (run.options or {}).items() if k != "datasets"}
    return out


def odassessment_run_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Start a run (sysadmins).

    :param kind: full (default) or changed
    :param changed_since: with kind changed, an ISO date
    :param strict: no points for values only defaulted by CKAN (default: config)
    :param http: check URLs (default true)
    :param background: one background job per dataset (default true);
        false scores in this request"""
    data = _validate(data_dict, {
        "kind": [_v("default")("full"), _one_of(("full", "changed"))],
        "changed_since": [_v("ignore_missing"), _iso_date],
        "strict": [_v("ignore_missing"), _v("boolean_validator")],
        "http": [_v("default")(True), _v("boolean_validator")],
        "background": [_v("default")(True), _v("boolean_validator")],
    }, context)
    tk.check_access("odassessment_run_create", context, data)
    if data["kind"] == "changed" and not data.get("changed_since"):
        raise tk.ValidationError({"changed_since": [tk._("Missing value")]})
    run = runner.start(data["kind"], strict=data.get("strict"), http=data["http"],
                       changed_since=data.get("changed_since"), user=context.get("user"))
    if data["background"]:
        if runner.enqueue(run) == 0:
            runner.finish(run)
    else:
        runner.execute(run)
    return _get_run(run.id).as_dict()


# ----------------------------------------------------------------- export

@tk.side_effect_free
def odassessment_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A complete run as CSV, JSON or W3C DQV (Turtle).

    :param run_id: default the newest complete full/changed run
    :param format: csv (default), json or dqv
    :param level: dataset (default), organization, portal or all
    :returns: {"filename", "content_type", "data"}"""
    data = _validate(data_dict, {
        "run_id": [_v("ignore_missing"), _v("unicode_safe")],
        "format": [_v("default")("csv"), _one_of(EXPORT_FORMATS)],
        "level": [_v("default")("dataset"), _one_of(EXPORT_LEVELS)],
    }, context)
    tk.check_access("odassessment_export", context, data)
    if data.get("run_id"):
        run = _get_run(data["run_id"])
        if run.state != store.COMPLETE:
            raise tk.ValidationError({"run_id": [tk._("This run is not complete")]})
    else:
        run = store.latest_complete_run()
        if run is None:
            raise tk.ObjectNotFound(tk._("No complete assessment run yet"))
    q = model.Session.query(store.Score).filter(store.score_table.c.run_id == run.id)
    if data["level"] != "all":
        q = q.filter(store.score_table.c.entity_type == data["level"])
    scores = [s.as_dict() for s in q.order_by(store.score_table.c.entity_type, store.score_table.c.entity_id)]
    if not _sysadmin(context):
        # private when scored, or private/deleted now: left out
        public = set(levels.public_dataset_ids())
        scores = [s for s in scores if s["entity_type"] != "dataset"
                  or (s["entity_id"] in public and not s.get("private"))]
    stamp = (run.finished or run.started).strftime("%Y%m%d")
    name = f"assessment-{stamp}-{data['level']}"
    if data["format"] == "csv":
        return {"filename": name + ".csv", "content_type": "text/csv; charset=utf-8",
                "data": export.to_csv(scores)}
    if data["format"] == "json":
        return {"filename": name + ".json", "content_type": "application/json",
                "data": export.to_json(run.as_dict(), scores)}
    public_ids = {s["entity_id"] for s in scores if s["entity_type"] == "dataset"}
    measurements = [m for m in model.Session.query(store.Measurement).filter(
        store.measurement_table.c.run_id == run.id) if m.dataset_id in public_ids]
    return {"filename": name + ".ttl", "content_type": "text/turtle",
            "data": export.to_dqv(run.as_dict(), scores, measurements)}


def _sysadmin(context: Context) -> bool:
    user = model.User.get(context.get("user") or "")
    return bool(user and user.sysadmin)

"""The extended score, beside the MQA number (never altering it):
timeliness, openness, data validity and documentation.

Points come from a YAML file (``data/weights.yaml``, or the file named by
``ckanext.odassessment.weights_file``); a metric that does not apply to a
dataset is left out of its maximum. The score is
``(MQA points + extended points) / (405 + applicable extended maximum)`` in
per cent."""
from __future__ import annotations

import datetime as dt
import functools
import os
from typing import Any, Iterable, Mapping, Optional

import yaml
import ckan.plugins.toolkit as tk
from rdflib import Graph
from rdflib.namespace import DCTERMS as DCT, FOAF

from ckanext.odassessment import mqa, vocabularies as vocab
from ckanext.odassessment.measurement import (
    ABSENT, DECLARED, DEFAULTED, HTTP, Measurement,
)

DIMENSIONS = ("timeliness", "openness", "validity", "documentation")
METRICS = {
    "accrualPeriodicityAvailability": "timeliness",
    "accrualPeriodicityVocabularyAlignment": "timeliness",
    "updateFulfilledInTime": "timeliness",
    "temporalCoverageCurrency": "timeliness",
    "fiveStarRating": "openness",
    "openLicence": "openness",
    "formatMatch": "validity",
    "syntaxValid": "validity",
    "descriptionQuality": "documentation",
    "resourceDocumentation": "documentation",
    "multilingualMetadata": "documentation",
}
PORTAL_LANGUAGES = ("ar", "fr", "en")
#: Formats whose content the checks parse.
PARSEABLE = {"CSV", "TSV", "JSON", "GEOJSON", "JSON_LD", "XML", "RDF_XML", "KML"}
#: Formats that share a media type family (a CSV served as text/plain matches).
FAMILIES = ({"JSON", "GEOJSON", "JSON_LD"}, {"XML", "RDF_XML", "KML", "GML", "ATOM", "RSS"},
            {"CSV", "TSV", "TXT"}, {"ZIP", "SHP"})


class WeightsError(ValueError):
    pass


# ------------------------------------------------------------------ weights

def weights_path() -> str:
    return tk.config.get("ckanext.odassessment.weights_file") or os.path.join(vocab.DATA, "weights.yaml")


def parse_weights(data: Any) -> dict[str, Any]:
    """``{"version", "points": {metric: points}}`` from the YAML structure;
    a WeightsError names what is wrong (an MQA metric, an unknown metric, a
    negative or non-numeric value)."""
    if not isinstance(data, dict) or not isinstance(data.get("dimensions"), dict):
        raise WeightsError("the weights file needs a 'dimensions' mapping")
    points: dict[str, float] = {}
    for dimension, metrics in data["dimensions"].items():
        if dimension in mqa.DIMENSIONS:
            raise WeightsError(f"'{dimension}' is an MQA dimension: its points are locked")
        if dimension not in DIMENSIONS or not isinstance(metrics, dict):
            raise WeightsError(f"unknown dimension '{dimension}' (known: {', '.join(DIMENSIONS)})")
        for metric, value in metrics.items():
            if metric in mqa.METRICS:
                raise WeightsError(f"'{metric}' is an MQA metric: its points are locked")
            if METRICS.get(metric) != dimension:
                raise WeightsError(f"unknown metric '{metric}' in '{dimension}'")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise WeightsError(f"points of '{metric}' must be a number >= 0")
            points[metric] = float(value)
    return {"version": str(data.get("version") or ""), "points": points}


@functools.lru_cache(maxsize=8)
def _weights_from(path: str, mtime: float) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return parse_weights(yaml.safe_load(f))


def weights() -> dict[str, Any]:
    path = weights_path()
    return _weights_from(path, os.path.getmtime(path))


# --------------------------------------------------------------- timeliness

def parse_datetime(value: Any) -> Optional[dt.datetime]:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip().replace("Z", "+00:00")
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            try:
                moment = dt.datetime.strptime(text[:10], "%Y-%m-%d")
            except ValueError:
                return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment


def last_data_update(dataset: Mapping[str, Any]) -> tuple[Optional[dt.datetime], str]:
    """When the data last changed, and on what evidence: the newest
    resource ``last_modified`` (a file uploaded or replaced), else the
    declared ``modified`` (or the harvested source's), else
    ``metadata_modified`` (weak evidence, shown as such)."""
    files = [parse_datetime(r.get("last_modified")) for r in dataset.get("resources") or []]
    files = [f for f in files if f]
    if files:
        return max(files), "resource"
    for key in ("modified", "source_modified"):
        value = mqa._value(dataset, key)
        if parse_datetime(value):
            return parse_datetime(value), "declared"
    return parse_datetime(dataset.get("metadata_modified")), "metadata"


def update_status(frequency: Any, last_update: Optional[dt.datetime], now: dt.datetime) -> dict[str, Any]:
    """On time / late / overdue against the declared frequency.

    ``due = last update + Δ``; ``grace = max(1 day, Δ/10)``; on time when
    ``now - due <= grace`` (score 1), late when within one more cycle
    (``<= Δ + grace``, score 0.5), else overdue (0). Without a frequency
    (or UNKNOWN): "undeclared" (0); a frequency with no Δ (continuous,
    irregular, as needed, never...): "not_quantifiable" (no score)."""
    entry = vocab.frequency(frequency)
    if entry is None or entry["code"] == "UNKNOWN":
        return {"status": "undeclared", "score": 0.0, "frequency": frequency}
    if entry["days"] is None:
        return {"status": "not_quantifiable", "score": None, "frequency": entry["code"]}
    if last_update is None:
        return {"status": "overdue", "score": 0.0, "frequency": entry["code"], "days_late": None}
    delta = dt.timedelta(days=entry["days"])
    grace = max(dt.timedelta(days=1), delta / 10)
    due = last_update + delta
    late = now - due
    if late <= grace:
        status, score = "on_time", 1.0
    elif late <= delta + grace:
        status, score = "late", 0.5
    else:
        status, score = "overdue", 0.0
    return {"status": status, "score": score, "frequency": entry["code"],
            "due": due.isoformat(timespec="seconds"), "days_late": max(0, late.days)}


# ---------------------------------------------------------------- helpers

def _texts(dataset: Mapping[str, Any], key: str) -> dict[str, str]:
    values = dataset.get(f"{key}_translated")
    if isinstance(values, dict):
        return {k: v for k, v in values.items() if isinstance(v, str) and v.strip()}
    value = dataset.get(key)
    return {"": value} if isinstance(value, str) and value.strip() else {}


def _dataset_open(g: Graph, ref: Any, dataset: Mapping[str, Any]) -> bool:
    for licence in g.objects(ref, DCT.license):
        entry = vocab.licence_entry(licence)
        if entry:
            return entry["open"]
    return bool(dataset.get("isopen"))


def _resource_urls(resource: Mapping[str, Any]) -> list[str]:
    return [u for u in (resource.get("download_url"), resource.get("access_url"), resource.get("url")) if u]


def resource_stars(resource: Mapping[str, Any], is_open: bool, url_status: Mapping[str, Any]) -> dict:
    """ckanext-qa's rule: 0 for a broken link or a licence that is not
    open; else the stars of the format (1 when unknown)."""
    statuses = [getattr(url_status.get(u), "status", None) for u in _resource_urls(resource)
                if url_status.get(u) is not None]
    if statuses and not any(mqa.is_accessible(s) for s in statuses):
        return {"stars": 0, "reason": "broken"}
    if not is_open:
        return {"stars": 0, "reason": "licence_not_open"}
    return {"stars": vocab.format_stars(resource.get("format") or resource.get("mimetype")),
            "reason": "format"}


def _same_family(a: str, b: str) -> bool:
    return a == b or any(a in f and b in f for f in FAMILIES)


# ---------------------------------------------------------------- measuring

class _Recorder:
    def __init__(self, points: Mapping[str, float]):
        self.points = points
        self.items: list[Measurement] = []

    def add(self, metric: str, score: Optional[float], value: Any = None, basis: str = DECLARED,
            resource_id: Optional[str] = None) -> None:
        weight = self.points.get(metric, 0.0)
        applicable = score is not None and weight > 0
        earned = round(weight * (score or 0.0), 2) if applicable else 0.0
        if not score and basis == DECLARED:
            basis = ABSENT
        self.items.append(Measurement(metric, METRICS[metric], "extended", earned,
                                      weight if applicable else 0.0, value, basis, applicable,
                                      resource_id))


def measure(g: Graph, ref: Any, dataset: Mapping[str, Any], url_status: Mapping[str, Any],
            content: Mapping[str, Any], now: dt.datetime,
            points: Optional[Mapping[str, float]] = None) -> list[Measurement]:
    """The extended measurements of a dataset. ``content``: resource id ->
    content check (``content_type``, ``syntax_valid``, ``error``) of the
    files fetched during the run's HTTP checks."""
    r = _Recorder(points if points is not None else weights()["points"])
    frequency = dataset.get("frequency") or next(
        (str(o) for o in g.objects(ref, DCT.accrualPeriodicity)), None)
    entry = vocab.frequency(frequency)
    declared = entry is not None and entry["code"] != "UNKNOWN"
    r.add("accrualPeriodicityAvailability", 1.0 if declared else 0.0, frequency)
    r.add("accrualPeriodicityVocabularyAlignment",
          1.0 if any(vocab.frequency_uri_aligned(o) for o in g.objects(ref, DCT.accrualPeriodicity)) else 0.0,
          [str(o) for o in g.objects(ref, DCT.accrualPeriodicity)])
    last_update, basis = last_data_update(dataset)
    status = update_status(frequency, last_update, now)
    status["last_update"] = last_update.isoformat(timespec="seconds") if last_update else None
    status["basis"] = basis
    score = status["score"]
    if score is None and tk.asbool(tk.config.get("ckanext.odassessment.award_not_quantifiable")):
        score = 1.0
    r.add("updateFulfilledInTime", score, status, DEFAULTED if basis == "metadata" else DECLARED)
    r.add("temporalCoverageCurrency", *_temporal_currency(dataset, entry, now))

    is_open = _dataset_open(g, ref, dataset)
    stars = {res["id"]: resource_stars(res, is_open, url_status) for res in dataset.get("resources") or []}
    best = max((s["stars"] for s in stars.values()), default=0)
    r.add("fiveStarRating", best / 5.0, {"stars": best, "resources": stars})
    r.add("openLicence", 1.0 if is_open else 0.0, is_open)

    for metric, result in _validity(dataset, content):
        r.add(metric, result.pop("score"), result, HTTP, result.get("resource_id"))

    notes = _texts(dataset, "notes")
    length = int(tk.config.get("ckanext.odassessment.description_min_length"))
    longest = max((len(t.strip()) for t in notes.values()), default=0)
    r.add("descriptionQuality", 1.0 if longest > length else 0.0, longest)
    r.add("resourceDocumentation", *_documentation(g, ref, dataset))
    titles = _texts(dataset, "title")
    both = sorted(lang for lang in PORTAL_LANGUAGES if lang in titles and lang in notes)
    r.add("multilingualMetadata", 1.0 if len(both) >= 2 else 0.0, both)
    return r.items


def _temporal_currency(dataset: Mapping[str, Any], entry: Optional[dict], now: dt.datetime) -> tuple:
    """The covered period ends within one update cycle (at least a year)
    before now, or is open-ended; not applicable without a period."""
    start, end = dataset.get("temporal_start"), dataset.get("temporal_end")
    if not start and not end:
        return None, None
    if not end:
        return 1.0, {"end": None}
    days = entry["days"] if entry and entry.get("days") else 0
    window = max(dt.timedelta(days=365), dt.timedelta(days=days) * 1.1)
    end_date = parse_datetime(end)
    current = end_date is not None and end_date >= now - window
    return (1.0 if current else 0.0), {"end": str(end)}


def _documentation(g: Graph, ref: Any, dataset: Mapping[str, Any]) -> tuple:
    resources = dataset.get("resources") or []
    if any(r.get("resource_type") == "documentation" for r in resources) or \
            any(True for _ in g.objects(ref, FOAF.page)) or dataset.get("documentation"):
        return 1.0, "documentation"
    if not resources:
        return None, None
    described = all(_texts(r, "description") for r in resources)
    return (1.0 if described else 0.0), ("all_described" if described else "none")


def _validity(dataset: Mapping[str, Any], content: Mapping[str, Any]) -> Iterable[tuple[str, dict]]:
    """formatMatch and syntaxValid from the first resource whose file was
    fetched; not applicable when no file was fetched (metadata-only runs) or
    the server's type says nothing (application/octet-stream)."""
    for resource in dataset.get("resources") or []:
        check = content.get(resource["id"])
        if not check:
            continue
        declared = vocab.format_code(resource.get("format") or resource.get("mimetype"))
        served = vocab.media_type_code(getattr(check, "content_type", None))
        match = None
        if declared and served and served != "OCTET":
            match = 1.0 if _same_family(declared, served) else 0.0
        yield "formatMatch", {"score": match, "resource_id": resource["id"], "declared": declared,
                              "served": getattr(check, "content_type", None)}
        valid = getattr(check, "syntax_valid", None)
        yield "syntaxValid", {"score": None if valid is None else (1.0 if valid else 0.0),
                              "resource_id": resource["id"], "format": declared,
                              "error": getattr(check, "syntax_error", None)}
        return
    yield "formatMatch", {"score": None}
    yield "syntaxValid", {"score": None}


# ------------------------------------------------------------- aggregating

BAND_SCALES = {
    # 351/405, 221/405, 121/405 of the MQA bands
    "mqa": (86.7, 54.6, 29.9),
    # data.norge.no quartiles
    "quartiles": (75.0, 50.0, 25.0),
}


def band(percent: Optional[float]) -> Optional[str]:
    if percent is None:
        return None
    scale = BAND_SCALES.get(tk.config.get("ckanext.odassessment.extended_bands") or "mqa",
                            BAND_SCALES["mqa"])
    for name, threshold in zip(("excellent", "good", "sufficient"), scale):
        if percent >= threshold:
            return name
    return "bad"


def aggregate(measurements: Iterable[Measurement], mqa_total: float) -> dict[str, Any]:
    items = [m for m in measurements if m.layer == "extended" and m.applicable]
    dimensions = {}
    for d in DIMENSIONS:
        got = sum(m.points for m in items if m.dimension == d)
        top = sum(m.max_points for m in items if m.dimension == d)
        dimensions[d] = {"points": round(got, 2), "max": top,
                         "percent": round(100.0 * got / top, 1) if top else None}
    points = sum(m.points for m in items)
    maximum = sum(m.max_points for m in items)
    percent = round(100.0 * (mqa_total + points) / (mqa.MAX_SCORE + maximum), 1)
    return {"points": round(points, 2), "max": maximum, "percent": percent,
            "dimensions": dimensions, "band": band(percent)}

"""The data.europa.eu Metadata Quality Assessment (MQA), computed on the DCAT
graph ckanext-dcat serialises for a dataset.

23 metrics, 405 points (Findability 100, Accessibility 100,
Interoperability 110, Reusability 75, Contextuality 20); the dataset score is
the best distribution's metrics merged with the dataset's metrics (the
higher of the two for each metric, so dates are not counted twice); bands
Excellent / Good / Sufficient / Bad. The points are the official ones
(piveau's default score vocabulary) and cannot be changed by configuration.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

import ckan.plugins.toolkit as tk
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS as DCT

from ckanext.odassessment import vocabularies as vocab
from ckanext.odassessment.measurement import (
    DECLARED, DEFAULTED, HTTP, INHERITED, ORGANIZATION, SHACL, ABSENT, Measurement,
)

DCAT = Namespace("http://www.w3.org/ns/dcat#")
PV = "https://piveau.eu/ns/voc#"

DIMENSIONS = ("findability", "accessibility", "interoperability", "reusability", "contextuality")

#: metric id -> (dimension, points, computed on)
METRICS: dict[str, tuple[str, int, str]] = {
    "keywordAvailability": ("findability", 30, "dataset"),
    "categoryAvailability": ("findability", 30, "dataset"),
    "spatialAvailability": ("findability", 20, "dataset"),
    "temporalAvailability": ("findability", 20, "dataset"),
    "accessUrlStatusCode": ("accessibility", 50, "distribution"),
    "downloadUrlAvailability": ("accessibility", 20, "distribution"),
    "downloadUrlStatusCode": ("accessibility", 30, "distribution"),
    "formatAvailability": ("interoperability", 20, "distribution"),
    "mediaTypeAvailability": ("interoperability", 10, "distribution"),
    "formatMediaTypeVocabularyAlignment": ("interoperability", 10, "distribution"),
    "formatMediaTypeNonProprietary": ("interoperability", 20, "distribution"),
    "formatMediaTypeMachineInterpretable": ("interoperability", 20, "distribution"),
    "dcatApCompliance": ("interoperability", 30, "dataset"),
    "licenceAvailability": ("reusability", 20, "distribution"),
    "knownLicence": ("reusability", 10, "distribution"),
    "accessRightsAvailability": ("reusability", 10, "dataset"),
    "accessRightsVocabularyAlignment": ("reusability", 5, "dataset"),
    "contactPointAvailability": ("reusability", 20, "dataset"),
    "publisherAvailability": ("reusability", 10, "dataset"),
    "rightsAvailability": ("contextuality", 5, "distribution"),
    "byteSizeAvailability": ("contextuality", 5, "distribution"),
    "dateIssuedAvailability": ("contextuality", 5, "both"),
    "dateModifiedAvailability": ("contextuality", 5, "both"),
}
MAX_SCORE = sum(points for _, points, _ in METRICS.values())
DIMENSION_MAX = {d: sum(p for dim, p, _ in METRICS.values() if dim == d) for d in DIMENSIONS}

BANDS = ("excellent", "good", "sufficient", "bad")


def band(score: Optional[float]) -> Optional[str]:
    """Excellent ≥ 351, Good ≥ 221, Sufficient ≥ 121 (``sufficient_threshold``:
    120 puts the boundary value in Sufficient, as piveau's scoring
    vocabulary does), else Bad."""
    if score is None:
        return None
    thresholds = (
        ("excellent", tk.config.get("ckanext.odassessment.excellent_threshold")),
        ("good", tk.config.get("ckanext.odassessment.good_threshold")),
        ("sufficient", tk.config.get("ckanext.odassessment.sufficient_threshold")),
    )
    for name, threshold in thresholds:
        if score >= int(threshold):
            return name
    return "bad"


def is_accessible(status: Optional[int]) -> bool:
    """Points for 2xx only (piveau and data.norge.no parity)."""
    return status is not None and 200 <= int(status) < 300


# ------------------------------------------------------------ measuring

def _value(data: Mapping[str, Any], key: str) -> Any:
    """A dict field, or an extra of that name (harvested values)."""
    if data.get(key) not in (None, "", [], {}):
        return data[key]
    for extra in data.get("extras") or []:
        if extra.get("key") == key and extra.get("value") not in (None, ""):
            return extra["value"]
    return None


def _declared(data: Mapping[str, Any], *keys: str) -> str:
    return DECLARED if any(_value(data, k) is not None for k in keys) else DEFAULTED


class _Recorder:
    """Builds the measurements of one subject (dataset or distribution)."""

    def __init__(self, strict: bool, resource_id: Optional[str] = None):
        self.strict = strict
        self.resource_id = resource_id
        self.items: list[Measurement] = []

    def add(self, metric: str, met: bool, value: Any = None, basis: str = DECLARED) -> None:
        dimension, points, _ = METRICS[metric]
        if not met:
            basis = ABSENT if basis in (DECLARED, DEFAULTED) else basis
        earned = points if met and not (self.strict and basis == DEFAULTED) else 0
        self.items.append(Measurement(metric, dimension, "mqa", earned, points, value, basis,
                                      True, self.resource_id))


def _objects(g: Graph, subject: Any, predicate: URIRef) -> list[Any]:
    return list(g.objects(subject, predicate))


def _status_value(urls: list[str], url_status: Mapping[str, Any]) -> tuple[bool, dict]:
    """Best status over a distribution's URLs (the max, as piveau)."""
    checks = []
    for url in urls:
        result = url_status.get(url)
        status = getattr(result, "status", None) if result is not None else None
        checks.append({"url": url, "status": status,
                       "error": getattr(result, "error", None) if result is not None else "not checked"})
    best = next((c for c in checks if is_accessible(c["status"])), checks[0] if checks else None)
    return bool(best and is_accessible(best["status"])), best or {}


def dataset_metrics(g: Graph, ref: Any, dataset: Mapping[str, Any], shacl: Optional[Mapping[str, Any]],
                    strict: bool) -> list[Measurement]:
    r = _Recorder(strict)
    keywords = _objects(g, ref, DCAT.keyword)
    r.add("keywordAvailability", bool(keywords), len(keywords))
    themes = _objects(g, ref, DCAT.theme)
    r.add("categoryAvailability", bool(themes), [str(t) for t in themes])
    spatial = _objects(g, ref, DCT.spatial)
    r.add("spatialAvailability", bool(spatial), [str(s) for s in spatial if isinstance(s, URIRef)])
    temporal = _objects(g, ref, DCT.temporal)
    r.add("temporalAvailability", bool(temporal), bool(temporal))
    if shacl is None:
        r.add("dcatApCompliance", False, {"checked": False}, SHACL)
    else:
        r.add("dcatApCompliance", bool(shacl.get("conforms")), dict(shacl), SHACL)
    rights = _objects(g, ref, DCT.accessRights)
    r.add("accessRightsAvailability", bool(rights), [str(x) for x in rights])
    r.add("accessRightsVocabularyAlignment",
          any(vocab.access_right_code(x) for x in rights), [str(x) for x in rights])
    contact = _objects(g, ref, DCAT.contactPoint)
    r.add("contactPointAvailability", bool(contact), bool(contact),
          _declared(dataset, "contact_uri", "contact_name", "contact_email", "contact"))
    publisher = _objects(g, ref, DCT.publisher)
    publisher_basis = DECLARED if _value(dataset, "publisher") or _value(dataset, "publisher_uri") \
        or _value(dataset, "publisher_name") else ORGANIZATION
    r.add("publisherAvailability", bool(publisher), [str(p) for p in publisher], publisher_basis)
    for metric, predicate, key in (("dateIssuedAvailability", DCT.issued, "issued"),
                                   ("dateModifiedAvailability", DCT.modified, "modified")):
        values = _objects(g, ref, predicate)
        r.add(metric, bool(values), str(values[0]) if values else None, _declared(dataset, key))
    return r.items


def distribution_metrics(g: Graph, ref: Any, resource: Mapping[str, Any], url_status: Mapping[str, Any],
                         strict: bool) -> list[Measurement]:
    r = _Recorder(strict, resource.get("id"))
    access = [str(u) for u in _objects(g, ref, DCAT.accessURL)]
    ok, best = _status_value(access, url_status)
    r.add("accessUrlStatusCode", ok, best or None, HTTP)
    download = [str(u) for u in _objects(g, ref, DCAT.downloadURL)]
    r.add("downloadUrlAvailability", bool(download), download)
    ok, best = _status_value(download, url_status)
    r.add("downloadUrlStatusCode", ok, best or None, HTTP)

    formats = [str(f) for f in _objects(g, ref, DCT["format"])]
    media = [str(m) for m in _objects(g, ref, DCAT.mediaType)]
    r.add("formatAvailability", bool(formats), formats)
    r.add("mediaTypeAvailability", bool(media), media)
    format_codes = [vocab.file_type_code(f) for f in formats]
    media_known = [vocab.media_type(m) for m in media]
    r.add("formatMediaTypeVocabularyAlignment",
          bool(formats and media and all(format_codes) and all(media_known)),
          {"format": format_codes, "media_type": media_known})
    codes = [vocab.format_code(f) for f in formats] + [vocab.media_type_code(m) for m in media]
    codes = [c for c in codes if c]
    r.add("formatMediaTypeNonProprietary", any(vocab.non_proprietary(c) for c in codes), codes)
    r.add("formatMediaTypeMachineInterpretable", any(vocab.machine_readable(c) for c in codes), codes)

    licences = [str(x) for x in _objects(g, ref, DCT.license)]
    licence_basis = DECLARED if resource.get("license") else INHERITED
    r.add("licenceAvailability", bool(licences), licences, licence_basis)
    known = [vocab.licence_entry(x) for x in licences]
    r.add("knownLicence", any(known), [k["id"] for k in known if k], licence_basis)
    r.add("rightsAvailability", bool(_objects(g, ref, DCT.rights)))
    size = _objects(g, ref, DCAT.byteSize)
    r.add("byteSizeAvailability", bool(size), str(size[0]) if size else None)
    for metric, predicate, key in (("dateIssuedAvailability", DCT.issued, "issued"),
                                   ("dateModifiedAvailability", DCT.modified, "modified")):
        values = _objects(g, ref, predicate)
        r.add(metric, bool(values), str(values[0]) if values else None, _declared(resource, key))
    return r.items


def measure(g: Graph, dataset_ref: Any, dataset: Mapping[str, Any],
            distribution_refs: Mapping[str, Any], url_status: Mapping[str, Any],
            shacl: Optional[Mapping[str, Any]], strict: bool = False) -> list[Measurement]:
    """Every MQA measurement of a dataset: its own, then each distribution's
    (``distribution_refs``: resource id -> distribution node)."""
    items = dataset_metrics(g, dataset_ref, dataset, shacl, strict)
    for resource in dataset.get("resources") or []:
        ref = distribution_refs.get(resource["id"])
        if ref is not None:
            items.extend(distribution_metrics(g, ref, resource, url_status, strict))
    return items


# ----------------------------------------------------------- aggregating

def aggregate(measurements: Iterable[Measurement]) -> dict[str, Any]:
    """The dataset's MQA score: for each distribution, its metrics merged
    with the dataset's (the higher points per metric); the best merged
    distribution wins (the first one on a tie); without distributions, the
    dataset's metrics alone."""
    items = [m for m in measurements if m.layer == "mqa"]
    own = {m.metric: m for m in items if m.resource_id is None}
    by_resource: dict[str, dict[str, Measurement]] = {}
    for m in items:
        if m.resource_id is not None:
            by_resource.setdefault(m.resource_id, {})[m.metric] = m
    candidates: list[tuple[Optional[str], dict[str, Measurement]]] = []
    for resource_id, metrics in by_resource.items():
        merged = dict(metrics)
        for metric, m in own.items():
            if metric not in merged or m.points > merged[metric].points:
                merged[metric] = m
        candidates.append((resource_id, merged))
    if not candidates:
        candidates = [(None, own)]
    best_id, best = max(candidates, key=lambda c: sum(m.points for m in c[1].values()))
    dimensions = {d: sum(m.points for m in best.values() if m.dimension == d) for d in DIMENSIONS}
    total = sum(dimensions.values())
    return {"total": total, "dimensions": dimensions, "best_distribution": best_id,
            "metrics": {metric: m.points for metric, m in best.items()}, "band": band(total)}

"""Exports of a run: CSV and JSON of the score tables, and W3C DQV (RDF)
of the measurements (``dqv:isMeasurementOf pv:<metric>`` for the MQA layer,
``odas:<metric>`` for the extended one)."""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from ckanext.dcat.utils import catalog_uri

from ckanext.odassessment import mqa

DQV = Namespace("http://www.w3.org/ns/dqv#")
PROV = Namespace("http://www.w3.org/ns/prov#")
PV = Namespace(mqa.PV)
ODAS = Namespace("https://w3id.org/odassessment/voc#")

COLUMNS = ("run_id", "entity_type", "entity_id", "name", "organization_id", "mqa", "mqa_band",
           "extended", "extended_band", "findability", "accessibility", "interoperability",
           "reusability", "contextuality", "stars", "timeliness", "days_late",
           "resources_checked", "resources_broken", "computed_at")


def flat(score: dict[str, Any]) -> dict[str, Any]:
    dims = (score.get("dimensions") or {}).get("mqa") or {}
    details = score.get("details") or {}
    row = {k: score.get(k) for k in ("run_id", "entity_type", "entity_id", "organization_id", "mqa",
                                     "mqa_band", "extended", "extended_band", "computed_at")}
    row.update({d: dims.get(d) for d in mqa.DIMENSIONS})
    row.update({"name": details.get("name"), "stars": details.get("stars"),
                "timeliness": details.get("timeliness"), "days_late": details.get("days_late"),
                "resources_checked": details.get("resources_checked"),
                "resources_broken": details.get("resources_broken")})
    return row


def to_csv(scores: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for score in scores:
        writer.writerow(flat(score))
    return out.getvalue()


def to_json(run: dict[str, Any], scores: list[dict[str, Any]]) -> str:
    return json.dumps({"run": run, "scores": scores}, ensure_ascii=False, indent=1, default=str)


def _metric_uri(layer: str, metric: str) -> URIRef:
    return PV[metric] if layer == "mqa" else ODAS[metric]


def to_dqv(run: dict[str, Any], scores: list[dict[str, Any]], measurements: Iterable[Any]) -> str:
    g = Graph()
    for prefix, ns in (("dqv", DQV), ("prov", PROV), ("pv", PV), ("odas", ODAS)):
        g.bind(prefix, ns)
    base = catalog_uri().rstrip("/")
    activity = URIRef(f"{base}/assessment/run/{run['id']}")
    g.add((activity, RDF.type, PROV.Activity))
    if run.get("started"):
        g.add((activity, PROV.startedAtTime, Literal(run["started"], datatype=XSD.dateTime)))
    if run.get("finished"):
        g.add((activity, PROV.endedAtTime, Literal(run["finished"], datatype=XSD.dateTime)))

    def add(subject: URIRef, metric: URIRef, value: Any, datatype: URIRef) -> None:
        node = BNode()
        g.add((subject, DQV.hasQualityMeasurement, node))
        g.add((node, RDF.type, DQV.QualityMeasurement))
        g.add((node, DQV.computedOn, subject))
        g.add((node, DQV.isMeasurementOf, metric))
        g.add((node, DQV.value, Literal(value, datatype=datatype)))
        g.add((node, PROV.wasGeneratedBy, activity))

    for score in scores:
        if score["entity_type"] != "dataset":
            continue
        subject = URIRef(f"{base}/dataset/{score['entity_id']}")
        add(subject, PV.scoring, int(score["mqa"] or 0), XSD.integer)
        for dim, value in ((score.get("dimensions") or {}).get("mqa") or {}).items():
            add(subject, PV[f"{dim}Scoring"], int(value), XSD.integer)
        if score.get("extended") is not None:
            add(subject, ODAS.extendedScore, float(score["extended"]), XSD.decimal)
    for m in measurements:
        subject = URIRef(f"{base}/dataset/{m.dataset_id}")
        if m.resource_id:
            subject = URIRef(f"{base}/dataset/{m.dataset_id}/resource/{m.resource_id}")
        if not m.applicable:
            continue
        add(subject, _metric_uri(m.layer, m.metric), _dqv_value(m), _dqv_type(m))
    return g.serialize(format="turtle")


def _dqv_value(m: Any) -> Any:
    if m.metric in ("accessUrlStatusCode", "downloadUrlStatusCode"):
        status = (m.value or {}).get("status") if isinstance(m.value, dict) else None
        return int(status) if status is not None else 0
    if m.layer == "extended":
        return float(m.points)
    return bool(m.points > 0 or m.basis == "defaulted" and m.value)


def _dqv_type(m: Any) -> URIRef:
    if m.metric in ("accessUrlStatusCode", "downloadUrlStatusCode"):
        return XSD.integer
    return XSD.decimal if m.layer == "extended" else XSD.boolean

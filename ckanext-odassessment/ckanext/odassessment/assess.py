"""Scoring one dataset: its DCAT graph as ckanext-dcat serialises it with
the portal's profiles, the MQA measurements, the SHACL report, the extended
measurements and the summary a dashboard needs. No database access: the
URL statuses and fetched-file checks are passed in."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Mapping, Optional

from rdflib import Graph
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import resource_uri

from ckanext.odassessment import extended, linkcheck, mqa, shacl, vocabularies as vocab
from ckanext.odassessment.measurement import Measurement


@dataclasses.dataclass
class ContentCheck:
    content_type: Optional[str]
    syntax_valid: Optional[bool]
    syntax_error: Optional[str]


@dataclasses.dataclass
class DatasetResult:
    dataset_id: str
    organization_id: Optional[str]
    private: bool
    measurements: list[Measurement]
    mqa: dict[str, Any]
    extended: dict[str, Any]
    details: dict[str, Any]


class GraphBuilder:
    """One serializer reused for many datasets (profiles loaded once)."""

    def __init__(self) -> None:
        self.serializer = RDFSerializer()

    def build(self, dataset: Mapping[str, Any]) -> tuple[Graph, Any, dict[str, Any]]:
        self.serializer.g = Graph(bind_namespaces="none")
        ref = self.serializer.graph_from_dataset(dict(dataset))
        g = self.serializer.g
        by_uri = {str(resource_uri(r)): r["id"] for r in dataset.get("resources") or []}
        distributions = {}
        for node in g.objects(ref, mqa.DCAT.distribution):
            if str(node) in by_uri:
                distributions[by_uri[str(node)]] = node
        return g, ref, distributions


def resource_urls(resource: Mapping[str, Any]) -> list[str]:
    """The URLs a distribution publishes (access, download, CKAN url)."""
    return [u for u in dict.fromkeys((resource.get("access_url"), resource.get("download_url"),
                                      resource.get("url"))) if u]


def content_url(dataset: Mapping[str, Any]) -> Optional[tuple[str, str]]:
    """(resource id, URL) of the file whose content a run checks: the first
    resource declared in a format the checks can parse."""
    for resource in dataset.get("resources") or []:
        code = vocab.format_code(resource.get("format") or resource.get("mimetype"))
        url = resource.get("download_url") or resource.get("url")
        if url and code in extended.PARSEABLE:
            return resource["id"], url
    return None


def content_checks(dataset: Mapping[str, Any], url_status: Mapping[str, Any]) -> dict[str, ContentCheck]:
    target = content_url(dataset)
    if not target:
        return {}
    resource_id, url = target
    result = url_status.get(url)
    if result is None or not getattr(result, "content", None):
        return {}
    resource = next(r for r in dataset["resources"] if r["id"] == resource_id)
    valid, error = linkcheck.syntax_of(result.content,
                                       vocab.format_code(resource.get("format") or resource.get("mimetype")))
    return {resource_id: ContentCheck(result.content_type, valid, error)}


_VALIDATE = object()


def assess(dataset: Mapping[str, Any], *, url_status: Optional[Mapping[str, Any]] = None,
           strict: bool = False, now: Optional[dt.datetime] = None,
           points: Optional[Mapping[str, float]] = None, with_shacl: bool = True,
           builder: Optional[GraphBuilder] = None, built: Optional[tuple] = None,
           report: Any = _VALIDATE) -> DatasetResult:
    """``built`` and ``report``: the graph and SHACL report when the caller
    made them already (:func:`assess_many`)."""
    url_status = url_status or {}
    now = now or dt.datetime.utcnow()
    g, ref, distributions = built or (builder or GraphBuilder()).build(dataset)
    if report is _VALIDATE:
        report = shacl.validate(g) if with_shacl else None
    items = mqa.measure(g, ref, dataset, distributions, url_status, report, strict)
    mqa_summary = mqa.aggregate(items)
    items += extended.measure(g, ref, dataset, url_status, content_checks(dataset, url_status), now, points)
    ext_summary = extended.aggregate(items, mqa_summary["total"])
    return DatasetResult(
        dataset_id=dataset["id"], organization_id=dataset.get("owner_org"),
        private=bool(dataset.get("private")), measurements=items, mqa=mqa_summary,
        extended=ext_summary, details=details(dataset, items, mqa_summary, url_status))


def assess_many(datasets: list[Mapping[str, Any]], *, builder: Optional[GraphBuilder] = None,
                **options: Any) -> list[DatasetResult]:
    """:func:`assess` of several datasets, their SHACL validation in one
    pyshacl call."""
    builder = builder or GraphBuilder()
    built = [builder.build(d) for d in datasets]
    reports = shacl.validate_many([b[0] for b in built]) if built else []
    return [assess(d, built=b, report=r, **options) for d, b, r in zip(datasets, built, reports)]


def details(dataset: Mapping[str, Any], items: list[Measurement], summary: Mapping[str, Any],
            url_status: Mapping[str, Any]) -> dict[str, Any]:
    """What organisation and portal dashboards need of a dataset."""
    by_metric: dict[str, list[Measurement]] = {}
    for m in items:
        by_metric.setdefault(m.metric, []).append(m)
    best = summary.get("best_distribution")

    def best_met(metric: str) -> bool:
        return any(m.met for m in by_metric.get(metric, []) if m.resource_id == best)

    checked = broken = 0
    for resource in dataset.get("resources") or []:
        statuses = [url_status[u] for u in resource_urls(resource) if url_status.get(u) is not None]
        if statuses:
            checked += 1
            broken += not any(mqa.is_accessible(s.status) for s in statuses)
    timeliness = next((m.value for m in by_metric.get("updateFulfilledInTime", [])), {}) or {}
    stars = next((m.value.get("stars") for m in by_metric.get("fiveStarRating", [])), 0)
    shacl_value = next((m.value for m in by_metric.get("dcatApCompliance", [])), {}) or {}
    title = dataset.get("title_translated") if isinstance(dataset.get("title_translated"), dict) else None
    return {
        "name": dataset.get("name"), "title": title or dataset.get("title"),
        "metadata_created": dataset.get("metadata_created"),
        "themes": list(dataset.get("theme") or []),
        "government_level": dataset.get("government_level"),
        "regions": list(dataset.get("spatial_region") or []),
        "stars": stars,
        "open_licence": any(m.met for m in by_metric.get("openLicence", [])),
        "resources": len(dataset.get("resources") or []),
        "resources_checked": checked, "resources_broken": broken,
        "accessible": best_met("accessUrlStatusCode") if checked else None,
        "machine_readable": best_met("formatMediaTypeMachineInterpretable"),
        "non_proprietary": best_met("formatMediaTypeNonProprietary"),
        "shacl_conforms": shacl_value.get("conforms"),
        "timeliness": timeliness.get("status"), "days_late": timeliness.get("days_late"),
        "due": timeliness.get("due"), "last_update": timeliness.get("last_update"),
        "frequency": timeliness.get("frequency"),
    }

"""DCAT-AP compliance (MQA metric 13, issue 7): pyshacl against the shapes
the plugin ships; failures named and kept per dataset."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS as DCT, RDF, XSD

from ckan.tests import factories, helpers

from ckanext.odassessment import assess, shacl
from tests.conftest import PORTAL_PLUGINS
from tests.odassessment import helpers as h

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DS = URIRef("http://portal.example/dataset/1")
DIST = URIRef("http://portal.example/dataset/1/resource/1")


def _graph(*triples):
    g = Graph()
    g.add((DS, RDF.type, DCAT.Dataset))
    for t in triples:
        g.add(t)
    return g


def _paths(report):
    return {r["path"].rsplit("/", 1)[-1].rsplit("#", 1)[-1] for r in report["results"]
            if r["severity"] == "Violation"}


def test_minimal_conformant_dataset():
    report = shacl.validate(_graph((DS, DCT.title, Literal("t", lang="fr")),
                                   (DS, DCT.description, Literal("d", lang="fr"))))
    assert report["conforms"] and report["violations"] == 0


def test_mandatory_properties_and_ranges():
    report = shacl.validate(_graph(
        (DS, DCAT.distribution, DIST), (DIST, RDF.type, DCAT.Distribution),
        (DIST, DCAT.byteSize, Literal(1, datatype=XSD.nonNegativeInteger)),
        (DIST, DCAT.byteSize, Literal(2, datatype=XSD.nonNegativeInteger)),
        (DS, DCT.issued, Literal("last spring")),
    ))
    assert not report["conforms"]
    assert {"title", "description", "accessURL", "byteSize", "issued"} <= _paths(report)
    messages = " ".join(r["message"] for r in report["results"])
    assert "must have a title" in messages and "access URL" in messages


def test_portal_datasets_conform_and_a_distribution_without_url_does_not():
    org = h.organization()
    good = assess.assess(h.complete_dataset(org))
    assert {m.metric: m for m in good.measurements}["dcatApCompliance"].points == 30
    dataset = h.complete_dataset(org, resources=[h.complete_resource(url="", download_url="")])
    result = assess.assess(dataset)
    compliance = {m.metric: m for m in result.measurements}["dcatApCompliance"]
    assert compliance.points == 0 and compliance.value["conforms"] is False
    assert "accessURL" in " ".join(r["path"] for r in compliance.value["results"])


def test_the_report_is_kept_with_the_dataset_results():
    dataset = h.complete_dataset(h.organization(), resources=[h.complete_resource(url="", download_url="")])
    helpers.call_action("odassessment_run_create", {"user": factories.Sysadmin()["name"]},
                        background=False, http=False)
    shown = helpers.call_action("odassessment_dataset_show", {}, id=dataset["id"])
    stored = next(m for m in shown["measurements"] if m["metric"] == "dcatApCompliance")
    assert stored["value"]["conforms"] is False and stored["value"]["violations"] >= 1
    assert stored["value"]["shapes"] == ["dcat-ap-3-core.ttl"]
    assert shown["details"]["shacl_conforms"] is False


def test_validating_many_graphs_at_once_gives_each_its_own_report():
    org = h.organization()
    datasets = [h.complete_dataset(org), h.bare_dataset(org),
                h.complete_dataset(org, resources=[h.complete_resource(url="", download_url="")]),
                h.complete_dataset(org, resources=[h.complete_resource(), h.complete_resource(url="")])]
    builder = assess.GraphBuilder()
    graphs = [builder.build(d)[0] for d in datasets]
    together = shacl.validate_many(graphs)
    separate = [shacl.validate(g) for g in graphs]
    assert [r["conforms"] for r in together] == [True, True, False, False]
    assert together == separate

"""MQA core (issue 7): the 23 metrics with their official points, computed
on the DCAT graph ckanext-dcat serialises with the portal's profiles;
expected points are worked out here from the rules of the research
(assessment.md §1.2-1.4), never read back from the code."""
from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS as DCT, FOAF, RDF, XSD

from ckanext.odassessment import assess, mqa
from tests.conftest import PORTAL_PLUGINS
from tests.odassessment import helpers as h

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

DCAT = Namespace("http://www.w3.org/ns/dcat#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"

#: The official points (research §1.2), typed in again on purpose.
POINTS = {
    "keywordAvailability": 30, "categoryAvailability": 30, "spatialAvailability": 20,
    "temporalAvailability": 20, "accessUrlStatusCode": 50, "downloadUrlAvailability": 20,
    "downloadUrlStatusCode": 30, "formatAvailability": 20, "mediaTypeAvailability": 10,
    "formatMediaTypeVocabularyAlignment": 10, "formatMediaTypeNonProprietary": 20,
    "formatMediaTypeMachineInterpretable": 20, "dcatApCompliance": 30,
    "licenceAvailability": 20, "knownLicence": 10, "accessRightsAvailability": 10,
    "accessRightsVocabularyAlignment": 5, "contactPointAvailability": 20,
    "publisherAvailability": 10, "rightsAvailability": 5, "byteSizeAvailability": 5,
    "dateIssuedAvailability": 5, "dateModifiedAvailability": 5,
}
DATES = ("dateIssuedAvailability", "dateModifiedAvailability")


def test_the_official_points_and_dimension_maxima():
    assert {m: p for m, (_, p, _) in mqa.METRICS.items()} == POINTS
    assert mqa.MAX_SCORE == 405
    assert mqa.DIMENSION_MAX == {"findability": 100, "accessibility": 100, "interoperability": 110,
                                 "reusability": 75, "contextuality": 20}


# ------------------------------------------------ hand-built graphs

DS = URIRef("http://portal.example/dataset/1")
DIST = URIRef("http://portal.example/dataset/1/resource/r1")
ACCESS = "http://files.example/a.csv"
DOWNLOAD = "http://files.example/d.csv"

#: the triples that meet each metric (on the dataset or on the distribution)
SINGLE = {
    "keywordAvailability": [(DS, DCAT.keyword, Literal("eau", lang="fr"))],
    "categoryAvailability": [(DS, DCAT.theme, URIRef(EU + "data-theme/AGRI"))],
    "spatialAvailability": [(DS, DCT.spatial, URIRef("http://sws.geonames.org/2464461/"))],
    "temporalAvailability": [(DS, DCT.temporal, BNode("t"))],
    "accessRightsAvailability": [(DS, DCT.accessRights, Literal("libre"))],
    "contactPointAvailability": [(DS, DCAT.contactPoint, BNode("c"))],
    "publisherAvailability": [(DS, DCT.publisher, URIRef("http://portal.example/org/1"))],
    "accessUrlStatusCode": [(DIST, DCAT.accessURL, URIRef(ACCESS))],
    "downloadUrlAvailability": [(DIST, DCAT.downloadURL, URIRef("http://files.example/none"))],
    "formatAvailability": [(DIST, DCT["format"], Literal("tableur"))],
    "mediaTypeAvailability": [(DIST, DCAT.mediaType, Literal("application/x-unknown"))],
    "licenceAvailability": [(DIST, DCT.license, URIRef("http://licences.example/own"))],
    "rightsAvailability": [(DIST, DCT.rights, BNode("r"))],
    "byteSizeAvailability": [(DIST, DCAT.byteSize, Literal(10, datatype=XSD.nonNegativeInteger))],
    "dateIssuedAvailability": [(DIST, DCT.issued, Literal("2024-01-01", datatype=XSD.date))],
    "dateModifiedAvailability": [(DIST, DCT.modified, Literal("2024-01-01", datatype=XSD.date))],
}


def _graph(triples, with_distribution=True):
    g = Graph()
    g.add((DS, RDF.type, DCAT.Dataset))
    if with_distribution:
        g.add((DS, DCAT.distribution, DIST))
        g.add((DIST, RDF.type, DCAT.Distribution))
    for t in triples:
        g.add(t)
    return g


def _score(g, url_status=None, shacl=None, strict=False, dataset=None):
    dataset = dataset or {"id": "1", "resources": [{"id": "r1"}]}
    items = mqa.measure(g, DS, dataset, {"r1": DIST} if dataset["resources"] else {},
                        url_status or {}, shacl, strict)
    return mqa.aggregate(items), items


def test_nothing_declared_scores_zero():
    summary, items = _score(_graph([]))
    assert summary["total"] == 0
    assert summary["band"] == "bad"
    assert {m.metric for m in items} == set(POINTS)


def test_a_dataset_without_distribution_scores_its_own_metrics():
    g = _graph(SINGLE["keywordAvailability"] + SINGLE["categoryAvailability"], with_distribution=False)
    summary, _ = _score(g, dataset={"id": "1", "resources": []})
    assert summary["total"] == 30 + 30
    assert summary["best_distribution"] is None


@pytest.mark.parametrize("metric", sorted(SINGLE))
def test_each_single_metric_earns_its_points(metric):
    url_status = {ACCESS: h.Status(200)} if metric == "accessUrlStatusCode" else {}
    summary, items = _score(_graph(SINGLE[metric]), url_status)
    assert summary["total"] == POINTS[metric]
    met = {m.metric for m in items if m.points > 0}
    assert met == {metric}


def test_download_url_status_needs_a_download_url_answering_2xx():
    g = _graph([(DIST, DCAT.downloadURL, URIRef(DOWNLOAD))])
    summary, _ = _score(g, {DOWNLOAD: h.Status(200)})
    assert summary["total"] == POINTS["downloadUrlAvailability"] + POINTS["downloadUrlStatusCode"]
    summary, _ = _score(g, {DOWNLOAD: h.Status(404)})
    assert summary["total"] == POINTS["downloadUrlAvailability"]


@pytest.mark.parametrize("status,points", [(200, 50), (204, 50), (299, 50), (301, 0), (404, 0),
                                           (500, 0), (None, 0)])
def test_access_url_points_for_2xx_only(status, points):
    summary, _ = _score(_graph(SINGLE["accessUrlStatusCode"]), {ACCESS: h.Status(status)})
    assert summary["total"] == points


def test_vocabulary_metrics_need_the_eu_and_iana_vocabularies():
    csv = [(DIST, DCT["format"], URIRef(EU + "file-type/CSV")),
           (DIST, DCAT.mediaType, URIRef(IANA + "text/csv"))]
    summary, _ = _score(_graph(csv))
    # format 20 + media type 10 + aligned 10 + non-proprietary 20 + machine-readable 20
    assert summary["total"] == 80
    pdf = [(DIST, DCT["format"], URIRef(EU + "file-type/PDF"))]
    summary, _ = _score(_graph(pdf))
    assert summary["total"] == 20  # format only: PDF is neither open nor machine-readable
    xls = [(DIST, DCT["format"], URIRef(EU + "file-type/XLS"))]
    summary, _ = _score(_graph(xls))
    assert summary["total"] == 20 + 20  # machine-readable, proprietary, no media type -> not aligned
    literal = [(DIST, DCT["format"], Literal("CSV")), (DIST, DCAT.mediaType, Literal("text/csv"))]
    summary, _ = _score(_graph(literal))
    # literals are not vocabulary URIs, but CSV is still open and machine-readable
    assert summary["total"] == 20 + 10 + 20 + 20


def test_licence_and_access_rights_vocabularies():
    g = _graph([(DIST, DCT.license, URIRef(EU + "licence/CC_BY_4_0")),
                (DS, DCT.accessRights, URIRef(EU + "access-right/PUBLIC"))])
    summary, _ = _score(g)
    assert summary["total"] == 20 + 10 + 10 + 5
    national = _graph([(DIST, DCT.license, URIRef("https://data.gov.tn/fr/licence/"))])
    assert _score(national)[0]["total"] == 20 + 10


def test_dcat_ap_compliance_from_the_shacl_report():
    assert _score(_graph([]), shacl={"conforms": True})[0]["total"] == 30
    assert _score(_graph([]), shacl={"conforms": False})[0]["total"] == 0


def test_best_distribution_plus_dataset_metrics_without_double_counted_dates():
    d2 = URIRef("http://portal.example/dataset/1/resource/r2")
    g = _graph(SINGLE["keywordAvailability"] + [
        (DS, DCT.issued, Literal("2024-01-01", datatype=XSD.date)),
        (DIST, DCT.issued, Literal("2024-01-01", datatype=XSD.date)),
        (DS, DCAT.distribution, d2), (d2, RDF.type, DCAT.Distribution),
        (d2, DCAT.byteSize, Literal(1)), (d2, DCT.rights, BNode("x")),
        (d2, DCT["format"], Literal("x")),
    ])
    dataset = {"id": "1", "resources": [{"id": "r1"}, {"id": "r2"}]}
    items = mqa.measure(g, DS, dataset, {"r1": DIST, "r2": d2}, {}, None, False)
    summary = mqa.aggregate(items)
    # r1: issued 5 (merged with the dataset's issued: once); r2: size 5 + rights 5 + format 20 + issued 5
    assert summary["best_distribution"] == "r2"
    assert summary["total"] == 30 + 5 + 5 + 20 + 5
    assert summary["dimensions"]["contextuality"] == 15


@pytest.mark.parametrize("score,band", [(405, "excellent"), (351, "excellent"), (350, "good"),
                                        (221, "good"), (220, "sufficient"), (121, "sufficient"),
                                        (120, "bad"), (0, "bad")])
def test_bands_at_their_boundaries(score, band):
    assert mqa.band(score) == band


@pytest.mark.ckan_config("ckanext.odassessment.sufficient_threshold", 120)
def test_the_120_boundary_is_configurable():
    assert mqa.band(120) == "sufficient"
    assert mqa.band(119) == "bad"


# ------------------------------------------- datasets of the portal

def test_a_complete_portal_dataset_scores_405():
    dataset = h.complete_dataset(h.organization())
    result = assess.assess(dataset, url_status=h.all_urls_answer(dataset, 200))
    failed = [m.metric for m in result.measurements if m.layer == "mqa" and m.points == 0
              and (m.resource_id is None or m.resource_id == result.mqa["best_distribution"])]
    assert failed == []
    assert result.mqa["total"] == 405
    assert result.mqa["band"] == "excellent"


def test_a_bare_portal_dataset_gets_only_what_ckan_fills_in():
    dataset = h.bare_dataset(h.organization())
    result = assess.assess(dataset)
    # publisher (the organisation) 10, dates defaulted from metadata_created/modified 5 + 5,
    # and the graph conforms to DCAT-AP (title, description, publisher with a name) 30
    assert result.mqa["total"] == 10 + 5 + 5 + 30
    basis = {m.metric: m.basis for m in result.measurements if m.layer == "mqa"}
    assert basis["dateIssuedAvailability"] == "defaulted"
    assert basis["publisherAvailability"] == "organization"
    strict = assess.assess(dataset, strict=True)
    assert strict.mqa["total"] == 10 + 30


def test_strict_mode_gives_no_points_for_defaults():
    dataset = h.complete_dataset(h.organization(), contact_name=None, contact_email=None,
                                 maintainer="Ali", maintainer_email="ali@agri.gov.tn")
    urls = h.all_urls_answer(dataset, 200)
    normal = assess.assess(dataset, url_status=urls)
    strict = assess.assess(dataset, url_status=urls, strict=True)
    assert normal.mqa["total"] == 405
    # contact from the maintainer (20) and the dates (created, metadata_modified: 5 + 5) are defaults
    assert strict.mqa["total"] == 405 - 20 - 5 - 5
    declared = h.complete_dataset(h.organization(), resources=[h.complete_resource(
        issued="2024-01-01", modified="2024-06-01")])
    strict = assess.assess(declared, url_status=h.all_urls_answer(declared, 200), strict=True)
    assert strict.mqa["total"] == 405


def test_uploaded_file_without_download_url_loses_the_download_metrics():
    dataset = h.complete_dataset(h.organization(), resources=[h.complete_resource(download_url="")])
    result = assess.assess(dataset, url_status=h.all_urls_answer(dataset, 200))
    assert result.mqa["total"] == 405 - 20 - 30
    assert result.mqa["dimensions"]["accessibility"] == 50


def test_broken_links_cost_the_status_points():
    dataset = h.complete_dataset(h.organization())
    result = assess.assess(dataset, url_status=h.all_urls_answer(dataset, 404))
    assert result.mqa["total"] == 405 - 50 - 30
    assert result.details["resources_broken"] == 1

"""Sources that fail: each job records a gather error, the consumers stay
alive and nothing already harvested is touched (§7.5 of the research)."""
from __future__ import annotations

import socket

import pytest

from ckan.tests import helpers

from tests.conftest import PORTAL_PLUGINS
from tests.opengov.harvest import catalogues
from tests.opengov.harvest.conftest import create_source, run_job, source_datasets

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.opengov.harvest.allowed_private_addresses", "127.0.0.1"),
    pytest.mark.ckan_config("ckanext.opengov.harvest.connect_timeout", "1"),
    pytest.mark.ckan_config("ckanext.opengov.harvest.read_timeout", "1"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

RECORDS = catalogues.distinct_records(4)


@pytest.fixture
def harvested(catalogue_server, consumers, sysadmin, organization):
    """A source harvested once (4 datasets), its catalogue then replaced."""
    consumers.start()
    url = catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(RECORDS))
    source = create_source(sysadmin, organization, url)
    first = run_job(source)
    assert first.stats["added"] == 4, first
    return source


def _move(source, url):
    """The source's address changed by its administrator."""
    from ckan import model
    from ckanext.harvest.model import HarvestSource
    HarvestSource.get(source["id"]).url = url
    model.Package.get(source["id"]).url = url
    model.Session.commit()


def _snapshot(source):
    return [(d.id, d.state, d.metadata_modified) for d in source_datasets(source)]


def _assert_refused(source, before, consumers, *expected):
    job = run_job(source)
    assert job.stats.get("added", 0) == job.stats.get("updated", 0) == job.stats.get("deleted", 0) == 0
    assert job.stats["errored"] >= 1
    assert len(job.gather_errors) == 1, job.gather_errors
    for text in expected:
        assert text in job.gather_errors[0]
    assert _snapshot(source) == before
    assert consumers.crashes == [] and sorted(consumers.alive()) == ["fetch", "gather"]
    return job.gather_errors[0]


NOT_UTF8 = catalogues.turtle_of(RECORDS[:1]).replace("é", "\xe9").encode("latin-1", "replace")
BAD_BODIES = [
    pytest.param(dict(status=404, body="Not found", content_type="text/html"), ("HTTP error 404",), id="404"),
    pytest.param(dict(status=500, body="<h1>boom</h1>", content_type="text/html"), ("HTTP error 500",), id="500"),
    pytest.param(dict(body="@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<a> a dcat:Dataset ;;; oops"),
                 ("could not be read as text/turtle",), id="malformed-turtle"),
    pytest.param(dict(body="<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><unclosed>",
                      content_type="application/rdf+xml"), ("could not be read as xml",), id="malformed-rdfxml"),
    pytest.param(dict(body='{"@graph": [ {"@id": "x", ', content_type="application/ld+json"),
                 ("could not be read as JSON-LD",), id="malformed-jsonld"),
    pytest.param(dict(body="<!doctype html><html><body>Maintenance</body></html>", content_type="text/html"),
                 ("HTML page instead of a DCAT catalogue",), id="html-error-page"),
    pytest.param(dict(body=NOT_UTF8, content_type="text/turtle"), ("not UTF-8",), id="non-utf8"),
    pytest.param(dict(body="a,b\n1,2\n", content_type="text/csv"), ("not an RDF format",), id="wrong-type"),
]


@pytest.mark.parametrize("answer, expected", BAD_BODIES)
def test_a_failing_source_is_a_gather_error_and_nothing_changes(
        answer, expected, harvested, catalogue_server, consumers):
    before = _snapshot(harvested)
    catalogue_server.serve("/catalog.ttl", **answer)

    _assert_refused(harvested, before, consumers, *expected)


def test_a_source_that_is_down(harvested, catalogue_server, consumers):
    before = _snapshot(harvested)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _move(harvested, f"http://127.0.0.1:{port}/catalog.ttl")

    _assert_refused(harvested, before, consumers, "Could not reach")


def test_a_hanging_source_times_out_and_other_sources_proceed(
        harvested, catalogue_server, consumers, sysadmin, organization):
    before = _snapshot(harvested)
    catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(RECORDS), hang=5)

    message = _assert_refused(harvested, before, consumers, "timed out")
    assert "stopped answering" in message

    other_url = catalogue_server.serve("/other.ttl", catalogues.turtle_of(catalogues.distinct_records(2, 40)))
    other = create_source(sysadmin, organization, other_url, name="autre-portail")
    assert run_job(other).stats["added"] == 2


def test_a_source_that_accepts_no_connection_hits_the_connect_timeout(harvested, consumers):
    before = _snapshot(harvested)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    fillers = []
    for _ in range(4):  # fill the accept queue: further connections hang in SYN
        f = socket.socket()
        f.setblocking(False)
        f.connect_ex(listener.getsockname())
        fillers.append(f)
    try:
        _move(harvested, f"http://127.0.0.1:{listener.getsockname()[1]}/catalog.ttl")
        message = _assert_refused(harvested, before, consumers)
        assert "timed out" in message or "stopped answering" in message
    finally:
        for f in fillers:
            f.close()
        listener.close()


def test_a_tls_error_is_a_gather_error(tls_server, consumers, sysadmin, organization):
    consumers.start()
    url = tls_server.serve("/catalog.ttl", catalogues.turtle_of(RECORDS))
    source = create_source(sysadmin, organization, url)

    job = run_job(source)

    assert job.stats.get("added", 0) == 0
    assert "secure (TLS) connection" in job.gather_errors[0]
    assert "CERTIFICATE_VERIFY_FAILED" in job.gather_errors[0]
    assert consumers.crashes == []


def test_an_empty_catalogue_withdraws_nothing_until_an_administrator_allows_it(
        harvested, catalogue_server, consumers, sysadmin):
    before = _snapshot(harvested)
    catalogue_server.serve("/catalog.ttl", catalogues.catalogue([]))

    message = _assert_refused(harvested, before, consumers, "lists no dataset")
    assert "4 datasets harvested before were kept" in message

    helpers.call_action("opengov_harvest_withdrawal_allow", {"user": sysadmin["name"]}, id=harvested["id"])
    job = run_job(harvested)

    assert job.stats["deleted"] == 4
    assert [d.state for d in source_datasets(harvested)] == ["deleted"] * 4
    # the override was for one job only
    catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(RECORDS))
    assert run_job(harvested).stats["updated"] == 4
    catalogue_server.serve("/catalog.ttl", catalogues.catalogue([]))
    assert "lists no dataset" in run_job(harvested).gather_errors[0]


def test_a_catalogue_that_shrinks_beyond_the_threshold_is_refused(harvested, catalogue_server, consumers):
    before = _snapshot(harvested)
    catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(RECORDS[:1]))

    _assert_refused(harvested, before, consumers, "shrank from 4 to 1 datasets (more than 50 percent gone)")

    # a smaller drop (1 of 4) is a normal withdrawal
    catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(RECORDS[:3]))
    job = run_job(harvested)
    assert job.stats["deleted"] == 1 and job.gather_errors == []


def _paged(server, pages: list[list[dict]], loop_to: int = None) -> str:
    """Catalogue pages /page1.ttl ... with hydra:next links."""
    for number, recs in enumerate(pages, start=1):
        nxt = number + 1 if number < len(pages) else loop_to
        server.serve(f"/page{number}.ttl", catalogues.catalogue(
            (catalogues.dataset_turtle(r) for r in recs),
            next_url=server.url(f"/page{nxt}.ttl") if nxt else None,
            this_url=server.url(f"/page{number}.ttl"), total=sum(map(len, pages))))
    return server.url("/page1.ttl")


def test_page_two_of_three_failing_imports_and_withdraws_nothing(
        catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    pages = [catalogues.distinct_records(2, 0), catalogues.distinct_records(2, 20),
             catalogues.distinct_records(2, 60)]
    url = _paged(catalogue_server, pages)
    source = create_source(sysadmin, organization, url)
    assert run_job(source).stats["added"] == 6
    before = _snapshot(source)
    catalogue_server.serve("/page2.ttl", status=500, body="error", content_type="text/plain")

    message = _assert_refused(source, before, consumers, "HTTP error 500", "Page 2 of the catalogue failed")
    assert "page3" not in "".join(catalogue_server.hits[-1:])
    from ckanext.harvest.model import HarvestObject
    assert HarvestObject.filter(state="WAITING").count() == 0, message


def test_a_pagination_loop_stops(catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    pages = [catalogues.distinct_records(1, 0), catalogues.distinct_records(1, 20)]
    url = _paged(catalogue_server, pages, loop_to=1)  # page 2 links back to page 1
    source = create_source(sysadmin, organization, url)

    job = run_job(source)

    assert job.stats.get("added", 0) == 0
    assert "loop back to" in job.gather_errors[0]
    assert catalogue_server.hits.count("/page1.ttl") == 1

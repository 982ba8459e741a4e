"""HTTP checks of access and download URLs (issue 7) against a real HTTP
server on 127.0.0.1: status codes, redirects, HEAD refused, timeouts,
private addresses refused unless allow-listed, the per-URL cache, and the
points a run gives."""
from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from ckanext.odassessment import linkcheck
from tests.conftest import PORTAL_PLUGINS
from tests.odassessment import helpers as h
from tests.odassessment.http_server import Handler, serving

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]
ALLOW = pytest.mark.ckan_config("ckanext.odassessment.http.allowed_hosts", "127.0.0.1")


@pytest.fixture
def server():
    with serving() as url:
        yield url


@ALLOW
@pytest.mark.parametrize("path,status", [("/ok", 200), ("/missing", 404), ("/error", 500),
                                         ("/moved", 200), ("/moved-to-missing", 404)])
def test_status_codes_after_redirects(server, path, status):
    result = linkcheck.check_url(server + path)
    assert result.status == status and result.error is None
    if path.startswith("/moved"):
        assert result.final_url and result.final_url != server + path


@ALLOW
def test_head_refused_falls_back_to_get(server):
    result = linkcheck.check_url(server + "/no-head")
    assert result.status == 200 and result.method == "GET"
    assert ("HEAD", "/no-head") in Handler.hits and ("GET", "/no-head") in Handler.hits


@ALLOW
@pytest.mark.ckan_config("ckanext.odassessment.http.timeout", 0.3)
def test_timeout_gives_no_status(server):
    result = linkcheck.check_url(server + "/slow")
    assert result.status is None and result.error == "timeout"


@ALLOW
def test_redirect_loops_and_redirects_to_private_addresses_stop(server):
    assert linkcheck.check_url(server + "/loop").error == "too many redirects"
    result = linkcheck.check_url(server + "/to-private")
    assert result.status is None and "private address refused" in result.error


def test_private_addresses_are_refused_unless_allow_listed(server):
    result = linkcheck.check_url(server + "/ok")
    assert result.status is None and "private address refused" in result.error
    assert Handler.hits == []
    for url in ("http://10.0.0.1/x", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data",
                "http://[::1]/", "ftp://example.org/file", "file:///etc/passwd"):
        assert linkcheck.check_url(url).status is None


@pytest.mark.ckan_config("ckanext.odassessment.http.allowed_hosts", "127.0.0.0/8")
def test_allow_list_takes_networks(server):
    assert linkcheck.check_url(server + "/ok").status == 200


@ALLOW
@pytest.mark.ckan_config("ckanext.odassessment.http.concurrency", 4)
def test_many_urls_each_checked_once(server):
    urls = [f"{server}/ok?n={i}" for i in range(20)] + [f"{server}/ok?n=0"]
    results = linkcheck.check_urls(urls)
    assert len(results) == 20 and all(r.status == 200 for r in results.values())
    assert len(Handler.hits) == 20


@ALLOW
def test_content_is_parsed_in_its_declared_format(server):
    results = linkcheck.check_urls([], [server + p for p in ("/data.csv", "/ragged.csv", "/data.json",
                                                              "/broken.json")])
    def syntax(path, code):
        return linkcheck.syntax_of(results[server + path].content, code)[0]
    assert syntax("/data.csv", "CSV") is True
    assert syntax("/ragged.csv", "CSV") is False
    assert syntax("/data.json", "JSON") is True
    assert syntax("/broken.json", "JSON") is False
    assert syntax("/data.csv", "PDF") is None        # not a format the checks parse


def _run(**data):
    return helpers.call_action("odassessment_run_create", {"user": factories.Sysadmin()["name"]},
                               background=False, **data)


@ALLOW
def test_a_run_checks_urls_scores_them_and_caches_them(server):
    org = h.organization()
    ok = h.complete_dataset(org, resources=[h.complete_resource(url=server + "/ok",
                                                                download_url=server + "/data.csv")])
    broken = h.complete_dataset(org, resources=[h.complete_resource(url=server + "/error",
                                                                    download_url=server + "/missing")])
    _run()
    good = helpers.call_action("odassessment_dataset_show", {}, id=ok["id"])
    assert good["mqa"] == 405
    statuses = {m["metric"]: m["value"]["status"] for m in good["measurements"]
                if m["metric"].endswith("StatusCode")}
    assert statuses == {"accessUrlStatusCode": 200, "downloadUrlStatusCode": 200}
    ext = {m["metric"]: m for m in good["measurements"] if m["layer"] == "extended"}
    assert ext["syntaxValid"]["points"] == 15 and ext["formatMatch"]["points"] == 15
    bad = helpers.call_action("odassessment_dataset_show", {}, id=broken["id"])
    assert bad["mqa"] == 405 - 50 - 30
    assert bad["details"]["resources_broken"] == 1
    stars = {m["metric"]: m for m in bad["measurements"]}["fiveStarRating"]
    assert stars["value"]["stars"] == 0           # a broken link gets no star
    card = helpers.call_action("odassessment_organization_show", {}, id=org["id"])
    assert card["links"]["broken_resources"] == 0.5 and card["links"]["broken_datasets"] == 0.5

    hits = len(Handler.hits)
    _run()                                   # within http.cache_days: nothing is requested again
    assert len(Handler.hits) == hits
    assert helpers.call_action("odassessment_dataset_show", {}, id=ok["id"])["mqa"] == 405


@ALLOW
@pytest.mark.ckan_config("ckanext.odassessment.http.cache_days", 0)
def test_expired_checks_are_done_again(server):
    h.complete_dataset(h.organization(), resources=[h.complete_resource(url=server + "/ok",
                                                                        download_url=server + "/ok")])
    _run()
    hits = len(Handler.hits)
    _run()
    assert len(Handler.hits) > hits


@ALLOW
def test_a_file_served_as_something_else_fails_format_match(server):
    dataset = h.complete_dataset(h.organization(), resources=[h.complete_resource(
        url=server + "/ok", download_url=server + "/served-as-html.csv")])
    _run()
    ext = {m["metric"]: m for m in helpers.call_action("odassessment_dataset_show", {}, id=dataset["id"])
           ["measurements"] if m["layer"] == "extended"}
    assert ext["formatMatch"]["points"] == 0 and ext["formatMatch"]["applicable"]
    assert ext["syntaxValid"]["points"] == 0

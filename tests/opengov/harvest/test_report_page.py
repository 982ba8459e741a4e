"""The harvest operator page (/harvest-report): last job, counts, next run
and errors in the UI language, for the sources the user administers."""
from __future__ import annotations

import pytest

from ckan.tests import factories

from tests.conftest import PORTAL_PLUGINS
from tests.opengov.harvest import catalogues
from tests.opengov.harvest.conftest import create_source, run_job

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.opengov.harvest.allowed_private_addresses", "127.0.0.1"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _headers(user: dict) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


@pytest.fixture
def failed_source(catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    url = catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(catalogues.distinct_records(2)))
    source = create_source(sysadmin, organization, url, sector="agriculture")
    run_job(source)
    catalogue_server.serve("/catalog.ttl", status=500, body="boom", content_type="text/plain")
    run_job(source)
    return source


@pytest.mark.parametrize("lang, heading, error", [
    ("fr", "Rapport de moissonnage", "a répondu par l&#39;erreur HTTP 500"),
    ("ar", "تقرير الحصاد", "أجاب المصدر"),
    ("en", "Harvest report", "answered with HTTP error 500"),
])
def test_the_report_shows_the_last_job_and_its_errors_in_the_ui_language(
        app, failed_source, sysadmin, lang, heading, error):
    page = app.get(f"/{lang}/harvest-report", headers=_headers(sysadmin))

    assert page.status_code == 200
    body = page.body
    assert heading in body
    assert error in body
    assert failed_source["title"] in body
    assert "<td>0</td><td>0</td>\n                    <td>0</td><td>0</td>\n                    <td>1</td>" in body
    if lang == "ar":
        assert 'dir="rtl"' in body


def test_the_report_needs_a_login_and_shows_only_administered_sources(app, failed_source):
    assert app.get("/harvest-report").status_code == 403
    outsider = factories.User()
    page = app.get("/en/harvest-report", headers=_headers(outsider))
    assert page.status_code == 200
    assert "No harvest source you administer." in page.body
    assert failed_source["title"] not in page.body


def test_the_harvest_sources_page_links_to_the_report(app, sysadmin):
    page = app.get("/en/harvest/", headers=_headers(sysadmin))
    assert 'href="/en/harvest-report"' in page.body or 'href="/harvest-report"' in page.body

"""CKAN-to-CKAN harvesting of a sectoral CKAN portal (a stock CKAN 2.9
serving real records of Tunisia's catalogue) into the national schema,
with datasets removed upstream withdrawn."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from ckan import model
from ckan.tests import helpers

from tests.conftest import PORTAL_PLUGINS
from tests.opengov.harvest import catalogues
from tests.opengov.harvest.conftest import create_source, run_job, source_datasets

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.opengov.harvest.allowed_private_addresses", "127.0.0.1"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


class RemoteCKAN:
    """``/api/3/action/package_search`` of a remote CKAN, paged."""

    def __init__(self, server, packages):
        self.packages = packages
        server.serve("/api/3/action/package_search", self.answer, content_type="application/json")
        self.url = server.base

    def answer(self, path: str) -> str:
        query = parse_qs(urlparse(path).query)
        start, rows = int(query.get("start", ["0"])[0]), int(query.get("rows", ["10"])[0])
        return catalogues.ckan_search_answer(self.packages, start, rows)


@pytest.fixture
def remote(catalogue_server):
    records = catalogues.distinct_records(4)
    return RemoteCKAN(catalogue_server, [catalogues.ckan_package(r, i) for i, r in enumerate(records)])


def test_a_ckan_portal_is_harvested_into_the_national_schema(remote, consumers, sysadmin, organization):
    consumers.start()
    source = create_source(sysadmin, organization, remote.url, source_type="ckan", sector="agriculture")

    job = run_job(source)

    assert job.gather_errors == [] and job.object_errors == [], job
    assert job.stats["added"] == 4
    first = remote.packages[0]
    [dataset] = [d for d in source_datasets(source) if d.title == first["title"]]
    shown = helpers.call_action("package_show", id=dataset.id)
    assert shown["id"] != first["id"]  # local ids: two portals' ids never collide
    assert shown["guid"] == first["id"]
    assert shown["title_translated"] == {"fr": first["title"]}
    assert shown["tags_translated"]["ar"] == sorted(t["name"] for t in first["tags"] if t["name"] >= "\u0600") \
        or set(shown["tags_translated"]["ar"]) == {t["name"] for t in first["tags"] if t["name"] >= "\u0600"}
    assert shown["theme"] == ["agriculture"]
    assert shown["owner_org"] == organization["id"]
    assert shown["source_url"] == f"{remote.url}/dataset/{first['name']}"
    assert len(shown["resources"]) == len(first["resources"])

    again = run_job(source)
    assert again.stats["not modified"] == 4


def test_a_dataset_removed_upstream_is_withdrawn_and_comes_back(remote, consumers, sysadmin, organization):
    consumers.start()
    source = create_source(sysadmin, organization, remote.url, source_type="ckan")
    run_job(source)
    removed = remote.packages.pop()
    local = next(d for d in source_datasets(source) if d.title == removed["title"])

    job = run_job(source)

    assert job.stats["deleted"] == 1
    model.Session.remove()
    assert model.Package.get(local.id).state == "deleted"

    remote.packages.append(removed)
    assert run_job(source).stats["updated"] == 1
    model.Session.remove()
    assert model.Package.get(local.id).state == "active"


def test_a_remote_that_empties_withdraws_nothing(remote, consumers, sysadmin, organization):
    consumers.start()
    source = create_source(sysadmin, organization, remote.url, source_type="ckan")
    run_job(source)
    remote.packages.clear()

    job = run_job(source)

    assert "lists no dataset" in job.gather_errors[0]
    assert [d.state for d in source_datasets(source)] == ["active"] * 4


def test_a_ckan_error_page_is_a_gather_error(catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    catalogue_server.serve("/api/3/action/package_search", "<html>502 Bad Gateway</html>",
                           status=502, content_type="text/html")
    source = create_source(sysadmin, organization, catalogue_server.base, source_type="ckan")

    job = run_job(source)

    assert "HTTP error 502" in job.gather_errors[0]
    assert consumers.crashes == []

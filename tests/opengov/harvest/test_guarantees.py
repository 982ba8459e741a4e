"""The harvest guarantees of issue 4 that concern data: what is created,
updated, withdrawn, reactivated or left alone, through real queues and
consumers and a real HTTP catalogue on 127.0.0.1."""
from __future__ import annotations

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


def _activities(package_id: str) -> int:
    return len(helpers.call_action("package_activity_list", id=package_id, limit=100))


def test_first_harvest_creates_every_dataset_then_a_reharvest_rewrites_nothing(
        catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    records = catalogues.distinct_records(5)
    url = catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(records))
    source = create_source(sysadmin, organization, url)

    first = run_job(source)

    assert first.gather_errors == [] and first.object_errors == []
    assert first.stats["added"] == 5
    datasets = source_datasets(source, "active")
    assert len(datasets) == 5
    shown = helpers.call_action("package_show", id=datasets[0].id)
    assert shown["owner_org"] == organization["id"]
    assert shown["guid"].startswith(catalogues.BASE)
    before = {d.id: (d.metadata_modified, _activities(d.id)) for d in datasets}

    second = run_job(source)

    assert second.gather_errors == [] and second.object_errors == []
    assert second.stats.get("not modified") == 5
    assert second.stats.get("updated", 0) == 0 and second.stats.get("added", 0) == 0
    model.Session.remove()
    after = {d.id: (model.Package.get(d.id).metadata_modified, _activities(d.id)) for d in datasets}
    assert after == before
    assert consumers.crashes == []

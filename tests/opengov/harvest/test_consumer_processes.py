"""The real ``ckan harvester gather-consumer`` and ``fetch-consumer``
processes survive what kills stock ones (malformed JSON-LD and a non-UTF-8
body raised out of ckanext-dcat's gather stage) and go on harvesting."""
from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import PORTAL_PLUGINS, ROOT, _service_settings
from tests.opengov.harvest import catalogues
from tests.opengov.harvest.conftest import create_source, run_job, source_datasets

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.opengov.harvest.allowed_private_addresses", "127.0.0.1"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "harvest_queues"),
]


@pytest.fixture
def consumer_processes(tmp_path):
    ini = tmp_path / "consumers.ini"
    ini.write_text("[app:main]\n"
                   f"use = config:{ROOT}/test.ini\n"
                   f"ckan.plugins = {PORTAL_PLUGINS}\n"
                   "ckanext.opengov.harvest.allowed_private_addresses = 127.0.0.1\n"
                   + _service_settings())
    ckan = os.path.join(ROOT, ".venv", "bin", "ckan")
    logs = [open(tmp_path / f"{kind}.log", "w") for kind in ("gather", "fetch")]
    processes = [subprocess.Popen([ckan, "-c", str(ini), "harvester", f"{kind}-consumer"],
                                  stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
                 for kind, log in zip(("gather", "fetch"), logs)]
    yield processes
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    for log in logs:
        log.close()


def test_consumer_processes_stay_alive_after_malformed_sources(
        consumer_processes, catalogue_server, sysadmin, organization):
    bad_jsonld = catalogue_server.serve("/bad.jsonld", '{"@graph": [ {"@id": ',
                                        content_type="application/ld+json")
    not_utf8 = catalogue_server.serve("/latin1.ttl", catalogues.turtle_of(catalogues.distinct_records(1))
                                      .encode("utf-8").replace("é".encode(), b"\xe9"),
                                      content_type="text/turtle")
    good = catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(catalogues.distinct_records(3)))

    for name, url, expected in (("json-ld", bad_jsonld, "could not be read as JSON-LD"),
                                ("latin1", not_utf8, "not UTF-8")):
        job = run_job(create_source(sysadmin, organization, url, name=name), timeout=180)
        assert expected in job.gather_errors[0]
        assert [p.poll() for p in consumer_processes] == [None, None]

    source = create_source(sysadmin, organization, good, name="good")
    assert run_job(source, timeout=180).stats["added"] == 3
    assert len(source_datasets(source, "active")) == 3
    assert [p.poll() for p in consumer_processes] == [None, None]


def test_consumer_connections_have_no_read_timeout(harvest_queues):
    """redis-py 8 gives connections a 5 s socket timeout: a stock consumer's
    BLPOP then fails after about a minute without work (timeouts and
    retries) and the consumer process exits. The portal's queue connections
    wait without a read timeout."""
    from ckanext.harvest import queue
    for consumer in (queue.get_gather_consumer(), queue.get_fetch_consumer()):
        assert consumer.redis.connection_pool.connection_kwargs["socket_timeout"] is None

"""The portal as `make run` starts it (scripts/portal start): a real CKAN
server process with every plugin and the harvest consumers, answering HTTP."""
from __future__ import annotations

import os
import socket
import subprocess

import pytest
import requests

from ckan.tests import factories

from tests.conftest import PORTAL_PLUGINS, ROOT

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def portal(tmp_path):
    """Start the portal with the test database and Solr core on a free port."""
    port = _free_port()
    ini = tmp_path / "portal.ini"
    ini.write_text(
        "[app:main]\n"
        f"use = config:{ROOT}/test.ini\n"
        f"ckan.plugins = {PORTAL_PLUGINS}\n"
        f"ckan.site_url = http://127.0.0.1:{port}\n"
    )
    env = dict(os.environ, CKAN_INI=str(ini), PORTAL_PORT=str(port),
               PORTAL_RUN=str(tmp_path / "run"), PORTAL_LOGS=str(tmp_path / "logs"))
    script = os.path.join(ROOT, "scripts", "portal")
    started = subprocess.run([script, "start"], env=env, capture_output=True, text=True, timeout=180)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield {"url": f"http://127.0.0.1:{port}", "banner": started.stdout, "env": env}
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=60)


def test_portal_serves_dataset_search_with_the_new_dataset(portal):
    org = factories.Organization(title="Commune de Sfax")
    factories.Dataset(title="Marchés municipaux de Sfax", owner_org=org["id"])

    page = requests.get(portal["url"] + "/dataset/", timeout=30)
    assert page.status_code == 200
    assert "Marchés municipaux de Sfax" in page.text

    api = requests.get(portal["url"] + "/api/action/status_show", timeout=30).json()
    assert api["result"]["extensions"] == PORTAL_PLUGINS.split()


def test_portal_arabic_pages_are_right_to_left(portal):
    page = requests.get(portal["url"] + "/ar/dataset/", timeout=30)
    assert page.status_code == 200
    assert 'dir="rtl"' in page.text
    assert 'lang="ar"' in page.text


def test_start_prints_urls_and_runs_the_harvest_consumers(portal):
    assert portal["url"] + "/dataset/" in portal["banner"]
    assert "Admin login:" in portal["banner"]
    status = subprocess.run([os.path.join(ROOT, "scripts", "portal"), "status"],
                            env=portal["env"], capture_output=True, text=True)
    assert status.returncode == 0
    assert [line.split(":")[0] for line in status.stdout.splitlines()] == ["web", "gather", "fetch"]

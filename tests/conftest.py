"""Shared fixtures. Every test runs against the real services started by
``scripts/services up``: PostgreSQL (database ckan_test), Redis (db 1) and
Solr (core ckan_test)."""
from __future__ import annotations

import configparser
import contextlib
import os
import socket
import subprocess
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

import pytest

import ckan.plugins as plugins

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _deployed_plugins() -> str:
    """The plugin list the portal runs with (config/development.ini)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(os.path.join(ROOT, "config", "development.ini"))
    return " ".join(parser["app:main"]["ckan.plugins"].split())


#: Every plugin of a deployed portal, in the deployed order.
PORTAL_PLUGINS = _deployed_plugins()

#: Plugins that own tables, migrated by clean_db when they are loaded.
PLUGINS_WITH_TABLES = ("activity", "harvest", "reuse", "odassessment")


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the migrations of every loaded plugin with tables.

    List ``with_plugins`` before ``clean_db`` so the plugins are loaded."""
    reset_db()
    for plugin in PLUGINS_WITH_TABLES:
        if plugins.plugin_loaded(plugin):
            migrate_db_for(plugin)


#: Settings a test run may point at its own services (CKAN reads these
#: variables itself); written into a started portal's ini too.
SERVICE_ENV = {
    "sqlalchemy.url": "CKAN_SQLALCHEMY_URL",
    "solr_url": "CKAN_SOLR_URL",
    "ckan.redis.url": "CKAN_REDIS_URL",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _service_settings() -> str:
    """ini lines for the services named in the environment, the harvest queue
    on the same Redis database as ``CKAN_REDIS_URL``."""
    lines = [f"{key} = {os.environ[var]}" for key, var in SERVICE_ENV.items() if os.environ.get(var)]
    redis_url = os.environ.get("CKAN_REDIS_URL")
    if redis_url and urlparse(redis_url).path.strip("/").isdigit():
        lines.append(f"ckan.harvest.mq.redis_db = {urlparse(redis_url).path.strip('/')}")
    return "".join(line + "\n" for line in lines)


@contextlib.contextmanager
def running_portal(workdir: Path, plugins: str = PORTAL_PLUGINS) -> Iterator[dict]:
    """A real CKAN server process started by ``scripts/portal start`` with
    test.ini, ``plugins``, and the test run's database, Solr core and Redis."""
    port = _free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    ini = workdir / "portal.ini"
    ini.write_text(
        "[app:main]\n"
        f"use = config:{ROOT}/test.ini\n"
        f"ckan.plugins = {plugins}\n"
        f"ckan.site_url = http://127.0.0.1:{port}\n"
        + _service_settings()
    )
    env = dict(os.environ, CKAN_INI=str(ini), PORTAL_PORT=str(port),
               PORTAL_RUN=str(workdir / "run"), PORTAL_LOGS=str(workdir / "logs"))
    script = os.path.join(ROOT, "scripts", "portal")
    started = subprocess.run([script, "start"], env=env, capture_output=True, text=True, timeout=180)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield {"url": f"http://127.0.0.1:{port}", "banner": started.stdout, "env": env,
               "logs": workdir / "logs"}
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=60)


@pytest.fixture
def portal(tmp_path):
    """The portal (every plugin) on a free port, on the test database and Solr core."""
    with running_portal(tmp_path / "portal") as started:
        yield started

"""Shared fixtures. Every test runs against the real services started by
``scripts/services up``: PostgreSQL (database ckan_test), Redis (db 1) and
Solr (core ckan_test)."""
from __future__ import annotations

import configparser
import os

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
PLUGINS_WITH_TABLES = ("activity", "harvest")


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the migrations of every loaded plugin with tables.

    List ``with_plugins`` before ``clean_db`` so the plugins are loaded."""
    reset_db()
    for plugin in PLUGINS_WITH_TABLES:
        if plugins.plugin_loaded(plugin):
            migrate_db_for(plugin)

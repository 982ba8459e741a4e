"""The real stack: CKAN 2.12 with every bundle plugin on PostgreSQL, Solr and Redis."""
from __future__ import annotations

import json

import pytest
import redis
import requests

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.conftest import PORTAL_PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_status_show_lists_every_plugin_of_the_portal():
    status = helpers.call_action("status_show")
    assert status["ckan_version"] == "2.12.0"
    assert status["extensions"] == PORTAL_PLUGINS.split()
    for bundle_plugin in ("opengov", "reuse", "odassessment"):
        assert bundle_plugin in status["extensions"]


def _solr_docs(query: str) -> list[dict]:
    """Ask the Solr core itself, over HTTP, not through CKAN."""
    response = requests.get(
        tk.config["solr_url"] + "/select",
        params={"q": query, "wt": "json", "fl": "name,title,organization"},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["response"]["docs"]


def test_created_dataset_is_indexed_in_solr_and_found_by_search():
    org = factories.Organization(name="ministere-sante", title="Ministère de la Santé")
    factories.Dataset(
        name="etablissements-de-sante",
        title_translated={"ar": "المؤسسات الصحية العمومية", "fr": "Établissements de santé publics"},
        notes_translated={"ar": "قائمة المستشفيات العمومية", "fr": "Liste des hôpitaux publics"},
        owner_org=org["id"],
        tags=[{"name": "santé"}, {"name": "مستشفيات"}],
        personal_data_declaration="no_personal_data",
    )
    factories.Dataset(owner_org=org["id"], **_required("Lignes de bus"))

    docs = _solr_docs("name:etablissements-de-sante")
    assert [d["organization"] for d in docs] == ["ministere-sante"]

    for query in ("hôpitaux", "المستشفيات", "tags:مستشفيات"):
        result = helpers.call_action("package_search", q=query)
        assert [d["name"] for d in result["results"]] == ["etablissements-de-sante"], query

    by_org = helpers.call_action("package_search", fq="organization:ministere-sante")
    assert by_org["count"] == 2


def _required(title_fr: str) -> dict:
    """The fields the portal's dataset schema requires."""
    return {"title_translated": {"ar": "عنوان", "fr": title_fr},
            "notes_translated": {"ar": "وصف", "fr": f"Description de {title_fr}"},
            "personal_data_declaration": "no_personal_data"}


def test_deleted_dataset_leaves_the_index():
    dataset = factories.Dataset(owner_org=factories.Organization()["id"], **_required("Budget communal"))
    assert len(_solr_docs(f"id:{dataset['id']}")) == 1
    helpers.call_action("package_delete", {"user": factories.Sysadmin()["name"]}, id=dataset["id"])
    assert helpers.call_action("package_search", q="Budget")["count"] == 0


def test_harvest_job_reaches_the_redis_gather_queue(clean_queues):
    source = helpers.call_action(
        "harvest_source_create",
        {"user": factories.Sysadmin()["name"]},
        name="portail-agriculture",
        title="Portail de l'agriculture",
        url="http://127.0.0.1:8999/catalog.ttl",
        source_type="dcat_rdf",
        owner_org=factories.Organization()["id"],
    )
    job = helpers.call_action("harvest_job_create", source_id=source["id"], run=True)

    queue = redis.Redis.from_url(tk.config["ckan.redis.url"])
    key = "ckanext-harvest:{}:harvest_job_id".format(tk.config["ckan.site_id"])
    messages = [json.loads(m) for m in queue.lrange(key, 0, -1)]
    assert {"harvest_job_id": job["id"]} in messages
    assert helpers.call_action("harvest_job_show", id=job["id"])["status"] == "Running"

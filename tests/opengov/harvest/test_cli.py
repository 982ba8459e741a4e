"""``ckan opengov harvest-register``, ``harvest-report`` and
``harvest-allow-withdrawal``."""
from __future__ import annotations

import json
import os

import pytest
import yaml

from ckan.cli.cli import ckan
from ckan.tests import helpers

from tests.conftest import PORTAL_PLUGINS, ROOT
from tests.opengov.harvest import catalogues
from tests.opengov.harvest.conftest import create_source, run_job

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.opengov.harvest.allowed_private_addresses", "127.0.0.1"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_extended_cli"),
]

EXAMPLE = os.path.join(ROOT, "config", "sectoral_portals.example.yaml")


@pytest.fixture
def ministries(sysadmin, organization):  # organization: ministere-agriculture
    for name in ("ministere-culture", "ministere-industrie"):
        helpers.call_action("organization_create", {"user": sysadmin["name"]}, name=name,
                            title_translated={"ar": "وزارة", "fr": name})


@pytest.mark.usefixtures("ministries")
def test_register_the_example_file_twice_is_idempotent(cli, tmp_path):
    first = cli.invoke(ckan, ["opengov", "harvest-register", EXAMPLE])
    assert first.exit_code == 0, first.output
    assert "3 created, 0 updated, 0 unchanged, 0 error" in first.output
    source = helpers.call_action("harvest_source_show", id="culture-catalogue")
    assert source["source_type"] == "dcat_rdf" and source["frequency"] == "WEEKLY"
    assert json.loads(source["config"])["sector"] == "culture"
    # no English title: the fallback order (ar fr en) picks Arabic
    assert source["title"] == "بوابة بيانات الثقافة"

    again = cli.invoke(ckan, ["opengov", "harvest-register", EXAMPLE])
    assert "0 created, 0 updated, 3 unchanged" in again.output

    data = yaml.safe_load(open(EXAMPLE, encoding="utf-8"))
    data["sources"][1]["frequency"] = "WEEKLY"
    data["sources"][2]["sector"] = "pas-un-theme"
    changed = tmp_path / "portals.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli.invoke(ckan, ["opengov", "harvest-register", str(changed)])
    assert result.exit_code == 1
    assert "updated   agridata" in result.output
    assert "error     energie-mines  sector: unknown theme 'pas-un-theme'" in result.output
    assert helpers.call_action("harvest_source_show", id="agridata")["frequency"] == "WEEKLY"


def test_register_refuses_a_file_without_sources(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("portals: []\n")
    result = cli.invoke(ckan, ["opengov", "harvest-register", str(bad)])
    assert result.exit_code != 0
    assert "must have a 'sources' list" in result.output


def test_report_shows_counts_and_errors_and_the_override(cli, catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    records = catalogues.distinct_records(3)
    url = catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(records))
    source = create_source(sysadmin, organization, url)
    run_job(source)
    catalogue_server.serve("/catalog.ttl", catalogues.catalogue([]))
    run_job(source)

    report = cli.invoke(ckan, ["opengov", "harvest-report"])
    assert report.exit_code == 0, report.output
    assert "agridata (dcat_rdf, MANUAL)" in report.output
    assert "created 0, updated 0, unchanged 0, withdrawn 0, errored 1" in report.output
    assert "gather error: The catalogue lists no dataset; 3 datasets harvested before were kept." in report.output

    allowed = cli.invoke(ckan, ["opengov", "harvest-allow-withdrawal", "agridata"])
    assert allowed.exit_code == 0, allowed.output
    assert run_job(source).stats["deleted"] == 3
    as_json = json.loads(cli.invoke(ckan, ["opengov", "harvest-report", "--json"]).output)
    assert as_json[0]["last_job"]["counts"]["deleted"] == 3
    assert as_json[0]["withdrawal_allowed"] is False


def test_report_errors_in_the_ui_language(catalogue_server, consumers, sysadmin, organization):
    from ckanext.opengov.harvest import messages
    stored = messages.render("http_status", url="https://x.example/catalog.ttl", status=500, reason="Error")
    fake = {messages.TEMPLATES["http_status"]: "La source {url} a répondu avec l'erreur HTTP {status} {reason}."}
    assert messages.localise(stored, lambda text: fake.get(text, text)) == \
        "La source https://x.example/catalog.ttl a répondu avec l'erreur HTTP 500 Error."
    assert messages.localise("a message from another harvester") == "a message from another harvester"


def test_report_and_override_need_rights(sysadmin, organization, catalogue_server):
    from ckan.tests import factories
    import ckan.plugins.toolkit as tk
    source = create_source(sysadmin, organization, catalogue_server.url("/catalog.ttl"))
    outsider = factories.User()
    assert helpers.call_action("opengov_harvest_report", {"user": outsider["name"], "ignore_auth": False}) == []
    assert len(helpers.call_action("opengov_harvest_report", {"user": sysadmin["name"], "ignore_auth": False})) == 1
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth("opengov_harvest_withdrawal_allow", {"user": outsider["name"]}, id=source["id"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth("opengov_harvest_sources_register", {"user": outsider["name"]}, sources=[])
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("opengov_harvest_sources_register", {"user": sysadmin["name"]}, sources=[])
    assert "sources" in error.value.error_dict

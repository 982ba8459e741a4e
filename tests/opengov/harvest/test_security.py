"""Security of harvesting: XML entities, private addresses, size cap."""
from __future__ import annotations

import pytest

from tests.conftest import PORTAL_PLUGINS
from tests.opengov.harvest import catalogues
from tests.opengov.harvest.conftest import create_source, run_job, source_datasets

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.opengov.harvest.allowed_private_addresses", "127.0.0.1"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

RDF_HEAD = '<?xml version="1.0"?>\n'
RDF_BODY = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">'
            '<dcat:Dataset rdf:about="https://x.example/ds"><dct:title>{title}</dct:title>'
            '</dcat:Dataset></rdf:RDF>')


def test_rdf_xml_with_an_external_entity_is_refused_without_reading_the_file(
        tmp_path, catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    body = (RDF_HEAD + f'<!DOCTYPE rdf:RDF [<!ENTITY leak SYSTEM "file://{secret}">]>\n'
            + RDF_BODY.format(title="&leak;"))
    source = create_source(sysadmin, organization, catalogue_server.serve(
        "/catalog.rdf", body, content_type="application/rdf+xml"))

    job = run_job(source)

    assert "declares a DTD or XML entities" in job.gather_errors[0]
    assert source_datasets(source) == []
    assert consumers.crashes == []


def test_rdf_xml_entity_expansion_is_refused(catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    body = RDF_HEAD + f"<!DOCTYPE rdf:RDF [{entities}]>\n" + RDF_BODY.format(title="&j;")
    source = create_source(sysadmin, organization, catalogue_server.serve(
        "/catalog.rdf", body, content_type="application/rdf+xml"))

    job = run_job(source)

    assert "declares a DTD or XML entities" in job.gather_errors[0]
    assert source_datasets(source) == []


def test_a_plain_rdf_xml_catalogue_is_harvested(catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    body = RDF_HEAD + RDF_BODY.format(title="Budget de l'État")
    source = create_source(sysadmin, organization, catalogue_server.serve(
        "/catalog.rdf", body, content_type="application/rdf+xml"))

    assert run_job(source).stats["added"] == 1


def test_a_jsonld_catalogue_with_a_remote_context_is_refused(catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    internal = catalogue_server.serve("/context.jsonld", "{}", content_type="application/ld+json")
    body = '{"@context": "%s", "@id": "https://x.example/ds", "@type": "dcat:Dataset"}' % internal
    source = create_source(sysadmin, organization, catalogue_server.serve(
        "/catalog.jsonld", body, content_type="application/ld+json"))

    job = run_job(source)

    assert "remote JSON-LD context" in job.gather_errors[0]
    assert "/context.jsonld" not in catalogue_server.hits


@pytest.fixture
def no_allow_list(ckan_config, with_plugins, monkeypatch):
    import ckan.plugins.toolkit as tk
    monkeypatch.setitem(tk.config, "ckanext.opengov.harvest.allowed_private_addresses", "")


@pytest.mark.usefixtures("no_allow_list")
def test_a_private_address_is_refused_unless_allow_listed(catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    url = catalogue_server.serve("/catalog.ttl", catalogues.turtle_of(catalogues.distinct_records(1)))
    source = create_source(sysadmin, organization, url)

    job = run_job(source)

    assert "resolves to the private address 127.0.0.1" in job.gather_errors[0]
    assert catalogue_server.hits == []  # not a single byte requested
    assert source_datasets(source) == []


@pytest.mark.usefixtures("no_allow_list")
def test_a_name_that_resolves_to_a_private_address_is_refused(catalogue_server):
    from ckanext.opengov.harvest import fetch
    from ckanext.opengov.harvest.fetch import FetchError
    with pytest.raises(FetchError) as refused:
        fetch.fetch(f"http://localhost:{catalogue_server.httpd.server_address[1]}/catalog.ttl")
    assert refused.value.code == "private_address"
    for address in ("10.1.2.3", "169.254.169.254", "192.168.0.1", "::1", "fd00::1", "0.0.0.0"):
        assert not fetch.address_allowed(address), address
    assert fetch.address_allowed("196.203.0.1")


def test_a_file_path_or_non_http_source_is_refused(consumers, sysadmin, organization, tmp_path):
    consumers.start()
    local = tmp_path / "catalog.ttl"
    local.write_text(catalogues.turtle_of(catalogues.distinct_records(1)))
    source = create_source(sysadmin, organization, str(local))

    job = run_job(source)

    assert "only http and https addresses are harvested" in job.gather_errors[0]
    assert source_datasets(source) == []


def test_a_response_over_the_size_cap_is_refused(ckan_config, catalogue_server, consumers, sysadmin, organization,
                                                 monkeypatch):
    import ckan.plugins.toolkit as tk
    monkeypatch.setitem(tk.config, "ckanext.opengov.harvest.max_response_mb", "0.01")
    consumers.start()
    big = catalogues.turtle_of(catalogues.distinct_records(60))
    assert len(big.encode()) > 10_486
    source = create_source(sysadmin, organization, catalogue_server.serve("/catalog.ttl", big))

    job = run_job(source)

    assert "larger than the limit" in job.gather_errors[0]
    assert source_datasets(source) == []


def test_a_tls_source_with_the_portal_ca_bundle_is_harvested(ckan_config, with_plugins, tls_server, consumers,
                                                             sysadmin, organization, tmp_path, monkeypatch):
    import ckan.plugins.toolkit as tk
    monkeypatch.setitem(tk.config, "ckanext.opengov.harvest.ca_bundle", str(tmp_path / "cert.pem"))
    consumers.start()
    url = tls_server.serve("/catalog.ttl", catalogues.turtle_of(catalogues.distinct_records(2)))
    source = create_source(sysadmin, organization, url)

    assert run_job(source).stats["added"] == 2


def test_credentials_are_not_sent_to_another_host_on_redirect(catalogue_server):
    from ckanext.opengov.harvest import fetch
    other = catalogue_server.url("/catalog.ttl").replace("127.0.0.1", "localhost")
    seen = []
    catalogue_server.serve("/redirect", status=302, body="", headers={"Location": other})
    catalogue_server.serve("/catalog.ttl", lambda path: seen.append(path) or "ok", content_type="text/plain")
    http = fetch.session()
    http.headers["Authorization"] = "secret-api-key"
    import ckan.plugins.toolkit as tk
    tk.config["ckanext.opengov.harvest.allowed_private_addresses"] = "127.0.0.1 ::1"
    try:
        fetched = fetch.fetch(catalogue_server.url("/redirect"), http=http)
    finally:
        tk.config["ckanext.opengov.harvest.allowed_private_addresses"] = "127.0.0.1"
    assert fetched.text == "ok" and fetched.url == other
    assert "Authorization" not in http.headers

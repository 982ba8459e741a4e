"""What a sectoral portal's DCAT records become on the national portal:
languages, keywords, sector, publishers mapped to organisations by the
source's policy, invalid source settings refused with a field error."""
from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from tests.conftest import PORTAL_PLUGINS
from tests.opengov.harvest import catalogues
from tests.opengov.harvest.conftest import create_source, run_job, source_datasets

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.opengov.harvest.allowed_private_addresses", "127.0.0.1"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

FOREIGN = catalogues.PREFIXES + """
<https://culture.example.tn/ds/1> a dcat:Dataset ;
    dct:title "Monuments classés"@fr-FR, "المعالم المصنفة"@AR ;
    dct:description "Liste des monuments"@FR ;
    dcat:keyword "تراث، معالم\u200f"@ar, "patrimoine, monuments"@fr ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
    dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/ANNUAL> ;
    dct:publisher [ a foaf:Agent ; foaf:name "Institut National du Patrimoine" ] .
<https://culture.example.tn/ds/2> a dcat:Dataset ;
    dct:title "Festivals"  ;
    dct:description "Calendar of the festivals" ;
    dct:publisher [ a foaf:Agent ; foaf:name "Ministère des Affaires Culturelles" ] .
"""


def _by_uri(source) -> dict:
    out = {}
    for dataset in source_datasets(source):
        shown = helpers.call_action("package_show", id=dataset.id)
        out[shown["guid"]] = shown
    return out


def test_languages_keywords_vocabularies_and_sector(catalogue_server, consumers, sysadmin, organization):
    consumers.start()
    url = catalogue_server.serve("/catalog.ttl", FOREIGN)
    source = create_source(sysadmin, organization, url, default_language="en", sector="culture")

    job = run_job(source)

    assert job.object_errors == [] and job.stats["added"] == 2
    shown = _by_uri(source)
    monuments = shown["https://culture.example.tn/ds/1"]
    assert monuments["title_translated"] == {"fr": "Monuments classés", "ar": "المعالم المصنفة"}
    assert monuments["notes_translated"] == {"fr": "Liste des monuments"}
    assert sorted(monuments["tags_translated"]["ar"]) == ["تراث", "معالم"]
    assert sorted(monuments["tags_translated"]["fr"]) == ["monuments", "patrimoine"]
    assert monuments["theme"] == ["environment"]  # the catalogue's own theme wins over the sector
    assert monuments["frequency"] == "ANNUAL"
    festivals = shown["https://culture.example.tn/ds/2"]
    # untagged text: the source's default language
    assert festivals["title_translated"] == {"en": "Festivals"}
    assert festivals["theme"] == ["culture"]  # no theme upstream: the source's sector


@pytest.mark.parametrize("policy, expected", [
    ("source", {"ds/1": "ministere-agriculture", "ds/2": "ministere-agriculture"}),
    ("match", {"ds/1": "ministere-agriculture", "ds/2": "ministere-culture"}),
    ("create", {"ds/1": "institut-national-du-patrimoine", "ds/2": "ministere-culture"}),
])
def test_publishers_are_mapped_by_the_source_policy(catalogue_server, consumers, sysadmin, organization,
                                                    policy, expected):
    helpers.call_action("organization_create", {"user": sysadmin["name"]}, name="ministere-culture",
                        title_translated={"ar": "وزارة الشؤون الثقافية",
                                          "fr": "Ministère des Affaires Culturelles"})
    consumers.start()
    url = catalogue_server.serve("/catalog.ttl", FOREIGN)
    source = create_source(sysadmin, organization, url, organization_policy=policy)

    run_job(source)

    orgs = {guid.rsplit("/", 2)[-2] + "/" + guid.rsplit("/", 1)[-1]: d["organization"]["name"]
            for guid, d in _by_uri(source).items()}
    assert orgs == expected


@pytest.mark.parametrize("config, field", [
    ({"sector": "not-a-theme"}, "sector"),
    ({"default_language": "de"}, "default_language"),
    ({"organization_policy": "steal"}, "organization_policy"),
    ({"max_shrink": 2}, "max_shrink"),
])
def test_a_source_with_wrong_settings_is_refused_with_a_field_error(sysadmin, organization, config, field):
    with pytest.raises(tk.ValidationError) as error:
        create_source(sysadmin, organization, "https://data.example.tn/catalog.ttl", **config)
    assert field in json.dumps(error.value.error_dict["config"])

"""DCAT: what /dataset/<id>.ttl, /catalog.ttl and /catalog.rdf publish with
the portal's profile (ckanext/opengov/dcat.py after euro_dcat_ap_3), and
what comes back when that RDF (or a foreign catalogue's) is parsed into
another portal: every language tagged once, never ``""@xx``, vocabularies as
URIs, nothing lost on the way back."""
from __future__ import annotations

import json

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

import ckan.plugins as p
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers
from ckanext.dcat.harvesters import DCATRDFHarvester
from ckanext.dcat.interfaces import IDCATRDFHarvester
from ckanext.dcat.processors import RDFParser, RDFSerializer
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.opengov import dcat as opengov_dcat
from tests.conftest import PORTAL_PLUGINS

PRESETS = "ckanext.opengov:presets.json ckanext.scheming:presets.json"
PROFILES = "euro_dcat_ap_3 opengov"

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("scheming.presets", PRESETS),
    pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
LOCN = rdflib.Namespace("http://www.w3.org/ns/locn#")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
EU = "http://publications.europa.eu/resource/authority/"
GEOJSON = URIRef("https://www.iana.org/assignments/media-types/application/vnd.geo+json")

TITLE = {"ar": "الإنتاج الفلاحي حسب الولاية", "fr": "Production agricole par gouvernorat"}
NOTES = {"ar": "تطور الإنتاج الفلاحي بكل ولاية", "fr": "Évolution de la production agricole"}
TAGS = {"ar": ["إنتاج", "فلاحة"], "fr": ["agriculture", "l'eau"]}
RESOURCE_NAME = {"ar": "الإنتاج 2024", "fr": "Production 2024"}
RESOURCE_DESCRIPTION = {"ar": "جدول الإنتاج", "fr": "Tableau de la production"}
POINT = {"type": "Point", "coordinates": [10.63, 35.83]}
ORG_TITLE = {"ar": "وزارة الفلاحة", "fr": "Ministère de l'Agriculture", "en": "Ministry of Agriculture"}


@pytest.fixture
def context():
    return {"user": factories.Sysadmin()["name"]}


@pytest.fixture
def org(context):
    return helpers.call_action("organization_create", dict(context),
                               name="ministere-agriculture", title_translated=ORG_TITLE)


def _dataset_fields(org: dict, name: str = "production-agricole") -> dict:
    """A dataset with Arabic and French texts and empty English ones."""
    return {
        "name": name,
        "owner_org": org["id"],
        "title_translated": {**TITLE, "en": ""},
        "notes_translated": {**NOTES, "en": "  "},
        "tags_translated": {**TAGS, "en": []},
        "theme": ["agriculture", "economy"],
        "license_id": "cc-by-4.0",
        "frequency": "ANNUAL",
        "access_rights": "PUBLIC",
        "spatial_region": ["TN", "TN-51"],
        "spatial": json.dumps(POINT),
        "temporal_start": "2015-01-01",
        "temporal_end": "2024-12-31",
        "personal_data_declaration": "no_personal_data",
        "identifier": "INS-AGRI-001",
        "resources": [{
            "url": "https://data.example.tn/agri/production.csv",
            "name_translated": {**RESOURCE_NAME, "en": ""},
            "description_translated": RESOURCE_DESCRIPTION,
            "format": "csv",
            "license": "lndpo-tn",
            "language": ["ar", "fr"],
        }],
    }


@pytest.fixture
def dataset(context, org):
    return helpers.call_action("package_create", dict(context), **_dataset_fields(org))


def _graph(app, url: str, fmt: str) -> rdflib.Graph:
    response = app.get(url)
    assert response.status_code == 200, response.body
    graph = rdflib.Graph()
    graph.parse(data=response.body, format=fmt)
    return graph


def _texts(graph: rdflib.Graph, subject, predicate) -> list[tuple[str, str]]:
    return sorted((o.language, str(o)) for o in graph.objects(subject, predicate))


def _dataset_ref(graph: rdflib.Graph, identifier: str = "INS-AGRI-001"):
    return next(graph.subjects(DCT.identifier, Literal(identifier)))


def _assert_no_empty_tagged_literal(graph: rdflib.Graph) -> None:
    empty = [(s, p, o) for s, p, o in graph
             if isinstance(o, Literal) and o.language and not str(o).strip()]
    assert empty == []


def _assert_languages_once(graph: rdflib.Graph, ref) -> None:
    assert _texts(graph, ref, DCT.title) == sorted(TITLE.items())
    assert _texts(graph, ref, DCT.description) == sorted(NOTES.items())
    assert _texts(graph, ref, DCAT.keyword) == sorted(
        (lang, tag) for lang, tags in TAGS.items() for tag in tags)
    distribution = next(graph.objects(ref, DCAT.distribution))
    assert _texts(graph, distribution, DCT.title) == sorted(RESOURCE_NAME.items())
    assert _texts(graph, distribution, DCT.description) == sorted(RESOURCE_DESCRIPTION.items())


# ------------------------------------------------------------------ export

def test_dataset_turtle_has_each_language_once_with_its_tag(app, dataset):
    graph = _graph(app, f"/dataset/{dataset['id']}.ttl", "turtle")

    ref = _dataset_ref(graph)
    _assert_languages_once(graph, ref)
    _assert_no_empty_tagged_literal(graph)
    publisher = next(graph.objects(ref, DCT.publisher))
    assert _texts(graph, publisher, FOAF.name) == sorted(ORG_TITLE.items())


def test_dataset_turtle_gives_vocabularies_as_uris(app, dataset):
    graph = _graph(app, f"/dataset/{dataset['name']}.ttl", "turtle")
    ref = _dataset_ref(graph)
    site = "http://test.ckan.net"

    assert set(graph.objects(ref, DCAT.theme)) == {
        URIRef(EU + "data-theme/AGRI"), URIRef(EU + "data-theme/ECON"),
        URIRef(site + "/group/agriculture"), URIRef(site + "/group/economy")}
    assert list(graph.objects(ref, DCT.accrualPeriodicity)) == [URIRef(EU + "frequency/ANNUAL")]
    assert list(graph.objects(ref, DCT.accessRights)) == [URIRef(EU + "access-right/PUBLIC")]
    assert list(graph.objects(ref, DCT.license)) == [URIRef(EU + "licence/CC_BY_4_0")]

    distribution = next(graph.objects(ref, DCAT.distribution))
    # the resource's own licence (the national one: the address of its text)
    assert list(graph.objects(distribution, DCT.license)) == [URIRef("https://data.gov.tn/fr/licence/")]
    assert set(graph.objects(distribution, DCT.language)) == {
        URIRef(EU + "language/ARA"), URIRef(EU + "language/FRA")}
    assert list(graph.objects(distribution, DCT["format"])) == [URIRef(EU + "file-type/CSV")]
    assert list(graph.objects(distribution, DCAT.mediaType)) == [
        URIRef("http://www.iana.org/assignments/media-types/text/csv")]

    places = set(graph.objects(ref, DCT.spatial))
    assert URIRef(EU + "country/TUN") in places
    sousse = URIRef(opengov_dcat.DEFAULT_REGION_URI_BASE + "TN-51")
    assert sousse in places
    assert (sousse, RDF.type, DCT.Location) in graph
    assert (None, rdflib.SKOS.prefLabel, Literal("سوسة", lang="ar")) in graph
    geometries = [o for place in places for o in graph.objects(place, LOCN.geometry)]
    assert [json.loads(str(g)) for g in geometries if g.datatype == GEOJSON] == [POINT]


def test_catalog_turtle_and_rdf_xml_tag_every_language_once(app, context, org, dataset):
    helpers.call_action("package_create", dict(context), **{
        **_dataset_fields(org, name="second-dataset"), "identifier": "INS-AGRI-002"})

    for url, fmt in (("/catalog.ttl", "turtle"), ("/catalog.rdf", "xml")):
        graph = _graph(app, url, fmt)
        assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 2, url
        for identifier in ("INS-AGRI-001", "INS-AGRI-002"):
            _assert_languages_once(graph, _dataset_ref(graph, identifier))
        _assert_no_empty_tagged_literal(graph)
        catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
        assert _texts(graph, catalog, DCT.title) == [("en", "Open Data Portal (tests)")]
        assert set(graph.objects(catalog, DCT.language)) == {
            URIRef(EU + "language/" + code) for code in ("ARA", "FRA", "ENG")}


@pytest.mark.ckan_config("ckanext.opengov.dcat.catalog_title_ar", "بوابة البيانات المفتوحة")
@pytest.mark.ckan_config("ckanext.opengov.dcat.catalog_title_fr", "Portail des données ouvertes")
def test_catalog_title_in_each_configured_language(app, dataset):
    graph = _graph(app, "/catalog.ttl", "turtle")
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert _texts(graph, catalog, DCT.title) == [
        ("ar", "بوابة البيانات المفتوحة"), ("fr", "Portail des données ouvertes")]


def test_empty_and_untagged_values_of_older_records_are_not_published():
    """A dict with empty translations (records stored before the presets
    dropped them, or JSON given to ``ckan dcat produce``)."""
    serializer = RDFSerializer(profiles=PROFILES.split())
    ref = serializer.graph_from_dataset({
        "id": "old-record", "name": "old-record",
        "title_translated": {"ar": "ميزانية", "fr": "", "en": ""},
        "title": "ميزانية",
        "notes_translated": {"ar": "", "fr": "Budget de l'État", "en": None},
        "tags_translated": {"ar": ["ميزانية", ""], "fr": [""], "en": []},
        "resources": [{"id": "r1", "package_id": "old-record", "url": "https://x.example/b.csv",
                       "name_translated": {"ar": "", "fr": "Tableau", "en": ""}}],
    })
    graph = serializer.g

    _assert_no_empty_tagged_literal(graph)
    assert _texts(graph, ref, DCT.title) == [("ar", "ميزانية")]
    assert _texts(graph, ref, DCT.description) == [("fr", "Budget de l'État")]
    assert _texts(graph, ref, DCAT.keyword) == [("ar", "ميزانية")]
    distribution = next(graph.objects(ref, DCAT.distribution))
    assert _texts(graph, distribution, DCT.title) == [("fr", "Tableau")]


# --------------------------------------------------------------- round trip

def _assert_same_dataset(shown: dict, original: dict) -> None:
    assert shown["title_translated"] == TITLE
    assert shown["notes_translated"] == NOTES
    assert {k: sorted(v) for k, v in shown["tags_translated"].items()} == TAGS
    for field in ("theme", "license_id", "frequency", "access_rights", "spatial_region",
                  "temporal_start", "temporal_end", "identifier"):
        assert shown[field] == original[field], field
    assert json.loads(shown["spatial"]) == POINT
    resource, source = shown["resources"][0], original["resources"][0]
    assert resource["name_translated"] == RESOURCE_NAME
    assert resource["description_translated"] == RESOURCE_DESCRIPTION
    for field in ("url", "format", "mimetype", "license", "language"):
        assert resource[field] == source[field], field


def _import(context: dict, dataset_dict: dict, org: dict, name: str) -> dict:
    """What a harvester does with a parsed dataset: create it in its own
    organisation, as harvested content."""
    dataset_dict.update(name=name, owner_org=org["id"])
    harvest_context = {**context, "opengov_harvested": True}
    helpers.call_action("package_create", harvest_context, **dataset_dict)
    return helpers.call_action("package_show", id=name)


def test_round_trip_through_rdf_parser_keeps_every_language(app, context, dataset):
    original = helpers.call_action("package_show", id=dataset["id"])
    turtle = app.get(f"/dataset/{dataset['id']}.ttl").body
    helpers.call_action("dataset_purge", dict(context), id=dataset["id"])
    other_org = helpers.call_action("organization_create", dict(context), name="importer",
                                    title_translated={"ar": "مستورد", "fr": "Importateur"})

    parser = RDFParser(profiles=PROFILES.split())
    parser.parse(turtle, _format="turtle")
    parsed = list(parser.datasets())
    assert len(parsed) == 1
    shown = _import(context, parsed[0], other_org, "production-agricole-copie")

    _assert_same_dataset(shown, original)


@pytest.mark.usefixtures("with_extended_cli")
def test_round_trip_through_ckan_dcat_consume(app, cli, context, dataset, tmp_path):
    original = helpers.call_action("package_show", id=dataset["id"])
    exported = tmp_path / "catalog.ttl"
    exported.write_text(app.get("/catalog.ttl").body, encoding="utf-8")
    helpers.call_action("dataset_purge", dict(context), id=dataset["id"])

    result = cli.invoke(ckan, ["dcat", "consume", str(exported), "-f", "ttl"])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert len(parsed) == 1
    org = helpers.call_action("organization_create", dict(context), name="importer",
                              title_translated={"ar": "مستورد", "fr": "Importateur"})
    shown = _import(context, parsed[0], org, "production-agricole-copie")

    _assert_same_dataset(shown, original)


@pytest.fixture
def harvester_hooks(with_plugins, app):
    """The portal plugin provides the IDCATRDFHarvester hooks (after ``app``:
    creating the app reloads the configured plugins)."""
    assert any(isinstance(plugin, opengov_dcat.OpenGovDCATHarvesterHooks)
               for plugin in p.PluginImplementations(IDCATRDFHarvester))


def _harvest(context: dict, source: dict) -> list[HarvestObject]:
    """One harvest job of ``source``, its stages run in this process."""
    job = helpers.call_action("harvest_job_create", dict(context), source_id=source["id"], run=False)
    job_obj = HarvestJob.get(job["id"])
    job_obj.status = "Running"
    job_obj.save()
    harvester = DCATRDFHarvester()
    objects = [HarvestObject.get(obj_id) for obj_id in queue.gather_stage(harvester, job_obj) or []]
    for obj in objects:
        queue.fetch_and_import_stages(harvester, obj)
    job_obj.status = "Finished"
    job_obj.save()
    return objects


@pytest.mark.usefixtures("harvester_hooks")
def test_round_trip_through_the_dcat_rdf_harvester(app, context, dataset, tmp_path):
    original = helpers.call_action("package_show", id=dataset["id"])
    exported = tmp_path / "catalog.ttl"
    exported.write_text(app.get("/catalog.ttl").body, encoding="utf-8")
    helpers.call_action("dataset_purge", dict(context), id=dataset["id"])
    org = helpers.call_action("organization_create", dict(context), name="importer",
                              title_translated={"ar": "مستورد", "fr": "Importateur"})
    source = helpers.call_action(
        "harvest_source_create", dict(context), name="portail-source", title="Portail source",
        url=str(exported), source_type="dcat_rdf", owner_org=org["id"],
        config=json.dumps({"rdf_format": "text/turtle"}))

    first = _harvest(context, source)
    again = _harvest(context, source)  # the update path

    assert [(o.state, [e.message for e in o.errors]) for o in first + again] == [("COMPLETE", [])] * 2
    assert first[0].package_id == again[0].package_id
    shown = helpers.call_action("package_show", id=first[0].package_id)
    _assert_same_dataset(shown, original)
    assert shown["name"] == "production-agricole-par-gouvernorat"
    assert shown["guid"] == shown["source_url"] == f"http://test.ckan.net/dataset/{dataset['id']}"
    assert shown["source_modified"]
    assert shown["owner_org"] == org["id"]


def test_harvester_hooks_move_schema_fields_out_of_extras():
    dataset_dict = {"extras": [{"key": "guid", "value": "https://x.example/ds"},
                               {"key": "uri", "value": "https://x.example/ds"},
                               {"key": "modified", "value": "2025-01-02"}]}
    opengov_dcat.provenance_from_extras(dataset_dict, ["guid", "source_url", "source_modified"])
    assert dataset_dict["guid"] == dataset_dict["source_url"] == "https://x.example/ds"
    assert dataset_dict["source_modified"] == "2025-01-02"
    assert [e["key"] for e in dataset_dict["extras"]] == ["uri", "modified"]


# ------------------------------------------------------- foreign catalogues

FOREIGN = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://stats.example.ma/dataset/pop> a dcat:Dataset ;
    dct:title "Population par région"@fr-FR, "السكان حسب الجهة"@AR, ""@en, "Bevölkerung"@de ;
    dct:description "Recensement de la population" , "التعداد العام للسكان"@ar-MA ;
    dcat:keyword "population, recensement"@FR, "سكان، تعداد"@ar, ""@en ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/SOCI> ;
    dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/DECENNIAL> ;
    dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
    dct:spatial <https://www.iso.org/obp/ui/#iso:code:3166:TN-61> ;
    dcat:distribution <https://stats.example.ma/dataset/pop/csv> .
<https://stats.example.ma/dataset/pop/csv> a dcat:Distribution ;
    dct:title "Tableau"@fr-fr, "جدول"@ar ;
    dcat:accessURL <https://stats.example.ma/pop.csv> ;
    dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
    dct:license <http://publications.europa.eu/resource/authority/licence/ODC_BL> .
"""


def _parse_foreign() -> dict:
    parser = RDFParser(profiles=PROFILES.split())
    parser.parse(FOREIGN, _format="turtle")
    return list(parser.datasets())[0]


def test_foreign_language_tags_are_normalised_and_empty_values_dropped():
    parsed = _parse_foreign()

    assert parsed["title_translated"] == {"fr": "Population par région", "ar": "السكان حسب الجهة"}
    # untagged Latin text goes to the default locale (en in test.ini)
    assert parsed["notes_translated"] == {"en": "Recensement de la population",
                                          "ar": "التعداد العام للسكان"}
    assert parsed["tags_translated"] == {"fr": ["population", "recensement"],
                                         "ar": ["تعداد", "سكان"]}
    # core title (rewritten on save; harvesters make the name from it):
    # Latin script first, so the name is not "__"
    assert parsed["title"] == "Population par région"
    assert "name" not in parsed
    resource = parsed["resources"][0]
    assert resource["name_translated"] == {"fr": "Tableau", "ar": "جدول"}
    # mapped to the portal's vocabularies; values the portal lacks dropped
    assert parsed["theme"] == ["social-affairs"]
    assert parsed["access_rights"] == "PUBLIC"
    assert parsed["spatial_region"] == ["TN-61"]
    assert "frequency" not in parsed
    assert resource["format"] == "CSV"
    assert resource["license"] == parsed["license_id"] == "odc-odbl"


def test_untagged_arabic_text_is_stored_as_arabic():
    turtle = """
    @prefix dcat: <http://www.w3.org/ns/dcat#> .
    @prefix dct: <http://purl.org/dc/terms/> .
    <https://x.example/ds> a dcat:Dataset ; dct:title "ميزانية الدولة" ;
        dct:description "Budget de l'État"@fr .
    """
    parser = RDFParser(profiles=PROFILES.split())
    parser.parse(turtle, _format="turtle")
    parsed = list(parser.datasets())[0]
    assert parsed["title_translated"] == {"ar": "ميزانية الدولة"}
    assert parsed["title"] == "ميزانية الدولة"
    # an Arabic-only title would munge to "__": its transliteration instead
    assert parsed["name"] == "mizania-aldoula"


def test_foreign_dataset_is_accepted_by_the_portal_schema(context, org):
    shown = _import(context, _parse_foreign(), org, "population-region")

    assert shown["title_translated"] == {"fr": "Population par région", "ar": "السكان حسب الجهة"}
    assert shown["tags_translated"]["ar"] == ["تعداد", "سكان"]
    assert shown["theme"] == ["social-affairs"]
    assert shown["spatial_region"] == ["TN-61"]
    assert shown["resources"][0]["name_translated"] == {"fr": "Tableau", "ar": "جدول"}


# ------------------------------------------------------------ mapping units

def test_vocabulary_uris_map_back_to_portal_values():
    assert opengov_dcat.vocabulary_value("frequencies", EU + "frequency/ANNUAL") == "ANNUAL"
    assert opengov_dcat.vocabulary_value("licences", EU + "licence/CC_BY_4_0") == "cc-by-4.0"
    assert opengov_dcat.vocabulary_value("licences", "http://data.gov.tn/fr/licence") == "lndpo-tn"
    assert opengov_dcat.vocabulary_value("access_rights", "NON_PUBLIC") == "NON_PUBLIC"
    assert opengov_dcat.vocabulary_value("frequencies", EU + "frequency/NOPE") is None
    assert opengov_dcat.region_value(EU + "country/TUN") == "TN"
    assert opengov_dcat.region_value("http://other.example/regions/TN-83") == "TN-83"
    assert opengov_dcat.region_value("http://other.example/regions/TN-99") is None


def test_eu_themes_map_to_the_first_portal_theme_unless_the_portal_theme_is_given():
    econ = EU + "data-theme/ECON"
    assert opengov_dcat.themes_from_uris([econ]) == ["economy"]
    assert opengov_dcat.themes_from_uris(
        [econ, "https://other.portal.tn/group/tourism"]) == ["tourism"]
    assert opengov_dcat.themes_from_uris([EU + "data-theme/XXXX"]) == []
    assert opengov_dcat.theme_uris(["health", "unknown"]) == [
        EU + "data-theme/HEAL", "http://test.ckan.net/group/health"]

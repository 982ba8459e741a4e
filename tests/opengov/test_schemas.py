"""The portal's scheming schemas (schemas/dataset.yaml, organization.yaml,
group.yaml) through CKAN's API on the real database and Solr core: what a
publisher stores is what API consumers get back, and bad input is refused
field by field with nothing saved."""
from __future__ import annotations

import json

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.conftest import PORTAL_PLUGINS

PRESETS = "ckanext.opengov:presets.json ckanext.scheming:presets.json"

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("scheming.presets", PRESETS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

TITLE = {"ar": "الإنتاج الفلاحي حسب الولاية", "fr": "Production agricole par gouvernorat",
         "en": "Agricultural production by governorate"}
NOTES = {"ar": "تطور الإنتاج الفلاحي بكل ولاية", "fr": "Évolution de la production agricole par gouvernorat",
         "en": "Agricultural production in each governorate"}
POINT = {"type": "Point", "coordinates": [10.63, 35.83]}


@pytest.fixture
def sysadmin():
    return factories.SysadminWithToken()


@pytest.fixture
def context(sysadmin):
    return {"user": sysadmin["name"]}


@pytest.fixture
def org(context):
    return helpers.call_action(
        "organization_create", dict(context), name="ministere-agriculture",
        title_translated={"ar": "وزارة الفلاحة", "fr": "Ministère de l'Agriculture",
                          "en": "Ministry of Agriculture"})


def _dataset(org, **fields) -> dict:
    data = {
        "name": "production-agricole",
        "title_translated": TITLE,
        "notes_translated": NOTES,
        "owner_org": org["id"],
        "personal_data_declaration": "no_personal_data",
    }
    data.update(fields)
    return data


def _create(context, org, **fields) -> dict:
    return helpers.call_action("package_create", dict(context), **_dataset(org, **fields))


def _refused(context, action: str, data: dict) -> dict:
    with pytest.raises(tk.ValidationError) as raised:
        helpers.call_action(action, dict(context), **data)
    return raised.value.error_dict


# --------------------------------------------------------------- dataset

def test_full_dataset_round_trips_through_the_api(context, org):
    _create(
        context, org,
        tags_translated={"ar": ["فلاحة", "إنتاج"], "fr": ["agriculture", "production"], "en": ["farming"]},
        contact_name="Direction des statistiques", contact_email="stats@agriculture.gov.tn",
        theme=["agriculture", "economy"], license_id="lndpo-tn", frequency="ANNUAL",
        temporal_start="2015-01-01", temporal_end="2024-12-31",
        spatial_region=["TN-51", "TN-61"], spatial=json.dumps(POINT),
        government_level="central", access_rights="PUBLIC",
        conforms_to=["https://www.w3.org/TR/vocab-dcat-3/"], version="2.1",
        identifier="INS-AGRI-001",
        resources=[{
            "url": "https://data.example.tn/agri/production.csv",
            "name_translated": {"ar": "الإنتاج 2024", "fr": "Production 2024", "en": "Production 2024"},
            "description_translated": {"ar": "جدول", "fr": "Tableau"},
            "format": "csv", "size": 2048, "license": "cc-by-4.0", "language": ["ar", "fr"],
            "access_url": "https://data.example.tn/agri/",
            "download_url": "https://data.example.tn/agri/production.csv",
        }],
    )

    shown = helpers.call_action("package_show", id="production-agricole")
    assert shown["title_translated"] == TITLE
    assert shown["notes_translated"] == NOTES
    assert shown["tags_translated"]["ar"] == ["فلاحة", "إنتاج"]
    assert shown["theme"] == ["agriculture", "economy"]
    assert shown["license_id"] == "lndpo-tn"
    assert shown["license_title"] == "Licence Nationale de Données Publiques Ouvertes"
    assert shown["frequency"] == "ANNUAL"
    assert (shown["temporal_start"], shown["temporal_end"]) == ("2015-01-01", "2024-12-31")
    assert shown["spatial_region"] == ["TN-51", "TN-61"]
    assert json.loads(shown["spatial"]) == POINT
    assert shown["government_level"] == "central"
    assert shown["access_rights"] == "PUBLIC"
    assert shown["personal_data_declaration"] == "no_personal_data"
    assert shown["conforms_to"] == ["https://www.w3.org/TR/vocab-dcat-3/"]
    assert (shown["version"], shown["identifier"]) == ("2.1", "INS-AGRI-001")
    assert shown["contact_email"] == "stats@agriculture.gov.tn"

    resource = shown["resources"][0]
    assert resource["name_translated"]["fr"] == "Production 2024"
    assert resource["format"] == "CSV"
    assert resource["mimetype"] == "text/csv"
    assert resource["size"] == 2048
    assert resource["license"] == "cc-by-4.0"
    assert resource["language"] == ["ar", "fr"]
    assert resource["download_url"] == "https://data.example.tn/agri/production.csv"


def test_search_finds_the_dataset_by_theme_region_and_licence(context, org):
    _create(context, org, theme=["health"], spatial_region=["TN-11"], license_id="odc-odbl")
    _create(context, org, name="autre-jeu", theme=["transport"], license_id="cc-by-4.0")

    for fq in ("theme:health", "region:TN-11", "license_id:odc-odbl"):
        found = helpers.call_action("package_search", fq=fq)["results"]
        assert [d["name"] for d in found] == ["production-agricole"], fq


def test_the_portal_licences_are_ckans_licence_register():
    licences = {lic["id"]: lic for lic in helpers.call_action("license_list")}
    assert licences["lndpo-tn"]["title"] == "Licence Nationale de Données Publiques Ouvertes"
    assert licences["lo-ma"]["title"] == "Licence Ouverte du Maroc"
    assert licences["cc-by-4.0"]["eu_uri"] == "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    assert licences["odc-odbl"]["url"] == "https://opendatacommons.org/licenses/odbl/1-0/"
    assert "etalab-2.0" in licences
    assert set(licences) == {"lndpo-tn", "lo-ma", "cc-by-4.0", "odc-odbl", "etalab-2.0"}


def test_format_spellings_are_normalised_and_fill_the_media_type(context, org):
    _create(context, org, resources=[
        {"url": "https://data.example.tn/a.geojson", "format": "geojson"},
        {"url": "https://data.example.tn/b.xlsx", "format": ".XLSX"},
        {"url": "https://data.example.tn/c", "format": "text/csv"},
        {"url": "https://data.example.tn/d.pdf", "format": "PDF", "mimetype": "application/x-pdf"},
    ])
    resources = helpers.call_action("package_show", id="production-agricole")["resources"]
    assert [(r["format"], r["mimetype"]) for r in resources] == [
        ("GeoJSON", "application/geo+json"),
        ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("CSV", "text/csv"),
        ("PDF", "application/x-pdf"),  # a media type given by the publisher is kept
    ]


def test_an_empty_size_from_the_resource_form_is_accepted_and_a_size_is_kept(context, org):
    dataset = _create(context, org)
    empty = helpers.call_action("resource_create", dict(context), package_id=dataset["id"],
                                url="https://data.example.tn/e.csv", format="CSV", size="")
    sized = helpers.call_action("resource_create", dict(context), package_id=dataset["id"],
                                url="https://data.example.tn/f.csv", format="CSV", size="2048")
    assert empty.get("size") in (None, "")
    assert sized["size"] == 2048


def test_hidden_provenance_fields_survive_an_update_that_does_not_send_them(context, org):
    created = _create(context, org, guid="https://agridata.tn/dataset/42",
                      source_url="https://agridata.tn/dataset/42", source_modified="2025-03-01T10:00:00")
    edited = {k: v for k, v in created.items() if k not in ("guid", "source_url", "source_modified")}
    edited["title_translated"] = dict(TITLE, fr="Production agricole (révisée)")
    helpers.call_action("package_update", dict(context), **edited)

    shown = helpers.call_action("package_show", id=created["id"])
    assert shown["title_translated"]["fr"] == "Production agricole (révisée)"
    assert shown["guid"] == "https://agridata.tn/dataset/42"
    assert shown["source_url"] == "https://agridata.tn/dataset/42"
    assert shown["source_modified"] == "2025-03-01T10:00:00"
    assert model.Package.get(created["id"]).extras["guid"] == "https://agridata.tn/dataset/42"


def test_hidden_provenance_survives_an_edit_through_the_web_form(app, sysadmin, context, org):
    created = _create(context, org, guid="urn:agridata:42", source_url="https://agridata.tn/dataset/42")
    form = app.get(f"/dataset/edit/{created['name']}", headers={"Authorization": sysadmin["token"]})
    assert form.status_code == 200
    assert 'name="guid"' not in form.body and "urn:agridata:42" not in form.body

    # what the browser posts: the form's fields only
    posted = {
        "name": created["name"], "owner_org": org["id"],
        "title_translated-ar": TITLE["ar"], "title_translated-fr": "Titre modifié en ligne",
        "title_translated-en": TITLE["en"],
        "notes_translated-ar": NOTES["ar"], "notes_translated-fr": NOTES["fr"],
        "personal_data_declaration": "anonymised", "save": "",
    }
    response = app.post(f"/dataset/edit/{created['name']}", data=posted,
                        headers={"Authorization": sysadmin["token"]}, follow_redirects=False)
    assert response.status_code == 302, response.body

    shown = helpers.call_action("package_show", id=created["id"])
    assert shown["title_translated"]["fr"] == "Titre modifié en ligne"
    assert shown["personal_data_declaration"] == "anonymised"
    assert shown["guid"] == "urn:agridata:42"
    assert shown["source_url"] == "https://agridata.tn/dataset/42"


def test_a_draft_may_wait_for_the_personal_data_declaration(context, org):
    data = _dataset(org, state="draft")
    del data["personal_data_declaration"]
    draft = helpers.call_action("package_create", dict(context), **data)
    assert draft["state"] == "draft"

    errors = _refused(context, "package_update", dict(draft, state="active"))
    assert list(errors) == ["personal_data_declaration"]


# --------------------------------------------------------------- bad input

BAD_DATASETS = [
    ("unknown language key", {"title_translated": dict(TITLE, de="Agrarproduktion")}, "title_translated"),
    ("missing required language", {"title_translated": {"fr": TITLE["fr"], "en": TITLE["en"]}}, "title_translated"),
    ("missing required language in notes", {"notes_translated": {"ar": NOTES["ar"]}}, "notes_translated"),
    ("theme outside the vocabulary", {"theme": ["agriculture", "astrology"]}, "theme"),
    ("licence outside the vocabulary", {"license_id": "cc-nc"}, "license_id"),
    ("frequency outside the vocabulary", {"frequency": "SOMETIMES"}, "frequency"),
    ("region outside the vocabulary", {"spatial_region": ["TN-99"]}, "spatial_region"),
    ("government level outside the vocabulary", {"government_level": "federal"}, "government_level"),
    ("access right outside the vocabulary", {"access_rights": "SECRET"}, "access_rights"),
    ("declaration outside the vocabulary", {"personal_data_declaration": "maybe"}, "personal_data_declaration"),
    ("GeoJSON that is not JSON", {"spatial": "{type: Point"}, "spatial"),
    ("GeoJSON of an unknown type", {"spatial": '{"type": "Circle", "coordinates": [10, 36]}'}, "spatial"),
    ("GeoJSON with coordinates out of range", {"spatial": '{"type": "Point", "coordinates": [400, 36]}'}, "spatial"),
    ("GeoJSON polygon ring not closed",
     {"spatial": json.dumps({"type": "Polygon", "coordinates": [[[10, 36], [11, 36], [11, 37], [10, 37]]]})}, "spatial"),
    ("temporal end before start", {"temporal_start": "2024-01-01", "temporal_end": "2023-12-31"}, "temporal_end"),
    ("contact email that is not an address", {"contact_email": "pas-une-adresse"}, "contact_email"),
    ("conformsTo that is not a URL", {"conforms_to": ["norme interne"]}, "conforms_to"),
]


@pytest.mark.parametrize("fields, field", [b[1:] for b in BAD_DATASETS], ids=[b[0] for b in BAD_DATASETS])
def test_bad_dataset_input_is_refused_on_the_field_and_nothing_is_saved(context, org, fields, field):
    errors = _refused(context, "package_create", _dataset(org, **fields))
    assert list(errors) == [field]
    assert errors[field]
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("package_show", id="production-agricole")
    assert helpers.call_action("package_search", q="*:*")["count"] == 0


def test_missing_personal_data_declaration_is_refused(context, org):
    data = _dataset(org)
    del data["personal_data_declaration"]
    errors = _refused(context, "package_create", data)
    assert errors == {"personal_data_declaration": ["Missing value"]}
    assert helpers.call_action("package_search", q="*:*")["count"] == 0


@pytest.mark.parametrize("resource, field", [
    ({"format": "EXE"}, "format"),
    ({"size": -5}, "size"),
    ({"size": "big"}, "size"),
    ({"language": ["de"]}, "language"),
    ({"license": "proprietary"}, "license"),
    ({"download_url": "not a url"}, "download_url"),
], ids=["format", "negative size", "size not a number", "language", "licence", "download url"])
def test_bad_resource_input_is_refused_on_the_resource_field(context, org, resource, field):
    data = _dataset(org, resources=[dict({"url": "https://data.example.tn/a.csv"}, **resource)])
    errors = _refused(context, "package_create", data)
    assert list(errors) == ["resources"]
    assert list(errors["resources"][0]) == [field]
    assert helpers.call_action("package_search", q="*:*")["count"] == 0


def test_bad_update_leaves_the_stored_dataset_unchanged(context, org):
    created = _create(context, org, theme=["health"])
    errors = _refused(context, "package_update", dict(created, theme=["nope"], title_translated={"fr": "x"}))
    assert set(errors) == {"theme", "title_translated"}
    shown = helpers.call_action("package_show", id=created["id"])
    assert shown["theme"] == ["health"] and shown["title_translated"] == TITLE


# --------------------------------------------------------------- organisations and groups

def test_organisation_keeps_translations_type_level_region_and_contacts(context):
    helpers.call_action(
        "organization_create", dict(context), name="commune-sousse",
        title_translated={"ar": "بلدية سوسة", "fr": "Commune de Sousse", "en": "Municipality of Sousse"},
        description_translated={"ar": "البلدية", "fr": "La commune"},
        institution_type="municipality", government_level="local", region="TN-51",
        open_data_officer_name="Amel Ben Salah", open_data_officer_email="opendata@commune-sousse.tn",
        data_manager_name="Karim Trabelsi", data_manager_email="donnees@commune-sousse.tn",
        image_url="https://commune-sousse.tn/logo.png",
    )
    org = helpers.call_action("organization_show", id="commune-sousse")
    assert org["title_translated"]["ar"] == "بلدية سوسة"
    assert org["description_translated"] == {"ar": "البلدية", "fr": "La commune"}
    assert (org["institution_type"], org["government_level"], org["region"]) == ("municipality", "local", "TN-51")
    assert org["open_data_officer_email"] == "opendata@commune-sousse.tn"
    assert org["data_manager_name"] == "Karim Trabelsi"
    assert org["image_url"] == "https://commune-sousse.tn/logo.png"


@pytest.mark.parametrize("fields, field", [
    ({"institution_type": "club"}, "institution_type"),
    ({"government_level": "federal"}, "government_level"),
    ({"region": "TN-00"}, "region"),
    ({"open_data_officer_email": "nobody"}, "open_data_officer_email"),
    ({"title_translated": {"fr": "Commune de Sousse"}}, "title_translated"),
    ({"title_translated": {"ar": "بلدية سوسة", "fr": "Commune", "xx-latin-zz": "?"}}, "title_translated"),
], ids=["institution type", "level", "region", "officer email", "missing arabic", "unknown language"])
def test_bad_organisation_input_is_refused_and_nothing_saved(context, fields, field):
    data = {"name": "commune-sousse",
            "title_translated": {"ar": "بلدية سوسة", "fr": "Commune de Sousse"}}
    data.update(fields)
    errors = _refused(context, "organization_create", data)
    assert field in errors
    assert helpers.call_action("organization_list") == []


def test_group_is_a_theme_with_translations_and_eu_theme(context):
    helpers.call_action(
        "group_create", dict(context), name="health",
        title_translated={"ar": "الصحة", "fr": "Santé", "en": "Health"},
        description_translated={"fr": "Données de santé publique"},
        eu_theme="HEAL", image_url="https://portail.gov.tn/icons/health.svg",
    )
    group = helpers.call_action("group_show", id="health")
    assert group["title_translated"] == {"ar": "الصحة", "fr": "Santé", "en": "Health"}
    assert group["eu_theme"] == "HEAL"
    assert group["image_url"] == "https://portail.gov.tn/icons/health.svg"

    errors = _refused(context, "group_create", {"name": "other", "eu_theme": "XXXX",
                                                 "title_translated": {"ar": "أخرى", "fr": "Autre"}})
    assert list(errors) == ["eu_theme"]


def test_core_title_only_clients_still_create_organisations(context):
    """CKAN's own API clients and harvesters only know ``title``."""
    helpers.call_action("organization_create", dict(context), name="ins", title="Institut National de la Statistique")
    org = helpers.call_action("organization_show", id="ins")
    assert org["title"] == "Institut National de la Statistique"
    assert "Institut National de la Statistique" in org["title_translated"].values()


# --------------------------------------------------------------- forms

@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_new_dataset_form_shows_the_schema_fields(app, sysadmin, org, lang):
    page = app.get(f"/{lang}/dataset/new", headers={"Authorization": sysadmin["token"]})
    assert page.status_code == 200
    for field_id in ("field-title_translated-ar", "field-title_translated-fr", "field-notes_translated-ar",
                     "field-theme", "field-license_id", "field-frequency", "field-spatial_region",
                     "field-personal_data_declaration", "field-government_level", "field-conforms_to"):
        assert f'id="{field_id}"' in page.body, field_id
    # vocabulary labels in the UI language
    expected = {"fr": ("Licence Nationale de Données Publiques Ouvertes", "Sfax", "Annuelle"),
                "ar": ("الرخصة الوطنية للبيانات العمومية المفتوحة", "صفاقس", "سنوي")}[lang]
    for label in expected:
        assert label in page.body, label


@pytest.mark.parametrize("url, field_id", [
    ("/fr/organization/new", "field-institution_type"),
    ("/ar/organization/new", "field-open_data_officer_email"),
    ("/fr/group/new", "field-eu_theme"),
])
def test_new_organisation_and_group_forms_show_the_schema_fields(app, sysadmin, url, field_id):
    page = app.get(url, headers={"Authorization": sysadmin["token"]})
    assert page.status_code == 200
    assert f'id="{field_id}"' in page.body
    assert 'id="field-title_translated-ar"' in page.body


@pytest.mark.parametrize("lang, expected", [
    ("fr", ("Production agricole par gouvernorat", "Annuelle", "Sousse", "Central",
            "Les données ne contiennent aucune donnée personnelle")),
    ("ar", ("الإنتاج الفلاحي حسب الولاية", "سنوي", "سوسة", "مركزي", "لا تتضمن البيانات أي معطيات شخصية")),
])
def test_dataset_and_publisher_pages_show_vocabulary_labels_in_the_ui_language(app, context, org, lang, expected):
    _create(context, org, frequency="ANNUAL", spatial_region=["TN-51"], government_level="central",
            spatial=json.dumps(POINT), license_id="lndpo-tn")
    page = app.get(f"/{lang}/dataset/production-agricole")
    assert page.status_code == 200
    for text in expected:
        assert text in page.body, text
    assert '"coordinates"' not in page.body  # the GeoJSON is not shown as such

    about = app.get(f"/{lang}/organization/about/{org['name']}")
    assert about.status_code == 200

"""The portal's controlled vocabularies and the validators built on them
(pure functions: no database)."""
from __future__ import annotations

import json
import os
import re

import pytest

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import Invalid, StopOnError, missing

from ckanext.opengov.logic import vocabularies as v

EU = "http://publications.europa.eu/resource/authority/"


@pytest.mark.parametrize("name", sorted(v.VOCABULARY_FILES))
def test_every_entry_has_a_unique_value_and_labels_in_three_languages(name):
    entries = v.vocabulary(name)
    values = [e["value"] for e in entries]
    assert entries and len(values) == len(set(values))
    for entry in entries:
        assert all(entry["label"].get(lang) for lang in ("ar", "fr", "en")), entry


def test_themes_map_to_eu_data_themes():
    themes = v.vocabulary("themes")
    assert len(themes) == 15
    eu_codes = set(v.vocabulary_values("eu_themes"))
    for theme in themes:
        assert theme["uri"].startswith(EU + "data-theme/")
        assert theme["uri"].rsplit("/", 1)[1] in eu_codes
    assert v.opengov_vocabulary_uri("themes", "health") == EU + "data-theme/HEAL"
    assert v.opengov_theme_uris('["agriculture", "tourism", "economy"]') == [
        EU + "data-theme/AGRI", EU + "data-theme/ECON"]


def test_frequencies_and_access_rights_are_eu_uris():
    assert v.opengov_vocabulary_uri("frequencies", "ANNUAL") == EU + "frequency/ANNUAL"
    assert v.vocabulary_values("access_rights") == ["PUBLIC", "RESTRICTED", "NON_PUBLIC"]
    assert v.opengov_vocabulary_uri("access_rights", "NON_PUBLIC") == EU + "access-right/NON_PUBLIC"
    assert v.opengov_vocabulary_uri("languages", "ar") == EU + "language/ARA"


def test_regions_are_tunisias_24_governorates_with_iso_codes():
    governorates = [e for e in v.vocabulary("regions") if e["value"] != "TN"]
    assert len(governorates) == 24
    assert all(re.fullmatch(r"TN-[1-8][1-4]", e["value"]) for e in governorates)
    assert v.vocabulary_entry("regions", "TN-61")["label"] == {"ar": "صفاقس", "fr": "Sfax", "en": "Sfax"}


def test_licences_offer_the_national_open_licences_with_eu_uris():
    licences = {e["value"]: e for e in v.vocabulary("licences")}
    assert licences["lndpo-tn"]["label"]["fr"] == "Licence Nationale de Données Publiques Ouvertes"
    assert "licence nationale ouverte" in licences["lo-ma"]["label"]["fr"]
    assert licences["cc-by-4.0"]["uri"] == EU + "licence/CC_BY_4_0"
    assert licences["odc-odbl"]["uri"] == EU + "licence/ODC_BL"
    assert all(e["url"].startswith("https://") for e in licences.values())


def test_the_shipped_licence_register_is_generated_from_licences_yaml():
    path = os.path.join(v.DATA_DIR, "licences.json")
    with open(path, encoding="utf-8") as f:
        assert f.read() == v.licence_register_json(), "run vocabularies.write_licence_register()"
    register = json.loads(v.licence_register_json())
    assert [r["id"] for r in register] == v.vocabulary_values("licences")
    assert all(r["od_conformance"] == "approved" for r in register)


def test_every_ini_file_loads_the_shipped_licence_register():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    for ini, here in (("test.ini", root), ("config/development.ini", os.path.join(root, "config"))):
        line = next(l for l in open(os.path.join(root, ini)) if l.startswith("licenses_group_url"))
        path = line.split("=", 1)[1].strip().replace("file://", "").replace("%(here)s", here)
        assert os.path.samefile(path, os.path.join(v.DATA_DIR, "licences.json")), ini
    prod = open(os.path.join(root, "config/production.ini")).read()
    assert "licenses_group_url" not in prod  # the plugin's default applies


@pytest.mark.ckan_config("licenses_group_url", "")
@pytest.mark.ckan_config("ckan.plugins", "opengov")
@pytest.mark.usefixtures("with_plugins")
def test_without_an_ini_setting_the_plugin_loads_the_shipped_register():
    assert tk.config["licenses_group_url"] == "file://" + v.LICENCE_REGISTER_FILE


def test_choices_helper_gives_translated_labels():
    choices = v.opengov_choices({"vocabulary": "government_levels"})
    assert choices == [
        {"value": "central", "label": {"ar": "مركزي", "fr": "Central", "en": "Central"}},
        {"value": "regional", "label": {"ar": "جهوي", "fr": "Régional", "en": "Regional"}},
        {"value": "local", "label": {"ar": "محلي", "fr": "Local", "en": "Local"}},
    ]
    assert v.opengov_vocabulary_label("frequencies", "ANNUAL", "ar") == "سنوي"
    assert v.opengov_vocabulary_label("frequencies", "nope", "fr") == "nope"


# --------------------------------------------------------------- formats

@pytest.mark.parametrize("text, expected", [
    ("csv", "CSV"), (".CSV", "CSV"), ("text/csv", "CSV"), ("geojson", "GeoJSON"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    (EU + "file-type/SHP", "SHP"), ("Shapefile", "SHP"), ("htm", "HTML"),
])
def test_format_spellings(text, expected):
    assert v.format_entry(text)["value"] == expected


def test_every_format_but_api_has_a_media_type_and_eu_uri():
    for entry in v.vocabulary("formats"):
        if entry["value"] == "API":
            continue
        assert "/" in entry["media_type"] and entry["uri"].startswith(EU + "file-type/"), entry


def _run(validator, key, data, context=None):
    errors = {k: [] for k in data}
    errors.setdefault(key, [])
    try:
        validator(key, data, errors, context or {})
    except StopOnError:
        pass
    return errors


def test_resource_format_fills_the_mimetype_only_when_empty():
    key = ("resources", 0, "format")
    data = {key: "xlsx", ("resources", 0, "mimetype"): missing}
    assert _run(v.opengov_resource_format, key, data)[key] == []
    assert data[key] == "XLSX"
    assert data[("resources", 0, "mimetype")].endswith("spreadsheetml.sheet")

    data = {key: "EXE", ("resources", 0, "mimetype"): missing}
    assert _run(v.opengov_resource_format, key, data)[key] == [
        'Format "EXE" is not in the list of accepted formats']


# --------------------------------------------------------------- GeoJSON

GOOD_GEOJSON = [
    {"type": "Point", "coordinates": [10.18, 36.8]},
    {"type": "Polygon", "coordinates": [[[8, 30], [11, 30], [11, 37], [8, 37], [8, 30]]]},
    {"type": "MultiLineString", "coordinates": [[[8, 30], [9, 31]], [[10, 32], [11, 33]]]},
    {"type": "Feature", "properties": {"nom": "Sfax"}, "geometry": {"type": "Point", "coordinates": [10.76, 34.74]}},
    {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": None}]},
    {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [1, 2]}]},
]

BAD_GEOJSON = [
    "not json", "[1, 2]", '{"type": "Circle", "coordinates": [1, 2]}',
    '{"type": "Point", "coordinates": [1]}', '{"type": "Point", "coordinates": ["10", "36"]}',
    '{"type": "Point", "coordinates": [10, 95]}', '{"type": "LineString", "coordinates": [[1, 2]]}',
    '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}',
    '{"type": "Feature", "geometry": {"type": "Point"}}',
    '{"type": "FeatureCollection", "features": [{"type": "Point", "coordinates": [1, 2]}]}',
]


@pytest.mark.parametrize("geojson", GOOD_GEOJSON, ids=[g["type"] for g in GOOD_GEOJSON])
def test_valid_geojson_is_stored_as_compact_json(geojson):
    for given in (geojson, json.dumps(geojson, indent=2)):
        assert json.loads(v.opengov_geojson(given, {})) == geojson


@pytest.mark.parametrize("text", BAD_GEOJSON)
def test_malformed_geojson_is_refused(text):
    with pytest.raises(Invalid) as raised:
        v.opengov_geojson(text, {})
    assert raised.value.error.startswith("Invalid GeoJSON")


def test_empty_geojson_is_allowed():
    assert v.opengov_geojson("", {}) == ""


# --------------------------------------------------------------- other validators

def test_temporal_end_may_not_precede_the_start():
    check = v.opengov_not_before("temporal_start")
    key = ("temporal_end",)
    assert _run(check, key, {key: "2023-12-31", ("temporal_start",): "2024-01-01"})[key] == [
        "The end date must not be before the start date"]
    assert _run(check, key, {key: "2024-01-01", ("temporal_start",): "2024-01-01"})[key] == []
    assert _run(check, key, {key: "2024-06-01", ("temporal_start",): missing})[key] == []


def test_declaration_required_unless_draft_or_harvested():
    key = ("personal_data_declaration",)
    assert _run(v.opengov_required_to_publish, key, {key: missing, ("state",): "active"})[key] == ["Missing value"]
    assert _run(v.opengov_required_to_publish, key, {key: missing, ("state",): missing})[key] == ["Missing value"]
    assert _run(v.opengov_required_to_publish, key, {key: "", ("state",): "draft"})[key] == []
    assert _run(v.opengov_required_to_publish, key, {key: missing},
                {"opengov_harvested": True})[key] == []


class _Package:
    extras = {"guid": "urn:x:1", "source_url": "https://source.tn/1"}


def test_keep_stored_restores_the_stored_value_only_when_not_sent():
    key = ("guid",)
    data = {key: missing}
    _run(v.opengov_keep_stored, key, data, {"package": _Package()})
    assert data[key] == "urn:x:1"

    data = {key: "urn:x:2"}
    _run(v.opengov_keep_stored, key, data, {"package": _Package()})
    assert data[key] == "urn:x:2"

    data = {key: missing}
    _run(v.opengov_keep_stored, key, data, {})
    assert data[key] is missing


def test_url_list_accepts_lists_and_lines_and_refuses_non_urls():
    key = ("conforms_to",)
    data = {key: "https://a.tn/norme\nhttps://b.tn/spec"}
    assert _run(v.opengov_url_list, key, data)[key] == []
    assert json.loads(data[key]) == ["https://a.tn/norme", "https://b.tn/spec"]
    data = {key: ["https://a.tn/x", "", "ftp//nope"]}
    assert _run(v.opengov_url_list, key, data)[key] == ['Not a valid URL: "ftp//nope"']
    assert v.opengov_json_list_output('["https://a.tn/x"]') == ["https://a.tn/x"]


def test_core_title_only_requests_become_one_language(monkeypatch):
    monkeypatch.setitem(tk.config, "ckan.locale_default", "fr")
    data = {("title_translated",): missing, ("title",): "Commune de Sfax",
            ("description_translated",): missing, ("description",): "بلدية صفاقس", ("__extras",): {}}
    context: dict = {}
    v.opengov_translated_from_core(("__before",), data, {}, context)
    assert data[("title_translated",)] == {"fr": "Commune de Sfax"}
    assert data[("description_translated",)] == {"ar": "بلدية صفاقس"}
    assert context["opengov_harvested"] is True

    form = {("title_translated",): missing, ("title",): "x", ("__extras",): {"title_translated-ar": ""}}
    v.opengov_translated_from_core(("__before",), form, {}, {})
    assert form[("title_translated",)] is missing


def test_plugin_registers_the_validators_and_helpers():
    assert set(v.get_validators()) >= {"opengov_geojson", "opengov_resource_format", "opengov_keep_stored",
                                       "opengov_not_before", "opengov_required_to_publish"}
    assert set(v.get_helpers()) >= {"opengov_choices", "opengov_vocabulary_label", "opengov_vocabulary_uri"}

"""Search in Arabic and French: per-language fields indexed by
``before_dataset_index`` into the derived Solr schema (Arabic normalisation
and stemming, French elision and light stemming), per-language facets and
sorting. Runs on the real Solr core of the test slot.

The plugins are plain CKAN + opengov (no scheming): the multilingual values
are passed as extras holding JSON strings, the way they are stored."""
from __future__ import annotations

import json
from collections import OrderedDict

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.opengov import search

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "opengov"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _translated(**values) -> str:
    return json.dumps(values, ensure_ascii=False)


def _dataset(org: dict, name: str, title=None, notes=None, keywords=None,
             extras=(), **fields) -> dict:
    """A dataset whose multilingual fields are stored as JSON extras."""
    extras = list(extras)
    if title:
        extras.append({"key": "title_translated", "value": _translated(**title)})
    if notes:
        extras.append({"key": "notes_translated", "value": _translated(**notes)})
    if keywords:
        extras.append({"key": "tags_translated", "value": _translated(**keywords)})
    core_title = (title or {}).get("fr") or (title or {}).get("ar") or name
    return factories.Dataset(name=name, title=core_title, owner_org=org["id"],
                             extras=extras, **fields)


def _names(**params) -> list[str]:
    result = helpers.call_action("package_search", **params)
    return [d["name"] for d in result["results"]]


@pytest.fixture
def org(with_plugins, clean_db, clean_index):
    """Requests the clean-up fixtures itself so it runs after them."""
    return factories.Organization(name="ministere-education")


@pytest.fixture
def school_and_hospital(org):
    _dataset(org, "ecoles", title={"ar": "المدرسة الابتدائية", "fr": "École primaire"},
             notes={"ar": "قائمة المدارس", "fr": "Liste des écoles primaires"})
    _dataset(org, "hopitaux", title={"ar": "المستشفيات العمومية", "fr": "Hôpitaux publics"},
             notes={"fr": "Qualité de l'eau dans les hôpitaux"})


# Arabic ----------------------------------------------------------------------

@pytest.mark.usefixtures("school_and_hospital")
def test_arabic_query_with_diacritics_finds_the_title_written_without():
    assert _names(q="المَدْرَسَة") == ["ecoles"]


def test_arabic_query_without_diacritics_finds_the_title_written_with(org):
    _dataset(org, "budget", title={"ar": "المِيزَانِيَّة البَلَدِيَّة", "fr": "Budget communal"})
    _dataset(org, "eau", title={"ar": "الماء الصالح للشرب", "fr": "Eau potable"})
    assert _names(q="الميزانية") == ["budget"]
    assert _names(q="ميزانية البلدية") == ["budget"]


def test_hamza_and_alef_forms_match_the_bare_alef(org):
    _dataset(org, "prix", title={"ar": "أسعار المواد الغذائية", "fr": "Prix alimentaires"})
    _dataset(org, "stats", title={"ar": "إحصائيات السكان", "fr": "Statistiques de population"})
    _dataset(org, "patrimoine", title={"ar": "الآثار والمعالم", "fr": "Patrimoine"})
    assert _names(q="اسعار") == ["prix"]
    assert _names(q="احصائيات") == ["stats"]
    assert _names(q="الاثار") == ["patrimoine"]
    # and the other way round: a hamza typed in the query finds bare alef text
    _dataset(org, "ecoles-2", title={"ar": "اسماء المدارس", "fr": "Noms des écoles"})
    assert _names(q="أسماء") == ["ecoles-2"]


@pytest.mark.usefixtures("school_and_hospital")
def test_taa_marbuta_and_haa_match():
    assert _names(q="المدرسه") == ["ecoles"]
    assert _names(q="عمومية") == ["hopitaux"]
    assert _names(q="عموميه") == ["hopitaux"]


def test_bidi_marks_and_tatweel_do_not_hide_an_arabic_word(org):
    _dataset(org, "transport", title={"ar": "\u200fالنقـــل العمومي\u200f", "fr": "Transport public"})
    assert _names(q="النقل") == ["transport"]


# French ----------------------------------------------------------------------

@pytest.mark.usefixtures("school_and_hospital")
def test_french_plural_and_singular_find_each_other():
    assert _names(q="hôpital") == ["hopitaux"]
    assert _names(q="hopital") == ["hopitaux"]
    assert _names(q="écoles") == ["ecoles"]
    assert _names(q="ecole") == ["ecoles"]


@pytest.mark.usefixtures("school_and_hospital")
def test_french_elision_l_eau_finds_eau(org):
    # "l'eau" is only in the French description of the hospitals
    assert _names(q="eau") == ["hopitaux"]
    _dataset(org, "potable", title={"ar": "الماء", "fr": "Eau potable"})
    assert sorted(_names(q="l'eau")) == ["hopitaux", "potable"]
    assert sorted(_names(q="L’Eau")) == ["hopitaux", "potable"]


def test_french_keywords_are_searched_with_french_analysis(org):
    _dataset(org, "routes", title={"ar": "الطرقات", "fr": "Réseau routier"},
             keywords={"fr": ["Infrastructures", "transports"], "ar": ["طرقات"]})
    assert _names(q="infrastructure") == ["routes"]
    assert _names(q="transport") == ["routes"]


# facets, sorting, plain datasets --------------------------------------------------

def test_keyword_facets_per_language_come_back_with_counts(org):
    _dataset(org, "agri", title={"ar": "الفلاحة", "fr": "Agriculture"},
             keywords={"ar": ["فلاحة", "مياه"], "fr": ["agriculture", "eau"]})
    _dataset(org, "irri", title={"ar": "الري", "fr": "Irrigation"},
             keywords={"ar": ["مياه"], "fr-FR": ["eau", "irrigation"]})
    result = helpers.call_action(
        "package_search", **{"facet.field": ["keywords_ar", "keywords_fr", "keywords_en"]})
    facets = result["search_facets"]
    assert {i["name"]: i["count"] for i in facets["keywords_ar"]["items"]} == {"مياه": 2, "فلاحة": 1}
    assert {i["name"]: i["count"] for i in facets["keywords_fr"]["items"]} == {
        "eau": 2, "agriculture": 1, "irrigation": 1}
    assert facets["keywords_en"]["items"] == []
    assert _names(fq='keywords_ar:"مياه"', sort="name asc") == ["agri", "irri"]


def test_sorting_by_the_french_title_follows_french_alphabetical_order(org):
    for name, fr in [("zz", "Zones industrielles"), ("ee", "Écoles primaires"),
                     ("bb", "budget communal"), ("hh", "Hôpitaux")]:
        _dataset(org, name, title={"ar": "عنوان " + name, "fr": fr})
    factories.Dataset(name="plain", title="Données sans traduction", owner_org=org["id"])
    assert _names(sort="title_string_fr asc") == ["bb", "plain", "ee", "hh", "zz"]
    assert _names(sort="title_string_fr desc") == ["zz", "hh", "ee", "plain", "bb"]


def test_sorting_by_the_arabic_title(org):
    for name, ar in [("cc", "ثقافة"), ("aa", "أسعار"), ("bb", "بلديات")]:
        _dataset(org, name, title={"ar": ar, "fr": "x " + name})
    assert _names(sort="title_string_ar asc") == ["aa", "bb", "cc"]


def test_plain_dataset_without_multilingual_fields_is_indexed_and_found(org):
    factories.Dataset(name="plain", title="Lignes de bus", notes="Horaires des bus",
                      owner_org=org["id"], tags=[{"name": "transport"}])
    assert _names(q="bus") == ["plain"]
    assert _names(q="tags:transport") == ["plain"]


def test_theme_government_level_and_region_facets(org):
    regional = factories.Organization(
        name="gouvernorat-sfax",
        extras=[{"key": "government_level", "value": "regional"},
                {"key": "region", "value": "TN-61"}])
    health = factories.Group(name="health")
    _dataset(regional, "clinics", title={"ar": "المصحات", "fr": "Cliniques"},
             groups=[{"name": health["name"]}])
    _dataset(org, "schools", title={"ar": "المدارس", "fr": "Écoles"},
             extras=[{"key": "government_level", "value": "central"},
                     {"key": "theme", "value": '["education", "health"]'},
                     {"key": "spatial_region", "value": '["TN-11", "TN-12"]'}])
    result = helpers.call_action(
        "package_search", **{"facet.field": ["theme", "government_level", "region"]})
    facets = {k: {i["name"]: i["count"] for i in v["items"]}
              for k, v in result["search_facets"].items()}
    assert facets["theme"] == {"health": 2, "education": 1}
    assert facets["government_level"] == {"regional": 1, "central": 1}
    assert facets["region"] == {"TN-61": 1, "TN-11": 1, "TN-12": 1}
    assert _names(fq="region:TN-11") == ["schools"]
    assert _names(fq="government_level:regional") == ["clinics"]

    labelled = search.after_dataset_search(result, {})["search_facets"]
    labels = {k: {i["name"]: i["display_name"] for i in v["items"]} for k, v in labelled.items()}
    assert labels["theme"] == {"health": "Health", "education": "Education"}
    assert labels["government_level"] == {"regional": "Regional", "central": "Central"}
    assert labels["region"]["TN-61"] == "Sfax"


def test_search_page_shows_keywords_of_the_ui_language(app, org):
    _dataset(org, "agri", title={"ar": "الفلاحة", "fr": "Agriculture"},
             keywords={"ar": ["فلاحة"], "fr": ["cultures céréalières"]})
    arabic = app.get("/ar/dataset/").body
    french = app.get("/fr/dataset/").body
    assert "فلاحة" in arabic and "cultures céréalières" not in arabic
    assert "cultures céréalières" in french and "فلاحة" not in french
    assert "keywords_ar=" in arabic and "keywords_fr=" in french


# the hooks themselves ------------------------------------------------------------

def test_before_dataset_index_reads_the_validated_dict_and_flattens_dicts():
    validated = {
        "title_translated": {"ar": "المدرسة", "FR": "École", "de": "Schule"},
        "notes_translated": {"fr-FR": "Liste"},
        "tags_translated": {"ar": ["مدارس", "\u200fتعليم"], "fr": "écoles, enseignement"},
    }
    doc = search.before_dataset_index({
        "title": "École", "groups": [],
        "title_translated": json.dumps(validated["title_translated"]),
        "validated_data_dict": json.dumps(validated),
        "contact": {"name": "Bureau"},
        "spatial": [{"type": "Point"}],
    })
    assert (doc["title_ar"], doc["title_fr"], doc["notes_fr"]) == ("المدرسة", "École", "Liste")
    assert "title_de" not in doc and "notes_ar" not in doc
    assert doc["keywords_ar"] == ["مدارس", "تعليم"]
    assert doc["keywords_fr"] == ["écoles", "enseignement"]
    assert doc["title_string_en"] == "المدرسة"  # falls back to another language
    assert json.loads(doc["contact"]) == {"name": "Bureau"}
    assert doc["spatial"] == ['{"type": "Point"}']
    assert not any(isinstance(v, dict) for v in doc.values())


def test_dataset_facets_order_and_keyword_field_of_the_default_language():
    facets = search.dataset_facets(
        OrderedDict([("organization", "O"), ("groups", "G"), ("tags", "T"),
                     ("res_format", "F"), ("license_id", "L"), ("other", "X")]),
        "dataset")
    assert list(facets) == ["theme", "organization", "government_level", "region",
                            "res_format", "license_id", "keywords_en", "tags", "other"]
    assert facets["theme"] == tk._("Themes")
    assert search.keyword_facet_field("ar") == "keywords_ar"
    assert search.keyword_facet_field("fr_FR") == "keywords_fr"
    assert search.keyword_facet_field("de") == "keywords_en"


def test_on_a_core_without_the_language_fields_datasets_still_index_flat(monkeypatch):
    """A core still on CKAN's stock schema would reject keyword lists: the
    hook then only flattens (and asks Solr again later). The real Solr
    answers 404 for the fields of a core it does not have."""
    monkeypatch.setitem(tk.config, "solr_url", "http://127.0.0.1:8983/solr/no_such_core_c")
    search._SCHEMA_CHECKS.clear()
    doc = search.before_dataset_index({
        "title": "École", "groups": ["health"], "contact": {"name": "Bureau"},
        "title_translated": _translated(ar="المدرسة", fr="École"),
        "tags_translated": _translated(ar=["مدارس", "تعليم"]),
    })
    assert not {"title_ar", "keywords_ar", "theme"} & set(doc)
    assert doc["contact"] == '{"name": "Bureau"}'
    search._SCHEMA_CHECKS.clear()

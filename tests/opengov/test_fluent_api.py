"""The multilingual presets through CKAN's API (package_create/update/show/
search) on the real database and Solr core, with the TEST-ONLY schema
``tests/opengov/fluent_test_schema.yaml`` (type ``fluent-test``)."""
from __future__ import annotations

import json

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.conftest import PORTAL_PLUGINS

TEST_SCHEMA = "tests.opengov:fluent_test_schema.yaml"
PRESETS = "ckanext.opengov:presets.json ckanext.scheming:presets.json"
#: organisations without multilingual fields, so the fixtures stay simple
PLAIN_ORGANIZATIONS = "ckanext.scheming:org_with_dept_id.json"

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.ckan_config("scheming.dataset_schemas", TEST_SCHEMA),
    pytest.mark.ckan_config("scheming.presets", PRESETS),
    pytest.mark.ckan_config("scheming.organization_schemas", PLAIN_ORGANIZATIONS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

TITLE = {"ar": "الميزانية البلدية", "fr": "Budget communal", "en": "Municipal budget"}
NOTES = {"ar": "ميزانية بلدية تونس", "fr": "Budget de la commune de Tunis"}


@pytest.fixture
def org():
    return factories.Organization(name="commune-tunis")


@pytest.fixture
def context():
    return {"user": factories.Sysadmin()["name"]}


def _create(context, org, **fields):
    data = {"type": "fluent-test", "name": "budget-communal", "owner_org": org["id"],
            "title_translated": TITLE, "notes_translated": NOTES}
    data.update(fields)
    return helpers.call_action("package_create", dict(context), **data)


def _stored_extra(name: str, key: str) -> str:
    """The raw value in the database, as stored (package.extras JSONB)."""
    return model.Package.get(name).extras[key]


def test_create_and_show_in_three_languages(context, org):
    created = _create(context, org, tags_translated={
        "ar": ["ميزانية", "بلديات"], "fr": ["budget", "collectivités locales"], "en": ["budget"]})

    shown = helpers.call_action("package_show", id=created["id"])
    assert shown["title_translated"] == TITLE
    assert shown["notes_translated"] == NOTES
    assert shown["tags_translated"]["ar"] == ["ميزانية", "بلديات"]
    assert shown["tags_translated"]["fr"] == ["budget", "collectivités locales"]

    # stored as readable JSON: Arabic kept literally, tags too (no \\u escapes)
    assert "الميزانية البلدية" in _stored_extra("budget-communal", "title_translated")
    tags = _stored_extra("budget-communal", "tags_translated")
    assert "ميزانية" in tags and "\\u" not in tags
    assert json.loads(tags)["en"] == ["budget"]


def test_json_string_input_and_language_keys_are_normalised(context, org):
    created = _create(
        context, org,
        title_translated=json.dumps({"AR": "الميزانية", "fr-FR": "Budget", "en_GB": "Budget"}),
        notes_translated={"ar_TN": "ميزانية", "fr-TN": "Budget de Tunis", "en": ""},
    )
    assert created["title_translated"] == {"ar": "الميزانية", "fr": "Budget", "en": "Budget"}
    # empty values are dropped
    assert created["notes_translated"] == {"ar": "ميزانية", "fr": "Budget de Tunis"}


@pytest.mark.ckan_config("ckan.locale_default", "fr")
def test_core_title_and_notes_are_written_on_save_from_default_locale(context, org):
    _create(context, org)
    package = model.Package.get("budget-communal")
    assert package.title == "Budget communal"
    assert package.notes == "Budget de la commune de Tunis"


@pytest.mark.ckan_config("ckan.locale_default", "en")
def test_core_title_falls_back_over_non_empty_languages(context, org):
    # no English description: the next language of ar fr en is used
    _create(context, org)
    package = model.Package.get("budget-communal")
    assert package.title == "Municipal budget"
    assert package.notes == "ميزانية بلدية تونس"


@pytest.mark.ckan_config("ckan.locale_default", "fr")
def test_search_finds_each_language_and_sorts_on_the_real_title(context, org):
    _create(context, org)
    _create(context, org, name="abattoirs",
            title_translated={"ar": "المسالخ", "fr": "Abattoirs municipaux"},
            notes_translated={"ar": "المسالخ البلدية", "fr": "Liste des abattoirs"})

    for query in ("الميزانية", "communal", "budget"):
        result = helpers.call_action("package_search", q=query)
        assert [d["name"] for d in result["results"]] == ["budget-communal"], query

    ordered = helpers.call_action("package_search", sort="title_string asc")
    assert [d["title"] for d in ordered["results"]] == ["Abattoirs municipaux", "Budget communal"]
    assert ordered["results"][0]["title_translated"]["ar"] == "المسالخ"


def test_update_replaces_languages_and_keeps_core_title_in_step(context, org):
    created = _create(context, org)
    created["title_translated"] = {"ar": "ميزانية 2025", "fr": "Budget 2025"}
    helpers.call_action("package_update", dict(context), **created)

    shown = helpers.call_action("package_show", id=created["id"])
    assert shown["title_translated"] == {"ar": "ميزانية 2025", "fr": "Budget 2025"}
    assert model.Package.get("budget-communal").title in {"ميزانية 2025", "Budget 2025"}
    assert helpers.call_action("package_search", q="2025")["count"] == 1


def test_missing_required_language_is_a_field_error_and_nothing_is_saved(context, org):
    with pytest.raises(tk.ValidationError) as error:
        _create(context, org, title_translated={"fr": "Budget communal", "en": "Budget"})
    assert error.value.error_dict["title_translated"] == ['Required language "ar" missing']
    assert model.Package.get("budget-communal") is None
    assert helpers.call_action("package_search")["count"] == 0


def test_english_is_optional(context, org):
    created = _create(context, org, title_translated={"ar": "ميزانية", "fr": "Budget"})
    assert created["title_translated"] == {"ar": "ميزانية", "fr": "Budget"}


def test_unknown_language_key_is_refused(context, org):
    with pytest.raises(tk.ValidationError) as error:
        _create(context, org, title_translated={**TITLE, "de": "Haushalt"})
    assert error.value.error_dict["title_translated"] == [
        'Unknown language "de": use one of ar, fr, en']
    assert model.Package.get("budget-communal") is None


def test_malformed_values_are_field_errors(context, org):
    with pytest.raises(tk.ValidationError) as error:
        _create(context, org, title_translated="{not json",
                notes_translated=["a list"], tags_translated={"fr": ["x"], "ar": ["زراعة/صيد"]})
    errors = error.value.error_dict
    assert errors["title_translated"] == ["Failed to decode JSON string"]
    assert errors["notes_translated"] == ["expecting JSON object"]
    assert errors["tags_translated"] == [
        'fr: Tag "x" is shorter than 2 characters',
        "ar: Tag \"زراعة/صيد\" may only contain letters, digits, spaces and - _ . '",
    ]
    assert model.Package.get("budget-communal") is None


def test_harvested_content_needs_only_one_language(org):
    context = {"user": factories.Sysadmin()["name"], "opengov_harvested": True}
    created = _create(context, org, title_translated={"fr": "Budget communal", "ar": ""},
                      notes_translated={"fr": "Budget"})
    assert created["title_translated"] == {"fr": "Budget communal"}

    with pytest.raises(tk.ValidationError) as error:
        _create(dict(context), org, name="vide", title_translated={"ar": "", "fr": " "})
    assert error.value.error_dict["title_translated"] == ["At least one language is required"]


@pytest.mark.ckan_config("ckanext.opengov.required_languages", "fr")
def test_required_languages_are_configurable(context, org):
    created = _create(context, org, title_translated={"fr": "Budget communal"},
                      notes_translated={"fr": "Budget"})
    assert created["title_translated"] == {"fr": "Budget communal"}


def test_resource_name_translated_writes_core_name(context, org):
    created = _create(context, org, resources=[{
        "url": "http://example.com/budget.csv",
        "name_translated": {"ar": "ميزانية 2024", "fr-FR": "Budget 2024"},
        "description_translated": {"fr": "Fichier CSV"},
    }])
    resource = created["resources"][0]
    assert resource["name_translated"] == {"ar": "ميزانية 2024", "fr": "Budget 2024"}
    assert model.Resource.get(resource["id"]).name in {"ميزانية 2024", "Budget 2024"}
    assert model.Resource.get(resource["id"]).description == "Fichier CSV"


def test_legacy_plain_string_is_shown_under_the_default_language(context, org):
    created = _create(context, org)
    package = model.Package.get(created["id"])
    package.extras = {**package.extras, "provenance": "Direction des finances"}
    model.Session.commit()
    shown = helpers.call_action("package_show", {"use_cache": False}, id=created["id"])
    assert shown["provenance"] == {tk.config["ckan.locale_default"]: "Direction des finances"}


# web form and pages ---------------------------------------------------------------

@pytest.fixture
def editor():
    return factories.UserWithToken()


@pytest.fixture
def editor_org(editor):
    return factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])


def _inputs(html: str, field: str) -> dict[str, dict]:
    """Attributes of the per-language inputs of ``field``, by language."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    found = soup.select(f'[name^="{field}-"]')
    return {tag["name"].split("-", 1)[1]: tag for tag in found}


def test_french_form_has_one_input_per_language_with_lang_and_dir(app, editor, editor_org):
    response = app.get("/fr/fluent-test/new", headers={"Authorization": editor["token"]})
    inputs = _inputs(response.body, "title_translated")
    assert list(inputs) == ["ar", "fr", "en"]
    assert (inputs["ar"]["lang"], inputs["ar"]["dir"]) == ("ar", "rtl")
    assert (inputs["fr"]["lang"], inputs["fr"]["dir"]) == ("fr", "ltr")
    assert 'for="field-title_translated-ar"><span class="control-required">*</span> Titre (العربية)' \
        in response.body
    # English is optional: no required marker
    assert 'for="field-title_translated-en">Titre (English)' in response.body
    notes = _inputs(response.body, "notes_translated")
    assert notes["ar"].name == "textarea" and notes["ar"]["dir"] == "rtl"


def test_arabic_form_is_rtl_and_labels_are_arabic(app, editor, editor_org):
    response = app.get("/ar/fluent-test/new", headers={"Authorization": editor["token"]})
    assert '<html lang="ar"  dir="rtl"' in response.body
    inputs = _inputs(response.body, "title_translated")
    assert inputs["ar"]["dir"] == "rtl" and inputs["en"]["dir"] == "ltr"
    assert "العنوان (Français)" in response.body


@pytest.mark.ckan_config("ckan.locale_default", "fr")
@pytest.mark.parametrize("ui", ["fr", "ar"])
def test_dataset_created_through_the_form(app, editor, editor_org, ui):
    response = app.post(
        f"/{ui}/fluent-test/new",
        headers={"Authorization": editor["token"]},
        data={
            "name": "eau-potable", "owner_org": editor_org["id"],
            "title_translated-ar": "الماء الصالح للشرب",
            "title_translated-fr": "Eau potable",
            "title_translated-en": "",
            "notes_translated-ar": "نسبة الربط بشبكة الماء",
            "notes_translated-fr": "Taux de raccordement au réseau",
            "tags_translated-ar": "مياه، \u200fشبكات",
            "tags_translated-fr": "eau, réseau , eau",
            "save": "",
        },
        follow_redirects=False,
    )
    assert response.status_code == 302, response.body
    dataset = helpers.call_action("package_show", id="eau-potable")
    assert dataset["title_translated"] == {"ar": "الماء الصالح للشرب", "fr": "Eau potable"}
    assert dataset["tags_translated"] == {"ar": ["مياه", "شبكات"], "fr": ["eau", "réseau"]}
    # portal content: the core title comes from ckan.locale_default (fr here)
    assert model.Package.get("eau-potable").title == "Eau potable"


@pytest.mark.ckan_config("ckan.locale_default", "fr")
@pytest.mark.parametrize("ui", ["fr", "ar"])
def test_form_with_a_missing_language_shows_the_error_and_saves_nothing(
        app, editor, editor_org, ui):
    response = app.post(
        f"/{ui}/fluent-test/new",
        headers={"Authorization": editor["token"]},
        data={
            "name": "eau-potable", "owner_org": editor_org["id"],
            "title_translated-fr": "Eau potable",
            "notes_translated-ar": "نسبة الربط",
            "notes_translated-fr": "Taux de raccordement",
            "tags_translated-fr": "eau, x",
            "save": "",
        },
    )
    assert response.status_code == 200
    assert model.Package.get("eau-potable") is None
    missing = {"fr": "Titre (العربية): Valeur manquante",
               "ar": "العنوان (العربية): قيمة غير متوفرة"}[ui]
    assert f'<li data-field-label="title_translated-ar">{missing}</li>' in response.body
    assert 'data-field-label="tags_translated-fr"' in response.body
    too_short = {"fr": "Le mot-clé « x » compte moins de 2 caractères",
                 "ar": "عدد أحرف الوسم «x» أقل من الحد الأدنى (2)"}[ui]
    assert too_short in response.body
    # what was typed is kept
    inputs = _inputs(response.body, "title_translated")
    assert inputs["fr"]["value"] == "Eau potable"
    assert inputs["ar"]["dir"] == "rtl"


@pytest.mark.ckan_config("ckan.locale_default", "fr")
def test_pages_fall_back_over_non_empty_languages_with_lang_and_dir(app, org):
    # harvested: only some languages present
    context = {"user": factories.Sysadmin()["name"], "opengov_harvested": True}
    _create(context, org, title_translated={"ar": "الميزانية البلدية", "fr": "Budget communal"},
            notes_translated={"ar": "", "fr": "Budget de la commune de Tunis"},
            provenance={"ar": "مديرية المالية"},
            tags_translated={"fr": ["eau", "santé publique"]},
            landing_page={"fr": "https://finances.example.tn/budget", "ar": "javascript:alert(1)"})

    english = app.get("/en/fluent-test/budget-communal").body
    # no English title: the default locale (fr) is shown, not a blank heading
    assert "Budget communal" in english
    assert "Budget de la commune de Tunis" in english
    # a value only in Arabic is shown marked as Arabic, right-to-left
    assert '<div lang="ar" dir="rtl"><p>مديرية المالية</p></div>' in english

    # keywords link to the keyword facet of their language
    assert '<ul class="tag-list" lang="fr" dir="ltr">' in english
    assert 'href="/en/dataset/?keywords_fr=sant%C3%A9+publique">santé publique</a>' in english
    assert ('<a href="https://finances.example.tn/budget" lang="fr" dir="ltr" '
            'rel="noopener noreferrer" target="_blank">') in english

    arabic = app.get("/ar/fluent-test/budget-communal").body
    # the Arabic link is not an http(s) URL: shown as text, never as a link
    assert 'href="javascript:' not in arabic
    assert "الميزانية البلدية" in arabic
    # no Arabic description: the French one, not a blank
    assert "Budget de la commune de Tunis" in arabic


@pytest.mark.ckan_config("ckan.locale_default", "fr")
def test_edit_form_shows_each_stored_language_in_its_input_and_saves_changes(
        app, editor, editor_org):
    helpers.call_action(
        "package_create", {"user": editor["name"]}, type="fluent-test", name="budget-communal",
        owner_org=editor_org["id"], title_translated=TITLE, notes_translated=NOTES,
        tags_translated={"ar": ["ميزانية", "بلديات"]})
    headers = {"Authorization": editor["token"]}

    form = app.get("/ar/fluent-test/edit/budget-communal", headers=headers).body
    title = _inputs(form, "title_translated")
    assert {lang: tag["value"] for lang, tag in title.items()} == TITLE
    assert _inputs(form, "tags_translated")["ar"]["value"] == "ميزانية, بلديات"

    response = app.post(
        "/ar/fluent-test/edit/budget-communal", headers=headers, follow_redirects=False,
        data={"name": "budget-communal", "owner_org": editor_org["id"],
              "title_translated-ar": "الميزانية البلدية 2025",
              "title_translated-fr": "Budget communal 2025", "title_translated-en": "",
              "notes_translated-ar": NOTES["ar"], "notes_translated-fr": NOTES["fr"],
              "tags_translated-ar": "ميزانية", "save": ""})
    assert response.status_code == 302, response.body
    dataset = helpers.call_action("package_show", id="budget-communal")
    assert dataset["title_translated"] == {"ar": "الميزانية البلدية 2025", "fr": "Budget communal 2025"}
    assert dataset["tags_translated"] == {"ar": ["ميزانية"]}
    assert model.Package.get("budget-communal").title == "Budget communal 2025"


def test_resource_form_inputs_through_resource_create(context, org):
    dataset = _create(context, org)
    resource = helpers.call_action(
        "resource_create", dict(context), package_id=dataset["id"],
        url="http://example.com/budget.csv",
        **{"name_translated-ar": "ميزانية 2024", "name_translated-fr": "Budget 2024",
           "name_translated-en": "", "description_translated-fr": "Fichier CSV"})
    assert resource["name_translated"] == {"ar": "ميزانية 2024", "fr": "Budget 2024"}
    assert resource["description_translated"] == {"fr": "Fichier CSV"}
    assert "name_translated-ar" not in resource
    assert model.Resource.get(resource["id"]).description == "Fichier CSV"

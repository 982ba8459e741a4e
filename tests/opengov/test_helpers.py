"""Template helpers of the multilingual presets (no database)."""
from __future__ import annotations

import pytest

from ckanext.opengov import helpers as h

FIELD = {"field_name": "title_translated", "label": {"fr": "Titre", "ar": "العنوان", "en": "Title"},
         "required": True}


def test_form_languages_come_from_field_then_schema_then_offered_locales():
    assert h.fluent_form_languages({"form_languages": ["fr", "AR"]}) == ["fr", "ar"]
    assert h.fluent_form_languages({}, schema={"form_languages": ["ar", "fr"]}) == ["ar", "fr"]
    assert h.fluent_form_languages() == ["ar", "fr", "en"]  # ckan.locales_offered of test.ini


@pytest.mark.ckan_config("ckan.locales_offered", "fr_FR ar en")
def test_form_languages_use_the_language_part_of_offered_locales():
    assert h.fluent_form_languages() == ["fr", "ar", "en"]


def test_required_languages_policy():
    assert h.fluent_required_languages(FIELD) == ["ar", "fr"]
    assert h.fluent_required_languages(dict(FIELD, required=False)) == []
    assert h.fluent_required_languages(dict(FIELD, required_languages=["fr"])) == ["fr"]
    # none of the configured languages offered by the field: all of its languages
    assert h.fluent_required_languages(dict(FIELD, form_languages=["en"])) == ["en"]
    assert h.fluent_field_is_required(FIELD, "ar") and not h.fluent_field_is_required(FIELD, "en")


@pytest.mark.ckan_config("ckanext.opengov.required_languages", "fr")
def test_required_languages_are_configurable():
    assert h.fluent_required_languages(FIELD) == ["fr"]


def test_alternate_languages():
    field = {"alternate_languages": {"fr": ["fr-t-ar"]}}
    assert h.fluent_alternate_languages(field) == {"fr": ["fr-t-ar"]}
    assert h.fluent_alternate_languages({}, {"alternate_languages": {"ar": ["ar-t-fr"]}}) == {
        "ar": ["ar-t-fr"]}
    assert h.fluent_alternate_languages({}) == {}


def test_form_label_names_the_language_in_itself(app):
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "fr"}):
        assert h.fluent_form_label(FIELD, "ar") == "Titre (العربية)"
        assert h.fluent_form_label(FIELD, "en") == "Titre (English)"
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "ar"}):
        assert h.fluent_form_label(FIELD, "fr") == "العنوان (Français)"
    custom = dict(FIELD, fluent_form_label={"ar": {"fr": "Titre arabe", "ar": "العنوان بالعربية"}})
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "fr"}):
        assert h.fluent_form_label(custom, "ar") == "Titre arabe"


def test_language_dir_uses_ckan_rtl_languages():
    assert h.fluent_language_dir("ar") == "rtl"
    assert h.fluent_language_dir("ar-TN") == "rtl"
    assert h.fluent_language_dir("fr") == "ltr"


def test_input_attrs_carry_lang_dir_and_the_field_attrs():
    field = {"form_attrs": {"style": "width: 100%", "lang": "xx"}}
    assert h.fluent_input_attrs(field, "ar") == {
        "class": "form-control", "style": "width: 100%", "lang": "ar", "dir": "rtl"}


@pytest.mark.ckan_config("ckan.locale_default", "fr")
def test_language_text_falls_back_over_non_empty_values():
    value = {"ar": "", "fr": "Budget", "en": "Budget (en)"}
    assert h.fluent_language_text(value, "en") == "Budget (en)"
    assert h.fluent_language_text(value, "ar") == "Budget"  # empty Arabic -> default locale
    assert h.fluent_language_text({"ar": "ميزانية", "en": "x"}, "fr") == "ميزانية"  # order ar fr en
    assert h.fluent_language_text('{"fr": "JSON"}', "ar") == "JSON"
    assert h.fluent_language_text({"ar": "", "fr": ""}) == ""
    assert h.fluent_language_text(None) == ""


@pytest.mark.ckan_config("ckan.locale_default", "en")
@pytest.mark.ckan_config("ckanext.opengov.language_fallback_order", "fr ar en")
def test_fallback_order_is_configurable():
    assert h.fluent_language_text({"ar": "ميزانية", "fr": "Budget"}, "en") == "Budget"


def test_language_text_follows_the_ui_language(app):
    value = {"ar": "ميزانية", "fr": "Budget"}
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "ar"}):
        assert h.fluent_language_pick(value) == {"lang": "ar", "dir": "rtl", "text": "ميزانية"}
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "fr"}):
        assert h.fluent_language_pick(value) == {"lang": "fr", "dir": "ltr", "text": "Budget"}


def test_form_value_prefers_posted_input_then_stored_value():
    field = {"field_name": "tags_translated"}
    stored = {"tags_translated": {"ar": ["زراعة", "مياه"], "fr": ["eau"]}}
    assert h.fluent_form_value(stored, field, "ar") == "زراعة, مياه"
    assert h.fluent_form_value(stored, field, "en") == ""
    posted = dict(stored, **{"tags_translated-fr": "eau, santé"})
    assert h.fluent_form_value(posted, field, "fr") == "eau, santé"
    assert h.fluent_form_value({}, {"field_name": "title_translated"}, "fr") == ""


def test_tag_search_url_targets_the_per_language_keyword_facet(app):
    with app.flask_app.test_request_context():
        assert h.fluent_tag_search_url("ar", "مياه") == "/dataset/?keywords_ar=%D9%85%D9%8A%D8%A7%D9%87"

"""The multilingual validators on flattened data, the way scheming and CKAN's
navl call them (no database)."""
from __future__ import annotations

import json
from collections import defaultdict

import pytest

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing

from ckanext.opengov.logic import validators as v

SCHEMA = {"form_languages": ["ar", "fr", "en"]}
TITLE = {"field_name": "title_translated", "label": "Title", "required": True,
         "validators": "fluent_text", "output_validators": "fluent_core_translated_output"}
PROVENANCE = {"field_name": "provenance", "label": "Provenance",
              "validators": "fluent_text", "output_validators": "fluent_text_output"}
KEYWORDS = {"field_name": "tags_translated", "label": "Keywords",
            "validators": "fluent_tags", "output_validators": "fluent_tags_output"}


def _run(factory, field, value=missing, form=None, context=None, schema=SCHEMA,
         prefix=(), **other):
    """Run one validator on a flattened dict; return (data, errors)."""
    key = prefix + (field["field_name"],)
    data = {key: value, prefix + ("__extras",): dict(form or {})}
    data.update({prefix + (k,): val for k, val in other.items()})
    errors = defaultdict(list)
    factory(field, schema)(key, data, errors, context or {})
    return data, {k: e for k, e in errors.items() if e}


def _stored(data, name="title_translated", prefix=()):
    return json.loads(data[prefix + (name,)])


# fluent_text: API mode ------------------------------------------------------------

def test_dict_is_stored_as_readable_json_without_empty_values():
    data, errors = _run(v.fluent_text, PROVENANCE, {"ar": "مديرية المالية", "fr": "", "en": " "})
    assert not errors
    assert data[("provenance",)] == '{"ar": "مديرية المالية"}'


def test_json_string_is_accepted():
    data, errors = _run(v.fluent_text, TITLE, json.dumps({"ar": "ميزانية", "fr": "Budget"}))
    assert not errors
    assert _stored(data) == {"ar": "ميزانية", "fr": "Budget"}


def test_missing_optional_field_is_stored_empty():
    data, errors = _run(v.fluent_text, PROVENANCE)
    assert not errors and data[("provenance",)] == "{}"


def test_language_keys_are_normalised():
    data, errors = _run(v.fluent_text, TITLE, {"AR": "ميزانية", "fr-FR": "Budget", "en_GB": "Budget"})
    assert not errors
    assert _stored(data) == {"ar": "ميزانية", "fr": "Budget", "en": "Budget"}


@pytest.mark.ckan_config("ckanext.opengov.language_map", "ara:ar fra:fr")
def test_language_map_comes_from_the_config():
    data, errors = _run(v.fluent_text, TITLE, {"ara": "ميزانية", "fra": "Budget"})
    assert not errors and _stored(data) == {"ar": "ميزانية", "fr": "Budget"}


def test_unknown_and_malformed_language_keys_are_field_errors():
    _, errors = _run(v.fluent_text, TITLE, {"ar": "ميزانية", "fr": "Budget", "de": "Haushalt", "f r": "x"})
    assert errors[("title_translated",)] == [
        'invalid language code: "f r"',
        'Unknown language "de": use one of ar, fr, en',
    ]


def test_bad_json_and_non_objects_are_field_errors():
    _, errors = _run(v.fluent_text, TITLE, "{oops")
    assert errors == {("title_translated",): ["Failed to decode JSON string"]}
    _, errors = _run(v.fluent_text, TITLE, ["ar", "fr"])
    assert errors == {("title_translated",): ["expecting JSON object"]}
    _, errors = _run(v.fluent_text, TITLE, {"ar": "ميزانية", "fr": 5})
    assert errors == {("title_translated",): ['invalid type for "fr" value']}


def test_required_field_needs_arabic_and_french_by_default():
    _, errors = _run(v.fluent_text, TITLE, {"en": "Budget", "fr": "Budget"})
    assert errors == {("title_translated",): ['Required language "ar" missing']}
    _, errors = _run(v.fluent_text, TITLE, {"ar": "ميزانية", "fr": "Budget"})
    assert not errors  # English is optional


@pytest.mark.ckan_config("ckanext.opengov.required_languages", "ar fr en")
def test_required_languages_come_from_the_config():
    _, errors = _run(v.fluent_text, TITLE, {"ar": "ميزانية", "fr": "Budget"})
    assert errors == {("title_translated",): ['Required language "en" missing']}


def test_field_can_name_its_own_required_languages():
    field = dict(TITLE, required_languages=["fr"])
    _, errors = _run(v.fluent_text, field, {"fr": "Budget"})
    assert not errors


def test_alternate_languages_satisfy_a_required_language():
    field = dict(TITLE, alternate_languages={"ar": ["ar-t-fr"]})
    data, errors = _run(v.fluent_text, field, {"ar-t-fr": "ميزانية (آلية)", "fr": "Budget"})
    assert not errors
    assert _stored(data) == {"ar-t-fr": "ميزانية (آلية)", "fr": "Budget"}


def test_harvested_content_needs_one_language():
    harvested = {"opengov_harvested": True}
    data, errors = _run(v.fluent_text, TITLE, {"fr": "Budget", "ar": ""}, context=harvested)
    assert not errors and _stored(data) == {"fr": "Budget"}
    _, errors = _run(v.fluent_text, TITLE, {"ar": "", "fr": ""}, context=harvested)
    assert errors == {("title_translated",): ["At least one language is required"]}


def test_opengov_harvested_content_marks_the_context():
    context = {}
    v.opengov_harvested_content(("__before",), {}, {}, context)
    assert context["opengov_harvested"] is True


def test_drafts_skip_required_languages_when_the_schema_says_so():
    schema = dict(SCHEMA, draft_fields_required=False)
    _, errors = _run(v.fluent_text, TITLE, {"fr": "Budget"}, schema=schema, state="draft")
    assert not errors
    _, errors = _run(v.fluent_text, TITLE, {"fr": "Budget"}, schema=schema, state="active")
    assert errors


def test_earlier_errors_stop_the_validator():
    key = ("title_translated",)
    data = {key: {"de": "x"}}
    errors = defaultdict(list, {key: ["Missing value"]})
    v.fluent_text(TITLE, SCHEMA)(key, data, errors, {})
    assert errors[key] == ["Missing value"] and data[key] == {"de": "x"}


# fluent_text: form mode -----------------------------------------------------------

def test_form_inputs_are_collected_and_removed_from_extras():
    form = {"title_translated-ar": "ميزانية", "title_translated-fr": "Budget",
            "title_translated-en": "", "other": "kept"}
    data, errors = _run(v.fluent_text, TITLE, form=form)
    assert not errors
    assert _stored(data) == {"ar": "ميزانية", "fr": "Budget"}
    assert data[("__extras",)] == {"other": "kept"}


def test_form_errors_are_keyed_per_language_input():
    form = {"title_translated-fr": "Budget", "title_translated-xx": "?"}
    data, errors = _run(v.fluent_text, TITLE, form=form)
    assert errors == {
        ("title_translated-xx",): ['Unknown language "xx": use one of ar, fr, en'],
        ("title_translated-ar",): ["Missing value"],
    }
    assert data[("title_translated",)] is missing  # nothing stored


def test_resource_form_inputs_use_the_resource_extras():
    field = {"field_name": "name_translated", "label": "Name",
             "output_validators": "fluent_core_translated_output"}
    prefix = ("resources", 0)
    data, errors = _run(v.fluent_text, field, prefix=prefix,
                        form={"name_translated-fr": "Budget 2024", "name_translated-ar": "ميزانية"})
    assert not errors
    assert _stored(data, "name_translated", prefix) == {"fr": "Budget 2024", "ar": "ميزانية"}
    assert data[("resources", 0, "__extras")] == {}


# fluent_core_translated: the core field is written on save -----------------------

@pytest.mark.ckan_config("ckan.locale_default", "fr")
def test_core_title_is_written_from_the_default_locale():
    data, _ = _run(v.fluent_text, TITLE, {"ar": "ميزانية", "fr": "Budget"}, title="budget-slug")
    assert data[("title",)] == "Budget"


@pytest.mark.ckan_config("ckan.locale_default", "en")
@pytest.mark.ckan_config("ckanext.opengov.language_fallback_order", "fr ar en")
def test_core_title_falls_back_over_the_configured_order():
    data, _ = _run(v.fluent_text, TITLE, {"ar": "ميزانية", "fr": "Budget", "en": ""}, title="slug")
    assert data[("title",)] == "Budget"


def test_core_field_is_written_even_when_core_validators_dropped_it():
    notes = dict(TITLE, field_name="notes_translated", required=False)
    data, _ = _run(v.fluent_text, notes, {"ar": "وصف"})
    assert data[("notes",)] == "وصف"


def test_plain_fluent_text_does_not_touch_other_fields():
    data, _ = _run(v.fluent_text, dict(PROVENANCE, field_name="name_translated"),
                   {"fr": "x y"}, name="slug")
    assert data[("name",)] == "slug"


# fluent_tags ----------------------------------------------------------------------

def test_tags_dict_is_stored_readable_and_cleaned():
    data, errors = _run(v.fluent_tags, KEYWORDS, {
        "ar": ["\u200fزراعة", "مياه"], "fr-FR": ["Sante\u0301", "eau"], "en": []})
    assert not errors
    raw = data[("tags_translated",)]
    assert "\\u" not in raw
    assert json.loads(raw) == {"ar": ["زراعة", "مياه"], "fr": ["Santé", "eau"]}


def test_tags_form_input_is_split_on_latin_and_arabic_commas():
    data, errors = _run(v.fluent_tags, KEYWORDS, form={
        "tags_translated-ar": "زراعة، مياه ،صيد", "tags_translated-fr": "eau, l'eau, eau"})
    assert not errors
    assert _stored(data, "tags_translated") == {"ar": ["زراعة", "مياه", "صيد"], "fr": ["eau", "l'eau"]}


def test_bad_tags_are_reported_per_language():
    _, errors = _run(v.fluent_tags, KEYWORDS, {"fr": ["x", "ok"], "ar": ["زراعة/صيد"]})
    assert errors == {("tags_translated",): [
        'fr: Tag "x" is shorter than 2 characters',
        "ar: Tag \"زراعة/صيد\" may only contain letters, digits, spaces and - _ . '",
    ]}
    _, errors = _run(v.fluent_tags, KEYWORDS, form={"tags_translated-fr": "eau, " + "a" * 101})
    assert errors == {("tags_translated-fr",): [f'Tag "{"a" * 101}" is longer than 100 characters']}
    _, errors = _run(v.fluent_tags, KEYWORDS, {"fr": "eau"})
    assert not errors  # a comma-separated string per language is fine too
    _, errors = _run(v.fluent_tags, KEYWORDS, {"fr": [1, 2]})
    assert errors == {("tags_translated",): ['invalid type for "fr" value']}


def test_tag_validators_of_the_field_replace_the_default_rule():
    field = dict(KEYWORDS, tag_validators="tag_length_validator")
    data, errors = _run(v.fluent_tags, field, {"fr": ["a/b"]})
    assert not errors and _stored(data, "tags_translated") == {"fr": ["a/b"]}


def test_opengov_tag_name():
    assert v.opengov_tag_name("\u200fمياه ") == "مياه"
    with pytest.raises(tk.Invalid):
        v.opengov_tag_name("a|b")


# output -----------------------------------------------------------------------------

@pytest.mark.ckan_config("ckan.locale_default", "fr")
def test_output_validators_decode_stored_json_and_legacy_strings():
    assert v.fluent_text_output('{"ar": "ميزانية"}') == {"ar": "ميزانية"}
    assert v.fluent_text_output({"fr": "x"}) == {"fr": "x"}
    assert v.fluent_text_output("Budget") == {"fr": "Budget"}
    assert v.fluent_text_output("5") == {"fr": "5"}
    assert v.fluent_tags_output('{"ar": ["مياه"]}') == {"ar": ["مياه"]}
    assert v.fluent_tags_output("eau, santé") == {"fr": ["eau", "santé"]}


@pytest.mark.ckan_config("ckan.locale_default", "fr")
def test_core_translated_output_sets_the_core_field_with_fallback():
    key = ("title_translated",)
    data = {key: '{"ar": "ميزانية", "fr": ""}', ("title",): "slug"}
    v.fluent_core_translated_output(TITLE, SCHEMA)(key, data, {}, {})
    assert data[key] == {"ar": "ميزانية", "fr": ""}
    assert data[("title",)] == "ميزانية"  # French is empty: not a blank title


def test_core_translated_output_follows_the_ui_language(app):
    key = ("title_translated",)
    data = {key: '{"ar": "ميزانية", "fr": "Budget"}', ("title",): "slug"}
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "ar"}):
        v.fluent_core_translated_output(TITLE, SCHEMA)(key, data, {}, {})
    assert data[("title",)] == "ميزانية"


def test_core_translated_output_needs_a_translated_field():
    with pytest.raises(AssertionError):
        v.fluent_core_translated_output(PROVENANCE, SCHEMA)

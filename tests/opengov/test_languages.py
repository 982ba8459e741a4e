"""Language keys, display fallback, direction and tag cleaning: pure functions."""
from __future__ import annotations

import pytest

from ckanext.opengov import languages as L

MAP = L.parse_language_map(L.DEFAULT_LANGUAGE_MAP)
FORM = ["ar", "fr", "en"]


@pytest.mark.parametrize("key, expected", [
    ("fr-FR", "fr"), ("FR", "fr"), ("ar_TN", "ar"), ("ar-MA", "ar"), ("AR", "ar"),
    ("en-GB", "en"), ("fr", "fr"), ("de", "de"), ("de-DE", "de-de"),
])
def test_language_keys_are_normalised(key, expected):
    assert L.normalise_language(key, MAP, FORM) == expected


def test_alternate_languages_of_the_field_are_kept_as_they_are():
    assert L.normalise_language("fr-t-ar", MAP, FORM + ["fr-t-ar"]) == "fr-t-ar"
    assert L.normalise_language("fr-t-ar", MAP, FORM) == "fr"


def test_language_map_is_configurable():
    custom = L.parse_language_map("ara:ar fre:fr fr-*:fr")
    assert L.normalise_language("ARA", custom, FORM) == "ar"
    assert L.normalise_language("fre", custom, FORM) == "fr"
    assert L.normalise_language("ar-TN", custom, FORM) == "ar-tn"  # no ar-* in this map


def test_merged_keys_keep_the_canonical_then_the_first_non_empty_value():
    assert L.normalise_values({"fr-FR": "Budget (FR)", "fr": "Budget"}, MAP) == {"fr": "Budget"}
    assert L.normalise_values({"fr": "", "fr-FR": "Budget"}, MAP) == {"fr": "Budget"}


def test_is_language_key():
    assert all(L.is_language_key(k) for k in ("ar", "FR", "ar_TN", "fr-FR", "en-t-fr"))
    assert not any(L.is_language_key(k) for k in ("", "a", "fr FR", "12", None, 3, "français"))


def test_empty_values_are_dropped():
    assert L.drop_empty({"ar": "", "fr": "x", "en": "  ", "es": []}) == {"fr": "x"}
    assert L.drop_empty({"ar": ["زراعة"], "fr": [""]}) == {"ar": ["زراعة"]}


def test_fallback_order_merges_preferences_without_duplicates():
    assert L.fallback_order("fr", "fr", ["ar", "fr", "en"]) == ["fr", "ar", "en"]
    assert L.fallback_order(None, "en", "ar fr en") == ["en", "ar", "fr"]
    assert L.fallback_order("fr_FR", "en", []) == ["fr-fr", "fr", "en"]


def test_pick_language_skips_empty_values():
    values = {"ar": "", "fr": "Budget", "en": "Budget (en)"}
    assert L.pick_language(values, ["ar", "fr", "en"]) == ("fr", "Budget")
    assert L.pick_language(values, ["en"]) == ("en", "Budget (en)")
    # a language outside the order still beats a blank page
    assert L.pick_language({"es": "Presupuesto"}, ["ar", "fr"]) == ("es", "Presupuesto")
    assert L.pick_language({"ar": "", "fr": " "}, ["ar", "fr"]) == (None, "")


def test_text_direction():
    assert L.text_direction("ar", ["ar"]) == "rtl"
    assert L.text_direction("ar-TN", ["ar"]) == "rtl"
    assert L.text_direction("fr", ["ar"]) == "ltr"
    assert L.text_direction(None, ["ar"]) == "auto"


def test_native_names():
    assert [L.native_name(c) for c in ("ar", "fr", "en")] == ["العربية", "Français", "English"]
    assert L.native_name("de") == "Deutsch"


def test_tags_are_split_on_latin_and_arabic_commas_cleaned_and_deduplicated():
    typed = "\u200fزراعة ، مياه,  Santé  publique , \u202aeau\u202c,eau"
    assert L.split_tags(typed) == ["زراعة", "مياه", "Santé publique", "eau"]


def test_tags_are_nfc_normalised_and_bidi_marks_removed():
    decomposed = "Sante\u0301"  # e + combining acute
    assert L.clean_tag(decomposed) == "Santé"
    assert L.clean_tag("\u2066مياه\u2069\u061c") == "مياه"
    assert L.clean_tag("l\u2019eau") == "l'eau"


@pytest.mark.parametrize("tag, problem", [
    ("زراعة", None), ("مُدُن", None), ("l'eau", None), ("covid-19", None),
    ("open_data v1.0", None), ("x", "short"), ("a" * 101, "long"), ("a/b", "characters"),
    ("زراعة،مياه", "characters"), ("<script>", "characters"), (3, "type"),
])
def test_tag_rules(tag, problem):
    assert L.tag_problem(tag) == problem

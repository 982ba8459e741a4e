"""The Solr schema the cores run with: CKAN's own schema.xml (read from the
installed ckan package) plus the portal's Arabic/French/English field types
and per-language fields, derived by config/solr/derive_schema.py when
scripts/services writes the cores."""
from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import requests

import ckan
import ckan.plugins.toolkit as tk
from ckan.lib import search as ckan_search

from tests.conftest import ROOT

DERIVE = os.path.join(ROOT, "config", "solr", "derive_schema.py")
CKAN_SCHEMA = os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml")

LANGUAGE_FIELDS = [
    f"{prefix}_{lang}" for lang in ("ar", "fr", "en")
    for prefix in ("title", "notes", "keywords", "keywords_text", "title_string")
]


def _solr(path: str, **params) -> dict:
    response = requests.get(tk.config["solr_url"] + path, params={"wt": "json", **params}, timeout=10)
    response.raise_for_status()
    return response.json()


def _tokens(field_type: str, text: str) -> list[str]:
    """What the core's analyser of ``field_type`` makes of ``text``."""
    result = _solr("/analysis/field", **{"analysis.fieldtype": field_type,
                                         "analysis.fieldvalue": text})
    stages = result["analysis"]["field_types"][field_type]["index"]
    return [token["text"] for token in stages[-1]]


def _derive(source: str, conf_dir) -> bytes:
    subprocess.run([sys.executable, DERIVE, source, str(conf_dir)], check=True,
                   capture_output=True, text=True)
    with open(os.path.join(conf_dir, "schema.xml"), "rb") as derived:
        return derived.read()


# the running core --------------------------------------------------------------

def test_core_schema_keeps_ckans_name_unique_key_and_fields():
    schema = _solr("/schema")["schema"]
    assert schema["name"] == "ckan-2.12"
    assert schema["name"].split("-")[1] in ckan_search.SUPPORTED_SCHEMA_VERSIONS
    assert schema["uniqueKey"] == "index_id"
    fields = {f["name"] for f in schema["fields"]}
    assert {"index_id", "id", "site_id", "title", "text", "title_string",
            "validated_data_dict", "permission_labels"} <= fields
    assert ckan_search.check_solr_schema_version() is True


def test_core_schema_has_the_language_field_types_and_fields():
    schema = _solr("/schema")["schema"]
    types = {t["name"]: t for t in schema["fieldTypes"]}
    assert {"text_ar", "text_fr", "text_en", "text", "string"} <= set(types)
    ar_filters = [f["class"] for f in types["text_ar"]["analyzer"]["filters"]]
    assert "solr.ArabicNormalizationFilterFactory" in ar_filters
    assert "solr.ArabicStemFilterFactory" in ar_filters
    fr_filters = [f["class"] for f in types["text_fr"]["analyzer"]["filters"]]
    assert "solr.ElisionFilterFactory" in fr_filters
    assert "solr.FrenchLightStemFilterFactory" in fr_filters
    fields = {f["name"]: f for f in schema["fields"]}
    assert set(LANGUAGE_FIELDS + ["theme", "government_level", "region"]) <= set(fields)
    assert fields["title_ar"]["type"] == "text_ar"
    assert fields["keywords_fr"]["multiValued"] is True


def test_core_runs_the_schema_derived_from_the_installed_ckan(tmp_path):
    """The core was (re)written by scripts/services from this checkout."""
    response = requests.get(tk.config["solr_url"] + "/admin/file",
                            params={"file": "schema.xml"}, timeout=10)
    response.raise_for_status()
    assert response.content == _derive(CKAN_SCHEMA, tmp_path)


def test_arabic_analysis_normalises_diacritics_hamza_taa_marbuta_and_bidi_marks():
    plain = _tokens("text_ar", "المدرسة")
    assert _tokens("text_ar", "المَدْرَسَة") == plain
    assert _tokens("text_ar", "مدرسه") == plain
    assert _tokens("text_ar", "\u200fالمدرســة\u200f") == plain
    assert _tokens("text_ar", "أسعار") == _tokens("text_ar", "اسعار") == _tokens("text_ar", "إسعار")
    assert _tokens("text_ar", "آثار") == _tokens("text_ar", "اثار")


def test_french_analysis_elision_plurals_and_accents():
    assert _tokens("text_fr", "hôpitaux") == _tokens("text_fr", "Hôpital")
    assert _tokens("text_fr", "écoles") == _tokens("text_fr", "ecole")
    assert _tokens("text_fr", "l'eau") == _tokens("text_fr", "L’Eau") == _tokens("text_fr", "eau")
    assert _tokens("text_fr", "jusqu'ici") == _tokens("text_fr", "ici")


# the derivation ------------------------------------------------------------------

def test_derivation_is_idempotent_and_well_formed(tmp_path):
    first = _derive(CKAN_SCHEMA, tmp_path / "one")
    again = _derive(CKAN_SCHEMA, tmp_path / "two")
    from_derived = _derive(str(tmp_path / "one" / "schema.xml"), tmp_path / "three")
    assert first == again == from_derived
    root = ET.fromstring(first)
    assert root.get("name") == "ckan-2.12"
    names = [f.get("name") for f in root.iter("field")]
    assert len(names) == len(set(names))
    assert (tmp_path / "one" / "contractions_fr.txt").read_text().split("\n").count("qu") == 1


def test_derivation_keeps_every_element_of_ckans_schema(tmp_path):
    def inventory(root):
        return {(el.tag, tuple(sorted(el.attrib.items()))) for el in root.iter()
                if el.tag is not ET.Comment}

    original = inventory(ET.parse(CKAN_SCHEMA).getroot())
    derived = inventory(ET.fromstring(_derive(CKAN_SCHEMA, tmp_path)))
    assert original <= derived


def test_derivation_refuses_a_schema_without_ckans_unique_key(tmp_path):
    broken = tmp_path / "schema.xml"
    broken.write_text(open(CKAN_SCHEMA).read().replace("<uniqueKey>index_id</uniqueKey>", ""))
    result = subprocess.run([sys.executable, DERIVE, str(broken), str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "uniqueKey" in result.stderr
    assert not (tmp_path / "out" / "schema.xml").exists()


@pytest.mark.parametrize("field", ["title_ar", "title_fr", "notes_ar", "keywords_text_fr"])
def test_free_text_queries_also_search_the_language_fields(field):
    """The core's /select appends the language fields to CKAN's qf."""
    debug = _solr("/select", q="x", defType="dismax", qf="name^4 title^4 text",
                  debugQuery="true", rows=0)["debug"]
    assert f"{field}:" in debug["parsedquery"]

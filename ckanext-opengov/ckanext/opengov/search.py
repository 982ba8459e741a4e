"""Arabic/French search: per-language index fields and facets.

The Solr fields written here (``title_<lang>``, ``notes_<lang>``,
``keywords_<lang>``, ``title_string_<lang>``, ``theme``, ``government_level``,
``region``) are declared, with Arabic/French/English analysis, by
``config/solr/opengov_fields.xml``; ``config/solr/derive_schema.py`` adds them
to CKAN's schema when scripts/services writes the Solr cores, and the core's
``/select`` handler also searches them for free-text queries
(``config/solr/solrconfig.xml``).
"""
from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict
from typing import Any, Iterable, Mapping, Optional

import requests

import ckan.plugins.toolkit as tk

from ckanext.opengov import languages
from ckanext.opengov.logic import vocabularies

#: Languages with analysed fields in the Solr schema.
SEARCH_LANGUAGES = ("ar", "fr", "en")

#: Dataset keys holding ``{lang: text}`` (first one found wins).
_TITLE_KEYS = ("title_translated",)
_NOTES_KEYS = ("notes_translated", "description_translated")
#: Dataset keys holding ``{lang: [keyword, ...]}``.
_KEYWORD_KEYS = ("tags_translated", "keywords_translated", "keywords")
#: Where government level and region are read, dataset first, then its organisation.
_LEVEL_KEYS = ("government_level",)
_REGION_KEYS = ("spatial_region", "region", "governorate")
_THEME_KEYS = ("theme",)
#: A field only the derived schema declares (multi-valued: writing a list to
#: CKAN's stock catch-all ``*`` field would make Solr reject the document).
_PROBE_FIELD = "keywords_ar"
#: solr_url -> (schema has the portal's fields, checked at monotonic time).
_SCHEMA_CHECKS: dict[str, tuple[bool, float]] = {}
_RECHECK_SECONDS = 60.0

log = logging.getLogger(__name__)


# indexing --------------------------------------------------------------------

def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Add the per-language, theme, level and region fields to the Solr
    document and make every value something Solr accepts.

    On a core still running CKAN's stock schema (not derived by
    config/solr/derive_schema.py) only the flattening is done, so datasets
    keep indexing; a warning names the core."""
    if not _schema_has_language_fields():
        return _flatten(pkg_dict)
    source = _source_values(pkg_dict)
    titles = _texts(_first(source, _TITLE_KEYS))
    notes = _texts(_first(source, _NOTES_KEYS))
    keywords = _keywords(_first(source, _KEYWORD_KEYS))

    for lang in SEARCH_LANGUAGES:
        _set(pkg_dict, f"title_{lang}", titles.get(lang))
        _set(pkg_dict, f"notes_{lang}", notes.get(lang))
        _set(pkg_dict, f"keywords_{lang}", keywords.get(lang))
        _set(pkg_dict, f"title_string_{lang}", _sort_title(titles, lang, pkg_dict.get("title")))

    organisation = _organisation_extras(pkg_dict, source)
    _set(pkg_dict, "theme", _unique([*_strings(pkg_dict.get("groups")),
                                     *_strings(_first(source, _THEME_KEYS))]))
    _set(pkg_dict, "government_level", _strings(
        _first(source, _LEVEL_KEYS) or _first(organisation, _LEVEL_KEYS)))
    _set(pkg_dict, "region", _strings(
        _first(source, _REGION_KEYS) or _first(organisation, _REGION_KEYS)))
    return _flatten(pkg_dict)


def _schema_has_language_fields() -> bool:
    """True when the Solr core declares the portal's fields. A positive
    answer is kept for the process; a negative one is asked again after a
    minute (the core may be rewritten and restarted meanwhile)."""
    url = tk.config.get("solr_url") or ""
    known = _SCHEMA_CHECKS.get(url)
    if known and (known[0] or time.monotonic() - known[1] < _RECHECK_SECONDS):
        return known[0]
    user, password = tk.config.get("solr_user"), tk.config.get("solr_password")
    try:
        response = requests.get(
            f"{url}/schema/fields/{_PROBE_FIELD}", params={"wt": "json"},
            auth=(user, password) if user and password else None,
            timeout=tk.config.get("solr_timeout") or 60,
        )
    except requests.RequestException:
        return True  # Solr unreachable: CKAN reports the indexing error itself
    ready = response.status_code == 200
    if not ready:
        log.warning(
            "Solr core %s lacks the portal's language fields (%s): indexing without "
            "them; rewrite the core's conf with scripts/services (config/solr/derive_schema.py)",
            url, _PROBE_FIELD)
    _SCHEMA_CHECKS[url] = (ready, time.monotonic())
    return ready


def _source_values(pkg_dict: Mapping[str, Any]) -> dict[str, Any]:
    """The dataset's fields, best source first: the scheming-validated dict
    (``validated_data_dict``, where multilingual fields are dicts), its
    extras, then the index document itself (extras promoted to top level)."""
    values: dict[str, Any] = {}
    validated = _json(pkg_dict.get("validated_data_dict"))
    for layer in (pkg_dict, _extras(validated), validated if isinstance(validated, dict) else {}):
        values.update({k: v for k, v in layer.items() if not languages.is_empty(v)})
    return values


def _extras(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("extras"), list):
        return {}
    return {
        e["key"]: e.get("value") for e in data["extras"]
        if isinstance(e, dict) and isinstance(e.get("key"), str)
    }


def _first(values: Mapping[str, Any], keys: Iterable[str]) -> Any:
    for key in keys:
        if not languages.is_empty(values.get(key)):
            return values[key]
    return None


def _json(value: Any) -> Any:
    """Decode a JSON string; anything else (or bad JSON) comes back as it is."""
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _language_map() -> dict[str, str]:
    return languages.parse_language_map(
        tk.config.get("ckanext.opengov.language_map") or languages.DEFAULT_LANGUAGE_MAP
    )


def _by_language(value: Any) -> dict[str, Any]:
    """``{"fr-FR": …, "AR": …}`` (dict or JSON string) -> ``{"fr": …, "ar": …}``;
    ``{}`` for anything that is not a language dict."""
    value = _json(value)
    if not isinstance(value, dict):
        return {}
    normalised = languages.normalise_values(value, _language_map())
    return {
        code.split("-", 1)[0]: v for code, v in normalised.items()
        if isinstance(code, str) and not languages.is_empty(v)
    }


def _texts(value: Any) -> dict[str, str]:
    """Language -> cleaned text, for the searchable languages."""
    out = {}
    for lang, text in _by_language(value).items():
        if lang in SEARCH_LANGUAGES:
            text = " ".join(_strings(text)) if not isinstance(text, str) else text
            if text.strip():
                out[lang] = text.strip()
    return out


def _keywords(value: Any) -> dict[str, list[str]]:
    """Language -> keywords as typed (cleaned, split on ``,`` and ``،``)."""
    out = {}
    for lang, words in _by_language(value).items():
        if lang in SEARCH_LANGUAGES:
            cleaned = languages.split_tags(words if isinstance(words, str) else _strings(words))
            if cleaned:
                out[lang] = cleaned
    return out


def _sort_title(titles: Mapping[str, str], lang: str, core_title: Any) -> Optional[str]:
    """Sort key for ``lang``: its own title, else another language's, else
    the core title, so that every dataset has a place in each sort order."""
    order = languages.fallback_order(lang, SEARCH_LANGUAGES)
    _, title = languages.pick_language(titles, order)
    title = title or (core_title if isinstance(core_title, str) else "")
    return languages.clean_tag(title) or None


def _strings(value: Any) -> list[str]:
    """A value as a list of non-empty strings: lists, JSON lists and plain
    strings; language dicts give all their values."""
    value = _json(value)
    if value is None:
        return []
    if isinstance(value, dict):
        return _unique(s for v in value.values() for s in _strings(v))
    if isinstance(value, (list, tuple, set)):
        return _unique(s for v in value for s in _strings(v))
    text = languages.clean_tag(str(value))
    return [text] if text else []


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def _organisation_extras(pkg_dict: Mapping[str, Any], source: Mapping[str, Any]) -> dict[str, Any]:
    """The custom fields of the dataset's organisation (government level,
    region), read from the database since package_show leaves them out."""
    org_id = pkg_dict.get("owner_org") or source.get("owner_org")
    if not org_id:
        return {}
    from ckan import model

    group = model.Group.get(org_id)
    extras = getattr(group, "extras", None) if group is not None else None
    return dict(extras) if isinstance(extras, Mapping) else {}


def _set(pkg_dict: dict[str, Any], key: str, value: Any) -> None:
    """Set a field, or remove it when empty (Solr rejects nothing, facets
    stay clean)."""
    if languages.is_empty(value):
        pkg_dict.pop(key, None)
    else:
        pkg_dict[key] = value


def _flatten(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Turn dict values (and dicts inside lists) into JSON strings: Solr 9
    reads a dict as an atomic-update instruction and rejects the document."""
    for key, value in list(pkg_dict.items()):
        if isinstance(value, dict):
            pkg_dict[key] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            pkg_dict[key] = [
                json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v for v in value
            ]
    return pkg_dict


# facets ----------------------------------------------------------------------

def _ui_language() -> str:
    """The UI language's primary code, ``ckan.locale_default`` outside a request."""
    try:
        lang = tk.h.lang()
    except (RuntimeError, TypeError, AttributeError):
        lang = None
    code = (lang or tk.config.get("ckan.locale_default") or "en").replace("_", "-").split("-")[0]
    return code.lower()


def keyword_facet_field(lang: Optional[str] = None) -> str:
    """The keyword facet of a language (the UI language by default); English
    when the language has no keyword field."""
    code = (lang or _ui_language()).replace("_", "-").split("-")[0].lower()
    return f"keywords_{code if code in SEARCH_LANGUAGES else 'en'}"


def _schema_has_core_tags(package_type: str) -> bool:
    """False when the scheming schema of ``package_type`` has no core tag
    field, so the core ``tags`` facet would always be empty."""
    try:
        schema = tk.h.scheming_get_dataset_schema(package_type)
    except (AttributeError, KeyError, TypeError, RuntimeError, tk.HelperError):
        return True
    if not schema:
        return True
    names = {f.get("field_name") for f in schema.get("dataset_fields", [])}
    return bool(names & {"tag_string", "tags"})


def dataset_facets(facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
    """Theme, organisation, government level, region, format, licence and
    keywords in the UI language, with titles in the UI language; facets
    added by other plugins are kept after them."""
    ours: "OrderedDict[str, Any]" = OrderedDict([
        ("theme", tk._("Themes")),
        ("organization", tk._("Organisations")),
        ("government_level", tk._("Government level")),
        ("region", tk._("Region")),
        ("res_format", tk._("Formats")),
        ("license_id", tk._("Licences")),
        (keyword_facet_field(), tk._("Keywords")),
    ])
    if "tags" in facets_dict and _schema_has_core_tags(package_type):
        ours["tags"] = tk._("Tags")
    # themes are indexed from the groups and the theme field together
    others = [(k, v) for k, v in facets_dict.items()
              if k not in ours and k not in ("tags", "groups") and not k.startswith("keywords_")]
    facets_dict.clear()
    facets_dict.update(ours)
    facets_dict.update(others)
    return facets_dict


#: Facet fields whose values are codes of a portal vocabulary.
_FACET_VOCABULARIES = {"theme": "themes", "government_level": "government_levels",
                       "region": "regions"}


def _vocabulary_label(vocabulary: str, code: str) -> Optional[str]:
    try:
        return vocabularies.opengov_vocabulary_label(vocabulary, code) or None
    except (KeyError, OSError, ValueError):  # vocabulary not shipped
        return None


def after_dataset_search(search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
    """Show theme, government level and region facet items by their label in
    the UI language instead of their code (``health`` -> ``Santé``/``الصحة``)."""
    facets = search_results.get("search_facets") or {}
    for field, vocabulary in _FACET_VOCABULARIES.items():
        for item in (facets.get(field) or {}).get("items", []):
            label = _vocabulary_label(vocabulary, item.get("name"))
            if label:
                item["display_name"] = label
    return _relabel_group_facets(search_results)


def _relabel_group_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """Organisation and group facet items by their title in the UI language
    (CKAN labels them with the core title, ckan#7448)."""
    from ckanext.opengov import groups

    return groups.relabel_facets(search_results)

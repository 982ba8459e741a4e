"""Template helpers of the multilingual presets (fluent-compatible names:
``fluent_form_languages``, ``fluent_form_label``) and the portal's display
helpers (fallback over non-empty languages, text direction)."""
from __future__ import annotations

import json
from typing import Any, Optional
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
from ckanext.scheming.helpers import scheming_language_text

from ckanext.opengov import languages



# configuration ---------------------------------------------------------------

def _language_map() -> dict[str, str]:
    return languages.parse_language_map(
        tk.config.get("ckanext.opengov.language_map") or languages.DEFAULT_LANGUAGE_MAP
    )


def _fallback_setting() -> list[str]:
    return languages.parse_languages(
        tk.config.get("ckanext.opengov.language_fallback_order")
        or languages.DEFAULT_FALLBACK_ORDER
    )


def _required_setting() -> list[str]:
    return languages.parse_languages(
        tk.config.get("ckanext.opengov.required_languages")
        or languages.DEFAULT_REQUIRED_LANGUAGES
    )


def _default_locale() -> str:
    return tk.config.get("ckan.locale_default") or "en"


def _rtl_languages() -> list[str]:
    rtl = tk.config.get("ckan.i18n.rtl_languages") or []
    return languages.parse_languages(rtl.split() if isinstance(rtl, str) else rtl)


def _ui_language() -> Optional[str]:
    """The language of the current page, None outside a web request."""
    try:
        return tk.h.lang()
    except (RuntimeError, TypeError, AttributeError):
        return None


def _display_order(prefer_lang: Optional[str] = None) -> list[str]:
    """UI language -> ckan.locale_default -> configured fallback order."""
    return languages.fallback_order(
        prefer_lang or _ui_language(), _default_locale(), _fallback_setting()
    )


def _storage_order() -> list[str]:
    """Language chosen for the core field written on save."""
    return languages.fallback_order(_default_locale(), _fallback_setting())


# schema ----------------------------------------------------------------------

def _schema_for(entity_type: Optional[str], object_type: Optional[str]) -> Optional[dict]:
    if not (entity_type and object_type):
        return None
    try:
        from ckanext.scheming.helpers import scheming_get_schema
        return scheming_get_schema(entity_type, object_type)
    except Exception:  # scheming not loaded or unknown type
        return None


def fluent_form_languages(
    field: Optional[dict] = None,
    entity_type: Optional[str] = None,
    object_type: Optional[str] = None,
    schema: Optional[dict] = None,
) -> list[str]:
    """Languages of a multilingual field: the field's ``form_languages``, the
    schema's, the schema of ``entity_type``/``object_type``, otherwise the
    languages of ``ckan.locales_offered``."""
    for source in (field, schema, _schema_for(entity_type, object_type)):
        if source and source.get("form_languages"):
            return languages.parse_languages(source["form_languages"])
    offered = tk.config.get("ckan.locales_offered") or [_default_locale()]
    if isinstance(offered, str):
        offered = offered.split()
    return languages.parse_languages(
        [str(code).replace("_", "-").split("-")[0] for code in offered]
    )


def fluent_alternate_languages(
    field: Optional[dict] = None, schema: Optional[dict] = None
) -> dict[str, list[str]]:
    """``alternate_languages`` of the field or schema: ``{lang: [alt, ...]}``."""
    for source in (field, schema):
        if source and source.get("alternate_languages"):
            return {
                languages.parse_languages([lang])[0]: languages.parse_languages(alts)
                for lang, alts in source["alternate_languages"].items()
            }
    return {}


def fluent_required_languages(
    field: Optional[dict] = None, schema: Optional[dict] = None
) -> list[str]:
    """Languages a ``required: true`` field needs for content created on the
    portal: the field's ``required_languages``, else
    ``ckanext.opengov.required_languages`` limited to the field's languages
    (all of them when none of the configured ones is offered)."""
    if not field or not field.get("required"):
        return []
    form_langs = fluent_form_languages(field, schema=schema)
    if field.get("required_languages"):
        return languages.parse_languages(field["required_languages"])
    return [lang for lang in _required_setting() if lang in form_langs] or form_langs


def fluent_form_label(field: dict, lang: str) -> str:
    """Label of one language input: ``fluent_form_label[lang]`` when the schema
    gives one, otherwise ``"Titre (العربية)"``."""
    custom = (field.get("fluent_form_label") or {}).get(lang)
    if custom:
        return scheming_language_text(custom)
    label = scheming_language_text(field.get("label")) or field.get("field_name", "")
    return "{} ({})".format(label, languages.native_name(lang))


def fluent_language_dir(lang: Optional[str]) -> str:
    """``"rtl"`` for languages of ``ckan.i18n.rtl_languages``, else ``"ltr"``."""
    return languages.text_direction(lang, _rtl_languages())


def fluent_language_pick(value: Any, prefer_lang: Optional[str] = None) -> dict[str, Any]:
    """The text to show for a multilingual value with its ``lang`` and ``dir``:
    UI language, then ``ckan.locale_default``, then the configured order,
    skipping empty values. A JSON string is decoded first."""
    value = _as_dict(value)
    lang, text = languages.pick_language(value, _display_order(prefer_lang))
    if lang is None and isinstance(value, dict):
        text = ""
    return {"lang": lang, "dir": fluent_language_dir(lang) if lang else "auto", "text": text}


def fluent_language_text(value: Any, prefer_lang: Optional[str] = None) -> Any:
    """Text of a multilingual value in the UI language, with fallback over
    non-empty languages so nothing is blank while any language has text."""
    return fluent_language_pick(value, prefer_lang)["text"]


def fluent_form_value(data: dict, field: dict, lang: str) -> str:
    """Value of one language input: the posted ``<field>-<lang>`` or the
    stored ``data[field][lang]`` (tags joined with commas)."""
    name = field["field_name"]
    posted = data.get("{}-{}".format(name, lang))
    if posted is not None:
        return posted
    value = _as_dict(data.get(name)).get(lang, "") if data.get(name) else ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value or ""


def fluent_input_attrs(field: dict, lang: str) -> dict[str, str]:
    """HTML attributes of one language input: ``form-control``, the field's
    ``form_attrs``, ``lang`` and ``dir`` (``rtl`` for Arabic)."""
    attrs = {"class": "form-control", **(field.get("form_attrs") or {})}
    attrs.update(lang=lang, dir=fluent_language_dir(lang))
    return attrs


def fluent_field_is_required(field: dict, lang: str, schema: Optional[dict] = None) -> bool:
    """Whether the input of ``lang`` is marked required in the form."""
    return lang in fluent_required_languages(field, schema)


def fluent_tag_search_url(lang: str, tag: str) -> str:
    """Dataset search filtered on the keyword facet of one language
    (``ckanext.opengov.keyword_facet_pattern``, default ``keywords_{lang}``)."""
    pattern = tk.config.get("ckanext.opengov.keyword_facet_pattern") or "keywords_{lang}"
    return tk.h.url_for("dataset.search") + "?" + urlencode({pattern.format(lang=lang): tag})


def _as_dict(value: Any) -> Any:
    """A stored JSON string -> dict; other values unchanged."""
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return {_default_locale(): value} if value else {}
        return decoded if isinstance(decoded, dict) else {_default_locale(): value}
    return value if value is not None else {}


# organisations and groups (logic in groups.py) -------------------------------

def opengov_group_title(group: Any, prefer_lang: Optional[str] = None) -> str:
    """Title of an organisation/group (dict, name or id) in the UI language,
    with the datasets' fallback; never blank."""
    from ckanext.opengov import groups
    return groups.text(group, "title", prefer_lang)


def opengov_group_title_pick(group: Any, prefer_lang: Optional[str] = None) -> dict[str, Any]:
    """``{"lang", "dir", "text"}`` of an organisation/group title."""
    from ckanext.opengov import groups
    return groups.pick(group, "title", prefer_lang)


def opengov_group_description(group: Any, prefer_lang: Optional[str] = None) -> str:
    """Description of an organisation/group in the UI language ("" if none)."""
    from ckanext.opengov import groups
    return groups.text(group, "description", prefer_lang)


def opengov_group_description_pick(group: Any, prefer_lang: Optional[str] = None) -> dict[str, Any]:
    """``{"lang", "dir", "text"}`` of an organisation/group description."""
    from ckanext.opengov import groups
    return groups.pick(group, "description", prefer_lang)


def opengov_lang_attrs(shown: Any) -> Any:
    """`` lang="…" dir="…"`` for a picked text (``fluent_language_pick``)
    whose language is not the UI language, else nothing."""
    from ckanext.opengov import groups
    return groups.lang_attrs(shown)

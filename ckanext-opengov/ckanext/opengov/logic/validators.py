"""Fluent-compatible multilingual validators (``fluent_text``, ``fluent_tags``,
their output validators and ``fluent_core_translated_output``).

Input: a ``{lang: value}`` dict, the same dict as a JSON string (API mode), or
one form input per language named ``<field>-<lang>`` (form mode, found in
``__extras``). Storage: a JSON string written with ``ensure_ascii=False``.
Output: a dict.

Differences from ckanext-fluent, on purpose:

* language keys are normalised (``FR``, ``fr-FR``, ``ar_TN`` -> ``fr``/``ar``,
  map ``ckanext.opengov.language_map``) and keys that are not languages of the
  field (``form_languages`` or ``alternate_languages``) are refused;
* empty values are dropped before storing;
* ``required: true`` needs the languages of ``ckanext.opengov.required_languages``
  (default ``ar fr``) for content created on the portal, and at least one
  language for harvested content. Harvested content is recognised by
  ``context["opengov_harvested"]`` being true (set it in the harvester's
  context, or put the ``opengov_harvested_content`` validator in the schema's
  ``__before``);
* tags: Unicode letters, digits, marks, space and ``-_.'``; NFC; bidi marks
  stripped; split on ``,`` and ``،``; 2-100 characters;
* ``fluent_core_translated`` fields (``title_translated`` ...) also write the
  core field (``title``) on save, from ``ckan.locale_default`` then the
  fallback order, so search sorting, activity and API consumers see a title.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing
from ckanext.scheming.validation import scheming_validator, validators_from_string

from ckanext.opengov import helpers, languages

Key = tuple
_CORE_SUFFIX = "_translated"
_CORE_OUTPUT = "fluent_core_translated_output"


class _Field:
    """What a multilingual validator knows about its field once, at schema time."""

    def __init__(self, field: dict, schema: Optional[dict]):
        self.name = field["field_name"]
        self.form_languages = helpers.fluent_form_languages(field, schema=schema)
        self.alternates = helpers.fluent_alternate_languages(field, schema)
        self.required = helpers.fluent_required_languages(field, schema)
        self.draft_fields_required = (schema or {}).get("draft_fields_required", True)
        self.allowed = list(self.form_languages)
        for alts in self.alternates.values():
            self.allowed += [a for a in alts if a not in self.allowed]
        outputs = (field.get("output_validators") or "").split()
        self.core = (
            self.name[: -len(_CORE_SUFFIX)]
            if _CORE_OUTPUT in outputs and self.name.endswith(_CORE_SUFFIX) else None
        )


# input ------------------------------------------------------------------------

def _form_inputs(key: Key, data: dict, name: str) -> dict[str, Any]:
    """``<field>-<lang>`` entries of ``__extras`` (removed from it)."""
    extras = data.get(key[:-1] + ("__extras",))
    if not isinstance(extras, dict):
        return {}
    prefix = name + "-"
    found = {k[len(prefix):]: extras[k] for k in list(extras) if k.startswith(prefix)}
    for suffix in found:
        del extras[prefix + suffix]
    return found


def _decode(value: Any, errors: list) -> Optional[dict]:
    """API value -> dict, or None with an error appended."""
    if isinstance(value, str):
        if not value.strip():
            return {}
        try:
            value = json.loads(value)
        except ValueError:
            errors.append(tk._("Failed to decode JSON string"))
            return None
    if not isinstance(value, dict):
        errors.append(tk._("expecting JSON object"))
        return None
    return value


def _check_keys(values: dict, spec: _Field, report: Callable[[Any, str], None]) -> dict:
    """Normalise the language keys, report the unknown ones."""
    for key in values:
        if not isinstance(key, str):
            report(key, tk._("invalid type for language code"))
        elif not languages.is_language_key(key):
            report(key, tk._('invalid language code: "{lang}"').format(lang=key))
    normalised = languages.normalise_values(
        {k: v for k, v in values.items() if languages.is_language_key(k)},
        helpers._language_map(), spec.allowed,
    )
    for code in list(normalised):
        if code not in spec.allowed:
            report(code, tk._('Unknown language "{lang}": use one of {allowed}').format(
                lang=code, allowed=", ".join(spec.allowed)))
            del normalised[code]
    return normalised


def _collect(key: Key, data: dict, errors: dict, spec: _Field) -> tuple[Optional[dict], bool]:
    """The submitted ``{lang: value}`` and whether it came from form inputs.
    ``None`` when the input itself is malformed (errors already set)."""
    form = _form_inputs(key, data, spec.name)
    value = data.get(key)
    if form or value is missing or value is None:
        def report_form(lang: Any, message: str) -> None:
            errors.setdefault(key[:-1] + ("{}-{}".format(spec.name, lang),), []).append(message)
        values = _check_keys(form, spec, report_form)
        return values, True

    def report_api(_lang: Any, message: str) -> None:
        errors[key].append(message)
    decoded = _decode(value, errors[key])
    if decoded is None:
        return None, False
    values = _check_keys(decoded, spec, report_api)
    return (None if errors[key] else values), False


def _skip_required(key: Key, data: dict, spec: _Field) -> bool:
    """Drafts skip the required check when the schema says
    ``draft_fields_required: false``."""
    if spec.draft_fields_required:
        return False
    state = data.get(key[:-1] + ("state",))
    return state is missing or not state or str(state).startswith("draft")


def _check_required(
    key: Key, data: dict, errors: dict, context: dict, spec: _Field, values: dict, form: bool
) -> None:
    if not spec.required or _skip_required(key, data, spec):
        return
    present = {lang for lang, v in values.items() if not languages.is_empty(v)}
    if context.get("opengov_harvested"):
        if not present:
            errors[key].append(tk._("At least one language is required"))
        return
    for lang in spec.required:
        if lang in present or present & set(spec.alternates.get(lang, [])):
            continue
        if form:
            errors[key[:-1] + ("{}-{}".format(spec.name, lang),)] = [tk._("Missing value")]
        else:
            errors[key].append(tk._('Required language "{lang}" missing').format(lang=lang))


def _store(key: Key, data: dict, values: dict, spec: _Field) -> None:
    values = languages.drop_empty(values)
    data[key] = json.dumps(values, ensure_ascii=False)
    if spec.core:
        # written even when the core validators dropped the key (ignore_missing)
        lang, text = languages.pick_language(values, helpers._storage_order())
        if lang is not None:
            data[key[:-1] + (spec.core,)] = text


def _has_errors(key: Key, errors: dict, spec: _Field) -> bool:
    own = key[:-1]
    prefix = spec.name + "-"
    return bool(errors.get(key)) or any(
        v for k, v in errors.items()
        if len(k) == len(key) and k[:-1] == own and str(k[-1]).startswith(prefix)
    )


# fluent_text ------------------------------------------------------------------

@scheming_validator
def fluent_text(field: dict, schema: dict) -> Callable:
    """Multilingual text: dict, JSON string or ``<field>-<lang>`` inputs,
    stored as a JSON object of non-empty strings (see module docstring)."""
    return _multilingual_validator(_Field(field, schema), _is_text, _text_as_given)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _text_as_given(key: Key, errors: dict, lang: str, form: bool, text: str, context: dict) -> str:
    return text


def _multilingual_validator(spec: "_Field", accepts: Callable[[Any], bool],
                            clean: Callable[..., Any]) -> Callable:
    """The validator shared by fluent_text and fluent_tags: collect the
    values (API or form), check each language's type, clean it with
    ``clean(key, errors, lang, form, value, context)``, check the required
    languages and store the JSON when nothing is wrong."""

    def validator(key: Key, data: dict, errors: dict, context: dict) -> None:
        if errors[key]:
            return
        values, form = _collect(key, data, errors, spec)
        if values is None:
            return
        checked: dict[str, Any] = {}
        for lang, value in values.items():
            if accepts(value):
                checked[lang] = clean(key, errors, lang, form, value, context)
            else:
                checked[lang] = value  # reported once, not also as missing
                _report(key, errors, spec, lang, form,
                        tk._('invalid type for "{lang}" value').format(lang=lang))
        _check_required(key, data, errors, context, spec, checked, form)
        if not _has_errors(key, errors, spec):
            _store(key, data, checked, spec)

    return validator


def _report(key: Key, errors: dict, spec: _Field, lang: str, form: bool, message: str) -> None:
    if form:
        errors.setdefault(key[:-1] + ("{}-{}".format(spec.name, lang),), []).append(message)
    else:
        errors[key].append(message)


def fluent_text_output(value: Any) -> dict:
    """Stored JSON -> dict; a legacy plain string becomes
    ``{ckan.locale_default: value}``."""
    if isinstance(value, dict):
        return value
    try:
        decoded = json.loads(value)
    except (TypeError, ValueError):
        return {helpers._default_locale(): value}
    return decoded if isinstance(decoded, dict) else {helpers._default_locale(): value}


@scheming_validator
def fluent_core_translated_output(field: dict, schema: dict) -> Callable:
    """Output of ``<core>_translated``: the dict, and the core field (``title``)
    set to the text in the UI language with fallback over non-empty values."""
    name = field["field_name"]
    assert name.endswith(_CORE_SUFFIX), "fluent_core_translated needs a *_translated field"
    core = name[: -len(_CORE_SUFFIX)]

    def validator(key: Key, data: dict, errors: dict, context: dict) -> None:
        values = fluent_text_output(data[key])
        data[key] = values
        core_key = key[:-1] + (core,)
        if core_key in data:
            text = helpers.fluent_language_text(values)
            if text:
                data[core_key] = text

    return validator


# fluent_tags ------------------------------------------------------------------

def _tag_message(problem: str, tag: Any) -> str:
    messages = {
        "type": tk._("Tags must be text"),
        "short": tk._('Tag "{tag}" is shorter than {min} characters'),
        "long": tk._('Tag "{tag}" is longer than {max} characters'),
        "characters": tk._(
            "Tag \"{tag}\" may only contain letters, digits, spaces and - _ . '"),
    }
    return messages[problem].format(
        tag=tag, min=languages.TAG_MIN_LENGTH, max=languages.TAG_MAX_LENGTH)


def opengov_tag_name(value: Any) -> str:
    """One keyword suited to Arabic and French: cleaned (NFC, no bidi marks)
    and checked (letters, digits, marks, space, ``-_.'``; 2-100 characters)."""
    tag = languages.clean_tag(value) if isinstance(value, str) else value
    problem = languages.tag_problem(tag)
    if problem:
        raise tk.Invalid(_tag_message(problem, tag))
    return tag


def _run_tag_validators(tag: str, validators: list, context: dict) -> tuple[str, list[str]]:
    problems = []
    for validator in validators:
        try:
            nargs = validator.__code__.co_argcount
            tag = validator(tag, context) if nargs == 2 else validator(tag)
        except tk.Invalid as e:
            problems.append(e.error)
            break
    return tag, problems


@scheming_validator
def fluent_tags(field: dict, schema: dict) -> Callable:
    """Multilingual keywords: ``{lang: [tags]}`` (or comma-separated strings),
    a JSON string or ``<field>-<lang>`` inputs; stored as JSON, non-ASCII kept
    readable. ``tag_validators`` replaces the default ``opengov_tag_name``."""
    custom = field.get("tag_validators")
    tag_validators = (
        validators_from_string(custom, field, schema) if custom else [opengov_tag_name]
    )
    spec = _Field(field, schema)

    def accepts(tags: Any) -> bool:
        return isinstance(tags, str) or (isinstance(tags, list) and all(isinstance(t, str) for t in tags))

    def clean(key: Key, errors: dict, lang: str, form: bool, tags: Any, context: dict) -> list[str]:
        return _clean_tags(key, errors, spec, lang, form, tags, tag_validators, context)

    return _multilingual_validator(spec, accepts, clean)


def _clean_tags(key: Key, errors: dict, spec: _Field, lang: str, form: bool,
                tags: Any, tag_validators: list, context: dict) -> list[str]:
    """Split, clean and check the tags of one language; report the bad ones."""
    out: list[str] = []
    for tag in languages.split_tags(tags):
        tag, problems = _run_tag_validators(tag, tag_validators, context)
        for problem in problems:
            message = problem if form else "{}: {}".format(lang, problem)
            _report(key, errors, spec, lang, form, message)
        if not problems and tag not in out:
            out.append(tag)
    return out


def fluent_tags_output(value: Any) -> dict:
    """Stored JSON -> ``{lang: [tags]}``; a legacy comma-separated string
    becomes ``{ckan.locale_default: [tags]}``."""
    if isinstance(value, dict):
        return value
    try:
        decoded = json.loads(value)
    except (TypeError, ValueError):
        decoded = None
    if isinstance(decoded, dict):
        return decoded
    return {helpers._default_locale(): languages.split_tags(str(value))}


# harvesting -------------------------------------------------------------------

def opengov_harvested_content(key: Key, data: dict, errors: dict, context: dict) -> None:
    """Mark the content being validated as harvested (``__before`` validator):
    required multilingual fields then need only one language."""
    context["opengov_harvested"] = True

"""Controlled vocabularies of the portal (themes, licences, frequencies, ...)
and the validators and helpers built on them.

Every vocabulary is a YAML list in ``ckanext/opengov/data/``; entries are
normalised to ``{"value", "label": {ar, fr, en}, "uri", ...}``. Schemas use
``choices_helper: opengov_choices`` with ``vocabulary: <name>`` so scheming's
own select/multiple-select validators reject values outside the list."""
from __future__ import annotations

import datetime
import functools
import json
import os
from typing import Any, Callable, Optional

import yaml

import ckan.lib.navl.dictization_functions as df
import ckan.plugins.toolkit as tk

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data")
EU = "http://publications.europa.eu/resource/authority/"

#: vocabulary name -> (data file, base of the EU URI of each value or None)
VOCABULARY_FILES: dict[str, tuple[str, Optional[str]]] = {
    "themes": ("themes.yaml", None),
    "eu_themes": ("eu_themes.yaml", EU + "data-theme/"),
    "licences": ("licences.yaml", None),
    "frequencies": ("frequencies.yaml", EU + "frequency/"),
    "access_rights": ("access_rights.yaml", EU + "access-right/"),
    "regions": ("regions.yaml", None),
    "formats": ("formats.yaml", EU + "file-type/"),
    "government_levels": ("government_levels.yaml", None),
    "institution_types": ("institution_types.yaml", None),
    "languages": ("languages.yaml", EU + "language/"),
    "personal_data": ("personal_data.yaml", None),
}

#: GeoJSON geometry types and the depth of their coordinate arrays.
_GEOMETRY_DEPTH = {
    "Point": 0, "MultiPoint": 1, "LineString": 1,
    "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3,
}

Invalid = df.Invalid
missing = df.missing


# ----------------------------------------------------------------- loading

def _entry(raw: dict[str, Any], uri_base: Optional[str]) -> dict[str, Any]:
    """One vocabulary entry in the common shape."""
    entry = dict(raw)
    if "name" in entry and "value" not in entry:  # themes.yaml
        entry["value"] = entry["name"]
    if "title" in entry and "label" not in entry:
        entry["label"] = entry["title"]
    value = str(entry["value"])
    entry["value"] = value
    label = entry.get("label") or value
    entry["label"] = label if isinstance(label, dict) else {"ar": label, "fr": label, "en": label}
    if "eu_theme" in entry:
        entry.setdefault("uri", EU + "data-theme/" + entry["eu_theme"])
    elif "eu_uri" in entry:
        entry.setdefault("uri", entry["eu_uri"])
    elif uri_base:
        code = entry.get("eu_code", value)
        entry.setdefault("uri", uri_base + code if code else None)
    entry.setdefault("uri", None)
    return entry


@functools.lru_cache(maxsize=None)
def _load(name: str) -> tuple[dict[str, Any], ...]:
    file_name, uri_base = VOCABULARY_FILES[name]
    with open(os.path.join(DATA_DIR, file_name), encoding="utf-8") as f:
        return tuple(_entry(raw, uri_base) for raw in yaml.safe_load(f))


def vocabulary(name: str) -> list[dict[str, Any]]:
    """The entries of vocabulary ``name`` (copies, safe to change)."""
    if name not in VOCABULARY_FILES:
        raise KeyError(f"Unknown vocabulary {name!r}")
    return [dict(e) for e in _load(name)]


def vocabulary_values(name: str) -> list[str]:
    return [e["value"] for e in _load(name)]


def vocabulary_entry(name: str, value: Any) -> Optional[dict[str, Any]]:
    for entry in _load(name):
        if entry["value"] == value:
            return dict(entry)
    return None


# ----------------------------------------------------------------- licences

def licence_register() -> list[dict[str, Any]]:
    """The licences as CKAN licence-register entries (the content of
    ``data/licences.json``, loaded through ``licenses_group_url``)."""
    out = []
    for entry in _load("licences"):
        out.append({
            "id": entry["value"],
            "title": entry.get("title") or entry["label"]["fr"],
            "url": entry.get("url") or "",
            "eu_uri": entry.get("uri") or "",
            "title_translated": entry["label"],
            "od_conformance": "approved" if entry.get("open") else "not reviewed",
            "osd_conformance": "not reviewed",
            "status": "active",
            "maintainer": "",
            "family": "",
            "domain_content": True,
            "domain_data": True,
            "domain_software": False,
        })
    return out


LICENCE_REGISTER_FILE = os.path.join(DATA_DIR, "licences.json")


def use_shipped_licence_register(config: Any) -> None:
    """Point CKAN's licence register at ``data/licences.json`` unless the
    ini file names another register (``licenses_group_url``)."""
    if not config.get("licenses_group_url"):
        config["licenses_group_url"] = "file://" + LICENCE_REGISTER_FILE


def licence_register_json() -> str:
    return json.dumps(licence_register(), ensure_ascii=False, indent=2) + "\n"


def write_licence_register(path: Optional[str] = None) -> str:
    """(Re)write ``data/licences.json`` from ``licences.yaml``."""
    path = path or LICENCE_REGISTER_FILE
    with open(path, "w", encoding="utf-8") as f:
        f.write(licence_register_json())
    return path


# ----------------------------------------------------------------- formats

def _format_key(text: str) -> str:
    return text.strip().lower()


@functools.lru_cache(maxsize=None)
def _format_index() -> dict[str, dict[str, Any]]:
    index: dict[str, dict[str, Any]] = {}
    for entry in _load("formats"):
        keys = [entry["value"], *(entry.get("aliases") or [])]
        if entry.get("uri"):
            keys.append(entry["uri"])
        for key in keys:
            index.setdefault(_format_key(key), entry)
            index.setdefault(_format_key(key).lstrip("."), entry)
    return index


def format_entry(text: Any) -> Optional[dict[str, Any]]:
    """The format for ``csv``, ``.CSV``, ``text/csv`` or its EU URI."""
    if not isinstance(text, str) or not text.strip():
        return None
    return _format_index().get(_format_key(text))


# ----------------------------------------------------------------- helpers

def opengov_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """scheming ``choices_helper``: the choices of ``field["vocabulary"]``
    with per-language labels."""
    return [{"value": e["value"], "label": e["label"]} for e in _load(field["vocabulary"])]


def opengov_vocabulary(name: str) -> list[dict[str, Any]]:
    return vocabulary(name)


def opengov_vocabulary_label(name: str, value: Any, lang: Optional[str] = None) -> str:
    """The label of ``value`` in the UI language (or ``lang``), falling back
    over the other languages; the value itself when unknown."""
    entry = vocabulary_entry(name, value)
    if not entry:
        return "" if value is None else str(value)
    labels = entry["label"]
    order = [lang or _ui_language(), tk.config.get("ckan.locale_default") or "fr", "fr", "ar", "en"]
    for code in order:
        if labels.get(code):
            return labels[code]
    return str(value)


def opengov_vocabulary_uri(name: str, value: Any) -> Optional[str]:
    """The EU (or other) URI of ``value``: e.g. theme ``health`` ->
    ``.../data-theme/HEAL``, frequency ``ANNUAL`` -> ``.../frequency/ANNUAL``."""
    entry = vocabulary_entry(name, value)
    return entry.get("uri") if entry else None


def opengov_theme_uris(themes: Any) -> list[str]:
    """EU data-theme URIs of a dataset's portal themes, without duplicates."""
    values = _as_list(themes)
    out: list[str] = []
    for value in values:
        uri = opengov_vocabulary_uri("themes", value)
        if uri and uri not in out:
            out.append(uri)
    return out


def _ui_language() -> str:
    try:
        return tk.h.lang() or ""
    except (RuntimeError, AttributeError, TypeError):  # outside a request
        return ""


def _as_list(value: Any) -> list[Any]:
    if value in (None, missing, ""):
        return []
    if isinstance(value, str):
        try:
            loaded = json.loads(value)
        except ValueError:
            return [value]
        return loaded if isinstance(loaded, list) else [loaded]
    return list(value)


# ----------------------------------------------------------------- validators

def opengov_resource_format(key, data, errors, context) -> None:
    """Resource format from the controlled list: normalised spelling
    (``csv`` -> ``CSV``) and the media type written into ``mimetype`` when
    it is empty."""
    value = data.get(key)
    if value in (missing, None, ""):
        return
    entry = format_entry(value)
    if not entry:
        errors[key].append(tk._('Format "{value}" is not in the list of accepted formats').format(value=value))
        return
    data[key] = entry["value"]
    mimetype_key = key[:-1] + ("mimetype",)
    if entry.get("media_type") and data.get(mimetype_key) in (missing, None, ""):
        data[mimetype_key] = entry["media_type"]


def opengov_geojson(value: Any, context: Any) -> Any:
    """Optional GeoJSON (geometry, Feature or FeatureCollection) given as a
    JSON string or an object; stored as a compact JSON string."""
    if value in (missing, None, ""):
        return value
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise Invalid(tk._("Invalid GeoJSON: not valid JSON"))
    problem = _geojson_problem(value)
    if problem:
        raise Invalid(tk._("Invalid GeoJSON: {problem}").format(problem=problem))
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _geojson_problem(obj: Any) -> Optional[str]:
    if not isinstance(obj, dict):
        return tk._("expecting a JSON object")
    kind = obj.get("type")
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            return tk._('"features" must be a list')
        for feature in features:
            problem = _geojson_problem(feature) if isinstance(feature, dict) and feature.get("type") == "Feature" \
                else tk._("a FeatureCollection holds Features only")
            if problem:
                return problem
        return None
    if kind == "Feature":
        geometry = obj.get("geometry")
        return None if geometry is None else _geometry_problem(geometry)
    return _geometry_problem(obj)


def _geometry_problem(geometry: Any) -> Optional[str]:
    if not isinstance(geometry, dict):
        return tk._("expecting a geometry object")
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list):
            return tk._('"geometries" must be a list')
        return next((p for p in map(_geometry_problem, members) if p), None)
    if kind not in _GEOMETRY_DEPTH:
        return tk._('unknown geometry type "{kind}"').format(kind=kind)
    if not _coordinates_ok(geometry.get("coordinates"), _GEOMETRY_DEPTH[kind], kind):
        return tk._('bad coordinates for a {kind}').format(kind=kind)
    return None


def _is_position(value: Any) -> bool:
    return (isinstance(value, list) and 2 <= len(value) <= 3
            and all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in value)
            and -180 <= value[0] <= 180 and -90 <= value[1] <= 90)


def _coordinates_ok(coords: Any, depth: int, kind: str) -> bool:
    if depth == 0:
        return _is_position(coords)
    if not isinstance(coords, list) or not coords:
        return False
    if kind in ("Polygon", "MultiPolygon") and depth == 1:  # a linear ring
        return len(coords) >= 4 and coords[0] == coords[-1] and all(map(_is_position, coords))
    if kind in ("LineString", "MultiLineString") and depth == 1 and len(coords) < 2:
        return False
    return all(_coordinates_ok(c, depth - 1, kind) for c in coords)


def _as_date(value: Any) -> Optional[datetime.date]:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def opengov_not_before(start_field: str) -> Callable[..., None]:
    """The field's date may not be earlier than ``start_field``'s
    (``temporal_end`` >= ``temporal_start``)."""
    def validator(key, data, errors, context) -> None:
        end = _as_date(data.get(key))
        start = _as_date(data.get(key[:-1] + (start_field,)))
        if end and start and end < start:
            errors[key].append(tk._("The end date must not be before the start date"))
    return validator


def opengov_required_to_publish(key, data, errors, context) -> None:
    """Required unless the dataset is still a draft or is harvested
    (``context["opengov_harvested"]``, see logic/validators.py)."""
    value = data.get(key)
    if value not in (missing, None, "", []):
        return
    state = data.get(("state",))
    if (isinstance(state, str) and state.startswith("draft")) or context.get("opengov_harvested"):
        raise df.StopOnError
    errors[key].append(tk._("Missing value"))
    raise df.StopOnError


def opengov_keep_stored(key, data, errors, context) -> None:
    """Hidden provenance fields (guid, source, source_modified): when an
    update does not send the field (the web form never does), keep the value
    already stored instead of dropping it. An explicit empty string clears it."""
    if data.get(key) is not missing:
        return
    package = context.get("package")
    if package is None or len(key) != 1:
        data[key] = missing
        return
    extras = getattr(package, "extras", None) or {}
    stored = extras.get(key[0]) if hasattr(extras, "get") else None
    if stored not in (None, ""):
        data[key] = stored


def opengov_url_list(key, data, errors, context) -> None:
    """A list of http(s) URLs (list, JSON list, or one per line/comma);
    stored as a JSON list."""
    value = data.get(key)
    if value in (missing, None, ""):
        return
    if isinstance(value, str):
        try:
            loaded = json.loads(value)
            items = loaded if isinstance(loaded, list) else [value]
        except ValueError:
            items = value.replace(",", "\n").splitlines()
    elif isinstance(value, list):
        items = value
    else:
        errors[key].append(tk._("Expecting a list of URLs"))
        return
    urls: list[str] = []
    for item in items:
        if item in (None, ""):
            continue
        if not isinstance(item, str) or not _is_url(item.strip()):
            errors[key].append(tk._('Not a valid URL: "{url}"').format(url=item))
            return
        urls.append(item.strip())
    data[key] = json.dumps(urls, ensure_ascii=False)


def _is_url(text: str) -> bool:
    from urllib.parse import urlparse
    parsed = urlparse(text)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in text


def opengov_translated_from_core(key, data, errors, context) -> None:
    """``__before`` of the organisation and group schemas: a request that
    only knows CKAN's core ``title``/``description`` (API clients, the CKAN
    harvester, CKAN's own test factories) is accepted, its text kept as one
    language (Arabic when written in Arabic script, else the default
    locale), under the one-language rule of harvested content."""
    extras = data.get(("__extras",)) or {}
    for core in ("title", "description"):
        name = core + "_translated"
        if data.get((name,), missing) not in (missing, None, "", {}):
            continue
        if any(str(k).startswith(name + "-") for k in extras):
            continue
        text = data.get((core,))
        if not isinstance(text, str) or not text.strip():
            continue
        data[(name,)] = {_language_of(text): text}
        context["opengov_harvested"] = True


def _language_of(text: str) -> str:
    if any("\u0600" <= char <= "\u06ff" for char in text):
        return "ar"
    default = tk.config.get("ckan.locale_default") or "en"
    return default.replace("_", "-").split("-")[0].lower()


def opengov_json_list_output(value: Any) -> Any:
    """Stored JSON list -> list (plain strings become a one-item list)."""
    if isinstance(value, list):
        return value
    return _as_list(value)


# ----------------------------------------------------------------- plugin

def get_validators() -> dict[str, Callable[..., Any]]:
    return {
        "opengov_resource_format": opengov_resource_format,
        "opengov_geojson": opengov_geojson,
        "opengov_not_before": opengov_not_before,
        "opengov_required_to_publish": opengov_required_to_publish,
        "opengov_keep_stored": opengov_keep_stored,
        "opengov_url_list": opengov_url_list,
        "opengov_json_list_output": opengov_json_list_output,
        "opengov_translated_from_core": opengov_translated_from_core,
    }


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {
        "opengov_choices": opengov_choices,
        "opengov_vocabulary": opengov_vocabulary,
        "opengov_vocabulary_label": opengov_vocabulary_label,
        "opengov_vocabulary_uri": opengov_vocabulary_uri,
        "opengov_theme_uris": opengov_theme_uris,
    }

"""The controlled vocabularies the checks use, read from the data files the
plugin ships (``data/*.yaml``): no network access while scoring."""
from __future__ import annotations

import functools
import os
import re
from typing import Any, Optional

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")

EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPE = EU + "file-type/"
LICENCE = EU + "licence/"
ACCESS_RIGHT = EU + "access-right/"
FREQUENCY = EU + "frequency/"
EDP_LICENCE = "http://europeandataportal.eu/ontologies/od-licenses#"
_IANA = re.compile(r"^https?://www\.iana\.org/assignments/media-types/(.+)$", re.IGNORECASE)


@functools.lru_cache(maxsize=None)
def load(name: str) -> Any:
    with open(os.path.join(DATA, name + ".yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def _key(uri: Any) -> str:
    return re.sub(r"^https?://", "", str(uri).strip()).rstrip("/").lower()


def _code(value: Any, base: str) -> Optional[str]:
    """``<base>CSV`` -> ``CSV`` (http or https, any trailing slash)."""
    text = str(value).strip()
    if _key(text).startswith(_key(base) + "/"):
        return text.rstrip("/").rsplit("/", 1)[-1]
    return None


# ------------------------------------------------------------ file types

@functools.lru_cache(maxsize=None)
def _file_types() -> dict[str, frozenset[str]]:
    data = load("file_types")
    return {k: frozenset(data[k]) for k in ("eu_file_types", "machine_readable", "non_proprietary")}


def file_type_code(value: Any) -> Optional[str]:
    """EU file-type code of a ``dct:format`` that is an EU file-type URI."""
    code = _code(value, FILE_TYPE) if value is not None else None
    return code if code in _file_types()["eu_file_types"] else None


def media_type(value: Any) -> Optional[str]:
    """``text/csv`` of an IANA media-type URI, when the type is known."""
    match = _IANA.match(str(value or "").strip())
    if match and match.group(1).lower() in load("file_types")["media_types"]:
        return match.group(1).lower()
    return None


def media_type_code(value: Any) -> Optional[str]:
    """EU file-type code of a media type (URI or bare ``type/subtype``)."""
    text = str(value or "").strip()
    match = _IANA.match(text)
    key = (match.group(1) if match else text).split(";")[0].strip().lower()
    return load("file_types")["media_types"].get(key)


def format_code(value: Any) -> Optional[str]:
    """EU file-type code of any spelling of a format: URI, code, name,
    extension or media type (``XLSX``, ``.csv``, ``geojson``)."""
    if value in (None, ""):
        return None
    code = file_type_code(value) or media_type_code(value)
    if code:
        return code
    text = str(value).strip().lstrip(".").upper().replace("-", "_").replace(" ", "_")
    aliases = {"GEO_JSON": "GEOJSON", "JSONLD": "JSON_LD", "TTL": "RDF_TURTLE",
               "TURTLE": "RDF_TURTLE", "NETCDF4": "NETCDF", "GZ": "GZIP", "JPG": "JPEG",
               "TIF": "TIFF", "WORD": "DOC", "EXCEL": "XLS", "SHAPEFILE": "SHP",
               "ESRI_SHAPEFILE": "SHP", "WMS": "WMS_SRVC", "WFS": "WFS_SRVC",
               "HTM": "HTML", "TEXT": "TXT"}
    text = aliases.get(text, text)
    return text if text in _file_types()["eu_file_types"] else None


def machine_readable(code: Optional[str]) -> bool:
    return bool(code) and code in _file_types()["machine_readable"]


def non_proprietary(code: Optional[str]) -> bool:
    return bool(code) and code in _file_types()["non_proprietary"]


# --------------------------------------------------------------- licences

def licence_entry(value: Any) -> Optional[dict]:
    """``{"id", "open"}`` of a known licence URI (EU table, data.europa.eu
    list or a national licence page); None when unknown."""
    if value in (None, ""):
        return None
    data = load("licences")
    code = _code(value, LICENCE)
    if code and code in data["eu_licences"]:
        return {"id": code, "open": bool(data["eu_licences"][code]["open"])}
    text = str(value).strip()
    if text.startswith(EDP_LICENCE) and text[len(EDP_LICENCE):] in data["edp_licences"]:
        return {"id": text[len(EDP_LICENCE):], "open": True}
    for entry in data["national_licences"]:
        if _key(entry["uri"]) == _key(text):
            return {"id": entry["id"], "open": bool(entry["open"])}
    return None


# ---------------------------------------------------------- access rights

def access_right_code(value: Any) -> Optional[str]:
    code = _code(value, ACCESS_RIGHT) if value is not None else None
    return code if code in load("access_rights") else None


# ------------------------------------------------------------ frequencies

@functools.lru_cache(maxsize=None)
def _frequencies() -> dict[str, dict]:
    table = {}
    for entry in load("frequencies"):
        table[entry["code"].lower()] = entry
        for alias in entry.get("aliases") or []:
            table[str(alias).lower()] = entry
    return table


def frequency(value: Any) -> Optional[dict]:
    """The frequency entry (``code``, ``days``) of an EU URI, code or alias."""
    if value in (None, ""):
        return None
    text = str(value).strip().rstrip("/")
    code = text.rsplit("/", 1)[-1] if "/" in text else text
    return _frequencies().get(code.lower())


def frequency_uri_aligned(value: Any) -> bool:
    """An EU frequency vocabulary URI (not a bare code or a literal)."""
    code = _code(value, FREQUENCY) if value is not None else None
    return bool(code) and frequency(code) is not None


# ------------------------------------------------------------- 5 stars

@functools.lru_cache(maxsize=None)
def _stars() -> dict[str, int]:
    return {str(fmt).upper(): int(stars) for stars, formats in load("five_stars").items()
            for fmt in formats}


def format_stars(value: Any) -> int:
    """Stars of a format (0 to 5); an unknown or missing format gets 1."""
    if value in (None, ""):
        return 1
    table = _stars()
    code = format_code(value)
    for key in (code, str(value).strip().lstrip(".").upper()):
        if key and key in table:
            return table[key]
    return 1

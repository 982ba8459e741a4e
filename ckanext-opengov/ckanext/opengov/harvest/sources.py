"""The sectoral portal registry: what each harvest source carries beyond
ckanext-harvest's own fields.

A source's ``config`` (JSON, edited in the harvest source form, sent to
``harvest_source_create``/``ckan harvester source create``, or written by
``ckan opengov harvest-register``) holds, next to the harvester's own
options (``rdf_format``, the CKAN harvester's ``api_key``...):

``sector``
    the portal theme of the sectoral portal (``culture``, ``agriculture``...):
    harvested datasets without a theme get it.
``default_language``
    language of untagged text (``ar``, ``fr`` or ``en``).
``organization_policy``
    ``source`` (every dataset in the source's organisation), ``match``
    (the publisher's organisation when it exists on the portal, else the
    source's; the default) or ``create`` (the publisher's organisation,
    created when missing).
``max_shrink``
    the fraction of the source's datasets a job may withdraw (default
    ``ckanext.opengov.harvest.max_shrink``).
``allow_withdrawal``
    set by ``opengov_harvest_withdrawal_allow`` for the next job only.

Owner organisation, schedule (``frequency``) and type (``dcat_rdf`` or
``ckan``) are ckanext-harvest's own source fields.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional

import ckan.plugins.toolkit as tk

from ckanext.opengov.logic import vocabularies

POLICIES = ("source", "match", "create")
SOURCE_TYPES = ("dcat_rdf", "ckan")
FREQUENCIES = ("MANUAL", "MONTHLY", "WEEKLY", "BIWEEKLY", "DAILY", "ALWAYS")
LANGUAGES = ("ar", "fr", "en")
REGISTRY_KEYS = ("sector", "default_language", "organization_policy", "max_shrink", "allow_withdrawal")


def default_max_shrink() -> float:
    try:
        return float(tk.config.get("ckanext.opengov.harvest.max_shrink") or 0.5)
    except (TypeError, ValueError):
        return 0.5


@dataclass
class SourceSettings:
    sector: Optional[str] = None
    default_language: Optional[str] = None
    organization_policy: str = "match"
    max_shrink: float = 0.5
    allow_withdrawal: bool = False
    raw: Optional[dict] = None

    @classmethod
    def from_config(cls, config: Optional[str]) -> "SourceSettings":
        data = load_config(config)
        return cls(
            sector=data.get("sector") or None,
            default_language=data.get("default_language") or None,
            organization_policy=data.get("organization_policy") or "match",
            max_shrink=float(data["max_shrink"]) if data.get("max_shrink") is not None else default_max_shrink(),
            allow_withdrawal=bool(data.get("allow_withdrawal")),
            raw=data,
        )


def load_config(config: Optional[str]) -> dict:
    if not config:
        return {}
    try:
        data = json.loads(config)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def config_errors(data: dict) -> dict[str, str]:
    """Field-level problems of the registry keys of a source config."""
    errors: dict[str, str] = {}
    sector = data.get("sector")
    if sector not in (None, "") and not vocabularies.vocabulary_entry("themes", sector):
        errors["sector"] = "unknown theme %r; one of: %s" % (
            sector, ", ".join(vocabularies.vocabulary_values("themes")))
    language = data.get("default_language")
    if language not in (None, "") and language not in LANGUAGES:
        errors["default_language"] = "must be one of %s" % ", ".join(LANGUAGES)
    policy = data.get("organization_policy")
    if policy not in (None, "") and policy not in POLICIES:
        errors["organization_policy"] = "must be one of %s" % ", ".join(POLICIES)
    shrink = data.get("max_shrink")
    if shrink is not None:
        try:
            if not 0 <= float(shrink) <= 1:
                raise ValueError
        except (TypeError, ValueError):
            errors["max_shrink"] = "must be a number between 0 and 1"
    return errors


def validate_config(config: Optional[str]) -> Optional[str]:
    """For the harvesters' ``validate_config``: ValueError naming the
    first wrong key (ckanext-harvest shows it on the ``config`` field)."""
    if not config:
        return config
    try:
        data = json.loads(config)
    except ValueError as error:
        raise ValueError("the configuration is not valid JSON: %s" % error)
    if not isinstance(data, dict):
        raise ValueError("the configuration must be a JSON object")
    errors = config_errors(data)
    if errors:
        raise ValueError("; ".join(f"{key}: {message}" for key, message in sorted(errors.items())))
    return config


def set_config_key(source: Any, key: str, value: Any) -> None:
    """Change one key of a source's config in place (model object)."""
    data = load_config(source.config)
    if value is None:
        data.pop(key, None)
    else:
        data[key] = value
    source.config = json.dumps(data, ensure_ascii=False) if data else None

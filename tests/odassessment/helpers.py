"""Builders shared by the assessment tests (issue 7)."""
from __future__ import annotations

import itertools
from typing import Any

from ckan.tests import factories, helpers

_counter = itertools.count()

SERVICE = {"ckanext.odassessment.http.allowed_hosts": "127.0.0.1"}


def sysadmin_context() -> dict:
    return {"user": factories.Sysadmin()["name"], "ignore_auth": True}


def organization(**overrides: Any) -> dict:
    n = next(_counter)
    data = {"name": f"ministere-{n}",
            "title_translated": {"ar": "وزارة الفلاحة", "fr": "Ministère de l'Agriculture"}}
    data.update(overrides)
    return helpers.call_action("organization_create", sysadmin_context(), **data)


def complete_resource(**overrides: Any) -> dict:
    """A distribution meeting every MQA distribution metric the portal's
    schema can express (rights is a resource extra)."""
    n = next(_counter)
    data = {"url": f"http://data.example.tn/files/{n}.csv",
            "download_url": f"http://data.example.tn/download/{n}.csv",
            "format": "CSV", "size": 2048, "license": "cc-by-4.0",
            "name_translated": {"ar": "الإنتاج", "fr": "Production"},
            "description_translated": {"ar": "جدول الإنتاج", "fr": "Tableau de la production"},
            "rights": "Réutilisation libre"}
    data.update(overrides)
    return data


def complete_dataset(org: dict, **overrides: Any) -> dict:
    """A dataset meeting every MQA dataset metric."""
    n = next(_counter)
    data = {
        "name": f"production-{n}", "owner_org": org["id"],
        "title_translated": {"ar": "الإنتاج الفلاحي", "fr": "Production agricole"},
        "notes_translated": {"ar": "تطور الإنتاج الفلاحي بكل ولاية " * 5,
                             "fr": "Évolution de la production agricole par gouvernorat " * 3},
        "tags_translated": {"fr": ["agriculture"], "ar": ["فلاحة"]},
        "theme": ["agriculture"], "license_id": "cc-by-4.0", "frequency": "ANNUAL",
        "access_rights": "PUBLIC", "spatial_region": ["TN-51"],
        "temporal_start": "2015-01-01", "temporal_end": "2025-12-31",
        "personal_data_declaration": "no_personal_data",
        "contact_name": "Service des statistiques", "contact_email": "stat@agri.gov.tn",
        "resources": [complete_resource()],
    }
    data.update(overrides)
    return helpers.call_action("package_create", sysadmin_context(), **data)


def bare_dataset(org: dict, **overrides: Any) -> dict:
    """Only what the schema requires."""
    n = next(_counter)
    data = {"name": f"bare-{n}", "owner_org": org["id"],
            "title_translated": {"ar": "عنوان", "fr": "Titre"},
            "notes_translated": {"ar": "وصف", "fr": "Description"},
            "personal_data_declaration": "no_personal_data"}
    data.update(overrides)
    return helpers.call_action("package_create", sysadmin_context(), **data)


class Status:
    """A URL check result as the scorer reads it."""

    def __init__(self, status, error=None, content_type=None, content=None):
        self.status = status
        self.error = error
        self.content_type = content_type
        self.content = content


def all_urls_answer(dataset: dict, status: int) -> dict:
    urls = {}
    for resource in dataset["resources"]:
        for key in ("url", "access_url", "download_url"):
            if resource.get(key):
                urls[resource[key]] = Status(status)
    return urls

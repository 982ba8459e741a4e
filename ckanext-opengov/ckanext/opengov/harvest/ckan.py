"""The portal's CKAN-to-CKAN harvester (source type ``ckan``):
ckanext-harvest's ``ckan`` harvester, with

* downloads through :func:`fetch.fetch` (address guard, timeouts, size cap);
* a complete listing of the remote catalogue on every job (``package_search``
  paged by id), so datasets removed upstream are withdrawn, only after the
  listing succeeded, and never more than the source's ``max_shrink``
  without an administrator's override (stock never withdraws: harvest #396);
* local ids (the remote id is the guid), so two portals' ids never collide
  (harvest #104), and no takeover of another source's dataset;
* remote datasets mapped into the portal's multilingual schema: a remote
  running the same schema keeps its ``*_translated`` fields, a stock CKAN's
  ``title``/``notes``/``tags`` go to the source's default language;
* the import rules of :class:`importing.PortalImport` (reactivation, no
  rewrite when the remote ``metadata_modified`` and content are unchanged).
"""
from __future__ import annotations

import json
import logging
from typing import Any, Optional


from ckanext.harvest.harvesters.ckanharvester import CKANHarvester

from ckanext.opengov import dcat as opengov_dcat
from ckanext.opengov import languages, slugs
from ckanext.opengov.harvest import common, messages
from ckanext.opengov.harvest.fetch import FetchError, fetch, session
from ckanext.opengov.harvest.importing import PortalImport
from ckanext.opengov.harvest.organizations import OrganizationMapper
from ckanext.opengov.harvest.sources import SourceSettings
from ckanext.opengov.logic import vocabularies

log = logging.getLogger(__name__)

ROWS = 1000
#: Remote keys kept as they are (fields of the portal's dataset schema).
SCHEMA_KEYS = ("url", "version", "license_id", "theme", "frequency", "spatial_region", "spatial",
               "access_rights", "temporal_start", "temporal_end", "government_level", "identifier",
               "conforms_to", "contact_name", "contact_email", "personal_data_declaration")
RESOURCE_KEYS = ("url", "format", "mimetype", "size", "license", "language", "access_url",
                 "download_url", "uri")


class ListingFailed(Exception):
    pass


class OpenGovCKANHarvester(PortalImport, CKANHarvester):
    """``ckan`` sources of the national portal."""

    def info(self):
        return {
            "name": "ckan",
            "title": "CKAN (sectoral portal)",
            "description": "A CKAN portal harvested through its Action API into the portal's schema, "
                           "with datasets removed upstream withdrawn.",
        }

    def modify_package_dict(self, package_dict, *args):
        """Same call as the DCAT harvester's (``PortalImport`` passes the
        DCAT signature); subclasses adapt the dict here."""
        return package_dict

    def hook_plugins(self):
        return [opengov_dcat.OpenGovDCATHarvesterHooks()]

    # ------------------------------------------------------------- gather

    def gather_stage(self, harvest_job):
        source = harvest_job.source
        self._set_config(source.config)
        settings = SourceSettings.from_config(source.config)
        base = source.url.rstrip("/")
        try:
            remote = self._listing(base)
        except ListingFailed as failed:
            common.gather_error(harvest_job, str(failed))
            return []
        records = [(package["id"], package) for package in remote if package.get("type", "dataset") != "harvest"]
        return self.queue_records(harvest_job, settings, records)

    def _listing(self, base: str) -> list[dict]:
        """Every remote dataset (after the source's organisation/group
        filters), or ListingFailed: withdrawal needs the whole list."""
        url = base + self._get_search_api_offset()
        params: dict[str, Any] = {"rows": ROWS, "start": 0, "sort": "id asc"}
        fq = self._filters()
        if fq:
            params["fq"] = " ".join(fq)
        http = session()
        headers = {}
        if self.config.get("api_key"):
            headers["Authorization"] = str(self.config["api_key"])
        http.headers.update(headers)
        found: dict[str, dict] = {}
        total: Optional[int] = None
        while True:
            try:
                fetched = fetch(url, http=http, params=params)
            except FetchError as error:
                raise ListingFailed(str(error))
            try:
                result = json.loads(fetched.text)["result"]
                page = result["results"]
                total = result.get("count", total)
            except (ValueError, KeyError, TypeError) as error:
                raise ListingFailed(messages.render("bad_json", url=fetched.url, reason=error))
            for package in page:
                found.setdefault(package["id"], package)
            if not page or (total is not None and params["start"] + ROWS >= total):
                break
            params["start"] += ROWS
            if params["start"] > 1_000_000:
                raise ListingFailed(messages.render("too_many_pages", max_pages=1_000_000 // ROWS))
        return list(found.values())

    def _filters(self) -> list[str]:
        fq = []
        include = self.config.get("organizations_filter_include", [])
        exclude = self.config.get("organizations_filter_exclude", [])
        if include:
            fq.append(" OR ".join(f"organization:{o}" for o in include))
        fq.extend(f"-organization:{o}" for o in exclude if not include)
        include = self.config.get("groups_filter_include", [])
        exclude = self.config.get("groups_filter_exclude", [])
        if include:
            fq.append(" OR ".join(f"groups:{g}" for g in include))
        fq.extend(f"-groups:{g}" for g in exclude if not include)
        return fq

    # ------------------------------------------------------------- import

    def dataset_from_object(self, harvest_object) -> dict:
        remote = json.loads(harvest_object.content or "")
        source = harvest_object.source
        settings = SourceSettings.from_config(source.config)
        language = settings.default_language or opengov_dcat._default_language()
        dataset = {key: remote[key] for key in SCHEMA_KEYS if remote.get(key) not in (None, "", [])}
        if dataset.get("license_id") and not vocabularies.vocabulary_entry("licences", dataset["license_id"]):
            dataset["license_id"] = opengov_dcat.vocabulary_value("licences", dataset["license_id"])
        dataset["name"] = remote.get("name") or slugs.arabic_slug(remote.get("title") or "")
        dataset["title_translated"] = _texts(remote, "title", language)
        dataset["notes_translated"] = _texts(remote, "notes", language)
        dataset["tags_translated"] = remote.get("tags_translated") or _tags(remote, language)
        dataset["guid"] = remote["id"]
        dataset["source_url"] = f"{source.url.rstrip('/')}/dataset/{remote.get('name') or remote['id']}"
        if remote.get("metadata_modified"):
            dataset["source_modified"] = remote["metadata_modified"]
        mapper = OrganizationMapper(settings.organization_policy, self.source_org(source),
                                    self._get_user_name(), language)
        org = remote.get("organization") or {}
        owner = mapper.organization_for(org.get("title"), None) if org else None
        dataset["owner_org"] = owner or self.source_org(source)
        if settings.sector and not dataset.get("theme"):
            dataset["theme"] = [settings.sector]
        dataset["resources"] = [_resource(r, language) for r in remote.get("resources") or []]
        dataset["extras"] = []
        return {k: v for k, v in dataset.items() if v not in (None, {}, "")}


def _language_of(text: str, default: str) -> str:
    return "ar" if slugs.has_arabic(text) else default


def _texts(remote: dict, field: str, language: str) -> dict:
    translated = remote.get(f"{field}_translated")
    if isinstance(translated, dict):
        return languages.drop_empty(translated)
    text = (remote.get(field) or "").strip()
    return {_language_of(text, language): text} if text else {}


def _tags(remote: dict, language: str) -> dict:
    out: dict[str, list[str]] = {}
    for tag in remote.get("tags") or []:
        name = tag.get("display_name") or tag.get("name") if isinstance(tag, dict) else tag
        for part in languages.split_tags(name or ""):
            out.setdefault(_language_of(part, language), [])
            if part not in out[_language_of(part, language)]:
                out[_language_of(part, language)].append(part)
    return out


def _resource(remote: dict, language: str) -> dict:
    resource = {key: remote[key] for key in RESOURCE_KEYS if remote.get(key) not in (None, "", [])}
    resource["name_translated"] = _texts(remote, "name", language)
    resource["description_translated"] = _texts(remote, "description", language)
    entry = vocabularies.format_entry(resource.get("format")) or vocabularies.format_entry(resource.get("mimetype"))
    if entry:
        resource["format"] = entry["value"]
    else:
        resource.pop("format", None)
    resource.setdefault("uri", remote.get("id"))
    return {k: v for k, v in resource.items() if v not in (None, {}, "")}

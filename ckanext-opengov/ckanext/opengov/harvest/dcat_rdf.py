"""The portal's DCAT RDF harvester: ckanext-dcat's ``dcat_rdf`` harvester
(same source type name, same ``IDCATRDFHarvester`` hooks, the profiles of
``ckanext.dcat.rdf.profiles``) with the guarantees a national portal needs.

Gather, all or nothing:

* every page is downloaded through :func:`fetch.fetch` (public addresses
  only unless allow-listed, timeouts, size cap, declared charset or UTF-8);
* HTML pages, unknown content types, DTDs and XML entities, remote JSON-LD
  contexts and anything rdflib cannot parse are gather errors, never an
  exception that would kill the gather consumer;
* pagination is bounded (``ckanext.opengov.harvest.max_pages``) and a page
  seen twice stops the job;
* harvest objects are created only once every page has been read, so a
  failing page leaves nothing to import and nothing to withdraw;
* a guid listed twice is imported once (the first) with a gather error;
* an empty catalogue, or one that lost more than the source's
  ``max_shrink`` of its datasets, is refused unless an administrator
  allowed the withdrawal for the next job.

Import: the source's own dataset for a guid is found through the source's
harvest objects (any state: a withdrawn dataset that comes back is
reactivated, same id and name); a guid that belongs to another source or
to a dataset created on the portal is an object error, never a takeover;
an unchanged dataset is not rewritten (no activity, same
``metadata_modified``); a per-(source, guid) database lock keeps two fetch
consumers from creating the same dataset twice.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.dcat.harvesters.rdf import DCATRDFHarvester
from ckanext.dcat.interfaces import IDCATRDFHarvester
from ckanext.dcat.processors import RDFParser

from ckanext.opengov import dcat as opengov_dcat
from ckanext.opengov.harvest import common, messages, rdf_safety
from ckanext.opengov.harvest.fetch import FetchError, fetch, session
from ckanext.opengov.harvest.importing import PortalImport
from ckanext.opengov.harvest.organizations import OrganizationMapper
from ckanext.opengov.harvest.sources import SourceSettings

log = logging.getLogger(__name__)


class GatherRefused(Exception):
    """The job stops here; the message is the gather error."""


def max_pages() -> int:
    try:
        return int(tk.config.get("ckanext.opengov.harvest.max_pages") or 1000)
    except (TypeError, ValueError):
        return 1000


def _extra(dataset: dict, key: str) -> Optional[str]:
    for extra in dataset.get("extras") or []:
        if extra.get("key") == key:
            return extra.get("value")
    return None


class OpenGovDCATRDFHarvester(PortalImport, DCATRDFHarvester):
    """``dcat_rdf`` sources of the national portal."""

    def info(self):
        return {
            "name": "dcat_rdf",
            "title": "DCAT RDF (sectoral portal)",
            "description": "A DCAT catalogue (Turtle, RDF/XML, JSON-LD), harvested with the portal's "
                           "profile and guarantees: no takeover, no mass withdrawal, no duplicates.",
        }

    # ------------------------------------------------------------- gather

    def gather_stage(self, harvest_job):
        source = harvest_job.source
        settings = SourceSettings.from_config(source.config)
        token = opengov_dcat.UNTAGGED_LANGUAGE.set(settings.default_language)
        try:
            records = self._read_catalogue(harvest_job, settings)
        except GatherRefused as refused:
            common.gather_error(harvest_job, str(refused))
            return []
        finally:
            opengov_dcat.UNTAGGED_LANGUAGE.reset(token)
        return self.queue_records(harvest_job, settings, records)

    def _read_catalogue(self, job: Any, settings: SourceSettings) -> list[tuple[str, dict]]:
        """``(guid, dataset dict)`` of every page, or GatherRefused."""
        source = job.source
        rdf_format = (settings.raw or {}).get("rdf_format")
        mapper = OrganizationMapper(settings.organization_policy, source_org=self.source_org(source),
                                    user=self._get_user_name(),
                                    language=settings.default_language or opengov_dcat._default_language())
        http = session()
        for harvester in p.PluginImplementations(IDCATRDFHarvester):
            http = harvester.update_session(http)
        self._names_taken = []
        records: list[tuple[str, dict]] = []
        seen_guids: set[str] = set()
        visited: set[str] = set()
        url: Optional[str] = source.url
        page = 0
        while url:
            page += 1
            if url in visited:
                raise GatherRefused(messages.render("pagination_loop", url=url, page=page))
            if page > max_pages():
                raise GatherRefused(messages.render("too_many_pages", max_pages=max_pages()))
            visited.add(url)
            url = self._before_download(url, job)
            if not url:
                break
            parser = self._parse_page(url, job, rdf_format, page)
            for dataset in parser.datasets():
                record = self._record(dataset, source, settings, mapper, job)
                if record is None:
                    continue
                if record[0] in seen_guids:
                    common.gather_error(job, messages.render("duplicate_guid", guid=record[0]))
                    continue
                seen_guids.add(record[0])
                records.append(record)
            url = parser.next_page()
        return records

    def _before_download(self, url: str, job: Any) -> Optional[str]:
        for harvester in p.PluginImplementations(IDCATRDFHarvester):
            url, errors = harvester.before_download(url, job)
            for error in errors:
                common.gather_error(job, error)
            if not url:
                return None
        return url

    def _parse_page(self, url: str, job: Any, rdf_format: Optional[str], page: int) -> RDFParser:
        try:
            fetched = fetch(url)
        except FetchError as error:
            raise GatherRefused(self._page_message(str(error), page))
        content = fetched.text
        for harvester in p.PluginImplementations(IDCATRDFHarvester):
            content, errors = harvester.after_download(content, job)
            for error in errors:
                common.gather_error(job, error)
        if not content:
            raise GatherRefused(self._page_message(messages.render("no_datasets"), page))
        try:
            fmt = rdf_safety.parse_format(fetched, rdf_format)
            rdf_safety.check(content, fmt, fetched.url)
        except rdf_safety.UnsafeContent as error:
            raise GatherRefused(self._page_message(str(error), page))
        parser = RDFParser()
        try:
            parser.parse(content, _format=fmt)
        except Exception as error:  # rdflib raises many types (JSONDecodeError, SAX, BadSyntax...)
            raise GatherRefused(self._page_message(messages.render(
                "parse_error", url=fetched.url, rdf_format=fmt, reason=_first_line(error)), page))
        for harvester in p.PluginImplementations(IDCATRDFHarvester):
            parser, errors = harvester.after_parsing(parser, job)
            for error in errors:
                common.gather_error(job, error)
            if not parser:
                raise GatherRefused(self._page_message(messages.render("no_datasets"), page))
        return parser

    @staticmethod
    def _page_message(message: str, page: int) -> str:
        if page > 1:
            return message + " " + messages.render("page_failed", page=page)
        return message

    def _record(self, dataset: dict, source: Any, settings: SourceSettings,
                mapper: OrganizationMapper, job: Any) -> Optional[tuple[str, dict]]:
        guid = self._get_guid(dataset, source_url=source.url)
        if not guid:
            common.gather_error(job, messages.render("no_identifier", title=dataset.get("title") or ""))
            return None
        name = dataset.get("name") or dataset.get("title") or ""
        dataset["name"] = self._gen_new_name(name) or opengov_dcat.stable_name(guid)
        if dataset["name"] in self._names_taken:
            suffix = len([n for n in self._names_taken if n.startswith(dataset["name"] + "-")]) + 1
            dataset["name"] = f"{dataset['name']}-{suffix}"
        self._names_taken.append(dataset["name"])
        org = mapper.organization_for(_extra(dataset, "publisher_name"), _extra(dataset, "publisher_uri"))
        if org:
            dataset["owner_org"] = org
        if settings.sector and not dataset.get("theme"):
            dataset["theme"] = [settings.sector]
        dataset.setdefault("extras", []).append({"key": "guid", "value": guid})
        return guid, dataset


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    line = text[0] if text else error.__class__.__name__
    return line if len(line) <= 300 else line[:297] + "..."

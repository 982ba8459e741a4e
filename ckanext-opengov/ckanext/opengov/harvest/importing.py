"""Import stage shared by the bundle's harvesters (DCAT RDF and CKAN):
ownership per source, reactivation, no takeover, no rewrite when nothing
changed, one dataset per (source, guid) even with parallel fetch consumers.
See :mod:`ckanext.opengov.harvest.common`."""
from __future__ import annotations

import contextlib
import json
import traceback
import uuid
from typing import Any, Iterable, Optional

import sqlalchemy as sa

import ckan.lib.plugins as lib_plugins
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.dcat.interfaces import IDCATRDFHarvester
from ckanext.harvest.logic.schema import unicode_safe
from ckanext.harvest.model import HarvestObject

from ckanext.opengov import dcat as opengov_dcat
from ckanext.opengov.harvest import common, messages
from ckanext.opengov.harvest.sources import SourceSettings, validate_config


@contextlib.contextmanager
def solr_commit_deferred():
    """Index without a hard Solr commit per dataset: Solr's autoSoftCommit
    (1 s in config/solr/solrconfig.xml) makes harvested datasets searchable,
    and a harvest no longer opens a new searcher for every dataset
    (``ckanext.opengov.harvest.defer_solr_commit``, default true)."""
    if not tk.asbool(tk.config.get("ckanext.opengov.harvest.defer_solr_commit", True)):
        yield
        return
    previous = tk.config.get("ckan.search.solr_commit")
    tk.config["ckan.search.solr_commit"] = False
    try:
        yield
    finally:
        tk.config["ckan.search.solr_commit"] = previous


def _extra(harvest_object, key: str):
    return next((e.value for e in harvest_object.extras if e.key == key), None)


def complete(dataset: dict) -> dict:
    """A catalogue record without a description (the national schema
    requires one, in one language for harvested content) gets its title."""
    if not dataset.get("notes_translated") and dataset.get("title_translated"):
        dataset["notes_translated"] = dict(dataset["title_translated"])
        dataset["notes"] = dataset.get("title")
    return dataset


class PortalImport:
    """Mixin for a ckanext-harvest harvester (before it in the bases)."""

    def validate_config(self, config):
        """The harvester's own checks, then the registry keys'."""
        return validate_config(super().validate_config(config))

    @staticmethod
    def source_org(source: Any) -> Optional[str]:
        package = model.Package.get(source.id)
        return package.owner_org if package else None

    def queue_records(self, job: Any, settings: SourceSettings, records: list[tuple[str, dict]]) -> list[str]:
        """After a complete gather: refuse an empty or shrunk catalogue,
        else one harvest object per record plus one per withdrawal."""
        source = job.source
        previous = len(common.current_guids(source.id))
        refusal = common.withdrawal_refusal(source, settings, len(records), previous)
        if refusal or not (records or previous):
            common.gather_error(job, refusal or messages.render("no_datasets"))
            return []
        objects = [HarvestObject(guid=guid, job=job, content=json.dumps(dataset)) for guid, dataset in records]
        model.Session.add_all(objects)
        model.Session.commit()
        return [o.id for o in objects] + common.withdrawal_objects(job, [guid for guid, _ in records])

    def hook_plugins(self) -> Iterable[Any]:
        """Who adapts schemas and dicts (``IDCATRDFHarvester`` methods)."""
        return p.PluginImplementations(IDCATRDFHarvester)

    def dataset_from_object(self, harvest_object) -> dict:
        """The dataset dict to import (ValueError when unreadable)."""
        return json.loads(harvest_object.content or "")

    def import_stage(self, harvest_object):
        """Never raises: an unexpected error is the object's error, so the
        fetch consumer keeps running."""
        try:
            return self._import(harvest_object)
        except Exception as error:
            model.Session.rollback()
            self._save_object_error(f"Error importing {harvest_object.guid}: {error!r} / "
                                    f"{traceback.format_exc()}", harvest_object, "Import")
            return False

    def _import(self, harvest_object):
        source_id = harvest_object.harvest_source_id
        common.lock(source_id, harvest_object.guid)
        if _extra(harvest_object, "status") == "delete":
            return self._withdraw(harvest_object)
        try:
            dataset = self.dataset_from_object(harvest_object)
        except ValueError:
            self._save_object_error(f"Could not parse content for object {harvest_object.id}",
                                    harvest_object, "Import")
            return False
        package = common.owned_package(source_id, harvest_object.guid)
        if package is None:
            taken = common.foreign_package(harvest_object.guid, source_id)
            if taken is not None:
                self._save_object_error(messages.render("taken_guid", guid=harvest_object.guid,
                                                        dataset=taken.name), harvest_object, "Import")
                return False
        previous = common.previous_current(source_id, harvest_object.guid, harvest_object.id)
        if common.unchanged(harvest_object, previous, package):
            harvest_object.package_id = package.id
            common.make_current(harvest_object)
            model.Session.commit()
            return "unchanged"
        common.make_current(harvest_object)
        dataset = complete(self.modify_package_dict(dataset, {}, harvest_object))
        dataset["harvest_source"] = source_id
        try:
            if package is not None:
                return self._update(harvest_object, dataset, package)
            return self._create(harvest_object, dataset)
        except Exception as error:
            model.Session.rollback()
            self._save_object_error(f"Error importing dataset {dataset.get('name', '')}: {error!r} / "
                                    f"{traceback.format_exc()}", harvest_object, "Import")
            return False
        finally:
            model.Session.commit()

    def _context(self, schema: dict) -> dict:
        return {"user": self._get_user_name(), "return_id_only": True, "ignore_auth": True,
                "schema": schema, "opengov_harvested": True}

    def _update(self, harvest_object, dataset: dict, package: model.Package):
        plugin = lib_plugins.lookup_package_plugin(dataset.get("type"))
        schema = plugin.update_package_schema()
        for harvester in self.hook_plugins():
            schema = harvester.update_package_schema_for_update(schema)
        existing = tk.get_action("package_show")({"ignore_auth": True}, {"id": package.id})
        dataset["name"], dataset["id"] = existing["name"], existing["id"]
        dataset["state"] = "active"  # a withdrawn dataset listed again comes back
        by_uri = {r.get("uri"): r.get("id") for r in existing.get("resources", []) if r.get("uri")}
        for resource in dataset.get("resources") or []:
            if resource.get("uri") in by_uri:
                resource["id"] = by_uri[resource["uri"]]
        tmp: dict = {}
        for harvester in self.hook_plugins():
            harvester.before_update(harvest_object, dataset, tmp)
        harvest_object.package_id = dataset["id"]
        harvest_object.add()
        try:
            with solr_commit_deferred():
                tk.get_action("package_update")(self._context(schema), dataset)
        except tk.ValidationError as error:
            return self._invalid(harvest_object, error)
        for harvester in self.hook_plugins():
            err = harvester.after_update(harvest_object, dataset, tmp)
            if err:
                self._save_object_error(f"Harvester plugin error: {err}", harvest_object, "Import")
                return False
        return True

    def _create(self, harvest_object, dataset: dict):
        plugin = lib_plugins.lookup_package_plugin(dataset.get("type"))
        schema = plugin.create_package_schema()
        for harvester in self.hook_plugins():
            schema = harvester.update_package_schema_for_create(schema)
        schema["id"] = [unicode_safe]
        dataset["id"] = str(uuid.uuid4())
        dataset["name"] = self._gen_new_name(dataset.get("name") or dataset.get("title") or "") \
            or opengov_dcat.stable_name(harvest_object.guid)
        tmp: dict = {}
        for harvester in self.hook_plugins():
            harvester.before_create(harvest_object, dataset, tmp)
        harvest_object.package_id = dataset["id"]
        harvest_object.add()
        model.Session.execute(sa.text("SET CONSTRAINTS harvest_object_package_id_fkey DEFERRED"))
        model.Session.flush()
        try:
            with solr_commit_deferred():
                tk.get_action("package_create")(self._context(schema), dataset)
        except tk.ValidationError as error:
            return self._invalid(harvest_object, error)
        for harvester in self.hook_plugins():
            err = harvester.after_create(harvest_object, dataset, tmp)
            if err:
                self._save_object_error(f"Harvester plugin error: {err}", harvest_object, "Import")
                return False
        return True

    def _invalid(self, harvest_object, error) -> bool:
        model.Session.rollback()
        summary = "; ".join(f"{k}: {v}" for k, v in (error.error_summary or {}).items())
        self._save_object_error(messages.render("invalid_dataset", guid=harvest_object.guid, errors=summary),
                                harvest_object, "Import")
        return False

    def _withdraw(self, harvest_object) -> bool:
        """Soft-delete the source's own dataset (never another's)."""
        package = model.Package.get(harvest_object.package_id) if harvest_object.package_id else None
        if package is None or not common.owns(harvest_object.harvest_source_id, package):
            return True
        if package.state != "deleted":
            context = {"user": self._get_user_name(), "ignore_auth": True}
            tk.get_action("package_delete")(context, {"id": package.id})
        return True



"""Plugin wiring for ckanext-opengov (multilingual schemas and presets,
themes, Arabic/French search, DCAT mapping, harvesting of sectoral portals):
interfaces only, the logic lives in the package's modules."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.dcat.interfaces import IDCATRDFHarvester

from ckanext.opengov import helpers, search
from ckanext.opengov.dcat import OpenGovDCATHarvesterHooks
from ckanext.opengov.harvest.queues import keep_consumers_alive
from ckanext.opengov.logic import validators, vocabularies


def _public_functions(module) -> dict[str, Any]:
    names = getattr(module, "__all__", None) or [
        n for n, v in vars(module).items()
        if callable(v) and not n.startswith("_") and getattr(v, "__module__", None) == module.__name__
    ]
    return {name: getattr(module, name) for name in names}


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
class OpenGovPlugin(p.SingletonPlugin, DefaultTranslation, OpenGovDCATHarvesterHooks):
    """The national portal's look, languages and metadata."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IValidators)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    # harvested datasets: schema fields out of extras, one-language rule
    p.implements(IDCATRDFHarvester, inherit=True)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "opengov")
        vocabularies.use_shipped_licence_register(config)
        keep_consumers_alive()

    # IValidators
    def get_validators(self):
        return {**_public_functions(validators), **vocabularies.get_validators()}

    # ITemplateHelpers
    def get_helpers(self):
        return {**_public_functions(helpers), **vocabularies.get_helpers()}

    # IPackageController
    def before_dataset_index(self, pkg_dict):
        return search.before_dataset_index(pkg_dict)

    def after_dataset_search(self, search_results, search_params):
        return search.after_dataset_search(search_results, search_params)

    # IFacets
    def dataset_facets(self, facets_dict, package_type):
        return search.dataset_facets(facets_dict, package_type)

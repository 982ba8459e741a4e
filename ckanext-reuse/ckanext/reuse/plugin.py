"""Plugin wiring for ckanext-reuse: reuse showcase, data requests and feedback on datasets: interfaces only, logic lives in the package."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.plugins import DefaultPermissionLabels, DefaultTranslation
from ckan.types import Context

from ckanext.reuse import indexing, utils


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.blueprints
@tk.blanket.cli
@tk.blanket.helpers
class ReusePlugin(p.SingletonPlugin, DefaultTranslation, DefaultPermissionLabels):
    """What citizens and start-ups build with the data, and what they ask for."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.ISignal)

    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        utils.register_reuse_schema(config)

    # ISignal: the reuse pages answer the package type's blueprint

    def get_signal_subscriptions(self) -> dict[Any, Any]:
        from ckanext.reuse.views.reuse import take_over_type_blueprint
        return {tk.signals.register_blueprint: [take_over_type_blueprint]}

    # IPackageController

    def after_dataset_show(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        if pkg_dict.get("type") == "reuse":
            indexing.private_fields_for_viewer(context, pkg_dict)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return indexing.before_dataset_index(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return indexing.before_dataset_search(search_params)

    # IPermissionLabels: non-approved reuses for submitter and moderators only

    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        if dataset_obj.type != "reuse":
            return super().get_dataset_labels(dataset_obj)
        return indexing.reuse_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: model.User) -> list[str]:
        labels = super().get_user_dataset_labels(user_obj)
        if user_obj and not user_obj.is_anonymous and utils.is_moderator(user_obj.name):
            labels.append(indexing.MODERATOR_LABEL)
        return labels

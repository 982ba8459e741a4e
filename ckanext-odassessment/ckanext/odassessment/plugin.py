"""Plugin wiring for ckanext-odassessment: the assessment grid (scores, inventories, dashboards, exports): interfaces only, logic lives in the package."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
@tk.blanket.cli
@tk.blanket.helpers  # issue 8
@tk.blanket.validators  # issue 8
class AssessmentPlugin(p.SingletonPlugin, DefaultTranslation):
    """How well each publisher and the portal as a whole are doing."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.ISignal)  # issue 8
    p.implements(p.IPackageController, inherit=True)  # issue 8

    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "odassessment")  # issue 8: usage.js

    # ISignal: usage counting (issue 8)

    def get_signal_subscriptions(self):
        from ckan.lib import signals
        from ckanext.odassessment import usage
        return {signals.request_finished: [usage.on_request_finished]}

    # IPackageController: a dataset declaring an inventory entry publishes it (issue 8)

    def after_dataset_create(self, context, pkg_dict):
        from ckanext.odassessment import inventory
        inventory.link_dataset(pkg_dict)
        from ckanext.odassessment import runner  # issue 7: rescore in a background job
        runner.on_dataset_changed(pkg_dict)

    def after_dataset_update(self, context, pkg_dict):
        from ckanext.odassessment import inventory
        inventory.link_dataset(pkg_dict)
        from ckanext.odassessment import runner  # issue 7: rescore in a background job
        runner.on_dataset_changed(pkg_dict)

    def after_dataset_delete(self, context, pkg_dict):
        from ckanext.odassessment import inventory
        inventory.unlink_dataset(pkg_dict["id"])

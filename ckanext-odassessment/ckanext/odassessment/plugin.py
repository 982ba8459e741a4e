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
class AssessmentPlugin(p.SingletonPlugin, DefaultTranslation):
    """How well each publisher and the portal as a whole are doing."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    def update_config(self, config):
        tk.add_template_directory(config, "templates")

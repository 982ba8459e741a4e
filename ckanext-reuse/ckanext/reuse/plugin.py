"""Plugin wiring for ckanext-reuse: reuse showcase, data requests and feedback on datasets: interfaces only, logic lives in the package."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation


@tk.blanket.config_declarations
class ReusePlugin(p.SingletonPlugin, DefaultTranslation):
    """What citizens and start-ups build with the data, and what they ask for."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    def update_config(self, config):
        tk.add_template_directory(config, "templates")

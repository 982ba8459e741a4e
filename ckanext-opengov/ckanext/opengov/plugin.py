"""Plugin wiring for ckanext-opengov: multilingual schemas, themes, DCAT mapping and harvesting of sectoral portals: interfaces only, logic lives in the package."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk


@tk.blanket.config_declarations
@tk.blanket.cli
class OpenGovPlugin(p.SingletonPlugin):
    """The national portal's look, languages and metadata."""

    p.implements(p.IConfigurer)

    def update_config(self, config):
        tk.add_template_directory(config, "templates")

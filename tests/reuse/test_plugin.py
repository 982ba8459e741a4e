"""The reuse type exists whatever dataset schemas the operator configures."""
from __future__ import annotations

import pytest

from ckan.tests import factories

from tests.conftest import PORTAL_PLUGINS
from tests.reuse.helpers import approved_reuse

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    # an operator's list without the reuse schema
    pytest.mark.ckan_config("scheming.dataset_schemas", "ckanext.opengov.schemas:dataset.yaml"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_reuse_pages_and_actions_work_without_the_schema_in_the_operators_list(app):
    reuse = approved_reuse(factories.User(), factories.Sysadmin(),
                           title_translated={"ar": "خريطة المدارس", "fr": "Carte des écoles"})
    home = app.get("/fr/")
    assert '<a href="/fr/reuse/">Réutilisations</a>' in home.body
    assert "Carte des écoles" in app.get("/fr/reuse").body
    assert app.get(f"/fr/reuse/{reuse['name']}").status_code == 200

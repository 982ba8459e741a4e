"""The programme dashboard without ckanext-reuse: its indicators are flagged
unavailable, never shown as zero (issue 8)."""
from __future__ import annotations

import pytest

from ckan.tests import helpers

from ckanext.odassessment import programme

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins",
                            "opengov odassessment scheming_datasets scheming_organizations scheming_groups"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_indicators_of_plugins_not_loaded_are_flagged_not_zero(app):
    result = helpers.call_action("programme_indicators_show")
    assert result["reuses"] == {"available": False}
    assert result["data_requests"] == {"available": False}
    page = app.get("/en/assessment/programme")
    assert "Not available" in page.body
    assert ["reuses.available", "", "no"] in programme.csv_rows(result)

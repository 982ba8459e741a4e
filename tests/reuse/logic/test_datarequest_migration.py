"""The reuse plugin's first migration creates and drops the data request,
feedback and report tables."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from ckan import model

from tests.conftest import PORTAL_PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]

TABLES = {"reuse_datarequest", "reuse_datarequest_organization", "reuse_datarequest_dataset",
          "reuse_datarequest_comment", "reuse_datarequest_follower", "reuse_datarequest_vote",
          "reuse_datarequest_event", "reuse_feedback", "reuse_feedback_reply",
          "reuse_dataset_rating", "reuse_abuse_report"}


def _tables() -> set[str]:
    model.Session.remove()
    return set(sa.inspect(model.meta.engine).get_table_names())


def test_migrations_down_and_up_again(migrate_db_for):
    """What ``ckan db downgrade/upgrade -p reuse`` runs."""
    assert TABLES <= _tables()
    migrate_db_for("reuse", "base", False)
    assert not TABLES & _tables()
    migrate_db_for("reuse")
    assert TABLES <= _tables()
    columns = {c["name"] for c in sa.inspect(model.meta.engine).get_columns("reuse_datarequest")}
    assert {"status", "due_date", "duplicate_of_id", "approx_publishing_date",
            "first_answered_at", "vote_count"} <= columns

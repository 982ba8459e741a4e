"""Alembic environment: this plugin's revisions, in their own version table."""
from ckanext.opengov.migration_env import run_migrations

run_migrations(__file__)

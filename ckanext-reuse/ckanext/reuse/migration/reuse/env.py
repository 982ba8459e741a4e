"""Alembic environment: this plugin's revisions, in their own version table."""
from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

from ckan.model.meta import metadata

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name)

PLUGIN = os.path.basename(os.path.dirname(os.path.abspath(__file__)))
OPTIONS = {
    "target_metadata": metadata,
    "version_table": f"{PLUGIN}_alembic_version",
    # autogenerate only compares this plugin's tables
    "include_object": lambda obj, name, type_, *_: (
        type_ != "table" or name.startswith(PLUGIN)),
}


def run_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = engine_from_config(config.get_section(config.config_ini_section) or {},
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, **OPTIONS)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()

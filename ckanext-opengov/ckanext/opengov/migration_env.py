"""The alembic environment every plugin of the bundle with tables runs
(``migration/<plugin>/env.py``): the plugin's revisions, kept in their own
version table ``<plugin>_alembic_version``."""
from __future__ import annotations

import os

from alembic import context
from sqlalchemy import engine_from_config, pool

from ckan.model.meta import metadata


def run_migrations(env_file: str) -> None:
    """Run the migrations of the plugin whose ``env.py`` is ``env_file``."""
    from logging.config import fileConfig

    config = context.config
    if config.config_file_name:
        fileConfig(config.config_file_name)
    plugin = os.path.basename(os.path.dirname(os.path.abspath(env_file)))
    options = {
        "target_metadata": metadata,
        "version_table": f"{plugin}_alembic_version",
        # autogenerate only compares this plugin's tables
        "include_object": lambda obj, name, type_, *_: (
            type_ != "table" or name.startswith(plugin)),
    }
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"),
                          literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(config.get_section(config.config_ini_section) or {},
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()

"""Alembic environment of the ejournal SQL schema.

Configured programmatically by :mod:`ejournal.storage.sql.migrate` (no ``alembic.ini``): the
caller passes an open SQLAlchemy connection in ``config.attributes["connection"]``; offline
(``--sql``) mode renders the SQL for ``config.attributes["url"]``.  The version is kept in the
``ej_alembic_version`` table so an application's own Alembic history is not disturbed.
"""

from __future__ import annotations

from alembic import context

from ejournal.storage.sql.schema import metadata

VERSION_TABLE = "ej_alembic_version"

config = context.config


def run_migrations_offline() -> None:
    """Render the migration SQL for the URL in ``config.attributes["url"]``."""
    context.configure(
        url=config.attributes["url"],
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on ``config.attributes["connection"]``."""
    connection = config.attributes["connection"]
    context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

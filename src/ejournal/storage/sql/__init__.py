"""The SQL storage backend: SQLite (embedded default), PostgreSQL (psycopg 3), MariaDB/MySQL (PyMySQL).

Open it with :func:`open_storage` (or through :func:`ejournal.storage.registry.open` by URL).
Tables are declared once in :mod:`ejournal.storage.sql.schema` with SQLAlchemy Core and mapped
by explicit converters (:mod:`ejournal.storage.sql.convert`); schema versions are the Alembic
migrations shipped in ``ejournal/storage/sql/migrations`` (:func:`upgrade`,
:func:`current_revision`, :func:`head_revision`).  See ``docs/sql-schema.md`` and
``docs/sharding.md``.
"""

from __future__ import annotations

from ejournal.storage.sql.errors import SchemaOutOfDate
from ejournal.storage.sql.migrate import current_revision, head_revision, upgrade
from ejournal.storage.sql.storage import SqlStorage, SqlUnitOfWork, open_storage

__all__ = [
    "SchemaOutOfDate",
    "SqlStorage",
    "SqlUnitOfWork",
    "current_revision",
    "head_revision",
    "open_storage",
    "upgrade",
]

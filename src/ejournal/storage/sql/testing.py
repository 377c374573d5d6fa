"""Helpers for running tests against real database servers (used by ejournal's own suite).

:func:`temporary_database` gives a throw-away place on a shared server: a fresh PostgreSQL
schema (selected through ``search_path``) or a fresh MariaDB database, dropped afterwards.
:func:`delete_all_rows` empties every ejournal table between tests, which is much faster than
re-creating them (MariaDB's DDL is slow).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text

from ejournal.core.errors import InvalidInput
from ejournal.storage.registry import mask_url
from ejournal.storage.sql.engine import dialect_family, normalise_url
from ejournal.storage.sql.migrate import VERSION_TABLE
from ejournal.storage.sql.schema import metadata

__all__ = ["delete_all_rows", "temporary_database"]


@contextmanager
def temporary_database(server_url: str, prefix: str = "ejournal_test") -> Iterator[str]:
    """Create an empty, uniquely named schema (PostgreSQL) or database (MariaDB); yield its URL; drop it.

    The server must answer: connection errors propagate (SQLAlchemy's ``OperationalError``).
    Raises :class:`InvalidInput` for a SQLite URL (use a temporary file instead).
    """
    url = normalise_url(server_url)
    family = dialect_family(url)
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        if family == "postgresql":
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{name}"'))
            try:
                yield url.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(False)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        elif family == "mysql":
            with admin.connect() as conn:
                conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin"))
            try:
                yield url.set(database=name).render_as_string(False)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        else:
            raise InvalidInput("server_url", "needs a PostgreSQL or MariaDB/MySQL URL", mask_url(url))
    finally:
        admin.dispose()


def delete_all_rows(engine: Engine) -> None:
    """Delete every row of every ejournal table (children first), keeping the schema revision."""
    tables = [t for t in reversed(metadata.sorted_tables) if t.name != VERSION_TABLE]
    with engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())

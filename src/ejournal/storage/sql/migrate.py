"""Schema versions: the Alembic migrations shipped in the package, driven programmatically.

No ``alembic.ini`` is needed: :func:`alembic_config` points Alembic at
``ejournal/storage/sql/migrations``; the version lives in the ``ej_alembic_version`` table.
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect
from sqlalchemy import exc as sa_exc

from ejournal.storage.sql.engine import create_sql_engine
from ejournal.storage.sql.errors import mask_url, translate

__all__ = [
    "MIGRATIONS_DIR",
    "VERSION_TABLE",
    "alembic_config",
    "current_revision",
    "head_revision",
    "is_empty",
    "known_revisions",
    "upgrade",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
"""Where the migration scripts live."""

VERSION_TABLE = "ej_alembic_version"
"""The table holding the database's schema revision."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic :class:`~alembic.config.Config` for the shipped migrations (optionally bound to ``connection``)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The revision this library's schema is at (the newest migration)."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every revision the shipped migrations know."""
    return {s.revision for s in _scripts().walk_revisions()}


def _engine(url_or_engine: str | Engine) -> tuple[Engine, bool]:
    if isinstance(url_or_engine, Engine):
        return url_or_engine, False
    return create_sql_engine(url_or_engine), True


def _revision_of(connection: Connection) -> str | None:
    ctx = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return ctx.get_current_revision()


def is_empty(connection: Connection) -> bool:
    """True when the database (schema) has no ejournal tables and no revision."""
    names = inspect(connection).get_table_names()
    return not any(n.startswith("ej_") for n in names)


def current_revision(url_or_engine: str | Engine) -> str | None:
    """The database's schema revision, ``None`` for a database never upgraded.

    Raises :class:`~ejournal.core.errors.StorageUnavailable` when it cannot be reached.
    """
    engine, own = _engine(url_or_engine)
    try:
        with engine.connect() as conn:
            return _revision_of(conn)
    except sa_exc.DBAPIError as e:
        raise translate(e, str(engine.url), "reading the schema revision") from e
    finally:
        if own:
            engine.dispose()


def upgrade(url_or_engine: str | Engine, revision: str = "head") -> str:
    """Upgrade the database to ``revision`` (default: the head); returns the revision reached.

    Creates the tables on an empty database.  Raises
    :class:`~ejournal.core.errors.StorageUnavailable` when the database cannot be reached
    or a migration fails (the URL's password masked).
    """
    engine, own = _engine(url_or_engine)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)
        with engine.connect() as conn:
            reached = _revision_of(conn)
    except sa_exc.DBAPIError as e:
        raise translate(e, str(engine.url), f"upgrading the schema to {revision}") from e
    finally:
        if own:
            engine.dispose()
    if reached is None:  # pragma: no cover - alembic always stamps
        raise RuntimeError(f"upgrade of {mask_url(engine.url)} left no revision")
    return reached

"""Engines for the supported databases, configured the same way for every connection.

- SQLite: foreign keys ON, WAL journal mode (file databases), a busy timeout, and real
  transactions (``BEGIN`` emitted by us, so savepoints work); ``sqlite://`` is an in-memory
  database shared by the units of work of one storage.
- PostgreSQL (psycopg 3): ``REPEATABLE READ``, so a journal loads from one snapshot and a save
  racing another one fails with a serialization error (translated to ConcurrentModification).
- MariaDB/MySQL (PyMySQL): ``utf8mb4``, InnoDB's ``REPEATABLE READ``.

Bare ``postgresql://``, ``mysql://`` and ``mariadb://`` URLs get the drivers above.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import urllib.parse
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

from ejournal._files import create_private
from ejournal.core.errors import InvalidInput
from ejournal.storage.registry import mask_url

__all__ = ["DEFAULT_BUSY_TIMEOUT_MS", "IMMEDIATE", "create_sql_engine", "dialect_family", "normalise_url"]

DEFAULT_BUSY_TIMEOUT_MS = 5000
"""How long SQLite waits for another connection's write lock before giving up."""

IMMEDIATE = "ejournal_begin_immediate"
"""SQLite: set ``connection.info[IMMEDIATE] = True`` before ``begin()`` to open it with ``BEGIN IMMEDIATE``."""

_DEFAULT_DRIVERS = {"postgresql": "postgresql+psycopg", "mysql": "mysql+pymysql", "mariadb": "mariadb+pymysql"}


def normalise_url(url: str | URL) -> URL:
    """The URL with the default driver filled in; :class:`InvalidInput` for an unsupported or bad URL."""
    try:
        parsed = make_url(url)
    except Exception:  # sqlalchemy raises ArgumentError for malformed URLs
        raise InvalidInput("url", "not a database URL", mask_url(url)) from None
    driver = _DEFAULT_DRIVERS.get(parsed.drivername)
    if driver is not None:
        parsed = parsed.set(drivername=driver)
    if dialect_family(parsed) is None:
        raise InvalidInput("url", "unsupported database (sqlite, postgresql or mysql/mariadb)", mask_url(parsed))
    return parsed


def dialect_family(url: URL) -> str | None:
    """``"sqlite"``, ``"postgresql"``, ``"mysql"`` or ``None``."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        return "sqlite"
    if backend == "postgresql":
        return "postgresql"
    if backend in ("mysql", "mariadb"):
        return "mysql"
    return None


def _is_uri_sqlite(url: URL) -> bool:
    return str(url.query.get("uri", "")).lower() in ("true", "1")


def _is_memory_sqlite(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or (url.database or "").startswith("file::memory:")


def sqlite_access(path: str, *, requested: bool = False) -> tuple[bool, bool]:
    """How to open the SQLite file ``path``: ``(read_only, immutable)``.

    Read-only when ``requested``, when the file exists and is not writable, or when its directory
    is not writable (SQLite must create its ``-wal``/``-shm`` files there); immutable (no locking,
    no ``-shm`` file needed) when the directory is not writable.  A missing file is never read-only
    here (opening it creates it, or fails naming the directory).  Uses :func:`os.access`, which
    says "writable" to root for any file not on a read-only mount: root's writes do succeed.
    """
    directory = os.path.dirname(os.path.abspath(path))
    exists = os.path.exists(path)
    dir_writable = os.access(directory, os.W_OK | os.X_OK)
    if not exists:
        return requested, False
    file_writable = os.access(path, os.W_OK)
    read_only = requested or not file_writable or not dir_writable
    return read_only, read_only and not dir_writable


def _sqlite_creator(path: str, immutable: bool) -> Callable[[], Any]:
    uri = "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=ro" + ("&immutable=1" if immutable else "")

    def connect() -> Any:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    return connect


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, memory: bool, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        # Let SQLAlchemy's "begin" (below) open transactions, so SAVEPOINT works as documented.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            if not memory and not read_only:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.info.pop(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_sql_engine(url: str | URL, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, echo: bool = False) -> Engine:
    """A configured engine for ``url`` (no connection is made yet).

    A SQLite file is opened read-only (``mode=ro``) when the URL asks for it (``?mode=ro``, or
    ``?immutable=1`` for media nobody writes to) or when the file or its directory is not
    writable (see :func:`sqlite_access`), so reads work and writes fail with
    :class:`StorageUnavailable` ("read-only").  A SQLite file created here is created ``0600``.

    Raises :class:`InvalidInput` for a URL of an unsupported database.
    """
    parsed = normalise_url(url)
    family = dialect_family(parsed)
    kwargs: dict[str, Any] = {"echo": echo}
    if family == "sqlite":
        memory = _is_memory_sqlite(parsed)
        read_only = False
        if memory:
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        elif _is_uri_sqlite(parsed):
            read_only = parsed.query.get("mode") == "ro" or parsed.query.get("immutable") == "1"
        else:
            want_immutable = parsed.query.get("immutable") == "1"
            requested = parsed.query.get("mode") == "ro" or want_immutable
            path = parsed.database or ""
            parsed = parsed.difference_update_query(["mode", "immutable"])
            read_only, immutable = sqlite_access(path, requested=requested)
            if read_only:
                immutable = immutable or want_immutable
                kwargs.update(creator=_sqlite_creator(path, immutable))
            else:
                # a new database holds personal data: 0600, not the umask's bits; SQLite itself
                # reports a missing or unwritable directory on connect
                with contextlib.suppress(OSError):
                    create_private(path)
        engine = create_engine(parsed, **kwargs)
        _configure_sqlite(engine, busy_timeout_ms, memory, read_only)
        return engine
    kwargs.update(pool_pre_ping=True, isolation_level="REPEATABLE READ", connect_args={"connect_timeout": 10})
    if family == "mysql" and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    return create_engine(parsed, **kwargs)

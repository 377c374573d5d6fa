"""Driver errors translated into ejournal's error hierarchy.

:func:`classify` reads the driver's own code (SQLite's extended result code, PostgreSQL's
SQLSTATE, MariaDB's error number) and returns a :class:`Kind`; :func:`translate` turns the
SQLAlchemy exception into the library error for that kind.  The tables below are the whole
policy; ``tests/unit/test_sql_errors.py`` walks them.
"""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL

from ejournal.core.errors import ConcurrentModification, EjournalError, InvalidInput, StorageUnavailable
from ejournal.storage.registry import mask_url as _mask_url

__all__ = [
    "Kind",
    "SchemaOutOfDate",
    "classify",
    "mask_url",
    "translate",
]


class SchemaOutOfDate(StorageUnavailable):
    """The database schema is not the revision this library needs.

    ``found`` is the database's revision (``None`` for a database without ejournal tables),
    ``needed`` the library's head revision.
    """

    def __init__(self, url: str, found: str | None, needed: str, hint: str) -> None:
        self.found = found
        self.needed = needed
        super().__init__(url, f"schema at revision {found or 'none'}, library needs {needed}; {hint}")


class Kind(enum.Enum):
    """What a driver error means for the caller."""

    DUPLICATE = "duplicate"  # a unique or primary key already holds the value
    DANGLING = "dangling"  # a foreign key names nothing (or a row still referenced)
    CHECK = "check"  # a check constraint, NOT NULL or a too-long value
    CONFLICT = "conflict"  # another transaction won: serialization failure, deadlock, busy snapshot
    UNAVAILABLE = "unavailable"  # cannot connect, authenticate, or the server went away
    SCHEMA = "schema"  # a table or column is missing: the schema is not upgraded
    OTHER = "other"


# SQLite extended result codes (https://sqlite.org/rescode.html).
SQLITE_CODES: dict[int, Kind] = {
    5: Kind.CONFLICT,  # SQLITE_BUSY: another connection holds the write lock (past the busy timeout,
    #                    or at once when this transaction already read: waiting could deadlock)
    517: Kind.CONFLICT,  # SQLITE_BUSY_SNAPSHOT: the transaction read data another one changed since
    261: Kind.CONFLICT,  # SQLITE_BUSY_RECOVERY
    6: Kind.CONFLICT,  # SQLITE_LOCKED
    14: Kind.UNAVAILABLE,  # SQLITE_CANTOPEN
    8: Kind.UNAVAILABLE,  # SQLITE_READONLY
    10: Kind.UNAVAILABLE,  # SQLITE_IOERR
    11: Kind.UNAVAILABLE,  # SQLITE_CORRUPT
    13: Kind.UNAVAILABLE,  # SQLITE_FULL
    26: Kind.UNAVAILABLE,  # SQLITE_NOTADB
    1555: Kind.DUPLICATE,  # SQLITE_CONSTRAINT_PRIMARYKEY
    2067: Kind.DUPLICATE,  # SQLITE_CONSTRAINT_UNIQUE
    787: Kind.DANGLING,  # SQLITE_CONSTRAINT_FOREIGNKEY
    275: Kind.CHECK,  # SQLITE_CONSTRAINT_CHECK
    1299: Kind.CHECK,  # SQLITE_CONSTRAINT_NOTNULL
    19: Kind.CHECK,  # SQLITE_CONSTRAINT (unspecified)
}

# PostgreSQL SQLSTATE codes: exact codes first, then two-character classes.
POSTGRES_CODES: dict[str, Kind] = {
    "23505": Kind.DUPLICATE,  # unique_violation
    "23503": Kind.DANGLING,  # foreign_key_violation
    "23514": Kind.CHECK,  # check_violation
    "23502": Kind.CHECK,  # not_null_violation
    "22001": Kind.CHECK,  # string_data_right_truncation
    "22003": Kind.CHECK,  # numeric_value_out_of_range
    "40001": Kind.CONFLICT,  # serialization_failure
    "40P01": Kind.CONFLICT,  # deadlock_detected
    "55P03": Kind.CONFLICT,  # lock_not_available
    "42P01": Kind.SCHEMA,  # undefined_table
    "42703": Kind.SCHEMA,  # undefined_column
    "3D000": Kind.UNAVAILABLE,  # invalid_catalog_name (no such database)
    "28000": Kind.UNAVAILABLE,  # invalid_authorization_specification
    "28P01": Kind.UNAVAILABLE,  # invalid_password
    "57P01": Kind.UNAVAILABLE,  # admin_shutdown
    "08": Kind.UNAVAILABLE,  # class 08: connection exception
    "53": Kind.UNAVAILABLE,  # class 53: insufficient resources
}

# MariaDB / MySQL error numbers.
MYSQL_CODES: dict[int, Kind] = {
    1062: Kind.DUPLICATE,  # ER_DUP_ENTRY
    1586: Kind.DUPLICATE,  # ER_DUP_ENTRY_WITH_KEY_NAME
    1451: Kind.DANGLING,  # ER_ROW_IS_REFERENCED_2
    1452: Kind.DANGLING,  # ER_NO_REFERENCED_ROW_2
    1216: Kind.DANGLING,  # ER_NO_REFERENCED_ROW
    1217: Kind.DANGLING,  # ER_ROW_IS_REFERENCED
    4025: Kind.CHECK,  # ER_CONSTRAINT_FAILED (MariaDB)
    3819: Kind.CHECK,  # ER_CHECK_CONSTRAINT_VIOLATED (MySQL)
    1048: Kind.CHECK,  # ER_BAD_NULL_ERROR
    1406: Kind.CHECK,  # ER_DATA_TOO_LONG
    1264: Kind.CHECK,  # ER_WARN_DATA_OUT_OF_RANGE
    1366: Kind.CHECK,  # ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
    1213: Kind.CONFLICT,  # ER_LOCK_DEADLOCK
    1205: Kind.CONFLICT,  # ER_LOCK_WAIT_TIMEOUT
    1020: Kind.CONFLICT,  # ER_CHECKREAD (record changed since last read)
    1146: Kind.SCHEMA,  # ER_NO_SUCH_TABLE
    1054: Kind.SCHEMA,  # ER_BAD_FIELD_ERROR
    1044: Kind.UNAVAILABLE,  # ER_DBACCESS_DENIED_ERROR
    1045: Kind.UNAVAILABLE,  # ER_ACCESS_DENIED_ERROR
    1049: Kind.UNAVAILABLE,  # ER_BAD_DB_ERROR
    1040: Kind.UNAVAILABLE,  # ER_CON_COUNT_ERROR
    2002: Kind.UNAVAILABLE,  # CR_CONNECTION_ERROR
    2003: Kind.UNAVAILABLE,  # CR_CONN_HOST_ERROR
    2006: Kind.UNAVAILABLE,  # CR_SERVER_GONE_ERROR
    2013: Kind.UNAVAILABLE,  # CR_SERVER_LOST
}


def _driver_code(orig: BaseException) -> tuple[str, Any]:
    sqlite_code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(sqlite_code, int):
        return "sqlite", sqlite_code
    module = type(orig).__module__
    if module.startswith(("pymysql", "MySQLdb", "mariadb")):
        args = getattr(orig, "args", ())
        if args and isinstance(args[0], int):
            return "mysql", args[0]
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if isinstance(sqlstate, str):
        return "postgres", sqlstate
    return "unknown", None


def classify(error: BaseException) -> Kind:
    """The :class:`Kind` of a driver error (a SQLAlchemy ``DBAPIError`` or the driver's own)."""
    orig = error.orig if isinstance(error, sa_exc.DBAPIError) and error.orig is not None else error
    family, code = _driver_code(orig)
    kind: Kind | None = None
    if family == "sqlite":
        kind = SQLITE_CODES.get(code) or SQLITE_CODES.get(code & 0xFF)
        if kind is None and "no such table" in str(orig):
            kind = Kind.SCHEMA
    elif family == "postgres":
        kind = POSTGRES_CODES.get(code) or POSTGRES_CODES.get(code[:2])
    elif family == "mysql":
        kind = MYSQL_CODES.get(code)
    if kind is None:
        if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
            return Kind.UNAVAILABLE
        if isinstance(error, sa_exc.IntegrityError):
            return Kind.CHECK
        if isinstance(error, sa_exc.OperationalError) and family != "sqlite":
            return Kind.UNAVAILABLE
        return Kind.OTHER
    return kind


def mask_url(url: str | URL) -> str:
    """The URL with any password replaced by ``***`` (:func:`ejournal.storage.registry.mask_url`)."""
    return _mask_url(url)


def _first_line(error: BaseException) -> str:
    orig = error.orig if isinstance(error, sa_exc.DBAPIError) and error.orig is not None else error
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


def translate(error: BaseException, url: str, where: str = "") -> EjournalError:
    """The library error for a driver error met while doing ``where`` on the storage at ``url``.

    Duplicates, dangling references and violated checks become :class:`InvalidInput` naming
    ``where``; conflicts with another transaction :class:`ConcurrentModification`; connection
    and server failures :class:`StorageUnavailable` (the URL masked); a missing table
    :class:`SchemaOutOfDate`-like :class:`StorageUnavailable` telling to upgrade.
    """
    kind = classify(error)
    detail = _first_line(error)
    masked = mask_url(url)
    where = where or "storage"
    if kind is Kind.DUPLICATE:
        return InvalidInput(where, f"duplicate id: {detail}", None)
    if kind is Kind.DANGLING:
        return InvalidInput(where, f"reference to something that does not exist (or is still referenced): {detail}")
    if kind is Kind.CHECK:
        return InvalidInput(where, f"value refused by the schema: {detail}")
    if kind is Kind.CONFLICT:
        return ConcurrentModification(f"{where} (another transaction changed it: {detail})", None, None)
    if kind is Kind.SCHEMA:
        return StorageUnavailable(masked, f"the schema is missing or old ({detail}); run `ejournal db upgrade`")
    if kind is Kind.UNAVAILABLE:
        if "readonly database" in detail or "read-only" in detail:
            detail = f"the database is read-only (opened with mode=ro, or the file is not writable): {detail}"
        return StorageUnavailable(masked, detail)
    return StorageUnavailable(masked, f"unexpected database error during {where}: {detail}")

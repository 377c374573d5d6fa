"""Driver errors are translated into the library's errors: one row per driver error kind."""

from __future__ import annotations

import sqlite3

import psycopg
import pymysql
import pytest
from sqlalchemy import exc as sa_exc

from ejournal.core.errors import ConcurrentModification, EjournalError, InvalidInput, StorageUnavailable
from ejournal.storage.sql.errors import Kind, classify, mask_url, translate


def _sqlite(message: str, code: int) -> sqlite3.Error:
    cls = sqlite3.IntegrityError if code & 0xFF == 19 else sqlite3.OperationalError
    e = cls(message)
    e.sqlite_errorcode = code  # type: ignore[attr-defined]
    return e


def _pg(cls: type[psycopg.Error]) -> psycopg.Error:
    return cls("server says no")


def _my(cls: type[pymysql.err.MySQLError], errno: int) -> pymysql.err.MySQLError:
    return cls(errno, "server says no")


# (driver exception, SQLAlchemy wrapper, expected kind, expected library error)
CASES = [
    (
        _sqlite("UNIQUE constraint failed: ej_schools.school_id", 2067),
        sa_exc.IntegrityError,
        Kind.DUPLICATE,
        InvalidInput,
    ),
    (_sqlite("UNIQUE constraint failed: ej_marks.mark_id", 1555), sa_exc.IntegrityError, Kind.DUPLICATE, InvalidInput),
    (_sqlite("FOREIGN KEY constraint failed", 787), sa_exc.IntegrityError, Kind.DANGLING, InvalidInput),
    (_sqlite("CHECK constraint failed: ck_ej_marks_value", 275), sa_exc.IntegrityError, Kind.CHECK, InvalidInput),
    (_sqlite("NOT NULL constraint failed: ej_marks.grade", 1299), sa_exc.IntegrityError, Kind.CHECK, InvalidInput),
    (_sqlite("database is locked", 517), sa_exc.OperationalError, Kind.CONFLICT, ConcurrentModification),
    (_sqlite("database is locked", 5), sa_exc.OperationalError, Kind.CONFLICT, ConcurrentModification),
    (_sqlite("unable to open database file", 14), sa_exc.OperationalError, Kind.UNAVAILABLE, StorageUnavailable),
    (_sqlite("file is not a database", 26), sa_exc.DatabaseError, Kind.UNAVAILABLE, StorageUnavailable),
    (_sqlite("no such table: ej_marks", 1), sa_exc.OperationalError, Kind.SCHEMA, StorageUnavailable),
    (_pg(psycopg.errors.UniqueViolation), sa_exc.IntegrityError, Kind.DUPLICATE, InvalidInput),
    (_pg(psycopg.errors.ForeignKeyViolation), sa_exc.IntegrityError, Kind.DANGLING, InvalidInput),
    (_pg(psycopg.errors.CheckViolation), sa_exc.IntegrityError, Kind.CHECK, InvalidInput),
    (_pg(psycopg.errors.NotNullViolation), sa_exc.IntegrityError, Kind.CHECK, InvalidInput),
    (_pg(psycopg.errors.StringDataRightTruncation), sa_exc.DataError, Kind.CHECK, InvalidInput),
    (_pg(psycopg.errors.SerializationFailure), sa_exc.OperationalError, Kind.CONFLICT, ConcurrentModification),
    (_pg(psycopg.errors.DeadlockDetected), sa_exc.OperationalError, Kind.CONFLICT, ConcurrentModification),
    (_pg(psycopg.errors.UndefinedTable), sa_exc.ProgrammingError, Kind.SCHEMA, StorageUnavailable),
    (_pg(psycopg.errors.InvalidPassword), sa_exc.OperationalError, Kind.UNAVAILABLE, StorageUnavailable),
    (_pg(psycopg.errors.ConnectionFailure), sa_exc.OperationalError, Kind.UNAVAILABLE, StorageUnavailable),
    (_my(pymysql.err.IntegrityError, 1062), sa_exc.IntegrityError, Kind.DUPLICATE, InvalidInput),
    (_my(pymysql.err.IntegrityError, 1452), sa_exc.IntegrityError, Kind.DANGLING, InvalidInput),
    (_my(pymysql.err.IntegrityError, 1451), sa_exc.IntegrityError, Kind.DANGLING, InvalidInput),
    (_my(pymysql.err.OperationalError, 4025), sa_exc.OperationalError, Kind.CHECK, InvalidInput),
    (_my(pymysql.err.IntegrityError, 1048), sa_exc.IntegrityError, Kind.CHECK, InvalidInput),
    (_my(pymysql.err.DataError, 1406), sa_exc.DataError, Kind.CHECK, InvalidInput),
    (_my(pymysql.err.OperationalError, 1213), sa_exc.OperationalError, Kind.CONFLICT, ConcurrentModification),
    (_my(pymysql.err.OperationalError, 1205), sa_exc.OperationalError, Kind.CONFLICT, ConcurrentModification),
    (_my(pymysql.err.ProgrammingError, 1146), sa_exc.ProgrammingError, Kind.SCHEMA, StorageUnavailable),
    (_my(pymysql.err.OperationalError, 1045), sa_exc.OperationalError, Kind.UNAVAILABLE, StorageUnavailable),
    (_my(pymysql.err.OperationalError, 2003), sa_exc.OperationalError, Kind.UNAVAILABLE, StorageUnavailable),
]

URL = "postgresql+psycopg://app:s3cret@db.example/school"


@pytest.mark.parametrize(("orig", "wrapper", "kind", "expected"), CASES, ids=lambda v: getattr(v, "__name__", None))
def test_each_driver_error_kind_is_translated(
    orig: Exception, wrapper: type[sa_exc.DBAPIError], kind: Kind, expected: type[EjournalError]
) -> None:
    error = wrapper("INSERT ...", {}, orig)
    assert classify(error) is kind
    translated = translate(error, URL, "adding journal 9a")
    assert type(translated) is expected
    assert "s3cret" not in str(translated)
    if expected is InvalidInput:
        assert isinstance(translated, InvalidInput)
        assert translated.where == "adding journal 9a"
    if expected is StorageUnavailable:
        assert "app:***@db.example" in str(translated)


def test_every_kind_has_a_row() -> None:
    assert {kind for _, _, kind, _ in CASES} == set(Kind) - {Kind.OTHER}


def test_an_unknown_error_is_still_a_library_error() -> None:
    error = sa_exc.DatabaseError("SELECT 1", {}, RuntimeError("strange"))
    assert classify(error) is Kind.OTHER
    assert isinstance(translate(error, URL), StorageUnavailable)


def test_real_sqlite_errors_carry_the_codes_the_table_expects() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("CREATE TABLE p (id TEXT PRIMARY KEY)")
    conn.execute("CREATE TABLE c (id TEXT PRIMARY KEY, p TEXT REFERENCES p(id), v INT CHECK (v >= 0) NOT NULL)")
    conn.execute("INSERT INTO p VALUES ('a')")
    statements = {
        "INSERT INTO p VALUES ('a')": Kind.DUPLICATE,
        "INSERT INTO c VALUES ('x', 'zz', 1)": Kind.DANGLING,
        "INSERT INTO c VALUES ('x', 'a', -1)": Kind.CHECK,
        "INSERT INTO c VALUES ('x', 'a', NULL)": Kind.CHECK,
        "SELECT * FROM nowhere": Kind.SCHEMA,
    }
    for sql, kind in statements.items():
        with pytest.raises(sqlite3.Error) as info:
            conn.execute(sql)
        assert classify(info.value) is kind, sql
    conn.close()


def test_mask_url_hides_the_password() -> None:
    assert mask_url(URL) == "postgresql+psycopg://app:***@db.example/school"
    assert mask_url("sqlite:///school.db") == "sqlite:///school.db"

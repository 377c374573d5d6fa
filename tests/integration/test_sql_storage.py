"""The SQLite side of the SQL backend: opening, schema revisions, connection settings, the audit codec."""

from __future__ import annotations

import socket
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from ejournal.core.errors import InvalidInput, StorageUnavailable
from ejournal.core.journal import AttendanceRecord, Decision, DecisionKind, Mark, PeriodClosure, ResultKind, ResultMark
from ejournal.core.model import Lesson, School
from ejournal.core.scales import Status
from ejournal.storage.document import dumps_record, loads_record
from ejournal.storage.ports import Capability
from ejournal.storage.sql import SchemaOutOfDate, current_revision, head_revision, open_storage, upgrade
from ejournal.storage.sql.convert import moment_utc_key


def test_a_new_database_is_created_at_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    storage = open_storage(url)
    try:
        assert current_revision(url) == head_revision() == "0006"
        assert storage.capabilities == {
            Capability.TRANSACTIONS,
            Capability.CONCURRENCY,
            Capability.PERSISTENCE,
            Capability.MIGRATIONS,
        }
    finally:
        storage.close()


def test_without_auto_upgrade_an_empty_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SchemaOutOfDate, match=f"library needs {head_revision()}; run `ejournal db upgrade`"):
        open_storage(f"sqlite:///{tmp_path / 'new.db'}", auto_upgrade=False)


def test_a_database_behind_is_refused_with_the_revisions_and_the_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    with pytest.raises(SchemaOutOfDate) as info:
        open_storage(url)
    assert f"schema at revision 0001, library needs {head_revision()}; run `ejournal db upgrade`" in str(info.value)
    assert isinstance(info.value, StorageUnavailable)
    assert (info.value.found, info.value.needed) == ("0001", "0006")
    assert current_revision(url) == "0001"  # never upgraded implicitly
    upgrade(url)
    open_storage(url).close()


def test_a_database_ahead_of_the_library_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'future.db'}"
    upgrade(url)
    storage = open_storage(url)
    with storage.engine.begin() as conn:
        conn.execute(text("UPDATE ej_alembic_version SET version_num = '9999'"))
    storage.close()
    with pytest.raises(SchemaOutOfDate, match="newer than this library"):
        open_storage(url)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("scheme", ["postgresql+psycopg", "mysql+pymysql"])
def test_an_unreachable_server_is_storage_unavailable_with_the_password_masked(scheme: str) -> None:
    url = f"{scheme}://app:s3cret@127.0.0.1:{_closed_port()}/school"
    with pytest.raises(StorageUnavailable) as info:
        open_storage(url)
    assert "s3cret" not in str(info.value)
    assert "app:***@127.0.0.1" in info.value.url


def test_an_unsupported_url_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="unsupported database"):
        open_storage("oracle://scott:tiger@localhost/db")


def test_every_sqlite_connection_has_foreign_keys_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    storage = open_storage(f"sqlite:///{tmp_path / 'db.sqlite'}", busy_timeout_ms=1234)
    try:
        for _ in range(2):
            with storage.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
            storage.engine.dispose()  # the next round gets a brand-new connection
    finally:
        storage.close()


def test_in_memory_sqlite_works_but_does_not_claim_persistence() -> None:
    storage = open_storage("sqlite://")
    try:
        assert Capability.PERSISTENCE not in storage.capabilities
        with storage.unit_of_work() as uow:
            uow.schools.add(School("s", "Школа"))
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.schools.get("s").name_ru == "Школа"
    finally:
        storage.close()


def test_a_closed_storage_refuses_work(tmp_path: Path) -> None:
    storage = open_storage(f"sqlite:///{tmp_path / 'db.sqlite'}")
    storage.close()
    with pytest.raises(StorageUnavailable, match="closed"):
        storage.unit_of_work()


MSK = timezone(timedelta(hours=3))
AT = datetime(2025, 10, 1, 8, 30, 0, 123_456, tzinfo=MSK)
RECORDS = [
    Mark("m1", "st1", "l1", 5, "cw", AT, "t1", "устно"),
    Mark("m2", "st1", "l1", Status.PASS, "cw", AT, "t1"),
    AttendanceRecord("st1", "l1", "б", AT, "t1"),
    ResultMark("st1", "c1", ResultKind.PERIOD, Status.NOT_CERTIFIED, AT, "t1", "q1", "мало отметок"),
    ResultMark("st1", "c1", ResultKind.ANNUAL, 4, AT, "t1"),
    Decision("st1", DecisionKind.PROMOTED, date(2026, 5, 28), "№ 7", 10, "Җөмлә"),
    Lesson("l1", "c1", date(2025, 10, 1), "Дроби", "№ 1", 2),
    PeriodClosure("q1"),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_audit_records_round_trip_through_canonical_json(record: object) -> None:
    text_ = dumps_record(record)  # type: ignore[arg-type]
    assert text_ is not None
    assert loads_record(text_) == record
    assert dumps_record(loads_record(text_)) == text_
    assert ", " not in text_  # compact separators
    assert ": " not in text_
    assert "\\u" not in text_  # letters kept as they are


def test_canonical_json_sorts_keys_and_keeps_value_types() -> None:
    assert dumps_record(RECORDS[0]) == (
        '{"comment":"устно","entered_at":"2025-10-01T08:30:00.123456+03:00","entered_by":"t1","id":"m1",'
        '"lesson_id":"l1","student_id":"st1","type":"mark","value":5,"work_type_id":"cw"}'
    )
    assert '"value":"зач."' in str(dumps_record(RECORDS[1]))


def test_a_damaged_audit_record_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        loads_record('{"type":"mark"}')


def test_a_damaged_audit_record_names_the_bad_field() -> None:
    text_ = str(dumps_record(RECORDS[0])).replace('"value":5', '"value":4.5')
    with pytest.raises(InvalidInput) as info:
        loads_record(text_)
    assert [p.where for p in info.value.problems] == ["audit.record.value"]


def test_a_record_with_a_naive_moment_is_refused() -> None:
    naive = Mark("m1", "st1", "l1", 5, "cw", AT.replace(tzinfo=None), "t1")
    with pytest.raises(InvalidInput):
        dumps_record(naive)


def test_the_utc_sort_key_is_fixed_width_and_orders_instants() -> None:
    a = datetime(2025, 10, 1, 8, 0, 0, tzinfo=MSK)  # 05:00 UTC
    b = datetime(2025, 10, 1, 1, 0, 0, 1, tzinfo=timezone(timedelta(hours=-5)))  # 06:00:00.000001 UTC
    assert moment_utc_key(a) == "2025-10-01T05:00:00.000000"
    assert moment_utc_key(b) == "2025-10-01T06:00:00.000001"
    assert len(moment_utc_key(a)) == len(moment_utc_key(b)) == 26

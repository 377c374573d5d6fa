"""Migrations: upgrading from the first revision to head gives exactly the declared schema and keeps the data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import attrs
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sql_servers import server_url
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy import exc as sa_exc

from ejournal.core.journal import Actor, Change, Role
from ejournal.storage.sql import convert as cv
from ejournal.storage.sql import current_revision, head_revision, open_storage, upgrade
from ejournal.storage.sql import schema as t
from ejournal.storage.sql.migrate import VERSION_TABLE, alembic_config
from ejournal.storage.sql.schema import metadata
from ejournal.storage.sql.storage import _audit_rows
from ejournal.storage.sql.testing import temporary_database
from ejournal.testing.conformance.builders import MSK, sample_journal, sample_school
from ejournal.testing.conformance.roundtrip import exams_journal


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    with temporary_database(server_url(request.param), prefix="ejournal_mig") as url:
        yield url


def _diff(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE, "compare_type": True})
            return list(compare_metadata(ctx, metadata))
    finally:
        engine.dispose()


def test_upgrade_from_the_first_revision_to_head_matches_the_declared_schema(empty_url: str) -> None:
    assert current_revision(empty_url) is None
    assert upgrade(empty_url, "0001") == "0001"
    assert current_revision(empty_url) == "0001"
    engine = create_engine(empty_url)
    try:
        audit_indexes = {ix["name"] for ix in inspect(engine).get_indexes("ej_audit")}
    finally:
        engine.dispose()
    assert not any(str(name).startswith("ix_ej_audit_") for name in audit_indexes)
    # The first revision lacks the audit query indexes: the comparison must see them missing.
    missing = _diff(empty_url)
    assert {op[1].name for op in missing if isinstance(op, tuple) and op[0] == "add_index"} == {
        "ix_ej_audit_at",
        "ix_ej_audit_course",
        "ix_ej_audit_journal",
        "ix_ej_audit_student",
    }
    assert upgrade(empty_url) == head_revision()
    assert current_revision(empty_url) == head_revision()
    assert _diff(empty_url) == []


def _changes(school_id: str, count: int, at: datetime) -> list[Change]:
    """``count`` real changes of a sample journal, all at the moment ``at`` (only append order can order them)."""
    changes = sample_journal(sample_school(school_id)).take_pending_changes()[:count]
    return [attrs.evolve(ch, at=at) for ch in changes]


def test_upgrading_to_head_keeps_the_audit_entries_and_their_order(empty_url: str) -> None:
    at = datetime(2026, 5, 25, 10, tzinfo=MSK)
    old = {"s-1": _changes("s-1", 5, at), "s-2": _changes("s-2", 3, at)}
    assert upgrade(empty_url, "0002") == "0002"
    engine = create_engine(empty_url)
    try:
        with engine.begin() as conn:
            for sid, changes in old.items():
                conn.execute(t.schools.insert(), cv.school_row(sample_school(sid)))
                rows = _audit_rows(sid, changes, 1)
                conn.execute(t.audit.insert(), rows[::-1])  # stored out of order: only seq orders them
                conn.execute(
                    text("INSERT INTO ej_audit_counters (school_id, last_seq) VALUES (:s, :n)"),
                    {"s": sid, "n": len(rows)},
                )
    finally:
        engine.dispose()
    assert upgrade(empty_url) == head_revision() == "0006"
    assert "ej_audit_counters" not in _tables(empty_url)
    new = _changes("s-1", 4, at)[1:]
    storage = open_storage(empty_url, auto_upgrade=False)
    try:
        with storage.unit_of_work() as uow:
            uow.audit.append("s-1", new)
            uow.commit()
        with storage.unit_of_work() as uow:
            logs = {sid: uow.audit.query(sid) for sid in old}
    finally:
        storage.close()
    assert logs["s-1"] == old["s-1"] + new
    assert logs["s-2"] == old["s-2"]


def test_downgrading_0003_restores_the_school_counters(empty_url: str) -> None:
    at = datetime(2026, 5, 25, 10, tzinfo=MSK)
    upgrade(empty_url)
    storage = open_storage(empty_url, auto_upgrade=False)
    try:
        with storage.unit_of_work() as uow:
            uow.schools.add(sample_school("s-1"))
            uow.schools.add(sample_school("s-2"))
            uow.audit.append("s-1", _changes("s-1", 3, at))
            uow.commit()
    finally:
        storage.close()
    engine = create_engine(empty_url)
    try:
        with engine.connect() as conn:
            highest = conn.execute(select(func.max(t.audit.c.seq))).scalar_one()
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0002")
        assert current_revision(empty_url) == "0002"
        with engine.connect() as conn:
            counters = dict(conn.execute(text("SELECT school_id, last_seq FROM ej_audit_counters")).all())
    finally:
        engine.dispose()
    assert counters == {"s-1": highest, "s-2": 0}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _roster_change(at: datetime) -> Change:
    journal = sample_journal(sample_school("s-1"))
    journal.take_pending_changes()
    student = journal.students_in_order()[0]
    by = Actor("adm", Role.ADMINISTRATOR, "s-1")
    return attrs.evolve(journal.withdraw(student.id, journal.class_group.year.end, "57-у", by=by), at=at)


def test_0004_lets_the_audit_log_hold_roster_changes_and_downgrade_refuses_to_lose_them(empty_url: str) -> None:
    change = _roster_change(datetime(2026, 5, 25, 10, tzinfo=MSK))
    upgrade(empty_url, "0003")
    engine = create_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.execute(t.schools.insert(), cv.school_row(sample_school("s-1")))
        # Under 0003 the check constraint refuses the roster action: the migration is needed.
        with pytest.raises(sa_exc.DBAPIError, match="ck_ej_audit_action"), engine.begin() as conn:
            conn.execute(t.audit.insert(), _audit_rows("s-1", [change], 1))
        upgrade(empty_url, "0004")
        with engine.begin() as conn:
            conn.execute(t.audit.insert(), _audit_rows("s-1", [change], 1))
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0004")  # 0005 holds nothing 0004 cannot
        with (
            pytest.raises(RuntimeError, match="1 roster entries, 0 retakes and 0 brought marks"),
            engine.begin() as conn,
        ):
            command.downgrade(alembic_config(conn), "0003")
        assert current_revision(empty_url) == "0004"
        with engine.begin() as conn:
            conn.execute(t.audit.delete())
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0003")
        assert current_revision(empty_url) == "0003"
    finally:
        engine.dispose()
    assert _diff_after_upgrade(empty_url) == []


def _diff_after_upgrade(url: str) -> list[object]:
    upgrade(url)
    return _diff(url)


def test_the_latest_migration_accepts_exactly_the_actions_of_the_code() -> None:
    # compare_metadata does not compare check constraints: a new Action without a migration would
    # only fail when the first such entry is saved on an upgraded database.
    from ejournal.core.journal import Action
    from ejournal.storage.sql.migrations.versions import r0005_decisions_and_admission as r0005
    from ejournal.storage.sql.migrations.versions import r0006_exam_scores as r0006

    assert r0006._BEFORE == r0005._BEFORE + r0005._ADMISSION
    assert [a.value for a in Action] == r0006._BEFORE + r0006._EXAMS


def _decision_row(school_id: str, journal_id: str, student_id: str, day: str, kind: str) -> dict[str, object]:
    return {
        "school_id": school_id,
        "journal_id": journal_id,
        "student_id": student_id,
        "kind": kind,
        "council_date": date.fromisoformat(day),
        "protocol": "7",
        "to_grade": None,
        "note": "",
    }


def test_0005_keeps_the_decisions_lets_a_student_have_several_and_downgrade_refuses_to_lose_them(
    empty_url: str,
) -> None:
    journal = sample_journal(sample_school("s-1"))
    journal.take_pending_changes()
    journal.admission_tests.clear()  # 0004 has no table for them, nor a second decision of a student
    journal.decisions = {d.key: d for d in journal.decisions_in_force().values()}
    upgrade(empty_url)
    storage = open_storage(empty_url, auto_upgrade=False)
    try:
        with storage.unit_of_work() as uow:
            uow.schools.add(journal.school)
            uow.journals.add(journal)
            uow.commit()
    finally:
        storage.close()
    sid = journal.students_in_order()[0].id
    engine = create_engine(empty_url)
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0004")  # one decision per student: 0004 holds them
        with engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(t.decisions)).scalar_one()
        assert stored == len(journal.decisions) > 0
        second = _decision_row("s-1", journal.id, sid, "2026-06-27", "repeat_year")
        # Under 0004 the student is the key: a second decision is refused.
        with pytest.raises(sa_exc.IntegrityError), engine.begin() as conn:
            conn.execute(t.decisions.insert(), [second, {**second, "council_date": date(2026, 6, 28)}])
        assert upgrade(empty_url) == head_revision()
        with engine.begin() as conn:
            conn.execute(t.decisions.insert(), [second, {**second, "council_date": date(2026, 6, 28)}])
        with pytest.raises(sa_exc.IntegrityError), engine.begin() as conn:
            conn.execute(t.decisions.insert(), [second])  # one decision of a kind per council
        with engine.begin() as conn:  # (MariaDB's DDL is not transactional: one revision at a time)
            command.downgrade(alembic_config(conn), "0005")
        with pytest.raises(RuntimeError, match="1 students with several decisions"), engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0004")
        with engine.begin() as conn:
            conn.execute(t.decisions.delete().where(t.decisions.c.kind == "repeat_year"))
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0004")
        assert current_revision(empty_url) == "0004"
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(t.decisions)).scalar_one() == stored
    finally:
        engine.dispose()
    assert _diff_after_upgrade(empty_url) == []
    storage = open_storage(empty_url, auto_upgrade=False)
    try:
        with storage.unit_of_work() as uow:
            assert uow.journals.get("s-1", journal.id).decisions == journal.decisions
    finally:
        storage.close()


def test_0006_downgrade_refuses_to_lose_primary_scores_and_exam_choices(empty_url: str) -> None:
    storage = open_storage(empty_url)
    try:
        with storage.unit_of_work() as uow:
            uow.schools.add(sample_school("s-1"))
            uow.journals.add(exams_journal(sample_school("s-1")))
            uow.commit()
    finally:
        storage.close()
    engine = create_engine(empty_url)
    try:
        expected = "4 primary scores, 2 exam choices, 4 courses with chosen or shared exams and 2 exam-choice"
        with pytest.raises(RuntimeError, match=expected), engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0004")
        assert current_revision(empty_url) == "0006"
        with engine.begin() as conn:
            for table in reversed(t.metadata.sorted_tables):
                if table.name not in ("alembic_version", VERSION_TABLE):
                    conn.execute(table.delete())
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0004")
        assert current_revision(empty_url) == "0004"
    finally:
        engine.dispose()
    assert _diff_after_upgrade(empty_url) == []

"""The SQL backend on each real database: concurrency with two connections, exact values, errors.

Runs on SQLite always and on PostgreSQL/MariaDB when their URLs are set (see conftest.py).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction

import pytest
from sqlalchemy import create_engine, select

from ejournal.core.errors import ConcurrentModification, InvalidInput, NotFound
from ejournal.core.journal import Actor, ClassJournal, FixedClock, Role
from ejournal.core.model import School
from ejournal.core.scales import Status
from ejournal.storage.sql import SqlStorage, open_storage
from ejournal.storage.sql import schema as t
from ejournal.testing.conformance.builders import MSK, sample_journal, sample_school

TEACHER = Actor("t-math", Role.SUBJECT_TEACHER)


def _seeded(url: str) -> tuple[SqlStorage, ClassJournal]:
    storage = open_storage(url, auto_upgrade=False)
    journal = sample_journal()
    with storage.unit_of_work() as uow:
        uow.schools.add(sample_school())
        uow.journals.add(journal)
        uow.commit()
    return storage, journal


def _mark(j: ClassJournal, mark_id: str, value: int, minute: int) -> None:
    j.clock = FixedClock(datetime(2026, 5, 25, 10, minute, tzinfo=MSK))
    j.record_mark("st-1", "l-m3", value, "test", by=TEACHER, mark_id=mark_id)


def test_two_connections_first_save_wins(db_url: str) -> None:
    storage, _ = _seeded(db_url)
    try:
        with storage.unit_of_work() as a, storage.unit_of_work() as b:
            ja = a.journals.get("s-kzn-1", "9a-2025")
            jb = b.journals.get("s-kzn-1", "9a-2025")
            _mark(ja, "m-a", 5, 1)
            _mark(jb, "m-b", 2, 2)
            a.journals.save(ja)
            a.commit()
            with pytest.raises(ConcurrentModification):
                b.journals.save(jb)
            b.rollback()
        with storage.unit_of_work() as c:
            stored = c.journals.get("s-kzn-1", "9a-2025")
            log = c.audit.query("s-kzn-1", student_id="st-1", since=datetime(2026, 5, 25, tzinfo=MSK))
        assert stored.version == 2
        assert "m-a" in stored.marks
        assert "m-b" not in stored.marks
        assert [ch.after.id for ch in log if ch.after is not None and hasattr(ch.after, "id")] == ["m-a"]
    finally:
        storage.close()


def test_a_save_waiting_on_an_uncommitted_one_fails_once_it_commits(db_url: str) -> None:
    storage, _ = _seeded(db_url)
    outcome: list[BaseException | None] = []
    try:
        with storage.unit_of_work() as a:
            ja = a.journals.get("s-kzn-1", "9a-2025")
            with storage.unit_of_work() as b:
                jb = b.journals.get("s-kzn-1", "9a-2025")
                _mark(ja, "m-a", 5, 1)
                _mark(jb, "m-b", 2, 2)
                a.journals.save(ja)  # holds the journal's row (or SQLite's write lock) until commit

                def save_b() -> None:
                    try:
                        b.journals.save(jb)
                        outcome.append(None)
                    except BaseException as e:
                        outcome.append(e)

                waiter = threading.Thread(target=save_b)
                waiter.start()
                time.sleep(0.3)
                # Blocked behind the first save's row lock (SQLite: b starts over with BEGIN
                # IMMEDIATE and waits for the write lock instead of failing on its old snapshot).
                assert outcome == []
                a.commit()
                waiter.join(10)
                assert not waiter.is_alive()
        assert len(outcome) == 1
        assert isinstance(outcome[0], ConcurrentModification)
        assert (outcome[0].expected_version, outcome[0].found_version) == (1, 2)
        with storage.unit_of_work() as c:
            stored = c.journals.get("s-kzn-1", "9a-2025")
        assert stored.version == 2
        assert set(stored.marks) >= {"m-a"}
        assert "m-b" not in stored.marks
    finally:
        storage.close()


def test_values_are_stored_exactly(db_url: str) -> None:
    storage, journal = _seeded(db_url)
    try:
        engine = create_engine(db_url)
        with engine.connect() as conn:
            marks = {r.mark_id: r for r in conn.execute(select(t.marks))}
            results = conn.execute(select(t.results.c.grade, t.results.c.status)).all()
            weights = {r.work_type_id: (r.weight_num, r.weight_den) for r in conn.execute(select(t.work_types))}
            hours = {r.course_id: (r.hours_num, r.hours_den) for r in conn.execute(select(t.courses))}
        engine.dispose()
        for mark_id, mark in journal.marks.items():
            row = marks[mark_id]
            if isinstance(mark.value, Status):
                assert (row.grade, row.status) == (None, mark.value.code)
            else:
                assert type(row.grade) is int
                assert (row.grade, row.status) == (mark.value, None)
            assert datetime.fromisoformat(row.entered_at) == mark.entered_at
            assert datetime.fromisoformat(row.entered_at).utcoffset() == mark.entered_at.utcoffset()
        statuses = {s for _, s in results if s is not None}
        assert statuses >= {"н/а", "осв.", "зач.", "незач."}
        for wid, wt in journal.work_types.items():
            assert Fraction(*weights[wid]) == wt.weight
        for cid, course in journal.courses.items():
            assert Fraction(*hours[cid]) == course.hours_per_week
        with storage.unit_of_work() as uow:
            assert uow.journals.get("s-kzn-1", "9a-2025").snapshot() == journal.snapshot()
    finally:
        storage.close()


def test_moments_keep_offset_and_microseconds(db_url: str) -> None:
    storage, _ = _seeded(db_url)
    try:
        odd = timezone(timedelta(hours=-3, minutes=-30))
        with storage.unit_of_work() as uow:
            j = uow.journals.get("s-kzn-1", "9a-2025")
            j.clock = FixedClock(datetime(2026, 5, 25, 23, 59, 59, 999_999, tzinfo=odd))
            j.record_mark("st-1", "l-m3", 4, "test", by=TEACHER, mark_id="m-odd")
            uow.journals.save(j)
            uow.commit()
        with storage.unit_of_work() as uow:
            at = uow.journals.get("s-kzn-1", "9a-2025").marks["m-odd"].entered_at
            (change,) = uow.audit.query("s-kzn-1", since=datetime(2026, 5, 26, 3, tzinfo=UTC))
        assert at == datetime(2026, 5, 25, 23, 59, 59, 999_999, tzinfo=odd)
        assert at.utcoffset() == timedelta(hours=-3, minutes=-30)
        assert change.at.utcoffset() == at.utcoffset()
    finally:
        storage.close()


def test_integrity_errors_become_library_errors(db_url: str) -> None:
    storage, _ = _seeded(db_url)
    try:
        with storage.unit_of_work() as uow:
            with pytest.raises(InvalidInput, match="exists"):
                uow.schools.add(School("s-kzn-1", "Дубликат"))
            with pytest.raises(InvalidInput, match="exists"):
                uow.journals.add(sample_journal())
            with pytest.raises(NotFound):
                uow.journals.add(sample_journal(sample_school("s-unknown")))
            with pytest.raises(InvalidInput, match="longer than 64"):
                uow.schools.add(School("s" * 65, "Длинный"))
            # The unit of work is still usable after the refused calls.
            uow.schools.add(School("s-2", "Вторая"))
            uow.commit()
        with storage.unit_of_work() as uow:
            assert [s.id for s in uow.schools.list()] == ["s-2", "s-kzn-1"]
    finally:
        storage.close()


def test_ids_compare_exactly(db_url: str) -> None:
    storage = open_storage(db_url, auto_upgrade=False)
    try:
        with storage.unit_of_work() as uow:
            for sid in ("a", "A", "a ", "ä"):
                uow.schools.add(School(sid, f"Школа {sid!r}"))
            uow.commit()
        with storage.unit_of_work() as uow:
            assert [s.id for s in uow.schools.list()] == sorted(["a", "A", "a ", "ä"])
            assert uow.schools.get("a ").name_ru == "Школа 'a '"
    finally:
        storage.close()


def test_a_journal_loaded_in_another_unit_of_work_saves_its_differences(db_url: str) -> None:
    storage, _ = _seeded(db_url)
    try:
        with storage.unit_of_work() as uow:
            j = uow.journals.get("s-kzn-1", "9a-2025")
        removed = next(iter(j.marks))
        j.clock = FixedClock(datetime(2026, 5, 25, 10, tzinfo=MSK))
        j.delete_mark(removed, by=Actor("adm-1", Role.ADMINISTRATOR), reason="ошибка")
        _mark(j, "m-later", 4, 5)
        expected = j.snapshot()
        with storage.unit_of_work() as uow:  # no snapshot here: the stored rows are read back and compared
            uow.journals.save(j)
            uow.commit()
        with storage.unit_of_work() as uow:
            again = uow.journals.get("s-kzn-1", "9a-2025")
        assert again.snapshot() == expected
        assert again.version == 2
    finally:
        storage.close()

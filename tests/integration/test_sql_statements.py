"""A journal loads and saves in a constant number of statements, whatever its size (SQLite).

Statements are counted with SQLAlchemy's ``before_cursor_execute`` event (an ``executemany``
is one statement).  The same operations on a small and a ~30x larger journal must issue the
same number of statements.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sql_journals import MSK, SCHOOL, YEAR, build_journal
from sqlalchemy import Engine, event

from ejournal.core.journal import Actor, FixedClock, Role
from ejournal.storage.sql import SqlStorage, open_storage
from ejournal.storage.sql import schema as t

TEACHER = Actor("t1", Role.SUBJECT_TEACHER)


class Counter:
    """Counts the statements an engine sends to the database."""

    def __init__(self, engine: Engine) -> None:
        self.statements: list[str] = []
        event.listen(engine, "before_cursor_execute", self._on_execute)
        self._engine = engine

    def _on_execute(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        self.statements.append(statement)

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._on_execute)

    def count(self, fn: object) -> int:
        self.statements.clear()
        assert callable(fn)
        fn()
        return len(self.statements)


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[SqlStorage]:
    s = open_storage(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with s.unit_of_work() as uow:
        uow.schools.add(SCHOOL)
        uow.commit()
    yield s
    s.close()


SMALL = (3, 4)  # students, lessons per course: 36 marks
LARGE = (30, 40)  # 3,600 marks


def _scenario(storage: SqlStorage, journal_id: str, size: tuple[int, int]) -> dict[str, int]:
    """Count the statements of add, get, save-after-get, save-without-snapshot and list for one journal."""
    counter = Counter(storage.engine)
    try:
        journal = build_journal(journal_id, *size)
        counts: dict[str, int] = {}
        with storage.unit_of_work() as uow:
            counts["add"] = counter.count(lambda: uow.journals.add(journal))
            uow.commit()
        with storage.unit_of_work() as uow:
            loaded = {}
            counts["get"] = counter.count(lambda: loaded.setdefault("j", uow.journals.get(SCHOOL.id, journal_id)))
            j = loaded["j"]
            j.clock = FixedClock(datetime(2025, 9, 20, 10, tzinfo=MSK))
            lesson = next(iter(j.lessons))
            student = next(iter(j.students))
            mark = next(iter(j.marks))
            j.record_mark(student, lesson, 5, "cw", by=TEACHER, mark_id="m-new")
            j.correct_mark(mark, 2 if j.marks[mark].value != 2 else 3, by=TEACHER)
            j.record_attendance(student, lesson, "н", by=TEACHER)
            counts["save"] = counter.count(lambda: uow.journals.save(j))
            uow.commit()
        # A journal saved in another unit of work than it was loaded in: read back, then diff.
        with storage.unit_of_work() as uow:
            j.delete_mark("m-new", by=TEACHER)
            counts["save_without_snapshot"] = counter.count(lambda: uow.journals.save(j))
            uow.commit()
        with storage.unit_of_work() as uow:
            counts["list"] = counter.count(lambda: uow.journals.list(SCHOOL.id, YEAR))
        return counts
    finally:
        counter.close()


def test_statement_counts_do_not_depend_on_the_journal_size(storage: SqlStorage) -> None:
    small = _scenario(storage, "small", SMALL)
    large = _scenario(storage, "large", LARGE)
    assert small == large


def test_a_load_is_one_select_per_table(storage: SqlStorage) -> None:
    journal = build_journal("j", *SMALL)
    with storage.unit_of_work() as uow:
        uow.journals.add(journal)
        uow.commit()
    counter = Counter(storage.engine)
    try:
        with storage.unit_of_work() as uow:
            counter.count(lambda: uow.journals.get(SCHOOL.id, "j"))
    finally:
        counter.close()
    selects = [s for s in counter.statements if s.lstrip().upper().startswith("SELECT")]
    # ej_journals, ej_schools, then each table of the journal's contents.
    assert len(selects) == 2 + len(t.JOURNAL_TABLES)
    assert all("school_id" in s for s in selects)


def test_a_school_wide_load_is_one_select_per_table_whatever_the_number_of_journals(storage: SqlStorage) -> None:
    def load_count() -> int:
        counter = Counter(storage.engine)
        try:
            with storage.unit_of_work() as uow:
                return counter.count(lambda: uow.journals.list(SCHOOL.id, YEAR))
        finally:
            counter.close()

    with storage.unit_of_work() as uow:
        uow.journals.add(build_journal("a", *SMALL))
        uow.commit()
    one = load_count()
    with storage.unit_of_work() as uow:
        for i in range(5):
            uow.journals.add(build_journal(f"b{i}", *SMALL, seed=i))
        uow.commit()
    assert load_count() == one
    with storage.unit_of_work() as uow:
        assert [j.id for j in uow.journals.list(SCHOOL.id, YEAR)] == ["a", "b0", "b1", "b2", "b3", "b4"]


def test_saved_changes_are_read_back(storage: SqlStorage) -> None:
    journal = build_journal("j", *SMALL)
    with storage.unit_of_work() as uow:
        uow.journals.add(journal)
        uow.commit()
    with storage.unit_of_work() as uow:
        j = uow.journals.get(SCHOOL.id, "j")
        j.clock = FixedClock(datetime(2025, 9, 20, 10, tzinfo=MSK))
        removed = next(iter(j.marks))
        j.delete_mark(removed, by=TEACHER)
        j.record_mark("st0", "c0-l0", 4, "test", by=TEACHER, mark_id="m-x")
        j.edit_lesson("c0-l1", by=TEACHER, topic="Новая тема")
        uow.journals.save(j)
        uow.commit()
        expected = j.snapshot()
    with storage.unit_of_work() as uow:
        again = uow.journals.get(SCHOOL.id, "j")
    assert again.snapshot() == expected
    assert removed not in again.marks
    assert again.lessons["c0-l1"].topic == "Новая тема"
    assert again.version == 2

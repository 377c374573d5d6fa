"""The schema is shardable by school: every table, key and statement carries the school id.

Checked on the declared tables (:data:`ejournal.storage.sql.schema.metadata`) and on the SQL text
SQLite receives for every repository call.  See ``docs/sharding.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sql_journals import MSK, SCHOOL, YEAR, build_journal
from sqlalchemy import Table, event

from ejournal.core.journal import Actor, FixedClock, Role
from ejournal.core.model import Parent, PersonName, Teacher
from ejournal.storage.sql import SqlStorage, open_storage
from ejournal.storage.sql import schema as t

TABLES = sorted(t.metadata.tables.values(), key=lambda table: table.name)


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.name)
def test_every_table_is_keyed_first_by_the_school(table: Table) -> None:
    assert table.primary_key.columns.keys()[0] == "school_id"
    for fk in table.foreign_key_constraints:
        assert fk.column_keys[0] == "school_id"
        assert fk.elements[0].target_fullname.endswith(".school_id")


def _indexed(table_name: str) -> set[tuple[str, ...]]:
    table = t.metadata.tables[table_name]
    found = {tuple(c.name for c in ix.columns) for ix in table.indexes}
    found.add(tuple(table.primary_key.columns.keys()))
    return found


def _served(table_name: str, *prefix: str) -> bool:
    return any(cols[: len(prefix)] == prefix for cols in _indexed(table_name))


def test_the_access_paths_have_indices() -> None:
    # a class-year journal: every journal table by (school, journal)
    for table in t.JOURNAL_TABLES:
        assert _served(table.name, "school_id", "journal_id"), table.name
    # a whole school's year: the journals of a school by year
    assert _served("ej_journals", "school_id", "year_start")
    # a student's diary: the student's journals, then their marks
    assert _served("ej_students", "school_id", "student_id")
    assert _served("ej_marks", "school_id", "journal_id", "student_id")
    # the audit log of a journal and of a student
    assert _served("ej_audit", "school_id", "journal_id")
    assert _served("ej_audit", "school_id", "student_id")


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[SqlStorage]:
    s = open_storage(f"sqlite:///{tmp_path / 'db.sqlite'}")
    yield s
    s.close()


_TABLE = re.compile(r"\bej_(?!alembic)\w+")


def test_every_statement_on_a_table_is_scoped_by_the_school(storage: SqlStorage) -> None:
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split()))

    teacher = Actor("t1", Role.SUBJECT_TEACHER)
    event.listen(storage.engine, "before_cursor_execute", record)
    try:
        with storage.unit_of_work() as uow:
            uow.schools.add(SCHOOL)
            uow.people.add_teacher(SCHOOL.id, Teacher("t9", PersonName("Сафина", "Гүзәл")))
            uow.people.add_parent(SCHOOL.id, Parent("p1", PersonName("Вәлиева", "Гөлнара"), {"st0"}))
            uow.journals.add(build_journal("9a", 3, 2))
            uow.commit()
        with storage.unit_of_work() as uow:
            uow.schools.get(SCHOOL.id)
            uow.people.list_teachers(SCHOOL.id)
            uow.people.get_parent(SCHOOL.id, "p1")
            j = uow.journals.get(SCHOOL.id, "9a")
            j.clock = FixedClock(datetime(2025, 9, 20, 10, tzinfo=MSK))
            j.record_mark("st0", next(iter(j.lessons)), 5, "cw", by=teacher, mark_id="m-new")
            j.correct_mark("m-new", 4, by=teacher)
            uow.journals.save(j)
            uow.commit()
        with storage.unit_of_work() as uow:
            j.delete_mark("m-new", by=teacher)
            uow.journals.save(j)  # without a snapshot: reads the stored journal back
            uow.journals.list(SCHOOL.id, YEAR)
            uow.journals.list_ids(SCHOOL.id)
            uow.audit.query(SCHOOL.id, student_id="st0")
            uow.commit()
    finally:
        event.remove(storage.engine, "before_cursor_execute", record)

    on_tables = [s for s in statements if _TABLE.search(s)]
    assert len(on_tables) > 40
    for statement in on_tables:
        if statement.startswith("INSERT"):
            assert "school_id" in statement.split("VALUES")[0], statement
        else:
            assert " WHERE " in statement, statement
            assert "school_id" in statement.split(" WHERE ", 1)[1], statement

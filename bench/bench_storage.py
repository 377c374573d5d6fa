"""Load and save times of the SQL storage, beside a floor measured in the same run.

Data: the seeded demo school (``ejournal.demo``), with its period, annual and final marks,
decisions and closed periods:

- a class-year journal: a grade-7 class of 30 students (about 20,000 marks);
- a school year: 40 classes, 1,000 students (about 550,000 marks).

For each: seconds, statements issued (SQLAlchemy ``before_cursor_execute``), and for the
school-wide load the peak Python memory (``tracemalloc``, measured in a separate run because
tracing slows everything down).  The floor is the plain ``sqlite3`` fetch of the same mark rows
(the columns the load reads, selected by the year's journal ids -- not the load's own filtered
query; the best of ``fetchall`` and ``fetchmany``) with no object built; the ratio is load / floor.
Nothing here pauses the garbage collector.  The plain
fetch of the other big tables the load reads (lessons, attendance, results) is printed beside
it: it is part of the load, not of the floor.  PostgreSQL runs
when ``--postgres URL`` or ``EJOURNAL_TEST_POSTGRES_URL`` names a server (a throw-away schema).

Run: ``.venv/bin/python bench/bench_storage.py [--small] [--postgres URL] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import gc
import os
import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event

from ejournal.core.calendar import AcademicYear
from ejournal.core.journal import (
    Actor,
    ClassJournal,
    FixedClock,
    Role,
)
from ejournal.demo import generate_class_journal, generate_school_year
from ejournal.storage.sql import SqlStorage, open_storage
from ejournal.storage.sql.testing import temporary_database

T = TypeVar("T")
YEAR = AcademicYear(2025)
MSK = timezone(timedelta(hours=3))


class Statements:
    """Counts the statements sent through an engine."""

    def __init__(self, storage: SqlStorage) -> None:
        self.n = 0
        event.listen(storage.engine, "before_cursor_execute", self._tick)

    def _tick(self, *_: Any) -> None:
        self.n += 1


def timed(fn: Callable[[], T], repeat: int = 1) -> tuple[float, T]:
    """Best wall time of ``repeat`` runs, and the last result."""
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def peak_mib(fn: Callable[[], object]) -> float:
    """Peak Python memory (MiB) allocated while ``fn`` runs (its result is dropped afterwards)."""
    gc.collect()
    tracemalloc.start()
    try:
        kept = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return peak / 2**20


def bench_class(name: str, storage: SqlStorage, journal: ClassJournal, repeat: int) -> None:
    school = journal.school
    """Add, load, save-after-one-change of one class journal."""
    counter = Statements(storage)
    with storage.unit_of_work() as uow:
        uow.schools.add(school)
        uow.commit()

    def add() -> None:
        with storage.unit_of_work() as uow:
            uow.journals.add(journal)
            uow.commit()

    counter.n = 0
    t_add, _ = timed(add)
    n_add = counter.n

    def load() -> ClassJournal:
        with storage.unit_of_work() as uow:
            return uow.journals.get(school.id, journal.id)

    counter.n = 0
    t_load, loaded = timed(load, repeat)
    n_load = counter.n // repeat
    assert loaded == journal

    def change_and_save() -> None:
        with storage.unit_of_work() as uow:
            j = uow.journals.get(school.id, journal.id)
            j.clock = FixedClock(datetime(2026, 6, 20, 10, tzinfo=MSK))
            mark = next(m for m in j.marks.values() if isinstance(m.value, int))
            j.correct_mark(
                mark.id, 5 if mark.value != 5 else 4, by=Actor("adm", Role.ADMINISTRATOR), reason="описка учителя"
            )
            counter.n = 0
            t0 = time.perf_counter()
            uow.journals.save(j)
            uow.commit()
            results.append((time.perf_counter() - t0, counter.n))

    results: list[tuple[float, int]] = []
    for _ in range(repeat):
        change_and_save()
    t_save, n_save = min(results)
    print(
        f"  {name:<11} {len(journal.marks):>7,} marks | add {t_add:7.3f} s ({n_add} stmts) | "
        f"load {t_load:6.3f} s ({n_load} stmts) | save one change {t_save * 1000:6.1f} ms ({n_save} stmts)"
    )


MARK_COLUMNS = (
    "journal_id, mark_id, student_id, lesson_id, grade, status, work_type_id, entered_at, entered_by, comment"
)
BIG_TABLES = {
    "ej_marks": MARK_COLUMNS,
    "ej_lessons": "journal_id, lesson_id, course_id, lesson_date, topic, homework, number",
    "ej_attendance": "journal_id, student_id, lesson_id, code, entered_at, entered_by",
    "ej_results": "journal_id, student_id, course_id, kind, period_id, grade, status, set_at, set_by, reason",
}


def raw_fetch(path: Path, school_id: str, table: str, columns: str) -> tuple[float, int]:
    """Best seconds and row count of the plain sqlite3 fetch of the school year's rows of ``table``.

    The same columns as the load, the rows of the year's journals (their ids read first, then
    one ``IN`` list: a plain query, not the load's own), the fastest of ``fetchall()`` and
    ``fetchmany(10_000)`` over three runs each; the rows are only fetched, no object is built.
    """
    conn = sqlite3.connect(path)
    try:
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT journal_id FROM ej_journals WHERE school_id = ? AND year_start = ?",
                (school_id, YEAR.start_year),
            )
        ]
        sql = f"SELECT {columns} FROM {table} WHERE journal_id IN ({','.join('?' * len(ids))})"
        params = tuple(ids)

        def fetchall() -> int:
            return len(conn.execute(sql, params).fetchall())

        def fetchmany() -> int:
            cursor, n = conn.execute(sql, params), 0
            while rows := cursor.fetchmany(10_000):
                n += len(rows)
            return n

        best, count = float("inf"), 0
        for fetch in (fetchall, fetchmany):
            for _ in range(3):
                gc.collect()
                t0 = time.perf_counter()
                count = fetch()
                best = min(best, time.perf_counter() - t0)
        return best, count
    finally:
        conn.close()


def bench_school(path: Path, journals: list[ClassJournal], repeat: int) -> None:
    """Save and load a whole school year on SQLite, beside the raw fetch floor."""
    url = f"sqlite:///{path}"
    storage = open_storage(url)
    counter = Statements(storage)
    marks = sum(len(j.marks) for j in journals)
    school = journals[0].school
    try:
        with storage.unit_of_work() as uow:
            uow.schools.add(school)
            uow.commit()
        counter.n = 0

        def add_all() -> None:
            with storage.unit_of_work() as uow:
                for j in journals:
                    uow.journals.add(j)
                uow.commit()

        t_add, _ = timed(add_all)
        print(f"  save {len(journals)} journals, {marks:,} marks: {t_add:.2f} s, {counter.n} statements")
        journals.clear()
        gc.collect()

        def load_all() -> list[ClassJournal]:
            with storage.unit_of_work() as uow:
                return uow.journals.list(school.id, YEAR)

        counter.n = 0
        t_load, loaded = timed(load_all, repeat)
        n_load = counter.n // repeat
        assert sum(len(j.marks) for j in loaded) == marks
        del loaded
        storage.full_check_on_load = True
        t_checked, loaded = timed(load_all, repeat)
        del loaded
        storage.full_check_on_load = False
        fetched = {table: raw_fetch(path, school.id, table, columns) for table, columns in BIG_TABLES.items()}
        floor, floor_rows = fetched["ej_marks"]
        assert floor_rows == marks, (floor_rows, marks)
        others = sum(seconds for table, (seconds, _) in fetched.items() if table != "ej_marks")
        other_rows = sum(rows for table, (_, rows) in fetched.items() if table != "ej_marks")
        peak = peak_mib(load_all)
        print(
            f"  floor: plain sqlite3 fetch of the {marks:,} mark rows ({MARK_COLUMNS}), no objects built: {floor:.3f} s"
        )
        print(
            f"    (plain fetch of the {other_rows:,} lesson, attendance and result rows the load also reads: {others:.3f} s)"
        )
        print(
            f"  school-wide load (journals.list): {t_load:.3f} s, {n_load} statements, ratio {t_load / floor:.2f}x floor"
        )
        print(f"    with full_check_on_load=True:   {t_checked:.3f} s, ratio {t_checked / floor:.2f}x floor")
        print(f"    peak Python memory of the load (tracemalloc): {peak:.0f} MiB")
    finally:
        storage.close()


@contextmanager
def postgres(url: str | None) -> Iterator[str | None]:
    """A throw-away schema on the server, or ``None`` without a URL."""
    if not url:
        yield None
        return
    with temporary_database(url, prefix="ejournal_bench") as db:
        yield db


def main() -> None:
    """Parse the arguments and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a quick run on small data")
    parser.add_argument("--postgres", default=os.environ.get("EJOURNAL_TEST_POSTGRES_URL"), help="server URL")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    class_students, classes, school_students = (30, 40, 25) if not args.small else (10, 3, 8)
    repeat = 1 if args.small else args.repeat

    journal = generate_class_journal(seed=2025, grade=7, students=class_students)
    print(f"class-year journal ({class_students} students, {len(journal.lessons):,} lessons):")
    with tempfile.TemporaryDirectory() as tmp:
        storage = open_storage(f"sqlite:///{Path(tmp) / 'class.db'}")
        try:
            bench_class("SQLite", storage, journal, repeat)
        finally:
            storage.close()
    with postgres(args.postgres) as url:
        if url is None:
            print("  PostgreSQL  skipped (no --postgres URL / EJOURNAL_TEST_POSTGRES_URL)")
        else:
            storage = open_storage(url)
            try:
                bench_class("PostgreSQL", storage, journal, repeat)
            finally:
                storage.close()

    school_year = generate_school_year(seed=2025, classes=classes, students=classes * school_students)
    journals = [school_year.journals[jid] for jid in sorted(school_year.journals)]
    del school_year
    print(f"school year ({classes} classes, {classes * school_students:,} students), SQLite:")
    with tempfile.TemporaryDirectory() as tmp:
        bench_school(Path(tmp) / "school.db", journals, repeat)


if __name__ == "__main__":
    main()

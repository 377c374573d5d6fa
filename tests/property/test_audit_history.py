"""The audit log has no gaps: "as of" stays right across ``import --replace``, and order is append order.

The reconstructions are compared against snapshots of the stored journal taken during the test,
never against what the code under test computes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ejournal.core import Actor, ClassJournal, FixedClock, PersonName, Role, Student
from ejournal.core.grading import builtin_policy
from ejournal.core.journal import Mark
from ejournal.demo import generate_class_journal
from ejournal.service import JournalService
from ejournal.storage import open as open_storage
from ejournal.storage.memory import MemoryStorage, copy_journal
from ejournal.storage.ports import Storage

BASE = generate_class_journal(grade=8, students=5, seed=23, with_results=False)
SCHOOL = BASE.school.id
JID = BASE.id
ADMIN = Actor("director", Role.ADMINISTRATOR, SCHOOL)
COURSE = next(c for c in BASE.courses_in_order() if BASE.lessons_of(c.id))
LESSONS = BASE.lessons_of(COURSE.id)
STUDENTS = sorted(BASE.students)
WORK_TYPE = next(iter(sorted(BASE.work_types)))
START = datetime(2026, 6, 1, 8, tzinfo=UTC)


def _records(journal: ClassJournal) -> tuple[Any, ...]:
    """Everything the audit log records, as plain comparable values."""
    return (
        dict(journal.marks),
        dict(journal.attendance),
        dict(journal.results),
        dict(journal.decisions),
        dict(journal.lessons),
        frozenset(journal.closed_periods),
        dict(journal.students),
        dict(journal.courses),
        dict(journal.subjects),
        dict(journal.teachers),
        journal.class_group,
    )


def _service(storage: Storage) -> JournalService:
    journal = copy_journal(BASE)
    with storage.unit_of_work() as uow:
        uow.schools.add(journal.school)
        for teacher in journal.teachers.values():
            uow.people.add_teacher(SCHOOL, teacher)
        uow.journals.add(journal)
        uow.commit()
    return JournalService(storage, builtin_policy("federal"), clock=FixedClock(START))


class Timeline:
    """Drives a service minute by minute and keeps a snapshot of the stored journal after each step."""

    def __init__(self, service: JournalService) -> None:
        self.service = service
        self.minute = 0
        self.snapshots: list[tuple[datetime, tuple[Any, ...]]] = [(START, self.stored())]

    def stored(self) -> tuple[Any, ...]:
        with self.service.storage.unit_of_work() as uow:
            return _records(uow.journals.get(SCHOOL, JID))

    def tick(self) -> None:
        self.minute += 1
        self.service.clock = FixedClock(START + timedelta(minutes=self.minute))

    def snap(self) -> None:
        self.snapshots.append((self.service.clock.now(), self.stored()))

    def record(self, student: int, lesson: int, value: int) -> None:
        self.tick()
        les = LESSONS[lesson % len(LESSONS)]
        self.service.record_mark(ADMIN, SCHOOL, JID, STUDENTS[student % len(STUDENTS)], les.id, value, WORK_TYPE)
        self.snap()

    def roster(self, step: int, n: int) -> None:
        """One roster use case: enrol a newcomer, withdraw a student, or hand a course to another teacher."""
        self.tick()
        journal = self.service.journal(ADMIN, SCHOOL, JID)
        if step == 0:
            sid = f"new-{self.minute}"
            newcomer = Student(
                sid, PersonName("Новикова", f"Дина{n}"), journal.class_group.year.start, arrival_order=f"{n}-у"
            )
            self.service.enrol(ADMIN, SCHOOL, JID, newcomer)
        elif step == 1:
            present = [s for s in journal.students_in_order() if s.left is None]
            if not present:
                return
            # The last lesson a student has a record on bounds the day they may leave.
            sid = present[n % len(present)].id
            days = [journal.lessons[m.lesson_id].date for m in journal.marks.values() if m.student_id == sid]
            days += [journal.lessons[lid].date for (st_id, lid) in journal.attendance if st_id == sid]
            last = max([*days, journal.students[sid].enrolled])
            self.service.withdraw(
                ADMIN, SCHOOL, JID, sid, min(last + timedelta(days=1), journal.class_group.year.end), "9-у"
            )
        else:
            course = journal.courses_in_order()[n % len(journal.courses)]
            others = sorted(t for t in journal.teachers if t != course.teacher_id)
            self.service.change_teacher(ADMIN, SCHOOL, JID, course.id, others[n % len(others)] if others else None)
        self.snap()

    def replace(self, drop: list[bool], values: list[int], new: int) -> None:
        """Import --replace a document whose journal was edited outside the storage."""
        self.tick()
        year = self.service.school_year(ADMIN, SCHOOL, BASE.class_group.year)
        journal = year.journals[JID]
        for i, mark_id in enumerate(sorted(journal.marks)):
            if drop and drop[i % len(drop)]:
                del journal.marks[mark_id]
            elif values:
                journal.marks[mark_id] = attrs.evolve(journal.marks[mark_id], value=values[i % len(values)])
        if new:  # a student's record corrected elsewhere, and a newcomer with no marks
            first = journal.students_in_order()[0]
            journal.students[first.id] = attrs.evolve(first, birth_date=date(2011, 1, new))
            extra = Student(f"extra-{self.minute}", PersonName("Извне", "Ученик"), journal.class_group.year.start)
            journal.students[extra.id] = extra
        for n in range(new):
            les = LESSONS[n % len(LESSONS)]
            at = datetime.combine(les.date, datetime.min.time(), UTC) + timedelta(hours=9)
            mark = Mark(f"imported-{n}", STUDENTS[n % len(STUDENTS)], les.id, 4, WORK_TYPE, at, "elsewhere")
            journal.marks[mark.id] = mark
        self.service.import_school_year(ADMIN, year, replace=True)
        self.snap()

    def check_every_instant(self) -> None:
        """Every reconstruction (at each step, a moment after it, and before all) equals its snapshot."""
        instants = [(START - timedelta(minutes=1), self.snapshots[0][1])]
        for at, state in self.snapshots:
            instants += [(at, state), (at + timedelta(seconds=30), state)]
        for when, expected in instants:
            got = self.service.journal_as_of(ADMIN, SCHOOL, JID, when)
            assert _records(got) == expected, when


marks = st.lists(st.tuples(st.integers(0, 9), st.integers(0, 20), st.integers(2, 5)), min_size=1, max_size=6)


@settings(max_examples=25, deadline=None)
@given(
    before=marks,
    after=marks,
    drop=st.lists(st.booleans(), max_size=4),
    values=st.lists(st.integers(2, 5), max_size=3),
    new=st.integers(0, 3),
    twice=st.booleans(),
    roster=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 9)), max_size=4),
)
def test_as_of_is_right_before_and_after_a_replacing_import(
    before: list[tuple[int, int, int]],
    after: list[tuple[int, int, int]],
    drop: list[bool],
    values: list[int],
    new: int,
    twice: bool,
    roster: list[tuple[int, int]],
) -> None:
    timeline = Timeline(_service(MemoryStorage()))
    for i, step in enumerate(before):
        timeline.record(*step)
        if i < len(roster):
            timeline.roster(*roster[i])
    timeline.replace(drop, values, new)
    for step in after:
        timeline.record(*step)
    if twice:
        timeline.replace([True], [], 1)
    timeline.check_every_instant()


def test_a_replace_keeps_the_earlier_history_and_says_who_replaced_what() -> None:
    timeline = Timeline(_service(MemoryStorage()))
    timeline.record(0, 0, 5)
    timeline.record(1, 1, 3)
    history = timeline.service.history(ADMIN, SCHOOL, JID)
    timeline.replace([True], [], 1)  # drop every mark, add one
    after = timeline.service.history(ADMIN, SCHOOL, JID)
    assert after[: len(history)] == history
    replaced = after[len(history) :]
    assert {c.action.value for c in replaced} == {"delete_mark", "record_mark", "edit_student", "enrol_student"}
    assert {(c.actor_id, c.actor_role, c.at) for c in replaced} == {
        (ADMIN.id, ADMIN.role, timeline.service.clock.now())
    }
    assert all("import --replace" in c.reason and c.reason.count("sha256") == 2 for c in replaced)
    timeline.check_every_instant()


# ------------------------------------------------------------------------------------------ audit order
BACKENDS = ["memory", "json", "sqlite", "postgres", "mariadb"]


@pytest.fixture(params=BACKENDS)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    name = request.param
    if name in ("postgres", "mariadb"):
        var = f"EJOURNAL_TEST_{name.upper()}_URL"
        if not os.environ.get(var):
            pytest.skip(f"{var} is not set")
        from ejournal.storage.sql import open_storage as open_sql
        from ejournal.storage.sql import upgrade
        from ejournal.storage.sql.testing import temporary_database

        with temporary_database(os.environ[var]) as url:
            upgrade(url)
            s = open_sql(url, auto_upgrade=False)
            try:
                yield s
            finally:
                s.close()
        return
    url = {"memory": "memory://", "json": f"json:///{tmp_path / 'school.json'}"}.get(
        name, f"sqlite:///{tmp_path / 'school.db'}"
    )
    s = open_storage(url)
    try:
        yield s
    finally:
        s.close()


def test_a_clock_going_backwards_does_not_reorder_the_log(storage: Storage) -> None:
    service = _service(storage)
    lesson = LESSONS[0]
    student = STUDENTS[0]
    # Entries at 12:00, then 11:00, then 10:00: a clock reset twice.
    times = [START + timedelta(hours=4), START + timedelta(hours=3), START + timedelta(hours=2)]
    service.clock = FixedClock(times[0])
    first = service.record_mark(ADMIN, SCHOOL, JID, student, lesson.id, 5, WORK_TYPE)
    assert first.after is not None
    service.clock = FixedClock(times[1])
    second = service.correct_mark(ADMIN, SCHOOL, JID, first.after.id, 3, reason="описка")
    service.clock = FixedClock(times[2])
    third = service.correct_mark(ADMIN, SCHOOL, JID, first.after.id, 4, reason="ещё описка")
    appended = [first, second, third]
    assert service.history(ADMIN, SCHOOL, JID) == appended
    assert service.history(ADMIN, SCHOOL, JID, student_id=student) == appended
    # Undoing everything after 09:00 undoes the three, last appended first: no mark is left.
    assert first.after.id not in service.journal_as_of(ADMIN, SCHOOL, JID, START + timedelta(hours=1)).marks
    # A backup restored elsewhere keeps the order.
    copy = JournalService(MemoryStorage(), service.policy)
    copy.restore(ADMIN, service.backup(ADMIN))
    assert copy.history(ADMIN, SCHOOL, JID) == appended

"""Property tests of the ClassJournal aggregate.

A random sequence of valid and invalid commands never leaves the journal in a state that fails
its reference check or the invariants the commands guard; a failed command changes nothing and
records no change; a successful one records exactly one change, stamped by the injected clock.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ejournal.core import (
    YEAR,
    AcademicYear,
    Actor,
    ClassGroup,
    ClassJournal,
    Course,
    Decision,
    DecisionKind,
    EjournalError,
    FixedClock,
    Lesson,
    PersonName,
    Role,
    School,
    Status,
    Student,
    Subject,
    Teacher,
    WorkType,
    half_years,
    quarters,
)

Y = AcademicYear(2025)
T0 = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
STUDENTS = ("st1", "st2", "st3", "ghost")
COURSES = ("c-math", "c-tl", "c-eng", "nope")
PERIODS = ("q1", "q2", "q3", "q4", "h1", "h2", YEAR, "zz")
CODES = ("н", "б", "уп", "о", "x", None)
ACTORS = (
    Actor("t1", Role.SUBJECT_TEACHER),
    Actor("t2", Role.CLASS_TEACHER),
    Actor("a1", Role.ADMINISTRATOR),
    Actor("imp", Role.SYSTEM),
)
VALUES: tuple[Any, ...] = (-1, 0, 1, 2, 3, 4, 5, 6, 9, 10, 11, True, *Status)


def make_journal() -> ClassJournal:
    q, h = quarters(Y), half_years(Y)
    return ClassJournal(
        School("s1", "Школа № 1"),
        ClassGroup("9a", 9, "А", Y, "t2"),
        students={
            "st1": Student("st1", PersonName("Вәлиев", "Айдар"), date(2025, 9, 1)),
            "st2": Student("st2", PersonName("Ёлкина", "Анна"), date(2025, 11, 10)),
            "st3": Student("st3", PersonName("Сафин", "Тимур"), date(2025, 9, 1), left=date(2026, 2, 1)),
        },
        teachers={"t1": Teacher("t1", PersonName("Иванова", "Мария")), "t2": Teacher("t2", PersonName("Ким", "Олег"))},
        subjects={
            "math": Subject("math", "Математика", 1),
            "tatlit": Subject("tatlit", "Татарская литература", 2),
            "eng": Subject("eng", "Английский язык", 3),
        },
        courses={
            "c-math": Course("c-math", "math", "t1", 4, q.id, examined=True),
            "c-tl": Course("c-tl", "tatlit", "t1", 1, h.id),
            "c-eng": Course("c-eng", "eng", "t2", 3, q.id, scale_id="ten"),
        },
        schemes={q.id: q, h.id: h},
        work_types={"cw": WorkType("cw", "классная", 1), "test": WorkType("test", "контрольная", 2)},
        lessons={
            "l1": Lesson("l1", "c-math", date(2025, 9, 2)),
            "l2": Lesson("l2", "c-math", date(2025, 11, 12)),
            "l3": Lesson("l3", "c-tl", date(2025, 10, 29)),
            "l4": Lesson("l4", "c-eng", date(2026, 1, 20)),
            "l5": Lesson("l5", "c-math", date(2026, 3, 25)),  # imported on a holiday
        },
        clock=FixedClock(T0),
    )


def state(j: ClassJournal) -> tuple[object, ...]:
    """A detached copy of everything equality compares, plus the pending changes."""
    data = tuple(dict(x) if isinstance(x, dict) else x for x in j.snapshot())
    return (data, tuple(j.pending_changes))


Command = Callable[[ClassJournal], object]

# Valid choices are drawn more often than invalid ones, so that most scripts mix both.
lesson_ids = st.sampled_from(("l1", "l1", "l2", "l2", "l3", "l4", "l4", "l5", "l-none"))
students = st.sampled_from(("st1", "st1", "st1", "st2", "st3", "st3", "ghost"))
actors = st.sampled_from((ACTORS[0], ACTORS[0], ACTORS[0], *ACTORS[1:]))
reasons = st.sampled_from(("", "ошибка ввода", "ошибка ввода"))
values = st.one_of(st.sampled_from((3, 4, 5)), st.sampled_from(VALUES))
work_types = st.sampled_from(("cw", "cw", "test", "essay"))
days = st.integers(min_value=-10, max_value=380).map(lambda n: date(2025, 9, 1) + timedelta(days=n))


def _mark_id(j: ClassJournal, index: int) -> str:
    ids = sorted(j.marks)
    return ids[index % len(ids)] if ids and index >= 0 else "m-missing"


def _closed_or(j: ClassJournal, index: int, fallback: str) -> str:
    closed = sorted(j.closed_periods)
    return closed[index % len(closed)] if closed and index >= 0 else fallback


@st.composite
def commands(draw: st.DrawFn) -> tuple[str, Command]:
    kind = draw(
        st.sampled_from(
            (
                "record",
                "record",
                "record",
                "record",
                "correct",
                "correct",
                "delete",
                "delete",
                "attendance",
                "period",
                "annual",
                "exam",
                "final",
                "decision",
                "close",
                "reopen",
                "add_lesson",
                "edit_lesson",
            )
        )
    )
    by, reason = draw(actors), draw(reasons)
    if kind == "record":
        args = (draw(students), draw(lesson_ids), draw(values), draw(work_types))
        return kind, lambda j: j.record_mark(*args, by=by, reason=reason)
    if kind in ("correct", "delete"):
        index, value = draw(st.integers(min_value=-1, max_value=50)), draw(values)
        if kind == "correct":
            return kind, lambda j: j.correct_mark(_mark_id(j, index), value, by=by, reason=reason)
        return kind, lambda j: j.delete_mark(_mark_id(j, index), by=by, reason=reason)
    if kind == "attendance":
        sid, lid, code = draw(students), draw(lesson_ids), draw(st.sampled_from(CODES))
        return kind, lambda j: j.record_attendance(sid, lid, code, by=by, reason=reason)
    if kind in ("period", "annual", "exam", "final"):
        sid, cid = draw(students), draw(st.sampled_from(COURSES))
        value = draw(st.one_of(st.none(), values))
        if kind == "period":
            pid = draw(st.sampled_from(("q1", "q2", "h1", *PERIODS)))
            return kind, lambda j: j.set_period_mark(sid, cid, pid, value, by=by, reason=reason)
        command = {"annual": "set_annual_mark", "exam": "set_exam_mark", "final": "set_final_mark"}[kind]
        return kind, lambda j: getattr(j, command)(sid, cid, value, by=by, reason=reason)
    if kind == "decision":
        decision = Decision(
            draw(students),
            draw(st.sampled_from(DecisionKind)),
            draw(days),
            draw(st.sampled_from(("", "№ 7", "№ 7"))),
        )
        return kind, lambda j: j.set_decision(decision, by=by, reason=reason)
    if kind in ("close", "reopen"):
        pid = draw(st.sampled_from(("q1", "q2", "h1", *PERIODS)))
        if kind == "close":
            return kind, lambda j: j.close_period(pid, by=by, reason=reason)
        index = draw(st.integers(min_value=-1, max_value=5))
        by = draw(st.sampled_from((ACTORS[2], ACTORS[2], ACTORS[3], ACTORS[0])))
        return kind, lambda j: j.reopen_period(_closed_or(j, index, pid), by=by, reason=reason)
    if kind == "add_lesson":
        lesson = Lesson(draw(st.sampled_from(("l1", "n1", "n2"))), draw(st.sampled_from(COURSES)), draw(days))
        return kind, lambda j: j.add_lesson(lesson, by=by, reason=reason)
    lid, topic = draw(lesson_ids), draw(st.sampled_from(("Дроби", None)))
    return kind, lambda j: j.edit_lesson(lid, by=by, topic=topic, reason=reason)


def assert_invariants(j: ClassJournal) -> None:
    """What every command guards, checked over the whole journal."""
    j.check_references()
    for m in j.marks.values():
        lesson = j.lessons[m.lesson_id]
        assert lesson.id != "l5", "no mark on an imported holiday lesson"
        assert j.period_of_lesson(lesson) is not None
        assert j.students[m.student_id].enrolled_on(lesson.date)
        assert j.scale_of(lesson.course_id).allows(m.value)
    for r in j.results.values():
        scale = j.exam_scale_of(r.course_id) if r.kind.value == "exam" else j.scale_of(r.course_id)
        assert scale.allows(r.value, result=True)
    for d in j.decisions.values():
        assert d.protocol.strip()
        assert Y.contains(d.council_date)


@given(st.lists(commands(), max_size=40), st.integers(min_value=0, max_value=10**6))
def test_random_commands_keep_the_journal_consistent(script: list[tuple[str, Command]], minutes: int) -> None:
    j = make_journal()
    clock = j.clock
    assert isinstance(clock, FixedClock)
    for step, (_kind, command) in enumerate(script):
        now = T0 + timedelta(minutes=minutes + step)
        clock.advance_to(now)
        before = state(j)
        try:
            change = command(j)
        except EjournalError:
            assert state(j) == before  # a failed command changes nothing
        else:
            assert j.pending_changes[-1] is change
            assert len(j.pending_changes) == len(before[1]) + 1
            assert getattr(change, "at", None) == now
            assert getattr(change, "journal_id", None) == "9a"
        assert_invariants(j)


@given(st.lists(commands(), max_size=25))
def test_closed_periods_stay_locked_for_teachers(script: list[tuple[str, Command]]) -> None:
    j = make_journal()
    teacher = ACTORS[0]
    for _kind, command in script:
        with contextlib.suppress(EjournalError):
            command(j)
    for mark in list(j.marks.values()):
        period = j.period_of_lesson(j.lessons[mark.lesson_id])
        assert period is not None
        if j.is_closed(period.id):
            before = state(j)
            try:
                j.delete_mark(mark.id, by=teacher, reason="попытка")
            except EjournalError:
                assert state(j) == before
            else:
                raise AssertionError(f"a teacher deleted mark {mark.id} in closed period {period.id}")

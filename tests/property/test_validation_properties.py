"""Properties of validation: order independence, and clean journals carry no errors."""

from __future__ import annotations

import random
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
    FixedClock,
    Lesson,
    PersonName,
    Role,
    School,
    Student,
    Subject,
    Teacher,
    WorkType,
    quarters,
)
from ejournal.core.grading import builtin_policy, propose_period_mark
from ejournal.core.validation import Severity, validate
from ejournal.testing.strategies import class_journals

FEDERAL = builtin_policy("federal")
_DICTS = (
    "students",
    "teachers",
    "subjects",
    "courses",
    "schemes",
    "work_types",
    "lessons",
    "marks",
    "attendance",
    "results",
    "decisions",
)


def _shuffled(j: ClassJournal, rng: random.Random) -> ClassJournal:
    """The same journal with every dict rebuilt in another insertion order."""
    parts: dict[str, Any] = {}
    for name in _DICTS:
        items = list(getattr(j, name).items())
        rng.shuffle(items)
        parts[name] = dict(items)
    closed = list(j.closed_periods)
    rng.shuffle(closed)
    return ClassJournal(j.school, j.class_group, closed_periods=set(closed), clock=j.clock, **parts)


@given(
    journal=class_journals(max_students=4, max_courses=3, max_marks=30),
    closed=st.sets(st.integers(0, 4), max_size=3),
    rng=st.randoms(use_true_random=False),
    as_of=st.dates(date(2025, 9, 1), date(2026, 6, 30)),
)
def test_findings_do_not_depend_on_insertion_order(
    journal: ClassJournal, closed: set[int], rng: random.Random, as_of: date
) -> None:
    periods = [p.id for s in journal.schemes.values() for p in s.periods]
    journal.closed_periods.update(periods[i] for i in closed if i < len(periods))
    if 4 in closed:
        journal.closed_periods.add(YEAR)
    first = validate(journal, FEDERAL, as_of=as_of)
    second = validate(_shuffled(journal, rng), FEDERAL, as_of=as_of)
    assert first.findings == second.findings
    assert first.to_dict("en") == second.to_dict("en")


Y = AcademicYear(2025)
Q = quarters(Y)
TEACHER = Actor("t1", Role.SUBJECT_TEACHER)
ADMIN = Actor("a1", Role.ADMINISTRATOR)


@given(
    grades=st.lists(st.lists(st.integers(2, 5), min_size=5, max_size=8), min_size=2, max_size=4),
    heavy=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_a_journal_kept_by_the_rules_has_no_errors(grades: list[list[int]], heavy: list[bool]) -> None:
    """Marks recorded through commands, every q1 period mark set to its proposal, q1 closed: no errors.

    Each student gets 5-8 marks (the federal minimum at 3 hours a week is 5), on lessons with
    topics and homework, entered on the lesson's day.
    """
    clock = FixedClock(datetime(2025, 9, 1, 9, tzinfo=UTC))
    students = {
        f"s{i}": Student(
            f"s{i}", PersonName(f"Фамилия{i}", "Имя", "Отчество"), date(2025, 9, 1), birth_date=date(2012, 1, i + 1)
        )
        for i in range(len(grades))
    }
    j = ClassJournal(
        School("sch", "Школа"),
        ClassGroup("5a", 5, "А", Y, "t1"),
        students=students,
        teachers={"t1": Teacher("t1", PersonName("Учитель", "Анна", ""))},
        subjects={"math": Subject("math", "Математика", 1)},
        courses={"c": Course("c", "math", "t1", 3, Q.id)},
        schemes={Q.id: Q},
        work_types={"cw": WorkType("cw", "классная", 1), "test": WorkType("test", "контрольная", 2)},
        clock=clock,
    )
    for k in range(8):
        day = date(2025, 9, 2) + timedelta(days=7 * k)
        clock.advance_to(datetime(day.year, day.month, day.day, 10, tzinfo=UTC))
        j.add_lesson(Lesson(f"l{k}", "c", day, f"Тема {k}", f"№ {k}"), by=TEACHER)
        for i, marks in enumerate(grades):
            if k < len(marks):
                j.record_mark(f"s{i}", f"l{k}", marks[k], "test" if heavy[k] else "cw", by=TEACHER)
    clock.advance_to(datetime(2025, 10, 27, 10, tzinfo=UTC))
    for sid in students:
        proposal = propose_period_mark(j, sid, "c", "q1", FEDERAL)
        assert proposal.value is not None
        j.set_period_mark(sid, "c", "q1", proposal.value, by=TEACHER)
    j.close_period("q1", by=ADMIN)
    report = validate(j, FEDERAL, as_of=date(2025, 10, 30))
    assert report.ready_to_certify, report.render_text("en")
    assert all(f.severity is not Severity.ERROR for f in report)

"""A student's record across years: grade 11's final marks read grade 10 from storage."""

from __future__ import annotations

import math
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

import pytest

from ejournal.core import AcademicYear, Actor, Role
from ejournal.core.grading import builtin_policy
from ejournal.core.journal import Decision, DecisionKind, ResultKind
from ejournal.core.rollover import plan_rollover
from ejournal.demo import generate_class_journal
from ejournal.service import JournalService
from ejournal.storage import open as open_storage
from ejournal.testing.conformance.builders import MSK, TickingClock

TEN = generate_class_journal(grade=10, students=4, seed=5, year=AcademicYear(2024))
ADMIN = Actor("director", Role.ADMINISTRATOR, TEN.school.id)


@pytest.fixture(params=["memory", "sqlite"])
def service(request: pytest.FixtureRequest, tmp_path: Path) -> JournalService:
    ten = TEN.copy()
    for sid in ten.students:
        ten.decisions[sid] = Decision(sid, DecisionKind.PROMOTED, date(2025, 5, 30), "9", 11)
    [eleven] = plan_rollover([ten]).journals
    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'school.db'}"
    storage = open_storage(url)
    with storage.unit_of_work() as uow:
        uow.schools.add(ten.school)
        uow.journals.add(ten)
        uow.journals.add(eleven)
        uow.commit()
    return JournalService(storage, builtin_policy("federal"), clock=TickingClock(datetime(2026, 5, 27, tzinfo=MSK)))


def _half_up(values: list[int]) -> int:
    return math.floor(Fraction(sum(values), len(values)) + Fraction(1, 2))


def test_the_grade_11_final_mark_is_the_half_up_mean_over_grades_10_and_11(service: JournalService) -> None:
    eleven = next(j for j in service.journals(ADMIN, TEN.school.id, year=AcademicYear(2025)))
    course = next(c for c in eleven.courses_in_order() if eleven.scale_of(c.id).is_numeric)
    student = sorted(eleven.students)[0]
    ten_course = next(c for c in TEN.courses_in_order() if c.subject_id == course.subject_id)
    grade10 = [
        r.value
        for p in TEN.scheme_of(ten_course.id).periods
        if (r := TEN.result(student, ten_course.id, ResultKind.PERIOD, p.id)) is not None
    ] + [TEN.result(student, ten_course.id, ResultKind.ANNUAL).value]  # type: ignore[union-attr]
    assert all(isinstance(v, int) for v in grade10)
    assert len(grade10) >= 2
    mine = [5, 4]
    periods = eleven.scheme_of(course.id).periods
    assert len(periods) == len(mine)  # half-years
    for period, value in zip(periods, mine, strict=True):
        service.set_period_mark(ADMIN, TEN.school.id, eleven.id, student, course.id, period.id, value, reason="тест")
    service.set_annual_mark(ADMIN, TEN.school.id, eleven.id, student, course.id, 4, reason="тест")
    assert service.earlier_results(ADMIN, TEN.school.id, eleven.id)[student][course.id] == grade10
    change = service.set_final_mark(ADMIN, TEN.school.id, eleven.id, student, course.id)
    assert change.after.value == _half_up([*grade10, *mine, 4])  # type: ignore[union-attr]


def test_other_grades_have_no_earlier_results_and_a_student_record_spans_the_years(service: JournalService) -> None:
    assert service.earlier_results(ADMIN, TEN.school.id, TEN.id) == {}
    student = sorted(TEN.students)[0]
    years = [j.class_group.year.start_year for j in service.student_journals(ADMIN, TEN.school.id, student)]
    assert years == [2024, 2025]

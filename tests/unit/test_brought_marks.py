"""Marks brought on an arriving student's extract (приказ № 240 of 06.04.2023) count in the period mark."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ejournal.core import (
    AcademicYear,
    Action,
    Actor,
    ClassGroup,
    ClassJournal,
    Course,
    InvalidInput,
    PermissionDenied,
    PersonName,
    Role,
    School,
    Student,
    Subject,
)
from ejournal.core.calendar import quarters
from ejournal.core.grading import (
    GradedMark,
    builtin_policy,
    compute_period_mark,
    propose_period_mark,
    propose_period_marks,
)
from ejournal.core.history import rewind
from ejournal.core.journal import FixedClock, ResultKey, ResultKind
from ejournal.core.model import Lesson
from ejournal.core.scales import WorkType
from ejournal.core.school_year import SchoolYear
from ejournal.i18n.collation import collator
from ejournal.render.course_page import build_course_page, course_page_rows
from ejournal.render.i18n import catalog
from ejournal.service import JournalService
from ejournal.storage import open as open_storage
from ejournal.storage.document import dump_school_year, load_school_year, schema_path
from ejournal.testing.conformance.builders import MSK, TickingClock

YEAR = AcademicYear(2025)
Q = quarters(YEAR)
ADMIN = Actor("director", Role.ADMINISTRATOR, "s-1")
POLICY = builtin_policy("federal")
ARRIVAL = date(2025, 10, 13)  # in the first quarter
SOURCE = "МБОУ СОШ № 3 г. Казани, выписка № 14 от 10.10.2025"


def journal() -> ClassJournal:
    j = ClassJournal(
        School("s-1", "Школа № 7"),
        ClassGroup("7a", 7, "А", YEAR),
        students={
            "st-1": Student("st-1", PersonName("Абдуллин", "Тимур"), YEAR.start),
            "new": Student("new", PersonName("Юнусова", "Ләйсән"), ARRIVAL, arrival_order="61-у"),
        },
        subjects={"math": Subject("math", "Математика", 1)},
        courses={"c-math": Course("c-math", "math", None, 4, Q.id)},
        schemes={Q.id: Q},
        work_types={"cw": WorkType("cw", "Работа на уроке"), "test": WorkType("test", "Контрольная", 2)},
        clock=FixedClock(datetime(2025, 10, 20, 12, tzinfo=MSK)),
    )
    for i in range(6):
        j.add_lesson(Lesson(f"l{i}", "c-math", ARRIVAL + timedelta(days=2 * i), f"Тема {i}"), by=ADMIN)
    return j


@given(
    brought=st.lists(st.tuples(st.integers(2, 5), st.sampled_from(["cw", "test"])), min_size=1, max_size=5),
    here=st.lists(st.tuples(st.integers(2, 5), st.sampled_from(["cw", "test"])), max_size=6),
)
def test_brought_marks_count_like_marks_given_here(brought: list[tuple[int, str]], here: list[tuple[int, str]]) -> None:
    j = journal()
    graded = []
    for i, (value, wt) in enumerate(brought):
        day = date(2025, 9, 1) + timedelta(days=3 * i)
        j.bring_mark("new", "c-math", day, value, wt, SOURCE, by=ADMIN)
        graded.append(GradedMark(value, j.work_types[wt].weight, wt, day))
    for i, (value, wt) in enumerate(here):
        j.record_mark("new", f"l{i}", value, wt, by=ADMIN)
        graded.append(GradedMark(value, j.work_types[wt].weight, wt, ARRIVAL + timedelta(days=2 * i)))
    proposal = propose_period_mark(j, "new", "c-math", "q1", POLICY)
    # the pure rule over the same marks, as if they had all been given here (6 lessons since arrival)
    expected = compute_period_mark(graded, POLICY, hours_per_week=Fraction(4), lessons_total=6, lessons_missed=0)
    assert proposal.value == expected.value
    assert propose_period_marks(j, POLICY)[ResultKey("new", "c-math", ResultKind.PERIOD, "q1")].value == proposal.value
    # a student who brought nothing is unaffected
    assert propose_period_mark(j, "st-1", "c-math", "q1", POLICY).value is None


def test_what_a_brought_mark_must_be() -> None:
    j = journal()
    with pytest.raises(InvalidInput, match="must precede the student's arrival on 2025-10-13"):
        j.bring_mark("new", "c-math", ARRIVAL, 5, "cw", SOURCE, by=ADMIN)
    with pytest.raises(InvalidInput, match="must be a day of the academic year"):
        j.bring_mark("new", "c-math", date(2025, 5, 20), 5, "cw", SOURCE, by=ADMIN)
    with pytest.raises(InvalidInput, match="name the extract"):
        j.bring_mark("new", "c-math", date(2025, 9, 10), 5, "cw", " ", by=ADMIN)
    with pytest.raises(InvalidInput, match="not on scale"):
        j.bring_mark("new", "c-math", date(2025, 9, 10), 7, "cw", SOURCE, by=ADMIN)
    j.enrol(Student("late", PersonName("Зарипов", "Ильнур"), date(2026, 1, 12), arrival_order="2-у"), by=ADMIN)
    with pytest.raises(InvalidInput, match="falls in no period"):
        j.bring_mark("late", "c-math", date(2025, 12, 30), 5, "cw", SOURCE, by=ADMIN)  # winter holidays
    assert j.brought_marks == {}


def test_a_brought_mark_is_audited_removed_with_a_reason_and_undone_by_as_of() -> None:
    j = journal()
    j.take_pending_changes()
    before = j.copy()
    added = j.bring_mark("new", "c-math", date(2025, 9, 22), 4, "cw", SOURCE, by=ADMIN, mark_id="b1")
    assert (added.action, added.period_id, added.after) == (Action.BRING_MARK, "q1", j.brought_marks["b1"])
    with pytest.raises(InvalidInput, match="written reason"):
        j.remove_brought_mark("b1", by=ADMIN, reason="")
    j.clock = FixedClock(datetime(2025, 10, 21, 12, tzinfo=MSK))
    removed = j.remove_brought_mark("b1", by=ADMIN, reason="ошибка ввода")
    assert removed.before == added.after
    assert rewind(j, [added, removed], datetime(2025, 10, 20, 11, tzinfo=MSK)) == before
    assert rewind(j, [added, removed], datetime(2025, 10, 20, 13, tzinfo=MSK)).brought_marks == {"b1": added.after}


def test_brought_marks_round_trip_through_the_document_and_the_schema() -> None:
    j = journal()
    j.bring_mark("new", "c-math", date(2025, 9, 22), 4, "cw", SOURCE, by=ADMIN)
    sy = SchoolYear(j.school, YEAR, {}, {}, {j.id: j}, list(j.pending_changes))
    data = dump_school_year(sy)
    assert load_school_year(data).journals[j.id].brought_marks == j.brought_marks
    jsonschema.Draft202012Validator(json.loads(schema_path().read_text(encoding="utf-8"))).validate(json.loads(data))


def test_the_course_page_shows_them_as_brought_in() -> None:
    j = journal()
    j.bring_mark("new", "c-math", date(2025, 9, 22), 4, "cw", SOURCE, by=ADMIN)
    j.bring_mark("new", "c-math", date(2025, 10, 6), 5, "test", SOURCE, by=ADMIN)
    page = build_course_page(j, "c-math", YEAR.start, date(2025, 10, 26), collator=collator("ru"))
    rows = list(course_page_rows(page, catalog("ru")))
    assert rows[0].cells[2] == "из выписки"
    by_name = {r.cells[1]: r.cells[2] for r in rows[2:]}
    assert by_name == {"Абдуллин Тимур": "", "Юнусова Ләйсән": "4 (22.09), 5 (06.10)"}
    plain = journal()
    assert "из выписки" not in next(iter(course_page_rows(build_course_page(
        plain, "c-math", YEAR.start, date(2025, 10, 26), collator=collator("ru")), catalog("ru")))).cells  # fmt: skip


@pytest.fixture(params=["memory", "sqlite"])
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalService]:
    storage = open_storage("memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'school.db'}")
    j = journal()
    del j.students["new"]
    j.take_pending_changes()
    with storage.unit_of_work() as uow:
        uow.schools.add(j.school)
        uow.journals.add(j)
        uow.commit()
    yield JournalService(storage, POLICY, clock=TickingClock(datetime(2025, 10, 13, 9, tzinfo=MSK)))
    storage.close()


def test_arrive_with_the_extract_in_one_unit_of_work(service: JournalService) -> None:
    newcomer = Student("new", PersonName("Юнусова", "Ләйсән"), ARRIVAL, arrival_order="61-у")
    bad = [("c-math", date(2025, 9, 22), 4, "cw"), ("c-math", date(2025, 9, 29), 9, "cw")]
    with pytest.raises(InvalidInput, match=r"brought\[1\]"):
        service.arrive(ADMIN, "s-1", "7a", newcomer, brought=bad, source=SOURCE)
    assert "new" not in service.journal(ADMIN, "s-1", "7a").students  # nothing half-written
    good = [("c-math", date(2025, 9, 22), 4, "cw"), ("c-math", date(2025, 10, 6), 5, "test")]
    changes = service.arrive(ADMIN, "s-1", "7a", newcomer, brought=good, source=SOURCE)
    assert [c.action for c in changes] == [Action.ENROL_STUDENT, Action.BRING_MARK, Action.BRING_MARK]
    stored = service.journal(ADMIN, "s-1", "7a")
    assert sorted((b.date, b.value, b.source) for b in stored.brought_marks.values()) == [
        (date(2025, 9, 22), 4, SOURCE),
        (date(2025, 10, 6), 5, SOURCE),
    ]
    assert changes[1:] == service.history(ADMIN, "s-1", "7a", student_id="new")[1:]


def test_a_brought_mark_added_after_the_arrival_and_removed_with_a_reason(service: JournalService) -> None:
    newcomer = Student("new", PersonName("Юнусова", "Ләйсән"), ARRIVAL, arrival_order="61-у")
    service.arrive(ADMIN, "s-1", "7a", newcomer)
    added = service.bring_mark(ADMIN, "s-1", "7a", "new", "c-math", date(2025, 9, 22), 5, "cw", SOURCE)
    assert added.action is Action.BRING_MARK
    [stored] = service.journal(ADMIN, "s-1", "7a").brought_marks.values()
    assert (stored.value, stored.source) == (5, SOURCE)
    with pytest.raises(InvalidInput, match="written reason"):
        service.remove_brought_mark(ADMIN, "s-1", "7a", stored.id, reason=" ")
    removed = service.remove_brought_mark(ADMIN, "s-1", "7a", stored.id, reason="не та выписка")
    assert removed.before == stored
    assert service.journal(ADMIN, "s-1", "7a").brought_marks == {}
    teacher = Actor("t-math", Role.SUBJECT_TEACHER, "s-1")
    with pytest.raises(PermissionDenied):
        service.bring_mark(teacher, "s-1", "7a", "new", "c-math", date(2025, 9, 22), 5, "cw", SOURCE)

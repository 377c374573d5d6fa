"""The ClassJournal aggregate: every command's invariants, its Change, and "on error nothing changes"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from fractions import Fraction

import pytest

from ejournal.core import (
    YEAR,
    AcademicYear,
    Action,
    Actor,
    AttendanceRecord,
    ClassGroup,
    ClassJournal,
    Course,
    Decision,
    DecisionKind,
    EjournalError,
    FixedClock,
    InvalidInput,
    Lesson,
    Mark,
    NotFound,
    PeriodClosure,
    PeriodLocked,
    PersonName,
    ResultKey,
    ResultKind,
    ResultMark,
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
from ejournal.core.model import AssessmentKind
from ejournal.core.scales import BUILTIN_SCALES

YEAR_2025 = AcademicYear(2025)
T0 = datetime(2025, 9, 2, 10, 0, tzinfo=UTC)
TEACHER = Actor("t1", Role.SUBJECT_TEACHER)
CLASS_TEACHER = Actor("t2", Role.CLASS_TEACHER)
ADMIN = Actor("a1", Role.ADMINISTRATOR)
SYSTEM = Actor("import", Role.SYSTEM)
STUDENT = Actor("st1", Role.STUDENT)


def make_journal() -> ClassJournal:
    """A small journal: quarters and half-years, five/ten/pass-fail scales, three students."""
    q = quarters(YEAR_2025)
    h = half_years(YEAR_2025)
    students = [
        Student("st1", PersonName("Вәлиев", "Айдар", "Ринатович"), date(2025, 9, 1)),
        Student("st2", PersonName("Ёлкина", "Анна", "Сергеевна"), date(2025, 10, 1), arrival_order="12-у"),
        Student("st3", PersonName("Сафин", "Тимур"), date(2025, 9, 1), left=date(2025, 11, 20), departure_order="40-у"),
    ]
    subjects = [
        Subject("math", "Математика", 1),
        Subject("tatlit", "Татарская литература", 2),
        Subject("eng", "Английский язык", 3),
        Subject("orkse", "ОРКСЭ", 4, AssessmentKind.PASS_FAIL),
    ]
    courses = [
        Course("c-math", "math", "t1", 5, q.id, examined=True, exam_scale_id="ten"),
        Course("c-tl", "tatlit", "t1", 1, h.id),
        Course("c-eng", "eng", "t2", 3, q.id, scale_id="ten"),
        Course("c-pf", "orkse", None, 1, q.id, scale_id="pass_fail"),
    ]
    lessons = [
        Lesson("l1", "c-math", date(2025, 9, 2), "Дроби", "№ 1"),
        Lesson("l2", "c-math", date(2025, 11, 10), "Проценты"),
        Lesson("l3", "c-tl", date(2025, 10, 29), "Г. Тукай"),  # autumn break, but inside half-year 1
        Lesson("l4", "c-pf", date(2025, 9, 3)),
        Lesson("l5", "c-eng", date(2025, 9, 4)),
        Lesson("l6", "c-math", date(2025, 11, 24)),  # after st3 left
        Lesson("l7", "c-math", date(2026, 1, 12)),  # quarter 3
        Lesson("hol", "c-math", date(2025, 10, 29)),  # imported on a holiday: in no quarter
        Lesson("out", "c-math", date(2026, 9, 5)),  # imported outside the year
    ]
    return ClassJournal(
        School("s1", "Школа № 1", "1 нче мәктәп"),
        ClassGroup("9a-2025", 9, "А", YEAR_2025, "t2"),
        students={s.id: s for s in students},
        teachers={
            "t1": Teacher("t1", PersonName("Иванова", "Мария")),
            "t2": Teacher("t2", PersonName("Гыйләҗев", "Рәис")),
        },
        subjects={s.id: s for s in subjects},
        courses={c.id: c for c in courses},
        schemes={q.id: q, h.id: h},
        work_types={"cw": WorkType("cw", "классная", 1), "test": WorkType("test", "контрольная", 2)},
        lessons={le.id: le for le in lessons},
        clock=FixedClock(T0),
    )


@pytest.fixture
def j() -> ClassJournal:
    return make_journal()


def clone(j: ClassJournal) -> ClassJournal:
    """An independent copy built from the journal's data (equal to it by construction)."""
    return ClassJournal(
        j.school,
        j.class_group,
        students=dict(j.students),
        teachers=dict(j.teachers),
        subjects=dict(j.subjects),
        courses=dict(j.courses),
        schemes=dict(j.schemes),
        scales=dict(j.scales),
        work_types=dict(j.work_types),
        attendance_codes=dict(j.attendance_codes),
        lessons=dict(j.lessons),
        marks=dict(j.marks),
        attendance=dict(j.attendance),
        results=dict(j.results),
        decisions=dict(j.decisions),
        closed_periods=set(j.closed_periods),
        admission_tests=dict(j.admission_tests),
        version=j.version,
    )


@contextmanager
def unchanged(j: ClassJournal) -> Iterator[None]:
    """Assert that the block (which is expected to fail) leaves the journal exactly as it was."""
    before = clone(j)
    pending = list(j.pending_changes)
    yield
    assert j == before
    assert j.pending_changes == pending
    j.check_references()


def add_mark(j: ClassJournal, student: str = "st1", lesson: str = "l1", value: int = 4) -> Mark:
    change = j.record_mark(student, lesson, value, "cw", by=TEACHER)
    assert isinstance(change.after, Mark)
    return change.after


# ---------------------------------------------------------------------- record_mark
def test_record_mark_stores_the_mark_and_returns_the_change(j: ClassJournal) -> None:
    change = j.record_mark("st1", "l1", 5, "test", by=TEACHER, comment="отлично")
    mark = change.after
    assert isinstance(mark, Mark)
    assert (mark.student_id, mark.lesson_id, mark.value, mark.work_type_id) == ("st1", "l1", 5, "test")
    assert mark.entered_at == T0
    assert mark.entered_by == "t1"
    assert mark.comment == "отлично"
    assert j.marks[mark.id] == mark
    assert change.journal_id == "9a-2025"
    assert (change.actor_id, change.actor_role, change.at) == ("t1", Role.SUBJECT_TEACHER, T0)
    assert change.action is Action.RECORD_MARK
    assert change.before is None
    assert change.reason == ""
    assert (change.student_id, change.course_id, change.period_id, change.lesson_id) == ("st1", "c-math", "q1", "l1")
    assert j.pending_changes == [change]
    assert j.marks_of("st1", "c-math") == [mark]


def test_record_mark_uses_the_injected_clock(j: ClassJournal) -> None:
    clock = j.clock
    assert isinstance(clock, FixedClock)
    later = datetime(2025, 9, 9, 18, 30, tzinfo=UTC)
    clock.advance_to(later)
    change = j.record_mark("st1", "l1", 3, "cw", by=TEACHER)
    assert change.at == later
    assert isinstance(change.after, Mark)
    assert change.after.entered_at == later


def test_several_marks_on_one_lesson_are_allowed(j: ClassJournal) -> None:
    a = add_mark(j, value=5)
    b = add_mark(j, value=3)
    assert a.id != b.id
    assert [m.value for m in j.marks_of("st1", "c-math")] == [5, 3]
    assert len(j.pending_changes) == 2


def test_record_mark_with_an_explicit_id(j: ClassJournal) -> None:
    j.record_mark("st1", "l1", 4, "cw", by=TEACHER, mark_id="M-1")
    assert "M-1" in j.marks
    with unchanged(j), pytest.raises(InvalidInput) as e:
        j.record_mark("st1", "l1", 5, "cw", by=TEACHER, mark_id="M-1")
    assert e.value.value == "M-1"


@pytest.mark.parametrize("value", [0, 6, -1, 10, True, False, Status.NOT_CERTIFIED, Status.EXEMPT, Status.PASS])
def test_record_mark_refuses_a_value_off_the_course_scale(j: ClassJournal, value: object) -> None:
    with unchanged(j), pytest.raises(InvalidInput) as e:
        j.record_mark("st1", "l1", value, "cw", by=TEACHER)  # type: ignore[arg-type]
    assert e.value.where.endswith(".value")
    assert e.value.value is value
    assert "five" in str(e.value)


@pytest.mark.parametrize("value", ["5", 4.0, None, Fraction(4)])
def test_record_mark_refuses_values_that_are_not_marks(j: ClassJournal, value: object) -> None:
    with unchanged(j), pytest.raises(InvalidInput):
        j.record_mark("st1", "l1", value, "cw", by=TEACHER)  # type: ignore[arg-type]


def test_each_course_checks_its_own_scale(j: ClassJournal) -> None:
    j.record_mark("st1", "l5", 9, "cw", by=TEACHER)  # ten-point course
    with unchanged(j), pytest.raises(InvalidInput):
        j.record_mark("st1", "l1", 9, "cw", by=TEACHER)  # five-point course
    j.record_mark("st1", "l4", Status.PASS, "cw", by=TEACHER)  # pass/fail course
    j.record_mark("st1", "l4", Status.FAIL, "cw", by=TEACHER)
    with unchanged(j), pytest.raises(InvalidInput):
        j.record_mark("st1", "l4", 5, "cw", by=TEACHER)
    with unchanged(j), pytest.raises(InvalidInput):
        j.record_mark("st1", "l4", Status.NOT_CERTIFIED, "cw", by=TEACHER)  # a result status, not a current mark


@pytest.mark.parametrize(
    ("student", "lesson", "work_type", "kind", "missing"),
    [
        ("nobody", "l1", "cw", "student", "nobody"),
        ("st1", "l99", "cw", "lesson", "l99"),
        ("st1", "l1", "essay", "work type", "essay"),
    ],
)
def test_record_mark_unknown_ids_raise_not_found(
    j: ClassJournal, student: str, lesson: str, work_type: str, kind: str, missing: str
) -> None:
    with unchanged(j), pytest.raises(NotFound) as e:
        j.record_mark(student, lesson, 4, work_type, by=TEACHER)
    assert e.value.kind == kind
    assert e.value.id == missing
    assert repr(missing) in str(e.value)


def test_record_mark_needs_the_student_enrolled_on_the_lesson_date(j: ClassJournal) -> None:
    # st2 arrived on 1 October: not on 2 September
    with unchanged(j), pytest.raises(InvalidInput) as e:
        j.record_mark("st2", "l1", 4, "cw", by=TEACHER)
    assert "st2" in str(e.value)
    assert e.value.value == "2025-09-02"
    # st3 left on 20 November: marks before that are fine, after it refused
    add_mark(j, "st3", "l2")
    with unchanged(j), pytest.raises(InvalidInput):
        j.record_mark("st3", "l6", 4, "cw", by=TEACHER)
    add_mark(j, "st2", "l2")


def test_enrolment_bounds_are_inclusive(j: ClassJournal) -> None:
    j.add_lesson(Lesson("first-day", "c-math", date(2025, 10, 1)), by=TEACHER)
    j.add_lesson(Lesson("last-day", "c-math", date(2025, 11, 20)), by=TEACHER)
    add_mark(j, "st2", "first-day")  # arrives that day
    add_mark(j, "st3", "last-day")  # leaves that day


def test_record_mark_needs_a_lesson_inside_a_period(j: ClassJournal) -> None:
    with unchanged(j), pytest.raises(InvalidInput) as e:
        j.record_mark("st1", "hol", 4, "cw", by=TEACHER)
    assert "no period" in str(e.value)
    assert e.value.value == "2025-10-29"


def test_record_mark_needs_a_lesson_inside_the_year(j: ClassJournal) -> None:
    with unchanged(j), pytest.raises(InvalidInput) as e:
        j.record_mark("st1", "out", 4, "cw", by=TEACHER)
    assert "2025/2026" in str(e.value)


def test_a_course_on_half_years_takes_marks_in_the_quarter_holidays(j: ClassJournal) -> None:
    change = j.record_mark("st1", "l3", 5, "cw", by=TEACHER)
    assert change.period_id == "h1"


@pytest.mark.parametrize("actor", [TEACHER, CLASS_TEACHER, STUDENT])
def test_closed_period_is_locked_for_non_administrators(j: ClassJournal, actor: Actor) -> None:
    j.close_period("q1", by=ADMIN)
    with unchanged(j), pytest.raises(PeriodLocked) as e:
        j.record_mark("st1", "l1", 4, "cw", by=actor, reason="исправление")
    assert e.value.period_id == "q1"
    assert "q1" in str(e.value)


@pytest.mark.parametrize("reason", ["", "   "])
def test_administrator_needs_a_reason_in_a_closed_period(j: ClassJournal, reason: str) -> None:
    j.close_period("q1", by=ADMIN)
    with unchanged(j), pytest.raises(PeriodLocked) as e:
        j.record_mark("st1", "l1", 4, "cw", by=ADMIN, reason=reason)
    assert "reason" in str(e.value)


@pytest.mark.parametrize("actor", [ADMIN, SYSTEM])
def test_administrator_with_a_reason_may_change_a_closed_period(j: ClassJournal, actor: Actor) -> None:
    j.close_period("q1", by=ADMIN)
    change = j.record_mark("st1", "l1", 4, "cw", by=actor, reason="ошибка ввода, служебная записка № 5")
    assert change.reason == "ошибка ввода, служебная записка № 5"
    assert change.actor_role is actor.role


def test_closing_one_period_leaves_the_others_open(j: ClassJournal) -> None:
    j.close_period("q1", by=ADMIN)
    add_mark(j, "st1", "l2")  # quarter 2
    j.record_mark("st1", "l3", 5, "cw", by=TEACHER)  # half-year 1 is another scheme's period
    j.close_period("h1", by=ADMIN)
    with unchanged(j), pytest.raises(PeriodLocked):
        j.record_mark("st1", "l3", 5, "cw", by=TEACHER)
    add_mark(j, "st1", "l2")  # quarter 2 of math still open


# ---------------------------------------------------------------------- correct_mark / delete_mark
def test_correct_mark_records_before_and_after(j: ClassJournal) -> None:
    old = add_mark(j, value=3)
    change = j.correct_mark(old.id, 4, by=TEACHER, reason="пересчёт")
    assert change.action is Action.CORRECT_MARK
    assert change.before == old
    assert isinstance(change.after, Mark)
    assert change.after.value == 4
    assert change.after.id == old.id
    assert change.reason == "пересчёт"
    assert j.marks[old.id].value == 4
    assert (change.student_id, change.course_id, change.period_id, change.lesson_id) == ("st1", "c-math", "q1", "l1")
    assert j.pending_changes[-1] == change


def test_correct_mark_may_change_only_the_work_type(j: ClassJournal) -> None:
    old = add_mark(j, value=3)
    change = j.correct_mark(old.id, 3, by=TEACHER, work_type_id="test")
    assert isinstance(change.after, Mark)
    assert change.after.work_type_id == "test"


def test_correct_mark_refuses_a_correction_that_changes_nothing(j: ClassJournal) -> None:
    old = add_mark(j, value=3)
    with unchanged(j), pytest.raises(InvalidInput):
        j.correct_mark(old.id, 3, by=TEACHER)


def test_correct_mark_checks_scale_ids_and_lock(j: ClassJournal) -> None:
    old = add_mark(j, value=3)
    with unchanged(j), pytest.raises(InvalidInput):
        j.correct_mark(old.id, 7, by=TEACHER)
    with unchanged(j), pytest.raises(NotFound) as e:
        j.correct_mark("m-missing", 4, by=TEACHER)
    assert (e.value.kind, e.value.id) == ("mark", "m-missing")
    with unchanged(j), pytest.raises(NotFound):
        j.correct_mark(old.id, 4, by=TEACHER, work_type_id="essay")
    j.close_period("q1", by=ADMIN)
    with unchanged(j), pytest.raises(PeriodLocked):
        j.correct_mark(old.id, 4, by=TEACHER, reason="ошибка")
    with unchanged(j), pytest.raises(PeriodLocked):
        j.correct_mark(old.id, 4, by=ADMIN)
    assert j.correct_mark(old.id, 4, by=ADMIN, reason="ошибка").reason == "ошибка"


def test_delete_mark_keeps_the_mark_in_the_change(j: ClassJournal) -> None:
    old = add_mark(j)
    change = j.delete_mark(old.id, by=TEACHER)
    assert change.action is Action.DELETE_MARK
    assert (change.before, change.after) == (old, None)
    assert old.id not in j.marks
    assert j.marks_of("st1", "c-math") == []  # the lookup index follows the change
    with unchanged(j), pytest.raises(NotFound):
        j.delete_mark(old.id, by=TEACHER)


def test_delete_mark_in_a_closed_period(j: ClassJournal) -> None:
    old = add_mark(j)
    j.close_period("q1", by=ADMIN)
    with unchanged(j), pytest.raises(PeriodLocked):
        j.delete_mark(old.id, by=TEACHER, reason="ошибка")
    with unchanged(j), pytest.raises(PeriodLocked):
        j.delete_mark(old.id, by=ADMIN)
    assert j.delete_mark(old.id, by=ADMIN, reason="ошибка").before == old


# ---------------------------------------------------------------------- attendance
def test_record_replace_and_clear_attendance(j: ClassJournal) -> None:
    first = j.record_attendance("st1", "l1", "н", by=TEACHER)
    assert first.action is Action.RECORD_ATTENDANCE
    assert first.before is None
    assert first.after == AttendanceRecord("st1", "l1", "н", T0, "t1")
    second = j.record_attendance("st1", "l1", "б", by=CLASS_TEACHER, reason="справка")
    assert second.before == first.after
    assert isinstance(second.after, AttendanceRecord)
    assert second.after.code == "б"
    assert [a.code for a in j.absences_of("st1", "c-math")] == ["б"]
    cleared = j.record_attendance("st1", "l1", None, by=TEACHER)
    assert cleared.action is Action.CLEAR_ATTENDANCE
    assert (cleared.before, cleared.after) == (second.after, None)
    assert j.attendance == {}
    assert j.pending_changes == [first, second, cleared]


def test_being_late_is_not_an_absence(j: ClassJournal) -> None:
    j.record_attendance("st1", "l1", "о", by=TEACHER)
    assert j.absences_of("st1") == []


def test_attendance_errors_change_nothing(j: ClassJournal) -> None:
    with unchanged(j), pytest.raises(InvalidInput) as e:
        j.record_attendance("st1", "l1", "x", by=TEACHER)
    assert e.value.value == "x"
    assert e.value.where.endswith(".code")
    with unchanged(j), pytest.raises(InvalidInput):
        j.record_attendance("st1", "l1", None, by=TEACHER)  # nothing to clear
    with unchanged(j), pytest.raises(InvalidInput):
        j.record_attendance("st2", "l1", "н", by=TEACHER)  # not enrolled yet
    with unchanged(j), pytest.raises(NotFound):
        j.record_attendance("ghost", "l1", "н", by=TEACHER)
    with unchanged(j), pytest.raises(NotFound):
        j.record_attendance("st1", "ghost", "н", by=TEACHER)
    with unchanged(j), pytest.raises(InvalidInput):
        j.record_attendance("st1", "hol", "н", by=TEACHER)
    j.close_period("q1", by=ADMIN)
    with unchanged(j), pytest.raises(PeriodLocked):
        j.record_attendance("st1", "l1", "н", by=TEACHER)


# ---------------------------------------------------------------------- result marks
def test_set_period_mark_and_clear_it(j: ClassJournal) -> None:
    change = j.set_period_mark("st1", "c-math", "q1", 4, by=TEACHER, reason="по итогам контрольной")
    assert change.action is Action.SET_RESULT
    assert change.before is None
    assert change.after == ResultMark("st1", "c-math", ResultKind.PERIOD, 4, T0, "t1", "q1", "по итогам контрольной")
    assert (change.student_id, change.course_id, change.period_id) == ("st1", "c-math", "q1")
    assert j.result("st1", "c-math", ResultKind.PERIOD, "q1") == change.after
    again = j.set_period_mark("st1", "c-math", "q1", 5, by=TEACHER)
    assert again.before == change.after
    cleared = j.set_period_mark("st1", "c-math", "q1", None, by=TEACHER)
    assert cleared.action is Action.CLEAR_RESULT
    assert cleared.after is None
    assert j.results == {}
    with unchanged(j), pytest.raises(InvalidInput):
        j.set_period_mark("st1", "c-math", "q1", None, by=TEACHER)


@pytest.mark.parametrize("status", [Status.NOT_CERTIFIED, Status.EXEMPT])
def test_period_marks_accept_result_statuses(j: ClassJournal, status: Status) -> None:
    j.set_period_mark("st1", "c-math", "q1", status, by=TEACHER)
    record = j.result("st1", "c-math", ResultKind.PERIOD, "q1")
    assert record is not None
    assert record.value is status


def test_pass_fail_results(j: ClassJournal) -> None:
    j.set_period_mark("st1", "c-pf", "q1", Status.PASS, by=TEACHER)
    j.set_annual_mark("st1", "c-pf", Status.FAIL, by=TEACHER)
    with unchanged(j), pytest.raises(InvalidInput):
        j.set_annual_mark("st1", "c-pf", 5, by=TEACHER)


def test_period_mark_errors(j: ClassJournal) -> None:
    with unchanged(j), pytest.raises(InvalidInput):
        j.set_period_mark("st1", "c-math", "q1", 6, by=TEACHER)
    with unchanged(j), pytest.raises(NotFound) as e:
        j.set_period_mark("st1", "c-math", "h1", 4, by=TEACHER)  # not the course's scheme
    assert e.value.id == "h1"
    with unchanged(j), pytest.raises(NotFound) as e:
        j.set_period_mark("st1", "c-nope", "q1", 4, by=TEACHER)
    assert (e.value.kind, e.value.id) == ("course", "c-nope")
    with unchanged(j), pytest.raises(NotFound) as e:
        j.set_period_mark("ghost", "c-math", "q1", 4, by=TEACHER)
    assert (e.value.kind, e.value.id) == ("student", "ghost")
    j.set_period_mark("st1", "c-tl", "h1", 5, by=TEACHER)  # half-year course


def test_period_mark_in_a_closed_period(j: ClassJournal) -> None:
    j.close_period("q1", by=ADMIN)
    with unchanged(j), pytest.raises(PeriodLocked):
        j.set_period_mark("st1", "c-math", "q1", 4, by=TEACHER, reason="итог")
    with unchanged(j), pytest.raises(PeriodLocked):
        j.set_period_mark("st1", "c-math", "q1", 4, by=ADMIN)
    change = j.set_period_mark("st1", "c-math", "q1", 4, by=ADMIN, reason="решение педсовета")
    assert isinstance(change.after, ResultMark)
    assert change.after.reason == "решение педсовета"
    j.set_period_mark("st1", "c-math", "q2", 4, by=TEACHER)  # another quarter stays open


def test_annual_exam_and_final_marks_lock_with_the_year(j: ClassJournal) -> None:
    for q in ("q1", "q2", "q3", "q4"):
        j.close_period(q, by=ADMIN)
    annual = j.set_annual_mark("st1", "c-math", 4, by=TEACHER)  # closing the quarters does not lock it
    assert annual.period_id == ""
    assert isinstance(annual.after, ResultMark)
    assert annual.after.key == ResultKey("st1", "c-math", ResultKind.ANNUAL)
    j.set_exam_mark("st1", "c-math", 8, by=TEACHER)
    j.set_final_mark("st1", "c-math", 4, by=TEACHER)
    j.close_period(YEAR, by=ADMIN)
    for command in (j.set_annual_mark, j.set_exam_mark, j.set_final_mark):
        with unchanged(j), pytest.raises(PeriodLocked) as e:
            command("st1", "c-math", 5, by=TEACHER, reason="апелляция")
        assert e.value.period_id == YEAR
    assert j.set_final_mark("st1", "c-math", 5, by=ADMIN, reason="апелляция").before is not None


def test_exam_marks_use_the_exam_scale_and_need_an_examined_course(j: ClassJournal) -> None:
    j.set_exam_mark("st1", "c-math", 9, by=TEACHER)  # exam scale: ten-point
    with unchanged(j), pytest.raises(InvalidInput):
        j.set_annual_mark("st1", "c-math", 9, by=TEACHER)  # course scale: five-point
    with unchanged(j), pytest.raises(InvalidInput) as e:
        j.set_exam_mark("st1", "c-eng", 9, by=TEACHER)
    assert "examined" in e.value.where
    with unchanged(j), pytest.raises(NotFound):
        j.set_exam_mark("st1", "c-nope", 9, by=TEACHER)


# ---------------------------------------------------------------------- decisions
def test_set_decision_adds_to_the_history(j: ClassJournal) -> None:
    d = Decision("st1", DecisionKind.ADMITTED_TO_EXAM, date(2026, 5, 20), "№ 8")
    change = j.set_decision(d, by=ADMIN)
    assert change.action is Action.SET_DECISION
    assert (change.before, change.after, change.student_id) == (None, d, "st1")
    d2 = Decision("st1", DecisionKind.GRADUATED, date(2026, 6, 25), "№ 10")
    assert j.set_decision(d2, by=ADMIN).before is None  # the earlier decision stays
    assert j.decisions == {d.key: d, d2.key: d2}
    assert j.decision_history("st1") == (d, d2)
    assert j.decision_in_force("st1") == d2


@pytest.mark.parametrize(
    ("decision", "error"),
    [
        (Decision("st1", DecisionKind.PROMOTED, date(2026, 5, 28), "  "), InvalidInput),
        (Decision("st1", DecisionKind.PROMOTED, date(2026, 9, 1), "№ 9"), InvalidInput),
        (Decision("st1", DecisionKind.PROMOTED, date(2025, 8, 31), "№ 9"), InvalidInput),
        (Decision("ghost", DecisionKind.PROMOTED, date(2026, 5, 28), "№ 9"), NotFound),
    ],
)
def test_decision_errors_change_nothing(j: ClassJournal, decision: Decision, error: type[EjournalError]) -> None:
    with unchanged(j), pytest.raises(error):
        j.set_decision(decision, by=ADMIN)


def test_decisions_lock_with_the_year(j: ClassJournal) -> None:
    j.close_period(YEAR, by=ADMIN)
    d = Decision("st1", DecisionKind.PROMOTED, date(2026, 5, 28), "№ 9", to_grade=10)
    with unchanged(j), pytest.raises(PeriodLocked):
        j.set_decision(d, by=CLASS_TEACHER, reason="педсовет")
    assert j.set_decision(d, by=ADMIN, reason="педсовет").after == d


# ---------------------------------------------------------------------- closing and reopening
def test_close_period(j: ClassJournal) -> None:
    change = j.close_period("q1", by=ADMIN, reason="конец четверти")
    assert change.action is Action.CLOSE_PERIOD
    assert (change.before, change.after) == (None, PeriodClosure("q1"))
    assert change.period_id == "q1"
    assert j.is_closed("q1")
    with unchanged(j), pytest.raises(InvalidInput):
        j.close_period("q1", by=ADMIN)
    with unchanged(j), pytest.raises(NotFound) as e:
        j.close_period("q9", by=ADMIN)
    assert e.value.id == "q9"
    assert j.close_period(YEAR, by=ADMIN).period_id == YEAR


def test_reopen_needs_an_administrator_and_a_reason(j: ClassJournal) -> None:
    j.close_period("q1", by=ADMIN)
    for actor in (TEACHER, CLASS_TEACHER):
        with unchanged(j), pytest.raises(PeriodLocked):
            j.reopen_period("q1", by=actor, reason="надо")
    with unchanged(j), pytest.raises(PeriodLocked):
        j.reopen_period("q1", by=ADMIN, reason=" ")
    change = j.reopen_period("q1", by=ADMIN, reason="ошибка в итоговых")
    assert change.action is Action.REOPEN_PERIOD
    assert (change.before, change.after, change.reason) == (PeriodClosure("q1"), None, "ошибка в итоговых")
    assert not j.is_closed("q1")
    add_mark(j)  # open again for the teacher
    with unchanged(j), pytest.raises(InvalidInput):
        j.reopen_period("q1", by=ADMIN, reason="ещё раз")
    with unchanged(j), pytest.raises(NotFound):
        j.reopen_period("zz", by=ADMIN, reason="ошибка")


# ---------------------------------------------------------------------- lessons
def test_add_lesson(j: ClassJournal) -> None:
    lesson = Lesson("new", "c-math", date(2025, 9, 5), "Уравнения", "№ 5", 3)
    change = j.add_lesson(lesson, by=TEACHER)
    assert change.action is Action.ADD_LESSON
    assert (change.before, change.after) == (None, lesson)
    assert (change.course_id, change.period_id, change.lesson_id) == ("c-math", "q1", "new")
    assert lesson in j.lessons_of("c-math")
    assert j.lessons_on("c-math", date(2025, 9, 5)) == [lesson]


@pytest.mark.parametrize(
    ("lesson", "error"),
    [
        (Lesson("l1", "c-math", date(2025, 9, 5)), InvalidInput),  # duplicate id
        (Lesson("x", "c-nope", date(2025, 9, 5)), NotFound),
        (Lesson("x", "c-math", date(2025, 10, 30)), InvalidInput),  # autumn break
        (Lesson("x", "c-math", date(2026, 7, 1)), InvalidInput),  # summer
        (Lesson("x", "c-math", date(2025, 8, 31)), InvalidInput),  # before the year
    ],
)
def test_add_lesson_errors(j: ClassJournal, lesson: Lesson, error: type[EjournalError]) -> None:
    with unchanged(j), pytest.raises(error):
        j.add_lesson(lesson, by=TEACHER)


def test_add_and_edit_lessons_in_a_closed_period(j: ClassJournal) -> None:
    j.close_period("q1", by=ADMIN)
    with unchanged(j), pytest.raises(PeriodLocked):
        j.add_lesson(Lesson("x", "c-math", date(2025, 9, 5)), by=TEACHER)
    with unchanged(j), pytest.raises(PeriodLocked):
        j.edit_lesson("l1", by=TEACHER, topic="Другое")
    assert j.edit_lesson("l1", by=ADMIN, topic="Другое", reason="опечатка").reason == "опечатка"


def test_edit_lesson(j: ClassJournal) -> None:
    old = j.lessons["l1"]
    change = j.edit_lesson("l1", by=TEACHER, homework="№ 2, 3")
    assert change.action is Action.EDIT_LESSON
    assert change.before == old
    assert isinstance(change.after, Lesson)
    assert (change.after.topic, change.after.homework) == ("Дроби", "№ 2, 3")
    with unchanged(j), pytest.raises(NotFound):
        j.edit_lesson("nope", by=TEACHER, topic="x")


# ---------------------------------------------------------------------- the aggregate as a whole
def test_take_pending_changes_hands_them_over_once(j: ClassJournal) -> None:
    a = j.record_mark("st1", "l1", 5, "cw", by=TEACHER)
    b = j.close_period("q1", by=ADMIN)
    assert j.take_pending_changes() == [a, b]
    assert j.pending_changes == []
    assert j.take_pending_changes() == []


def test_equality_ignores_pending_changes_version_and_clock(j: ClassJournal) -> None:
    other = make_journal()
    assert j == other
    other.version = 7
    other.pending_changes.append(j.close_period("q1", by=ADMIN))
    assert j != other  # j now has a closed period
    other.closed_periods.add("q1")
    assert j == other
    assert j != "9a-2025"


def test_lookups(j: ClassJournal) -> None:
    add_mark(j, "st1", "l1", 5)
    add_mark(j, "st1", "l7", 3)
    q1 = j.period("c-math", "q1")
    assert [m.value for m in j.marks_of("st1", "c-math", q1)] == [5]
    assert [m.value for m in j.marks_of("st1", "c-math")] == [5, 3]
    assert [le.id for le in j.lessons_of("c-math", q1)] == ["l1"]
    assert [c.id for c in j.courses_in_order()] == ["c-math", "c-tl", "c-eng", "c-pf"]
    assert [s.id for s in j.students_in_order()] == ["st1", "st2", "st3"]
    assert j.exam_scale_of("c-math").id == "ten"
    assert j.exam_scale_of("c-eng").id == "ten"
    assert j.subject_of("c-tl").id == "tatlit"
    assert j.period_of_lesson(j.lessons["hol"]) is None
    with pytest.raises(NotFound):
        j.period("c-math", "h1")
    with pytest.raises(NotFound):
        j.student("ghost")


# ---------------------------------------------------------------------- construction checks references
def test_construction_lists_every_broken_reference() -> None:
    base = make_journal()
    with pytest.raises(InvalidInput) as e:
        ClassJournal(
            base.school,
            base.class_group,
            students=dict(base.students),
            teachers=dict(base.teachers),
            subjects=dict(base.subjects),
            courses={**base.courses, "c-bad": Course("c-bad", "nosubject", "t9", 1, "noscheme", scale_id="noscale")},
            schemes=dict(base.schemes),
            work_types=dict(base.work_types),
            lessons={**base.lessons, "lx": Lesson("lx", "c-none", date(2025, 9, 2))},
            marks={
                "m1": Mark("m1", "ghost", "l1", 5, "cw", T0, "t1"),
                "m2": Mark("other", "st1", "l1", 5, "zz", T0, "t1"),
            },
        )
    wheres = [p.where for p in e.value.problems]
    assert "courses['c-bad'].subject_id" in wheres
    assert "courses['c-bad'].scheme_id" in wheres
    assert "courses['c-bad'].scale_id" in wheres
    assert "courses['c-bad'].teacher_id" in wheres
    assert "lessons['lx'].course_id" in wheres
    assert "marks['m1'].student_id" in wheres
    assert "marks['m2']" in wheres  # key differs from the id
    assert "marks['m2'].work_type_id" in wheres
    assert len(e.value.problems) >= 8


def test_construction_checks_schemes_results_decisions_and_closures() -> None:
    base = make_journal()
    wrong_year = quarters(AcademicYear(2024), prefix="w")
    with pytest.raises(InvalidInput) as e:
        ClassJournal(
            base.school,
            ClassGroup("9a-2025", 9, "А", YEAR_2025, "t-missing"),
            students=dict(base.students),
            teachers=dict(base.teachers),
            subjects=dict(base.subjects),
            courses=dict(base.courses),
            schemes={**base.schemes, wrong_year.id: wrong_year, "dup": quarters(YEAR_2025)},
            work_types=dict(base.work_types),
            results={
                ResultKey("st1", "c-math", ResultKind.PERIOD, "h1"): ResultMark(
                    "st1", "c-math", ResultKind.PERIOD, 4, T0, "t1", "h1"
                )
            },
            decisions={
                ("ghost", date(2026, 5, 28), "promoted"): Decision(
                    "ghost", DecisionKind.PROMOTED, date(2026, 5, 28), "1"
                )
            },
            closed_periods={"zz"},
        )
    text = str(e.value)
    wheres = [p.where for p in e.value.problems]
    assert "class_group.class_teacher_id" in wheres
    assert f"schemes[{wrong_year.id!r}]" in wheres
    assert any(w.startswith("schemes['dup']") for w in wheres)  # period ids reused by another scheme
    assert any(w.startswith("results[") for w in wheres)
    assert "decisions[('ghost', datetime.date(2026, 5, 28), 'promoted')]" in wheres
    assert "closed_periods" in wheres
    assert "zz" in text


def test_the_year_period_id_is_reserved() -> None:
    base = make_journal()
    from ejournal.core import Period, PeriodKind, PeriodScheme

    bad = PeriodScheme("y", (Period(YEAR, PeriodKind.YEAR, 1, date(2025, 9, 1), date(2026, 5, 31)),))
    with pytest.raises(InvalidInput) as e:
        ClassJournal(base.school, base.class_group, schemes={"y": bad})
    assert any("reserved" in p.message for p in e.value.problems)


def test_default_scales_and_codes_are_copies() -> None:
    a = make_journal()
    a.scales.pop("ten")
    assert "ten" in BUILTIN_SCALES
    assert "ten" in make_journal().scales


def test_only_an_administrator_closes_a_period(j: ClassJournal) -> None:
    from ejournal.core import PermissionDenied

    for actor in (TEACHER, CLASS_TEACHER, STUDENT):
        with unchanged(j), pytest.raises(PermissionDenied, match="close"):
            j.close_period("q1", by=actor)
    j.close_period("q1", by=ADMIN)
    assert j.is_closed("q1")


def test_a_course_taught_without_marks_refuses_marks() -> None:
    j = make_journal()
    j.subjects["math"] = Subject("math", "Математика", 1, AssessmentKind.NONE)
    with unchanged(j), pytest.raises(InvalidInput, match="without marks"):
        j.record_mark("st1", "l1", 5, "cw", by=TEACHER)


def test_an_edit_that_changes_nothing_is_refused(j: ClassJournal) -> None:
    with unchanged(j), pytest.raises(InvalidInput, match="changes nothing"):
        j.edit_lesson("l1", by=TEACHER, topic="Дроби")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "promoted"}, "kind"),
        ({"council_date": "2026-05-30"}, "council_date"),
        ({"protocol": 7}, "protocol"),
        ({"to_grade": 13}, "to_grade"),
        ({"to_grade": True}, "to_grade"),
    ],
)
def test_decision_values_are_checked_on_construction(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "student_id": "st1",
        "kind": DecisionKind.PROMOTED,
        "council_date": date(2026, 5, 30),
        "protocol": "7",
        "to_grade": 10,
    }
    args.update(kwargs)
    with pytest.raises(InvalidInput) as e:
        Decision(**args)  # type: ignore[arg-type]
    assert field in e.value.where


def test_an_unknown_student_is_not_found_before_the_exam_check(j: ClassJournal) -> None:
    with unchanged(j), pytest.raises(NotFound, match="ghost"):
        j.set_exam_mark("ghost", "c-tl", 5, by=TEACHER)


def test_copy_is_equal_independent_and_fresh(j: ClassJournal) -> None:
    add_mark(j)
    copy = j.copy(version=7)
    assert copy == j
    assert copy.version == 7
    assert copy.pending_changes == []
    assert j.pending_changes != []
    copy.record_mark("st1", "l1", 5, "cw", by=TEACHER)
    assert copy != j
    assert len(j.marks) == 1
    assert copy.clock is j.clock
    other = School("s2", "Школа № 2")
    assert j.copy(school=other).school == other


@pytest.mark.parametrize(
    ("call", "missing"),
    [
        (lambda j: j.marks_of("ghost", "c-math"), "ghost"),
        (lambda j: j.marks_of("st1", "no-course"), "no-course"),
        (lambda j: j.lessons_of("no-course"), "no-course"),
        (lambda j: j.result("ghost", "c-math", ResultKind.ANNUAL), "ghost"),
        (lambda j: j.absences_of("ghost"), "ghost"),
        (lambda j: j.absences_of("st1", "no-course"), "no-course"),
    ],
)
def test_lookups_with_unknown_ids_raise_not_found(j: ClassJournal, call: object, missing: str) -> None:
    with pytest.raises(NotFound) as e:
        call(j)  # type: ignore[operator]
    assert e.value.id == missing


@pytest.mark.parametrize("factory", [quarters, half_years])
def test_period_scheme_factories_check_their_arguments(factory: object) -> None:
    with pytest.raises(InvalidInput, match="AcademicYear"):
        factory("2025/2026")  # type: ignore[operator]
    with pytest.raises(InvalidInput, match="prefix"):
        factory(YEAR_2025, "")  # type: ignore[operator]

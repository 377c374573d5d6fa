"""The diary: a student's week and period report, with expectations worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import attrs
import pytest
from test_validation import Args, Y, add_lesson, add_mark, attend, make, result, student

from ejournal.core import AssessmentKind, Course, Lesson, ResultKind, Status, Subject, half_years
from ejournal.core.diary import NextGrade, format_average, period_report, week
from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.grading import builtin_policy

FEDERAL = builtin_policy("federal")


# ---------------------------------------------------------------------- week


def test_week_shows_lessons_marks_and_attendance() -> None:
    j = make(lambda a: attend(a, "s2", "c-math-3", "б"))
    w = week(j, "s2", date(2025, 9, 15))
    assert [d.date for d in w.days] == [date(2025, 9, 15) + timedelta(days=i) for i in range(6)]  # Mon-Sat
    tuesday = w.day(date(2025, 9, 16))
    assert [le.subject for le in tuesday.lessons] == ["Математика", "Музыка"]  # both lesson 1: curriculum order
    math = tuesday.lessons[0]
    assert (math.topic, math.homework, math.attendance, math.attendance_label) == ("Тема 3", "Задание 3", "б", "болел")
    assert [(m.value, m.work_type_id, m.work_type, m.weight) for m in math.marks] == [(3, "cw", "классная работа", 1)]
    assert tuesday.lessons[1].attendance is None
    assert [m.value for m in w.marks] == [3, 3]
    assert all(not d.lessons for d in w.days if d.date != date(2025, 9, 16))


def test_week_orders_by_lesson_number_and_shows_sunday_only_with_lessons() -> None:
    def edit(a: Args) -> None:
        add_lesson(a, "early", "c-music", date(2025, 9, 16), number=0)
        add_lesson(a, "sun", "c-math", date(2025, 9, 21))

    w = week(make(edit), "s1", date(2025, 9, 15))
    assert [le.lesson_id for le in w.day(date(2025, 9, 16)).lessons] == ["early", "c-math-3", "c-music-3"]
    assert len(w.days) == 7
    assert [le.lesson_id for le in w.days[-1].lessons] == ["sun"]


def test_week_hides_days_before_enrolment() -> None:
    j = make(lambda a: a["students"].update(s3=student("s3", "Сидоров", "Пётр", "", enrolled=date(2025, 9, 10))))
    assert week(j, "s3", date(2025, 9, 8)).marks == []
    assert [d.lessons for d in week(j, "s3", date(2025, 9, 1)).days] == [()] * 6
    assert len(week(j, "s3", date(2025, 9, 15)).day(date(2025, 9, 16)).lessons) == 2


def test_week_errors() -> None:
    j = make()
    with pytest.raises(NotFound):
        week(j, "nobody", date(2025, 9, 15))
    with pytest.raises(InvalidInput):
        week(j, "s1", date(2025, 9, 16))  # a Tuesday
    with pytest.raises(NotFound):
        week(j, "s1", date(2025, 9, 15)).day(date(2025, 9, 22))


# ---------------------------------------------------------------------- period report


def test_period_report_average_proposal_and_next_grade() -> None:
    report = period_report(make(), "s2", "q1", FEDERAL)
    math = report.subject("c-math")
    assert [m.value for m in math.marks] == [4, 4, 3]
    assert math.average == Fraction(11, 3)
    assert math.average_text("ru") == "3,66"  # truncated, not rounded up to 3,67
    assert math.average_text("en") == "3.66"
    assert math.proposed == 4  # 3.67 ≥ 3.5
    assert math.period_mark is None
    assert math.explanation is not None
    assert "11/3" in math.explain("en")
    # For a 5 (mean ≥ 4.5) with tests of weight 2: (11 + 10k) / (3 + 2k): k=2 → 31/7 ≈ 4.43, k=3 → 41/9 ≈ 4.56.
    (five,) = math.next_grades
    assert (five.target, five.reachable) == (5, True)
    assert five.marks == ((5, "test", "контрольная"),) * 3
    assert five.text("ru") == "Для «5» нужно ещё 3 отметки: 3 × «5» (контрольная)."
    assert five.text("en") == "For a 5: 3 more marks: 3 × 5 (контрольная)."


def test_top_student_has_no_next_grade() -> None:
    math = period_report(make(), "s1", "q1", FEDERAL).subject("math")
    assert (math.proposed, math.average, math.next_grades) == (5, Fraction(5), ())


def test_next_grades_from_a_failing_mark() -> None:
    # Marks 2, 2, 2 → mean 2 → "2".  For a 3 (mean ≥ 2.5) one test suffices: a 4 gives 14/5 = 2.8,
    # a 3 only 12/5 = 2.4.  For a 4 (≥ 3.5): k tests of 5 give (6 + 10k) / (3 + 2k): k=3 → 36/9 = 4
    # (k=2 → 26/7 ≈ 3.71 also reaches 3.5), so two marks; a 5 needs (6 + 10k)/(3 + 2k) ≥ 4.5 → k ≥ 7.5 → 8.
    def edit(a: Args) -> None:
        for i in (1, 2, 3):
            add_mark(a, f"s2-c-math-{i}", "s2", f"c-math-{i}", 2)

    math = period_report(make(edit), "s2", "q1", FEDERAL).subject("c-math")
    assert math.proposed == 2
    assert [g.target for g in math.next_grades] == [3, 4, 5]
    three, four, five = math.next_grades
    assert three.marks == ((4, "test", "контрольная"),)
    assert three.text("ru") == "Для «3» нужно ещё 1 отметка: «4» (контрольная)."
    assert len(four.marks) == 2
    assert len(five.marks) == 8
    assert five.text("ru").startswith("Для «5» нужно ещё 8 отметок:")


def test_unreachable_next_grade() -> None:
    # "No 5 with a 2 in the period": a 2 caps the period mark at 4.
    policy = FEDERAL.evolve(period=attrs.evolve(FEDERAL.period, cap_at_most=2, cap_to=4))
    math = period_report(make(lambda a: add_mark(a, "two", "s1", "c-math-4", 2)), "s1", "q1", policy).subject("math")
    # 5, 5, 5, 2 → 17/4 = 4.25 → 4
    assert math.proposed == 4
    (five,) = math.next_grades
    assert not five.reachable
    assert five.text("ru") == "«5» за период уже не получить (даже с 20 новыми отметками)."
    assert five.text("en") == "A 5 for the period cannot be reached (not even with 20 more marks)."


def test_exempt_and_unmarked_subjects_have_no_next_grades() -> None:
    def edit(a: Args) -> None:
        result(a, "s2", "c-math", ResultKind.PERIOD, Status.EXEMPT, "q1")
        a["subjects"]["music"] = Subject("music", "Музыка", 2, AssessmentKind.NONE)

    report = period_report(make(edit), "s2", "q1", FEDERAL)
    math, music = report.subjects
    assert (math.proposed, math.period_mark, math.next_grades) == (Status.EXEMPT, Status.EXEMPT, ())
    assert (music.average, music.proposed, music.next_grades) == (None, None, ())
    assert music.average_text() == "—"
    assert music.explain() == ""


def test_period_by_date_and_other_schemes() -> None:
    h = half_years(Y)

    def edit(a: Args) -> None:
        a["schemes"][h.id] = h
        a["subjects"]["pe"] = Subject("pe", "Физкультура", 3)
        a["courses"]["c-pe"] = Course("c-pe", "pe", "t1", 1, h.id)
        a["lessons"]["pe-1"] = Lesson("pe-1", "c-pe", date(2025, 9, 3), "Бег", "—")
        add_mark(a, "pe-1", "s1", "pe-1", 5)

    j = make(edit)
    by_id = period_report(j, "s1", "q1", FEDERAL)
    assert [(s.course_id, s.period.id) for s in by_id.subjects] == [("c-math", "q1"), ("c-music", "q1"), ("c-pe", "h1")]
    assert by_id.on == date(2025, 10, 26)
    holiday = period_report(j, "s1", date(2025, 11, 1), FEDERAL)  # between q1 and q2: the last begun
    assert [s.period.id for s in holiday.subjects] == ["q1", "q1", "h1"]
    winter = period_report(j, "s1", date(2026, 1, 5), FEDERAL)
    assert [s.period.id for s in winter.subjects] == ["q2", "q2", "h1"]
    spring = period_report(j, "s1", date(2026, 4, 10), FEDERAL)
    assert [s.period.id for s in spring.subjects] == ["q4", "q4", "h2"]
    assert spring.subject("c-math").marks == ()
    assert spring.subject("c-math").proposed is None


def test_period_report_errors() -> None:
    j = make()
    with pytest.raises(NotFound):
        period_report(j, "nobody", "q1", FEDERAL)
    with pytest.raises(NotFound):
        period_report(j, "s1", "q9", FEDERAL)
    with pytest.raises(InvalidInput):
        period_report(j, "s1", 1, FEDERAL)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        period_report(j, "s1", "q1", FEDERAL).subject("history")


def test_render_text() -> None:
    text = period_report(make(), "s2", "q1", FEDERAL).render_text("ru")
    assert "Петрова Анна Сергеевна" in text
    assert "Математика (I четверть): Отметки 4 4 3; Средний балл 3,66; Расчётная отметка 4" in text
    assert "Для «5» нужно ещё 3 отметки" in text
    assert "Average 3.66" in period_report(make(), "s2", "q1", FEDERAL).render_text("en")


@pytest.mark.parametrize(
    ("value", "locale", "places", "text"),
    [
        (Fraction(9, 2), "ru", 2, "4,50"),
        (Fraction(4499, 1000), "ru", 2, "4,49"),
        (Fraction(4499, 1000), "en", 2, "4.49"),
        (Fraction(14, 3), "en", 1, "4.6"),
        (Fraction(39, 10), "en", 0, "3"),
        (None, "en", 2, "—"),
        (Fraction(-1, 3), "ru", 2, "-0,33"),
        (Fraction(-1, 1000), "en", 2, "0.00"),
    ],
)
def test_format_average(value: Fraction | None, locale: str, places: int, text: str) -> None:
    assert format_average(value, locale, places) == text


@pytest.mark.parametrize(
    ("n", "ru"),
    [(1, "1 отметка"), (2, "2 отметки"), (5, "5 отметок"), (11, "11 отметок"), (21, "21 отметка"), (12, "12 отметок")],
)
def test_russian_plural(n: int, ru: str) -> None:
    grade = NextGrade(5, True, ((5, "cw", "классная"),) * n)
    assert grade.text("ru").startswith(f"Для «5» нужно ещё {ru}:")

"""Entities: names, students, classes, subjects, courses, lessons, attendance codes."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from ejournal.core import (
    DEFAULT_ATTENDANCE_CODES,
    AbsenceReason,
    AcademicYear,
    AssessmentKind,
    ClassGroup,
    Course,
    InvalidInput,
    Lesson,
    Parent,
    PersonName,
    School,
    Student,
    Subject,
    Teacher,
)


@pytest.mark.parametrize(
    ("surname", "given", "where"),
    [
        ("", "Айдар", "name.surname"),
        ("   ", "Айдар", "name.surname"),
        ("Вәлиев", "", "name.given"),
        ("Вәлиев", "\t", "name.given"),
    ],
)
def test_person_name_needs_surname_and_given_name(surname: str, given: str, where: str) -> None:
    with pytest.raises(InvalidInput) as e:
        PersonName(surname, given)
    assert e.value.where == where
    assert e.value.value == (surname if where == "name.surname" else given)


def test_person_name_patronymic_is_optional_but_a_string() -> None:
    assert PersonName("Ким", "Анна").full == "Ким Анна"
    with pytest.raises(InvalidInput) as e:
        PersonName("Ким", "Анна", None)  # type: ignore[arg-type]
    assert e.value.where == "name.patronymic"


def test_person_name_forms() -> None:
    n = PersonName("Гыйләҗев", "Әмир", "Рәисович")
    assert n.full == "Гыйләҗев Әмир Рәисович"
    assert str(n) == n.full
    assert n.short == "Гыйләҗев Ә. Р."
    assert PersonName("Ёлкин", "Фёдор").short == "Ёлкин Ф."


def test_student_left_must_not_precede_enrolment() -> None:
    with pytest.raises(InvalidInput) as e:
        Student("s1", PersonName("Сафин", "Булат"), date(2025, 10, 1), left=date(2025, 9, 30))
    assert e.value.where == "student s1.left"
    assert e.value.value == "2025-09-30"
    assert "2025-10-01" in str(e.value)


def test_student_enrolment_interval_is_inclusive() -> None:
    s = Student("s1", PersonName("Сафин", "Булат"), date(2025, 10, 1), left=date(2025, 10, 1))
    assert s.enrolled_on(date(2025, 10, 1))
    assert not s.enrolled_on(date(2025, 9, 30))
    assert not s.enrolled_on(date(2025, 10, 2))
    open_ended = Student("s2", PersonName("Сафина", "Алсу"), date(2025, 9, 1))
    assert open_ended.enrolled_on(date(2026, 8, 31))
    with pytest.raises(InvalidInput) as e:
        Student(" ", PersonName("Сафина", "Алсу"), date(2025, 9, 1))
    assert e.value.where == "student.id"


@pytest.mark.parametrize("grade", [0, 13, -1, True, "9"])
def test_class_group_grade(grade: object) -> None:
    with pytest.raises(InvalidInput) as e:
        ClassGroup("c", grade, "А", AcademicYear(2025))  # type: ignore[arg-type]
    assert e.value.where == "class c.grade"
    assert e.value.value == grade


def test_class_group_letter_and_label() -> None:
    assert ClassGroup("c", 11, "Б", AcademicYear(2025)).label == "11Б"
    with pytest.raises(InvalidInput) as e:
        ClassGroup("c", 11, " ", AcademicYear(2025))
    assert e.value.where == "class c.letter"


@pytest.mark.parametrize(
    ("hours", "expected"), [(5, Fraction(5)), ("0.5", Fraction(1, 2)), (Fraction(3, 2), Fraction(3, 2))]
)
def test_course_hours_are_exact(hours: object, expected: Fraction) -> None:
    c = Course("c", "math", "t1", hours, "q2025")  # type: ignore[arg-type]
    assert c.hours_per_week == expected
    assert (c.scale_id, c.examined, c.exam_scale_id) == ("five", False, None)


@pytest.mark.parametrize("hours", [0.5, 1.0, True, "x"])
def test_course_refuses_inexact_hours(hours: object) -> None:
    with pytest.raises(InvalidInput) as e:
        Course("c", "math", "t1", hours, "q2025")  # type: ignore[arg-type]
    assert e.value.where == "course.hours_per_week"


@pytest.mark.parametrize("hours", [0, -1, "-0.5"])
def test_course_refuses_non_positive_hours(hours: object) -> None:
    with pytest.raises(InvalidInput) as e:
        Course("c", "math", "t1", hours, "q2025")  # type: ignore[arg-type]
    assert e.value.where == "course c.hours_per_week"


def test_course_needs_ids() -> None:
    with pytest.raises(InvalidInput) as e:
        Course("c", "", "t1", 1, "q2025")
    assert e.value.where == "course c.subject_id"
    with pytest.raises(InvalidInput) as e:
        Course("c", "math", "t1", 1, "")
    assert e.value.where == "course c.scheme_id"
    assert Course("c", "math", None, 1, "q").teacher_id is None


def test_subject() -> None:
    s = Subject("pe", "Физическая культура", 25, short_name="Физ-ра")
    assert s.assessment is AssessmentKind.GRADED
    assert s.label == "Физ-ра"
    assert Subject("pe", "Физическая культура", 25).label == "Физическая культура"
    with pytest.raises(InvalidInput) as e:
        Subject("pe", "", 1)
    assert e.value.where == "subject pe.name"
    with pytest.raises(InvalidInput) as e:
        Subject("pe", "Физкультура", 1, "graded")  # type: ignore[arg-type]
    assert e.value.where == "subject pe.assessment"


def test_school_teacher_parent_lesson_need_ids() -> None:
    with pytest.raises(InvalidInput) as e:
        School("s", "")
    assert e.value.where == "school.name_ru"
    with pytest.raises(InvalidInput) as e:
        Teacher("", PersonName("Иванова", "Мария"))
    assert e.value.where == "teacher.id"
    with pytest.raises(InvalidInput) as e:
        Parent("", PersonName("Иванова", "Мария"))
    assert e.value.where == "parent.id"
    with pytest.raises(InvalidInput) as e:
        Lesson("", "c", date(2025, 9, 1))
    assert e.value.where == "lesson.id"
    with pytest.raises(InvalidInput) as e:
        Lesson("l", "", date(2025, 9, 1))
    assert e.value.where == "lesson l.course_id"


def test_parent_children_become_a_frozenset() -> None:
    p = Parent("p1", PersonName("Сафина", "Гөлназ"), ["s1", "s2", "s1"])  # type: ignore[arg-type]
    assert p.children == frozenset({"s1", "s2"})
    assert Parent("p2", PersonName("Ким", "Ольга")).children == frozenset()


def test_default_attendance_codes() -> None:
    codes = DEFAULT_ATTENDANCE_CODES
    assert set(codes) == {"н", "б", "уп", "ув", "о"}
    assert codes["б"].reason is AbsenceReason.ILLNESS
    assert codes["н"].reason is AbsenceReason.UNEXCUSED
    assert all(c.missed for k, c in codes.items() if k != "о")
    assert not codes["о"].missed  # being late is not a missed lesson


def test_enrolled_between_is_enrolled_on_some_day_of_the_span() -> None:
    from datetime import timedelta

    from hypothesis import given
    from hypothesis import strategies as st

    from ejournal.core.model import PersonName, Student

    base = date(2025, 9, 1)
    days = st.integers(0, 60).map(lambda n: base + timedelta(days=n))

    @given(enrolled=days, stay=st.one_of(st.none(), st.integers(0, 60)), first=days, length=st.integers(0, 30))
    def check(enrolled: date, stay: int | None, first: date, length: int) -> None:
        left = None if stay is None else enrolled + timedelta(days=stay)
        student = Student("s1", PersonName("Иванов", "Иван"), enrolled, left)
        last = first + timedelta(days=length)
        span = [first + timedelta(days=k) for k in range(length + 1)]
        assert student.enrolled_between(first, last) == any(student.enrolled_on(d) for d in span)

    check()

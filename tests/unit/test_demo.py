"""The demo generator, stage 1 (raw journals): determinism, sizes, realism, consistency."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

import pytest

from ejournal.core import (
    AcademicYear,
    AssessmentKind,
    ClassJournal,
    InvalidInput,
    PeriodKind,
    SchoolYear,
    quarters,
)
from ejournal.demo import SIZES, describe, generate_class_journal, generate_school_year

TATAR_LETTERS = set("әөүҗңһӘӨҮҖҢҺ")


@pytest.fixture(scope="module")
def raw() -> SchoolYear:
    return generate_school_year(seed=7, classes=6, students=150, with_results=False)


@pytest.fixture(scope="module")
def raw_grades() -> SchoolYear:
    # one class of each kind the tests need: first grade, a quarter grade, 9, 10 and 11
    return generate_school_year(seed=7, classes=5, students=125, grades=(1, 7, 9, 10, 11), with_results=False)


def test_same_seed_gives_equal_school_years(raw: SchoolYear) -> None:
    again = generate_school_year(seed=7, classes=6, students=150, with_results=False)
    assert again == raw
    assert list(again.journals) == list(raw.journals)
    for jid, j in raw.journals.items():
        assert again.journals[jid].marks == j.marks  # same ids, values, timestamps


def test_another_seed_gives_another_school_year(raw: SchoolYear) -> None:
    other = generate_school_year(seed=8, classes=6, students=150, with_results=False)
    assert other != raw


def test_class_journal_is_deterministic() -> None:
    a = generate_class_journal(seed=3, students=26, with_results=False)
    b = generate_class_journal(seed=3, students=26, with_results=False)
    assert a == b
    assert a != generate_class_journal(seed=4, students=26, with_results=False)


def test_sizes_follow_the_parameters(raw: SchoolYear) -> None:
    assert len(raw.journals) == 6
    assert sum(len(j.students) for j in raw.journals.values()) == 150
    # fewer classes than grades: grades are spread from the first to the last
    assert sorted(j.class_group.grade for j in raw.journals.values()) == [1, 3, 5, 7, 9, 11]
    assert len(raw.parents) == 150
    student_ids = [sid for j in raw.journals.values() for sid in j.students]
    assert len(set(student_ids)) == 150


def test_classes_are_spread_over_grades_lower_grades_first() -> None:
    sy = generate_school_year(seed=1, classes=13, students=13 * 3, with_results=False)
    grades = sorted(j.class_group.grade for j in sy.journals.values())
    # 13 classes over 11 grades: one each, the two extra go to grades 1 and 2
    assert grades == [1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    labels = {j.class_group.label for j in sy.journals.values()}
    assert {"1А", "1Б", "2А", "2Б", "11А"} <= labels


def test_marks_per_student_lesson_are_in_a_realistic_range(raw: SchoolYear) -> None:
    # About 0.7 marks per attended lesson of a graded class (tests give everyone a mark).
    for j in raw.journals.values():
        if j.class_group.grade == 1:
            continue
        attended = 0
        for lesson in j.lessons.values():
            for s in j.students.values():
                if s.enrolled_on(lesson.date):
                    a = j.attendance.get((s.id, lesson.id))
                    if a is None or not j.attendance_codes[a.code].missed:
                        attended += 1
        ratio = len(j.marks) / attended
        assert 0.5 < ratio < 0.9, (j.id, ratio)


def test_every_journal_is_a_clean_import(raw: SchoolYear) -> None:
    for j in raw.journals.values():
        j.check_references()
        assert j.version == 0
        assert j.pending_changes == []
        assert not j.results
        assert not j.decisions
        assert not j.closed_periods
        # a journal built again from its own data passes the constructor's check too
        copy = ClassJournal(
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
        )
        assert copy == j


def test_marks_lie_on_lessons_inside_periods_and_enrolment(raw: SchoolYear) -> None:
    for j in raw.journals.values():
        for m in j.marks.values():
            lesson = j.lessons[m.lesson_id]
            student = j.students[m.student_id]
            assert j.period_of_lesson(lesson) is not None, m
            assert student.enrolled_on(lesson.date), m
            assert j.scale_of(lesson.course_id).allows(m.value), m
            assert m.work_type_id in j.work_types
            assert m.entered_at.date() >= lesson.date
            absent = j.attendance.get((m.student_id, m.lesson_id))
            assert absent is None or not j.attendance_codes[absent.code].missed, m
            assert m.entered_by == j.courses[lesson.course_id].teacher_id
        for (sid, _lid), a in j.attendance.items():
            assert j.students[sid].enrolled_on(j.lessons[a.lesson_id].date)


def test_lessons_are_on_school_days_with_topics(raw: SchoolYear) -> None:
    year = raw.year
    holidays = {date(2025, 11, 4), date(2025, 11, 6), date(2026, 2, 23), date(2026, 3, 9), date(2026, 5, 1)}
    q = quarters(year)
    for j in raw.journals.values():
        for lesson in j.lessons.values():
            assert lesson.date.weekday() < 5
            assert lesson.date not in holidays
            assert q.period_of(lesson.date) is not None  # not in the holidays between quarters
            assert lesson.topic
        homework = [le.homework for le in j.lessons.values()]
        assert any(homework)
        assert not all(homework)  # some lessons set no homework
        # two lessons never share a day and a position
        slots = [(le.date, le.number) for le in j.lessons.values()]
        assert len(slots) == len(set(slots))


def test_names_include_tatar_letters_and_yo(raw: SchoolYear) -> None:
    names = [s.name.full for j in raw.journals.values() for s in j.students.values()]
    names += [t.name.full for t in raw.teachers.values()]
    letters = set("".join(names))
    assert len(letters & TATAR_LETTERS) >= 4
    assert letters & {"Ё", "ё"}
    surnames = {s.name.surname for j in raw.journals.values() for s in j.students.values()}
    assert any(name.endswith(("ова", "ева")) for name in surnames)  # feminine forms


def test_first_grade_has_no_marks(raw: SchoolYear) -> None:
    first = [j for j in raw.journals.values() if j.class_group.grade == 1]
    assert first
    for j in first:
        assert j.marks == {}
        assert all(s.assessment is AssessmentKind.NONE for s in j.subjects.values())
        assert j.lessons  # but lessons and attendance are kept
        assert j.attendance


def test_schemes_quarters_and_half_years(raw_grades: SchoolYear) -> None:
    for j in raw_grades.journals.values():
        kinds = {c.subject_id: j.scheme_of(c.id).kind for c in j.courses.values()}
        if j.class_group.grade >= 10:
            assert set(kinds.values()) == {PeriodKind.HALF_YEAR}
        else:
            assert kinds["rus"] is PeriodKind.QUARTER
        if j.class_group.grade in (7, 9):
            # a one-hour subject certified by half-years inside a quarter class
            assert kinds["tatlit"] is PeriodKind.HALF_YEAR
            assert j.courses[f"{j.id}-tatlit"].hours_per_week == 1


def test_curriculum_is_in_order_and_big_enough(raw_grades: SchoolYear) -> None:
    for j in raw_grades.journals.values():
        orders = [j.subjects[c.subject_id].order for c in j.courses_in_order()]
        assert orders == sorted(orders)
        assert len(j.courses) >= 9
        assert j.courses_in_order()[0].subject_id == "rus"
        assert j.courses_in_order()[-1].subject_id == "pe"
    nine = next(j for j in raw_grades.journals.values() if j.class_group.grade == 9)
    required = sorted(c.subject_id for c in nine.courses.values() if c.examined and not c.exam_by_choice)
    assert required == ["alg", "rus"]
    assert {c.subject_id for c in nine.courses.values() if c.exam_by_choice} == {
        "lit", "eng", "inf", "hist", "soc", "geo", "bio", "phys", "chem"
    }  # fmt: skip
    # one mathematics exam: geometry has none of its own, it names algebra's
    assert {c.subject_id: c.exam_of for c in nine.courses.values() if c.exam_of} == {"geom": f"{nine.id}-alg"}
    eleven = next(j for j in raw_grades.journals.values() if j.class_group.grade == 11)
    assert sorted(c.subject_id for c in eleven.courses.values() if c.examined) == ["alg", "rus"]
    assert all(eleven.exam_scale_of(c.id).highest == 100 for c in eleven.courses.values() if c.examined)


def test_arrivals_and_departures_carry_orders() -> None:
    sy = generate_school_year(seed=11, classes=8, students=240, with_results=False)
    students = [s for j in sy.journals.values() for s in j.students.values()]
    arrived = [s for s in students if s.enrolled > sy.year.start]
    left = [s for s in students if s.left is not None]
    assert arrived
    assert left
    assert all(s.arrival_order for s in arrived)
    assert all(s.departure_order and s.enrolled <= s.left <= sy.year.end for s in left if s.left)
    assert all(not s.arrival_order for s in students if s.enrolled == sy.year.start)


def test_attendance_codes_and_exempt_pe(raw: SchoolYear) -> None:
    codes = {a.code for j in raw.journals.values() for a in j.attendance.values()}
    assert {"н", "б", "уп"} <= codes
    exempt = 0
    for j in raw.journals.values():
        if j.class_group.grade == 1:
            continue
        pe = f"{j.id}-pe"
        for s in j.students.values():
            if not j.marks_of(s.id, pe) and j.marks_of(s.id, f"{j.id}-rus"):
                exempt += 1
    assert exempt >= 1


def test_work_types_weights_and_entry_times(raw: SchoolYear) -> None:
    j = next(j for j in raw.journals.values() if j.class_group.grade == 9)
    assert j.work_types["test"].weight == 2
    assert j.work_types["cw"].weight == 1
    tests = [m for m in j.marks.values() if m.work_type_id == "test"]
    assert tests
    assert all(j.lessons[m.lesson_id].topic.startswith("Контрольная работа") for m in tests)
    on_time = [m for m in j.marks.values() if m.entered_at.date() == j.lessons[m.lesson_id].date]
    late = [m for m in j.marks.values() if m.entered_at.date() > j.lessons[m.lesson_id].date]
    assert late
    assert len(late) < len(on_time) / 20
    assert all(m.entered_at.time() == time(15, 0) and m.entered_at.utcoffset() == timedelta(hours=3) for m in on_time)
    values = {m.value for m in j.marks.values()}
    assert {2, 3, 4, 5} <= values


def test_class_journal_defaults() -> None:
    j = generate_class_journal(with_results=False)
    assert j.class_group.label == "9А"
    assert len(j.students) == 28
    assert len(j.subjects) >= 12
    assert j.class_group.year == AcademicYear(2025)
    assert j.class_group.class_teacher_id in j.teachers
    assert all(c.teacher_id in j.teachers for c in j.courses.values())


def test_describe_counts(raw: SchoolYear) -> None:
    d = describe(raw)
    assert d["classes"] == 6
    assert d["students"] == 150
    assert d["marks"] == sum(len(j.marks) for j in raw.journals.values())
    assert d["lessons"] == sum(len(j.lessons) for j in raw.journals.values())
    assert d["audit"] == 0


def test_sizes_presets() -> None:
    assert SIZES["full"].classes == 40
    assert SIZES["full"].students == 1000
    assert all(s.students >= s.classes for s in SIZES.values())


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [
        ({"classes": 0}, "classes"),
        ({"students": 3, "classes": 4}, "students"),
        ({"grades": [0, 5]}, "grades"),
        ({"grades": []}, "grades"),
    ],
)
def test_bad_school_parameters_name_the_field(kwargs: dict[str, object], where: str) -> None:
    with pytest.raises(InvalidInput) as e:
        generate_school_year(with_results=False, **kwargs)  # type: ignore[arg-type]
    assert e.value.where == where


@pytest.mark.parametrize(("kwargs", "where"), [({"grade": 12}, "grade"), ({"letter": "Z"}, "letter")])
def test_bad_class_parameters_name_the_field(kwargs: dict[str, object], where: str) -> None:
    with pytest.raises(InvalidInput) as e:
        generate_class_journal(with_results=False, **kwargs)  # type: ignore[arg-type]
    assert e.value.where == where


@pytest.mark.parametrize(("classes", "grades"), [(60, [1, 11]), (400, list(range(1, 12)))])
def test_many_classes_per_grade_keep_distinct_labels_and_ids(classes: int, grades: list[int]) -> None:
    from ejournal.demo import _plans

    plans = _plans(random.Random(1), classes, classes * 2, grades)
    assert len(plans) == classes
    labels = [f"{p.grade}{p.letter}" for p in plans]
    ids = [f"{p.grade}{p.latin}" for p in plans]
    assert len(set(labels)) == len(labels) == len(set(ids))
    assert all(not p.letter[0].isdigit() for p in plans)

"""A student's record across years: the earlier results the final marks are computed from.

Grade 11's final mark is the half-up mean of the half-year and annual marks of grades 10 and 11
(приказ Минпросвещения № 231 of 05.04.2024, the order of issuing certificates): the grade-10
half of it lives in the previous year's journal.  :func:`grade10_results` finds it, per student
and course of a grade-11 journal, matching the course by its subject across the two journals.
Pure; the service fetches the journals from storage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from attrs import evolve, frozen

from ejournal.core.calendar import Period, PeriodKind
from ejournal.core.journal import ClassJournal, ResultKind
from ejournal.core.model import Subject
from ejournal.core.scales import MarkValue, Scale

__all__ = [
    "FINAL_SPAN",
    "LEVEL_FIRST_GRADE",
    "EarlierCourse",
    "EarlierPeriod",
    "earlier_courses",
    "grade10_results",
]


def grade10_results(grade11: ClassJournal, earlier: Iterable[ClassJournal]) -> dict[str, dict[str, list[MarkValue]]]:
    """For each student of ``grade11``, per course id of ``grade11``, the grade-10 half-year marks
    (in period order) followed by the grade-10 annual mark, from the journals in ``earlier``.

    ``earlier`` are journals of the previous year (any grade: only grade-10 journals that hold the
    student are used; a student who came from elsewhere gets nothing and the rule then has only
    grade 11's marks, which validation reports).  A course matches a grade-10 course of the same
    subject id; a subject taught in grade 10 under several courses contributes all of them in
    course order.  Raises nothing.
    """
    tenth = [j for j in earlier if j.class_group.grade == grade11.class_group.grade - 1]
    out: dict[str, dict[str, list[MarkValue]]] = {}
    for student_id in grade11.students:
        for j in tenth:
            if student_id not in j.students:
                continue
            per_course = out.setdefault(student_id, {})
            for course in grade11.courses_in_order():
                marks = per_course.setdefault(course.id, [])
                for old in j.courses_in_order():
                    if old.subject_id != course.subject_id:
                        continue
                    for period in j.scheme_of(old.id).periods:
                        r = j.result(student_id, old.id, ResultKind.PERIOD, period.id)
                        if r is not None:
                            marks.append(r.value)
                    annual = j.result(student_id, old.id, ResultKind.ANNUAL)
                    if annual is not None:
                        marks.append(annual.value)
    return out


LEVEL_FIRST_GRADE: Mapping[int, int] = MappingProxyType({9: 5, 11: 10})
"""The first grade of the level a graduating grade completes: basic general education is grades
5–9, secondary general education grades 10–11 (273-ФЗ art. 66).  A subject finished within the
level before its last grade still appears on the certificate (приказ Минпросвещения № 546 of
05.10.2020): its final mark is the annual mark of the last grade it was taught in."""

FINAL_SPAN: Mapping[int, tuple[int, ...]] = MappingProxyType({11: (10,)})
"""Graduating grades whose final mark also averages earlier grades' period and annual marks:
grade 11's takes grade 10's (the half-up mean of the half-year and annual marks of both)."""


@frozen
class EarlierPeriod:
    """A period of an earlier grade's course, as a column: its id and number in the scheme, labels."""

    id: str
    number: int
    label: str
    title: str


@frozen
class EarlierCourse:
    """What a graduating sheet shows of one subject in one earlier grade.

    ``periods`` are the periods of the scheme of the first journal of that grade teaching the
    subject (classes of one grade share the scheme; a student's marks are matched by period
    number).  ``marks`` maps a student id to their period marks (by period number, ``None`` where
    none was set) and their annual mark; students without a journal of that grade are absent.
    """

    subject: Subject
    grade: int
    periods: tuple[EarlierPeriod, ...]
    scale: Scale
    marks: Mapping[str, tuple[tuple[MarkValue | None, ...], MarkValue | None]]


def period_label(period: Period) -> str:
    """The short heading of a period column: the Roman numeral of a quarter ("II"), else its number."""
    return period.roman if period.kind is PeriodKind.QUARTER else str(period.number)


def earlier_courses(
    journal: ClassJournal, earlier: Iterable[ClassJournal], grades: Iterable[int]
) -> dict[tuple[str, int], EarlierCourse]:
    """The subjects the students of ``journal`` were taught in each of ``grades``, from the
    journals in ``earlier`` (only journals of those grades that hold one of the students count),
    keyed by ``(subject id, grade)`` in curriculum order of the earlier journals.

    A subject is matched by its id across years.  Pure; raises nothing.
    """
    wanted = set(grades)
    students = set(journal.students)
    out: dict[tuple[str, int], EarlierCourse] = {}
    acc: dict[tuple[str, int], dict[str, tuple[tuple[MarkValue | None, ...], MarkValue | None]]] = {}
    for j in sorted(earlier, key=lambda j: (j.class_group.grade, j.class_group.year.start_year, j.id)):
        grade = j.class_group.grade
        held = [s for s in j.students if s in students]
        if grade not in wanted or not held:
            continue
        for course in j.courses_in_order():
            key = (course.subject_id, grade)
            periods = j.scheme_of(course.id).periods
            if key not in out:
                out[key] = EarlierCourse(
                    j.subjects[course.subject_id],
                    grade,
                    tuple(EarlierPeriod(p.id, p.number, period_label(p), p.name or period_label(p)) for p in periods),
                    j.scale_of(course.id),
                    {},
                )
                acc[key] = {}
            width = len(out[key].periods)
            for sid in held:
                by_number = {p.number: j.result(sid, course.id, ResultKind.PERIOD, p.id) for p in periods}
                values = tuple(None if (r := by_number.get(n)) is None else r.value for n in range(1, width + 1))
                annual = j.result(sid, course.id, ResultKind.ANNUAL)
                acc[key][sid] = (values, None if annual is None else annual.value)
    return {k: evolve(v, marks=MappingProxyType(acc[k])) for k, v in out.items()}

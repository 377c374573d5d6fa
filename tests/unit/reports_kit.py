"""Small journals for the tests of the end-of-year documents (not a test module)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import UTC, date, datetime

from ejournal.core.calendar import AcademicYear, PeriodScheme, half_years, quarters
from ejournal.core.journal import Actor, ClassJournal, FixedClock, Role
from ejournal.core.model import ClassGroup, Course, PersonName, School, Student, Subject, Teacher
from ejournal.core.scales import MarkValue, WorkType
from ejournal.core.school_year import SchoolYear
from ejournal.i18n.collation import collator

ADMIN = Actor("admin", Role.ADMINISTRATOR, "s1")
RU = collator("ru")


class Builder:
    """Students and courses of one class of ``year``, then :meth:`build`."""

    def __init__(self, grade: int = 9, *, year: int = 2025, halves: bool = False) -> None:
        self.grade = grade
        self.year = AcademicYear(year)
        self.scheme = half_years(self.year) if halves else quarters(self.year)
        self.students: list[Student] = []
        self.subjects: list[Subject] = []
        self.courses: list[Course] = []

    def student(self, sid: str, surname: str, given: str = "Имя", **kw: object) -> Builder:
        kw.setdefault("enrolled", self.year.start)
        self.students.append(Student(sid, PersonName(surname, given, ""), **kw))  # type: ignore[arg-type]
        return self

    def course(self, sid: str, name: str, *, examined: bool = False) -> Builder:
        self.subjects.append(Subject(sid, name, len(self.subjects) + 1))
        self.courses.append(Course(f"{self.year.start_year}-{sid}", sid, "t1", 2, self.scheme.id, examined=examined))
        return self

    def build(self) -> ClassJournal:
        schemes: dict[str, PeriodScheme] = {self.scheme.id: self.scheme}
        return ClassJournal(
            School("s1", "МБОУ «Гимназия № 2»", "2нче гимназия", director=PersonName("Сафин", "Ильдар", "Маратович")),
            ClassGroup(f"{self.year.start_year}-{self.grade}a", self.grade, "А", self.year, "t1"),
            students={s.id: s for s in self.students},
            teachers={"t1": Teacher("t1", PersonName("Гарипова", "Лилия", "Ринатовна"))},
            subjects={s.id: s for s in self.subjects},
            courses={c.id: c for c in self.courses},
            schemes=schemes,
            work_types={"cw": WorkType("cw", "классная", 1)},
            clock=FixedClock(datetime(2026, 5, 27, tzinfo=UTC)),
        )


def set_year(j: ClassJournal, sid: str, subject: str, periods: Iterable[MarkValue], annual: MarkValue | None) -> None:
    """Set a student's period marks (in scheme order) and annual mark in the course of ``subject``."""
    cid = course_of(j, subject)
    for period, value in zip(j.scheme_of(cid).periods, periods, strict=False):
        j.set_period_mark(sid, cid, period.id, value, by=ADMIN)
    if annual is not None:
        j.set_annual_mark(sid, cid, annual, by=ADMIN)


def course_of(j: ClassJournal, subject: str) -> str:
    """The id of the course of ``subject``."""
    return next(c.id for c in j.courses.values() if c.subject_id == subject)


def day(text: str) -> date:
    """``date.fromisoformat``."""
    return date.fromisoformat(text)


@functools.cache
def demo_year() -> SchoolYear:
    """A small realistic demo school year: one class each of grades 9, 10 and 11 (cached; do not change it)."""
    from ejournal.demo import generate_school_year

    return generate_school_year(seed=7, classes=3, students=60, grades=[9, 10, 11])


def demo(grade: int) -> ClassJournal:
    """A fresh copy of the demo journal of ``grade``."""
    j = next(j for j in demo_year().journals.values() if j.class_group.grade == grade)
    return j.copy()

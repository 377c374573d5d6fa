"""What every rule sees: the journal, the policy, the check date and per-validation indices.

The indices are built once per :func:`~ejournal.core.validation.validate` call, lazily, so a
school-sized journal is checked in time linear in its size.  Every index is keyed or sorted by
content, so findings never depend on the insertion order of the journal's dicts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from ejournal.core.calendar import AcademicYear, Period
from ejournal.core.journal import YEAR, AttendanceRecord, ClassJournal, Mark, ResultKind, ResultMark
from ejournal.core.model import AssessmentKind, Course, Lesson, Student
from ejournal.core.scales import MarkValue, Scale, Status

if TYPE_CHECKING:
    from ejournal.core.grading import GradingPolicy
    from ejournal.core.grading.gradebook import Gradebook, GradebookMark

__all__ = ["EarlierResults", "ValidationContext"]

EarlierResults = Mapping[str, Mapping[str, Sequence[MarkValue]]]
"""Student id → course id (or subject id) → the marks of earlier years that enter the final mark."""


class ValidationContext:
    """The input of every rule, with indices built once per validation.

    ``journal`` is read, never changed.  ``policy`` is the
    :class:`~ejournal.core.grading.GradingPolicy`; ``as_of`` the date the journal is checked on
    (marks after it are "in the future"); ``earlier_results`` maps a student id to, per course id
    (or subject id), the marks of earlier years that enter the final mark (grade 11: the grade-10
    period and annual marks; what :func:`~ejournal.core.grading.propose_final_mark` takes as
    ``earlier_results``).  ``gradebook`` is the journal's
    :class:`~ejournal.core.grading.gradebook.Gradebook` under ``policy`` when the caller has one
    (a service keeps it between calls); it is built on first use otherwise.
    """

    def __init__(
        self,
        journal: ClassJournal,
        policy: GradingPolicy,
        as_of: date,
        earlier_results: EarlierResults | None = None,
        gradebook: Gradebook | None = None,
    ) -> None:
        self.journal = journal
        self.policy = policy
        self.as_of = as_of
        self.earlier_results: EarlierResults = earlier_results or {}
        self._gradebook = gradebook

    # ------------------------------------------------------------------ basic facts
    @property
    def year(self) -> AcademicYear:
        """The journal's academic year."""
        return self.journal.class_group.year

    @property
    def grade(self) -> int:
        """The class's grade (1..12)."""
        return self.journal.class_group.grade

    @cached_property
    def graduating(self) -> bool:
        """True when the class ends with state exams (the policy's graduating grades)."""
        return self.grade in self.policy.promotion.graduating_grades

    @property
    def year_closed(self) -> bool:
        """True when the journal's year (:data:`~ejournal.core.journal.YEAR`) is closed."""
        return self.journal.is_closed(YEAR)

    def student_name(self, student_id: str) -> str:
        """The student's short name ("Иванов И. И."), or the id for an unknown student."""
        s = self.journal.students.get(student_id)
        return s.name.short if s is not None else student_id

    def subject_name(self, course_id: str) -> str:
        """The name of the course's subject, or the course id."""
        c = self.journal.courses.get(course_id)
        if c is None:
            return course_id
        subj = self.journal.subjects.get(c.subject_id)
        return subj.name if subj is not None else c.subject_id

    def assessment(self, course_id: str) -> AssessmentKind:
        """How the course's subject is assessed."""
        return self.journal.subjects[self.journal.courses[course_id].subject_id].assessment

    def scale(self, course_id: str) -> Scale:
        """The course's scale."""
        return self.journal.scales[self.journal.courses[course_id].scale_id]

    def periods(self, course_id: str) -> tuple[Period, ...]:
        """The periods of the course's scheme, in order."""
        return self.journal.schemes[self.journal.courses[course_id].scheme_id].periods

    @cached_property
    def students(self) -> list[Student]:
        """The students, by id."""
        return [self.journal.students[k] for k in sorted(self.journal.students)]

    @cached_property
    def courses(self) -> list[Course]:
        """The courses, by id."""
        return [self.journal.courses[k] for k in sorted(self.journal.courses)]

    @cached_property
    def lessons(self) -> list[Lesson]:
        """The lessons, by id."""
        return [self.journal.lessons[k] for k in sorted(self.journal.lessons)]

    @cached_property
    def marks(self) -> list[Mark]:
        """The current marks, by id."""
        return [self.journal.marks[k] for k in sorted(self.journal.marks)]

    # ------------------------------------------------------------------ indices
    @cached_property
    def lesson_period(self) -> dict[str, Period | None]:
        """Lesson id → the period of its course's scheme containing its date (``None``: none)."""
        out: dict[str, Period | None] = {}
        schemes = self.journal.schemes
        courses = self.journal.courses
        by_scheme_day: dict[tuple[str, date], Period | None] = {}
        for lid, lesson in self.journal.lessons.items():
            scheme_id = courses[lesson.course_id].scheme_id
            key = (scheme_id, lesson.date)
            if key not in by_scheme_day:
                by_scheme_day[key] = schemes[scheme_id].period_of(lesson.date)
            out[lid] = by_scheme_day[key]
        return out

    @cached_property
    def marks_by_period(self) -> dict[tuple[str, str, str], list[Mark]]:
        """``(student_id, course_id, period_id)`` → the marks on lessons in that period."""
        out: dict[tuple[str, str, str], list[Mark]] = {}
        lessons = self.journal.lessons
        lp = self.lesson_period
        for m in self.marks:
            p = lp[m.lesson_id]
            if p is not None:
                out.setdefault((m.student_id, lessons[m.lesson_id].course_id, p.id), []).append(m)
        return out

    @cached_property
    def weighted_work_types(self) -> frozenset[str]:
        """Ids of the work types with a positive weight (their grades count toward certification)."""
        return frozenset(wt for wt, t in self.journal.work_types.items() if t.weight > 0)

    @cached_property
    def missed(self) -> dict[tuple[str, str], AttendanceRecord]:
        """``(student_id, lesson_id)`` → the attendance record, for codes that count as missed."""
        codes = self.journal.attendance_codes
        return {k: a for k, a in self.journal.attendance.items() if (c := codes.get(a.code)) is not None and c.missed}

    @cached_property
    def results(self) -> list[ResultMark]:
        """The result marks, by student, course, kind and period."""
        return sorted(
            self.journal.results.values(), key=lambda r: (r.student_id, r.course_id, r.kind.value, r.period_id)
        )

    @cached_property
    def period_by_id(self) -> dict[str, Period]:
        """Period id → the period (ids are unique across the journal's schemes)."""
        return {p.id: p for scheme in self.journal.schemes.values() for p in scheme.periods}

    @cached_property
    def exempt(self) -> frozenset[tuple[str, str]]:
        """``(student_id, course_id)`` pairs with any "осв." result: the student is exempt from the course."""
        return frozenset((r.student_id, r.course_id) for r in self.journal.results.values() if r.value is Status.EXEMPT)

    def result(self, student_id: str, course_id: str, kind: ResultKind, period_id: str = "") -> ResultMark | None:
        """The result in that cell, or ``None``."""
        return self.journal.result(student_id, course_id, kind, period_id)

    def enrolled_during(self, student: Student, period: Period) -> bool:
        """True when the student's enrolment overlaps the period."""
        return student.enrolled_between(period.start, period.end)

    @cached_property
    def last_period_end(self) -> date:
        """The latest period end of the journal's schemes (the year's end without schemes)."""
        ends = [p.end for s in self.journal.schemes.values() for p in s.periods]
        return max(ends) if ends else self.year.end

    def enrolled_at_year_end(self, student: Student) -> bool:
        """True when the student is still in the class on :attr:`last_period_end`."""
        last = self.last_period_end
        return student.enrolled_on(last)

    def graded(self, course_id: str) -> bool:
        """True when the course's subject is assessed (with marks or pass/fail), not "without marks"."""
        return self.assessment(course_id) is not AssessmentKind.NONE

    def is_failing(self, course_id: str, value: MarkValue) -> bool:
        """True when ``value`` is a failing result on the course's scale ("2", "незач.", "н/а")."""
        return self.scale(course_id).is_passing(value) is False

    def debts(self, student_id: str) -> list[str]:
        """Course ids where the student's annual mark is failing (academic debts), in curriculum order."""
        out = []
        for course in self.journal.courses_in_order():
            r = self.result(student_id, course.id, ResultKind.ANNUAL)
            if r is not None and self.is_failing(course.id, r.value):
                out.append(course.id)
        return out

    # ------------------------------------------------------------------ grading, from the gradebook
    @property
    def gradebook(self) -> Gradebook:
        """The journal's gradebook: every proposal is computed once per validation (or per service cache)."""
        if self._gradebook is None:
            from ejournal.core.grading.gradebook import Gradebook

            self._gradebook = Gradebook.of(self.journal, self.policy)
        return self._gradebook

    def proposed_period(self, student_id: str, course_id: str, period_id: str) -> GradebookMark:
        """The policy's proposal for a period mark (its explanation is built only if read).

        Raises :class:`~ejournal.core.errors.NotFound` for a period not of the course's scheme.
        """
        return self.gradebook.period(student_id, course_id, period_id)

    def explained_period(self, student_id: str, course_id: str, period_id: str) -> GradebookMark:
        """The same proposal as :meth:`proposed_period`; named for rules that read its explanation."""
        return self.gradebook.period(student_id, course_id, period_id)

    def proposed_annual(self, student_id: str, course_id: str) -> GradebookMark:
        """The policy's proposal for an annual mark (computed once)."""
        return self.gradebook.annual(student_id, course_id)

    def proposed_final(self, student_id: str, course_id: str, earlier: Sequence[MarkValue]) -> GradebookMark:
        """The law's final mark for the cell given the earlier-year marks (computed once).

        Raises :class:`~ejournal.core.errors.InvalidInput` for an earlier mark off the course's scale.
        """
        return self.gradebook.final(student_id, course_id, earlier)

    def earlier(self, student_id: str, course_id: str) -> tuple[MarkValue, ...] | None:
        """The student's earlier-year marks for the course (looked up by course id, then subject id).

        ``None`` when none were given.
        """
        per_student = self.earlier_results.get(student_id)
        if per_student is None:
            return None
        found = per_student.get(course_id)
        if found is None:
            course = self.journal.courses.get(course_id)
            found = per_student.get(course.subject_id) if course is not None else None
        return None if found is None else tuple(found)

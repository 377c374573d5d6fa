"""The list of final marks for the certificate insert («вкладыш к аттестату») of grades 9 and 11.

:func:`build_final_marks` takes a grade-9 or grade-11 journal and returns a :class:`FinalMarksList`:
one row per student being certified, one cell per graded subject with the final mark set in the
journal and the marks it comes from, checked against the rule of Минпросвещения № 546 of
05.10.2020 (``compute_final_mark_grade9`` / ``compute_final_mark_grade11``):

- grade 9: the half-up mean of the annual and the exam mark for examined subjects, else the annual
  mark;
- grade 11: the half-up mean of every half-year (or quarter) and annual mark of grades 10 and 11.
  The grade-10 marks live in last year's journal: pass that journal (or its results, as
  :data:`EarlierResults`) as ``grade10``; without them the grade-11 finals are listed but not
  recomputed.

**Problems block printing.**  The document never hides them: every student/subject whose final
mark is missing, "н/а", not a number ("осв.", "зач."), failing, or different from the rule's
result is a :class:`FinalMarkProblem` in :attr:`FinalMarksList.problems`;
:meth:`FinalMarksList.check` raises :class:`~ejournal.core.errors.InvalidInput` listing every one of
them, and the CLI calls it before writing the file (``--draft`` prints the list with its problems).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from attrs import frozen

from ejournal.core.collation import Collator
from ejournal.core.errors import InvalidInput, NotFound, Problem
from ejournal.core.grading import GradingPolicy, builtin_policy, propose_final_mark
from ejournal.core.journal import ClassJournal, DecisionKind, ResultKind
from ejournal.core.reports._common import (
    ReportHeader,
    fraction_text,
    graded_courses,
    header_of,
    in_name_order,
    value_text,
)
from ejournal.core.scales import MarkValue, Status
from ejournal.core.stats import class_periods, year_members

__all__ = [
    "EarlierResults",
    "FinalMarkCell",
    "FinalMarkProblem",
    "FinalMarksList",
    "FinalMarksRow",
    "build_final_marks",
    "certified_students",
    "earlier_results_of",
]

EarlierResults = Mapping[str, Mapping[str, Sequence[MarkValue]]]
"""A student's earlier-year marks: student id → subject id (or course id) → marks (period marks and
the annual mark of that year), the shape :func:`~ejournal.core.validation.validate` takes too."""

PROBLEM_CODES = ("missing", "not_certified", "not_numeric", "failing", "differs")
"""The kinds of :class:`FinalMarkProblem`, in the order they are checked."""


@frozen
class FinalMarkCell:
    """One subject of one student: the final mark set (``None``: not set) and where it comes from.

    ``annual`` and ``exam`` are this year's annual and exam marks; ``grade10`` the grade-10 marks
    given (empty when none were), ``grade11`` this year's period marks and the annual mark (grade 11
    only); ``expected`` the rule's result, ``None`` when it was not computed (grade 11 without the
    grade-10 marks) or gives nothing; ``mean`` the exact mean it was rounded from.
    """

    course_id: str
    subject_id: str
    subject_name: str
    final: MarkValue | None
    annual: MarkValue | None
    exam: MarkValue | None
    grade10: tuple[MarkValue, ...]
    grade11: tuple[MarkValue, ...]
    expected: MarkValue | None
    checked: bool
    mean: Fraction | None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (marks as their printed text)."""
        return {
            "course_id": self.course_id,
            "subject_id": self.subject_id,
            "subject": self.subject_name,
            "final": value_text(self.final),
            "annual": value_text(self.annual),
            "exam": value_text(self.exam),
            "grade10": [value_text(v) for v in self.grade10],
            "grade11": [value_text(v) for v in self.grade11],
            "expected": value_text(self.expected),
            "checked": self.checked,
            "mean": fraction_text(self.mean),
        }


@frozen
class FinalMarksRow:
    """A student's row: number in alphabetical order, id, full name, one cell per subject."""

    number: int
    student_id: str
    name: str
    cells: tuple[FinalMarkCell, ...]


@frozen
class FinalMarkProblem:
    """Why a student's certificate insert cannot be printed yet: the student, the subject, a code of
    :data:`PROBLEM_CODES` and the values concerned (the final mark set; the rule's result)."""

    student_id: str
    student_name: str
    course_id: str
    subject_name: str
    code: str
    value: str = ""
    expected: str = ""

    @property
    def what(self) -> str:
        """What is wrong, in English (the renderers print a translated label instead)."""
        return {
            "missing": "no final mark",
            "not_certified": "the final mark is н/а",
            "not_numeric": f"the final mark {self.value} is not a number",
            "failing": f"the final mark {self.value} is failing",
            "differs": f"the final mark {self.value} differs from the rule's {self.expected}",
        }[self.code]

    def __str__(self) -> str:
        return f"{self.student_name} ({self.student_id}), {self.subject_name}: {self.what}"

    def to_dict(self) -> dict[str, str]:
        """JSON-ready."""
        return {
            "student_id": self.student_id,
            "student": self.student_name,
            "course_id": self.course_id,
            "subject": self.subject_name,
            "code": self.code,
            "value": self.value,
            "expected": self.expected,
        }


@frozen
class FinalMarksList:
    """The certificate-insert list of a class (pure data; renderers add only labels).

    ``subjects`` are the graded subjects as ``(course id, subject name)`` in curriculum order;
    ``rows`` the students being certified in alphabetical order; ``grade10_given`` whether the
    grade-10 marks were passed (grade 11); ``problems`` everything that blocks printing.
    """

    header: ReportHeader
    subjects: tuple[tuple[str, str], ...]
    rows: tuple[FinalMarksRow, ...]
    problems: tuple[FinalMarkProblem, ...]
    grade10_given: bool

    @property
    def ready(self) -> bool:
        """True when nothing blocks printing."""
        return not self.problems

    def check(self) -> None:
        """Return when the list may be printed; else raise :class:`InvalidInput` naming the class and
        listing every problem, one per line (student, subject, what is wrong)."""
        if self.problems:
            where = f"final marks of class {self.header.class_label}"
            raise InvalidInput.many(
                [
                    Problem(f"{where}: {p.student_name} ({p.student_id}), {p.subject_name}", p.what)
                    for p in self.problems
                ]
            )

    @property
    def texts(self) -> list[str]:
        """Every data string printed (for the font check)."""
        out = self.header.texts + [name for _, name in self.subjects]
        out += [r.name for r in self.rows]
        return out

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: the header, subjects, rows with their cells, and the problems."""
        return {
            "document": "final-marks",
            "header": self.header.to_dict(),
            "subjects": [{"course_id": c, "subject": n} for c, n in self.subjects],
            "grade10_given": self.grade10_given,
            "rows": [
                {
                    "number": r.number,
                    "student_id": r.student_id,
                    "name": r.name,
                    "cells": [c.to_dict() for c in r.cells],
                }
                for r in self.rows
            ],
            "problems": [p.to_dict() for p in self.problems],
            "ready": self.ready,
        }


def earlier_results_of(journal: ClassJournal) -> dict[str, dict[str, tuple[MarkValue, ...]]]:
    """The results of ``journal`` as :data:`EarlierResults` for next year's final marks: per student
    and subject id, the period marks set (in scheme order) and then the annual mark set (pure)."""
    out: dict[str, dict[str, tuple[MarkValue, ...]]] = {}
    for student in journal.students_in_order():
        per_subject: dict[str, tuple[MarkValue, ...]] = {}
        for course in journal.courses_in_order():
            values: list[MarkValue] = []
            for p in journal.scheme_of(course.id).periods:
                r = journal.result(student.id, course.id, ResultKind.PERIOD, p.id)
                if r is not None:
                    values.append(r.value)
            annual = journal.result(student.id, course.id, ResultKind.ANNUAL)
            if annual is not None:
                values.append(annual.value)
            if values:
                per_subject[course.subject_id] = tuple(values)
        if per_subject:
            out[student.id] = per_subject
    return out


def certified_students(journal: ClassJournal) -> list[str]:
    """Ids of the students being certified: year members still enrolled on the last day of the
    class's last period, without a council decision that they left (by id)."""
    periods = class_periods(journal)
    last = periods[-1].end if periods else journal.class_group.year.end
    out = []
    for s in year_members(journal):
        decision = journal.decision_in_force(s.id)
        if decision is not None and decision.kind is DecisionKind.LEFT:
            continue
        if s.left is not None and s.left < last:
            continue
        if s.enrolled > last:
            continue
        out.append(s.id)
    return out


def _earlier_for(earlier: EarlierResults, student_id: str, course_id: str, subject_id: str) -> tuple[MarkValue, ...]:
    per_student = earlier.get(student_id)
    if per_student is None:
        return ()
    found = per_student.get(course_id)
    if found is None:
        found = per_student.get(subject_id)
    return () if found is None else tuple(found)


def _problem(cell: FinalMarkCell, pass_from: int | None) -> tuple[str, str, str] | None:
    final = cell.final
    if final is None:
        return ("missing", "", "")
    if final is Status.NOT_CERTIFIED:
        return ("not_certified", value_text(final), "")
    if isinstance(final, Status):
        return ("not_numeric", value_text(final), "")
    if pass_from is not None and final < pass_from:
        return ("failing", value_text(final), "")
    if cell.checked and isinstance(cell.expected, int) and cell.expected != final:
        return ("differs", value_text(final), value_text(cell.expected))
    return None


def build_final_marks(
    journal: ClassJournal,
    *,
    collator: Collator,
    grade10: ClassJournal | EarlierResults | None = None,
    policy: GradingPolicy | None = None,
    student_ids: Sequence[str] | None = None,
) -> FinalMarksList:
    """The :class:`FinalMarksList` of a grade-9 or grade-11 class (pure).

    ``collator`` orders the names; ``grade10`` (grade 11 only) is last year's journal of the class or
    its results (:data:`EarlierResults`; students are matched by id, subjects by subject or course
    id); ``policy`` only labels the explanations (the final-mark rule is the law's, half-up; default
    the federal profile); ``student_ids`` restricts the list to those students (default: every
    student being certified, :func:`certified_students`).

    Raises :class:`InvalidInput` for a class of another grade, a ``grade10`` given for grade 9, or a
    grade-10 mark off the course's scale; :class:`NotFound` for a student id not in the class.
    """
    grade = journal.class_group.grade
    where = f"final marks of class {journal.class_group.label}"
    if grade not in (9, 11):
        raise InvalidInput(where, "the certificate insert is made for grades 9 and 11 only", grade)
    if grade10 is not None and grade != 11:
        raise InvalidInput(f"{where}: grade10", "grade-10 marks enter only grade-11 final marks", grade)
    policy = policy or builtin_policy("federal")
    earlier: EarlierResults = {}
    if isinstance(grade10, ClassJournal):
        earlier = earlier_results_of(grade10)
    elif grade10 is not None:
        if not isinstance(grade10, Mapping):
            raise InvalidInput(
                f"{where}: grade10", "must be a ClassJournal or student id → subject id → marks", grade10
            )
        earlier = grade10
    if student_ids is None:
        ids = certified_students(journal)
    else:
        ids = list(student_ids)
        for sid in ids:
            journal.student(sid)
    students = in_name_order([journal.student(i) for i in ids], collator)
    courses = graded_courses(journal)
    rows: list[FinalMarksRow] = []
    problems: list[FinalMarkProblem] = []
    for number, student in enumerate(students, start=1):
        cells: list[FinalMarkCell] = []
        for course in courses:
            subject = journal.subjects[course.subject_id]
            final_r = journal.result(student.id, course.id, ResultKind.FINAL)
            annual_r = journal.result(student.id, course.id, ResultKind.ANNUAL)
            exam_r = journal.result(student.id, course.id, ResultKind.EXAM) if course.examined else None
            before = _earlier_for(earlier, student.id, course.id, course.subject_id) if grade == 11 else ()
            this_year: tuple[MarkValue, ...] = ()
            if grade == 11:
                marks = [
                    r.value
                    for p in journal.scheme_of(course.id).periods
                    if (r := journal.result(student.id, course.id, ResultKind.PERIOD, p.id)) is not None
                ]
                if annual_r is not None:
                    marks.append(annual_r.value)
                this_year = tuple(marks)
            checked = grade == 9 or bool(before)
            expected: MarkValue | None = None
            mean: Fraction | None = None
            if checked:
                try:
                    proposal = propose_final_mark(journal, student.id, course.id, policy, earlier_results=before)
                except InvalidInput as e:
                    raise InvalidInput(f"{where}: grade10 of student {student.id}, {subject.name}", str(e)) from e
                expected, mean = proposal.value, proposal.mean
            cell = FinalMarkCell(
                course.id,
                course.subject_id,
                subject.name,
                None if final_r is None else final_r.value,
                None if annual_r is None else annual_r.value,
                None if exam_r is None else exam_r.value,
                before,
                this_year,
                expected,
                checked,
                mean,
            )
            cells.append(cell)
            found = _problem(cell, journal.scale_of(course.id).pass_from)
            if found is not None:
                code, value, wanted = found
                problems.append(
                    FinalMarkProblem(student.id, student.name.full, course.id, subject.name, code, value, wanted)
                )
        rows.append(FinalMarksRow(number, student.id, student.name.full, tuple(cells)))
    if not students:
        raise NotFound("student being certified", "(any)", f"class {journal.class_group.label}")
    return FinalMarksList(
        header_of(journal),
        tuple((c.id, journal.subjects[c.subject_id].name) for c in courses),
        tuple(rows),
        tuple(problems),
        bool(earlier),
    )

"""The annual summary sheet ("сводная ведомость учёта успеваемости обучающихся за учебный год").

:func:`build_summary_sheet` turns a :class:`~ejournal.core.journal.ClassJournal` into a
:class:`SummarySheet`: pure, frozen, display-ready data that renderers (PDF, HTML, CSV, XLSX,
JSON) print without looking at the journal again.  The sheet has

- a header: the school in Russian and Tatar, the academic year, the class, the class teacher,
  the period schemes of its courses, the collation language used for the order of the rows;
- one numbered row per student, in the language's alphabetical order (surname, given name,
  patronymic), with per course (curriculum order) the period marks of the course's own scheme,
  the annual mark and, in graduating classes, the exam (examined courses) and final marks, the
  attendance totals and the pedagogical council's decision;
- arrivals and departures during the year; students who left keep their row;
- the statistics block (per subject and for the class, per period and for the year);
- optional certification data;
- optionally, the stamp of the grading policy the marks were checked against
  (:class:`PolicyStamp`: its name, version and content hash);
- a content hash over a canonical JSON serialisation.

Marks are taken from ``journal.results`` as the teachers set them, never recomputed; an empty
cell is ``None`` (a missing mark is not a zero).  The policy stamp only records which policy
the marks were validated against; it changes no mark.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from datetime import date as _Date
from typing import TypeVar

from attrs import evolve, frozen

from ejournal.core.collation import Collator
from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.grading.policy import GradingPolicy
from ejournal.core.journal import (
    AdmissionTest,
    AdmissionTestKind,
    ClassJournal,
    Decision,
    DecisionKind,
    ResultKind,
    admission_test_kind,
)
from ejournal.core.model import AbsenceReason, AssessmentKind, Student
from ejournal.core.records import FINAL_SPAN, LEVEL_FIRST_GRADE, EarlierCourse, earlier_courses, period_label
from ejournal.core.scales import BUILTIN_SCALES, MarkValue, Scale, Status, format_value
from ejournal.core.stats import (
    Counting,
    Denominator,
    GradeCounts,
    GroupStats,
    SouVariant,
    StatsSettings,
    StudentCategories,
    categorize_students,
    class_periods,
    class_stats,
    is_five_point,
    is_test_score,
    pooled_course_ids,
    stats_from_values,
    subject_stats,
    year_members,
)

__all__ = [
    "DEFAULT_GRADUATING_GRADES",
    "FORMAT",
    "FORMAT_VERSION",
    "AdmissionTestEntry",
    "AttendanceSummary",
    "Certification",
    "ClassColumnStatistics",
    "DecisionEntry",
    "GridColumn",
    "GridGroup",
    "GridRow",
    "MovementEntry",
    "MovementKind",
    "PeriodLabel",
    "PolicyStamp",
    "SchemeLabel",
    "SheetCell",
    "SheetColumn",
    "SheetGrid",
    "SheetHeader",
    "SheetLayout",
    "SheetStatistics",
    "StudentRow",
    "SubjectColumns",
    "SubjectStatistics",
    "SummarySheet",
    "build_summary_sheet",
]

FORMAT = "ejournal.summary-sheet"
"""The ``format`` tag of :meth:`SummarySheet.to_dict`."""

FORMAT_VERSION = 5
"""The version of the serialisation; bumped whenever :meth:`SummarySheet.to_dict` changes shape
(2: the top-level ``policy`` stamp; 3: per-student class statistics — the categories carry the
``members`` on the sheet and their derived counts and rates, class period columns follow the
class's finest scheme, and every figure set says whether it is ``scores_only``; 4: earlier
grades on graduating sheets — columns and cells of an earlier grade carry its ``grade``, a
subject finished earlier its ``finished_grade``, an exam cell its ``primary_score`` and a test-score
exam column ``scores``, each written only when set; 5: a row's
``decisions`` list, every council decision of the year in council order, replaces its one
``decision``, and rows carry their ``admission_tests``).  :meth:`SummarySheet.from_dict` reads this version only."""

DEFAULT_GRADUATING_GRADES: frozenset[int] = frozenset({9, 11})
"""Grades whose sheets carry exam and final marks (state final certification)."""

_KIND_LABELS = {
    ResultKind.ANNUAL: ("год", "годовая"),
    ResultKind.EXAM: ("экз.", "экзаменационная"),
    ResultKind.FINAL: ("итог.", "итоговая"),
}
_SCORE_LABELS = ("балл", "тестовый балл ЕГЭ")
"""The headings of an exam column of test scores (ЕГЭ 0–100, not a school mark)."""


class SheetLayout(enum.Enum):
    """How the marks are laid out; the data is the same, every renderer offers both.

    ``STUDENTS_AS_ROWS``: a row per student, a column group per subject (the usual form).
    ``SUBJECTS_AS_ROWS``: a row per subject, a column group per student (the old paper journal).
    """

    STUDENTS_AS_ROWS = "students_as_rows"
    SUBJECTS_AS_ROWS = "subjects_as_rows"

    @property
    def other(self) -> SheetLayout:
        """The other layout."""
        if self is SheetLayout.STUDENTS_AS_ROWS:
            return SheetLayout.SUBJECTS_AS_ROWS
        return SheetLayout.STUDENTS_AS_ROWS


def _ru_date(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def _value_json(value: MarkValue | None) -> int | str | None:
    if value is None or isinstance(value, int):
        return value
    return value.code


# ---------------------------------------------------------------------------- header


@frozen
class PeriodLabel:
    """A period as the sheet prints it: ``label`` "I".."IV" for quarters, "1".."3" otherwise;
    ``name`` the full name ("I четверть")."""

    id: str
    number: int
    label: str
    name: str
    start: date
    end: date

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "id": self.id,
            "number": self.number,
            "label": self.label,
            "name": self.name,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


@frozen
class SchemeLabel:
    """A period scheme used by at least one course: id, name ("четверти"), kind value, periods."""

    id: str
    name: str
    kind: str
    periods: tuple[PeriodLabel, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {"id": self.id, "name": self.name, "kind": self.kind, "periods": [p.to_dict() for p in self.periods]}


@frozen
class SheetHeader:
    """What the head of the sheet says.

    ``school_name_tt`` is ``""`` when the school has no Tatar name; ``class_teacher_name`` is
    ``""`` when the class has no class teacher.  ``collation_language`` is the language whose
    alphabetical order the rows follow; ``graduating`` says whether exam and final columns are on
    the sheet.
    """

    school_id: str
    school_name_ru: str
    school_name_tt: str
    academic_year: str
    year_start: date
    year_end: date
    class_id: str
    class_label: str
    grade: int
    class_teacher_name: str
    graduating: bool
    collation_language: str
    schemes: tuple[SchemeLabel, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "school_id": self.school_id,
            "school_name_ru": self.school_name_ru,
            "school_name_tt": self.school_name_tt,
            "academic_year": self.academic_year,
            "year_start": self.year_start.isoformat(),
            "year_end": self.year_end.isoformat(),
            "class_id": self.class_id,
            "class_label": self.class_label,
            "grade": self.grade,
            "class_teacher_name": self.class_teacher_name,
            "graduating": self.graduating,
            "collation_language": self.collation_language,
            "schemes": [s.to_dict() for s in self.schemes],
        }


# ---------------------------------------------------------------------------- columns and cells


@frozen
class SheetColumn:
    """One mark column of one course: a period (``period_id`` set), the annual, exam or final mark.

    ``label`` is the short heading ("I", "1", "год", "экз.", "итог."), ``title`` the long one
    ("I четверть", "годовая"...); renderers may localise by ``kind`` and ``period_number``
    instead (``period_number`` is 0 for non-period columns).  ``grade`` is 0 for the class's own
    year; on a graduating sheet it names the earlier grade whose marks the column shows (grade
    10's half-years and year on a grade-11 sheet; the final mark of a subject finished in grade 7
    on a grade-9 sheet), taken from that grade's journal.
    """

    course_id: str
    kind: ResultKind
    period_id: str
    period_number: int
    label: str
    title: str
    grade: int = 0
    scores: bool = False  # an exam column of test scores (ЕГЭ 0–100), not five-point marks

    @property
    def key(self) -> tuple[str, ResultKind, str, int]:
        """``(course_id, kind, period_id, grade)``, the same as the key of its cells."""
        return (self.course_id, self.kind, self.period_id, self.grade)

    @property
    def is_earlier(self) -> bool:
        """True for a column of an earlier grade's marks."""
        return self.grade != 0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (``grade`` only for a column of an earlier grade, ``scores`` only when true)."""
        out: dict[str, object] = {
            "course_id": self.course_id,
            "kind": self.kind.value,
            "period_id": self.period_id,
            "period_number": self.period_number,
            "label": self.label,
            "title": self.title,
        }
        if self.scores:
            out["scores"] = True
        return out | ({"grade": self.grade} if self.grade else {})


@frozen
class SubjectColumns:
    """A course on the sheet (curriculum order) and its columns: the periods of its own scheme,
    then the annual mark, then (graduating classes) the exam mark for examined courses and the
    final mark.  ``exam_scale_id`` is ``""`` when the exam uses the course's scale.

    On a grade-11 sheet a course's columns start with grade 10's (:attr:`SheetColumn.grade`).
    A subject finished in an earlier grade of the level (``finished_grade``: music in grade 8 on a
    grade-9 sheet) is listed after the courses with one final column, the annual mark of that
    grade; its ``course_id`` is ``"finished:" + subject_id`` and it has no teacher or scheme."""

    course_id: str
    subject_id: str
    subject_name: str
    subject_label: str
    assessment: str
    teacher_name: str
    scale_id: str
    exam_scale_id: str
    scheme_id: str
    examined: bool
    columns: tuple[SheetColumn, ...]
    subject_name_tt: str = ""  # the Tatar name, where the subject data has one
    finished_grade: int = 0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "course_id": self.course_id,
            "subject_id": self.subject_id,
            "subject_name": self.subject_name,
            "subject_label": self.subject_label,
            "assessment": self.assessment,
            "teacher_name": self.teacher_name,
            "scale_id": self.scale_id,
            "exam_scale_id": self.exam_scale_id,
            "scheme_id": self.scheme_id,
            "examined": self.examined,
            "columns": [c.to_dict() for c in self.columns],
        } | (
            ({"subject_name_tt": self.subject_name_tt} if self.subject_name_tt else {})  # only when set
            | ({"finished_grade": self.finished_grade} if self.finished_grade else {})
        )


@frozen
class SheetCell:
    """One mark of one student in one column: a grade, a status ("н/а", "осв."...) or ``None``
    for an empty cell (missing is not zero).  ``primary_score`` keeps the ОГЭ primary score an
    exam mark was converted from (printed small beside the mark, see :attr:`score_text`)."""

    course_id: str
    kind: ResultKind
    period_id: str
    value: MarkValue | None
    grade: int = 0  # an earlier grade's mark (see SheetColumn.grade); 0 for this year's
    primary_score: int | None = None

    @property
    def key(self) -> tuple[str, ResultKind, str, int]:
        """``(course_id, kind, period_id, grade)``, the key of its column."""
        return (self.course_id, self.kind, self.period_id, self.grade)

    @property
    def is_empty(self) -> bool:
        """True when no mark was set."""
        return self.value is None

    @property
    def text(self) -> str:
        """The printed form: ``"5"``, ``"н/а"``, ``"осв."`` or ``""`` for an empty cell."""
        return "" if self.value is None else format_value(self.value)

    @property
    def score_text(self) -> str:
        """``"(27)"`` for a mark kept with its primary score, else ``""``."""
        return "" if self.primary_score is None else f"({self.primary_score})"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: the value is a number, a status code or ``None``; ``text`` as printed;
        ``grade`` and ``primary_score`` only when set."""
        out: dict[str, object] = {
            "course_id": self.course_id,
            "kind": self.kind.value,
            "period_id": self.period_id,
            "value": _value_json(self.value),
            "text": self.text,
        }
        if self.primary_score is not None:
            out["primary_score"] = self.primary_score
        return out | ({"grade": self.grade} if self.grade else {})


# ---------------------------------------------------------------------------- per-student data


@frozen
class AttendanceSummary:
    """A student's missed lessons and days over the year (while enrolled).

    A *lesson* is missed when its attendance code counts as missed (being late does not).  A
    *day* is missed when the class had at least one lesson that day (any course), the student
    was enrolled on it, and **every** lesson of that day is missed.  "For illness" counts the
    lessons whose code's reason is illness, and the missed days whose every lesson is missed for
    illness (a day of mixed reasons is missed but not for illness).
    """

    lessons_missed: int = 0
    lessons_missed_illness: int = 0
    days_missed: int = 0
    days_missed_illness: int = 0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "lessons_missed": self.lessons_missed,
            "lessons_missed_illness": self.lessons_missed_illness,
            "days_missed": self.days_missed,
            "days_missed_illness": self.days_missed_illness,
        }


@frozen
class DecisionEntry:
    """The pedagogical council's decision for a student.

    ``kind`` (its ``value`` is the key renderers localise by), the council's date and protocol
    number, the grade promoted to (if any) and a note.  :attr:`text_ru` and
    :attr:`council_text_ru` are the Russian wording the sheet prints
    (:func:`ejournal.i18n.texts.decision_wording`; other locales through that function).
    """

    kind: DecisionKind
    council_date: date
    protocol: str
    to_grade: int | None = None
    note: str = ""

    @classmethod
    def from_decision(cls, decision: Decision) -> DecisionEntry:
        """The sheet entry of a journal :class:`~ejournal.core.journal.Decision`."""
        return cls(decision.kind, decision.council_date, decision.protocol, decision.to_grade, decision.note)

    @property
    def text_ru(self) -> str:
        """``"переведён(а) в 10 класс"``, ``"оставлен(а) на повторное обучение"``... as the sheet prints it."""
        from ejournal.i18n.texts import decision_wording

        return decision_wording(self, "ru")

    @property
    def council_text_ru(self) -> str:
        """``"протокол № 7 от 28.05.2026"``, as the sheet prints it."""
        from ejournal.i18n.texts import council_text

        return council_text(self, "ru")

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: the data, and the Russian texts the sheet prints."""
        return {
            "kind": self.kind.value,
            "council_date": self.council_date.isoformat(),
            "protocol": self.protocol,
            "to_grade": self.to_grade,
            "note": self.note,
            "text_ru": self.text_ru,
            "council_text_ru": self.council_text_ru,
        }


@frozen
class AdmissionTestEntry:
    """One attempt at the admission test of grade 9 or 11 (see :class:`~ejournal.core.journal.AdmissionTest`).

    ``kind`` (its ``value`` is the key renderers localise by), the attempt's number and day,
    ``passed`` (зачёт) or not (незачёт), a note.  :attr:`text_ru` is the Russian wording.
    """

    kind: AdmissionTestKind
    attempt: int
    held_on: date
    passed: bool
    note: str = ""

    @classmethod
    def from_test(cls, test: AdmissionTest) -> AdmissionTestEntry:
        """The sheet entry of a journal :class:`~ejournal.core.journal.AdmissionTest`."""
        return cls(test.kind, test.attempt, test.held_on, test.passed, test.note)

    @property
    def text_ru(self) -> str:
        """``"собеседование: зачёт 12.02.2026"``, ``"сочинение: незачёт 03.12.2025"``, as the sheet prints it."""
        from ejournal.i18n.texts import admission_text

        return admission_text((self,), "ru")

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, with the Russian text."""
        return {
            "kind": self.kind.value,
            "attempt": self.attempt,
            "held_on": self.held_on.isoformat(),
            "passed": self.passed,
            "note": self.note,
            "text_ru": self.text_ru,
        }


class MovementKind(enum.Enum):
    """An arrival in the class during the year, or a departure from it."""

    ARRIVAL = "arrival"
    DEPARTURE = "departure"


@frozen
class MovementEntry:
    """A student who arrived or left during the year, with the date and the order number.

    An *arrival* is a student enrolled after the first school day (the earliest start of a
    period of the sheet's schemes); a *departure* a student who left before the last school day
    (the latest end of such a period).  ``order`` is ``""`` when the journal has no number.
    """

    student_id: str
    student_name: str
    kind: MovementKind
    date: date
    order: str

    @property
    def text_ru(self) -> str:
        """``"прибыл(а) 12.01.2026, приказ № 15"`` / ``"выбыл(а) 20.12.2025, приказ № 9"``, as the sheet prints it."""
        from ejournal.i18n.texts import movement_text

        return movement_text(self.kind is MovementKind.ARRIVAL, self.date, self.order, "ru")

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, with the Russian text."""
        return {
            "student_id": self.student_id,
            "student_name": self.student_name,
            "kind": self.kind.value,
            "date": self.date.isoformat(),
            "order": self.order,
            "text_ru": self.text_ru,
        }


@frozen
class StudentRow:
    """One numbered row: a student, their marks, attendance, decisions and movements.

    ``cells`` line up with :attr:`SummarySheet.columns` (all courses' columns, flattened).
    ``decisions`` are every council decision of the year, in council order (the last is the one
    in force, :attr:`decision`); ``admission_tests`` the attempts at the grade-9 interview or the
    grade-11 essay, first attempt first (empty in other grades).  A student who left during the
    year keeps the row; :attr:`departure` says when and by which order (their later cells are
    simply empty).
    """

    number: int
    student_id: str
    surname: str
    given_name: str
    patronymic: str
    cells: tuple[SheetCell, ...]
    attendance: AttendanceSummary
    decisions: tuple[DecisionEntry, ...] = ()
    arrival: MovementEntry | None = None
    departure: MovementEntry | None = None
    sex: str = ""  # "m", "f" or "" (not recorded): renderers pick «переведён»/«переведена»
    admission_tests: tuple[AdmissionTestEntry, ...] = ()

    @property
    def decision(self) -> DecisionEntry | None:
        """The decision in force: the last of :attr:`decisions` (``None`` when there is none)."""
        return self.decisions[-1] if self.decisions else None

    @property
    def full_name(self) -> str:
        """``"Иванов Иван Иванович"``."""
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        """``"Иванов И. И."``."""
        initials = " ".join(f"{p[0]}." for p in (self.given_name, self.patronymic) if p)
        return f"{self.surname} {initials}"

    @property
    def has_left(self) -> bool:
        """True for a student who left during the year."""
        return self.departure is not None

    def cell(
        self, course_id: str, kind: ResultKind = ResultKind.ANNUAL, period_id: str = "", *, grade: int = 0
    ) -> SheetCell:
        """The cell of that column (``grade``: an earlier grade's column, see
        :attr:`SheetColumn.grade`); raises :class:`NotFound` when the sheet has no such column."""
        for c in self.cells:
            if c.key == (course_id, kind, period_id, grade):
                return c
        raise NotFound("column", (course_id, kind.value, period_id, grade), f"row {self.number}")

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "number": self.number,
            "student_id": self.student_id,
            "surname": self.surname,
            "given_name": self.given_name,
            "patronymic": self.patronymic,
            "full_name": self.full_name,
            "cells": [c.to_dict() for c in self.cells],
            "attendance": self.attendance.to_dict(),
            "decisions": [d.to_dict() for d in self.decisions],
            "admission_tests": [t.to_dict() for t in self.admission_tests],
            "arrival": None if self.arrival is None else self.arrival.to_dict(),
            "departure": None if self.departure is None else self.departure.to_dict(),
        } | ({"sex": self.sex} if self.sex else {})  # written only when recorded (older sheets keep their hash)


# ---------------------------------------------------------------------------- statistics block


@frozen
class SubjectStatistics:
    """A course's statistics, one :class:`~ejournal.core.stats.GroupStats` per column of its
    :class:`SubjectColumns` (same order)."""

    course_id: str
    columns: tuple[SheetColumn, ...]
    stats: tuple[GroupStats, ...]

    def __attrs_post_init__(self) -> None:
        if len(self.columns) != len(self.stats):
            raise InvalidInput(f"statistics of course {self.course_id}", "one figure set per column", len(self.stats))

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "course_id": self.course_id,
            "columns": [
                {"kind": c.kind.value, "period_id": c.period_id, "stats": s.to_dict()}
                | ({"grade": c.grade} if c.grade else {})
                for c, s in zip(self.columns, self.stats, strict=True)
            ],
        }


@frozen
class ClassColumnStatistics:
    """The class's figures for one column (a period, the year, exams, final marks).

    ``categories`` are the class figures **per student** (N, successful, quality, the students
    by category, ids in row order; see :class:`~ejournal.core.stats.StudentCategories`), the
    default; ``stats`` pools every (student, course) result, or every lesson mark, of the graded
    five-point courses of the column (``course_ids``), printed only when the school counts per
    mark (``Counting.PER_MARK``).
    """

    kind: ResultKind
    period_id: str
    label: str
    title: str
    course_ids: tuple[str, ...]
    stats: GroupStats
    categories: StudentCategories

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "kind": self.kind.value,
            "period_id": self.period_id,
            "label": self.label,
            "title": self.title,
            "course_ids": list(self.course_ids),
            "stats": self.stats.to_dict(),
            "categories": self.categories.to_dict(),
        }


@frozen
class SheetStatistics:
    """The statistics block: per subject (curriculum order) and for the class (periods of every
    scheme in use, then the year, then exams and final marks in graduating classes)."""

    subjects: tuple[SubjectStatistics, ...]
    class_columns: tuple[ClassColumnStatistics, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "subjects": [s.to_dict() for s in self.subjects],
            "class_columns": [c.to_dict() for c in self.class_columns],
        }


# ---------------------------------------------------------------------------- certification


@frozen
class Certification:
    """Who certifies the printed sheet and when: the date, the director's and the class
    teacher's names (as printed under the signatures).

    Raises :class:`InvalidInput` for a date that is not a :class:`~datetime.date` or an empty
    name.
    """

    date: date
    director_name: str
    class_teacher_name: str

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.date, date):
            raise InvalidInput("certification.date", "must be a date", self.date)
        for where, value in (
            ("certification.director_name", self.director_name),
            ("certification.class_teacher_name", self.class_teacher_name),
        ):
            if not isinstance(value, str) or not value.strip():
                raise InvalidInput(where, "must be a non-empty name", value)

    @classmethod
    def from_journal(
        cls, journal: ClassJournal, on: _Date, *, director: str | None = None, class_teacher: str | None = None
    ) -> Certification:
        """The certification with the school's director and the class's teacher from ``journal``;
        ``director`` and ``class_teacher`` are the names to print instead (an acting director, a
        school whose data lacks them).

        Raises :class:`InvalidInput` when a name is missing from both the data and the arguments.
        """
        director_name = director or (journal.school.director.full if journal.school.director else None)
        if not director_name:
            raise InvalidInput("school.director", "the school has no director to sign the sheet (give the name)", None)
        teacher_id = journal.class_group.class_teacher_id
        teacher_name = class_teacher or (
            journal.teachers[teacher_id].name.full if teacher_id and teacher_id in journal.teachers else None
        )
        if not teacher_name:
            raise InvalidInput(
                "class_group.class_teacher_id", "the class has no class teacher to sign (give the name)", teacher_id
            )
        return cls(on, director_name, teacher_name)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "date": self.date.isoformat(),
            "director_name": self.director_name,
            "class_teacher_name": self.class_teacher_name,
        }


# ---------------------------------------------------------------------------- grading policy

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


@frozen
class PolicyStamp:
    """The grading policy a sheet's marks were checked against: its ``name``, ``version`` and
    ``content_hash`` (the SHA-256 of the policy's canonical JSON, 64 lowercase hex digits; see
    :attr:`~ejournal.core.grading.GradingPolicy.content_hash`).

    Build it with :meth:`of`.  Raises :class:`InvalidInput` (``where`` is ``policy.<field>``) for
    an empty name or version or a hash that is not 64 lowercase hex digits.
    """

    name: str
    version: str
    content_hash: str

    def __attrs_post_init__(self) -> None:
        for key, value in (("name", self.name), ("version", self.version)):
            if not isinstance(value, str) or not value.strip():
                raise InvalidInput(f"policy.{key}", "must be a non-empty string", value)
        if not isinstance(self.content_hash, str) or not _SHA256_HEX.fullmatch(self.content_hash):
            raise InvalidInput("policy.content_hash", "must be a SHA-256 as 64 lowercase hex digits", self.content_hash)

    @classmethod
    def of(cls, policy: GradingPolicy) -> PolicyStamp:
        """The stamp of ``policy``; raises :class:`InvalidInput` when it is not a :class:`GradingPolicy`."""
        if not isinstance(policy, GradingPolicy):
            raise InvalidInput("policy", "must be a GradingPolicy or None", policy)
        return cls(policy.name, policy.version, policy.content_hash)

    @property
    def short_hash(self) -> str:
        """The first 8 hex digits of the hash, as printed."""
        return self.content_hash[:8]

    @property
    def label(self) -> str:
        """``"federal v1 (3f2a9c1d)"``: the same text as :attr:`GradingPolicy.label`."""
        return f"{self.name} v{self.version} ({self.short_hash})"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {"name": self.name, "version": self.version, "content_hash": self.content_hash}


# ---------------------------------------------------------------------------- layouts


@frozen
class GridColumn:
    """A sub-column of a grid group: its kind, its period number (0 if none), headings and the
    earlier grade it shows (0: this year)."""

    kind: ResultKind
    period_number: int
    label: str
    title: str
    grade: int = 0


@frozen
class GridGroup:
    """A column group: a subject (students as rows) or a student (subjects as rows).

    ``key`` is the course id or student id, ``number`` the student's row number (``None`` for
    subjects).
    """

    key: str
    label: str
    number: int | None
    columns: tuple[GridColumn, ...]


@frozen
class GridRow:
    """A row of a grid: a student (``number`` is the row number) or a subject (its place in
    the curriculum, from 1); ``cells`` line up with the grid's flattened columns.  A ``None`` cell is a column the subject does not have (not an empty mark, which is
    a :class:`SheetCell` whose value is ``None``)."""

    key: str
    label: str
    number: int | None
    cells: tuple[SheetCell | None, ...]


@frozen
class SheetGrid:
    """The marks of the sheet laid out for printing: column groups and rows.

    Students as rows: a group per subject with that course's own columns; every cell present.
    Subjects as rows: a group per student with the sheet-wide sub-columns (period 1..n, then
    year, exam, final), a subject's row having ``None`` where its scheme has no such period.
    Attendance, decisions and statistics are on the :class:`SummarySheet` itself.
    """

    layout: SheetLayout
    groups: tuple[GridGroup, ...]
    rows: tuple[GridRow, ...]

    @property
    def columns(self) -> tuple[GridColumn, ...]:
        """All sub-columns, flattened in group order (what each row's cells line up with)."""
        return tuple(c for g in self.groups for c in g.columns)


def _slot(column: SheetColumn) -> tuple[int, ResultKind, int]:
    """The sub-column of the subjects-as-rows grid a column goes to: an earlier grade's periods
    and year have their own; every final mark (a finished subject's too) shares the final one."""
    grade = 0 if column.kind is ResultKind.FINAL else column.grade
    return (grade, column.kind, column.period_number)


# ---------------------------------------------------------------------------- the sheet


@frozen
class SummarySheet:
    """The annual summary sheet of one class: pure, display-ready data (see the module doc).

    ``subjects`` are the courses in curriculum order with their columns; ``rows`` the students
    in the header's collation order, numbered from 1; every row's cells line up with
    :attr:`columns`.  ``movements`` lists arrivals and departures by date.  ``settings`` are the
    statistics settings used; ``layout`` the layout chosen for printing (the data does not
    depend on it); ``policy`` the stamp of the grading policy the marks were checked against
    (``None`` when the sheet was built without one).  Construction checks that rows are numbered 1..n and their cells match the
    columns, and that every class column's categories list exactly the sheet's students (so its
    totals reconcile with the class: N + excluded = rows); raises :class:`InvalidInput` otherwise.
    """

    header: SheetHeader
    subjects: tuple[SubjectColumns, ...]
    rows: tuple[StudentRow, ...]
    movements: tuple[MovementEntry, ...]
    statistics: SheetStatistics
    settings: StatsSettings
    layout: SheetLayout = SheetLayout.STUDENTS_AS_ROWS
    certification: Certification | None = None
    policy: PolicyStamp | None = None

    def __attrs_post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        for i, row in enumerate(self.rows, start=1):
            if row.number != i:
                raise InvalidInput(
                    f"rows[{i - 1}].number", f"rows are numbered from 1 in order; expected {i}", row.number
                )
            if [c.key for c in row.cells] != keys:
                raise InvalidInput(
                    f"rows[{i - 1}].cells", "cells must line up with the sheet's columns", len(row.cells)
                )
        order = tuple(r.student_id for r in self.rows)
        for i, cc in enumerate(self.statistics.class_columns):
            if cc.categories.members != order:
                raise InvalidInput(
                    f"statistics.class_columns[{i}].categories.members",
                    "must list the sheet's students in row order",
                    list(cc.categories.members),
                )

    @property
    def columns(self) -> tuple[SheetColumn, ...]:
        """Every course's columns, flattened in curriculum order."""
        return tuple(c for s in self.subjects for c in s.columns)

    def row_of(self, student_id: str) -> StudentRow:
        """The row of a student; raises :class:`NotFound`."""
        for row in self.rows:
            if row.student_id == student_id:
                return row
        raise NotFound("student", student_id, f"summary sheet of class {self.header.class_label}")

    def subject(self, course_id: str) -> SubjectColumns:
        """The columns of a course; raises :class:`NotFound`."""
        for s in self.subjects:
            if s.course_id == course_id:
                return s
        raise NotFound("course", course_id, f"summary sheet of class {self.header.class_label}")

    # ------------------------------------------------------------------ layouts
    def transposed(self) -> SummarySheet:
        """The same sheet with the other :class:`SheetLayout`."""
        return evolve(self, layout=self.layout.other)

    def with_layout(self, layout: SheetLayout) -> SummarySheet:
        """The same sheet with ``layout``; raises :class:`InvalidInput` when it is not a :class:`SheetLayout`."""
        if not isinstance(layout, SheetLayout):
            raise InvalidInput("layout", "must be a SheetLayout", layout)
        return evolve(self, layout=layout)

    def grid(self, layout: SheetLayout | None = None) -> SheetGrid:
        """The marks as a :class:`SheetGrid` in ``layout`` (default: the sheet's own layout).

        Raises :class:`InvalidInput` when ``layout`` is not a :class:`SheetLayout` or ``None``.
        """
        layout = self.layout if layout is None else layout
        if layout is SheetLayout.STUDENTS_AS_ROWS:
            groups = tuple(
                GridGroup(
                    s.course_id,
                    s.subject_name,
                    None,
                    tuple(GridColumn(c.kind, c.period_number, c.label, c.title, c.grade) for c in s.columns),
                )
                for s in self.subjects
            )
            rows = tuple(GridRow(r.student_id, r.full_name, r.number, r.cells) for r in self.rows)
            return SheetGrid(layout, groups, rows)
        if layout is SheetLayout.SUBJECTS_AS_ROWS:
            return self._subjects_as_rows()
        raise InvalidInput("layout", "must be a SheetLayout", layout)

    def rows_for(self, layout: SheetLayout | None = None) -> tuple[GridRow, ...]:
        """The grid rows of ``layout`` (see :meth:`grid`)."""
        return self.grid(layout).rows

    def _subjects_as_rows(self) -> SheetGrid:
        slots: list[tuple[int, ResultKind, int]] = []
        labels: dict[tuple[int, ResultKind, int], list[tuple[str, str]]] = {}
        for s in self.subjects:
            for c in s.columns:
                slot = _slot(c)
                if slot not in labels:
                    labels[slot] = []
                    slots.append(slot)
                if (c.label, c.title) not in labels[slot]:
                    labels[slot].append((c.label, c.title))
        kind_order = {ResultKind.PERIOD: 0, ResultKind.ANNUAL: 1, ResultKind.EXAM: 2, ResultKind.FINAL: 3}
        slots.sort(key=lambda k: (k[0] == 0, k[0], kind_order[k[1]], k[2]))  # earlier grades first
        sub_columns = tuple(
            GridColumn(
                kind,
                number,
                "/".join(label for label, _ in labels[(grade, kind, number)]),
                " / ".join(title for _, title in labels[(grade, kind, number)]),
                grade,
            )
            for grade, kind, number in slots
        )
        groups = tuple(GridGroup(r.student_id, r.short_name, r.number, sub_columns) for r in self.rows)
        cells_by_key = [{c.key: c for c in r.cells} for r in self.rows]
        rows = []
        for number, s in enumerate(self.subjects, start=1):
            by_slot = {_slot(c): c.key for c in s.columns}
            cells: list[SheetCell | None] = []
            for row_cells in cells_by_key:
                for slot in slots:
                    key = by_slot.get(slot)
                    cells.append(None if key is None else row_cells[key])
            rows.append(GridRow(s.course_id, s.subject_name, number, tuple(cells)))
        return SheetGrid(SheetLayout.SUBJECTS_AS_ROWS, groups, tuple(rows))

    # ------------------------------------------------------------------ serialisation
    def to_dict(self) -> dict[str, object]:
        """The whole sheet as JSON-ready data (dicts, lists, str, int, bool, ``None`` only).

        Exact numbers are ``"n/d"`` strings, dates ISO strings, marks numbers or status codes,
        enums their values.  No floats.  ``"policy"`` is the :class:`PolicyStamp` as an object
        (``name``, ``version``, ``content_hash``), or ``None``.
        """
        s = self.settings
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "header": self.header.to_dict(),
            "layout": self.layout.value,
            "settings": {
                "denominator": s.denominator.value,
                "sou_variant": s.sou_variant.value,
                "counting": s.counting.value,
                "percent_digits": s.percent_digits,
                "average_digits": s.average_digits,
                "decimal_separator": s.decimal_separator,
            },
            "subjects": [x.to_dict() for x in self.subjects],
            "rows": [r.to_dict() for r in self.rows],
            "movements": [m.to_dict() for m in self.movements],
            "statistics": self.statistics.to_dict(),
            "certification": None if self.certification is None else self.certification.to_dict(),
            "policy": None if self.policy is None else self.policy.to_dict(),
        }

    def canonical_json(self) -> bytes:
        """:meth:`to_dict` as canonical UTF-8 JSON: sorted keys, ``ensure_ascii=False``,
        separators ``(",", ":")``, no NaN.  The same bytes on every machine and Python version."""
        return json.dumps(
            self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        ).encode("utf-8")

    @property
    def content_hash(self) -> str:
        """SHA-256 (hex) of :meth:`canonical_json`; changes when any mark, name, date, setting or
        the policy stamp does."""
        return hashlib.sha256(self.canonical_json()).hexdigest()

    @classmethod
    def from_dict(cls, data: object, *, scales: Mapping[str, Scale] | None = None) -> SummarySheet:
        """The sheet whose :meth:`to_dict` is ``data``: the inverse of :meth:`to_dict`.

        ``data`` is what :meth:`to_dict` returned, or :meth:`canonical_json` parsed back
        (``json.loads``); ``SummarySheet.from_dict(s.to_dict()) == s`` with the same
        :attr:`content_hash`.  The statistics name their scales by id: the built-in scales are
        known, others are passed in ``scales`` (id → :class:`~ejournal.core.scales.Scale`).
        The derived values in ``data`` (printed texts, full names, Russian wordings, N, rates and
        their display texts) must agree with the rest: the rebuilt sheet's :meth:`to_dict` must
        equal ``data``.

        Raises :class:`InvalidInput` whose ``where`` is the JSON path of the first bad value
        (``"rows[3].cells[5].value"``, ``"header.year_start"``, ``"policy.content_hash"``): a
        missing field, a wrong type, an unknown enum value or scale, a date not in ``YYYY-MM-DD``,
        a policy hash that is not 64 lowercase hex digits, another ``format`` or
        ``format_version``, a rule of the sheet broken (rows numbered 1..n, cells lining up with
        the columns), or a derived value that does not agree.
        """
        return _sheet_from_dict(data, scales)


# ---------------------------------------------------------------------------- reading back


_E = TypeVar("_E", bound=enum.Enum)


def _path(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


class _Reader:
    """Typed access to one JSON object of :meth:`SummarySheet.to_dict`, naming the path of each field."""

    __slots__ = ("data", "where")

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise InvalidInput(where or "summary_sheet", "must be a JSON object", type(data).__name__)
        self.data: dict[str, object] = data
        self.where = where

    def at(self, key: str) -> str:
        return _path(self.where, key)

    def raw(self, key: str) -> object:
        if key not in self.data:
            raise InvalidInput(self.at(key), "is missing", None)
        return self.data[key]

    def obj(self, key: str) -> _Reader:
        return _Reader(self.raw(key), self.at(key))

    def opt_obj(self, key: str) -> _Reader | None:
        value = self.raw(key)
        return None if value is None else _Reader(value, self.at(key))

    def items(self, key: str) -> list[tuple[object, str]]:
        value = self.raw(key)
        if not isinstance(value, list):
            raise InvalidInput(self.at(key), "must be a JSON array", type(value).__name__)
        return [(item, _path(self.at(key), i)) for i, item in enumerate(value)]

    def objs(self, key: str) -> list[_Reader]:
        return [_Reader(item, where) for item, where in self.items(key)]

    def text(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str):
            raise InvalidInput(self.at(key), "must be a string", value)
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        out = []
        for item, where in self.items(key):
            if not isinstance(item, str):
                raise InvalidInput(where, "must be a string", item)
            out.append(item)
        return tuple(out)

    def whole(self, key: str) -> int:
        return _whole(self.raw(key), self.at(key))

    def opt_whole(self, key: str) -> int | None:
        value = self.raw(key)
        return None if value is None else _whole(value, self.at(key))

    def flag(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise InvalidInput(self.at(key), "must be true or false", value)
        return value

    def day(self, key: str) -> date:
        value = self.raw(key)
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None or day.isoformat() != value:
            raise InvalidInput(self.at(key), "must be a date as YYYY-MM-DD", value)
        return day

    def choice(self, key: str, kind: type[_E]) -> _E:
        value = self.raw(key)
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in kind)
            raise InvalidInput(self.at(key), f"must be one of {allowed}", value) from None

    def mark(self, key: str) -> MarkValue | None:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return Status(value)
            except ValueError:
                raise InvalidInput(self.at(key), "must be a grade, a status code or null", value) from None
        return _whole(value, self.at(key))


def _whole(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(where, "must be a whole number", value)
    return value


def _read_header(r: _Reader) -> SheetHeader:
    schemes = []
    for s in r.objs("schemes"):
        periods = tuple(
            PeriodLabel(p.text("id"), p.whole("number"), p.text("label"), p.text("name"), p.day("start"), p.day("end"))
            for p in s.objs("periods")
        )
        schemes.append(SchemeLabel(s.text("id"), s.text("name"), s.text("kind"), periods))
    return SheetHeader(
        r.text("school_id"),
        r.text("school_name_ru"),
        r.text("school_name_tt"),
        r.text("academic_year"),
        r.day("year_start"),
        r.day("year_end"),
        r.text("class_id"),
        r.text("class_label"),
        r.whole("grade"),
        r.text("class_teacher_name"),
        r.flag("graduating"),
        r.text("collation_language"),
        tuple(schemes),
    )


def _read_column(r: _Reader) -> SheetColumn:
    return SheetColumn(
        r.text("course_id"),
        r.choice("kind", ResultKind),
        r.text("period_id"),
        r.whole("period_number"),
        r.text("label"),
        r.text("title"),
        _opt_grade(r),
        r.flag("scores") if "scores" in r.data else False,
    )


def _opt_grade(r: _Reader) -> int:
    """An earlier grade's ``grade`` (written only when not 0)."""
    if "grade" not in r.data:
        return 0
    grade = r.whole("grade")
    if not 1 <= grade <= 12:
        raise InvalidInput(r.at("grade"), "an earlier grade is from 1 to 12", grade)
    return grade


def _read_subject(r: _Reader) -> SubjectColumns:
    return SubjectColumns(
        r.text("course_id"),
        r.text("subject_id"),
        r.text("subject_name"),
        r.text("subject_label"),
        r.text("assessment"),
        r.text("teacher_name"),
        r.text("scale_id"),
        r.text("exam_scale_id"),
        r.text("scheme_id"),
        r.flag("examined"),
        tuple(_read_column(c) for c in r.objs("columns")),
        r.text("subject_name_tt") if "subject_name_tt" in r.data else "",
        r.whole("finished_grade") if "finished_grade" in r.data else 0,
    )


def _read_movement(r: _Reader | None) -> MovementEntry | None:
    if r is None:
        return None
    return MovementEntry(
        r.text("student_id"), r.text("student_name"), r.choice("kind", MovementKind), r.day("date"), r.text("order")
    )


def _read_row(r: _Reader) -> StudentRow:
    cells = tuple(
        SheetCell(
            c.text("course_id"),
            c.choice("kind", ResultKind),
            c.text("period_id"),
            c.mark("value"),
            _opt_grade(c),
            c.whole("primary_score") if "primary_score" in c.data else None,
        )
        for c in r.objs("cells")
    )
    a = r.obj("attendance")
    decisions = tuple(
        DecisionEntry(
            d.choice("kind", DecisionKind),
            d.day("council_date"),
            d.text("protocol"),
            d.opt_whole("to_grade"),
            d.text("note"),
        )
        for d in r.objs("decisions")
    )
    tests = tuple(
        AdmissionTestEntry(
            t.choice("kind", AdmissionTestKind), t.whole("attempt"), t.day("held_on"), t.flag("passed"), t.text("note")
        )
        for t in r.objs("admission_tests")
    )
    return StudentRow(
        r.whole("number"),
        r.text("student_id"),
        r.text("surname"),
        r.text("given_name"),
        r.text("patronymic"),
        cells,
        AttendanceSummary(
            a.whole("lessons_missed"),
            a.whole("lessons_missed_illness"),
            a.whole("days_missed"),
            a.whole("days_missed_illness"),
        ),
        decisions,
        _read_movement(r.opt_obj("arrival")),
        _read_movement(r.opt_obj("departure")),
        _read_sex(r),
        tests,
    )


def _read_sex(r: _Reader) -> str:
    value = r.data.get("sex", "")
    if value not in ("", "m", "f"):
        raise InvalidInput(r.at("sex"), 'must be "m" or "f" (or absent)', value)
    return str(value)


def _renamed(e: InvalidInput, where: str) -> InvalidInput:
    """``e`` said again at the JSON path ``where`` + its field (a constructor names its own class)."""
    return InvalidInput(_path(where, e.where.rsplit(".", 1)[-1]), e.reason, e.value)


def _read_policy(r: _Reader | None) -> PolicyStamp | None:
    if r is None:
        return None
    return PolicyStamp(r.text("name"), r.text("version"), r.text("content_hash"))


def _read_settings(r: _Reader) -> StatsSettings:
    values = (
        r.choice("denominator", Denominator),
        r.choice("sou_variant", SouVariant),
        r.choice("counting", Counting),
        r.whole("percent_digits"),
        r.whole("average_digits"),
        r.text("decimal_separator"),
    )
    try:
        return StatsSettings(*values)
    except InvalidInput as e:
        raise _renamed(e, r.where) from e


def _read_stats(r: _Reader, settings: StatsSettings, scales: Mapping[str, Scale]) -> GroupStats:
    scale_id = r.text("scale_id")
    scale = scales.get(scale_id)
    if scale is None:
        raise InvalidInput(r.at("scale_id"), "unknown scale (pass it in scales=)", scale_id)
    grades = r.obj("grades")
    expected = [str(g) for g in reversed(scale.values)]
    if sorted(grades.data) != sorted(expected):
        raise InvalidInput(grades.where, f"must count exactly the grades of scale {scale_id!r}", sorted(grades.data))
    pairs = tuple((int(g), grades.whole(g)) for g in expected)
    others = [r.whole(k) for k in ("not_certified", "exempt", "passed", "failed", "missing")]
    try:
        counts = GradeCounts(pairs, *others)
    except InvalidInput as e:
        raise _renamed(e, r.where) from e
    return GroupStats(scale, counts, settings, r.flag("scores_only"))


def _read_statistics(
    r: _Reader, subjects: tuple[SubjectColumns, ...], settings: StatsSettings, scales: Mapping[str, Scale]
) -> SheetStatistics:
    by_course = {s.course_id: s for s in subjects}
    per_subject = []
    for s in r.objs("subjects"):
        course_id = s.text("course_id")
        subject = by_course.get(course_id)
        if subject is None:
            raise InvalidInput(s.at("course_id"), "is not a course of the sheet", course_id)
        by_key = {(c.kind, c.period_id, c.grade): c for c in subject.columns}
        columns, stats = [], []
        for c in s.objs("columns"):
            key = (c.choice("kind", ResultKind), c.text("period_id"), _opt_grade(c))
            column = by_key.get(key)
            if column is None:
                raise InvalidInput(c.where, f"is not a column of course {course_id!r}", [key[0].value, key[1], key[2]])
            columns.append(column)
            stats.append(_read_stats(c.obj("stats"), settings, scales))
        per_subject.append(SubjectStatistics(course_id, tuple(columns), tuple(stats)))
    class_columns = []
    for c in r.objs("class_columns"):
        k = c.obj("categories")
        class_columns.append(
            ClassColumnStatistics(
                c.choice("kind", ResultKind),
                c.text("period_id"),
                c.text("label"),
                c.text("title"),
                c.texts("course_ids"),
                _read_stats(c.obj("stats"), settings, scales),
                _read_categories(k),
            )
        )
    return SheetStatistics(tuple(per_subject), tuple(class_columns))


def _read_categories(k: _Reader) -> StudentCategories:
    try:
        return StudentCategories(
            k.texts("members"),
            k.texts("assessed"),
            k.texts("all_fives"),
            k.texts("fours_and_fives"),
            k.texts("one_four"),
            k.texts("one_three"),
            k.texts("failing"),
            k.texts("not_certified"),
        )
    except InvalidInput as e:
        raise (InvalidInput(k.where, e.reason, e.value) if e.where == "categories" else _renamed(e, k.where)) from e


def _first_difference(expected: object, actual: object, where: str) -> str | None:
    """The path of the first place where ``actual`` differs from ``expected`` (``None`` when equal)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in expected or key not in actual:
                return _path(where, str(key))
            found = _first_difference(expected[key], actual[key], _path(where, str(key)))
            if found is not None:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return where
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found = _first_difference(e, a, _path(where, i))
            if found is not None:
                return found
        return None
    if type(expected) is not type(actual) or expected != actual:
        return where
    return None


def _sheet_from_dict(data: object, scales: Mapping[str, Scale] | None) -> SummarySheet:
    r = _Reader(data, "")
    if r.raw("format") != FORMAT:
        raise InvalidInput("format", f"must be {FORMAT!r}", r.raw("format"))
    if r.raw("format_version") != FORMAT_VERSION:
        raise InvalidInput("format_version", f"this library reads version {FORMAT_VERSION}", r.raw("format_version"))
    known = dict(BUILTIN_SCALES) if scales is None else {**BUILTIN_SCALES, **scales}
    settings = _read_settings(r.obj("settings"))
    subjects = tuple(_read_subject(s) for s in r.objs("subjects"))
    cert = r.opt_obj("certification")
    sheet = SummarySheet(
        _read_header(r.obj("header")),
        subjects,
        tuple(_read_row(row) for row in r.objs("rows")),
        tuple(m for m in (_read_movement(m) for m in r.objs("movements")) if m is not None),
        _read_statistics(r.obj("statistics"), subjects, settings, known),
        settings,
        r.choice("layout", SheetLayout),
        None
        if cert is None
        else Certification(cert.day("date"), cert.text("director_name"), cert.text("class_teacher_name")),
        _read_policy(r.opt_obj("policy")),
    )
    different = _first_difference(sheet.to_dict(), data, "")
    if different is not None:
        raise InvalidInput(
            different or "summary_sheet",
            "does not agree with the rest of the sheet (a derived value was changed)",
            None,
        )
    return sheet


# ---------------------------------------------------------------------------- building


FINISHED_PREFIX = "finished:"
"""The ``course_id`` prefix of a subject finished in an earlier grade (see :class:`SubjectColumns`)."""


def _earlier_columns(course_id: str, earlier: EarlierCourse) -> list[SheetColumn]:
    """An earlier grade's period and annual columns of a course (grade 10's on a grade-11 sheet)."""
    g = earlier.grade
    cols = [
        SheetColumn(course_id, ResultKind.PERIOD, p.id, p.number, p.label, f"{p.title} ({g} класс)", g)
        for p in earlier.periods
    ]
    cols.append(SheetColumn(course_id, ResultKind.ANNUAL, "", 0, "год", f"годовая ({g} класс)", g))
    return cols


def _course_columns(
    journal: ClassJournal, course_id: str, graduating: bool, before: Iterable[EarlierCourse] = ()
) -> tuple[SheetColumn, ...]:
    course = journal.course(course_id)
    cols = [c for e in before for c in _earlier_columns(course_id, e)]
    cols += [
        SheetColumn(course_id, ResultKind.PERIOD, p.id, p.number, period_label(p), p.name or period_label(p))
        for p in journal.scheme_of(course_id).periods
    ]
    kinds = [ResultKind.ANNUAL]
    if graduating:
        if course.examined:
            kinds.append(ResultKind.EXAM)
        kinds.append(ResultKind.FINAL)
    cols.extend(SheetColumn(course_id, k, "", 0, *_KIND_LABELS[k]) for k in kinds)
    if graduating and course.examined and is_test_score(journal, course_id, ResultKind.EXAM):
        cols = [
            SheetColumn(course_id, c.kind, "", 0, *_SCORE_LABELS, scores=True) if c.kind is ResultKind.EXAM else c
            for c in cols
        ]
    return tuple(cols)


def _subject_columns(
    journal: ClassJournal, graduating: bool, earlier: Mapping[tuple[str, int], EarlierCourse]
) -> tuple[SubjectColumns, ...]:
    """The mark columns by course; a subject taught without marks (безотметочное обучение, as in
    grade 1) gets none unless results were set for it — the sheet then prints what applies.

    On a graduating sheet ``earlier`` adds the earlier grades: grade 10's columns before a
    grade-11 course's (:data:`~ejournal.core.records.FINAL_SPAN`), and the subjects finished in an
    earlier grade of the level (:data:`~ejournal.core.records.LEVEL_FIRST_GRADE`), in curriculum
    order among the courses."""
    out: list[tuple[int, SubjectColumns]] = []
    with_results = {r.course_id for r in journal.results.values()}
    grade = journal.class_group.grade
    span = FINAL_SPAN.get(grade, ()) if graduating else ()
    for course in journal.courses_in_order():
        subject = journal.subjects[course.subject_id]
        if subject.assessment is AssessmentKind.NONE and course.id not in with_results:
            continue
        teacher = journal.teachers.get(course.teacher_id) if course.teacher_id else None
        before = [earlier[(subject.id, g)] for g in span if (subject.id, g) in earlier]
        out.append(
            (
                subject.order,
                SubjectColumns(
                    course.id,
                    subject.id,
                    subject.name,
                    subject.label,
                    subject.assessment.value,
                    "" if teacher is None else teacher.name.full,
                    course.scale_id,
                    course.exam_scale_id or "",
                    course.scheme_id,
                    course.examined,
                    _course_columns(journal, course.id, graduating, before),
                    subject.name_tt,
                ),
            )
        )
    if graduating:
        out += _finished_subjects(journal, earlier)
    return tuple(s for _, s in sorted(out, key=lambda t: t[0]))


def _finished_subjects(
    journal: ClassJournal, earlier: Mapping[tuple[str, int], EarlierCourse]
) -> list[tuple[int, SubjectColumns]]:
    """The subjects of the level finished before this grade: one final column each (the annual
    mark of the last grade the subject was taught in), as the certificate lists them."""
    taught = {c.subject_id for c in journal.courses.values()}
    last: dict[str, EarlierCourse] = {}
    for (subject_id, _), e in earlier.items():
        if subject_id in taught or e.subject.assessment is AssessmentKind.NONE:
            continue
        if subject_id not in last or e.grade > last[subject_id].grade:
            last[subject_id] = e
    out = []
    for subject_id, e in last.items():
        g = e.grade
        column = SheetColumn(
            FINISHED_PREFIX + subject_id, ResultKind.FINAL, "", 0, "итог.", f"итоговая (годовая за {g} класс)", g
        )
        out.append(
            (
                e.subject.order,
                SubjectColumns(
                    column.course_id,
                    subject_id,
                    e.subject.name,
                    e.subject.label,
                    e.subject.assessment.value,
                    "",
                    e.scale.id,
                    "",
                    "",
                    False,
                    (column,),
                    e.subject.name_tt,
                    g,
                ),
            )
        )
    return out


def _finished_value(
    student_id: str, subject_id: str, earlier: Mapping[tuple[str, int], EarlierCourse]
) -> MarkValue | None:
    """A student's final mark in a finished subject: their annual mark of the last grade they had it."""
    found = [(g, e) for (sid, g), e in earlier.items() if sid == subject_id and student_id in e.marks]
    if not found:
        return None
    return max(found, key=lambda t: t[0])[1].marks[student_id][1]


def _earlier_value(
    student_id: str, subject_id: str, column: SheetColumn, earlier: Mapping[tuple[str, int], EarlierCourse]
) -> MarkValue | None:
    """The mark of an earlier grade's column for a student (``None``: not in that grade's journal)."""
    if column.course_id.startswith(FINISHED_PREFIX):
        return _finished_value(student_id, subject_id, earlier)
    e = earlier.get((subject_id, column.grade))
    if e is None or student_id not in e.marks:
        return None
    periods, annual = e.marks[student_id]
    if column.kind is ResultKind.ANNUAL:
        return annual
    return periods[column.period_number - 1] if 0 < column.period_number <= len(periods) else None


def _schemes(journal: ClassJournal) -> tuple[SchemeLabel, ...]:
    seen: dict[str, SchemeLabel] = {}
    for course in journal.courses_in_order():
        if course.scheme_id in seen:
            continue
        scheme = journal.schemes[course.scheme_id]
        seen[scheme.id] = SchemeLabel(
            scheme.id,
            scheme.name,
            scheme.kind.value,
            tuple(PeriodLabel(p.id, p.number, period_label(p), p.name, p.start, p.end) for p in scheme.periods),
        )
    return tuple(seen.values())


def _school_days(header: SheetHeader) -> tuple[date, date]:
    periods = [p for s in header.schemes for p in s.periods]
    if not periods:
        return header.year_start, header.year_end
    return min(p.start for p in periods), max(p.end for p in periods)


def _attendance(journal: ClassJournal, student: Student, lessons_per_day: dict[date, int]) -> AttendanceSummary:
    year = journal.class_group.year
    lessons = missed_illness = 0
    per_day: dict[date, list[bool]] = {}
    for record in journal.absences_of(student.id):
        day = journal.lessons[record.lesson_id].date
        if not (year.contains(day) and student.enrolled_on(day)):
            continue
        illness = journal.attendance_codes[record.code].reason is AbsenceReason.ILLNESS
        lessons += 1
        missed_illness += illness
        per_day.setdefault(day, []).append(illness)
    days = days_illness = 0
    for day, flags in per_day.items():
        if len(flags) >= lessons_per_day[day]:
            days += 1
            days_illness += all(flags)
    return AttendanceSummary(lessons, missed_illness, days, days_illness)


def _name_key(collator: Collator, student: Student) -> tuple[object, ...]:
    n = student.name
    return (collator.sort_key(n.surname), collator.sort_key(n.given), collator.sort_key(n.patronymic), student.id)


def _graduating_set(value: Iterable[int]) -> frozenset[int]:
    try:
        grades = frozenset(value)
    except TypeError as e:
        raise InvalidInput("graduating_grades", "must be a collection of grades", value) from e
    bad = sorted((g for g in grades if isinstance(g, bool) or not isinstance(g, int) or not 1 <= g <= 12), key=repr)
    if bad:
        raise InvalidInput("graduating_grades", "grades are whole numbers from 1 to 12", bad)
    return grades


def build_summary_sheet(
    journal: ClassJournal,
    *,
    collator: Collator,
    settings: StatsSettings = StatsSettings(),  # noqa: B008 - frozen, immutable default
    certification: Certification | None = None,
    layout: SheetLayout = SheetLayout.STUDENTS_AS_ROWS,
    graduating_grades: Iterable[int] = DEFAULT_GRADUATING_GRADES,
    policy: GradingPolicy | None = None,
    earlier: Iterable[ClassJournal] = (),
) -> SummarySheet:
    """Build the annual summary sheet of ``journal``.

    - Rows: every student who belongs to the class on some day of the year (including those
      who left, with their departure), ordered by ``collator`` on surname, then given name, then
      patronymic (then id, for a stable order of namesakes), numbered from 1.
    - Columns: per course in curriculum order, its scheme's periods, the annual mark and, when
      the class's grade is in ``graduating_grades`` (default 9 and 11), the exam mark (examined
      courses) and the final mark.  Cells hold the results the teachers set.
    - Statistics by ``settings`` (see :mod:`ejournal.core.stats`).
    - ``policy``: the grading policy the marks were checked against; the sheet records its
      :class:`PolicyStamp` (name, version, content hash), which is part of the content hash.
      It is a record only: the marks are not recomputed.  ``None`` (the default) records none.
    - ``earlier``: journals of earlier years holding the class's students (the service passes
      them from storage).  On a graduating sheet they add grade 10's half-year and annual
      columns before each grade-11 course's (the inputs of its final mark), and the subjects
      finished in an earlier grade of the level with their final mark — the annual mark of
      the last grade taught (music finished in grade 8 on a grade-9 sheet), for the students
      who get final marks this year.  Their per-subject
      statistics are counted from those cells; the class's final-mark figures include the
      finished subjects; the class's period and year figures are this year's only.

    The journal is not changed.  Raises :class:`InvalidInput` for a collator that is not a
    :class:`~ejournal.core.collation.Collator`, a wrong ``layout``/``certification``/
    ``graduating_grades``/``policy``, or a result off its course's scale (naming the cell).
    """
    if not isinstance(collator, Collator) or not isinstance(collator.language, str) or not collator.language:
        raise InvalidInput("collator", "must be a Collator with a language code", collator)
    if not isinstance(settings, StatsSettings):
        raise InvalidInput("settings", "must be a StatsSettings", settings)
    if not isinstance(layout, SheetLayout):
        raise InvalidInput("layout", "must be a SheetLayout", layout)
    if certification is not None and not isinstance(certification, Certification):
        raise InvalidInput("certification", "must be a Certification or None", certification)
    stamp = None if policy is None else PolicyStamp.of(policy)
    group = journal.class_group
    graduating = group.grade in _graduating_set(graduating_grades)
    teacher = journal.teachers.get(group.class_teacher_id) if group.class_teacher_id else None
    header = SheetHeader(
        journal.school.id,
        journal.school.name_ru,
        journal.school.name_tt,
        group.year.label,
        group.year.start,
        group.year.end,
        group.id,
        group.label,
        group.grade,
        "" if teacher is None else teacher.name.full,
        graduating,
        collator.language,
        _schemes(journal),
    )
    level = range(LEVEL_FIRST_GRADE.get(group.grade, group.grade), group.grade) if graduating else range(0)
    earlier_map = earlier_courses(journal, earlier, level)
    subjects = _subject_columns(journal, graduating, earlier_map)
    columns = [c for s in subjects for c in s.columns]
    subject_of = {s.course_id: s.subject_id for s in subjects}
    # a finished subject's final mark belongs on the certificate of a student who gets final marks
    finalists = {r.student_id for r in journal.results.values() if r.kind is ResultKind.FINAL}
    first_day, last_day = _school_days(header)

    lessons_per_day: dict[date, int] = {}
    for lesson in journal.lessons.values():
        lessons_per_day[lesson.date] = lessons_per_day.get(lesson.date, 0) + 1

    students = sorted(year_members(journal), key=lambda s: _name_key(collator, s))
    rows: list[StudentRow] = []
    movements: list[tuple[date, int, int, MovementEntry]] = []
    for number, student in enumerate(students, start=1):
        cells = []
        for c in columns:
            score = None
            if c.is_earlier and c.course_id.startswith(FINISHED_PREFIX) and student.id not in finalists:
                value = None
            elif c.is_earlier:
                value = _earlier_value(student.id, subject_of[c.course_id], c, earlier_map)
            else:
                result = journal.result(student.id, c.course_id, c.kind, c.period_id)
                value = None if result is None else result.value
                score = None if result is None else result.primary_score
            cells.append(SheetCell(c.course_id, c.kind, c.period_id, value, c.grade, score))
        arrival = departure = None
        if student.enrolled > first_day:
            arrival = MovementEntry(
                student.id, student.name.full, MovementKind.ARRIVAL, student.enrolled, student.arrival_order
            )
            movements.append((student.enrolled, 0, number, arrival))
        if student.left is not None and student.left < last_day:
            departure = MovementEntry(
                student.id, student.name.full, MovementKind.DEPARTURE, student.left, student.departure_order
            )
            movements.append((student.left, 1, number, departure))
        decisions = tuple(DecisionEntry.from_decision(d) for d in journal.decision_history(student.id))
        tests = (
            tuple(AdmissionTestEntry.from_test(t) for t in journal.admission_tests_of(student.id))
            if admission_test_kind(journal.class_group.grade) is not None
            else ()
        )
        rows.append(
            StudentRow(
                number,
                student.id,
                student.name.surname,
                student.name.given,
                student.name.patronymic,
                tuple(cells),
                _attendance(journal, student, lessons_per_day),
                decisions,
                arrival,
                departure,
                "" if student.sex is None else student.sex.value,
                tests,
            )
        )
    statistics = _statistics(journal, subjects, graduating, settings, rows, earlier_map)
    return SummarySheet(
        header,
        subjects,
        tuple(rows),
        tuple(m for *_, m in sorted(movements, key=lambda t: t[:3])),
        statistics,
        settings,
        layout,
        certification,
        stamp,
    )


def _statistics(
    journal: ClassJournal,
    subjects: tuple[SubjectColumns, ...],
    graduating: bool,
    settings: StatsSettings,
    rows: list[StudentRow],
    earlier: Mapping[tuple[str, int], EarlierCourse],
) -> SheetStatistics:
    order = [r.student_id for r in rows]

    def cells_of(column: SheetColumn) -> list[MarkValue | None]:
        return [r.cell(column.course_id, column.kind, column.period_id, grade=column.grade).value for r in rows]

    def earlier_scale(s: SubjectColumns, c: SheetColumn) -> Scale:
        e = earlier.get((s.subject_id, c.grade))
        return e.scale if e is not None else BUILTIN_SCALES[s.scale_id]

    def column_stats(s: SubjectColumns, c: SheetColumn) -> GroupStats:
        if not c.is_earlier:
            return subject_stats(journal, s.course_id, c.kind, c.period_id, settings)
        where = f"{s.course_id} {c.kind.value} of grade {c.grade}"
        return stats_from_values(cells_of(c), settings, scale=earlier_scale(s, c), where=where)

    per_subject = tuple(
        SubjectStatistics(s.course_id, s.columns, tuple(column_stats(s, c) for c in s.columns)) for s in subjects
    )
    # the finished subjects' final marks count in the class's final-mark figures
    finished = [
        (s, s.columns[0])
        for s in subjects
        if s.finished_grade
        and (
            s.assessment == AssessmentKind.PASS_FAIL.value
            or (s.assessment == AssessmentKind.GRADED.value and is_five_point(earlier_scale(s, s.columns[0])))
        )
    ]
    extra_final: dict[str, list[MarkValue | None]] = {sid: [] for sid in order}
    for _, c in finished:
        for sid, value in zip(order, cells_of(c), strict=True):
            extra_final[sid].append(value)
    pooled_extra = [v for s, c in finished if s.assessment == AssessmentKind.GRADED.value for v in cells_of(c)]
    class_columns: list[tuple[ResultKind, str, str, str]] = [
        (ResultKind.PERIOD, p.id, period_label(p), p.name or period_label(p)) for p in class_periods(journal)
    ]
    kinds = [ResultKind.ANNUAL]
    if graduating:
        if any(s.examined and not is_test_score(journal, s.course_id, ResultKind.EXAM) for s in subjects):
            kinds.append(ResultKind.EXAM)
        kinds.append(ResultKind.FINAL)
    class_columns.extend((k, "", *_KIND_LABELS[k]) for k in kinds)
    return SheetStatistics(
        per_subject,
        tuple(
            ClassColumnStatistics(
                kind,
                period_id,
                label,
                title,
                tuple(pooled_course_ids(journal, kind, period_id))
                + (tuple(s.course_id for s, _ in finished if kind is ResultKind.FINAL and s.assessment == "graded")),
                class_stats(journal, kind, period_id, settings, extra=pooled_extra if kind is ResultKind.FINAL else ()),
                categorize_students(
                    journal,
                    kind,
                    period_id,
                    settings,
                    order=order,
                    extra=extra_final if kind is ResultKind.FINAL else None,
                ),
            )
            for kind, period_id, label, title in class_columns
        ),
    )

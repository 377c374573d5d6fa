"""The class journal aggregate: one class for one academic year.

:class:`ClassJournal` is the unit of consistency, of storage transactions and of the summary
sheet.  Its commands check every invariant, change the journal only when all checks pass, and
return the :class:`Change` they made; the changes not yet saved wait in
:attr:`ClassJournal.pending_changes` for the storage to write to the audit log in the same
transaction.
"""

from __future__ import annotations

import enum
import itertools
import operator
import re
from collections.abc import Container, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any, Protocol, Union

import attrs
from attrs import define, evolve, field, frozen

from ejournal.core.calendar import AcademicYear, Period, PeriodScheme
from ejournal.core.errors import InvalidInput, NotFound, PeriodLocked, PermissionDenied
from ejournal.core.exam_scores import ScoreConversion, explain_primary_score
from ejournal.core.model import (
    DEFAULT_ATTENDANCE_CODES,
    AssessmentKind,
    AttendanceCode,
    ClassGroup,
    Course,
    Lesson,
    School,
    Student,
    Subject,
    Teacher,
)
from ejournal.core.scales import BUILTIN_SCALES, MarkValue, Scale, Status, WorkType

__all__ = [
    "MAX_ADMISSION_ATTEMPTS",
    "MIN_COMMISSION",
    "YEAR",
    "Action",
    "Actor",
    "AdmissionTest",
    "AdmissionTestKind",
    "AttendanceRecord",
    "BroughtMark",
    "Change",
    "ClassJournal",
    "Clock",
    "Decision",
    "DecisionKey",
    "DecisionKind",
    "ExamChoice",
    "FixedClock",
    "Mark",
    "PeriodClosure",
    "Record",
    "ResultKey",
    "ResultKind",
    "ResultMark",
    "Retake",
    "Role",
    "SystemClock",
    "admission_test_kind",
    "debt_deadline",
    "decision_order",
]

YEAR = "year"
"""The pseudo-period id that locks annual, exam and final marks and decisions when closed."""


class Clock(Protocol):
    """Where commands take the time from (injected, so tests are deterministic)."""

    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        """The current moment in UTC (timezone-aware)."""
        return datetime.now(UTC)


@define
class FixedClock:
    """A clock that returns ``at`` (and moves only when told); for tests and replays."""

    at: datetime

    def now(self) -> datetime:
        """The fixed moment ``at``."""
        return self.at

    def advance_to(self, at: datetime) -> None:
        """Move the clock to ``at``."""
        self.at = at


class Role(enum.Enum):
    """Roles of the people using a journal."""

    ADMINISTRATOR = "administrator"
    CLASS_TEACHER = "class_teacher"
    SUBJECT_TEACHER = "subject_teacher"
    STUDENT = "student"
    PARENT = "parent"
    SYSTEM = "system"


@frozen
class Actor:
    """Who makes a change: a person id, a role and the school the person belongs to.

    Schools are tenants: a person acts only in their own ``school_id`` (the same id may name
    different people in different schools).  Every human role needs a school to be let through
    the service's access rules; only :attr:`Role.SYSTEM` (imports, region-wide backups) may be
    school-less, and its acts are audited under that role.  Only administrators (and the
    system) may change a closed period; the finer access rules (own courses, own children) are
    the service layer's.
    """

    id: str
    role: Role
    school_id: str | None = None

    @property
    def may_edit_closed_periods(self) -> bool:
        """True for administrators and the system."""
        return self.role in (Role.ADMINISTRATOR, Role.SYSTEM)

    @property
    def region_wide(self) -> bool:
        """True for the school-less system role, the one role that may act across schools."""
        return self.role is Role.SYSTEM and self.school_id is None

    def __str__(self) -> str:
        where = f" of school {self.school_id}" if self.school_id is not None else ""
        return f"{self.role.value} {self.id}{where}"


@frozen
class Mark:
    """A current mark: a student's mark on a lesson, of a work type.

    Several marks per lesson are allowed (a "double mark" is two marks).  ``entered_at`` is when
    it was entered (it drives the edit-window check), ``entered_by`` the actor id.
    """

    id: str
    student_id: str
    lesson_id: str
    value: MarkValue
    work_type_id: str
    entered_at: datetime
    entered_by: str
    comment: str = ""


@frozen
class BroughtMark:
    """A current mark a student brought from another school on the certified extract of current
    marks («выписка текущих отметок», приказ Минпросвещения № 240 of 06.04.2023).

    It counts in the period mark of the period its ``date`` falls in, like a mark given here, and
    is shown as brought in; it belongs to no lesson of this class.  ``source`` names the extract
    (the school, its number and date).
    """

    id: str
    student_id: str
    course_id: str
    date: date
    value: MarkValue
    work_type_id: str
    source: str
    entered_at: datetime
    entered_by: str


@frozen
class AttendanceRecord:
    """A student's attendance code for one lesson."""

    student_id: str
    lesson_id: str
    code: str
    entered_at: datetime
    entered_by: str


class ResultKind(enum.Enum):
    """Kinds of result marks on the summary sheet."""

    PERIOD = "period"
    ANNUAL = "annual"
    EXAM = "exam"
    FINAL = "final"


@frozen(order=True)
class ResultKey:
    """Identifies one result cell: student, course, kind and (for a period mark) the period."""

    student_id: str
    course_id: str
    kind: ResultKind = field(order=lambda k: k.value)
    period_id: str = ""


@frozen
class ResultMark:
    """A period, annual, exam or final mark as set by a teacher (or accepted from the proposal).

    ``period_id`` is set for period marks only.  ``reason`` carries the written reason of an
    override or a change in a closed period.  ``primary_score`` is set for an exam mark converted
    from an ОГЭ primary score (:meth:`ClassJournal.record_exam_result`): the score is kept, the
    mark printed.  The class only stores its fields (storage builds it in bulk); the commands
    and the storage boundaries check them.
    """

    student_id: str
    course_id: str
    kind: ResultKind
    value: MarkValue
    set_at: datetime
    set_by: str
    period_id: str = ""
    reason: str = ""
    primary_score: int | None = None

    @property
    def key(self) -> ResultKey:
        """The cell this mark fills."""
        return ResultKey(self.student_id, self.course_id, self.kind, self.period_id)


class DecisionKind(enum.Enum):
    """Decisions of the pedagogical council (273-ФЗ art. 58)."""

    PROMOTED = "promoted"
    PROMOTED_CONDITIONALLY = "promoted_conditionally"
    REPEAT_YEAR = "repeat_year"
    ADAPTED_PROGRAMME = "adapted_programme"
    INDIVIDUAL_PLAN = "individual_plan"
    ADMITTED_TO_EXAM = "admitted_to_exam"
    NOT_ADMITTED_TO_EXAM = "not_admitted_to_exam"
    GRADUATED = "graduated"
    GRADUATED_WITH_HONOURS = "graduated_with_honours"
    LEFT = "left"


@frozen
class Decision:
    """A council decision for a student, with the council's date and protocol number.

    ``to_grade`` is the grade promoted to, where it applies.
    """

    student_id: str
    kind: DecisionKind
    council_date: date
    protocol: str
    to_grade: int | None = None
    note: str = ""

    def __attrs_post_init__(self) -> None:
        where = f"decision for student {self.student_id}"
        if not isinstance(self.student_id, str) or not self.student_id.strip():
            raise InvalidInput("decision.student_id", "must be a non-empty string", self.student_id)
        if not isinstance(self.kind, DecisionKind):
            raise InvalidInput(f"{where}.kind", "must be a DecisionKind", self.kind)
        if not isinstance(self.council_date, date):
            raise InvalidInput(f"{where}.council_date", "must be a date", self.council_date)
        if not isinstance(self.protocol, str):
            raise InvalidInput(f"{where}.protocol", "must be a string", self.protocol)
        if not isinstance(self.note, str):
            raise InvalidInput(f"{where}.note", "must be a string", self.note)
        if self.to_grade is not None and (
            isinstance(self.to_grade, bool) or not isinstance(self.to_grade, int) or not 1 <= self.to_grade <= 12
        ):
            raise InvalidInput(f"{where}.to_grade", "must be a grade from 1 to 12", self.to_grade)

    @property
    def key(self) -> DecisionKey:
        """``(student_id, council_date, kind value)``: a student gets one decision of a kind per council."""
        return (self.student_id, self.council_date, self.kind.value)


DecisionKey = tuple[str, date, str]
"""The key of a decision in :attr:`ClassJournal.decisions`: student, council date, kind (its value)."""

_DIGITS = re.compile(r"(\d+)")


def decision_order(d: Decision) -> tuple[date, tuple[tuple[int, str], ...], str]:
    """The sort key of a student's decisions: council date, then protocol, then kind.

    Protocols compare by their numbers (``"№ 9"`` before ``"№ 10"``), the text between them
    alphabetically; the kind only breaks ties that the two councils' data cannot.
    """
    parts = tuple((int(p), "") if p.isdigit() else (-1, p) for p in _DIGITS.split(d.protocol.strip()) if p)
    return (d.council_date, parts, d.kind.value)


class AdmissionTestKind(enum.Enum):
    """The tests that admit to the state exams (зачёт/незачёт), each of one grade.

    ``INTERVIEW`` is the grade-9 oral Russian test («итоговое собеседование по русскому языку»,
    Порядок ГИА-9, Минпросвещения/Рособрнадзор № 232/551 of 04.04.2023); ``ESSAY`` the grade-11
    final essay or exposition («итоговое сочинение (изложение)», Порядок ГИА-11, № 233/552 of
    04.04.2023).
    """

    INTERVIEW = "interview"
    ESSAY = "essay"

    @property
    def grade(self) -> int:
        """The grade whose students take it (9 or 11)."""
        return 9 if self is AdmissionTestKind.INTERVIEW else 11


def admission_test_kind(grade: int) -> AdmissionTestKind | None:
    """The admission test of ``grade`` (9: the interview, 11: the essay), or ``None`` for other grades."""
    return next((k for k in AdmissionTestKind if k.grade == grade), None)


MAX_ADMISSION_ATTEMPTS = 3
"""The main date and up to two additional ones: a student who gets «незачёт» (or misses the
main date for a valid reason) may take the test again on the additional dates of the year."""


@frozen
class AdmissionTest:
    """One attempt at an admission test (see :class:`AdmissionTestKind`): зачёт (``passed``) or незачёт.

    ``attempt`` counts the student's own attempts (1 on the main date, or on an additional date
    when the main one was missed; 2 and 3 on the additional dates), ``held_on`` is the day of the
    test, ``note`` free text (a valid reason for a missed date, the commission's remark).
    Raises :class:`InvalidInput` for an attempt other than 1 to :data:`MAX_ADMISSION_ATTEMPTS`,
    a ``held_on`` that is not a date, a ``passed`` that is not a bool.
    """

    student_id: str
    kind: AdmissionTestKind
    attempt: int
    held_on: date
    passed: bool
    note: str = ""

    def __attrs_post_init__(self) -> None:
        where = f"admission test {self.attempt} of student {self.student_id}"
        if not isinstance(self.student_id, str) or not self.student_id.strip():
            raise InvalidInput("admission_test.student_id", "must be a non-empty string", self.student_id)
        if not isinstance(self.kind, AdmissionTestKind):
            raise InvalidInput(f"{where}.kind", "must be an AdmissionTestKind", self.kind)
        if (
            isinstance(self.attempt, bool)
            or not isinstance(self.attempt, int)
            or not 1 <= self.attempt <= MAX_ADMISSION_ATTEMPTS
        ):
            raise InvalidInput(
                f"{where}.attempt",
                f"must be from 1 to {MAX_ADMISSION_ATTEMPTS} (the main and two additional dates)",
                self.attempt,
            )
        if not isinstance(self.held_on, date) or isinstance(self.held_on, datetime):
            raise InvalidInput(f"{where}.held_on", "must be a date", self.held_on)
        if not isinstance(self.passed, bool):
            raise InvalidInput(f"{where}.passed", "must be true (зачёт) or false (незачёт)", self.passed)
        if not isinstance(self.note, str):
            raise InvalidInput(f"{where}.note", "must be a string", self.note)

    @property
    def key(self) -> tuple[str, str, int]:
        """``(student_id, kind value, attempt)``."""
        return (self.student_id, self.kind.value, self.attempt)


def debt_deadline(year: AcademicYear) -> date:
    """The last day an academic debt of ``year`` may be cleared: a year after the year's end
    (273-ФЗ art. 58 part 5); Feb 29 becomes Feb 28 in a common year."""
    end = year.end
    try:
        return end.replace(year=end.year + 1)
    except ValueError:
        return end.replace(year=end.year + 1, day=28)


MIN_COMMISSION = 3
"""The fewest members of the commission before which a second retake is held (273-ФЗ art. 58 part 6)."""


def _members(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@frozen
class Retake:
    """One attempt to clear an academic debt (273-ФЗ art. 58 parts 2–6).

    A failing or "н/а" annual mark is an academic debt; the student may retake the course at
    most twice within a year after it arose, the second time before a commission (its members'
    names in ``commission``).  ``held_on`` is the day of the attempt, ``value`` its result on the
    course's scale, ``protocol`` the number of its protocol, ``owed`` the failing annual mark the
    attempt was held against (filled in by :meth:`ClassJournal.record_retake`, so a cleared debt
    still says what was owed).  Raises :class:`InvalidInput` for an
    attempt other than 1 or 2, an empty protocol, or a second attempt with fewer than
    :data:`MIN_COMMISSION` members.
    """

    student_id: str
    course_id: str
    attempt: int
    held_on: date
    value: MarkValue
    protocol: str
    commission: tuple[str, ...] = field(converter=_members, factory=tuple)
    owed: MarkValue | None = None

    def __attrs_post_init__(self) -> None:
        where = f"retake {self.attempt} of student {self.student_id} in course {self.course_id}"
        if isinstance(self.attempt, bool) or self.attempt not in (1, 2):
            raise InvalidInput(f"{where}.attempt", "must be 1 or 2 (at most two retakes)", self.attempt)
        if not isinstance(self.held_on, date) or isinstance(self.held_on, datetime):
            raise InvalidInput(f"{where}.held_on", "must be a date", self.held_on)
        if not isinstance(self.protocol, str) or not self.protocol.strip():
            raise InvalidInput(f"{where}.protocol", "the protocol number is required", self.protocol)
        if any(not isinstance(m, str) or not m.strip() for m in self.commission):
            raise InvalidInput(f"{where}.commission", "members are non-empty names", self.commission)
        if self.attempt == 2 and len(self.commission) < MIN_COMMISSION:
            raise InvalidInput(
                f"{where}.commission",
                f"the second retake is held before a commission of at least {MIN_COMMISSION} members",
                list(self.commission),
            )

    @property
    def key(self) -> tuple[str, str, int]:
        """``(student_id, course_id, attempt)``."""
        return (self.student_id, self.course_id, self.attempt)


def _course_ids(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


@frozen
class ExamChoice:
    """The state exams a student chose beside the required ones (grade 9: two of them).

    ``course_ids`` are examined courses marked ``exam_by_choice`` (kept sorted, each once);
    ``chosen_on`` the day the application was made, if recorded.  Only a chosen exam may get an
    exam mark.  Raises :class:`InvalidInput` for an empty student id or a course id that is not a
    non-empty string.
    """

    student_id: str
    course_ids: tuple[str, ...] = field(converter=_course_ids, factory=tuple)
    chosen_on: date | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.student_id, str) or not self.student_id.strip():
            raise InvalidInput("exam choice.student_id", "must be a non-empty string", self.student_id)
        if any(not isinstance(c, str) or not c.strip() for c in self.course_ids):
            raise InvalidInput(
                f"exam choice of student {self.student_id}.course_ids", "ids are non-empty", self.course_ids
            )
        if self.chosen_on is not None and (
            not isinstance(self.chosen_on, date) or isinstance(self.chosen_on, datetime)
        ):
            raise InvalidInput(f"exam choice of student {self.student_id}.chosen_on", "must be a date", self.chosen_on)


@frozen
class PeriodClosure:
    """The fact that a period (or the year, :data:`YEAR`) is closed."""

    period_id: str


Record = Union[  # noqa: UP007
    Mark,
    AttendanceRecord,
    ResultMark,
    Decision,
    Lesson,
    PeriodClosure,
    Retake,
    BroughtMark,
    AdmissionTest,
    ExamChoice,
    Student,
    Course,
    Subject,
    Teacher,
    ClassGroup,
    School,
]
"""What a :class:`Change` holds before and after: a record of the journal, or a roster entry
(a student, course, subject or teacher of the journal, the class itself, or the school: the
school-level entries have an empty ``journal_id``)."""


class Action(enum.Enum):
    """What a change did."""

    RECORD_MARK = "record_mark"
    CORRECT_MARK = "correct_mark"
    DELETE_MARK = "delete_mark"
    RECORD_ATTENDANCE = "record_attendance"
    CLEAR_ATTENDANCE = "clear_attendance"
    SET_RESULT = "set_result"
    CLEAR_RESULT = "clear_result"
    SET_DECISION = "set_decision"
    CLEAR_DECISION = "clear_decision"
    ADD_LESSON = "add_lesson"
    EDIT_LESSON = "edit_lesson"
    CLOSE_PERIOD = "close_period"
    REOPEN_PERIOD = "reopen_period"
    ENROL_STUDENT = "enrol_student"
    WITHDRAW_STUDENT = "withdraw_student"
    EDIT_STUDENT = "edit_student"
    ADD_SUBJECT = "add_subject"
    ADD_COURSE = "add_course"
    CHANGE_TEACHER = "change_teacher"
    ADD_TEACHER = "add_teacher"
    EDIT_TEACHER = "edit_teacher"
    EDIT_SUBJECT = "edit_subject"
    EDIT_COURSE = "edit_course"
    CREATE_JOURNAL = "create_journal"
    SET_CLASS_TEACHER = "set_class_teacher"
    CREATE_SCHOOL = "create_school"
    EDIT_SCHOOL = "edit_school"
    RECORD_RETAKE = "record_retake"
    BRING_MARK = "bring_mark"
    REMOVE_BROUGHT_MARK = "remove_brought_mark"
    RESTORE_BACKUP = "restore_backup"
    RECORD_ADMISSION_TEST = "record_admission_test"
    WITHDRAW_ADMISSION_TEST = "withdraw_admission_test"
    SET_EXAM_CHOICE = "set_exam_choice"
    CLEAR_EXAM_CHOICE = "clear_exam_choice"


@frozen
class Change:
    """One change of a journal, for the audit log: who, when, what, before, after and why.

    ``before`` is ``None`` for an addition, ``after`` is ``None`` for a removal.  The place
    fields (student, course, period, lesson) are filled where they apply so the log can be
    queried by them.
    """

    journal_id: str
    actor_id: str
    actor_role: Role
    at: datetime
    action: Action
    before: Record | None
    after: Record | None
    reason: str = ""
    student_id: str = ""
    course_id: str = ""
    period_id: str = ""
    lesson_id: str = ""


@define(eq=False)
class ClassJournal:
    """One class's journal for one academic year (the aggregate root).

    Build it with its reference data (school, class, students, teachers, subjects, courses,
    period schemes, scales, work types, attendance codes) and, when loading, its records.
    Construction checks referential integrity: every id a record names must exist, scheme
    periods must lie in the year and period ids be unique across schemes; a broken reference
    raises :class:`InvalidInput` naming the record, the field and the id.  Regulatory checks
    (marks outside enrolment, missing topics...) are not construction errors: they are findings of
    :mod:`ejournal.core.validation`, so imported imperfect journals can still be examined.

    Change it through the commands only; each returns the :class:`Change` made and appends it
    to :attr:`pending_changes`.
    """

    school: School
    class_group: ClassGroup
    students: dict[str, Student] = field(factory=dict)
    teachers: dict[str, Teacher] = field(factory=dict)
    subjects: dict[str, Subject] = field(factory=dict)
    courses: dict[str, Course] = field(factory=dict)
    schemes: dict[str, PeriodScheme] = field(factory=dict)
    scales: dict[str, Scale] = field(factory=lambda: dict(BUILTIN_SCALES))
    work_types: dict[str, WorkType] = field(factory=dict)
    attendance_codes: dict[str, AttendanceCode] = field(factory=lambda: dict(DEFAULT_ATTENDANCE_CODES))
    lessons: dict[str, Lesson] = field(factory=dict)
    marks: dict[str, Mark] = field(factory=dict)
    attendance: dict[tuple[str, str], AttendanceRecord] = field(factory=dict)
    results: dict[ResultKey, ResultMark] = field(factory=dict)
    decisions: dict[DecisionKey, Decision] = field(factory=dict)
    closed_periods: set[str] = field(factory=set)
    retakes: dict[tuple[str, str, int], Retake] = field(factory=dict)
    brought_marks: dict[str, BroughtMark] = field(factory=dict)
    admission_tests: dict[tuple[str, str, int], AdmissionTest] = field(factory=dict)
    exam_choices: dict[str, ExamChoice] = field(factory=dict)
    version: int = 0
    clock: Clock = field(factory=SystemClock, repr=False)
    pending_changes: list[Change] = field(factory=list, repr=False)
    _index: _Index | None = field(default=None, init=False, repr=False)
    _mark_ids: Iterator[int] = field(factory=lambda: itertools.count(1), init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        self.check_references()

    # ------------------------------------------------------------------ identity and equality
    @property
    def id(self) -> str:
        """The journal id: the class group id (one journal per class per year)."""
        return self.class_group.id

    def snapshot(self) -> tuple[object, ...]:
        """The journal's data as a comparable tuple (what equality compares)."""
        return (
            self.school,
            self.class_group,
            self.students,
            self.teachers,
            self.subjects,
            self.courses,
            self.schemes,
            self.scales,
            self.work_types,
            self.attendance_codes,
            self.lessons,
            self.marks,
            self.attendance,
            self.results,
            self.decisions,
            frozenset(self.closed_periods),
            self.retakes,
            self.brought_marks,
            self.admission_tests,
            self.exam_choices,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ClassJournal):
            return NotImplemented
        return self.snapshot() == other.snapshot()

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ integrity
    def check_references(self) -> None:
        """Raise :class:`InvalidInput` listing every broken reference (all of them at once).

        The big maps (lessons, marks, attendance, results, and every map's keys) are first
        checked by a pass that formats no text; only a section where something is wrong is
        walked again to describe each problem, so a sound journal is checked quickly and a
        broken one gets exactly the same problems, in the same order.
        """
        from ejournal.core.errors import Problem

        problems: list[Problem] = []
        year = self.class_group.year

        def need(cond: bool, where: str, message: str, value: object) -> None:
            if not cond:
                problems.append(Problem(where, message, value))

        for map_name, map_ in (
            ("students", self.students),
            ("teachers", self.teachers),
            ("subjects", self.subjects),
            ("courses", self.courses),
            ("schemes", self.schemes),
            ("scales", self.scales),
            ("work_types", self.work_types),
            ("lessons", self.lessons),
            ("marks", self.marks),
        ):
            if _keys_are_ids(map_):
                continue
            for k, v in map_.items():
                need(
                    getattr(v, "id", k) == k,
                    f"{map_name}[{k!r}]",
                    "key differs from the object's id",
                    getattr(v, "id", None),
                )
        period_ids: dict[str, str] = {}
        for sid, scheme in self.schemes.items():
            need(scheme.fits(year), f"schemes[{sid!r}]", f"periods must lie in the year {year}", sid)
            for p in scheme.periods:
                need(p.id != YEAR, f"schemes[{sid!r}].{p.id}", f"the period id {YEAR!r} is reserved", p.id)
                need(
                    p.id not in period_ids,
                    f"schemes[{sid!r}].{p.id}",
                    "period id used by another scheme",
                    period_ids.get(p.id),
                )
                period_ids[p.id] = sid
        for cid, c in self.courses.items():
            need(c.subject_id in self.subjects, f"courses[{cid!r}].subject_id", "unknown subject", c.subject_id)
            need(c.scheme_id in self.schemes, f"courses[{cid!r}].scheme_id", "unknown period scheme", c.scheme_id)
            need(c.scale_id in self.scales, f"courses[{cid!r}].scale_id", "unknown scale", c.scale_id)
            need(
                c.exam_scale_id is None or c.exam_scale_id in self.scales,
                f"courses[{cid!r}].exam_scale_id",
                "unknown scale",
                c.exam_scale_id,
            )
            if c.exam_of is not None:
                target = self.courses.get(c.exam_of)
                need(
                    target is not None and target.examined,
                    f"courses[{cid!r}].exam_of",
                    "must name an examined course of the journal",
                    c.exam_of,
                )
            need(
                c.teacher_id is None or c.teacher_id in self.teachers,
                f"courses[{cid!r}].teacher_id",
                "unknown teacher",
                c.teacher_id,
            )
        need(
            self.class_group.class_teacher_id is None or self.class_group.class_teacher_id in self.teachers,
            "class_group.class_teacher_id",
            "unknown teacher",
            self.class_group.class_teacher_id,
        )
        if not _all_known(self.lessons.values(), _COURSE_ID, self.courses):
            for lid, lesson in self.lessons.items():
                need(
                    lesson.course_id in self.courses, f"lessons[{lid!r}].course_id", "unknown course", lesson.course_id
                )
        marks = self.marks.values()
        if not (
            _all_known(marks, _STUDENT_ID, self.students)
            and _all_known(marks, _LESSON_ID, self.lessons)
            and _all_known(marks, _WORK_TYPE_ID, self.work_types)
        ):
            for mid, m in self.marks.items():
                need(m.student_id in self.students, f"marks[{mid!r}].student_id", "unknown student", m.student_id)
                need(m.lesson_id in self.lessons, f"marks[{mid!r}].lesson_id", "unknown lesson", m.lesson_id)
                need(
                    m.work_type_id in self.work_types,
                    f"marks[{mid!r}].work_type_id",
                    "unknown work type",
                    m.work_type_id,
                )
        for (sid, lid), a in () if self._attendance_sound() else self.attendance.items():
            where = f"attendance[{sid!r}, {lid!r}]"
            need(
                (a.student_id, a.lesson_id) == (sid, lid),
                where,
                "key differs from the record",
                (a.student_id, a.lesson_id),
            )
            need(sid in self.students, where, "unknown student", sid)
            need(lid in self.lessons, where, "unknown lesson", lid)
            need(a.code in self.attendance_codes, where, "unknown attendance code", a.code)
        for key, r in () if self._results_sound() else self.results.items():
            where = f"results[{key.student_id!r}, {key.course_id!r}, {key.kind.value}, {key.period_id!r}]"
            need(r.key == key, where, "key differs from the record", r.key)
            need(key.student_id in self.students, where, "unknown student", key.student_id)
            course = self.courses.get(key.course_id)
            need(course is not None, where, "unknown course", key.course_id)
            if key.kind is ResultKind.PERIOD:
                need(
                    course is None
                    or (
                        course.scheme_id in self.schemes
                        and any(p.id == key.period_id for p in self.schemes[course.scheme_id].periods)
                    ),
                    where,
                    "period not in the course's scheme",
                    key.period_id,
                )
            else:
                need(key.period_id == "", where, "only period marks name a period", key.period_id)
        for dkey, d in self.decisions.items():
            where = f"decisions[{dkey!r}]"
            need(isinstance(d, Decision) and d.key == dkey, where, "key differs from the record", getattr(d, "key", d))
            need(dkey[0] in self.students, where, "unknown student", dkey[0])
        for akey, at in self.admission_tests.items():
            where = f"admission_tests[{akey!r}]"
            need(
                isinstance(at, AdmissionTest) and at.key == akey,
                where,
                "key differs from the record",
                getattr(at, "key", at),
            )
            need(akey[0] in self.students, where, "unknown student", akey[0])
        for pid in self.closed_periods:
            need(pid == YEAR or pid in period_ids, "closed_periods", "unknown period", pid)
        for bid, bm in self.brought_marks.items():
            where = f"brought_marks[{bid!r}]"
            need(isinstance(bm, BroughtMark) and bm.id == bid, where, "key differs from the record", bid)
            need(bm.student_id in self.students, where, "unknown student", bm.student_id)
            need(bm.course_id in self.courses, where, "unknown course", bm.course_id)
            need(bm.work_type_id in self.work_types, where, "unknown work type", bm.work_type_id)
        for rkey, rt in self.retakes.items():
            where = f"retakes[{rkey!r}]"
            need(
                isinstance(rt, Retake) and rt.key == rkey, where, "key differs from the record", getattr(rt, "key", rt)
            )
            need(rkey[0] in self.students, where, "unknown student", rkey[0])
            need(rkey[1] in self.courses, where, "unknown course", rkey[1])
        for sid, choice in self.exam_choices.items():
            where = f"exam_choices[{sid!r}]"
            need(
                isinstance(choice, ExamChoice) and choice.student_id == sid,
                where,
                "key differs from the record",
                getattr(choice, "student_id", choice),
            )
            need(sid in self.students, where, "unknown student", sid)
            for cid in getattr(choice, "course_ids", ()):
                chosen = self.courses.get(cid)
                need(
                    chosen is not None and chosen.exam_by_choice,
                    f"{where}.course_ids",
                    "not a course whose exam is chosen",
                    cid,
                )
        if problems:
            raise InvalidInput.many(problems)

    def _attendance_sound(self) -> bool:
        """True when no attendance record has a reference problem (see :meth:`check_references`)."""
        students, lessons, codes = self.students, self.lessons, self.attendance_codes
        try:
            for (sid, lid), a in self.attendance.items():
                if (
                    (a.student_id, a.lesson_id) != (sid, lid)
                    or sid not in students
                    or lid not in lessons
                    or a.code not in codes
                ):
                    return False
        except (AttributeError, TypeError, ValueError):
            return False  # the describing pass raises or reports it
        return True

    def _results_sound(self) -> bool:
        """True when no result mark has a reference problem (see :meth:`check_references`)."""
        keys, results = self.results.keys(), self.results.values()
        try:
            if any(type(k) is not ResultKey for k in keys) or any(type(r) is not ResultMark for r in results):
                return False
            if list(map(_RESULT_KEY_FIELDS, keys)) != list(map(_RESULT_KEY_FIELDS, results)):
                return False
            places: set[tuple[str, ResultKind, str]] = set()
            for cid, course in self.courses.items():
                scheme = self.schemes.get(course.scheme_id)
                places.update((cid, ResultKind.PERIOD, p.id) for p in (scheme.periods if scheme else ()))
                places.update((cid, kind, "") for kind in ResultKind if kind is not ResultKind.PERIOD)
            return _all_known(keys, _STUDENT_ID, self.students) and _all_known(keys, _RESULT_PLACE, places)
        except (AttributeError, TypeError, ValueError):
            return False  # the describing pass raises or reports it

    # ------------------------------------------------------------------ lookups
    def student(self, student_id: str) -> Student:
        """The student of this class; raises :class:`NotFound`."""
        try:
            return self.students[student_id]
        except KeyError:
            raise NotFound("student", student_id, f"class {self.class_group.label}") from None

    def course(self, course_id: str) -> Course:
        """The course; raises :class:`NotFound`."""
        try:
            return self.courses[course_id]
        except KeyError:
            raise NotFound("course", course_id, f"class {self.class_group.label}") from None

    def lesson(self, lesson_id: str) -> Lesson:
        """The lesson; raises :class:`NotFound`."""
        try:
            return self.lessons[lesson_id]
        except KeyError:
            raise NotFound("lesson", lesson_id, f"class {self.class_group.label}") from None

    def mark(self, mark_id: str) -> Mark:
        """The mark; raises :class:`NotFound`."""
        try:
            return self.marks[mark_id]
        except KeyError:
            raise NotFound("mark", mark_id, f"class {self.class_group.label}") from None

    def subject_of(self, course_id: str) -> Subject:
        """The subject a course teaches."""
        return self.subjects[self.course(course_id).subject_id]

    def scheme_of(self, course_id: str) -> PeriodScheme:
        """The period scheme a course is certified by."""
        return self.schemes[self.course(course_id).scheme_id]

    def scale_of(self, course_id: str) -> Scale:
        """The scale of a course's marks."""
        return self.scales[self.course(course_id).scale_id]

    def exam_scale_of(self, course_id: str) -> Scale:
        """The scale of a course's exam mark (the course's scale unless set)."""
        c = self.course(course_id)
        return self.scales[c.exam_scale_id or c.scale_id]

    def takes_exam(self, student_id: str, course_id: str) -> bool:
        """True when the student sits the course's state exam: the course is examined and either
        every student takes it or it is among the student's :class:`ExamChoice`.

        Raises :class:`NotFound` for an unknown course.
        """
        c = self.course(course_id)
        if not c.examined:
            return False
        if not c.exam_by_choice:
            return True
        choice = self.exam_choices.get(student_id)
        return choice is not None and course_id in choice.course_ids

    def period(self, course_id: str, period_id: str) -> Period:
        """A period of the course's scheme; raises :class:`NotFound`."""
        return self.scheme_of(course_id).get(period_id)

    def period_of_lesson(self, lesson: Lesson) -> Period | None:
        """The period of the lesson's course that contains its date, if any."""
        return self.scheme_of(lesson.course_id).period_of(lesson.date)

    def lessons_of(self, course_id: str, period: Period | None = None) -> list[Lesson]:
        """The course's lessons in date order, optionally only those in ``period``.

        Raises :class:`NotFound` for an unknown course.
        """
        self.course(course_id)
        lessons = self._idx().lessons_by_course.get(course_id, [])
        if period is None:
            return list(lessons)
        return [le for le in lessons if period.contains(le.date)]

    def lessons_on(self, course_id: str, day: date) -> list[Lesson]:
        """The course's lessons on ``day`` (several are possible)."""
        return [le for le in self._idx().lessons_by_course.get(course_id, []) if le.date == day]

    def marks_of(self, student_id: str, course_id: str, period: Period | None = None) -> list[Mark]:
        """A student's current marks in a course, in lesson order, optionally within ``period``.

        Raises :class:`NotFound` for an unknown student or course.
        """
        self.student(student_id)
        self.course(course_id)
        marks = self._idx().marks_by_student_course.get((student_id, course_id), [])
        if period is None:
            return list(marks)
        lessons = self.lessons
        return [m for m in marks if period.contains(lessons[m.lesson_id].date)]

    def absences_of(
        self, student_id: str, course_id: str | None = None, period: Period | None = None
    ) -> list[AttendanceRecord]:
        """A student's attendance records that count as missed lessons, optionally filtered.

        Raises :class:`NotFound` for an unknown student or course.
        """
        self.student(student_id)
        if course_id is not None:
            self.course(course_id)
        out = []
        for a in self._idx().attendance_by_student.get(student_id, []):
            code = self.attendance_codes.get(a.code)
            if code is None or not code.missed:
                continue
            lesson = self.lessons[a.lesson_id]
            if course_id is not None and lesson.course_id != course_id:
                continue
            if period is not None and not period.contains(lesson.date):
                continue
            out.append(a)
        return out

    def result(self, student_id: str, course_id: str, kind: ResultKind, period_id: str = "") -> ResultMark | None:
        """The result mark in that cell, or ``None`` when it is empty.

        Raises :class:`NotFound` for an unknown student or course.
        """
        self.student(student_id)
        self.course(course_id)
        return self.results.get(ResultKey(student_id, course_id, kind, period_id))

    def students_in_order(self) -> list[Student]:
        """Students by id (stable); the sheet orders them by the language's collation instead."""
        return [self.students[k] for k in sorted(self.students)]

    def courses_in_order(self) -> list[Course]:
        """Courses in curriculum order (subject order, then course id)."""
        return sorted(self.courses.values(), key=lambda c: (self.subjects[c.subject_id].order, c.id))

    def is_closed(self, period_id: str) -> bool:
        """True when the period (or :data:`YEAR`) is closed."""
        return period_id in self.closed_periods

    def _idx(self) -> _Index:
        if self._index is None:
            self._index = _Index.build(self)
        return self._index

    def _invalidate(self) -> None:
        self._index = None

    # ------------------------------------------------------------------ guards
    def _now(self) -> datetime:
        return self.clock.now()

    def _require_student(self, student_id: str) -> Student:
        return self.student(student_id)

    def _guard_period(self, period_id: str, by: Actor, reason: str, what: str) -> None:
        if period_id in self.closed_periods:
            if not by.may_edit_closed_periods:
                raise PeriodLocked(period_id, f"{by} may not {what} after the period is closed")
            if not reason.strip():
                raise PeriodLocked(period_id, f"changing {what} in a closed period needs a written reason")

    def _lesson_period(self, lesson: Lesson, where: str) -> Period:
        year = self.class_group.year
        if not year.contains(lesson.date):
            raise InvalidInput(where, f"lesson date is outside the academic year {year}", lesson.date.isoformat())
        period = self.period_of_lesson(lesson)
        if period is None:
            raise InvalidInput(
                where,
                f"lesson date falls in no period of scheme {self.course(lesson.course_id).scheme_id!r}",
                lesson.date.isoformat(),
            )
        return period

    def _check_mark_place(self, student_id: str, lesson: Lesson, where: str) -> Period:
        student = self._require_student(student_id)
        period = self._lesson_period(lesson, where)
        if not student.enrolled_on(lesson.date):
            raise InvalidInput(
                where,
                f"student {student_id!r} is not enrolled in the class on that date",
                lesson.date.isoformat(),
            )
        return period

    def _work_type(self, work_type_id: str) -> WorkType:
        try:
            return self.work_types[work_type_id]
        except KeyError:
            raise NotFound("work type", work_type_id) from None

    def _emit(
        self, by: Actor, action: Action, before: Record | None, after: Record | None, reason: str, **place: str
    ) -> Change:
        change = Change(self.id, by.id, by.role, self._now(), action, before, after, reason, **place)
        self.pending_changes.append(change)
        self._invalidate()
        return change

    # ------------------------------------------------------------------ commands: lessons
    def add_lesson(self, lesson: Lesson, *, by: Actor, reason: str = "") -> Change:
        """Add a lesson of one of the journal's courses.

        Raises :class:`NotFound` for an unknown course, :class:`InvalidInput` for a duplicate id
        or a date outside the year or the course's periods, :class:`PeriodLocked` in a closed period.
        """
        where = f"lesson {lesson.id}"
        if lesson.id in self.lessons:
            raise InvalidInput(where, "a lesson with this id exists", lesson.id)
        self.course(lesson.course_id)
        period = self._lesson_period(lesson, f"{where}.date")
        self._guard_period(period.id, by, reason, "add a lesson")
        self.lessons[lesson.id] = lesson
        return self._emit(
            by,
            Action.ADD_LESSON,
            None,
            lesson,
            reason,
            course_id=lesson.course_id,
            period_id=period.id,
            lesson_id=lesson.id,
        )

    def edit_lesson(
        self, lesson_id: str, *, by: Actor, topic: str | None = None, homework: str | None = None, reason: str = ""
    ) -> Change:
        """Change a lesson's topic and/or homework; raises :class:`NotFound`/:class:`PeriodLocked`."""
        old = self.lesson(lesson_id)
        period = self._lesson_period(old, f"lesson {lesson_id}.date")
        self._guard_period(period.id, by, reason, "edit a lesson")
        new = evolve(
            old, topic=old.topic if topic is None else topic, homework=old.homework if homework is None else homework
        )
        if new == old:
            raise InvalidInput(f"lesson {lesson_id}", "the edit changes nothing", (topic, homework))
        self.lessons[lesson_id] = new
        return self._emit(
            by, Action.EDIT_LESSON, old, new, reason, course_id=old.course_id, period_id=period.id, lesson_id=lesson_id
        )

    # ------------------------------------------------------------------ commands: marks
    def _new_mark_id(self) -> str:
        while True:
            candidate = f"m{len(self.marks) + next(self._mark_ids)}"
            if candidate not in self.marks:
                return candidate

    def record_mark(
        self,
        student_id: str,
        lesson_id: str,
        value: MarkValue,
        work_type_id: str,
        *,
        by: Actor,
        reason: str = "",
        mark_id: str | None = None,
        comment: str = "",
    ) -> Change:
        """Record a current mark of a student on a lesson.

        Checks: the student is in the class and enrolled on the lesson's date; the lesson exists,
        lies in the year and in a period of its course's scheme; the value is on the course's scale;
        the work type exists; the period is open (or ``by`` may edit closed periods and gives a
        reason).  Raises :class:`NotFound`, :class:`InvalidInput` or :class:`PeriodLocked`;
        on any error nothing changes.  Returns the :class:`Change`.
        """
        lesson = self.lesson(lesson_id)
        where = f"mark of student {student_id} on lesson {lesson_id} ({lesson.date.isoformat()})"
        period = self._check_mark_place(student_id, lesson, where)
        if self.subject_of(lesson.course_id).assessment is AssessmentKind.NONE:
            raise InvalidInput(
                f"{where}.value", f"course {lesson.course_id!r} is taught without marks (безотметочное обучение)", value
            )
        self.scale_of(lesson.course_id).check(value, f"{where}.value")
        self._work_type(work_type_id)
        if mark_id is not None and mark_id in self.marks:
            raise InvalidInput(f"{where}.id", "a mark with this id exists", mark_id)
        self._guard_period(period.id, by, reason, "record a mark")
        mark = Mark(
            mark_id or self._new_mark_id(), student_id, lesson_id, value, work_type_id, self._now(), by.id, comment
        )
        self.marks[mark.id] = mark
        return self._emit(
            by,
            Action.RECORD_MARK,
            None,
            mark,
            reason,
            student_id=student_id,
            course_id=lesson.course_id,
            period_id=period.id,
            lesson_id=lesson_id,
        )

    def correct_mark(
        self,
        mark_id: str,
        value: MarkValue,
        *,
        by: Actor,
        reason: str = "",
        work_type_id: str | None = None,
    ) -> Change:
        """Change a mark's value (and optionally its work type).

        In a closed period only an actor who may edit closed periods can, and only with a reason.
        Raises :class:`NotFound`, :class:`InvalidInput`, :class:`PeriodLocked`.
        """
        old = self.mark(mark_id)
        lesson = self.lessons[old.lesson_id]
        where = f"mark {mark_id}"
        period = self._lesson_period(lesson, where)
        self.scale_of(lesson.course_id).check(value, f"{where}.value")
        wt = old.work_type_id if work_type_id is None else self._work_type(work_type_id).id
        self._guard_period(period.id, by, reason, "correct a mark")
        new = evolve(old, value=value, work_type_id=wt)
        if new == old:
            raise InvalidInput(f"{where}.value", "the correction changes nothing", value)
        self.marks[mark_id] = new
        return self._emit(
            by,
            Action.CORRECT_MARK,
            old,
            new,
            reason,
            student_id=old.student_id,
            course_id=lesson.course_id,
            period_id=period.id,
            lesson_id=old.lesson_id,
        )

    def delete_mark(self, mark_id: str, *, by: Actor, reason: str = "") -> Change:
        """Delete a mark (kept in the audit log as the change's ``before``)."""
        old = self.mark(mark_id)
        lesson = self.lessons[old.lesson_id]
        period = self._lesson_period(lesson, f"mark {mark_id}")
        self._guard_period(period.id, by, reason, "delete a mark")
        del self.marks[mark_id]
        return self._emit(
            by,
            Action.DELETE_MARK,
            old,
            None,
            reason,
            student_id=old.student_id,
            course_id=lesson.course_id,
            period_id=period.id,
            lesson_id=old.lesson_id,
        )

    # ------------------------------------------------------------------ commands: attendance
    def record_attendance(
        self, student_id: str, lesson_id: str, code: str | None, *, by: Actor, reason: str = ""
    ) -> Change:
        """Set (or with ``code=None`` clear) a student's attendance code for a lesson.

        Raises :class:`NotFound` (student, lesson), :class:`InvalidInput` (unknown code, date
        outside the enrolment or periods), :class:`PeriodLocked`.
        """
        lesson = self.lesson(lesson_id)
        where = f"attendance of student {student_id} on lesson {lesson_id} ({lesson.date.isoformat()})"
        period = self._check_mark_place(student_id, lesson, where)
        if code is not None and code not in self.attendance_codes:
            raise InvalidInput(
                f"{where}.code", f"unknown attendance code (known: {', '.join(sorted(self.attendance_codes))})", code
            )
        self._guard_period(period.id, by, reason, "record attendance")
        old = self.attendance.get((student_id, lesson_id))
        if code is None:
            if old is None:
                raise InvalidInput(f"{where}.code", "there is no attendance record to clear", None)
            del self.attendance[(student_id, lesson_id)]
            return self._emit(
                by,
                Action.CLEAR_ATTENDANCE,
                old,
                None,
                reason,
                student_id=student_id,
                course_id=lesson.course_id,
                period_id=period.id,
                lesson_id=lesson_id,
            )
        new = AttendanceRecord(student_id, lesson_id, code, self._now(), by.id)
        self.attendance[(student_id, lesson_id)] = new
        return self._emit(
            by,
            Action.RECORD_ATTENDANCE,
            old,
            new,
            reason,
            student_id=student_id,
            course_id=lesson.course_id,
            period_id=period.id,
            lesson_id=lesson_id,
        )

    # ------------------------------------------------------------------ commands: result marks
    def _set_result(
        self,
        kind: ResultKind,
        student_id: str,
        course_id: str,
        period_id: str,
        value: MarkValue | None,
        by: Actor,
        reason: str,
        *,
        primary_score: int | None = None,
    ) -> Change:
        self._require_student(student_id)
        course = self.course(course_id)
        where = f"{kind.value} mark of student {student_id} in course {course_id}" + (
            f" for {period_id}" if period_id else ""
        )
        if kind is ResultKind.PERIOD:
            self.scheme_of(course_id).get(period_id)
            lock = period_id
        else:
            lock = YEAR
        if value is not None:
            scale = self.exam_scale_of(course_id) if kind is ResultKind.EXAM else self.scales[course.scale_id]
            scale.check(value, f"{where}.value", result=True)
        self._guard_period(lock, by, reason, f"set a {kind.value} mark")
        key = ResultKey(student_id, course_id, kind, period_id)
        old = self.results.get(key)
        if value is None:
            if old is None:
                raise InvalidInput(f"{where}.value", "there is no mark to clear", None)
            del self.results[key]
            return self._emit(
                by,
                Action.CLEAR_RESULT,
                old,
                None,
                reason,
                student_id=student_id,
                course_id=course_id,
                period_id=period_id,
            )
        new = ResultMark(student_id, course_id, kind, value, self._now(), by.id, period_id, reason, primary_score)
        self.results[key] = new
        return self._emit(
            by, Action.SET_RESULT, old, new, reason, student_id=student_id, course_id=course_id, period_id=period_id
        )

    def set_period_mark(
        self, student_id: str, course_id: str, period_id: str, value: MarkValue | None, *, by: Actor, reason: str = ""
    ) -> Change:
        """Set (``None`` clears) a period mark; statuses "н/а"/"осв." are allowed.

        Raises :class:`NotFound` (student, course, period), :class:`InvalidInput` (value off the
        scale), :class:`PeriodLocked` (closed period without the right or a reason).
        """
        return self._set_result(ResultKind.PERIOD, student_id, course_id, period_id, value, by, reason)

    def set_annual_mark(
        self, student_id: str, course_id: str, value: MarkValue | None, *, by: Actor, reason: str = ""
    ) -> Change:
        """Set (``None`` clears) an annual mark; locked when the year is closed."""
        return self._set_result(ResultKind.ANNUAL, student_id, course_id, "", value, by, reason)

    def set_exam_mark(
        self, student_id: str, course_id: str, value: MarkValue | None, *, by: Actor, reason: str = ""
    ) -> Change:
        """Set (``None`` clears) an exam mark, on the course's exam scale; the course must be examined
        and, for an exam chosen per student, among the student's :class:`ExamChoice`.  An ЕГЭ test
        score is set here on the course's 100-point exam scale; an ОГЭ primary score goes through
        :meth:`record_exam_result`.

        Raises :class:`NotFound` (student, course), :class:`InvalidInput` (a course without an exam,
        an exam the student did not choose, a value off the exam scale), :class:`PeriodLocked` when
        the year is closed.
        """
        self._require_student(student_id)
        if not self.course(course_id).examined:
            raise InvalidInput(f"course {course_id}.examined", "the course has no exam", False)
        if value is not None:
            self._require_chosen(student_id, course_id)
        return self._set_result(ResultKind.EXAM, student_id, course_id, "", value, by, reason)

    def _require_chosen(self, student_id: str, course_id: str) -> None:
        if not self.takes_exam(student_id, course_id):
            chosen = self.exam_choices.get(student_id)
            raise InvalidInput(
                f"exam mark of student {student_id} in course {course_id}",
                "the student did not choose this exam (record the exam choice first)",
                list(chosen.course_ids) if chosen is not None else [],
            )

    def record_exam_result(
        self,
        student_id: str,
        course_id: str,
        primary_score: int,
        conversion: ScoreConversion,
        *,
        by: Actor,
        value: MarkValue | None = None,
        reason: str = "",
    ) -> Change:
        """Record an ОГЭ result: the primary score and the five-point mark ``conversion`` gives it.

        The mark is derived from the table; a ``value`` given as well must equal it (a mark copied
        from the exam protocol is checked, never trusted).  Both are kept on the exam
        :class:`ResultMark` (``primary_score``).  Checks as :meth:`set_exam_mark` (the student
        chose the exam, the year is open) and that ``conversion`` is the table of the course's
        subject.  Raises :class:`NotFound` (student, course), :class:`InvalidInput` (a score out of
        the table's range, a mark that disagrees with the table, a table of another subject, an
        exam the student did not choose, an exam scale other than the course's five-point one),
        :class:`PeriodLocked`.
        """
        self._require_student(student_id)
        course = self.course(course_id)
        where = f"exam mark of student {student_id} in course {course_id}"
        if not course.examined:
            raise InvalidInput(f"course {course_id}.examined", "the course has no exam", False)
        if not isinstance(conversion, ScoreConversion):
            raise InvalidInput(f"{where}.conversion", "must be a ScoreConversion", conversion)
        if conversion.subject_id != course.subject_id:
            raise InvalidInput(
                f"{where}.conversion",
                f"the table converts {conversion.subject_id!r}, the course teaches {course.subject_id!r}",
                conversion.subject_id,
            )
        try:
            converted = explain_primary_score(primary_score, conversion)
        except InvalidInput as e:
            raise InvalidInput(f"{where}.primary_score", e.reason, primary_score) from None
        if value is not None and value != converted.mark:
            raise InvalidInput(
                f"{where}.value",
                f"{converted.text}: the table gives {converted.mark}",
                value,
            )
        self.exam_scale_of(course_id).check(converted.mark, f"{where}.value", result=True)
        self._require_chosen(student_id, course_id)
        return self._set_result(
            ResultKind.EXAM, student_id, course_id, "", converted.mark, by, reason, primary_score=primary_score
        )

    def set_exam_choice(self, choice: ExamChoice, *, by: Actor, reason: str = "") -> Change:
        """Record (replacing an earlier one) the exams a student chose beside the required ones.

        Every course named must be examined with ``exam_by_choice``; a course left out of the new
        choice must not already hold the student's exam mark (clear it first).  Raises
        :class:`NotFound` (student, course), :class:`InvalidInput` (a course whose exam is not
        chosen, an exam mark in a course left out, a choice that changes nothing),
        :class:`PeriodLocked` when the year is closed.
        """
        if not isinstance(choice, ExamChoice):
            raise InvalidInput("exam choice", "must be an ExamChoice", choice)
        self._require_student(choice.student_id)
        where = f"exam choice of student {choice.student_id}"
        for cid in choice.course_ids:
            if not self.course(cid).exam_by_choice:
                raise InvalidInput(f"{where}.course_ids", f"course {cid!r} has no exam chosen per student", cid)
        old = self.exam_choices.get(choice.student_id)
        self._check_dropped(choice.student_id, old, set(choice.course_ids), where)
        if old == choice:
            raise InvalidInput(where, "the choice changes nothing", list(choice.course_ids))
        self._guard_period(YEAR, by, reason, "record an exam choice")
        self.exam_choices[choice.student_id] = choice
        return self._emit(by, Action.SET_EXAM_CHOICE, old, choice, reason, student_id=choice.student_id)

    def clear_exam_choice(self, student_id: str, *, by: Actor, reason: str = "") -> Change:
        """Remove a student's exam choice; refused while a chosen exam holds an exam mark.

        Raises :class:`NotFound` (student), :class:`InvalidInput` (no choice recorded, an exam mark
        in a chosen course), :class:`PeriodLocked` when the year is closed.
        """
        self._require_student(student_id)
        where = f"exam choice of student {student_id}"
        old = self.exam_choices.get(student_id)
        if old is None:
            raise InvalidInput(where, "there is no exam choice to clear", None)
        self._check_dropped(student_id, old, set(), where)
        self._guard_period(YEAR, by, reason, "clear an exam choice")
        del self.exam_choices[student_id]
        return self._emit(by, Action.CLEAR_EXAM_CHOICE, old, None, reason, student_id=student_id)

    def _check_dropped(self, student_id: str, old: ExamChoice | None, kept: set[str], where: str) -> None:
        dropped = [c for c in (old.course_ids if old is not None else ()) if c not in kept]
        marked = [c for c in dropped if self.result(student_id, c, ResultKind.EXAM) is not None]
        if marked:
            raise InvalidInput(f"{where}.course_ids", "the student has an exam mark in a course left out", marked)

    def set_final_mark(
        self, student_id: str, course_id: str, value: MarkValue | None, *, by: Actor, reason: str = ""
    ) -> Change:
        """Set (``None`` clears) a final (certificate) mark."""
        return self._set_result(ResultKind.FINAL, student_id, course_id, "", value, by, reason)

    # ------------------------------------------------------------------ commands: decisions
    def decision_history(self, student_id: str) -> tuple[Decision, ...]:
        """The student's council decisions in council order (:func:`decision_order`), oldest first.

        Empty for a student without decisions (or an unknown id).
        """
        return tuple(sorted((d for d in self.decisions.values() if d.student_id == student_id), key=decision_order))

    def decision_in_force(self, student_id: str) -> Decision | None:
        """The student's decision in force: the last one of :meth:`decision_history`, or ``None``."""
        history = self.decision_history(student_id)
        return history[-1] if history else None

    def decisions_in_force(self) -> dict[str, Decision]:
        """The decision in force of every student who has one, by student id."""
        out: dict[str, Decision] = {}
        for d in sorted(self.decisions.values(), key=decision_order):
            out[d.student_id] = d
        return out

    def _decision_date_problem(self, decision: Decision, history: Iterable[Decision]) -> str | None:
        """Why ``decision``'s council date is out of range among ``history``, or ``None``.

        The date lies in the academic year, except for a decision that follows a conditional
        promotion (the debt cleared or not): it may come up to a year after the year's end.
        """
        year = self.class_group.year
        if year.contains(decision.council_date):
            return None
        follow_up = decision.kind is not DecisionKind.PROMOTED_CONDITIONALLY and any(
            d.kind is DecisionKind.PROMOTED_CONDITIONALLY and d.council_date <= decision.council_date
            for d in history
            if d is not decision
        )
        if follow_up and year.start <= decision.council_date <= debt_deadline(year):
            return None
        return (
            f"outside the academic year {year}"
            + ("" if follow_up else " (only the decision after a conditional promotion may come later)")
            + (
                f" and the year after it for clearing the debt (until {debt_deadline(year).isoformat()})"
                if follow_up
                else ""
            )
        )

    def record_decision(self, decision: Decision, *, by: Actor, reason: str = "") -> Change:
        """Add a council decision to the student's history (earlier decisions stay).

        A student collects several decisions over a year (admitted to the exams in May, then
        graduated in June; promoted conditionally, then promoted once the debt is cleared); the
        one in force is the latest (:meth:`decision_in_force`), and the order is the councils'
        (:func:`decision_order`), not the order of recording.  The council date lies in the
        academic year, except for a decision that follows an earlier conditional promotion (the
        debt cleared or not): it may come up to a year after the year's end (:func:`debt_deadline`).
        What the regulations require of the sequence (a graduation after an admission, an
        admission after a passed admission test) is checked by validation (EJ408, EJ409), so
        the order of entry never matters.  Audited as :attr:`Action.SET_DECISION` with no
        ``before``.  Raises :class:`NotFound` (student), :class:`InvalidInput` (not a
        :class:`Decision`, an empty protocol, a council date out of range, a decision of the same
        kind on the same council date already recorded), :class:`PeriodLocked` when the year is
        closed.
        """
        if not isinstance(decision, Decision):
            raise InvalidInput("decision", "must be a Decision", decision)
        self._require_student(decision.student_id)
        where = f"decision for student {decision.student_id}"
        if not decision.protocol.strip():
            raise InvalidInput(f"{where}.protocol", "the council's protocol number is required", decision.protocol)
        same = self.decisions.get(decision.key)
        if same is not None:
            raise InvalidInput(
                f"{where}.kind",
                f"a decision {decision.kind.value!r} of the council of {decision.council_date.isoformat()}"
                f" is already recorded (protocol {same.protocol}); withdraw it to correct it",
                decision.kind.value,
            )
        problem = self._decision_date_problem(decision, self.decision_history(decision.student_id))
        if problem is not None:
            raise InvalidInput(f"{where}.council_date", problem, decision.council_date.isoformat())
        self._guard_period(YEAR, by, reason, "record a decision")
        self.decisions[decision.key] = decision
        return self._emit(by, Action.SET_DECISION, None, decision, reason, student_id=decision.student_id)

    def set_decision(self, decision: Decision, *, by: Actor, reason: str = "") -> Change:
        """The same as :meth:`record_decision` (the name of release 0.1, when a student had one decision).

        It no longer replaces the earlier decision: correct one with :meth:`withdraw_decision`.
        """
        return self.record_decision(decision, by=by, reason=reason)

    def withdraw_decision(
        self, student_id: str, council_date: date, kind: DecisionKind, *, by: Actor, reason: str
    ) -> Change:
        """Remove a decision entered by mistake (always with a written reason); the others stay.

        The decision is named by its student, council date and kind.  Audited as
        :attr:`Action.CLEAR_DECISION` (``before`` the withdrawn decision).  Raises
        :class:`NotFound` (student, decision), :class:`InvalidInput` (no reason; a later decision
        dated after the academic year that only the withdrawn conditional promotion allowed),
        :class:`PeriodLocked` when the year is closed.
        """
        self._require_student(student_id)
        if not isinstance(kind, DecisionKind):
            raise InvalidInput(f"decision for student {student_id}.kind", "must be a DecisionKind", kind)
        if not isinstance(council_date, date) or isinstance(council_date, datetime):
            raise InvalidInput(f"decision for student {student_id}.council_date", "must be a date", council_date)
        decision = self.decisions.get((student_id, council_date, kind.value))
        if decision is None:
            raise NotFound(
                "decision",
                f"{kind.value} of {council_date.isoformat()}",
                f"student {student_id}, class {self.class_group.label}",
            )
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidInput("reason", "withdrawing a decision needs a written reason", reason)
        rest = [d for d in self.decision_history(student_id) if d is not decision]
        for d in rest:
            problem = self._decision_date_problem(d, rest)
            if problem is not None:
                raise InvalidInput(
                    f"decision for student {student_id}.council_date",
                    f"the decision {d.kind.value!r} of {d.council_date.isoformat()} would be {problem}:"
                    " withdraw it first",
                    council_date.isoformat(),
                )
        self._guard_period(YEAR, by, reason, "withdraw a decision")
        del self.decisions[decision.key]
        return self._emit(by, Action.CLEAR_DECISION, decision, None, reason, student_id=student_id)

    # ------------------------------------------------------------------ commands: admission tests
    def admission_tests_of(self, student_id: str) -> tuple[AdmissionTest, ...]:
        """The student's admission-test attempts, first attempt first (empty when none)."""
        return tuple(
            sorted((t for t in self.admission_tests.values() if t.student_id == student_id), key=attrgetter("attempt"))
        )

    def admission_passed(self, student_id: str, on: date | None = None) -> bool:
        """True when the student has a passed admission test (held on or before ``on``, when given)."""
        return any(t.passed and (on is None or t.held_on <= on) for t in self.admission_tests_of(student_id))

    def record_admission_test(self, test: AdmissionTest, *, by: Actor, reason: str = "") -> Change:
        """Record an attempt at the admission test of the class's grade (зачёт or незачёт).

        The kind must be the grade's (:func:`admission_test_kind`: the interview in grade 9, the
        essay in grade 11); attempts are numbered 1, 2, 3 without gaps, each after the previous
        one, none after a passed one; ``held_on`` lies in the academic year and while the student
        is in the class.  Audited as :attr:`Action.RECORD_ADMISSION_TEST`.  Raises
        :class:`NotFound` (student), :class:`InvalidInput` (not an :class:`AdmissionTest`, the
        wrong grade, an attempt already recorded, out of order or after a pass, a date out of
        range), :class:`PeriodLocked` when the year is closed.
        """
        if not isinstance(test, AdmissionTest):
            raise InvalidInput("admission_test", "must be an AdmissionTest", test)
        student = self._require_student(test.student_id)
        where = f"admission test {test.attempt} of student {test.student_id}"
        grade = self.class_group.grade
        if test.kind.grade != grade:
            raise InvalidInput(
                f"{where}.kind",
                f"the {test.kind.value} is taken in grade {test.kind.grade}, the class is in grade {grade}",
                test.kind.value,
            )
        if test.key in self.admission_tests:
            raise InvalidInput(f"{where}.attempt", "is already recorded", test.attempt)
        earlier = [t for t in self.admission_tests_of(test.student_id) if t.kind is test.kind]
        if any(t.passed for t in earlier):
            raise InvalidInput(f"{where}.attempt", "the test is already passed (зачёт)", test.attempt)
        if test.attempt != len(earlier) + 1:
            raise InvalidInput(f"{where}.attempt", f"the next attempt is {len(earlier) + 1}", test.attempt)
        year = self.class_group.year
        if not year.contains(test.held_on):
            raise InvalidInput(f"{where}.held_on", f"outside the academic year {year}", test.held_on.isoformat())
        if not student.enrolled_on(test.held_on):
            raise InvalidInput(
                f"{where}.held_on", "the student is not in the class on that day", test.held_on.isoformat()
            )
        if earlier and test.held_on <= earlier[-1].held_on:
            raise InvalidInput(
                f"{where}.held_on",
                f"must come after attempt {earlier[-1].attempt} of {earlier[-1].held_on.isoformat()}",
                test.held_on.isoformat(),
            )
        self._guard_period(YEAR, by, reason, "record an admission test")
        self.admission_tests[test.key] = test
        return self._emit(by, Action.RECORD_ADMISSION_TEST, None, test, reason, student_id=test.student_id)

    def withdraw_admission_test(
        self, student_id: str, kind: AdmissionTestKind, attempt: int, *, by: Actor, reason: str
    ) -> Change:
        """Remove an admission-test attempt entered by mistake (the last one only, with a written reason).

        Audited as :attr:`Action.WITHDRAW_ADMISSION_TEST`.  Raises :class:`NotFound` (student,
        attempt), :class:`InvalidInput` (no reason, a later attempt is recorded),
        :class:`PeriodLocked` when the year is closed.
        """
        self._require_student(student_id)
        if not isinstance(kind, AdmissionTestKind):
            raise InvalidInput(f"admission test of student {student_id}.kind", "must be an AdmissionTestKind", kind)
        test = self.admission_tests.get((student_id, kind.value, attempt))
        if test is None:
            raise NotFound("admission test", f"{kind.value} attempt {attempt}", f"student {student_id}")
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidInput("reason", "withdrawing an admission test needs a written reason", reason)
        if (student_id, kind.value, attempt + 1) in self.admission_tests:
            raise InvalidInput(
                f"admission test {attempt} of student {student_id}.attempt",
                f"attempt {attempt + 1} is recorded: withdraw it first",
                attempt,
            )
        self._guard_period(YEAR, by, reason, "withdraw an admission test")
        del self.admission_tests[test.key]
        return self._emit(by, Action.WITHDRAW_ADMISSION_TEST, test, None, reason, student_id=student_id)

    # ------------------------------------------------------------------ commands: marks brought in
    def brought_marks_of(self, student_id: str, course_id: str, period: Period | None = None) -> list[BroughtMark]:
        """The marks the student brought in the course (optionally within ``period``), by date then id."""
        marks = [m for m in self.brought_marks.values() if m.student_id == student_id and m.course_id == course_id]
        if period is not None:
            marks = [m for m in marks if period.contains(m.date)]
        return sorted(marks, key=lambda m: (m.date, m.id))

    def bring_mark(
        self,
        student_id: str,
        course_id: str,
        day: date,
        value: MarkValue,
        work_type_id: str,
        source: str,
        *,
        by: Actor,
        mark_id: str | None = None,
        reason: str = "",
    ) -> Change:
        """Record a mark brought on an arriving student's extract: it counts in that period's mark.

        ``day`` is when it was given at the other school: in this academic year, in a period of the
        course's scheme, and before the student joined this class.  Raises :class:`NotFound`
        (student, course, work type), :class:`InvalidInput` (an empty source, a value off the
        course's scale, a day out of range, a duplicate id), :class:`PeriodLocked` in a closed period.
        """
        student = self._require_student(student_id)
        course = self.course(course_id)
        self._work_type(work_type_id)
        where = f"brought mark of student {student_id} in course {course_id}"
        if not isinstance(source, str) or not source.strip():
            raise InvalidInput(f"{where}.source", "name the extract (school, number, date)", source)
        self.scales[course.scale_id].check(value, f"{where}.value")
        if not isinstance(day, date) or isinstance(day, datetime) or not self.class_group.year.contains(day):
            raise InvalidInput(f"{where}.date", f"must be a day of the academic year {self.class_group.year}", day)
        if day >= student.enrolled:
            raise InvalidInput(
                f"{where}.date",
                f"must precede the student's arrival on {student.enrolled.isoformat()} (marks given here are lesson marks)",
                day.isoformat(),
            )
        period = self.scheme_of(course_id).period_of(day)
        if period is None:
            raise InvalidInput(f"{where}.date", f"falls in no period of scheme {course.scheme_id!r}", day.isoformat())
        self._guard_period(period.id, by, reason, "bring in a mark")
        mid = mark_id or f"b-{student_id}-{len(self.brought_marks) + 1}"
        if mid in self.brought_marks:
            raise InvalidInput(f"{where}.id", "is already used", mid)
        mark = BroughtMark(mid, student_id, course_id, day, value, work_type_id, source.strip(), self._now(), by.id)
        self.brought_marks[mid] = mark
        return self._emit(
            by, Action.BRING_MARK, None, mark, reason, student_id=student_id, course_id=course_id, period_id=period.id
        )

    def remove_brought_mark(self, mark_id: str, *, by: Actor, reason: str) -> Change:
        """Remove a brought mark entered by mistake (always with a written reason).

        Raises :class:`NotFound`, :class:`InvalidInput` without a reason, :class:`PeriodLocked`.
        """
        mark = self.brought_marks.get(mark_id)
        if mark is None:
            raise NotFound("brought mark", mark_id, f"class {self.class_group.label}")
        if not reason.strip():
            raise InvalidInput("reason", "removing a brought mark needs a written reason", reason)
        period = self.scheme_of(mark.course_id).period_of(mark.date)
        self._guard_period(period.id if period else YEAR, by, reason, "remove a brought mark")
        del self.brought_marks[mark_id]
        return self._emit(
            by,
            Action.REMOVE_BROUGHT_MARK,
            mark,
            None,
            reason,
            student_id=mark.student_id,
            course_id=mark.course_id,
            period_id=period.id if period else "",
        )

    # ------------------------------------------------------------------ commands: academic debts
    def debt_of(self, student_id: str, course_id: str) -> ResultMark | None:
        """The failing or "н/а" annual mark of the course (an open academic debt), or ``None``.

        A cleared debt has a passing annual mark (the retake's result) and its retakes in
        :attr:`retakes`; :func:`ejournal.core.debts.academic_debts` lists open and cleared ones.
        """
        annual = self.results.get(ResultKey(student_id, course_id, ResultKind.ANNUAL))
        if annual is not None and self.scale_of(course_id).is_passing(annual.value) is False:
            return annual
        return None

    def retakes_of(self, student_id: str, course_id: str) -> list[Retake]:
        """The student's retakes of the course, first attempt first."""
        return [r for a in (1, 2) if (r := self.retakes.get((student_id, course_id, a))) is not None]

    def record_retake(self, retake: Retake, *, by: Actor, reason: str = "") -> list[Change]:
        """Record an attempt to clear an academic debt; a passing one clears it.

        The course's annual mark must be failing or "н/а" (the debt); the first attempt comes
        before the second, the second only after a failed first; no attempt after a passing one;
        each is held after the year's end date of the debt's mark and at most a year after the
        end of the academic year.  A passing result becomes the annual mark (audited as its own
        change, with the retake's protocol as the reason), so the student may then be promoted
        by a new decision.  Returns the changes made (the retake, and the annual mark when it
        passed).  Raises :class:`NotFound` (student, course), :class:`InvalidInput` (no debt, an
        attempt out of order, a date out of range, a value off the course's scale).
        """
        if not isinstance(retake, Retake):
            raise InvalidInput("retake", "must be a Retake", retake)
        self._require_student(retake.student_id)
        course = self.course(retake.course_id)
        where = f"retake {retake.attempt} of student {retake.student_id} in course {retake.course_id}"
        scale = self.scales[course.scale_id]
        scale.check(retake.value, f"{where}.value", result=True)
        earlier = self.retakes_of(retake.student_id, retake.course_id)
        if retake.key in self.retakes:
            raise InvalidInput(f"{where}.attempt", "is already recorded", retake.attempt)
        if any(scale.is_passing(r.value) for r in earlier):
            raise InvalidInput(f"{where}.attempt", "the debt is already cleared", retake.attempt)
        debt = self.debt_of(retake.student_id, retake.course_id)
        if debt is None:
            raise InvalidInput(
                where, "there is no academic debt: the annual mark is not failing or not set", retake.course_id
            )
        if retake.attempt == 2 and not earlier:
            raise InvalidInput(f"{where}.attempt", "the first retake is not recorded", retake.attempt)
        year = self.class_group.year
        latest = debt_deadline(year)
        first_day = max([debt.set_at.date(), *(r.held_on for r in earlier)])
        if not first_day <= retake.held_on <= latest:
            raise InvalidInput(
                f"{where}.held_on",
                f"must be from {first_day.isoformat()} (the debt or the earlier attempt) to {latest.isoformat()}"
                " (a year after the academic year)",
                retake.held_on.isoformat(),
            )
        if scale.is_passing(retake.value) and YEAR in self.closed_periods and not by.may_edit_closed_periods:
            raise PeriodLocked(YEAR, f"{by} may not change an annual mark after the year is closed")
        retake = evolve(retake, owed=debt.value)
        self.retakes[retake.key] = retake
        changes = [
            self._emit(
                by, Action.RECORD_RETAKE, None, retake, reason, student_id=retake.student_id, course_id=course.id
            )
        ]
        if scale.is_passing(retake.value):
            why = reason or f"academic debt cleared: retake {retake.attempt}, protocol {retake.protocol}"
            cleared = ResultMark(
                retake.student_id, course.id, ResultKind.ANNUAL, retake.value, self._now(), by.id, "", why
            )
            self.results[cleared.key] = cleared
            changes.append(
                self._emit(by, Action.SET_RESULT, debt, cleared, why, student_id=retake.student_id, course_id=course.id)
            )
        return changes

    # ------------------------------------------------------------------ commands: roster
    def enrol(self, student: Student, *, by: Actor, reason: str = "") -> Change:
        """Add ``student`` to the class from ``student.enrolled`` (an arrival carries ``arrival_order``).

        Raises :class:`InvalidInput` when the id is already in the class, when the student is
        enrolled after the end of the year or leaves outside it, :class:`PeriodLocked` when the
        year is closed (without the right and a reason).
        """
        if not isinstance(student, Student):
            raise InvalidInput("student", "must be a Student", student)
        where = f"student {student.id}"
        if student.id in self.students:
            raise InvalidInput(f"{where}.id", f"is already in class {self.class_group.label}", student.id)
        year = self.class_group.year
        if student.enrolled > year.end:
            raise InvalidInput(f"{where}.enrolled", f"is after the end of the academic year {year}", student.enrolled)
        if student.left is not None and not year.contains(student.left):
            raise InvalidInput(f"{where}.left", f"is outside the academic year {year}", student.left.isoformat())
        self._guard_period(YEAR, by, reason, "enrol a student")
        self.students[student.id] = student
        return self._emit(by, Action.ENROL_STUDENT, None, student, reason, student_id=student.id)

    def withdraw(self, student_id: str, left: date, order: str, *, by: Actor, reason: str = "") -> Change:
        """Record that the student leaves the class after ``left`` (the last day), by the director's ``order``.

        The student stays in the journal with their marks (the sheet prints the movement).
        Raises :class:`NotFound` (student), :class:`InvalidInput` when the order number is empty,
        ``left`` is outside the year or before the enrolment, the student has already left, or
        marks or attendance are recorded for lessons after ``left`` (they are listed);
        :class:`PeriodLocked` when the year is closed.
        """
        student = self._require_student(student_id)
        where = f"student {student_id}"
        if not isinstance(order, str) or not order.strip():
            raise InvalidInput(f"{where}.departure_order", "the director's order number is required", order)
        if not isinstance(left, date) or isinstance(left, datetime):
            raise InvalidInput(f"{where}.left", "must be a date", left)
        if student.left is not None:
            raise InvalidInput(f"{where}.left", f"has already left on {student.left.isoformat()}", left.isoformat())
        year = self.class_group.year
        if not year.contains(left):
            raise InvalidInput(f"{where}.left", f"is outside the academic year {year}", left.isoformat())
        if left < student.enrolled:
            raise InvalidInput(
                f"{where}.left", f"precedes the enrolment on {student.enrolled.isoformat()}", left.isoformat()
            )
        self._check_nothing_after(student_id, left, where)
        self._guard_period(YEAR, by, reason, "withdraw a student")
        after = evolve(student, left=left, departure_order=order.strip())
        self.students[student_id] = after
        return self._emit(by, Action.WITHDRAW_STUDENT, student, after, reason, student_id=student_id)

    def edit_student(self, student: Student, *, by: Actor, reason: str = "") -> Change:
        """Replace the record of an enrolled student (a corrected name, birth date, order number).

        Raises :class:`NotFound` for an unknown id, :class:`InvalidInput` when the new enrolment
        dates would leave recorded marks or attendance outside them, :class:`PeriodLocked` when the
        year is closed.
        """
        if not isinstance(student, Student):
            raise InvalidInput("student", "must be a Student", student)
        before = self._require_student(student.id)
        where = f"student {student.id}"
        if student.left is not None:
            self._check_nothing_after(student.id, student.left, where)
        early = [le.date for le in self._lessons_with_records(student.id) if le.date < student.enrolled]
        if early:
            raise InvalidInput(
                f"{where}.enrolled",
                f"{len(early)} marks or attendance records precede it (the first on {min(early).isoformat()})",
                student.enrolled.isoformat(),
            )
        self._guard_period(YEAR, by, reason, "edit a student")
        self.students[student.id] = student
        return self._emit(by, Action.EDIT_STUDENT, before, student, reason, student_id=student.id)

    def _lessons_with_records(self, student_id: str) -> list[Lesson]:
        lesson_ids = {m.lesson_id for m in self.marks.values() if m.student_id == student_id}
        lesson_ids |= {lid for (sid, lid) in self.attendance if sid == student_id}
        return [self.lessons[lid] for lid in lesson_ids]

    def _check_nothing_after(self, student_id: str, left: date, where: str) -> None:
        late = [le.date for le in self._lessons_with_records(student_id) if le.date > left]
        if late:
            raise InvalidInput(
                f"{where}.left",
                f"{len(late)} marks or attendance records fall after it (the last on {max(late).isoformat()}); "
                "correct or delete them first",
                left.isoformat(),
            )

    def add_subject(self, subject: Subject, *, by: Actor, reason: str = "") -> Change:
        """Add a subject to the class's curriculum.

        Raises :class:`InvalidInput` for a duplicate id, :class:`PeriodLocked` when the year is closed.
        """
        if not isinstance(subject, Subject):
            raise InvalidInput("subject", "must be a Subject", subject)
        if subject.id in self.subjects:
            raise InvalidInput(f"subject {subject.id}.id", f"is already in class {self.class_group.label}", subject.id)
        self._guard_period(YEAR, by, reason, "add a subject")
        self.subjects[subject.id] = subject
        return self._emit(by, Action.ADD_SUBJECT, None, subject, reason)

    def add_course(self, course: Course, *, teacher: Teacher | None = None, by: Actor, reason: str = "") -> Change:
        """Add a course of one of the journal's subjects, taught by ``course.teacher_id``.

        ``teacher`` is the teacher's record when the journal does not list them yet (it is added,
        audited as its own change).  Raises :class:`InvalidInput` for a duplicate course id, or a
        teacher id that is neither listed nor given; :class:`NotFound` for an unknown subject,
        period scheme or scale; :class:`PeriodLocked` when the year is closed.
        """
        if not isinstance(course, Course):
            raise InvalidInput("course", "must be a Course", course)
        where = f"course {course.id}"
        if course.id in self.courses:
            raise InvalidInput(f"{where}.id", f"is already in class {self.class_group.label}", course.id)
        if course.subject_id not in self.subjects:
            raise NotFound("subject", course.subject_id, f"class {self.class_group.label}")
        if course.scheme_id not in self.schemes:
            raise NotFound("period scheme", course.scheme_id, f"class {self.class_group.label}")
        for scale_id in (course.scale_id, course.exam_scale_id):
            if scale_id is not None and scale_id not in self.scales:
                raise NotFound("scale", scale_id, f"class {self.class_group.label}")
        self._check_teacher(course.teacher_id, teacher, where)
        self._guard_period(YEAR, by, reason, "add a course")
        self._take_teacher(teacher, by, reason)
        self.courses[course.id] = course
        return self._emit(by, Action.ADD_COURSE, None, course, reason, course_id=course.id)

    def change_teacher(
        self, course_id: str, teacher_id: str | None, *, teacher: Teacher | None = None, by: Actor, reason: str = ""
    ) -> Change:
        """Give the course to another teacher (``None``: vacant) from now on; the audit log keeps who taught when.

        Marks already entered keep their ``entered_by``.  ``teacher`` is the record of a teacher the
        journal does not list yet.  Raises :class:`NotFound` (course), :class:`InvalidInput` for an
        unknown teacher id or the same teacher, :class:`PeriodLocked` when the year is closed.
        """
        course = self.course(course_id)
        where = f"course {course_id}"
        if teacher_id == course.teacher_id:
            raise InvalidInput(f"{where}.teacher_id", "already teaches the course", teacher_id)
        self._check_teacher(teacher_id, teacher, where)
        self._guard_period(YEAR, by, reason, "change a course's teacher")
        self._take_teacher(teacher, by, reason)
        after = evolve(course, teacher_id=teacher_id)
        self.courses[course_id] = after
        return self._emit(by, Action.CHANGE_TEACHER, course, after, reason, course_id=course_id)

    def record_creation(self, *, by: Actor, reason: str = "") -> Change:
        """Audit that the journal was created (its class as ``after``): the first entry of a new journal.

        Raises :class:`InvalidInput` when the journal already holds changes or records (it is
        not new).
        """
        if self.pending_changes or self.version or self.marks or self.lessons:
            raise InvalidInput("journal", "is not a new journal", self.id)
        return self._emit(by, Action.CREATE_JOURNAL, None, self.class_group, reason)

    def appoint_class_teacher(
        self, teacher_id: str | None, *, teacher: Teacher | None = None, by: Actor, reason: str = ""
    ) -> Change:
        """Make ``teacher_id`` the class teacher (``None``: none) from now on.

        ``teacher`` is the record of a teacher the journal does not list yet.  Raises
        :class:`InvalidInput` for an unknown teacher id or the same teacher, :class:`PeriodLocked`
        when the year is closed.
        """
        before = self.class_group
        if teacher_id == before.class_teacher_id:
            raise InvalidInput("class_group.class_teacher_id", "is already the class teacher", teacher_id)
        self._check_teacher(teacher_id, teacher, "class_group")
        self._guard_period(YEAR, by, reason, "appoint the class teacher")
        self._take_teacher(teacher, by, reason)
        self.class_group = evolve(before, class_teacher_id=teacher_id)
        return self._emit(by, Action.SET_CLASS_TEACHER, before, self.class_group, reason)

    def _check_teacher(self, teacher_id: str | None, teacher: Teacher | None, where: str) -> None:
        if teacher is not None and not isinstance(teacher, Teacher):
            raise InvalidInput(f"{where}.teacher", "must be a Teacher", teacher)
        if teacher is not None and teacher.id != teacher_id:
            raise InvalidInput(f"{where}.teacher", f"is teacher {teacher.id}, not {teacher_id}", teacher.id)
        if teacher_id is not None and teacher is None and teacher_id not in self.teachers:
            raise InvalidInput(
                f"{where}.teacher_id", "is not a teacher of the journal; give the teacher's record", teacher_id
            )

    def _take_teacher(self, teacher: Teacher | None, by: Actor, reason: str) -> None:
        if teacher is None or self.teachers.get(teacher.id) == teacher:
            return
        old = self.teachers.get(teacher.id)
        self.teachers[teacher.id] = teacher
        self._emit(by, Action.ADD_TEACHER, old, teacher, reason)

    # ------------------------------------------------------------------ commands: periods
    def close_period(self, period_id: str, *, by: Actor, reason: str = "") -> Change:
        """Close a period (or the year, :data:`YEAR`): from now on changes in it need the right and a reason.

        Raises :class:`NotFound` for an unknown period, :class:`InvalidInput` when already closed,
        :class:`PermissionDenied` unless ``by`` is an administrator (or the system).
        """
        self._known_period(period_id)
        if period_id in self.closed_periods:
            raise InvalidInput("period", "is already closed", period_id)
        if not by.may_edit_closed_periods:
            raise PermissionDenied(str(by), "close", f"period {period_id}", "only an administrator closes periods")
        self.closed_periods.add(period_id)
        return self._emit(by, Action.CLOSE_PERIOD, None, PeriodClosure(period_id), reason, period_id=period_id)

    def reopen_period(self, period_id: str, *, by: Actor, reason: str) -> Change:
        """Reopen a closed period: only an actor who may edit closed periods, always with a reason.

        Raises :class:`NotFound`, :class:`InvalidInput` (not closed) or :class:`PeriodLocked`.
        """
        self._known_period(period_id)
        if period_id not in self.closed_periods:
            raise InvalidInput("period", "is not closed", period_id)
        if not by.may_edit_closed_periods:
            raise PeriodLocked(period_id, f"{by} may not reopen it")
        if not reason.strip():
            raise PeriodLocked(period_id, "reopening needs a written reason")
        self.closed_periods.discard(period_id)
        return self._emit(by, Action.REOPEN_PERIOD, PeriodClosure(period_id), None, reason, period_id=period_id)

    def _known_period(self, period_id: str) -> None:
        if period_id == YEAR:
            return
        for scheme in self.schemes.values():
            if any(p.id == period_id for p in scheme.periods):
                return
        raise NotFound("period", period_id, f"class {self.class_group.label}")

    def copy(
        self, *, school: School | None = None, version: int | None = None, clock: Clock | None = None
    ) -> ClassJournal:
        """An independent copy of the journal's data, as a freshly loaded journal.

        Containers (dicts, sets) are copied and the frozen records shared, so a copy costs one pass
        over the records and no validation (the data was valid here already).  The copy has no
        pending changes and a fresh index; ``school``, ``version`` and ``clock`` replace the
        journal's own when given (the clock is kept otherwise).  Never raises.
        """
        new = object.__new__(ClassJournal)
        for f in attrs.fields(ClassJournal):
            value = getattr(self, f.name)
            if isinstance(value, dict):
                value = dict(value)
            elif isinstance(value, set):
                value = set(value)
            object.__setattr__(new, f.name, value)
        new.pending_changes = []
        new._index = None
        new._mark_ids = itertools.count(1)
        if school is not None:
            new.school = school
        if version is not None:
            new.version = version
        if clock is not None:
            new.clock = clock
        return new

    def take_pending_changes(self) -> list[Change]:
        """Return and forget the changes not yet saved (the storage calls this when it commits)."""
        out, self.pending_changes = self.pending_changes, []
        return out


_GET_ID = attrgetter("id")
_COURSE_ID = attrgetter("course_id")
_STUDENT_ID = attrgetter("student_id")
_LESSON_ID = attrgetter("lesson_id")
_WORK_TYPE_ID = attrgetter("work_type_id")
_RESULT_KEY_FIELDS = attrgetter("student_id", "course_id", "kind", "period_id")
_RESULT_PLACE = attrgetter("course_id", "kind", "period_id")


def _keys_are_ids(items: Mapping[str, object]) -> bool:
    """True when every object's ``id`` is its key (False also when some object has no ``id``)."""
    try:
        return all(map(operator.eq, map(_GET_ID, items.values()), items))
    except (AttributeError, TypeError):
        return False


def _all_known(objects: Iterable[object], attribute: attrgetter[Any], known: Container[object]) -> bool:
    """True when ``attribute`` of every object is in ``known`` (False on anything odd)."""
    try:
        return all(map(known.__contains__, map(attribute, objects)))
    except (AttributeError, TypeError):
        return False


@define
class _Index:
    lessons_by_course: dict[str, list[Lesson]]
    marks_by_student_course: dict[tuple[str, str], list[Mark]]
    attendance_by_student: dict[str, list[AttendanceRecord]]

    @classmethod
    def build(cls, j: ClassJournal) -> _Index:
        lessons_by_course: dict[str, list[Lesson]] = {}
        for le in j.lessons.values():
            lessons_by_course.setdefault(le.course_id, []).append(le)
        for v in lessons_by_course.values():
            v.sort(key=lambda le: (le.date, le.number, le.id))
        order = {le.id: i for v in lessons_by_course.values() for i, le in enumerate(v)}
        marks: dict[tuple[str, str], list[Mark]] = {}
        lessons = j.lessons
        for m in j.marks.values():
            marks.setdefault((m.student_id, lessons[m.lesson_id].course_id), []).append(m)
        for ms in marks.values():
            ms.sort(key=lambda m: (order[m.lesson_id], m.entered_at, m.id))
        att: dict[str, list[AttendanceRecord]] = {}
        for a in j.attendance.values():
            att.setdefault(a.student_id, []).append(a)
        return cls(lessons_by_course, marks, att)


def is_numeric(value: MarkValue) -> bool:
    """True for a whole grade, False for a :class:`Status`."""
    return not isinstance(value, Status)

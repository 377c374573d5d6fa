"""Explicit converters between table rows and domain objects (no ORM mapping).

``*_row(obj)`` returns the column values of one row (without ``school_id``/``journal_id``, which
the caller adds); ``*_from(row)`` builds the domain object back.  The big tables (lessons, marks,
attendance, results) have no ``*_from``: a load builds them a column at a time with
:class:`BulkBuilder` (see :mod:`ejournal.storage.sql.journal_io`).  Values keep their exact form:
grades as ``int``, statuses as their code, fractions as numerator/denominator, moments as
ISO-8601 text with offset and microseconds (see :func:`moment_text`).
"""

from __future__ import annotations

import inspect
import json
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from fractions import Fraction
from itertools import repeat
from types import MemberDescriptorType
from typing import Any, Generic, TypeVar

import attrs

from ejournal.core.calendar import AcademicYear, Period, PeriodKind, PeriodScheme
from ejournal.core.errors import InvalidInput
from ejournal.core.journal import (
    AdmissionTest,
    AdmissionTestKind,
    AttendanceRecord,
    BroughtMark,
    Decision,
    DecisionKind,
    ExamChoice,
    Mark,
    ResultMark,
    Retake,
)
from ejournal.core.model import (
    AbsenceReason,
    AssessmentKind,
    AttendanceCode,
    ClassGroup,
    Course,
    Lesson,
    Parent,
    PersonName,
    School,
    Sex,
    Student,
    Subject,
    Teacher,
)
from ejournal.core.scales import MarkValue, Scale, Status, WorkType

__all__ = [
    "STATUS_BY_CODE",
    "BulkBuilder",
    "MomentParser",
    "moment_from_text",
    "moment_text",
    "moment_utc_key",
    "value_columns",
]

T = TypeVar("T")
Row = Mapping[Any, Any]
RowDict = dict[str, Any]

STATUS_BY_CODE: dict[str, Status] = {s.code: s for s in Status}
"""Status codes as stored in the ``status`` columns."""


# ------------------------------------------------------------------------------------- scalars
def moment_text(moment: datetime) -> str:
    """A moment as stored: ``datetime.isoformat()`` (offset and microseconds kept exactly).

    A zone such as ``ZoneInfo("Europe/Moscow")`` is kept as its fixed offset at that moment;
    a naive datetime is stored without an offset and read back naive.
    """
    return moment.isoformat()


def moment_from_text(text: str) -> datetime:
    """The moment stored by :func:`moment_text`."""
    return datetime.fromisoformat(text)


def moment_utc_key(moment: datetime) -> str:
    """A fixed-width, sortable UTC form ``YYYY-MM-DDTHH:MM:SS.ffffff`` (naive moments taken as UTC)."""
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds")


class MomentParser(dict[str, datetime]):
    """Parses stored moments, reusing the object for repeated texts (a load sees many).

    Call it with one text, or map its ``__getitem__`` over many (a text seen before costs one
    dictionary look-up).  A text that is not a stored moment raises :class:`InvalidInput`.
    """

    __slots__ = ()

    def __missing__(self, text: str) -> datetime:
        try:
            moment = datetime.fromisoformat(text)
        except (TypeError, ValueError) as e:
            raise InvalidInput("stored moment", "not an ISO-8601 date and time", text) from e
        self[text] = moment
        return moment

    def __call__(self, text: str) -> datetime:
        return self[text]


class BulkBuilder(Generic[T]):
    """Builds many instances of one attrs class from columns of field values.

    ``builder(col1, col2, ...)`` returns one instance per position, exactly as
    ``[cls(a, b, ...) for a, b, ... in zip(col1, col2, ...)]`` would: the columns are the
    class's fields in declaration order, all of one length (:class:`ValueError` otherwise).

    For a slotted attrs class whose ``__init__`` only stores its arguments (no validator,
    converter, ``__attrs_pre_init__``/``__attrs_post_init__`` or hidden slot, such as
    :class:`~ejournal.core.journal.Mark`), the instances are allocated with ``object.__new__``
    and each field is stored through its slot descriptor, one C-level pass per field: no
    Python frame per instance.  Any other class is called once per position, so its checks run.
    """

    __slots__ = ("_cls", "_setters")

    def __init__(self, cls: type[T]) -> None:
        """A builder for ``cls`` (an attrs class)."""
        self._cls = cls
        self._setters = _slot_setters(cls)

    @property
    def direct(self) -> bool:
        """True when instances are built by filling their slots (False: by calling the class)."""
        return self._setters is not None

    def __call__(self, *columns: Sequence[Any]) -> list[T]:
        n = len(columns[0]) if columns else 0
        if any(len(c) != n for c in columns):
            raise ValueError(f"{self._cls.__name__}: columns of different lengths {[len(c) for c in columns]}")
        if self._setters is None:
            return list(map(self._cls, *columns))
        if len(columns) != len(self._setters):
            raise ValueError(f"{self._cls.__name__}: {len(self._setters)} columns expected, got {len(columns)}")
        objs: list[T] = list(map(object.__new__, repeat(self._cls, n)))
        for setter, column in zip(self._setters, columns, strict=True):
            deque(map(setter, objs, column), maxlen=0)
        return objs


def _slot_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...] | None:
    """The slot setters of ``cls``'s fields in order, or ``None`` when ``__init__`` does more than store."""
    if not attrs.has(cls) or cls.__new__ is not object.__new__ or cls.__dictoffset__:
        return None
    init = getattr(cls.__init__, "__code__", None)
    if init is None or not init.co_filename.startswith("<attrs generated"):
        return None
    if any(hasattr(cls, hook) for hook in ("__attrs_pre_init__", "__attrs_post_init__")):
        return None
    fields = attrs.fields(cls)
    if any(not f.init or f.validator is not None or f.converter is not None for f in fields):
        return None
    slots = {name for c in cls.__mro__ for name in c.__dict__.get("__slots__", ())} - {"__weakref__"}
    if slots != {f.name for f in fields}:
        return None
    setters = []
    for f in fields:
        descriptor = inspect.getattr_static(cls, f.name)
        if not isinstance(descriptor, MemberDescriptorType):
            return None
        setters.append(descriptor.__set__)
    return tuple(setters)


def value_columns(value: MarkValue) -> tuple[int | None, str | None]:
    """``(grade, status)`` for a mark value: exactly one of them is set."""
    if isinstance(value, Status):
        return None, value.code
    return value, None


def _name_row(name: PersonName) -> RowDict:
    return {"surname": name.surname, "given": name.given, "patronymic": name.patronymic}


def _name_from(row: Row) -> PersonName:
    return PersonName(row["surname"], row["given"], row["patronymic"])


# ---------------------------------------------------------------------------------- school level
def school_row(school: School) -> RowDict:
    """Columns of ``ej_schools``."""
    d = school.director
    return {
        "school_id": school.id,
        "name_ru": school.name_ru,
        "name_tt": school.name_tt,
        "director_surname": d.surname if d else None,
        "director_given": d.given if d else None,
        "director_patronymic": d.patronymic if d else None,
        "address": school.address,
    }


def school_from(row: Row) -> School:
    """The :class:`School` of an ``ej_schools`` row."""
    director = None
    if row["director_surname"] is not None:
        director = PersonName(row["director_surname"], row["director_given"], row["director_patronymic"] or "")
    return School(row["school_id"], row["name_ru"], row["name_tt"], director, row["address"])


def teacher_row(teacher: Teacher) -> RowDict:
    """Columns of ``ej_teachers``/``ej_journal_teachers``."""
    return {"teacher_id": teacher.id, **_name_row(teacher.name)}


def teacher_from(row: Row) -> Teacher:
    """A :class:`Teacher`."""
    return Teacher(row["teacher_id"], _name_from(row))


def parent_row(parent: Parent) -> RowDict:
    """Columns of ``ej_parents`` (children go to ``ej_parent_children``)."""
    return {"parent_id": parent.id, **_name_row(parent.name)}


def parent_from(row: Row, children: Sequence[str]) -> Parent:
    """A :class:`Parent` with its children's ids."""
    return Parent(row["parent_id"], _name_from(row), frozenset(children))


# --------------------------------------------------------------------------------- journal level
def journal_row(group: ClassGroup) -> RowDict:
    """Columns of ``ej_journals`` except the version."""
    return {
        "journal_id": group.id,
        "grade": group.grade,
        "letter": group.letter,
        "year_start": group.year.start_year,
        "year_first_day": group.year.start,
        "year_last_day": group.year.end,
        "class_teacher_id": group.class_teacher_id,
    }


def class_group_from(row: Row) -> ClassGroup:
    """The :class:`ClassGroup` of an ``ej_journals`` row."""
    year = AcademicYear(row["year_start"], row["year_first_day"], row["year_last_day"])
    return ClassGroup(row["journal_id"], row["grade"], row["letter"], year, row["class_teacher_id"])


def student_row(s: Student) -> RowDict:
    """Columns of ``ej_students``."""
    return {
        "student_id": s.id,
        **_name_row(s.name),
        "enrolled_on": s.enrolled,
        "left_on": s.left,
        "birth_date": s.birth_date,
        "arrival_order": s.arrival_order,
        "departure_order": s.departure_order,
        "sex": None if s.sex is None else s.sex.value,
    }


def student_from(row: Row) -> Student:
    """A :class:`Student`."""
    return Student(
        row["student_id"],
        _name_from(row),
        row["enrolled_on"],
        row["left_on"],
        row["birth_date"],
        row["arrival_order"],
        row["departure_order"],
        None if row["sex"] is None else Sex(row["sex"]),
    )


def subject_row(s: Subject) -> RowDict:
    """Columns of ``ej_subjects``."""
    return {
        "subject_id": s.id,
        "name": s.name,
        "sort_order": s.order,
        "assessment": s.assessment.value,
        "short_name": s.short_name,
        "name_tt": s.name_tt or None,
    }


def subject_from(row: Row) -> Subject:
    """A :class:`Subject`."""
    return Subject(
        row["subject_id"],
        row["name"],
        row["sort_order"],
        AssessmentKind(row["assessment"]),
        row["short_name"],
        row["name_tt"] or "",
    )


def scheme_row(s: PeriodScheme) -> RowDict:
    """Columns of ``ej_schemes`` (periods go to ``ej_periods``)."""
    return {"scheme_id": s.id, "name": s.name}


def period_row(scheme_id: str, p: Period) -> RowDict:
    """Columns of ``ej_periods``."""
    return {
        "period_id": p.id,
        "scheme_id": scheme_id,
        "kind": p.kind.value,
        "number": p.number,
        "start_on": p.start,
        "end_on": p.end,
        "name": p.name,
    }


def period_from(row: Row) -> Period:
    """A :class:`Period`."""
    return Period(row["period_id"], PeriodKind(row["kind"]), row["number"], row["start_on"], row["end_on"], row["name"])


def scheme_from(row: Row, periods: Sequence[Period]) -> PeriodScheme:
    """A :class:`PeriodScheme` from its row and its periods (any order; sorted by number)."""
    return PeriodScheme(row["scheme_id"], tuple(sorted(periods, key=lambda p: p.number)), row["name"])


def scale_row(s: Scale) -> RowDict:
    """Columns of ``ej_scales``: grades and statuses as space-separated text."""
    return {
        "scale_id": s.id,
        "name": s.name,
        "grade_values": " ".join(str(v) for v in s.values),
        "pass_from": s.pass_from,
        "statuses": " ".join(sorted(st.code for st in s.statuses)),
    }


def scale_from(row: Row) -> Scale:
    """A :class:`Scale`."""
    return Scale(
        row["scale_id"],
        row["name"],
        tuple(int(v) for v in row["grade_values"].split()),
        row["pass_from"],
        frozenset(STATUS_BY_CODE[c] for c in row["statuses"].split()),
    )


def work_type_row(w: WorkType) -> RowDict:
    """Columns of ``ej_work_types``: the weight as numerator/denominator."""
    return {
        "work_type_id": w.id,
        "name": w.name,
        "weight_num": w.weight.numerator,
        "weight_den": w.weight.denominator,
    }


def work_type_from(row: Row) -> WorkType:
    """A :class:`WorkType`."""
    return WorkType(row["work_type_id"], row["name"], Fraction(row["weight_num"], row["weight_den"]))


def attendance_code_row(c: AttendanceCode) -> RowDict:
    """Columns of ``ej_attendance_codes``."""
    return {"code": c.code, "reason": c.reason.value, "label": c.label, "missed": c.missed}


def attendance_code_from(row: Row) -> AttendanceCode:
    """An :class:`AttendanceCode`."""
    return AttendanceCode(row["code"], AbsenceReason(row["reason"]), row["label"], bool(row["missed"]))


def course_row(c: Course) -> RowDict:
    """Columns of ``ej_courses``: weekly hours as numerator/denominator."""
    return {
        "course_id": c.id,
        "subject_id": c.subject_id,
        "teacher_id": c.teacher_id,
        "hours_num": c.hours_per_week.numerator,
        "hours_den": c.hours_per_week.denominator,
        "scheme_id": c.scheme_id,
        "scale_id": c.scale_id,
        "examined": c.examined,
        "exam_scale_id": c.exam_scale_id,
        "exam_by_choice": c.exam_by_choice,
        "exam_of": c.exam_of,
    }


def course_from(row: Row) -> Course:
    """A :class:`Course`."""
    return Course(
        row["course_id"],
        row["subject_id"],
        row["teacher_id"],
        Fraction(row["hours_num"], row["hours_den"]),
        row["scheme_id"],
        row["scale_id"],
        bool(row["examined"]),
        row["exam_scale_id"],
        bool(row["exam_by_choice"]),
        row["exam_of"],
    )


def lesson_row(le: Lesson) -> RowDict:
    """Columns of ``ej_lessons``."""
    return {
        "lesson_id": le.id,
        "course_id": le.course_id,
        "lesson_date": le.date,
        "number": le.number,
        "topic": le.topic,
        "homework": le.homework,
    }


def mark_row(m: Mark) -> RowDict:
    """Columns of ``ej_marks``."""
    grade, status = value_columns(m.value)
    return {
        "mark_id": m.id,
        "student_id": m.student_id,
        "lesson_id": m.lesson_id,
        "grade": grade,
        "status": status,
        "work_type_id": m.work_type_id,
        "entered_at": moment_text(m.entered_at),
        "entered_by": m.entered_by,
        "comment": m.comment,
    }


def attendance_row(a: AttendanceRecord) -> RowDict:
    """Columns of ``ej_attendance``."""
    return {
        "student_id": a.student_id,
        "lesson_id": a.lesson_id,
        "code": a.code,
        "entered_at": moment_text(a.entered_at),
        "entered_by": a.entered_by,
    }


def result_row(r: ResultMark) -> RowDict:
    """Columns of ``ej_results`` (``period_id`` is ``''`` except for period marks)."""
    grade, status = value_columns(r.value)
    return {
        "student_id": r.student_id,
        "course_id": r.course_id,
        "kind": r.kind.value,
        "period_id": r.period_id,
        "grade": grade,
        "status": status,
        "set_at": moment_text(r.set_at),
        "set_by": r.set_by,
        "reason": r.reason,
        "primary_score": r.primary_score,
    }


def decision_row(d: Decision) -> RowDict:
    """Columns of ``ej_decisions``."""
    return {
        "student_id": d.student_id,
        "kind": d.kind.value,
        "council_date": d.council_date,
        "protocol": d.protocol,
        "to_grade": d.to_grade,
        "note": d.note,
    }


def brought_mark_row(m: BroughtMark) -> RowDict:
    """Columns of ``ej_brought_marks``."""
    grade, status = value_columns(m.value)
    return {
        "mark_id": m.id,
        "student_id": m.student_id,
        "course_id": m.course_id,
        "day": m.date,
        "grade": grade,
        "status": status,
        "work_type_id": m.work_type_id,
        "source": m.source,
        "entered_at": moment_text(m.entered_at),
        "entered_by": m.entered_by,
    }


def value_from(row: Row, table: str) -> MarkValue:
    """The mark value of a row's ``grade``/``status`` columns; :class:`InvalidInput` naming ``table``
    for a status code this library does not know (the schema's check should have refused it)."""
    value: MarkValue | None = STATUS_BY_CODE.get(row["status"]) if row["status"] is not None else row["grade"]
    if value is None:
        raise InvalidInput(f"{table}.status", "neither a grade nor a known status", row["status"])
    return value


def brought_mark_from(row: Row) -> BroughtMark:
    """A :class:`BroughtMark`; :class:`InvalidInput` for a value the schema should have refused."""
    return BroughtMark(
        row["mark_id"],
        row["student_id"],
        row["course_id"],
        row["day"],
        value_from(row, "ej_brought_marks"),
        row["work_type_id"],
        row["source"],
        moment_from_text(row["entered_at"]),
        row["entered_by"],
    )


def exam_choice_row(c: ExamChoice) -> RowDict:
    """Columns of ``ej_exam_choices`` (the courses as a JSON array of ids)."""
    return {
        "student_id": c.student_id,
        "course_ids": json.dumps(list(c.course_ids), ensure_ascii=False),
        "chosen_on": c.chosen_on,
    }


def exam_choice_from(row: Row) -> ExamChoice:
    """An :class:`ExamChoice`; :class:`InvalidInput` for course ids the schema should have refused."""
    ids = json.loads(row["course_ids"])
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise InvalidInput("ej_exam_choices.course_ids", "must be a JSON array of course ids", row["course_ids"])
    return ExamChoice(row["student_id"], tuple(ids), row["chosen_on"])


def retake_row(r: Retake) -> RowDict:
    """Columns of ``ej_retakes`` (the commission as a JSON array of names)."""
    grade, status = value_columns(r.value)
    return {
        "student_id": r.student_id,
        "course_id": r.course_id,
        "attempt": r.attempt,
        "held_on": r.held_on,
        "grade": grade,
        "status": status,
        "protocol": r.protocol,
        "commission": json.dumps(list(r.commission), ensure_ascii=False),
        "owed_grade": None if r.owed is None else value_columns(r.owed)[0],
        "owed_status": None if r.owed is None else value_columns(r.owed)[1],
    }


def retake_from(row: Row) -> Retake:
    """A :class:`Retake`; :class:`InvalidInput` for a value or commission the schema should have refused."""
    value = value_from(row, "ej_retakes")
    members = json.loads(row["commission"])
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        raise InvalidInput("ej_retakes.commission", "must be a JSON array of names", row["commission"])
    owed: MarkValue | None = STATUS_BY_CODE.get(row["owed_status"]) if row["owed_status"] else row["owed_grade"]
    return Retake(
        row["student_id"],
        row["course_id"],
        row["attempt"],
        row["held_on"],
        value,
        row["protocol"],
        tuple(members),
        owed,
    )


def decision_from(row: Row) -> Decision:
    """A :class:`Decision`."""
    return Decision(
        row["student_id"], DecisionKind(row["kind"]), row["council_date"], row["protocol"], row["to_grade"], row["note"]
    )


def admission_test_row(a: AdmissionTest) -> RowDict:
    """Columns of ``ej_admission_tests``."""
    return {
        "student_id": a.student_id,
        "kind": a.kind.value,
        "attempt": a.attempt,
        "held_on": a.held_on,
        "passed": a.passed,
        "note": a.note,
    }


def admission_test_from(row: Row) -> AdmissionTest:
    """An :class:`AdmissionTest` (``passed`` read back as a bool whatever the driver returns)."""
    return AdmissionTest(
        row["student_id"],
        AdmissionTestKind(row["kind"]),
        row["attempt"],
        row["held_on"],
        bool(row["passed"]),
        row["note"],
    )

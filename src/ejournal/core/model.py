"""Entities of a school: people, classes, subjects, courses, lessons, attendance codes."""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable
from datetime import date
from fractions import Fraction

from attrs import field, frozen

from ejournal.core.calendar import AcademicYear
from ejournal.core.errors import InvalidInput

__all__ = [
    "DEFAULT_ATTENDANCE_CODES",
    "AbsenceReason",
    "AssessmentKind",
    "AttendanceCode",
    "ClassGroup",
    "Course",
    "Lesson",
    "Parent",
    "PersonName",
    "School",
    "Sex",
    "Student",
    "Subject",
    "Teacher",
]


def _non_empty(where: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(where, "must be a non-empty string", value)


@frozen(order=False)
class PersonName:
    """Surname, given name and (optional) patronymic.

    Raises :class:`InvalidInput` when the surname or given name is empty.  Sorting by
    language is done by the summary sheet's collator, never by ``sorted()`` on these strings.
    """

    surname: str
    given: str
    patronymic: str = ""

    def __attrs_post_init__(self) -> None:
        _non_empty("name.surname", self.surname)
        _non_empty("name.given", self.given)
        if not isinstance(self.patronymic, str):
            raise InvalidInput("name.patronymic", "must be a string", self.patronymic)

    @property
    def full(self) -> str:
        """``"Иванов Иван Иванович"``."""
        return " ".join(p for p in (self.surname, self.given, self.patronymic) if p)

    @property
    def short(self) -> str:
        """``"Иванов И. И."``."""
        initials = " ".join(f"{p[0]}." for p in (self.given, self.patronymic) if p)
        return f"{self.surname} {initials}"

    def __str__(self) -> str:
        return self.full


class Sex(enum.Enum):
    """A student's sex, where the school records it: it picks «переведён» or «переведена»."""

    MALE = "m"
    FEMALE = "f"


@frozen
class Student:
    """A student of a class, enrolled from ``enrolled`` until ``left`` (inclusive, if set).

    ``arrival_order``/``departure_order`` carry the order number of an arrival or departure
    during the year; ``sex`` (optional) lets the sheet say «переведён»/«переведена» instead of
    «переведён(а)».  Raises :class:`InvalidInput` when ``left`` precedes ``enrolled`` or ``sex``
    is not a :class:`Sex`.
    """

    id: str
    name: PersonName
    enrolled: date
    left: date | None = None
    birth_date: date | None = None
    arrival_order: str = ""
    departure_order: str = ""
    sex: Sex | None = None

    def __attrs_post_init__(self) -> None:
        _non_empty("student.id", self.id)
        if self.sex is not None and not isinstance(self.sex, Sex):
            raise InvalidInput(f"student {self.id}.sex", "must be Sex.MALE, Sex.FEMALE or None", self.sex)
        if self.left is not None and self.left < self.enrolled:
            raise InvalidInput(
                f"student {self.id}.left",
                f"must not precede the enrolment date {self.enrolled.isoformat()}",
                self.left.isoformat(),
            )

    def enrolled_on(self, day: date) -> bool:
        """True when the student belongs to the class on ``day``."""
        return self.enrolled <= day and (self.left is None or day <= self.left)

    def enrolled_between(self, first: date, last: date) -> bool:
        """True when the student belongs to the class on some day from ``first`` to ``last``
        (both included): the enrolment overlaps that span (a period, a year)."""
        return self.enrolled <= last and (self.left is None or self.left >= first)


@frozen
class Teacher:
    """A teacher of the school."""

    id: str
    name: PersonName

    def __attrs_post_init__(self) -> None:
        _non_empty("teacher.id", self.id)


def _str_frozenset(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


@frozen
class Parent:
    """A parent (or guardian) linked to their children's student ids."""

    id: str
    name: PersonName
    children: frozenset[str] = field(converter=_str_frozenset, factory=frozenset)

    def __attrs_post_init__(self) -> None:
        _non_empty("parent.id", self.id)


@frozen
class School:
    """A school, with its name in Russian and (in Tatarstan) Tatar."""

    id: str
    name_ru: str
    name_tt: str = ""
    director: PersonName | None = None
    address: str = ""

    def __attrs_post_init__(self) -> None:
        _non_empty("school.id", self.id)
        _non_empty("school.name_ru", self.name_ru)


MAX_LETTER_LENGTH = 16
"""The longest class letter accepted ("А", "Б", "инж", "IT-2"...)."""


def _check_letter(where: str, letter: str) -> None:
    if len(letter) > MAX_LETTER_LENGTH:
        raise InvalidInput(where, f"must be at most {MAX_LETTER_LENGTH} characters", letter)
    bad = "/" in letter or "\\" in letter or ".." in letter
    if bad or any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for c in letter):
        raise InvalidInput(where, "must not contain '/', '\\', '..' or control characters", letter)


@frozen
class ClassGroup:
    """A class ("9А") of one academic year, with its class teacher.

    Raises :class:`InvalidInput` for a grade outside 1..12, an empty letter, or a letter that
    could not name a file: longer than :data:`MAX_LETTER_LENGTH` characters, or containing ``/``,
    ``\\``, ``..`` or a control or format character (the label names the files of
    ``sheet --all`` and of archives).
    """

    id: str
    grade: int
    letter: str
    year: AcademicYear
    class_teacher_id: str | None = None

    def __attrs_post_init__(self) -> None:
        _non_empty("class.id", self.id)
        if isinstance(self.grade, bool) or not isinstance(self.grade, int) or not 1 <= self.grade <= 12:
            raise InvalidInput(f"class {self.id}.grade", "must be a whole number from 1 to 12", self.grade)
        _non_empty(f"class {self.id}.letter", self.letter)
        _check_letter(f"class {self.id}.letter", self.letter)

    @property
    def label(self) -> str:
        """``"9А"``."""
        return f"{self.grade}{self.letter}"


class AssessmentKind(enum.Enum):
    """How a subject is assessed."""

    GRADED = "graded"  # marks on a numeric scale
    PASS_FAIL = "pass_fail"  # зач./незач.
    NONE = "none"  # taught without marks (безотметочное обучение)


@frozen
class Subject:
    """A subject of the curriculum; ``order`` is its place on the sheet; ``name_tt`` its Tatar
    name, printed by the Tatar locale where it is set."""

    id: str
    name: str
    order: int
    assessment: AssessmentKind = AssessmentKind.GRADED
    short_name: str = ""
    name_tt: str = ""

    def __attrs_post_init__(self) -> None:
        _non_empty("subject.id", self.id)
        _non_empty(f"subject {self.id}.name", self.name)
        if not isinstance(self.assessment, AssessmentKind):
            raise InvalidInput(f"subject {self.id}.assessment", "must be an AssessmentKind", self.assessment)
        if not isinstance(self.name_tt, str):
            raise InvalidInput(f"subject {self.id}.name_tt", "must be a string", self.name_tt)

    @property
    def label(self) -> str:
        """The short name when set, else the name."""
        return self.short_name or self.name


def _hours(value: Fraction | int | str) -> Fraction:
    if isinstance(value, (bool, float)):
        raise InvalidInput("course.hours_per_week", "must be exact (int, Fraction or '0.5')", value)
    try:
        return Fraction(value)
    except (ValueError, TypeError, ZeroDivisionError) as e:
        raise InvalidInput("course.hours_per_week", "not an exact number", value) from e


@frozen
class Course:
    """A subject taught to a class by a teacher.

    ``scheme_id`` names the period scheme it is certified by (it may differ from the class's);
    ``scale_id`` its scale; ``examined`` marks a state-exam subject (grade 9/11), whose exam mark
    may be on ``exam_scale_id``.  ``exam_by_choice`` marks an examined course whose exam only the
    students who chose it take (grade 9's two chosen exams, see
    :class:`~ejournal.core.journal.ExamChoice`); without it every student takes it (Russian and
    mathematics).  ``exam_of`` names another, examined course whose exam this course's final mark
    may also take (geometry taking the mathematics exam recorded on algebra): it counts only where
    the policy's ``exams.one_exam_into_several_courses`` is true.  ``teacher_id`` may be ``None``
    (validation reports it).  Raises :class:`InvalidInput` for non-positive weekly hours, an
    ``exam_of`` on an examined course or naming the course itself, or ``exam_by_choice`` on a
    course without an exam.
    """

    id: str
    subject_id: str
    teacher_id: str | None
    hours_per_week: Fraction = field(converter=_hours)
    scheme_id: str
    scale_id: str = "five"
    examined: bool = False
    exam_scale_id: str | None = None
    exam_by_choice: bool = False
    exam_of: str | None = None

    def __attrs_post_init__(self) -> None:
        _non_empty("course.id", self.id)
        if not isinstance(self.exam_by_choice, bool):
            raise InvalidInput(f"course {self.id}.exam_by_choice", "must be true or false", self.exam_by_choice)
        if self.exam_by_choice and not self.examined:
            raise InvalidInput(f"course {self.id}.exam_by_choice", "only an examined course is chosen", True)
        if self.exam_of is not None:
            _non_empty(f"course {self.id}.exam_of", self.exam_of)
            if self.examined or self.exam_of == self.id:
                raise InvalidInput(
                    f"course {self.id}.exam_of",
                    "names another course's exam; an examined course has its own",
                    self.exam_of,
                )
        _non_empty(f"course {self.id}.subject_id", self.subject_id)
        _non_empty(f"course {self.id}.scheme_id", self.scheme_id)
        if self.hours_per_week <= 0:
            raise InvalidInput(f"course {self.id}.hours_per_week", "must be positive", str(self.hours_per_week))


@frozen
class Lesson:
    """One lesson of a course: date, position in the day, topic, homework."""

    id: str
    course_id: str
    date: date
    topic: str = ""
    homework: str = ""
    number: int = 1

    def __attrs_post_init__(self) -> None:
        _non_empty("lesson.id", self.id)
        _non_empty(f"lesson {self.id}.course_id", self.course_id)


class AbsenceReason(enum.Enum):
    """Why a student was not in a lesson."""

    UNEXCUSED = "unexcused"
    ILLNESS = "illness"
    EXCUSED = "excused"
    LATE = "late"


@frozen
class AttendanceCode:
    """An attendance code of the school ("н", "б", "уп", "о"...).

    ``missed`` says whether the code counts as a missed lesson (being late does not).
    """

    code: str
    reason: AbsenceReason
    label: str = ""
    missed: bool = True

    def __attrs_post_init__(self) -> None:
        _non_empty("attendance_code.code", self.code)


DEFAULT_ATTENDANCE_CODES: dict[str, AttendanceCode] = {
    c.code: c
    for c in (
        AttendanceCode("н", AbsenceReason.UNEXCUSED, "отсутствовал"),
        AttendanceCode("б", AbsenceReason.ILLNESS, "болел"),
        AttendanceCode("уп", AbsenceReason.EXCUSED, "уважительная причина"),
        AttendanceCode("ув", AbsenceReason.EXCUSED, "уважительная причина"),
        AttendanceCode("о", AbsenceReason.LATE, "опоздал", missed=False),
    )
}

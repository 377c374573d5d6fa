"""The certified extract of a leaving student's current marks and attendance («выписка текущих
отметок», Минпросвещения № 240 of 06.04.2023).

When a student moves to another school mid-year, the school gives an extract of the marks so far
that the receiving school counts.  :func:`build_extract` gives a :class:`MarksExtract`: the
school, the class, the student, the dates (enrolled, left, issued), per course the current marks of
each period with their dates, the period marks set so far, the missed lessons (in total and of them
excused: illness or another valid reason), and the signature block (the director, the date).
"""

from __future__ import annotations

from datetime import date

from attrs import frozen

from ejournal.core.errors import InvalidInput
from ejournal.core.journal import ClassJournal, ResultKind
from ejournal.core.model import AbsenceReason
from ejournal.core.reports._common import ReportHeader, header_of, value_text

__all__ = ["ExtractCourse", "ExtractMark", "ExtractPeriod", "MarksExtract", "build_extract"]

EXCUSED = frozenset({AbsenceReason.ILLNESS, AbsenceReason.EXCUSED})
"""The absence reasons that count as excused ("б" ill, "уп"/"ув" valid reason)."""


@frozen
class ExtractMark:
    """One current mark: the lesson's date, the printed value, the work type's name."""

    date: date
    value: str
    work_type: str


@frozen
class ExtractPeriod:
    """One period of a course: its id and label, the current marks up to the issue date, and the
    period mark set (``""`` when none is set yet)."""

    period_id: str
    label: str
    marks: tuple[ExtractMark, ...]
    period_mark: str


@frozen
class ExtractCourse:
    """One course: the subject, its periods up to the issue date, missed lessons and of them excused."""

    course_id: str
    subject_name: str
    periods: tuple[ExtractPeriod, ...]
    missed: int
    excused: int


@frozen
class MarksExtract:
    """The extract of one student's current marks and attendance (pure data).

    ``issued_on`` is the date the extract covers up to (the day the student left, by default);
    ``missed``/``excused`` the totals over the courses.
    """

    header: ReportHeader
    student_id: str
    student_name: str
    birth_date: date | None
    enrolled: date
    left: date | None
    departure_order: str
    issued_on: date
    courses: tuple[ExtractCourse, ...]

    @property
    def missed(self) -> int:
        """Lessons missed in all courses."""
        return sum(c.missed for c in self.courses)

    @property
    def excused(self) -> int:
        """Of them, excused."""
        return sum(c.excused for c in self.courses)

    @property
    def texts(self) -> list[str]:
        """Every data string printed (for the font check)."""
        out = [*self.header.texts, self.student_name, self.departure_order]
        for c in self.courses:
            out.append(c.subject_name)
            out += [m.work_type for p in c.periods for m in p.marks]
        return out

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "document": "extract",
            "header": self.header.to_dict(),
            "student_id": self.student_id,
            "student": self.student_name,
            "birth_date": None if self.birth_date is None else self.birth_date.isoformat(),
            "enrolled": self.enrolled.isoformat(),
            "left": None if self.left is None else self.left.isoformat(),
            "departure_order": self.departure_order,
            "issued_on": self.issued_on.isoformat(),
            "missed": self.missed,
            "excused": self.excused,
            "courses": [
                {
                    "course_id": c.course_id,
                    "subject": c.subject_name,
                    "missed": c.missed,
                    "excused": c.excused,
                    "periods": [
                        {
                            "period_id": p.period_id,
                            "label": p.label,
                            "period_mark": p.period_mark,
                            "marks": [
                                {"date": m.date.isoformat(), "value": m.value, "work_type": m.work_type}
                                for m in p.marks
                            ],
                        }
                        for p in c.periods
                    ],
                }
                for c in self.courses
            ],
        }


def build_extract(journal: ClassJournal, student_id: str, *, issued_on: date | None = None) -> MarksExtract:
    """The :class:`MarksExtract` of ``student_id`` up to ``issued_on`` (pure).

    ``issued_on`` defaults to the day the student left, else the last lesson day of the class.
    Courses are those of subjects assessed with marks or taught at all (every course of the
    class), in curriculum order; a period appears when it starts on or before ``issued_on``; marks
    and absences count on lessons from the enrolment day to ``issued_on``.

    Raises :class:`~ejournal.core.errors.NotFound` for an unknown student and :class:`InvalidInput`
    for an ``issued_on`` before the student's enrolment.
    """
    student = journal.student(student_id)
    if issued_on is None:
        last = max((le.date for le in journal.lessons.values()), default=journal.class_group.year.end)
        issued_on = student.left or last
    if not isinstance(issued_on, date):
        raise InvalidInput("issued_on", "must be a date", issued_on)
    if issued_on < student.enrolled:
        raise InvalidInput(
            "issued_on", f"precedes the enrolment of student {student_id} on {student.enrolled.isoformat()}", issued_on
        )
    courses: list[ExtractCourse] = []
    for course in journal.courses_in_order():
        periods: list[ExtractPeriod] = []
        for p in journal.scheme_of(course.id).periods:
            if p.start > issued_on:
                continue
            marks = tuple(
                ExtractMark(
                    journal.lessons[m.lesson_id].date,
                    value_text(m.value),
                    journal.work_types[m.work_type_id].name if m.work_type_id in journal.work_types else m.work_type_id,
                )
                for m in journal.marks_of(student_id, course.id, p)
                if journal.lessons[m.lesson_id].date <= issued_on
            )
            r = journal.result(student_id, course.id, ResultKind.PERIOD, p.id)
            periods.append(ExtractPeriod(p.id, p.name or p.roman, marks, value_text(None if r is None else r.value)))
        missed = excused = 0
        for a in journal.absences_of(student_id, course.id):
            if journal.lessons[a.lesson_id].date > issued_on:
                continue
            missed += 1
            if journal.attendance_codes[a.code].reason in EXCUSED:
                excused += 1
        courses.append(ExtractCourse(course.id, journal.subject_of(course.id).name, tuple(periods), missed, excused))
    return MarksExtract(
        header_of(journal),
        student.id,
        student.name.full,
        student.birth_date,
        student.enrolled,
        student.left,
        student.departure_order,
        issued_on,
        tuple(courses),
    )

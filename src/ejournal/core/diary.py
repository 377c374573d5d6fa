"""The electronic diary: the journal as a student or a parent sees it.

- :func:`week` — one week of a student's diary: day by day, the lessons with subject, topic and
  homework, the student's marks (with work types and weights) and attendance codes.
- :func:`period_report` — per subject, for a period: the current marks, the current weighted
  average (exact, and as display text), the period mark the grading policy proposes with its
  explanation, and what it takes to reach each higher grade ("ещё 2 × «5» — и выйдет «5»").

Pure functions of a :class:`~ejournal.core.journal.ClassJournal`; nothing is changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

from attrs import frozen

from ejournal.core.calendar import Period
from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.journal import ClassJournal, Mark, ResultKind
from ejournal.core.model import AssessmentKind, Course
from ejournal.core.scales import MarkValue, Status, format_value
from ejournal.core.validation.findings import normalize_locale
from ejournal.i18n.catalogs import catalog
from ejournal.i18n.numbers import format_number

if TYPE_CHECKING:
    from ejournal.core.grading import Explanation, GradingPolicy
    from ejournal.core.grading.gradebook import Gradebook

__all__ = [
    "DiaryDay",
    "DiaryLesson",
    "DiaryMark",
    "DiaryWeek",
    "NextGrade",
    "PeriodReport",
    "SubjectReport",
    "format_average",
    "period_report",
    "week",
]


@frozen
class DiaryMark:
    """A current mark as the diary shows it: value, work type (id, name, weight), lesson date."""

    mark_id: str
    value: MarkValue
    work_type_id: str
    work_type: str
    weight: Fraction
    date: date
    comment: str = ""

    @property
    def text(self) -> str:
        """The printed value ("5", "зач.")."""
        return format_value(self.value)


@frozen
class DiaryLesson:
    """One lesson in the diary: subject, number in the day, topic, homework, the student's marks
    and attendance code (``None`` when the student was present)."""

    lesson_id: str
    course_id: str
    subject_id: str
    subject: str
    date: date
    number: int
    topic: str
    homework: str
    marks: tuple[DiaryMark, ...] = ()
    attendance: str | None = None
    attendance_label: str = ""


@frozen
class DiaryDay:
    """A day of the diary with its lessons, ordered by lesson number then curriculum order."""

    date: date
    lessons: tuple[DiaryLesson, ...] = ()

    @property
    def weekday(self) -> int:
        """0 for Monday ... 6 for Sunday."""
        return self.date.weekday()


@frozen
class DiaryWeek:
    """A student's diary for the week starting on ``monday``.

    ``days`` are Monday to Saturday, plus Sunday when it has lessons; days the student was not in
    the class show no lessons.
    """

    student_id: str
    monday: date
    days: tuple[DiaryDay, ...]

    @property
    def marks(self) -> list[DiaryMark]:
        """Every mark of the week, in day and lesson order."""
        return [m for d in self.days for le in d.lessons for m in le.marks]

    def day(self, day: date) -> DiaryDay:
        """The diary day for ``day``; raises :class:`NotFound` when it is not in this week."""
        for d in self.days:
            if d.date == day:
                return d
        raise NotFound("diary day", day.isoformat(), f"week of {self.monday.isoformat()}")


def week(journal: ClassJournal, student_id: str, monday: date) -> DiaryWeek:
    """The diary week of ``student_id`` starting on ``monday``.

    Raises :class:`NotFound` for an unknown student and :class:`InvalidInput` when ``monday`` is
    not a Monday.
    """
    student = journal.student(student_id)
    if not isinstance(monday, date) or monday.weekday() != 0:
        raise InvalidInput("monday", "must be a Monday", monday)
    end = monday + timedelta(days=6)
    by_day: dict[date, list[DiaryLesson]] = {}
    order = {c.id: i for i, c in enumerate(journal.courses_in_order())}
    for course in journal.courses_in_order():
        lessons = [le for le in journal.lessons_of(course.id) if monday <= le.date <= end]
        if not lessons:
            continue
        marks_by_lesson: dict[str, list[Mark]] = {}
        for m in journal.marks_of(student_id, course.id):
            marks_by_lesson.setdefault(m.lesson_id, []).append(m)
        subject = journal.subjects[course.subject_id]
        for le in lessons:
            if not student.enrolled_on(le.date):
                continue
            a = journal.attendance.get((student_id, le.id))
            code = journal.attendance_codes.get(a.code) if a is not None else None
            by_day.setdefault(le.date, []).append(
                DiaryLesson(
                    le.id,
                    course.id,
                    subject.id,
                    subject.name,
                    le.date,
                    le.number,
                    le.topic,
                    le.homework,
                    tuple(_diary_mark(journal, m) for m in marks_by_lesson.get(le.id, [])),
                    a.code if a is not None else None,
                    code.label if code is not None else "",
                )
            )
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        lessons_of_day = by_day.get(day, [])
        if offset == 6 and not lessons_of_day:
            continue
        lessons_of_day.sort(key=lambda dl: (dl.number, order[dl.course_id], dl.lesson_id))
        days.append(DiaryDay(day, tuple(lessons_of_day)))
    return DiaryWeek(student_id, monday, tuple(days))


def _diary_mark(journal: ClassJournal, m: Mark) -> DiaryMark:
    wt = journal.work_types[m.work_type_id]
    return DiaryMark(m.id, m.value, wt.id, wt.name, wt.weight, journal.lessons[m.lesson_id].date, m.comment)


# ---------------------------------------------------------------------- period report


def format_average(value: Fraction | None, locale: str = "ru", places: int = 2) -> str:
    """An average for display: ``places`` decimals, truncated (4.499 → «4,49», never «4,50»), in
    ``locale``'s notation (a decimal comma in ru and tt): :func:`ejournal.i18n.format_number`.

    Truncation keeps the text on the same side of every threshold as the exact mean, so the
    display never suggests a grade the rule does not give.  ``None`` gives "—".  Raises
    :class:`InvalidInput` for a locale other than "ru", "tt" or "en".
    """
    loc = normalize_locale(locale)
    if value is None:
        return "—"
    return format_number(value, places, loc, rounding="down")


@frozen
class NextGrade:
    """What it takes to reach ``target`` as the period mark.

    ``reachable``: whether up to ``max_marks`` further marks can do it; ``marks``: the fewest
    further marks as ``(value, work_type_id, work_type_name)`` (empty when already reached or not
    reachable).
    """

    target: int
    reachable: bool
    marks: tuple[tuple[int, str, str], ...]
    max_marks: int = 20

    @property
    def already(self) -> bool:
        """True when the target is reached without further marks."""
        return self.reachable and not self.marks

    def text(self, locale: str = "ru") -> str:
        """A sentence for the diary in ``locale``: "Для «5» нужно ещё 2 отметки: 2 × «5» (классная работа)."."""
        cat = catalog(normalize_locale(locale))
        t = self.target
        if not self.reachable:
            return cat.text("diary.next.unreachable", target=t, max=self.max_marks)
        if not self.marks:
            return cat.text("diary.next.already", target=t)
        groups: dict[tuple[int, str], int] = {}
        for value, _wt, name in self.marks:
            groups[(value, name)] = groups.get((value, name), 0) + 1
        parts = []
        for (value, name), count in groups.items():
            mark = cat.text("diary.next.mark", value=value)
            parts.append(f"{count} × {mark} ({name})" if count > 1 else f"{mark} ({name})")
        n = len(self.marks)
        noun = cat.plural("plural.marks", n)
        return cat.text("diary.next.needed", target=t, count=n, noun=noun, marks=", ".join(parts))


@frozen
class SubjectReport:
    """One subject of a :class:`PeriodReport`.

    ``marks``: the student's current marks in the period; ``average``: their weighted mean
    Σ(mark·weight)/Σ(weight) over grades of positive weight (``None`` without such marks);
    ``proposed``: the period mark the policy proposes (``None`` = nothing to propose) and
    ``explanation`` why; ``period_mark``: the mark set in the journal, if any; ``next_grades``:
    what it takes to reach each higher grade.
    """

    course_id: str
    subject_id: str
    subject: str
    period: Period
    marks: tuple[DiaryMark, ...]
    average: Fraction | None
    proposed: MarkValue | None
    explanation: Explanation | None
    period_mark: MarkValue | None
    next_grades: tuple[NextGrade, ...] = ()
    decimal_places: int = 2

    def average_text(self, locale: str = "ru") -> str:
        """The average for display (see :func:`format_average`)."""
        return format_average(self.average, locale, self.decimal_places)

    def explain(self, locale: str = "ru") -> str:
        """The explanation of the proposed mark in ``locale`` ("" when there is none)."""
        return "" if self.explanation is None else self.explanation.render(normalize_locale(locale), with_ids=False)


@frozen
class PeriodReport:
    """A student's report for a period: one :class:`SubjectReport` per course, in curriculum order.

    ``on`` is the date the periods were chosen for (the given date, or the end of the given period).
    """

    student_id: str
    student: str
    on: date
    subjects: tuple[SubjectReport, ...]

    def subject(self, course_or_subject_id: str) -> SubjectReport:
        """The report of a course (by course id or subject id); raises :class:`NotFound`."""
        for s in self.subjects:
            if course_or_subject_id in (s.course_id, s.subject_id):
                return s
        raise NotFound("subject", course_or_subject_id, f"period report of {self.student_id}")

    def render_text(self, locale: str = "ru") -> str:
        """A plain-text report: per subject the marks, the average, the proposed mark and the next grades."""
        loc = normalize_locale(locale)
        cat = catalog(loc)
        labels = tuple(cat.text(f"diary.report.{k}") for k in ("marks", "average", "proposed", "period_mark"))
        lines = [f"{self.student} — {self.on.isoformat()}"]
        for s in self.subjects:
            marks = " ".join(m.text for m in s.marks) or "—"
            proposed = "—" if s.proposed is None else format_value(s.proposed)
            line = (
                f"{s.subject} ({s.period.name or s.period.id}): {labels[0]} {marks}; {labels[1]} {s.average_text(loc)}"
            )
            line += f"; {labels[2]} {proposed}"
            if s.period_mark is not None:
                line += f"; {labels[3]} {format_value(s.period_mark)}"
            lines.append(line)
            lines.extend("    " + g.text(loc) for g in s.next_grades)
        return "\n".join(lines) + "\n"


def _find_period(journal: ClassJournal, period_id: str) -> Period:
    for scheme in journal.schemes.values():
        for p in scheme.periods:
            if p.id == period_id:
                return p
    raise NotFound("period", period_id, f"class {journal.class_group.label}")


def _period_for(periods: Sequence[Period], day: date) -> Period:
    """The period containing ``day``; between periods the last one begun; before them all the first."""
    current = periods[0]
    for p in periods:
        if p.start <= day:
            current = p
    return current


def _weighted_average(marks: Sequence[DiaryMark]) -> Fraction | None:
    num = Fraction(0)
    den = Fraction(0)
    for m in marks:
        if isinstance(m.value, int) and m.weight > 0:
            num += m.value * m.weight
            den += m.weight
    return num / den if den else None


def period_report(
    journal: ClassJournal,
    student_id: str,
    period: str | date,
    policy: GradingPolicy,
    *,
    max_marks: int = 20,
    gradebook: Gradebook | None = None,
) -> PeriodReport:
    """The diary's period report of a student.

    ``period`` is a period id, or a date: each course then uses the period of its own scheme that
    contains the date (between periods: the last one begun).  Given a period id, courses on
    another scheme use their period that contains the end of that period (or the last one begun).
    ``max_marks`` bounds the what-if search for the next grades.  ``gradebook`` is the journal's
    :class:`~ejournal.core.grading.gradebook.Gradebook` under ``policy`` when the caller keeps one
    (the proposals are read from it; one is built otherwise).  Raises :class:`NotFound` for
    an unknown student or period and :class:`InvalidInput` for a ``period`` of another type or
    a date outside the journal's academic year.
    """
    student = journal.student(student_id)
    if isinstance(period, str):
        on = _find_period(journal, period).end
    elif isinstance(period, date):
        year = journal.class_group.year
        if not year.contains(period):
            raise InvalidInput("period", f"the date is outside the academic year {year.label}", period.isoformat())
        on = period
    else:
        raise InvalidInput("period", "must be a period id or a date", period)
    if gradebook is None:
        from ejournal.core.grading.gradebook import Gradebook

        gradebook = Gradebook.of(journal, policy)
    elif gradebook.journal is not journal or gradebook.policy != policy:
        raise InvalidInput("gradebook", "must be the gradebook of this journal under this policy", journal.id)
    reports = []
    for course in journal.courses_in_order():
        periods = journal.schemes[course.scheme_id].periods
        chosen = next((p for p in periods if p.id == period), None) if isinstance(period, str) else None
        if chosen is None:
            chosen = _period_for(periods, on)
        reports.append(_subject_report(gradebook, student_id, course, chosen, max_marks))
    return PeriodReport(student_id, student.name.full, on, tuple(reports))


def _subject_report(
    gradebook: Gradebook, student_id: str, course: Course, period: Period, max_marks: int
) -> SubjectReport:
    from ejournal.core.grading import what_if

    journal, policy = gradebook.journal, gradebook.policy

    subject = journal.subjects[course.subject_id]
    marks = tuple(_diary_mark(journal, m) for m in journal.marks_of(student_id, course.id, period))
    existing = journal.result(student_id, course.id, ResultKind.PERIOD, period.id)
    set_value = None if existing is None else existing.value
    if subject.assessment is AssessmentKind.NONE:
        return SubjectReport(
            course.id, subject.id, subject.name, period, marks, None, None, None, set_value, (), policy.decimal_places
        )
    computed = gradebook.period(student_id, course.id, period.id)
    scale = journal.scales[course.scale_id]
    next_grades: list[NextGrade] = []
    if scale.is_numeric and computed.value is not Status.EXEMPT:
        if isinstance(computed.value, int):
            targets = [g for g in scale.values if g > computed.value]
        else:
            floor = scale.pass_from if scale.pass_from is not None else scale.lowest
            targets = [g for g in scale.values if g >= floor]
        names = {wt.id: wt.name for wt in journal.work_types.values()}
        for target in targets:
            answer = what_if(journal, student_id, course.id, period.id, target, policy, max_marks=max_marks)
            next_grades.append(
                NextGrade(
                    target,
                    answer.reachable,
                    tuple((v, wt, names.get(wt, wt)) for v, wt in answer.marks),
                    max_marks,
                )
            )
    return SubjectReport(
        course.id,
        subject.id,
        subject.name,
        period,
        marks,
        _weighted_average(marks),
        computed.value,
        computed.explanation,
        set_value,
        tuple(next_grades),
        policy.decimal_places,
    )

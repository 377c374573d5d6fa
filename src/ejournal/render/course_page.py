"""The course journal page: one course over a date range, as printed in a paper journal.

:func:`build_course_page` takes a :class:`~ejournal.core.journal.ClassJournal`, a course and a
date range and returns a :class:`CoursePage`: the grid of students (in the language's
alphabetical order) × lesson dates with each student's marks and attendance codes, followed by
the list of lessons with their topics and homework.  :func:`course_page_rows` turns it into the
neutral :class:`~ejournal.render.table.TableRow` rows the PDF and HTML renderers print.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from attrs import frozen

from ejournal.core.collation import Collator
from ejournal.core.errors import InvalidInput
from ejournal.core.journal import ClassJournal
from ejournal.core.scales import format_value
from ejournal.render.i18n import Catalog
from ejournal.render.table import RowRole, TableRow

__all__ = [
    "CourseLesson",
    "CoursePage",
    "CourseStudentRow",
    "build_course_page",
    "course_page_rows",
    "course_page_title",
    "lesson_rows",
]


@frozen
class CourseLesson:
    """One lesson of the page: id, date, number in the day, topic and homework."""

    id: str
    date: date
    number: int
    topic: str
    homework: str


@frozen
class CourseStudentRow:
    """A student's row: number, full name, one cell per lesson (marks, then the attendance code), and
    the marks brought in the range on an arriving student's extract ("5 (12.12), 4 (19.12)")."""

    number: int
    student_id: str
    name: str
    cells: tuple[str, ...]
    brought: str = ""


@frozen
class CoursePage:
    """The data of a course journal page (pure; rendering adds only labels)."""

    school_name: str
    class_label: str
    year_label: str
    subject_name: str
    teacher_name: str
    start: date
    end: date
    lessons: tuple[CourseLesson, ...]
    rows: tuple[CourseStudentRow, ...]

    @property
    def texts(self) -> list[str]:
        """Every data string printed (for the font check)."""
        out = [self.school_name, self.class_label, self.subject_name, self.teacher_name]
        for le in self.lessons:
            out += [le.topic, le.homework]
        for r in self.rows:
            out.append(r.name)
            out.extend(r.cells)
            out.append(r.brought)
        return out


def build_course_page(
    journal: ClassJournal, course_id: str, start: date, end: date, *, collator: Collator
) -> CoursePage:
    """The page of ``course_id`` from ``start`` to ``end`` (both included).

    Students are those enrolled on some day of the range, ordered by ``collator`` over surname,
    given name and patronymic.  A cell lists the student's marks on that lesson in the order
    entered, then the attendance code.  Raises :class:`~ejournal.core.errors.NotFound` for an
    unknown course and :class:`InvalidInput` when ``end`` precedes ``start``.
    """
    course = journal.course(course_id)
    if end < start:
        raise InvalidInput("course_page.end", f"must not precede the start {start.isoformat()}", end.isoformat())
    lessons = [le for le in journal.lessons_of(course_id) if start <= le.date <= end]
    lesson_index = {le.id: i for i, le in enumerate(lessons)}
    students = [s for s in journal.students.values() if s.enrolled_between(start, end)]
    students.sort(
        key=lambda s: (
            collator.sort_key(s.name.surname),
            collator.sort_key(s.name.given),
            collator.sort_key(s.name.patronymic),
            s.id,
        )
    )
    rows = []
    for number, student in enumerate(students, start=1):
        cells: list[list[str]] = [[] for _ in lessons]
        for mark in journal.marks_of(student.id, course_id):
            i = lesson_index.get(mark.lesson_id)
            if i is not None:
                cells[i].append(format_value(mark.value))
        for i, le in enumerate(lessons):
            record = journal.attendance.get((student.id, le.id))
            if record is not None:
                cells[i].append(record.code)
        brought = ", ".join(
            f"{format_value(b.value)} ({b.date.day:02d}.{b.date.month:02d})"
            for b in journal.brought_marks_of(student.id, course_id)
            if start <= b.date <= end
        )
        rows.append(CourseStudentRow(number, student.id, student.name.full, tuple(" ".join(c) for c in cells), brought))
    teacher = journal.teachers.get(course.teacher_id) if course.teacher_id else None
    return CoursePage(
        school_name=journal.school.name_ru,
        class_label=journal.class_group.label,
        year_label=journal.class_group.year.label,
        subject_name=journal.subject_of(course_id).name,
        teacher_name=teacher.name.full if teacher else "",
        start=start,
        end=end,
        lessons=tuple(CourseLesson(le.id, le.date, le.number, le.topic, le.homework) for le in lessons),
        rows=tuple(rows),
    )


def course_page_title(page: CoursePage, catalog: Catalog) -> str:
    """The title of a course page in the catalog's locale: "Журнал: Алгебра — 9А"."""
    return f"{catalog.text('course.title', subject=page.subject_name)} — {page.class_label}"


def course_page_rows(page: CoursePage, catalog: Catalog) -> Iterator[TableRow]:
    """The grid of a course page as table rows: two header rows (month, day), then one row per student.

    Lessons of one month share a month label (a column group); the stub is the number and the name.
    """
    months: list[tuple[str, int]] = []
    for le in page.lessons:
        label = f"{le.date.month:02d}.{le.date.year}"
        if months and months[-1][0] == label:
            months[-1] = (label, months[-1][1] + 1)
        else:
            months.append((label, 1))
    brought = any(r.brought for r in page.rows)  # the column appears only when there is something in it
    cells = [catalog.text("col.number"), catalog.text("col.student")] + (
        [catalog.text("course.brought")] if brought else []
    )
    spans = [1, 1] + ([1] if brought else [])
    stub = 3 if brought else 2
    for label, count in months:
        cells += [label] + [""] * (count - 1)
        spans += [count] + [0] * (count - 1)
    yield TableRow(RowRole.HEADER, cells, spans, stub=stub)
    per_day: dict[date, int] = {}
    for le in page.lessons:
        per_day[le.date] = per_day.get(le.date, 0) + 1
    days = (
        ["", ""]
        + ([""] if brought else [])
        + [f"{le.date.day:02d}" + (f"/{le.number}" if per_day[le.date] > 1 else "") for le in page.lessons]
    )
    yield TableRow(RowRole.HEADER, days, stub=stub)
    for row in page.rows:
        yield TableRow(
            RowRole.BODY, [str(row.number), row.name, *([row.brought] if brought else []), *row.cells], stub=stub
        )


def lesson_rows(page: CoursePage, catalog: Catalog) -> Iterator[TableRow]:
    """The list of lessons: a header row (date, topic, homework), then one row per lesson."""
    yield TableRow(
        RowRole.HEADER,
        [catalog.text("course.date"), catalog.text("course.topic"), catalog.text("course.homework")],
        section="lessons",
    )
    for le in page.lessons:
        yield TableRow(RowRole.BODY, [catalog.date(le.date), le.topic, le.homework], stub=1, section="lessons")

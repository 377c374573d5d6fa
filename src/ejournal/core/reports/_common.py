"""What every end-of-year document shares: its header, the order of names, the graded courses."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from attrs import frozen

from ejournal.core.collation import Collator
from ejournal.core.errors import InvalidInput
from ejournal.core.journal import ClassJournal
from ejournal.core.model import AssessmentKind, Course, Student
from ejournal.core.scales import MarkValue, format_value

__all__ = ["ReportHeader", "fraction_text", "graded_courses", "header_of", "in_name_order", "value_text"]


@frozen
class ReportHeader:
    """The heading of a document: the school (Russian and Tatar names), the class, the year, the
    class teacher and the director (``""`` where the journal does not name them)."""

    school_id: str
    school_name_ru: str
    school_name_tt: str
    class_id: str
    class_label: str
    grade: int
    year_label: str
    class_teacher_name: str
    director_name: str

    @property
    def texts(self) -> list[str]:
        """Every string printed from the header (for the font check)."""
        return [self.school_name_ru, self.school_name_tt, self.class_label, self.class_teacher_name, self.director_name]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "school_id": self.school_id,
            "school_name_ru": self.school_name_ru,
            "school_name_tt": self.school_name_tt,
            "class_id": self.class_id,
            "class_label": self.class_label,
            "grade": self.grade,
            "year": self.year_label,
            "class_teacher": self.class_teacher_name,
            "director": self.director_name,
        }


def header_of(journal: ClassJournal) -> ReportHeader:
    """The :class:`ReportHeader` of ``journal`` (pure)."""
    group = journal.class_group
    teacher = journal.teachers.get(group.class_teacher_id) if group.class_teacher_id else None
    director = journal.school.director
    return ReportHeader(
        school_id=journal.school.id,
        school_name_ru=journal.school.name_ru,
        school_name_tt=journal.school.name_tt,
        class_id=group.id,
        class_label=group.label,
        grade=group.grade,
        year_label=group.year.label,
        class_teacher_name=teacher.name.full if teacher else "",
        director_name=director.full if director else "",
    )


def in_name_order(students: Iterable[Student], collator: Collator) -> list[Student]:
    """``students`` in the language's alphabetical order of surname, given name, patronymic (then id).

    Raises :class:`InvalidInput` when ``collator`` is not a :class:`Collator`.
    """
    if not isinstance(collator, Collator):
        raise InvalidInput("collator", "must be a Collator (see ejournal.i18n.collation.collator)", collator)

    def key(s: Student) -> tuple[object, ...]:
        n = s.name
        return (collator.sort_key(n.surname), collator.sort_key(n.given), collator.sort_key(n.patronymic), s.id)

    return sorted(students, key=key)


def graded_courses(journal: ClassJournal) -> list[Course]:
    """The courses marked on a numeric scale of a subject assessed with marks, in curriculum order."""
    return [
        c
        for c in journal.courses_in_order()
        if journal.subjects[c.subject_id].assessment is AssessmentKind.GRADED and journal.scale_of(c.id).is_numeric
    ]


def value_text(value: MarkValue | None) -> str:
    """The printed form of a mark, ``""`` for none."""
    return "" if value is None else format_value(value)


def fraction_text(value: Fraction | None) -> str | None:
    """An exact number as ``"n/d"`` for JSON, ``None`` for none."""
    return None if value is None else f"{value.numerator}/{value.denominator}"

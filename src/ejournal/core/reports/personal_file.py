"""The annual marks page of a student's personal file («личное дело обучающегося»).

The personal file follows the student from school to school; its marks page has one row per
subject and one column per year (grade), holding the annual mark, and the final (certificate) mark
in the years that have one.  :func:`build_personal_file` takes the student's journals of several
years (the caller passes them; the core fetches nothing) and matches the student by id across them
and subjects by subject id.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from attrs import frozen

from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.journal import ClassJournal, ResultKind
from ejournal.core.reports._common import value_text

__all__ = ["PersonalFileColumn", "PersonalFilePage", "PersonalFileRow", "build_personal_file"]


@frozen
class PersonalFileColumn:
    """A column: the journal it comes from, its year, grade and class, and the kind (annual or final)."""

    journal_id: str
    year_label: str
    grade: int
    class_label: str
    kind: ResultKind


@frozen
class PersonalFileRow:
    """A subject's row: one printed mark per column (``""`` where the subject has none that year)."""

    subject_id: str
    subject_name: str
    cells: tuple[str, ...]


@frozen
class PersonalFilePage:
    """The marks page of a personal file (pure data): the student, the school of the latest journal,
    the columns (years in order, a final column after the annual one where final marks exist), the
    rows by subject, and each year's council decision as ``(journal id, decision kind or "", the
    grade promoted to or None)``."""

    student_id: str
    student_name: str
    birth_date: date | None
    school_name_ru: str
    school_name_tt: str
    director_name: str
    columns: tuple[PersonalFileColumn, ...]
    rows: tuple[PersonalFileRow, ...]
    decisions: tuple[tuple[str, str, int | None], ...]

    @property
    def texts(self) -> list[str]:
        """Every data string printed (for the font check)."""
        return [self.student_name, self.school_name_ru, self.school_name_tt, self.director_name] + [
            r.subject_name for r in self.rows
        ]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "document": "personal-file",
            "student_id": self.student_id,
            "student": self.student_name,
            "birth_date": None if self.birth_date is None else self.birth_date.isoformat(),
            "school_name_ru": self.school_name_ru,
            "school_name_tt": self.school_name_tt,
            "director": self.director_name,
            "columns": [
                {
                    "journal_id": c.journal_id,
                    "year": c.year_label,
                    "grade": c.grade,
                    "class": c.class_label,
                    "kind": c.kind.value,
                }
                for c in self.columns
            ],
            "rows": [
                {"subject_id": r.subject_id, "subject": r.subject_name, "cells": list(r.cells)} for r in self.rows
            ],
            "decisions": {j: {"kind": k, "to_grade": g} for j, k, g in self.decisions},
        }


def build_personal_file(journals: Sequence[ClassJournal], student_id: str) -> PersonalFilePage:
    """The :class:`PersonalFilePage` of ``student_id`` from ``journals`` (any order; pure).

    Journals without the student are skipped; the others are taken by academic year then grade.
    A subject's row gathers the annual (and final) marks set in the courses of that subject;
    subjects are ordered by their curriculum order in the latest journal that has them.  The name
    and the school come from the latest journal.  Raises :class:`InvalidInput` when ``journals`` is
    not a sequence of journals or holds two journals of one id, and :class:`NotFound` when none
    holds the student.
    """
    if not isinstance(journals, (list, tuple)):
        raise InvalidInput("journals", "must be a list or tuple of ClassJournal", type(journals).__name__)
    seen: set[str] = set()
    for i, j in enumerate(journals):
        if not isinstance(j, ClassJournal):
            raise InvalidInput(f"journals[{i}]", "must be a ClassJournal", type(j).__name__)
        if j.id in seen:
            raise InvalidInput(f"journals[{i}]", "the same journal is given twice", j.id)
        seen.add(j.id)
    mine = sorted(
        (j for j in journals if student_id in j.students),
        key=lambda j: (j.class_group.year.start_year, j.class_group.grade, j.id),
    )
    if not mine:
        raise NotFound("student", student_id, f"the {len(journals)} journals given")
    latest = mine[-1]
    student = latest.student(student_id)
    columns: list[PersonalFileColumn] = []
    for j in mine:
        g = j.class_group
        columns.append(PersonalFileColumn(j.id, g.year.label, g.grade, g.label, ResultKind.ANNUAL))
        if any(r.kind is ResultKind.FINAL and r.student_id == student_id for r in j.results.values()):
            columns.append(PersonalFileColumn(j.id, g.year.label, g.grade, g.label, ResultKind.FINAL))
    order: dict[str, tuple[int, int, str]] = {}
    names: dict[str, str] = {}
    for rank, j in enumerate(mine):
        for c in j.courses.values():
            subject = j.subjects[c.subject_id]
            order[subject.id] = (-rank, subject.order, subject.id)
            names[subject.id] = subject.name
    by_id = {j.id: j for j in mine}
    rows: list[PersonalFileRow] = []
    for subject_id in sorted(order, key=lambda s: (order[s][1], order[s][0], s)):
        cells: list[str] = []
        for col in columns:
            j = by_id[col.journal_id]
            values = [
                value_text(r.value)
                for c in j.courses_in_order()
                if c.subject_id == subject_id and (r := j.result(student_id, c.id, col.kind)) is not None
            ]
            cells.append(" ".join(values))
        if any(cells):
            rows.append(PersonalFileRow(subject_id, names[subject_id], tuple(cells)))
    decisions: list[tuple[str, str, int | None]] = []
    for j in mine:
        d = j.decision_in_force(student_id)
        decisions.append((j.id, "", None) if d is None else (j.id, d.kind.value, d.to_grade))
    director = latest.school.director
    return PersonalFilePage(
        student.id,
        student.name.full,
        student.birth_date,
        latest.school.name_ru,
        latest.school.name_tt,
        director.full if director else "",
        tuple(columns),
        tuple(rows),
        tuple(decisions),
    )

"""A student's record across years: the earlier results the final marks are computed from.

Grade 11's final mark is the half-up mean of the half-year and annual marks of grades 10 and 11
(приказ Минпросвещения № 231 of 05.04.2024, the order of issuing certificates): the grade-10
half of it lives in the previous year's journal.  :func:`grade10_results` finds it, per student
and course of a grade-11 journal, matching the course by its subject across the two journals.
Pure; the service fetches the journals from storage.
"""

from __future__ import annotations

from collections.abc import Iterable

from ejournal.core.journal import ClassJournal, ResultKind
from ejournal.core.scales import MarkValue

__all__ = ["grade10_results"]


def grade10_results(grade11: ClassJournal, earlier: Iterable[ClassJournal]) -> dict[str, dict[str, list[MarkValue]]]:
    """For each student of ``grade11``, per course id of ``grade11``, the grade-10 half-year marks
    (in period order) followed by the grade-10 annual mark, from the journals in ``earlier``.

    ``earlier`` are journals of the previous year (any grade: only grade-10 journals that hold the
    student are used; a student who came from elsewhere gets nothing and the rule then has only
    grade 11's marks, which validation reports).  A course matches a grade-10 course of the same
    subject id; a subject taught in grade 10 under several courses contributes all of them in
    course order.  Raises nothing.
    """
    tenth = [j for j in earlier if j.class_group.grade == grade11.class_group.grade - 1]
    out: dict[str, dict[str, list[MarkValue]]] = {}
    for student_id in grade11.students:
        for j in tenth:
            if student_id not in j.students:
                continue
            per_course = out.setdefault(student_id, {})
            for course in grade11.courses_in_order():
                marks = per_course.setdefault(course.id, [])
                for old in j.courses_in_order():
                    if old.subject_id != course.subject_id:
                        continue
                    for period in j.scheme_of(old.id).periods:
                        r = j.result(student_id, old.id, ResultKind.PERIOD, period.id)
                        if r is not None:
                            marks.append(r.value)
                    annual = j.result(student_id, old.id, ResultKind.ANNUAL)
                    if annual is not None:
                        marks.append(annual.value)
    return out

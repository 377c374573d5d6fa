"""Reconstructing a journal as it stood at an earlier moment, from its audit log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ejournal.core.errors import InvalidInput
from ejournal.core.journal import (
    AdmissionTest,
    AttendanceRecord,
    BroughtMark,
    Change,
    ClassJournal,
    Decision,
    ExamChoice,
    Mark,
    PeriodClosure,
    Record,
    ResultMark,
    Retake,
)
from ejournal.core.model import ClassGroup, Course, Lesson, School, Student, Subject, Teacher

__all__ = ["rewind"]


def _put(journal: ClassJournal, record: Record) -> None:
    if isinstance(record, Mark):
        journal.marks[record.id] = record
    elif isinstance(record, AttendanceRecord):
        journal.attendance[(record.student_id, record.lesson_id)] = record
    elif isinstance(record, ResultMark):
        journal.results[record.key] = record
    elif isinstance(record, Decision):
        journal.decisions[record.key] = record
    elif isinstance(record, Lesson):
        journal.lessons[record.id] = record
    elif isinstance(record, Student):
        journal.students[record.id] = record
    elif isinstance(record, Course):
        journal.courses[record.id] = record
    elif isinstance(record, Subject):
        journal.subjects[record.id] = record
    elif isinstance(record, Teacher):
        journal.teachers[record.id] = record
    elif isinstance(record, ClassGroup):
        journal.class_group = record
    elif isinstance(record, Retake):
        journal.retakes[record.key] = record
    elif isinstance(record, BroughtMark):
        journal.brought_marks[record.id] = record
    elif isinstance(record, AdmissionTest):
        journal.admission_tests[record.key] = record
    elif isinstance(record, ExamChoice):
        journal.exam_choices[record.student_id] = record
    elif isinstance(record, School):
        pass  # the school is not part of the journal's history
    else:
        journal.closed_periods.add(record.period_id)


def _drop(journal: ClassJournal, record: Record) -> None:
    if isinstance(record, Mark):
        journal.marks.pop(record.id, None)
    elif isinstance(record, AttendanceRecord):
        journal.attendance.pop((record.student_id, record.lesson_id), None)
    elif isinstance(record, ResultMark):
        journal.results.pop(record.key, None)
    elif isinstance(record, Decision):
        journal.decisions.pop(record.key, None)
    elif isinstance(record, Lesson):
        journal.lessons.pop(record.id, None)
    elif isinstance(record, PeriodClosure):
        journal.closed_periods.discard(record.period_id)
    elif isinstance(record, Student):
        journal.students.pop(record.id, None)
    elif isinstance(record, Course):
        journal.courses.pop(record.id, None)
    elif isinstance(record, Subject):
        journal.subjects.pop(record.id, None)
    elif isinstance(record, Teacher):
        journal.teachers.pop(record.id, None)
    elif isinstance(record, Retake):
        journal.retakes.pop(record.key, None)
    elif isinstance(record, BroughtMark):
        journal.brought_marks.pop(record.id, None)
    elif isinstance(record, AdmissionTest):
        journal.admission_tests.pop(record.key, None)
    elif isinstance(record, ExamChoice):
        journal.exam_choices.pop(record.student_id, None)


def rewind(journal: ClassJournal, changes: Iterable[Change], until: datetime) -> ClassJournal:
    """The journal as it stood at ``until``: undo, last appended first, every change made after it.

    ``changes`` is the journal's audit log in append order, the order every storage's query gives
    (those of other journals are ignored); the changes timed after ``until`` are undone in the
    reverse of that order, so a clock that went backwards cannot make a later change be undone
    before an earlier one.  The
    result is a new journal (the argument is not modified) with no pending changes; records that
    existed before the audit log began are kept as they are.  Raises :class:`InvalidInput` when
    ``until`` is naive and the log's times are timezone-aware (or the reverse), or when undoing
    leaves a broken reference (an audit log that does not belong to this journal), and when
    ``until`` is not a :class:`~datetime.datetime`.
    """
    if not isinstance(until, datetime):
        raise InvalidInput("until", "must be a datetime", until)
    relevant = [c for c in changes if c.journal_id == journal.id]
    later: list[tuple[int, Change]] = []
    for i, c in enumerate(relevant):
        try:
            after = c.at > until
        except TypeError as e:
            raise InvalidInput(
                "until", "mixes timezone-aware and naive times with the audit log", until.isoformat()
            ) from e
        if after:
            later.append((i, c))
    out = journal.copy()
    for _, change in reversed(later):
        if change.after is not None:
            _drop(out, change.after)
        if change.before is not None:
            _put(out, change.before)
    out.check_references()
    return out

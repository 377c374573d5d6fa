"""The earlier years of the demo's graduating classes: what their summary sheets are built from.

A grade-9 sheet lists the subjects finished in grades 5–8 (mathematics in grade 6, fine arts in
7, music in 8) with their final marks, and a grade-11 sheet shows grade 10's half-year and annual
marks, the inputs of the final mark.  Both come from the journals of earlier years.  The demo
school started with ejournal this year, so its earlier years hold what a school imports when it
moves to the system mid-level: per class and subject the period and annual marks and the
council's decision — no lessons and current marks (validation of those years reports exactly
that).  Each earlier journal holds the students of the current class who were in it at the
start of this year (those who arrived during the year came from elsewhere), with marks drawn
around each student's level in this year's current marks, set and closed through the journal's
commands (every step a :class:`~ejournal.core.journal.Change`).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time
from fractions import Fraction

from ejournal.core.calendar import AcademicYear, PeriodScheme, half_years, quarters
from ejournal.core.grading import GradingPolicy, propose_annual_mark
from ejournal.core.journal import YEAR, Change, ClassJournal, Decision, DecisionKind, FixedClock
from ejournal.core.model import ClassGroup, Course, Student, Subject
from ejournal.core.records import FINAL_SPAN, LEVEL_FIRST_GRADE
from ejournal.core.scales import BUILTIN_SCALES, MarkValue, Status
from ejournal.demo._curriculum import subjects_for_grade
from ejournal.demo._raw import MSK, scheme_for, subject_of
from ejournal.demo._results import ADMIN

__all__ = ["earlier_grades", "record_journal"]


def earlier_grades(grade: int) -> tuple[int, ...]:
    """The earlier grades whose journals a graduating ``grade``'s sheet reads: the level's grades
    before it (5–8 for 9, 10 for 11); ``()`` for a grade that does not graduate."""
    first = LEVEL_FIRST_GRADE.get(grade)
    spans = FINAL_SPAN.get(grade, ())
    return tuple(sorted(set(range(first, grade)) | set(spans))) if first is not None else ()


def _levels(current: ClassJournal) -> dict[str, int]:
    """Each student's level in hundredths of a grade, from this year's numeric current marks."""
    sums: dict[str, list[int]] = {}
    for m in current.marks.values():
        if isinstance(m.value, int):
            sums.setdefault(m.student_id, []).append(m.value)
    return {sid: 100 * sum(v) // len(v) if v else 350 for sid, v in sums.items()}


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), MSK)


def record_journal(
    current: ClassJournal, grade: int, policy: GradingPolicy, *, seed: int = 2025
) -> tuple[ClassJournal, list[Change]]:
    """The journal of ``current``'s class when it was in ``grade`` (an earlier year), with its
    period and annual marks and the council's promotion, and the changes that made them (oldest
    first; the journal has no pending changes).  Same seed, same journal.

    Raises :class:`~ejournal.core.errors.InvalidInput` when ``grade`` is not earlier than the
    current class's grade.
    """
    from ejournal.core.errors import InvalidInput

    now = current.class_group
    if not 1 <= grade < now.grade:
        raise InvalidInput("grade", f"must be an earlier grade than {now.grade}", grade)
    year = AcademicYear(now.year.start_year - (now.grade - grade))
    letter_id = current.id.split("-", 1)[1][len(str(now.grade)) :]
    jid = f"{year.start_year}-{grade}{letter_id}"
    rng = random.Random(f"ejournal-demo:{seed}:{jid}:record")
    quarter_scheme, half_scheme = quarters(year), half_years(year)
    schemes: dict[str, PeriodScheme] = {}
    subjects: dict[str, Subject] = {}
    courses: dict[str, Course] = {}
    teacher_of_subject = {c.subject_id: c.teacher_id for c in current.courses.values()}
    class_teacher = now.class_teacher_id
    for order, spec in subjects_for_grade(grade):
        subjects[spec.id] = subject_of(spec, order, grade)
        scheme = scheme_for(spec, grade, quarter_scheme, half_scheme)
        schemes[scheme.id] = scheme
        cid = f"{jid}-{spec.id}"
        courses[cid] = Course(
            cid,
            spec.id,
            teacher_of_subject.get(spec.id) or class_teacher,
            Fraction(spec.hours[grade - 1]),
            scheme.id,
            "pass_fail" if spec.pass_fail else "five",
        )
    start = now.year.start
    students = {
        s.id: Student(s.id, s.name, year.start, None, s.birth_date, "", "", s.sex)
        for s in sorted(current.students.values(), key=lambda s: s.id)
        if s.enrolled <= start
    }
    teachers = {t: current.teachers[t] for t in {c.teacher_id for c in courses.values()} | {class_teacher} if t}
    clock = FixedClock(_at(year.start, 8))
    journal = ClassJournal(
        current.school,
        ClassGroup(jid, grade, now.letter, year, class_teacher),
        students=students,
        teachers=teachers,
        subjects=subjects,
        courses=courses,
        schemes=schemes,
        scales=dict(BUILTIN_SCALES),
        clock=clock,
    )
    levels = _levels(current)
    offset = {(sid, cid): rng.randint(-40, 40) for sid in students for cid in courses}
    periods = sorted({p for s in schemes.values() for p in s.periods}, key=lambda p: (p.end, p.id))
    for p in periods:
        clock.advance_to(_at(p.end, 16))
        for cid, course in courses.items():
            if p not in schemes[course.scheme_id].periods:
                continue
            for sid in students:
                journal.set_period_mark(
                    sid, cid, p.id, _mark(rng, levels.get(sid, 350) + offset[(sid, cid)], course), by=ADMIN
                )
        journal.close_period(p.id, by=ADMIN, reason=f"окончание периода «{p.name or p.id}»")
    last = max(p.end for p in periods)
    clock.advance_to(_at(last, 18))
    for cid in courses:
        for sid in students:
            proposal = propose_annual_mark(journal, sid, cid, policy)
            if proposal.value is not None:
                journal.set_annual_mark(sid, cid, proposal.value, by=ADMIN)
    council = date(year.start_year + 1, 5, 28)
    clock.advance_to(_at(council, 15))
    for sid in students:
        journal.set_decision(Decision(sid, DecisionKind.PROMOTED, council, "9", grade + 1), by=ADMIN)
    clock.advance_to(_at(date(year.start_year + 1, 6, 30), 12))
    journal.close_period(YEAR, by=ADMIN, reason="окончание учебного года")
    changes = journal.take_pending_changes()
    return journal, changes


def _mark(rng: random.Random, level: int, course: Course) -> MarkValue:
    """A period mark around ``level`` (hundredths of a grade): 3–5 (the cohort was promoted each
    year), "зач." for a pass/fail subject."""
    if course.scale_id == "pass_fail":
        return Status.PASS
    return min(5, max(3, (level + rng.randint(-60, 60) + 50) // 100))

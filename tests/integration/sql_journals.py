"""Journals of any size for the SQL backend's tests, built directly with the core model."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from ejournal.core.calendar import AcademicYear, quarters
from ejournal.core.journal import AttendanceRecord, ClassJournal, Mark, ResultKey, ResultKind, ResultMark
from ejournal.core.model import ClassGroup, Course, Lesson, PersonName, School, Student, Subject, Teacher
from ejournal.core.scales import Status, WorkType

YEAR = AcademicYear(2025)
MSK = timezone(timedelta(hours=3))
SCHOOL = School("s-1", "МБОУ СОШ № 1", "1нче урта мәктәп")


def build_journal(
    journal_id: str, students: int, lessons_per_course: int, *, courses: int = 3, seed: int = 1
) -> ClassJournal:
    """A class journal with ``students`` students, ``courses`` courses and a mark per student and lesson."""
    rnd = random.Random(seed)
    q = quarters(YEAR)
    teachers = {"t1": Teacher("t1", PersonName("Иванова", "Мария", "Петровна"))}
    subjects = {f"sub{i}": Subject(f"sub{i}", f"Предмет {i}", i) for i in range(courses)}
    course_map = {f"c{i}": Course(f"c{i}", f"sub{i}", "t1", 3, q.id) for i in range(courses)}
    studs = {f"st{i}": Student(f"st{i}", PersonName("Вәлиев", f"Айдар{i}"), YEAR.start) for i in range(students)}
    days = [d for d in (YEAR.start + timedelta(days=k) for k in range(270)) if q.period_of(d) is not None]
    lessons: dict[str, Lesson] = {}
    for c in course_map:
        for k in range(lessons_per_course):
            lid = f"{c}-l{k}"
            lessons[lid] = Lesson(lid, c, days[k % len(days)], f"Тема {k}", "§1")
    marks: dict[str, Mark] = {}
    attendance: dict[tuple[str, str], AttendanceRecord] = {}
    at0 = datetime(2025, 9, 1, 9, 0, 0, 1, tzinfo=MSK)
    for n, lid in enumerate(lessons):
        for sid in studs:
            mid = f"m{len(marks) + 1}"
            at = at0 + timedelta(seconds=n, microseconds=len(marks))
            marks[mid] = Mark(mid, sid, lid, rnd.randint(2, 5), rnd.choice(("cw", "test")), at, "t1")
            if rnd.random() < 0.05:
                attendance[(sid, lid)] = AttendanceRecord(sid, lid, "б", at, "t1")
    results = {}
    for sid in studs:
        for c in course_map:
            r = ResultMark(sid, c, ResultKind.PERIOD, rnd.choice((3, 4, 5, Status.NOT_CERTIFIED)), at0, "t1", "q1")
            results[ResultKey(sid, c, ResultKind.PERIOD, "q1")] = r
    return ClassJournal(
        SCHOOL,
        ClassGroup(journal_id, 9, "А", YEAR, "t1"),
        students=studs,
        teachers=teachers,
        subjects=subjects,
        courses=course_map,
        schemes={q.id: q},
        work_types={"cw": WorkType("cw", "классная", 1), "test": WorkType("test", "контрольная", "1.5")},
        lessons=lessons,
        marks=marks,
        attendance=attendance,
        results=results,
    )

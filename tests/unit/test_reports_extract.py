"""The extract of a leaving student's current marks and attendance (Минпросвещения № 240)."""

from __future__ import annotations

import pytest
from reports_kit import ADMIN, RU, Builder, course_of, day, demo

from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.model import AbsenceReason, Lesson
from ejournal.core.reports import build_extract, build_report


def journal():  # type: ignore[no-untyped-def]
    j = (
        Builder(7)
        .student("x", "Уходов", left=day("2025-11-20"), departure_order="123-у")
        .student("y", "Остаётся")
        .course("alg", "Алгебра")
        .course("rus", "Русский язык")
        .build()
    )
    alg, rus = course_of(j, "alg"), course_of(j, "rus")
    for i, d in enumerate(["2025-09-10", "2025-10-01", "2025-11-10", "2025-11-18", "2025-11-25"]):
        j.add_lesson(Lesson(f"a{i}", alg, day(d)), by=ADMIN)
    j.add_lesson(Lesson("r0", rus, day("2025-09-11")), by=ADMIN)
    j.record_mark("x", "a0", 5, "cw", by=ADMIN)
    j.record_mark("x", "a1", 4, "cw", by=ADMIN)
    j.record_mark("x", "a2", 3, "cw", by=ADMIN)
    j.record_mark("y", "a4", 5, "cw", by=ADMIN)
    j.record_attendance("x", "a3", "б", by=ADMIN)
    j.record_attendance("x", "r0", "н", by=ADMIN)
    j.record_attendance("x", "a2", "о", by=ADMIN)  # late: not missed
    j.set_period_mark("x", alg, "q1", 5, by=ADMIN)
    return j


def test_marks_by_period_with_dates_period_marks_and_absences() -> None:
    doc = build_extract(journal(), "x")
    assert doc.issued_on == day("2025-11-20")  # the day the student left
    alg, rus = doc.courses
    assert [p.period_id for p in alg.periods] == ["q1", "q2"]  # q3, q4 start later
    q1, q2 = alg.periods
    assert [(m.date, m.value) for m in q1.marks] == [(day("2025-09-10"), "5"), (day("2025-10-01"), "4")]
    assert [(m.date, m.value, m.work_type) for m in q2.marks] == [(day("2025-11-10"), "3", "классная")]
    assert (q1.period_mark, q2.period_mark) == ("5", "")
    assert (alg.missed, alg.excused, rus.missed, rus.excused) == (1, 1, 1, 0)
    assert (doc.missed, doc.excused) == (2, 1)
    assert doc.departure_order == "123-у"
    assert doc.header.director_name == "Сафин Ильдар Маратович"


def test_issued_on_cuts_marks_and_is_checked() -> None:
    doc = build_extract(journal(), "x", issued_on=day("2025-09-30"))
    assert [p.period_id for p in doc.courses[0].periods] == ["q1"]
    assert len(doc.courses[0].periods[0].marks) == 1
    with pytest.raises(InvalidInput, match="precedes the enrolment"):
        build_extract(journal(), "x", issued_on=day("2025-08-01"))
    with pytest.raises(NotFound, match="student 'z'"):
        build_extract(journal(), "z")
    with pytest.raises(InvalidInput, match="one student"):
        build_report("extract", journal(), collator=RU)


def test_demo_extract_recomputed_from_the_journal() -> None:
    j, leaver = next((j, s) for g in (9, 10, 11) for j in [demo(g)] for s in j.students.values() if s.left is not None)
    doc = build_extract(j, leaver.id)
    assert leaver.left is not None
    assert doc.issued_on == leaver.left
    marks = [m for m in j.marks.values() if m.student_id == leaver.id and j.lessons[m.lesson_id].date <= leaver.left]
    assert sum(len(p.marks) for c in doc.courses for p in c.periods) == len(marks)
    missed = [
        a
        for a in j.attendance.values()
        if a.student_id == leaver.id
        and j.attendance_codes[a.code].missed
        and j.lessons[a.lesson_id].date <= leaver.left
    ]
    excused = [a for a in missed if j.attendance_codes[a.code].reason in (AbsenceReason.ILLNESS, AbsenceReason.EXCUSED)]
    assert (doc.missed, doc.excused) == (len(missed), len(excused))
    for course in doc.courses:
        for p in course.periods:
            assert [m.date for m in p.marks] == sorted(m.date for m in p.marks)

"""The certificate-insert list of final marks: cells, the law's rule, and what blocks printing."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from reports_kit import ADMIN, RU, Builder, course_of, demo, set_year

from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.journal import ClassJournal, DecisionKind, ResultKind
from ejournal.core.model import AssessmentKind
from ejournal.core.reports import build_final_marks, build_report, certified_students, earlier_results_of
from ejournal.core.scales import MarkValue, Status

NA, EX = Status.NOT_CERTIFIED, Status.EXEMPT


def half_up(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))


def grade9() -> ClassJournal:
    j = (
        Builder(9)
        .student("1", "Яковлев")
        .student("2", "Ёлкин")
        .student("3", "Елкин")
        .course("rus", "Русский язык", examined=True)
        .course("lit", "Литература")
        .build()
    )
    for sid in "123":
        set_year(j, sid, "rus", [4, 4, 4, 4], 4)
        set_year(j, sid, "lit", [3, 3, 3, 3], 3)
        j.set_exam_mark(sid, course_of(j, "rus"), 5, by=ADMIN)
    return j


def test_grade_9_final_is_the_half_up_mean_of_annual_and_exam() -> None:
    j = grade9()
    for sid in "123":
        j.set_final_mark(sid, course_of(j, "rus"), 5, by=ADMIN)  # (4 + 5) / 2 = 4.5 → 5
        j.set_final_mark(sid, course_of(j, "lit"), 3, by=ADMIN)  # no exam: the annual mark
    doc = build_final_marks(j, collator=RU)
    assert doc.ready
    assert doc.problems == ()
    doc.check()
    assert [r.name.split()[0] for r in doc.rows] == ["Елкин", "Ёлкин", "Яковлев"]  # ё sorts with е
    rus = doc.rows[0].cells[0]
    assert (rus.annual, rus.exam, rus.final, rus.expected, rus.mean) == (4, 5, 5, 5, Fraction(9, 2))
    assert doc.rows[0].cells[1].expected == 3


def test_na_missing_and_a_mark_off_the_rule_block_printing() -> None:
    j = grade9()
    rus, lit = course_of(j, "rus"), course_of(j, "lit")
    j.set_final_mark("1", rus, 5, by=ADMIN)
    j.set_final_mark("1", lit, NA, by=ADMIN)
    j.set_final_mark("2", rus, 4, by=ADMIN)  # the rule gives 5
    j.set_final_mark("2", lit, 3, by=ADMIN)
    j.set_final_mark("3", lit, EX, by=ADMIN)  # and no final in Russian
    doc = build_final_marks(j, collator=RU)
    found = {(p.student_id, p.course_id, p.code) for p in doc.problems}
    assert found == {
        ("1", lit, "not_certified"),
        ("2", rus, "differs"),
        ("3", rus, "missing"),
        ("3", lit, "not_numeric"),
    }
    assert not doc.ready
    with pytest.raises(InvalidInput) as e:
        doc.check()
    assert len(e.value.problems) == 4
    text = str(e.value)
    assert "Яковлев Имя (1), Литература: the final mark is н/а" in text
    assert "Елкин Имя (3), Русский язык: no final mark" in text
    assert "differs from the rule's 5" in text


def test_a_failing_final_mark_is_a_problem() -> None:
    j = grade9()
    for sid in "123":
        j.set_final_mark(sid, course_of(j, "rus"), 5, by=ADMIN)
        j.set_final_mark(sid, course_of(j, "lit"), 3, by=ADMIN)
    j.set_annual_mark("1", course_of(j, "lit"), 2, by=ADMIN)
    j.set_final_mark("1", course_of(j, "lit"), 2, by=ADMIN)
    assert [(p.student_id, p.code) for p in build_final_marks(j, collator=RU).problems] == [("1", "failing")]


def eleven() -> tuple[ClassJournal, ClassJournal]:
    ten = Builder(10, year=2024, halves=True).student("1", "Иванов").course("alg", "Алгебра").build()
    set_year(ten, "1", "alg", [4, 5], 5)
    j = Builder(11, halves=True).student("1", "Иванов").course("alg", "Алгебра").build()
    set_year(j, "1", "alg", [4, 4], 4)
    return ten, j


def test_grade_11_final_averages_grades_10_and_11_when_grade_10_is_given() -> None:
    ten, j = eleven()
    j.set_final_mark("1", course_of(j, "alg"), 5, by=ADMIN)
    marks = [4, 5, 5, 4, 4, 4]
    expected = half_up(Fraction(sum(marks), len(marks)))  # 26/6 = 4.33 → 4
    doc = build_final_marks(j, collator=RU, grade10=ten)
    cell = doc.rows[0].cells[0]
    assert cell.grade10 == (4, 5, 5)
    assert cell.grade11 == (4, 4, 4)
    assert cell.expected == expected == 4
    assert cell.mean == Fraction(26, 6)
    assert [(p.code, p.value, p.expected) for p in doc.problems] == [("differs", "5", "4")]
    # the same from the results mapping
    same = build_final_marks(j, collator=RU, grade10=earlier_results_of(ten))
    assert same.rows == doc.rows
    assert same.grade10_given


def test_grade_11_without_grade_10_is_listed_but_not_recomputed() -> None:
    _, j = eleven()
    j.set_final_mark("1", course_of(j, "alg"), 5, by=ADMIN)
    doc = build_final_marks(j, collator=RU)
    assert not doc.grade10_given
    assert not doc.rows[0].cells[0].checked
    assert doc.ready


def test_a_grade_10_mark_off_the_scale_is_refused() -> None:
    _, j = eleven()
    with pytest.raises(InvalidInput, match="grade10"):
        build_final_marks(j, collator=RU, grade10={"1": {"alg": [7]}})


def test_other_grades_and_unknown_students_are_refused() -> None:
    j8 = Builder(8).student("1", "Иванов").course("alg", "Алгебра").build()
    with pytest.raises(InvalidInput, match="grades 9 and 11"):
        build_final_marks(j8, collator=RU)
    with pytest.raises(InvalidInput, match="grade-10"):
        build_final_marks(grade9(), collator=RU, grade10={})
    with pytest.raises(NotFound, match="nobody"):
        build_report("final-marks", grade9(), collator=RU, student_id="nobody")


@pytest.mark.parametrize("grade", [9, 11])
def test_demo_list_recomputed_from_the_journal(grade: int) -> None:
    j = demo(grade)
    doc = build_final_marks(j, collator=RU)
    last = max(p.end for s in j.schemes.values() for p in s.periods)
    expected_ids = {
        s.id
        for s in j.students.values()
        if (s.left is None or s.left >= last)
        and s.enrolled <= last
        and not (s.id in j.decisions and j.decisions[s.id].kind is DecisionKind.LEFT)
    }
    assert {r.student_id for r in doc.rows} == expected_ids == set(certified_students(j))
    graded = [
        c.id
        for c in sorted(j.courses.values(), key=lambda c: (j.subjects[c.subject_id].order, c.id))
        if j.subjects[c.subject_id].assessment is AssessmentKind.GRADED
    ]
    assert [c for c, _ in doc.subjects] == graded
    problems: set[tuple[str, str, str]] = set()
    for row in doc.rows:
        for cell in row.cells:
            final = j.results.get(_key(row.student_id, cell.course_id, ResultKind.FINAL))
            value: MarkValue | None = None if final is None else final.value
            assert cell.final == value
            if grade == 9:
                annual = j.results.get(_key(row.student_id, cell.course_id, ResultKind.ANNUAL))
                exam = j.results.get(_key(row.student_id, cell.course_id, ResultKind.EXAM))
                if annual is not None and isinstance(annual.value, int) and not j.courses[cell.course_id].examined:
                    assert cell.expected == annual.value
                if (
                    annual is not None
                    and exam is not None
                    and isinstance(annual.value, int)
                    and isinstance(exam.value, int)
                ):
                    assert cell.expected == half_up(Fraction(annual.value + exam.value, 2))
            if value is None:
                problems.add((row.student_id, cell.course_id, "missing"))
            elif value is NA:
                problems.add((row.student_id, cell.course_id, "not_certified"))
            elif isinstance(value, Status):
                problems.add((row.student_id, cell.course_id, "not_numeric"))
            elif value < 3:
                problems.add((row.student_id, cell.course_id, "failing"))
            elif isinstance(cell.expected, int) and cell.checked and value != cell.expected:
                problems.add((row.student_id, cell.course_id, "differs"))
    assert {(p.student_id, p.course_id, p.code) for p in doc.problems} == problems


def _key(sid: str, cid: str, kind: ResultKind) -> object:
    from ejournal.core.journal import ResultKey

    return ResultKey(sid, cid, kind)

"""Explanations name work types as the school calls them, and texts for parents carry no mark ids."""

from __future__ import annotations

from ejournal.core.diary import period_report
from ejournal.core.grading import builtin_policy, propose_period_mark, propose_period_marks
from ejournal.core.journal import ResultKey, ResultKind
from ejournal.demo import generate_class_journal

J = generate_class_journal(grade=7, students=4, seed=3, with_results=False)
POLICY = builtin_policy("federal")
COURSE = next(c for c in J.courses_in_order() if J.lessons_of(c.id))
STUDENT = sorted(J.students)[0]
PERIOD = J.scheme_of(COURSE.id).periods[0]


def test_the_explanation_names_the_work_types_not_their_codes() -> None:
    computed = propose_period_mark(J, STUDENT, COURSE.id, PERIOD.id, POLICY)
    text = computed.explanation.render("ru")
    used = {m.work_type_id for m in computed.explanation.used}
    assert used  # the demo student has marks in the first period
    for code in used:
        assert J.work_types[code].name in text
        assert f", {code}," not in text
    bulk = propose_period_marks(J, POLICY, explain=True)[ResultKey(STUDENT, COURSE.id, ResultKind.PERIOD, PERIOD.id)]
    assert bulk.explanation.render("ru") == text


def test_the_diary_explanation_leaves_the_mark_ids_out() -> None:
    computed = propose_period_mark(J, STUDENT, COURSE.id, PERIOD.id, POLICY)
    ids = [m.mark_id for m in computed.explanation.used]
    assert all(i in computed.explanation.render("ru") for i in ids)  # the teacher's text keeps them
    report = period_report(J, STUDENT, PERIOD.id, POLICY)
    text = report.subject(COURSE.id).explain("ru")
    assert text
    assert not any(i in text for i in ids)


def test_russian_explanations_write_decimals_with_a_comma_as_the_sheet_does() -> None:
    from fractions import Fraction

    from ejournal.core.grading import GradedMark, compute_period_mark

    marks = [GradedMark(4, Fraction(3, 2), "cw"), GradedMark(3, Fraction(1), "cw"), GradedMark(4, Fraction(1), "cw")]
    e = compute_period_mark(marks, POLICY, hours_per_week=4, lessons_total=10, lessons_missed=0).explanation
    assert e.mean == Fraction(26, 7)  # (4 × 3/2 + 3 + 4) / (7/2)
    ru, en = e.render("ru"), e.render("en")
    assert "вес 1,5" in ru
    assert "3,71" in ru
    assert "порога 3,5" in ru
    assert "." not in ru.split("среднее")[1].split("\n")[0]
    assert "weight 1.5" in en
    assert "3.71" in en

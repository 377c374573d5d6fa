"""Worked examples of the grading rules (DOMAIN.md), with expected values derived by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction

import pytest
from attrs import evolve as attrs_evolve

from ejournal.core import (
    Actor,
    AssessmentKind,
    ClassGroup,
    ClassJournal,
    Course,
    DecisionKind,
    FixedClock,
    InvalidInput,
    Lesson,
    NotFound,
    PersonName,
    Role,
    School,
    Status,
    Student,
    Subject,
    Teacher,
    WorkType,
    quarters,
)
from ejournal.core.calendar import AcademicYear, PeriodKind, half_years
from ejournal.core.grading import (
    AggregationMethod,
    ComputedMark,
    GradedMark,
    GradingPolicy,
    MinMarksRow,
    NotCertifiedPeriods,
    Rounding,
    RoundingMethod,
    TiePolicy,
    builtin_policy,
    compute_annual_mark,
    compute_final_mark_grade9,
    compute_final_mark_grade11,
    compute_period_mark,
    decide_promotion,
    find_fewest_marks,
    propose_annual_mark,
    propose_final_mark,
    propose_period_mark,
    propose_period_marks,
    round_mean,
    what_if,
)
from ejournal.core.grading._exact import decimal_text, fraction_text
from ejournal.core.journal import ResultKey, ResultKind
from ejournal.core.scales import TEN_POINT

FEDERAL = builtin_policy("federal")
STRICT = builtin_policy("strict")
TATARSTAN = builtin_policy("tatarstan")
T0 = datetime(2025, 9, 1, 8, tzinfo=UTC)
ADMIN = Actor("admin", Role.ADMINISTRATOR)


def gm(value: int | Status, weight: int | Fraction = 1, wt: str = "cw", mark_id: str = "") -> GradedMark:
    return GradedMark(value, weight, wt, None, mark_id)


def period(
    marks: list[GradedMark],
    policy: GradingPolicy = FEDERAL,
    *,
    hours: int = 2,
    total: int = 10,
    missed: int = 0,
    exempt: bool = False,
) -> ComputedMark:
    return compute_period_mark(
        marks, policy, hours_per_week=hours, lessons_total=total, lessons_missed=missed, exempt=exempt
    )


def journal(grade: int = 5, *, scheme: str = "quarters", hours: int = 2, examined: bool = False) -> ClassJournal:
    year = AcademicYear(2025)
    sch = quarters(year) if scheme == "quarters" else half_years(year)
    return ClassJournal(
        School("sch", "Школа №1"),
        ClassGroup("cls", grade, "А", year, "t1"),
        students={
            "s1": Student("s1", PersonName("Иванов", "Иван"), date(2025, 9, 1)),
            "s2": Student("s2", PersonName("Петрова", "Анна"), date(2025, 9, 1)),
        },
        teachers={"t1": Teacher("t1", PersonName("Сидорова", "Мария"))},
        subjects={
            "math": Subject("math", "Математика", 1),
            "pe": Subject("pe", "Физкультура", 2),
            "music": Subject("music", "Музыка", 3, AssessmentKind.NONE),
        },
        courses={
            "c-math": Course("c-math", "math", "t1", hours, sch.id, examined=examined),
            "c-pe": Course("c-pe", "pe", "t1", 2, sch.id),
            "c-music": Course("c-music", "music", "t1", 1, sch.id),
        },
        schemes={sch.id: sch},
        work_types={"cw": WorkType("cw", "классная", 1), "test": WorkType("test", "контрольная", 2)},
        clock=FixedClock(T0),
    )


def add_lessons(j: ClassJournal, course: str, days: list[date]) -> list[str]:
    ids = []
    for i, d in enumerate(days):
        lid = f"{course}-{d.isoformat()}-{i}"
        j.add_lesson(Lesson(lid, course, d), by=ADMIN)
        ids.append(lid)
    return ids


# ---------------------------------------------------------------------- rounding (DOMAIN.md traps)


def test_four_and_a_half_is_five_under_the_mathematical_table_not_four() -> None:
    # 5, 4, 5, 4 at equal weight: (5 + 4 + 5 + 4) / 4 = 18/4 = 4.5, and the table gives 5 from 4.5.
    result = period([gm(5), gm(4), gm(5), gm(4)])
    assert result.mean == Fraction(9, 2)
    assert result.value == 5
    assert result.explanation.threshold == Fraction(9, 2)
    assert result.explanation.rule == "table"


def test_strict_table_gives_three_for_3_64_and_four_for_3_65() -> None:
    # 4 weighted 16 and 3 weighted 9: (64 + 27) / 25 = 91/25 = 3.64 < 3.65 -> 3.
    low = period([gm(4, 16), gm(3, 9)], STRICT)
    assert low.mean == Fraction(91, 25)
    assert low.value == 3
    # 4 weighted 13 and 3 weighted 7: (52 + 21) / 20 = 73/20 = 3.65 exactly -> 4.
    high = period([gm(4, 13), gm(3, 7)], STRICT)
    assert high.mean == Fraction(73, 20)
    assert high.value == 4
    assert high.explanation.mean_text == "3.65"
    assert high.explanation.mean_exact is True


def test_the_same_mean_under_federal_and_strict() -> None:
    # 4.6 = (5*3 + 4*2) / 5: federal 5 (>= 4.5), strict 4 (< 4.65).
    marks = [gm(5), gm(5), gm(5), gm(4), gm(4)]
    assert period(marks).value == 5
    assert period(marks, STRICT).value == 4


@pytest.mark.parametrize(
    ("mean", "method", "expected"),
    [
        (Fraction(7, 2), RoundingMethod.HALF_UP, 4),
        (Fraction(349, 100), RoundingMethod.HALF_UP, 3),
        (Fraction(301, 100), RoundingMethod.FAVOUR, 4),
        (Fraction(3), RoundingMethod.FAVOUR, 3),
        (Fraction(399, 100), RoundingMethod.FLOOR, 3),
        (Fraction(5, 2), RoundingMethod.HALF_UP, 3),
    ],
)
def test_rounding_rules(mean: Fraction, method: RoundingMethod, expected: int) -> None:
    assert round_mean(mean, Rounding(method))[0] == expected


def test_a_table_below_every_threshold_rounds_down() -> None:
    table = Rounding.table({5: "4.5", 4: "3.5"})
    assert round_mean(Fraction(34, 10), table) == (3, "table_below", None)
    assert round_mean(Fraction(35, 10), table) == (4, "table", Fraction(7, 2))


def test_decimal_text_truncates_and_says_so() -> None:
    assert decimal_text(Fraction(2, 3), 2) == ("0.66", False)
    assert decimal_text(Fraction(73, 20), 2) == ("3.65", True)
    assert decimal_text(Fraction(46499, 10000), 2) == ("4.64", False)
    assert fraction_text(Fraction(13, 3)) == "13/3"
    assert fraction_text(Fraction(93, 20)) == "4.65"


# ---------------------------------------------------------------------- aggregations


def test_weighted_mean_uses_exact_weights() -> None:
    # 5 (test, 2), 3 and 4 (cw, 1): (10 + 3 + 4) / (2 + 1 + 1) = 17/4 = 4.25 -> 4.
    result = period([gm(5, 2, "test"), gm(3), gm(4)])
    assert result.mean == Fraction(17, 4)
    assert result.value == 4


def test_zero_weight_marks_are_shown_as_excluded() -> None:
    result = period([gm(5), gm(5), gm(2, 0, "draft", "m3"), gm(5)])
    assert result.value == 5
    assert result.mean == 5
    [excluded] = result.explanation.excluded
    assert excluded.reason == "zero_weight"
    assert excluded.mark.mark_id == "m3"
    assert "weight 0" in result.explanation.render("en")
    assert "вес 0" in result.explanation.render("ru")


def test_statuses_are_never_averaged() -> None:
    result = period([gm(5), gm(4), gm(Status.NOT_CERTIFIED), gm(4)])
    assert result.mean == Fraction(13, 3)
    assert [x.reason for x in result.explanation.excluded] == ["status"]


def test_missing_marks_never_count_as_zero() -> None:
    # One 5 in a period of 20 lessons, none missed: the proposal is 5 (with a "too few" note).
    result = period([gm(5)], hours=1, total=20, missed=0)
    assert result.value == 5
    assert result.explanation.has_note("too_few")


def test_median_and_mode() -> None:
    policy = FEDERAL.evolve(period=FEDERAL.period.__class__(aggregation=AggregationMethod.MEDIAN))
    # 2, 3, 5, 5: the two middle marks 3 and 5 -> 4.
    assert period([gm(2), gm(3), gm(5), gm(5)], policy).value == 4
    mode = FEDERAL.evolve(period=FEDERAL.period.__class__(aggregation=AggregationMethod.MODE))
    assert period([gm(3), gm(3), gm(5)], mode).value == 3
    # 2, 2, 5, 5: a tie between 2 and 5 -> their mean 3.5 -> 4 by the mathematical table.
    tied = period([gm(2), gm(2), gm(5), gm(5)], mode)
    assert tied.mean == Fraction(7, 2)
    assert tied.value == 4


def test_last_n_and_drop_lowest_wrap_the_inner_aggregation() -> None:
    rule = FEDERAL.period
    last_two = FEDERAL.evolve(period=rule.__class__(last_n=2, rounding=rule.rounding))
    marks = [
        GradedMark(2, 1, "cw", date(2025, 9, 1), "a"),
        GradedMark(2, 1, "cw", date(2025, 9, 2), "b"),
        GradedMark(5, 1, "cw", date(2025, 9, 4), "d"),
        GradedMark(4, 1, "cw", date(2025, 9, 3), "c"),
    ]
    result = period(marks, last_two)
    assert result.value == 5  # the two most recent: 4 (3 Sept) and 5 (4 Sept) -> 4.5 -> 5
    assert sorted(x.mark.mark_id for x in result.explanation.excluded) == ["a", "b"]
    drop_one = FEDERAL.evolve(period=rule.__class__(drop_lowest=1, rounding=rule.rounding))
    # 2 (weight 2), 2 (weight 1), 4, 5: the heavier 2 goes; (2 + 4 + 5) / 3 = 11/3 -> 4.
    dropped = period([gm(2, 2, "test"), gm(2), gm(4), gm(5)], drop_one)
    assert dropped.mean == Fraction(11, 3)
    assert dropped.value == 4
    # At least one mark is always kept.
    assert period([gm(3)], FEDERAL.evolve(period=rule.__class__(drop_lowest=3))).value == 3


# ---------------------------------------------------------------------- certification


def test_too_few_marks_and_half_the_lessons_missed_is_not_certified() -> None:
    # Federal: at most 2 h/week needs 3 marks; 2 marks and 5 of 10 lessons missed (1/2 > 1/3) -> н/а.
    result = period([gm(5), gm(4)], hours=1, total=10, missed=5)
    assert result.value is Status.NOT_CERTIFIED
    assert result.explanation.rule == "not_certified"
    assert "н/а" in result.explanation.render("ru")


def test_too_few_marks_with_few_absences_still_gets_a_proposal() -> None:
    # 2 marks, 3 of 10 lessons missed (3/10 <= 1/3): a mark is proposed, (5 + 4) / 2 = 4.5 -> 5.
    assert period([gm(5), gm(4)], hours=1, total=10, missed=3).value == 5


def test_minimum_marks_depend_on_weekly_hours() -> None:
    # 4 marks at 3 h/week: federal needs 5; all 8 lessons missed -> н/а. At 2 h/week 3 suffice -> 4.
    marks = [gm(4), gm(4), gm(4), gm(4)]
    assert period(marks, hours=3, total=8, missed=8).value is Status.NOT_CERTIFIED
    assert period(marks, hours=2, total=8, missed=8).value == 4


def test_too_few_alone_setting() -> None:
    strict_cert = FEDERAL.evolve(
        period=FEDERAL.period.__class__(too_few_alone=True, min_marks=FEDERAL.period.min_marks)
    )
    assert period([gm(5)], strict_cert, hours=1, total=10, missed=0).value is Status.NOT_CERTIFIED


def test_no_five_with_a_two() -> None:
    # Seven 5s and a 2: 37/8 = 4.625 -> 5 under federal, capped to 4 under tatarstan.
    marks = [gm(5)] * 7 + [gm(2)]
    assert period(marks).value == 5
    capped = period(marks, TATARSTAN)
    assert capped.value == 4
    assert capped.explanation.has_note("capped")


def test_exempt_stays_exempt() -> None:
    assert period([gm(5), gm(5), gm(5)], exempt=True).value is Status.EXEMPT


def test_no_marks_nothing_to_propose() -> None:
    result = period([], total=10, missed=0)
    assert result.value is None
    assert result.explanation.rule == "no_marks"


def test_pass_fail_marks() -> None:
    assert period([gm(Status.PASS), gm(Status.FAIL), gm(Status.PASS)]).value is Status.PASS
    assert period([gm(Status.FAIL), gm(Status.FAIL), gm(Status.PASS)]).value is Status.FAIL


# ---------------------------------------------------------------------- annual


def test_annual_exact_half_goes_to_the_student_under_federal() -> None:
    result = compute_annual_mark([("q1", 4), ("q2", 5), ("q3", 4), ("q4", 5)], FEDERAL)
    assert result.mean == Fraction(9, 2)
    assert result.value == 5
    assert result.explanation.rule == "tie_student"


def test_annual_tie_to_the_last_period() -> None:
    policy = FEDERAL.evolve(annual=FEDERAL.annual.__class__(tie=TiePolicy.LAST_PERIOD))
    assert compute_annual_mark([("q1", 5), ("q2", 5), ("q3", 4), ("q4", 4)], policy).value == 4
    assert compute_annual_mark([("q1", 4), ("q2", 4), ("q3", 5), ("q4", 5)], policy).value == 5


def test_annual_weight_of_the_last_period() -> None:
    # 2, 3, 3, 5: plain mean 13/4 = 3.25 -> 3; last period weighing 2: (8 + 10) / 5 = 3.6 -> 4.
    marks: list[tuple[str, int | Status | None]] = [("q1", 2), ("q2", 3), ("q3", 3), ("q4", 5)]
    assert compute_annual_mark(marks, FEDERAL).value == 3
    heavy = FEDERAL.evolve(annual=FEDERAL.annual.__class__(last_period_weight=2))
    result = compute_annual_mark(marks, heavy)
    assert result.mean == Fraction(18, 5)
    assert result.value == 4


def test_annual_with_not_certified_and_exempt_periods() -> None:
    with_na: list[tuple[str, int | Status | None]] = [("q1", Status.NOT_CERTIFIED), ("q2", 5), ("q3", 5), ("q4", 5)]
    assert compute_annual_mark(with_na, FEDERAL).value is Status.NOT_CERTIFIED
    skip = FEDERAL.evolve(annual=FEDERAL.annual.__class__(not_certified=NotCertifiedPeriods.SKIP))
    assert compute_annual_mark(with_na, skip).value == 5
    # An exempt first quarter is skipped by federal: (4 + 5 + 5) / 3 = 14/3 -> 5.
    exempt_q1: list[tuple[str, int | Status | None]] = [("q1", Status.EXEMPT), ("q2", 4), ("q3", 5), ("q4", 5)]
    assert compute_annual_mark(exempt_q1, FEDERAL).value == 5
    all_exempt: list[tuple[str, int | Status | None]] = [(f"q{i}", Status.EXEMPT) for i in range(1, 5)]
    assert compute_annual_mark(all_exempt, FEDERAL).value is Status.EXEMPT
    assert compute_annual_mark([("q1", None), ("q2", None)], FEDERAL).value is None


# ---------------------------------------------------------------------- journal level


def test_propose_period_mark_from_the_journal() -> None:
    j = journal(hours=1)
    q1 = j.schemes["q2025"].get("q1")
    lids = add_lessons(j, "c-math", [date(2025, 9, d) for d in (2, 4, 9, 11)])
    teacher = Actor("t1", Role.SUBJECT_TEACHER)
    j.record_mark("s1", lids[0], 5, "test", by=teacher)
    j.record_mark("s1", lids[1], 4, "cw", by=teacher)
    # (10 + 4) / 3 = 14/3 = 4.67 -> 5; 2 marks of 3 needed but no lesson missed: a proposal.
    result = propose_period_mark(j, "s1", "c-math", "q1", FEDERAL)
    assert result.value == 5
    assert result.mean == Fraction(14, 3)
    assert result.policy_hash == FEDERAL.content_hash
    assert {m.mark_id for m in result.explanation.used} == {m.id for m in j.marks_of("s1", "c-math", q1)}
    # Half of the lessons missed: н/а.
    j.record_attendance("s1", lids[2], "н", by=teacher)
    j.record_attendance("s1", lids[3], "б", by=teacher)
    assert propose_period_mark(j, "s1", "c-math", "q1", FEDERAL).value is Status.NOT_CERTIFIED
    # Being late is not missing a lesson.
    j.record_attendance("s1", lids[3], "о", by=teacher)
    assert propose_period_mark(j, "s1", "c-math", "q1", FEDERAL).value == 5
    # The batch call agrees with the single call.
    batch = propose_period_marks(j, FEDERAL, explain=True)
    assert all(batch[k] == propose_period_mark(j, k.student_id, k.course_id, k.period_id, FEDERAL) for k in batch)
    # An "осв." period mark in the journal makes the proposal "осв.".
    j.set_period_mark("s2", "c-pe", "q1", Status.EXEMPT, by=ADMIN)
    assert propose_period_mark(j, "s2", "c-pe", "q1", FEDERAL).value is Status.EXEMPT
    with pytest.raises(NotFound):
        propose_period_mark(j, "nobody", "c-math", "q1", FEDERAL)
    with pytest.raises(NotFound):
        propose_period_mark(j, "s1", "c-math", "h9", FEDERAL)


def test_propose_annual_mark_from_period_results() -> None:
    j = journal()
    for pid, v in (("q1", 3), ("q2", 4), ("q3", 4), ("q4", 4)):
        j.set_period_mark("s1", "c-math", pid, v, by=ADMIN)
    # (3 + 4 + 4 + 4) / 4 = 15/4 = 3.75 -> 4.
    result = propose_annual_mark(j, "s1", "c-math", FEDERAL)
    assert result.value == 4
    assert result.mean == Fraction(15, 4)


def test_grade_9_final_mark_is_the_half_up_mean_of_annual_and_exam() -> None:
    j = journal(9, examined=True)
    j.set_annual_mark("s1", "c-math", 4, by=ADMIN)
    j.set_exam_mark("s1", "c-math", 3, by=ADMIN)
    result = propose_final_mark(j, "s1", "c-math", FEDERAL)
    assert result.mean == Fraction(7, 2)
    assert result.value == 4
    # Without an exam mark there is nothing to propose yet.
    j.set_annual_mark("s2", "c-math", 5, by=ADMIN)
    assert propose_final_mark(j, "s2", "c-math", FEDERAL).value is None
    # A course without an exam: the annual mark as it is.
    j.set_annual_mark("s1", "c-pe", 3, by=ADMIN)
    assert propose_final_mark(j, "s1", "c-pe", FEDERAL).value == 3


def test_grade_11_final_mark_uses_grade_10_results_passed_in() -> None:
    j = journal(11, scheme="halves")
    j.set_period_mark("s1", "c-math", "h1", 4, by=ADMIN)
    j.set_period_mark("s1", "c-math", "h2", 4, by=ADMIN)
    j.set_annual_mark("s1", "c-math", 4, by=ADMIN)
    # Grade 10: 5, 5, 5; grade 11: 4, 4, 4 -> 27/6 = 4.5 -> 5 (half up).
    result = propose_final_mark(j, "s1", "c-math", FEDERAL, earlier_results=[5, 5, 5])
    assert result.mean == Fraction(9, 2)
    assert result.value == 5
    # Grade 10: 4, 5, 5; grade 11: 4, 4, 4 -> 26/6 = 4.33 -> 4.
    assert propose_final_mark(j, "s1", "c-math", FEDERAL, earlier_results=[4, 5, 5]).value == 4


def test_no_final_mark_outside_grades_9_and_11() -> None:
    j = journal(7)
    j.set_annual_mark("s1", "c-math", 5, by=ADMIN)
    assert propose_final_mark(j, "s1", "c-math", FEDERAL).value is None


# ---------------------------------------------------------------------- promotion


def test_exempt_is_never_a_failure() -> None:
    j = journal(5)
    j.set_annual_mark("s1", "c-math", 4, by=ADMIN)
    j.set_annual_mark("s1", "c-pe", Status.EXEMPT, by=ADMIN)
    result = decide_promotion(j, "s1", FEDERAL)
    assert result.kind is DecisionKind.PROMOTED
    assert result.debts == ()
    assert result.to_grade == 6
    assert "переведён" in result.explanation.render("ru")


def test_failing_annual_not_certified_and_missing_are_debts() -> None:
    j = journal(5)
    j.set_annual_mark("s1", "c-math", 2, by=ADMIN)
    j.set_annual_mark("s1", "c-pe", Status.NOT_CERTIFIED, by=ADMIN)
    result = decide_promotion(j, "s1", FEDERAL)
    assert result.kind is DecisionKind.PROMOTED_CONDITIONALLY
    assert result.debts == ("c-math", "c-pe")
    # s2 has no annual mark and no period marks in math or PE: federal counts both as debts.
    assert decide_promotion(j, "s2", FEDERAL).debts == ("c-math", "c-pe")


def test_graduating_class_decisions() -> None:
    j = journal(9, examined=True)
    for sid in ("s1", "s2"):
        j.set_annual_mark(sid, "c-math", 5, by=ADMIN)
        j.set_annual_mark(sid, "c-pe", 5, by=ADMIN)
    assert decide_promotion(j, "s1", FEDERAL).kind is DecisionKind.ADMITTED_TO_EXAM
    j.set_final_mark("s1", "c-math", 5, by=ADMIN)
    j.set_final_mark("s1", "c-pe", 5, by=ADMIN)
    assert decide_promotion(j, "s1", FEDERAL).kind is DecisionKind.GRADUATED_WITH_HONOURS
    j.set_final_mark("s2", "c-math", 4, by=ADMIN)
    j.set_final_mark("s2", "c-pe", 5, by=ADMIN)
    assert decide_promotion(j, "s2", FEDERAL).kind is DecisionKind.GRADUATED
    j.set_annual_mark("s2", "c-math", 2, by=ADMIN)
    not_admitted = decide_promotion(j, "s2", FEDERAL)
    assert not_admitted.kind is DecisionKind.NOT_ADMITTED_TO_EXAM
    assert not_admitted.debts == ("c-math",)


# ---------------------------------------------------------------------- what-if


def _three_quarter_journal() -> ClassJournal:
    j = journal(hours=1)
    lids = add_lessons(j, "c-math", [date(2025, 9, 2), date(2025, 9, 4)])
    teacher = Actor("t1", Role.SUBJECT_TEACHER)
    j.record_mark("s1", lids[0], 3, "cw", by=teacher)
    j.record_mark("s1", lids[1], 3, "cw", by=teacher)
    return j


def test_what_if_finds_the_fewest_marks() -> None:
    j = _three_quarter_journal()
    # Two 3s (weight 1). Tests (weight 2) of 5: (6 + 10k) / (2 + 2k) >= 4.5  <=>  k >= 3.
    answer = what_if(j, "s1", "c-math", "q1", 5, FEDERAL)
    assert answer.reachable
    assert answer.marks == ((5, "test"), (5, "test"), (5, "test"))
    assert answer.result is not None
    assert answer.result.value == 5
    # Classwork only (weight 1): (6 + 5k) / (2 + k) >= 4.5  <=>  k >= 6.
    cw_only = what_if(j, "s1", "c-math", "q1", 5, FEDERAL, work_type_ids=["cw"])
    assert len(cw_only.marks) == 6
    # A 4 needs one mark: (6 + 2*4) / 4 = 3.5 -> 4, and the softened answer is a 4, not a 5.
    assert what_if(j, "s1", "c-math", "q1", 4, FEDERAL).marks == ((4, "test"),)
    # The target is reached already.
    reached = what_if(j, "s1", "c-math", "q1", 3, FEDERAL)
    assert reached.reachable
    assert reached.marks == ()
    # Beyond max_marks.
    assert not what_if(j, "s1", "c-math", "q1", 5, FEDERAL, work_type_ids=["cw"], max_marks=5).reachable


def test_what_if_unreachable_when_capped_by_a_two() -> None:
    j = _three_quarter_journal()
    lid = add_lessons(j, "c-math", [date(2025, 9, 16)])[0]
    j.record_mark("s1", lid, 2, "cw", by=Actor("t1", Role.SUBJECT_TEACHER))
    answer = what_if(j, "s1", "c-math", "q1", 5, TATARSTAN)
    assert not answer.reachable
    assert answer.details.has_note("what_if_capped")
    assert what_if(j, "s1", "c-math", "q1", 4, TATARSTAN).reachable


def test_what_if_rejects_bad_input() -> None:
    j = _three_quarter_journal()
    with pytest.raises(InvalidInput):
        what_if(j, "s1", "c-math", "q1", 6, FEDERAL)
    with pytest.raises(NotFound):
        what_if(j, "s1", "c-math", "q1", 5, FEDERAL, work_type_ids=["essay"])


# ---------------------------------------------------------------------- explanations


def test_explanation_lists_marks_and_renders_in_both_languages() -> None:
    marks = [
        GradedMark(5, 2, "test", date(2025, 9, 2), "m1"),
        GradedMark(4, 1, "cw", date(2025, 9, 3), "m2"),
        GradedMark(Status.PASS, 1, "cw", date(2025, 9, 4), "m3"),
    ]
    result = compute_period_mark(marks, FEDERAL, hours_per_week=2, lessons_total=10, lessons_missed=0)
    e = result.explanation
    assert [m.mark_id for m in e.used] == ["m1", "m2"]
    assert e.weighted_sum == 14
    assert e.weight_total == 3
    assert e.mean == Fraction(14, 3)
    assert (e.mean_text, e.mean_exact) == ("4.66", False)
    ru, en = e.render("ru"), e.render("en")
    # the decimal comma and the date as Russian writes them, as on the sheet
    for text, mean, day in ((ru, "4,66", "02.09.2025"), (en, "4.66", "2025-09-02")):
        assert "m1" in text
        assert day in text
        assert mean in text
        assert FEDERAL.content_hash[:8] in text
    assert "усечено" in ru
    assert "truncated" in en
    with pytest.raises(InvalidInput):
        e.render("de")


def test_explain_false_skips_the_mark_lists_but_not_the_value() -> None:
    marks = [gm(5), gm(4), gm(2, 0)]
    fast = compute_period_mark(marks, FEDERAL, hours_per_week=2, lessons_total=10, lessons_missed=0, explain=False)
    full = period(marks)
    assert fast.value == full.value
    assert fast.mean == full.mean
    assert fast.explanation.used == ()
    assert fast.explanation.detailed is False


def test_bad_lesson_counts_are_refused() -> None:
    with pytest.raises(InvalidInput):
        period([gm(5)], total=3, missed=4)


# ---------------------------------------------------------------------- issue 9: grading fixes


def test_a_capped_four_names_the_threshold_of_four_not_of_five() -> None:
    # Seven 5s and a 2: 37/8 = 4.625, a 5 by the table (from 4.5), capped to 4 under tatarstan.
    # The explanation must name 3.5, the lowest mean that still gives the 4, never 4.5.
    capped = period([gm(5)] * 7 + [gm(2)], TATARSTAN)
    assert capped.value == 4
    assert capped.explanation.threshold == Fraction(7, 2)
    assert "3.5" in capped.explanation.render("en")
    assert "4.5" not in capped.explanation.render("en")


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (RoundingMethod.HALF_UP, Fraction(7, 2)),  # a 4 from 3.5 up
        (RoundingMethod.FLOOR, Fraction(4)),  # a 4 from 4 up
        (RoundingMethod.FAVOUR, Fraction(3)),  # a 4 from anything above 3
    ],
)
def test_the_capped_threshold_under_other_rounding_rules(method: RoundingMethod, expected: Fraction) -> None:
    policy = TATARSTAN.evolve(period=attrs_evolve(TATARSTAN.period, rounding=Rounding(method)))
    # 5, 5, 5, 5, 2 -> 22/5 = 4.4: half up 4, floor 4, favour 5; with five 5s -> 27/6 = 4.5.
    capped = period([gm(5)] * 5 + [gm(2)], policy)
    assert capped.value == 4
    assert capped.explanation.threshold == expected


@pytest.mark.parametrize("hours", [2.0, 1.5, True, "2", None])
def test_weekly_hours_must_be_exact(hours: object) -> None:
    with pytest.raises(InvalidInput) as e:
        compute_period_mark([gm(5)], FEDERAL, hours_per_week=hours, lessons_total=10, lessons_missed=0)  # type: ignore[arg-type]
    assert e.value.where == "hours_per_week"
    with pytest.raises(InvalidInput) as e:
        find_fewest_marks(
            [gm(3)],
            FEDERAL,
            target=5,
            grades=(1, 2, 3, 4, 5),
            options=[("cw", Fraction(1))],
            hours_per_week=hours,  # type: ignore[arg-type]
            lessons_total=10,
            lessons_missed=0,
        )
    assert e.value.where == "hours_per_week"


def test_weekly_hours_as_int_and_fraction_are_accepted() -> None:
    marks = [gm(4)] * 4
    # 5/2 h a week needs 5 marks under federal: 4 marks with every lesson missed is н/а.
    assert period(marks, hours=Fraction(5, 2), total=8, missed=8).value is Status.NOT_CERTIFIED  # type: ignore[arg-type]
    assert period(marks, hours=2, total=8, missed=8).value == 4


@pytest.mark.parametrize("argument", ["lessons_total", "lessons_missed"])
@pytest.mark.parametrize("bad", [10.0, 3.0, True, Fraction(3), "3", -1])
def test_lesson_counts_must_be_whole_numbers(argument: str, bad: object) -> None:
    counts: dict[str, object] = {"lessons_total": 10, "lessons_missed": 3}
    counts[argument] = bad
    with pytest.raises(InvalidInput) as e:
        compute_period_mark([gm(5)], FEDERAL, hours_per_week=2, **counts)  # type: ignore[arg-type]
    assert e.value.where == argument
    with pytest.raises(InvalidInput) as e:
        find_fewest_marks(
            [gm(3)],
            FEDERAL,
            target=5,
            grades=(1, 2, 3, 4, 5),
            options=[("cw", Fraction(1))],
            hours_per_week=2,
            **counts,  # type: ignore[arg-type]
        )
    assert e.value.where == argument


@pytest.mark.parametrize("bad", [85, 0, -3, 6])
def test_marks_off_the_policy_scale_are_refused_everywhere(bad: int) -> None:
    with pytest.raises(InvalidInput) as e:
        period([gm(5), gm(bad)])
    assert e.value.where == "marks[1]"
    with pytest.raises(InvalidInput) as e:
        compute_annual_mark([("q1", 4), ("q2", bad)], FEDERAL)
    assert e.value.where == "periods[1]"
    with pytest.raises(InvalidInput) as e:
        compute_final_mark_grade9(bad, 4, FEDERAL)
    assert e.value.where == "annual"
    with pytest.raises(InvalidInput) as e:
        compute_final_mark_grade9(4, bad, FEDERAL)
    assert e.value.where == "exam"
    with pytest.raises(InvalidInput) as e:
        compute_final_mark_grade11([5, bad], [4], FEDERAL)
    assert e.value.where == "grade10_marks[1]"
    with pytest.raises(InvalidInput) as e:
        compute_final_mark_grade11([5], [4, 4, bad], FEDERAL)
    assert e.value.where == "grade11_marks[2]"
    with pytest.raises(InvalidInput) as e:
        find_fewest_marks(
            [gm(bad)],
            FEDERAL,
            target=5,
            grades=(1, 2, 3, 4, 5),
            options=[("cw", Fraction(1))],
            hours_per_week=2,
            lessons_total=10,
            lessons_missed=0,
        )
    assert e.value.where == "marks[0]"
    with pytest.raises(InvalidInput) as e:
        find_fewest_marks(
            [gm(3)],
            FEDERAL,
            target=5,
            grades=(1, 2, 3, 4, 5, bad),
            options=[("cw", Fraction(1))],
            hours_per_week=2,
            lessons_total=10,
            lessons_missed=0,
        )
    assert e.value.where == "grades[5]"


def test_a_scale_passed_in_or_named_by_the_policy_admits_its_grades() -> None:
    # 8 and 9 are grades of the ten-point scale: (8 + 9) / 2 = 8.5 -> 9 (half up).
    assert compute_annual_mark([("q1", 8), ("q2", 9)], FEDERAL, scale=TEN_POINT).value == 9
    assert compute_annual_mark([("q1", 8), ("q2", 9)], FEDERAL.evolve(scale="ten")).value == 9
    with pytest.raises(InvalidInput):
        compute_annual_mark([("q1", 8), ("q2", 9)], FEDERAL)
    # Statuses are not grades but are always admitted (they are never averaged).
    assert period([gm(5), gm(Status.NOT_CERTIFIED)]).value == 5


def test_three_marks_per_quarter_five_per_half_year() -> None:
    rule = attrs_evolve(
        FEDERAL.period,
        min_marks=(
            MinMarksRow(None, 3, PeriodKind.QUARTER),
            MinMarksRow(None, 5, PeriodKind.HALF_YEAR),
            MinMarksRow(None, 4),
        ),
    )
    policy = FEDERAL.evolve(period=rule)
    four_marks = [gm(4)] * 4

    def mark(kind: PeriodKind | None) -> object:
        return compute_period_mark(
            four_marks, policy, hours_per_week=1, lessons_total=8, lessons_missed=8, period_kind=kind
        ).value

    assert mark(PeriodKind.QUARTER) == 4  # 4 marks >= 3
    assert mark(PeriodKind.HALF_YEAR) is Status.NOT_CERTIFIED  # 4 marks < 5, every lesson missed
    assert mark(PeriodKind.TRIMESTER) == 4  # the kind-less row: 4 >= 4
    assert mark(None) == 4
    assert policy.period.required_marks(Fraction(1), PeriodKind.HALF_YEAR) == 5


def test_the_journal_applies_the_minimum_of_the_period_kind() -> None:
    rule = attrs_evolve(FEDERAL.period, min_marks=(MinMarksRow(None, 3, "quarter"), MinMarksRow(None, 5, "half_year")))
    policy = FEDERAL.evolve(period=rule)
    for scheme, pid, expected in (("quarters", "q1", 4), ("halves", "h1", Status.NOT_CERTIFIED)):
        # 4 marks of 4, and 4 of the 8 lessons missed (1/2 > 1/3): a quarter needs 3, a half-year 5.
        j = journal(5, scheme=scheme)
        lids = add_lessons(j, "c-math", [date(2025, 9, 2 + i) for i in range(8)])
        teacher = Actor("t1", Role.SUBJECT_TEACHER)
        for lid in lids[:4]:
            j.record_mark("s1", lid, 4, "cw", by=teacher)
        for lid in lids[4:]:
            j.record_attendance("s1", lid, "н", by=teacher)
        assert propose_period_mark(j, "s1", "c-math", pid, policy).value == expected
        assert propose_period_marks(j, policy)[ResultKey("s1", "c-math", ResultKind.PERIOD, pid)].value == expected


def test_grade_9_final_from_values() -> None:
    # 4 and 3 -> 7/2 = 3.5 -> 4 (half up); 5 and 4 -> 4.5 -> 5; 3 and 2 -> 2.5 -> 3.
    assert compute_final_mark_grade9(4, 3, FEDERAL).value == 4
    assert compute_final_mark_grade9(5, 4, FEDERAL).value == 5
    assert compute_final_mark_grade9(3, 2, FEDERAL).value == 3
    assert compute_final_mark_grade9(4, 3, FEDERAL).explanation.threshold == Fraction(7, 2)
    assert compute_final_mark_grade9(4, None, FEDERAL).value is None  # no exam yet: not a zero
    assert compute_final_mark_grade9(None, 5, FEDERAL).value is None
    assert compute_final_mark_grade9(3, None, FEDERAL, examined=False).value == 3
    assert compute_final_mark_grade9(Status.NOT_CERTIFIED, 5, FEDERAL).value is Status.NOT_CERTIFIED
    assert compute_final_mark_grade9(5, Status.NOT_CERTIFIED, FEDERAL).value is Status.NOT_CERTIFIED
    assert compute_final_mark_grade9(Status.EXEMPT, None, FEDERAL).value is Status.EXEMPT


def test_grade_11_final_from_values() -> None:
    # Grade 10: 5, 5, 5; grade 11: 4, 4, 4 -> 27/6 = 4.5 -> 5; 4, 5, 5 + 4, 4, 4 -> 26/6 -> 4.
    assert compute_final_mark_grade11([5, 5, 5], [4, 4, 4], FEDERAL).value == 5
    assert compute_final_mark_grade11([4, 5, 5], [4, 4, 4], FEDERAL).value == 4
    assert compute_final_mark_grade11([], [], FEDERAL).value is None
    # "осв." and "зач." are skipped, never zeros: (5 + 4) / 2 = 4.5 -> 5.
    assert compute_final_mark_grade11([5, Status.EXEMPT], [4], FEDERAL).value == 5
    assert compute_final_mark_grade11([5, 5], [5, Status.NOT_CERTIFIED], FEDERAL).value is Status.NOT_CERTIFIED
    assert compute_final_mark_grade11([Status.NOT_CERTIFIED], [5, 5, 5], FEDERAL).value is Status.NOT_CERTIFIED


def test_a_grade_11_not_certified_annual_is_not_a_numeric_final_mark() -> None:
    # Periods 4 and 4, annual "н/а", grade 10 all 5s: the old code averaged 5, 5, 5, 4, 4 -> 5.
    j = journal(11, scheme="halves")
    j.set_period_mark("s1", "c-math", "h1", 4, by=ADMIN)
    j.set_period_mark("s1", "c-math", "h2", 4, by=ADMIN)
    j.set_annual_mark("s1", "c-math", Status.NOT_CERTIFIED, by=ADMIN)
    result = propose_final_mark(j, "s1", "c-math", FEDERAL, earlier_results=[5, 5, 5])
    assert result.value is Status.NOT_CERTIFIED
    assert result.explanation.has_note("na_final")
    # Grade 9 keeps an "н/а" annual as it is.
    j9 = journal(9, examined=True)
    j9.set_annual_mark("s1", "c-math", Status.NOT_CERTIFIED, by=ADMIN)
    assert propose_final_mark(j9, "s1", "c-math", FEDERAL).value is Status.NOT_CERTIFIED

"""Statistics: worked examples computed by hand from DOMAIN.md's formulas."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction

import pytest

from ejournal.core.calendar import AcademicYear, quarters
from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.journal import Actor, ClassJournal, FixedClock, ResultKind, Role
from ejournal.core.model import (
    AssessmentKind,
    ClassGroup,
    Course,
    Lesson,
    PersonName,
    School,
    Student,
    Subject,
    Teacher,
)
from ejournal.core.scales import PASS_FAIL, TEN_POINT, MarkValue, Status, WorkType
from ejournal.core.stats import (
    Counting,
    Denominator,
    GradeCounts,
    SouVariant,
    StatsSettings,
    categorize_students,
    categorize_values,
    class_stats,
    format_decimal,
    pooled_course_ids,
    round_half_up,
    stats_from_values,
    subject_stats,
)

NA, EX, PASS, FAIL = Status.NOT_CERTIFIED, Status.EXEMPT, Status.PASS, Status.FAIL
YEAR = AcademicYear(2025)
Q = quarters(YEAR)
ADMIN = Actor("admin", Role.ADMINISTRATOR)
TEACHER = Actor("t1", Role.SUBJECT_TEACHER)


# ---------------------------------------------------------------------------- pure formulas


def test_the_worked_example_of_the_brief() -> None:
    # 10 students: 2×5, 3×4, 3×3, 1×2, 1×н/а, plus 1 осв. (not in N).
    values: list[MarkValue | None] = [5, 5, 4, 4, 4, 3, 3, 3, 2, NA, EX]
    s = stats_from_values(values)
    assert s.n == 10
    assert (s.counts.of(5), s.counts.of(4), s.counts.of(3), s.counts.of(2), s.counts.of(1)) == (2, 3, 3, 1, 0)
    assert (s.n_na, s.n_exempt) == (1, 1)
    assert s.success_rate == Fraction(8, 10)
    assert s.quality_rate == Fraction(5, 10)
    assert s.sou == Fraction(200 + 192 + 108 + 16 + 7, 10)  # 52.3 %
    assert s.average_mark == Fraction(10 + 12 + 9 + 2, 9)  # 33/9: н/а is not averaged
    assert (s.success_text(), s.quality_text(), s.sou_text(), s.average_text()) == ("80,0", "50,0", "52,3", "3,67")


def test_sou_variant_moves_the_weight_7_from_na_to_the_mark_one() -> None:
    values: list[MarkValue | None] = [5, 1, 1, NA]
    default = stats_from_values(values)
    assert default.n == 4
    assert default.sou == Fraction(100 + 7, 4)  # 26.75: mark 1 weighs 0, н/а 7
    assert default.sou_text() == "26,8"  # half-up, not half-even
    variant = stats_from_values(values, StatsSettings(sou_variant=SouVariant.WEIGHT_7_ON_MARK_ONE))
    assert variant.sou == Fraction(100 + 7 + 7, 4)  # 28.5: н/а weighs 0 but stays in N
    assert variant.sou_text() == "28,5"


def test_denominator_without_not_certified() -> None:
    values: list[MarkValue | None] = [5, 4, NA, EX]
    default = stats_from_values(values)
    assert default.n == 3
    assert default.success_rate == Fraction(2, 3)
    assert default.success_text() == "66,7"
    assert default.sou == Fraction(100 + 64 + 7, 3)  # 57
    assert default.sou_text() == "57,0"
    strict = stats_from_values(values, StatsSettings(denominator=Denominator.CERTIFIED_ONLY))
    assert strict.n == 2
    assert strict.success_rate == 1
    assert strict.sou == Fraction(164, 2)


def test_missing_marks_are_not_zeros_and_not_in_n() -> None:
    s = stats_from_values([5, None, None, 3])
    assert s.n == 2
    assert s.n_missing == 2
    assert s.average_mark == 4
    assert s.success_rate == 1


def test_empty_group_has_no_rates() -> None:
    for values in ([], [None, EX]):
        s = stats_from_values(values)
        assert s.n == 0
        assert (s.success_rate, s.quality_rate, s.average_mark, s.sou) == (None, None, None, None)
        assert (s.success_text(), s.quality_text(), s.sou_text(), s.average_text()) == ("", "", "", "")


def test_only_not_certified() -> None:
    s = stats_from_values([NA, NA])
    assert s.n == 2
    assert s.success_rate == 0
    assert s.sou == 7
    assert s.average_mark is None


def test_ten_point_scale_has_success_and_average_but_no_quality_or_sou() -> None:
    s = stats_from_values([10, 7, 4, 3, NA], scale=TEN_POINT)
    assert s.n == 5
    assert s.success_rate == Fraction(3, 5)  # pass_from 4
    assert s.average_mark == Fraction(24, 4)
    assert s.quality_rate is None
    assert s.sou is None
    assert s.counts.grades[0] == (10, 1)  # highest first, every grade of the scale listed
    assert len(s.counts.grades) == 10


def test_pass_fail_scale_counts_credits() -> None:
    s = stats_from_values([PASS, PASS, FAIL, EX, None], scale=PASS_FAIL)
    assert s.n == 3
    assert s.success_rate == Fraction(2, 3)
    assert (s.average_mark, s.quality_rate, s.sou) == (None, None, None)
    assert (s.counts.passed, s.counts.failed, s.counts.exempt, s.counts.missing) == (2, 1, 1, 1)


@pytest.mark.parametrize("bad", [6, 0, True, PASS, "5", 4.0])
def test_values_off_the_scale_are_refused_with_their_place(bad: object) -> None:
    with pytest.raises(InvalidInput) as err:
        stats_from_values([5, bad], where="math annual")  # type: ignore[list-item]
    assert err.value.where == "math annual[1]"


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (Fraction(1, 8), 2, "0.13"),  # round(0.125, 2) == 0.12 would be wrong
        (Fraction(5, 2), 0, "3"),  # round(2.5) == 2 would be wrong
        (Fraction(-5, 2), 0, "-3"),
        (Fraction(2, 3), 1, "0.7"),
        (Fraction(100, 3), 1, "33.3"),
        (Fraction(44449, 1000), 1, "44.4"),  # rounding twice (44.45 → 44.5) would be wrong
        (Fraction(7), 2, "7.00"),
        (Fraction(0), 1, "0.0"),
    ],
)
def test_format_decimal_rounds_once_half_up(value: Fraction, digits: int, text: str) -> None:
    assert format_decimal(value, digits) == text
    assert format_decimal(value, digits, ",") == text.replace(".", ",")


def test_round_half_up_is_exact() -> None:
    assert round_half_up(Fraction(3565, 1000), 2) == Fraction(357, 100)
    with pytest.raises(InvalidInput):
        round_half_up(Fraction(1), -1)


def test_display_digits_are_settings() -> None:
    s = stats_from_values([5, 4, 3], StatsSettings(percent_digits=0, average_digits=1, decimal_separator="."))
    assert s.success_text() == "100"
    assert s.quality_text() == "67"  # 66.67
    assert s.sou_text() == "67"  # (100+64+36)/3 = 66.67
    assert s.average_text() == "4.0"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"percent_digits": -1},
        {"percent_digits": 7},
        {"average_digits": True},
        {"decimal_separator": ""},
        {"decimal_separator": "1"},
        {"counting": "per_mark"},
        {"denominator": None},
        {"sou_variant": 7},
    ],
)
def test_settings_are_validated(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidInput) as err:
        StatsSettings(**kwargs)  # type: ignore[arg-type]
    assert err.value.where.startswith("stats_settings.")


def test_grade_counts_are_validated() -> None:
    with pytest.raises(InvalidInput):
        GradeCounts(((5, 1), (5, 2)))
    with pytest.raises(InvalidInput):
        GradeCounts(((5, -1),))
    with pytest.raises(InvalidInput):
        GradeCounts(((5, 1),), not_certified=-1)


def test_to_dict_has_exact_fractions_and_display_texts() -> None:
    d = stats_from_values([5, 5, 4, 4, 4, 3, 3, 3, 2, NA, EX]).to_dict()
    assert d["sou"] == "523/10"
    assert d["success_rate"] == "4/5"
    assert d["grades"] == {"5": 2, "4": 3, "3": 3, "2": 1, "1": 0}
    assert d["display"] == {
        "success_percent": "80,0",
        "quality_percent": "50,0",
        "average_mark": "3,67",
        "sou_percent": "52,3",
    }


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([5, 5, 5], {"all_fives"}),
        ([5, PASS, 5], {"all_fives"}),
        ([5, 4, 5], {"fours_and_fives", "one_four"}),
        ([4, 4, 5], {"fours_and_fives"}),
        ([5, 3, 4], {"one_three"}),
        ([3, 3, 5], set()),
        ([5, 2], {"failing"}),
        ([5, 1], {"failing"}),
        ([5, FAIL], {"failing"}),
        ([5, NA], {"not_certified"}),
        ([2, NA], {"failing", "not_certified"}),
        ([5, EX, None], {"all_fives"}),
        ([PASS], set()),
    ],
)
def test_categories_of_one_student(values: list[MarkValue | None], expected: set[str]) -> None:
    assert categorize_values(values) == frozenset(expected | {"assessed"})


def test_a_student_with_no_results_is_in_no_category() -> None:
    assert categorize_values([EX, None]) == frozenset()


# ---------------------------------------------------------------------------- over a journal


def _journal(courses: list[tuple[str, str, str, AssessmentKind]]) -> ClassJournal:
    """Four students a..d; courses as (id, name, scale id, assessment) in curriculum order."""
    subjects = {cid: Subject(cid, name, i, assessment) for i, (cid, name, _, assessment) in enumerate(courses, 1)}
    return ClassJournal(
        School("s", "Школа"),
        ClassGroup("8a", 8, "А", YEAR, "t1"),
        students={sid: Student(sid, PersonName(f"Ученик{sid}", "Имя"), date(2025, 9, 1)) for sid in "abcd"},
        teachers={"t1": Teacher("t1", PersonName("Учитель", "Имя"))},
        subjects=subjects,
        courses={cid: Course(cid, cid, "t1", 2, Q.id, scale_id=scale) for cid, _, scale, _ in courses},
        schemes={Q.id: Q},
        work_types={"cw": WorkType("cw", "классная", 1)},
        clock=FixedClock(datetime(2026, 5, 27, tzinfo=UTC)),
    )


GRADED = AssessmentKind.GRADED


def test_subject_and_class_stats_and_categories_from_the_results() -> None:
    j = _journal(
        [
            ("math", "Математика", "five", GRADED),
            ("pe", "Физкультура", "five", GRADED),
            ("music", "Музыка", "pass_fail", AssessmentKind.PASS_FAIL),
            ("info", "Информатика", "ten", GRADED),
        ]
    )
    annual = {
        "a": {"math": 5, "pe": 5, "music": PASS, "info": 9},
        "b": {"math": 4, "pe": EX, "music": PASS, "info": 6},
        "c": {"math": 3, "pe": 4, "music": FAIL, "info": 3},
        "d": {"math": NA, "pe": 5, "music": PASS},
    }
    for sid, marks in annual.items():
        for cid, value in marks.items():
            j.set_annual_mark(sid, cid, value, by=ADMIN)

    math = subject_stats(j, "math")
    assert (math.n, math.success_rate, math.quality_rate) == (4, Fraction(3, 4), Fraction(2, 4))
    pe = subject_stats(j, "pe")
    assert (pe.n, pe.n_exempt, pe.quality_rate) == (3, 1, 1)
    info = subject_stats(j, "info")
    assert (info.n, info.n_missing, info.success_rate, info.average_mark) == (3, 1, Fraction(2, 3), 6)
    assert info.sou is None

    # The class pools the graded five-point courses: math and pe, not music (pass/fail) or info (ten-point).
    assert pooled_course_ids(j) == ["math", "pe"]
    c = class_stats(j)
    # 5,4,3,н/а + 5,осв.,4,5  →  N = 7
    assert c.n == 7
    assert c.success_rate == Fraction(6, 7)
    assert c.quality_rate == Fraction(5, 7)
    assert c.sou == Fraction(3 * 100 + 2 * 64 + 36 + 7, 7)
    assert c.sou_text() == "67,3"  # 471/7 = 67.2857...
    assert c.average_text() == "4,33"  # 26/6

    cats = categorize_students(j, order=["d", "c", "b", "a"])
    assert cats.assessed == ("d", "c", "b", "a")
    assert cats.all_fives == ("a",)
    assert cats.fours_and_fives == ("b",)
    assert cats.one_four == ("b",)
    assert cats.one_three == ()
    assert cats.failing == ("c",)  # незач. in music
    assert cats.not_certified == ("d",)
    assert categorize_students(j).assessed == ("a", "b", "c", "d")


def _lessons_and_marks(j: ClassJournal) -> None:
    lessons = [("l1", date(2025, 9, 2)), ("l2", date(2025, 9, 3)), ("l3", date(2025, 11, 10))]
    for lid, day in lessons:
        j.add_lesson(Lesson(lid, "math", day), by=TEACHER)
    for sid, lid, value in [("a", "l1", 5), ("a", "l2", 4), ("a", "l3", 3), ("b", "l1", 2), ("c", "l1", 5)]:
        j.record_mark(sid, lid, value, "cw", by=ADMIN)


def test_per_mark_counting_counts_lesson_marks_and_skips_exempt_students() -> None:
    j = _journal([("math", "Математика", "five", GRADED)])
    _lessons_and_marks(j)
    for sid, value in [("a", 4), ("b", 2), ("c", EX)]:
        j.set_period_mark(sid, "math", "q1", value, by=ADMIN)
        j.set_annual_mark(sid, "math", value, by=ADMIN)
    per_mark = StatsSettings(counting=Counting.PER_MARK)

    q1 = subject_stats(j, "math", ResultKind.PERIOD, "q1", per_mark)
    # a: 5, 4; b: 2; c is exempt in q1 so their 5 is left out.
    assert q1.n == 3
    assert q1.success_rate == Fraction(2, 3)
    assert q1.sou == Fraction(100 + 64 + 16, 3)
    year = subject_stats(j, "math", ResultKind.ANNUAL, "", per_mark)
    assert year.n == 4  # 5, 4, 3 (q2), 2
    assert year.average_mark == Fraction(14, 4)

    per_student = subject_stats(j, "math", ResultKind.PERIOD, "q1")
    assert (per_student.n, per_student.n_exempt, per_student.n_missing) == (2, 1, 1)
    assert class_stats(j, ResultKind.PERIOD, "q1", per_mark) == q1


def test_journal_functions_name_bad_columns() -> None:
    j = _journal([("math", "Математика", "five", GRADED)])
    with pytest.raises(NotFound):
        subject_stats(j, "chemistry")
    with pytest.raises(NotFound):
        subject_stats(j, "math", ResultKind.PERIOD, "h1")
    with pytest.raises(InvalidInput):
        subject_stats(j, "math", ResultKind.PERIOD)
    with pytest.raises(InvalidInput):
        subject_stats(j, "math", ResultKind.ANNUAL, "q1")
    with pytest.raises(InvalidInput):
        subject_stats(j, "math", ResultKind.EXAM)
    with pytest.raises(NotFound):
        class_stats(j, ResultKind.PERIOD, "q9")
    with pytest.raises(InvalidInput):
        categorize_students(j, order=["a", "zz"])

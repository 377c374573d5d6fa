"""Statistics: worked examples computed by hand from DOMAIN.md's formulas."""

from __future__ import annotations

import json
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
from ejournal.core.summary import SubjectColumns, SummarySheet, build_summary_sheet
from ejournal.demo import generate_class_journal
from ejournal.i18n import collator
from ejournal.render.i18n import catalog
from ejournal.render.table import RowRole
from ejournal.render.tabular import column_label, rows

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


# ---------------------------------------------------------------- a demo class recounted by hand
#
# The demo class's summary sheet is recounted here from its grid cells alone, with plain loops
# and DOMAIN.md's per-student rules; nothing below calls ejournal.core.stats.  Every class figure
# the sheet prints (the per-student class rows and the category table with names) must agree.


@pytest.fixture(scope="module")
def demo9_journal() -> ClassJournal:
    return generate_class_journal(grade=9, students=28, seed=11)


@pytest.fixture(scope="module")
def demo9(demo9_journal: ClassJournal) -> SummarySheet:
    return build_summary_sheet(demo9_journal, collator=collator("ru"))


@pytest.fixture(scope="module")
def demo11() -> SummarySheet:
    return build_summary_sheet(generate_class_journal(grade=11, students=28, seed=11), collator=collator("ru"))


@pytest.fixture(scope="module")
def with_history() -> dict[int, SummarySheet]:
    """Grade 9 and 11 sheets built with their earlier years (grade 10's columns, finished subjects)."""
    from ejournal.demo import generate_school

    years = generate_school(classes=11, students=275, seed=5)
    earlier = [j for y in years[:-1] for j in y.journals.values()]
    return {
        j.class_group.grade: build_summary_sheet(j, collator=collator("ru"), earlier=earlier)
        for j in years[-1].journals.values()
        if j.class_group.grade in (9, 11)
    }


def _tenths_of_percent(part: int, whole: int) -> str:
    """part/whole in percent, one decimal, half-up, by integer arithmetic ("82,1")."""
    tenths = (2000 * part + whole) // (2 * whole)
    return f"{tenths // 10},{tenths % 10}"


def _hand_columns(sheet: SummarySheet) -> list[tuple[str, list[tuple[str, ResultKind, str]]]]:
    """(printed column label, the cell keys it takes) for every class column, by hand."""
    finest = None
    for scheme in sheet.header.schemes:
        if finest is None or len(scheme.periods) > len(finest.periods):
            finest = scheme
    assert finest is not None
    schemes = {s.id: s for s in sheet.header.schemes}

    def counted(s: object, exam: bool) -> bool:
        assert isinstance(s, SubjectColumns)
        scale = (s.exam_scale_id or s.scale_id) if exam else s.scale_id
        return (s.assessment == "graded" and scale == "five") or scale == "pass_fail"

    out = []
    for p in finest.periods:
        keys = [
            (s.course_id, ResultKind.PERIOD, q.id)
            for s in sheet.subjects
            if counted(s, False) and not s.finished_grade
            for q in schemes[s.scheme_id].periods
            if p.start <= q.end <= p.end
        ]
        out.append((p.label, keys))
    this_year = [s for s in sheet.subjects if not s.finished_grade]
    out.append(("год", [(s.course_id, ResultKind.ANNUAL, "") for s in this_year if counted(s, False)]))
    if sheet.header.graduating:
        exams = [(s.course_id, ResultKind.EXAM, "") for s in sheet.subjects if s.examined and counted(s, True)]
        if exams:
            out.append(("экз.", exams))
        out.append(("итог.", [(s.course_id, ResultKind.FINAL, "") for s in sheet.subjects if counted(s, False)]))
    return out


def _hand_categories(sheet: SummarySheet, keys: list[tuple[str, ResultKind, str]]) -> dict[str, list[str]]:
    """Students (short names, row order) by category, recounted from the cells."""
    out: dict[str, list[str]] = {
        k: []
        for k in (
            "counted",
            "excluded",
            "excellent",
            "good",
            "one_four",
            "one_three",
            "other",
            "unsuccessful",
            "failing",
            "na",
        )
    }
    for row in sheet.rows:
        # this year's cells, and the final marks of subjects finished in earlier grades (which
        # count in the class's final figures); grade 10's columns on a grade-11 sheet do not
        by_key = {
            (c.course_id, c.kind, c.period_id): c.value for c in row.cells if c.grade == 0 or c.kind is ResultKind.FINAL
        }
        values = [by_key[k] for k in keys if by_key[k] is not None and by_key[k] is not Status.EXEMPT]
        name = row.short_name
        if not values:
            out["excluded"].append(name)
            continue
        out["counted"].append(name)
        grades = [v for v in values if isinstance(v, int)]
        failing = Status.FAIL in values or any(g < 3 for g in grades)
        na = Status.NOT_CERTIFIED in values
        if failing:
            out["failing"].append(name)
        if na:
            out["na"].append(name)
        if failing or na:
            out["unsuccessful"].append(name)
        elif not grades:
            out["other"].append(name)  # only "зач.": successful, in no grade category
        elif grades.count(3) == 0 and grades.count(4) == 0:
            out["excellent"].append(name)  # only 5s (and "зач.")
        elif grades.count(3) == 0:
            out["good"].append(name)
            if grades.count(4) == 1:
                out["one_four"].append(name)
        elif grades.count(3) == 1:
            out["one_three"].append(name)
        else:
            out["other"].append(name)
    return out


def _printed(sheet: SummarySheet, section: str) -> list[list[str]]:
    return [list(r.cells) for r in rows(sheet) if r.section == section and r.role is RowRole.BODY]


@pytest.mark.parametrize(("grade", "history"), [(9, False), (11, False), (9, True), (11, True)])
def test_every_printed_class_figure_is_recounted_from_the_grid(
    grade: int, history: bool, demo9: SummarySheet, demo11: SummarySheet, with_history: dict[int, SummarySheet]
) -> None:
    sheet = with_history[grade] if history else demo9 if grade == 9 else demo11
    assert any(c.grade for c in sheet.columns) == history
    columns = _hand_columns(sheet)
    assert [column_label(c.kind, c.label, catalog("ru")) for c in sheet.statistics.class_columns] == [
        label for label, _ in columns
    ]
    class_rows = _printed(sheet, "class_stats")
    category_rows = _printed(sheet, "categories")
    on_list = len(sheet.rows)
    expected_class, expected_categories = [], []
    for label, keys in columns:
        hand = _hand_categories(sheet, keys)
        n = len(hand["counted"])
        successful = len(hand["excellent"]) + len(hand["good"]) + len(hand["one_three"]) + len(hand["other"])
        quality = len(hand["excellent"]) + len(hand["good"])
        rates = ["", ""] if n == 0 else [_tenths_of_percent(successful, n), _tenths_of_percent(quality, n)]
        expected_class.append(
            ["Класс", label, str(on_list), str(n), str(len(hand["excluded"])), str(successful), str(quality), *rates]
        )
        table = [
            ("Отличники", "excellent"),
            ("На «4» и «5»", "good"),
            ("в т. ч. с одной «4»", "one_four"),
            ("С одной «3»", "one_three"),
            ("Остальные успевающие", "other"),
            ("Не успевают («2» или н/а)", "unsuccessful"),
            ("в т. ч. с «2»", "failing"),
            ("в т. ч. н/а", "na"),
        ]
        if n:
            for title, key in table:
                expected_categories.append([label, title, str(len(hand[key])), ", ".join(hand[key])])
        expected_categories.append([label, "Итого учтено (N)", str(n), ""])
        expected_categories.append(
            [label, "Не учтены (осв., без отметок)", str(len(hand["excluded"])), ", ".join(hand["excluded"])]
        )
        expected_categories.append([label, "В списке", str(on_list), ""])
        # the totals reconcile: the disjoint categories add up to N, N and the excluded to the list
        assert successful + len(hand["unsuccessful"]) == n
        assert n + len(hand["excluded"]) == on_list
    assert class_rows == expected_class
    assert category_rows == expected_categories
    # the demo is not degenerate: real categories with names are printed
    assert any(r[1] == "На «4» и «5»" and r[2] != "0" for r in category_rows)
    assert any(r[1] == "в т. ч. с «2»" and r[2] != "0" for r in category_rows) or grade == 11


def test_a_test_score_exam_never_enters_the_five_point_figures(demo11: SummarySheet) -> None:
    sheet = demo11
    exams = [s for s in sheet.subjects if s.examined]
    assert exams
    assert all(s.exam_scale_id == "ege100" for s in exams)
    stats_rows = _printed(sheet, "stats")
    for s in exams:
        scores = [r.cell(s.course_id, ResultKind.EXAM).value for r in sheet.rows]
        numbers = [v for v in scores if isinstance(v, int)]
        assert numbers
        assert max(numbers) > 5  # test scores, not marks
        hundredths = (2 * 100 * sum(numbers) + len(numbers)) // (2 * len(numbers))
        mean = f"{hundredths // 100},{hundredths % 100:02d}"
        # the column is headed as scores, not as an exam mark
        printed = [r for r in stats_rows if r[0] == s.subject_name and r[1] == "балл ЕГЭ"]
        # N, then no «5»…«2» counts, no success, quality or СОУ: the mean score only
        assert printed == [[s.subject_name, "балл ЕГЭ", str(len(numbers)), "", "", "", "", "0", "0", "", "", mean, ""]]
        figures = sheet.statistics.subjects[[x.course_id for x in sheet.subjects].index(s.course_id)].stats[-2]
        assert figures.scores_only
        assert (figures.success_rate, figures.quality_rate, figures.sou) == (None, None, None)
    # no exam column for the class: every exam of grade 11 is a test score
    assert ResultKind.EXAM not in [c.kind for c in sheet.statistics.class_columns]


def test_per_mark_counting_prints_the_pooled_class_lines_instead(
    demo9_journal: ClassJournal, demo9: SummarySheet
) -> None:
    settings = StatsSettings(counting=Counting.PER_MARK)
    per_mark = build_summary_sheet(demo9_journal, collator=collator("ru"), settings=settings)
    assert _printed(per_mark, "class_stats") == []
    pooled = [r for r in _printed(per_mark, "stats") if r[0] == "Класс"]
    year = demo9.statistics.class_columns[-3]  # annual: exam and final follow in grade 9
    assert year.kind is ResultKind.ANNUAL
    assert [r[1] for r in pooled] == [
        column_label(c.kind, c.label, catalog("ru")) for c in demo9.statistics.class_columns
    ]
    # the pooled annual line counts lesson marks: far more than the 28 students; the categories
    # stay per student whatever the counting
    assert int(pooled[-3][2]) > 10 * len(demo9.rows)
    assert _printed(per_mark, "categories") == _printed(demo9, "categories")


def test_the_snapshot_carries_the_per_student_statistics_losslessly(demo9: SummarySheet) -> None:
    data = json.loads(demo9.canonical_json())
    again = SummarySheet.from_dict(data)
    assert again == demo9
    assert again.content_hash == demo9.content_hash
    year = data["statistics"]["class_columns"][-3]["categories"]
    assert year["n"] + year["excluded"] == len(year["members"]) == len(demo9.rows)
    # a changed derived count is refused
    data["statistics"]["class_columns"][-3]["categories"]["successful"] += 1
    with pytest.raises(InvalidInput) as caught:
        SummarySheet.from_dict(data)
    assert (
        caught.value.where
        == f"statistics.class_columns[{len(demo9.statistics.class_columns) - 3}].categories.successful"
    )

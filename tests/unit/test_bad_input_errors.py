"""Bad input to public functions raises the library's errors, naming the place, never a raw built-in error."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from fractions import Fraction
from typing import Any

import attrs
import pytest

from ejournal.core.diary import period_report
from ejournal.core.errors import InvalidInput
from ejournal.core.grading import (
    GradingPolicy,
    Rounding,
    RoundingMethod,
    builtin_policy,
    compute_annual_mark,
    compute_period_mark,
    decide_promotion,
    find_fewest_marks,
    propose_annual_mark,
    propose_final_mark,
    propose_period_mark,
    propose_period_marks,
    what_if,
)
from ejournal.core.grading.engine import round_mean
from ejournal.core.history import rewind
from ejournal.core.journal import ClassJournal, ResultKind
from ejournal.core.stats import categorize_values
from ejournal.core.validation import validate
from ejournal.render import Orientation, Paper, RenderOptions, render
from ejournal.testing.conformance.builders import sample_journal

FEDERAL = builtin_policy("federal")


@pytest.fixture
def journal() -> ClassJournal:
    return sample_journal()


def _where(call: Callable[[], object]) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value


# ---------------------------------------------------------------------- grading: the policy argument

_WITH_POLICY: dict[str, Callable[[ClassJournal, Any], object]] = {
    "propose_period_mark": lambda j, p: propose_period_mark(j, "st-1", "c-math", "q1", p),
    "propose_period_marks": lambda j, p: propose_period_marks(j, p),
    "propose_annual_mark": lambda j, p: propose_annual_mark(j, "st-1", "c-math", p),
    "propose_final_mark": lambda j, p: propose_final_mark(j, "st-1", "c-math", p),
    "decide_promotion": lambda j, p: decide_promotion(j, "st-1", p),
    "what_if": lambda j, p: what_if(j, "st-1", "c-math", "q1", 5, p),
    "compute_period_mark": lambda _, p: compute_period_mark([], p, hours_per_week=2, lessons_total=0, lessons_missed=0),
    "compute_annual_mark": lambda _, p: compute_annual_mark([("q1", 5)], p),
    "find_fewest_marks": lambda _, p: find_fewest_marks(
        [],
        p,
        target=5,
        grades=(2, 3, 4, 5),
        options=[("cw", Fraction(1))],
        hours_per_week=2,
        lessons_total=0,
        lessons_missed=0,
    ),
}


@pytest.mark.parametrize("name", sorted(_WITH_POLICY))
def test_grading_refuses_a_policy_that_is_not_a_grading_policy(journal: ClassJournal, name: str) -> None:
    call = _WITH_POLICY[name]
    call(journal, FEDERAL)  # the same call with a real policy works
    error = _where(lambda: call(journal, "federal"))
    assert (error.where, error.value) == ("policy", "str")


def test_policy_from_dict_refuses_a_non_mapping() -> None:
    error = _where(lambda: GradingPolicy.from_dict(5, "school.toml"))  # type: ignore[arg-type]
    assert (error.where, error.value) == ("school.toml", "int")


# ---------------------------------------------------------------------- exact numbers


def test_round_mean_refuses_floats_and_rounds_exact_means_half_up() -> None:
    half_up = Rounding(RoundingMethod.HALF_UP)
    assert round_mean(Fraction(7, 2), half_up)[0] == 4  # 3.5 → 4, not banker's 4 → 4 / 2.5 → 2
    assert round_mean(Fraction(5, 2), half_up)[0] == 3
    assert round_mean(4, half_up)[0] == 4
    assert _where(lambda: round_mean(3.5, half_up)).where == "mean"  # type: ignore[arg-type]
    assert _where(lambda: round_mean(True, half_up)).where == "mean"
    assert _where(lambda: round_mean(Fraction(7, 2), "half_up")).where == "rounding"  # type: ignore[arg-type]


def test_compute_annual_mark_names_a_malformed_period_entry() -> None:
    error = _where(lambda: compute_annual_mark([("q1", 4), 5], FEDERAL))  # type: ignore[list-item]
    assert (error.where, error.value) == ("periods[1]", 5)
    assert _where(lambda: compute_annual_mark([(1, 4)], FEDERAL)).where == "periods[0]"  # type: ignore[list-item]


# ---------------------------------------------------------------------- grade-11 final marks


@pytest.fixture
def grade_11(journal: ClassJournal) -> ClassJournal:
    journal.class_group = attrs.evolve(journal.class_group, grade=11)
    # What the expected values below are derived from: st-1's math has q1 = 5 and the annual 5.
    periods = [journal.result("st-1", "c-math", ResultKind.PERIOD, p.id) for p in journal.scheme_of("c-math").periods]
    assert [None if r is None else r.value for r in periods] == [5, None, None, None]
    annual = journal.result("st-1", "c-math", ResultKind.ANNUAL)
    assert annual is not None
    assert annual.value == 5
    return journal


def test_grade_11_final_mark_averages_the_earlier_marks(grade_11: ClassJournal) -> None:
    # 3, 3, 3 (grade 10) with q1 5 and annual 5: 19/5 = 3.8 → 4.
    assert propose_final_mark(grade_11, "st-1", "c-math", FEDERAL, earlier_results=[3, 3, 3]).value == 4
    # 4, 4 with 5, 5: 18/4 = 4.5 → half up → 5.
    assert propose_final_mark(grade_11, "st-1", "c-math", FEDERAL, earlier_results=[4, 4]).value == 5


@pytest.mark.parametrize(
    ("earlier", "where", "value"),
    [
        ([4, 7], "earlier_results[1]", 7),  # off the five-point scale: would give a final 6 from (4+7+5+5)/4
        ([0], "earlier_results[0]", 0),
        ([4, "4"], "earlier_results[1]", "4"),
        (5, "earlier_results", 5),
        ("45", "earlier_results", "45"),
    ],
)
def test_grade_11_final_mark_refuses_earlier_marks_off_the_scale(
    grade_11: ClassJournal, earlier: Any, where: str, value: object
) -> None:
    error = _where(lambda: propose_final_mark(grade_11, "st-1", "c-math", FEDERAL, earlier_results=earlier))
    assert (error.where, error.value) == (where, value)


# ---------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("earlier", "where"),
    [
        (5, "earlier_results"),
        ({"st-1": [5, 5]}, "earlier_results['st-1']"),
        ({"st-1": {"c-math": "55"}}, "earlier_results['st-1']['c-math']"),
    ],
)
def test_validate_names_a_malformed_earlier_results(journal: ClassJournal, earlier: Any, where: str) -> None:
    error = _where(lambda: validate(journal, FEDERAL, as_of=date(2026, 6, 1), earlier_results=earlier))
    assert error.where == where


# ---------------------------------------------------------------------- statistics


def test_categorize_values_names_a_bad_value() -> None:
    assert categorize_values([5, 4, None]) == {"assessed", "fours_and_fives", "one_four"}
    error = _where(lambda: categorize_values([5, "5"]))  # type: ignore[list-item]
    assert (error.where, error.value) == ("values[1]", "5")
    assert _where(lambda: categorize_values([5], pass_from="3")).where == "pass_from"  # type: ignore[arg-type]


# ---------------------------------------------------------------------- history


def test_rewind_refuses_a_moment_that_is_not_a_datetime(journal: ClassJournal) -> None:
    error = _where(lambda: rewind(journal, [], "2025-10-01"))  # type: ignore[arg-type]
    assert (error.where, error.value) == ("until", "2025-10-01")
    assert rewind(journal, [], datetime(2025, 10, 1)).marks == journal.marks


# ---------------------------------------------------------------------- render options


@pytest.mark.parametrize(
    ("options", "where"),
    [
        ({"paper": "A4"}, "render_options.paper"),
        ({"orientation": "landscape"}, "render_options.orientation"),
        ({"fonts": "DejaVuSans.ttf"}, "render_options.fonts"),
        ({"layout": "students_as_rows"}, "render_options.layout"),
    ],
)
def test_render_options_name_a_value_of_the_wrong_kind(options: dict[str, object], where: str) -> None:
    error = _where(lambda: RenderOptions(**options))  # type: ignore[arg-type]
    assert error.where == where
    assert RenderOptions(paper=Paper.A3, orientation=Orientation.PORTRAIT).page_size_mm == (297, 420)


def test_render_reports_a_bad_paper_before_looking_at_the_document() -> None:
    error = _where(lambda: render(object(), "html", paper="A5"))  # type: ignore[arg-type]
    assert (error.where, error.value) == ("render_options.paper", "A5")


# ---------------------------------------------------------------------- the diary


def test_period_report_refuses_a_date_outside_the_academic_year(journal: ClassJournal) -> None:
    # 2025/2026 runs from 1 September 2025 to 31 August 2026 (both included).
    assert period_report(journal, "st-1", date(2025, 9, 1), FEDERAL).subjects
    assert period_report(journal, "st-1", date(2026, 8, 31), FEDERAL).subjects
    for outside in (date(2025, 8, 31), date(2026, 9, 1)):
        error = _where(lambda day=outside: period_report(journal, "st-1", day, FEDERAL))
        assert (error.where, error.value) == ("period", outside.isoformat())

"""Properties of the grading rules, over generated marks and policies."""

from __future__ import annotations

import itertools
from fractions import Fraction

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ejournal.core.calendar import PeriodKind
from ejournal.core.errors import InvalidInput
from ejournal.core.grading import (
    AggregationMethod,
    ComputedMark,
    GradedMark,
    GradingPolicy,
    MinMarksRow,
    PeriodRule,
    RoundingMethod,
    builtin_policy,
    compute_annual_mark,
    compute_final_mark_grade9,
    compute_final_mark_grade11,
    compute_period_mark,
    find_fewest_marks,
    round_mean,
)
from ejournal.core.scales import FIVE_POINT, MarkValue, Scale, Status
from ejournal.testing.strategies import grades, marks, min_marks_tables, policies, roundings, scales, weights

MONOTONE = [AggregationMethod.MEAN, AggregationMethod.WEIGHTED_MEAN, AggregationMethod.MEDIAN]


def compute(
    ms: list[GradedMark], policy: GradingPolicy, *, missed: int = 0, scale: Scale | None = None
) -> ComputedMark:
    return compute_period_mark(ms, policy, hours_per_week=2, lessons_total=10, lessons_missed=missed, scale=scale)


@st.composite
def scale_policy_marks(draw: st.DrawFn, **policy_args: object) -> tuple[GradingPolicy, list[GradedMark], Scale]:
    scale = draw(scales())
    policy = draw(policies(rounding=roundings(top=scale.highest), **policy_args))  # type: ignore[arg-type]
    return policy, draw(marks(scale, min_size=1, max_size=20)), scale


@given(scale_policy_marks())
def test_a_computed_mark_lies_between_the_lowest_and_highest_mark_used(
    case: tuple[GradingPolicy, list[GradedMark], Scale],
) -> None:
    policy, ms, scale = case
    result = compute(ms, policy, scale=scale)
    assume(isinstance(result.value, int))
    used = [m.value for m in result.explanation.used]
    if result.explanation.has_note("capped"):
        # "No 5 with a 2": a low mark anywhere in the period (even a dropped one) caps the result.
        counted = [m.value for m in ms if isinstance(m.value, int) and m.weight > 0]
        assert policy.period.cap_at_most is not None
        assert min(counted) <= policy.period.cap_at_most
        assert result.value == policy.period.cap_to
        assert result.value < max(used)  # type: ignore[operator]
    else:
        assert min(used) <= result.value <= max(used)  # type: ignore[type-var,operator]


@given(st.data())
def test_the_order_of_marks_does_not_matter(data: st.DataObject) -> None:
    policy = data.draw(policies(rounding=roundings(top=5)))
    days = st.dates().map(lambda d: d)
    ms = data.draw(
        st.lists(
            st.builds(GradedMark, st.integers(1, 5), weights(), st.just("cw"), days, st.just("")),
            min_size=1,
            max_size=15,
            unique_by=lambda m: m.day,
        )
    )
    shuffled = data.draw(st.permutations(ms))
    assert compute(list(shuffled), policy).value == compute(ms, policy).value


@given(st.data())
def test_raising_one_mark_never_lowers_the_result(data: st.DataObject) -> None:
    policy = data.draw(policies(aggregations=MONOTONE, rounding=roundings(top=5)))
    ms = data.draw(marks(FIVE_POINT, min_size=1, max_size=15))
    i = data.draw(st.integers(0, len(ms) - 1))
    old = ms[i].value
    assert isinstance(old, int)
    new = data.draw(st.integers(old, 5))
    raised = [*ms[:i], attrs.evolve(ms[i], value=new), *ms[i + 1 :]]
    before, after = compute(ms, policy).value, compute(raised, policy).value
    if isinstance(before, int):
        assert isinstance(after, int)
        assert after >= before
    else:
        assert after == before or isinstance(after, int)


@given(st.data())
def test_adding_a_mark_at_least_the_current_mean_never_lowers_it(data: st.DataObject) -> None:
    policy = data.draw(policies(aggregations=MONOTONE, rounding=roundings(top=5), last_n=st.none()))
    ms = data.draw(marks(FIVE_POINT, min_size=1, max_size=15))
    before = compute(ms, policy)
    assume(isinstance(before.value, int) and before.mean is not None)
    assert before.mean is not None
    value = data.draw(st.integers(1, 5).filter(lambda v: v >= before.mean))  # type: ignore[operator]
    extra = GradedMark(value, data.draw(weights(allow_zero=False)), "cw")
    after = compute([*ms, extra], policy)
    assert isinstance(after.value, int)
    assert after.mean is not None
    assert after.mean >= before.mean
    assert after.value >= before.value  # type: ignore[operator]


@given(scale_policy_marks(), st.integers(1, 7), st.integers(1, 7))
def test_multiplying_all_weights_by_a_constant_changes_nothing(
    case: tuple[GradingPolicy, list[GradedMark], Scale], num: int, den: int
) -> None:
    policy, ms, scale = case
    factor = Fraction(num, den)
    scaled = [attrs.evolve(m, weight=m.weight * factor) for m in ms]
    a, b = compute(ms, policy, scale=scale), compute(scaled, policy, scale=scale)
    assert a.value == b.value
    assert a.mean == b.mean


@given(policies())
def test_policies_round_trip_through_toml_and_json_with_a_stable_hash(policy: GradingPolicy) -> None:
    from_toml = GradingPolicy.from_toml(policy.to_toml())
    from_json = GradingPolicy.from_json(policy.to_json())
    assert from_toml == policy
    assert from_json == policy
    assert from_toml.content_hash == policy.content_hash == from_json.content_hash
    assert attrs.evolve(policy).content_hash == policy.content_hash


def _reaches(result: ComputedMark, target: int) -> bool:
    return isinstance(result.value, int) and result.value >= target


@given(st.data())
def test_what_if_gives_the_fewest_marks_that_reach_the_target(data: st.DataObject) -> None:
    policy = data.draw(policies(rounding=roundings(top=5)))
    ms = data.draw(marks(FIVE_POINT, min_size=0, max_size=8))
    target = data.draw(st.integers(1, 5))
    options = data.draw(
        st.lists(
            st.tuples(st.sampled_from(("cw", "test", "hw")), weights(allow_zero=False, max_weight=3)),
            min_size=1,
            max_size=2,
            unique_by=lambda o: o[0],
        )
    )
    missed = data.draw(st.integers(0, 10))
    max_marks = 4
    answer = find_fewest_marks(
        ms,
        policy,
        target=target,
        grades=FIVE_POINT.values,
        options=options,
        hours_per_week=2,
        lessons_total=10,
        lessons_missed=missed,
        max_marks=max_marks,
    )
    weight_of = dict(options)

    def with_extra(combo: tuple[tuple[int, str], ...]) -> ComputedMark:
        days = [m.day for m in ms if m.day is not None]
        day = max(days) if days else None
        extra = [GradedMark(v, weight_of[wt], wt, day, f"x{i}") for i, (v, wt) in enumerate(combo)]
        return compute([*ms, *extra], policy, missed=missed)

    every_option = [(v, wt) for v in FIVE_POINT.values for wt, _ in options]
    if answer.reachable:
        assert _reaches(with_extra(answer.marks), target)
        assert answer.result is not None
        assert answer.result.value == with_extra(answer.marks).value
        k = len(answer.marks)
        if k:
            for combo in itertools.combinations_with_replacement(every_option, k - 1):
                assert not _reaches(with_extra(combo), target), combo
    else:
        for k in range(max_marks + 1):
            for combo in itertools.combinations_with_replacement(every_option, k):
                assert not _reaches(with_extra(combo), target), combo


# ---------------------------------------------------------------------- issue 9: grading fixes


@given(scale_policy_marks(cap=st.just(True)))
def test_a_capped_mark_names_the_lowest_mean_that_still_gives_it(
    case: tuple[GradingPolicy, list[GradedMark], Scale],
) -> None:
    policy, ms, scale = case
    result = compute(ms, policy, scale=scale)
    assume(result.explanation.has_note("capped"))
    threshold = result.explanation.threshold
    assert threshold is not None
    assert result.mean is not None
    cap = policy.period.cap_to
    assert isinstance(cap, int)
    assert result.value == cap
    rounding = policy.period.rounding
    eps = Fraction(1, 10**6)
    if rounding.method is RoundingMethod.FAVOUR:
        # "in the student's favour": the threshold is exclusive, anything above it gives the grade.
        assert round_mean(threshold, rounding)[0] < cap <= round_mean(threshold + eps, rounding)[0]
    else:
        assert round_mean(threshold, rounding)[0] >= cap > round_mean(threshold - eps, rounding)[0]
    assert threshold <= result.mean


@given(
    st.one_of(st.floats(allow_nan=False), st.booleans(), st.text(max_size=3), st.none()),
    st.sampled_from(("hours_per_week", "lessons_total", "lessons_missed")),
)
def test_non_exact_hours_and_lesson_counts_are_refused_naming_the_argument(bad: object, argument: str) -> None:
    args: dict[str, object] = {"hours_per_week": 2, "lessons_total": 10, "lessons_missed": 0, argument: bad}
    with pytest.raises(InvalidInput) as e:
        compute_period_mark([GradedMark(5, 1, "cw")], builtin_policy("federal"), **args)  # type: ignore[arg-type]
    assert e.value.where == argument


@given(scales(), st.data())
def test_marks_off_the_scale_are_refused_everywhere(scale: Scale, data: st.DataObject) -> None:
    policy = builtin_policy("federal")
    bad = data.draw(st.integers(-(10**6), 10**6).filter(lambda v: v not in scale.values))
    ms = data.draw(marks(scale, max_size=5))
    i = data.draw(st.integers(0, len(ms)))
    with_bad = [*ms[:i], GradedMark(bad, 1, "cw"), *ms[i:]]
    calls = {
        f"marks[{i}]": lambda: compute(with_bad, policy, scale=scale),
        f"periods[{i}]": lambda: compute_annual_mark(
            [(f"p{k}", m.value) for k, m in enumerate(with_bad)], policy, scale=scale
        ),
        f"grade10_marks[{i}]": lambda: compute_final_mark_grade11(
            [m.value for m in with_bad], [scale.lowest], policy, scale=scale
        ),
        f"grade11_marks[{i}]": lambda: compute_final_mark_grade11([], [m.value for m in with_bad], policy, scale=scale),
        "exam": lambda: compute_final_mark_grade9(scale.highest, bad, policy, scale=scale),
    }
    for where, call in calls.items():
        with pytest.raises(InvalidInput) as e:
            call()
        assert e.value.where == where


@given(min_marks_tables(kinds=False), st.integers(0, 12), st.sampled_from([None, *PeriodKind]))
def test_rows_without_a_kind_apply_to_every_period_kind(
    rows: tuple[MinMarksRow, ...], half_hours: int, kind: PeriodKind | None
) -> None:
    rule = PeriodRule(min_marks=rows)
    hours = Fraction(half_hours, 2)
    assert rule.required_marks(hours, kind) == rule.required_marks(hours)


@given(min_marks_tables(), st.sampled_from(list(PeriodKind)), st.integers(0, 8), st.integers(0, 12))
def test_rows_for_one_kind_leave_every_other_kind_alone(
    rows: tuple[MinMarksRow, ...], kind: PeriodKind, marks_needed: int, half_hours: int
) -> None:
    assume(all(r.kind is not kind for r in rows))
    hours = Fraction(half_hours, 2)
    before = PeriodRule(min_marks=rows)
    after = PeriodRule(min_marks=(MinMarksRow(None, marks_needed, kind), *rows))
    assert after.required_marks(hours, kind) == marks_needed
    for other in [None, *PeriodKind]:
        if other is not kind:
            assert after.required_marks(hours, other) == before.required_marks(hours, other)


def _half_up(values: list[int]) -> int:
    """An independent half-up mean: the largest n with n - 1/2 <= mean (so x.5 goes up)."""
    mean = Fraction(sum(values), len(values))
    n = mean.numerator // mean.denominator
    while n + Fraction(1, 2) <= mean:
        n += 1
    while n - Fraction(1, 2) > mean:
        n -= 1
    return n


@given(scales(), st.data())
def test_grade_9_final_is_the_half_up_mean_of_annual_and_exam(scale: Scale, data: st.DataObject) -> None:
    policy = builtin_policy("federal")
    annual, exam = data.draw(grades(scale)), data.draw(grades(scale))
    result = compute_final_mark_grade9(annual, exam, policy, scale=scale)
    assert result.value == _half_up([annual, exam])
    assert min(annual, exam) <= result.value <= max(annual, exam)  # type: ignore[operator]
    if annual < scale.highest:
        assert compute_final_mark_grade9(annual + 1, exam, policy, scale=scale).value >= result.value  # type: ignore[operator]
    if exam < scale.highest:
        assert compute_final_mark_grade9(annual, exam + 1, policy, scale=scale).value >= result.value  # type: ignore[operator]
    # "н/а" on either side is never averaged: the final mark is "н/а"; a missing mark is no zero.
    assert compute_final_mark_grade9(Status.NOT_CERTIFIED, exam, policy, scale=scale).value is Status.NOT_CERTIFIED
    assert compute_final_mark_grade9(annual, Status.NOT_CERTIFIED, policy, scale=scale).value is Status.NOT_CERTIFIED
    assert compute_final_mark_grade9(annual, None, policy, scale=scale).value is None
    assert compute_final_mark_grade9(None, exam, policy, scale=scale).value is None


@st.composite
def grade_11_case(draw: st.DrawFn) -> tuple[Scale, list[int], list[int]]:
    scale = draw(scales())
    g10 = draw(st.lists(grades(scale), max_size=6))
    g11 = draw(st.lists(grades(scale), min_size=1, max_size=6))
    return scale, g10, g11


@given(grade_11_case(), st.data())
def test_grade_11_final_bounds_order_and_half_up(case: tuple[Scale, list[int], list[int]], data: st.DataObject) -> None:
    scale, g10, g11 = case
    policy = builtin_policy("federal")
    result = compute_final_mark_grade11(g10, g11, policy, scale=scale)
    every = g10 + g11
    assert result.value == _half_up(every)
    assert min(every) <= result.value <= max(every)  # type: ignore[operator]
    s10, s11 = data.draw(st.permutations(g10)), data.draw(st.permutations(g11))
    assert compute_final_mark_grade11(s10, s11, policy, scale=scale).value == result.value
    # Statuses other than "н/а" are skipped, never counted as zeros.
    extra = data.draw(st.lists(st.sampled_from((Status.EXEMPT, Status.PASS, Status.FAIL)), max_size=3))
    assert compute_final_mark_grade11([*g10, *extra], g11, policy, scale=scale).value == result.value


@given(grade_11_case(), st.data())
def test_grade_11_final_is_monotone(case: tuple[Scale, list[int], list[int]], data: st.DataObject) -> None:
    scale, g10, g11 = case
    policy = builtin_policy("federal")
    before = compute_final_mark_grade11(g10, g11, policy, scale=scale).value
    i = data.draw(st.integers(0, len(g11) - 1))
    raised = [*g11[:i], data.draw(st.integers(g11[i], scale.highest)), *g11[i + 1 :]]
    assert compute_final_mark_grade11(g10, raised, policy, scale=scale).value >= before  # type: ignore[operator]


@given(grade_11_case(), st.data())
def test_any_not_certified_mark_makes_the_grade_11_final_not_certified(
    case: tuple[Scale, list[int], list[int]], data: st.DataObject
) -> None:
    scale, g10, g11 = case
    policy = builtin_policy("federal")
    into_11 = data.draw(st.booleans())
    target: list[MarkValue] = list(g11 if into_11 else g10)
    target.insert(data.draw(st.integers(0, len(target))), Status.NOT_CERTIFIED)
    args = (g10, target) if into_11 else (target, g11)
    result = compute_final_mark_grade11(*args, policy, scale=scale)
    assert result.value is Status.NOT_CERTIFIED
    assert result.mean is None

"""Properties of the grading rules, over generated marks and policies."""

from __future__ import annotations

import itertools
from fractions import Fraction

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st

from ejournal.core.grading import (
    AggregationMethod,
    ComputedMark,
    GradedMark,
    GradingPolicy,
    compute_period_mark,
    find_fewest_marks,
)
from ejournal.core.scales import FIVE_POINT, Scale
from ejournal.testing.strategies import marks, policies, roundings, scales, weights

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

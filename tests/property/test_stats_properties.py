"""Properties of the statistics that hold for every group of five-point results."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from ejournal.core.errors import InvalidInput
from ejournal.core.scales import MarkValue, Status
from ejournal.core.stats import (
    Denominator,
    SouVariant,
    StatsSettings,
    categories_from_values,
    format_decimal,
    stats_from_values,
)

NA, EX = Status.NOT_CERTIFIED, Status.EXEMPT

results = st.lists(st.one_of(st.integers(1, 5), st.sampled_from([NA, EX, None])), max_size=40)
settings = st.builds(
    StatsSettings,
    denominator=st.sampled_from(Denominator),
    sou_variant=st.sampled_from(SouVariant),
    percent_digits=st.integers(0, 3),
    average_digits=st.integers(0, 3),
)


def _in_n(values: list[MarkValue | None], s: StatsSettings) -> list[MarkValue]:
    na_counts = s.denominator is Denominator.WITH_NOT_CERTIFIED
    return [v for v in values if isinstance(v, int) or (v is NA and na_counts)]


def _weight(v: MarkValue, s: StatsSettings) -> int:
    if v == 1:
        return 7 if s.sou_variant is SouVariant.WEIGHT_7_ON_MARK_ONE else 0
    if v is NA:
        return 7 if s.sou_variant is SouVariant.WEIGHT_7_ON_NOT_CERTIFIED else 0
    return {5: 100, 4: 64, 3: 36, 2: 16}[v]  # type: ignore[index]


@given(results, settings)
def test_counts_add_up(values: list[MarkValue | None], s: StatsSettings) -> None:
    g = stats_from_values(values, s)
    c = g.counts
    assert c.numeric + c.not_certified + c.exempt + c.missing == len(values)
    assert g.n == len(_in_n(values, s))
    assert sum(c.of(k) for k in (1, 2, 3, 4, 5)) == c.numeric


@given(results, settings)
def test_rates_are_ordered_and_bounded(values: list[MarkValue | None], s: StatsSettings) -> None:
    g = stats_from_values(values, s)
    if g.n == 0:
        assert (g.success_rate, g.quality_rate, g.sou) == (None, None, None)
        return
    assert g.success_rate is not None
    assert g.quality_rate is not None
    assert 0 <= g.quality_rate <= g.success_rate <= 1


@given(results, settings)
def test_sou_lies_between_the_weights_present(values: list[MarkValue | None], s: StatsSettings) -> None:
    # СОУ is the mean of the weights of the results in N, so it lies between the smallest and the
    # largest weight present, and within [0, 100]; it is 100 exactly when every result in N is a 5.
    g = stats_from_values(values, s)
    in_n = _in_n(values, s)
    if not in_n:
        assert g.sou is None
        return
    weights = [_weight(v, s) for v in in_n]
    assert g.sou == Fraction(sum(weights), len(weights))
    assert min(weights) <= g.sou <= max(weights)
    assert 0 <= g.sou <= 100
    assert (g.sou == 100) == all(v == 5 for v in in_n)


@given(results, settings)
def test_exempt_students_never_enter_n(values: list[MarkValue | None], s: StatsSettings) -> None:
    without = stats_from_values([v for v in values if v is not EX], s)
    with_more = stats_from_values([*values, EX, EX], s)
    assert with_more.n == without.n
    assert with_more.success_rate == without.success_rate
    assert with_more.quality_rate == without.quality_rate
    assert with_more.sou == without.sou
    assert with_more.average_mark == without.average_mark


@given(results, settings, st.randoms(use_true_random=False))
def test_order_does_not_matter(values: list[MarkValue | None], s: StatsSettings, rnd: object) -> None:
    shuffled = list(values)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert stats_from_values(shuffled, s) == stats_from_values(values, s)


@given(results)
def test_average_is_over_numeric_marks_only(values: list[MarkValue | None]) -> None:
    g = stats_from_values(values)
    numeric = [v for v in values if isinstance(v, int)]
    if not numeric:
        assert g.average_mark is None
    else:
        assert g.average_mark is not None
        assert min(numeric) <= g.average_mark <= max(numeric)
        assert g.average_mark * len(numeric) == sum(numeric)


@given(st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6), st.integers(0, 4))
def test_format_decimal_agrees_with_decimal_half_up(value: Fraction, digits: int) -> None:
    with localcontext() as ctx:
        ctx.prec = 80
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        expected = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = format_decimal(value, digits)
    assert text == (f"{expected:f}" if expected != 0 else format(abs(expected), "f"))


# ---------------------------------------------------------------- class figures per student

one_student = st.lists(
    st.one_of(st.integers(1, 5), st.sampled_from([NA, EX, None, Status.PASS, Status.FAIL])), max_size=8
)
a_class = st.lists(one_student, max_size=30)


@given(a_class)
def test_per_student_categories_reconcile_with_the_class(per_student: list[list[MarkValue | None]]) -> None:
    ids = [f"s{i}" for i in range(len(per_student))]
    k = categories_from_values(list(zip(ids, per_student, strict=True)))
    # N: every student with a result other than "осв."; the rest are excluded; together, the list
    in_n = [sid for sid, values in zip(ids, per_student, strict=True) if any(v not in (None, EX) for v in values)]
    assert list(k.assessed) == in_n
    assert k.n + len(k.excluded) == len(k.members) == len(per_student)
    # the disjoint categories add up to N
    parts = (k.all_fives, k.fours_and_fives, k.one_three, k.other_successful, k.unsuccessful)
    assert sum(len(p) for p in parts) == k.n
    assert len(set().union(*parts)) == k.n
    assert set(k.one_four) <= set(k.fours_and_fives)
    assert set(k.unsuccessful) == set(k.failing) | set(k.not_certified)
    assert len(k.quality) <= len(k.successful) <= k.n
    # a successful student has every grade ≥ 3, no "н/а", no "незач."
    by_id = dict(zip(ids, per_student, strict=True))
    for sid in k.successful:
        kept = [v for v in by_id[sid] if v not in (None, EX)]
        assert NA not in kept
        assert Status.FAIL not in kept
        assert all(v >= 3 for v in kept if isinstance(v, int))
    if k.n:
        assert k.success_rate == Fraction(len(k.successful), k.n)
        assert k.quality_rate is not None
        assert k.success_rate is not None
        assert 0 <= k.quality_rate <= k.success_rate <= 1
    else:
        assert (k.success_rate, k.quality_rate) == (None, None)


@given(a_class, st.data())
def test_categories_that_do_not_reconcile_are_refused(
    per_student: list[list[MarkValue | None]], data: st.DataObject
) -> None:
    ids = [f"s{i}" for i in range(len(per_student))]
    k = categories_from_values(list(zip(ids, per_student, strict=True)))
    if not k.quality or len(k.members) < 2:
        return
    # a student of the quality group also put among the failing breaks the partition
    who = data.draw(st.sampled_from(k.quality))
    failing = [s for s in k.members if s in set(k.failing) | {who}]
    with pytest.raises(InvalidInput):
        evolve(k, failing=failing)
    # a member dropped from the list while still counted breaks N + excluded = list
    with pytest.raises(InvalidInput):
        evolve(k, members=[s for s in k.members if s != who])

"""Academic years, periods and period schemes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ejournal.core import (
    AcademicYear,
    InvalidInput,
    NotFound,
    Period,
    PeriodKind,
    PeriodScheme,
    half_years,
    quarters,
    trimesters,
)

Y = AcademicYear(2025)


@pytest.mark.parametrize("text", ["2025/2026", "2025-2026", " 2025 / 2026 ", "2025 -2026"])
def test_parse_good_years(text: str) -> None:
    year = AcademicYear.parse(text)
    assert year == Y
    assert year.label == "2025/2026"
    assert str(year) == "2025/2026"
    assert (year.start, year.end) == (date(2025, 9, 1), date(2026, 8, 31))


@pytest.mark.parametrize(
    "text", ["2025/2027", "2025/2024", "2025", "", "25/26", "2025/2026/2027", "двадцать", "2025\\2026"]
)
def test_parse_bad_years_names_the_field_and_value(text: str) -> None:
    with pytest.raises(InvalidInput) as e:
        AcademicYear.parse(text)
    assert e.value.where == "academic_year"
    assert e.value.value == text
    assert repr(text) in str(e.value)


def test_parse_refuses_non_strings() -> None:
    with pytest.raises(InvalidInput):
        AcademicYear.parse(2025)  # type: ignore[arg-type]


@given(st.integers(min_value=1900, max_value=2998))
def test_label_parses_back(start: int) -> None:
    year = AcademicYear(start)
    assert AcademicYear.parse(year.label) == year


@pytest.mark.parametrize("start_year", [1899, 3000, 0, -5])
def test_year_out_of_range(start_year: int) -> None:
    with pytest.raises(InvalidInput) as e:
        AcademicYear(start_year, date(2025, 9, 1), date(2026, 5, 31))
    assert e.value.where == "academic_year.start_year"
    assert e.value.value == start_year


def test_year_end_must_follow_start() -> None:
    with pytest.raises(InvalidInput) as e:
        AcademicYear(2025, date(2025, 9, 1), date(2025, 9, 1))
    assert e.value.where == "academic_year.end"
    assert e.value.value == "2025-09-01"


def test_year_dates_must_lie_in_its_two_calendar_years() -> None:
    with pytest.raises(InvalidInput) as e:
        AcademicYear(2025, date(2025, 9, 1), date(2027, 5, 31))
    assert e.value.where == "academic_year"


def test_custom_year_dates_and_contains() -> None:
    year = AcademicYear(2025, date(2025, 9, 2), date(2026, 6, 30))
    assert not year.contains(date(2025, 9, 1))
    assert year.contains(date(2025, 9, 2))
    assert year.contains(date(2026, 6, 30))
    assert not year.contains(date(2026, 7, 1))
    assert AcademicYear(2024) < AcademicYear(2025)


def period(pid: str, number: int, start: date, end: date, kind: PeriodKind = PeriodKind.QUARTER) -> Period:
    return Period(pid, kind, number, start, end)


def test_period_checks() -> None:
    with pytest.raises(InvalidInput) as e:
        period("", 1, date(2025, 9, 1), date(2025, 10, 1))
    assert e.value.where == "period.id"
    with pytest.raises(InvalidInput) as e:
        period("q1", 0, date(2025, 9, 1), date(2025, 10, 1))
    assert e.value.where == "period q1.number"
    with pytest.raises(InvalidInput):
        period("q1", True, date(2025, 9, 1), date(2025, 10, 1))  # a bool is not a number
    with pytest.raises(InvalidInput) as e:
        period("q1", 1, date(2025, 10, 1), date(2025, 9, 30))
    assert e.value.where == "period q1.end"
    assert e.value.value == "2025-09-30"
    with pytest.raises(InvalidInput):
        Period("q1", "quarter", 1, date(2025, 9, 1), date(2025, 10, 1))  # type: ignore[arg-type]
    one_day = period("d", 1, date(2025, 9, 1), date(2025, 9, 1))
    assert one_day.contains(date(2025, 9, 1))


@pytest.mark.parametrize(
    ("number", "roman"), [(1, "I"), (2, "II"), (3, "III"), (4, "IV"), (5, "V"), (9, "IX"), (14, "XIV")]
)
def test_roman_numbers(number: int, roman: str) -> None:
    assert period("p", number, date(2025, 9, 1), date(2025, 9, 2)).roman == roman


def test_scheme_must_not_be_empty() -> None:
    with pytest.raises(InvalidInput) as e:
        PeriodScheme("s", ())
    assert e.value.where == "period_scheme s.periods"


def test_scheme_refuses_overlaps_naming_the_period() -> None:
    a = period("q1", 1, date(2025, 9, 1), date(2025, 10, 26))
    b = period("q2", 2, date(2025, 10, 20), date(2025, 12, 28))
    with pytest.raises(InvalidInput) as e:
        PeriodScheme("s", (a, b))
    assert e.value.where == "period_scheme s.periods[1].start"
    assert e.value.value == "2025-10-20"
    assert "q1" in str(e.value)


def test_periods_may_not_share_a_day() -> None:
    a = period("q1", 1, date(2025, 9, 1), date(2025, 10, 26))
    b = period("q2", 2, date(2025, 10, 26), date(2025, 12, 28))
    with pytest.raises(InvalidInput):
        PeriodScheme("s", (a, b))
    adjacent = period("q2", 2, date(2025, 10, 27), date(2025, 12, 28))
    assert len(PeriodScheme("s", (a, adjacent)).periods) == 2


def test_scheme_refuses_periods_out_of_order() -> None:
    a = period("q1", 1, date(2025, 9, 1), date(2025, 10, 26))
    b = period("q2", 2, date(2025, 11, 5), date(2025, 12, 28))
    with pytest.raises(InvalidInput) as e:
        PeriodScheme("s", (b, a))  # numbers 2, 1
    assert e.value.where == "period_scheme s.periods[0].number"
    late_first = period("q1", 1, date(2025, 11, 5), date(2025, 12, 28))
    early_second = period("q2", 2, date(2025, 9, 1), date(2025, 10, 26))
    with pytest.raises(InvalidInput):
        PeriodScheme("s", (late_first, early_second))  # numbered right, dated wrong
    with pytest.raises(InvalidInput):
        PeriodScheme("s", (a, period("q3", 3, date(2025, 11, 5), date(2025, 12, 28))))  # a gap in numbers


def test_scheme_refuses_duplicates_and_mixed_kinds() -> None:
    a = period("q1", 1, date(2025, 9, 1), date(2025, 10, 26))
    with pytest.raises(InvalidInput) as e:
        PeriodScheme("s", (a, period("q1", 2, date(2025, 11, 5), date(2025, 12, 28))))
    assert "unique" in str(e.value)
    with pytest.raises(InvalidInput) as e:
        PeriodScheme("s", (a, period("h2", 2, date(2025, 11, 5), date(2025, 12, 28), PeriodKind.HALF_YEAR)))
    assert "kind" in str(e.value)
    with pytest.raises(InvalidInput):
        PeriodScheme(" ", (a,))


@pytest.mark.parametrize(
    ("make", "count", "kind"),
    [(quarters, 4, PeriodKind.QUARTER), (trimesters, 3, PeriodKind.TRIMESTER), (half_years, 2, PeriodKind.HALF_YEAR)],
)
def test_builtin_schemes_tile_the_school_year(make: object, count: int, kind: PeriodKind) -> None:
    scheme = make(Y)  # type: ignore[operator]
    assert isinstance(scheme, PeriodScheme)
    assert len(scheme.periods) == count
    assert scheme.kind is kind
    assert scheme.fits(Y)
    assert [p.number for p in scheme.periods] == list(range(1, count + 1))
    assert scheme.periods[0].start == date(2025, 9, 1)
    assert scheme.period_of(date(2025, 9, 1)) is scheme.periods[0]
    assert scheme.period_of(date(2026, 7, 1)) is None  # summer
    assert not scheme.fits(AcademicYear(2026))


def test_quarters_have_holidays_between_them() -> None:
    q = quarters(Y)
    assert [p.id for p in q.periods] == ["q1", "q2", "q3", "q4"]
    assert q.period_of(date(2025, 10, 30)) is None  # autumn holidays
    assert q.period_of(date(2026, 1, 5)) is None  # winter holidays
    assert q.period_of(date(2026, 3, 25)) is None  # spring holidays
    assert q.get("q3").contains(date(2026, 2, 2))
    for a, b in zip(q.periods, q.periods[1:], strict=False):
        assert b.start - a.end > timedelta(days=1)
    assert quarters(Y, prefix="x").periods[0].id == "x1"
    assert q.periods[1].name == "II четверть"


def test_half_years_cover_the_quarter_days() -> None:
    q, h = quarters(Y), half_years(Y)
    for p in q.periods:
        day = p.start
        while day <= p.end:
            assert h.period_of(day) is not None, day
            day += timedelta(days=1)


def test_get_unknown_period_raises_not_found() -> None:
    with pytest.raises(NotFound) as e:
        quarters(Y).get("q5")
    assert (e.value.kind, e.value.id) == ("period", "q5")
    assert isinstance(e.value, LookupError)

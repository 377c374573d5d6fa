"""Scales, statuses, mark parsing and work types."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ejournal.core import (
    BUILTIN_SCALES,
    FIVE_POINT,
    PASS_FAIL,
    TEN_POINT,
    TWELVE_POINT,
    InvalidInput,
    Scale,
    Status,
    WorkType,
    format_value,
    parse_value,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", 5),
        (" 4 ", 4),
        (3, 3),
        ("12", 12),
        ("н/а", Status.NOT_CERTIFIED),
        ("Н/А", Status.NOT_CERTIFIED),
        ("на", Status.NOT_CERTIFIED),
        ("n/a", Status.NOT_CERTIFIED),
        ("осв.", Status.EXEMPT),
        ("осв", Status.EXEMPT),
        ("зач.", Status.PASS),
        ("зач", Status.PASS),
        ("незач.", Status.FAIL),
        ("незач", Status.FAIL),
        (Status.EXEMPT, Status.EXEMPT),
    ],
)
def test_parse_value_accepts_marks_and_status_codes(text: str | int, expected: object) -> None:
    assert parse_value(text) == expected


@pytest.mark.parametrize("text", ["4.5", "пять", "", "  ", "5+", "５", "٥", 4.5, True, None, b"5", "4,5"])
def test_parse_value_refuses_anything_else_naming_where(text: object) -> None:
    with pytest.raises(InvalidInput) as e:
        parse_value(text, where="row 3, column Математика")  # type: ignore[arg-type]
    assert e.value.where == "row 3, column Математика"
    assert e.value.value == text


@pytest.mark.parametrize("text", ["--5", "5" * 5000])
def test_parse_value_never_lets_a_raw_value_error_escape(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_value(text)


@given(st.sampled_from([*range(1, 13), *Status]))
def test_format_then_parse_round_trips(value: int | Status) -> None:
    assert parse_value(format_value(value)) == value


def test_format_value_prints_codes() -> None:
    assert format_value(5) == "5"
    assert [format_value(s) for s in Status] == ["н/а", "осв.", "зач.", "незач."]
    assert Status.EXEMPT.code == "осв."


@given(st.integers(min_value=-100, max_value=100))
def test_five_point_allows_exactly_one_to_five(value: int) -> None:
    assert FIVE_POINT.allows(value) is (1 <= value <= 5)
    assert FIVE_POINT.allows(value, result=True) is (1 <= value <= 5)


def test_builtin_scales() -> None:
    assert set(BUILTIN_SCALES) == {"five", "ten", "twelve", "pass_fail"}
    assert (FIVE_POINT.lowest, FIVE_POINT.highest, FIVE_POINT.pass_from) == (1, 5, 3)
    assert (TEN_POINT.lowest, TEN_POINT.highest) == (1, 10)
    assert TWELVE_POINT.highest == 12
    assert not PASS_FAIL.is_numeric
    with pytest.raises(InvalidInput):
        _ = PASS_FAIL.lowest
    with pytest.raises(InvalidInput):
        _ = PASS_FAIL.highest


def test_statuses_are_result_marks_only() -> None:
    for status in (Status.NOT_CERTIFIED, Status.EXEMPT):
        assert not FIVE_POINT.allows(status)
        assert FIVE_POINT.allows(status, result=True)
    assert not FIVE_POINT.allows(Status.PASS, result=True)
    assert PASS_FAIL.allows(Status.PASS)
    assert PASS_FAIL.allows(Status.FAIL)
    assert not PASS_FAIL.allows(5)
    assert PASS_FAIL.allows(Status.NOT_CERTIFIED, result=True)


@pytest.mark.parametrize("value", [True, False, 4.0, "4", Fraction(4), Decimal(4), None])
def test_allows_refuses_non_integers(value: object) -> None:
    assert not FIVE_POINT.allows(value)  # type: ignore[arg-type]
    assert not FIVE_POINT.allows(value, result=True)  # type: ignore[arg-type]


def test_check_names_the_place_and_lists_the_allowed_values() -> None:
    assert FIVE_POINT.check(4, "x") == 4
    with pytest.raises(InvalidInput) as e:
        FIVE_POINT.check(7, "marks[3].value")
    assert e.value.where == "marks[3].value"
    assert e.value.value == 7
    assert "1, 2, 3, 4, 5" in str(e.value)
    assert "н/а" not in str(e.value)
    with pytest.raises(InvalidInput) as e:
        FIVE_POINT.check(7, "annual", result=True)
    assert "н/а" in str(e.value)


def test_is_passing() -> None:
    assert FIVE_POINT.is_passing(3) is True
    assert FIVE_POINT.is_passing(2) is False
    assert FIVE_POINT.is_passing(Status.NOT_CERTIFIED) is False  # н/а is not a pass
    assert FIVE_POINT.is_passing(Status.EXEMPT) is None  # exempt is not a failure
    assert PASS_FAIL.is_passing(Status.PASS) is True
    assert PASS_FAIL.is_passing(Status.FAIL) is False
    assert Scale("nopass", "без порога", (1, 2, 3), None).is_passing(1) is None


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [
        ({"id": " "}, "scale.id"),
        ({"values": (3, 2, 1)}, "scale s.values"),
        ({"values": (1, 1, 2)}, "scale s.values"),
        ({"values": (1, True)}, "scale s.values"),
        ({"values": (1, 2), "pass_from": 3}, "scale s.pass_from"),
        ({"values": (), "pass_from": None}, "scale s.values"),
    ],
)
def test_scale_checks(kwargs: dict[str, object], where: str) -> None:
    args: dict[str, object] = {"id": "s", "name": "шкала", "values": (1, 2, 3), "pass_from": 2, **kwargs}
    with pytest.raises(InvalidInput) as e:
        Scale(**args)  # type: ignore[arg-type]
    assert e.value.where == where


def test_a_pass_fail_scale_without_grades_is_allowed() -> None:
    s = Scale("pf", "зачёт", (), None, {Status.PASS, Status.FAIL})
    assert s.statuses == frozenset({Status.PASS, Status.FAIL})


@pytest.mark.parametrize(
    ("weight", "expected"),
    [
        (2, Fraction(2)),
        ("1.5", Fraction(3, 2)),
        (Fraction(1, 3), Fraction(1, 3)),
        ("0", Fraction(0)),
        ("5/3", Fraction(5, 3)),
    ],
)
def test_work_type_weights_are_exact(weight: object, expected: Fraction) -> None:
    wt = WorkType("w", "работа", weight)  # type: ignore[arg-type]
    assert wt.weight == expected
    assert isinstance(wt.weight, Fraction)


def test_work_type_default_weight_is_one() -> None:
    assert WorkType("cw", "классная").weight == 1


@pytest.mark.parametrize("weight", [1.5, 2.0, True, "abc", "1/0", None, [1]])
def test_work_type_refuses_inexact_or_bad_weights(weight: object) -> None:
    with pytest.raises(InvalidInput) as e:
        WorkType("w", "работа", weight)  # type: ignore[arg-type]
    assert e.value.where == "work_type.weight"


@pytest.mark.parametrize("weight", [-1, "-0.5", Fraction(-1, 3)])
def test_work_type_refuses_negative_weights(weight: object) -> None:
    with pytest.raises(InvalidInput) as e:
        WorkType("w", "работа", weight)  # type: ignore[arg-type]
    assert e.value.where == "work_type w.weight"
    assert "negative" in str(e.value)


def test_work_type_needs_an_id() -> None:
    with pytest.raises(InvalidInput) as e:
        WorkType("", "работа")
    assert e.value.where == "work_type.id"

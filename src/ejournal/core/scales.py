"""Scales, grades and the status codes that are never averaged as numbers."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Union

from attrs import field, frozen

from ejournal.core.errors import InvalidInput

__all__ = [
    "BUILTIN_SCALES",
    "FIVE_POINT",
    "PASS_FAIL",
    "TEN_POINT",
    "TWELVE_POINT",
    "MarkValue",
    "Scale",
    "Status",
    "WorkType",
    "format_value",
    "parse_value",
]


class Status(enum.Enum):
    """Codes written where a mark would stand; never averaged as numbers.

    - ``NOT_CERTIFIED`` "н/а": too few marks or too many missed lessons; **stays** in the
      statistics denominator.
    - ``EXEMPT`` "осв.": exempt from the subject; **excluded** from statistics; never a failure.
    - ``PASS`` "зач." / ``FAIL`` "незач.": subjects assessed without marks.
    """

    NOT_CERTIFIED = "н/а"
    EXEMPT = "осв."
    PASS = "зач."
    FAIL = "незач."

    @property
    def code(self) -> str:
        """The printed code ("н/а", "осв.", "зач.", "незач.")."""
        return self.value


MarkValue = Union[int, Status]  # noqa: UP007 - a runtime alias used in isinstance checks
"""A mark is either a whole grade of its scale or a :class:`Status`."""

_STATUS_ALIASES = {
    "н/а": Status.NOT_CERTIFIED,
    "на": Status.NOT_CERTIFIED,
    "n/a": Status.NOT_CERTIFIED,
    "осв.": Status.EXEMPT,
    "осв": Status.EXEMPT,
    "зач.": Status.PASS,
    "зач": Status.PASS,
    "незач.": Status.FAIL,
    "незач": Status.FAIL,
}


_INT_RE = re.compile(r"-?[0-9]{1,9}")


def parse_value(text: str | int, where: str = "mark") -> MarkValue:
    """Parse ``"5"``, ``5``, ``"н/а"``, ``"осв."``... into a :data:`MarkValue`.

    Raises :class:`InvalidInput` naming ``where`` for anything else (floats included).
    """
    if isinstance(text, bool):
        raise InvalidInput(where, "a mark is a whole number or a status code", text)
    if isinstance(text, int):
        return text
    if isinstance(text, Status):
        return text
    if not isinstance(text, str):
        raise InvalidInput(where, "a mark is a whole number or a status code", text)
    stripped = text.strip()
    if _INT_RE.fullmatch(stripped):
        return int(stripped)
    status = _STATUS_ALIASES.get(stripped.lower())
    if status is None:
        raise InvalidInput(where, "not a mark: expected a whole number or one of н/а, осв., зач., незач.", text)
    return status


def format_value(value: MarkValue) -> str:
    """The printed form of a mark: ``"5"`` or the status code."""
    if isinstance(value, Status):
        return value.code
    return str(value)


def _int_tuple(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(values)


def _status_set(values: Iterable[Status]) -> frozenset[Status]:
    return frozenset(values)


@frozen
class Scale:
    """A marking scale as data.

    ``values`` are the whole grades allowed (ascending, unique); ``pass_from`` is the lowest
    passing grade; ``statuses`` are the codes allowed as *result* marks (period, annual, final).
    A pass/fail scale has no values and allows ``PASS``/``FAIL``.  Raises :class:`InvalidInput`
    on an empty, unsorted or duplicated value list, or a ``pass_from`` outside it.
    """

    id: str
    name: str
    values: tuple[int, ...] = field(converter=_int_tuple)
    pass_from: int | None
    statuses: frozenset[Status] = field(
        converter=_status_set, factory=lambda: frozenset({Status.NOT_CERTIFIED, Status.EXEMPT})
    )

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise InvalidInput("scale.id", "must be a non-empty string", self.id)
        if any(isinstance(v, bool) or not isinstance(v, int) for v in self.values):
            raise InvalidInput(f"scale {self.id}.values", "must be whole numbers", self.values)
        if list(self.values) != sorted(set(self.values)):
            raise InvalidInput(f"scale {self.id}.values", "must be ascending and unique", self.values)
        if not self.values and not ({Status.PASS, Status.FAIL} <= self.statuses):
            raise InvalidInput(f"scale {self.id}.values", "a scale without grades must allow зач./незач.", ())
        if self.pass_from is not None and (isinstance(self.pass_from, bool) or self.pass_from not in self.values):
            raise InvalidInput(f"scale {self.id}.pass_from", "must be one of the scale's values", self.pass_from)

    @property
    def is_numeric(self) -> bool:
        """True when the scale has whole grades (not pass/fail only)."""
        return bool(self.values)

    @property
    def lowest(self) -> int:
        """The lowest grade; raises :class:`InvalidInput` on a pass/fail scale."""
        if not self.values:
            raise InvalidInput(f"scale {self.id}", "a pass/fail scale has no lowest grade", None)
        return self.values[0]

    @property
    def highest(self) -> int:
        """The highest grade; raises :class:`InvalidInput` on a pass/fail scale."""
        if not self.values:
            raise InvalidInput(f"scale {self.id}", "a pass/fail scale has no highest grade", None)
        return self.values[-1]

    def allows(self, value: MarkValue, *, result: bool = False) -> bool:
        """True when ``value`` may be written on this scale.

        Current (lesson) marks are grades only (or зач./незач. on a pass/fail scale);
        ``result=True`` also admits the scale's statuses ("н/а", "осв.").
        """
        if isinstance(value, Status):
            if value in (Status.PASS, Status.FAIL):
                return value in self.statuses
            return result and value in self.statuses
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return value in self.values

    def check(self, value: MarkValue, where: str, *, result: bool = False) -> MarkValue:
        """Return ``value`` when allowed, else raise :class:`InvalidInput` naming ``where``."""
        if not self.allows(value, result=result):
            allowed = [str(v) for v in self.values] + sorted(
                s.code for s in self.statuses if result or s in (Status.PASS, Status.FAIL)
            )
            raise InvalidInput(where, f"not on scale {self.id!r} (allowed: {', '.join(allowed)})", value)
        return value

    def is_passing(self, value: MarkValue) -> bool | None:
        """True for a passing result, False for a failing one, None when it is neither.

        "осв." (exempt) is neither; "н/а" is not passing; "зач." passes and "незач." fails.
        """
        if value is Status.EXEMPT:
            return None
        if value is Status.PASS:
            return True
        if value in (Status.FAIL, Status.NOT_CERTIFIED):
            return False
        assert isinstance(value, int)
        if self.pass_from is None:
            return None
        return value >= self.pass_from


FIVE_POINT = Scale("five", "пятибалльная", (1, 2, 3, 4, 5), 3)
TEN_POINT = Scale("ten", "десятибалльная", tuple(range(1, 11)), 4)
TWELVE_POINT = Scale("twelve", "двенадцатибалльная", tuple(range(1, 13)), 4)
PASS_FAIL = Scale(
    "pass_fail", "зачёт/незачёт", (), None, frozenset({Status.PASS, Status.FAIL, Status.NOT_CERTIFIED, Status.EXEMPT})
)
BUILTIN_SCALES: dict[str, Scale] = {s.id: s for s in (FIVE_POINT, TEN_POINT, TWELVE_POINT, PASS_FAIL)}


def _weight(value: Fraction | int | str) -> Fraction:
    if isinstance(value, (bool, float)):
        raise InvalidInput("work_type.weight", "must be exact (an int, a Fraction or a string like '1.5')", value)
    try:
        return Fraction(value)
    except (ValueError, TypeError, ZeroDivisionError) as e:
        raise InvalidInput("work_type.weight", "not an exact number", value) from e


@frozen
class WorkType:
    """A kind of work ("контрольная", "классная") with an exact weight.

    The weight is a :class:`~fractions.Fraction` (ints and decimal strings are accepted,
    floats are refused).  A negative weight raises :class:`InvalidInput`; a zero weight is
    allowed (marks shown but not averaged) and reported by validation.
    """

    id: str
    name: str
    weight: Fraction = field(converter=_weight, default=Fraction(1))

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise InvalidInput("work_type.id", "must be a non-empty string", self.id)
        if self.weight < 0:
            raise InvalidInput(f"work_type {self.id}.weight", "must not be negative", str(self.weight))

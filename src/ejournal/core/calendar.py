"""The school calendar: academic years, periods and period schemes."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from datetime import date

from attrs import field, frozen

from ejournal.core.errors import InvalidInput, NotFound

__all__ = [
    "AcademicYear",
    "Period",
    "PeriodKind",
    "PeriodScheme",
    "half_years",
    "quarters",
    "trimesters",
]

_YEAR_RE = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{4})\s*$")


@frozen(order=True)
class AcademicYear:
    """An academic year such as ``2025/2026``.

    By default it runs from 1 September of ``start_year`` to 31 August of the next year;
    a school may set other dates (``start``/``end``).  Raises :class:`InvalidInput` when the
    end is not after the start or the dates do not fall in the two calendar years.
    """

    start_year: int
    start: date = field()
    end: date = field()

    @start.default
    def _default_start(self) -> date:
        return date(self.start_year, 9, 1)

    @end.default
    def _default_end(self) -> date:
        return date(self.start_year + 1, 8, 31)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.start_year, bool) or not isinstance(self.start_year, int):
            raise InvalidInput("academic_year.start_year", "must be a whole year like 2025", self.start_year)
        if not isinstance(self.start, date) or not isinstance(self.end, date):
            raise InvalidInput("academic_year", "start and end must be dates", (self.start, self.end))
        if not 1900 <= self.start_year <= 2999:
            raise InvalidInput("academic_year.start_year", "must be a year between 1900 and 2999", self.start_year)
        if self.end <= self.start:
            raise InvalidInput(
                "academic_year.end", f"must be after the start {self.start.isoformat()}", self.end.isoformat()
            )
        if self.start.year not in (self.start_year, self.start_year + 1) or self.end.year not in (
            self.start_year,
            self.start_year + 1,
        ):
            raise InvalidInput(
                "academic_year",
                f"dates must lie in {self.start_year} and {self.start_year + 1}",
                f"{self.start.isoformat()}..{self.end.isoformat()}",
            )

    @classmethod
    def parse(cls, text: str) -> AcademicYear:
        """Parse ``"2025/2026"`` (or ``"2025-2026"``); raises :class:`InvalidInput` otherwise."""
        m = _YEAR_RE.match(text) if isinstance(text, str) else None
        if m is None:
            raise InvalidInput("academic_year", "expected the form 2025/2026", text)
        first, second = int(m.group(1)), int(m.group(2))
        if second != first + 1:
            raise InvalidInput("academic_year", "the second year must follow the first", text)
        return cls(first)

    @property
    def label(self) -> str:
        """``"2025/2026"``."""
        return f"{self.start_year}/{self.start_year + 1}"

    def __str__(self) -> str:
        return self.label

    def contains(self, day: date) -> bool:
        """True when ``day`` lies within the year (both ends included)."""
        return self.start <= day <= self.end


class PeriodKind(enum.Enum):
    """How a year is divided for certification."""

    QUARTER = "quarter"
    TRIMESTER = "trimester"
    HALF_YEAR = "half_year"
    MODULE = "module"
    YEAR = "year"


def _check_id(where: str, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(where, "must be a non-empty string", value)


@frozen(order=False)
class Period:
    """One certification period: a quarter, trimester, half-year or module.

    ``number`` is its order within the scheme (1-based).  Raises :class:`InvalidInput`
    when the id is empty, the number is not positive or the end precedes the start.
    """

    id: str
    kind: PeriodKind
    number: int
    start: date
    end: date
    name: str = ""

    def __attrs_post_init__(self) -> None:
        _check_id("period.id", self.id)
        if not isinstance(self.kind, PeriodKind):
            raise InvalidInput(f"period {self.id}.kind", "must be a PeriodKind", self.kind)
        if isinstance(self.number, bool) or not isinstance(self.number, int) or self.number < 1:
            raise InvalidInput(f"period {self.id}.number", "must be a positive integer", self.number)
        if self.end < self.start:
            raise InvalidInput(
                f"period {self.id}.end", f"must not precede the start {self.start.isoformat()}", self.end.isoformat()
            )

    def contains(self, day: date) -> bool:
        """True when ``day`` lies in the period (both ends included)."""
        return self.start <= day <= self.end

    @property
    def roman(self) -> str:
        """The period number as printed on the sheet: I, II, III, IV..."""
        return _roman(self.number)


def _roman(n: int) -> str:
    table = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for value, letters in table:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _periods_converter(value: Iterable[Period]) -> tuple[Period, ...]:
    return tuple(value)


@frozen
class PeriodScheme:
    """Periods that divide a year, in order, without overlaps.

    Raises :class:`InvalidInput` when the scheme is empty, numbers are not 1..n in date order,
    two periods overlap, kinds are mixed, or ids repeat.
    """

    id: str
    periods: tuple[Period, ...] = field(converter=_periods_converter)
    name: str = ""

    def __attrs_post_init__(self) -> None:
        _check_id("period_scheme.id", self.id)
        if not self.periods:
            raise InvalidInput(f"period_scheme {self.id}.periods", "must contain at least one period", ())
        ids = [p.id for p in self.periods]
        if len(set(ids)) != len(ids):
            raise InvalidInput(f"period_scheme {self.id}.periods", "period ids must be unique", ids)
        kinds = {p.kind for p in self.periods}
        if len(kinds) != 1:
            raise InvalidInput(
                f"period_scheme {self.id}.periods", "all periods must be of one kind", sorted(k.value for k in kinds)
            )
        for i, p in enumerate(self.periods, start=1):
            if p.number != i:
                raise InvalidInput(f"period_scheme {self.id}.periods[{i - 1}].number", f"expected {i}", p.number)
        for a, b in zip(self.periods, self.periods[1:], strict=False):
            if b.start <= a.end:
                raise InvalidInput(
                    f"period_scheme {self.id}.periods[{b.number - 1}].start",
                    f"overlaps or precedes period {a.id!r} ending {a.end.isoformat()}",
                    b.start.isoformat(),
                )

    @property
    def kind(self) -> PeriodKind:
        """The kind shared by every period of the scheme."""
        return self.periods[0].kind

    def get(self, period_id: str) -> Period:
        """The period with this id; raises :class:`NotFound`."""
        for p in self.periods:
            if p.id == period_id:
                return p
        raise NotFound("period", period_id, f"period scheme {self.id!r}")

    def period_of(self, day: date) -> Period | None:
        """The period containing ``day``, or ``None`` (a holiday between periods)."""
        for p in self.periods:
            if p.contains(day):
                return p
        return None

    def fits(self, year: AcademicYear) -> bool:
        """True when every period lies inside ``year``."""
        return all(year.contains(p.start) and year.contains(p.end) for p in self.periods)


def _year_of(year: AcademicYear, prefix: str, what: str) -> int:
    if not isinstance(year, AcademicYear):
        raise InvalidInput(f"{what}.year", "must be an AcademicYear (AcademicYear.parse('2025/2026'))", year)
    if not isinstance(prefix, str) or not prefix.strip():
        raise InvalidInput(f"{what}.prefix", "must be a non-empty string", prefix)
    return year.start_year


def quarters(year: AcademicYear, prefix: str = "q") -> PeriodScheme:
    """The usual four quarters of a Russian school year (with autumn, winter and spring holidays).

    Period ids are ``prefix`` + number (``q1``...); raises :class:`InvalidInput` when ``year`` is not
    an :class:`AcademicYear` or ``prefix`` is empty.  The same holds for :func:`trimesters` and
    :func:`half_years`.
    """
    y = _year_of(year, prefix, "quarters")
    spans = (
        (date(y, 9, 1), date(y, 10, 26)),
        (date(y, 11, 5), date(y, 12, 28)),
        (date(y + 1, 1, 12), date(y + 1, 3, 22)),
        (date(y + 1, 4, 1), date(y + 1, 5, 26)),
    )
    return PeriodScheme(
        f"{prefix}{y}",
        tuple(
            Period(f"{prefix}{i}", PeriodKind.QUARTER, i, s, e, f"{_roman(i)} четверть")
            for i, (s, e) in enumerate(spans, 1)
        ),
        "четверти",
    )


def trimesters(year: AcademicYear, prefix: str = "t") -> PeriodScheme:
    """Three trimesters."""
    y = _year_of(year, prefix, "trimesters")
    spans = (
        (date(y, 9, 1), date(y, 11, 30)),
        (date(y, 12, 1), date(y + 1, 2, 28)),
        (date(y + 1, 3, 1), date(y + 1, 5, 26)),
    )
    return PeriodScheme(
        f"{prefix}{y}",
        tuple(
            Period(f"{prefix}{i}", PeriodKind.TRIMESTER, i, s, e, f"{i} триместр") for i, (s, e) in enumerate(spans, 1)
        ),
        "триместры",
    )


def half_years(year: AcademicYear, prefix: str = "h") -> PeriodScheme:
    """Two half-years (grades 10-11 usually)."""
    y = _year_of(year, prefix, "half_years")
    spans = ((date(y, 9, 1), date(y, 12, 28)), (date(y + 1, 1, 12), date(y + 1, 5, 26)))
    return PeriodScheme(
        f"{prefix}{y}",
        tuple(
            Period(f"{prefix}{i}", PeriodKind.HALF_YEAR, i, s, e, f"{i} полугодие") for i, (s, e) in enumerate(spans, 1)
        ),
        "полугодия",
    )

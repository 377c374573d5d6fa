"""Numbers, percentages and dates written the locale's way, by Babel (CLDR data), never rounded by it.

Babel rounds half to even (``format_decimal(Decimal("4.285"), "0.00")`` gives "4,28"), and a
float would not even hold 4.285.  So every value is first rounded by the project's own exact rule
(halves away from zero, or truncation toward zero for a mean shown next to a threshold), turned
into a :class:`~decimal.Decimal` built exactly from that rounded value with exactly the digits to
print, and only then handed to Babel, which then has nothing left to round: it only chooses the
decimal sign, the percent sign and its spacing, and the date pattern of the locale.

Digit grouping is off: the values printed (marks, averages, percentages, counts of lessons) stay
below a thousand, and "1 234" with a no-break space would only widen narrow columns.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from ejournal.core.errors import InvalidInput

if TYPE_CHECKING:
    from babel import Locale

__all__ = [
    "LOCALES",
    "Rounding",
    "exact_decimal",
    "format_date",
    "format_number",
    "format_percent",
    "rounded",
    "weekday_name",
]

LOCALES: tuple[str, ...] = ("ru", "tt", "en")
"""The locales every text and number is available in."""

Rounding = Literal["half_up", "down"]
"""``"half_up"``: halves away from zero (4.285 → 4.29), the rule of every displayed statistic;
``"down"``: truncation toward zero (4.2899 → 4.28), for a mean printed beside the thresholds it
was compared with (it never shows a value on the wrong side)."""


def _locale(locale: str) -> str:
    code = locale.replace("-", "_").split("_", 1)[0].lower() if isinstance(locale, str) else None
    if code not in LOCALES:
        raise InvalidInput("locale", f"unsupported locale (supported: {', '.join(LOCALES)})", locale)
    return code


@functools.cache
def _babel_locale(code: str) -> Locale:
    from babel import Locale

    return Locale.parse(code)


def _exact(value: object, where: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction, Decimal)):
        raise InvalidInput(where, "must be an exact number (an int, a Fraction or a Decimal), never a float", value)
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidInput(where, "must be a finite number", str(value))
    return Fraction(value)


def rounded(value: Fraction | int | Decimal, places: int, rounding: Rounding = "half_up") -> Fraction:
    """``value`` rounded exactly to ``places`` decimals by ``rounding`` (see :data:`Rounding`).

    Pure integer arithmetic: 4.285 → 4.29, -4.285 → -4.29 (half up, away from zero), 4.2899 →
    4.28 (down).  Raises :class:`InvalidInput` for a float, a negative ``places`` or another rule.
    """
    if isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise InvalidInput("places", "must be a whole number ≥ 0", places)
    exact = _exact(value, "value")
    scale = 10**places
    magnitude = abs(exact) * scale
    if rounding == "half_up":
        whole = (magnitude.numerator * 2 + magnitude.denominator) // (2 * magnitude.denominator)
    elif rounding == "down":
        whole = magnitude.numerator // magnitude.denominator
    else:
        raise InvalidInput("rounding", "must be 'half_up' or 'down'", rounding)
    return Fraction(-whole if exact < 0 else whole, scale)


def exact_decimal(value: Fraction | int | Decimal, places: int | None = None) -> Decimal:
    """The :class:`~decimal.Decimal` equal to ``value`` with exactly ``places`` decimals.

    ``value`` must already have at most ``places`` decimals (round it first with :func:`rounded`);
    ``places=None`` takes as many as a finite decimal needs (``Fraction(13, 4)`` → ``3.25``).
    Built from integers (``Decimal(n).scaleb(-places)``): no context rounding can happen.
    Raises :class:`InvalidInput` when ``value`` has more decimals, or is no finite decimal (13/3).
    """
    exact = _exact(value, "value")
    if places is None:
        places = _decimal_places(exact)
        if places is None:
            raise InvalidInput("value", "is not a finite decimal (round it first)", str(exact))
    scaled = exact * 10**places
    if scaled.denominator != 1:
        raise InvalidInput("value", f"has more than {places} decimal places (round it first)", str(exact))
    return Decimal(scaled.numerator).scaleb(-places)


def _decimal_places(value: Fraction) -> int | None:
    """Decimals a finite decimal needs (4.65 → 2), ``None`` for 13/3."""
    den, twos, fives = value.denominator, 0, 0
    while den % 2 == 0:
        den, twos = den // 2, twos + 1
    while den % 5 == 0:
        den, fives = den // 5, fives + 1
    return max(twos, fives) if den == 1 else None


def format_number(
    value: Fraction | int | Decimal,
    places: int | None,
    locale: str = "ru",
    *,
    rounding: Rounding = "half_up",
) -> str:
    """``value`` with ``places`` decimals in ``locale``'s notation: «4,29» (ru, tt), "4.29" (en).

    The value is rounded first by the project's exact ``rounding`` (halves away from zero by
    default), then formatted by Babel from an exact Decimal with exactly ``places`` digits.
    ``places=None`` prints the exact value: a finite decimal with the digits it needs («4,65»),
    any other fraction as ``p/q`` («13/3»).  A value that rounds to zero prints without a sign.
    Raises :class:`InvalidInput` for a float, a negative ``places``, or an unsupported locale.
    """
    code = _locale(locale)
    exact = _exact(value, "value")
    if places is None:
        need = _decimal_places(exact)
        if need is None:
            return f"{exact.numerator}/{exact.denominator}"
        places = need
    number = rounded(exact, places, rounding)
    from babel.numbers import format_decimal

    pattern = "0." + "0" * places if places else "0"
    return format_decimal(
        exact_decimal(number, places), format=pattern, locale=_babel_locale(code), group_separator=False
    )


def format_percent(rate: Fraction | int | Decimal, places: int, locale: str = "ru", *, sign: bool = True) -> str:
    """A share (``Fraction(13, 16)`` = 81.25 %) in percent with ``places`` decimals: «81,3 %» (ru, tt), "81.3%" (en).

    The percentage is rounded half up exactly first (81.25 → 81.3, where Babel alone would print
    81.2); the percent sign and its spacing are the locale's (CLDR).  ``sign=False`` gives the
    number only («81,3»), for columns whose heading says "%".  Raises what :func:`format_number` raises.
    """
    code = _locale(locale)
    percent = rounded(_exact(rate, "rate") * 100, places)
    if not sign:
        return format_number(percent, places, code)
    from babel.numbers import parse_pattern

    loc = _babel_locale(code)
    percent_formats = loc.percent_formats
    pattern = parse_pattern(percent_formats[None].pattern)
    pattern.frac_prec = (places, places)
    share = exact_decimal(percent / 100, places + 2)
    text: str = pattern.apply(share, loc, group_separator=False)
    return text


def format_date(day: date | None, locale: str = "ru") -> str:
    """``day`` as the locale writes a date in a document: «31.05.2026» (ru, tt: CLDR's short
    format), "2026-05-31" (en: ISO 8601, as the English short "5/31/26" is ambiguous in records
    kept for decades); ``""`` for ``None``.  Raises :class:`InvalidInput` for another locale."""
    code = _locale(locale)
    if day is None:
        return ""
    if not isinstance(day, date):
        raise InvalidInput("day", "must be a date", day)
    from babel.dates import format_date as babel_date

    text: str = babel_date(day, "yyyy-MM-dd" if code == "en" else "short", locale=_babel_locale(code))
    return text


def weekday_name(day: date, locale: str = "ru") -> str:
    """The name of ``day``'s weekday as a heading in ``locale`` (CLDR's stand-alone wide form,
    capitalised): «Понедельник», «Дүшәмбе», "Monday".  Raises :class:`InvalidInput` for another locale."""
    code = _locale(locale)
    from babel.dates import format_date as babel_date

    name: str = babel_date(day, "cccc", locale=_babel_locale(code))
    return name[:1].upper() + name[1:]

"""Exact number helpers: parsing exact numbers, printing fractions as decimals, rounding rules."""

from __future__ import annotations

from fractions import Fraction

__all__ = ["decimal_text", "fraction_text", "parse_exact"]


def parse_exact(value: object) -> Fraction:
    """Parse an int, a :class:`Fraction` or a string (``"4.65"``, ``"9/2"``) into a Fraction.

    Floats and bools are refused (a float cannot hold 4.65 exactly).  Raises ``ValueError``
    with a short reason; callers wrap it into :class:`~ejournal.core.errors.InvalidInput`.
    """
    if isinstance(value, (bool, float)):
        raise ValueError('must be exact: write it as a string like "4.65" or "9/2", not a float')
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip()
        if not text or any(c in text for c in "eE_ "):
            raise ValueError('not an exact number (expected "4.65" or "9/2")')
        try:
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise ValueError('not an exact number (expected "4.65" or "9/2")') from None
    raise ValueError('must be a whole number or a string like "4.65"')


def decimal_text(value: Fraction, places: int) -> tuple[str, bool]:
    """``value`` written with ``places`` decimals, truncated toward zero, and whether that is exact.

    Truncation (never rounding) keeps the printed mean on the same side of every threshold it
    was compared with: 4.6499... prints as ``"4.64"``, never ``"4.65"``.  Pure integer arithmetic.
    """
    negative = value < 0
    magnitude = -value if negative else value
    scale = 10**places
    scaled, remainder = divmod(magnitude.numerator * scale, magnitude.denominator)
    whole, frac = divmod(scaled, scale)
    text = str(whole) if places == 0 else f"{whole}.{frac:0{places}d}"
    if negative and (scaled or remainder):
        text = "-" + text
    return text, remainder == 0


def fraction_text(value: Fraction) -> str:
    """The canonical text of an exact number: ``"4.65"`` when it is a finite decimal, else ``"13/3"``."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    text, _ = decimal_text(value, places)
    return text

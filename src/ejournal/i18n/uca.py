"""A wheel-only collator: the Unicode Collation Algorithm (pyuca's DUCET) with CLDR's tailorings.

This is the default when ICU is not installed (``pip install 'ejournal[icu]'`` adds it).  It
applies, on top of the Default Unicode Collation Element Table, exactly the parts of CLDR's
rules that Russian and Tatar names need:

- **ru**: Cyrillic is ordered before every other script (CLDR ``[reorder Cyrl]``), so a
  Latin-spelt name comes after the Cyrillic ones, as ICU orders them.  "Ё" already differs from
  "Е" only at the secondary level in DUCET (Елкин < Ёлкин < Емельянов).
- **tt**: ә, җ, ң, ө, ү, һ are letters of their own, each directly after а, ж, н, о, у, х
  (CLDR ``&а<ә &ж<җ &н<ң &о<ө &у<ү &х<һ``), capitals differing only at the third level.  CLDR's
  Tatar rules do not reorder scripts: Latin comes before Cyrillic, as in DUCET.
- **en**: DUCET as it is.

Keys are tuples of integers at three levels (letters, diacritics, case), as ICU's default
tertiary strength.  The table is loaded once per process, on the first key asked for.
"""

from __future__ import annotations

import threading
import unicodedata
from typing import Any

from ejournal.core.errors import InvalidInput

__all__ = ["TAILORING_VERSION", "UcaCollator"]

TAILORING_VERSION = "1"
"""Bumped whenever the tailoring below changes the order of any string."""

# Each Tatar letter and the letter it follows directly.
_TATAR_AFTER = {"ә": "а", "җ": "ж", "ң": "н", "ө": "о", "ү": "у", "һ": "х"}
_CYRILLIC_BLOCKS = ((0x0400, 0x052F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F))

_lock = threading.Lock()
_table: _Table | None = None


class _Table:
    """The DUCET collator and the weights the tailorings need, computed once."""

    def __init__(self) -> None:
        import pyuca

        self.uca: Any = pyuca.Collator()
        self.version = str(self.uca.UCA_VERSION)
        cyrillic = [
            p
            for lo, hi in _CYRILLIC_BLOCKS
            for cp in range(lo, hi + 1)
            if unicodedata.category(chr(cp)).startswith("L")
            for p in self._primaries(chr(cp))
        ]
        self.cyr_lo, self.cyr_hi = min(cyrillic), max(cyrillic)
        self.letters_lo = self._primaries("a")[0]
        # Tatar letters as (base letter's primary, tertiary of their own case).
        self.tatar: dict[str, list[list[int]]] = {}
        for letter, base in _TATAR_AFTER.items():
            for ch, base_ch in ((letter, base), (letter.upper(), base.upper())):
                (p, _s, _t), *_ = self.uca.collation_elements(base_ch)
                tertiary = self.uca.collation_elements(ch)[0][2]
                self.tatar[ch] = [[p, 0x20, tertiary, 1]]

    def _primaries(self, ch: str) -> list[int]:
        return [ce[0] for ce in self.uca.collation_elements(unicodedata.normalize("NFD", ch)) if ce[0]]

    def primary(self, p: int, cyrillic_first: bool) -> int:
        """``p`` doubled (room for the Tatar letters at odd values), Cyrillic moved before Latin."""
        if cyrillic_first and p >= self.letters_lo:
            if self.cyr_lo <= p <= self.cyr_hi:
                p = self.letters_lo + (p - self.cyr_lo)
            elif p < self.cyr_lo:
                p += self.cyr_hi - self.cyr_lo + 1
        return 2 * p


def _shared_table() -> _Table:
    global _table
    with _lock:
        if _table is None:
            _table = _Table()
        return _table


class UcaCollator:
    """A :class:`~ejournal.core.collation.Collator` over the UCA with the tailorings above.

    Build it through :func:`ejournal.i18n.collation.collator` (``engine="uca"``).  Keys are tuples
    of ints; :attr:`engine` names the table and tailoring (``"uca-9.0.0+ejournal-tt-1"``).
    """

    __slots__ = ("_language",)

    def __init__(self, language: str) -> None:
        self._language = language

    @property
    def language(self) -> str:
        """The language code ("ru", "tt", "en")."""
        return self._language

    @property
    def engine(self) -> str:
        """Which collation made the order: the DUCET version and this module's tailoring version."""
        return f"uca-{_shared_table().version}+ejournal-{self._language}-{TAILORING_VERSION}"

    def sort_key(self, text: str) -> tuple[int, ...]:
        """The three-level UCA key of ``text``; raises :class:`InvalidInput` for a non-string."""
        if not isinstance(text, str):
            raise InvalidInput("collation.text", "must be a string", text)
        table = _shared_table()
        cyrillic_first = self._language == "ru"
        tatar = table.tatar if self._language == "tt" else {}
        elements: list[list[int]] = []
        run: list[str] = []
        for ch in unicodedata.normalize("NFD", text):
            if ch in tatar:
                if run:
                    elements.extend(table.uca.collation_elements("".join(run)))
                    run = []
                elements.extend(tatar[ch])
            else:
                run.append(ch)
        if run:
            elements.extend(table.uca.collation_elements("".join(run)))
        primaries = [table.primary(ce[0], cyrillic_first) + (ce[3] if len(ce) > 3 else 0) for ce in elements if ce[0]]
        secondaries = [ce[1] for ce in elements if ce[1]]
        tertiaries = [ce[2] for ce in elements if ce[2]]
        return (*primaries, 0, *secondaries, 0, *tertiaries)

    def __repr__(self) -> str:
        return f"UcaCollator({self._language!r})"

"""Language support: every text of ejournal, numbers and dates written the locale's way, collation.

- :func:`catalog` (:mod:`ejournal.i18n.catalogs`): the gettext message catalog of Russian, Tatar
  or English — validation messages, grading explanations, the diary, every printed label;
- :func:`format_number`, :func:`format_percent`, :func:`format_date`
  (:mod:`ejournal.i18n.numbers`): Babel's (CLDR) notation after the project's exact rounding;
- :func:`decision_text` and :func:`movement_text` (:mod:`ejournal.i18n.texts`): the sheet's
  wording of a council decision and of an arrival or departure;
- :func:`collator` (:mod:`ejournal.i18n.collation`): the alphabetical order of a language, by ICU
  when the ``ejournal[icu]`` extra is installed, else by the wheel-only UCA with the same order.

Nothing is read and neither Babel nor a collation engine is imported until first use, so importing
this package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ejournal.core.collation import Collator
    from ejournal.i18n.catalogs import Catalog, catalog
    from ejournal.i18n.numbers import format_date, format_number, format_percent, rounded
    from ejournal.i18n.texts import decision_text, movement_text

__all__ = [
    "SUPPORTED_LANGUAGES",
    "Catalog",
    "catalog",
    "collator",
    "decision_text",
    "format_date",
    "format_number",
    "format_percent",
    "movement_text",
    "rounded",
]

SUPPORTED_LANGUAGES: tuple[str, ...] = ("ru", "tt", "en")
"""Languages :func:`collator` and :func:`catalog` accept."""

_LAZY = {
    "Catalog": "ejournal.i18n.catalogs",
    "catalog": "ejournal.i18n.catalogs",
    "format_date": "ejournal.i18n.numbers",
    "format_number": "ejournal.i18n.numbers",
    "format_percent": "ejournal.i18n.numbers",
    "rounded": "ejournal.i18n.numbers",
    "decision_text": "ejournal.i18n.texts",
    "movement_text": "ejournal.i18n.texts",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ejournal.i18n' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def collator(language: str = "ru", *, engine: str | None = None) -> Collator:
    """The alphabetical order of ``language`` ("ru", "tt", "en"), by ICU or the UCA.

    Same contract as :func:`ejournal.i18n.collation.collator`; raises
    :class:`~ejournal.core.errors.InvalidInput` for any other language.
    """
    from ejournal.i18n.collation import collator as _collator

    return _collator(language, engine=engine)

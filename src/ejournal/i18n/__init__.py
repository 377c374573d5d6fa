"""Language support outside the pure core: collation (alphabetical order) by language.

:func:`collator` (in :mod:`ejournal.i18n.collation`) gives a
:class:`~ejournal.core.collation.Collator` for Russian, Tatar or English: ICU's when the
``ejournal[icu]`` extra is installed, else the wheel-only UCA one with the same order.  Nothing is
imported until a collator is asked for, so importing this package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ejournal.core.collation import Collator

__all__ = ["SUPPORTED_LANGUAGES", "collator"]

SUPPORTED_LANGUAGES: tuple[str, ...] = ("ru", "tt", "en")
"""Languages :func:`collator` accepts."""


def collator(language: str = "ru", *, engine: str | None = None) -> Collator:
    """The alphabetical order of ``language`` ("ru", "tt", "en"), by ICU or the UCA.

    Same contract as :func:`ejournal.i18n.collation.collator`; raises
    :class:`~ejournal.core.errors.InvalidInput` for any other language.
    """
    from ejournal.i18n.collation import collator as _collator

    return _collator(language, engine=engine)

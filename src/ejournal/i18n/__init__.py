"""Language support outside the pure core: collation (alphabetical order) by language.

:func:`collator` (in :mod:`ejournal.i18n.collation`) gives an ICU-backed
:class:`~ejournal.core.collation.Collator` for Russian, Tatar or English.  ICU is imported only
when a collator is asked for, so importing this package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ejournal.core.collation import Collator

__all__ = ["SUPPORTED_LANGUAGES", "collator"]

SUPPORTED_LANGUAGES: tuple[str, ...] = ("ru", "tt", "en")
"""Languages :func:`collator` accepts."""


def collator(language: str = "ru") -> Collator:
    """The alphabetical order of ``language`` ("ru", "tt", "en"), backed by ICU.

    Same contract as :func:`ejournal.i18n.collation.collator`; raises
    :class:`~ejournal.core.errors.InvalidInput` for any other language.
    """
    from ejournal.i18n.collation import collator as _collator

    return _collator(language)

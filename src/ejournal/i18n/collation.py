"""ICU-backed collators: the alphabetical order of Russian, Tatar and English.

ICU's locale rules (CLDR) are the reference: in Russian "Ё" sorts with "Е" and differs only at
the secondary level (Елкин < Ёлкин < Емельянов); in Tatar ә, җ, ң, ө, ү, һ are letters of their
own right after а, ж, н, о, у, х (Вәлиев < Воробьёв, Әхмәтова < Борисов).  No collation table is
written here by hand.
"""

from __future__ import annotations

import icu

from ejournal.core.collation import Collator
from ejournal.core.errors import InvalidInput
from ejournal.i18n import SUPPORTED_LANGUAGES

__all__ = ["IcuCollator", "collator"]


class IcuCollator:
    """A :class:`~ejournal.core.collation.Collator` over an ICU collator for one language.

    Keys are ICU sort keys (``bytes``) at the default (tertiary) strength: letters first,
    then diacritics (Е before Ё), then case.  Build it through :func:`collator`.
    """

    __slots__ = ("_icu", "_language")

    def __init__(self, language: str) -> None:
        self._language = language
        self._icu = icu.Collator.createInstance(icu.Locale(language))

    @property
    def language(self) -> str:
        """The language code ("ru", "tt", "en")."""
        return self._language

    def sort_key(self, text: str) -> bytes:
        """The ICU sort key of ``text``; raises :class:`InvalidInput` for a non-string."""
        if not isinstance(text, str):
            raise InvalidInput("collation.text", "must be a string", text)
        key = self._icu.getSortKey(text)
        assert isinstance(key, bytes)
        return key

    def __repr__(self) -> str:
        return f"IcuCollator({self._language!r})"


def collator(language: str = "ru") -> Collator:
    """The alphabetical order of ``language``: "ru" (default), "tt" or "en".

    The code is matched case-insensitively and without surrounding spaces.  Returns a new
    :class:`IcuCollator` (cheap; not shared between threads unless the caller shares it).
    Raises :class:`InvalidInput` naming ``language`` for any other value.
    """
    code = language.strip().lower() if isinstance(language, str) else None
    if code not in SUPPORTED_LANGUAGES:
        raise InvalidInput(
            "collation.language", f"unsupported language (supported: {', '.join(SUPPORTED_LANGUAGES)})", language
        )
    return IcuCollator(code)

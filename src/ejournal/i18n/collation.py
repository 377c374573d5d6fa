"""Collators: the alphabetical order of Russian, Tatar and English, by ICU or by the UCA.

Two engines give the same order on Russian and Tatar names (a test compares them on thousands):
ICU (``pip install 'ejournal[icu]'``), used when it is installed, and the wheel-only
:class:`~ejournal.i18n.uca.UcaCollator` (pyuca's DUCET with CLDR's tailorings), used otherwise.
Each collator's ``engine`` says which made an order, and the archive manifest records it.

ICU's locale rules (CLDR) are the reference: in Russian "Ё" sorts with "Е" and differs only at
the secondary level (Елкин < Ёлкин < Емельянов); in Tatar ә, җ, ң, ө, ү, һ are letters of their
own right after а, ж, н, о, у, х (Вәлиев < Воробьёв, Әхмәтова < Борисов).  No collation table is
written here by hand.
"""

from __future__ import annotations

from typing import Any

from ejournal.core.collation import Collator
from ejournal.core.errors import InvalidInput
from ejournal.i18n import SUPPORTED_LANGUAGES

__all__ = ["ENGINES", "IcuCollator", "collator", "icu_available"]

ENGINES: tuple[str, ...] = ("icu", "uca")
"""The collation engines :func:`collator` can use."""


def icu_available() -> bool:
    """True when PyICU can be imported (the ``ejournal[icu]`` extra)."""
    try:
        import icu  # noqa: F401
    except ImportError:
        return False
    return True


class IcuCollator:
    """A :class:`~ejournal.core.collation.Collator` over an ICU collator for one language.

    Keys are ICU sort keys (``bytes``) at the default (tertiary) strength: letters first,
    then diacritics (Е before Ё), then case.  Build it through :func:`collator`.
    """

    __slots__ = ("_icu", "_language", "_version")

    def __init__(self, language: str) -> None:
        import icu

        self._language = language
        self._icu: Any = icu.Collator.createInstance(icu.Locale(language))
        self._version = str(icu.ICU_VERSION)

    @property
    def language(self) -> str:
        """The language code ("ru", "tt", "en")."""
        return self._language

    @property
    def engine(self) -> str:
        """Which collation made the order: ``"icu-74.2"``."""
        return f"icu-{self._version}"

    def sort_key(self, text: str) -> bytes:
        """The ICU sort key of ``text``; raises :class:`InvalidInput` for a non-string."""
        if not isinstance(text, str):
            raise InvalidInput("collation.text", "must be a string", text)
        key = self._icu.getSortKey(text)
        assert isinstance(key, bytes)
        return key

    def __repr__(self) -> str:
        return f"IcuCollator({self._language!r})"


def collator(language: str = "ru", *, engine: str | None = None) -> Collator:
    """The alphabetical order of ``language``: "ru" (default), "tt" or "en".

    ``engine`` is ``"icu"``, ``"uca"`` or ``None`` for ICU when it is installed, else the UCA.
    Codes are matched case-insensitively and without surrounding spaces.  Returns a new
    collator (cheap; not shared between threads unless the caller shares it).  Raises
    :class:`InvalidInput` naming ``collation.language`` or ``collation.engine`` for any other
    value, or for ``engine="icu"`` when PyICU is not installed.
    """
    code = language.strip().lower() if isinstance(language, str) else None
    if code not in SUPPORTED_LANGUAGES:
        raise InvalidInput(
            "collation.language", f"unsupported language (supported: {', '.join(SUPPORTED_LANGUAGES)})", language
        )
    chosen = engine.strip().lower() if isinstance(engine, str) else engine
    if chosen is None:
        chosen = "icu" if icu_available() else "uca"
    if chosen not in ENGINES:
        raise InvalidInput("collation.engine", f"unknown engine (known: {', '.join(ENGINES)})", engine)
    if chosen == "icu":
        if not icu_available():
            raise InvalidInput("collation.engine", "ICU is not installed: pip install 'ejournal[icu]'", engine)
        return IcuCollator(code)
    from ejournal.i18n.uca import UcaCollator

    return UcaCollator(code)

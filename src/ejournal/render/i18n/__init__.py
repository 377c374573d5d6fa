"""Message catalogs of the renderers: every printed label in Russian, Tatar and English.

Catalogs are JSON files beside this module (``ru.json``, ``tt.json``, ``en.json``), loaded on
first use and cached (they are immutable).  A value is a ``str.format`` template, or, for words
that agree with a number, a mapping of plural categories (``one``/``few``/``many``/``other``).
Only labels are translated: the sheet's data (names, subjects, marks, "н/а") never changes with
the locale.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from datetime import date
from importlib import resources
from types import MappingProxyType

from ejournal.core.errors import InvalidInput

__all__ = ["LOCALES", "Catalog", "catalog"]

LOCALES: tuple[str, ...] = ("ru", "tt", "en")
"""The locales every renderer supports."""


def _plural_category(locale: str, n: int) -> str:
    """The CLDR plural category of ``n`` for ``locale`` (integers only)."""
    n = abs(n)
    if locale == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    if locale == "en":
        return "one" if n == 1 else "other"
    return "other"


class Catalog:
    """The labels of one locale.

    ``text(key, **params)`` formats a label; ``plural(key, n)`` picks the word form agreeing
    with ``n``; ``date(d)`` prints a date the locale's way.  A missing key or parameter raises
    :class:`InvalidInput` naming the locale and the key.
    """

    __slots__ = ("_messages", "locale")

    def __init__(self, locale: str, messages: Mapping[str, str | Mapping[str, str]]) -> None:
        self.locale = locale
        self._messages = MappingProxyType(dict(messages))

    @property
    def keys(self) -> frozenset[str]:
        """Every key of the catalog."""
        return frozenset(self._messages)

    def _raw(self, key: str) -> str | Mapping[str, str]:
        try:
            return self._messages[key]
        except KeyError:
            raise InvalidInput(f"catalog {self.locale}", "no such message", key) from None

    def text(self, key: str, /, **params: object) -> str:
        """The label ``key`` formatted with ``params``.

        Raises :class:`InvalidInput` for an unknown key, a plural-form key, or ``params`` that do
        not fill the message.
        """
        template = self._raw(key)
        if not isinstance(template, str):
            raise InvalidInput(f"catalog {self.locale}.{key}", "is a plural form; use plural()", key)
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError) as e:
            raise InvalidInput(f"catalog {self.locale}.{key}", f"cannot format the message: {e}", params) from e

    def gendered(self, key: str, sex: str, /, **params: object) -> str:
        """:meth:`text` of ``key`` in the form for ``sex`` ("m" or "f": ``key.m``/``key.f``, as
        «переведён»/«переведена»), the neutral ``key`` («переведён(а)») when ``sex`` is "" or the
        catalog has no such form.  Raises what :meth:`text` raises."""
        form = f"{key}.{sex}" if sex in ("m", "f") else ""
        return self.text(form if form in self._messages else key, **params)

    def plural(self, key: str, n: int) -> str:
        """The form of the word ``key`` that agrees with the number ``n``.

        Raises :class:`InvalidInput` for an unknown key or a catalog lacking the needed form.
        """
        forms = self._raw(key)
        if isinstance(forms, str):
            return forms
        category = _plural_category(self.locale, n)
        form = forms.get(category) or forms.get("other") or forms.get("many")
        if form is None:
            raise InvalidInput(f"catalog {self.locale}.{key}", f"no plural form {category!r}", n)
        return form

    def number_words(self, n: int) -> str:
        """``n`` in words for the certification line ("шесть", "двадцать один"), ``""`` where the
        locale has no library for it (the line then shows the digits only).

        Russian words come from pytils (masculine, agreeing with «лист»).  Raises
        :class:`InvalidInput` for a negative or non-integer ``n``.
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InvalidInput("number_words", "must be a whole number ≥ 0", n)
        if self.locale != "ru":
            return ""
        from pytils import numeral

        words: str = numeral.in_words(n)
        return words

    def date(self, day: date | None) -> str:
        """``day`` in the locale's date format ("31.05.2026" in ru/tt, "2026-05-31" in en); "" for None."""
        if day is None:
            return ""
        return self.text("format.date", d=day.day, m=day.month, y=day.year)

    def __repr__(self) -> str:
        return f"Catalog({self.locale!r}, {len(self._messages)} messages)"


@functools.cache
def _load(locale: str) -> Catalog:
    raw = resources.files(__name__).joinpath(f"{locale}.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise InvalidInput(f"catalog {locale}", "must be a JSON object", type(data).__name__)
    return Catalog(locale, data)


def catalog(locale: str = "ru") -> Catalog:
    """The catalog of ``locale`` ("ru", "tt", "en"); raises :class:`InvalidInput` for another locale."""
    code = locale.strip().lower() if isinstance(locale, str) else None
    if code not in LOCALES:
        raise InvalidInput("locale", f"unsupported locale (supported: {', '.join(LOCALES)})", locale)
    return _load(code)

"""The message catalogs: every text of ejournal in Russian, Tatar and English, as gettext ``.po`` files.

One catalog per locale, ``locales/<lang>/LC_MESSAGES/ejournal.po`` beside this module, holds the
validation messages (keys ``check.*``), the grading explanations (``explain.*``), the diary's
sentences (``diary.*``) and every label the renderers print.  A ``msgid`` is a stable key, its
``msgstr`` a ``str.format`` template; words agreeing with a number
are gettext plural entries whose forms follow the catalog's ``Plural-Forms`` header (three in
Russian, two in English, one in Tatar, as CLDR's plural categories).  ``ru.po`` holds the source
texts, ``ejournal.pot`` the template; docs/i18n.md describes the translators' workflow.

A catalog is read with Babel's ``read_po`` on first use and cached (it is immutable); nothing is
read, and Babel is not imported, when this module is imported.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from types import MappingProxyType
from typing import Union

from ejournal.core.errors import InvalidInput
from ejournal.i18n.numbers import LOCALES, Rounding, format_date, format_number, format_percent

__all__ = ["DOMAIN", "LOCALES", "Catalog", "Message", "catalog", "po_path"]

DOMAIN = "ejournal"
"""The gettext domain: the catalogs are ``<lang>/LC_MESSAGES/ejournal.po``."""

Message = Union[str, tuple[str, ...], Mapping[str, str]]  # noqa: UP007 - a runtime alias
"""A message: a template, the plural forms in the order of ``Plural-Forms``, or (for catalogs
built in code) a mapping of CLDR plural categories (``one``/``few``/``many``/``other``) to forms."""


def _plural_category(locale: str, n: int) -> str:
    """The CLDR plural category of ``n`` for ``locale``, by Babel."""
    from ejournal.i18n.numbers import _babel_locale

    category: str = _babel_locale(locale).plural_form(abs(n))
    return category


class Catalog:
    """The texts of one locale.

    ``text(key, **params)`` formats a message; ``gendered`` picks a message's form for a sex;
    ``plural(key, n)`` the word form agreeing with ``n``; ``number``, ``percent`` and ``date``
    write values the locale's way (Babel, after the exact rounding); ``number_words`` spells a
    number.  A missing key or parameter raises :class:`InvalidInput` naming the locale and the key.

    ``plural_index`` maps ``n`` to the index of a plural form (the ``Plural-Forms`` expression);
    without it, plural forms given as tuples are chosen by CLDR category order.
    """

    __slots__ = ("_messages", "_plural_index", "locale")

    def __init__(
        self,
        locale: str,
        messages: Mapping[str, Message],
        plural_index: Callable[[int], int] | None = None,
    ) -> None:
        self.locale = locale
        self._messages: Mapping[str, Message] = MappingProxyType(dict(messages))
        self._plural_index = plural_index

    @property
    def keys(self) -> frozenset[str]:
        """Every key of the catalog."""
        return frozenset(self._messages)

    def __contains__(self, key: object) -> bool:
        return key in self._messages

    def _raw(self, key: str) -> Message:
        try:
            return self._messages[key]
        except KeyError:
            raise InvalidInput(f"catalog {self.locale}", "no such message", key) from None

    def template(self, key: str, /) -> str:
        """The unformatted template of ``key``; raises :class:`InvalidInput` for an unknown or plural key."""
        template = self._raw(key)
        if not isinstance(template, str):
            raise InvalidInput(f"catalog {self.locale}.{key}", "is a plural form; use plural()", key)
        return template

    def text(self, key: str, /, **params: object) -> str:
        """The message ``key`` formatted with ``params``.

        Raises :class:`InvalidInput` for an unknown key, a plural-form key, or ``params`` that do
        not fill the message.
        """
        template = self.template(key)
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
        if isinstance(forms, tuple):
            if self._plural_index is not None:
                index = self._plural_index(abs(n))
            else:
                order: list[str] = [c for c in ("one", "two", "few", "many", "other") if c in _categories(self.locale)]
                index = order.index(_plural_category(self.locale, n))
            if 0 <= index < len(forms) and forms[index]:
                return forms[index]
            raise InvalidInput(f"catalog {self.locale}.{key}", f"no plural form {index}", n)
        category = _plural_category(self.locale, n)
        form = forms.get(category) or forms.get("other") or forms.get("many")
        if form is None:
            raise InvalidInput(f"catalog {self.locale}.{key}", f"no plural form {category!r}", n)
        return form

    def number(self, value: Fraction | int | Decimal, places: int | None, *, rounding: Rounding = "half_up") -> str:
        """:func:`~ejournal.i18n.numbers.format_number` in this locale («4,29»)."""
        return format_number(value, places, self.locale, rounding=rounding)

    def percent(self, rate: Fraction | int | Decimal, places: int, *, sign: bool = True) -> str:
        """:func:`~ejournal.i18n.numbers.format_percent` in this locale («81,3 %»)."""
        return format_percent(rate, places, self.locale, sign=sign)

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
        return format_date(day, self.locale)

    def __repr__(self) -> str:
        return f"Catalog({self.locale!r}, {len(self._messages)} messages)"


@functools.cache
def _categories(locale: str) -> frozenset[str]:
    from ejournal.i18n.numbers import _babel_locale

    rules = _babel_locale(locale).plural_form
    return frozenset(rules.tags) | {"other"}


def po_path(locale: str) -> resources.abc.Traversable:
    """Where the ``.po`` file of ``locale`` lives inside the package."""
    return resources.files(__package__ or "ejournal.i18n").joinpath("locales", locale, "LC_MESSAGES", f"{DOMAIN}.po")


@functools.cache
def _load(locale: str) -> Catalog:
    from babel.messages.pofile import read_po

    with po_path(locale).open("rb") as f:
        po = read_po(f, locale=locale, domain=DOMAIN)
    messages: dict[str, Message] = {}
    for m in po:
        if not m.id:
            continue  # the header
        key = str(m.id[0] if isinstance(m.id, (tuple, list)) else m.id)
        if isinstance(m.string, (tuple, list)):
            messages[key] = tuple(str(form) for form in m.string)
        elif m.string:
            messages[key] = str(m.string)
    index = gettext.c2py(po.plural_expr)
    return Catalog(locale, messages, index)


def catalog(locale: str = "ru") -> Catalog:
    """The catalog of ``locale`` ("ru", "tt", "en"; "ru_RU" or "tt-RU" also do); raises
    :class:`InvalidInput` for another locale."""
    code = locale.strip().replace("-", "_").split("_", 1)[0].lower() if isinstance(locale, str) else None
    if code not in LOCALES:
        raise InvalidInput("locale", f"unsupported locale (supported: {', '.join(LOCALES)})", locale)
    return _load(code)

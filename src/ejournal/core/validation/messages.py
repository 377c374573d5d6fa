"""The message catalogs of validation, as views of the one catalog of :mod:`ejournal.i18n`.

The texts live in the gettext catalogs (``ejournal/i18n/locales/<lang>/LC_MESSAGES/ejournal.po``)
under ``check.<key>`` (messages), ``check.term.<key>`` (translated parameter values) and
``check.ui.<key>`` (labels of the text report), in Russian, Tatar and English.  Templates use
``str.format`` fields named after the finding's parameters.  The mappings below read the catalogs
on first use; user-defined rules bring their own templates (see :class:`Rule`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ejournal.i18n.numbers import LOCALES

__all__ = ["LOCALES", "MESSAGES", "TERMS", "UI"]


class _Section(Mapping[str, str]):
    """The messages of one locale whose keys start with ``prefix`` (the prefix left out)."""

    __slots__ = ("_locale", "_prefix")

    def __init__(self, locale: str, prefix: str) -> None:
        self._locale = locale
        self._prefix = prefix

    def _items(self) -> dict[str, str]:
        from ejournal.i18n.catalogs import catalog

        cat = catalog(self._locale)
        n = len(self._prefix)
        return {
            k[n:]: cat.template(k)
            for k in sorted(cat.keys)
            if k.startswith(self._prefix) and "." not in k[n:].replace("severity.", "", 1)
        }

    def __getitem__(self, key: str) -> str:
        from ejournal.i18n.catalogs import catalog

        cat = catalog(self._locale)
        full = self._prefix + key
        if full not in cat:
            raise KeyError(key)
        return cat.template(full)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


class _ByLocale(Mapping[str, Mapping[str, str]]):
    __slots__ = ("_prefix",)

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix

    def __getitem__(self, locale: str) -> Mapping[str, str]:
        if locale not in LOCALES:
            raise KeyError(locale)
        return _Section(locale, self._prefix)

    def __iter__(self) -> Iterator[str]:
        return iter(LOCALES)

    def __len__(self) -> int:
        return len(LOCALES)


MESSAGES: Mapping[str, Mapping[str, str]] = _ByLocale("check.")
"""Message templates: ``MESSAGES[locale][key]`` (catalog keys ``check.<key>``)."""

TERMS: Mapping[str, Mapping[str, str]] = _ByLocale("check.term.")
"""Translated parameter values (:class:`Term` keys): ``TERMS[locale][key]`` (``check.term.<key>``)."""

UI: Mapping[str, Mapping[str, str]] = _ByLocale("check.ui.")
"""Labels of the text report: ``UI[locale][key]`` (``check.ui.<key>``)."""

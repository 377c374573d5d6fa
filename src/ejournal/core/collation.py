"""The collation port: how the summary sheet orders names alphabetically in a language.

Alphabetical order is a property of the language, not of code points: Russian sorts "Ё" with
"Е" (Елкин, Ёлкин, Емельянов) and Tatar puts ә, җ, ң, ө, ү, һ right after а, ж, н, о, у, х.
Python's ``sorted()`` on the strings gets both wrong.  The core only names what it needs
(:class:`Collator`); the ICU-backed implementations live in :mod:`ejournal.i18n.collation`,
outside the core, which may import only the standard library and attrs.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["Collator"]


@runtime_checkable
class Collator(Protocol):
    """Turns text into a key whose natural order is the language's alphabetical order.

    ``language`` is the language code the order belongs to ("ru", "tt", "en"); the summary sheet
    records it.  ``sort_key(text)`` returns a key (bytes or a tuple) such that, for one collator,
    ``sort_key(a) < sort_key(b)`` exactly when ``a`` comes before ``b`` in that language; equal
    keys mean the language does not distinguish the two strings.  Keys of one collator are
    always of one type, so they compare with each other; keys of different collators are not
    meant to be compared.  ``sort_key`` must not raise for any ``str``.
    """

    @property
    def language(self) -> str:
        """The language code whose alphabetical order the keys follow."""
        ...

    def sort_key(self, text: str) -> bytes | tuple[object, ...]:
        """The collation key of ``text``."""
        ...

"""The wheel-only UCA collator orders Russian and Tatar names exactly as ICU does.

ICU (the ``ejournal[icu]`` extra) is the reference; the UCA collator is the default without it.
Both order thousands of generated names here — the demo school's name lists, then random names
built from the letters that matter (Ё/Е, the six Tatar letters, hyphens, Latin spellings).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ejournal.core.errors import InvalidInput
from ejournal.demo._names import random_name
from ejournal.i18n.collation import collator, icu_available
from ejournal.i18n.uca import UcaCollator

needs_icu = pytest.mark.skipif(not icu_available(), reason="PyICU (the ejournal[icu] extra) is not installed")


def _demo_names(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [random_name(rng, female=rng.random() < 0.5, tatar=rng.random() < 0.5).full for _ in range(count)]


@needs_icu
@pytest.mark.parametrize("language", ["ru", "tt"])
def test_uca_orders_the_demo_names_as_icu(language: str) -> None:
    names = _demo_names(4000, seed=2026)
    icu, uca = collator(language, engine="icu"), collator(language, engine="uca")
    assert sorted(names, key=uca.sort_key) == sorted(names, key=icu.sort_key)


_LETTERS = "аәбвгдеёжҗзийклмнңоөпрстуүфхһцчшщъыьэюя"
_word = st.text(alphabet=_LETTERS + _LETTERS.upper() + "-' ", min_size=1, max_size=8)
_latin = st.text(alphabet="abcdeyzABZ", min_size=1, max_size=5)


@needs_icu
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_word, _word, _word, _latin), min_size=2, max_size=30), st.sampled_from(["ru", "tt"]))
def test_uca_orders_random_cyrillic_and_latin_words_as_icu(words: list[str], language: str) -> None:
    icu, uca = collator(language, engine="icu"), collator(language, engine="uca")
    by_icu = sorted(words, key=icu.sort_key)
    by_uca = sorted(words, key=uca.sort_key)
    # Strings ICU cannot tell apart may come in either order: compare their keys, not the strings.
    assert [icu.sort_key(w) for w in by_uca] == [icu.sort_key(w) for w in by_icu]


def test_the_default_engine_works_without_icu() -> None:
    c = UcaCollator("tt")
    words = ["Воробьёв", "Вәлиев", "Борисов", "Әхмәтова", "Абдуллин", "Smith"]
    assert sorted(words, key=c.sort_key) == ["Smith", "Абдуллин", "Әхмәтова", "Борисов", "Вәлиев", "Воробьёв"]
    assert c.engine.startswith("uca-")
    assert c.engine.endswith("+ejournal-tt-1")


def test_russian_puts_cyrillic_before_latin_and_yo_with_ye() -> None:
    c = collator("ru", engine="uca")
    assert sorted(["Smith", "Ёлкин", "Елкин", "Емельянов"], key=c.sort_key) == ["Елкин", "Ёлкин", "Емельянов", "Smith"]


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"collation\.engine"):
        collator("ru", engine="glibc")


@needs_icu
def test_each_collator_names_its_engine() -> None:
    assert collator("ru", engine="icu").engine.startswith("icu-")  # type: ignore[attr-defined]
    assert collator("ru", engine="uca").engine.startswith("uca-")  # type: ignore[attr-defined]

"""Collators: the language's alphabetical order, not code points."""

from __future__ import annotations

import pytest

from ejournal.core.collation import Collator
from ejournal.core.errors import InvalidInput
from ejournal.i18n import collator as lazy_collator
from ejournal.i18n.collation import collator


def _sorted(language: str, words: list[str]) -> list[str]:
    c = collator(language)
    return sorted(words, key=c.sort_key)


def test_russian_sorts_yo_with_ye() -> None:
    words = ["Емельянов", "Ёлкин", "Елкин"]
    assert _sorted("ru", words) == ["Елкин", "Ёлкин", "Емельянов"]
    # Code points put Ё (U+0401) before every other capital letter: the test above is meaningful.
    assert sorted(words) == ["Ёлкин", "Елкин", "Емельянов"]


def test_tatar_letters_follow_their_base_letters() -> None:
    words = ["Воробьёв", "Вәлиев", "Борисов", "Әхмәтова", "Абдуллин"]
    assert _sorted("tt", words) == ["Абдуллин", "Әхмәтова", "Борисов", "Вәлиев", "Воробьёв"]
    # Plain sorted() sends ә (U+04D9) after the whole Russian alphabet.
    assert sorted(words) == ["Абдуллин", "Борисов", "Воробьёв", "Вәлиев", "Әхмәтова"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Ахмадуллин", "Әхмәтов"),  # ә right after а
        ("Жуков", "Җиһангиров"),  # җ right after ж
        ("Нуров", "Ңарат"),  # ң right after н
        ("Орлов", "Өмәров"),  # ө right after о
        ("Усманов", "Үзбәков"),  # ү right after у
        ("Хасанов", "Һадиев"),  # һ right after х
        ("Әхмәтов", "Борисов"),
        ("Җиһангиров", "Зарипов"),
        ("Ңарат", "Орлов"),
        ("Өмәров", "Петров"),
        ("Үзбәков", "Фаттахов"),
        ("Һадиев", "Цой"),
    ],
)
def test_each_tatar_letter_sits_between_its_base_and_the_next_letter(before: str, after: str) -> None:
    c = collator("tt")
    assert c.sort_key(before) < c.sort_key(after)


def test_english_ignores_case_at_the_first_level() -> None:
    assert _sorted("en", ["beta", "Alpha", "alpha"]) == ["alpha", "Alpha", "beta"]


def test_language_is_recorded_and_normalised() -> None:
    assert collator().language == "ru"
    assert collator(" TT ").language == "tt"
    assert lazy_collator("en").language == "en"


def test_collators_satisfy_the_core_protocol() -> None:
    assert isinstance(collator("ru"), Collator)
    assert isinstance(collator("ru").sort_key("Ёж"), bytes)


@pytest.mark.parametrize("language", ["de", "", "xx", "ru-Latn", 5])
def test_unknown_language_is_invalid_input(language: object) -> None:
    with pytest.raises(InvalidInput) as err:
        collator(language)  # type: ignore[arg-type]
    assert err.value.where == "collation.language"


def test_sort_key_refuses_non_text() -> None:
    with pytest.raises(InvalidInput):
        collator("ru").sort_key(None)  # type: ignore[arg-type]

"""What a person typed, matched against what exists; and the error that lists the choices."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ejournal.core.choices import fold, matches, unknown
from ejournal.core.errors import NotFound


def test_latin_look_alikes_and_case_find_the_cyrillic_label() -> None:
    assert matches("9A", "9А")  # Latin A
    assert matches("9а", "9А")
    assert matches(" 10b ", "10В") is False  # b is not a look-alike of В (B is)
    assert matches("10B", "10В")
    assert not matches("9Б", "9А")


def test_yo_and_ye_are_one_letter_for_matching() -> None:
    assert matches("Елкин Иван Петрович", "Ёлкин Иван Петрович")
    assert matches("ёлкин  иван", "Ёлкин Иван")


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_an_unknown_name_lists_the_choices_and_suggests_the_closest() -> None:
    error = unknown("class", "9Ж", ["9А", "9Б", "10А"], "school s1, year 2025/2026")
    assert isinstance(error, NotFound)
    text = str(error)
    assert "'9Ж'" in text
    assert "choices: 9А, 9Б, 10А" in text
    assert "school s1, year 2025/2026" in text


def test_a_near_miss_gets_a_did_you_mean() -> None:
    text = str(unknown("student", "Иванов Иван Иванови", ["Петров Пётр Петрович", "Иванов Иван Иванович"]))
    assert "did you mean Иванов Иван Иванович?" in text


def test_no_choices_says_so() -> None:
    assert "there are none" in str(unknown("year", "2030/2031", []))


def test_long_choice_lists_are_cut() -> None:
    text = str(unknown("student", "x", [f"s{i}" for i in range(100)]))
    assert "(100 in all)" in text
    assert "s29" in text
    assert "s30," not in text

"""Message catalogs and fonts: every label in every locale, every letter in the font."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ejournal.render
from ejournal.core.errors import InvalidInput
from ejournal.core.journal import DecisionKind
from ejournal.core.validation.findings import Severity
from ejournal.render.fonts import REQUIRED_CHARACTERS, FontSpec, default_font_spec, missing_glyphs, register
from ejournal.render.i18n import LOCALES, catalog

SOURCES = Path(ejournal.render.__file__).parent
PREFIXES = "sheet|col|group|row|decision|movement|stats|footer|plural|page|course|validation|severity|diary|format"
LITERAL_KEY = re.compile(rf"""["']((?:{PREFIXES})\.[a-z_]+)["']""")


def _keys_used() -> set[str]:
    keys: set[str] = set()
    for path in SOURCES.rglob("*.py"):
        keys |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    # keys built from enum values: f"decision.{kind.value}", f"severity.{severity.value}"
    keys |= {f"decision.{k.value}" for k in DecisionKind}
    keys |= {f"severity.{s.value}" for s in Severity}
    return keys


def test_the_source_scan_finds_keys() -> None:
    used = _keys_used()
    assert {"sheet.title", "page.of", "footer.certified", "plural.sheets", "col.annual"} <= used


@pytest.mark.parametrize("locale", LOCALES)
def test_every_key_used_is_in_every_catalog(locale: str) -> None:
    assert sorted(_keys_used() - catalog(locale).keys) == []


def test_catalogs_have_the_same_keys() -> None:
    assert catalog("ru").keys == catalog("tt").keys == catalog("en").keys


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (1, "лист"),
        (2, "листа"),
        (4, "листа"),
        (5, "листов"),
        (11, "листов"),
        (12, "листов"),
        (21, "лист"),
        (22, "листа"),
    ],
)
def test_russian_plural_of_sheets(n: int, word: str) -> None:
    assert catalog("ru").plural("plural.sheets", n) == word


def test_english_plural_and_dates() -> None:
    from datetime import date

    en = catalog("en")
    assert en.plural("plural.sheets", 1) == "sheet"
    assert en.plural("plural.sheets", 7) == "sheets"
    assert en.date(date(2026, 5, 31)) == "2026-05-31"
    assert catalog("ru").date(date(2026, 5, 31)) == "31.05.2026"
    assert catalog("tt").date(date(2026, 5, 1)) == "01.05.2026"


def test_unknown_locale_and_key_say_where() -> None:
    with pytest.raises(InvalidInput, match="locale"):
        catalog("de")
    with pytest.raises(InvalidInput, match=r"no\.such"):
        catalog("ru").text("no.such")


def test_default_font_has_every_needed_letter() -> None:
    spec = default_font_spec()
    for path in (spec.regular, spec.bold):
        assert missing_glyphs(path, [REQUIRED_CHARACTERS]) == []
    for letter in "ЁёӘӨҮҖҢҺәөүҗңһ":
        assert letter in REQUIRED_CHARACTERS


def test_missing_glyphs_detects_a_missing_letter() -> None:
    # Source Sans Pro has no CJK ideographs: the check must notice.
    assert missing_glyphs(default_font_spec().regular, ["Ёж 漢"]) == ["漢"]


def test_font_is_registered_once_under_a_prefixed_name() -> None:
    from reportlab.pdfbase import pdfmetrics

    first = register()
    second = register()
    assert first is second
    assert first.regular == "ejournal-Sans"
    assert first.bold == "ejournal-Sans-Bold"
    assert "ejournal-Sans" in pdfmetrics.getRegisteredFontNames()


def test_user_font_spec_gets_its_own_prefixed_name() -> None:
    spec = default_font_spec()
    custom = FontSpec.from_files(spec.bold, spec.regular)
    assert custom.family.startswith("ejournal-")
    assert custom.family != spec.family
    with pytest.raises(InvalidInput, match="ejournal-"):
        FontSpec(spec.regular, spec.bold, family="Helvetica")
    with pytest.raises(InvalidInput, match="not found"):
        register(FontSpec.from_files("/nonexistent/font.ttf"))


def test_the_certification_line_spells_the_number_in_russian() -> None:
    from ejournal.core.errors import InvalidInput
    from ejournal.render.i18n import catalog

    ru = catalog("ru")
    assert [ru.number_words(n) for n in (1, 2, 5, 11, 21, 22)] == [
        "один",
        "два",
        "пять",
        "одиннадцать",
        "двадцать один",
        "двадцать два",
    ]
    text = ru.text("footer.certified", count=21, words=ru.number_words(21), sheets=ru.plural("plural.sheets", 21))
    assert text == "Пронумеровано, прошнуровано и скреплено печатью 21 (двадцать один) лист"
    assert catalog("tt").number_words(6) == catalog("en").number_words(6) == ""  # no library: digits only
    with pytest.raises(InvalidInput):
        ru.number_words(-1)


def test_the_statistics_are_written_as_the_locale_writes_numbers() -> None:
    from fractions import Fraction

    from ejournal.render.table import RowRole
    from ejournal.render.tabular import rows
    from ejournal.testing.samples import sample_sheet

    sheet = sample_sheet(students=16, subjects=4)

    def figures(locale: str) -> list[list[str]]:
        return [
            list(r.cells[9:13]) for r in rows(sheet, locale=locale) if r.section == "stats" and r.role is RowRole.BODY
        ]

    ru, en = figures("ru"), figures("en")
    assert ru
    assert any("," in cell for line in ru for cell in line)
    assert not any("," in cell for line in en for cell in line)  # "80.0", not the Russian «80,0»
    assert [[c.replace(",", ".") for c in line] for line in ru] == en
    # one rounding, half up, by the project's rule (Babel alone would round 81.25 to 81.2)
    from ejournal.i18n.numbers import format_number

    assert format_number(Fraction(8125, 100), 1, "en") == "81.3"

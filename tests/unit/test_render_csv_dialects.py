"""CSV that a Russian office opens by double-click, and plain RFC 4180 CSV for programs."""

from __future__ import annotations

import csv
import io

import pytest

from ejournal.core.errors import InvalidInput
from ejournal.core.summary import SummarySheet
from ejournal.render import CsvDialect, RenderOptions, render
from ejournal.render.tabular import rows
from ejournal.testing.samples import sample_sheet


@pytest.fixture(scope="module")
def sheet() -> SummarySheet:
    return sample_sheet()


def _cells(sheet: SummarySheet, locale: str) -> list[list[str]]:
    return [list(r.cells) for r in rows(sheet, None, locale)]


def test_russian_csv_is_excels_dialect_by_default(sheet: SummarySheet) -> None:
    data = render(sheet, "csv", locale="ru")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark: Excel then reads UTF-8, not cp1251
    text = data.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert [r for r in parsed if r] == [r for r in _cells(sheet, "ru") if r]
    assert "\r\n" in text


def test_decimal_commas_stay_unquoted_in_excels_dialect(sheet: SummarySheet) -> None:
    text = render(sheet, "csv", locale="ru").decode("utf-8-sig")
    decimals = [c for r in _cells(sheet, "ru") for c in r if "," in c and c.replace(",", "").isdigit()]
    assert decimals, "the sample sheet prints decimal figures"
    for value in decimals:
        assert f";{value};" in text or f";{value}\r\n" in text


def test_english_csv_is_rfc4180_by_default(sheet: SummarySheet) -> None:
    data = render(sheet, "csv", locale="en")
    assert not data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert [r for r in parsed if r] == [r for r in _cells(sheet, "en") if r]


@pytest.mark.parametrize("locale", ["ru", "tt", "en"])
def test_either_dialect_can_be_asked_for(sheet: SummarySheet, locale: str) -> None:
    plain = render(sheet, "csv", locale=locale, csv_dialect=CsvDialect.RFC4180)
    excel = render(sheet, "csv", locale=locale, csv_dialect=CsvDialect.EXCEL)
    assert list(csv.reader(io.StringIO(plain.decode("utf-8"), newline=""))) == list(
        csv.reader(io.StringIO(excel.decode("utf-8-sig"), newline=""), delimiter=";")
    )


def test_a_dialect_that_is_not_a_csv_dialect_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"render_options\.csv_dialect"):
        RenderOptions(csv_dialect="excel")  # type: ignore[arg-type]

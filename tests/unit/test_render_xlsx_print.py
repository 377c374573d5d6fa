"""The workbook prints as the sheet: title, signatures, A4 landscape, repeated titles, page footer, numbers."""

from __future__ import annotations

import io

import openpyxl
import pytest

from ejournal.core.summary import SummarySheet
from ejournal.render import render
from ejournal.testing.samples import sample_sheet


@pytest.fixture(scope="module")
def worksheet(request: pytest.FixtureRequest) -> object:
    sheet: SummarySheet = sample_sheet()
    request.node.sheet = sheet
    ws = openpyxl.load_workbook(io.BytesIO(render(sheet, "xlsx"))).active
    assert ws is not None
    return ws


def _texts(ws: object) -> list[str]:
    return [str(c.value) for r in ws.iter_rows() for c in r if c.value is not None]  # type: ignore[attr-defined]


def test_the_title_block_names_school_class_year_and_teacher(worksheet: object) -> None:
    sheet = sample_sheet()
    top = [worksheet.cell(row=r, column=1).value for r in range(1, 8)]  # type: ignore[attr-defined]
    assert top[0] == sheet.header.school_name_ru
    assert "Сводная ведомость учёта успеваемости обучающихся" in top
    assert any(sheet.header.academic_year in str(t) for t in top)
    assert any(sheet.header.class_label in str(t) for t in top)


def test_signature_lines_follow_the_tables(worksheet: object) -> None:
    texts = _texts(worksheet)
    director = next(i for i, t in enumerate(texts) if t.startswith("Директор ____"))
    teacher = next(i for i, t in enumerate(texts) if t.startswith("Классный руководитель ____"))
    assert director < teacher
    assert "М.П." in texts[teacher:]
    assert any(t.startswith("Дата:") for t in texts[teacher:])


def test_page_setup_prints_a4_landscape_fit_to_width(worksheet: object) -> None:
    ws = worksheet
    assert ws.page_setup.orientation == "landscape"  # type: ignore[attr-defined]
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)  # type: ignore[attr-defined]
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True  # type: ignore[attr-defined]
    assert ws.page_setup.fitToWidth == 1  # type: ignore[attr-defined]
    assert ws.page_setup.fitToHeight == 0  # type: ignore[attr-defined]


def test_grid_header_and_names_repeat_on_every_page(worksheet: object) -> None:
    ws = worksheet
    top = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "№")  # type: ignore[attr-defined]
    assert ws.print_title_rows.replace("$", "") == f"{top}:{top + 1}"  # type: ignore[attr-defined]
    assert ws.print_title_cols.replace("$", "") == "A:B"  # type: ignore[attr-defined]
    assert ws.freeze_panes == f"C{top + 2}"  # type: ignore[attr-defined]


def test_the_footer_numbers_the_pages(worksheet: object) -> None:
    assert worksheet.oddFooter.center.text == "Лист &P из &N"  # type: ignore[attr-defined]


def test_rates_and_averages_are_numbers_with_formats(worksheet: object) -> None:
    numbers = [
        c
        for r in worksheet.iter_rows()  # type: ignore[attr-defined]
        for c in r
        if isinstance(c.value, int | float) and c.number_format != "General"
    ]
    percent = [c for c in numbers if c.number_format == "0.0%"]
    averages = [c for c in numbers if c.number_format == "0.00"]
    assert percent, "success and quality rates are percentages"
    assert averages, "average marks are decimals"
    assert all(0 <= c.value <= 1 for c in percent)
    assert all(1 <= c.value <= 5 for c in averages)

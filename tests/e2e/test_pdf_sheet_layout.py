"""How the sheet's PDF uses its pages (issue 9): a grade-9 class's marks fit two page widths,
and the signature block never stands alone on a page, whatever the class size."""

from __future__ import annotations

import io
from datetime import date

import pdfplumber
import pytest

from ejournal.core.summary import Certification, build_summary_sheet
from ejournal.demo import generate_class_journal
from ejournal.i18n import collator
from ejournal.render import render
from ejournal.render.i18n import catalog
from ejournal.render.samples import sample_sheet


def _pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def test_a_grade_9_class_of_28_prints_every_mark_within_two_page_widths() -> None:
    journal = generate_class_journal(grade=9, students=28, seed=3)
    sheet = build_summary_sheet(
        journal, collator=collator("ru"), certification=Certification.from_journal(journal, date(2026, 6, 25))
    )
    assert len(sheet.subjects) >= 15
    assert len(sheet.columns) >= 100
    pages = _pages(render(sheet, "pdf"))
    first = sheet.rows[0]
    holding = [i for i, text in enumerate(pages) if f"1 {first.full_name}" in text]
    # the first student's marks: on two pages at most (three and more before the narrow columns)
    assert 1 <= len(holding) <= 2
    # the short names of all subjects head the marks on those pages
    heads = "\n".join(pages[i] for i in holding)
    for subject in sheet.subjects:
        assert subject.subject_label in heads


@pytest.mark.parametrize("students", range(18, 44, 3))
def test_the_signature_block_always_has_rows_with_it(students: int) -> None:
    sheet = sample_sheet(students=students, subjects=6, grade=7)
    pages = _pages(render(sheet, "pdf"))
    last = pages[-1]
    # no table's heading is left at the foot of a page without its rows
    cat = catalog("ru")
    headings = {cat.text(k) for k in ("stats.title", "stats.class_title", "stats.categories", "movement.title")}
    assert not [i for i, text in enumerate(pages[:-1]) if text.rstrip().splitlines()[-2].strip() in headings]
    assert "Пронумеровано, прошнуровано" in last
    # besides the running header, the signature block and the page number, the last page holds
    # rows of the sheet's last table
    lines = [
        line
        for line in last.splitlines()
        if line.strip()
        and not any(
            mark in line
            for mark in (
                "Пронумеровано",
                "Директор",
                "Классный руководитель",
                "(подпись)",
                "М.П.",
                "Лист ",
                "«",
                "Дата",
            )
        )
    ]
    last_table = len(sheet.movements) if sheet.movements else 3
    assert len(lines) >= min(3, last_table) + 1, last  # its rows and their header

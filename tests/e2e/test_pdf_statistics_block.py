"""The PDF of a summary sheet prints its statistics block and its arrivals and departures.

The expected figures are counted here straight from the journal's annual results with
DOMAIN.md's formulas, not taken from :mod:`ejournal.core.stats`.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pdfplumber
import pytest

from ejournal.core.journal import ClassJournal, ResultKind
from ejournal.core.scales import Status
from ejournal.core.summary import Certification, SummarySheet, build_summary_sheet
from ejournal.i18n import collator
from ejournal.render import render
from ejournal.render.samples import sample_journal


@pytest.fixture(scope="module")
def journal() -> ClassJournal:
    return sample_journal(students=8, subjects=3, grade=9)


@pytest.fixture(scope="module")
def sheet(journal: ClassJournal) -> SummarySheet:
    return build_summary_sheet(
        journal, collator=collator("ru"), certification=Certification.from_journal(journal, date(2026, 6, 25))
    )


@pytest.fixture(scope="module")
def lines(sheet: SummarySheet) -> list[str]:
    with pdfplumber.open(io.BytesIO(render(sheet, "pdf", locale="ru"))) as doc:
        return [line for page in doc.pages for line in (page.extract_text() or "").splitlines()]


def _percent(numerator: int, denominator: int, places: str) -> str:
    exact = Decimal(numerator) / Decimal(denominator)
    return str(exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)).replace(".", ",")


def test_the_class_line_of_the_year_has_the_hand_counted_figures(journal: ClassJournal, lines: list[str]) -> None:
    # every course of the sample is graded on the five-point scale, so the class pools them all
    annual = [r.value for r in journal.results.values() if r.kind is ResultKind.ANNUAL]
    n = {g: annual.count(g) for g in (5, 4, 3, 2)}
    na, exempt = annual.count(Status.NOT_CERTIFIED), annual.count(Status.EXEMPT)
    total = n[5] + n[4] + n[3] + n[2] + na
    marks = n[5] + n[4] + n[3] + n[2]
    assert total > 0
    expected = [
        str(total),
        *(str(n[g]) for g in (5, 4, 3, 2)),
        str(na),
        str(exempt),
        _percent(100 * (n[5] + n[4] + n[3]), total, "0.1"),
        _percent(100 * (n[5] + n[4]), total, "0.1"),
        _percent(5 * n[5] + 4 * n[4] + 3 * n[3] + 2 * n[2], marks, "0.01"),
        _percent(100 * n[5] + 64 * n[4] + 36 * n[3] + 16 * n[2] + 7 * na, total, "0.1"),
    ]
    assert "Итоги успеваемости" in lines
    class_year = [line.split()[2:] for line in lines if line.startswith("Класс год ")]
    assert class_year == [expected]


def test_arrivals_and_departures_are_printed(journal: ClassJournal, lines: list[str]) -> None:
    text = "\n".join(lines)
    arrived = [s for s in journal.students.values() if s.arrival_order]
    left = [s for s in journal.students.values() if s.left is not None]
    assert arrived
    assert left
    for student in arrived:
        assert f"Прибыли: {student.name.full} {student.enrolled:%d.%m.%Y}" in text
    for student in left:
        assert student.left is not None
        assert f"Выбыли: {student.name.full} {student.left:%d.%m.%Y} приказ № {student.departure_order}" in text

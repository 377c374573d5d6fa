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
from ejournal.core.scales import MarkValue, Status
from ejournal.core.summary import Certification, SummarySheet, build_summary_sheet
from ejournal.i18n import collator
from ejournal.render import render
from ejournal.testing.samples import sample_journal


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


def _by_student(journal: ClassJournal, sheet: SummarySheet) -> dict[str, list[MarkValue]]:
    """Each student's annual results (every course of the sample is graded on the five-point
    scale), "осв." left out, in the sheet's row order."""
    out: dict[str, list[MarkValue]] = {r.student_id: [] for r in sheet.rows}
    for r in journal.results.values():
        if r.kind is ResultKind.ANNUAL and r.student_id in out and r.value is not Status.EXEMPT:
            out[r.student_id].append(r.value)
    return out


def test_the_class_line_of_the_year_is_counted_per_student(
    journal: ClassJournal, sheet: SummarySheet, lines: list[str]
) -> None:
    results = _by_student(journal, sheet)
    counted = [sid for sid, values in results.items() if values]
    successful = [
        sid
        for sid in counted
        if Status.NOT_CERTIFIED not in results[sid] and all(isinstance(v, int) and v >= 3 for v in results[sid])
    ]
    quality = [sid for sid in successful if all(isinstance(v, int) and v >= 4 for v in results[sid])]
    n = len(counted)
    assert 0 < len(quality) < n
    expected = [
        str(len(sheet.rows)),
        str(n),
        str(len(sheet.rows) - n),
        str(len(successful)),
        str(len(quality)),
        _percent(100 * len(successful), n, "0.1"),
        _percent(100 * len(quality), n, "0.1"),
    ]
    assert "Итоги класса (по обучающимся)" in lines
    class_year = [line.split()[2:] for line in lines if line.startswith("Класс год ")]
    assert class_year == [expected]


def test_the_categories_of_the_year_are_printed_with_the_names(
    journal: ClassJournal, sheet: SummarySheet, lines: list[str]
) -> None:
    results = _by_student(journal, sheet)
    names = {r.student_id: r.short_name for r in sheet.rows}
    excellent, good, one_four, one_three, failing, excluded = [], [], [], [], [], []
    for sid, values in results.items():
        grades = [v for v in values if isinstance(v, int)]
        if not values:
            excluded.append(names[sid])
        elif any(g < 3 for g in grades):
            failing.append(names[sid])
        elif Status.NOT_CERTIFIED in values:
            continue
        elif grades.count(3) == 0 and grades.count(4) == 0:
            excellent.append(names[sid])
        elif grades.count(3) == 0:
            good.append(names[sid])
            if grades.count(4) == 1:
                one_four.append(names[sid])
        elif grades.count(3) == 1:
            one_three.append(names[sid])
    assert good
    assert excluded

    def printed(title: str, who: list[str]) -> str:
        return " ".join(["год", title, str(len(who)), ", ".join(who)]).rstrip()

    for title, who in (
        ("Отличники", excellent),
        ("На «4» и «5»", good),
        ("в т. ч. с одной «4»", one_four),
        ("С одной «3»", one_three),
        ("в т. ч. с «2»", failing),
        ("Не учтены (осв., без отметок)", excluded),
    ):
        assert printed(title, who) in lines
    assert f"год Итого учтено (N) {len(sheet.rows) - len(excluded)}" in lines
    assert f"год В списке {len(sheet.rows)}" in lines


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

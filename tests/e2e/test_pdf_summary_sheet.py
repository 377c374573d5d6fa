"""The summary sheet PDF of a graduating class of 40 students and 20 subjects, read back as text."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from attrs import evolve
from pypdf import PdfReader

from ejournal.core.journal import ClassJournal, ResultKind
from ejournal.core.scales import format_value
from ejournal.core.summary import Certification, SummarySheet, build_summary_sheet
from ejournal.i18n import collator
from ejournal.render import render
from ejournal.testing.samples import sample_journal

TATAR_LETTERS = set("әөүҗңһӘӨҮҖҢҺ")


def _sheet(journal: ClassJournal) -> SummarySheet:
    return build_summary_sheet(
        journal, collator=collator("ru"), certification=Certification.from_journal(journal, date(2026, 6, 25))
    )


@pytest.fixture(scope="module")
def journal() -> ClassJournal:
    return sample_journal(students=40, subjects=20, grade=11)


@pytest.fixture(scope="module")
def pdf(journal: ClassJournal) -> bytes:
    return render(_sheet(journal), "pdf", locale="ru")


@pytest.fixture(scope="module")
def pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def _expected_marks(journal: ClassJournal, student_id: str) -> list[str]:
    """The marks of a student in sheet order, straight from the journal (empty cells skipped)."""
    out = []
    for course in journal.courses_in_order():
        cells = [(ResultKind.PERIOD, p.id) for p in journal.scheme_of(course.id).periods]
        cells.append((ResultKind.ANNUAL, ""))
        if course.examined:
            cells.append((ResultKind.EXAM, ""))
        cells.append((ResultKind.FINAL, ""))
        for kind, period_id in cells:
            result = journal.result(student_id, course.id, kind, period_id)
            if result is not None:
                out.append(format_value(result.value))
    return out


def _row_tokens(pages: list[str], number: int, name: str) -> list[str]:
    """The words after "<number> <name>" on every line that starts so, pages in order."""
    prefix = f"{number} {name}"
    tokens: list[str] = []
    found = 0
    for text in pages:
        for line in text.splitlines():
            if line == prefix or line.startswith(prefix + " "):
                found += 1
                tokens += line[len(prefix) :].split()
    assert found >= 2, f"row {prefix!r} should be on every page of the grid, found on {found}"
    return tokens


def test_the_fixture_has_tatar_letters_and_yo(journal: ClassJournal) -> None:
    names = [s.name.full for s in journal.students.values()]
    assert any(TATAR_LETTERS & set(n) for n in names)
    assert any("ё" in n.lower() for n in names)
    assert len(journal.students) == 40
    assert len(journal.courses) == 20


def test_every_student_and_every_mark_is_in_its_row(journal: ClassJournal, pages: list[str]) -> None:
    sheet_order = _sheet(journal).rows
    assert len(sheet_order) == 40
    for row in sheet_order:
        student = journal.students[row.student_id]
        tokens = _row_tokens(pages, row.number, student.name.full)
        expected = _expected_marks(journal, student.id)
        assert expected, "every student has marks"
        assert tokens[: len(expected)] == expected, student.name.full


def test_header_and_signature_block(journal: ClassJournal, pages: list[str]) -> None:
    first, last = pages[0], pages[-1]
    assert journal.school.name_ru in first
    assert journal.school.name_tt in first
    assert "Сводная ведомость учёта успеваемости обучающихся" in first
    assert "за 2025/2026 учебный год" in first
    assert "Класс: 11А" in first
    assert "Классный руководитель: Хәйруллина Әлфия Илдаровна" in first
    assert "Директор" in last
    assert "/Сафина Гүзәл Ринатовна/" in last
    assert "/Хәйруллина Әлфия Илдаровна/" in last
    assert "М.П." in last
    assert "Дата: 25.06.2026" in last


def _sheets_word(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "лист"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "листа"
    return "листов"


def test_page_count_and_sheet_numbers(pdf: bytes, pages: list[str]) -> None:
    total = len(PdfReader(io.BytesIO(pdf)).pages)
    assert total >= 4, "40 students × 20 subjects cannot fit one page"
    assert len(pages) == total
    for number, text in enumerate(pages, start=1):
        assert f"Лист {number} из {total}" in text
    words = dict(
        enumerate(["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять", "десять"])
    )
    line = f"Пронумеровано, прошнуровано и скреплено печатью {total} ({words[total]}) {_sheets_word(total)}"
    assert line in " ".join(pages[-1].split())
    assert all("Пронумеровано" not in text for text in pages[:-1])


def test_header_rows_repeat_on_every_grid_page(journal: ClassJournal, pdf: bytes) -> None:
    # pypdf keeps the drawing order, so the wrapped header words stay whole
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    names = [r.full_name for r in _sheet(journal).rows]
    grid_pages = [t for t in texts if {line.strip() for line in t.splitlines()} & set(names)]
    assert len(grid_pages) >= 4
    for text in grid_pages:
        words = set(text.split())
        assert {"№", "Фамилия,", "имя,", "отчество", "обучающегося", "год", "итог."} <= words


def test_metadata(pdf: bytes, journal: ClassJournal) -> None:
    sheet = _sheet(journal)
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.author == journal.school.name_ru
    assert meta.title is not None
    assert "11А" in meta.title
    assert "2025/2026" in meta.title
    assert meta.subject is not None
    assert "11А" in meta.subject
    assert meta.get("/EjournalContentHash") == sheet.content_hash
    assert sheet.content_hash in str(meta.get("/Keywords"))
    assert str(meta.get("/CreationDate")).startswith("D:20260625")


def test_same_sheet_same_bytes_also_in_another_process(journal: ClassJournal, pdf: bytes) -> None:
    assert render(_sheet(journal), "pdf") == pdf
    code = (
        "import hashlib, sys\n"
        "from datetime import date\n"
        "from ejournal.core.summary import Certification, build_summary_sheet\n"
        "from ejournal.i18n import collator\n"
        "from ejournal.render import render\n"
        "from ejournal.testing.samples import sample_journal\n"
        "j = sample_journal(students=40, subjects=20, grade=11)\n"
        "s = build_summary_sheet(j, collator=collator('ru'), certification=Certification.from_journal(j, date(2026, 6, 25)))\n"
        "sys.stdout.write(hashlib.sha256(render(s, 'pdf')).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "SOURCE_DATE_EPOCH": "1"}
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    assert out.stdout == hashlib.sha256(pdf).hexdigest()


def test_one_changed_mark_changes_the_bytes(journal: ClassJournal, pdf: bytes) -> None:
    changed = sample_journal(students=40, subjects=20, grade=11)
    key = next(k for k, r in changed.results.items() if r.kind is ResultKind.ANNUAL and r.value == 5)
    changed.results[key] = evolve(changed.results[key], value=4)
    other = render(_sheet(changed), "pdf")
    assert other != pdf
    assert render(_sheet(changed), "pdf") == other


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_first_page_renders_to_a_landscape_png(pdf: bytes, tmp_path: Path) -> None:
    source = tmp_path / "sheet.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", "-singlefile", str(source), str(tmp_path / "page")],
        check=True,
    )
    png = (tmp_path / "page.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert width > height, "A4 landscape"
    assert abs(width / height - 297 / 210) < 0.02

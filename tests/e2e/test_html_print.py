"""The HTML sheet prints whole from a real browser: headless Chromium prints it to PDF, we read the text.

Printing used to cut the table after the subjects that fit the page width, so attendance and the
council's decisions never reached the paper.  Now the grid is split by column groups, like the PDF,
with the names repeated on every part.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from ejournal.core.summary import SummarySheet, build_summary_sheet
from ejournal.demo import generate_class_journal
from ejournal.i18n import collator
from ejournal.render import render
from ejournal.render.html import grid_parts
from ejournal.render.i18n import catalog
from ejournal.render.table import split_rows
from ejournal.render.tabular import rows

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def sheet() -> SummarySheet:
    return build_summary_sheet(generate_class_journal(grade=9, students=28), collator=collator("ru"))


def test_a_wide_grid_is_split_by_column_groups_with_the_names_repeated(sheet: SummarySheet) -> None:
    grid = next(s for s in split_rows(rows(sheet)) if s.name == "grid")
    parts = grid_parts(grid, 277.0)
    assert len(parts) > 1
    stub = grid.header[0].stub
    width = len(grid.header[0].cells)
    assert sum(len(p.header[0].cells) - stub for p in parts) == width - stub  # every column, once
    for part in parts:
        assert [r.cells[:stub] for r in part.body] == [r.cells[:stub] for r in grid.body]


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium (Debian package chromium) is not installed")
def test_chromium_prints_every_column_group_attendance_and_decisions(sheet: SummarySheet, tmp_path: Path) -> None:
    page = tmp_path / "sheet.html"
    page.write_bytes(render(sheet, "html"))
    pdf_path = tmp_path / "sheet.pdf"
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_path}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with pdfplumber.open(pdf_path) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    printed = "\n".join(pages)
    cat = catalog("ru")
    last_subject = sheet.subjects[-1].subject_name
    assert last_subject in printed, "the last subject's columns reached the paper"
    assert cat.text("group.decision") in printed, "the decisions reached the paper"
    decided = [r for r in sheet.rows if r.decision is not None]
    assert decided, "the demo class has council decisions"
    assert any(str(d.decision.protocol) in printed for d in decided if d.decision is not None)
    # Each part of the grid repeats every student's name.
    first = sheet.rows[0].full_name
    grid = next(s for s in split_rows(rows(sheet)) if s.name == "grid")
    assert printed.count(first) >= len(grid_parts(grid, 277.0))

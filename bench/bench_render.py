"""Render time of summary sheets as PDF, beside a floor measured in the same run.

The floor is the least work that prints the same grid: a bare reportlab canvas that draws every
cell of :func:`ejournal.render.tabular.rows` (text and borders) at fixed positions, page by page,
with the same font and invariant mode, and no layout engine.  The ratio says how much the real
renderer (platypus tables, wrapping, splitting, page numbering, metadata) costs over it.

Run: ``.venv/bin/python bench/bench_render.py [--classes 40] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable, Sequence

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ejournal.core.summary import SummarySheet
from ejournal.render import render
from ejournal.render.fonts import register
from ejournal.render.samples import sample_sheet
from ejournal.render.table import RowRole
from ejournal.render.tabular import rows


def floor_pdf(sheet: SummarySheet) -> bytes:
    """The same grid drawn directly on a canvas: fixed 6 mm columns, a 50 mm name column, 4.2 mm rows."""
    fonts = register()
    buffer = io.BytesIO()
    width, height = 297 * mm, 210 * mm
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
    table = [r for r in rows(sheet) if r.role is not RowRole.SEPARATOR and r.section == "grid"]
    header = [r for r in table if r.role is RowRole.HEADER]
    body = [r for r in table if r.role is RowRole.BODY]
    columns = len(header[0].cells)
    stub_widths = [7 * mm, 50 * mm]
    cell = 6 * mm
    per_page = int((width - 20 * mm - sum(stub_widths)) // cell)
    row_h = 4.2 * mm
    rows_per_page = int((height - 40 * mm) // row_h)
    for start in range(2, columns, per_page):
        cols = [0, 1, *range(start, min(columns, start + per_page))]
        for first in range(0, len(body), rows_per_page):
            y = height - 15 * mm
            for row in [*header, *body[first : first + rows_per_page]]:
                x = 10 * mm
                for c in cols:
                    w = stub_widths[c] if c < 2 else cell
                    canvas.rect(x, y - row_h, w, row_h)
                    text = row.cells[c]
                    if text:
                        canvas.setFont(fonts.regular, 6.5)
                        canvas.drawString(x + 1, y - row_h + 1.2 * mm, text[:40])
                    x += w
                y -= row_h
            canvas.setFont(fonts.bold, 8)
            canvas.drawRightString(width - 10 * mm, 8 * mm, f"Лист {canvas.getPageNumber()}")
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _time(fn: Callable[[], bytes], repeat: int) -> tuple[float, bytes]:
    times = []
    out = b""
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def _pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ")


def _school(classes: int) -> list[SummarySheet]:
    sheets = []
    letters = "АБВГ"
    for i in range(classes):
        grade = 1 + i % 11
        sheets.append(
            sample_sheet(students=25, subjects=min(20, 8 + grade), grade=grade, letter=letters[(i // 11) % 4], seed=i)
        )
    return sheets


def main(argv: Sequence[str] | None = None) -> None:
    """Print the figures (see the module doc)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--classes", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    register()
    render(sample_sheet(students=3, subjects=2), "pdf")  # warm up imports and the font

    print(f"{'sheet':<28}{'pages':>6}{'ms':>9}{'floor ms':>10}{'ratio':>7}{'KiB/page':>10}")
    for label, kwargs in (
        ("9th grade, 28×12", {"students": 28, "subjects": 12, "grade": 9}),
        ("11th grade, 40×20", {"students": 40, "subjects": 20, "grade": 11}),
    ):
        sheet = sample_sheet(**kwargs)  # type: ignore[arg-type]
        ours, pdf = _time(lambda s=sheet: render(s, "pdf"), args.repeat)  # type: ignore[misc]
        floor, _ = _time(lambda s=sheet: floor_pdf(s), args.repeat)  # type: ignore[misc]
        pages = _pages(pdf)
        print(
            f"{label:<28}{pages:>6}{ours * 1000:>9.1f}{floor * 1000:>10.1f}{ours / floor:>7.2f}"
            f"{len(pdf) / 1024 / max(pages, 1):>10.1f}"
        )

    sheets = _school(args.classes)
    t = time.perf_counter()
    outputs = [render(s, "pdf") for s in sheets]
    ours = time.perf_counter() - t
    t = time.perf_counter()
    for s in sheets:
        floor_pdf(s)
    floor = time.perf_counter() - t
    pages = sum(_pages(p) for p in outputs)
    size = sum(len(p) for p in outputs)
    print(
        f"school of {args.classes} classes: {ours:.2f} s ({ours / len(sheets) * 1000:.1f} ms per class), "
        f"floor {floor:.2f} s, ratio {ours / floor:.2f}; {pages} pages, {size / 1024 / pages:.1f} KiB per page"
    )


if __name__ == "__main__":
    main()

"""Render time of summary sheets as PDF, beside a floor measured in the same run.

The floor (:func:`floor_pdf`) is the least work that prints the same tables with reportlab: the
cells of every section of :func:`ejournal.render.tabular.rows` (the grid, the statistics, the
categories, the movements) in the same fonts and sizes, on A4 landscape pages of the same frame,
column widths from the widest body text of each column (one ``stringWidth`` per distinct
string), the stub repeated when the columns continue on the next pages, the header rows
repeated on every page over a grey band, every cell bordered, "Лист N" on every page.  It uses
the bare canvas only: one text object per page (``setTextOrigin`` + ``textOut`` per cell) and
one path per page for all the cell borders; no platypus, no wrapping (long texts run on one
line), no title block, signature footer, page total, metadata or content hash.  The ratio says
what the real renderer (layout, wrapping, numbering "N из M", metadata, the content hash, font
checks) costs over it.

Run: ``.venv/bin/python bench/bench_render.py [--classes 40] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import io
import itertools
import statistics
import time
from collections.abc import Callable, Sequence

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ejournal.core.summary import SummarySheet
from ejournal.render import render
from ejournal.render.fonts import register
from ejournal.render.table import TableRow, split_rows
from ejournal.render.tabular import rows
from ejournal.testing.samples import sample_sheet

FLOOR_DRAWS = (
    "floor = bare reportlab canvas, the same cells of every table (grid, statistics, categories, "
    "movements), same fonts, borders and header band, one text object and one path per page; "
    "no wrapping, title, footer, page total, metadata or content hash"
)

_PAGE_W, _PAGE_H = 297 * mm, 210 * mm
_MARGIN, _BAND = 10 * mm, 6 * mm
_HEAD_H, _BODY_H = 9.5, 10.4


class _Floor:
    """The floor's page state: a cursor, the page's text object, border path and grey bands."""

    def __init__(self, canvas: Canvas, bold: str) -> None:
        self.canvas = canvas
        self.bold = bold
        self.top = _PAGE_H - _MARGIN - _BAND
        self.bottom = _MARGIN + _BAND
        self.widths: dict[tuple[str, str], float] = {}
        self._new_page()

    def _new_page(self) -> None:
        self.y = self.top
        self.text = self.canvas.beginText()
        self.path = self.canvas.beginPath()
        self.bands: list[tuple[float, float, float, float]] = []
        self.font = ""

    def width(self, text: str, font: str, size: float) -> float:
        key = (text, font)
        w = self.widths.get(key)
        if w is None:
            w = self.widths[key] = stringWidth(text, font, size)
        return w

    def flush(self) -> None:
        c = self.canvas
        c.setFillGray(0.92)
        for x, y, w, h in self.bands:
            c.rect(x, y, w, h, stroke=0, fill=1)
        c.setFillGray(0)
        c.setLineWidth(0.35)
        c.drawPath(self.path, stroke=1, fill=0)
        c.drawText(self.text)
        c.setFont(self.bold, 8)
        c.drawRightString(_PAGE_W - _MARGIN, _MARGIN + _BAND * 0.3, f"Лист {c.getPageNumber()}")
        c.showPage()
        self._new_page()

    def row(self, row: TableRow, cols: list[int], xs: list[float], h: float, font: str, size: float) -> None:
        text, path, y = self.text, self.path, self.y
        if self.font != font:
            text.setFont(font, size)
            self.font = font
        for c, (x0, x1) in zip(cols, itertools.pairwise(xs), strict=False):
            if row.spans[c] == 0 and c != cols[0]:
                continue
            cell = row.cells[c]
            if cell:
                text.setTextOrigin((x0 + x1 - self.width(cell, font, size)) / 2, y - h / 2 - 0.35 * size)
                text.textOut(cell)
            path.moveTo(x0, y)
            path.lineTo(x0, y - h)
        path.moveTo(xs[-1], y)
        path.lineTo(xs[-1], y - h)
        path.moveTo(xs[0], y - h)
        path.lineTo(xs[-1], y - h)
        self.y = y - h


def floor_pdf(sheet: SummarySheet) -> bytes:
    """The same tables drawn on a bare canvas with the least machinery (see the module doc)."""
    fonts = register()
    regular, bold = fonts.regular, fonts.bold
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(_PAGE_W, _PAGE_H), invariant=1)
    floor = _Floor(canvas, bold)
    frame_w = _PAGE_W - 2 * _MARGIN
    for section in split_rows(rows(sheet)):
        header, body = section.header, section.body
        stub, n = header[0].stub, header[0].width
        natural = [5.4 * mm] * n
        for r in body:
            for c, cell in enumerate(r.cells):
                if cell and r.spans[c] == 1:
                    natural[c] = max(natural[c], floor.width(cell, regular, 7) + 3)
        chunks: list[list[int]] = [[]]
        used = sum(natural[:stub])
        for c in range(stub, n):
            if chunks[-1] and used + natural[c] > frame_w:
                chunks.append([])
                used = sum(natural[:stub])
            chunks[-1].append(c)
            used += natural[c]
        for number, chunk in enumerate(chunks):
            if number and floor.y != floor.top:
                floor.flush()
            cols = list(range(stub)) + chunk
            xs = [_MARGIN]
            for c in cols:
                xs.append(xs[-1] + natural[c])
            repeat = True
            for r in body:
                if repeat or floor.y - _BODY_H < floor.bottom:
                    if not repeat:
                        floor.flush()
                    floor.bands.append(
                        (_MARGIN, floor.y - _HEAD_H * len(header), xs[-1] - _MARGIN, _HEAD_H * len(header))
                    )
                    for head in header:
                        floor.row(head, cols, xs, _HEAD_H, bold, 6.5)
                    repeat = False
                floor.row(r, cols, xs, _BODY_H, regular, 7)
        floor.y -= 6 * mm
    floor.flush()
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
    floor_pdf(sample_sheet(students=3, subjects=2))

    print(FLOOR_DRAWS)
    print(f"{'sheet':<28}{'pages':>6}{'ms':>9}{'floor ms':>10}{'f.pages':>8}{'ratio':>7}{'KiB/page':>10}")
    for label, kwargs in (
        ("9th grade, 28×12", {"students": 28, "subjects": 12, "grade": 9}),
        ("11th grade, 40×20", {"students": 40, "subjects": 20, "grade": 11}),
    ):
        sheet = sample_sheet(**kwargs)  # type: ignore[arg-type]
        ours, pdf = _time(lambda s=sheet: render(s, "pdf"), args.repeat)  # type: ignore[misc]
        floor, floor_out = _time(lambda s=sheet: floor_pdf(s), args.repeat)  # type: ignore[misc]
        pages = _pages(pdf)
        print(
            f"{label:<28}{pages:>6}{ours * 1000:>9.1f}{floor * 1000:>10.1f}{_pages(floor_out):>8}"
            f"{ours / floor:>7.2f}{len(pdf) / 1024 / max(pages, 1):>10.1f}"
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
        f"floor {floor:.2f} s ({floor / len(sheets) * 1000:.1f} ms per class), ratio {ours / floor:.2f}; "
        f"{pages} pages, {size / 1024 / pages:.1f} KiB per page"
    )


if __name__ == "__main__":
    main()

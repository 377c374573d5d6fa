"""HTML, CSV, XLSX and JSON of the end-of-year documents (the PDF is :mod:`ejournal.render.reports.pdf`).

Each function takes the document's :class:`~ejournal.render.reports.ReportView` (JSON: the document
itself) and gives the bytes; the built-in renderers call them for a document of
:mod:`ejournal.core.reports`, so the same cells appear in every format.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from html import escape
from typing import BinaryIO

from ejournal.core.reports import Report
from ejournal.render.base import CsvDialect, RenderOptions
from ejournal.render.reports import ReportView
from ejournal.render.table import RowRole, merges, split_rows

__all__ = ["report_csv", "report_html", "report_json", "write_report_xlsx"]


def _signature_lines(view: ReportView) -> list[str]:
    return [f"{role} ____________ {name}".rstrip() for role, name in view.signatures]


def report_html(view: ReportView, options: RenderOptions) -> bytes:
    """The HTML page of a report: heading, notes, one ``<table>`` per block, the signatures."""
    from ejournal.render.html import _page, html_table

    out = [f'<section class="report {escape(view.kind)}"><header class="sheet">']
    out.append(f'<p class="title">{escape(view.title)}</p>')
    out += [f"<p>{escape(line)}</p>" for line in view.heading]
    out.append("</header>")
    out += [f'<p class="note"><strong>{escape(note)}</strong></p>' for note in view.notes]
    for block in view.blocks:
        for section in split_rows(block.rows):
            out.append(html_table(section, block.caption, css_class=block.section))
    out.append('<footer class="sheet">')
    for role, name in view.signatures:
        out.append(f'<p>{escape(role)} <span class="line"></span> /{escape(name)}/</p>')
    out.append(f"<p>{escape(view.date_line)}</p></footer></section>")
    return _page(view.title, options.locale, options, out)


def report_csv(view: ReportView, options: RenderOptions) -> bytes:
    """The CSV of a report in the options' dialect: the title and heading lines, then each block
    (its caption, then its rows) with a blank line between, then the signature lines."""
    excel = options.dialect is CsvDialect.EXCEL
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow([view.title])
    for line in (*view.heading, *view.notes):
        writer.writerow([line])
    for block in view.blocks:
        writer.writerow([])
        writer.writerow([block.caption])
        for row in block.rows:
            writer.writerow(row.cells)
    writer.writerow([])
    for line in (*_signature_lines(view), view.date_line):
        writer.writerow([line])
    return text.getvalue().encode("utf-8-sig" if excel else "utf-8")


def write_report_xlsx(view: ReportView, stream: BinaryIO, options: RenderOptions) -> None:
    """An Excel workbook of a report, one worksheet: the title block, the tables (bold, merged
    headers), the signatures; A4 fit to the page width, "Лист N из M" in the footer."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from ejournal.render.tabular import print_setup

    cat = options.catalog
    workbook = Workbook()
    workbook.properties.title = view.title
    workbook.properties.creator = view.author
    if view.created is not None:
        moment = datetime(view.created.year, view.created.month, view.created.day)
        workbook.properties.created = moment
        workbook.properties.modified = moment
    ws = workbook.active
    assert ws is not None
    ws.title = view.kind[:31]
    bold = Font(bold=True)
    r = 1
    ws.cell(row=r, column=1, value=view.title).font = Font(bold=True, size=13)
    for line in (*view.heading, *view.notes):
        r += 1
        ws.cell(row=r, column=1, value=line)
    centered = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for block in view.blocks:
        r += 2
        ws.cell(row=r, column=1, value=block.caption).font = bold
        header = [row for row in block.rows if row.role is RowRole.HEADER]
        start = r + 1
        for row in block.rows:
            r += 1
            for c, text in enumerate(row.cells, start=1):
                if not text:
                    continue
                value: str | int = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else text
                cell = ws.cell(row=r, column=c, value=value)
                if row.role is RowRole.HEADER:
                    cell.font = bold
                    cell.alignment = centered
        for m in merges(header):
            ws.merge_cells(
                start_row=start + m.row,
                start_column=m.col + 1,
                end_row=start + m.row + m.rowspan - 1,
                end_column=m.col + m.colspan,
            )
    r += 1
    for line in (*_signature_lines(view), view.date_line):
        r += 1
        ws.cell(row=r, column=2, value=line)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 36
    print_setup(ws, cat)
    workbook.save(stream)


def report_json(document: Report) -> bytes:
    """The document's ``to_dict()`` as JSON: sorted keys, UTF-8, compact, no floats (locale-free)."""
    data = document.to_dict()
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")

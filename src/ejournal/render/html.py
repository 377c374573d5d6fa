"""The HTML renderer: a self-contained page that prints like the paper form.

Semantic tables (``<caption>``, ``<thead>``, ``<th scope="col">`` for column headings and
``<th scope="row">`` for the row number and name), print CSS for A4 landscape with the table
header repeated on every printed page, no external assets (no fonts, scripts or images), and
every text escaped.  The output is well-formed XML (XHTML syntax), so it can be parsed strictly.
The cells are those of :func:`ejournal.render.tabular.rows`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import BinaryIO

from ejournal.core.summary import SummarySheet
from ejournal.render.base import Orientation, RendererBase, RenderOptions
from ejournal.render.course_page import CoursePage, course_page_rows, course_page_title, lesson_rows
from ejournal.render.i18n import Catalog
from ejournal.render.reports import report_view
from ejournal.render.reports.formats import report_html
from ejournal.render.table import Section, column_pages, group_starts, merges, project, split_rows
from ejournal.render.tabular import policy_text, rows, sheets_of, signatures
from ejournal.render.views import simple_view

__all__ = ["HtmlRenderer", "html_table"]

_CSS = """
@page { size: %(size)s; margin: 10mm; }
body { font-family: "Source Sans Pro", "PT Sans", Arial, sans-serif; font-size: 9pt; margin: 0; color: #000; }
header.sheet { text-align: center; margin-bottom: 3mm; }
header.sheet p { margin: 0.5mm 0; }
.school { font-weight: bold; font-size: 11pt; }
.title { font-weight: bold; font-size: 12pt; }
table { border-collapse: collapse; margin: 2mm 0 4mm 0; }
caption { font-weight: bold; text-align: left; padding: 1mm 0; }
th, td { border: 0.3pt solid #000; padding: 0.4mm 0.8mm; text-align: center; vertical-align: middle; }
thead th { background: #ebebeb; font-size: 7.5pt; }
tbody th { font-weight: normal; text-align: left; white-space: nowrap; }
tbody td { font-size: 8pt; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
table.part { break-before: page; page-break-before: always; }
footer.sheet { margin-top: 6mm; break-inside: avoid; }
footer.sheet p { margin: 2mm 0; }
.policy { font-size: 7pt; }
.line { display: inline-block; min-width: 55mm; border-bottom: 0.5pt solid #000; margin: 0 3mm; }
@media screen { body { margin: 8mm; } }
"""


def _lines(text: str) -> str:
    """``text`` escaped, its line breaks (one decision per line) as ``<br/>``."""
    return "<br/>".join(escape(line) for line in text.split("\n"))


def _attrs(**values: object) -> str:
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(str(v))}"' for k, v in values.items() if v)


def html_table(section: Section, caption: str = "", *, css_class: str = "") -> str:
    """One section of table rows as a ``<table>``: merged header cells, ``<th scope="row">`` for the stub."""
    out = [f"<table{_attrs(class_=css_class)}>"]
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    out.append("<thead>")
    blocks = {(m.row, m.col): m for m in merges(section.header)}
    covered = {
        (m.row + dr, m.col + dc)
        for m in blocks.values()
        for dr in range(m.rowspan)
        for dc in range(m.colspan)
        if (dr, dc) != (0, 0)
    }
    for r, row in enumerate(section.header):
        out.append("<tr>")
        for c, text in enumerate(row.cells):
            if (r, c) in covered:
                continue
            m = blocks.get((r, c))
            merged = _attrs(
                colspan=m.colspan if m and m.colspan > 1 else "", rowspan=m.rowspan if m and m.rowspan > 1 else ""
            )
            scope = "colgroup" if m and m.colspan > 1 else "col"
            out.append(f'<th scope="{scope}"{merged}>{escape(text)}</th>')
        out.append("</tr>")
    out.append("</thead><tbody>")
    for row in section.body:
        out.append("<tr>")
        for c, (text, span) in enumerate(zip(row.cells, row.spans, strict=True)):
            if span == 0:
                continue
            extra = _attrs(colspan=span if span > 1 else "")
            if c < row.stub:
                out.append(f'<th scope="row"{extra}>{escape(text)}</th>')
            else:
                out.append(f"<td{extra}>{_lines(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


# Estimated widths of printed text at the page's 9 pt, in millimetres (no font metrics in a browser page).
_MM_PER_CHAR = 1.75
_MIN_COLUMN_MM = 6.0
_MAX_HEADER_MM = 14.0
_MAX_NAME_MM = 60.0
_PAD_MM = 2.0


def _printable_width_mm(options: RenderOptions) -> float:
    width, _height = options.page_size_mm
    return width - 20.0  # the @page margins of 10 mm each side


def _widths_mm(section: Section) -> list[float]:
    stub = section.body[0].stub if section.body else (section.header[0].stub if section.header else 0)
    n = len(section.header[0].cells) if section.header else 0
    widths = [_MIN_COLUMN_MM] * n
    for row in section.body:
        for c, (text, span) in enumerate(zip(row.cells, row.spans, strict=True)):
            if span == 1 and text:
                cap = _MAX_NAME_MM if c < stub else _MAX_HEADER_MM * 2
                widths[c] = max(widths[c], min(len(text) * _MM_PER_CHAR + _PAD_MM, cap))
    for row in section.header:
        for c, (text, span) in enumerate(zip(row.cells, row.spans, strict=True)):
            if span == 1 and text and c >= stub:
                widths[c] = max(widths[c], min(len(text) * _MM_PER_CHAR + _PAD_MM, _MAX_HEADER_MM))
    return widths


def grid_parts(section: Section, page_width_mm: float) -> list[Section]:
    """The grid split by column groups into parts that each fit ``page_width_mm``, as the PDF splits it.

    Every part repeats the stub (number and name); a group (a subject, or the attendance and the
    decision) is never split while it fits a page, by :func:`~ejournal.render.table.column_pages`.
    Returns ``[section]`` when the whole grid fits.
    """
    if not section.header:
        return [section]
    stub = section.header[0].stub or (section.body[0].stub if section.body else 0)
    widths = _widths_mm(section)
    avail = page_width_mm - sum(widths[:stub])
    pages = column_pages(group_starts(section.header, stub), widths, avail)
    if len(pages) <= 1:
        return [section]
    parts = []
    for chunk in pages:
        cols = list(range(stub)) + chunk
        parts.append(
            Section(
                section.name,
                tuple(project(r, cols) for r in section.header),
                tuple(project(r, cols) for r in section.body),
            )
        )
    return parts


def _page(title: str, lang: str, options: RenderOptions, body: Iterable[str]) -> bytes:
    size = "A4" if options.paper.name == "A4" else "A3"
    size += " landscape" if options.orientation is Orientation.LANDSCAPE else " portrait"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}" xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="utf-8"/>',
        f"<title>{escape(title)}</title><style>{_CSS % {'size': size}}</style></head><body>",
        *body,
        "</body></html>\n",
    ]
    return "".join(parts).encode("utf-8")


def _sheet_body(sheet: SummarySheet, options: RenderOptions, cat: Catalog) -> list[str]:
    h = sheet.header
    out = ['<section class="sheet"><header class="sheet">']
    out.append(f'<p class="school">{escape(h.school_name_ru)}</p>')
    if h.school_name_tt:
        out.append(f'<p class="school" lang="tt">{escape(h.school_name_tt)}</p>')
    out.append(f'<p class="title">{escape(cat.text("sheet.title"))}</p>')
    out.append(f"<p>{escape(cat.text('sheet.year', year=h.academic_year))}</p>")
    out.append(
        f"<p>{escape(cat.text('sheet.class', label=h.class_label))}; "
        f"{escape(cat.text('sheet.class_teacher', name=h.class_teacher_name or '—'))}</p></header>"
    )
    captions = {
        "grid": f"{cat.text('sheet.title')}, {h.class_label}, {h.academic_year}",
        "stats": cat.text("stats.title"),
        "class_stats": cat.text("stats.class_title"),
        "categories": cat.text("stats.categories"),
        "movements": cat.text("movement.title"),
    }
    for section in split_rows(rows(sheet, options.layout, options.locale)):
        caption = captions.get(section.name, "")
        if section.name != "grid":
            out.append(html_table(section, caption, css_class=section.name))
            continue
        parts = grid_parts(section, _printable_width_mm(options))
        for number, part in enumerate(parts, start=1):
            label = caption if len(parts) == 1 else f"{caption} ({number}/{len(parts)})"
            out.append(html_table(part, label, css_class="grid part" if number > 1 else "grid"))
    director, teacher, date_text = signatures(sheet, cat)
    out.append('<footer class="sheet">')
    out.append(
        f'<p>{escape(cat.text("footer.director"))} <span class="line"></span> /{escape(director)}/ '
        f"<strong>{escape(cat.text('footer.seal'))}</strong></p>"
    )
    out.append(f'<p>{escape(cat.text("footer.class_teacher"))} <span class="line"></span> /{escape(teacher)}/</p>')
    out.append(f"<p>{escape(date_text)}</p>")
    out.append(
        f"<p>{escape(cat.text('footer.certified', count='____', words='_' * 16, sheets=cat.plural('plural.sheets', 5)))}</p>"
    )
    policy = policy_text(sheet.policy, cat)
    if policy:
        out.append(f'<p class="policy">{escape(policy)}</p>')
    out.append("</footer></section>")
    return out


def _course_body(page: CoursePage, cat: Catalog) -> list[str]:
    out = ['<section class="course"><header class="sheet">']
    out.append(f'<p class="school">{escape(page.school_name)}</p>')
    out.append(f'<p class="title">{escape(course_page_title(page, cat))}</p>')
    out.append(
        f"<p>{escape(cat.text('course.teacher', name=page.teacher_name or '—'))}; "
        f"{escape(cat.text('course.range', start=cat.date(page.start), end=cat.date(page.end)))}</p></header>"
    )
    for section in split_rows(course_page_rows(page, cat)):
        out.append(html_table(section, cat.text("course.grid"), css_class="grid"))
    out.append(f"<p>{escape(cat.text('course.legend'))}</p>")
    if page.lessons:
        for section in split_rows(lesson_rows(page, cat)):
            out.append(html_table(section, cat.text("course.lessons"), css_class="lessons"))
    else:
        out.append(f"<p>{escape(cat.text('course.no_lessons'))}</p>")
    out.append("</section>")
    return out


class HtmlRenderer(RendererBase):
    """The ``html`` renderer: summary sheets (one or several, one section each), course pages,
    validation reports and diary weeks.

    Raises :class:`~ejournal.render.base.UnsupportedDocument` for other documents.
    """

    name = "html"
    media_type = "text/html; charset=utf-8"
    extension = "html"

    def write(self, document: object, stream: BinaryIO, options: RenderOptions | None = None) -> None:
        """Write the HTML page of ``document`` to ``stream``."""
        options = options or RenderOptions()
        cat = options.catalog
        if isinstance(document, CoursePage):
            title = course_page_title(document, cat)
            stream.write(_page(title, options.locale, options, _course_body(document, cat)))
            return
        report = report_view(document, cat)
        if report is not None:
            stream.write(report_html(report, options))
            return
        view = simple_view(document, cat)
        if view is not None:
            head = [
                f'<header class="sheet"><p class="title">{escape(view.title)}</p><p>{escape(view.subtitle)}</p></header>'
            ]
            tables = [html_table(section) for section in split_rows(view.rows)] if len(view.rows) > 1 else []
            stream.write(_page(view.title, options.locale, options, head + tables))
            return
        sheets: Sequence[SummarySheet] = sheets_of(document, self.name)
        first = sheets[0].header
        title = cat.text("sheet.subject", label=first.class_label, year=first.academic_year)
        body = [part for sheet in sheets for part in _sheet_body(sheet, options, cat)]
        stream.write(_page(title, options.locale, options, body))

"""PDF renderers (reportlab): the annual summary sheet and the course journal page.

The summary sheet prints like the paper form: the school's name in Russian and Tatar, the
title, year, class and class teacher; the dense grid of :func:`ejournal.render.tabular.rows`
(period, annual, exam and final marks per subject, attendance, the council's decision) whose
header rows repeat on every page and whose subjects continue on the next pages, the names
repeated, when they do not fit; the statistics block; arrivals and departures; and on the last
page the signatures of the director and the class teacher, the seal place, the date, the
certification line with the page count and, when the sheet records one, the grading policy its
marks were checked against (also in the document's keywords).  Every page says "Лист N из M".
The same sheet always gives the same bytes (see :class:`~ejournal.render.pdfdoc.PdfDocument`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from ejournal.core.summary import SummarySheet
from ejournal.render.base import RendererBase, RenderOptions
from ejournal.render.course_page import CoursePage, course_page_rows, course_page_title, lesson_rows
from ejournal.render.pdfdoc import DeferredText, PdfDocument, PdfMetadata, escape
from ejournal.render.pdfgrid import Stack
from ejournal.render.reports import report_view
from ejournal.render.table import Section, split_rows
from ejournal.render.tabular import policy_text, rows, signatures
from ejournal.render.views import SimpleView, simple_view

__all__ = ["CoursePagePdf", "PdfRenderer", "SimplePdf", "SummarySheetPdf"]


_MAX_COLUMN = {"grid": 48 * mm, "categories": 150 * mm}
"""The widest a column may grow before its text wraps: the category table's names get room."""


def _texts(sections: Sequence[Section]) -> list[str]:
    return [t for s in sections for r in (*s.header, *s.body) for t in r.cells]


class SummarySheetPdf(PdfDocument):
    """The PDF of one :class:`~ejournal.core.summary.SummarySheet` (see the module doc)."""

    def __init__(self, sheet: SummarySheet, options: RenderOptions) -> None:
        cat = options.catalog
        h = sheet.header
        super().__init__(
            options,
            running_header=cat.text(
                "sheet.short_header", school=h.school_name_ru, label=h.class_label, year=h.academic_year
            ),
            # the policy is technical: the page footer, never the signature block
            last_page_note=policy_text(sheet.policy, cat),
        )
        self.sheet = sheet
        # the PDF prints the subjects' short names over their narrow columns (full names in the statistics)
        self.sections = split_rows(rows(sheet, options.layout, options.locale, abbreviate=True))

    def _title_block(self) -> list[Flowable]:
        cat, h, st = self.catalog, self.sheet.header, self.styles
        out: list[Flowable] = [Paragraph(escape(h.school_name_ru), st["title"])]
        if h.school_name_tt:
            out.append(Paragraph(escape(h.school_name_tt), st["title"]))
        out += [
            Spacer(1, 1.5 * mm),
            Paragraph(escape(cat.text("sheet.title")), st["title"]),
            Paragraph(escape(cat.text("sheet.year", year=h.academic_year)), st["subtitle"]),
            Paragraph(
                escape(
                    cat.text("sheet.class", label=h.class_label)
                    + " · "
                    + cat.text("sheet.class_teacher", name=h.class_teacher_name or "—")
                ),
                st["subtitle"],
            ),
            Spacer(1, 2.5 * mm),
        ]
        return out

    def _footer(self) -> list[Flowable]:
        cat, st = self.catalog, self.styles
        director, teacher, date_text = signatures(self.sheet, cat)
        line = "_" * 28
        data = [
            [
                cat.text("footer.director"),
                line,
                f"/{director}/" if director else "/" + "_" * 24 + "/",
                cat.text("footer.seal"),
            ],
            ["", cat.text("footer.signature"), "", ""],
            [cat.text("footer.class_teacher"), line, f"/{teacher}/" if teacher else "/" + "_" * 24 + "/", ""],
            ["", cat.text("footer.signature"), "", ""],
        ]
        table = Table(data, colWidths=self.column_widths([0.2, 0.22, 0.3, 0.1]), hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.fonts.regular, 9),
                    ("FONT", (1, 1), (1, 1), self.fonts.regular, 6),
                    ("FONT", (1, 3), (1, 3), self.fonts.regular, 6),
                    ("ALIGN", (1, 0), (1, -1), "CENTER"),
                    ("FONT", (3, 0), (3, 0), self.fonts.bold, 10),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        certified = DeferredText(
            lambda total: cat.text(
                "footer.certified",
                count=total,
                words=cat.number_words(total),
                sheets=cat.plural("plural.sheets", total),
            ),
            self.fonts.bold,
            9,
        )
        block: list[Flowable] = [
            Spacer(1, 3 * mm),
            table,
            Spacer(1, 1 * mm),
            Paragraph(escape(date_text), st["normal"]),
            certified,
        ]
        return block

    def story(self) -> list[Flowable]:
        """The flowables of the sheet, in order."""
        out = self._title_block()
        st = self.styles
        titles = {
            "stats": self.catalog.text("stats.title"),
            "class_stats": self.catalog.text("stats.class_title"),
            "categories": self.catalog.text("stats.categories"),
            "movements": self.catalog.text("movement.title"),
        }
        footer = Stack(self._footer())
        for number, section in enumerate(self.sections):
            caption = None
            if section.name != "grid":
                heading = titles.get(section.name, "")
                if heading:  # the heading goes with the table's first rows
                    caption = Stack([Spacer(1, 3 * mm), Paragraph(escape(heading), st["heading"])])
                else:
                    out.append(Spacer(1, 2 * mm))
            dense = section.name == "grid"  # the marks: narrow columns, labels bottom to top
            last = number == len(self.sections) - 1 and bool(self.sheet.rows)
            out += self.grid(
                section.header,
                section.body,
                max_column=_MAX_COLUMN.get(section.name, 60 * mm),
                font_size=6.5 if dense else 7,
                min_column=2.6 * mm if dense else 5.4 * mm,
                vertical=dense,
                tail=footer if last else None,  # the signature block goes with the last rows
                caption=caption,
            )
        if not self.sheet.rows:
            out.append(Paragraph(escape(self.catalog.text("sheet.no_students")), st["normal"]))
        if not out or not self.sheet.rows or not self.sections:
            out.append(KeepTogether(footer.parts))
        return out

    def render(self) -> bytes:
        """The PDF bytes."""
        h, cat = self.sheet.header, self.catalog
        cert, stamp = self.sheet.certification, self.sheet.policy
        keywords = [h.class_label, h.academic_year, h.school_id, h.class_id]
        if stamp is not None:
            keywords += [f"grading-policy:{stamp.name} v{stamp.version}", f"policy-sha256:{stamp.content_hash}"]
        metadata = PdfMetadata(
            title=f"{cat.text('sheet.title')} — {h.class_label}, {h.academic_year}",
            author=h.school_name_ru,
            subject=cat.text("sheet.subject", label=h.class_label, year=h.academic_year),
            keywords=keywords,
            content_hash=self.sheet.content_hash,
            created=cert.date if cert else h.year_end,
        )
        texts = [*_texts(self.sections), h.school_name_ru, h.school_name_tt, h.class_teacher_name]
        if cert:
            texts += [cert.director_name, cert.class_teacher_name]
        if stamp is not None:
            texts += [stamp.name, stamp.version]
        return self.build(self.story(), metadata, texts=texts)


class CoursePagePdf(PdfDocument):
    """The PDF of a :class:`~ejournal.render.course_page.CoursePage`: the marks grid, then the lessons."""

    def __init__(self, page: CoursePage, options: RenderOptions) -> None:
        cat = options.catalog
        super().__init__(
            options,
            running_header=cat.text(
                "course.header", school=page.school_name, label=page.class_label, year=page.year_label
            ),
        )
        self.page = page

    def render(self) -> bytes:
        """The PDF bytes."""
        p, cat, st = self.page, self.catalog, self.styles
        title = course_page_title(p, cat)
        story: list[Flowable] = [
            Paragraph(escape(title), st["title"]),
            Paragraph(
                escape(
                    cat.text("course.teacher", name=p.teacher_name or "—")
                    + " · "
                    + cat.text("course.range", start=cat.date(p.start), end=cat.date(p.end))
                ),
                st["subtitle"],
            ),
            Spacer(1, 2 * mm),
            Paragraph(escape(cat.text("course.grid")), st["heading"]),
        ]
        grid = split_rows(course_page_rows(p, cat))
        for section in grid:
            story += self.grid(section.header, section.body)
        story.append(Paragraph(escape(cat.text("course.legend")), st["normal"]))
        story.append(Paragraph(escape(cat.text("course.lessons")), st["heading"]))
        if p.lessons:
            lessons = list(lesson_rows(p, cat))
            story.append(
                self.table(
                    [[Paragraph(escape(t), st["cell"]) if i else t for i, t in enumerate(r.cells)] for r in lessons],
                    [0.1, 0.5, 0.4],
                    header_rows=1,
                    style=[("ALIGN", (1, 1), (-1, -1), "LEFT"), ("VALIGN", (0, 0), (-1, -1), "TOP")],
                )
            )
        else:
            story.append(Paragraph(escape(cat.text("course.no_lessons")), st["normal"]))
        metadata = PdfMetadata(
            title=title,
            author=p.school_name,
            subject=cat.text("course.range", start=cat.date(p.start), end=cat.date(p.end)),
            keywords=(p.class_label, p.year_label),
            created=p.end,
        )
        return self.build(story, metadata, texts=p.texts)


class SimplePdf(PdfDocument):
    """The PDF of a :class:`~ejournal.render.views.SimpleView` (validation report, diary week)."""

    def __init__(self, view: SimpleView, options: RenderOptions) -> None:
        super().__init__(options, running_header=view.title)
        self.view = view

    def render(self) -> bytes:
        """The PDF bytes."""
        v, st = self.view, self.styles
        story: list[Flowable] = [
            Paragraph(escape(v.title), st["title"]),
            Paragraph(escape(v.subtitle), st["subtitle"]),
            Spacer(1, 2 * mm),
        ]
        if len(v.rows) > 1:
            story.append(
                self.table(
                    [[Paragraph(escape(t), st["cell"]) if t else "" for t in r.cells] for r in v.rows],
                    v.fractions,
                    header_rows=1,
                    style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
                )
            )
        metadata = PdfMetadata(title=v.title, author="ejournal", subject=v.subtitle, created=None)
        return self.build(story, metadata, texts=v.texts)


class PdfRenderer(RendererBase):
    """The ``pdf`` renderer: a :class:`~ejournal.core.summary.SummarySheet`, a
    :class:`~ejournal.render.course_page.CoursePage`, a validation report or a diary week to PDF bytes.

    Every font the PDF references is embedded (no standard-14 font such as Helvetica, not even
    reportlab's initial one).  With ``RenderOptions(pdfa=True)`` the PDF is PDF/A-2b
    (:func:`ejournal.render.pdfa.to_pdfa`).

    Raises :class:`~ejournal.render.base.UnsupportedDocument` for other documents and
    :class:`~ejournal.core.errors.InvalidInput` when the font lacks a letter the data uses.
    """

    name = "pdf"
    media_type = "application/pdf"
    extension = "pdf"

    def write(self, document: object, stream: BinaryIO, options: RenderOptions | None = None) -> None:
        """Write the PDF of ``document`` to ``stream``.

        Raises :class:`UnsupportedDocument` for a document this renderer does not print and
        :class:`InvalidInput` for a text the font cannot draw, bad options, or (with ``pdfa``) a
        PDF that pikepdf's validator does not approve as PDF/A-2b.
        """
        options = options or RenderOptions()
        data = self._render(document, options)
        if options.pdfa:
            from ejournal.render.pdfa import to_pdfa

            data = to_pdfa(data)
        stream.write(data)

    def _render(self, document: object, options: RenderOptions) -> bytes:
        if isinstance(document, SummarySheet):
            return SummarySheetPdf(document, options).render()
        if isinstance(document, CoursePage):
            return CoursePagePdf(document, options).render()
        if (report := report_view(document, options.catalog)) is not None:
            from ejournal.render.reports.pdf import ReportPdf

            return ReportPdf(report, options).render()
        view = simple_view(document, options.catalog)
        if view is None:
            raise self.unsupported(document)
        return SimplePdf(view, options).render()

"""The PDF of an end-of-year document (reportlab): the heading, notes, tables and signatures.

Tables are the dense grids of :class:`~ejournal.render.pdfdoc.PdfDocument` (header rows repeated on
every page; wide tables continue on the next pages with the stub repeated); every page says
"Лист N из M"; the same document always gives the same bytes.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from ejournal.render.base import RenderOptions
from ejournal.render.pdfdoc import PdfDocument, PdfMetadata, escape
from ejournal.render.reports import ReportView
from ejournal.render.table import split_rows

__all__ = ["ReportPdf"]


class ReportPdf(PdfDocument):
    """The PDF of one :class:`~ejournal.render.reports.ReportView`."""

    def __init__(self, view: ReportView, options: RenderOptions) -> None:
        super().__init__(options, running_header=f"{view.author} · {view.title}" if view.author else view.title)
        self.view = view

    def _footer(self) -> list[Flowable]:
        cat, st = self.catalog, self.styles
        line = "_" * 28
        data: list[list[str]] = []
        for i, (role, name) in enumerate(self.view.signatures):
            data.append(
                [role, line, f"/{name}/" if name else "/" + "_" * 24 + "/", cat.text("footer.seal") if i == 0 else ""]
            )
            data.append(["", cat.text("footer.signature"), "", ""])
        block: list[Flowable] = [Spacer(1, 4 * mm)]
        if data:
            table = Table(data, colWidths=self.column_widths([0.22, 0.22, 0.3, 0.1]), hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("FONT", (0, 0), (-1, -1), self.fonts.regular, 9),
                        *[("FONT", (1, r), (1, r), self.fonts.regular, 6) for r in range(1, len(data), 2)],
                        ("FONT", (3, 0), (3, 0), self.fonts.bold, 10),
                        ("ALIGN", (1, 0), (1, -1), "CENTER"),
                        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                        ("TOPPADDING", (0, 0), (-1, -1), 1),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                    ]
                )
            )
            block.append(table)
        block += [Spacer(1, 1 * mm), Paragraph(escape(self.view.date_line), st["normal"])]
        return [KeepTogether(block)]

    def render(self) -> bytes:
        """The PDF bytes."""
        v, st = self.view, self.styles
        story: list[Flowable] = [Paragraph(escape(v.title), st["title"])]
        story += [Paragraph(escape(line), st["subtitle"]) for line in v.heading]
        story.append(Spacer(1, 2 * mm))
        story += [Paragraph(f"<b>{escape(note)}</b>", st["normal"]) for note in v.notes]
        for block in v.blocks:
            story.append(Paragraph(escape(block.caption), st["heading"]))
            for section in split_rows(block.rows):
                story += self.grid(section.header, section.body, max_column=120 * mm)
        story += self._footer()
        metadata = PdfMetadata(
            title=v.title,
            author=v.author,
            subject=" · ".join(v.heading[-2:]),
            keywords=v.keywords,
            created=v.created,
        )
        return self.build(story, metadata, texts=v.texts)

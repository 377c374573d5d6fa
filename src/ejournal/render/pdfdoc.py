"""Page mechanics shared by every PDF of ejournal.

:class:`PdfDocument` owns what each printed document has in common: the page size and frame,
the registered font and paragraph styles, the running header, "Лист N из M" on every page
(a canvas that knows the total before it writes a page), text that needs the page count
(the certification line), the document metadata (title, author, subject, keywords and the
content hash) and byte-for-byte reproducible output (reportlab's invariant mode, a creation
date taken from the document, no random ids).  Subclasses build the story (the flowables).
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Table, TableStyle

from ejournal.__about__ import __version__
from ejournal.core.errors import InvalidInput
from ejournal.render.base import RenderOptions
from ejournal.render.fonts import RegisteredFonts, check_text, register
from ejournal.render.i18n import Catalog
from ejournal.render.pdfgrid import GridContext, GridFlowable, layout_grid
from ejournal.render.table import TableRow, column_pages, group_starts, project

__all__ = ["CONTENT_HASH_KEY", "DeferredText", "PdfDocument", "PdfMetadata", "escape"]

CONTENT_HASH_KEY = "EjournalContentHash"
NARROW = 8 * mm
"""A column whose body texts are at most this wide (marks, counts) gets a vertical label in a
dense grid (see :meth:`PdfDocument.grid`)."""
"""The custom key of the PDF's document information that holds the content hash of the data."""

DeferredDraw = Callable[[Canvas, int], None]


class _FixedStamp:
    """A reportlab timestamp fixed to the document's own date (UTC, midnight for a date)."""

    def __init__(self, when: datetime) -> None:
        self.moment = when
        self.t = when.timestamp()
        self.lt = when.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = 0
        self.dmm = 0
        self.tzname = "UTC"

    @property
    def datetime(self) -> datetime:
        return self.moment


class _Info(PDFInfo):  # type: ignore[misc]
    """Document information with one extra key for the content hash."""

    extra: dict[str, str]

    def format(self, document: Any) -> bytes:
        entries: dict[str, object] = {
            "Title": PDFString(self.title),
            "Author": PDFString(self.author),
            "CreationDate": PDFDate(ts=document._timeStamp),
            "ModDate": PDFDate(ts=document._timeStamp),
            "Producer": PDFString(self.producer),
            "Creator": PDFString(self.creator),
            "Subject": PDFString(self.subject),
            "Keywords": PDFString(self.keywords),
            "Trapped": PDFName(self.trapped),
        }
        for key, value in sorted(self.extra.items()):
            entries[key] = PDFString(value)
        result: bytes = PDFDictionary(entries).format(document)
        return result


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that keeps its pages until ``save`` so each page can print the total page count.

    Drawing that needs the total (the page label, the certification line) is registered with
    :meth:`defer` and run at save time on its own page.
    """

    def __init__(
        self,
        *args: Any,
        decorate: Callable[[Canvas, int, int], None],
        created: datetime,
        extra_info: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        doc = self._doc
        doc._timeStamp = _FixedStamp(created)
        doc.signature = hashlib.md5(b"ejournal", usedforsecurity=False)
        doc.signature.update(created.isoformat().encode())
        info = _Info()
        info.extra = dict(extra_info)
        info.invariant = doc.invariant
        doc.info = info
        self._decorate = decorate
        self._page_states: list[dict[str, Any]] = []
        self._deferred: list[DeferredDraw] = []

    def _make_preamble(self) -> None:
        # The canvas starts in the embedded font (``initialFontName``), never reportlab's
        # Helvetica; for such a font reportlab writes no initial text state, though the canvas
        # believes the leading is set.  Write the leading (no font), as it did before.
        super()._make_preamble()
        self._preamble += f" {fp_str(self._leading)} TL"

    def defer(self, draw: DeferredDraw) -> None:
        """Run ``draw(canvas, total_pages)`` on the current page when the document is saved."""
        self._deferred.append(draw)

    def showPage(self) -> None:
        self._page_states.append(dict(self.__dict__))
        self._deferred = []
        self._startPage()

    def save(self) -> None:
        states = list(self._page_states)
        total = len(states)
        for number, state in enumerate(states, start=1):
            self.__dict__.update(state)
            self._decorate(self, number, total)
            for draw in state["_deferred"]:
                draw(self, total)
            Canvas.showPage(self)
        Canvas.save(self)


class DeferredText(Flowable):  # type: ignore[misc]
    """One line of text that needs the document's page count, formatted when the PDF is saved.

    ``make(total)`` returns the text; it is drawn in ``font`` at ``size`` points.
    """

    def __init__(self, make: Callable[[int], str], font: str, size: float) -> None:
        super().__init__()
        self._make = make
        self._font = font
        self._size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._width = avail_width
        return avail_width, self._size * 1.4

    def draw(self) -> None:
        canvas = self.canv
        x, y = canvas.absolutePosition(0, self._size * 0.35)
        make, font, size = self._make, self._font, self._size

        def later(c: Canvas, total: int) -> None:
            c.saveState()
            c.setFont(font, size)
            c.drawString(x, y, make(total))
            c.restoreState()

        canvas.defer(later)


def escape(text: str) -> str:
    """``text`` safe inside a reportlab Paragraph (its mini-markup escaped)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class PdfMetadata:
    """What a PDF says about itself: title, author (the school), subject, keywords, content hash, date."""

    __slots__ = ("author", "content_hash", "created", "keywords", "subject", "title")

    def __init__(
        self,
        *,
        title: str,
        author: str,
        subject: str,
        created: date | datetime | None,
        content_hash: str = "",
        keywords: Sequence[str] = (),
    ) -> None:
        self.title = title
        self.author = author
        self.subject = subject
        self.content_hash = content_hash
        self.keywords = tuple(keywords)
        if created is None:
            self.created = datetime(2000, 1, 1)
        elif isinstance(created, datetime):
            self.created = created.replace(tzinfo=None)
        else:
            self.created = datetime(created.year, created.month, created.day)


class PdfDocument:
    """The base of every ejournal PDF: page geometry, fonts, styles, numbering, metadata.

    Subclasses call :meth:`build` with their story.  ``running_header`` is printed at the top of
    every page; the page label (``page.of`` in the catalog) at the bottom right;
    ``last_page_note`` (a technical line such as the grading policy) small at the bottom left of
    the last page, outside the signature block.  Column widths
    of tables are given as fractions of the frame width (:meth:`table`).
    """

    margin = 10 * mm
    band = 6 * mm

    def __init__(self, options: RenderOptions, *, running_header: str = "", last_page_note: str = "") -> None:
        self.options = options
        self.catalog: Catalog = options.catalog
        self.fonts: RegisteredFonts = register(options.fonts)
        width_mm, height_mm = options.page_size_mm
        self.page_width = width_mm * mm
        self.page_height = height_mm * mm
        self.frame_width = self.page_width - 2 * self.margin
        self.frame_height = self.page_height - 2 * self.margin - 2 * self.band
        self.running_header = running_header
        self.last_page_note = last_page_note
        self.styles = self._styles()
        self.grid_context = GridContext()

    # ------------------------------------------------------------------ styles
    def _styles(self) -> dict[str, ParagraphStyle]:
        regular, bold = self.fonts.regular, self.fonts.bold
        return {
            "title": ParagraphStyle("title", fontName=bold, fontSize=12, leading=14, alignment=TA_CENTER),
            "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=9, leading=11, alignment=TA_CENTER),
            "heading": ParagraphStyle("heading", fontName=bold, fontSize=9, leading=11, spaceBefore=4, spaceAfter=2),
            "normal": ParagraphStyle("normal", fontName=regular, fontSize=8, leading=10, alignment=TA_LEFT),
            "note": ParagraphStyle("note", fontName=regular, fontSize=7, leading=9, alignment=TA_LEFT),
            "head": ParagraphStyle("head", fontName=bold, fontSize=6.5, leading=7.5, alignment=TA_CENTER),
            "cell": ParagraphStyle("cell", fontName=regular, fontSize=7, leading=8, alignment=TA_LEFT),
            "cell_center": ParagraphStyle("cell_center", fontName=regular, fontSize=7, leading=8, alignment=TA_CENTER),
        }

    # ------------------------------------------------------------------ tables
    def column_widths(self, fractions: Sequence[float]) -> list[float]:
        """Absolute widths for columns given as fractions of the frame (they must sum to at most 1)."""
        total = sum(fractions)
        if total > 1.0001 or any(f <= 0 for f in fractions):
            raise InvalidInput("table.columns", "fractions must be positive and sum to at most 1", total)
        return [f * self.frame_width for f in fractions]

    def grid_style(self, header_rows: int, *, font_size: float = 7) -> list[tuple[Any, ...]]:
        """The common look of a dense grid: thin lines, bold header rows, compact padding."""
        return [
            ("FONT", (0, 0), (-1, -1), self.fonts.regular, font_size),
            ("FONT", (0, 0), (-1, header_rows - 1), self.fonts.bold, font_size - 0.5),
            ("GRID", (0, 0), (-1, -1), 0.35, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("TOPPADDING", (0, 0), (-1, -1), 0.8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
            ("LEFTPADDING", (0, 0), (-1, -1), 1.2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 1.2),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.92, 0.92, 0.92)),
        ]

    def table(
        self,
        data: Sequence[Sequence[object]],
        fractions: Sequence[float],
        *,
        header_rows: int = 1,
        style: Sequence[tuple[Any, ...]] = (),
    ) -> Table:
        """A table whose columns are ``fractions`` of the frame and whose header rows repeat on every page."""
        table = Table(
            [list(r) for r in data],
            colWidths=self.column_widths(fractions),
            repeatRows=header_rows,
            splitByRow=1,
            hAlign="LEFT",
        )
        table.setStyle(TableStyle([*self.grid_style(header_rows), *style]))
        return table

    def grid(
        self,
        header: Sequence[TableRow],
        body: Sequence[TableRow],
        *,
        font_size: float = 7,
        min_column: float = 5.4 * mm,
        max_column: float = 46 * mm,
        vertical: bool = False,
        tail: Flowable | None = None,
        caption: Flowable | None = None,
    ) -> list[Flowable]:
        """A dense grid split across pages: header rows repeat on every page; when the columns do
        not fit the frame's width they continue on the next pages (whole column groups — a
        subject's columns — together), the stub (row number and name) repeated.  Column widths
        follow the widest body text of each column (within ``min_column``..``max_column``;
        longer text wraps), as fractions of the frame.

        ``vertical``: the header labels of narrow columns (whose body texts are at most
        :data:`NARROW` wide: marks, counts) that do not fit across are written bottom to top, so
        such a column is only as wide as its marks.  ``tail`` is drawn under the grid's last row and
        kept with it; ``caption`` (a heading) over its first rows, never alone at a page's foot.

        The grid is drawn straight on the canvas (:mod:`ejournal.render.pdfgrid`), not as a
        platypus table: one flowable per run of rows, split between rows at page ends.
        """
        if not header:
            return []
        stub = (body[0] if body else header[0]).stub
        n = header[0].width
        font, bold = self.fonts.regular, self.fonts.bold
        metrics = self.grid_context.metrics
        pad = 4.0  # a clear gap between neighbouring cells (text extraction keeps them apart)
        natural = [max(min_column, 5.4 * mm) if c < stub else min_column for c in range(n)]  # the stub stays roomy
        for row in body:
            for c, (text, span) in enumerate(zip(row.cells, row.spans, strict=True)):
                if span == 1 and text:
                    natural[c] = max(natural[c], metrics.width(text, font, font_size) + pad)
        narrow = frozenset(c for c in range(stub, n) if vertical and natural[c] <= NARROW)
        for row in header:
            for c, (text, span) in enumerate(zip(row.cells, row.spans, strict=True)):
                short = c in narrow and len(text) <= 3  # "I".."IV", "год": across, the column widens to them
                if span == 1 and text and (c not in narrow or short) and (c >= stub or c < stub - 1):
                    wide = metrics.width(text, bold, font_size - 0.5) + pad
                    natural[c] = max(natural[c], min(wide, 20 * mm))
        widths = [min(w, max_column) for w in natural]
        wraps = {c for c in range(n) if natural[c] > max_column}
        left_columns = {c for c in range(stub) if any(row.cells[c] and not row.cells[c].isdigit() for row in body)}
        avail = self.frame_width - sum(widths[:stub])
        pages = column_pages(group_starts(header, stub), widths, avail)
        story: list[Flowable] = []
        for number, chunk in enumerate(pages):
            cols = list(range(stub)) + chunk
            local = list(widths)
            leftover = avail - sum(widths[c] for c in chunk)
            wrapped = set()
            for c in cols:
                if c in wraps:
                    grow = max(0.0, min(natural[c] - widths[c], leftover))
                    local[c] += grow
                    leftover -= grow
                    if local[c] < natural[c]:
                        wrapped.add(c)
            fractions = [local[c] / self.frame_width for c in cols]
            layout = layout_grid(
                [project(r, cols) for r in header],
                [_body_cells(r, cols) for r in body],
                self.column_widths(fractions),
                wrapped=frozenset(i for i, c in enumerate(cols) if c in wrapped),
                left=frozenset(i for i, c in enumerate(cols) if c in left_columns),
                font=font,
                bold=bold,
                font_size=font_size,
                context=self.grid_context,
                vertical=frozenset(i for i, c in enumerate(cols) if c in narrow),
            )
            if number:
                story.append(PageBreak())
            story.append(
                GridFlowable(
                    layout, tail=tail if number == len(pages) - 1 else None, caption=caption if number == 0 else None
                )
            )
        return story

    # ------------------------------------------------------------------ page decoration
    def decorate(self, canvas: Canvas, page: int, total: int) -> None:
        """Draw the running header and "Лист N из M" on a page (called once per page at save time)."""
        canvas.saveState()
        canvas.setFont(self.fonts.regular, 7)
        top = self.page_height - self.margin - self.band * 0.6
        if self.running_header:
            canvas.drawString(self.margin, top, self.running_header)
        if self.last_page_note and page == total:
            canvas.setFont(self.fonts.regular, 6)
            canvas.drawString(self.margin, self.margin + self.band * 0.3, self.last_page_note)
        label = self.catalog.text("page.of", page=page, total=total)
        canvas.setFont(self.fonts.bold, 8)
        canvas.drawRightString(self.page_width - self.margin, self.margin + self.band * 0.3, label)
        canvas.restoreState()

    # ------------------------------------------------------------------ build
    def build(self, story: list[Flowable], metadata: PdfMetadata, *, texts: Sequence[str] = ()) -> bytes:
        """Lay out ``story`` on numbered pages and return the PDF bytes.

        ``texts`` are the data strings printed (names, subjects); each character must be in the
        font, else :class:`InvalidInput` is raised before anything is drawn.
        """
        check_text(self.fonts, [*texts, self.running_header])
        buffer = io.BytesIO()
        frame = Frame(
            self.margin,
            self.margin + self.band,
            self.frame_width,
            self.frame_height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        keywords = list(metadata.keywords)
        extra: dict[str, str] = {}
        if metadata.content_hash:
            keywords.append(f"content-sha256:{metadata.content_hash}")
            extra[CONTENT_HASH_KEY] = metadata.content_hash
        doc = BaseDocTemplate(
            buffer,
            pagesize=(self.page_width, self.page_height),
            pageTemplates=[PageTemplate(id="page", frames=[frame])],
            title=metadata.title,
            author=metadata.author,
            subject=metadata.subject,
            keywords=keywords,
            creator=f"ejournal {__version__}",
            invariant=1,
            initialFontName=self.fonts.regular,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.margin,
            bottomMargin=self.margin,
            lang=self.options.locale,
        )
        doc.build(
            story,
            canvasmaker=functools.partial(
                _NumberedCanvas, decorate=self.decorate, created=metadata.created, extra_info=extra
            ),
        )
        return buffer.getvalue()


def _body_cells(row: TableRow, cols: Sequence[int]) -> tuple[Sequence[str], Sequence[int]]:
    """The texts and spans of a body row restricted to ``cols`` (see :func:`_project`)."""
    if all(span == 1 for span in row.spans):
        cells = row.cells
        return [cells[c] for c in cols], [1] * len(cols)
    projected = project(row, cols)
    return projected.cells, projected.spans

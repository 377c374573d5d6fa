"""Dense grids drawn straight on the canvas: the summary sheet's tables without platypus tables.

A platypus ``Table`` draws every cell on its own (a text object, padding and style lookups per
cell); a summary sheet has thousands of cells, nearly all "5", "4" or "3".  Here a grid is laid
out **once** (:func:`layout_grid`): column edges from widths given by the document, the text of
each cell wrapped and placed, every distinct string measured once (:class:`TextMetrics`).
:class:`GridFlowable` then draws a run of body rows under the repeated header rows: the grey band
of the header, every border as a few long lines in one path, and all the text as one text block
in which each distinct string is encoded for the PDF once per document (:class:`TextWriter`).
It splits between body rows like a table with repeated header rows, so the page mechanics of
:class:`~ejournal.render.pdfdoc.PdfDocument` (frames, page breaks, "Лист N из M") are unchanged.

The look is that of the former table: thin black lines (0.35 pt), bold header text centred and
wrapped, body text centred (the names left-aligned), long texts wrapped left-aligned, padding
0.8 pt above, 1.2 pt below and on the sides, the text of a row centred vertically.

Dense grids stay narrow: a header cell of a column listed as vertical, and a merged header block
too narrow for its longest word (a subject over one column), is written bottom to top, so a
mark column is only as wide as its marks.  The last part of a grid may carry a ``tail`` (the
sheet's signature block) drawn under its last row: it never stands alone on a page, and a page
never starts or ends with fewer than :data:`MIN_ROWS` rows of a grid that has more.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable

from ejournal.render.table import TableRow, merges

__all__ = ["GridContext", "GridFlowable", "GridLayout", "Stack", "TextMetrics", "TextWriter", "layout_grid"]

PAD_TOP = 0.8
PAD_BOTTOM = 1.2
PAD_SIDE = 1.2
LINE_WIDTH = 0.35
HEADER_GREY = 0.92
MAX_VERTICAL = 96.0
"""The tallest a vertical header line grows (points) before it wraps into a second line."""
MIN_ROWS = 3
"""The fewest body rows of a grid a page starts or ends with (when the grid has more)."""


class TextMetrics:
    """Widths of strings and greedy word wrapping, each string measured once per font and size."""

    def __init__(self) -> None:
        self._widths: dict[tuple[str, str, float], float] = {}
        self._wraps: dict[tuple[str, str, float, float], tuple[str, ...]] = {}

    def width(self, text: str, font: str, size: float) -> float:
        """The width of ``text`` in points, as reportlab's ``stringWidth`` gives it."""
        key = (text, font, size)
        found = self._widths.get(key)
        if found is None:
            found = self._widths[key] = stringWidth(text, font, size)
        return found

    def wrap(self, text: str, font: str, size: float, width: float) -> tuple[str, ...]:
        """``text`` broken into lines at spaces so that each fits ``width`` (a single word longer
        than ``width`` stays whole on its line); ``("",)`` for an empty text."""
        key = (text, font, size, width)
        found = self._wraps.get(key)
        if found is not None:
            return found
        if self.width(text, font, size) <= width:
            found = (text,)
        else:
            lines: list[str] = []
            current = ""
            for word in text.split():
                candidate = f"{current} {word}" if current else word
                if current and self.width(candidate, font, size) > width:
                    lines.append(current)
                    current = word
                else:
                    current = candidate
            lines.append(current)
            found = tuple(lines)
        self._wraps[key] = found
        return found


class TextWriter:
    """PDF text operators for strings in a TrueType font, each distinct string encoded once.

    reportlab splits a TrueType font into subsets of 256 glyphs per document; a string becomes
    one or more ``(subset font name, escaped bytes)`` chunks.  The writer belongs to one
    document (the canvas's), since the subsets do; :meth:`for_canvas` gives the document's writer.
    """

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._chunks: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}

    def chunks(self, font: str, text: str) -> tuple[tuple[str, str], ...]:
        """The ``(subset font name, escaped string)`` pieces of ``text`` in ``font``."""
        key = (font, text)
        found = self._chunks.get(key)
        if found is None:
            face = getFont(font)
            found = tuple(
                (face.getSubsetInternalName(subset, self.doc), escapePDF(part))
                for subset, part in face.splitString(text, self.doc)
            )
            self._chunks[key] = found
        return found


class GridContext:
    """What the grids of one document share: the :class:`TextMetrics` and the :class:`TextWriter`
    of the document being drawn (made anew when the canvas's document changes)."""

    def __init__(self) -> None:
        self.metrics = TextMetrics()
        self._writer: TextWriter | None = None

    def writer(self, canvas: Any) -> TextWriter:
        """The text writer of ``canvas``'s document."""
        doc = canvas._doc
        if self._writer is None or self._writer.doc is not doc:
            self._writer = TextWriter(doc)
        return self._writer


# One line of text: x, baseline above the bottom of its row (or block), font, size, text.
_Line = tuple[float, float, str, float, str]


class GridLayout:
    """A grid laid out for one set of columns: header blocks, body rows, text lines and edges.

    Built by :func:`layout_grid`; the :class:`GridFlowable` parts of one grid share it.
    ``edges`` are the x positions of the column edges (``edges[0] == 0``), ``head_heights`` and
    ``body_heights`` the row heights; ``head_lines`` the header's text lines placed from the
    header's top (negative baselines), ``head_vertical`` the header lines written bottom to top
    (``x`` is the baseline, ``y`` where the line starts), ``body_lines[i]`` those of body row ``i`` placed from the
    row's bottom; ``head_rules`` the header's border segments ``(x0, y0, x1, y1)`` from the
    header's top; ``covered[i]`` the inner column edges that body row ``i`` spans over.
    """

    __slots__ = (
        "body_heights",
        "body_lines",
        "context",
        "covered",
        "edges",
        "head_height",
        "head_heights",
        "head_lines",
        "head_rules",
        "head_vertical",
    )

    def __init__(
        self,
        edges: list[float],
        head_heights: list[float],
        head_lines: list[_Line],
        head_rules: list[tuple[float, float, float, float]],
        body_heights: list[float],
        body_lines: list[list[_Line]],
        covered: list[frozenset[int]],
        context: GridContext,
        head_vertical: list[_Line] | None = None,
    ) -> None:
        self.edges = edges
        self.head_vertical = head_vertical or []
        self.head_heights = head_heights
        self.head_height = sum(head_heights)
        self.head_lines = head_lines
        self.head_rules = head_rules
        self.body_heights = body_heights
        self.body_lines = body_lines
        self.covered = covered
        self.context = context

    @property
    def width(self) -> float:
        """The width of the grid."""
        return self.edges[-1]


def _block_lines(
    lines: Sequence[str],
    x0: float,
    x1: float,
    bottom: float,
    height: float,
    font: str,
    size: float,
    leading: float,
    centred: bool,
    metrics: TextMetrics,
) -> list[_Line]:
    """The text lines of a cell (or merged block) from ``x0`` to ``x1`` whose bottom is
    ``bottom`` and height ``height``: the lines centred vertically, each centred or left-aligned."""
    out: list[_Line] = []
    baseline = bottom + (PAD_BOTTOM + height - PAD_TOP + len(lines) * leading) / 2 - size
    for line in lines:
        if line:
            x = (x0 + x1 - metrics.width(line, font, size)) / 2 if centred else x0 + PAD_SIDE
            out.append((x, baseline, font, size, line))
        baseline -= leading
    return out


def layout_grid(
    header: Sequence[TableRow],
    body: Sequence[tuple[Sequence[str], Sequence[int]]],
    widths: Sequence[float],
    *,
    wrapped: frozenset[int],
    left: frozenset[int],
    font: str,
    bold: str,
    font_size: float,
    context: GridContext,
    vertical: frozenset[int] = frozenset(),
) -> GridLayout:
    """Lay out ``header`` and ``body`` rows (already restricted to the printed columns) in columns of ``widths``.

    A body row is its texts and its column spans (as in :class:`~ejournal.render.table.TableRow`).

    Header cells are bold at ``font_size - 0.5`` (leading 1 pt more), wrapped and centred; a header
    cell whose cells below are empty is merged down, spans merge across.  Body cells are at
    ``font_size``; the columns in ``left`` are left-aligned, those in ``wrapped`` (and cells that
    span several columns) wrap left-aligned with leading ``font_size + 1``; the others are
    centred on one line (leading 1.2 × ``font_size``).  ``context`` is shared by the grids
    of one document.  The single header cells of the columns in ``vertical`` that do not fit
    their column on one line, and merged header blocks narrower than their longest word, are
    written bottom to top (wrapped at :data:`MAX_VERTICAL` points).
    """
    metrics = context.metrics
    edges = [0.0]
    for w in widths:
        edges.append(edges[-1] + w)
    head_size = font_size - 0.5
    head_leading = head_size + 1
    single = font_size * 1.2
    wrap_leading = font_size + 1
    pads = PAD_TOP + PAD_BOTTOM
    inner = 2 * PAD_SIDE

    def too_narrow(text: str, width: float) -> bool:
        return any(metrics.width(w, bold, head_size) > width for w in text.split())

    blocks: list[tuple[int, int, int, int, tuple[str, ...], bool]] = []
    taken: set[tuple[int, int]] = set()
    for m in merges(header):
        text = header[m.row].cells[m.col]
        span_width = edges[m.col + m.colspan] - edges[m.col] - inner
        if too_narrow(text, span_width):
            blocks.append((m.row, m.col, m.rowspan, m.colspan, metrics.wrap(text, bold, head_size, MAX_VERTICAL), True))
        else:
            blocks.append((m.row, m.col, m.rowspan, m.colspan, metrics.wrap(text, bold, head_size, span_width), False))
        taken.update((r, c) for r in range(m.row, m.row + m.rowspan) for c in range(m.col, m.col + m.colspan))
    for r, row in enumerate(header):
        for c, text in enumerate(row.cells):
            if (r, c) in taken:
                continue
            if c in vertical and text and metrics.width(text, bold, head_size) > widths[c] - inner:
                blocks.append((r, c, 1, 1, metrics.wrap(text, bold, head_size, MAX_VERTICAL), True))
            else:
                blocks.append((r, c, 1, 1, metrics.wrap(text, bold, head_size, widths[c] - inner), False))

    def need_of(lines: tuple[str, ...], upright: bool) -> float:
        if upright:
            return max(metrics.width(line, bold, head_size) for line in lines) + pads
        return len(lines) * head_leading + pads

    head_heights = [head_leading + pads] * len(header)
    for r, _c, rows, _cols, lines, upright in blocks:
        if rows == 1:
            head_heights[r] = max(head_heights[r], need_of(lines, upright))
    for r, _c, rows, _cols, lines, upright in blocks:
        need = need_of(lines, upright)
        have = sum(head_heights[r : r + rows])
        if need > have:
            head_heights[r + rows - 1] += need - have
    tops = [0.0]
    for h in head_heights:
        tops.append(tops[-1] - h)
    head_lines: list[_Line] = []
    head_vertical: list[_Line] = []
    head_rules: list[tuple[float, float, float, float]] = [(0.0, 0.0, edges[-1], 0.0)]
    for r, c, rows, cols, lines, upright in sorted(blocks):
        x0, x1 = edges[c], edges[c + cols]
        top, bottom = tops[r], tops[r + rows]
        if upright:
            # bottom to top, the lines side by side and centred both ways; a glyph's ascent lies
            # left of its baseline, so the baseline sits right of the centre by about a third of the size
            x = (x0 + x1 - len(lines) * head_leading) / 2 + head_leading / 2 + head_size * 0.35
            for line in lines:
                y = bottom + (top - bottom - metrics.width(line, bold, head_size)) / 2
                head_vertical.append((x, y, bold, head_size, line))
                x += head_leading
        else:
            head_lines += _block_lines(
                lines, x0, x1, bottom, top - bottom, bold, head_size, head_leading, True, metrics
            )
        head_rules.append((x0, top, x0, bottom))
        head_rules.append((x0, bottom, x1, bottom))
    head_rules.append((edges[-1], 0.0, edges[-1], tops[-1]))

    body_heights: list[float] = []
    body_lines: list[list[_Line]] = []
    covered: list[frozenset[int]] = []
    for texts, spans in body:
        cells: list[tuple[int, int, tuple[str, ...], float, bool]] = []
        inside: set[int] = set()
        content = single
        for c, (text, span) in enumerate(zip(texts, spans, strict=True)):
            if span == 0:
                continue
            if span > 1 or c in wrapped:
                inside.update(range(c + 1, c + span))
                lines = metrics.wrap(text, font, font_size, edges[c + span] - edges[c] - inner) if text else ("",)
                content = max(content, len(lines) * wrap_leading)
                cells.append((c, span, lines, wrap_leading, False))
            elif text:
                cells.append((c, 1, (text,), single, c not in left))
        height = content + pads
        placed: list[_Line] = []
        for c, span, lines, leading, centred in cells:
            placed += _block_lines(
                lines, edges[c], edges[c + span], 0.0, height, font, font_size, leading, centred, metrics
            )
        body_heights.append(height)
        body_lines.append(placed)
        covered.append(frozenset(inside))
    return GridLayout(
        edges, head_heights, head_lines, head_rules, body_heights, body_lines, covered, context, head_vertical
    )


class Stack(Flowable):  # type: ignore[misc]
    """Flowables drawn one under the other as one block that never splits (a grid's tail)."""

    def __init__(self, parts: Sequence[Flowable]) -> None:
        super().__init__()
        self.parts = list(parts)
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._sizes = [p.wrap(avail_width, avail_height) for p in self.parts]
        self.width = max((w for w, _ in self._sizes), default=0.0)
        self.height = sum(h for _, h in self._sizes)
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        for part, (_, h) in zip(self.parts, self._sizes, strict=True):
            y -= h
            part.drawOn(self.canv, 0, y)


class GridFlowable(Flowable):  # type: ignore[misc]
    """Body rows ``start``..``stop`` of a :class:`GridLayout` under its header rows, the
    ``caption`` flowable (if any) over the grid's first part and the ``tail`` under its last row.

    ``split`` cuts between body rows (the header repeats on every part), leaving at least
    :data:`MIN_ROWS` rows on each side of the cut when the rows allow; the part holding the
    last row keeps the tail with it.  A part with too few rows that fit is not split off (the
    frame moves to the next page).
    """

    def __init__(
        self,
        layout: GridLayout,
        start: int = 0,
        stop: int | None = None,
        tail: Flowable | None = None,
        caption: Flowable | None = None,
    ) -> None:
        super().__init__()
        self.layout = layout
        self.start = start
        self.stop = len(layout.body_heights) if stop is None else stop
        self.tail = tail if self.stop == len(layout.body_heights) else None
        self.caption = caption if self.start == 0 else None
        self.width = layout.width
        self._tail_height = 0.0
        self._caption_height = 0.0
        self.height = layout.head_height + sum(layout.body_heights[self.start : self.stop])

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self.tail is not None:
            _, self._tail_height = self.tail.wrap(avail_width, avail_height)
        if self.caption is not None:
            _, self._caption_height = self.caption.wrap(avail_width, avail_height)
        return self.width, self._caption_height + self.height + self._tail_height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        if self._caption_height + self.height + self._tail_height <= avail_height:
            return [self]
        room = avail_height - self.layout.head_height - self._caption_height
        end = self.start
        heights = self.layout.body_heights
        while end < self.stop and heights[end] <= room:
            room -= heights[end]
            end += 1
        rows = self.stop - self.start
        if rows > MIN_ROWS:
            end = min(end, self.stop - MIN_ROWS)  # no page ends a grid (or its tail) with one or two rows
            if end - self.start < MIN_ROWS:
                return []  # nor starts it with one or two: all of it on the next page
        else:
            return []  # a short grid is not cut: it moves whole to the next page (with its tail)
        if end <= self.start:
            return []
        return [
            GridFlowable(self.layout, self.start, end, caption=self.caption),
            GridFlowable(self.layout, end, self.stop, self.tail),
        ]

    def draw(self) -> None:
        canvas = self.canv
        lay = self.layout
        writer = lay.context.writer(canvas)
        top = self.height + self._tail_height
        if self.caption is not None:
            self.caption.drawOn(canvas, 0, top)
        head_bottom = top - lay.head_height
        width = lay.width

        canvas.saveState()
        canvas.setFillGray(HEADER_GREY)
        canvas.rect(0, head_bottom, width, lay.head_height, stroke=0, fill=1)
        canvas.restoreState()

        path = canvas.beginPath()
        for x0, y0, x1, y1 in lay.head_rules:
            path.moveTo(x0, top + y0)
            path.lineTo(x1, top + y1)
        bottoms: list[float] = []
        y = head_bottom
        for i in range(self.start, self.stop):
            y -= lay.body_heights[i]
            bottoms.append(y)
            path.moveTo(0, y)
            path.lineTo(width, y)
        if self.stop > self.start:
            spanned = [i for i in range(self.start, self.stop) if lay.covered[i]]
            for k, x in enumerate(lay.edges):
                upper = head_bottom
                for i in spanned:
                    row_top = bottoms[i - self.start] + lay.body_heights[i]
                    if k in lay.covered[i]:
                        if upper > row_top:
                            path.moveTo(x, upper)
                            path.lineTo(x, row_top)
                        upper = bottoms[i - self.start]
                if upper > y:
                    path.moveTo(x, upper)
                    path.lineTo(x, y)
        canvas.setLineWidth(LINE_WIDTH)
        canvas.drawPath(path, stroke=1, fill=0)

        ops = ["q"]
        state = ["", 0.0]
        self._text(ops, state, writer, lay.head_lines, top)
        self._text(ops, state, writer, lay.head_vertical, top, upright=True)
        for i in range(self.start, self.stop):
            self._text(ops, state, writer, lay.body_lines[i], bottoms[i - self.start])
        ops.append("Q")
        canvas._code.append(" ".join(ops))
        if self.tail is not None:
            self.tail.drawOn(canvas, 0, y - self._tail_height)

    @staticmethod
    def _text(
        ops: list[str], state: list[Any], writer: TextWriter, lines: list[_Line], base: float, *, upright: bool = False
    ) -> None:
        append = ops.append
        for x, y, font, size, text in lines:
            if upright:
                append(f"BT 0 1 -1 0 {fp_str(x, base + y)} Tm")  # turned a quarter left: bottom to top
            else:
                append(f"BT {fp_str(x, base + y)} Td")
            for name, escaped in writer.chunks(font, text):
                if state[0] != name or state[1] != size:
                    append(f"{name} {fp_str(size)} Tf")
                    state[0] = name
                    state[1] = size
                append(f"({escaped}) Tj")
            append("T* ET")

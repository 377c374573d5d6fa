"""The neutral table every renderer prints: rows of text with column spans.

One iterator of :class:`TableRow` (for the summary sheet: :func:`ejournal.render.tabular.rows`)
feeds CSV, XLSX, HTML and PDF, so the four formats always hold the same cells.  A row has a
:class:`RowRole`; header rows carry column spans (a group label over its columns: the cell that
starts a span has the span, the cells it covers have span 0 and empty text).  A header cell whose
cells below are all empty is merged down (:func:`merges`), like "№" over two header rows.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence

from attrs import field, frozen

from ejournal.core.errors import InvalidInput

__all__ = [
    "Merge",
    "RowRole",
    "Section",
    "TableRow",
    "column_pages",
    "group_starts",
    "merges",
    "project",
    "split_rows",
]


class RowRole(enum.Enum):
    """What a row is: a header row of a section, a body row, or a blank row between sections."""

    HEADER = "header"
    BODY = "body"
    SEPARATOR = "separator"


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _ints(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(value)


@frozen
class TableRow:
    """One row: its role, the text of every column, the column spans, the row-header count, the section.

    ``spans`` has one entry per cell: the number of columns the cell spans (1 by default), or 0
    for a cell covered by a span to its left.  ``stub`` is how many leading cells are row
    headers (the number and the name): they repeat on every page when a wide grid is split.
    ``section`` names the table the row belongs to (``"grid"``, ``"stats"``...): one iterator can
    carry several tables one after the other.  Raises :class:`InvalidInput` when the spans do not tile the row.
    """

    role: RowRole
    cells: tuple[str, ...] = field(converter=_texts)
    spans: tuple[int, ...] = field(converter=_ints, default=())
    stub: int = 0
    section: str = "grid"

    def __attrs_post_init__(self) -> None:
        if not self.spans:
            object.__setattr__(self, "spans", (1,) * len(self.cells))
        if len(self.spans) != len(self.cells):
            raise InvalidInput("table_row.spans", "must have one entry per cell", len(self.spans))
        covered = 0
        for i, span in enumerate(self.spans):
            if covered:
                if span != 0:
                    raise InvalidInput(f"table_row.spans[{i}]", "a covered cell must have span 0", span)
                covered -= 1
                continue
            if span < 1 or i + span > len(self.cells):
                raise InvalidInput(f"table_row.spans[{i}]", "a span must cover 1..(cells left) columns", span)
            covered = span - 1

    @property
    def width(self) -> int:
        """The number of columns."""
        return len(self.cells)


@frozen
class Merge:
    """A merged block of header cells: top-left (row, col) and its size."""

    row: int
    col: int
    rowspan: int
    colspan: int


def merges(header: Sequence[TableRow]) -> list[Merge]:
    """The merged blocks of header rows: column spans, extended down over empty cells below."""
    out: list[Merge] = []
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(header):
        for c, span in enumerate(row.spans):
            if span == 0 or (r, c) in covered:
                continue
            down = 1
            while r + down < len(header) and all(
                header[r + down].cells[k] == "" and (r + down, k) not in covered for k in range(c, c + span)
            ):
                down += 1
            for rr in range(r, r + down):
                for k in range(c, c + span):
                    covered.add((rr, k))
            if span > 1 or down > 1:
                out.append(Merge(r, c, down, span))
    return out


def group_starts(header: Sequence[TableRow], stub: int) -> list[tuple[int, int]]:
    """The column groups after the stub, as (first column, width), from the first header row's spans.

    A wide grid is split between pages only at group boundaries when a group fits a page.
    """
    if not header:
        return []
    first = header[0]
    return [(c, span) for c, span in enumerate(first.spans) if c >= stub and span > 0]


@frozen
class Section:
    """One table of a rows iterator: its name, header rows and body rows."""

    name: str
    header: tuple[TableRow, ...]
    body: tuple[TableRow, ...]


def split_rows(rows: Iterable[TableRow]) -> list[Section]:
    """The rows grouped into their sections (in order of first appearance); separators are dropped."""
    order: list[str] = []
    header: dict[str, list[TableRow]] = {}
    body: dict[str, list[TableRow]] = {}
    for row in rows:
        if row.role is RowRole.SEPARATOR:
            continue
        if row.section not in header:
            order.append(row.section)
            header[row.section] = []
            body[row.section] = []
        (header if row.role is RowRole.HEADER else body)[row.section].append(row)
    return [Section(name, tuple(header[name]), tuple(body[name])) for name in order]


def project(row: TableRow, cols: Sequence[int]) -> TableRow:
    """``row`` restricted to the columns ``cols`` (in order); a span cut by the split repeats its label."""
    cells: list[str] = []
    spans: list[int] = []
    owners: list[int] = []
    for c in cols:
        owner = c
        while row.spans[owner] == 0:
            owner -= 1
        if owners and owners[-1] == owner and spans:
            cells.append("")
            spans.append(0)
            start = max(i for i, s in enumerate(spans) if s > 0)
            spans[start] += 1
        else:
            cells.append(row.cells[owner])
            spans.append(1)
        owners.append(owner)
    return TableRow(row.role, cells, spans, stub=row.stub, section=row.section)


def column_pages(groups: Sequence[tuple[int, int]], widths: Sequence[float], avail: float) -> list[list[int]]:
    """Column indexes of each page: whole groups while they fit in ``avail``, a too-wide group column by column.

    ``groups`` come from :func:`group_starts`; ``widths`` has one width per column (any unit, the
    same as ``avail``).  Shared by the PDF and the HTML renderer, so both split a grid alike.
    """
    pages: list[list[int]] = []
    current: list[int] = []
    used = 0.0
    for start, span in groups:
        cols = list(range(start, start + span))
        need = sum(widths[c] for c in cols)
        if current and used + need > avail:
            pages.append(current)
            current, used = [], 0.0
        if need <= avail:
            current.extend(cols)
            used += need
            continue
        for c in cols:
            if current and used + widths[c] > avail:
                pages.append(current)
                current, used = [], 0.0
            current.append(c)
            used += widths[c]
    if current:
        pages.append(current)
    return pages

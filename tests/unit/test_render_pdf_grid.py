"""The PDF grid drawn on the canvas: wrapping, layout of merged headers and spans, page splits."""

from __future__ import annotations

import io
import itertools

import pdfplumber
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ejournal.core.summary import SheetLayout
from ejournal.render import render
from ejournal.render.fonts import register
from ejournal.render.pdfgrid import GridContext, GridFlowable, GridLayout, TextMetrics, layout_grid
from ejournal.render.samples import sample_sheet
from ejournal.render.table import RowRole, TableRow

FONT_SIZE = 7


@pytest.fixture(scope="module")
def fonts() -> tuple[str, str]:
    registered = register()
    return registered.regular, registered.bold


words = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщыэюяәөүҗңһ", min_size=1, max_size=12)


@given(text=st.lists(words, min_size=1, max_size=12).map(" ".join), width=st.floats(10, 200))
def test_wrapped_lines_keep_the_words_and_fit(text: str, width: float) -> None:
    regular = register().regular
    metrics = TextMetrics()
    lines = metrics.wrap(text, regular, FONT_SIZE, width)
    assert " ".join(lines).split() == text.split()
    for line in lines:
        assert metrics.width(line, regular, FONT_SIZE) <= width or " " not in line
    for first, second in itertools.pairwise(lines):
        # greedy: the next word would not have fitted on the line before
        candidate = f"{first} {second.split()[0]}"
        assert metrics.width(candidate, regular, FONT_SIZE) > width


def _header() -> list[TableRow]:
    return [
        TableRow(RowRole.HEADER, ["№", "Имя", "Алгебра", "", "Решение"], [1, 1, 2, 0, 1], stub=2),
        TableRow(RowRole.HEADER, ["", "", "I", "год", ""], stub=2),
    ]


def _layout(fonts: tuple[str, str], rows: int, spanned: int | None = None) -> GridLayout:
    regular, bold = fonts
    body: list[tuple[list[str], list[int]]] = []
    for i in range(rows):
        if i == spanned:
            body.append(([str(i + 1), "Пропущено дней", "3", "", "0"], [1, 1, 2, 0, 1]))
        else:
            body.append(([str(i + 1), f"Ученик {i + 1}", "5", "4", "переведён(а) в 9 класс"], [1] * 5))
    return layout_grid(
        _header(),
        body,
        [20.0, 90.0, 16.0, 16.0, 40.0],
        wrapped=frozenset({4}),
        left=frozenset({1}),
        font=regular,
        bold=bold,
        font_size=FONT_SIZE,
        context=GridContext(),
    )


def test_header_blocks_merge_down_and_across(fonts: tuple[str, str]) -> None:
    layout = _layout(fonts, 3)
    assert layout.edges == [0.0, 20.0, 110.0, 126.0, 142.0, 182.0]
    rules = layout.head_rules
    middle = -layout.head_heights[0]
    # a horizontal rule between the two header rows only under the subject group (columns 2..3)
    between = sorted((x0, x1) for x0, y0, x1, y1 in rules if y0 == y1 == middle)
    assert between == [(110.0, 142.0)]
    # no vertical rule inside the group in the first header row, one in the second
    inside = [(y0, y1) for x0, y0, x1, y1 in rules if x0 == x1 == 126.0]
    assert inside == [(middle, middle - layout.head_heights[1])]
    texts = [line[4] for line in layout.head_lines]
    assert texts == ["№", "Имя", "Алгебра", "Решение", "I", "год"]


def test_long_cells_wrap_and_make_the_row_taller(fonts: tuple[str, str]) -> None:
    layout = _layout(fonts, 2)
    single = FONT_SIZE * 1.2 + 2.0
    assert layout.body_heights[0] > single
    decision = [line for line in layout.body_lines[0] if line[0] > 142.0]
    assert " ".join(line[4] for line in decision) == "переведён(а) в 9 класс"
    assert len(decision) >= 2
    # the name is left-aligned at the padding, the marks centred in their columns
    name = next(line for line in layout.body_lines[0] if line[4] == "Ученик 1")
    assert name[0] == pytest.approx(20.0 + 1.2)
    mark = next(line for line in layout.body_lines[0] if line[4] == "5")
    width = TextMetrics().width("5", fonts[0], FONT_SIZE)
    assert mark[0] == pytest.approx(110.0 + (16.0 - width) / 2)


def test_a_spanned_body_row_covers_the_inner_edge(fonts: tuple[str, str]) -> None:
    layout = _layout(fonts, 3, spanned=1)
    assert layout.covered == [frozenset(), frozenset({3}), frozenset()]


def test_split_cuts_between_rows_and_repeats_the_header(fonts: tuple[str, str]) -> None:
    layout = _layout(fonts, 30)
    grid = GridFlowable(layout)
    head = layout.head_height
    heights = layout.body_heights
    assert grid.wrap(500, 10_000) == (182.0, head + sum(heights))
    assert grid.split(500, 10_000) == [grid]
    assert grid.split(500, head + heights[0] - 0.5) == []
    room = head + sum(heights[:7]) + heights[7] / 2
    first, rest = grid.split(500, room)
    assert (first.start, first.stop, rest.start, rest.stop) == (0, 7, 7, 30)
    assert first.height == pytest.approx(head + sum(heights[:7]))
    assert rest.height == pytest.approx(head + sum(heights[7:]))


def test_every_name_and_mark_of_a_long_class_is_printed_in_row_order() -> None:
    sheet = sample_sheet(students=70, subjects=6, grade=7)
    pdf = render(sheet, "pdf")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        lines = [line for page in doc.pages for line in (page.extract_text() or "").splitlines()]
    first_seen = []
    for row in sheet.rows:
        prefix = f"{row.number} {row.full_name}"
        found = [i for i, line in enumerate(lines) if line == prefix or line.startswith(prefix + " ")]
        assert found, prefix
        first_seen.append(found[0])
        tokens = [t for i in found for t in lines[i][len(prefix) :].split()]
        marks = [c.text for c in row.cells if c.text]
        assert tokens[: len(marks)] == marks, prefix
    assert first_seen == sorted(first_seen)
    assert len(set(first_seen)) == len(sheet.rows)


def test_subjects_as_rows_prints_every_subject_and_student() -> None:
    sheet = sample_sheet(students=5, subjects=8, grade=9, layout=SheetLayout.SUBJECTS_AS_ROWS)
    pdf = render(sheet, "pdf")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    for subject in sheet.subjects:
        assert subject.subject_name in text
    for row in sheet.rows:
        assert row.short_name in text
    assert render(sheet, "pdf") == pdf


# ---------------------------------------------------------------- no orphan rows, no lone footer


class _Tail:
    """A stand-in for the signature block: a fixed height, drawn nowhere."""

    def __init__(self, height: float) -> None:
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 100.0, self.height


def _paginate(grid: GridFlowable, first_room: float, page: float) -> list[GridFlowable]:
    """Lay ``grid`` out as a frame would: split it into what each page holds."""
    parts: list[GridFlowable] = []
    room = first_room
    current = grid
    while True:
        _, need = current.wrap(500, room)
        if need <= room:
            parts.append(current)
            return parts
        pieces = current.split(500, room)
        if not pieces:  # nothing fits here: a new page
            assert room < page, "a grid must always fit something on a fresh page"
            room = page
            continue
        first, current = pieces
        parts.append(first)
        room = page


@given(
    rows=st.integers(1, 80),
    first_room=st.floats(20, 560),
    tail=st.sampled_from([0.0, 40.0, 90.0]),
)
def test_pages_never_hold_a_lone_tail_or_one_or_two_rows_of_a_longer_grid(
    rows: int, first_room: float, tail: float
) -> None:
    from ejournal.render.pdfgrid import MIN_ROWS

    layout = _layout(register_fonts(), rows)
    page = 560.0
    grid = GridFlowable(layout, tail=_Tail(tail) if tail else None)  # type: ignore[arg-type]
    parts = _paginate(grid, first_room, page)
    # every row printed once, in order, and the tail under the last one only
    assert parts[0].start == 0
    assert parts[-1].stop == rows
    assert all(a.stop == b.start for a, b in itertools.pairwise(parts))
    assert [p.tail is not None for p in parts] == [False] * (len(parts) - 1) + [bool(tail)]
    if rows > MIN_ROWS:
        assert all(p.stop - p.start >= MIN_ROWS for p in parts)
    else:
        assert len(parts) == 1  # a short grid is never cut (it moves whole)


def register_fonts() -> tuple[str, str]:
    registered = register()
    return registered.regular, registered.bold


def test_a_narrow_column_writes_its_label_bottom_to_top(fonts: tuple[str, str]) -> None:
    regular, bold = fonts
    header = [
        TableRow(RowRole.HEADER, ["№", "Имя", "Музыка (8 кл.)", "Алгебра", ""], [1, 1, 1, 2, 0], stub=2),
        TableRow(RowRole.HEADER, ["", "", "итог.", "I", "год"], stub=2),
    ]
    body = [(["1", "Ученик", "5", "4", "5"], [1] * 5)]
    layout = layout_grid(
        header,
        body,
        [12.0, 80.0, 10.0, 30.0, 10.0],
        wrapped=frozenset(),
        left=frozenset({1}),
        font=regular,
        bold=bold,
        font_size=FONT_SIZE,
        context=GridContext(),
        vertical=frozenset({2, 3, 4}),
    )
    upright = {text for *_, text in layout.head_vertical}
    across = {text for *_, text in layout.head_lines}
    # the subject over one narrow column and the labels wider than their column turn; "I" fits across
    assert upright == {"Музыка (8 кл.)", "итог.", "год"}
    assert {"I", "Алгебра", "Имя", "№"} <= across
    tall = TextMetrics().width("Музыка (8 кл.)", bold, FONT_SIZE - 0.5)
    assert layout.head_height >= tall  # the header grows to hold the turned text

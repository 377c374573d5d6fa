"""Every renderer, every locale, both layouts; HTML structure; CSV and XLSX hold the same cells."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from html import escape

import openpyxl
import pdfplumber
import pytest

from ejournal.core.diary import week
from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.model import Subject
from ejournal.core.summary import SheetLayout, SummarySheet, build_summary_sheet
from ejournal.core.validation import Finding, Severity, ValidationReport
from ejournal.i18n import collator
from ejournal.render import LOCALES, RendererRegistry, UnsupportedDocument, render, render_to
from ejournal.render.course_page import build_course_page
from ejournal.render.i18n import catalog
from ejournal.render.tabular import rows
from ejournal.testing.samples import sample_journal, sample_sheet

FORMATS = ("pdf", "html", "csv", "xlsx", "json")
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def sheet() -> SummarySheet:
    return sample_sheet(students=9, subjects=4, grade=9)


def _xml(html: bytes) -> ET.Element:
    text = html.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    return ET.fromstring(text.removeprefix("<!DOCTYPE html>"))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("layout", list(SheetLayout))
def test_every_renderer_renders_in_every_locale_and_layout(
    sheet: SummarySheet, locale: str, layout: SheetLayout
) -> None:
    title = escape(catalog(locale).text("sheet.title"))
    for fmt in FORMATS:
        data = render(sheet, fmt, locale=locale, layout=layout)
        assert data, fmt
    html = render(sheet, "html", locale=locale, layout=layout).decode()
    assert title in html
    cat = catalog(locale)
    keys = ["group.decision" if layout is SheetLayout.STUDENTS_AS_ROWS else "row.decision"]
    keys += ["col.number", "stats.title", "stats.categories", "footer.director", "footer.class_teacher", "footer.seal"]
    keys += ["col.student" if layout is SheetLayout.STUDENTS_AS_ROWS else "col.subject", "col.annual", "col.final"]
    for key in keys:
        assert escape(cat.text(key)) in html, key
    csv_text = render(sheet, "csv", locale=locale, layout=layout).decode()
    assert catalog(locale).text("stats.success") in csv_text


def test_labels_change_with_the_locale_but_the_data_does_not(sheet: SummarySheet) -> None:
    data = {loc: [r.cells for r in rows(sheet, None, loc)] for loc in LOCALES}
    ru, tt, en = data["ru"], data["tt"], data["en"]
    assert ru[0] != en[0]
    # body rows of the grid: number, name and marks are the same in every locale (the decision is a label)
    body = [i for i, r in enumerate(rows(sheet)) if r.role.value == "body" and r.section == "grid"]
    for i in body:
        assert ru[i][:-1] == tt[i][:-1] == en[i][:-1]
    assert render(sheet, "json", locale="tt") == render(sheet, "json", locale="en") == sheet.canonical_json()


@pytest.mark.parametrize("locale", LOCALES)
def test_html_is_well_formed_semantic_and_has_a_row_per_student(sheet: SummarySheet, locale: str) -> None:
    root = _xml(render(sheet, "html", locale=locale))
    tables = root.findall(f".//{XHTML}table")
    grid = tables[0]
    assert grid.find(f"{XHTML}caption") is not None
    body_rows = grid.findall(f"{XHTML}tbody/{XHTML}tr")
    assert len(body_rows) == len(sheet.rows) == 9
    for tr, row in zip(body_rows, sheet.rows, strict=True):
        heads = tr.findall(f"{XHTML}th")
        assert [h.get("scope") for h in heads] == ["row", "row"]
        assert heads[1].text == row.full_name
    col_heads = grid.findall(f"{XHTML}thead/{XHTML}tr/{XHTML}th")
    assert {h.get("scope") for h in col_heads} <= {"col", "colgroup"}
    assert len(grid.findall(f"{XHTML}thead/{XHTML}tr")) == 2
    style = root.find(f".//{XHTML}style")
    assert style is not None
    assert style.text is not None
    assert "size: A4 landscape" in style.text
    assert "table-header-group" in style.text
    assert root.find(f".//{XHTML}script") is None
    assert root.find(f".//{XHTML}link") is None
    assert root.find(f".//{XHTML}img") is None


def test_subjects_as_rows_has_a_row_per_subject_and_a_group_per_student(sheet: SummarySheet) -> None:
    root = _xml(render(sheet, "html", layout=SheetLayout.SUBJECTS_AS_ROWS))
    # A wide grid prints in parts (one table each, the subject names repeated in every part).
    parts = [t for t in root.findall(f".//{XHTML}table") if "grid" in (t.get("class") or "").split()]
    for grid in parts:
        names = [th.text for th in grid.findall(f"{XHTML}tbody/{XHTML}tr/{XHTML}th[2]")]
        assert names[: len(sheet.subjects)] == [s.subject_name for s in sheet.subjects]
    groups = [
        th
        for grid in parts
        for th in grid.findall(f"{XHTML}thead/{XHTML}tr[1]/{XHTML}th")
        if th.get("scope") == "colgroup"
    ]
    assert len(groups) == len(sheet.rows)


def test_html_escapes_everything() -> None:
    journal = sample_journal(students=3, subjects=2, grade=5)
    journal.subjects["sub01"] = Subject("sub01", '<script>alert("x")</script> & Co', 1)
    evil = build_summary_sheet(journal, collator=collator("ru"))
    html = render(evil, "html")
    assert b"<script>" not in html
    root = _xml(html)
    texts = [th.text for th in root.iter(f"{XHTML}th")]
    assert '<script>alert("x")</script> & Co' in texts
    assert b"&lt;script&gt;" in html
    assert render(evil, "pdf").startswith(b"%PDF")


def _as_printed(value: object, number_format: str) -> str:
    """An XLSX cell as the sheet prints it: numbers back to the locale's text, by their format."""
    if value is None:
        return ""
    if isinstance(value, int | float) and number_format != "General":
        places = len(number_format.split(".")[1].rstrip("%")) if "." in number_format else 0
        shown = value * 100 if number_format.endswith("%") else value
        return f"{shown:.{places}f}".replace(".", ",")
    return str(value)


@pytest.mark.parametrize("layout", list(SheetLayout))
def test_xlsx_holds_the_same_cells_as_the_csv(sheet: SummarySheet, layout: SheetLayout) -> None:
    csv_text = render(sheet, "csv", layout=layout).decode("utf-8-sig")  # ru: Excel's dialect
    csv_rows = list(csv.reader(io.StringIO(csv_text, newline=""), delimiter=";"))
    workbook = openpyxl.load_workbook(io.BytesIO(render(sheet, "xlsx", layout=layout)))
    ws = workbook.active
    assert ws is not None
    assert ws.title == sheet.header.class_label
    cells = [[_as_printed(c.value, c.number_format) for c in r] for r in ws.iter_rows()]
    top = next(i for i, r in enumerate(cells) if r and r[0] == csv_rows[0][0])  # below the title block
    xlsx_rows = cells[top : top + len(csv_rows)]
    width = max(len(r) for r in csv_rows)
    padded = [r + [""] * (width - len(r)) for r in csv_rows]
    assert [(r + [""] * width)[:width] for r in xlsx_rows] == padded
    grid_header = 2
    assert ws.freeze_panes == f"C{top + grid_header + 1}"
    assert any(m.min_row == top + 1 and m.max_col - m.min_col >= 1 for m in ws.merged_cells.ranges)


def test_csv_grid_matches_the_sheet(sheet: SummarySheet) -> None:
    lines = list(csv.reader(io.StringIO(render(sheet, "csv").decode("utf-8-sig"), newline=""), delimiter=";"))
    assert lines[0][:2] == ["№", "Фамилия, имя, отчество обучающегося"]
    for row, line in zip(sheet.rows, lines[2 : 2 + len(sheet.rows)], strict=True):
        assert line[0] == str(row.number)
        assert line[1] == row.full_name
        assert line[2 : 2 + len(row.cells)] == [c.text for c in row.cells]


def test_xlsx_one_worksheet_per_class() -> None:
    a = sample_sheet(students=3, subjects=2, grade=5, letter="А")
    b = sample_sheet(students=4, subjects=2, grade=5, letter="Б")
    workbook = openpyxl.load_workbook(io.BytesIO(render([a, b], "xlsx")))
    assert workbook.sheetnames == ["5А", "5Б"]
    data = json.loads(render([a, b], "json"))
    assert [d["header"]["class_label"] for d in data] == ["5А", "5Б"]


def test_render_to_a_stream_gives_the_same_bytes(sheet: SummarySheet) -> None:
    buffer = io.BytesIO()
    render_to(buffer, sheet, "html", locale="en")
    assert buffer.getvalue() == render(sheet, "html", locale="en")


def test_registry_is_local_and_lazy(sheet: SummarySheet) -> None:
    mine = RendererRegistry(include_entry_points=False)
    assert set(FORMATS) <= set(mine.names())

    class Upper:
        name = "upper"
        media_type = "text/plain"
        extension = "txt"

        def render(self, document: object, options: object = None) -> bytes:
            return b"UPPER"

        def write(self, document: object, stream: io.BytesIO, options: object = None) -> None:
            stream.write(self.render(document))

    mine.register("upper", Upper)
    assert render(sheet, "upper", registry=mine) == b"UPPER"
    with pytest.raises(NotFound, match="upper"):
        RendererRegistry().get("upper")
    with pytest.raises(NotFound, match="known: csv"):
        render(sheet, "docx")


def test_entry_points_are_looked_up(monkeypatch: pytest.MonkeyPatch, sheet: SummarySheet) -> None:
    from importlib.metadata import EntryPoint

    from ejournal.render import registry

    ep = EntryPoint("plain", "ejournal.render.json:JsonRenderer", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "_entry_points", lambda: {"plain": ep})
    assert "plain" in RendererRegistry().names()
    assert render(sheet, "plain") == sheet.canonical_json()
    assert "plain" not in RendererRegistry(include_entry_points=False).names()


def test_importing_render_loads_no_renderer_or_font() -> None:
    import subprocess
    import sys

    code = "import sys, ejournal.render; print(sorted(m for m in sys.modules if m.startswith(('reportlab', 'openpyxl', 'ejournal.render.'))))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    loaded = eval(out.stdout)
    assert not [m for m in loaded if m.startswith(("reportlab", "openpyxl", "ejournal.render.pdf"))]


def test_unsupported_documents_and_bad_options(sheet: SummarySheet) -> None:
    with pytest.raises(UnsupportedDocument, match="'csv' renderer cannot render a str"):
        render("hello", "csv")
    with pytest.raises(InvalidInput, match="locale"):
        render(sheet, "html", locale="fr")
    with pytest.raises(InvalidInput, match="layout"):
        render(sheet, "html", layout="sideways")


def test_course_page_grid_and_lessons() -> None:
    journal = sample_journal(students=6, subjects=3, grade=7)
    page = build_course_page(journal, "c01", date(2025, 9, 1), date(2025, 10, 31), collator=collator("ru"))
    lessons = sorted(
        (le for le in journal.lessons.values() if le.course_id == "c01"), key=lambda le: (le.date, le.number)
    )
    assert [le.id for le in page.lessons] == [le.id for le in lessons]
    for row in page.rows:
        for le, cell in zip(lessons, row.cells, strict=True):
            marks = [
                str(m.value) for m in journal.marks.values() if m.student_id == row.student_id and m.lesson_id == le.id
            ]
            absence = journal.attendance.get((row.student_id, le.id))
            expected = sorted(marks) + ([absence.code] if absence else [])
            assert sorted(cell.split()) == sorted(expected)
    html = render(page, "html", locale="tt")
    root = _xml(html)
    tables = root.findall(f".//{XHTML}table")
    assert len(tables[0].findall(f"{XHTML}tbody/{XHTML}tr")) == len(page.rows)
    assert len(tables[1].findall(f"{XHTML}tbody/{XHTML}tr")) == len(page.lessons)
    assert lessons[0].topic.encode() in html
    pdf = render(page, "pdf", locale="en")
    assert pdf.startswith(b"%PDF")
    assert render(page, "pdf", locale="en") == pdf
    with pytest.raises(InvalidInput, match="end"):
        build_course_page(journal, "c01", date(2025, 10, 1), date(2025, 9, 1), collator=collator("ru"))


@pytest.mark.parametrize("locale", LOCALES)
def test_validation_report_and_diary_render(locale: str) -> None:
    journal = sample_journal(students=4, subjects=3, grade=7)
    report = ValidationReport(
        "7А-2025",
        date(2026, 5, 30),
        [
            Finding("EJ101", Severity.ERROR, "missing.key", student_id="s001"),
            Finding("EJ201", Severity.WARNING, "other.key"),
        ],
    )
    diary = week(journal, "s001", date(2025, 9, 1))
    cat = catalog(locale)
    for document in (report, diary):
        root = _xml(render(document, "html", locale=locale))
        assert root.find(f".//{XHTML}table") is not None
        assert render(document, "pdf", locale=locale).startswith(b"%PDF")
    html = render(report, "html", locale=locale).decode()
    assert cat.text("severity.error") in html
    assert "EJ101" in html
    rows_ = _xml(render(diary, "html", locale=locale)).findall(f".//{XHTML}tbody/{XHTML}tr")
    assert len(rows_) == sum(len(d.lessons) for d in diary.days) > 0


def test_a_bad_layout_is_named_like_every_other_render_option(sheet: SummarySheet) -> None:
    with pytest.raises(InvalidInput) as caught:
        render(sheet, "html", layout="sideways")
    assert (caught.value.where, caught.value.value) == ("render_options.layout", "sideways")


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_an_uncertified_sheet_leaves_the_director_and_the_date_blank(fmt: str) -> None:
    uncertified = sample_sheet(students=3, subjects=2, grade=5, certified_on=None)
    certified = sample_sheet(students=3, subjects=2, grade=5)
    assert certified.certification is not None
    cat = catalog("ru")
    texts: dict[str, str] = {}
    for name, s in (("uncertified", uncertified), ("certified", certified)):
        data = render(s, fmt, locale="ru")
        if fmt == "html":
            texts[name] = "".join(_xml(data).itertext())
        else:
            with pdfplumber.open(io.BytesIO(data)) as doc:
                texts[name] = "\n".join(page.extract_text() or "" for page in doc.pages)
    # the class teacher signs either way: from the header, or from the certification
    assert f"/{uncertified.header.class_teacher_name}/" in texts["uncertified"]
    assert cat.text("footer.date_blank") in texts["uncertified"]
    assert f"/{certified.certification.director_name}/" not in texts["uncertified"]
    assert f"/{certified.certification.director_name}/" in texts["certified"]
    assert "Дата: 25.06.2026" in texts["certified"]
    assert cat.text("footer.date_blank") not in texts["certified"]

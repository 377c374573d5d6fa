"""The summary sheet as rows of text, and the CSV and XLSX renderers built on them.

:func:`rows` is the **one** iterator that turns a :class:`~ejournal.core.summary.SummarySheet`
into :class:`~ejournal.render.table.TableRow` rows in a layout and a locale: the grid (header
rows, then a row per student or per subject), then the statistics block, the students by
category and the arrivals and departures, each a section of its own.  CSV, XLSX, HTML and PDF all
print these rows, so every format holds the same cells.  Labels come from the locale's catalog;
the sheet's data (names, subjects, marks, "н/а") is printed as it is.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from datetime import date
from fractions import Fraction
from typing import Any, BinaryIO

from ejournal.core.journal import DecisionKind, ResultKind
from ejournal.core.stats import Counting, GroupStats
from ejournal.core.summary import (
    AdmissionTestEntry,
    DecisionEntry,
    MovementKind,
    PolicyStamp,
    SheetCell,
    SheetColumn,
    SheetLayout,
    StudentRow,
    SubjectColumns,
    SummarySheet,
)
from ejournal.i18n.numbers import format_number
from ejournal.i18n.texts import admission_text as _admission_text
from ejournal.i18n.texts import decision_text as _decision_text
from ejournal.i18n.texts import movement_text
from ejournal.render.base import CsvDialect, RendererBase, RenderOptions
from ejournal.render.i18n import Catalog, catalog
from ejournal.render.reports import ReportView, report_view
from ejournal.render.table import RowRole, TableRow, merges, split_rows

__all__ = [
    "CsvRenderer",
    "XlsxRenderer",
    "admission_text",
    "cell_text",
    "column_label",
    "decision_text",
    "outcome_text",
    "policy_text",
    "rows",
    "sheets_of",
    "signatures",
    "subject_heading",
]

_KIND_KEYS = {ResultKind.ANNUAL: "col.annual", ResultKind.EXAM: "col.exam", ResultKind.FINAL: "col.final"}


def column_label(kind: ResultKind, label: str, cat: Catalog, grade: int = 0, *, scores: bool = False) -> str:
    """The heading of a mark column: the period's own label ("I", "1"), or the localised "year",
    "exam", "final"; an earlier grade's period or year says its grade ("I (10 кл.)"); an exam
    column of test scores (``scores``, ЕГЭ 0–100) is labelled as scores."""
    if scores:
        return cat.text("col.exam_score")
    key = _KIND_KEYS.get(kind)
    text = label if key is None else cat.text(key)
    return cat.text("col.earlier", label=text, grade=grade) if grade and kind is not ResultKind.FINAL else text


def cell_text(cell: SheetCell) -> str:
    """A cell as printed: the mark, with the primary score it was converted from beside it
    (``"4 (27)"``) when the sheet keeps one."""
    return f"{cell.text} {cell.score_text}" if cell.score_text and cell.text else cell.text


def subject_heading(subject: SubjectColumns, cat: Catalog, *, short: bool = False) -> str:
    """The subject's name as the locale prints it: its Tatar name in Tatar where the data has one,
    else (``short``) its short name from the subject data; a subject finished in an earlier grade
    says which ("Музыка (8 кл.)")."""
    if cat.locale == "tt" and subject.subject_name_tt:
        name = subject.subject_name_tt
    else:
        name = subject.subject_label if short else subject.subject_name
    return cat.text("subject.finished", name=name, grade=subject.finished_grade) if subject.finished_grade else name


def outcome_text(row: StudentRow, cat: Catalog) -> str:
    """What the decision column says for ``row``, one line each (joined by ``"\\n"``).

    For a student who left during the year the movement — "выбыл(а) 20.10.2025, приказ № 56-у",
    never a council decision or a protocol.  Otherwise the admission test of grades 9 and 11
    (:func:`admission_text`: «собеседование: зачёт 11.02.2026»), then every council decision of
    the year in council order (:func:`decision_text`, each with «протокол № … от dd.mm.yyyy»);
    ``""`` when there is nothing to say.
    """
    if row.departure is not None:
        return _departure_text(row.departure.date, row.departure.order, cat, row.sex)
    if row.decision is not None and row.decision.kind is DecisionKind.LEFT:
        # a departure recorded as a decision (older data): its "protocol" is the director's order
        return _departure_text(row.decision.council_date, row.decision.protocol, cat, row.sex)
    lines = [admission_text(row.admission_tests, cat)] if row.admission_tests else []
    lines.extend(decision_text(d, cat, row.sex) for d in row.decisions)
    return "\n".join(lines)


def admission_text(tests: Sequence[AdmissionTestEntry], cat: Catalog) -> str:
    """The attempts at the admission test in the locale, first attempt first:
    «собеседование: незачёт 11.02.2026, зачёт 11.03.2026»; ``""`` for none.  The wording is
    :func:`ejournal.i18n.texts.admission_text`, the one the sheet's snapshot carries."""
    return _admission_text(tests, cat.locale)


def _departure_text(day: date, order: str, cat: Catalog, sex: str = "") -> str:
    return movement_text(False, day, order, cat.locale, sex)


def decision_text(decision: DecisionEntry | None, cat: Catalog, sex: str = "") -> str:
    """The council's decision in the locale, with the protocol: "переведён(а) в 10 класс (протокол № 7 от 28.05.2026)";
    with ``sex`` ("m"/"f") the form agrees: «переведена в 10 класс».  The wording is
    :func:`ejournal.i18n.texts.decision_text`, the one the sheet's snapshot carries."""
    return _decision_text(decision, cat.locale, sex)


def policy_text(stamp: PolicyStamp | None, cat: Catalog) -> str:
    """The footer line naming the grading policy in the locale, "Политика оценивания: federal v1
    (711e7f6a)"; ``""`` for a sheet without a policy stamp."""
    if stamp is None:
        return ""
    return cat.text("footer.policy", name=stamp.name, version=stamp.version, hash=stamp.short_hash)


def signatures(sheet: SummarySheet, cat: Catalog) -> tuple[str, str, str]:
    """What the footer prints under the signature lines: the director's name, the class teacher's
    name and the date line, from the sheet's certification (for an uncertified sheet: no director,
    the header's class teacher, and the date line left blank)."""
    cert = sheet.certification
    if cert is None:
        return "", sheet.header.class_teacher_name, cat.text("footer.date_blank")
    return cert.director_name, cert.class_teacher_name, cat.text("footer.date", date=cat.date(cert.date))


def _group(label: str, width: int) -> tuple[list[str], list[int]]:
    return [label] + [""] * (width - 1), [width] + [0] * (width - 1)


def _attendance(row: StudentRow) -> list[str]:
    a = row.attendance
    return [str(a.days_missed), str(a.days_missed_illness), str(a.lessons_missed), str(a.lessons_missed_illness)]


def _students_as_rows(sheet: SummarySheet, cat: Catalog, short: bool = False) -> Iterator[TableRow]:
    top = [cat.text("col.number"), cat.text("col.student")]
    top_spans = [1, 1]
    second = ["", ""]
    for subject in sheet.subjects:
        cells, spans = _group(subject_heading(subject, cat, short=short), len(subject.columns))
        top += cells
        top_spans += spans
        second += [column_label(c.kind, c.label, cat, c.grade, scores=c.scores) for c in subject.columns]
    cells, spans = _group(cat.text("group.attendance"), 4)
    top += [*cells, cat.text("group.decision")]
    top_spans += [*spans, 1]
    second += [cat.text("col.days"), cat.text("col.days_ill"), cat.text("col.lessons"), cat.text("col.lessons_ill"), ""]
    yield TableRow(RowRole.HEADER, top, top_spans, stub=2)
    yield TableRow(RowRole.HEADER, second, stub=2)
    for row in sheet.rows:
        yield TableRow(
            RowRole.BODY,
            [
                str(row.number),
                row.full_name,
                *(c.text if short else cell_text(c) for c in row.cells),
                *_attendance(row),
                outcome_text(row, cat),
            ],
            stub=2,
        )


def _subjects_as_rows(sheet: SummarySheet, cat: Catalog) -> Iterator[TableRow]:
    grid = sheet.grid(SheetLayout.SUBJECTS_AS_ROWS)
    top = [cat.text("col.number"), cat.text("col.subject")]
    top_spans = [1, 1]
    second = ["", ""]
    for group in grid.groups:
        cells, spans = _group(f"{group.number}. {group.label}", len(group.columns))
        top += cells
        top_spans += spans
        second += [column_label(c.kind, c.label, cat, c.grade) for c in group.columns]
    yield TableRow(RowRole.HEADER, top, top_spans, stub=2)
    yield TableRow(RowRole.HEADER, second, stub=2)
    for number, grid_row in enumerate(grid.rows, start=1):
        yield TableRow(
            RowRole.BODY,
            [str(number), grid_row.label, *("" if c is None else cell_text(c) for c in grid_row.cells)],
            stub=2,
        )
    width = len(grid.groups[0].columns) if grid.groups else 1
    extra: list[tuple[str, list[str]]] = [
        ("row.days_missed", [str(r.attendance.days_missed) for r in sheet.rows]),
        ("row.days_ill", [str(r.attendance.days_missed_illness) for r in sheet.rows]),
        ("row.lessons_missed", [str(r.attendance.lessons_missed) for r in sheet.rows]),
        ("row.lessons_ill", [str(r.attendance.lessons_missed_illness) for r in sheet.rows]),
        ("row.decision", [outcome_text(r, cat) for r in sheet.rows]),
    ]
    for key, values in extra:
        cells = ["", cat.text(key)]
        spans = [1, 1]
        for value in values:
            c, s = _group(value, width)
            cells += c
            spans += s
        yield TableRow(RowRole.BODY, cells, spans, stub=2)


def _stats_rows(sheet: SummarySheet, cat: Catalog) -> Iterator[TableRow]:
    section = "stats"
    per_mark = sheet.settings.counting is Counting.PER_MARK
    yield TableRow(
        RowRole.HEADER,
        [
            cat.text("stats.group"),
            "",
            cat.text("stats.counted"),
            cat.text("stats.n5"),
            cat.text("stats.n4"),
            cat.text("stats.n3"),
            cat.text("stats.n2"),
            cat.text("stats.not_certified"),
            cat.text("stats.exempt"),
            cat.text("stats.success"),
            cat.text("stats.quality"),
            cat.text("stats.average"),
            cat.text("stats.sou"),
        ],
        [2, 0, *([1] * 11)],
        stub=2,
        section=section,
    )
    names = {s.course_id: subject_heading(s, cat) for s in sheet.subjects}

    def line(group: str, column: SheetColumn | None, label: str, stats: GroupStats) -> TableRow:
        c = stats.counts
        heading = (
            column_label(column.kind, column.label, cat, column.grade, scores=column.scores)
            if column is not None
            else label
        )
        if stats.scores_only:
            # a test score (ЕГЭ 0–100) is on its own scale: no grade counts, no rates, the mean score only
            average = _figure(stats.average_mark, stats.settings.average_digits, cat)
            figures = ["", "", "", "", str(c.not_certified), str(c.exempt), "", "", average, ""]
            return TableRow(RowRole.BODY, [group, heading, str(stats.n), *figures], stub=2, section=section)
        return TableRow(
            RowRole.BODY,
            [
                group,
                heading,
                str(stats.n),
                *(str(c.of(g)) for g in (5, 4, 3, 2)),
                str(c.not_certified),
                str(c.exempt),
                _figure(stats.success_percent, stats.settings.percent_digits, cat),
                _figure(stats.quality_percent, stats.settings.percent_digits, cat),
                _figure(stats.average_mark, stats.settings.average_digits, cat),
                _figure(stats.sou, stats.settings.percent_digits, cat),
            ],
            stub=2,
            section=section,
        )

    for subject in sheet.statistics.subjects:
        for column, stats in zip(subject.columns, subject.stats, strict=True):
            # the year, exam and final figures (an earlier grade's columns are inputs, not this year's
            # results: only a finished subject's final mark has a line)
            if column.kind is not ResultKind.PERIOD and (column.grade == 0 or column.kind is ResultKind.FINAL):
                yield line(names.get(subject.course_id, subject.course_id), column, "", stats)
    if per_mark:
        for cc in sheet.statistics.class_columns:
            yield line(cat.text("stats.class"), None, column_label(cc.kind, cc.label, cat), cc.stats)
    else:
        yield from _class_rows(sheet, cat)
    yield from _category_rows(sheet, cat)


def _figure(value: Fraction | None, places: int, cat: Catalog) -> str:
    """A statistic as the sheet's locale writes numbers (Babel: «80,0» in ru and tt, "80.0" in en),
    rounded once, half up, by the project's exact rule; ``""`` when undefined."""
    return "" if value is None else format_number(value, places, cat.locale)


def _percent(value: Fraction | None, sheet: SummarySheet, cat: Catalog) -> str:
    return "" if value is None else _figure(value * 100, sheet.settings.percent_digits, cat)


def _class_rows(sheet: SummarySheet, cat: Catalog) -> Iterator[TableRow]:
    """The class figures per student (the default): one row per class column."""
    section = "class_stats"
    yield TableRow(RowRole.SEPARATOR, [], section=section)
    yield TableRow(
        RowRole.HEADER,
        [
            cat.text("stats.group"),
            "",
            cat.text("stats.on_list"),
            cat.text("stats.counted"),
            cat.text("stats.excluded"),
            cat.text("stats.successful"),
            cat.text("stats.quality_n"),
            cat.text("stats.success"),
            cat.text("stats.quality"),
        ],
        [2, 0, *([1] * 7)],
        stub=2,
        section=section,
    )
    for cc in sheet.statistics.class_columns:
        k = cc.categories
        yield TableRow(
            RowRole.BODY,
            [
                cat.text("stats.class"),
                column_label(cc.kind, cc.label, cat),
                str(len(k.members)),
                str(k.n),
                str(len(k.excluded)),
                str(len(k.successful)),
                str(len(k.quality)),
                _percent(k.success_rate, sheet, cat),
                _percent(k.quality_rate, sheet, cat),
            ],
            stub=2,
            section=section,
        )


_CATEGORY_ROWS = (
    ("stats.excellent", "all_fives", True),
    ("stats.good", "fours_and_fives", True),
    ("stats.of_which_one_four", "one_four", True),
    ("stats.one_three", "one_three", True),
    ("stats.other_successful", "other_successful", True),
    ("stats.unsuccessful", "unsuccessful", True),
    ("stats.of_which_failing", "failing", True),
    ("stats.of_which_na", "not_certified", True),
    ("stats.total_n", "assessed", False),
    ("stats.excluded_long", "excluded", True),
    ("stats.on_list", "members", False),
)
"""The category table: the disjoint rows (отличники, хорошисты, с одной «3», остальные
успевающие, не успевают) add up to N; N and the excluded add up to the list; "в т. ч." rows are
parts of the row above them.  The flag says whether the students' names are printed."""


def _category_rows(sheet: SummarySheet, cat: Catalog) -> Iterator[TableRow]:
    """The students by category with their names, per class column (a column without any
    counted student prints its totals only)."""
    section = "categories"
    short = {r.student_id: r.short_name for r in sheet.rows}
    yield TableRow(RowRole.SEPARATOR, [], section=section)
    yield TableRow(
        RowRole.HEADER,
        [cat.text("stats.column"), cat.text("stats.category"), cat.text("stats.count"), cat.text("stats.names")],
        stub=2,
        section=section,
    )
    for cc in sheet.statistics.class_columns:
        k = cc.categories
        label = column_label(cc.kind, cc.label, cat)
        for key, attr, named in _CATEGORY_ROWS:
            if k.n == 0 and attr not in ("assessed", "excluded", "members"):
                continue
            ids: tuple[str, ...] = getattr(k, attr)
            who = ", ".join(short.get(i, i) for i in ids) if named else ""
            yield TableRow(RowRole.BODY, [label, cat.text(key), str(len(ids)), who], stub=2, section=section)


def _movement_rows(sheet: SummarySheet, cat: Catalog) -> Iterator[TableRow]:
    section = "movements"
    yield TableRow(
        RowRole.HEADER,
        [cat.text("col.student"), cat.text("course.date"), cat.text("movement.order_col")],
        stub=1,
        section=section,
    )
    for m in sheet.movements:
        key = "movement.arrivals" if m.kind is MovementKind.ARRIVAL else "movement.departures"
        yield TableRow(
            RowRole.BODY,
            [
                f"{cat.text(key)}: {m.student_name}",
                cat.date(m.date),
                cat.text("movement.order", order=m.order) if m.order else "",
            ],
            stub=1,
            section=section,
        )


def rows(
    sheet: SummarySheet, layout: SheetLayout | None = None, locale: str = "ru", *, abbreviate: bool = False
) -> Iterator[TableRow]:
    """The sheet as table rows, section by section (see the module doc).

    ``layout=None`` uses the sheet's own layout; ``abbreviate`` heads the marks' subject groups
    with the subjects' short names and prints exam marks without their primary scores (the PDF's
    narrow columns; the scores stay in the sheet's data).  Raises
    :class:`~ejournal.core.errors.InvalidInput` for an unsupported locale.
    """
    cat = catalog(locale)
    layout = sheet.layout if layout is None else layout
    if layout is SheetLayout.SUBJECTS_AS_ROWS and sheet.subjects:
        # (a sheet without mark columns, as in grade 1, has no subject rows: students as rows then)
        yield from _subjects_as_rows(sheet, cat)
    else:
        yield from _students_as_rows(sheet, cat, abbreviate)
    if sheet.subjects:  # a class taught without marks (grade 1) has no statistics to print
        yield TableRow(RowRole.SEPARATOR, [], section="stats")
        yield from _stats_rows(sheet, cat)
    if sheet.movements:
        yield TableRow(RowRole.SEPARATOR, [], section="movements")
        yield from _movement_rows(sheet, cat)


def sheets_of(document: object, renderer: str) -> list[SummarySheet]:
    """The sheets of a document: one :class:`SummarySheet` or a sequence of them.

    Raises :class:`~ejournal.render.base.UnsupportedDocument` for anything else.
    """
    from ejournal.render.base import UnsupportedDocument

    if isinstance(document, SummarySheet):
        return [document]
    if isinstance(document, Sequence) and document and all(isinstance(d, SummarySheet) for d in document):
        return list(document)
    raise UnsupportedDocument(renderer, document)


def _report_view(document: object, options: RenderOptions) -> ReportView | None:
    """The view of an end-of-year document (:mod:`ejournal.render.reports`), ``None`` for others."""
    return report_view(document, options.catalog)


class CsvRenderer(RendererBase):
    """CSV: the rows of :func:`rows`, a blank line between sections, in the options' dialect.

    :attr:`~ejournal.render.base.CsvDialect.EXCEL` (the default for ru and tt): UTF-8 with BOM,
    ``;``-separated, CRLF — numbers keep their decimal comma and Excel opens the file by
    double-click.  :attr:`~ejournal.render.base.CsvDialect.RFC4180` (the default for en): UTF-8,
    comma-separated, CRLF.  Several sheets are written one after the other, each after a row with
    its class label.
    """

    name = "csv"
    media_type = "text/csv"
    extension = "csv"

    def write(self, document: object, stream: BinaryIO, options: RenderOptions | None = None) -> None:
        """Write the CSV of one sheet or several; raises :class:`~ejournal.render.base.UnsupportedDocument`."""
        options = options or RenderOptions()
        report = _report_view(document, options)
        if report is not None:
            from ejournal.render.reports.formats import report_csv

            stream.write(report_csv(report, options))
            return
        sheets = sheets_of(document, self.name)
        excel = options.dialect is CsvDialect.EXCEL
        text = io.StringIO(newline="")
        writer = csv.writer(text, delimiter=";" if excel else ",", lineterminator="\r\n")
        for i, sheet in enumerate(sheets):
            if len(sheets) > 1:
                if i:
                    writer.writerow([])
                writer.writerow([sheet.header.class_label])
            for row in rows(sheet, options.layout, options.locale):
                writer.writerow(row.cells)
        stream.write(text.getvalue().encode("utf-8-sig" if excel else "utf-8"))


_FORBIDDEN_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


def _worksheet_title(label: str, used: set[str]) -> str:
    base = (label.translate(_FORBIDDEN_TITLE).strip() or "sheet")[:28]
    title, n = base, 1
    while title.lower() in used:
        n += 1
        title = f"{base}-{n}"
    used.add(title.lower())
    return title


_DECIMAL = re.compile(r"-?\d+[.,]\d+")


def _cell_value(text: str, percent: bool) -> tuple[str | int | float, str | None]:
    """The value to store for a printed cell and its number format (``None``: the default).

    Whole numbers become ints; decimals printed with a comma or a point become numbers shown with
    the same number of decimals — as a percentage (``0.0%``) in a column whose header says "%".
    The figures are already rounded by the policy, so the number is the printed one.
    """
    if text.isascii() and text.isdigit() and len(text) < 10:
        return int(text), None
    if _DECIMAL.fullmatch(text):
        places = len(text) - 1 - max(text.find(","), text.find("."))
        value = float(text.replace(",", "."))
        zeros = "0" * places
        if percent:
            return value / 100, f"0.{zeros}%"
        return value, f"0.{zeros}"
    return text, None


def _percent_columns(section_header: Sequence[TableRow]) -> set[int]:
    return {c for row in section_header for c, text in enumerate(row.cells) if "%" in text}


def print_setup(ws: Any, cat: Catalog) -> None:
    """Print a worksheet as the PDF is: landscape A4, fitted to the page width, "Лист N из M" in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = cat.text("page.of", page="&P", total="&N")


class XlsxRenderer(RendererBase):
    """An Excel workbook that prints as the sheet: one worksheet per class.

    Each worksheet holds the sheet's title block (school, title, year, class, class teacher),
    then the cells of :func:`rows`, then the signature lines.  Numbers are numbers: whole ones as
    integers, averages and rates with their printed decimals and number formats (rates as
    ``0.0%``).  The grid's header rows are bold with the subject groups merged, the panes are
    frozen below the header and right of the names, and the page setup prints A4 landscape, fit
    to the page width, with the grid header and the names repeated on every page and "Лист N из M"
    in the footer.
    """

    name = "xlsx"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def write(self, document: object, stream: BinaryIO, options: RenderOptions | None = None) -> None:
        """Write the workbook of one sheet or several; raises :class:`~ejournal.render.base.UnsupportedDocument`."""
        from datetime import datetime

        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        options = options or RenderOptions()
        report = _report_view(document, options)
        if report is not None:
            from ejournal.render.reports.formats import write_report_xlsx

            write_report_xlsx(report, stream, options)
            return
        cat = catalog(options.locale)
        sheets = sheets_of(document, self.name)
        workbook = Workbook()
        first = sheets[0]
        workbook.properties.title = cat.text("sheet.title")
        workbook.properties.creator = first.header.school_name_ru
        stamp = first.certification.date if first.certification else first.header.year_end
        moment = datetime(stamp.year, stamp.month, stamp.day)
        workbook.properties.created = moment
        workbook.properties.modified = moment
        used: set[str] = set()
        bold = Font(bold=True)
        title_font = Font(bold=True, size=13)
        centered = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for index, sheet in enumerate(sheets):
            ws = workbook.active if index == 0 else workbook.create_sheet()
            assert ws is not None
            ws.title = _worksheet_title(sheet.header.class_label, used)
            all_rows = list(rows(sheet, options.layout, options.locale))
            head = sheet.header
            title_block = [head.school_name_ru]
            if head.school_name_tt:
                title_block.append(head.school_name_tt)
            title_block += [
                cat.text("sheet.title"),
                cat.text("sheet.year", year=head.academic_year),
                cat.text("sheet.class", label=head.class_label),
            ]
            if head.class_teacher_name:
                title_block.append(cat.text("sheet.class_teacher", name=head.class_teacher_name))
            for r, text in enumerate(title_block, start=1):
                ws.cell(row=r, column=1, value=text).font = title_font if r == 1 else bold
            offset = len(title_block) + 1  # a blank row after the title block
            sections = split_rows(all_rows)
            percent = {section.name: _percent_columns(section.header) for section in sections}
            for r, row in enumerate(all_rows, start=1 + offset):
                for c, text in enumerate(row.cells, start=1):
                    if text:
                        is_percent = row.role is RowRole.BODY and (c - 1) in percent.get(row.section, set())
                        value, number_format = (
                            _cell_value(text, is_percent) if row.role is RowRole.BODY else (text, None)
                        )
                        cell = ws.cell(row=r, column=c, value=value)
                        if number_format:
                            cell.number_format = number_format
            for section in sections:
                start = (
                    1
                    + offset
                    + next(
                        i
                        for i, row in enumerate(all_rows)
                        if row.section == section.name and row.role is RowRole.HEADER
                    )
                )
                for m in merges(section.header):
                    ws.merge_cells(
                        start_row=start + m.row,
                        start_column=m.col + 1,
                        end_row=start + m.row + m.rowspan - 1,
                        end_column=m.col + m.colspan,
                    )
                for r in range(start, start + len(section.header)):
                    for cell in ws[r]:
                        cell.font = bold
                        cell.alignment = centered
            director, class_teacher, day = signatures(sheet, cat)
            last = offset + len(all_rows) + 2
            for i, (role, person) in enumerate(
                ((cat.text("footer.director"), director), (cat.text("footer.class_teacher"), class_teacher))
            ):
                ws.cell(row=last + i, column=2, value=f"{role} ____________ {person}".rstrip())
            ws.cell(row=last + 2, column=2, value=cat.text("footer.seal"))
            ws.cell(row=last + 3, column=2, value=day)
            grid_header = sum(1 for row in all_rows if row.section == "grid" and row.role is RowRole.HEADER)
            stub = all_rows[0].stub if all_rows else 0
            ws.freeze_panes = f"{get_column_letter(stub + 1)}{offset + grid_header + 1}"
            ws.column_dimensions["A"].width = 5
            ws.column_dimensions["B"].width = 36
            print_setup(ws, cat)
            if grid_header:
                ws.print_title_rows = f"{offset + 1}:{offset + grid_header}"
            if stub:
                ws.print_title_cols = f"A:{get_column_letter(stub)}"
            ws.oddHeader.center.text = cat.text(
                "sheet.short_header", school=head.school_name_ru, label=head.class_label, year=head.academic_year
            )
        workbook.save(stream)

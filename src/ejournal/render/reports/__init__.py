"""The end-of-year documents of :mod:`ejournal.core.reports` as neutral tables for every renderer.

:func:`report_view` turns a document (:class:`~ejournal.core.reports.FinalMarksList`,
:class:`~ejournal.core.reports.ProgressReport`, :class:`~ejournal.core.reports.HonoursList`,
:class:`~ejournal.core.reports.MarksExtract`, :class:`~ejournal.core.reports.PersonalFilePage`)
into a :class:`ReportView`: the heading lines, one or more tables of
:class:`~ejournal.render.table.TableRow` (one section each), notes, and the signature block.  The PDF,
HTML, CSV and XLSX renderers print that view (:mod:`ejournal.render.reports.formats`,
:mod:`ejournal.render.reports.pdf`); JSON writes the document's own ``to_dict()``.  Labels come from
the render catalogs (ru, tt, en); the data (names, subjects, marks) never changes with the locale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from fractions import Fraction
from typing import TypeGuard

from attrs import frozen

from ejournal.core.journal import ResultKind
from ejournal.core.reports import (
    REPORT_TYPES,
    DebtList,
    FinalMarksList,
    HonoursList,
    MarksExtract,
    PeriodFigures,
    PersonalFilePage,
    ProgressReport,
    Report,
    ReportHeader,
    difference,
)
from ejournal.core.reports._common import value_text
from ejournal.render.i18n import Catalog
from ejournal.render.table import RowRole, TableRow

__all__ = ["ReportBlock", "ReportView", "is_report", "report_view"]


@frozen
class ReportBlock:
    """One table of a report: its caption and its rows (all of one section, named ``section``)."""

    section: str
    caption: str
    rows: tuple[TableRow, ...]


@frozen
class ReportView:
    """What every renderer prints for a report: ``title``, ``heading`` lines under it, the
    ``blocks`` (tables), ``notes`` (printed before the tables; a warning such as "not ready to
    print"), the ``signatures`` as (role, name) pairs, the date line, and the PDF metadata
    (``author``, ``created``, ``keywords``).  ``kind`` is the document's CLI name."""

    kind: str
    title: str
    heading: tuple[str, ...]
    notes: tuple[str, ...]
    blocks: tuple[ReportBlock, ...]
    signatures: tuple[tuple[str, str], ...]
    date_line: str
    author: str
    created: date | None
    keywords: tuple[str, ...]

    @property
    def texts(self) -> list[str]:
        """Every string printed (for the font check)."""
        out = [self.title, *self.heading, *self.notes, self.date_line]
        for b in self.blocks:
            out.append(b.caption)
            out += [t for r in b.rows for t in r.cells]
        for role, name in self.signatures:
            out += [role, name]
        return out


def is_report(document: object) -> TypeGuard[Report]:
    """True for a document of :mod:`ejournal.core.reports`."""
    return isinstance(document, REPORT_TYPES)


def report_view(document: object, cat: Catalog) -> ReportView | None:
    """The :class:`ReportView` of ``document`` in the catalog's locale, ``None`` when it is not a report."""
    if isinstance(document, FinalMarksList):
        return _final_marks(document, cat)
    if isinstance(document, ProgressReport):
        return _progress(document, cat)
    if isinstance(document, HonoursList):
        return _honours(document, cat)
    if isinstance(document, MarksExtract):
        return _extract(document, cat)
    if isinstance(document, PersonalFilePage):
        return _personal_file(document, cat)
    if isinstance(document, DebtList):
        return _debts(document, cat)
    return None


# ---------------------------------------------------------------------------------------------- helpers


def _percent(value: Fraction | None, cat: Catalog, *, signed: bool = False) -> str:
    if value is None:
        return ""
    text = cat.percent(value, 1, sign=False)
    return f"+{text}" if signed and value > 0 else text


def _school_lines(header: ReportHeader) -> list[str]:
    return [header.school_name_ru] + ([header.school_name_tt] if header.school_name_tt else [])


def _header_row(cells: Sequence[str], section: str, spans: Sequence[int] = ()) -> TableRow:
    return TableRow(RowRole.HEADER, cells, spans, section=section)


def _body(cells: Sequence[str], section: str, stub: int = 2) -> TableRow:
    return TableRow(RowRole.BODY, cells, stub=stub, section=section)


def _block(section: str, caption: str, rows: Iterable[TableRow]) -> ReportBlock:
    return ReportBlock(section, caption, tuple(rows))


def _director(header: ReportHeader, cat: Catalog, *, class_teacher: bool = True) -> tuple[tuple[str, str], ...]:
    out = [(cat.text("footer.director"), header.director_name)]
    if class_teacher:
        out.append((cat.text("footer.class_teacher"), header.class_teacher_name))
    return tuple(out)


def _view(
    kind: str,
    title: str,
    heading: Sequence[str],
    blocks: Sequence[ReportBlock],
    header: ReportHeader | None,
    cat: Catalog,
    *,
    notes: Sequence[str] = (),
    signatures: Sequence[tuple[str, str]] = (),
    day: date | None = None,
    author: str = "",
    keywords: Sequence[str] = (),
) -> ReportView:
    date_line = cat.text("report.date_line", date=cat.date(day)) if day else cat.text("footer.date_blank")
    return ReportView(
        kind,
        title,
        tuple(heading),
        tuple(notes),
        tuple(blocks),
        tuple(signatures),
        date_line,
        author or (header.school_name_ru if header else ""),
        day,
        tuple(keywords) or ((header.class_label, header.year_label) if header else ()),
    )


# ---------------------------------------------------------------------------------------------- final marks


def _problem_text(code: str, value: str, expected: str, cat: Catalog) -> str:
    return cat.text(f"report.problem.{code}", value=value, expected=expected)


def _final_marks(doc: FinalMarksList, cat: Catalog) -> ReportView:
    h = doc.header
    grade_key = "report.final_marks.grade9" if h.grade == 9 else "report.final_marks.grade11"
    heading = [
        *_school_lines(h),
        cat.text(grade_key, label=h.class_label),
        cat.text("sheet.year", year=h.year_label),
        cat.text("sheet.class_teacher", name=h.class_teacher_name or "—"),
    ]
    notes = [cat.text("report.final_marks.ready")] if doc.ready else []
    if not doc.ready:
        notes.append(cat.text("report.final_marks.not_ready", count=len(doc.problems)))
    if h.grade == 11 and not all(c.checked for r in doc.rows for c in r.cells):
        notes.append(cat.text("report.final_marks.no_grade10"))
    grid = [_header_row([cat.text("col.number"), cat.text("col.student"), *(n for _, n in doc.subjects)], "grid")]
    for r in doc.rows:
        grid.append(_body([str(r.number), r.name, *(value_text(c.final) for c in r.cells)], "grid"))
    blocks = [_block("grid", cat.text("report.final_marks.title"), grid)]
    if doc.problems:
        rows = [
            _header_row(
                [
                    cat.text("col.number"),
                    cat.text("col.student"),
                    cat.text("report.col.subject"),
                    cat.text("report.col.problem"),
                ],
                "problems",
            )
        ]
        for i, p in enumerate(doc.problems, start=1):
            rows.append(
                _body(
                    [str(i), p.student_name, p.subject_name, _problem_text(p.code, p.value, p.expected, cat)],
                    "problems",
                )
            )
        blocks.append(_block("problems", cat.text("report.final_marks.problems"), rows))
    inputs_head = [cat.text("col.student"), cat.text("report.col.subject")]
    if h.grade == 11:
        inputs_head += [cat.text("report.col.grade10"), cat.text("report.col.grade11")]
    else:
        inputs_head += [cat.text("col.annual"), cat.text("col.exam")]
    inputs_head += [cat.text("report.col.mean"), cat.text("report.col.expected"), cat.text("report.col.final_set")]
    inputs = [_header_row(inputs_head, "inputs")]
    for r in doc.rows:
        for c in r.cells:
            if h.grade == 11:
                source = [" ".join(value_text(v) for v in c.grade10), " ".join(value_text(v) for v in c.grade11)]
            else:
                source = [value_text(c.annual), value_text(c.exam)]
            mean = "" if c.mean is None else cat.number(c.mean, 2)
            inputs.append(
                _body(
                    [
                        r.name,
                        c.subject_name,
                        *source,
                        mean,
                        value_text(c.expected) if c.checked else "",
                        value_text(c.final),
                    ],
                    "inputs",
                )
            )
    blocks.append(_block("inputs", cat.text("report.final_marks.inputs"), inputs))
    return _view(
        "final-marks",
        cat.text("report.final_marks.title"),
        heading,
        blocks,
        h,
        cat,
        notes=notes,
        signatures=_director(h, cat),
    )


# ---------------------------------------------------------------------------------------------- progress


def _period_name(p: PeriodFigures, cat: Catalog) -> str:
    if p.period_id == "year":
        return cat.text("report.progress.previous_year", year=p.year_label)
    return p.label or p.period_id


def _names(report: ProgressReport, ids: Sequence[str]) -> str:
    names = dict(report.names)
    return ", ".join(names[i] for i in ids)


def _progress(doc: ProgressReport, cat: Catalog) -> ReportView:
    h, cur, prev = doc.header, doc.current, doc.previous
    if cur.period_id == "year":
        subtitle = cat.text("report.progress.year", year=h.year_label)
    else:
        subtitle = cat.text("report.progress.period", period=cur.label or cur.period_id, year=h.year_label)
    heading = [
        *_school_lines(h),
        subtitle,
        cat.text("sheet.class", label=h.class_label)
        + "; "
        + cat.text("sheet.class_teacher", name=h.class_teacher_name or "—"),
    ]
    move = [_header_row([cat.text("report.col.figure"), cat.text("stats.count"), cat.text("stats.names")], "movement")]
    move += [
        _body(
            [cat.text("report.progress.at_start", date=cat.date(cur.start)), str(len(cur.at_start)), ""], "movement", 1
        ),
        _body([cat.text("report.progress.at_end", date=cat.date(cur.end)), str(len(cur.at_end)), ""], "movement", 1),
        _body([cat.text("movement.arrivals"), str(len(cur.arrived)), _names(doc, cur.arrived)], "movement", 1),
        _body([cat.text("movement.departures"), str(len(cur.departed)), _names(doc, cur.departed)], "movement", 1),
    ]
    c = cur.categories
    cats = [_header_row([cat.text("stats.category"), cat.text("stats.count"), cat.text("stats.names")], "categories")]
    for key, ids in (
        ("stats.excellent", c.all_fives),
        ("stats.good", c.fours_and_fives),
        ("stats.one_four", c.one_four),
        ("stats.one_three", c.one_three),
        ("stats.failing", c.failing),
        ("stats.not_certified", c.not_certified),
    ):
        cats.append(_body([cat.text(key), str(len(ids)), _names(doc, ids)], "categories", 1))
    cats.append(_body([cat.text("stats.total_n"), str(c.n), ""], "categories", 1))
    cats.append(_body([cat.text("stats.success"), _percent(c.success_rate, cat), ""], "categories", 1))
    cats.append(_body([cat.text("stats.quality"), _percent(c.quality_rate, cat), ""], "categories", 1))
    blocks = [
        _block("movement", cat.text("report.progress.movement"), move),
        _block("categories", cat.text("report.caption.by_category"), cats),
    ]
    success, quality = cat.text("stats.success"), cat.text("stats.quality")
    head = [cat.text("report.col.subject"), cat.text("stats.counted")]
    spans = [1, 1]
    second = ["", ""]
    if prev is not None:
        head += [success, "", "", quality, "", ""]
        spans += [3, 0, 0, 3, 0, 0]
        second += [cat.text("report.col.now"), cat.text("report.col.before"), cat.text("report.col.change")] * 2
    else:
        head += [success, quality]
        spans += [1, 1]
    subj = [_header_row(head, "subjects", spans)]
    if prev is not None:
        subj.append(_header_row(second, "subjects"))

    def line(
        label: str,
        n: int,
        s_now: Fraction | None,
        q_now: Fraction | None,
        s_before: Fraction | None,
        q_before: Fraction | None,
    ) -> TableRow:
        cells = [label, str(n), _percent(s_now, cat)]
        if prev is not None:
            cells += [_percent(s_before, cat), _percent(difference(s_now, s_before), cat, signed=True)]
        cells.append(_percent(q_now, cat))
        if prev is not None:
            cells += [_percent(q_before, cat), _percent(difference(q_now, q_before), cat, signed=True)]
        return _body(cells, "subjects", 1)

    for s in cur.subjects:
        p = prev.subject(s.subject_id) if prev is not None else None
        subj.append(
            line(
                s.subject_name,
                s.n,
                s.success_rate,
                s.quality_rate,
                p.success_rate if p else None,
                p.quality_rate if p else None,
            )
        )
    pc = prev.categories if prev is not None else None
    subj.append(
        line(
            cat.text("stats.class"),
            c.n,
            c.success_rate,
            c.quality_rate,
            pc.success_rate if pc else None,
            pc.quality_rate if pc else None,
        )
    )
    caption = cat.text("report.progress.subjects")
    if prev is not None:
        caption += ". " + cat.text("report.progress.comparison", period=_period_name(prev, cat))
    blocks.append(_block("subjects", caption, subj))
    notes = [] if prev is not None else [cat.text("report.progress.no_previous")]
    return _view(
        "progress",
        cat.text("report.progress.title"),
        heading,
        blocks,
        h,
        cat,
        notes=notes,
        signatures=((cat.text("footer.class_teacher"), h.class_teacher_name),),
    )


# ---------------------------------------------------------------------------------------------- honours


def _reason_text(code: str, doc: HonoursList, cat: Catalog) -> str:
    name, _, subject = code.partition(":")
    subjects = dict(doc.exam_subjects)
    return cat.text(f"report.reason.{name}", subject=subjects.get(subject, subject), good=doc.rules.max_good_for_silver)


def _honours(doc: HonoursList, cat: Catalog) -> ReportView:
    h, rules = doc.header, doc.rules
    names = dict(doc.exam_subjects)
    exams = [
        cat.text("report.honours.minimum", subject=names.get(m.subject_id, m.subject_id), gold=m.gold, silver=m.silver)
        for m in rules.exam_minimums
    ]
    if rules.exams_passed:
        exams.insert(0, cat.text("report.honours.exams_passed"))
    heading = [
        *_school_lines(h),
        cat.text("sheet.year", year=h.year_label),
        cat.text("sheet.class", label=h.class_label)
        + "; "
        + cat.text("sheet.class_teacher", name=h.class_teacher_name or "—"),
        cat.text(
            "report.honours.rules",
            good=rules.max_good_for_silver,
            exams="; ".join(exams) or cat.text("report.honours.exams_any"),
        ),
    ]
    rows = [
        _header_row(
            [
                cat.text("col.number"),
                cat.text("col.student"),
                cat.text("stats.n5"),
                cat.text("stats.n4"),
                cat.text("report.col.medal"),
                cat.text("report.col.reasons"),
            ],
            "grid",
        )
    ]
    ordered = [*doc.gold, *doc.silver, *(s for s in doc.students if s.medal.value == "none")]
    for i, s in enumerate(ordered, start=1):
        rows.append(
            _body(
                [
                    str(i),
                    s.name,
                    str(s.excellent),
                    str(s.good),
                    cat.text(f"report.medal.{s.medal.value}"),
                    "; ".join(_reason_text(r, doc, cat) for r in s.reasons),
                ],
                "grid",
            )
        )
    return _view(
        "honours",
        cat.text("report.honours.title"),
        heading,
        [_block("grid", cat.text("report.honours.title"), rows)],
        h,
        cat,
        signatures=_director(h, cat),
    )


# ---------------------------------------------------------------------------------------------- extract


def _extract(doc: MarksExtract, cat: Catalog) -> ReportView:
    h = doc.header
    end = doc.left or doc.issued_on
    heading = [
        *_school_lines(h),
        cat.text("report.extract.student", name=doc.student_name),
    ]
    if doc.birth_date is not None:
        heading.append(cat.text("report.extract.birth", date=cat.date(doc.birth_date)))
    heading.append(
        cat.text("report.extract.dates", label=h.class_label, start=cat.date(doc.enrolled), end=cat.date(end))
        + " ("
        + cat.text("sheet.year", year=h.year_label)
        + ")"
    )
    if doc.departure_order:
        heading.append(cat.text("report.extract.order", order=doc.departure_order))
    marks = [
        _header_row(
            [
                cat.text("report.col.subject"),
                cat.text("report.col.period"),
                cat.text("report.col.current_marks"),
                cat.text("report.col.period_mark"),
            ],
            "marks",
        )
    ]
    for c in doc.courses:
        for p in c.periods:
            text = ", ".join(f"{m.date.day:02d}.{m.date.month:02d}: {m.value}" for m in p.marks)
            marks.append(_body([c.subject_name, p.label, text, p.period_mark], "marks", 2))
    attendance = [
        _header_row(
            [cat.text("report.col.subject"), cat.text("report.col.missed"), cat.text("report.col.excused")],
            "attendance",
        )
    ]
    for c in doc.courses:
        attendance.append(_body([c.subject_name, str(c.missed), str(c.excused)], "attendance", 1))
    attendance.append(_body([cat.text("report.col.total"), str(doc.missed), str(doc.excused)], "attendance", 1))
    return _view(
        "extract",
        cat.text("report.extract.title"),
        heading,
        [
            _block("marks", cat.text("report.extract.marks"), marks),
            _block("attendance", cat.text("report.extract.attendance"), attendance),
        ],
        h,
        cat,
        notes=[cat.text("report.extract.issued", date=cat.date(doc.issued_on))],
        signatures=_director(h, cat, class_teacher=False),
        day=doc.issued_on,
        keywords=(h.class_label, h.year_label, doc.student_id),
    )


# ---------------------------------------------------------------------------------------------- personal file


def _decision_text(kind: str, to_grade: int | None, cat: Catalog) -> str:
    if not kind:
        return ""
    if kind == "promoted":
        return cat.text("decision.promoted", grade=to_grade) if to_grade else cat.text("decision.promoted_no_grade")
    return cat.text(f"decision.{kind}")


def _personal_file(doc: PersonalFilePage, cat: Catalog) -> ReportView:
    heading = [doc.school_name_ru] + ([doc.school_name_tt] if doc.school_name_tt else [])
    heading.append(cat.text("report.extract.student", name=doc.student_name))
    if doc.birth_date is not None:
        heading.append(cat.text("report.extract.birth", date=cat.date(doc.birth_date)))
    head = [cat.text("report.col.subject")]
    second = [""]
    spans = [1]
    i = 0
    cols = doc.columns
    while i < len(cols):
        group = [c for c in cols[i:] if c.journal_id == cols[i].journal_id]
        head += [cat.text("report.personal_file.column", year=cols[i].year_label, label=cols[i].class_label)] + [""] * (
            len(group) - 1
        )
        spans += [len(group)] + [0] * (len(group) - 1)
        second += [cat.text("col.annual") if c.kind is ResultKind.ANNUAL else cat.text("col.final") for c in group]
        i += len(group)
    rows = [_header_row(head, "grid", spans), _header_row(second, "grid")]
    for r in doc.rows:
        rows.append(_body([r.subject_name, *r.cells], "grid", 1))
    decisions = {j: (k, g) for j, k, g in doc.decisions}
    rows.append(
        _body(
            [cat.text("report.personal_file.decision")]
            + [_decision_text(*decisions[c.journal_id], cat) if c.kind is ResultKind.ANNUAL else "" for c in cols],
            "grid",
            1,
        )
    )
    return _view(
        "personal-file",
        cat.text("report.personal_file.title"),
        heading,
        [_block("grid", cat.text("report.personal_file.title"), rows)],
        None,
        cat,
        signatures=((cat.text("footer.director"), doc.director_name),),
        author=doc.school_name_ru,
        keywords=(doc.student_id,),
    )


# ---------------------------------------------------------------------------------------------- debts


def _retake_text(doc: DebtList, row_index: int, attempt: int, cat: Catalog) -> str:
    cell = next((c for c in doc.rows[row_index].retakes if c.attempt == attempt), None)
    if cell is None:
        return ""
    text = cat.text("report.debts.retake", date=cat.date(cell.held_on), value=cell.value, protocol=cell.protocol)
    if cell.commission:
        text += "; " + cat.text("report.debts.commission", names=", ".join(cell.commission))
    return text


def _debts(doc: DebtList, cat: Catalog) -> ReportView:
    h = doc.header
    heading = [
        *_school_lines(h),
        cat.text("sheet.class", label=h.class_label),
        cat.text("sheet.year", year=h.year_label),
        cat.text("report.debts.as_of", date=cat.date(doc.as_of)),
        cat.text("report.debts.deadline", date=cat.date(doc.deadline)),
    ]
    notes = [cat.text("report.debts.none")] if not doc.rows else [cat.text("report.debts.open", count=doc.open_count)]
    head = [
        cat.text("col.number"),
        cat.text("col.student"),
        cat.text("report.col.subject"),
        cat.text("report.debts.col.owed"),
        cat.text("report.debts.col.retake1"),
        cat.text("report.debts.col.retake2"),
        cat.text("report.debts.col.status"),
        cat.text("report.personal_file.decision"),
    ]
    rows = [_header_row(head, "debts")]
    for i, r in enumerate(doc.rows):
        rows.append(
            _body(
                [
                    str(r.number),
                    r.student_name,
                    r.subject_name,
                    r.owed,
                    _retake_text(doc, i, 1, cat),
                    _retake_text(doc, i, 2, cat),
                    cat.text(f"report.debts.status.{r.status.value}"),
                    _decision_text(r.decision, None, cat),
                ],
                "debts",
            )
        )
    return _view(
        "debts",
        cat.text("report.debts.title"),
        heading,
        [_block("debts", cat.text("report.debts.title"), rows)],
        h,
        cat,
        notes=notes,
        signatures=_director(h, cat),
        day=doc.as_of,
    )

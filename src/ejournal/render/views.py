"""Simple documents as table rows: the validation report and a week of the student diary.

:func:`simple_view` turns a :class:`~ejournal.core.validation.report.ValidationReport` or a
:class:`~ejournal.core.diary.DiaryWeek` into a :class:`SimpleView` (a title, a subtitle and the
rows of one table) that the PDF and HTML renderers print.  The labels come from the render
catalogs; the findings' messages come from the validation catalogs, which have Russian and
English only, so the Tatar view prints the Russian messages under Tatar labels.
"""

from __future__ import annotations

from attrs import frozen

from ejournal.render.i18n import Catalog
from ejournal.render.table import RowRole, TableRow

__all__ = ["SimpleView", "simple_view"]


@frozen
class SimpleView:
    """A titled table: what the PDF and HTML renderers print for a simple document."""

    title: str
    subtitle: str
    rows: tuple[TableRow, ...]
    fractions: tuple[float, ...]

    @property
    def texts(self) -> list[str]:
        """Every string printed (for the font check)."""
        return [self.title, self.subtitle, *(t for r in self.rows for t in r.cells)]


def simple_view(document: object, cat: Catalog) -> SimpleView | None:
    """The view of ``document``, or ``None`` when it is not a validation report or a diary week."""
    from ejournal.core.diary import DiaryWeek
    from ejournal.core.validation.report import ValidationReport

    if isinstance(document, ValidationReport):
        return _report(document, cat)
    if isinstance(document, DiaryWeek):
        return _diary(document, cat)
    return None


def _report(report: object, cat: Catalog) -> SimpleView:
    from ejournal.core.validation.report import ValidationReport

    assert isinstance(report, ValidationReport)
    counts = {s.value: n for s, n in report.counts().items()}
    loc = cat.locale  # the messages come from the same catalog as the labels, Tatar included
    rows = [
        TableRow(
            RowRole.HEADER,
            [
                cat.text("validation.code"),
                cat.text("validation.severity"),
                cat.text("validation.place"),
                cat.text("validation.message"),
            ],
        )
    ]
    for f in report.findings:
        place = ", ".join(f"{k}={v}" for k, v in f.place().items())
        rows.append(
            TableRow(
                RowRole.BODY,
                [f.code, cat.text(f"severity.{f.severity.value}"), place, f.message(loc)],
                stub=1,
            )
        )
    subtitle = cat.text(
        "validation.summary",
        errors=counts.get("error", 0),
        warnings=counts.get("warning", 0),
        infos=counts.get("info", 0),
    )
    if not report.findings:
        subtitle = cat.text("validation.ok")
    return SimpleView(
        cat.text("validation.title", label=report.journal_id, year=cat.date(report.as_of)),
        subtitle,
        tuple(rows),
        (0.07, 0.1, 0.23, 0.6),
    )


def _diary(week: object, cat: Catalog) -> SimpleView:
    from ejournal.core.diary import DiaryWeek

    assert isinstance(week, DiaryWeek)
    rows = [
        TableRow(
            RowRole.HEADER,
            [
                cat.text("diary.date"),
                cat.text("diary.subject"),
                cat.text("diary.topic"),
                cat.text("diary.homework"),
                cat.text("diary.marks"),
                cat.text("diary.attendance"),
            ],
        )
    ]
    for day in week.days:
        for lesson in day.lessons:
            rows.append(
                TableRow(
                    RowRole.BODY,
                    [
                        cat.date(day.date),
                        lesson.subject,
                        lesson.topic,
                        lesson.homework,
                        " ".join(m.text for m in lesson.marks),
                        lesson.attendance or "",
                    ],
                    stub=1,
                )
            )
    end = week.days[-1].date if week.days else week.monday
    return SimpleView(
        cat.text("diary.title", name=week.student_id),
        cat.text("diary.week", start=cat.date(week.monday), end=cat.date(end)),
        tuple(rows),
        (0.1, 0.18, 0.3, 0.26, 0.1, 0.06),
    )

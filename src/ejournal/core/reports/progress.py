"""The class teacher's report on progress for a period or the year («отчёт классного руководителя»).

:func:`build_progress_report` gives a :class:`ProgressReport` for one period of the class
(:func:`~ejournal.core.stats.class_periods`) or the year (``period_id="year"``): the students at the
start and at the end of the period (from :attr:`~ejournal.core.model.Student.enrolled` and
:attr:`~ejournal.core.model.Student.left`: a student counts on a day they are enrolled), who came
and who left, the students by category with their names (:class:`~ejournal.core.stats.StudentCategories`,
the per-student class figures of the summary sheet), the success and quality rates by subject, and
the same figures for the previous period with the difference.  For the year the previous period is
last year's: pass that journal as ``previous_year`` (else there is no comparison).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from attrs import frozen

from ejournal.core.choices import unknown
from ejournal.core.collation import Collator
from ejournal.core.errors import InvalidInput
from ejournal.core.journal import YEAR, ClassJournal, ResultKind
from ejournal.core.reports._common import ReportHeader, fraction_text, header_of, in_name_order
from ejournal.core.scales import MarkValue
from ejournal.core.stats import (
    StatsSettings,
    StudentCategories,
    categorize_students,
    class_cells,
    class_periods,
    stats_from_values,
    year_members,
)

DEFAULT_SETTINGS = StatsSettings()
"""The statistics settings used when none are given (the federal defaults)."""

__all__ = ["PeriodFigures", "ProgressReport", "SubjectFigures", "build_progress_report", "difference"]


@frozen
class SubjectFigures:
    """One subject's figures for the period: N and the exact success and quality rates (``None``
    where undefined: N = 0, or quality off the five-point scale)."""

    subject_id: str
    subject_name: str
    n: int
    success_rate: Fraction | None
    quality_rate: Fraction | None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "subject_id": self.subject_id,
            "subject": self.subject_name,
            "n": self.n,
            "success_rate": fraction_text(self.success_rate),
            "quality_rate": fraction_text(self.quality_rate),
        }


@frozen
class PeriodFigures:
    """The figures of one period (or the year, ``period_id == "year"``) of one journal.

    ``start``/``end`` are the period's first and last day; ``at_start``/``at_end`` the students
    enrolled on those days, ``arrived`` those enrolled after the start and by the end, ``departed``
    those who left from the start to the day before the end (ids in alphabetical order);
    ``categories`` the students by category; ``subjects`` the figures by subject in curriculum order.
    """

    period_id: str
    label: str
    year_label: str
    start: date
    end: date
    at_start: tuple[str, ...]
    at_end: tuple[str, ...]
    arrived: tuple[str, ...]
    departed: tuple[str, ...]
    categories: StudentCategories
    subjects: tuple[SubjectFigures, ...]

    def subject(self, subject_id: str) -> SubjectFigures | None:
        """The figures of ``subject_id``, ``None`` when the period has none for it."""
        return next((s for s in self.subjects if s.subject_id == subject_id), None)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "period_id": self.period_id,
            "label": self.label,
            "year": self.year_label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "at_start": list(self.at_start),
            "at_end": list(self.at_end),
            "arrived": list(self.arrived),
            "departed": list(self.departed),
            "categories": self.categories.to_dict(),
            "subjects": [s.to_dict() for s in self.subjects],
        }


def difference(now: Fraction | None, before: Fraction | None) -> Fraction | None:
    """``now - before`` exactly, ``None`` when either is undefined."""
    return None if now is None or before is None else now - before


@frozen
class ProgressReport:
    """The class teacher's report (pure data): the header, the names of every student mentioned
    (``names``: id → full name), the period's figures and the previous period's (``None`` when
    there is none to compare with)."""

    header: ReportHeader
    names: tuple[tuple[str, str], ...]
    current: PeriodFigures
    previous: PeriodFigures | None

    def name(self, student_id: str) -> str:
        """The full name of a student mentioned in the report."""
        return dict(self.names)[student_id]

    @property
    def texts(self) -> list[str]:
        """Every data string printed (for the font check)."""
        return self.header.texts + [n for _, n in self.names] + [s.subject_name for s in self.current.subjects]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: the header, names, both periods' figures and the differences of the rates."""
        cur, prev = self.current, self.previous
        diffs: dict[str, object] = {}
        if prev is not None:
            diffs = {
                "success_rate": fraction_text(difference(cur.categories.success_rate, prev.categories.success_rate)),
                "quality_rate": fraction_text(difference(cur.categories.quality_rate, prev.categories.quality_rate)),
                "subjects": {
                    s.subject_id: {
                        "success_rate": fraction_text(difference(s.success_rate, p.success_rate if p else None)),
                        "quality_rate": fraction_text(difference(s.quality_rate, p.quality_rate if p else None)),
                    }
                    for s in cur.subjects
                    for p in [prev.subject(s.subject_id)]
                },
            }
        return {
            "document": "progress",
            "header": self.header.to_dict(),
            "names": dict(self.names),
            "current": cur.to_dict(),
            "previous": None if prev is None else prev.to_dict(),
            "difference": diffs,
        }


def _period_bounds(journal: ClassJournal, period_id: str) -> tuple[str, date, date]:
    periods = class_periods(journal)
    if not periods:
        raise InvalidInput(f"class {journal.class_group.label}", "has no courses, so no periods", journal.id)
    if period_id == YEAR:
        return "", periods[0].start, periods[-1].end
    for p in periods:
        if p.id == period_id:
            return p.name or p.roman, p.start, p.end
    raise unknown("period", period_id, [*(p.id for p in periods), YEAR], f"class {journal.class_group.label}")


def period_figures(
    journal: ClassJournal, period_id: str, *, collator: Collator, settings: StatsSettings = DEFAULT_SETTINGS
) -> PeriodFigures:
    """The :class:`PeriodFigures` of ``period_id`` (a class period id, or ``"year"``) of ``journal``.

    Raises :class:`~ejournal.core.errors.NotFound` listing the periods for an unknown one.
    """
    label, start, end = _period_bounds(journal, period_id)
    members = in_name_order(year_members(journal), collator)
    at_start = tuple(s.id for s in members if s.enrolled_on(start))
    at_end = tuple(s.id for s in members if s.enrolled_on(end))
    arrived = tuple(s.id for s in members if start < s.enrolled <= end)
    departed = tuple(s.id for s in members if s.left is not None and start <= s.left < end)
    kind = ResultKind.ANNUAL if period_id == YEAR else ResultKind.PERIOD
    own = "" if period_id == YEAR else period_id
    categories = categorize_students(journal, kind, own, settings, order=[s.id for s in members])
    subjects: list[SubjectFigures] = []
    for course_id, course_period in class_cells(journal, kind, own):
        subject = journal.subject_of(course_id)
        values: list[MarkValue | None] = []
        for s in members:
            r = journal.result(s.id, course_id, kind, course_period)
            values.append(None if r is None else r.value)
        stats = stats_from_values(
            values, settings, scale=journal.scale_of(course_id), where=f"course {course_id} {period_id}"
        )
        subjects.append(SubjectFigures(subject.id, subject.name, stats.n, stats.success_rate, stats.quality_rate))
    return PeriodFigures(
        period_id,
        label,
        journal.class_group.year.label,
        start,
        end,
        at_start,
        at_end,
        arrived,
        departed,
        categories,
        tuple(subjects),
    )


def _previous_period(journal: ClassJournal, period_id: str) -> str | None:
    ids = [p.id for p in class_periods(journal)]
    i = ids.index(period_id)
    return ids[i - 1] if i > 0 else None


def build_progress_report(
    journal: ClassJournal,
    period_id: str = YEAR,
    *,
    collator: Collator,
    settings: StatsSettings = DEFAULT_SETTINGS,
    previous_year: ClassJournal | None = None,
) -> ProgressReport:
    """The :class:`ProgressReport` of ``journal`` for ``period_id`` (``"year"`` by default) (pure).

    The previous period is the class period before ``period_id`` (none before the first one);
    for the year it is the year of ``previous_year``, when given.  Results are taken as set in the
    journal, never recomputed; figures per student (``settings`` says whether "н/а" is in N).

    Raises :class:`~ejournal.core.errors.NotFound` listing the periods for an unknown period, and
    :class:`InvalidInput` for a ``previous_year`` given with a period or of another school.
    """
    current = period_figures(journal, period_id, collator=collator, settings=settings)
    previous: PeriodFigures | None = None
    if previous_year is not None:
        if period_id != YEAR:
            raise InvalidInput("previous_year", "compares the year only (a period compares with the one before)")
        if previous_year.school.id != journal.school.id:
            raise InvalidInput("previous_year", f"is a journal of school {previous_year.school.id}", previous_year.id)
        previous = period_figures(previous_year, YEAR, collator=collator, settings=settings)
    elif period_id != YEAR:
        before = _previous_period(journal, period_id)
        if before is not None:
            previous = period_figures(journal, before, collator=collator, settings=settings)
    names: dict[str, str] = {s.id: s.name.full for s in year_members(journal)}
    if previous_year is not None:
        for s in year_members(previous_year):
            names.setdefault(s.id, s.name.full)
    return ProgressReport(header_of(journal), tuple(sorted(names.items())), current, previous)


def students_named(report: ProgressReport, ids: Sequence[str]) -> list[str]:
    """The full names of ``ids`` in the report, in the given order."""
    names = dict(report.names)
    return [names[i] for i in ids]

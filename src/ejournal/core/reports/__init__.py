"""The other end-of-year documents, as pure data (rendered by :mod:`ejournal.render.reports`).

=================  ============================================  =====================================
kind               document                                      builder
=================  ============================================  =====================================
``final-marks``    final marks for the certificate insert        :func:`build_final_marks`
``progress``       the class teacher's report for a period/year  :func:`build_progress_report`
``honours``        medal candidates                              :func:`build_honours`
``extract``        extract of a leaving student's current marks  :func:`build_extract`
``personal-file``  the annual marks page of a personal file      :func:`build_personal_file`
``debts``          the academic debts and their retakes          :func:`build_debt_list`
=================  ============================================  =====================================

:func:`build_report` picks the builder by kind; see ``docs/reports.md``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Union

from ejournal.core.choices import unknown
from ejournal.core.collation import Collator
from ejournal.core.errors import InvalidInput
from ejournal.core.grading import GradingPolicy
from ejournal.core.journal import YEAR, ClassJournal
from ejournal.core.reports._common import ReportHeader, header_of
from ejournal.core.reports.debts import DebtList, DebtListRow, RetakeCell, build_debt_list
from ejournal.core.reports.extract import ExtractCourse, ExtractMark, ExtractPeriod, MarksExtract, build_extract
from ejournal.core.reports.final_marks import (
    EarlierResults,
    FinalMarkCell,
    FinalMarkProblem,
    FinalMarksList,
    FinalMarksRow,
    build_final_marks,
    certified_students,
    earlier_results_of,
)
from ejournal.core.reports.honours import (
    ExamMinimum,
    ExamResult,
    HonoursCandidate,
    HonoursList,
    Medal,
    MedalRules,
    build_honours,
    medal_for,
)
from ejournal.core.reports.personal_file import (
    PersonalFileColumn,
    PersonalFilePage,
    PersonalFileRow,
    build_personal_file,
)
from ejournal.core.reports.progress import (
    DEFAULT_SETTINGS,
    PeriodFigures,
    ProgressReport,
    SubjectFigures,
    build_progress_report,
    difference,
)
from ejournal.core.stats import StatsSettings

__all__ = [
    "REPORT_TYPES",
    "DebtList",
    "DebtListRow",
    "EarlierResults",
    "ExamMinimum",
    "ExamResult",
    "ExtractCourse",
    "ExtractMark",
    "ExtractPeriod",
    "FinalMarkCell",
    "FinalMarkProblem",
    "FinalMarksList",
    "FinalMarksRow",
    "HonoursCandidate",
    "HonoursList",
    "MarksExtract",
    "Medal",
    "MedalRules",
    "PeriodFigures",
    "PersonalFileColumn",
    "PersonalFilePage",
    "PersonalFileRow",
    "ProgressReport",
    "Report",
    "ReportHeader",
    "ReportKind",
    "RetakeCell",
    "SubjectFigures",
    "build_debt_list",
    "build_extract",
    "build_final_marks",
    "build_honours",
    "build_personal_file",
    "build_progress_report",
    "build_report",
    "certified_students",
    "difference",
    "earlier_results_of",
    "header_of",
    "medal_for",
]


class ReportKind(enum.Enum):
    """The documents :func:`build_report` builds, by their CLI name."""

    FINAL_MARKS = "final-marks"
    PROGRESS = "progress"
    HONOURS = "honours"
    EXTRACT = "extract"
    PERSONAL_FILE = "personal-file"
    DEBTS = "debts"


Report = Union[FinalMarksList, ProgressReport, HonoursList, MarksExtract, PersonalFilePage, DebtList]  # noqa: UP007
"""Any document of this package."""

REPORT_TYPES: tuple[type, ...] = (
    FinalMarksList,
    ProgressReport,
    HonoursList,
    MarksExtract,
    PersonalFilePage,
    DebtList,
)
"""The classes of :data:`Report`, for ``isinstance`` checks (renderers dispatch on them)."""


def build_report(
    kind: ReportKind | str,
    journal: ClassJournal,
    *,
    collator: Collator,
    student_id: str | None = None,
    period_id: str | None = None,
    earlier: ClassJournal | EarlierResults | None = None,
    journals: Sequence[ClassJournal] = (),
    policy: GradingPolicy | None = None,
    medal_rules: MedalRules | None = None,
    exam_results: Mapping[str, Mapping[str, object]] | None = None,
    issued_on: date | None = None,
    settings: StatsSettings = DEFAULT_SETTINGS,
) -> Report:
    """Build the document ``kind`` ("final-marks", "progress", "honours", "extract", "personal-file") of
    ``journal`` (pure).

    - ``final-marks``: ``earlier`` is the grade-10 journal or results (grade 11); ``student_id``
      restricts the list to one student;
    - ``progress``: ``period_id`` (default ``"year"``); ``earlier`` a journal is last year's, compared
      with the year;
    - ``honours``: ``medal_rules`` and ``exam_results`` (see :func:`build_honours`);
    - ``extract``: ``student_id`` (required) and ``issued_on``;
    - ``personal-file``: ``student_id`` (required); ``journals`` the student's other years
      (``journal`` is always included);
    - ``debts``: ``issued_on`` is the day the list is as of (default: the end of the year).

    Raises :class:`InvalidInput` for an unknown kind or a missing ``student_id``, and whatever the
    builder raises.
    """
    if isinstance(kind, str):
        try:
            kind = ReportKind(kind)
        except ValueError:
            raise unknown("report", kind, [k.value for k in ReportKind]) from None
    if not isinstance(kind, ReportKind):
        raise InvalidInput("kind", "must be a ReportKind or its name", kind)
    if kind in (ReportKind.EXTRACT, ReportKind.PERSONAL_FILE) and not student_id:
        raise InvalidInput("student_id", f"the {kind.value} document is about one student: name them", student_id)
    if kind is ReportKind.FINAL_MARKS:
        return build_final_marks(
            journal,
            collator=collator,
            grade10=earlier,
            policy=policy,
            student_ids=None if student_id is None else [student_id],
        )
    if kind is ReportKind.PROGRESS:
        if earlier is not None and not isinstance(earlier, ClassJournal):
            raise InvalidInput(
                "earlier", "the progress report compares with last year's journal", type(earlier).__name__
            )
        return build_progress_report(
            journal, period_id or YEAR, collator=collator, settings=settings, previous_year=earlier
        )
    if kind is ReportKind.HONOURS:
        return build_honours(
            journal,
            collator=collator,
            rules=medal_rules or MedalRules(),
            exam_results=exam_results,  # type: ignore[arg-type]
        )
    if kind is ReportKind.DEBTS:
        return build_debt_list(journal, collator=collator, as_of=issued_on or journal.class_group.year.end)
    assert student_id is not None
    if kind is ReportKind.EXTRACT:
        return build_extract(journal, student_id, issued_on=issued_on)
    others = [j for j in journals if j.id != journal.id]
    return build_personal_file([*others, journal], student_id)

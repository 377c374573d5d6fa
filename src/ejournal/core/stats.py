"""Statistics of results: success and quality rates, average mark, degree of learning (СОУ).

The formulas (DOMAIN.md), for a group of N (N leaves out exempt students, "осв.", and those with
no mark; "н/а" stays in N)::

    success rate  = (n5 + n4 + n3) / N
    quality rate  = (n5 + n4) / N
    average mark  = mean of the numeric marks only ("н/а", "осв." never averaged)
    СОУ           = (100·n5 + 64·n4 + 36·n3 + 16·n2 + 7·n_на) / N   (in percent)

Everything is computed exactly with :class:`~fractions.Fraction`; displayed figures are rounded
**once**, half-up, to the number of digits in :class:`StatsSettings`.

Other scales: counts are kept per value of the course's scale; the success rate uses the
scale's ``pass_from`` (a pass/fail scale counts "зач."); the average is the mean of numeric
marks on any numeric scale; the quality rate and СОУ are defined for the five-point scale only
and are ``None`` elsewhere.  Class-wide figures pool the five-point courses only; the others
are reported per subject.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from attrs import Attribute, field, frozen

from ejournal.core.calendar import Period, PeriodScheme
from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.journal import ClassJournal, ResultKind
from ejournal.core.model import AssessmentKind, Student
from ejournal.core.scales import FIVE_POINT, MarkValue, Scale, Status

__all__ = [
    "SOU_WEIGHTS",
    "Counting",
    "Denominator",
    "GradeCounts",
    "GroupStats",
    "SouVariant",
    "StatsSettings",
    "StudentCategories",
    "categories_from_values",
    "categorize_students",
    "categorize_values",
    "class_cells",
    "class_periods",
    "class_stats",
    "column_values",
    "format_decimal",
    "is_five_point",
    "is_test_score",
    "pooled_course_ids",
    "round_half_up",
    "stats_from_values",
    "subject_stats",
    "year_members",
]

SOU_WEIGHTS: dict[int, int] = {5: 100, 4: 64, 3: 36, 2: 16}
"""Simonov's weights of the five-point grades in the degree of learning (percent)."""

_LOW_WEIGHT = 7
_FIVE_VALUES = (1, 2, 3, 4, 5)


class Counting(enum.Enum):
    """What one unit of the statistics is.

    ``PER_STUDENT`` (default): each student's result in the cell (period, annual, exam or final
    mark) counts once.  ``PER_MARK``: every current (lesson) mark of the period, or of the year for
    the annual column, counts once; exam and final columns have no lesson marks and always count
    results.
    """

    PER_STUDENT = "per_student"
    PER_MARK = "per_mark"


class Denominator(enum.Enum):
    """Who is in N besides the graded.

    ``WITH_NOT_CERTIFIED`` (default, DOMAIN.md): "н/а" stays in N.  ``CERTIFIED_ONLY``: "н/а" is
    left out of N (and so out of СОУ).  Exempt students and empty cells are never in N.
    """

    WITH_NOT_CERTIFIED = "with_not_certified"
    CERTIFIED_ONLY = "certified_only"


class SouVariant(enum.Enum):
    """Which result carries the weight 7 in СОУ.

    ``WEIGHT_7_ON_NOT_CERTIFIED`` (default): "н/а" weighs 7 and the mark 1 weighs 0.
    ``WEIGHT_7_ON_MARK_ONE``: the mark 1 weighs 7 and "н/а" weighs 0 (still in N).
    """

    WEIGHT_7_ON_NOT_CERTIFIED = "weight_7_on_not_certified"
    WEIGHT_7_ON_MARK_ONE = "weight_7_on_mark_one"


_Validator = Callable[[Any, "Attribute[Any]", Any], None]


def _digits(where: str) -> _Validator:
    def check(_instance: object, _attribute: Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
            raise InvalidInput(where, "must be a whole number from 0 to 6", value)

    return check


def _enum_of(kind: type[enum.Enum], where: str) -> _Validator:
    def check(_instance: object, _attribute: Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise InvalidInput(where, f"must be a {kind.__name__}", value)

    return check


def _separator(_instance: object, _attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value or any(c.isdigit() for c in value):
        raise InvalidInput("stats_settings.decimal_separator", "must be a non-empty string without digits", value)


@frozen
class StatsSettings:
    """How a school computes and prints its statistics (all **[school]** choices).

    - ``denominator``: whether "н/а" stays in N (:class:`Denominator`);
    - ``sou_variant``: which result weighs 7 in СОУ (:class:`SouVariant`);
    - ``counting``: per student or per mark (:class:`Counting`);
    - ``percent_digits`` / ``average_digits``: decimal places of displayed percentages and of
      the displayed average (0..6), rounded once, half-up;
    - ``decimal_separator``: "," (Russian documents, default) or ".".

    Raises :class:`InvalidInput` naming the field for a wrong value.
    """

    denominator: Denominator = field(
        default=Denominator.WITH_NOT_CERTIFIED, validator=_enum_of(Denominator, "stats_settings.denominator")
    )
    sou_variant: SouVariant = field(
        default=SouVariant.WEIGHT_7_ON_NOT_CERTIFIED, validator=_enum_of(SouVariant, "stats_settings.sou_variant")
    )
    counting: Counting = field(default=Counting.PER_STUDENT, validator=_enum_of(Counting, "stats_settings.counting"))
    percent_digits: int = field(default=1, validator=_digits("stats_settings.percent_digits"))
    average_digits: int = field(default=2, validator=_digits("stats_settings.average_digits"))
    decimal_separator: str = field(default=",", validator=_separator)


def round_half_up(value: Fraction | int, digits: int) -> Fraction:
    """``value`` rounded once to ``digits`` decimal places, halves away from zero (2.25 → 2.3).

    Exact: no float, no built-in ``round()``, no half-even.  Raises :class:`InvalidInput` for a
    negative ``digits``.
    """
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
        raise InvalidInput("digits", "must be a whole number ≥ 0", digits)
    scale = 10**digits
    magnitude = math.floor(abs(Fraction(value)) * scale + Fraction(1, 2))
    return Fraction(magnitude if value >= 0 else -magnitude, scale)


def format_decimal(value: Fraction | int, digits: int, decimal_separator: str = ".") -> str:
    """``value`` rounded once half-up to ``digits`` places, printed with exactly that many.

    ``format_decimal(Fraction(523, 10), 1, ",") == "52,3"``; ``format_decimal(Fraction(1, 8), 2)
    == "0.13"``.  The separator is the sheet's setting (:attr:`StatsSettings.decimal_separator`,
    recorded in its snapshot); texts in a locale use :func:`ejournal.i18n.format_number`, which
    rounds the same way.  Raises :class:`InvalidInput` for a negative ``digits``.
    """
    from ejournal.i18n.numbers import exact_decimal

    text = format(exact_decimal(round_half_up(value, digits), digits), "f")
    return text.replace(".", decimal_separator) if digits else text


def is_five_point(scale: Scale) -> bool:
    """True when the DOMAIN formulas (quality rate, СОУ) apply: the grades are exactly 1..5."""
    return scale.values == _FIVE_VALUES


def _count(where: str) -> _Validator:
    def check(_instance: object, _attribute: Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(where, "must be a whole number ≥ 0", value)

    return check


def _grade_pairs(value: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    return tuple((int(g), int(c)) for g, c in value)


@frozen
class GradeCounts:
    """How many of each result a group has.

    ``grades`` pairs every grade of the scale with its count, highest grade first (for the
    five-point scale: 5, 4, 3, 2, 1); ``not_certified`` counts "н/а", ``exempt`` "осв.",
    ``passed``/``failed`` "зач."/"незач.", ``missing`` the empty cells.  Raises
    :class:`InvalidInput` for a negative count or a repeated grade.
    """

    grades: tuple[tuple[int, int], ...] = field(converter=_grade_pairs)
    not_certified: int = field(default=0, validator=_count("grade_counts.not_certified"))
    exempt: int = field(default=0, validator=_count("grade_counts.exempt"))
    passed: int = field(default=0, validator=_count("grade_counts.passed"))
    failed: int = field(default=0, validator=_count("grade_counts.failed"))
    missing: int = field(default=0, validator=_count("grade_counts.missing"))

    def __attrs_post_init__(self) -> None:
        seen = [g for g, _ in self.grades]
        if len(set(seen)) != len(seen):
            raise InvalidInput("grade_counts.grades", "a grade is listed twice", seen)
        for g, c in self.grades:
            if c < 0:
                raise InvalidInput(f"grade_counts.grades[{g}]", "must be a whole number ≥ 0", c)

    def of(self, grade: int) -> int:
        """The count of ``grade`` (0 for a grade the scale does not have)."""
        for g, c in self.grades:
            if g == grade:
                return c
        return 0

    @property
    def numeric(self) -> int:
        """How many numeric grades there are (all grades, no status codes)."""
        return sum(c for _, c in self.grades)

    @property
    def numeric_sum(self) -> int:
        """The sum of the numeric grades (for the average)."""
        return sum(g * c for g, c in self.grades)


@frozen
class GroupStats:
    """The statistics of one group of results (a subject's or the class's column).

    Built by :func:`stats_from_values` (or the journal functions); every figure is derived
    from ``counts`` on ``scale`` by ``settings``, exactly (``Fraction``), and is ``None`` where it
    is undefined: rates when N is 0, the average when there is no numeric mark, quality and СОУ
    off the five-point scale, the success rate on a numeric scale without ``pass_from``.
    The ``*_text()`` helpers round once, half-up, to the settings' digits and return ``""`` for
    an undefined figure.
    """

    scale: Scale
    counts: GradeCounts
    settings: StatsSettings
    scores_only: bool = False
    """True for a test-score column (an exam on a scale that is not the five-point school scale,
    e.g. the ЕГЭ's 0–100): only N and the mean score are figures; success, quality and СОУ are
    ``None`` and renderers print no grade counts."""

    @property
    def scale_id(self) -> str:
        """The id of the scale the results are on."""
        return self.scale.id

    @property
    def five_point(self) -> bool:
        """True when the DOMAIN formulas (quality, СОУ) apply."""
        return is_five_point(self.scale)

    @property
    def n(self) -> int:
        """N: graded results, "зач."/"незач." and (by default) "н/а"; never "осв." or empty cells."""
        c = self.counts
        na = c.not_certified if self.settings.denominator is Denominator.WITH_NOT_CERTIFIED else 0
        return c.numeric + c.passed + c.failed + na

    @property
    def n_na(self) -> int:
        """How many "н/а"."""
        return self.counts.not_certified

    @property
    def n_exempt(self) -> int:
        """How many "осв." (not in N)."""
        return self.counts.exempt

    @property
    def n_missing(self) -> int:
        """How many empty cells (not in N)."""
        return self.counts.missing

    @property
    def success_rate(self) -> Fraction | None:
        """(results at or above the scale's pass mark, plus "зач.") / N; five-point: (n5+n4+n3)/N."""
        n = self.n
        if n == 0 or self.scores_only or (self.scale.is_numeric and self.scale.pass_from is None):
            return None
        pass_from = self.scale.pass_from
        passing = self.counts.passed
        if pass_from is not None:
            passing += sum(c for g, c in self.counts.grades if g >= pass_from)
        return Fraction(passing, n)

    @property
    def quality_rate(self) -> Fraction | None:
        """(n5 + n4) / N on the five-point scale; ``None`` elsewhere or when N is 0."""
        n = self.n
        if n == 0 or not self.five_point:
            return None
        return Fraction(self.counts.of(5) + self.counts.of(4), n)

    @property
    def average_mark(self) -> Fraction | None:
        """The mean of the numeric results only; ``None`` when there are none."""
        if self.counts.numeric == 0:
            return None
        return Fraction(self.counts.numeric_sum, self.counts.numeric)

    @property
    def sou(self) -> Fraction | None:
        """СОУ in percent (0..100) on the five-point scale; ``None`` elsewhere or when N is 0."""
        n = self.n
        if n == 0 or not self.five_point:
            return None
        c = self.counts
        total = sum(w * c.of(g) for g, w in SOU_WEIGHTS.items())
        if self.settings.sou_variant is SouVariant.WEIGHT_7_ON_MARK_ONE:
            total += _LOW_WEIGHT * c.of(1)
        elif self.settings.denominator is Denominator.WITH_NOT_CERTIFIED:
            total += _LOW_WEIGHT * c.not_certified
        return Fraction(total, n)

    @property
    def success_percent(self) -> Fraction | None:
        """The success rate in percent."""
        rate = self.success_rate
        return None if rate is None else rate * 100

    @property
    def quality_percent(self) -> Fraction | None:
        """The quality rate in percent."""
        rate = self.quality_rate
        return None if rate is None else rate * 100

    def _text(self, value: Fraction | None, digits: int) -> str:
        if value is None:
            return ""
        return format_decimal(value, digits, self.settings.decimal_separator)

    def success_text(self) -> str:
        """The success rate in percent, rounded once half-up (``"80,0"``); ``""`` when undefined."""
        return self._text(self.success_percent, self.settings.percent_digits)

    def quality_text(self) -> str:
        """The quality rate in percent, rounded once half-up; ``""`` when undefined."""
        return self._text(self.quality_percent, self.settings.percent_digits)

    def sou_text(self) -> str:
        """СОУ in percent, rounded once half-up (``"52,3"``); ``""`` when undefined."""
        return self._text(self.sou, self.settings.percent_digits)

    def average_text(self) -> str:
        """The average mark rounded once half-up to ``average_digits`` (``"3,67"``); ``""`` when undefined."""
        return self._text(self.average_mark, self.settings.average_digits)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: counts, N, exact figures as ``"n/d"`` strings (or ``None``) and their display texts."""
        c = self.counts
        return {
            "scale_id": self.scale.id,
            "scores_only": self.scores_only,
            "grades": {str(g): k for g, k in c.grades},
            "not_certified": c.not_certified,
            "exempt": c.exempt,
            "passed": c.passed,
            "failed": c.failed,
            "missing": c.missing,
            "n": self.n,
            "success_rate": _fraction_text(self.success_rate),
            "quality_rate": _fraction_text(self.quality_rate),
            "average_mark": _fraction_text(self.average_mark),
            "sou": _fraction_text(self.sou),
            "display": {
                "success_percent": self.success_text(),
                "quality_percent": self.quality_text(),
                "average_mark": self.average_text(),
                "sou_percent": self.sou_text(),
            },
        }


def _fraction_text(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def stats_from_values(
    values: Iterable[MarkValue | None],
    settings: StatsSettings = StatsSettings(),
    *,
    scale: Scale = FIVE_POINT,
    where: str = "values",
    scores_only: bool = False,
) -> GroupStats:
    """The statistics of a group of results (pure; the order of ``values`` does not matter).

    Each value is a grade of ``scale``, a :class:`~ejournal.core.scales.Status` the scale allows
    as a result, or ``None`` for an empty cell.  Raises :class:`InvalidInput` naming
    ``where[i]`` for a value off the scale.
    """
    grades = dict.fromkeys(reversed(scale.values), 0)
    statuses = dict.fromkeys(Status, 0)
    missing = 0
    for i, value in enumerate(values):
        if value is None:
            missing += 1
        elif isinstance(value, Status):
            if not scale.allows(value, result=True):
                raise InvalidInput(f"{where}[{i}]", f"status not allowed on scale {scale.id!r}", value.code)
            statuses[value] += 1
        elif isinstance(value, int) and not isinstance(value, bool) and value in grades:
            grades[value] += 1
        else:
            raise InvalidInput(f"{where}[{i}]", f"not a grade of scale {scale.id!r}", value)
    counts = GradeCounts(
        tuple(grades.items()),
        not_certified=statuses[Status.NOT_CERTIFIED],
        exempt=statuses[Status.EXEMPT],
        passed=statuses[Status.PASS],
        failed=statuses[Status.FAIL],
        missing=missing,
    )
    return GroupStats(scale, counts, settings, scores_only)


def is_test_score(journal: ClassJournal, course_id: str, kind: ResultKind) -> bool:
    """True for an exam column whose scale is numeric but not the five-point school scale (a
    test score such as the ЕГЭ's 0–100): it never enters the five-point statistics."""
    if kind is not ResultKind.EXAM:
        return False
    scale = journal.exam_scale_of(course_id)
    return scale.is_numeric and not is_five_point(scale)


# ---------------------------------------------------------------------------- over a journal


def year_members(journal: ClassJournal) -> list[Student]:
    """The students who belong to the class at some day of its academic year, ordered by id.

    A student enrolled after the year's end or gone before its start is not a member (not on
    the sheet, not in any statistics).
    """
    year = journal.class_group.year
    return [s for s in journal.students_in_order() if s.enrolled_between(year.start, year.end)]


def _check_period_id(kind: ResultKind, period_id: str) -> None:
    """A period column names its period; no other column names one."""
    if kind is ResultKind.PERIOD:
        if not period_id:
            raise InvalidInput("stats.period_id", "a period column needs a period id", period_id)
    elif period_id:
        raise InvalidInput("stats.period_id", f"only period columns name a period (kind {kind.value})", period_id)


def _check_cell(journal: ClassJournal, course_id: str, kind: ResultKind, period_id: str) -> None:
    course = journal.course(course_id)
    if not isinstance(kind, ResultKind):
        raise InvalidInput("stats.kind", "must be a ResultKind", kind)
    _check_period_id(kind, period_id)
    if kind is ResultKind.PERIOD:
        journal.period(course_id, period_id)
    if kind is ResultKind.EXAM and not course.examined:
        raise InvalidInput(f"course {course_id}.examined", "the course has no exam", False)


def _scale_for(journal: ClassJournal, course_id: str, kind: ResultKind) -> Scale:
    return journal.exam_scale_of(course_id) if kind is ResultKind.EXAM else journal.scale_of(course_id)


def column_values(
    journal: ClassJournal,
    course_id: str,
    kind: ResultKind = ResultKind.ANNUAL,
    period_id: str = "",
    settings: StatsSettings = StatsSettings(),
) -> list[MarkValue | None]:
    """The values one column of a course contributes to the statistics.

    Per student: every year member's result in the cell (``None`` when empty), by student id.
    Per mark (period and annual columns): the current marks of the period, or of the whole
    year, of every member whose result in that cell is not "осв."; exam and final columns count
    results.  Raises :class:`NotFound` (course, period) or :class:`InvalidInput` (a period id
    missing or where none belongs, an exam column of a course without an exam).
    """
    _check_cell(journal, course_id, kind, period_id)
    members = year_members(journal)
    per_mark = settings.counting is Counting.PER_MARK and kind in (ResultKind.PERIOD, ResultKind.ANNUAL)
    out: list[MarkValue | None] = []
    period = journal.period(course_id, period_id) if kind is ResultKind.PERIOD else None
    for s in members:
        result = journal.result(s.id, course_id, kind, period_id)
        value = None if result is None else result.value
        if not per_mark:
            out.append(value)
        elif value is not Status.EXEMPT:
            out.extend(m.value for m in journal.marks_of(s.id, course_id, period))
    return out


def subject_stats(
    journal: ClassJournal,
    course_id: str,
    kind: ResultKind = ResultKind.ANNUAL,
    period_id: str = "",
    settings: StatsSettings = StatsSettings(),
) -> GroupStats:
    """The statistics of one column of one course: a period (``kind=PERIOD`` and its id), the
    annual, exam or final marks.

    Results are taken as the teachers set them (``journal.results``), never recomputed; see
    :func:`column_values` for who counts.  Raises :class:`NotFound` or :class:`InvalidInput`
    (as :func:`column_values`), and :class:`InvalidInput` for a value off the course's scale.
    """
    values = column_values(journal, course_id, kind, period_id, settings)
    where = f"course {course_id} {kind.value}" + (f" {period_id}" if period_id else "")
    scale = _scale_for(journal, course_id, kind)
    scores = is_test_score(journal, course_id, kind)
    return stats_from_values(values, settings, scale=scale, where=where, scores_only=scores)


def class_periods(journal: ClassJournal) -> tuple[Period, ...]:
    """The periods the class's statistics are given for: those of the finest scheme its courses
    use (the most periods; on a tie, the scheme of the first course in curriculum order).

    Empty when the class has no course.
    """
    best: PeriodScheme | None = None
    for c in journal.courses_in_order():
        scheme = journal.scheme_of(c.id)
        if best is None or len(scheme.periods) > len(best.periods):
            best = scheme
    return () if best is None else best.periods


def class_cells(
    journal: ClassJournal, kind: ResultKind = ResultKind.ANNUAL, period_id: str = ""
) -> list[tuple[str, str]]:
    """The cells, as ``(course id, the course's own period id or "")``, that make one column of
    the class, in curriculum order.

    - a period of :func:`class_periods`: every course period that **ends** within it (a
      half-year mark of a course certified by half-years belongs to the quarter in which the
      half-year ends: I half-year → quarter 2, II half-year → quarter 4);
    - the year and the final column: every course's annual (final) mark;
    - the exam column: every examined course's exam mark.

    Raises :class:`NotFound` for a period that is not one of :func:`class_periods`, and
    :class:`InvalidInput` for a kind/period mismatch.
    """
    _check_period_id(kind, period_id)
    courses = journal.courses_in_order()
    if kind is ResultKind.PERIOD:
        target = next((p for p in class_periods(journal) if p.id == period_id), None)
        if target is None:
            raise NotFound("period", period_id, f"class {journal.class_group.label} (its statistics columns)")
        return [
            (c.id, p.id)
            for c in courses
            for p in journal.scheme_of(c.id).periods
            if target.start <= p.end <= target.end
        ]
    if kind is ResultKind.EXAM:
        return [(c.id, "") for c in courses if c.examined]
    return [(c.id, "") for c in courses]


def pooled_course_ids(journal: ClassJournal, kind: ResultKind = ResultKind.ANNUAL, period_id: str = "") -> list[str]:
    """The courses the pooled (per-result) class figures of a column take: graded, on the
    five-point scale (the exam scale for exams; a test-score exam scale never enters) and having a
    cell in the column (:func:`class_cells`); in curriculum order.

    Raises :class:`NotFound` for a period that is not one of :func:`class_periods`.
    """
    out: list[str] = []
    for cid, _ in class_cells(journal, kind, period_id):
        if cid not in out and _pooled(journal, cid, kind):
            out.append(cid)
    return out


def _pooled(journal: ClassJournal, course_id: str, kind: ResultKind) -> bool:
    """Whether the class-wide figures pool this course's column: graded, on the five-point scale."""
    graded = journal.subject_of(course_id).assessment is AssessmentKind.GRADED
    return graded and is_five_point(_scale_for(journal, course_id, kind))


def class_stats(
    journal: ClassJournal,
    kind: ResultKind = ResultKind.ANNUAL,
    period_id: str = "",
    settings: StatsSettings = StatsSettings(),
    *,
    extra: Iterable[MarkValue | None] = (),
) -> GroupStats:
    """The class's **pooled** figures of one column: every (student, course) result of the
    five-point cells of :func:`class_cells` is one unit (per mark: every current mark), plus
    the five-point results in ``extra`` (the sheet passes the final marks of subjects finished
    in earlier grades).

    This is the per-mark view schools may choose (``Counting.PER_MARK``); the default class
    figures are per student (:func:`categorize_students`).  Courses on other scales, pass/fail
    and unmarked subjects, and test-score exams are left out.  Raises :class:`NotFound` for an
    unknown period, :class:`InvalidInput` for a value off the scale.
    """
    values: list[MarkValue | None] = []
    for cid, own_period in class_cells(journal, kind, period_id):
        if _pooled(journal, cid, kind):
            values.extend(column_values(journal, cid, kind, own_period, settings))
    values.extend(extra)
    where = f"class {journal.class_group.label} {kind.value}" + (f" {period_id}" if period_id else "")
    return stats_from_values(values, settings, scale=FIVE_POINT, where=where)


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


_CATEGORY_FIELDS = ("assessed", "all_fives", "fours_and_fives", "one_four", "one_three", "failing", "not_certified")


@frozen
class StudentCategories:
    """Students by category for one class column (a period, the year, exams, final), as student
    ids in row order: the class figures **per student**.

    Over each student's results in the column's five-point graded and pass/fail cells
    (:func:`class_cells`), leaving out "осв." and empty cells:

    - ``members``: every student on the sheet;
    - ``assessed``: N, the students with at least one such result (the others are
      :attr:`excluded`: exempt or without marks);
    - ``all_fives`` ("отличники"): only 5s (and "зач.");
    - ``fours_and_fives`` ("хорошисты"): only 4s and 5s with at least one 4;
    - ``one_four``: exactly one 4, the rest 5s (these are also ``fours_and_fives``);
    - ``one_three``: exactly one 3, the rest 4s and 5s;
    - ``failing``: at least one grade below the pass mark (2 or 1) or "незач.";
    - ``not_certified``: at least one "н/а".

    A student can be both ``failing`` and ``not_certified``; the first four categories hold
    only students with neither.  Construction checks the invariants (every list without
    repeats and in ``members`` order; every category within ``assessed``, ``assessed`` within
    ``members``; ``one_four`` within ``fours_and_fives``; the successful categories disjoint from
    each other and from ``failing``/``not_certified``), so ``successful + unsuccessful == N`` and
    ``N + excluded == members``.  Raises :class:`InvalidInput` naming the list that breaks one.
    """

    members: tuple[str, ...] = field(converter=_ids, factory=tuple)
    assessed: tuple[str, ...] = field(converter=_ids, factory=tuple)
    all_fives: tuple[str, ...] = field(converter=_ids, factory=tuple)
    fours_and_fives: tuple[str, ...] = field(converter=_ids, factory=tuple)
    one_four: tuple[str, ...] = field(converter=_ids, factory=tuple)
    one_three: tuple[str, ...] = field(converter=_ids, factory=tuple)
    failing: tuple[str, ...] = field(converter=_ids, factory=tuple)
    not_certified: tuple[str, ...] = field(converter=_ids, factory=tuple)

    def __attrs_post_init__(self) -> None:
        position = {sid: i for i, sid in enumerate(self.members)}
        if len(position) != len(self.members):
            raise InvalidInput("categories.members", "a student is listed twice", list(self.members))
        for name in _CATEGORY_FIELDS:
            ids = getattr(self, name)
            within = set(self.members if name == "assessed" else self.assessed)
            outside = [i for i in ids if i not in within]
            if outside:
                parent = "members" if name == "assessed" else "assessed"
                raise InvalidInput(f"categories.{name}", f"names students not in {parent}", outside)
            places = [position[i] for i in ids]
            if places != sorted(set(places)):
                raise InvalidInput(f"categories.{name}", "must list each student once, in row order", list(ids))
        if not set(self.one_four) <= set(self.fours_and_fives):
            raise InvalidInput("categories.one_four", "must be within fours_and_fives", list(self.one_four))
        groups = (self.all_fives, self.fours_and_fives, self.one_three, self.unsuccessful)
        if sum(len(g) for g in groups) != len(set().union(*groups)):
            raise InvalidInput("categories", "all_fives, fours_and_fives, one_three and the unsuccessful overlap", None)

    @property
    def n(self) -> int:
        """N: how many students are counted."""
        return len(self.assessed)

    @property
    def excluded(self) -> tuple[str, ...]:
        """Students on the sheet not in N (exempt in every cell of the column, or without marks)."""
        counted = set(self.assessed)
        return tuple(s for s in self.members if s not in counted)

    @property
    def unsuccessful(self) -> tuple[str, ...]:
        """Students with a failing result or a "н/а" (``failing`` ∪ ``not_certified``), row order."""
        bad = set(self.failing) | set(self.not_certified)
        return tuple(s for s in self.members if s in bad)

    @property
    def successful(self) -> tuple[str, ...]:
        """Students in N with every result at or above the pass mark and no "н/а"."""
        bad = set(self.unsuccessful)
        return tuple(s for s in self.assessed if s not in bad)

    @property
    def quality(self) -> tuple[str, ...]:
        """Students with only 4s and 5s: ``all_fives`` ∪ ``fours_and_fives``, row order."""
        good = set(self.all_fives) | set(self.fours_and_fives)
        return tuple(s for s in self.assessed if s in good)

    @property
    def other_successful(self) -> tuple[str, ...]:
        """Successful students with 3s who are not ``one_three`` (more than one 3)."""
        known = set(self.quality) | set(self.one_three)
        return tuple(s for s in self.successful if s not in known)

    @property
    def success_rate(self) -> Fraction | None:
        """successful / N, exactly; ``None`` when N is 0."""
        return None if self.n == 0 else Fraction(len(self.successful), self.n)

    @property
    def quality_rate(self) -> Fraction | None:
        """quality (отличники + хорошисты) / N, exactly; ``None`` when N is 0."""
        return None if self.n == 0 else Fraction(len(self.quality), self.n)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: each list of student ids, then the derived counts and exact rates."""
        out: dict[str, object] = {"members": list(self.members)}
        out.update({name: list(getattr(self, name)) for name in _CATEGORY_FIELDS})
        out["n"] = self.n
        out["excluded"] = len(self.excluded)
        out["successful"] = len(self.successful)
        out["quality"] = len(self.quality)
        out["success_rate"] = _fraction_text(self.success_rate)
        out["quality_rate"] = _fraction_text(self.quality_rate)
        return out


def categorize_values(values: Sequence[MarkValue | None], pass_from: int = 3) -> frozenset[str]:
    """The category names (as in :class:`StudentCategories`) of one student's results.

    ``values`` are the student's five-point results and pass/fail results ("зач."/"незач.");
    "осв." and ``None`` are ignored.  Returns the empty set for a student with nothing else.
    Raises :class:`InvalidInput` naming ``values[i]`` for an entry that is not a whole grade, a
    :class:`Status` or ``None``, and naming ``pass_from`` when it is not a whole number.
    """
    if isinstance(pass_from, bool) or not isinstance(pass_from, int):
        raise InvalidInput("pass_from", "must be a whole number", pass_from)
    for i, v in enumerate(values):
        if v is not None and not isinstance(v, Status) and (isinstance(v, bool) or not isinstance(v, int)):
            raise InvalidInput(f"values[{i}]", "must be a whole grade, a status or None", v)
    kept = [v for v in values if v is not None and v is not Status.EXEMPT]
    if not kept:
        return frozenset()
    out = {"assessed"}
    grades = [v for v in kept if isinstance(v, int)]
    if Status.NOT_CERTIFIED in kept:
        out.add("not_certified")
    if Status.FAIL in kept or any(g < pass_from for g in grades):
        out.add("failing")
    if len(out) > 1 or not grades:
        return frozenset(out)
    threes, fours = grades.count(3), grades.count(4)
    if threes + fours + grades.count(5) != len(grades):
        return frozenset(out)
    if threes == 0 and fours == 0:
        out.add("all_fives")
    elif threes == 0:
        out.add("fours_and_fives")
        if fours == 1:
            out.add("one_four")
    elif threes == 1:
        out.add("one_three")
    return frozenset(out)


def categorize_students(
    journal: ClassJournal,
    kind: ResultKind = ResultKind.ANNUAL,
    period_id: str = "",
    settings: StatsSettings = StatsSettings(),
    *,
    order: Sequence[str] | None = None,
    extra: Mapping[str, Sequence[MarkValue | None]] | None = None,
) -> StudentCategories:
    """Sort the year's members into :class:`StudentCategories` for one column.

    Uses result marks (categories are per student whatever ``settings.counting`` says) of the
    graded five-point and the pass/fail courses having the column.  ``order`` lists student ids
    in the order wanted in the result (the sheet passes its row order); by default, by id.
    ``extra`` adds results per student id (the sheet passes the final marks of subjects finished
    in earlier grades, five-point or pass/fail).
    Raises :class:`NotFound` for an unknown period, :class:`InvalidInput` for a kind/period
    mismatch or an ``order`` naming a student who is not a year member.
    """
    cells = [
        (cid, own)
        for cid, own in class_cells(journal, kind, period_id)
        if _pooled(journal, cid, kind) or not _scale_for(journal, cid, kind).is_numeric
    ]
    member_ids = [s.id for s in year_members(journal)]
    ids = list(order) if order is not None else member_ids
    unknown = [i for i in ids if i not in set(member_ids)]
    if unknown:
        raise InvalidInput("categories.order", "names students who are not members of the class this year", unknown)
    per_student = []
    for sid in ids:
        values = []
        for cid, own in cells:
            r = journal.result(sid, cid, kind, own)
            values.append(None if r is None else r.value)
        if extra is not None:
            values.extend(extra.get(sid, ()))
        per_student.append((sid, values))
    return categories_from_values(per_student)


def categories_from_values(per_student: Sequence[tuple[str, Sequence[MarkValue | None]]]) -> StudentCategories:
    """The :class:`StudentCategories` of a class given each student's results in one column:
    ``(student id, results)`` pairs in row order (pure; see :func:`categorize_values`).

    Raises :class:`InvalidInput` for a repeated student id or a result that is not a whole grade,
    a status or ``None``.
    """
    buckets: dict[str, list[str]] = {name: [] for name in _CATEGORY_FIELDS}
    for sid, values in per_student:
        for name in categorize_values(values):
            buckets[name].append(sid)
    return StudentCategories([sid for sid, _ in per_student], **buckets)

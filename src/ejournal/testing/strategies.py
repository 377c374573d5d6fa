"""Hypothesis strategies for ejournal's domain, in Hypothesis house style.

Names are singular nouns of what one draw gives (``scales()``, ``grades(scale)``,
``class_journals()``); sizes are ``min_*``/``max_*`` arguments; strategies are accepted where a
fixed value would be limiting.  Every journal drawn is consistent: it passes its own construction
checks, and every mark in it could be recorded again through :meth:`ClassJournal.record_mark`.

Needs the ``ejournal[testing]`` extra (Hypothesis).  :func:`register_type_strategies` makes
``st.from_type`` work for the main types; Hypothesis calls it through the entry point.
"""

from __future__ import annotations

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as e:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "ejournal.testing.strategies needs Hypothesis: install the testing extra, pip install 'ejournal[testing]'"
    ) from e

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from attrs import evolve

from ejournal.core.calendar import AcademicYear, Period, PeriodKind, PeriodScheme, half_years, quarters, trimesters
from ejournal.core.exam_scores import ScoreConversion, convert_primary_score
from ejournal.core.grading import (
    AggregationMethod,
    AnnualRule,
    ExemptPeriods,
    GradedMark,
    GradingPolicy,
    Honours,
    MinMarksRow,
    MissingAnnual,
    NotCertifiedPeriods,
    PeriodRule,
    PromotionRule,
    Rounding,
    RoundingMethod,
    Threshold,
    TiePolicy,
)
from ejournal.core.journal import (
    MAX_ADMISSION_ATTEMPTS,
    AdmissionTest,
    AdmissionTestKind,
    AttendanceRecord,
    ClassJournal,
    Decision,
    DecisionKind,
    ExamChoice,
    FixedClock,
    Mark,
    ResultKey,
    ResultKind,
    ResultMark,
    admission_test_kind,
    decision_order,
)
from ejournal.core.model import ClassGroup, Course, Lesson, PersonName, School, Student, Subject, Teacher
from ejournal.core.scales import BUILTIN_SCALES, FIVE_POINT, TEN_POINT, TWELVE_POINT, Scale, Status, WorkType

__all__ = [
    "academic_years",
    "admission_tests",
    "class_journals",
    "decision_histories",
    "decisions",
    "graded_marks",
    "grades",
    "marks",
    "min_marks_tables",
    "period_schemes",
    "periods",
    "person_names",
    "policies",
    "register_type_strategies",
    "roundings",
    "scales",
    "score_conversions",
    "weights",
    "work_types",
]


def _whole(name: str, value: object, low: int = 0, high: int | None = None) -> int:
    """``value`` when it is a whole number in ``low``..``high``, else :class:`InvalidArgument` naming it."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={value!r} must be a whole number")
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise InvalidArgument(f"{name}={value!r} must be {bound}")
    return value


def _size_range(low_name: str, low: object, high_name: str, high: object, floor: int = 0) -> None:
    _whole(low_name, low, floor)
    _whole(high_name, high, floor)
    if high < low:  # type: ignore[operator]
        raise InvalidArgument(f"{low_name}={low!r} must not exceed {high_name}={high!r}")


def _flag(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be True or False")


def _strategy_or_none(name: str, value: object) -> None:
    if value is not None and not isinstance(value, st.SearchStrategy):
        raise InvalidArgument(f"{name}={value!r} must be a Hypothesis strategy (or None)")


def _scale_or_strategy(value: object) -> None:
    if not isinstance(value, (Scale, st.SearchStrategy)):
        raise InvalidArgument(f"scale={value!r} must be a Scale or a strategy of scales")


_SURNAMES = ("Иванов", "Ёлкин", "Елкин", "Вәлиев", "Һадиев", "Әхмәтов", "Петрова", "Smith", "Зыкова", "Абрамов")
_GIVEN = ("Айдар", "Мария", "Иван", "Әлфия", "Өмет", "Юлия", "Җәүдәт", "Анна")
_PATRONYMIC = ("", "Ринатович", "Петровна", "Иванович", "Ильдаровна")


def academic_years(min_year: int = 2000, max_year: int = 2099) -> st.SearchStrategy[AcademicYear]:
    """Academic years with the default dates (1 September to 31 August).

    Raises :class:`~hypothesis.errors.InvalidArgument` unless 1000 ≤ ``min_year`` ≤ ``max_year`` ≤ 9998.
    """
    _size_range("min_year", min_year, "max_year", max_year, 1000)
    _whole("max_year", max_year, 1000, 9998)
    return st.builds(AcademicYear, st.integers(min_year, max_year))


def person_names() -> st.SearchStrategy[PersonName]:
    """Russian, Tatar and Latin names, with and without a patronymic (Ё and Tatar letters included)."""
    return st.builds(PersonName, st.sampled_from(_SURNAMES), st.sampled_from(_GIVEN), st.sampled_from(_PATRONYMIC))


def scales(*, numeric_only: bool = True, builtin_only: bool = False) -> st.SearchStrategy[Scale]:
    """Marking scales: the built-in ones, and (unless ``builtin_only``) 1..n scales for n in 3..12.

    ``numeric_only=False`` admits the pass/fail scale too.
    """
    _flag("numeric_only", numeric_only)
    _flag("builtin_only", builtin_only)
    builtin = [FIVE_POINT, TEN_POINT, TWELVE_POINT] if numeric_only else list(BUILTIN_SCALES.values())
    fixed = st.sampled_from(builtin)
    if builtin_only:
        return fixed

    @st.composite
    def custom(draw: st.DrawFn) -> Scale:
        top = draw(st.integers(3, 12))
        pass_from = draw(st.integers(1, top))
        return Scale(f"scale{top}_{pass_from}", f"{top}-point", tuple(range(1, top + 1)), pass_from)

    return st.one_of(fixed, custom())


def grades(scale: Scale | st.SearchStrategy[Scale] = FIVE_POINT) -> st.SearchStrategy[int]:
    """Whole grades of ``scale`` (a scale or a strategy of scales; the five-point scale by default)."""
    _scale_or_strategy(scale)
    if isinstance(scale, Scale):
        if not scale.values:
            raise InvalidArgument(f"scale={scale.id!r} has no grades (a pass/fail scale)")
        return st.sampled_from(scale.values)
    return scale.flatmap(lambda s: st.sampled_from(s.values))


def weights(*, allow_zero: bool = True, max_weight: int = 5) -> st.SearchStrategy[Fraction]:
    """Exact work-type weights: whole numbers and halves up to ``max_weight`` (zero when ``allow_zero``)."""
    _flag("allow_zero", allow_zero)
    _whole("max_weight", max_weight, 1)
    low = 0 if allow_zero else 1
    return st.builds(Fraction, st.integers(low, 2 * max_weight), st.just(2)).filter(lambda w: allow_zero or w > 0)


def work_types(
    *, ids: st.SearchStrategy[str] | None = None, weight: st.SearchStrategy[Fraction] | None = None
) -> st.SearchStrategy[WorkType]:
    """Work types with an exact weight (``weights()`` by default; zero allowed)."""
    _strategy_or_none("ids", ids)
    _strategy_or_none("weight", weight)
    return st.builds(
        WorkType,
        ids if ids is not None else st.sampled_from(("cw", "hw", "test", "oral", "lab", "dict")),
        st.sampled_from(("классная", "домашняя", "контрольная", "устный ответ", "лабораторная")),
        weight if weight is not None else weights(),
    )


def graded_marks(
    scale: Scale | st.SearchStrategy[Scale] = FIVE_POINT,
    *,
    weight: st.SearchStrategy[Fraction] | None = None,
    statuses: bool = False,
    days: st.SearchStrategy[date | None] | None = None,
) -> st.SearchStrategy[GradedMark]:
    """Marks as the grading rules see them (:class:`GradedMark`): a grade of ``scale``, an exact weight.

    ``statuses=True`` sometimes draws a status code instead of a grade.
    """
    _strategy_or_none("weight", weight)
    _strategy_or_none("days", days)
    _flag("statuses", statuses)
    value: st.SearchStrategy[int | Status] = grades(scale)
    if statuses:
        value = st.one_of(value, st.sampled_from(list(Status)))
    return st.builds(
        GradedMark,
        value,
        weight if weight is not None else weights(),
        st.sampled_from(("cw", "hw", "test")),
        days if days is not None else st.none() | st.dates(date(2025, 9, 1), date(2026, 5, 31)),
        st.text("abcdef0123456789", min_size=1, max_size=6),
    )


def marks(
    scale: Scale | st.SearchStrategy[Scale] = FIVE_POINT,
    *,
    min_size: int = 0,
    max_size: int = 30,
    weight: st.SearchStrategy[Fraction] | None = None,
    statuses: bool = False,
) -> st.SearchStrategy[list[GradedMark]]:
    """Lists of :class:`GradedMark` (the input of ``compute_period_mark``), ``min_size``..``max_size`` long."""
    _size_range("min_size", min_size, "max_size", max_size)
    return st.lists(graded_marks(scale, weight=weight, statuses=statuses), min_size=min_size, max_size=max_size)


def periods(year: AcademicYear | None = None) -> st.SearchStrategy[Period]:
    """Single periods inside ``year`` (2025/2026 by default), of any kind."""
    if year is not None and not isinstance(year, AcademicYear):
        raise InvalidArgument(f"year={year!r} must be an AcademicYear (or None)")
    y = year or AcademicYear(2025)

    @st.composite
    def build(draw: st.DrawFn) -> Period:
        span = (y.end - y.start).days
        a = draw(st.integers(0, span))
        b = draw(st.integers(a, span))
        kind = draw(st.sampled_from(list(PeriodKind)))
        number = draw(st.integers(1, 4))
        return Period(f"p{number}", kind, number, y.start + timedelta(days=a), y.start + timedelta(days=b))

    return build()


def period_schemes(
    year: AcademicYear | None = None, *, min_size: int = 1, max_size: int = 6
) -> st.SearchStrategy[PeriodScheme]:
    """Period schemes inside ``year``: quarters, trimesters, half-years, or n random modules.

    Random schemes have ``min_size``..``max_size`` periods with gaps (holidays) between them.
    """
    if year is not None and not isinstance(year, AcademicYear):
        raise InvalidArgument(f"year={year!r} must be an AcademicYear (or None)")
    _size_range("min_size", min_size, "max_size", max_size, 1)
    _whole("max_size", max_size, 1, 12)
    y = year or AcademicYear(2025)
    fixed = [s for s in (quarters(y), trimesters(y), half_years(y)) if min_size <= len(s.periods) <= max_size]

    @st.composite
    def modules(draw: st.DrawFn) -> PeriodScheme:
        n = draw(st.integers(min_size, max_size))
        span = (y.end - y.start).days
        cuts = sorted(draw(st.lists(st.integers(1, span - 1), min_size=2 * n - 1, max_size=2 * n - 1, unique=True)))
        bounds = [0, *cuts, span]
        out = []
        for i in range(n):
            start = bounds[2 * i] + (1 if i else 0)
            end = bounds[2 * i + 1]
            out.append(
                Period(
                    f"m{i + 1}",
                    PeriodKind.MODULE,
                    i + 1,
                    y.start + timedelta(days=start),
                    y.start + timedelta(days=end),
                )
            )
        return PeriodScheme(f"modules{y.start_year}", tuple(out), "модули")

    if fixed:
        return st.one_of(st.sampled_from(fixed), modules())
    return modules()


def roundings(*, methods: Sequence[RoundingMethod] | None = None, top: int = 5) -> st.SearchStrategy[Rounding]:
    """Rounding rules; tables have thresholds for grades 2..``top`` in (g-1, g] (halves and hundredths)."""
    allowed = list(methods) if methods is not None else list(RoundingMethod)
    if not allowed or not all(isinstance(m, RoundingMethod) for m in allowed):
        raise InvalidArgument(f"methods={methods!r} must be a non-empty sequence of RoundingMethod")
    _whole("top", top, 2, 100)

    @st.composite
    def build(draw: st.DrawFn) -> Rounding:
        method = draw(st.sampled_from(allowed))
        if method is not RoundingMethod.TABLE:
            return Rounding(method)
        rows = []
        for g in range(top, 1, -1):
            hundredths = draw(st.integers(1, 100))
            rows.append(Threshold(g, Fraction(100 * (g - 1) + hundredths, 100)))
        return Rounding(method, tuple(rows))

    return build()


def min_marks_tables(*, kinds: bool = True) -> st.SearchStrategy[tuple[MinMarksRow, ...]]:
    """Valid minimum-marks tables: rows by weekly hours, optionally a catch-all row last.

    With ``kinds`` some period kinds first get rows of their own (by hours and/or a catch-all),
    as in "3 per quarter, 5 per half-year"; no row is ever shadowed by an earlier one.
    """
    _flag("kinds", kinds)

    @st.composite
    def build(draw: st.DrawFn) -> tuple[MinMarksRow, ...]:
        rows: list[MinMarksRow] = []
        groups: list[PeriodKind | None] = []
        if kinds:
            groups.extend(draw(st.lists(st.sampled_from(list(PeriodKind)), max_size=2, unique=True)))
        groups.append(None)
        for kind in groups:
            hours_rows = draw(st.lists(st.integers(1, 6), min_size=0, max_size=3, unique=True))
            rows.extend(MinMarksRow(Fraction(h), draw(st.integers(0, 6)), kind) for h in sorted(hours_rows))
            if draw(st.booleans()):
                rows.append(MinMarksRow(None, draw(st.integers(0, 8)), kind))
        return tuple(rows)

    return build()


def policies(
    *,
    aggregations: Sequence[AggregationMethod] | None = None,
    rounding: st.SearchStrategy[Rounding] | None = None,
    last_n: st.SearchStrategy[int | None] | None = None,
    drop_lowest: st.SearchStrategy[int] | None = None,
    cap: st.SearchStrategy[bool] | None = None,
) -> st.SearchStrategy[GradingPolicy]:
    """Valid grading policies; each argument narrows one part (a strategy, or the allowed methods)."""
    aggs = list(aggregations) if aggregations is not None else list(AggregationMethod)
    if not aggs or not all(isinstance(a, AggregationMethod) for a in aggs):
        raise InvalidArgument(f"aggregations={aggregations!r} must be a non-empty sequence of AggregationMethod")
    for name, value in (("rounding", rounding), ("last_n", last_n), ("drop_lowest", drop_lowest), ("cap", cap)):
        _strategy_or_none(name, value)

    @st.composite
    def build(draw: st.DrawFn) -> GradingPolicy:
        rows = draw(min_marks_tables())
        capped = draw(cap if cap is not None else st.booleans())
        period = PeriodRule(
            aggregation=draw(st.sampled_from(aggs)),
            rounding=draw(rounding if rounding is not None else roundings()),
            last_n=draw(last_n if last_n is not None else st.none() | st.integers(1, 10)),
            drop_lowest=draw(drop_lowest if drop_lowest is not None else st.integers(0, 2)),
            min_marks=tuple(rows),
            missed_share_above=Fraction(draw(st.integers(0, 4)), 4),
            too_few_alone=draw(st.booleans()),
            cap_at_most=2 if capped else None,
            cap_to=4 if capped else None,
        )
        annual = AnnualRule(
            rounding=draw(roundings()),
            tie=draw(st.sampled_from(list(TiePolicy))),
            last_period_weight=Fraction(draw(st.integers(1, 4)), draw(st.integers(1, 2))),
            not_certified=draw(st.sampled_from(list(NotCertifiedPeriods))),
            exempt=draw(st.sampled_from(list(ExemptPeriods))),
        )
        promotion = PromotionRule(
            graduating_grades=tuple(draw(st.lists(st.sampled_from((9, 11)), unique=True))),
            honours=draw(st.sampled_from(list(Honours))),
            missing_annual=draw(st.sampled_from(list(MissingAnnual))),
        )
        return GradingPolicy(
            name=draw(st.text("abcdefghijklmnopqrstuvwxyz-_", min_size=1, max_size=12)),
            version=draw(st.sampled_from(("1", "2", "2025.1"))),
            description=draw(st.text(max_size=20)),
            period=period,
            annual=annual,
            promotion=promotion,
            edit_window_days=draw(st.none() | st.integers(0, 30)),
            allowed_deviation=draw(st.none() | st.integers(0, 2)),
            decimal_places=draw(st.integers(0, 6)),
        )

    return build()


_T0 = datetime(2025, 8, 31, 12, 0, tzinfo=UTC)


def _days_between(first: date, last: date) -> st.SearchStrategy[date]:
    return st.integers(0, (last - first).days).map(lambda n: first + timedelta(days=n))


def decisions(
    student_id: str = "s1",
    year: AcademicYear | None = None,
    *,
    kinds: Sequence[DecisionKind] | None = None,
) -> st.SearchStrategy[Decision]:
    """Council decisions of ``student_id`` dated in ``year`` (default 2025/2026), of ``kinds`` (default all).

    Protocols are short numbers, ``to_grade`` a grade or ``None``, notes short texts.  Raises
    :class:`~hypothesis.errors.InvalidArgument` for an empty ``student_id`` or ``kinds``.
    """
    if not isinstance(student_id, str) or not student_id.strip():
        raise InvalidArgument(f"student_id must be a non-empty string, got {student_id!r}")
    if kinds is not None and not list(kinds):
        raise InvalidArgument("kinds must name at least one DecisionKind")
    y = year if year is not None else AcademicYear(2025)
    return st.builds(
        Decision,
        st.just(student_id),
        st.sampled_from(list(kinds) if kinds is not None else list(DecisionKind)),
        _days_between(y.start, y.end),
        st.integers(1, 40).map(str),
        st.one_of(st.none(), st.integers(1, 12)),
        st.sampled_from(("", "задолженность: математика", "по заявлению родителей")),
    )


def decision_histories(
    student_id: str = "s1",
    year: AcademicYear | None = None,
    *,
    min_size: int = 0,
    max_size: int = 4,
    kinds: Sequence[DecisionKind] | None = None,
) -> st.SearchStrategy[tuple[Decision, ...]]:
    """A student's decisions of one year, in council order, at most one of a kind per council date.

    Each history can be recorded through :meth:`ClassJournal.record_decision` in any order (every
    date lies in ``year``).  Raises :class:`~hypothesis.errors.InvalidArgument` for bad sizes.
    """
    _size_range("min_size", min_size, "max_size", max_size)
    return st.lists(
        decisions(student_id, year, kinds=kinds),
        min_size=min_size,
        max_size=max_size,
        unique_by=lambda d: (d.council_date, d.kind),
    ).map(lambda ds: tuple(sorted(ds, key=decision_order)))


def admission_tests(
    student_id: str = "s1",
    kind: AdmissionTestKind = AdmissionTestKind.INTERVIEW,
    year: AcademicYear | None = None,
    *,
    first: date | None = None,
    last: date | None = None,
    max_size: int = MAX_ADMISSION_ATTEMPTS,
) -> st.SearchStrategy[tuple[AdmissionTest, ...]]:
    """A student's attempts at an admission test, first attempt first, as the journal accepts them.

    Up to ``max_size`` attempts (at most three) on increasing days between ``first`` and ``last``
    (default: the year's bounds); every attempt but the last fails (незачёт), the last may pass.
    Raises :class:`~hypothesis.errors.InvalidArgument` for a bad size or ``first`` after ``last``.
    """
    _size_range("min_size", 0, "max_size", max_size)
    if max_size > MAX_ADMISSION_ATTEMPTS:
        raise InvalidArgument(f"max_size={max_size} exceeds the {MAX_ADMISSION_ATTEMPTS} attempts allowed")
    y = year if year is not None else AcademicYear(2025)
    lo, hi = first or y.start, last or y.end
    if lo > hi:
        raise InvalidArgument(f"first={lo} is after last={hi}")

    @st.composite
    def build(draw: st.DrawFn) -> tuple[AdmissionTest, ...]:
        span = (hi - lo).days + 1
        offsets = sorted(draw(st.lists(st.integers(0, span - 1), max_size=min(max_size, span), unique=True)))
        passed_last = draw(st.booleans())
        out = []
        for n, off in enumerate(offsets, start=1):
            passed = passed_last and n == len(offsets)
            out.append(
                AdmissionTest(
                    student_id, kind, n, lo + timedelta(days=off), passed, draw(st.sampled_from(("", "болезнь")))
                )
            )
        return tuple(out)

    return build()


def score_conversions(
    subject_id: str | st.SearchStrategy[str] = "math", *, min_max_score: int = 3, max_max_score: int = 100
) -> st.SearchStrategy[ScoreConversion]:
    """ОГЭ conversion tables for ``subject_id``: a highest primary score in
    ``min_max_score``..``max_max_score`` and rising thresholds ``0 < three < four < five <= max``.

    Raises :class:`~hypothesis.errors.InvalidArgument` for bounds below 3 or out of order (three
    thresholds need a highest score of at least 3).
    """
    _size_range("min_max_score", min_max_score, "max_max_score", max_max_score, 3)
    if not isinstance(subject_id, (str, st.SearchStrategy)):
        raise InvalidArgument(f"subject_id={subject_id!r} must be a string or a strategy")
    ids = st.just(subject_id) if isinstance(subject_id, str) else subject_id

    @st.composite
    def build(draw: st.DrawFn) -> ScoreConversion:
        top = draw(st.integers(min_max_score, max_max_score))
        three, four, five = sorted(draw(st.lists(st.integers(1, top), min_size=3, max_size=3, unique=True)))
        return ScoreConversion(draw(ids), top, three, four, five)

    return build()


def class_journals(
    *,
    min_students: int = 1,
    max_students: int = 5,
    min_courses: int = 1,
    max_courses: int = 3,
    min_marks: int = 0,
    max_marks: int = 40,
    schemes: st.SearchStrategy[PeriodScheme] | None = None,
    work_type: st.SearchStrategy[WorkType] | None = None,
    grade: st.SearchStrategy[int] | None = None,
    with_results: bool = True,
    with_decisions: bool = True,
    with_exams: bool = False,
) -> st.SearchStrategy[ClassJournal]:
    """Consistent class journals of 2025/2026.

    ``min_students``..``max_students`` students (all but the first may arrive late or leave early),
    ``min_courses``..``max_courses`` five-point courses on one period scheme (``schemes``), lessons
    inside the periods, ``min_marks``..``max_marks`` marks (only on lessons the student was enrolled
    for), absences, with ``with_results`` some period marks ("н/а"/"осв." included), and with
    ``with_decisions`` some students' council decisions (:func:`decision_histories`) and, in grades 9
    and 11, attempts at the admission test while the student is in the class (:func:`admission_tests`).
    With ``with_exams`` the examined courses may be exams chosen per student (with
    :class:`~ejournal.core.journal.ExamChoice` records), a course without an exam may take another
    course's exam (``exam_of``), and the students get annual marks and exam marks in the exams they
    sit, some converted from primary scores by a :func:`score_conversions` table.
    The journal passes its construction checks, every mark would pass ``record_mark``, every
    decision ``record_decision`` and every admission test ``record_admission_test``.
    Raises :class:`~hypothesis.errors.InvalidArgument` for a bad bound or a non-strategy.
    """
    _size_range("min_students", min_students, "max_students", max_students, 1)
    _size_range("min_courses", min_courses, "max_courses", max_courses, 1)
    _size_range("min_marks", min_marks, "max_marks", max_marks)
    for name, value in (("schemes", schemes), ("work_type", work_type), ("grade", grade)):
        _strategy_or_none(name, value)
    _flag("with_results", with_results)
    _flag("with_decisions", with_decisions)
    _flag("with_exams", with_exams)
    year = AcademicYear(2025)

    @st.composite
    def build(draw: st.DrawFn) -> ClassJournal:
        scheme = draw(schemes if schemes is not None else period_schemes(year, max_size=4))
        class_grade = draw(grade if grade is not None else st.integers(1, 11))
        teacher = Teacher("t1", draw(person_names()))
        n_students = draw(st.integers(min_students, max_students))
        students: dict[str, Student] = {}
        for i in range(n_students):
            sid = f"s{i + 1}"
            enrolled = year.start
            left = None
            # The first student stays all year, so every lesson can carry a mark.
            if i > 0 and draw(st.integers(0, 4)) == 0:
                enrolled = year.start + timedelta(days=draw(st.integers(0, 200)))
            if i > 0 and draw(st.integers(0, 4)) == 0:
                left = enrolled + timedelta(days=draw(st.integers(0, 300)))
            students[sid] = Student(sid, draw(person_names()), enrolled, left)
        wt_strategy = work_type if work_type is not None else work_types()
        wts = draw(st.lists(wt_strategy, min_size=1, max_size=4, unique_by=lambda w: w.id))
        n_courses = draw(st.integers(min_courses, max_courses))
        subjects = {f"subj{i + 1}": Subject(f"subj{i + 1}", f"Предмет {i + 1}", i + 1) for i in range(n_courses)}
        courses = {
            f"c{i + 1}": Course(
                f"c{i + 1}",
                f"subj{i + 1}",
                "t1",
                Fraction(draw(st.integers(1, 10)), 2),
                scheme.id,
                examined=draw(st.booleans()),
            )
            for i in range(n_courses)
        }
        lessons: dict[str, Lesson] = {}
        for cid in courses:
            for p in scheme.periods:
                span = (p.end - p.start).days
                offsets = draw(st.lists(st.integers(0, span), min_size=1, max_size=6))
                for k, off in enumerate(offsets):
                    lid = f"{cid}-{p.id}-l{k + 1}"
                    lessons[lid] = Lesson(lid, cid, p.start + timedelta(days=off), f"Тема {k + 1}", "", k + 1)
        lesson_list = sorted(lessons.values(), key=lambda le: le.id)
        places = [(s, le) for s in students.values() for le in lesson_list if s.enrolled_on(le.date)]
        marks_: dict[str, Mark] = {}
        if places:
            n_marks = draw(st.integers(min_marks, max_marks))
            for i in range(n_marks):
                s, le = draw(st.sampled_from(places))
                mid = f"mk{i + 1}"
                marks_[mid] = Mark(mid, s.id, le.id, draw(grades(FIVE_POINT)), draw(st.sampled_from(wts)).id, _T0, "t1")
        attendance: dict[tuple[str, str], AttendanceRecord] = {}
        if places:
            for s, le in draw(st.lists(st.sampled_from(places), max_size=10, unique=True)):
                code = draw(st.sampled_from(("н", "б", "уп", "о")))
                attendance[(s.id, le.id)] = AttendanceRecord(s.id, le.id, code, _T0, "t1")
        results: dict[ResultKey, ResultMark] = {}
        choices: dict[str, ExamChoice] = {}
        if with_exams:
            _draw_exams(draw, courses, students, results, choices)
        if with_results:
            for s in students.values():
                for cid in courses:
                    for p in scheme.periods:
                        if draw(st.integers(0, 3)) == 0:
                            value = draw(
                                st.one_of(grades(FIVE_POINT), st.sampled_from((Status.NOT_CERTIFIED, Status.EXEMPT)))
                            )
                            r = ResultMark(s.id, cid, ResultKind.PERIOD, value, _T0, "t1", p.id)
                            results[r.key] = r
        decided: dict[tuple[str, date, str], Decision] = {}
        tests: dict[tuple[str, str, int], AdmissionTest] = {}
        test_kind = admission_test_kind(class_grade)
        if with_decisions:
            for s in students.values():
                if draw(st.integers(0, 2)) == 0:
                    continue
                decided.update((d.key, d) for d in draw(decision_histories(s.id, year, max_size=3)))
                if test_kind is not None:
                    until = min(year.end, s.left) if s.left is not None else year.end
                    if s.enrolled <= until:
                        attempts = draw(admission_tests(s.id, test_kind, year, first=s.enrolled, last=until))
                        tests.update((t.key, t) for t in attempts)
        return ClassJournal(
            School("school1", "МБОУ СОШ №1", "1нче урта мәктәп"),
            ClassGroup("class1", class_grade, "А", year, "t1"),
            students=students,
            teachers={"t1": teacher},
            subjects=subjects,
            courses=courses,
            schemes={scheme.id: scheme},
            work_types={w.id: w for w in wts},
            lessons=lessons,
            marks=marks_,
            attendance=attendance,
            results=results,
            decisions=decided,
            admission_tests=tests,
            exam_choices=choices,
            clock=FixedClock(_T0),
        )

    return build()


def _draw_exams(
    draw: st.DrawFn,
    courses: dict[str, Course],
    students: dict[str, Student],
    results: dict[ResultKey, ResultMark],
    choices: dict[str, ExamChoice],
) -> None:
    """Exam roles, choices, annual and exam marks for :func:`class_journals` (``with_exams``)."""
    examined = [cid for cid, c in courses.items() if c.examined]
    for cid in examined:
        if draw(st.booleans()):
            courses[cid] = evolve(courses[cid], exam_by_choice=True)
    for cid, c in list(courses.items()):
        if not c.examined and examined and draw(st.booleans()):
            courses[cid] = evolve(c, exam_of=draw(st.sampled_from(examined)))
    by_choice = [cid for cid in examined if courses[cid].exam_by_choice]
    for sid in students:
        chooses: bool = draw(st.booleans())
        if by_choice and chooses:
            chosen: list[str] = draw(st.lists(st.sampled_from(by_choice), max_size=3, unique=True))
            choices[sid] = ExamChoice(sid, chosen)
    tables = {cid: draw(score_conversions(courses[cid].subject_id, max_max_score=40)) for cid in examined}
    for sid in students:
        for cid in courses:
            if draw(st.integers(0, 3)):
                r = ResultMark(sid, cid, ResultKind.ANNUAL, draw(grades(FIVE_POINT)), _T0, "t1")
                results[r.key] = r
        taken = choices[sid].course_ids if sid in choices else ()
        for cid in examined:
            if courses[cid].exam_by_choice and cid not in taken:
                continue
            kind = draw(st.integers(0, 2))
            if kind == 0:
                continue
            score = draw(st.integers(0, tables[cid].max_score)) if kind == 2 else None
            value = convert_primary_score(score, tables[cid]) if score is not None else draw(grades(FIVE_POINT))
            r = ResultMark(sid, cid, ResultKind.EXAM, value, _T0, "t1", primary_score=score)
            results[r.key] = r


def register_type_strategies() -> None:
    """Register strategies for ``st.from_type``: Scale, WorkType, Period, PeriodScheme, GradingPolicy,
    ClassJournal, PersonName, GradedMark and AcademicYear (the table in the Hypothesis plugin).

    Hypothesis already does this through the entry point; call it when plugins are disabled
    (``HYPOTHESIS_NO_PLUGINS``).  Returns nothing; raises nothing.
    """
    from ejournal.testing._hypothesis_plugin import _register

    _register()

"""The grading rules: period, annual and final marks, promotion, and the inverse what-if.

Two layers:

- a **pure layer** on plain values (:func:`compute_period_mark`, :func:`compute_annual_mark`,
  :func:`compute_final_mark_grade9`, :func:`compute_final_mark_grade11`,
  :func:`find_fewest_marks`) that property tests drive directly; it checks every mark against
  the scale passed in (the policy's :attr:`~ejournal.core.grading.GradingPolicy.marking_scale`
  by default) and refuses floats, bools and other non-exact counts;
- a **journal layer** (:func:`propose_period_mark`, :func:`propose_annual_mark`,
  :func:`propose_final_mark`, :func:`decide_promotion`, :func:`what_if`,
  :func:`propose_period_marks`) that reads a :class:`~ejournal.core.journal.ClassJournal` and
  calls the pure layer.

All arithmetic is exact (:class:`~fractions.Fraction` and ints); a mean is rounded once, by the
policy's rule.  Statuses ("н/а", "осв.", "зач.", "незач.") are never averaged.  Every public
function raises :class:`~ejournal.core.errors.InvalidInput` (where ``policy``) when ``policy`` is
not a :class:`~ejournal.core.grading.GradingPolicy`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from fractions import Fraction

from attrs import evolve, frozen

from ejournal.core.calendar import PeriodKind
from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.grading._exact import decimal_text, fraction_text
from ejournal.core.grading.explain import Excluded, Explanation, GradedMark, Note
from ejournal.core.grading.policy import (
    AggregationMethod,
    ExemptPeriods,
    GradingPolicy,
    Honours,
    MissingAnnual,
    NotCertifiedPeriods,
    Rounding,
    RoundingMethod,
    TiePolicy,
)
from ejournal.core.journal import ClassJournal, DecisionKind, ResultKey, ResultKind
from ejournal.core.model import AssessmentKind, Course, Student
from ejournal.core.scales import MarkValue, Scale, Status, format_value

__all__ = [
    "ComputedMark",
    "PromotionResult",
    "WhatIf",
    "compute_annual_mark",
    "compute_final_mark_grade9",
    "compute_final_mark_grade11",
    "compute_period_mark",
    "decide_promotion",
    "exam_source",
    "find_fewest_marks",
    "propose_annual_mark",
    "propose_final_mark",
    "propose_period_mark",
    "propose_period_marks",
    "round_mean",
    "what_if",
]

_Item = tuple[MarkValue, Fraction, str, "date | None", str]
"""A mark inside the engine: (value, weight, work type id, lesson date, mark id)."""

_EARLY = date.min
_HALF = Fraction(1, 2)
_MODE_SEARCH_BUDGET = 250_000


@frozen
class ComputedMark:
    """A proposed mark: ``value`` (``None`` = nothing to propose), its explanation, and the policy hash."""

    value: MarkValue | None
    explanation: Explanation
    policy_hash: str

    @property
    def mean(self) -> Fraction | None:
        """The exact mean the mark was rounded from (``None`` when no mean was taken)."""
        return self.explanation.mean


@frozen
class PromotionResult:
    """A proposed council decision: its kind, the courses in debt (ids), the explanation.

    ``to_grade`` is the grade promoted to (for PROMOTED and PROMOTED_CONDITIONALLY).
    """

    kind: DecisionKind
    debts: tuple[str, ...]
    explanation: Explanation
    to_grade: int | None = None


@frozen
class WhatIf:
    """The answer to "what does the student need for the target mark?".

    ``reachable``; ``marks`` the fewest further marks as (value, work type id) pairs, in the order
    they are added (it matters under "last N"; empty when the target is already reached or not
    reachable); ``result`` the mark proposed once they are added
    (``None`` when not reachable); ``explanation`` readable text; ``details`` the structured form.
    """

    reachable: bool
    marks: tuple[tuple[int, str], ...]
    result: ComputedMark | None
    explanation: str
    details: Explanation


# ---------------------------------------------------------------------- rounding


def _check_policy(policy: object) -> None:
    if not isinstance(policy, GradingPolicy):
        raise InvalidInput(
            "policy", "must be a GradingPolicy (see builtin_policy and load_policy)", type(policy).__name__
        )


def _check_count(value: object, where: str) -> int:
    """A lesson count: a whole number ≥ 0 (an ``int``, never a bool or a float)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(where, "must be a whole number (an int), never a float or a bool", value)
    if value < 0:
        raise InvalidInput(where, "must not be negative", value)
    return value


def _check_hours(value: object, where: str = "hours_per_week") -> Fraction:
    """Weekly hours: an exact number ≥ 0 (an ``int`` or a :class:`Fraction`, never a float or a bool)."""
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise InvalidInput(where, "must be exact (an int or a Fraction), never a float or a bool", value)
    if value < 0:
        raise InvalidInput(where, "must not be negative", fraction_text(Fraction(value)))
    return Fraction(value)


def _scale(policy: GradingPolicy, scale: object) -> Scale:
    if scale is None:
        return policy.marking_scale
    if not isinstance(scale, Scale):
        raise InvalidInput("scale", "must be a Scale (or None for the policy's scale)", type(scale).__name__)
    return scale


def _check_mark(value: object, scale: Scale, where: str) -> None:
    """A mark the pure layer may see: a grade of ``scale`` or any status code."""
    if isinstance(value, Status):
        return
    if isinstance(value, bool) or not isinstance(value, int) or value not in scale.values:
        allowed = ", ".join(str(v) for v in scale.values)
        raise InvalidInput(where, f"not a grade of scale {scale.id!r} (allowed: {allowed}) or a status", value)


def _check_graded(marks: object, scale: Scale) -> Sequence[GradedMark]:
    if isinstance(marks, (str, bytes)) or not isinstance(marks, Sequence):
        raise InvalidInput("marks", "must be a sequence of GradedMark", type(marks).__name__)
    for i, m in enumerate(marks):
        if not isinstance(m, GradedMark):
            raise InvalidInput(f"marks[{i}]", "must be a GradedMark", type(m).__name__)
        _check_mark(m.value, scale, f"marks[{i}]")
    return marks


def _check_kind(kind: object) -> PeriodKind | None:
    if kind is not None and not isinstance(kind, PeriodKind):
        raise InvalidInput("period_kind", "must be a PeriodKind or None", kind)
    return kind


def round_mean(mean: Fraction, rounding: Rounding) -> tuple[int, str, Fraction | None]:
    """Round an exact mean by ``rounding``: returns (grade, rule code, threshold crossed).

    The threshold is the lowest mean that still gives the grade (for ``favour`` the grade below,
    exclusive); it is ``None`` when a table's every threshold is missed.  Raises
    :class:`InvalidInput` when ``mean`` is not exact (a float or a bool: 4.65 as a float is
    4.6499..., which would round differently) or ``rounding`` is not a :class:`Rounding`.
    """
    given: object = mean  # callers outside the type checker may pass a float
    if isinstance(given, bool) or not isinstance(given, (Fraction, int)):
        raise InvalidInput("mean", "must be exact (a Fraction or an int), never a float", given)
    if not isinstance(rounding, Rounding):
        raise InvalidInput("rounding", "must be a Rounding", type(rounding).__name__)
    return _round_ints(mean.numerator, mean.denominator, rounding)


def _round_ints(num: int, den: int, rounding: Rounding) -> tuple[int, str, Fraction | None]:
    """:func:`round_mean` of ``num/den`` (``den > 0``) by integer comparisons only."""
    method = rounding.method
    if method is RoundingMethod.TABLE:
        for i, (grade, t_num, t_den) in enumerate(rounding.table_ints):
            if num * t_den >= t_num * den:
                return grade, "table", rounding.thresholds[i].minimum
        return num // den, "table_below", None
    if method is RoundingMethod.HALF_UP:
        grade = (2 * num + den) // (2 * den)
        return grade, "half_up", grade - _HALF
    if method is RoundingMethod.FAVOUR:
        grade = -((-num) // den)
        return grade, "favour", Fraction(grade if num % den == 0 else grade - 1)
    grade = num // den
    return grade, "floor", Fraction(grade)


# ---------------------------------------------------------------------- period marks


def _to_item(m: GradedMark) -> _Item:
    return (m.value, m.weight, m.work_type_id, m.day, m.mark_id)


def _graded(item: _Item) -> GradedMark:
    return GradedMark(item[0], item[1], item[2], item[3], item[4])


def compute_period_mark(
    marks: Sequence[GradedMark],
    policy: GradingPolicy,
    *,
    hours_per_week: Fraction | int,
    lessons_total: int,
    lessons_missed: int,
    exempt: bool = False,
    explain: bool = True,
    period_kind: PeriodKind | None = None,
    scale: Scale | None = None,
) -> ComputedMark:
    """Propose a period mark from a student's current marks of the period (the pure layer).

    ``marks`` are in lesson order (``day`` breaks ties for "last N"); ``hours_per_week`` and
    ``period_kind`` (``None``: only the minimum-marks rows without a kind apply) pick the minimum
    number of marks; ``lessons_total``/``lessons_missed`` count the period's lessons and those the
    student missed.  Returns "осв." when ``exempt``, "н/а" when certification fails, ``None`` when
    there is nothing to average, else the rounded mean.  ``explain=False`` skips the mark lists of
    the explanation.  Raises :class:`InvalidInput` naming ``marks[i]`` for a mark that is neither
    a grade of ``scale`` (the policy's scale when ``None``) nor a status, naming
    ``hours_per_week``, ``lessons_total`` or ``lessons_missed`` for a float, a bool, another
    non-exact type or a negative value, and for more lessons missed than given.
    """
    _check_policy(policy)
    _check_graded(marks, _scale(policy, scale))
    hours = _check_hours(hours_per_week)
    total = _check_count(lessons_total, "lessons_total")
    missed = _check_count(lessons_missed, "lessons_missed")
    if missed > total:
        raise InvalidInput("lessons_missed", f"must be between 0 and lessons_total ({total})", missed)
    return _period(
        [_to_item(m) for m in marks], policy, hours, total, missed, exempt, explain, _check_kind(period_kind)
    )


def _period(
    items: Sequence[_Item],
    policy: GradingPolicy,
    hours: Fraction,
    total: int,
    missed: int,
    exempt: bool,
    explain: bool,
    kind: PeriodKind | None = None,
) -> ComputedMark:
    rule = policy.period
    label = policy.label if explain else ""
    if exempt:
        return ComputedMark(
            Status.EXEMPT,
            Explanation(
                "period",
                Status.EXEMPT,
                "exempt",
                notes=(Note.of("exempt_in_journal"),) if explain else (),
                policy=label,
            ),
            policy.content_hash,
        )
    counted: list[_Item] = []
    excluded: list[Excluded] = []
    pass_fail: list[Status] = []
    ratios: dict[int, tuple[int, int]] = {}
    for it in items:
        v = it[0]
        if v.__class__ is int:
            w = it[1]
            nd = ratios.get(id(w))
            if nd is None:
                nd = ratios[id(w)] = (w.numerator, w.denominator)
            if nd[0]:
                counted.append(it)
            elif explain:
                excluded.append(Excluded(_graded(it), "zero_weight"))
        else:
            if v is Status.PASS or v is Status.FAIL:
                pass_fail.append(v)
            if explain:
                excluded.append(Excluded(_graded(it), "status"))
    count = len(counted) if counted else len(pass_fail)
    required = rule.required_marks(hours, kind)
    notes: list[Note] = []
    if count < required:
        over = total > 0 and missed * rule.missed_share_above.denominator > rule.missed_share_above.numerator * total
        if explain:
            notes.append(Note.of("too_few", count=count, required=required, hours=hours))
            if total > 0:
                notes.append(
                    Note.of(
                        "missed_share",
                        missed=missed,
                        total=total,
                        share=fraction_text(Fraction(missed, total)),
                        limit=rule.missed_share_above,
                    )
                )
        if over or rule.too_few_alone:
            if explain and not over:
                notes.append(Note.of("too_few_alone"))
            return ComputedMark(
                Status.NOT_CERTIFIED,
                Explanation(
                    "period",
                    Status.NOT_CERTIFIED,
                    "not_certified",
                    used=tuple(_graded(i) for i in counted) if explain else (),
                    excluded=tuple(excluded),
                    notes=tuple(notes),
                    policy=label,
                    detailed=explain,
                ),
                policy.content_hash,
            )
    if not counted:
        if pass_fail:
            passes = sum(1 for s in pass_fail if s is Status.PASS)
            value: MarkValue = Status.PASS if 2 * passes >= len(pass_fail) else Status.FAIL
            return ComputedMark(
                value,
                Explanation(
                    "period",
                    value,
                    "pass_fail",
                    excluded=tuple(excluded),
                    notes=tuple(notes),
                    policy=label,
                    detailed=explain,
                ),
                policy.content_hash,
            )
        return ComputedMark(
            None,
            Explanation(
                "period", None, "no_marks", excluded=tuple(excluded), notes=tuple(notes), policy=label, detailed=explain
            ),
            policy.content_hash,
        )
    kept = counted
    if rule.last_n is not None and len(kept) > rule.last_n:
        order = sorted(range(len(kept)), key=lambda i: (kept[i][3] or _EARLY, i))
        cut = len(kept) - rule.last_n
        if explain:
            excluded.extend(Excluded(_graded(kept[i]), "not_in_last_n") for i in order[:cut])
        kept = [kept[i] for i in sorted(order[cut:])]
    if rule.drop_lowest:
        k = min(rule.drop_lowest, len(kept) - 1)
        if k > 0:
            order = sorted(range(len(kept)), key=lambda i: (kept[i][0], -kept[i][1], i))
            dropped = set(order[:k])
            if explain:
                excluded.extend(Excluded(_graded(kept[i]), "dropped_lowest") for i in order[:k])
            kept = [it for i, it in enumerate(kept) if i not in dropped]
    num, den, wsum, wtotal = _aggregate(kept, rule.aggregation, ratios, explain)
    grade, code, threshold = _round_ints(num, den, rule.rounding)
    mean = Fraction(num, den)
    cap_at, cap_to = rule.cap_at_most, rule.cap_to
    if cap_at is not None and cap_to is not None and grade > cap_to:
        low = min(it[0] for it in counted)  # type: ignore[type-var]
        assert isinstance(low, int)
        if low <= cap_at:
            if explain:
                notes.append(Note.of("capped", low=low, cap=cap_to, uncapped=grade))
            grade = cap_to
            threshold = _lowest_mean_for(cap_to, rule.rounding)
    mean_text, mean_exact = decimal_text(mean, policy.decimal_places) if explain else ("", True)
    if explain:
        notes.insert(0, Note.of("aggregation", method=rule.aggregation.value))
    return ComputedMark(
        grade,
        Explanation(
            "period",
            grade,
            code,
            used=tuple(_graded(i) for i in kept) if explain else (),
            excluded=tuple(excluded),
            weighted_sum=wsum,
            weight_total=wtotal,
            mean=mean,
            mean_text=mean_text,
            mean_exact=mean_exact,
            threshold=threshold,
            notes=tuple(notes),
            policy=label,
            detailed=explain,
        ),
        policy.content_hash,
    )


def _lowest_mean_for(grade: int, rounding: Rounding) -> Fraction | None:
    """The lowest mean that ``rounding`` turns into ``grade`` or more, in :func:`round_mean`'s terms.

    Used for a capped period mark: the mean was above ``grade``'s range, so the threshold the
    explanation names is the one of ``grade`` itself (3.5 for a capped 4), not of the uncapped grade.
    """
    method = rounding.method
    if method is RoundingMethod.TABLE:
        rows = [t.minimum for t in rounding.thresholds if t.grade >= grade]
        below = [t.minimum for t in rounding.thresholds if t.grade < grade]
        if rows:
            low = min(rows)
            # Between the highest threshold below ``grade`` and ``low`` the table rounds down (floor).
            return Fraction(grade) if low > grade and not below else low
        return Fraction(grade)
    if method is RoundingMethod.HALF_UP:
        return grade - _HALF
    if method is RoundingMethod.FAVOUR:
        return Fraction(grade - 1)
    return Fraction(grade)


def _aggregate(
    kept: Sequence[_Item], method: AggregationMethod, ratios: dict[int, tuple[int, int]], explain: bool
) -> tuple[int, int, Fraction | None, Fraction | None]:
    """The mean of the kept marks as ``num/den`` (not reduced), with the weighted sum and total weight.

    ``kept`` are numeric with positive weights (at least one); ``ratios`` maps ``id(weight)`` to the
    weight's (numerator, denominator); the sum and total are built only when ``explain``.
    """
    if method is AggregationMethod.WEIGHTED_MEAN:
        dens = {ratios[id(it[1])][1] for it in kept}
        lcm = math.lcm(*dens) if len(dens) > 1 else dens.pop()
        num = 0
        den = 0
        for it in kept:
            w_num, w_den = ratios[id(it[1])]
            scaled = w_num * (lcm // w_den) if w_den != lcm else w_num
            num += it[0] * scaled  # type: ignore[operator]
            den += scaled
        if explain:
            return num, den, Fraction(num, lcm), Fraction(den, lcm)
        return num, den, None, None
    values: list[int] = [it[0] for it in kept]  # type: ignore[misc]
    if method is AggregationMethod.MEAN:
        s = sum(values)
        n = len(values)
        return s, n, (Fraction(s) if explain else None), (Fraction(n) if explain else None)
    if method is AggregationMethod.MEDIAN:
        values.sort()
        n = len(values)
        mid = n // 2
        if n % 2:
            return values[mid], 1, None, None
        return values[mid - 1] + values[mid], 2, None, None
    counts: dict[int, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    top = max(counts.values())
    tied = [v for v, c in counts.items() if c == top]
    return sum(tied), len(tied), None, None


# ---------------------------------------------------------------------- annual marks


def compute_annual_mark(
    periods: Sequence[tuple[str, MarkValue | None]],
    policy: GradingPolicy,
    *,
    explain: bool = True,
    scale: Scale | None = None,
) -> ComputedMark:
    """Propose an annual mark from period marks (the pure layer).

    ``periods`` are (period id, mark or ``None`` when empty) in scheme order; the last one is the
    scheme's last period and weighs ``policy.annual.last_period_weight``.  "н/а" and "осв." count
    as the policy says; "зач."/"незач." periods give "зач." when the last of them is "зач.";
    otherwise the weighted mean of the numeric marks is rounded (an exact x.5 by the tie policy).
    Returns ``None`` as the value when no period has a mark.  Raises :class:`InvalidInput` naming
    ``periods[i]`` for an entry that is not a (period id, mark or ``None``) pair or whose mark is
    neither a grade of ``scale`` (the policy's scale when ``None``) nor a status.
    """
    _check_policy(policy)
    marking = _scale(policy, scale)
    for i, entry in enumerate(periods):
        if not isinstance(entry, tuple) or len(entry) != 2 or not isinstance(entry[0], str):
            raise InvalidInput(f"periods[{i}]", "must be a (period id, mark or None) pair", entry)
        if entry[1] is not None:
            _check_mark(entry[1], marking, f"periods[{i}]")
    rule = policy.annual
    label = policy.label
    used: list[GradedMark] = []
    excluded: list[Excluded] = []
    statuses: list[Status] = []
    last_index = len(periods) - 1
    for i, (pid, value) in enumerate(periods):
        weight = rule.last_period_weight if i == last_index else Fraction(1)
        if value is None:
            excluded.append(Excluded(GradedMark(Status.NOT_CERTIFIED, weight, "period", None, pid), "missing"))
            continue
        gm = GradedMark(value, weight, "period", None, pid)
        if isinstance(value, Status):
            statuses.append(value)
            reason = {
                Status.NOT_CERTIFIED: "not_certified_period",
                Status.EXEMPT: "exempt_period",
            }.get(value, "status")
            excluded.append(Excluded(gm, reason))
        else:
            used.append(gm)
    notes: list[Note] = []
    if rule.last_period_weight != 1:
        notes.append(Note.of("last_period_weight", weight=rule.last_period_weight))

    def status_result(value: MarkValue | None, code: str, *extra: Note) -> ComputedMark:
        return ComputedMark(
            value,
            Explanation(
                "annual",
                value,
                code,
                used=tuple(used),
                excluded=tuple(excluded),
                notes=(*notes, *extra),
                policy=label,
                detailed=explain,
            ),
            policy.content_hash,
        )

    if Status.NOT_CERTIFIED in statuses and rule.not_certified is NotCertifiedPeriods.NOT_CERTIFIED:
        return status_result(Status.NOT_CERTIFIED, "not_certified", Note.of("na_period"))
    if Status.EXEMPT in statuses and rule.exempt is ExemptPeriods.EXEMPT:
        return status_result(Status.EXEMPT, "exempt", Note.of("exempt_period"))
    if not used:
        pf = [s for s in statuses if s in (Status.PASS, Status.FAIL)]
        if pf:
            value = pf[-1]
            return status_result(value, "pass_fail")
        if Status.NOT_CERTIFIED in statuses:
            return status_result(Status.NOT_CERTIFIED, "not_certified")
        if Status.EXEMPT in statuses:
            return status_result(Status.EXEMPT, "exempt")
        return status_result(None, "no_marks")
    # Σ(mark·weight) and Σweight as integers over the weights' common denominator: one Fraction each.
    common = math.lcm(*(m.weight.denominator for m in used))
    num = den = 0
    for m in used:
        scaled = m.weight.numerator * (common // m.weight.denominator)
        num += scaled * m.value  # type: ignore[operator]
        den += scaled
    wsum, wtotal, mean = Fraction(num, common), Fraction(den, common), Fraction(num, den)
    threshold: Fraction | None
    if mean.denominator == 2 and rule.tie is not TiePolicy.RULE:
        lower = mean.numerator // 2
        upper = lower + 1
        if rule.tie is TiePolicy.STUDENT:
            grade, code, threshold = upper, "tie_student", mean
        else:
            last = used[-1].value
            assert isinstance(last, int)
            grade = upper if last >= upper else lower
            code, threshold = "tie_last_period", mean if grade == upper else Fraction(lower)
    else:
        grade, code, threshold = round_mean(mean, rule.rounding)
    mean_text, mean_exact = decimal_text(mean, policy.decimal_places)
    return ComputedMark(
        grade,
        Explanation(
            "annual",
            grade,
            code,
            used=tuple(used),
            excluded=tuple(excluded),
            weighted_sum=wsum,
            weight_total=wtotal,
            mean=mean,
            mean_text=mean_text,
            mean_exact=mean_exact,
            threshold=threshold,
            notes=tuple(notes),
            policy=label,
            detailed=explain,
        ),
        policy.content_hash,
    )


# ---------------------------------------------------------------------- journal layer: period


def _lessons_enrolled(student: Student, start: date, end: date, dates: Sequence[date]) -> int:
    """How many of a period's lesson ``dates`` (the period runs ``start``..``end``) fall in the student's enrolment."""
    if student.enrolled <= start and (student.left is None or student.left >= end):
        return len(dates)
    return sum(1 for d in dates if student.enrolled_on(d))


def _period_inputs(
    journal: ClassJournal, student_id: str, course_id: str, period_id: str
) -> tuple[list[_Item], Fraction, int, int, bool, PeriodKind]:
    student = journal.student(student_id)
    course = journal.course(course_id)
    period = journal.period(course_id, period_id)
    work_types = journal.work_types
    lessons = journal.lessons
    items: list[_Item] = [
        (m.value, work_types[m.work_type_id].weight, m.work_type_id, lessons[m.lesson_id].date, m.id)
        for m in journal.marks_of(student_id, course_id, period)
    ]
    # Marks brought on an arriving student's extract count like the marks given here.
    items += [
        (b.value, work_types[b.work_type_id].weight, b.work_type_id, b.date, b.id)
        for b in journal.brought_marks_of(student_id, course_id, period)
    ]
    total = _lessons_enrolled(
        student, period.start, period.end, [le.date for le in journal.lessons_of(course_id, period)]
    )
    missed = min(len(journal.absences_of(student_id, course_id, period)), total)
    existing = journal.result(student_id, course_id, ResultKind.PERIOD, period_id)
    exempt = existing is not None and existing.value is Status.EXEMPT
    return items, course.hours_per_week, total, missed, exempt, period.kind


def propose_period_mark(
    journal: ClassJournal,
    student_id: str,
    course_id: str,
    period_id: str,
    policy: GradingPolicy,
    *,
    explain: bool = True,
) -> ComputedMark:
    """Propose a student's period mark in a course from the journal's current marks.

    Weights come from ``journal.work_types``, the weekly hours from the course, the lessons of
    the period (those while the student was enrolled) from ``journal.lessons_of`` and the missed
    ones from ``journal.absences_of``; an "осв." period mark already in the journal gives "осв.".
    Raises :class:`NotFound` for an unknown student, course or period.
    """
    _check_policy(policy)
    items, hours, total, missed, exempt, kind = _period_inputs(journal, student_id, course_id, period_id)
    return _named(_period(items, policy, hours, total, missed, exempt, explain, kind), journal)


def propose_period_marks(
    journal: ClassJournal, policy: GradingPolicy, *, explain: bool = False
) -> dict[ResultKey, ComputedMark]:
    """Propose every period mark of a journal at once (every student × course × period of its scheme).

    Same results as calling :func:`propose_period_mark` for each cell, in one pass over the
    journal's marks and attendance; keys are the :class:`ResultKey` of the period-mark cells.
    Raises :class:`InvalidInput` only for a ``policy`` that is not a :class:`GradingPolicy`.
    """
    _check_policy(policy)
    from ejournal.core.grading.gradebook import Gradebook

    book = Gradebook.of(journal, policy)
    if explain:
        return book.explained_period_marks()
    return {key: cell.summary for key, cell in book.period_marks().items()}


def _work_type_names(journal: ClassJournal) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((wid, wt.name) for wid, wt in journal.work_types.items()))


def _named(
    computed: ComputedMark, journal: ClassJournal, names: tuple[tuple[str, str], ...] | None = None
) -> ComputedMark:
    """``computed`` whose explanation names the journal's work types (only when it lists marks)."""
    if not computed.explanation.detailed or not (computed.explanation.used or computed.explanation.excluded):
        return computed
    names = _work_type_names(journal) if names is None else names
    return evolve(computed, explanation=evolve(computed.explanation, work_type_names=names))


# ---------------------------------------------------------------------- journal layer: annual, final


def _annual_inputs(journal: ClassJournal, student_id: str, course_id: str) -> list[tuple[str, MarkValue | None]]:
    journal.student(student_id)
    scheme = journal.scheme_of(course_id)
    out: list[tuple[str, MarkValue | None]] = []
    for p in scheme.periods:
        r = journal.result(student_id, course_id, ResultKind.PERIOD, p.id)
        out.append((p.id, None if r is None else r.value))
    return out


def propose_annual_mark(journal: ClassJournal, student_id: str, course_id: str, policy: GradingPolicy) -> ComputedMark:
    """Propose the annual mark from the period marks set in ``journal.results`` (scheme order).

    Raises :class:`NotFound` for an unknown student or course.
    """
    _check_policy(policy)
    return compute_annual_mark(
        _annual_inputs(journal, student_id, course_id), policy, scale=journal.scale_of(course_id)
    )


def _final(
    value: MarkValue | None,
    code: str,
    policy: GradingPolicy,
    *,
    used: Iterable[GradedMark] = (),
    excluded: Iterable[Excluded] = (),
    notes: Iterable[Note] = (),
    mean: Fraction | None = None,
    threshold: Fraction | None = None,
) -> ComputedMark:
    used_t = tuple(used)
    wsum = wtotal = None
    mean_text, exact = "", True
    if mean is not None:
        wsum = sum((Fraction(m.value) for m in used_t if isinstance(m.value, int)), Fraction(0))
        wtotal = Fraction(len(used_t))
        mean_text, exact = decimal_text(mean, policy.decimal_places)
    return ComputedMark(
        value,
        Explanation(
            "final",
            value,
            code,
            used=used_t,
            excluded=tuple(excluded),
            weighted_sum=wsum,
            weight_total=wtotal,
            mean=mean,
            mean_text=mean_text,
            mean_exact=exact,
            threshold=threshold,
            notes=tuple(notes),
            policy=policy.label,
        ),
        policy.content_hash,
    )


_HALF_UP = Rounding(RoundingMethod.HALF_UP)


def _earlier_marks(values: object, scale: Scale) -> tuple[MarkValue, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise InvalidInput("earlier_results", "must be a sequence of marks", values)
    return tuple(scale.check(v, f"earlier_results[{i}]", result=True) for i, v in enumerate(values))


def _check_final_inputs(values: object, where: str, scale: Scale) -> tuple[MarkValue, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise InvalidInput(where, "must be a sequence of marks", values)
    for i, v in enumerate(values):
        _check_mark(v, scale, f"{where}[{i}]")
    return tuple(values)


def compute_final_mark_grade9(
    annual: MarkValue | None,
    exam: MarkValue | None,
    policy: GradingPolicy,
    *,
    examined: bool = True,
    scale: Scale | None = None,
) -> ComputedMark:
    """The grade-9 final (certificate) mark from values (the pure layer; Минпросвещения № 546).

    ``annual`` is the annual mark, ``exam`` the exam mark on the same scale (``None`` = not set);
    ``examined=False`` for a course without a state exam.  Returns:

    - ``None`` ("incomplete") without an annual mark; a missing mark is never a zero;
    - "н/а" when the annual or the exam mark is "н/а" (an academic debt is never averaged);
    - the annual mark as it is for a course without an exam, and any other status as it is;
    - ``None`` ("incomplete") for an examined course without a numeric exam mark;
    - else the mean of the annual and the exam mark rounded half up (4 and 3 → 4).

    Raises :class:`InvalidInput` naming ``annual`` or ``exam`` for a value that is neither a grade
    of ``scale`` (the policy's scale when ``None``) nor a status.
    """
    _check_policy(policy)
    marking = _scale(policy, scale)
    for where, v in (("annual", annual), ("exam", exam)):
        if v is not None:
            _check_mark(v, marking, where)
    if annual is None:
        return _final(None, "incomplete", policy, notes=[Note.of("no_annual")])
    annual_gm = GradedMark(annual, 1, "annual")
    if not examined:
        return _final(annual, "annual_as_is", policy, used=[annual_gm], notes=[Note.of("grade_9_no_exam")])
    if annual is Status.NOT_CERTIFIED or exam is Status.NOT_CERTIFIED:
        given = [annual_gm] + ([] if exam is None else [GradedMark(exam, 1, "exam")])
        return _final(
            Status.NOT_CERTIFIED,
            "not_certified",
            policy,
            used=[m for m in given if isinstance(m.value, int)],
            excluded=[Excluded(m, "status") for m in given if isinstance(m.value, Status)],
            notes=[Note.of("grade_9_exam"), Note.of("na_final")],
        )
    if isinstance(annual, Status):
        return _final(annual, "status_as_is", policy, used=[annual_gm], notes=[Note.of("grade_9_exam")])
    if exam is None:
        return _final(None, "incomplete", policy, used=[annual_gm], notes=[Note.of("grade_9_exam"), Note.of("no_exam")])
    exam_gm = GradedMark(exam, 1, "exam")
    if isinstance(exam, Status):
        return _final(
            None,
            "incomplete",
            policy,
            used=[annual_gm],
            excluded=[Excluded(exam_gm, "status")],
            notes=[Note.of("status_not_averaged", value=exam.value)],
        )
    mean = Fraction(annual + exam, 2)
    value, code, threshold = round_mean(mean, _HALF_UP)
    return _final(
        value,
        code,
        policy,
        used=[annual_gm, exam_gm],
        notes=[Note.of("grade_9_exam")],
        mean=mean,
        threshold=threshold,
    )


def compute_final_mark_grade11(
    grade10_marks: Sequence[MarkValue],
    grade11_marks: Sequence[MarkValue],
    policy: GradingPolicy,
    *,
    scale: Scale | None = None,
) -> ComputedMark:
    """The grade-11 final (certificate) mark from values (the pure layer; Минпросвещения № 546).

    ``grade10_marks`` and ``grade11_marks`` are the period and annual marks of each year, in any
    order (the result does not depend on it); marks not set are simply left out (never zeros).
    Returns:

    - ``None`` ("incomplete") when ``grade11_marks`` is empty;
    - "н/а" when any mark is "н/а" (an academic debt; the student is not admitted);
    - the mean of all numeric marks of both years rounded half up, other statuses skipped;
    - without a numeric mark: "осв." if a grade-11 mark is "осв.", else "незач." if any mark is
      "незач.", else "зач." if any is "зач.", else ``None``.

    Raises :class:`InvalidInput` naming ``grade10_marks[i]`` or ``grade11_marks[i]`` for a value
    that is neither a grade of ``scale`` (the policy's scale when ``None``) nor a status.
    """
    _check_policy(policy)
    marking = _scale(policy, scale)
    earlier = _check_final_inputs(grade10_marks, "grade10_marks", marking)
    current = _check_final_inputs(grade11_marks, "grade11_marks", marking)
    if not current:
        return _final(None, "incomplete", policy, notes=[Note.of("grade_11"), Note.of("no_annual")])
    entries = [GradedMark(v, 1, "grade_10", None, f"10:{i + 1}") for i, v in enumerate(earlier)]
    entries += [GradedMark(v, 1, "grade_11", None, f"11:{i + 1}") for i, v in enumerate(current)]
    used = [e for e in entries if isinstance(e.value, int)]
    excluded = [Excluded(e, "status") for e in entries if isinstance(e.value, Status)]
    values = {e.value for e in entries}
    if Status.NOT_CERTIFIED in values:
        return _final(
            Status.NOT_CERTIFIED,
            "not_certified",
            policy,
            used=used,
            excluded=excluded,
            notes=[Note.of("grade_11"), Note.of("na_final")],
        )
    if not used:
        carried: MarkValue | None = None
        if Status.EXEMPT in current:
            carried = Status.EXEMPT
        elif Status.FAIL in values:
            carried = Status.FAIL
        elif Status.PASS in values:
            carried = Status.PASS
        return _final(carried, "status_as_is", policy, excluded=excluded, notes=[Note.of("grade_11")])
    mean = Fraction(sum(e.value for e in used), len(used))  # type: ignore[misc]
    final, code, threshold = round_mean(mean, _HALF_UP)
    return _final(
        final,
        code,
        policy,
        used=used,
        excluded=excluded,
        notes=[Note.of("grade_11")],
        mean=mean,
        threshold=threshold,
    )


def exam_source(journal: ClassJournal, student_id: str, course_id: str, policy: GradingPolicy) -> str | None:
    """The course whose exam mark enters ``course_id``'s grade-9 final mark for the student, or
    ``None`` when no exam does (the final mark is then the annual mark).

    An examined course takes its own exam, when the student sits it (every student for a required
    exam, the students who chose it for an exam by choice, see
    :meth:`~ejournal.core.journal.ClassJournal.takes_exam`).  A course whose ``exam_of`` names an
    examined course takes that exam only where ``policy.exams.one_exam_into_several_courses`` is
    true (and the student sits it); otherwise one exam enters one course.  Raises
    :class:`NotFound` for an unknown course.
    """
    _check_policy(policy)
    course = journal.course(course_id)
    if course.examined:
        return course_id if journal.takes_exam(student_id, course_id) else None
    if course.exam_of is not None and policy.exams.one_exam_into_several_courses:
        return course.exam_of if journal.takes_exam(student_id, course.exam_of) else None
    return None


def _unmapped_note(journal: ClassJournal, course: Course) -> Note | None:
    if course.examined:
        return Note.of("exam_not_chosen")
    if course.exam_of is not None:
        return Note.of("exam_not_shared", course=course.exam_of)
    return None


def propose_final_mark(
    journal: ClassJournal,
    student_id: str,
    course_id: str,
    policy: GradingPolicy,
    *,
    earlier_results: Sequence[MarkValue] = (),
) -> ComputedMark:
    """Propose the final (certificate) mark by law (Минпросвещения № 546 of 05.10.2020).

    - Grade 9: :func:`compute_final_mark_grade9` of the annual mark and the exam mark of the
      course :func:`exam_source` names (the course's own exam where the student sits it, another
      course's exam only where the policy lets one exam enter several courses); without one, the
      annual mark.  An exam mark on another scale than the course's gives ``None`` (convert it
      first).
    - Grade 11: :func:`compute_final_mark_grade11` of ``earlier_results`` (the grade-10 marks,
      passed in, never fetched) and the grade-11 period and annual marks set in the journal; no
      annual mark gives ``None``, an "осв." annual stays "осв.", any "н/а" gives "н/а".
    - Other grades: no final mark (value ``None``).

    Raises :class:`NotFound` for an unknown student or course and :class:`InvalidInput` naming
    ``earlier_results[i]`` for an earlier mark that is not a grade or a result status of the
    course's scale (a grade-10 mark off the scale would otherwise enter the mean).
    """
    _check_policy(policy)
    journal.student(student_id)
    course = journal.course(course_id)
    scale = journal.scale_of(course_id)
    earlier_results = _earlier_marks(earlier_results, scale)
    grade = journal.class_group.grade
    annual_r = journal.result(student_id, course_id, ResultKind.ANNUAL)
    annual = None if annual_r is None else annual_r.value
    if grade == 9:
        source = exam_source(journal, student_id, course_id, policy)
        if source is None:
            computed = compute_final_mark_grade9(annual, None, policy, examined=False, scale=scale)
            why = _unmapped_note(journal, course)
            if why is None:
                return computed
            return evolve(computed, explanation=evolve(computed.explanation, notes=(*computed.explanation.notes, why)))
        exam_r = journal.result(student_id, source, ResultKind.EXAM)
        exam = None if exam_r is None else exam_r.value
        shared = [Note.of("exam_shared", course=source)] if source != course_id else []
        if isinstance(annual, int) and exam_r is not None and journal.exam_scale_of(source).id != course.scale_id:
            return _final(
                None,
                "incomplete",
                policy,
                used=[GradedMark(annual, 1, "annual")],
                excluded=[Excluded(GradedMark(exam_r.value, 1, "exam"), "other_scale")],
                notes=[*shared, Note.of("exam_other_scale", scale=journal.exam_scale_of(source).id)],
            )
        computed = compute_final_mark_grade9(annual, exam, policy, examined=True, scale=scale)
        if not shared:
            return computed
        return evolve(computed, explanation=evolve(computed.explanation, notes=(*shared, *computed.explanation.notes)))
    if grade == 11:
        if annual is None:
            return _final(None, "incomplete", policy, notes=[Note.of("grade_11"), Note.of("no_annual")])
        if annual is Status.EXEMPT:
            return _final(annual, "exempt", policy, used=[GradedMark(annual, 1, "annual")], notes=[Note.of("grade_11")])
        current: list[MarkValue] = []
        for p in journal.scheme_of(course_id).periods:
            r = journal.result(student_id, course_id, ResultKind.PERIOD, p.id)
            if r is not None:
                current.append(r.value)
        current.append(annual)
        return compute_final_mark_grade11(earlier_results, current, policy, scale=scale)
    return _final(None, "not_applicable", policy)


# ---------------------------------------------------------------------- promotion


def decide_promotion(journal: ClassJournal, student_id: str, policy: GradingPolicy) -> PromotionResult:
    """Propose the council's decision for a student from the year's results (273-ФЗ art. 58).

    For every course with marks (assessment other than NONE), in curriculum order, the annual
    mark set in the journal is used, else the proposal from the period marks.  A debt is a failing
    annual mark (below the scale's pass mark), "н/а" or "незач."; "осв." is never a debt; a course
    with no annual mark at all is a debt when ``policy.promotion.missing_annual`` says so.

    - Other grades: no debts → PROMOTED to grade + 1; debts → PROMOTED_CONDITIONALLY.
    - Graduating grades (``policy.promotion.graduating_grades``): debts → NOT_ADMITTED_TO_EXAM;
      no debts and every course has a final mark → GRADUATED, or GRADUATED_WITH_HONOURS when the
      honours policy is ``all_fives`` and every numeric final mark is 5 ("осв.", "зач." and
      courses without a final mark do not block it); a failing final mark → ADMITTED_TO_EXAM with
      the course listed as a debt; otherwise ADMITTED_TO_EXAM.

    Raises :class:`NotFound` for an unknown student.
    """
    _check_policy(policy)
    journal.student(student_id)
    rule = policy.promotion
    grade = journal.class_group.grade
    debts: list[str] = []
    notes: list[Note] = []
    assessed = [
        c for c in journal.courses_in_order() if journal.subjects[c.subject_id].assessment is not AssessmentKind.NONE
    ]
    for course in assessed:
        scale = journal.scales[course.scale_id]
        r = journal.result(student_id, course.id, ResultKind.ANNUAL)
        value: MarkValue | None
        if r is not None:
            value = r.value
        else:
            value = propose_annual_mark(journal, student_id, course.id, policy).value
            if value is not None:
                notes.append(Note.of("proposed_annual", course=course.id, value=value))
        if value is None:
            notes.append(Note.of("missing_annual", course=course.id))
            if rule.missing_annual is MissingAnnual.DEBT:
                debts.append(course.id)
            continue
        if value is Status.EXEMPT:
            notes.append(Note.of("exempt_not_debt", course=course.id))
            continue
        if scale.is_passing(value) is False:
            debts.append(course.id)
            notes.append(Note.of("debt", course=course.id, value=format_value(value)))
    to_grade: int | None = None
    if grade in rule.graduating_grades:
        if debts:
            kind = DecisionKind.NOT_ADMITTED_TO_EXAM
        else:
            kind, failing = _graduation(journal, student_id, [c.id for c in assessed], policy, notes)
            debts.extend(failing)
    else:
        to_grade = grade + 1
        kind = DecisionKind.PROMOTED_CONDITIONALLY if debts else DecisionKind.PROMOTED
        notes.append(Note.of("to_grade", grade=to_grade))
    if not debts:
        notes.insert(0, Note.of("no_debts"))
    notes.insert(0, Note.of("decision", kind=kind.value))
    explanation = Explanation("promotion", None, "", notes=tuple(notes), policy=policy.label)
    return PromotionResult(kind, tuple(debts), explanation, to_grade)


def _graduation(
    journal: ClassJournal, student_id: str, assessed: Sequence[str], policy: GradingPolicy, notes: list[Note]
) -> tuple[DecisionKind, list[str]]:
    finals: list[tuple[str, MarkValue]] = []
    missing = False
    for cid in assessed:
        r = journal.result(student_id, cid, ResultKind.FINAL)
        if r is None:
            missing = True
        else:
            finals.append((cid, r.value))
    if missing or not finals:
        notes.append(Note.of("finals_missing"))
        return DecisionKind.ADMITTED_TO_EXAM, []
    failing = [cid for cid, v in finals if journal.scale_of(cid).is_passing(v) is False]
    if failing:
        for cid in failing:
            notes.append(Note.of("final_failing", course=cid))
        return DecisionKind.ADMITTED_TO_EXAM, failing
    if policy.promotion.honours is Honours.NONE:
        notes.append(Note.of("honours_policy_off"))
        return DecisionKind.GRADUATED, []
    numeric = [v for _, v in finals if isinstance(v, int)]
    if numeric and all(v == 5 for v in numeric):
        notes.append(Note.of("honours"))
        return DecisionKind.GRADUATED_WITH_HONOURS, []
    return DecisionKind.GRADUATED, []


# ---------------------------------------------------------------------- what-if


def find_fewest_marks(
    marks: Sequence[GradedMark],
    policy: GradingPolicy,
    *,
    target: int,
    grades: Sequence[int],
    options: Sequence[tuple[str, Fraction]],
    hours_per_week: Fraction | int,
    lessons_total: int,
    lessons_missed: int,
    max_marks: int = 20,
    after: date | None = None,
    locale: str = "ru",
    period_kind: PeriodKind | None = None,
    scale: Scale | None = None,
) -> WhatIf:
    """The fewest further marks that make the proposed period mark at least ``target`` (pure layer).

    ``grades`` are the values a mark may take (the scale's grades); ``options`` the work types a
    new mark may be of, as (id, weight), zero weights ignored; new marks are dated ``after`` (the
    latest of the marks when ``None``), so they are the most recent.  The search goes by count:
    k = 0, 1, ... ``max_marks``; the first k for which some choice reaches the target is returned,
    so no smaller set exists.  For every aggregation but ``mode`` the best choice of k marks is k
    of the highest grade of the heaviest work type (the result never decreases when a mark is
    raised or weighs more), so one candidate per k decides; for ``mode`` every multiset of k
    grades is tried.  The answer is then softened: each mark is lowered as far as the target stays
    reached.  ``period_kind`` and ``scale`` are as for :func:`compute_period_mark`.  Raises
    :class:`InvalidInput` for a target outside ``grades``, ``grades`` not of ``scale`` (naming
    ``grades[i]``), a mark off the scale (naming ``marks[i]``), a negative ``max_marks``, and for
    float, bool or negative ``hours_per_week``, ``lessons_total`` or ``lessons_missed``.
    """
    _check_policy(policy)
    marking = _scale(policy, scale)
    _check_graded(marks, marking)
    for i, g in enumerate(grades):
        if isinstance(g, Status):
            raise InvalidInput(f"grades[{i}]", "must be a whole grade, not a status", g)
        _check_mark(g, marking, f"grades[{i}]")
    hours = _check_hours(hours_per_week)
    lessons_total = _check_count(lessons_total, "lessons_total")
    lessons_missed = _check_count(lessons_missed, "lessons_missed")
    if lessons_missed > lessons_total:
        raise InvalidInput("lessons_missed", f"must be between 0 and lessons_total ({lessons_total})", lessons_missed)
    kind = _check_kind(period_kind)
    if target not in grades:
        raise InvalidInput("target", f"must be one of the scale's grades ({', '.join(map(str, grades))})", target)
    if isinstance(max_marks, bool) or not isinstance(max_marks, int) or max_marks < 0:
        raise InvalidInput("max_marks", "must be a whole number ≥ 0", max_marks)
    base = [_to_item(m) for m in marks]
    day = after
    if day is None:
        days = [m.day for m in marks if m.day is not None]
        day = max(days) if days else None
    usable = [(wt, w) for wt, w in options if w > 0]

    def evaluate(extra: Sequence[tuple[int, str, Fraction]]) -> ComputedMark:
        items = base + [(v, w, wt, day, f"what-if-{i + 1}") for i, (v, wt, w) in enumerate(extra)]
        return _period(items, policy, hours, lessons_total, lessons_missed, False, True, kind)

    def reached(cm: ComputedMark) -> bool:
        return isinstance(cm.value, int) and cm.value >= target

    current = evaluate([])
    notes: list[Note] = []
    label = policy.label
    if reached(current):
        notes.append(Note.of("what_if_none"))
        details = Explanation("what_if", target, "reachable", notes=tuple(notes), policy=label)
        return WhatIf(True, (), current, details.render(locale), details)
    found: list[tuple[int, str, Fraction]] | None = None
    limited = False
    if usable:
        top = max(grades)
        heavy_wt, heavy_w = max(usable, key=lambda o: (o[1], [-ord(c) for c in o[0]]))
        if policy.period.aggregation is AggregationMethod.MODE:
            evaluations = 0
            for k in range(1, max_marks + 1):
                for combo in itertools.combinations_with_replacement(sorted(grades, reverse=True), k):
                    evaluations += 1
                    if evaluations > _MODE_SEARCH_BUDGET:
                        limited = True
                        break
                    extra = [(v, heavy_wt, heavy_w) for v in combo]
                    if reached(evaluate(extra)):
                        found = extra
                        break
                if found is not None or limited:
                    break
        else:
            for k in range(1, max_marks + 1):
                extra = [(top, heavy_wt, heavy_w)] * k
                if reached(evaluate(extra)):
                    found = extra
                    break
            if found is not None:
                found = _soften(found, sorted(grades), evaluate, reached)
    if found is None:
        rule = policy.period
        if (
            rule.cap_at_most is not None
            and rule.cap_to is not None
            and target > rule.cap_to
            and any(isinstance(m.value, int) and m.weight > 0 and m.value <= rule.cap_at_most for m in marks)
        ):
            notes.append(Note.of("what_if_capped", low=rule.cap_at_most, cap=rule.cap_to))
        notes.append(Note.of("what_if_limit", max=max_marks))
        if limited:
            notes.append(Note.of("search_limited", budget=_MODE_SEARCH_BUDGET))
        details = Explanation("what_if", None, "unreachable", notes=tuple(notes), policy=label)
        return WhatIf(False, (), None, details.render(locale), details)
    result = evaluate(found)
    pairs = tuple((v, wt) for v, wt, _ in found)
    text = ", ".join(f"{v} ({wt})" for v, wt in pairs)
    notes.append(Note.of("what_if_marks", count=len(pairs), marks=text))
    notes.append(Note.of("fewest", fewer=len(pairs) - 1, target=target))
    details = Explanation("what_if", result.value, "reachable", notes=tuple(notes), policy=label)
    return WhatIf(True, pairs, result, details.render(locale), details)


def _soften(
    found: list[tuple[int, str, Fraction]],
    grades: Sequence[int],
    evaluate: Callable[[Sequence[tuple[int, str, Fraction]]], ComputedMark],
    reached: Callable[[ComputedMark], bool],
) -> list[tuple[int, str, Fraction]]:
    """Lower each new mark as far as the target stays reached (same count, friendlier marks)."""
    out = list(found)
    for i in range(len(out)):
        v, wt, w = out[i]
        for g in grades:
            if g >= v:
                break
            trial = [*out[:i], (g, wt, w), *out[i + 1 :]]
            if reached(evaluate(trial)):
                out[i] = (g, wt, w)
                break
    tidy = sorted(out, key=lambda e: (-e[0], e[1]))
    return tidy if tidy == out or reached(evaluate(tidy)) else out


def what_if(
    journal: ClassJournal,
    student_id: str,
    course_id: str,
    period_id: str,
    target: int,
    policy: GradingPolicy,
    *,
    work_type_ids: Sequence[str] | None = None,
    max_marks: int = 20,
    locale: str = "ru",
) -> WhatIf:
    """The fewest further marks the student needs for a period mark of at least ``target``.

    New marks may be of ``work_type_ids`` (default: every work type with a positive weight) and
    any grade of the course's scale; they count as the most recent marks of the period; the
    period's lessons and absences are taken as they are.  Returns a :class:`WhatIf`; "not
    reachable" when no set of up to ``max_marks`` marks reaches it (for example a 2 in the period
    under a "no 5 with a 2" policy).  Raises :class:`NotFound` for an unknown student, course,
    period or work type and :class:`InvalidInput` for a target not on the course's scale.
    """
    _check_policy(policy)
    items, hours, total, missed, exempt, kind = _period_inputs(journal, student_id, course_id, period_id)
    scale = journal.scale_of(course_id)
    if not scale.is_numeric:
        raise InvalidInput("target", f"course {course_id!r} is on a pass/fail scale", target)
    if work_type_ids is None:
        ids = sorted(wt for wt, t in journal.work_types.items() if t.weight > 0)
    else:
        ids = list(work_type_ids)
        for wt in ids:
            if wt not in journal.work_types:
                raise NotFound("work type", wt, f"class {journal.class_group.label}")
    options = [(wt, journal.work_types[wt].weight) for wt in ids]
    period = journal.period(course_id, period_id)
    marks = [GradedMark(*it) for it in items]
    if exempt:
        if target not in scale.values:
            raise InvalidInput(
                "target", f"must be one of the scale's grades ({', '.join(map(str, scale.values))})", target
            )
        details = Explanation(
            "what_if", Status.EXEMPT, "exempt", notes=(Note.of("exempt_in_journal"),), policy=policy.label
        )
        return WhatIf(False, (), None, details.render(locale), details)
    return find_fewest_marks(
        marks,
        policy,
        target=target,
        grades=scale.values,
        options=options,
        hours_per_week=hours,
        lessons_total=total,
        lessons_missed=missed,
        max_marks=max_marks,
        after=period.end,
        locale=locale,
        period_kind=kind,
        scale=scale,
    )

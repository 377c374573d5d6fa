"""EJ2xx (certification and period marks) and EJ3xx (annual, exam and final marks)."""

from __future__ import annotations

from collections.abc import Iterator

from ejournal.core.calendar import Period
from ejournal.core.errors import EjournalError, InvalidInput
from ejournal.core.exam_scores import convert_primary_score
from ejournal.core.journal import DecisionKind, Mark, ResultKind, ResultMark
from ejournal.core.model import Course, Student
from ejournal.core.scales import MarkValue, Status
from ejournal.core.validation.context import ValidationContext
from ejournal.core.validation.findings import Explains, Issue, ParamValue, Severity, Term
from ejournal.core.validation.registry import Rule, rule

__all__ = ["RESULT_RULES", "counted_marks"]

_NO_CERTIFICATE = frozenset(
    {
        DecisionKind.NOT_ADMITTED_TO_EXAM,
        DecisionKind.REPEAT_YEAR,
        DecisionKind.ADAPTED_PROGRAMME,
        DecisionKind.INDIVIDUAL_PLAN,
        DecisionKind.LEFT,
    }
)


def counted_marks(ctx: ValidationContext, marks: list[Mark]) -> int:
    """How many of ``marks`` count toward certification, as the grading rules count them.

    Grades of a work type with a positive weight; when there are none, the зач./незач. marks.
    """
    weighted = ctx.weighted_work_types
    grades = sum(1 for m in marks if m.work_type_id in weighted and isinstance(m.value, int))
    if grades:
        return grades
    return sum(1 for m in marks if m.value in (Status.PASS, Status.FAIL))


def _issue(
    ctx: ValidationContext,
    student_id: str,
    course_id: str,
    key: str,
    period: Period | None = None,
    *,
    explanation: Explains | None = None,
    **params: ParamValue,
) -> Issue:
    base: dict[str, ParamValue] = {"student": ctx.student_name(student_id), "subject": ctx.subject_name(course_id)}
    if period is not None:
        base["period"] = period.name or period.id
    base.update(params)
    return Issue(
        key,
        base,
        student_id=student_id,
        course_id=course_id,
        period_id=period.id if period else "",
        explanation=explanation,
    )


def _cells(ctx: ValidationContext) -> Iterator[tuple[Student, Course, Period]]:
    """Every (student, graded course, period) where the student is in the class at the period's end."""
    for course in ctx.courses:
        if not ctx.graded(course.id):
            continue
        periods = ctx.periods(course.id)
        for s in ctx.students:
            for p in periods:
                if s.enrolled_on(p.end):
                    yield s, course, p


def _required(ctx: ValidationContext, course: Course, period: Period) -> int:
    return ctx.policy.period.required_marks(course.hours_per_week, period.kind)


def _proposal(ctx: ValidationContext, student_id: str, course_id: str, period_id: str) -> MarkValue | None:
    try:
        return ctx.proposed_period(student_id, course_id, period_id).value
    except EjournalError:
        return None


@rule(
    "EJ201",
    Severity.WARNING,
    "A student has fewer marks than the certification minimum in an open period that has begun.",
)
def too_few_marks_open(ctx: ValidationContext) -> Iterator[Issue]:
    for s, course, p in _cells(ctx):
        if ctx.journal.is_closed(p.id) or p.start > ctx.as_of or (s.id, course.id) in ctx.exempt:
            continue
        required = _required(ctx, course, p)
        if required <= 0:
            continue
        r = ctx.result(s.id, course.id, ResultKind.PERIOD, p.id)
        if r is not None and isinstance(r.value, Status) and r.value in (Status.NOT_CERTIFIED, Status.EXEMPT):
            continue
        count = counted_marks(ctx, ctx.marks_by_period.get((s.id, course.id, p.id), []))
        if count < required:
            yield _issue(ctx, s.id, course.id, "too_few_marks_open", p, count=count, minimum=required)


@rule(
    "EJ202",
    Severity.ERROR,
    "A closed period has a numeric period mark although, by the policy, too few marks leave the student uncertified.",
)
def too_few_marks_closed(ctx: ValidationContext) -> Iterator[Issue]:
    for s, course, p in _cells(ctx):
        if not ctx.journal.is_closed(p.id):
            continue
        r = ctx.result(s.id, course.id, ResultKind.PERIOD, p.id)
        if r is None or isinstance(r.value, Status):
            continue
        required = _required(ctx, course, p)
        count = counted_marks(ctx, ctx.marks_by_period.get((s.id, course.id, p.id), []))
        if count < required and _proposal(ctx, s.id, course.id, p.id) is Status.NOT_CERTIFIED:
            yield _issue(ctx, s.id, course.id, "too_few_marks_closed", p, count=count, minimum=required, value=r.value)


@rule(
    "EJ203", Severity.ERROR, "A closed period has no period mark for a student (not exempt, in the class at its end)."
)
def period_mark_missing(ctx: ValidationContext) -> Iterator[Issue]:
    for s, course, p in _cells(ctx):
        if not ctx.journal.is_closed(p.id) or (s.id, course.id) in ctx.exempt:
            continue
        if ctx.result(s.id, course.id, ResultKind.PERIOD, p.id) is None:
            yield _issue(ctx, s.id, course.id, "period_mark_missing", p)


def _difference(a: MarkValue, b: MarkValue) -> int | None:
    if isinstance(a, int) and isinstance(b, int):
        return abs(a - b)
    return None


def _period_marks(ctx: ValidationContext) -> Iterator[tuple[ResultMark, Period]]:
    for r in ctx.results:
        if r.kind is ResultKind.PERIOD:
            p = ctx.period_by_id.get(r.period_id)
            if p is not None:
                yield r, p


def _compare(
    ctx: ValidationContext, value: MarkValue, proposed: MarkValue | None, want_error: bool
) -> tuple[str, dict[str, ParamValue]] | None:
    """How a set mark compares with its proposal, for the warning or the error rule of the pair.

    A difference above the policy's allowed deviation is the error (``"deviates"``), any other
    the warning (``"differs"``); ``want_error`` picks which of the two the calling rule reports.
    Returns (that word, the message parameters), or ``None`` when this rule has nothing to say.
    """
    if proposed is None or proposed == value:
        return None
    allowed = ctx.policy.allowed_deviation
    diff = _difference(value, proposed)
    is_error = allowed is not None and diff is not None and diff > allowed
    if is_error != want_error:
        return None
    params: dict[str, ParamValue] = {"value": value, "proposed": proposed}
    if allowed is not None and diff is not None and is_error:
        params.update(difference=diff, allowed=allowed)
    return ("deviates" if is_error else "differs"), params


def _compare_period(ctx: ValidationContext, want_error: bool) -> Iterator[Issue]:
    for r, p in _period_marks(ctx):
        if r.value is Status.EXEMPT or not ctx.graded(r.course_id):
            continue
        try:
            proposal = ctx.proposed_period(r.student_id, r.course_id, p.id)
        except EjournalError:
            continue
        found = _compare(ctx, r.value, proposal.value, want_error)
        if found is not None:
            explained = ctx.explained_period(r.student_id, r.course_id, p.id)
            yield _issue(
                ctx,
                r.student_id,
                r.course_id,
                f"period_mark_{found[0]}",
                p,
                explanation=explained.explanation,
                **found[1],
            )


@rule("EJ204", Severity.WARNING, "A period mark differs from the one the grading policy proposes.")
def period_mark_differs(ctx: ValidationContext) -> Iterator[Issue]:
    return _compare_period(ctx, want_error=False)


@rule(
    "EJ205",
    Severity.ERROR,
    "A period mark differs from the proposed one by more than the policy's allowed deviation.",
)
def period_mark_deviates(ctx: ValidationContext) -> Iterator[Issue]:
    return _compare_period(ctx, want_error=True)


@rule("EJ206", Severity.WARNING, "A period mark is set for a student who was not enrolled during the period.")
def result_not_enrolled(ctx: ValidationContext) -> Iterator[Issue]:
    students = ctx.journal.students
    for r, p in _period_marks(ctx):
        if not ctx.enrolled_during(students[r.student_id], p):
            yield _issue(ctx, r.student_id, r.course_id, "result_not_enrolled", p)


@rule("EJ207", Severity.ERROR, "A period, annual, exam or final mark is not on its course's scale.")
def result_off_scale(ctx: ValidationContext) -> Iterator[Issue]:
    j = ctx.journal
    for r in ctx.results:
        scale = j.exam_scale_of(r.course_id) if r.kind is ResultKind.EXAM else ctx.scale(r.course_id)
        if not scale.allows(r.value, result=True):
            period = ctx.period_by_id.get(r.period_id) if r.period_id else None
            yield _issue(
                ctx,
                r.student_id,
                r.course_id,
                "result_off_scale",
                period,
                kind=Term(f"result.{r.kind.value}"),
                value=r.value,
                scale=scale.name,
            )


@rule("EJ208", Severity.INFO, "A period mark was set before its period ended.")
def period_mark_early(ctx: ValidationContext) -> Iterator[Issue]:
    for r, p in _period_marks(ctx):
        set_on = r.set_at.date()
        if r.value is not Status.EXEMPT and set_on < p.end:
            yield _issue(ctx, r.student_id, r.course_id, "period_mark_early", p, set_on=set_on, end=p.end)


# ---------------------------------------------------------------------- EJ3xx


def _results(ctx: ValidationContext, kind: ResultKind) -> Iterator[ResultMark]:
    for r in ctx.results:
        if r.kind is kind:
            yield r


def _compare_annual(ctx: ValidationContext, want_error: bool) -> Iterator[Issue]:
    for r in _results(ctx, ResultKind.ANNUAL):
        if r.value is Status.EXEMPT or not ctx.graded(r.course_id):
            continue
        try:
            proposal = ctx.proposed_annual(r.student_id, r.course_id)
        except EjournalError:
            continue
        found = _compare(ctx, r.value, proposal.value, want_error)
        if found is not None:
            yield _issue(
                ctx,
                r.student_id,
                r.course_id,
                f"annual_mark_{found[0]}",
                None,
                explanation=proposal.explanation,
                **found[1],
            )


@rule("EJ301", Severity.WARNING, "An annual mark is inconsistent with the period marks (differs from the proposal).")
def annual_mark_differs(ctx: ValidationContext) -> Iterator[Issue]:
    return _compare_annual(ctx, want_error=False)


@rule(
    "EJ302",
    Severity.ERROR,
    "An annual mark differs from the one proposed from the period marks by more than the allowed deviation.",
)
def annual_mark_deviates(ctx: ValidationContext) -> Iterator[Issue]:
    return _compare_annual(ctx, want_error=True)


def _year_end_cells(ctx: ValidationContext) -> Iterator[tuple[Student, Course]]:
    """(student still in the class at the year's end, graded course), when the year is closed."""
    if not ctx.year_closed:
        return
    for course in ctx.courses:
        if not ctx.graded(course.id):
            continue
        for s in ctx.students:
            if ctx.enrolled_at_year_end(s) and (s.id, course.id) not in ctx.exempt:
                yield s, course


@rule("EJ303", Severity.ERROR, "The year is closed and a student has no annual mark in a course.")
def annual_mark_missing(ctx: ValidationContext) -> Iterator[Issue]:
    for s, course in _year_end_cells(ctx):
        if ctx.result(s.id, course.id, ResultKind.ANNUAL) is None:
            yield _issue(ctx, s.id, course.id, "annual_mark_missing")


@rule("EJ304", Severity.ERROR, "A final (certificate) mark breaks the law's rule for its grade.")
def final_mark_wrong(ctx: ValidationContext) -> Iterator[Issue]:
    if not ctx.graduating:
        return
    for r in _results(ctx, ResultKind.FINAL):
        if r.value is Status.EXEMPT:
            continue
        earlier = ctx.earlier(r.student_id, r.course_id)
        if ctx.grade == 11 and earlier is None:
            continue
        try:
            proposal = ctx.proposed_final(r.student_id, r.course_id, earlier or ())
        except InvalidInput as e:
            where = f"earlier_results[{r.student_id!r}][{r.course_id!r}]"
            raise InvalidInput(where, f"cannot check the final mark: {e.reason}", e.value) from e
        if proposal.value is None or proposal.value == r.value:
            continue
        yield _issue(
            ctx,
            r.student_id,
            r.course_id,
            "final_mark_wrong",
            explanation=proposal.explanation,
            value=r.value,
            expected=proposal.value,
        )


def _certificate_expected(ctx: ValidationContext, student_id: str) -> bool:
    d = ctx.journal.decision_in_force(student_id)
    return d is None or d.kind not in _NO_CERTIFICATE


@rule("EJ305", Severity.ERROR, "A graduating class's year is closed and a student has no final mark in a course.")
def final_mark_missing(ctx: ValidationContext) -> Iterator[Issue]:
    if not ctx.graduating:
        return
    for s, course in _year_end_cells(ctx):
        if _certificate_expected(ctx, s.id) and ctx.result(s.id, course.id, ResultKind.FINAL) is None:
            yield _issue(ctx, s.id, course.id, "final_mark_missing")


@rule(
    "EJ306",
    Severity.ERROR,
    "In a graduating class a student has no exam mark in an examined subject (once the annual mark is in).",
)
def exam_mark_missing(ctx: ValidationContext) -> Iterator[Issue]:
    if not ctx.graduating:
        return
    for course in ctx.courses:
        if not course.examined or course.exam_by_choice or not ctx.graded(course.id):
            continue  # an exam chosen per student: EJ321
        for s in ctx.students:
            if (s.id, course.id) in ctx.exempt or not _certificate_expected(ctx, s.id):
                continue
            annual = ctx.result(s.id, course.id, ResultKind.ANNUAL)
            due = annual is not None or (ctx.year_closed and ctx.enrolled_at_year_end(s))
            if due and ctx.result(s.id, course.id, ResultKind.EXAM) is None:
                yield _issue(ctx, s.id, course.id, "exam_mark_missing")


@rule("EJ307", Severity.ERROR, "An exam mark is set in a course that has no exam.")
def exam_mark_not_examined(ctx: ValidationContext) -> Iterator[Issue]:
    for r in _results(ctx, ResultKind.EXAM):
        if not ctx.journal.courses[r.course_id].examined:
            yield _issue(ctx, r.student_id, r.course_id, "exam_mark_not_examined", value=r.value)


@rule("EJ308", Severity.WARNING, "A final mark is set in a class that is not a graduating one.")
def final_mark_not_graduating(ctx: ValidationContext) -> Iterator[Issue]:
    if ctx.graduating:
        return
    for r in _results(ctx, ResultKind.FINAL):
        yield _issue(ctx, r.student_id, r.course_id, "final_mark_not_graduating", grade=ctx.grade)


CHOSEN_EXAMS_GRADE_9 = 2
"""How many exams a grade-9 student chooses beside Russian and mathematics (Порядок ГИА-9,
приказ Минпросвещения и Рособрнадзора № 232/551 of 04.04.2023, п. 12)."""


@rule(
    "EJ320",
    Severity.ERROR,
    "A grade-9 student has not chosen exactly two exams beside the required ones.",
)
def exam_choice_count(ctx: ValidationContext) -> Iterator[Issue]:
    if ctx.grade != 9 or not any(c.exam_by_choice for c in ctx.courses):
        return
    for s in ctx.students:
        if not _certificate_expected(ctx, s.id) or not ctx.enrolled_at_year_end(s):
            continue
        choice = ctx.journal.exam_choices.get(s.id)
        count = 0 if choice is None else len(choice.course_ids)
        if count != CHOSEN_EXAMS_GRADE_9:
            yield Issue(
                "exam_choice_count",
                {"student": ctx.student_name(s.id), "count": count, "required": CHOSEN_EXAMS_GRADE_9},
                student_id=s.id,
            )


@rule(
    "EJ321",
    Severity.ERROR,
    "A student has no exam mark in an exam they chose (once the annual mark is in).",
)
def chosen_exam_mark_missing(ctx: ValidationContext) -> Iterator[Issue]:
    if not ctx.graduating:
        return
    for course in ctx.courses:
        if not course.exam_by_choice or not ctx.graded(course.id):
            continue
        for s in ctx.students:
            if not ctx.journal.takes_exam(s.id, course.id) or (s.id, course.id) in ctx.exempt:
                continue
            if not _certificate_expected(ctx, s.id):
                continue
            annual = ctx.result(s.id, course.id, ResultKind.ANNUAL)
            due = annual is not None or (ctx.year_closed and ctx.enrolled_at_year_end(s))
            if due and ctx.result(s.id, course.id, ResultKind.EXAM) is None:
                yield _issue(ctx, s.id, course.id, "chosen_exam_mark_missing")


@rule("EJ322", Severity.ERROR, "An exam mark is set in an exam the student did not choose.")
def exam_mark_not_chosen(ctx: ValidationContext) -> Iterator[Issue]:
    for r in _results(ctx, ResultKind.EXAM):
        course = ctx.journal.courses[r.course_id]
        if course.exam_by_choice and not ctx.journal.takes_exam(r.student_id, r.course_id):
            yield _issue(ctx, r.student_id, r.course_id, "exam_mark_not_chosen", value=r.value)


@rule(
    "EJ323",
    Severity.ERROR,
    "An exam mark disagrees with the policy's conversion table for its primary score.",
)
def exam_score_mismatch(ctx: ValidationContext) -> Iterator[Issue]:
    tables = {c.subject_id: c for c in ctx.policy.exams.conversions}
    for r in _results(ctx, ResultKind.EXAM):
        if r.primary_score is None:
            continue
        table = tables.get(ctx.journal.courses[r.course_id].subject_id)
        if table is None:
            continue
        try:
            expected: ParamValue = convert_primary_score(r.primary_score, table)
        except InvalidInput:
            expected = f"0…{table.max_score}"
        if expected != r.value:
            yield _issue(
                ctx,
                r.student_id,
                r.course_id,
                "exam_score_mismatch",
                value=r.value,
                score=r.primary_score,
                expected=expected,
            )


RESULT_RULES: tuple[Rule, ...] = (
    too_few_marks_open,
    too_few_marks_closed,
    period_mark_missing,
    period_mark_differs,
    period_mark_deviates,
    result_not_enrolled,
    result_off_scale,
    period_mark_early,
    annual_mark_differs,
    annual_mark_deviates,
    annual_mark_missing,
    final_mark_wrong,
    final_mark_missing,
    exam_mark_missing,
    exam_mark_not_examined,
    final_mark_not_graduating,
    exam_choice_count,
    chosen_exam_mark_missing,
    exam_mark_not_chosen,
    exam_score_mismatch,
)

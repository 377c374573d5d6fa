"""EJ4xx: decisions of the pedagogical council against the marks."""

from __future__ import annotations

from collections.abc import Iterator

from ejournal.core.journal import Decision, DecisionKind, ResultKind, admission_test_kind, decision_order
from ejournal.core.validation.context import ValidationContext
from ejournal.core.validation.findings import Issue, ParamValue, Severity, Term
from ejournal.core.validation.registry import Rule, rule

__all__ = ["DECISION_RULES"]

_GRADUATIONS = (DecisionKind.GRADUATED, DecisionKind.GRADUATED_WITH_HONOURS)
_OTHER_PROGRAMME = (DecisionKind.REPEAT_YEAR, DecisionKind.ADAPTED_PROGRAMME, DecisionKind.INDIVIDUAL_PLAN)


def _decisions(ctx: ValidationContext) -> Iterator[Decision]:
    """The decision in force of each student (the latest by council order), by student id."""
    in_force = ctx.journal.decisions_in_force()
    for sid in sorted(in_force):
        yield in_force[sid]


def _all_decisions(ctx: ValidationContext) -> Iterator[Decision]:
    """Every decision, by student id then council order (the superseded ones too)."""
    yield from sorted(ctx.journal.decisions.values(), key=lambda d: (d.student_id, decision_order(d)))


def _issue(ctx: ValidationContext, d: Decision, key: str, course_id: str = "", **params: ParamValue) -> Issue:
    base: dict[str, ParamValue] = {
        "student": ctx.student_name(d.student_id),
        "decision": Term(f"decision.{d.kind.value}"),
    }
    base.update(params)
    return Issue(key, base, student_id=d.student_id, course_id=course_id, date=d.council_date)


def _subjects(ctx: ValidationContext, course_ids: list[str]) -> str:
    return ", ".join(ctx.subject_name(c) for c in course_ids)


def _graduation_failures(ctx: ValidationContext, student_id: str) -> list[str]:
    out = []
    for course in ctx.journal.courses_in_order():
        for kind in (ResultKind.ANNUAL, ResultKind.FINAL):
            r = ctx.result(student_id, course.id, kind)
            if r is not None and ctx.is_failing(course.id, r.value):
                out.append(course.id)
                break
    return out


@rule("EJ401", Severity.ERROR, "A student is promoted (unconditionally) despite a failing annual mark.")
def promoted_with_debt(ctx: ValidationContext) -> Iterator[Issue]:
    for d in _decisions(ctx):
        if d.kind is DecisionKind.PROMOTED:
            debts = ctx.debts(d.student_id)
            if debts:
                yield _issue(ctx, d, "promoted_with_debt", subjects=_subjects(ctx, debts))


@rule("EJ402", Severity.ERROR, "A student graduates despite a failing annual or final mark.")
def graduated_with_debt(ctx: ValidationContext) -> Iterator[Issue]:
    for d in _decisions(ctx):
        if d.kind in _GRADUATIONS:
            failures = _graduation_failures(ctx, d.student_id)
            if failures:
                yield _issue(ctx, d, "graduated_with_debt", subjects=_subjects(ctx, failures))


@rule("EJ403", Severity.ERROR, "A student is promoted conditionally without any academic debt.")
def conditional_without_debt(ctx: ValidationContext) -> Iterator[Issue]:
    for d in _decisions(ctx):
        if d.kind is DecisionKind.PROMOTED_CONDITIONALLY and not ctx.debts(d.student_id):
            yield _issue(ctx, d, "conditional_without_debt")


@rule("EJ404", Severity.ERROR, "The year is closed and a student still in the class has no council decision.")
def decision_missing(ctx: ValidationContext) -> Iterator[Issue]:
    if not ctx.year_closed:
        return
    for s in ctx.students:
        if ctx.journal.decision_in_force(s.id) is None and ctx.enrolled_at_year_end(s):
            yield Issue("decision_missing", {"student": s.name.short}, student_id=s.id)


@rule("EJ405", Severity.WARNING, "A promotion names a grade other than the next one.")
def promoted_wrong_grade(ctx: ValidationContext) -> Iterator[Issue]:
    grade = ctx.grade
    for d in _decisions(ctx):
        if (
            d.kind in (DecisionKind.PROMOTED, DecisionKind.PROMOTED_CONDITIONALLY)
            and d.to_grade is not None
            and d.to_grade != grade + 1
        ):
            yield _issue(ctx, d, "promoted_wrong_grade", to_grade=d.to_grade, grade=grade)


@rule(
    "EJ406",
    Severity.WARNING,
    "A student is left to repeat the year or moved to another programme without any academic debt.",
)
def repeat_without_debt(ctx: ValidationContext) -> Iterator[Issue]:
    for d in _decisions(ctx):
        if d.kind in _OTHER_PROGRAMME and not ctx.debts(d.student_id):
            yield _issue(ctx, d, "repeat_without_debt")


@rule("EJ407", Severity.WARNING, "A student graduates with honours but a final mark is below the top grade.")
def honours_without_fives(ctx: ValidationContext) -> Iterator[Issue]:
    for d in _decisions(ctx):
        if d.kind is not DecisionKind.GRADUATED_WITH_HONOURS:
            continue
        for course in ctx.journal.courses_in_order():
            r = ctx.result(d.student_id, course.id, ResultKind.FINAL)
            scale = ctx.scale(course.id)
            if r is not None and isinstance(r.value, int) and scale.is_numeric and r.value < scale.highest:
                yield _issue(
                    ctx,
                    d,
                    "honours_without_fives",
                    course_id=course.id,
                    subject=ctx.subject_name(course.id),
                    value=r.value,
                )


@rule(
    "EJ408",
    Severity.ERROR,
    "In a graduating class a student graduates without an earlier council decision admitting them to the state exams.",
)
def graduated_without_admission(ctx: ValidationContext) -> Iterator[Issue]:
    if not ctx.graduating:
        return
    for d in _decisions(ctx):
        if d.kind in _GRADUATIONS and not any(
            e.kind is DecisionKind.ADMITTED_TO_EXAM and e.council_date < d.council_date
            for e in ctx.journal.decision_history(d.student_id)
        ):
            yield _issue(ctx, d, "graduated_without_admission")


@rule(
    "EJ409",
    Severity.ERROR,
    "A grade-9 or grade-11 student is admitted to the state exams without a passed admission test by the council's date.",
)
def admitted_without_admission_test(ctx: ValidationContext) -> Iterator[Issue]:
    kind = admission_test_kind(ctx.grade)
    if kind is None:
        return
    for d in _all_decisions(ctx):
        if d.kind is DecisionKind.ADMITTED_TO_EXAM and not ctx.journal.admission_passed(d.student_id, d.council_date):
            yield _issue(ctx, d, "admitted_without_admission_test", test=Term(f"admission_test.{kind.value}"))


DECISION_RULES: tuple[Rule, ...] = (
    promoted_with_debt,
    graduated_with_debt,
    conditional_without_debt,
    decision_missing,
    promoted_wrong_grade,
    repeat_without_debt,
    honours_without_fives,
    graduated_without_admission,
    admitted_without_admission_test,
)

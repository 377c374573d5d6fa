"""EJ1xx: current marks and their dates."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ejournal.core.journal import Mark
from ejournal.core.model import AssessmentKind
from ejournal.core.validation.context import ValidationContext
from ejournal.core.validation.findings import Issue, ParamValue, Severity
from ejournal.core.validation.registry import Rule, rule

__all__ = ["MARK_RULES"]


def lesson_issue(
    ctx: ValidationContext,
    lesson_id: str,
    key: str,
    params: Mapping[str, ParamValue],
    *,
    student_id: str = "",
    mark_id: str = "",
) -> Issue:
    """An issue placed on a lesson (and, when given, on a student and a mark of that lesson).

    The parameters are the usual ones (the student's name when ``student_id`` is given, the
    subject, the lesson's date) updated with ``params``; the place is the lesson's course,
    period (empty between periods) and date.
    """
    lesson = ctx.journal.lessons[lesson_id]
    period = ctx.lesson_period[lesson_id]
    base: dict[str, ParamValue] = {"subject": ctx.subject_name(lesson.course_id), "date": lesson.date}
    if student_id:
        base["student"] = ctx.student_name(student_id)
    base.update(params)
    return Issue(
        key,
        base,
        student_id=student_id,
        course_id=lesson.course_id,
        period_id=period.id if period is not None else "",
        date=lesson.date,
        lesson_id=lesson_id,
        mark_id=mark_id,
    )


def mark_issue(ctx: ValidationContext, m: Mark, key: str, **params: ParamValue) -> Issue:
    """An issue about mark ``m``: its place and the usual parameters (value, student, subject, date)."""
    return lesson_issue(ctx, m.lesson_id, key, {"value": m.value, **params}, student_id=m.student_id, mark_id=m.id)


@rule("EJ101", Severity.ERROR, "A mark is dated outside the academic year.")
def mark_outside_year(ctx: ValidationContext) -> Iterator[Issue]:
    year = ctx.year
    for m in ctx.marks:
        if not year.contains(ctx.journal.lessons[m.lesson_id].date):
            yield mark_issue(ctx, m, "mark_outside_year", year=year.label)


@rule("EJ102", Severity.ERROR, "A mark is dated between the certification periods of its course (a holiday).")
def mark_between_periods(ctx: ValidationContext) -> Iterator[Issue]:
    year = ctx.year
    for m in ctx.marks:
        lesson = ctx.journal.lessons[m.lesson_id]
        if year.contains(lesson.date) and ctx.lesson_period[m.lesson_id] is None:
            yield mark_issue(ctx, m, "mark_between_periods")


@rule("EJ103", Severity.ERROR, "A mark is dated when the student was not enrolled in the class.")
def mark_outside_enrolment(ctx: ValidationContext) -> Iterator[Issue]:
    students = ctx.journal.students
    for m in ctx.marks:
        s = students[m.student_id]
        if not s.enrolled_on(ctx.journal.lessons[m.lesson_id].date):
            if s.left is None:
                yield mark_issue(ctx, m, "mark_outside_enrolment", enrolled=s.enrolled)
            else:
                yield mark_issue(ctx, m, "mark_outside_enrolment_left", enrolled=s.enrolled, left=s.left)


@rule("EJ104", Severity.ERROR, "A mark is on a lesson dated after the check date (as_of).")
def mark_in_future(ctx: ValidationContext) -> Iterator[Issue]:
    for m in ctx.marks:
        if ctx.journal.lessons[m.lesson_id].date > ctx.as_of:
            yield mark_issue(ctx, m, "mark_in_future", as_of=ctx.as_of)


@rule("EJ105", Severity.WARNING, "A mark is on a lesson the student is marked absent for.")
def mark_while_absent(ctx: ValidationContext) -> Iterator[Issue]:
    missed = ctx.missed
    if not missed:
        return
    for m in ctx.marks:
        a = missed.get((m.student_id, m.lesson_id))
        if a is not None:
            yield mark_issue(ctx, m, "mark_while_absent", code=a.code)


@rule("EJ106", Severity.ERROR, "A mark is not on its course's scale.")
def mark_off_scale(ctx: ValidationContext) -> Iterator[Issue]:
    for m in ctx.marks:
        course_id = ctx.journal.lessons[m.lesson_id].course_id
        scale = ctx.scale(course_id)
        if not scale.allows(m.value):
            yield mark_issue(ctx, m, "mark_off_scale", scale=scale.name)


@rule("EJ107", Severity.WARNING, "A mark is given in a subject taught without marks.")
def mark_in_unmarked_subject(ctx: ValidationContext) -> Iterator[Issue]:
    unmarked = {c.id for c in ctx.courses if ctx.assessment(c.id) is AssessmentKind.NONE}
    if not unmarked:
        return
    for m in ctx.marks:
        if ctx.journal.lessons[m.lesson_id].course_id in unmarked:
            yield mark_issue(ctx, m, "mark_in_unmarked_subject")


MARK_RULES: tuple[Rule, ...] = (
    mark_outside_year,
    mark_between_periods,
    mark_outside_enrolment,
    mark_in_future,
    mark_while_absent,
    mark_off_scale,
    mark_in_unmarked_subject,
)

"""EJ5xx: lessons (dates, topics, homework), attendance and the timeliness of entry."""

from __future__ import annotations

from collections.abc import Iterator

from ejournal.core.journal import AttendanceRecord
from ejournal.core.model import Lesson
from ejournal.core.validation.context import ValidationContext
from ejournal.core.validation.findings import Issue, ParamValue, Severity
from ejournal.core.validation.registry import Rule, rule
from ejournal.core.validation.rules_marks import lesson_issue, mark_issue

__all__ = ["LESSON_RULES"]


def _lesson_issue(ctx: ValidationContext, le: Lesson, key: str, **params: ParamValue) -> Issue:
    return lesson_issue(ctx, le.id, key, params)


def _attendance_issue(ctx: ValidationContext, a: AttendanceRecord, key: str, **params: ParamValue) -> Issue:
    return lesson_issue(ctx, a.lesson_id, key, {"code": a.code, **params}, student_id=a.student_id)


@rule("EJ501", Severity.ERROR, "A lesson is dated outside the academic year or between its course's periods.")
def lesson_outside_periods(ctx: ValidationContext) -> Iterator[Issue]:
    year = ctx.year
    for lesson in ctx.lessons:
        if not year.contains(lesson.date):
            yield _lesson_issue(ctx, lesson, "lesson_outside_year", year=year.label)
        elif ctx.lesson_period[lesson.id] is None:
            yield _lesson_issue(ctx, lesson, "lesson_between_periods")


@rule("EJ502", Severity.WARNING, "A lesson held by the check date has no topic.")
def lesson_without_topic(ctx: ValidationContext) -> Iterator[Issue]:
    for lesson in ctx.lessons:
        if lesson.date <= ctx.as_of and not lesson.topic.strip():
            yield _lesson_issue(ctx, lesson, "lesson_without_topic")


@rule("EJ503", Severity.WARNING, "A lesson held by the check date has no homework.")
def lesson_without_homework(ctx: ValidationContext) -> Iterator[Issue]:
    for lesson in ctx.lessons:
        if lesson.date <= ctx.as_of and not lesson.homework.strip():
            yield _lesson_issue(ctx, lesson, "lesson_without_homework")


@rule("EJ504", Severity.ERROR, "Attendance is recorded for a lesson dated after the check date (as_of).")
def attendance_in_future(ctx: ValidationContext) -> Iterator[Issue]:
    lessons = ctx.journal.lessons
    for key in sorted(ctx.journal.attendance):
        a = ctx.journal.attendance[key]
        if lessons[a.lesson_id].date > ctx.as_of:
            yield _attendance_issue(ctx, a, "attendance_in_future", as_of=ctx.as_of)


@rule("EJ505", Severity.WARNING, "A mark was entered later than the policy's edit window after its lesson.")
def mark_entered_late(ctx: ValidationContext) -> Iterator[Issue]:
    window = ctx.policy.edit_window_days
    if window is None:
        return
    lessons = ctx.journal.lessons
    for m in ctx.marks:
        lesson_day = lessons[m.lesson_id].date
        entered = m.entered_at.date()
        days = (entered - lesson_day).days
        if days > window:
            yield mark_issue(ctx, m, "mark_entered_late", entered=entered, days=days, window=window)


@rule("EJ506", Severity.ERROR, "Attendance is recorded for a day the student was not enrolled in the class.")
def attendance_outside_enrolment(ctx: ValidationContext) -> Iterator[Issue]:
    lessons = ctx.journal.lessons
    students = ctx.journal.students
    for key in sorted(ctx.journal.attendance):
        a = ctx.journal.attendance[key]
        if not students[a.student_id].enrolled_on(lessons[a.lesson_id].date):
            yield _attendance_issue(ctx, a, "attendance_outside_enrolment")


@rule("EJ507", Severity.WARNING, "Two lessons of one course share a date and a lesson number.")
def duplicate_lesson(ctx: ValidationContext) -> Iterator[Issue]:
    first: dict[tuple[str, object, int], Lesson] = {}
    for lesson in ctx.lessons:
        slot = (lesson.course_id, lesson.date, lesson.number)
        earlier = first.get(slot)
        if earlier is None:
            first[slot] = lesson
        else:
            yield _lesson_issue(
                ctx, lesson, "duplicate_lesson", number=lesson.number, lesson=lesson.id, other=earlier.id
            )


@rule("EJ508", Severity.WARNING, "A mark was entered before the date of its lesson.")
def mark_entered_early(ctx: ValidationContext) -> Iterator[Issue]:
    lessons = ctx.journal.lessons
    for m in ctx.marks:
        entered = m.entered_at.date()
        if entered < lessons[m.lesson_id].date:
            yield mark_issue(ctx, m, "mark_entered_early", entered=entered)


LESSON_RULES: tuple[Rule, ...] = (
    lesson_outside_periods,
    lesson_without_topic,
    lesson_without_homework,
    attendance_in_future,
    mark_entered_late,
    attendance_outside_enrolment,
    duplicate_lesson,
    mark_entered_early,
)

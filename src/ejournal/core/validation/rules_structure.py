"""EJ6xx: the structure of the journal — students, courses, work types, the class."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ejournal.core.model import AssessmentKind, Student
from ejournal.core.validation.context import ValidationContext
from ejournal.core.validation.findings import Issue, Severity, Term
from ejournal.core.validation.registry import Rule, rule

__all__ = ["STRUCTURE_RULES"]


def _person_key(s: Student) -> tuple[str, str, str, date] | None:
    if s.birth_date is None:
        return None

    def norm(text: str) -> str:
        return " ".join(text.split()).casefold().replace("ё", "е")

    return (norm(s.name.surname), norm(s.name.given), norm(s.name.patronymic), s.birth_date)


@rule("EJ601", Severity.ERROR, "Two students of the class have the same full name and birth date.")
def duplicate_student(ctx: ValidationContext) -> Iterator[Issue]:
    first: dict[tuple[str, str, str, date], Student] = {}
    for s in ctx.students:
        key = _person_key(s)
        if key is None:
            continue
        earlier = first.get(key)
        if earlier is None:
            first[key] = s
            continue
        assert s.birth_date is not None
        yield Issue(
            "duplicate_student",
            {
                "student": s.name.short,
                "student_id": s.id,
                "other": earlier.name.short,
                "other_id": earlier.id,
                "birth": s.birth_date,
            },
            student_id=s.id,
        )


@rule("EJ602", Severity.WARNING, "A course has no teacher.")
def course_without_teacher(ctx: ValidationContext) -> Iterator[Issue]:
    for c in ctx.courses:
        if c.teacher_id is None:
            yield Issue("course_without_teacher", {"course": c.id, "subject": ctx.subject_name(c.id)}, course_id=c.id)


@rule("EJ603", Severity.WARNING, "A work type has weight 0, so its marks never count in averages.")
def zero_weight(ctx: ValidationContext) -> Iterator[Issue]:
    for wid in sorted(ctx.journal.work_types):
        wt = ctx.journal.work_types[wid]
        if wt.weight <= 0:
            yield Issue("zero_weight", {"name": wt.name or wt.id, "work_type": wt.id})


@rule(
    "EJ604",
    Severity.WARNING,
    "A student arrived or left during the year without the order number (an enrolment gap on the sheet).",
)
def enrolment_without_order(ctx: ValidationContext) -> Iterator[Issue]:
    year = ctx.year
    for s in ctx.students:
        if year.start < s.enrolled <= year.end and not s.arrival_order.strip():
            yield Issue(
                "arrival_without_order",
                {"student": s.name.short, "enrolled": s.enrolled},
                student_id=s.id,
                date=s.enrolled,
            )
        if s.left is not None and year.start <= s.left < year.end and not s.departure_order.strip():
            yield Issue(
                "departure_without_order", {"student": s.name.short, "left": s.left}, student_id=s.id, date=s.left
            )


@rule("EJ605", Severity.ERROR, "A student's enrolment does not overlap the academic year.")
def enrolment_outside_year(ctx: ValidationContext) -> Iterator[Issue]:
    year = ctx.year
    for s in ctx.students:
        if s.enrolled > year.end:
            yield Issue(
                "enrolment_outside_year",
                {"student": s.name.short, "enrolled": s.enrolled, "year": year.label},
                student_id=s.id,
            )
        elif s.left is not None and s.left < year.start:
            yield Issue(
                "enrolment_outside_year_left",
                {"student": s.name.short, "enrolled": s.enrolled, "left": s.left, "year": year.label},
                student_id=s.id,
            )


@rule("EJ606", Severity.WARNING, "The class has no class teacher (the summary sheet needs their signature).")
def no_class_teacher(ctx: ValidationContext) -> Iterator[Issue]:
    if ctx.journal.class_group.class_teacher_id is None:
        yield Issue("no_class_teacher", {"label": ctx.journal.class_group.label})


@rule("EJ607", Severity.WARNING, "A course's scale does not fit how its subject is assessed.")
def scale_mismatch(ctx: ValidationContext) -> Iterator[Issue]:
    for c in ctx.courses:
        kind = ctx.assessment(c.id)
        scale = ctx.scale(c.id)
        wrong = (kind is AssessmentKind.GRADED and not scale.is_numeric) or (
            kind is AssessmentKind.PASS_FAIL and scale.is_numeric
        )
        if wrong:
            yield Issue(
                "scale_mismatch",
                {
                    "subject": ctx.subject_name(c.id),
                    "assessment": Term(f"assessment.{kind.value}"),
                    "course": c.id,
                    "scale": scale.name,
                },
                course_id=c.id,
            )


STRUCTURE_RULES: tuple[Rule, ...] = (
    duplicate_student,
    course_without_teacher,
    zero_weight,
    enrolment_without_order,
    enrolment_outside_year,
    no_class_teacher,
    scale_mismatch,
)

"""Carrying a school into the next academic year from the council's decisions.

:func:`plan_rollover` takes every class journal of one year and returns a :class:`RolloverPlan`:
the next year's class journals (classes, students, subjects, courses and period schemes, no
lessons or marks), where each student goes and why, and the academic debts carried by those
promoted conditionally.  It is pure: storing the journals is the service's job
(:meth:`ejournal.service.JournalService.rollover`).

Where each student goes (273-ФЗ art. 58):

- promoted, or promoted conditionally → the class of the next grade with the same letter
  (7А → 8А); the conditionally promoted carry their debts (listed in the plan);
- left to repeat the year → the class of the same grade with the same letter next year;
- graduated, graduated with honours, left → not carried;
- moved to an adapted programme or an individual plan, or not admitted to the state exams →
  not placed automatically: ``placements`` must name the class label for them (or ``""`` for
  "not carried"), otherwise the plan refuses;
- a student who left during the year is not carried.

The plan refuses — :class:`~ejournal.core.errors.InvalidInput` listing every class and student,
nothing built — while a student still in a class at the end of the year has no decision.

Subjects and courses come from the curriculum as taught this year: next year's 8А gets the
subjects and courses (with their teachers) of this year's 8А, or of another class of grade 8,
or, when the school has no grade 8 this year, of the class that moves up.  Period schemes are
rebuilt for the new year by kind (quarters, trimesters, half-years); another kind of scheme
needs ``scheme_for``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from attrs import evolve, frozen

from ejournal.core.calendar import AcademicYear, PeriodKind, PeriodScheme, half_years, quarters, trimesters
from ejournal.core.choices import matches
from ejournal.core.errors import InvalidInput, Problem
from ejournal.core.journal import ClassJournal, DecisionKind
from ejournal.core.model import ClassGroup, Student

__all__ = ["CarriedDebt", "Move", "RolloverPlan", "plan_rollover"]

_UP = (DecisionKind.PROMOTED, DecisionKind.PROMOTED_CONDITIONALLY)
_OUT = (DecisionKind.GRADUATED, DecisionKind.GRADUATED_WITH_HONOURS, DecisionKind.LEFT)
_PLACED_BY_HAND = (DecisionKind.ADAPTED_PROGRAMME, DecisionKind.INDIVIDUAL_PLAN, DecisionKind.NOT_ADMITTED_TO_EXAM)
_MAKERS: dict[PeriodKind, Callable[[AcademicYear, str], PeriodScheme]] = {
    PeriodKind.QUARTER: quarters,
    PeriodKind.TRIMESTER: trimesters,
    PeriodKind.HALF_YEAR: half_years,
}


@frozen
class Move:
    """Where one student goes: from class ``from_label`` to ``to_label`` ("" when not carried), and why."""

    student_id: str
    student_name: str
    from_label: str
    to_label: str
    decision: DecisionKind | None


@frozen
class CarriedDebt:
    """An academic debt a conditionally promoted student carries into ``to_label``."""

    student_id: str
    course_id: str
    subject_name: str
    from_journal_id: str
    to_label: str


@frozen
class RolloverPlan:
    """The next year's journals, the students' moves (in class then list order) and the carried debts."""

    from_year: AcademicYear
    to_year: AcademicYear
    journals: tuple[ClassJournal, ...]
    moves: tuple[Move, ...]
    debts: tuple[CarriedDebt, ...]


def _scheme_prefix(scheme: PeriodScheme) -> str:
    first = scheme.periods[0].id
    return first.rstrip("0123456789") or first


def _default_scheme(scheme: PeriodScheme, year: AcademicYear) -> PeriodScheme:
    maker = _MAKERS.get(scheme.periods[0].kind)
    if maker is None:
        raise InvalidInput(
            f"scheme {scheme.id}",
            "is not quarters, trimesters or half-years: give scheme_for to build it for the new year",
            scheme.periods[0].kind.value,
        )
    return maker(year, _scheme_prefix(scheme))


def plan_rollover(
    journals: Iterable[ClassJournal],
    *,
    placements: Mapping[str, str] | None = None,
    journal_id: Callable[[ClassGroup], str] | None = None,
    scheme_for: Callable[[PeriodScheme, AcademicYear], PeriodScheme] | None = None,
) -> RolloverPlan:
    """The next year's classes of one school's year (see the module documentation for the rules).

    ``journals`` are every class of one year of one school; ``placements`` maps a student id to
    the label of the class they go to ("" for none) where the decision does not say;
    ``journal_id`` names a new journal (default: ``"{grade}{letter}-{start year}"`` lowercased);
    ``scheme_for`` rebuilds a period scheme for the new year.  Grade 11 (12 where the school has
    it) moves nowhere: its students must have graduated or left.  Raises :class:`InvalidInput`
    listing every problem (journals of different schools or years, a missing decision, a
    student to be placed by hand without a placement, a placement naming no class of the plan)
    before anything is built.
    """
    classes = sorted(journals, key=lambda j: (j.class_group.grade, j.class_group.letter, j.id))
    if not classes:
        raise InvalidInput("journals", "there is no class to roll over", [])
    school, year = classes[0].school, classes[0].class_group.year
    problems: list[Problem] = []
    for j in classes:
        if j.school.id != school.id or j.class_group.year != year:
            problems.append(Problem(f"journal {j.id}", f"is not of school {school.id} in {year}", j.id))
    if problems:
        raise InvalidInput.many(problems)
    placements = dict(placements or {})
    to_year = AcademicYear(year.start_year + 1)
    make_id = journal_id or (lambda g: f"{g.grade}{g.letter}-{to_year.start_year}".lower())
    rebuild = scheme_for or _default_scheme

    # 1. Where every student goes.
    moves: list[Move] = []
    wanted: dict[tuple[int, str], list[tuple[Student, ClassJournal]]] = {}
    labels: dict[tuple[int, str], str] = {}
    last_day = year.end
    for j in classes:
        group = j.class_group
        for student in j.students_in_order():
            if student.left is not None and student.left < last_day:
                continue
            decision = j.decision_in_force(student.id)
            kind = decision.kind if decision is not None else None
            target: tuple[int, str] | None
            if student.id in placements:
                label = placements[student.id]
                target = _parse_label(label, f"placements[{student.id!r}]", problems) if label else None
                if target is not None:
                    target = _same_class(target, classes, wanted)
            elif kind is None or kind is DecisionKind.ADMITTED_TO_EXAM:
                problems.append(
                    Problem(
                        f"class {group.label}, student {student.id}",
                        f"{student.name.short} has no final council decision",
                        kind.value if kind else None,
                    )
                )
                continue
            elif kind in _UP:
                target = (group.grade + 1, group.letter)
            elif kind is DecisionKind.REPEAT_YEAR:
                target = (group.grade, group.letter)
            elif kind in _OUT:
                target = None
            else:
                assert kind in _PLACED_BY_HAND
                problems.append(
                    Problem(
                        f"class {group.label}, student {student.id}",
                        f"{student.name.short}: the decision «{kind.value}» needs a placement (a class label or none)",
                        kind.value,
                    )
                )
                continue
            if target is not None and target[0] > 12:
                problems.append(
                    Problem(f"class {group.label}, student {student.id}", "there is no grade after 12", target[0])
                )
                continue
            to_label = f"{target[0]}{target[1]}" if target else ""
            moves.append(Move(student.id, student.name.short, group.label, to_label, kind))
            if target is not None:
                labels[target] = to_label
                wanted.setdefault(target, []).append((student, j))
    if problems:
        raise InvalidInput.many(problems)

    # 2. The new classes, with the curriculum of their grade as taught this year.
    new: list[ClassJournal] = []
    by_grade: dict[int, list[ClassJournal]] = {}
    for j in classes:
        by_grade.setdefault(j.class_group.grade, []).append(j)
    for (grade, letter), members in sorted(wanted.items()):
        same = [j for j in by_grade.get(grade, []) if matches(j.class_group.letter, letter)]
        template = (same or by_grade.get(grade, []) or [members[0][1]])[0]
        schemes = {s.id: rebuild(s, to_year) for s in template.schemes.values()}
        renamed = {old: schemes[old].id for old in template.schemes}
        group = ClassGroup(make_id(ClassGroup("x", grade, letter, to_year)), grade, letter, to_year, None)
        # The class teacher goes up with the class (7А's becomes 8А's) unless the class stays.
        source = next(
            (j for j in by_grade.get(grade - 1, []) if j.class_group.letter == letter),
            next((j for j in by_grade.get(grade, []) if j.class_group.letter == letter), None),
        )
        teachers = dict(template.teachers)
        class_teacher = source.class_group.class_teacher_id if source is not None else None
        if source is not None and class_teacher is not None:
            teachers.setdefault(class_teacher, source.teachers[class_teacher])
        group = evolve(group, class_teacher_id=class_teacher)
        students = {s.id: Student(s.id, s.name, to_year.start, None, s.birth_date, "", "", s.sex) for s, _ in members}
        new.append(
            ClassJournal(
                school,
                group,
                students=students,
                teachers=teachers,
                subjects=dict(template.subjects),
                courses={c.id: evolve(c, scheme_id=renamed[c.scheme_id]) for c in template.courses.values()},
                schemes={s.id: s for s in schemes.values()},
                scales=dict(template.scales),
                work_types=dict(template.work_types),
                attendance_codes=dict(template.attendance_codes),
            )
        )
    unknown = sorted(set(placements) - {s.id for j in classes for s in j.students.values()})
    if unknown:
        raise InvalidInput("placements", "name students who are in none of the classes", unknown)

    # 3. The debts the conditionally promoted carry.
    debts: list[CarriedDebt] = []
    for j in classes:
        for student in j.students_in_order():
            d = j.decision_in_force(student.id)
            if d is None or d.kind is not DecisionKind.PROMOTED_CONDITIONALLY:
                continue
            for course in j.courses_in_order():
                if j.debt_of(student.id, course.id) is not None:
                    to = f"{j.class_group.grade + 1}{j.class_group.letter}"
                    debts.append(CarriedDebt(student.id, course.id, j.subject_of(course.id).name, j.id, to))
    return RolloverPlan(year, to_year, tuple(new), tuple(moves), tuple(debts))


def _parse_label(label: str, where: str, problems: list[Problem]) -> tuple[int, str] | None:
    digits = "".join(ch for ch in label if ch.isdigit())
    letter = label[len(digits) :].strip() if label.startswith(digits) else ""
    if not digits or not letter or not 1 <= int(digits) <= 12:
        problems.append(Problem(where, "must be a class label like 8А", label))
        return None
    return int(digits), letter


def _same_class(
    target: tuple[int, str], classes: list[ClassJournal], wanted: Mapping[tuple[int, str], object]
) -> tuple[int, str]:
    """``target`` spelled as the class it names ("8A" typed with a Latin A is 8А)."""
    grade, letter = target
    spelled = [k for k in wanted if k[0] == grade] + [
        (j.class_group.grade + 1, j.class_group.letter) for j in classes if j.class_group.grade + 1 == grade
    ]
    spelled += [(grade, j.class_group.letter) for j in classes if j.class_group.grade == grade]
    return next((k for k in spelled if matches(k[1], letter)), target)

"""A deterministic demo school: realistic journals for demos, benchmarks and tests.

``generate_school_year(seed=2025)`` builds a whole school (by default 40 classes of grades 1-11 and
1,000 students, about 600,000 marks) for the academic year 2025/2026; ``generate_class_journal``
builds one class.  The same arguments always give equal results.

Generation has two stages.  Stage 1 (:mod:`ejournal.demo._raw`) writes the raw journal - people,
timetable, lessons with topics and homework, current marks and attendance - directly into the
journal's dicts as a bulk *import*, not as commands: the journal passes its reference check, has
version 0 and no pending changes, and every timestamp comes from the lesson's date (15:00 Kazan
time; a few marks were entered days later).  Stage 2 (:func:`complete_results`) then plays the
end of each period and of the year through the journal's commands and the grading rules: period,
annual, exam and final marks and the council's decisions, closing every period and the year.
The content is fictional; names, subjects and hours are merely plausible.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from attrs import frozen

from ejournal.core.calendar import AcademicYear
from ejournal.core.errors import InvalidInput
from ejournal.core.journal import ClassJournal
from ejournal.core.model import Parent, PersonName
from ejournal.core.school_year import SchoolYear
from ejournal.demo._history import earlier_grades, record_journal
from ejournal.demo._names import female_surname, random_name
from ejournal.demo._raw import LETTERS, ClassPlan, StaffRoom, build_class, demo_school
from ejournal.demo._results import complete_results

__all__ = [
    "SIZES",
    "DemoSize",
    "complete_results",
    "describe",
    "generate_class_journal",
    "generate_school",
    "generate_school_year",
]

DEFAULT_YEAR = AcademicYear(2025)


@frozen
class DemoSize:
    """A preset size of the demo school: number of classes and of students."""

    name: str
    classes: int
    students: int


SIZES: Mapping[str, DemoSize] = MappingProxyType(
    {
        s.name: s
        for s in (
            DemoSize("tiny", 4, 100),
            DemoSize("small", 11, 275),
            DemoSize("medium", 22, 550),
            DemoSize("full", 40, 1000),
        )
    }
)
"""Preset sizes by name: ``tiny`` (4 classes), ``small`` (one class per grade), ``medium``, ``full``."""


def _check_count(where: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidInput(where, f"must be a whole number ≥ {minimum}", value)
    return value


_MORE_LETTERS: tuple[tuple[str, str], ...] = (
    ("Ж", "zh"), ("И", "i"), ("К", "k"), ("Л", "l"), ("М", "m"), ("Н", "n"), ("О", "o"), ("П", "p"),
    ("Р", "r"), ("С", "s"), ("Т", "t"), ("У", "u"), ("Ф", "f"), ("Х", "h"), ("Ц", "c"), ("Ч", "ch"),
    ("Ш", "sh"), ("Э", "eh"), ("Ю", "yu"), ("Я", "ya"),
)  # fmt: skip


def _letter(k: int) -> tuple[str, str]:
    """The ``k``-th class letter of a grade (Cyrillic, Latin for ids): А…Е, then Ж…Я, then "А2"…

    A letter never starts with a digit, so "1" + letter can never equal "11" + another letter
    (labels and ids of different grades never collide).
    """
    letters = LETTERS + _MORE_LETTERS
    cyr, latin = letters[k % len(letters)]
    round_ = k // len(letters)
    return (cyr, latin) if round_ == 0 else (f"{cyr}{round_ + 1}", f"{latin}{round_ + 1}")


def _plans(rng: random.Random, classes: int, students: int, grades: list[int]) -> list[ClassPlan]:
    n = len(grades)
    if classes < n:
        chosen = [grades[0]] if classes == 1 else [grades[i * (n - 1) // (classes - 1)] for i in range(classes)]
    else:
        per_grade = [classes // n + (1 if i < classes % n else 0) for i in range(n)]
        chosen = [g for g, k in zip(grades, per_grade, strict=True) for _ in range(k)]
    sizes = [students // classes + (1 if i < students % classes else 0) for i in range(classes)]
    for i in range(0, classes - 1, 2):
        delta = rng.randint(-3, 3)
        if sizes[i] + delta >= 1 and sizes[i + 1] - delta >= 1:
            sizes[i] += delta
            sizes[i + 1] -= delta
    plans: list[ClassPlan] = []
    letter_no: dict[int, int] = {}
    first = 1
    for grade, size in zip(chosen, sizes, strict=True):
        k = letter_no.get(grade, 0)
        letter_no[grade] = k + 1
        cyr, latin = _letter(k)
        plans.append(ClassPlan(grade, cyr, latin, size, first))
        first += size
    return plans


def generate_school_year(
    *,
    seed: int = 2025,
    year: AcademicYear | None = None,
    classes: int = 40,
    students: int = 1000,
    grades: Iterable[int] = range(1, 12),
    policy_name: str = "federal",
    with_results: bool = True,
) -> SchoolYear:
    """Generate a whole demo school year (without earlier years: see :func:`generate_school`).

    ``classes`` classes are spread over ``grades`` (lower grades get the extra classes; with fewer
    classes than grades, grades are picked evenly from first to last) and ``students`` students
    over the classes.  With ``with_results`` (the default) stage 2 runs with the built-in grading
    policy ``policy_name``: period, annual, exam and final marks, decisions, closed periods and
    year; its changes become the school year's audit log.  Returns a :class:`SchoolYear` whose
    journals have version 0 and no pending changes.  Raises :class:`InvalidInput` for counts below
    1, fewer students than classes, or grades outside 1-11 (or none).
    """
    return _generate(
        seed=seed,
        year=year,
        classes=classes,
        students=students,
        grades=grades,
        policy_name=policy_name,
        with_results=with_results,
        history=False,
    )[-1]


def generate_school(
    *,
    seed: int = 2025,
    year: AcademicYear | None = None,
    classes: int = 40,
    students: int = 1000,
    grades: Iterable[int] = range(1, 12),
    policy_name: str = "federal",
) -> list[SchoolYear]:
    """The demo school year of :func:`generate_school_year` (the same classes and marks) and,
    before it, the earlier years of its graduating classes (grades 9 and 11): the journals their
    summary sheets read — grades 5–8 of each grade-9 class, grade 10 of each grade-11 class —
    holding period and annual marks and decisions (see :mod:`ejournal.demo._history`).  Grade 11's
    final marks average the grade-10 marks stored there.  Oldest year first, the demo year last.
    Raises what :func:`generate_school_year` raises.
    """
    return _generate(
        seed=seed,
        year=year,
        classes=classes,
        students=students,
        grades=grades,
        policy_name=policy_name,
        with_results=True,
        history=True,
    )


def _generate(
    *,
    seed: int,
    year: AcademicYear | None,
    classes: int,
    students: int,
    grades: Iterable[int],
    policy_name: str,
    with_results: bool,
    history: bool,
) -> list[SchoolYear]:
    _check_count("classes", classes, 1)
    _check_count("students", students, 1)
    if students < classes:
        raise InvalidInput("students", f"must be at least the number of classes ({classes})", students)
    grade_list = sorted(set(grades))
    if not grade_list or any(isinstance(g, bool) or not isinstance(g, int) or not 1 <= g <= 11 for g in grade_list):
        raise InvalidInput("grades", "must be one or more whole numbers from 1 to 11", grade_list)
    year = year or DEFAULT_YEAR
    rng = random.Random(f"ejournal-demo:{seed}:school")
    school = demo_school()
    staff = StaffRoom(random.Random(f"ejournal-demo:{seed}:staff"))
    journals: dict[str, ClassJournal] = {}
    for plan in _plans(rng, classes, students, grade_list):
        j = build_class(seed=seed, year=year, school=school, plan=plan, staff=staff)
        journals[j.id] = j
    parents: dict[str, Parent] = {}
    for j in journals.values():
        for s in sorted(j.students.values(), key=lambda s: s.id):
            mother = random_name(rng, female=True, tatar=rng.randrange(2) == 0)
            name = PersonName(female_surname(s.name.surname), mother.given, mother.patronymic)
            pid = "p" + s.id[1:]
            parents[pid] = Parent(pid, name, frozenset({s.id}))
    sy = SchoolYear(school, year, dict(staff.teachers), parents, journals)
    earlier: dict[int, SchoolYear] = {}
    if with_results:
        from ejournal.core.grading import builtin_policy

        policy = builtin_policy(policy_name)
        for j in journals.values():
            records = []
            for grade in earlier_grades(j.class_group.grade) if history else ():
                record, changes = record_journal(j, grade, policy, seed=seed)
                ry = record.class_group.year
                if ry.start_year not in earlier:
                    earlier[ry.start_year] = SchoolYear(school, ry, dict(staff.teachers), {})
                earlier[ry.start_year].journals[record.id] = record
                earlier[ry.start_year].parents.update(
                    (pid, p) for pid, p in parents.items() if p.children & set(record.students)
                )
                earlier[ry.start_year].audit.extend(changes)
                records.append(record)
            sy.audit.extend(complete_results(j, policy, seed=seed, earlier=records))
        sy.audit.sort(key=lambda c: c.at)
        for e in earlier.values():
            e.audit.sort(key=lambda c: c.at)
    return [*(earlier[k] for k in sorted(earlier)), sy]


def generate_class_journal(
    *,
    seed: int = 2025,
    grade: int = 9,
    letter: str = "А",
    students: int = 28,
    year: AcademicYear | None = None,
    policy_name: str = "federal",
    with_results: bool = True,
) -> ClassJournal:
    """Generate one class's journal (for small demos and tests).

    ``letter`` is one of А Б В Г Д Е.  With ``with_results`` stage 2 runs as in
    :func:`generate_school_year` and its changes are dropped (the journal has no pending changes).
    Raises :class:`InvalidInput` for a grade outside 1-11, an unknown letter or ``students`` < 1.
    """
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 11:
        raise InvalidInput("grade", "must be a whole number from 1 to 11", grade)
    _check_count("students", students, 1)
    latin = dict(LETTERS).get(letter)
    if latin is None:
        raise InvalidInput("letter", f"must be one of {' '.join(c for c, _ in LETTERS)}", letter)
    year = year or DEFAULT_YEAR
    staff = StaffRoom(random.Random(f"ejournal-demo:{seed}:staff"))
    j = build_class(
        seed=seed, year=year, school=demo_school(), plan=ClassPlan(grade, letter, latin, students, 1), staff=staff
    )
    if with_results:
        from ejournal.core.grading import builtin_policy

        complete_results(j, builtin_policy(policy_name), seed=seed)
    return j


def describe(sy: SchoolYear) -> dict[str, int]:
    """Counts for a summary line: classes, students, teachers, parents, lessons, marks, absences, results, decisions, audit."""
    js = list(sy.journals.values())
    return {
        "classes": len(js),
        "students": sum(len(j.students) for j in js),
        "teachers": len(sy.teachers),
        "parents": len(sy.parents),
        "courses": sum(len(j.courses) for j in js),
        "lessons": sum(len(j.lessons) for j in js),
        "marks": sum(len(j.marks) for j in js),
        "attendance": sum(len(j.attendance) for j in js),
        "results": sum(len(j.results) for j in js),
        "decisions": sum(len(j.decisions) for j in js),
        "audit": len(sy.audit),
    }

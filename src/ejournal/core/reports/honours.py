"""Medal candidates («За особые успехи в учении», Минпросвещения № 730 of 29.09.2023).

The order sets two rules on the final marks of the certificate:

- gold (I степени): every final mark «отлично» (5);
- silver (II степени): every final mark «отлично» or «хорошо», at most two «хорошо»;

plus conditions on the state exams (each exam passed, some with a minimum result).  Those exam
conditions are data here (:class:`MedalRules`, :class:`ExamMinimum`): the minimum results per exam
subject differ by year and exam and the school configures them from the current order; by default
only "every examined course has a passing exam result" is required.

:func:`medal_for` is the pure rule over values; :func:`build_honours` applies it to every student
of a graduating class and returns :class:`HonoursList` with the reasons of every student who is
not a candidate.  "осв." (exempt) neither counts nor blocks; "н/а", a missing final mark, a 3 or
below block both medals.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attrs import Attribute, field, frozen

from ejournal.core.collation import Collator
from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.journal import ClassJournal, ResultKind
from ejournal.core.reports._common import ReportHeader, graded_courses, header_of, in_name_order, value_text
from ejournal.core.reports.final_marks import certified_students
from ejournal.core.scales import MarkValue, Status

__all__ = ["ExamMinimum", "HonoursCandidate", "HonoursList", "Medal", "MedalRules", "build_honours", "medal_for"]


class Medal(enum.Enum):
    """The medal a student is a candidate for (ordered: NONE < SILVER < GOLD)."""

    NONE = "none"
    SILVER = "silver"
    GOLD = "gold"

    @property
    def rank(self) -> int:
        """0 for none, 1 for silver, 2 for gold."""
        return ("none", "silver", "gold").index(self.value)


def _whole(low: int) -> Any:
    def check(_instance: object, attribute: Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise InvalidInput(f"medal_rules.{attribute.name}", f"must be a whole number ≥ {low}", value)

    return check


@frozen
class ExamMinimum:
    """The least exam result (on the course's exam scale: a five-point mark, or ЕГЭ points) for
    gold and for silver in one exam subject.  Raises :class:`InvalidInput` when ``silver`` exceeds ``gold``."""

    subject_id: str
    gold: int = field(validator=_whole(0))
    silver: int = field(validator=_whole(0))

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.subject_id, str) or not self.subject_id.strip():
            raise InvalidInput("exam_minimum.subject_id", "must be a non-empty string", self.subject_id)
        if self.silver > self.gold:
            raise InvalidInput(
                f"exam_minimum {self.subject_id}.silver", "must not exceed the gold minimum", self.silver
            )


def _minimums(value: Iterable[ExamMinimum]) -> tuple[ExamMinimum, ...]:
    out = tuple(value)
    for i, m in enumerate(out):
        if not isinstance(m, ExamMinimum):
            raise InvalidInput(f"medal_rules.exam_minimums[{i}]", "must be an ExamMinimum", m)
    return out


@frozen
class MedalRules:
    """The medal rules as data (defaults: Минпросвещения № 730 of 29.09.2023 on final marks).

    - ``excellent``/``good``: the marks «отлично» and «хорошо» (5 and 4);
    - ``max_good_for_silver``: how many «хорошо» silver allows (2);
    - ``exams_passed``: every examined course needs a passing exam result (default ``True``);
    - ``exam_minimums``: the least result per exam subject for gold and for silver (none by default:
      configure them from the current order).

    Raises :class:`InvalidInput` naming the field for a bad value.
    """

    excellent: int = field(default=5, validator=_whole(1))
    good: int = field(default=4, validator=_whole(1))
    max_good_for_silver: int = field(default=2, validator=_whole(0))
    exams_passed: bool = True
    exam_minimums: tuple[ExamMinimum, ...] = field(converter=_minimums, factory=tuple)

    def __attrs_post_init__(self) -> None:
        if self.good >= self.excellent:
            raise InvalidInput("medal_rules.good", "must be below excellent", self.good)

    def minimum_for(self, subject_id: str) -> ExamMinimum | None:
        """The exam minimum configured for ``subject_id``, if any."""
        return next((m for m in self.exam_minimums if m.subject_id == subject_id), None)


@frozen
class ExamResult:
    """One exam of a student for :func:`medal_for`: the subject, the result (``None``: none) and
    whether the result passes on its scale (``None``: unknown)."""

    subject_id: str
    value: MarkValue | None
    passing: bool | None


def medal_for(
    finals: Sequence[MarkValue | None], exams: Sequence[ExamResult] = (), rules: MedalRules = MedalRules()
) -> tuple[Medal, tuple[str, ...]]:
    """The medal the final marks and exam results give, and the reasons for anything less than gold.

    ``finals`` are the final marks of the graded subjects (``None``: not set); ``exams`` the exam
    results of the examined courses.  Reasons are codes: ``missing``, ``not_certified``,
    ``below_good`` (a mark below «хорошо»), ``too_many_good`` (more «хорошо» than silver allows),
    ``has_good`` (gold missed by a «хорошо»), ``exam_missing:<subject>``, ``exam_failed:<subject>``,
    ``exam_below_gold:<subject>``, ``exam_below_silver:<subject>``.  Pure; raising any mark or exam
    result never gives a lower medal.  Raises :class:`InvalidInput` for a final that is not a whole
    number, a status or ``None``.
    """
    reasons: list[str] = []
    goods = 0
    blocked = False
    for i, v in enumerate(finals):
        if v is None:
            reasons.append("missing")
            blocked = True
        elif v is Status.NOT_CERTIFIED or v is Status.FAIL:
            reasons.append("not_certified")
            blocked = True
        elif isinstance(v, Status):
            continue
        elif isinstance(v, bool) or not isinstance(v, int):
            raise InvalidInput(f"finals[{i}]", "must be a whole mark, a status or None", v)
        elif v >= rules.excellent:
            continue
        elif v >= rules.good:
            goods += 1
        else:
            reasons.append("below_good")
            blocked = True
    if not any(v is not None and not isinstance(v, Status) for v in finals) and not blocked:
        reasons.append("missing")
        blocked = True
    gold_ok, silver_ok = not blocked and goods == 0, not blocked and goods <= rules.max_good_for_silver
    if goods and not blocked:
        reasons.append("has_good" if goods <= rules.max_good_for_silver else "too_many_good")
    for exam in exams:
        minimum = rules.minimum_for(exam.subject_id)
        if exam.value is None or isinstance(exam.value, Status):
            if rules.exams_passed or minimum is not None:
                reasons.append(f"exam_missing:{exam.subject_id}")
                gold_ok = silver_ok = False
            continue
        if rules.exams_passed and exam.passing is False:
            reasons.append(f"exam_failed:{exam.subject_id}")
            gold_ok = silver_ok = False
            continue
        if minimum is not None:
            if exam.value < minimum.silver:
                reasons.append(f"exam_below_silver:{exam.subject_id}")
                gold_ok = silver_ok = False
            elif exam.value < minimum.gold:
                reasons.append(f"exam_below_gold:{exam.subject_id}")
                gold_ok = False
    medal = Medal.GOLD if gold_ok else Medal.SILVER if silver_ok else Medal.NONE
    return medal, tuple(dict.fromkeys(reasons))


@frozen
class HonoursCandidate:
    """A student's line: number, id, name, the medal, the count of 5s and 4s among the final marks,
    the final marks by course and the exam results by subject (printed), and the reasons."""

    number: int
    student_id: str
    name: str
    medal: Medal
    excellent: int
    good: int
    finals: tuple[tuple[str, str], ...]
    exams: tuple[tuple[str, str], ...]
    reasons: tuple[str, ...]


@frozen
class HonoursList:
    """Medal candidates of a graduating class (pure data): every certified student with the medal
    the rules give (``Medal.NONE`` with reasons for the others), in alphabetical order."""

    header: ReportHeader
    rules: MedalRules
    subjects: tuple[tuple[str, str], ...]
    students: tuple[HonoursCandidate, ...]
    exam_subjects: tuple[tuple[str, str], ...] = ()
    """The exam subjects as ``(subject id, name)`` (for the reasons)."""

    @property
    def gold(self) -> tuple[HonoursCandidate, ...]:
        """The gold candidates."""
        return tuple(s for s in self.students if s.medal is Medal.GOLD)

    @property
    def silver(self) -> tuple[HonoursCandidate, ...]:
        """The silver candidates."""
        return tuple(s for s in self.students if s.medal is Medal.SILVER)

    @property
    def texts(self) -> list[str]:
        """Every data string printed (for the font check)."""
        return self.header.texts + [s.name for s in self.students] + [n for _, n in self.subjects]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        r = self.rules
        return {
            "document": "honours",
            "header": self.header.to_dict(),
            "rules": {
                "excellent": r.excellent,
                "good": r.good,
                "max_good_for_silver": r.max_good_for_silver,
                "exams_passed": r.exams_passed,
                "exam_minimums": [
                    {"subject_id": m.subject_id, "gold": m.gold, "silver": m.silver} for m in r.exam_minimums
                ],
            },
            "subjects": [{"course_id": c, "subject": n} for c, n in self.subjects],
            "exam_subjects": dict(self.exam_subjects),
            "students": [
                {
                    "number": s.number,
                    "student_id": s.student_id,
                    "name": s.name,
                    "medal": s.medal.value,
                    "excellent": s.excellent,
                    "good": s.good,
                    "finals": dict(s.finals),
                    "exams": dict(s.exams),
                    "reasons": list(s.reasons),
                }
                for s in self.students
            ],
        }


def build_honours(
    journal: ClassJournal,
    *,
    collator: Collator,
    rules: MedalRules = MedalRules(),
    exam_results: Mapping[str, Mapping[str, MarkValue]] | None = None,
) -> HonoursList:
    """The :class:`HonoursList` of a graduating class (pure): the final marks set in the journal of
    every graded course, and the exam results — the journal's exam marks of its examined courses,
    or ``exam_results`` (student id → subject id → result, e.g. ЕГЭ points kept outside the journal)
    which replace them for the subjects they name.

    Raises :class:`InvalidInput` for a class without final marks in any graded course (not a
    graduating class) and :class:`NotFound` when no student is being certified.
    """
    if not isinstance(rules, MedalRules):
        raise InvalidInput("rules", "must be MedalRules", rules)
    courses = graded_courses(journal)
    if not any(r.kind is ResultKind.FINAL for r in journal.results.values()) and journal.class_group.grade not in (
        9,
        11,
    ):
        raise InvalidInput(
            f"class {journal.class_group.label}", "has no final marks: not a graduating class", journal.id
        )
    given = exam_results or {}
    students = in_name_order([journal.student(i) for i in certified_students(journal)], collator)
    if not students:
        raise NotFound("student being certified", "(any)", f"class {journal.class_group.label}")
    out: list[HonoursCandidate] = []
    for number, s in enumerate(students, start=1):
        finals: list[MarkValue | None] = []
        printed: list[tuple[str, str]] = []
        for c in courses:
            r = journal.result(s.id, c.id, ResultKind.FINAL)
            finals.append(None if r is None else r.value)
            printed.append((c.id, value_text(finals[-1])))
        exams: list[ExamResult] = []
        for c in courses:
            if not c.examined:
                continue
            mine = given.get(s.id, {})
            if c.subject_id in mine:
                value: MarkValue | None = mine[c.subject_id]
                passing = None
            else:
                r = journal.result(s.id, c.id, ResultKind.EXAM)
                value = None if r is None else r.value
                passing = None if value is None else journal.exam_scale_of(c.id).is_passing(value)
            exams.append(ExamResult(c.subject_id, value, passing))
        for subject_id, value in given.get(s.id, {}).items():
            if not any(e.subject_id == subject_id for e in exams):
                exams.append(ExamResult(subject_id, value, None))
        medal, reasons = medal_for(finals, exams, rules)
        numeric = [v for v in finals if isinstance(v, int) and not isinstance(v, bool)]
        out.append(
            HonoursCandidate(
                number,
                s.id,
                s.name.full,
                medal,
                sum(1 for v in numeric if v >= rules.excellent),
                sum(1 for v in numeric if rules.good <= v < rules.excellent),
                tuple(printed),
                tuple((e.subject_id, value_text(e.value)) for e in exams),
                reasons,
            )
        )
    exam_subjects = {c.subject_id: journal.subjects[c.subject_id].name for c in courses if c.examined}
    for per_student in given.values():
        for subject_id in per_student:
            subject = journal.subjects.get(subject_id)
            exam_subjects.setdefault(subject_id, subject.name if subject else subject_id)
    return HonoursList(
        header_of(journal),
        rules,
        tuple((c.id, journal.subjects[c.subject_id].name) for c in courses),
        tuple(out),
        tuple(exam_subjects.items()),
    )

"""Validation rules: each code has a journal that triggers it and a near miss that does not.

Journals are built with the core model; "bad" states that commands refuse are put straight into the
constructor's dicts, as an import would.  Expected findings are derived by hand from each rule.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from fractions import Fraction
from typing import Any

import attrs
import pytest

from ejournal.core import (
    YEAR,
    AcademicYear,
    AdmissionTest,
    AdmissionTestKind,
    AssessmentKind,
    AttendanceRecord,
    ClassGroup,
    ClassJournal,
    Course,
    Decision,
    DecisionKind,
    ExamChoice,
    Lesson,
    Mark,
    PersonName,
    ResultKind,
    ResultMark,
    School,
    Status,
    Student,
    Subject,
    Teacher,
    WorkType,
    quarters,
)
from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.grading import ExamRule, GradingPolicy, ScoreConversion, builtin_policy
from ejournal.core.validation import (
    DEFAULT_RULES,
    MESSAGES,
    Issue,
    Rule,
    RuleFailed,
    RuleSet,
    Severity,
    ValidationContext,
    ValidationReport,
    rule,
    validate,
)

Y = AcademicYear(2025)
Q = quarters(Y)  # q1 1 Sep-26 Oct, q2 5 Nov-28 Dec, q3 12 Jan-22 Mar, q4 1 Apr-26 May
AS_OF = date(2025, 10, 20)
FEDERAL = builtin_policy("federal")  # weighted mean, table 4.5/3.5/2.5, ≥3 marks at ≤2 h, allowed deviation 1

Args = dict[str, Any]


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def student(sid: str, surname: str, given: str, patronymic: str, **kw: Any) -> Student:
    kw.setdefault("enrolled", date(2025, 9, 1))
    kw.setdefault("birth_date", date(2012, 1, int(sid[-1]) + 1))
    return Student(sid, PersonName(surname, given, patronymic), **kw)


def base_args() -> Args:
    """A clean grade-7 journal on 20 Oct 2025 (q1 open).

    Students s1 (marks 5, 5, 5 → proposal 5) and s2 (4, 4, 3 → 11/3 ≈ 3.67 → 4) in math (2 h/week)
    and music (1 h/week); four lessons per course in September with topics and homework; marks
    entered on the lesson day.  Federal policy: at most 2 h a week → at least 3 marks.
    """
    lessons: dict[str, Lesson] = {}
    marks: dict[str, Mark] = {}
    values = {"s1": (5, 5, 5), "s2": (4, 4, 3)}
    for cid in ("c-math", "c-music"):
        for i, day in enumerate((2, 9, 16, 23), 1):
            lid = f"{cid}-{i}"
            lessons[lid] = Lesson(lid, cid, date(2025, 9, day), f"Тема {i}", f"Задание {i}")
        for sid, vs in values.items():
            for i, v in enumerate(vs, 1):
                lid = f"{cid}-{i}"
                marks[f"{sid}-{lid}"] = Mark(f"{sid}-{lid}", sid, lid, v, "cw", at(lessons[lid].date), "t1")
    return {
        "students": {
            "s1": student("s1", "Иванов", "Иван", "Иванович"),
            "s2": student("s2", "Петрова", "Анна", "Сергеевна"),
        },
        "teachers": {"t1": Teacher("t1", PersonName("Смирнова", "Ольга", "Павловна"))},
        "subjects": {"math": Subject("math", "Математика", 1), "music": Subject("music", "Музыка", 2)},
        "courses": {
            "c-math": Course("c-math", "math", "t1", 2, Q.id),
            "c-music": Course("c-music", "music", "t1", 1, Q.id),
        },
        "schemes": {Q.id: Q},
        "work_types": {"cw": WorkType("cw", "классная работа", 1), "test": WorkType("test", "контрольная", 2)},
        "lessons": lessons,
        "marks": marks,
    }


def make(
    edit: Callable[[Args], None] | None = None, *, grade: int = 7, class_teacher: str | None = "t1"
) -> ClassJournal:
    args = base_args()
    if edit is not None:
        edit(args)
    group = ClassGroup(f"{grade}a", grade, "А", Y, class_teacher)
    return ClassJournal(School("sch", "Школа №1"), group, **args)


def result(
    args: Args, sid: str, cid: str, kind: ResultKind, value: Any, pid: str = "", on: date = date(2025, 10, 27)
) -> None:
    r = ResultMark(sid, cid, kind, value, at(on), "t1", pid)
    args.setdefault("results", {})[r.key] = r


def add_mark(
    args: Args, mid: str, sid: str, lid: str, value: Any, *, wt: str = "cw", entered: date | None = None
) -> None:
    day = args["lessons"][lid].date
    args["marks"][mid] = Mark(mid, sid, lid, value, wt, at(entered or day), "t1")


def add_lesson(
    args: Args, lid: str, cid: str, day: date, topic: str = "Тема", homework: str = "Задание", number: int = 1
) -> None:
    args["lessons"][lid] = Lesson(lid, cid, day, topic, homework, number)


def attend(args: Args, sid: str, lid: str, code: str) -> None:
    args.setdefault("attendance", {})[(sid, lid)] = AttendanceRecord(
        sid, lid, code, at(args["lessons"][lid].date), "t1"
    )


def decide(args: Args, sid: str, kind: DecisionKind, to_grade: int | None = None) -> None:
    d = Decision(sid, kind, date(2026, 5, 28), "7", to_grade)
    args.setdefault("decisions", {})[d.key] = d


def all_periods(args: Args, sid: str, cid: str, value: Any) -> None:
    for p in Q.periods:
        result(args, sid, cid, ResultKind.PERIOD, value, p.id, on=p.end)


def codes_of(journal: ClassJournal, *, as_of: date = AS_OF, policy: GradingPolicy = FEDERAL, **kw: Any) -> set[str]:
    return {f.code for f in validate(journal, policy, as_of=as_of, **kw).findings}


# ---------------------------------------------------------------------- the case table


@pytest.fixture(scope="module")
def clean() -> ClassJournal:
    return make()


def test_the_base_journal_is_clean(clean: ClassJournal) -> None:
    report = validate(clean, FEDERAL, as_of=AS_OF)
    assert report.findings == ()
    assert report.ready_to_certify


# Each case: code -> (journal that triggers it, near miss that does not, keyword arguments of validate).
Case = tuple[Callable[[], ClassJournal], Callable[[], ClassJournal], dict[str, Any]]


def _mark_on_new_lesson(day: date) -> Callable[[], ClassJournal]:
    def build() -> ClassJournal:
        def edit(a: Args) -> None:
            add_lesson(a, "odd", "c-math", day)
            add_mark(a, "m-odd", "s1", "odd", 5)

        return make(edit)

    return build


def _late_student(mark_lesson: str) -> Callable[[], ClassJournal]:
    def build() -> ClassJournal:
        def edit(a: Args) -> None:
            a["students"]["s3"] = student("s3", "Сидоров", "Пётр", "", enrolled=date(2025, 9, 10), arrival_order="12-к")
            add_mark(a, "m3", "s3", mark_lesson, 4)

        return make(edit)

    return build


def _q1_closed(s1_math: Any, *, s1_marks: int = 3, s2_music: Any = 4, s1_absent: int = 0) -> Callable[[], ClassJournal]:
    """q1 closed; every period mark set to its proposal except the ones given.

    ``s1_absent``: s1 missed that many of the last math lessons ("н").
    """

    def build() -> ClassJournal:
        def edit(a: Args) -> None:
            for i in range(4, 4 - s1_absent, -1):
                attend(a, "s1", f"c-math-{i}", "н")
            for k in [k for k in a["marks"] if k.startswith("s1-c-math-")][s1_marks:]:
                del a["marks"][k]
            result(a, "s1", "c-math", ResultKind.PERIOD, s1_math, "q1")
            result(a, "s2", "c-math", ResultKind.PERIOD, 4, "q1")
            result(a, "s1", "c-music", ResultKind.PERIOD, 5, "q1")
            if s2_music is not None:
                result(a, "s2", "c-music", ResultKind.PERIOD, s2_music, "q1")
            a["closed_periods"] = {"q1"}

        return make(edit)

    return build


def _year(
    *,
    grade: int = 7,
    annual: Any = 5,
    periods: Any = 5,
    exam: Any = None,
    final: Any = None,
    decision: DecisionKind | None = None,
    to_grade: int | None = None,
    close: bool = False,
    examined: bool = False,
) -> Callable[[], ClassJournal]:
    """Results for s1 in math only (music removed), s2 removed; optionally the year closed."""

    def build() -> ClassJournal:
        def edit(a: Args) -> None:
            del a["students"]["s2"]
            del a["courses"]["c-music"]
            a["lessons"] = {k: v for k, v in a["lessons"].items() if v.course_id == "c-math"}
            a["marks"] = {k: v for k, v in a["marks"].items() if k.startswith("s1-c-math")}
            a["courses"]["c-math"] = Course("c-math", "math", "t1", 2, Q.id, examined=examined)
            if periods is not None:
                all_periods(a, "s1", "c-math", periods)
            if annual is not None:
                result(a, "s1", "c-math", ResultKind.ANNUAL, annual, on=date(2026, 5, 27))
            if exam is not None:
                result(a, "s1", "c-math", ResultKind.EXAM, exam, on=date(2026, 6, 20))
            if final is not None:
                result(a, "s1", "c-math", ResultKind.FINAL, final, on=date(2026, 6, 25))
            if decision is not None:
                decide(a, "s1", decision, to_grade)
            if close:
                a["closed_periods"] = {p.id for p in Q.periods} | {YEAR}

        return make(edit, grade=grade)

    return build


def _edit(edit: Callable[[Args], None], **kw: Any) -> Callable[[], ClassJournal]:
    return lambda: make(edit, **kw)


def _enrolment(**kw: Any) -> Callable[[Args], None]:
    def edit(a: Args) -> None:
        a["students"]["s3"] = student("s3", "Сидоров", "Пётр", "", **kw)

    return edit


YEAR_END = {"as_of": date(2026, 6, 30)}


def _council(
    grade: int,
    decisions: tuple[tuple[DecisionKind, date], ...],
    tests: tuple[tuple[int, date, bool], ...] = (),
) -> Callable[[], ClassJournal]:
    """s1's council decisions (and admission-test attempts: grade 9 the interview, 11 the essay)."""

    def edit(a: Args) -> None:
        for n, (kind, day) in enumerate(decisions, start=1):
            d = Decision("s1", kind, day, str(n))
            a.setdefault("decisions", {})[d.key] = d
        test_kind = AdmissionTestKind.INTERVIEW if grade == 9 else AdmissionTestKind.ESSAY
        for attempt, day, passed in tests:
            t = AdmissionTest("s1", test_kind, attempt, day, passed)
            a.setdefault("admission_tests", {})[t.key] = t

    return lambda: make(edit, grade=grade)


_MAY, _JUNE = date(2026, 5, 20), date(2026, 6, 25)

MATH_TABLE = ScoreConversion("math", 31, 8, 15, 22, "a test table")
WITH_TABLE = {
    "as_of": date(2026, 6, 30),
    "policy": builtin_policy("federal").evolve(exams=ExamRule(conversions=(MATH_TABLE,))),
}


def _chosen(
    *,
    choice: tuple[str, ...] | None = ("c-math", "c-music"),
    exams: dict[str, Any] | None = None,
    score: int | None = None,
) -> Callable[[], ClassJournal]:
    """Grade 9, s1 only; math and music are exams chosen per student, both with annual 5."""

    def build() -> ClassJournal:
        def edit(a: Args) -> None:
            del a["students"]["s2"]
            a["marks"] = {k: v for k, v in a["marks"].items() if v.student_id != "s2"}
            a["courses"]["c-math"] = Course("c-math", "math", "t1", 2, Q.id, examined=True, exam_by_choice=True)
            a["courses"]["c-music"] = attrs.evolve(a["courses"]["c-music"], examined=True, exam_by_choice=True)
            for cid in ("c-math", "c-music"):
                all_periods(a, "s1", cid, 5)
                result(a, "s1", cid, ResultKind.ANNUAL, 5, on=date(2026, 5, 27))
            for cid, value in (exams or {}).items():
                r = ResultMark("s1", cid, ResultKind.EXAM, value, at(date(2026, 6, 20)), "t1", primary_score=score)
                a.setdefault("results", {})[r.key] = r
            if choice is not None:
                a["exam_choices"] = {"s1": ExamChoice("s1", choice)}

        return make(edit, grade=9)

    return build


CASES: dict[str, Case] = {
    "EJ101": (_mark_on_new_lesson(date(2025, 8, 25)), make, {}),
    "EJ102": (_mark_on_new_lesson(date(2025, 10, 30)), _mark_on_new_lesson(date(2025, 10, 20)), {}),
    "EJ103": (_late_student("c-math-1"), _late_student("c-math-3"), {}),
    "EJ104": (_mark_on_new_lesson(date(2025, 10, 20)), _mark_on_new_lesson(date(2025, 10, 20)), {}),
    "EJ105": (
        _edit(lambda a: attend(a, "s1", "c-math-1", "н")),
        _edit(lambda a: attend(a, "s1", "c-math-1", "о")),  # late is not missed
        {},
    ),
    "EJ106": (
        _edit(lambda a: add_mark(a, "m7", "s1", "c-math-4", 7)),
        _edit(lambda a: add_mark(a, "m7", "s1", "c-math-4", 5)),
        {},
    ),
    "EJ107": (
        _edit(lambda a: a["subjects"].update(music=Subject("music", "Музыка", 2, AssessmentKind.NONE))),
        _edit(
            lambda a: (
                a["subjects"].update(music=Subject("music", "Музыка", 2, AssessmentKind.NONE)),
                a.update(marks={k: v for k, v in a["marks"].items() if "music" not in k}),
            )
        ),
        {},
    ),
    "EJ201": (
        _edit(lambda a: a["marks"].pop("s1-c-math-3")),
        _edit(
            lambda a: (
                a["marks"].pop("s1-c-math-3"),
                result(a, "s1", "c-math", ResultKind.PERIOD, Status.NOT_CERTIFIED, "q1"),
            )
        ),
        {},
    ),
    # 2 marks where 3 are needed and 2 of 4 lessons missed (more than a third): the policy says "н/а".
    "EJ202": (
        _q1_closed(5, s1_marks=2, s1_absent=2),
        _q1_closed(Status.NOT_CERTIFIED, s1_marks=2, s1_absent=2),
        {"as_of": date(2025, 10, 28)},
    ),
    "EJ203": (_q1_closed(5, s2_music=None), _q1_closed(5, s2_music=Status.EXEMPT), {"as_of": date(2025, 10, 28)}),
    "EJ204": (_q1_closed(4), _q1_closed(5), {"as_of": date(2025, 10, 28)}),
    "EJ205": (_q1_closed(3), _q1_closed(4), {"as_of": date(2025, 10, 28)}),
    "EJ206": (
        _edit(
            lambda a: (
                _enrolment(enrolled=date(2025, 11, 10), arrival_order="1")(a),
                result(a, "s3", "c-math", ResultKind.PERIOD, 4, "q1"),
            )
        ),
        _edit(
            lambda a: (
                _enrolment(enrolled=date(2025, 10, 10), arrival_order="1")(a),
                result(a, "s3", "c-math", ResultKind.PERIOD, 4, "q1"),
            )
        ),
        {},
    ),
    "EJ207": (
        _edit(lambda a: result(a, "s1", "c-math", ResultKind.PERIOD, 9, "q1")),
        _edit(lambda a: result(a, "s1", "c-math", ResultKind.PERIOD, 5, "q1")),
        {"as_of": date(2025, 10, 28)},
    ),
    "EJ208": (
        _edit(lambda a: result(a, "s1", "c-math", ResultKind.PERIOD, 5, "q1", on=date(2025, 10, 20))),
        _edit(lambda a: result(a, "s1", "c-math", ResultKind.PERIOD, 5, "q1", on=date(2025, 10, 26))),
        {"as_of": date(2025, 10, 28)},
    ),
    # period marks 5, 5, 5, 5 → annual proposal 5
    "EJ301": (_year(annual=4), _year(annual=5), YEAR_END),
    "EJ302": (_year(annual=3), _year(annual=4), YEAR_END),
    "EJ303": (_year(annual=None, close=True, decision=DecisionKind.PROMOTED), _year(annual=None), YEAR_END),
    # grade 9, examined: (4 + 5) / 2 = 4.5 → 5 half up
    "EJ304": (
        _year(grade=9, examined=True, periods=4, annual=4, exam=5, final=4),
        _year(grade=9, examined=True, periods=4, annual=4, exam=5, final=5),
        YEAR_END,
    ),
    "EJ305": (
        _year(grade=9, close=True, decision=DecisionKind.GRADUATED),
        _year(grade=9, close=True, final=5, decision=DecisionKind.GRADUATED),
        YEAR_END,
    ),
    "EJ306": (_year(grade=9, examined=True), _year(grade=9, examined=True, exam=5), YEAR_END),
    "EJ307": (_year(grade=9, examined=False, exam=5), _year(grade=9, examined=True, exam=5), YEAR_END),
    "EJ308": (_year(grade=7, final=5), _year(grade=9, final=5), YEAR_END),
    "EJ320": (_chosen(choice=("c-math",), exams={"c-math": 5}), _chosen(exams={"c-math": 5, "c-music": 5}), YEAR_END),
    "EJ321": (_chosen(exams={"c-math": 5}), _chosen(exams={"c-math": 5, "c-music": 4}), YEAR_END),
    "EJ322": (
        _chosen(choice=("c-music",), exams={"c-math": 5}),
        _chosen(choice=("c-math",), exams={"c-math": 5}),
        YEAR_END,
    ),
    "EJ323": (_chosen(exams={"c-math": 4}, score=14), _chosen(exams={"c-math": 4}, score=15), WITH_TABLE),
    "EJ401": (
        _year(periods=2, annual=2, decision=DecisionKind.PROMOTED, to_grade=8),
        _year(periods=3, annual=3, decision=DecisionKind.PROMOTED, to_grade=8),
        YEAR_END,
    ),
    "EJ402": (
        _year(grade=9, periods=3, annual=3, final=2, decision=DecisionKind.GRADUATED),
        _year(grade=9, periods=3, annual=3, final=3, decision=DecisionKind.GRADUATED),
        YEAR_END,
    ),
    "EJ403": (
        _year(decision=DecisionKind.PROMOTED_CONDITIONALLY, to_grade=8),
        _year(periods=2, annual=2, decision=DecisionKind.PROMOTED_CONDITIONALLY, to_grade=8),
        YEAR_END,
    ),
    "EJ404": (_year(close=True), _year(close=True, decision=DecisionKind.PROMOTED, to_grade=8), YEAR_END),
    "EJ405": (
        _year(decision=DecisionKind.PROMOTED, to_grade=9),
        _year(decision=DecisionKind.PROMOTED, to_grade=8),
        YEAR_END,
    ),
    "EJ406": (
        _year(decision=DecisionKind.REPEAT_YEAR),
        _year(periods=2, annual=2, decision=DecisionKind.REPEAT_YEAR),
        YEAR_END,
    ),
    "EJ407": (
        _year(grade=9, periods=4, annual=4, final=4, decision=DecisionKind.GRADUATED_WITH_HONOURS),
        _year(grade=9, final=5, decision=DecisionKind.GRADUATED_WITH_HONOURS),
        YEAR_END,
    ),
    # a graduation needs an earlier admission (the order of the councils, not of entry)
    "EJ408": (
        _council(9, ((DecisionKind.ADMITTED_TO_EXAM, _JUNE), (DecisionKind.GRADUATED, _JUNE))),
        _council(9, ((DecisionKind.GRADUATED, _JUNE), (DecisionKind.ADMITTED_TO_EXAM, _MAY))),
        YEAR_END,
    ),
    # admitted in May after a failed essay in December and a pass only in April: fine; a pass after May is not
    "EJ409": (
        _council(11, ((DecisionKind.ADMITTED_TO_EXAM, _MAY),), ((1, date(2025, 12, 3), False), (2, _JUNE, True))),
        _council(
            11, ((DecisionKind.ADMITTED_TO_EXAM, _MAY),), ((1, date(2025, 12, 3), False), (2, date(2026, 4, 8), True))
        ),
        YEAR_END,
    ),
    "EJ501": (_edit(lambda a: add_lesson(a, "odd", "c-math", date(2025, 12, 31))), make, {"as_of": date(2026, 1, 10)}),
    "EJ502": (
        _edit(lambda a: add_lesson(a, "odd", "c-math", date(2025, 10, 20), topic=" ")),
        _edit(lambda a: add_lesson(a, "odd", "c-math", date(2025, 10, 21), topic="")),  # after as_of: planned
        {},
    ),
    "EJ503": (
        _edit(lambda a: add_lesson(a, "odd", "c-math", date(2025, 10, 20), homework="")),
        _edit(lambda a: add_lesson(a, "odd", "c-math", date(2025, 10, 21), homework="")),
        {},
    ),
    "EJ504": (
        _edit(lambda a: (add_lesson(a, "odd", "c-math", date(2025, 10, 21)), attend(a, "s1", "odd", "б"))),
        _edit(lambda a: (add_lesson(a, "odd", "c-math", date(2025, 10, 20)), attend(a, "s1", "odd", "б"))),
        {},
    ),
    # edit window 7 days: 8 days late is flagged, exactly 7 is not
    "EJ505": (
        _edit(lambda a: add_mark(a, "late", "s1", "c-math-4", 5, entered=date(2025, 10, 1))),
        _edit(lambda a: add_mark(a, "late", "s1", "c-math-4", 5, entered=date(2025, 9, 30))),
        {"policy": FEDERAL.evolve(edit_window_days=7)},
    ),
    "EJ506": (
        _edit(
            lambda a: (_enrolment(enrolled=date(2025, 9, 10), arrival_order="1")(a), attend(a, "s3", "c-math-1", "н"))
        ),
        _edit(
            lambda a: (_enrolment(enrolled=date(2025, 9, 10), arrival_order="1")(a), attend(a, "s3", "c-math-3", "н"))
        ),
        {},
    ),
    "EJ507": (
        _edit(lambda a: add_lesson(a, "odd", "c-math", date(2025, 9, 2))),
        _edit(lambda a: add_lesson(a, "odd", "c-math", date(2025, 9, 2), number=2)),
        {},
    ),
    "EJ508": (
        _edit(lambda a: add_mark(a, "early", "s1", "c-math-4", 5, entered=date(2025, 9, 22))),
        _edit(lambda a: add_mark(a, "early", "s1", "c-math-4", 5, entered=date(2025, 9, 23))),
        {},
    ),
    "EJ601": (
        _edit(
            lambda a: a["students"].update(s9=student("s9", "Иванов", "Иван", "Иванович", birth_date=date(2012, 1, 2)))
        ),
        _edit(
            lambda a: a["students"].update(s9=student("s9", "Иванов", "Иван", "Иванович", birth_date=date(2012, 1, 3)))
        ),
        {},
    ),
    "EJ602": (_edit(lambda a: a["courses"].update({"c-music": Course("c-music", "music", None, 1, Q.id)})), make, {}),
    "EJ603": (_edit(lambda a: a["work_types"].update(oral=WorkType("oral", "устный ответ", 0))), make, {}),
    "EJ604": (
        _edit(_enrolment(enrolled=date(2025, 9, 10))),
        _edit(_enrolment(enrolled=date(2025, 9, 10), arrival_order="12-к")),
        {},
    ),
    "EJ605": (
        _edit(_enrolment(enrolled=date(2025, 1, 10), left=date(2025, 8, 20), departure_order="3")),
        _edit(_enrolment(enrolled=date(2025, 1, 10), left=date(2025, 9, 20), departure_order="3")),
        {},
    ),
    "EJ606": (_edit(lambda a: None, class_teacher=None), make, {}),
    "EJ607": (
        _edit(lambda a: a["subjects"].update(music=Subject("music", "Музыка", 2, AssessmentKind.PASS_FAIL))),
        _edit(
            lambda a: (
                a["subjects"].update(music=Subject("music", "Музыка", 2, AssessmentKind.PASS_FAIL)),
                a["courses"].update({"c-music": Course("c-music", "music", "t1", 1, Q.id, scale_id="pass_fail")}),
                a.update(marks={k: v for k, v in a["marks"].items() if "music" not in k}),
            )
        ),
        {},
    ),
}
CASES["EJ104"] = (CASES["EJ104"][0], CASES["EJ104"][1], {"as_of": date(2025, 10, 19)})
GOOD_KW: dict[str, dict[str, Any]] = {"EJ104": {"as_of": date(2025, 10, 20)}}


def test_every_default_rule_has_a_case() -> None:
    assert set(CASES) == set(DEFAULT_RULES.codes)


def _run(build: Callable[[], ClassJournal], kw: dict[str, Any]) -> ValidationReport:
    kw = dict(kw)
    policy = kw.pop("policy", FEDERAL)
    as_of = kw.pop("as_of", AS_OF)
    return validate(build(), policy, as_of=as_of, **kw)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_triggers(code: str) -> None:
    bad, _, kw = CASES[code]
    report = _run(bad, kw)
    hits = report.filter(code=code)
    assert hits, f"{code} did not fire"
    assert all(f.severity is DEFAULT_RULES.severity_of(code) for f in hits)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_near_miss_does_not_trigger(code: str) -> None:
    _, good, kw = CASES[code]
    kw = GOOD_KW.get(code, kw)
    assert not _run(good, kw).filter(code=code)


@pytest.mark.parametrize("code", sorted(CASES))
def test_messages_render_in_every_language(code: str) -> None:
    bad, _, kw = CASES[code]
    for f in _run(bad, kw).filter(code=code):
        for locale in ("ru", "tt", "en"):
            assert f.key in MESSAGES[locale]
            text = f.message(locale)
            assert text
            assert "{" not in text
            assert "}" not in text
        assert len({f.message("ru"), f.message("tt"), f.message("en")}) == 3


def test_catalogs_have_the_same_keys() -> None:
    assert set(MESSAGES["ru"]) == set(MESSAGES["tt"]) == set(MESSAGES["en"])


# ---------------------------------------------------------------------- details of some rules


def test_mark_finding_names_its_place() -> None:
    j = make(lambda a: attend(a, "s1", "c-math-2", "б"))
    (f,) = validate(j, FEDERAL, as_of=AS_OF).filter(code="EJ105")
    assert (f.student_id, f.course_id, f.period_id, f.date, f.lesson_id, f.mark_id) == (
        "s1",
        "c-math",
        "q1",
        date(2025, 9, 9),
        "c-math-2",
        "s1-c-math-2",
    )
    assert (
        f.message("en") == "Иванов И. И. has mark 5 (Математика) for the lesson of 2025-09-09 but is marked «б» there."
    )
    assert "09.09.2025" in f.message("ru")


def test_period_mark_deviation_carries_the_explanation() -> None:
    # s1: 5, 5, 5 → mean 5 → proposal 5; the set 3 is 2 grades off, more than the allowed 1.
    report = _run(_q1_closed(3), {"as_of": date(2025, 10, 28)})
    (f,) = report.filter(code="EJ205")
    assert f.severity is Severity.ERROR
    assert f.param_dict["proposed"] == 5
    assert f.param_dict["difference"] == 2
    assert f.param_dict["allowed"] == 1
    assert f.explanation is not None
    # The explanation is the proposal's: the three 5s, mean exactly 5, proposing 5.
    assert sorted(m.value for m in f.explanation.used) == [5, 5, 5]
    assert (f.explanation.mean, f.explanation.result) == (Fraction(5), 5)
    assert f.explanation.mean_text in f.explain("en")
    assert f.explanation.mean_text.replace(".", ",") in f.explain("ru")  # Russian writes a decimal comma
    assert not report.filter(code="EJ204")
    assert f.explain("en").splitlines()[0] in report.render_text("en")


def test_without_allowed_deviation_every_difference_is_a_warning() -> None:
    report = _run(_q1_closed(3), {"as_of": date(2025, 10, 28), "policy": FEDERAL.evolve(allowed_deviation=None)})
    assert not report.filter(code="EJ205")
    assert [f.student_id for f in report.filter(code="EJ204")] == ["s1"]


def test_too_few_marks_counts_only_weighted_grades() -> None:
    # Two grades plus a grade of a zero-weight work type: 2 counted, 3 required.
    def edit(a: Args) -> None:
        a["work_types"]["oral"] = WorkType("oral", "устный", 0)
        del a["marks"]["s1-c-math-3"]
        add_mark(a, "oral", "s1", "c-math-3", 5, wt="oral")

    (f,) = validate(make(edit), FEDERAL, as_of=AS_OF).filter(code="EJ201")
    assert (f.student_id, f.course_id, f.period_id) == ("s1", "c-math", "q1")
    assert (f.param_dict["count"], f.param_dict["minimum"]) == (2, 3)


def test_too_few_marks_with_good_attendance_follows_the_policy() -> None:
    # 2 marks where 3 are needed, 1 of 4 lessons missed (not more than a third): the federal policy still
    # certifies (a number is proposed), so a numeric period mark is no error; with "too few alone" it is.
    build = _q1_closed(5, s1_marks=2, s1_absent=1)
    kw = {"as_of": date(2025, 10, 28)}
    assert not _run(build, kw).filter(code="EJ202")
    strict = FEDERAL.evolve(period=attrs.evolve(FEDERAL.period, too_few_alone=True))
    (f,) = _run(build, {**kw, "policy": strict}).filter(code="EJ202")
    assert (f.student_id, f.course_id, f.param_dict["count"], f.param_dict["minimum"], f.param_dict["value"]) == (
        "s1",
        "c-math",
        2,
        3,
        5,
    )


def test_too_few_marks_not_checked_before_the_period_starts() -> None:
    # On 20 Oct q2 has not begun: nobody has marks there, yet nothing is reported for q2.
    assert not validate(make(), FEDERAL, as_of=AS_OF).filter(period_id="q2")


def test_missing_period_mark_skips_students_not_enrolled_during_the_period() -> None:
    def edit(a: Args) -> None:
        a["students"]["s3"] = student("s3", "Сидоров", "Пётр", "", enrolled=date(2025, 11, 5), arrival_order="1")
        for sid, cid, v in (("s1", "c-math", 5), ("s2", "c-math", 4), ("s1", "c-music", 5), ("s2", "c-music", 4)):
            result(a, sid, cid, ResultKind.PERIOD, v, "q1")
        a["closed_periods"] = {"q1"}

    report = validate(make(edit), FEDERAL, as_of=date(2025, 10, 28))
    assert not report.filter(code="EJ203")


def test_grade_11_final_mark_needs_earlier_results() -> None:
    # Grade 11: periods 5, 5, 5, 5, annual 5; with grade-10 marks 3, 3, 3 the mean is
    # (3·3 + 5·5) / 8 = 34/8 = 4.25 → 4, so a final 5 breaks the rule; without them it is not checked.
    build = _year(grade=11, final=5)
    assert not _run(build, YEAR_END).filter(code="EJ304")
    by_course = _run(build, {**YEAR_END, "earlier_results": {"s1": {"c-math": (3, 3, 3)}}})
    (f,) = by_course.filter(code="EJ304")
    assert f.param_dict["expected"] == 4
    by_subject = _run(build, {**YEAR_END, "earlier_results": {"s1": {"math": (3, 3, 3)}}})
    assert by_subject.filter(code="EJ304")
    agreeing = _run(_year(grade=11, final=4), {**YEAR_END, "earlier_results": {"s1": {"c-math": (3, 3, 3)}}})
    assert not agreeing.filter(code="EJ304")


def test_earlier_results_off_the_scale_are_the_callers_error_not_a_skipped_check() -> None:
    build = _year(grade=11, final=5)
    with pytest.raises(InvalidInput) as e:
        _run(build, {**YEAR_END, "earlier_results": {"s1": {"c-math": (3, 7)}}})
    assert "earlier_results['s1']['c-math']" in e.value.where
    assert e.value.value == 7


def test_duplicate_student_ignores_case_and_yo() -> None:
    j = make(
        lambda a: a["students"].update(s9=student("s9", "ИВАНОВ", "Иван", "Иванович", birth_date=date(2012, 1, 2)))
    )
    (f,) = validate(j, FEDERAL, as_of=AS_OF).filter(code="EJ601")
    assert (f.student_id, f.param_dict["other_id"]) == ("s9", "s1")


# ---------------------------------------------------------------------- rule sets


def test_without_drops_a_rule_and_leaves_the_default_alone() -> None:
    j = make(lambda a: add_lesson(a, "odd", "c-math", date(2025, 10, 20), homework=""))
    rules = DEFAULT_RULES.without("EJ503")
    assert "EJ503" not in rules
    assert "EJ503" in DEFAULT_RULES
    assert len(rules) == len(DEFAULT_RULES) - 1
    assert "EJ503" in codes_of(j)
    assert "EJ503" not in codes_of(j, rules=rules)
    assert "EJ503" not in validate(j, FEDERAL, as_of=AS_OF, rules=rules).rules


def test_with_severity_reranks_a_rule() -> None:
    j = make(lambda a: add_lesson(a, "odd", "c-math", date(2025, 10, 20), topic=""))
    default = validate(j, FEDERAL, as_of=AS_OF)
    assert default.ready_to_certify
    strict = validate(j, FEDERAL, as_of=AS_OF, rules=DEFAULT_RULES.with_severity("EJ502", Severity.ERROR))
    (f,) = strict.filter(code="EJ502")
    assert f.severity is Severity.ERROR
    assert not strict.ready_to_certify
    assert strict.blocking == [f]
    assert DEFAULT_RULES.severity_of("EJ502") is Severity.WARNING
    assert DEFAULT_RULES.with_severity("EJ502", Severity.ERROR).get("EJ502").default_severity is Severity.WARNING


def test_only_keeps_the_named_rules() -> None:
    assert DEFAULT_RULES.only("EJ601", "EJ101").codes == ("EJ101", "EJ601")


def test_unknown_codes_are_refused() -> None:
    with pytest.raises(NotFound):
        DEFAULT_RULES.without("EJ999")
    with pytest.raises(NotFound):
        DEFAULT_RULES.with_severity("EJ999", Severity.INFO)
    with pytest.raises(InvalidInput):
        DEFAULT_RULES.with_severity("EJ101", "error")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        Rule("ej-1", Severity.INFO, "bad code", lambda ctx: ())


@rule(
    "SCH001",
    Severity.WARNING,
    "Music lessons need homework on Fridays.",
    messages={
        "ru": {"friday": "Урок {lesson} в пятницу без задания."},
        "en": {"friday": "Lesson {lesson} on a Friday has no homework."},
    },
)
def friday_homework(ctx: ValidationContext) -> list[Issue]:
    return [
        Issue("friday", {"lesson": le.id}, course_id=le.course_id, lesson_id=le.id, date=le.date)
        for le in ctx.lessons
        if le.date.weekday() == 4 and not le.homework
    ]


def test_a_custom_rule_can_be_added() -> None:
    j = make(lambda a: add_lesson(a, "fri", "c-music", date(2025, 10, 17), homework=""))
    rules = DEFAULT_RULES.without("EJ503").with_rule(friday_homework)
    (f,) = validate(j, FEDERAL, as_of=AS_OF, rules=rules).findings
    assert (f.code, f.severity, f.lesson_id, f.date) == ("SCH001", Severity.WARNING, "fri", date(2025, 10, 17))
    assert f.message("ru") == "Урок fri в пятницу без задания."
    assert f.message("en") == "Lesson fri on a Friday has no homework."
    assert "SCH001" not in DEFAULT_RULES
    with pytest.raises(InvalidInput):
        rules.with_rule(friday_homework)
    replaced = rules.with_rule(Rule("SCH001", Severity.INFO, "x", lambda ctx: ()), replace=True)
    assert replaced.severity_of("SCH001") is Severity.INFO


def test_a_custom_rule_class_works_too() -> None:
    class EveryStudent:
        def __call__(self, ctx: ValidationContext) -> list[Issue]:
            return [Issue("hello", {"who": s.id}, student_id=s.id) for s in ctx.students]

    rules = RuleSet([Rule("SCH002", Severity.INFO, "Greets everyone.", EveryStudent(), {"en": {"hello": "Hi {who}"}})])
    report = validate(make(), FEDERAL, as_of=AS_OF, rules=rules)
    assert [f.message("en") for f in report] == ["Hi s1", "Hi s2"]
    assert [f.message("ru") for f in report] == ["Hi s1", "Hi s2"]  # falls back to English


def test_a_failing_rule_is_reported_with_its_code() -> None:
    def boom(ctx: ValidationContext) -> list[Issue]:
        raise KeyError("x")

    with pytest.raises(RuleFailed, match="SCH003") as info:
        validate(make(), FEDERAL, as_of=AS_OF, rules=RuleSet([Rule("SCH003", Severity.INFO, "fails", boom)]))
    assert isinstance(info.value.__cause__, KeyError)


def test_rule_sets_refuse_duplicate_codes() -> None:
    r = DEFAULT_RULES.get("EJ101")
    with pytest.raises(InvalidInput):
        RuleSet([r, r])


# ---------------------------------------------------------------------- the report


def test_report_counts_blocking_and_json() -> None:
    # EJ205 (error) for s1 math: set 3, proposed 5; EJ208 is not hit (marks set on 27 Oct).
    report = _run(_q1_closed(3), {"as_of": date(2025, 10, 28)})
    counts = report.counts()
    assert counts == {Severity.ERROR: 1, Severity.WARNING: 0, Severity.INFO: 0}
    assert counts["error"] == 1  # severities are strings too
    assert not report.ready_to_certify
    assert [f.code for f in report.blocking] == ["EJ205"]
    data = report.to_dict("en")
    text = json.dumps(data, ensure_ascii=False)
    assert json.loads(text)["counts"] == {"error": 1, "warning": 0, "info": 0}
    assert data["ready_to_certify"] is False
    (finding,) = data["findings"]  # type: ignore[misc]
    assert finding["code"] == "EJ205"
    assert finding["params"]["proposed"] == 5
    assert finding["period_id"] == "q1"


def test_render_text_has_a_line_per_finding() -> None:
    j = make(lambda a: add_lesson(a, "x", "c-math", date(2025, 10, 20), topic="", homework=""))
    report = validate(j, FEDERAL, as_of=AS_OF)
    ru = report.render_text("ru")
    en = report.render_text("en")
    assert "EJ502" in ru
    assert "EJ503" in ru
    assert "ready to certify" in en
    assert "готов к заверению" in ru
    with pytest.raises(InvalidInput):
        report.render_text("fr")


def test_findings_are_sorted_by_code() -> None:
    j = make(
        lambda a: (
            add_lesson(a, "x", "c-math", date(2025, 10, 20), topic="", homework=""),
            attend(a, "s1", "c-math-1", "н"),
        )
    )
    codes = [f.code for f in validate(j, FEDERAL, as_of=AS_OF)]
    assert codes == sorted(codes) == ["EJ105", "EJ502", "EJ503"]


def test_validate_refuses_wrong_arguments() -> None:
    with pytest.raises(InvalidInput):
        validate(make(), FEDERAL, as_of="2025-10-20")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        validate(make(), FEDERAL, as_of=AS_OF, rules=[])  # type: ignore[arg-type]


def test_validation_does_not_change_the_journal() -> None:
    j = _q1_closed(3)()
    before = j.snapshot()
    validate(j, FEDERAL, as_of=date(2025, 10, 28))
    assert j.snapshot() == before
    assert j.pending_changes == []


def test_missing_period_mark_skips_students_who_left_during_the_period() -> None:
    def edit(a: Args) -> None:
        a["students"]["s3"] = student("s3", "Сидоров", "Пётр", "", left=date(2025, 10, 10), departure_order="5")
        for sid, cid, v in (("s1", "c-math", 5), ("s2", "c-math", 4), ("s1", "c-music", 5), ("s2", "c-music", 4)):
            result(a, sid, cid, ResultKind.PERIOD, v, "q1")
        a["closed_periods"] = {"q1"}

    assert not validate(make(edit), FEDERAL, as_of=date(2025, 10, 28)).filter(code="EJ203")


@pytest.mark.parametrize("grade", [2, 7, 9, 11])
def test_a_generated_demo_journal_has_no_errors(grade: int) -> None:
    from ejournal.demo import generate_class_journal

    journal = generate_class_journal(grade=grade, students=12, seed=7)
    report = validate(journal, FEDERAL, as_of=date(2026, 6, 30))
    assert report.blocking == [], [f.message("en") for f in report.blocking]

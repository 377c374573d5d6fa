"""State exams: ОГЭ conversion tables, exam choices, which exam enters which course, ЕГЭ scores.

Examples from DOMAIN.md and Минпросвещения № 546 of 05.10.2020: grade 9 sits Russian and
mathematics and two exams of the student's choice; each of these four subjects' final mark is the
half-up mean of the annual and the exam mark; one mathematics exam is not counted twice into
algebra and geometry unless the school says so; ЕГЭ scores are not school marks.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ejournal.core import (
    AcademicYear,
    Actor,
    ClassGroup,
    ClassJournal,
    Course,
    ExamChoice,
    FixedClock,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PersonName,
    ResultKind,
    Role,
    School,
    Student,
    Subject,
    Teacher,
    quarters,
)
from ejournal.core.grading import (
    ExamRule,
    GradingPolicy,
    ScoreConversion,
    builtin_policy,
    convert_primary_score,
    exam_source,
    explain_primary_score,
    propose_final_mark,
)
from ejournal.core.history import rewind
from ejournal.core.journal import Action
from ejournal.core.scales import Scale
from ejournal.core.stats import categorize_students, class_stats
from ejournal.core.summary import SummarySheet, build_summary_sheet
from ejournal.i18n.collation import collator
from ejournal.render.tabular import cell_text
from ejournal.service import JournalService
from ejournal.storage import open as open_storage
from ejournal.storage.ports import Storage

FEDERAL = builtin_policy("federal")
SHARED = FEDERAL.evolve(exams=ExamRule(one_exam_into_several_courses=True))
ADMIN = Actor("deputy", Role.ADMINISTRATOR, "sch")
YEAR = AcademicYear(2025)
Q = quarters(YEAR)
# Mathematics, shaped like ФИПИ's recommendation: 0–7 → 2, 8–14 → 3, 15–21 → 4, 22–31 → 5.
MATH = ScoreConversion("alg", 31, 8, 15, 22, "a test table")
PHYS = ScoreConversion("phys", 45, 11, 23, 34)
INF = ScoreConversion("inf", 19, 5, 11, 17)
EGE = Scale("ege100", "стобалльная (ЕГЭ)", tuple(range(101)), 24)


def grade9(grade: int = 9) -> ClassJournal:
    """Two students; Russian and algebra examined for all, geometry naming algebra's exam, physics,
    informatics and chemistry chosen per student; every annual mark 4."""
    subjects = [("rus", "Русский язык"), ("alg", "Алгебра"), ("geom", "Геометрия"), ("phys", "Физика")]
    subjects += [("inf", "Информатика"), ("chem", "Химия"), ("hist", "История")]
    j = ClassJournal(
        School("sch", "Школа № 1"),
        ClassGroup("9a", grade, "А", YEAR, "t1"),
        students={
            "s1": Student("s1", PersonName("Абрамова", "Анна"), YEAR.start),
            "s2": Student("s2", PersonName("Борисов", "Борис"), YEAR.start),
        },
        teachers={"t1": Teacher("t1", PersonName("Ильина", "Ирина"))},
        subjects={sid: Subject(sid, name, i) for i, (sid, name) in enumerate(subjects, 1)},
        courses={
            "c-rus": Course("c-rus", "rus", "t1", 3, Q.id, examined=True),
            "c-alg": Course("c-alg", "alg", "t1", 3, Q.id, examined=True),
            "c-geom": Course("c-geom", "geom", "t1", 2, Q.id, exam_of="c-alg"),
            "c-phys": Course("c-phys", "phys", "t1", 2, Q.id, examined=True, exam_by_choice=True),
            "c-inf": Course("c-inf", "inf", "t1", 1, Q.id, examined=True, exam_by_choice=True),
            "c-chem": Course("c-chem", "chem", "t1", 2, Q.id, examined=True, exam_by_choice=True),
            "c-hist": Course("c-hist", "hist", "t1", 2, Q.id),
        },
        schemes={Q.id: Q},
        clock=FixedClock(datetime(2026, 6, 20, 12, tzinfo=UTC)),
    )
    for sid in j.students:
        for cid in j.courses:
            j.set_annual_mark(sid, cid, 4, by=ADMIN)
    return j


# ---------------------------------------------------------------------------- conversion tables


def test_a_conversion_table_gives_each_mark_from_its_threshold() -> None:
    # (score, mark) pairs around each threshold of the table 8 / 15 / 22 of 31
    cases = [(0, 2), (7, 2), (8, 3), (14, 3), (15, 4), (21, 4), (22, 5), (31, 5)]
    assert [(s, convert_primary_score(s, MATH)) for s, _ in cases] == cases
    why = explain_primary_score(14, MATH)
    assert (why.mark, why.lowest, why.next_at, why.max_score) == (3, 8, 15, 31)
    assert explain_primary_score(3, MATH).lowest == 0
    assert explain_primary_score(31, MATH).next_at is None
    assert explain_primary_score(27, MATH).text == "27 из 31 первичных баллов: отметка 5 (от 22 баллов)"


@pytest.mark.parametrize("score", [-1, 32, 2.0, "27", True, None])
def test_a_score_out_of_range_or_not_whole_is_refused(score: object) -> None:
    with pytest.raises(InvalidInput, match="primary_score"):
        convert_primary_score(score, MATH)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("alg", 31, 8, 8, 22), "four"),  # equal thresholds: a 3 would be unreachable
        (("alg", 31, 15, 8, 22), "four"),
        (("alg", 20, 8, 15, 22), "five"),  # above the maximum
        (("alg", 31, 0, 15, 22), "three"),
        (("alg", 0, 8, 15, 22), "max_score"),
        (("", 31, 8, 15, 22), "subject_id"),
    ],
)
def test_an_inconsistent_table_is_refused_naming_the_field(args: tuple[object, ...], field: str) -> None:
    with pytest.raises(InvalidInput, match=field):
        ScoreConversion(*args)  # type: ignore[arg-type]


def test_the_policy_holds_the_tables_and_round_trips_through_toml() -> None:
    policy = GradingPolicy.from_toml(
        """
name = "region"
[exams]
one_exam_into_several_courses = true
[[exams.conversions]]
subject = "alg"
max_score = 31
three = 8
four = 15
five = 22
source = "a test table"
"""
    )
    assert policy.exams == ExamRule(True, (MATH,))
    assert policy.exams.conversion_for("alg") == MATH
    with pytest.raises(NotFound, match="phys"):
        policy.exams.conversion_for("phys")
    assert GradingPolicy.from_toml(policy.to_toml()) == policy
    assert GradingPolicy.from_json(policy.to_json()) == policy
    assert "exams" not in FEDERAL.to_dict()  # the built-in profiles keep their content hash


def test_a_bad_table_in_a_policy_file_names_the_key() -> None:
    text = 'name = "x"\n[[exams.conversions]]\nsubject = "alg"\nmax_score = 31\nthree = 8\nfour = 8\nfive = 22\n'
    with pytest.raises(InvalidInput, match=r"exams\.conversions\[0\]\.four"):
        GradingPolicy.from_toml(text)
    twice = 'name = "x"\nexams.conversions = [' + ", ".join(
        ['{subject = "alg", max_score = 31, three = 8, four = 15, five = 22}'] * 2
    )
    with pytest.raises(InvalidInput, match="second table"):
        GradingPolicy.from_toml(twice + "]\n")


# ---------------------------------------------------------------------------- recording a result


def test_an_exam_result_keeps_the_primary_score_and_the_mark_from_the_table() -> None:
    j = grade9()
    change = j.record_exam_result("s1", "c-alg", 14, MATH, by=ADMIN)
    r = j.result("s1", "c-alg", ResultKind.EXAM)
    assert r is not None
    assert (r.value, r.primary_score) == (3, 14)
    assert change.action is Action.SET_RESULT
    assert change.after == r
    j.record_exam_result("s2", "c-alg", 15, MATH, by=ADMIN, value=4)  # a copied mark that agrees
    assert j.result("s2", "c-alg", ResultKind.EXAM).value == 4  # type: ignore[union-attr]


def test_a_mark_that_disagrees_with_the_table_is_refused_and_nothing_changes() -> None:
    j = grade9()
    before = j.snapshot()
    with pytest.raises(InvalidInput, match="the table gives 3") as info:
        j.record_exam_result("s1", "c-alg", 14, MATH, by=ADMIN, value=4)
    assert "value" in info.value.where
    with pytest.raises(InvalidInput, match="primary_score"):
        j.record_exam_result("s1", "c-alg", 32, MATH, by=ADMIN)
    with pytest.raises(InvalidInput, match="conversion"):
        j.record_exam_result("s1", "c-rus", 20, MATH, by=ADMIN)  # the mathematics table for Russian
    with pytest.raises(InvalidInput, match="no exam"):
        j.record_exam_result("s1", "c-hist", 20, ScoreConversion("hist", 37, 11, 21, 30), by=ADMIN)
    assert j.snapshot() == before


# ---------------------------------------------------------------------------- choices


def test_exam_marks_only_in_exams_the_student_chose() -> None:
    j = grade9()
    with pytest.raises(InvalidInput, match="did not choose"):
        j.record_exam_result("s1", "c-phys", 30, PHYS, by=ADMIN)
    change = j.set_exam_choice(ExamChoice("s1", ["c-phys", "c-inf"], date(2026, 2, 27)), by=ADMIN)
    assert (change.action, change.before, change.student_id) == (Action.SET_EXAM_CHOICE, None, "s1")
    assert j.exam_choices["s1"].course_ids == ("c-inf", "c-phys")
    j.record_exam_result("s1", "c-phys", 30, PHYS, by=ADMIN)
    with pytest.raises(InvalidInput, match="did not choose"):
        j.set_exam_mark("s1", "c-chem", 5, by=ADMIN)
    with pytest.raises(InvalidInput, match="did not choose"):
        j.set_exam_mark("s2", "c-phys", 5, by=ADMIN)  # no choice recorded at all
    j.set_exam_mark("s2", "c-rus", 5, by=ADMIN)  # a required exam needs no choice


def test_a_choice_names_only_exams_chosen_per_student_and_keeps_marks_consistent() -> None:
    j = grade9()
    with pytest.raises(InvalidInput, match="no exam chosen per student"):
        j.set_exam_choice(ExamChoice("s1", ["c-rus"]), by=ADMIN)
    with pytest.raises(NotFound):
        j.set_exam_choice(ExamChoice("s1", ["c-nope"]), by=ADMIN)
    with pytest.raises(NotFound):
        j.set_exam_choice(ExamChoice("s9", ["c-phys"]), by=ADMIN)
    j.set_exam_choice(ExamChoice("s1", ["c-phys", "c-inf"]), by=ADMIN)
    with pytest.raises(InvalidInput, match="changes nothing"):
        j.set_exam_choice(ExamChoice("s1", ["c-inf", "c-phys"]), by=ADMIN)
    j.record_exam_result("s1", "c-phys", 30, PHYS, by=ADMIN)
    with pytest.raises(InvalidInput, match="left out"):
        j.set_exam_choice(ExamChoice("s1", ["c-inf", "c-chem"]), by=ADMIN)
    with pytest.raises(InvalidInput, match="left out"):
        j.clear_exam_choice("s1", by=ADMIN)
    change = j.set_exam_choice(ExamChoice("s1", ["c-phys", "c-chem"]), by=ADMIN)
    assert change.before == ExamChoice("s1", ["c-inf", "c-phys"])
    j.set_exam_mark("s1", "c-phys", None, by=ADMIN)
    cleared = j.clear_exam_choice("s1", by=ADMIN)
    assert (cleared.action, cleared.after) == (Action.CLEAR_EXAM_CHOICE, None)
    with pytest.raises(InvalidInput, match="no exam choice"):
        j.clear_exam_choice("s1", by=ADMIN)


def test_the_choice_is_locked_with_the_year_and_undone_by_as_of() -> None:
    j = grade9()
    j.set_exam_choice(ExamChoice("s1", ["c-phys", "c-inf"]), by=ADMIN)
    changes = list(j.pending_changes)
    j.clock = FixedClock(datetime(2026, 6, 21, 12, tzinfo=UTC))
    j.set_exam_choice(ExamChoice("s1", ["c-phys", "c-chem"]), by=ADMIN)
    changes = list(j.pending_changes)
    earlier = rewind(j, changes, datetime(2026, 6, 20, 23, tzinfo=UTC))
    assert earlier.exam_choices["s1"].course_ids == ("c-inf", "c-phys")
    j.close_period("year", by=ADMIN)
    teacher = Actor("t1", Role.SUBJECT_TEACHER, "sch")
    from ejournal.core import PeriodLocked

    with pytest.raises(PeriodLocked):
        j.set_exam_choice(ExamChoice("s1", ["c-phys"]), by=teacher)


def test_a_journal_refuses_broken_exam_references() -> None:
    j = grade9()
    args = {"students": j.students, "teachers": j.teachers, "subjects": j.subjects, "schemes": j.schemes}
    bad_target = {**j.courses, "c-geom": Course("c-geom", "geom", "t1", 2, Q.id, exam_of="c-hist")}
    with pytest.raises(InvalidInput, match="exam_of"):
        ClassJournal(j.school, j.class_group, courses=bad_target, **args)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="exam_choices"):
        ClassJournal(
            j.school,
            j.class_group,
            courses=j.courses,
            exam_choices={"s1": ExamChoice("s1", ["c-rus"])},
            **args,  # type: ignore[arg-type]
        )
    with pytest.raises(InvalidInput, match="exam_of"):
        Course("c-x", "alg", "t1", 2, Q.id, examined=True, exam_of="c-alg")
    with pytest.raises(InvalidInput, match="exam_by_choice"):
        Course("c-x", "alg", "t1", 2, Q.id, exam_by_choice=True)


# ---------------------------------------------------------------------------- final marks


def test_one_mathematics_exam_enters_algebra_only_unless_the_school_says_so() -> None:
    j = grade9()
    j.record_exam_result("s1", "c-alg", 27, MATH, by=ADMIN)  # a 5
    assert propose_final_mark(j, "s1", "c-alg", FEDERAL).value == 5  # (4 + 5) / 2 = 4.5 → 5
    geom = propose_final_mark(j, "s1", "c-geom", FEDERAL)
    assert geom.value == 4  # the annual mark: the exam is not counted twice
    assert [n.code for n in geom.explanation.notes][-1] == "exam_not_shared"
    assert exam_source(j, "s1", "c-geom", FEDERAL) is None
    shared = propose_final_mark(j, "s1", "c-geom", SHARED)
    assert shared.value == 5  # with the setting the mathematics exam enters geometry too
    assert shared.explanation.notes[0].code == "exam_shared"
    assert exam_source(j, "s1", "c-geom", SHARED) == "c-alg"
    assert propose_final_mark(j, "s1", "c-hist", SHARED).value == 4  # no exam, no mapping


def test_a_grade_9_student_with_two_chosen_exams_gets_each_final_mark_from_its_exam() -> None:
    j = grade9()
    j.set_exam_choice(ExamChoice("s1", ["c-phys", "c-inf"]), by=ADMIN)
    j.set_exam_mark("s1", "c-rus", 3, by=ADMIN)
    j.record_exam_result("s1", "c-alg", 15, MATH, by=ADMIN)  # 4
    j.record_exam_result("s1", "c-phys", 35, PHYS, by=ADMIN)  # 5
    j.record_exam_result("s1", "c-inf", 10, INF, by=ADMIN)  # 3
    finals = {cid: propose_final_mark(j, "s1", cid, FEDERAL).value for cid in j.courses}
    assert finals == {
        "c-rus": 4,  # (4 + 3) / 2 = 3.5 → 4
        "c-alg": 4,
        "c-geom": 4,  # annual
        "c-phys": 5,  # (4 + 5) / 2 = 4.5 → 5
        "c-inf": 4,  # 3.5 → 4
        "c-chem": 4,  # not chosen: the annual mark
        "c-hist": 4,
    }
    chem = propose_final_mark(j, "s1", "c-chem", FEDERAL)
    assert "exam_not_chosen" in [n.code for n in chem.explanation.notes]
    assert propose_final_mark(j, "s2", "c-phys", FEDERAL).value == 4  # s2 chose nothing yet


def _grade11_with_ege() -> ClassJournal:
    j = grade9(grade=11)
    j.scales[EGE.id] = EGE
    j.courses["c-rus"] = Course("c-rus", "rus", "t1", 3, Q.id, examined=True, exam_scale_id=EGE.id)
    j.check_references()
    return j


def test_ege_scores_never_enter_final_marks_statistics_or_categories() -> None:
    j = _grade11_with_ege()
    before = (
        propose_final_mark(j, "s1", "c-rus", FEDERAL),
        class_stats(j, ResultKind.EXAM),
        categorize_students(j, ResultKind.EXAM),
        categorize_students(j, ResultKind.FINAL),
    )
    with pytest.raises(InvalidInput, match="scale"):
        j.set_exam_mark("s1", "c-rus", 101, by=ADMIN)
    j.set_exam_mark("s1", "c-rus", 98, by=ADMIN)
    j.set_exam_mark("s2", "c-rus", 12, by=ADMIN)
    after = (
        propose_final_mark(j, "s1", "c-rus", FEDERAL),
        class_stats(j, ResultKind.EXAM),
        categorize_students(j, ResultKind.EXAM),
        categorize_students(j, ResultKind.FINAL),
    )
    assert after == before
    assert propose_final_mark(j, "s1", "c-rus", FEDERAL).value == 4  # the annual 4, not 98


# ---------------------------------------------------------------------------- the sheet


def test_the_sheet_prints_the_mark_and_keeps_the_score() -> None:
    j = grade9()
    j.set_exam_choice(ExamChoice("s1", ["c-phys", "c-inf"]), by=ADMIN)
    j.record_exam_result("s1", "c-alg", 27, MATH, by=ADMIN)
    j.set_exam_mark("s1", "c-rus", 4, by=ADMIN)
    sheet = build_summary_sheet(j, collator=collator("ru"))
    cell = sheet.row_of("s1").cell("c-alg", ResultKind.EXAM)
    assert (cell.value, cell.primary_score, cell.text, cell.score_text) == (5, 27, "5", "(27)")
    assert cell_text(cell) == "5 (27)"
    rus = sheet.row_of("s1").cell("c-rus", ResultKind.EXAM)
    assert (rus.primary_score, cell_text(rus)) == (None, "4")
    assert ResultKind.EXAM not in [c.kind for c in sheet.subject("c-geom").columns]  # no exam of its own
    assert sheet.row_of("s2").cell("c-phys", ResultKind.EXAM).is_empty  # not chosen
    assert SummarySheet.from_dict(sheet.to_dict()) == sheet
    assert "primary_score" not in sheet.to_dict()["rows"][0]["cells"][0]  # written only when set
    from ejournal.render import render
    from ejournal.render.tabular import rows

    assert "5 (27)" in render(sheet, "csv").decode("utf-8-sig")
    narrow = [c for r in rows(sheet, abbreviate=True) for c in r.cells]  # the PDF's narrow columns
    assert "5 (27)" not in narrow
    assert "5" in narrow


def test_ege_columns_print_the_score_and_are_labelled_as_scores() -> None:
    j = _grade11_with_ege()
    j.set_exam_mark("s1", "c-rus", 87, by=ADMIN)
    sheet = build_summary_sheet(j, collator=collator("ru"))
    [ege] = [c for c in sheet.subject("c-rus").columns if c.kind is ResultKind.EXAM]
    assert ege.scores
    assert ege.label != "экз."
    assert not next(c for c in sheet.subject("c-alg").columns if c.kind is ResultKind.EXAM).scores
    assert sheet.row_of("s1").cell("c-rus", ResultKind.EXAM).text == "87"
    assert SummarySheet.from_dict(sheet.to_dict(), scales={EGE.id: EGE}) == sheet
    from ejournal.render import render

    csv = render(sheet, "csv").decode("utf-8-sig")
    assert "балл ЕГЭ" in csv
    assert "87" in csv


# ---------------------------------------------------------------------------- the service


@pytest.fixture(params=["memory", "sqlite"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    s = open_storage("memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'school.db'}")
    j = grade9()
    j.take_pending_changes()
    with s.unit_of_work() as uow:
        uow.schools.add(j.school)
        uow.journals.add(j)
        uow.commit()
    yield s
    s.close()


def test_the_service_records_choices_and_results_from_the_policy_table(storage: Storage) -> None:
    policy = FEDERAL.evolve(exams=ExamRule(conversions=(MATH, PHYS)))
    service = JournalService(storage, policy, clock=FixedClock(datetime(2026, 6, 20, 12, tzinfo=UTC)))
    class_teacher = Actor("t1", Role.CLASS_TEACHER, "sch")
    choice = service.record_exam_choice(
        class_teacher, "sch", "9a", "s1", ["c-phys", "c-chem"], chosen_on=date(2026, 3, 1)
    )
    assert choice.action is Action.SET_EXAM_CHOICE
    change = service.record_exam_result(ADMIN, "sch", "9a", "s1", "c-phys", 23)
    assert (change.after.value, change.after.primary_score) == (4, 23)  # type: ignore[union-attr]
    with pytest.raises(NotFound, match="chem"):
        service.record_exam_result(ADMIN, "sch", "9a", "s1", "c-chem", 23)  # no table for chemistry
    with pytest.raises(InvalidInput, match="did not choose"):
        service.record_exam_result(ADMIN, "sch", "9a", "s2", "c-phys", 23)
    stored = service.journal(ADMIN, "sch", "9a")
    assert stored.exam_choices["s1"] == ExamChoice("s1", ["c-chem", "c-phys"], date(2026, 3, 1))
    assert stored.result("s1", "c-phys", ResultKind.EXAM).primary_score == 23  # type: ignore[union-attr]
    history = service.history(ADMIN, "sch", "9a", student_id="s1")
    assert [c.action for c in history] == [Action.SET_EXAM_CHOICE, Action.SET_RESULT]
    with pytest.raises(PermissionDenied):
        service.record_exam_choice(Actor("t9", Role.SUBJECT_TEACHER, "sch"), "sch", "9a", "s2", ["c-phys"])
    with pytest.raises(PermissionDenied):
        service.record_exam_choice(Actor("deputy", Role.ADMINISTRATOR, "other"), "sch", "9a", "s2", ["c-phys"])
    with pytest.raises(InvalidInput, match="no exam choice"):
        service.clear_exam_choice(ADMIN, "sch", "9a", "s2")
    service.record_exam_choice(ADMIN, "sch", "9a", "s2", ["c-inf"])
    cleared = service.clear_exam_choice(class_teacher, "sch", "9a", "s2", reason="ошибка в заявлении")
    assert (cleared.action, cleared.reason) == (Action.CLEAR_EXAM_CHOICE, "ошибка в заявлении")
    assert "s2" not in service.journal(ADMIN, "sch", "9a").exam_choices

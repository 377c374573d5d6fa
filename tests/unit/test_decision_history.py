"""Several council decisions per student over the year, and the admission tests of grades 9 and 11.

The two sequences of DOMAIN.md: admitted to the state exams in May, then graduated in June; promoted
conditionally, then promoted once the debt is cleared by a retake.  Plus the withdrawal of a wrong
decision, the refusals, the admission tests (interview, essay), the audit log, the rewind, the service
and the sheet.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ejournal.core import (
    AcademicYear,
    ClassGroup,
    ClassJournal,
    Course,
    PersonName,
    School,
    Student,
    Subject,
    Teacher,
)
from ejournal.core.calendar import quarters
from ejournal.core.errors import InvalidInput, NotFound, PeriodLocked, PermissionDenied
from ejournal.core.grading import builtin_policy
from ejournal.core.history import rewind
from ejournal.core.journal import (
    YEAR,
    Action,
    Actor,
    AdmissionTest,
    AdmissionTestKind,
    Decision,
    DecisionKind,
    FixedClock,
    Retake,
    Role,
    admission_test_kind,
    decision_order,
)
from ejournal.core.summary import FORMAT_VERSION, SummarySheet, build_summary_sheet
from ejournal.core.validation import validate
from ejournal.i18n.collation import collator
from ejournal.render.i18n import catalog
from ejournal.render.tabular import outcome_text
from ejournal.service import JournalService
from ejournal.storage import open as open_storage
from ejournal.testing.conformance.builders import MSK, TickingClock
from ejournal.testing.strategies import decision_histories

Y = AcademicYear(2025)
ADMIN = Actor("director", Role.ADMINISTRATOR, "s-1")
TEACHER = Actor("t-1", Role.CLASS_TEACHER, "s-1")
INTERVIEW, ESSAY = AdmissionTestKind.INTERVIEW, AdmissionTestKind.ESSAY
MAY, JUNE = date(2026, 5, 20), date(2026, 6, 25)
RU = collator("ru")


def journal(grade: int) -> ClassJournal:
    q = quarters(Y)
    return ClassJournal(
        School("s-1", "Школа № 7"),
        ClassGroup(f"{grade}a", grade, "А", Y, "t-1"),
        students={
            "st-1": Student("st-1", PersonName("Абдуллин", "Тимур"), Y.start),
            "st-2": Student("st-2", PersonName("Борисова", "Яна"), date(2026, 3, 1)),  # arrives in March
        },
        teachers={"t-1": Teacher("t-1", PersonName("Сафина", "Гүзәл"))},
        subjects={"math": Subject("math", "Математика", 1)},
        courses={"c-math": Course("c-math", "math", None, 5, q.id)},
        schemes={q.id: q},
        clock=FixedClock(datetime(2026, 5, 28, 12, tzinfo=MSK)),
    )


def admitted(student_id: str = "st-1", day: date = MAY, protocol: str = "7") -> Decision:
    return Decision(student_id, DecisionKind.ADMITTED_TO_EXAM, day, protocol)


def graduated(student_id: str = "st-1", day: date = JUNE, protocol: str = "10") -> Decision:
    return Decision(student_id, DecisionKind.GRADUATED, day, protocol)


# ---------------------------------------------------------------------- the two sequences of DOMAIN.md
def test_admitted_in_may_then_graduated_in_june_both_stay_in_council_order() -> None:
    j = journal(9)
    first = j.record_decision(admitted(), by=ADMIN, reason="педсовет")
    second = j.record_decision(graduated(), by=ADMIN)
    assert j.decision_history("st-1") == (admitted(), graduated())
    assert j.decision_in_force("st-1") == graduated()
    assert j.decisions_in_force() == {"st-1": graduated()}
    assert j.decision_in_force("st-2") is None
    assert j.decision_history("st-2") == ()
    # each is audited as an addition: the earlier decision is not replaced
    assert [(c.action, c.before, c.after, c.student_id) for c in (first, second)] == [
        (Action.SET_DECISION, None, admitted(), "st-1"),
        (Action.SET_DECISION, None, graduated(), "st-1"),
    ]


def test_promoted_conditionally_then_promoted_after_the_debt_is_cleared() -> None:
    j = journal(7)
    j.set_annual_mark("st-1", "c-math", 2, by=ADMIN)
    conditional = Decision("st-1", DecisionKind.PROMOTED_CONDITIONALLY, date(2026, 5, 29), "12", 8, "математика")
    j.record_decision(conditional, by=ADMIN)
    j.close_period(YEAR, by=ADMIN)
    j.record_retake(Retake("st-1", "c-math", 1, date(2026, 9, 15), 3, "пр. 1"), by=ADMIN)
    promoted = Decision("st-1", DecisionKind.PROMOTED, date(2026, 9, 16), "3", 8)
    j.record_decision(promoted, by=ADMIN, reason="задолженность ликвидирована")  # after the year: allowed
    assert j.decision_history("st-1") == (conditional, promoted)
    assert j.decision_in_force("st-1") == promoted


def test_the_history_is_the_councils_order_whatever_the_order_of_entry() -> None:
    j = journal(9)
    j.record_decision(graduated(), by=ADMIN)  # entered first, decided later
    j.record_decision(admitted(), by=ADMIN)
    assert j.decision_history("st-1") == (admitted(), graduated())
    # one council date: the protocol number orders them, as a number (№ 9 before № 10)
    a = Decision("st-2", DecisionKind.ADMITTED_TO_EXAM, JUNE, "№ 10")
    b = Decision("st-2", DecisionKind.NOT_ADMITTED_TO_EXAM, JUNE, "№ 9")
    j.record_decision(a, by=ADMIN)
    j.record_decision(b, by=ADMIN)
    assert j.decision_history("st-2") == (b, a)


@given(history=decision_histories("st-1", Y, max_size=5), seed=st.randoms(use_true_random=False))
def test_recording_in_any_order_gives_the_same_history_and_the_same_audit_records(
    history: tuple[Decision, ...], seed: object
) -> None:
    shuffled = list(history)
    seed.shuffle(shuffled)  # type: ignore[attr-defined]
    in_order, mixed = journal(9), journal(9)
    for d in history:
        in_order.record_decision(d, by=ADMIN)
    for d in shuffled:
        mixed.record_decision(d, by=ADMIN)
    assert mixed.decision_history("st-1") == in_order.decision_history("st-1") == history
    assert mixed.decisions == in_order.decisions
    assert sorted((c.after for c in mixed.pending_changes), key=decision_order) == list(history)  # type: ignore[arg-type]
    expected = max(history, key=decision_order) if history else None
    assert mixed.decision_in_force("st-1") == expected


# ---------------------------------------------------------------------- refusals and withdrawal
def test_the_same_kind_on_the_same_council_date_is_refused_and_changes_nothing() -> None:
    j = journal(9)
    j.record_decision(admitted(), by=ADMIN)
    before = j.snapshot()
    with pytest.raises(InvalidInput, match=r"already recorded .*protocol 7.*withdraw it") as info:
        j.record_decision(admitted(protocol="8"), by=ADMIN)
    assert info.value.where == "decision for student st-1.kind"
    assert j.snapshot() == before
    j.record_decision(Decision("st-1", DecisionKind.ADMITTED_TO_EXAM, date(2026, 5, 21), "8"), by=ADMIN)  # another day


@pytest.mark.parametrize(
    ("decision", "error", "where"),
    [
        (Decision("st-1", DecisionKind.GRADUATED, date(2026, 9, 1), "1"), InvalidInput, "council_date"),
        (Decision("st-1", DecisionKind.GRADUATED, date(2025, 8, 31), "1"), InvalidInput, "council_date"),
        (Decision("st-1", DecisionKind.GRADUATED, JUNE, " "), InvalidInput, "protocol"),
        (Decision("ghost", DecisionKind.GRADUATED, JUNE, "1"), NotFound, ""),
    ],
)
def test_bad_decisions_are_refused(decision: Decision, error: type[Exception], where: str) -> None:
    j = journal(9)
    with pytest.raises(error) as info:
        j.record_decision(decision, by=ADMIN)
    if where:
        assert str(getattr(info.value, "where", "")).endswith(where)
    assert j.decisions == {}
    with pytest.raises(InvalidInput, match="must be a Decision"):
        j.record_decision("promoted", by=ADMIN)  # type: ignore[arg-type]


def test_a_wrong_decision_is_withdrawn_with_a_reason_and_the_others_stay() -> None:
    j = journal(9)
    j.record_decision(admitted(), by=ADMIN)
    wrong = Decision("st-1", DecisionKind.NOT_ADMITTED_TO_EXAM, MAY, "7")
    j.record_decision(wrong, by=ADMIN)
    with pytest.raises(InvalidInput, match="written reason"):
        j.withdraw_decision("st-1", MAY, DecisionKind.NOT_ADMITTED_TO_EXAM, by=ADMIN, reason=" ")
    with pytest.raises(NotFound):
        j.withdraw_decision("st-1", JUNE, DecisionKind.NOT_ADMITTED_TO_EXAM, by=ADMIN, reason="ошибка")
    change = j.withdraw_decision("st-1", MAY, DecisionKind.NOT_ADMITTED_TO_EXAM, by=ADMIN, reason="ошибка при вводе")
    assert (change.action, change.before, change.after, change.reason) == (
        Action.CLEAR_DECISION,
        wrong,
        None,
        "ошибка при вводе",
    )
    assert j.decision_history("st-1") == (admitted(),)


def test_withdrawing_the_conditional_promotion_under_a_later_follow_up_is_refused() -> None:
    j = journal(7)
    j.set_annual_mark("st-1", "c-math", 2, by=ADMIN)
    j.record_decision(Decision("st-1", DecisionKind.PROMOTED_CONDITIONALLY, date(2026, 5, 29), "12", 8), by=ADMIN)
    j.record_decision(Decision("st-1", DecisionKind.PROMOTED, date(2026, 9, 16), "3", 8), by=ADMIN)
    with pytest.raises(InvalidInput, match="withdraw it first"):
        j.withdraw_decision("st-1", date(2026, 5, 29), DecisionKind.PROMOTED_CONDITIONALLY, by=ADMIN, reason="x")
    j.withdraw_decision("st-1", date(2026, 9, 16), DecisionKind.PROMOTED, by=ADMIN, reason="ошибка")
    j.withdraw_decision("st-1", date(2026, 5, 29), DecisionKind.PROMOTED_CONDITIONALLY, by=ADMIN, reason="ошибка")
    assert j.decisions == {}


def test_decisions_lock_with_the_year_both_ways() -> None:
    j = journal(9)
    j.record_decision(admitted(), by=ADMIN)
    j.close_period(YEAR, by=ADMIN)
    with pytest.raises(PeriodLocked):
        j.record_decision(graduated(), by=TEACHER, reason="педсовет")
    with pytest.raises(PeriodLocked):
        j.withdraw_decision("st-1", MAY, DecisionKind.ADMITTED_TO_EXAM, by=TEACHER, reason="ошибка")
    j.record_decision(graduated(), by=ADMIN, reason="педсовет после закрытия года")


def test_rewind_undoes_an_addition_and_a_withdrawal() -> None:
    j = journal(9)
    clock = j.clock
    assert isinstance(clock, FixedClock)
    j.record_decision(admitted(), by=ADMIN)
    clock.advance_to(datetime(2026, 6, 25, 12, tzinfo=MSK))
    j.record_decision(graduated(), by=ADMIN)
    clock.advance_to(datetime(2026, 6, 26, 12, tzinfo=MSK))
    j.withdraw_decision("st-1", MAY, DecisionKind.ADMITTED_TO_EXAM, by=ADMIN, reason="ошибка")
    log = list(j.pending_changes)
    assert rewind(j, log, datetime(2026, 6, 25, 18, tzinfo=MSK)).decision_history("st-1") == (admitted(), graduated())
    assert rewind(j, log, datetime(2026, 6, 1, tzinfo=MSK)).decision_history("st-1") == (admitted(),)


# ---------------------------------------------------------------------- admission tests
def test_the_interview_of_grade_nine_with_a_retake_and_the_essay_of_grade_eleven() -> None:
    assert (admission_test_kind(9), admission_test_kind(11), admission_test_kind(10)) == (INTERVIEW, ESSAY, None)
    nine = journal(9)
    failed = AdmissionTest("st-1", INTERVIEW, 1, date(2026, 2, 11), False)
    passed = AdmissionTest("st-1", INTERVIEW, 2, date(2026, 3, 11), True, "дополнительный срок")
    change = nine.record_admission_test(failed, by=ADMIN)
    assert (change.action, change.before, change.after, change.student_id) == (
        Action.RECORD_ADMISSION_TEST,
        None,
        failed,
        "st-1",
    )
    nine.record_admission_test(passed, by=ADMIN)
    assert nine.admission_tests_of("st-1") == (failed, passed)
    assert nine.admission_passed("st-1")
    assert not nine.admission_passed("st-1", date(2026, 3, 10))
    eleven = journal(11)
    eleven.record_admission_test(AdmissionTest("st-1", ESSAY, 1, date(2025, 12, 3), True), by=ADMIN)
    assert eleven.admission_passed("st-1", MAY)


@pytest.mark.parametrize(
    ("grade", "test", "match"),
    [
        (10, AdmissionTest("st-1", INTERVIEW, 1, date(2026, 2, 11), True), "grade 9, the class is in grade 10"),
        (9, AdmissionTest("st-1", ESSAY, 1, date(2025, 12, 3), True), "grade 11, the class is in grade 9"),
        (9, AdmissionTest("st-1", INTERVIEW, 2, date(2026, 2, 11), True), "the next attempt is 1"),
        (9, AdmissionTest("st-1", INTERVIEW, 1, date(2026, 9, 2), True), "outside the academic year"),
        (9, AdmissionTest("st-2", INTERVIEW, 1, date(2026, 2, 11), True), "not in the class on that day"),
    ],
)
def test_admission_tests_refused(grade: int, test: AdmissionTest, match: str) -> None:
    j = journal(grade)
    with pytest.raises(InvalidInput, match=match):
        j.record_admission_test(test, by=ADMIN)
    assert j.admission_tests == {}


def test_at_most_three_attempts_in_order_and_none_after_a_pass() -> None:
    with pytest.raises(InvalidInput, match="from 1 to 3"):
        AdmissionTest("st-1", INTERVIEW, 4, date(2026, 5, 4), True)
    with pytest.raises(InvalidInput, match=r"true .зачёт. or false"):
        AdmissionTest("st-1", INTERVIEW, 1, date(2026, 2, 11), 1)  # type: ignore[arg-type]
    j = journal(9)
    days = (date(2026, 2, 11), date(2026, 3, 11), date(2026, 5, 4))
    for n, day in enumerate(days[:2], start=1):
        j.record_admission_test(AdmissionTest("st-1", INTERVIEW, n, day, False), by=ADMIN)
    with pytest.raises(InvalidInput, match="already recorded"):
        j.record_admission_test(AdmissionTest("st-1", INTERVIEW, 2, date(2026, 3, 12), False), by=ADMIN)
    with pytest.raises(InvalidInput, match="must come after attempt 2"):
        j.record_admission_test(AdmissionTest("st-1", INTERVIEW, 3, date(2026, 3, 1), True), by=ADMIN)
    j.record_admission_test(AdmissionTest("st-1", INTERVIEW, 3, days[2], True), by=ADMIN)
    k = journal(9)
    k.record_admission_test(AdmissionTest("st-1", INTERVIEW, 1, days[0], True), by=ADMIN)
    with pytest.raises(InvalidInput, match="already passed"):
        k.record_admission_test(AdmissionTest("st-1", INTERVIEW, 2, days[1], True), by=ADMIN)


def test_only_the_last_attempt_is_withdrawn_with_a_reason() -> None:
    j = journal(9)
    j.record_admission_test(AdmissionTest("st-1", INTERVIEW, 1, date(2026, 2, 11), False), by=ADMIN)
    j.record_admission_test(AdmissionTest("st-1", INTERVIEW, 2, date(2026, 3, 11), True), by=ADMIN)
    with pytest.raises(InvalidInput, match="withdraw it first"):
        j.withdraw_admission_test("st-1", INTERVIEW, 1, by=ADMIN, reason="ошибка")
    with pytest.raises(InvalidInput, match="written reason"):
        j.withdraw_admission_test("st-1", INTERVIEW, 2, by=ADMIN, reason="")
    change = j.withdraw_admission_test("st-1", INTERVIEW, 2, by=ADMIN, reason="ошибка в дате")
    assert (change.action, change.after) == (Action.WITHDRAW_ADMISSION_TEST, None)
    assert [t.attempt for t in j.admission_tests_of("st-1")] == [1]


# ---------------------------------------------------------------------- validation
def test_admission_without_a_passed_test_and_graduation_without_admission_are_findings() -> None:
    policy = builtin_policy("federal")
    j = journal(9)
    j.record_decision(graduated(), by=ADMIN)
    j.record_decision(admitted("st-2"), by=ADMIN)

    def codes() -> set[tuple[str, str]]:
        return {(f.code, f.student_id) for f in validate(j, policy, as_of=date(2026, 6, 30)).findings}

    assert {("EJ408", "st-1"), ("EJ409", "st-2")} <= codes()
    j.record_decision(admitted(), by=ADMIN)
    j.record_admission_test(AdmissionTest("st-1", INTERVIEW, 1, date(2026, 2, 11), True), by=ADMIN)
    j.record_admission_test(AdmissionTest("st-2", INTERVIEW, 1, date(2026, 3, 11), True), by=ADMIN)
    assert not {c for c in codes() if c[0] in ("EJ408", "EJ409")}


# ---------------------------------------------------------------------- the service
def test_the_service_records_withdraws_and_reads_the_history(tmp_path: Path) -> None:
    storage = open_storage(f"sqlite:///{tmp_path / 'school.db'}")
    service = JournalService(storage, builtin_policy("federal"), clock=TickingClock(datetime(2026, 6, 1, tzinfo=MSK)))
    j = journal(9)
    with storage.unit_of_work() as uow:
        uow.schools.add(j.school)
        uow.journals.add(j)
        uow.commit()
    test = AdmissionTest("st-1", INTERVIEW, 1, date(2026, 2, 11), True)
    with pytest.raises(PermissionDenied):
        service.record_admission_test(TEACHER, "s-1", j.id, test)
    service.record_admission_test(ADMIN, "s-1", j.id, test)
    service.record_decision(ADMIN, "s-1", j.id, graduated())
    service.record_decision(ADMIN, "s-1", j.id, admitted())
    wrong = Decision("st-1", DecisionKind.REPEAT_YEAR, JUNE, "10")
    service.record_decision(ADMIN, "s-1", j.id, wrong)
    with pytest.raises(PermissionDenied):
        service.withdraw_decision(TEACHER, "s-1", j.id, "st-1", JUNE, DecisionKind.REPEAT_YEAR, reason="ошибка")
    service.withdraw_decision(ADMIN, "s-1", j.id, "st-1", JUNE, DecisionKind.REPEAT_YEAR, reason="ошибка")
    assert service.decision_history(TEACHER, "s-1", j.id, "st-1") == (admitted(), graduated())
    with pytest.raises(NotFound):
        service.decision_history(ADMIN, "s-1", j.id, "ghost")
    stored = service.journal(ADMIN, "s-1", j.id)
    assert stored.admission_tests_of("st-1") == (test,)
    actions = [c.action for c in service.history(ADMIN, "s-1", j.id)]
    assert actions.count(Action.SET_DECISION) == 3
    assert Action.CLEAR_DECISION in actions
    assert Action.RECORD_ADMISSION_TEST in actions
    service.withdraw_admission_test(ADMIN, "s-1", j.id, "st-1", INTERVIEW, 1, reason="ошибка")
    assert service.journal(ADMIN, "s-1", j.id).admission_tests == {}
    storage.close()


# ---------------------------------------------------------------------- the sheet
def test_the_sheet_carries_every_decision_in_order_and_the_admission_test() -> None:
    j = journal(9)
    j.record_admission_test(AdmissionTest("st-1", INTERVIEW, 1, date(2026, 2, 11), False), by=ADMIN)
    j.record_admission_test(AdmissionTest("st-1", INTERVIEW, 2, date(2026, 3, 11), True), by=ADMIN)
    j.record_decision(graduated(), by=ADMIN)
    j.record_decision(admitted(), by=ADMIN)
    sheet = build_summary_sheet(j, collator=RU)
    row = sheet.row_of("st-1")
    assert [d.kind for d in row.decisions] == [DecisionKind.ADMITTED_TO_EXAM, DecisionKind.GRADUATED]
    assert row.decision is not None
    assert row.decision.kind is DecisionKind.GRADUATED  # the one in force
    assert [(t.attempt, t.passed) for t in row.admission_tests] == [(1, False), (2, True)]
    assert row.admission_tests[1].text_ru == "собеседование: зачёт 11.03.2026"
    data = sheet.to_dict()
    assert data["format_version"] == FORMAT_VERSION == 5
    assert SummarySheet.from_dict(data) == sheet
    lines = outcome_text(row, catalog("ru")).split("\n")
    assert lines == [
        "собеседование: незачёт 11.02.2026, зачёт 11.03.2026",
        "допущен(а) к ГИА (протокол № 7 от 20.05.2026)",
        "окончил(а) обучение (протокол № 10 от 25.06.2026)",
    ]
    assert outcome_text(sheet.row_of("st-2"), catalog("ru")) == ""
    # other grades print no admission test
    seven = journal(7)
    assert build_summary_sheet(seven, collator=RU).row_of("st-1").admission_tests == ()

"""The demo generator, stage 2: results, decisions and closed periods consistent with the grading rules."""

from __future__ import annotations

from collections import Counter

import pytest

from ejournal.core import (
    YEAR,
    Action,
    AssessmentKind,
    ClassJournal,
    DecisionKind,
    ResultKind,
    SchoolYear,
    Status,
)
from ejournal.core.exam_scores import convert_primary_score
from ejournal.core.grading import (
    GradingPolicy,
    builtin_policy,
    decide_promotion,
    propose_annual_mark,
    propose_final_mark,
    propose_period_mark,
)
from ejournal.demo import complete_results, describe, generate_class_journal, generate_school_year
from ejournal.demo._exams import DEMO_CONVERSIONS


@pytest.fixture(scope="module")
def sy() -> SchoolYear:
    return generate_school_year(seed=5, classes=6, students=160, grades=(1, 4, 7, 9, 10, 11))


@pytest.fixture(scope="module")
def policy() -> GradingPolicy:
    return builtin_policy("federal")


def journals(sy: SchoolYear, *grades: int) -> list[ClassJournal]:
    return [j for j in sy.journals.values() if not grades or j.class_group.grade in grades]


def test_results_are_deterministic(sy: SchoolYear) -> None:
    again = generate_school_year(seed=5, classes=6, students=160, grades=(1, 4, 7, 9, 10, 11))
    assert again == sy
    assert again.audit == sy.audit


def test_every_period_and_the_year_are_closed(sy: SchoolYear) -> None:
    for j in journals(sy):
        expected = {p.id for s in j.schemes.values() for p in s.periods} | {YEAR}
        assert j.closed_periods == expected
        assert j.pending_changes == []
        assert j.version == 0
        j.check_references()


def test_period_marks_are_the_proposals_or_reasoned_overrides_by_one(sy: SchoolYear, policy: GradingPolicy) -> None:
    overrides = 0
    total = 0
    for j in journals(sy):
        for r in j.results.values():
            if r.kind is not ResultKind.PERIOD:
                continue
            total += 1
            proposal = propose_period_mark(j, r.student_id, r.course_id, r.period_id, policy).value
            if r.value == proposal:
                continue
            assert r.reason, r
            if proposal is None:  # no mark at all in the period: certified as "н/а"
                assert r.value is Status.NOT_CERTIFIED, r
                continue
            overrides += 1
            assert isinstance(r.value, int)
            assert isinstance(proposal, int)
            assert r.value - proposal == 1, r
    assert total > 1000
    assert 1 <= overrides < total // 20


def test_period_marks_only_for_students_in_the_class_at_the_period_end(sy: SchoolYear) -> None:
    for j in journals(sy):
        for r in j.results.values():
            if r.kind is ResultKind.PERIOD:
                assert j.students[r.student_id].enrolled_on(j.period(r.course_id, r.period_id).end)
            else:
                assert j.students[r.student_id].left is None


def test_annual_marks_are_the_proposals(sy: SchoolYear, policy: GradingPolicy) -> None:
    count = 0
    for j in journals(sy):
        for r in j.results.values():
            if r.kind is ResultKind.ANNUAL:
                count += 1
                retakes = j.retakes_of(r.student_id, r.course_id)
                if retakes:  # a debt cleared at the end of August: the retake's result is the annual mark
                    assert r.value == retakes[-1].value
                    assert retakes[-1].owed == propose_annual_mark(j, r.student_id, r.course_id, policy).value
                    continue
                assert r.value == propose_annual_mark(j, r.student_id, r.course_id, policy).value
    assert count > 300


def test_first_grade_has_no_results_and_everyone_is_promoted(sy: SchoolYear) -> None:
    (j,) = journals(sy, 1)
    assert j.results == {}
    assert all(s.assessment is AssessmentKind.NONE for s in j.subjects.values())
    for s in j.students.values():
        if s.left is None:
            d = j.decision_in_force(s.id)
            assert d is not None
            assert (d.kind, d.to_grade) == (DecisionKind.PROMOTED, 2)
        else:
            assert j.decision_history(s.id) == ()


def test_promotion_follows_the_annual_marks(sy: SchoolYear) -> None:
    kinds: Counter[DecisionKind] = Counter()
    for j in journals(sy, 4, 7, 10):
        for s in j.students.values():
            if s.left is not None:  # a departure is a movement, not a council decision
                assert j.decision_history(s.id) == ()
                assert s.departure_order.strip()
                continue
            d = j.decision_in_force(s.id)
            assert d is not None
            kinds[d.kind] += 1
            annual = [r.value for r in j.results.values() if r.student_id == s.id and r.kind is ResultKind.ANNUAL]
            failing = any(v in (2, 1, Status.NOT_CERTIFIED, Status.FAIL) for v in annual)
            expected = DecisionKind.PROMOTED_CONDITIONALLY if failing else DecisionKind.PROMOTED
            assert d.kind is expected, (s.id, annual)
            assert d.to_grade == j.class_group.grade + 1
    assert kinds[DecisionKind.PROMOTED] > kinds[DecisionKind.PROMOTED_CONDITIONALLY] > 0


def test_decisions_carry_council_date_and_protocol(sy: SchoolYear, policy: GradingPolicy) -> None:
    for j in journals(sy):
        assert set(j.decisions_in_force()) == {s.id for s in j.students.values() if s.left is None}
        for s in j.students.values():
            if s.left is not None:
                continue
            d = j.decision_in_force(s.id)
            assert d is not None
            assert sy.year.contains(d.council_date)
            assert d.protocol.strip()
            assert d.kind is decide_promotion(j, s.id, policy).kind


def test_grade_nine_exams_and_final_marks(sy: SchoolYear, policy: GradingPolicy) -> None:
    (j,) = journals(sy, 9)
    required = [c.id for c in j.courses.values() if c.examined and not c.exam_by_choice]
    graduated = 0
    for s in j.students.values():
        d = j.decision_in_force(s.id)
        if d is None or d.kind not in (DecisionKind.GRADUATED, DecisionKind.GRADUATED_WITH_HONOURS):
            continue
        graduated += 1
        chosen = j.exam_choices[s.id].course_ids
        assert len(chosen) == 2
        assert all(j.courses[cid].exam_by_choice for cid in chosen)
        exams = {r.course_id: r for r in j.results.values() if r.student_id == s.id and r.kind is ResultKind.EXAM}
        assert set(exams) == {*required, *chosen}  # four exams: two required, two chosen
        assert j.result(s.id, f"{j.id}-geom", ResultKind.EXAM) is None  # one mathematics exam, on algebra
        for cid, exam in exams.items():
            table = DEMO_CONVERSIONS[j.courses[cid].subject_id]
            assert exam.primary_score is not None
            assert exam.value == convert_primary_score(exam.primary_score, table)
        for c in j.courses.values():
            final = j.result(s.id, c.id, ResultKind.FINAL)
            annual = j.result(s.id, c.id, ResultKind.ANNUAL)
            assert final is not None
            assert annual is not None
            exam = exams.get(c.id)
            if exam is None or not isinstance(annual.value, int):
                assert final.value == annual.value
            else:
                assert isinstance(exam.value, int)
                # the mean of annual and exam, an exact .5 rounded up
                assert final.value == (annual.value + exam.value + 1) // 2
            assert final.value == propose_final_mark(j, s.id, c.id, policy).value
    assert graduated > len(j.students) // 2


def test_grade_eleven_exams_on_the_hundred_point_scale(sy: SchoolYear) -> None:
    (j,) = journals(sy, 11)
    exams = [r for r in j.results.values() if r.kind is ResultKind.EXAM]
    finals = [r for r in j.results.values() if r.kind is ResultKind.FINAL]
    assert exams
    assert finals
    assert all(isinstance(r.value, int) and 24 <= r.value <= 100 for r in exams)
    assert all(r.value in (3, 4, 5, Status.EXEMPT) for r in finals)
    graduates = {sid for sid, d in j.decisions_in_force().items() if d.kind is DecisionKind.GRADUATED}
    assert graduates
    assert {r.student_id for r in finals} >= graduates


def test_exempt_students_get_osv_in_physical_education(sy: SchoolYear) -> None:
    exempt = 0
    for j in journals(sy, 4, 7, 9, 10, 11):
        pe = f"{j.id}-pe"
        for s in j.students.values():
            marks = j.result(s.id, pe, ResultKind.ANNUAL)
            if not j.marks_of(s.id, pe) and s.left is None and marks is not None:
                exempt += 1
                assert marks.value is Status.EXEMPT
                period_marks = [r for r in j.results.values() if r.student_id == s.id and r.course_id == pe]
                assert all(r.value is Status.EXEMPT for r in period_marks)
                assert all(r.reason for r in period_marks if r.kind is ResultKind.PERIOD)
    assert exempt >= 1


def test_some_students_are_not_certified(sy: SchoolYear) -> None:
    na = [r for j in journals(sy) for r in j.results.values() if r.value is Status.NOT_CERTIFIED]
    assert na


def test_audit_log_is_in_time_order_and_complete(sy: SchoolYear) -> None:
    times = [c.at for c in sy.audit]
    assert times == sorted(times)
    actions = Counter(c.action for c in sy.audit)
    results = sum(len(j.results) for j in sy.journals.values())
    cleared = sum(
        1 for j in sy.journals.values() for r in j.retakes.values() if j.scale_of(r.course_id).is_passing(r.value)
    )
    assert actions[Action.SET_RESULT] == results + cleared  # each cell was set once, and again by a passing retake
    assert actions[Action.RECORD_RETAKE] == sum(len(j.retakes) for j in sy.journals.values())
    tests = sum(len(j.admission_tests) for j in sy.journals.values())
    assert actions[Action.RECORD_ADMISSION_TEST] == tests > 0
    assert actions[Action.SET_DECISION] == sum(len(j.decisions) for j in sy.journals.values())
    closes = sum(len(j.closed_periods) for j in sy.journals.values())
    assert actions[Action.CLOSE_PERIOD] == closes
    assert describe(sy)["audit"] == len(sy.audit)


def test_complete_results_returns_its_changes_and_restores_the_clock(policy: GradingPolicy) -> None:
    raw = generate_class_journal(seed=2, grade=9, students=25, with_results=False)
    clock = raw.clock
    changes = complete_results(raw, policy, seed=2)
    assert raw.clock is clock
    assert raw.pending_changes == []
    assert changes
    assert [c.at for c in changes] == sorted(c.at for c in changes)
    assert changes[-1].action is Action.CLOSE_PERIOD
    assert changes[-1].period_id == YEAR
    assert raw == generate_class_journal(seed=2, grade=9, students=25)


def test_graduating_classes_pass_the_admission_test_are_admitted_in_may_and_graduate_in_june(sy: SchoolYear) -> None:
    for j in journals(sy, 9, 11):
        retaken = 0
        graduates = 0
        for s in j.students.values():
            if s.left is not None:
                continue
            tests = j.admission_tests_of(s.id)
            assert [t.attempt for t in tests] == list(range(1, len(tests) + 1))
            assert all(not t.passed for t in tests[:-1])
            retaken += len(tests) > 1
            history = j.decision_history(s.id)
            kinds = [d.kind for d in history]
            if kinds[0] is DecisionKind.NOT_ADMITTED_TO_EXAM:
                assert kinds == [DecisionKind.NOT_ADMITTED_TO_EXAM]
                continue
            graduates += 1
            assert kinds[0] is DecisionKind.ADMITTED_TO_EXAM
            assert kinds[1] in (DecisionKind.GRADUATED, DecisionKind.GRADUATED_WITH_HONOURS)
            assert len(kinds) == 2
            assert history[0].council_date.month == 5
            assert history[1].council_date.month == 6
            assert j.admission_passed(s.id, history[0].council_date)  # EJ409 has nothing to say
        assert graduates > len(j.students) // 2
        assert retaken >= 1  # a few failed the main date and passed on an additional one


def test_some_conditionally_promoted_clear_their_debts_and_are_promoted_in_august(sy: SchoolYear) -> None:
    later = 0
    still = 0
    for j in journals(sy, 4, 7, 10):
        for s in j.students.values():
            kinds = [d.kind for d in j.decision_history(s.id)]
            if kinds == [DecisionKind.PROMOTED_CONDITIONALLY, DecisionKind.PROMOTED]:
                later += 1
                promoted = j.decision_history(s.id)[1]
                assert promoted.council_date.month == 8
                assert all(j.debt_of(s.id, c) is None for c in j.courses)
                assert any(j.retakes_of(s.id, c) for c in j.courses)
            elif kinds == [DecisionKind.PROMOTED_CONDITIONALLY]:
                still += 1
    assert later >= 1
    assert still >= 1

"""Rolling a school into the next year from the council's decisions (pure plan, service, CLI)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from ejournal.cli import EXIT_BAD_INPUT, EXIT_OK, cli
from ejournal.core import AcademicYear, Action, Actor, InvalidInput, PermissionDenied, Role
from ejournal.core.grading import builtin_policy
from ejournal.core.journal import ClassJournal, Decision, DecisionKind
from ejournal.core.rollover import plan_rollover
from ejournal.demo import generate_class_journal, generate_school_year
from ejournal.service import JournalService
from ejournal.storage import open as open_storage
from ejournal.testing.conformance.builders import MSK, TickingClock

SY = generate_school_year(seed=3, classes=6, students=120)
YEAR = SY.year
ADMIN = Actor("director", Role.ADMINISTRATOR, SY.school.id)
NOT_ADMITTED = sorted(
    (sid, j.class_group.label)
    for j in SY.journals.values()
    for sid, d in j.decisions_in_force().items()
    if d.kind is DecisionKind.NOT_ADMITTED_TO_EXAM
)
PLACE = dict(NOT_ADMITTED)  # left to repeat their grade


def _expected_classes(journals: list[ClassJournal]) -> dict[str, set[str]]:
    """Next year's classes recomputed from the decisions as the regulation words them."""
    out: dict[str, set[str]] = {}
    for j in journals:
        g = j.class_group
        for s in j.students.values():
            if s.left is not None and s.left < g.year.end:
                continue
            kind = j.decisions_in_force()[s.id].kind
            if s.id in PLACE:
                out.setdefault(PLACE[s.id], set()).add(s.id)
            elif kind in (DecisionKind.PROMOTED, DecisionKind.PROMOTED_CONDITIONALLY):
                out.setdefault(f"{g.grade + 1}{g.letter}", set()).add(s.id)
            elif kind is DecisionKind.REPEAT_YEAR:
                out.setdefault(g.label, set()).add(s.id)
    return out


def test_promoted_students_move_up_graduates_leave_and_the_placed_repeat() -> None:
    plan = plan_rollover(SY.journals.values(), placements=PLACE)
    got = {j.class_group.label: set(j.students) for j in plan.journals}
    assert got == _expected_classes(list(SY.journals.values()))
    assert plan.to_year == AcademicYear(YEAR.start_year + 1)
    for j in plan.journals:
        assert j.class_group.year == plan.to_year
        assert (j.lessons, j.marks, j.results, j.decisions) == ({}, {}, {}, {})
        assert all(s.enrolled == plan.to_year.start and s.left is None for s in j.students.values())
        for c in j.courses.values():  # every course is certified by a scheme of the new year
            assert all(
                plan.to_year.contains(p.start) and plan.to_year.contains(p.end) for p in j.scheme_of(c.id).periods
            )
    left = {m.student_id for m in plan.moves if not m.to_label}
    graduated = {
        sid
        for j in SY.journals.values()
        for sid, d in j.decisions_in_force().items()
        if d.kind in (DecisionKind.GRADUATED, DecisionKind.GRADUATED_WITH_HONOURS, DecisionKind.LEFT)
    }
    assert graduated - {s for j in SY.journals.values() for s, st in j.students.items() if st.left} <= left


def test_the_conditionally_promoted_carry_their_debts() -> None:
    plan = plan_rollover(SY.journals.values(), placements=PLACE)
    expected = {
        (sid, c.id)
        for j in SY.journals.values()
        for sid, d in j.decisions_in_force().items()
        if d.kind is DecisionKind.PROMOTED_CONDITIONALLY
        for c in j.courses.values()
        if (r := j.results.get(_annual(sid, c.id))) is not None and j.scale_of(c.id).is_passing(r.value) is False
    }
    assert expected  # the demo has conditionally promoted students with debts
    assert {(d.student_id, d.course_id) for d in plan.debts} == expected


def _annual(sid: str, cid: str) -> object:
    from ejournal.core.journal import ResultKey, ResultKind

    return ResultKey(sid, cid, ResultKind.ANNUAL)


def test_a_missing_decision_or_placement_refuses_the_whole_rollover() -> None:
    with pytest.raises(InvalidInput, match="needs a placement") as info:
        plan_rollover(SY.journals.values())
    assert NOT_ADMITTED[0][0] in str(info.value)
    journals = [j.copy() for j in SY.journals.values()]
    victim = next(j for j in journals if j.class_group.grade == 5)
    sid = sorted(victim.decisions_in_force())[0]
    for key in [k for k in victim.decisions if k[0] == sid]:
        del victim.decisions[key]
    with pytest.raises(InvalidInput, match=f"class 5А, student {sid}: .* has no final council decision"):
        plan_rollover(journals, placements=PLACE)
    with pytest.raises(InvalidInput, match="must be a class label"):
        plan_rollover(SY.journals.values(), placements={**PLACE, NOT_ADMITTED[0][0]: "одиннадцатый"})
    with pytest.raises(InvalidInput, match="in none of the classes"):
        plan_rollover(SY.journals.values(), placements={**PLACE, "nobody": "8А"})


def test_the_curriculum_of_the_next_grade_is_the_one_taught_this_year_and_repeaters_stay() -> None:
    five = generate_class_journal(grade=5, students=6, seed=1, letter="А")
    six = generate_class_journal(grade=6, students=6, seed=2, letter="А")
    six = six.copy(school=five.school)
    for j in (five, six):
        j.decisions.clear()
        for sid in j.students:
            d = Decision(sid, DecisionKind.PROMOTED, j.class_group.year.end, "1", j.class_group.grade + 1)
            j.decisions[d.key] = d
    repeater = sorted(five.students)[0]
    five.decisions = {k: d for k, d in five.decisions.items() if d.student_id != repeater}
    repeat = Decision(repeater, DecisionKind.REPEAT_YEAR, five.class_group.year.end, "1")
    five.decisions[repeat.key] = repeat
    plan = plan_rollover([five, six])
    by_label = {j.class_group.label: j for j in plan.journals}
    assert set(by_label) == {"5А", "6А", "7А"}
    assert set(by_label["5А"].students) == {repeater}
    assert set(by_label["6А"].students) == set(five.students) - {repeater}
    # next year's 6А learns what this year's 6А learnt, taught by the same teachers
    assert by_label["6А"].subjects == six.subjects
    assert {c.id: c.teacher_id for c in by_label["6А"].courses.values()} == {
        c.id: c.teacher_id for c in six.courses.values()
    }
    # the class teacher goes up with the class
    assert by_label["6А"].class_group.class_teacher_id == five.class_group.class_teacher_id


def _service(tmp_path: Path) -> JournalService:
    storage = open_storage(f"sqlite:///{tmp_path / 'school.db'}")
    service = JournalService(storage, builtin_policy("federal"), clock=TickingClock(datetime(2026, 6, 20, tzinfo=MSK)))
    service.import_school_year(ADMIN, SY)
    return service


def test_the_service_creates_next_years_journals_in_one_unit_of_work(tmp_path: Path) -> None:
    service = _service(tmp_path)
    dry = service.rollover(ADMIN, SY.school.id, YEAR, placements=PLACE, dry_run=True)
    assert service.journal_ids(ADMIN, SY.school.id, dry.to_year) == []
    plan = service.rollover(ADMIN, SY.school.id, YEAR, placements=PLACE)
    assert service.journal_ids(ADMIN, SY.school.id, plan.to_year) == sorted(j.id for j in plan.journals)
    for j in plan.journals:
        stored = service.journal(ADMIN, SY.school.id, j.id)
        assert set(stored.students) == set(j.students)
        [created] = service.history(ADMIN, SY.school.id, j.id)
        assert (created.action, created.reason) == (Action.CREATE_JOURNAL, f"rollover from {YEAR}")
    with pytest.raises(InvalidInput, match="exists already"):
        service.rollover(ADMIN, SY.school.id, YEAR, placements=PLACE)
    teacher = Actor("t-1", Role.CLASS_TEACHER, SY.school.id)
    with pytest.raises(PermissionDenied):
        service.rollover(teacher, SY.school.id, YEAR, placements=PLACE)


def test_cli_rollover_dry_run_then_for_real_and_a_clear_refusal(tmp_path: Path) -> None:
    service = _service(tmp_path)
    service.storage.close()
    db = f"sqlite:///{tmp_path / 'school.db'}"
    runner = CliRunner()
    refused = runner.invoke(cli, ["year", "rollover", "--db", db, "--from", str(YEAR)])
    assert refused.exit_code == EXIT_BAD_INPUT
    assert "needs a placement" in refused.output
    assert "Traceback" not in refused.output
    places = [arg for sid, label in NOT_ADMITTED for arg in ("--place", f"{sid}={label}")]
    args = ["year", "rollover", "--db", db, "--from", str(YEAR), *places]
    dry = runner.invoke(cli, [*args, "--dry-run"])
    assert dry.exit_code == EXIT_OK, dry.output
    assert dry.output.startswith("Would create")
    real = runner.invoke(cli, args)
    assert real.exit_code == EXIT_OK, real.output
    assert f"Created {len(_expected_classes(list(SY.journals.values())))} classes" in real.output
    malformed = runner.invoke(cli, ["year", "rollover", "--db", db, "--from", str(YEAR), "--place", "11А"])
    assert malformed.exit_code == EXIT_BAD_INPUT
    assert "--place" in malformed.output
    assert "STUDENT_ID=CLASS" in malformed.output
    bad_year = runner.invoke(cli, ["year", "rollover", "--db", db, "--from", "1999/2000"])
    assert bad_year.exit_code == EXIT_BAD_INPUT
    assert str(YEAR) in bad_year.output  # the choices are listed


def test_decisions_are_attrs_frozen() -> None:
    # The plan copies records, never shares a mutable one with the source journals.
    plan = plan_rollover(SY.journals.values(), placements=PLACE)
    source_students = {id(s) for j in SY.journals.values() for s in j.students.values()}
    assert not any(id(s) in source_students for j in plan.journals for s in j.students.values())
    assert attrs.has(type(plan.moves[0]))

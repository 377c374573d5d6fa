"""The public Hypothesis strategies produce valid, consistent values."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ejournal.core import (
    Actor,
    ClassJournal,
    PeriodScheme,
    PersonName,
    Role,
    Scale,
    WorkType,
)
from ejournal.core.calendar import AcademicYear, Period
from ejournal.core.grading import GradingPolicy, Rounding, propose_period_mark, propose_period_marks
from ejournal.core.grading.policy import RoundingMethod
from ejournal.core.journal import Decision, decision_order
from ejournal.core.scales import PASS_FAIL
from ejournal.testing import strategies
from ejournal.testing.strategies import (
    class_journals,
    grades,
    period_schemes,
    policies,
    register_type_strategies,
    roundings,
    scales,
)

ADMIN = Actor("loader", Role.SYSTEM)


def _empty_copy(j: ClassJournal) -> ClassJournal:
    return ClassJournal(
        j.school,
        j.class_group,
        students=dict(j.students),
        teachers=dict(j.teachers),
        subjects=dict(j.subjects),
        courses=dict(j.courses),
        schemes=dict(j.schemes),
        scales=dict(j.scales),
        work_types=dict(j.work_types),
        attendance_codes=dict(j.attendance_codes),
        clock=j.clock,
    )


@settings(max_examples=40)
@given(class_journals(min_students=1, max_students=4, min_marks=1, max_marks=30))
def test_every_record_of_a_drawn_journal_passes_the_aggregates_own_commands(j: ClassJournal) -> None:
    replay = _empty_copy(j)
    for lesson in sorted(j.lessons.values(), key=lambda le: le.id):
        replay.add_lesson(lesson, by=ADMIN)
    for m in j.marks.values():
        replay.record_mark(m.student_id, m.lesson_id, m.value, m.work_type_id, by=ADMIN, mark_id=m.id)
    for (sid, lid), a in j.attendance.items():
        replay.record_attendance(sid, lid, a.code, by=ADMIN)
    for r in j.results.values():
        replay.set_period_mark(r.student_id, r.course_id, r.period_id, r.value, by=ADMIN)
    assert set(replay.marks) == set(j.marks)
    assert all(replay.marks[k].value == m.value for k, m in j.marks.items())
    assert replay.results.keys() == j.results.keys()
    assert len(j.marks) >= 1


@settings(max_examples=25)
@given(class_journals(max_students=3), policies())
def test_every_period_mark_of_a_drawn_journal_can_be_proposed(j: ClassJournal, policy: GradingPolicy) -> None:
    batch = propose_period_marks(j, policy, explain=True)
    assert len(batch) == len(j.students) * sum(len(j.scheme_of(c).periods) for c in j.courses)
    for key, mark in batch.items():
        assert mark == propose_period_mark(j, key.student_id, key.course_id, key.period_id, policy)
        assert mark.policy_hash == policy.content_hash


@given(scales().flatmap(lambda s: st.tuples(st.just(s), grades(s))))
def test_grades_belong_to_their_scale(case: tuple[Scale, int]) -> None:
    scale, grade = case
    assert scale.allows(grade)


@given(period_schemes(AcademicYear(2030), min_size=2, max_size=5))
def test_period_schemes_fit_their_year(scheme: PeriodScheme) -> None:
    assert scheme.fits(AcademicYear(2030))
    assert 2 <= len(scheme.periods) <= 5


@given(roundings(methods=[RoundingMethod.TABLE], top=10))
def test_rounding_tables_cover_every_grade_above_the_lowest(rounding: Rounding) -> None:
    assert [t.grade for t in rounding.thresholds] == list(range(10, 1, -1))


def test_register_type_strategies_makes_from_type_work() -> None:
    register_type_strategies()

    @settings(max_examples=5, database=None)
    @given(
        st.from_type(Scale),
        st.from_type(WorkType),
        st.from_type(Period),
        st.from_type(PeriodScheme),
        st.from_type(GradingPolicy),
        st.from_type(PersonName),
        st.from_type(ClassJournal),
    )
    def check(
        scale: Scale,
        work_type: WorkType,
        period: Period,
        scheme: PeriodScheme,
        policy: GradingPolicy,
        name: PersonName,
        journal: ClassJournal,
    ) -> None:
        assert isinstance(scale, Scale)
        assert isinstance(work_type, WorkType)
        assert isinstance(period, Period)
        assert isinstance(scheme, PeriodScheme)
        assert isinstance(policy, GradingPolicy)
        assert name.surname
        assert journal.class_group.year.contains(datetime(2026, 1, 1).date())

    check()


@settings(max_examples=30)
@given(
    st.data(),
    st.integers(1, 4).flatmap(lambda lo: st.tuples(st.just(lo), st.integers(lo, lo + 2))),
    st.integers(1, 3).flatmap(lambda lo: st.tuples(st.just(lo), st.integers(lo, 3))),
    st.integers(0, 6).flatmap(lambda lo: st.tuples(st.just(lo), st.integers(lo, lo + 6))),
)
def test_class_journals_honour_their_size_bounds(
    data: st.DataObject, students: tuple[int, int], courses: tuple[int, int], marks: tuple[int, int]
) -> None:
    j = data.draw(
        class_journals(
            min_students=students[0],
            max_students=students[1],
            min_courses=courses[0],
            max_courses=courses[1],
            min_marks=marks[0],
            max_marks=marks[1],
        )
    )
    assert students[0] <= len(j.students) <= students[1]
    assert courses[0] <= len(j.courses) <= courses[1]
    assert marks[0] <= len(j.marks) <= marks[1]


def test_the_hypothesis_entry_point_registers_the_strategies() -> None:
    found = [ep for ep in importlib.metadata.entry_points(group="hypothesis") if ep.value.startswith("ejournal.")]
    assert [ep.value for ep in found] == ["ejournal.testing._hypothesis_plugin:_register"]
    # A fresh interpreter where nothing calls register_type_strategies: Hypothesis's plugin loading must.
    code = (
        "from hypothesis import given, settings, strategies as st\n"
        "from ejournal.core import ClassJournal, Scale\n"
        "from ejournal.core.grading import GradingPolicy\n"
        "@settings(max_examples=3, database=None)\n"
        "@given(st.from_type(ClassJournal), st.from_type(Scale), st.from_type(GradingPolicy))\n"
        "def check(j, scale, policy):\n"
        "    assert isinstance(j, ClassJournal) and isinstance(scale, Scale) and isinstance(policy, GradingPolicy)\n"
        "check()\n"
        "print('registered')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "registered"


def test_without_hypothesis_the_import_error_names_the_testing_extra() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'hypothesis' or name.startswith('hypothesis.'):\n"
        "            raise ImportError('no hypothesis here')\n"
        "sys.meta_path.insert(0, Block())\n"
        "try:\n"
        "    import ejournal.testing.strategies\n"
        "except ImportError as e:\n"
        "    print(e)\n"
        "else:\n"
        "    print('imported')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert "ejournal[testing]" in run.stdout


def test_the_strategies_import_first_in_a_fresh_interpreter() -> None:
    # Importing the strategies before anything else loads Hypothesis, whose plugin loading calls
    # back into ejournal while the strategies module is half-initialised.
    code = (
        "import ejournal.testing.strategies as s\n"
        "from hypothesis import given, settings, strategies as st\n"
        "from ejournal.core import ClassJournal, PersonName\n"
        "@settings(max_examples=3, database=None)\n"
        "@given(st.from_type(ClassJournal), st.from_type(PersonName), s.scales())\n"
        "def check(j, name, scale):\n"
        "    assert isinstance(j, ClassJournal) and isinstance(name, PersonName)\n"
        "check()\n"
        "print('imported')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "imported"


@pytest.mark.parametrize(
    "call",
    [
        lambda: strategies.academic_years(2030, 2020),
        lambda: strategies.academic_years(1.5, 2020),  # type: ignore[arg-type]
        lambda: strategies.scales(numeric_only="yes"),  # type: ignore[arg-type]
        lambda: strategies.grades("five"),  # type: ignore[arg-type]
        lambda: strategies.grades(PASS_FAIL),
        lambda: strategies.weights(max_weight=0),
        lambda: strategies.work_types(weight=Fraction(1)),  # type: ignore[arg-type]
        lambda: strategies.marks(min_size=5, max_size=2),
        lambda: strategies.marks(min_size=-1),
        lambda: strategies.periods(2025),  # type: ignore[arg-type]
        lambda: strategies.period_schemes(min_size=0),
        lambda: strategies.roundings(methods=[]),
        lambda: strategies.roundings(top=1),
        lambda: strategies.policies(aggregations=["mean"]),  # type: ignore[list-item]
        lambda: strategies.policies(cap=True),  # type: ignore[arg-type]
        lambda: strategies.class_journals(min_students=3, max_students=2),
        lambda: strategies.class_journals(min_students=0),
        lambda: strategies.class_journals(grade=9),  # type: ignore[arg-type]
        lambda: strategies.class_journals(with_decisions="yes"),  # type: ignore[arg-type]
        lambda: strategies.decisions(""),
        lambda: strategies.decisions(kinds=[]),
        lambda: strategies.decision_histories(min_size=3, max_size=1),
        lambda: strategies.admission_tests(max_size=4),
        lambda: strategies.admission_tests(first=date(2026, 5, 1), last=date(2026, 4, 1)),
    ],
)
def test_bad_arguments_raise_invalid_argument_when_the_strategy_is_built(call: Callable[[], object]) -> None:
    with pytest.raises(InvalidArgument):
        call()


_ADMIN = Actor("director", Role.ADMINISTRATOR)


@given(strategies.class_journals(grade=st.sampled_from([9, 11]), max_marks=5))
def test_generated_decisions_and_admission_tests_could_be_recorded_again(journal: ClassJournal) -> None:
    empty = journal.copy()
    empty.decisions.clear()
    empty.admission_tests.clear()
    for d in sorted(journal.decisions.values(), key=lambda d: (d.student_id, d.council_date)):
        empty.record_decision(d, by=_ADMIN)
    for t in sorted(journal.admission_tests.values(), key=lambda t: (t.student_id, t.attempt)):
        empty.record_admission_test(t, by=_ADMIN)
    assert empty.snapshot() == journal.snapshot()


@given(strategies.decision_histories("s1", max_size=5))
def test_decision_histories_are_in_council_order_with_one_kind_per_council(history: tuple[Decision, ...]) -> None:
    assert list(history) == sorted(history, key=decision_order)
    assert len({(d.council_date, d.kind) for d in history}) == len(history)

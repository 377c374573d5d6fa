"""The gradebook gives the engine's marks and explanations, and an updated gradebook those of a fresh one."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import event, given, settings
from hypothesis import strategies as st

from ejournal.core import Actor, ClassJournal, EjournalError, Role
from ejournal.core.grading import (
    GradingPolicy,
    compute_annual_mark,
    propose_annual_mark,
    propose_final_mark,
    propose_period_mark,
)
from ejournal.core.grading.gradebook import Gradebook
from ejournal.core.journal import Change
from ejournal.core.scales import Status
from ejournal.testing.strategies import class_journals, grades, policies

ADMIN = Actor("admin", Role.ADMINISTRATOR)


def _cells(j: ClassJournal) -> list[tuple[str, str, str]]:
    return [(s, c, p.id) for s in sorted(j.students) for c in sorted(j.courses) for p in j.scheme_of(c).periods]


@settings(max_examples=40)
@given(class_journals(max_students=4), policies())
def test_every_cell_is_the_engines_mark_with_the_engines_explanation(j: ClassJournal, policy: GradingPolicy) -> None:
    book = Gradebook.of(j, policy)
    for sid, cid, pid in _cells(j):
        cell = book.period(sid, cid, pid)
        bare = propose_period_mark(j, sid, cid, pid, policy, explain=False)
        assert (cell.value, cell.mean, cell.policy_hash) == (bare.value, bare.mean, bare.policy_hash)
        assert cell.summary == bare
        assert not cell.explained
        assert cell.computed() == propose_period_mark(j, sid, cid, pid, policy)
    for sid in sorted(j.students):
        for cid in sorted(j.courses):
            assert book.annual(sid, cid).computed() == propose_annual_mark(j, sid, cid, policy)
            assert book.final(sid, cid).computed() == propose_final_mark(j, sid, cid, policy)


def _change(j: ClassJournal, data: st.DataObject) -> list[Change]:
    """Apply a few random commands (marks, attendance, result marks, brought marks); return their changes."""
    made: list[Change] = []
    lessons = sorted(j.lessons)
    students = sorted(j.students)
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(("mark", "correct", "delete", "absent", "period", "annual", "bring")))
        sid = data.draw(st.sampled_from(students))
        lid = data.draw(st.sampled_from(lessons))
        cid = j.lessons[lid].course_id
        try:
            if kind == "mark":
                wt = data.draw(st.sampled_from(sorted(j.work_types)))
                made.append(j.record_mark(sid, lid, data.draw(grades()), wt, by=ADMIN))
            elif kind in ("correct", "delete") and j.marks:
                mid = data.draw(st.sampled_from(sorted(j.marks)))
                if kind == "correct":
                    made.append(j.correct_mark(mid, data.draw(grades()), by=ADMIN, reason="typo"))
                else:
                    made.append(j.delete_mark(mid, by=ADMIN, reason="typo"))
            elif kind == "absent":
                made.append(j.record_attendance(sid, lid, data.draw(st.sampled_from(("н", "б", None))), by=ADMIN))
            elif kind == "period":
                pid = data.draw(st.sampled_from(j.scheme_of(cid).periods)).id
                value = data.draw(st.one_of(grades(), st.just(Status.EXEMPT), st.none()))
                made.append(j.set_period_mark(sid, cid, pid, value, by=ADMIN, reason="set"))
            elif kind == "annual":
                made.append(j.set_annual_mark(sid, cid, data.draw(grades()), by=ADMIN, reason="set"))
            elif kind == "bring":
                early = [(s, le) for s in students for le in lessons if j.lessons[le].date < j.students[s].enrolled]
                if not early:
                    continue
                sid, lid = data.draw(st.sampled_from(early))
                wt = data.draw(st.sampled_from(sorted(j.work_types)))
                le = j.lessons[lid]
                made.append(j.bring_mark(sid, le.course_id, le.date, data.draw(grades()), wt, "школа №2", by=ADMIN))
        except EjournalError:
            continue  # a command the journal refuses (not enrolled that day...) changes nothing
        event(f"applied: {kind}")
    return made


@settings(max_examples=40)
@given(class_journals(max_students=3, min_marks=1), policies(), st.data())
def test_an_updated_gradebook_equals_a_fresh_one(j: ClassJournal, policy: GradingPolicy, data: st.DataObject) -> None:
    book = Gradebook.of(j, policy)
    before = {cell: book.period(*cell) for cell in _cells(j)}
    for sid in j.students:
        for cid in j.courses:
            book.annual(sid, cid)
            book.final(sid, cid)
    changed = j.copy()
    changes = _change(changed, data)
    updated = book.updated(changed, changes)
    fresh = Gradebook.of(changed, policy)
    touched = {(c.student_id, c.course_id) for c in changes}
    for cell in _cells(changed):
        got = updated.period(*cell)
        assert got.computed() == fresh.period(*cell).computed()
        if (cell[0], cell[1]) not in touched:
            assert got is before[cell]  # kept, not recomputed
    for sid in changed.students:
        for cid in changed.courses:
            assert updated.annual(sid, cid).computed() == fresh.annual(sid, cid).computed()
            assert updated.final(sid, cid).computed() == fresh.final(sid, cid).computed()
    # The gradebook it was updated from still describes the journal it was built from.
    for cell in _cells(j):
        assert book.period(*cell) is before[cell]


@given(policies(), st.lists(st.one_of(grades(), st.none()), min_size=1, max_size=4))
def test_the_annual_mean_is_the_weighted_mean_of_the_numeric_period_marks(
    policy: GradingPolicy, values: list[int | None]
) -> None:
    periods = [(f"p{i + 1}", v) for i, v in enumerate(values)]
    result = compute_annual_mark(periods, policy)
    weights = [policy.annual.last_period_weight if i == len(values) - 1 else Fraction(1) for i in range(len(values))]
    pairs = [(w, v) for w, v in zip(weights, values, strict=True) if v is not None]
    if not pairs:
        assert result.value is None
        return
    total = sum((w * v for w, v in pairs), Fraction(0))
    weight = sum((w for w, _ in pairs), Fraction(0))
    assert result.explanation.weighted_sum == total
    assert result.explanation.weight_total == weight
    assert result.mean == total / weight

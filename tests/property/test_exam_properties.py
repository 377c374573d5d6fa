"""Properties of state exams: the ОГЭ conversion, the exam→course mapping, ЕГЭ scores kept apart."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ejournal.core.errors import InvalidInput
from ejournal.core.exam_scores import ScoreConversion, convert_primary_score, explain_primary_score
from ejournal.core.grading import ExamRule, builtin_policy, compute_final_mark_grade9, propose_final_mark
from ejournal.core.journal import ClassJournal, ResultKey, ResultKind, ResultMark
from ejournal.core.scales import Scale
from ejournal.core.stats import categorize_students, class_stats, subject_stats
from ejournal.testing.strategies import class_journals, score_conversions

FEDERAL = builtin_policy("federal")
_AT = datetime(2026, 6, 20, 10, tzinfo=UTC)
EGE = Scale("ege100", "стобалльная (ЕГЭ)", tuple(range(101)), 24)


@given(score_conversions(), st.data())
def test_conversion_is_monotone_and_stays_on_the_five_point_scale(table: ScoreConversion, data: st.DataObject) -> None:
    a = data.draw(st.integers(0, table.max_score))
    b = data.draw(st.integers(a, table.max_score))
    assert convert_primary_score(a, table) <= convert_primary_score(b, table)
    assert convert_primary_score(a, table) in (2, 3, 4, 5)
    assert convert_primary_score(0, table) == 2
    assert convert_primary_score(table.max_score, table) == 5


@given(score_conversions())
def test_each_threshold_is_the_lowest_score_of_its_mark(table: ScoreConversion) -> None:
    for mark, lowest in ((3, table.three), (4, table.four), (5, table.five)):
        assert convert_primary_score(lowest, table) == mark
        assert convert_primary_score(lowest - 1, table) == mark - 1
        assert explain_primary_score(lowest, table).lowest == lowest


@given(score_conversions(), st.one_of(st.integers(max_value=-1), st.integers(min_value=101)))
def test_scores_out_of_range_are_refused(table: ScoreConversion, score: int) -> None:
    with pytest.raises(InvalidInput, match="primary_score"):
        convert_primary_score(score, table)


def _sits(journal: ClassJournal, student_id: str, course_id: str) -> bool:
    course = journal.courses[course_id]
    if not course.examined:
        return False
    choice = journal.exam_choices.get(student_id)
    return not course.exam_by_choice or (choice is not None and course_id in choice.course_ids)


def _allowed_exam(journal: ClassJournal, student_id: str, course_id: str, shared: bool) -> str | None:
    """Written from the rule's statement, not from the code: the course's own exam where the
    student sits it; another course's exam only by ``exam_of`` and only with the setting."""
    course = journal.courses[course_id]
    if course.examined:
        return course_id if _sits(journal, student_id, course_id) else None
    if shared and course.exam_of is not None and _sits(journal, student_id, course.exam_of):
        return course.exam_of
    return None


def _flip_exams(journal: ClassJournal, keep: str | None, student_id: str) -> ClassJournal:
    """The journal with every exam mark of the student except ``keep``'s changed (2 ↔ 5, else 2)."""
    other = journal.copy()
    for key, r in journal.results.items():
        if key.kind is ResultKind.EXAM and key.student_id == student_id and key.course_id != keep:
            flipped = 5 if r.value == 2 else 2
            other.results[key] = attrs.evolve(r, value=flipped, primary_score=None)
    return other


@given(class_journals(grade=st.just(9), with_exams=True, max_courses=4, max_marks=0), st.booleans())
def test_the_final_mark_is_never_taken_from_an_unmapped_exam(journal: ClassJournal, shared: bool) -> None:
    policy = FEDERAL.evolve(exams=ExamRule(one_exam_into_several_courses=shared))
    for sid in journal.students:
        for cid in journal.courses:
            source = _allowed_exam(journal, sid, cid, shared)
            got = propose_final_mark(journal, sid, cid, policy)
            assert propose_final_mark(_flip_exams(journal, source, sid), sid, cid, policy).value == got.value
            annual = journal.result(sid, cid, ResultKind.ANNUAL)
            exam = journal.result(sid, source, ResultKind.EXAM) if source is not None else None
            want = compute_final_mark_grade9(
                None if annual is None else annual.value,
                None if exam is None else exam.value,
                policy,
                examined=source is not None,
            )
            assert got.value == want.value


def _with_ege(journal: ClassJournal, scores: list[int]) -> ClassJournal:
    """Grade 11, every examined course's exam on the 100-point scale, its exam marks replaced by ``scores``."""
    courses = {
        cid: attrs.evolve(c, exam_scale_id=EGE.id, exam_by_choice=False) if c.examined else c
        for cid, c in journal.courses.items()
    }
    results = {k: r for k, r in journal.results.items() if k.kind is not ResultKind.EXAM}
    i = 0
    for sid in sorted(journal.students):
        for cid, c in sorted(courses.items()):
            if c.examined and scores:
                r = ResultMark(sid, cid, ResultKind.EXAM, scores[i % len(scores)], _AT, "t1")
                results[ResultKey(sid, cid, ResultKind.EXAM)] = r
                i += 1
    return ClassJournal(
        journal.school,
        attrs.evolve(journal.class_group, grade=11),
        students=dict(journal.students),
        teachers=dict(journal.teachers),
        subjects=dict(journal.subjects),
        courses=courses,
        schemes=dict(journal.schemes),
        scales={**journal.scales, EGE.id: EGE},
        work_types=dict(journal.work_types),
        lessons=dict(journal.lessons),
        marks=dict(journal.marks),
        results=results,
    )


@given(
    class_journals(with_exams=True, max_courses=3, max_marks=10),
    st.lists(st.integers(0, 100), min_size=1, max_size=8),
)
def test_ege_scores_never_change_five_point_statistics_final_marks_or_categories(
    journal: ClassJournal, scores: list[int]
) -> None:
    with_scores = _with_ege(journal, scores)
    without = _with_ege(journal, [])
    for kind in (ResultKind.ANNUAL, ResultKind.EXAM, ResultKind.FINAL):
        assert class_stats(with_scores, kind) == class_stats(without, kind)
        assert categorize_students(with_scores, kind) == categorize_students(without, kind)
    for sid in journal.students:
        for cid, course in with_scores.courses.items():
            assert propose_final_mark(with_scores, sid, cid, FEDERAL) == propose_final_mark(without, sid, cid, FEDERAL)
            if course.examined:
                assert subject_stats(with_scores, cid, ResultKind.EXAM).scores_only

"""Medal candidates (Минпросвещения № 730): gold, silver with at most two «4», the exam conditions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reports_kit import ADMIN, RU, Builder, course_of, demo

from ejournal.core.errors import InvalidInput
from ejournal.core.journal import ResultKey, ResultKind
from ejournal.core.reports import ExamMinimum, ExamResult, Medal, MedalRules, build_honours, medal_for
from ejournal.core.scales import MarkValue, Status

NA, EX = Status.NOT_CERTIFIED, Status.EXEMPT


@pytest.mark.parametrize(
    ("finals", "medal"),
    [
        ([5, 5, 5, 5], Medal.GOLD),
        ([5, 5, 5, EX], Medal.GOLD),  # exempt neither counts nor blocks
        ([4, 5, 5, 5], Medal.SILVER),
        ([4, 4, 5, 5], Medal.SILVER),  # two «хорошо»: still silver
        ([4, 4, 4, 5], Medal.NONE),  # three: no medal
        ([3, 5, 5, 5], Medal.NONE),
        ([NA, 5, 5, 5], Medal.NONE),
        ([None, 5, 5, 5], Medal.NONE),
        ([EX, EX], Medal.NONE),
    ],
)
def test_medal_by_final_marks(finals: list[MarkValue | None], medal: Medal) -> None:
    assert medal_for(finals)[0] is medal


def test_reasons_say_why() -> None:
    assert medal_for([4, 4, 4, 5])[1] == ("too_many_good",)
    assert medal_for([4, 5])[1] == ("has_good",)
    assert medal_for([3, None])[1] == ("below_good", "missing")
    assert medal_for([5], [ExamResult("rus", 2, False)])[1] == ("exam_failed:rus",)


def test_exam_minimums_are_data() -> None:
    rules = MedalRules(exam_minimums=[ExamMinimum("rus", gold=70, silver=50)])
    assert medal_for([5, 5], [ExamResult("rus", 70, True)], rules)[0] is Medal.GOLD
    assert medal_for([5, 5], [ExamResult("rus", 65, True)], rules) == (Medal.SILVER, ("exam_below_gold:rus",))
    assert medal_for([5, 5], [ExamResult("rus", 45, True)], rules)[0] is Medal.NONE
    assert medal_for([5, 5], [ExamResult("rus", None, None)], rules)[0] is Medal.NONE
    assert medal_for([5, 5], [ExamResult("rus", None, None)], MedalRules(exams_passed=False))[0] is Medal.GOLD
    silver_only = MedalRules(max_good_for_silver=1)
    assert medal_for([4, 4, 5], rules=silver_only)[0] is Medal.NONE


def test_bad_rules_are_refused() -> None:
    with pytest.raises(InvalidInput, match="silver"):
        ExamMinimum("rus", gold=50, silver=70)
    with pytest.raises(InvalidInput, match="max_good_for_silver"):
        MedalRules(max_good_for_silver=-1)
    with pytest.raises(InvalidInput, match="finals"):
        medal_for([4.5])  # type: ignore[list-item]


def better(value: MarkValue | None, up: int) -> MarkValue | None:
    return min(5, value + up) if isinstance(value, int) else value


finals_st = st.lists(st.sampled_from([5, 4, 3, 2, NA, EX, None]), min_size=1, max_size=8)
exams_st = st.lists(
    st.tuples(st.sampled_from(["rus", "mat"]), st.integers(0, 100)), max_size=2, unique_by=lambda t: t[0]
)


@given(finals_st, exams_st, st.data())
def test_improving_a_mark_never_loses_a_medal(
    finals: list[MarkValue | None], exams: list[tuple[str, int]], data: st.DataObject
) -> None:
    rules = MedalRules(exam_minimums=[ExamMinimum("rus", 70, 50), ExamMinimum("mat", 70, 27)])
    before = medal_for(finals, [ExamResult(s, v, v >= 24) for s, v in exams], rules)[0]
    i = data.draw(st.integers(0, len(finals) - 1))
    up = data.draw(st.integers(1, 3))
    raised = [better(v, up) if k == i else v for k, v in enumerate(finals)]
    lifted = [(s, min(100, v + data.draw(st.integers(0, 30)))) for s, v in exams]
    after = medal_for(raised, [ExamResult(s, v, v >= 24) for s, v in lifted], rules)[0]
    assert after.rank >= before.rank


def test_build_honours_on_a_class() -> None:
    j = (
        Builder(11, halves=True)
        .student("g", "Золотов")
        .student("s", "Серебров")
        .student("n", "Никаков")
        .course("rus", "Русский язык", examined=True)
        .course("alg", "Алгебра")
        .course("his", "История")
        .build()
    )
    table = {"g": (5, 5, 5), "s": (4, 5, 4), "n": (4, 4, 4)}
    for sid, marks in table.items():
        for subject, v in zip(("rus", "alg", "his"), marks, strict=True):
            j.set_final_mark(sid, course_of(j, subject), v, by=ADMIN)
        j.set_exam_mark(sid, course_of(j, "rus"), 5, by=ADMIN)
    doc = build_honours(j, collator=RU)
    assert [s.student_id for s in doc.gold] == ["g"]
    assert [s.student_id for s in doc.silver] == ["s"]
    n = next(s for s in doc.students if s.student_id == "n")
    assert (n.medal, n.excellent, n.good, n.reasons) == (Medal.NONE, 0, 3, ("too_many_good",))
    with_points = build_honours(
        j,
        collator=RU,
        rules=MedalRules(exam_minimums=[ExamMinimum("rus", 70, 50)]),
        exam_results={"g": {"rus": 60}},
    )
    # the minimum is on the exam's scale: the journal's five-point 5 of "s" is below 50 points
    assert with_points.gold == ()
    assert [s.student_id for s in with_points.silver] == ["g"]
    g = next(s for s in with_points.students if s.student_id == "g")
    assert g.medal is Medal.SILVER
    assert g.reasons == ("exam_below_gold:rus",)


def test_demo_candidates_recomputed() -> None:
    j = demo(11)
    doc = build_honours(j, collator=RU)
    graded = [c.id for c in j.courses.values() if j.subjects[c.subject_id].assessment.value == "graded"]
    for s in doc.students:
        finals = [j.results.get(ResultKey(s.student_id, c, ResultKind.FINAL)) for c in graded]
        values = [None if r is None else r.value for r in finals]
        numeric = [v for v in values if isinstance(v, int)]
        exams_ok = all(
            (r := j.results.get(ResultKey(s.student_id, c, ResultKind.EXAM))) is not None
            and isinstance(r.value, int)
            and r.value >= 3
            for c in graded
            if j.courses[c].examined
        )
        blocked = any(v is None or v is NA for v in values) or any(v < 4 for v in numeric) or not numeric
        fours = sum(1 for v in numeric if v == 4)
        if blocked or not exams_ok or fours > 2:
            assert s.medal is Medal.NONE
        elif fours == 0:
            assert s.medal is Medal.GOLD
        else:
            assert s.medal is Medal.SILVER

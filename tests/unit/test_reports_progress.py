"""The class teacher's progress report: head counts, categories with names, rates, comparison."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reports_kit import ADMIN, RU, Builder, course_of, day, demo

from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.journal import ResultKey, ResultKind
from ejournal.core.reports import build_progress_report, build_report
from ejournal.core.scales import MarkValue, Status
from ejournal.core.stats import year_members

NA = Status.NOT_CERTIFIED


def journal():  # type: ignore[no-untyped-def]
    b = (
        Builder(7)
        .student("a", "Абрамов")
        .student("b", "Борисов")
        .student("c", "Власов")
        .student("d", "Гусев")
        .student("e", "Дёмин")
        .student("late", "Новиков", enrolled=day("2025-11-20"))  # arrives in q2
        .student("gone", "Уходов", left=day("2025-12-01"))  # leaves in q2
        .course("alg", "Алгебра")
        .course("rus", "Русский язык")
    )
    return b.build()


Q2 = {
    "a": (5, 5),
    "b": (5, 4),
    "c": (3, 5),
    "d": (2, 4),
    "e": (NA, 5),
    "late": (4, 4),
}
Q1 = {"a": (5, 5), "b": (4, 4), "c": (3, 3), "d": (3, 4), "e": (4, 5), "gone": (5, 5)}


def filled():  # type: ignore[no-untyped-def]
    j = journal()
    for period, table in (("q1", Q1), ("q2", Q2)):
        for sid, (alg, rus) in table.items():
            j.set_period_mark(sid, course_of(j, "alg"), period, alg, by=ADMIN)
            j.set_period_mark(sid, course_of(j, "rus"), period, rus, by=ADMIN)
    return j


def test_a_student_arriving_mid_period_counts_at_the_end_not_the_start() -> None:
    report = build_progress_report(filled(), "q2", collator=RU)
    cur = report.current
    assert (cur.start, cur.end) == (day("2025-11-05"), day("2025-12-28"))
    assert "late" not in cur.at_start
    assert "late" in cur.at_end
    assert cur.arrived == ("late",)
    assert "gone" in cur.at_start
    assert "gone" not in cur.at_end
    assert cur.departed == ("gone",)
    assert len(cur.at_start) == 6
    assert len(cur.at_end) == 6
    q1 = report.previous
    assert q1 is not None
    assert q1.period_id == "q1"
    assert "late" not in q1.at_end
    assert "gone" in q1.at_end


def test_categories_name_the_students() -> None:
    report = build_progress_report(filled(), "q2", collator=RU)
    c = report.current.categories
    assert c.all_fives == ("a",)
    assert c.fours_and_fives == ("b", "late")
    assert c.one_four == ("b",)
    assert c.one_three == ("c",)
    assert c.failing == ("d",)
    assert c.not_certified == ("e",)
    assert c.n == 6  # "gone" has no q2 marks: not counted
    assert report.name("late") == "Новиков Имя"
    assert c.success_rate == Fraction(4, 6)
    assert c.quality_rate == Fraction(3, 6)


def rates(values: list[MarkValue]) -> tuple[Fraction, Fraction]:
    n = len(values)
    ok = sum(1 for v in values if isinstance(v, int) and v >= 3)
    good = sum(1 for v in values if isinstance(v, int) and v >= 4)
    return Fraction(ok, n), Fraction(good, n)


def test_subject_rates_and_the_comparison_with_the_previous_period() -> None:
    report = build_progress_report(filled(), "q2", collator=RU)
    assert report.previous is not None
    for i, subject in enumerate(("alg", "rus")):
        now = rates([pair[i] for pair in Q2.values()])
        before = rates([pair[i] for pair in Q1.values()])
        s, p = report.current.subject(subject), report.previous.subject(subject)
        assert s is not None
        assert p is not None
        assert (s.success_rate, s.quality_rate) == now
        assert (p.success_rate, p.quality_rate) == before
        diff = report.to_dict()["difference"]["subjects"][subject]  # type: ignore[index]
        assert diff["success_rate"] == _text(now[0] - before[0])
        assert diff["quality_rate"] == _text(now[1] - before[1])


def _text(x: Fraction) -> str:
    return f"{x.numerator}/{x.denominator}"


def test_the_first_period_has_nothing_to_compare_and_the_year_compares_with_last_year() -> None:
    assert build_progress_report(filled(), "q1", collator=RU).previous is None
    last = Builder(6, year=2024).student("a", "Абрамов").course("alg", "Алгебра").build()
    last.set_annual_mark("a", course_of(last, "alg"), 5, by=ADMIN)
    report = build_report("progress", filled(), collator=RU, earlier=last)
    assert report.previous is not None
    assert report.previous.year_label == "2024/2025"


def test_unknown_period_and_misused_previous_year() -> None:
    with pytest.raises(NotFound, match="q1, q2, q3, q4, year"):
        build_progress_report(filled(), "q9", collator=RU)
    with pytest.raises(InvalidInput, match="year only"):
        build_progress_report(filled(), "q2", collator=RU, previous_year=journal())


@pytest.mark.parametrize("grade", [9, 11])
def test_demo_figures_recomputed_from_the_journal(grade: int) -> None:
    j = demo(grade)
    finest = max(j.schemes.values(), key=lambda s: len(s.periods))
    target = finest.periods[-1]
    report = build_progress_report(j, target.id, collator=RU)
    members = year_members(j)
    assert set(report.current.at_end) == {s.id for s in members if s.enrolled_on(target.end)}
    assert set(report.current.at_start) == {s.id for s in members if s.enrolled_on(target.start)}
    for fig in report.current.subjects:
        course = next(c for c in j.courses.values() if c.subject_id == fig.subject_id)
        own = next(p for p in j.scheme_of(course.id).periods if target.start <= p.end <= target.end)
        values = [
            r.value
            for s in members
            if (r := j.results.get(ResultKey(s.id, course.id, ResultKind.PERIOD, own.id))) is not None
            and r.value is not Status.EXEMPT
        ]
        assert fig.n == len(values)
        if values:
            assert (fig.success_rate, fig.quality_rate) == rates(values)
    c = report.current.categories
    assert len(c.successful) + len(c.unsuccessful) == c.n
    assert len(c.all_fives) + len(c.fours_and_fives) + len(c.one_three) + len(c.other_successful) == len(c.successful)


marks = st.sampled_from([5, 4, 3, 2, NA, Status.EXEMPT, None])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(marks, marks), min_size=1, max_size=6))
def test_category_counts_sum_to_the_students_counted(rows: list[tuple[MarkValue | None, MarkValue | None]]) -> None:
    b = Builder(7).course("alg", "Алгебра").course("rus", "Русский язык")
    for i in range(len(rows)):
        b.student(str(i), f"Фамилия{i}")
    j = b.build()
    for i, (alg, rus) in enumerate(rows):
        for subject, v in (("alg", alg), ("rus", rus)):
            if v is not None:
                j.set_period_mark(str(i), course_of(j, subject), "q1", v, by=ADMIN)
    c = build_progress_report(j, "q1", collator=RU).current.categories
    counted = sum(1 for pair in rows if any(v is not None and v is not Status.EXEMPT for v in pair))
    assert c.n == counted
    assert (
        len(c.all_fives) + len(c.fours_and_fives) + len(c.one_three) + len(c.other_successful) + len(c.unsuccessful)
        == counted
    )

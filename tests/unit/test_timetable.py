"""The timetable as lessons: weekly slots become the dated lessons of the periods, never of holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_brought_marks import ADMIN, YEAR, journal

from ejournal.core import InvalidInput
from ejournal.core.grading import builtin_policy
from ejournal.core.journal import Action
from ejournal.core.timetable import Slot, timetable_lessons
from ejournal.service import JournalService
from ejournal.storage.memory import MemoryStorage
from ejournal.testing.conformance.builders import MSK, TickingClock

slots = st.lists(
    st.builds(Slot, st.integers(0, 5), st.integers(0, 8)),
    min_size=1,
    max_size=5,
    unique_by=lambda s: (s.weekday, s.number),
)
days = st.dates(min_value=YEAR.start, max_value=YEAR.end)


@given(slots=slots, a=days, b=days)
def test_lessons_fall_on_the_slots_inside_the_periods(slots: list[Slot], a: date, b: date) -> None:
    start, end = min(a, b), max(a, b)
    j = journal()
    lessons = timetable_lessons(j, "c-math", slots, start, end)
    scheme = j.scheme_of("c-math")
    expected = {
        (d, s.number)
        for d in (start + timedelta(days=n) for n in range((end - start).days + 1))
        if scheme.period_of(d) is not None
        for s in slots
        if s.weekday == d.weekday() and f"c-math-{d:%Y%m%d}-{s.number}" not in j.lessons
    }
    assert {(le.date, le.number) for le in lessons} == expected
    assert len({le.id for le in lessons}) == len(lessons)
    for le in lessons:
        j.add_lesson(le, by=ADMIN)
    assert timetable_lessons(j, "c-math", slots, start, end) == []  # adding it twice adds nothing


def test_bad_timetables_are_refused() -> None:
    j = journal()
    with pytest.raises(InvalidInput, match="weekday"):
        Slot(7)
    with pytest.raises(InvalidInput, match="same weekday and number"):
        timetable_lessons(j, "c-math", [Slot(0, 2), Slot(0, 2)], YEAR.start, YEAR.end)
    with pytest.raises(InvalidInput, match="lie in the academic year"):
        timetable_lessons(j, "c-math", [Slot(0)], YEAR.start - timedelta(days=1), YEAR.end)
    assert timetable_lessons(j, "c-math", [Slot(0)], date(2025, 12, 29), date(2026, 1, 11)) == []  # winter holidays


def test_the_service_adds_a_term_of_lessons_in_one_unit_of_work() -> None:
    storage = MemoryStorage()
    j = journal()
    with storage.unit_of_work() as uow:
        uow.schools.add(j.school)
        uow.journals.add(j)
        uow.commit()
    service = JournalService(storage, builtin_policy("federal"), clock=TickingClock(datetime(2025, 8, 30, tzinfo=MSK)))
    changes = service.add_timetable(
        ADMIN, "s-1", "7a", "c-math", [Slot(0, 2), Slot(3, 4)], YEAR.start, date(2025, 10, 26)
    )
    assert changes
    assert {c.action for c in changes} == {Action.ADD_LESSON}
    stored = service.journal(ADMIN, "s-1", "7a")
    assert all(c.after in stored.lessons.values() for c in changes)
    with pytest.raises(InvalidInput, match="adds no lesson"):
        service.add_timetable(ADMIN, "s-1", "7a", "c-math", [Slot(0, 2), Slot(3, 4)], YEAR.start, date(2025, 10, 26))

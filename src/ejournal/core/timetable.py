"""The timetable as lessons: a course's weekly slots turned into the dated lessons of a date range.

A school's timetable says that algebra in 9А is on Monday (2nd lesson) and Thursday (4th).
:func:`timetable_lessons` turns such :class:`Slot` s into :class:`~ejournal.core.model.Lesson` s
for every matching day of a range that lies in a period of the course's scheme (so holidays get
no lessons), skipping the lessons that exist already.  Pure; the service adds them in one unit
of work (:meth:`ejournal.service.JournalService.add_timetable`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from attrs import frozen

from ejournal.core.errors import InvalidInput
from ejournal.core.journal import ClassJournal
from ejournal.core.model import Lesson

__all__ = ["Slot", "timetable_lessons"]

_MAX_LESSON = 20


@frozen
class Slot:
    """A weekly place of a course in the timetable: ``weekday`` (0 = Monday … 5 = Saturday) and
    the lesson's ``number`` in the day (1 = the first lesson; 0 is the "zero" lesson).

    Raises :class:`InvalidInput` for a weekday outside 0..6 or a number outside 0..20.
    """

    weekday: int
    number: int = 1

    def __attrs_post_init__(self) -> None:
        if isinstance(self.weekday, bool) or not isinstance(self.weekday, int) or not 0 <= self.weekday <= 6:
            raise InvalidInput("slot.weekday", "must be 0 (Monday) to 6 (Sunday)", self.weekday)
        if isinstance(self.number, bool) or not isinstance(self.number, int) or not 0 <= self.number <= _MAX_LESSON:
            raise InvalidInput("slot.number", f"must be a lesson number from 0 to {_MAX_LESSON}", self.number)


def timetable_lessons(
    journal: ClassJournal, course_id: str, slots: Iterable[Slot], start: date, end: date
) -> list[Lesson]:
    """The lessons of ``course_id`` on ``slots`` from ``start`` to ``end`` (inclusive), by date and number.

    Only days inside a period of the course's scheme get lessons; a lesson whose id
    (``"{course_id}-{YYYYMMDD}-{number}"``) exists is left out, so adding the same timetable twice
    adds nothing.  Raises :class:`NotFound` for an unknown course, :class:`InvalidInput` for an
    empty slot list, two slots at the same place, or a range outside the academic year.
    """
    course = journal.course(course_id)
    wanted = list(slots)
    if not wanted or not all(isinstance(s, Slot) for s in wanted):
        raise InvalidInput("slots", "give at least one Slot", wanted)
    if len({(s.weekday, s.number) for s in wanted}) != len(wanted):
        raise InvalidInput("slots", "two slots at the same weekday and number", [(s.weekday, s.number) for s in wanted])
    year = journal.class_group.year
    if end < start or not (year.contains(start) and year.contains(end)):
        raise InvalidInput(
            "timetable", f"the range must lie in the academic year {year}", f"{start.isoformat()}..{end.isoformat()}"
        )
    scheme = journal.schemes[course.scheme_id]
    out: list[Lesson] = []
    day = start
    while day <= end:
        if scheme.period_of(day) is not None:
            for slot in sorted(wanted, key=lambda s: s.number):
                if slot.weekday == day.weekday():
                    lid = f"{course_id}-{day:%Y%m%d}-{slot.number}"
                    if lid not in journal.lessons:
                        out.append(Lesson(lid, course_id, day, number=slot.number))
        day += timedelta(days=1)
    return out

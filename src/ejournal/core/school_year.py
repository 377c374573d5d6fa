"""A school's academic year as one value: what the journal document and backups carry."""

from __future__ import annotations

from attrs import define, field

from ejournal.core.calendar import AcademicYear
from ejournal.core.errors import InvalidInput, Problem
from ejournal.core.journal import Change, ClassJournal
from ejournal.core.model import Parent, School, Teacher

__all__ = ["SchoolYear"]


@define(eq=True)
class SchoolYear:
    """Everything a school keeps for one academic year.

    ``journals`` are the class journals of the year (each carries its students, courses, lessons,
    marks, results and decisions); ``teachers`` and ``parents`` are the school's people; ``audit`` is
    the audit log of the year, oldest first.  Construction checks that every journal belongs to the
    school and the year and that journal ids are unique; raises :class:`InvalidInput` listing all
    problems.
    """

    school: School
    year: AcademicYear
    teachers: dict[str, Teacher] = field(factory=dict)
    parents: dict[str, Parent] = field(factory=dict)
    journals: dict[str, ClassJournal] = field(factory=dict)
    audit: list[Change] = field(factory=list)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for jid, j in self.journals.items():
            if j.id != jid:
                problems.append(Problem(f"journals[{jid!r}]", "key differs from the journal id", j.id))
            if j.school.id != self.school.id:
                problems.append(Problem(f"journals[{jid!r}].school", "belongs to another school", j.school.id))
            if j.class_group.year != self.year:
                problems.append(Problem(f"journals[{jid!r}].year", f"is not {self.year}", str(j.class_group.year)))
        for pid, p in self.parents.items():
            if p.id != pid:
                problems.append(Problem(f"parents[{pid!r}]", "key differs from the parent id", p.id))
        for tid, t in self.teachers.items():
            if t.id != tid:
                problems.append(Problem(f"teachers[{tid!r}]", "key differs from the teacher id", t.id))
        if problems:
            raise InvalidInput.many(problems)

    def journal_by_label(self, label: str) -> ClassJournal | None:
        """The journal of the class labelled ``label`` ("9А"), or ``None``."""
        for j in self.journals.values():
            if j.class_group.label == label:
                return j
        return None

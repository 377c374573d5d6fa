"""The list of academic debts of a class (273-ФЗ art. 58): who owes which course, the retakes
held with their dates, results and commissions, and what is left.

Built from :func:`ejournal.core.debts.academic_debts`; the council uses it for the decisions
that follow a conditional promotion.
"""

from __future__ import annotations

from datetime import date

from attrs import frozen

from ejournal.core.collation import Collator
from ejournal.core.debts import DebtStatus, academic_debts
from ejournal.core.journal import ClassJournal, debt_deadline
from ejournal.core.reports._common import ReportHeader, header_of, in_name_order, value_text

__all__ = ["DebtList", "DebtListRow", "RetakeCell", "build_debt_list"]


@frozen
class RetakeCell:
    """One retake as printed: its date, result, protocol and commission."""

    attempt: int
    held_on: date
    value: str
    protocol: str
    commission: tuple[str, ...]


@frozen
class DebtListRow:
    """A student's debt in one subject: what was owed, the retakes, the status and the decision."""

    number: int
    student_id: str
    student_name: str
    course_id: str
    subject_name: str
    owed: str
    retakes: tuple[RetakeCell, ...]
    status: DebtStatus
    decision: str


@frozen
class DebtList:
    """The debt list of a class (pure data): rows by student (in name order) then curriculum order."""

    header: ReportHeader
    deadline: date
    as_of: date
    rows: tuple[DebtListRow, ...]

    @property
    def open_count(self) -> int:
        """How many debts are still open."""
        return sum(1 for r in self.rows if r.status is DebtStatus.OPEN)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "document": "debts",
            "header": self.header.to_dict(),
            "deadline": self.deadline.isoformat(),
            "as_of": self.as_of.isoformat(),
            "rows": [
                {
                    "number": r.number,
                    "student_id": r.student_id,
                    "name": r.student_name,
                    "course_id": r.course_id,
                    "subject": r.subject_name,
                    "owed": r.owed,
                    "retakes": [
                        {
                            "attempt": c.attempt,
                            "held_on": c.held_on.isoformat(),
                            "value": c.value,
                            "protocol": c.protocol,
                            "commission": list(c.commission),
                        }
                        for c in r.retakes
                    ],
                    "status": r.status.value,
                    "decision": r.decision,
                }
                for r in self.rows
            ],
        }


def build_debt_list(journal: ClassJournal, *, collator: Collator, as_of: date) -> DebtList:
    """The debt list of ``journal`` as of ``as_of`` (an open debt past its deadline is "not cleared").

    Pure; raises nothing for a consistent journal.
    """
    debts = academic_debts(journal, today=as_of)
    order = {s.id: i for i, s in enumerate(in_name_order(journal.students.values(), collator))}
    courses = {c.id: i for i, c in enumerate(journal.courses_in_order())}
    debts.sort(key=lambda d: (order[d.student_id], courses[d.course_id]))
    rows = tuple(
        DebtListRow(
            i,
            d.student_id,
            journal.students[d.student_id].name.short,
            d.course_id,
            d.subject_name,
            value_text(d.annual),
            tuple(RetakeCell(r.attempt, r.held_on, value_text(r.value), r.protocol, r.commission) for r in d.retakes),
            d.status,
            d.decision.value if d.decision is not None else "",
        )
        for i, d in enumerate(debts, start=1)
    )
    return DebtList(header_of(journal), debt_deadline(journal.class_group.year), as_of, rows)

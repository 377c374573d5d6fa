"""Academic debts (273-ФЗ art. 58): who owes which course, the retakes held, and what is left.

A failing or "н/а" annual mark is an academic debt.  The student may retake the course at most
twice within a year after the academic year, the second time before a commission; a passing
retake clears the debt (its result becomes the annual mark, see
:meth:`~ejournal.core.journal.ClassJournal.record_retake`).  :func:`academic_debts` lists every
debt of a journal, open or cleared, as pure data for the debt list document and the council.
"""

from __future__ import annotations

import enum
from datetime import date

from attrs import frozen

from ejournal.core.journal import ClassJournal, DecisionKind, Retake, debt_deadline
from ejournal.core.scales import MarkValue

__all__ = ["AcademicDebt", "DebtStatus", "academic_debts"]


class DebtStatus(enum.Enum):
    """Where a debt stands."""

    OPEN = "open"  # no passing retake yet, attempts left
    CLEARED = "cleared"  # a retake passed
    NOT_CLEARED = "not_cleared"  # both retakes failed, or the deadline passed without a pass


@frozen
class AcademicDebt:
    """One student's debt in one course.

    ``annual`` is the failing annual mark that made the debt (for a cleared debt: what the
    retakes record as owed); ``retakes`` the attempts held, first
    first; ``deadline`` the last day it may be cleared; ``decision`` the council's current
    decision for the student, if any.
    """

    student_id: str
    student_name: str
    course_id: str
    subject_name: str
    annual: MarkValue
    retakes: tuple[Retake, ...]
    status: DebtStatus
    deadline: date
    decision: DecisionKind | None

    @property
    def attempts_left(self) -> int:
        """How many retakes may still be held (0 once cleared or not cleared)."""
        return 2 - len(self.retakes) if self.status is DebtStatus.OPEN else 0


def academic_debts(journal: ClassJournal, *, today: date | None = None) -> list[AcademicDebt]:
    """Every academic debt of ``journal``, by student (in the journal's order) then curriculum order.

    A debt is open while its annual mark is failing or "н/а" and fewer than two retakes failed
    (and, when ``today`` is given, the deadline has not passed); cleared when a retake passed
    (what was owed is the retakes' ``owed``); not cleared otherwise.  Pure; raises nothing.
    """
    deadline = debt_deadline(journal.class_group.year)
    out: list[AcademicDebt] = []
    for student in journal.students_in_order():
        decision = journal.decision_in_force(student.id)
        for course in journal.courses_in_order():
            retakes = tuple(journal.retakes_of(student.id, course.id))
            scale = journal.scale_of(course.id)
            open_debt = journal.debt_of(student.id, course.id)
            if open_debt is None and not retakes:
                continue
            passed = any(scale.is_passing(r.value) for r in retakes)
            if passed:
                status = DebtStatus.CLEARED
            elif len(retakes) == 2 or (today is not None and today > deadline):
                status = DebtStatus.NOT_CLEARED
            else:
                status = DebtStatus.OPEN
            owed = next((r.owed for r in retakes if r.owed is not None), None)
            annual = open_debt.value if open_debt is not None else owed
            if annual is None:  # a cleared debt whose retakes were recorded without what was owed
                continue
            out.append(
                AcademicDebt(
                    student.id,
                    student.name.short,
                    course.id,
                    journal.subject_of(course.id).name,
                    annual,
                    retakes,
                    status,
                    deadline,
                    decision.kind if decision is not None else None,
                )
            )
    return out

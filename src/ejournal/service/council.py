"""The pedagogical council's use cases: the history of decisions and the admission tests.

A student collects several decisions over a year (admitted to the exams in May, graduated in
June; promoted conditionally, then promoted once the debt is cleared); recording one is
:meth:`~ejournal.service.JournalService.record_decision`.  This module adds withdrawing a
wrongly entered decision, reading a student's history, and recording (or withdrawing) an attempt
at the admission test of grades 9 and 11 (the interview, the essay).  Administrators only; each
write is one unit of work, audited.

Mixed into :class:`~ejournal.service.JournalService`; see that class for the constructor.
"""

from __future__ import annotations

from datetime import date

from ejournal.core.journal import (
    Actor,
    AdmissionTest,
    AdmissionTestKind,
    Change,
    Decision,
    DecisionKind,
)
from ejournal.service._plumbing import UseCaseMixin
from ejournal.service.access import Operation

__all__ = ["CouncilUseCases"]


class CouncilUseCases(UseCaseMixin):
    """Withdrawing decisions, reading a student's decisions, recording admission tests: the
    school's administrators write (through the service's one write path, school-wide rights)."""

    def withdraw_decision(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        student_id: str,
        council_date: date,
        kind: DecisionKind,
        *,
        reason: str,
    ) -> Change:
        """Withdraw a decision entered by mistake (named by student, council date and kind), with a reason.

        The school's administrators only; the other decisions stay.  See
        :meth:`~ejournal.core.journal.ClassJournal.withdraw_decision` for what it refuses.
        Raises :class:`PermissionDenied` (nothing written), :class:`NotFound`, :class:`InvalidInput`,
        :class:`PeriodLocked`.
        """
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.RECORD_DECISION,
            lambda j: j.withdraw_decision(student_id, council_date, kind, by=actor, reason=reason),
            school_wide=True,
        )

    def decision_history(self, actor: Actor, school_id: str, journal_id: str, student_id: str) -> tuple[Decision, ...]:
        """The student's council decisions in council order, the one in force last.

        For the class teacher, a teacher of the class or an administrator.  Raises
        :class:`PermissionDenied`, :class:`NotFound` (journal, student).
        """
        self.rules.check_tenant(actor, Operation.READ_JOURNAL, school_id, f"journal {journal_id}")
        with self.storage.unit_of_work() as uow:
            journal = uow.journals.get(school_id, journal_id)
        self.rules.check_journal(actor, Operation.READ_JOURNAL, journal)
        journal.student(student_id)
        return journal.decision_history(student_id)

    def record_admission_test(
        self, actor: Actor, school_id: str, journal_id: str, test: AdmissionTest, *, reason: str = ""
    ) -> Change:
        """Record an attempt at the grade's admission test (зачёт or незачёт): administrators only.

        See :meth:`~ejournal.core.journal.ClassJournal.record_admission_test` for what it refuses
        (the wrong grade, attempts out of order or beyond three, dates outside the year).  Raises
        :class:`PermissionDenied` (nothing written), :class:`NotFound`, :class:`InvalidInput`,
        :class:`PeriodLocked`.
        """
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.RECORD_ADMISSION_TEST,
            lambda j: j.record_admission_test(test, by=actor, reason=reason),
            school_wide=True,
        )

    def withdraw_admission_test(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        student_id: str,
        kind: AdmissionTestKind,
        attempt: int,
        *,
        reason: str,
    ) -> Change:
        """Withdraw the last attempt at an admission test, entered by mistake, with a reason.

        Administrators only.  Raises :class:`PermissionDenied` (nothing written), :class:`NotFound`,
        :class:`InvalidInput`, :class:`PeriodLocked`.
        """
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.RECORD_ADMISSION_TEST,
            lambda j: j.withdraw_admission_test(student_id, kind, attempt, by=actor, reason=reason),
            school_wide=True,
        )

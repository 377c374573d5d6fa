"""The academic-debt use cases: recording retakes and reading the debt list (273-ФЗ art. 58).

Mixed into :class:`~ejournal.service.JournalService`; see that class for the constructor.
"""

from __future__ import annotations

from datetime import date

from ejournal.core.debts import AcademicDebt, academic_debts
from ejournal.core.journal import Actor, Change, Clock, Retake
from ejournal.service.access import AccessRules, Operation
from ejournal.storage.ports import Storage

__all__ = ["DebtUseCases"]


class DebtUseCases:
    """Retakes of academic debts and the debt list of a class."""

    storage: Storage
    clock: Clock
    rules: AccessRules

    def record_retake(
        self, actor: Actor, school_id: str, journal_id: str, retake: Retake, *, reason: str = ""
    ) -> list[Change]:
        """Record an attempt to clear an academic debt: the school's administrators only.

        One unit of work; a passing attempt also sets the annual mark (see
        :meth:`~ejournal.core.journal.ClassJournal.record_retake`, which says what it refuses).
        Returns the changes, as audited.  Raises :class:`PermissionDenied` (nothing written).
        """
        self.rules.check_school(actor, Operation.RECORD_RETAKE, school_id)
        with self.storage.unit_of_work() as uow:
            journal = uow.journals.get(school_id, journal_id)
            journal.clock = self.clock
            changes = journal.record_retake(retake, by=actor, reason=reason)
            uow.journals.save(journal)
            uow.commit()
            return changes

    def debts(self, actor: Actor, school_id: str, journal_id: str, *, today: date | None = None) -> list[AcademicDebt]:
        """The class's academic debts, open and cleared (the class teacher or an administrator).

        ``today`` (default: the service clock's date) decides whether an open debt's deadline
        has passed.  Raises :class:`PermissionDenied` for anyone else, :class:`NotFound`.
        """
        self.rules.check_tenant(actor, Operation.READ_SHEET, school_id, f"journal {journal_id}")
        with self.storage.unit_of_work() as uow:
            journal = uow.journals.get(school_id, journal_id)
        self.rules.check_journal(actor, Operation.READ_SHEET, journal)
        return academic_debts(journal, today=today or self.clock.now().date())

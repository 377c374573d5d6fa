"""The state-exam use cases: an ОГЭ result from its primary score, and a student's exam choice.

Mixed into :class:`~ejournal.service.JournalService`; see that class for the constructor.  The
conversion tables come from the service's grading policy (``[[exams.conversions]]``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ejournal.core.grading import GradingPolicy
from ejournal.core.journal import Actor, Change, ClassJournal, ExamChoice
from ejournal.core.scales import MarkValue
from ejournal.service._plumbing import UseCaseMixin
from ejournal.service.access import Operation

__all__ = ["ExamUseCases"]


class ExamUseCases(UseCaseMixin):
    """ОГЭ results with their primary scores, and the exams each student chose (through the
    service's one write path)."""

    policy: GradingPolicy

    def record_exam_result(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        student_id: str,
        course_id: str,
        primary_score: int,
        *,
        value: MarkValue | None = None,
        reason: str = "",
    ) -> Change:
        """Record an ОГЭ result from its primary score: the mark comes from the policy's conversion
        table for the course's subject (a ``value`` given too is checked against it); both are kept.

        The course's teacher or an administrator; one unit of work, audited.  Raises
        :class:`PermissionDenied` (nothing written), :class:`NotFound` (journal, student, course,
        or no conversion table for the subject in the policy) and whatever
        :meth:`~ejournal.core.journal.ClassJournal.record_exam_result` refuses.
        """

        def command(j: ClassJournal) -> Change:
            table = self.policy.exams.conversion_for(j.course(course_id).subject_id)
            return j.record_exam_result(
                student_id, course_id, primary_score, table, by=actor, value=value, reason=reason
            )

        return self._write(actor, school_id, journal_id, Operation.SET_RESULT, command, course_id=course_id)

    def record_exam_choice(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        student_id: str,
        course_ids: Iterable[str],
        *,
        chosen_on: date | None = None,
        reason: str = "",
    ) -> Change:
        """Record the exams ``student_id`` chose beside the required ones (replacing an earlier choice).

        The class teacher or an administrator; one unit of work, audited.  Raises
        :class:`PermissionDenied` (nothing written), :class:`NotFound` and whatever
        :meth:`~ejournal.core.journal.ClassJournal.set_exam_choice` refuses.
        """
        choice = ExamChoice(student_id, tuple(course_ids), chosen_on)
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.RECORD_EXAM_CHOICE,
            lambda j: j.set_exam_choice(choice, by=actor, reason=reason),
        )

    def clear_exam_choice(
        self, actor: Actor, school_id: str, journal_id: str, student_id: str, *, reason: str = ""
    ) -> Change:
        """Remove a student's exam choice (the class teacher or an administrator), audited.

        Raises as :meth:`record_exam_choice` and
        :meth:`~ejournal.core.journal.ClassJournal.clear_exam_choice`.
        """
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.RECORD_EXAM_CHOICE,
            lambda j: j.clear_exam_choice(student_id, by=actor, reason=reason),
        )

"""The journal use cases (see :mod:`ejournal.service`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ejournal.core.calendar import AcademicYear
from ejournal.core.choices import matches, unknown
from ejournal.core.collation import Collator
from ejournal.core.diary import DiaryWeek, PeriodReport, period_report, week
from ejournal.core.errors import InvalidInput, NotFound, PermissionDenied
from ejournal.core.grading import ComputedMark, GradingPolicy
from ejournal.core.grading.gradebook import Gradebook, GradebookMark
from ejournal.core.history import rewind
from ejournal.core.journal import Actor, Change, ClassJournal, Clock, Decision, Role, SystemClock
from ejournal.core.model import Lesson, Parent
from ejournal.core.scales import MarkValue, format_value
from ejournal.core.school_year import SchoolYear
from ejournal.core.summary import Certification, SheetLayout, SummarySheet, build_summary_sheet
from ejournal.core.validation import ValidationReport, validate
from ejournal.service.access import AccessRules, Operation
from ejournal.service.cache import DEFAULT_CACHE_SIZE, JournalCache
from ejournal.service.council import CouncilUseCases
from ejournal.service.debts import DebtUseCases
from ejournal.service.exams import ExamUseCases
from ejournal.service.roster import RosterUseCases
from ejournal.storage.ports import Storage, UnitOfWork

if TYPE_CHECKING:
    from ejournal.archive import Signer
    from ejournal.storage.document import Backup

__all__ = ["JournalService"]

T = TypeVar("T")


class JournalService(RosterUseCases, DebtUseCases, CouncilUseCases, ExamUseCases):
    """The use cases of a school's journals over one storage.

    ``policy`` is the grading policy (its edit window is enforced for teachers); ``clock`` gives
    the time of every change; ``rules`` decides who may do what.  Every method raises
    :class:`~ejournal.core.errors.PermissionDenied` (nothing written) when the actor may not act,
    :class:`~ejournal.core.errors.NotFound` for unknown ids, and the errors of the journal command.

    ``cache_size`` journals (with their gradebooks) are kept between calls and reused while the
    version the storage reports for them is unchanged — asked on every call, so a change saved
    by another service or process is always seen; 0 turns the cache off, as does a backend whose
    journal repository has no ``version``.  Callers get copies, never the cached objects.
    Raises :class:`~ejournal.core.errors.InvalidInput` for a ``cache_size`` that is not a whole
    number ≥ 0.
    """

    def __init__(
        self,
        storage: Storage,
        policy: GradingPolicy,
        *,
        clock: Clock | None = None,
        rules: AccessRules | None = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        self.storage = storage
        self.policy = policy
        self.clock: Clock = clock or SystemClock()
        self.rules = rules or AccessRules()
        self.cache = JournalCache(cache_size, policy)

    # ------------------------------------------------------------------ plumbing
    @contextmanager
    def _journal(
        self, actor: Actor, operation: Operation, school_id: str, journal_id: str, *, shared: bool = False
    ) -> Iterator[tuple[UnitOfWork, ClassJournal]]:
        """Open a unit of work and get the journal, after checking ``actor`` belongs to ``school_id``.

        The journal is loaded afresh, for changing and saving (the backend tracks what it loaded to
        save the difference).  With ``shared`` it may instead be the cache's own, current at the
        stored version: for reading only — never change it or hand it out (give a copy).
        """
        self.rules.check_tenant(actor, operation, school_id, f"journal {journal_id}")
        with self.storage.unit_of_work() as uow:
            journal = self._cached(uow, school_id, journal_id) if shared else uow.journals.get(school_id, journal_id)
            journal.clock = self.clock
            yield uow, journal

    def _cached(self, uow: UnitOfWork, school_id: str, journal_id: str) -> ClassJournal:
        """The journal at its stored version: the cache's own when current, else loaded and cached."""
        version_of = getattr(uow.journals, "version", None) if self.cache.size else None
        if version_of is None:
            return uow.journals.get(school_id, journal_id)
        cached = self.cache.journal(school_id, journal_id, version_of(school_id, journal_id))
        if cached is not None:
            return cached
        journal = uow.journals.get(school_id, journal_id)
        self.cache.put(journal)
        return journal

    def _gradebook(self, journal: ClassJournal) -> Gradebook:
        """The gradebook of ``journal`` under the service's policy (the cached one when current).

        Its marks are computed once and kept while the journal's stored version holds.  Private:
        the cached gradebook reaches the cached journal, which callers never get.
        """
        return self.cache.gradebook(journal)

    def _write(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        operation: Operation,
        command: Callable[[ClassJournal], Change],
        *,
        course_id: str | None = None,
        lesson_of: Callable[[ClassJournal], Lesson] | None = None,
        school_wide: bool = False,
    ) -> Change:
        """Load, check the actor's right, run ``command``, save with its audit entry, commit.

        ``lesson_of`` finds the lesson the change is about (its course and date drive the
        teacher's rights and the edit window).
        """
        with self._journal(actor, operation, school_id, journal_id) as (uow, journal):
            loaded_at = journal.version
            if school_wide:
                self.rules.check_school(actor, operation, school_id)
            else:
                try:
                    lesson = lesson_of(journal) if lesson_of is not None else None
                except NotFound:
                    # Refuse an actor with no business in this class before saying the id is unknown.
                    self.rules.check_journal(actor, Operation.READ_JOURNAL, journal)
                    raise
                self.rules.check_journal(
                    actor,
                    operation,
                    journal,
                    course_id=lesson.course_id if lesson is not None else course_id,
                    lesson_day=lesson.date if lesson is not None else None,
                    today=self.clock.now().date(),
                    edit_window_days=self.policy.edit_window_days,
                )
            change = command(journal)
            changes = list(journal.pending_changes)
            uow.journals.save(journal)
            uow.commit()
        self.cache.saved(journal, loaded_at, changes)
        return change

    def _read(
        self, actor: Actor, school_id: str, journal_id: str, operation: Operation = Operation.READ_JOURNAL
    ) -> ClassJournal:
        """The journal for reading, after the access check: possibly the cache's own (never change it)."""
        with self._journal(actor, operation, school_id, journal_id, shared=True) as (_, journal):
            self.rules.check_journal(actor, operation, journal)
            return journal

    @staticmethod
    def _lesson(lesson_id: str) -> Callable[[ClassJournal], Lesson]:
        return lambda j: j.lesson(lesson_id)

    @staticmethod
    def _lesson_of_mark(mark_id: str) -> Callable[[ClassJournal], Lesson]:
        return lambda j: j.lessons[j.mark(mark_id).lesson_id]

    # ------------------------------------------------------------------ marks and attendance
    def record_mark(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        student_id: str,
        lesson_id: str,
        value: MarkValue,
        work_type_id: str,
        *,
        reason: str = "",
    ) -> Change:
        """Record a current mark (a teacher of the lesson's course, within the edit window, or an administrator)."""
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.WRITE_MARK,
            lambda j: j.record_mark(student_id, lesson_id, value, work_type_id, by=actor, reason=reason),
            lesson_of=self._lesson(lesson_id),
        )

    def correct_mark(
        self, actor: Actor, school_id: str, journal_id: str, mark_id: str, value: MarkValue, *, reason: str = ""
    ) -> Change:
        """Correct a mark's value; in a closed period only an administrator, with a reason."""
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.WRITE_MARK,
            lambda j: j.correct_mark(mark_id, value, by=actor, reason=reason),
            lesson_of=self._lesson_of_mark(mark_id),
        )

    def delete_mark(self, actor: Actor, school_id: str, journal_id: str, mark_id: str, *, reason: str = "") -> Change:
        """Delete a mark (the audit log keeps it)."""
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.WRITE_MARK,
            lambda j: j.delete_mark(mark_id, by=actor, reason=reason),
            lesson_of=self._lesson_of_mark(mark_id),
        )

    def record_attendance(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        student_id: str,
        lesson_id: str,
        code: str | None,
        *,
        reason: str = "",
    ) -> Change:
        """Set or clear an attendance code (the course's teacher, the class teacher, or an administrator)."""
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.WRITE_ATTENDANCE,
            lambda j: j.record_attendance(student_id, lesson_id, code, by=actor, reason=reason),
            lesson_of=self._lesson(lesson_id),
        )

    def add_lesson(self, actor: Actor, school_id: str, journal_id: str, lesson: Lesson) -> Change:
        """Add a lesson with its topic and homework (the course's teacher or an administrator)."""
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.WRITE_LESSON,
            lambda j: j.add_lesson(lesson, by=actor),
            lesson_of=lambda _: lesson,
        )

    def edit_lesson(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        lesson_id: str,
        *,
        topic: str | None = None,
        homework: str | None = None,
        reason: str = "",
    ) -> Change:
        """Change a lesson's topic or homework."""
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.WRITE_LESSON,
            lambda j: j.edit_lesson(lesson_id, by=actor, topic=topic, homework=homework, reason=reason),
            lesson_of=self._lesson(lesson_id),
        )

    # ------------------------------------------------------------------ result marks
    def _decide_value(
        self, proposal: ComputedMark | GradebookMark, value: MarkValue | None, reason: str, where: str
    ) -> MarkValue:
        if value is None:
            if proposal.value is None:
                raise InvalidInput(where, "nothing to propose (no marks); give the mark explicitly", None)
            return proposal.value
        if value != proposal.value and not reason.strip():
            proposed = "nothing" if proposal.value is None else format_value(proposal.value)
            raise InvalidInput(
                where,
                f"differs from the proposed mark {proposed}; an override needs a written reason",
                format_value(value),
            )
        return value

    def _set_with_proposal(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        course_id: str,
        where: str,
        propose: Callable[[Gradebook], GradebookMark],
        store: Callable[[ClassJournal, MarkValue], Change],
        value: MarkValue | None,
        reason: str,
    ) -> Change:
        def command(j: ClassJournal) -> Change:
            return store(j, self._decide_value(propose(self._gradebook(j)), value, reason, where))

        return self._write(actor, school_id, journal_id, Operation.SET_RESULT, command, course_id=course_id)

    def set_period_mark(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        student_id: str,
        course_id: str,
        period_id: str,
        value: MarkValue | None = None,
        *,
        reason: str = "",
    ) -> Change:
        """Set a period mark: ``value=None`` accepts the proposed mark; another value needs a reason."""
        return self._set_with_proposal(
            actor,
            school_id,
            journal_id,
            course_id,
            f"period mark of student {student_id} in course {course_id} for {period_id}",
            lambda g: g.period(student_id, course_id, period_id),
            lambda j, v: j.set_period_mark(student_id, course_id, period_id, v, by=actor, reason=reason),
            value,
            reason,
        )

    def set_annual_mark(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        student_id: str,
        course_id: str,
        value: MarkValue | None = None,
        *,
        reason: str = "",
    ) -> Change:
        """Set an annual mark: ``value=None`` accepts the proposal computed from the period marks."""
        return self._set_with_proposal(
            actor,
            school_id,
            journal_id,
            course_id,
            f"annual mark of student {student_id} in course {course_id}",
            lambda g: g.annual(student_id, course_id),
            lambda j, v: j.set_annual_mark(student_id, course_id, v, by=actor, reason=reason),
            value,
            reason,
        )

    def set_exam_mark(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        student_id: str,
        course_id: str,
        value: MarkValue | None,
        *,
        reason: str = "",
    ) -> Change:
        """Set (``None`` clears) the exam mark of an examined course."""
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.SET_RESULT,
            lambda j: j.set_exam_mark(student_id, course_id, value, by=actor, reason=reason),
            course_id=course_id,
        )

    def set_final_mark(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        student_id: str,
        course_id: str,
        value: MarkValue | None = None,
        *,
        reason: str = "",
        earlier_results: Sequence[MarkValue] | None = None,
    ) -> Change:
        """Set a final mark: ``value=None`` accepts the mark the law's rule gives.

        For grade 11 the rule needs the student's grade-10 half-year and annual marks: unless
        ``earlier_results`` gives them, they are read from the previous year's grade-10 journal
        in storage (:meth:`earlier_results`).
        """
        if earlier_results is None:
            earlier_results = self.earlier_results(actor, school_id, journal_id).get(student_id, {}).get(course_id, [])
        return self._set_with_proposal(
            actor,
            school_id,
            journal_id,
            course_id,
            f"final mark of student {student_id} in course {course_id}",
            lambda g: g.final(student_id, course_id, earlier_results),
            lambda j, v: j.set_final_mark(student_id, course_id, v, by=actor, reason=reason),
            value,
            reason,
        )

    def proposed_period_mark(
        self, actor: Actor, school_id: str, journal_id: str, student_id: str, course_id: str, period_id: str
    ) -> ComputedMark:
        """The proposed period mark with its explanation (read-only; computed once per stored version)."""
        journal = self._read(actor, school_id, journal_id)
        return self._gradebook(journal).period(student_id, course_id, period_id).computed()

    # ------------------------------------------------------------------ periods and decisions
    def close_period(
        self, actor: Actor, school_id: str, journal_id: str, period_id: str, *, reason: str = ""
    ) -> Change:
        """Close a period (or the year): administrators only."""
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.CLOSE_PERIOD,
            lambda j: j.close_period(period_id, by=actor, reason=reason),
            school_wide=True,
        )

    def reopen_period(self, actor: Actor, school_id: str, journal_id: str, period_id: str, *, reason: str) -> Change:
        """Reopen a closed period: administrators only, always with a reason."""
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.REOPEN_PERIOD,
            lambda j: j.reopen_period(period_id, by=actor, reason=reason),
            school_wide=True,
        )

    def record_decision(
        self, actor: Actor, school_id: str, journal_id: str, decision: Decision, *, reason: str = ""
    ) -> Change:
        """Add a council decision to the student's history (earlier ones stay): administrators only.

        See :meth:`~ejournal.core.journal.ClassJournal.record_decision`; withdrawing a wrong one is
        :meth:`withdraw_decision`.
        """
        return self._write(
            actor,
            school_id,
            journal_id,
            Operation.RECORD_DECISION,
            lambda j: j.record_decision(decision, by=actor, reason=reason),
            school_wide=True,
        )

    # ------------------------------------------------------------------ reading
    def journal(self, actor: Actor, school_id: str, journal_id: str) -> ClassJournal:
        """A journal for reading (the class teacher, a teacher of the class, or an administrator).

        The caller's own copy: changing it changes neither the storage nor the service's cache.
        """
        return self._read(actor, school_id, journal_id).copy()

    def journal_ids(self, actor: Actor, school_id: str, year: AcademicYear | None = None) -> list[str]:
        """Ids of the school's journals (administrators); :class:`NotFound` for an unknown school."""
        self.rules.check_school(actor, Operation.ADMINISTER, school_id)
        with self.storage.unit_of_work() as uow:
            uow.schools.get(school_id)
            return uow.journals.list_ids(school_id, year)

    def journals(
        self, actor: Actor, school_id: str, *, year: AcademicYear | None = None, label: str | None = None
    ) -> list[ClassJournal]:
        """The school's journals of ``year`` (the latest year that has journals when ``None``) that
        ``actor`` may read, by grade and letter; only the class labelled ``label`` ("9А") if given.

        A year is loaded school-wide in a constant number of queries; with ``label`` only that
        class's journal is loaded (the classes are listed without loading any journal).  Raises
        :class:`NotFound` for an unknown school, or naming ``label`` (with the classes there are)
        when no such class exists, and :class:`PermissionDenied` when ``label`` names a class the
        actor may not read.
        """
        self.rules.check_tenant(actor, Operation.READ_JOURNAL, school_id)
        with self.storage.unit_of_work() as uow:
            uow.schools.get(school_id)
            if year is None:
                year = self._latest_year(uow, school_id)
            else:
                self._check_year(uow, school_id, year)
            where = f"school {school_id}" + (f", year {year}" if year else "")
            if label is None:
                loaded = uow.journals.list(school_id, year) if year is not None else []
            else:
                groups = uow.journals.classes(school_id, year) if year is not None else []
                named = [g for g in groups if matches(label, g.label)]
                if not named:
                    labels = [g.label for g in sorted(groups, key=lambda g: (g.grade, g.letter))]
                    raise unknown("class", label, labels, where)
                loaded = [uow.journals.get(school_id, g.id) for g in named]
        readable = []
        for journal in loaded:
            journal.clock = self.clock
            try:
                self.rules.check_journal(actor, Operation.READ_JOURNAL, journal)
            except PermissionDenied:
                if label is not None:
                    raise
                continue
            readable.append(journal)
        readable.sort(key=lambda j: (j.class_group.grade, j.class_group.letter, j.id))
        return readable

    def each_journal(self, actor: Actor, school_id: str, *, year: AcademicYear | None = None) -> Iterator[ClassJournal]:
        """The school's journals of ``year`` (default: the latest) that ``actor`` may read, one at a
        time, by grade and letter: each loaded when the caller asks for it, so a school-wide job
        (validate, every sheet) holds one class, not the school.

        The classes are listed first (no journal loaded); raises as :meth:`journals` does, when
        the iteration starts.
        """
        self.rules.check_tenant(actor, Operation.READ_JOURNAL, school_id)
        with self.storage.unit_of_work() as uow:
            uow.schools.get(school_id)
            if year is None:
                year = self._latest_year(uow, school_id)
            else:
                self._check_year(uow, school_id, year)
            groups = (
                sorted(uow.journals.classes(school_id, year), key=lambda g: (g.grade, g.letter, g.id)) if year else []
            )
        for group in groups:
            with self.storage.unit_of_work() as uow:
                journal = uow.journals.get(school_id, group.id)
            journal.clock = self.clock
            try:
                self.rules.check_journal(actor, Operation.READ_JOURNAL, journal)
            except PermissionDenied:
                continue
            yield journal

    def latest_year(self, actor: Actor, school_id: str) -> AcademicYear:
        """The latest academic year with journals in the school (administrators).

        Raises :class:`NotFound` for an unknown school or a school without journals.
        """
        self.rules.check_school(actor, Operation.ADMINISTER, school_id)
        with self.storage.unit_of_work() as uow:
            uow.schools.get(school_id)
            year = self._latest_year(uow, school_id)
        if year is None:
            raise NotFound("journal", "(any)", f"school {school_id}")
        return year

    @staticmethod
    def _check_year(uow: UnitOfWork, school_id: str, year: AcademicYear) -> None:
        years = uow.journals.years(school_id)
        if year not in years:
            raise unknown("year", str(year), [str(y) for y in years], f"school {school_id}")

    @staticmethod
    def _latest_year(uow: UnitOfWork, school_id: str) -> AcademicYear | None:
        years = uow.journals.years(school_id)
        return years[-1] if years else None

    def find_journal(self, actor: Actor, school_id: str, label: str, year: AcademicYear | None = None) -> ClassJournal:
        """The journal of the class labelled ``label`` ("9А") of ``year`` (the latest year if not given).

        Raises :class:`NotFound` naming the label when no such class exists.
        """
        return self.journals(actor, school_id, year=year, label=label)[0]

    def parent(self, actor: Actor, school_id: str, parent_id: str) -> Parent | None:
        """The parent record ``parent_id`` of ``school_id``, or ``None`` when there is none.

        Readable by the parent themself and the school's administrators (and the system); raises
        :class:`PermissionDenied` for anyone else, for an actor of another school or of none,
        before looking the record up.
        """
        self.rules.check_people(actor, school_id, parent_id)
        return self._parent(school_id, parent_id)

    def _parent(self, school_id: str, parent_id: str) -> Parent | None:
        with self.storage.unit_of_work() as uow:
            try:
                return uow.people.get_parent(school_id, parent_id)
            except NotFound:
                return None

    def check_diary_access(self, actor: Actor, school_id: str, journal: ClassJournal, student_id: str) -> None:
        """Raise :class:`PermissionDenied` unless ``actor`` may read ``student_id``'s diary.

        ``journal`` must be the journal of ``school_id`` (an :class:`InvalidInput` otherwise); the
        actor must belong to that school.
        """
        self.rules.check_tenant(actor, Operation.READ_DIARY, school_id, f"student {student_id}")
        if journal.school.id != school_id:
            raise InvalidInput("journal", f"is a journal of school {journal.school.id}, not {school_id}", journal.id)
        parent = self._parent(school_id, actor.id) if actor.role is Role.PARENT else None
        self.rules.check_diary(actor, student_id, journal, parent)  # refuse outsiders before revealing the student
        journal.student(student_id)

    # ------------------------------------------------------------------ audit
    def history(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        *,
        student_id: str | None = None,
        course_id: str | None = None,
        period_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Change]:
        """Who changed what and when, for a journal, filtered by student, course, period and time."""
        with self._journal(actor, Operation.READ_AUDIT, school_id, journal_id, shared=True) as (uow, journal):
            if actor.role.value not in ("administrator", "system"):
                self.rules.check_journal(actor, Operation.READ_AUDIT, journal, course_id=course_id)
            return uow.audit.query(
                school_id,
                journal_id=journal_id,
                student_id=student_id,
                course_id=course_id,
                period_id=period_id,
                since=since,
                until=until,
            )

    def journal_as_of(self, actor: Actor, school_id: str, journal_id: str, when: datetime) -> ClassJournal:
        """The journal as it stood at ``when``, reconstructed from the audit log (read-only)."""
        with self._journal(actor, Operation.READ_JOURNAL, school_id, journal_id, shared=True) as (uow, journal):
            self.rules.check_journal(actor, Operation.READ_JOURNAL, journal)
            changes = uow.audit.query(school_id, journal_id=journal_id)
        return rewind(journal, changes, when)

    # ------------------------------------------------------------------ school-wide
    def school_year(self, actor: Actor, school_id: str, year: AcademicYear) -> SchoolYear:
        """Everything of a school's year (administrators): for export and backups."""
        from ejournal.storage.document import export_school_year

        self.rules.check_school(actor, Operation.ADMINISTER, school_id)
        with self.storage.unit_of_work() as uow:
            uow.schools.get(school_id)
            self._check_year(uow, school_id, year)
        return export_school_year(self.storage, school_id, year)

    def import_school_year(self, actor: Actor, school_year: SchoolYear, *, replace: bool = False) -> None:
        """Import a school's year, all or nothing (the school's administrators).

        With ``replace``, every record the import adds, changes or removes in a stored journal is
        audited as done by ``actor`` now (the reason names the old and new versions and content
        hashes); the earlier history stays, so :meth:`journal_as_of` gives the old data before the
        replace and the new data after it.
        """
        from ejournal.storage.document import import_school_year

        self.rules.check_school(actor, Operation.ADMINISTER, school_year.school.id)
        self.cache.clear()
        import_school_year(self.storage, school_year, replace=replace, by=actor, at=self.clock.now())

    def backup(self, actor: Actor, school_id: str | None = None) -> bytes:
        """A backup of ONE school (every year, its people and audit log) as gzip JSON bytes.

        ``school_id`` defaults to the actor's school; only that school's administrators (or the
        region-wide system actor) may.  Raises :class:`PermissionDenied` (nothing read) otherwise,
        :class:`NotFound` for an unknown school.  A whole storage is :meth:`backup_all`.
        """
        from ejournal.storage.document import backup_storage

        return backup_storage(self.storage, schools=[self._backup_target(actor, school_id)])

    def _backup_target(self, actor: Actor, school_id: str | None) -> str:
        target = school_id if school_id is not None else actor.school_id if isinstance(actor, Actor) else None
        if target is None:
            raise PermissionDenied(str(actor), Operation.ADMINISTER.value, "a school backup", "name the school")
        self.rules.check_school(actor, Operation.ADMINISTER, target)
        with self.storage.unit_of_work() as uow:
            uow.schools.get(target)
        return target

    def backup_to(self, actor: Actor, path: Path, school_id: str | None = None) -> int:
        """:meth:`backup` streamed into the file ``path`` (atomic, ``0600``): one class journal in
        memory at a time.  Returns the file's size; same rights and errors as :meth:`backup`."""
        from ejournal.storage.document import write_backup

        target = self._backup_target(actor, school_id)
        return write_backup(self.storage, path, schools=[target])

    def backup_all_to(self, actor: Actor, path: Path) -> int:
        """:meth:`backup_all` streamed into the file ``path``; same rights as :meth:`backup_all`."""
        from ejournal.storage.document import write_backup

        self.rules.check_region(actor, Operation.BACKUP_ALL, ["(every school)"])
        return write_backup(self.storage, path)

    def backup_all(self, actor: Actor) -> bytes:
        """A backup of the whole storage (every school and year): the region-wide system actor only.

        Raises :class:`PermissionDenied` (nothing read) for anyone else, administrators included.
        """
        from ejournal.storage.document import backup_storage

        self.rules.check_region(actor, Operation.BACKUP_ALL, ["(every school)"])
        return backup_storage(self.storage)

    def restore(self, actor: Actor, data: bytes | Backup, *, digest: str | None = None) -> None:
        """Restore a backup into this (empty) storage, all or nothing.

        A backup of one school may be restored by that school's administrator; one holding several
        schools (or another school) only by the region-wide system actor.  Raises
        :class:`PermissionDenied` (nothing written) otherwise, :class:`InvalidInput` for a bundle
        that does not read or a storage that is not empty.  Each school's audit log then ends with
        a ``restore_backup`` entry: who restored, when, and the bundle's SHA-256 (computed for
        bytes; ``digest`` gives it for a :class:`Backup` already read).
        """
        import hashlib

        from ejournal.storage.document import Backup, read_backup, restore_storage

        if not isinstance(actor, Actor):
            raise PermissionDenied(repr(actor), Operation.BACKUP_ALL.value, "the storage", "not an actor")
        bundle = data if isinstance(data, Backup) else read_backup(data)
        schools = {e.school.id for e in bundle.schools} | {sy.school.id for sy in bundle.years}
        self.rules.check_region(actor, Operation.BACKUP_ALL, schools)
        if digest is None:
            digest = hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else ""
        self.cache.clear()  # restored journals are numbered from version 1 again
        restore_storage(self.storage, bundle, by=actor, at=self.clock.now(), digest=digest)

    # ------------------------------------------------------------------ earlier years
    def earlier_results(self, actor: Actor, school_id: str, journal_id: str) -> dict[str, dict[str, list[MarkValue]]]:
        """The grade-10 results a grade-11 journal's final marks are computed from, read from storage.

        Student id → course id (of this journal) → the grade-10 half-year marks and annual mark
        (see :func:`ejournal.core.records.grade10_results`); ``{}`` for a journal of another
        grade or when the school has no journals of the previous year.  Loads only the previous
        year's grade-10 journals.  Same rights as reading the journal.
        """
        with self._journal(actor, Operation.READ_JOURNAL, school_id, journal_id, shared=True) as (uow, journal):
            self.rules.check_journal(actor, Operation.READ_JOURNAL, journal)
            return self._earlier(uow, journal)

    @staticmethod
    def _earlier(uow: UnitOfWork, journal: ClassJournal) -> dict[str, dict[str, list[MarkValue]]]:
        from ejournal.core.records import grade10_results

        if journal.class_group.grade != 11:
            return {}
        return grade10_results(journal, JournalService._earlier_journals(uow, journal, grades=(10,)))

    @staticmethod
    def _earlier_journals(
        uow: UnitOfWork, journal: ClassJournal, *, grades: Iterable[int] | None = None
    ) -> list[ClassJournal]:
        """The journals of earlier years that hold one of the class's students, of the earlier
        grades of its level (5–8 for grade 9, 10 for grade 11; :data:`LEVEL_FIRST_GRADE`) or of
        ``grades``; ``[]`` for other grades.  Only the classes a student of the class can have
        been in are loaded: ``d`` years back, grade ``grade - d`` (or one higher, for a student
        who repeated a year; that year shows as two journals of one grade)."""
        from ejournal.core.records import LEVEL_FIRST_GRADE

        group = journal.class_group
        wanted = set(range(LEVEL_FIRST_GRADE.get(group.grade, group.grade), group.grade) if grades is None else grades)
        if not wanted:
            return []
        first = group.year.start_year - (group.grade - min(wanted)) - 1  # a year repeated reaches one further back
        students = set(journal.students)
        out: list[ClassJournal] = []
        for year in uow.journals.years(journal.school.id):
            if not first <= year.start_year < group.year.start_year:
                continue
            back = group.year.start_year - year.start_year
            plausible = wanted & {group.grade - back, group.grade - back + 1}
            for g in uow.journals.classes(journal.school.id, year):
                if g.grade in plausible:
                    earlier = uow.journals.get(journal.school.id, g.id)
                    if students.intersection(earlier.students):
                        out.append(earlier)
        return out

    def student_journals(self, actor: Actor, school_id: str, student_id: str) -> list[ClassJournal]:
        """Every journal of the school that lists ``student_id``, oldest year first (administrators):
        the years of a student's record («личное дело»).

        Loads the school year by year.  Raises :class:`NotFound` when no journal lists the student.
        """
        self.rules.check_school(actor, Operation.ADMINISTER, school_id)
        found: list[ClassJournal] = []
        with self.storage.unit_of_work() as uow:
            uow.schools.get(school_id)
            for year in uow.journals.years(school_id):
                found += [j for j in uow.journals.list(school_id, year) if student_id in j.students]
        if not found:
            raise NotFound("student", student_id, f"any journal of school {school_id}")
        return found

    # ------------------------------------------------------------------ validation, sheets, archive
    def validate(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        *,
        as_of: date,
        earlier_results: Mapping[str, Mapping[str, Sequence[MarkValue]]] | None = None,
    ) -> ValidationReport:
        """Validate a journal as of a date (anyone who may read the journal).

        For grade 11, ``earlier_results`` defaults to the grade-10 results in storage
        (:meth:`earlier_results`), so the final-mark rules check against them.
        """
        with self._journal(actor, Operation.READ_JOURNAL, school_id, journal_id, shared=True) as (uow, journal):
            self.rules.check_journal(actor, Operation.READ_JOURNAL, journal)
            if earlier_results is None:
                earlier_results = self._earlier(uow, journal) or None
        return validate(
            journal, self.policy, as_of=as_of, earlier_results=earlier_results, gradebook=self._own_gradebook(journal)
        )

    def validate_journal(
        self,
        actor: Actor,
        journal: ClassJournal,
        *,
        as_of: date,
        earlier_results: Mapping[str, Mapping[str, Sequence[MarkValue]]] | None = None,
    ) -> ValidationReport:
        """:meth:`validate` for a journal already loaded (e.g. by :meth:`journals`), without loading
        it again; as there, a grade-11 journal's ``earlier_results`` default to the grade-10
        results in storage (only those journals are read)."""
        self.rules.check_journal(actor, Operation.READ_JOURNAL, journal)
        if earlier_results is None and journal.class_group.grade == 11:
            with self.storage.unit_of_work() as uow:
                earlier_results = self._earlier(uow, journal) or None
        return validate(
            journal, self.policy, as_of=as_of, earlier_results=earlier_results, gradebook=self._own_gradebook(journal)
        )

    def summary_sheet(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        *,
        collator: Collator | None = None,
        locale: str = "ru",
        layout: SheetLayout = SheetLayout.STUDENTS_AS_ROWS,
        certification: Certification | None = None,
    ) -> SummarySheet:
        """Build the class's summary sheet (the class teacher or an administrator), stamped with
        the service's grading policy (:attr:`SummarySheet.policy`).

        The students are in the alphabetical order of ``locale`` ("ru", "tt", "en"), unless a
        ``collator`` is given.
        """
        journal = self._read(actor, school_id, journal_id, Operation.READ_SHEET)
        return self.build_sheet(
            actor, journal, collator=collator, locale=locale, layout=layout, certification=certification
        )

    def build_sheet(
        self,
        actor: Actor,
        journal: ClassJournal,
        *,
        collator: Collator | None = None,
        locale: str = "ru",
        layout: SheetLayout = SheetLayout.STUDENTS_AS_ROWS,
        certification: Certification | None = None,
    ) -> SummarySheet:
        """:meth:`summary_sheet` for a journal already loaded, without loading it again (a
        graduating class's earlier grades are read from storage: grade 10's marks on a grade-11
        sheet, the subjects finished in earlier grades on grades 9 and 11)."""
        self.rules.check_journal(actor, Operation.READ_SHEET, journal)
        with self.storage.unit_of_work() as uow:
            earlier = self._earlier_journals(uow, journal)
        return build_summary_sheet(
            journal,
            collator=_collator(collator, locale),
            layout=layout,
            certification=certification,
            policy=self.policy,
            earlier=earlier,
        )

    def render_sheet(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        format: str,
        *,
        collator: Collator | None = None,
        locale: str = "ru",
        layout: SheetLayout = SheetLayout.STUDENTS_AS_ROWS,
    ) -> bytes:
        """The class's summary sheet rendered as ``format`` (pdf, html, csv, xlsx, json) in ``locale``
        (and, unless ``collator`` is given, in the alphabetical order of ``locale``).

        Same rights as :meth:`summary_sheet`; raises :class:`InvalidInput` for an unknown format or locale.
        """
        from ejournal.render import render

        sheet = self.summary_sheet(actor, school_id, journal_id, collator=collator, locale=locale, layout=layout)
        data: bytes = render(sheet, format, locale=locale, layout=layout)
        return data

    def certify_and_archive(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        path: Path,
        *,
        collator: Collator | None = None,
        certified_on: date,
        retention_years: int = 25,
        signer: Signer | None = None,
        locale: str = "ru",
        force: bool = False,
        director: str | None = None,
        class_teacher: str | None = None,
    ) -> Path:
        """Certify the class's sheet and write its archive package (administrators only).

        Refuses (:class:`InvalidInput`) a journal that is not ready to certify unless ``force``;
        ``director`` and ``class_teacher`` name the signatories where the school data lacks them
        (or to print another name, e.g. an acting director; see
        :meth:`~ejournal.core.summary.Certification.from_journal`);
        the certification date is recorded on the sheet and in the manifest, the service's grading
        policy (the one validation checked against) is stamped on the sheet and its hash recorded in
        the manifest.
        """
        from ejournal.archive import create_archive
        from ejournal.core.records import grade10_results

        self.rules.check_school(actor, Operation.CERTIFY, school_id)
        journal = self._read(actor, school_id, journal_id)
        with self.storage.unit_of_work() as uow:
            earlier = self._earlier_journals(uow, journal)
        earlier_results = (grade10_results(journal, earlier) or None) if journal.class_group.grade == 11 else None
        report = validate(
            journal,
            self.policy,
            as_of=certified_on,
            earlier_results=earlier_results,
            gradebook=self._own_gradebook(journal),
        )
        if not report.ready_to_certify and not force:
            codes = ", ".join(sorted({f.code for f in report.blocking}))
            raise InvalidInput(
                f"class {journal.class_group.label}",
                f"not ready to certify: {len(report.blocking)} errors ({codes})",
                journal_id,
            )
        collator = _collator(collator, locale)
        sheet = build_summary_sheet(
            journal,
            collator=collator,
            certification=Certification.from_journal(
                journal, certified_on, director=director, class_teacher=class_teacher
            ),
            policy=self.policy,
            earlier=earlier,
        )
        return create_archive(
            sheet,
            path,
            policy_hash=self.policy.content_hash,
            retention_years=retention_years,
            certified_on=certified_on,
            signer=signer,
            locale=locale,
            collation=str(getattr(collator, "engine", type(collator).__name__)),
        )

    # ------------------------------------------------------------------ the diary
    def diary_week(self, actor: Actor, school_id: str, journal_id: str, student_id: str, monday: date) -> DiaryWeek:
        """A student's diary week (the student, their parents, their teachers, administrators)."""
        with self._journal(actor, Operation.READ_DIARY, school_id, journal_id, shared=True) as (_, journal):
            pass
        self.check_diary_access(actor, school_id, journal, student_id)
        return week(journal, student_id, monday)

    def period_report(
        self, actor: Actor, school_id: str, journal_id: str, student_id: str, period_or_day: str | date
    ) -> PeriodReport:
        """A student's period report: averages, proposed marks, what is needed for the next grade."""
        with self._journal(actor, Operation.READ_DIARY, school_id, journal_id, shared=True) as (_, journal):
            pass
        self.check_diary_access(actor, school_id, journal, student_id)
        return period_report(journal, student_id, period_or_day, self.policy, gradebook=self._own_gradebook(journal))

    def _own_gradebook(self, journal: ClassJournal) -> Gradebook | None:
        """The cached gradebook when it is this very journal's (validation and the diary check that), else ``None``."""
        book = self._gradebook(journal)
        return book if book.journal is journal else None

    def export_document(self, actor: Actor, school_id: str, year: AcademicYear, path: Path) -> None:
        """Write the school's year as a journal document (``.gz`` compresses), streamed class by
        class from storage (:func:`~ejournal.storage.document.write_export`; administrators).
        Raises :class:`NotFound` for an unknown school or year."""
        from ejournal.storage.document import write_export

        self.rules.check_school(actor, Operation.ADMINISTER, school_id)
        with self.storage.unit_of_work() as uow:
            uow.schools.get(school_id)
            self._check_year(uow, school_id, year)
        write_export(self.storage, school_id, year, path)


def _collator(given: Collator | None, locale: str) -> Collator:
    """``given``, or the alphabetical order of ``locale`` (the same language codes as rendering)."""
    if given is not None:
        return given
    from ejournal.i18n.collation import collator

    return collator(locale)

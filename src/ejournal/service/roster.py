"""The roster use cases: schools, teachers, class journals, courses and students' movements.

Each method is one unit of work: it checks that the actor is an administrator of the school
(or the region-wide system actor), runs the journal's command (which checks the invariants),
saves the journal together with the audit entry of the change, and commits; an error leaves the
storage as it was.  School-level acts (a school created or edited, a teacher added to the school)
are audited with an empty ``journal_id``.

Mixed into :class:`~ejournal.service.JournalService`; see that class for the constructor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

from ejournal.core.calendar import AcademicYear
from ejournal.core.choices import matches, unknown
from ejournal.core.errors import InvalidInput, NotFound, Problem
from ejournal.core.journal import Action, Actor, Change, ClassJournal, Clock
from ejournal.core.model import Course, School, Student, Subject, Teacher
from ejournal.core.rollover import RolloverPlan, plan_rollover
from ejournal.core.scales import MarkValue
from ejournal.core.timetable import Slot, timetable_lessons
from ejournal.service.access import AccessRules, Operation
from ejournal.storage.ports import Storage, UnitOfWork

__all__ = ["RosterUseCases"]


class RosterUseCases:
    """Creating and changing what a journal is about: the school, its teachers, classes, courses, students."""

    storage: Storage
    clock: Clock
    rules: AccessRules

    # ------------------------------------------------------------------ plumbing
    def _school_change(
        self, actor: Actor, action: Action, before: School | Teacher | None, after: School | Teacher, reason: str = ""
    ) -> Change:
        return Change("", actor.id, actor.role, self.clock.now(), action, before, after, reason)

    def _roster_write(
        self, actor: Actor, school_id: str, journal_id: str, command: Callable[[UnitOfWork, ClassJournal], Change]
    ) -> Change:
        self.rules.check_school(actor, Operation.MANAGE_ROSTER, school_id)
        with self.storage.unit_of_work() as uow:
            journal = uow.journals.get(school_id, journal_id)
            journal.clock = self.clock
            change = command(uow, journal)
            uow.journals.save(journal)
            uow.commit()
            return change

    @staticmethod
    def _school_teacher(uow: UnitOfWork, journal: ClassJournal, teacher_id: str | None) -> Teacher | None:
        """The school's record of ``teacher_id`` when the journal does not list the teacher yet."""
        if teacher_id is None or teacher_id in journal.teachers:
            return None
        return uow.people.get_teacher(journal.school.id, teacher_id)

    # ------------------------------------------------------------------ the school
    def create_school(self, actor: Actor, school: School) -> Change:
        """Create ``school`` (with its director and Tatar name): the region-wide system actor, or
        an administrator whose ``school_id`` is the new school's id.

        Raises :class:`PermissionDenied` (nothing written) otherwise, :class:`InvalidInput` when
        the id exists or ``school`` is not a :class:`School`.
        """
        if not isinstance(school, School):
            raise InvalidInput("school", "must be a School", school)
        self.rules.check_school(actor, Operation.CREATE_SCHOOL, school.id)
        change = self._school_change(actor, Action.CREATE_SCHOOL, None, school)
        with self.storage.unit_of_work() as uow:
            uow.schools.add(school)
            uow.audit.append(school.id, [change])
            uow.commit()
        return change

    def edit_school(self, actor: Actor, school: School, *, reason: str = "") -> Change:
        """Replace the record of an existing school (its names, director, address): its administrators.

        Journals keep the school record they were saved with until they are saved again.
        Raises :class:`NotFound` for an unknown school.
        """
        if not isinstance(school, School):
            raise InvalidInput("school", "must be a School", school)
        self.rules.check_school(actor, Operation.MANAGE_ROSTER, school.id)
        with self.storage.unit_of_work() as uow:
            before = uow.schools.get(school.id)
            change = self._school_change(actor, Action.EDIT_SCHOOL, before, school, reason)
            uow.schools.update(school)
            uow.audit.append(school.id, [change])
            uow.commit()
        return change

    def add_teacher(self, actor: Actor, school_id: str, teacher: Teacher) -> Change:
        """Add a teacher to the school's people: its administrators.

        Raises :class:`NotFound` for an unknown school, :class:`InvalidInput` for an id that exists.
        """
        if not isinstance(teacher, Teacher):
            raise InvalidInput("teacher", "must be a Teacher", teacher)
        self.rules.check_school(actor, Operation.MANAGE_ROSTER, school_id)
        change = self._school_change(actor, Action.ADD_TEACHER, None, teacher)
        with self.storage.unit_of_work() as uow:
            uow.schools.get(school_id)
            uow.people.add_teacher(school_id, teacher)
            uow.audit.append(school_id, [change])
            uow.commit()
        return change

    # ------------------------------------------------------------------ class journals
    def create_journal(self, actor: Actor, journal: ClassJournal, *, reason: str = "") -> Change:
        """Store a new class journal for a year: its class, period schemes, subjects, courses and
        (optionally) the students enrolled from the start; no lessons or marks yet.

        The journal's school must be stored (its stored record is used), every teacher the journal
        names must be a teacher of the school, and no other journal of the year may have the same
        grade and letter.  Audited as ``create_journal``.  Raises :class:`PermissionDenied`,
        :class:`NotFound` (school, teacher), :class:`InvalidInput` (a duplicate class or id, a
        journal that already has records).
        """
        if not isinstance(journal, ClassJournal):
            raise InvalidInput("journal", "must be a ClassJournal", journal)
        school_id = journal.school.id
        self.rules.check_school(actor, Operation.MANAGE_ROSTER, school_id)
        group = journal.class_group
        with self.storage.unit_of_work() as uow:
            journal.school = uow.schools.get(school_id)
            for other in uow.journals.classes(school_id, group.year):
                if matches(other.label, group.label):  # the same class, also spelled with a Latin look-alike
                    raise InvalidInput(
                        "journal.class_group",
                        f"class {other.label} of {group.year} exists already (journal {other.id})",
                        group.label,
                    )
            for teacher_id, teacher in journal.teachers.items():
                stored = uow.people.get_teacher(school_id, teacher_id)
                if stored != teacher:
                    raise InvalidInput(
                        f"journal.teachers[{teacher_id}]", "differs from the school's record of the teacher", teacher_id
                    )
            journal.clock = self.clock
            change = journal.record_creation(by=actor, reason=reason)
            uow.journals.add(journal)
            uow.commit()
            return change

    def appoint_class_teacher(
        self, actor: Actor, school_id: str, journal_id: str, teacher_id: str | None, *, reason: str = ""
    ) -> Change:
        """Make a teacher of the school the class teacher of the journal's class."""
        return self._roster_write(
            actor,
            school_id,
            journal_id,
            lambda uow, j: j.appoint_class_teacher(
                teacher_id, teacher=self._school_teacher(uow, j, teacher_id), by=actor, reason=reason
            ),
        )

    def add_subject(
        self, actor: Actor, school_id: str, journal_id: str, subject: Subject, *, reason: str = ""
    ) -> Change:
        """Add a subject to the class's curriculum."""
        return self._roster_write(
            actor, school_id, journal_id, lambda _, j: j.add_subject(subject, by=actor, reason=reason)
        )

    def add_course(self, actor: Actor, school_id: str, journal_id: str, course: Course, *, reason: str = "") -> Change:
        """Add a course taught by a teacher of the school (looked up in the school's people)."""
        return self._roster_write(
            actor,
            school_id,
            journal_id,
            lambda uow, j: j.add_course(
                course, teacher=self._school_teacher(uow, j, course.teacher_id), by=actor, reason=reason
            ),
        )

    def change_teacher(
        self, actor: Actor, school_id: str, journal_id: str, course_id: str, teacher_id: str | None, *, reason: str = ""
    ) -> Change:
        """Give a course to another teacher of the school from now on (the audit log keeps who taught when)."""
        return self._roster_write(
            actor,
            school_id,
            journal_id,
            lambda uow, j: j.change_teacher(
                course_id, teacher_id, teacher=self._school_teacher(uow, j, teacher_id), by=actor, reason=reason
            ),
        )

    def add_timetable(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        course_id: str,
        slots: Sequence[Slot],
        start: date,
        end: date,
        *,
        reason: str = "",
    ) -> list[Change]:
        """Add the lessons of a course's timetable from ``start`` to ``end`` (administrators), in one
        unit of work: every day of the range in a period of the course's scheme whose weekday has a
        slot (see :func:`ejournal.core.timetable.timetable_lessons`; lessons that exist are kept).
        Returns the changes, one ``add_lesson`` each.
        """
        made: list[Change] = []

        def command(_: UnitOfWork, j: ClassJournal) -> Change:
            for lesson in timetable_lessons(j, course_id, slots, start, end):
                made.append(j.add_lesson(lesson, by=actor, reason=reason))
            if not made:
                raise InvalidInput(
                    "timetable", "adds no lesson: every one exists or the range has no school day", course_id
                )
            return made[0]

        self._roster_write(actor, school_id, journal_id, command)
        return made

    # ------------------------------------------------------------------ students
    def enrol(self, actor: Actor, school_id: str, journal_id: str, student: Student, *, reason: str = "") -> Change:
        """Enrol ``student`` in the class from ``student.enrolled`` (see :meth:`ClassJournal.enrol`)."""
        return self._roster_write(actor, school_id, journal_id, lambda _, j: j.enrol(student, by=actor, reason=reason))

    def arrive(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        student: Student,
        *,
        brought: Sequence[tuple[str, date, MarkValue, str]] = (),
        source: str = "",
        reason: str = "",
    ) -> list[Change]:
        """Enrol a student who arrives from another school, by the director's order
        (``student.arrival_order``), with the current marks brought on the certified extract.

        ``brought`` lists ``(course_id, day, value, work_type_id)`` of the extract named by
        ``source`` ("МБОУ СОШ № 3, выписка № 14 от 09.01.2026"); each counts in the period mark
        of its day (see :meth:`ClassJournal.bring_mark`).  One unit of work: the enrolment and
        every mark, or nothing.  Returns the changes.  Raises :class:`InvalidInput` when the order
        number is missing, or marks come without a source, and what the commands refuse.
        """
        if not isinstance(student, Student):
            raise InvalidInput("student", "must be a Student", student)
        if not student.arrival_order.strip():
            raise InvalidInput(f"student {student.id}.arrival_order", "the director's order number is required", "")

        made: list[Change] = []

        def command(_: UnitOfWork, j: ClassJournal) -> Change:
            made.append(j.enrol(student, by=actor, reason=reason))
            for i, (course_id, day, value, work_type_id) in enumerate(brought):
                try:
                    made.append(
                        j.bring_mark(student.id, course_id, day, value, work_type_id, source, by=actor, reason=reason)
                    )
                except (InvalidInput, NotFound) as e:
                    raise InvalidInput(f"brought[{i}]", str(e), f"{course_id} {day} {value}") from e
            return made[0]

        self._roster_write(actor, school_id, journal_id, command)
        return made

    def bring_mark(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        student_id: str,
        course_id: str,
        day: date,
        value: MarkValue,
        work_type_id: str,
        source: str,
        *,
        reason: str = "",
    ) -> Change:
        """Add a mark from an arriving student's extract after the arrival (administrators)."""
        return self._roster_write(
            actor,
            school_id,
            journal_id,
            lambda _, j: j.bring_mark(student_id, course_id, day, value, work_type_id, source, by=actor, reason=reason),
        )

    def remove_brought_mark(
        self, actor: Actor, school_id: str, journal_id: str, mark_id: str, *, reason: str
    ) -> Change:
        """Remove a brought mark entered by mistake, with a written reason (administrators)."""
        return self._roster_write(
            actor, school_id, journal_id, lambda _, j: j.remove_brought_mark(mark_id, by=actor, reason=reason)
        )

    def withdraw(
        self,
        actor: Actor,
        school_id: str,
        journal_id: str,
        student_id: str,
        left: date,
        order: str,
        *,
        reason: str = "",
    ) -> Change:
        """Record that a student leaves the school after ``left`` by the director's ``order`` ("57-у")."""
        return self._roster_write(
            actor, school_id, journal_id, lambda _, j: j.withdraw(student_id, left, order, by=actor, reason=reason)
        )

    def edit_student(
        self, actor: Actor, school_id: str, journal_id: str, student: Student, *, reason: str = ""
    ) -> Change:
        """Correct a student's record (name, birth date, order numbers, dates) in the class."""
        return self._roster_write(
            actor, school_id, journal_id, lambda _, j: j.edit_student(student, by=actor, reason=reason)
        )

    def transfer(
        self,
        actor: Actor,
        school_id: str,
        from_journal_id: str,
        student_id: str,
        to_journal_id: str,
        on: date,
        order: str,
        *,
        reason: str = "",
    ) -> tuple[Change, Change]:
        """Move a student to another class of the school from ``on`` by the director's ``order``.

        One unit of work: the student leaves the old class on the day before ``on`` (with
        ``order`` as the departure order) and is enrolled in the new one on ``on`` (with ``order``
        as the arrival order), keeping their id; their marks stay in the old journal.  Both
        classes must be of the same year.  Returns the two changes (withdrawal, enrolment).
        Raises :class:`InvalidInput` for the same class, another year, a student already in the
        new class, or what :meth:`ClassJournal.withdraw` and :meth:`ClassJournal.enrol` refuse.
        """
        self.rules.check_school(actor, Operation.MANAGE_ROSTER, school_id)
        if from_journal_id == to_journal_id:
            raise InvalidInput("transfer.to_journal_id", "is the class the student is in", to_journal_id)
        with self.storage.unit_of_work() as uow:
            old = uow.journals.get(school_id, from_journal_id)
            new = uow.journals.get(school_id, to_journal_id)
            if old.class_group.year != new.class_group.year:
                raise InvalidInput(
                    "transfer.to_journal_id",
                    f"class {new.class_group.label} is of {new.class_group.year}, not {old.class_group.year}",
                    to_journal_id,
                )
            for j in (old, new):
                j.clock = self.clock
            student = old.student(student_id)
            left = on - timedelta(days=1)
            why = reason or f"transfer from class {old.class_group.label} to class {new.class_group.label}"
            out = old.withdraw(student_id, left, order, by=actor, reason=why)
            arrived = Student(student.id, student.name, on, None, student.birth_date, order.strip(), "", student.sex)
            into = new.enrol(arrived, by=actor, reason=why)
            uow.journals.save(old)
            uow.journals.save(new)
            uow.commit()
            return out, into

    def rollover(
        self,
        actor: Actor,
        school_id: str,
        from_year: AcademicYear,
        *,
        placements: Mapping[str, str] | None = None,
        dry_run: bool = False,
    ) -> RolloverPlan:
        """Create the next year's class journals from ``from_year``'s council decisions (administrators).

        See :func:`ejournal.core.rollover.plan_rollover` for where each student goes and what is
        refused.  Also refused, with nothing written: a next-year class that already exists.  All
        journals are created in one unit of work, each audited as ``create_journal`` with the
        reason "rollover from YEAR"; ``dry_run`` returns the plan without writing.  Raises
        :class:`PermissionDenied`, :class:`NotFound` (school, year), :class:`InvalidInput`.
        """
        self.rules.check_school(actor, Operation.MANAGE_ROSTER, school_id)
        with self.storage.unit_of_work() as uow:
            uow.schools.get(school_id)
            years = uow.journals.years(school_id)
            if from_year not in years:
                raise unknown("year", str(from_year), [str(y) for y in years], f"school {school_id}")
            plan = plan_rollover(uow.journals.list(school_id, from_year), placements=placements)
            existing = {(g.grade, g.letter): g for g in uow.journals.classes(school_id, plan.to_year)}
            taken = [
                Problem(f"class {j.class_group.label}", f"exists already in {plan.to_year} (journal {g.id})", g.id)
                for j in plan.journals
                if (g := existing.get((j.class_group.grade, j.class_group.letter))) is not None
            ]
            if taken:
                raise InvalidInput.many(taken)
            if dry_run:
                return plan
            for journal in plan.journals:
                journal.clock = self.clock
                journal.record_creation(by=actor, reason=f"rollover from {from_year}")
                uow.journals.add(journal)
            uow.commit()
        return plan

    def school_log(self, actor: Actor, school_id: str) -> list[Change]:
        """The school-level audit entries (school created or edited, teachers added), in append order:
        the school's administrators.  Raises :class:`NotFound` for an unknown school."""
        self.rules.check_school(actor, Operation.READ_AUDIT, school_id)
        with self.storage.unit_of_work() as uow:
            uow.schools.get(school_id)
            return uow.audit.query(school_id, journal_id="")

    def school_teachers(self, actor: Actor, school_id: str) -> list[Teacher]:
        """The teachers of the school (administrators), by id; :class:`NotFound` for an unknown school."""
        self.rules.check_school(actor, Operation.MANAGE_ROSTER, school_id)
        with self.storage.unit_of_work() as uow:
            uow.schools.get(school_id)
            return sorted(uow.people.list_teachers(school_id), key=lambda t: t.id)

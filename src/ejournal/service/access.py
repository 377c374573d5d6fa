"""Who may do what: the access rules of the use cases.

The rules (a school may tighten them by subclassing :class:`AccessRules`):

- an **administrator** may do everything in the school;
- a **subject teacher** writes marks, attendance, lessons and result marks of their own courses
  only, within the policy's edit window after the lesson, and reads their courses' journals;
- a **class teacher** has the subject-teacher rights on their own courses, reads the whole class,
  records attendance for the whole class, and builds and renders its summary sheet;
- a **student** reads only their own diary; a **parent** only their children's diaries;
- only an administrator reopens a period, closes one, records council decisions, certifies and
  archives a sheet, or changes anything in a closed period (always with a reason — the journal
  enforces that part);
- import, export, backup and restore are administrators' work, and so is the roster: classes,
  courses and their teachers, enrolments, transfers and withdrawals (by the director's order);
  a school is created by the region-wide system actor or by its own future administrator;
  retakes of academic debts are recorded by administrators, and the debt list is read by the
  class teacher and administrators;
- a student's choice of state exams is recorded by the class teacher or an administrator; an
  exam result (with its primary score) is a result mark: the course's teacher or an administrator.

Schools are tenants: before any of the above, the actor's ``school_id`` must be the target's
school.  An actor of another school (even with an id that also exists here), or of no school, is
refused whatever their role.  The one region-wide role is the school-less :attr:`Role.SYSTEM`
(:attr:`Actor.region_wide`): it passes every school's checks, and only it backs up or restores a
storage holding several schools; its writes are audited under the ``system`` role.

A refusal raises :class:`~ejournal.core.errors.PermissionDenied` naming the actor, the action and
the target; it is raised before anything is written.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from datetime import date

from ejournal.core.errors import PermissionDenied
from ejournal.core.journal import Actor, ClassJournal, Role
from ejournal.core.model import Parent

__all__ = ["AccessRules", "Operation"]


class Operation(enum.Enum):
    """The operations the access rules know."""

    READ_JOURNAL = "read the journal of"
    WRITE_MARK = "write marks in"
    WRITE_ATTENDANCE = "record attendance in"
    WRITE_LESSON = "edit lessons of"
    SET_RESULT = "set result marks in"
    CLOSE_PERIOD = "close a period of"
    REOPEN_PERIOD = "reopen a period of"
    RECORD_DECISION = "record council decisions in"
    READ_DIARY = "read the diary of"
    READ_AUDIT = "read the audit log of"
    READ_SHEET = "build the summary sheet of"
    CERTIFY = "certify the summary sheet of"
    ADMINISTER = "administer"
    READ_PEOPLE = "read the people of"
    BACKUP_ALL = "back up or restore every school of"
    MANAGE_ROSTER = "manage the classes, courses and students of"
    CREATE_SCHOOL = "create"
    RECORD_RETAKE = "record retakes of academic debts in"
    RECORD_ADMISSION_TEST = "record admission tests in"
    RECORD_EXAM_CHOICE = "record the students' exam choices in"


_TEACHERS = (Role.SUBJECT_TEACHER, Role.CLASS_TEACHER)


class AccessRules:
    """The default rules (see the module documentation)."""

    def check_journal(
        self,
        actor: Actor,
        operation: Operation,
        journal: ClassJournal,
        *,
        course_id: str | None = None,
        lesson_day: date | None = None,
        today: date | None = None,
        edit_window_days: int | None = None,
    ) -> None:
        """Allow ``operation`` by ``actor`` on ``journal`` (and ``course_id``), or raise :class:`PermissionDenied`.

        For teachers' writes, ``lesson_day``/``today``/``edit_window_days`` enforce the edit window.
        """
        target = f"class {journal.class_group.label}" + (f", course {course_id}" if course_id else "")
        self.check_tenant(actor, operation, journal.school.id, target)
        role = actor.role
        if role in (Role.ADMINISTRATOR, Role.SYSTEM):
            return
        if role in (Role.STUDENT, Role.PARENT):
            raise PermissionDenied(str(actor), operation.value, target, "students and parents only read diaries")
        is_class_teacher = role is Role.CLASS_TEACHER and journal.class_group.class_teacher_id == actor.id
        owns_course = course_id is not None and journal.course(course_id).teacher_id == actor.id
        if operation is Operation.READ_JOURNAL:
            if is_class_teacher or any(c.teacher_id == actor.id for c in journal.courses.values()):
                return
            raise PermissionDenied(str(actor), operation.value, target, "teaches no course of this class")
        if operation is Operation.READ_SHEET:
            if is_class_teacher:
                return
            raise PermissionDenied(str(actor), operation.value, target, "only the class teacher or an administrator")
        if operation is Operation.RECORD_EXAM_CHOICE:
            if is_class_teacher:
                return
            raise PermissionDenied(str(actor), operation.value, target, "only the class teacher or an administrator")
        if operation is Operation.READ_AUDIT:
            if is_class_teacher or owns_course:
                return
            raise PermissionDenied(str(actor), operation.value, target, "not the class teacher or the course teacher")
        if operation in (
            Operation.WRITE_MARK,
            Operation.WRITE_LESSON,
            Operation.SET_RESULT,
            Operation.WRITE_ATTENDANCE,
        ):
            allowed = owns_course or (operation is Operation.WRITE_ATTENDANCE and is_class_teacher)
            if not allowed:
                raise PermissionDenied(str(actor), operation.value, target, "not the teacher of this course")
            if edit_window_days is not None and lesson_day is not None and today is not None:
                late = (today - lesson_day).days
                if late > edit_window_days:
                    raise PermissionDenied(
                        str(actor),
                        operation.value,
                        target + f", lesson of {lesson_day.isoformat()}",
                        f"the edit window of {edit_window_days} days has passed ({late} days); ask an administrator",
                    )
            return
        raise PermissionDenied(str(actor), operation.value, target, "only an administrator may")

    def check_diary(self, actor: Actor, student_id: str, journal: ClassJournal, parent: Parent | None) -> None:
        """Allow reading ``student_id``'s diary, or raise :class:`PermissionDenied`."""
        target = f"student {student_id}"
        self.check_tenant(actor, Operation.READ_DIARY, journal.school.id, target)
        role = actor.role
        if role in (Role.ADMINISTRATOR, Role.SYSTEM):
            return
        if role is Role.STUDENT:
            if actor.id == student_id:
                return
            raise PermissionDenied(
                str(actor), Operation.READ_DIARY.value, target, "a student reads only their own diary"
            )
        if role is Role.PARENT:
            if parent is not None and student_id in parent.children:
                return
            raise PermissionDenied(str(actor), Operation.READ_DIARY.value, target, "not linked to this student")
        if role is Role.CLASS_TEACHER and journal.class_group.class_teacher_id == actor.id:
            return
        if any(c.teacher_id == actor.id for c in journal.courses.values()):
            return
        raise PermissionDenied(str(actor), Operation.READ_DIARY.value, target, "teaches no course of this class")

    def check_school(self, actor: Actor, operation: Operation, school_id: str) -> None:
        """School-wide operations (import, export, backup, restore, close/reopen, decisions): administrators only.

        Raises :class:`PermissionDenied` naming the actor, the operation and the school otherwise.
        """
        self.check_tenant(actor, operation, school_id)
        if actor.role in (Role.ADMINISTRATOR, Role.SYSTEM):
            return
        raise PermissionDenied(str(actor), operation.value, f"school {school_id}", "only an administrator may")

    def check_tenant(self, actor: Actor, operation: Operation, school_id: str, target: str = "") -> None:
        """Allow ``actor`` to act in school ``school_id`` at all, or raise :class:`PermissionDenied`.

        Passes the region-wide system actor and an actor whose ``school_id`` is ``school_id``;
        refuses an actor of another school or of none (``target`` names what was aimed at, the
        school by default).  Every use case calls this before it loads, reveals or writes anything.
        """
        where = f"{target} of school {school_id}" if target else f"school {school_id}"
        if not isinstance(actor, Actor):
            raise PermissionDenied(repr(actor), operation.value, where, "not an actor")
        if actor.region_wide:
            return
        if actor.school_id is None:
            raise PermissionDenied(str(actor), operation.value, where, "the actor belongs to no school")
        if actor.school_id != school_id:
            raise PermissionDenied(str(actor), operation.value, where, "the actor belongs to another school")

    def check_region(self, actor: Actor, operation: Operation, schools: Collection[str]) -> None:
        """Allow an operation over ``schools`` together (a whole-storage backup or restore), or raise.

        The region-wide system actor may; an administrator may when ``schools`` is their own school
        alone (or nothing).  Raises :class:`PermissionDenied` otherwise, before anything is read.
        """
        names = sorted(schools)
        if not isinstance(actor, Actor):
            raise PermissionDenied(repr(actor), operation.value, "the storage", "not an actor")
        if actor.region_wide:
            return
        if names in ([], [actor.school_id]) and actor.role is Role.ADMINISTRATOR and actor.school_id is not None:
            return
        raise PermissionDenied(
            str(actor),
            operation.value,
            "schools " + ", ".join(names) if names else "the storage",
            "only the region-wide system role may act on several schools or another school",
        )

    def check_people(self, actor: Actor, school_id: str, person_id: str) -> None:
        """Allow reading the record of ``person_id`` (a parent) of ``school_id``: the person themself,
        an administrator of the school, or the system; :class:`PermissionDenied` otherwise."""
        self.check_tenant(actor, Operation.READ_PEOPLE, school_id, f"person {person_id}")
        if actor.role in (Role.ADMINISTRATOR, Role.SYSTEM) or (actor.role is Role.PARENT and actor.id == person_id):
            return
        raise PermissionDenied(
            str(actor), Operation.READ_PEOPLE.value, f"person {person_id}", "only the person or an administrator"
        )

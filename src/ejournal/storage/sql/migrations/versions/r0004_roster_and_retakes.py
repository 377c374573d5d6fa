"""Roster changes in the audit log, and retakes of academic debts.

From 0004 the audit log also holds the roster use cases (a student enrolled, withdrawn or
corrected; a subject, a course or a teacher added; a course given to another teacher; a
school or a class journal created, a class teacher appointed), so the
check constraint on ``ej_audit.action`` accepts their action names.  The lists are written out
here, frozen, so that this revision means the same thing whatever the code later adds.

It also creates ``ej_retakes``: the attempts to clear an academic debt (273-ФЗ art. 58), at
most two per student and course, with their date, result, protocol and commission; and
``ej_brought_marks``: the current marks an arriving student brought on the certified extract;
and adds the optional ``ej_students.sex`` (``'m'``/``'f'``; the sheet's «переведён»/«переведена»)
and ``ej_subjects.name_tt`` (the Tatar name the Tatar sheet prints).

Downgrading refuses while roster entries or retakes are stored (the older schema cannot hold
them); it names how many there are.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_CONSTRAINT = "ck_ej_audit_action"
_BEFORE = [
    "record_mark",
    "correct_mark",
    "delete_mark",
    "record_attendance",
    "clear_attendance",
    "set_result",
    "clear_result",
    "set_decision",
    "clear_decision",
    "add_lesson",
    "edit_lesson",
    "close_period",
    "reopen_period",
]
_ROSTER = [
    "enrol_student",
    "withdraw_student",
    "edit_student",
    "add_subject",
    "add_course",
    "change_teacher",
    "add_teacher",
    "edit_teacher",
    "edit_subject",
    "edit_course",
    "create_journal",
    "set_class_teacher",
    "create_school",
    "edit_school",
    "record_retake",
    "bring_mark",
    "remove_brought_mark",
    "restore_backup",
]


def _in(values: list[str]) -> str:
    return "action IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _replace(values: list[str]) -> None:
    with op.batch_alter_table("ej_audit") as batch:
        batch.drop_constraint(_CONSTRAINT, type_="check")
        batch.create_check_constraint(_CONSTRAINT, _in(values))


_ID = 64
_VALUE = (
    "(grade IS NOT NULL AND status IS NULL AND grade >= 0) "
    "OR (grade IS NULL AND status IN ('н/а', 'осв.', 'зач.', 'незач.'))"
)


def upgrade() -> None:
    """Let ``ej_audit.action`` hold the roster actions as well; create ``ej_retakes`` and
    ``ej_brought_marks``; add the optional ``ej_students.sex``."""
    _replace(_BEFORE + _ROSTER)
    op.add_column("ej_subjects", sa.Column("name_tt", sa.Text(), nullable=True))
    with op.batch_alter_table("ej_students") as batch:
        batch.add_column(sa.Column("sex", sa.String(length=1), nullable=True))
        batch.create_check_constraint("ck_ej_students_sex", "sex IS NULL OR sex IN ('m', 'f')")
    op.create_table(
        "ej_retakes",
        sa.Column("school_id", sa.String(length=_ID), nullable=False),
        sa.Column("journal_id", sa.String(length=_ID), nullable=False),
        sa.Column("student_id", sa.String(length=_ID), nullable=False),
        sa.Column("course_id", sa.String(length=_ID), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=True),
        sa.Column("protocol", sa.Text(), nullable=False),
        sa.Column("commission", sa.Text(), nullable=False),
        sa.Column("owed_grade", sa.Integer(), nullable=True),
        sa.Column("owed_status", sa.String(length=8), nullable=True),
        sa.CheckConstraint("attempt IN (1, 2)", name="ck_ej_retakes_attempt"),
        sa.CheckConstraint(_VALUE, name="ck_ej_retakes_value"),
        sa.CheckConstraint("owed_grade IS NULL OR owed_status IS NULL", name="ck_ej_retakes_owed"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "student_id"],
            ["ej_students.school_id", "ej_students.journal_id", "ej_students.student_id"],
            name="fk_ej_retakes_student",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "course_id"],
            ["ej_courses.school_id", "ej_courses.journal_id", "ej_courses.course_id"],
            name="fk_ej_retakes_course",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "student_id", "course_id", "attempt", name="pk_ej_retakes"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_brought_marks",
        sa.Column("school_id", sa.String(length=_ID), nullable=False),
        sa.Column("journal_id", sa.String(length=_ID), nullable=False),
        sa.Column("mark_id", sa.String(length=_ID), nullable=False),
        sa.Column("student_id", sa.String(length=_ID), nullable=False),
        sa.Column("course_id", sa.String(length=_ID), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=True),
        sa.Column("work_type_id", sa.String(length=_ID), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("entered_at", sa.String(length=40), nullable=False),
        sa.Column("entered_by", sa.String(length=_ID), nullable=False),
        sa.CheckConstraint("mark_id <> '' AND source <> ''", name="ck_ej_brought_marks_id"),
        sa.CheckConstraint(_VALUE, name="ck_ej_brought_marks_value"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "student_id"],
            ["ej_students.school_id", "ej_students.journal_id", "ej_students.student_id"],
            name="fk_ej_brought_marks_student",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "course_id"],
            ["ej_courses.school_id", "ej_courses.journal_id", "ej_courses.course_id"],
            name="fk_ej_brought_marks_course",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "work_type_id"],
            ["ej_work_types.school_id", "ej_work_types.journal_id", "ej_work_types.work_type_id"],
            name="fk_ej_brought_marks_work_type",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "mark_id", name="pk_ej_brought_marks"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )


def downgrade() -> None:
    """Back to 0003; refuses while roster entries or retakes are stored."""
    bind = op.get_bind()
    entries = bind.execute(sa.text("SELECT COUNT(*) FROM ej_audit WHERE " + _in(_ROSTER))).scalar_one()
    retakes = bind.execute(sa.text("SELECT COUNT(*) FROM ej_retakes")).scalar_one()
    brought = bind.execute(sa.text("SELECT COUNT(*) FROM ej_brought_marks")).scalar_one()
    if entries or retakes or brought:
        raise RuntimeError(
            f"cannot downgrade below 0004: {entries} roster entries, {retakes} retakes and {brought} brought marks"
            " are stored, which 0003 cannot hold"
        )
    op.drop_table("ej_brought_marks")
    op.drop_table("ej_retakes")
    with op.batch_alter_table("ej_students") as batch:
        batch.drop_constraint("ck_ej_students_sex", type_="check")
        batch.drop_column("sex")
    with op.batch_alter_table("ej_subjects") as batch:
        batch.drop_column("name_tt")
    _replace(_BEFORE)

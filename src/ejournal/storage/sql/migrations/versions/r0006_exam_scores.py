"""State exams: primary scores, per-student exam choices, and which exam enters which course.

From 0006 an exam result may keep its ОГЭ primary score beside the mark
(``ej_results.primary_score``, only on exam marks); a course may be an exam chosen per student
(``ej_courses.exam_by_choice``) or take another course's exam (``ej_courses.exam_of``, e.g.
geometry the mathematics exam recorded on algebra); ``ej_exam_choices`` holds the exams each
student chose (grade 9: two beside Russian and mathematics).  The audit log accepts the actions
that record and clear a choice.  The action lists are written out here, frozen.

Downgrading refuses while primary scores, exam choices, courses by choice or mapped to another
course's exam, or their audit entries are stored (the older schema cannot hold them).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
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
    "record_admission_test",
    "withdraw_admission_test",
]
_EXAMS = ["set_exam_choice", "clear_exam_choice"]
_ID = 64


def _in(values: list[str]) -> str:
    return "action IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _replace(values: list[str]) -> None:
    with op.batch_alter_table("ej_audit") as batch:
        batch.drop_constraint(_CONSTRAINT, type_="check")
        batch.create_check_constraint(_CONSTRAINT, _in(values))


def upgrade() -> None:
    """Add ``ej_results.primary_score``, ``ej_courses.exam_by_choice``/``exam_of`` and
    ``ej_exam_choices``; let the audit log hold the exam-choice actions."""
    _replace(_BEFORE + _EXAMS)
    with op.batch_alter_table("ej_results") as batch:
        batch.add_column(sa.Column("primary_score", sa.Integer(), nullable=True))
        batch.create_check_constraint(
            "ck_ej_results_primary_score", "primary_score IS NULL OR (kind = 'exam' AND primary_score >= 0)"
        )
    # in place, not by a batch rebuild: ej_courses is referenced by lessons and results, whose
    # foreign keys a rebuild of a table holding rows would break on SQLite
    op.add_column("ej_courses", sa.Column("exam_by_choice", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("ej_courses", sa.Column("exam_of", sa.String(length=_ID), nullable=True))
    op.create_table(
        "ej_exam_choices",
        sa.Column("school_id", sa.String(length=_ID), nullable=False),
        sa.Column("journal_id", sa.String(length=_ID), nullable=False),
        sa.Column("student_id", sa.String(length=_ID), nullable=False),
        sa.Column("course_ids", sa.Text(), nullable=False),
        sa.Column("chosen_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "student_id"],
            ["ej_students.school_id", "ej_students.journal_id", "ej_students.student_id"],
            name="fk_ej_exam_choices_student",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "student_id", name="pk_ej_exam_choices"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )


def downgrade() -> None:
    """Back to 0005; refuses while anything only 0006 can hold is stored."""
    bind = op.get_bind()

    def count(sql: str) -> int:
        return int(bind.execute(sa.text(sql)).scalar_one())

    scores = count("SELECT COUNT(*) FROM ej_results WHERE primary_score IS NOT NULL")
    choices = count("SELECT COUNT(*) FROM ej_exam_choices")
    courses = count("SELECT COUNT(*) FROM ej_courses WHERE exam_by_choice = TRUE OR exam_of IS NOT NULL")
    entries = count("SELECT COUNT(*) FROM ej_audit WHERE " + _in(_EXAMS))
    if scores or choices or courses or entries:
        raise RuntimeError(
            f"cannot downgrade below 0006: {scores} primary scores, {choices} exam choices, {courses} courses"
            f" with chosen or shared exams and {entries} exam-choice audit entries are stored, which 0005 cannot hold"
        )
    op.drop_table("ej_exam_choices")
    if bind.dialect.name == "sqlite":
        # ej_courses is referenced by lessons and results: rebuilding it (what a batch drop does)
        # fails their foreign keys, so drop the columns in place (SQLite 3.35 and newer)
        op.execute("ALTER TABLE ej_courses DROP COLUMN exam_of")
        op.execute("ALTER TABLE ej_courses DROP COLUMN exam_by_choice")
    else:
        with op.batch_alter_table("ej_courses") as batch:
            batch.drop_column("exam_of")
            batch.drop_column("exam_by_choice")
    with op.batch_alter_table("ej_results") as batch:
        batch.drop_constraint("ck_ej_results_primary_score", type_="check")
        batch.drop_column("primary_score")
    _replace(_BEFORE)

"""Roster changes in the audit log.

From 0004 the audit log also holds the roster use cases (a student enrolled, withdrawn or
corrected; a subject, a course or a teacher added; a course given to another teacher; a
school or a class journal created, a class teacher appointed), so the
check constraint on ``ej_audit.action`` accepts their action names.  The lists are written out
here, frozen, so that this revision means the same thing whatever the code later adds.

Downgrading refuses while roster entries are stored (they would break the older constraint);
it names how many there are.

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
]


def _in(values: list[str]) -> str:
    return "action IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _replace(values: list[str]) -> None:
    with op.batch_alter_table("ej_audit") as batch:
        batch.drop_constraint(_CONSTRAINT, type_="check")
        batch.create_check_constraint(_CONSTRAINT, _in(values))


def upgrade() -> None:
    """Let ``ej_audit.action`` hold the roster actions as well."""
    _replace(_BEFORE + _ROSTER)


def downgrade() -> None:
    """Back to the actions of 0003; refuses while roster entries are stored."""
    stored = op.get_bind().execute(sa.text("SELECT COUNT(*) FROM ej_audit WHERE " + _in(_ROSTER))).scalar_one()
    if stored:
        raise RuntimeError(
            f"cannot downgrade below 0004: the audit log holds {stored} roster entries that 0003 cannot hold"
        )
    _replace(_BEFORE)

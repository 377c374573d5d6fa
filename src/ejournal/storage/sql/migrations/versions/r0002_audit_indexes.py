"""Indexes for the audit log's query paths (by journal, student, course, time).

Revision ID: 0002
Revises: 0001
Create Date: 2025-06-02
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the audit query indexes."""
    op.create_index("ix_ej_audit_at", "ej_audit", ["school_id", "at_utc", "seq"], unique=False)
    op.create_index("ix_ej_audit_course", "ej_audit", ["school_id", "course_id", "at_utc", "seq"], unique=False)
    op.create_index("ix_ej_audit_journal", "ej_audit", ["school_id", "journal_id", "at_utc", "seq"], unique=False)
    op.create_index("ix_ej_audit_student", "ej_audit", ["school_id", "student_id", "at_utc", "seq"], unique=False)


def downgrade() -> None:
    """Drop the audit query indexes."""
    op.drop_index("ix_ej_audit_at", table_name="ej_audit")
    op.drop_index("ix_ej_audit_course", table_name="ej_audit")
    op.drop_index("ix_ej_audit_journal", table_name="ej_audit")
    op.drop_index("ix_ej_audit_student", table_name="ej_audit")

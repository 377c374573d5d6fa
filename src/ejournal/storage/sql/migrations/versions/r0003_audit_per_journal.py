"""Audit sequence numbers without a school-wide counter row.

Until 0002 every append bumped the school's row in ``ej_audit_counters``, so saves of two
different journals of one school waited for or refused each other (SQLite "database is
locked", PostgreSQL "could not serialize access").  From 0003 PostgreSQL and MariaDB draw the
numbers from the sequence ``ej_audit_seq`` (not transactional, no row locked) and SQLite takes
the school's highest number plus one inside its single write transaction.

Existing entries keep their numbers, so their order is unchanged; the sequence starts above
the highest stored number, so every new entry sorts after them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_SEQUENCE = "ej_audit_seq"


def _has_sequences() -> bool:
    return op.get_bind().dialect.name in ("postgresql", "mysql", "mariadb")


def upgrade() -> None:
    """Create ``ej_audit_seq`` above the highest audit number and drop ``ej_audit_counters``."""
    if _has_sequences():
        highest = op.get_bind().execute(sa.text("SELECT COALESCE(MAX(seq), 0) FROM ej_audit")).scalar_one()
        op.execute(sa.schema.CreateSequence(sa.Sequence(_SEQUENCE, start=int(highest) + 1)))
    op.drop_table("ej_audit_counters")


def downgrade() -> None:
    """Recreate ``ej_audit_counters`` from the highest number of each school; drop the sequence."""
    op.create_table(
        "ej_audit_counters",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("last_seq >= 0", name="ck_ej_audit_counters_seq"),
        sa.ForeignKeyConstraint(["school_id"], ["ej_schools.school_id"], name="fk_ej_audit_counters_school"),
        sa.PrimaryKeyConstraint("school_id", name="pk_ej_audit_counters"),
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
    )
    op.execute(
        "INSERT INTO ej_audit_counters (school_id, last_seq) "
        "SELECT s.school_id, COALESCE((SELECT MAX(a.seq) FROM ej_audit a WHERE a.school_id = s.school_id), 0) "
        "FROM ej_schools s"
    )
    if _has_sequences():
        op.execute(sa.schema.DropSequence(sa.Sequence(_SEQUENCE)))

"""Several council decisions per student, and the admission tests of grades 9 and 11.

Up to 0004 ``ej_decisions`` held one decision per student (its primary key was the student).
From 0005 a student has a history of decisions over the year (admitted to the exams in May,
graduated in June; promoted conditionally, then promoted once the debt is cleared): the primary
key becomes ``(school_id, journal_id, student_id, council_date, kind)``, one decision of a kind
per council.  The rows already stored fit the new key as they are (one per student).

It also creates ``ej_admission_tests``: the attempts at the grade-9 oral Russian test
(«итоговое собеседование») and the grade-11 final essay («итоговое сочинение»), зачёт or
незачёт, at most three per student (the main date and two additional ones); and lets
``ej_audit.action`` hold ``record_admission_test`` and ``withdraw_admission_test``.  The action
list is written out here, frozen, so that this revision means the same thing whatever the code
later adds.

Downgrading refuses while a student has more than one decision, or admission tests (or their
audit entries) are stored: 0004 cannot hold them; it names how many there are.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ejournal.storage.sql.migrations.versions import r0004_roster_and_retakes as r0004

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_BEFORE = r0004._BEFORE + r0004._ROSTER
_ADMISSION = ["record_admission_test", "withdraw_admission_test"]

_ID = 64
_OLD_KEY = ["school_id", "journal_id", "student_id"]
_NEW_KEY = [*_OLD_KEY, "council_date", "kind"]


_COLUMNS = ["school_id", "journal_id", "student_id", "kind", "council_date", "protocol", "to_grade", "note"]
_KINDS = (
    "kind IN ('promoted', 'promoted_conditionally', 'repeat_year', 'adapted_programme', 'individual_plan',"
    " 'admitted_to_exam', 'not_admitted_to_exam', 'graduated', 'graduated_with_honours', 'left')"
)


def _rekey_sqlite(columns: list[str]) -> None:
    """SQLite cannot alter a primary key: build the table anew with it, copy the rows, swap."""
    op.create_table(
        "_ej_decisions_new",
        sa.Column("school_id", sa.String(length=_ID), nullable=False),
        sa.Column("journal_id", sa.String(length=_ID), nullable=False),
        sa.Column("student_id", sa.String(length=_ID), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("council_date", sa.Date(), nullable=False),
        sa.Column("protocol", sa.Text(), nullable=False),
        sa.Column("to_grade", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(_KINDS, name="ck_ej_decisions_kind"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "student_id"],
            ["ej_students.school_id", "ej_students.journal_id", "ej_students.student_id"],
            name="fk_ej_decisions_student",
        ),
        sa.PrimaryKeyConstraint(*columns, name="pk_ej_decisions"),
    )
    names = ", ".join(_COLUMNS)
    op.execute(f"INSERT INTO _ej_decisions_new ({names}) SELECT {names} FROM ej_decisions")
    op.drop_table("ej_decisions")
    op.rename_table("_ej_decisions_new", "ej_decisions")


def _rekey(columns: list[str]) -> None:
    """Give ``ej_decisions`` the primary key ``columns`` (same name, ``pk_ej_decisions``), keeping its rows."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _rekey_sqlite(columns)
        return
    # One statement: MariaDB needs an index on the student foreign key at every moment, and the
    # primary key is that index.
    drop = "DROP PRIMARY KEY" if bind.dialect.name in ("mysql", "mariadb") else "DROP CONSTRAINT pk_ej_decisions"
    op.execute(f"ALTER TABLE ej_decisions {drop}, ADD CONSTRAINT pk_ej_decisions PRIMARY KEY ({', '.join(columns)})")


def upgrade() -> None:
    """Re-key ``ej_decisions`` by student, council date and kind; create ``ej_admission_tests``;
    let the audit log hold the admission-test actions."""
    _rekey(_NEW_KEY)
    op.create_table(
        "ej_admission_tests",
        sa.Column("school_id", sa.String(length=_ID), nullable=False),
        sa.Column("journal_id", sa.String(length=_ID), nullable=False),
        sa.Column("student_id", sa.String(length=_ID), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('interview', 'essay')", name="ck_ej_admission_tests_kind"),
        sa.CheckConstraint("attempt BETWEEN 1 AND 3", name="ck_ej_admission_tests_attempt"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "student_id"],
            ["ej_students.school_id", "ej_students.journal_id", "ej_students.student_id"],
            name="fk_ej_admission_tests_student",
        ),
        sa.PrimaryKeyConstraint(
            "school_id", "journal_id", "student_id", "kind", "attempt", name="pk_ej_admission_tests"
        ),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    r0004._replace(_BEFORE + _ADMISSION)


def downgrade() -> None:
    """Back to 0004; refuses while a student has several decisions or admission tests are stored."""
    bind = op.get_bind()
    several = bind.execute(
        sa.text(
            "SELECT COUNT(*) FROM (SELECT school_id, journal_id, student_id FROM ej_decisions"
            " GROUP BY school_id, journal_id, student_id HAVING COUNT(*) > 1) AS several"
        )
    ).scalar_one()
    tests = bind.execute(sa.text("SELECT COUNT(*) FROM ej_admission_tests")).scalar_one()
    entries = bind.execute(sa.text("SELECT COUNT(*) FROM ej_audit WHERE " + r0004._in(_ADMISSION))).scalar_one()
    if several or tests or entries:
        raise RuntimeError(
            f"cannot downgrade below 0005: {several} students with several decisions, {tests} admission tests"
            f" and {entries} admission-test audit entries are stored, which 0004 cannot hold"
        )
    r0004._replace(_BEFORE)
    op.drop_table("ej_admission_tests")
    _rekey(_OLD_KEY)

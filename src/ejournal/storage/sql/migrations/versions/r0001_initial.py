"""Initial schema: schools, people, class journals and their contents, the audit log.

Revision ID: 0001
Revises:
Create Date: 2025-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table (without the audit query indexes, added by 0002)."""
    op.create_table(
        "ej_schools",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("name_ru", sa.Text(), nullable=False),
        sa.Column("name_tt", sa.Text(), nullable=False),
        sa.Column("director_surname", sa.Text(), nullable=True),
        sa.Column("director_given", sa.Text(), nullable=True),
        sa.Column("director_patronymic", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=False),
        sa.CheckConstraint("school_id <> ''", name="ck_ej_schools_id"),
        sa.CheckConstraint("(director_surname IS NULL) = (director_given IS NULL)", name="ck_ej_schools_director"),
        sa.PrimaryKeyConstraint("school_id", name="pk_ej_schools"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_audit",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("actor_role", sa.String(length=16), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column(
            "at_utc",
            sa.String(length=26).with_variant(postgresql.VARCHAR(26, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("before_json", sa.Text(), nullable=True),
        sa.Column("after_json", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("student_id", sa.String(length=64), nullable=False),
        sa.Column("course_id", sa.String(length=64), nullable=False),
        sa.Column("period_id", sa.String(length=64), nullable=False),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "action IN ('record_mark', 'correct_mark', 'delete_mark', 'record_attendance', 'clear_attendance', 'set_result', 'clear_result', 'set_decision', 'clear_decision', 'add_lesson', 'edit_lesson', 'close_period', 'reopen_period')",
            name="ck_ej_audit_action",
        ),
        sa.CheckConstraint(
            "actor_role IN ('administrator', 'class_teacher', 'subject_teacher', 'student', 'parent', 'system')",
            name="ck_ej_audit_role",
        ),
        sa.CheckConstraint("seq >= 1", name="ck_ej_audit_seq"),
        sa.ForeignKeyConstraint(["school_id"], ["ej_schools.school_id"], name="fk_ej_audit_school"),
        sa.PrimaryKeyConstraint("school_id", "seq", name="pk_ej_audit"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_audit_counters",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("last_seq >= 0", name="ck_ej_audit_counters_seq"),
        sa.ForeignKeyConstraint(["school_id"], ["ej_schools.school_id"], name="fk_ej_audit_counters_school"),
        sa.PrimaryKeyConstraint("school_id", name="pk_ej_audit_counters"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_journals",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("letter", sa.String(length=64), nullable=False),
        sa.Column("year_start", sa.Integer(), nullable=False),
        sa.Column("year_first_day", sa.Date(), nullable=False),
        sa.Column("year_last_day", sa.Date(), nullable=False),
        sa.Column("class_teacher_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint("journal_id <> '' AND letter <> ''", name="ck_ej_journals_id"),
        sa.CheckConstraint("grade BETWEEN 1 AND 12", name="ck_ej_journals_grade"),
        sa.CheckConstraint("version >= 1", name="ck_ej_journals_version"),
        sa.CheckConstraint("year_last_day > year_first_day", name="ck_ej_journals_year"),
        sa.ForeignKeyConstraint(["school_id"], ["ej_schools.school_id"], name="fk_ej_journals_school"),
        sa.PrimaryKeyConstraint("school_id", "journal_id", name="pk_ej_journals"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_index("ix_ej_journals_year", "ej_journals", ["school_id", "year_start"], unique=False)
    op.create_table(
        "ej_parents",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=False),
        sa.Column("surname", sa.Text(), nullable=False),
        sa.Column("given", sa.Text(), nullable=False),
        sa.Column("patronymic", sa.Text(), nullable=False),
        sa.CheckConstraint("parent_id <> ''", name="ck_ej_parents_id"),
        sa.ForeignKeyConstraint(["school_id"], ["ej_schools.school_id"], name="fk_ej_parents_school"),
        sa.PrimaryKeyConstraint("school_id", "parent_id", name="pk_ej_parents"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_teachers",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("teacher_id", sa.String(length=64), nullable=False),
        sa.Column("surname", sa.Text(), nullable=False),
        sa.Column("given", sa.Text(), nullable=False),
        sa.Column("patronymic", sa.Text(), nullable=False),
        sa.CheckConstraint("teacher_id <> ''", name="ck_ej_teachers_id"),
        sa.ForeignKeyConstraint(["school_id"], ["ej_schools.school_id"], name="fk_ej_teachers_school"),
        sa.PrimaryKeyConstraint("school_id", "teacher_id", name="pk_ej_teachers"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_attendance_codes",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("missed", sa.Boolean(), nullable=False),
        sa.CheckConstraint("code <> ''", name="ck_ej_attendance_codes_code"),
        sa.CheckConstraint(
            "reason IN ('unexcused', 'illness', 'excused', 'late')", name="ck_ej_attendance_codes_reason"
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id"],
            ["ej_journals.school_id", "ej_journals.journal_id"],
            name="fk_ej_attendance_codes_journal",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "code", name="pk_ej_attendance_codes"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_closed_periods",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("period_id", sa.String(length=64), nullable=False),
        sa.CheckConstraint("period_id <> ''", name="ck_ej_closed_periods_id"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id"],
            ["ej_journals.school_id", "ej_journals.journal_id"],
            name="fk_ej_closed_periods_journal",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "period_id", name="pk_ej_closed_periods"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_journal_teachers",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("teacher_id", sa.String(length=64), nullable=False),
        sa.Column("surname", sa.Text(), nullable=False),
        sa.Column("given", sa.Text(), nullable=False),
        sa.Column("patronymic", sa.Text(), nullable=False),
        sa.CheckConstraint("teacher_id <> ''", name="ck_ej_journal_teachers_id"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id"],
            ["ej_journals.school_id", "ej_journals.journal_id"],
            name="fk_ej_journal_teachers_journal",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "teacher_id", name="pk_ej_journal_teachers"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_parent_children",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=False),
        sa.Column("student_id", sa.String(length=64), nullable=False),
        sa.CheckConstraint("student_id <> ''", name="ck_ej_parent_children_id"),
        sa.ForeignKeyConstraint(
            ["school_id", "parent_id"],
            ["ej_parents.school_id", "ej_parents.parent_id"],
            name="fk_ej_parent_children_parent",
        ),
        sa.PrimaryKeyConstraint("school_id", "parent_id", "student_id", name="pk_ej_parent_children"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_scales",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("scale_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("grade_values", sa.Text(), nullable=False),
        sa.Column("pass_from", sa.Integer(), nullable=True),
        sa.Column("statuses", sa.Text(), nullable=False),
        sa.CheckConstraint("scale_id <> ''", name="ck_ej_scales_id"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id"],
            ["ej_journals.school_id", "ej_journals.journal_id"],
            name="fk_ej_scales_journal",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "scale_id", name="pk_ej_scales"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_schemes",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("scheme_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.CheckConstraint("scheme_id <> ''", name="ck_ej_schemes_id"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id"],
            ["ej_journals.school_id", "ej_journals.journal_id"],
            name="fk_ej_schemes_journal",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "scheme_id", name="pk_ej_schemes"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_students",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("student_id", sa.String(length=64), nullable=False),
        sa.Column("surname", sa.Text(), nullable=False),
        sa.Column("given", sa.Text(), nullable=False),
        sa.Column("patronymic", sa.Text(), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("arrival_order", sa.Text(), nullable=False),
        sa.Column("departure_order", sa.Text(), nullable=False),
        sa.CheckConstraint("student_id <> ''", name="ck_ej_students_id"),
        sa.CheckConstraint("left_on IS NULL OR left_on >= enrolled_on", name="ck_ej_students_left"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id"],
            ["ej_journals.school_id", "ej_journals.journal_id"],
            name="fk_ej_students_journal",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "student_id", name="pk_ej_students"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_index("ix_ej_students_student", "ej_students", ["school_id", "student_id"], unique=False)
    op.create_table(
        "ej_subjects",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("assessment", sa.String(length=16), nullable=False),
        sa.Column("short_name", sa.Text(), nullable=False),
        sa.CheckConstraint("assessment IN ('graded', 'pass_fail', 'none')", name="ck_ej_subjects_assessment"),
        sa.CheckConstraint("subject_id <> ''", name="ck_ej_subjects_id"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id"],
            ["ej_journals.school_id", "ej_journals.journal_id"],
            name="fk_ej_subjects_journal",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "subject_id", name="pk_ej_subjects"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_work_types",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("work_type_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("weight_num", sa.BigInteger(), nullable=False),
        sa.Column("weight_den", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("work_type_id <> ''", name="ck_ej_work_types_id"),
        sa.CheckConstraint("weight_num >= 0 AND weight_den > 0", name="ck_ej_work_types_weight"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id"],
            ["ej_journals.school_id", "ej_journals.journal_id"],
            name="fk_ej_work_types_journal",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "work_type_id", name="pk_ej_work_types"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_courses",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("course_id", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("teacher_id", sa.String(length=64), nullable=True),
        sa.Column("hours_num", sa.BigInteger(), nullable=False),
        sa.Column("hours_den", sa.BigInteger(), nullable=False),
        sa.Column("scheme_id", sa.String(length=64), nullable=False),
        sa.Column("scale_id", sa.String(length=64), nullable=False),
        sa.Column("examined", sa.Boolean(), nullable=False),
        sa.Column("exam_scale_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint("course_id <> ''", name="ck_ej_courses_id"),
        sa.CheckConstraint("hours_num > 0 AND hours_den > 0", name="ck_ej_courses_hours"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "exam_scale_id"],
            ["ej_scales.school_id", "ej_scales.journal_id", "ej_scales.scale_id"],
            name="fk_ej_courses_exam_scale",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "scale_id"],
            ["ej_scales.school_id", "ej_scales.journal_id", "ej_scales.scale_id"],
            name="fk_ej_courses_scale",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "scheme_id"],
            ["ej_schemes.school_id", "ej_schemes.journal_id", "ej_schemes.scheme_id"],
            name="fk_ej_courses_scheme",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "subject_id"],
            ["ej_subjects.school_id", "ej_subjects.journal_id", "ej_subjects.subject_id"],
            name="fk_ej_courses_subject",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "teacher_id"],
            ["ej_journal_teachers.school_id", "ej_journal_teachers.journal_id", "ej_journal_teachers.teacher_id"],
            name="fk_ej_courses_teacher",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "course_id", name="pk_ej_courses"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_index(
        "ix_ej_courses_exam_scale", "ej_courses", ["school_id", "journal_id", "exam_scale_id"], unique=False
    )
    op.create_index("ix_ej_courses_scale", "ej_courses", ["school_id", "journal_id", "scale_id"], unique=False)
    op.create_index("ix_ej_courses_scheme", "ej_courses", ["school_id", "journal_id", "scheme_id"], unique=False)
    op.create_index("ix_ej_courses_subject", "ej_courses", ["school_id", "journal_id", "subject_id"], unique=False)
    op.create_index("ix_ej_courses_teacher", "ej_courses", ["school_id", "journal_id", "teacher_id"], unique=False)
    op.create_table(
        "ej_decisions",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("student_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("council_date", sa.Date(), nullable=False),
        sa.Column("protocol", sa.Text(), nullable=False),
        sa.Column("to_grade", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('promoted', 'promoted_conditionally', 'repeat_year', 'adapted_programme', 'individual_plan', 'admitted_to_exam', 'not_admitted_to_exam', 'graduated', 'graduated_with_honours', 'left')",
            name="ck_ej_decisions_kind",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "student_id"],
            ["ej_students.school_id", "ej_students.journal_id", "ej_students.student_id"],
            name="fk_ej_decisions_student",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "student_id", name="pk_ej_decisions"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_table(
        "ej_periods",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("period_id", sa.String(length=64), nullable=False),
        sa.Column("scheme_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('quarter', 'trimester', 'half_year', 'module', 'year')", name="ck_ej_periods_kind"
        ),
        sa.CheckConstraint("period_id <> ''", name="ck_ej_periods_id"),
        sa.CheckConstraint("end_on >= start_on", name="ck_ej_periods_dates"),
        sa.CheckConstraint("number >= 1", name="ck_ej_periods_number"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "scheme_id"],
            ["ej_schemes.school_id", "ej_schemes.journal_id", "ej_schemes.scheme_id"],
            name="fk_ej_periods_scheme",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "period_id", name="pk_ej_periods"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_index("ix_ej_periods_scheme", "ej_periods", ["school_id", "journal_id", "scheme_id"], unique=False)
    op.create_table(
        "ej_lessons",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("course_id", sa.String(length=64), nullable=False),
        sa.Column("lesson_date", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("homework", sa.Text(), nullable=False),
        sa.CheckConstraint("lesson_id <> ''", name="ck_ej_lessons_id"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "course_id"],
            ["ej_courses.school_id", "ej_courses.journal_id", "ej_courses.course_id"],
            name="fk_ej_lessons_course",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "lesson_id", name="pk_ej_lessons"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_index(
        "ix_ej_lessons_course", "ej_lessons", ["school_id", "journal_id", "course_id", "lesson_date"], unique=False
    )
    op.create_table(
        "ej_results",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("student_id", sa.String(length=64), nullable=False),
        sa.Column("course_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period_id", sa.String(length=64), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=True),
        sa.Column("set_at", sa.String(length=40), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(grade IS NOT NULL AND status IS NULL AND grade >= 0) OR (grade IS NULL AND status IN ('н/а', 'осв.', 'зач.', 'незач.'))",
            name="ck_ej_results_value",
        ),
        sa.CheckConstraint("(kind = 'period') = (period_id <> '')", name="ck_ej_results_period"),
        sa.CheckConstraint("kind IN ('period', 'annual', 'exam', 'final')", name="ck_ej_results_kind"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "course_id"],
            ["ej_courses.school_id", "ej_courses.journal_id", "ej_courses.course_id"],
            name="fk_ej_results_course",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "student_id"],
            ["ej_students.school_id", "ej_students.journal_id", "ej_students.student_id"],
            name="fk_ej_results_student",
        ),
        sa.PrimaryKeyConstraint(
            "school_id", "journal_id", "student_id", "course_id", "kind", "period_id", name="pk_ej_results"
        ),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_index("ix_ej_results_course", "ej_results", ["school_id", "journal_id", "course_id"], unique=False)
    op.create_table(
        "ej_attendance",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("student_id", sa.String(length=64), nullable=False),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("entered_at", sa.String(length=40), nullable=False),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "code"],
            ["ej_attendance_codes.school_id", "ej_attendance_codes.journal_id", "ej_attendance_codes.code"],
            name="fk_ej_attendance_code",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "lesson_id"],
            ["ej_lessons.school_id", "ej_lessons.journal_id", "ej_lessons.lesson_id"],
            name="fk_ej_attendance_lesson",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "student_id"],
            ["ej_students.school_id", "ej_students.journal_id", "ej_students.student_id"],
            name="fk_ej_attendance_student",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "student_id", "lesson_id", name="pk_ej_attendance"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_index("ix_ej_attendance_code", "ej_attendance", ["school_id", "journal_id", "code"], unique=False)
    op.create_index("ix_ej_attendance_lesson", "ej_attendance", ["school_id", "journal_id", "lesson_id"], unique=False)
    op.create_table(
        "ej_marks",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=64), nullable=False),
        sa.Column("mark_id", sa.String(length=64), nullable=False),
        sa.Column("student_id", sa.String(length=64), nullable=False),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=True),
        sa.Column("work_type_id", sa.String(length=64), nullable=False),
        sa.Column("entered_at", sa.String(length=40), nullable=False),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(grade IS NOT NULL AND status IS NULL AND grade >= 0) OR (grade IS NULL AND status IN ('н/а', 'осв.', 'зач.', 'незач.'))",
            name="ck_ej_marks_value",
        ),
        sa.CheckConstraint("mark_id <> ''", name="ck_ej_marks_id"),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "lesson_id"],
            ["ej_lessons.school_id", "ej_lessons.journal_id", "ej_lessons.lesson_id"],
            name="fk_ej_marks_lesson",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "student_id"],
            ["ej_students.school_id", "ej_students.journal_id", "ej_students.student_id"],
            name="fk_ej_marks_student",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "journal_id", "work_type_id"],
            ["ej_work_types.school_id", "ej_work_types.journal_id", "ej_work_types.work_type_id"],
            name="fk_ej_marks_work_type",
        ),
        sa.PrimaryKeyConstraint("school_id", "journal_id", "mark_id", name="pk_ej_marks"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mysql_engine="InnoDB",
    )
    op.create_index("ix_ej_marks_lesson", "ej_marks", ["school_id", "journal_id", "lesson_id"], unique=False)
    op.create_index("ix_ej_marks_student", "ej_marks", ["school_id", "journal_id", "student_id"], unique=False)
    op.create_index("ix_ej_marks_work_type", "ej_marks", ["school_id", "journal_id", "work_type_id"], unique=False)


def downgrade() -> None:
    """Drop every table."""
    op.drop_table("ej_marks")
    op.drop_table("ej_attendance")
    op.drop_table("ej_results")
    op.drop_table("ej_lessons")
    op.drop_table("ej_periods")
    op.drop_table("ej_decisions")
    op.drop_table("ej_courses")
    op.drop_table("ej_work_types")
    op.drop_table("ej_subjects")
    op.drop_table("ej_students")
    op.drop_table("ej_schemes")
    op.drop_table("ej_scales")
    op.drop_table("ej_parent_children")
    op.drop_table("ej_journal_teachers")
    op.drop_table("ej_closed_periods")
    op.drop_table("ej_attendance_codes")
    op.drop_table("ej_teachers")
    op.drop_table("ej_parents")
    op.drop_table("ej_journals")
    op.drop_table("ej_audit_counters")
    op.drop_table("ej_audit")
    op.drop_table("ej_schools")

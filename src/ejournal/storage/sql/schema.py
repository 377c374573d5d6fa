"""The SQL schema, declared once with SQLAlchemy Core (:data:`metadata`).

Every table carries ``school_id`` and every primary and foreign key starts with it, so a region
can distribute the tables by school (see ``docs/sharding.md``).  Journal data is keyed by
``(school_id, journal_id, …)``.  Values are stored exactly:

- grades as integers and statuses as their printed code (``grade``/``status``, exactly one set);
- fractions (work-type weights, weekly hours) as numerator/denominator integers;
- dates as SQL ``DATE``; moments as ISO-8601 text with their UTC offset and microseconds
  (``datetime.isoformat()``), plus a fixed-width UTC column where the audit log sorts by time.

The Alembic migrations in ``migrations/versions`` build exactly this schema; a test compares
them with :data:`metadata`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Sequence,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.schema import SchemaItem

from ejournal.core.calendar import PeriodKind
from ejournal.core.journal import MAX_ADMISSION_ATTEMPTS, Action, AdmissionTestKind, DecisionKind, ResultKind, Role
from ejournal.core.model import AbsenceReason, AssessmentKind
from ejournal.core.scales import Status

__all__ = [
    "ID_LENGTH",
    "JOURNAL_TABLES",
    "audit",
    "audit_sequence",
    "metadata",
]

ID_LENGTH = 64
"""The longest id (school, journal, student, mark...) the schema stores."""

metadata = MetaData()
"""All tables of the SQL backend."""

# MariaDB: exact (binary, no-pad) comparison of ids, so "A" != "a" and "a" != "a ".
_TABLE_OPTIONS: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_nopad_bin",
}


SORTABLE_MOMENT = String(26).with_variant(postgresql.VARCHAR(26, collation="C"), "postgresql")
"""Fixed-width UTC text compared byte by byte: PostgreSQL's locale collations ignore punctuation."""


def _id(name: str, *, nullable: bool = False) -> Column[str]:
    return Column(name, String(ID_LENGTH), nullable=nullable)


def _text(name: str) -> Column[str]:
    return Column(name, Text, nullable=False)


def _in(column: str, values: list[str]) -> str:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"


def _non_empty(*columns: str) -> str:
    return " AND ".join(f"{c} <> ''" for c in columns)


def _table(name: str, *items: SchemaItem) -> Table:
    return Table(name, metadata, *items, **_TABLE_OPTIONS)


STATUS_CODES = [s.code for s in Status]
_VALUE_CHECK = (
    f"(grade IS NOT NULL AND status IS NULL AND grade >= 0) OR (grade IS NULL AND {_in('status', STATUS_CODES)})"
)


def _journal_fk(table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["school_id", "journal_id"],
        ["ej_journals.school_id", "ej_journals.journal_id"],
        name=f"fk_{table}_journal",
    )


def _child_fk(table: str, column: str, target: str, target_column: str, label: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["school_id", "journal_id", column],
        [f"{target}.school_id", f"{target}.journal_id", f"{target}.{target_column}"],
        name=f"fk_{table}_{label}",
    )


def _index(table: str, label: str, *columns: str) -> Index:
    return Index(f"ix_{table}_{label}", *columns)


# ---------------------------------------------------------------------------------------- school
schools = _table(
    "ej_schools",
    _id("school_id"),
    _text("name_ru"),
    _text("name_tt"),
    Column("director_surname", Text, nullable=True),
    Column("director_given", Text, nullable=True),
    Column("director_patronymic", Text, nullable=True),
    _text("address"),
    PrimaryKeyConstraint("school_id", name="pk_ej_schools"),
    CheckConstraint(_non_empty("school_id"), name="ck_ej_schools_id"),
    CheckConstraint("(director_surname IS NULL) = (director_given IS NULL)", name="ck_ej_schools_director"),
)

teachers = _table(
    "ej_teachers",
    _id("school_id"),
    _id("teacher_id"),
    _text("surname"),
    _text("given"),
    _text("patronymic"),
    PrimaryKeyConstraint("school_id", "teacher_id", name="pk_ej_teachers"),
    ForeignKeyConstraint(["school_id"], ["ej_schools.school_id"], name="fk_ej_teachers_school"),
    CheckConstraint(_non_empty("teacher_id"), name="ck_ej_teachers_id"),
)

parents = _table(
    "ej_parents",
    _id("school_id"),
    _id("parent_id"),
    _text("surname"),
    _text("given"),
    _text("patronymic"),
    PrimaryKeyConstraint("school_id", "parent_id", name="pk_ej_parents"),
    ForeignKeyConstraint(["school_id"], ["ej_schools.school_id"], name="fk_ej_parents_school"),
    CheckConstraint(_non_empty("parent_id"), name="ck_ej_parents_id"),
)

parent_children = _table(
    "ej_parent_children",
    _id("school_id"),
    _id("parent_id"),
    _id("student_id"),
    PrimaryKeyConstraint("school_id", "parent_id", "student_id", name="pk_ej_parent_children"),
    ForeignKeyConstraint(
        ["school_id", "parent_id"],
        ["ej_parents.school_id", "ej_parents.parent_id"],
        name="fk_ej_parent_children_parent",
    ),
    CheckConstraint(_non_empty("student_id"), name="ck_ej_parent_children_id"),
)

# --------------------------------------------------------------------------------------- journal
journals = _table(
    "ej_journals",
    _id("school_id"),
    _id("journal_id"),
    Column("version", Integer, nullable=False),
    Column("grade", Integer, nullable=False),
    Column("letter", String(ID_LENGTH), nullable=False),
    Column("year_start", Integer, nullable=False),
    Column("year_first_day", Date, nullable=False),
    Column("year_last_day", Date, nullable=False),
    _id("class_teacher_id", nullable=True),
    PrimaryKeyConstraint("school_id", "journal_id", name="pk_ej_journals"),
    ForeignKeyConstraint(["school_id"], ["ej_schools.school_id"], name="fk_ej_journals_school"),
    CheckConstraint(_non_empty("journal_id", "letter"), name="ck_ej_journals_id"),
    CheckConstraint("version >= 1", name="ck_ej_journals_version"),
    CheckConstraint("grade BETWEEN 1 AND 12", name="ck_ej_journals_grade"),
    CheckConstraint("year_last_day > year_first_day", name="ck_ej_journals_year"),
    _index("ej_journals", "year", "school_id", "year_start"),
)

journal_teachers = _table(
    "ej_journal_teachers",
    _id("school_id"),
    _id("journal_id"),
    _id("teacher_id"),
    _text("surname"),
    _text("given"),
    _text("patronymic"),
    PrimaryKeyConstraint("school_id", "journal_id", "teacher_id", name="pk_ej_journal_teachers"),
    _journal_fk("ej_journal_teachers"),
    CheckConstraint(_non_empty("teacher_id"), name="ck_ej_journal_teachers_id"),
)

students = _table(
    "ej_students",
    _id("school_id"),
    _id("journal_id"),
    _id("student_id"),
    _text("surname"),
    _text("given"),
    _text("patronymic"),
    Column("enrolled_on", Date, nullable=False),
    Column("left_on", Date, nullable=True),
    Column("birth_date", Date, nullable=True),
    _text("arrival_order"),
    _text("departure_order"),
    Column("sex", String(1), nullable=True),  # revision 0004
    PrimaryKeyConstraint("school_id", "journal_id", "student_id", name="pk_ej_students"),
    _journal_fk("ej_students"),
    CheckConstraint(_non_empty("student_id"), name="ck_ej_students_id"),
    CheckConstraint("left_on IS NULL OR left_on >= enrolled_on", name="ck_ej_students_left"),
    CheckConstraint("sex IS NULL OR sex IN ('m', 'f')", name="ck_ej_students_sex"),
    _index("ej_students", "student", "school_id", "student_id"),
)

subjects = _table(
    "ej_subjects",
    _id("school_id"),
    _id("journal_id"),
    _id("subject_id"),
    _text("name"),
    Column("sort_order", Integer, nullable=False),
    Column("assessment", String(16), nullable=False),
    _text("short_name"),
    Column("name_tt", Text, nullable=True),  # revision 0004; NULL: no Tatar name
    PrimaryKeyConstraint("school_id", "journal_id", "subject_id", name="pk_ej_subjects"),
    _journal_fk("ej_subjects"),
    CheckConstraint(_non_empty("subject_id"), name="ck_ej_subjects_id"),
    CheckConstraint(_in("assessment", [k.value for k in AssessmentKind]), name="ck_ej_subjects_assessment"),
)

schemes = _table(
    "ej_schemes",
    _id("school_id"),
    _id("journal_id"),
    _id("scheme_id"),
    _text("name"),
    PrimaryKeyConstraint("school_id", "journal_id", "scheme_id", name="pk_ej_schemes"),
    _journal_fk("ej_schemes"),
    CheckConstraint(_non_empty("scheme_id"), name="ck_ej_schemes_id"),
)

periods = _table(
    "ej_periods",
    _id("school_id"),
    _id("journal_id"),
    _id("period_id"),
    _id("scheme_id"),
    Column("kind", String(16), nullable=False),
    Column("number", Integer, nullable=False),
    Column("start_on", Date, nullable=False),
    Column("end_on", Date, nullable=False),
    _text("name"),
    PrimaryKeyConstraint("school_id", "journal_id", "period_id", name="pk_ej_periods"),
    _child_fk("ej_periods", "scheme_id", "ej_schemes", "scheme_id", "scheme"),
    CheckConstraint(_non_empty("period_id"), name="ck_ej_periods_id"),
    CheckConstraint(_in("kind", [k.value for k in PeriodKind]), name="ck_ej_periods_kind"),
    CheckConstraint("number >= 1", name="ck_ej_periods_number"),
    CheckConstraint("end_on >= start_on", name="ck_ej_periods_dates"),
    _index("ej_periods", "scheme", "school_id", "journal_id", "scheme_id"),
)

scales = _table(
    "ej_scales",
    _id("school_id"),
    _id("journal_id"),
    _id("scale_id"),
    _text("name"),
    _text("grade_values"),
    Column("pass_from", Integer, nullable=True),
    _text("statuses"),
    PrimaryKeyConstraint("school_id", "journal_id", "scale_id", name="pk_ej_scales"),
    _journal_fk("ej_scales"),
    CheckConstraint(_non_empty("scale_id"), name="ck_ej_scales_id"),
)

work_types = _table(
    "ej_work_types",
    _id("school_id"),
    _id("journal_id"),
    _id("work_type_id"),
    _text("name"),
    Column("weight_num", BigInteger, nullable=False),
    Column("weight_den", BigInteger, nullable=False),
    PrimaryKeyConstraint("school_id", "journal_id", "work_type_id", name="pk_ej_work_types"),
    _journal_fk("ej_work_types"),
    CheckConstraint(_non_empty("work_type_id"), name="ck_ej_work_types_id"),
    CheckConstraint("weight_num >= 0 AND weight_den > 0", name="ck_ej_work_types_weight"),
)

attendance_codes = _table(
    "ej_attendance_codes",
    _id("school_id"),
    _id("journal_id"),
    Column("code", String(16), nullable=False),
    Column("reason", String(16), nullable=False),
    _text("label"),
    Column("missed", Boolean, nullable=False),
    PrimaryKeyConstraint("school_id", "journal_id", "code", name="pk_ej_attendance_codes"),
    _journal_fk("ej_attendance_codes"),
    CheckConstraint(_non_empty("code"), name="ck_ej_attendance_codes_code"),
    CheckConstraint(_in("reason", [r.value for r in AbsenceReason]), name="ck_ej_attendance_codes_reason"),
)

courses = _table(
    "ej_courses",
    _id("school_id"),
    _id("journal_id"),
    _id("course_id"),
    _id("subject_id"),
    _id("teacher_id", nullable=True),
    Column("hours_num", BigInteger, nullable=False),
    Column("hours_den", BigInteger, nullable=False),
    _id("scheme_id"),
    _id("scale_id"),
    Column("examined", Boolean, nullable=False),
    _id("exam_scale_id", nullable=True),
    Column("exam_by_choice", Boolean, nullable=False, server_default=false()),  # revision 0006
    _id("exam_of", nullable=True),  # revision 0006: the examined course whose exam this one may take
    PrimaryKeyConstraint("school_id", "journal_id", "course_id", name="pk_ej_courses"),
    _child_fk("ej_courses", "subject_id", "ej_subjects", "subject_id", "subject"),
    _child_fk("ej_courses", "teacher_id", "ej_journal_teachers", "teacher_id", "teacher"),
    _child_fk("ej_courses", "scheme_id", "ej_schemes", "scheme_id", "scheme"),
    _child_fk("ej_courses", "scale_id", "ej_scales", "scale_id", "scale"),
    _child_fk("ej_courses", "exam_scale_id", "ej_scales", "scale_id", "exam_scale"),
    CheckConstraint(_non_empty("course_id"), name="ck_ej_courses_id"),
    CheckConstraint("hours_num > 0 AND hours_den > 0", name="ck_ej_courses_hours"),
    _index("ej_courses", "subject", "school_id", "journal_id", "subject_id"),
    _index("ej_courses", "teacher", "school_id", "journal_id", "teacher_id"),
    _index("ej_courses", "scheme", "school_id", "journal_id", "scheme_id"),
    _index("ej_courses", "scale", "school_id", "journal_id", "scale_id"),
    _index("ej_courses", "exam_scale", "school_id", "journal_id", "exam_scale_id"),
)

lessons = _table(
    "ej_lessons",
    _id("school_id"),
    _id("journal_id"),
    _id("lesson_id"),
    _id("course_id"),
    Column("lesson_date", Date, nullable=False),
    Column("number", Integer, nullable=False),
    _text("topic"),
    _text("homework"),
    PrimaryKeyConstraint("school_id", "journal_id", "lesson_id", name="pk_ej_lessons"),
    _child_fk("ej_lessons", "course_id", "ej_courses", "course_id", "course"),
    CheckConstraint(_non_empty("lesson_id"), name="ck_ej_lessons_id"),
    _index("ej_lessons", "course", "school_id", "journal_id", "course_id", "lesson_date"),
)

marks = _table(
    "ej_marks",
    _id("school_id"),
    _id("journal_id"),
    _id("mark_id"),
    _id("student_id"),
    _id("lesson_id"),
    Column("grade", Integer, nullable=True),
    Column("status", String(8), nullable=True),
    _id("work_type_id"),
    Column("entered_at", String(40), nullable=False),
    _id("entered_by"),
    _text("comment"),
    PrimaryKeyConstraint("school_id", "journal_id", "mark_id", name="pk_ej_marks"),
    _child_fk("ej_marks", "student_id", "ej_students", "student_id", "student"),
    _child_fk("ej_marks", "lesson_id", "ej_lessons", "lesson_id", "lesson"),
    _child_fk("ej_marks", "work_type_id", "ej_work_types", "work_type_id", "work_type"),
    CheckConstraint(_non_empty("mark_id"), name="ck_ej_marks_id"),
    CheckConstraint(_VALUE_CHECK, name="ck_ej_marks_value"),
    _index("ej_marks", "student", "school_id", "journal_id", "student_id"),
    _index("ej_marks", "lesson", "school_id", "journal_id", "lesson_id"),
    _index("ej_marks", "work_type", "school_id", "journal_id", "work_type_id"),
)

attendance = _table(
    "ej_attendance",
    _id("school_id"),
    _id("journal_id"),
    _id("student_id"),
    _id("lesson_id"),
    Column("code", String(16), nullable=False),
    Column("entered_at", String(40), nullable=False),
    _id("entered_by"),
    PrimaryKeyConstraint("school_id", "journal_id", "student_id", "lesson_id", name="pk_ej_attendance"),
    _child_fk("ej_attendance", "student_id", "ej_students", "student_id", "student"),
    _child_fk("ej_attendance", "lesson_id", "ej_lessons", "lesson_id", "lesson"),
    _child_fk("ej_attendance", "code", "ej_attendance_codes", "code", "code"),
    _index("ej_attendance", "lesson", "school_id", "journal_id", "lesson_id"),
    _index("ej_attendance", "code", "school_id", "journal_id", "code"),
)

results = _table(
    "ej_results",
    _id("school_id"),
    _id("journal_id"),
    _id("student_id"),
    _id("course_id"),
    Column("kind", String(16), nullable=False),
    Column("period_id", String(ID_LENGTH), nullable=False),
    Column("grade", Integer, nullable=True),
    Column("status", String(8), nullable=True),
    Column("set_at", String(40), nullable=False),
    _id("set_by"),
    _text("reason"),
    Column("primary_score", Integer, nullable=True),  # revision 0006: an ОГЭ primary score
    PrimaryKeyConstraint(
        "school_id", "journal_id", "student_id", "course_id", "kind", "period_id", name="pk_ej_results"
    ),
    _child_fk("ej_results", "student_id", "ej_students", "student_id", "student"),
    _child_fk("ej_results", "course_id", "ej_courses", "course_id", "course"),
    CheckConstraint(_in("kind", [k.value for k in ResultKind]), name="ck_ej_results_kind"),
    CheckConstraint("(kind = 'period') = (period_id <> '')", name="ck_ej_results_period"),
    CheckConstraint(_VALUE_CHECK, name="ck_ej_results_value"),
    CheckConstraint(
        "primary_score IS NULL OR (kind = 'exam' AND primary_score >= 0)", name="ck_ej_results_primary_score"
    ),
    _index("ej_results", "course", "school_id", "journal_id", "course_id"),
)

decisions = _table(
    "ej_decisions",
    _id("school_id"),
    _id("journal_id"),
    _id("student_id"),
    Column("kind", String(32), nullable=False),
    Column("council_date", Date, nullable=False),
    _text("protocol"),
    Column("to_grade", Integer, nullable=True),
    _text("note"),
    # Revision 0005: several decisions per student (one of a kind per council).
    PrimaryKeyConstraint("school_id", "journal_id", "student_id", "council_date", "kind", name="pk_ej_decisions"),
    _child_fk("ej_decisions", "student_id", "ej_students", "student_id", "student"),
    CheckConstraint(_in("kind", [k.value for k in DecisionKind]), name="ck_ej_decisions_kind"),
)

admission_tests = _table(
    "ej_admission_tests",
    _id("school_id"),
    _id("journal_id"),
    _id("student_id"),
    Column("kind", String(16), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("held_on", Date, nullable=False),
    Column("passed", Boolean, nullable=False),
    _text("note"),
    PrimaryKeyConstraint("school_id", "journal_id", "student_id", "kind", "attempt", name="pk_ej_admission_tests"),
    _child_fk("ej_admission_tests", "student_id", "ej_students", "student_id", "student"),
    CheckConstraint(_in("kind", [k.value for k in AdmissionTestKind]), name="ck_ej_admission_tests_kind"),
    CheckConstraint(f"attempt BETWEEN 1 AND {MAX_ADMISSION_ATTEMPTS}", name="ck_ej_admission_tests_attempt"),
)

retakes = _table(
    "ej_retakes",
    _id("school_id"),
    _id("journal_id"),
    _id("student_id"),
    _id("course_id"),
    Column("attempt", Integer, nullable=False),
    Column("held_on", Date, nullable=False),
    Column("grade", Integer, nullable=True),
    Column("status", String(8), nullable=True),
    _text("protocol"),
    _text("commission"),  # the members' names as a JSON array of strings
    Column("owed_grade", Integer, nullable=True),
    Column("owed_status", String(8), nullable=True),
    PrimaryKeyConstraint("school_id", "journal_id", "student_id", "course_id", "attempt", name="pk_ej_retakes"),
    _child_fk("ej_retakes", "student_id", "ej_students", "student_id", "student"),
    _child_fk("ej_retakes", "course_id", "ej_courses", "course_id", "course"),
    CheckConstraint("attempt IN (1, 2)", name="ck_ej_retakes_attempt"),
    CheckConstraint(_VALUE_CHECK, name="ck_ej_retakes_value"),
    CheckConstraint("owed_grade IS NULL OR owed_status IS NULL", name="ck_ej_retakes_owed"),
)
"""Revision 0004: attempts to clear academic debts (273-ФЗ art. 58)."""

brought_marks = _table(
    "ej_brought_marks",
    _id("school_id"),
    _id("journal_id"),
    _id("mark_id"),
    _id("student_id"),
    _id("course_id"),
    Column("day", Date, nullable=False),
    Column("grade", Integer, nullable=True),
    Column("status", String(8), nullable=True),
    _id("work_type_id"),
    _text("source"),
    Column("entered_at", String(40), nullable=False),
    _id("entered_by"),
    PrimaryKeyConstraint("school_id", "journal_id", "mark_id", name="pk_ej_brought_marks"),
    _child_fk("ej_brought_marks", "student_id", "ej_students", "student_id", "student"),
    _child_fk("ej_brought_marks", "course_id", "ej_courses", "course_id", "course"),
    _child_fk("ej_brought_marks", "work_type_id", "ej_work_types", "work_type_id", "work_type"),
    CheckConstraint(_non_empty("mark_id", "source"), name="ck_ej_brought_marks_id"),
    CheckConstraint(_VALUE_CHECK, name="ck_ej_brought_marks_value"),
)
"""Revision 0004: marks brought on an arriving student's extract (приказ № 240 of 06.04.2023)."""

exam_choices = _table(
    "ej_exam_choices",
    _id("school_id"),
    _id("journal_id"),
    _id("student_id"),
    _text("course_ids"),  # the chosen courses' ids as a JSON array, sorted
    Column("chosen_on", Date, nullable=True),
    PrimaryKeyConstraint("school_id", "journal_id", "student_id", name="pk_ej_exam_choices"),
    _child_fk("ej_exam_choices", "student_id", "ej_students", "student_id", "student"),
)
"""Revision 0006: the state exams each student chose beside the required ones (grade 9)."""

closed_periods = _table(
    "ej_closed_periods",
    _id("school_id"),
    _id("journal_id"),
    _id("period_id"),
    PrimaryKeyConstraint("school_id", "journal_id", "period_id", name="pk_ej_closed_periods"),
    _journal_fk("ej_closed_periods"),
    CheckConstraint(_non_empty("period_id"), name="ck_ej_closed_periods_id"),
)

# ----------------------------------------------------------------------------------------- audit
audit_sequence = Sequence("ej_audit_seq", start=1, metadata=metadata)
"""Where PostgreSQL and MariaDB draw audit sequence numbers (revision 0003; SQLite has no sequences).

A sequence is not transactional and no row is locked, so saves of different journals never wait
for or refuse each other; SQLite, which has one writer at a time anyway, takes the school's
highest number plus one inside the write transaction instead.
"""

audit = _table(
    "ej_audit",
    _id("school_id"),
    Column("seq", BigInteger, nullable=False),
    Column("journal_id", String(ID_LENGTH), nullable=False),
    _id("actor_id"),
    Column("actor_role", String(16), nullable=False),
    Column("at", String(40), nullable=False),
    Column("at_utc", SORTABLE_MOMENT, nullable=False),
    Column("action", String(32), nullable=False),
    Column("before_json", Text, nullable=True),
    Column("after_json", Text, nullable=True),
    _text("reason"),
    Column("student_id", String(ID_LENGTH), nullable=False),
    Column("course_id", String(ID_LENGTH), nullable=False),
    Column("period_id", String(ID_LENGTH), nullable=False),
    Column("lesson_id", String(ID_LENGTH), nullable=False),
    # seq: increasing in append order within the school (gaps allowed), the audit log's total order.
    PrimaryKeyConstraint("school_id", "seq", name="pk_ej_audit"),
    ForeignKeyConstraint(["school_id"], ["ej_schools.school_id"], name="fk_ej_audit_school"),
    CheckConstraint("seq >= 1", name="ck_ej_audit_seq"),
    CheckConstraint(_in("actor_role", [r.value for r in Role]), name="ck_ej_audit_role"),
    CheckConstraint(_in("action", [a.value for a in Action]), name="ck_ej_audit_action"),
    # Revision 0002: the audit query paths.
    _index("ej_audit", "journal", "school_id", "journal_id", "at_utc", "seq"),
    _index("ej_audit", "student", "school_id", "student_id", "at_utc", "seq"),
    _index("ej_audit", "course", "school_id", "course_id", "at_utc", "seq"),
    _index("ej_audit", "at", "school_id", "at_utc", "seq"),
)

JOURNAL_TABLES: tuple[Table, ...] = (
    journal_teachers,
    students,
    subjects,
    schemes,
    periods,
    scales,
    work_types,
    attendance_codes,
    courses,
    lessons,
    marks,
    attendance,
    results,
    decisions,
    retakes,
    brought_marks,
    admission_tests,
    exam_choices,
    closed_periods,
)
"""The tables of a journal's contents, parents before children (insert in this order)."""

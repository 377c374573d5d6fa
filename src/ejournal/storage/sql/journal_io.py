"""Loading and saving class journals in a constant number of statements.

*Load*: one ``SELECT`` per table, filtered by ``school_id`` and the journal id (or, for a
school-wide load, the journal ids of the school's year as a sub-query), whatever the size.

*Save*: the journal's tables are compared with a snapshot of what is stored (taken when the
journal was loaded in the same unit of work, or read back with one ``SELECT`` per table), and
the differences are written with one ``executemany`` per table and kind (insert, update,
delete): parents inserted first, then updates, then children deleted first.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import ColumnElement, Connection, Select, Table, and_, bindparam, select

from ejournal.core.errors import InvalidInput
from ejournal.core.journal import ClassJournal, Mark
from ejournal.core.model import School
from ejournal.storage.sql import convert as cv
from ejournal.storage.sql import schema as t

__all__ = ["JournalSnapshot", "TableSpec", "load_journals", "snapshot_of", "write_diff", "write_new"]

Key = Any
Obj = Any


@attrs.frozen
class TableSpec:
    """How one journal table maps to the journal: which objects, and their rows."""

    table: Table
    extract: Callable[[ClassJournal], Mapping[Key, Obj]]
    to_row: Callable[[Obj], dict[str, Any]]
    pk: tuple[str, ...]
    replace_on_change: bool = False  # write a changed row as delete + insert (no transient unique clash)


def _periods(j: ClassJournal) -> dict[str, tuple[str, Any]]:
    return {p.id: (s.id, p) for s in j.schemes.values() for p in s.periods}


SPECS: tuple[TableSpec, ...] = (
    TableSpec(t.journal_teachers, lambda j: j.teachers, cv.teacher_row, ("teacher_id",)),
    TableSpec(t.students, lambda j: j.students, cv.student_row, ("student_id",)),
    TableSpec(t.subjects, lambda j: j.subjects, cv.subject_row, ("subject_id",)),
    TableSpec(t.schemes, lambda j: j.schemes, cv.scheme_row, ("scheme_id",)),
    TableSpec(t.periods, _periods, lambda sp: cv.period_row(*sp), ("period_id",), replace_on_change=True),
    TableSpec(t.scales, lambda j: j.scales, cv.scale_row, ("scale_id",)),
    TableSpec(t.work_types, lambda j: j.work_types, cv.work_type_row, ("work_type_id",)),
    TableSpec(t.attendance_codes, lambda j: j.attendance_codes, cv.attendance_code_row, ("code",)),
    TableSpec(t.courses, lambda j: j.courses, cv.course_row, ("course_id",)),
    TableSpec(t.lessons, lambda j: j.lessons, cv.lesson_row, ("lesson_id",)),
    TableSpec(t.marks, lambda j: j.marks, cv.mark_row, ("mark_id",)),
    TableSpec(t.attendance, lambda j: j.attendance, cv.attendance_row, ("student_id", "lesson_id")),
    TableSpec(
        t.results,
        lambda j: j.results,
        cv.result_row,
        ("student_id", "course_id", "kind", "period_id"),
    ),
    TableSpec(t.decisions, lambda j: j.decisions, cv.decision_row, ("student_id",)),
    TableSpec(t.closed_periods, lambda j: {p: p for p in j.closed_periods}, lambda p: {"period_id": p}, ("period_id",)),
)
assert tuple(s.table for s in SPECS) == t.JOURNAL_TABLES


@attrs.frozen
class JournalSnapshot:
    """What is stored for one journal at ``version``: the school, the class and each table's objects."""

    version: int
    school: School
    class_group: Any
    tables: tuple[Mapping[Key, Obj], ...]


def snapshot_of(journal: ClassJournal, version: int) -> JournalSnapshot:
    """A snapshot of the journal as it is now (shallow copies of its maps), labelled ``version``."""
    return JournalSnapshot(
        version, journal.school, journal.class_group, tuple(dict(spec.extract(journal)) for spec in SPECS)
    )


# ------------------------------------------------------------------------------------ validation
def _string_limits(table: Table) -> tuple[tuple[str, int], ...]:
    out = []
    for c in table.columns:
        length = getattr(c.type, "length", None)
        if isinstance(length, int):
            out.append((c.name, length))
    return tuple(out)


_LIMITS: dict[str, tuple[tuple[str, int], ...]] = {tb.name: _string_limits(tb) for tb in t.metadata.tables.values()}


def check_lengths(table: Table, rows: Iterable[Mapping[str, Any]], where: str) -> None:
    """Raise :class:`InvalidInput` for a value longer than its column allows (SQLite would not)."""
    limits = _LIMITS[table.name]
    for row in rows:
        for name, length in limits:
            value = row[name]
            if isinstance(value, str) and len(value) > length:
                raise InvalidInput(f"{where}.{name}", f"longer than {length} characters", value)


# ------------------------------------------------------------------------------------------- load
def _journal_filter(table: Table, school_id: str, journal_ids: ColumnElement[bool] | None, jid: str | None) -> Any:
    if jid is not None:
        return and_(table.c.school_id == school_id, table.c.journal_id == jid)
    assert journal_ids is not None
    return and_(table.c.school_id == school_id, journal_ids)


def _select_all(table: Table, where: Any, locking: bool = False) -> Select[Any]:
    stmt = select(*table.columns).where(where)
    return stmt.with_for_update(read=True) if locking else stmt


def load_journals(
    conn: Connection,
    school_id: str,
    *,
    journal_id: str | None = None,
    year_filter: ColumnElement[bool] | None = None,
    full_check: bool = True,
    locking: bool = False,
) -> dict[str, ClassJournal]:
    """Load the school's journals: one (``journal_id``) or those matching ``year_filter`` on ``ej_journals``.

    One ``SELECT`` per table.  ``full_check=False`` trusts the foreign keys for the lessons,
    marks and attendance (their references are exactly the schema's foreign keys) and runs the
    journal's reference check on everything else; ``True`` runs it on everything.  ``locking``
    reads with ``FOR SHARE`` locks (MariaDB: to see the latest committed rows, not the snapshot).
    Returns the journals by id (empty when none matched).
    """
    jt = t.journals
    if journal_id is not None:
        jrows = conn.execute(_select_all(jt, and_(jt.c.school_id == school_id, jt.c.journal_id == journal_id))).all()
        id_filter = None
    else:
        assert year_filter is not None
        jrows = conn.execute(
            _select_all(jt, and_(jt.c.school_id == school_id, year_filter)).order_by(jt.c.journal_id)
        ).all()
        id_subquery = select(jt.c.journal_id).where(and_(jt.c.school_id == school_id, year_filter))
        id_filter = id_subquery
    if not jrows:
        return {}
    school_row = conn.execute(_select_all(t.schools, t.schools.c.school_id == school_id)).one()
    school = cv.school_from(school_row._mapping)

    per: dict[str, dict[str, Any]] = {r.journal_id: {} for r in jrows}
    parse = cv.MomentParser()
    intern = sys.intern

    def rows_of(table: Table) -> Any:
        if id_filter is not None:
            where = and_(table.c.school_id == school_id, table.c.journal_id.in_(id_filter))
        else:
            where = and_(table.c.school_id == school_id, table.c.journal_id == journal_id)
        return conn.execute(_select_all(table, where, locking))

    def grouped(table: Table, build: Callable[[Any], tuple[Key, Obj]], name: str) -> None:
        for data in per.values():
            data[name] = {}
        for m in rows_of(table).mappings().all():
            key, obj = build(m)
            per[m["journal_id"]][name][key] = obj

    grouped(t.journal_teachers, lambda m: (m["teacher_id"], cv.teacher_from(m)), "teachers")
    grouped(t.students, lambda m: (m["student_id"], cv.student_from(m)), "students")
    grouped(t.subjects, lambda m: (m["subject_id"], cv.subject_from(m)), "subjects")
    scheme_rows: dict[str, list[Any]] = {jid: [] for jid in per}
    for row in rows_of(t.schemes):
        scheme_rows[row.journal_id].append(row._mapping)
    period_rows: dict[tuple[str, str], list[Any]] = {}
    for row in rows_of(t.periods):
        period_rows.setdefault((row.journal_id, row.scheme_id), []).append(cv.period_from(row._mapping))
    for jid, rows in scheme_rows.items():
        per[jid]["schemes"] = {
            r["scheme_id"]: cv.scheme_from(r, period_rows.get((jid, r["scheme_id"]), [])) for r in rows
        }
    grouped(t.scales, lambda m: (m["scale_id"], cv.scale_from(m)), "scales")
    grouped(t.work_types, lambda m: (m["work_type_id"], cv.work_type_from(m)), "work_types")
    grouped(t.attendance_codes, lambda m: (m["code"], cv.attendance_code_from(m)), "attendance_codes")
    grouped(t.courses, lambda m: (m["course_id"], cv.course_from(m)), "courses")
    grouped(t.lessons, lambda m: (m["lesson_id"], cv.lesson_from(m)), "lessons")
    _load_marks(conn, t.marks, school_id, journal_id, id_filter, per, parse, intern, locking)
    grouped(
        t.attendance,
        lambda m: ((m["student_id"], m["lesson_id"]), cv.attendance_from(m, parse)),
        "attendance",
    )

    def result_of(m: Any) -> tuple[Key, Obj]:
        r = cv.result_from(m, parse)
        return r.key, r

    grouped(t.results, result_of, "results")
    grouped(t.decisions, lambda m: (m["student_id"], cv.decision_from(m)), "decisions")
    for data in per.values():
        data["closed_periods"] = set()
    for row in rows_of(t.closed_periods):
        per[row.journal_id]["closed_periods"].add(row.period_id)

    out: dict[str, ClassJournal] = {}
    for jrow in jrows:
        data = per[jrow.journal_id]
        trusted = {} if full_check else {name: data.pop(name) for name in ("lessons", "marks", "attendance")}
        journal = ClassJournal(
            school,
            cv.class_group_from(jrow._mapping),
            version=jrow.version,
            **data,
        )
        for name, value in trusted.items():
            setattr(journal, name, value)
        out[jrow.journal_id] = journal
    return out


def _load_marks(
    conn: Connection,
    table: Table,
    school_id: str,
    journal_id: str | None,
    id_filter: Any,
    per: dict[str, dict[str, Any]],
    parse: Callable[[str], datetime],
    intern: Callable[[str], str],
    locking: bool,
) -> None:
    """The hot path: marks as plain tuples, streamed in partitions, built without per-row mappings."""
    c = table.c
    if id_filter is not None:
        where = and_(c.school_id == school_id, c.journal_id.in_(id_filter))
    else:
        where = and_(c.school_id == school_id, c.journal_id == journal_id)
    stmt = select(
        c.journal_id,
        c.mark_id,
        c.student_id,
        c.lesson_id,
        c.grade,
        c.status,
        c.work_type_id,
        c.entered_at,
        c.entered_by,
        c.comment,
    ).where(where)
    if locking:
        stmt = stmt.with_for_update(read=True)
    for data in per.values():
        data["marks"] = {}
    statuses = cv.STATUS_BY_CODE
    build = Mark
    last_jid: str | None = None
    target: dict[str, Mark] = {}
    for partition in _partitions(conn, stmt):
        for jid, mark_id, student_id, lesson_id, grade, status, wt, at, by, comment in partition:
            if jid != last_jid:
                target = per[jid]["marks"]
                last_jid = jid
            target[mark_id] = build(
                mark_id,
                intern(student_id),
                intern(lesson_id),
                grade if grade is not None else statuses[status],
                intern(wt),
                parse(at),
                intern(by),
                comment,
            )


def _partitions(conn: Connection, stmt: Select[Any], size: int = 10_000) -> Iterator[Sequence[Any]]:
    """The rows of ``stmt`` as plain tuples, ``size`` at a time, never all in memory at once.

    On SQLite every column of the marks is a string or an integer, which pysqlite returns as is:
    the driver's cursor is read directly instead of wrapping each row (the statement still went
    through SQLAlchemy, so it is counted, logged and its errors translated).  Elsewhere the rows
    are streamed through SQLAlchemy (a server-side cursor).
    """
    if conn.dialect.name == "sqlite":
        result = conn.execute(stmt)
        cursor = result.cursor
        try:
            while rows := cursor.fetchmany(size):
                yield rows
        finally:
            result.close()
        return
    result = conn.execute(stmt, execution_options={"stream_results": True, "yield_per": size})
    yield from result.partitions()


# ------------------------------------------------------------------------------------------ write
def _with_ids(rows: Iterable[dict[str, Any]], school_id: str, journal_id: str) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        row["school_id"] = school_id
        row["journal_id"] = journal_id
        out.append(row)
    return out


def _insert(conn: Connection, spec: TableSpec, objs: Iterable[Obj], school_id: str, journal_id: str) -> None:
    rows = _with_ids((spec.to_row(o) for o in objs), school_id, journal_id)
    if rows:
        check_lengths(spec.table, rows, f"journal {journal_id}.{spec.table.name.removeprefix('ej_')}")
        conn.execute(spec.table.insert(), rows)


def _pk_where(spec: TableSpec) -> Any:
    c = spec.table.c
    return and_(
        c.school_id == bindparam("k_school_id"),
        c.journal_id == bindparam("k_journal_id"),
        *(c[name] == bindparam(f"k_{name}") for name in spec.pk),
    )


def _keyed(row: dict[str, Any], spec: TableSpec) -> dict[str, Any]:
    out = {f"k_{name}": row[name] for name in ("school_id", "journal_id", *spec.pk)}
    return out


def _delete(conn: Connection, spec: TableSpec, objs: Iterable[Obj], school_id: str, journal_id: str) -> None:
    rows = [_keyed(r, spec) for r in _with_ids((spec.to_row(o) for o in objs), school_id, journal_id)]
    if rows:
        conn.execute(spec.table.delete().where(_pk_where(spec)), rows)


def _update(conn: Connection, spec: TableSpec, objs: Iterable[Obj], school_id: str, journal_id: str) -> None:
    rows = _with_ids((spec.to_row(o) for o in objs), school_id, journal_id)
    if not rows:
        return
    check_lengths(spec.table, rows, f"journal {journal_id}.{spec.table.name.removeprefix('ej_')}")
    keys = {"school_id", "journal_id", *spec.pk}
    values = [name for name in rows[0] if name not in keys]
    params = []
    for row in rows:
        p = _keyed(row, spec)
        p.update({f"v_{name}": row[name] for name in values})
        params.append(p)
    stmt = spec.table.update().where(_pk_where(spec)).values({name: bindparam(f"v_{name}") for name in values})
    conn.execute(stmt, params)


def write_new(conn: Connection, journal: ClassJournal) -> None:
    """Insert every table of a new journal (its ``ej_journals`` row must exist)."""
    sid, jid = journal.school.id, journal.id
    for spec in SPECS:
        _insert(conn, spec, spec.extract(journal).values(), sid, jid)


def write_diff(conn: Connection, journal: ClassJournal, before: JournalSnapshot) -> None:
    """Write what differs between ``before`` (what is stored) and the journal now."""
    sid, jid = journal.school.id, journal.id
    plans = []
    for spec, old in zip(SPECS, before.tables, strict=True):
        new = spec.extract(journal)
        added = [o for k, o in new.items() if k not in old]
        removed = [o for k, o in old.items() if k not in new]
        changed_old, changed_new = [], []
        for k, o in new.items():
            prev = old.get(k, o)
            if prev is not o and prev != o:
                changed_old.append(prev)
                changed_new.append(o)
        plans.append((spec, added, removed, changed_old, changed_new))
    for spec, _added, _removed, changed_old, _changed_new in reversed(plans):
        if spec.replace_on_change:
            _delete(conn, spec, changed_old, sid, jid)
    for spec, added, _removed, _changed_old, changed_new in plans:
        _insert(conn, spec, added + changed_new if spec.replace_on_change else added, sid, jid)
    for spec, _added, _removed, _changed_old, changed_new in plans:
        if not spec.replace_on_change:
            _update(conn, spec, changed_new, sid, jid)
    for spec, _added, removed, _changed_old, _changed_new in reversed(plans):
        _delete(conn, spec, removed, sid, jid)


def journal_values(journal: ClassJournal) -> dict[str, Any]:
    """The ``ej_journals`` columns of a journal, without the version."""
    return cv.journal_row(journal.class_group)


def year_filter(year: Any) -> ColumnElement[bool]:
    """The ``ej_journals`` condition selecting one academic year."""
    c = t.journals.c
    return and_(c.year_start == year.start_year, c.year_first_day == year.start, c.year_last_day == year.end)

"""Loading and saving class journals in a constant number of statements.

*Load*: one ``SELECT`` per table, filtered by ``school_id`` and the journal id (or, for a
school-wide load, the journal ids of the school's year as a sub-query), whatever the size.
The big tables (lessons, marks, attendance, results) are read from the driver's cursor in
partitions and built a column at a time (:class:`~ejournal.storage.sql.convert.BulkBuilder`),
repeated ids kept once, with the cyclic garbage collector paused (:func:`gc_paused`).

*Save*: the journal's tables are compared with a snapshot of what is stored (taken when the
journal was loaded in the same unit of work, or read back with one ``SELECT`` per table), and
the differences are written with one ``executemany`` per table and kind (insert, update,
delete): parents inserted first, then updates, then children deleted first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import groupby
from operator import itemgetter
from typing import Any, TypeVar

import attrs
from sqlalchemy import ColumnElement, Connection, Dialect, Select, Table, and_, bindparam, select

from ejournal.core.errors import InvalidInput
from ejournal.core.journal import AttendanceRecord, ClassJournal, Mark, ResultKey, ResultKind, ResultMark
from ejournal.core.model import Lesson, School
from ejournal.core.scales import MarkValue
from ejournal.storage.sql import convert as cv
from ejournal.storage.sql import schema as t

__all__ = ["JournalSnapshot", "TableSpec", "gc_paused", "load_journals", "snapshot_of", "write_diff", "write_new"]

Key = Any
Obj = Any
T = TypeVar("T")


@attrs.frozen
class TableSpec:
    """How one journal table maps to the journal: which objects, and their rows."""

    table: Table
    extract: Callable[[ClassJournal], Mapping[Key, Obj]]
    to_row: Callable[[Obj], dict[str, Any]]
    pk: tuple[str, ...]
    replace_on_change: bool = False  # write a changed row as delete + insert (no transient unique clash)


def _record_keyed(record: Any) -> tuple[Key, Obj]:
    """``(record.key, record)``: a record whose journal key it computes itself."""
    return record.key, record


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
    TableSpec(t.decisions, lambda j: j.decisions, cv.decision_row, ("student_id", "council_date", "kind")),
    TableSpec(t.retakes, lambda j: j.retakes, cv.retake_row, ("student_id", "course_id", "attempt")),
    TableSpec(t.brought_marks, lambda j: j.brought_marks, cv.brought_mark_row, ("mark_id",)),
    TableSpec(t.admission_tests, lambda j: j.admission_tests, cv.admission_test_row, ("student_id", "kind", "attempt")),
    TableSpec(t.exam_choices, lambda j: j.exam_choices, cv.exam_choice_row, ("student_id",)),
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
    Returns the journals by id (empty when none matched).  The cyclic garbage collector is
    paused meanwhile (:func:`gc_paused`): the objects built hold no cycles.
    """
    with gc_paused():
        return _load_journals(conn, school_id, journal_id, year_filter, full_check, locking)


def _load_journals(
    conn: Connection,
    school_id: str,
    journal_id: str | None,
    year_filter: ColumnElement[bool] | None,
    full_check: bool,
    locking: bool,
) -> dict[str, ClassJournal]:
    jt = t.journals
    if journal_id is not None:
        jrows = conn.execute(_select_all(jt, and_(jt.c.school_id == school_id, jt.c.journal_id == journal_id))).all()
        id_filter = None
    else:
        assert year_filter is not None
        jrows = conn.execute(
            _select_all(jt, and_(jt.c.school_id == school_id, year_filter)).order_by(jt.c.journal_id)
        ).all()
        id_filter = select(jt.c.journal_id).where(and_(jt.c.school_id == school_id, year_filter))
    if not jrows:
        return {}
    school_row = conn.execute(_select_all(t.schools, t.schools.c.school_id == school_id)).one()
    school = cv.school_from(school_row._mapping)

    per: dict[str, dict[str, Any]] = {r.journal_id: {} for r in jrows}

    def where_of(table: Table) -> Any:
        if id_filter is not None:
            return and_(table.c.school_id == school_id, table.c.journal_id.in_(id_filter))
        return and_(table.c.school_id == school_id, table.c.journal_id == journal_id)

    def rows_of(table: Table) -> Any:
        return conn.execute(_select_all(table, where_of(table), locking))

    def grouped(table: Table, build: Callable[[Any], tuple[Key, Obj]], name: str) -> None:
        for data in per.values():
            data[name] = {}
        for m in rows_of(table).mappings().all():
            key, obj = build(m)
            per[m["journal_id"]][name][key] = obj

    def runs(table: Table, *columns: str, stream: bool = False) -> Iterator[tuple[dict[Any, Any], list[Sequence[Any]]]]:
        name = table.name.removeprefix("ej_")
        for data in per.values():
            data[name] = {}
        stmt = select(table.c.journal_id, *(table.c[c] for c in columns)).where(where_of(table))
        if locking:
            stmt = stmt.with_for_update(read=True)
        for jid, cols in _journal_runs(conn, stmt, stream):
            yield per[jid][name], cols

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

    # The big tables: whole columns at a time (see _journal_runs and cv.BulkBuilder).
    parse = cv.MomentParser().__getitem__
    shared = _SharedTexts()
    for target, (ids, course_ids, dates, topics, homeworks, numbers) in runs(
        t.lessons, "lesson_id", "course_id", "lesson_date", "topic", "homework", "number"
    ):
        ids = shared(ids)
        target.update(zip(ids, _build_lessons(ids, shared(course_ids), dates, topics, homeworks, numbers), strict=True))
    for target, (ids, students, lessons, grades, statuses, work_types, ats, bys, comments) in runs(
        t.marks,
        "mark_id",
        "student_id",
        "lesson_id",
        "grade",
        "status",
        "work_type_id",
        "entered_at",
        "entered_by",
        "comment",
        stream=True,
    ):
        marks = _build_marks(
            ids,
            shared(students),
            shared(lessons),
            _values(grades, statuses, "ej_marks"),
            shared(work_types),
            list(map(parse, ats)),
            shared(bys),
            comments,
        )
        target.update(zip(ids, marks, strict=True))
    for target, (students, lessons, codes, ats, bys) in runs(
        t.attendance, "student_id", "lesson_id", "code", "entered_at", "entered_by"
    ):
        students, lessons = shared(students), shared(lessons)
        records = _build_attendance(students, lessons, shared(codes), list(map(parse, ats)), shared(bys))
        target.update(zip(zip(students, lessons, strict=True), records, strict=True))
    for target, (students, courses, kinds, period_ids, grades, statuses, ats, bys, reasons, scores) in runs(
        t.results,
        "student_id",
        "course_id",
        "kind",
        "period_id",
        "grade",
        "status",
        "set_at",
        "set_by",
        "reason",
        "primary_score",
    ):
        students, courses, period_ids = shared(students), shared(courses), shared(period_ids)
        kind_values = _decoded(_RESULT_KINDS, kinds, "ej_results.kind")
        keys = _build_result_keys(students, courses, kind_values, period_ids)
        results = _build_results(
            students,
            courses,
            kind_values,
            _values(grades, statuses, "ej_results"),
            list(map(parse, ats)),
            shared(bys),
            period_ids,
            reasons,
            scores,
        )
        target.update(zip(keys, results, strict=True))

    grouped(t.decisions, lambda m: _record_keyed(cv.decision_from(m)), "decisions")
    grouped(t.retakes, lambda m: ((m["student_id"], m["course_id"], m["attempt"]), cv.retake_from(m)), "retakes")
    grouped(t.brought_marks, lambda m: (m["mark_id"], cv.brought_mark_from(m)), "brought_marks")
    grouped(t.admission_tests, lambda m: _record_keyed(cv.admission_test_from(m)), "admission_tests")
    grouped(t.exam_choices, lambda m: (m["student_id"], cv.exam_choice_from(m)), "exam_choices")
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


_build_lessons = cv.BulkBuilder(Lesson)
_build_marks = cv.BulkBuilder(Mark)
_build_attendance = cv.BulkBuilder(AttendanceRecord)
_build_results = cv.BulkBuilder(ResultMark)
_build_result_keys = cv.BulkBuilder(ResultKey)
_RESULT_KINDS = {k.value: k for k in ResultKind}
_first = itemgetter(0)


class _SharedTexts(dict[str, str]):
    """One copy of each text seen in a load: the same ids come back in hundreds of thousands of rows."""

    __slots__ = ()

    def __call__(self, texts: Sequence[str]) -> list[str]:
        return list(map(self.setdefault, texts, texts))


def _values(grades: Sequence[int | None], statuses: Sequence[str | None], where: str) -> list[MarkValue]:
    """The mark values of ``(grade, status)`` column pairs (the schema requires exactly one of them)."""
    status_or_grade: Callable[[str | None, int | None], MarkValue | None] = cv.STATUS_BY_CODE.get  # type: ignore[assignment]
    values = list(map(status_or_grade, statuses, grades))
    if None in values:
        i = values.index(None)
        raise InvalidInput(f"{where}.status", "neither a grade nor a known status", statuses[i])
    return values  # type: ignore[return-value]  # no None left


def _decoded(table: Mapping[str, T], codes: Sequence[str], where: str) -> list[T]:
    """``codes`` decoded through ``table``; :class:`InvalidInput` for a code it does not know."""
    try:
        return list(map(table.__getitem__, codes))
    except KeyError as e:
        raise InvalidInput(where, f"unknown code (known: {', '.join(table)})", e.args[0]) from None


def _journal_runs(conn: Connection, stmt: Select[Any], stream: bool) -> Iterator[tuple[str, list[Sequence[Any]]]]:
    """The rows of ``stmt`` (``journal_id`` first) as ``(journal_id, columns)`` runs of one journal.

    The rows come in partitions (never all at once), each cut into runs of consecutive rows of
    one journal, each run turned into columns (without the journal id).  A journal may come in
    several runs.  Values are what SQLAlchemy would give (see :func:`_partitions`).
    """
    for partition, processors in _partitions(conn, stmt, stream):
        for jid, rows in groupby(partition, _first):
            columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
            for i, process in processors:
                columns[i] = list(map(process, columns[i]))
            yield jid, columns[1:]


PARTITION_ROWS = 100_000
"""How many rows of a big table a load holds at a time."""


def _partitions(
    conn: Connection, stmt: Select[Any], stream: bool
) -> Iterator[tuple[Sequence[Sequence[Any]], list[tuple[int, Callable[[Any], Any]]]]]:
    """The rows of ``stmt``, :data:`PARTITION_ROWS` at a time, with the converters still to apply to their columns.

    The driver's cursor is read directly instead of wrapping each row in SQLAlchemy's ``Row``
    (the statement still went through SQLAlchemy, so it is counted, logged and its errors
    translated): the converters are the ones SQLAlchemy itself would apply, taken from each
    column's type for this dialect (on SQLite: text to ``date``, integer to ``bool``), applied
    a column at a time by the caller.  With ``stream`` on a server database the rows are read
    through a server-side cursor by SQLAlchemy (already converted), so a big table is never
    held whole by the driver.
    """
    size = PARTITION_ROWS
    if stream and conn.dialect.name != "sqlite":
        streamed = conn.execute(stmt, execution_options={"stream_results": True, "yield_per": size})
        try:
            for partition in streamed.partitions():
                yield partition, []
        finally:
            streamed.close()
        return
    result = conn.execute(stmt)
    cursor = result.cursor
    try:
        processors = _processors(conn.dialect, stmt, cursor.description)
        while rows := cursor.fetchmany(size):
            yield rows, processors
    finally:
        result.close()


def _processors(
    dialect: Dialect, stmt: Select[Any], description: Sequence[Any]
) -> list[tuple[int, Callable[[Any], Any]]]:
    """``(column index, converter)`` for every selected column whose driver value SQLAlchemy converts."""
    out: list[tuple[int, Callable[[Any], Any]]] = []
    for i, (column, desc) in enumerate(zip(stmt.selected_columns, description, strict=True)):
        process = dialect.type_descriptor(column.type).result_processor(dialect, desc[1])
        if process is not None:
            out.append((i, process))
    return out


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block (nested and threaded uses allowed).

    A load creates hundreds of thousands of objects that hold no reference cycles; the
    collector would traverse them again and again as they accumulate (a third of the load's
    time at 600,000 marks) and find nothing to free.  Reference counting still frees memory
    as usual.  The collector is re-enabled when the last paused block ends, if it was enabled
    before the first one began; the objects created meanwhile then join the oldest generation
    (see :func:`_promote_to_oldest_generation`) instead of being traversed by the next
    young-generation collection.
    """
    global _gc_depth, _gc_resume
    with _gc_lock:
        if _gc_depth == 0:
            _gc_resume = gc.isenabled()
            gc.disable()
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0 and _gc_resume:
                _promote_to_oldest_generation()
                gc.enable()


def _promote_to_oldest_generation() -> None:
    """Move every object the collector tracks into its oldest generation, without traversing them.

    Done with ``gc.freeze()`` then ``gc.unfreeze()`` (documented: unfrozen objects go back to
    the oldest generation), and skipped when the program keeps objects frozen itself (the
    ``unfreeze`` would release them).  Without it, the first collection after a load
    traverses every record the load built (0.2 s at 600,000 marks), then the middle
    generation's collection does it again, before the full collection that sees them anyway.
    Garbage cycles are still found, by the next full collection.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


_gc_lock = threading.Lock()
_gc_depth = 0
_gc_resume = False


# ------------------------------------------------------------------------------------------ write
def _with_ids(rows: Iterable[dict[str, Any]], school_id: str, journal_id: str) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        row["school_id"] = school_id
        row["journal_id"] = journal_id
        out.append(row)
    return out


COPY_FROM = 64
"""On PostgreSQL, inserts of at least this many rows into one table go through ``COPY … FROM
STDIN`` (the driver's bulk path: one stream instead of a statement per row); fewer rows, and
the other databases, use ``executemany`` (SQLite's C loop; PyMySQL rewrites it into multi-row
``INSERT``s)."""


def _insert(conn: Connection, spec: TableSpec, objs: Iterable[Obj], school_id: str, journal_id: str) -> None:
    rows = _with_ids((spec.to_row(o) for o in objs), school_id, journal_id)
    if rows:
        check_lengths(spec.table, rows, f"journal {journal_id}.{spec.table.name.removeprefix('ej_')}")
        if len(rows) >= COPY_FROM and conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
            _copy(conn, spec.table, rows)
        else:
            conn.execute(spec.table.insert(), rows)


def _copy(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` with PostgreSQL's ``COPY``, in the
    connection's transaction (psycopg 3 adapts the Python values as it does for ``INSERT``)."""
    columns = list(rows[0])
    names = ", ".join(conn.dialect.identifier_preparer.quote(c) for c in columns)
    statement = f"COPY {conn.dialect.identifier_preparer.format_table(table)} ({names}) FROM STDIN"
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


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

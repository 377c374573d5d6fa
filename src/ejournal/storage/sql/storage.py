"""The SQL storage: :class:`SqlStorage`, its unit of work and repositories.

A unit of work is one database transaction on one connection.  Every repository call that
writes runs inside a savepoint, so a call that fails leaves nothing behind and the unit of work
stays usable.  Driver errors never escape: they are translated by
:func:`ejournal.storage.sql.errors.translate`.
"""

from __future__ import annotations

import weakref
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, select, text
from sqlalchemy import exc as sa_exc

from ejournal.core.calendar import AcademicYear
from ejournal.core.errors import ConcurrentModification, EjournalError, InvalidInput, NotFound, StorageUnavailable
from ejournal.core.journal import Action, Change, ClassJournal, Role
from ejournal.core.model import ClassGroup, Parent, School, Teacher
from ejournal.storage._checks import check_aware, check_changes
from ejournal.storage.document import dumps_record, loads_record
from ejournal.storage.ports import Capability
from ejournal.storage.sql import convert as cv
from ejournal.storage.sql import journal_io as jio
from ejournal.storage.sql import schema as t
from ejournal.storage.sql.engine import IMMEDIATE, create_sql_engine, dialect_family
from ejournal.storage.sql.errors import Kind, SchemaOutOfDate, classify, mask_url, translate

__all__ = ["SqlStorage", "SqlUnitOfWork", "open_storage"]


class SqlStorage:
    """A storage on a SQL database (SQLite, PostgreSQL, MariaDB/MySQL) through SQLAlchemy.

    Build it with :func:`open_storage`.  Capabilities: transactions, concurrency (optimistic
    journal versions), persistence (not for the in-memory ``sqlite://``) and migrations.
    ``full_check_on_load`` runs the journal's complete reference check on load; by default the
    references the schema's foreign keys already guarantee (lessons, marks, attendance) are not
    checked a second time in Python.
    """

    def __init__(self, engine: Engine, *, full_check_on_load: bool = False) -> None:
        """Wrap a configured engine (see :func:`ejournal.storage.sql.engine.create_sql_engine`)."""
        self._engine = engine
        self._url = mask_url(engine.url)
        self._closed = False
        self.full_check_on_load = full_check_on_load
        family = dialect_family(engine.url)
        self.family = family or "unknown"
        memory = family == "sqlite" and (engine.url.database in (None, "", ":memory:"))
        caps = {Capability.TRANSACTIONS, Capability.MIGRATIONS}
        if not memory:
            caps |= {Capability.PERSISTENCE, Capability.CONCURRENCY}
        self._capabilities = frozenset(caps)

    @property
    def url(self) -> str:
        """The URL it was opened with, the password masked."""
        return self._url

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for migrations, tests and tools)."""
        return self._engine

    @property
    def capabilities(self) -> frozenset[str]:
        """The :class:`~ejournal.storage.ports.Capability` names provided."""
        return self._capabilities

    def unit_of_work(self) -> SqlUnitOfWork:
        """A new unit of work (connects when entered); :class:`StorageUnavailable` once closed."""
        if self._closed:
            raise StorageUnavailable(self._url, "the storage is closed")
        return SqlUnitOfWork(self)

    def close(self) -> None:
        """Release every pooled connection; the storage is unusable afterwards (closing twice is harmless)."""
        if not self._closed:
            self._closed = True
            self._engine.dispose()

    def __repr__(self) -> str:
        return f"<SqlStorage {self._url}{' closed' if self._closed else ''}>"


class SqlUnitOfWork:
    """One transaction on one connection; rolls back on exit unless committed.

    Use it as a context manager.  After :meth:`commit` or :meth:`rollback` the next call opens
    a new transaction on the same connection.
    """

    def __init__(self, storage: SqlStorage) -> None:
        """A unit of work of ``storage`` (use :meth:`SqlStorage.unit_of_work`)."""
        self._storage = storage
        self._conn: Connection | None = None
        self._writing = False  # the current transaction has begun writing (SQLite: holds the write lock)
        # what each journal looked like when loaded (its save writes the difference), kept only while
        # that journal object lives: a school-wide job that loads, reads and drops journal after
        # journal in one unit of work holds one snapshot, not one per class
        self._snapshots: dict[tuple[str, str], tuple[weakref.ref[ClassJournal], jio.JournalSnapshot]] = {}
        self.schools = SqlSchools(self)
        self.people = SqlPeople(self)
        self.journals = SqlJournals(self)
        self.audit = SqlAuditLog(self)

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> SqlUnitOfWork:
        self._connection()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        conn, self._conn = self._conn, None
        self._snapshots.clear()
        self._writing = False
        if conn is None:
            return
        try:
            if conn.in_transaction():
                conn.rollback()
            conn.close()
        except sa_exc.DBAPIError as e:
            if exc is None:
                raise translate(e, self._storage.url, "closing the unit of work") from e

    def commit(self) -> None:
        """Make the work durable.  Raises :class:`ConcurrentModification` or :class:`StorageUnavailable`
        when the database refuses the commit (then nothing was written)."""
        conn = self._connection()
        self._writing = False
        try:
            conn.commit()
        except sa_exc.DBAPIError as e:
            self._snapshots.clear()
            raise translate(e, self._storage.url, "commit") from e

    def rollback(self) -> None:
        """Discard everything since the last commit."""
        self._snapshots.clear()
        self._writing = False
        if self._conn is None:
            return
        try:
            self._conn.rollback()
        except sa_exc.DBAPIError as e:
            raise translate(e, self._storage.url, "rollback") from e

    # ------------------------------------------------------------------ plumbing for repositories
    def _connection(self) -> Connection:
        if self._conn is None:
            if self._storage._closed:
                raise StorageUnavailable(self._storage.url, "the storage is closed")
            try:
                self._conn = self._storage.engine.connect()
            except sa_exc.DBAPIError as e:
                raise translate(e, self._storage.url, "connecting") from e
        return self._conn

    def _remember(self, key: tuple[str, str], journal: ClassJournal, snapshot: jio.JournalSnapshot) -> None:
        """Keep ``snapshot`` of ``journal`` while the journal object lives."""

        def forget(ref: weakref.ref[ClassJournal], key: tuple[str, str] = key) -> None:
            entry = self._snapshots.get(key)
            if entry is not None and entry[0] is ref:
                del self._snapshots[key]

        self._snapshots[key] = (weakref.ref(journal, forget), snapshot)

    def _snapshot(self, key: tuple[str, str], journal: ClassJournal) -> jio.JournalSnapshot | None:
        """The snapshot taken when this very ``journal`` object was loaded or saved, if any."""
        entry = self._snapshots.get(key)
        return entry[1] if entry is not None and entry[0]() is journal else None

    @contextmanager
    def _read(self, where: str) -> Iterator[Connection]:
        conn = self._connection()
        try:
            yield conn
        except sa_exc.DBAPIError as e:
            raise translate(e, self._storage.url, where) from e

    @contextmanager
    def _write(self, where: str, on: dict[Kind, EjournalError] | None = None) -> Iterator[Connection]:
        """A savepoint around one repository call: on any error it is rolled back and re-raised translated.

        ``on`` maps an error kind to the error to raise instead of the generic translation.

        SQLite: the first write of a transaction that has only read so far starts the transaction
        over as ``BEGIN IMMEDIATE`` (taking the write lock, waiting up to the busy timeout), so it
        writes on the newest data instead of failing because its read snapshot is older than
        another connection's commit.  This is safe because every write checks what it relies on
        inside the write itself (a journal's version, a duplicate id, a school's existence);
        journal snapshots kept by ``get`` stay valid as they are tied to a version.
        """
        conn = self._connection()
        try:
            if not self._writing and self._storage.family == "sqlite":
                if conn.in_transaction():
                    conn.rollback()
                conn.info[IMMEDIATE] = True
                conn.begin()
            self._writing = True
            savepoint = conn.begin_nested()
        except sa_exc.DBAPIError as e:
            raise translate(e, self._storage.url, where) from e
        try:
            yield conn
            savepoint.commit()
        except BaseException as e:
            try:
                if savepoint.is_active:
                    savepoint.rollback()
            except sa_exc.DBAPIError:
                # The server dropped the whole transaction (a deadlock on MariaDB): start over.
                conn.rollback()
                self._snapshots.clear()
                self._writing = False
            if isinstance(e, sa_exc.DBAPIError):
                kind = classify(e)
                if on and kind in on:
                    raise on[kind] from e
                raise translate(e, self._storage.url, where) from e
            raise


def _sorted_by_id(items: Sequence[Any]) -> list[Any]:
    return sorted(items, key=lambda x: x.id)


class SqlSchools:
    """Schools (``ej_schools``); see :class:`~ejournal.storage.ports.SchoolRepository`."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def add(self, school: School) -> None:
        """Store a new school; :class:`InvalidInput` if its id exists."""
        row = cv.school_row(school)
        jio.check_lengths(t.schools, [row], f"school {school.id}")
        dup = InvalidInput("school.id", "a school with this id exists", school.id)
        with self._uow._write(f"adding school {school.id}", {Kind.DUPLICATE: dup}) as conn:
            conn.execute(t.schools.insert(), row)

    def get(self, school_id: str) -> School:
        """The school; :class:`NotFound` if absent."""
        with self._uow._read(f"reading school {school_id}") as conn:
            row = conn.execute(select(t.schools).where(t.schools.c.school_id == school_id)).first()
        if row is None:
            raise NotFound("school", school_id, self._uow._storage.url)
        return cv.school_from(row._mapping)

    def update(self, school: School) -> None:
        """Replace the stored school; :class:`NotFound` if absent."""
        row = cv.school_row(school)
        with self._uow._write(f"updating school {school.id}") as conn:
            result = conn.execute(t.schools.update().where(t.schools.c.school_id == school.id).values(row))
            if result.rowcount == 0:
                raise NotFound("school", school.id, self._uow._storage.url)

    def list(self) -> list[School]:
        """All schools, by id (code-point order, whatever the database's collation)."""
        with self._uow._read("listing schools") as conn:
            rows = conn.execute(select(t.schools)).all()
        return _sorted_by_id([cv.school_from(r._mapping) for r in rows])


def _require_school(conn: Connection, school_id: str, url: str) -> None:
    found = conn.execute(select(t.schools.c.school_id).where(t.schools.c.school_id == school_id)).first()
    if found is None:
        raise NotFound("school", school_id, url)


class SqlPeople:
    """Teachers and parents of a school; see :class:`~ejournal.storage.ports.PeopleRepository`."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def add_teacher(self, school_id: str, teacher: Teacher) -> None:
        """Store or replace a teacher; :class:`NotFound` for an unknown school."""
        row = {"school_id": school_id, **cv.teacher_row(teacher)}
        jio.check_lengths(t.teachers, [row], f"teacher {teacher.id}")
        with self._uow._write(f"storing teacher {teacher.id}") as conn:
            _require_school(conn, school_id, self._uow._storage.url)
            c = t.teachers.c
            result = conn.execute(
                t.teachers.update().where(and_(c.school_id == school_id, c.teacher_id == teacher.id)).values(row)
            )
            if result.rowcount == 0:
                conn.execute(t.teachers.insert(), row)

    def get_teacher(self, school_id: str, teacher_id: str) -> Teacher:
        """The teacher; :class:`NotFound` if absent."""
        c = t.teachers.c
        with self._uow._read(f"reading teacher {teacher_id}") as conn:
            row = conn.execute(
                select(t.teachers).where(and_(c.school_id == school_id, c.teacher_id == teacher_id))
            ).first()
        if row is None:
            raise NotFound("teacher", teacher_id, f"school {school_id}")
        return cv.teacher_from(row._mapping)

    def list_teachers(self, school_id: str) -> list[Teacher]:
        """The school's teachers, by id."""
        with self._uow._read("listing teachers") as conn:
            rows = conn.execute(select(t.teachers).where(t.teachers.c.school_id == school_id)).all()
        return _sorted_by_id([cv.teacher_from(r._mapping) for r in rows])

    def add_parent(self, school_id: str, parent: Parent) -> None:
        """Store or replace a parent with their children; :class:`NotFound` for an unknown school."""
        row = {"school_id": school_id, **cv.parent_row(parent)}
        children = [{"school_id": school_id, "parent_id": parent.id, "student_id": s} for s in sorted(parent.children)]
        jio.check_lengths(t.parents, [row], f"parent {parent.id}")
        jio.check_lengths(t.parent_children, children, f"parent {parent.id}.children")
        with self._uow._write(f"storing parent {parent.id}") as conn:
            _require_school(conn, school_id, self._uow._storage.url)
            c = t.parents.c
            result = conn.execute(
                t.parents.update().where(and_(c.school_id == school_id, c.parent_id == parent.id)).values(row)
            )
            if result.rowcount == 0:
                conn.execute(t.parents.insert(), row)
            pc = t.parent_children.c
            conn.execute(t.parent_children.delete().where(and_(pc.school_id == school_id, pc.parent_id == parent.id)))
            if children:
                conn.execute(t.parent_children.insert(), children)

    def _parents(self, school_id: str, parent_id: str | None) -> list[Parent]:
        c, pc = t.parents.c, t.parent_children.c
        where = c.school_id == school_id
        child_where = pc.school_id == school_id
        if parent_id is not None:
            where = and_(where, c.parent_id == parent_id)
            child_where = and_(child_where, pc.parent_id == parent_id)
        with self._uow._read("reading parents") as conn:
            rows = conn.execute(select(t.parents).where(where)).all()
            links = conn.execute(select(pc.parent_id, pc.student_id).where(child_where)).all()
        children: dict[str, list[str]] = {}
        for link in links:
            children.setdefault(link.parent_id, []).append(link.student_id)
        return _sorted_by_id([cv.parent_from(r._mapping, children.get(r.parent_id, [])) for r in rows])

    def get_parent(self, school_id: str, parent_id: str) -> Parent:
        """The parent; :class:`NotFound` if absent."""
        found = self._parents(school_id, parent_id)
        if not found:
            raise NotFound("parent", parent_id, f"school {school_id}")
        return found[0]

    def list_parents(self, school_id: str) -> list[Parent]:
        """The school's parents, by id."""
        return self._parents(school_id, None)


class SqlJournals:
    """Class journals; see :class:`~ejournal.storage.ports.JournalRepository`.

    ``get`` and ``list`` issue one ``SELECT`` per table whatever the size; ``save`` writes the
    difference from what is stored with one ``executemany`` per table and kind of change.
    ``get`` keeps a snapshot of what it loaded for the rest of the unit of work so ``save``
    needs no read; a journal from ``list`` or from another unit of work is compared with the
    stored rows, read with one ``SELECT`` per table.
    """

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def add(self, journal: ClassJournal) -> None:
        """Store a new journal (version becomes 1) and its pending changes in the audit log.

        Raises :class:`NotFound` for an unknown school, :class:`InvalidInput` when the id exists
        in the school or a value does not fit the schema.  On error nothing is written and the
        journal is unchanged.
        """
        sid, jid = journal.school.id, journal.id
        row = {"school_id": sid, "version": 1, **jio.journal_values(journal)}
        jio.check_lengths(t.journals, [row], f"journal {jid}")
        dup = InvalidInput(f"school {sid}: journal.id", "a journal with this id exists", jid)
        with self._uow._write(f"adding journal {jid}", {Kind.DUPLICATE: dup}) as conn:
            _require_school(conn, sid, self._uow._storage.url)
            conn.execute(t.journals.insert(), row)
            jio.write_new(conn, journal)
            _append(conn, sid, journal.pending_changes)
        journal.take_pending_changes()
        journal.version = 1
        # no snapshot kept: an import adds every class and saves none of them again (a later save
        # of this journal reads what was written: the same transaction sees it)

    def get(self, school_id: str, journal_id: str) -> ClassJournal:
        """The whole journal, loaded in a constant number of statements; :class:`NotFound` if absent."""
        with self._uow._read(f"loading journal {journal_id}") as conn:
            found = jio.load_journals(
                conn, school_id, journal_id=journal_id, full_check=self._uow._storage.full_check_on_load
            )
        journal = found.get(journal_id)
        if journal is None:
            raise NotFound("journal", journal_id, f"school {school_id}")
        self._uow._remember((school_id, journal_id), journal, jio.snapshot_of(journal, journal.version))
        return journal

    def version(self, school_id: str, journal_id: str) -> int:
        """The stored version of the journal: one single-row ``SELECT``; :class:`NotFound` if absent."""
        c = t.journals.c
        with self._uow._read(f"reading the version of journal {journal_id}") as conn:
            found = conn.execute(
                select(c.version).where(and_(c.school_id == school_id, c.journal_id == journal_id))
            ).scalar_one_or_none()
        if found is None:
            raise NotFound("journal", journal_id, f"school {school_id}")
        return int(found)

    def save(self, journal: ClassJournal) -> None:
        """Store the journal if nobody saved it since it was loaded; its version goes up by one.

        Raises :class:`ConcurrentModification` (writing nothing) when the stored version is not
        ``journal.version``, :class:`NotFound` when it was never added, :class:`InvalidInput` for
        a value the schema refuses.  The pending changes go to the audit log in the same transaction.
        """
        uow = self._uow
        sid, jid, version = journal.school.id, journal.id, journal.version
        values = jio.journal_values(journal)
        jio.check_lengths(t.journals, [{"school_id": sid, **values}], f"journal {jid}")
        c = t.journals.c
        what = f"journal {jid} of school {sid}"
        try:
            with uow._write(f"saving journal {jid}") as conn:
                result = conn.execute(
                    t.journals.update()
                    .where(and_(c.school_id == sid, c.journal_id == jid, c.version == version))
                    .values(version=c.version + 1, **{k: v for k, v in values.items() if k != "journal_id"})
                )
                if result.rowcount != 1:
                    stored_version = select(c.version).where(and_(c.school_id == sid, c.journal_id == jid))
                    if uow._storage.family == "mysql":
                        # REPEATABLE READ: a plain SELECT would show this transaction's old snapshot.
                        stored_version = stored_version.with_for_update()
                    stored = conn.execute(stored_version).scalar_one_or_none()
                    if stored is None:
                        raise NotFound("journal", jid, f"school {sid}")
                    raise ConcurrentModification(what, version, stored)
                before = uow._snapshot((sid, jid), journal)
                if before is None or before.version != version:
                    before = self._stored_snapshot(conn, sid, jid, version)
                jio.write_diff(conn, journal, before)
                _append(conn, sid, journal.pending_changes)
        except ConcurrentModification as e:
            if e.expected_version is not None:
                raise
            # The database refused (PostgreSQL: "could not serialize access"); say which versions.
            found = self._committed_version(sid, jid)
            if found is None or found == version:
                raise ConcurrentModification(f"{what} ({e.what})", version, found) from e
            raise ConcurrentModification(what, version, found) from e
        journal.take_pending_changes()
        journal.version = version + 1
        uow._remember((sid, jid), journal, jio.snapshot_of(journal, version + 1))

    def _committed_version(self, sid: str, jid: str) -> int | None:
        """The journal's newest committed version, read on a connection of its own (``None`` if unreadable)."""
        c = t.journals.c
        try:
            with self._uow._storage.engine.connect() as conn:
                found = conn.execute(
                    select(c.version).where(and_(c.school_id == sid, c.journal_id == jid))
                ).scalar_one_or_none()
        except sa_exc.DBAPIError:
            return None
        return None if found is None else int(found)

    def _stored_snapshot(self, conn: Connection, sid: str, jid: str, version: int) -> jio.JournalSnapshot:
        # Under MariaDB's REPEATABLE READ a plain SELECT may read an older snapshot than the row
        # we just locked; a locking read sees the latest committed rows.
        locking = self._uow._storage.family == "mysql"
        stored = jio.load_journals(conn, sid, journal_id=jid, full_check=False, locking=locking)[jid]
        return jio.snapshot_of(stored, version)

    @staticmethod
    def _where(school_id: str, year: AcademicYear | None) -> Any:
        """The ``ej_journals`` rows of a school (of one year, if given)."""
        where = t.journals.c.school_id == school_id
        return and_(where, jio.year_filter(year)) if year is not None else where

    def list_ids(self, school_id: str, year: AcademicYear | None = None) -> list[str]:
        """Ids of the school's journals (of one year, if given), sorted."""
        where = self._where(school_id, year)
        with self._uow._read("listing journals") as conn:
            ids = conn.execute(select(t.journals.c.journal_id).where(where)).scalars().all()
        return sorted(ids)

    def years(self, school_id: str) -> list[AcademicYear]:
        """The academic years the school has journals for, oldest first: one ``SELECT DISTINCT``."""
        c = t.journals.c
        query = select(c.year_start, c.year_first_day, c.year_last_day).where(c.school_id == school_id).distinct()
        with self._uow._read("listing years") as conn:
            rows = conn.execute(query).all()
        years = [AcademicYear(row.year_start, row.year_first_day, row.year_last_day) for row in rows]
        return sorted(years, key=lambda y: (y.start, y.end))

    def classes(self, school_id: str, year: AcademicYear | None = None) -> list[ClassGroup]:
        """The classes of the school's journals (of ``year``, if given), sorted by id: one ``SELECT``."""
        c = t.journals.c
        where = self._where(school_id, year)
        with self._uow._read("listing classes") as conn:
            rows = conn.execute(select(t.journals).where(where).order_by(c.journal_id)).mappings().all()
        return sorted((cv.class_group_from(row) for row in rows), key=lambda g: g.id)

    def list(self, school_id: str, year: AcademicYear) -> list[ClassJournal]:
        """Every journal of the school's year, sorted by id: one ``SELECT`` per table for the whole school."""
        with self._uow._read(f"loading the journals of {year}") as conn:
            found = jio.load_journals(
                conn, school_id, year_filter=jio.year_filter(year), full_check=self._uow._storage.full_check_on_load
            )
        return [found[k] for k in sorted(found)]


def _audit_rows(school_id: str, changes: Sequence[Change], first_seq: int) -> list[dict[str, Any]]:
    check_changes(changes)
    rows = []
    for i, ch in enumerate(changes):
        rows.append(
            {
                "school_id": school_id,
                "seq": first_seq + i,
                "journal_id": ch.journal_id,
                "actor_id": ch.actor_id,
                "actor_role": ch.actor_role.value,
                "at": cv.moment_text(ch.at),
                "at_utc": cv.moment_utc_key(ch.at),
                "action": ch.action.value,
                "before_json": dumps_record(ch.before),
                "after_json": dumps_record(ch.after),
                "reason": ch.reason,
                "student_id": ch.student_id,
                "course_id": ch.course_id,
                "period_id": ch.period_id,
                "lesson_id": ch.lesson_id,
            }
        )
    return rows


_MARIADB_CHUNK = 1000


def _next_seqs(conn: Connection, school_id: str, count: int) -> list[int]:
    """``count`` new, increasing audit sequence numbers of the school, touching no shared row."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        query = select(t.audit_sequence.next_value()).select_from(func.generate_series(1, count))
        return sorted(int(v) for v in conn.execute(query).scalars())
    if dialect in ("mysql", "mariadb"):
        # MariaDB has no generate_series: a recursive CTE of at most 1000 rows (the default
        # max_recursive_iterations) per statement.
        seqs: list[int] = []
        while len(seqs) < count:
            chunk = min(count - len(seqs), _MARIADB_CHUNK)
            chunk_query = text(
                "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count) "
                f"SELECT NEXTVAL({t.audit_sequence.name}) FROM n"
            )
            seqs.extend(sorted(int(v) for v in conn.execute(chunk_query, {"count": chunk}).scalars()))
        return seqs
    # SQLite: one writer at a time, and this transaction is writing, so max + 1 cannot collide.
    last = conn.execute(select(func.coalesce(func.max(t.audit.c.seq), 0)).where(t.audit.c.school_id == school_id))
    first = int(last.scalar_one()) + 1
    return list(range(first, first + count))


def _append(conn: Connection, school_id: str, changes: Sequence[Change]) -> None:
    """Append ``changes`` to the log of a school the caller checked exists: draw sequence numbers,
    then one ``executemany``.

    The numbers come from a database sequence (SQLite: the school's highest plus one), so
    appends for different journals share no row and never wait for or refuse each other.
    """
    if not changes:
        return
    rows = _audit_rows(school_id, changes, 0)
    jio.check_lengths(t.audit, rows, "audit")
    for row, seq in zip(rows, _next_seqs(conn, school_id, len(rows)), strict=True):
        row["seq"] = seq
    conn.execute(t.audit.insert(), rows)


AUDIT_BATCH = 2000
"""Rows of the audit log read per page by :meth:`SqlAuditLog.iterate`."""


class SqlAuditLog:
    """The append-only audit log (``ej_audit``); see :class:`~ejournal.storage.ports.AuditLog`.

    There is no update or delete path.  Entries come back in append order (the sequence
    number), not by time: a clock that went backwards does not reorder the log.
    """

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def append(self, school_id: str, changes: Sequence[Change]) -> None:
        """Append changes in order; :class:`NotFound` for an unknown school, :class:`InvalidInput`
        for something that is not a :class:`Change` with an aware ``at``."""
        _audit_rows(school_id, changes, 1)  # validate before touching the database
        with self._uow._write("appending to the audit log") as conn:
            _require_school(conn, school_id, self._uow._storage.url)
            _append(conn, school_id, changes)

    def query(
        self,
        school_id: str,
        *,
        journal_id: str | None = None,
        student_id: str | None = None,
        course_id: str | None = None,
        period_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Change]:
        """Changes matching every given filter (``since``/``until`` inclusive, timezone-aware),
        in append order.  :class:`InvalidInput` for a naive ``since``/``until``."""
        check_aware(since, "audit query: since")
        check_aware(until, "audit query: until")
        a = t.audit.c
        conds = [a.school_id == school_id]
        for column, value in (
            (a.journal_id, journal_id),
            (a.student_id, student_id),
            (a.course_id, course_id),
            (a.period_id, period_id),
        ):
            if value is not None:
                conds.append(column == value)
        if since is not None:
            conds.append(a.at_utc >= cv.moment_utc_key(since))
        if until is not None:
            conds.append(a.at_utc <= cv.moment_utc_key(until))
        with self._uow._read("querying the audit log") as conn:
            rows = conn.execute(select(t.audit).where(and_(*conds)).order_by(a.seq)).all()
        return [_change_from(r._mapping) for r in rows]

    def iterate(
        self,
        school_id: str,
        *,
        journal_ids: Collection[str] | None = None,
        other_than: Collection[str] | None = None,
        batch: int = AUDIT_BATCH,
    ) -> Iterator[Change]:
        """The school's changes in append order — only those of ``journal_ids``, or only those
        naming none of ``other_than``, when given — read ``batch`` rows at a time (keyset pages by
        sequence number: each page its own short statement, no cursor held open between them), so
        a whole-school export or backup holds one page of the log, not all of it.

        Raises what :meth:`query` raises for an unreachable database, when a page is read.
        """
        a = t.audit.c
        conds = [a.school_id == school_id]
        if journal_ids is not None:
            conds.append(a.journal_id.in_(sorted(journal_ids)))
        if other_than:
            conds.append(a.journal_id.not_in(sorted(other_than)))
        after = -1
        while True:
            with self._uow._read("reading the audit log") as conn:
                rows = conn.execute(
                    select(t.audit).where(and_(*conds, a.seq > after)).order_by(a.seq).limit(batch)
                ).all()
            for r in rows:
                yield _change_from(r._mapping)
            if len(rows) < batch:
                return
            after = rows[-1]._mapping["seq"]


def _change_from(m: Any) -> Change:
    return Change(
        m["journal_id"],
        m["actor_id"],
        Role(m["actor_role"]),
        cv.moment_from_text(m["at"]),
        Action(m["action"]),
        loads_record(m["before_json"]),
        loads_record(m["after_json"]),
        m["reason"],
        m["student_id"],
        m["course_id"],
        m["period_id"],
        m["lesson_id"],
    )


def open_storage(
    url: str,
    *,
    auto_upgrade: bool = True,
    busy_timeout_ms: int = 5000,
    full_check_on_load: bool = False,
    echo: bool = False,
) -> SqlStorage:
    """Open the SQL storage at ``url`` (``sqlite:///school.db``, ``postgresql+psycopg://…``, ``mysql+pymysql://…``).

    Connects once to check the schema revision.  A database without ejournal tables is created
    at the newest revision when ``auto_upgrade`` (the default); a database at an older revision
    raises :class:`~ejournal.storage.sql.errors.SchemaOutOfDate` (a
    :class:`StorageUnavailable`) saying "schema at revision X, library needs Y; run
    `ejournal db upgrade`" — it is never upgraded implicitly.  An unreachable database raises
    :class:`StorageUnavailable` naming the URL with its password masked; an unsupported URL
    :class:`InvalidInput`.
    """
    from ejournal.storage.sql import migrate

    engine = create_sql_engine(url, busy_timeout_ms=busy_timeout_ms, echo=echo)
    masked = mask_url(engine.url)
    try:
        needed = migrate.head_revision()
        with engine.connect() as conn:
            found = migrate._revision_of(conn)
            empty = found is None and migrate.is_empty(conn)
        if found != needed:
            if empty and auto_upgrade:
                migrate.upgrade(engine)
            elif empty:
                raise SchemaOutOfDate(masked, None, needed, "run `ejournal db upgrade` to create the tables")
            elif found is None:
                raise SchemaOutOfDate(
                    masked, None, needed, "ejournal tables exist without a revision; run `ejournal db upgrade`"
                )
            elif found in migrate.known_revisions():
                raise SchemaOutOfDate(masked, found, needed, "run `ejournal db upgrade`")
            else:
                raise SchemaOutOfDate(
                    masked, found, needed, "the database is newer than this library; upgrade ejournal"
                )
    except sa_exc.DBAPIError as e:
        engine.dispose()
        raise translate(e, masked, "opening the storage") from e
    except BaseException:
        engine.dispose()
        raise
    return SqlStorage(engine, full_check_on_load=full_check_on_load)

"""The storage ports: what a backend must provide (``typing.Protocol``s).

A :class:`Storage` opens units of work.  A :class:`UnitOfWork` is a context manager that rolls
back unless :meth:`UnitOfWork.commit` was called; inside it the repositories read and write domain
objects only.  Every method is scoped by the school id, so a region can shard by school.

Errors: unknown ids raise :class:`~ejournal.core.errors.NotFound`; duplicates and values that do
not fit raise :class:`~ejournal.core.errors.InvalidInput`; a stale save raises
:class:`~ejournal.core.errors.ConcurrentModification`; an unreachable backend raises
:class:`~ejournal.core.errors.StorageUnavailable`.  No driver exception escapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, runtime_checkable

from ejournal.core.calendar import AcademicYear
from ejournal.core.journal import Change, ClassJournal
from ejournal.core.model import ClassGroup, Parent, School, Teacher

__all__ = [
    "AuditLog",
    "Capability",
    "JournalRepository",
    "PeopleRepository",
    "SchoolRepository",
    "Storage",
    "UnitOfWork",
]


class Capability:
    """Names of optional capabilities a backend declares in :attr:`Storage.capabilities`."""

    TRANSACTIONS = "transactions"  # rollback really discards writes
    CONCURRENCY = "concurrency"  # several units of work at once (optimistic versions checked)
    PERSISTENCE = "persistence"  # data survives close() and reopening the same URL
    MIGRATIONS = "migrations"  # schema versions, upgrade()


class SchoolRepository(Protocol):
    """Schools."""

    def add(self, school: School) -> None:
        """Store a new school; :class:`InvalidInput` if its id exists."""
        ...

    def get(self, school_id: str) -> School:
        """The school; :class:`NotFound` if absent."""
        ...

    def update(self, school: School) -> None:
        """Replace the stored school with this one; :class:`NotFound` if absent."""
        ...

    def list(self) -> list[School]:
        """All schools, by id."""
        ...


class PeopleRepository(Protocol):
    """Teachers and parents of a school (students live in the class journals)."""

    def add_teacher(self, school_id: str, teacher: Teacher) -> None:
        """Store or replace a teacher; :class:`NotFound` for an unknown school."""
        ...

    def get_teacher(self, school_id: str, teacher_id: str) -> Teacher:
        """The teacher; :class:`NotFound` if absent."""
        ...

    def list_teachers(self, school_id: str) -> list[Teacher]:
        """The school's teachers, by id."""
        ...

    def add_parent(self, school_id: str, parent: Parent) -> None:
        """Store or replace a parent with the children they are linked to."""
        ...

    def get_parent(self, school_id: str, parent_id: str) -> Parent:
        """The parent; :class:`NotFound` if absent."""
        ...

    def list_parents(self, school_id: str) -> list[Parent]:
        """The school's parents, by id."""
        ...


class JournalRepository(Protocol):
    """Class journals: the unit of consistency.

    :meth:`add` and :meth:`save` also append the journal's pending changes to the audit log in
    the same transaction, then clear them and set the journal's ``version`` to the stored one.
    """

    def add(self, journal: ClassJournal) -> None:
        """Store a new journal (version becomes 1).

        Raises :class:`InvalidInput` if its id exists in the school, :class:`NotFound` for an unknown school.
        """
        ...

    def get(self, school_id: str, journal_id: str) -> ClassJournal:
        """Load the whole journal in a constant number of queries; :class:`NotFound` if absent."""
        ...

    def version(self, school_id: str, journal_id: str) -> int:
        """The stored version of the journal, without loading it (one row on a database).

        What :meth:`get` would return as ``journal.version`` in this unit of work; a cache keyed by
        it never serves a journal someone has saved since.  :class:`NotFound` if absent.
        """
        ...

    def save(self, journal: ClassJournal) -> None:
        """Store the journal's current state if nobody saved it since it was loaded.

        Raises :class:`ConcurrentModification` (and writes nothing) when the stored version
        differs from ``journal.version``; the caller's journal is then left untouched (same
        version, pending changes kept).  On success the version is incremented.
        """
        ...

    def list_ids(self, school_id: str, year: AcademicYear | None = None) -> list[str]:
        """Ids of the school's journals (of one year, if given), sorted."""
        ...

    def years(self, school_id: str) -> list[AcademicYear]:
        """The academic years the school has journals for, oldest first (without loading any journal)."""
        ...

    def classes(self, school_id: str, year: AcademicYear | None = None) -> list[ClassGroup]:
        """The classes of the school's journals (of one year, if given), sorted by journal id,
        without loading any journal (one query on a database)."""
        ...

    def list(self, school_id: str, year: AcademicYear) -> list[ClassJournal]:
        """Load every journal of the school's year (a school-wide load), sorted by id."""
        ...


class AuditLog(Protocol):
    """The append-only log of changes."""

    def append(self, school_id: str, changes: Sequence[Change]) -> None:
        """Append changes (in order)."""
        ...

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
        """Changes matching every given filter, in append order (NOT sorted by time: a change
        appended after another comes after it even when the clock went backwards in between).

        ``since`` and ``until`` are both inclusive.
        """
        ...


@runtime_checkable
class UnitOfWork(Protocol):
    """One transaction: rolls back on exit unless :meth:`commit` was called."""

    schools: SchoolRepository
    people: PeopleRepository
    journals: JournalRepository
    audit: AuditLog

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def commit(self) -> None:
        """Make the work durable; the unit of work may go on with a new transaction after it."""
        ...

    def rollback(self) -> None:
        """Discard everything since the last commit."""
        ...


@runtime_checkable
class Storage(Protocol):
    """A backend: opens units of work."""

    @property
    def url(self) -> str:
        """The URL it was opened with, any password masked."""
        ...

    @property
    def capabilities(self) -> frozenset[str]:
        """The :class:`Capability` names this backend provides."""
        ...

    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work (use it as a context manager)."""
        ...

    def close(self) -> None:
        """Release connections; the storage is unusable afterwards."""
        ...

"""The in-memory backend (``memory://``): real transactions, nothing persisted.

Each :class:`MemoryStorage` holds its own committed state.  A unit of work reads the committed
state (read-committed isolation) through its own buffer of writes; :meth:`MemoryUnitOfWork.commit`
checks the buffer against the committed state (duplicate ids, journal versions) and applies it all
at once, or raises and applies nothing.  Leaving the ``with`` block without committing discards the
buffer.  Repositories hand out copies: mutating a returned journal never changes stored state.

It is the reference backend of the conformance kit and a fast storage for tests.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any

import attrs

from ejournal.core.calendar import AcademicYear
from ejournal.core.errors import ConcurrentModification, InvalidInput, NotFound, StorageUnavailable
from ejournal.core.journal import Change, ClassJournal, SystemClock
from ejournal.core.model import ClassGroup, Parent, School, Teacher
from ejournal.storage._checks import check_aware, check_changes
from ejournal.storage.ports import AuditLog, Capability, JournalRepository, PeopleRepository, SchoolRepository

__all__ = ["MemoryStorage", "MemoryUnitOfWork", "copy_journal", "open_storage"]

_JournalKey = tuple[str, str]


def copy_journal(journal: ClassJournal, *, version: int | None = None) -> ClassJournal:
    """An independent copy of ``journal``'s data, as a freshly loaded journal.

    The containers (dicts, sets) are copied and their frozen values shared, so the copy costs
    one pass over the records and no validation.  The runtime state is reset: no pending
    changes, a new default clock, a fresh index.  ``version`` replaces the version if given.
    Never raises.
    """
    return journal.copy(version=version, clock=SystemClock())


@attrs.define
class _Committed:
    schools: dict[str, School] = attrs.field(factory=dict)
    teachers: dict[str, dict[str, Teacher]] = attrs.field(factory=dict)
    parents: dict[str, dict[str, Parent]] = attrs.field(factory=dict)
    journals: dict[_JournalKey, ClassJournal] = attrs.field(factory=dict)
    audit: dict[str, list[Change]] = attrs.field(factory=dict)


class MemoryStorage:
    """A storage kept in this process's memory; every instance starts empty.

    Capabilities: transactions and concurrency (thread-safe; optimistic journal versions).
    Not persistence: the data is gone with the object.
    """

    def __init__(self, url: str = "memory://") -> None:
        """An empty storage; ``url`` is only what :attr:`url` reports."""
        self._url = url
        self._state = _Committed()
        self._lock = threading.RLock()
        self._closed = False

    @property
    def url(self) -> str:
        """The URL it was opened with."""
        return self._url

    @property
    def capabilities(self) -> frozenset[str]:
        """Transactions and concurrency."""
        return frozenset({Capability.TRANSACTIONS, Capability.CONCURRENCY})

    def unit_of_work(self) -> MemoryUnitOfWork:
        """A new unit of work; raises :class:`StorageUnavailable` once the storage is closed."""
        self._check_open()
        return MemoryUnitOfWork(self)

    def close(self) -> None:
        """Drop the data; later use raises :class:`StorageUnavailable`.  Closing twice is harmless."""
        with self._lock:
            self._closed = True
            self._state = _Committed()

    def __repr__(self) -> str:
        return f"<MemoryStorage {self._url}{' closed' if self._closed else ''}>"

    def _check_open(self) -> None:
        if self._closed:
            raise StorageUnavailable(self._url, "the storage is closed")


class MemoryUnitOfWork:
    """One transaction over a :class:`MemoryStorage`: a buffer of writes over the committed state.

    Reads see the committed state plus this unit of work's own writes; other units of work see
    the writes only after :meth:`commit`.  Use it as a context manager: leaving it without a commit
    (or by an exception) discards the buffer.
    """

    def __init__(self, storage: MemoryStorage) -> None:
        """A unit of work over ``storage`` (use :meth:`MemoryStorage.unit_of_work`)."""
        self._storage = storage
        self.schools: SchoolRepository = _Schools(self)
        self.people: PeopleRepository = _People(self)
        self.journals: JournalRepository = _Journals(self)
        self.audit: AuditLog = _Audit(self)
        self._reset()

    def _reset(self) -> None:
        self._schools: dict[str, School] = {}
        self._added_schools: set[str] = set()
        self._teachers: dict[str, dict[str, Teacher]] = {}
        self._parents: dict[str, dict[str, Parent]] = {}
        self._journals: dict[_JournalKey, ClassJournal] = {}
        self._journal_base: dict[_JournalKey, int | None] = {}
        self._audit: list[tuple[str, Change]] = []

    def __enter__(self) -> MemoryUnitOfWork:
        self._storage._check_open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        """Apply every buffered write at once, then start afresh.

        Raises (applying nothing and discarding the buffer) :class:`InvalidInput` when another unit
        of work committed a school or journal with an id added here, :class:`ConcurrentModification`
        when another one committed a journal saved here, :class:`StorageUnavailable` when closed.
        """
        storage = self._storage
        with storage._lock:
            try:
                storage._check_open()
                state = storage._state
                for school_id in sorted(self._added_schools):
                    if school_id in state.schools:
                        raise InvalidInput("school.id", "a school with this id exists", school_id)
                for key, base in self._journal_base.items():
                    stored = state.journals.get(key)
                    if base is None and stored is not None:
                        raise InvalidInput(f"school {key[0]}: journal.id", "a journal with this id exists", key[1])
                    if base is not None and (stored is None or stored.version != base):
                        raise ConcurrentModification(
                            f"journal {key[1]} of school {key[0]}", base, None if stored is None else stored.version
                        )
                state.schools.update(self._schools)
                for school_id, teachers in self._teachers.items():
                    state.teachers.setdefault(school_id, {}).update(teachers)
                for school_id, parents in self._parents.items():
                    state.parents.setdefault(school_id, {}).update(parents)
                state.journals.update(self._journals)
                for school_id, change in self._audit:
                    state.audit.setdefault(school_id, []).append(change)
            finally:
                self._reset()

    def rollback(self) -> None:
        """Discard every write since the last commit."""
        self._reset()

    # ------------------------------------------------------------------ reads through the buffer
    def _state(self) -> _Committed:
        self._storage._check_open()
        return self._storage._state

    def _school_exists(self, school_id: str) -> bool:
        with self._storage._lock:
            return school_id in self._schools or school_id in self._state().schools

    def _require_school(self, school_id: str) -> None:
        if not self._school_exists(school_id):
            raise NotFound("school", school_id, self._storage.url)

    def _stored_journal(self, key: _JournalKey) -> ClassJournal | None:
        buffered = self._journals.get(key)
        if buffered is not None:
            return buffered
        with self._storage._lock:
            return self._state().journals.get(key)


class _Schools:
    """The :class:`~ejournal.storage.ports.SchoolRepository` of a memory unit of work."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, school: School) -> None:
        uow = self._uow
        if uow._school_exists(school.id):
            raise InvalidInput("school.id", "a school with this id exists", school.id)
        uow._schools[school.id] = school
        uow._added_schools.add(school.id)

    def get(self, school_id: str) -> School:
        uow = self._uow
        found = uow._schools.get(school_id)
        if found is None:
            with uow._storage._lock:
                found = uow._state().schools.get(school_id)
        if found is None:
            raise NotFound("school", school_id, uow._storage.url)
        return found

    def update(self, school: School) -> None:
        self._uow._require_school(school.id)
        self._uow._schools[school.id] = school

    def list(self) -> list[School]:
        uow = self._uow
        with uow._storage._lock:
            merged = {**uow._state().schools, **uow._schools}
        return [merged[k] for k in sorted(merged)]


class _People:
    """The :class:`~ejournal.storage.ports.PeopleRepository` of a memory unit of work."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def _merged(self, kind: str, school_id: str) -> dict[str, Any]:
        uow = self._uow
        with uow._storage._lock:
            committed: dict[str, Any] = getattr(uow._state(), kind).get(school_id, {})
            buffered: dict[str, Any] = getattr(uow, f"_{kind}").get(school_id, {})
            return {**committed, **buffered}

    def add_teacher(self, school_id: str, teacher: Teacher) -> None:
        self._uow._require_school(school_id)
        self._uow._teachers.setdefault(school_id, {})[teacher.id] = teacher

    def get_teacher(self, school_id: str, teacher_id: str) -> Teacher:
        found = self._merged("teachers", school_id).get(teacher_id)
        if found is None:
            raise NotFound("teacher", teacher_id, f"school {school_id}")
        assert isinstance(found, Teacher)
        return found

    def list_teachers(self, school_id: str) -> list[Teacher]:
        merged = self._merged("teachers", school_id)
        return [merged[k] for k in sorted(merged)]

    def add_parent(self, school_id: str, parent: Parent) -> None:
        self._uow._require_school(school_id)
        self._uow._parents.setdefault(school_id, {})[parent.id] = parent

    def get_parent(self, school_id: str, parent_id: str) -> Parent:
        found = self._merged("parents", school_id).get(parent_id)
        if found is None:
            raise NotFound("parent", parent_id, f"school {school_id}")
        assert isinstance(found, Parent)
        return found

    def list_parents(self, school_id: str) -> list[Parent]:
        merged = self._merged("parents", school_id)
        return [merged[k] for k in sorted(merged)]


class _Journals:
    """The :class:`~ejournal.storage.ports.JournalRepository` of a memory unit of work."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, journal: ClassJournal) -> None:
        uow = self._uow
        key = (journal.school.id, journal.id)
        uow._require_school(key[0])
        if uow._stored_journal(key) is not None:
            raise InvalidInput(f"school {key[0]}: journal.id", "a journal with this id exists", key[1])
        uow._journals[key] = copy_journal(journal, version=1)
        uow._journal_base[key] = None
        self._write_audit(key[0], journal, 1)

    def get(self, school_id: str, journal_id: str) -> ClassJournal:
        stored = self._uow._stored_journal((school_id, journal_id))
        if stored is None:
            raise NotFound("journal", journal_id, f"school {school_id}")
        return copy_journal(stored)

    def version(self, school_id: str, journal_id: str) -> int:
        stored = self._uow._stored_journal((school_id, journal_id))
        if stored is None:
            raise NotFound("journal", journal_id, f"school {school_id}")
        return stored.version

    def save(self, journal: ClassJournal) -> None:
        uow = self._uow
        key = (journal.school.id, journal.id)
        stored = uow._stored_journal(key)
        if stored is None:
            raise NotFound("journal", key[1], f"school {key[0]}")
        if stored.version != journal.version:
            raise ConcurrentModification(f"journal {key[1]} of school {key[0]}", journal.version, stored.version)
        new_version = stored.version + 1
        uow._journals[key] = copy_journal(journal, version=new_version)
        uow._journal_base.setdefault(key, stored.version)
        self._write_audit(key[0], journal, new_version)

    def _write_audit(self, school_id: str, journal: ClassJournal, version: int) -> None:
        changes = journal.take_pending_changes()
        self._uow._audit.extend((school_id, c) for c in changes)
        journal.version = version

    def _visible(self, school_id: str) -> dict[str, ClassJournal]:
        uow = self._uow
        with uow._storage._lock:
            out = {jid: j for (sid, jid), j in uow._state().journals.items() if sid == school_id}
        out.update({jid: j for (sid, jid), j in uow._journals.items() if sid == school_id})
        return out

    def list_ids(self, school_id: str, year: AcademicYear | None = None) -> list[str]:
        visible = self._visible(school_id)
        return sorted(jid for jid, j in visible.items() if year is None or j.class_group.year == year)

    def years(self, school_id: str) -> list[AcademicYear]:
        """The academic years the school has journals for, oldest first."""
        years = {j.class_group.year for j in self._visible(school_id).values()}
        return sorted(years, key=lambda y: (y.start, y.end))

    def classes(self, school_id: str, year: AcademicYear | None = None) -> list[ClassGroup]:
        """The classes of the school's journals (of ``year``, if given), sorted by journal id."""
        visible = self._visible(school_id)
        return [visible[jid].class_group for jid in self.list_ids(school_id, year)]

    def list(self, school_id: str, year: AcademicYear) -> list[ClassJournal]:
        visible = self._visible(school_id)
        return [copy_journal(visible[jid]) for jid in sorted(visible) if visible[jid].class_group.year == year]


class _Audit:
    """The :class:`~ejournal.storage.ports.AuditLog` of a memory unit of work (``since``/``until`` inclusive)."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def append(self, school_id: str, changes: Sequence[Change]) -> None:
        uow = self._uow
        uow._require_school(school_id)
        check_changes(changes)
        uow._audit.extend((school_id, c) for c in changes)

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
        check_aware(since, "audit query: since")
        check_aware(until, "audit query: until")
        uow = self._uow
        with uow._storage._lock:
            changes = list(uow._state().audit.get(school_id, ()))
        changes.extend(c for sid, c in uow._audit if sid == school_id)
        out = [
            c
            for c in changes
            if (journal_id is None or c.journal_id == journal_id)
            and (student_id is None or c.student_id == student_id)
            and (course_id is None or c.course_id == course_id)
            and (period_id is None or c.period_id == period_id)
            and (since is None or c.at >= since)
            and (until is None or c.at <= until)
        ]
        return out  # append order, whatever the times say (a clock may go backwards)


def open_storage(url: str = "memory://", **options: Any) -> MemoryStorage:
    """Open a new, empty :class:`MemoryStorage` for a ``memory://`` URL (anything after ``//`` is a label).

    Raises :class:`InvalidInput` for another scheme or any option (the backend takes none).
    """
    if not isinstance(url, str) or not url.lower().startswith("memory://"):
        raise InvalidInput("storage url", "the memory backend serves memory:// URLs", url)
    if options:
        raise InvalidInput("storage options", "the memory backend takes no options", sorted(options))
    return MemoryStorage(url)

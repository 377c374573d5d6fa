"""An example third-party ejournal storage backend: everything in one pickle file.

``picklefile:///path/to/school.pickle`` keeps the schools, people, journals and audit log of a
small school in a single file, rewritten atomically on every commit.  It is deliberately simple:
one process, one unit of work at a time (no ``concurrency`` capability), but real transactions
and persistence.  It passes the ejournal conformance kit (see ``test_adapter.py``).

Only open files you wrote yourself: unpickling runs code from the file.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs

from ejournal.core.calendar import AcademicYear
from ejournal.core.errors import ConcurrentModification, InvalidInput, NotFound, StorageUnavailable
from ejournal.core.journal import Change, ClassJournal
from ejournal.core.model import ClassGroup, Parent, School, Teacher
from ejournal.storage import Capability, mask_url

__all__ = ["PickleFileStorage", "open_storage"]

SCHEME = "picklefile://"
# The journal's data fields: everything its constructor takes except the runtime clock and changes.
_DATA_FIELDS = [f.name for f in attrs.fields(ClassJournal) if f.init and f.name not in ("clock", "pending_changes")]


def _empty() -> dict[str, Any]:
    return {"schools": {}, "teachers": {}, "parents": {}, "journals": {}, "audit": {}}


def _copied(value: Any) -> Any:
    """Containers copied (their frozen contents shared), so callers and the store share nothing mutable."""
    return dict(value) if isinstance(value, dict) else set(value) if isinstance(value, set) else value


def _to_row(journal: ClassJournal, version: int) -> dict[str, Any]:
    row = {name: _copied(getattr(journal, name)) for name in _DATA_FIELDS}
    row["version"] = version
    return row


def _from_row(row: dict[str, Any]) -> ClassJournal:
    return ClassJournal(**{k: _copied(v) for k, v in row.items()})


class PickleFileStorage:
    """A storage in one pickle file.  Capabilities: transactions, persistence."""

    capabilities = frozenset({Capability.TRANSACTIONS, Capability.PERSISTENCE})

    def __init__(self, path: Path, url: str) -> None:
        self.path = path
        self._url = url
        self._closed = False

    @property
    def url(self) -> str:
        return mask_url(self._url)

    def unit_of_work(self) -> PickleFileUnitOfWork:
        if self._closed:
            raise StorageUnavailable(self.url, "the storage is closed")
        return PickleFileUnitOfWork(self)

    def close(self) -> None:
        self._closed = True

    def read(self) -> dict[str, Any]:
        try:
            with self.path.open("rb") as f:
                data: dict[str, Any] = pickle.load(f)
        except FileNotFoundError:
            return _empty()
        except (OSError, pickle.UnpicklingError, EOFError) as e:
            raise StorageUnavailable(self.url, f"cannot read {self.path}: {e}") from e
        return data

    def write(self, data: dict[str, Any]) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            with tmp.open("wb") as f:
                pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError as e:
            raise StorageUnavailable(self.url, f"cannot write {self.path}: {e}") from e


class PickleFileUnitOfWork:
    """Reads the whole file when it starts; writes it back on commit."""

    def __init__(self, storage: PickleFileStorage) -> None:
        self._storage = storage
        self.schools = _Schools(self)
        self.people = _People(self)
        self.journals = _Journals(self)
        self.audit = _Audit(self)
        self.rollback()

    def __enter__(self) -> PickleFileUnitOfWork:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        stored = self._storage.read()
        for key, base in self.base_versions.items():
            found = stored["journals"].get(key)
            if found is not None and found["version"] != base:
                raise ConcurrentModification(f"journal {key[1]}", base, found["version"])
        self._storage.write(self.data)
        self.rollback()

    def rollback(self) -> None:
        self.data = self._storage.read()
        self.base_versions: dict[tuple[str, str], int] = {}

    def require_school(self, school_id: str) -> None:
        if school_id not in self.data["schools"]:
            raise NotFound("school", school_id, self._storage.url)


class _Schools:
    def __init__(self, uow: PickleFileUnitOfWork) -> None:
        self.uow = uow

    def add(self, school: School) -> None:
        if school.id in self.uow.data["schools"]:
            raise InvalidInput("school.id", "a school with this id exists", school.id)
        self.uow.data["schools"][school.id] = school

    def get(self, school_id: str) -> School:
        self.uow.require_school(school_id)
        school: School = self.uow.data["schools"][school_id]
        return school

    def update(self, school: School) -> None:
        self.uow.require_school(school.id)
        self.uow.data["schools"][school.id] = school

    def list(self) -> list[School]:
        schools = self.uow.data["schools"]
        return [schools[k] for k in sorted(schools)]


class _People:
    def __init__(self, uow: PickleFileUnitOfWork) -> None:
        self.uow = uow

    def _put(self, kind: str, school_id: str, person: Teacher | Parent) -> None:
        self.uow.require_school(school_id)
        self.uow.data[kind][(school_id, person.id)] = person

    def _get(self, kind: str, school_id: str, person_id: str) -> Any:
        try:
            return self.uow.data[kind][(school_id, person_id)]
        except KeyError:
            raise NotFound(kind[:-1], person_id, f"school {school_id}") from None

    def _list(self, kind: str, school_id: str) -> list[Any]:
        found = self.uow.data[kind]
        return [found[k] for k in sorted(found) if k[0] == school_id]

    def add_teacher(self, school_id: str, teacher: Teacher) -> None:
        self._put("teachers", school_id, teacher)

    def get_teacher(self, school_id: str, teacher_id: str) -> Teacher:
        teacher: Teacher = self._get("teachers", school_id, teacher_id)
        return teacher

    def list_teachers(self, school_id: str) -> list[Teacher]:
        return self._list("teachers", school_id)

    def add_parent(self, school_id: str, parent: Parent) -> None:
        self._put("parents", school_id, parent)

    def get_parent(self, school_id: str, parent_id: str) -> Parent:
        parent: Parent = self._get("parents", school_id, parent_id)
        return parent

    def list_parents(self, school_id: str) -> list[Parent]:
        return self._list("parents", school_id)


class _Journals:
    def __init__(self, uow: PickleFileUnitOfWork) -> None:
        self.uow = uow

    def _store(self, journal: ClassJournal, version: int) -> None:
        key = (journal.school.id, journal.id)
        self.uow.data["journals"][key] = _to_row(journal, version)
        self.uow.data["audit"].setdefault(key[0], []).extend(journal.take_pending_changes())
        journal.version = version

    def add(self, journal: ClassJournal) -> None:
        self.uow.require_school(journal.school.id)
        if (journal.school.id, journal.id) in self.uow.data["journals"]:
            raise InvalidInput("journal.id", "a journal with this id exists", journal.id)
        self._store(journal, 1)

    def get(self, school_id: str, journal_id: str) -> ClassJournal:
        row = self.uow.data["journals"].get((school_id, journal_id))
        if row is None:
            raise NotFound("journal", journal_id, f"school {school_id}")
        return _from_row(row)

    def version(self, school_id: str, journal_id: str) -> int:
        row = self.uow.data["journals"].get((school_id, journal_id))
        if row is None:
            raise NotFound("journal", journal_id, f"school {school_id}")
        return int(row["version"])

    def save(self, journal: ClassJournal) -> None:
        key = (journal.school.id, journal.id)
        row = self.uow.data["journals"].get(key)
        if row is None:
            raise NotFound("journal", journal.id, f"school {key[0]}")
        if row["version"] != journal.version:
            raise ConcurrentModification(f"journal {journal.id}", journal.version, row["version"])
        self.uow.base_versions.setdefault(key, row["version"])
        self._store(journal, row["version"] + 1)

    def list_ids(self, school_id: str, year: AcademicYear | None = None) -> list[str]:
        rows = self.uow.data["journals"]
        return sorted(
            jid for (sid, jid), row in rows.items() if sid == school_id and year in (None, row["class_group"].year)
        )

    def years(self, school_id: str) -> list[AcademicYear]:
        rows = self.uow.data["journals"]
        years = {row["class_group"].year for (sid, _), row in rows.items() if sid == school_id}
        return sorted(years, key=lambda y: (y.start, y.end))

    def classes(self, school_id: str, year: AcademicYear | None = None) -> list[ClassGroup]:
        rows = self.uow.data["journals"]
        return [rows[(school_id, jid)]["class_group"] for jid in self.list_ids(school_id, year)]

    def list(self, school_id: str, year: AcademicYear) -> list[ClassJournal]:
        return [self.get(school_id, jid) for jid in self.list_ids(school_id, year)]


class _Audit:
    def __init__(self, uow: PickleFileUnitOfWork) -> None:
        self.uow = uow

    def append(self, school_id: str, changes: Sequence[Change]) -> None:
        self.uow.data["audit"].setdefault(school_id, []).extend(changes)

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
        wanted = {"journal_id": journal_id, "student_id": student_id, "course_id": course_id, "period_id": period_id}
        found = [
            c
            for c in self.uow.data["audit"].get(school_id, [])
            if all(v is None or getattr(c, k) == v for k, v in wanted.items())
            and (since is None or c.at >= since)
            and (until is None or c.at <= until)
        ]
        return found  # append order, as the port requires (not sorted by time)


def open_storage(url: str, **options: Any) -> PickleFileStorage:
    """Open ``picklefile:///path/to/file``; the file is created on the first commit.

    Raises :class:`InvalidInput` for another URL or any option.
    """
    if not url.startswith(SCHEME) or len(url) == len(SCHEME):
        raise InvalidInput("storage url", "expected picklefile:///path/to/file", mask_url(url))
    if options:
        raise InvalidInput("storage options", "the picklefile backend takes no options", sorted(options))
    return PickleFileStorage(Path(url[len(SCHEME) :]), url)

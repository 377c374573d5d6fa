"""The service's journal cache: loaded journals and their gradebooks, reused while their stored version holds.

A :class:`JournalCache` keeps up to ``size`` journals (least recently used first out), each with
the stored version it was loaded at and, once asked for, its
:class:`~ejournal.core.grading.gradebook.Gradebook`.  It never decides on its own whether an entry
is current: the caller passes the version the storage reports now (one single-row query), and an
entry of another version is dropped.  So a change saved by another process, another service or a
use case that bypasses the cache is seen on the next call.

The journals it holds are private: the service reads them, and hands callers copies
(:meth:`~ejournal.core.journal.ClassJournal.copy`) or values computed from them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from ejournal.core.errors import InvalidInput
from ejournal.core.grading import GradingPolicy
from ejournal.core.grading.gradebook import Gradebook
from ejournal.core.journal import Change, ClassJournal

__all__ = ["DEFAULT_CACHE_SIZE", "JournalCache"]

DEFAULT_CACHE_SIZE = 8
"""Journals a :class:`~ejournal.service.JournalService` keeps by default: about 11 MiB each for a class
of 30 with 21,000 marks (its records, about 7 MiB, and its computed gradebook, about 4 MiB)."""

_Key = tuple[str, str]


class _Entry:
    __slots__ = ("gradebook", "journal", "version")

    def __init__(self, journal: ClassJournal, gradebook: Gradebook | None) -> None:
        self.journal = journal
        self.version = journal.version
        self.gradebook = gradebook


class JournalCache:
    """A bounded, thread-safe LRU of journals and gradebooks by (school id, journal id).

    ``size`` is how many journals are kept (0 keeps none); ``policy`` the grading policy the
    gradebooks are built under.  Raises :class:`~ejournal.core.errors.InvalidInput` (where
    ``cache_size``) for a size that is not a whole number ≥ 0.
    """

    def __init__(self, size: int, policy: GradingPolicy) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise InvalidInput("cache_size", "must be a whole number ≥ 0 (0 turns the cache off)", size)
        self.size = size
        self.policy = policy
        self._entries: OrderedDict[_Key, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        """Calls served from the cache (for tests and profiling)."""
        self.loads = 0
        """Journals put in the cache after a load (for tests and profiling)."""

    def __len__(self) -> int:
        return len(self._entries)

    def journal(self, school_id: str, journal_id: str, version: int) -> ClassJournal | None:
        """The cached journal if it is at ``version`` (the stored version now), else ``None``.

        An entry of another version is dropped.  The journal returned is the cache's own: read it,
        never change it.
        """
        entry = self._current((school_id, journal_id), version)
        return None if entry is None else entry.journal

    def gradebook(self, journal: ClassJournal) -> Gradebook:
        """The gradebook of ``journal`` under the cache's policy: the cached one when ``journal``
        is the cached journal of its id or has the same version (its data is then the same),
        else a new one (kept when the journal is the cached one)."""
        key = (journal.school.id, journal.id)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.version == journal.version:
                if entry.gradebook is None:
                    entry.gradebook = Gradebook.of(entry.journal, self.policy)
                return entry.gradebook
        return Gradebook.of(journal, self.policy)

    def put(self, journal: ClassJournal) -> None:
        """Keep ``journal`` (just loaded, and not handed to anyone) at its version."""
        if self.size == 0:
            return
        with self._lock:
            self._entries[(journal.school.id, journal.id)] = _Entry(journal, None)
            self._entries.move_to_end((journal.school.id, journal.id))
            self.loads += 1
            self._trim()

    def saved(self, journal: ClassJournal, before: int, changes: Iterable[Change]) -> None:
        """Keep ``journal``, just saved by the service (its version is the new stored one).

        ``before`` is the version it was loaded at and ``changes`` what the save applied: when the
        cache held that version, the gradebook is carried over with only the touched students ×
        courses recomputed (:meth:`~ejournal.core.grading.gradebook.Gradebook.updated`).
        """
        if self.size == 0:
            return
        key = (journal.school.id, journal.id)
        with self._lock:
            old = self._entries.pop(key, None)
            gradebook = None
            if old is not None and old.version == before and old.gradebook is not None:
                gradebook = old.gradebook.updated(journal, changes)
            self._entries[key] = _Entry(journal, gradebook)
            self._trim()

    def drop(self, school_id: str, journal_id: str) -> None:
        """Forget the journal (nothing happens when it is not cached)."""
        with self._lock:
            self._entries.pop((school_id, journal_id), None)

    def clear(self) -> None:
        """Forget every journal."""
        with self._lock:
            self._entries.clear()

    def _current(self, key: _Key, version: int) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.version != version:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def _trim(self) -> None:
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

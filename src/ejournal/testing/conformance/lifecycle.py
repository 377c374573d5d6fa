"""Scenarios for a storage's life: what survives close and reopen, and what a closed storage does.

An adapter that declares :attr:`~ejournal.storage.ports.Capability.PERSISTENCE` must really keep
committed data (an adapter that never writes to disk would otherwise pass every other scenario),
and a closed storage must refuse work with :class:`~ejournal.core.errors.StorageUnavailable`
instead of quietly serving stale or empty data.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ejournal.core.errors import NotFound, StorageUnavailable
from ejournal.storage.ports import Capability, Storage
from ejournal.testing.conformance._base import ContractBase, requires
from ejournal.testing.conformance.builders import sample_journal, sample_school_year, seed

__all__ = ["LifecycleContract"]

Reopen = Callable[[Storage], Storage]


class LifecycleContract(ContractBase):
    """Closing a storage, using it closed, and reopening it.

    ``reopen`` is an optional fixture: a function that takes the (closed) storage and opens the
    same data again.  The default opens ``storage.url`` through :func:`ejournal.storage.open`,
    which finds backends registered by URL scheme or entry point; override it when yours is not.
    """

    @pytest.fixture
    def reopen(self) -> Reopen:
        """Open the same data as the given storage, by its URL (override for unregistered backends)."""
        from ejournal.storage.registry import open as open_storage

        return lambda storage: open_storage(storage.url)

    def test_a_closed_storage_refuses_new_units_of_work(self, storage: Storage) -> None:
        storage.close()
        with pytest.raises(StorageUnavailable) as raised, storage.unit_of_work() as uow:
            uow.schools.list()
        assert storage.url.split("://")[0] in str(raised.value) or "closed" in str(raised.value), (
            f"the error of a closed storage should say which storage or that it is closed: {raised.value}"
        )

    def test_closing_twice_is_harmless(self, storage: Storage) -> None:
        storage.close()
        storage.close()

    @requires(Capability.PERSISTENCE)
    def test_committed_data_survives_close_and_reopen(self, storage: Storage, reopen: Reopen) -> None:
        school_year = sample_school_year()
        seed(storage, school_year)
        with storage.unit_of_work() as uow:
            journal_ids = uow.journals.list_ids(school_year.school.id)
            journals = {i: uow.journals.get(school_year.school.id, i) for i in journal_ids}
            audit = uow.audit.query(school_year.school.id)
            teachers = uow.people.list_teachers(school_year.school.id)
            parents = uow.people.list_parents(school_year.school.id)
        storage.close()
        again = reopen(storage)
        try:
            with again.unit_of_work() as uow:
                try:
                    stored_school = uow.schools.get(school_year.school.id)
                except NotFound:
                    pytest.fail(
                        f"school {school_year.school.id!r} committed before close() is not found after reopening "
                        f"{again.url}: the adapter declares 'persistence' but does not keep its data"
                    )
                assert stored_school == school_year.school, (
                    "the school committed before close() is not the one read after reopening"
                )
                assert uow.journals.list_ids(school_year.school.id) == journal_ids, (
                    "journals committed before close() are missing after reopening: the adapter declares "
                    "'persistence' but does not keep its data"
                )
                for journal_id, journal in journals.items():
                    assert uow.journals.get(school_year.school.id, journal_id) == journal, (
                        f"journal {journal_id} read after reopening differs from the one committed"
                    )
                assert uow.people.list_teachers(school_year.school.id) == teachers, "teachers differ after reopening"
                assert uow.people.list_parents(school_year.school.id) == parents, "parents differ after reopening"
                assert uow.audit.query(school_year.school.id) == audit, "the audit log differs after reopening"
        finally:
            again.close()

    @requires(Capability.PERSISTENCE)
    def test_uncommitted_work_does_not_survive_close(self, storage: Storage, reopen: Reopen) -> None:
        school_year = sample_school_year()
        seed(storage, school_year)
        extra = sample_journal(school_year.school, journal_id="9a-uncommitted")
        with storage.unit_of_work() as uow:
            uow.journals.add(extra)  # never committed
        storage.close()
        again = reopen(storage)
        try:
            with again.unit_of_work() as uow:
                assert "9a-uncommitted" not in uow.journals.list_ids(school_year.school.id), (
                    "a journal added without commit() was found after reopening"
                )
        finally:
            again.close()

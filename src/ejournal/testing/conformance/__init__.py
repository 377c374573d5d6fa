"""The storage conformance kit: the scenarios every ejournal storage backend must pass.

Subclass :class:`StorageContract` (or only some of the ``…Contract`` mixins) in a test module
and provide ONE fixture, ``storage``: a fresh, empty :class:`~ejournal.storage.ports.Storage` per
test::

    import pytest
    from ejournal.testing.conformance import StorageContract

    class TestMyStorage(StorageContract):
        @pytest.fixture
        def storage(self, tmp_path):
            s = my_backend.open_storage(f"mine:///{tmp_path}/db")
            yield s
            s.close()

Scenarios that need an optional capability (:class:`~ejournal.storage.ports.Capability`) are
marked with :func:`requires`; against a backend that does not declare it they are *skipped* with a
reason naming the capability.  ``other_storage`` (a second fresh storage for the document round
trip) is optional and defaults to an in-memory storage.

Needs pytest and Hypothesis: install the ``ejournal[testing]`` extra.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
    import pytest  # noqa: F401
except ImportError as e:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "ejournal.testing.conformance needs pytest and hypothesis; install them with pip install 'ejournal[testing]'"
        f" (missing: {e.name})"
    ) from e

from ejournal.testing.conformance._base import ContractBase, required_capabilities, requires
from ejournal.testing.conformance.audit import AuditLogContract
from ejournal.testing.conformance.lifecycle import LifecycleContract
from ejournal.testing.conformance.repositories import (
    JournalRepositoryContract,
    PeopleRepositoryContract,
    SchoolRepositoryContract,
)
from ejournal.testing.conformance.roundtrip import DocumentRoundTripContract, MarkRoundTripContract
from ejournal.testing.conformance.transactions import ConcurrencyContract, UnitOfWorkContract

__all__ = [
    "AuditLogContract",
    "ConcurrencyContract",
    "ContractBase",
    "DocumentRoundTripContract",
    "JournalRepositoryContract",
    "LifecycleContract",
    "MarkRoundTripContract",
    "PeopleRepositoryContract",
    "SchoolRepositoryContract",
    "StorageContract",
    "UnitOfWorkContract",
    "required_capabilities",
    "requires",
]


class StorageContract(
    SchoolRepositoryContract,
    PeopleRepositoryContract,
    JournalRepositoryContract,
    AuditLogContract,
    UnitOfWorkContract,
    ConcurrencyContract,
    MarkRoundTripContract,
    DocumentRoundTripContract,
    LifecycleContract,
):
    """Every scenario of the kit; subclass it and provide the ``storage`` fixture."""

"""Run the ejournal conformance kit against the picklefile backend: a fixture and a class."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ejournal_picklefile import PickleFileStorage, open_storage

from ejournal.core.model import School
from ejournal.testing.conformance import StorageContract


class TestPickleFileStorage(StorageContract):
    @pytest.fixture
    def storage(self, tmp_path: Path) -> Iterator[PickleFileStorage]:
        storage = open_storage(f"picklefile://{tmp_path / 'school.pickle'}")
        yield storage
        storage.close()

    # Not registered by URL scheme here, so the kit's close-and-reopen scenarios are told how to reopen.
    @pytest.fixture
    def reopen(self) -> Callable[[PickleFileStorage], PickleFileStorage]:
        return lambda storage: open_storage(f"picklefile://{storage.path}")

    # Scenarios of your own go beside the kit's, here: the capability it adds.
    def test_data_survives_reopening(self, storage: PickleFileStorage) -> None:
        with storage.unit_of_work() as uow:
            uow.schools.add(School("s-1", "Школа № 1", "1нче мәктәп"))
            uow.commit()
        storage.close()
        reopened = open_storage(f"picklefile://{storage.path}")
        with reopened.unit_of_work() as uow:
            assert uow.schools.get("s-1") == School("s-1", "Школа № 1", "1нче мәктәп")

"""The in-memory backend passes the whole storage conformance kit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ejournal.storage.memory import MemoryStorage
from ejournal.testing.conformance import StorageContract


class TestMemoryStorage(StorageContract):
    @pytest.fixture
    def storage(self) -> Iterator[MemoryStorage]:
        storage = MemoryStorage()
        yield storage
        storage.close()

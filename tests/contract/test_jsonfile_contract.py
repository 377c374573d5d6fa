"""The JSON file backend passes the whole storage conformance kit (a fresh file per scenario)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ejournal.storage.jsonfile import JsonFileStorage, open_storage
from ejournal.testing.conformance import StorageContract


class TestJsonFileStorage(StorageContract):
    @pytest.fixture
    def storage(self, tmp_path: Path) -> Iterator[JsonFileStorage]:
        storage = open_storage(f"json://{tmp_path / 'school.json'}")
        yield storage
        storage.close()

    @pytest.fixture
    def other_storage(self, tmp_path: Path) -> Iterator[JsonFileStorage]:
        other = open_storage(f"json://{tmp_path / 'other.json.gz'}")
        yield other
        other.close()

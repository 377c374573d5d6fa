"""The SQL backend passes the whole storage conformance kit on SQLite, PostgreSQL and MariaDB.

SQLite always runs (a temporary file per test, copied from a template database upgraded once).
PostgreSQL and MariaDB run when ``EJOURNAL_TEST_POSTGRES_URL`` / ``EJOURNAL_TEST_MARIADB_URL``
are set (skipped with a reason otherwise; a server that does not answer fails the tests): the
tables are created once per session in a throw-away schema/database and emptied between tests.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ejournal.storage.sql import SqlStorage, open_storage, upgrade
from ejournal.storage.sql.testing import delete_all_rows, temporary_database
from ejournal.testing.conformance import StorageContract


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sql-contract") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def _server_url(var: str) -> str:
    url = os.environ.get(var)
    if not url:
        pytest.skip(f"{var} is not set: no server to run the conformance kit against")
    return url


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with temporary_database(_server_url("EJOURNAL_TEST_POSTGRES_URL")) as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="module")
def mariadb_url() -> Iterator[str]:
    with temporary_database(_server_url("EJOURNAL_TEST_MARIADB_URL")) as url:
        upgrade(url)
        yield url


def _server_storage(url: str) -> Iterator[SqlStorage]:
    storage = open_storage(url, auto_upgrade=False)
    delete_all_rows(storage.engine)
    try:
        yield storage
    finally:
        storage.close()


class TestSqliteStorage(StorageContract):
    @pytest.fixture
    def storage(self, sqlite_template: Path, tmp_path: Path) -> Iterator[SqlStorage]:
        path = tmp_path / "ejournal.db"
        shutil.copyfile(sqlite_template, path)
        storage = open_storage(f"sqlite:///{path}", auto_upgrade=False)
        yield storage
        storage.close()


@pytest.mark.postgres
class TestPostgresStorage(StorageContract):
    @pytest.fixture
    def storage(self, postgres_url: str) -> Iterator[SqlStorage]:
        yield from _server_storage(postgres_url)


@pytest.mark.mariadb
class TestMariadbStorage(StorageContract):
    @pytest.fixture
    def storage(self, mariadb_url: str) -> Iterator[SqlStorage]:
        yield from _server_storage(mariadb_url)

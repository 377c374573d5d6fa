"""Databases for the SQL integration tests: SQLite always, PostgreSQL and MariaDB from the environment.

``EJOURNAL_TEST_POSTGRES_URL`` / ``EJOURNAL_TEST_MARIADB_URL`` name a server; unset, the tests
that need it are skipped with the reason; set but not answering, they fail.  Each session works
in a throw-away schema (PostgreSQL) or database (MariaDB), dropped at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sql_servers import server_url

from ejournal.storage.sql import upgrade
from ejournal.storage.sql.testing import temporary_database


@pytest.fixture(scope="session")
def postgres_db() -> Iterator[str]:
    """A PostgreSQL schema at the head revision for the whole session."""
    with temporary_database(server_url("postgres")) as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def mariadb_db() -> Iterator[str]:
    """A MariaDB database at the head revision for the whole session."""
    with temporary_database(server_url("mariadb")) as url:
        upgrade(url)
        yield url


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, upgraded database of each kind (rows of earlier tests deleted)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ejournal.db'}"
        upgrade(url)
        return url
    from sqlalchemy import create_engine

    from ejournal.storage.sql.testing import delete_all_rows

    url = str(request.getfixturevalue(f"{request.param}_db"))
    engine = create_engine(url)
    try:
        delete_all_rows(engine)
    finally:
        engine.dispose()
    return url

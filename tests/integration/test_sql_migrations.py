"""Migrations: upgrading an empty database from the first revision to head gives exactly the declared schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sql_servers import server_url
from sqlalchemy import create_engine, inspect

from ejournal.storage.sql import current_revision, head_revision, upgrade
from ejournal.storage.sql.migrate import VERSION_TABLE
from ejournal.storage.sql.schema import metadata
from ejournal.storage.sql.testing import temporary_database


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    with temporary_database(server_url(request.param), prefix="ejournal_mig") as url:
        yield url


def _diff(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE, "compare_type": True})
            return list(compare_metadata(ctx, metadata))
    finally:
        engine.dispose()


def test_upgrade_from_the_first_revision_to_head_matches_the_declared_schema(empty_url: str) -> None:
    assert current_revision(empty_url) is None
    assert upgrade(empty_url, "0001") == "0001"
    assert current_revision(empty_url) == "0001"
    engine = create_engine(empty_url)
    try:
        audit_indexes = {ix["name"] for ix in inspect(engine).get_indexes("ej_audit")}
    finally:
        engine.dispose()
    assert not any(str(name).startswith("ix_ej_audit_") for name in audit_indexes)
    # The first revision lacks the audit query indexes: the comparison must see them missing.
    missing = _diff(empty_url)
    assert {op[1].name for op in missing if isinstance(op, tuple) and op[0] == "add_index"} == {
        "ix_ej_audit_at",
        "ix_ej_audit_course",
        "ix_ej_audit_journal",
        "ix_ej_audit_student",
    }
    assert upgrade(empty_url) == head_revision()
    assert current_revision(empty_url) == head_revision()
    assert _diff(empty_url) == []

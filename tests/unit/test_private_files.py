"""Files with personal data are created 0600 whatever the umask; read-only SQLite files can be read."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from ejournal._files import PRIVATE_MODE, create_private, write_private
from ejournal.cli import EXIT_OK, EXIT_STORAGE, cli
from ejournal.core.errors import StorageUnavailable
from ejournal.storage.sql import engine as engine_module


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that would make every new file world-readable and writable."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(*args: str | Path) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == EXIT_OK, result.output
    return result.output


def test_write_private_creates_0600_and_replaces(tmp_path: Path, open_umask: None) -> None:
    target = tmp_path / "f.bin"
    write_private(target, b"one")
    assert mode(target) == PRIVATE_MODE
    target.chmod(0o644)
    write_private(target, b"two")
    assert target.read_bytes() == b"two"
    assert mode(target) == PRIVATE_MODE
    target.chmod(0o640)
    write_private(target, b"three", keep_mode=True)
    assert mode(target) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.bin"]


def test_create_private_leaves_an_existing_file_alone(tmp_path: Path, open_umask: None) -> None:
    target = tmp_path / "db"
    assert create_private(target)
    assert mode(target) == PRIVATE_MODE
    target.write_bytes(b"x")
    assert not create_private(target)
    assert target.read_bytes() == b"x"


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("school")
    old = os.umask(0)
    try:
        run(
            "demo",
            "--db",
            f"sqlite:///{where / 'school.db'}",
            "--out",
            where / "out",
            "--classes",
            "2",
            "--students",
            "6",
        )
    finally:
        os.umask(old)
    return where


def test_the_sqlite_database_created_by_ejournal_is_0600(school: Path) -> None:
    assert mode(school / "school.db") == PRIVATE_MODE
    for side in ("school.db-wal", "school.db-shm"):  # SQLite gives them the database's bits
        if (school / side).exists():
            assert mode(school / side) == PRIVATE_MODE


def test_backup_export_and_sheets_are_0600(school: Path, tmp_path: Path, open_umask: None) -> None:
    db = f"sqlite:///{school / 'school.db'}"
    run("backup", "--db", db, "-o", tmp_path / "b.gz")
    run("export", "--db", db, "-o", tmp_path / "e.json")
    run("sheet", "--db", db, "--all", "--format", "csv", "-o", tmp_path / "sheets")
    files = [tmp_path / "b.gz", tmp_path / "e.json", *(tmp_path / "sheets").iterdir()]
    assert len(files) == 4
    assert {f.name: mode(f) for f in files} == {f.name: PRIVATE_MODE for f in files}


def test_the_json_storage_file_is_0600(tmp_path: Path, open_umask: None) -> None:
    from ejournal.demo import generate_school_year
    from ejournal.service import JournalService
    from ejournal.storage import open as open_storage

    path = tmp_path / "school.json"
    storage = open_storage(f"json://{path}")
    try:
        from ejournal.core.grading import builtin_policy
        from ejournal.core.journal import Actor, Role

        sy = generate_school_year(seed=1, classes=1, students=3)
        JournalService(storage, builtin_policy("federal")).import_school_year(
            Actor("t", Role.ADMINISTRATOR, sy.school.id), sy
        )
    finally:
        storage.close()
    assert mode(path) == PRIVATE_MODE


# ---------------------------------------------------------------------- read-only SQLite
def test_a_sqlite_url_with_mode_ro_reads_and_refuses_writes(school: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes((school / "school.db").read_bytes())
    before = copy.read_bytes()
    ro = f"sqlite:///{copy}?mode=ro"
    run("validate", "--db", ro)
    run("export", "--db", ro, "-o", tmp_path / "e.json")
    run("sheet", "--db", ro, "--all", "--format", "csv", "-o", tmp_path / "s")
    result = CliRunner().invoke(
        cli, ["demo", "--db", ro, "--classes", "1", "--students", "3", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == EXIT_STORAGE, result.output
    assert "read-only" in result.output
    assert copy.read_bytes() == before


def test_immutable_reads_without_creating_side_files(school: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes((school / "school.db").read_bytes())
    run("validate", "--db", f"sqlite:///{copy}?immutable=1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db"]


def test_an_unwritable_file_or_directory_is_opened_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, for whom permission bits do not stop writes: simulate what os.access
    # reports to an ordinary user and check the choice of mode (the opening itself is tested above).
    db = tmp_path / "s.db"
    db.write_bytes(b"")
    writable: dict[str, bool] = {str(tmp_path): True, str(db): True}
    monkeypatch.setattr(engine_module.os, "access", lambda p, _m: writable[str(p)])
    assert engine_module.sqlite_access(str(db)) == (False, False)
    assert engine_module.sqlite_access(str(db), requested=True) == (True, False)
    writable[str(db)] = False
    assert engine_module.sqlite_access(str(db)) == (True, False)
    writable[str(tmp_path)] = False
    assert engine_module.sqlite_access(str(db)) == (True, True)
    assert engine_module.sqlite_access(str(tmp_path / "new.db")) == (False, False)


def test_a_chmodded_database_is_read_only_for_an_ordinary_user(school: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores permission bits; see the os.access test above")
    copy = tmp_path / "copy.db"
    copy.write_bytes((school / "school.db").read_bytes())
    copy.chmod(0o400)
    run("validate", "--db", f"sqlite:///{copy}")


def test_writing_to_a_read_only_database_is_storage_unavailable(school: Path, tmp_path: Path) -> None:
    from ejournal.storage import open as open_storage

    copy = tmp_path / "copy.db"
    copy.write_bytes((school / "school.db").read_bytes())
    storage = open_storage(f"sqlite:///{copy}?mode=ro")
    try:
        with storage.unit_of_work() as uow:
            school_ = uow.schools.list()[0]

        def write() -> None:
            with storage.unit_of_work() as uow:
                uow.schools.update(school_)

        with pytest.raises(StorageUnavailable, match="read-only"):
            write()
    finally:
        storage.close()

"""The json:// backend beyond the kit: persistence, the file's bytes, damaged files, failed writes, the lock."""

from __future__ import annotations

import errno
import gc
import gzip
import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from ejournal.core.errors import ConcurrentModification, InvalidInput, StorageUnavailable
from ejournal.core.journal import Actor, Change, ClassJournal, FixedClock, Role
from ejournal.core.model import Parent, School, Teacher
from ejournal.storage.document import backup_storage, restore_storage
from ejournal.storage.jsonfile import JsonFileStorage, open_storage
from ejournal.storage.memory import MemoryStorage
from ejournal.storage.ports import Capability, Storage
from ejournal.testing.conformance.builders import MSK, sample_school, sample_school_year, sample_teachers, seed

SID = "s-kzn-1"
PHYS = Actor("t-phys", Role.SUBJECT_TEACHER)

Contents = tuple[list[School], dict[str, Any]]


def _contents(storage: Storage) -> Contents:
    """Everything stored, read through the ports (journals with their versions)."""
    out: dict[str, Any] = {}
    with storage.unit_of_work() as uow:
        schools = uow.schools.list()
        for school in schools:
            teachers: list[Teacher] = uow.people.list_teachers(school.id)
            parents: list[Parent] = uow.people.list_parents(school.id)
            journals: list[tuple[ClassJournal, int]] = []
            for jid in uow.journals.list_ids(school.id):
                j = uow.journals.get(school.id, jid)
                journals.append((j, j.version))
            audit: list[Change] = uow.audit.query(school.id)
            out[school.id] = (teachers, parents, journals, audit)
    return schools, out


def _fill(storage: Storage) -> None:
    """The sample school year, then one saved change to journal 10b (which makes its version 2)."""
    seed(storage, sample_school_year())
    with storage.unit_of_work() as uow:
        j = uow.journals.get(SID, "10b-2025")
        j.clock = FixedClock(datetime(2026, 2, 3, 10, 15, 0, 250000, tzinfo=MSK))
        j.record_mark("st-10-1", "l-f1", 5, "oral", by=PHYS, mark_id="m-extra")
        uow.journals.save(j)
        uow.commit()


def _add_teacher(storage: Storage, teacher_id: str) -> None:
    template = next(iter(sample_teachers().values()))
    with storage.unit_of_work() as uow:
        uow.people.add_teacher(SID, Teacher(teacher_id, template.name))
        uow.commit()


def _teacher_ids(storage: Storage) -> list[str]:
    with storage.unit_of_work() as uow:
        return [t.id for t in uow.people.list_teachers(SID)]


def _plain(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


@pytest.fixture(params=["school.json", "school.json.gz"])
def path(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return tmp_path / str(request.param)


# ---------------------------------------------------------------------- opening
def test_urls_name_absolute_and_relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    absolute = open_storage(f"json://{tmp_path / 'a.json'}")
    assert absolute.path == tmp_path / "a.json"
    assert absolute.url == f"json://{tmp_path / 'a.json'}"
    absolute.close()
    monkeypatch.chdir(tmp_path)
    relative = open_storage("JSON://b.json")
    assert relative.path == tmp_path / "b.json"
    relative.close()


@pytest.mark.parametrize(
    ("url", "options", "message"),
    [
        ("memory://x", {}, "json://<path>"),
        ("json://", {}, "expected json://<path"),
        ("json:///tmp/x.json", {"echo": True}, "takes no options"),
    ],
)
def test_bad_urls_and_options_are_invalid_input(url: str, options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        open_storage(url, **options)


def test_capabilities_include_persistence(path: Path) -> None:
    storage = open_storage(f"json://{path}")
    assert storage.capabilities == {Capability.TRANSACTIONS, Capability.CONCURRENCY, Capability.PERSISTENCE}
    storage.close()


def test_a_missing_file_is_an_empty_storage_created_by_the_first_write(path: Path) -> None:
    storage = open_storage(f"json://{path}")
    with storage.unit_of_work() as uow:
        assert uow.schools.list() == []
        uow.commit()  # nothing buffered: no file
    assert not path.exists()
    with storage.unit_of_work() as uow:
        uow.schools.add(sample_school())
        uow.commit()
    assert path.exists()
    storage.close()


def test_a_missing_directory_is_storage_unavailable_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "school.json"
    with pytest.raises(StorageUnavailable, match="no-such-dir"):
        open_storage(f"json://{target}")


def test_a_closed_storage_is_unavailable(path: Path) -> None:
    storage = open_storage(f"json://{path}")
    storage.close()
    storage.close()
    with pytest.raises(StorageUnavailable, match="closed"):
        storage.unit_of_work()


# ---------------------------------------------------------------------- persistence and the file
def test_data_audit_and_versions_survive_close_and_reopen(path: Path) -> None:
    expected = MemoryStorage()
    _fill(expected)
    storage = open_storage(f"json://{path}")
    _fill(storage)
    storage.close()

    reopened = open_storage(f"json://{path}")
    schools, contents = _contents(reopened)
    want_schools, want_contents = _contents(expected)
    assert schools == want_schools == [sample_school()]
    assert contents == want_contents
    versions = {j.id: v for j, v in contents[SID][2]}
    assert versions == {"10b-2025": 2, "9a-2025": 1}  # added once each, 10b saved once
    assert len(contents[SID][3]) == len(sample_school_year().audit) + 1  # plus the saved mark
    reopened.close()


def test_a_reopened_storage_checks_versions_it_read_from_the_file(path: Path) -> None:
    storage = open_storage(f"json://{path}")
    _fill(storage)
    with storage.unit_of_work() as uow:
        stale = uow.journals.get(SID, "10b-2025")
    stale.version = 1  # as loaded before the save of _fill
    storage.close()
    reopened = open_storage(f"json://{path}")
    with reopened.unit_of_work() as uow, pytest.raises(ConcurrentModification):
        uow.journals.save(stale)
    reopened.close()


def test_the_file_is_the_backup_of_the_same_data(path: Path) -> None:
    memory = MemoryStorage()
    _fill(memory)
    expected = backup_storage(memory)
    storage = open_storage(f"json://{path}")
    _fill(storage)
    if path.name.endswith(".gz"):
        assert path.read_bytes() == expected
    else:
        assert path.read_bytes() == gzip.decompress(expected)
        assert json.loads(path.read_text(encoding="utf-8"))["kind"] == "backup"
    assert path.read_bytes() == (backup_storage(storage) if path.name.endswith(".gz") else _plain_backup(storage))
    restored = MemoryStorage()
    restore_storage(restored, path.read_bytes())
    assert _contents(restored)[1][SID][3] == _contents(memory)[1][SID][3]
    storage.close()


def _plain_backup(storage: Storage) -> bytes:
    return gzip.decompress(backup_storage(storage))


def test_a_backup_file_opens_as_a_storage(path: Path) -> None:
    memory = MemoryStorage()
    _fill(memory)
    bundle = backup_storage(memory)
    path.write_bytes(bundle if path.name.endswith(".gz") else gzip.decompress(bundle))
    storage = open_storage(f"json://{path}")
    assert _contents(storage) == _contents(memory)
    storage.close()


def test_an_existing_files_permissions_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "school.json"
    storage = open_storage(f"json://{path}")
    _add_teacher_school(storage)
    path.chmod(0o640)
    _add_teacher(storage, "t-new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    storage.close()


def _add_teacher_school(storage: Storage) -> None:
    with storage.unit_of_work() as uow:
        uow.schools.add(sample_school())
        uow.commit()


# ---------------------------------------------------------------------- damaged files
def test_malformed_json_names_the_file_and_the_place(tmp_path: Path) -> None:
    path = tmp_path / "school.json"
    path.write_text('{"kind": "backup",\n  oops}', encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        open_storage(f"json://{path}")
    assert info.value.where == f"{path}: line 2, column 3"
    assert str(path) in str(info.value)


def test_an_invalid_document_names_the_file_and_the_json_path(tmp_path: Path) -> None:
    path = tmp_path / "school.json"
    memory = MemoryStorage()
    _fill(memory)
    raw = json.loads(gzip.decompress(backup_storage(memory)))
    raw["documents"][0]["journals"][0]["marks"][0]["value"] = 99  # off the five-point scale
    damaged = json.dumps(raw, ensure_ascii=False).encode()
    path.write_bytes(damaged)
    with pytest.raises(InvalidInput) as info:
        open_storage(f"json://{path}")
    assert [p.where for p in info.value.problems] == [f"{path}: $.documents[0].journals[0].marks[0].value"]
    assert info.value.problems[0].value == 99
    assert path.read_bytes() == damaged  # a failed open writes nothing
    path.write_bytes(gzip.decompress(backup_storage(memory)))
    storage = open_storage(f"json://{path}")  # and holds no lock
    storage.close()


# ---------------------------------------------------------------------- failed writes
def test_a_failed_write_fails_the_commit_and_keeps_file_and_state_together(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = open_storage(f"json://{path}")
    _fill(storage)
    before_file = path.read_bytes()
    before_state = _contents(storage)

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as m:
        m.setattr(os, "fsync", disk_full)
        with storage.unit_of_work() as uow:
            j = uow.journals.get(SID, "9a-2025")
            j.record_mark("st-2", "l-m3", 5, "cw", by=Actor("t-math", Role.SUBJECT_TEACHER), mark_id="m-lost")
            uow.journals.save(j)
            uow.people.add_teacher(SID, Teacher("t-lost", sample_teachers()["t-math"].name))
            with pytest.raises(StorageUnavailable) as info:
                uow.commit()
    assert str(path) in str(info.value)
    assert os.strerror(errno.ENOSPC) in str(info.value)
    assert path.read_bytes() == before_file
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, path.name + ".lock"])
    assert _contents(storage) == before_state
    assert _plain(path) == _plain_backup(storage)

    _add_teacher(storage, "t-next")  # the storage goes on working
    storage.close()
    reopened = open_storage(f"json://{path}")
    assert "t-next" in _teacher_ids(reopened)
    assert "t-lost" not in _teacher_ids(reopened)
    with reopened.unit_of_work() as uow:
        assert "m-lost" not in uow.journals.get(SID, "9a-2025").marks
        assert uow.journals.get(SID, "9a-2025").version == 1
    reopened.close()


def test_a_vanished_directory_fails_the_commit_and_leaves_the_state(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    storage = open_storage(f"json://{folder / 'school.json'}")
    _add_teacher_school(storage)
    before = _contents(storage)
    shutil.rmtree(folder)
    with pytest.raises(StorageUnavailable, match=r"school\.json"):
        _add_teacher(storage, "t-lost")
    assert _contents(storage) == before
    storage.close()


def test_a_conflicting_commit_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "school.json"
    storage = open_storage(f"json://{path}")
    _fill(storage)
    before = path.stat().st_mtime_ns, path.read_bytes()
    with storage.unit_of_work() as first, storage.unit_of_work() as second:
        a = first.journals.get(SID, "9a-2025")
        b = second.journals.get(SID, "9a-2025")
        first.journals.save(a)
        second.journals.save(b)
        first.commit()
        after_first = path.read_bytes()
        with pytest.raises(ConcurrentModification):
            second.commit()
    assert after_first != before[1]
    assert path.read_bytes() == after_first
    storage.close()


# ---------------------------------------------------------------------- one storage per file
def test_a_second_storage_on_the_same_file_is_refused_until_the_first_closes(path: Path) -> None:
    first = open_storage(f"json://{path}")
    with pytest.raises(StorageUnavailable) as info:
        open_storage(f"json://{path}")
    text = str(info.value)
    assert str(path) in text
    assert f"{path}.lock" in text
    assert f"process {os.getpid()}" in text
    first.close()
    second = open_storage(f"json://{path}")
    second.close()


def test_another_process_cannot_open_a_held_file(tmp_path: Path) -> None:
    path = tmp_path / "school.json"
    holder = open_storage(f"json://{path}")
    code = (
        "import sys\n"
        "from ejournal.core.errors import StorageUnavailable\n"
        "from ejournal.storage.jsonfile import open_storage\n"
        "try:\n"
        "    open_storage(sys.argv[1]).close()\n"
        "except StorageUnavailable as e:\n"
        "    print(e)\n"
        "    raise SystemExit(3)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, f"json://{path}"], capture_output=True, text=True, check=False)
    assert out.returncode == 3, out.stderr
    assert "in use by another storage" in out.stdout
    holder.close()
    again = subprocess.run([sys.executable, "-c", code, f"json://{path}"], capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_forgotten_storage_releases_its_lock_when_collected(tmp_path: Path) -> None:
    path = tmp_path / "school.json"
    forgotten: JsonFileStorage | None = open_storage(f"json://{path}")
    assert forgotten is not None
    forgotten = None
    gc.collect()
    open_storage(f"json://{path}").close()

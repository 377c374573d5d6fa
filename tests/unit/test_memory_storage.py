"""The memory backend beyond the kit: commit-time conflicts, threads, copies, closing, URLs."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from ejournal.core.errors import ConcurrentModification, InvalidInput, NotFound, StorageUnavailable
from ejournal.core.journal import Actor, FixedClock, Role, SystemClock
from ejournal.core.model import School
from ejournal.storage.memory import MemoryStorage, copy_journal, open_storage
from ejournal.testing.conformance.builders import MSK, sample_journal, sample_school

MATH = Actor("t-math", Role.SUBJECT_TEACHER)


@pytest.fixture
def storage() -> MemoryStorage:
    s = MemoryStorage()
    with s.unit_of_work() as uow:
        uow.schools.add(sample_school())
        uow.journals.add(sample_journal())
        uow.commit()
    return s


def _audit_size(storage: MemoryStorage) -> int:
    with storage.unit_of_work() as uow:
        return len(uow.audit.query("s-kzn-1"))


def test_copy_journal_shares_values_not_containers() -> None:
    j = sample_journal()
    j.version = 7
    c = copy_journal(j)
    assert c == j
    assert c.version == 7
    assert c.pending_changes == []
    assert len(j.pending_changes) > 0
    assert isinstance(c.clock, SystemClock)
    assert c.marks is not j.marks
    assert c.closed_periods is not j.closed_periods
    assert c.marks["m-1"] is j.marks["m-1"]
    c.record_mark("st-1", "l-m3", 5, "test", by=MATH, mark_id="m-copy")
    assert "m-copy" not in j.marks
    assert copy_journal(j, version=2).version == 2


def test_a_loaded_copy_keeps_its_lookup_index_separate() -> None:
    j = sample_journal()
    before = [m.id for m in j.marks_of("st-1", "c-math")]
    c = copy_journal(j)
    c.delete_mark("m-1", by=Actor("adm-1", Role.ADMINISTRATOR), reason="тест")
    assert [m.id for m in c.marks_of("st-1", "c-math")] == [i for i in before if i != "m-1"]
    assert [m.id for m in j.marks_of("st-1", "c-math")] == before


def test_two_uncommitted_saves_of_one_version_the_second_commit_loses_everything(storage: MemoryStorage) -> None:
    size = _audit_size(storage)
    first, second = storage.unit_of_work(), storage.unit_of_work()
    a = first.journals.get("s-kzn-1", "9a-2025")
    b = second.journals.get("s-kzn-1", "9a-2025")
    for j, mark_id in ((a, "m-a"), (b, "m-b")):
        j.clock = FixedClock(datetime(2025, 11, 20, 9, tzinfo=MSK))
        j.record_mark("st-2", "l-m3", 4, "test", by=MATH, mark_id=mark_id)
    first.journals.save(a)
    second.journals.save(b)
    second.schools.add(School("s-other", "Другая"))
    first.commit()
    with pytest.raises(ConcurrentModification) as info:
        second.commit()
    assert (info.value.expected_version, info.value.found_version) == (1, 2)
    with storage.unit_of_work() as uow:
        stored = uow.journals.get("s-kzn-1", "9a-2025")
        assert "m-a" in stored.marks
        assert "m-b" not in stored.marks
        assert [s.id for s in uow.schools.list()] == ["s-kzn-1"]
    assert _audit_size(storage) == size + 1


def test_the_same_new_school_committed_twice_fails_the_second_commit(storage: MemoryStorage) -> None:
    first, second = storage.unit_of_work(), storage.unit_of_work()
    first.schools.add(School("s-new", "Первая версия"))
    second.schools.add(School("s-new", "Вторая версия"))
    first.commit()
    with pytest.raises(InvalidInput, match="s-new"):
        second.commit()
    with storage.unit_of_work() as uow:
        assert uow.schools.get("s-new").name_ru == "Первая версия"


def test_saving_twice_in_one_unit_of_work_counts_two_versions(storage: MemoryStorage) -> None:
    with storage.unit_of_work() as uow:
        j = uow.journals.get("s-kzn-1", "9a-2025")
        uow.journals.save(j)
        uow.journals.save(j)
        assert j.version == 3
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.journals.get("s-kzn-1", "9a-2025").version == 3


def test_concurrent_threads_with_retries_lose_no_mark(storage: MemoryStorage) -> None:
    workers = 6
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for _ in range(100):
                try:
                    with storage.unit_of_work() as uow:
                        j = uow.journals.get("s-kzn-1", "9a-2025")
                        j.clock = FixedClock(datetime(2025, 11, 20, 9, n, tzinfo=MSK))
                        j.record_mark("st-2", "l-m3", 5, "test", by=MATH, mark_id=f"m-thread-{n}")
                        uow.journals.save(j)
                        uow.commit()
                    return
                except ConcurrentModification:
                    continue
            raise AssertionError(f"worker {n} never saved")
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    size = _audit_size(storage)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with storage.unit_of_work() as uow:
        j = uow.journals.get("s-kzn-1", "9a-2025")
    assert {f"m-thread-{n}" for n in range(workers)} <= set(j.marks)
    assert j.version == 1 + workers
    assert _audit_size(storage) == size + workers


def test_adding_to_an_unknown_school_is_not_found() -> None:
    s = MemoryStorage()
    with s.unit_of_work() as uow:
        with pytest.raises(NotFound):
            uow.journals.add(sample_journal())
        with pytest.raises(NotFound):
            uow.audit.append("s-kzn-1", [])


def test_audit_query_refuses_naive_datetimes(storage: MemoryStorage) -> None:
    with storage.unit_of_work() as uow, pytest.raises(InvalidInput, match="timezone-aware"):
        uow.audit.query("s-kzn-1", since=datetime(2025, 9, 1))


def test_a_closed_storage_is_unavailable(storage: MemoryStorage) -> None:
    uow = storage.unit_of_work()
    storage.close()
    storage.close()
    with pytest.raises(StorageUnavailable):
        storage.unit_of_work()
    with pytest.raises(StorageUnavailable):
        uow.schools.list()
    with pytest.raises(StorageUnavailable):
        uow.commit()


def test_open_storage_checks_the_url_and_options() -> None:
    s = open_storage("memory://tests")
    assert s.url == "memory://tests"
    assert s.capabilities == frozenset({"transactions", "concurrency"})
    assert "persistence" not in s.capabilities
    with pytest.raises(InvalidInput):
        open_storage("sqlite:///x.db")
    with pytest.raises(InvalidInput, match="no options"):
        open_storage("memory://", echo=True)
    with open_storage().unit_of_work() as uow:
        assert uow.schools.list() == []

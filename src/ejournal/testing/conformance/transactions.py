"""Scenarios for units of work: commit, rollback, isolation and optimistic concurrency."""

from __future__ import annotations

from datetime import datetime

import pytest

from ejournal.core.errors import ConcurrentModification, InvalidInput, NotFound
from ejournal.core.journal import Actor, FixedClock, Mark, Role
from ejournal.core.model import PersonName, School, Teacher
from ejournal.storage.ports import Capability, Storage, UnitOfWork
from ejournal.testing.conformance._base import ContractBase, requires
from ejournal.testing.conformance.builders import MSK, sample_journal, sample_school

__all__ = ["ConcurrencyContract", "UnitOfWorkContract"]

_MATH = Actor("t-math", Role.SUBJECT_TEACHER)


class _Boom(Exception):
    pass


def _write_everything(uow: UnitOfWork) -> None:
    """Writes through every repository of ``uow`` (school s-new, its teacher, a journal change)."""
    uow.schools.add(School("s-new", "Новая школа"))
    uow.people.add_teacher("s-new", Teacher("t-new", PersonName("Новикова", "Әлфия")))
    uow.schools.update(School("s-kzn-1", "Переименованная школа"))
    j = uow.journals.get("s-kzn-1", "9a-2025")
    j.clock = FixedClock(datetime(2026, 5, 25, 10, tzinfo=MSK))
    j.record_mark("st-2", "l-m3", 2, "test", by=_MATH, mark_id="m-rolled-back")
    uow.journals.save(j)


def _assert_untouched(storage: Storage, audit_size: int) -> None:
    with storage.unit_of_work() as uow:
        assert uow.schools.list() == [sample_school()]
        with pytest.raises(NotFound):
            uow.schools.get("s-new")
        j = uow.journals.get("s-kzn-1", "9a-2025")
        assert "m-rolled-back" not in j.marks
        assert j.version == 1
        assert len(uow.audit.query("s-kzn-1")) == audit_size


def _seed_journal(storage: Storage) -> int:
    journal = sample_journal()
    size = len(journal.pending_changes)
    with storage.unit_of_work() as uow:
        uow.schools.add(sample_school())
        uow.journals.add(journal)
        uow.commit()
    return size


class UnitOfWorkContract(ContractBase):
    """A unit of work is one transaction: commit makes it durable, anything else discards it."""

    def test_storage_and_unit_of_work_satisfy_the_ports(self, storage: Storage) -> None:
        assert isinstance(storage, Storage)
        assert isinstance(storage.url, str)
        assert storage.url
        assert isinstance(storage.capabilities, frozenset)
        assert all(isinstance(c, str) for c in storage.capabilities)
        with storage.unit_of_work() as uow:
            assert isinstance(uow, UnitOfWork)

    def test_committed_work_is_seen_by_later_units_of_work(self, storage: Storage) -> None:
        size = _seed_journal(storage)
        with storage.unit_of_work() as uow:
            _write_everything(uow)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.schools.get("s-new") == School("s-new", "Новая школа")
            assert [t.id for t in uow.people.list_teachers("s-new")] == ["t-new"]
            assert uow.schools.get("s-kzn-1").name_ru == "Переименованная школа"
            j = uow.journals.get("s-kzn-1", "9a-2025")
            assert j.marks["m-rolled-back"].value == 2
            assert j.version == 2
            assert len(uow.audit.query("s-kzn-1")) == size + 1

    def test_a_unit_of_work_reads_its_own_writes(self, storage: Storage) -> None:
        _seed_journal(storage)
        with storage.unit_of_work() as uow:
            _write_everything(uow)
            assert uow.schools.get("s-new").name_ru == "Новая школа"
            assert uow.people.get_teacher("s-new", "t-new").name.given == "Әлфия"
            assert "m-rolled-back" in uow.journals.get("s-kzn-1", "9a-2025").marks
            assert uow.journals.list_ids("s-kzn-1") == ["9a-2025"]
            uow.commit()

    def test_work_goes_on_after_a_commit(self, storage: Storage) -> None:
        with storage.unit_of_work() as uow:
            uow.schools.add(School("s-1", "Первая"))
            uow.commit()
            uow.schools.add(School("s-2", "Вторая"))
            uow.commit()
        with storage.unit_of_work() as uow:
            assert [s.id for s in uow.schools.list()] == ["s-1", "s-2"]

    @requires(Capability.TRANSACTIONS)
    def test_leaving_without_commit_discards_everything(self, storage: Storage) -> None:
        size = _seed_journal(storage)
        with storage.unit_of_work() as uow:
            _write_everything(uow)
        _assert_untouched(storage, size)

    @requires(Capability.TRANSACTIONS)
    def test_an_exception_inside_the_block_discards_everything_and_propagates(self, storage: Storage) -> None:
        size = _seed_journal(storage)

        def fail_inside() -> None:
            with storage.unit_of_work() as uow:
                _write_everything(uow)
                raise _Boom

        with pytest.raises(_Boom):
            fail_inside()
        _assert_untouched(storage, size)

    @requires(Capability.TRANSACTIONS)
    def test_a_failing_call_midway_leaves_nothing_behind(self, storage: Storage) -> None:
        size = _seed_journal(storage)

        def add_twice() -> None:
            with storage.unit_of_work() as uow:
                _write_everything(uow)
                uow.journals.add(sample_journal())
                uow.commit()

        with pytest.raises(InvalidInput):
            add_twice()
        _assert_untouched(storage, size)

    @requires(Capability.TRANSACTIONS)
    def test_rollback_discards_only_what_came_after_the_last_commit(self, storage: Storage) -> None:
        with storage.unit_of_work() as uow:
            uow.schools.add(School("s-1", "Первая"))
            uow.commit()
            uow.schools.add(School("s-2", "Вторая"))
            uow.rollback()
            with pytest.raises(NotFound):
                uow.schools.get("s-2")
            uow.schools.add(School("s-3", "Третья"))
            uow.commit()
        with storage.unit_of_work() as uow:
            assert [s.id for s in uow.schools.list()] == ["s-1", "s-3"]


class ConcurrencyContract(ContractBase):
    """Isolation between units of work and optimistic journal versions."""

    def test_saving_a_stale_journal_raises_and_writes_nothing(self, storage: Storage) -> None:
        size = _seed_journal(storage)
        with storage.unit_of_work() as uow:
            stale = uow.journals.get("s-kzn-1", "9a-2025")
        with storage.unit_of_work() as uow:
            fresh = uow.journals.get("s-kzn-1", "9a-2025")
            fresh.clock = FixedClock(datetime(2026, 5, 25, 10, tzinfo=MSK))
            fresh.record_mark("st-1", "l-m3", 5, "test", by=_MATH, mark_id="m-first")
            uow.journals.save(fresh)
            uow.commit()
        stale.clock = FixedClock(datetime(2026, 5, 25, 11, tzinfo=MSK))
        stale.record_mark("st-1", "l-m3", 2, "test", by=_MATH, mark_id="m-second")
        with storage.unit_of_work() as uow:
            with pytest.raises(ConcurrentModification):
                uow.journals.save(stale)
            uow.commit()
        assert stale.version == 1
        assert len(stale.pending_changes) == 1
        with storage.unit_of_work() as uow:
            stored = uow.journals.get("s-kzn-1", "9a-2025")
            log = uow.audit.query("s-kzn-1")
        assert stored.version == 2
        assert "m-first" in stored.marks
        assert "m-second" not in stored.marks
        assert len(log) == size + 1
        assert not any(isinstance(c.after, Mark) and c.after.id == "m-second" for c in log)

    @requires(Capability.CONCURRENCY)
    def test_first_save_wins_between_open_units_of_work(self, storage: Storage) -> None:
        size = _seed_journal(storage)
        with storage.unit_of_work() as second:
            late = second.journals.get("s-kzn-1", "9a-2025")
            with storage.unit_of_work() as first:
                early = first.journals.get("s-kzn-1", "9a-2025")
                assert early.version == late.version == 1
                early.clock = FixedClock(datetime(2026, 5, 25, 10, tzinfo=MSK))
                early.record_mark("st-1", "l-m3", 5, "test", by=_MATH, mark_id="m-first")
                first.journals.save(early)
                first.commit()
            late.clock = FixedClock(datetime(2026, 5, 25, 11, tzinfo=MSK))
            late.record_mark("st-1", "l-m3", 2, "test", by=_MATH, mark_id="m-second")
            with pytest.raises(ConcurrentModification):
                second.journals.save(late)
            second.commit()
        assert late.version == 1
        with storage.unit_of_work() as uow:
            stored = uow.journals.get("s-kzn-1", "9a-2025")
            log = uow.audit.query("s-kzn-1")
        assert stored.version == 2
        assert "m-first" in stored.marks
        assert "m-second" not in stored.marks
        assert len(log) == size + 1
        assert isinstance(log[-1].after, Mark)
        assert log[-1].after.id == "m-first"

    @requires(Capability.CONCURRENCY)
    def test_after_a_conflict_a_reloaded_journal_saves(self, storage: Storage) -> None:
        _seed_journal(storage)
        with storage.unit_of_work() as uow:
            stale = uow.journals.get("s-kzn-1", "9a-2025")
        with storage.unit_of_work() as uow:
            j = uow.journals.get("s-kzn-1", "9a-2025")
            j.clock = FixedClock(datetime(2026, 5, 25, 10, tzinfo=MSK))
            j.record_mark("st-1", "l-m3", 5, "test", by=_MATH, mark_id="m-first")
            uow.journals.save(j)
            uow.commit()
        with storage.unit_of_work() as uow:
            with pytest.raises(ConcurrentModification):
                uow.journals.save(stale)
            uow.rollback()
            retry = uow.journals.get("s-kzn-1", "9a-2025")
            retry.clock = FixedClock(datetime(2026, 5, 25, 12, tzinfo=MSK))
            retry.record_mark("st-1", "l-m3", 4, "test", by=_MATH, mark_id="m-retry")
            uow.journals.save(retry)
            uow.commit()
        with storage.unit_of_work() as uow:
            stored = uow.journals.get("s-kzn-1", "9a-2025")
        assert stored.version == 3
        assert {"m-first", "m-retry"} <= set(stored.marks)

    @requires(Capability.CONCURRENCY, Capability.TRANSACTIONS)
    def test_uncommitted_writes_are_invisible_to_another_unit_of_work(self, storage: Storage) -> None:
        size = _seed_journal(storage)
        with storage.unit_of_work() as writer:
            _write_everything(writer)
            with storage.unit_of_work() as reader:
                with pytest.raises(NotFound):
                    reader.schools.get("s-new")
                assert [s.id for s in reader.schools.list()] == ["s-kzn-1"]
                assert reader.schools.get("s-kzn-1") == sample_school()
                assert reader.people.list_teachers("s-new") == []
                j = reader.journals.get("s-kzn-1", "9a-2025")
                assert "m-rolled-back" not in j.marks
                assert j.version == 1
                assert len(reader.audit.query("s-kzn-1")) == size
            writer.commit()
        with storage.unit_of_work() as later:
            assert later.schools.get("s-new").name_ru == "Новая школа"
            assert later.journals.get("s-kzn-1", "9a-2025").version == 2

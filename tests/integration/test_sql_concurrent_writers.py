"""Two writers on one school: saves of different journals never refuse each other.

Each test opens two :class:`SqlStorage` objects on the same URL (two real connections) and
interleaves their units of work: both load, then one saves and commits while the other's
transaction (and, on PostgreSQL, its snapshot) is still open, then the other saves.  Runs on
SQLite always and on PostgreSQL/MariaDB when their URLs are set (see conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import attrs
import pytest

from ejournal.core.errors import ConcurrentModification
from ejournal.core.journal import Actor, ClassJournal, FixedClock, Role
from ejournal.storage.sql import SqlStorage, open_storage
from ejournal.testing.conformance.builders import MSK, sample_journal, sample_school

TEACHER = Actor("t-math", Role.SUBJECT_TEACHER)
SCHOOL = "s-kzn-1"
NINE_A, TEN_B = "9a-2025", "10b-2025"
ROUNDS = 60
# Every change of the test carries the same moment, so only the append order can order them.
SAME_MOMENT = datetime(2026, 5, 25, 10, 0, tzinfo=MSK)


@pytest.fixture
def two_storages(db_url: str) -> Iterator[tuple[SqlStorage, SqlStorage]]:
    """Two storages on one database holding a school with journals 9А and 10Б."""
    first = open_storage(db_url, auto_upgrade=False)
    second = open_storage(db_url, auto_upgrade=False)
    try:
        with first.unit_of_work() as uow:
            school = sample_school(SCHOOL)
            uow.schools.add(school)
            uow.journals.add(sample_journal(school, journal_id=NINE_A))
            uow.journals.add(sample_journal(school, journal_id=TEN_B))
            uow.commit()
        yield first, second
    finally:
        first.close()
        second.close()


def _mark(journal: ClassJournal, mark_id: str) -> None:
    journal.clock = FixedClock(SAME_MOMENT)
    journal.record_mark("st-1", "l-m3", 4, "test", by=TEACHER, mark_id=mark_id)


def test_saves_of_different_journals_of_one_school_never_refuse_each_other(
    two_storages: tuple[SqlStorage, SqlStorage],
) -> None:
    first, second = two_storages
    refusals: list[str] = []
    appended: list[str] = []
    for i in range(ROUNDS):
        with first.unit_of_work() as a, second.unit_of_work() as b:
            ja = a.journals.get(SCHOOL, NINE_A)
            jb = b.journals.get(SCHOOL, TEN_B)
            _mark(ja, f"m-9a-{i}")
            _mark(jb, f"m-10b-{i}")
            # Alternate who goes first; the second saves after the first committed, from a
            # transaction that was open (and had read) before that commit.
            order = [(a, ja), (b, jb)] if i % 2 == 0 else [(b, jb), (a, ja)]
            for uow, journal in order:
                mark_id = next(iter(journal.pending_changes)).after.id  # type: ignore[union-attr]
                try:
                    uow.journals.save(journal)
                    uow.commit()
                    appended.append(mark_id)
                except ConcurrentModification as e:
                    refusals.append(str(e))
                    uow.rollback()
    assert refusals == [], f"{len(refusals)}/{2 * ROUNDS} saves refused"
    with first.unit_of_work() as uow:
        versions = {jid: uow.journals.get(SCHOOL, jid).version for jid in (NINE_A, TEN_B)}
        log = uow.audit.query(SCHOOL, since=SAME_MOMENT, until=SAME_MOMENT)
    assert versions == {NINE_A: ROUNDS + 1, TEN_B: ROUNDS + 1}
    # One school-wide order: every entry, in the order the saves committed them.
    assert [ch.after.id for ch in log] == appended  # type: ignore[union-attr]
    assert [ch.journal_id for ch in log] == [NINE_A if m.startswith("m-9a") else TEN_B for m in appended]


def test_a_stale_save_of_the_same_journal_is_refused_naming_the_journal_and_versions(
    two_storages: tuple[SqlStorage, SqlStorage],
) -> None:
    first, second = two_storages
    with first.unit_of_work() as a, second.unit_of_work() as b:
        ja = a.journals.get(SCHOOL, NINE_A)
        jb = b.journals.get(SCHOOL, NINE_A)
        _mark(ja, "m-first")
        _mark(jb, "m-stale")
        a.journals.save(ja)
        a.commit()
        with pytest.raises(ConcurrentModification) as refused:
            b.journals.save(jb)
        b.rollback()
    error = refused.value
    assert (error.expected_version, error.found_version) == (1, 2)
    assert f"journal {NINE_A} of school {SCHOOL}" in str(error)
    assert "expected version 1, found 2" in str(error)
    assert "None" not in str(error)
    assert jb.version == 1  # the refused save changed nothing
    assert jb.pending_changes
    with first.unit_of_work() as uow:
        stored = uow.journals.get(SCHOOL, NINE_A)
        log = uow.audit.query(SCHOOL, since=SAME_MOMENT, until=SAME_MOMENT)
    assert stored.version == 2
    assert "m-first" in stored.marks
    assert "m-stale" not in stored.marks
    assert [ch.after.id for ch in log] == ["m-first"]  # type: ignore[union-attr]


def test_a_large_append_gets_increasing_numbers_in_order(two_storages: tuple[SqlStorage, SqlStorage]) -> None:
    # More entries than one MariaDB statement draws (1000), so the numbers come in several chunks.
    first, _ = two_storages
    changes = sample_journal(sample_school(SCHOOL), journal_id="11v-2025").take_pending_changes()
    many = [attrs.evolve(changes[i % len(changes)], at=SAME_MOMENT, reason=f"r{i}") for i in range(2500)]
    with first.unit_of_work() as uow:
        uow.audit.append(SCHOOL, many)
        uow.commit()
    with first.unit_of_work() as uow:
        log = uow.audit.query(SCHOOL, since=SAME_MOMENT, until=SAME_MOMENT)
    assert [ch.reason for ch in log] == [f"r{i}" for i in range(2500)]

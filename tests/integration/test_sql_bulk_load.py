"""The fast load path of the SQL backend: column-wise object building, the paused collector,
journals cut across partitions, and what the loaded objects share (SQLite)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sql_journals import SCHOOL, YEAR, build_journal

from ejournal.core.errors import InvalidInput
from ejournal.core.journal import AttendanceRecord, Mark, ResultKey, ResultKind, ResultMark
from ejournal.core.model import Lesson
from ejournal.core.scales import Status
from ejournal.storage.sql import SqlStorage, open_storage
from ejournal.storage.sql import journal_io as jio
from ejournal.storage.sql.convert import BulkBuilder, MomentParser
from ejournal.storage.sql.journal_io import gc_paused

ids = st.text(min_size=1, max_size=12)
values = st.one_of(st.integers(0, 12), st.sampled_from(list(Status)))
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(timezone(timedelta(hours=3)))
)
mark_rows = st.tuples(ids, ids, ids, values, ids, moments, ids, st.text(max_size=5))


def _columns(rows: list[tuple[object, ...]], width: int) -> list[list[object]]:
    return [[r[i] for r in rows] for i in range(width)]


# ------------------------------------------------------------------------------ BulkBuilder
@given(st.lists(mark_rows, max_size=20))
def test_built_marks_are_the_marks_the_constructor_builds(rows: list[tuple[object, ...]]) -> None:
    build = BulkBuilder(Mark)
    built = build(*_columns(rows, 8))
    expected = [Mark(*r) for r in rows]  # type: ignore[arg-type]
    assert built == expected
    assert [repr(m) for m in built] == [repr(m) for m in expected]
    assert [hash(m) for m in built] == [hash(m) for m in expected]
    assert all(type(m) is Mark for m in built)


def test_the_journal_records_are_built_directly_and_stay_frozen() -> None:
    at = datetime(2025, 10, 1, 9, 30, tzinfo=UTC)
    cases: list[tuple[type, tuple[object, ...]]] = [
        (Mark, ("m1", "st1", "l1", 5, "cw", at, "t1", "")),
        (AttendanceRecord, ("st1", "l1", "н", at, "t1")),
        (ResultMark, ("st1", "c1", ResultKind.PERIOD, Status.EXEMPT, at, "t1", "q1", "по справке", None)),
        (ResultMark, ("st1", "c1", ResultKind.EXAM, 4, at, "t1", "", "", 27)),
        (ResultKey, ("st1", "c1", ResultKind.ANNUAL, "")),
    ]
    for cls, row in cases:
        build: BulkBuilder[Any] = BulkBuilder(cls)
        assert build.direct, cls
        (obj,) = build(*([v] for v in row))
        assert obj == cls(*row)
        assert attrs.astuple(obj, recurse=False) == row
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            obj.student_id = "other"


def test_a_class_that_checks_its_values_is_called_so_its_checks_run() -> None:
    build = BulkBuilder(Lesson)  # its __attrs_post_init__ refuses empty ids
    assert not build.direct
    day = date(2025, 9, 2)
    assert build(["l1"], ["c1"], [day], ["Дроби"], [""], [2]) == [Lesson("l1", "c1", day, "Дроби", "", 2)]
    with pytest.raises(InvalidInput, match=r"lesson\.id"):
        build([" "], ["c1"], [day], [""], [""], [1])


@attrs.frozen
class _Plain:
    a: int
    b: str


@attrs.frozen
class _Validated:
    a: int = attrs.field(validator=attrs.validators.instance_of(int))


@attrs.frozen
class _Converted:
    a: int = attrs.field(converter=int)


@attrs.frozen
class _PostInit:
    a: int

    def __attrs_post_init__(self) -> None:
        if self.a < 0:
            raise ValueError("negative")


@attrs.frozen(slots=False)
class _WithDict:
    a: int


@attrs.frozen(cache_hash=True)
class _CachedHash:
    a: int


def test_only_classes_whose_init_just_stores_are_built_directly() -> None:
    assert BulkBuilder(_Plain).direct
    assert BulkBuilder(_Plain)([1, 2], ["x", "y"]) == [_Plain(1, "x"), _Plain(2, "y")]
    for cls in (_Validated, _Converted, _PostInit, _WithDict, _CachedHash):
        assert not BulkBuilder(cls).direct, cls
    with pytest.raises(TypeError):
        BulkBuilder(_Validated)(["1"])
    assert BulkBuilder(_Converted)(["7"]) == [_Converted(7)]
    with pytest.raises(ValueError, match="negative"):
        BulkBuilder(_PostInit)([-1])
    assert BulkBuilder(_CachedHash)([3]) == [_CachedHash(3)]


def test_columns_must_match() -> None:
    with pytest.raises(ValueError, match="different lengths"):
        BulkBuilder(_Plain)([1, 2], ["x"])
    with pytest.raises(ValueError, match="2 columns expected"):
        BulkBuilder(_Plain)([1])
    assert BulkBuilder(_Plain)([], []) == []


# ------------------------------------------------------------------------------ small helpers
def test_moment_parser_reuses_moments_and_refuses_junk() -> None:
    parse = MomentParser()
    first = parse("2025-10-01T08:30:00.123456+03:00")
    assert first == datetime(2025, 10, 1, 8, 30, 0, 123456, tzinfo=timezone(timedelta(hours=3)))
    assert parse("2025-10-01T08:30:00.123456+03:00") is first
    with pytest.raises(InvalidInput, match="not an ISO-8601"):
        parse("1 октября")


def test_stored_values_decode_or_say_what_is_wrong() -> None:
    assert jio._values([5, None, 0], [None, "н/а", None], "ej_marks") == [5, Status.NOT_CERTIFIED, 0]
    with pytest.raises(InvalidInput, match="neither a grade nor a known status") as e:
        jio._values([4, None], [None, "??"], "ej_marks")
    assert e.value.value == "??"
    with pytest.raises(InvalidInput, match="unknown code") as e2:
        jio._decoded({"period": ResultKind.PERIOD}, ["period", "yearly"], "ej_results.kind")
    assert e2.value.value == "yearly"


def test_gc_paused_nests_and_restores_the_collector() -> None:
    was = gc.isenabled()
    gc.enable()
    try:
        with gc_paused():
            assert not gc.isenabled()
            with gc_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled()
        with pytest.raises(RuntimeError), gc_paused():
            raise RuntimeError("boom")
        assert gc.isenabled()
        gc.disable()
        with gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: left off
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


# ------------------------------------------------------------------------------ loads
@pytest.fixture
def storage(tmp_path: Path) -> Iterator[SqlStorage]:
    s = open_storage(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with s.unit_of_work() as uow:
        uow.schools.add(SCHOOL)
        uow.commit()
    yield s
    s.close()


@pytest.mark.parametrize("full_check", [False, True])
def test_journals_cut_across_partitions_load_exactly(
    storage: SqlStorage, monkeypatch: pytest.MonkeyPatch, full_check: bool
) -> None:
    journals = [build_journal("9a", 3, 4, seed=1), build_journal("9b", 5, 3, seed=2), build_journal("9c", 1, 2, seed=3)]
    with storage.unit_of_work() as uow:
        for j in journals:
            uow.journals.add(j)
        uow.commit()
    monkeypatch.setattr(jio, "PARTITION_ROWS", 7)  # every big table comes in many partitions
    storage.full_check_on_load = full_check
    gc_was = gc.isenabled()
    with storage.unit_of_work() as uow:
        loaded = uow.journals.list(SCHOOL.id, YEAR)
        one = uow.journals.get(SCHOOL.id, "9b")
    assert gc.isenabled() == gc_was
    assert [j.id for j in loaded] == ["9a", "9b", "9c"]
    assert loaded == journals
    assert one == journals[1]
    lesson = next(iter(one.lessons.values()))
    assert type(lesson.date) is date  # SQLAlchemy's own converter, applied to the raw column
    assert sum(len(j.marks) for j in loaded) == 3 * 4 * 3 + 5 * 3 * 3 + 1 * 2 * 3


def test_loaded_records_share_their_repeated_ids(storage: SqlStorage) -> None:
    journal = build_journal("9a", 2, 3)
    with storage.unit_of_work() as uow:
        uow.journals.add(journal)
        uow.commit()
    with storage.unit_of_work() as uow:
        j = uow.journals.get(SCHOOL.id, "9a")
    marks = [m for m in j.marks.values() if m.student_id == "st1"]
    assert len(marks) == 9
    assert len({id(m.student_id) for m in marks}) == 1
    assert len({id(m.entered_by) for m in marks}) == 1
    for m in marks:
        assert m.lesson_id is j.lessons[m.lesson_id].id


class _Node:
    """A tracked object that can hold a reference cycle."""

    def __init__(self) -> None:
        self.other: object = None


def test_gc_paused_moves_the_new_objects_to_the_oldest_generation_and_still_collects_cycles() -> None:
    was = gc.isenabled()
    gc.enable()
    try:
        with gc_paused():
            kept = _Node()
            cycle = _Node()
            cycle.other = cycle
            probe = weakref.ref(cycle)
            del cycle
        assert any(o is kept for o in gc.get_objects(generation=2))
        assert not any(o is kept for o in gc.get_objects(generation=0))
        assert probe() is not None  # a cycle is left to the collector...
        gc.collect()
        assert probe() is None  # ...which still frees it
    finally:
        if not was:
            gc.disable()


def test_gc_paused_leaves_objects_the_program_froze_frozen() -> None:
    was = gc.isenabled()
    gc.enable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with gc_paused():
            _Node()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
        if not was:
            gc.disable()

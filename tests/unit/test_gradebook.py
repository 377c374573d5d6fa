"""The gradebook: each cell computed once, explanations built when read; the service's versioned cache."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from ejournal.core import Actor, ClassJournal, FixedClock, InvalidInput, NotFound, Period, Role
from ejournal.core.diary import period_report
from ejournal.core.grading import builtin_policy, propose_period_mark, propose_period_marks
from ejournal.core.grading import gradebook as gradebook_module
from ejournal.core.grading.gradebook import Gradebook
from ejournal.core.journal import ResultKey, ResultKind
from ejournal.core.validation import validate
from ejournal.demo import generate_class_journal
from ejournal.service import JournalService
from ejournal.storage.memory import MemoryStorage, copy_journal
from ejournal.storage.ports import Storage

FEDERAL = builtin_policy("federal")
BASE = generate_class_journal(grade=7, students=5, seed=3, with_results=False)
SCHOOL = BASE.school.id
JID = BASE.id
ADMIN = Actor("director", Role.ADMINISTRATOR, SCHOOL)
MARK = min(BASE.marks.values(), key=lambda m: m.id)
LESSON = BASE.lessons[MARK.lesson_id]
_IN = BASE.scheme_of(LESSON.course_id).period_of(LESSON.date)
assert _IN is not None
PERIOD: Period = _IN
OTHER_STUDENT = next(s for s in sorted(BASE.students) if s != MARK.student_id)
OTHER_COURSE = next(c for c in sorted(BASE.courses) if c != LESSON.course_id)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Count the engine's period computations made by the gradebook: one entry (``explain``) per call."""
    calls: list[bool] = []
    real = gradebook_module._period  # type: ignore[attr-defined]

    def counted(*args: Any) -> Any:
        calls.append(args[6])
        return real(*args)

    monkeypatch.setattr(gradebook_module, "_period", counted)
    return calls


# ---------------------------------------------------------------------- the gradebook


def test_each_period_cell_is_computed_once_and_explained_only_when_read(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    book = Gradebook.of(BASE, FEDERAL)
    assert calls == []  # the indices only
    cells = book.period_marks()
    assert len(cells) == len(BASE.students) * sum(len(BASE.scheme_of(c).periods) for c in BASE.courses)
    assert calls == [False] * len(cells)  # values only, no explanation built
    assert book.computed_cells == len(cells)
    again = book.period_marks()
    assert all(again[k] is cells[k] for k in cells)
    cell = book.period(MARK.student_id, LESSON.course_id, PERIOD.id)
    assert cell is cells[ResultKey(MARK.student_id, LESSON.course_id, ResultKind.PERIOD, PERIOD.id)]
    assert not cell.explained
    first = cell.explanation
    assert cell.explained
    assert cell.explanation is first
    assert calls.count(True) == 1
    assert len(calls) == len(cells) + 1


def test_annual_and_final_cells_are_memoised() -> None:
    book = Gradebook.of(BASE, FEDERAL)
    a = book.annual(MARK.student_id, LESSON.course_id)
    assert book.annual(MARK.student_id, LESSON.course_id) is a
    f = book.final(MARK.student_id, LESSON.course_id)
    assert book.final(MARK.student_id, LESSON.course_id, ()) is f
    assert book.computed_cells == 2
    assert book.exam(MARK.student_id, LESSON.course_id) is None


def test_the_gradebook_mark_is_the_engines_weighted_mean_rounded_once() -> None:
    cell = Gradebook.of(BASE, FEDERAL).period(MARK.student_id, LESSON.course_id, PERIOD.id)
    marks = BASE.marks_of(MARK.student_id, LESSON.course_id, PERIOD)
    weights = [BASE.work_types[m.work_type_id].weight for m in marks if isinstance(m.value, int)]
    values = [m.value for m in marks if isinstance(m.value, int)]
    expected = sum((w * v for w, v in zip(weights, values, strict=True)), Fraction(0)) / sum(weights, Fraction(0))
    assert cell.mean == expected
    assert cell.value == propose_period_mark(BASE, MARK.student_id, LESSON.course_id, PERIOD.id, FEDERAL).value


def test_unknown_cells_raise_not_found_like_the_engine() -> None:
    book = Gradebook.of(BASE, FEDERAL)
    for args in (("nobody", LESSON.course_id, PERIOD.id), (MARK.student_id, "nothing", PERIOD.id)):
        with pytest.raises(NotFound):
            book.period(*args)
    with pytest.raises(NotFound):
        book.period(MARK.student_id, LESSON.course_id, "no-period")
    with pytest.raises(NotFound):
        book.annual("nobody", LESSON.course_id)


def test_a_policy_that_is_not_a_policy_is_refused() -> None:
    with pytest.raises(InvalidInput) as e:
        Gradebook.of(BASE, "federal")  # type: ignore[arg-type]
    assert e.value.where == "policy"


def test_validation_and_the_diary_refuse_another_journals_gradebook() -> None:
    other = copy_journal(BASE)
    book = Gradebook.of(other, FEDERAL)
    with pytest.raises(InvalidInput) as e:
        validate(BASE, FEDERAL, as_of=date(2026, 5, 1), gradebook=book)
    assert e.value.where == "gradebook"
    with pytest.raises(InvalidInput):
        period_report(BASE, MARK.student_id, PERIOD.id, FEDERAL, gradebook=book)
    with pytest.raises(InvalidInput):
        validate(other, builtin_policy("strict"), as_of=date(2026, 5, 1), gradebook=book)


def test_validation_with_a_gradebook_finds_what_it_finds_without() -> None:
    journal = generate_class_journal(grade=7, students=5, seed=3, with_results=True)
    as_of = date(2026, 6, 30)
    book = Gradebook.of(journal, FEDERAL)
    assert validate(journal, FEDERAL, as_of=as_of, gradebook=book) == validate(journal, FEDERAL, as_of=as_of)
    assert book.computed_cells > 0


def test_propose_period_marks_reads_the_gradebook() -> None:
    batch = propose_period_marks(BASE, FEDERAL, explain=True)
    key = next(k for k in batch if k.student_id == MARK.student_id and k.period_id == PERIOD.id)
    assert batch[key] == propose_period_mark(BASE, key.student_id, key.course_id, key.period_id, FEDERAL)


# ---------------------------------------------------------------------- the service's cache


def _storage(storage: Any = None) -> Any:
    storage = storage if storage is not None else MemoryStorage()
    journal = copy_journal(BASE)
    with storage.unit_of_work() as uow:
        uow.schools.add(journal.school)
        for teacher in journal.teachers.values():
            uow.people.add_teacher(SCHOOL, teacher)
        uow.journals.add(journal)
        uow.commit()
    return storage


def _service(storage: Any, **kwargs: Any) -> JournalService:
    clock = FixedClock(datetime.combine(LESSON.date + timedelta(days=1), datetime.min.time(), UTC))
    return JournalService(storage, FEDERAL, clock=clock, **kwargs)


def _propose(service: JournalService) -> object:
    return service.proposed_period_mark(ADMIN, SCHOOL, JID, MARK.student_id, LESSON.course_id, PERIOD.id)


def _loads(storage: Storage) -> Callable[[], int]:
    """Wrap the memory repository's ``get`` to count full journal loads."""
    counter = {"n": 0}
    real_uow = storage.unit_of_work

    def unit_of_work() -> Any:
        uow = real_uow()
        real_get = uow.journals.get

        def get(school_id: str, journal_id: str) -> ClassJournal:
            counter["n"] += 1
            return real_get(school_id, journal_id)

        uow.journals.get = get  # type: ignore[method-assign]
        return uow

    storage.unit_of_work = unit_of_work  # type: ignore[method-assign]
    return lambda: counter["n"]


def test_reads_reuse_the_journal_and_its_gradebook_while_the_version_holds() -> None:
    storage = _storage()
    loads = _loads(storage)
    service = _service(storage)
    first = _propose(service)
    assert loads() == 1
    assert _propose(service) == first
    service.validate(ADMIN, SCHOOL, JID, as_of=date(2026, 5, 1))
    service.period_report(ADMIN, SCHOOL, JID, MARK.student_id, PERIOD.id)
    assert loads() == 1
    assert service.cache.hits >= 3


def test_a_change_through_the_service_is_seen_and_recomputes_only_its_cells() -> None:
    storage = _storage()
    service = _service(storage)
    before = _propose(service)
    journal = service.journal(ADMIN, SCHOOL, JID)
    book = service._gradebook(service._read(ADMIN, SCHOOL, JID))
    other = book.period(OTHER_STUDENT, OTHER_COURSE, book.journal.scheme_of(OTHER_COURSE).periods[0].id)
    mine = book.period(MARK.student_id, LESSON.course_id, PERIOD.id)
    for _ in range(3):
        service.record_mark(ADMIN, SCHOOL, JID, MARK.student_id, LESSON.id, 2, MARK.work_type_id, reason="test")
    after = _propose(service)
    current = service._read(ADMIN, SCHOOL, JID)
    assert current.version == journal.version + 3
    assert after == propose_period_mark(current, MARK.student_id, LESSON.course_id, PERIOD.id, FEDERAL)
    assert after != before
    updated = service._gradebook(current)
    assert updated is not book
    assert updated.period(OTHER_STUDENT, OTHER_COURSE, other_period_id(current)) is other  # kept
    assert updated.period(MARK.student_id, LESSON.course_id, PERIOD.id) is not mine  # recomputed


def other_period_id(journal: ClassJournal) -> str:
    return journal.scheme_of(OTHER_COURSE).periods[0].id


def test_a_change_through_a_second_service_over_the_same_storage_is_seen(tmp_path: Path) -> None:
    from ejournal.storage.sql import open_storage

    url = f"sqlite:///{tmp_path / 'school.db'}"
    storage = _storage(open_storage(url))
    reader = _service(storage)
    writer = _service(open_storage(url))  # another process would open its own engine like this
    before = _propose(reader)
    for _ in range(3):
        writer.record_mark(ADMIN, SCHOOL, JID, MARK.student_id, LESSON.id, 2, MARK.work_type_id, reason="test")
    after = _propose(reader)
    assert after != before
    with storage.unit_of_work() as uow:
        stored = uow.journals.get(SCHOOL, JID)
    assert after == propose_period_mark(stored, MARK.student_id, LESSON.course_id, PERIOD.id, FEDERAL)


def test_a_change_that_bypasses_the_cache_is_seen() -> None:
    storage = _storage()
    service = _service(storage)
    before = _propose(service)
    with storage.unit_of_work() as uow:
        j = uow.journals.get(SCHOOL, JID)
        j.clock = service.clock
        for _ in range(3):
            j.record_mark(MARK.student_id, LESSON.id, 2, MARK.work_type_id, by=ADMIN, reason="test")
        uow.journals.save(j)
        uow.commit()
    assert _propose(service) != before


def test_callers_get_copies_that_cannot_corrupt_the_cache() -> None:
    service = _service(_storage())
    before = _propose(service)
    mine = service.journal(ADMIN, SCHOOL, JID)
    for _ in range(3):
        mine.record_mark(MARK.student_id, LESSON.id, 2, MARK.work_type_id, by=ADMIN, reason="not saved")
    mine.marks.clear()
    assert service.journal(ADMIN, SCHOOL, JID).marks  # the cached journal is untouched
    assert _propose(service) == before


def test_a_failed_write_leaves_the_cache_current() -> None:
    service = _service(_storage())
    before = _propose(service)
    with pytest.raises(NotFound):
        service.record_mark(ADMIN, SCHOOL, JID, MARK.student_id, "no-lesson", 2, MARK.work_type_id)
    assert _propose(service) == before


def test_the_cache_is_bounded_and_can_be_turned_off() -> None:
    storage = _storage()
    second = copy_journal(generate_class_journal(grade=8, students=3, seed=4, with_results=False))
    with storage.unit_of_work() as uow:
        uow.journals.add(second)
        uow.commit()
    service = _service(storage, cache_size=1)
    service.journal(ADMIN, SCHOOL, JID)
    service.journal(ADMIN, SCHOOL, second.id)
    assert len(service.cache) == 1
    off = _service(storage, cache_size=0)
    loads = _loads(storage)
    _propose(off)
    _propose(off)
    assert loads() == 2
    assert len(off.cache) == 0
    for bad in (-1, True, 1.5):
        with pytest.raises(InvalidInput) as e:
            _service(storage, cache_size=bad)
        assert e.value.where == "cache_size"


def test_a_backend_without_version_is_served_uncached() -> None:
    storage = _storage()
    real_uow = storage.unit_of_work

    class NoVersion:
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def __getattr__(self, name: str) -> Any:
            if name == "version":
                raise AttributeError(name)
            return getattr(self._inner, name)

    def unit_of_work() -> Any:
        uow = real_uow()
        uow.journals = NoVersion(uow.journals)  # type: ignore[assignment]
        return uow

    storage.unit_of_work = unit_of_work  # type: ignore[method-assign]
    service = _service(storage)
    assert _propose(service) == _propose(service)
    assert len(service.cache) == 0


def test_a_gradebook_mark_is_read_only() -> None:
    cell = Gradebook.of(BASE, FEDERAL).period(MARK.student_id, LESSON.course_id, PERIOD.id)
    for name in ("value", "mean", "summary", "_explanation"):
        with pytest.raises(AttributeError):
            setattr(cell, name, None)
    assert cell.explanation is cell.explanation

"""The conformance kit catches broken adapters, and lets the correct one through.

Each broken adapter wraps the memory backend and breaks one promise: rolling back, writing the
audit log, keeping values exact.  The kit's scenarios are called directly (a scenario fails by
raising AssertionError or pytest's ``Failed``); one subprocess run checks what pytest reports.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs
import pytest

from ejournal.core.journal import ClassJournal
from ejournal.core.scales import Status
from ejournal.storage.memory import MemoryStorage, MemoryUnitOfWork, copy_journal
from ejournal.storage.ports import Capability
from ejournal.testing.conformance import (
    AuditLogContract,
    MarkRoundTripContract,
    StorageContract,
    UnitOfWorkContract,
    required_capabilities,
)

Outcome = str


def run_scenarios(
    contract: type, make_storage: Callable[[], MemoryStorage], *, exclude: frozenset[str] = frozenset()
) -> dict[str, tuple[Outcome, str]]:
    """Run the scenarios of ``contract`` (but ``exclude``) on fresh storages: name -> (outcome, message)."""
    results: dict[str, tuple[Outcome, str]] = {}
    for name in sorted(n for n in dir(contract) if n.startswith("test_") and n not in exclude):
        method = getattr(contract(), name)
        kwargs: dict[str, Any] = {"storage": make_storage()}
        if "other_storage" in inspect.signature(method).parameters:
            kwargs["other_storage"] = MemoryStorage()
        try:
            method(**kwargs)
        except pytest.skip.Exception as e:
            results[name] = ("skipped", str(e))
        except (AssertionError, pytest.fail.Exception) as e:
            results[name] = ("failed", str(e))
        except Exception as e:
            results[name] = ("error", f"{type(e).__name__}: {e}")
        else:
            results[name] = ("passed", "")
    return results


def outcomes(results: dict[str, tuple[Outcome, str]], outcome: Outcome) -> set[str]:
    return {name for name, (o, _) in results.items() if o == outcome}


# ---------------------------------------------------------------------- broken adapters
class _CommitOnExit(MemoryUnitOfWork):
    """Forgets to roll back: leaving the block (even by an exception) commits."""

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.commit()

    def rollback(self) -> None:
        pass


class ForgetsToRollBack(MemoryStorage):
    def unit_of_work(self) -> MemoryUnitOfWork:
        return _CommitOnExit(self)


class _DropPendingChanges:
    """A journal repository that stores journals but throws their pending changes away."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def add(self, journal: ClassJournal) -> None:
        journal.take_pending_changes()
        self._inner.add(journal)

    def save(self, journal: ClassJournal) -> None:
        journal.take_pending_changes()
        self._inner.save(journal)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class LosesAuditEntries(MemoryStorage):
    def unit_of_work(self) -> MemoryUnitOfWork:
        uow = super().unit_of_work()
        uow.journals = _DropPendingChanges(uow.journals)
        return uow


def _lossy(journal: ClassJournal) -> ClassJournal:
    """The journal as a careless backend would store it: float weights, whole seconds."""
    lossy = copy_journal(journal)
    lossy.work_types = {k: attrs.evolve(w, weight=Fraction(float(w.weight))) for k, w in journal.work_types.items()}
    lossy.courses = {
        k: attrs.evolve(c, hours_per_week=Fraction(float(c.hours_per_week))) for k, c in journal.courses.items()
    }

    def second(at: datetime) -> datetime:
        return at.replace(microsecond=0)

    lossy.marks = {k: attrs.evolve(m, entered_at=second(m.entered_at)) for k, m in journal.marks.items()}
    lossy.pending_changes = journal.take_pending_changes()
    return lossy


class _RoundingJournals(_DropPendingChanges):
    def add(self, journal: ClassJournal) -> None:
        stored = _lossy(journal)
        self._inner.add(stored)
        journal.version = stored.version

    def save(self, journal: ClassJournal) -> None:
        stored = _lossy(journal)
        self._inner.save(stored)
        journal.version = stored.version


class RoundsValues(MemoryStorage):
    def unit_of_work(self) -> MemoryUnitOfWork:
        uow = super().unit_of_work()
        uow.journals = _RoundingJournals(uow.journals)
        return uow


def _clipped(journal: ClassJournal) -> ClassJournal:
    """The journal as a backend with a five-point mark column would store it.

    Grades above 5 are rounded down into the column's range and statuses on result marks are
    stored as the failing grade 2 (as a column that only holds numbers would make them).
    """
    clipped = copy_journal(journal)
    clipped.marks = {
        k: attrs.evolve(m, value=min(m.value, 5)) if isinstance(m.value, int) else m for k, m in journal.marks.items()
    }
    clipped.results = {
        k: attrs.evolve(r, value=2 if isinstance(r.value, Status) and r.value in _NUMERIC_ONLY else r.value)
        for k, r in journal.results.items()
    }
    clipped.pending_changes = journal.take_pending_changes()
    return clipped


_NUMERIC_ONLY = frozenset({Status.NOT_CERTIFIED, Status.EXEMPT})


class _ClippingJournals(_DropPendingChanges):
    def add(self, journal: ClassJournal) -> None:
        stored = _clipped(journal)
        self._inner.add(stored)
        journal.version = stored.version

    def save(self, journal: ClassJournal) -> None:
        stored = _clipped(journal)
        self._inner.save(stored)
        journal.version = stored.version


class RoundsMarks(MemoryStorage):
    def unit_of_work(self) -> MemoryUnitOfWork:
        uow = super().unit_of_work()
        uow.journals = _ClippingJournals(uow.journals)
        return uow


class DeclaresNothing(MemoryStorage):
    @property
    def capabilities(self) -> frozenset[str]:
        return frozenset()


# ---------------------------------------------------------------------- the tests
def test_the_correct_memory_backend_passes_every_scenario() -> None:
    results = run_scenarios(StorageContract, MemoryStorage)
    assert len(results) >= 40
    # The memory backend keeps nothing across close(): it does not declare 'persistence'.
    persistence = {n for n in results if Capability.PERSISTENCE in required_capabilities(getattr(StorageContract, n))}
    assert {name: r for name, r in results.items() if r[0] != "passed" and name not in persistence} == {}
    assert outcomes(results, "skipped") == persistence


def test_forgetting_to_roll_back_fails_every_rollback_scenario() -> None:
    results = run_scenarios(UnitOfWorkContract, ForgetsToRollBack)
    needing_transactions = {
        name for name in results if "transactions" in required_capabilities(getattr(UnitOfWorkContract, name))
    }
    assert len(needing_transactions) == 4
    assert outcomes(results, "failed") == needing_transactions
    assert outcomes(results, "error") == set()
    audit = run_scenarios(AuditLogContract, ForgetsToRollBack)
    assert outcomes(audit, "failed") == {"test_rolled_back_changes_leave_no_audit_entries"}


def test_losing_audit_entries_fails_the_audit_scenarios() -> None:
    results = run_scenarios(AuditLogContract, LosesAuditEntries)
    assert {
        "test_adding_a_journal_writes_its_pending_changes",
        "test_every_record_kind_round_trips_in_changes",
        "test_save_appends_the_new_changes_after_the_earlier_ones",
        "test_the_log_is_append_only",
    } <= outcomes(results, "failed")
    assert "test_appended_changes_are_queried_back_in_append_order" in outcomes(results, "passed")


def test_rounding_values_fails_the_exactness_scenarios() -> None:
    # The generated (Hypothesis) scenario fails too, but shrinking its failure takes seconds.
    results = run_scenarios(MarkRoundTripContract, RoundsValues, exclude=frozenset({"test_generated_marks_round_trip"}))
    assert {
        "test_weights_and_hours_round_trip_as_exact_fractions",
        "test_timestamps_round_trip_as_aware_instants_with_microseconds",
        "test_russian_and_tatar_text_round_trips_unchanged",
    } <= outcomes(results, "failed")
    assert outcomes(results, "error") == set()


def test_rounding_marks_fails_the_mark_scenarios() -> None:
    results = run_scenarios(MarkRoundTripContract, RoundsMarks, exclude=frozenset({"test_generated_marks_round_trip"}))
    assert {
        "test_every_value_of_every_builtin_scale_round_trips",
        "test_every_status_round_trips_as_a_result_mark",
    } <= outcomes(results, "failed")
    assert "test_weights_and_hours_round_trip_as_exact_fractions" in outcomes(results, "passed")


def test_a_missing_capability_skips_with_a_reason_never_passes() -> None:
    results = run_scenarios(StorageContract, DeclaresNothing)
    skipped = outcomes(results, "skipped")
    declared = {name for name in results if required_capabilities(getattr(StorageContract, name))}
    assert skipped == declared
    assert len(skipped) >= 8
    for name in skipped:
        reason = results[name][1]
        assert any(cap in reason for cap in required_capabilities(getattr(StorageContract, name))), reason
        assert "DeclaresNothing" in reason


def test_pytest_reports_failures_and_skips_for_broken_adapters(tmp_path: Path) -> None:
    module = tmp_path / "test_generated_kit_run.py"
    module.write_text(
        textwrap.dedent(
            f"""
            import sys
            import pytest
            sys.path.insert(0, {str(Path(__file__).parent)!r})
            from test_broken_adapters import DeclaresNothing, ForgetsToRollBack
            from ejournal.testing.conformance import UnitOfWorkContract

            class TestForgetful(UnitOfWorkContract):
                @pytest.fixture
                def storage(self):
                    return ForgetsToRollBack()

            class TestNoCapabilities(UnitOfWorkContract):
                @pytest.fixture
                def storage(self):
                    return DeclaresNothing()
            """
        ),
        encoding="utf-8",
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(module),
            "-q",
            "-rfs",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert "4 failed, 8 passed, 4 skipped" in out, out
    assert out.count("FAILED") == 4, out
    assert "TestForgetful::test_leaving_without_commit_discards_everything" in out
    assert out.count("needs the capability 'transactions'") == 4, out


@pytest.mark.parametrize("missing", ["hypothesis", "pytest"])
def test_the_kit_names_the_extra_when_a_dependency_is_missing(missing: str) -> None:
    code = (
        "import sys\n"
        f"sys.modules[{missing!r}] = None\n"
        "try:\n"
        "    import ejournal.testing.conformance\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert "ejournal[testing]" in run.stdout
    assert missing in run.stdout

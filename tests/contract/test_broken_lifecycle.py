"""The kit's lifecycle scenarios catch an adapter that loses data on close or serves when closed."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

from ejournal.storage.memory import MemoryStorage, MemoryUnitOfWork
from ejournal.storage.ports import Capability, Storage
from ejournal.testing.conformance import LifecycleContract


class ForgetsOnClose(MemoryStorage):
    """Claims persistence, but every reopening starts empty (it never wrote anything anywhere)."""

    @property
    def capabilities(self) -> frozenset[str]:
        return super().capabilities | {Capability.PERSISTENCE}


class ServesWhenClosed(MemoryStorage):
    """Ignores close(): keeps handing out units of work."""

    def close(self) -> None:
        pass

    def unit_of_work(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)


def _run(name: str, storage: Storage, reopen: Callable[[Storage], Storage]) -> str:
    scenario = getattr(LifecycleContract(), name)
    kwargs: dict[str, Any] = {"storage": storage}
    if "reopen" in inspect.signature(scenario).parameters:
        kwargs["reopen"] = reopen
    try:
        scenario(**kwargs)
    except (AssertionError, pytest.fail.Exception) as e:
        return f"failed: {e}"
    except pytest.skip.Exception as e:
        return f"skipped: {e}"
    return "passed"


def test_an_adapter_that_never_persists_fails_the_reopen_scenario() -> None:
    outcome = _run("test_committed_data_survives_close_and_reopen", ForgetsOnClose(), lambda _s: ForgetsOnClose())
    assert outcome.startswith("failed"), outcome
    assert "does not keep its data" in outcome or "not the one read after reopening" in outcome


def test_an_adapter_that_serves_when_closed_fails_the_closed_scenario() -> None:
    outcome = _run("test_a_closed_storage_refuses_new_units_of_work", ServesWhenClosed(), lambda s: s)
    assert outcome.startswith("failed"), outcome


def test_the_memory_backend_skips_persistence_with_a_reason() -> None:
    outcome = _run("test_committed_data_survives_close_and_reopen", MemoryStorage(), lambda s: s)
    assert outcome.startswith("skipped"), outcome
    assert "'persistence'" in outcome

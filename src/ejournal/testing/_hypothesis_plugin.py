"""Hypothesis entry point: registers ejournal's types for ``st.from_type``, lazily.

Hypothesis loads its plugins while ``hypothesis.strategies`` is being imported, which may happen
*inside* ``import ejournal.testing.strategies`` (its first line imports Hypothesis).  So this
module never imports the strategies at registration time: it registers, for each type, a function
that Hypothesis calls only when ``st.from_type`` first needs it, by which time every import is done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Each registered type and the name of the strategy in ``ejournal.testing.strategies`` that draws it.
TYPE_STRATEGIES: tuple[tuple[str, str, str], ...] = (
    ("ejournal.core.scales", "Scale", "scales"),
    ("ejournal.core.scales", "WorkType", "work_types"),
    ("ejournal.core.calendar", "Period", "periods"),
    ("ejournal.core.calendar", "PeriodScheme", "period_schemes"),
    ("ejournal.core.grading", "GradingPolicy", "policies"),
    ("ejournal.core.journal", "ClassJournal", "class_journals"),
    ("ejournal.core.model", "PersonName", "person_names"),
    ("ejournal.core.grading", "GradedMark", "graded_marks"),
    ("ejournal.core.calendar", "AcademicYear", "academic_years"),
)


def _deferred(strategy_name: str) -> Callable[[type], Any]:
    def resolve(_: type) -> Any:
        from ejournal.testing import strategies

        return getattr(strategies, strategy_name)()

    return resolve


def _register() -> None:
    """Called by Hypothesis at start-up; registers every type in :data:`TYPE_STRATEGIES`.

    Imports only the pure core (cheap, and no cycle with Hypothesis); the strategies module is
    imported on the first ``st.from_type`` that needs it.
    """
    import importlib

    try:
        from hypothesis import strategies as st
    except ImportError:  # pragma: no cover - Hypothesis is present when this runs
        return
    for module, type_name, strategy_name in TYPE_STRATEGIES:
        st.register_type_strategy(getattr(importlib.import_module(module), type_name), _deferred(strategy_name))

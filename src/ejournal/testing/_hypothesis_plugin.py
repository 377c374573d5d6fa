"""Hypothesis entry point: registers ejournal's types for ``st.from_type``, lazily."""

from __future__ import annotations


def _register() -> None:
    """Called by Hypothesis at start-up; registers strategies without importing them eagerly."""
    try:
        from ejournal.testing import strategies  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # pragma: no cover - Hypothesis is present when this runs
        return
    strategies.register_type_strategies()

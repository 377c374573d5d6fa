"""Argument checks every backend applies the same way at its audit-log boundary."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ejournal.core.errors import InvalidInput
from ejournal.core.journal import Change

__all__ = ["check_aware", "check_changes"]


def check_aware(value: datetime | None, where: str) -> None:
    """Raise :class:`InvalidInput` at ``where`` unless ``value`` is ``None`` or a timezone-aware datetime."""
    if value is not None and (not isinstance(value, datetime) or value.utcoffset() is None):
        raise InvalidInput(where, "must be a timezone-aware datetime", value)


def check_changes(changes: Sequence[object]) -> None:
    """Raise :class:`InvalidInput` (at ``audit.append changes[i]``) for an item that is not a
    :class:`Change` or whose ``at`` is not timezone-aware."""
    for i, c in enumerate(changes):
        if not isinstance(c, Change):
            raise InvalidInput(f"audit.append changes[{i}]", "must be a Change", type(c).__name__)
        check_aware(c.at, f"audit.append changes[{i}].at")

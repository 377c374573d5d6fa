"""The error hierarchy (re-exported from :mod:`ejournal.core.errors`)."""

from ejournal.core.errors import (
    ConcurrentModification,
    EjournalError,
    InvalidInput,
    NotFound,
    PeriodLocked,
    PermissionDenied,
    Problem,
    StorageUnavailable,
)

__all__ = [
    "ConcurrentModification",
    "EjournalError",
    "InvalidInput",
    "NotFound",
    "PeriodLocked",
    "PermissionDenied",
    "Problem",
    "StorageUnavailable",
]

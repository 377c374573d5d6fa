"""Pluggable storage: ports, backends chosen by URL, the journal document.

``ejournal.storage.open(url)`` returns a :class:`Storage`; see :mod:`ejournal.storage.registry`
for how the URL and its backend are chosen.  Backends are imported only when opened.
"""

from ejournal.storage.ports import (
    AuditLog,
    Capability,
    JournalRepository,
    PeopleRepository,
    SchoolRepository,
    Storage,
    UnitOfWork,
)
from ejournal.storage.registry import DEFAULT_URL, ENV_VAR, Registry, mask_url, open

__all__ = [
    "DEFAULT_URL",
    "ENV_VAR",
    "AuditLog",
    "Capability",
    "JournalRepository",
    "PeopleRepository",
    "Registry",
    "SchoolRepository",
    "Storage",
    "UnitOfWork",
    "mask_url",
    "open",
]

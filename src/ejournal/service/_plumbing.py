"""What the use-case mixins of :class:`~ejournal.service.JournalService` share with it: the
attributes its constructor sets and its one write path (``_write``: load, check the actor's
right, run the command, save with its audit entry, commit, keep the cache current)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ejournal.core.journal import Actor, Change, ClassJournal, Clock
from ejournal.core.model import Lesson
from ejournal.service.access import AccessRules, Operation
from ejournal.storage.ports import Storage

__all__ = ["UseCaseMixin"]


class UseCaseMixin:
    """The base of the use-case mixins: typed access to the service's state and write path."""

    storage: Storage
    clock: Clock
    rules: AccessRules

    if TYPE_CHECKING:

        def _write(
            self,
            actor: Actor,
            school_id: str,
            journal_id: str,
            operation: Operation,
            command: Callable[[ClassJournal], Change],
            *,
            course_id: str | None = None,
            lesson_of: Callable[[ClassJournal], Lesson] | None = None,
            school_wide: bool = False,
        ) -> Change: ...

"""The one error hierarchy of ejournal.

Every failure a caller can meet is an :class:`EjournalError`.  Each subclass also
derives from the nearest built-in exception so that generic handlers keep working
(``InvalidInput`` is a ``ValueError``, ``NotFound`` a ``LookupError``...).  Every
error says *where*: the field, the value, and why.
"""

from __future__ import annotations

from collections.abc import Sequence

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


class EjournalError(Exception):
    """Base class of every error raised by ejournal."""


class Problem:
    """One problem found in input: where it is and why it is wrong.

    ``where`` is a path-like location (``"students[3].name.surname"``, ``"$.marks[12].value"``,
    ``"policy.toml: rounding.thresholds"``); ``message`` says why.
    """

    __slots__ = ("message", "value", "where")

    def __init__(self, where: str, message: str, value: object = None) -> None:
        self.where = where
        self.message = message
        self.value = value

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.where}: {self.message}"
        return f"{self.where}: {self.message} (got {self.value!r})"

    def __repr__(self) -> str:
        return f"Problem({self.where!r}, {self.message!r}, {self.value!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return (self.where, self.message, self.value) == (other.where, other.message, other.value)

    def __hash__(self) -> int:
        return hash((self.where, self.message))


class InvalidInput(EjournalError, ValueError):
    """Input that breaks a rule: names the field (``where``), the value and why.

    When several problems are found at once (an import, a policy file) they are all in
    :attr:`problems`; the message lists them.
    """

    def __init__(
        self,
        where: str,
        message: str,
        value: object = None,
        *,
        problems: Sequence[Problem] = (),
    ) -> None:
        self.where = where
        self.reason = message
        self.value = value
        self.problems: tuple[Problem, ...] = tuple(problems) or (Problem(where, message, value),)
        if len(self.problems) > 1:
            text = f"{len(self.problems)} problems: " + "; ".join(str(p) for p in self.problems)
        else:
            text = str(self.problems[0])
        super().__init__(text)

    @classmethod
    def many(cls, problems: Sequence[Problem]) -> InvalidInput:
        """Build one error carrying every problem (at least one)."""
        if not problems:
            raise ValueError("InvalidInput.many needs at least one problem")
        first = problems[0]
        return cls(first.where, first.message, first.value, problems=problems)


class NotFound(EjournalError, LookupError):
    """An id that names nothing: says what kind of thing and which id."""

    def __init__(self, kind: str, id: object, where: str = "") -> None:
        self.kind = kind
        self.id = id
        self.where = where
        text = f"{kind} {id!r} not found"
        if where:
            text += f" in {where}"
        super().__init__(text)

    def __str__(self) -> str:
        return str(self.args[0])


class PeriodLocked(EjournalError, PermissionError):
    """A change inside a closed period by someone who may not make it, or without a reason."""

    def __init__(self, period_id: str, message: str) -> None:
        self.period_id = period_id
        super().__init__(f"period {period_id!r} is closed: {message}")


class PermissionDenied(EjournalError, PermissionError):
    """The actor may not do this: names the actor, the action and the target."""

    def __init__(self, actor: str, action: str, target: str, why: str = "") -> None:
        self.actor = actor
        self.action = action
        self.target = target
        self.why = why
        text = f"{actor} may not {action} {target}"
        if why:
            text += f": {why}"
        super().__init__(text)


class ConcurrentModification(EjournalError, RuntimeError):
    """Somebody else saved the same journal first; nothing was written.

    ``expected_version`` is the version the caller had, ``found_version`` the one stored; both
    are ``None`` when the refusal did not come from a version check (another transaction held
    or changed what this one needed), and then the message names no versions.
    """

    def __init__(self, what: str, expected_version: int | None, found_version: int | None) -> None:
        self.what = what
        self.expected_version = expected_version
        self.found_version = found_version
        if expected_version is None and found_version is None:
            versions = ""
        else:
            versions = f" (expected version {expected_version}, found {found_version})"
        super().__init__(f"{what} was changed by someone else{versions}; reload and try again")


class StorageUnavailable(EjournalError, ConnectionError):
    """The storage cannot be reached or used; names the URL with any password masked."""

    def __init__(self, url: str, why: str) -> None:
        self.url = url
        self.why = why
        super().__init__(f"storage {url} is unavailable: {why}")

"""What every contract shares: the capability decorator and the optional fixtures."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from ejournal.storage.memory import MemoryStorage
from ejournal.storage.ports import Storage

__all__ = ["ContractBase", "required_capabilities", "requires"]

F = TypeVar("F", bound=Callable[..., Any])
_ATTR = "__ejournal_requires__"


def _storage_argument(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Storage:
    bound = inspect.signature(fn).bind_partial(*args, **kwargs)
    storage = bound.arguments.get("storage")
    if storage is None:
        raise TypeError(f"{fn.__qualname__} declares capabilities but takes no 'storage' argument")
    return storage  # type: ignore[no-any-return]


def requires(*capabilities: str) -> Callable[[F], F]:
    """Declare the :class:`~ejournal.storage.ports.Capability` names a scenario needs.

    When the ``storage`` it runs against lacks one, the scenario calls :func:`pytest.skip` with a
    reason naming the missing capability (so it is reported as skipped, never as passed).  The
    decorated scenario must take a ``storage`` argument.
    """
    needed = frozenset(capabilities)

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            storage = _storage_argument(fn, args, kwargs)
            missing = sorted(needed - storage.capabilities)
            if missing:
                pytest.skip(
                    f"{fn.__name__} needs the capability {', '.join(repr(m) for m in missing)}, "
                    f"which {type(storage).__name__} ({storage.url}) does not declare"
                )
            return fn(*args, **kwargs)

        setattr(wrapper, _ATTR, needed | required_capabilities(fn))
        return wrapper  # type: ignore[return-value]

    return decorate


def required_capabilities(scenario: Callable[..., Any]) -> frozenset[str]:
    """The capabilities a scenario declared with :func:`requires` (empty when none)."""
    found: frozenset[str] = getattr(scenario, _ATTR, frozenset())
    return found


class ContractBase:
    """Base of every ``…Contract`` mixin.

    The adapter's test class provides the ``storage`` fixture: a fresh, empty
    :class:`~ejournal.storage.ports.Storage` per test (closing it afterwards is the fixture's job).
    ``other_storage`` is optional: a second fresh, empty storage for the scenarios that copy data
    between two storages; by default it is a :class:`~ejournal.storage.memory.MemoryStorage`.
    Override it to copy between two instances of your backend.
    """

    @pytest.fixture
    def other_storage(self) -> Iterator[Storage]:
        """A second fresh, empty storage (default: in memory)."""
        other = MemoryStorage("memory://other")
        yield other
        other.close()

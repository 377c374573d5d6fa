"""Renderers by name: the built-in ones and those of the ``ejournal.renderers`` entry-point group.

Nothing is imported or scanned when this module is imported.  A :class:`RendererRegistry`
resolves a name on demand: its own registrations first, then the built-in renderers (imported
when first asked for), then the entry points of third-party packages.  There is no shared global
registry: each caller owns the registry it builds (:func:`ejournal.render.render` builds a
fresh one when none is given), so registering a renderer never changes anybody else's.

A third-party package registers a renderer in its ``pyproject.toml``::

    [project.entry-points."ejournal.renderers"]
    docx = "mypackage.docx:DocxRenderer"

The object named is a :class:`~ejournal.render.base.Renderer` class or instance, or a function
returning one.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points

from ejournal.core.errors import InvalidInput, NotFound
from ejournal.render.base import Renderer

__all__ = ["BUILTIN_RENDERERS", "ENTRY_POINT_GROUP", "RendererRegistry"]

ENTRY_POINT_GROUP = "ejournal.renderers"
"""The entry-point group third-party renderers register in."""

BUILTIN_RENDERERS: dict[str, str] = {
    "pdf": "ejournal.render.pdf:PdfRenderer",
    "html": "ejournal.render.html:HtmlRenderer",
    "csv": "ejournal.render.tabular:CsvRenderer",
    "xlsx": "ejournal.render.tabular:XlsxRenderer",
    "json": "ejournal.render.json:JsonRenderer",
}
"""Names of the built-in renderers and where they live (``module:attribute``), imported on demand."""

RendererFactory = Callable[[], Renderer]


@functools.cache
def _entry_points() -> dict[str, EntryPoint]:
    # Installed distributions do not change while the process runs; read them once, when first needed.
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _instantiate(obj: object, name: str, origin: str) -> Renderer:
    if isinstance(obj, type):
        candidate: object = obj()
    elif isinstance(obj, Renderer):
        candidate = obj
    elif callable(obj):
        candidate = obj()
    else:
        candidate = obj
    if not isinstance(candidate, Renderer):
        raise InvalidInput(f"renderer {name!r}", f"{origin} does not give a Renderer", type(candidate).__name__)
    return candidate


def _import(target: str, name: str) -> object:
    module_name, _, attribute = target.partition(":")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, attribute)
    except (ImportError, AttributeError) as e:
        raise InvalidInput(f"renderer {name!r}", f"cannot import {target}: {e}", target) from e


class RendererRegistry:
    """Finds renderers by name; see the module docstring for the lookup order.

    ``include_entry_points=False`` ignores third-party renderers (useful in tests).
    Registrations are local to the instance.
    """

    def __init__(self, *, include_entry_points: bool = True) -> None:
        self._own: dict[str, RendererFactory] = {}
        self._include_entry_points = include_entry_points

    def register(self, name: str, factory: RendererFactory) -> None:
        """Make ``factory()`` the renderer for ``name`` in this registry (replacing any other).

        Raises :class:`InvalidInput` for an empty name.
        """
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput("renderer.name", "must be a non-empty string", name)
        self._own[name.strip().lower()] = factory

    def names(self) -> tuple[str, ...]:
        """Every name this registry can resolve, sorted."""
        found = set(self._own) | set(BUILTIN_RENDERERS)
        if self._include_entry_points:
            found |= set(_entry_points())
        return tuple(sorted(found))

    def get(self, name: str) -> Renderer:
        """The renderer called ``name``; raises :class:`NotFound` listing the known names."""
        key = name.strip().lower() if isinstance(name, str) else ""
        own = self._own.get(key)
        if own is not None:
            return _instantiate(own, key, "the registered factory")
        target = BUILTIN_RENDERERS.get(key)
        if target is not None:
            return _instantiate(_import(target, key), key, target)
        if self._include_entry_points:
            ep = _entry_points().get(key)
            if ep is not None:
                try:
                    loaded = ep.load()
                except (ImportError, AttributeError) as e:
                    raise InvalidInput(f"renderer {key!r}", f"cannot load entry point {ep.value}: {e}", ep.value) from e
                return _instantiate(loaded, key, f"entry point {ep.value}")
        raise NotFound("renderer", name, f"known: {', '.join(self.names())}")

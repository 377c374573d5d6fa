"""ejournal: school electronic class journals.

The front door of the library: ``import ejournal`` gives an application everything it needs —
the pure core (imported now, it is cheap), and opening storage, the service layer, rendering, the
certified archive, the journal document and the demo school, imported on first use (module
``__getattr__``), so ``import ejournal`` stays fast and loads no database driver or PDF engine.
See ``docs/`` for the concepts and recipes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ejournal.__about__ import __version__
from ejournal.core import *  # noqa: F403
from ejournal.core import __all__ as _core_all

# Public name -> (module, attribute), loaded when first used.
_LAZY: dict[str, tuple[str, str]] = {
    "GradedMark": ("ejournal.core.grading", "GradedMark"),
    "compute_period_mark": ("ejournal.core.grading", "compute_period_mark"),
    "collator": ("ejournal.i18n.collation", "collator"),
    "open_storage": ("ejournal.storage.registry", "open"),
    "Storage": ("ejournal.storage.ports", "Storage"),
    "UnitOfWork": ("ejournal.storage.ports", "UnitOfWork"),
    "import_school_year": ("ejournal.storage.document", "import_school_year"),
    "export_school_year": ("ejournal.storage.document", "export_school_year"),
    "read_document": ("ejournal.storage.document", "read_document"),
    "write_document": ("ejournal.storage.document", "write_document"),
    "JournalService": ("ejournal.service", "JournalService"),
    "AccessRules": ("ejournal.service", "AccessRules"),
    "Operation": ("ejournal.service", "Operation"),
    # ``ejournal.render`` is the rendering package itself, so its ``render`` function is exported
    # under a name that the subpackage attribute cannot shadow.
    "render_document": ("ejournal.render", "render"),
    "render_to": ("ejournal.render", "render_to"),
    "RenderOptions": ("ejournal.render", "RenderOptions"),
    "create_archive": ("ejournal.archive", "create_archive"),
    "verify_archive": ("ejournal.archive", "verify_archive"),
    "Signer": ("ejournal.archive", "Signer"),
    "generate_school_year": ("ejournal.demo", "generate_school_year"),
    "generate_class_journal": ("ejournal.demo", "generate_class_journal"),
}

__all__ = ["__version__", *_core_all, *_LAZY]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from ejournal.archive import Signer, create_archive, verify_archive  # noqa: F401
    from ejournal.core.grading import GradedMark, compute_period_mark  # noqa: F401
    from ejournal.demo import generate_class_journal, generate_school_year  # noqa: F401
    from ejournal.i18n.collation import collator  # noqa: F401
    from ejournal.render import RenderOptions, render_to  # noqa: F401
    from ejournal.render import render as render_document  # noqa: F401
    from ejournal.service import AccessRules, JournalService, Operation  # noqa: F401
    from ejournal.storage.document import export_school_year, import_school_year, read_document, write_document  # noqa: F401
    from ejournal.storage.ports import Storage, UnitOfWork  # noqa: F401
    from ejournal.storage.registry import open as open_storage  # noqa: F401


def __getattr__(name: str) -> Any:
    """Import a lazily exported name on first use; raise :class:`AttributeError` for any other."""
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'ejournal' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

"""ejournal: school electronic class journals.

The stable public names are re-exported here; see ``docs/`` for the concepts and recipes.
Importing ``ejournal`` loads only the pure core; storage, rendering and the CLI are imported
when used.
"""

from ejournal.__about__ import __version__
from ejournal.core import *  # noqa: F403
from ejournal.core import __all__ as _core_all

__all__ = ["__version__", *_core_all]

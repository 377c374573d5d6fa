"""The renderers' message catalogs: :mod:`ejournal.i18n.catalogs`, re-exported under its old name.

Every printed label lives in the one gettext catalog of :mod:`ejournal.i18n` (``ru``, ``tt``,
``en`` ``.po`` files), with the validation messages and grading explanations.  Only labels are
translated: the sheet's data (names, subjects, marks, "н/а") never changes with the locale.
"""

from __future__ import annotations

from ejournal.i18n.catalogs import LOCALES, Catalog, catalog

__all__ = ["LOCALES", "Catalog", "catalog"]

"""Renderers: the summary sheet (and the course journal page) as PDF, HTML, CSV, XLSX or JSON.

``render(sheet, "pdf", locale="ru")`` is the short way; :class:`RendererRegistry` finds renderers
by name (built-in ones and those of the ``ejournal.renderers`` entry-point group), each a
:class:`Renderer` taking a document and :class:`RenderOptions`.  Importing this package imports
no renderer, font or plugin: they load when first used.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from ejournal.render.base import (
    CsvDialect,
    Orientation,
    Paper,
    Renderer,
    RendererBase,
    RenderOptions,
    UnsupportedDocument,
)
from ejournal.render.fonts import FontSpec
from ejournal.render.i18n import LOCALES
from ejournal.render.registry import ENTRY_POINT_GROUP, RendererRegistry

__all__ = [
    "ENTRY_POINT_GROUP",
    "LOCALES",
    "CsvDialect",
    "FontSpec",
    "Orientation",
    "Paper",
    "RenderOptions",
    "Renderer",
    "RendererBase",
    "RendererRegistry",
    "UnsupportedDocument",
    "render",
    "render_to",
]


def _options(
    locale: str,
    layout: Any,
    paper: Paper,
    orientation: Orientation,
    fonts: FontSpec | None,
    csv_dialect: CsvDialect | None,
    pdfa: bool,
) -> RenderOptions:
    # RenderOptions checks every option itself (naming it ``render_options.<option>``).
    return RenderOptions(
        locale=locale,
        layout=layout,
        paper=paper,
        orientation=orientation,
        fonts=fonts,
        csv_dialect=csv_dialect,
        pdfa=pdfa,
    )


def render(
    document: object,
    format: str = "pdf",
    *,
    locale: str = "ru",
    layout: object = None,
    paper: Paper = Paper.A4,
    orientation: Orientation = Orientation.LANDSCAPE,
    fonts: FontSpec | None = None,
    csv_dialect: CsvDialect | None = None,
    pdfa: bool = False,
    registry: RendererRegistry | None = None,
) -> bytes:
    """Render ``document`` (a summary sheet, several sheets, a course page) in ``format``.

    ``layout`` is a :class:`~ejournal.core.summary.SheetLayout` or ``None`` for the sheet's own.
    ``csv_dialect`` is for CSV only: ``None`` means Excel's for ru/tt, RFC 4180 for en
    (:class:`CsvDialect`).  ``pdfa=True`` is for PDF only: PDF/A-2b, the archival form.  ``registry`` defaults to a fresh :class:`RendererRegistry` (built-ins and entry points).
    Raises :class:`~ejournal.core.errors.NotFound` for an unknown format,
    :class:`UnsupportedDocument` for a document the format does not print and
    :class:`~ejournal.core.errors.InvalidInput` for bad options.
    """
    renderer = (registry or RendererRegistry()).get(format)
    return renderer.render(document, _options(locale, layout, paper, orientation, fonts, csv_dialect, pdfa))


def render_to(
    stream: BinaryIO,
    document: object,
    format: str = "pdf",
    *,
    locale: str = "ru",
    layout: object = None,
    paper: Paper = Paper.A4,
    orientation: Orientation = Orientation.LANDSCAPE,
    fonts: FontSpec | None = None,
    csv_dialect: CsvDialect | None = None,
    pdfa: bool = False,
    registry: RendererRegistry | None = None,
) -> None:
    """Like :func:`render`, but write the bytes to the binary ``stream``."""
    renderer = (registry or RendererRegistry()).get(format)
    renderer.write(document, stream, _options(locale, layout, paper, orientation, fonts, csv_dialect, pdfa))

"""The JSON renderer: the sheet as data.

A :class:`~ejournal.core.summary.SummarySheet` is written as its canonical JSON
(:meth:`~ejournal.core.summary.SummarySheet.canonical_json`: sorted keys, UTF-8, no floats), the
very bytes its content hash is computed over; several sheets as a JSON array of their
:meth:`~ejournal.core.summary.SummarySheet.to_dict`.  The data does not depend on the locale.
"""

from __future__ import annotations

import json
from typing import BinaryIO

from ejournal.core.summary import SummarySheet
from ejournal.render.base import RendererBase, RenderOptions
from ejournal.render.reports import is_report
from ejournal.render.reports.formats import report_json
from ejournal.render.tabular import sheets_of

__all__ = ["JsonRenderer"]


class JsonRenderer(RendererBase):
    """The ``json`` renderer (see the module doc); raises
    :class:`~ejournal.render.base.UnsupportedDocument` for documents other than sheets."""

    name = "json"
    media_type = "application/json"
    extension = "json"

    def write(self, document: object, stream: BinaryIO, options: RenderOptions | None = None) -> None:
        """Write the JSON of one sheet (canonical) or several (an array) to ``stream``."""
        if isinstance(document, SummarySheet):
            stream.write(document.canonical_json())
            return
        if is_report(document):
            stream.write(report_json(document))
            return
        sheets = sheets_of(document, self.name)
        data = [s.to_dict() for s in sheets]
        stream.write(
            json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
        )

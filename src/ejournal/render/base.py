"""The renderer contract: a document in, bytes out, with options.

A *document* is what a renderer prints: a :class:`~ejournal.core.summary.SummarySheet` (or a
sequence of them, one per class), a :class:`~ejournal.render.course_page.CoursePage`, and, where
a renderer supports them, the validation report and the student diary.  A :class:`Renderer`
turns a document into bytes (or writes them to a binary stream) according to
:class:`RenderOptions`: the locale of the labels, the sheet layout, the paper and the font.
"""

from __future__ import annotations

import enum
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, runtime_checkable

from attrs import Attribute, field, frozen

from ejournal.core.errors import EjournalError, InvalidInput
from ejournal.render.fonts import FontSpec
from ejournal.render.i18n import LOCALES, Catalog, catalog

if TYPE_CHECKING:
    from ejournal.core.summary import SheetLayout

__all__ = [
    "CsvDialect",
    "Orientation",
    "Paper",
    "RenderOptions",
    "Renderer",
    "RendererBase",
    "UnsupportedDocument",
]


class UnsupportedDocument(EjournalError, TypeError):
    """A renderer was given a kind of document it does not print; names the renderer and the type."""

    def __init__(self, renderer: str, document: object) -> None:
        self.renderer = renderer
        self.document_type = type(document).__name__
        super().__init__(f"the {renderer!r} renderer cannot render a {self.document_type}")


class Paper(enum.Enum):
    """Paper sizes in millimetres (width, height in portrait)."""

    A4 = (210, 297)
    A3 = (297, 420)


class CsvDialect(enum.Enum):
    """How a CSV file is written.

    ``EXCEL``: what a Russian-locale Excel or LibreOffice opens by double-click — UTF-8 with a byte
    order mark, ``;`` between fields (the decimal comma of ru/tt numbers needs no quoting), CRLF.
    ``RFC4180``: plain CSV — UTF-8 without BOM, ``,`` between fields, CRLF, quoted where needed.
    """

    EXCEL = "excel"
    RFC4180 = "rfc4180"

    @classmethod
    def for_locale(cls, locale: str) -> CsvDialect:
        """The default for ``locale``: :attr:`EXCEL` for ru and tt (decimal comma), :attr:`RFC4180` otherwise."""
        return cls.EXCEL if locale in ("ru", "tt") else cls.RFC4180


class Orientation(enum.Enum):
    """Page orientation."""

    LANDSCAPE = "landscape"
    PORTRAIT = "portrait"


def _locale(value: str) -> str:
    code = value.strip().lower() if isinstance(value, str) else None
    if code not in LOCALES:
        raise InvalidInput("render_options.locale", f"unsupported locale (supported: {', '.join(LOCALES)})", value)
    return code


def _member_of(
    kind: type[enum.Enum], where: str, *, optional: bool = False
) -> Callable[[object, Attribute[Any], object], None]:
    def check(_instance: object, _attribute: Attribute[Any], value: object) -> None:
        if not isinstance(value, kind) and not (optional and value is None):
            raise InvalidInput(where, f"must be a {kind.__name__} ({', '.join(m.name for m in kind)})", value)

    return check


def _layout(_instance: object, _attribute: Attribute[Any], value: object) -> None:
    from ejournal.core.summary import SheetLayout

    if value is not None and not isinstance(value, SheetLayout):
        raise InvalidInput("render_options.layout", "must be a SheetLayout or None", value)


def _flag(where: str) -> Callable[[object, Attribute[Any], object], None]:
    def check(_instance: object, _attribute: Attribute[Any], value: object) -> None:
        if not isinstance(value, bool):
            raise InvalidInput(where, "must be True or False", value)

    return check


def _fonts(_instance: object, _attribute: Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, FontSpec):
        raise InvalidInput("render_options.fonts", "must be a FontSpec or None", value)


@frozen
class RenderOptions:
    """How to render: locale of the labels, layout of the sheet, paper, orientation and font.

    ``layout=None`` means the sheet's own layout (students as rows unless the sheet says
    otherwise).  ``fonts=None`` means the bundled Source Sans Pro.  ``pdfa=True`` makes the PDF
    renderer write PDF/A-2b, the archival form (:mod:`ejournal.render.pdfa`; other renderers
    ignore it).  Raises :class:`InvalidInput`
    naming the option for an unsupported locale or a value of the wrong kind (a paper that is
    not a :class:`Paper`, an orientation that is not an :class:`Orientation`, ...).
    """

    locale: str = field(default="ru", converter=_locale)
    layout: SheetLayout | None = field(default=None, validator=_layout)
    paper: Paper = field(default=Paper.A4, validator=_member_of(Paper, "render_options.paper"))
    orientation: Orientation = field(
        default=Orientation.LANDSCAPE, validator=_member_of(Orientation, "render_options.orientation")
    )
    fonts: FontSpec | None = field(default=None, validator=_fonts)
    csv_dialect: CsvDialect | None = field(
        default=None, validator=_member_of(CsvDialect, "render_options.csv_dialect", optional=True)
    )
    pdfa: bool = field(default=False, validator=_flag("render_options.pdfa"))

    @property
    def catalog(self) -> Catalog:
        """The message catalog of :attr:`locale`."""
        return catalog(self.locale)

    @property
    def dialect(self) -> CsvDialect:
        """The CSV dialect: :attr:`csv_dialect`, or the default of :attr:`locale`."""
        return self.csv_dialect or CsvDialect.for_locale(self.locale)

    @property
    def page_size_mm(self) -> tuple[int, int]:
        """(width, height) of the page in millimetres, oriented."""
        w, h = self.paper.value
        return (h, w) if self.orientation is Orientation.LANDSCAPE else (w, h)


@runtime_checkable
class Renderer(Protocol):
    """Turns a document into bytes.

    ``name`` is the registry name (``"pdf"``), ``media_type`` the MIME type and ``extension``
    the usual file suffix (without the dot).  ``render`` returns the bytes; ``write`` writes them
    to a binary stream.  Both raise :class:`UnsupportedDocument` for a kind of document the
    renderer does not print and :class:`InvalidInput` for bad options.
    """

    name: str
    media_type: str
    extension: str

    def render(self, document: object, options: RenderOptions | None = None) -> bytes:
        """The rendered document."""
        ...

    def write(self, document: object, stream: BinaryIO, options: RenderOptions | None = None) -> None:
        """Write the rendered document to ``stream``."""
        ...


class RendererBase:
    """A convenient base for renderers: implement :meth:`write`; :meth:`render` collects the bytes."""

    name: str = ""
    media_type: str = "application/octet-stream"
    extension: str = ""

    def render(self, document: object, options: RenderOptions | None = None) -> bytes:
        """The rendered document (see :class:`Renderer`)."""
        buffer = io.BytesIO()
        self.write(document, buffer, options)
        return buffer.getvalue()

    def write(self, document: object, stream: BinaryIO, options: RenderOptions | None = None) -> None:
        """Write the rendered document to ``stream`` (subclasses implement it)."""
        raise NotImplementedError

    def unsupported(self, document: object) -> UnsupportedDocument:
        """The error to raise for a document this renderer does not print."""
        return UnsupportedDocument(self.name, document)

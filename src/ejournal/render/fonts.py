"""Fonts for the PDF renderers: a Unicode font with every Cyrillic and Tatar letter.

The default is Source Sans Pro from the ``font-source-sans-pro`` package (a dependency), so the
output never depends on the host's fonts.  A :class:`FontSpec` names the regular and bold TrueType
files; :func:`register` registers them with reportlab **once** (lazily, on first use, never at
import) under prefixed names (``ejournal-Sans``, ``ejournal-Sans-Bold``) and checks that every
letter the sheets need is in the font's character map, so a missing glyph is an error, never a
black square.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from pathlib import Path

from attrs import field, frozen

from ejournal.core.errors import InvalidInput

__all__ = [
    "REQUIRED_CHARACTERS",
    "FontSpec",
    "RegisteredFonts",
    "check_text",
    "default_font_spec",
    "missing_glyphs",
    "register",
]

_RUSSIAN = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_TATAR = "ӘӨҮҖҢҺәөүҗңһ"
_PUNCTUATION = "№«»—–…·•‰°"
_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))

REQUIRED_CHARACTERS = _ASCII + _RUSSIAN + _TATAR + _PUNCTUATION
"""Every character a sheet prints with its labels (Russian, Tatar, English) and common names."""


def _path(value: str | Path) -> Path:
    return Path(value)


@frozen
class FontSpec:
    """The TrueType files of the regular and bold faces, and the family name to register them under.

    ``family`` becomes the reportlab font names ``<family>`` and ``<family>-Bold``; the default
    font uses ``ejournal-Sans``.  A user font keeps the ``ejournal-`` prefix so it never collides
    with fonts an application registers itself.
    """

    regular: Path = field(converter=_path)
    bold: Path = field(converter=_path)
    family: str = "ejournal-Sans"

    def __attrs_post_init__(self) -> None:
        if not self.family.startswith("ejournal-"):
            raise InvalidInput("font_spec.family", "must start with 'ejournal-'", self.family)

    @classmethod
    def from_files(cls, regular: str | Path, bold: str | Path | None = None) -> FontSpec:
        """A spec for user font files (``bold`` defaults to ``regular``), under a name derived from them."""
        regular_path = Path(regular)
        bold_path = Path(bold) if bold is not None else regular_path
        digest = hashlib.sha256(f"{regular_path.resolve()}\0{bold_path.resolve()}".encode()).hexdigest()[:10]
        return cls(regular_path, bold_path, f"ejournal-{regular_path.stem}-{digest}")

    @property
    def regular_name(self) -> str:
        """The reportlab name of the regular face."""
        return self.family

    @property
    def bold_name(self) -> str:
        """The reportlab name of the bold face."""
        return f"{self.family}-Bold"


@frozen
class RegisteredFonts:
    """The names under which a :class:`FontSpec` is registered with reportlab."""

    regular: str
    bold: str
    spec: FontSpec


def default_font_spec() -> FontSpec:
    """Source Sans Pro (regular and bold) from the ``font-source-sans-pro`` package.

    Raises :class:`InvalidInput` when the package or its files are missing.
    """
    try:
        import font_source_sans_pro
    except ImportError as e:  # pragma: no cover - it is a dependency
        raise InvalidInput("fonts", "the font-source-sans-pro package is not installed", None) from e
    files = Path(font_source_sans_pro.__file__).parent / "files"
    return FontSpec(files / "SourceSansPro-Regular.ttf", files / "SourceSansPro-Bold.ttf")


_lock = threading.Lock()
_registered: dict[FontSpec, RegisteredFonts] = {}


def _load(path: Path, name: str, where: str) -> object:
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    if not path.is_file():
        raise InvalidInput(where, "font file not found", str(path))
    try:
        return TTFont(name, str(path))
    except (TTFError, OSError, ValueError, KeyError) as e:
        raise InvalidInput(where, f"not a usable TrueType font: {e}", str(path)) from e


def _char_map(font: object) -> dict[int, int]:
    face = getattr(font, "face", None)
    cmap = getattr(face, "charToGlyph", None)
    if not isinstance(cmap, dict):
        raise InvalidInput("fonts", "the font has no character map", None)
    return cmap


def missing_glyphs(font_file: str | Path, text: Iterable[str]) -> list[str]:
    """The characters of ``text`` (sorted, unique, whitespace and controls ignored) that the font lacks.

    Raises :class:`InvalidInput` when the file is missing or not a TrueType font.
    """
    font = _load(Path(font_file), "ejournal-probe", "font_file")
    return _missing(_char_map(font), text)


def _missing(cmap: dict[int, int], text: Iterable[str]) -> list[str]:
    wanted = {ch for chunk in text for ch in chunk if not ch.isspace() and ch.isprintable()}
    return sorted(ch for ch in wanted if cmap.get(ord(ch), 0) == 0)


def register(spec: FontSpec | None = None) -> RegisteredFonts:
    """Register ``spec`` (the default font when ``None``) with reportlab once; return its names.

    Checks that both faces have every character of :data:`REQUIRED_CHARACTERS`.  Thread-safe and
    idempotent.  Raises :class:`InvalidInput` naming the file and the missing letters.
    """
    spec = spec or default_font_spec()
    with _lock:
        done = _registered.get(spec)
        if done is not None:
            return done
        from reportlab.pdfbase import pdfmetrics

        regular = _load(spec.regular, spec.regular_name, "font_spec.regular")
        bold = _load(spec.bold, spec.bold_name, "font_spec.bold")
        for face, where, path in ((regular, "font_spec.regular", spec.regular), (bold, "font_spec.bold", spec.bold)):
            lacking = _missing(_char_map(face), [REQUIRED_CHARACTERS])
            if lacking:
                raise InvalidInput(where, f"the font {path} lacks the letters {''.join(lacking)!r}", str(path))
        pdfmetrics.registerFont(regular)
        pdfmetrics.registerFont(bold)
        pdfmetrics.registerFontFamily(
            spec.family,
            normal=spec.regular_name,
            bold=spec.bold_name,
            italic=spec.regular_name,
            boldItalic=spec.bold_name,
        )
        done = RegisteredFonts(spec.regular_name, spec.bold_name, spec)
        _registered[spec] = done
        return done


def check_text(fonts: RegisteredFonts, texts: Iterable[str]) -> None:
    """Raise :class:`InvalidInput` when some character of ``texts`` is not in the registered font.

    The sheet's data (names, subjects) may hold letters beyond :data:`REQUIRED_CHARACTERS`; this
    refuses to print them as empty boxes.
    """
    from reportlab.pdfbase import pdfmetrics

    chunks = list(texts)
    lacking: set[str] = set()
    for name in (fonts.regular, fonts.bold):
        lacking.update(_missing(_char_map(pdfmetrics.getFont(name)), chunks))
    if lacking:
        raise InvalidInput(
            "fonts", f"the font {fonts.spec.regular.name} lacks letters used by the sheet", "".join(sorted(lacking))
        )
